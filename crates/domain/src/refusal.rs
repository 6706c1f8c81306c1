//! How a rule says no: a stable code and the named values the wording needs, so that the
//! client words it in the person's language (ru, tt, en) instead of showing one fixed text.
//! The `Display` of each error stays as the English text for logs and scripts.

/// A rule's refusal, as the client words it: its stable code and named values.
pub trait Coded: std::fmt::Display {
    /// The stable code, e.g. `message_empty`.
    fn code(&self) -> &'static str;
    /// The values the wording names, e.g. `[("chars", "4001")]`.
    fn params(&self) -> Vec<(&'static str, String)>;
}
