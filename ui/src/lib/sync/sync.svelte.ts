// Where syncing stands, from the shell's `sync` events: progress, live, or offline.
import { ipc, type Event } from '../ipc';

type SyncEvent = Extract<Event, { type: 'sync' }>;

class Sync {
  state = $state<'unknown' | 'syncing' | 'live' | 'offline'>('unknown');
  done = $state(0);
  total = $state(0);
  retryInMs = $state(0);
  reason = $state('');
  /** When the offline state began to be shown, for the countdown. */
  since = $state(0);

  /** Shows a progress bar only for a sync that knows its size (the first one, mostly). */
  showProgress = $derived(this.state === 'syncing' && this.total > 0 && this.done < this.total);

  apply(e: SyncEvent): void {
    if (e.state === 'syncing') {
      this.state = 'syncing';
      this.done = Number(e.done);
      this.total = Number(e.total);
    } else if (e.state === 'live') {
      this.state = 'live';
      this.done = 0;
      this.total = 0;
    } else if (e.state === 'offline') {
      this.state = 'offline';
      this.retryInMs = Number(e.retry_in_ms);
      this.reason = e.reason;
      this.since = Date.now();
    }
  }

  async retryNow(): Promise<void> {
    this.state = 'syncing';
    this.total = 0;
    try {
      await ipc.syncNow();
    } catch {
      // the next sync event says how it went
    }
  }

  reset(): void {
    this.state = 'unknown';
    this.done = 0;
    this.total = 0;
  }
}

/** The app's one sync state. */
export const sync = new Sync();
