//! Photos: resumable uploads (`PATCH /v1/uploads/{key}` appends from the offset the server
//! has, `GET` says which that is), each complete one checked, stripped and stored by the
//! domain's rules and `crate::blobs`; and a ticket's photos and thumbnails, served to those
//! who see the ticket.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

use domkom_domain::Coded;
use domkom_domain::id::TicketId;
use domkom_domain::ticket::{MAX_PHOTO_BYTES, PhotoError, Upload, sniff};

use super::error::{Error, Result, doc};
use super::extract::{Path, Query, check_client_key};
use super::{AppState, Auth, Json};
use crate::blobs::{AppendError, FinishError};

/// The largest body of one `PATCH` (a whole photo fits in one).
pub const MAX_CHUNK: usize = MAX_PHOTO_BYTES as usize;

/// A photo refusal as an answer: 413 too large, 415 not a photo, 422 the rest.
pub fn photo_error(e: &PhotoError) -> Error {
    let (status, text) = match e {
        PhotoError::TooLarge(_) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Фотография больше {} МБ. Уменьшите её и загрузите снова.", MAX_PHOTO_BYTES / 1024 / 1024),
        ),
        PhotoError::Unsupported => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Это не фотография в формате JPEG, PNG или WebP. Выберите снимок в одном из этих форматов.".to_owned(),
        ),
        PhotoError::Unreadable => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Фотографию не удалось прочитать: файл повреждён или загружен не полностью. Выберите его снова.".to_owned(),
        ),
        PhotoError::TooMany(_) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "К заявке можно приложить не больше 5 фотографий.".to_owned())
        }
    };
    let mut error = Error::new(status, e.code(), text);
    error.params = e.params();
    error
}

fn header_u64(headers: &HeaderMap, name: &'static str) -> Result<Option<u64>> {
    headers
        .get(name)
        .map(|v| {
            v.to_str().ok().and_then(|t| t.trim().parse().ok()).ok_or_else(|| {
                Error::bad_request("bad_upload_header", format!("{name} должен быть целым числом байтов."))
            })
        })
        .transpose()
}

