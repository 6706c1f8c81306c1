//! The small plan for fast tests: the three demo houses, a small old house without a chat,
//! two houses of a complex with its channel and one ТСЖ house whose admin rights are pending.

use anyhow::Context;
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::names::DISTRICTS;
use super::plan::{Build, Complex, DEMO_ORG, HouseSpec, Mgmt, OrgSpec, Plan, Story, demo_cluster, demo_org};
use super::util::date;

/// The small data set.
pub(super) fn plan() -> anyhow::Result<Plan> {
    let mut rng = StdRng::seed_from_u64(0x736D_616C_6C00);
    let district =
        |name: &str| DISTRICTS.iter().find(|d| d.name == name).with_context(|| format!("no district {name}"));
    let tszh_org = 1;
    let orgs = vec![
        demo_org(&mut rng, district("Советский")?),
        OrgSpec::new(&mut rng, 1, "ТСЖ \"Чистопольская 61А\"".to_owned(), "tszh", district("Ново-Савиновский")?),
    ];
    let mut houses = demo_cluster();

    let mut old = HouseSpec::generate(&mut rng, Build::Old, "Вахитовский");
    old.street = "ул. Тази Гиззата";
    old.number = "9".to_owned();
    old.year = 1912;
    old.floors = 2;
    old.entrances = 1;
    old.per_floor = 4;
    old.heritage = true;
    old.state = "dilapidated";
    old.mgmt = Mgmt { kind: "direct", org: None, since: date(2017, 4, 1), before: None };
    old.granted = false;
    houses.push(old);

    for number in ["10", "12"] {
        let mut h = HouseSpec::generate(&mut rng, Build::New16, "Кировский");
        h.street = "ул. Нурихана Фаттаха";
        h.number = number.to_owned();
        h.year = 2018;
        h.entrances = 1;
        h.per_floor = 6;
        h.shops = 2;
        h.complex = Some("Салават Купере");
        h.join = 0.45;
        h.mgmt = Mgmt { kind: "uk", org: Some(DEMO_ORG), since: date(2018, 9, 1), before: None };
        houses.push(h);
    }

    let mut tszh = HouseSpec::generate(&mut rng, Build::New16, "Ново-Савиновский");
    tszh.street = "ул. Чистопольская";
    tszh.number = "61А".to_owned();
    tszh.year = 2006;
    tszh.entrances = 1;
    tszh.per_floor = 4;
    tszh.shops = 0;
    tszh.mgmt = Mgmt { kind: "tszh", org: Some(tszh_org), since: date(2007, 2, 1), before: None };
    tszh.granted = false;
    houses.push(tszh);

    let stories = vec![
        Story { house: 0, messages: 200, tickets: 30 },
        Story { house: 1, messages: 40, tickets: 5 },
        Story { house: 2, messages: 30, tickets: 5 },
        Story { house: 4, messages: 15, tickets: 3 },
        Story { house: 5, messages: 10, tickets: 2 },
        Story { house: 6, messages: 12, tickets: 0 },
    ];
    Ok(Plan {
        orgs,
        houses,
        complexes: vec![Complex { name: "Салават Купере", houses: vec![4, 5] }],
        stories,
        channel_posts: 8,
        repair_share: 1.0,
        street_notices: 2,
        ticket_rate: 0.0,
    })
}
