// The pure parts of the tickets' screens: how long is left to a deadline, which places need
// which numbers, the categories that can be emergencies. Unit-tested; the rules themselves
// are the core's, which checks every ticket before it is queued.
import type { TicketCategory, TicketPlace, TicketProblem, TicketStatus } from '../ipc';

export const CATEGORIES: TicketCategory[] = [
  'leak',
  'heating',
  'electricity',
  'sewage',
  'lift',
  'garbage_chute',
  'cleaning',
  'roof',
  'door_glass',
  'other',
];

export const PLACES: TicketPlace[] = ['flat', 'entrance', 'floor', 'lift', 'yard', 'roof', 'basement', 'other'];

export const STATUSES: TicketStatus[] = ['new', 'accepted', 'in_work', 'done', 'rejected', 'withdrawn'];

/** Categories the deadline table knows as emergencies (DOMAIN.md: 30 minutes). */
export const EMERGENCY_CATEGORIES: TicketCategory[] = ['leak', 'heating', 'electricity', 'sewage'];

/** The problems that pick a deadline within a category. */
export function problemsOf(category: TicketCategory): TicketProblem[] {
  if (category === 'leak') return ['burst', 'tap', 'from_above'];
  if (category === 'door_glass') return ['door', 'glass'];
  return [];
}

/** Which numbers a place needs. */
export function placeNeeds(place: TicketPlace): { entrance: boolean; floor: boolean } {
  return { entrance: place === 'entrance' || place === 'floor' || place === 'lift', floor: place === 'floor' };
}

/** What is left to a deadline: minutes (negative when past), and how to say it. */
export interface Left {
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
}

export function timeLeft(deadline: string, now: Date): Left {
  const ms = new Date(deadline).getTime() - now.getTime();
  const total = Math.floor(Math.abs(ms) / 60000);
  return {
    overdue: ms < 0,
    days: Math.floor(total / 1440),
    hours: Math.floor((total % 1440) / 60),
    minutes: total % 60,
  };
}

/** Whether a status is closed (no deadline counts). */
export function isClosed(status: TicketStatus): boolean {
  return status === 'done' || status === 'rejected' || status === 'withdrawn';
}
