//! The desk's report over a period, per house or per category: how many tickets were opened,
//! how many the organisation closed, how many went past their deadline, and the median time
//! to close. Days are the houses' local days, as in the queue's period filter.

use std::collections::BTreeMap;

use rusqlite::OptionalExtension;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use domkom_domain::id::HouseId;
use domkom_domain::ticket::TicketCategory;

use super::write::Tickets;
use crate::cache::Cache;
use crate::error::{CoreError, Result};
use crate::sync::blocking;

/// What a report's lines are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReportBy {
    /// One line per house.
    House,
    /// One line per category.
    Category,
}

/// One line of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportLine {
    /// The house's id or the category's code (empty on the total line).
    pub key: String,
    /// The house's address (the category's code for a category line).
    pub label: String,
    /// Registered in the period.
    pub opened: u32,
    /// Done or rejected in the period.
    pub closed: u32,
    /// Of those registered in the period, done late or still open past the deadline
    /// (withdrawn and rejected ones aside).
    pub overdue: u32,
    /// The median hours from registration to done, of those done in the period.
    pub median_hours: Option<f64>,
}

/// A report over a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TicketReport {
    /// The first day (`YYYY-MM-DD`).
    pub from: String,
    /// The last day (`YYYY-MM-DD`).
    pub to: String,
    /// What the lines are.
    pub by: ReportBy,
    /// The lines, most opened first.
    pub lines: Vec<ReportLine>,
    /// All lines together.
    pub total: ReportLine,
}

/// What a report covers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ReportQuery {
    /// The first day (`YYYY-MM-DD`); none: 30 days before the last.
    pub from: Option<String>,
    /// The last day (`YYYY-MM-DD`); none: today.
    pub to: Option<String>,
    /// Only these houses.
    pub houses: Vec<HouseId>,
    /// Only these categories.
    pub categories: Vec<TicketCategory>,
}

fn day(text: &str, what: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        CoreError::invalid(
            "bad_date",
            &[("date", text.to_owned())],
            format!("the {what} day «{text}» is not a date: write it as YYYY-MM-DD, e.g. 2026-11-01"),
        )
    })
}

fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let mid = if n % 2 == 1 { sorted[n / 2] as f64 } else { (sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0 };
    Some((mid / 360.0).round() / 10.0)
}

impl Tickets<'_> {
    /// The report over a period, judged on the server's clock.
    pub async fn report(&self, query: ReportQuery, by: ReportBy) -> Result<TicketReport> {
        let now = self.now();
        let to = match &query.to {
            Some(t) => day(t, "last")?,
            None => {
                let zone = blocking(&self.client.cache, |c| c.home_zone()).await?;
                now.with_timezone(&zone).date_naive()
            }
        };
        let from = match &query.from {
            Some(f) => day(f, "first")?,
            None => to - chrono::Duration::days(30),
        };
        if from > to {
            return Err(CoreError::invalid(
                "bad_period",
                &[("from", from.to_string()), ("to", to.to_string())],
                format!("the period starts ({from}) after it ends ({to}): swap the days"),
            ));
        }
        let (from, to) = (from.to_string(), to.to_string());
        let at = now.timestamp();
        blocking(&self.client.cache, move |c| c.report(&query, by, &from, &to, at)).await
    }
}

impl Cache {
    /// The time zone of the person's houses (of the first one cached; UTC without any).
    pub fn home_zone(&self) -> Result<chrono_tz::Tz> {
        self.read(|c| {
            let name: Option<String> = c
                .query_row("SELECT json_extract(payload, '$.timezone') FROM houses ORDER BY id LIMIT 1", [], |r| {
                    r.get(0)
                })
                .optional()?
                .flatten();
            Ok(name.and_then(|n| domkom_domain::time::zone(&n).ok()).unwrap_or(chrono_tz::UTC))
        })
    }

    /// The report over `from..=to` (local days) at `now` (Unix seconds).
    pub fn report(&self, q: &ReportQuery, by: ReportBy, from: &str, to: &str, now: i64) -> Result<TicketReport> {
        self.read(|c| {
            let mut filter = String::new();
            let mut values: Vec<Value> = vec![
                from.to_owned().into(),
                to.to_owned().into(),
                from.to_owned().into(),
                to.to_owned().into(),
                now.into(),
            ];
            if !q.houses.is_empty() {
                filter.push_str(&format!(" AND t.house_id IN ({})", vec!["?"; q.houses.len()].join(", ")));
                values.extend(q.houses.iter().map(|h| Value::Integer(h.get())));
            }
            if !q.categories.is_empty() {
                filter.push_str(&format!(" AND t.category IN ({})", vec!["?"; q.categories.len()].join(", ")));
                values.extend(q.categories.iter().map(|c| Value::Text(c.as_str().into())));
            }
            let key = match by {
                ReportBy::House => "CAST(t.house_id AS TEXT)",
                ReportBy::Category => "t.category",
            };
            // Rows opened or closed in the period, each counted where it belongs; the done ones
            // of the period give their hours to the median.
            let sql = format!(
                "WITH p(f, l, cf, cl, now) AS (SELECT ?, ?, ?, ?, ?) \
                 SELECT {key}, t.created_day BETWEEN p.f AND p.l, \
                        coalesce(t.status IN ('done', 'rejected') AND t.closed_day BETWEEN p.cf AND p.cl, 0), \
                        t.created_day BETWEEN p.f AND p.l AND t.status NOT IN ('rejected', 'withdrawn') \
                          AND coalesce(t.closed_s, p.now) > t.deadline_s, \
                        iif(t.status = 'done' AND t.closed_day BETWEEN p.cf AND p.cl, t.closed_s - t.created_s, NULL), \
                        coalesce(h.address, '') \
                 FROM ticket_index t, p LEFT JOIN houses h ON h.id = t.house_id \
                 WHERE (t.created_day BETWEEN p.f AND p.l OR t.closed_day BETWEEN p.cf AND p.cl){filter}"
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
            let mut lines: BTreeMap<String, (ReportLine, Vec<i64>)> = BTreeMap::new();
            let mut all = Vec::new();
            let mut total = ReportLine {
                key: String::new(),
                label: String::new(),
                opened: 0,
                closed: 0,
                overdue: 0,
                median_hours: None,
            };
            while let Some(r) = rows.next()? {
                let key: String = r.get(0)?;
                let (opened, closed, late): (bool, bool, bool) = (r.get(1)?, r.get(2)?, r.get(3)?);
                let hours: Option<i64> = r.get(4)?;
                let label = if by == ReportBy::House { r.get(5)? } else { key.clone() };
                let (line, durations) = lines.entry(key.clone()).or_insert_with(|| {
                    (ReportLine { key, label, opened: 0, closed: 0, overdue: 0, median_hours: None }, Vec::new())
                });
                for l in [&mut *line, &mut total] {
                    l.opened += u32::from(opened);
                    l.closed += u32::from(closed);
                    l.overdue += u32::from(late);
                }
                if let Some(h) = hours {
                    durations.push(h);
                    all.push(h);
                }
            }
            let mut out: Vec<ReportLine> = lines
                .into_values()
                .map(|(mut line, mut durations)| {
                    durations.sort_unstable();
                    line.median_hours = median(&durations);
                    line
                })
                .collect();
            out.sort_by(|a, b| b.opened.cmp(&a.opened).then(b.closed.cmp(&a.closed)).then(a.label.cmp(&b.label)));
            all.sort_unstable();
            total.median_hours = median(&all);
            Ok(TicketReport { from: from.to_owned(), to: to.to_owned(), by, lines: out, total })
        })
    }
}
