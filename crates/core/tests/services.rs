//! A resident's house services from the client. Meter readings: one table of cases, each
//! judged both by the client's offline pre-check and by the server, which must agree on
//! every boundary of every rule; a reading queued offline and delivered exactly once. Notices:
//! now, to come and past by the server's clock, outages judged against the limits.

use std::time::Duration;

use domkom_core::Client;
use domkom_domain::id::DeviceId;
use domkom_domain::wire::Reading;
use domkom_server::store::changelog;
use domkom_testkit::{ApiClient, Persona, Seed, TestClient, TestResult, TestServer, clock_at as at};
use serde_json::json;

/// A data directory on the small seed whose demo flat also has a meter past its
/// verification and one not commissioned: (expired, uncommissioned).
fn prepared(dir: &std::path::Path) -> TestResult<(i64, i64)> {
    let store = domkom_server::open_store(dir, Seed::Small)?;
    Ok(store.with_writer(|c| -> rusqlite::Result<(i64, i64)> {
        let tx = c.transaction()?;
        let (house, premises): (i64, i64) = tx.query_row(
            "SELECT p.house_id, p.id FROM ownerships o JOIN persons s ON s.id = o.person_id \
             JOIN premises p ON p.id = o.premises_id WHERE s.demo_key = 'resident' AND o.until IS NULL LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let add = |serial: &str, commissioned: Option<&str>, verified: &str| -> rusqlite::Result<i64> {
            let id: i64 = tx.query_row(
                "INSERT INTO devices (house_id, premises_id, serial, model, resource, kind, zones, installed_on, \
                 commissioned_on, verified_on, verification_years, seal) \
                 VALUES (?1, ?2, ?3, 'СГВ-15', 'hot_water', 'apartment', 1, '2018-03-01', ?4, ?5, 4, 'П-1') RETURNING id",
                rusqlite::params![house, premises, serial, commissioned, verified],
                |r| r.get(0),
            )?;
            changelog::record(&tx, domkom_domain::wire::ChangeKind::Device, id)?;
            Ok(id)
        };
        let expired = add("ГВС-ПРОСРОЧ", Some("2018-03-05"), "2018-03-05")?;
        let uncommissioned = add("ГВС-НОВЫЙ", None, "2026-11-01")?;
        tx.commit()?;
        Ok((expired, uncommissioned))
    })?)
}

/// The newest reading of the periods before November: what the rules compare with.
async fn october(c: &Client, device: DeviceId) -> TestResult<Reading> {
    let all = c.meters().readings(device).await?;
    Ok(all.into_iter().find(|r| r.period.as_str() < "2026-11").ok_or("no reading before November")?)
}

fn plus(value: &str, by: f64) -> TestResult<String> {
    Ok(format!("{:.3}", value.parse::<f64>()? + by))
}

/// One case of the table.
struct Case {
    what: &'static str,
    /// The moment of both clocks.
    at: &'static str,
    device: DeviceId,
    zones: [Option<String>; 3],
    confirm: bool,
    /// The refusal's code, or None when the reading is taken.
    expect: Option<&'static str>,
}

