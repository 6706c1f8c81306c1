//! Placeholder for the Domkom desktop shell; the Tauri app arrives with the desktop issue.

fn main() {
    println!("Domkom desktop app: not built yet. Run the reference backend with `./x run`.");
}
