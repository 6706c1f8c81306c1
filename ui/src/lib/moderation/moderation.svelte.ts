// Moderation of the open chat: its pins and log (from the cache, offline too), and the
// actions: a moderator's pin, deletion with a reason, mute and slow mode; a member's
// complaint and appeal. Each action asks the server; the sync that follows brings its
// outcome to every view.
import { ipc, type ModEntry, type Pin, type Report, type Resolution } from '../ipc';
import { toFailure, type Failure } from '../signin/session.svelte';

/** Log entries per page. */
const LOG_PAGE = 50;

class Moderation {
  communityId = $state<number | null>(null);
  pins = $state.raw<Pin[]>([]);
  log = $state.raw<ModEntry[]>([]);
  /** The chat's complaints (all of them for a moderator; one's own otherwise). */
  reports = $state.raw<Report[]>([]);
  logOpen = $state(false);
  error = $state<Failure | null>(null);
  /** What was just done, said once ("Сообщение закреплено"). */
  done = $state<string | null>(null);

  /** Shows a chat's pins (and its log, when open). */
  async open(communityId: number): Promise<void> {
    if (this.communityId !== communityId) {
      this.communityId = communityId;
      this.pins = [];
      this.log = [];
      this.reports = [];
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const id = this.communityId;
    if (id === null) return;
    try {
      const pins = await ipc.pins(id);
      const wanted = Math.max(LOG_PAGE, Math.ceil(this.log.length / LOG_PAGE) * LOG_PAGE);
      const log = this.logOpen ? await ipc.modLog(id, null, wanted) : this.log;
      const reports = this.logOpen ? await ipc.reports(id) : this.reports;
      if (this.communityId !== id) return;
      this.pins = pins;
      this.log = log;
      this.reports = reports;
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  /** Whether older entries may remain beyond those loaded. */
  get logHasMore(): boolean {
    return this.log.length > 0 && this.log.length % LOG_PAGE === 0;
  }

  /** Loads the next page of older entries. */
  async olderLog(): Promise<void> {
    const id = this.communityId;
    const last = this.log.at(-1);
    if (id === null || !last) return;
    try {
      const page = await ipc.modLog(id, last.id, LOG_PAGE);
      if (this.communityId === id) this.log = this.log.concat(page);
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  async toggleLog(): Promise<void> {
    this.logOpen = !this.logOpen;
    if (this.logOpen) await this.refresh();
  }

  close(): void {
    this.communityId = null;
    this.pins = [];
    this.log = [];
    this.logOpen = false;
    this.error = null;
  }

  /** Runs an action; true when the server took it. */
  private async act(run: () => Promise<unknown>, done: string | null = null): Promise<boolean> {
    this.error = null;
    try {
      await run();
      this.done = done;
      if (done) setTimeout(() => (this.done = null), 4000);
      await this.refresh();
      return true;
    } catch (e) {
      this.error = toFailure(e);
      return false;
    }
  }

  pin(messageId: number, pinned: boolean): Promise<boolean> {
    return this.act(() => ipc.pinMessage(messageId, pinned));
  }

  remove(messageId: number, reason: string): Promise<boolean> {
    return this.act(() => ipc.removeMessage(messageId, reason));
  }

  mute(personId: number, seconds: number, reason: string | null): Promise<boolean> {
    const id = this.communityId;
    if (id === null) return Promise.resolve(false);
    return this.act(() => ipc.muteMember(id, personId, seconds, reason));
  }

  ban(personId: number, reason: string): Promise<boolean> {
    const id = this.communityId;
    if (id === null) return Promise.resolve(false);
    return this.act(() => ipc.banMember(id, personId, reason));
  }

  slowMode(seconds: number): Promise<boolean> {
    const id = this.communityId;
    if (id === null) return Promise.resolve(false);
    return this.act(() => ipc.setSlowMode(id, seconds));
  }

  resolve(reportId: number, action: Resolution): Promise<boolean> {
    return this.act(() => ipc.resolveReport(reportId, action, null));
  }

  report(messageId: number, reason: string): Promise<boolean> {
    return this.act(() => ipc.reportMessage(messageId, reason), 'moderation.reported');
  }

  appeal(entryId: number, text: string): Promise<boolean> {
    return this.act(() => ipc.appealEntry(entryId, text), 'moderation.appealed');
  }
}

export const moderation = new Moderation();
