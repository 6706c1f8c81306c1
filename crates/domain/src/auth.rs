//! Who is signed in: the person, what they may see, and the tokens of a session.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::StaffRole;
use crate::chat::ChatOffer;
use crate::id::*;

/// A person as the sign-in knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PersonInfo {
    /// Registry id.
    pub id: PersonId,
    /// Opaque ESIA-style id.
    pub oid: String,
    /// Full name.
    pub name: String,
    /// Whether the account is verified (only verified accounts use house chats).
    pub trusted: bool,
    /// The staff work, for staff.
    pub staff_role: Option<StaffRole>,
    /// The organisation a staff member works for (a dispatcher works its houses' tickets).
    #[serde(default)]
    pub org_id: Option<OrgId>,
}

/// Who the caller is, and what they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    /// The person.
    pub person: PersonInfo,
    /// Houses the person may see.
    pub house_ids: Vec<HouseId>,
    /// Communities the person belongs to.
    pub community_ids: Vec<CommunityId>,
    /// House chats offered to join.
    pub offers: Vec<ChatOffer>,
}

/// Tokens from the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TokenResponse {
    /// Bearer token for API calls; short-lived.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// One-time refresh token; presenting a used one revokes the whole family.
    pub refresh_token: String,
    /// The signed-in person.
    pub person: PersonInfo,
}

/// A demo person of the reference backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DemoPerson {
    /// Stable short id, e.g. `resident`.
    pub key: String,
    /// Full name.
    pub name: String,
    /// What this person can do.
    pub description: String,
    /// The person's id (what moderation and the registry name them by).
    pub id: PersonId,
}
