//! Seed data: the Kazan data set (6,014 houses reproducing the city's published figures) and
//! a small one for fast tests, both with the same demo persons and demo house.
//!
//! A plan (what exists) is drawn first with fixed random seeds; one writer then turns it into
//! rows inside a single transaction, and the change log is filled from the feed views. No
//! wall clock is read: "now" is fixed at 2026-11-24 12:00 Kazan time.

mod bills;
mod channels;
mod chat;
mod demo;
mod governance;
mod kazan;
mod moderation;
mod names;
mod notices;
mod plan;
mod registry;
mod small;
mod tickets;
mod util;

#[cfg(test)]
mod tests;

use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// Which data set to load into an empty database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Seed {
    /// The whole city of Kazan: 6,014 houses, about half a million flats.
    Kazan,
    /// A few houses with the demo persons, for fast tests.
    Small,
    /// Nothing: an empty registry.
    None,
}

/// What a seed wrote.
#[derive(Debug, Clone)]
pub struct SeedReport {
    /// Houses written.
    pub houses: i64,
    /// Persons written.
    pub persons: i64,
    /// Chat messages written.
    pub messages: i64,
    /// Change-log entries recorded.
    pub changes: i64,
    /// Time taken.
    pub elapsed: Duration,
}

/// Loads the data set into a migrated, empty database in one transaction, then records every entity in the change log.
pub fn seed(conn: &mut rusqlite::Connection, seed: Seed) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    let plan = match seed {
        Seed::Kazan => kazan::plan()?,
        Seed::Small => small::plan()?,
        Seed::None => {
            return Ok(SeedReport { houses: 0, persons: 0, messages: 0, changes: 0, elapsed: started.elapsed() });
        }
    };
    let tx = conn.transaction().context("cannot start the seed transaction")?;
    let existing: i64 = tx.query_row("SELECT count(*) FROM houses", [], |r| r.get(0))?;
    if existing > 0 {
        bail!("the database already holds {existing} houses; seed only an empty database");
    }
    let reg = registry::write(&tx, &plan).context("cannot write the registry")?;
    let messages = chat::write(&tx, &plan, &reg).context("cannot write chat histories")?;
    moderation::write(&tx, &reg).context("cannot write the demo house's moderation")?;
    moderation::write_polls(&tx, &reg).context("cannot write the demo house's polls")?;
    governance::write(&tx).context("cannot write the open applications for admin rights")?;
    tickets::write(&tx, &plan, &reg).context("cannot write tickets")?;
    notices::write(&tx, &plan, &reg).context("cannot write notices")?;
    bills::write(&tx, &plan, &reg).context("cannot write meters and bills")?;
    channels::write_house_posts(&tx, &reg.channels).context("cannot write the channels' posts for one house")?;
    channels::write_reactions(&tx).context("cannot write reactions")?;
    crate::store::changelog::record_all(&tx).context("cannot record the change log")?;
    let changes: i64 = tx.query_row("SELECT count(*) FROM changes", [], |r| r.get(0))?;
    tx.commit().context("cannot commit the seed")?;
    Ok(SeedReport {
        houses: plan.houses.len() as i64,
        persons: reg.persons,
        messages,
        changes,
        elapsed: started.elapsed(),
    })
}
