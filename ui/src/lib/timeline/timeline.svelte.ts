// The open chat's messages, oldest first: the newest page at open, older pages as the
// person scrolls back, local echoes from the outbox at the end. Everything comes from the
// shell's cache, so it opens instantly and works offline.
import { ipc, type ChatMessage } from '../ipc';
import { toFailure, type Failure } from '../signin/session.svelte';
import { messageKey } from './keys';

export { messageKey, messageTestId } from './keys';

/** Messages per page read from the cache. */
export const PAGE = 100;
/** The largest page a jump back through history asks for at once. */
const MAX_PAGE = 5000;

/**
 * Where the unread marker goes: before the oldest of the `unread` newest messages by others.
 * Returns that message's key, or null when nothing is unread.
 */
export function unreadMarkerKey(messages: ChatMessage[], unread: number, me: number | null): string | null {
  if (unread <= 0) return null;
  let seen = 0;
  let key: string | null = null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.state !== 'sent' || (me !== null && Number(m.author_id) === me)) continue;
    key = messageKey(m);
    if (++seen >= unread) break;
  }
  return key;
}

/** Merges a fresh newest page (oldest first) into what is loaded (oldest first). */
export function mergeNewest(loaded: ChatMessage[], fresh: ChatMessage[], freshIsAll: boolean): ChatMessage[] {
  if (freshIsAll) return fresh;
  let minId = Infinity;
  for (const m of fresh) if (m.id !== null && Number(m.id) < minId) minId = Number(m.id);
  const kept = loaded.filter((m) => m.id !== null && Number(m.id) < minId);
  return kept.concat(fresh);
}

/** What the composer is doing besides writing a new message. */
export type ComposeMode =
  | { kind: 'new' }
  | { kind: 'reply'; message: ChatMessage }
  | { kind: 'edit'; message: ChatMessage }
  | { kind: 'retry'; message: ChatMessage };

class Timeline {
  communityId = $state<number | null>(null);
  /** Oldest first. Raw: a long history is replaced as a whole, never mutated in place. */
  messages = $state.raw<ChatMessage[]>([]);
  hasMore = $state(true);
  loading = $state(false);
  loadingOlder = $state(false);
  unreadKey = $state<string | null>(null);
  /** A message to scroll to and focus (a search hit); `seq` makes a repeat jump count. */
  focus = $state<{ key: string; seq: number } | null>(null);
  mode = $state<ComposeMode>({ kind: 'new' });
  /** Text the composer should take (editing, retrying); `seq` makes a repeat count. */
  draft = $state<{ text: string; seq: number } | null>(null);
  error = $state<Failure | null>(null);
  /** In a channel: the houses a new post is for (empty: the whole microdistrict). */
  targets = $state<number[]>([]);

  private generation = 0;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private focusSeq = 0;

