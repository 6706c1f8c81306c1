//! Chat histories: conversations built from templates about what Kazan residents actually
//! use their house chats for (lifts, leaks, garbage chutes, cleaning, outages, bills, meter
//! readings, capital repairs), with the dispatcher answering and the chair moderating.
//!
//! Every chat's history is drawn as scenes at random moments of the last six months; the
//! messages of all chats are then sorted by time, so ids grow with `created_at`.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDateTime, Timelike};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Transaction, params};

use super::demo::demo_id;
use super::names::is_female;
use super::plan::{DEMO_HOUSE, Plan, SECOND_HOUSE};
use super::registry::{Registry, Resident};
use super::util::{at, between, dm, now, pick, roubles, ts, uuid_v7, weighted};

/// How far back histories go.
const HISTORY_DAYS: i64 = 183;

/// A message before it gets its id.
struct Draft {
    community: i64,
    at: NaiveDateTime,
    author: i64,
    body: String,
    reply_to: Option<usize>,
    edited: Option<NaiveDateTime>,
    deleted: Option<NaiveDateTime>,
}

/// Writes every chat history of the plan; returns how many messages were written.
pub(super) fn write(tx: &Transaction<'_>, plan: &Plan, reg: &Registry) -> anyhow::Result<i64> {
    let mut rng = StdRng::seed_from_u64(0x6368_6174);
    let mut drafts = Vec::new();
    for story in plan.stories.iter().filter(|s| s.messages > 0) {
        let Some(community) = reg.community[story.house] else { continue };
        let h = &plan.houses[story.house];
        let org = h.mgmt.org;
        let facts = Facts {
            floors: h.floors,
            per_floor: h.per_floor,
            lifts: h.lifts > 0,
            chute: h.has_chute(),
            window: h.window,
            phone: org.map_or_else(|| "112".to_owned(), |o| plan.orgs[o].dispatch_phone.clone()),
            flats: h.flats(),
        };
        let chair = (story.house == DEMO_HOUSE).then(|| demo_id("chair"));
        let dispatcher = org.and_then(|o| reg.dispatchers[o]);
        let chair = chair.map(|p| female(tx, p).map(|f| (p, f))).transpose()?;
        let dispatcher = dispatcher.map(|p| female(tx, p).map(|f| (p, f))).transpose()?;
        let mut chat =
            Chat::new(&mut rng, &mut drafts, community, &reg.residents[story.house], facts, chair, dispatcher);
        if story.house == DEMO_HOUSE {
            chat.favour(demo_id("resident"), 40);
            chat.favour(demo_id("multi-owner"), 15);
        } else if story.house == SECOND_HOUSE {
            chat.favour(demo_id("multi-owner"), 20);
        }
        chat.history(story.messages, story.house == DEMO_HOUSE);
    }
    for (k, c) in plan.complexes.iter().enumerate() {
        let Some(author) = plan.houses[c.houses[0]].mgmt.org.and_then(|o| reg.dispatchers[o]) else { continue };
        let street = plan.houses[c.houses[0]].street;
        let numbers: Vec<&str> = c
            .houses
            .iter()
            .filter(|&&i| plan.houses[i].street == street)
            .take(3)
            .map(|&i| plan.houses[i].number.as_str())
            .collect();
        let houses = match numbers.as_slice() {
            [a, b, c, ..] => format!("№ {a}, {b} и {c} по {street}"),
            [a, b] => format!("№ {a} и {b} по {street}"),
            [a] => format!("№ {a} по {street}"),
            [] => street.to_owned(),
        };
        channel(&mut rng, &mut drafts, reg.channels[k], author, c.name, &houses, plan.channel_posts);
    }

    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.sort_by_key(|&i| (drafts[i].at, i));
    let mut id_of = vec![0i64; drafts.len()];
    for (pos, &i) in order.iter().enumerate() {
        id_of[i] = pos as i64 + 1;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO messages (id, community_id, author_id, client_key, body, reply_to, created_at, edited_at, deleted_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for &i in &order {
        let d = &drafts[i];
        st.execute(params![
            id_of[i],
            d.community,
            d.author,
            // Clients make UUIDv7 keys at the moment of sending.
            uuid_v7((d.at.and_utc().timestamp() - 3 * 3600) as u64 * 1000 + (i % 1000) as u64, i as u64),
            d.body,
            d.reply_to.map(|r| id_of[r]),
            ts(d.at),
            d.edited.map(ts),
            d.deleted.map(ts)
        ])?;
    }
    Ok(drafts.len() as i64)
}

/// Whether a staff member is a woman, by the patronymic of the name in the registry.
fn female(tx: &Transaction<'_>, person: i64) -> rusqlite::Result<bool> {
    let name: String = tx.query_row("SELECT full_name FROM persons WHERE id = ?1", [person], |r| r.get(0))?;
    Ok(is_female(&name))
}

/// What the templates may mention about the house.
struct Facts {
    floors: i32,
    per_floor: i32,
    lifts: bool,
    chute: bool,
    window: (i32, i32),
    phone: String,
    flats: i32,
}

/// How a message relates to the scene.
#[derive(Clone, Copy)]
enum Reply {
    None,
    Opener,
    Last,
    /// To the opener with this chance, else to nothing.
    Maybe(f64),
}

/// Values a scene's templates are filled with.
struct Slots {
    e: i32,
    f: i32,
    n: i32,
    up: i32,
    n2: i32,
    time: String,
    d1: String,
    d2: String,
    sum: String,
    plate: String,
    cat: &'static str,
}

struct Chat<'a> {
    rng: &'a mut StdRng,
    out: &'a mut Vec<Draft>,
    community: i64,
    residents: &'a [Resident],
    pool: Vec<(usize, u32)>,
    facts: Facts,
    chair: Option<i64>,
    dispatcher: Option<i64>,
    /// The scene being written: its clock, first and last message.
    t: NaiveDateTime,
    opener: Option<usize>,
    last: Option<usize>,
    slots: Slots,
    written: usize,
    /// Authors' sex, for the gendered verbs of the templates.
    female: HashMap<i64, bool>,
}

impl<'a> Chat<'a> {
    fn new(
        rng: &'a mut StdRng,
        out: &'a mut Vec<Draft>,
        community: i64,
        residents: &'a [Resident],
        facts: Facts,
        chair: Option<(i64, bool)>,
        dispatcher: Option<(i64, bool)>,
    ) -> Chat<'a> {
        let (chair, chair_female) = (chair.map(|c| c.0), chair);
        let dispatcher_female = dispatcher;
        let dispatcher = dispatcher.map(|d| d.0);
        let start = now() - Duration::days(HISTORY_DAYS);
        // Authors: about forty verified holders who had joined before the history starts,
        // a few of them far chattier than the rest.
        let mut members: Vec<usize> = (0..residents.len())
            .filter(|&k| {
                let r = &residents[k];
                r.trusted && r.joined.is_some_and(|j| j < start) && Some(r.person) != chair
            })
            .collect();
        let mut pool = Vec::new();
        while pool.len() < 40 && !members.is_empty() {
            let k = members.swap_remove(rng.random_range(0..members.len()));
            let rank = pool.len() as f64;
            pool.push((k, (60.0 / (rank + 1.0).powf(0.7)) as u32 + 1));
        }
        pool.sort_unstable();
        let mut female: HashMap<i64, bool> = residents.iter().map(|r| (r.person, r.female)).collect();
        for staff in [chair_female, dispatcher_female].into_iter().flatten() {
            female.insert(staff.0, staff.1);
        }
        Chat {
            rng,
            out,
            community,
            residents,
            pool,
            facts,
            chair,
            dispatcher,
            t: start,
            opener: None,
            last: None,
            slots: Slots {
                e: 1,
                f: 1,
                n: 1,
                up: 1,
                n2: 1,
                time: String::new(),
                d1: String::new(),
                d2: String::new(),
                sum: String::new(),
                plate: String::new(),
                cat: "",
            },
            written: 0,
            female,
        }
    }

    /// Makes a demo person one of the chattiest authors, if they are a member here.
    fn favour(&mut self, person: i64, weight: u32) {
        let Some(k) = self.residents.iter().position(|r| r.person == person && r.joined.is_some()) else { return };
        match self.pool.iter_mut().find(|(i, _)| *i == k) {
            Some(entry) => entry.1 = weight,
            None => self.pool.push((k, weight)),
        }
    }

    /// Writes scenes until the chat holds at least `target` messages.
    fn history(&mut self, target: usize, busy: bool) {
        if self.pool.is_empty() {
            return;
        }
        let start = now() - Duration::days(HISTORY_DAYS);
        for (date, texts) in HOLIDAYS {
            let t = at(date.0, date.1, date.2, 8, 0) + Duration::minutes(self.rng.random_range(0..180));
            if t > start && t < now() && (busy || self.rng.random_bool(0.3)) {
                self.begin(t);
                self.holiday(texts);
            }
        }
        let mut guard = 0;
        while self.written < target && guard < target * 4 + 100 {
            guard += 1;
            let t = between(self.rng, start, now());
            let t = day_time(self.rng, t);
            let kind = self.choose_scene(t);
            self.begin(t);
            self.scene(kind, busy);
        }
    }

    fn choose_scene(&mut self, t: NaiveDateTime) -> Scene {
        let m = t.month();
        let d = t.day();
        let f = &self.facts;
        let options: Vec<(Scene, u32)> = [
            (Scene::Lift, if f.lifts { 9 } else { 0 }),
            (Scene::Leak, 7),
            (Scene::Chute, if f.chute { 6 } else { 0 }),
            (Scene::Cleaning, 7),
            (Scene::Snow, if m == 11 && d >= 8 { 25 } else { 0 }),
            (Scene::HotWater, if (6..=8).contains(&m) { 10 } else { 0 }),
            (Scene::HeatingBill, if m >= 10 { 14 } else { 0 }),
            (Scene::HeatingStart, if (m == 9 && d >= 20) || (m == 10 && d <= 15) { 25 } else { 0 }),
            (Scene::Readings, if (13..=26).contains(&d) { 10 } else { 2 }),
            (Scene::Roof, 4),
            (Scene::Parking, 6),
            (Scene::Noise, 5),
            (Scene::Cat, 1),
            (Scene::Greeting, 6),
            (Scene::ChairPost, if self.chair.is_some() { 4 } else { 0 }),
            (Scene::Intercom, 5),
            (Scene::Advert, 1),
            (Scene::WrongChat, 1),
            (Scene::Electricity, 5),
            (Scene::Yard, if (5..=10).contains(&m) { 5 } else { 1 }),
            (Scene::Basement, if (6..=9).contains(&m) { 3 } else { 0 }),
            (Scene::WaterQuality, 3),
            (Scene::Question, 7),
            (Scene::Announcement, if self.dispatcher.is_some() { 4 } else { 0 }),
        ]
        .into_iter()
        .filter(|(_, w)| *w > 0)
        .collect();
        weighted(self.rng, &options)
    }

    /// Starts a scene at `t` with a fresh opener and slots.
    fn begin(&mut self, t: NaiveDateTime) {
        self.t = t;
        self.opener = None;
        self.last = None;
        let (e, f, n) = self
            .pool
            .first()
            .map(|&(k, _)| (self.residents[k].entrance, self.residents[k].floor, self.residents[k].flat))
            .unwrap_or((1, 1, 1));
        self.set_place(e, f, n);
        let plus = self.rng.random_range(2..5);
        let hour = (t.hour() as i64 + plus).clamp(9, 20);
        self.slots.time = format!("{hour}:00");
        let d1 = t.date() + Duration::days(self.rng.random_range(2..6));
        self.slots.d1 = dm(d1);
        self.slots.d2 = dm(d1 + Duration::days(self.rng.random_range(1..8)));
        self.slots.sum = roubles(self.rng.random_range(240_000..460_000));
        const LETTERS: [char; 6] = ['А', 'В', 'Е', 'К', 'М', 'Р'];
        let l = |rng: &mut StdRng| LETTERS[rng.random_range(0..LETTERS.len())];
        self.slots.plate =
            format!("{}{:03}{}{} 116", l(self.rng), self.rng.random_range(1..1000), l(self.rng), l(self.rng));
        self.slots.cat = pick(self.rng, &["Муся", "Барсик", "Тучка", "Рыжик", "Мурка", "Пушок"]);
        self.slots.n2 = self.rng.random_range(1..=self.facts.flats.max(1));
    }

    fn set_place(&mut self, e: i32, f: i32, n: i32) {
        self.slots.e = e;
        self.slots.f = f;
        self.slots.n = n;
        self.slots.up = if f < self.facts.floors { n + self.facts.per_floor } else { n };
    }

    fn resident(&mut self) -> usize {
        weighted(self.rng, &self.pool)
    }

    fn other(&mut self, not: i64) -> i64 {
        for _ in 0..5 {
            let k = self.resident();
            if self.residents[k].person != not {
                return self.residents[k].person;
            }
        }
        self.residents[self.resident()].person
    }

    /// Fills `{slot}`s, and picks `{he|she}` by the author's sex (Russian past tense has gender).
    fn fill(&self, text: &str, female: bool) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let key = &after[..close];
            match key.split_once('|') {
                Some((he, she)) => out.push_str(if female { she } else { he }),
                None => out.push_str(&self.slot(key)),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn slot(&self, key: &str) -> String {
        const PLACES: [&str; 6] = ["в первом", "во втором", "в третьем", "в четвёртом", "в пятом", "в шестом"];
        let s = &self.slots;
        match key {
            "ep" => format!("{} подъезде", PLACES[(s.e.clamp(1, 6) - 1) as usize]),
            "e" => s.e.to_string(),
            "f" => s.f.to_string(),
            "n" => s.n.to_string(),
            "up" => s.up.to_string(),
            "n2" => s.n2.to_string(),
            "t" => s.time.clone(),
            "d1" => s.d1.clone(),
            "d2" => s.d2.clone(),
            "sum" => s.sum.clone(),
            "plate" => s.plate.clone(),
            "cat" => s.cat.to_owned(),
            "phone" => self.facts.phone.clone(),
            "wf" => self.facts.window.0.to_string(),
            "wt" => self.facts.window.1.to_string(),
            "top" => self.facts.floors.to_string(),
            other => format!("{{{other}}}"),
        }
    }

    /// Writes one message `gap` minutes after the previous one; nothing after "now".
    fn say(&mut self, author: i64, text: &str, reply: Reply, gap: (i64, i64)) -> Option<usize> {
        self.t += Duration::minutes(self.rng.random_range(gap.0..=gap.1));
        if self.t >= now() - Duration::minutes(1) {
            return None;
        }
        let reply_to = match reply {
            Reply::None => None,
            Reply::Opener => self.opener,
            Reply::Last => self.last,
            Reply::Maybe(p) => self.opener.filter(|_| self.rng.random_bool(p)),
        };
        let staff = Some(author) == self.dispatcher || Some(author) == self.chair;
        let edited = (!staff && self.rng.random_bool(0.025))
            .then(|| self.t + Duration::minutes(self.rng.random_range(1..15)))
            .filter(|e| *e < now());
        let deleted = (!staff && self.rng.random_bool(0.003))
            .then(|| self.t + Duration::minutes(self.rng.random_range(1..30)))
            .filter(|e| *e < now());
        let female = self.female.get(&author).copied().unwrap_or(false);
        let body = self.fill(text, female);
        self.out.push(Draft { community: self.community, at: self.t, author, body, reply_to, edited, deleted });
        let idx = self.out.len() - 1;
        if self.opener.is_none() {
            self.opener = Some(idx);
        }
        self.last = Some(idx);
        self.written += 1;
        Some(idx)
    }

    /// The opener: a resident, whose flat the scene is about.
    fn open(&mut self, texts: &[&str]) -> i64 {
        let k = self.resident();
        let r = &self.residents[k];
        let (person, e, f, n) = (r.person, r.entrance, r.floor, r.flat);
        self.set_place(e, f, n);
        let text = pick(self.rng, texts);
        self.say(person, text, Reply::None, (0, 0));
        person
    }

    /// `count` replies by residents other than `not`, each a different text.
    fn replies(&mut self, texts: &[&str], count: usize, not: i64) {
        let mut left: Vec<&str> = texts.to_vec();
        for _ in 0..count.min(left.len()) {
            let text = left.swap_remove(self.rng.random_range(0..left.len()));
            let author = self.other(not);
            let reply = if self.rng.random_bool(0.1) { Reply::Last } else { Reply::Maybe(0.35) };
            self.say(author, text, reply, (1, 35));
        }
    }

    fn staff(&mut self, who: Option<i64>, texts: &[&str], reply: Reply, gap: (i64, i64)) {
        if let Some(p) = who
            && !texts.is_empty()
        {
            let text = pick(self.rng, texts);
            self.say(p, text, reply, gap);
        }
    }

    fn scene(&mut self, kind: Scene, busy: bool) {
        let more = if busy { 3 } else { 0 };
        match kind {
            Scene::Lift => self.issue(&LIFT, more),
            Scene::Leak => self.issue(&LEAK, more),
            Scene::Chute => self.issue(&CHUTE, more),
            Scene::Cleaning => self.issue(&CLEANING, more),
            Scene::Snow => self.issue(&SNOW, more),
            Scene::HotWater => {
                self.slots.d1 = "12.07".to_owned();
                self.slots.d2 = "19.07".to_owned();
                self.issue(&HOT_WATER, more);
            }
            Scene::HeatingBill => self.issue(&HEATING_BILL, more),
            Scene::HeatingStart => self.issue(&HEATING_START, more),
            Scene::Readings => self.issue(&READINGS, more),
            Scene::Roof => self.issue(&ROOF, more),
            Scene::Parking => self.issue(&PARKING, more),
            Scene::Noise => self.issue(&NOISE, more),
            Scene::Intercom => self.issue(&INTERCOM, more),
            Scene::Electricity => self.issue(&ELECTRICITY, more),
            Scene::Yard => self.issue(&YARD, more),
            Scene::Basement => self.issue(&BASEMENT, more),
            Scene::WaterQuality => self.issue(&WATER_QUALITY, more),
            Scene::Question => self.issue(&QUESTION, more.min(2)),
            Scene::Greeting => self.issue(&GREETING, more.min(2)),
            Scene::Cat => {
                let owner = self.open(CAT_LOST);
                let n = self.rng.random_range(1..=3 + more);
                self.replies(CAT_REPLIES, n, owner);
                self.t += Duration::hours(self.rng.random_range(3..30));
                let text = pick(self.rng, CAT_FOUND);
                self.say(owner, text, Reply::Opener, (0, 0));
                let n = self.rng.random_range(1..=3);
                self.replies(&["Ура!", "Как хорошо!", "Рәхмәт всем, кто искал", "Отличная новость 🐈"], n, owner);
            }
            Scene::Advert => {
                let k = self.resident();
                let author = self.residents[k].person;
                let text = pick(self.rng, ADVERTS);
                if let Some(idx) = self.say(author, text, Reply::None, (0, 0))
                    && let Some(chair) = self.chair
                {
                    let when = self.t + Duration::minutes(self.rng.random_range(10..90));
                    if when < now() {
                        self.out[idx].deleted = Some(when);
                        self.out[idx].edited = None;
                        self.t = when;
                        let text = pick(self.rng, ADVERT_REMOVED);
                        self.say(chair, text, Reply::None, (0, 1));
                    }
                }
            }
            Scene::WrongChat => {
                let k = self.resident();
                let author = self.residents[k].person;
                let text = pick(self.rng, WRONG_CHAT);
                if let Some(idx) = self.say(author, text, Reply::None, (0, 0)) {
                    let when = self.t + Duration::minutes(self.rng.random_range(1..4));
                    if when < now() {
                        self.out[idx].deleted = Some(when);
                        self.out[idx].edited = None;
                        self.say(author, "Ой, не в тот чат, извините", Reply::None, (1, 4));
                    }
                }
            }
            Scene::ChairPost => {
                let chair = self.chair;
                let k = self.resident();
                let (e, f, n) = (self.residents[k].entrance, self.residents[k].floor, self.residents[k].flat);
                self.set_place(e, f, n);
                self.staff(chair, CHAIR_POSTS, Reply::None, (0, 0));
                let n = self.rng.random_range(0..=2 + more);
                self.replies(CHAIR_POST_REPLIES, n, chair.unwrap_or(0));
            }
            Scene::Announcement => {
                let dispatcher = self.dispatcher;
                self.staff(dispatcher, ANNOUNCEMENTS, Reply::None, (0, 0));
                let n = self.rng.random_range(0..=2 + more);
                self.replies(ANNOUNCEMENT_REPLIES, n, dispatcher.unwrap_or(0));
                if self.rng.random_bool(0.4) {
                    self.staff(dispatcher, ANNOUNCEMENT_ANSWERS, Reply::Last, (5, 60));
                }
            }
        }
    }

    /// The common shape of an issue: reported, discussed, answered by the dispatcher,
    /// resolved hours later, thanked for.
    fn issue(&mut self, issue: &Issue, more: usize) {
        let opener = self.open(issue.openers);
        let n = self.rng.random_range(1..=3 + more);
        self.replies(issue.replies, n, opener);
        if self.chair.is_some() && !issue.chair.is_empty() && self.rng.random_bool(0.4) {
            let chair = self.chair;
            self.staff(chair, issue.chair, Reply::Maybe(0.6), (5, 40));
        }
        if self.dispatcher.is_some() && !issue.dispatch.is_empty() && self.rng.random_bool(0.85) {
            let dispatcher = self.dispatcher;
            self.staff(dispatcher, issue.dispatch, Reply::Opener, (8, 60));
            let n = self.rng.random_range(0..=1 + more / 2);
            self.replies(issue.replies, n, opener);
            if !issue.fixed.is_empty() {
                self.staff(dispatcher, issue.fixed, Reply::Opener, (60, 360));
                let n = self.rng.random_range(0..=2);
                self.replies(issue.thanks, n, 0);
            }
        }
    }

    fn holiday(&mut self, texts: &[&str]) {
        let k = self.resident();
        let author = self.residents[k].person;
        self.say(author, texts[0], Reply::None, (0, 0));
        let n = self.rng.random_range(3..8);
        let mut replies: Vec<&str> = texts[1..].to_vec();
        replies.extend(HOLIDAY_REPLIES);
        self.replies(&replies, n, author);
    }
}

/// Moves a moment into waking hours, as most chat traffic is.
fn day_time(rng: &mut StdRng, t: NaiveDateTime) -> NaiveDateTime {
    let hour = weighted(
        rng,
        &[
            (7, 6),
            (8, 8),
            (9, 6),
            (10, 5),
            (11, 5),
            (12, 5),
            (13, 5),
            (14, 4),
            (15, 4),
            (16, 5),
            (17, 7),
            (18, 9),
            (19, 10),
            (20, 10),
            (21, 8),
            (22, 5),
            (23, 2),
            (0, 1),
        ],
    );
    t.date().and_hms_opt(hour, rng.random_range(0..60), 0).unwrap_or(t)
}

/// The microdistrict channel: the managing company's posts about outages and works.
fn channel(
    rng: &mut StdRng,
    out: &mut Vec<Draft>,
    community: i64,
    author: i64,
    name: &str,
    houses: &str,
    posts: usize,
) {
    let start = now() - Duration::days(HISTORY_DAYS);
    let span = (now() - start).num_minutes();
    for k in 0..posts {
        let offset = span * k as i64 / posts.max(1) as i64 + rng.random_range(0..span / posts.max(1) as i64);
        let t = start + Duration::minutes(offset);
        let t = t.date().and_hms_opt(rng.random_range(8..18), rng.random_range(0..60), 0).unwrap_or(t);
        if t >= now() {
            continue;
        }
        let d1 = t.date() + Duration::days(rng.random_range(1..5));
        let d2 = d1 + Duration::days(rng.random_range(3..20));
        // Only what fits the season: no snow removal in June.
        let m = t.month();
        let fitting: Vec<&str> = CHANNEL_POSTS
            .iter()
            .filter(|(_, (from, to))| if from <= to { (*from..=*to).contains(&m) } else { m >= *from || m <= *to })
            .map(|(text, _)| *text)
            .collect();
        let text = fitting[(k * 7 + rng.random_range(0..3)) % fitting.len()]
            .replace("{cx}", name)
            .replace("{houses}", houses)
            .replace("{d1}", &dm(d1))
            .replace("{d2}", &dm(d2));
        out.push(Draft { community, at: t, author, body: text, reply_to: None, edited: None, deleted: None });
    }
}

#[derive(Debug, Clone, Copy)]
enum Scene {
    Lift,
    Leak,
    Chute,
    Cleaning,
    Snow,
    HotWater,
    HeatingBill,
    HeatingStart,
    Readings,
    Roof,
    Parking,
    Noise,
    Cat,
    Greeting,
    ChairPost,
    Intercom,
    Advert,
    WrongChat,
    Electricity,
    Yard,
    Basement,
    WaterQuality,
    Question,
    Announcement,
}

/// The texts of one kind of issue.
struct Issue {
    openers: &'static [&'static str],
    replies: &'static [&'static str],
    chair: &'static [&'static str],
    dispatch: &'static [&'static str],
    fixed: &'static [&'static str],
    thanks: &'static [&'static str],
}

