//! Domkom's desktop app: the Tauri shell over the client core.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    domkom_app::run();
}
