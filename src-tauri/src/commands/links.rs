//! Links in messages open in the system browser, never in the app's window.

use domkom_core::{ErrorKind, TaggedError};
use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

use super::CmdResult;

/// Opens an http(s) link in the system browser.
#[tauri::command]
pub fn open_link(app: AppHandle, url: String) -> CmdResult<()> {
    let parsed = checked_link(&url)?;
    app.opener()
        .open_url(parsed.as_str(), None::<&str>)
        .map_err(|e| TaggedError::new(ErrorKind::Io, format!("could not open the browser: {e}")))
}

/// Accepts only absolute http and https URLs.
fn checked_link(url: &str) -> CmdResult<url::Url> {
    let invalid = || TaggedError::new(ErrorKind::Invalid, format!("not a web link: {url}"));
    let parsed: url::Url = url.parse().map_err(|_| invalid())?;
    if matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_some() { Ok(parsed) } else { Err(invalid()) }
}

#[cfg(test)]
mod tests {
    use super::checked_link;

    #[test]
    fn only_web_links_open() {
        assert!(checked_link("https://gosuslugi.ru/").is_ok());
        assert!(checked_link("http://example.org/a?b").is_ok());
        assert!(checked_link("javascript:alert(1)").is_err());
        assert!(checked_link("file:///etc/passwd").is_err());
        assert!(checked_link("tauri://localhost/").is_err());
        assert!(checked_link("not a url").is_err());
    }
}
