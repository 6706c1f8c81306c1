//! Reactions as the client sets them, against the real backend: through the outbox, so a
//! reaction set offline shows at once and counts once when the link is back, and the newest
//! choice wins over one still waiting; a reaction taken back goes for every reader.

use domkom_core::Client;
use domkom_core::chat::ChatMessage;
use domkom_domain::chat::CommunityKind;
use domkom_domain::id::{CommunityId, MessageId};
use domkom_testkit::{Persona, TestClient, TestResult, TestServer};

/// The person's house chat and its newest message still standing.
async fn house_chat_message(client: &Client) -> TestResult<(CommunityId, ChatMessage, MessageId)> {
    let chat = client.chats().list().await?.into_iter().find(|c| c.kind == CommunityKind::HouseChat);
    let chat = chat.ok_or("a house chat")?.community_id;
    let page = client.chats().messages(chat, None, 50).await?;
    let target = page.into_iter().find(|m| m.deleted_at.is_none() && m.id.is_some()).ok_or("a message")?;
    let id = target.id.ok_or("sent")?;
    Ok((chat, target, id))
}

#[tokio::test]
async fn a_reaction_set_offline_counts_once_and_the_last_choice_wins() -> TestResult {
    let mut server = TestServer::start().await?;
    let TestClient { client, .. } = &TestClient::signed_in(&server, Persona::Resident).await?;
    let TestClient { client: chair, .. } = &TestClient::signed_in(&server, Persona::Chair).await?;
    let (chat, target, id) = house_chat_message(client).await?;
    let count = |m: &domkom_core::chat::ChatMessage, emoji: &str| {
        m.reactions.iter().find(|r| r.emoji == emoji).map_or((0, false), |r| (r.count, r.mine))
    };
    let before_pray = count(&target, "🙏").0;

    server.stop().await?;
    let first = client.chats().react(id, Some("👍")).await?;
    assert!(first.waiting.is_some(), "queued while the server is down");
    client.chats().react(id, Some("🙏")).await?;
    let outbox = client.outbox().await?;
    assert_eq!(outbox.iter().filter(|i| i.request.kind() == "react").count(), 1, "the newer one replaced the older");
    let shown = client.chats().messages(chat, None, 50).await?;
    let shown = shown.iter().find(|m| m.id == Some(id)).ok_or("the message")?;
    assert_eq!(count(shown, "🙏"), (before_pray + 1, true), "shown as hers at once, offline");
    assert!(!count(shown, "👍").1, "the replaced one is not shown");

    server.restart().await?;
    client.sync(&|_, _| {}).await?;
    assert!(client.outbox().await?.iter().all(|i| i.request.kind() != "react"), "delivered");
    chair.sync(&|_, _| {}).await?;
    let seen = chair.chats().messages(chat, None, 50).await?;
    let seen = seen.iter().find(|m| m.id == Some(id)).ok_or("the chair's copy")?;
    assert_eq!(count(seen, "🙏"), (before_pray + 1, false), "counted once for another reader");

    client.chats().react(id, None).await?;
    chair.sync(&|_, _| {}).await?;
    let seen = chair.chats().messages(chat, None, 50).await?;
    let seen = seen.iter().find(|m| m.id == Some(id)).ok_or("the chair's copy")?;
    assert_eq!(count(seen, "🙏").0, before_pray, "taken back for every reader");
    Ok(())
}

/// A muted member's reaction is refused with the server's words on until when, and nothing
/// of it is kept: the message shows the reactions as they stand, not the refused one.
#[tokio::test]
async fn a_muted_members_reaction_is_refused_and_not_shown() -> TestResult {
    let server = TestServer::start().await?;
    let TestClient { client, .. } = &TestClient::signed_in(&server, Persona::Resident).await?;
    let TestClient { client: chair, .. } = &TestClient::signed_in(&server, Persona::Chair).await?;
    let (chat, _, id) = house_chat_message(client).await?;
    let me = client.person().await?.ok_or("the resident")?.id;
    chair.moderation().mute(chat, me, 3600, None).await?;
    client.sync(&|_, _| {}).await?;

    let refused = client.chats().react(id, Some("😮")).await.err().ok_or("a muted member's reaction is refused")?;
    match &refused {
        domkom_core::CoreError::Refused { code, params, .. } => {
            assert_eq!(code, "muted");
            assert!(params.get("until").is_some_and(|u| !u.is_empty()), "says until when: {refused:?}");
        }
        other => return Err(format!("expected the server's refusal, got {other:?}").into()),
    }
    assert!(client.outbox().await?.iter().all(|i| i.request.kind() != "react"), "nothing of it is kept");
    let shown = client.chats().messages(chat, None, 50).await?;
    let shown = shown.iter().find(|m| m.id == Some(id)).ok_or("the message")?;
    assert!(shown.reactions.iter().all(|r| r.emoji != "😮" || !r.mine), "the refused one is not shown: {shown:?}");
    Ok(())
}
