// The Inspection's console: the applications for admin rights (from the cache, offline
// too), a search of the houses by address (cached: the Inspection has every house), a
// transfer of a house to another organisation, and the city's figures. Staff and chairs
// apply for a chat's rights from here too.
import { ipc, type AdminApplication, type CityStats, type HouseHit, type ModEntry, type Org, type Transferred } from '../ipc';
import { toFailure, type Failure } from '../signin/session.svelte';

class Governance {
  applications = $state.raw<AdminApplication[]>([]);
  /** Appeals against moderators waiting for the Inspection's answer. */
  appeals = $state.raw<ModEntry[]>([]);
  showDecided = $state(false);
  hits = $state.raw<HouseHit[]>([]);
  orgs = $state.raw<Org[]>([]);
  city = $state.raw<CityStats | null>(null);
  transferred = $state.raw<Transferred | null>(null);
  /** The application just decided, said once above the queue. */
  decided = $state.raw<AdminApplication | null>(null);
  error = $state<Failure | null>(null);
  busy = $state(false);

  async load(): Promise<void> {
    try {
      this.applications = await ipc.applications(!this.showDecided);
      this.appeals = await ipc.openAppeals();
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  async loadCity(): Promise<void> {
    try {
      this.city = await ipc.cityStats();
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  async loadOrgs(): Promise<void> {
    if (this.orgs.length > 0) return;
    try {
      this.orgs = await ipc.orgs();
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  async search(query: string): Promise<void> {
    try {
      this.hits = query.trim() ? await ipc.searchHouses(query, 30) : [];
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  private async run<T>(work: () => Promise<T>): Promise<T | null> {
    this.error = null;
    this.busy = true;
    try {
      return await work();
    } catch (e) {
      this.error = toFailure(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  async decide(id: number, grant: boolean, reason: string | null): Promise<boolean> {
    const done = await this.run(() => ipc.decideApplication(id, grant, reason));
    this.decided = done;
    if (done) {
      await this.load();
      if (this.city) await this.loadCity();
    }
    return done !== null;
  }

  async transfer(houseId: number, orgId: number, from: string, grant: boolean): Promise<boolean> {
    const done = await this.run(() => ipc.transferHouse(houseId, orgId, from, grant));
    this.transferred = done;
    if (done) this.hits = [];
    return done !== null;
  }

  async answer(entryId: number, text: string): Promise<boolean> {
    const done = await this.run(() => ipc.answerAppeal(entryId, text));
    if (done) this.appeals = await ipc.openAppeals();
    return done !== null;
  }

  async apply(communityId: number, details: string | null): Promise<boolean> {
    return (await this.run(() => ipc.applyForRights(communityId, details))) !== null;
  }

  reset(): void {
    this.applications = [];
    this.appeals = [];
    this.hits = [];
    this.city = null;
    this.transferred = null;
    this.error = null;
  }
}

export const governance = new Governance();