  /** Opens a chat: its newest page and the unread marker. */
  async open(communityId: number, unread: number, me: number | null): Promise<void> {
    const gen = ++this.generation;
    this.communityId = communityId;
    this.messages = [];
    this.hasMore = true;
    this.unreadKey = null;
    this.focus = null;
    this.mode = { kind: 'new' };
    this.error = null;
    this.targets = [];
    this.loading = true;
    try {
      const page = await ipc.messages(communityId, null, PAGE);
      if (!performance.getEntriesByName('domkom:messages').length) performance.mark('domkom:messages');
      if (gen !== this.generation) return;
      this.messages = page.slice().reverse();
      this.hasMore = page.length >= PAGE;
      this.unreadKey = unreadMarkerKey(this.messages, unread, me);
      this.markRead();
    } catch (e) {
      if (gen === this.generation) this.error = toFailure(e);
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  close(): void {
    this.generation++;
    this.communityId = null;
    this.messages = [];
  }

  /** Re-reads the newest page after a change (new message, outbox, sync); coalesces bursts. */
  async refresh(): Promise<void> {
    if (this.communityId === null) return;
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        const gen = this.generation;
        const cid = this.communityId;
        if (cid === null) break;
        try {
          const page = await ipc.messages(cid, null, PAGE);
          if (gen !== this.generation) break;
          const fresh = page.slice().reverse();
          const all = page.length < PAGE;
          const merged = mergeNewest(this.messages, fresh, all);
          this.messages = merged;
          // A full page with nothing older kept: there may be more behind it (e.g. a chat
          // opened empty during the first sync that has since filled).
          if (all) this.hasMore = false;
          else if (merged.length === fresh.length) this.hasMore = true;
          this.markRead();
        } catch (e) {
          if (gen === this.generation) this.error = toFailure(e);
        }
      } while (this.refreshAgain);
    })();
    try {
      await this.refreshing;
    } finally {
      this.refreshing = null;
    }
  }

  /** Scrolling back: the page older than the oldest loaded message. */
  async loadOlder(limit = PAGE): Promise<void> {
    if (this.communityId === null || this.loadingOlder || !this.hasMore) return;
    const oldest = this.messages.find((m) => m.id !== null);
    if (!oldest) {
      this.hasMore = false;
      return;
    }
    const gen = this.generation;
    this.loadingOlder = true;
    try {
      const page = await ipc.messages(this.communityId, Number(oldest.id), limit);
      if (gen !== this.generation) return;
      const have = new Set(this.messages.map(messageKey));
      const older = page.filter((m) => m.id !== null && !have.has(messageKey(m))).reverse();
      this.messages = older.concat(this.messages);
      this.hasMore = page.length >= limit;
    } catch (e) {
      if (gen === this.generation) this.error = toFailure(e);
    } finally {
      if (gen === this.generation) this.loadingOlder = false;
    }
  }

  /** Loads back until the message is there, then asks the timeline to show and focus it. */
  async jumpTo(messageId: number): Promise<void> {
    const gen = this.generation;
    let limit = PAGE;
    const find = () => this.messages.find((m) => m.id !== null && Number(m.id) === messageId);
    while (!find() && this.hasMore && gen === this.generation) {
      limit = Math.min(MAX_PAGE, limit * 2);
      await this.loadOlder(limit);
    }
    const m = find();
    if (m && gen === this.generation) this.focus = { key: messageKey(m), seq: ++this.focusSeq };
  }

  /** Tells the cache the newest message shown is read. */
  private markRead(): void {
    if (this.communityId === null) return;
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const id = this.messages[i].id;
      if (id !== null) {
        void ipc.markRead(this.communityId, Number(id)).catch(() => {});
        return;
      }
    }
  }

  /** Sends what the composer holds, as the composer's mode says; true when it was taken. */
  async submit(body: string): Promise<boolean> {
    const text = body.trim();
    if (!text || this.communityId === null) return false;
    const mode = this.mode;
    this.error = null;
    try {
      if (mode.kind === 'edit') {
        await ipc.edit(Number(mode.message.id), text);
      } else if (mode.kind === 'retry') {
        await ipc.retry(mode.message.client_key, text);
      } else {
        const replyTo = mode.kind === 'reply' && mode.message.id !== null ? Number(mode.message.id) : null;
        if (this.targets.length > 0 && replyTo === null) await ipc.postToHouses(this.communityId, text, this.targets);
        else await ipc.send(this.communityId, text, replyTo);
      }
      this.mode = { kind: 'new' };
      await this.refresh();
      return true;
    } catch (e) {
      this.error = toFailure(e);
      return false;
    }
  }

  reply(message: ChatMessage): void {
    this.mode = { kind: 'reply', message };
    this.draft = { text: '', seq: (this.draft?.seq ?? 0) + 1 };
  }

  startEdit(message: ChatMessage): void {
    this.mode = { kind: 'edit', message };
    this.draft = { text: message.body, seq: (this.draft?.seq ?? 0) + 1 };
  }

  /** A failed item's "Edit": its text goes back to the composer, sending retries it. */
  editFailed(message: ChatMessage): void {
    this.mode = { kind: 'retry', message };
    this.draft = { text: message.body, seq: (this.draft?.seq ?? 0) + 1 };
  }

  cancelMode(): void {
    if (this.mode.kind === 'edit' || this.mode.kind === 'retry') {
      this.draft = { text: '', seq: (this.draft?.seq ?? 0) + 1 };
    }
    this.mode = { kind: 'new' };
  }

  async retry(message: ChatMessage): Promise<void> {
    await this.act(() => ipc.retry(message.client_key, null));
  }

  async discard(message: ChatMessage): Promise<void> {
    await this.act(() => ipc.discard(message.client_key));
  }

  /** Sets the person's reaction to a message, or takes it back (null); shown at once. */
  async react(message: ChatMessage, emoji: string | null): Promise<void> {
    if (message.id === null) return;
    await this.act(() => ipc.react(Number(message.id), emoji));
  }

  async remove(message: ChatMessage): Promise<void> {
    if (message.id === null) return;
    await this.act(() => ipc.deleteMessage(Number(message.id)));
  }

  private async act(run: () => Promise<unknown>): Promise<void> {
    this.error = null;
    try {
      await run();
      await this.refresh();
    } catch (e) {
      this.error = toFailure(e);
    }
  }
}

/** The app's one open-chat state. */
export const timeline = new Timeline();
