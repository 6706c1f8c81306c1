//! Votes as the client casts them, against the real backend: through the outbox, so a vote
//! cast offline counts once when the link is back, and a newer choice made offline replaces
//! an older one still waiting (the older must not win by arriving later).

use domkom_testkit::{Persona, TestClient, TestResult, TestServer};

#[tokio::test]
async fn a_vote_cast_offline_counts_once_and_the_last_choice_wins() -> TestResult {
    let mut server = TestServer::start().await?;
    let TestClient { client, .. } = &TestClient::signed_in(&server, Persona::Resident).await?;
    let chat =
        client.chats().list().await?.into_iter().find(|c| c.kind == domkom_domain::chat::CommunityKind::HouseChat);
    let chat = chat.ok_or("a house chat")?.community_id;
    let polls = client.polls().list(chat).await?;
    let running = polls.iter().find(|v| !v.closed).ok_or("the seed's running poll")?;
    let (id, before) = (running.poll.id, running.poll.options.iter().map(|o| o.votes).sum::<u32>());
    assert_eq!(running.my_vote, None, "the resident has not voted yet");

    server.stop().await?;
    let first = client.polls().vote(id, 0).await?;
    assert!(first.waiting.is_some(), "queued while the server is down");
    client.polls().vote(id, 1).await?;
    let outbox = client.outbox().await?;
    assert_eq!(outbox.iter().filter(|i| i.request.kind() == "vote").count(), 1, "the newer choice replaced the older");
    let shown = client.polls().list(chat).await?;
    let shown = shown.iter().find(|v| v.poll.id == id).ok_or("the poll")?;
    assert_eq!((shown.my_vote, shown.pending), (Some(1), true), "shown as cast, waiting");

    server.restart().await?;
    client.sync(&|_, _| {}).await?;
    assert!(client.outbox().await?.iter().all(|i| i.request.kind() != "vote"), "delivered");
    let counted = client.polls().list(chat).await?;
    let counted = counted.iter().find(|v| v.poll.id == id).ok_or("the poll")?;
    assert_eq!((counted.my_vote, counted.pending), (Some(1), false));
    assert_eq!(counted.poll.options.iter().map(|o| o.votes).sum::<u32>(), before + 1, "counted once, for her flat");
    assert!(counted.refused.is_none());
    Ok(())
}

#[tokio::test]
async fn a_vote_cast_on_one_device_shows_on_the_others() -> TestResult {
    let server = TestServer::start().await?;
    let TestClient { client: laptop, .. } = &TestClient::signed_in(&server, Persona::Resident).await?;
    let TestClient { client: desktop, .. } = &TestClient::signed_in(&server, Persona::Resident).await?;
    let TestClient { client: chair, .. } = &TestClient::signed_in(&server, Persona::Chair).await?;
    let chat =
        laptop.chats().list().await?.into_iter().find(|c| c.kind == domkom_domain::chat::CommunityKind::HouseChat);
    let chat = chat.ok_or("a house chat")?.community_id;
    let running = laptop.polls().list(chat).await?.into_iter().find(|v| !v.closed).ok_or("a running poll")?;
    assert!(laptop.polls().vote(running.poll.id, 2).await?.waiting.is_none(), "sent");
    desktop.sync(&|_, _| {}).await?;
    let seen = desktop.polls().list(chat).await?;
    let seen = seen.iter().find(|v| v.poll.id == running.poll.id).ok_or("the poll on the other device")?;
    assert_eq!(seen.my_vote, Some(2), "the other device shows her choice");
    chair.sync(&|_, _| {}).await?;
    let others = chair.polls().list(chat).await?;
    let others = others.iter().find(|v| v.poll.id == running.poll.id).ok_or("the chair's copy")?;
    assert_eq!(others.poll.options[2].votes, seen.poll.options[2].votes, "both see the same tally");
    Ok(())
}
