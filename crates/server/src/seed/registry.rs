//! Writes the registry of a plan: organisations, houses with entrances, lifts and premises,
//! management periods, persons with their ownership and accounts, communities and
//! memberships, and capital-repair plans.
//!
//! Houses are written one at a time with all that belongs to them, so nothing but the
//! houses that get chat histories is kept in memory.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{CachedStatement, Transaction, params};

use super::demo::{self, DemoPerson};
use super::names::{self, PersonName};
use super::plan::{Build, DEMO_HOUSE, DEMO_ORG, HouseSpec, Plan};
use super::util::{at, between, date, date_between, day, now, scramble, ts, uuid, uuid_v7, weighted};

/// Namespaces of the UUID-shaped ids.
const NS_FIAS: u64 = 1;
const NS_GIS: u64 = 2;

/// The ESIA-style oid of a person: registered a second apart from September 2025 on.
pub(super) fn oid(person: i64) -> String {
    uuid_v7(1_756_684_800_000 + person as u64 * 1000, person as u64)
}

/// A holder of a flat in a house whose chat or tickets get a history.
#[derive(Debug, Clone)]
pub(super) struct Resident {
    pub person: i64,
    pub premises: i64,
    pub flat: i32,
    pub entrance: i32,
    pub floor: i32,
    pub trusted: bool,
    /// Whether the person is a woman.
    pub female: bool,
    /// When the person joined the house chat, if they did.
    pub joined: Option<NaiveDateTime>,
}

/// A demo flat that gets meters, readings and bills.
#[derive(Debug, Clone)]
pub(super) struct BilledFlat {
    /// The demo key of the owner.
    pub key: &'static str,
    pub owner: &'static str,
    pub house: usize,
    pub premises: i64,
    pub flat: i32,
    pub account: i64,
    pub number: String,
    pub els: String,
    pub registered: i64,
    pub total_area: i64,
    pub living_area: i64,
}

/// What the registry writer produced that later parts need.
pub(super) struct Registry {
    /// Persons written.
    pub persons: i64,
    /// The house chat of each house.
    pub community: Vec<Option<i64>>,
    /// When each house chat was created.
    pub chat_created: Vec<Option<NaiveDateTime>>,
    /// The channel of each complex.
    pub channels: Vec<i64>,
    /// The dispatcher (person) of each organisation that has one.
    pub dispatchers: Vec<Option<i64>>,
    /// Holders of flats, for houses with a story (or a ticket history) only.
    pub residents: Vec<Vec<Resident>>,
    /// Demo flats to bill.
    pub billed: Vec<BilledFlat>,
}

struct Statements<'c> {
    house: CachedStatement<'c>,
    entrance: CachedStatement<'c>,
    lift: CachedStatement<'c>,
    period: CachedStatement<'c>,
    community: CachedStatement<'c>,
    community_house: CachedStatement<'c>,
    membership: CachedStatement<'c>,
    premises: CachedStatement<'c>,
    person: CachedStatement<'c>,
    ownership: CachedStatement<'c>,
    account: CachedStatement<'c>,
    repair: CachedStatement<'c>,
}

