//! The browser suite: Debian's headless Chromium driven through chromedriver
//! (WebDriver) against the real server. A service manager's first session:
//! log in, read the dashboard, open a KPI and drill down, enter a docs/product.md §6.5
//! goal through the form (its checks appearing as the fields change), upload
//! a public export and read its result, switch to Spanish and Chinese.
//! Screenshots of each step go to `<target>/tmp/screenshots/`.
//!
//! `.ci/run` installs `chromium` and `chromium-driver` when they are missing;
//! without them this test fails and says so.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TestApp, PASSWORD};
use fantoccini::{Client, ClientBuilder, Locator};
use metas_server::i18n::{Lang, Tr};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub(crate) const WAIT: Duration = Duration::from_secs(60);

/// chromedriver on a free port, stopped when dropped.
pub(crate) struct Driver {
    child: Child,
    pub(crate) port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) async fn start_driver() -> Driver {
    for path in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(path).exists(),
            "{path} is missing: install Debian's chromium and chromium-driver (.ci/run does)"
        );
    }
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, port };
    let started = Instant::now();
    let status = format!("http://127.0.0.1:{port}/status");
    loop {
        if let Ok(r) = reqwest::get(&status).await {
            if r.status().is_success() {
                return driver;
            }
        }
        assert!(started.elapsed() < WAIT, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn browser(driver: &Driver, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    // The console (errors, failed loads) can be read back: `console_errors`.
    caps.insert(
        "goog:loggingPrefs".into(),
        serde_json::json!({ "browser": "ALL" }),
    );
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--window-size=1280,1000",
                "--lang=en-US",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    // What the page logs to the console, for a test to read.
    caps.insert(
        "goog:loggingPrefs".into(),
        serde_json::json!({ "browser": "ALL" }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session")
}

pub(crate) fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(crate) async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

pub(crate) async fn css(c: &Client, selector: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("{selector}: {e}"))
}

pub(crate) async fn text(c: &Client, selector: &str) -> String {
    css(c, selector).await.text().await.unwrap()
}

async fn html_lang(c: &Client) -> String {
    css(c, "html")
        .await
        .attr("lang")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// The browser console's errors and warnings since the last call
/// (chromedriver's log: failed loads such as a missing favicon, script
/// errors), as messages.
pub(crate) async fn console_errors(driver: &Driver, c: &Client) -> Vec<String> {
    let session = c.session_id().await.unwrap().expect("a session");
    let log: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "http://127.0.0.1:{}/session/{session}/se/log",
            driver.port
        ))
        .json(&serde_json::json!({ "type": "browser" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    log["value"]
        .as_array()
        .unwrap_or_else(|| panic!("chromedriver's browser log: {log}"))
        .iter()
        .filter(|e| matches!(e["level"].as_str(), Some("SEVERE" | "WARNING")))
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Logs `login` in through the login page and waits for the dashboard.
pub(crate) async fn log_in(c: &Client, app: &TestApp, login: &str) {
    c.goto(&app.url("/login")).await.unwrap();
    css(c, "#login").await.send_keys(login).await.unwrap();
    css(c, "#password").await.send_keys(PASSWORD).await.unwrap();
    css(c, "#submit").await.click().await.unwrap();
    css(c, "section.tile").await;
}

/// Chooses `lang` in the header's language switcher and waits until the
/// page is in it.
pub(crate) async fn choose_language(c: &Client, lang: &str) {
    css(c, "#language")
        .await
        .select_by_value(lang)
        .await
        .unwrap();
    wait_for_lang(c, lang).await;
}

/// Waits until the page's `<html lang>` is `lang`.
pub(crate) async fn wait_for_lang(c: &Client, lang: &str) {
    let started = Instant::now();
    while html_lang(c).await != lang {
        assert!(
            started.elapsed() < WAIT,
            "the page never switched to {lang}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_managers_first_session_in_chromium() {
    let app = TestApp::start().await;
    let driver = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    let en = Tr::new(Lang::En);

    // Log in.
    c.goto(&app.url("/login")).await.unwrap();
    css(&c, "#login").await.send_keys("admin").await.unwrap();
    css(&c, "#password")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap();
    shot(&c, "01-login").await;
    css(&c, "#submit").await.click().await.unwrap();

    // The dashboard: six tiles with a value, n and a sparkline.
    css(&c, "section.tile[data-kpi=csat]").await;
    let tiles = c.find_all(Locator::Css("section.tile")).await.unwrap();
    assert_eq!(tiles.len(), 6);
    let csat = text(&c, "section.tile[data-kpi=csat] .value").await;
    assert!(csat.ends_with('%'), "{csat}");
    shot(&c, "02-dashboard").await;

    // A KPI by channel, its definition one click away, then the interactions.
    css(&c, "section.tile[data-kpi=csat] h2 a")
        .await
        .click()
        .await
        .unwrap();
    css(&c, "#by")
        .await
        .select_by_value("channel")
        .await
        .unwrap();
    css(&c, "#explore button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    css(&c, "#figures tbody tr").await;
    let rows = c.find_all(Locator::Css("#figures tbody tr")).await.unwrap();
    assert!(rows.len() >= 2, "CSAT by channel has a row per channel");
    css(&c, "#definition summary").await.click().await.unwrap();
    let definition = text(&c, "#definition p").await;
    assert!(
        definition.contains(
            &en.kpi_definition(
                &metas_domain::kpi::kpi("csat")
                    .unwrap()
                    .definition(&Default::default())
            )[..20]
        ),
        "{definition}"
    );
    shot(&c, "03-explorer").await;
    css(&c, "#drill").await.click().await.unwrap();
    css(&c, "#interactions tbody tr").await;
    shot(&c, "04-drill-down").await;

    // docs/product.md §6.5 example 1, entered as written; the checks follow the fields.
    c.goto(&app.url("/goals/new")).await.unwrap();
    css(&c, "#metric")
        .await
        .select_by_value("csat")
        .await
        .unwrap();
    let owner = css(&c, "#owner").await;
    owner.clear().await.unwrap();
    owner.send_keys("org").await.unwrap();
    css(&c, "#scope")
        .await
        .send_keys("customer.age between 55 and 70")
        .await
        .unwrap();
    css(&c, "#by").await.send_keys("25%").await.unwrap();
    css(&c, "#deadline")
        .await
        .send_keys("end of fiscal year")
        .await
        .unwrap();
    let checks = text(&c, "#checks").await;
    assert!(checks.contains(&en.t("check-letter-specific")), "{checks}");
    assert!(
        checks.contains(&en.t("check-letter-time-bound")),
        "{checks}"
    );
    shot(&c, "05-new-goal-checks").await;
    css(&c, "#save").await.click().await.unwrap();
    let sentence = text(&c, "#goal-sentence").await;
    assert!(
        sentence.contains("customer.age between 55 and 70"),
        "{sentence}"
    );
    assert!(c.current_url().await.unwrap().path().starts_with("/goals/"));
    shot(&c, "06-goal").await;

    // Upload a public export with its mapping, preview it, import it.
    let export = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/datasets/pwc-call-center/call_center_dataset.csv")
        .canonicalize()
        .unwrap();
    c.goto(&app.url("/import")).await.unwrap();
    css(&c, "#file")
        .await
        .send_keys(&export.display().to_string())
        .await
        .unwrap();
    css(&c, "#mapping")
        .await
        .select_by_value("pwc-call-center")
        .await
        .unwrap();
    css(&c, "#upload").await.click().await.unwrap();
    css(&c, "table#preview").await;
    shot(&c, "07-import-preview").await;
    css(&c, "#start-import").await.click().await.unwrap();
    let imported = text(&c, "#import-result #imported").await;
    assert_eq!(imported, en.count(5000));
    assert_eq!(text(&c, "#import-result #rejected").await, "0");
    shot(&c, "08-import-result").await;

    // Spanish, then Chinese, from the switcher in the header.
    c.goto(&app.url("/")).await.unwrap();
    choose_language(&c, "es").await;
    let es = Tr::new(Lang::Es);
    let heading = text(&c, "main h1").await;
    assert_eq!(heading, es.t1("dashboard-heading", "days", 30));
    let tile = text(&c, "section.tile[data-kpi=fcr] h2").await;
    assert_eq!(tile, es.kpi_name("fcr"));
    shot(&c, "09-dashboard-es").await;
    choose_language(&c, "zh-CN").await;
    let zh = Tr::new(Lang::ZhCn);
    assert_eq!(
        text(&c, "main h1").await,
        zh.t1("dashboard-heading", "days", 30)
    );
    c.goto(&app.url("/goals")).await.unwrap();
    let tree = text(&c, "#goal-tree").await;
    assert!(tree.contains(&zh.t("owner-org")), "{tree}");
    shot(&c, "10-goals-zh").await;

    c.close().await.unwrap();
    eprintln!("screenshots in {}", screenshots().display());
}
