//! Microdistrict channels' conformance: a post for some of the complex's houses reaches only
//! their residents (and its author and the Inspection), in the feed and in the history; who
//! may address which houses; and reactions, one per person, read by whoever reads the post.

use domkom_domain::chat::{CommunityKind, Refusal};
use domkom_domain::id::*;
use domkom_domain::wire::{ChangeKind, ChangeOp, Community};

use super::{Failure, Outcome, all_changes, assert_refused, ensure, viewer};
use crate::store::{ChatError, Store, StoreError, Viewer};

/// The complex's channel and a member of it living in each of its first two houses.
fn channel_and_readers(store: &dyn Store) -> Result<(Community, Viewer, Viewer), Failure> {
    let dispatcher = viewer(store, "dispatcher")?;
    let inspector = viewer(store, "inspector")?;
    let mut channel = None;
    for &id in dispatcher.communities.keys() {
        let c = store.community(&dispatcher, id)?;
        if c.kind == CommunityKind::Microdistrict && c.house_ids.len() >= 2 {
            channel = Some(c);
        }
    }
    let channel = channel.ok_or("the dispatcher is in no channel of two houses")?;
    let mut readers = Vec::new();
    for &house in &channel.house_ids[..2] {
        let chat = store.house(&inspector, house)?.community_id.ok_or("a complex house without a chat")?;
        let page = store.history(&inspector, chat, None, 200)?;
        let reader = page
            .messages
            .iter()
            .filter_map(|m| store.viewer(m.author.id).ok().flatten())
            .find(|v| v.staff.is_none() && v.own_houses == [house].into() && v.communities.contains_key(&channel.id))
            .ok_or_else(|| format!("no resident of house {house} reads the channel"))?;
        readers.push(reader);
    }
    let b = readers.pop().ok_or("two readers")?;
    let a = readers.pop().ok_or("two readers")?;
    Ok((channel, a, b))
}

fn sees_message(store: &dyn Store, v: &Viewer, id: MessageId) -> Result<bool, Failure> {
    let (changes, _) = all_changes(store, v, 0, 5000, None)?;
    Ok(changes.iter().any(|c| c.kind == ChangeKind::Message && c.id == id.get() && c.op == ChangeOp::Upsert))
}

