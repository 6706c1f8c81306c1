// Search across all cached chats (the shell's full-text index); typing searches as you go.
import { ipc, type SearchHit } from '../ipc';
import { toFailure, type Failure } from '../signin/session.svelte';

const LIMIT = 50;
const DEBOUNCE_MS = 150;

class Search {
  open = $state(false);
  query = $state('');
  results = $state<SearchHit[]>([]);
  busy = $state(false);
  searched = $state(false);
  error = $state<Failure | null>(null);
  /** Bumped to ask the input to take focus (Ctrl+K while already open). */
  focusSeq = $state(0);

  private timer: ReturnType<typeof setTimeout> | null = null;
  private seq = 0;

  show(): void {
    this.open = true;
    this.focusSeq++;
  }

  close(): void {
    this.open = false;
  }

  setQuery(q: string): void {
    this.query = q;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), DEBOUNCE_MS);
  }

  async run(): Promise<void> {
    const q = this.query.trim();
    const seq = ++this.seq;
    if (!q) {
      this.results = [];
      this.searched = false;
      return;
    }
    this.busy = true;
    try {
      const hits = await ipc.search(q, LIMIT);
      if (seq !== this.seq) return;
      this.results = hits;
      this.searched = true;
      this.error = null;
    } catch (e) {
      if (seq === this.seq) this.error = toFailure(e);
    } finally {
      if (seq === this.seq) this.busy = false;
    }
  }
}

/** The app's one search state. */
export const search = new Search();
