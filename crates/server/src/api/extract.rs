//! Extractors whose rejections are JSON errors that say what was wrong.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::Error;
use crate::esia::SignInError;
use crate::store::Viewer;

/// JSON in and out, with clear errors for bad bodies. A request body must be a JSON object:
/// serde would also read a struct from an array (`[]` for a body whose fields are all
/// optional), which the schema does not allow.
#[derive(Debug)]
pub struct Json<T>(pub T);

/// A body read only from a JSON object.
struct Object<T>(T);

impl<'de, T: serde::de::DeserializeOwned> serde::Deserialize<'de> for Object<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let fields = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        T::deserialize(serde_json::Value::Object(fields)).map(Object).map_err(serde::de::Error::custom)
    }
}

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Error> {
        let axum::Json(Object(body)) = axum::Json::<Object<T>>::from_request(req, state).await?;
        Ok(Json(body))
    }
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl From<JsonRejection> for Error {
    fn from(r: JsonRejection) -> Error {
        match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Error::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("Тело запроса больше {} КиБ. Сократите его.", super::MAX_BODY_BYTES / 1024),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Error::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "not_json",
                "Тело запроса должно быть JSON с заголовком Content-Type: application/json.",
            ),
            _ => match r {
                JsonRejection::JsonSyntaxError(e) => Error::bad_request(
                    "malformed_json",
                    format!("Тело запроса — не корректный JSON: {}", e.body_text()),
                ),
                JsonRejection::JsonDataError(e) => {
                    Error::bad_request("invalid_fields", format!("Поля запроса неверны: {}", e.body_text()))
                }
                other => {
                    Error::bad_request("bad_body", format!("Не удалось прочитать тело запроса: {}", other.body_text()))
                }
            },
        }
    }
}

/// Path parameters, with a clear error for a non-numeric id.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Error))]
pub struct Path<T>(pub T);

impl From<PathRejection> for Error {
    fn from(r: PathRejection) -> Error {
        Error::bad_request(
            "bad_path",
            format!("Неверный идентификатор в адресе (ожидается целое число): {}", r.body_text()),
        )
    }
}

/// Query parameters, with a clear error for wrong types.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct Query<T>(pub T);

impl From<QueryRejection> for Error {
    fn from(r: QueryRejection) -> Error {
        Error::bad_request("bad_query", format!("Неверные параметры запроса: {}", r.body_text()))
    }
}

/// Checks a page size against its documented range (`1..=max`, `default` when absent).
pub fn page_limit(limit: Option<u32>, default: u32, max: u32) -> Result<usize, Error> {
    let limit = limit.unwrap_or(default);
    if !(1..=max).contains(&limit) {
        return Err(Error::bad_request("bad_limit", format!("limit должен быть от 1 до {max}.")));
    }
    Ok(limit as usize)
}

/// The bearer token of a request, if any.
fn bearer(parts: &Parts) -> Result<String, Error> {
    let header = parts.headers.get(axum::http::header::AUTHORIZATION).ok_or_else(|| {
        Error::unauthorized("no_token", "Нужен вход: передайте заголовок Authorization: Bearer <ключ>.")
    })?;
    let value = header
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| !t.is_empty() && t.len() <= 512)
        .ok_or_else(|| {
            Error::unauthorized("invalid_token", "Заголовок Authorization должен быть вида «Bearer <ключ>».")
        })?;
    Ok(value.to_owned())
}

async fn viewer_of(parts: &Parts, state: &AppState) -> Result<(Viewer, String), Error> {
    let token = bearer(parts)?;
    let t = token.clone();
    let viewer = state
        .run(move |store| {
            let person = crate::esia::authenticate(store, &t)?;
            store.viewer(person)?.ok_or(SignInError::UnknownPerson)
        })
        .await?;
    Ok((viewer, token))
}

/// A signed-in, verified person. Unverified accounts are refused here, so every house
/// endpoint refuses them.
pub struct Auth(pub Viewer);

impl FromRequestParts<AppState> for Auth {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Auth, Error> {
        Ok(Auth(AuthToken::from_request_parts(parts, state).await?.0))
    }
}

/// [`Auth`] with the access token it was shown, for a connection that outlives the request
/// and checks the token again as it goes.
pub struct AuthToken(pub Viewer, pub String);

impl FromRequestParts<AppState> for AuthToken {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<AuthToken, Error> {
        let (viewer, token) = viewer_of(parts, state).await?;
        if !viewer.person.trusted {
            return Err(Error::forbidden(
                "not_verified",
                "Учётная запись Госуслуг не подтверждена, а чаты домов доступны только подтверждённым. \
                 Подтвердите личность на Госуслугах и войдите снова.",
            ));
        }
        Ok(AuthToken(viewer, token))
    }
}

/// A signed-in person, verified or not (for /v1/me).
pub struct AnyAuth(pub Viewer);

impl FromRequestParts<AppState> for AnyAuth {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<AnyAuth, Error> {
        Ok(AnyAuth(viewer_of(parts, state).await?.0))
    }
}

/// Refuses an idempotency key not in the documented form: a hyphenated UUID, 36 characters
/// (the other forms the uuid crate reads are not what the schema promises).
pub fn check_client_key(key: &str) -> Result<(), Error> {
    if key.len() == 36 && uuid::Uuid::try_parse(key).is_ok() {
        return Ok(());
    }
    Err(Error::bad_request(
        "invalid_client_key",
        "client_key должен быть UUID (лучше UUIDv7), созданным клиентом для этой записи.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_keys_are_hyphenated_uuids_only() {
        assert!(check_client_key("0192f3c4-5b6a-7c8d-9e0f-1a2b3c4d5e6f").is_ok());
        assert!(check_client_key("0192F3C4-5B6A-7C8D-9E0F-1A2B3C4D5E6F").is_ok());
        assert!(check_client_key("0192f3c45b6a7c8d9e0f1a2b3c4d5e6f").is_err(), "the simple form is not documented");
        assert!(check_client_key("{0192f3c4-5b6a-7c8d-9e0f-1a2b3c4d5e6f}").is_err());
        assert!(check_client_key("abc").is_err());
    }
}
