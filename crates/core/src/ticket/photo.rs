//! A ticket's photos on this machine. A chosen photo is checked by the domain's rules and
//! stripped of every block that can name a place before anything is stored, so the place
//! never leaves the machine; it waits in the outbox file with the ticket that takes it, and
//! goes up in chunks under its own key just before that ticket is filed: a cut upload goes
//! on from where the server got to, and a photo the server has is not sent again. Photos
//! and thumbnails shown are kept in the cache by ticket, so they show offline once seen.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use domkom_domain::id::TicketId;
use domkom_domain::ticket::{PhotoType, check_photo, check_photo_count, strip_metadata};
use domkom_domain::wire;

use super::write::Tickets;
use crate::api::Api;
use crate::cache::Cache;
use crate::error::{CoreError, Result};
use crate::sync::blocking;

/// The bytes sent in one request of an upload.
pub const CHUNK_BYTES: usize = 512 * 1024;

/// How long a photo chosen for a ticket that was never filed is kept, in seconds.
const UNFILED_KEPT_SECS: i64 = 24 * 3600;

/// A photo chosen for a ticket, checked and stripped, waiting to go with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StagedPhoto {
    /// Its upload key: what a draft names it by.
    pub key: String,
    /// Its format.
    pub kind: PhotoType,
    /// Its size after stripping, in bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

impl Cache {
    /// Keeps a checked, stripped photo in the outbox file until a ticket takes it; drops
    /// the ones chosen over a day ago for a ticket that was never filed.
    fn stage_photo(&self, kind: PhotoType, bytes: &[u8]) -> Result<StagedPhoto> {
        let key = uuid::Uuid::now_v7().to_string();
        let now = chrono::Utc::now().timestamp();
        self.write(|tx| {
            tx.execute(
                "DELETE FROM outbox.photos WHERE created_at < ?1 AND key NOT IN \
                 (SELECT j.value FROM outbox.requests r, json_each(r.payload, '$.photos') j)",
                [now - UNFILED_KEPT_SECS],
            )?;
            tx.execute(
                "INSERT INTO outbox.photos (key, kind, bytes, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![key, kind.as_str(), bytes, now],
            )?;
            Ok(())
        })?;
        Ok(StagedPhoto { key, kind, bytes: bytes.len() as u64 })
    }

    /// Whether a photo is waiting under this key.
    pub(crate) fn has_staged_photo(&self, key: &str) -> Result<bool> {
        self.read(|c| {
            Ok(c.query_row("SELECT EXISTS (SELECT 1 FROM outbox.photos WHERE key = ?1)", [key], |r| r.get(0))?)
        })
    }

    /// A waiting photo's bytes and the server's id for it once uploaded.
    fn staged_photo(&self, key: &str) -> Result<Option<(Vec<u8>, Option<String>)>> {
        self.read(|c| {
            Ok(c.query_row("SELECT bytes, photo_id FROM outbox.photos WHERE key = ?1", [key], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
        })
    }

    /// Notes that the server has the whole photo under `photo_id`.
    fn photo_uploaded(&self, key: &str, photo_id: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE outbox.photos SET photo_id = ?2 WHERE key = ?1", params![key, photo_id])?;
            Ok(())
        })
    }

    /// A kept photo (or thumbnail) of a ticket.
    fn kept_photo(&self, ticket: TicketId, photo: &str, thumb: bool) -> Result<Option<Vec<u8>>> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT bytes FROM ticket_photos WHERE ticket_id = ?1 AND photo_id = ?2 AND thumb = ?3",
                params![ticket, photo, thumb],
                |r| r.get(0),
            )
            .optional()?)
        })
    }

    fn keep_photo(&self, ticket: TicketId, photo: &str, thumb: bool, bytes: &[u8]) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO ticket_photos (ticket_id, photo_id, thumb, bytes) VALUES (?1, ?2, ?3, ?4)",
                params![ticket, photo, thumb, bytes],
            )?;
            Ok(())
        })
    }
}

