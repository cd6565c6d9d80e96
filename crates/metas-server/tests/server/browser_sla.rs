//! The Time objectives page in Chromium: an administrator finds the editor
//! with an example when no policy exists, saves a policy from it, and reads
//! attainment by stage (bars sorted by value) and by month (a line per
//! stage), the breaches and the policies in force; then the same page in
//! French; the staffing calculator asked through its form, its answer and
//! curve drawn. Nothing is written to the console. Screenshots 16-sla,
//! 18-staffing and 17-sla-fr go to `<target>/tmp/screenshots/`.

use std::time::Duration;

use crate::browser::{
    browser, choose_language, console_errors, css, log_in, shot, start_driver, text,
};
use crate::common::TestApp;
use fantoccini::{Client, Locator};
use metas_server::i18n::{Lang, Tr};

/// Every channel: the stages a service manager starts with.
const POLICY: &str = "order = 1
warning = \"50%\"

[targets]
acknowledge = \"1h\"
resolution = \"8h\"
completion = \"1d\"
queue_wait = \"20s\"
";

/// The texts of the cells of the rows of a table.
async fn rows(c: &Client, table: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for row in c
        .find_all(Locator::Css(&format!("{table} tbody tr")))
        .await
        .unwrap()
    {
        let mut cells = Vec::new();
        for cell in row.find_all(Locator::Css("td")).await.unwrap() {
            cells.push(cell.text().await.unwrap());
        }
        out.push(cells);
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn time_objectives_are_defined_and_read_in_chromium() {
    let app = TestApp::start().await;
    let driver = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    let (en, fr) = (Tr::new(Lang::En), Tr::new(Lang::Fr));

    log_in(&c, &app, "admin").await;

    // From the navigation: no policy yet, the editor holds an example.
    c.find(Locator::LinkText(&en.t("nav-sla")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let note = text(&c, "#no-policy").await;
    assert!(note.contains(&en.t("sla-no-policy-editor")), "{note}");
    let example = css(&c, "#policy-toml").await.prop("value").await.unwrap();
    assert!(
        example
            .unwrap_or_default()
            .contains("acknowledge = \"60s\""),
        "an example to start from"
    );

    // Saved from the form.
    let name = css(&c, "#policy-name").await;
    name.clear().await.unwrap();
    name.send_keys("Service").await.unwrap();
    let toml = css(&c, "#policy-toml").await;
    c.execute(
        "arguments[0].value = arguments[1];",
        vec![serde_json::to_value(&toml).unwrap(), POLICY.into()],
    )
    .await
    .unwrap();
    css(&c, "#policy-save").await.click().await.unwrap();
    let message = text(&c, "#message").await;
    assert!(
        message.starts_with("Policy Service saved as version 1;"),
        "{message}"
    );

    // The figures as of the demo's last morning, on a tall window.
    c.set_window_size(1280, 2800).await.unwrap();
    c.goto(&app.url("/sla?as_of=2026-06-30T10:00:00Z"))
        .await
        .unwrap();
    css(&c, "svg#chart-stages").await;
    let stages = rows(&c, "#stage-figures").await;
    assert_eq!(stages.len(), 4, "{stages:?}");
    let bars = c
        .find_all(Locator::Css("svg#chart-stages g.bar"))
        .await
        .unwrap();
    assert_eq!(bars.len(), stages.len());
    let lines = c
        .find_all(Locator::Css("svg#chart-months g.group"))
        .await
        .unwrap();
    assert_eq!(lines.len(), stages.len(), "a line per stage");
    let legend = c
        .find_all(Locator::Css("svg#chart-months g.legend g.entry"))
        .await
        .unwrap();
    assert_eq!(legend.len(), stages.len());
    let breaches = rows(&c, "#breach-list").await;
    assert!(!breaches.is_empty());
    assert!(
        breaches.iter().all(|b| b[3] == "Service v1"),
        "{breaches:?}"
    );
    let policies = rows(&c, "#policy-list").await;
    assert_eq!(policies.len(), 1);
    assert!(
        policies[0][4].starts_with("Acknowledge 1h, Resolution 8h, Completion 24h, Queue wait 20s"),
        "{policies:?}"
    );
    // Each section is listed at the top.
    for id in ["attainment", "over-time", "breaches", "at-risk", "policies"] {
        css(&c, &format!("#sections a[href='#{id}']")).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "16-sla").await;

    // The staffing calculator, asked through its form: the worked example
    // with shrinkage and a cost, its answer and its curve.
    c.set_window_size(1280, 1500).await.unwrap();
    for (field, value) in [
        ("service_level", "80/20"),
        ("arrivals", "100"),
        ("per", "30m"),
        ("aht", "180s"),
        ("shrinkage", "30%"),
        ("cost_per_hour", "28"),
    ] {
        css(&c, &format!("#staffing-form input[name='{field}']"))
            .await
            .send_keys(value)
            .await
            .unwrap();
    }
    css(&c, "#staffing-submit").await.click().await.unwrap();
    css(&c, "svg#staffing-curve").await;
    assert_eq!(text(&c, "#staffing-agents").await, "14");
    assert_eq!(text(&c, "#staffing-rota").await, "20");
    assert_eq!(text(&c, "#staffing-cost-week").await, "22,400.00");
    let legend = c
        .find_all(Locator::Css("svg#staffing-curve g.legend g.entry"))
        .await
        .unwrap();
    assert_eq!(legend.len(), 3, "service level, cost, objective");
    // The question stays in the URL, the page's moment with it.
    let url = c.current_url().await.unwrap();
    assert!(
        url.query().unwrap_or_default().contains("arrivals=100")
            && url.query().unwrap_or_default().contains("as_of="),
        "{url}"
    );
    c.execute(
        "document.getElementById('staffing').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "18-staffing").await;
    c.set_window_size(1280, 2800).await.unwrap();
    c.goto(&app.url("/sla?as_of=2026-06-30T10:00:00Z"))
        .await
        .unwrap();
    css(&c, "svg#chart-stages").await;

    // In French: the same figures, stage names and words translated.
    choose_language(&c, "fr").await;
    assert_eq!(text(&c, "h1").await, fr.t("sla-title"));
    css(&c, "svg#chart-stages").await;
    let french = rows(&c, "#stage-figures").await;
    assert_eq!(french.len(), stages.len());
    let names: Vec<&str> = french.iter().map(|r| r[0].as_str()).collect();
    assert!(
        names.contains(&fr.t("sla-stage-acknowledge").as_str()),
        "{names:?}"
    );
    // A value the French way: a decimal comma.
    assert!(
        french[0][1].contains(',') && french[0][1].ends_with(" %"),
        "{french:?}"
    );
    let as_of = text(&c, "#as-of").await;
    assert_eq!(as_of, "Au 30 juin 2026 10:00 UTC.");
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "17-sla-fr").await;

    let errors = console_errors(&driver, &c).await;
    assert!(errors.is_empty(), "console: {errors:?}");
    c.close().await.unwrap();
}
