//! The SQLite store: one writer connection behind a mutex, a pool of readers, WAL.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, RwLock};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use domkom_domain::Role;
use domkom_domain::message::{MessageError, validate_message_body};
use domkom_domain::wire::{
    ByManagement, Change, ChangeKind, ChangeOp, ChangesPage, ChatOffer, CityStats, DemoPerson, Me, Membership, Message,
    OrgCounts, PersonInfo, Premises,
};

use super::{
    AuthCode, ChangeHook, Entity, Filter, Refresh, Scope, Sent, Store, StoreError, TokenHashes, Viewer, feed, migrate,
    open_connection,
};
use crate::error::{Error, Result};

/// The backend's data in one SQLite file.
pub struct SqliteStore {
    path: std::path::PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    hook: RwLock<Option<ChangeHook>>,
}

/// A pooled reader that goes back to the pool when dropped.
struct Reader<'a> {
    conn: Option<Connection>,
    pool: &'a Mutex<Vec<Connection>>,
}

impl std::ops::Deref for Reader<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        // The option is only emptied in drop.
        self.conn.as_ref().unwrap_or_else(|| unreachable!("reader used after drop"))
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut pool)) = (self.conn.take(), self.pool.lock()) {
            pool.push(conn);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves SQLite consistent (transactions roll back).
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn message_error(e: MessageError) -> Error {
    let text = match e {
        MessageError::Empty => "Сообщение пустое: напишите текст.".to_owned(),
        MessageError::TooLong(n) => format!(
            "Сообщение слишком длинное: {n} символов, можно не больше {}. Разделите его на части.",
            domkom_domain::message::MAX_MESSAGE_CHARS
        ),
        MessageError::ControlChar(c) => {
            format!("В сообщении есть невидимый управляющий символ (код {c:#06x}). Удалите его и отправьте снова.")
        }
    };
    Error::invalid("invalid_message", text)
}

impl SqliteStore {
    /// Opens the store in a file, migrating it to the latest schema.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let mut writer = open_connection(path)?;
        migrate::migrate(&mut writer)?;
        Ok(SqliteStore {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            hook: RwLock::new(None),
        })
    }

    /// Sets the function told of every committed change.
    pub fn set_hook(&self, hook: ChangeHook) {
        if let Ok(mut h) = self.hook.write() {
            *h = Some(hook);
        }
    }

    /// Runs a closure on the writer connection directly (seeding, maintenance).
    pub fn with_writer<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> T {
        f(&mut lock(&self.writer))
    }

    fn reader(&self) -> Result<Reader<'_>> {
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(c) => c,
            None => open_connection(&self.path)?,
        };
        Ok(Reader { conn: Some(conn), pool: &self.readers })
    }

    /// Runs `f` in one immediate write transaction and tells the hook what it changed.
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = lock(&self.writer);
        let head: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| r.get(0))?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        if let Ok(hook) = self.hook.read()
            && let Some(hook) = hook.as_ref()
        {
            let mut stmt =
                conn.prepare_cached("SELECT seq, scope, scope_id FROM changes WHERE seq > ?1 ORDER BY seq")?;
            let rows =
                stmt.query_map([head], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
            for row in rows {
                let (seq, letter, id) = row?;
                if let Some(scope) = Scope::from_stored(&letter, id) {
                    hook(seq, scope);
                }
            }
        }
        Ok(out)
    }
}

fn row_to_change(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Change, Option<Scope>)> {
    let kind: String = r.get(1)?;
    let op: String = r.get(3)?;
    let payload: String = r.get(4)?;
    let scope: String = r.get(5)?;
    let scope_id: i64 = r.get(6)?;
    let data = serde_json::from_str(&payload)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e)))?;
    let kind = ChangeKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, format!("unknown kind {kind}").into())
    })?;
    Ok((
        Change {
            seq: r.get(0)?,
            kind,
            op: if op == "delete" { ChangeOp::Delete } else { ChangeOp::Upsert },
            id: r.get(2)?,
            data,
        },
        Scope::from_stored(&scope, scope_id),
    ))
}

