//! The tests every implementation of the store traits must pass, so that a second store (a
//! PostgreSQL one, say) is held to the same behaviour from its first commit: the
//! authorisation matrix, feed order and resume, idempotent sends, the chat rules, and purge
//! on leaving. Each check takes a fresh store holding the `small` seed; an implementation
//! runs them all with [`store_conformance!`](crate::store_conformance), given a function
//! that makes one:
//!
//! ```ignore
//! fn small_store() -> Result<Fixture, Failure> { … }
//! domkom_server::store_conformance!(small_store);
//! ```
//!
//! The checks speak only through the traits, as a client of the store would.

use std::any::Any;
use std::collections::BTreeSet;

mod channels;
mod governance;
mod moderation;
mod polls;

pub use channels::channel_posts_reach_their_houses_and_take_reactions;
pub use governance::{
    a_transfer_moves_the_house_between_organisations, applications_are_decided_by_the_inspection,
    small_houses_open_an_unofficial_chat,
};
pub use moderation::{moderation_matrix, mutes_bans_and_slow_mode_hold, the_log_is_complete_and_appeals_work};
pub use polls::polls_count_premises_and_close;

use domkom_domain::chat::Refusal;
use domkom_domain::id::*;
use domkom_domain::wire::{Change, ChangeKind, ChangeOp};

use super::{ChatError, Page, Scope, Store, StoreError, TicketFilter, Viewer, What};

/// Why a check failed.
pub type Failure = Box<dyn std::error::Error + Send + Sync>;

/// The outcome of a check.
pub type Outcome = Result<(), Failure>;

/// A fresh store holding the `small` seed, with whatever must live as long as it (its
/// temporary directory, a database it created).
pub struct Fixture {
    /// The store under test.
    pub store: Box<dyn Store>,
    /// Dropped after the store.
    pub keep: Box<dyn Any>,
}

/// Runs every conformance check against stores made by `$make`, a function returning
/// `Result<Fixture, Failure>`; one `#[test]` per check.
#[macro_export]
macro_rules! store_conformance {
    ($make:path) => {
        #[test]
        fn conformance_authorisation_matrix() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::authorisation_matrix(&*$make()?.store)
        }
        #[test]
        fn conformance_staff_see_only_their_organisations_houses() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::staff_see_only_their_organisations_houses(&*$make()?.store)
        }
        #[test]
        fn conformance_feed_is_ordered_and_resumes_from_any_cursor() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::feed_is_ordered_and_resumes_from_any_cursor(&*$make()?.store)
        }
        #[test]
        fn conformance_internal_ticket_comments_stay_with_the_staff() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::internal_ticket_comments_stay_with_the_staff(&*$make()?.store)
        }
        #[test]
        fn conformance_a_key_sends_one_message() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::a_key_sends_one_message(&*$make()?.store)
        }
        #[test]
        fn conformance_chat_rules_hold() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::chat_rules_hold(&*$make()?.store)
        }
        #[test]
        fn conformance_leaving_purges_the_chat() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::leaving_purges_the_chat(&*$make()?.store)
        }
        #[test]
        fn conformance_moderation_matrix() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::moderation_matrix(&*$make()?.store)
        }
        #[test]
        fn conformance_mutes_bans_and_slow_mode_hold() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::mutes_bans_and_slow_mode_hold(&*$make()?.store)
        }
        #[test]
        fn conformance_the_log_is_complete_and_appeals_work() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::the_log_is_complete_and_appeals_work(&*$make()?.store)
        }
        #[test]
        fn conformance_applications_are_decided_by_the_inspection() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::applications_are_decided_by_the_inspection(&*$make()?.store)
        }
        #[test]
        fn conformance_a_transfer_moves_the_house_between_organisations() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::a_transfer_moves_the_house_between_organisations(&*$make()?.store)
        }
        #[test]
        fn conformance_polls_count_premises_and_close() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::polls_count_premises_and_close(&*$make()?.store)
        }
        #[test]
        fn conformance_small_houses_open_an_unofficial_chat() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::small_houses_open_an_unofficial_chat(&*$make()?.store)
        }
        #[test]
        fn conformance_channel_posts_reach_their_houses_and_take_reactions() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::channel_posts_reach_their_houses_and_take_reactions(&*$make()?.store)
        }
        #[test]
        fn conformance_a_sale_purges_the_house() -> $crate::store::conformance::Outcome {
            $crate::store::conformance::a_sale_purges_the_house(&*$make()?.store)
        }
    };
}

