//! Moderation the house can trust: who moderates a community, what a moderator may do to
//! whom, the limits on a member's sends (a mute, slow mode), complaints, and the log every
//! member reads and may appeal to the Inspection.
//!
//! A chair (a ТСЖ/ЖСК chair or the organisation's appointed moderator) moderates only where
//! the Inspection has granted the organisation admin rights; where they are pending, only the
//! Inspection does. Moderators act on residents, never on each other or on staff.

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::chat::AdminStatus;
use crate::id::*;
use crate::role::Role;
use crate::vocab::vocabulary;

/// The longest reason, appeal or answer, in characters.
pub const MAX_REASON_CHARS: usize = 500;
/// The shortest mute: one minute.
pub const MIN_MUTE_SECONDS: u32 = 60;
/// The longest mute: 30 days (a longer one is a ban, which the Inspection can review).
pub const MAX_MUTE_SECONDS: u32 = 30 * 24 * 3600;
/// The longest slow-mode interval: one hour (0 turns slow mode off).
pub const MAX_SLOW_MODE_SECONDS: u32 = 3600;

vocabulary! {
    /// What a moderator did, as the log says it.
    pub enum ModAction {
        /// Pinned a message above the chat.
        Pin = "pin",
        /// Took a pinned message down.
        Unpin = "unpin",
        /// Deleted someone's message with a reason.
        Delete = "delete",
        /// Muted a member for a period.
        Mute = "mute",
        /// Lifted a mute early.
        Unmute = "unmute",
        /// Ended a member's membership and barred them from rejoining.
        Ban = "ban",
        /// Lifted a ban (the Inspection).
        Unban = "unban",
        /// Set or cleared slow mode.
        SlowMode = "slow_mode",
        /// Dismissed a complaint, leaving the message.
        Dismiss = "dismiss",
    }
}

vocabulary! {
    /// Where a complaint stands.
    pub enum ReportState {
        /// Waiting in the moderators' queue.
        Open = "open",
        /// Resolved by deleting the message.
        Deleted = "deleted",
        /// Resolved by leaving the message.
        Dismissed = "dismissed",
    }
}

vocabulary! {
    /// How a moderator resolves a complaint.
    pub enum Resolution {
        /// Delete the message (the complaint's reason, or the moderator's, goes to the log).
        Delete = "delete",
        /// Leave the message.
        Dismiss = "dismiss",
    }
}

/// Why a moderation action, a report, an appeal or a member's send is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModRefusal {
    /// The person is not a member of the community (and not the Inspection).
    #[error("not a member of this community")]
    NotMember,
    /// The person does not moderate this community.
    #[error("only the community's moderators and the Inspection may do this")]
    NotModerator,
    /// The chair's organisation holds no admin rights yet: only the Inspection moderates.
    #[error("admin rights of this community are pending: only the Inspection moderates it")]
    RightsPending,
    /// Only the Inspection does this (lifting a ban, answering an appeal).
    #[error("only the State Housing Inspection may do this")]
    InspectionOnly,
    /// A reason is required and was empty.
    #[error("a reason is required")]
    ReasonRequired,
    /// A reason, appeal or answer is longer than [`MAX_REASON_CHARS`].
    #[error("the text has {0} characters; at most {MAX_REASON_CHARS} are allowed")]
    ReasonTooLong(usize),
    /// A mute shorter than a minute or longer than 30 days.
    #[error("a mute lasts from 1 minute to 30 days")]
    MutePeriod,
    /// A slow-mode interval outside 0..=3600 seconds.
    #[error("slow mode is 0 (off) to 3600 seconds")]
    SlowModeRange,
    /// The person acted on is not a member of the community.
    #[error("that person is not a member of this community")]
    TargetNotMember,
    /// Moderators act on residents only, never on a moderator, staff or themselves.
    #[error("moderators mute and ban residents only")]
    TargetProtected,
    /// The entry was appealed already.
    #[error("this entry has been appealed already")]
    AlreadyAppealed,
    /// There is no appeal to answer, or it was answered.
    #[error("there is no open appeal on this entry")]
    NoOpenAppeal,
    /// The complaint was resolved already.
    #[error("the complaint has been resolved already")]
    ReportResolved,
    /// One cannot complain about one's own message.
    #[error("one does not report one's own message")]
    ReportOwn,
    /// The message is deleted already.
    #[error("the message is deleted")]
    MessageDeleted,
    /// The member is muted until then.
    #[error("muted until {until}")]
    Muted {
        /// RFC 3339 end of the mute.
        until: String,
    },
    /// Slow mode: the member may send again in this many seconds.
    #[error("slow mode: wait {retry_in} s")]
    SlowMode {
        /// Seconds to wait.
        retry_in: u32,
        /// The community's interval.
        interval: u32,
    },
    /// The person was banned from this community.
    #[error("banned from this community")]
    Banned,
    /// There is no mute to lift.
    #[error("that member is not muted")]
    NotMuted,
    /// An idempotency key already stored another complaint.
    #[error("the idempotency key was used for another complaint")]
    KeyReused,
}

