//! Tickets (заявки) of the story houses with their status histories: the dispatcher accepts,
//! works and closes them, some late; every status appears in the demo house, some tickets
//! are overdue and some are emergencies.

use chrono::{Duration, NaiveDateTime};
use domkom_domain::ticket::{DeadlineRule, FEDERAL_RULES, TicketCategory, TicketStatus, find_rule};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Transaction, params};

use super::demo::demo_id;
use super::names;
use super::plan::{DEMO_HOUSE, HouseSpec, Plan};
use super::registry::{Registry, Resident, oid};
use super::util::{between, now, pick, ts, uuid, weighted};

/// The rule of a seeded ticket, from the one deadline table of the domain.
fn rule(category: &str, emergency: bool) -> DeadlineRule {
    let category = TicketCategory::parse(category).unwrap_or(TicketCategory::Other);
    find_rule(FEDERAL_RULES, category, None, emergency)
        .or_else(|| find_rule(FEDERAL_RULES, category, None, false))
        .map_or(DeadlineRule { minutes: 7200, summer_minutes: None, window: None }, |r| r.rule)
}

/// A kind of ticket a resident files.
struct Template {
    category: &'static str,
    emergency: bool,
    /// About the author's flat (else about common property).
    flat: bool,
    title: &'static str,
    bodies: &'static [&'static str],
    done: &'static [&'static str],
    reject: &'static [&'static str],
}