/// A demo person's current view.
fn viewer(store: &dyn Store, key: &str) -> Result<Viewer, Failure> {
    let id = store.person_by_demo_key(key)?.ok_or_else(|| format!("no demo person {key}"))?;
    Ok(store.viewer(id)?.ok_or_else(|| format!("demo person {key} has no view"))?)
}

/// The first of a set, or a failure naming what was missing.
fn first<T: Copy>(set: &BTreeSet<T>, what: &str) -> Result<T, Failure> {
    Ok(*set.iter().next().ok_or_else(|| format!("no {what}"))?)
}

/// Asserts that a read was refused as not the viewer's.
fn assert_hidden<T: std::fmt::Debug>(outcome: Result<T, StoreError>, what: &str) -> Outcome {
    match outcome {
        Err(StoreError::NotVisible(_)) => Ok(()),
        other => Err(format!("{what}: expected NotVisible, got {other:?}").into()),
    }
}

/// Asserts that a read found nothing.
fn assert_missing<T: std::fmt::Debug>(outcome: Result<T, StoreError>, what: &str) -> Outcome {
    match outcome {
        Err(StoreError::NotFound(_)) => Ok(()),
        other => Err(format!("{what}: expected NotFound, got {other:?}").into()),
    }
}

/// Asserts that a chat action was refused by a rule.
fn assert_refused<T: std::fmt::Debug>(outcome: Result<T, ChatError>, refusal: Refusal, what: &str) -> Outcome {
    match outcome {
        Err(ChatError::Refused(r)) if r == refusal => Ok(()),
        other => Err(format!("{what}: expected {refusal:?}, got {other:?}").into()),
    }
}

fn ensure(condition: bool, what: &str) -> Outcome {
    if condition { Ok(()) } else { Err(what.to_owned().into()) }
}

/// Every change the viewer may see after a cursor, read in pages of `limit`.
fn all_changes(
    store: &dyn Store,
    viewer: &Viewer,
    after: i64,
    limit: usize,
    only: Option<Scope>,
) -> Result<(Vec<Change>, i64), Failure> {
    let (mut out, mut cursor) = (Vec::new(), after);
    loop {
        let page = store.changes(viewer, cursor, limit, only)?;
        ensure(page.changes.len() <= limit, "a page holds at most `limit` changes")?;
        out.extend(page.changes);
        cursor = page.cursor;
        if !page.has_more {
            return Ok((out, cursor));
        }
    }
}

/// A ticket's internal comments reach the house's dispatchers and the Inspection, never a
/// resident: not in the comment list, not in the feed, not through the staff audience; and
/// only staff write them.
pub fn internal_ticket_comments_stay_with_the_staff(store: &dyn Store) -> Outcome {
    use domkom_domain::ticket::CommentTicket;
    let resident = viewer(store, "resident")?;
    let dispatcher = viewer(store, "dispatcher")?;
    let inspector = viewer(store, "inspector")?;
    let house = first(&resident.own_houses, "house of the resident")?;
    let tickets = store.tickets(&resident, house, TicketFilter { status: None, after: 0, limit: 1000 })?;
    let ticket = tickets.iter().find(|t| !t.status.is_closed()).ok_or("no open ticket in the demo house")?.id;
    let internal = |n: u32| CommentTicket {
        client_key: format!("01930000-0000-7000-8000-{n:012}"),
        body: "Только для сотрудников".into(),
        internal: true,
    };
    let written = store.comment_ticket(&dispatcher, ticket, &internal(1)).map_err(|e| e.to_string())?;
    ensure(written.comment.internal, "the comment is internal")?;
    ensure(
        matches!(store.comment_ticket(&resident, ticket, &internal(2)), Err(super::TicketRefusal::InternalForbidden)),
        "a resident writes no internal comment",
    )?;
    for (who, sees) in [(&dispatcher, true), (&inspector, true), (&resident, false)] {
        let list = store.ticket_comments(who, ticket)?;
        ensure(list.iter().any(|c| c.id == written.comment.id) == sees, "who reads the internal comment")?;
    }
    let (feed, _) = all_changes(store, &resident, 0, 5000, None)?;
    ensure(
        feed.iter().all(|c| c.kind != ChangeKind::TicketComment || c.data["internal"] == serde_json::json!(false)),
        "no internal comment in a resident's feed",
    )?;
    assert_hidden(store.changes(&resident, 0, 10, Some(Scope::Staff(house))), "resident: the staff audience")?;
    let (staff_feed, _) = all_changes(store, &dispatcher, 0, 5000, None)?;
    ensure(
        staff_feed.iter().any(|c| c.kind == ChangeKind::TicketComment && c.id == written.comment.id.get()),
        "the dispatcher's feed carries it",
    )?;
    Ok(())
}

