//! Full-text search over the cache, as a Russian or Tatar speaker types: any case, ё or е,
//! the start of a word, punctuation and quotes taken as text.

use domkom_core::cache::{Access, Cache};
use domkom_testkit::{TestKeyring, TestResult};

#[test]
fn finds_russian_and_tatar_words_by_prefix_in_any_case() -> TestResult {
    let dir = tempfile::tempdir()?;
    let keyring = TestKeyring::new();
    let (cache, _) = Cache::open(&dir.path().join("cache.db"), keyring.keyring.as_ref(), Access::ReadWrite)?;
    let texts = [
        "Лифт во ВТОРОМ подъезде опять стоит",
        "Пришёл счёт за отопление, почему так много?",
        "Рәхмәт, күршеләр! Хәерле иртә",
        "Протечка с пятого этажа, вызвали аварийку",
        "<script>alert(1)</script> \"кавычки\" OR NEAR",
    ];
    cache.write(|tx| {
        tx.execute("INSERT INTO communities (id, kind, title, payload) VALUES (1, 'house_chat', 'Дом', '{}')", [])?;
        // A message of a community not cached (a channel's post for the person's house, the
        // channel not joined) is not found.
        tx.execute(
            "INSERT INTO messages (id, community_id, author_id, author_name, author_role, client_key, body, created_at) \
             VALUES (100, 77, 1, 'УК', 'dispatcher', 'k100', 'Лифт в вашем доме на ремонте', '2026-01-01T00:00:00Z')",
            [],
        )?;
        for (i, t) in texts.iter().enumerate() {
            tx.execute(
                "INSERT INTO messages (id, community_id, author_id, author_name, author_role, client_key, body, created_at) \
                 VALUES (?1, 1, 1, 'Житель', 'resident', ?2, ?3, '2026-01-01T00:00:00Z')",
                rusqlite::params![i as i64 + 1, format!("k{i}"), t],
            )?;
        }
        Ok(())
    })?;
    for (query, expected) in [
        ("лифт", Some(1)),
        ("ЛИФ", Some(1)),
        ("втором подъезд", Some(1)),
        ("счет", Some(2)),
        ("СЧЁТ", Some(2)),
        ("пришел", Some(2)),
        ("рәхмәт", Some(3)),
        ("РӘХМ", Some(3)),
        ("күрше", Some(3)),
        ("хәерле", Some(3)),
        ("протеч", Some(4)),
        ("<script>", Some(5)),
        ("\"кавычки", Some(5)),
        ("OR", Some(5)),
        ("лифт протечка", None),
        ("трамвай", None),
        ("протекает", None),
        ("подъездом", None),
        ("   ", None),
    ] {
        let hits = cache.search(query, 10)?;
        match expected {
            Some(id) => {
                assert_eq!(hits.len(), 1, "«{query}» finds one message: {hits:?}");
                assert_eq!(hits[0].message_id.get(), id, "«{query}»");
                assert!(hits[0].snippet.iter().any(|(_, matched)| *matched), "«{query}» highlights the match");
            }
            None => assert!(hits.is_empty(), "«{query}» finds nothing: {hits:?}"),
        }
    }
    // Newest first.
    let all = cache.search("о", 10)?;
    assert!(all.windows(2).all(|w| w[0].message_id > w[1].message_id));
    drop(keyring);
    Ok(())
}
