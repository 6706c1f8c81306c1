//! Polls' conformance: who opens one, one vote per premises (a co-owner's or a second
//! flat's vote counts for its premises), weights by area, changing a vote, and closing.

use domkom_domain::poll::{PollBasis, PollError};
use domkom_domain::wire::Poll;

use super::{Outcome, ensure, viewer};
use crate::store::{PollRefusal, Store, StoreError};

fn refused<T: std::fmt::Debug>(outcome: Result<T, PollRefusal>, error: &PollError, what: &str) -> Outcome {
    match outcome {
        Err(PollRefusal::Rule(e)) if &e == error => Ok(()),
        other => Err(format!("{what}: expected {error:?}, got {other:?}").into()),
    }
}

fn votes(p: &Poll) -> Vec<u32> {
    p.options.iter().map(|o| o.votes).collect()
}

/// A chair opens polls; members vote once per premises they hold, by count or by area, and
/// may change their vote until closing; results are final after it.
pub fn polls_count_premises_and_close(store: &dyn Store) -> Outcome {
    let chair = viewer(store, "chair")?;
    let resident = viewer(store, "resident")?;
    let owner = viewer(store, "multi-owner")?;
    let community = *resident.communities.keys().next().ok_or("no chat")?;
    let options = vec!["Да".to_owned(), "Нет".to_owned()];
    let closes = "2099-01-01T12:00:00+03:00";
    let too_far = store.open_poll(
        &chair,
        community,
        "01900000-0000-7000-8000-000000000601",
        "Красим?",
        &options,
        PollBasis::PerPremises,
        closes,
    );
    refused(too_far, &PollError::ClosingInvalid, "a poll closing decades ahead")?;
    // A closing a week ahead of the store's own today.
    let page = store.history(&chair, community, None, 1)?;
    let today = chrono::DateTime::parse_from_rfc3339(&page.messages[0].created_at)?;
    let closes = (chrono::Utc::now().max(today.to_utc()) + chrono::Duration::days(7)).to_rfc3339();
    refused(
        store.open_poll(
            &resident,
            community,
            "01900000-0000-7000-8000-000000000602",
            "Красим?",
            &options,
            PollBasis::PerPremises,
            &closes,
        ),
        &PollError::NotModerator,
        "a resident opens a poll",
    )?;
    let opened = store.open_poll(
        &chair,
        community,
        "01900000-0000-7000-8000-000000000603",
        "Красим подъезд?",
        &options,
        PollBasis::PerPremises,
        &closes,
    )?;
    ensure(opened.created && votes(&opened.value) == [0, 0] && opened.value.premises > 0, "opened, empty")?;
    let again = store.open_poll(
        &chair,
        community,
        "01900000-0000-7000-8000-000000000603",
        "Красим подъезд?",
        &options,
        PollBasis::PerPremises,
        &closes,
    )?;
    ensure(!again.created && again.value.id == opened.value.id, "the same key opens one poll")?;
    let id = opened.value.id;

    let first = store.vote(&resident, id, "01900000-0000-7000-8000-000000000604", 0)?;
    ensure(first.created && first.value.premises == 1 && votes(&first.value.poll) == [1, 0], "one flat, one vote")?;
    let replay = store.vote(&resident, id, "01900000-0000-7000-8000-000000000604", 0)?;
    ensure(!replay.created && votes(&replay.value.poll) == [1, 0], "the same key counts once")?;
    let changed = store.vote(&resident, id, "01900000-0000-7000-8000-000000000605", 1)?;
    ensure(votes(&changed.value.poll) == [0, 1], "a vote changes until closing")?;
    let theirs = store.vote(&owner, id, "01900000-0000-7000-8000-000000000606", 0)?;
    ensure(theirs.value.premises == 1, "the multi-owner votes for the flat they hold in this house only")?;
    ensure(votes(&theirs.value.poll) == [1, 1] && theirs.value.poll.voted == 2, "the tally")?;
    refused(
        store.vote(&resident, id, "01900000-0000-7000-8000-000000000607", 5),
        &PollError::NoSuchOption(5),
        "option 5",
    )?;
    refused(
        store.vote(&viewer(store, "dispatcher")?, id, "01900000-0000-7000-8000-000000000608", 0),
        &PollError::NoPremises,
        "staff",
    )?;
    match store.vote(&viewer(store, "neighbour")?, id, "01900000-0000-7000-8000-000000000609", 0) {
        Err(PollRefusal::Store(StoreError::NotVisible(_))) => {}
        other => return Err(format!("an outsider votes: {other:?}").into()),
    }

    // The seed's polls: the barrier runs per premises, the playground closed by area.
    let polls = store.polls(&resident, community)?;
    let closed = polls.iter().find(|p| p.basis == PollBasis::ByArea).ok_or("the seed's closed poll")?;
    let area: i64 = closed.options.iter().map(|o| o.area).sum();
    ensure(area > 0 && closed.options.iter().map(|o| o.votes).sum::<u32>() > 0, "by area: each vote weighs its area")?;
    ensure(closed.options.iter().all(|o| o.area >= i64::from(o.votes)), "areas are the premises' areas")?;
    ensure(
        matches!(
            store.vote(&resident, closed.id, "01900000-0000-7000-8000-00000000060a", 0),
            Err(PollRefusal::Rule(PollError::Closed(_)))
        ),
        "a closed poll's results are final",
    )?;
    Ok(())
}
