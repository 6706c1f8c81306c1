//! The authorisation matrix: every endpoint × every demo role × own house / foreign house.
//! Each allow and each deny is asserted, and the change feed leaks nothing across houses.

mod common;

use common::{Persona, TestClient, TestResult, TestServer};
use serde_json::{Value, json};

/// What one persona may do with one house.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Access {
    /// Refused everywhere: the account is not verified.
    Unverified,
    /// Not related to the house.
    None,
    /// Sees the house (registry relation) but is not in its chat.
    House,
    /// Sees the house and takes part in its chat.
    Chat,
}

struct Target {
    house: i64,
    community: i64,
    ticket: i64,
}

async fn target_of(c: &TestClient) -> TestResult<Target> {
    let me = c.me().await?;
    let community = me["community_ids"][0].as_i64().ok_or("no community")?;
    let comm = c.get(&format!("/v1/communities/{community}")).await?.body;
    let house = comm["house_id"].as_i64().ok_or("no house")?;
    let tickets = c.get(&format!("/v1/houses/{house}/tickets")).await?.body;
    let ticket = tickets[0]["id"].as_i64().ok_or("no ticket")?;
    Ok(Target { house, community, ticket })
}

fn expect(access: Access, a: &common::Answer, needs_chat: bool, what: &str) {
    match access {
        Access::Unverified => {
            assert_eq!((a.status, a.code()), (403, "not_verified"), "{what}: {:?}", a.body)
        }
        Access::None => assert_eq!(a.status, 403, "{what} must be refused: {:?}", a.body),
        Access::House if needs_chat => assert_eq!(a.status, 403, "{what} needs the chat: {:?}", a.body),
        Access::House | Access::Chat => {
            assert!(a.status < 300, "{what} must be allowed, got {} {:?}", a.status, a.body)
        }
    }
}

async fn check_house(c: &TestClient, who: Persona, t: &Target, access: Access) -> TestResult {
    let (h, cm) = (t.house, t.community);
    for (path, needs_chat) in [
        (format!("/v1/houses/{h}"), false),
        (format!("/v1/houses/{h}/premises"), false),
        (format!("/v1/houses/{h}/tickets"), false),
        (format!("/v1/houses/{h}/notices"), false),
        (format!("/v1/houses/{h}/repairs"), false),
        (format!("/v1/houses/{h}/devices"), false),
        (format!("/v1/tickets/{}", t.ticket), false),
        (format!("/v1/changes?scope=h:{h}"), false),
        (format!("/v1/communities/{cm}"), true),
        (format!("/v1/communities/{cm}/messages"), true),
        (format!("/v1/changes?scope=c:{cm}"), true),
    ] {
        let a = c.get(&path).await?;
        expect(access, &a, needs_chat, &format!("{who} GET {path}"));
    }
    let sent = c.send(cm, &format!("Проверка доступа от {who}")).await?;
    expect(access, &sent, true, &format!("{who} sends to chat {cm}"));
    Ok(())
}

#[tokio::test]
async fn every_role_against_own_and_foreign_house() -> TestResult {
    let server = TestServer::start().await?;
    let demo = target_of(&server.api(Persona::Resident).await?).await?;
    let other = target_of(&server.api(Persona::Neighbour).await?).await?;

    let matrix = [
        (Persona::Resident, Access::Chat, Access::None),
        (Persona::Chair, Access::Chat, Access::None),
        (Persona::MultiOwner, Access::Chat, Access::None),
        // The small seed's neighbour lives in another house of the same УК.
        (Persona::Dispatcher, Access::Chat, Access::Chat),
        (Persona::Inspector, Access::Chat, Access::Chat),
        (Persona::Neighbour, Access::None, Access::Chat),
        (Persona::NotJoined, Access::House, Access::None),
        (Persona::Unverified, Access::Unverified, Access::Unverified),
    ];
    for (who, own, foreign) in matrix {
        let c = server.api(who).await?;
        check_house(&c, who, &demo, own).await?;
        check_house(&c, who, &other, foreign).await?;
    }

    // A house of another organisation is closed to the dispatcher.
    let inspector = server.api(Persona::Inspector).await?;
    let demo_org = inspector.get(&format!("/v1/houses/{}", demo.house)).await?.body["org"]["id"].clone();
    let houses = inspector.get("/v1/houses").await?.body;
    let elsewhere = houses
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["org"]["id"] != demo_org && h["community_id"].is_i64())
        .ok_or("a house chat of another organisation")?;
    let community = elsewhere["community_id"].as_i64().unwrap();
    let tickets = inspector.get(&format!("/v1/houses/{}/tickets", elsewhere["id"])).await?.body;
    let target = Target {
        house: elsewhere["id"].as_i64().unwrap(),
        community,
        ticket: tickets[0]["id"].as_i64().unwrap_or(demo.ticket),
    };
    let dispatcher = server.api(Persona::Dispatcher).await?;
    for path in [format!("/v1/houses/{}", target.house), format!("/v1/communities/{community}/messages")] {
        assert_eq!(dispatcher.get(&path).await?.status, 403, "the dispatcher must not read {path}");
    }
    assert_eq!(dispatcher.send(community, "чужой дом").await?.status, 403);
    Ok(())
}