const THANKS: &[&str] = &[
    "Рәхмәт!",
    "Спасибо!",
    "Спасибо, работает 👍",
    "Зур рәхмәт!",
    "Наконец-то",
    "Спасибо за оперативность",
    "Рәхмәт, быстро сделали",
    "{Проверил|Проверила} — всё в порядке, спасибо",
];

const LIFT: Issue = Issue {
    openers: &[
        "Лифт {ep} опять не работает 😡",
        "Кто-нибудь знает, что с лифтом {ep}? Стоит с утра",
        "Лифт {ep} не открывает двери на {f} этаже",
        "Соседи, лифт {ep} не едет, кнопка вызова не горит",
        "Опять пешком на {f} этаж... Лифт {ep} стоит",
        "Лифт {ep} застрял между этажами, внутри никого, двери не открываются",
        "В лифте {ep} страшный скрежет, ехать боязно",
    ],
    replies: &[
        "Да, с утра стоит",
        "Вчера вечером тоже не работал",
        "У нас пожилые люди на верхних этажах, как им подниматься?",
        "Я {позвонил|позвонила} в диспетчерскую, сказали передадут в лифтовую службу",
        "Третий раз за месяц!",
        "С коляской вообще никак",
        "Может, кто-то двери держал, вот и сломался",
        "{Подал|Подала} заявку через приложение",
        "Когда уже заменят лифт? Ему почти сорок лет",
        "У нас в подъезде тоже через раз работает",
        "Мама с {f} этажа не может выйти из дома",
        "По капремонту замена лифтов только в 2028 году, я {смотрел|смотрела}",
    ],
    chair: &[
        "{Передал|Передала} в УК, заявка зарегистрирована. Замена лифтов стоит в программе капремонта на 2028–2029 годы",
        "Соседи, пожалуйста, не держите двери лифта при погрузке — это частая причина поломок",
    ],
    dispatch: &[
        "Заявка принята, лифтовая служба будет до {t}",
        "Добрый день! Передали в ООО «Лифтсервис», механик будет до {t}",
        "Принято. Аварийная служба лифтов уже выехала",
        "Здравствуйте! Заявку по лифту {ep} зарегистрировали, срок устранения — сутки",
    ],
    fixed: &[
        "Лифт {ep} запущен. Причина — неисправность дверей кабины",
        "Лифт работает, заменили реле на этаже",
        "Работы выполнены, лифт в работе. Просим не держать двери при посадке",
        "Лифт {ep} в работе: заменён концевой выключатель дверей шахты",
    ],
    thanks: THANKS,
};

