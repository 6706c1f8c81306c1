//! Personal accounts and their bills (ЕПД) in the cache.

use rusqlite::Transaction;

use domkom_domain::id::*;
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp};

use crate::cache::Cache;
use crate::error::Result;
use crate::events::Event;
use crate::feed::{Applied, decode, delete_row, upsert_row};

/// Stores an account or bill change.
pub(crate) fn apply(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    match (c.kind, c.op) {
        (ChangeKind::Account, ChangeOp::Upsert) => {
            let a: wire::Account = decode(c)?;
            upsert_row(tx, "accounts", &[("premises_id", &a.premises_id), ("house_id", &a.house_id)], c)?;
            out.changed(Event::Accounts);
        }
        (ChangeKind::Account, ChangeOp::Delete) => {
            tx.execute("DELETE FROM bills WHERE account_id = ?1", [c.id])?;
            if !delete_row::<AccountId>(tx, "accounts", "id", c.id)?.is_empty() {
                out.changed(Event::Accounts);
            }
        }
        (ChangeKind::Bill, ChangeOp::Upsert) => {
            let b: wire::Bill = decode(c)?;
            upsert_row(tx, "bills", &[("account_id", &b.account_id), ("period", &b.period)], c)?;
            out.changed(Event::Bills { account_id: b.account_id });
        }
        (ChangeKind::Bill, ChangeOp::Delete) => {
            for account_id in delete_row(tx, "bills", "account_id", c.id)? {
                out.changed(Event::Bills { account_id });
            }
        }
        (other, _) => return Err(crate::feed::misrouted(other)),
    }
    Ok(())
}

/// Removes the accounts and bills of a premises (its ownership ended).
pub(crate) fn purge_premises(tx: &Transaction<'_>, premises: PremisesId) -> Result<()> {
    tx.execute("DELETE FROM bills WHERE account_id IN (SELECT id FROM accounts WHERE premises_id = ?1)", [premises])?;
    tx.execute("DELETE FROM accounts WHERE premises_id = ?1", [premises])?;
    Ok(())
}

/// Removes the accounts and bills of a whole house.
pub(crate) fn purge_house(tx: &Transaction<'_>, house: HouseId) -> Result<()> {
    tx.execute("DELETE FROM bills WHERE account_id IN (SELECT id FROM accounts WHERE house_id = ?1)", [house])?;
    tx.execute("DELETE FROM accounts WHERE house_id = ?1", [house])?;
    Ok(())
}

impl Cache {
    /// The person's cached personal accounts.
    pub fn accounts(&self) -> Result<Vec<wire::Account>> {
        self.read(|c| crate::cache::payloads(c, "SELECT payload FROM accounts ORDER BY id", []))
    }

    /// An account's cached bills, newest period first.
    pub fn bills(&self, account: AccountId) -> Result<Vec<wire::Bill>> {
        self.read(|c| {
            crate::cache::payloads(c, "SELECT payload FROM bills WHERE account_id = ?1 ORDER BY period DESC", [account])
        })
    }
}