impl<'c> Statements<'c> {
    fn prepare(tx: &'c Transaction<'_>) -> rusqlite::Result<Statements<'c>> {
        Ok(Statements {
            house: tx.prepare_cached(
                "INSERT INTO houses (id, fias_guid, gis_guid, gis_number, address, district, oktmo, timezone, \
                 total_area, year_built, floors, underground_floors, state, management_type, heritage, repair_fund, \
                 flats, complex, window_from, window_to) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, '92701000', 'Europe/Moscow', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            )?,
            entrance: tx.prepare_cached("INSERT INTO entrances (house_id, number, storeys) VALUES (?1, ?2, ?3)")?,
            lift: tx.prepare_cached(
                "INSERT INTO lifts (house_id, entrance, factory_number, kind, year_installed) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            period: tx.prepare_cached(
                "INSERT INTO management_periods (house_id, org_id, from_date, to_date) VALUES (?1, ?2, ?3, ?4)",
            )?,
            community: tx.prepare_cached(
                "INSERT INTO communities (id, kind, house_id, title, admin_org_id, admin_status, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?,
            community_house: tx
                .prepare_cached("INSERT INTO community_houses (community_id, house_id) VALUES (?1, ?2)")?,
            membership: tx.prepare_cached(
                "INSERT INTO memberships (community_id, person_id, role, joined_at) VALUES (?1, ?2, ?3, ?4)",
            )?,
            premises: tx.prepare_cached(
                "INSERT INTO premises (id, house_id, number, kind, entrance, floor, total_area, living_area) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            person: tx.prepare_cached(
                "INSERT INTO persons (id, oid, demo_key, full_name, trusted, staff_role, org_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?,
            ownership: tx.prepare_cached(
                "INSERT INTO ownerships (person_id, premises_id, relation, share_num, share_den, since) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
            account: tx.prepare_cached(
                "INSERT INTO accounts (id, number, els, premises_id, persons_registered, total_area, living_area) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?,
            repair: tx.prepare_cached(
                "INSERT INTO repair_plans (house_id, work, year_from, year_to, status) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
        })
    }
}

/// A flat held by a demo person.
struct Reserved {
    house: usize,
    flat: i32,
    person: i64,
    key: &'static str,
    name: &'static str,
    trusted: bool,
    role: Option<&'static str>,
    joined: Option<NaiveDateTime>,
    since: NaiveDate,
    registered: i64,
    billed: bool,
}

struct Writer<'c> {
    st: Statements<'c>,
    rng: StdRng,
    next_person: i64,
    next_premises: i64,
    next_community: i64,
    demo_names: Vec<&'static str>,
    reserved: Vec<Reserved>,
}

/// Writes the registry of the plan.
pub(super) fn write(tx: &Transaction<'_>, plan: &Plan) -> anyhow::Result<Registry> {
    let people = demo::people();
    let mut w = Writer {
        st: Statements::prepare(tx)?,
        rng: StdRng::seed_from_u64(0x7265_6769_7374),
        next_person: 1,
        next_premises: 1,
        next_community: 1,
        demo_names: people.iter().map(|p| p.name).collect(),
        reserved: Vec::new(),
    };
    write_orgs(tx, plan)?;
    let mut reg = Registry {
        persons: 0,
        community: vec![None; plan.houses.len()],
        chat_created: vec![None; plan.houses.len()],
        channels: Vec::new(),
        dispatchers: vec![None; plan.orgs.len()],
        residents: vec![Vec::new(); plan.houses.len()],
        billed: Vec::new(),
    };
    w.write_staff(plan, &people, &mut reg)?;

    let chats = plan.houses.iter().filter(|h| h.has_chat()).count() as i64;
    for (k, c) in plan.complexes.iter().enumerate() {
        let id = chats + 1 + k as i64;
        let org = plan.houses[c.houses[0]].mgmt.org;
        let created = at(2025, 10, 1 + k as u32, 10, 0);
        w.st.community.execute(params![
            id,
            "microdistrict",
            None::<i64>,
            format!("{} — микрорайон", c.name),
            org.map(|o| o as i64 + 1),
            "granted",
            ts(created)
        ])?;
        if let Some(d) = org.and_then(|o| reg.dispatchers[o]) {
            w.st.membership.execute(params![id, d, "dispatcher", ts(created + Duration::hours(1))])?;
        }
        reg.channels.push(id);
    }

    // Holders are kept for the houses with a story, and for every house when the plan gives
    // each a ticket history.
    let story: Vec<bool> = {
        let mut v = vec![plan.ticket_rate > 0.0; plan.houses.len()];
        for s in &plan.stories {
            v[s.house] = true;
        }
        v
    };
    for (i, &has_story) in story.iter().enumerate() {
        w.write_house(plan, i, has_story, &mut reg)?;
    }
    reg.persons = w.next_person - 1;
    Ok(reg)
}

fn write_orgs(tx: &Transaction<'_>, plan: &Plan) -> anyhow::Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO orgs (id, name, kind, ogrn, inn, kpp, address, phone, email, working_hours, dispatch_phone, bank_details) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (i, o) in plan.orgs.iter().enumerate() {
        st.execute(params![
            i as i64 + 1,
            o.name,
            o.kind,
            o.ogrn,
            o.inn,
            o.kpp,
            o.address,
            o.phone,
            o.email,
            o.working_hours,
            o.dispatch_phone,
            o.bank_details
        ])?;
    }
    Ok(())
}

impl Writer<'_> {
    /// The demo persons first (ids 1–8), then a dispatcher for every other organisation whose
    /// houses get a story or a channel.
    fn write_staff(&mut self, plan: &Plan, people: &[DemoPerson], reg: &mut Registry) -> anyhow::Result<()> {
        for p in people {
            let id = self.next_person;
            self.next_person += 1;
            let org = (p.staff == Some("dispatcher")).then_some(DEMO_ORG as i64 + 1);
            self.st.person.execute(params![id, oid(id), p.key, p.name, p.trusted, p.staff, org])?;
            if p.staff == Some("dispatcher") {
                reg.dispatchers[DEMO_ORG] = Some(id);
            }
            for f in &p.flats {
                self.reserved.push(Reserved {
                    house: f.house,
                    flat: f.flat,
                    person: id,
                    key: p.key,
                    name: p.name,
                    trusted: p.trusted,
                    role: f.role,
                    joined: f.joined,
                    since: date(f.since.0, f.since.1, f.since.2),
                    registered: f.registered,
                    billed: f.billed,
                });
            }
        }
        let mut staffed: Vec<usize> = plan
            .stories
            .iter()
            .map(|s| s.house)
            .chain(plan.complexes.iter().flat_map(|c| c.houses.iter().copied()))
            .filter_map(|h| plan.houses[h].mgmt.org)
            .filter(|&o| plan.houses.iter().any(|h| h.mgmt.org == Some(o) && h.mgmt.kind == "uk"))
            .collect();
        staffed.sort_unstable();
        staffed.dedup();
        for o in staffed {
            if reg.dispatchers[o].is_some() {
                continue;
            }
            let id = self.next_person;
            self.next_person += 1;
            let name = self.fresh_name();
            self.st.person.execute(params![
                id,
                oid(id),
                None::<String>,
                name.full,
                true,
                "dispatcher",
                o as i64 + 1
            ])?;
            reg.dispatchers[o] = Some(id);
        }
        Ok(())
    }

    /// A random name that is not a demo person's.
    fn fresh_name(&mut self) -> PersonName {
        loop {
            let n = names::person(&mut self.rng);
            if !self.demo_names.contains(&n.full.as_str()) {
                return n;
            }
        }
    }

    fn write_house(&mut self, plan: &Plan, i: usize, story: bool, reg: &mut Registry) -> anyhow::Result<()> {
        let h = &plan.houses[i];
        let id = i as i64 + 1;
        let layouts: Vec<Vec<(i64, i64)>> = (0..h.entrances).map(|_| layout(&mut self.rng, h)).collect();
        let shops: Vec<i64> = (0..h.entrances * h.shops)
            .map(|_| self.rng.random_range(60..250) * 100 + self.rng.random_range(0..10) * 10)
            .collect();
        let storeys = i64::from(h.floors - h.first_flat_floor() + 1);
        let flats_area: i64 = layouts.iter().flatten().map(|(t, _)| t * storeys).sum();
        let premises_area = flats_area + shops.iter().sum::<i64>();
        let total_area = premises_area + premises_area * self.rng.random_range(15..26) / 100;

        let s = scramble(id as u64, 29);
        self.st.house.execute(params![
            id,
            uuid(NS_FIAS, id as u64),
            uuid(NS_GIS, id as u64),
            format!("{:03}-{:03}-{:03}", s / 1_000_000, s / 1000 % 1000, s % 1000),
            h.address(),
            h.district,
            total_area,
            h.year,
            h.floors,
            h.underground,
            h.state,
            h.mgmt.kind,
            h.heritage,
            h.repair_fund,
            h.flats(),
            h.complex,
            h.window.0,
            h.window.1
        ])?;
        for e in 1..=h.entrances {
            self.st.entrance.execute(params![id, e, h.floors])?;
            for l in 0..h.lifts {
                let year = if h.year < 1998 && self.rng.random_bool(0.6) {
                    self.rng.random_range(2010..=2024)
                } else {
                    h.year
                };
                let factory = format!("{:07}", scramble(((id as u64) << 4) | ((e as u64) << 1) | l as u64, 23));
                let kind = if l == 0 { "passenger" } else { "freight" };
                self.st.lift.execute(params![id, e, factory, kind, year])?;
            }
        }
        if let Some((org, from)) = h.mgmt.before {
            let to = h.mgmt.since - Duration::days(1);
            self.st.period.execute(params![id, org as i64 + 1, day(from), day(to)])?;
        }
        let org = h.mgmt.org.map(|o| o as i64 + 1);
        self.st.period.execute(params![id, org, day(h.mgmt.since), None::<String>])?;

        let community = if h.has_chat() {
            let cid = self.next_community;
            self.next_community += 1;
            let created = if i == DEMO_HOUSE {
                at(2025, 9, 15, 10, 0)
            } else {
                between(&mut self.rng, at(2025, 8, 1, 9, 0), at(2025, 12, 20, 18, 0))
            };
            let (admin, status) = if h.granted { (org, "granted") } else { (None, "pending") };
            self.st.community.execute(params![
                cid,
                "house_chat",
                id,
                format!("Дом: {}, д. {}", h.street, h.number),
                admin,
                status,
                ts(created)
            ])?;
            self.st.community_house.execute(params![cid, id])?;
            if let Some(d) = h.mgmt.org.and_then(|o| reg.dispatchers[o]) {
                self.st.membership.execute(params![cid, d, "dispatcher", ts(created + Duration::minutes(30))])?;
            }
            reg.community[i] = Some(cid);
            reg.chat_created[i] = Some(created);
            Some((cid, created))
        } else {
            None
        };
        let channel = plan.complexes.iter().position(|c| c.houses.contains(&i)).map(|k| reg.channels[k]);
        if let Some(ch) = channel {
            self.st.community_house.execute(params![ch, id])?;
        }

        let mut flat = 0;
        let mut shop = 0;
        for (e, layout) in (1..=h.entrances).zip(&layouts) {
            for floor in 1..=h.floors {
                if floor < h.first_flat_floor() {
                    for _ in 0..h.shops {
                        let area = shops[shop];
                        shop += 1;
                        let pid = self.next_premises;
                        self.next_premises += 1;
                        self.st.premises.execute(params![
                            pid,
                            id,
                            format!("Н{shop}"),
                            "nonresidential",
                            e,
                            floor,
                            area,
                            0
                        ])?;
                    }
                    continue;
                }
                for &(total, living) in layout {
                    flat += 1;
                    let spot = Spot { house: i, house_id: id, flat, entrance: e, floor, total, living };
                    self.write_flat(plan, &spot, community, channel, story, reg)?;
                }
            }
        }
        self.write_repairs(plan, i, id)?;
        Ok(())
    }

    fn write_flat(
        &mut self,
        plan: &Plan,
        spot: &Spot,
        community: Option<(i64, NaiveDateTime)>,
        channel: Option<i64>,
        story: bool,
        reg: &mut Registry,
    ) -> anyhow::Result<()> {
        let h = &plan.houses[spot.house];
        let pid = self.next_premises;
        self.next_premises += 1;
        let number = spot.flat.to_string();
        self.st.premises.execute(params![
            pid,
            spot.house_id,
            number,
            "flat",
            spot.entrance,
            spot.floor,
            spot.total,
            spot.living
        ])?;
        let account = pid;
        let account_number = format!("{}{:03}", 10_000 + spot.house_id, spot.flat);
        // ЕЛС are issued in sequence; that also keeps their unique index cheap to fill.
        let els = format!("16{:08}", 10_000_000 + account * 13);

        let reserved = self.reserved.iter().position(|r| r.house == spot.house && r.flat == spot.flat);
        let registered = if let Some(r) = reserved.map(|k| &self.reserved[k]) {
            let person = r.person;
            self.st.ownership.execute(params![person, pid, "owner", 1, 1, day(r.since)])?;
            if let (Some(role), Some(joined), Some((cid, _))) = (r.role, r.joined, community) {
                self.st.membership.execute(params![cid, person, role, ts(joined)])?;
            }
            if story {
                reg.residents[spot.house].push(Resident {
                    person,
                    premises: pid,
                    flat: spot.flat,
                    entrance: spot.entrance,
                    floor: spot.floor,
                    trusted: r.trusted,
                    female: names::is_female(r.name),
                    joined: r.joined.filter(|_| r.role.is_some()),
                });
            }
            if r.billed {
                reg.billed.push(BilledFlat {
                    key: r.key,
                    owner: r.name,
                    house: spot.house,
                    premises: pid,
                    flat: spot.flat,
                    account,
                    number: account_number.clone(),
                    els: els.clone(),
                    registered: r.registered,
                    total_area: spot.total,
                    living_area: spot.living,
                });
            }
            r.registered
        } else {
            let earliest = date(h.year.max(1993), 1, 1);
            let since = date_between(&mut self.rng, earliest, date(2026, 9, 30).max(earliest));
            let owner = self.fresh_name();
            let co_owner = self.rng.random_bool(0.15).then(|| names::spouse(&mut self.rng, &owner));
            let share = if co_owner.is_some() { (1, 2) } else { (1, 1) };
            let mut holders = vec![(owner, "owner", share, since)];
            if let Some(c) = co_owner {
                holders.push((c, "owner", share, since));
            }
            if self.rng.random_bool(0.03) {
                let tenant = self.fresh_name();
                let from = date_between(&mut self.rng, since, date(2026, 10, 31));
                holders.push((tenant, "tenant", (0, 1), from));
            }
            let holders_count = holders.len() as i64;
            for (name, relation, (num, den), since) in holders {
                let person = self.next_person;
                self.next_person += 1;
                let trusted = self.rng.random_bool(0.97);
                self.st.person.execute(params![
                    person,
                    oid(person),
                    None::<String>,
                    name.full,
                    trusted,
                    None::<String>,
                    None::<i64>
                ])?;
                self.st.ownership.execute(params![person, pid, relation, num, den, day(since)])?;
                let mut joined = None;
                if let Some((cid, created)) = community
                    && trusted
                    && self.rng.random_bool(h.join.clamp(0.0, 1.0))
                {
                    let t = joined_at(&mut self.rng, created, since);
                    self.st.membership.execute(params![cid, person, "resident", ts(t)])?;
                    if let Some(ch) = channel {
                        self.st.membership.execute(params![ch, person, "resident", ts(t + Duration::minutes(3))])?;
                    }
                    joined = Some(t);
                }
                if story {
                    reg.residents[spot.house].push(Resident {
                        person,
                        premises: pid,
                        flat: spot.flat,
                        entrance: spot.entrance,
                        floor: spot.floor,
                        trusted,
                        female: name.female,
                        joined,
                    });
                }
            }
            weighted(&mut self.rng, &[(1, 25), (2, 35), (3, 25), (4, 15)]).max(holders_count.min(4))
        };
        // A demo person's membership of a complex channel follows their house chat.
        if let (Some(k), Some(ch)) = (reserved, channel) {
            let r = &self.reserved[k];
            if let Some(j) = r.joined.filter(|_| r.role.is_some()) {
                self.st.membership.execute(params![ch, r.person, "resident", ts(j + Duration::minutes(3))])?;
            }
        }
        self.st.account.execute(params![account, account_number, els, pid, registered, spot.total, spot.living])?;
        Ok(())
    }

    fn write_repairs(&mut self, plan: &Plan, i: usize, id: i64) -> anyhow::Result<()> {
        let h = &plan.houses[i];
        let fixed: &[(&str, i32, i32, &str)] = match i {
            0 => &[
                ("Ремонт внутридомовых инженерных систем теплоснабжения", 2019, 2019, "done"),
                ("Ремонт крыши", 2027, 2027, "planned"),
                ("Замена лифтового оборудования", 2028, 2029, "planned"),
                ("Ремонт фасада", 2031, 2033, "planned"),
            ],
            1 => &[
                ("Ремонт внутридомовых систем холодного и горячего водоснабжения", 2024, 2024, "done"),
                ("Ремонт крыши", 2027, 2027, "planned"),
                ("Утепление и ремонт фасада", 2030, 2031, "planned"),
            ],
            2 => {
                &[("Ремонт крыши", 2026, 2026, "in_progress"), ("Замена лифтового оборудования", 2028, 2029, "planned")]
            }
            _ => &[],
        };
        for (work, from, to, status) in fixed {
            self.st.repair.execute(params![id, work, from, to, status])?;
        }
        if i < 3 || !self.rng.random_bool(plan.repair_share.clamp(0.0, 1.0)) {
            return Ok(());
        }
        const WORKS: [&str; 7] = [
            "Ремонт крыши",
            "Ремонт фасада",
            "Ремонт внутридомовых инженерных систем теплоснабжения",
            "Ремонт внутридомовых систем холодного и горячего водоснабжения",
            "Ремонт внутридомовых систем электроснабжения",
            "Ремонт подвальных помещений",
            "Замена лифтового оборудования",
        ];
        let works = if h.lifts > 0 { &WORKS[..] } else { &WORKS[..6] };
        let n = self.rng.random_range(1..=3);
        let first = self.rng.random_range(0..works.len());
        for k in 0..n {
            let work = works[(first + k * 2) % works.len()];
            let from = self.rng.random_range(2015..=2043).max(h.year + 20).min(2043);
            let to = (from + self.rng.random_range(0..=2)).min(2043);
            let status = if to < 2026 {
                weighted(&mut self.rng, &[("done", 9), ("postponed", 1)])
            } else if from <= 2026 {
                "in_progress"
            } else {
                weighted(&mut self.rng, &[("planned", 9), ("postponed", 1)])
            };
            self.st.repair.execute(params![id, work, from, to, status])?;
        }
        Ok(())
    }
}

/// Where a flat is.
struct Spot {
    house: usize,
    house_id: i64,
    flat: i32,
    entrance: i32,
    floor: i32,
    total: i64,
    living: i64,
}

/// When a holder joined: never before the chat or the ownership; most joined early.
fn joined_at(rng: &mut StdRng, created: NaiveDateTime, since: NaiveDate) -> NaiveDateTime {
    let owned = since.and_hms_opt(9, 0, 0).unwrap_or(created);
    let start = created.max(owned);
    let end = now() - Duration::hours(1);
    let span = (end - start).num_minutes().max(1) as f64;
    let u: f64 = rng.random();
    start + Duration::minutes((span * u * u) as i64)
}

/// Total and living areas (hundredths of m²) of the flats on one storey of an entrance;
/// every storey of an entrance repeats the same plan.
fn layout(rng: &mut StdRng, h: &HouseSpec) -> Vec<(i64, i64)> {
    let base: &[i64] = match h.build {
        Build::Old => &[4800, 3600, 6200, 5100, 4400, 3900],
        Build::Stalin => &[4200, 5800, 7400],
        Build::Khrush => &[3100, 4450, 5600, 4400],
        Build::Panel9 | Build::Panel10 | Build::Panel12 => &[3400, 5250, 6800, 4950],
        Build::LowNew => &[4100, 6000, 8200, 5200],
        Build::New16 | Build::New25 => &[3800, 5400, 7600, 2600, 4200, 6100, 3900, 5800],
    };
    (0..h.per_floor as usize)
        .map(|k| {
            let total = base[k % base.len()] * rng.random_range(960..1040) / 1000 / 10 * 10;
            let living = total * rng.random_range(55..67) / 100 / 10 * 10;
            (total, living)
        })
        .collect()
}
