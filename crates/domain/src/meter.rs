//! Meter readings: the value format of the ГИС ЖКХ schema and the rules a reading must pass.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::id::*;
use crate::vocab::vocabulary;

vocabulary! {
    /// What a device meters.
    pub enum Resource {
        /// Cold water, m³.
        ColdWater = "cold_water",
        /// Hot water, m³.
        HotWater = "hot_water",
        /// Electricity, kWh.
        Electricity = "electricity",
        /// Heat, Gcal.
        Heating = "heating",
        /// Gas, m³.
        Gas = "gas",
    }
}

vocabulary! {
    /// Whose consumption a device meters.
    pub enum DeviceKind {
        /// One premises (ИПУ).
        Apartment = "apartment",
        /// The whole house (ОДПУ).
        Collective = "collective",
        /// One room of a shared flat.
        Room = "room",
    }
}

vocabulary! {
    /// Who took a reading.
    pub enum ReadingSource {
        /// The resident submitted it.
        Resident = "resident",
        /// The organisation's staff took it.
        Organisation = "organisation",
        /// The device reported it remotely.
        Remote = "remote",
    }
}

/// Digits allowed before the decimal point.
pub const MAX_INT_DIGITS: usize = 15;
/// Digits allowed after the decimal point.
pub const MAX_FRAC_DIGITS: usize = 7;
const SCALE: i128 = 10_000_000;

/// A non-negative meter value with up to 15 integer and 7 fraction digits, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct MeterValue(i128);

impl MeterValue {
    /// Reads "1234.5" or "1234,5".
    pub fn parse(text: &str) -> Result<MeterValue, ReadingError> {
        let bad = || ReadingError::Malformed(text.to_owned());
        let t = trim_value(text);
        let (whole, frac) = t.split_once(['.', ',']).unwrap_or((t, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if whole.trim_start_matches('0').len() > MAX_INT_DIGITS || frac.len() > MAX_FRAC_DIGITS {
            return Err(ReadingError::TooManyDigits(text.to_owned()));
        }
        let w: i128 = whole.parse().map_err(|_| bad())?;
        let mut f: i128 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| bad())? };
        for _ in frac.len()..MAX_FRAC_DIGITS {
            f *= 10;
        }
        Ok(MeterValue(w * SCALE + f))
    }

    /// The value as a float, for averages and display only.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }
}

impl fmt::Display for MeterValue {
    /// Canonical form without trailing zeros: "123.45", "7".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / SCALE;
        let frac = self.0 % SCALE;
        if frac == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{frac:07}");
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// Why a reading was refused or needs confirmation; each says what to do.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum ReadingError {
    /// Not a decimal number.
    #[error("«{0}» is not a meter value: use digits and one decimal point")]
    Malformed(String),
    /// Too many digits.
    #[error("«{0}» has too many digits: at most 15 before and 7 after the point")]
    TooManyDigits(String),
    /// Lower than the previous accepted reading.
    #[error("zone {zone}: {value} is lower than the previous reading {previous}; check the digits")]
    BelowPrevious { zone: u8, value: String, previous: String },
    /// A zone value missing for a multi-zone meter.
    #[error("this meter has {zones} tariff zones: enter zone T{zone} too")]
    ZoneMissing { zone: u8, zones: u8 },
    /// A zone value given that the meter does not have.
    #[error("this meter has {zones} tariff zone(s): zone T{zone} does not exist, leave it empty")]
    ZoneForbidden { zone: u8, zones: u8 },
    /// Outside the house's submission window.
    #[error(
        "readings are accepted from day {from} to day {to} of the month; the next window is {next_from} – {next_to}"
    )]
    OutsideWindow { from: u32, to: u32, next_from: NaiveDate, next_to: NaiveDate },
    /// The verification interval has expired.
    #[error("the meter's verification expired on {0}: have it verified or replaced first")]
    VerificationExpired(NaiveDate),
    /// The device is not commissioned.
    #[error("the meter is not commissioned yet: ask the management organisation to commission it")]
    NotCommissioned,
    /// The device was replaced: the new one keeps its own history.
    #[error("this meter was replaced by meter {0}: submit the reading for that one")]
    Replaced(String),
    /// Far above the device's usual use: allowed only after an explicit confirmation.
    #[error("zone {zone}: the use of {used} is over ten times the usual {usual}; check the digits and confirm")]
    NeedsConfirmation { zone: u8, used: String, usual: String },
}

