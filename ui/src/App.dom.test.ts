// @vitest-environment happy-dom
// The whole UI in a DOM over stand-ins for the shell's commands: sign in as a demo person,
// see the chat list with a join offer, open the chat, search, open the passport.
import { flushSync, mount, tick, unmount } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ChatMessage, Event as ShellEvent } from './lib/ipc';

let handler: ((e: ShellEvent) => void) | null = null;
let signedIn = false;
const joined: number[] = [];
const notifyWords: { app: string; emergency: string }[] = [];

function message(id: number): ChatMessage {
  return {
    id,
    client_key: `k${id}`,
    community_id: 11,
    author_id: id % 3,
    author_name: `Житель ${id}`,
    author_flat: '12',
    author_role: id === 3 ? 'chair' : 'resident',
    body: `Сообщение ${id}`,
    reply_to: null,
    created_at: new Date(Date.UTC(2026, 10, 20, 9, id)).toISOString(),
    edited_at: null,
    deleted_at: null,
    pinned_at: null,
    deleted_reason: null,
    for_houses: [],
    reactions: [],
    state: 'sent',
    notice_id: null,
    ticket_id: null,
    error: null,
  };
}

/** A bill of one line whose volume came by `method`; `change` from the month before. */
function bill(period: string, total: number, method: 'meter' | 'average', unread: number, change: number | null) {
  const line = {
    service: 'Холодное водоснабжение', unit: 'м³', volume: '8.840', volume_method: method, common_volume: '0.095', common_method: 'norm',
    rate: 3850, accrued: total, recalculation: 0, discount: 0, factor: '1', payable: total, unread_periods: unread,
  };
  return {
    bill: {
      id: period === '2026-10' ? 2 : 1, account_id: 8, period, issued_on: `${period}-28`,
      payer: { name: 'Сафина Алсу Ринатовна', address: 'Казань, ул. Баумана, 1, кв. 12', account: '10001001', els: '1610000011', persons_registered: 2, total_area: 5400, living_area: 3100 },
      provider: null, readings: [], charges: [line], reference: { tariffs: [], norms: [], collective_cold_water: null },
      instalments: [], recalculations: [], debt: 0, paid: 0, penalties: 0, total,
    },
    charges: total,
    change,
    adds_up: true,
  };
}

