//! Personal accounts and their bills (ЕПД) in the cache; and the bills as the person reads
//! them (`client.bills()`): each with its change from the month before and whether all its
//! figures follow from each other.

use rusqlite::Transaction;
use serde::Serialize;

use domkom_domain::Kopecks;
use domkom_domain::id::*;
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp};

use crate::cache::Cache;
use crate::error::Result;
use crate::events::Event;
use crate::feed::{Applied, decode, delete_row, upsert_row};
use crate::sync::blocking;

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

    /// An account's cached bill of one period (`YYYY-MM`) and the one before it.
    fn bill_and_previous(&self, account: AccountId, period: &str) -> Result<Vec<wire::Bill>> {
        self.read(|c| {
            crate::cache::payloads(
                c,
                "SELECT payload FROM bills WHERE account_id = ?1 AND period <= ?2 ORDER BY period DESC LIMIT 2",
                rusqlite::params![account, period],
            )
        })
    }
}

/// A bill as the bills view and `domkom bills` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BillView {
    /// The bill, all six sections.
    pub bill: wire::Bill,
    /// Section 3's charges for the period: the sum of the lines' payable amounts.
    pub charges: Kopecks,
    /// The total payable less the previous month's; none for the first bill held.
    pub change: Option<Kopecks>,
    /// Whether every figure follows from the others (lines, recalculations, total).
    pub adds_up: bool,
}

impl BillView {
    fn of(bill: wire::Bill, previous: Option<&wire::Bill>) -> BillView {
        BillView {
            charges: bill.charges_payable(),
            change: previous.map(|p| bill.total - p.total),
            adds_up: bill.discrepancies().is_empty(),
            bill,
        }
    }
}

/// The person's accounts and their bills, read from the cache (so offline too).
pub struct Bills<'a> {
    client: &'a crate::Client,
}

impl crate::Client {
    /// The person's accounts and bills.
    pub fn bills(&self) -> Bills<'_> {
        Bills { client: self }
    }
}

impl Bills<'_> {
    /// The person's accounts, all or those in one house.
    pub async fn accounts(&self, house: Option<HouseId>) -> Result<Vec<wire::Account>> {
        let all = blocking(&self.client.cache, Cache::accounts).await?;
        Ok(all.into_iter().filter(|a| house.is_none_or(|h| a.house_id == h)).collect())
    }

    /// An account's bills, newest first, each with its change from the month before.
    pub async fn list(&self, account: AccountId) -> Result<Vec<BillView>> {
        let bills = blocking(&self.client.cache, move |c| c.bills(account)).await?;
        Ok(bills.iter().enumerate().map(|(i, b)| BillView::of(b.clone(), bills.get(i + 1))).collect())
    }

    /// An account's bill of one period (`YYYY-MM`), if the cache holds it.
    pub async fn one(&self, account: AccountId, period: String) -> Result<Option<BillView>> {
        let wanted = period.clone();
        let two = blocking(&self.client.cache, move |c| c.bill_and_previous(account, &period)).await?;
        Ok(two.first().filter(|b| b.period == wanted).map(|b| BillView::of(b.clone(), two.get(1))))
    }
}
