//! Deterministic helpers: the fixed clock, UUID-shaped ids, decimals and weighted picks.
//!
//! Nothing here reads the wall clock or the OS random source, so a seed is byte-identical
//! across runs.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use rand::Rng;
use rand::rngs::StdRng;

/// The seed's "now": 2026-11-24 12:00 in Kazan. Moscow time has had no DST since 2014,
/// so every local time here is UTC+03:00.
pub(super) fn now() -> NaiveDateTime {
    at(2026, 11, 24, 12, 0)
}

/// A calendar date; callers pass valid dates (days ≤ 28 when computed).
pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// A local time in Kazan.
pub(super) fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, min, 0).unwrap_or_default()
}

/// RFC 3339 with Kazan's offset, as every time is stored.
pub(super) fn ts(t: NaiveDateTime) -> String {
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+03:00", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
}

/// `YYYY-MM-DD`.
pub(super) fn day(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `DD.MM`, as people write dates in chat and on bills.
pub(super) fn dm(d: NaiveDate) -> String {
    format!("{:02}.{:02}", d.day(), d.month())
}

/// `YYYY-MM`.
pub(super) fn period(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

/// A uniformly random minute in `[from, to)`.
pub(super) fn between(rng: &mut StdRng, from: NaiveDateTime, to: NaiveDateTime) -> NaiveDateTime {
    let span = (to - from).num_minutes().max(1);
    from + Duration::minutes(rng.random_range(0..span))
}

/// A uniformly random date in `[from, to]`.
pub(super) fn date_between(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0);
    from + Duration::days(rng.random_range(0..=span))
}

/// Picks by integer weight.
pub(super) fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut roll = rng.random_range(0..total.max(1));
    for (item, w) in items {
        if roll < *w {
            return *item;
        }
        roll -= *w;
    }
    items[items.len() - 1].0
}

/// Picks one of a non-empty list of texts.
pub(super) fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A bijection of `[0, 2^bits)`: sequential numbers come out scattered but never collide.
pub(super) fn scramble(n: u64, bits: u32) -> u64 {
    let mask = if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
    let mut x = n & mask;
    // Multiplying by an odd number and xor-shifting right are both invertible mod 2^bits.
    x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15 | 1) & mask;
    x ^= x >> (bits / 2).max(1);
    x = x.wrapping_mul(0xD6E8_FEB8_6659_FD93 | 1) & mask;
    x ^= x >> (bits / 3).max(1);
    x
}

/// A version-4-shaped UUID for the `n`th id of namespace `ns`; its last group is a bijection
/// of `n`, so ids of one namespace never collide.
pub(super) fn uuid(ns: u64, n: u64) -> String {
    let a = splitmix(ns.wrapping_mul(0x1000_0000_01B3) ^ n);
    let b = splitmix(a ^ ns);
    let node = scramble(n ^ (splitmix(ns) & 0xFFFF_FFFF_FFFF), 48);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFF,
        8 | ((b >> 62) & 3),
        (b >> 40) & 0xFFF,
        node
    )
}

/// A version-7-shaped UUID: `ms` (Unix milliseconds) leads, so ids made in order sort in
/// order, which keeps their unique index cheap to fill; the rest is a hash of `n`.
pub(super) fn uuid_v7(ms: u64, n: u64) -> String {
    let b = splitmix(n ^ 0x5EED_0000_0000);
    let c = splitmix(b);
    format!(
        "{:08x}-{:04x}-7{:03x}-{:x}{:03x}-{:012x}",
        (ms >> 16) & 0xFFFF_FFFF,
        ms & 0xFFFF,
        b & 0xFFF,
        8 | (c >> 62),
        (c >> 40) & 0xFFF,
        c & 0xFFFF_FFFF_FFFF
    )
}

/// A decimal from thousandths with `places` (0–3) decimals, e.g. `dec(54300, 2)` → "54.30".
pub(super) fn dec(milli: i64, places: u32) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let abs = milli.unsigned_abs();
    let whole = abs / 1000;
    let frac = abs % 1000;
    match places {
        0 => format!("{sign}{whole}"),
        1 => format!("{sign}{whole}.{}", frac / 100),
        2 => format!("{sign}{whole}.{:02}", frac / 10),
        _ => format!("{sign}{whole}.{frac:03}"),
    }
}

/// Roubles for chat text, e.g. 184550 kopecks → "1 845,50".
pub(super) fn roubles(kopecks: i64) -> String {
    let whole = kopecks / 100;
    let thousands = whole / 1000;
    let rest = whole % 1000;
    let head = if thousands > 0 { format!("{thousands} {rest:03}") } else { format!("{rest}") };
    format!("{head},{:02}", kopecks % 100)
}

/// Latin letters for e-mail addresses, after the passport transliteration rules.
pub(super) fn translit(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let t = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ю' => "iu",
            'я' => "ia",
            'ә' => "a",
            'ө' => "o",
            'ү' => "u",
            'ң' => "n",
            'җ' => "zh",
            'һ' => "h",
            'ъ' | 'ь' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(t);
    }
    let mut cleaned = String::with_capacity(out.len());
    for c in out.chars() {
        if c == '-' && (cleaned.is_empty() || cleaned.ends_with('-')) {
            continue;
        }
        cleaned.push(c);
    }
    cleaned.trim_end_matches('-').to_owned()
}

/// The 13-digit OGRN of a legal entity registered in Tatarstan, with its check digit.
pub(super) fn ogrn(year: u32, inspection: u32, record: u64) -> String {
    let body = format!("1{:02}16{:02}{:05}", year % 100, inspection % 100, record % 100_000);
    let head: u64 = body.parse().unwrap_or(0);
    format!("{body}{}", (head % 11) % 10)
}

/// The 10-digit INN of a legal entity registered at a Kazan tax office, with its check digit.
pub(super) fn inn(office: u32, record: u64) -> String {
    let body = format!("{:04}{:05}", office % 10_000, record % 100_000);
    const WEIGHTS: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    let sum: u32 = body.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    format!("{body}{}", (sum % 11) % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_are_stable() {
        assert_eq!(ts(now()), "2026-11-24T12:00:00+03:00");
        assert_eq!(dec(54300, 2), "54.30");
        assert_eq!(dec(3456, 3), "3.456");
        assert_eq!(dec(12345600, 1), "12345.6");
        assert_eq!(roubles(184_550), "1 845,50");
        assert_eq!(ogrn(5, 90, 12345).len(), 13);
        assert_eq!(inn(1659, 12345).len(), 10);
        assert_eq!(translit("ТСЖ Чистопольская 61"), "tszh-chistopolskaia-61");
        let ids: std::collections::HashSet<String> = (0..10_000).map(|n| uuid(7, n)).collect();
        assert_eq!(ids.len(), 10_000);
        assert_eq!(uuid(7, 1).len(), 36);
        assert_eq!(uuid_v7(1_757_000_000_000, 1).len(), 36);
        assert!(uuid_v7(1_757_000_000_000, 5) < uuid_v7(1_757_000_001_000, 4));
        let s: std::collections::HashSet<u64> = (0..4096).map(|n| scramble(n, 12)).collect();
        assert_eq!(s.len(), 4096);
    }
}
