//! Notices in the cache: outages and capital-repair plans, per house.

use rusqlite::Transaction;

use domkom_domain::id::*;
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp};

use crate::cache::Cache;
use crate::error::Result;
use crate::events::Event;
use crate::feed::{Applied, decode, delete_row, upsert_row};

/// Stores a notice or repair-plan change.
pub(crate) fn apply(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    match (c.kind, c.op) {
        (ChangeKind::Notice, ChangeOp::Upsert) => {
            // A notice covering many houses comes once per house of the person's.
            let n: wire::Notice = decode(c)?;
            upsert_row(tx, "notices", &[("house_id", &n.house_id)], c)?;
            out.changed(Event::Notices { house_id: n.house_id });
        }
        (ChangeKind::Notice, ChangeOp::Delete) => {
            for house_id in delete_row(tx, "notices", "house_id", c.id)? {
                out.changed(Event::Notices { house_id });
            }
        }
        (ChangeKind::RepairPlan, ChangeOp::Upsert) => {
            let r: wire::RepairPlan = decode(c)?;
            upsert_row(tx, "repair_plans", &[("house_id", &r.house_id)], c)?;
            out.changed(Event::RepairPlans { house_id: r.house_id });
        }
        (ChangeKind::RepairPlan, ChangeOp::Delete) => {
            for house_id in delete_row(tx, "repair_plans", "house_id", c.id)? {
                out.changed(Event::RepairPlans { house_id });
            }
        }
        (other, _) => return Err(crate::feed::misrouted(other)),
    }
    Ok(())
}

/// Removes a house's notices and repair plans.
pub(crate) fn purge_house(tx: &Transaction<'_>, house: HouseId) -> Result<()> {
    tx.execute("DELETE FROM notices WHERE house_id = ?1", [house])?;
    tx.execute("DELETE FROM repair_plans WHERE house_id = ?1", [house])?;
    Ok(())
}

impl Cache {
    /// A house's cached notices, newest first.
    pub fn notices(&self, house: HouseId) -> Result<Vec<wire::Notice>> {
        self.read(|c| {
            crate::cache::payloads(c, "SELECT payload FROM notices WHERE house_id = ?1 ORDER BY id DESC", [house])
        })
    }

    /// A house's cached capital-repair plan.
    pub fn repair_plans(&self, house: HouseId) -> Result<Vec<wire::RepairPlan>> {
        self.read(|c| {
            crate::cache::payloads(c, "SELECT payload FROM repair_plans WHERE house_id = ?1 ORDER BY id", [house])
        })
    }
}