impl crate::Coded for ModRefusal {
    fn code(&self) -> &'static str {
        match self {
            ModRefusal::NotMember => "not_member",
            ModRefusal::NotModerator => "not_moderator",
            ModRefusal::RightsPending => "admin_rights_pending",
            ModRefusal::InspectionOnly => "inspection_only",
            ModRefusal::ReasonRequired => "reason_required",
            ModRefusal::ReasonTooLong(_) => "reason_too_long",
            ModRefusal::MutePeriod => "mute_period",
            ModRefusal::SlowModeRange => "slow_mode_range",
            ModRefusal::TargetNotMember => "target_not_member",
            ModRefusal::TargetProtected => "target_protected",
            ModRefusal::AlreadyAppealed => "already_appealed",
            ModRefusal::NoOpenAppeal => "no_open_appeal",
            ModRefusal::ReportResolved => "report_resolved",
            ModRefusal::ReportOwn => "report_own",
            ModRefusal::MessageDeleted => "message_deleted",
            ModRefusal::Muted { .. } => "muted",
            ModRefusal::SlowMode { .. } => "slow_mode",
            ModRefusal::Banned => "banned",
            ModRefusal::NotMuted => "not_muted",
            ModRefusal::KeyReused => "idempotency_key_reused",
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            ModRefusal::ReasonTooLong(n) => vec![("chars", n.to_string()), ("max", MAX_REASON_CHARS.to_string())],
            ModRefusal::Muted { until } => vec![("until", until.clone())],
            ModRefusal::SlowMode { retry_in, interval } => {
                vec![("retry_in", retry_in.to_string()), ("interval", interval.to_string())]
            }
            _ => vec![],
        }
    }
}

/// Whether a person with this role moderates a community with these admin rights: the
/// Inspection always, a chair only where rights are granted.
pub fn may_moderate(role: Option<Role>, admin: AdminStatus) -> Result<(), ModRefusal> {
    match role.ok_or(ModRefusal::NotMember)? {
        Role::Inspector => Ok(()),
        Role::Chair if admin == AdminStatus::Granted => Ok(()),
        Role::Chair => Err(ModRefusal::RightsPending),
        Role::Resident | Role::Dispatcher => Err(ModRefusal::NotModerator),
    }
}

/// Whether a moderator may mute or ban someone with this role in the community (none: not a
/// member): residents only, and never themselves.
pub fn may_target(target: Option<Role>, is_self: bool) -> Result<(), ModRefusal> {
    match target.ok_or(ModRefusal::TargetNotMember)? {
        Role::Resident if !is_self => Ok(()),
        _ => Err(ModRefusal::TargetProtected),
    }
}

/// A reason, appeal or answer trimmed, within [`MAX_REASON_CHARS`] as sent (the schema's
/// `maxLength`), and not empty when `required`. An empty optional one is `None`.
pub fn check_reason(text: Option<&str>, required: bool) -> Result<Option<String>, ModRefusal> {
    let chars = text.map_or(0, |t| t.chars().count());
    if chars > MAX_REASON_CHARS {
        return Err(ModRefusal::ReasonTooLong(chars));
    }
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None if required => Err(ModRefusal::ReasonRequired),
        None => Ok(None),
        Some(t) => Ok(Some(t.to_owned())),
    }
}

/// A mute's length checked.
pub fn check_mute(seconds: u32) -> Result<(), ModRefusal> {
    if (MIN_MUTE_SECONDS..=MAX_MUTE_SECONDS).contains(&seconds) { Ok(()) } else { Err(ModRefusal::MutePeriod) }
}

/// A slow-mode interval checked (0 turns it off).
pub fn check_slow_mode(seconds: u32) -> Result<(), ModRefusal> {
    if seconds <= MAX_SLOW_MODE_SECONDS { Ok(()) } else { Err(ModRefusal::SlowModeRange) }
}

/// Whether a member may send (or edit) now: not while muted; and under slow mode not sooner
/// than the interval after their last message. Moderators and staff are exempt from slow
/// mode (the caller passes `slow_mode` 0 for them).
pub fn check_send(
    now: DateTime<FixedOffset>,
    muted_until: Option<DateTime<FixedOffset>>,
    slow_mode: u32,
    last_sent: Option<DateTime<FixedOffset>>,
) -> Result<(), ModRefusal> {
    if let Some(until) = muted_until.filter(|u| *u > now) {
        let until = until.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        return Err(ModRefusal::Muted { until });
    }
    if let Some(last) = last_sent.filter(|_| slow_mode > 0) {
        let next = last + Duration::seconds(i64::from(slow_mode));
        if next > now {
            let wait = (next - now).num_milliseconds().saturating_add(999) / 1000;
            return Err(ModRefusal::SlowMode {
                retry_in: u32::try_from(wait).unwrap_or(slow_mode),
                interval: slow_mode,
            });
        }
    }
    Ok(())
}

