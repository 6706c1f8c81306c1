//! Rules for the text of a chat message.

/// The longest message body accepted, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// The rules of [`validate_message_body`] but its length as a regular expression (ECMA-262,
/// as OpenAPI wants): no control character but tab and line feed, and some character that
/// is not white space (Unicode's White_Space, which `str::trim` strips).
pub const BODY_PATTERN: &str = r"^[^\x00-\x08\x0B-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B-\x1F\x7F-\x9F]*$";

/// "Some character that is not white space", as a regular expression (ECMA-262) for the
/// schemas of texts the server trims and refuses when nothing is left. Its class is Unicode's
/// White_Space, which `str::trim` strips: ECMA's `\S` would differ on U+0085 and U+FEFF, and a
/// text of one U+0085 would pass the schema and be refused.
pub const NOT_BLANK_PATTERN: &str = r"[^\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";

/// A message body's JSON Schema for the OpenAPI document: the rules of
/// [`validate_message_body`], so that what the schema allows the server accepts.
#[cfg(feature = "openapi")]
pub fn body_schema() -> utoipa::openapi::Object {
    use utoipa::openapi::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("Plain text, 1 to 4000 characters as sent, with some that are not white space."))
        .min_length(Some(1))
        .max_length(Some(MAX_MESSAGE_CHARS))
        .pattern(Some(BODY_PATTERN))
        .build()
}

/// The JSON Schema of a text the server trims and refuses when nothing is left or when it is
/// longer than `max` characters.
#[cfg(feature = "openapi")]
pub fn text_schema(max: usize) -> utoipa::openapi::Object {
    use utoipa::openapi::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(format!("Text of 1 to {max} characters with some that are not white space.")))
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(NOT_BLANK_PATTERN))
        .build()
}

/// A poll's question: [`text_schema`] of 300.
#[cfg(feature = "openapi")]
pub fn text_300() -> utoipa::openapi::Object {
    text_schema(300)
}

/// A moderation reason, appeal or answer: [`text_schema`] of 500.
#[cfg(feature = "openapi")]
pub fn text_500() -> utoipa::openapi::Object {
    text_schema(500)
}

/// An outage's reason: [`text_schema`] of 1000.
#[cfg(feature = "openapi")]
pub fn text_1000() -> utoipa::openapi::Object {
    text_schema(1000)
}

/// A ticket's text or comment: [`text_schema`] of 4000.
#[cfg(feature = "openapi")]
pub fn text_4000() -> utoipa::openapi::Object {
    text_schema(4000)
}

/// Unread messages are counted up to this many per chat, and shown as "999+" beyond 999:
/// nobody reads a thousand unread messages one by one, and counting a long history that
/// was never opened would make every chat list read the whole of it.
pub const UNREAD_COUNT_CAP: i64 = 1000;

/// An unread count as shown: "999+" from [`UNREAD_COUNT_CAP`] on.
pub fn unread_badge(unread: i64) -> String {
    if unread >= UNREAD_COUNT_CAP { format!("{}+", UNREAD_COUNT_CAP - 1) } else { unread.to_string() }
}

/// Why a message body was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MessageError {
    /// Nothing but white space.
    #[error("the message is empty: write some text")]
    Empty,
    /// Longer than [`MAX_MESSAGE_CHARS`].
    #[error("the message has {0} characters; at most {MAX_MESSAGE_CHARS} are allowed, so split it")]
    TooLong(usize),
    /// Holds a control character other than a line break or tab.
    #[error("the message holds an invisible control character (code {0:#06x}); remove it")]
    ControlChar(u32),
}

impl crate::Coded for MessageError {
    fn code(&self) -> &'static str {
        match self {
            MessageError::Empty => "message_empty",
            MessageError::TooLong(_) => "message_too_long",
            MessageError::ControlChar(_) => "message_control_char",
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            MessageError::Empty => Vec::new(),
            MessageError::TooLong(chars) => vec![("chars", chars.to_string()), ("max", MAX_MESSAGE_CHARS.to_string())],
            MessageError::ControlChar(code) => vec![("code", format!("{code:#06x}"))],
        }
    }
}

/// Checks a message body and returns it with surrounding white space trimmed. The length
/// counts the body as sent, white space included, so that the limit is the one the API's
/// schema states (`maxLength` of what is sent).
pub fn validate_message_body(body: &str) -> Result<&str, MessageError> {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Err(MessageError::Empty);
    }
    let count = body.chars().count();
    if count > MAX_MESSAGE_CHARS {
        return Err(MessageError::TooLong(count));
    }
    // The whole body as sent: a control character is refused at its ends too, as the schema
    // says, not trimmed away unseen.
    if let Some(c) = body.chars().find(|&c| c.is_control() && c != '\n' && c != '\t') {
        return Err(MessageError::ControlChar(c as u32));
    }
    Ok(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schemas' patterns say what the server does: a text of one character is "not blank"
    /// by the pattern exactly when `str::trim` leaves it, and a body of one character, or of
    /// one beside a letter on either side, matches [`BODY_PATTERN`] exactly when the server
    /// accepts it (every character of the BMP).
    #[test]
    fn schema_patterns_agree_with_the_rules() {
        let not_blank = regex::Regex::new(NOT_BLANK_PATTERN).unwrap();
        let body = regex::Regex::new(BODY_PATTERN).unwrap();
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            let text = c.to_string();
            assert_eq!(not_blank.is_match(&text), !text.trim().is_empty(), "U+{:04X}", c as u32);
            for text in [text.clone(), format!("а{c}"), format!("{c}а")] {
                assert_eq!(body.is_match(&text), validate_message_body(&text).is_ok(), "{text:?}");
            }
        }
    }

    #[test]
    fn accepts_russian_and_tatar_text() {
        assert_eq!(validate_message_body("  Лифт не работает, өй! \n"), Ok("Лифт не работает, өй!"));
    }

    #[test]
    fn refuses_empty_long_and_control() {
        assert_eq!(validate_message_body(" \n "), Err(MessageError::Empty));
        let long = "я".repeat(MAX_MESSAGE_CHARS + 1);
        assert_eq!(validate_message_body(&long), Err(MessageError::TooLong(4001)));
        assert_eq!(validate_message_body("a\u{0007}b"), Err(MessageError::ControlChar(7)));
        assert!(validate_message_body(&"я".repeat(MAX_MESSAGE_CHARS)).is_ok());
        let padded = format!(" {}", "я".repeat(MAX_MESSAGE_CHARS));
        assert_eq!(validate_message_body(&padded), Err(MessageError::TooLong(4001)), "counted as sent");
    }
}