vi.mock('./lib/ipc', () => ({
  inTauri: () => true,
  onEvent: async (h: (e: ShellEvent) => void) => {
    handler = h;
    return () => {};
  },
  IpcError: class extends Error {},
  ipc: {
    sessionState: async () => (signedIn ? { id: 1, oid: 'o', name: 'Сафина Алсу Ринатовна', trusted: true, staff_role: null } : null),
    demoPersons: async () => [{ key: 'resident', name: 'Сафина Алсу Ринатовна', description: 'Собственник квартиры' }],
    loginDemo: async () => {
      signedIn = true;
      return { id: 1, oid: 'o', name: 'Сафина Алсу Ринатовна', trusted: true, staff_role: null };
    },
    syncNow: async () => null,
    chatList: async () => [
      { community_id: 11, kind: 'house_chat', title: 'ул. Баумана, 1', house_id: 5, address: 'Казань, ул. Баумана, 1', role: 'resident', official: true, opened_by: null, unread: 2, last_at: new Date().toISOString(), last_text: 'Сообщение 9', muted: false },
    ],
    openableHouses: async () => [],
    offers: async () => [{ community_id: 12, title: 'пр. Победы, 7', house_id: 6, address: 'Казань, пр. Победы, 7' }],
    join: async (id: number) => {
      joined.push(id);
      return null;
    },
    setChatInView: async () => null,
    setNotifyWords: async (words: { app: string; emergency: string }) => {
      notifyWords.push(words);
      return null;
    },
    messages: async (_c: number, before: number | null, limit: number) => {
      const out: ChatMessage[] = [];
      for (let id = before === null ? 9 : before - 1; id > 0 && out.length < limit; id--) out.push(message(id));
      return out;
    },
    markRead: async () => null,
    pins: async () => [{ message_id: 3, author_name: 'Гарипов Ильдар Рустамович', body: 'Правила чата', pinned_at: new Date().toISOString() }],
    modLog: async () => [],
    polls: async () => [],
    meters: async () => [
      {
        device: {
          id: 31, house_id: 5, premises_id: 7, serial: 'ХВ-001', model: 'СВК-15', resource: 'cold_water', kind: 'apartment', zones: 1,
          installed_on: '2022-01-10', commissioned_on: '2022-01-12', verified_on: '2022-01-10', verification_years: 6, seal: 'П-1', replaced_by: null,
        },
        address: 'Казань, ул. Баумана, 1',
        last: { id: 90, device_id: 31, period: '2026-10', taken_on: '2026-10-20', t1: '123.5', t2: null, t3: null, source: 'resident', entered_at: '', replaces: null },
        today: '2026-11-22', window_from: 15, window_to: 25, days_left: 4, next_from: null, submitted_this_period: false,
        verification_expires: '2028-01-10', verification_days_left: 779, replaced_by: null,
      },
    ],
    notices: async () => [
      {
        notice: {
          id: 41, house_id: 5, kind: 'outage', outage_type: 'pause', service: 4, title: 'Отключение электроэнергии', reason: 'Ремонт кабельной линии',
          starts_at: '2026-11-27T07:00:00Z', ends_at: '2026-11-27T11:00:00Z', org_id: 1, created_at: '2026-11-22T08:00:00Z', house_count: 1, preventive: false,
        },
        service: 'electricity',
        timezone: 'Europe/Moscow',
        when: 'upcoming',
        breach: { limit: 'once', allowed_minutes: 120, actual_minutes: 240, month: '2026-11', item: 9 },
      },
    ],
    checkReading: async (_d: number, t1: string) => {
      if (Number(t1) < 123.5) {
        const { IpcError } = await import('./lib/ipc');
        const params = { zone: '1', value: t1, previous: '123.5' };
        // The mocked class keeps only the message: the fields are set as the shell's would be.
        throw Object.assign(new IpcError('invalid', 'below', 'reading_below_previous', params), {
          kind: 'invalid',
          code: 'reading_below_previous',
          params,
        });
      }
      return null;
    },
    accounts: async () => [
      { id: 8, number: '10001001', els: '1610000011', premises_id: 7, house_id: 5, premises_number: '12', persons_registered: 2, total_area: 5400, living_area: 3100 },
    ],
    bills: async () => [bill('2026-10', 512_345, 'average', 2, 13_000), bill('2026-09', 499_345, 'meter', 0, null)],
    search: async () => [
      { message_id: 4, community_id: 11, title: 'ул. Баумана, 1', author_name: 'Житель 4', created_at: new Date().toISOString(), snippet: [['Сообщение ', false], ['4', true]] },
    ],
    house: async () => null,
    repairs: async () => [{ id: 3, house_id: 5, work: 'Ремонт крыши', year_from: 2027, year_to: 2028, status: 'planned' }],
  },
}));

const App = (await import('./App.svelte')).default;

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
    await tick();
  }
}

