//! The city's figures, as the platform publishes them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The city's figures, computed from the registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CityStats {
    /// Apartment buildings.
    pub houses: i64,
    /// Houses by kind of management.
    pub houses_by_management: ByManagement,
    /// Organisations managing at least one house, by kind.
    pub management_orgs: OrgCounts,
    /// Official house chats.
    pub official_chats: i64,
    /// Chats whose managing organisation holds admin rights.
    pub chats_with_admin: i64,
    /// Chats whose admin rights are pending.
    pub chats_admin_pending: i64,
    /// Share of house-chat members (verified owners and tenants) who joined, 0–1.
    pub members_joined_share: f64,
}

/// Houses by kind of management.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ByManagement {
    /// Managed by a management company.
    pub uk: i64,
    /// Managed by a ТСЖ or ЖСК.
    pub tszh_zhsk: i64,
    /// Directly managed by the owners.
    pub direct: i64,
}

/// Organisations by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OrgCounts {
    /// Management companies.
    pub uk: i64,
    /// ТСЖ and ЖСК.
    pub tszh_zhsk: i64,
}
