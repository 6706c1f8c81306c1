//! The dispatcher's queue over the cache: filters on indexed columns (status, category,
//! house, entrance, assignee, deadline, period) and the text index, sorted by deadline, with
//! counts per status; rows carry only what a queue line shows, so no JSON is decoded but the
//! page's.

use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use domkom_domain::id::*;
use domkom_domain::ticket::{TicketCategory, TicketPlace, TicketStatus};

use crate::cache::Cache;
use crate::chat::fts_query;
use crate::error::Result;

/// Whose tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssigneeFilter {
    /// Given to nobody.
    Nobody,
    /// Given to this person.
    Person {
        /// The executor.
        id: PersonId,
    },
}

/// What the queue shows: every filter is optional (empty: any).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct TicketQuery {
    /// Only these statuses.
    pub statuses: Vec<TicketStatus>,
    /// Only these categories.
    pub categories: Vec<TicketCategory>,
    /// Only these houses.
    pub houses: Vec<HouseId>,
    /// Only this entrance.
    pub entrance: Option<i64>,
    /// Only open tickets past their deadline.
    pub overdue: bool,
    /// Only open tickets due within this many hours (overdue ones included).
    pub due_within_hours: Option<i64>,
    /// Only these assignees.
    pub assignee: Option<AssigneeFilter>,
    /// Registered on or after this day (`YYYY-MM-DD`, the house's local day).
    pub from: Option<String>,
    /// Registered on or before this day (`YYYY-MM-DD`, the house's local day).
    pub to: Option<String>,
    /// Words of the title or text (each a prefix).
    pub text: Option<String>,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to give (0: 200).
    pub limit: u32,
}

/// A queue line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QueueRow {
    /// The ticket.
    pub id: TicketId,
    /// Its house.
    pub house_id: HouseId,
    /// The house's address.
    pub address: String,
    /// Category.
    pub category: TicketCategory,
    /// Status.
    pub status: TicketStatus,
    /// Title.
    pub title: String,
    /// An emergency.
    pub emergency: bool,
    /// Where.
    pub place: TicketPlace,
    /// Entrance.
    pub entrance: Option<i64>,
    /// Registered at.
    pub created_at: String,
    /// Due by.
    pub deadline_at: String,
    /// Open and past its deadline.
    pub overdue: bool,
    /// The executor's name.
    pub assignee_name: Option<String>,
    /// Flats affected.
    pub flats_affected: u32,
}

/// How many tickets of the filter are in one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusCount {
    /// The status.
    pub status: TicketStatus,
    /// How many.
    pub count: u32,
}

/// A page of the queue with the filter's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QueuePage {
    /// Tickets matching the whole filter.
    pub total: u32,
    /// Tickets matching the filter but its statuses, per status.
    pub counts: Vec<StatusCount>,
    /// Open tickets past their deadline among those matching the filter but `overdue`.
    pub overdue: u32,
    /// The page, soonest deadline first (closed tickets last, newest first).
    pub rows: Vec<QueueRow>,
    /// The server's time the page was judged at (RFC 3339).
    pub now: String,
}

const OPEN: &str = "t.status IN ('new', 'accepted', 'in_work')";

/// From how many matches a page is read by walking the queue's order.
const WALK_IN_ORDER: u32 = 2000;

/// The WHERE clause of a query and its parameters; `statuses` and `overdue` may be left out
/// (for the counts that ignore them).
fn clause(q: &TicketQuery, now: i64, statuses: bool, overdue: bool) -> (String, Vec<Value>) {
    let mut parts: Vec<String> = vec!["1".into()];
    let mut values: Vec<Value> = Vec::new();
    let list = |column: &str, items: Vec<Value>, parts: &mut Vec<String>, values: &mut Vec<Value>| {
        if items.is_empty() {
            return;
        }
        let marks: Vec<String> = items.iter().map(|_| "?".to_owned()).collect();
        parts.push(format!("{column} IN ({})", marks.join(", ")));
        values.extend(items);
    };
    if statuses {
        let items = q.statuses.iter().map(|s| Value::Text(s.as_str().into())).collect();
        list("t.status", items, &mut parts, &mut values);
    }
    let items = q.categories.iter().map(|c| Value::Text(c.as_str().into())).collect();
    list("t.category", items, &mut parts, &mut values);
    let items = q.houses.iter().map(|h| Value::Integer(h.get())).collect();
    list("t.house_id", items, &mut parts, &mut values);
    if let Some(e) = q.entrance {
        parts.push("t.entrance = ?".into());
        values.push(Value::Integer(e));
    }
    if overdue && q.overdue {
        parts.push(format!("{OPEN} AND t.deadline_s < ?"));
        values.push(Value::Integer(now));
    }
    if let Some(h) = q.due_within_hours {
        parts.push(format!("{OPEN} AND t.deadline_s < ?"));
        values.push(Value::Integer(now.saturating_add(h.saturating_mul(3600))));
    }
    match q.assignee {
        None => {}
        Some(AssigneeFilter::Nobody) => parts.push("t.assignee_id IS NULL".into()),
        Some(AssigneeFilter::Person { id }) => {
            parts.push("t.assignee_id = ?".into());
            values.push(Value::Integer(id.get()));
        }
    }
    // The period's days are the houses' local days (see store_ticket).
    let day = |d: &Option<String>| {
        d.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok()).map(|d| d.to_string())
    };
    if let Some(from) = day(&q.from) {
        parts.push("t.created_day >= ?".into());
        values.push(Value::Text(from));
    }
    if let Some(to) = day(&q.to) {
        parts.push("t.created_day <= ?".into());
        values.push(Value::Text(to));
    }
    if let Some(text) = q.text.as_deref().and_then(fts_query) {
        parts.push("t.id IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?)".into());
        values.push(Value::Text(text));
    }
    (parts.join(" AND "), values)
}

