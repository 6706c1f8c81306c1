//! The Kazan plan: 6,014 houses along real-sounding streets of the seven districts, with the
//! management and chat figures of the city's announcement reproduced exactly.

use std::collections::HashSet;

use anyhow::{Context, bail};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::names::{DISTRICTS, District, UK_STEMS, ZHSK_STEMS, street_short};
use super::plan::{Build, Complex, DEMO_ORG, HouseSpec, OrgSpec, Plan, Story, demo_cluster, demo_org, managed_since};
use super::util::{date, weighted};

/// Houses in the city.
pub(super) const HOUSES: usize = 6014;
/// Management companies and the houses they manage.
const UK_ORGS: usize = 137;
/// ТСЖ and ЖСК and the houses they manage.
const TSZH_ORGS: usize = 740;
const TSZH_HOUSES: usize = 842;
/// Houses managed directly by their owners; of them, those with a chat.
const DIRECT_HOUSES: usize = 86;
const DIRECT_WITH_CHAT: usize = 26;
/// Chats whose admin rights are still pending.
const PENDING_CHATS: usize = 618;
/// Houses the demo УК manages besides the three demo houses.
const DEMO_ORG_MORE: usize = 35;
/// Houses of the demo УК that get a shorter chat history.
const DEMO_ORG_CHATS: usize = 20;

/// A complex with its channel: name, district, streets, houses, managing company, years.
struct ComplexDef {
    name: &'static str,
    district: &'static str,
    streets: [&'static str; 2],
    houses: usize,
    org: &'static str,
    years: (i32, i32),
}

const COMPLEXES: [ComplexDef; 2] = [
    ComplexDef {
        name: "Салават Купере",
        district: "Кировский",
        streets: ["ул. Нурихана Фаттаха", "ул. Айрата Арсланова"],
        houses: 24,
        org: "ООО \"УК Салават Купере\"",
        years: (2015, 2023),
    },
    ComplexDef {
        name: "Art City",
        district: "Вахитовский",
        streets: ["ул. Шаляпина", "ул. Портовая"],
        houses: 18,
        org: "ООО \"УК Арт Сити Сервис\"",
        years: (2016, 2024),
    },
];

fn district(name: &str) -> anyhow::Result<&'static District> {
    DISTRICTS.iter().find(|d| d.name == name).with_context(|| format!("no district {name}"))
}

/// Building kinds by district: the centre is old, the outskirts are panel and new builds.
fn builds(district: &str) -> &'static [(Build, u32)] {
    match district {
        "Вахитовский" => &[
            (Build::Stalin, 22),
            (Build::Khrush, 26),
            (Build::Panel9, 18),
            (Build::Panel10, 5),
            (Build::Panel12, 7),
            (Build::LowNew, 10),
            (Build::New16, 8),
            (Build::New25, 4),
        ],
        "Советский" | "Приволжский" | "Ново-Савиновский" => &[
            (Build::Stalin, 3),
            (Build::Khrush, 24),
            (Build::Panel9, 34),
            (Build::Panel10, 10),
            (Build::Panel12, 6),
            (Build::LowNew, 6),
            (Build::New16, 11),
            (Build::New25, 6),
        ],
        _ => &[
            (Build::Stalin, 10),
            (Build::Khrush, 36),
            (Build::Panel9, 28),
            (Build::Panel10, 7),
            (Build::Panel12, 4),
            (Build::LowNew, 7),
            (Build::New16, 6),
            (Build::New25, 2),
        ],
    }
}

/// Gives house numbers along each street: mostly rising by one or two, sometimes a letter
/// (61, 61А, 63), never repeating an address already used.
struct Numbering {
    used: HashSet<String>,
}

impl Numbering {
    fn assign(&mut self, rng: &mut StdRng, houses: &mut [HouseSpec], streets: &[&'static str]) {
        let mut next = vec![0i32; streets.len()];
        let mut letters = vec![0usize; streets.len()];
        for h in houses.iter_mut() {
            let s = streets.iter().position(|x| *x == h.street).unwrap_or(0);
            loop {
                let number = if next[s] > 0 && letters[s] < 3 && rng.random_bool(0.12) {
                    letters[s] += 1;
                    format!("{}{}", next[s], ["А", "Б", "В"][letters[s] - 1])
                } else {
                    next[s] += weighted(rng, &[(1, 4), (2, 5), (3, 1)]);
                    letters[s] = 0;
                    next[s].to_string()
                };
                let address = format!("{}|{}", h.street, number);
                if self.used.insert(address) {
                    h.number = number;
                    break;
                }
            }
        }
    }
}

/// Splits `total` into parts proportional to `weights`, each at least one.
fn apportion(total: usize, weights: &[f64]) -> Vec<usize> {
    let n = weights.len();
    let mut parts = vec![1usize; n];
    let rest = total.saturating_sub(n);
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| rest as f64 * w / sum).collect();
    for (p, e) in parts.iter_mut().zip(&exact) {
        *p += e.floor() as usize;
    }
    let mut given: usize = parts.iter().sum();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
    for &i in order.iter().cycle().take(n * 2) {
        if given >= total {
            break;
        }
        parts[i] += 1;
        given = parts.iter().sum();
    }
    parts
}

