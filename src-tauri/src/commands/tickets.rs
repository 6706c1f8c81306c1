//! Tickets: a resident's house tickets and filing, a dispatcher's queue and desk actions. All
//! read from the cache (offline too); every write goes through the core's checks and outbox.

use domkom_core::Written;
use domkom_core::ticket::{
    ExportFormat, ExportWords, ExportedFile, PendingTicket, QueuePage, ReportBy, ReportQuery, StagedPhoto,
    TicketDetail, TicketDraft, TicketQuery, TicketReport, TicketView,
};
use domkom_domain::id::{HouseId, PersonId, TicketId};
use domkom_domain::ticket::{Staff, TicketCategory, TicketStatus};
use tauri::{AppHandle, State};

use super::{CmdResult, tagged};
use crate::state::AppState;

/// The tickets of a house (all the person's houses without one), newest first, each with
/// what the person may do.
#[tauri::command]
pub async fn tickets(
    app: AppHandle,
    state: State<'_, AppState>,
    house_id: Option<HouseId>,
) -> CmdResult<Vec<TicketView>> {
    state.signed_in(&app).await?.tickets().list(house_id).await.map_err(tagged)
}

/// One ticket with its history and the comments the person may read.
#[tauri::command]
pub async fn ticket(app: AppHandle, state: State<'_, AppState>, ticket_id: TicketId) -> CmdResult<TicketDetail> {
    state.signed_in(&app).await?.tickets().show(ticket_id).await.map_err(tagged)
}