fn message_of(conn: &Connection, id: i64) -> Result<Message> {
    let payload: Option<String> =
        conn.query_row("SELECT payload FROM feed_message WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    let payload = payload.ok_or_else(|| Error::not_found("Сообщение"))?;
    serde_json::from_str(&payload).map_err(|e| {
        tracing::error!(error = %e, "message payload does not match the wire type");
        Error::internal()
    })
}

fn person_info(conn: &Connection, person_id: i64) -> Result<Option<(PersonInfo, Option<i64>)>> {
    Ok(conn
        .query_row(
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
                    },
                    r.get(5)?,
                ))
            },
        )
        .optional()?)
}

fn ids(conn: &Connection, sql: &str, param: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([param], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Upserts an active membership and records it.
fn activate_membership(tx: &Transaction<'_>, community: i64, person: i64, role: Role) -> Result<i64> {
    let now = now_rfc3339();
    let id: i64 = tx.query_row(
        "INSERT INTO memberships (community_id, person_id, role, joined_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (community_id, person_id) DO UPDATE SET left_at = NULL, joined_at = \
         iif(memberships.left_at IS NULL, memberships.joined_at, excluded.joined_at) RETURNING id",
        params![community, person, role.as_str(), now],
        |r| r.get(0),
    )?;
    feed::record(tx, ChangeKind::Membership, id)?;
    // The community's entry is older than a joining client's cursor: record it again so
    // the new member's next sync brings the chat itself (its history comes by pages).
    feed::record(tx, ChangeKind::Community, community)?;
    Ok(id)
}

/// Ends a membership and tells its holder, whose client then purges the community.
fn end_membership(tx: &Transaction<'_>, membership_id: i64) -> Result<()> {
    tx.execute(
        "UPDATE memberships SET left_at = ?2 WHERE id = ?1 AND left_at IS NULL",
        params![membership_id, now_rfc3339()],
    )?;
    feed::record_removal(tx, ChangeKind::Membership, membership_id)?;
    Ok(())
}

impl Store for SqliteStore {
    fn city_stats(&self) -> Result<CityStats> {
        let c = self.reader()?;
        let (houses, uk, tszh, direct): (i64, i64, i64, i64) = c.query_row(
            "SELECT count(*), \
                    coalesce(sum(management_type = 'uk'), 0), \
                    coalesce(sum(management_type IN ('tszh', 'zhsk')), 0), \
                    coalesce(sum(management_type = 'direct'), 0) FROM houses",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let (org_uk, org_tszh): (i64, i64) = c.query_row(
            "SELECT coalesce(sum(kind = 'uk'), 0), coalesce(sum(kind IN ('tszh', 'zhsk')), 0) FROM orgs \
             WHERE id IN (SELECT org_id FROM management_periods WHERE to_date IS NULL)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (chats, granted, pending): (i64, i64, i64) = c.query_row(
            "SELECT count(*), coalesce(sum(admin_status = 'granted'), 0), coalesce(sum(admin_status = 'pending'), 0) \
             FROM communities WHERE kind = 'house_chat'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        // Members of a house community: everyone holding a premises of the house now;
        // joined: those of them with an active membership of its chat.
        let (eligible, joined): (i64, i64) = c.query_row(
            "SELECT count(*), count(m.id) FROM \
               (SELECT DISTINCT o.person_id AS pid, c.id AS cid FROM communities c \
                  JOIN premises p ON p.house_id = c.house_id \
                  JOIN ownerships o ON o.premises_id = p.id AND o.until IS NULL \
                 WHERE c.kind = 'house_chat') e \
             LEFT JOIN memberships m ON m.community_id = e.cid AND m.person_id = e.pid AND m.left_at IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(CityStats {
            houses,
            houses_by_management: ByManagement { uk, tszh_zhsk: tszh, direct },
            management_orgs: OrgCounts { uk: org_uk, tszh_zhsk: org_tszh },
            official_chats: chats,
            chats_with_admin: granted,
            chats_admin_pending: pending,
            members_joined_share: if eligible == 0 { 0.0 } else { joined as f64 / eligible as f64 },
        })
    }

    fn demo_persons(&self) -> Result<Vec<DemoPerson>> {
        let c = self.reader()?;
        let mut stmt =
            c.prepare_cached("SELECT demo_key, full_name FROM persons WHERE demo_key IS NOT NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            let key: String = r.get(0)?;
            Ok(DemoPerson { description: crate::esia::describe_demo(&key).to_owned(), key, name: r.get(1)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn person_by_demo_key(&self, key: &str) -> Result<Option<i64>> {
        let c = self.reader()?;
        Ok(c.query_row("SELECT id FROM persons WHERE demo_key = ?1", [key], |r| r.get(0)).optional()?)
    }

    fn save_auth_code(&self, code_hash: &str, code: &AuthCode) -> Result<()> {
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

    fn take_auth_code(&self, code_hash: &str) -> Result<Option<AuthCode>> {
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

    fn save_tokens(&self, t: &TokenHashes) -> Result<()> {
        self.write(|tx| insert_tokens(tx, t, None))
    }

    fn rotate_refresh(&self, refresh_hash: &str, now: i64, next: &dyn Fn(i64, &str) -> TokenHashes) -> Result<Refresh> {
        self.write(|tx| {
            let row: Option<(i64, String, i64, Option<i64>, i64, i64)> = tx
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

    fn revoke_family(&self, token_hash: &str) -> Result<bool> {
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

    fn access_token(&self, access_hash: &str) -> Result<Option<(i64, i64)>> {
        let c = self.reader()?;
        Ok(c.prepare_cached("SELECT person_id, expires_at FROM access_tokens WHERE token_hash = ?1")?
            .query_row([access_hash], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn viewer(&self, person_id: i64) -> Result<Viewer> {
        let c = self.reader()?;
        let (person, org_id) = person_info(&c, person_id)?
            .ok_or_else(|| Error::unauthorized("unknown_person", "Учётная запись не найдена. Войдите снова."))?;
        let premises: BTreeSet<i64> =
            ids(&c, "SELECT premises_id FROM ownerships WHERE person_id = ?1 AND until IS NULL", person_id)?
                .into_iter()
                .collect();
        let own_houses: BTreeSet<i64> = ids(
            &c,
            "SELECT DISTINCT p.house_id FROM ownerships o JOIN premises p ON p.id = o.premises_id \
             WHERE o.person_id = ?1 AND o.until IS NULL",
            person_id,
        )?
        .into_iter()
        .collect();
        let mut houses = own_houses.clone();
        if person.staff_role.as_deref() == Some("dispatcher")
            && let Some(org) = org_id
        {
            houses.extend(ids(
                &c,
                "SELECT house_id FROM management_periods WHERE org_id = ?1 AND to_date IS NULL",
                org,
            )?);
        }
        let mut communities = BTreeMap::new();
        let mut stmt =
            c.prepare_cached("SELECT community_id, role FROM memberships WHERE person_id = ?1 AND left_at IS NULL")?;
        let rows = stmt.query_map([person_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, role) = row?;
            communities.insert(id, Role::parse(&role).unwrap_or(Role::Resident));
        }
        // Unverified accounts see nothing of any house, whatever the registry says.
        if !person.trusted {
            return Ok(Viewer {
                person,
                org_id,
                premises: BTreeSet::new(),
                houses: BTreeSet::new(),
                own_houses: BTreeSet::new(),
                communities: BTreeMap::new(),
            });
        }
        Ok(Viewer { person, org_id, premises, houses, own_houses, communities })
    }

    fn me(&self, viewer: &Viewer) -> Result<Me> {
        let c = self.reader()?;
        let mut offers = Vec::new();
        let mut stmt = c.prepare_cached(
            "SELECT c.id, c.title, h.id, h.address FROM communities c JOIN houses h ON h.id = c.house_id \
             WHERE c.kind = 'house_chat' AND c.house_id = ?1",
        )?;
        for &house in &viewer.own_houses {
            let rows = stmt.query_map([house], |r| {
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

    fn head(&self) -> Result<i64> {
        let c = self.reader()?;
        Ok(c.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| r.get(0))?)
    }

    fn changes(&self, viewer: &Viewer, after: i64, limit: usize, only: Option<Scope>) -> Result<ChangesPage> {
        let mut c = self.reader()?;
        let conn: &mut Connection = match c.conn.as_mut() {
            Some(conn) => conn,
            None => return Err(Error::internal()),
        };
        // One read transaction: the page and the head come from the same snapshot.
        let tx = conn.transaction()?;
        let head: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| r.get(0))?;
        let fetch = (limit + 1) as i64;
        let mut found: Vec<Change> = Vec::new();
        const COLS: &str = "seq, kind, entity_id, op, payload, scope, scope_id";
        if viewer.is_inspector() && only.is_none() {
            // The Inspection sees every house and community: walk the log in order.
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {COLS} FROM changes WHERE seq > ?1 AND (scope IN ('h', 'c') \
                 OR (scope = 'p' AND scope_id = ?2) \
                 OR (scope = 'f' AND scope_id IN \
                     (SELECT premises_id FROM ownerships WHERE person_id = ?2 AND until IS NULL))) \
                 ORDER BY seq LIMIT ?3"
            ))?;
            let rows = stmt.query_map(params![after, viewer.person.id, fetch], row_to_change)?;
            for row in rows {
                found.push(row?.0);
            }
        } else {
            let scopes = match only {
                Some(s) => vec![s],
                None => viewer.scopes(),
            };
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {COLS} FROM changes WHERE scope = ?1 AND scope_id = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4"
            ))?;
            for scope in scopes {
                let (letter, id) = scope.to_stored();
                let rows = stmt.query_map(params![letter, id, after, fetch], row_to_change)?;
                for row in rows {
                    found.push(row?.0);
                }
            }
            found.sort_by_key(|c| c.seq);
        }
        let has_more = found.len() > limit;
        found.truncate(limit);
        let cursor = if has_more { found.last().map_or(after, |c| c.seq) } else { head.max(after) };
        Ok(ChangesPage { changes: found, cursor, has_more, head })
    }

    fn entities(&self, kind: ChangeKind, filter: &Filter, limit: usize) -> Result<Vec<Entity>> {
        let c = self.reader()?;
        let view = feed::view(kind);
        let (cond, order, arg1, arg2): (&str, &str, i64, i64) = match *filter {
            Filter::Id(id) => ("id = ?1", "id", id, 0),
            Filter::House(h) => ("scope = 'h' AND scope_id = ?1", "id", h, 0),
            Filter::Premises(p) => ("scope = 'f' AND scope_id = ?1", "id", p, 0),
            Filter::Account(a) => ("id IN (SELECT id FROM bills WHERE account_id = ?1)", "id DESC", a, 0),
            Filter::Device(d) => ("id IN (SELECT id FROM readings WHERE device_id = ?1)", "id DESC", d, 0),
            Filter::After(a) => ("id > ?1", "id", a, 0),
            Filter::History { community, before } => (
                "id IN (SELECT id FROM messages WHERE community_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3)",
                "id DESC",
                community,
                before.unwrap_or(i64::MAX),
            ),
        };
        // Filters that need one argument leave ?2 unused; SQLite allows that.
        let sql = format!("SELECT id, scope, scope_id, payload FROM {view} WHERE {cond} ORDER BY {order} LIMIT ?3");
        let mut stmt = c.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![arg1, arg2, limit as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?))
        })?;
        let rows: Vec<(i64, String, i64, String)> = rows.collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, letter, scope_id, payload)| {
                let scope = Scope::from_stored(&letter, scope_id).ok_or_else(Error::internal)?;
                let payload = serde_json::from_str(&payload).map_err(|_| Error::internal())?;
                Ok(Entity { id, scope, payload })
            })
            .collect()
    }

    fn premises(&self, house: i64) -> Result<Vec<Premises>> {
        let c = self.reader()?;
        let mut stmt = c.prepare_cached(
            "SELECT id, number, kind, entrance, floor, total_area, living_area FROM premises WHERE house_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([house], |r| {
            Ok(Premises {
                id: r.get(0)?,
                number: r.get(1)?,
                kind: r.get(2)?,
                entrance: r.get(3)?,
                floor: r.get(4)?,
                total_area: r.get(5)?,
                living_area: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn send_message(
        &self,
        viewer: &Viewer,
        community: i64,
        client_key: &str,
        body: &str,
        reply_to: Option<i64>,
    ) -> Result<Sent> {
        let body = validate_message_body(body).map_err(message_error)?;
        self.write(|tx| {
            let kind: Option<String> =
                tx.query_row("SELECT kind FROM communities WHERE id = ?1", [community], |r| r.get(0)).optional()?;
            let kind = kind.ok_or_else(|| Error::not_found("Чат"))?;
            let role = viewer.role_in(community).ok_or_else(not_member)?;
            if kind == "microdistrict" && role == Role::Resident {
                return Err(Error::forbidden(
                    "read_only_channel",
                    "Это информационный канал микрорайона: писать в него может только управляющая организация. \
                     Напишите в чат своего дома.",
                ));
            }
            let existing: Option<(i64, String)> = tx
                .query_row(
                    "SELECT id, body FROM messages WHERE author_id = ?1 AND client_key = ?2",
                    params![viewer.person.id, client_key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((id, stored)) = existing {
                let message = message_of(tx, id)?;
                if message.community_id != community || (stored != body && message.deleted_at.is_none()) {
                    return Err(Error::conflict(
                        "idempotency_key_reused",
                        "Этот ключ отправки уже использован для другого сообщения. Создайте новый ключ.",
                    ));
                }
                return Ok(Sent { message, created: false });
            }
            if let Some(parent) = reply_to {
                let parent_community: Option<i64> = tx
                    .query_row("SELECT community_id FROM messages WHERE id = ?1", [parent], |r| r.get(0))
                    .optional()?;
                if parent_community != Some(community) {
                    return Err(Error::invalid(
                        "reply_to_unknown",
                        "Сообщение, на которое вы отвечаете, не найдено в этом чате.",
                    ));
                }
            }
            let id: i64 = tx.query_row(
                "INSERT INTO messages (community_id, author_id, client_key, body, reply_to, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                params![community, viewer.person.id, client_key, body, reply_to, now_rfc3339()],
                |r| r.get(0),
            )?;
            feed::record(tx, ChangeKind::Message, id)?;
            Ok(Sent { message: message_of(tx, id)?, created: true })
        })
    }

    fn edit_message(&self, viewer: &Viewer, id: i64, body: &str) -> Result<Message> {
        let body = validate_message_body(body).map_err(message_error)?;
        self.write(|tx| {
            let message = visible_message(tx, viewer, id)?;
            if message.author.id != viewer.person.id {
                return Err(Error::forbidden("not_author", "Изменить можно только своё сообщение."));
            }
            if message.deleted_at.is_some() {
                return Err(Error::conflict("message_deleted", "Сообщение удалено, его нельзя изменить."));
            }
            tx.execute(
                "UPDATE messages SET body = ?2, edited_at = ?3 WHERE id = ?1",
                params![id, body, now_rfc3339()],
            )?;
            feed::record(tx, ChangeKind::Message, id)?;
            message_of(tx, id)
        })
    }

    fn delete_message(&self, viewer: &Viewer, id: i64) -> Result<Message> {
        self.write(|tx| {
            let message = visible_message(tx, viewer, id)?;
            let moderator = viewer.role_in(message.community_id).is_some_and(Role::moderates);
            if message.author.id != viewer.person.id && !moderator {
                return Err(Error::forbidden(
                    "not_author",
                    "Удалить можно только своё сообщение; чужие удаляет председатель или инспекция.",
                ));
            }
            if message.deleted_at.is_none() {
                // The text is erased, not hidden: a deleted message keeps no words.
                tx.execute("UPDATE messages SET body = '', deleted_at = ?2 WHERE id = ?1", params![id, now_rfc3339()])?;
                feed::record(tx, ChangeKind::Message, id)?;
            }
            message_of(tx, id)
        })
    }

    fn join(&self, viewer: &Viewer, community: i64) -> Result<Membership> {
        self.write(|tx| {
            let row: Option<(String, Option<i64>)> = tx
                .query_row("SELECT kind, house_id FROM communities WHERE id = ?1", [community], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let (kind, house) = row.ok_or_else(|| Error::not_found("Чат"))?;
            let house = match (kind.as_str(), house) {
                ("house_chat", Some(h)) => h,
                _ => {
                    return Err(Error::forbidden(
                        "not_joinable",
                        "К каналу микрорайона подключают автоматически вместе с чатом дома.",
                    ));
                }
            };
            if !viewer.own_houses.contains(&house) {
                return Err(Error::forbidden(
                    "not_owner",
                    "Собственность или регистрация в этом доме не подтверждена в реестре, поэтому вступить в чат нельзя.",
                ));
            }
            let role = viewer.communities.get(&community).copied().unwrap_or(Role::Resident);
            let id = activate_membership(tx, community, viewer.person.id, role)?;
            let channels = ids(
                tx,
                "SELECT c.id FROM communities c JOIN community_houses ch ON ch.community_id = c.id \
                 WHERE c.kind = 'microdistrict' AND ch.house_id = ?1",
                house,
            )?;
            for channel in channels {
                activate_membership(tx, channel, viewer.person.id, Role::Resident)?;
            }
            let payload: String =
                tx.query_row("SELECT payload FROM feed_membership WHERE id = ?1", [id], |r| r.get(0))?;
            serde_json::from_str(&payload).map_err(|_| Error::internal())
        })
    }

    fn leave(&self, viewer: &Viewer, community: i64) -> Result<()> {
        self.write(|tx| {
            let id: Option<i64> = tx
                .query_row(
                    "SELECT id FROM memberships WHERE community_id = ?1 AND person_id = ?2 AND left_at IS NULL",
                    params![community, viewer.person.id],
                    |r| r.get(0),
                )
                .optional()?;
            end_membership(tx, id.ok_or_else(not_member)?)
        })
    }

    fn end_ownership(&self, person_id: i64, premises_id: i64) -> Result<()> {
        self.write(|tx| {
            let id: Option<(i64, i64)> = tx
                .query_row(
                    "SELECT o.id, p.house_id FROM ownerships o JOIN premises p ON p.id = o.premises_id \
                     WHERE o.person_id = ?1 AND o.premises_id = ?2 AND o.until IS NULL",
                    params![person_id, premises_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (ownership, house) = id.ok_or_else(|| Error::not_found("Право собственности"))?;
            tx.execute("UPDATE ownerships SET until = date('now') WHERE id = ?1", [ownership])?;
            feed::record_removal(tx, ChangeKind::Ownership, ownership)?;
            let still_there: i64 = tx.query_row(
                "SELECT count(*) FROM ownerships o JOIN premises p ON p.id = o.premises_id \
                 WHERE o.person_id = ?1 AND p.house_id = ?2 AND o.until IS NULL",
                params![person_id, house],
                |r| r.get(0),
            )?;
            if still_there == 0 {
                let memberships = ids(
                    tx,
                    &format!(
                        "SELECT m.id FROM memberships m JOIN community_houses ch ON ch.community_id = m.community_id \
                         WHERE ch.house_id = {house} AND m.left_at IS NULL AND m.person_id = ?1"
                    ),
                    person_id,
                )?;
                for m in memberships {
                    end_membership(tx, m)?;
                }
            }
            Ok(())
        })
    }
}

/// How long a used refresh token may be presented again when its successor was never used:
/// the client lost the answer to the rotation (RFC 6819 §5.2.2.3 leaves the policy open;
/// identity providers call this a reuse interval or grace period).
const ROTATION_LEEWAY_SECS: i64 = 30;

fn not_member() -> Error {
    Error::forbidden(
        "not_member",
        "Вы не состоите в этом чате. Вступить можно, если собственность в доме подтверждена.",
    )
}

/// A message the viewer may see, or the reason they may not.
fn visible_message(conn: &Connection, viewer: &Viewer, id: i64) -> Result<Message> {
    let message = message_of(conn, id)?;
    if viewer.role_in(message.community_id).is_none() {
        return Err(not_member());
    }
    Ok(message)
}

fn insert_tokens(tx: &Transaction<'_>, t: &TokenHashes, parent: Option<&str>) -> Result<()> {
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

fn revoke_family(tx: &Transaction<'_>, family: &str) -> Result<()> {
    tx.execute("UPDATE refresh_tokens SET revoked = 1 WHERE family = ?1", [family])?;
    tx.execute("DELETE FROM access_tokens WHERE family = ?1", [family])?;
    Ok(())
}
