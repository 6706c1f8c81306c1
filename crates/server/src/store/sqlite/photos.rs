//! Photos' records in SQLite: a person's uploads by key (how far each got, and its photo once
//! complete), the photos stored once by id, and a ticket's photos, readable by whoever sees
//! the ticket.

use rusqlite::{Connection, OptionalExtension, params};

use domkom_domain::id::TicketId;
use domkom_domain::ticket::{PhotoRef, PhotoType, Upload};
use domkom_domain::wire::{ChangeKind, Ticket};

use super::{SqliteStore, one};
use crate::store::{PhotoStore, StoreError, StoreResult, Viewer, What};

fn photo(c: &Connection, id: &str) -> rusqlite::Result<Option<PhotoRef>> {
    c.query_row("SELECT id, type, bytes, width, height FROM photos WHERE id = ?1", [id], |r| {
        Ok(PhotoRef {
            id: r.get(0)?,
            kind: PhotoType::parse(&r.get::<_, String>(1)?).unwrap_or(PhotoType::Jpeg),
            bytes: r.get::<_, i64>(2)?.max(0) as u64,
            width: r.get(3)?,
            height: r.get(4)?,
        })
    })
    .optional()
}

fn upload(c: &Connection, viewer: &Viewer, key: &str) -> rusqlite::Result<Option<Upload>> {
    let found: Option<(i64, i64, Option<String>)> = c
        .query_row(
            "SELECT total, received, photo_id FROM uploads WHERE owner_id = ?1 AND key = ?2",
            params![viewer.person.id, key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((total, received, photo_id)) = found else { return Ok(None) };
    let (total, received) = (total.max(0) as u64, received.max(0) as u64);
    let photo = match photo_id {
        Some(id) => photo(c, &id)?,
        None => None,
    };
    Ok(Some(Upload { key: key.to_owned(), total, received, photo }))
}

impl PhotoStore for SqliteStore {
    fn upload(&self, viewer: &Viewer, key: &str) -> StoreResult<Option<Upload>> {
        Ok(upload(&*self.reader()?, viewer, key)?)
    }

    fn start_upload(&self, viewer: &Viewer, key: &str, total: u64) -> StoreResult<Option<Upload>> {
        let now = self.now_rfc3339();
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO uploads (owner_id, key, total, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![viewer.person.id, key, total as i64, now],
            )?;
            Ok::<_, StoreError>(upload(tx, viewer, key)?.filter(|u| u.total == total))
        })
    }

    fn upload_progress(&self, viewer: &Viewer, key: &str, received: u64) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE uploads SET received = ?3 WHERE owner_id = ?1 AND key = ?2",
                params![viewer.person.id, key, received as i64],
            )?;
            Ok(())
        })
    }

    fn upload_done(&self, viewer: &Viewer, key: &str, p: &PhotoRef) -> StoreResult<Upload> {
        let now = self.now_rfc3339();
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO photos (id, type, bytes, width, height, uploaded_by, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![p.id, p.kind.as_str(), p.bytes as i64, p.width, p.height, viewer.person.id, now],
            )?;
            tx.execute(
                "UPDATE uploads SET received = total, photo_id = ?3 WHERE owner_id = ?1 AND key = ?2",
                params![viewer.person.id, key, p.id],
            )?;
            upload(tx, viewer, key)?.ok_or(StoreError::NotFound(What::Upload))
        })
    }

    fn upload_refused(&self, viewer: &Viewer, key: &str) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM uploads WHERE owner_id = ?1 AND key = ?2", params![viewer.person.id, key])?;
            Ok(())
        })
    }

    fn ticket_photo(&self, viewer: &Viewer, ticket: TicketId, id: &str) -> StoreResult<PhotoRef> {
        let c = self.reader()?;
        let t: Ticket = one(&c, viewer, ChangeKind::Ticket, ticket, What::Ticket)?;
        t.photos.into_iter().find(|p| p.id == id).ok_or(StoreError::NotFound(What::Photo))
    }
}
