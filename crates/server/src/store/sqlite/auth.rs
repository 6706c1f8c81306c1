//! Sign-in's storage: demo persons, authorization codes, token families, and what a person
//! may see.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use domkom_domain::id::*;
use domkom_domain::wire::{ChatOffer, DemoPerson, Me, PersonInfo};
use domkom_domain::{StaffRole, moderation};

use super::{SqliteStore, ids};
use crate::store::{AuthCode, AuthStore, Refresh, StoreResult, TokenHashes, Viewer};

/// How long a used refresh token may be presented again when its successor was never used:
/// the client lost the answer to the rotation (RFC 6819 §5.2.2.3 leaves the policy open;
/// identity providers call this a reuse interval or grace period).
const ROTATION_LEEWAY_SECS: i64 = 30;

impl AuthStore for SqliteStore {
    fn demo_persons(&self) -> StoreResult<Vec<DemoPerson>> {
        let c = self.reader()?;
        let mut stmt =
            c.prepare_cached("SELECT demo_key, full_name, id FROM persons WHERE demo_key IS NOT NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            let key: String = r.get(0)?;
            Ok(DemoPerson {
                description: crate::esia::describe_demo(&key).to_owned(),
                key,
                name: r.get(1)?,
                id: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn person_by_demo_key(&self, key: &str) -> StoreResult<Option<PersonId>> {
        let c = self.reader()?;
        Ok(c.query_row("SELECT id FROM persons WHERE demo_key = ?1", [key], |r| r.get(0)).optional()?)
    }

    fn save_auth_code(&self, code_hash: &str, code: &AuthCode) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM oauth_codes WHERE expires_at < ?1", [code.expires_at - 3600])?;
            tx.execute(
                "INSERT INTO oauth_codes (code_hash, person_id, client_id, redirect_uri, code_challenge, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    code_hash,
                    code.person_id,
                    code.client_id,
                    code.redirect_uri,
                    code.code_challenge,
                    code.expires_at
                ],
            )?;
            Ok(())
        })
    }

    fn take_auth_code(&self, code_hash: &str) -> StoreResult<Option<AuthCode>> {
        self.write(|tx| {
            let code = tx
                .query_row(
                    "SELECT person_id, client_id, redirect_uri, code_challenge, expires_at, used FROM oauth_codes \
                     WHERE code_hash = ?1",
                    [code_hash],
                    |r| {
                        Ok(AuthCode {
                            person_id: r.get(0)?,
                            client_id: r.get(1)?,
                            redirect_uri: r.get(2)?,
                            code_challenge: r.get(3)?,
                            expires_at: r.get(4)?,
                            used: r.get::<_, i64>(5)? == 1,
                        })
                    },
                )
                .optional()?;
            tx.execute("UPDATE oauth_codes SET used = 1 WHERE code_hash = ?1", [code_hash])?;
            Ok(code)
        })
    }

    fn save_tokens(&self, t: &TokenHashes) -> StoreResult<()> {
        Ok(self.write(|tx| insert_tokens(tx, t, None))?)
    }

    fn rotate_refresh(
        &self,
        refresh_hash: &str,
        now: i64,
        next: &dyn Fn(PersonId, &str) -> TokenHashes,
    ) -> StoreResult<Refresh> {
        self.write(|tx| {
            let row: Option<(PersonId, String, i64, Option<i64>, i64, i64)> = tx
                .query_row(
                    "SELECT person_id, family, used, used_at, revoked, expires_at FROM refresh_tokens \
                     WHERE token_hash = ?1",
                    [refresh_hash],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
                )
                .optional()?;
            let Some((person, family, used, used_at, revoked, expires_at)) = row else {
                return Ok(Refresh::Invalid);
            };
            if revoked == 1 || expires_at <= now {
                return Ok(Refresh::Invalid);
            }
            if used == 1 {
                // Presented again. If it was used moments ago and its successor has not been
                // used since, the answer to that rotation was lost (a crash, a cut line):
                // the successor is void and the rotation is done again. Otherwise the token
                // leaked: end the whole session.
                let used_at = used_at.unwrap_or(0);
                let successor_used: i64 = tx.query_row(
                    "SELECT count(*) FROM refresh_tokens WHERE parent = ?1 AND used = 1",
                    [refresh_hash],
                    |r| r.get(0),
                )?;
                if now - used_at > ROTATION_LEEWAY_SECS || successor_used > 0 {
                    revoke_family(tx, &family)?;
                    return Ok(Refresh::Reused);
                }
                tx.execute("UPDATE refresh_tokens SET revoked = 1 WHERE family = ?1 AND used = 0", [&family])?;
            }
            tx.execute(
                "UPDATE refresh_tokens SET used = 1, used_at = ?2 WHERE token_hash = ?1",
                params![refresh_hash, now],
            )?;
            insert_tokens(tx, &next(person, &family), Some(refresh_hash))?;
            Ok(Refresh::Rotated)
        })
    }

    fn revoke_family(&self, token_hash: &str) -> StoreResult<bool> {
        self.write(|tx| {
            let family: Option<String> = tx
                .query_row(
                    "SELECT family FROM refresh_tokens WHERE token_hash = ?1 \
                     UNION ALL SELECT family FROM access_tokens WHERE token_hash = ?1 LIMIT 1",
                    [token_hash],
                    |r| r.get(0),
                )
                .optional()?;
            match family {
                Some(f) => {
                    revoke_family(tx, &f)?;
                    Ok(true)
                }
                None => Ok(false),
            }
        })
    }