/// Parses a period as people type it: a number and a unit, `30m`, `24h`, `7d`, `2w` (or
/// plain seconds). None when it is not one.
pub fn parse_period(text: &str) -> Option<u32> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u32 = number.parse().ok()?;
    let unit = match unit.trim() {
        "" | "s" => 1,
        "m" | "min" | "м" | "мин" => 60,
        "h" | "ч" => 3600,
        "d" | "д" => 86_400,
        "w" | "н" => 7 * 86_400,
        _ => return None,
    };
    n.checked_mul(unit)
}

// ---- Wire types ----

/// An appeal to the Inspection against a log entry, and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Appeal {
    /// Who appealed.
    pub by_id: PersonId,
    /// Their name.
    pub by_name: String,
    /// What they wrote.
    pub text: String,
    /// When.
    pub at: String,
    /// The Inspection's answer, once given.
    pub answer: Option<String>,
    /// Who answered.
    pub answered_by: Option<String>,
    /// When it was answered.
    pub answered_at: Option<String>,
}

/// One entry of a community's moderation log: who did what, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ModEntry {
    /// Id.
    pub id: ModEntryId,
    /// The community.
    pub community_id: CommunityId,
    /// What was done.
    pub action: ModAction,
    /// Who did it.
    pub actor_id: PersonId,
    /// Their name.
    pub actor_name: String,
    /// Their role in the community (a chair or the Inspection).
    pub actor_role: Role,
    /// When.
    pub at: String,
    /// Why, as the moderator wrote it.
    pub reason: Option<String>,
    /// The message acted on (pin, unpin, delete, dismiss).
    pub message_id: Option<MessageId>,
    /// The member acted on (mute, unmute, ban, unban; the author of a deleted message).
    pub person_id: Option<PersonId>,
    /// Their name.
    pub person_name: Option<String>,
    /// The end of a mute.
    pub until: Option<String>,
    /// A slow-mode interval in seconds (0: off).
    pub seconds: Option<u32>,
    /// The text of a deleted message: present for moderators and the Inspection only.
    #[serde(default)]
    pub removed_text: Option<String>,
    /// An appeal to the Inspection and its answer.
    pub appeal: Option<Appeal>,
}

/// A member's complaint about a message, as the moderators' queue shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Report {
    /// Id.
    pub id: ReportId,
    /// The community.
    pub community_id: CommunityId,
    /// The message complained about.
    pub message_id: MessageId,
    /// Its author's name.
    pub author_name: String,
    /// Its text when reported (empty once deleted).
    pub excerpt: String,
    /// Who complained.
    pub reporter_id: PersonId,
    /// Their name.
    pub reporter_name: String,
    /// Why.
    pub reason: String,
    /// When.
    pub at: String,
    /// Where it stands.
    pub state: ReportState,
    /// Who resolved it.
    pub resolved_by: Option<String>,
    /// When.
    pub resolved_at: Option<String>,
    /// The idempotency key the reporter's client made.
    pub client_key: String,
}

/// A moderator's deletion of a message, with the reason members will read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RemoveMessage {
    /// Why: shown in place of the text («удалено модератором: …»).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::text_500))]
    pub reason: String,
}

/// A mute of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MuteMember {
    /// The member.
    #[serde(deserialize_with = "crate::json::integer")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub person_id: PersonId,
    /// For how long, in seconds: a minute to 30 days.
    #[serde(deserialize_with = "crate::json::count")]
    #[cfg_attr(feature = "openapi", schema(minimum = 60, maximum = 2592000))]
    pub seconds: u32,
    /// Why.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub reason: Option<String>,
}

/// A ban of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BanMember {
    /// The member.
    #[serde(deserialize_with = "crate::json::integer")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub person_id: PersonId,
    /// Why: a ban always says why.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::text_500))]
    pub reason: String,
}

/// Slow mode for a community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetSlowMode {
    /// One message per this many seconds per member; 0 turns it off.
    #[serde(deserialize_with = "crate::json::count")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 3600))]
    pub seconds: u32,
}

/// A complaint about a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportMessage {
    /// A UUID the client made: sending it again stores one complaint.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    )]
    pub client_key: String,
    /// Why.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::text_500))]
    pub reason: String,
}

/// A moderator's resolution of a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolveReport {
    /// Delete the message or leave it.
    pub action: Resolution,
    /// Why (for a deletion, shown in place of the text; the complaint's reason if absent).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub reason: Option<String>,
}

