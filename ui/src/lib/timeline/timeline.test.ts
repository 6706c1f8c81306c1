import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../ipc';
import { buildRows } from './rows';
import { mergeNewest, messageKey, unreadMarkerKey } from './timeline.svelte';

function msg(id: number | null, author: number, at: string, state = 'sent'): ChatMessage {
  return {
    id,
    client_key: `c${id ?? 'x' + at}`,
    community_id: 1,
    author_id: author,
    author_name: `P${author}`,
    author_flat: '5',
    author_role: 'resident',
    body: `m${id}`,
    reply_to: null,
    created_at: at,
    edited_at: null,
    deleted_at: null,
    pinned_at: null,
    deleted_reason: null,
    state,
    error: null,
  } as ChatMessage;
}

describe('timeline logic', () => {
  const list = [
    msg(1, 7, '2026-11-20T09:00:00Z'),
    msg(2, 8, '2026-11-20T10:00:00Z'),
    msg(3, 7, '2026-11-21T10:00:00Z'),
    msg(4, 9, '2026-11-21T11:00:00Z'),
  ];

  it('puts the unread marker before the oldest unread message by others', () => {
    expect(unreadMarkerKey(list, 0, 7)).toBeNull();
    expect(unreadMarkerKey(list, 1, 7)).toBe(messageKey(list[3]));
    expect(unreadMarkerKey(list, 2, 7)).toBe(messageKey(list[1]));
  });

  it('adds a day separator per day and the marker row', () => {
    const rows = buildRows(list, messageKey(list[3]));
    expect(rows.map((r) => r.kind)).toEqual(['day', 'msg', 'msg', 'day', 'msg', 'unread', 'msg']);
  });

  it('merges a fresh newest page, keeping older loaded history and dropping sent echoes', () => {
    const echo = msg(null, 7, '2026-11-21T12:00:00Z', 'pending');
    const loaded = [...list, echo];
    const sentEcho = { ...echo, id: 5, state: 'sent' } as ChatMessage;
    const merged = mergeNewest(loaded, [list[2], list[3], sentEcho], false);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3, 4, 5]);
    expect(messageKey(merged[4])).toBe(messageKey(echo));
    expect(mergeNewest(loaded, [list[3]], true).map((m) => m.id)).toEqual([4]);
  });
});
