//! Moderation's conformance: who may do what where, mutes, slow mode and bans on sends and
//! joins, complaints, and a log every member reads and may appeal.

use domkom_domain::chat::{AdminStatus, CommunityKind};
use domkom_domain::id::*;
use domkom_domain::moderation::{ModAction, ModRefusal, ReportState, Resolution};
use domkom_domain::wire::{ChangeKind, ChangeOp};

use super::{Failure, Outcome, all_changes, ensure, viewer};
use crate::store::{ChatError, ModError, Store, Viewer};

/// Asserts a moderation refusal.
fn refused<T: std::fmt::Debug>(outcome: Result<T, ModError>, refusal: &ModRefusal, what: &str) -> Outcome {
    match outcome {
        Err(ModError::Refused(r)) if &r == refusal => Ok(()),
        other => Err(format!("{what}: expected {refusal:?}, got {other:?}").into()),
    }
}

/// Asserts a send refused by a moderator's limit.
fn send_refused<T: std::fmt::Debug>(outcome: Result<T, ChatError>, what: &str) -> Result<ModRefusal, Failure> {
    match outcome {
        Err(ChatError::Moderation(r)) => Ok(r),
        other => Err(format!("{what}: expected a moderation refusal, got {other:?}").into()),
    }
}

/// A fresh message of `author` in a community.
fn say(store: &dyn Store, author: &Viewer, community: CommunityId, n: u32, text: &str) -> Result<MessageId, Failure> {
    let key = format!("01900000-0000-7000-8000-{n:012x}");
    Ok(store.send_message(author, community, &key, text, None)?.message.id)
}

/// The demo house chat, a foreign house chat (the neighbour's) and a chat whose admin
/// rights are pending.
fn three_chats(store: &dyn Store) -> Result<[CommunityId; 3], Failure> {
    let resident = viewer(store, "resident")?;
    let inspector = viewer(store, "inspector")?;
    let own = *resident.communities.keys().next().ok_or("no chat of the resident")?;
    let neighbour = viewer(store, "neighbour")?;
    let foreign =
        *neighbour.communities.keys().find(|c| !resident.communities.contains_key(c)).ok_or("no foreign chat")?;
    let pending = (1..200)
        .map(CommunityId)
        .filter_map(|id| store.community(&inspector, id).ok())
        .find(|c| c.kind == CommunityKind::HouseChat && c.admin_status == AdminStatus::Pending)
        .ok_or("the seed has no chat with pending rights")?
        .id;
    ensure(
        store.community(&inspector, own)?.admin_status == AdminStatus::Granted,
        "the demo chat's rights are granted",
    )?;
    Ok([own, foreign, pending])
}

