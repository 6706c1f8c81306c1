//! Tickets from the client, against the real backend and keyring: one filed offline shows
//! its deadline at once and is delivered exactly once; a dispatcher's cache holds the
//! internal comments and a resident's never does; the desk's queue filters, counts and finds
//! words in any case; its export holds every row of the filter in the person's words, and its
//! report adds up; "me too" offers the house's open tickets; an emergency is told to the
//! dispatcher. A photo is stripped of its place before it is kept, waits offline with its
//! ticket, goes up from where a cut upload stopped, and shows offline once seen.

use std::time::Duration;

use domkom_core::Event;
use domkom_core::cache::{Access, Cache};
use domkom_core::ticket::{
    AssigneeFilter, EXPORT_COLUMNS, ExportFormat, ReportBy, ReportQuery, TicketDraft, TicketQuery,
};
use domkom_domain::id::HouseId;
use domkom_domain::ticket::{TicketCategory, TicketPlace, TicketStatus};
use domkom_testkit::{PHOTO_PLACE_MARKER, Persona, TestClient, TestResult, TestServer, phone_photo};

const DEMO_HOUSE: HouseId = HouseId(1);

fn chute(text: &str) -> TicketDraft {
    TicketDraft {
        house_id: DEMO_HOUSE,
        category: TicketCategory::GarbageChute,
        problem: None,
        emergency: false,
        place: TicketPlace::Entrance,
        entrance: Some(1),
        floor: None,
        body: text.to_owned(),
        message_id: None,
        photos: Vec::new(),
    }
}

#[tokio::test]
async fn a_ticket_filed_offline_shows_its_deadline_and_is_delivered_once() -> TestResult {
    let mut server = TestServer::start_at("2026-11-24T22:30:00+03:00").await?;
    let client = TestClient::open(&server, Duration::from_secs(2)).await?;
    client.login_demo(Persona::Resident.key()).await?;
    client.sync(&|_, _| {}).await?;
    let before = client.tickets().list(Some(DEMO_HOUSE)).await?.len();

    server.stop().await?;
    // Offline, the rules answer at once: a bad place is refused and nothing is queued.
    let mut bad = chute("Засор");
    bad.entrance = Some(99);
    let refused = client.tickets().file(bad).await;
    assert_eq!(refused.err().and_then(|e| e.tagged().code).as_deref(), Some("ticket_place_invalid"));
    let written = client.tickets().file(chute("Засор мусоропровода, не проходит мусор")).await?;
    assert!(written.waiting.is_some(), "offline, it waits in the outbox");
    let pending = client.tickets().pending().await?;
    assert_eq!(pending.len(), 1);
    // 22:30 in Kazan: the chute's deadline is 09:30 next morning, shown before delivery.
    assert_eq!(pending[0].deadline_at, "2026-11-25T06:30:00Z");

    server.restart().await?;
    client.sync(&|_, _| {}).await?;
    client.sync(&|_, _| {}).await?;
    assert!(client.tickets().pending().await?.is_empty(), "delivered");
    let after = client.tickets().list(Some(DEMO_HOUSE)).await?;
    assert_eq!(after.len(), before + 1, "exactly one ticket");
    let mine = client.tickets().by_key(&written.client_key).await?.ok_or("the filed ticket is cached")?;
    assert_eq!((mine.deadline_at.as_str(), mine.status), ("2026-11-25T06:30:00Z", TicketStatus::New));
    let view = after.iter().find(|v| v.ticket.id == mine.id).ok_or("listed")?;
    assert!(view.mine && view.moves.iter().any(|m| m.to == TicketStatus::Withdrawn));
    assert!(!view.moves.iter().any(|m| m.to == TicketStatus::Accepted), "a resident does not accept");
    let server_side =
        server.api(Persona::Resident).await?.get(&format!("/v1/houses/{DEMO_HOUSE}/tickets?limit=1000")).await?;
    let count = server_side.body.as_array().map_or(0, |l| l.iter().filter(|t| t["body"] == mine.body).count());
    assert_eq!(count, 1, "the server holds it once");
    Ok(())
}

