// How the UI reaches the shell: `call` runs a command and turns its failure into an
// `IpcError`; `onEvent` listens to the one event the shell emits. Nothing else imports
// @tauri-apps/api, so the contract lives in one place (the commands themselves are
// generated into ./bindings/commands.ts).
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

import type { ErrorKind } from './bindings/ErrorKind';
import type { Event } from './bindings/Event';
import type { TaggedError } from './bindings/TaggedError';

/** The one event name the shell emits (payload: `Event`, tagged by `type`). */
const EVENT_NAME = 'domkom://event';

/** The kinds of failure: the core's (generated from Rust) and the UI's own `no_shell`. */
export type UiErrorKind = ErrorKind | 'no_shell';

/** An error from the shell, always `{kind, code, params, message}`; `kind` is what the UI
 * branches on, `code` and `params` what it words in the person's language. */
export class IpcError extends Error {
  readonly kind: UiErrorKind;
  /** The server's or the rule's stable code, when there is one. */
  readonly code: string | null;
  /** Named values the wording of the code needs. */
  readonly params: Record<string, string>;
  constructor(kind: UiErrorKind, message: string, code: string | null = null, params: Record<string, string> = {}) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.params = params;
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
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(t.params ?? {})) if (v !== undefined) params[k] = v;
    return new IpcError(t.kind, String(t.message), t.code ?? null, params);
  }
  return new IpcError('internal', e instanceof Error ? e.message : String(e));
}

/** Runs a command of the shell (its arguments, or raw bytes as its body); a failure rejects
 * with an `IpcError`. */
export async function call<T>(command: string, args?: Record<string, unknown> | Uint8Array): Promise<T> {
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