/// Residents see their house, its chat and their own flat's services; others' flats, other
/// houses and other chats are hidden; missing things are missing; unverified accounts see
/// nothing; the Inspection sees every house and community but no one's bills or meters.
pub fn authorisation_matrix(store: &dyn Store) -> Outcome {
    let resident = viewer(store, "resident")?;
    let house = first(&resident.own_houses, "house of the resident")?;
    let premises = first(&resident.premises, "premises of the resident")?;
    let community = *resident.communities.keys().next().ok_or("no chat of the resident")?;
    store.house(&resident, house)?;
    store.premises(&resident, house)?;
    store.notices(&resident, house)?;
    store.repairs(&resident, house)?;
    store.community(&resident, community)?;
    store.history(&resident, community, None, 10)?;
    let tickets = store.tickets(&resident, house, TicketFilter { status: None, after: 0, limit: 100 })?;
    let ticket = tickets.first().ok_or("no ticket in the demo house")?.id;
    store.ticket(&resident, ticket)?;
    let accounts = store.accounts(&resident)?;
    let account = accounts.first().ok_or("no account of the resident")?.id;
    ensure(!store.bills(&resident, account)?.is_empty(), "the resident's bills")?;
    let devices = store.premises_devices(&resident, premises)?;
    let device = devices.first().ok_or("no meter in the resident's flat")?.id;
    ensure(!store.readings(&resident, device)?.is_empty(), "the resident's readings")?;
    let collective = store.house_devices(&resident, house)?;

    let neighbour = viewer(store, "neighbour")?;
    ensure(!neighbour.houses.contains(&house), "the neighbour lives elsewhere")?;
    assert_hidden(store.house(&neighbour, house), "neighbour: house")?;
    assert_hidden(store.premises(&neighbour, house), "neighbour: premises")?;
    assert_hidden(
        store.tickets(&neighbour, house, TicketFilter { status: None, after: 0, limit: 10 }),
        "neighbour: tickets",
    )?;
    assert_hidden(store.ticket(&neighbour, ticket), "neighbour: ticket")?;
    assert_hidden(store.notices(&neighbour, house), "neighbour: notices")?;
    assert_hidden(store.community(&neighbour, community), "neighbour: chat")?;
    assert_refused(store.history(&neighbour, community, None, 10), Refusal::NotMember, "neighbour: history")?;
    assert_hidden(store.bills(&neighbour, account), "neighbour: bills")?;
    assert_hidden(store.premises_devices(&neighbour, premises), "neighbour: meters")?;
    assert_hidden(store.readings(&neighbour, device), "neighbour: readings")?;
    assert_hidden(store.changes(&neighbour, 0, 10, Some(Scope::House(house))), "neighbour: the house's feed")?;
    ensure(
        store.houses(&neighbour, Page { after: 0, limit: 100 })?.iter().all(|h| h.id != house),
        "neighbour: the house is not listed",
    )?;
    ensure(store.accounts(&neighbour)?.iter().all(|a| a.id != account), "neighbour: accounts are their own")?;

    let unverified = viewer(store, "unverified")?;
    ensure(unverified.houses.is_empty() && unverified.communities.is_empty(), "unverified: sees no house")?;
    assert_hidden(store.house(&unverified, house), "unverified: house")?;

    let inspector = viewer(store, "inspector")?;
    let all = store.houses(&inspector, Page { after: 0, limit: 1000 })?;
    ensure(all.len() > 1 && all.iter().any(|h| h.id == house), "the Inspection lists every house")?;
    for h in &all {
        store.house(&inspector, h.id)?;
        store.tickets(&inspector, h.id, TicketFilter { status: None, after: 0, limit: 10 })?;
    }
    store.community(&inspector, community)?;
    store.history(&inspector, community, None, 10)?;
    if let Some(d) = collective.first() {
        store.readings(&inspector, d.id)?;
    }
    assert_hidden(store.bills(&inspector, account), "inspector: a person's bills")?;
    assert_hidden(store.premises_devices(&inspector, premises), "inspector: a person's meters")?;
    assert_hidden(store.readings(&inspector, device), "inspector: a person's readings")?;
    let (feed, _) = all_changes(store, &inspector, 0, 5000, None)?;
    ensure(
        !feed.iter().any(|c| matches!(c.kind, ChangeKind::Bill | ChangeKind::Account)),
        "inspector: the feed carries no one's bills or accounts",
    )?;
    // Readings and meters only of the houses' collective meters, none of a flat's.
    let collective: BTreeSet<i64> = feed
        .iter()
        .filter(|c| c.kind == ChangeKind::Device)
        .filter(|c| c.data["premises_id"].is_null())
        .map(|c| c.id)
        .collect();
    ensure(
        feed.iter().filter(|c| c.kind == ChangeKind::Device).all(|c| collective.contains(&c.id)),
        "inspector: no flat's meter in the feed",
    )?;
    ensure(
        feed.iter()
            .filter(|c| c.kind == ChangeKind::Reading)
            .all(|c| c.data["device_id"].as_i64().is_some_and(|d| collective.contains(&d))),
        "inspector: no flat's reading in the feed",
    )?;

    assert_missing(store.house(&inspector, HouseId(i64::MAX)), "house")?;
    assert_missing(store.ticket(&inspector, TicketId(-1)), "ticket")?;
    assert_missing(store.community(&inspector, CommunityId(i64::MAX)), "community")?;
    assert_missing(store.premises(&inspector, HouseId(i64::MAX)), "premises of a missing house")?;
    assert_missing(store.bills(&resident, AccountId(i64::MAX)), "account")?;
    assert_missing(store.readings(&resident, DeviceId(i64::MAX)), "device")?;
    match store.history(&resident, CommunityId(i64::MAX), None, 10) {
        Err(ChatError::Store(StoreError::NotFound(What::Community))) => Ok(()),
        other => Err(format!("history of a missing chat: {other:?}").into()),
    }
}