#[tokio::test]
async fn the_client_and_the_server_give_the_same_verdicts() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (expired, uncommissioned) = prepared(dir.path())?;
    let (expired, uncommissioned) = (DeviceId(expired), DeviceId(uncommissioned));
    let mut server =
        TestServer::start_in(dir, Seed::Small, |c| c.clock = at("2026-11-20T12:00:00+03:00").unwrap_or_default())
            .await?;
    let client = TestClient::signed_in(&server, Persona::Resident).await?;
    let raw: ApiClient = server.api(Persona::Resident).await?;
    let meters = client.meters().list().await?;
    let find = |resource: &str, zones: i64| {
        meters
            .iter()
            .find(|m| {
                m.device.resource.as_str() == resource
                    && m.device.zones == zones
                    && m.device.commissioned_on.is_some()
                    && m.verification_days_left > 0
            })
            .map(|m| m.device.id)
            .ok_or("no such meter")
    };
    let (water, power) = (find("cold_water", 1)?, find("electricity", 2)?);
    let w = october(&client, water).await?;
    let p = october(&client, power).await?;
    let (w1, p1, p2) = (w.t1.clone(), p.t1.clone(), p.t2.clone().ok_or("no T2")?);
    let one = |t1: String| [Some(t1), None, None];
    let two = |t1: String, t2: String| [Some(t1), Some(t2), None];

    let cases = vec![
        Case {
            what: "the day before the window",
            at: "2026-11-14T23:59:00+03:00",
            device: water,
            zones: one(plus(&w1, 1.0)?),
            confirm: false,
            expect: Some("reading_outside_window"),
        },
        Case {
            what: "the window's first day",
            at: "2026-11-15T00:00:30+03:00",
            device: water,
            zones: one(plus(&w1, 1.0)?),
            confirm: false,
            expect: None,
        },
        Case {
            what: "lower than the previous",
            at: "2026-11-20T12:00:00+03:00",
            device: water,
            zones: one(plus(&w1, -0.5)?),
            confirm: false,
            expect: Some("reading_below_previous"),
        },
        Case {
            what: "equal to the previous",
            at: "2026-11-20T12:00:00+03:00",
            device: water,
            zones: one(w1.clone()),
            confirm: false,
            expect: None,
        },
        Case {
            what: "T2 absent on a two-zone meter",
            at: "2026-11-20T12:00:00+03:00",
            device: power,
            zones: one(plus(&p1, 1.0)?),
            confirm: false,
            expect: Some("reading_zone_missing"),
        },
        Case {
            what: "T2 on a one-zone meter",
            at: "2026-11-20T12:00:00+03:00",
            device: water,
            zones: two(plus(&w1, 1.0)?, "1".into()),
            confirm: false,
            expect: Some("reading_zone_forbidden"),
        },
        Case {
            what: "T3 on a two-zone meter",
            at: "2026-11-20T12:00:00+03:00",
            device: power,
            zones: [Some(plus(&p1, 1.0)?), Some(plus(&p2, 1.0)?), Some("1".into())],
            confirm: false,
            expect: Some("reading_zone_forbidden"),
        },
        Case {
            what: "both zones of a two-zone meter",
            at: "2026-11-20T12:00:00+03:00",
            device: power,
            zones: two(plus(&p1, 1.0)?, plus(&p2, 1.0)?),
            confirm: false,
            expect: None,
        },
        Case {
            what: "a ten-fold jump",
            at: "2026-11-20T12:00:00+03:00",
            device: water,
            zones: one(plus(&w1, 1000.0)?),
            confirm: false,
            expect: Some("reading_needs_confirmation"),
        },
        Case {
            what: "the jump confirmed",
            at: "2026-11-20T12:00:00+03:00",
            device: water,
            zones: one(plus(&w1, 1000.0)?),
            confirm: true,
            expect: None,
        },
        Case {
            what: "not a number",
            at: "2026-11-20T12:00:00+03:00",
            device: water,
            zones: one("12,3,4".into()),
            confirm: false,
            expect: Some("reading_malformed"),
        },
        Case {
            what: "eight decimals",
            at: "2026-11-20T12:00:00+03:00",
            device: water,
            zones: one("1.12345678".into()),
            confirm: false,
            expect: Some("reading_too_many_digits"),
        },
        Case {
            what: "an expired verification",
            at: "2026-11-20T12:00:00+03:00",
            device: expired,
            zones: one("5".into()),
            confirm: false,
            expect: Some("reading_verification_expired"),
        },
        Case {
            what: "a meter not commissioned",
            at: "2026-11-20T12:00:00+03:00",
            device: uncommissioned,
            zones: one("5".into()),
            confirm: false,
            expect: Some("reading_not_commissioned"),
        },
        Case {
            what: "the window's last minute in Kazan",
            at: "2026-11-25T23:59:00+03:00",
            device: water,
            zones: one(plus(&w1, 2.0)?),
            confirm: false,
            expect: None,
        },
        Case {
            what: "the day after the window",
            at: "2026-11-26T00:00:30+03:00",
            device: water,
            zones: one(plus(&w1, 2.0)?),
            confirm: false,
            expect: Some("reading_outside_window"),
        },
    ];

    let mut now = "2026-11-20T12:00:00+03:00";
    for (i, case) in cases.iter().enumerate() {
        if case.at != now {
            let clock = at(case.at)?;
            server.restart_with(|c| c.clock = clock).await?;
            now = case.at;
        }
        // The client learns the server's clock from the answers of a sync.
        client.sync(&|_, _| {}).await?;
        let [t1, t2, t3] = &case.zones;
        let t1 = t1.clone().unwrap_or_default();
        let ours = client.meters().check(case.device, &t1, t2.as_deref(), t3.as_deref(), case.confirm).await;
        let ours = ours.err().and_then(|e| e.tagged().code);
        let body = json!({
            "client_key": format!("01930000-0000-7000-8000-{i:012}"),
            "t1": t1, "t2": t2, "t3": t3, "confirm": case.confirm,
        });
        let theirs = raw.post(&format!("/v1/devices/{}/readings", case.device), &body).await?;
        let theirs_code = (theirs.status != 201).then(|| theirs.code().to_owned());
        assert_eq!(ours.as_deref(), case.expect, "{}: the client's verdict", case.what);
        assert_eq!(theirs_code.as_deref(), case.expect, "{}: the server's verdict: {:?}", case.what, theirs.body);
    }
    Ok(())
}

