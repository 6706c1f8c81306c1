//! The sign-in page: the demo persons as buttons, every value HTML-escaped.

use domkom_domain::wire::DemoPerson;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders the page; `hidden` are the authorize parameters to carry through the form.
pub fn sign_in_page(persons: &[DemoPerson], hidden: &[(&str, &str)]) -> String {
    let fields: String = hidden
        .iter()
        .map(|(k, v)| format!(r#"<input type="hidden" name="{}" value="{}">"#, escape(k), escape(v)))
        .collect();
    let buttons: String = persons
        .iter()
        .map(|p| {
            format!(
                r#"<li><button type="submit" name="person" value="{key}"><b>{name}</b><span>{desc}</span><code>{key}</code></button></li>"#,
                key = escape(&p.key),
                name = escape(&p.name),
                desc = escape(&p.description),
            )
        })
        .collect();
    format!(
        r#"<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Вход через Госуслуги (эмулятор) — Домком</title>
<style>
body{{font:17px/1.4 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}}
h1{{font-size:1.6rem}} ul{{list-style:none;padding:0}} li{{margin:.6rem 0}}
button{{width:100%;text-align:left;padding:.9rem 1rem;border:1px solid #b8c2cc;border-radius:.6rem;background:#fff;cursor:pointer;font:inherit;display:grid;gap:.2rem}}
button:hover,button:focus{{border-color:#0d4cd3;outline:3px solid #9dbcf5}}
span{{color:#46505a}} code{{color:#0d4cd3}}
@media (prefers-color-scheme:dark){{body{{background:#16191d;color:#e8eaed}}button{{background:#22262b;color:#e8eaed;border-color:#444}}span{{color:#b0b6bd}}code{{color:#8ab4ff}}}}
</style></head>
<body><h1>Вход через Госуслуги</h1>
<p>Это эмулятор ЕСИА эталонного сервера Домкома. Выберите, кем войти:</p>
<form method="post" action="/oauth/authorize">{fields}<ul>{buttons}</ul></form>
</body></html>"#
    )
}
