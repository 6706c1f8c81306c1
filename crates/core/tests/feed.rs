//! Applying the change feed: every kind the server sends is stored, deleted again by its
//! delete, and each tells the app what changed with an event of its own.

use rusqlite::OptionalExtension;

use domkom_core::Event;
use domkom_core::cache::{Access, Cache};
use domkom_domain::wire::{Change, ChangeKind, ChangeOp};
use domkom_testkit::{Persona, TestClient, TestResult, TestServer};

/// Where the cache keeps each kind (the test's own knowledge of the schema).
fn table(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::House => "houses",
        ChangeKind::Community => "communities",
        ChangeKind::Membership => "memberships",
        ChangeKind::Ownership => "ownerships",
        ChangeKind::Message => "messages",
        ChangeKind::Ticket => "tickets",
        ChangeKind::TicketComment => "ticket_comments",
        ChangeKind::Device => "devices",
        ChangeKind::Reading => "readings",
        ChangeKind::Account => "accounts",
        ChangeKind::Bill => "bills",
        ChangeKind::Notice => "notices",
        ChangeKind::RepairPlan => "repair_plans",
        ChangeKind::ModEntry => "mod_log",
        ChangeKind::Report => "reports",
        ChangeKind::AdminApplication => "admin_applications",
        ChangeKind::Poll => "polls",
        ChangeKind::Reaction => "reactions",
    }
}

fn count(cache: &Cache, kind: ChangeKind, id: i64) -> domkom_core::Result<i64> {
    cache.read(|c| Ok(c.query_row(&format!("SELECT count(*) FROM {} WHERE id = ?1", table(kind)), [id], |r| r.get(0))?))
}

#[tokio::test]
async fn every_kind_is_stored_and_deleted_with_an_event_of_its_own() -> TestResult {
    let server = TestServer::start().await?;
    let TestClient { client, keyring: resident_keys, dir: resident_dir } =
        TestClient::signed_in(&server, Persona::Resident).await?;
    drop(client);
    // Applications for admin rights are the Inspection's (and staff's) to see.
    let TestClient { client, keyring: inspector_keys, dir: inspector_dir } =
        TestClient::signed_in(&server, Persona::Inspector).await?;
    drop(client);

    // Each kind on a copy of the synced cache, since some deletes take others along (an
    // ownership ending takes the flat's meters and bills).
    for &kind in ChangeKind::ALL {
        let (keyring, dir) = if kind == ChangeKind::AdminApplication {
            (&inspector_keys, &inspector_dir)
        } else {
            (&resident_keys, &resident_dir)
        };
        let copy = tempfile::tempdir()?;
        for file in ["cache.db", "outbox.db"] {
            std::fs::copy(dir.path().join(file), copy.path().join(file))?;
        }
        let path = domkom_core::cache_path(copy.path());
        let (cache, _) = Cache::open(&path, keyring.keyring.as_ref(), Access::ReadWrite)?;
        let id: Option<i64> = cache.read(|c| {
            Ok(c.query_row(&format!("SELECT id FROM {} ORDER BY id LIMIT 1", table(kind)), [], |r| r.get(0))
                .optional()?)
        })?;
        let id = id.ok_or(format!("a first sync stored no {kind:?}"))?;
        let delete = Change { seq: 0, kind, op: ChangeOp::Delete, id, data: serde_json::json!({ "id": id }) };
        let applied = cache.apply_catch_up(&[delete])?;
        assert_eq!(count(&cache, kind, id)?, 0, "a {kind:?} delete left the row");
        assert!(!applied.events.is_empty(), "a {kind:?} delete told the app nothing");
        let expected = match kind {
            ChangeKind::Message | ChangeKind::Community | ChangeKind::Membership => {
                applied.events.contains(&Event::Chats)
            }
            ChangeKind::Reaction => applied.events.iter().any(|e| matches!(e, Event::Chat { .. })),
            ChangeKind::House | ChangeKind::Ownership => applied.events.contains(&Event::Houses),
            ChangeKind::Ticket | ChangeKind::TicketComment => {
                applied.events.iter().any(|e| matches!(e, Event::Tickets { .. }))
            }
            ChangeKind::Notice => applied.events.iter().any(|e| matches!(e, Event::Notices { .. })),
            ChangeKind::RepairPlan => applied.events.iter().any(|e| matches!(e, Event::RepairPlans { .. })),
            ChangeKind::Account => applied.events.contains(&Event::Accounts),
            ChangeKind::Bill => applied.events.iter().any(|e| matches!(e, Event::Bills { .. })),
            ChangeKind::Device => applied.events.contains(&Event::Devices),
            ChangeKind::Reading => applied.events.iter().any(|e| matches!(e, Event::Readings { .. })),
            ChangeKind::ModEntry => applied.events.iter().any(|e| matches!(e, Event::ModLog { .. })),
            ChangeKind::Report => applied.events.iter().any(|e| matches!(e, Event::Reports { .. })),
            ChangeKind::AdminApplication => applied.events.contains(&Event::Applications),
            ChangeKind::Poll => applied.events.iter().any(|e| matches!(e, Event::Polls { .. })),
        };
        assert!(expected, "a {kind:?} delete sent {:?}", applied.events);
    }
    Ok(())
}

#[tokio::test]
async fn a_first_sync_tells_each_kind_apart() -> TestResult {
    let server = TestServer::start().await?;
    let c = TestClient::open(&server, std::time::Duration::from_secs(30)).await?;
    c.login_demo(Persona::Resident.key()).await?;
    let mut events = c.events();
    c.sync(&|_, _| {}).await?;
    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        seen.push(event);
    }
    for (what, found) in [
        ("chats", seen.contains(&Event::Chats)),
        ("houses", seen.contains(&Event::Houses)),
        ("tickets", seen.iter().any(|e| matches!(e, Event::Tickets { .. }))),
        ("notices", seen.iter().any(|e| matches!(e, Event::Notices { .. }))),
        ("accounts", seen.contains(&Event::Accounts)),
        ("bills", seen.iter().any(|e| matches!(e, Event::Bills { .. }))),
        ("devices", seen.contains(&Event::Devices)),
        ("readings", seen.iter().any(|e| matches!(e, Event::Readings { .. }))),
    ] {
        assert!(found, "no {what} event after a first sync: {seen:?}");
    }
    // And the reads behind them answer from the cache.
    let house = c.chats().list().await?[0].house_id.ok_or("a house chat")?;
    assert!(c.houses().get(house).await?.is_some());
    Ok(())
}
