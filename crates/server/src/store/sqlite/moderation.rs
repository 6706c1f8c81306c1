//! Moderation in SQLite: pins, deletions with a reason, mutes, bans, slow mode, complaints,
//! the log and its appeals. The rules come from `domkom_domain::moderation`; each action is
//! written with its log entry in one transaction.

use chrono::{DateTime, Duration, FixedOffset};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use domkom_domain::Role;
use domkom_domain::chat::AdminStatus;
use domkom_domain::id::*;
use domkom_domain::moderation::{self, ModAction, ModRefusal, ReportState, Resolution};
use domkom_domain::wire::{ChangeKind, Community, Message, ModEntry, Report};

use super::chat::{addressed_to, end_membership, message_of, sees_message};
use super::{SqliteStore, changelog, decode, one, rows, visible};
use crate::store::{ChatError, ModError, ModerationStore, Reported, StoreError, Viewer, What};

/// Parses a stored time (seeded ones carry +03:00, the runtime's Z).
pub(super) fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

/// A community's admin rights, or not found.
fn admin_status(conn: &Connection, community: CommunityId) -> Result<AdminStatus, StoreError> {
    conn.prepare_cached("SELECT admin_status FROM communities WHERE id = ?1")?
        .query_row([community], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::NotFound(What::Community))
}

/// The viewer's role if they moderate the community, else the refusal.
fn moderator(conn: &Connection, viewer: &Viewer, community: CommunityId) -> Result<Role, ModError> {
    let admin = admin_status(conn, community)?;
    let role = viewer.role_in(community);
    moderation::may_moderate(role, admin)?;
    Ok(role.unwrap_or(Role::Inspector))
}

/// A message's community, or not found.
fn message_community(conn: &Connection, message: MessageId) -> Result<CommunityId, StoreError> {
    conn.prepare_cached("SELECT community_id FROM messages WHERE id = ?1")?
        .query_row([message], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::NotFound(What::Message))
}

/// What a log entry records besides its actor and time.
#[derive(Default)]
struct Entry<'a> {
    reason: Option<&'a str>,
    message: Option<MessageId>,
    person: Option<PersonId>,
    until: Option<&'a str>,
    seconds: Option<u32>,
    removed_text: Option<&'a str>,
}

/// Writes a log entry and records it for the community (and its moderators).
fn log(
    tx: &Transaction<'_>,
    viewer: &Viewer,
    role: Role,
    community: CommunityId,
    action: ModAction,
    at: &str,
    e: Entry<'_>,
) -> rusqlite::Result<ModEntryId> {
    let id: ModEntryId = tx.query_row(
        "INSERT INTO mod_log (community_id, action, actor_id, actor_role, at, reason, message_id, person_id, until, \
         seconds, removed_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        params![
            community,
            action,
            viewer.person.id,
            role,
            at,
            e.reason,
            e.message,
            e.person,
            e.until,
            e.seconds,
            e.removed_text
        ],
        |r| r.get(0),
    )?;
    changelog::record(tx, ChangeKind::ModEntry, id)?;
    Ok(id)
}

/// An entry as the viewer may see it: with the removed words for moderators.
fn entry_for(conn: &Connection, viewer: &Viewer, id: ModEntryId) -> Result<ModEntry, StoreError> {
    let found = rows::<ModEntry>(conn, ChangeKind::ModEntry, "id = ?1", [id])?;
    if found.is_empty() {
        return Err(StoreError::NotFound(What::ModEntry));
    }
    let mut seen = visible(viewer, found);
    seen.sort_by_key(|e| e.removed_text.is_none());
    seen.into_iter().next().ok_or(StoreError::NotVisible(What::ModEntry))
}