#[tokio::test]
async fn internal_comments_reach_a_dispatchers_cache_and_never_a_residents() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = TestClient::signed_in(&server, Persona::Resident).await?;
    let dispatcher = TestClient::signed_in(&server, Persona::Dispatcher).await?;
    let written = resident.tickets().file(chute("Засор мусоропровода")).await?;
    let id = resident.tickets().by_key(&written.client_key).await?.ok_or("filed")?.id;
    dispatcher.sync(&|_, _| {}).await?;

    let internal = dispatcher.tickets().comment(id, "Ключи у старшей по подъезду", true).await;
    assert!(internal.is_ok_and(|w| w.waiting.is_none()), "the dispatcher's internal comment is sent");
    dispatcher.tickets().comment(id, "Мастер придёт до 14:00", false).await?;
    let refused = resident.tickets().comment(id, "Секрет", true).await;
    assert_eq!(refused.err().and_then(|e| e.tagged().code).as_deref(), Some("comment_internal_forbidden"));
    resident.sync(&|_, _| {}).await?;
    dispatcher.sync(&|_, _| {}).await?;

    let theirs = resident.tickets().show(id).await?.comments;
    assert_eq!(theirs.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), ["Мастер придёт до 14:00"]);
    // Read the cache files themselves, as anyone with the disk and the key could.
    let internal_rows = |c: &TestClient| -> TestResult<i64> {
        let path = domkom_core::cache_path(c.dir.path());
        let (cache, _) = Cache::open(&path, c.keyring.keyring.as_ref(), Access::ReadOnly)?;
        Ok(cache.read(|db| {
            Ok(db.query_row("SELECT count(*) FROM ticket_comments WHERE internal = 1", [], |r| r.get(0))?)
        })?)
    };
    assert_eq!(internal_rows(&resident)?, 0, "no internal comment in a resident's cache, seeded or new");
    assert!(internal_rows(&dispatcher)? > 1, "the dispatcher's cache holds the seeded ones and the new one");
    let staff = dispatcher.tickets().show(id).await?;
    assert_eq!(staff.comments.len(), 2);
    assert!(staff.view.staff && staff.view.moves.iter().any(|m| m.to == TicketStatus::Accepted));
    Ok(())
}

#[tokio::test]
async fn the_desk_filters_counts_and_finds_words_in_any_case() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let dispatcher = TestClient::signed_in(&server, Persona::Dispatcher).await?;
    let tickets = dispatcher.tickets();
    let all = tickets.queue(TicketQuery::default()).await?;
    assert!(all.total > 20, "the seeded queue: {}", all.total);
    let counted: u32 = all.counts.iter().map(|c| c.count).sum();
    assert_eq!(counted, all.total, "the counts per status add up");

    // Open tickets come first: emergencies no one has taken, then those being worked, then the
    // rest, each soonest deadline first; overdue ones stand out.
    let open: Vec<_> = all.rows.iter().take_while(|r| !r.status.is_closed()).collect();
    let group = |r: &domkom_core::ticket::QueueRow| match (r.emergency, r.status) {
        (true, TicketStatus::New) => 0,
        (true, _) => 1,
        _ => 2,
    };
    let order =
        |r: &&domkom_core::ticket::QueueRow| (group(r), chrono::DateTime::parse_from_rfc3339(&r.deadline_at).ok());
    assert!(open.windows(2).all(|w| order(&w[0]) <= order(&w[1])), "sorted: emergencies, then by deadline");
    assert!(open.iter().any(|r| r.overdue), "the seed has overdue tickets");
    let overdue = tickets.queue(TicketQuery { overdue: true, ..TicketQuery::default() }).await?;
    assert_eq!(overdue.total, all.overdue);
    assert!(overdue.rows.iter().all(|r| r.overdue && !r.status.is_closed()));

    let only_new = tickets.queue(TicketQuery { statuses: vec![TicketStatus::New], ..TicketQuery::default() }).await?;
    assert!(only_new.rows.iter().all(|r| r.status == TicketStatus::New));
    assert_eq!(only_new.counts, all.counts, "the counts ignore the status filter");
    let unassigned =
        tickets.queue(TicketQuery { assignee: Some(AssigneeFilter::Nobody), ..TicketQuery::default() }).await?;
    assert!(unassigned.rows.iter().all(|r| r.assignee_name.is_none()));
    assert!(unassigned.total < all.total, "some seeded tickets have executors");

    // Words in any case, as prefixes; a word found nowhere finds nothing.
    let title = all.rows[0].title.clone();
    let word = title.split_whitespace().find(|w| w.chars().count() > 4).ok_or("a long word")?.to_uppercase();
    let found = tickets.queue(TicketQuery { text: Some(word.clone()), ..TicketQuery::default() }).await?;
    assert!(found.rows.iter().any(|r| r.id == all.rows[0].id), "«{word}» finds «{title}»");
    let none = tickets.queue(TicketQuery { text: Some("ъъъщщщ".into()), ..TicketQuery::default() }).await?;
    assert_eq!(none.total, 0);
    // Pages of the same filter do not overlap.
    let first = tickets.queue(TicketQuery { limit: 10, ..TicketQuery::default() }).await?;
    let second = tickets.queue(TicketQuery { limit: 10, offset: 10, ..TicketQuery::default() }).await?;
    assert!(first.rows.iter().all(|a| second.rows.iter().all(|b| a.id != b.id)));
    Ok(())
}

