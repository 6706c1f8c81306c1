//! The outbox file across an upgrade: messages queued by the Domkom that kept an untyped
//! outbox table are kept, with their keys, states and errors, as typed requests.

use domkom_core::cache::{Access, Cache, KEY_NAME};
use domkom_core::outbox::{OutboxState, Request};
use domkom_core::secrets::SecretStore;
use domkom_domain::id::{CommunityId, MessageId};
use domkom_testkit::{TestKeyring, TestResult};

#[test]
fn messages_queued_before_the_typed_outbox_are_kept() -> TestResult {
    let dir = tempfile::tempdir()?;
    let keyring = TestKeyring::new();
    let path = dir.path().join("cache.db");
    drop(Cache::open(&path, keyring.keyring.as_ref(), Access::ReadWrite)?);

    // Put the outbox file back as the first version wrote it: its own migration, then items.
    let key = keyring.keyring.get(KEY_NAME)?.ok_or("a cache key")?;
    std::fs::remove_file(dir.path().join("outbox.db"))?;
    let conn = rusqlite::Connection::open_in_memory()?;
    conn.execute(
        "ATTACH DATABASE ?1 AS outbox KEY ?2",
        rusqlite::params![dir.path().join("outbox.db").to_string_lossy(), format!("x'{key}'")],
    )?;
    conn.execute_batch(include_str!("../migrations/outbox/001_outbox.sql"))?;
    conn.execute_batch(
        "INSERT INTO outbox.outbox (client_key, community_id, body, reply_to, state, attempts, next_attempt_at, \
           error_code, error_message, created_at) VALUES
         ('0190a1b2-0000-7000-8000-000000000001', 7, 'Лифт опять стоит', NULL, 'pending', 2, 0, NULL,
          'could not connect', '2026-11-20T10:00:00Z'),
         ('0190a1b2-0000-7000-8000-000000000002', 7, 'Ответ соседу', 41, 'failed', 1, 0, 'not_member',
          'Вы не участник этого чата.', '2026-11-20T10:01:00Z'),
         ('0190a1b2-0000-7000-8000-000000000003', 8, 'Подождите', NULL, 'pending', 1, 9999999999999, NULL,
          'rate limited', '2026-11-20T10:02:00Z');
         PRAGMA outbox.user_version = 1;",
    )?;
    drop(conn);

    let (cache, _) = Cache::open(&path, keyring.keyring.as_ref(), Access::ReadWrite)?;
    let items = cache.outbox()?;
    assert_eq!(items.len(), 3, "every queued message is kept: {items:?}");
    assert_eq!(items[0].client_key, "0190a1b2-0000-7000-8000-000000000001", "with its idempotency key");
    assert_eq!(
        items[0].request,
        Request::SendMessage {
            community_id: CommunityId(7),
            body: "Лифт опять стоит".into(),
            reply_to: None,
            houses: vec![]
        }
    );
    assert_eq!((items[0].state, items[0].attempts), (OutboxState::Pending, 2));
    assert_eq!(
        items[1].request,
        Request::SendMessage {
            community_id: CommunityId(7),
            body: "Ответ соседу".into(),
            reply_to: Some(MessageId(41)),
            houses: vec![]
        }
    );
    assert_eq!(items[1].state, OutboxState::Failed);
    assert_eq!(items[1].error_code.as_deref(), Some("not_member"), "the server's reason stays");

    // The one told to wait by the server keeps waiting when the link comes back; the others go.
    cache.outbox_wake()?;
    let (due, next) = cache.outbox_due()?;
    assert_eq!(due.iter().map(|i| i.client_key.as_str()).collect::<Vec<_>>(), ["0190a1b2-0000-7000-8000-000000000001"]);
    assert_eq!(next, Some(9_999_999_999_999));
    // And the echo of a queued message still shows in its chat.
    let page = cache.messages(CommunityId(7), None, 10)?;
    assert_eq!(page.iter().filter(|m| m.id.is_none()).count(), 2);
    Ok(())
}