/// A filed ticket's photos as this machine sent them, kept as the ticket's photos so the
/// filer sees them offline at once (called as the ticket is stored).
pub(crate) fn keep_sent(tx: &Transaction<'_>, ticket: &wire::Ticket) -> Result<()> {
    for photo in &ticket.photos {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO ticket_photos (ticket_id, photo_id, thumb, bytes) \
             SELECT ?1, photo_id, 0, bytes FROM outbox.photos WHERE photo_id = ?2",
        )?
        .execute(params![ticket.id, photo.id])?;
    }
    Ok(())
}

/// Drops the photos a request carried (it was delivered or discarded).
pub(crate) fn drop_carried(tx: &Transaction<'_>, client_key: &str) -> Result<()> {
    tx.prepare_cached(
        "DELETE FROM outbox.photos WHERE key IN \
         (SELECT j.value FROM outbox.requests r, json_each(r.payload, '$.photos') j WHERE r.client_key = ?1)",
    )?
    .execute([client_key])?;
    Ok(())
}

/// Drops the kept photos of a ticket, or of every ticket of a house.
pub(crate) fn forget(tx: &Transaction<'_>, ticket: Option<TicketId>, house: Option<i64>) -> Result<()> {
    match (ticket, house) {
        (Some(t), _) => tx.execute("DELETE FROM ticket_photos WHERE ticket_id = ?1", [t])?,
        (None, Some(h)) => tx.execute(
            "DELETE FROM ticket_photos WHERE ticket_id IN (SELECT id FROM tickets WHERE house_id = ?1)",
            [h],
        )?,
        (None, None) => 0,
    };
    Ok(())
}

fn photo_lost(key: &str) -> CoreError {
    CoreError::invalid(
        "photo_lost",
        &[("key", key.to_owned())],
        "a photo of this ticket is no longer on this machine: discard the ticket and file it again with its photos",
    )
}