#[tokio::test]
async fn bills_and_meters_are_only_the_holders() -> TestResult {
    let server = TestServer::start().await?;
    let resident = server.api(Persona::Resident).await?;
    let accounts = resident.get("/v1/accounts").await?.body;
    let account = &accounts[0];
    let (acc, premises) = (account["id"].as_i64().unwrap(), account["premises_id"].as_i64().unwrap());
    let devices = resident.get(&format!("/v1/premises/{premises}/devices")).await?;
    assert_eq!(devices.status, 200);
    let device = devices.body[0]["id"].as_i64().ok_or("the demo flat has meters")?;
    let paths = [
        format!("/v1/accounts/{acc}/bills"),
        format!("/v1/premises/{premises}/devices"),
        format!("/v1/devices/{device}/readings"),
    ];
    for path in &paths {
        let a = resident.get(path).await?;
        assert_eq!(a.status, 200, "the holder reads {path}");
        assert!(!a.body.as_array().unwrap().is_empty(), "{path} has data");
    }
    // Neighbours in the same house, its chair, its dispatcher and the Inspection do not.
    for who in [
        Persona::Chair,
        Persona::MultiOwner,
        Persona::NotJoined,
        Persona::Dispatcher,
        Persona::Inspector,
        Persona::Neighbour,
    ] {
        let c = server.api(who).await?;
        for path in &paths {
            let a = c.get(path).await?;
            assert_eq!(a.status, 403, "{who} must not read {path}: {:?}", a.body);
        }
        let own = c.get("/v1/accounts").await?.body;
        assert!(own.as_array().unwrap().iter().all(|a| a["id"] != acc), "{who} does not list the resident's account");
    }
    Ok(())
}

#[tokio::test]
async fn only_the_author_edits_and_moderators_delete() -> TestResult {
    let server = TestServer::start().await?;
    let resident = server.api(Persona::Resident).await?;
    let community = resident.first_community().await?;
    let make = || async {
        let a = resident.send(community, "Сообщение для проверки прав").await?;
        assert_eq!(a.status, 201);
        TestResult::Ok(a.body["id"].as_i64().unwrap())
    };
    let id = make().await?;
    for who in [
        Persona::Chair,
        Persona::MultiOwner,
        Persona::Dispatcher,
        Persona::Inspector,
        Persona::Neighbour,
        Persona::NotJoined,
    ] {
        let c = server.api(who).await?;
        let a = c.patch(&format!("/v1/messages/{id}"), &json!({"body": "подмена"})).await?;
        assert_eq!(a.status, 403, "{who} must not edit another's message");
    }
    let own = resident.patch(&format!("/v1/messages/{id}"), &json!({"body": "исправлено"})).await?;
    assert_eq!((own.status, own.body["body"].as_str()), (200, Some("исправлено")));

    for (who, allowed) in [
        (Persona::MultiOwner, false),
        (Persona::Dispatcher, false),
        (Persona::Neighbour, false),
        (Persona::Chair, true),
        (Persona::Inspector, true),
    ] {
        let id = make().await?;
        let c = server.api(who).await?;
        let a = c.delete(&format!("/v1/messages/{id}")).await?;
        if allowed {
            // A moderator deletes someone else's message only with a reason members read.
            assert_eq!((a.status, a.body["code"].as_str()), (422, Some("reason_required")), "{who}");
            let a = c.post(&format!("/v1/messages/{id}/removal"), &json!({"reason": "не по теме"})).await?;
            assert_eq!(a.status, 200, "{who} moderates");
            assert_eq!(a.body["body"], "", "the text is erased");
            assert_eq!(a.body["deleted_reason"], "не по теме");
        } else {
            assert_eq!(a.status, 403, "{who} must not delete another's message");
            let a = c.post(&format!("/v1/messages/{id}/removal"), &json!({"reason": "хочу"})).await?;
            assert_eq!(a.status, 403, "{who} must not remove another's message");
        }
    }
    let id = make().await?;
    assert_eq!(resident.delete(&format!("/v1/messages/{id}")).await?.status, 200);
    Ok(())
}

