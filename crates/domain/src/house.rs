//! Houses and their passports: the managing organisation, entrances, lifts, premises, who
//! holds them, and the capital-repair plan.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::id::*;
use crate::vocab::vocabulary;

vocabulary! {
    /// What kind of organisation manages a house.
    pub enum OrgKind {
        /// A management company (УК).
        Uk = "uk",
        /// A homeowners' association (ТСЖ).
        Tszh = "tszh",
        /// A housing cooperative (ЖСК).
        Zhsk = "zhsk",
        /// An organisation appointed by the city until the owners choose.
        Temporary = "temporary",
    }
}

vocabulary! {
    /// How the owners chose to manage the house.
    pub enum ManagementType {
        /// By a management company.
        Uk = "uk",
        /// By a homeowners' association.
        Tszh = "tszh",
        /// By a housing cooperative.
        Zhsk = "zhsk",
        /// Directly by the owners.
        Direct = "direct",
    }
}

vocabulary! {
    /// The house's technical state in the registry.
    pub enum HouseState {
        /// Serviceable.
        Good = "good",
        /// Dilapidated (ветхий).
        Dilapidated = "dilapidated",
        /// Declared in emergency state (аварийный).
        Emergency = "emergency",
    }
}

vocabulary! {
    /// Where the house's capital-repair contributions go.
    pub enum RepairFund {
        /// The regional operator's common pot.
        RegionalOperator = "regional_operator",
        /// The house's own special account.
        SpecialAccount = "special_account",
    }
}

vocabulary! {
    /// What a lift carries.
    pub enum LiftKind {
        /// People.
        Passenger = "passenger",
        /// Goods and people.
        Freight = "freight",
    }
}

vocabulary! {
    /// What a premises is.
    pub enum PremisesKind {
        /// A flat.
        Flat = "flat",
        /// A non-residential premises.
        Nonresidential = "nonresidential",
    }
}

vocabulary! {
    /// On what grounds a person holds a premises.
    pub enum Relation {
        /// An owner, by the registry.
        Owner = "owner",
        /// A registered tenant.
        Tenant = "tenant",
    }
}

vocabulary! {
    /// Where an item of the capital-repair plan stands.
    pub enum RepairStatus {
        /// Planned.
        Planned = "planned",
        /// Under way.
        InProgress = "in_progress",
        /// Done.
        Done = "done",
        /// Postponed.
        Postponed = "postponed",
    }
}

/// A management organisation as shown with its houses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Org {
    /// Registry id.
    pub id: OrgId,
    /// Full name.
    pub name: String,
    /// What kind of organisation.
    pub kind: OrgKind,
    /// 13-digit primary state registration number.
    pub ogrn: String,
    /// 10-digit taxpayer number.
    pub inn: String,
    /// Tax registration reason code.
    pub kpp: String,
    /// Office address.
    pub address: String,
    /// Office phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Working hours as published.
    pub working_hours: String,
    /// Emergency dispatch (АДС) phone.
    pub dispatch_phone: String,
    /// Bank details for payments.
    pub bank_details: String,
}

/// An entrance of a house.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Entrance {
    /// Entrance number.
    pub number: i64,
    /// Storeys served.
    pub storeys: i64,
}

/// A lift of a house.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Lift {
    /// Registry id.
    pub id: LiftId,
    /// Entrance it serves.
    pub entrance: i64,
    /// Factory number.
    pub factory_number: String,
    /// What it carries.
    pub kind: LiftKind,
    /// Year installed.
    pub year_installed: i64,
}

/// A house with its digital passport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct House {
    /// Registry id.
    pub id: HouseId,
    /// Postal address.
    pub address: String,
    /// City district.
    pub district: String,
    /// FIAS house GUID: the stable address id.
    pub fias_guid: String,
    /// ГИС ЖКХ house GUID.
    pub gis_guid: String,
    /// ГИС ЖКХ unique number.
    pub gis_number: String,
    /// OKTMO code.
    pub oktmo: String,
    /// IANA time zone.
    pub timezone: String,
    /// Total area, hundredths of m².
    pub total_area: i64,
    /// Year put into use.
    pub year_built: i64,
    /// Floors above ground.
    pub floors: i64,
    /// Floors below ground.
    pub underground_floors: i64,
    /// Technical state.
    pub state: HouseState,
    /// How the owners chose to manage it.
    pub management_type: ManagementType,
    /// Whether the house is a cultural-heritage site.
    pub heritage: bool,
    /// Where capital-repair contributions go.
    pub repair_fund: RepairFund,
    /// Number of flats.
    pub flats: i64,
    /// The residential complex, if any.
    pub complex: Option<String>,
    /// First day of the month readings are accepted.
    pub window_from: i64,
    /// Last day of the month readings are accepted.
    pub window_to: i64,
    /// The official chat, for a house with 16 or more flats.
    pub community_id: Option<CommunityId>,
    /// Entrances.
    pub entrances: Vec<Entrance>,
    /// Lifts.
    pub lifts: Vec<Lift>,
    /// The managing organisation; none under direct management.
    pub org: Option<Org>,
    /// Start of the current management period.
    pub managed_since: Option<String>,
}

/// A premises of a house.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Premises {
    /// Registry id.
    pub id: PremisesId,
    /// Flat or premises number.
    pub number: String,
    /// Flat or non-residential.
    pub kind: PremisesKind,
    /// Entrance.
    pub entrance: i64,
    /// Floor.
    pub floor: i64,
    /// Total area, hundredths of m².
    pub total_area: i64,
    /// Living area, hundredths of m².
    pub living_area: i64,
}

/// A person's ownership or tenancy of a premises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Ownership {
    /// Id.
    pub id: OwnershipId,
    /// Person.
    pub person_id: PersonId,
    /// Premises.
    pub premises_id: PremisesId,
    /// House of the premises.
    pub house_id: HouseId,
    /// Flat number.
    pub premises_number: String,
    /// Owner or tenant.
    pub relation: Relation,
    /// Share numerator.
    pub share_num: i64,
    /// Share denominator.
    pub share_den: i64,
    /// Since.
    pub since: String,
    /// Until, when ended.
    pub until: Option<String>,
}

/// A capital-repair plan item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RepairPlan {
    /// Id.
    pub id: RepairPlanId,
    /// House.
    pub house_id: HouseId,
    /// Work.
    pub work: String,
    /// First year.
    pub year_from: i64,
    /// Last year.
    pub year_to: i64,
    /// Where the work stands.
    pub status: RepairStatus,
}
