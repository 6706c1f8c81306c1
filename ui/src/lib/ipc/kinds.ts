// How the UI words a failure for people. The kinds come from Rust (the generated
// `ErrorKind`, plus the UI's own `no_shell`): the map below must name every one of them, or
// the type check fails, and a test holds ru, tt and en to every key. A failure that carries a
// code (a rule's, such as `message_empty`, or the server's, such as `not_member`) is worded
// by that code where the locale files know it (`error.code.<code>`, with the failure's named
// values filled in), and by its kind otherwise.
import type { UiErrorKind } from './call';

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
  other_server: 'error.other_server',
  io: 'error.io',
  no_shell: 'error.no_shell',
  internal: 'error.internal',
} as const satisfies Record<UiErrorKind, `error.${string}`>;

/** Every kind, in the map's order. */
export const ERROR_KINDS = Object.keys(ERROR_TEXT_KEYS) as UiErrorKind[];

/** The codes the UI words itself (the rest show the server's own words). */
export const ERROR_CODES = [
  'message_empty',
  'message_too_long',
  'message_control_char',
  'no_such_chat',
  'no_such_outbox_item',
  'not_member',
  'no_such_meter',
  'reading_malformed',
  'reading_too_many_digits',
  'reading_below_previous',
  'reading_zone_missing',
  'reading_zone_forbidden',
  'reading_outside_window',
  'reading_verification_expired',
  'reading_not_commissioned',
  'reading_device_replaced',
  'reading_needs_confirmation',
  'not_dispatcher',
  'house_not_managed',
  'outage_no_houses',
  'outage_too_many_houses',
  'outage_duplicate_house',
  'outage_unknown_service',
  'outage_bad_time',
  'outage_ends_before_start',
  'outage_too_long',
  'outage_already_over',
  'outage_reason_empty',
  'outage_reason_too_long',
  'ticket_body_empty',
  'ticket_body_too_long',
  'ticket_place_invalid',
  'ticket_emergency_not_applicable',
  'ticket_not_resident',
  'ticket_transition_invalid',
  'ticket_move_forbidden',
  'ticket_reason_required',
  'ticket_rating_invalid',
  'ticket_reopen_window_passed',
  'ticket_note_too_long',
  'ticket_status_changed',
  'ticket_not_done',
  'ticket_already_confirmed',
  'ticket_cannot_cosign',
  'ticket_closed',
  'ticket_not_participant',
  'ticket_daily_limit',
  'ticket_message_elsewhere',
  'message_already_ticket',
  'no_such_ticket',
  'comment_internal_forbidden',
  'comment_empty',
  'comment_too_long',
  'assignee_not_staff',
  'photo_too_large',
  'photo_type',
  'photo_unreadable',
  'photo_too_many',
  'photo_lost',
  'photo_unknown',
  'no_such_photo',
  'bad_date',
  'bad_period',
  'not_moderator',
  'admin_rights_pending',
  'inspection_only',
  'reason_required',
  'reason_too_long',
  'mute_period',
  'slow_mode_range',
  'target_not_member',
  'target_protected',
  'already_appealed',
  'no_open_appeal',
  'report_resolved',
  'report_own',
  'muted',
  'slow_mode',
  'banned',
  'not_applicant',
  'chat_exists',
  'official_house',
  'message_deleted',
  'not_muted',
  'poll_question_empty',
  'poll_question_too_long',
  'poll_option_count',
  'poll_option_invalid',
  'poll_closing_invalid',
  'poll_closed',
  'poll_no_such_option',
  'poll_no_premises',
  'poll_voted_by_another',
  'no_such_poll',
  'rights_granted_already',
  'application_open_already',
  'application_decided',
  'text_too_long',
  'not_a_house_chat',
  'same_organisation',
  'transfer_date_out_of_range',
  'unknown_reaction',
  'house_not_in_channel',
  'post_too_many_houses',
  'targets_outside_channel',
  'no_such_message',
] as const;

/** Whether a kind from the shell is one the UI knows. */
export function isErrorKind(kind: string): kind is UiErrorKind {
  return Object.hasOwn(ERROR_TEXT_KEYS, kind);
}

/** The locale key for a failure's kind; a kind the UI does not know is worded as `internal`. */
export function errorTextKey(kind: string): (typeof ERROR_TEXT_KEYS)[UiErrorKind] {
  return ERROR_TEXT_KEYS[isErrorKind(kind) ? kind : 'internal'];
}

/** The locale key for a failure's code, when the UI words that code itself. */
export function errorCodeKey(code: string | null): string | null {
  return code && (ERROR_CODES as readonly string[]).includes(code) ? `error.code.${code}` : null;
}
