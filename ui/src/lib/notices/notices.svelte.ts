// A house's notices from the cache (offline too): outages now, coming and past, each judged
// against the limits of regulation 354 by the core.
import { ipc, type NoticeView } from '../ipc';
import { toFailure, type Failure } from '../signin/session.svelte';

class Notices {
  houseId = $state<number | null>(null);
  list = $state<NoticeView[]>([]);
  loaded = $state(false);
  error = $state<Failure | null>(null);

  async show(houseId: number | null): Promise<void> {
    if (houseId !== this.houseId) {
      this.houseId = houseId;
      this.list = [];
      this.loaded = false;
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const houseId = this.houseId;
    if (houseId === null) return;
    try {
      const list = await ipc.notices(houseId);
      if (this.houseId === houseId) this.list = list;
      this.error = null;
    } catch (e) {
      this.error = toFailure(e);
    } finally {
      this.loaded = true;
    }
  }

  reset(): void {
    this.houseId = null;
    this.list = [];
    this.loaded = false;
    this.error = null;
  }
}

/** The app's one notices state. */
export const notices = new Notices();