#[tokio::test]
async fn a_reading_made_offline_is_delivered_once() -> TestResult {
    let mut server = TestServer::start_at("2026-11-22T12:00:00+03:00").await?;
    let client = TestClient::open(&server, Duration::from_secs(2)).await?;
    client.login_demo(Persona::Resident.key()).await?;
    client.sync(&|_, _| {}).await?;
    let meters = client.meters().list().await?;
    let water = meters.iter().find(|m| m.device.resource.as_str() == "cold_water").ok_or("no water meter")?;
    assert_eq!((water.today.as_str(), water.days_left), ("2026-11-22", Some(4)), "by the server's clock");
    let device = water.device.id;
    let previous = october(&client, device).await?.t1;
    // The window is open and nothing is in yet: one reminder this month, not two.
    // In the person's language, with the window's last day filled in.
    let english = domkom_core::notify::NotifyWords {
        meters_title: "Meter readings are open".into(),
        meters_body: "Send your readings by day {to}: {count} meter(s) wait.".into(),
        ..Default::default()
    };
    let reminder = client.meters().window_reminder(&english).await?.ok_or("no reminder while the window is open")?;
    assert!(reminder.body.starts_with("Send your readings by day 25: "), "{reminder:?}");
    assert_eq!(client.meters().window_reminder(&Default::default()).await?, None, "shown once a month");

    server.stop().await?;
    // Offline, the rules still answer at once, and a refused reading is not queued.
    let refused = client.meters().submit(device, &plus(&previous, -1.0)?, None, None, false).await;
    assert_eq!(refused.err().and_then(|e| e.tagged().code).as_deref(), Some("reading_below_previous"));
    let value = plus(&previous, 3.25)?;
    let written = client.meters().submit(device, &value, None, None, false).await?;
    assert!(written.waiting.is_some(), "offline, it waits in the outbox");
    assert_eq!(client.outbox().await?.len(), 1, "only the reading that passed the rules waits");

    server.restart().await?;
    client.sync(&|_, _| {}).await?;
    client.sync(&|_, _| {}).await?;
    assert!(client.outbox().await?.is_empty(), "delivered: {:?}", client.outbox().await?);
    let raw = server.api(Persona::Resident).await?;
    let on_server = raw.get(&format!("/v1/devices/{device}/readings")).await?.body;
    let november: Vec<&serde_json::Value> =
        on_server.as_array().into_iter().flatten().filter(|r| r["period"] == "2026-11").collect();
    assert_eq!(november.len(), 1, "taken exactly once: {november:?}");
    assert_eq!(november[0]["t1"].as_str().map(|t| t.parse::<f64>().ok()), Some(value.parse::<f64>().ok()));
    let cached = client.meters().readings(device).await?;
    assert_eq!(cached[0].period, "2026-11", "and it is in the cache");
    Ok(())
}

#[tokio::test]
async fn notices_are_placed_in_time_and_judged_against_the_limits() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let client = TestClient::signed_in(&server, Persona::Resident).await?;
    let house = client.houses().list().await?.first().map(|h| h.id).ok_or("no house")?;
    let notices = client.notices().list(house).await?;
    let find = |title: &str, start: &str| {
        notices
            .iter()
            .find(|n| n.notice.title == title && n.notice.starts_at.as_deref().is_some_and(|s| s.starts_with(start)))
            .ok_or(format!("no «{title}» from {start}: {notices:#?}"))
    };
    use domkom_core::notice::NoticeWhen;
    use domkom_domain::notice::LimitBreach;
    // Today, 9 hours without cold water: over the 4 hours allowed at once.
    let now = find("Отключение холодной воды", "2026-11-24")?;
    assert_eq!(now.when, NoticeWhen::Current);
    let b = now.breach.as_ref().ok_or("today's outage is not flagged")?;
    assert_eq!((b.limit, b.allowed_minutes, b.actual_minutes, b.item), (LimitBreach::Once, 240, 540, 1));
    // Coming: 4 hours without electricity, where 2 are allowed.
    let soon = find("Отключение электроэнергии", "2026-11-27")?;
    assert_eq!(soon.when, NoticeWhen::Upcoming);
    assert_eq!(soon.breach.as_ref().map(|b| (b.limit, b.allowed_minutes)), Some((LimitBreach::Once, 120)));
    // Last month's cold-water outage broke the limit too; the summer's preventive hot-water
    // shutdown did not.
    let october = find("Отключение холодной воды", "2026-10-05")?;
    assert_eq!((october.when, october.breach.as_ref().map(|b| b.actual_minutes)), (NoticeWhen::Past, Some(390)));
    let summer = find("Плановое отключение горячей воды", "2026-07")?;
    assert_eq!((summer.when, &summer.breach), (NoticeWhen::Past, &None));
    // Going on now comes first.
    assert_eq!(notices[0].when, NoticeWhen::Current);
    // The house's capital-repair plan, soonest first.
    let plan = client.notices().repairs(house).await?;
    assert!(!plan.is_empty(), "the small seed plans repairs for every house");
    assert!(plan.windows(2).all(|w| w[0].year_from <= w[1].year_from), "{plan:?}");
    assert!(plan.iter().all(|r| r.house_id == house));
    Ok(())
}