/// The membership of a person in a community: (id, role, banned, ended).
fn membership(
    conn: &Connection,
    community: CommunityId,
    person: PersonId,
) -> rusqlite::Result<Option<(i64, Role, bool, bool)>> {
    conn.prepare_cached(
        "SELECT id, role, banned, left_at IS NOT NULL FROM memberships WHERE community_id = ?1 AND person_id = ?2",
    )?
    .query_row(params![community, person], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
    .optional()
}

/// Checks that a member may send now: not muted, not faster than slow mode allows.
/// Moderators and staff are exempt from slow mode.
pub(super) fn check_send(
    conn: &Connection,
    viewer: &Viewer,
    community: CommunityId,
    now: &str,
    with_slow_mode: bool,
) -> Result<(), ChatError> {
    let now = parse_time(now).unwrap_or_default();
    let facts = || -> rusqlite::Result<(Option<String>, u32, Option<String>)> {
        let muted: Option<String> = conn
            .prepare_cached(
                "SELECT muted_until FROM memberships WHERE community_id = ?1 AND person_id = ?2 AND left_at IS NULL",
            )?
            .query_row(params![community, viewer.person.id], |r| r.get(0))
            .optional()?
            .flatten();
        let slow: u32 = conn
            .prepare_cached("SELECT slow_mode_s FROM communities WHERE id = ?1")?
            .query_row([community], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        let last: Option<String> = if slow > 0 && with_slow_mode {
            conn.prepare_cached(
                "SELECT created_at FROM messages WHERE author_id = ?1 AND community_id = ?2 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![viewer.person.id, community], |r| r.get(0))
            .optional()?
        } else {
            None
        };
        Ok((muted, slow, last))
    };
    // A mute that cannot be read is not taken as no mute: the send fails with the storage
    // error instead of slipping past a moderator.
    let (muted, slow, last) = facts()?;
    let exempt = viewer.role_in(community).is_some_and(|r| r != Role::Resident);
    let slow = if exempt || !with_slow_mode { 0 } else { slow };
    moderation::check_send(now, muted.as_deref().and_then(parse_time), slow, last.as_deref().and_then(parse_time))?;
    Ok(())
}

/// Whether the person was banned from the community.
pub(super) fn banned(conn: &Connection, community: CommunityId, person: PersonId) -> rusqlite::Result<bool> {
    Ok(membership(conn, community, person)?.is_some_and(|(_, _, banned, _)| banned))
}

impl SqliteStore {
    /// Deletes a message as a moderator, inside a write.
    fn remove_in(
        &self,
        tx: &Transaction<'_>,
        viewer: &Viewer,
        message: MessageId,
        reason: &str,
    ) -> Result<Message, ModError> {
        let community = message_community(tx, message)?;
        let role = moderator(tx, viewer, community)?;
        addressed_to(tx, viewer, message)?;
        let reason = moderation::check_reason(Some(reason), true)?.unwrap_or_default();
        let (body, author, deleted): (String, PersonId, bool) = tx.query_row(
            "SELECT body, author_id, deleted_at IS NOT NULL FROM messages WHERE id = ?1",
            [message],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if deleted {
            return Err(ModRefusal::MessageDeleted.into());
        }
        let at = self.now_rfc3339();
        tx.execute(
            "UPDATE messages SET body = '', deleted_at = ?2, deleted_reason = ?3, pinned_at = NULL WHERE id = ?1",
            params![message, at, reason],
        )?;
        changelog::record(tx, ChangeKind::Message, message)?;
        let entry = Entry {
            reason: Some(&reason),
            message: Some(message),
            person: Some(author),
            removed_text: Some(&body),
            ..Entry::default()
        };
        log(tx, viewer, role, community, ModAction::Delete, &at, entry)?;
        let open: Vec<ReportId> =
            super::ids(tx, "SELECT id FROM reports WHERE message_id = ?1 AND state = 'open'", message)?;
        for id in open {
            tx.execute(
                "UPDATE reports SET state = 'deleted', resolved_by = ?2, resolved_at = ?3 WHERE id = ?1",
                params![id, viewer.person.id, at],
            )?;
            changelog::record(tx, ChangeKind::Report, id)?;
        }
        Ok(message_of(tx, message)?)
    }
}

/// A complaint as stored, for its moderators or its reporter.
fn report_of(conn: &Connection, viewer: &Viewer, id: ReportId) -> Result<Report, StoreError> {
    one(conn, viewer, ChangeKind::Report, id, What::Report)
}

impl ModerationStore for SqliteStore {
    fn pins(&self, viewer: &Viewer, community: CommunityId) -> Result<Vec<Message>, ModError> {
        let c = self.reader()?;
        admin_status(&c, community)?;
        if viewer.role_in(community).is_none() {
            return Err(ModRefusal::NotMember.into());
        }
        let found = rows::<Message>(
            &c,
            ChangeKind::Message,
            "id IN (SELECT id FROM messages WHERE community_id = ?1 AND pinned_at IS NOT NULL) \
             ORDER BY julianday(json_extract(payload, '$.pinned_at')) DESC",
            [community],
        )?;
        // A post for some houses is pinned for its readers only, and listed once although it
        // has several audiences.
        let mut pins: Vec<Message> = found.into_iter().map(|(_, m)| m).filter(|m| sees_message(viewer, m)).collect();
        let mut seen = std::collections::HashSet::new();
        pins.retain(|m| seen.insert(m.id));
        Ok(pins)
    }

    fn pin(&self, viewer: &Viewer, message: MessageId, pinned: bool) -> Result<Message, ModError> {
        self.write(|tx| {
            let community = message_community(tx, message)?;
            let role = moderator(tx, viewer, community)?;
            addressed_to(tx, viewer, message)?;
            let (is_pinned, deleted): (bool, bool) = tx.query_row(
                "SELECT pinned_at IS NOT NULL, deleted_at IS NOT NULL FROM messages WHERE id = ?1",
                [message],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if pinned && deleted {
                return Err(ModRefusal::MessageDeleted.into());
            }
            if is_pinned != pinned {
                let at = self.now_rfc3339();
                tx.execute(
                    "UPDATE messages SET pinned_at = ?2 WHERE id = ?1",
                    params![message, pinned.then_some(&at)],
                )?;
                changelog::record(tx, ChangeKind::Message, message)?;
                let action = if pinned { ModAction::Pin } else { ModAction::Unpin };
                log(tx, viewer, role, community, action, &at, Entry { message: Some(message), ..Entry::default() })?;
            }
            Ok(message_of(tx, message)?)
        })
    }

    fn remove_message(&self, viewer: &Viewer, message: MessageId, reason: &str) -> Result<Message, ModError> {
        self.write(|tx| self.remove_in(tx, viewer, message, reason))
    }

    fn mute(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        person: PersonId,
        seconds: Option<u32>,
        reason: Option<&str>,
    ) -> Result<ModEntry, ModError> {
        // Who acts comes before what they wrote: one who may not moderate here is told so.
        self.write(|tx| {
            let role = moderator(tx, viewer, community)?;
            let reason = moderation::check_reason(reason, false)?;
            if let Some(s) = seconds {
                moderation::check_mute(s)?;
            }
            let target = membership(tx, community, person)?.filter(|m| !m.3);
            moderation::may_target(target.map(|m| m.1), person == viewer.person.id)?;
            let Some((membership_id, ..)) = target else { return Err(ModRefusal::TargetNotMember.into()) };
            let at = self.now_rfc3339();
            if seconds.is_none() {
                let muted: Option<String> =
                    tx.query_row("SELECT muted_until FROM memberships WHERE id = ?1", [membership_id], |r| r.get(0))?;
                let now = parse_time(&at);
                if muted.as_deref().and_then(parse_time).is_none_or(|u| Some(u) <= now) {
                    return Err(ModRefusal::NotMuted.into());
                }
            }
            let until = seconds.map(|s| {
                let now = parse_time(&at).unwrap_or_default();
                (now + Duration::seconds(i64::from(s)))
                    .with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            });
            tx.execute("UPDATE memberships SET muted_until = ?2 WHERE id = ?1", params![membership_id, until])?;
            changelog::record(tx, ChangeKind::Membership, membership_id)?;
            let action = if seconds.is_some() { ModAction::Mute } else { ModAction::Unmute };
            let entry = Entry {
                reason: reason.as_deref(),
                person: Some(person),
                until: until.as_deref(),
                seconds,
                ..Entry::default()
            };
            let id = log(tx, viewer, role, community, action, &at, entry)?;
            Ok(entry_for(tx, viewer, id)?)
        })
    }

    fn ban(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        person: PersonId,
        banned: bool,
        reason: Option<&str>,
    ) -> Result<ModEntry, ModError> {
        self.write(|tx| {
            let role = moderator(tx, viewer, community)?;
            let reason = moderation::check_reason(reason, banned)?;
            let found = membership(tx, community, person)?;
            let at = self.now_rfc3339();
            if banned {
                // One who left just before is banned too: they may not come back.
                moderation::may_target(found.map(|m| m.1), person == viewer.person.id)?;
                let Some((membership_id, _, _, ended)) = found else {
                    return Err(ModRefusal::TargetNotMember.into());
                };
                tx.execute("UPDATE memberships SET banned = 1, muted_until = NULL WHERE id = ?1", [membership_id])?;
                if !ended {
                    end_membership(tx, membership_id, &at)?;
                }
            } else {
                if role != Role::Inspector {
                    return Err(ModRefusal::InspectionOnly.into());
                }
                let Some((membership_id, _, true, _)) = found else {
                    return Err(ModRefusal::TargetNotMember.into());
                };
                tx.execute("UPDATE memberships SET banned = 0 WHERE id = ?1", [membership_id])?;
            }
            let action = if banned { ModAction::Ban } else { ModAction::Unban };
            let entry = Entry { reason: reason.as_deref(), person: Some(person), ..Entry::default() };
            let id = log(tx, viewer, role, community, action, &at, entry)?;
            Ok(entry_for(tx, viewer, id)?)
        })
    }

    fn set_slow_mode(&self, viewer: &Viewer, community: CommunityId, seconds: u32) -> Result<Community, ModError> {
        self.write(|tx| {
            let role = moderator(tx, viewer, community)?;
            moderation::check_slow_mode(seconds)?;
            let changed = tx.execute(
                "UPDATE communities SET slow_mode_s = ?2 WHERE id = ?1 AND slow_mode_s != ?2",
                params![community, seconds],
            )?;
            if changed > 0 {
                changelog::record(tx, ChangeKind::Community, community)?;
                let at = self.now_rfc3339();
                log(
                    tx,
                    viewer,
                    role,
                    community,
                    ModAction::SlowMode,
                    &at,
                    Entry { seconds: Some(seconds), ..Entry::default() },
                )?;
            }
            let payload: String =
                tx.query_row("SELECT payload FROM feed_community WHERE id = ?1", [community], |r| r.get(0))?;
            Ok(decode(ChangeKind::Community, &payload)?)
        })
    }

    fn report(
        &self,
        viewer: &Viewer,
        message: MessageId,
        client_key: &str,
        reason: &str,
    ) -> Result<Reported, ModError> {
        self.write(|tx| {
            let community = message_community(tx, message)?;
            if viewer.role_in(community).is_none() {
                return Err(ModRefusal::NotMember.into());
            }
            let reason = moderation::check_reason(Some(reason), true)?.unwrap_or_default();
            addressed_to(tx, viewer, message)?;
            let by_key: Option<(ReportId, MessageId)> = tx
                .query_row(
                    "SELECT id, message_id FROM reports WHERE reporter_id = ?1 AND client_key = ?2",
                    params![viewer.person.id, client_key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((id, reported)) = by_key {
                if reported != message {
                    return Err(ModRefusal::KeyReused.into());
                }
                return Ok(Reported { report: report_of(tx, viewer, id)?, created: false });
            }
            let before: Option<ReportId> = tx
                .query_row(
                    "SELECT id FROM reports WHERE message_id = ?1 AND reporter_id = ?2",
                    params![message, viewer.person.id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = before {
                return Ok(Reported { report: report_of(tx, viewer, id)?, created: false });
            }
            let (author, body, deleted): (PersonId, String, bool) = tx.query_row(
                "SELECT author_id, body, deleted_at IS NOT NULL FROM messages WHERE id = ?1",
                [message],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            if author == viewer.person.id {
                return Err(ModRefusal::ReportOwn.into());
            }
            if deleted {
                return Err(ModRefusal::MessageDeleted.into());
            }
            let id: ReportId = tx.query_row(
                "INSERT INTO reports (community_id, message_id, reporter_id, reason, excerpt, at, client_key) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                params![community, message, viewer.person.id, reason, body, self.now_rfc3339(), client_key],
                |r| r.get(0),
            )?;
            changelog::record(tx, ChangeKind::Report, id)?;
            Ok(Reported { report: report_of(tx, viewer, id)?, created: true })
        })
    }

    fn reports(&self, viewer: &Viewer, community: CommunityId) -> Result<Vec<Report>, ModError> {
        let c = self.reader()?;
        moderator(&c, viewer, community)?;
        let found = rows::<Report>(
            &c,
            ChangeKind::Report,
            "scope = 'm' AND id IN (SELECT id FROM reports WHERE community_id = ?1) \
             ORDER BY json_extract(payload, '$.state') != 'open', id DESC",
            [community],
        )?;
        Ok(found.into_iter().map(|(_, r)| r).collect())
    }

    fn resolve_report(
        &self,
        viewer: &Viewer,
        report: ReportId,
        resolution: Resolution,
        reason: Option<&str>,
    ) -> Result<Report, ModError> {
        self.write(|tx| {
            let found: Option<(CommunityId, MessageId, ReportState, String)> = tx
                .query_row("SELECT community_id, message_id, state, reason FROM reports WHERE id = ?1", [report], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            let (community, message, state, reported_for) = found.ok_or(StoreError::NotFound(What::Report))?;
            let role = moderator(tx, viewer, community)?;
            let reason = moderation::check_reason(reason, false)?;
            if state != ReportState::Open {
                return Err(ModRefusal::ReportResolved.into());
            }
            match resolution {
                Resolution::Delete => {
                    let gone: bool =
                        tx.query_row("SELECT deleted_at IS NOT NULL FROM messages WHERE id = ?1", [message], |r| {
                            r.get(0)
                        })?;
                    if gone {
                        // Its author deleted it meanwhile: the complaint is settled.
                        tx.execute(
                            "UPDATE reports SET state = 'deleted', resolved_by = ?2, resolved_at = ?3 WHERE id = ?1",
                            params![report, viewer.person.id, self.now_rfc3339()],
                        )?;
                        changelog::record(tx, ChangeKind::Report, report)?;
                    } else {
                        // The complainant's words are theirs: members read the moderator's.
                        let _ = reported_for;
                        let why = reason.as_deref().unwrap_or("Нарушение правил чата (по жалобе участника)");
                        self.remove_in(tx, viewer, message, why)?;
                    }
                }
                Resolution::Dismiss => {
                    let at = self.now_rfc3339();
                    tx.execute(
                        "UPDATE reports SET state = 'dismissed', resolved_by = ?2, resolved_at = ?3 WHERE id = ?1",
                        params![report, viewer.person.id, at],
                    )?;
                    changelog::record(tx, ChangeKind::Report, report)?;
                    let entry = Entry { reason: reason.as_deref(), message: Some(message), ..Entry::default() };
                    log(tx, viewer, role, community, ModAction::Dismiss, &at, entry)?;
                }
            }
            Ok(report_of(tx, viewer, report)?)
        })
    }

    fn mod_log(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        before: Option<ModEntryId>,
        limit: usize,
    ) -> Result<Vec<ModEntry>, ModError> {
        let c = self.reader()?;
        admin_status(&c, community)?;
        if viewer.role_in(community).is_none() {
            return Err(ModRefusal::NotMember.into());
        }
        let fetch = i64::try_from(limit).unwrap_or(i64::MAX);
        // An entry that removed words has a moderators' row beside the members' one.
        let found = rows::<ModEntry>(
            &c,
            ChangeKind::ModEntry,
            "id IN (SELECT id FROM mod_log WHERE community_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3) \
             ORDER BY id DESC",
            params![community, before.unwrap_or(ModEntryId(i64::MAX)), fetch],
        )?;
        let mut out: Vec<ModEntry> = Vec::with_capacity(found.len());
        for entry in visible(viewer, found) {
            match out.last_mut() {
                Some(last) if last.id == entry.id => {
                    if entry.removed_text.is_some() {
                        *last = entry;
                    }
                }
                _ => out.push(entry),
            }
        }
        Ok(out)
    }

    fn appeal(&self, viewer: &Viewer, entry: ModEntryId, text: &str) -> Result<ModEntry, ModError> {
        self.write(|tx| {
            let found: Option<(CommunityId, bool, Option<PersonId>)> = tx
                .query_row(
                    "SELECT community_id, appeal_by IS NOT NULL, person_id FROM mod_log WHERE id = ?1",
                    [entry],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (community, appealed, affected) = found.ok_or(StoreError::NotFound(What::ModEntry))?;
            // Members appeal; so does the person acted on, even once banned from the chat.
            if !viewer.communities.contains_key(&community) && affected != Some(viewer.person.id) {
                return Err(ModRefusal::NotMember.into());
            }
            let text = moderation::check_reason(Some(text), true)?.unwrap_or_default();
            if appealed {
                return Err(ModRefusal::AlreadyAppealed.into());
            }
            tx.execute(
                "UPDATE mod_log SET appeal_by = ?2, appeal_text = ?3, appeal_at = ?4 WHERE id = ?1",
                params![entry, viewer.person.id, text, self.now_rfc3339()],
            )?;
            changelog::record(tx, ChangeKind::ModEntry, entry)?;
            Ok(entry_for(tx, viewer, entry)?)
        })
    }

    fn answer_appeal(&self, viewer: &Viewer, entry: ModEntryId, text: &str) -> Result<ModEntry, ModError> {
        if !viewer.is_inspector() {
            return Err(ModRefusal::InspectionOnly.into());
        }
        let text = moderation::check_reason(Some(text), true)?.unwrap_or_default();
        self.write(|tx| {
            let open: Option<bool> = tx
                .query_row(
                    "SELECT appeal_by IS NOT NULL AND answer_by IS NULL FROM mod_log WHERE id = ?1",
                    [entry],
                    |r| r.get(0),
                )
                .optional()?;
            if !open.ok_or(StoreError::NotFound(What::ModEntry))? {
                return Err(ModRefusal::NoOpenAppeal.into());
            }
            tx.execute(
                "UPDATE mod_log SET answer_by = ?2, answer_text = ?3, answer_at = ?4 WHERE id = ?1",
                params![entry, viewer.person.id, text, self.now_rfc3339()],
            )?;
            changelog::record(tx, ChangeKind::ModEntry, entry)?;
            Ok(entry_for(tx, viewer, entry)?)
        })
    }
}
