// The meters of the person's flats, read from the cache (offline too), and the readings
// the person enters: checked by the same rules as the server's as they type, then sent
// through the outbox.
import { ipc, type Meter, type Reading } from '../ipc';
import { toFailure, type Failure } from '../signin/session.svelte';

/** What became of a submitted reading. */
export type Outcome = 'sent' | 'queued' | 'refused';

class Meters {
  list = $state<Meter[]>([]);
  loaded = $state(false);
  error = $state<Failure | null>(null);
  /** Each meter's readings, newest first, once asked for. */
  history = $state<Record<number, Reading[]>>({});

  async load(): Promise<void> {
    try {
      this.list = await ipc.meters();
      this.error = null;
    } catch (e) {
      this.error = toFailure(e);
    } finally {
      this.loaded = true;
    }
  }

  /** The meters of the flats in one house. */
  ofHouse(houseId: number | null): Meter[] {
    return houseId === null ? [] : this.list.filter((m) => Number(m.device.house_id) === houseId);
  }

  async loadHistory(deviceId: number): Promise<void> {
    try {
      this.history[deviceId] = await ipc.meterReadings(deviceId);
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  /** After a change of the cache: the list again, and the histories shown. */
  async refresh(deviceId?: number): Promise<void> {
    await this.load();
    const shown = deviceId === undefined ? Object.keys(this.history).map(Number) : [deviceId];
    await Promise.all(shown.filter((id) => id in this.history).map((id) => this.loadHistory(id)));
  }

  /** The rules' verdict on what is typed: null when it passes. */
  async check(deviceId: number, zones: string[], confirm: boolean): Promise<Failure | null> {
    try {
      await ipc.checkReading(deviceId, zones[0] ?? '', zones[1] || null, zones[2] || null, confirm);
      return null;
    } catch (e) {
      return toFailure(e);
    }
  }

  /** Submits a reading; a refusal comes back as the failure to show. */
  async submit(deviceId: number, zones: string[], confirm: boolean): Promise<{ outcome: Outcome; failure: Failure | null }> {
    try {
      const written = await ipc.submitReading(deviceId, zones[0] ?? '', zones[1] || null, zones[2] || null, confirm);
      await this.refresh(deviceId);
      if (!written.waiting) return { outcome: 'sent', failure: null };
      if (written.waiting.state === 'failed') {
        const w = written.waiting;
        return {
          outcome: 'refused',
          failure: { kind: 'refused', code: w.error_code, params: w.error_params, message: w.error_message ?? '' },
        };
      }
      return { outcome: 'queued', failure: null };
    } catch (e) {
      return { outcome: 'refused', failure: toFailure(e) };
    }
  }

  reset(): void {
    this.list = [];
    this.history = {};
    this.loaded = false;
    this.error = null;
  }
}

/** The app's one meters state. */
export const meters = new Meters();

/** Month-by-month use from a meter's readings (the newest reading of each period), oldest
 * first: the difference of T1 (plus T2 and T3) from the month before, over the last `months`. */
export function monthlyUse(readings: Reading[], months = 24): { period: string; use: number }[] {
  const newest = new Map<string, Reading>();
  for (const r of readings) {
    const seen = newest.get(r.period);
    if (!seen || Number(r.id) > Number(seen.id)) newest.set(r.period, r);
  }
  const total = (r: Reading) => [r.t1, r.t2, r.t3].reduce((sum, v) => sum + (v ? Number(v) : 0), 0);
  const periods = [...newest.keys()].sort();
  const out: { period: string; use: number }[] = [];
  for (let i = 1; i < periods.length; i++) {
    const use = total(newest.get(periods[i])!) - total(newest.get(periods[i - 1])!);
    out.push({ period: periods[i], use: Math.max(0, Math.round(use * 1000) / 1000) });
  }
  return out.slice(-months);
}