/// An appeal's or an answer's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AppealText {
    /// The text.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::text_500))]
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap_or_default()
    }

    #[test]
    fn chairs_moderate_only_with_rights_the_inspection_always() {
        assert_eq!(may_moderate(Some(Role::Chair), AdminStatus::Granted), Ok(()));
        assert_eq!(may_moderate(Some(Role::Chair), AdminStatus::Pending), Err(ModRefusal::RightsPending));
        for admin in [AdminStatus::Granted, AdminStatus::Pending] {
            assert_eq!(may_moderate(Some(Role::Inspector), admin), Ok(()));
            assert_eq!(may_moderate(Some(Role::Resident), admin), Err(ModRefusal::NotModerator));
            assert_eq!(may_moderate(Some(Role::Dispatcher), admin), Err(ModRefusal::NotModerator));
            assert_eq!(may_moderate(None, admin), Err(ModRefusal::NotMember));
        }
    }

    #[test]
    fn moderators_act_on_residents_only() {
        assert_eq!(may_target(Some(Role::Resident), false), Ok(()));
        assert_eq!(may_target(Some(Role::Resident), true), Err(ModRefusal::TargetProtected));
        for role in [Role::Chair, Role::Dispatcher, Role::Inspector] {
            assert_eq!(may_target(Some(role), false), Err(ModRefusal::TargetProtected));
        }
        assert_eq!(may_target(None, false), Err(ModRefusal::TargetNotMember));
    }

    #[test]
    fn reasons_are_trimmed_and_bounded() {
        assert_eq!(check_reason(Some("  спам "), true), Ok(Some("спам".to_owned())));
        assert_eq!(check_reason(Some("   "), true), Err(ModRefusal::ReasonRequired));
        assert_eq!(check_reason(None, false), Ok(None));
        assert_eq!(check_reason(Some(" "), false), Ok(None));
        let long = "я".repeat(MAX_REASON_CHARS + 1);
        assert_eq!(check_reason(Some(&long), false), Err(ModRefusal::ReasonTooLong(MAX_REASON_CHARS + 1)));
        assert!(check_reason(Some(&"я".repeat(MAX_REASON_CHARS)), true).is_ok());
        let padded = format!("  {}  ", "я".repeat(MAX_REASON_CHARS - 1));
        assert_eq!(
            check_reason(Some(&padded), true),
            Err(ModRefusal::ReasonTooLong(MAX_REASON_CHARS + 3)),
            "counted as sent"
        );
    }

    #[test]
    fn a_mute_refuses_sends_until_it_ends() {
        let now = t("2026-11-30T12:00:00+03:00");
        let until = t("2026-12-01T12:00:00+03:00");
        let said = ModRefusal::Muted { until: "2026-12-01T09:00:00.000Z".to_owned() };
        assert_eq!(check_send(now, Some(until), 0, None), Err(said), "in UTC, as the server stores times");
        assert_eq!(check_send(until, Some(until), 0, None), Ok(()), "over at its end");
        assert_eq!(check_send(now, None, 0, Some(now)), Ok(()));
    }

    #[test]
    fn slow_mode_says_how_long_to_wait() {
        let now = t("2026-11-30T12:00:30.200+03:00");
        let last = t("2026-11-30T12:00:00+03:00");
        assert_eq!(check_send(now, None, 60, Some(last)), Err(ModRefusal::SlowMode { retry_in: 30, interval: 60 }));
        assert_eq!(check_send(now, None, 30, Some(last)), Ok(()));
        assert_eq!(check_send(now, None, 0, Some(last)), Ok(()), "off");
        assert_eq!(check_send(now, None, 60, None), Ok(()), "first message");
    }

    #[test]
    fn limits_of_mutes_and_slow_mode() {
        assert_eq!(check_mute(59), Err(ModRefusal::MutePeriod));
        assert_eq!(check_mute(60), Ok(()));
        assert_eq!(check_mute(MAX_MUTE_SECONDS), Ok(()));
        assert_eq!(check_mute(MAX_MUTE_SECONDS + 1), Err(ModRefusal::MutePeriod));
        assert_eq!(check_slow_mode(0), Ok(()));
        assert_eq!(check_slow_mode(3601), Err(ModRefusal::SlowModeRange));
    }

    #[test]
    fn periods_as_people_type_them() {
        assert_eq!(parse_period("24h"), Some(86_400));
        assert_eq!(parse_period("30m"), Some(1800));
        assert_eq!(parse_period("7d"), Some(604_800));
        assert_eq!(parse_period("2w"), Some(1_209_600));
        assert_eq!(parse_period("90"), Some(90));
        assert_eq!(parse_period("3ч"), Some(10_800));
        for bad in ["", "h", "-1h", "1y", "1.5h", "99999999999d"] {
            assert_eq!(parse_period(bad), None, "{bad}");
        }
    }
}