/// A weighted sample of `k` distinct candidates (Efraimidis–Spirakis keys).
fn sample(
    rng: &mut StdRng,
    candidates: &[usize],
    k: usize,
    weight: impl Fn(usize) -> f64,
) -> anyhow::Result<Vec<usize>> {
    if candidates.len() < k {
        bail!("need {k} houses to choose from, have {}", candidates.len());
    }
    let mut keyed: Vec<(f64, usize)> =
        candidates.iter().map(|&i| (rng.random::<f64>().powf(1.0 / weight(i)), i)).collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<usize> = keyed.into_iter().take(k).map(|(_, i)| i).collect();
    chosen.sort_unstable();
    Ok(chosen)
}

/// The Kazan data set.
pub(super) fn plan() -> anyhow::Result<Plan> {
    let mut rng = StdRng::seed_from_u64(0x6B61_7A61_6E00);
    let sovetsky = district("Советский")?;
    let mut orgs = vec![demo_org(&mut rng, sovetsky)];
    let mut houses = demo_cluster();
    let mut numbering = Numbering { used: houses.iter().map(|h| format!("{}|{}", h.street, h.number)).collect() };

    // Every district: its old small houses, its ordinary houses along its streets, then its
    // complex (if any), so that houses of one street and one complex have adjacent ids.
    let mut complexes = Vec::new();
    for d in DISTRICTS.iter() {
        let specials = houses.iter().filter(|h| h.district == d.name).count()
            + COMPLEXES.iter().filter(|c| c.district == d.name).map(|c| c.houses).sum::<usize>();
        let ordinary = d.houses - d.small - specials;
        let mut list: Vec<HouseSpec> = Vec::with_capacity(d.houses);
        for _ in 0..d.small {
            list.push(HouseSpec::generate(&mut rng, Build::Old, d.name));
        }
        for _ in 0..ordinary {
            let build = weighted(&mut rng, builds(d.name));
            list.push(HouseSpec::generate(&mut rng, build, d.name));
        }
        let weights: Vec<(usize, u32)> = (0..d.streets.len())
            .map(|i| (i, 2 + ((d.streets.len() - i) as u32) / 2 + rng.random_range(0..3)))
            .collect();
        let mut keyed: Vec<(usize, u32, HouseSpec)> = list
            .into_iter()
            .map(|mut h| {
                let s = weighted(&mut rng, &weights);
                h.street = d.streets[s];
                (s, rng.random::<u32>(), h)
            })
            .collect();
        keyed.sort_by_key(|(s, key, _)| (*s, *key));
        let mut list: Vec<HouseSpec> = keyed.into_iter().map(|(_, _, h)| h).collect();
        numbering.assign(&mut rng, &mut list, &d.streets);
        houses.extend(list);

        for c in COMPLEXES.iter().filter(|c| c.district == d.name) {
            let org = orgs.len();
            orgs.push(OrgSpec::new(&mut rng, org, c.org.to_owned(), "uk", d));
            let first = houses.len();
            let mut list = Vec::with_capacity(c.houses);
            for k in 0..c.houses {
                let build = if k % 3 == 2 { Build::New25 } else { Build::New16 };
                let mut h = HouseSpec::generate(&mut rng, build, d.name);
                h.year = c.years.0 + (k as i32 * (c.years.1 - c.years.0)) / c.houses as i32;
                h.street = c.streets[k % 2];
                h.complex = Some(c.name);
                h.join = 0.45;
                h.mgmt.org = Some(org);
                h.mgmt.since = managed_since(&mut rng, h.year, h.year);
                list.push(h);
            }
            numbering.assign(&mut rng, &mut list, &c.streets);
            houses.extend(list);
            complexes.push(Complex { name: c.name, houses: (first..houses.len()).collect() });
        }
    }
    if houses.len() != HOUSES {
        bail!("the Kazan plan has {} houses, not {HOUSES}", houses.len());
    }

    let fixed: Vec<bool> = houses.iter().enumerate().map(|(i, h)| i < 3 || h.complex.is_some()).collect();

    // Direct management: mostly the smallest houses, and a few with 16–30 flats.
    let small: Vec<usize> = (0..HOUSES).filter(|&i| !fixed[i] && !houses[i].has_chat()).collect();
    let tiny: Vec<usize> =
        (0..HOUSES).filter(|&i| !fixed[i] && houses[i].has_chat() && houses[i].flats() <= 30).collect();
    let mut direct = sample(&mut rng, &small, DIRECT_HOUSES - DIRECT_WITH_CHAT, |_| 1.0)?;
    direct.extend(sample(&mut rng, &tiny, DIRECT_WITH_CHAT, |_| 1.0)?);
    for &i in &direct {
        let h = &mut houses[i];
        h.mgmt.kind = "direct";
        h.mgmt.org = None;
        h.mgmt.since = managed_since(&mut rng, h.year, 2015);
        h.granted = false;
    }

    // Partnerships and cooperatives: mostly new builds (ТСЖ) and Soviet cooperative houses (ЖСК).
    let free: Vec<usize> = (0..HOUSES).filter(|&i| !fixed[i] && houses[i].mgmt.kind == "uk").collect();
    let tszh = sample(&mut rng, &free, TSZH_HOUSES, |i| match houses[i].year {
        y if y >= 1998 => 3.0,
        1962..=1995 => 1.6,
        _ => 0.4,
    })?;
    for &i in &tszh {
        houses[i].mgmt.kind = "tszh";
    }

    // The demo УК: the three demo houses and the next houses of the Soviet district with a chat.
    let more: Vec<usize> = (0..HOUSES)
        .filter(|&i| {
            !fixed[i] && houses[i].district == sovetsky.name && houses[i].mgmt.kind == "uk" && houses[i].has_chat()
        })
        .take(DEMO_ORG_MORE)
        .collect();
    for &i in &more {
        houses[i].mgmt.org = Some(DEMO_ORG);
    }

    // Pending admin rights: every direct-managed house with a chat, and mostly small ТСЖ.
    let direct_chats = direct.iter().filter(|&&i| houses[i].has_chat()).count();
    let open: Vec<usize> = (0..HOUSES)
        .filter(|&i| {
            let h = &houses[i];
            !fixed[i] && h.has_chat() && h.mgmt.kind != "direct" && h.mgmt.org != Some(DEMO_ORG)
        })
        .collect();
    for i in
        sample(
            &mut rng,
            &open,
            PENDING_CHATS - direct_chats,
            |i| if houses[i].mgmt.kind == "tszh" { 5.0 } else { 1.0 },
        )?
    {
        houses[i].granted = false;
    }

    assign_uks(&mut rng, &mut orgs, &mut houses)?;
    assign_partnerships(&mut rng, &mut orgs, &mut houses)?;

    let mut stories = vec![
        Story { house: 0, messages: 2500, tickets: 45 },
        Story { house: 1, messages: 150, tickets: 10 },
        Story { house: 2, messages: 120, tickets: 10 },
    ];
    for (k, &i) in more.iter().enumerate() {
        let messages = if k < DEMO_ORG_CHATS { rng.random_range(30..=300) } else { 0 };
        stories.push(Story { house: i, messages, tickets: rng.random_range(6..=14) });
    }
    Ok(Plan {
        orgs,
        houses,
        complexes,
        stories,
        channel_posts: 20,
        repair_share: 0.25,
        street_notices: 30,
        ticket_rate: 0.3,
    })
}

