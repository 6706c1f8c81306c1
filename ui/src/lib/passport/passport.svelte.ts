// The house passport panel: the registry's data on the open chat's house.
import { ipc, type House } from '../ipc';
import { toFailure, type Failure } from '../signin/session.svelte';

class Passport {
  open = $state(false);
  house = $state<House | null>(null);
  houseId = $state<number | null>(null);
  loading = $state(false);
  error = $state<Failure | null>(null);

  async show(houseId: number | null): Promise<void> {
    this.open = true;
    if (houseId === null) {
      this.house = null;
      this.houseId = null;
      return;
    }
    if (houseId === this.houseId && this.house) return;
    this.houseId = houseId;
    this.loading = true;
    this.error = null;
    try {
      const house = await ipc.house(houseId);
      if (this.houseId === houseId) this.house = house;
    } catch (e) {
      this.error = toFailure(e);
    } finally {
      this.loading = false;
    }
  }

  close(): void {
    this.open = false;
  }

  toggle(houseId: number | null): void {
    if (this.open) this.close();
    else void this.show(houseId);
  }
}

/** The app's one passport panel state. */
export const passport = new Passport();
