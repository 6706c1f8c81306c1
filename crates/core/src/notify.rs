//! What the desktop is told: a notification for a new message, and the unread count for
//! the window title. The rules live here; the app only shows what they produce, in the
//! words of the person's language that the UI passes ([`NotifyWords`], Russian until then).

use serde::{Deserialize, Serialize};

use crate::Client;
use crate::chat::NewMessage;
use crate::error::Result;
use domkom_domain::id::*;

/// A desktop notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// "Author · Chat".
    pub title: String,
    /// The message's first line, shortened.
    pub body: String,
}

/// The notification rule: never for one's own message, a muted chat, the chat in view, or
/// a chat that is not one's own (`muted` is `None` then).
pub fn should_notify(m: &NewMessage, me: Option<PersonId>, in_view: Option<CommunityId>, muted: Option<bool>) -> bool {
    // A message telling of a notice or of a ticket's step is not notified as a message: the
    // notice and the ticket tell their own.
    m.notice_id.is_none()
        && m.ticket_id.is_none()
        && me != Some(m.author_id)
        && in_view != Some(m.community_id)
        && muted == Some(false)
}

/// The first line of a message, shortened for a notification, with `&`, `<` and `>`
/// escaped: notification daemons read the body as markup (`<b>`, `<a href>`, `<img>`), and
/// chat text is never markup.
pub fn preview(body: &str) -> String {
    let line = body.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(120).collect();
    if short.len() < line.len() || body.lines().nth(1).is_some() {
        short.push('…');
    }
    short.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The words of what the desktop is told, in the person's language; `{name}` marks where a
/// value goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NotifyWords {
    /// The app's name, which the window title starts with.
    pub app: String,
    /// After it, for a dispatcher: the overdue tickets (`{n}`).
    pub overdue: String,
    /// The title of a new emergency ticket's notification.
    pub emergency: String,
    /// The title of the reminder that the reading window is open.
    pub meters_title: String,
    /// Its text: the window's last day (`{to}`) and the meters waiting (`{count}`).
    pub meters_body: String,
    /// The title of a pinned message's notification.
    pub pinned: String,
}

impl Default for NotifyWords {
    fn default() -> NotifyWords {
        NotifyWords {
            app: "Домком".into(),
            overdue: "просрочено заявок: {n}".into(),
            emergency: "Аварийная заявка".into(),
            meters_title: "Приём показаний счётчиков открыт".into(),
            meters_body: "До {to} числа передайте показания: ждут счётчиков — {count}.".into(),
            pinned: "Модератор закрепил сообщение".into(),
        }
    }
}

/// A template with its `{name}`s filled in.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// The window title with the total unread count: "Домком", "Домком (3)", "Домком (999+)";
/// a dispatcher's also counts the overdue tickets.
pub fn window_title(unread: i64, overdue: i64, words: &NotifyWords) -> String {
    let mut title = if unread > 0 {
        format!("{} ({})", words.app, domkom_domain::message::unread_badge(unread))
    } else {
        words.app.clone()
    };
    if overdue > 0 {
        title.push_str(&format!(" · {}", fill(&words.overdue, &[("n", overdue.to_string())])));
    }
    title
}

impl Client {
    /// The notification for a message that just arrived, if the rule allows one; `in_view`
    /// is the chat the person is looking at (none when the window is not in front).
    pub async fn notification_for(&self, m: &NewMessage, in_view: Option<CommunityId>) -> Result<Option<Notification>> {
        let me = self.person().await?.map(|p| p.id);
        let chats = self.chats().list().await?;
        let chat = chats.iter().find(|c| c.community_id == m.community_id);
        if !should_notify(m, me, in_view, chat.map(|c| c.muted)) {
            return Ok(None);
        }
        let title = chat.map_or_else(|| m.author_name.clone(), |c| format!("{} · {}", m.author_name, c.title));
        Ok(Some(Notification { title, body: preview(&m.body) }))
    }

    /// The unread messages of all chats together (each counted up to the cap).
    pub async fn unread_total(&self) -> Result<i64> {
        Ok(self.chats().list().await?.iter().map(|c| c.unread).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(author_id: i64, community_id: i64) -> NewMessage {
        NewMessage {
            community_id: CommunityId(community_id),
            id: MessageId(1),
            author_id: PersonId(author_id),
            author_name: "Анна".into(),
            body: "Привет".into(),
            notice_id: None,
            ticket_id: None,
        }
    }

    #[test]
    fn notifies_only_for_others_in_unmuted_chats_not_in_view() {
        assert!(should_notify(&msg(2, 10), Some(PersonId(1)), None, Some(false)));
        assert!(should_notify(&msg(2, 10), Some(PersonId(1)), Some(CommunityId(11)), Some(false)));
        assert!(!should_notify(&msg(1, 10), Some(PersonId(1)), None, Some(false)), "own message");
        assert!(!should_notify(&msg(2, 10), Some(PersonId(1)), Some(CommunityId(10)), Some(false)), "chat in view");
        assert!(!should_notify(&msg(2, 10), Some(PersonId(1)), None, Some(true)), "muted");
        assert!(!should_notify(&msg(2, 10), Some(PersonId(1)), None, None), "not a chat of ours");
    }

    #[test]
    fn title_shows_the_unread_count() {
        let ru = NotifyWords::default();
        assert_eq!(window_title(0, 0, &ru), "Домком");
        assert_eq!(window_title(3, 0, &ru), "Домком (3)");
        assert_eq!(window_title(999, 0, &ru), "Домком (999)");
        assert_eq!(window_title(2500, 0, &ru), "Домком (999+)", "counts are capped");
        assert_eq!(window_title(3, 12, &ru), "Домком (3) · просрочено заявок: 12", "a dispatcher sees the overdue");
        let en = NotifyWords { app: "Domkom".into(), overdue: "{n} tickets overdue".into(), ..NotifyWords::default() };
        assert_eq!(window_title(3, 12, &en), "Domkom (3) · 12 tickets overdue", "in the person's language");
    }

    #[test]
    fn preview_is_one_short_line() {
        assert_eq!(preview("a\nb"), "a…");
        assert_eq!(preview("short"), "short");
        assert_eq!(preview(&"я".repeat(200)).chars().count(), 121);
    }

    #[test]
    fn preview_is_text_not_markup() {
        assert_eq!(
            preview(r#"<a href="https://x.ru">жми</a> & <img src=x>"#),
            r#"&lt;a href="https://x.ru"&gt;жми&lt;/a&gt; &amp; &lt;img src=x&gt;"#
        );
    }
}
