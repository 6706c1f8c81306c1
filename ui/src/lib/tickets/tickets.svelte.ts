// A house's tickets for a resident, and the open ticket, from the cache (offline too); the
// writes go through the core's checks and outbox, and the events bring the answers back.
import { ipc, type House, type PendingTicket, type TicketDetail, type TicketView, type Written } from '../ipc';
import { toFailure, type Failure } from '../signin/session.svelte';

/** A write's outcome as the UI says it: sent, waiting for the link, or refused. */
export function outcome(written: Written): { state: 'sent' | 'queued' } | { state: 'refused'; failure: Failure } {
  const w = written.waiting;
  if (!w) return { state: 'sent' };
  if (w.state === 'failed') {
    return { state: 'refused', failure: { kind: 'refused', code: w.error_code, params: w.error_params, message: w.error_message ?? '' } };
  }
  return { state: 'queued' };
}

class Tickets {
  houseId = $state<number | null>(null);
  list = $state<TicketView[]>([]);
  pending = $state<PendingTicket[]>([]);
  loaded = $state(false);
  error = $state<Failure | null>(null);
  /** The open ticket. */
  openId = $state<number | null>(null);
  detail = $state<TicketDetail | null>(null);
  /** A chat message to make a ticket of, waiting for the form to open. */
  prefill = $state<{ houseId: number; body: string; messageId: number } | null>(null);
  /** The person's houses by id: addresses, entrances, floors and time zones. */
  houses = $state<Map<number, House>>(new Map());
  /** The clock the countdowns read: the server's (as of the last read), ticking each half
   *  minute while a view is open. */
  now = $state(new Date());
  /** The server's clock minus this machine's, in milliseconds. */
  private offset = 0;

  async show(houseId: number | null): Promise<void> {
    if (houseId !== this.houseId) {
      this.houseId = houseId;
      this.list = [];
      this.loaded = false;
      this.openId = null;
      this.detail = null;
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const houseId = this.houseId;
    try {
      const [list, pending, houses] = await Promise.all([ipc.tickets(houseId), ipc.pendingTickets(), ipc.houses()]);
      if (this.houseId !== houseId) return;
      this.houses = new Map(houses.map((h) => [Number(h.id), h]));
      if (list[0]) this.offset = Date.parse(list[0].now) - Date.now();
      this.list = list;
      this.pending = pending.filter((p) => houseId === null || Number(p.house_id) === houseId);
      this.error = null;
      if (this.openId !== null) await this.loadDetail(this.openId);
    } catch (e) {
      this.error = toFailure(e);
    } finally {
      this.loaded = true;
      this.tick();
    }
  }

  /** A refused ticket: sent again as it was, or dropped. */
  async settle(clientKey: string, how: 'retry' | 'discard'): Promise<void> {
    try {
      if (how === 'retry') await ipc.retry(clientKey, null);
      else await ipc.discard(clientKey);
    } catch (e) {
      this.error = toFailure(e);
    }
    await this.refresh();
  }

  async open(id: number | null): Promise<void> {
    this.openId = id;
    this.detail = null;
    if (id !== null) await this.loadDetail(id);
  }

  private async loadDetail(id: number): Promise<void> {
    try {
      const detail = await ipc.ticket(id);
      if (this.openId === id) this.detail = detail;
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  /** Takes the message waiting to become a ticket of this house, if any. */
  takePrefill(houseId: number): { body: string; messageId: number } | null {
    const p = this.prefill;
    if (!p || p.houseId !== houseId) return null;
    this.prefill = null;
    return { body: p.body, messageId: p.messageId };
  }

  /** A house's time zone (the deadlines are said in it). */
  zone(houseId: number | bigint): string | undefined {
    return this.houses.get(Number(houseId))?.timezone;
  }

  tick(): void {
    this.now = new Date(Date.now() + this.offset);
  }

  reset(): void {
    this.houseId = null;
    this.list = [];
    this.pending = [];
    this.loaded = false;
    this.error = null;
    this.openId = null;
    this.detail = null;
  }
}

/** The app's one tickets state. */
export const tickets = new Tickets();