/// Every moderation action × role × the own, a foreign and a pending community: a chair
/// moderates only their own chat with granted rights, the Inspection every chat; a member
/// reads the log and complains, an outsider does neither.
pub fn moderation_matrix(store: &dyn Store) -> Outcome {
    let [own, foreign, pending] = three_chats(store)?;
    let inspector = viewer(store, "inspector")?;
    let mut n = 0x100;
    for (community, name) in [(own, "own"), (foreign, "foreign"), (pending, "pending")] {
        // A resident's message to act on: a member of that community speaks.
        let page = store.history(&inspector, community, None, 50)?;
        let target =
            page.messages.iter().find(|m| m.deleted_at.is_none() && m.author.role == domkom_domain::Role::Resident);
        let target = target.ok_or(format!("{name}: no resident's message"))?;
        let (message, author) = (target.id, target.author.id);
        for key in ["resident", "chair", "dispatcher", "inspector", "neighbour", "unverified"] {
            let who = viewer(store, key)?;
            let member = who.communities.contains_key(&community);
            let moderates = key == "inspector" || (key == "chair" && community == own);
            let expected = if moderates {
                None
            } else if member || key == "inspector" {
                Some(ModRefusal::NotModerator)
            } else {
                Some(ModRefusal::NotMember)
            };
            let what = |action: &str| format!("{key} {action} in the {name} chat");
            let check = |outcome: Result<(), ModError>, action: &str| -> Outcome {
                match (&expected, outcome) {
                    (None, Ok(())) => Ok(()),
                    (Some(r), outcome) => refused(outcome, r, &what(action)),
                    (None, Err(e)) => Err(format!("{}: refused: {e:?}", what(action)).into()),
                }
            };
            check(store.pin(&who, message, true).map(drop), "pins")?;
            check(store.pin(&who, message, false).map(drop), "unpins")?;
            check(store.set_slow_mode(&who, community, 0).map(drop), "sets slow mode")?;
            check(store.reports(&who, community).map(drop), "lists complaints")?;
            check(store.mute(&who, community, author, Some(600), Some("флуд")).map(drop), "mutes")?;
            check(store.mute(&who, community, author, None, None).map(drop), "unmutes")?;
            // The log: members read it, the Inspection reads every one, outsiders none.
            let log = store.mod_log(&who, community, None, 10);
            if member || key == "inspector" {
                log?;
            } else {
                refused(log, &ModRefusal::NotMember, &what("reads the log"))?;
            }
            // A complaint: any member but the author, never an outsider.
            n += 1;
            let complaint = store.report(&who, message, &format!("01900000-0000-7000-8000-{n:012x}"), "грубость");
            if member || key == "inspector" {
                complaint?;
            } else {
                refused(complaint, &ModRefusal::NotMember, &what("complains"))?;
            }
        }
        // Deleting and banning end things: the last allowed moderator does them once.
        for key in ["resident", "dispatcher", "neighbour"] {
            let who = viewer(store, key)?;
            ensure(store.remove_message(&who, message, "спам").is_err(), &format!("{key} deletes in the {name} chat"))?;
            ensure(
                store.ban(&who, community, author, true, Some("спам")).is_err(),
                &format!("{key} bans in the {name} chat"),
            )?;
        }
        let moderator = if community == own { viewer(store, "chair")? } else { inspector.clone() };
        if community != own {
            refused(
                store.remove_message(&viewer(store, "chair")?, message, "спам"),
                &ModRefusal::NotMember,
                &format!("the chair deletes in the {name} chat"),
            )?;
        }
        let removed = store.remove_message(&moderator, message, "спам")?;
        ensure(
            removed.deleted_reason.as_deref() == Some("спам") && removed.body.is_empty(),
            "deleted with its reason",
        )?;
        store.ban(&moderator, community, author, true, Some("спам"))?;
        refused(
            store.ban(&viewer(store, "chair")?, community, author, false, None),
            &if community == own { ModRefusal::InspectionOnly } else { ModRefusal::NotMember },
            "the chair lifts a ban",
        )?;
        store.ban(&inspector, community, author, false, None)?;
    }
    Ok(())
}

