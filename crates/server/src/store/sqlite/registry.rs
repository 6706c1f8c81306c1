//! The emulated registry's changes: a sale ends an ownership and the memberships it carried.

use rusqlite::{OptionalExtension, params};

use domkom_domain::id::*;
use domkom_domain::wire::{ChangeKind, Org};

use super::{SqliteStore, changelog, chat::end_membership};
use crate::store::{RegistryStore, StoreError, StoreResult, What};

impl RegistryStore for SqliteStore {
    fn orgs(&self) -> StoreResult<Vec<Org>> {
        let c = self.reader()?;
        let mut stmt = c.prepare_cached("SELECT doc FROM org_json ORDER BY json_extract(doc, '$.name'), id")?;
        let docs = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        docs.iter().map(|d| super::decode(ChangeKind::House, d)).collect()
    }

    fn end_ownership(&self, person_id: PersonId, premises_id: PremisesId) -> StoreResult<()> {
        self.write(|tx| {
            let found: Option<(i64, i64)> = tx
                .query_row(
                    "SELECT o.id, p.house_id FROM ownerships o JOIN premises p ON p.id = o.premises_id \
                     WHERE o.person_id = ?1 AND o.premises_id = ?2 AND o.until IS NULL",
                    params![person_id, premises_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (ownership, house) = found.ok_or(StoreError::NotFound(What::Ownership))?;
            tx.execute("UPDATE ownerships SET until = date('now') WHERE id = ?1", [ownership])?;
            changelog::record_removal(tx, ChangeKind::Ownership, ownership)?;
            let still_there: i64 = tx.query_row(
                "SELECT count(*) FROM ownerships o JOIN premises p ON p.id = o.premises_id \
                 WHERE o.person_id = ?1 AND p.house_id = ?2 AND o.until IS NULL",
                params![person_id, house],
                |r| r.get(0),
            )?;
            if still_there == 0 {
                let memberships: Vec<i64> = tx
                    .prepare_cached(
                        "SELECT m.id FROM memberships m JOIN community_houses ch ON ch.community_id = m.community_id \
                         WHERE ch.house_id = ?1 AND m.left_at IS NULL AND m.person_id = ?2",
                    )?
                    .query_map(params![house, person_id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for m in memberships {
                    end_membership(tx, m, &self.now_rfc3339())?;
                }
            }
            Ok(())
        })
    }
}
