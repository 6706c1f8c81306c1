//! Notices in the cache: outages and capital-repair plans, per house; and a house's notices
//! as the person reads them (`client.notices()`): current, upcoming or past by the server's
//! clock, each outage judged against the limits of regulation 354 with the month's others.

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::Transaction;
use serde::Serialize;

use domkom_domain::id::*;
use domkom_domain::notice::{Breach, OutageSpan, judge_outages, service_name};
use domkom_domain::time::local_time;
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp};

use crate::cache::Cache;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::feed::{Applied, decode, delete_row, upsert_row};
use crate::sync::blocking;

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

/// Where a notice stands in time, by the server's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum NoticeWhen {
    /// Going on now.
    Current,
    /// To come.
    Upcoming,
    /// Over.
    Past,
    /// Information without a span.
    Info,
}

/// A notice as the person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoticeView {
    /// The notice as the server sent it.
    pub notice: wire::Notice,
    /// The outage's service by name (`cold_water`…).
    pub service: Option<String>,
    /// The house's time zone, in which its times are shown (IANA name).
    pub timezone: String,
    /// Going on now, to come, or over, by the server's clock.
    pub when: NoticeWhen,
    /// The limit of regulation 354 it broke, if any, counted with the month's other outages
    /// of the service in the house.
    pub breach: Option<Breach>,
}

/// The notices of the person's houses.
pub struct Notices<'a> {
    client: &'a crate::Client,
}

impl crate::Client {
    /// The houses' notices: outages judged against the limits, and information.
    pub fn notices(&self) -> Notices<'_> {
        Notices { client: self }
    }
}

/// A notice's moment in the house's time.
fn local(at: &Option<String>, timezone: &str) -> Option<NaiveDateTime> {
    let at: DateTime<Utc> = DateTime::parse_from_rfc3339(at.as_deref()?).ok()?.to_utc();
    local_time(at, timezone).ok()
}

impl Notices<'_> {
    /// A house's notices from the cache (works offline): going on now first, then those to
    /// come (soonest first), then the rest (newest first).
    pub async fn list(&self, house: HouseId) -> Result<Vec<NoticeView>> {
        let now = self.client.api.http().clock().now();
        blocking(&self.client.cache, move |c| {
            let timezone = c.house(house)?.map_or_else(|| "Europe/Moscow".to_owned(), |h| h.timezone);
            let today = local_time(now, &timezone).map_err(|e| CoreError::cache(e.to_string()))?;
            let notices = c.notices(house)?;
            let spans: Vec<Option<OutageSpan>> = notices
                .iter()
                .map(|n| {
                    Some(OutageSpan {
                        service: n.service?,
                        start: local(&n.starts_at, &timezone)?,
                        end: local(&n.ends_at, &timezone)?,
                        preventive: n.preventive,
                    })
                })
                .collect();
            let judged_spans: Vec<OutageSpan> = spans.iter().flatten().copied().collect();
            let mut verdicts = judge_outages(&judged_spans).into_iter();
            let mut out: Vec<NoticeView> = notices
                .into_iter()
                .zip(spans)
                .map(|(notice, span)| {
                    let breach = if span.is_some() { verdicts.next().flatten() } else { None };
                    let start = local(&notice.starts_at, &timezone);
                    let end = local(&notice.ends_at, &timezone);
                    let when = match (start, end) {
                        (Some(s), _) if s > today => NoticeWhen::Upcoming,
                        (Some(_), Some(e)) if e > today => NoticeWhen::Current,
                        (Some(_), None) => NoticeWhen::Current,
                        (Some(_), Some(_)) => NoticeWhen::Past,
                        (None, _) => NoticeWhen::Info,
                    };
                    NoticeView {
                        service: notice.service.and_then(service_name).map(str::to_owned),
                        timezone: timezone.clone(),
                        when,
                        breach,
                        notice,
                    }
                })
                .collect();
            let rank = |w: NoticeWhen| match w {
                NoticeWhen::Current => 0,
                NoticeWhen::Upcoming => 1,
                NoticeWhen::Info => 2,
                NoticeWhen::Past => 2,
            };
            out.sort_by(|a, b| {
                rank(a.when).cmp(&rank(b.when)).then_with(|| match a.when {
                    NoticeWhen::Upcoming => a.notice.starts_at.cmp(&b.notice.starts_at),
                    _ => b
                        .notice
                        .starts_at
                        .as_ref()
                        .unwrap_or(&b.notice.created_at)
                        .cmp(a.notice.starts_at.as_ref().unwrap_or(&a.notice.created_at)),
                })
            });
            Ok(out)
        })
        .await
    }
}