describe('App', () => {
  it('signs in, lists chats and offers, opens the chat, searches, shows the passport', async () => {
    const app = mount(App, { target: document.body });
    await settle();
    expect(document.querySelector('[data-testid="signin"]')).not.toBeNull();
    (document.querySelector('[data-testid="demo-person-resident"]') as HTMLButtonElement).click();
    await settle();

    expect(document.querySelector('[data-testid="chat-list-item-11"]')).not.toBeNull();
    expect(document.querySelector('[data-testid="unread-11"]')?.textContent).toBe('2');
    expect(document.querySelector('[data-testid="message-9"]')?.getAttribute('data-state')).toBe('sent');
    expect(document.querySelector('[data-testid="composer-input"]')).not.toBeNull();
    // The newest pin heads the chat; a resident is offered no unpin.
    expect(document.querySelector('[data-testid="pinned-text"]')?.textContent).toContain('Правила чата');
    expect(document.querySelector('[data-testid="pinned-unpin"]')).toBeNull();

    (document.querySelector('[data-testid="offer-join-12"]') as HTMLButtonElement).click();
    await settle();
    expect(joined).toEqual([12]);
    // The shell words notifications in the UI's language.
    expect(notifyWords.at(-1)?.emergency).toBe('Аварийная заявка');

    handler?.({ type: 'sync', state: 'offline', retry_in_ms: 1000, reason: 'down' });
    await settle();
    expect(document.querySelector('[data-testid="offline-banner"]')).not.toBeNull();
    handler?.({ type: 'sync', state: 'syncing', done: 10, total: 100 });
    await settle();
    expect(document.querySelector('[data-testid="offline-banner"]')).toBeNull();
    expect(document.querySelector('[data-testid="sync-progress"]')).not.toBeNull();

    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true }));
    await settle();
    const input = document.querySelector<HTMLInputElement>('[data-testid="search-input"]')!;
    input.value = '4';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 200));
    await settle();
    const hit = document.querySelector('[data-testid="search-result"]')!;
    expect(hit.getAttribute('data-message-id')).toBe('4');
    expect(hit.querySelector('mark')?.textContent).toBe('4');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle();
    expect(document.querySelector('[data-testid="search-input"]')).toBeNull();

    (document.querySelector('[data-testid="nav-passport"]') as HTMLButtonElement).click();
    await settle();
    expect(document.querySelector('[data-testid="passport"]')).not.toBeNull();

    // The house's meters: the window in words, and the rules' verdict as the person types.
    (document.querySelector('[data-testid="nav-meters"]') as HTMLButtonElement).click();
    await settle();
    const card = document.querySelector('[data-testid="meter-31"]')!;
    expect(card.querySelector('[data-testid="meter-window"]')?.textContent).toContain('осталось 4 дня');
    const field = card.querySelector<HTMLInputElement>('[data-testid="reading-t1"]')!;
    field.value = '120';
    field.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 350));
    await settle();
    expect(card.querySelector('[data-testid="reading-verdict"]')?.textContent).toContain('меньше прошлого показания 123.5');

    // The house's notices: a coming outage over its limit is flagged with what to claim.
    (document.querySelector('[data-testid="nav-notices"]') as HTMLButtonElement).click();
    await settle();
    await settle();
    const flag = document.querySelector('[data-testid="notice-41"] [data-testid="notice-breach"]');
    expect(flag?.textContent).toContain('4 ч подряд при норме 2 ч');
    expect(flag?.textContent).toContain('перерасчёта');
    // Beside them, the house's capital-repair plan.
    expect(document.querySelector('[data-testid="repair-3"]')?.textContent).toContain('2027–2028');
    expect(document.querySelector('[data-testid="repair-3"]')?.textContent).toContain('запланировано');

    // The bills: by month with the change; the line billed by the average says why.
    (document.querySelector('[data-testid="nav-bills"]') as HTMLButtonElement).click();
    await settle();
    await settle();
    const october = document.querySelector('[data-testid="bill-month-2026-10"]')!;
    expect(october.getAttribute('aria-current')).toBe('true');
    expect(october.textContent).toContain('к прошлому месяцу');
    expect(document.querySelector('[data-testid="bill-method"]')?.textContent).toContain('по среднему за 6 месяцев: показания не поданы (2-й месяц подряд)');
    (document.querySelector('[data-testid="bill-month-2026-09"]') as HTMLButtonElement).click();
    await settle();
    expect(document.querySelector('[data-testid="bill"]')?.getAttribute('data-period')).toBe('2026-09');
    expect(document.querySelector('[data-testid="bill-method"]')?.textContent).toContain('по показаниям счётчика');
    unmount(app);
  });
});