    fn access_token(&self, access_hash: &str) -> StoreResult<Option<(PersonId, i64)>> {
        let c = self.reader()?;
        Ok(c.prepare_cached("SELECT person_id, expires_at FROM access_tokens WHERE token_hash = ?1")?
            .query_row([access_hash], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn viewer(&self, person_id: PersonId) -> StoreResult<Option<Viewer>> {
        let c = self.reader()?;
        let Some((person, org_id)) = person_info(&c, person_id)? else {
            return Ok(None);
        };
        let staff = person.staff_role;
        // Unverified accounts see nothing of any house, whatever the registry says.
        if !person.trusted {
            return Ok(Some(Viewer {
                person,
                staff,
                org_id,
                premises: BTreeSet::new(),
                houses: BTreeSet::new(),
                own_houses: BTreeSet::new(),
                managed: BTreeSet::new(),
                communities: BTreeMap::new(),
                moderates: BTreeSet::new(),
            }));
        }
        let premises: BTreeSet<PremisesId> =
            ids(&c, "SELECT premises_id FROM ownerships WHERE person_id = ?1 AND until IS NULL", person_id)?
                .into_iter()
                .collect();
        let own_houses: BTreeSet<HouseId> = ids(
            &c,
            "SELECT DISTINCT p.house_id FROM ownerships o JOIN premises p ON p.id = o.premises_id \
             WHERE o.person_id = ?1 AND o.until IS NULL",
            person_id,
        )?
        .into_iter()
        .collect();
        let mut managed = BTreeSet::new();
        if staff == Some(StaffRole::Dispatcher)
            && let Some(org) = org_id
        {
            managed.extend(ids::<HouseId>(
                &c,
                "SELECT house_id FROM management_periods WHERE org_id = ?1 AND to_date IS NULL",
                org,
            )?);
        }
        let houses = own_houses.union(&managed).copied().collect();
        let mut communities = BTreeMap::new();
        let mut moderates = BTreeSet::new();
        let mut stmt = c.prepare_cached(
            "SELECT m.community_id, m.role, c.admin_status FROM memberships m \
             JOIN communities c ON c.id = m.community_id WHERE m.person_id = ?1 AND m.left_at IS NULL",
        )?;
        let rows = stmt.query_map([person_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        for row in rows {
            let (id, role, admin) = row?;
            if moderation::may_moderate(Some(role), admin).is_ok() {
                moderates.insert(id);
            }
            communities.insert(id, role);
        }
        Ok(Some(Viewer { person, staff, org_id, premises, houses, own_houses, managed, communities, moderates }))
    }

    fn me(&self, viewer: &Viewer) -> StoreResult<Me> {
        let c = self.reader()?;
        let mut offers = Vec::new();
        let mut stmt = c.prepare_cached(
            "SELECT c.id, c.title, h.id, h.address FROM communities c JOIN houses h ON h.id = c.house_id \
             WHERE c.kind = 'house_chat' AND c.house_id = ?1 AND NOT EXISTS (SELECT 1 FROM memberships m \
             WHERE m.community_id = c.id AND m.person_id = ?2 AND m.banned = 1)",
        )?;
        for &house in &viewer.own_houses {
            let rows = stmt.query_map(params![house, viewer.person.id], |r| {
                Ok(ChatOffer { community_id: r.get(0)?, title: r.get(1)?, house_id: r.get(2)?, address: r.get(3)? })
            })?;
            for offer in rows {
                let offer = offer?;
                if !viewer.communities.contains_key(&offer.community_id) {
                    offers.push(offer);
                }
            }
        }
        Ok(Me {
            person: viewer.person.clone(),
            house_ids: viewer.houses.iter().copied().collect(),
            community_ids: viewer.communities.keys().copied().collect(),
            offers,
        })
    }
}

fn person_info(conn: &Connection, person_id: PersonId) -> rusqlite::Result<Option<(PersonInfo, Option<OrgId>)>> {
    conn.query_row(
        "SELECT id, oid, full_name, trusted, staff_role, org_id FROM persons WHERE id = ?1",
        [person_id],
        |r| {
            Ok((
                PersonInfo {
                    id: r.get(0)?,
                    oid: r.get(1)?,
                    name: r.get(2)?,
                    trusted: r.get::<_, i64>(3)? == 1,
                    staff_role: r.get(4)?,
                    org_id: r.get(5)?,
                },
                r.get(5)?,
            ))
        },
    )
    .optional()
}

fn insert_tokens(tx: &Transaction<'_>, t: &TokenHashes, parent: Option<&str>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO access_tokens (token_hash, person_id, family, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![t.access_hash, t.person_id, t.family, t.access_expires_at],
    )?;
    tx.execute(
        "INSERT INTO refresh_tokens (token_hash, person_id, family, expires_at, parent) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![t.refresh_hash, t.person_id, t.family, t.refresh_expires_at, parent],
    )?;
    Ok(())
}

fn revoke_family(tx: &Transaction<'_>, family: &str) -> rusqlite::Result<()> {
    tx.execute("UPDATE refresh_tokens SET revoked = 1 WHERE family = ?1", [family])?;
    tx.execute("DELETE FROM access_tokens WHERE family = ?1", [family])?;
    Ok(())
}
