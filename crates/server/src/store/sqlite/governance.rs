//! Governance in SQLite: applications for admin rights, their decisions, and the transfer of
//! a house to another managing organisation. The rules come from
//! `domkom_domain::governance`; each action is one transaction with its change-log entries.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use domkom_domain::Role;
use domkom_domain::chat::{AdminStatus, CommunityKind};
use domkom_domain::governance::{self, ApplicationState, GovRefusal};
use domkom_domain::house::ManagementType;
use domkom_domain::id::*;
use domkom_domain::wire::{AdminApplication, ChangeKind, Transferred};

use super::chat::{activate_membership, community_kind, end_membership};
use super::{SqliteStore, changelog, ids, one, rows, visible};
use crate::store::{GovError, GovernanceStore, StoreError, Viewer, What};

/// An application as the viewer may see it.
fn application_of(conn: &Connection, viewer: &Viewer, id: ApplicationId) -> Result<AdminApplication, StoreError> {
    one(conn, viewer, ChangeKind::AdminApplication, id, What::Application)
}

/// The Inspection only.
fn inspector(viewer: &Viewer) -> Result<(), GovRefusal> {
    if viewer.is_inspector() { Ok(()) } else { Err(GovRefusal::InspectionOnly) }
}

/// Records every chair's membership of a community again, so their view (whether they
/// moderate) is worked out anew by their push stream, and their client hears of it.
fn refresh_chairs(tx: &Transaction<'_>, community: CommunityId) -> rusqlite::Result<()> {
    let chairs: Vec<i64> = ids(
        tx,
        "SELECT id FROM memberships WHERE community_id = ?1 AND role = 'chair' AND left_at IS NULL",
        community,
    )?;
    for id in chairs {
        changelog::record(tx, ChangeKind::Membership, id)?;
    }
    Ok(())
}

