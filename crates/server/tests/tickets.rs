//! Tickets over HTTP: a resident files one and its regulated deadline is set at once; the
//! dispatcher works it along the allowed moves only; internal comments never reach a
//! resident; neighbours join it; a chat message becomes a ticket whose steps are told in the
//! chat; bad input is refused with a clear code and stores nothing.

mod common;

use common::{Answer, Persona, TestClient, TestResult, TestServer};
use serde_json::{Value, json};

const DEMO_HOUSE: i64 = 1;

fn key(n: u32) -> String {
    format!("01930000-0000-7000-8000-{n:012}")
}

async fn file(c: &TestClient, n: u32, body: Value) -> TestResult<Answer> {
    let mut body = body;
    body["client_key"] = json!(key(n));
    c.post("/v1/tickets", &body).await
}

fn chute(entrance: i64) -> Value {
    json!({
        "house_id": DEMO_HOUSE, "category": "garbage_chute", "place": "entrance", "entrance": entrance,
        "body": "Засор мусоропровода, мусор не проходит с пятого этажа",
    })
}

async fn step(
    c: &TestClient,
    id: i64,
    n: u32,
    from: &str,
    to: &str,
    note: &str,
    rating: Option<u8>,
) -> TestResult<Answer> {
    let mut body = json!({ "client_key": key(n), "from": from, "to": to, "note": note });
    if let Some(r) = rating {
        body["rating"] = json!(r);
    }
    c.post(&format!("/v1/tickets/{id}/status"), &body).await
}

fn id_of(a: &Answer) -> TestResult<i64> {
    Ok(a.body["id"].as_i64().ok_or_else(|| format!("no id in {}", a.body))?)
}

#[tokio::test]
async fn a_resident_files_a_ticket_with_its_deadline_counted_in_day_hours() -> TestResult {
    // 22:30 in Kazan: the chute's two hours are counted from 08:00 next day, less the half
    // hour left before 23:00, so it is due at 09:30.
    let server = TestServer::start_at("2026-11-24T22:30:00+03:00").await?;
    let resident = server.api(Persona::Resident).await?;
    let a = file(&resident, 1, chute(1)).await?;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["deadline_at"], json!("2026-11-25T06:30:00Z"));
    assert_eq!(
        (&a.body["status"], &a.body["place"], &a.body["entrance"]),
        (&json!("new"), &json!("entrance"), &json!(1))
    );
    assert_eq!(a.body["title"], json!("Засор мусоропровода, мусор не проходит с пятого этажа"));
    assert_eq!(a.body["history"].as_array().map(Vec::len), Some(1));
    assert_eq!(a.body["flats_affected"], json!(1));
    let id = id_of(&a)?;

    // The same key again is the same ticket; the key with another ticket is a conflict.
    let again = file(&resident, 1, chute(1)).await?;
    assert_eq!((again.status, id_of(&again)?), (200, id));
    let mut other = chute(1);
    other["body"] = json!("Другое");
    assert_eq!(file(&resident, 1, other).await?.code(), "idempotency_key_reused");

    // The house's list and the ticket itself show it to the house, not to a neighbour.
    let listed = resident.get(&format!("/v1/houses/{DEMO_HOUSE}/tickets?status=new&limit=1000")).await?;
    assert!(listed.body.as_array().is_some_and(|l| l.iter().any(|t| t["id"] == id)));
    let neighbour = server.api(Persona::Neighbour).await?;
    assert_eq!(neighbour.get(&format!("/v1/tickets/{id}")).await?.status, 403);
    Ok(())
}

