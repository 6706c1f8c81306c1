//! Tickets (заявки) in the cache: stored from the feed; what a house's tickets are.

use rusqlite::Transaction;

use domkom_domain::id::*;
use domkom_domain::wire::{self, Change, ChangeOp};

use crate::cache::Cache;
use crate::error::Result;
use crate::events::Event;
use crate::feed::{Applied, decode, delete_row, upsert_row};

/// Stores a ticket change.
pub(crate) fn apply(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    match c.op {
        ChangeOp::Upsert => {
            let t: wire::Ticket = decode(c)?;
            upsert_row(tx, "tickets", &[("house_id", &t.house_id), ("status", &t.status)], c)?;
            out.changed(Event::Tickets { house_id: t.house_id });
        }
        ChangeOp::Delete => {
            for house_id in delete_row(tx, "tickets", "house_id", c.id)? {
                out.changed(Event::Tickets { house_id });
            }
        }
    }
    Ok(())
}

/// Removes a house's tickets (the house left the person's view).
pub(crate) fn purge_house(tx: &Transaction<'_>, house: HouseId) -> Result<()> {
    tx.execute("DELETE FROM tickets WHERE house_id = ?1", [house])?;
    Ok(())
}

impl Cache {
    /// A house's cached tickets, newest first.
    pub fn tickets(&self, house: i64) -> Result<Vec<wire::Ticket>> {
        self.read(|c| {
            crate::cache::payloads(c, "SELECT payload FROM tickets WHERE house_id = ?1 ORDER BY id DESC", [house])
        })
    }
}