const LEAK: Issue = Issue {
    openers: &[
        "Соседи из кв. {up}, нас заливает! Кто дома?",
        "СРОЧНО! Кв. {up}, у вас течёт? У нас с потолка в ванной капает",
        "Течёт по стояку в ванной, кв. {n}. Сверху кто-нибудь дома?",
        "На кухне с потолка капает, кв. {n}. Соседи сверху, проверьте, пожалуйста",
        "В подъезде на {f} этаже лужа, откуда-то течёт",
    ],
    replies: &[
        "Перекройте воду на стояке!",
        "Звоните в аварийку {phone}",
        "Я из кв. {up}, у нас сухо, видимо выше",
        "Мы уехали, ключи у соседки из кв. {n2}",
        "Бегу проверять",
        "У нас тоже мокрое пятно появилось",
        "Фотографируйте всё для акта",
        "Это стояк, не квартира, у нас в прошлом году так же было",
    ],
    chair: &["Пишите заявку как аварийную, срок реагирования — 30 минут. Акт о заливе УК составляет бесплатно"],
    dispatch: &[
        "Аварийная бригада выехала, будет в течение 30 минут",
        "Заявку приняли, аварийная служба в пути. Стояк {ep} на время ремонта перекроем",
        "Принято, аварийная. Слесарь уже едет, обеспечьте доступ в кв. {up}",
    ],
    fixed: &[
        "Течь устранена: прорвало гибкую подводку к смесителю в кв. {up}. Воду на стояке дали",
        "Устранено, заменён участок трубы. Акт о заливе составим завтра в 10:00, будьте дома",
        "Течь устранена, стояк в работе. Пострадавшим квартирам — акт по звонку диспетчеру",
    ],
    thanks: &[
        "Спасибо, что быстро приехали",
        "Теперь потолок перекрашивать...",
        "Акт обязательно берите, пригодится для страховой",
        "Рәхмәт!",
        "Спасибо!",
    ],
};