/// Management companies: the three fixed ones, then per district a big district company and
/// smaller ones, each managing a run of adjacent houses.
fn assign_uks(rng: &mut StdRng, orgs: &mut Vec<OrgSpec>, houses: &mut [HouseSpec]) -> anyhow::Result<()> {
    let per_district: Vec<Vec<usize>> = DISTRICTS
        .iter()
        .map(|d| {
            (0..houses.len())
                .filter(|&i| {
                    houses[i].district == d.name && houses[i].mgmt.kind == "uk" && houses[i].mgmt.org.is_none()
                })
                .collect()
        })
        .collect();
    let remaining = UK_ORGS - orgs.len();
    let sizes: Vec<f64> = per_district.iter().map(|l| l.len() as f64).collect();
    let counts = apportion(remaining, &sizes);
    let mut stems = UK_STEMS.iter().cycle().enumerate();
    let mut district_uk = None;
    for ((d, list), &k) in DISTRICTS.iter().zip(&per_district).zip(&counts) {
        let weights: Vec<f64> = (0..k).map(|j| if j == 0 { 6.0 } else { 1.0 / (j as f64).powf(0.3) }).collect();
        let blocks = apportion(list.len(), &weights);
        let mut at = 0;
        for (j, size) in blocks.into_iter().enumerate() {
            let name = if j == 0 {
                format!("ООО \"УК ЖКХ {} района\"", d.genitive)
            } else {
                let Some((n, stem)) = stems.next() else { bail!("no company names left") };
                match n / UK_STEMS.len() {
                    0 => format!("ООО \"УК {stem}\""),
                    1 => format!("ООО \"УК {stem} Плюс\""),
                    r => format!("ООО \"УК {stem}-{r}\""),
                }
            };
            let org = orgs.len();
            orgs.push(OrgSpec::new(rng, org, name, "uk", d));
            if j == 0 && d.name == "Советский" {
                district_uk = Some(org);
            }
            for &i in &list[at..at + size] {
                houses[i].mgmt.org = Some(org);
            }
            at += size;
        }
    }
    if orgs.len() != UK_ORGS {
        bail!("made {} management companies, not {UK_ORGS}", orgs.len());
    }
    // Dates, and for some older houses a previous company: a change of management keeps the chat.
    let district_orgs = |h: &HouseSpec, houses: &[HouseSpec]| -> Vec<usize> {
        let mut v: Vec<usize> = houses
            .iter()
            .filter(|x| x.district == h.district && x.mgmt.kind == "uk")
            .filter_map(|x| x.mgmt.org)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut befores = Vec::new();
    for (i, h) in houses.iter().enumerate() {
        if h.mgmt.kind != "uk" || i < 3 || h.complex.is_some() || h.year >= 2005 || !rng.random_bool(0.1) {
            continue;
        }
        let candidates = district_orgs(h, houses);
        let other = candidates[rng.random_range(0..candidates.len())];
        if Some(other) != h.mgmt.org {
            befores.push((i, other));
        }
    }
    for h in houses.iter_mut().skip(3) {
        if h.mgmt.kind == "uk" && h.complex.is_none() {
            h.mgmt.since = managed_since(rng, h.year, 2007);
        }
    }
    for (i, other) in befores {
        let h = &mut houses[i];
        let from = managed_since(rng, h.year, 2007);
        if from + chrono::Duration::days(365) < h.mgmt.since {
            h.mgmt.before = Some((other, from));
        }
    }
    let demo_before = district_uk.context("no district company in the Soviet district")?;
    houses[0].mgmt.before = Some((demo_before, date(2008, 3, 1)));
    houses[2].mgmt.before = Some((demo_before, date(2008, 3, 1)));
    Ok(())
}

/// ТСЖ and ЖСК: one per house, some managing two or three neighbouring houses.
fn assign_partnerships(rng: &mut StdRng, orgs: &mut Vec<OrgSpec>, houses: &mut [HouseSpec]) -> anyhow::Result<()> {
    let list: Vec<usize> = (0..houses.len()).filter(|&i| houses[i].mgmt.kind == "tszh").collect();
    let mut sizes = vec![1usize; TSZH_ORGS];
    for _ in 0..(list.len() - TSZH_ORGS) {
        let k = rng.random_range(0..TSZH_ORGS);
        sizes[k] += 1;
    }
    let mut zhsk_numbers = vec![0usize; ZHSK_STEMS.len()];
    let mut at = 0;
    for size in sizes {
        let block = &list[at..at + size];
        at += size;
        let first = &houses[block[0]];
        let d = district(first.district)?;
        let zhsk = (1962..=1995).contains(&first.year) && rng.random_bool(0.75);
        let (kind, name) = if zhsk {
            let s = rng.random_range(0..ZHSK_STEMS.len());
            zhsk_numbers[s] += rng.random_range(1..=4);
            ("zhsk", format!("ЖСК \"{}-{}\"", ZHSK_STEMS[s], zhsk_numbers[s]))
        } else {
            ("tszh", format!("ТСЖ \"{} {}\"", street_short(first.street), first.number))
        };
        let org = orgs.len();
        orgs.push(OrgSpec::new(rng, org, name, kind, d));
        for &i in block {
            let h = &mut houses[i];
            h.mgmt.kind = kind;
            h.mgmt.org = Some(org);
            h.mgmt.since = if zhsk { date(h.year, 1 + (i % 12) as u32, 1) } else { managed_since(rng, h.year, 2006) };
        }
    }
    if orgs.len() != UK_ORGS + TSZH_ORGS {
        bail!("made {} organisations, not {}", orgs.len(), UK_ORGS + TSZH_ORGS);
    }
    Ok(())
}
