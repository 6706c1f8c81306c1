// @vitest-environment happy-dom
// A dispatcher's outage form over stand-ins for the shell: the rules' verdict in words as it
// is filled in, then posted for the houses ticked.
import { flushSync, mount, tick, unmount } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { OutageDraft } from '../ipc';

const posted: OutageDraft[] = [];

vi.mock('../ipc', () => {
  class IpcError extends Error {
    kind: string;
    code: string | null;
    params: Record<string, string>;
    constructor(kind: string, message: string, code: string | null, params: Record<string, string>) {
      super(message);
      this.kind = kind;
      this.code = code;
      this.params = params;
    }
  }
  return {
    IpcError,
    ipc: {
      houses: async () => [
        { id: 5, address: 'Казань, ул. Баумана, 1' },
        { id: 6, address: 'Казань, пр. Победы, 7' },
      ],
      checkOutage: async (d: OutageDraft) => {
        if (d.ends_at <= d.starts_at) throw new IpcError('invalid', 'ends before', 'outage_ends_before_start', {});
        return null;
      },
      postOutage: async (d: OutageDraft) => {
        posted.push(d);
        return { client_key: 'k', waiting: null };
      },
      notices: async () => [],
    },
  };
});

const OutageForm = (await import('./OutageForm.svelte')).default;

async function settle(ms = 0): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
  for (let i = 0; i < 3; i++) {
    flushSync();
    await tick();
  }
}

function fill(testid: string, value: string): void {
  const el = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${testid}"]`)!;
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('OutageForm', () => {
  it('says what is wrong as it is filled in, then posts for the houses ticked', async () => {
    const form = mount(OutageForm, { target: document.body, props: { houseId: 5, onclose: () => {} } });
    await settle();
    expect(document.querySelector<HTMLInputElement>('[data-testid="outage-house-5"]')?.checked).toBe(true);
    expect(document.querySelector<HTMLInputElement>('[data-testid="outage-house-6"]')?.checked).toBe(false);
    fill('outage-from', '2026-11-26T18:00');
    fill('outage-to', '2026-11-26T09:00');
    fill('outage-reason', 'Промывка');
    await settle(300);
    expect(document.querySelector('[data-testid="outage-verdict"]')?.textContent).toContain('Окончание должно быть позже начала');
    expect(document.querySelector<HTMLButtonElement>('[data-testid="outage-submit"]')?.disabled).toBe(true);

    fill('outage-to', '2026-11-26T20:00');
    document.querySelector<HTMLInputElement>('[data-testid="outage-house-6"]')!.click();
    await settle(300);
    expect(document.querySelector('[data-testid="outage-verdict"]')).toBeNull();
    document.querySelector<HTMLButtonElement>('[data-testid="outage-submit"]')!.click();
    await settle();
    expect(posted).toEqual([
      { houses: [5, 6], service: 'cold_water', outage_type: 'pause', starts_at: '2026-11-26T18:00', ends_at: '2026-11-26T20:00', reason: 'Промывка' },
    ]);
    expect(document.querySelector('[data-testid="outage-sent"]')?.getAttribute('data-state')).toBe('sent');
    unmount(form);
  });
});
