// Stable keys and test ids of messages.
import type { ChatMessage } from '../ipc';

/** A message's stable key: the client key survives the step from local echo to sent. */
export function messageKey(m: ChatMessage): string {
  return m.client_key ? `k:${m.client_key}` : `id:${m.id}`;
}

/** The e2e test id: the server id once sent, the client key while a local echo. */
export function messageTestId(m: ChatMessage): string {
  return m.id !== null && m.id !== undefined ? `message-${m.id}` : `message-${m.client_key}`;
}
