//! The city's figures, computed from the registry.

use domkom_domain::wire::{ByManagement, CityStats, OrgCounts};

use super::SqliteStore;
use crate::store::{StatsStore, StoreResult};

impl StatsStore for SqliteStore {
    fn city_stats(&self) -> StoreResult<CityStats> {
        let c = self.reader()?;
        let (houses, uk, tszh, direct): (i64, i64, i64, i64) = c.query_row(
            "SELECT count(*), \
                    coalesce(sum(management_type = 'uk'), 0), \
                    coalesce(sum(management_type IN ('tszh', 'zhsk')), 0), \
                    coalesce(sum(management_type = 'direct'), 0) FROM houses",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let (org_uk, org_tszh): (i64, i64) = c.query_row(
            "SELECT coalesce(sum(kind = 'uk'), 0), coalesce(sum(kind IN ('tszh', 'zhsk')), 0) FROM orgs \
             WHERE id IN (SELECT org_id FROM management_periods WHERE to_date IS NULL)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (chats, granted, pending): (i64, i64, i64) = c.query_row(
            "SELECT count(*), coalesce(sum(admin_status = 'granted'), 0), coalesce(sum(admin_status = 'pending'), 0) \
             FROM communities WHERE kind = 'house_chat'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        // Members of a house community: everyone holding a premises of the house now;
        // joined: those of them with an active membership of its chat.
        let (eligible, joined): (i64, i64) = c.query_row(
            "SELECT count(*), count(m.id) FROM \
               (SELECT DISTINCT o.person_id AS pid, c.id AS cid FROM communities c \
                  JOIN premises p ON p.house_id = c.house_id \
                  JOIN ownerships o ON o.premises_id = p.id AND o.until IS NULL \
                 WHERE c.kind = 'house_chat') e \
             LEFT JOIN memberships m ON m.community_id = e.cid AND m.person_id = e.pid AND m.left_at IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(CityStats {
            houses,
            houses_by_management: ByManagement { uk, tszh_zhsk: tszh, direct },
            management_orgs: OrgCounts { uk: org_uk, tszh_zhsk: org_tszh },
            official_chats: chats,
            chats_with_admin: granted,
            chats_admin_pending: pending,
            members_joined_share: if eligible == 0 { 0.0 } else { joined as f64 / eligible as f64 },
        })
    }
}
