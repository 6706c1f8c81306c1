//! Metering devices and their readings: the cache's rows, the meters of the person's flats
//! with their windows (`client.meters()`), and readings submitted through the outbox after
//! the same rules the server applies have passed here, offline too.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use domkom_domain::id::*;
use domkom_domain::meter::{DeviceFacts, Submission, SubmitReading, Window, check_reading, history_before, period_of};
use domkom_domain::time::local_time;
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp};

use crate::cache::Cache;
use crate::client::Written;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::feed::{Applied, decode, delete_row, upsert_row};
use crate::outbox::Request;
use crate::sync::blocking;

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

/// Stores a reading the server took in answer to a submission.
pub(crate) fn store_reading(tx: &Transaction<'_>, r: &wire::Reading) -> Result<()> {
    let payload = serde_json::to_string(r).map_err(|e| CoreError::cache(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO readings (id, device_id, period, payload) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (id) DO UPDATE SET payload = excluded.payload",
    )?
    .execute(params![r.id, r.device_id, r.period, payload])?;
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

/// One meter of the person's flat, as the meters view and `domkom meters` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Meter {
    /// The device.
    pub device: wire::Device,
    /// The flat's house address.
    pub address: String,
    /// The newest reading the server took (a correction over what it corrects).
    pub last: Option<wire::Reading>,
    /// The day by the server's clock in the house's time zone (`YYYY-MM-DD`).
    pub today: String,
    /// The house's window: first and last day of the month.
    pub window_from: u32,
    /// Last day of the window.
    pub window_to: u32,
    /// Days left to submit, today included, while the window is open.
    pub days_left: Option<u32>,
    /// The next window's first day, when it is closed (`YYYY-MM-DD`).
    pub next_from: Option<String>,
    /// Whether a reading of this period was taken already.
    pub submitted_this_period: bool,
    /// The day the verification runs out (`YYYY-MM-DD`).
    pub verification_expires: String,
    /// Days until then (negative once expired).
    pub verification_days_left: i64,
    /// The serial of the meter that replaced this one.
    pub replaced_by: Option<String>,
}

/// Days before the verification runs out when the person is warned.
pub const VERIFICATION_WARNING_DAYS: i64 = 60;

/// A cached payload as its wire type.
fn parse<T: serde::de::DeserializeOwned>(payload: String) -> Result<T> {
    serde_json::from_str(&payload)
        .map_err(|e| CoreError::Cache { reason: "a cached meter cannot be read".into(), source: Some(Box::new(e)) })
}

/// What the rules need of one cached meter.
struct Facts {
    device: wire::Device,
    house: wire::House,
    replacement: Option<String>,
    readings: Vec<wire::Reading>,
}

impl Facts {
    fn window(&self) -> Window {
        Window { from: self.house.window_from as u32, to: self.house.window_to as u32 }
    }

    fn rules(&self) -> Result<DeviceFacts> {
        DeviceFacts::of(&self.device, self.replacement.clone())
            .ok_or_else(|| CoreError::cache(format!("meter {} has unreadable dates", self.device.id)))
    }

    /// The day by the server's clock in the house's time zone.
    fn today(&self, now: chrono::DateTime<chrono::Utc>) -> Result<chrono::NaiveDate> {
        local_time(now, &self.house.timezone).map(|t| t.date()).map_err(|e| CoreError::cache(e.to_string()))
    }
}

impl Cache {
    /// A cached meter with what the rules need, if it is cached.
    fn meter_facts(&self, device: DeviceId) -> Result<Option<Facts>> {
        self.read(|c| {
            let one =
                |sql: &str, id: i64| -> Result<Option<String>> { Ok(c.query_row(sql, [id], |r| r.get(0)).optional()?) };
            let Some(payload) = one("SELECT payload FROM devices WHERE id = ?1", device.get())? else {
                return Ok(None);
            };
            let device: wire::Device = parse(payload)?;
            let Some(house) = one("SELECT payload FROM houses WHERE id = ?1", device.house_id.get())? else {
                return Ok(None);
            };
            let replacement = match device.replaced_by {
                Some(id) => Some(match one("SELECT payload FROM devices WHERE id = ?1", id.get())? {
                    Some(p) => parse::<wire::Device>(p)?.serial,
                    None => id.to_string(),
                }),
                None => None,
            };
            let readings = crate::cache::payloads(
                c,
                "SELECT payload FROM readings WHERE device_id = ?1 ORDER BY period DESC, id DESC",
                [device.id],
            )?;
            Ok(Some(Facts { house: parse(house)?, device, replacement, readings }))
        })
    }

    /// Records a reminder as shown; false when it had been shown already.
    fn remember(&self, key: &str) -> Result<bool> {
        self.write(|tx| {
            Ok(tx.execute(
                "INSERT INTO reminders (key, shown_at) VALUES (?1, datetime('now')) ON CONFLICT (key) DO NOTHING",
                [key],
            )? > 0)
        })
    }

    /// The ids of the meters of the person's flats.
    fn flat_meters(&self) -> Result<Vec<DeviceId>> {
        self.read(|c| {
            let mut stmt =
                c.prepare_cached("SELECT id FROM devices WHERE premises_id IS NOT NULL ORDER BY premises_id, id")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok(ids)
        })
    }
}

/// The meters of the person's flats.
pub struct Meters<'a> {
    client: &'a crate::Client,
}