const CHUTE: Issue = Issue {
    openers: &[
        "Мусоропровод {ep} забит, на площадке вонь",
        "Опять засор мусоропровода {ep}, мусор до {f} этажа",
        "Кто-то выкинул коробки в мусоропровод, теперь засор",
        "Клапан мусоропровода на {f} этаже не открывается, внутри полно",
    ],
    replies: &[
        "Коробки надо нести к бакам!",
        "Подтверждаю, на нашем этаже тоже не открывается",
        "Заявку подали?",
        "Третий раз за месяц, может, заварить его уже",
        "Запах на весь подъезд",
        "Надо объявление повесить, чтобы крупное не кидали",
    ],
    chair: &["Соседи, крупный мусор и строительный — только на контейнерную площадку. В мусоропровод — в пакетах"],
    dispatch: &[
        "Заявка принята, засор устранят в течение двух часов",
        "Мусоропровод {ep} прочистят до {t}",
        "Принято, передали мусоропроводчику",
    ],
    fixed: &[
        "Засор устранён, ствол промыт",
        "Прочистили. Пожалуйста, не выбрасывайте крупный мусор в мусоропровод",
        "Мусоропровод {ep} в работе, камера убрана и продезинфицирована",
    ],
    thanks: THANKS,
};

const CLEANING: Issue = Issue {
    openers: &[
        "Когда последний раз мыли пол {ep}? Грязь",
        "Двор не убирают уже неделю, у подъезда мусор",
        "На площадке {f} этажа второй день лежит разбитая бутылка",
        "Уборщица вообще приходит? Пыль на перилах с палец",
        "Контейнерную площадку не вывозят, мусор вокруг баков",
    ],
    replies: &[
        "По графику влажная уборка по вторникам и пятницам",
        "У нас в подъезде моют, всё нормально",
        "Надо фото прикрепить и в заявку",
        "Вчера {видел|видела}, мыли только до пятого этажа",
        "Платим за содержание каждый месяц, а подъезд грязный",
        "Это после ремонта в кв. {n2}, строительный мусор оставили",
        "Вывоз был сегодня утром, но опять накидали",
    ],
    chair: &[
        "График уборки висит на доске объявлений у лифта. Если пропускают — пишите заявку, приложите фото",
        "{Поговорил|Поговорила} с УК, качество уборки проверят в четверг. Кто может — подходите к 10:00",
    ],
    dispatch: &[
        "Уборка {ep} будет проведена сегодня внепланово, замечание подрядчику сделано",
        "Передали в клининговую службу, сегодня уберут",
        "Спасибо за сигнал, вывоз с контейнерной площадки заказан на {t}",
    ],
    fixed: &["Уборка проведена, фотоотчёт у диспетчера", "Мусор вывезен, площадка убрана"],
    thanks: THANKS,
};