/// A dispatcher sees the houses their organisation manages, their tickets and chats, and no
/// other organisation's houses, nor anyone's flat.
pub fn staff_see_only_their_organisations_houses(store: &dyn Store) -> Outcome {
    let dispatcher = viewer(store, "dispatcher")?;
    let org = dispatcher.org_id.ok_or("the dispatcher has no organisation")?;
    let inspector = viewer(store, "inspector")?;
    let all = store.houses(&inspector, Page { after: 0, limit: 1000 })?;
    let (ours, theirs): (Vec<_>, Vec<_>) = all.iter().partition(|h| h.org.as_ref().is_some_and(|o| o.id == org));
    ensure(!ours.is_empty() && !theirs.is_empty(), "the seed has houses of this and of other organisations")?;
    let listed: BTreeSet<HouseId> =
        store.houses(&dispatcher, Page { after: 0, limit: 1000 })?.into_iter().map(|h| h.id).collect();
    for h in &ours {
        ensure(listed.contains(&h.id), "the dispatcher lists their organisation's houses")?;
        store.house(&dispatcher, h.id)?;
        store.tickets(&dispatcher, h.id, TicketFilter { status: None, after: 0, limit: 10 })?;
    }
    for h in &theirs {
        ensure(!listed.contains(&h.id), "the dispatcher does not list another's houses")?;
        assert_hidden(store.house(&dispatcher, h.id), "dispatcher: another organisation's house")?;
        assert_hidden(
            store.tickets(&dispatcher, h.id, TicketFilter { status: None, after: 0, limit: 10 }),
            "dispatcher: another organisation's tickets",
        )?;
    }
    let resident = viewer(store, "resident")?;
    let account = store.accounts(&resident)?.first().ok_or("no account")?.id;
    assert_hidden(store.bills(&dispatcher, account), "dispatcher: a person's bills")?;
    assert_hidden(store.premises_devices(&dispatcher, first(&resident.premises, "premises")?), "dispatcher: meters")
}

