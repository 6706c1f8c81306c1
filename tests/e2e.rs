//! End to end: the real app window under Xvfb, driven through tauri-driver and
//! WebKitWebDriver, against the real reference backend (small seed) on a port of its own,
//! with the `domkom` CLI as a second person. One app launch walks every scenario, to keep
//! the suite lean; a screenshot of each main screen lands in artifacts/e2e/.

#[path = "e2e/support.rs"]
mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::{App, Cli, Display, Launch, Notifications, Persona, TestResult, TestServer, fail, sign_in_in_browser};

const SHORT: Duration = Duration::from_secs(15);
const LONG: Duration = Duration::from_secs(60);

/// The community ids of the chat list, in order.
async fn chat_ids(app: &App) -> TestResult<Vec<i64>> {
    let v = app
        .exec(
            "return [...document.querySelectorAll('[data-testid^=chat-list-item-]')]
                .map(e => Number(e.dataset.testid.slice('chat-list-item-'.length)))",
            json!([]),
        )
        .await?;
    Ok(v.as_array().map(|a| a.iter().filter_map(Value::as_i64).collect()).unwrap_or_default())
}

/// Types a message into the composer and sends it.
async fn send(app: &App, text: &str) -> TestResult {
    let input = app.wait_for("[data-testid=composer-input]", SHORT).await?;
    app.click(&input).await?;
    app.type_text(&input, text).await?;
    let button = app.wait_for("[data-testid=composer-send]", SHORT).await?;
    app.click(&button).await
}

/// Whether the timeline shows a message whose body is exactly `arguments[0]`, in state `arguments[1]`.
const MESSAGE_IN_STATE: &str = "
    const [text, state] = arguments;
    const m = [...document.querySelectorAll('[data-testid=timeline] [data-testid^=message-][data-state]')]
        .find(m => m.querySelector('[data-testid=message-body]')?.textContent.trim() === text);
    return !!m && m.dataset.state === state;";

/// The server id of the message whose body is exactly `text`.
async fn message_id(app: &App, text: &str) -> TestResult<i64> {
    let id = app
        .exec(
            "const m = [...document.querySelectorAll('[data-testid=timeline] [data-testid^=message-][data-state=sent]')]
                .find(m => m.querySelector('[data-testid=message-body]')?.textContent.trim() === arguments[0]);
             return m ? Number(m.dataset.testid.slice('message-'.length)) : null;",
            json!([text]),
        )
        .await?;
    id.as_i64().ok_or_else(|| format!("no sent message {text:?} in the timeline").into())
}

/// Opens a message's menu and picks an item of it.
async fn message_action(app: &App, id: i64, item: &str) -> TestResult {
    let more = app.wait_for(&format!("[data-testid=message-{id}] .more"), SHORT).await?;
    app.click(&more).await?;
    let action = app.wait_for(&format!("[data-testid=message-{id}] [data-testid={item}]"), SHORT).await?;
    app.click(&action).await
}

async fn wait_message(app: &App, text: &str, state: &str, timeout: Duration) -> TestResult {
    app.wait_until(&format!("message {text:?} in state {state}"), MESSAGE_IN_STATE, json!([text, state]), timeout).await
}

/// How many of the latest messages the CLI sees with exactly this text.
fn count_in_cli(cli: &Cli, community: i64, text: &str) -> TestResult<usize> {
    Ok(cli.messages(community, 50)?.iter().filter(|m| m["body"].as_str() == Some(text)).count())
}

/// The page's visible text (to see the UI's strings change with the language).
async fn page_text(app: &App) -> TestResult<String> {
    Ok(app.exec("return document.body.innerText", json!([])).await?.as_str().unwrap_or_default().to_owned())
}

