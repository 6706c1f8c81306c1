//! Tests of the seed: the demo persons' relationships, the Kazan figures, determinism, and
//! that every change payload reads as the wire type of its kind.

use std::path::Path;

use anyhow::anyhow;
use domkom_domain::Kopecks;
use domkom_domain::wire::{self, ChangeKind};
use rusqlite::types::FromSql;
use rusqlite::{Connection, Params};

use super::{Seed, SeedReport, seed};
use crate::store::migrate::migrate;
use crate::store::{StatsStore, open_connection};

fn fresh(path: &Path) -> anyhow::Result<Connection> {
    let mut conn = open_connection(path)?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn one<T: FromSql>(c: &Connection, sql: &str, p: impl Params) -> anyhow::Result<T> {
    Ok(c.query_row(sql, p, |r| r.get(0))?)
}

fn person(c: &Connection, key: &str) -> anyhow::Result<i64> {
    one(c, "SELECT id FROM persons WHERE demo_key = ?1", [key])
}

fn chat_of(c: &Connection, house: i64) -> anyhow::Result<i64> {
    one(c, "SELECT id FROM communities WHERE kind = 'house_chat' AND house_id = ?1", [house])
}

fn role(c: &Connection, person: i64, community: i64) -> anyhow::Result<Option<String>> {
    let mut st =
        c.prepare("SELECT role FROM memberships WHERE person_id = ?1 AND community_id = ?2 AND left_at IS NULL")?;
    let mut rows = st.query([person, community])?;
    Ok(match rows.next()? {
        Some(r) => Some(r.get(0)?),
        None => None,
    })
}

fn houses_owned(c: &Connection, person: i64) -> anyhow::Result<Vec<i64>> {
    let mut st = c.prepare(
        "SELECT DISTINCT p.house_id FROM ownerships o JOIN premises p ON p.id = o.premises_id \
         WHERE o.person_id = ?1 AND o.until IS NULL ORDER BY p.house_id",
    )?;
    let rows = st.query_map([person], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn memberships(c: &Connection, person: i64) -> anyhow::Result<i64> {
    one(c, "SELECT count(*) FROM memberships WHERE person_id = ?1", [person])
}

/// Reads a change payload as the wire type of its kind.
fn parse(kind: ChangeKind, payload: &str) -> serde_json::Result<()> {
    match kind {
        ChangeKind::House => serde_json::from_str::<wire::House>(payload).map(drop),
        ChangeKind::Community => serde_json::from_str::<wire::Community>(payload).map(drop),
        ChangeKind::Membership => serde_json::from_str::<wire::Membership>(payload).map(drop),
        ChangeKind::Ownership => serde_json::from_str::<wire::Ownership>(payload).map(drop),
        ChangeKind::Message => serde_json::from_str::<wire::Message>(payload).map(drop),
        ChangeKind::Ticket => serde_json::from_str::<wire::Ticket>(payload).map(drop),
        ChangeKind::TicketComment => serde_json::from_str::<wire::TicketComment>(payload).map(drop),
        ChangeKind::Device => serde_json::from_str::<wire::Device>(payload).map(drop),
        ChangeKind::Reading => serde_json::from_str::<wire::Reading>(payload).map(drop),
        ChangeKind::Account => serde_json::from_str::<wire::Account>(payload).map(drop),
        ChangeKind::Bill => serde_json::from_str::<wire::Bill>(payload).map(drop),
        ChangeKind::Notice => serde_json::from_str::<wire::Notice>(payload).map(drop),
        ChangeKind::RepairPlan => serde_json::from_str::<wire::RepairPlan>(payload).map(drop),
        ChangeKind::ModEntry => serde_json::from_str::<wire::ModEntry>(payload).map(drop),
        ChangeKind::Report => serde_json::from_str::<wire::Report>(payload).map(drop),
        ChangeKind::AdminApplication => serde_json::from_str::<wire::AdminApplication>(payload).map(drop),
        ChangeKind::Poll => serde_json::from_str::<wire::Poll>(payload).map(drop),
        ChangeKind::Reaction => serde_json::from_str::<wire::Reaction>(payload).map(drop),
    }
}

/// Thousandths from a decimal string of up to three decimals.
fn milli(s: &str) -> anyhow::Result<i64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let frac = format!("{frac:0<3}");
    Ok(whole.parse::<i64>()? * 1000 + frac[..3].parse::<i64>()?)
}

/// Figures that differ if anything at all differs between two seeds.
fn fingerprint(c: &Connection) -> anyhow::Result<Vec<i64>> {
    let mut out = Vec::new();
    for sql in [
        "SELECT count(*) FROM changes",
        "SELECT sum(length(payload)) FROM changes",
        "SELECT sum(length(full_name) + length(oid) * id) FROM persons",
        "SELECT sum(length(body) * id) FROM messages",
        "SELECT sum(total_area * id) FROM premises",
        "SELECT sum(total) FROM bills",
        "SELECT sum(length(c.created_at) * c.id + length(h.address)) FROM houses h JOIN communities c ON c.house_id = h.id",
    ] {
        out.push(one::<i64>(c, sql, [])?);
    }
    Ok(out)
}

#[test]
fn none_writes_nothing() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut conn = fresh(&dir.path().join("none.db"))?;
    let report = seed(&mut conn, Seed::None)?;
    assert_eq!((report.houses, report.persons, report.messages, report.changes), (0, 0, 0, 0));
    assert_eq!(one::<i64>(&conn, "SELECT count(*) FROM persons", [])?, 0);
    Ok(())
}

#[test]
fn small_seed_has_the_demo_persons_and_valid_payloads() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut conn = fresh(&dir.path().join("small.db"))?;
    let report = seed(&mut conn, Seed::Small)?;
    eprintln!("small seed: {report:?}");
    assert!(report.houses <= 8);
    assert!(seed(&mut conn, Seed::Small).is_err(), "seeding a non-empty database must fail");
    let c = &conn;

    let demo_chat = chat_of(c, 1)?;
    let demo_org: i64 = one(c, "SELECT org_id FROM management_periods WHERE house_id = 1 AND to_date IS NULL", [])?;
    assert_eq!(one::<String>(c, "SELECT kind FROM orgs WHERE id = ?1", [demo_org])?, "uk");
    assert!(one::<i64>(c, "SELECT flats FROM houses WHERE id = 1", [])? >= 20);

    let resident = person(c, "resident")?;
    assert_eq!(one::<String>(c, "SELECT full_name FROM persons WHERE id = ?1", [resident])?, "Сафина Алсу Ринатовна");
    assert_eq!(houses_owned(c, resident)?, vec![1]);
    assert_eq!(role(c, resident, demo_chat)?.as_deref(), Some("resident"));

    let chair = person(c, "chair")?;
    assert_eq!(houses_owned(c, chair)?, vec![1]);
    assert_eq!(role(c, chair, demo_chat)?.as_deref(), Some("chair"));

    let dispatcher = person(c, "dispatcher")?;
    assert_eq!(one::<String>(c, "SELECT staff_role FROM persons WHERE id = ?1", [dispatcher])?, "dispatcher");
    assert_eq!(one::<i64>(c, "SELECT org_id FROM persons WHERE id = ?1", [dispatcher])?, demo_org);
    let org_chats: i64 = one(
        c,
        "SELECT count(*) FROM communities cm JOIN management_periods mp ON mp.house_id = cm.house_id \
         AND mp.to_date IS NULL WHERE mp.org_id = ?1",
        [demo_org],
    )?;
    let dispatched: i64 = one(
        c,
        "SELECT count(*) FROM memberships m JOIN communities cm ON cm.id = m.community_id \
         JOIN management_periods mp ON mp.house_id = cm.house_id AND mp.to_date IS NULL \
         WHERE mp.org_id = ?1 AND m.person_id = ?2 AND m.role = 'dispatcher'",
        [demo_org, dispatcher],
    )?;
    assert!(org_chats >= 3);
    assert_eq!(dispatched, org_chats);

    let inspector = person(c, "inspector")?;
    assert_eq!(one::<String>(c, "SELECT staff_role FROM persons WHERE id = ?1", [inspector])?, "inspector");
    assert_eq!(one::<Option<i64>>(c, "SELECT org_id FROM persons WHERE id = ?1", [inspector])?, None);
    assert!(houses_owned(c, inspector)?.is_empty());

    let multi = person(c, "multi-owner")?;
    let multi_houses = houses_owned(c, multi)?;
    assert_eq!(multi_houses.len(), 2);
    assert!(multi_houses.contains(&1));
    for h in &multi_houses {
        assert_eq!(role(c, multi, chat_of(c, *h)?)?.as_deref(), Some("resident"));
    }

    let neighbour = person(c, "neighbour")?;
    let neighbour_houses = houses_owned(c, neighbour)?;
    assert_eq!(neighbour_houses.len(), 1);
    assert_ne!(neighbour_houses[0], 1);
    assert_eq!(role(c, neighbour, chat_of(c, neighbour_houses[0])?)?.as_deref(), Some("resident"));
    assert_eq!(role(c, neighbour, demo_chat)?, None);
    assert_eq!(memberships(c, neighbour)?, 1);

    for key in ["unverified", "not-joined"] {
        let p = person(c, key)?;
        assert_eq!(houses_owned(c, p)?, vec![1], "{key}");
        assert_eq!(memberships(c, p)?, 0, "{key}");
        let trusted: bool = one(c, "SELECT trusted FROM persons WHERE id = ?1", [p])?;
        assert_eq!(trusted, key == "not-joined");
    }

    // Registry invariants.
    let checks: &[(&str, i64)] = &[
        ("SELECT count(*) FROM memberships m JOIN persons p ON p.id = m.person_id WHERE p.trusted = 0", 0),
        (
            "SELECT count(*) FROM premises p WHERE p.kind = 'flat' AND NOT EXISTS \
             (SELECT 1 FROM ownerships o WHERE o.premises_id = p.id AND o.relation = 'owner')",
            0,
        ),
        (
            "SELECT count(*) FROM houses h WHERE h.flats != (SELECT count(*) FROM premises p \
             WHERE p.house_id = h.id AND p.kind = 'flat')",
            0,
        ),
        (
            "SELECT count(*) FROM houses h WHERE (h.flats >= 16) != EXISTS (SELECT 1 FROM communities c \
             WHERE c.house_id = h.id AND c.kind = 'house_chat')",
            0,
        ),
        (
            "SELECT count(*) FROM premises p WHERE p.kind = 'flat' AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.premises_id = p.id)",
            0,
        ),
        ("SELECT count(*) FROM communities WHERE kind = 'microdistrict'", 1),
        // Messages: ids follow time, replies point back within the chat.
        ("SELECT count(*) FROM messages a JOIN messages b ON b.id = a.id + 1 WHERE b.created_at < a.created_at", 0),
        (
            "SELECT count(*) FROM messages m JOIN messages r ON r.id = m.reply_to \
             WHERE r.community_id != m.community_id OR r.id >= m.id",
            0,
        ),
        ("SELECT count(*) FROM messages WHERE created_at >= '2026-11-24T12:00:00+03:00'", 0),
        // Tickets: every status in the demo house, the first event by the author.
        ("SELECT count(DISTINCT status) FROM tickets WHERE house_id = 1", 6),
        (
            "SELECT count(*) FROM tickets t WHERE (SELECT e.status || ':' || e.actor_id FROM ticket_events e \
             WHERE e.ticket_id = t.id ORDER BY e.id LIMIT 1) != 'new:' || t.author_id",
            0,
        ),
        (
            "SELECT count(*) FROM tickets t WHERE t.status != (SELECT e.status FROM ticket_events e \
             WHERE e.ticket_id = t.id ORDER BY e.id DESC LIMIT 1)",
            0,
        ),
        // Bills: 24 for each of the five demo flats, totals that add up.
        ("SELECT count(*) FROM (SELECT account_id FROM bills GROUP BY account_id HAVING count(*) = 24)", 5),
        (
            "SELECT count(*) FROM bills b WHERE b.total != (SELECT sum(l.payable) FROM bill_lines l \
             WHERE l.bill_id = b.id) + b.debt - b.paid + b.penalties",
            0,
        ),
        ("SELECT count(*) FROM bill_lines l WHERE l.payable != l.accrued + l.recalculation - l.discount", 0),
        ("SELECT count(*) FROM bill_instalments", 1),
        // The complex's channel has one post for its first house only.
        ("SELECT count(*) FROM message_houses", 1),
        (
            "SELECT count(*) FROM reactions r JOIN messages m ON m.id = r.message_id \
             WHERE r.person_id = m.author_id OR m.deleted_at IS NOT NULL",
            0,
        ),
        ("SELECT count(*) FROM devices WHERE kind = 'collective' AND premises_id IS NULL", 1),
        (
            "SELECT count(*) FROM notices WHERE kind = 'outage' AND outage_type = 'pause' AND service = 1 \
             AND julianday(starts_at) <= julianday('2026-11-24T12:00:00+03:00') \
             AND julianday(ends_at) > julianday('2026-11-24T12:00:00+03:00') \
             AND (julianday(ends_at) - julianday(starts_at)) * 24 > 4",
            1,
        ),
    ];
    for (sql, expected) in checks {
        assert_eq!(one::<i64>(c, sql, [])?, *expected, "{sql}");
    }
    assert!(one::<i64>(c, "SELECT count(*) FROM bill_lines WHERE volume_method = 'average'", [])? > 0);
    assert!(one::<i64>(c, "SELECT count(*) FROM messages WHERE community_id = ?1", [demo_chat])? >= 200);
    assert!(one::<i64>(c, "SELECT count(*) FROM bill_recalculations", [])? >= 10);
    assert!(one::<i64>(c, "SELECT count(*) FROM reactions", [])? >= 100, "neighbours react");

    bills_follow_the_readings(c)?;

    // Accrued = rate × (individual + common volume), exactly, on every line.
    let mut st = c.prepare("SELECT volume, common_volume, rate, accrued FROM bill_lines")?;
    let lines = st.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
    })?;
    for row in lines {
        let (volume, common, rate, accrued) = row?;
        assert_eq!(
            Kopecks(rate).times_milli(milli(&volume)? + milli(&common)?),
            Kopecks(accrued),
            "{volume} + {common} × {rate}"
        );
    }

    // Every payload reads as its wire type, and every kind is there.
    let mut seen = std::collections::HashSet::new();
    let mut st = c.prepare("SELECT kind, payload FROM changes ORDER BY seq")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (kind, payload) = row?;
        let k = ChangeKind::parse(&kind).ok_or_else(|| anyhow!("unknown kind {kind}"))?;
        parse(k, &payload).map_err(|e| anyhow!("{kind} payload does not match the wire type: {e}\n{payload}"))?;
        seen.insert(kind);
    }
    assert_eq!(seen.len(), ChangeKind::ALL.len(), "kinds seen: {seen:?}");
    Ok(())
}

