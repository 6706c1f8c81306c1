//! What a data set consists of, before anything is written: organisations, houses with
//! their management, complexes, demo persons and which houses get chat histories.
//!
//! The Kazan and small data sets differ only in the plan; one writer turns either into rows.

use chrono::NaiveDate;
use rand::Rng;
use rand::rngs::StdRng;

use super::names::{BANKS, District, WORKING_HOURS};
use super::util::{date, date_between, inn, ogrn, scramble, translit, weighted};

/// A management organisation to write.
pub(super) struct OrgSpec {
    pub name: String,
    pub kind: &'static str,
    pub ogrn: String,
    pub inn: String,
    pub kpp: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub working_hours: &'static str,
    pub dispatch_phone: String,
    pub bank_details: String,
}

impl OrgSpec {
    /// An organisation with plausible registration numbers and contacts.
    pub fn new(rng: &mut StdRng, seq: usize, name: String, kind: &'static str, district: &District) -> OrgSpec {
        let year = rng.random_range(3..=20u32);
        let record = 10_000 + (seq as u64 * 7919) % 89_000;
        let (bank, bik, corr) = BANKS[seq % BANKS.len()];
        let street = district.streets[rng.random_range(0..district.streets.len())];
        let slug = translit(name.split('"').nth(1).unwrap_or(&name));
        let domain = if kind == "uk" { format!("{slug}.ru") } else { "mail.ru".to_owned() };
        let email = if kind == "uk" { format!("info@{domain}") } else { format!("{slug}@{domain}") };
        OrgSpec {
            ogrn: ogrn(year, rng.random_range(80..=99), record),
            inn: inn(district.tax_office, record),
            kpp: format!("{}01001", district.tax_office),
            address: format!(
                "{}, г. Казань, {}, д. {}, пом. {}",
                district.postal,
                street,
                rng.random_range(1..=120),
                rng.random_range(1..=12)
            ),
            phone: format!(
                "+7 (843) 2{:02}-{:02}-{:02}",
                rng.random_range(0..100),
                rng.random_range(0..100),
                rng.random_range(0..100)
            ),
            email,
            working_hours: WORKING_HOURS[rng.random_range(0..WORKING_HOURS.len())],
            dispatch_phone: format!(
                "+7 (843) 5{:02}-{:02}-{:02}",
                rng.random_range(0..100),
                rng.random_range(0..100),
                rng.random_range(0..100)
            ),
            bank_details: format!(
                "р/с 40702810{:012}, {bank}, БИК {bik}, к/с {corr}",
                62_000_000_000 + scramble(seq as u64, 30)
            ),
            name,
            kind,
        }
    }
}

/// The kind of building, which decides storeys, layout and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Build {
    /// A 2–3 storey pre-war or early post-war house with under 16 flats.
    Old,
    /// A 1950s «сталинка», 3–5 storeys.
    Stalin,
    /// A 1960s five-storey «хрущёвка».
    Khrush,
    /// A 1970s–80s nine-storey panel house.
    Panel9,
    /// A 1980s–90s ten-storey panel house.
    Panel10,
    /// A twelve-storey house of the 1990s–2000s.
    Panel12,
    /// A low modern brick house.
    LowNew,
    /// A sixteen-storey new build.
    New16,
    /// A twenty-five-storey new build.
    New25,
}

/// How a house is managed now, and by whom before.
#[derive(Debug, Clone)]
pub(super) struct Mgmt {
    /// `uk`, `tszh`, `zhsk` or `direct`.
    pub kind: &'static str,
    /// Index into the plan's organisations; none under direct management.
    pub org: Option<usize>,
    /// Start of the current period.
    pub since: NaiveDate,
    /// The previous organisation and the start of its period.
    pub before: Option<(usize, NaiveDate)>,
}

/// A house to write.
#[derive(Debug, Clone)]
pub(super) struct HouseSpec {
    pub street: &'static str,
    pub number: String,
    pub district: &'static str,
    pub build: Build,
    pub year: i32,
    pub floors: i32,
    pub underground: i32,
    pub entrances: i32,
    /// Flats per storey in each entrance.
    pub per_floor: i32,
    /// Shops and offices per entrance on the ground floor; 0 means flats start there.
    pub shops: i32,
    /// Lifts per entrance.
    pub lifts: i32,
    pub state: &'static str,
    pub heritage: bool,
    pub repair_fund: &'static str,
    pub complex: Option<&'static str>,
    pub window: (i32, i32),
    pub mgmt: Mgmt,
    /// Whether the managing organisation holds admin rights of the chat (when there is one).
    pub granted: bool,
    /// The chance that a verified holder of a flat has joined the chat.
    pub join: f64,
}

