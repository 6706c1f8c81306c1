//! Governance's conformance: the Inspection decides applications for admin rights (and the
//! city's pending count follows), and a transfer moves a house, its chat and its tickets
//! from one organisation's staff to another's while history stays with the house.

use domkom_domain::Role;
use domkom_domain::chat::AdminStatus;
use domkom_domain::governance::{ApplicationState, GovRefusal};
use domkom_domain::id::*;
use domkom_domain::moderation::ModRefusal;
use domkom_domain::wire::{ChangeKind, ChangeOp};

use super::{Failure, Outcome, all_changes, ensure, viewer};
use crate::store::{GovError, ModError, Page, Store, TicketFilter};

fn refused<T: std::fmt::Debug>(outcome: Result<T, GovError>, refusal: &GovRefusal, what: &str) -> Outcome {
    match outcome {
        Err(GovError::Refused(r)) if &r == refusal => Ok(()),
        other => Err(format!("{what}: expected {refusal:?}, got {other:?}").into()),
    }
}

/// Today as the store's clock has it (for a transfer's date).
pub(super) fn today(store: &dyn Store, who: &crate::store::Viewer, community: CommunityId) -> Result<String, Failure> {
    let page = store.history(who, community, None, 1)?;
    // The newest message was written just now by the test, so its day is the store's today.
    Ok(page.messages.first().map(|m| m.created_at[..10].to_owned()).ok_or("no message")?)
}

/// The Inspection's queue holds the seeded application of a chat whose rights are pending; a
/// refusal says why; the organisation managing the house applies; a grant gives it the
/// rights, and the city's pending count falls by one. Nobody else decides.
pub fn applications_are_decided_by_the_inspection(store: &dyn Store) -> Outcome {
    let inspector = viewer(store, "inspector")?;
    let dispatcher = viewer(store, "dispatcher")?;
    let open = store.applications(&inspector, Some(ApplicationState::Open))?;
    let seeded = open.first().ok_or("the seed has no open application")?.clone();
    let pending = store.community(&inspector, seeded.community_id)?;
    ensure(pending.admin_status == AdminStatus::Pending, "the application is for a chat with pending rights")?;
    ensure(
        store.applications(&dispatcher, None)?.iter().all(|a| a.community_id != seeded.community_id),
        "another organisation's staff do not see the application",
    )?;
    for key in ["resident", "chair", "dispatcher", "neighbour"] {
        refused(store.decide(&viewer(store, key)?, seeded.id, true, None), &GovRefusal::InspectionOnly, key)?;
    }
    refused(store.decide(&inspector, seeded.id, false, Some("  ")), &GovRefusal::ReasonRequired, "a bare refusal")?;
    let refusal = store.decide(&inspector, seeded.id, false, Some("Нет протокола собрания собственников"))?;
    ensure(refusal.state == ApplicationState::Refused && refusal.reason.is_some(), "refused with its reason")?;
    refused(store.decide(&inspector, seeded.id, true, None), &GovRefusal::Decided, "deciding twice")?;

    // The demo organisation does not manage that house: it may not apply, until it does.
    refused(store.apply_for_rights(&dispatcher, seeded.community_id, None), &GovRefusal::NotApplicant, "a stranger")?;
    let house = seeded.house_id;
    let org = dispatcher.org_id.ok_or("the dispatcher has no organisation")?;
    let chair = viewer(store, "chair")?;
    let demo_chat = *chair.communities.keys().next().ok_or("no chat")?;
    store.send_message(&chair, demo_chat, "01900000-0000-7000-8000-000000000401", "сегодня", None)?;
    let day = today(store, &chair, demo_chat)?;
    store.transfer(&inspector, house, org, &day, false)?;
    let dispatcher = viewer(store, "dispatcher")?;
    refused(store.apply_for_rights(&dispatcher, demo_chat, None), &GovRefusal::AlreadyGranted, "granted already")?;
    // The rule is the domain's `may_apply` on the house's management: the chair of a house
    // a company manages does not apply (the company does), nor does a resident; who may act
    // is judged before what they wrote.
    refused(
        store.apply_for_rights(&chair, demo_chat, None),
        &GovRefusal::NotApplicant,
        "the chair of a company's house",
    )?;
    let long = "я".repeat(2000);
    let resident = viewer(store, "resident")?;
    refused(store.apply_for_rights(&resident, demo_chat, Some(&long)), &GovRefusal::NotApplicant, "a resident")?;
    let before = store.city_stats()?.chats_admin_pending;
    let applied = store.apply_for_rights(&dispatcher, seeded.community_id, Some("Модератор — диспетчерская служба"))?;
    ensure(applied.state == ApplicationState::Open && applied.org_id == Some(org), "the organisation applied")?;
    refused(store.apply_for_rights(&dispatcher, seeded.community_id, None), &GovRefusal::AlreadyOpen, "twice")?;
    ensure(store.applications(&inspector, Some(ApplicationState::Open))?.iter().any(|a| a.id == applied.id), "queued")?;
    let granted = store.decide(&inspector, applied.id, true, None)?;
    ensure(granted.state == ApplicationState::Granted, "granted")?;
    let chat = store.community(&inspector, seeded.community_id)?;
    ensure(
        chat.admin_status == AdminStatus::Granted && chat.admin_org_id == Some(org),
        "the rights are the organisation's",
    )?;
    ensure(store.city_stats()?.chats_admin_pending == before - 1, "the city's pending count falls by one")?;
    Ok(())
}

