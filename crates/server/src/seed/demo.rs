//! The demo persons: the same keys, names and relationships in every data set, so that the
//! sign-in page, the README and the tests can rely on them.

use chrono::NaiveDateTime;

use super::plan::{DEMO_HOUSE, NEIGHBOUR_HOUSE, SECOND_HOUSE};
use super::util::at;

/// A flat a demo person holds.
pub(super) struct DemoFlat {
    /// Index of the house in the plan.
    pub house: usize,
    /// Flat number.
    pub flat: i32,
    /// Owner since (a date).
    pub since: (i32, u32, u32),
    /// People registered in the flat.
    pub registered: i64,
    /// Role in the house chat, or none if not joined.
    pub role: Option<&'static str>,
    /// When the person joined the chat.
    pub joined: Option<NaiveDateTime>,
    /// Whether the flat gets meters, readings and bills.
    pub billed: bool,
}

/// A demo person.
pub(super) struct DemoPerson {
    /// The stable key used to sign in as this person.
    pub key: &'static str,
    /// Full name.
    pub name: &'static str,
    /// Verified state-services account.
    pub trusted: bool,
    /// `dispatcher` or `inspector` for staff.
    pub staff: Option<&'static str>,
    /// Flats held.
    pub flats: Vec<DemoFlat>,
}

/// Person id of the demo person with this key (they are written first, in this order).
pub(super) fn demo_id(key: &str) -> i64 {
    people().iter().position(|p| p.key == key).map_or(0, |i| i as i64 + 1)
}

/// The eight demo persons, in id order.
pub(super) fn people() -> Vec<DemoPerson> {
    let flat = |house, flat, since, registered, role: Option<&'static str>, joined, billed| DemoFlat {
        house,
        flat,
        since,
        registered,
        role,
        joined,
        billed,
    };
    vec![
        DemoPerson {
            key: "resident",
            name: "Сафина Алсу Ринатовна",
            trusted: true,
            staff: None,
            flats: vec![flat(DEMO_HOUSE, 47, (2014, 8, 12), 3, Some("resident"), Some(at(2025, 9, 16, 19, 42)), true)],
        },
        DemoPerson {
            key: "chair",
            name: "Гарипов Ильдар Рустамович",
            trusted: true,
            staff: None,
            flats: vec![flat(DEMO_HOUSE, 5, (2003, 4, 21), 2, Some("chair"), Some(at(2025, 9, 15, 10, 5)), true)],
        },
        DemoPerson {
            key: "dispatcher",
            name: "Хабибуллина Гульнара Маратовна",
            trusted: true,
            staff: Some("dispatcher"),
            flats: vec![],
        },
        DemoPerson {
            key: "inspector",
            name: "Лебедев Андрей Викторович",
            trusted: true,
            staff: Some("inspector"),
            flats: vec![],
        },
        DemoPerson {
            key: "multi-owner",
            name: "Миннахметов Айрат Фаритович",
            trusted: true,
            staff: None,
            flats: vec![
                flat(DEMO_HOUSE, 98, (2010, 2, 3), 2, Some("resident"), Some(at(2025, 9, 20, 21, 14)), true),
                flat(SECOND_HOUSE, 22, (2021, 11, 15), 1, Some("resident"), Some(at(2025, 10, 2, 8, 37)), true),
            ],
        },
        DemoPerson {
            key: "neighbour",
            name: "Петрова Елена Сергеевна",
            trusted: true,
            staff: None,
            flats: vec![flat(
                NEIGHBOUR_HOUSE,
                30,
                (2016, 5, 30),
                2,
                Some("resident"),
                Some(at(2025, 9, 18, 18, 3)),
                false,
            )],
        },
        DemoPerson {
            key: "unverified",
            name: "Смирнов Дмитрий Олегович",
            trusted: false,
            staff: None,
            flats: vec![flat(DEMO_HOUSE, 120, (2024, 2, 16), 1, None, None, false)],
        },
        DemoPerson {
            key: "not-joined",
            name: "Валиева Лейсан Маратовна",
            trusted: true,
            staff: None,
            flats: vec![flat(DEMO_HOUSE, 131, (2024, 6, 3), 4, None, None, true)],
        },
    ]
}