const SNOW: Issue = Issue {
    openers: &[
        "Двор завалило снегом, машину не выехать",
        "Когда будут чистить двор от снега?",
        "С крыши свисают сосульки над входом {ep}, опасно!",
        "Тротуар у дома не посыпан, скользко, бабушка упала",
    ],
    replies: &[
        "Трактор был в соседнем дворе, может и к нам заедет",
        "Дворник с утра чистил только дорожки",
        "Машины стоят, трактору не проехать",
        "Уберите машины вечером, пожалуйста, чтобы трактор прошёл",
        "Первый снег, а уже такое",
        "Детей в школу по сугробам ведём",
    ],
    chair: &["Соседи, машины на ночь — к торцу дома, иначе трактор двор не вычистит"],
    dispatch: &[
        "Механизированная уборка двора запланирована на сегодня с 22:00. Просим убрать автомобили",
        "Очистку кровли от снега и наледи проведём завтра, входы огородим лентой",
        "Дорожки посыпают пескосоляной смесью, бригада уже во дворе",
    ],
    fixed: &["Двор очищен, снег вывезен", "Наледь с козырьков сбита, кровля очищена"],
    thanks: THANKS,
};

const HOT_WATER: Issue = Issue {
    openers: &[
        "Опять нет горячей воды?",
        "Горячую воду отключили? Объявления не {видел|видела}",
        "Сколько ещё без горячей воды сидеть?",
        "Горячей воды нет с утра, это надолго?",
    ],
    replies: &[
        "Плановая опрессовка, с {d1} по {d2}",
        "Объявление на двери подъезда висит",
        "График отключений есть на https://dom.gosuslugi.ru/ в карточке дома",
        "Греем в кастрюлях, как в детстве",
        "Неделя без горячей воды — это перебор",
        "А перерасчёт за период отсутствия ГВС будет?",
        "Хорошо, что хоть не две недели, как раньше",
    ],
    chair: &[
        "Перерасчёт делают автоматически, он будет в квитанции отдельной строкой в разделе перерасчётов",
        "Отключение по графику гидравлических испытаний, с {d1} по {d2}. Следите за уведомлениями",
    ],
    dispatch: &[
        "Плановые гидравлические испытания тепловых сетей с {d1} по {d2}. Перерасчёт будет выполнен в ЕПД за июль",
    ],
    fixed: &[],
    thanks: THANKS,
};

