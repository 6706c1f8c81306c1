//! Notices in the cache: outages and capital-repair plans, per house; and a house's notices
//! as the person reads them (`client.notices()`): current, upcoming or past by the server's
//! clock, each outage judged against the limits of regulation 354 with the month's others.

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Transaction, params};
use serde::Serialize;

use domkom_domain::id::*;
use domkom_domain::notice::{
    Breach, NoticeKind, OutageSpan, OutageType, PostOutage, check_outage, judge_outages, service_name,
};
use domkom_domain::time::{local_time, moment_in};
use domkom_domain::wire::{self, Change, ChangeKind, ChangeOp};

use crate::Written;
use crate::cache::Cache;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::feed::{Applied, decode, delete_row, upsert_row};
use crate::notify::Notification;
use crate::outbox::Request;
use crate::sync::blocking;

/// Stores a notice or repair-plan change.
pub(crate) fn apply(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    match (c.kind, c.op) {
        (ChangeKind::Notice, ChangeOp::Upsert) => {
            // A notice covering many houses comes once per house of the person's.
            let n: wire::Notice = decode(c)?;
            let known: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM notices WHERE id = ?1 AND house_id = ?2)",
                params![n.id, n.house_id],
                |r| r.get(0),
            )?;
            if !known && n.kind == NoticeKind::Outage {
                out.new_outages.push(NewOutage {
                    notice_id: n.id,
                    house_id: n.house_id,
                    title: n.title.clone(),
                    starts_at: n.starts_at.clone(),
                    ends_at: n.ends_at.clone(),
                });
            }
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

/// Stores a notice the server answered a post with (the feed brings the other houses' copies).
pub(crate) fn store_notice(tx: &Transaction<'_>, n: &wire::Notice) -> Result<()> {
    let payload = serde_json::to_string(n).map_err(|e| CoreError::cache(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO notices (id, house_id, payload) VALUES (?1, ?2, ?3) \
         ON CONFLICT (id, house_id) DO UPDATE SET payload = excluded.payload",
    )?
    .execute(params![n.id, n.house_id, payload])?;
    Ok(())
}

/// An outage notice that arrived and was not in the cache before (for a notification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewOutage {
    /// The notice.
    pub notice_id: NoticeId,
    /// The house of the person's it affects.
    pub house_id: HouseId,
    /// Its title, e.g. «Отключение холодной воды».
    pub title: String,
    /// Start, RFC 3339.
    pub starts_at: Option<String>,
    /// End, RFC 3339.
    pub ends_at: Option<String>,
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

/// An outage notice as a dispatcher fills it in. Times are the house's wall-clock time
/// (`2026-11-25T09:00`, read in the first house's time zone) or RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutageDraft {
    /// The houses affected.
    pub houses: Vec<HouseId>,
    /// The service's stable name: `cold_water`, `hot_water`, `sewage`, `electricity`, `gas`, `heating`.
    pub service: String,
    /// How far the outage goes.
    pub outage_type: OutageType,
    /// Start.
    pub starts_at: String,
    /// End.
    pub ends_at: String,
    /// Why, in words residents understand.
    pub reason: String,
}

impl Notices<'_> {
    /// A house's capital-repair plan from the cache (works offline): soonest first.
    pub async fn repairs(&self, house: HouseId) -> Result<Vec<wire::RepairPlan>> {
        let mut plan = blocking(&self.client.cache, move |c| c.repair_plans(house)).await?;
        plan.sort_by_key(|r| (r.year_from, r.year_to, r.id));
        Ok(plan)
    }

    /// Posts a dispatcher's outage notice. It is checked here first by the rules the server
    /// applies (and that the houses are the dispatcher's), so a mistake is said at once,
    /// offline too; then it goes through the outbox, sent now or when the link is back.
    pub async fn post(&self, draft: OutageDraft) -> Result<Written> {
        let request = self.checked(draft).await?;
        self.client.enqueue(request).await
    }

    /// Checks a draft without posting it, as the form is filled in.
    pub async fn check(&self, draft: OutageDraft) -> Result<()> {
        self.checked(draft).await.map(|_| ())
    }

    async fn checked(&self, draft: OutageDraft) -> Result<Request> {
        let person = self.client.person().await?;
        if person.and_then(|p| p.staff_role) != Some(domkom_domain::role::StaffRole::Dispatcher) {
            return Err(CoreError::invalid(
                "not_dispatcher",
                &[],
                "only a dispatcher of the managing organisation posts outage notices",
            ));
        }
        let now = self.client.api.http().clock().now();
        blocking(&self.client.cache, move |c| {
            // Before the first sync nothing is known of the houses: the server judges them.
            let synced = c.cursor()? > 0;
            let mut timezone = None;
            for &h in &draft.houses {
                match c.house(h)? {
                    Some(house) => timezone = timezone.or(Some(house.timezone)),
                    None if !synced => {}
                    None => {
                        return Err(CoreError::invalid(
                            "house_not_managed",
                            &[("house", h.to_string())],
                            format!("house {h} is not one of your organisation's; `domkom houses` lists them"),
                        ));
                    }
                }
            }
            let timezone = timezone.unwrap_or_else(|| "Europe/Moscow".to_owned());
            let utc = |t: &str| {
                moment_in(t, &timezone)
                    .map(|m| m.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_else(|| t.to_owned())
            };
            let req = PostOutage {
                client_key: String::new(),
                houses: draft.houses,
                service: draft.service.trim().to_owned(),
                outage_type: draft.outage_type,
                starts_at: utc(&draft.starts_at),
                ends_at: utc(&draft.ends_at),
                reason: draft.reason.trim().to_owned(),
            };
            check_outage(&req, now).map_err(|e| CoreError::refused(&e))?;
            let PostOutage { houses, service, outage_type, starts_at, ends_at, reason, .. } = req;
            Ok(Request::PostOutage { houses, service, outage_type, starts_at, ends_at, reason })
        })
        .await
    }

    /// The desktop notification for an outage that just arrived, unless it is already over
    /// by the server's clock or the person is a dispatcher: the title and the house's
    /// address, and the span in the house's time.
    pub async fn notification_for(&self, n: &NewOutage) -> Result<Option<Notification>> {
        // Dispatchers post the outages of their houses; they are not told of them.
        let person = self.client.person().await?;
        if person.and_then(|p| p.staff_role) == Some(domkom_domain::role::StaffRole::Dispatcher) {
            return Ok(None);
        }
        let now = self.client.api.http().clock().now();
        let ended =
            n.ends_at.as_deref().and_then(|e| DateTime::parse_from_rfc3339(e).ok()).is_some_and(|e| e.to_utc() <= now);
        if ended {
            return Ok(None);
        }
        let house = n.house_id;
        let house = blocking(&self.client.cache, move |c| c.house(house)).await?;
        let timezone = house.as_ref().map_or("Europe/Moscow", |h| h.timezone.as_str());
        let at = |t: &Option<String>| {
            local(t, timezone).map(|t| t.format("%d.%m %H:%M").to_string()).unwrap_or_else(|| "…".to_owned())
        };
        let title = match &house {
            Some(h) => format!("{} · {}", n.title, h.address),
            None => n.title.clone(),
        };
        Ok(Some(Notification { title, body: format!("{} – {}", at(&n.starts_at), at(&n.ends_at)) }))
    }
}
