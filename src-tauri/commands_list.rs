//! The app's commands as declared: every `#[tauri::command]` function in
//! `src-tauri/src/commands/*.rs`, read with syn. It is the one list of them: build.rs makes
//! from it the handler registration and each command's permission (granted by the
//! capability it generates), and tests/bindings.rs the UI's TypeScript wrappers. Included by
//! both with `#[path]`, so it uses nothing but std, syn and quote.

use std::path::Path;

/// One command as the UI calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The module under `commands/`, e.g. `chats`.
    pub module: String,
    /// The function's name, which is the command's name, e.g. `chat_list`.
    pub name: String,
    /// The first line of its doc comment.
    pub doc: String,
    /// The arguments the UI passes, as (snake_case name, Rust type), without what Tauri
    /// injects (the app handle, managed state, the window).
    pub args: Vec<(String, String)>,
    /// What it returns on success, as a Rust type (`()` for nothing).
    pub returns: String,
}

/// Types Tauri fills in itself; the UI never passes them.
const INJECTED: &[&str] = &["AppHandle", "State", "Window", "WebviewWindow", "Webview"];

/// Every command in `commands_dir`, by module then in the order written.
pub fn read_commands(commands_dir: &Path) -> Result<Vec<Command>, String> {
    let mut files: Vec<_> = std::fs::read_dir(commands_dir)
        .map_err(|e| format!("{}: {e}", commands_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs") && p.file_stem().is_some_and(|s| s != "mod"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let module = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        for item in parsed.items {
            let syn::Item::Fn(f) = item else { continue };
            if !f.attrs.iter().any(is_command_attr) {
                continue;
            }
            out.push(Command {
                module: module.clone(),
                name: f.sig.ident.to_string(),
                doc: doc_line(&f.attrs),
                args: args(&f.sig),
                returns: returns(&f.sig.output),
            });
        }
    }
    Ok(out)
}

fn is_command_attr(attr: &syn::Attribute) -> bool {
    let segments: Vec<String> = attr.path().segments.iter().map(|s| s.ident.to_string()).collect();
    segments == ["tauri", "command"] || segments == ["command"]
}

fn doc_line(attrs: &[syn::Attribute]) -> String {
    for attr in attrs {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && nv.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value
        {
            return s.value().trim().to_owned();
        }
    }
    String::new()
}

/// A type as text without spaces (`Option<Vec<i64>>`).
fn type_text(ty: &syn::Type) -> String {
    quote::ToTokens::to_token_stream(ty).to_string().replace(' ', "")
}

fn args(sig: &syn::Signature) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for input in &sig.inputs {
        let syn::FnArg::Typed(pat) = input else { continue };
        let ty = type_text(&pat.ty);
        let base = ty.trim_start_matches('&').split(['<', ':']).next().unwrap_or("").to_owned();
        let last = ty.rsplit("::").next().unwrap_or(&ty).split('<').next().unwrap_or("").to_owned();
        if INJECTED.contains(&base.as_str()) || INJECTED.contains(&last.as_str()) {
            continue;
        }
        if let syn::Pat::Ident(ident) = &*pat.pat {
            out.push((ident.ident.to_string(), ty));
        }
    }
    out
}

fn returns(output: &syn::ReturnType) -> String {
    let syn::ReturnType::Type(_, ty) = output else { return "()".into() };
    let text = type_text(ty);
    // `CmdResult<T>` (the shell's alias of `Result<T, TaggedError>`) answers T or rejects.
    for wrapper in ["CmdResult<", "Result<"] {
        if let Some(inner) = text.strip_prefix(wrapper).and_then(|t| t.strip_suffix('>')) {
            return split_top_level(inner).first().cloned().unwrap_or_default();
        }
    }
    text
}

/// Splits `A,B<C,D>` at its top-level commas.
fn split_top_level(text: &str) -> Vec<String> {
    let (mut depth, mut current, mut out) = (0i32, String::new(), Vec::new());
    for ch in text.chars() {
        match ch {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(ch);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A Rust type as TypeScript, and the generated binding types it names.
pub fn typescript(rust: &str, named: &mut std::collections::BTreeSet<String>) -> String {
    let rust = rust.trim_start_matches('&');
    // Bytes cross raw, not as JSON: a command's `ipc::Request` is its body, an
    // `ipc::Response` its answer.
    if is_raw_request(rust) {
        return "Uint8Array".into();
    }
    if rust == "tauri::ipc::Response" || rust == "ipc::Response" {
        return "ArrayBuffer".into();
    }
    if let Some(inner) = rust.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')) {
        return format!("{} | null", typescript(inner, named));
    }
    if let Some(inner) = rust.strip_prefix("Vec<").and_then(|t| t.strip_suffix('>')) {
        let inner = typescript(inner, named);
        return if inner.contains(' ') { format!("({inner})[]") } else { format!("{inner}[]") };
    }
    match rust {
        "()" => "null".into(),
        "bool" => "boolean".into(),
        "String" | "str" => "string".into(),
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" | "f32" | "f64" => {
            "number".into()
        }
        other => {
            let name = other.rsplit("::").next().unwrap_or(other).to_owned();
            named.insert(name.clone());
            name
        }
    }
}

/// Whether an argument is the raw body of the call (`tauri::ipc::Request<'_>`).
pub fn is_raw_request(rust: &str) -> bool {
    let last = rust.rsplit("::").next().unwrap_or(rust);
    last.starts_with("Request<") && rust.contains("ipc")
}

/// `chat_list` → `chatList`: what Tauri expects argument names and the UI names calls.
pub fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for ch in snake.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}