#[tokio::test]
async fn bad_tickets_are_refused_with_what_to_fix_and_store_nothing() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = server.api(Persona::Resident).await?;
    let house = resident.get(&format!("/v1/houses/{DEMO_HOUSE}")).await?.body;
    let entrances = house["entrances"].as_array().map_or(0, Vec::len) as i64;
    let before = resident.get(&format!("/v1/houses/{DEMO_HOUSE}/tickets?limit=1000")).await?.body;

    let mut empty = chute(1);
    empty["body"] = json!("   ");
    let refused = file(&resident, 1, empty).await?;
    assert_eq!((refused.status, refused.code()), (422, "ticket_body_empty"));

    let beyond = file(&resident, 2, chute(entrances + 1)).await?;
    assert_eq!((beyond.status, beyond.code()), (422, "ticket_place_invalid"));
    assert_eq!(beyond.body["params"]["entrances"], json!(entrances.to_string()));
    assert!(beyond.body["message"].as_str().is_some_and(|m| m.contains("подъезд")), "{}", beyond.body);

    let mut emergency = chute(1);
    emergency["emergency"] = json!(true);
    assert_eq!(file(&resident, 3, emergency).await?.code(), "ticket_emergency_not_applicable");

    let mut unknown = chute(1);
    unknown["category"] = json!("aliens");
    assert_eq!(file(&resident, 4, unknown).await?.status, 400);

    // Only residents file: a dispatcher makes a ticket only from a chat message; a neighbour
    // cannot file for a house that is not theirs.
    let dispatcher = server.api(Persona::Dispatcher).await?;
    assert_eq!(file(&dispatcher, 5, chute(1)).await?.code(), "ticket_not_resident");
    let neighbour = server.api(Persona::Neighbour).await?;
    assert_eq!(file(&neighbour, 6, chute(1)).await?.status, 403);

    let after = resident.get(&format!("/v1/houses/{DEMO_HOUSE}/tickets?limit=1000")).await?.body;
    assert_eq!(before, after, "a refused ticket stored something");
    Ok(())
}

#[tokio::test]
async fn a_ticket_moves_only_along_the_table_and_only_by_whom_it_names() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = server.api(Persona::Resident).await?;
    let dispatcher = server.api(Persona::Dispatcher).await?;
    let inspector = server.api(Persona::Inspector).await?;
    let id = id_of(&file(&resident, 1, chute(1)).await?)?;

    // The resident does not accept; the Inspection moves nothing; no one skips to done.
    assert_eq!(step(&resident, id, 10, "new", "accepted", "", None).await?.code(), "ticket_move_forbidden");
    assert_eq!(step(&inspector, id, 11, "new", "accepted", "", None).await?.code(), "ticket_move_forbidden");
    assert_eq!(step(&dispatcher, id, 12, "new", "done", "", None).await?.code(), "ticket_transition_invalid");
    assert_eq!(step(&dispatcher, id, 13, "new", "rejected", " ", None).await?.code(), "ticket_reason_required");

    let accepted = step(&dispatcher, id, 14, "new", "accepted", "", None).await?;
    assert_eq!((accepted.status, &accepted.body["status"]), (200, &json!("accepted")), "{}", accepted.body);
    // A replay is the same move; a move from a status the ticket has left is a conflict.
    assert_eq!(step(&dispatcher, id, 14, "new", "accepted", "", None).await?.status, 200);
    let stale = step(&dispatcher, id, 15, "new", "in_work", "", None).await?;
    assert_eq!((stale.status, stale.code()), (409, "ticket_status_changed"));
    assert_eq!(stale.body["params"]["status"], json!("accepted"));

    // The move's key on another ticket is not that ticket's move, nor a filing's.
    let other = id_of(&file(&resident, 40, chute(1)).await?)?;
    assert_eq!(step(&dispatcher, other, 14, "new", "accepted", "", None).await?.code(), "idempotency_key_reused");
    assert_eq!(file(&dispatcher, 14, chute(1)).await?.code(), "idempotency_key_reused");
    assert_eq!(step(&dispatcher, id, 16, "accepted", "in_work", "", None).await?.status, 200);
    let done = step(&dispatcher, id, 17, "in_work", "done", "Засор устранён", None).await?;
    assert_eq!((&done.body["status"], done.body["closed_at"].is_string()), (&json!("done"), true));

    // The author reopens with a reason and a rating; the deadline is counted again.
    assert_eq!(step(&resident, id, 18, "done", "new", "Опять засор", None).await?.code(), "ticket_rating_invalid");
    let reopened = step(&resident, id, 19, "done", "new", "Опять засор", Some(2)).await?;
    assert_eq!((&reopened.body["status"], &reopened.body["reopened"]), (&json!("new"), &json!(1)), "{}", reopened.body);
    assert!(reopened.body["closed_at"].is_null());

    // Done again, confirmed with a rating: then it is not reopened.
    for (n, (from, to)) in [("new", "in_work"), ("in_work", "done")].into_iter().enumerate() {
        assert_eq!(step(&dispatcher, id, 20 + n as u32, from, to, "", None).await?.status, 200);
    }
    let other = server.api(Persona::Chair).await?;
    let confirm = json!({ "client_key": key(30), "rating": 5 });
    assert_eq!(other.post(&format!("/v1/tickets/{id}/confirm"), &confirm).await?.code(), "not_author");
    let confirmed = resident.post(&format!("/v1/tickets/{id}/confirm"), &confirm).await?;
    assert_eq!((confirmed.status, &confirmed.body["rating"]), (200, &json!(5)), "{}", confirmed.body);
    assert!(confirmed.body["confirmed_at"].is_string());
    let late = step(&resident, id, 31, "done", "new", "Опять", Some(1)).await?;
    assert_eq!((late.status, late.code()), (409, "ticket_already_confirmed"));

    // The history tells who did what: every move and the confirmation, in order.
    let history = resident.get(&format!("/v1/tickets/{id}")).await?.body["history"].clone();
    let steps: Vec<(String, String)> = history
        .as_array()
        .ok_or("history")?
        .iter()
        .map(|e| (e["kind"].as_str().unwrap_or("").to_owned(), e["status"].as_str().unwrap_or("").to_owned()))
        .collect();
    let expected = [
        ("status", "new"),
        ("status", "accepted"),
        ("status", "in_work"),
        ("status", "done"),
        ("status", "new"),
        ("status", "in_work"),
        ("status", "done"),
        ("confirm", "done"),
    ];
    assert_eq!(steps, expected.map(|(k, s)| (k.to_owned(), s.to_owned())));
    Ok(())
}

