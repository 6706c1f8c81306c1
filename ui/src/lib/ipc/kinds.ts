// The kinds of failure the UI words for people, each with the locale key of its text: the
// core's error kinds (`CoreError::kind`), the shell's own (`not_signed_in`), and the UI's
// (`no_shell` outside the app, `internal` for anything else). This one map is the list: a new
// kind is one line here plus its text in ru.json, tt.json and en.json (a test checks all
// three). It is to be generated from the Rust error types later.
const ERROR_TEXT_KEYS = {
  network: 'error.network',
  refused: 'error.refused',
  rate_limited: 'error.rate_limited',
  signed_out: 'error.signed_out',
  not_signed_in: 'error.not_signed_in',
  keyring: 'error.keyring',
  cache_too_new: 'error.cache_too_new',
  cache: 'error.cache',
  invalid: 'error.invalid',
  io: 'error.io',
  no_shell: 'error.no_shell',
  internal: 'error.internal',
} as const satisfies Record<string, `error.${string}`>;

/** A kind of failure the UI knows how to word. */
export type ErrorKind = keyof typeof ERROR_TEXT_KEYS;

/** Every kind, in the map's order. */
export const ERROR_KINDS = Object.keys(ERROR_TEXT_KEYS) as ErrorKind[];

/** Whether a kind from the shell is one the UI knows. */
export function isErrorKind(kind: string): kind is ErrorKind {
  return Object.hasOwn(ERROR_TEXT_KEYS, kind);
}

/** The locale key for a failure's kind; a kind the UI does not know is worded as `internal`. */
export function errorTextKey(kind: string): (typeof ERROR_TEXT_KEYS)[ErrorKind] {
  return ERROR_TEXT_KEYS[isErrorKind(kind) ? kind : 'internal'];
}
