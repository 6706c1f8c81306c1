//! Money as whole kopecks: never a float.

use std::fmt;
use std::ops::{Add, Neg, Sub};

use serde::{Deserialize, Serialize};

/// An amount of roubles held as integer kopecks (may be negative: an advance or a refund).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct Kopecks(pub i64);

/// Why a money amount could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MoneyError {
    /// Not a number of roubles with at most two decimals.
    #[error("«{0}» is not an amount of roubles with at most two decimals")]
    Malformed(String),
    /// Too large to hold.
    #[error("the amount is too large")]
    Overflow,
}

impl Kopecks {
    /// Reads "1234.5", "1234,50" or "-3" as roubles.
    pub fn parse_roubles(text: &str) -> Result<Kopecks, MoneyError> {
        let malformed = || MoneyError::Malformed(text.to_owned());
        let t = text.trim();
        let (negative, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (whole, frac) = match t.split_once(['.', ',']) {
            Some((w, f)) => (w, f),
            None => (t, ""),
        };
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 2
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(malformed());
        }
        let rub: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
        let kop: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| malformed())? * 10,
            _ => frac.parse().map_err(|_| malformed())?,
        };
        let total = rub.checked_mul(100).and_then(|v| v.checked_add(kop)).ok_or(MoneyError::Overflow)?;
        Ok(Kopecks(if negative { -total } else { total }))
    }

    /// Multiplies a rate by a decimal volume given in thousandths, rounding half away from zero.
    pub fn times_milli(self, milli: i64) -> Kopecks {
        let product = i128::from(self.0) * i128::from(milli);
        let rounded = if product >= 0 { (product + 500) / 1000 } else { (product - 500) / 1000 };
        Kopecks(rounded as i64)
    }
}

impl fmt::Display for Kopecks {
    /// Plain "1234.56"; the UI formats for the person's locale with Intl.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Kopecks {
    type Output = Kopecks;
    fn add(self, rhs: Kopecks) -> Kopecks {
        Kopecks(self.0 + rhs.0)
    }
}

impl Sub for Kopecks {
    type Output = Kopecks;
    fn sub(self, rhs: Kopecks) -> Kopecks {
        Kopecks(self.0 - rhs.0)
    }
}

impl Neg for Kopecks {
    type Output = Kopecks;
    fn neg(self) -> Kopecks {
        Kopecks(-self.0)
    }
}

impl std::iter::Sum for Kopecks {
    fn sum<I: Iterator<Item = Kopecks>>(iter: I) -> Kopecks {
        Kopecks(iter.map(|k| k.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_roubles_with_comma_or_point() {
        assert_eq!(Kopecks::parse_roubles("1234,5"), Ok(Kopecks(123_450)));
        assert_eq!(Kopecks::parse_roubles("0.07"), Ok(Kopecks(7)));
        assert_eq!(Kopecks::parse_roubles("-3"), Ok(Kopecks(-300)));
        assert!(Kopecks::parse_roubles("1.234").is_err());
        assert!(Kopecks::parse_roubles("1e3").is_err());
        assert!(Kopecks::parse_roubles("").is_err());
    }

    #[test]
    fn displays_two_decimals() {
        assert_eq!(Kopecks(123_405).to_string(), "1234.05");
        assert_eq!(Kopecks(-5).to_string(), "-0.05");
    }

    #[test]
    fn multiplies_rate_by_volume() {
        // 52.38 ₽ per m³ × 3.456 m³ = 181.025… → 181.03 ₽
        assert_eq!(Kopecks(5238).times_milli(3456), Kopecks(18103));
    }
}