impl crate::Client {
    /// The meters of the person's flats: their windows and readings, and submitting them.
    pub fn meters(&self) -> Meters<'_> {
        Meters { client: self }
    }
}

impl Meters<'_> {
    /// Every meter of the person's flats with its last reading and window (works offline).
    pub async fn list(&self) -> Result<Vec<Meter>> {
        let clock = self.client.api.http().clock().now();
        blocking(&self.client.cache, move |c| {
            let mut out = Vec::new();
            for id in c.flat_meters()? {
                let Some(f) = c.meter_facts(id)? else { continue };
                let today = f.today(clock)?;
                let window = f.window();
                let rules = f.rules()?;
                let expires = rules.verification_expires();
                let period = period_of(today);
                out.push(Meter {
                    last: f.readings.first().cloned(),
                    submitted_this_period: f.readings.iter().any(|r| r.period == period),
                    today: today.to_string(),
                    window_from: window.from,
                    window_to: window.to,
                    days_left: window.days_left(today),
                    next_from: (!window.is_open(today)).then(|| window.next_opening(today).0.to_string()),
                    verification_expires: expires.to_string(),
                    verification_days_left: (expires - today).num_days(),
                    replaced_by: f.replacement,
                    address: f.house.address,
                    device: f.device,
                });
            }
            Ok(out)
        })
        .await
    }

    /// The reminder to show when a reading window has opened and some meter of the person's
    /// flats still waits for this month's reading: once per month, whatever the restarts.
    pub async fn window_reminder(
        &self,
        words: &crate::notify::NotifyWords,
    ) -> Result<Option<crate::notify::Notification>> {
        let due: Vec<Meter> = self
            .list()
            .await?
            .into_iter()
            .filter(|m| {
                m.days_left.is_some()
                    && !m.submitted_this_period
                    && m.verification_days_left > 0
                    && m.device.commissioned_on.is_some()
                    && m.replaced_by.is_none()
            })
            .collect();
        let Some(first) = due.first() else { return Ok(None) };
        let key = format!("meters:{}", &first.today[..first.today.len().min(7)]);
        let (to, count) = (first.window_to, due.len());
        let fresh = blocking(&self.client.cache, move |c| c.remember(&key)).await?;
        Ok(fresh.then(|| crate::notify::Notification {
            title: words.meters_title.clone(),
            body: crate::notify::fill(&words.meters_body, &[("to", to.to_string()), ("count", count.to_string())]),
        }))
    }

    /// A meter's readings, newest first (works offline).
    pub async fn readings(&self, device: DeviceId) -> Result<Vec<wire::Reading>> {
        blocking(&self.client.cache, move |c| c.readings(device)).await
    }

    /// Checks a reading by the rules the server applies, against the cached history and the
    /// server's clock, without submitting it: the app shows the verdict as the person types.
    pub async fn check(
        &self,
        device: DeviceId,
        t1: &str,
        t2: Option<&str>,
        t3: Option<&str>,
        confirm: bool,
    ) -> Result<()> {
        self.checked(device, t1, t2, t3, confirm).await.map(|_| ())
    }

    /// Submits a reading. It is checked here first by the rules the server applies, so a
    /// refusal comes at once, offline too, and nothing is queued; then it goes through the
    /// outbox (sent now, or when the link is back, exactly once).
    pub async fn submit(
        &self,
        device: DeviceId,
        t1: &str,
        t2: Option<&str>,
        t3: Option<&str>,
        confirm: bool,
    ) -> Result<Written> {
        let req = self.checked(device, t1, t2, t3, confirm).await?;
        let SubmitReading { t1, t2, t3, confirm, .. } = req;
        self.client.enqueue(Request::SubmitReading { device_id: device, t1, t2, t3, confirm }).await
    }

    /// The submission as it will be sent, once the rules passed.
    async fn checked(
        &self,
        device: DeviceId,
        t1: &str,
        t2: Option<&str>,
        t3: Option<&str>,
        confirm: bool,
    ) -> Result<SubmitReading> {
        let clean = |t: Option<&str>| t.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
        let req = SubmitReading {
            client_key: String::new(),
            t1: t1.trim().to_owned(),
            t2: clean(t2),
            t3: clean(t3),
            confirm,
        };
        let now = self.client.api.http().clock().now();
        let checked = req.clone();
        blocking(&self.client.cache, move |c| {
            let Some(f) = c.meter_facts(device)? else {
                return Err(CoreError::invalid(
                    "no_such_meter",
                    &[("id", device.to_string())],
                    format!("no meter {device} among your flats'; `domkom meters` lists them"),
                ));
            };
            let today = f.today(now)?;
            let sub = Submission::read(&checked, today).map_err(|e| CoreError::refused(&e))?;
            let history = history_before(&f.readings, &period_of(today));
            check_reading(&f.rules()?, f.window(), &history, &sub).map_err(|e| CoreError::refused(&e))
        })
        .await?;
        Ok(req)
    }
}