/// Uploads the photos named by their keys (each from where the server got to, none twice)
/// and gives the server's ids, in order.
pub(crate) async fn upload_all(api: &Api, cache: &std::sync::Arc<Cache>, keys: &[String]) -> Result<Vec<String>> {
    let mut ids = Vec::with_capacity(keys.len());
    for key in keys {
        let k = key.clone();
        let (bytes, uploaded) = blocking(cache, move |c| c.staged_photo(&k)).await?.ok_or_else(|| photo_lost(key))?;
        let id = match uploaded {
            Some(id) => id,
            None => {
                let photo = upload(api, key, &bytes).await?;
                let (k, id) = (key.clone(), photo.id.clone());
                blocking(cache, move |c| c.photo_uploaded(&k, &id)).await?;
                photo.id
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// Forgets the server's ids of these photos, so they are uploaded again.
pub(crate) async fn forget_uploads(cache: &std::sync::Arc<Cache>, keys: Vec<String>) -> Result<()> {
    blocking(cache, move |c| {
        c.write(|tx| {
            for key in &keys {
                tx.execute("UPDATE outbox.photos SET photo_id = NULL WHERE key = ?1", [key])?;
            }
            Ok(())
        })
    })
    .await
}

/// Sends one photo in chunks, starting from what the server already has.
async fn upload(api: &Api, key: &str, bytes: &[u8]) -> Result<domkom_domain::ticket::PhotoRef> {
    let total = bytes.len() as u64;
    let mut offset = match api.upload_status(key).await? {
        Some(done) if done.photo.is_some() => return done.photo.ok_or_else(|| CoreError::network("no photo")),
        Some(partial) if partial.total == total => partial.received,
        _ => 0,
    };
    // Each round either moves the offset on or learns it from the server; a server that
    // does neither (a fault) is not looped on for ever.
    for _ in 0..(total as usize / CHUNK_BYTES + 8) {
        let end = (offset as usize + CHUNK_BYTES).min(bytes.len());
        let chunk = bytes.get(offset as usize..end).unwrap_or_default().to_vec();
        match api.append_upload(key, offset, total, chunk).await {
            Ok(up) => match up.photo {
                Some(photo) => return Ok(photo),
                None if up.received > offset => offset = up.received,
                None => break,
            },
            Err(CoreError::Refused { code, params, .. }) if code == "upload_offset" => {
                offset = params.get("received").and_then(|r| r.parse().ok()).unwrap_or(0).min(total);
            }
            Err(e) => return Err(e),
        }
    }
    Err(CoreError::network("the photo upload made no progress"))
}

impl Tickets<'_> {
    /// Takes a photo for a ticket being filled in: checked (JPEG, PNG or WebP, at most
    /// 10 MB) and stripped of its metadata here, then kept until the ticket is filed.
    pub async fn add_photo(&self, bytes: Vec<u8>) -> Result<StagedPhoto> {
        check_photo(&bytes).map_err(|e| CoreError::refused(&e))?;
        let (kind, stripped) = strip_metadata(bytes).map_err(|e| CoreError::refused(&e))?;
        blocking(&self.client.cache, move |c| c.stage_photo(kind, &stripped)).await
    }

    /// Drops a photo chosen for a ticket not yet filed.
    pub async fn drop_photo(&self, key: &str) -> Result<()> {
        let key = key.to_owned();
        blocking(&self.client.cache, move |c| {
            c.write(|tx| {
                tx.execute(
                    "DELETE FROM outbox.photos WHERE key = ?1 AND key NOT IN \
                     (SELECT j.value FROM outbox.requests r, json_each(r.payload, '$.photos') j)",
                    [&key],
                )?;
                Ok(())
            })
        })
        .await
    }

    /// A ticket's photo, or its thumbnail: kept ones offline, others fetched and kept.
    pub async fn photo(&self, ticket: TicketId, photo: &str, thumb: bool) -> Result<Vec<u8>> {
        let id = photo.to_owned();
        let listed = blocking(&self.client.cache, move |c| {
            let t = c.ticket(ticket)?.ok_or_else(|| super::write::no_ticket(ticket))?;
            Ok(t.photos.iter().any(|p| p.id == id))
        })
        .await?;
        if !listed {
            return Err(CoreError::invalid(
                "no_such_photo",
                &[("id", ticket.to_string())],
                format!("ticket {ticket} has no such photo; `domkom ticket show {ticket}` lists its photos"),
            ));
        }
        let id = photo.to_owned();
        let kept = blocking(&self.client.cache, move |c| c.kept_photo(ticket, &id, thumb)).await?;
        if let Some(bytes) = kept {
            return Ok(bytes);
        }
        match self.client.api.ticket_photo(ticket, photo, thumb).await {
            Ok(bytes) => {
                let (id, keep) = (photo.to_owned(), bytes.clone());
                blocking(&self.client.cache, move |c| c.keep_photo(ticket, &id, thumb, &keep)).await?;
                Ok(bytes)
            }
            // Offline, a whole photo kept serves as its own thumbnail.
            Err(e) if e.is_transient() && thumb => {
                let id = photo.to_owned();
                blocking(&self.client.cache, move |c| c.kept_photo(ticket, &id, false)).await?.ok_or(e)
            }
            Err(e) => Err(e),
        }
    }
}

/// The photos a draft names, each once and in order: at most five, each waiting here.
pub(crate) fn check_draft_photos(cache: &Cache, keys: &[String]) -> Result<Vec<String>> {
    let mut unique: Vec<String> = Vec::with_capacity(keys.len());
    for key in keys {
        if !unique.contains(key) {
            unique.push(key.clone());
        }
    }
    check_photo_count(unique.len()).map_err(|e| CoreError::refused(&e))?;
    for key in &unique {
        if !cache.has_staged_photo(key)? {
            return Err(photo_lost(key));
        }
    }
    Ok(unique)
}