fn mentions(change: &Value, house: i64, community: i64) -> bool {
    let d = &change["data"];
    let kind = change["kind"].as_str().unwrap_or("");
    (kind == "house" && d["id"] == house)
        || (kind == "community" && d["id"] == community)
        || d["house_id"] == house
        || d["community_id"] == community
}

#[tokio::test]
async fn the_feed_leaks_nothing_across_houses() -> TestResult {
    let server = TestServer::start().await?;
    let resident = server.api(Persona::Resident).await?;
    let demo = target_of(&resident).await?;
    let neighbour = server.api(Persona::Neighbour).await?;
    let other = target_of(&neighbour).await?;

    let (theirs, _) = neighbour.all_changes(0, 500).await?;
    assert!(!theirs.is_empty());
    assert!(
        theirs.iter().all(|c| !mentions(c, demo.house, demo.community)),
        "the neighbour sees nothing of the demo house"
    );
    let (mine, _) = resident.all_changes(0, 500).await?;
    assert!(mine.iter().any(|c| mentions(c, demo.house, demo.community)));
    assert!(mine.iter().all(|c| !mentions(c, other.house, other.community)));

    // The resident's feed holds only the resident's own bills.
    let my_accounts: Vec<Value> =
        resident.get("/v1/accounts").await?.body.as_array().unwrap().iter().map(|a| a["id"].clone()).collect();
    let bills: Vec<&Value> = mine.iter().filter(|c| c["kind"] == "bill").collect();
    assert!(!bills.is_empty());
    assert!(bills.iter().all(|b| my_accounts.contains(&b["data"]["account_id"])));

    // The unverified account reads no feed at all.
    let unverified = server.api(Persona::Unverified).await?;
    let a = unverified.get("/v1/changes").await?;
    assert_eq!((a.status, a.code()), (403, "not_verified"));
    Ok(())
}

#[tokio::test]
async fn an_owner_who_has_not_joined_is_offered_the_chat() -> TestResult {
    let server = TestServer::start().await?;
    let c = server.api(Persona::NotJoined).await?;
    let me = c.me().await?;
    assert!(me["community_ids"].as_array().unwrap().is_empty());
    let offer = &me["offers"][0];
    let community = offer["community_id"].as_i64().ok_or("an offer")?;
    assert_eq!(c.get(&format!("/v1/communities/{community}/messages")).await?.status, 403);

    let joined = c.post(&format!("/v1/communities/{community}/join"), &json!({})).await?;
    assert_eq!(joined.status, 200, "{:?}", joined.body);
    assert_eq!(joined.body["role"], "resident");
    let me = c.me().await?;
    assert!(me["offers"].as_array().unwrap().is_empty());
    let history = c.get(&format!("/v1/communities/{community}/messages")).await?;
    assert_eq!(history.status, 200);
    assert!(!history.body["messages"].as_array().unwrap().is_empty(), "the history is there for a new member");

    // Someone without ownership in the house cannot join it.
    let neighbour = server.api(Persona::Neighbour).await?;
    let a = neighbour.post(&format!("/v1/communities/{community}/join"), &json!({})).await?;
    assert_eq!((a.status, a.code()), (403, "not_owner"));
    // An unverified owner cannot either.
    let unverified = server.api(Persona::Unverified).await?;
    assert_eq!(unverified.post(&format!("/v1/communities/{community}/join"), &json!({})).await?.code(), "not_verified");
    Ok(())
}