async fn choose_language(app: &App, code: &str) -> TestResult {
    if app.find_all("[data-testid=lang-select]").await?.is_empty() {
        let settings = app.wait_for("[data-testid=settings-open]", SHORT).await?;
        app.click(&settings).await?;
    }
    app.wait_for(&format!("[data-testid=lang-select] option[value={code}]"), SHORT).await?;
    // As a person choosing from the native <select> does: set the value, fire `change`.
    app.exec(
        "const s = document.querySelector('[data-testid=lang-select]');
         s.value = arguments[0];
         s.dispatchEvent(new Event('input', {bubbles: true}));
         s.dispatchEvent(new Event('change', {bubbles: true}));",
        json!([code]),
    )
    .await?;
    app.wait_until(
        &format!("<html lang={code}>"),
        "return document.documentElement.lang === arguments[0]",
        json!([code]),
        SHORT,
    )
    .await?;
    // New words may move things (a longer tab wraps the row): wait until a frame is laid out
    // in the new language before anything is clicked.
    app.exec_async(
        "const [done] = arguments; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
        json!([]),
    )
    .await
    .map(drop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_app_end_to_end() -> TestResult {
    let tmp = tempfile::tempdir()?;
    // The seed's own "now", inside the demo house's reading window (15th to 25th).
    let mut server = TestServer::start_at("2026-11-24T12:00:00+03:00").await?;
    let display = Display::start()?;
    let notifications = Notifications::start(&display)?;
    let app = App::launch(Launch {
        display: &display,
        server: server.url.clone(),
        data_dir: tmp.path().join("app"),
        home: tmp.path().join("home"),
        name: "e2e",
    })
    .await?;
    let stamp = std::process::id();

    // Sign in as a demo resident through the UI's demo picker.
    let resident = app.wait_for("[data-testid=demo-person-resident]", LONG).await?;
    app.screenshot("01-sign-in").await?;
    app.click(&resident).await?;

    // The chat list, then the house chat's history.
    app.wait_for("[data-testid^=chat-list-item-]", LONG).await?;
    let chats = chat_ids(&app).await?;
    let Some(&community) = chats.first() else { return fail("no chats listed") };
    app.screenshot("02-chat-list").await?;
    let item = app.wait_for(&format!("[data-testid=chat-list-item-{community}]"), SHORT).await?;
    app.click(&item).await?;
    app.wait_for("[data-testid=timeline] [data-testid^=message-][data-state=sent]", LONG).await?;
    app.screenshot("03-chat").await?;

    // A message from the app reaches a second client, whose reply shows without a reload.
    let chair = Cli::signed_in(&server.url, &tmp.path().join("chair"), Persona::Chair)?;
    let hello = format!("Добрый день, соседи! ({stamp})");
    send(&app, &hello).await?;
    wait_message(&app, &hello, "sent", LONG).await?;
    if count_in_cli(&chair, community, &hello)? != 1 {
        return fail("the chair's CLI did not receive the app's message");
    }
    let reply = format!("Здравствуйте! Председатель на связи ({stamp})");
    chair.run(&["send", &community.to_string(), &reply])?;
    wait_message(&app, &reply, "sent", LONG).await?;
    app.exec("window.__reloadMarker = 1", json!([])).await?;

    // Chat text is text: markup shows literally and runs nothing.
    let img = r#"<img src=x onerror="window.__xss=1">"#;
    let script = "<script>window.__xss=1</script>";
    for payload in [img, script] {
        send(&app, payload).await?;
        wait_message(&app, payload, "sent", LONG).await?;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let xss = app.exec("return [window.__xss === undefined, document.querySelectorAll('[data-testid=timeline] img[src=x], [data-testid=timeline] script').length]", json!([])).await?;
    if xss != json!([true, 0]) {
        return fail(format!("chat text was rendered as HTML: {xss}"));
    }
    app.screenshot("04-markup-as-text").await?;

    // Emoji in chat text are drawn from a colour font, not as missing-glyph boxes: the
    // message's own font stack paints them with colour (a box or a monochrome glyph has none).
    // The chair writes it (WebDriver cannot type characters beyond the first plane).
    let emoji = format!("Спасибо, соседи! 👍🔥💧🏠 ({stamp})");
    chair.run(&["send", &community.to_string(), &emoji])?;
    wait_message(&app, &emoji, "sent", LONG).await?;
    let colour = app
        .exec(
            "const body = [...document.querySelectorAll('[data-testid=message-body]')].find(b => b.textContent.includes(arguments[0]));
             const font = getComputedStyle(body).fontFamily;
             const canvas = document.createElement('canvas');
             canvas.width = 200; canvas.height = 60;
             const g = canvas.getContext('2d');
             g.font = '40px ' + font;
             g.fillStyle = '#000';
             g.fillText(arguments[0], 4, 46);
             const px = g.getImageData(0, 0, 200, 60).data;
             let coloured = 0;
             for (let i = 0; i < px.length; i += 4) {
               const [r, gr, b, a] = [px[i], px[i + 1], px[i + 2], px[i + 3]];
               if (a > 128 && Math.max(r, gr, b) - Math.min(r, gr, b) > 60) coloured++;
             }
             return coloured;",
            json!(["👍🔥💧🏠"]),
        )
        .await?;
    if colour.as_i64().unwrap_or(0) < 200 {
        return fail(format!("emoji are not drawn in colour ({colour} coloured pixels): is the emoji font installed?"));
    }
    app.screenshot("04b-emoji").await?;

    // A link in a message opens in the system browser; the window stays on the app.
    let link = format!("https://uk.example.ru/grafik?stamp={stamp}");
    chair.run(&["send", &community.to_string(), &format!("График отключений: {link}")])?;
    let anchor = app.wait_for(&format!("[data-testid=timeline] a[href='{link}']"), LONG).await?;
    app.click(&anchor).await?;
    if app.browser.wait_opened(1, SHORT).await? != link {
        return fail(format!("the system browser got {:?}, not the link", app.browser.opened()));
    }

    // Offline: the message waits (shown queued) and is delivered exactly once on reconnect.
    server.stop().await?;
    app.wait_for("[data-testid=offline-banner]", LONG).await?;
    let queued = format!("Отправлено без связи ({stamp})");
    send(&app, &queued).await?;
    wait_message(&app, &queued, "pending", SHORT).await?;
    app.screenshot("05-offline-queued").await?;
    server.restart().await?;
    wait_message(&app, &queued, "sent", LONG).await?;
    let seen = count_in_cli(&chair, community, &queued)?;
    if seen != 1 {
        return fail(format!("the queued message arrived {seen} times, not once"));
    }
    app.wait_until(
        "the offline banner goes away",
        "return !document.querySelector('[data-testid=offline-banner]')",
        json!([]),
        LONG,
    )
    .await?;
    // Everything above happened without a reload.
    if app.exec("return window.__reloadMarker === 1", json!([])).await? != Value::Bool(true) {
        return fail("the page reloaded");
    }

    // Search across chats.
    let open = app.wait_for("[data-testid=search-open]", SHORT).await?;
    app.click(&open).await?;
    let input = app.wait_for("[data-testid=search-input]", SHORT).await?;
    app.type_text(&input, "Председатель").await?;
    app.wait_for("[data-testid=search-result]", SHORT).await?;
    app.screenshot("06-search").await?;
    if let Ok(close) = app.wait_for("[data-testid=search-close]", Duration::from_secs(1)).await {
        app.click(&close).await?;
    }

    // The house passport.
    let passport = app.wait_for("[data-testid=nav-passport]", SHORT).await?;
    app.click(&passport).await?;
    app.wait_for("[data-testid=passport]", SHORT).await?;
    app.screenshot("07-passport").await?;
    app.click(&passport).await?;

    // Meters: a reading below the last one is refused as it is typed, then corrected and taken.
    let nav = app.wait_for("[data-testid=nav-meters]", SHORT).await?;
    app.click(&nav).await?;
    app.wait_for("[data-testid=meters] [data-testid^=meter-] [data-testid=reading-form]", SHORT).await?;
    let last = app
        .exec(
            "const card = [...document.querySelectorAll('[data-testid=meters] article')].find(a => a.querySelector('[data-testid=reading-t1]') && !a.querySelector('[data-testid=reading-t2]'));
             return [card.dataset.testid, card.querySelector('[data-testid=meter-last] .value').textContent.trim()];",
            json!([]),
        )
        .await?;
    let (Some(card), Some(previous)) = (last[0].as_str(), last[1].as_str().and_then(|v| v.parse::<f64>().ok())) else {
        return fail(format!("no one-zone meter with a last reading: {last}"));
    };
    let field = app.wait_for(&format!("[data-testid={card}] [data-testid=reading-t1]"), SHORT).await?;
    app.type_text(&field, &format!("{}", (previous - 1.0).max(0.0))).await?;
    let verdict = app.wait_for(&format!("[data-testid={card}] [data-testid=reading-verdict]"), SHORT).await?;
    let said = app.text(&verdict).await?;
    if !said.contains("меньше прошлого показания") {
        return fail(format!("the refusal does not say why: {said}"));
    }
    app.screenshot("13-meters-refused").await?;
    // Select what was typed (Ctrl+A) and type the corrected value over it.
    app.type_text(&field, &format!("\u{E009}a\u{E009}{:.3}", previous + 4.2)).await?;
    app.wait_until(
        "the rules pass the corrected reading",
        "return !document.querySelector(`[data-testid=${arguments[0]}] [data-testid=reading-verdict]`)",
        json!([card]),
        SHORT,
    )
    .await?;
    let submit = app.wait_for(&format!("[data-testid={card}] [data-testid=reading-submit]"), SHORT).await?;
    app.click(&submit).await?;
    app.wait_for(&format!("[data-testid={card}] [data-testid=reading-sent]"), LONG).await?;
    app.wait_until(
        "the window says this month's reading is in",
        "return document.querySelector(`[data-testid=${arguments[0]}] [data-testid=meter-window]`).textContent.includes('переданы')",
        json!([card]),
        LONG,
    )
    .await?;
    let history = app.wait_for(&format!("[data-testid={card}] [data-testid=meter-history-toggle]"), SHORT).await?;
    app.click(&history).await?;
    app.wait_for(&format!("[data-testid={card}] [data-testid=meter-chart]"), SHORT).await?;
    app.screenshot("14-meters-accepted").await?;

    // Notices: today's cold-water outage is longer than the 4 hours allowed, and says so.
    let nav = app.wait_for("[data-testid=nav-notices]", SHORT).await?;
    app.click(&nav).await?;
    let flag = app.wait_for("[data-testid=notices] [data-when=current] [data-testid=notice-breach]", SHORT).await?;
    let said = app.text(&flag).await?;
    if !said.contains("при норме 4 ч") || !said.contains("перерасчёта") {
        return fail(format!("the breach is not said in words: {said}"));
    }
    app.screenshot("15-notices").await?;
    // Beside them: who to call, and the capital-repair plan.
    app.wait_for("[data-testid=notices-org]", SHORT).await?;
    app.wait_for("[data-testid=repairs] [data-testid^=repair-]", SHORT).await?;
    app.exec("document.querySelector('[data-testid=repairs]').scrollIntoView({block: 'end'})", json!([])).await?;
    app.screenshot("15-notices-repairs").await?;

    // Bills: the months with their change; a month whose water went unread says it was billed
    // by the average, and why, as the server's own bill has it.
    let account = server.api(Persona::Resident).await?.get("/v1/accounts").await?.body;
    let account = account[0]["id"].as_i64().ok_or("the resident's account")?;
    let served = server.api(Persona::Resident).await?.get(&format!("/v1/accounts/{account}/bills")).await?.body;
    let Some(averaged) = served.as_array().and_then(|bs| {
        bs.iter().find(|b| b["charges"].as_array().is_some_and(|ls| ls.iter().any(|l| l["volume_method"] == "average")))
    }) else {
        return fail("the seed bills no month of the resident by the average");
    };
    let period = averaged["period"].as_str().ok_or("period")?.to_owned();
    let nav = app.wait_for("[data-testid=nav-bills]", SHORT).await?;
    app.click(&nav).await?;
    app.wait_for("[data-testid=bills] [data-testid=bill-chart]", SHORT).await?;
    let month = app.wait_for(&format!("[data-testid=bill-month-{period}]"), SHORT).await?;
    app.click(&month).await?;
    app.wait_for(&format!("[data-testid=bill][data-period='{period}']"), SHORT).await?;
    let line = app
        .wait_for("[data-testid=bill] [data-testid=bill-line][data-method=average] [data-testid=bill-method]", SHORT)
        .await?;
    let said = app.text(&line).await?;
    if !said.contains("по среднему за 6 месяцев: показания не поданы") {
        return fail(format!("the average is not explained: {said}"));
    }
    let total = app.text(&app.wait_for("[data-testid=bill-total]", SHORT).await?).await?;
    let kopecks = averaged["total"].as_i64().ok_or("total")?;
    let roubles: String = total.chars().filter(|c| c.is_ascii_digit()).collect();
    if roubles != kopecks.to_string() {
        return fail(format!("the bill's total {total} is not the server's {kopecks} kopecks"));
    }
    app.screenshot("16-bill").await?;
    app.exec(
        "document.querySelector('[data-testid=bill-line][data-method=average]').scrollIntoView({block: 'center'})",
        json!([]),
    )
    .await?;
    // Nothing in the bill may widen the window: only the table scrolls sideways.
    let page = app.exec("return [document.documentElement.scrollWidth, window.innerWidth]", json!([])).await?;
    if page[0].as_i64() > page[1].as_i64() {
        return fail(format!("the bills view widens the page: {page}"));
    }
    app.screenshot("17-bill-lines").await?;

    // Tickets: a resident files one about the garbage chute; the rules say its deadline (two
    // day hours: 14:00 at the house's noon) before it is sent, and it joins the house's list.
    let nav = app.wait_for("[data-testid=nav-tickets]", SHORT).await?;
    app.click(&nav).await?;
    app.wait_for("[data-testid=tickets] [data-testid^=ticket-row-]", LONG).await?;
    let new = app.wait_for("[data-testid=ticket-new]", SHORT).await?;
    app.click(&new).await?;
    let choose = "const el = document.querySelector(`[data-testid=${arguments[0]}]`); el.value = arguments[1];
                  el.dispatchEvent(new Event('change', {bubbles: true}));";
    app.wait_for("[data-testid=ticket-form]", SHORT).await?;
    app.exec(choose, json!(["ticket-category", "garbage_chute"])).await?;
    let text = app.wait_for("[data-testid=ticket-text]", SHORT).await?;
    let complaint = format!("Засор мусоропровода, мусор не проходит ({stamp})");
    app.type_text(&text, &complaint).await?;
    let preview = app.wait_for("[data-testid=ticket-deadline-preview]", SHORT).await?;
    let said = app.text(&preview).await?;
    if !said.contains("14:00") {
        return fail(format!("the form does not say the regulated deadline: {said}"));
    }
    app.screenshot("22-ticket-form").await?;
    let submit = app.wait_for("[data-testid=ticket-submit]", SHORT).await?;
    app.click(&submit).await?;
    app.wait_for("[data-testid=ticket-filed][data-state=sent]", LONG).await?;
    app.wait_until(
        "the filed ticket in the house's list",
        "return [...document.querySelectorAll('[data-testid^=ticket-row-]')].some(r => r.textContent.includes(arguments[0]))",
        json!([complaint.chars().take(30).collect::<String>()]),
        LONG,
    )
    .await?;
    app.exec(
        "[...document.querySelectorAll('[data-testid^=ticket-row-]')].find(r => r.textContent.includes(arguments[0])).click()",
        json!([complaint.chars().take(30).collect::<String>()]),
    )
    .await?;
    let card = app.wait_for("[data-testid=ticket-card][data-status=new]", SHORT).await?;
    let shown = app.text(&card).await?;
    if !shown.contains("осталось") {
        return fail(format!("the ticket does not count down: {shown}"));
    }
    let withdraw = app
        .exec(
            "return [...document.querySelectorAll('[data-testid=ticket-move-select] option')].some(o => o.value === 'withdrawn')",
            json!([]),
        )
        .await?;
    if withdraw != json!(true) {
        return fail("the author is not offered to withdraw the ticket");
    }
    app.screenshot("23-ticket-filed").await?;
    choose_language(&app, "tt").await?;
    app.wait_for("[data-testid=ticket-card][data-status=new]", SHORT).await?;
    app.screenshot("23b-ticket-tatar").await?;
    choose_language(&app, "en").await?;
    app.screenshot("23c-ticket-english").await?;
    choose_language(&app, "ru").await?;

    // A chat message becomes a ticket: a resident writes that a pipe burst, picks "Сделать
    // заявкой", and the form opens with the text; marked an emergency, it is due in 30
    // minutes; a photo from the phone goes with it (a file that is not a photo is refused in
    // words). Once filed, the message names its ticket and the chat hears of each step.
    let nav = app.wait_for("[data-testid=nav-chat]", SHORT).await?;
    app.click(&nav).await?;
    let lamp = format!("Прорвало трубу в подвале, заливает ({stamp})");
    send(&app, &lamp).await?;
    wait_message(&app, &lamp, "sent", LONG).await?;
    const OF_MESSAGE: &str =
        "[...document.querySelectorAll('[data-testid=timeline] [data-testid^=message-][data-state]')]
        .find(m => m.querySelector('[data-testid=message-body]')?.textContent.trim() === arguments[0])";
    app.exec(&format!("{OF_MESSAGE}.querySelector('.more').click()"), json!([lamp])).await?;
    let make = app.wait_for("[data-testid=message-make-ticket]", SHORT).await?;
    app.click(&make).await?;
    app.wait_for("[data-testid=ticket-form] [data-testid=ticket-from-chat]", SHORT).await?;
    let prefilled = app.exec("return document.querySelector('[data-testid=ticket-text]').value", json!([])).await?;
    if prefilled != json!(lamp) {
        return fail(format!("the form is not filled with the message: {prefilled}"));
    }
    app.exec(choose, json!(["ticket-category", "leak"])).await?;
    app.exec(choose, json!(["ticket-place", "basement"])).await?;
    let emergency = app.wait_for("[data-testid=ticket-emergency]", SHORT).await?;
    app.click(&emergency).await?;
    app.wait_until(
        "the form says the emergency's 30 minutes",
        "return document.querySelector('[data-testid=ticket-deadline-preview]')?.textContent.includes('12:30')",
        json!([]),
        SHORT,
    )
    .await?;
    let files = tempfile::tempdir()?;
    let (photo, notes) = (files.path().join("basement.jpg"), files.path().join("notes.txt"));
    std::fs::write(&photo, domkom_testkit::phone_photo()?)?;
    std::fs::write(&notes, "не фото")?;
    let input = app.wait_for("[data-testid=ticket-photo-input]", SHORT).await?;
    app.type_text(&input, &notes.to_string_lossy()).await?;
    let refusal = app.text(&app.wait_for("[data-testid=ticket-photo-error]", LONG).await?).await?;
    if !refusal.contains("не фотография") {
        return fail(format!("a text file is not refused in words: {refusal}"));
    }
    let input = app.wait_for("[data-testid=ticket-photo-input]", SHORT).await?;
    app.type_text(&input, &photo.to_string_lossy()).await?;
    app.wait_for("[data-testid=ticket-photo-chosen] img", LONG).await?;
    app.exec(
        "document.querySelector('[data-testid=ticket-photos-picker]').scrollIntoView({block: 'center'})",
        json!([]),
    )
    .await?;
    app.screenshot("22b-ticket-leak-photo").await?;
    let submit = app.wait_for("[data-testid=ticket-submit]", SHORT).await?;
    app.click(&submit).await?;
    app.wait_for("[data-testid=ticket-filed][data-state=sent]", LONG).await?;
    let nav = app.wait_for("[data-testid=nav-chat]", SHORT).await?;
    app.click(&nav).await?;
    app.wait_until(
        "the message names its ticket",
        &format!("return !!{OF_MESSAGE}?.querySelector('[data-testid=message-ticket]')"),
        json!([lamp]),
        LONG,
    )
    .await?;
    app.wait_until(
        "the chat hears the ticket was filed",
        "return [...document.querySelectorAll('[data-testid=message-body]')].some(b => b.textContent.includes('зарегистрирована'))",
        json!([]),
        LONG,
    )
    .await?;
    app.screenshot("23d-ticket-from-chat").await?;

    // A dispatcher posts an outage for the house: the resident is notified, and sees it in
    // the notices and, as a notice, in the chat.
    let house = server.api(Persona::Resident).await?.get("/v1/houses").await?.body[0]["id"].as_i64().ok_or("house")?;
    let dispatcher = Cli::signed_in(&server.url, &tmp.path().join("dispatcher"), Persona::Dispatcher)?;
    let reason = format!("Ремонт стояка горячей воды ({stamp})");
    dispatcher.run(&[
        "outage",
        "post",
        "--house",
        &house.to_string(),
        "--service",
        "hot_water",
        "--from",
        "2026-11-28T10:15",
        "--to",
        "2026-11-28T13:45",
        "--reason",
        &reason,
    ])?;
    let summary = notifications.wait_for("28.11 10:15 – 28.11 13:45", LONG).await?;
    if !summary.starts_with("Отключение горячей воды") {
        return fail(format!("the outage notification does not say what is off: {summary:?}"));
    }
    let nav = app.wait_for("[data-testid=nav-notices]", SHORT).await?;
    app.click(&nav).await?;
    app.wait_until(
        "the posted outage among the coming ones",
        "return [...document.querySelectorAll('[data-testid=notices] [data-when=upcoming]')].some(n => n.textContent.includes(arguments[0]))",
        json!([reason]),
        LONG,
    )
    .await?;
    app.screenshot("18-outage-notified").await?;
    let chat_tab = app.wait_for("[data-testid=nav-chat]", SHORT).await?;
    app.click(&chat_tab).await?;
    app.wait_for("[data-testid=timeline] [data-testid=message-notice]", LONG).await?;
    app.screenshot("19-outage-in-chat").await?;

    // Tatar and English: the UI's strings change.
    let russian = page_text(&app).await?;
    choose_language(&app, "tt").await?;
    let tatar = page_text(&app).await?;
    app.screenshot("08-tatar").await?;
    choose_language(&app, "en").await?;
    let english = page_text(&app).await?;
    app.screenshot("09-english").await?;
    if tatar == russian || english == russian || english == tatar {
        return fail("switching the language did not change the UI's strings");
    }
    choose_language(&app, "ru").await?;
    let chat_tab = app.wait_for("[data-testid=nav-chat]", SHORT).await?;
    app.click(&chat_tab).await?;

    // Sign out, then in again through the system browser, as the owner of flats in two houses.
    let logout = app.wait_for("[data-testid=logout]", SHORT).await?;
    app.click(&logout).await?;
    let in_browser = app.wait_for("[data-testid=signin-browser]", LONG).await?;
    app.click(&in_browser).await?;
    let page = app.browser.wait_opened(2, SHORT).await?;
    if !page.starts_with(&format!("{}/oauth/authorize?", server.url.clone())) {
        return fail(format!("the browser was sent somewhere else: {page}"));
    }
    sign_in_in_browser(&page, Persona::MultiOwner.key()).await?;
    app.wait_until(
        "both house chats listed",
        "return document.querySelectorAll('[data-testid^=chat-list-item-]').length === 2",
        json!([]),
        LONG,
    )
    .await?;
    let chats = chat_ids(&app).await?;
    let Some(&other) = chats.iter().find(|&&c| c != community) else {
        return fail(format!("the second house's chat is missing: {chats:?}"));
    };
    if !chats.contains(&community) {
        return fail(format!("the first house's chat is missing: {chats:?}"));
    }

    // A message in a chat not in view is notified, by a real notification daemon.
    let other_item = app.wait_for(&format!("[data-testid=chat-list-item-{other}]"), SHORT).await?;
    app.click(&other_item).await?;
    // Opening a chat shows its newest message.
    app.wait_until(
        "the newest message in view",
        "const tl = document.querySelector('[data-testid=timeline]');
         const rows = tl ? tl.querySelectorAll('[data-testid^=message-][data-state]') : [];
         if (!rows.length) return false;
         const last = rows[rows.length - 1].getBoundingClientRect(), view = tl.getBoundingClientRect();
         return tl.scrollHeight - tl.scrollTop - tl.clientHeight < 2 && last.bottom <= view.bottom + 1;",
        json!([]),
        SHORT,
    )
    .await?;
    let ping = format!("Завтра с 9 до 17 отключат горячую воду ({stamp})");
    chair.run(&["send", &community.to_string(), &ping])?;
    let summary = notifications.wait_for(&ping, LONG).await?;
    if !summary.contains("Гарипов") {
        return fail(format!("the notification does not name the author: {summary:?}"));
    }
    app.screenshot("10-notified").await?;

    // A muted chat stays silent, though its message arrives.
    let item = app.wait_for(&format!("[data-testid=chat-list-item-{community}]"), SHORT).await?;
    app.click(&item).await?;
    let mute = app.wait_for("[data-testid=mute-toggle][aria-pressed=false]", SHORT).await?;
    app.click(&mute).await?;
    app.wait_for("[data-testid=mute-toggle][aria-pressed=true]", SHORT).await?;
    let other_item = app.wait_for(&format!("[data-testid=chat-list-item-{other}]"), SHORT).await?;
    app.click(&other_item).await?;
    let quiet = format!("Собрание жильцов в четверг ({stamp})");
    chair.run(&["send", &community.to_string(), &quiet])?;
    app.wait_until(
        "the muted chat's newest message in the list",
        "return !!document.querySelector(`[data-testid=chat-list-item-${arguments[0]}]`)?.textContent.includes(arguments[1])",
        json!([community, quiet]),
        LONG,
    )
    .await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    if notifications.shown()?.iter().any(|(_, body)| body.contains(&quiet)) {
        return fail("a muted chat's message was notified");
    }
    app.screenshot("11-muted").await?;

    // An owner who has not joined is offered their house's chat, and joins it.
    let logout = app.wait_for("[data-testid=logout]", SHORT).await?;
    app.click(&logout).await?;
    let newcomer = app.wait_for("[data-testid=demo-person-not-joined]", LONG).await?;
    app.click(&newcomer).await?;
    let join = app.wait_for(&format!("[data-testid=offer-join-{community}]"), LONG).await?;
    app.screenshot("12-join-offer").await?;
    if !chat_ids(&app).await?.is_empty() {
        return fail("an owner who has not joined already sees a chat");
    }
    app.click(&join).await?;
    app.wait_for(&format!("[data-testid=chat-list-item-{community}]"), LONG).await?;
    app.wait_for("[data-testid=timeline] [data-testid^=message-][data-state=sent]", LONG).await?;
    if !app.find_all("[data-testid^=offer-join-]").await?.is_empty() {
        return fail("the offer stays after joining");
    }

    // A dispatcher announces an outage from the app: the form checks it as it is filled in.
    let logout = app.wait_for("[data-testid=logout]", SHORT).await?;
    app.click(&logout).await?;
    let staff = app.wait_for("[data-testid=demo-person-dispatcher]", LONG).await?;
    app.click(&staff).await?;
    let item = app.wait_for(&format!("[data-testid=chat-list-item-{community}]"), LONG).await?;
    app.click(&item).await?;
    let nav = app.wait_for("[data-testid=nav-notices]", SHORT).await?;
    app.click(&nav).await?;
    let new = app.wait_for("[data-testid=outage-new]", SHORT).await?;
    app.click(&new).await?;
    app.wait_for("[data-testid=outage-form] [data-testid^=outage-house-]", LONG).await?;
    let set = "const el = document.querySelector(`[data-testid=${arguments[0]}]`); el.value = arguments[1];
               el.dispatchEvent(new Event('input', {bubbles: true}));";
    app.exec(set, json!(["outage-from", "2026-11-29T14:00"])).await?;
    app.exec(set, json!(["outage-to", "2026-11-29T12:00"])).await?;
    let field = app.wait_for("[data-testid=outage-reason]", SHORT).await?;
    let announced = format!("Авария на вводе холодной воды ({stamp})");
    app.type_text(&field, &announced).await?;
    let verdict = app.wait_for("[data-testid=outage-verdict]", SHORT).await?;
    let said = app.text(&verdict).await?;
    if !said.contains("Окончание должно быть позже начала") {
        return fail(format!("the form does not say the end is before the start: {said}"));
    }
    app.exec(set, json!(["outage-to", "2026-11-29T20:00"])).await?;
    app.wait_until(
        "the rules pass the corrected outage",
        "return !document.querySelector('[data-testid=outage-verdict]') && !document.querySelector('[data-testid=outage-submit]').disabled",
        json!([]),
        SHORT,
    )
    .await?;
    app.screenshot("20-outage-form").await?;
    let submit = app.wait_for("[data-testid=outage-submit]", SHORT).await?;
    app.click(&submit).await?;
    app.wait_for("[data-testid=outage-sent][data-state=sent]", LONG).await?;
    app.wait_until(
        "the announced outage in the house's notices",
        "return [...document.querySelectorAll('[data-testid=notices] [data-when]')].some(n => n.textContent.includes(arguments[0]))",
        json!([announced]),
        LONG,
    )
    .await?;
    app.screenshot("21-outage-posted").await?;

    // The dispatcher's desk: one queue of the organisation's houses; the resident's leak heads
    // it, due at 12:30; overdue ones stand out; the keyboard moves (arrows, Home), opens a
    // ticket (Enter), reaches its executor (A) and its status (S).
    let nav = app.wait_for("[data-testid=nav-tickets]", SHORT).await?;
    app.click(&nav).await?;
    let queue = app.wait_for("[data-testid=ticket-queue]", LONG).await?;
    app.wait_for("[data-testid=ticket-queue] [data-testid=queue-row]", LONG).await?;
    let rows = app.find_all("[data-testid=ticket-queue] [data-testid=queue-row]").await?.len();
    if rows > 80 {
        return fail(format!("the queue is not virtual: {rows} rows in the DOM"));
    }
    app.screenshot("24a-desk-leak-first").await?;
    let first = app
        .exec(
            "return document.querySelector('[data-testid=ticket-queue] [data-testid=queue-row]').textContent",
            json!([]),
        )
        .await?;
    let first = first.as_str().unwrap_or_default();
    let start: String = lamp.chars().take(24).collect();
    if !first.contains(&start) || !first.contains("12:30") {
        return fail(format!("the new leak does not head the queue with its deadline: {first}"));
    }
    app.type_text(&queue, "\u{E015}\u{E015}").await?;
    let moved = app.exec("return document.querySelector('.qrow.cursor').dataset.ticket", json!([])).await?;
    app.type_text(&queue, "\u{E011}\u{E007}").await?;
    app.wait_for("[data-testid=ticket-card]", SHORT).await?;
    let opened = app
        .exec("return [document.querySelector('.qrow.cursor').dataset.ticket, document.querySelector('[data-testid=ticket-card]').dataset.ticket, document.querySelector('[data-testid=ticket-card]').textContent]", json!([]))
        .await?;
    if opened[0] != opened[1] || moved == opened[0] || !opened[2].as_str().unwrap_or("").contains(&lamp) {
        return fail(format!("the arrows, Home and Enter did not open the leak under the cursor: {opened}"));
    }
    let leak = opened[1].as_str().unwrap_or("").to_owned();
    app.wait_until(
        "the resident's photo in the dispatcher's card",
        "const img = document.querySelector('[data-testid=ticket-card] [data-testid=ticket-photo-thumb]'); return !!img && img.complete && img.naturalWidth > 0",
        json!([]),
        LONG,
    )
    .await?;
    app.type_text(&queue, "a").await?;
    app.wait_until(
        "A focuses the executor",
        "return document.activeElement?.dataset.testid === 'ticket-assign'",
        json!([]),
        SHORT,
    )
    .await?;
    let executor = app
        .exec("const s = document.querySelector('[data-testid=ticket-assign]'); return s.options.length > 1 ? s.options[s.options.length - 1].value : null", json!([]))
        .await?;
    let Some(executor) = executor.as_str().map(str::to_owned) else { return fail("no executor to choose") };
    app.exec(choose, json!(["ticket-assign", executor])).await?;
    app.wait_until(
        "the executor is set",
        "return document.querySelector('[data-testid=ticket-executor]').textContent !== '' && !document.querySelector('[data-testid=ticket-executor]').textContent.includes('не назначен')",
        json!([]),
        LONG,
    )
    .await?;
    app.type_text(&queue, "s").await?;
    app.wait_until(
        "S focuses the status",
        "return document.activeElement?.dataset.testid === 'ticket-move-select'",
        json!([]),
        SHORT,
    )
    .await?;
    app.exec(choose, json!(["ticket-move-select", "in_work"])).await?;
    app.wait_until(
        "the move is chosen",
        "return document.querySelector('[data-testid=ticket-move-select]').value === 'in_work' && !document.querySelector('[data-testid=ticket-move-apply]').disabled",
        json!([]),
        SHORT,
    )
    .await?;
    let apply = app.wait_for("[data-testid=ticket-move-apply]", SHORT).await?;
    app.click(&apply).await?;
    app.wait_for(&format!("[data-testid=ticket-card][data-ticket='{leak}'][data-status=in_work]"), LONG).await?;
    app.screenshot("24-desk").await?;
    let overdue = app.wait_for("[data-testid=desk-overdue]", SHORT).await?;
    app.click(&overdue).await?;
    app.wait_until(
        "only overdue tickets are listed",
        "const rows = [...document.querySelectorAll('[data-testid=queue-row]')]; return rows.length > 0 && rows.every(r => r.classList.contains('overdue'))",
        json!([]),
        LONG,
    )
    .await?;
    app.screenshot("25-desk-overdue").await?;

    // The filtered queue goes to a file in Downloads, every row of it; the report draws the
    // last month per category.
    let total: usize = app
        .exec("return Number(document.querySelector('[data-testid=desk-total]').dataset.total)", json!([]))
        .await?
        .as_u64()
        .unwrap_or(0) as usize;
    let downloads = tmp.path().join("home/downloads");
    for (button, ext) in [("desk-export-csv", "csv"), ("desk-export-xlsx", "xlsx")] {
        let b = app.wait_for(&format!("[data-testid={button}]"), SHORT).await?;
        app.click(&b).await?;
        app.wait_until(
            "the export is written",
            "const p = document.querySelector('[data-testid=desk-exported] .path'); return p !== null && p.textContent.endsWith(arguments[0])",
            json!([format!(".{ext}")]),
            LONG,
        )
        .await?;
    }
    let mut files: Vec<_> = std::fs::read_dir(&downloads)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let csv = files.iter().find(|p| p.extension().is_some_and(|x| x == "csv")).ok_or("no CSV in Downloads")?;
    let lines = std::fs::read_to_string(csv)?.lines().count();
    if total == 0 || lines != total + 1 {
        return fail(format!("the CSV has {lines} lines for {total} overdue tickets"));
    }
    let xlsx = files.iter().find(|p| p.extension().is_some_and(|x| x == "xlsx")).ok_or("no workbook in Downloads")?;
    if !std::fs::read(xlsx)?.starts_with(b"PK") {
        return fail("the workbook is not an XLSX (zip) file");
    }
    app.screenshot("26-desk-exported").await?;
    let report = app.wait_for("[data-testid=desk-report]", SHORT).await?;
    app.click(&report).await?;
    app.wait_for("[data-testid=ticket-report] [data-testid=report-line]", LONG).await?;
    app.screenshot("27-desk-report").await?;

    // The work is done, the dispatcher says from a script; the resident's app shows it, and
    // the chat, under the message, told each step; the resident confirms it.
    dispatcher.run(&["sync"])?;
    dispatcher.run(&["ticket", "move", &leak, "done"])?;
    let logout = app.wait_for("[data-testid=logout]", SHORT).await?;
    app.click(&logout).await?;
    let resident = app.wait_for("[data-testid=demo-person-resident]", LONG).await?;
    app.click(&resident).await?;
    let item = app.wait_for(&format!("[data-testid=chat-list-item-{community}]"), LONG).await?;
    app.click(&item).await?;
    let nav = app.wait_for("[data-testid=nav-tickets]", SHORT).await?;
    app.click(&nav).await?;
    let row = app.wait_for(&format!("[data-testid=ticket-row-{leak}]"), LONG).await?;
    app.click(&row).await?;
    app.wait_for(&format!("[data-testid=ticket-card][data-ticket='{leak}'][data-status=done]"), LONG).await?;
    let confirm = app.wait_for("[data-testid=ticket-confirm]", SHORT).await?;
    app.click(&confirm).await?;
    app.wait_until(
        "the confirmation in the ticket's history",
        "return document.querySelector('[data-testid=ticket-history]')?.textContent.includes('выполнение подтверждено')",
        json!([]),
        LONG,
    )
    .await?;
    app.screenshot("28-resident-confirmed").await?;
    let nav = app.wait_for("[data-testid=nav-chat]", SHORT).await?;
    app.click(&nav).await?;
    for step in ["в работе", "выполнена"] {
        app.wait_until(
            "the chat tells the ticket's step",
            "return [...document.querySelectorAll('[data-testid=message-body]')].some(b => b.textContent.includes(`№${arguments[0]}`) && b.textContent.includes(arguments[1]))",
            json!([leak, step]),
            LONG,
        )
        .await?;
    }
    app.screenshot("29-chat-ticket-steps").await?;

    // Moderation in the app: a neighbour's useful message and an advert arrive; the chair
    // pins the one and deletes the other with a reason; the resident sees the pin, the
    // reason in place of the words, and both in the log, and appeals the deletion.
    let neighbour = Cli::signed_in(&server.url, &tmp.path().join("resident-cli"), Persona::Resident)?;
    let useful = format!("Аварийная служба УК: 8 843 555-00-00, круглосуточно ({stamp})");
    let advert = format!("Продаю гараж у дома, недорого ({stamp})");
    neighbour.run(&["sync"])?;
    neighbour.run(&["send", &community.to_string(), &useful])?;
    neighbour.run(&["send", &community.to_string(), &advert])?;
    let logout = app.wait_for("[data-testid=logout]", SHORT).await?;
    app.click(&logout).await?;
    let chair_person = app.wait_for("[data-testid=demo-person-chair]", LONG).await?;
    app.click(&chair_person).await?;
    let item = app.wait_for(&format!("[data-testid=chat-list-item-{community}]"), LONG).await?;
    app.click(&item).await?;
    wait_message(&app, &advert, "sent", LONG).await?;
    let greeting = message_id(&app, &useful).await?;
    message_action(&app, greeting, "message-pin").await?;
    app.wait_until(
        "the pin above the chat",
        "return document.querySelector('[data-testid=pinned-text]')?.textContent.includes(arguments[0])",
        json!([useful]),
        LONG,
    )
    .await?;
    app.wait_for("[data-testid=pinned-unpin]", SHORT).await?;
    app.screenshot("30-chair-pinned").await?;
    let offtopic = message_id(&app, &advert).await?;
    message_action(&app, offtopic, "message-remove").await?;
    let why = app.wait_for(&format!("[data-testid=message-{offtopic}] [data-testid=reason-input]"), SHORT).await?;
    app.type_text(&why, "Реклама: объявления — на доске у подъезда").await?;
    app.screenshot("31-chair-deleting").await?;
    let remove = app.wait_for(&format!("[data-testid=message-{offtopic}] [data-testid=reason-send]"), SHORT).await?;
    app.click(&remove).await?;
    const MODERATED: &str = "return document.querySelector(`[data-testid=message-${arguments[0]}] [data-testid=message-body]`)?.textContent.includes(arguments[1])";
    app.wait_until(
        "the reason in place of the words",
        MODERATED,
        json!([offtopic, "Удалено модератором: Реклама"]),
        LONG,
    )
    .await?;

    let logout = app.wait_for("[data-testid=logout]", SHORT).await?;
    app.click(&logout).await?;
    let resident = app.wait_for("[data-testid=demo-person-resident]", LONG).await?;
    app.click(&resident).await?;
    let item = app.wait_for(&format!("[data-testid=chat-list-item-{community}]"), LONG).await?;
    app.click(&item).await?;
    app.wait_until(
        "the resident sees the pin",
        "return document.querySelector('[data-testid=pinned-text]')?.textContent.includes(arguments[0])",
        json!([useful]),
        LONG,
    )
    .await?;
    if !app.find_all("[data-testid=pinned-unpin]").await?.is_empty() {
        return fail("a resident is offered to unpin");
    }
    app.wait_until("the resident reads the reason", MODERATED, json!([offtopic, "Удалено модератором: Реклама"]), LONG)
        .await?;
    app.screenshot("32-resident-sees-moderation").await?;
    // She thanks for the useful message with a 👍 from its menu: the chip shows it as hers,
    // and the server has it.
    message_action(&app, greeting, "react-0").await?;
    app.wait_for(&format!("[data-testid=message-{greeting}] [data-testid=reaction][aria-pressed=true]"), LONG).await?;
    let liked = neighbour.messages(community, 50)?;
    let liked = liked.iter().find(|m| m["id"] == greeting).ok_or("the pinned message in the CLI")?;
    if !liked["reactions"].as_array().is_some_and(|r| r.iter().any(|r| r["emoji"] == "👍" && r["mine"] == true)) {
        return fail(format!("the server does not have the resident's 👍: {liked}"));
    }
    app.screenshot("32c-resident-reacted").await?;
    // The running poll above the chat: the resident votes for her flat with one click.
    let toggle = app.wait_for("[data-testid=polls-toggle]", SHORT).await?;
    app.click(&toggle).await?;
    let option =
        app.wait_for("[data-testid=poll][data-closed=false] [data-testid=poll-option][data-option='0']", SHORT).await?;
    app.click(&option).await?;
    app.wait_for(
        "[data-testid=poll][data-closed=false] [data-testid=poll-option][data-option='0'][aria-pressed=true]",
        LONG,
    )
    .await?;
    app.screenshot("32b-poll-voted").await?;
    app.click(&toggle).await?;
    let nav = app.wait_for("[data-testid=nav-modlog]", SHORT).await?;
    app.click(&nav).await?;
    app.wait_for("[data-testid=modlog-entry][data-action=pin]", LONG).await?;
    let deletion = app.wait_for("[data-testid=modlog-entry][data-action=delete]", SHORT).await?;
    if !app.text(&deletion).await?.contains("на доске у подъезда") {
        return fail("the log does not say why the message was deleted");
    }
    if !app.find_all("[data-testid=modlog-removed]").await?.is_empty() {
        return fail("a resident reads the deleted words in the log");
    }
    let appeal =
        app.wait_for("[data-testid=modlog-entry][data-action=delete] [data-testid=appeal-open]", SHORT).await?;
    app.click(&appeal).await?;
    let text = app.wait_for("[data-testid=appeal-text]", SHORT).await?;
    app.type_text(&text, "Это не реклама: гараж продаю соседям по дому").await?;
    let send_appeal = app.wait_for("[data-testid=appeal-send]", SHORT).await?;
    app.click(&send_appeal).await?;
    app.wait_until(
        "the appeal in the log",
        "return [...document.querySelectorAll('[data-testid=modlog-appeal]')].some(a => a.textContent.includes('соседям по дому'))",
        json!([]),
        LONG,
    )
    .await?;
    app.screenshot("33-modlog-appeal").await?;

    // Governance: the inspector grants the waiting application (the city's pending count
    // falls by one) and moves the demo house to the ТСЖ in the console; the dispatcher's app
    // has no house of it, gains it live when a script of the Inspection returns it, and
    // loses it live again.
    let house = server.api(Persona::Resident).await?.get("/v1/houses").await?.body[0]["id"].as_i64().ok_or("house")?;
    let orgs = server.api(Persona::Inspector).await?.get("/v1/orgs").await?.body;
    let org_named = |word: &str| {
        orgs.as_array()
            .and_then(|o| o.iter().find(|o| o["name"].as_str().is_some_and(|n| n.contains(word))))
            .and_then(|o| o["id"].as_i64())
    };
    let (Some(tszh), Some(uk)) = (org_named("Чистопольская"), org_named("Уютный")) else {
        return fail(format!("the small seed's organisations: {orgs}"));
    };
    let logout = app.wait_for("[data-testid=logout]", SHORT).await?;
    app.click(&logout).await?;
    let inspector_person = app.wait_for("[data-testid=demo-person-inspector]", LONG).await?;
    app.click(&inspector_person).await?;
    app.wait_for("[data-testid=inspector-console]", LONG).await?;
    let city = app.wait_for("[data-testid=gov-tab-city]", SHORT).await?;
    app.click(&city).await?;
    let pending = app.text(&app.wait_for("[data-testid=city-pending]", LONG).await?).await?;
    let pending: i64 = pending.chars().filter(char::is_ascii_digit).collect::<String>().parse()?;
    let tab = app.wait_for("[data-testid=gov-tab-applications]", SHORT).await?;
    app.click(&tab).await?;
    let grant =
        app.wait_for("[data-testid=application][data-state=open] [data-testid=application-grant]", LONG).await?;
    let waiting = app
        .exec("return document.querySelector('[data-testid=application][data-state=open]').dataset.id", json!([]))
        .await?;
    let waiting = waiting.as_str().unwrap_or("?").to_owned();
    app.screenshot("34-console-applications").await?;
    app.click(&grant).await?;
    app.wait_for(&format!("[data-testid=application-decided][data-id='{waiting}']"), LONG).await?;
    if !app.find_all(&format!("[data-testid=application][data-id='{waiting}']")).await?.is_empty() {
        return fail("the granted application stays in the queue of open ones");
    }
    app.screenshot("34b-console-granted").await?;
    app.click(&city).await?;
    app.wait_until(
        "the city's pending count falls by one",
        "return document.querySelector('[data-testid=city-pending]')?.textContent.replace(/\\D/g, '') === String(arguments[0])",
        json!([pending - 1]),
        LONG,
    )
    .await?;
    app.screenshot("35-console-city").await?;
    let tab = app.wait_for("[data-testid=gov-tab-transfer]", SHORT).await?;
    app.click(&tab).await?;
    let search_box = app.wait_for("[data-testid=house-search]", SHORT).await?;
    app.type_text(&search_box, "Сахарова 15").await?;
    let hit = app.wait_for(&format!("[data-testid=house-hit][data-house='{house}']"), LONG).await?;
    app.click(&hit).await?;
    app.wait_for(&format!("[data-testid=transfer-org] option[value='{tszh}']"), LONG).await?;
    // As a person choosing from the native controls: set the value, fire `change`.
    app.exec(
        "const [org, day] = arguments;
         const s = document.querySelector('[data-testid=transfer-org]');
         s.value = String(org); s.dispatchEvent(new Event('change', {bubbles: true}));
         const d = document.querySelector('[data-testid=transfer-from]');
         d.value = day; d.dispatchEvent(new Event('input', {bubbles: true}));",
        json!([tszh, "2026-11-24"]),
    )
    .await?;
    app.screenshot("36-console-transfer").await?;
    let send_transfer = app.wait_for("[data-testid=transfer-send]", SHORT).await?;
    app.click(&send_transfer).await?;
    app.wait_for("[data-testid=transfer-done]", LONG).await?;
    app.screenshot("36b-console-transferred").await?;

    let logout = app.wait_for("[data-testid=logout]", SHORT).await?;
    app.click(&logout).await?;
    let staff = app.wait_for("[data-testid=demo-person-dispatcher]", LONG).await?;
    app.click(&staff).await?;
    app.wait_for("[data-testid^=chat-list-item-]", LONG).await?;
    if !app.find_all(&format!("[data-testid=chat-list-item-{community}]")).await?.is_empty() {
        return fail("the dispatcher's app still lists the house the organisation no longer manages");
    }
    let inspection = Cli::signed_in(&server.url, &tmp.path().join("inspector-cli"), Persona::Inspector)?;
    inspection.run(&["transfer", &house.to_string(), "--to", &uk.to_string(), "--from", "2026-11-24", "--grant"])?;
    app.wait_for(&format!("[data-testid=chat-list-item-{community}]"), LONG).await?;
    app.screenshot("37-dispatcher-gains-house").await?;
    inspection.run(&["transfer", &house.to_string(), "--to", &tszh.to_string(), "--from", "2026-11-24"])?;
    app.wait_until(
        "the dispatcher's app loses the house's chat",
        "return !document.querySelector(`[data-testid=chat-list-item-${arguments[0]}]`)",
        json!([community]),
        LONG,
    )
    .await?;
    app.screenshot("38-dispatcher-loses-house").await?;

    // The complex's channel: the dispatcher writes to one of its houses only.
    let desk_cli = Cli::signed_in(&server.url, &tmp.path().join("dispatcher-cli"), Persona::Dispatcher)?;
    desk_cli.run(&["sync"])?;
    let chats = desk_cli.json(&["chats"])?;
    let channel = chats
        .as_array()
        .and_then(|l| l.iter().find(|c| c["kind"] == "microdistrict"))
        .and_then(|c| c["community_id"].as_i64())
        .ok_or("the complex's channel")?;
    let item = app.wait_for(&format!("[data-testid=chat-list-item-{channel}]"), LONG).await?;
    app.click(&item).await?;
    let one_house = app.wait_for("[data-testid=composer-to-house]", LONG).await?;
    app.click(&one_house).await?;
    app.wait_for("[data-testid=composer-to-house][aria-pressed=true]", SHORT).await?;
    let post = format!("Промывка отопления в вашем доме послезавтра с 9 до 16 ({stamp})");
    send(&app, &post).await?;
    wait_message(&app, &post, "sent", LONG).await?;
    let posted = message_id(&app, &post).await?;
    let shown = app.wait_for(&format!("[data-testid=message-{posted}] [data-testid=message-for-houses]"), LONG).await?;
    if !app.text(&shown).await?.contains("Для домов") {
        return fail("the post does not say whom it is for");
    }
    let on_server = desk_cli.messages(channel, 10)?;
    let on_server = on_server.iter().find(|m| m["id"] == posted).ok_or("the post in the CLI")?;
    if on_server["for_houses"].as_array().map(Vec::len) != Some(1) {
        return fail(format!("the post is not for one house on the server: {on_server}"));
    }
    app.screenshot("39-channel-post-for-one-house").await?;

    app.quit().await?;
    server.stop().await?;
    Ok(())
}
