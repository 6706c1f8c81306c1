// The UI's one door to the shell: every command and the event stream, typed with the
// bindings generated from Rust (./bindings, see COMMANDS.md). Nothing else imports
// @tauri-apps/api, so the contract lives in one place.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

import type { AppInfo } from './bindings/AppInfo';
import type { ChatMessage } from './bindings/ChatMessage';
import type { ChatOffer } from './bindings/ChatOffer';
import type { DemoPerson } from './bindings/DemoPerson';
import type { Event } from './bindings/Event';
import type { House } from './bindings/House';
import type { HouseSummary } from './bindings/HouseSummary';
import type { OutboxItem } from './bindings/OutboxItem';
import type { PersonInfo } from './bindings/PersonInfo';
import type { SearchHit } from './bindings/SearchHit';
import type { Status } from './bindings/Status';
import type { TaggedError } from './bindings/TaggedError';

export type {
  AppInfo,
  ChatMessage,
  ChatOffer,
  DemoPerson,
  Event,
  House,
  HouseSummary,
  OutboxItem,
  PersonInfo,
  SearchHit,
  Status,
  TaggedError,
};

/** The one event name the shell emits (payload: `Event`, tagged by `type`). */
const EVENT_NAME = 'domkom://event';

/** An error from the shell, always `{kind, message}`; `kind` is what the UI branches on. */
export class IpcError extends Error {
  readonly kind: string;
  constructor(kind: string, message: string) {
    super(message);
    this.kind = kind;
    this.name = 'IpcError';
  }
}

/** Whether the page runs inside the Tauri window (a plain browser has no shell). */
export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

function toIpcError(e: unknown): IpcError {
  if (e instanceof IpcError) return e;
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    const t = e as TaggedError;
    return new IpcError(String(t.kind), String(t.message));
  }
  return new IpcError('internal', e instanceof Error ? e.message : String(e));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!inTauri()) {
    throw new IpcError(
      'no_shell',
      `Domkom's UI runs inside the desktop app; "${command}" needs the Tauri shell, which is absent in a plain browser`,
    );
  }
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

/** Subscribes to the shell's events; resolves to the function that unsubscribes. */
export async function onEvent(handler: (event: Event) => void): Promise<UnlistenFn> {
  if (!inTauri()) return () => {};
  return listen<Event>(EVENT_NAME, (e) => handler(e.payload));
}

export const ipc = {
  appInfo: () => call<AppInfo>('app_info'),
  sessionState: () => call<PersonInfo | null>('session_state'),
  demoPersons: () => call<DemoPerson[]>('demo_persons'),
  loginDemo: (person: string) => call<PersonInfo>('login_demo', { person }),
  loginBrowser: () => call<PersonInfo>('login_browser'),
  logout: () => call<null>('logout'),
  chatList: () => call<HouseSummary[]>('chat_list'),
  offers: () => call<ChatOffer[]>('offers'),
  join: (communityId: number) => call<null>('join', { communityId }),
  /** Newest first; `before` is a server message id to page older than. */
  messages: (communityId: number, before: number | null, limit: number) =>
    call<ChatMessage[]>('messages', { communityId, before, limit }),
  send: (communityId: number, body: string, replyTo: number | null) =>
    call<OutboxItem>('send', { communityId, body, replyTo }),
  edit: (messageId: number, body: string) => call<null>('edit', { messageId, body }),
  deleteMessage: (messageId: number) => call<null>('delete_message', { messageId }),
  retry: (clientKey: string, body: string | null) => call<null>('retry', { clientKey, body }),
  discard: (clientKey: string) => call<boolean>('discard', { clientKey }),
  markRead: (communityId: number, upTo: number) => call<null>('mark_read', { communityId, upTo }),
  search: (query: string, limit: number) => call<SearchHit[]>('search', { query, limit }),
  house: (houseId: number) => call<House | null>('house', { houseId }),
  status: () => call<Status>('status'),
  setMuted: (communityId: number, muted: boolean) => call<null>('set_muted', { communityId, muted }),
  setChatInView: (communityId: number | null) => call<null>('set_chat_in_view', { communityId }),
  syncNow: () => call<null>('sync_now'),
  openLink: (url: string) => call<null>('open_link', { url }),
};
