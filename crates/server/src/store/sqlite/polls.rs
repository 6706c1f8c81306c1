//! Polls in SQLite: opening one, and votes, one per premises, changeable until closing. The
//! tally is counted by the `feed_poll` view; the rules are `domkom_domain::poll`'s.

use rusqlite::{OptionalExtension, params};

use domkom_domain::chat::AdminStatus;
use domkom_domain::id::*;
use domkom_domain::moderation;
use domkom_domain::poll::{self, PollBasis, PollError};
use domkom_domain::wire::{ChangeKind, Poll, Voted};

use super::moderation::parse_time;
use super::{SqliteStore, changelog, one, rows, visible};
use crate::store::{Opened, PollRefusal, PollStore, StoreError, Viewer, What};

impl PollStore for SqliteStore {
    fn open_poll(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        client_key: &str,
        question: &str,
        options: &[String],
        basis: PollBasis,
        closes_at: &str,
    ) -> Result<Opened<Poll>, PollRefusal> {
        let request =
            serde_json::json!({"question": question, "options": options, "basis": basis, "closes_at": closes_at})
                .to_string();
        self.write(|tx| {
            let admin: Option<AdminStatus> = tx
                .query_row("SELECT admin_status FROM communities WHERE id = ?1 AND kind = 'house_chat'", [community], |r| {
                    r.get(0)
                })
                .optional()?;
            let admin = admin.ok_or(StoreError::NotFound(What::Community))?;
            moderation::may_moderate(viewer.role_in(community), admin).map_err(|_| PollError::NotModerator)?;
            let before: Option<(PollId, String)> = tx
                .query_row(
                    "SELECT id, request FROM polls WHERE opened_by = ?1 AND client_key = ?2",
                    params![viewer.person.id, client_key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((id, sent)) = before {
                if sent != request {
                    return Err(PollError::KeyReused.into());
                }
                return Ok(Opened { value: one(tx, viewer, ChangeKind::Poll, id, What::Poll)?, created: false });
            }
            let now = self.now_rfc3339();
            let (question, options, closes) =
                poll::check_poll(question, options, closes_at, parse_time(&now).unwrap_or_default())?;
            let closes = closes.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            let id: PollId = tx.query_row(
                "INSERT INTO polls (community_id, question, options, basis, opened_by, created_at, closes_at, client_key, \
                 request) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                params![
                    community,
                    question,
                    serde_json::to_string(&options).unwrap_or_default(),
                    basis,
                    viewer.person.id,
                    now,
                    closes,
                    client_key,
                    request
                ],
                |r| r.get(0),
            )?;
            changelog::record(tx, ChangeKind::Poll, id)?;
            Ok(Opened { value: one(tx, viewer, ChangeKind::Poll, id, What::Poll)?, created: true })
        })
    }

    fn polls(&self, viewer: &Viewer, community: CommunityId) -> Result<Vec<Poll>, PollRefusal> {
        let c = self.reader()?;
        let found = rows::<Poll>(
            &c,
            ChangeKind::Poll,
            "id IN (SELECT id FROM polls WHERE community_id = ?1) ORDER BY id DESC",
            [community],
        )?;
        if found.is_empty() {
            // Tell a chat without polls from a chat the viewer may not read.
            if viewer.role_in(community).is_none() {
                return Err(StoreError::NotVisible(What::Community).into());
            }
            return Ok(Vec::new());
        }
        let mut seen = visible(viewer, found);
        if seen.is_empty() {
            return Err(StoreError::NotVisible(What::Community).into());
        }
        // A voter sees the community's copy and their own (with their choice): keep theirs.
        seen.sort_by_key(|p| (std::cmp::Reverse(p.id), p.my_option.is_none()));
        seen.dedup_by_key(|p| p.id);
        Ok(seen)
    }

    fn vote(
        &self,
        viewer: &Viewer,
        poll_id: PollId,
        client_key: &str,
        option: u32,
    ) -> Result<Opened<Voted>, PollRefusal> {
        self.write(|tx| {
            let found: Option<(CommunityId, String, String, Option<HouseId>)> = tx
                .query_row(
                    "SELECT p.community_id, p.options, p.closes_at, c.house_id FROM polls p \
                     JOIN communities c ON c.id = p.community_id WHERE p.id = ?1",
                    [poll_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let (community, options, closes_at, house) = found.ok_or(StoreError::NotFound(What::Poll))?;
            if viewer.role_in(community).is_none() {
                return Err(StoreError::NotVisible(What::Poll).into());
            }
            // The same key again: the vote it cast, unchanged.
            let replay: Option<u32> = tx
                .query_row(
                    "SELECT option FROM poll_votes WHERE poll_id = ?1 AND person_id = ?2 AND client_key = ?3 LIMIT 1",
                    params![poll_id, viewer.person.id, client_key],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(cast) = replay {
                if cast != option {
                    return Err(PollError::KeyReused.into());
                }
                let premises: u32 = tx.query_row(
                    "SELECT count(*) FROM poll_votes WHERE poll_id = ?1 AND person_id = ?2",
                    params![poll_id, viewer.person.id],
                    |r| r.get(0),
                )?;
                let poll = one(tx, viewer, ChangeKind::Poll, poll_id, What::Poll)?;
                return Ok(Opened { value: Voted { poll, option, premises }, created: false });
            }
            // The premises the voter holds in the house (owners and registered tenants).
            let held: Vec<(PremisesId, i64)> = tx
                .prepare_cached(
                    "SELECT DISTINCT p.id, p.total_area FROM ownerships o JOIN premises p ON p.id = o.premises_id \
                     WHERE o.person_id = ?1 AND o.until IS NULL AND p.house_id = ?2 ORDER BY p.id",
                )?
                .query_map(params![viewer.person.id, house], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            // Who votes before what: a member with no flat there is told so for any option.
            poll::may_vote(held.len())?;
            let count = serde_json::from_str::<Vec<String>>(&options).map(|o| o.len()).unwrap_or(0);
            let now = self.now_rfc3339();
            poll::check_vote(
                option,
                count,
                parse_time(&closes_at).unwrap_or_default(),
                parse_time(&now).unwrap_or_default(),
            )?;
            let mut cast = 0;
            for (premises, area) in held {
                // A vote cast by a holder who still holds the premises stands; one by a former
                // holder (the flat was sold) gives way to the new one.
                let by: Option<PersonId> = tx
                    .query_row(
                        "SELECT v.person_id FROM poll_votes v WHERE v.poll_id = ?1 AND v.premises_id = ?2 \
                         AND EXISTS (SELECT 1 FROM ownerships o WHERE o.person_id = v.person_id \
                                     AND o.premises_id = v.premises_id AND o.until IS NULL)",
                        params![poll_id, premises],
                        |r| r.get(0),
                    )
                    .optional()?;
                match by {
                    Some(other) if other != viewer.person.id => continue,
                    _ => {}
                }
                tx.execute(
                    "INSERT INTO poll_votes (poll_id, premises_id, person_id, option, area, at, client_key) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (poll_id, premises_id) DO UPDATE SET \
                     option = excluded.option, at = excluded.at, client_key = excluded.client_key",
                    params![poll_id, premises, viewer.person.id, option, area, now, client_key],
                )?;
                cast += 1;
            }
            if cast == 0 {
                return Err(PollError::VotedByAnother.into());
            }
            changelog::record(tx, ChangeKind::Poll, poll_id)?;
            let poll = one(tx, viewer, ChangeKind::Poll, poll_id, What::Poll)?;
            Ok(Opened { value: Voted { poll, option, premises: cast }, created: true })
        })
    }
}
