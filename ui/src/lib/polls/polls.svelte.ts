// The open chat's polls (from the cache, offline too), votes through the outbox, and a
// moderator's new poll.
import { ipc, type PollBasis, type PollView } from '../ipc';
import { toFailure, type Failure } from '../signin/session.svelte';

class Polls {
  communityId = $state<number | null>(null);
  list = $state.raw<PollView[]>([]);
  expanded = $state(false);
  error = $state<Failure | null>(null);

  async open(communityId: number): Promise<void> {
    if (this.communityId !== communityId) {
      this.communityId = communityId;
      this.list = [];
      this.expanded = false;
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const id = this.communityId;
    if (id === null) return;
    try {
      const list = await ipc.polls(id);
      if (this.communityId === id) this.list = list;
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  async vote(pollId: number, option: number): Promise<void> {
    this.error = null;
    try {
      const written = await ipc.vote(pollId, option);
      const waiting = written.waiting;
      if (waiting?.state === 'failed') {
        this.error = {
          kind: 'refused',
          code: waiting.error_code ?? null,
          params: waiting.error_params ?? {},
          message: waiting.error_message ?? '',
        };
      }
      await this.refresh();
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  /** Drops a refused vote, so the person may vote again. */
  async discard(clientKey: string): Promise<void> {
    try {
      await ipc.discard(clientKey);
      await this.refresh();
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  async create(question: string, options: string[], basis: PollBasis, closesAt: string): Promise<boolean> {
    const id = this.communityId;
    if (id === null) return false;
    this.error = null;
    try {
      await ipc.openPoll(id, question, options, basis, closesAt);
      await this.refresh();
      this.expanded = true;
      return true;
    } catch (e) {
      this.error = toFailure(e);
      return false;
    }
  }

  close(): void {
    this.communityId = null;
    this.list = [];
    this.expanded = false;
    this.error = null;
  }
}

export const polls = new Polls();