/// The feed gives each entity's newest state once, in strictly increasing order, and from
/// any cursor with any page size gives exactly the rest.
pub fn feed_is_ordered_and_resumes_from_any_cursor(store: &dyn Store) -> Outcome {
    let resident = viewer(store, "resident")?;
    let community = *resident.communities.keys().next().ok_or("no chat")?;
    let mut edited = MessageId(0);
    for i in 0..6 {
        let key = format!("00000000-0000-7000-8000-00000000000{i}");
        let sent = store.send_message(&resident, community, &key, &format!("Сообщение {i}"), None)?;
        if i == 2 {
            edited = sent.message.id;
        }
    }
    // An edit moves the message to the end of the feed.
    store.edit_message(&resident, edited, "Сообщение 2, исправлено")?;
    let (all, head) = all_changes(store, &resident, 0, 1000, None)?;
    ensure(head == store.head()?, "the last cursor is the head")?;
    let seqs: Vec<i64> = all.iter().map(|c| c.seq).collect();
    ensure(seqs.windows(2).all(|w| w[0] < w[1]), "strictly increasing")?;
    let mut keys: Vec<(ChangeKind, i64)> = all.iter().map(|c| (c.kind, c.id)).collect();
    keys.sort_by_key(|(k, id)| (k.as_str(), *id));
    let n = keys.len();
    keys.dedup();
    ensure(keys.len() == n, "each entity once")?;
    let last = all.last().ok_or("an empty feed")?;
    ensure(last.kind == ChangeKind::Message && last.id == edited.get(), "the edit is the newest change")?;
    ensure(last.data["body"] == "Сообщение 2, исправлено", "with its new text")?;

    for (i, &cursor) in seqs.iter().enumerate().step_by(11) {
        for limit in [1, 7, 500] {
            let (tail, end) = all_changes(store, &resident, cursor, limit, None)?;
            let tail: Vec<i64> = tail.iter().map(|c| c.seq).collect();
            ensure(tail == seqs[i + 1..], &format!("from cursor {cursor} in pages of {limit}"))?;
            ensure(end == head, "ends at the head")?;
        }
    }
    let (nothing, end) = all_changes(store, &resident, head, 10, None)?;
    ensure(nothing.is_empty() && end == head, "nothing after the head")?;

    let (chat, _) = all_changes(store, &resident, 0, 1000, Some(Scope::Community(community)))?;
    ensure(!chat.is_empty(), "one audience's feed")?;
    ensure(
        chat.iter().all(|c| {
            matches!(
                c.kind,
                ChangeKind::Message
                    | ChangeKind::Community
                    | ChangeKind::ModEntry
                    | ChangeKind::Poll
                    | ChangeKind::Reaction
            )
        }),
        "one audience's feed holds only its entries",
    )
}

