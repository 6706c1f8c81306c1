//! Generates the Tauri context (config, capabilities, icons) at build time. Listing the
//! app's commands makes each one a permission (`allow-<command>`) that the capability in
//! src-tauri/capabilities/ must grant, so the UI can call nothing it was not given.

/// The app's commands, as registered in src-tauri/src/lib.rs.
const COMMANDS: &[&str] = &[
    "app_info",
    "session_state",
    "demo_persons",
    "login_demo",
    "login_browser",
    "logout",
    "chat_list",
    "offers",
    "join",
    "messages",
    "send",
    "edit",
    "delete_message",
    "retry",
    "discard",
    "mark_read",
    "search",
    "house",
    "status",
    "set_muted",
    "set_chat_in_view",
    "sync_now",
    "open_link",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo:warning=tauri build failed: {e:#}");
        std::process::exit(1);
    }
}
