//! A ticket's photos over HTTP: a photo from a phone (with its place in EXIF) goes up in
//! pieces, survives a cut connection by resuming from what the server has, is stored
//! without its place, thumbnailed, attached to a ticket, and shown only to those who see the
//! ticket; oversize and non-photo files are refused with clear codes.

mod common;

use std::io::Write;

use common::{Answer, Persona, TestClient, TestResult, TestServer};
use domkom_testkit::phone_photo;
use serde_json::{Value, json};

const DEMO_HOUSE: i64 = 1;

fn key(n: u32) -> String {
    format!("01930000-0000-7000-8000-{n:012}")
}

async fn patch(c: &TestClient, key: &str, offset: usize, total: usize, chunk: &[u8]) -> TestResult<Answer> {
    let resp = c
        .http
        .patch(format!("{}/v1/uploads/{key}", c.base))
        .bearer_auth(c.token.clone().unwrap_or_default())
        .header("upload-offset", offset.to_string())
        .header("upload-length", total.to_string())
        .header("content-type", "application/octet-stream")
        .body(chunk.to_vec())
        .send()
        .await?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = serde_json::from_slice(&resp.bytes().await?).unwrap_or(Value::Null);
    Ok(Answer { status, body, headers })
}

async fn fetch(c: &TestClient, path: &str) -> TestResult<(u16, String, Vec<u8>)> {
    let resp = c.http.get(format!("{}{path}", c.base)).bearer_auth(c.token.clone().unwrap_or_default()).send().await?;
    let status = resp.status().as_u16();
    let kind = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    Ok((status, kind, resp.bytes().await?.to_vec()))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_photo_goes_up_in_pieces_without_its_place_and_only_the_house_sees_it() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = server.api(Persona::Resident).await?;
    let photo = phone_photo()?;
    assert!(contains(&photo, b"GPS 55.7887N"), "the test photo names its place");
    let total = photo.len();
    let upload = key(1);

    // The first third, then a "cut": the client resends from a wrong offset and is told
    // where the server is; the GET says the same; the rest follows from there.
    let third = total / 3;
    let a = patch(&resident, &upload, 0, total, &photo[..third]).await?;
    assert_eq!((a.status, a.body["received"].as_u64()), (200, Some(third as u64)), "{:?}", a.body);
    assert!(a.body["photo"].is_null());
    let wrong = patch(&resident, &upload, 0, total, &photo[..third]).await?;
    assert_eq!((wrong.status, wrong.code()), (409, "upload_offset"));
    assert_eq!(wrong.body["params"]["received"], json!(third.to_string()));
    let state = resident.get(&format!("/v1/uploads/{upload}")).await?;
    assert_eq!(state.body["received"].as_u64(), Some(third as u64));
    let b = patch(&resident, &upload, third, total, &photo[third..2 * third]).await?;
    assert_eq!(b.body["received"].as_u64(), Some(2 * third as u64));
    let done = patch(&resident, &upload, 2 * third, total, &photo[2 * third..]).await?;
    assert_eq!(done.status, 200, "{:?}", done.body);
    let stored = done.body["photo"].clone();
    let id = stored["id"].as_str().ok_or("a photo id")?.to_owned();
    // Its size as shown: turned by its orientation, the 1200 × 800 picture stands upright.
    assert_eq!(
        (stored["type"].as_str(), stored["width"].as_u64(), stored["height"].as_u64()),
        (Some("jpeg"), Some(800), Some(1200))
    );
    // Sending the last piece again answers the same photo (a retry after a lost answer).
    let again = patch(&resident, &upload, 2 * third, total, &photo[2 * third..]).await?;
    assert_eq!(again.body["photo"]["id"].as_str(), Some(id.as_str()));

    // Attached to a ticket of the house.
    let ticket = resident
        .post(
            "/v1/tickets",
            &json!({
                "client_key": key(2), "house_id": DEMO_HOUSE, "category": "leak", "place": "flat",
                "body": "Течёт под раковиной на кухне, фото приложила", "photos": [id],
            }),
        )
        .await?;
    assert_eq!(ticket.status, 201, "{:?}", ticket.body);
    assert_eq!(ticket.body["photos"][0]["id"].as_str(), Some(id.as_str()));
    let tid = ticket.body["id"].as_i64().ok_or("ticket id")?;

    // The stored photo has no place; the thumbnail is a small JPEG; both only for the ticket's
    // readers.
    let (status, kind, bytes) = fetch(&resident, &format!("/v1/tickets/{tid}/photos/{id}")).await?;
    assert_eq!((status, kind.as_str()), (200, "image/jpeg"));
    assert!(!contains(&bytes, b"GPS"), "the place is gone");
    assert!(bytes.len() + 100 >= total - 200, "the picture itself is kept whole");
    let (status, kind, thumb) = fetch(&resident, &format!("/v1/tickets/{tid}/photos/{id}?thumb=true")).await?;
    assert_eq!((status, kind.as_str()), (200, "image/jpeg"));
    let small = image::load_from_memory(&thumb)?;
    // Turned by its orientation: the 1200 × 800 picture stands 800 × 1200, so 213 × 320.
    assert_eq!((small.width(), small.height()), (213, 320));
    let dispatcher = server.api(Persona::Dispatcher).await?;
    assert_eq!(fetch(&dispatcher, &format!("/v1/tickets/{tid}/photos/{id}")).await?.0, 200);
    // The ticket is about the resident's flat: a neighbour in the same house reads neither it
    // nor its photo.
    let chair = server.api(Persona::Chair).await?;
    let (status, _, body) = fetch(&chair, &format!("/v1/tickets/{tid}/photos/{id}?thumb=true")).await?;
    assert!((status == 403 || status == 404) && !contains(&body, b"\xFF\xD8\xFF"), "{status}");
    let neighbour = server.api(Persona::Neighbour).await?;
    let (status, _, body) = fetch(&neighbour, &format!("/v1/tickets/{tid}/photos/{id}")).await?;
    assert!(status == 403 || status == 404, "{status}");
    assert!(!contains(&body, b"\xFF\xD8\xFF"), "no picture to an outsider");
    // A neighbour cannot attach someone else's photo to their own ticket.
    let theirs = neighbour
        .post(
            "/v1/tickets",
            &json!({
                "client_key": key(3), "house_id": 3, "category": "other", "place": "yard",
                "body": "Сломана скамейка", "photos": [id],
            }),
        )
        .await?;
    assert_eq!((theirs.status, theirs.code()), (422, "photo_unknown"), "{:?}", theirs.body);
    Ok(())
}