/// The same idempotency key twice stores one message; a key reused for other text is refused.
pub fn a_key_sends_one_message(store: &dyn Store) -> Outcome {
    let resident = viewer(store, "resident")?;
    let community = *resident.communities.keys().next().ok_or("no chat")?;
    let key = "01900000-0000-7000-8000-0000000000aa";
    let head = store.head()?;
    let first = store.send_message(&resident, community, key, "Когда дадут воду?", None)?;
    let again = store.send_message(&resident, community, key, "Когда дадут воду?", None)?;
    ensure(first.created && !again.created, "stored once, answered twice")?;
    ensure(first.message == again.message, "the same message both times")?;
    let (after, _) = all_changes(store, &resident, head, 100, None)?;
    let copies = after.iter().filter(|c| c.kind == ChangeKind::Message && c.data["client_key"] == key).count();
    ensure(copies == 1, "one message in the feed")?;
    assert_refused(
        store.send_message(&resident, community, key, "Другой текст", None),
        Refusal::KeyReused,
        "a key reused for another text",
    )?;
    // Another person's key is their own.
    let chair = viewer(store, "chair")?;
    ensure(store.send_message(&chair, community, key, "Другой текст", None)?.created, "keys are per author")?;
    // A deleted message answers its key still, and is not stored again.
    store.delete_message(&resident, first.message.id)?;
    let after_delete = store.send_message(&resident, community, key, "Когда дадут воду?", None)?;
    ensure(!after_delete.created && after_delete.message.id == first.message.id, "a deleted send is not redone")?;
    match store.send_message(
        &resident,
        community,
        "01900000-0000-7000-8000-0000000000ab",
        "ответ",
        Some(MessageId(i64::MAX)),
    ) {
        Err(ChatError::ReplyToUnknown) => Ok(()),
        other => Err(format!("a reply to nothing: {other:?}").into()),
    }
}

/// Only the author edits; the author or a moderator deletes; a deleted message is not edited;
/// outsiders do nothing.
pub fn chat_rules_hold(store: &dyn Store) -> Outcome {
    let resident = viewer(store, "resident")?;
    let chair = viewer(store, "chair")?;
    let neighbour = viewer(store, "neighbour")?;
    let community = *resident.communities.keys().next().ok_or("no chat")?;
    let mine = store.send_message(&resident, community, "01900000-0000-7000-8000-0000000000b1", "моё", None)?.message;
    let theirs = store.send_message(&chair, community, "01900000-0000-7000-8000-0000000000b2", "председатель", None)?;
    let theirs = theirs.message;
    assert_refused(store.edit_message(&chair, mine.id, "чужое"), Refusal::NotAuthor, "a chair edits another's")?;
    assert_refused(
        store.delete_message(&resident, theirs.id),
        Refusal::NotAuthorOrModerator,
        "a resident deletes another's",
    )?;
    assert_refused(
        store.send_message(&neighbour, community, "01900000-0000-7000-8000-0000000000b3", "эй", None),
        Refusal::NotMember,
        "an outsider posts",
    )?;
    assert_refused(store.delete_message(&neighbour, mine.id), Refusal::NotMember, "an outsider deletes")?;
    let edited = store.edit_message(&resident, mine.id, "моё, исправлено")?;
    ensure(edited.body == "моё, исправлено" && edited.edited_at.is_some(), "the author edits")?;
    match store.delete_message(&chair, mine.id) {
        Err(ChatError::Moderation(domkom_domain::moderation::ModRefusal::ReasonRequired)) => {}
        other => return Err(format!("a moderator deletes without a reason: {other:?}").into()),
    }
    let deleted = store.remove_message(&chair, mine.id, "не по теме")?;
    ensure(deleted.body.is_empty() && deleted.deleted_at.is_some(), "a moderator deletes; the text is erased")?;
    assert_refused(store.edit_message(&resident, mine.id, "снова"), Refusal::MessageDeleted, "edit after delete")?;
    let inspector = viewer(store, "inspector")?;
    store.remove_message(&inspector, theirs.id, "проверка")?;
    match store.edit_message(&resident, MessageId(i64::MAX), "нет такого") {
        Err(ChatError::Store(StoreError::NotFound(What::Message))) => Ok(()),
        other => Err(format!("edit of a missing message: {other:?}").into()),
    }
}

