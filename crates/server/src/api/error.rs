//! The errors the service answers with, and the one place where the typed outcomes of the
//! store, the chat rules and the sign-in become an HTTP status, a stable code and a message
//! for people (in Russian, the product's first language; clients localise by code).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use domkom_domain::Coded;
use domkom_domain::chat::{MAX_POST_HOUSES, Refusal};
use domkom_domain::message::{MAX_MESSAGE_CHARS, MessageError};
use domkom_domain::meter::ReadingError;
use domkom_domain::notice::{MAX_OUTAGE_DAYS, MAX_OUTAGE_HOUSES, MAX_REASON_CHARS, OutageError};
use domkom_domain::wire::ApiError;

use crate::esia::SignInError;
use crate::store::{ChatError, OutageRefusal, ReadingRefusal, StoreError, What};

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
    /// The values the message names, for clients that word it themselves.
    pub params: Vec<(&'static str, String)>,
}

/// Shorthand for results of the service.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Error {
        Error { status, code, message: message.into(), retry_after: None, params: Vec::new() }
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
        ApiError {
            code: self.code.to_owned(),
            message: self.message.clone(),
            params: self.params.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
        }
    }
}

/// How a thing is named in a message, as the subject of a sentence.
fn name_of(what: What) -> &'static str {
    match what {
        What::House => "Дом",
        What::Premises => "Помещение",
        What::Community => "Чат",
        What::Message => "Сообщение",
        What::Ticket => "Заявка",
        What::TicketComment => "Комментарий к заявке",
        What::Account => "Лицевой счёт",
        What::Device => "Прибор учёта",
        What::Ownership => "Право собственности",
        What::Person => "Учётная запись",
        What::Notice => "Объявление",
        What::FeedScope => "Эта часть ленты",
        What::Photo => "Фотография",
        What::Upload => "Загрузка",
        What::ModEntry => "Запись журнала модерации",
        What::Report => "Жалоба",
        What::Application => "Заявка на права администратора",
        What::Org => "Управляющая организация",
        What::Poll => "Опрос",
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::NotFound(what) => Error::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{} не найден(а). Проверьте ссылку или обновите данные.", name_of(what)),
            ),
            StoreError::NotVisible(what) => Error::forbidden(
                "not_yours",
                format!(
                    "{}: нет доступа. Здесь видно только то, что относится к вашим домам и квартирам.",
                    name_of(what)
                ),
            ),
            other => {
                tracing::error!(error = %other, "storage failed");
                Error::internal()
            }
        }
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Error {
        match r {
            Refusal::NotMember => Error::forbidden(
                "not_member",
                "Вы не состоите в этом чате. Вступить можно, если собственность в доме подтверждена.",
            ),
            Refusal::ReadOnlyChannel => Error::forbidden(
                "read_only_channel",
                "Это информационный канал микрорайона: писать в него может только управляющая организация. \
                 Напишите в чат своего дома.",
            ),
            Refusal::NotAuthor => Error::forbidden("not_author", "Изменить можно только своё сообщение."),
            Refusal::NotAuthorOrModerator => Error::forbidden(
                "not_author",
                "Удалить можно только своё сообщение; чужие удаляет председатель или инспекция.",
            ),
            Refusal::MessageDeleted => Error::conflict("message_deleted", "Сообщение удалено, его нельзя изменить."),
            Refusal::KeyReused => Error::conflict(
                "idempotency_key_reused",
                "Этот ключ отправки уже использован для другого сообщения. Создайте новый ключ.",
            ),
            Refusal::NotJoinable => {
                Error::forbidden("not_joinable", "К каналу микрорайона подключают автоматически вместе с чатом дома.")
            }
            Refusal::NotOwner => Error::forbidden(
                "not_owner",
                "Собственность или регистрация в этом доме не подтверждена в реестре, поэтому вступить в чат нельзя.",
            ),
            Refusal::OfficialHouse => {
                Error::conflict("official_house", "У дома от 16 квартир есть официальный чат: вступите в него.")
            }
            Refusal::ChatExists => Error::conflict("chat_exists", "У дома уже есть чат: вступите в него."),
            Refusal::TooManyHouses => {
                let mut e = Error::invalid(
                    "post_too_many_houses",
                    format!(
                        "Запись можно адресовать не более чем {MAX_POST_HOUSES} домам; для всех — не выбирайте дома."
                    ),
                );
                e.params.push(("max", MAX_POST_HOUSES.to_string()));
                e
            }
            Refusal::TargetsOutsideChannel => Error::invalid(
                "targets_outside_channel",
                "Выбрать дома можно только для записи в канале микрорайона; в чате дома пишите всем.",
            ),
            Refusal::HouseNotInChannel(house) => {
                let mut e = Error::invalid(
                    "house_not_in_channel",
                    format!("Дом {house} не входит в этот микрорайон. Выберите дома из списка канала."),
                );
                e.params.push(("house", house.to_string()));
                e
            }
            Refusal::HouseNotManaged(house) => {
                let mut e = Error::forbidden(
                    "house_not_managed",
                    format!("Дом {house} обслуживает другая организация: писать можно только для своих домов."),
                );
                e.params.push(("house", house.to_string()));
                e
            }
            Refusal::UnknownReaction => Error::invalid(
                "unknown_reaction",
                "Такой реакции нет. Выберите одну из предложенных: 👍 ❤️ 😂 😮 😢 🙏.",
            ),
        }
    }
}

