//! A change of management as the clients live it, against the real backend: the old
//! organisation's dispatcher's cache loses the house, its chat and tickets on the next sync;
//! the new organisation's dispatcher syncs the house with the chat's whole history, the
//! message count unchanged but for the Inspection's notice.

use domkom_domain::id::HouseId;
use domkom_testkit::{Persona, TestClient, TestResult, TestServer};
use serde_json::json;

#[tokio::test]
async fn a_transfer_purges_the_old_staff_and_gives_the_new_the_whole_history() -> TestResult {
    let server = TestServer::start().await?;
    let TestClient { client, .. } = &TestClient::signed_in(&server, Persona::Dispatcher).await?;
    let resident = server.api(Persona::Resident).await?;
    let inspector = server.api(Persona::Inspector).await?;
    let community = resident.first_community().await?;
    let house = HouseId(resident.get("/v1/houses").await?.body[0]["id"].as_i64().ok_or("house")?);
    let today = resident.send(community, "Перед сменой управления").await?.body["created_at"]
        .as_str()
        .map(|t| t[..10].to_owned())
        .ok_or("a time")?;
    client.sync(&|_, _| {}).await?;
    let ours = client.houses().get(house).await?.ok_or("the dispatcher has the house")?;
    let org = ours.org.as_ref().map(|o| o.id).ok_or("the house's organisation")?;
    assert!(client.chats().list().await?.iter().any(|c| c.community_id.get() == community));
    let held = client.tickets().queue(Default::default()).await?.total;
    assert!(held > 0, "the dispatcher works the house's tickets");
    let messages = client.chats().fetch_history(domkom_domain::id::CommunityId(community)).await?;

    let orgs = client.governance().orgs().await?;
    let other = orgs.iter().find(|o| o.id != org).ok_or("another organisation")?.id;
    let moved =
        inspector.post(&format!("/v1/houses/{house}/transfer"), &json!({"org_id": other, "from": today})).await?;
    assert_eq!(moved.status, 200, "{}", moved.body);

    // The old staff's cache keeps nothing of the house.
    client.sync(&|_, _| {}).await?;
    assert!(client.houses().get(house).await?.is_none(), "the house left the old dispatcher's cache");
    assert!(client.chats().list().await?.iter().all(|c| c.community_id.get() != community), "and its chat");
    let left = client.tickets().queue(Default::default()).await?;
    assert!(left.rows.iter().all(|t| t.house_id != house), "and its tickets");
    assert!(left.total < held);

    // Back, with the rights: the dispatcher gains the house, the chat and its whole history.
    let back = inspector
        .post(&format!("/v1/houses/{house}/transfer"), &json!({"org_id": org, "from": today, "grant_rights": true}))
        .await?;
    assert_eq!((back.status, back.body["admin_status"].as_str()), (200, Some("granted")), "{}", back.body);
    client.sync(&|_, _| {}).await?;
    assert!(client.houses().get(house).await?.is_some(), "the house is the dispatcher's again");
    let chat = client.chats().list().await?;
    let chat = chat.iter().find(|c| c.community_id.get() == community).ok_or("the chat is back")?;
    let synced = client.chats().fetch_history(chat.community_id).await?;
    assert_eq!(synced, messages + 2, "the whole history, with the Inspection's two notices");
    assert_eq!(client.tickets().queue(Default::default()).await?.total, held, "every ticket is back");
    Ok(())
}

/// What a chat lets the person do comes from the core, by the domain's rules and the
/// server's clock: a resident writes and votes, a dispatcher does not vote, a channel is read
/// only for residents; a moderator's mute stops the resident's writing until it ends.
#[tokio::test]
async fn the_chat_list_says_what_each_person_may_do_there() -> TestResult {
    use domkom_domain::chat::CommunityKind;
    let server = TestServer::start().await?;
    let TestClient { client: resident, .. } = &TestClient::signed_in(&server, Persona::Resident).await?;
    let TestClient { client: chair, .. } = &TestClient::signed_in(&server, Persona::Chair).await?;
    let TestClient { client: dispatcher, .. } = &TestClient::signed_in(&server, Persona::Dispatcher).await?;
    let house_chat = |list: &[domkom_core::chat::ChatSummary]| {
        list.iter().find(|c| c.kind == CommunityKind::HouseChat).cloned().ok_or("a house chat")
    };
    let mine = house_chat(&resident.chats().list().await?)?;
    assert!(mine.can_post && mine.can_vote && !mine.muted_now, "{mine:?}");
    assert!(!mine.can_apply, "a resident does not apply for admin rights");
    let desk = dispatcher.chats().list().await?;
    assert!(desk.iter().all(|c| !c.can_vote), "staff have no premises to vote for");
    let channel = desk.iter().find(|c| c.kind == CommunityKind::Microdistrict).ok_or("the channel")?;
    assert!(channel.can_post, "the organisation writes in its channel");

    let me = resident.person().await?.ok_or("the resident")?.id;
    chair.moderation().mute(mine.community_id, me, 3600, None).await?;
    resident.sync(&|_, _| {}).await?;
    let muted = resident.chats().list().await?.into_iter().find(|c| c.community_id == mine.community_id);
    let muted = muted.ok_or("the chat")?;
    assert!(muted.muted_now && !muted.can_post, "muted for an hour: {muted:?}");
    chair.moderation().unmute(mine.community_id, me).await?;
    resident.sync(&|_, _| {}).await?;
    let back = resident.chats().list().await?.into_iter().find(|c| c.community_id == mine.community_id);
    assert!(back.ok_or("the chat")?.can_post, "the mute lifted");
    Ok(())
}
