// @vitest-environment happy-dom
// Enter sends, Shift+Enter does not; the language select switches the strings and <html lang>.
import { flushSync, mount, tick, unmount } from 'svelte';
import { describe, expect, it, vi } from 'vitest';

const sent: Array<{ communityId: number; body: string; replyTo: number | null }> = [];

vi.mock('../ipc', () => ({
  ipc: {
    messages: async () => [],
    markRead: async () => null,
    send: async (communityId: number, body: string, replyTo: number | null) => {
      sent.push({ communityId, body, replyTo });
      return {};
    },
  },
  IpcError: class extends Error {},
}));

const { timeline } = await import('./timeline.svelte');
const Composer = (await import('./Composer.svelte')).default;
const LangSelect = (await import('../i18n/LangSelect.svelte')).default;

function key(el: Element, k: string, shiftKey = false): void {
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true, cancelable: true }));
}

describe('Composer', () => {
  it('sends on Enter and keeps typing on Shift+Enter', async () => {
    await timeline.open(7, 0, 1);
    const app = mount(Composer, { target: document.body });
    flushSync();
    const input = document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')!;
    input.value = 'Первая строка';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    key(input, 'Enter', true);
    await tick();
    expect(sent).toEqual([]);
    key(input, 'Enter');
    await vi.waitFor(() => expect(sent).toEqual([{ communityId: 7, body: 'Первая строка', replyTo: null }]));
    await vi.waitFor(() => expect(input.value).toBe(''));
    unmount(app);
  });
});

describe('LangSelect', () => {
  it('switches the strings and <html lang>', async () => {
    const app = mount(LangSelect, { target: document.body });
    flushSync();
    const select = document.querySelector<HTMLSelectElement>('[data-testid="lang-select"]')!;
    expect(document.body.textContent).toContain('Язык');
    select.value = 'tt';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    flushSync();
    expect(document.documentElement.lang).toBe('tt');
    expect(document.body.textContent).toContain('Тел');
    select.value = 'en';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    flushSync();
    expect(document.body.textContent).toContain('Language');
    unmount(app);
  });
});
