//! Builders for the end-to-end tests, beside domkom-testkit's backend and personas: an Xvfb
//! display, tauri-driver over WebKitWebDriver, a small WebDriver client over plain HTTP,
//! and the `domkom` CLI as a second client. Shared by tests/e2e.rs and benches/app.rs, each of
//! which uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

pub use domkom_testkit::{Persona, TestResult, TestServer};

/// Fails with a message.
pub fn fail<T>(message: impl Into<String>) -> TestResult<T> {
    Err(message.into().into())
}

/// Where screenshots and logs go (gitignored).
pub fn artifacts() -> TestResult<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/e2e");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A child process killed when dropped.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A private X display (Xvfb).
pub struct Display {
    /// `:N`.
    pub name: String,
    _xvfb: Process,
}

impl Display {
    /// Starts Xvfb on a free display number.
    pub fn start() -> TestResult<Display> {
        let base = 100 + (std::process::id() % 400);
        for n in base..base + 50 {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() || Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                continue;
            }
            let child = Command::new("Xvfb")
                .args([format!(":{n}").as_str(), "-screen", "0", "1280x860x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("Xvfb could not start ({e}); `./x setup` installs it"))?;
            let xvfb = Process(child);
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                    return Ok(Display { name: format!(":{n}"), _xvfb: xvfb });
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        fail("no X display could be started")
    }
}

/// The app's binary, built with this test.
pub fn app_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_domkom-app"))
}

/// The `domkom` CLI beside the app's binary (`cargo build -p domkom-cli` builds it).
pub fn cli_binary() -> TestResult<PathBuf> {
    let path = app_binary().with_file_name("domkom");
    if path.exists() {
        Ok(path)
    } else {
        fail(format!("{} is missing: run `cargo build -p domkom-cli`", path.display()))
    }
}

/// tauri-driver, from PATH or cargo's bin directory.
fn tauri_driver() -> TestResult<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let candidates = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join("tauri-driver")).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(home.map(|h| h.join("bin/tauri-driver")));
    for c in candidates {
        if c.exists() {
            return Ok(c);
        }
    }
    fail("tauri-driver is missing: `cargo install tauri-driver --version 2.1.0 --locked` (./x setup does)")
}

/// A free TCP port on loopback.
fn free_port() -> TestResult<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The app in its window, driven over WebDriver.
pub struct App {
    http: reqwest::Client,
    base: String,
    session: String,
    /// tauri-driver (the app runs below it).
    pub driver: Process,
    /// The app's data directory.
    pub data_dir: PathBuf,
    /// What the app opened in the system browser.
    pub browser: SystemBrowser,
    /// The X display it runs on.
    display: String,
}

/// Settings the app is launched with.
pub struct Launch<'a> {
    /// The display.
    pub display: &'a Display,
    /// The backend.
    pub server: String,
    /// The app's data directory.
    pub data_dir: PathBuf,
    /// HOME and XDG directories for the app (logs, window state).
    pub home: PathBuf,
    /// A name for the driver's log.
    pub name: &'a str,
}