impl crate::Coded for ReadingError {
    fn code(&self) -> &'static str {
        match self {
            ReadingError::Malformed(_) => "reading_malformed",
            ReadingError::TooManyDigits(_) => "reading_too_many_digits",
            ReadingError::BelowPrevious { .. } => "reading_below_previous",
            ReadingError::ZoneMissing { .. } => "reading_zone_missing",
            ReadingError::ZoneForbidden { .. } => "reading_zone_forbidden",
            ReadingError::OutsideWindow { .. } => "reading_outside_window",
            ReadingError::VerificationExpired(_) => "reading_verification_expired",
            ReadingError::NotCommissioned => "reading_not_commissioned",
            ReadingError::Replaced(_) => "reading_device_replaced",
            ReadingError::NeedsConfirmation { .. } => "reading_needs_confirmation",
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            ReadingError::Malformed(text) | ReadingError::TooManyDigits(text) => vec![("value", text.clone())],
            ReadingError::BelowPrevious { zone, value, previous } => {
                vec![("zone", zone.to_string()), ("value", value.clone()), ("previous", previous.clone())]
            }
            ReadingError::ZoneMissing { zone, zones } | ReadingError::ZoneForbidden { zone, zones } => {
                vec![("zone", zone.to_string()), ("zones", zones.to_string())]
            }
            ReadingError::OutsideWindow { from, to, next_from, next_to } => vec![
                ("from", from.to_string()),
                ("to", to.to_string()),
                ("next_from", next_from.to_string()),
                ("next_to", next_to.to_string()),
            ],
            ReadingError::VerificationExpired(on) => vec![("expired_on", on.to_string())],
            ReadingError::NotCommissioned => Vec::new(),
            ReadingError::Replaced(serial) => vec![("serial", serial.clone())],
            ReadingError::NeedsConfirmation { zone, used, usual } => {
                vec![("zone", zone.to_string()), ("used", used.clone()), ("usual", usual.clone())]
            }
        }
    }
}

/// What the rules need to know about the device.
#[derive(Debug, Clone)]
pub struct DeviceFacts {
    /// Tariff zones: 1, 2 or 3.
    pub zones: u8,
    /// Commissioned on, if commissioned.
    pub commissioned_on: Option<NaiveDate>,
    /// Last verification.
    pub verified_on: NaiveDate,
    /// Verification interval in years.
    pub verification_years: u32,
    /// The serial number of the meter that replaced this one, if it was replaced.
    pub replaced_by: Option<String>,
}

impl DeviceFacts {
    /// The day the verification runs out: readings are refused from then on.
    pub fn verification_expires(&self) -> NaiveDate {
        self.verified_on.checked_add_months(Months::new(self.verification_years * 12)).unwrap_or(self.verified_on)
    }

    /// The facts of a device as the wire carries it (dates `YYYY-MM-DD`); `replacement` is
    /// the serial of the device that replaced it. None when the stored dates are unreadable.
    pub fn of(device: &Device, replacement: Option<String>) -> Option<DeviceFacts> {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        Some(DeviceFacts {
            zones: u8::try_from(device.zones).ok()?,
            commissioned_on: match &device.commissioned_on {
                Some(d) => Some(date(d)?),
                None => None,
            },
            verified_on: date(&device.verified_on)?,
            verification_years: u32::try_from(device.verification_years).ok()?,
            replaced_by: replacement,
        })
    }
}

/// The house's submission window, days of the month inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First day.
    pub from: u32,
    /// Last day.
    pub to: u32,
}

impl Window {
    /// Whether readings are taken on `day`.
    pub fn is_open(&self, day: NaiveDate) -> bool {
        (self.from..=self.to).contains(&day.day())
    }

    /// The window's first and last day this month (a window to the 31st ends with the month).
    fn in_month(&self, month_start: NaiveDate) -> (NaiveDate, NaiveDate) {
        let last = last_day(month_start);
        let day = |d: u32| month_start.with_day(d.min(last)).unwrap_or(month_start);
        (day(self.from), day(self.to))
    }

