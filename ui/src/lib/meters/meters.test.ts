import { describe, expect, it } from 'vitest';
import type { Reading } from '../ipc';
import { monthlyUse } from './meters.svelte';

const r = (id: number, period: string, t1: string, t2: string | null = null): Reading => ({
  id,
  device_id: 1,
  period,
  taken_on: `${period}-20`,
  t1,
  t2,
  t3: null,
  source: 'resident',
  entered_at: '',
  replaces: null,
});

describe('monthlyUse', () => {
  it('is the difference from the month before, by the newest reading of each month', () => {
    const readings = [r(4, '2026-11', '130'), r(3, '2026-10', '125'), r(2, '2026-10', '121.5'), r(1, '2026-09', '100')];
    expect(monthlyUse(readings)).toEqual([
      { period: '2026-10', use: 25 },
      { period: '2026-11', use: 5 },
    ]);
  });

  it('adds the zones of a two-zone meter and keeps the last 24 months', () => {
    const many = Array.from({ length: 30 }, (_, i) => r(i + 1, `20${24 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, `${i * 10}`, `${i}`));
    const use = monthlyUse(many);
    expect(use).toHaveLength(24);
    expect(use.every((u) => u.use === 11)).toBe(true);
  });
});