impl App {
    /// Launches the app through tauri-driver and waits for its first page.
    pub async fn launch(launch: Launch<'_>) -> TestResult<App> {
        let port = free_port()?;
        let native = free_port()?;
        let browser = SystemBrowser::install(&launch.home)?;
        // The app's Downloads folder (exports) is the test's, named the XDG way.
        std::fs::create_dir_all(launch.home.join("config"))?;
        std::fs::write(
            launch.home.join("config/user-dirs.dirs"),
            format!("XDG_DOWNLOAD_DIR=\"{}\"\n", launch.home.join("downloads").display()),
        )?;
        let log = std::fs::File::create(artifacts()?.join(format!("{}-driver.log", launch.name)))?;
        let child = Command::new(tauri_driver()?)
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env("DISPLAY", &launch.display.name)
            .env_remove("WAYLAND_DISPLAY")
            .env("DOMKOM_SERVER", &launch.server)
            .env("DOMKOM_DATA", &launch.data_dir)
            .env("XDG_DATA_HOME", launch.home.join("data"))
            .env("XDG_CONFIG_HOME", launch.home.join("config"))
            .env("XDG_CACHE_HOME", launch.home.join("cache"))
            .env("BROWSER", &browser.script)
            .env("RUST_LOG", "info,domkom_core=debug")
            // Software rendering: no GPU under Xvfb.
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("tauri-driver could not start: {e}"))?;
        let driver = Process(child);
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build()?;
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/status")).send().await.is_err() {
            if Instant::now() > deadline {
                return fail("tauri-driver did not answer");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": app_binary()}
        }}});
        let answer: Value = http.post(format!("{base}/session")).json(&caps).send().await?.json().await?;
        let Some(session) = answer["value"]["sessionId"].as_str() else {
            return fail(format!("no WebDriver session: {answer}"));
        };
        let session = session.to_owned();
        Ok(App {
            http,
            base,
            session,
            driver,
            data_dir: launch.data_dir,
            browser,
            display: launch.display.name.clone(),
        })
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> TestResult<Value> {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let mut req = self.http.request(method, url);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let answer: Value = req.send().await?.json().await?;
        if let Some(error) = answer["value"]["error"].as_str() {
            return fail(format!("WebDriver {path}: {error}: {}", answer["value"]["message"]));
        }
        Ok(answer["value"].clone())
    }

    /// Runs a script in the page and returns its value.
    pub async fn exec(&self, script: &str, args: Value) -> TestResult<Value> {
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({"script": script, "args": args}))).await
    }

    /// Runs an async script (its last argument is the callback) and returns what it passes.
    pub async fn exec_async(&self, script: &str, args: Value) -> TestResult<Value> {
        self.call(reqwest::Method::POST, "/execute/async", Some(json!({"script": script, "args": args}))).await
    }

    /// The element ids matching a CSS selector.
    pub async fn find_all(&self, css: &str) -> TestResult<Vec<String>> {
        let v =
            self.call(reqwest::Method::POST, "/elements", Some(json!({"using": "css selector", "value": css}))).await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e.as_object().and_then(|o| o.values().next()).and_then(|v| v.as_str()))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits for an element matching a CSS selector.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> TestResult<String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(id) = self.find_all(css).await?.into_iter().next() {
                return Ok(id);
            }
            if Instant::now() > deadline {
                let _ = self.screenshot(&format!("timeout-{}", sanitize(css))).await;
                return fail(format!("no element {css} within {timeout:?}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until a script returns true.
    pub async fn wait_until(&self, what: &str, script: &str, args: Value, timeout: Duration) -> TestResult {
        let deadline = Instant::now() + timeout;
        loop {
            if self.exec(script, args.clone()).await? == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let _ = self.screenshot(&format!("timeout-{}", sanitize(what))).await;
                return fail(format!("not within {timeout:?}: {what}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks an element.
    pub async fn click(&self, id: &str) -> TestResult {
        // WebKitWebDriver sometimes calls a visible, enabled element "not interactable" (seen
        // on the sections' row right after the language changes, with nothing over it): a
        // person would click it again; when it keeps saying so, the element is scrolled into
        // view and clicked as the page's own click would be.
        for attempt in 0..3 {
            match self.call(reqwest::Method::POST, &format!("/element/{id}/click"), Some(json!({}))).await {
                Err(e) if e.to_string().contains("not interactable") => {
                    if attempt == 2 {
                        // Found again by its test id: the page's own click on it.
                        let testid = self
                            .call(reqwest::Method::GET, &format!("/element/{id}/attribute/data-testid"), None)
                            .await?;
                        let Some(testid) = testid.as_str() else { return Err(e) };
                        let shown = self
                            .exec(
                                "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);
                                 if (!el) return false;
                                 el.scrollIntoView({block: 'center'});
                                 const r = el.getBoundingClientRect();
                                 if (r.width === 0 || r.height === 0 || el.disabled) return false;
                                 el.click(); return true;",
                                json!([testid]),
                            )
                            .await?;
                        return if shown == Value::Bool(true) { Ok(()) } else { Err(e) };
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                }
                other => return other.map(|_| ()),
            }
        }
        Ok(())
    }

    /// Types into an element.
    pub async fn type_text(&self, id: &str, text: &str) -> TestResult {
        self.call(reqwest::Method::POST, &format!("/element/{id}/value"), Some(json!({"text": text}))).await.map(|_| ())
    }

    /// An element's text as shown.
    pub async fn text(&self, id: &str) -> TestResult<String> {
        let v = self.call(reqwest::Method::GET, &format!("/element/{id}/text"), None).await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// Saves a screenshot as artifacts/e2e/<name>.png. WebKitWebDriver's snapshot now and
    /// then never answers while the page itself does (seen after a sign-out and a new
    /// sign-in under load); the X display is photographed instead then, since a missing
    /// picture is no fault of the app's.
    pub async fn screenshot(&self, name: &str) -> TestResult<PathBuf> {
        let path = artifacts()?.join(format!("{name}.png"));
        let shot = tokio::time::timeout(Duration::from_secs(20), self.call(reqwest::Method::GET, "/screenshot", None));
        if let Ok(v) = shot.await {
            let png = base64::engine::general_purpose::STANDARD.decode(v?.as_str().unwrap_or_default())?;
            std::fs::write(&path, png)?;
            return Ok(path);
        }
        eprintln!("screenshot {name}: WebDriver did not answer; photographing display {}", self.display);
        let xwd = Command::new("xwd").args(["-root", "-silent", "-display", &self.display]).output()?;
        let mut convert = Command::new("convert")
            .args(["xwd:-", &path.to_string_lossy()])
            .stdin(Stdio::piped())
            .spawn()
            .map_err(|e| format!("ImageMagick's convert could not start ({e}); `./x setup` installs it"))?;
        if let Some(mut stdin) = convert.stdin.take() {
            std::io::Write::write_all(&mut stdin, &xwd.stdout)?;
        }
        if !convert.wait()?.success() {
            return fail(format!("no screenshot {name} could be taken"));
        }
        Ok(path)
    }

    /// Ends the session (the app exits).
    pub async fn quit(self) -> TestResult {
        let url = format!("{}/session/{}", self.base, self.session);
        self.http.delete(url).send().await?;
        Ok(())
    }
}

fn sanitize(s: &str) -> String {
    s.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).collect()
}

/// The `domkom` CLI as a second person, with its own data directory.
pub struct Cli(domkom_testkit::Cli);

impl Cli {
    /// Signs a demo person in.
    pub fn signed_in(server: &str, data: &Path, person: Persona) -> TestResult<Cli> {
        let cli = domkom_testkit::Cli::new(cli_binary()?, server, data);
        cli.login(person)?;
        Ok(Cli(cli))
    }

    /// Runs a command, returning its standard output.
    pub fn run(&self, args: &[&str]) -> TestResult<String> {
        let out = self.0.run(args)?;
        if !out.status.success() {
            return fail(format!("domkom {args:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs a command with `--json`, returning what it printed, parsed.
    pub fn json(&self, args: &[&str]) -> TestResult<Value> {
        self.0.json(args)
    }

    /// Syncs, then returns a chat's latest messages as JSON.
    pub fn messages(&self, community: i64, limit: usize) -> TestResult<Vec<Value>> {
        self.0.json(&["sync"])?;
        let v = self.0.json(&["chat", &community.to_string(), "--limit", &limit.to_string()])?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }
}

/// The system browser the app opens links and the sign-in page in: registered the way a
/// desktop registers one (the default `x-scheme-handler/http(s)` application in
/// mimeapps.list, and `$BROWSER`), it writes down each address it is given, and the test
/// then acts as the person at that browser.
pub struct SystemBrowser {
    /// The browser's program.
    pub script: PathBuf,
    opened: PathBuf,
}

impl SystemBrowser {
    fn install(home: &Path) -> TestResult<SystemBrowser> {
        use std::os::unix::fs::PermissionsExt;
        let bin = home.join("bin");
        let apps = home.join("data/applications");
        let config = home.join("config");
        for dir in [&bin, &apps, &config] {
            std::fs::create_dir_all(dir)?;
        }
        let opened = home.join("opened-in-browser.txt");
        let script = bin.join("test-browser");
        std::fs::write(&script, format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", opened.display()))?;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
        std::fs::write(
            apps.join("test-browser.desktop"),
            format!(
                "[Desktop Entry]\nType=Application\nName=Test browser\nExec={} %u\n\
                 MimeType=x-scheme-handler/http;x-scheme-handler/https;\n",
                script.display()
            ),
        )?;
        std::fs::write(
            config.join("mimeapps.list"),
            "[Default Applications]\nx-scheme-handler/http=test-browser.desktop\nx-scheme-handler/https=test-browser.desktop\n",
        )?;
        Ok(SystemBrowser { script, opened })
    }

    /// The addresses opened so far, oldest first.
    pub fn opened(&self) -> Vec<String> {
        std::fs::read_to_string(&self.opened).unwrap_or_default().lines().map(str::to_owned).collect()
    }

    /// Waits for the `n`-th address (from 1) to be opened.
    pub async fn wait_opened(&self, n: usize, timeout: Duration) -> TestResult<String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(url) = self.opened().into_iter().nth(n - 1) {
                return Ok(url);
            }
            if Instant::now() > deadline {
                return fail(format!("the app opened nothing in the system browser within {timeout:?}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// What a person does at the backend's sign-in page in their browser: picks the demo
/// person's button, which submits the form; the browser then follows the redirect back to
/// the app's loopback address.
pub async fn sign_in_in_browser(page_url: &str, person: &str) -> TestResult {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let page = http.get(page_url).send().await?;
    if !page.status().is_success() {
        return fail(format!("the sign-in page answered {}", page.status()));
    }
    let html = page.text().await?;
    let Some(form) = html.split("<form").nth(1).and_then(|f| f.split("</form>").next()) else {
        return fail("the sign-in page has no form");
    };
    let attr = |tag: &str, name: &str| -> Option<String> {
        let value = tag.split(&format!("{name}=\"")).nth(1)?.split('"').next()?;
        Some(
            value
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        )
    };
    let action = attr(form.split('>').next().unwrap_or_default(), "action").unwrap_or_default();
    let mut fields: Vec<(String, String)> = form
        .split("<input")
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split('>').next()?;
            (attr(tag, "type")? == "hidden").then(|| Some((attr(tag, "name")?, attr(tag, "value")?)))?
        })
        .collect();
    let buttons: Vec<String> =
        form.split("<button").skip(1).filter_map(|tag| attr(tag.split('>').next()?, "value")).collect();
    if !buttons.iter().any(|b| b == person) {
        return fail(format!("the sign-in page offers no button for {person}: {buttons:?}"));
    }
    fields.push(("person".into(), person.into()));
    let action = reqwest::Url::parse(page_url)?.join(&action)?;
    let answer = http.post(action.clone()).form(&fields).send().await?;
    let Some(location) = answer.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()) else {
        return fail(format!("the sign-in did not redirect: {}", answer.status()));
    };
    let back = action.join(location)?;
    if back.host_str() != Some("127.0.0.1") {
        return fail(format!("the sign-in redirected off this machine: {back}"));
    }
    let done = http.get(back).send().await?;
    if !done.status().is_success() {
        return fail(format!("the app's sign-in listener answered {}", done.status()));
    }
    Ok(())
}

/// A real notification daemon (dunst) on the test's display and session bus; it records
/// every notification the app shows.
pub struct Notifications {
    _daemon: Process,
}

impl Notifications {
    /// Starts dunst, and waits until it serves notifications on the session bus.
    pub fn start(display: &Display) -> TestResult<Notifications> {
        let child = Command::new("dunst")
            .args(["-config", "/dev/null"])
            .env("DISPLAY", &display.name)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("dunst could not start ({e}); `./x setup` installs it"))?;
        let daemon = Process(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            // Asked of the bus rather than of dunst, which would have the bus start another.
            let owned = Command::new("dbus-send")
                .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
                .args(["org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.Notifications"])
                .output();
            if owned.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true")) {
                return Ok(Notifications { _daemon: daemon });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        fail("dunst did not come up on the session bus")
    }

    /// Every notification shown so far: (summary, body), read from dunst's history over
    /// D-Bus with dbus-send (single-line texts, as the tests send).
    pub fn shown(&self) -> TestResult<Vec<(String, String)>> {
        let call = |method: &str| {
            Command::new("dbus-send")
                .args(["--session", "--print-reply", "--dest=org.freedesktop.Notifications"])
                .args(["/org/freedesktop/Notifications", &format!("org.dunstproject.cmd0.{method}")])
                .output()
        };
        // History holds closed notifications only: close the ones on screen first.
        call("NotificationCloseAll")?;
        let out = call("NotificationListHistory")?;
        let text = String::from_utf8_lossy(&out.stdout);
        // aa{sv}: the first `array [` opens the list, each further one a notification.
        let mut shown: Vec<(String, String)> = Vec::new();
        let mut arrays = 0;
        let mut lines = text.lines().map(str::trim);
        while let Some(line) = lines.next() {
            if line == "array [" {
                arrays += 1;
                if arrays > 1 {
                    shown.push(Default::default());
                }
                continue;
            }
            let is_summary = match line {
                "string \"summary\"" => true,
                "string \"body\"" => false,
                _ => continue,
            };
            let value = lines
                .next()
                .and_then(|l| Some(l.get(l.find("string \"")? + 8..l.len().checked_sub(1)?)?.to_owned()))
                .unwrap_or_default();
            if let Some(last) = shown.last_mut() {
                if is_summary { last.0 = value } else { last.1 = value }
            }
        }
        Ok(shown)
    }

    /// Waits for a notification whose body holds `text`; returns its summary.
    pub async fn wait_for(&self, text: &str, timeout: Duration) -> TestResult<String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((summary, _)) = self.shown()?.into_iter().find(|(_, body)| body.contains(text)) {
                return Ok(summary);
            }
            if Instant::now() > deadline {
                return fail(format!("no notification of {text:?} within {timeout:?}"));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}
