// The dispatcher's queue: one filter over every house of the organisation, paged from the
// cache in chunks as the list scrolls (the core filters and counts on indexed columns), the
// cursor and selection for the keyboard, and saved filters kept on this machine.
import { t } from '../i18n/i18n.svelte';
import {
  ipc,
  type ExportedFile,
  type ExportFormat,
  type House,
  type QueueRow,
  type StatusCount,
  type TicketDetail,
  type TicketQuery,
} from '../ipc';
import { EXPORT_COLUMNS } from '../ipc/bindings/constants';
import { toFailure, type Failure } from '../signin/session.svelte';
import { CATEGORIES, PLACES, STATUSES } from './words';

/** The words of an exported workbook in the person's language. */
export function exportWords(): Record<string, string> {
  const words: Record<string, string> = { sheet: t('export.sheet'), file: t('export.file'), yes: t('export.yes') };
  for (const c of EXPORT_COLUMNS) words[`col.${c}`] = t(`export.col.${c}`);
  for (const s of STATUSES) words[`status.${s}`] = t(`ticket.status.${s}`);
  for (const c of CATEGORIES) words[`category.${c}`] = t(`ticket.cat.${c}`);
  for (const p of PLACES) words[`place.${p}`] = t(`ticket.place.${p}`);
  return words;
}

/** Rows fetched at once. */
export const CHUNK = 100;
/** The height of a queue line, in pixels (the list is virtual, so lines are all alike). */
export const ROW_HEIGHT = 64;

export function emptyQuery(): TicketQuery {
  return {
    statuses: [],
    categories: [],
    houses: [],
    entrance: null,
    overdue: false,
    due_within_hours: null,
    assignee: null,
    from: null,
    to: null,
    text: null,
    offset: 0,
    limit: CHUNK,
  };
}

export interface SavedFilter {
  name: string;
  query: TicketQuery;
}

const SAVED_KEY = 'domkom.desk.filters';

class Desk {
  query = $state<TicketQuery>(emptyQuery());
  total = $state(0);
  counts = $state<StatusCount[]>([]);
  overdue = $state(0);
  /** The rows by position; a hole is a chunk not fetched yet. */
  rows = $state<(QueueRow | undefined)[]>([]);
  cursor = $state(0);
  selected = $state<Set<number>>(new Set());
  houses = $state<House[]>([]);
  detail = $state<TicketDetail | null>(null);
  error = $state<Failure | null>(null);
  loaded = $state(false);
  saved = $state<SavedFilter[]>([]);
  now = $state(new Date());
  /** The last export written. */
  exported = $state<ExportedFile | null>(null);
  private version = 0;
  /** The server's clock minus this machine's, in milliseconds. */
  private offset = 0;
  private inflight = new Set<number>();

  async init(): Promise<void> {
    try {
      this.saved = JSON.parse(localStorage.getItem(SAVED_KEY) ?? '[]') as SavedFilter[];
    } catch {
      this.saved = [];
    }
    this.houses = await ipc.houses().catch(() => []);
    await this.reload();
  }

  /** Runs the filter again from the top (a new filter, or the cache changed). */
  async reload(keepCursor = false): Promise<void> {
    const version = ++this.version;
    this.inflight.clear();
    try {
      const page = await ipc.ticketQueue({ ...this.query, offset: 0, limit: CHUNK });
      if (version !== this.version) return;
      this.offset = Date.parse(page.now) - Date.now();
      this.total = page.total;
      this.counts = page.counts;
      this.overdue = page.overdue;
      const rows = new Array<QueueRow | undefined>(page.total);
      page.rows.forEach((r, i) => (rows[i] = r));
      this.rows = rows;
      if (!keepCursor) this.cursor = 0;
      this.cursor = Math.min(this.cursor, Math.max(0, page.total - 1));
      this.error = null;
    } catch (e) {
      this.error = toFailure(e);
    } finally {
      this.loaded = true;
      this.tick();
    }
  }

  /** Makes sure the rows in `[start, end)` are fetched. */
  async ensure(start: number, end: number): Promise<void> {
    const version = this.version;
    for (let chunk = Math.floor(start / CHUNK); chunk * CHUNK < Math.min(end, this.total); chunk++) {
      const offset = chunk * CHUNK;
      if (this.rows[offset] !== undefined || this.inflight.has(offset)) continue;
      this.inflight.add(offset);
      try {
        const page = await ipc.ticketQueue({ ...this.query, offset, limit: CHUNK });
        if (version !== this.version) return;
        const rows = this.rows.slice();
        page.rows.forEach((r, i) => (rows[offset + i] = r));
        this.rows = rows;
      } catch (e) {
        this.error = toFailure(e);
      } finally {
        this.inflight.delete(offset);
      }
    }
  }

  /** Moves the desk's clock on (the server's time, as of the last read). */
  tick(): void {
    this.now = new Date(Date.now() + this.offset);
  }

  set(patch: Partial<TicketQuery>): void {
    this.query = { ...this.query, ...patch };
    this.selected = new Set();
    void this.reload();
  }

  async open(index: number): Promise<void> {
    const row = this.rows[index];
    if (!row) return;
    this.cursor = index;
    try {
      this.detail = await ipc.ticket(Number(row.id));
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  /** Opens a ticket by its number (from a chat message that names it). */
  async openTicket(id: number): Promise<void> {
    try {
      this.detail = await ipc.ticket(id);
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  async refreshDetail(): Promise<void> {
    const id = this.detail?.view.ticket.id;
    if (id === undefined) return;
    this.detail = await ipc.ticket(Number(id)).catch(() => this.detail);
  }

  /** Writes the whole filter to a file in Downloads. */
  async export(format: ExportFormat): Promise<void> {
    this.exported = null;
    try {
      this.exported = await ipc.exportTickets({ ...this.query, offset: 0, limit: 0 }, format, exportWords());
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  toggle(id: number): void {
    const next = new Set(this.selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.selected = next;
  }

  save(name: string): void {
    const trimmed = name.trim();
    if (trimmed === '') return;
    this.saved = [...this.saved.filter((s) => s.name !== trimmed), { name: trimmed, query: { ...this.query, offset: 0 } }];
    localStorage.setItem(SAVED_KEY, JSON.stringify(this.saved));
  }

  apply(saved: SavedFilter): void {
    this.query = { ...emptyQuery(), ...saved.query };
    void this.reload();
  }

  forget(name: string): void {
    this.saved = this.saved.filter((s) => s.name !== name);
    localStorage.setItem(SAVED_KEY, JSON.stringify(this.saved));
  }

  reset(): void {
    this.query = emptyQuery();
    this.rows = [];
    this.total = 0;
    this.detail = null;
    this.selected = new Set();
    this.loaded = false;
  }
}

/** The app's one desk. */
export const desk = new Desk();
