import { describe, expect, it } from 'vitest';
import { isClosed, placeNeeds, problemsOf, timeLeft } from './words';

describe('tickets words', () => {
  it('counts what is left to a deadline, and past it', () => {
    const now = new Date('2026-11-24T09:00:00Z');
    expect(timeLeft('2026-11-24T11:30:00Z', now)).toEqual({ overdue: false, days: 0, hours: 2, minutes: 30 });
    expect(timeLeft('2026-11-26T10:05:00Z', now)).toEqual({ overdue: false, days: 2, hours: 1, minutes: 5 });
    expect(timeLeft('2026-11-24T08:15:00Z', now)).toEqual({ overdue: true, days: 0, hours: 0, minutes: 45 });
  });

  it('asks for the numbers a place needs', () => {
    expect(placeNeeds('floor')).toEqual({ entrance: true, floor: true });
    expect(placeNeeds('lift')).toEqual({ entrance: true, floor: false });
    expect(placeNeeds('yard')).toEqual({ entrance: false, floor: false });
  });

  it('offers the problems that change a deadline', () => {
    expect(problemsOf('door_glass')).toEqual(['door', 'glass']);
    expect(problemsOf('lift')).toEqual([]);
    expect(isClosed('done') && !isClosed('in_work')).toBe(true);
  });
});