impl HouseSpec {
    /// A house of a kind, with the rest of its passport drawn plausibly.
    pub fn generate(rng: &mut StdRng, build: Build, district: &'static str) -> HouseSpec {
        let (year, floors, entrances, per_floor, shops, lifts) = loop {
            let shape = shape(rng, build);
            let (_, floors, entrances, per_floor, shops, _) = shape;
            let first = if shops > 0 { 2 } else { 1 };
            let flats = entrances * (floors - first + 1) * per_floor;
            // Chats exist exactly for houses with 16+ flats, so the kinds must stay on their side.
            let fits = if build == Build::Old { (8..=12).contains(&flats) } else { flats >= 16 };
            if fits {
                break shape;
            }
        };
        let old = year < 1960;
        let state = if build == Build::Old {
            weighted(rng, &[("good", 60), ("dilapidated", 34), ("emergency", 6)])
        } else if old {
            weighted(rng, &[("good", 88), ("dilapidated", 12)])
        } else {
            "good"
        };
        let heritage = district == "Вахитовский" && year < 1925 && rng.random_bool(0.6);
        let repair_fund = if (year >= 2000 && rng.random_bool(0.35)) || rng.random_bool(0.08) {
            "special_account"
        } else {
            "regional_operator"
        };
        let window = weighted(rng, &[((15, 25), 70), ((20, 25), 20), ((1, 25), 10)]);
        HouseSpec {
            street: "",
            number: String::new(),
            district,
            build,
            year,
            floors,
            underground: if floors >= 16 { rng.random_range(1..=2) } else { i32::from(rng.random_bool(0.85)) },
            entrances,
            per_floor,
            shops,
            lifts,
            state,
            heritage,
            repair_fund,
            complex: None,
            window,
            mgmt: Mgmt { kind: "uk", org: None, since: date(2015, 1, 1), before: None },
            granted: true,
            join: 0.32 * rng.random_range(0.6..1.4),
        }
    }

    /// The first storey with flats.
    pub fn first_flat_floor(&self) -> i32 {
        if self.shops > 0 { 2 } else { 1 }
    }

    /// Flats in the house.
    pub fn flats(&self) -> i32 {
        self.entrances * (self.floors - self.first_flat_floor() + 1) * self.per_floor
    }

    /// Whether the house has an official chat: 16 or more flats.
    pub fn has_chat(&self) -> bool {
        self.flats() >= 16
    }

    /// The postal address.
    pub fn address(&self) -> String {
        format!("г. Казань, {}, д. {}", self.street, self.number)
    }

    /// A tall house has a garbage chute.
    pub fn has_chute(&self) -> bool {
        self.floors >= 9
    }
}

/// Year, floors, entrances, flats per floor, shops per entrance, lifts per entrance.
type Shape = (i32, i32, i32, i32, i32, i32);

fn shape(rng: &mut StdRng, build: Build) -> Shape {
    match build {
        Build::Old => {
            let floors = rng.random_range(2..=3);
            let entrances = weighted(rng, &[(1, 3), (2, 1)]);
            (rng.random_range(1890..=1958), floors, entrances, rng.random_range(2..=6), 0, 0)
        }
        Build::Stalin => (
            rng.random_range(1947..=1960),
            weighted(rng, &[(3, 3), (4, 4), (5, 3)]),
            rng.random_range(2..=4),
            rng.random_range(2..=3),
            0,
            0,
        ),
        Build::Khrush => (
            rng.random_range(1958..=1972),
            5,
            weighted(rng, &[(1, 4), (2, 16), (3, 26), (4, 30), (5, 14), (6, 10)]),
            weighted(rng, &[(4, 8), (3, 2)]),
            0,
            0,
        ),
        Build::Panel9 => (
            rng.random_range(1970..=1992),
            9,
            weighted(rng, &[(1, 18), (2, 22), (3, 24), (4, 20), (5, 10), (6, 6)]),
            4,
            0,
            1,
        ),
        Build::Panel10 => {
            (rng.random_range(1980..=1998), 10, weighted(rng, &[(1, 25), (2, 35), (3, 25), (4, 15)]), 4, 0, 1)
        }
        Build::Panel12 => (
            rng.random_range(1985..=2008),
            12,
            weighted(rng, &[(1, 40), (2, 40), (3, 20)]),
            4,
            0,
            weighted(rng, &[(1, 3), (2, 1)]),
        ),
        Build::LowNew => (
            rng.random_range(1998..=2023),
            weighted(rng, &[(3, 2), (4, 3), (5, 5)]),
            rng.random_range(1..=3),
            rng.random_range(3..=4),
            0,
            0,
        ),
        Build::New16 => (
            rng.random_range(2005..=2024),
            16,
            weighted(rng, &[(1, 45), (2, 40), (3, 15)]),
            rng.random_range(4..=6),
            if rng.random_bool(0.5) { rng.random_range(1..=3) } else { 0 },
            2,
        ),
        Build::New25 => (
            rng.random_range(2012..=2024),
            25,
            weighted(rng, &[(1, 70), (2, 30)]),
            rng.random_range(6..=8),
            if rng.random_bool(0.8) { rng.random_range(2..=4) } else { 0 },
            2,
        ),
    }
}

