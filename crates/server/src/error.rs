//! The errors the service answers with: each knows its HTTP status, a stable code and a
//! message for people (in Russian, the product's first language; clients localise by code).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use domkom_domain::wire::ApiError;

use crate::store::StoreError;

/// An error answer of the API.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}")]
pub struct Error {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// What was wrong and what to do.
    pub message: String,
    /// Seconds to wait before retrying (429).
    pub retry_after: Option<u64>,
}

/// Shorthand for results of the service.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Error {
        Error { status, code, message: message.into(), retry_after: None }
    }

    /// 400: the request itself is wrong.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Error {
        Error::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 401: no valid sign-in.
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Error {
        Error::new(StatusCode::UNAUTHORIZED, code, message)
    }

    /// 403: signed in, but not allowed.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Error {
        Error::new(StatusCode::FORBIDDEN, code, message)
    }

    /// 404: no such thing.
    pub fn not_found(what: &str) -> Error {
        Error::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} не найден(а). Проверьте ссылку или обновите данные."),
        )
    }

    /// 409: conflicts with what is stored.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Error {
        Error::new(StatusCode::CONFLICT, code, message)
    }

    /// 422: well-formed, but breaks a rule.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Error {
        Error::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// 429 with Retry-After.
    pub fn rate_limited(retry_after: u64) -> Error {
        let mut e = Error::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("Слишком много сообщений подряд. Подождите {retry_after} с и отправьте снова."),
        );
        e.retry_after = Some(retry_after);
        e
    }

    /// 500: something broke on our side; the details go to the log, not to the caller.
    pub fn internal() -> Error {
        Error::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Внутренняя ошибка сервера. Попробуйте позже.")
    }

    /// The body sent to the caller.
    pub fn body(&self) -> ApiError {
        ApiError { code: self.code.to_owned(), message: self.message.clone() }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        tracing::error!(error = %e, "storage failed");
        Error::internal()
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::from(StoreError::Sqlite(e))
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}