#[tokio::test]
async fn internal_comments_reach_the_staff_and_never_a_resident() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = server.api(Persona::Resident).await?;
    let dispatcher = server.api(Persona::Dispatcher).await?;
    let inspector = server.api(Persona::Inspector).await?;
    let id = id_of(&file(&resident, 1, chute(1)).await?)?;
    let (_, cursor) = resident.all_changes(0, 5000).await?;

    let comment =
        |n: u32, body: &str, internal: bool| json!({ "client_key": key(n), "body": body, "internal": internal });
    let path = format!("/v1/tickets/{id}/comments");
    let secret = dispatcher.post(&path, &comment(2, "Жилец конфликтный, визит согласовать", true)).await?;
    assert_eq!((secret.status, &secret.body["internal"]), (201, &json!(true)), "{}", secret.body);
    let public = dispatcher.post(&path, &comment(3, "Мастер придёт завтра с 10 до 12", false)).await?;
    assert_eq!(public.status, 201);
    let reply = resident.post(&path, &comment(4, "Спасибо, буду дома", false)).await?;
    assert_eq!(reply.status, 201);
    assert_eq!(resident.post(&path, &comment(5, "Секрет", true)).await?.code(), "comment_internal_forbidden");
    let neighbour_in_house = server.api(Persona::Chair).await?;
    assert_eq!(neighbour_in_house.post(&path, &comment(6, "И у нас", false)).await?.code(), "ticket_not_participant");

    // The resident's reads and feed carry the public ones only, and no staff audience at all.
    let read = |a: &Answer| a.body.as_array().map(|l| l.iter().map(|c| c["body"].clone()).collect::<Vec<_>>());
    let theirs = read(&resident.get(&path).await?).ok_or("comments")?;
    assert_eq!(theirs, vec![json!("Мастер придёт завтра с 10 до 12"), json!("Спасибо, буду дома")]);
    let (changes, _) = resident.all_changes(cursor, 5000).await?;
    let comments: Vec<&Value> = changes.iter().filter(|c| c["kind"] == "ticket_comment").collect();
    assert_eq!(comments.len(), 2, "{comments:?}");
    let (all, _) = resident.all_changes(0, 5000).await?;
    assert!(
        all.iter().all(|c| c["kind"] != "ticket_comment" || c["data"]["internal"] == json!(false)),
        "an internal comment reached a resident"
    );
    assert_eq!(resident.get(&format!("/v1/changes?after=0&scope=s:{DEMO_HOUSE}")).await?.status, 403);

    // The staff and the Inspection read all three.
    for staff in [&dispatcher, &inspector] {
        assert_eq!(read(&staff.get(&path).await?).map(|l| l.len()), Some(3));
    }
    let (staff_feed, _) = dispatcher.all_changes(cursor, 5000).await?;
    assert!(staff_feed.iter().any(|c| c["kind"] == "ticket_comment" && c["data"]["internal"] == json!(true)));
    Ok(())
}