/// In an unofficial chat, rights granted to someone else end its opener's: an owner who
/// opened it stays as a resident, staff of another organisation leave it.
fn hand_over_from_opener(
    tx: &Transaction<'_>,
    community: CommunityId,
    applicant: Option<PersonId>,
    at: &str,
) -> rusqlite::Result<()> {
    let opener: Option<(PersonId, Option<HouseId>)> = tx
        .query_row(
            "SELECT opened_by, house_id FROM communities WHERE id = ?1 AND official = 0 AND opened_by IS NOT NULL",
            [community],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((opener, house)) = opener else { return Ok(()) };
    if Some(opener) == applicant {
        return Ok(());
    }
    let membership: Option<(i64, bool)> = tx
        .query_row(
            "SELECT m.id, EXISTS (SELECT 1 FROM ownerships o JOIN premises p ON p.id = o.premises_id \
                                  WHERE o.person_id = m.person_id AND o.until IS NULL AND p.house_id = ?3) \
             FROM memberships m WHERE m.community_id = ?1 AND m.person_id = ?2 AND m.left_at IS NULL AND m.role = 'chair'",
            params![community, opener, house],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match membership {
        Some((id, true)) => {
            tx.execute("UPDATE memberships SET role = 'resident' WHERE id = ?1", [id])?;
            changelog::record(tx, ChangeKind::Membership, id)
        }
        Some((id, false)) => end_membership(tx, id, at),
        None => Ok(()),
    }
}

/// Records a house's entities again (its passport, tickets and their comments, notices,
/// repairs, collective meters and their readings), so staff who gained it sync them.
fn rerecord_house(tx: &Transaction<'_>, house: HouseId) -> rusqlite::Result<()> {
    changelog::record(tx, ChangeKind::House, house.get())?;
    let sets: [(ChangeKind, &str); 6] = [
        (ChangeKind::Ticket, "SELECT id FROM tickets WHERE house_id = ?1 ORDER BY id"),
        (
            ChangeKind::TicketComment,
            "SELECT c.id FROM ticket_comments c JOIN tickets t ON t.id = c.ticket_id WHERE t.house_id = ?1 ORDER BY c.id",
        ),
        (ChangeKind::Notice, "SELECT notice_id FROM notice_houses WHERE house_id = ?1 ORDER BY notice_id"),
        (ChangeKind::RepairPlan, "SELECT id FROM repair_plans WHERE house_id = ?1 ORDER BY id"),
        (ChangeKind::Device, "SELECT id FROM devices WHERE house_id = ?1 AND premises_id IS NULL ORDER BY id"),
        (
            ChangeKind::Reading,
            "SELECT r.id FROM readings r JOIN devices d ON d.id = r.device_id \
             WHERE d.house_id = ?1 AND d.premises_id IS NULL ORDER BY r.id",
        ),
    ];
    for (kind, sql) in sets {
        for id in ids::<i64>(tx, sql, house)? {
            changelog::record(tx, kind, id)?;
        }
    }
    Ok(())
}

impl GovernanceStore for SqliteStore {
    fn apply_for_rights(
        &self,
        viewer: &Viewer,
        community: CommunityId,
        details: Option<&str>,
    ) -> Result<AdminApplication, GovError> {
        self.write(|tx| {
            let (kind, house) = community_kind(tx, community)?;
            let house = house.filter(|_| kind == CommunityKind::HouseChat).ok_or(GovRefusal::NotAHouseChat)?;
            let (org, management): (Option<OrgId>, String) = tx
                .query_row(
                    "SELECT mp.org_id, h.management_type FROM management_periods mp \
                     JOIN houses h ON h.id = mp.house_id WHERE mp.house_id = ?1 AND mp.to_date IS NULL",
                    [house],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or(StoreError::NotFound(What::House))?;
            let management = ManagementType::parse(&management).ok_or(StoreError::NotFound(What::House))?;
            // The domain's rule, as the client offers it; staff apply only for the organisation
            // that manages the house now.
            let staff = viewer.dispatches(house) && org.is_some() && viewer.org_id == org;
            let role = match viewer.communities.get(&community) {
                _ if staff => Some(Role::Dispatcher),
                Some(Role::Dispatcher) | None => None,
                Some(role) => Some(*role),
            };
            if !role.is_some_and(|r| governance::may_apply(r, management)) {
                return Err(GovRefusal::NotApplicant.into());
            }
            let details = governance::check_text(details, false)?;
            let (status, official, holder): (AdminStatus, bool, Option<OrgId>) = tx.query_row(
                "SELECT admin_status, official, admin_org_id FROM communities WHERE id = ?1",
                [community],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            // A small house's unofficial chat is moderated by its opener until the Inspection
            // grants the rights to someone else: its organisation may apply although they
            // are held, unless the organisation holds them already.
            let taken_from_opener = !official && staff && holder != org;
            if status == AdminStatus::Granted && !taken_from_opener {
                return Err(GovRefusal::AlreadyGranted.into());
            }
            let open: Option<i64> = tx
                .query_row(
                    "SELECT id FROM admin_applications WHERE community_id = ?1 AND state = 'open'",
                    [community],
                    |r| r.get(0),
                )
                .optional()?;
            if open.is_some() {
                return Err(GovRefusal::AlreadyOpen.into());
            }
            let id: ApplicationId = tx.query_row(
                "INSERT INTO admin_applications (community_id, org_id, applicant_id, details, at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                params![community, org, viewer.person.id, details.unwrap_or_default(), self.now_rfc3339()],
                |r| r.get(0),
            )?;
            changelog::record(tx, ChangeKind::AdminApplication, id)?;
            Ok(application_of(tx, viewer, id)?)
        })
    }

    fn applications(
        &self,
        viewer: &Viewer,
        state: Option<ApplicationState>,
    ) -> Result<Vec<AdminApplication>, GovError> {
        let c = self.reader()?;
        let found = rows::<AdminApplication>(
            &c,
            ChangeKind::AdminApplication,
            "id IN (SELECT id FROM admin_applications WHERE ?1 IS NULL OR state = ?1) \
             ORDER BY json_extract(payload, '$.state') != 'open', id",
            [state],
        )?;
        let mut seen = visible(viewer, found);
        seen.dedup_by_key(|a| a.id);
        Ok(seen)
    }

    fn decide(
        &self,
        viewer: &Viewer,
        application: ApplicationId,
        grant: bool,
        reason: Option<&str>,
    ) -> Result<AdminApplication, GovError> {
        inspector(viewer)?;
        let reason = governance::check_text(reason, !grant)?;
        self.write(|tx| {
            let found: Option<(CommunityId, Option<OrgId>, Option<PersonId>, ApplicationState)> = tx
                .query_row(
                    "SELECT community_id, org_id, applicant_id, state FROM admin_applications WHERE id = ?1",
                    [application],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let (community, org, applicant, state) = found.ok_or(StoreError::NotFound(What::Application))?;
            if state != ApplicationState::Open {
                return Err(GovRefusal::Decided.into());
            }
            let at = self.now_rfc3339();
            let decided = if grant { ApplicationState::Granted } else { ApplicationState::Refused };
            tx.execute(
                "UPDATE admin_applications SET state = ?2, decided_by = ?3, decided_at = ?4, reason = ?5 WHERE id = ?1",
                params![application, decided, viewer.person.id, at, reason],
            )?;
            if grant {
                tx.execute(
                    "UPDATE communities SET admin_status = 'granted', admin_org_id = ?2 WHERE id = ?1",
                    params![community, org],
                )?;
                // A resident who applied for their house moderates it now.
                if let Some(person) = applicant {
                    tx.execute(
                        "UPDATE memberships SET role = 'chair' WHERE community_id = ?1 AND person_id = ?2 \
                         AND left_at IS NULL AND role = 'resident'",
                        params![community, person],
                    )?;
                }
                hand_over_from_opener(tx, community, applicant, &at)?;
                changelog::record(tx, ChangeKind::Community, community.get())?;
                refresh_chairs(tx, community)?;
            }
            changelog::record(tx, ChangeKind::AdminApplication, application)?;
            Ok(application_of(tx, viewer, application)?)
        })
    }

    fn transfer(
        &self,
        viewer: &Viewer,
        house: HouseId,
        org: OrgId,
        from: &str,
        grant_rights: bool,
    ) -> Result<Transferred, GovError> {
        inspector(viewer)?;
        self.write(|tx| {
            let current: Option<(i64, Option<OrgId>, String)> = tx
                .query_row(
                    "SELECT id, org_id, from_date FROM management_periods WHERE house_id = ?1 AND to_date IS NULL",
                    [house],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (period, old_org, since) = current.ok_or(StoreError::NotFound(What::House))?;
            let (org_name, org_kind): (String, String) = tx
                .query_row("SELECT name, kind FROM orgs WHERE id = ?1", [org], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or(StoreError::NotFound(What::Org))?;
            if old_org == Some(org) {
                return Err(GovRefusal::SameOrganisation.into());
            }
            let since = NaiveDate::parse_from_str(since.get(..10).unwrap_or_default(), "%Y-%m-%d").unwrap_or_default();
            let now = self.clock.now();
            // "Today" on the house's own clock (Kazan's day starts three hours before UTC's).
            let zone: String = tx.query_row("SELECT timezone FROM houses WHERE id = ?1", [house], |r| r.get(0))?;
            let today = domkom_domain::time::local_time(now, &zone).map_or(now.date_naive(), |t| t.date());
            let date = governance::check_transfer_date(from, since, today)?;
            let at = self.now_rfc3339();

            // The period closes and another opens; the house's kind of management follows.
            tx.execute("UPDATE management_periods SET to_date = ?2 WHERE id = ?1", params![period, date.to_string()])?;
            tx.execute(
                "INSERT INTO management_periods (house_id, org_id, from_date) VALUES (?1, ?2, ?3)",
                params![house, org, date.to_string()],
            )?;
            let management = match org_kind.as_str() {
                "tszh" => "tszh",
                "zhsk" => "zhsk",
                _ => "uk",
            };
            tx.execute("UPDATE houses SET management_type = ?2 WHERE id = ?1", params![house, management])?;

            // The old organisation's staff lose the house, its chat and its tickets now.
            let chat: Option<CommunityId> =
                tx.query_row("SELECT id FROM communities WHERE house_id = ?1", [house], |r| r.get(0)).optional()?;
            let mut removed = 0;
            if let Some(old) = old_org {
                let staff: Vec<i64> = ids(tx, "SELECT id FROM persons WHERE org_id = ?1 AND staff_role IS NOT NULL", old)?;
                for person in staff {
                    let owns: bool = tx.query_row(
                        "SELECT EXISTS (SELECT 1 FROM ownerships o JOIN premises p ON p.id = o.premises_id \
                         WHERE o.person_id = ?1 AND p.house_id = ?2 AND o.until IS NULL)",
                        params![person, house],
                        |r| r.get(0),
                    )?;
                    if owns {
                        // Staff who live there stay as residents of their own house.
                        if let Some(chat) = chat {
                            let m: Option<i64> = tx
                                .query_row(
                                    "UPDATE memberships SET role = 'resident' WHERE community_id = ?1 AND person_id = ?2 \
                                     AND left_at IS NULL RETURNING id",
                                    params![chat, person],
                                    |r| r.get(0),
                                )
                                .optional()?;
                            if let Some(m) = m {
                                changelog::record(tx, ChangeKind::Membership, m)?;
                            }
                        }
                        removed += 1;
                        continue;
                    }
                    if let Some(chat) = chat {
                        let membership: Option<i64> = tx
                            .query_row(
                                "SELECT id FROM memberships WHERE community_id = ?1 AND person_id = ?2 AND left_at IS NULL",
                                params![chat, person],
                                |r| r.get(0),
                            )
                            .optional()?;
                        if let Some(m) = membership {
                            end_membership(tx, m, &at)?;
                        }
                    }
                    changelog::record_removal_for(tx, ChangeKind::House, house.get(), person)?;
                    removed += 1;
                }
                // Their executors give up the house's open tickets; the new staff assign theirs.
                // Each one's history says so, in the Inspection's name.
                let open: Vec<i64> = ids(
                    tx,
                    "SELECT t.id FROM tickets t JOIN persons p ON p.id = t.assignee_id WHERE t.house_id = ?1 \
                     AND p.org_id IS NOT NULL AND t.status IN ('new', 'accepted', 'in_work')",
                    house,
                )?;
                for t in open {
                    tx.execute("UPDATE tickets SET assignee_id = NULL WHERE id = ?1", [t])?;
                    tx.execute(
                        "INSERT INTO ticket_events (ticket_id, kind, status, actor_id, at, note) \
                         SELECT id, 'assign', status, ?2, ?3, ?4 FROM tickets WHERE id = ?1",
                        params![
                            t,
                            viewer.person.id,
                            at,
                            format!("Дом передан в управление «{org_name}»: исполнителя назначит новая организация")
                        ],
                    )?;
                }
            }

            // Admin rights go back to pending unless granted to the new organisation now; an
            // application waiting from the old one is moot.
            let mut admin = if grant_rights { AdminStatus::Granted } else { AdminStatus::Pending };
            let mut added = 0;
            // A small house's unofficial chat stays with its opener, who moderates it until the
            // Inspection grants the rights to someone else.
            let unofficial: bool = match chat {
                Some(c) => tx.query_row("SELECT official = 0 FROM communities WHERE id = ?1", [c], |r| r.get(0))?,
                None => false,
            };
            if unofficial {
                admin = AdminStatus::Granted;
            }
            if let Some(chat) = chat {
                if !unofficial {
                    tx.execute(
                        "UPDATE communities SET admin_status = ?2, admin_org_id = ?3 WHERE id = ?1",
                        params![chat, admin, grant_rights.then_some(org)],
                    )?;
                }
                let moot: Vec<i64> = ids(
                    tx,
                    "SELECT id FROM admin_applications WHERE community_id = ?1 AND state = 'open'",
                    chat,
                )?;
                for a in moot {
                    tx.execute(
                        "UPDATE admin_applications SET state = 'refused', decided_by = ?2, decided_at = ?3, \
                         reason = 'Управление домом перешло к другой организации.' WHERE id = ?1",
                        params![a, viewer.person.id, at],
                    )?;
                    changelog::record(tx, ChangeKind::AdminApplication, a)?;
                }
                let staff: Vec<PersonId> =
                    ids(tx, "SELECT id FROM persons WHERE org_id = ?1 AND staff_role = 'dispatcher'", org)?;
                for person in staff {
                    activate_membership(tx, chat, person, Role::Dispatcher, &at)?;
                    added += 1;
                }
                // Moderators appointed under the old management step down; the new
                // organisation appoints its own when it holds the rights.
                let chairs: Vec<i64> = if unofficial {
                    Vec::new()
                } else {
                    ids(
                        tx,
                        "UPDATE memberships SET role = 'resident' WHERE community_id = ?1 AND role = 'chair' \
                         AND left_at IS NULL RETURNING id",
                        chat,
                    )?
                };
                for m in chairs {
                    changelog::record(tx, ChangeKind::Membership, m)?;
                }
                // The residents hear of it in their chat.
                let body = format!(
                    "Госжилинспекция: с {} домом управляет {org_name}. История чата, заявки и журнал модерации остаются с домом.",
                    date.format("%d.%m.%Y")
                );
                let key = format!("transfer-{}-{}", house.get(), now.timestamp_millis());
                let message: i64 = tx.query_row(
                    "INSERT INTO messages (community_id, author_id, client_key, body, created_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                    params![chat, viewer.person.id, key, body, at],
                    |r| r.get(0),
                )?;
                changelog::record(tx, ChangeKind::Message, message)?;
            }
            // Staff who gained a house without a chat have no membership whose change would
            // tell their push stream: the house goes to their own audience too.
            let chatless: Vec<i64> = if chat.is_none() {
                ids(tx, "SELECT id FROM persons WHERE org_id = ?1 AND staff_role = 'dispatcher'", org)?
            } else {
                Vec::new()
            };
            added += chatless.len();
            rerecord_house(tx, house)?;
            for person in chatless {
                changelog::record_for(tx, ChangeKind::House, house.get(), person)?;
            }
            Ok(Transferred {
                house_id: house,
                from_org_id: old_org,
                to_org_id: org,
                from: date.to_string(),
                admin_status: admin,
                staff_removed: removed,
                staff_added: u32::try_from(added).unwrap_or(u32::MAX),
            })
        })
    }
}
