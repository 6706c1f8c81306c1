//! Houses in the cache: their passports, and the person's ownerships, which decide what of
//! a house stays on this machine.

use rusqlite::{OptionalExtension, Transaction, params};

use domkom_domain::id::*;
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp};

use crate::cache::Cache;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::feed::{Applied, decode};

/// Stores a house or ownership change.
pub(crate) fn apply(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    let payload = c.data.to_string();
    match (c.kind, c.op) {
        (ChangeKind::House, ChangeOp::Upsert) => {
            let h: wire::House = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO houses (id, address, payload) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (id) DO UPDATE SET address = excluded.address, payload = excluded.payload",
            )?
            .execute(params![h.id, h.address, payload])?;
            out.changed(Event::Houses);
            // The chat list shows the house's address.
            out.changed(Event::Chats);
        }
        (ChangeKind::House, ChangeOp::Delete) => {
            // The house left the person's view (the last flat sold, or, for staff, the
            // organisation no longer manages it): nothing of it may stay here.
            tx.execute("DELETE FROM ownerships WHERE house_id = ?1", [c.id])?;
            purge_house(tx, HouseId(c.id), out)?;
        }
        (ChangeKind::Ownership, ChangeOp::Upsert) => {
            let o: wire::Ownership = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO ownerships (id, house_id, premises_id, payload) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET payload = excluded.payload",
            )?
            .execute(params![o.id, o.house_id, o.premises_id, payload])?;
            out.changed(Event::Houses);
        }
        (ChangeKind::Ownership, ChangeOp::Delete) => {
            let row: Option<(HouseId, PremisesId)> = tx
                .query_row("SELECT house_id, premises_id FROM ownerships WHERE id = ?1", [c.id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            tx.execute("DELETE FROM ownerships WHERE id = ?1", [c.id])?;
            if let Some((house, premises)) = row {
                // The flat is no longer the person's: its meters and bills go.
                crate::meter::purge_premises(tx, premises)?;
                crate::bill::purge_premises(tx, premises)?;
                out.changed(Event::Devices);
                out.changed(Event::Accounts);
                purge_house_if_unowned(tx, house, out)?;
            }
            out.changed(Event::Houses);
        }
        (other, _) => return Err(crate::feed::misrouted(other)),
    }
    Ok(())
}

/// Removes a house once no ownership keeps it in view. Staff see houses through their
/// organisation, not ownerships; the server tells them with a house delete.
fn purge_house_if_unowned(tx: &Transaction<'_>, house: HouseId, out: &mut Applied) -> Result<()> {
    let still: i64 = tx.query_row("SELECT count(*) FROM ownerships WHERE house_id = ?1", [house], |r| r.get(0))?;
    if still > 0 {
        return Ok(());
    }
    let staff: i64 = tx.query_row(
        "SELECT count(*) FROM sync_state WHERE json_extract(person, '$.staff_role') IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    if staff > 0 {
        return Ok(());
    }
    purge_house(tx, house, out)
}

/// Removes a house and everything of it.
fn purge_house(tx: &Transaction<'_>, house: HouseId, out: &mut Applied) -> Result<()> {
    crate::meter::purge_house(tx, house)?;
    crate::bill::purge_house(tx, house)?;
    crate::ticket::purge_house(tx, house)?;
    crate::notice::purge_house(tx, house)?;
    tx.execute("DELETE FROM admin_applications WHERE house_id = ?1", [house])?;
    tx.execute("DELETE FROM houses WHERE id = ?1", [house])?;
    crate::chat::purge_house(tx, house, out)?;
    for event in [
        Event::Houses,
        Event::Devices,
        Event::Accounts,
        Event::Tickets { house_id: house },
        Event::Notices { house_id: house },
        Event::RepairPlans { house_id: house },
    ] {
        out.changed(event);
    }
    Ok(())
}

impl Cache {
    /// A cached house's passport as the server sent it.
    pub fn house(&self, id: HouseId) -> Result<Option<wire::House>> {
        self.read(|c| {
            let payload: Option<String> =
                c.query_row("SELECT payload FROM houses WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            payload
                .map(|p| {
                    serde_json::from_str(&p).map_err(|e| CoreError::Cache {
                        reason: "a cached house cannot be read".into(),
                        source: Some(Box::new(e)),
                    })
                })
                .transpose()
        })
    }

    /// Every cached house, by address.
    pub fn houses(&self) -> Result<Vec<wire::House>> {
        self.read(|c| crate::cache::payloads(c, "SELECT payload FROM houses ORDER BY address", []))
    }
}

/// The houses of a signed-in person (owned in, or managed by their organisation).
pub struct Houses<'a> {
    client: &'a crate::Client,
}

impl crate::Client {
    /// The person's houses.
    pub fn houses(&self) -> Houses<'_> {
        Houses { client: self }
    }
}

impl Houses<'_> {
    /// A cached house's passport (works offline).
    pub async fn get(&self, id: HouseId) -> Result<Option<wire::House>> {
        crate::sync::blocking(&self.client.cache, move |c| c.house(id)).await
    }

    /// Every cached house, by address.
    pub async fn list(&self) -> Result<Vec<wire::House>> {
        crate::sync::blocking(&self.client.cache, |c| c.houses()).await
    }
}
