//! Outage and information notices: the demo organisation's (current, coming and past, one
//! cold-water outage longer than the 4-hour limit), street-wide outages of the utilities,
//! and those of the complexes' companies.

use chrono::{Datelike, Duration, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Transaction, params};

use super::plan::{DEMO_ORG, Plan};
use super::registry::Registry;
use super::util::{at, between, now, pick, ts, weighted};

struct Notice {
    kind: &'static str,
    outage_type: Option<&'static str>,
    service: Option<i64>,
    title: String,
    reason: String,
    span: Option<(NaiveDateTime, NaiveDateTime)>,
    org: Option<usize>,
    author: Option<i64>,
    created: NaiveDateTime,
    houses: Vec<i64>,
    /// The yearly preventive shutdown of hot water: announced, but no breach.
    preventive: bool,
}

fn outage(
    outage_type: &'static str,
    service: i64,
    title: &str,
    reason: &str,
    span: (NaiveDateTime, NaiveDateTime),
    created: NaiveDateTime,
    houses: Vec<i64>,
) -> Notice {
    Notice {
        kind: "outage",
        outage_type: Some(outage_type),
        service: Some(service),
        title: title.to_owned(),
        reason: reason.to_owned(),
        span: Some(span),
        org: None,
        author: None,
        created,
        houses,
        preventive: false,
    }
}

impl Notice {
    /// Marks the yearly preventive shutdown of hot water.
    fn preventive(mut self) -> Notice {
        self.preventive = true;
        self
    }
}

fn info(title: &str, reason: &str, created: NaiveDateTime, houses: Vec<i64>) -> Notice {
    Notice {
        kind: "info",
        outage_type: None,
        service: None,
        title: title.to_owned(),
        reason: reason.to_owned(),
        span: None,
        org: None,
        author: None,
        created,
        houses,
        preventive: false,
    }
}