const HEATING_BILL: Issue = Issue {
    openers: &[
        "Почему выросло за отопление? В сентябре не было, а теперь {sum}",
        "Кто-нибудь понимает, откуда за отопление {sum}? Это же грабёж",
        "Пришла квитанция, за отопление намного больше, чем в прошлом году",
        "Почему в квитанции отопление по общедомовому счётчику, а не по нормативу?",
    ],
    replies: &[
        "Отопительный сезон начался, вот и начисляют",
        "У нас по общедомовому счётчику считают, октябрь был холодный",
        "Тариф с 1 октября подняли",
        "Сравните объём в Гкал, а не сумму",
        "В приложении в квитанции есть разбивка по услугам",
        "Можно попросить рассрочку, если платёж вырос больше чем на 25%",
        "У нас {sum}, квартира меньше",
    ],
    chair: &[
        "Разбирали на совете дома: начисление верное, объём по общедомовому прибору. Тариф проиндексирован с 1 октября",
    ],
    dispatch: &[
        "Начисление за отопление — по показаниям общедомового прибора учёта, распределено пропорционально площади. Объём и тариф указаны в разделе 3 квитанции",
        "С 1 октября 2026 г. действует новый тариф на тепловую энергию. Подробнее — в разделе 4 квитанции",
    ],
    fixed: &[],
    thanks: &["Понятно, спасибо", "Спасибо за разъяснение", "Рәхмәт, {разобрался|разобралась}"],
};

const HEATING_START: Issue = Issue {
    openers: &[
        "Когда дадут отопление? Дома +17",
        "В квартире холодно, батареи еле тёплые",
        "У кого уже горячие батареи?",
        "В спальне батарея холодная, в зале тёплая. Это воздух?",
    ],
    replies: &[
        "У нас тёплые с утра",
        "Нужно стравить воздух из батареи",
        "По городу подключают поэтапно, сначала соцобъекты",
        "Обогреватель включили, а потом счёт за свет придёт",
        "В прошлом году дали первого октября",
    ],
    chair: &[],
    dispatch: &[
        "Подача тепла в дом начата, система заполняется, в течение суток батареи прогреются",
        "Если батарея холодная, оставьте заявку — слесарь спустит воздух",
    ],
    fixed: &["Система отопления дома запущена, воздух со стояков спущен"],
    thanks: THANKS,
};

const READINGS: Issue = Issue {
    openers: &[
        "Как передать показания счётчиков?",
        "До какого числа передавать показания воды?",
        "Не получается передать показания в приложении, пишет «вне периода приёма»",
        "{Забыл|Забыла} передать показания в прошлом месяце, что теперь будет?",
        "Кто знает, как передать показания за электричество отдельно?",
    ],
    replies: &[
        "С {wf} по {wt} число каждого месяца",
        "Через Госуслуги: https://www.gosuslugi.ru/ → «Передать показания»",
        "В нашем приложении, раздел «Счётчики»",
        "Если не передать, начислят по среднему, а через три месяца — по нормативу",
        "Вне периода не принимает, ждите {wf} числа",
        "Я фотографирую счётчики и сразу ввожу",
        "Электроэнергию тоже можно в приложении, там день и ночь отдельно",
    ],
    chair: &["Напоминаю: показания принимаются с {wf} по {wt} число. Не забывайте!"],
    dispatch: &[
        "Показания принимаются с {wf} по {wt} число. Если месяц пропущен — объём начисляется по среднему, потом пересчитывается по фактическим показаниям",
    ],
    fixed: &[],
    thanks: &["Спасибо!", "Понятно", "Рәхмәт!"],
};

const ROOF: Issue = Issue {
    openers: &[
        "Когда будет капремонт крыши? На {top} этаже опять течёт",
        "После дождя мокрое пятно на потолке, кв. {n}. Крыша течёт",
        "Говорят, крышу будут ремонтировать, кто знает когда?",
    ],
    replies: &[
        "По региональной программе капремонт кровли в 2027 году",
        "Посмотреть можно на https://dom.gosuslugi.ru/ в паспорте дома, раздел капремонта",
        "Надо общее собрание, чтобы перенести сроки",
        "Мы тоже последний этаж, в углу сыро",
        "Взносы платим с 2014 года, а крышу всё не делают",
    ],
    chair: &[
        "Капремонт кровли по региональной программе — 2027 год. Пока УК делает локальный ремонт над протечками. Если течёт — заявку с фото",
    ],
    dispatch: &["Заявку на локальный ремонт кровли над кв. {n} приняли, кровельщики будут завтра"],
    fixed: &["Локальный ремонт кровли над кв. {n} выполнен"],
    thanks: THANKS,
};

const PARKING: Issue = Issue {
    openers: &[
        "Кто поставил машину у мусорных баков? Мусоровоз не может проехать",
        "Белая Лада {plate}, вы перегородили выезд!",
        "Опять кто-то встал на газон",
        "Давайте сделаем шлагбаум во дворе?",
    ],
    replies: &[
        "Номер {plate}, уберите, пожалуйста",
        "Уже третий раз за неделю",
        "Шлагбаум — за наш счёт же будет",
        "Я за шлагбаум",
        "Надо разметку нанести",
        "Это не наши, из соседнего дома ставят",
        "Скорая в прошлый раз не могла подъехать",
    ],
    chair: &["Вопрос шлагбаума вынесем на общее собрание собственников. Бюллетени разнесём по квартирам"],
    dispatch: &[],
    fixed: &[],
    thanks: &[],
};

