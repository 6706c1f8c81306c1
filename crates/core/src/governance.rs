//! Governance on the client: the applications for admin rights the feed brings (the
//! Inspection's whole queue, offline too), the Inspection's decisions and transfers, a
//! search of the cached houses by address, and the city's figures.

use reqwest::Method;
use rusqlite::{Transaction, params};
use serde::Serialize;

use domkom_domain::governance::{self, ApplicationState};
use domkom_domain::id::*;
use domkom_domain::wire::{self, AdminApplication, Change, ChangeKind, ChangeOp, CityStats, Org, Transferred};

use crate::cache::Cache;
use crate::client::Client;
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::feed::{Applied, decode};
use crate::sync::blocking;

/// Stores an application from the feed.
pub(crate) fn apply(tx: &Transaction<'_>, c: &Change, out: &mut Applied) -> Result<()> {
    match (c.kind, c.op) {
        (ChangeKind::AdminApplication, ChangeOp::Upsert) => {
            let a: AdminApplication = decode(c)?;
            tx.prepare_cached(
                "INSERT INTO admin_applications (id, house_id, open, payload) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET house_id = excluded.house_id, open = excluded.open, \
                 payload = excluded.payload",
            )?
            .execute(params![a.id, a.house_id, a.state == ApplicationState::Open, c.data.to_string()])?;
        }
        (ChangeKind::AdminApplication, ChangeOp::Delete) => {
            tx.execute("DELETE FROM admin_applications WHERE id = ?1", [c.id])?;
        }
        (other, _) => return Err(crate::feed::misrouted(other)),
    }
    out.changed(Event::Applications);
    Ok(())
}

/// A cached house as the Inspection's search finds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HouseHit {
    /// The house.
    pub house_id: HouseId,
    /// Its address.
    pub address: String,
    /// Its district.
    pub district: String,
    /// Its managing organisation, if any.
    pub org_id: Option<OrgId>,
    /// The organisation's name.
    pub org_name: Option<String>,
    /// Since when it manages the house.
    pub managed_since: Option<String>,
    /// Flats.
    pub flats: i64,
}

impl Cache {
    /// Applications, open ones first, oldest first; only open ones when `open_only`.
    pub fn applications(&self, open_only: bool) -> Result<Vec<AdminApplication>> {
        self.read(|c| {
            let mut stmt =
                c.prepare_cached("SELECT payload FROM admin_applications WHERE open OR NOT ?1 ORDER BY open DESC, id")?;
            let rows = stmt.query_map([open_only], |r| r.get::<_, String>(0))?;
            let mut out = Vec::new();
            for row in rows {
                out.push(serde_json::from_str(&row?).map_err(|e| CoreError::cache(format!("an application: {e}")))?);
            }
            Ok(out)
        })
    }

    /// Cached houses whose address has every word of `query` (case folded), at most `limit`.
    pub fn search_houses(&self, query: &str, limit: usize) -> Result<Vec<HouseHit>> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).take(8).collect();
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, address, json_extract(payload, '$.district'), json_extract(payload, '$.org.id'), \
                 json_extract(payload, '$.org.name'), json_extract(payload, '$.managed_since'), \
                 json_extract(payload, '$.flats') FROM houses ORDER BY address",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(HouseHit {
                    house_id: r.get(0)?,
                    address: r.get(1)?,
                    district: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    org_id: r.get(3)?,
                    org_name: r.get(4)?,
                    managed_since: r.get(5)?,
                    flats: r.get::<_, Option<i64>>(6)?.unwrap_or(0),
                })
            })?;
            let mut out = Vec::new();
            for row in rows {
                let hit = row?;
                let address = hit.address.to_lowercase();
                if words.iter().all(|w| address.contains(w.as_str())) {
                    out.push(hit);
                    if out.len() >= limit {
                        break;
                    }
                }
            }
            Ok(out)
        })
    }
}

/// Governance: applications for admin rights, decisions and transfers.
pub struct Governance<'a> {
    client: &'a Client,
}

impl Client {
    /// Governance: the Inspection's console, and applications by staff and chairs.
    pub fn governance(&self) -> Governance<'_> {
        Governance { client: self }
    }
}

/// Text checked by the domain's rule before anything is sent: what is sent, trimmed.
fn text(t: Option<&str>, required: bool) -> Result<Option<String>> {
    governance::check_text(t.map(str::trim), required).map_err(|e| CoreError::refused(&e))
}

impl Governance<'_> {
    /// Asks the server, then syncs so the outcome is in the cache.
    async fn act<B: Serialize, T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<T> {
        let answer = self.client.api.call(method, path, Some(body)).await?;
        self.client.engine.sync(&|_, _| {}).await?;
        Ok(answer)
    }

    /// Applications the person sees, open ones first (from the cache; works offline).
    pub async fn applications(&self, open_only: bool) -> Result<Vec<AdminApplication>> {
        blocking(&self.client.cache, move |c| c.applications(open_only)).await
    }

    /// Applies for a house chat's admin rights.
    pub async fn apply(&self, community: CommunityId, details: Option<&str>) -> Result<AdminApplication> {
        let body = wire::ApplyForRights { community_id: community, details: text(details, false)? };
        self.act(Method::POST, "v1/admin/applications", &body).await
    }

    /// Grants or refuses an application (the Inspection); a refusal says why.
    pub async fn decide(
        &self,
        application: ApplicationId,
        grant: bool,
        reason: Option<&str>,
    ) -> Result<AdminApplication> {
        let body = wire::DecideApplication { grant, reason: text(reason, !grant)? };
        self.act(Method::POST, &format!("v1/admin/applications/{application}/decision"), &body).await
    }

    /// Records a new managing organisation for a house from a day (the Inspection).
    pub async fn transfer(&self, house: HouseId, org: OrgId, from: &str, grant_rights: bool) -> Result<Transferred> {
        let body = wire::TransferHouse { org_id: org, from: from.trim().to_owned(), grant_rights };
        self.act(Method::POST, &format!("v1/houses/{house}/transfer"), &body).await
    }

    /// The registry's managing organisations (needs the server).
    pub async fn orgs(&self) -> Result<Vec<Org>> {
        self.client.api.call::<(), _>(Method::GET, "v1/orgs", None).await
    }

    /// The city's figures (needs the server).
    pub async fn city(&self) -> Result<CityStats> {
        self.client.api.call::<(), _>(Method::GET, "v1/stats/city", None).await
    }

    /// Cached houses by address words (the Inspection has every house; works offline).
    pub async fn search_houses(&self, query: &str, limit: usize) -> Result<Vec<HouseHit>> {
        let q = query.to_owned();
        blocking(&self.client.cache, move |c| c.search_houses(&q, limit)).await
    }
}