const TEMPLATES: &[Template] = &[
    Template {
        category: "leak",
        emergency: true,
        flat: true,
        title: "Прорыв трубы в ванной",
        bodies: &[
            "Прорвало трубу ГВС в ванной, вода льётся на пол, перекрыть не получается",
            "Течь из стояка ХВС в туалете, сильный напор, заливаем соседей",
        ],
        done: &["Заменён участок стояка, течь устранена", "Установлен хомут, стояк в работе; замена участка — в плане"],
        reject: &[],
    },
    Template {
        category: "leak",
        emergency: false,
        flat: true,
        title: "Течёт вентиль на стояке",
        bodies: &["Подтекает вентиль на отводе от стояка ХВС на кухне", "Капает из-под отсечного крана ГВС в ванной"],
        done: &["Заменён шаровой кран на отводе от стояка"],
        reject: &["Ремонт внутриквартирной сантехники после отсечного крана выполняется за счёт собственника"],
    },
    Template {
        category: "leak",
        emergency: false,
        flat: true,
        title: "Топят соседи сверху",
        bodies: &["С потолка в ванной капает, соседи сверху не открывают", "Мокрое пятно на потолке в кухне, растёт"],
        done: &["Течь в вышерасположенной квартире устранена, составлен акт о заливе"],
        reject: &[],
    },
    Template {
        category: "lift",
        emergency: false,
        flat: false,
        title: "Не работает лифт",
        bodies: &[
            "Лифт стоит с утра, на вызов не реагирует",
            "Лифт не открывает двери на этаже",
            "Лифт застревает между этажами",
        ],
        done: &["Лифт запущен, заменена плата управления", "Отрегулированы двери кабины, лифт в работе"],
        reject: &[],
    },
    Template {
        category: "garbage_chute",
        emergency: false,
        flat: false,
        title: "Засор мусоропровода",
        bodies: &["Мусоропровод забит до нашего этажа, клапан не открывается", "Засор мусоропровода, запах в подъезде"],
        done: &["Засор устранён, ствол промыт"],
        reject: &[],
    },
    Template {
        category: "cleaning",
        emergency: false,
        flat: false,
        title: "Не убирается подъезд",
        bodies: &["Полы на лестнице не мыли больше недели", "На площадке строительный мусор после ремонта соседей"],
        done: &["Проведена внеплановая уборка, подрядчику выставлена претензия"],
        reject: &["Вывоз строительного мусора — обязанность собственника, проводившего ремонт"],
    },
    Template {
        category: "cleaning",
        emergency: false,
        flat: false,
        title: "Не вывезен мусор с контейнерной площадки",
        bodies: &["Баки переполнены третий день, мусор вокруг площадки"],
        done: &["Мусор вывезен, площадка убрана"],
        reject: &[],
    },
    Template {
        category: "heating",
        emergency: false,
        flat: true,
        title: "Холодная батарея",
        bodies: &["Батарея в спальне холодная, в остальных комнатах тёплые", "Радиатор на кухне еле тёплый"],
        done: &["Спущен воздух из стояка отопления, радиатор прогрет"],
        reject: &[],
    },
    Template {
        category: "heating",
        emergency: true,
        flat: true,
        title: "Течь радиатора отопления",
        bodies: &["Течёт радиатор под окном, подставили таз, вода горячая"],
        done: &["Радиатор отключён и заменён"],
        reject: &[],
    },
    Template {
        category: "electricity",
        emergency: false,
        flat: false,
        title: "Не горит свет на лестничной клетке",
        bodies: &["На нашем этаже не горит свет уже неделю", "Не работает освещение у входа в подъезд"],
        done: &["Лампы заменены на светодиодные с датчиком движения"],
        reject: &[],
    },
    Template {
        category: "electricity",
        emergency: true,
        flat: false,
        title: "Искрит электрощиток на этаже",
        bodies: &["В этажном щите искрит и пахнет гарью"],
        done: &["Заменён автомат и подгоревшие контакты в этажном щите"],
        reject: &[],
    },
    Template {
        category: "sewage",
        emergency: false,
        flat: true,
        title: "Засор канализации",
        bodies: &["Вода в ванной не уходит, на кухне тоже", "Засор канализации, поднимается вода в унитазе"],
        done: &["Прочищен лежак канализации в подвале"],
        reject: &["Засор во внутриквартирной разводке устраняется за счёт собственника"],
    },
    Template {
        category: "sewage",
        emergency: true,
        flat: false,
        title: "Затопление подвала стоками",
        bodies: &["В подвале стоят стоки, запах в подъезде"],
        done: &["Устранён засор выпуска, подвал откачан и продезинфицирован"],
        reject: &[],
    },
    Template {
        category: "roof",
        emergency: false,
        flat: true,
        title: "Протечка кровли",
        bodies: &["После дождя течёт с потолка в комнате, последний этаж"],
        done: &["Выполнен локальный ремонт кровельного покрытия"],
        reject: &[],
    },
    Template {
        category: "door_glass",
        emergency: false,
        flat: false,
        title: "Разбито стекло в подъезде",
        bodies: &["Между 3 и 4 этажом разбито окно, дует"],
        done: &["Стекло заменено"],
        reject: &[],
    },
    Template {
        category: "door_glass",
        emergency: false,
        flat: false,
        title: "Не закрывается входная дверь подъезда",
        bodies: &["Сломан доводчик, дверь стоит открытой"],
        done: &["Заменён доводчик"],
        reject: &[],
    },
    Template {
        category: "other",
        emergency: false,
        flat: false,
        title: "Сломана скамейка у подъезда",
        bodies: &["У скамейки отломана доска, дети могут пораниться"],
        done: &["Скамейка отремонтирована"],
        reject: &[],
    },
    Template {
        category: "other",
        emergency: false,
        flat: true,
        title: "Прошу сделать перерасчёт",
        bodies: &["Прошу пересчитать начисления за ГВС за июль: воды не было неделю"],
        done: &["Перерасчёт выполнен, будет отражён в ЕПД"],
        reject: &["Перерасчёт уже выполнен в ЕПД за июль, см. раздел 6"],
    },
];