#[tokio::test]
async fn a_dispatchers_outage_posted_offline_reaches_residents_once_and_notifies() -> TestResult {
    use domkom_core::Event;
    use domkom_core::notice::OutageDraft;
    use domkom_domain::notice::OutageType;
    let mut server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let dispatcher = TestClient::open(&server, Duration::from_secs(2)).await?;
    dispatcher.login_demo(Persona::Dispatcher.key()).await?;
    dispatcher.sync(&|_, _| {}).await?;
    let resident = TestClient::signed_in(&server, Persona::Resident).await?;
    let house = resident.houses().list().await?.first().map(|h| h.id).ok_or("no house")?;
    let before = resident.notices().list(house).await?.len();
    let mut events = resident.events();
    let draft = |from: &str, to: &str| OutageDraft {
        houses: vec![house],
        service: "hot_water".into(),
        outage_type: OutageType::Pause,
        starts_at: from.into(),
        ends_at: to.into(),
        reason: "Промывка трубопровода".into(),
    };

    // A resident cannot post; the rules answer offline, before anything is queued.
    let refused = resident.notices().post(draft("2026-11-26T09:00", "2026-11-26T18:00")).await;
    assert_eq!(refused.err().and_then(|e| e.tagged().code).as_deref(), Some("not_dispatcher"));
    server.stop().await?;
    let refused = dispatcher.notices().post(draft("2026-11-26T18:00", "2026-11-26T09:00")).await;
    assert_eq!(refused.err().and_then(|e| e.tagged().code).as_deref(), Some("outage_ends_before_start"));
    // Written in the house's time: 09:00 in Kazan is 06:00 UTC.
    let written = dispatcher.notices().post(draft("2026-11-26T09:00", "2026-11-26T18:00")).await?;
    assert!(written.waiting.is_some(), "offline, it waits in the outbox");
    assert_eq!(dispatcher.outbox().await?.len(), 1);

    server.restart().await?;
    dispatcher.sync(&|_, _| {}).await?;
    dispatcher.sync(&|_, _| {}).await?;
    assert!(dispatcher.outbox().await?.is_empty(), "delivered: {:?}", dispatcher.outbox().await?);
    resident.sync(&|_, _| {}).await?;

    let notices = resident.notices().list(house).await?;
    assert_eq!(notices.len(), before + 1, "posted exactly once");
    let posted = notices.iter().find(|n| n.notice.reason == "Промывка трубопровода").ok_or("not in the notices")?;
    assert_eq!(posted.notice.starts_at.as_deref(), Some("2026-11-26T06:00:00Z"));
    // 9 hours without hot water: over the 4 allowed at once, and said so.
    assert_eq!(posted.breach.as_ref().map(|b| b.allowed_minutes), Some(240));

    // The resident's client is told of it once, with a notification; the chat's message
    // naming it does not notify a second time.
    let mut outage = None;
    let mut message = None;
    while let Ok(Ok(e)) = tokio::time::timeout(Duration::from_millis(200), events.recv()).await {
        match e {
            Event::NewOutage(n) => outage = Some(n),
            Event::NewMessage(m) if m.notice_id.is_some() => message = Some(m),
            _ => {}
        }
    }
    let outage = outage.ok_or("no NewOutage event")?;
    let note = resident.notices().notification_for(&outage).await?.ok_or("no notification")?;
    assert!(
        note.title.starts_with("Отключение горячей воды · ") && note.body == "26.11 09:00 – 26.11 18:00",
        "{note:?}"
    );
    let message = message.ok_or("the chat was not told")?;
    assert_eq!(resident.notification_for(&message, None).await?, None, "one notification, not two");
    let chat = resident.chats().list().await?.first().map(|c| c.community_id).ok_or("no chat")?;
    let told = resident.chats().messages(chat, None, 5).await?;
    assert!(told.iter().any(|m| m.notice_id == Some(outage.notice_id)), "{told:?}");
    Ok(())
}
