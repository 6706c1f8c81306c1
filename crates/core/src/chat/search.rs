//! Full-text search over every cached chat (FTS5, Cyrillic and Tatar case folding, ё as е,
//! every typed word a prefix).

use rusqlite::params;
use serde::Serialize;

use crate::cache::Cache;
use crate::error::Result;
use domkom_domain::id::*;

/// A search result: the message and its text split into plain and matching pieces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    /// Message id.
    pub message_id: MessageId,
    /// Community.
    pub community_id: CommunityId,
    /// Community title.
    pub title: String,
    /// Author.
    pub author_name: String,
    /// Created at.
    pub created_at: String,
    /// The snippet as (text, matched) pieces: render as text, never as HTML.
    pub snippet: Vec<(String, bool)>,
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

impl Cache {
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
                   m.search_text, cm.id IS NOT NULL \
                 FROM hits JOIN messages m ON m.id = hits.id \
                 LEFT JOIN communities cm ON cm.id = m.community_id ORDER BY m.id DESC",
            )?;
            let page = if exact { limit } else { (limit * 4).max(64) };
            let mut out = Vec::new();
            let mut below = MessageId(i64::MAX);
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
                        r.get::<_, bool>(7)?,
                    ))
                })?;
                let rows: Vec<(SearchHit, String, bool)> = rows.collect::<rusqlite::Result<_>>()?;
                let fetched = rows.len();
                for (hit, text, in_a_chat) in rows {
                    below = hit.message_id;
                    // A house's post in a channel the person is not in stays out of sight.
                    if in_a_chat && (exact || matches_all(&words, &text)) && out.len() < limit {
                        out.push(hit);
                    }
                }
                if out.len() >= limit || fetched < page {
                    return Ok(out);
                }
            }
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