impl From<MessageError> for Error {
    fn from(e: MessageError) -> Error {
        let text = match e {
            MessageError::Empty => "Сообщение пустое: напишите текст.".to_owned(),
            MessageError::TooLong(n) => format!(
                "Сообщение слишком длинное: {n} символов, можно не больше {MAX_MESSAGE_CHARS}. Разделите его на части."
            ),
            MessageError::ControlChar(c) => {
                format!("В сообщении есть невидимый управляющий символ (код {c:#06x}). Удалите его и отправьте снова.")
            }
        };
        Error::invalid("invalid_message", text)
    }
}

/// A date as people in Russia write it: 25.11.2026.
fn ru_date(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

impl From<ReadingError> for Error {
    fn from(e: ReadingError) -> Error {
        let text = match &e {
            ReadingError::Malformed(v) => {
                format!("«{v}» — не показание счётчика. Введите цифры и, если нужно, одну запятую: 123,45.")
            }
            ReadingError::TooManyDigits(v) => {
                format!("В «{v}» слишком много цифр: не больше 15 до запятой и 7 после.")
            }
            ReadingError::BelowPrevious { zone, value, previous } => format!(
                "Т{zone}: {value} меньше предыдущего показания {previous}. Проверьте цифры; если счётчик заменили, \
                 передайте показания нового."
            ),
            ReadingError::ZoneMissing { zone, zones } => {
                format!("У этого счётчика {zones} тарифные зоны: введите и показание Т{zone}.")
            }
            ReadingError::ZoneForbidden { zone, zones } => {
                format!("У этого счётчика зон: {zones}. Зоны Т{zone} у него нет — оставьте её пустой.")
            }
            ReadingError::OutsideWindow { from, to, next_from, next_to } => format!(
                "Показания принимаются с {from} по {to} число месяца. Следующий приём: с {} по {}.",
                ru_date(*next_from),
                ru_date(*next_to)
            ),
            ReadingError::VerificationExpired(on) => format!(
                "Срок поверки счётчика истёк {}: показания не принимаются. Закажите поверку или замену счётчика.",
                ru_date(*on)
            ),
            ReadingError::NotCommissioned => {
                "Счётчик ещё не введён в эксплуатацию. Обратитесь в управляющую организацию.".to_owned()
            }
            ReadingError::Replaced(serial) => {
                format!("Этот счётчик заменён на счётчик № {serial}: передайте показания нового.")
            }
            ReadingError::NeedsConfirmation { zone, used, usual } => format!(
                "Т{zone}: расход {used} — больше чем в десять раз выше обычного ({usual} в месяц). Проверьте цифры; \
                 если всё верно, подтвердите."
            ),
        };
        let mut error = Error::invalid(e.code(), text);
        error.params = e.params();
        error
    }
}

impl From<ReadingRefusal> for Error {
    fn from(e: ReadingRefusal) -> Error {
        match e {
            ReadingRefusal::Rule(r) => r.into(),
            ReadingRefusal::KeyReused => Error::conflict(
                "idempotency_key_reused",
                "Этот client_key уже использован для других показаний. Создайте новый UUID для новых показаний.",
            ),
            ReadingRefusal::Store(s) => s.into(),
        }
    }
}

impl From<OutageError> for Error {
    fn from(e: OutageError) -> Error {
        let text = match &e {
            OutageError::NoHouses => "Укажите хотя бы один дом, где будет отключение.".to_owned(),
            OutageError::TooManyHouses => {
                format!("Одно объявление — не больше {MAX_OUTAGE_HOUSES} домов. Разделите его на несколько.")
            }
            OutageError::DuplicateHouse(h) => format!("Дом {h} указан дважды: оставьте один раз."),
            OutageError::UnknownService(v) => {
                format!("«{v}» — не услуга. Укажите cold_water, hot_water, sewage, electricity, gas или heating.")
            }
            OutageError::BadTime(v) => {
                format!("«{v}» — не дата и время. Пишите так: 2026-11-25T09:00:00+03:00.")
            }
            OutageError::EndsBeforeStart => "Окончание отключения должно быть позже начала.".to_owned(),
            OutageError::TooLong { days } => format!(
                "Отключение на {days} сут. — одно объявление не длиннее {MAX_OUTAGE_DAYS} сут. Опубликуйте продление отдельно."
            ),
            OutageError::AlreadyOver => {
                "Это отключение уже закончилось. Публикуйте идущие и будущие отключения.".to_owned()
            }
            OutageError::ReasonEmpty => "Напишите причину: жители увидят её в объявлении.".to_owned(),
            OutageError::ReasonTooLong(n) => {
                format!("Причина — {n} знаков, а можно не больше {MAX_REASON_CHARS}. Сократите её.")
            }
        };
        let mut error = Error::invalid(e.code(), text);
        error.params = e.params();
        error
    }
}

impl From<OutageRefusal> for Error {
    fn from(e: OutageRefusal) -> Error {
        match e {
            OutageRefusal::Rule(r) => r.into(),
            OutageRefusal::NotDispatcher => Error::forbidden(
                "not_dispatcher",
                "Объявления об отключениях публикует диспетчер управляющей организации дома.",
            ),
            OutageRefusal::NotManaged(h) => {
                let mut error = Error::forbidden(
                    "house_not_managed",
                    format!(
                        "Дом {h} не в управлении вашей организации: объявление для него публикует его управляющая организация."
                    ),
                );
                error.params = vec![("house", h.to_string())];
                error
            }
            OutageRefusal::KeyReused => Error::conflict(
                "idempotency_key_reused",
                "Этот client_key уже использован для другого объявления. Создайте новый UUID для нового объявления.",
            ),
            OutageRefusal::Store(s) => s.into(),
        }
    }
}

impl From<ChatError> for Error {
    fn from(e: ChatError) -> Error {
        match e {
            ChatError::Refused(r) => r.into(),
            ChatError::InvalidMessage(m) => m.into(),
            ChatError::ReplyToUnknown => {
                Error::invalid("reply_to_unknown", "Сообщение, на которое вы отвечаете, не найдено в этом чате.")
            }
            ChatError::Moderation(m) => m.into(),
            ChatError::Store(s) => s.into(),
        }
    }
}

impl From<SignInError> for Error {
    fn from(e: SignInError) -> Error {
        let grant = |message: &str| Error::bad_request("invalid_grant", message);
        match e {
            SignInError::InvalidRedirectUri => Error::bad_request(
                "invalid_redirect_uri",
                "redirect_uri должен быть адресом вида http://127.0.0.1:ПОРТ/путь (или http://[::1]:ПОРТ/путь).",
            ),
            SignInError::UnsupportedChallengeMethod => {
                Error::bad_request("invalid_request", "Поддерживается только code_challenge_method=S256.")
            }
            SignInError::MalformedChallenge => Error::bad_request(
                "invalid_request",
                "code_challenge должен быть base64url(SHA-256(code_verifier)) без дополнения: 43 символа.",
            ),
            SignInError::UnknownCode => grant("Код входа неизвестен. Начните вход заново."),
            SignInError::CodeUsed => grant("Код входа уже использован. Начните вход заново."),
            SignInError::CodeExpired => grant("Код входа истёк. Начните вход заново."),
            SignInError::ClientMismatch => grant("client_id или redirect_uri не совпадают с запросом входа."),
            SignInError::VerifierMismatch => grant("code_verifier не подходит к code_challenge (PKCE)."),
            SignInError::RefreshReused => {
                grant("Этот ключ обновления уже использовался: сеанс завершён на всех устройствах. Войдите снова.")
            }
            SignInError::RefreshInvalid => grant("Сеанс недействителен или истёк. Войдите снова."),
            SignInError::TokenExpired => {
                Error::unauthorized("token_expired", "Срок действия входа истёк. Обновите ключ или войдите снова.")
            }
            SignInError::TokenInvalid => {
                Error::unauthorized("invalid_token", "Ключ доступа неизвестен или отозван. Войдите снова.")
            }
            SignInError::UnknownPerson => {
                Error::unauthorized("unknown_person", "Учётная запись не найдена. Войдите снова.")
            }
            SignInError::Store(s) => s.into(),
        }
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

/// The documented error answers, grouped as operations give them; each is an [`ApiError`]
/// body. An operation lists the groups it can answer beside its success.
pub mod doc {
    #![allow(dead_code)] // The variants describe answers; they are never built.

    use domkom_domain::wire::ApiError;
    use utoipa::IntoResponses;

    /// 400: the request is malformed (path, query, body or form).
    #[derive(IntoResponses)]
    pub enum Malformed {
        /// `code` says which part: `bad_path`, `bad_query`, `bad_limit`, `invalid_fields`, …
        #[response(
            status = 400,
            description = "The request is malformed: `code` says which part (bad_path, bad_query, bad_limit, invalid_fields, …)."
        )]
        BadRequest(ApiError),
    }

    /// 401: no valid sign-in (every signed-in operation).
    #[derive(IntoResponses)]
    pub enum Unsigned {
        /// `no_token`, `invalid_token`, `token_expired` or `unknown_person`.
        #[response(
            status = 401,
            description = "No valid sign-in: `no_token`, `invalid_token`, `token_expired` or `unknown_person`."
        )]
        Unauthorized(ApiError),
    }

    /// 401 or 403: not signed in, or not allowed (every operation for verified persons).
    #[derive(IntoResponses)]
    pub enum Refused {
        /// `no_token`, `invalid_token`, `token_expired` or `unknown_person`.
        #[response(
            status = 401,
            description = "No valid sign-in: `no_token`, `invalid_token`, `token_expired` or `unknown_person`."
        )]
        Unauthorized(ApiError),
        /// `not_verified`, `not_yours`, `not_member`, …
        #[response(
            status = 403,
            description = "Signed in, but not allowed: `not_verified`, `not_yours`, `not_member`, `not_author`, …"
        )]
        Forbidden(ApiError),
    }

    /// 404: no such thing.
    #[derive(IntoResponses)]
    pub enum Missing {
        /// `not_found`.
        #[response(status = 404, description = "No such thing (`not_found`).")]
        NotFound(ApiError),
    }

    /// 409: conflicts with what is stored.
    #[derive(IntoResponses)]
    pub enum Conflicting {
        /// `idempotency_key_reused` or `message_deleted`.
        #[response(
            status = 409,
            description = "Conflicts with what is stored: `idempotency_key_reused`, `message_deleted`."
        )]
        Conflict(ApiError),
    }

    /// 413 or 415: a JSON body that is too large or not JSON.
    #[derive(IntoResponses)]
    pub enum BadBody {
        /// `body_too_large`.
        #[response(status = 413, description = "The body is over 64 KiB (`body_too_large`).")]
        TooLarge(ApiError),
        /// `not_json`.
        #[response(
            status = 415,
            description = "The body is not JSON with `Content-Type: application/json` (`not_json`)."
        )]
        NotJson(ApiError),
    }

    /// 422: well-formed, but breaks a rule.
    #[derive(IntoResponses)]
    pub enum BreaksRule {
        /// `invalid_message` or `reply_to_unknown`.
        #[response(
            status = 422,
            description = "Well-formed, but breaks a rule: `invalid_message`, `reply_to_unknown`, or a reading rule (`reading_below_previous`, `reading_zone_missing`, `reading_zone_forbidden`, `reading_outside_window`, `reading_verification_expired`, `reading_not_commissioned`, `reading_device_replaced`, `reading_needs_confirmation`, `reading_malformed`, `reading_too_many_digits`) with the values it names in `params`."
        )]
        Invalid(ApiError),
    }

    /// 429: too many sends.
    #[derive(IntoResponses)]
    pub enum Throttled {
        /// `rate_limited`, with the seconds to wait.
        #[response(
            status = 429,
            description = "Too many sends (`rate_limited`); wait as long as `Retry-After` says.",
            headers(("Retry-After" = u64, description = "Seconds to wait before sending again."))
        )]
        RateLimited(ApiError),
    }
}
