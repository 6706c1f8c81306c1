//! A premises' services in SQLite: accounts, bills, meters and readings, for its holders.

use rusqlite::{OptionalExtension, Transaction, params};

use domkom_domain::id::*;
use domkom_domain::meter::{
    DeviceFacts, MeterValue, Submission, SubmitReading, Window, check_reading, history_before, period_of,
};
use domkom_domain::time::local_time;
use domkom_domain::wire::{Account, Bill, ChangeKind, Device, Reading, ReadingSource};

use super::{SqliteStore, changelog, decode, gate, rows, visible};
use crate::store::{ReadingRefusal, Scope, ServicesStore, StoreError, StoreResult, Taken, Viewer, What};

/// A meter as the reading rules need it: the device, the serial of its replacement, and its
/// house's time zone and window.
struct Metered {
    device: Device,
    replacement: Option<String>,
    timezone: String,
    window: Window,
}

fn metered(tx: &Transaction<'_>, viewer: &Viewer, id: DeviceId) -> Result<Metered, ReadingRefusal> {
    let row = tx
        .query_row(
            "SELECT d.premises_id, j.doc, n.serial, h.timezone, h.window_from, h.window_to \
             FROM devices d JOIN device_json j ON j.id = d.id JOIN houses h ON h.id = d.house_id \
             LEFT JOIN devices n ON n.id = d.replaced_by WHERE d.id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, Option<PremisesId>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    Window { from: r.get(4)?, to: r.get(5)? },
                ))
            },
        )
        .optional()?;
    let (premises, doc, replacement, timezone, window) = row.ok_or(StoreError::NotFound(What::Device))?;
    // Only the holders of the flat submit its readings (the house's collective meters are
    // read by the organisation).
    if !premises.is_some_and(|p| viewer.sees(Scope::Premises(p))) {
        return Err(StoreError::NotVisible(What::Device).into());
    }
    Ok(Metered { device: decode(ChangeKind::Device, &doc)?, replacement, timezone, window })
}

fn reading_of(tx: &Transaction<'_>, id: ReadingId) -> Result<Reading, ReadingRefusal> {
    let found = rows(tx, ChangeKind::Reading, "id = ?1", [id])?;
    Ok(found.into_iter().next().ok_or(StoreError::NotFound(What::Device))?.1)
}

/// Whether a stored reading holds these values (as numbers: "1,50" is "1.5").
fn same_values(r: &Reading, sub: &Submission) -> bool {
    let stored = |t: Option<&str>| t.map(MeterValue::parse).transpose().ok();
    [stored(Some(&r.t1)), stored(r.t2.as_deref()), stored(r.t3.as_deref())]
        .iter()
        .zip(sub.zones)
        .all(|(s, given)| *s == Some(given))
}

impl ServicesStore for SqliteStore {
    fn accounts(&self, viewer: &Viewer) -> StoreResult<Vec<Account>> {
        let c = self.reader()?;
        let mut out = Vec::new();
        for &premises in &viewer.premises {
            out.extend(visible(
                viewer,
                rows(&c, ChangeKind::Account, "scope = 'f' AND scope_id = ?1 ORDER BY id LIMIT 16", [premises])?,
            ));
        }
        Ok(out)
    }

    fn bills(&self, viewer: &Viewer, account: AccountId) -> StoreResult<Vec<Bill>> {
        let c = self.reader()?;
        gate(&c, viewer, "SELECT 'f', premises_id FROM accounts WHERE id = ?1", account, What::Account)?;
        let found = rows(
            &c,
            ChangeKind::Bill,
            "id IN (SELECT id FROM bills WHERE account_id = ?1) ORDER BY id DESC LIMIT 240",
            [account],
        )?;
        Ok(visible(viewer, found))
    }

    fn premises_devices(&self, viewer: &Viewer, premises: PremisesId) -> StoreResult<Vec<Device>> {
        // Only a holder learns whether a premises has meters, or exists at all.
        if !viewer.sees(Scope::Premises(premises)) {
            return Err(StoreError::NotVisible(What::Premises));
        }
        let c = self.reader()?;
        let found = rows(&c, ChangeKind::Device, "scope = 'f' AND scope_id = ?1 ORDER BY id LIMIT 100", [premises])?;
        Ok(visible(viewer, found))
    }

    fn readings(&self, viewer: &Viewer, device: DeviceId) -> StoreResult<Vec<Reading>> {
        let c = self.reader()?;
        gate(
            &c,
            viewer,
            "SELECT iif(premises_id IS NULL, 'h', 'f'), coalesce(premises_id, house_id) FROM devices WHERE id = ?1",
            device,
            What::Device,
        )?;
        let found = rows(
            &c,
            ChangeKind::Reading,
            "id IN (SELECT id FROM readings WHERE device_id = ?1) ORDER BY id DESC LIMIT ?2",
            params![device, 600],
        )?;
        Ok(visible(viewer, found))
    }

    fn submit_reading(&self, viewer: &Viewer, device: DeviceId, req: &SubmitReading) -> Result<Taken, ReadingRefusal> {
        let now = self.clock.now();
        let entered_at = self.now_rfc3339();
        self.write(|tx| {
            let m = metered(tx, viewer, device)?;
            let today = local_time(now, &m.timezone)
                .map_err(|e| StoreError::Corrupt { kind: "house", source: serde::de::Error::custom(e) })?
                .date();
            let sub = Submission::read(req, today)?;
            let seen: Option<ReadingId> = tx
                .query_row(
                    "SELECT id FROM readings WHERE author_id = ?1 AND client_key = ?2",
                    params![viewer.person.id, req.client_key],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = seen {
                let reading = reading_of(tx, id)?;
                return if reading.device_id == device && same_values(&reading, &sub) {
                    Ok(Taken { reading, created: false })
                } else {
                    Err(ReadingRefusal::KeyReused)
                };
            }
            let facts = DeviceFacts::of(&m.device, m.replacement).ok_or_else(|| StoreError::Corrupt {
                kind: "device",
                source: serde::de::Error::custom("unreadable dates or zones"),
            })?;
            let readings: Vec<Reading> =
                rows(tx, ChangeKind::Reading, "id IN (SELECT id FROM readings WHERE device_id = ?1)", [device])?
                    .into_iter()
                    .map(|(_, r)| r)
                    .collect();
            let period = period_of(today);
            check_reading(&facts, m.window, &history_before(&readings, &period), &sub)?;
            let replaces = readings.iter().filter(|r| r.period == period).map(|r| r.id).max();
            let text = |v: Option<MeterValue>| v.map(|v| v.to_string());
            let id: ReadingId = tx.query_row(
                "INSERT INTO readings (device_id, period, taken_on, t1, t2, t3, source, entered_at, author_id, \
                 client_key, replaces) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
                params![
                    device,
                    period,
                    today.to_string(),
                    text(sub.zones[0]),
                    text(sub.zones[1]),
                    text(sub.zones[2]),
                    ReadingSource::Resident,
                    entered_at,
                    viewer.person.id,
                    req.client_key,
                    replaces
                ],
                |r| r.get(0),
            )?;
            changelog::record(tx, ChangeKind::Reading, id)?;
            Ok(Taken { reading: reading_of(tx, id)?, created: true })
        })
    }
}
