//! The main window: it shows only the app itself; every other address goes to the browser.

use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};
use tauri_plugin_opener::OpenerExt;

/// The main window's label (the capability names it).
pub const MAIN: &str = "main";

/// Opens the main window.
pub fn create_main(app: &tauri::AppHandle) -> tauri::Result<()> {
    let opener = app.clone();
    WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App("index.html".into()))
        .title("Домком")
        .inner_size(1100.0, 760.0)
        .min_inner_size(640.0, 480.0)
        .on_navigation(move |url| {
            if is_app_origin(url) {
                return true;
            }
            // A link that escaped the UI's own handling: show it in the browser, stay here.
            if matches!(url.scheme(), "http" | "https")
                && let Err(e) = opener.opener().open_url(url.as_str(), None::<&str>)
            {
                tracing::warn!(error = %e, "could not open a link in the browser");
            }
            tracing::info!(url = %url, "blocked a navigation away from the app");
            false
        })
        .build()?;
    Ok(())
}

/// Whether a URL is the app's own page (bundled assets, or the dev server in development).
fn is_app_origin(url: &url::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost")
                || (cfg!(dev) && url.host_str() == Some("localhost") && url.port() == Some(5173))
        }
        "about" => url.as_str() == "about:blank",
        _ => false,
    }
}

/// Shows and focuses the main window (a second launch lands here).
pub fn focus_main(app: &tauri::AppHandle) {
    if let Some(w) = app.get_webview_window(MAIN) {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::is_app_origin;

    #[test]
    fn only_the_app_itself_is_shown_in_the_window() -> Result<(), url::ParseError> {
        assert!(is_app_origin(&"tauri://localhost/index.html".parse()?));
        assert!(is_app_origin(&"http://tauri.localhost/".parse()?));
        assert!(!is_app_origin(&"https://example.org/".parse()?));
        assert!(!is_app_origin(&"http://127.0.0.1:8640/".parse()?));
        assert!(!is_app_origin(&"file:///etc/passwd".parse()?));
        assert!(!is_app_origin(&"javascript:alert(1)".parse()?));
        Ok(())
    }
}