/// A residential complex with its microdistrict channel.
pub(super) struct Complex {
    pub name: &'static str,
    /// Indices of its houses in the plan.
    pub houses: Vec<usize>,
}

/// A house whose chat and ticket queue get a history.
pub(super) struct Story {
    /// Index of the house in the plan.
    pub house: usize,
    /// Chat messages to write (at least).
    pub messages: usize,
    /// Tickets to write.
    pub tickets: usize,
}

/// A data set to write.
pub(super) struct Plan {
    pub orgs: Vec<OrgSpec>,
    /// In id order: house `i` gets id `i + 1`. The demo house, the multi-owner's second house
    /// and the neighbour's house come first.
    pub houses: Vec<HouseSpec>,
    pub complexes: Vec<Complex>,
    pub stories: Vec<Story>,
    /// Posts per microdistrict channel.
    pub channel_posts: usize,
    /// The share of other houses that get a capital-repair plan.
    pub repair_share: f64,
    /// Extra city-wide outage notices (by street), besides the demo organisation's.
    pub street_notices: usize,
    /// Tickets a year per flat in every managed house over the last two years, besides the
    /// stories' (0: none).
    pub ticket_rate: f64,
}

/// Index of the demo house.
pub(super) const DEMO_HOUSE: usize = 0;
/// Index of the multi-owner's second house.
pub(super) const SECOND_HOUSE: usize = 1;
/// Index of the neighbour's house.
pub(super) const NEIGHBOUR_HOUSE: usize = 2;
/// Index of the organisation managing the demo house; its dispatcher is the demo dispatcher.
pub(super) const DEMO_ORG: usize = 0;

/// The demo organisation: a УК in the Soviet district.
pub(super) fn demo_org(rng: &mut StdRng, district: &District) -> OrgSpec {
    OrgSpec::new(rng, 0, "ООО \"УК Уютный дом\"".to_owned(), "uk", district)
}

/// The three houses every data set starts with: the demo house, the multi-owner's second
/// house and the neighbour's house, all managed by the demo organisation.
pub(super) fn demo_cluster() -> Vec<HouseSpec> {
    let base = |street: &'static str, number: &str, build: Build, year: i32, floors: i32, entrances: i32| HouseSpec {
        street,
        number: number.to_owned(),
        district: "Советский",
        build,
        year,
        floors,
        underground: 1,
        entrances,
        per_floor: 4,
        shops: 0,
        lifts: i32::from(floors >= 9),
        state: "good",
        heritage: false,
        repair_fund: "regional_operator",
        complex: None,
        window: (15, 25),
        mgmt: Mgmt { kind: "uk", org: Some(DEMO_ORG), since: date(2019, 6, 1), before: None },
        granted: true,
        join: 0.5,
    };
    let mut second = base("ул. Гвардейская", "33", Build::Khrush, 1968, 5, 4);
    second.window = (20, 25);
    second.mgmt.since = date(2016, 3, 1);
    let mut neighbour = base("ул. Академика Сахарова", "17", Build::Panel10, 1987, 10, 3);
    neighbour.mgmt.since = date(2019, 6, 1);
    vec![base("ул. Академика Сахарова", "15", Build::Panel9, 1986, 9, 4), second, neighbour]
}

/// A random start of management for a house built in `year`.
pub(super) fn managed_since(rng: &mut StdRng, year: i32, earliest: i32) -> NaiveDate {
    let from = date(year.max(earliest), 1, 1);
    let to = date(2025, 6, 30).max(from);
    date_between(rng, from, to)
}