/// A post for one house of a complex reaches that house's residents only; the whole-complex
/// post reaches both; addresses are checked; reactions follow the post's readers.
pub fn channel_posts_reach_their_houses_and_take_reactions(store: &dyn Store) -> Outcome {
    let (channel, in_a, in_b) = channel_and_readers(store)?;
    let dispatcher = viewer(store, "dispatcher")?;
    let inspector = viewer(store, "inspector")?;
    let house_a = channel.house_ids[0];

    let for_a = store
        .post_message(
            &dispatcher,
            channel.id,
            "01900000-0000-7000-8000-000000000901",
            "Завтра промывка системы отопления в доме А",
            None,
            &[house_a],
        )?
        .message;
    ensure(for_a.houses == [house_a], "the post names its house")?;
    let for_all = store
        .post_message(&dispatcher, channel.id, "01900000-0000-7000-8000-000000000902", "Субботник", None, &[])?
        .message;
    ensure(sees_message(store, &in_a, for_a.id)?, "house A's resident gets the post for A")?;
    ensure(!sees_message(store, &in_b, for_a.id)?, "house B's resident does not get the post for A")?;
    ensure(sees_message(store, &in_b, for_all.id)?, "house B's resident gets the post for all")?;
    ensure(sees_message(store, &inspector, for_a.id)?, "the Inspection gets every post")?;
    ensure(sees_message(store, &dispatcher, for_a.id)?, "its author gets it")?;
    let history_b = store.history(&in_b, channel.id, None, 200)?;
    ensure(history_b.messages.iter().all(|m| m.id != for_a.id), "nor in house B's history")?;
    ensure(history_b.messages.iter().any(|m| m.id == for_all.id), "the post for all is in B's history")?;
    let history_a = store.history(&in_a, channel.id, None, 200)?;
    let ids: Vec<_> = history_a.messages.iter().map(|m| m.id).collect();
    ensure(ids.iter().filter(|&&id| id == for_a.id).count() == 1, "A's history holds the post once")?;

    // Addresses: only a channel's own houses, only one's own organisation's, only in a channel.
    let elsewhere = *dispatcher.managed.iter().find(|h| !channel.house_ids.contains(h)).ok_or("another house")?;
    assert_refused(
        store.post_message(&dispatcher, channel.id, "01900000-0000-7000-8000-000000000903", "x", None, &[elsewhere]),
        Refusal::HouseNotInChannel(elsewhere),
        "a house outside the complex",
    )?;
    let house_chat = *in_a.communities.keys().find(|&&c| c != channel.id).ok_or("A's house chat")?;
    assert_refused(
        store.post_message(&in_a, house_chat, "01900000-0000-7000-8000-000000000904", "x", None, &[house_a]),
        Refusal::TargetsOutsideChannel,
        "houses named in a house chat",
    )?;
    assert_refused(
        store.post_message(&in_a, channel.id, "01900000-0000-7000-8000-000000000905", "x", None, &[house_a]),
        Refusal::ReadOnlyChannel,
        "a resident posts to the channel",
    )?;

    // Nothing else reveals the post to house B: not a complaint, not the pins.
    match store.report(&in_b, for_a.id, "01900000-0000-7000-8000-000000000906", "Спам") {
        Err(crate::store::ModError::Store(StoreError::NotFound(_))) => {}
        other => return Err(format!("B complains of a post it cannot read: {other:?}").into()),
    }
    store.pin(&inspector, for_a.id, true)?;
    ensure(store.pins(&in_b, channel.id)?.iter().all(|m| m.id != for_a.id), "B's pins hold no post for A")?;
    let pins_a: Vec<_> = store.pins(&in_a, channel.id)?.into_iter().filter(|m| m.id == for_a.id).collect();
    ensure(pins_a.len() == 1, "A's pins hold it, once")?;
    // A reply to the post for A goes to A only.
    let reply = store
        .post_message(
            &dispatcher,
            channel.id,
            "01900000-0000-7000-8000-000000000907",
            "Уточнение",
            Some(for_a.id),
            &[],
        )?
        .message;
    ensure(reply.houses == [house_a], "a reply keeps the post's houses")?;
    ensure(!sees_message(store, &in_b, reply.id)?, "B does not get the reply")?;

    // Reactions: residents react; a reaction is one per person; it reaches the post's readers.
    let liked = store.react(&in_a, for_a.id, "👍")?;
    let changed = store.react(&in_a, for_a.id, "❤")?;
    ensure(changed.id == liked.id && changed.emoji == "❤️", "a second reaction replaces the first")?;
    match store.react(&in_b, for_a.id, "👍") {
        Err(ChatError::Store(StoreError::NotFound(_))) => {}
        other => return Err(format!("B reacts to a post it cannot read: {other:?}").into()),
    }
    assert_refused(store.react(&in_b, for_all.id, "🤡"), Refusal::UnknownReaction, "a reaction not offered")?;
    store.react(&in_b, for_all.id, "🙏")?;
    let reactions = |v: &Viewer| -> Result<Vec<(i64, ChangeOp)>, Failure> {
        let (changes, _) = all_changes(store, v, 0, 5000, None)?;
        Ok(changes.iter().filter(|c| c.kind == ChangeKind::Reaction).map(|c| (c.id, c.op)).collect())
    };
    ensure(reactions(&in_b)?.iter().all(|&(id, _)| id != liked.id.get()), "B does not see A's reaction")?;
    ensure(reactions(&dispatcher)?.iter().any(|&(id, _)| id == liked.id.get()), "the author sees it")?;
    let cursor = store.changes(&dispatcher, 0, 1, None)?.head;
    store.unreact(&in_a, for_a.id)?;
    store.unreact(&in_a, for_a.id)?;
    let (after, _) = all_changes(store, &dispatcher, cursor, 100, None)?;
    ensure(
        after.iter().any(|c| c.kind == ChangeKind::Reaction && c.id == liked.id.get() && c.op == ChangeOp::Delete),
        "a reaction taken back is a tombstone for its readers",
    )?;
    // A reaction taken back leaves its id unused: another one gets a new id, so a client
    // that missed the tombstone cannot take it for the old one.
    let newest = store.react(&in_a, for_all.id, "😮")?;
    store.unreact(&in_a, for_all.id)?;
    let next = store.react(&in_a, for_a.id, "😢")?;
    ensure(next.id != newest.id, "a new reaction, a new id")?;
    // History pages carry their messages' reactions (for a member who joined later).
    let page = store.history(&in_a, channel.id, None, 200)?;
    ensure(page.reactions.iter().any(|r| r.id == next.id), "the history page brings the reactions")?;
    ensure(page.reactions.iter().all(|r| page.messages.iter().any(|m| m.id == r.message_id)), "of its messages only")?;
    let outsider = viewer(store, "neighbour")?;
    match store.react(&outsider, for_all.id, "👍") {
        Err(ChatError::Refused(Refusal::NotMember)) => Ok(()),
        other => Err(format!("a non-member reacts: {other:?}").into()),
    }
}
