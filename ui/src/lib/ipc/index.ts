// The UI's one door to the shell: every command (generated from the Rust declarations) and
// the event stream, typed with the bindings generated from Rust (./bindings, see
// COMMANDS.md).
import { commands } from './bindings/commands';

export type * from './bindings';
export { IpcError, inTauri, onEvent, type UiErrorKind } from './call';

/** Every command, by its camelCase name (`chat_list` is `ipc.chatList()`). */
export const ipc = commands;
