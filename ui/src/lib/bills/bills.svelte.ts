// "Квитанции": the person's accounts in a house and each account's bills (ЕПД), from the
// cache (offline too). The core says each month's change and whether its figures add up.
import { ipc, type Account, type BillView, type ChargeLine } from '../ipc';
import { toFailure, type Failure } from '../signin/session.svelte';

class Bills {
  houseId = $state<number | null>(null);
  accounts = $state<Account[]>([]);
  accountId = $state<number | null>(null);
  list = $state<BillView[]>([]);
  /** The bill shown, by its period (`YYYY-MM`); the newest when none was picked. */
  period = $state<string | null>(null);
  loaded = $state(false);
  error = $state<Failure | null>(null);

  selected = $derived(this.list.find((b) => b.bill.period === this.period) ?? this.list[0] ?? null);

  async show(houseId: number): Promise<void> {
    if (houseId !== this.houseId) {
      this.reset();
      this.houseId = houseId;
    }
    try {
      const accounts = await ipc.accounts(houseId);
      if (this.houseId !== houseId) return;
      this.accounts = accounts;
      if (!accounts.some((a) => a.id === this.accountId)) this.accountId = accounts[0]?.id ?? null;
      this.error = null;
    } catch (e) {
      this.error = toFailure(e);
    }
    await this.refresh();
  }

  /** Re-reads the shown account's bills (after a sync brought new ones). */
  async refresh(accountId: number | null = this.accountId): Promise<void> {
    if (accountId === null || accountId !== this.accountId) {
      this.loaded = true;
      return;
    }
    try {
      const list = await ipc.bills(accountId);
      if (this.accountId === accountId) this.list = list;
      this.error = null;
    } catch (e) {
      this.error = toFailure(e);
    } finally {
      this.loaded = true;
    }
  }

  async pickAccount(accountId: number): Promise<void> {
    this.accountId = accountId;
    this.list = [];
    this.period = null;
    this.loaded = false;
    await this.refresh();
  }

  pick(period: string): void {
    this.period = period;
  }

  reset(): void {
    this.houseId = null;
    this.accounts = [];
    this.accountId = null;
    this.list = [];
    this.period = null;
    this.loaded = false;
    this.error = null;
  }
}

/** The app's one bills state. */
export const bills = new Bills();

/** The locale key and values that word how a line's own volume was found. */
export function methodWords(line: ChargeLine): { key: string; params: Record<string, number> } {
  const n = Number(line.unread_periods);
  if (line.volume_method === 'norm' && n > 0) return { key: 'bills.method.norm_unread', params: { n } };
  return { key: `bills.method.${line.volume_method}`, params: { n } };
}

/** Totals by service over the last `months` bills, oldest first, for a stacked chart. */
export function byService(
  list: BillView[],
  months = 24,
): { periods: string[]; services: { service: string; amounts: number[] }[]; max: number } {
  const shown = list.slice(0, months).reverse();
  const services: { service: string; amounts: number[] }[] = [];
  shown.forEach((v, i) => {
    for (const l of v.bill.charges) {
      // The two electricity zones are one service on the chart.
      const service = l.service.replace(/\s*\(.*\)$/, '');
      let s = services.find((x) => x.service === service);
      if (!s) {
        s = { service, amounts: shown.map(() => 0) };
        services.push(s);
      }
      s.amounts[i] += Number(l.payable);
    }
  });
  const max = Math.max(1, ...shown.map((_, i) => services.reduce((sum, s) => sum + Math.max(0, s.amounts[i]), 0)));
  return { periods: shown.map((v) => v.bill.period), services, max };
}
