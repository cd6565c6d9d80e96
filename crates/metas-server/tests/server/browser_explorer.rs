//! The explorer in Chromium: what `metas kpi frt --stat median --time
//! business --compare` asks, asked from the page's controls and its URL; the
//! figures the API gives; a series drawn as lines with axes; the dashboard's
//! tiles with one sign per change; and nothing written to the console.
//! Screenshots 13 to 15 go to `<target>/tmp/screenshots/`.

use std::time::Duration;

use crate::browser::{browser, console_errors, css, log_in, shot, start_driver, text};
use crate::common::{TestApp, PASSWORD};
use fantoccini::{Client, Locator};
use metas_domain::kpi::Unit;
use metas_server::i18n::{Lang, Tr};
use serde_json::Value;

/// The `#figures` table's rows, cell texts.
async fn figure_rows(c: &Client) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for row in c.find_all(Locator::Css("#figures tbody tr")).await.unwrap() {
        let mut cells = Vec::new();
        for cell in row.find_all(Locator::Css("td")).await.unwrap() {
            cells.push(cell.text().await.unwrap());
        }
        out.push(cells);
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_explorer_asks_median_business_time_and_the_previous_period_in_chromium() {
    let app = TestApp::start().await;
    let driver = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    let en = Tr::new(Lang::En);

    log_in(&c, &app, "admin").await;

    // The CLI's question as a URL: the page shows the API's figures.
    let query = "by=channel&from=2026-04-01&to=2026-06-30&stat=median&time=business&compare=1";
    c.goto(&app.url(&format!("/kpi/frt?{query}")))
        .await
        .unwrap();
    css(&c, "#figures tbody tr").await;
    let (api, _) = app.login("admin", PASSWORD).await;
    let doc: Value = api
        .get(app.url(&format!("/api/v1/kpi/frt?{query}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = figure_rows(&c).await;
    let api_rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), api_rows.len(), "{rows:?}");
    for r in api_rows {
        let channel = r["channel"].as_str().unwrap();
        let row = rows.iter().find(|cells| cells[0] == channel).unwrap();
        assert_eq!(
            row[1],
            en.value(Unit::Seconds, r["value"].as_f64().unwrap()),
            "{channel}: {row:?}"
        );
        assert_eq!(
            row[4],
            en.value(Unit::Seconds, r["previous"]["value"].as_f64().unwrap()),
            "{channel}: {row:?}"
        );
    }
    // The controls show the question.
    for (select, chosen) in [("#stat", "median"), ("#time", "business")] {
        let value = css(&c, select).await.prop("value").await.unwrap();
        assert_eq!(value.as_deref(), Some(chosen), "{select}");
    }
    assert!(css(&c, "#compare").await.is_selected().await.unwrap());
    let showing = text(&c, "#showing").await;
    assert!(showing.contains(&en.t("explorer-stat-median")), "{showing}");
    // Bars sorted by value, the previous period marked.
    let bars = c.find_all(Locator::Css("svg#chart g.bar")).await.unwrap();
    assert_eq!(bars.len(), api_rows.len());
    assert!(!c
        .find_all(Locator::Css("svg#chart line.previous"))
        .await
        .unwrap()
        .is_empty());
    shot(&c, "13-explorer-median").await;

    // From the controls: by month, no comparison (a series shows the
    // trend); the statistic and time basis stay.
    css(&c, "#grain")
        .await
        .select_by_value("month")
        .await
        .unwrap();
    css(&c, "#compare").await.click().await.unwrap();
    let from = css(&c, "input[name=from]").await;
    c.execute(
        "arguments[0].value = '2025-07-01';",
        vec![serde_json::to_value(&from).unwrap()],
    )
    .await
    .unwrap();
    css(&c, "#explore button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    css(&c, "svg#chart g.group").await;
    let url = c.current_url().await.unwrap();
    let asked = url.query().unwrap_or_default().to_string();
    for part in [
        "grain=month",
        "stat=median",
        "time=business",
        "from=2025-07-01",
    ] {
        assert!(asked.contains(part), "{asked}");
    }
    assert!(!asked.contains("compare"), "{asked}");
    // A line per channel, a legend naming them, axes with values and months.
    let groups = c.find_all(Locator::Css("svg#chart g.group")).await.unwrap();
    assert!(groups.len() >= 3, "a line per channel");
    for g in &groups {
        assert!(g.find(Locator::Css("path.line")).await.is_ok());
    }
    let legend = c
        .find_all(Locator::Css("svg#chart g.legend g.entry"))
        .await
        .unwrap();
    assert_eq!(legend.len(), groups.len());
    let mut months = Vec::new();
    for t in c
        .find_all(Locator::Css("svg#chart g.axis.x text"))
        .await
        .unwrap()
    {
        months.push(t.text().await.unwrap());
    }
    assert!(
        months.len() >= 3 && months.iter().any(|m| m == "Jan 2026"),
        "{months:?}"
    );
    let values = c
        .find_all(Locator::Css("svg#chart g.axis.y text"))
        .await
        .unwrap();
    assert!(values.len() >= 3);
    // June holds today: dashed and said.
    css(&c, "svg#chart path.line.partial").await;
    let note = text(&c, "svg#chart text.partial-note").await;
    assert!(note.contains("30 Jun 2026"), "{note}");
    shot(&c, "14-explorer-lines").await;

    // The dashboard's tiles: a change has one sign, and its colour its
    // direction; the week not over is marked under the sparkline.
    c.goto(&app.url("/")).await.unwrap();
    css(&c, "section.tile[data-kpi=nps] .change").await;
    for id in ["volume", "csat", "nps", "fcr", "frt", "aht"] {
        let change = text(&c, &format!("section.tile[data-kpi={id}] .change")).await;
        assert!(
            change.matches(['+', '\u{2212}', '-']).count() <= 1,
            "{id}: {change}"
        );
        let partial = text(&c, &format!("section.tile[data-kpi={id}] div.partial")).await;
        assert!(partial.contains("30 Jun 2026"), "{id}: {partial}");
    }
    // Give the page a moment to report anything late.
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "15-dashboard-tiles").await;

    let errors = console_errors(&driver, &c).await;
    assert!(errors.is_empty(), "console: {errors:?}");
    c.close().await.unwrap();
}
