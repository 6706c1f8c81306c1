//! Personal accounts and unified payment documents (ЕПД, order 43/пр). Amounts are kopecks.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::Kopecks;
use crate::house::Org;
use crate::id::*;
use crate::meter::Resource;
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// Periods in a row, this one included, that the meter went unread: the average applies
    /// for up to three of them, then the norm. 0 when read, or when there is no meter.
    #[serde(default)]
    pub unread_periods: u32,
}

/// An instalment (ЕПД section 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Recalculation {
    /// Service.
    pub service: String,
    /// Reason.
    pub reason: String,
    /// Amount, kopecks; negative lowers the bill.
    pub amount: Kopecks,
}

/// A unified payment document (ЕПД) for one account and period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    pub payer: Payer,
    /// Section 1: the provider with bank details.
    pub provider: Option<Org>,
    /// Section 2: meter readings used, one per metered device.
    pub readings: Vec<BillReading>,
    /// Section 3: charges per service.
    pub charges: Vec<ChargeLine>,
    /// Section 4: reference information (tariff components, norms).
    pub reference: Reference,
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BillReading {
    /// The device's serial number.
    pub serial: String,
    /// What the device meters.
    pub resource: Resource,
    /// Period, `YYYY-MM`.
    pub period: String,
    /// Zone T1 (or the only zone), decimal.
    pub t1: String,
    /// Zone T2, for a two-zone meter.
    pub t2: Option<String>,
}

/// The payer and the premises (ЕПД section 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Payer {
    /// The payer's full name.
    pub name: String,
    /// Address of the premises.
    pub address: String,
    /// Account number.
    pub account: String,
    /// Unified account number (ЕЛС).
    pub els: String,
    /// Persons registered.
    pub persons_registered: i64,
    /// Total area, hundredths of m².
    pub total_area: i64,
    /// Living area, hundredths of m².
    pub living_area: i64,
}

/// Reference information (ЕПД section 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reference {
    /// The components of each tariff.
    pub tariffs: Vec<Tariff>,
    /// The consumption norms used.
    pub norms: Vec<Norm>,
    /// The house's collective cold-water meter's use this period, m³, where it has one.
    #[serde(default)]
    pub collective_cold_water: Option<String>,
}

/// A tariff component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Tariff {
    /// Service.
    pub service: String,
    /// Component.
    pub component: String,
    /// Unit.
    pub unit: String,
    /// Kopecks per unit.
    pub rate: Kopecks,
}

/// A consumption norm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Norm {
    /// Service.
    pub service: String,
    /// What the norm measures.
    pub what: String,
    /// Value, decimal.
    pub value: String,
    /// Unit.
    pub unit: String,
}

impl Bill {
    /// Section 3's charges for the period: the sum of the lines' payable amounts.
    pub fn charges_payable(&self) -> Kopecks {
        self.charges.iter().map(|l| l.payable).sum()
    }

    /// What does not add up in this bill, if anything: each line's payable is accrued plus
    /// recalculation less discount, section 6 agrees with the lines' recalculations, and the
    /// total is the charges plus the debt, less the payments, plus the penalties.
    pub fn discrepancies(&self) -> Vec<Discrepancy> {
        let mut out = Vec::new();
        for l in &self.charges {
            if l.accrued + l.recalculation - l.discount != l.payable {
                out.push(Discrepancy::Line(l.service.clone()));
            }
        }
        let lines: Kopecks = self.charges.iter().map(|l| l.recalculation).sum();
        let listed: Kopecks = self.recalculations.iter().map(|r| r.amount).sum();
        if lines != listed {
            out.push(Discrepancy::Recalculations { lines, listed });
        }
        let expected = self.charges_payable() + self.debt - self.paid + self.penalties;
        if expected != self.total {
            out.push(Discrepancy::Total { expected, stated: self.total });
        }
        out
    }
}

/// A figure of a bill that does not follow from the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discrepancy {
    /// The line's payable is not accrued + recalculation − discount.
    Line(String),
    /// Section 6 lists other recalculations than the lines carry.
    Recalculations { lines: Kopecks, listed: Kopecks },
    /// The total is not charges + debt − paid + penalties.
    Total { expected: Kopecks, stated: Kopecks },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(service: &str, accrued: i64, recalculation: i64) -> ChargeLine {
        ChargeLine {
            service: service.into(),
            unit: "м³".into(),
            volume: "1".into(),
            volume_method: VolumeMethod::Meter,
            common_volume: "0".into(),
            common_method: VolumeMethod::None,
            rate: Kopecks(accrued),
            accrued: Kopecks(accrued),
            recalculation: Kopecks(recalculation),
            discount: Kopecks(0),
            factor: "1".into(),
            payable: Kopecks(accrued + recalculation),
            unread_periods: 0,
        }
    }

    fn bill() -> Bill {
        Bill {
            id: BillId::from(1),
            account_id: AccountId::from(1),
            period: "2026-10".into(),
            issued_on: "2026-11-01".into(),
            payer: Payer {
                name: "Сафина А. Р.".into(),
                address: "Казань".into(),
                account: "1".into(),
                els: "00АА000000".into(),
                persons_registered: 2,
                total_area: 5400,
                living_area: 3000,
            },
            provider: None,
            readings: vec![],
            charges: vec![line("ХВС", 10_000, 0), line("ГВС", 20_000, -5_000)],
            reference: Reference { tariffs: vec![], norms: vec![], collective_cold_water: None },
            instalments: vec![],
            recalculations: vec![Recalculation {
                service: "ГВС".into(),
                reason: "ГВС не было".into(),
                amount: Kopecks(-5_000),
            }],
            debt: Kopecks(1_000),
            paid: Kopecks(700),
            penalties: Kopecks(3),
            total: Kopecks(25_303),
        }
    }

    #[test]
    fn a_bill_that_adds_up_has_no_discrepancy() {
        assert_eq!(bill().charges_payable(), Kopecks(25_000));
        assert_eq!(bill().discrepancies(), vec![]);
    }

    #[test]
    fn every_figure_that_does_not_follow_is_named() {
        let mut b = bill();
        b.charges[0].payable = Kopecks(9_999);
        b.recalculations.clear();
        b.total = Kopecks(1);
        assert_eq!(
            b.discrepancies(),
            vec![
                Discrepancy::Line("ХВС".into()),
                Discrepancy::Recalculations { lines: Kopecks(-5_000), listed: Kopecks(0) },
                Discrepancy::Total { expected: Kopecks(25_302), stated: Kopecks(1) },
            ]
        );
    }
}
