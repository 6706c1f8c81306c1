// The timeline's rows: messages with a day separator before each new day and the unread
// marker before the first unread message.
import { dayKey } from '../i18n/format';
import type { ChatMessage } from '../ipc';
import { messageKey } from './keys';

export type Row =
  | { kind: 'day'; key: string; at: string }
  | { kind: 'unread'; key: string }
  | { kind: 'msg'; key: string; message: ChatMessage; index: number };

export function buildRows(messages: ChatMessage[], unreadKey: string | null): Row[] {
  const rows: Row[] = [];
  let day = '';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const d = dayKey(m.created_at);
    if (d !== day) {
      day = d;
      rows.push({ kind: 'day', key: `day:${d}`, at: m.created_at });
    }
    const key = messageKey(m);
    if (key === unreadKey) rows.push({ kind: 'unread', key: 'unread' });
    rows.push({ kind: 'msg', key, message: m, index: i });
  }
  return rows;
}

/** A first guess of a row's height before it is measured (px). */
export function estimateHeight(row: Row): number {
  if (row.kind === 'day') return 52;
  if (row.kind === 'unread') return 44;
  const m = row.message;
  let h = 86 + 25 * Math.floor(m.body.length / 70);
  if (m.reply_to !== null) h += 30;
  if (m.state !== 'sent') h += 40;
  return h;
}