#[tokio::test]
async fn neighbours_join_a_ticket_and_the_executor_is_from_the_staff() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = server.api(Persona::Resident).await?;
    let chair = server.api(Persona::Chair).await?;
    let dispatcher = server.api(Persona::Dispatcher).await?;
    let id = id_of(&file(&resident, 1, chute(1)).await?)?;

    let joined = chair.put(&format!("/v1/tickets/{id}/cosigners/me"), &json!(null)).await?;
    assert_eq!((joined.status, &joined.body["flats_affected"]), (200, &json!(2)), "{}", joined.body);
    assert_eq!(
        chair.put(&format!("/v1/tickets/{id}/cosigners/me"), &json!(null)).await?.body["flats_affected"],
        json!(2)
    );
    assert_eq!(
        resident.put(&format!("/v1/tickets/{id}/cosigners/me"), &json!(null)).await?.code(),
        "ticket_cannot_cosign"
    );
    let left = chair.delete(&format!("/v1/tickets/{id}/cosigners/me")).await?;
    assert_eq!(left.body["flats_affected"], json!(1));

    let mut flat = chute(1);
    flat["place"] = json!("flat");
    flat["entrance"] = json!(null);
    let private = id_of(&file(&resident, 2, flat).await?)?;
    // A ticket about a flat is its holders' and the staff's: a neighbour in the same house
    // neither reads it (nor finds it in the feed or the list) nor joins it.
    assert_eq!(chair.get(&format!("/v1/tickets/{private}")).await?.status, 403);
    assert_eq!(chair.put(&format!("/v1/tickets/{private}/cosigners/me"), &json!(null)).await?.status, 403);
    let (feed, _) = chair.all_changes(0, 5000).await?;
    assert!(
        !feed.iter().any(|c| c["kind"] == "ticket" && c["data"]["id"] == private),
        "a flat ticket reached a neighbour"
    );
    let listed = chair.get(&format!("/v1/houses/{DEMO_HOUSE}/tickets?limit=1000")).await?.body;
    assert!(listed.as_array().is_some_and(|l| !l.iter().any(|t| t["id"] == private)));
    assert_eq!(dispatcher.get(&format!("/v1/tickets/{private}")).await?.status, 200);
    let own = resident.put(&format!("/v1/tickets/{private}/cosigners/me"), &json!(null)).await?;
    assert_eq!(own.code(), "ticket_cannot_cosign");

    let staff = dispatcher.get(&format!("/v1/houses/{DEMO_HOUSE}/staff")).await?.body;
    let cleaner = staff
        .as_array()
        .and_then(|s| s.iter().find(|p| p["trade"] == "cleaner"))
        .and_then(|p| p["person_id"].as_i64())
        .ok_or_else(|| format!("no cleaner among {staff}"))?;
    assert_eq!(resident.get(&format!("/v1/houses/{DEMO_HOUSE}/staff")).await?.status, 403);
    let assigned = dispatcher.put(&format!("/v1/tickets/{id}/assignee"), &json!({ "assignee_id": cleaner })).await?;
    assert_eq!((assigned.status, &assigned.body["assignee_id"]), (200, &json!(cleaner)), "{}", assigned.body);
    assert!(assigned.body["assignee_name"].is_string());
    let me = resident.me().await?["person"]["id"].as_i64().ok_or("me")?;
    let wrong = dispatcher.put(&format!("/v1/tickets/{id}/assignee"), &json!({ "assignee_id": me })).await?;
    assert_eq!((wrong.status, wrong.code()), (422, "assignee_not_staff"));
    let not_theirs = resident.put(&format!("/v1/tickets/{id}/assignee"), &json!({ "assignee_id": cleaner })).await?;
    assert_eq!(not_theirs.code(), "not_dispatcher");

    // The queue filters by assignee and by overdue, over the organisation's houses only.
    let mine = dispatcher.get(&format!("/v1/tickets?assignee={cleaner}&limit=1000")).await?.body;
    assert!(mine.as_array().is_some_and(|l| l.iter().all(|t| t["assignee_id"] == cleaner) && !l.is_empty()));
    let overdue = dispatcher.get("/v1/tickets?overdue=true&limit=1000").await?.body;
    let overdue = overdue.as_array().ok_or("queue")?;
    assert!(!overdue.is_empty(), "the seed holds overdue tickets");
    for t in overdue {
        let due = chrono::DateTime::parse_from_rfc3339(t["deadline_at"].as_str().unwrap_or(""))?;
        assert!(due.to_utc() < chrono::DateTime::parse_from_rfc3339("2026-11-24T12:00:00+03:00")?.to_utc());
        assert!(["new", "accepted", "in_work"].contains(&t["status"].as_str().unwrap_or("")), "{t}");
    }
    Ok(())
}