/// A muted member reads but cannot send, edit or react (a reaction given before may be taken
/// back), and is told until when; slow mode spaces
/// a resident's messages; a banned member loses the chat, cannot rejoin, and is not offered
/// it until the Inspection lifts the ban. Moderators act on residents only.
pub fn mutes_bans_and_slow_mode_hold(store: &dyn Store) -> Outcome {
    let [own, ..] = three_chats(store)?;
    let chair = viewer(store, "chair")?;
    let resident = viewer(store, "resident")?;
    let inspector = viewer(store, "inspector")?;
    let mine = say(store, &resident, own, 0x201, "до ограничения")?;
    let before = say(store, &chair, own, 0x20f, "объявление")?;
    store.react(&resident, before, "👍")?;

    let entry = store.mute(&chair, own, resident.person.id, Some(3600), Some("оскорбления"))?;
    ensure(entry.action == ModAction::Mute && entry.until.is_some(), "a mute says until when")?;
    let head = store.head()?;
    let until = entry.until.clone().unwrap_or_default();
    let refusal = send_refused(
        store.send_message(&resident, own, "01900000-0000-7000-8000-000000000202", "а я", None),
        "a muted send",
    )?;
    ensure(matches!(&refusal, ModRefusal::Muted { until: u } if !u.is_empty()), "the refusal says until when")?;
    send_refused(store.edit_message(&resident, mine, "правка"), "a muted edit")?;
    send_refused(store.react(&resident, before, "😢"), "a muted reaction")?;
    store.unreact(&resident, before)?;
    store.history(&resident, own, None, 5)?;
    let (changes, _) = all_changes(store, &resident, head.saturating_sub(10), 100, None)?;
    ensure(
        changes.iter().any(|c| c.kind == ChangeKind::Membership && c.data["muted_until"].as_str().is_some()),
        "the muted member's feed says so",
    )?;
    ensure(!until.is_empty(), "until")?;
    store.mute(&chair, own, resident.person.id, None, None)?;
    say(store, &resident, own, 0x203, "снова можно")?;

    refused(store.mute(&chair, own, chair.person.id, Some(600), None), &ModRefusal::TargetProtected, "muting oneself")?;
    let dispatcher = viewer(store, "dispatcher")?;
    if dispatcher.communities.contains_key(&own) {
        refused(
            store.mute(&chair, own, dispatcher.person.id, Some(600), None),
            &ModRefusal::TargetProtected,
            "muting staff",
        )?;
    }
    refused(store.mute(&chair, own, resident.person.id, Some(10), None), &ModRefusal::MutePeriod, "a 10-second mute")?;
    refused(store.set_slow_mode(&chair, own, 7200), &ModRefusal::SlowModeRange, "slow mode of two hours")?;

    // Slow mode counts from a resident's last message, even one sent before it was set.
    let community = store.set_slow_mode(&chair, own, 60)?;
    ensure(community.slow_mode_s == 60, "slow mode is on the community")?;
    let refusal = send_refused(
        store.send_message(&resident, own, "01900000-0000-7000-8000-000000000205", "два", None),
        "slow mode",
    )?;
    ensure(
        matches!(refusal, ModRefusal::SlowMode { interval: 60, retry_in } if (1..=60).contains(&retry_in)),
        "slow mode says how long",
    )?;
    say(store, &chair, own, 0x206, "модератор пишет")?;
    say(store, &chair, own, 0x207, "и ещё раз")?;
    store.set_slow_mode(&chair, own, 0)?;
    say(store, &resident, own, 0x208, "два")?;
    say(store, &resident, own, 0x209, "три")?;

    let owner = viewer(store, "multi-owner")?;
    let head = store.head()?;
    store.ban(&chair, own, owner.person.id, true, Some("спам"))?;
    let banned = viewer(store, "multi-owner")?;
    let (changes, _) = all_changes(store, &banned, head, 100, None)?;
    ensure(
        changes.iter().any(|c| c.kind == ChangeKind::Membership && c.op == ChangeOp::Delete),
        "the banned are told",
    )?;
    ensure(!banned.communities.contains_key(&own), "a ban ends the membership")?;
    ensure(!banned.sees(crate::store::Scope::Community(own)), "the banned member's stream no longer carries the chat")?;
    let refusal = send_refused(
        store.send_message(&banned, own, "01900000-0000-7000-8000-000000000209", "эй", None),
        "a banned send",
    )?;
    ensure(refusal == ModRefusal::Banned, "a banned send is refused as banned")?;
    match store.join(&banned, own) {
        Err(ChatError::Moderation(ModRefusal::Banned)) => {}
        other => return Err(format!("a banned member joins: {other:?}").into()),
    }
    ensure(!store.me(&banned)?.offers.iter().any(|o| o.community_id == own), "the chat is not offered to the banned")?;
    store.ban(&inspector, own, owner.person.id, false, None)?;
    ensure(store.me(&banned)?.offers.iter().any(|o| o.community_id == own), "offered again after the ban is lifted")?;
    store.join(&banned, own)?;
    Ok(())
}