/// Writes every notice; returns how many.
pub(super) fn write(tx: &Transaction<'_>, plan: &Plan, reg: &Registry) -> anyhow::Result<i64> {
    let mut rng = StdRng::seed_from_u64(0x6E6F_7469_6365);
    let ids_where = |f: &dyn Fn(usize) -> bool| -> Vec<i64> {
        (0..plan.houses.len()).filter(|&i| f(i)).map(|i| i as i64 + 1).collect()
    };
    let all_demo = ids_where(&|i| plan.houses[i].mgmt.org == Some(DEMO_ORG));
    let dispatch_phone = &plan.orgs[DEMO_ORG].dispatch_phone;

    let mut by_demo = vec![
        outage(
            "pause",
            1,
            "Отключение холодной воды",
            "Замена запорной арматуры на вводе холодного водоснабжения в дом",
            (at(2026, 11, 24, 9, 0), at(2026, 11, 24, 18, 0)),
            at(2026, 11, 21, 15, 20),
            vec![1, 3],
        ),
        outage(
            "pause",
            4,
            "Отключение электроэнергии",
            "Плановый ремонт кабельной линии 0,4 кВ",
            (at(2026, 11, 27, 10, 0), at(2026, 11, 27, 14, 0)),
            at(2026, 11, 22, 11, 0),
            vec![1],
        ),
        outage(
            "limitation",
            1,
            "Пониженное давление холодной воды",
            "Ремонт насосной станции подкачки; на верхних этажах возможен слабый напор",
            (at(2026, 11, 20, 8, 0), at(2026, 11, 30, 20, 0)),
            at(2026, 11, 19, 17, 45),
            vec![3],
        ),
        outage(
            "pause",
            2,
            "Плановое отключение горячей воды",
            "Гидравлические испытания тепловых сетей",
            (at(2026, 7, 12, 8, 0), at(2026, 7, 19, 20, 0)),
            at(2026, 7, 1, 10, 0),
            all_demo.clone(),
        )
        .preventive(),
        outage(
            "pause",
            2,
            "Плановое отключение горячей воды",
            "Гидравлические испытания тепловых сетей",
            (at(2025, 7, 7, 8, 0), at(2025, 7, 14, 20, 0)),
            at(2025, 6, 25, 10, 0),
            all_demo.clone(),
        )
        .preventive(),
        outage(
            "pause",
            1,
            "Отключение холодной воды",
            "Замена задвижки на дворовой сети",
            // Over the 4-hour limit: last month's outage the demo house may claim for.
            (at(2026, 10, 5, 9, 0), at(2026, 10, 5, 15, 30)),
            at(2026, 10, 2, 14, 10),
            vec![1, 2],
        ),
        outage(
            "limitation",
            3,
            "Ограничение водоотведения",
            "Прочистка канализационного выпуска",
            (at(2026, 8, 14, 10, 0), at(2026, 8, 14, 13, 0)),
            at(2026, 8, 13, 16, 0),
            vec![2],
        ),
        outage(
            "pause",
            5,
            "Отключение газа",
            "Техническое обслуживание внутридомового газового оборудования",
            (at(2026, 6, 10, 10, 0), at(2026, 6, 10, 16, 0)),
            at(2026, 6, 3, 9, 30),
            vec![2],
        ),
        outage(
            "pause",
            7,
            "Изменение графика вывоза ТКО",
            "Праздничный день: вывоз перенесён на 5 ноября",
            (at(2026, 11, 4, 0, 0), at(2026, 11, 4, 23, 59)),
            at(2026, 10, 30, 12, 0),
            all_demo.clone(),
        ),
        outage(
            "suspension",
            6,
            "Аварийное отключение отопления",
            "Порыв на внутриквартальной тепловой сети",
            (at(2026, 2, 3, 6, 0), at(2026, 2, 3, 19, 0)),
            at(2026, 2, 3, 6, 20),
            vec![1, 3],
        ),
        info(
            "Изменение графика работы",
            &format!(
                "С 1 декабря 2026 г. офис УК работает: Пн–Пт 8:00–17:00, обед 12:00–13:00; аварийно-диспетчерская служба — круглосуточно, тел. {dispatch_phone}"
            ),
            at(2026, 11, 20, 9, 0),
            all_demo.clone(),
        ),
        info(
            "Начало отопительного сезона 2026–2027",
            "Подача тепла в дома начинается с 29 сентября по графику теплоснабжающей организации. Если батареи холодные — оставьте заявку",
            at(2026, 9, 28, 10, 0),
            all_demo.clone(),
        ),
        info(
            "Капитальный ремонт крыши в 2027 году",
            "Региональный оператор начнёт ремонт крыши в мае 2027 года по региональной программе капитального ремонта",
            at(2026, 11, 10, 11, 0),
            vec![2],
        ),
        info(
            "Общее собрание собственников",
            "Очно-заочное собрание 5–15 декабря: установка шлагбаума, ремонт подъездов. Бюллетени — в приложении и у председателя совета дома (кв. 5)",
            at(2026, 11, 15, 18, 0),
            vec![1],
        ),
        info(
            "Поверка счётчиков воды",
            "Квартирные счётчики воды поверяют раз в 6 лет. С истёкшей поверкой показания не принимаются, начисление — по нормативу",
            at(2026, 10, 20, 10, 0),
            vec![1, 3],
        ),
        info(
            "Замена лифтов по программе капремонта",
            "Замена лифтового оборудования запланирована на 2028–2029 годы; график работ по подъездам сообщим заранее",
            at(2026, 9, 10, 12, 0),
            vec![1, 3],
        ),
    ];
    for n in &mut by_demo {
        n.org = Some(DEMO_ORG);
        n.author = reg.dispatchers[DEMO_ORG];
        n.houses.retain(|&h| h as usize <= plan.houses.len());
    }
    let mut notices = by_demo;

    // The hot-water accident now: the heat network serves the whole street.
    let street = plan.houses[0].street;
    notices.push(outage(
        "suspension",
        2,
        "Отключение горячей воды: авария на тепловой сети",
        "Аварийно-восстановительные работы на магистральной тепловой сети",
        (at(2026, 11, 23, 8, 0), at(2026, 11, 26, 20, 0)),
        at(2026, 11, 23, 8, 30),
        ids_where(&|i| plan.houses[i].street == street),
    ));

    // Utilities' outages along whole streets elsewhere in the city.
    let mut streets: Vec<&str> = Vec::new();
    for h in &plan.houses {
        if !streets.contains(&h.street) {
            streets.push(h.street);
        }
    }
    for _ in 0..plan.street_notices {
        let s = streets[rng.random_range(0..streets.len())];
        let current = rng.random_bool(0.2);
        let start = if current {
            between(&mut rng, now() - Duration::hours(20), now() + Duration::days(3))
        } else {
            between(&mut rng, now() - Duration::days(180), now() - Duration::days(2))
        };
        let start = start.date().and_hms_opt(rng.random_range(8..12), 0, 0).unwrap_or(start);
        let end = start + Duration::hours(rng.random_range(2..10));
        let announced = start.date() - Duration::days(rng.random_range(1..4));
        let created =
            announced.and_hms_opt(rng.random_range(9..18), 0, 0).unwrap_or(start).min(now() - Duration::hours(1));
        // Heating is off anyway outside the heating season.
        let heating_season = !(5..=9).contains(&start.month());
        let service = weighted(&mut rng, &[(1, 5), (2, 3), (4, 2), (if heating_season { 6 } else { 2 }, 1)]);
        let outage_type =
            if service == 6 { "suspension" } else { weighted(&mut rng, &[("pause", 4), ("limitation", 1)]) };
        let limited = outage_type == "limitation";
        let (title, reasons): (&str, &[&str]) = match service {
            1 => (
                if limited {
                    "Ограничение подачи холодной воды"
                } else {
                    "Отключение холодной воды"
                },
                &["Ремонт водопроводной сети", "Замена пожарного гидранта", "Подключение новых абонентов"],
            ),
            2 => (
                if limited {
                    "Ограничение подачи горячей воды"
                } else {
                    "Отключение горячей воды"
                },
                &["Ремонт тепловой сети", "Замена участка трубопровода ГВС"],
            ),
            4 => (
                if limited {
                    "Ограничение подачи электроэнергии"
                } else {
                    "Отключение электроэнергии"
                },
                &["Ремонт трансформаторной подстанции", "Замена кабельной линии"],
            ),
            _ => ("Отключение отопления", &["Порыв на тепловой сети"]),
        };
        let reason = pick(&mut rng, reasons);
        notices.push(outage(
            outage_type,
            service,
            title,
            reason,
            (start, end),
            created,
            ids_where(&|i| plan.houses[i].street == s),
        ));
    }

    // The complexes' companies tell their houses of the same works as their channels.
    for c in &plan.complexes {
        let Some(org) = plan.houses[c.houses[0]].mgmt.org.filter(|&o| o != DEMO_ORG) else { continue };
        let houses: Vec<i64> = c.houses.iter().map(|&i| i as i64 + 1).collect();
        let mut a = outage(
            "pause",
            2,
            "Отключение горячей воды",
            "Промывка внутриквартальных сетей",
            (at(2026, 11, 25, 9, 0), at(2026, 11, 25, 21, 0)),
            at(2026, 11, 22, 10, 0),
            houses.clone(),
        );
        let mut b = info(
            "Благоустройство дворов",
            "Работы по благоустройству дворовых территорий завершены; спасибо за терпение",
            at(2026, 10, 15, 12, 0),
            houses,
        );
        for n in [&mut a, &mut b] {
            n.org = Some(org);
            n.author = reg.dispatchers[org];
        }
        notices.push(a);
        notices.push(b);
    }

    notices.retain(|n| !n.houses.is_empty());
    notices.sort_by_key(|n| n.created);
    let mut notice = tx.prepare_cached(
        "INSERT INTO notices (id, kind, outage_type, service, title, reason, starts_at, ends_at, org_id, author_id, created_at, \
         preventive) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    let mut link = tx.prepare_cached("INSERT INTO notice_houses (notice_id, house_id) VALUES (?1, ?2)")?;
    for (k, n) in notices.iter().enumerate() {
        let id = k as i64 + 1;
        notice.execute(params![
            id,
            n.kind,
            n.outage_type,
            n.service,
            n.title,
            n.reason,
            n.span.map(|s| ts(s.0)),
            n.span.map(|s| ts(s.1)),
            n.org.map(|o| o as i64 + 1),
            n.author,
            ts(n.created),
            n.preventive
        ])?;
        for h in &n.houses {
            link.execute(params![id, h])?;
        }
    }
    Ok(notices.len() as i64)
}
