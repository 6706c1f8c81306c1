import { describe, expect, it } from 'vitest';
import type { BillView, ChargeLine } from '../ipc';
import { byService, methodWords } from './bills.svelte';

const line = (service: string, payable: number, over: Partial<ChargeLine> = {}): ChargeLine => ({
  service,
  unit: 'м³',
  volume: '1',
  volume_method: 'meter',
  common_volume: '0',
  common_method: 'none',
  rate: payable,
  accrued: payable,
  recalculation: 0,
  discount: 0,
  factor: '1',
  payable,
  unread_periods: 0,
  ...over,
});

const bill = (period: string, charges: ChargeLine[]): BillView => {
  const total = charges.reduce((s, l) => s + Number(l.payable), 0);
  return {
    bill: {
      id: 1,
      account_id: 1,
      period,
      issued_on: `${period}-28`,
      payer: { name: '', address: '', account: '', els: '', persons_registered: 1, total_area: 0, living_area: 0 },
      provider: null,
      readings: [],
      charges,
      reference: { tariffs: [], norms: [], collective_cold_water: null },
      instalments: [],
      recalculations: [],
      debt: 0,
      paid: 0,
      penalties: 0,
      total,
    },
    charges: total,
    change: null,
    adds_up: true,
  };
};

describe('methodWords', () => {
  it('says the norm came from missing readings only when they were missing', () => {
    expect(methodWords(line('ХВС', 1, { volume_method: 'norm', unread_periods: 4 }))).toEqual({
      key: 'bills.method.norm_unread',
      params: { n: 4 },
    });
    expect(methodWords(line('ТКО', 1, { volume_method: 'norm' })).key).toBe('bills.method.norm');
    expect(methodWords(line('ХВС', 1, { volume_method: 'average', unread_periods: 2 })).key).toBe('bills.method.average');
  });
});

describe('byService', () => {
  it('stacks each month by service, oldest first, joining the electricity zones', () => {
    const list = [
      bill('2026-10', [line('Электроэнергия (день, Т1)', 300), line('Электроэнергия (ночь, Т2)', 100), line('ХВС', 50)]),
      bill('2026-09', [line('ХВС', 40)]),
    ];
    const chart = byService(list);
    expect(chart.periods).toEqual(['2026-09', '2026-10']);
    expect(chart.services).toEqual([
      { service: 'ХВС', amounts: [40, 50] },
      { service: 'Электроэнергия', amounts: [0, 400] },
    ]);
    expect(chart.max).toBe(450);
  });

  it('keeps the last 24 months only', () => {
    const list = Array.from({ length: 30 }, (_, i) => bill(`20${String(30 - i).padStart(2, '0')}-01`, [line('ХВС', i)]));
    expect(byService(list).periods.length).toBe(24);
  });
});