/// Complaints reach the moderators' queue once per person; resolving deletes or dismisses;
/// every action is in the log with who, when and why; members read it without the deleted
/// words, moderators and the Inspection with them; an appeal is answered by the Inspection.
pub fn the_log_is_complete_and_appeals_work(store: &dyn Store) -> Outcome {
    let [own, ..] = three_chats(store)?;
    let chair = viewer(store, "chair")?;
    let resident = viewer(store, "resident")?;
    let owner = viewer(store, "multi-owner")?;
    let inspector = viewer(store, "inspector")?;
    let before = store.mod_log(&resident, own, None, 1000)?.len();
    let head = store.head()?;

    let rude = say(store, &owner, own, 0x301, "грубое сообщение")?;
    let spam = say(store, &owner, own, 0x302, "продаю гараж недорого")?;
    let rules = say(store, &chair, own, 0x303, "Правила чата: уважайте соседей.")?;
    let first = store.report(&resident, rude, "01900000-0000-7000-8000-000000000304", "грубость")?;
    ensure(first.created && first.report.state == ReportState::Open, "a complaint is stored")?;
    let again = store.report(&resident, rude, "01900000-0000-7000-8000-000000000305", "грубость")?;
    ensure(!again.created && again.report.id == first.report.id, "one complaint per person and message")?;
    refused(store.report(&owner, rude, "01900000-0000-7000-8000-000000000306", "сам"), &ModRefusal::ReportOwn, "own")?;
    let other = store.report(&resident, spam, "01900000-0000-7000-8000-000000000307", "реклама")?;
    refused(store.reports(&resident, own), &ModRefusal::NotModerator, "a resident reads the queue")?;
    let queue = store.reports(&chair, own)?;
    ensure(queue.iter().take_while(|r| r.state == ReportState::Open).any(|r| r.id == first.report.id), "open first")?;
    ensure(queue.iter().any(|r| r.excerpt == "грубое сообщение"), "the queue shows the words reported")?;

    store.pin(&chair, rules, true)?;
    let resolved = store.resolve_report(&chair, first.report.id, Resolution::Delete, Some("грубость"))?;
    ensure(resolved.state == ReportState::Deleted, "resolved by deleting")?;
    refused(
        store.resolve_report(&chair, first.report.id, Resolution::Dismiss, None),
        &ModRefusal::ReportResolved,
        "twice",
    )?;
    store.resolve_report(&chair, other.report.id, Resolution::Dismiss, Some("объявление уместно"))?;
    store.mute(&chair, own, owner.person.id, Some(86_400), Some("грубость"))?;
    let gone = store.history(&resident, own, None, 10)?;
    let gone = gone.messages.iter().find(|m| m.id == rude).ok_or("the deleted message left the history")?;
    ensure(gone.body.is_empty() && gone.deleted_reason.as_deref() == Some("грубость"), "members read the reason")?;

    let log = store.mod_log(&resident, own, None, 1000)?;
    let actions: Vec<ModAction> = log.iter().take(log.len() - before).rev().map(|e| e.action).collect();
    ensure(
        actions == [ModAction::Pin, ModAction::Delete, ModAction::Dismiss, ModAction::Mute],
        &format!("the log holds every action in order: {actions:?}"),
    )?;
    ensure(log.iter().all(|e| e.removed_text.is_none()), "members do not read deleted words")?;
    let delete = log.iter().find(|e| e.action == ModAction::Delete && e.message_id == Some(rude)).ok_or("no delete")?;
    ensure(delete.actor_id == chair.person.id && delete.reason.as_deref() == Some("грубость"), "who and why")?;
    for staff in [&chair, &inspector] {
        let seen = store.mod_log(staff, own, None, 1000)?;
        let d = seen.iter().find(|e| e.id == delete.id).ok_or("no delete for a moderator")?;
        ensure(d.removed_text.as_deref() == Some("грубое сообщение"), "moderators read the deleted words")?;
    }
    let (feed, _) = all_changes(store, &resident, head, 1000, None)?;
    ensure(
        feed.iter().filter(|c| c.kind == ChangeKind::ModEntry).all(|c| c.data["removed_text"].is_null()),
        "the members' feed carries no deleted words",
    )?;
    ensure(
        !feed.iter().any(|c| c.kind == ChangeKind::Report && c.data["reporter_id"] != resident.person.id.get()),
        "others' complaints stay with the moderators",
    )?;

    let appealed = store.appeal(&owner, delete.id, "Я не грубил, это цитата.")?;
    ensure(appealed.appeal.as_ref().is_some_and(|a| a.answer.is_none()), "the appeal waits")?;
    refused(store.appeal(&resident, delete.id, "и я"), &ModRefusal::AlreadyAppealed, "a second appeal")?;
    refused(store.answer_appeal(&chair, delete.id, "нет"), &ModRefusal::InspectionOnly, "a chair answers")?;
    refused(
        store.appeal(&viewer(store, "neighbour")?, delete.id, "чужой"),
        &ModRefusal::NotMember,
        "an outsider appeals",
    )?;
    store.answer_appeal(&inspector, delete.id, "Удаление обосновано: в сообщении оскорбление.")?;
    refused(store.answer_appeal(&inspector, delete.id, "ещё"), &ModRefusal::NoOpenAppeal, "answered twice")?;
    let log = store.mod_log(&owner, own, None, 1000)?;
    let answered = log.iter().find(|e| e.id == delete.id).and_then(|e| e.appeal.clone()).ok_or("no appeal")?;
    ensure(
        answered.answer.as_deref() == Some("Удаление обосновано: в сообщении оскорбление."),
        "the answer is in the log",
    )
}