impl Cache {
    /// A page of the queue at `now` (Unix seconds, the server's clock).
    pub fn queue(&self, q: &TicketQuery, now: i64) -> Result<QueuePage> {
        self.queue_capped(q, now, 1000)
    }

    /// A page of at most `cap` rows (an export reads the whole queue at once).
    pub(crate) fn queue_capped(&self, q: &TicketQuery, now: i64, cap: u32) -> Result<QueuePage> {
        self.read(|c| {
            let limit = if q.limit == 0 { 200 } else { q.limit.min(cap) };
            // One scan for the figures: per status, how many match the rest of the filter and
            // how many of those are overdue.
            let (filter, values) = clause(q, now, false, false);
            let mut all = vec![Value::Integer(now)];
            all.extend(values);
            // Which index serves the scan: the (status, deadline) one covers a plain queue, the
            // (day, status, deadline) one a period; any other filter reads the narrow rows in
            // order (the planner would otherwise walk an index and look each row up), a
            // deadline range its own index. Overdue is counted for every status and kept for
            // the open ones: cheaper per row than asking which are open.
            let others = !q.categories.is_empty()
                || !q.houses.is_empty()
                || q.entrance.is_some()
                || q.assignee.is_some()
                || q.text.is_some();
            let period = q.from.is_some() || q.to.is_some();
            let source = match (others, period, q.due_within_hours) {
                (_, _, Some(_)) => "ticket_index t",
                (false, false, None) => "ticket_index t INDEXED BY ticket_index_status",
                (false, true, None) => "ticket_index t INDEXED BY ticket_index_period",
                (true, _, None) => "ticket_index t NOT INDEXED",
            };
            let mut stmt = c.prepare_cached(&format!(
                "SELECT t.status, count(*), sum(t.deadline_s < ?) FROM {source} WHERE {filter} GROUP BY t.status"
            ))?;
            let found = stmt.query_map(rusqlite::params_from_iter(all.iter()), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?, r.get::<_, i64>(2)? as u32))
            })?;
            let (mut counts, mut total, mut overdue) = (Vec::new(), 0, 0);
            for row in found {
                let (status, count, late) = row?;
                let Some(status) = TicketStatus::parse(&status) else { continue };
                let late = if status.is_closed() { 0 } else { late };
                counts.push(StatusCount { status, count });
                if q.statuses.is_empty() || q.statuses.contains(&status) {
                    overdue += late;
                    total += if q.overdue { late } else { count };
                }
            }
            counts.sort_by_key(|c| TicketStatus::ALL.iter().position(|s| *s == c.status));
            // The page: ids in the queue's order off the narrow index, then their lines. When
            // many tickets match, walking the order index finds a page's worth at once; the
            // planner would gather every match through a filter's own index and sort them
            // all (15,000 open tickets: 8 ms). Few matches are gathered and sorted.
            let walk = if total >= WALK_IN_ORDER { "INDEXED BY ticket_index_order" } else { "" };
            let (filter, values) = clause(q, now, true, true);
            let mut all = vec![Value::Integer(now)];
            all.extend(values);
            all.push(Value::Integer(i64::from(limit)));
            all.push(Value::Integer(i64::from(q.offset)));
            let mut stmt = c.prepare_cached(&format!(
                "SELECT t.id, t.house_id, coalesce(h.address, ''), t.category, t.status, \
                 json_extract(p.payload, '$.title'), t.emergency, t.place, t.entrance, \
                 json_extract(p.payload, '$.created_at'), json_extract(p.payload, '$.deadline_at'), \
                 {OPEN} AND t.deadline_s < ?, json_extract(p.payload, '$.assignee_name'), \
                 coalesce(json_extract(p.payload, '$.flats_affected'), 0) \
                 FROM (SELECT t.id FROM ticket_index t {walk} WHERE {filter} ORDER BY t.sort_key, t.id LIMIT ? OFFSET ?) page \
                 JOIN ticket_index t ON t.id = page.id JOIN tickets p ON p.id = t.id \
                 LEFT JOIN houses h ON h.id = t.house_id ORDER BY t.sort_key, t.id"
            ))?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(all.iter()), |r| {
                    Ok(QueueRow {
                        id: r.get(0)?,
                        house_id: r.get(1)?,
                        address: r.get(2)?,
                        category: TicketCategory::parse(&r.get::<_, String>(3)?).unwrap_or(TicketCategory::Other),
                        status: TicketStatus::parse(&r.get::<_, String>(4)?).unwrap_or(TicketStatus::New),
                        title: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                        emergency: r.get(6)?,
                        place: TicketPlace::parse(&r.get::<_, String>(7)?).unwrap_or(TicketPlace::Other),
                        entrance: r.get(8)?,
                        created_at: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
                        deadline_at: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
                        overdue: r.get(11)?,
                        assignee_name: r.get(12)?,
                        flats_affected: r.get(13)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let now = chrono::DateTime::from_timestamp(now, 0).unwrap_or_default();
            Ok(QueuePage { total, counts, overdue, rows, now: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true) })
        })
    }
}
