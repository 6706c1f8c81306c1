//! JSON number readers for request bodies. JSON Schema counts `5.0` as an integer, so a
//! schema that says `integer` allows it; serde's `i64` refuses it. Ids in request bodies are
//! read with these, so that what the OpenAPI document allows the server reads.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Number;

/// The number as an `i64` when it is a whole number in range (`5` or `5.0`).
fn whole(n: &Number) -> Option<i64> {
    // 2^63 is exactly representable; every whole f64 below it (and from -2^63) fits an i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && (-LIMIT..LIMIT).contains(f)).map(|f| f as i64))
}

/// Reads a whole number, written with or without a zero fraction, as an id or a bare `i64`.
pub fn integer<'de, D: Deserializer<'de>, T: From<i64>>(d: D) -> Result<T, D::Error> {
    let n = Number::deserialize(d)?;
    whole(&n)
        .map(T::from)
        .ok_or_else(|| D::Error::custom(format!("expected a whole number that fits 64 bits, found {n}")))
}

/// Reads an optional whole number (`null` or absent: none), as an id or a bare `i64`.
pub fn optional_integer<'de, D: Deserializer<'de>, T: From<i64>>(d: D) -> Result<Option<T>, D::Error> {
    match Option::<Number>::deserialize(d)? {
        None => Ok(None),
        Some(n) => whole(&n)
            .map(|v| Some(T::from(v)))
            .ok_or_else(|| D::Error::custom(format!("expected a whole number that fits 64 bits, found {n}"))),
    }
}

/// Reads an optional small whole number (a rating), written with or without a zero fraction.
pub fn optional_small<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    match Option::<Number>::deserialize(d)? {
        None => Ok(None),
        Some(n) => whole(&n)
            .and_then(|v| u8::try_from(v).ok())
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("expected a whole number from 0 to 255, found {n}"))),
    }
}

/// Reads a whole number that fits 32 bits unsigned (a count of seconds, an option's index),
/// written with or without a zero fraction.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = Number::deserialize(d)?;
    whole(&n)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| D::Error::custom(format!("expected a whole number from 0 to 4294967295, found {n}")))
}

/// Reads a list of whole numbers, each written with or without a zero fraction, as ids.
pub fn integers<'de, D: Deserializer<'de>, T: From<i64>>(d: D) -> Result<Vec<T>, D::Error> {
    Vec::<Number>::deserialize(d)?
        .iter()
        .map(|n| {
            whole(n)
                .map(T::from)
                .ok_or_else(|| D::Error::custom(format!("expected a whole number that fits 64 bits, found {n}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Body {
        #[serde(deserialize_with = "super::integer")]
        id: i64,
        #[serde(default, deserialize_with = "super::optional_integer")]
        reply_to: Option<i64>,
    }

    fn read(text: &str) -> Result<Body, serde_json::Error> {
        serde_json::from_str(text)
    }

    #[test]
    fn whole_numbers_are_read_with_or_without_a_fraction() -> Result<(), serde_json::Error> {
        assert_eq!(read(r#"{"id": 5}"#)?, Body { id: 5, reply_to: None });
        assert_eq!(read(r#"{"id": 5.0, "reply_to": 6139.0}"#)?, Body { id: 5, reply_to: Some(6139) });
        assert_eq!(read(r#"{"id": -3, "reply_to": null}"#)?, Body { id: -3, reply_to: None });
        Ok(())
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Counted {
        #[serde(deserialize_with = "super::count")]
        seconds: u32,
    }

    #[test]
    fn counts_are_whole_and_unsigned() {
        let read = |t: &str| serde_json::from_str::<Counted>(t).map(|c| c.seconds).ok();
        assert_eq!(read(r#"{"seconds": 345.0}"#), Some(345));
        assert_eq!(read(r#"{"seconds": 60}"#), Some(60));
        for bad in [r#"{"seconds": -1}"#, r#"{"seconds": 1.5}"#, r#"{"seconds": 4294967296}"#, r#"{"seconds": "60"}"#] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn large_whole_numbers_with_a_fraction_are_read_exactly() -> Result<(), serde_json::Error> {
        // Below 2^53 every whole number has an exact double; the parser must find it.
        assert_eq!(read(r#"{"id": 1964819463813705.0}"#)?.id, 1_964_819_463_813_705);
        Ok(())
    }

    #[test]
    fn fractions_strings_and_overflow_are_refused() {
        assert!(read(r#"{"id": 5.5}"#).is_err());
        assert!(read(r#"{"id": "5"}"#).is_err());
        assert!(read(r#"{"id": 9223372036854775808}"#).is_err());
        assert!(read(r#"{"id": 1e300}"#).is_err());
        assert!(read(r#"{"id": 1, "reply_to": 0.5}"#).is_err());
    }
}
