// @vitest-environment happy-dom
// The timeline component in a DOM, over a 100,000-message history held by a stand-in for
// the shell's `messages` command: it renders a window of rows, never the history.
import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../ipc';

const TOTAL = 100_000;
const calls: Array<{ before: number | null; limit: number }> = [];
const reacted: Array<{ messageId: number; emoji: string | null }> = [];

function message(id: number): ChatMessage {
  return {
    id,
    client_key: `k${id}`,
    community_id: 1,
    author_id: id % 5,
    author_name: `Житель ${id % 5}`,
    author_flat: String(id % 120),
    author_role: id % 50 === 0 ? 'chair' : 'resident',
    body: id === TOTAL ? '<img src=x onerror="window.__xss=1"> https://uk.example.ru/a' : `Сообщение ${id}`,
    reply_to: null,
    created_at: new Date(Date.UTC(2026, 0, 1) + id * 60_000).toISOString(),
    edited_at: null,
    deleted_at: null,
    pinned_at: null,
    deleted_reason: null,
    for_houses: id === TOTAL - 1 ? ['ул. Нурихана Фаттаха, 10'] : [],
    // The newest message's first reaction is the person's own.
    reactions: id % 3 === 0 || id === TOTAL ? [{ emoji: '👍', count: (id % 4) + 1, mine: id === TOTAL }] : [],
    state: 'sent',
    notice_id: null,
    ticket_id: null,
    error: null,
  };
}

vi.mock('../ipc', () => ({
  ipc: {
    messages: async (_cid: number, before: number | null, limit: number) => {
      calls.push({ before, limit });
      const top = before === null ? TOTAL : before - 1;
      const out: ChatMessage[] = [];
      for (let id = top; id > 0 && out.length < limit; id--) out.push(message(id));
      return out;
    },
    markRead: async () => null,
    openLink: async () => null,
    react: async (messageId: number, emoji: string | null) => {
      reacted.push({ messageId, emoji });
      return { client_key: 'r', waiting: null };
    },
  },
  IpcError: class extends Error {},
}));

const { timeline } = await import('./timeline.svelte');
const Timeline = (await import('./Timeline.svelte')).default;

describe('Timeline in a DOM', () => {
  let app: ReturnType<typeof mount> | null = null;
  afterEach(() => {
    if (app) unmount(app);
    app = null;
    document.body.innerHTML = '';
  });

  it('keeps a 100,000-message chat to a few hundred nodes and shows HTML as text', async () => {
    await timeline.open(1, 0, 3);
    expect(calls[0]).toEqual({ before: null, limit: 100 });
    app = mount(Timeline, { target: document.body, props: { me: 3, canDelete: false } });
    flushSync();
    await tick();
    const root = document.querySelector('[data-testid="timeline"]');
    expect(root).not.toBeNull();
    const nodes = root!.querySelectorAll('*').length;
    expect(nodes).toBeGreaterThan(3);
    expect(nodes).toBeLessThan(300);
    expect(root!.querySelectorAll('article').length).toBeLessThanOrEqual(32);

    const newest = document.querySelector(`[data-testid="message-${TOTAL}"]`);
    expect(newest?.getAttribute('data-state')).toBe('sent');
    const body = newest!.querySelector('[data-testid="message-body"]')!;
    expect(body.querySelector('img')).toBeNull();
    expect(body.textContent).toContain('<img src=x onerror="window.__xss=1">');
    expect(body.querySelector('a')?.getAttribute('href')).toBe('https://uk.example.ru/a');
    expect((globalThis as { __xss?: number }).__xss).toBeUndefined();
    // the window sits at the bottom: the newest rows, not the first page's top
    expect(document.querySelector(`[data-testid="message-${TOTAL - 99}"]`)).toBeNull();
    console.info(`timeline DOM elements with ${TOTAL} messages in history: ${nodes}`);
  });

  it("shows reactions and whom a post is for, and a click on one's own takes it back", async () => {
    await timeline.open(1, 0, 3);
    app = mount(Timeline, { target: document.body, props: { me: 3, canDelete: false } });
    flushSync();
    await tick();
    const newest = document.querySelector(`[data-testid="message-${TOTAL}"]`)!;
    const chip = newest.querySelector<HTMLButtonElement>('[data-testid="reaction"]')!;
    expect(chip.getAttribute('aria-pressed')).toBe('true');
    expect(chip.textContent).toContain('👍');
    expect(chip.textContent).toContain(String((TOTAL % 4) + 1));
    chip.click();
    await tick();
    expect(reacted.at(-1)).toEqual({ messageId: TOTAL, emoji: null });
    const forOne = document.querySelector(`[data-testid="message-${TOTAL - 1}"] [data-testid="message-for-houses"]`);
    expect(forOne?.textContent).toContain('ул. Нурихана Фаттаха, 10');
  });

  it('lets a muted member take their reaction back but give none', async () => {
    await timeline.open(1, 0, 3);
    app = mount(Timeline, { target: document.body, props: { me: 3, canDelete: false, canReact: false } });
    flushSync();
    await tick();
    const theirs = document.querySelector<HTMLButtonElement>(`[data-testid="message-${TOTAL - 1}"] [data-testid="reaction"]`)!;
    expect(theirs.disabled).toBe(true);
    const newest = document.querySelector(`[data-testid="message-${TOTAL}"]`)!;
    newest.querySelector<HTMLButtonElement>('button.more')!.click();
    flushSync();
    await tick();
    expect(newest.querySelector('[role="menu"]')).not.toBeNull();
    expect(newest.querySelector('[data-testid="react-0"]')).toBeNull();
    const mine = newest.querySelector<HTMLButtonElement>('[data-testid="reaction"]')!;
    expect(mine.disabled).toBe(false);
    mine.click();
    await tick();
    expect(reacted.at(-1)).toEqual({ messageId: TOTAL, emoji: null });
  });

  it('pages back through history by `before`', async () => {
    calls.length = 0;
    await timeline.open(1, 0, 3);
    await timeline.loadOlder();
    expect(calls[1]).toEqual({ before: TOTAL - 99, limit: 100 });
    expect(timeline.messages.length).toBe(200);
    expect(timeline.messages[0].id).toBe(TOTAL - 199);
    await timeline.jumpTo(TOTAL - 2000);
    expect(timeline.messages.some((m) => m.id === TOTAL - 2000)).toBe(true);
    expect(timeline.focus?.key).toBe(`k:k${TOTAL - 2000}`);
  });
});