#[tokio::test]
async fn oversize_and_non_photos_are_refused_and_nothing_is_kept() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = server.api(Persona::Resident).await?;
    let big = patch(&resident, &key(10), 0, 11 * 1024 * 1024, b"\xFF\xD8\xFF\xE0").await?;
    assert_eq!((big.status, big.code()), (413, "photo_too_large"));
    let pdf = patch(&resident, &key(11), 0, 20, b"%PDF-1.7 not a photo").await?;
    assert_eq!((pdf.status, pdf.code()), (415, "photo_type"));
    // A JPEG header with nothing behind it: complete, but not a picture.
    let broken = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xD9";
    let bad = patch(&resident, &key(12), 0, broken.len(), broken).await?;
    assert_eq!((bad.status, bad.code()), (422, "photo_unreadable"), "{:?}", bad.body);
    assert_eq!(resident.get(&format!("/v1/uploads/{}", key(12))).await?.status, 404, "the refused upload is gone");
    let six = (0..6).map(|k| format!("{k:064x}")).collect::<Vec<_>>();
    let many = resident
        .post(
            "/v1/tickets",
            &json!({
                "client_key": key(13), "house_id": DEMO_HOUSE, "category": "other", "place": "yard",
                "body": "Сломана скамейка у подъезда", "photos": six,
            }),
        )
        .await?;
    assert_eq!((many.status, many.code()), (422, "photo_too_many"));
    let no_headers = resident.patch(&format!("/v1/uploads/{}", key(14)), &json!({})).await?;
    assert_eq!((no_headers.status, no_headers.code()), (400, "bad_upload_header"));
    Ok(())
}

#[tokio::test]
async fn an_upload_cut_after_its_last_bytes_landed_is_completed_not_stuck() -> TestResult {
    let server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let resident = server.api(Persona::Resident).await?;
    let photo = phone_photo()?;
    let (total, half) = (photo.len(), photo.len() / 2);
    let upload = key(20);
    assert_eq!(patch(&resident, &upload, 0, total, &photo[..half]).await?.status, 200);
    // The server went down after writing the rest to disk and before storing the photo.
    let me = resident.me().await?["person"]["id"].as_i64().ok_or("me")?;
    let part = server.data_dir().join("blobs/uploads").join(format!("{me}-{upload}.part"));
    std::fs::OpenOptions::new().append(true).open(&part)?.write_all(&photo[half..])?;

    // Asked how far it got, the server counts what is on disk; no bytes at the end finish it.
    let state = resident.get(&format!("/v1/uploads/{upload}")).await?;
    assert_eq!(state.body["received"].as_u64(), Some(total as u64), "{:?}", state.body);
    let done = patch(&resident, &upload, total, total, &[]).await?;
    assert_eq!(done.status, 200, "{:?}", done.body);
    assert!(done.body["photo"]["id"].is_string(), "{:?}", done.body);
    // Elsewhere, an empty body is still a mistake.
    let empty = patch(&resident, &key(21), 0, total, &[]).await?;
    assert_eq!((empty.status, empty.code()), (400, "upload_empty"));
    Ok(())
}
