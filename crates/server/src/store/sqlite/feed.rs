//! The change feed for one person: a merge of index range scans over their audiences.

use rusqlite::params;

use domkom_domain::wire::{Change, ChangeKind, ChangeOp, ChangesPage};

use super::SqliteStore;
use crate::store::{FeedStore, Scope, StoreError, StoreResult, Viewer, What};

impl FeedStore for SqliteStore {
    fn head(&self) -> StoreResult<i64> {
        let c = self.reader()?;
        Ok(c.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| r.get(0))?)
    }

    fn changes(&self, viewer: &Viewer, after: i64, limit: usize, only: Option<Scope>) -> StoreResult<ChangesPage> {
        if let Some(scope) = only
            && !viewer.sees(scope)
        {
            return Err(StoreError::NotVisible(What::FeedScope));
        }
        let mut c = self.reader()?;
        // One read transaction: the page and the head come from the same snapshot.
        let tx = c.transaction()?;
        let head: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| r.get(0))?;
        let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        let mut found: Vec<Change> = Vec::new();
        const COLS: &str = "seq, kind, entity_id, op, payload";
        if viewer.is_inspector() && only.is_none() {
            // The Inspection sees every house and community: walk the log in order.
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {COLS} FROM changes WHERE seq > ?1 AND (scope IN ('h', 'c', 's', 'm') \
                 OR (scope = 'p' AND scope_id = ?2) \
                 OR (scope = 'f' AND scope_id IN \
                     (SELECT premises_id FROM ownerships WHERE person_id = ?2 AND until IS NULL))) \
                 ORDER BY seq LIMIT ?3"
            ))?;
            let rows = stmt.query_map(params![after, viewer.person.id, fetch], row_to_change)?;
            for row in rows {
                found.push(row?);
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
                    found.push(row?);
                }
            }
            found.sort_by_key(|c| c.seq);
        }
        let has_more = found.len() > limit;
        found.truncate(limit);
        let cursor = if has_more { found.last().map_or(after, |c| c.seq) } else { head.max(after) };
        Ok(ChangesPage { changes: found, cursor, has_more, head })
    }
}

fn row_to_change(r: &rusqlite::Row<'_>) -> rusqlite::Result<Change> {
    let kind: String = r.get(1)?;
    let op: String = r.get(3)?;
    let payload: String = r.get(4)?;
    let data = serde_json::from_str(&payload)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e)))?;
    let kind = ChangeKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, format!("unknown kind {kind}").into())
    })?;
    Ok(Change {
        seq: r.get(0)?,
        kind,
        op: if op == "delete" { ChangeOp::Delete } else { ChangeOp::Upsert },
        id: r.get(2)?,
        data,
    })
}
