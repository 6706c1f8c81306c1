//! The desktop shell: plugins, the main window, logging, and the commands the UI calls.
//! Thin on purpose: every command converts its input, calls `domkom_core`, maps the result.

mod commands;
mod events;
mod logging;
mod state;
mod window;

use tauri::Manager;

pub use commands::session::AppInfo;
pub use state::AppState;

include!(concat!(env!("OUT_DIR"), "/handler.rs"));

/// Builds and runs the app until its last window closes.
pub fn run() {
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| window::focus_main(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let guard = logging::init(app.handle())?;
            app.manage(logging::LogGuard::new(guard));
            let state = AppState::from_env(app.handle())?;
            tracing::info!(server = %state.server, data = %state.data_dir.display(), "starting");
            app.manage(state);
            window::create_main(app.handle())?;
            state::start(app.handle().clone());
            Ok(())
        })
        .invoke_handler(invoke_handler())
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                state::stop(handle);
            }
        }),
        Err(e) => {
            eprintln!("domkom: the app could not start: {e}");
            std::process::exit(1);
        }
    }
}