const NOISE: Issue = Issue {
    openers: &[
        "Кто сверлит в 22:30?!",
        "Соседи, у кого ремонт? Перфоратор с 8 утра в субботу",
        "Музыка всю ночь {ep}, кв. {up}?",
        "Собака воет целый день, когда хозяев нет дома",
    ],
    replies: &[
        "Шуметь можно до 22:00, потом тишина",
        "Ремонтные работы по закону РТ — в будни с 8 до 19",
        "Извините, это мы, больше не будем",
        "Поддерживаю, ребёнок не спит",
        "Можно вызвать участкового",
        "Потерпите, ремонт скоро закончится",
    ],
    chair: &["Соседи, давайте уважать друг друга: тишина с 22:00 до 7:00, в выходные ремонт — не раньше 10:00"],
    dispatch: &[],
    fixed: &[],
    thanks: &[],
};

const INTERCOM: Issue = Issue {
    openers: &[
        "Домофон {ep} не открывает с ключа",
        "Дверь подъезда не закрывается, доводчик сломан",
        "Стекло в двери подъезда разбито",
        "Домофон не звонит в квартиру, курьер не может попасть",
    ],
    replies: &[
        "Вчера ещё работал",
        "Ключи от домофона делают в офисе УК",
        "{Подал|Подала} заявку",
        "Зимой с открытой дверью весь подъезд выстудим",
        "У нас трубка тоже молчит",
    ],
    chair: &[],
    dispatch: &["Заявка принята, мастер по домофонам будет до {t}", "Доводчик заменим завтра до обеда"],
    fixed: &["Домофон {ep} исправлен", "Доводчик заменён, дверь закрывается", "Стекло в двери заменено"],
    thanks: THANKS,
};

const ELECTRICITY: Issue = Issue {
    openers: &[
        "{ep} не горит свет на лестнице на {f} этаже",
        "Выбило автомат, на площадке нет света",
        "Моргает свет в квартире, у всех так?",
        "В подъезде свет горит круглые сутки, датчик сломался",
    ],
    replies: &[
        "У нас тоже моргает",
        "Лампочку надо поменять, не первый раз",
        "Без света в подъезде страшно вечером",
        "Это на подстанции что-то, у соседнего дома тоже",
    ],
    chair: &[],
    dispatch: &["Электрик будет сегодня до {t}", "Принято, проверим этажный щит"],
    fixed: &[
        "Лампы на лестничной клетке заменены на светодиодные с датчиком движения",
        "Автомат в этажном щите заменён",
    ],
    thanks: THANKS,
};

const YARD: Issue = Issue {
    openers: &[
        "Во дворе поставили новые качели, спасибо!",
        "Когда покрасят скамейки у подъездов?",
        "На детской площадке сломана горка, дети могут пораниться",
        "Кто-то срезал цветы на клумбе 😢",
        "Давайте посадим у подъезда сирень? Могу привезти саженцы",
    ],
    replies: &[
        "Красота!",
        "Я могу помочь в субботу",
        "Субботник бы устроить",
        "Горку давно пора менять",
        "Поддерживаю",
        "Давайте скинемся на краску",
    ],
    chair: &["Субботник в эту субботу в 10:00. Перчатки и мешки выдаст УК"],
    dispatch: &[
        "Горку демонтируем до ремонта, площадку огородим",
        "Покраска малых форм запланирована на следующую неделю",
    ],
    fixed: &[],
    thanks: &[],
};

const BASEMENT: Issue = Issue {
    openers: &["Из подвала комары, спать невозможно", "В подвале вода стоит, поэтому сыро в подъезде"],
    replies: &["Каждое лето одно и то же", "Надо дезинсекцию заказать", "Это из-за течи канализации в подвале"],
    chair: &[],
    dispatch: &["Откачка воды из подвала и дезинсекция запланированы на {d1}"],
    fixed: &["Вода из подвала откачана, течь на лежаке устранена, дезинсекция проведена"],
    thanks: THANKS,
};

const WATER_QUALITY: Issue = Issue {
    openers: &["Из крана ржавая вода, у всех так?", "Холодная вода с запахом", "Напор воды совсем слабый на {f} этаже"],
    replies: &["Да, с утра", "Промывали сети, скоро пройдёт", "У нас нормальная", "Фильтр второй раз за месяц меняю"],
    chair: &[],
    dispatch: &[
        "Водоканал проводил переключения на сетях, вода станет прозрачной в течение нескольких часов. Слейте воду",
    ],
    fixed: &[],
    thanks: &["Спасибо, уже лучше", "Рәхмәт!"],
};

const QUESTION: Issue = Issue {
    openers: &[
        "Кто знает, когда поменяют почтовые ящики?",
        "Подскажите номер участкового",
        "Где в районе сдать батарейки?",
        "Кто-нибудь знает хорошего сантехника?",
        "Кто знает, как оформить льготу на капремонт для пенсионеров?",
        "Кто потерял ключи у подъезда? {Повесил|Повесила} на доску объявлений",
        "Где посмотреть паспорт нашего дома?",
    ],
    replies: &[
        "Номер участкового есть на сайте МВД по РТ",
        "Батарейки принимают в магазине на углу",
        "Пишите в УК, по общему имуществу сантехник бесплатно",
        "Тоже интересно",
        "Компенсация взносов на капремонт — через МФЦ или Госуслуги",
        "Паспорт дома — на https://dom.gosuslugi.ru/",
        "Спасибо, что повесили!",
    ],
    chair: &[],
    dispatch: &[],
    fixed: &[],
    thanks: &[],
};

const GREETING: Issue = Issue {
    openers: &[
        "Хәерле иртә, күршеләр!",
        "Доброе утро, соседи! Какая красота сегодня во дворе",
        "Исәнмесез! Кто знает, аптека на углу работает?",
        "Хәерле кич! Кто-нибудь видел, что за машина МЧС приезжала?",
    ],
    replies: &["И вам доброе!", "Хәерле иртә!", "Рәхмәт!", "Работает до 21:00", "Исәнмесез!", "Доброе!"],
    chair: &[],
    dispatch: &[],
    fixed: &[],
    thanks: &[],
};