    /// The next window that opens after `day` (this month's, if it is still to come).
    pub fn next_opening(&self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        let month_start = day.with_day(1).unwrap_or(day);
        let month = if day.day() < self.from { month_start } else { month_start + Months::new(1) };
        self.in_month(month)
    }

    /// Days left to submit, today included, while the window is open.
    pub fn days_left(&self, day: NaiveDate) -> Option<u32> {
        if !self.is_open(day) {
            return None;
        }
        let (_, to) = self.in_month(day.with_day(1).unwrap_or(day));
        Some((to - day).num_days().max(0) as u32 + 1)
    }
}

/// A submitted reading: one value per zone.
#[derive(Debug, Clone)]
pub struct Submission {
    /// T1, T2, T3 as entered.
    pub zones: [Option<MeterValue>; 3],
    /// When it is submitted.
    pub on: NaiveDate,
    /// The person confirmed an unusually high use.
    pub confirmed_high: bool,
}

impl Submission {
    /// Reads a submission's values as typed (a malformed value is refused here).
    pub fn read(req: &SubmitReading, on: NaiveDate) -> Result<Submission, ReadingError> {
        let value = |text: &Option<String>| match text.as_deref().map(sized).transpose()?.map(trim_value) {
            None | Some("") => Ok(None),
            Some(t) => MeterValue::parse(t).map(Some),
        };
        Ok(Submission {
            zones: [Some(MeterValue::parse(trim_value(sized(&req.t1)?))?), value(&req.t2)?, value(&req.t3)?],
            on,
            confirmed_high: req.confirm,
        })
    }
}

/// The period (`YYYY-MM`) a reading taken on `day` belongs to.
pub fn period_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// What the rules compare a reading of `period` with: the device's accepted readings of
/// earlier periods, oldest first, the newest of each period (a correction replaces the
/// reading it corrects). Unreadable stored values count as absent.
pub fn history_before(readings: &[Reading], period: &str) -> Vec<[Option<MeterValue>; 3]> {
    let mut newest: std::collections::BTreeMap<&str, &Reading> = std::collections::BTreeMap::new();
    for r in readings.iter().filter(|r| r.period.as_str() < period) {
        let slot = newest.entry(r.period.as_str()).or_insert(r);
        if r.id > slot.id {
            *slot = r;
        }
    }
    let value = |t: &Option<String>| t.as_deref().and_then(|v| MeterValue::parse(v).ok());
    newest.values().map(|r| [MeterValue::parse(&r.t1).ok(), value(&r.t2), value(&r.t3)]).collect()
}

/// Checks a submission against the rules of DOMAIN.md, in the order a person fixes them.
/// `history` holds the device's accepted readings, oldest first (one entry per month).
pub fn check_reading(
    device: &DeviceFacts,
    window: Window,
    history: &[[Option<MeterValue>; 3]],
    sub: &Submission,
) -> Result<(), ReadingError> {
    if let Some(serial) = &device.replaced_by {
        return Err(ReadingError::Replaced(serial.clone()));
    }
    let Some(commissioned) = device.commissioned_on else {
        return Err(ReadingError::NotCommissioned);
    };
    if sub.on < commissioned {
        return Err(ReadingError::NotCommissioned);
    }
    let expires = device.verification_expires();
    if sub.on >= expires {
        return Err(ReadingError::VerificationExpired(expires));
    }
    for zone in 1..=3u8 {
        let given = sub.zones[usize::from(zone - 1)].is_some();
        if zone <= device.zones && !given {
            return Err(ReadingError::ZoneMissing { zone, zones: device.zones });
        }
        if zone > device.zones && given {
            return Err(ReadingError::ZoneForbidden { zone, zones: device.zones });
        }
    }
    if !window.is_open(sub.on) {
        let (next_from, next_to) = window.next_opening(sub.on);
        return Err(ReadingError::OutsideWindow { from: window.from, to: window.to, next_from, next_to });
    }
    for zone in 0..usize::from(device.zones) {
        let Some(value) = sub.zones[zone] else { continue };
        let series: Vec<MeterValue> = history.iter().filter_map(|h| h[zone]).collect();
        let zone_no = zone as u8 + 1;
        if let Some(&previous) = series.last() {
            if value < previous {
                return Err(ReadingError::BelowPrevious {
                    zone: zone_no,
                    value: value.to_string(),
                    previous: previous.to_string(),
                });
            }
            if series.len() >= 2 && !sub.confirmed_high {
                let months = (series.len() - 1).min(6);
                let first = series[series.len() - 1 - months];
                let usual = (previous.0 - first.0) / months as i128;
                let used = value.0 - previous.0;
                if usual > 0 && used > usual * 10 {
                    return Err(ReadingError::NeedsConfirmation {
                        zone: zone_no,
                        used: MeterValue(used).to_string(),
                        usual: MeterValue(usual).to_string(),
                    });
                }
            }
        }
    }
    Ok(())
}