#[tokio::test]
async fn the_export_holds_the_filtered_queue_and_the_report_adds_up() -> TestResult {
    use calamine::{Data, Reader};
    let mut server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let dispatcher = TestClient::signed_in(&server, Persona::Dispatcher).await?;
    // A ticket filed through the API carries times in UTC.
    let resident = TestClient::signed_in(&server, Persona::Resident).await?;
    resident.tickets().file(chute("Засор мусоропровода, седьмой этаж")).await?;
    dispatcher.sync(&|_, _| {}).await?;
    server.stop().await?;
    // Offline: the desk's files come from the cache.
    let tickets = dispatcher.tickets();
    let query = TicketQuery { statuses: vec![TicketStatus::Done, TicketStatus::InWork], ..TicketQuery::default() };
    let page = tickets.queue(query.clone()).await?;
    assert!(page.total > 5, "a filter with rows: {}", page.total);

    let words = Default::default();
    let csv = tickets.export(query.clone(), ExportFormat::Csv, &words).await?;
    let mut reader = csv::Reader::from_reader(csv.bytes.as_slice());
    assert_eq!(reader.headers()?.iter().collect::<Vec<_>>(), EXPORT_COLUMNS.to_vec(), "the columns, in order");
    let records = reader.records().collect::<Result<Vec<_>, _>>()?;
    assert_eq!((records.len(), csv.rows), (page.total as usize, page.total), "every ticket of the filter");
    assert!(records.iter().all(|r| ["done", "in_work"].contains(&&r[4])), "only the filter's statuses");
    let first = &records[0];
    assert_eq!(first[0], page.rows[0].id.to_string(), "in the queue's order");

    // The workbook speaks the person's language: Russian unless told otherwise.
    let book = tickets.export(query.clone(), ExportFormat::Xlsx, &words).await?;
    let mut xlsx = calamine::Xlsx::new(std::io::Cursor::new(book.bytes))?;
    let sheet = xlsx.worksheet_range("Заявки")?;
    assert_eq!(sheet.height(), page.total as usize + 1, "a header and a row per ticket");
    assert_eq!(sheet.width(), EXPORT_COLUMNS.len());
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("№".into())));
    assert_eq!(sheet.get((0, 9)), Some(&Data::String("Срок".into())));
    assert_eq!(sheet.get((1, 0)), Some(&Data::Float(page.rows[0].id.get() as f64)));
    let status = sheet.get((1, 4)).map(|d| d.to_string()).unwrap_or_default();
    assert!(["Выполнена", "В работе"].contains(&status.as_str()), "a status in words: {status}");
    assert!(matches!(sheet.get((1, 9)), Some(Data::DateTime(_))), "the deadline is a date: {:?}", sheet.get((1, 9)));
    // Times are on the house's clock: filed at noon in Kazan (09:00 UTC), due at 14:00.
    let fresh = TicketQuery { text: Some("седьмой".into()), ..TicketQuery::default() };
    let book = tickets.export(fresh, ExportFormat::Xlsx, &words).await?;
    let sheet = calamine::Xlsx::new(std::io::Cursor::new(book.bytes))?.worksheet_range("Заявки")?;
    let hour = |col: usize| match sheet.get((1, col)) {
        Some(Data::DateTime(t)) => t.as_f64().fract() * 24.0,
        _ => f64::NAN,
    };
    assert!((hour(8) - 12.0).abs() < 0.05 && (hour(9) - 14.0).abs() < 0.05, "{} and {}", hour(8), hour(9));
    let english = [("sheet", "Tickets"), ("col.id", "No."), ("status.done", "Done"), ("status.in_work", "In progress")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let book = tickets.export(query, ExportFormat::Xlsx, &english).await?;
    let mut xlsx = calamine::Xlsx::new(std::io::Cursor::new(book.bytes))?;
    let sheet = xlsx.worksheet_range("Tickets")?;
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("No.".into())));
    assert!(["Done", "In progress"].contains(&sheet.get((1, 4)).map(|d| d.to_string()).unwrap_or_default().as_str()));

    // The report over the last month: its lines add up to its total, which agrees with the
    // queue's period filter.
    let month =
        ReportQuery { from: Some("2026-10-25".into()), to: Some("2026-11-24".into()), ..ReportQuery::default() };
    let report = tickets.report(month.clone(), ReportBy::Category).await?;
    let opened: u32 = report.lines.iter().map(|l| l.opened).sum();
    let closed: u32 = report.lines.iter().map(|l| l.closed).sum();
    assert_eq!((opened, closed), (report.total.opened, report.total.closed));
    let in_period =
        tickets.queue(TicketQuery { from: month.from.clone(), to: month.to.clone(), ..TicketQuery::default() }).await?;
    assert_eq!(report.total.opened, in_period.total, "opened in the period, as the desk counts them");
    assert!(report.total.closed > 0 && report.total.median_hours.is_some_and(|h| h > 0.0));
    assert!(report.lines.windows(2).all(|w| w[0].opened >= w[1].opened), "most opened first");
    let by_house = tickets.report(month, ReportBy::House).await?;
    assert_eq!(by_house.total, report.total, "the same tickets either way");
    assert!(by_house.lines.iter().all(|l| !l.label.is_empty()), "houses by their addresses");
    let swapped =
        ReportQuery { from: Some("2026-11-24".into()), to: Some("2026-10-25".into()), ..ReportQuery::default() };
    let refused = tickets.report(swapped, ReportBy::House).await;
    assert_eq!(refused.err().and_then(|e| e.tagged().code).as_deref(), Some("bad_period"));
    Ok(())
}