const CAT_LOST: &[&str] = &[
    "Потерялась кошка, серая, с белыми лапками, зовут {cat}. Кв. {n}. Кто видел — напишите!",
    "Пропал кот, рыжий, откликается на {cat}, выскочил в подъезд. Кв. {n}",
];
const CAT_REPLIES: &[&str] = &[
    "{Видел|Видела} во дворе у третьего подъезда",
    "Посмотрите в подвале, там часто сидят",
    "{Сделал|Сделала} репост в группу района",
    "Проверьте чердак",
    "Вечером поищем с детьми",
];
const CAT_FOUND: &[&str] = &["Нашлась! Спасибо всем!", "Нашёлся в подвале, спасибо соседям!"];

const ADVERTS: &[&str] = &[
    "Продам детскую коляску, почти новая, недорого. Кв. {n}",
    "Ремонт квартир под ключ, недорого, звоните",
    "Натяжные потолки со скидкой 30%! Пишите в личку",
];
const ADVERT_REMOVED: &[&str] = &[
    "Реклама в чате запрещена, сообщение удалено",
    "Для объявлений есть доска у подъезда. Сообщение {удалил|удалила}, напоминаю правила чата",
];
const WRONG_CHAT: &[&str] = &["Мам, купи хлеба", "Буду через 10 минут, ставь чайник", "Скинь фото документов"];

const CHAIR_POSTS: &[&str] = &[
    "Уважаемые соседи! Напоминаю правила чата: без рекламы и оскорблений, по авариям звоните в диспетчерскую {phone} или подавайте заявку в приложении",
    "Соседи, общее собрание собственников — {d1} в 19:00 во дворе. Повестка: шлагбаум, ремонт подъездов. Бюллетени — у меня, кв. {n}",
    "Собрали подписи за установку новых лавочек, {передал|передала} в УК. Спасибо всем, кто участвовал!",
    "Итоги собрания: за установку шлагбаума — 68% голосов. Протокол передан в УК и в Госжилинспекцию",
    "Отчёт УК за год размещён в ГИС ЖКХ: https://dom.gosuslugi.ru/ — раздел «Отчёты» в карточке дома",
    "Напоминаю: показания счётчиков — с {wf} по {wt} число. Аварийная служба — {phone}, круглосуточно",
    "Совет дома собирается в четверг в 19:00 у первого подъезда. Приходите с вопросами",
];
const CHAIR_POST_REPLIES: &[&str] = &[
    "Спасибо!",
    "Приду",
    "А можно голосовать через Госуслуги?",
    "Рәхмәт, Ильдар Рустамович!",
    "Поддерживаю",
    "Я в отъезде, можно бюллетень в почтовый ящик?",
];

const ANNOUNCEMENTS: &[&str] = &[
    "Уважаемые жители! {d1} с 9:00 до 17:00 будет отключена холодная вода в связи с ремонтом сети. Просим запастись водой",
    "Внимание! {d1} с 10:00 до 14:00 — отключение электроэнергии для ремонта кабеля",
    "{d1} проводится плановая дератизация подвала. Просим не выпускать домашних животных",
    "Уважаемые жители! {d1} — проверка вентиляционных каналов и газового оборудования, просим обеспечить доступ в квартиры с 9:00 до 18:00",
    "Напоминаем: показания счётчиков принимаются с {wf} по {wt} число. Аварийно-диспетчерская служба: {phone}",
];
const ANNOUNCEMENT_REPLIES: &[&str] = &[
    "Опять?",
    "Спасибо, что предупредили",
    "Почему так долго, это же больше 4 часов!",
    "А горячая будет?",
    "Я работаю, можно в другой день?",
];
const ANNOUNCEMENT_ANSWERS: &[&str] = &[
    "Да, горячая вода будет",
    "Позвоните диспетчеру, согласуем удобное время",
    "Срок согласован с Водоканалом, постараемся закончить раньше",
];

/// A holiday: its date, the greeting and what neighbours answer.
type Holiday = ((i32, u32, u32), &'static [&'static str]);

const HOLIDAYS: [Holiday; 5] = [
    ((2026, 5, 27), &["Корбан бәйрәме белән, күршеләр!", "С праздником Курбан-байрам!", "Бәйрәм белән!"]),
    (
        (2026, 6, 20),
        &["Все на Сабантуй? Сабантуй бәйрәме белән!", "В Берёзовой роще уже народ собирается", "Мы с детьми пойдём"],
    ),
    ((2026, 8, 30), &["С Днём Республики Татарстан, соседи!", "Вечером салют на набережной"]),
    (
        (2026, 9, 1),
        &[
            "С Днём знаний! Водители, осторожнее во дворе — дети идут в школу",
            "Первоклашки у нас — целых пять человек из подъезда!",
        ],
    ),
    ((2026, 11, 4), &["С Днём народного единства!", "И вас!"]),
];
const HOLIDAY_REPLIES: &[&str] = &["И вас!", "Бәйрәм белән!", "Рәхмәт, и вас тоже", "🎉", "Спасибо!", "С праздником!"];

/// Channel posts with the months (from, to; wrapping over the new year) they fit.
const CHANNEL_POSTS: &[(&str, (u32, u32))] = &[
    (
        "Уважаемые жители микрорайона «{cx}»! {d1} с 9:00 до 17:00 — отключение холодной воды в домах {houses} в связи с ремонтом водопровода.",
        (1, 12),
    ),
    (
        "Начато благоустройство дворовой территории у домов {houses}: новая детская площадка и освещение. Работы продлятся до {d2}.",
        (5, 10),
    ),
    (
        "Вывоз снега во дворах микрорайона — в ночь на {d1}. Просьба убрать автомобили с внутридворовых проездов.",
        (11, 3),
    ),
    (
        "{d1} с 10:00 до 15:00 — плановое отключение электроэнергии в домах {houses} (замена кабельной линии 10 кВ).",
        (1, 12),
    ),
    ("Голосование по благоустройству бульвара «{cx}» открыто в приложении «Госуслуги.Дом» до {d2}.", (1, 12)),
    ("Промывка систем отопления в домах {houses} — с {d1} по {d2}.", (5, 8)),
    ("Гидравлические испытания тепловых сетей: горячей воды не будет с {d1} по {d2} в домах {houses}.", (5, 8)),
    ("Подача тепла в микрорайон «{cx}» начата {d1}. Если батареи холодные — оставьте заявку диспетчеру.", (9, 10)),
    (
        "Напоминаем: показания счётчиков передаются с 15 по 25 число в приложении или на https://www.gosuslugi.ru/",
        (1, 12),
    ),
    ("Завершён ремонт асфальта на внутриквартальном проезде вдоль домов {houses}.", (5, 10)),
    ("Внимание! Мошенники звонят от имени УК и просят код из СМС. Сотрудники УК никогда не запрашивают коды.", (1, 12)),
    ("Субботник в микрорайоне «{cx}» — {d1} в 10:00. Перчатки и мешки выдаст управляющая компания.", (4, 10)),
];
