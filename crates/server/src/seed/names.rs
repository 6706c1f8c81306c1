//! Names of people, streets and organisations: Kazan is about half Tatar, half Russian, so
//! both naming traditions appear, with patronymics built from the father's name. The lists
//! themselves are plain text in the repository's `assets/seed/`, one item a line, in the
//! order the seed draws from them (changing the order changes the data set).

use std::sync::LazyLock;

use rand::Rng;
use rand::rngs::StdRng;

use super::util::pick;

/// The text of a list in `assets/seed/`, built into the binary.
macro_rules! seed_asset {
    ($path:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/seed/", $path))
    };
}

/// A list built once, on first use, from its file in `assets/seed/`.
type List<T> = LazyLock<Vec<T>>;

/// The items of a list, one a line; blank lines are skipped.
fn items(text: &'static str) -> Vec<&'static str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

/// A male first name with the patronymics it gives a son and a daughter.
type Father = (&'static str, &'static str, &'static str);

/// Fathers from lines of three words: «Имя Отчество(сына) Отчество(дочери)». A line of
/// another shape is left out (a test checks that none is).
fn fathers(text: &'static str) -> Vec<Father> {
    items(text)
        .into_iter()
        .filter_map(|line| match line.split_whitespace().collect::<Vec<_>>()[..] {
            [name, son, daughter] => Some((name, son, daughter)),
            _ => None,
        })
        .collect()
}

static RUSSIAN_MEN: List<Father> = LazyLock::new(|| fathers(seed_asset!("fathers-russian.txt")));
static TATAR_MEN: List<Father> = LazyLock::new(|| fathers(seed_asset!("fathers-tatar.txt")));
static RUSSIAN_WOMEN: List<&str> = LazyLock::new(|| items(seed_asset!("women-russian.txt")));
static TATAR_WOMEN: List<&str> = LazyLock::new(|| items(seed_asset!("women-tatar.txt")));
/// Surnames in their male form; a woman's adds «-а».
static RUSSIAN_SURNAMES: List<&str> = LazyLock::new(|| items(seed_asset!("surnames-russian.txt")));
static TATAR_SURNAMES: List<&str> = LazyLock::new(|| items(seed_asset!("surnames-tatar.txt")));

/// A generated person's name, with what a spouse's name is built from.
pub(super) struct PersonName {
    /// «Фамилия Имя Отчество».
    pub full: String,
    /// The surname in its male form, shared with a spouse.
    pub surname: &'static str,
    /// Whether the person is a woman.
    pub female: bool,
    /// Whether the family is Tatar.
    pub tatar: bool,
}

/// A random full name; about half the city's families are Tatar.
pub(super) fn person(rng: &mut StdRng) -> PersonName {
    let tatar = rng.random_bool(0.5);
    let surname = if tatar { pick(rng, &TATAR_SURNAMES) } else { pick(rng, &RUSSIAN_SURNAMES) };
    let female = rng.random_bool(0.55);
    named(rng, surname, female, tatar)
}

/// The spouse of a person: same family name, the other sex.
pub(super) fn spouse(rng: &mut StdRng, of: &PersonName) -> PersonName {
    named(rng, of.surname, !of.female, of.tatar)
}

fn named(rng: &mut StdRng, surname: &'static str, female: bool, tatar: bool) -> PersonName {
    // One in eight mixed families: the first name or the father comes from the other tradition.
    let mixed = rng.random_bool(0.125);
    let first_tatar = tatar != (mixed && rng.random_bool(0.5));
    let father_tatar = tatar != (mixed && rng.random_bool(0.5));
    let fathers: &[Father] = if father_tatar { &TATAR_MEN } else { &RUSSIAN_MEN };
    let father = fathers[rng.random_range(0..fathers.len())];
    let full = if female {
        let first = if first_tatar { pick(rng, &TATAR_WOMEN) } else { pick(rng, &RUSSIAN_WOMEN) };
        format!("{surname}а {first} {}", father.2)
    } else {
        let men: &[Father] = if first_tatar { &TATAR_MEN } else { &RUSSIAN_MEN };
        let first = men[rng.random_range(0..men.len())].0;
        format!("{surname} {first} {}", father.1)
    };
    PersonName { full, surname, female, tatar }
}

/// Whether a «Фамилия Имя Отчество» is a woman's: female patronymics end in «-на».
pub(super) fn is_female(full_name: &str) -> bool {
    full_name.rsplit(' ').next().is_some_and(|p| p.ends_with("на"))
}

/// A Kazan district with its streets, as the Kazan plan lays houses along them.
pub(super) struct District {
    /// Name as in the registry.
    pub name: &'static str,
    /// The genitive, for names like «УК ЖКХ Московского района».
    pub genitive: &'static str,
    /// Houses in the district.
    pub houses: usize,
    /// Of them, old houses with fewer than 16 flats.
    pub small: usize,
    /// The tax office code of the district.
    pub tax_office: u32,
    /// A postal code of the district.
    pub postal: &'static str,
    /// Streets, the busiest first.
    pub streets: Vec<&'static str>,
}

/// The seven districts of Kazan; the house counts add up to the city's 6,014.
pub(super) static DISTRICTS: LazyLock<[District; 7]> = LazyLock::new(|| {
    [
        District {
            name: "Авиастроительный",
            genitive: "Авиастроительного",
            houses: 640,
            small: 110,
            tax_office: 1657,
            postal: "420127",
            streets: items(seed_asset!("streets/aviastroitelny.txt")),
        },
        District {
            name: "Вахитовский",
            genitive: "Вахитовского",
            houses: 860,
            small: 140,
            tax_office: 1655,
            postal: "420111",
            streets: items(seed_asset!("streets/vakhitovsky.txt")),
        },
        District {
            name: "Кировский",
            genitive: "Кировского",
            houses: 700,
            small: 130,
            tax_office: 1658,
            postal: "420021",
            streets: items(seed_asset!("streets/kirovsky.txt")),
        },
        District {
            name: "Московский",
            genitive: "Московского",
            houses: 820,
            small: 60,
            tax_office: 1658,
            postal: "420095",
            streets: items(seed_asset!("streets/moskovsky.txt")),
        },
        District {
            name: "Ново-Савиновский",
            genitive: "Ново-Савиновского",
            houses: 880,
            small: 20,
            tax_office: 1657,
            postal: "420138",
            streets: items(seed_asset!("streets/novo-savinovsky.txt")),
        },
        District {
            name: "Приволжский",
            genitive: "Приволжского",
            houses: 1050,
            small: 70,
            tax_office: 1659,
            postal: "420110",
            streets: items(seed_asset!("streets/privolzhsky.txt")),
        },
        District {
            name: "Советский",
            genitive: "Советского",
            houses: 1064,
            small: 66,
            tax_office: 1660,
            postal: "420087",
            streets: items(seed_asset!("streets/sovetsky.txt")),
        },
    ]
});

/// Name stems of management companies («ООО "УК …"»).
pub(super) static UK_STEMS: List<&str> = LazyLock::new(|| items(seed_asset!("uk-stems.txt")));

/// Name stems of housing cooperatives («ЖСК "Строитель-7"»).
pub(super) static ZHSK_STEMS: List<&str> = LazyLock::new(|| items(seed_asset!("zhsk-stems.txt")));

/// Banks with their БИК and correspondent accounts, for bank details.
pub(super) const BANKS: &[(&str, &str, &str)] = &[
    ("ПАО Сбербанк, Отделение «Банк Татарстан» № 8610", "049205603", "30101810600000000603"),
    ("ПАО «АК БАРС» БАНК", "049205805", "30101810000000000805"),
    ("АО «Банк Аверс»", "049205774", "30101810500000000774"),
];

/// Office hours as organisations publish them.
pub(super) const WORKING_HOURS: &[&str] = &[
    "Пн–Пт 8:00–17:00, обед 12:00–13:00",
    "Пн–Чт 8:00–17:00, Пт 8:00–16:00, обед 12:00–12:45",
    "Пн–Пт 9:00–18:00, обед 13:00–14:00; Сб 9:00–13:00",
    "Пн, Ср 8:00–19:00; Вт, Чт, Пт 8:00–17:00, обед 12:00–13:00",
];

/// The short form of a street for a ТСЖ name: «ул. Чистопольская» → «Чистопольская».
pub(super) fn street_short(street: &str) -> &str {
    for prefix in ["ул. ", "пр. "] {
        if let Some(rest) = street.strip_prefix(prefix) {
            return rest;
        }
    }
    street
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn districts_add_up_to_kazan() {
        assert_eq!(DISTRICTS.iter().map(|d| d.houses).sum::<usize>(), 6014);
        assert_eq!(DISTRICTS.iter().map(|d| d.small).sum::<usize>(), 596);
    }

    #[test]
    fn lists_are_read_whole_from_assets() {
        let fathers =
            [(seed_asset!("fathers-russian.txt"), &RUSSIAN_MEN), (seed_asset!("fathers-tatar.txt"), &TATAR_MEN)];
        for (text, read) in fathers {
            assert_eq!(items(text).len(), read.len(), "a father's line is not three words");
        }
        assert_eq!([RUSSIAN_MEN.len(), TATAR_MEN.len()], [28, 30]);
        let lists = [&RUSSIAN_WOMEN, &TATAR_WOMEN, &RUSSIAN_SURNAMES, &TATAR_SURNAMES, &UK_STEMS, &ZHSK_STEMS];
        assert_eq!(lists.map(|l| l.len()), [24, 27, 70, 60, 49, 18]);
        assert_eq!(DISTRICTS.iter().map(|d| d.streets.len()).collect::<Vec<_>>(), [15, 22, 12, 13, 14, 16, 16]);
        let all = lists.iter().flat_map(|l| l.iter()).chain(DISTRICTS.iter().flat_map(|d| d.streets.iter()));
        for item in all {
            assert!(!item.is_empty() && item.trim() == *item, "{item:?}");
        }
    }

    #[test]
    fn names_have_three_parts() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..100 {
            let p = person(&mut rng);
            assert_eq!(p.full.split(' ').count(), 3, "{}", p.full);
            let s = spouse(&mut rng, &p);
            assert_ne!(s.female, p.female);
        }
    }
}