/// A ticket before it gets its id.
struct Draft {
    house_id: i64,
    premises: Option<i64>,
    place: &'static str,
    entrance: Option<i32>,
    assignee: Option<i64>,
    author: i64,
    category: &'static str,
    emergency: bool,
    title: &'static str,
    body: &'static str,
    created: NaiveDateTime,
    deadline: NaiveDateTime,
    events: Vec<(TicketStatus, i64, NaiveDateTime, &'static str)>,
    /// Whether the dispatcher comments on it (story tickets, and the recent ones).
    chatty: bool,
}

impl Draft {
    /// A resident's ticket in their house, its executor the trade's of the organisation once
    /// the ticket is taken (the text drawn last, so the random stream keeps its order).
    fn new(
        rng: &mut StdRng,
        (house_id, author): (i64, &Resident),
        t: &'static Template,
        (created, deadline): (NaiveDateTime, NaiveDateTime),
        events: Vec<(TicketStatus, i64, NaiveDateTime, &'static str)>,
        staff: &[(i64, &'static str)],
        chatty: bool,
    ) -> Draft {
        let place = place_of(t);
        Draft {
            house_id,
            premises: t.flat.then_some(author.premises),
            place,
            entrance: (place == "entrance" || place == "lift").then_some(author.entrance),
            assignee: (events.len() > 1).then(|| executor_for(staff, t.category)).flatten(),
            author: author.person,
            category: t.category,
            emergency: t.emergency,
            title: t.title,
            body: pick(rng, t.bodies),
            created,
            deadline,
            events,
            chatty,
        }
    }
}

/// A ticket the demo house must hold: status, template, age, author.
struct Forced {
    status: TicketStatus,
    template: usize,
    hours_ago: i64,
    author: Option<&'static str>,
}

/// The trades of the executors each staffed organisation has, and the categories each works.
const TRADES: &[(&str, &[&str])] = &[
    ("plumber", &["leak", "heating", "sewage"]),
    ("electrician", &["electricity"]),
    ("lift", &["lift"]),
    ("roofer", &["roof"]),
    ("cleaner", &["cleaning", "garbage_chute"]),
    ("general", &["door_glass", "other"]),
];

/// A dispatcher for every organisation that manages a house and has none yet, a member of
/// its houses' chats, and the biggest management company's one signs in as `big-dispatcher`
/// (a separate random stream, so nothing else of the seed shifts). Gives each organisation's
/// dispatcher.
fn dispatchers(tx: &Transaction<'_>, plan: &Plan, reg: &Registry) -> anyhow::Result<Vec<Option<i64>>> {
    let mut out = reg.dispatchers.clone();
    if plan.ticket_rate <= 0.0 {
        return Ok(out);
    }
    let mut rng = StdRng::seed_from_u64(0x6469_7370);
    let mut next: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM persons", [], |r| r.get(0))?;
    let mut person = tx.prepare_cached(
        "INSERT INTO persons (id, oid, full_name, trusted, staff_role, org_id) VALUES (?1, ?2, ?3, 1, 'dispatcher', ?4)",
    )?;
    let mut member = tx.prepare_cached(
        "INSERT OR IGNORE INTO memberships (community_id, person_id, role, joined_at) VALUES (?1, ?2, 'dispatcher', ?3)",
    )?;
    let mut managed = vec![0usize; plan.orgs.len()];
    for h in &plan.houses {
        if let Some(o) = h.mgmt.org {
            managed[o] += 1;
        }
    }
    for (org, count) in managed.iter().enumerate() {
        if *count == 0 || out[org].is_some() {
            continue;
        }
        let name = names::person(&mut rng);
        person.execute(params![next, oid(next), name.full, org as i64 + 1])?;
        out[org] = Some(next);
        next += 1;
    }
    for (i, h) in plan.houses.iter().enumerate() {
        let (Some(o), Some(cid), Some(created)) = (h.mgmt.org, reg.community[i], reg.chat_created[i]) else { continue };
        if let Some(d) = out[o].filter(|d| Some(*d) != reg.dispatchers[o]) {
            member.execute(params![cid, d, ts(created + Duration::minutes(30))])?;
        }
    }
    let biggest =
        (0..plan.orgs.len()).filter(|&o| plan.orgs[o].kind == "uk").max_by_key(|&o| (managed[o], std::cmp::Reverse(o)));
    if let Some(d) = biggest.and_then(|o| out[o]) {
        tx.execute("UPDATE persons SET demo_key = 'big-dispatcher' WHERE id = ?1 AND demo_key IS NULL", [d])?;
    }
    Ok(out)
}

/// The executors of every organisation that has a dispatcher, one per trade, with names of
/// their own (a separate random stream, so nothing else of the seed shifts).
fn executors(tx: &Transaction<'_>, dispatchers: &[Option<i64>]) -> anyhow::Result<Vec<Vec<(i64, &'static str)>>> {
    let mut rng = StdRng::seed_from_u64(0x6578_6563);
    let mut next: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM persons", [], |r| r.get(0))?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO persons (id, oid, full_name, trusted, org_id, trade) VALUES (?1, ?2, ?3, 1, ?4, ?5)",
    )?;
    let mut out = vec![Vec::new(); dispatchers.len()];
    for (org, dispatcher) in dispatchers.iter().enumerate() {
        if dispatcher.is_none() {
            continue;
        }
        for &(trade, _) in TRADES {
            let name = names::person(&mut rng);
            insert.execute(params![next, oid(next), name.full, org as i64 + 1, trade])?;
            out[org].push((next, trade));
            next += 1;
        }
    }
    Ok(out)
}

/// The executor of an organisation whose trade works a category.
fn executor_for(staff: &[(i64, &'static str)], category: &str) -> Option<i64> {
    let trade = TRADES.iter().find(|(_, cats)| cats.contains(&category)).map_or("general", |t| t.0);
    staff.iter().find(|s| s.1 == trade).map(|s| s.0)
}

/// Where in the house a template's ticket is.
fn place_of(t: &Template) -> &'static str {
    match t.category {
        _ if t.flat => "flat",
        "lift" => "lift",
        "roof" => "roof",
        "garbage_chute" | "cleaning" | "door_glass" | "electricity" => "entrance",
        "other" => "yard",
        _ => "basement",
    }
}

/// Writes the tickets of every story house; returns how many.
pub(super) fn write(tx: &Transaction<'_>, plan: &Plan, reg: &Registry) -> anyhow::Result<i64> {
    let dispatchers = dispatchers(tx, plan, reg)?;
    let staff = executors(tx, &dispatchers)?;
    let mut rng = StdRng::seed_from_u64(0x7469_636B);
    let mut drafts = Vec::new();
    for story in plan.stories.iter().filter(|s| s.tickets > 0) {
        let h = &plan.houses[story.house];
        let Some(dispatcher) = h.mgmt.org.and_then(|o| dispatchers[o]) else { continue };
        let residents: Vec<&Resident> = reg.residents[story.house].iter().filter(|r| r.trusted).collect();
        if residents.is_empty() {
            continue;
        }
        let house_id = story.house as i64 + 1;
        let forced: &[Forced] = if story.house == DEMO_HOUSE { DEMO_TICKETS } else { &[] };
        for k in 0..story.tickets.max(forced.len()) {
            let f = forced.get(k);
            let template = f.map_or_else(|| choose(&mut rng, h), |f| f.template);
            let t = &TEMPLATES[template];
            let author = match f.and_then(|f| f.author) {
                Some(key) => residents.iter().find(|r| r.person == demo_id(key)).copied(),
                None => None,
            }
            .unwrap_or_else(|| residents[rng.random_range(0..residents.len())]);
            let created = match f {
                Some(f) => now() - Duration::hours(f.hours_ago) - Duration::minutes(rng.random_range(0..50)),
                None => {
                    let recent = rng.random_bool(0.3);
                    let from = if recent { now() - Duration::days(7) } else { now() - Duration::days(180) };
                    between(&mut rng, from, now() - Duration::minutes(10))
                }
            };
            let deadline = rule(t.category, t.emergency).deadline(created);
            let target = f.map_or_else(|| target_status(&mut rng, created), |f| f.status);
            let events = history(&mut rng, t, target, created, deadline, author.person, dispatcher);
            let staff = h.mgmt.org.map_or(&[][..], |o| &staff[o][..]);
            drafts.push(Draft::new(&mut rng, (house_id, author), t, (created, deadline), events, staff, true));
        }
    }
    history_of_every_house(&mut drafts, plan, reg, &dispatchers, &staff);
    drafts.sort_by_key(|d| d.created);
    let mut ticket = tx.prepare_cached(
        "INSERT INTO tickets (id, house_id, premises_id, author_id, category, emergency, title, body, status, \
         created_at, deadline_at, updated_at, place, entrance, assignee_id, closed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, iif(?16, ?12, NULL))",
    )?;
    let mut event = tx.prepare_cached(
        "INSERT INTO ticket_events (ticket_id, status, actor_id, at, note) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (k, d) in drafts.iter().enumerate() {
        let id = k as i64 + 1;
        let (status, _, updated, _) = d.events.last().map_or((TicketStatus::New, 0, d.created, ""), |e| *e);
        ticket.execute(params![
            id,
            d.house_id,
            d.premises,
            d.author,
            d.category,
            d.emergency,
            d.title,
            d.body,
            status.as_str(),
            ts(d.created),
            ts(d.deadline),
            ts(updated),
            d.place,
            d.entrance,
            d.assignee,
            status.is_closed()
        ])?;
        for (s, actor, at, note) in &d.events {
            event.execute(params![id, s.as_str(), actor, ts(*at), note])?;
        }
    }
    comments(tx, &drafts)?;
    Ok(drafts.len() as i64)
}

/// Two years of tickets for every managed house without a story, about `plan.ticket_rate` a
/// flat a year (its own random stream): mostly closed, the last weeks' still in the queue,
/// some of them overdue.
fn history_of_every_house(
    drafts: &mut Vec<Draft>,
    plan: &Plan,
    reg: &Registry,
    dispatchers: &[Option<i64>],
    staff: &[Vec<(i64, &'static str)>],
) {
    if plan.ticket_rate <= 0.0 {
        return;
    }
    let mut rng = StdRng::seed_from_u64(0x6275_6C6B);
    let mut storied = vec![false; plan.houses.len()];
    for s in &plan.stories {
        storied[s.house] = true;
    }
    let start = now() - Duration::days(730);
    for (i, h) in plan.houses.iter().enumerate() {
        let Some(org) = h.mgmt.org else { continue };
        let Some(dispatcher) = dispatchers[org] else { continue };
        if storied[i] {
            continue;
        }
        let residents: Vec<&Resident> = reg.residents[i].iter().filter(|r| r.trusted).collect();
        if residents.is_empty() {
            continue;
        }
        let expected = plan.ticket_rate * 2.0 * f64::from(h.flats());
        let count = (expected * rng.random_range(0.7..1.3)).round() as usize;
        for _ in 0..count {
            let t = &TEMPLATES[choose(&mut rng, h)];
            let author = residents[rng.random_range(0..residents.len())];
            let created = between(&mut rng, start, now() - Duration::minutes(10));
            let deadline = rule(t.category, t.emergency).deadline(created);
            let target = target_status(&mut rng, created);
            let events = history(&mut rng, t, target, created, deadline, author.person, dispatcher);
            let chatty = now() - created < Duration::days(60);
            let when = (created, deadline);
            drafts.push(Draft::new(&mut rng, (i as i64 + 1, author), t, when, events, &staff[org], chatty));
        }
    }
}

/// What a dispatcher tells the author of a ticket being worked, and notes for colleagues only.
const PUBLIC_NOTES: &[&str] = &[
    "Заявку приняли, мастер придёт в течение дня.",
    "Мастер назначен, перед визитом позвонит.",
    "Нужен доступ в подвал: будьте, пожалуйста, дома с 10 до 12.",
    "Работы выполнены, проверьте, пожалуйста.",
];
const INTERNAL_NOTES: &[&str] = &[
    "Запчасть на складе, выдать мастеру утром.",
    "Повторная заявка по этому адресу: проверить стояк целиком.",
    "Жилец конфликтный, визит согласовать заранее.",
    "Подрядчик задерживает, эскалировал инженеру.",
];

/// A public comment from the dispatcher on tickets taken into work, and an internal note on
/// some (its own random stream, so nothing else of the seed shifts).
fn comments(tx: &Transaction<'_>, drafts: &[Draft]) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(0x636F_6D6D);
    let mut insert = tx.prepare_cached(
        "INSERT INTO ticket_comments (ticket_id, author_id, internal, body, created_at, client_key) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut n = 0u64;
    for (k, d) in drafts.iter().enumerate() {
        if !d.chatty {
            continue;
        }
        let Some((_, actor, at, _)) = d.events.get(1).filter(|e| e.1 != d.author) else { continue };
        let id = k as i64 + 1;
        let at = *at + Duration::minutes(rng.random_range(1..30));
        for (internal, notes) in [(false, PUBLIC_NOTES), (true, INTERNAL_NOTES)] {
            if rng.random_bool(if internal { 0.4 } else { 0.7 }) {
                n += 1;
                insert.execute(params![id, actor, internal, pick(&mut rng, notes), ts(at), uuid(0x636F_6D6D, n)])?;
            }
        }
    }
    Ok(())
}

/// The demo house holds every status, overdue tickets and emergencies, some by the demo resident.
const DEMO_TICKETS: &[Forced] = &[
    Forced { status: TicketStatus::New, template: 14, hours_ago: 2, author: Some("resident") },
    Forced { status: TicketStatus::InWork, template: 3, hours_ago: 50, author: Some("resident") },
    Forced { status: TicketStatus::Done, template: 7, hours_ago: 24 * 40, author: Some("resident") },
    Forced { status: TicketStatus::Accepted, template: 5, hours_ago: 24 * 5, author: None },
    Forced { status: TicketStatus::Accepted, template: 9, hours_ago: 20, author: None },
    Forced { status: TicketStatus::Rejected, template: 1, hours_ago: 24 * 20, author: None },
    Forced { status: TicketStatus::Withdrawn, template: 16, hours_ago: 24 * 9, author: Some("multi-owner") },
    Forced { status: TicketStatus::Done, template: 0, hours_ago: 24 * 12, author: None },
    Forced { status: TicketStatus::InWork, template: 8, hours_ago: 1, author: None },
    Forced { status: TicketStatus::Done, template: 4, hours_ago: 24 * 3, author: Some("chair") },
];

fn choose(rng: &mut StdRng, h: &HouseSpec) -> usize {
    loop {
        let k = rng.random_range(0..TEMPLATES.len());
        let c = TEMPLATES[k].category;
        if (c == "lift" && h.lifts == 0) || (c == "garbage_chute" && !h.has_chute()) {
            continue;
        }
        // Emergencies are rarer than everyday troubles.
        if TEMPLATES[k].emergency && rng.random_bool(0.6) {
            continue;
        }
        return k;
    }
}

/// Older tickets are mostly closed; fresh ones are still in the queue.
fn target_status(rng: &mut StdRng, created: NaiveDateTime) -> TicketStatus {
    let age = now() - created;
    let table: &[(TicketStatus, u32)] = if age > Duration::days(30) {
        &[
            (TicketStatus::Done, 880),
            (TicketStatus::Rejected, 60),
            (TicketStatus::Withdrawn, 55),
            (TicketStatus::InWork, 3),
            (TicketStatus::Accepted, 2),
        ]
    } else if age > Duration::days(7) {
        &[
            (TicketStatus::Done, 82),
            (TicketStatus::Rejected, 8),
            (TicketStatus::Withdrawn, 7),
            (TicketStatus::InWork, 2),
            (TicketStatus::Accepted, 1),
        ]
    } else if age > Duration::days(1) {
        &[
            (TicketStatus::Done, 65),
            (TicketStatus::InWork, 12),
            (TicketStatus::Accepted, 6),
            (TicketStatus::Rejected, 6),
            (TicketStatus::Withdrawn, 6),
            (TicketStatus::New, 5),
        ]
    } else {
        &[
            (TicketStatus::New, 35),
            (TicketStatus::Accepted, 30),
            (TicketStatus::InWork, 20),
            (TicketStatus::Done, 10),
            (TicketStatus::Withdrawn, 5),
        ]
    };
    weighted(rng, table)
}

/// The events leading to `target`, cut at "now" (a ticket cannot be ahead of the clock).
fn history(
    rng: &mut StdRng,
    t: &Template,
    target: TicketStatus,
    created: NaiveDateTime,
    deadline: NaiveDateTime,
    author: i64,
    dispatcher: i64,
) -> Vec<(TicketStatus, i64, NaiveDateTime, &'static str)> {
    let mut events = vec![(TicketStatus::New, author, created, "Заявка подана через приложение")];
    let quick = t.emergency;
    let mut at = created;
    let step = |rng: &mut StdRng, at: &mut NaiveDateTime, lo: i64, hi: i64| {
        *at += Duration::minutes(rng.random_range(lo..=hi));
        *at
    };
    let accept_notes =
        ["Заявка принята, передана мастеру", "Принято в работу диспетчером", "Принято, мастер свяжется с вами"];
    let path: &[TicketStatus] = match target {
        TicketStatus::New => &[],
        TicketStatus::Accepted => &[TicketStatus::Accepted],
        TicketStatus::InWork => &[TicketStatus::Accepted, TicketStatus::InWork],
        TicketStatus::Done => &[TicketStatus::Accepted, TicketStatus::InWork, TicketStatus::Done],
        TicketStatus::Rejected => &[TicketStatus::Rejected],
        TicketStatus::Withdrawn => &[TicketStatus::Accepted, TicketStatus::Withdrawn],
    };
    for &s in path {
        let (when, actor, note) = match s {
            TicketStatus::Accepted => {
                let w = if quick { step(rng, &mut at, 2, 10) } else { step(rng, &mut at, 5, 90) };
                (w, dispatcher, pick(rng, &accept_notes))
            }
            TicketStatus::InWork => {
                let w = if quick { step(rng, &mut at, 5, 15) } else { step(rng, &mut at, 30, 600) };
                let note = if quick {
                    "Аварийная бригада на месте"
                } else {
                    "Мастер приступил к работам"
                };
                (w, dispatcher, note)
            }
            TicketStatus::Done => {
                // Most are done in time, some late.
                let left = (deadline - at).num_minutes().max(20);
                let w = if rng.random_bool(0.85) {
                    step(rng, &mut at, 10, left)
                } else {
                    step(rng, &mut at, left, left * 2 + 60)
                };
                (w, dispatcher, pick(rng, t.done))
            }
            TicketStatus::Rejected => {
                let note = if t.reject.is_empty() {
                    "Отклонено: дубль заявки, работы уже выполняются по другой заявке"
                } else {
                    pick(rng, t.reject)
                };
                (step(rng, &mut at, 20, 240), dispatcher, note)
            }
            TicketStatus::Withdrawn => {
                let note =
                    pick(rng, &["Отозвана: проблема решилась сама", "Отозвана: подана по ошибке", "Отозвана автором"]);
                (step(rng, &mut at, 30, 600), author, note)
            }
            TicketStatus::New => continue,
        };
        if when >= now() - Duration::minutes(1) {
            break;
        }
        events.push((s, actor, when, note));
    }
    events
}