#[tokio::test]
async fn me_too_offers_the_houses_open_tickets_and_an_emergency_is_told() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = TestClient::signed_in(&server, Persona::Resident).await?;
    let chair = TestClient::signed_in(&server, Persona::Chair).await?;
    let dispatcher = TestClient::signed_in(&server, Persona::Dispatcher).await?;
    let written = resident.tickets().file(chute("Засор мусоропровода в первом подъезде")).await?;
    let id = resident.tickets().by_key(&written.client_key).await?.ok_or("filed")?.id;
    chair.sync(&|_, _| {}).await?;

    let offers = chair.tickets().similar(DEMO_HOUSE, TicketCategory::GarbageChute).await?;
    let offer = offers.iter().find(|v| v.ticket.id == id).ok_or("the new ticket is offered")?;
    assert!(offer.can_join && !offer.mine);
    chair.tickets().join(id, true).await?;
    chair.sync(&|_, _| {}).await?;
    let joined = chair.tickets().show(id).await?.view;
    assert_eq!((joined.joined, joined.ticket.flats_affected), (true, 2));
    assert!(joined.moves.is_empty(), "a co-signer moves nothing while it is open");

    let mut events = dispatcher.events();
    dispatcher.sync(&|_, _| {}).await?;
    while events.try_recv().is_ok() {}
    let mut leak = chute("Прорвало трубу в подвале, заливает");
    leak.category = TicketCategory::Leak;
    leak.place = TicketPlace::Basement;
    leak.entrance = None;
    leak.emergency = true;
    resident.tickets().file(leak).await?;
    dispatcher.sync(&|_, _| {}).await?;
    let mut told = Vec::new();
    while let Ok(e) = events.try_recv() {
        if let Event::NewEmergency(n) = e {
            told.push(n);
        }
    }
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].category, TicketCategory::Leak);
    // It heads the desk's queue, above tickets overdue for days.
    let queue = dispatcher.tickets().queue(TicketQuery { limit: 3, ..TicketQuery::default() }).await?;
    assert_eq!(queue.rows.first().map(|r| r.id), Some(told[0].ticket_id), "{:?}", queue.rows);
    let overdue = dispatcher.tickets().queue(TicketQuery { overdue: true, ..TicketQuery::default() }).await?;
    assert!(overdue.total > 0, "the demo house has overdue tickets below it");
    Ok(())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_photo_waits_offline_without_its_place_resumes_a_cut_upload_and_shows_offline() -> TestResult {
    let mut server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = TestClient::signed_in(&server, Persona::Resident).await?;
    let dispatcher = TestClient::signed_in(&server, Persona::Dispatcher).await?;
    let photo = phone_photo()?;
    assert!(contains(&photo, PHOTO_PLACE_MARKER), "the phone's photo names its place");

    server.stop().await?;
    // Offline, a file that is not a photo is refused at once; a photo is taken.
    let refused = resident.tickets().add_photo(b"%PDF-1.7 not a photo at all".to_vec()).await;
    assert_eq!(refused.err().and_then(|e| e.tagged().code).as_deref(), Some("photo_type"));
    let staged = resident.tickets().add_photo(photo.clone()).await?;
    let mut draft = chute("Мусоропровод забит, фото прилагаю");
    draft.photos = vec![staged.key.clone(), staged.key.clone()];
    let written = resident.tickets().file(draft).await?;
    assert!(written.waiting.is_some(), "offline, it waits with its photo");
    assert_eq!(resident.tickets().pending().await?[0].photos, 1, "the same photo counted once");
    // What waits here is already stripped: the place never leaves this machine.
    let (_, stripped) = domkom_domain::ticket::strip_metadata(photo)?;
    assert_eq!(staged.bytes, stripped.len() as u64);

    // The link came back long enough for a third of the photo to go up, then was cut.
    server.restart().await?;
    let api = server.api(Persona::Resident).await?;
    let third = stripped.len() / 3;
    let cut = api
        .http
        .patch(format!("{}/v1/uploads/{}", api.base, staged.key))
        .bearer_auth(api.token.clone().unwrap_or_default())
        .header("upload-offset", "0")
        .header("upload-length", stripped.len().to_string())
        .body(stripped[..third].to_vec())
        .send()
        .await?;
    assert_eq!(cut.status().as_u16(), 200);

    resident.sync(&|_, _| {}).await?;
    assert!(resident.tickets().pending().await?.is_empty(), "delivered");
    let mine = resident.tickets().by_key(&written.client_key).await?.ok_or("filed")?;
    assert_eq!(mine.photos.len(), 1, "one photo, once");
    let shown = &mine.photos[0];
    assert_eq!((shown.width, shown.height), (800, 1200), "upright, as the phone was held");

    // The dispatcher sees it, whole and without its place; the thumbnail is small.
    dispatcher.sync(&|_, _| {}).await?;
    let whole = dispatcher.tickets().photo(mine.id, &shown.id, false).await?;
    assert_eq!(whole.len() as u64, shown.bytes);
    assert!(!contains(&whole, PHOTO_PLACE_MARKER));
    let thumb = dispatcher.tickets().photo(mine.id, &shown.id, true).await?;
    assert!(thumb.len() < whole.len() / 2, "a thumbnail: {} of {} bytes", thumb.len(), whole.len());

    // Offline, the photos seen (and the filer's own) still show; others say why not.
    server.stop().await?;
    assert_eq!(dispatcher.tickets().photo(mine.id, &shown.id, true).await?, thumb);
    assert!(!resident.tickets().photo(mine.id, &shown.id, false).await?.is_empty(), "the filer's own, kept");
    let unseen = resident.tickets().photo(mine.id, &"0".repeat(64), false).await;
    assert_eq!(unseen.err().and_then(|e| e.tagged().code).as_deref(), Some("no_such_photo"));
    Ok(())
}