fn last_day(month_start: NaiveDate) -> u32 {
    (month_start + Months::new(1)).pred_opt().map(|d| d.day()).unwrap_or(28)
}

// ---- Wire types ----

/// A metering device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Device {
    /// Id.
    pub id: DeviceId,
    /// House.
    pub house_id: HouseId,
    /// Premises (none for a collective meter).
    pub premises_id: Option<PremisesId>,
    /// Serial number.
    pub serial: String,
    /// Model.
    pub model: String,
    /// What it meters.
    pub resource: Resource,
    /// Whose use it meters.
    pub kind: DeviceKind,
    /// Tariff zones: 1, 2 or 3.
    pub zones: i64,
    /// Installed on.
    pub installed_on: String,
    /// Commissioned on; none if not commissioned.
    pub commissioned_on: Option<String>,
    /// Last verification.
    pub verified_on: String,
    /// Verification interval, years.
    pub verification_years: i64,
    /// Seal number.
    pub seal: String,
    /// The device that replaced this one.
    pub replaced_by: Option<DeviceId>,
}

/// A meter reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reading {
    /// Id.
    pub id: ReadingId,
    /// Device.
    pub device_id: DeviceId,
    /// Period, `YYYY-MM`.
    pub period: String,
    /// Date taken.
    pub taken_on: String,
    /// Zone T1 (or the only zone), decimal.
    pub t1: String,
    /// Zone T2.
    pub t2: Option<String>,
    /// Zone T3.
    pub t3: Option<String>,
    /// Who took it.
    pub source: ReadingSource,
    /// Entered at.
    pub entered_at: String,
    /// The reading of the same period this one corrects (both stay in the history).
    #[serde(default)]
    pub replaces: Option<ReadingId>,
}

/// A reading as a person submits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitReading {
    /// A UUID the client made for this submission: sending it again stores it once.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    )]
    pub client_key: String,
    /// Zone T1 (or the only zone): up to 15 digits, a point or comma, up to 7 decimals.
    #[cfg_attr(feature = "openapi", schema(schema_with = reading_schema))]
    pub t1: String,
    /// Zone T2, for two- and three-zone meters only.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = optional_reading_schema))]
    pub t2: Option<String>,
    /// Zone T3, for three-zone meters only.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = optional_reading_schema))]
    pub t3: Option<String>,
    /// The person confirms a use far above the meter's usual (rule 6).
    #[serde(default)]
    pub confirm: bool,
}

/// The longest value text accepted, white space included.
pub const MAX_VALUE_TEXT: usize = 40;

/// A value as [`Submission::read`] takes it, for the API's schema (ECMA-262): digits, a point
/// or comma and decimals, with ASCII white space around (the rest of the digit rules, 15 and
/// 7, are the reading's own refusals).
pub const READING_PATTERN: &str = r"^[\t\n\x0B\x0C\r ]*[0-9]+([.,][0-9]*)?[\t\n\x0B\x0C\r ]*$";

/// [`READING_PATTERN`] for the zones a meter may lack: blank is no value.
pub const OPTIONAL_READING_PATTERN: &str = r"^[\t\n\x0B\x0C\r ]*([0-9]+([.,][0-9]*)?)?[\t\n\x0B\x0C\r ]*$";

/// A value's text within [`MAX_VALUE_TEXT`] as sent (the schema's `maxLength`).
fn sized(text: &str) -> Result<&str, ReadingError> {
    if text.chars().count() > MAX_VALUE_TEXT {
        Err(ReadingError::Malformed(text.chars().take(MAX_VALUE_TEXT).collect()))
    } else {
        Ok(text)
    }
}

