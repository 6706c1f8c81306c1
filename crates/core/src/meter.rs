//! Metering devices and their readings in the cache.

use rusqlite::Transaction;

use domkom_domain::id::*;
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp};

use crate::cache::Cache;
use crate::error::Result;
use crate::events::Event;
use crate::feed::{Applied, decode, delete_row, upsert_row};

/// Stores a device or reading change.
pub(crate) fn apply(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    match (c.kind, c.op) {
        (ChangeKind::Device, ChangeOp::Upsert) => {
            let d: wire::Device = decode(c)?;
            upsert_row(tx, "devices", &[("house_id", &d.house_id), ("premises_id", &d.premises_id)], c)?;
            out.changed(Event::Devices);
        }
        (ChangeKind::Device, ChangeOp::Delete) => {
            tx.execute("DELETE FROM readings WHERE device_id = ?1", [c.id])?;
            if !delete_row::<DeviceId>(tx, "devices", "id", c.id)?.is_empty() {
                out.changed(Event::Devices);
            }
        }
        (ChangeKind::Reading, ChangeOp::Upsert) => {
            let r: wire::Reading = decode(c)?;
            upsert_row(tx, "readings", &[("device_id", &r.device_id), ("period", &r.period)], c)?;
            out.changed(Event::Readings { device_id: r.device_id });
        }
        (ChangeKind::Reading, ChangeOp::Delete) => {
            for device_id in delete_row(tx, "readings", "device_id", c.id)? {
                out.changed(Event::Readings { device_id });
            }
        }
        (other, _) => return Err(crate::feed::misrouted(other)),
    }
    Ok(())
}

/// Removes the devices and readings of a premises (its ownership ended).
pub(crate) fn purge_premises(tx: &Transaction<'_>, premises: PremisesId) -> Result<()> {
    tx.execute("DELETE FROM readings WHERE device_id IN (SELECT id FROM devices WHERE premises_id = ?1)", [premises])?;
    tx.execute("DELETE FROM devices WHERE premises_id = ?1", [premises])?;
    Ok(())
}

/// Removes the devices and readings of a whole house.
pub(crate) fn purge_house(tx: &Transaction<'_>, house: HouseId) -> Result<()> {
    tx.execute("DELETE FROM readings WHERE device_id IN (SELECT id FROM devices WHERE house_id = ?1)", [house])?;
    tx.execute("DELETE FROM devices WHERE house_id = ?1", [house])?;
    Ok(())
}

impl Cache {
    /// The cached metering devices of a premises.
    pub fn devices(&self, premises: PremisesId) -> Result<Vec<wire::Device>> {
        self.read(|c| {
            crate::cache::payloads(c, "SELECT payload FROM devices WHERE premises_id = ?1 ORDER BY id", [premises])
        })
    }

    /// A device's cached readings, newest period first.
    pub fn readings(&self, device: DeviceId) -> Result<Vec<wire::Reading>> {
        self.read(|c| {
            crate::cache::payloads(
                c,
                "SELECT payload FROM readings WHERE device_id = ?1 ORDER BY period DESC, id DESC",
                [device],
            )
        })
    }
}