/// Whether the changes hold a delete of this kind.
fn has_delete(changes: &[Change], kind: ChangeKind) -> bool {
    changes.iter().any(|c| c.kind == kind && c.op == ChangeOp::Delete)
}

/// A person who leaves a chat is told (a delete of the membership) and no longer sees it;
/// they may join again.
pub fn leaving_purges_the_chat(store: &dyn Store) -> Outcome {
    let resident = viewer(store, "resident")?;
    let community = *resident.communities.keys().next().ok_or("no chat")?;
    let head = store.head()?;
    store.leave(&resident, community)?;
    let after = viewer(store, "resident")?;
    let (changes, _) = all_changes(store, &after, head, 100, None)?;
    ensure(has_delete(&changes, ChangeKind::Membership), "the leaver is told")?;
    ensure(!after.communities.contains_key(&community), "the chat is no longer theirs")?;
    assert_hidden(store.community(&after, community), "after leaving: the chat")?;
    assert_refused(store.history(&after, community, None, 10), Refusal::NotMember, "after leaving: history")?;
    assert_hidden(store.changes(&after, 0, 10, Some(Scope::Community(community))), "after leaving: its feed")?;
    assert_refused(store.leave(&after, community), Refusal::NotMember, "leaving twice")?;
    ensure(store.me(&after)?.offers.iter().any(|o| o.community_id == community), "the chat is offered again")?;
    let membership = store.join(&after, community)?;
    ensure(membership.community_id == community && membership.left_at.is_none(), "joined again")?;
    store.community(&viewer(store, "resident")?, community)?;
    Ok(())
}

/// A sale recorded in the registry ends the ownership and the chats of that house: the
/// former owner is told and no longer sees the house, and keeps their other house.
pub fn a_sale_purges_the_house(store: &dyn Store) -> Outcome {
    let owner = viewer(store, "multi-owner")?;
    ensure(owner.own_houses.len() >= 2, "the multi-owner holds flats in two houses")?;
    let sold_house = *owner.own_houses.iter().last().ok_or("no house")?;
    let kept_house = first(&owner.own_houses, "house")?;
    let sold = store
        .premises(&owner, sold_house)?
        .into_iter()
        .map(|p| p.id)
        .find(|p| owner.premises.contains(p))
        .ok_or("no premises of the owner in that house")?;
    let chat = store.house(&owner, sold_house)?.community_id.ok_or("the house has no chat")?;
    ensure(owner.communities.contains_key(&chat), "the owner is in that house's chat")?;
    let head = store.head()?;
    store.end_ownership(owner.person.id, sold)?;
    let after = viewer(store, "multi-owner")?;
    let (changes, _) = all_changes(store, &after, head, 100, None)?;
    ensure(has_delete(&changes, ChangeKind::Ownership), "the seller is told of the ownership")?;
    ensure(has_delete(&changes, ChangeKind::Membership), "and of the chat")?;
    assert_hidden(store.house(&after, sold_house), "after the sale: the house")?;
    assert_hidden(store.community(&after, chat), "after the sale: its chat")?;
    assert_hidden(store.premises_devices(&after, sold), "after the sale: the flat's meters")?;
    store.house(&after, kept_house)?;
    ensure(!store.me(&after)?.offers.iter().any(|o| o.community_id == chat), "the chat is not offered")?;
    assert_missing(store.end_ownership(owner.person.id, sold), "selling twice")
}

#[cfg(test)]
mod sqlite {
    use super::{Failure, Fixture};
    use crate::seed::Seed;

    /// A fresh SQLite store on the small seed in a temporary directory.
    fn small_store() -> Result<Fixture, Failure> {
        let dir = tempfile::tempdir()?;
        let store = crate::open_store(dir.path(), Seed::Small)?;
        Ok(Fixture { store: Box::new(store), keep: Box::new(dir) })
    }

    crate::store_conformance!(small_store);
}