/// Each bill's debt is the previous bill's total; each metered line's method is the one its
/// readings call for (meter when read, the average for up to three periods without, then the
/// norm); and what was billed between two readings is what the meter counted between them.
fn bills_follow_the_readings(c: &Connection) -> anyhow::Result<()> {
    let mut st = c.prepare("SELECT account_id, debt, total FROM bills ORDER BY account_id, period")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))?;
    let mut previous: Option<(i64, i64)> = None;
    for row in rows {
        let (account, debt, total) = row?;
        let expected = previous.filter(|p| p.0 == account).map_or(0, |p| p.1);
        assert_eq!(debt, expected, "account {account}: the debt carried is the previous bill's total");
        previous = Some((account, total));
    }

    let mut st = c.prepare("SELECT payload FROM changes WHERE kind = 'bill'")?;
    let bills = st.query_map([], |r| r.get::<_, String>(0))?;
    for payload in bills {
        let bill: wire::Bill = serde_json::from_str(&payload?)?;
        assert_eq!(bill.discrepancies(), vec![], "bill {} of {}", bill.id, bill.period);
    }

    let lines = [
        ("cold_water", "Холодное водоснабжение", "t1"),
        ("hot_water", "Горячее водоснабжение", "t1"),
        ("electricity", "Электроэнергия (день, Т1)", "t1"),
        ("electricity", "Электроэнергия (ночь, Т2)", "t2"),
    ];
    let mut methods = std::collections::BTreeMap::<String, usize>::new();
    let mut st = c.prepare(
        "SELECT d.id, a.id FROM devices d JOIN accounts a ON a.premises_id = d.premises_id \
         WHERE d.resource = ?1 ORDER BY d.id",
    )?;
    for (resource, service, zone) in lines {
        let devices: Vec<(i64, i64)> =
            st.query_map([resource], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        assert!(!devices.is_empty(), "{resource}");
        for (device, account) in devices {
            let mut q = c.prepare(&format!(
                "SELECT b.period, l.volume, l.volume_method, l.unread_periods, \
                 (SELECT r.{zone} FROM readings r WHERE r.device_id = ?1 AND r.period = b.period) \
                 FROM bills b JOIN bill_lines l ON l.bill_id = b.id \
                 WHERE b.account_id = ?2 AND l.service = ?3 ORDER BY b.period"
            ))?;
            let months: Vec<(String, String, String, i64, Option<String>)> = q
                .query_map(rusqlite::params![device, account, service], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut unread = 0;
            let mut since_first: Option<(i64, i64)> = None; // (first reading, billed since)
            let mut last_read = None;
            let mut billed_at_last_read = 0;
            for (period, volume, method, unread_periods, reading) in &months {
                unread = if reading.is_some() { 0 } else { unread + 1 };
                assert_eq!(*unread_periods, unread, "device {device}, {period}: periods unread");
                let expected = match unread {
                    0 => "meter",
                    1..=3 => "average",
                    _ if resource == "electricity" => "average",
                    _ => "norm",
                };
                assert_eq!(method, expected, "device {device}, {period}: {unread} periods unread");
                *methods.entry(method.clone()).or_default() += 1;
                if let Some((_, billed)) = since_first.as_mut() {
                    *billed += milli(volume)?;
                }
                if let Some(r) = reading {
                    let r = milli(r)?;
                    match since_first {
                        None => since_first = Some((r, 0)),
                        Some((_, billed)) => {
                            last_read = Some(r);
                            billed_at_last_read = billed;
                        }
                    }
                }
            }
            if let (Some((first, _)), Some(last)) = (since_first, last_read) {
                assert_eq!(billed_at_last_read, last - first, "device {device}: billed against counted");
            }
        }
    }
    for method in ["meter", "average", "norm"] {
        assert!(methods.get(method).copied().unwrap_or(0) > 0, "no line billed by {method}: {methods:?}");
    }
    Ok(())
}

#[test]
fn kazan_seed_reproduces_the_city_figures_deterministically() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let paths = [dir.path().join("a.db"), dir.path().join("b.db")];
    // One after the other, so the printed times are not shared with the other seed.
    let mut reports: Vec<SeedReport> = Vec::new();
    for p in &paths {
        let mut conn = fresh(p)?;
        reports.push(seed(&mut conn, Seed::Kazan)?);
    }
    for r in &reports {
        eprintln!(
            "kazan seed: {} houses, {} persons, {} messages, {} changes in {:.1} s",
            r.houses,
            r.persons,
            r.messages,
            r.changes,
            r.elapsed.as_secs_f64()
        );
    }
    let c = &open_connection(&paths[0])?;
    let d = &open_connection(&paths[1])?;
    assert_eq!(fingerprint(c)?, fingerprint(d)?, "two Kazan seeds differ");

    let figures: &[(&str, i64)] = &[
        ("SELECT count(*) FROM houses", 6014),
        ("SELECT count(*) FROM houses WHERE management_type = 'uk'", 5086),
        ("SELECT count(*) FROM houses WHERE management_type IN ('tszh', 'zhsk')", 842),
        ("SELECT count(*) FROM houses WHERE management_type = 'direct'", 86),
        (
            "SELECT count(*) FROM management_periods mp JOIN orgs o ON o.id = mp.org_id \
             WHERE mp.to_date IS NULL AND o.kind = 'uk'",
            5086,
        ),
        (
            "SELECT count(*) FROM management_periods mp JOIN orgs o ON o.id = mp.org_id \
             WHERE mp.to_date IS NULL AND o.kind IN ('tszh', 'zhsk')",
            842,
        ),
        ("SELECT count(*) FROM management_periods WHERE to_date IS NULL AND org_id IS NULL", 86),
        (
            "SELECT count(*) FROM (SELECT house_id FROM management_periods WHERE to_date IS NULL GROUP BY house_id HAVING count(*) = 1)",
            6014,
        ),
        (
            "SELECT count(*) FROM houses h JOIN management_periods mp ON mp.house_id = h.id AND mp.to_date IS NULL \
             LEFT JOIN orgs o ON o.id = mp.org_id WHERE coalesce(o.kind, 'direct') != h.management_type",
            0,
        ),
        ("SELECT count(*) FROM orgs WHERE kind = 'uk'", 137),
        ("SELECT count(DISTINCT name) FROM orgs", 877),
        ("SELECT count(DISTINCT ogrn) FROM orgs", 877),
        ("SELECT count(*) FROM orgs WHERE kind IN ('tszh', 'zhsk')", 740),
        (
            "SELECT count(DISTINCT mp.org_id) FROM management_periods mp JOIN orgs o ON o.id = mp.org_id \
             WHERE mp.to_date IS NULL AND o.kind = 'uk'",
            137,
        ),
        (
            "SELECT count(DISTINCT mp.org_id) FROM management_periods mp JOIN orgs o ON o.id = mp.org_id \
             WHERE mp.to_date IS NULL AND o.kind IN ('tszh', 'zhsk')",
            740,
        ),
        ("SELECT count(*) FROM houses WHERE flats >= 16", 5418),
        ("SELECT count(*) FROM communities WHERE kind = 'house_chat'", 5418),
        (
            "SELECT count(*) FROM houses h WHERE (h.flats >= 16) != EXISTS (SELECT 1 FROM communities c \
             WHERE c.house_id = h.id AND c.kind = 'house_chat')",
            0,
        ),
        (
            "SELECT count(*) FROM community_houses ch JOIN communities c ON c.id = ch.community_id WHERE c.kind = 'house_chat'",
            5418,
        ),
        ("SELECT count(*) FROM communities WHERE kind = 'house_chat' AND admin_status = 'granted'", 4800),
        ("SELECT count(*) FROM communities WHERE kind = 'house_chat' AND admin_status = 'pending'", 618),
        // The Inspection's queue is real from the start: one open application per pending chat.
        ("SELECT count(*) FROM admin_applications WHERE state = 'open'", 618),
        (
            "SELECT count(*) FROM admin_applications a JOIN communities c ON c.id = a.community_id \
             WHERE c.admin_status = 'pending' AND a.applicant_id IS NOT NULL",
            618,
        ),
        (
            "SELECT count(*) FROM communities c JOIN management_periods mp ON mp.house_id = c.house_id \
             AND mp.to_date IS NULL WHERE c.admin_status = 'granted' AND (mp.org_id IS NULL OR c.admin_org_id IS NOT mp.org_id)",
            0,
        ),
        (
            "SELECT count(*) FROM communities c JOIN houses h ON h.id = c.house_id \
             WHERE h.management_type = 'direct' AND c.admin_status != 'pending'",
            0,
        ),
        ("SELECT count(*) FROM houses WHERE flats < 16 AND (flats < 8 OR flats > 12)", 0),
        ("SELECT count(*) FROM memberships m JOIN persons p ON p.id = m.person_id WHERE p.trusted = 0", 0),
        ("SELECT count(DISTINCT address) FROM houses", 6014),
        ("SELECT count(DISTINCT district) FROM houses", 7),
        ("SELECT count(*) FROM lifts l JOIN houses h ON h.id = l.house_id WHERE h.floors < 9", 0),
        (
            "SELECT count(*) FROM houses h WHERE h.floors >= 9 AND NOT EXISTS (SELECT 1 FROM lifts l WHERE l.house_id = h.id)",
            0,
        ),
        ("SELECT count(*) FROM entrances e JOIN houses h ON h.id = e.house_id WHERE e.storeys != h.floors", 0),
        (
            "SELECT count(*) FROM houses h WHERE h.flats != (SELECT count(*) FROM premises p \
             WHERE p.house_id = h.id AND p.kind = 'flat')",
            0,
        ),
    ];
    for (sql, expected) in figures {
        assert_eq!(one::<i64>(c, sql, [])?, *expected, "{sql}");
    }

    // The joined share as the city statistics publish it.
    let share = crate::store::SqliteStore::open(&paths[0])?.city_stats()?.members_joined_share;
    eprintln!("joined share: {share:.4}");
    assert!((0.29..=0.33).contains(&share), "joined share {share}");

    for (name, district) in [("Салават Купере", "Кировский"), ("Art City", "Вахитовский")]
    {
        let houses: i64 = one(c, "SELECT count(*) FROM houses WHERE complex = ?1 AND district = ?2", [name, district])?;
        assert!((15..=30).contains(&houses), "{name}: {houses} houses");
        let channel: i64 = one(
            c,
            "SELECT id FROM communities WHERE kind = 'microdistrict' AND house_id IS NULL AND title = ?1",
            [format!("{name} — микрорайон")],
        )?;
        let covered: i64 = one(
            c,
            "SELECT count(*) FROM community_houses ch JOIN houses h ON h.id = ch.house_id \
             WHERE ch.community_id = ?1 AND h.complex = ?2",
            rusqlite::params![channel, name],
        )?;
        assert_eq!(covered, houses, "{name}");
        assert!(one::<i64>(c, "SELECT count(*) FROM messages WHERE community_id = ?1", [channel])? >= 15);
    }

    let dispatcher = person(c, "dispatcher")?;
    let org: i64 = one(c, "SELECT org_id FROM persons WHERE id = ?1", [dispatcher])?;
    let managed: i64 = one(c, "SELECT count(*) FROM management_periods WHERE org_id = ?1 AND to_date IS NULL", [org])?;
    assert!((30..=45).contains(&managed), "the demo УК manages {managed} houses");
    let chats: i64 =
        one(c, "SELECT count(*) FROM memberships WHERE person_id = ?1 AND role = 'dispatcher'", [dispatcher])?;
    assert_eq!(chats, managed);
    assert!(one::<i64>(c, "SELECT count(*) FROM messages WHERE community_id = ?1", [chat_of(c, 1)?])? >= 2500);
    let authors: i64 =
        one(c, "SELECT count(DISTINCT author_id) FROM messages WHERE community_id = ?1", [chat_of(c, 1)?])?;
    assert!(authors >= 35, "{authors} authors in the demo chat");
    let tickets: i64 = one(
        c,
        "SELECT count(*) FROM tickets t JOIN management_periods mp ON mp.house_id = t.house_id AND mp.to_date IS NULL \
         WHERE mp.org_id = ?1",
        [org],
    )?;
    assert!(tickets >= 300, "{tickets} tickets");
    for sql in [
        "SELECT count(*) FROM premises",
        "SELECT count(*) FROM persons",
        "SELECT count(*) FROM ownerships",
        "SELECT count(*) FROM memberships",
        "SELECT count(*) FROM messages",
        "SELECT count(*) FROM tickets",
        "SELECT count(*) FROM notices",
        "SELECT count(*) FROM repair_plans",
    ] {
        eprintln!("{sql}: {}", one::<i64>(c, sql, [])?);
    }
    Ok(())
}