/// An upload of the signed-in person's, as far as it got.
#[utoipa::path(get, path = "/v1/uploads/{key}", operation_id = "get_upload", tag = "photos",
    params(("key" = String, Path, description = "The UUID the client chose for the upload.", pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")),
    responses(
        (status = 200, body = Upload, description = "How far it got: send from `received`; `photo` once complete."),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(key): Path<String>,
) -> Result<Json<Upload>> {
    check_client_key(&key)?;
    let key = key.to_ascii_lowercase();
    let person = viewer.person.id;
    let found = state.run(move |s| s.upload(&viewer, &key)).await?;
    let mut found = found.ok_or_else(|| Error::from(crate::store::StoreError::NotFound(crate::store::What::Upload)))?;
    // The bytes on disk, which an append cut off before its record may be ahead of.
    if found.photo.is_none() {
        found.received = found.received.max(state.blobs.received(person, &found.key).min(found.total));
    }
    Ok(Json(found))
}

/// Appends bytes to a photo upload: `Upload-Length` is the photo's whole size (at most
/// 10 MB), `Upload-Offset` where these bytes start, which must be what the server has (409
/// `upload_offset` says it otherwise, in `params.received`). When the last byte arrives the
/// photo is checked (JPEG, PNG or WebP: 415 `photo_type`; damaged: 422
/// `photo_unreadable`), its metadata stripped, and it is stored: the answer then holds it.
/// Sending a complete upload's last bytes again answers the same photo.
#[utoipa::path(patch, path = "/v1/uploads/{key}", operation_id = "append_upload", tag = "photos",
    params(
        ("key" = String, Path, description = "A UUID the client chose for the upload.", pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
        ("Upload-Offset" = u64, Header, description = "Where these bytes start.", minimum = 0, maximum = 10485760),
        ("Upload-Length" = u64, Header, description = "The photo's whole size in bytes (at most 10 MB).", minimum = 1, maximum = 10485760),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The next bytes of the photo (at least one; none at `Upload-Length` completes an upload whose bytes all arrived)."),
    responses(
        (status = 200, body = Upload, description = "The bytes are stored; `photo` once the upload is complete."),
        (status = 409, body = domkom_domain::wire::ApiError, description = "`upload_offset`: send from `params.received`; `upload_length_changed`: the key was used for another length."),
        (status = 413, body = domkom_domain::wire::ApiError, description = "`photo_too_large`: over 10 MB."),
        (status = 415, body = domkom_domain::wire::ApiError, description = "`photo_type`: not a JPEG, PNG or WebP."),
        (status = 422, body = domkom_domain::wire::ApiError, description = "`photo_unreadable`: damaged or cut short; `upload_overflow`: more bytes than `Upload-Length`."),
        doc::Malformed, doc::Refused,
    ),
    security(("bearer" = [])))]
pub async fn append(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Upload>> {
    check_client_key(&key)?;
    let key = key.to_ascii_lowercase();
    let (Some(offset), Some(total)) = (header_u64(&headers, "upload-offset")?, header_u64(&headers, "upload-length")?)
    else {
        return Err(Error::bad_request(
            "bad_upload_header",
            "Укажите заголовки Upload-Offset (с какого байта эти данные) и Upload-Length (размер всей фотографии).",
        ));
    };
    if total > MAX_PHOTO_BYTES {
        return Err(photo_error(&PhotoError::TooLarge(total)));
    }
    // No bytes at the end completes an upload whose bytes all arrived (a cut before it was
    // stored as a photo); anywhere else it is a mistake.
    if body.is_empty() && offset != total {
        return Err(Error::bad_request(
            "upload_empty",
            "В запросе нет данных фотографии. Отправьте следующие байты; узнать, сколько получено, можно запросом GET.",
        ));
    }
    if total == 0 {
        return Err(photo_error(&PhotoError::Unreadable));
    }
    if offset == 0 && body.len() >= 12 && sniff(&body).is_none() {
        return Err(photo_error(&PhotoError::Unsupported));
    }
    let (who, k) = (viewer.clone(), key.clone());
    let Some(upload) = state.run(move |s| s.start_upload(&who, &k, total)).await? else {
        return Err(Error::conflict(
            "upload_length_changed",
            "Эта загрузка начата с другим размером файла. Начните новую загрузку с новым ключом.",
        ));
    };
    if upload.photo.is_some() {
        return Ok(Json(upload));
    }
    if offset.saturating_add(body.len() as u64) > total {
        return Err(Error::invalid(
            "upload_overflow",
            "Данных больше, чем указано в Upload-Length. Проверьте размер файла.",
        ));
    }
    let blobs = state.blobs.clone();
    let person = viewer.person.id;
    let k = key.clone();
    let appended = tokio::task::spawn_blocking(move || blobs.append(person, &k, offset, &body))
        .await
        .map_err(|_| Error::internal())?;
    let received = match appended {
        Ok(received) => received,
        Err(AppendError::Offset(have)) => {
            let mut error = Error::conflict(
                "upload_offset",
                format!("Сервер получил {have} байт этой загрузки: продолжите с этого места."),
            );
            error.params = vec![("received", have.to_string())];
            return Err(error);
        }
        Err(AppendError::Io(e)) => {
            tracing::error!(error = %e, "cannot store upload bytes");
            return Err(Error::internal());
        }
    };
    if received < total {
        let (who, k) = (viewer.clone(), key.clone());
        state.run(move |s| s.upload_progress(&who, &k, received)).await?;
        return Ok(Json(Upload { key, total, received, photo: None }));
    }
    let blobs = state.blobs.clone();
    let k = key.clone();
    let finished =
        tokio::task::spawn_blocking(move || blobs.finish(person, &k)).await.map_err(|_| Error::internal())?;
    match finished {
        Ok(photo) => Ok(Json(state.run(move |s| s.upload_done(&viewer, &key, &photo)).await?)),
        Err(FinishError::Photo(e)) => {
            state.run(move |s| s.upload_refused(&viewer, &key)).await?;
            Err(photo_error(&e))
        }
        Err(FinishError::Io(e)) => {
            tracing::error!(error = %e, "cannot store a photo");
            Err(Error::internal())
        }
    }
}

/// Which picture of a photo.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PhotoQuery {
    /// The 320-pixel JPEG thumbnail instead of the photo.
    #[serde(default)]
    thumb: bool,
}

/// A ticket's photo (or its thumbnail), to whoever sees the ticket.
#[utoipa::path(get, path = "/v1/tickets/{id}/photos/{photo}", operation_id = "get_ticket_photo", tag = "photos",
    params(("id" = i64, Path, description = "The ticket."), ("photo" = String, Path, description = "The photo's id."), PhotoQuery),
    responses(
        (status = 200, description = "The picture.", content_type = "image/*", body = Vec<u8>),
        doc::Malformed, doc::Refused, doc::Missing,
    ),
    security(("bearer" = [])))]
pub async fn ticket_photo(
    State(state): State<AppState>,
    Auth(viewer): Auth,
    Path((id, photo)): Path<(TicketId, String)>,
    Query(q): Query<PhotoQuery>,
) -> Result<Response> {
    let found = state.run(move |s| s.ticket_photo(&viewer, id, &photo)).await?;
    let blobs = state.blobs.clone();
    let pid = found.id.clone();
    let bytes = tokio::task::spawn_blocking(move || blobs.read(&pid, q.thumb)).await.map_err(|_| Error::internal())?;
    let bytes = bytes.map_err(|e| {
        tracing::error!(error = %e, photo = %found.id, "a ticket's photo file is missing");
        Error::internal()
    })?;
    let mime = if q.thumb { "image/jpeg" } else { found.kind.mime() };
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    // The same id is the same bytes for ever.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    Ok(response)
}
