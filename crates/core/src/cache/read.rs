//! Reads the app and the CLI make: the chat list, a chat's messages, search, status.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::Cache;
use crate::error::Result;

/// One entry of the chat list: a community the person belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HouseSummary {
    /// The community.
    pub community_id: i64,
    /// `house_chat` or `microdistrict`.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Its house, for a house chat.
    pub house_id: Option<i64>,
    /// The house's address, when cached.
    pub address: Option<String>,
    /// The person's role in it.
    pub role: String,
    /// Messages by others after the last one read.
    pub unread: i64,
    /// The newest message's time.
    pub last_at: Option<String>,
    /// The newest message's text, shortened.
    pub last_text: Option<String>,
    /// Whether notifications for it are off.
    pub muted: bool,
}

/// A message as the timeline shows it; local echoes have no server id yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChatMessage {
    /// Server id; None for an item still in the outbox.
    pub id: Option<i64>,
    /// The idempotency key.
    pub client_key: String,
    /// Community.
    pub community_id: i64,
    /// Author's person id (None for the person's own pending item).
    pub author_id: Option<i64>,
    /// Author's name.
    pub author_name: String,
    /// Author's flat.
    pub author_flat: Option<String>,
    /// Author's role.
    pub author_role: String,
    /// Plain text.
    pub body: String,
    /// Replied-to message.
    pub reply_to: Option<i64>,
    /// Created at.
    pub created_at: String,
    /// Edited at.
    pub edited_at: Option<String>,
    /// Deleted at.
    pub deleted_at: Option<String>,
    /// `sent`, `pending` or `failed`.
    pub state: String,
    /// Why it failed, from the server.
    pub error: Option<String>,
}

/// A search result: the message and its text split into plain and matching pieces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    /// Message id.
    pub message_id: i64,
    /// Community.
    pub community_id: i64,
    /// Community title.
    pub title: String,
    /// Author.
    pub author_name: String,
    /// Created at.
    pub created_at: String,
    /// The snippet as (text, matched) pieces: render as text, never as HTML.
    pub snippet: Vec<(String, bool)>,
}

/// The cache's state.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Status {
    /// The feed cursor.
    pub cursor: i64,
    /// When the last page was applied.
    pub synced_at: Option<String>,
    /// Cache file size with its WAL, bytes.
    pub cache_bytes: u64,
    /// Outbox items waiting.
    pub outbox_pending: i64,
    /// Outbox items failed.
    pub outbox_failed: i64,
    /// Cached messages.
    pub messages: i64,
    /// The signed-in person, as cached.
    pub person: Option<serde_json::Value>,
}

const MARK_START: char = '\u{2}';
const MARK_END: char = '\u{3}';

/// Words as search sees them: split on anything not a letter or digit, lower case, ё as е.
fn search_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('ё', "е"))
        .collect()
}

/// The longest prefix with its own FTS5 prefix index (see the cache migration).
const INDEXED_PREFIX: usize = 5;