/// The Inspection hands a small house's chat from the owner who opened it to the house's
/// organisation: the organisation applies although the opener holds the rights, and once
/// they are granted the opener is an ordinary member.
#[cfg(test)]
#[test]
fn an_owners_chat_passes_to_the_organisation_by_the_inspections_grant() -> Outcome {
    use crate::store::GovError;
    use domkom_domain::Role;
    use domkom_domain::governance::GovRefusal;
    let dir = tempfile::tempdir()?;
    let sqlite = crate::open_store(dir.path(), crate::seed::Seed::Small)?;
    let store: &dyn Store = &sqlite;
    let inspector = viewer(store, "inspector")?;
    let houses = store.houses(&inspector, Page { after: 0, limit: 1000 })?;
    let small = houses.iter().find(|h| h.flats < 16 && h.community_id.is_none()).ok_or("a small house")?.id;
    let owner: PersonId = sqlite.with_writer(|c| {
        c.query_row(
            "SELECT o.person_id FROM ownerships o JOIN premises p ON p.id = o.premises_id \
             WHERE p.house_id = ?1 AND o.until IS NULL ORDER BY o.person_id LIMIT 1",
            [small],
            |r| r.get(0),
        )
    })?;
    let opener = store.viewer(owner)?.ok_or("the owner")?;
    let chat = store.open_house_chat(&opener, small)?;
    ensure(store.viewer(owner)?.ok_or("owner")?.moderates.contains(&chat.id), "the opener moderates")?;

    // The demo organisation takes the house over; its dispatcher applies for the chat.
    let chair = viewer(store, "chair")?;
    let demo_chat = *chair.communities.keys().next().ok_or("no chat")?;
    store.send_message(&chair, demo_chat, "01900000-0000-7000-8000-000000000801", "сегодня", None)?;
    let day = governance::today(store, &chair, demo_chat)?;
    let org = viewer(store, "dispatcher")?.org_id.ok_or("no organisation")?;
    store.transfer(&inspector, small, org, &day, false)?;
    let dispatcher = viewer(store, "dispatcher")?;
    store.join(&dispatcher, chat.id).ok();
    let applied = store.apply_for_rights(&dispatcher, chat.id, Some("Дом в нашем управлении"))?;
    store.decide(&inspector, applied.id, true, None)?;
    let after = store.viewer(owner)?.ok_or("owner")?;
    ensure(!after.moderates.contains(&chat.id), "the opener no longer moderates")?;
    ensure(after.communities.get(&chat.id) == Some(&Role::Resident), "but stays, as a resident")?;
    ensure(store.community(&inspector, chat.id)?.admin_org_id == Some(org), "the organisation holds the rights")?;
    // Held by the organisation now: it does not apply again.
    match store.apply_for_rights(&viewer(store, "dispatcher")?, chat.id, None) {
        Err(GovError::Refused(GovRefusal::AlreadyGranted)) => Ok(()),
        other => Err(format!("applies for rights it holds: {other:?}").into()),
    }
}

/// A mute or slow mode that cannot be read stops the send with the storage error; it never
/// lets the message through as if there were none.
#[cfg(test)]
#[test]
fn a_send_whose_limits_cannot_be_read_is_not_let_through() -> Outcome {
    let dir = tempfile::tempdir()?;
    let sqlite = crate::open_store(dir.path(), crate::seed::Seed::Small)?;
    let store: &dyn Store = &sqlite;
    let resident = viewer(store, "resident")?;
    let community = *resident.communities.keys().next().ok_or("no chat")?;
    let before: i64 = sqlite.with_writer(|c| c.query_row("SELECT count(*) FROM messages", [], |r| r.get(0)))?;
    // The limits' column goes missing (a damaged or half-migrated database).
    sqlite.with_writer(|c| {
        c.execute_batch("DROP VIEW feed_community; ALTER TABLE communities RENAME COLUMN slow_mode_s TO gone;")
    })?;
    match store.send_message(&resident, community, "01900000-0000-7000-8000-000000000811", "Проверка", None) {
        Err(ChatError::Store(_)) => {}
        other => return Err(format!("a send past unreadable limits: {other:?}").into()),
    }
    let after: i64 = sqlite.with_writer(|c| c.query_row("SELECT count(*) FROM messages", [], |r| r.get(0)))?;
    ensure(after == before, "nothing was stored")
}
