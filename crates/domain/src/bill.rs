//! Personal accounts and unified payment documents (ЕПД, order 43/пр). Amounts are kopecks.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::Kopecks;
use crate::house::Org;
use crate::id::*;
use crate::vocab::vocabulary;

vocabulary! {
    /// How a charge's volume was found (regulation 354).
    pub enum VolumeMethod {
        /// From the meter's readings.
        Meter = "meter",
        /// The 6-month average, readings missing (items 59–60).
        Average = "average",
        /// The consumption norm.
        Norm = "norm",
        /// By the premises' area.
        Area = "area",
        /// No volume: a flat charge.
        None = "none",
    }
}

/// A personal account (лицевой счёт).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Account {
    /// Id.
    pub id: AccountId,
    /// Account number.
    pub number: String,
    /// Unified account number (ЕЛС), 10 characters.
    pub els: String,
    /// Premises.
    pub premises_id: PremisesId,
    /// House.
    pub house_id: HouseId,
    /// Flat number.
    pub premises_number: String,
    /// Persons registered.
    pub persons_registered: i64,
    /// Total area, hundredths of m².
    pub total_area: i64,
    /// Living area, hundredths of m².
    pub living_area: i64,
}

/// One service line of a bill (ЕПД section 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChargeLine {
    /// Service.
    pub service: String,
    /// Unit.
    pub unit: String,
    /// Individual volume, decimal.
    pub volume: String,
    /// How the individual volume was found.
    pub volume_method: VolumeMethod,
    /// Common-property (ОДН) volume, decimal.
    pub common_volume: String,
    /// How the common volume was found.
    pub common_method: VolumeMethod,
    /// Rate, kopecks per unit.
    pub rate: Kopecks,
    /// Accrued, kopecks.
    pub accrued: Kopecks,
    /// Recalculation, kopecks (signed).
    pub recalculation: Kopecks,
    /// Discount, kopecks.
    pub discount: Kopecks,
    /// Multiplying factor, decimal.
    pub factor: String,
    /// Payable, kopecks.
    pub payable: Kopecks,
}

/// An instalment (ЕПД section 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Instalment {
    /// Service.
    pub service: String,
    /// Amount due this period, kopecks.
    pub amount: Kopecks,
    /// Interest, kopecks.
    pub interest: Kopecks,
    /// Remaining, kopecks.
    pub remaining: Kopecks,
}

/// A recalculation with its reason (ЕПД section 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Recalculation {
    /// Service.
    pub service: String,
    /// Reason.
    pub reason: String,
    /// Amount, kopecks; negative lowers the bill.
    pub amount: Kopecks,
}

/// A unified payment document (ЕПД) for one account and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Bill {
    /// Id.
    pub id: BillId,
    /// Account.
    pub account_id: AccountId,
    /// Period, `YYYY-MM`.
    pub period: String,
    /// Issued on.
    pub issued_on: String,
    /// Section 1: payer, address, account, ЕЛС, persons registered, areas.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payer: serde_json::Value,
    /// Section 1: the provider with bank details.
    pub provider: Option<Org>,
    /// Section 2: meter readings used, one per metered device.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<BillReading>))]
    pub readings: serde_json::Value,
    /// Section 3: charges per service.
    pub charges: Vec<ChargeLine>,
    /// Section 4: reference information (tariff components, norms).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub reference: serde_json::Value,
    /// Section 5: instalments.
    pub instalments: Vec<Instalment>,
    /// Section 6: recalculations.
    pub recalculations: Vec<Recalculation>,
    /// Debt (positive) or advance (negative) from earlier periods, kopecks.
    pub debt: Kopecks,
    /// Paid during the period, kopecks.
    pub paid: Kopecks,
    /// Penalties (пени), kopecks.
    pub penalties: Kopecks,
    /// Total payable, kopecks.
    pub total: Kopecks,
}

/// A meter reading as a bill lists it (ЕПД section 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BillReading {
    /// The device's serial number.
    pub serial: String,
    /// `cold_water`, `hot_water`, `electricity`, `heating` or `gas`.
    pub resource: String,
    /// Period, `YYYY-MM`.
    pub period: String,
    /// Zone T1 (or the only zone), decimal.
    pub t1: String,
    /// Zone T2, for a two-zone meter.
    pub t2: Option<String>,
}