/// A transfer: the old organisation's staff lose the house, its chat and its tickets (their
/// feed says so), the new one's gain them with the whole history; the message count is the
/// same but for the Inspection's notice in the chat; rights go back to pending and the
/// chair steps down, so only the Inspection moderates; a repeat, a bad date or anyone but the Inspection is refused.
pub fn a_transfer_moves_the_house_between_organisations(store: &dyn Store) -> Outcome {
    let inspector = viewer(store, "inspector")?;
    let dispatcher = viewer(store, "dispatcher")?;
    let chair = viewer(store, "chair")?;
    let resident = viewer(store, "resident")?;
    let community = *resident.communities.keys().next().ok_or("no chat")?;
    let house = store.community(&inspector, community)?.house_id.ok_or("no house")?;
    ensure(
        dispatcher.managed.contains(&house) && dispatcher.communities.contains_key(&community),
        "staff of the house",
    )?;
    let old_org = dispatcher.org_id.ok_or("no organisation")?;
    let new_org = store.orgs()?.into_iter().map(|o| o.id).find(|&o| o != old_org).ok_or("one organisation")?;
    store.send_message(&chair, community, "01900000-0000-7000-8000-000000000501", "до передачи", None)?;
    let day = today(store, &chair, community)?;
    let count = |who| -> Result<usize, Failure> {
        let mut n = 0;
        let mut before = None;
        loop {
            let page = store.history(who, community, before, 200)?;
            n += page.messages.len();
            before = page.messages.last().map(|m| m.id);
            if !page.has_more {
                return Ok(n);
            }
        }
    };
    let messages = count(&inspector)?;
    let tickets = store.tickets(&inspector, house, TicketFilter { status: None, after: 0, limit: 10_000 })?.len();

    for key in ["resident", "chair", "dispatcher"] {
        refused(store.transfer(&viewer(store, key)?, house, new_org, &day, false), &GovRefusal::InspectionOnly, key)?;
    }
    refused(store.transfer(&inspector, house, old_org, &day, false), &GovRefusal::SameOrganisation, "to itself")?;
    refused(
        store.transfer(&inspector, house, new_org, "вчера", false),
        &GovRefusal::BadDate("вчера".into()),
        "a word",
    )?;
    ensure(
        matches!(
            store.transfer(&inspector, house, new_org, "2999-01-01", false),
            Err(GovError::Refused(GovRefusal::DateOutOfRange { .. }))
        ),
        "a day ahead",
    )?;

    let assigned: Vec<_> = store
        .tickets(&inspector, house, TicketFilter { status: None, after: 0, limit: 10_000 })?
        .into_iter()
        .filter(|t| t.assignee_id.is_some() && !t.status.is_closed())
        .map(|t| t.id)
        .collect();
    ensure(!assigned.is_empty(), "the house has open tickets with an executor")?;
    let head = store.head()?;
    let done = store.transfer(&inspector, house, new_org, &day, false)?;
    for &id in &assigned {
        let t = store.ticket(&inspector, id)?;
        let last = t.history.last().ok_or("a history")?;
        ensure(
            t.assignee_id.is_none()
                && last.kind == domkom_domain::ticket::TicketEventKind::Assign
                && last.actor_id == inspector.person.id
                && last.note.contains("передан"),
            "an open ticket's executor is taken back, and its history says why",
        )?;
    }
    ensure(done.from_org_id == Some(old_org) && done.staff_removed >= 1, "the old staff lost it")?;
    ensure(done.admin_status == AdminStatus::Pending, "rights go back to pending")?;
    let former = viewer(store, "dispatcher")?;
    ensure(!former.managed.contains(&house) && !former.houses.contains(&house), "the old staff's view has no house")?;
    ensure(!former.communities.contains_key(&community), "nor its chat")?;
    let (told, _) = all_changes(store, &former, head, 1000, None)?;
    ensure(
        told.iter().any(|c| c.kind == ChangeKind::House && c.op == ChangeOp::Delete && c.id == house.get()),
        "the old staff's feed purges the house",
    )?;
    ensure(told.iter().any(|c| c.kind == ChangeKind::Membership && c.op == ChangeOp::Delete), "and the chat")?;
    ensure(store.house(&former, house).is_err(), "the old staff read nothing of the house")?;
    ensure(store.history(&former, community, None, 1).is_err(), "nor of its chat")?;

    ensure(count(&inspector)? == messages + 1, "history stays, with the Inspection's notice")?;
    let notice = store.history(&resident, community, None, 1)?;
    ensure(notice.messages.first().is_some_and(|m| m.body.contains("домом управляет")), "the residents are told")?;
    ensure(
        store.tickets(&inspector, house, TicketFilter { status: None, after: 0, limit: 10_000 })?.len() == tickets,
        "the tickets stay with the house",
    )?;
    ensure(store.mod_log(&resident, community, None, 10)?.len() >= 2, "and the moderation log")?;
    // The chair appointed under the old management stepped down, and the rights are pending:
    // only the Inspection moderates now.
    let former_chair = viewer(store, "chair")?;
    ensure(former_chair.communities.get(&community) == Some(&Role::Resident), "the chair stepped down")?;
    match store.pin(&former_chair, notice.messages[0].id, true) {
        Err(ModError::Refused(ModRefusal::NotModerator)) => {}
        other => return Err(format!("a former chair moderates: {other:?}").into()),
    }
    store.pin(&inspector, notice.messages[0].id, true)?;

    // Back to the demo organisation, with the rights granted at once: its dispatcher gains
    // the house, its chat with the whole history, and its tickets.
    let head = store.head()?;
    let back = store.transfer(&inspector, house, old_org, &day, true)?;
    ensure(back.admin_status == AdminStatus::Granted && back.staff_added >= 1, "the new staff gained it")?;
    let gained = viewer(store, "dispatcher")?;
    ensure(gained.managed.contains(&house), "the house is the new staff's")?;
    ensure(gained.communities.get(&community) == Some(&Role::Dispatcher), "with its chat")?;
    ensure(count(&gained)? == messages + 2, "the whole history, both notices")?;
    let (feed, _) = all_changes(store, &gained, head, 100_000, None)?;
    ensure(
        feed.iter().any(|c| c.kind == ChangeKind::House && c.id == house.get() && c.op == ChangeOp::Upsert),
        "the passport comes",
    )?;
    let synced = feed.iter().filter(|c| c.kind == ChangeKind::Ticket && c.data["house_id"] == house.get()).count();
    ensure(synced == tickets, &format!("every ticket comes again ({synced} of {tickets})"))?;
    ensure(store.houses(&gained, Page { after: 0, limit: 1000 })?.iter().any(|h| h.id == house), "listed")?;
    store.pin(&inspector, notice.messages[0].id, false)?;
    Ok(())
}