/// Tickets filed here and not yet delivered, with the deadlines they will have.
#[tauri::command]
pub async fn pending_tickets(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<PendingTicket>> {
    state.signed_in(&app).await?.tickets().pending().await.map_err(tagged)
}

/// Checks a ticket as it is filled in; gives the deadline the rules would set now.
#[tauri::command]
pub async fn check_ticket(app: AppHandle, state: State<'_, AppState>, draft: TicketDraft) -> CmdResult<String> {
    state.signed_in(&app).await?.tickets().check(draft).await.map_err(tagged)
}

/// Files a ticket through the outbox.
#[tauri::command]
pub async fn file_ticket(app: AppHandle, state: State<'_, AppState>, draft: TicketDraft) -> CmdResult<Written> {
    state.signed_in(&app).await?.tickets().file(draft).await.map_err(tagged)
}

/// The house's open tickets of a category about common property, to join instead of filing.
#[tauri::command]
pub async fn similar_tickets(
    app: AppHandle,
    state: State<'_, AppState>,
    house_id: HouseId,
    category: TicketCategory,
) -> CmdResult<Vec<TicketView>> {
    state.signed_in(&app).await?.tickets().similar(house_id, category).await.map_err(tagged)
}

/// Moves a ticket (only the moves the ticket's view offers pass).
#[tauri::command]
pub async fn move_ticket(
    app: AppHandle,
    state: State<'_, AppState>,
    ticket_id: TicketId,
    to: TicketStatus,
    note: String,
    rating: Option<u8>,
) -> CmdResult<Written> {
    state.signed_in(&app).await?.tickets().move_to(ticket_id, to, &note, rating).await.map_err(tagged)
}

/// The author confirms the work done.
#[tauri::command]
pub async fn confirm_ticket(
    app: AppHandle,
    state: State<'_, AppState>,
    ticket_id: TicketId,
    rating: Option<u8>,
) -> CmdResult<Written> {
    state.signed_in(&app).await?.tickets().confirm(ticket_id, rating).await.map_err(tagged)
}

/// A dispatcher gives a ticket to an executor, or takes it back.
#[tauri::command]
pub async fn assign_ticket(
    app: AppHandle,
    state: State<'_, AppState>,
    ticket_id: TicketId,
    assignee_id: Option<PersonId>,
) -> CmdResult<Written> {
    state.signed_in(&app).await?.tickets().assign(ticket_id, assignee_id).await.map_err(tagged)
}

/// Comments on a ticket (internal: for the staff only).
#[tauri::command]
pub async fn comment_ticket(
    app: AppHandle,
    state: State<'_, AppState>,
    ticket_id: TicketId,
    body: String,
    internal: bool,
) -> CmdResult<Written> {
    state.signed_in(&app).await?.tickets().comment(ticket_id, &body, internal).await.map_err(tagged)
}

/// Joins a ticket ("me too"), or leaves it.
#[tauri::command]
pub async fn join_ticket(
    app: AppHandle,
    state: State<'_, AppState>,
    ticket_id: TicketId,
    join: bool,
) -> CmdResult<Written> {
    state.signed_in(&app).await?.tickets().join(ticket_id, join).await.map_err(tagged)
}

/// A page of the dispatcher's queue with its counts.
#[tauri::command]
pub async fn ticket_queue(app: AppHandle, state: State<'_, AppState>, query: TicketQuery) -> CmdResult<QueuePage> {
    state.signed_in(&app).await?.tickets().queue(query).await.map_err(tagged)
}

/// The staff of a house's organisation, to give tickets to.
#[tauri::command]
pub async fn staff(app: AppHandle, state: State<'_, AppState>, house_id: HouseId) -> CmdResult<Vec<Staff>> {
    state.signed_in(&app).await?.tickets().staff(house_id).await.map_err(tagged)
}

/// Writes the filtered queue to a new CSV or XLSX file in the Downloads folder, in the
/// person's words; gives where and how many tickets.
#[tauri::command]
pub async fn export_tickets(
    app: AppHandle,
    state: State<'_, AppState>,
    query: TicketQuery,
    format: ExportFormat,
    words: ExportWords,
) -> CmdResult<ExportedFile> {
    use tauri::Manager;
    let path = app.path();
    let dir = path
        .download_dir()
        .or_else(|_| path.home_dir().map(|h| h.join("Downloads")))
        .map_err(|e| tagged(domkom_core::CoreError::io(format!("there is no Downloads folder to write to: {e}"))))?;
    state.signed_in(&app).await?.tickets().export_to(query, format, &words.0, &dir).await.map_err(tagged)
}

/// Opened, closed and overdue tickets over a period, per house or per category.
#[tauri::command]
pub async fn ticket_report(
    app: AppHandle,
    state: State<'_, AppState>,
    query: ReportQuery,
    by: ReportBy,
) -> CmdResult<TicketReport> {
    state.signed_in(&app).await?.tickets().report(query, by).await.map_err(tagged)
}

/// Takes a photo for a ticket being filled in (its bytes, sent raw): checked and stripped of
/// its location here, kept until the ticket is filed.
#[tauri::command]
pub async fn add_ticket_photo(
    app: AppHandle,
    state: State<'_, AppState>,
    photo: tauri::ipc::Request<'_>,
) -> CmdResult<StagedPhoto> {
    let tauri::ipc::InvokeBody::Raw(bytes) = photo.body() else {
        return Err(tagged(domkom_core::CoreError::invalid(
            "photo_unreadable",
            &[],
            "send the photo's bytes as the raw body of the call",
        )));
    };
    let bytes = bytes.clone();
    state.signed_in(&app).await?.tickets().add_photo(bytes).await.map_err(tagged)
}

/// Drops a photo chosen for a ticket not yet filed.
#[tauri::command]
pub async fn drop_ticket_photo(app: AppHandle, state: State<'_, AppState>, key: String) -> CmdResult<()> {
    state.signed_in(&app).await?.tickets().drop_photo(&key).await.map_err(tagged)
}

/// A ticket's photo or its thumbnail, as raw bytes (kept ones offline too).
#[tauri::command]
pub async fn ticket_photo(
    app: AppHandle,
    state: State<'_, AppState>,
    ticket_id: TicketId,
    photo_id: String,
    thumb: bool,
) -> CmdResult<tauri::ipc::Response> {
    let bytes = state.signed_in(&app).await?.tickets().photo(ticket_id, &photo_id, thumb).await.map_err(tagged)?;
    Ok(tauri::ipc::Response::new(bytes))
}