#[tokio::test]
async fn a_chat_message_becomes_a_ticket_whose_steps_are_told_in_the_chat() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = server.api(Persona::Resident).await?;
    let dispatcher = server.api(Persona::Dispatcher).await?;
    let community = resident.first_community().await?;
    let sent = resident.send(community, "В третьем подъезде снова не работает лифт").await?;
    let message = id_of(&sent)?;
    let (_, cursor) = resident.all_changes(0, 5000).await?;

    let mut from_chat = json!({
        "house_id": DEMO_HOUSE, "category": "lift", "place": "other",
        "body": "В третьем подъезде снова не работает лифт", "message_id": message,
    });
    // A neighbour does not make a ticket of someone else's message.
    let chair = server.api(Persona::Chair).await?;
    assert_eq!(file(&chair, 9, from_chat.clone()).await?.code(), "ticket_message_elsewhere");
    let made = file(&dispatcher, 1, from_chat.clone()).await?;
    assert_eq!(made.status, 201, "{}", made.body);
    let id = id_of(&made)?;
    let me = resident.me().await?["person"]["id"].as_i64().ok_or("me")?;
    assert_eq!(
        (&made.body["author_id"], &made.body["source"], &made.body["message_id"]),
        (&json!(me), &json!("chat"), &json!(message))
    );
    from_chat["body"] = json!("Ещё раз");
    let twice = file(&dispatcher, 2, from_chat).await?;
    assert_eq!((twice.status, twice.code()), (409, "message_already_ticket"));

    assert_eq!(step(&dispatcher, id, 3, "new", "accepted", "", None).await?.status, 200);
    let (changes, _) = resident.all_changes(cursor, 5000).await?;
    let messages: Vec<&Value> = changes.iter().filter(|c| c["kind"] == "message").map(|c| &c["data"]).collect();
    let original = messages.iter().find(|m| m["id"] == message).ok_or("the original message was not re-sent")?;
    assert_eq!(original["ticket_id"], json!(id));
    let posts: Vec<&str> = messages
        .iter()
        .filter(|m| m["ticket_id"] == id && m["reply_to"] == message)
        .filter_map(|m| m["body"].as_str())
        .collect();
    assert_eq!(posts.len(), 2, "{posts:?}");
    assert!(posts[0].contains(&format!("Заявка №{id}")) && posts[0].contains("зарегистрирована"), "{}", posts[0]);
    assert!(posts[1].contains("принята") && posts[1].contains("Срок — до"), "{}", posts[1]);
    Ok(())
}

#[tokio::test]
async fn an_author_who_withdraws_hands_a_joined_ticket_to_the_first_neighbour() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = server.api(Persona::Resident).await?;
    let chair = server.api(Persona::Chair).await?;
    let id = id_of(&file(&resident, 1, chute(2)).await?)?;
    assert_eq!(chair.put(&format!("/v1/tickets/{id}/cosigners/me"), &json!(null)).await?.status, 200);
    let chair_id = chair.me().await?["person"]["id"].as_i64().ok_or("me")?;

    // The author withdraws: the chair still has the blocked chute, so the ticket stays open
    // and is theirs now; the history says so, and sending the same step again changes nothing.
    let handed = step(&resident, id, 2, "new", "withdrawn", "Переезжаю", None).await?;
    assert_eq!(handed.status, 200, "{}", handed.body);
    let t = &handed.body;
    assert_eq!((&t["status"], &t["author_id"], &t["cosigners"]), (&json!("new"), &json!(chair_id), &json!([])));
    assert_eq!(t["flats_affected"], json!(1));
    let last = t["history"].as_array().and_then(|h| h.last()).ok_or("history")?;
    assert_eq!((&last["kind"], &last["note"]), (&json!("handover"), &json!("Переезжаю")));
    assert!(last["assignee_name"].as_str().is_some_and(|n| !n.is_empty()), "names the new author: {last}");
    let again = step(&resident, id, 2, "new", "withdrawn", "Переезжаю", None).await?;
    assert_eq!((again.status, &again.body["author_id"]), (200, &json!(chair_id)));
    // The former author is a neighbour now; the new one, alone, withdraws it for good.
    let refused = step(&resident, id, 3, "new", "withdrawn", "", None).await?;
    assert_eq!(refused.code(), "ticket_move_forbidden", "{}", refused.body);
    let gone = step(&chair, id, 4, "new", "withdrawn", "", None).await?;
    assert_eq!((gone.status, &gone.body["status"]), (200, &json!("withdrawn")), "{}", gone.body);
    Ok(())
}