/// Turns what a person typed into an FTS5 query: every word a prefix, all words required.
/// Quotes and operators are taken as text, so no input is a syntax error. Words longer than
/// the indexed prefixes are looked up by their indexed prefix (one index lookup instead of a
/// merge of every matching term) and then checked whole by [`matches_all`].
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = search_words(text)
        .into_iter()
        .map(|w| format!("\"{}\"*", w.chars().take(INDEXED_PREFIX).collect::<String>()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Whether every typed word starts some word of the text.
fn matches_all(words: &[String], text: &str) -> bool {
    let tokens = search_words(text);
    words.iter().all(|w| tokens.iter().any(|t| t.starts_with(w.as_str())))
}

fn split_marks(s: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut inside = false;
    for ch in s.chars() {
        if ch == MARK_START || ch == MARK_END {
            if !current.is_empty() {
                out.push((std::mem::take(&mut current), inside));
            }
            inside = ch == MARK_START;
        } else {
            current.push(ch);
        }
    }
    if !current.is_empty() {
        out.push((current, inside));
    }
    out
}

/// The person kept in `sync_state` (JSON), if any.
fn cached_person(c: &Connection) -> Result<Option<serde_json::Value>> {
    let person: Option<String> = c.query_row("SELECT person FROM sync_state WHERE id = 1", [], |r| r.get(0))?;
    Ok(person.and_then(|p| serde_json::from_str(&p).ok()))
}

fn me(c: &Connection) -> Result<i64> {
    Ok(c.query_row("SELECT coalesce(person_id, 0) FROM sync_state WHERE id = 1", [], |r| r.get(0))?)
}

impl Cache {
    /// The chat list with unread counts, in the order of the newest message.
    pub fn chat_list(&self) -> Result<Vec<HouseSummary>> {
        self.read(|c| {
            let me = me(c)?;
            let mut stmt = c.prepare_cached(
                "SELECT cm.id, cm.kind, cm.title, cm.house_id, h.address, m.role, \
                   (SELECT count(*) FROM (SELECT 1 FROM messages x WHERE x.community_id = cm.id \
                      AND x.id > coalesce((SELECT last_read_id FROM read_state r WHERE r.community_id = cm.id), 0) \
                      AND x.author_id != ?1 AND x.deleted_at IS NULL LIMIT ?2)), \
                   last.created_at, substr(last.body, 1, 120), \
                   coalesce((SELECT muted FROM chat_settings s WHERE s.community_id = cm.id), 0) \
                 FROM memberships m JOIN communities cm ON cm.id = m.community_id \
                 LEFT JOIN houses h ON h.id = cm.house_id \
                 LEFT JOIN messages last ON last.id = (SELECT max(id) FROM messages y WHERE y.community_id = cm.id) \
                 ORDER BY last.id DESC NULLS LAST, cm.id",
            )?;
            let rows = stmt.query_map([me, domkom_domain::message::UNREAD_COUNT_CAP], |r| {
                Ok(HouseSummary {
                    community_id: r.get(0)?,
                    kind: r.get(1)?,
                    title: r.get(2)?,
                    house_id: r.get(3)?,
                    address: r.get(4)?,
                    role: r.get(5)?,
                    unread: r.get(6)?,
                    last_at: r.get(7)?,
                    last_text: r.get(8)?,
                    muted: r.get::<_, i64>(9)? == 1,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// A page of a chat, newest first; the first page starts with the outbox's local echoes.
    pub fn messages(&self, community: i64, before: Option<i64>, limit: usize) -> Result<Vec<ChatMessage>> {
        self.read(|c| {
            let mut out = Vec::new();
            if before.is_none() {
                let mut stmt = c.prepare_cached(
                    "SELECT client_key, body, reply_to, created_at, state, error_message FROM outbox \
                     WHERE community_id = ?1 ORDER BY id DESC",
                )?;
                let name = cached_person(c)?.and_then(|p| p["name"].as_str().map(str::to_owned)).unwrap_or_default();
                let rows = stmt.query_map([community], |r| {
                    Ok(ChatMessage {
                        id: None,
                        client_key: r.get(0)?,
                        community_id: community,
                        author_id: None,
                        author_name: name.clone(),
                        author_flat: None,
                        author_role: "resident".to_owned(),
                        body: r.get(1)?,
                        reply_to: r.get(2)?,
                        created_at: r.get(3)?,
                        edited_at: None,
                        deleted_at: None,
                        state: r.get(4)?,
                        error: r.get(5)?,
                    })
                })?;
                for row in rows {
                    out.push(row?);
                }
            }
            let mut stmt = c.prepare_cached(
                "SELECT id, client_key, author_id, author_name, author_flat, author_role, body, reply_to, created_at, \
                 edited_at, deleted_at FROM messages WHERE community_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![community, before.unwrap_or(i64::MAX), limit as i64], |r| {
                Ok(ChatMessage {
                    id: Some(r.get(0)?),
                    client_key: r.get(1)?,
                    community_id: community,
                    author_id: Some(r.get(2)?),
                    author_name: r.get(3)?,
                    author_flat: r.get(4)?,
                    author_role: r.get(5)?,
                    body: r.get(6)?,
                    reply_to: r.get(7)?,
                    created_at: r.get(8)?,
                    edited_at: r.get(9)?,
                    deleted_at: r.get(10)?,
                    state: "sent".to_owned(),
                    error: None,
                })
            })?;
            for row in rows {
                out.push(row?);
            }
            Ok(out)
        })
    }

    /// The id below which a chat's cached history may be missing messages, if any.
    pub fn gap_below(&self, community: i64) -> Result<Option<i64>> {
        self.read(|c| {
            Ok(c.query_row("SELECT below_id FROM history_gaps WHERE community_id = ?1", [community], |r| r.get(0))
                .optional()?)
        })
    }

    /// Full-text search over all cached chats, newest first.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let words = search_words(text);
        let exact = words.iter().all(|w| w.chars().count() <= INDEXED_PREFIX);
        self.read(|c| {
            // The full-text query orders and limits by itself, so it stops after a page of
            // hits instead of collecting every match; pages go back by rowid.
            let mut stmt = c.prepare_cached(
                "WITH hits AS (SELECT rowid AS id, snippet(messages_fts, 0, char(2), char(3), '…', 16) AS snip \
                   FROM messages_fts WHERE messages_fts MATCH ?1 AND rowid < ?3 ORDER BY rowid DESC LIMIT ?2) \
                 SELECT m.id, m.community_id, coalesce(cm.title, ''), m.author_name, m.created_at, hits.snip, \
                   m.search_text \
                 FROM hits JOIN messages m ON m.id = hits.id \
                 LEFT JOIN communities cm ON cm.id = m.community_id ORDER BY m.id DESC",
            )?;
            let page = if exact { limit } else { (limit * 4).max(64) };
            let mut out = Vec::new();
            let mut below = i64::MAX;
            loop {
                let rows = stmt.query_map(params![query, page as i64, below], |r| {
                    let snippet: String = r.get(5)?;
                    let text: String = r.get(6)?;
                    Ok((
                        SearchHit {
                            message_id: r.get(0)?,
                            community_id: r.get(1)?,
                            title: r.get(2)?,
                            author_name: r.get(3)?,
                            created_at: r.get(4)?,
                            snippet: split_marks(&snippet),
                        },
                        text,
                    ))
                })?;
                let rows: Vec<(SearchHit, String)> = rows.collect::<rusqlite::Result<_>>()?;
                let fetched = rows.len();
                for (hit, text) in rows {
                    below = hit.message_id;
                    if (exact || matches_all(&words, &text)) && out.len() < limit {
                        out.push(hit);
                    }
                }
                if out.len() >= limit || fetched < page {
                    return Ok(out);
                }
            }
        })
    }

    /// Marks a chat read up to a message.
    pub fn mark_read(&self, community: i64, up_to: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO read_state (community_id, last_read_id) VALUES (?1, ?2) \
                 ON CONFLICT (community_id) DO UPDATE SET last_read_id = max(last_read_id, excluded.last_read_id)",
                params![community, up_to],
            )?;
            Ok(())
        })
    }

    /// Turns a chat's notifications off or on.
    pub fn set_muted(&self, community: i64, muted: bool) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO chat_settings (community_id, muted) VALUES (?1, ?2) \
                 ON CONFLICT (community_id) DO UPDATE SET muted = excluded.muted",
                params![community, i64::from(muted)],
            )?;
            Ok(())
        })
    }

    /// A cached house's passport as the server sent it.
    pub fn house(&self, id: i64) -> Result<Option<domkom_domain::wire::House>> {
        self.read(|c| {
            let payload: Option<String> =
                c.query_row("SELECT payload FROM houses WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            payload
                .map(|p| serde_json::from_str(&p).map_err(|e| crate::error::CoreError::Cache(e.to_string())))
                .transpose()
        })
    }

    /// Marks every chat without a read marker as read to its newest message (after a first
    /// sync, so years of history do not count as unread).
    pub fn mark_all_read_if_new(&self) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO read_state (community_id, last_read_id) \
                 SELECT community_id, max(id) FROM messages GROUP BY community_id",
                [],
            )?;
            Ok(())
        })
    }

    /// The signed-in person as the last sign-in or sync told (works offline).
    pub fn person(&self) -> Result<Option<serde_json::Value>> {
        self.read(cached_person)
    }

    /// Cursor, sizes and outbox counts.
    pub fn status(&self) -> Result<Status> {
        let mut bytes = 0;
        for suffix in ["", "-wal"] {
            if let Ok(m) = std::fs::metadata(format!("{}{suffix}", self.path().display())) {
                bytes += m.len();
            }
        }
        self.read(|c| {
            let (cursor, synced_at): (i64, Option<String>) =
                c.query_row("SELECT cursor, synced_at FROM sync_state WHERE id = 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            let (pending, failed): (i64, i64) = c.query_row(
                "SELECT coalesce(sum(state = 'pending'), 0), coalesce(sum(state = 'failed'), 0) FROM outbox",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let messages: i64 = c.query_row("SELECT count(*) FROM messages", [], |r| r.get(0))?;
            Ok(Status {
                cursor,
                synced_at,
                cache_bytes: bytes,
                outbox_pending: pending,
                outbox_failed: failed,
                messages,
                person: cached_person(c)?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_typed_text_is_a_valid_query() {
        assert_eq!(fts_query("Лифт не работает").as_deref(), Some("\"лифт\"* \"не\"* \"работ\"*"));
        assert_eq!(fts_query("счёт").as_deref(), Some("\"счет\"*"), "ё is searched as е");
        assert_eq!(fts_query("\"OR NEAR(* ").as_deref(), Some("\"or\"* \"near\"*"));
        assert_eq!(fts_query("  ,. "), None);
    }

    #[test]
    fn long_words_are_checked_whole() {
        let words = search_words("Перерасчёт");
        assert!(matches_all(&words, "Сделали перерасчет за июль"));
        assert!(!matches_all(&words, "Перерыв на обед"));
    }

    #[test]
    fn snippets_split_into_pieces() {
        assert_eq!(
            split_marks("в \u{2}лифте\u{3} опять"),
            vec![("в ".to_owned(), false), ("лифте".to_owned(), true), (" опять".to_owned(), false)]
        );
    }
}