/// A house under 16 flats has no official chat: its managing organisation (or a verified
/// owner there) opens one, unofficial, naming who opened it, who moderates it; a big house
/// or a second chat is refused, and nobody but the house's residents may join.
pub fn small_houses_open_an_unofficial_chat(store: &dyn Store) -> Outcome {
    use crate::store::ChatError;
    use domkom_domain::chat::Refusal;
    let inspector = viewer(store, "inspector")?;
    let resident = viewer(store, "resident")?;
    let own_house = first_house(&resident)?;
    match store.open_house_chat(&resident, own_house) {
        Err(ChatError::Refused(Refusal::OfficialHouse)) => {}
        other => return Err(format!("a chat for a big house: {other:?}").into()),
    }
    let houses = store.houses(&inspector, Page { after: 0, limit: 1000 })?;
    let small = houses.iter().find(|h| h.flats < 16 && h.community_id.is_none()).ok_or("the seed has a small house")?;
    let dispatcher = viewer(store, "dispatcher")?;
    match store.open_house_chat(&dispatcher, small.id) {
        Err(ChatError::Refused(Refusal::NotOwner)) => {}
        other => return Err(format!("a stranger opens a small house's chat: {other:?}").into()),
    }
    // The demo organisation takes the house over, and opens its chat.
    let chair = viewer(store, "chair")?;
    let demo_chat = *chair.communities.keys().next().ok_or("no chat")?;
    store.send_message(&chair, demo_chat, "01900000-0000-7000-8000-000000000701", "сегодня", None)?;
    let day = today(store, &chair, demo_chat)?;
    let org = dispatcher.org_id.ok_or("no organisation")?;
    store.transfer(&inspector, small.id, org, &day, false)?;
    let dispatcher = viewer(store, "dispatcher")?;
    let opened = store.open_house_chat(&dispatcher, small.id)?;
    ensure(
        !opened.official && opened.opened_by.as_deref() == Some(dispatcher.person.name.as_str()),
        "unofficial, by whom",
    )?;
    ensure(
        opened.admin_status == AdminStatus::Granted && opened.house_id == Some(small.id),
        "its opener moderates it",
    )?;
    match store.open_house_chat(&dispatcher, small.id) {
        Err(ChatError::Refused(Refusal::ChatExists)) => {}
        other => return Err(format!("a second chat: {other:?}").into()),
    }
    let opener = viewer(store, "dispatcher")?;
    ensure(opener.communities.get(&opened.id) == Some(&Role::Chair), "the opener is its moderator")?;
    let hello =
        store.send_message(&opener, opened.id, "01900000-0000-7000-8000-000000000702", "Добро пожаловать", None)?;
    store.pin(&opener, hello.message.id, true)?;
    for key in ["resident", "neighbour", "unverified"] {
        match store.join(&viewer(store, key)?, opened.id) {
            Err(ChatError::Refused(Refusal::NotOwner)) => {}
            other => return Err(format!("{key} joins a house they do not live in: {other:?}").into()),
        }
    }
    Ok(())
}

fn first_house(v: &crate::store::Viewer) -> Result<HouseId, Failure> {
    Ok(*v.own_houses.iter().next().ok_or("no house")?)
}