/// The white space a value may have around it: ASCII's, as the schema's pattern states.
fn trim_value(text: &str) -> &str {
    text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r'))
}

#[cfg(feature = "openapi")]
fn value_schema(pattern: &str, nullable: bool) -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{SchemaType, Type};
    let kind = if nullable { SchemaType::from_iter([Type::String, Type::Null]) } else { SchemaType::new(Type::String) };
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(kind)
        .max_length(Some(MAX_VALUE_TEXT))
        .pattern(Some(pattern))
        .description(Some("Up to 15 digits, a point or comma, up to 7 decimals."))
        .build()
}

#[cfg(feature = "openapi")]
fn reading_schema() -> utoipa::openapi::Object {
    value_schema(READING_PATTERN, false)
}

#[cfg(feature = "openapi")]
fn optional_reading_schema() -> utoipa::openapi::Object {
    value_schema(OPTIONAL_READING_PATTERN, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the schema's patterns take, [`Submission::read`] reads (or refuses for its digit
    /// rules), and what they do not, it refuses as malformed: for every character of the BMP
    /// around or inside a value, and for a blank optional zone.
    #[test]
    fn value_patterns_agree_with_the_reader() {
        let required = regex::Regex::new(READING_PATTERN).unwrap();
        let optional = regex::Regex::new(OPTIONAL_READING_PATTERN).unwrap();
        let on = date(11, 20);
        let submit = |t1: &str, t2: Option<&str>| {
            let req = SubmitReading {
                client_key: String::new(),
                t1: t1.to_owned(),
                t2: t2.map(str::to_owned),
                t3: None,
                confirm: false,
            };
            !matches!(Submission::read(&req, on), Err(ReadingError::Malformed(_)))
        };
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            for text in [format!("{c}12"), format!("12{c}"), format!("1{c}5"), c.to_string()] {
                assert_eq!(required.is_match(&text), submit(&text, None), "t1 {text:?}");
                assert_eq!(optional.is_match(&text), submit("1", Some(&text)), "t2 {text:?}");
            }
        }
        let padded = format!("{}1{}", " ".repeat(20), " ".repeat(20));
        assert!(required.is_match(&padded) && !submit(&padded, None), "41 characters: the schema's maxLength");
    }

    fn v(s: &str) -> Option<MeterValue> {
        MeterValue::parse(s).ok()
    }
    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }
    fn device(zones: u8) -> DeviceFacts {
        DeviceFacts {
            zones,
            commissioned_on: Some(date(1, 1) - Months::new(24)),
            verified_on: date(1, 1) - Months::new(24),
            verification_years: 6,
            replaced_by: None,
        }
    }
    const WINDOW: Window = Window { from: 15, to: 25 };
    fn sub(zones: [Option<MeterValue>; 3], on: NaiveDate) -> Submission {
        Submission { zones, on, confirmed_high: false }
    }

    #[test]
    fn a_window_says_when_it_is_open_and_when_next() {
        let w = Window { from: 15, to: 25 };
        assert!(
            !w.is_open(date(11, 14)) && w.is_open(date(11, 15)) && w.is_open(date(11, 25)) && !w.is_open(date(11, 26))
        );
        assert_eq!(w.days_left(date(11, 22)), Some(4));
        assert_eq!(w.days_left(date(11, 25)), Some(1));
        assert_eq!(w.days_left(date(11, 26)), None);
        assert_eq!(w.next_opening(date(11, 3)), (date(11, 15), date(11, 25)));
        assert_eq!(w.next_opening(date(11, 26)), (date(12, 15), date(12, 25)));
        let to_the_end = Window { from: 20, to: 31 };
        assert_eq!(to_the_end.next_opening(date(1, 31)), (date(2, 20), date(2, 28)));
        assert_eq!(to_the_end.days_left(date(2, 27)), Some(2));
    }

    #[test]
    fn the_history_holds_the_newest_reading_of_each_earlier_period() {
        let r = |id: i64, period: &str, t1: &str| Reading {
            id: ReadingId(id),
            device_id: DeviceId(1),
            period: period.into(),
            taken_on: format!("{period}-20"),
            t1: t1.into(),
            t2: None,
            t3: None,
            source: ReadingSource::Resident,
            entered_at: String::new(),
            replaces: None,
        };
        let readings = [r(3, "2026-10", "120"), r(1, "2026-09", "100"), r(2, "2026-10", "110"), r(4, "2026-11", "130")];
        assert_eq!(history_before(&readings, "2026-11"), vec![[v("100"), None, None], [v("120"), None, None]]);
    }

    #[test]
    fn a_replaced_meter_takes_no_readings() {
        let mut d = device(1);
        d.replaced_by = Some("ХВС-2".into());
        let r = check_reading(&d, WINDOW, &[], &sub([v("1"), None, None], date(3, 20)));
        assert_eq!(r, Err(ReadingError::Replaced("ХВС-2".into())));
    }

    #[test]
    fn parses_the_gis_format() {
        assert_eq!(MeterValue::parse("00123,4500").map(|x| x.to_string()), Ok("123.45".into()));
        assert!(matches!(MeterValue::parse("1234567890123456"), Err(ReadingError::TooManyDigits(_))));
        assert!(matches!(MeterValue::parse("1.12345678"), Err(ReadingError::TooManyDigits(_))));
        assert!(matches!(MeterValue::parse("-1"), Err(ReadingError::Malformed(_))));
        assert!(MeterValue::parse("999999999999999.9999999").is_ok());
    }

    #[test]
    fn refuses_lower_than_previous() {
        let history = [[v("100"), None, None]];
        let r = check_reading(&device(1), WINDOW, &history, &sub([v("99.5"), None, None], date(3, 20)));
        assert!(matches!(r, Err(ReadingError::BelowPrevious { zone: 1, .. })));
    }

    #[test]
    fn checks_zones() {
        let r = check_reading(&device(2), WINDOW, &[], &sub([v("1"), None, None], date(3, 20)));
        assert_eq!(r, Err(ReadingError::ZoneMissing { zone: 2, zones: 2 }));
        let r = check_reading(&device(1), WINDOW, &[], &sub([v("1"), v("2"), None], date(3, 20)));
        assert_eq!(r, Err(ReadingError::ZoneForbidden { zone: 2, zones: 1 }));
        assert!(check_reading(&device(3), WINDOW, &[], &sub([v("1"), v("2"), v("3")], date(3, 20))).is_ok());
    }

    #[test]
    fn refuses_outside_window_with_next_dates() {
        let r = check_reading(&device(1), WINDOW, &[], &sub([v("1"), None, None], date(3, 26)));
        assert_eq!(
            r,
            Err(ReadingError::OutsideWindow { from: 15, to: 25, next_from: date(4, 15), next_to: date(4, 25) })
        );
        let r = check_reading(&device(1), WINDOW, &[], &sub([v("1"), None, None], date(3, 2)));
        assert!(matches!(r, Err(ReadingError::OutsideWindow { next_from, .. }) if next_from == date(3, 15)));
    }

    #[test]
    fn refuses_expired_and_uncommissioned() {
        let mut d = device(1);
        d.verification_years = 1;
        assert!(matches!(
            check_reading(&d, WINDOW, &[], &sub([v("1"), None, None], date(3, 20))),
            Err(ReadingError::VerificationExpired(_))
        ));
        d = device(1);
        d.commissioned_on = None;
        assert_eq!(
            check_reading(&d, WINDOW, &[], &sub([v("1"), None, None], date(3, 20))),
            Err(ReadingError::NotCommissioned)
        );
    }

    #[test]
    fn high_use_needs_confirmation() {
        let history = [[v("100"), None, None], [v("105"), None, None], [v("110"), None, None]];
        let mut s = sub([v("200"), None, None], date(3, 20));
        assert!(matches!(check_reading(&device(1), WINDOW, &history, &s), Err(ReadingError::NeedsConfirmation { .. })));
        s.confirmed_high = true;
        assert!(check_reading(&device(1), WINDOW, &history, &s).is_ok());
        let normal = sub([v("116"), None, None], date(3, 20));
        assert!(check_reading(&device(1), WINDOW, &history, &normal).is_ok());
    }
}
