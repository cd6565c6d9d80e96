//! The explorer asks what `metas kpi` asks (statistic, time basis, the
//! previous period) and answers with the API's figures; charts are read,
//! not decoded (a line per group with a legend and axes, categories sorted
//! by value, dates the locale's way); edges are honest (a period not over
//! is marked, a change has one sign coloured by the KPI's better
//! direction). The real server on port 0, "today" 2026-06-30.

use crate::common::{TestApp, PASSWORD};
use metas_domain::kpi::{kpi, Change, Movement, Unit};
use metas_server::i18n::{Lang, Tr};
use reqwest::header::REFERER;
use reqwest::StatusCode;
use serde_json::Value;

/// The text of an element's content, tags left out and entities read.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#43;", "+")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .trim()
        .to_string()
}

/// The `#figures` table: each row's cells as (class, text).
fn figures(html: &str) -> Vec<Vec<(String, String)>> {
    let table = html
        .split("id=\"figures\"")
        .nth(1)
        .expect("a figures table")
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let (attrs, rest) = cell.split_once('>').unwrap();
                    let class = attrs
                        .split("class=\"")
                        .nth(1)
                        .map(|c| c.split('"').next().unwrap().to_string())
                        .unwrap_or_default();
                    (class, text_of(rest.split("</td>").next().unwrap()))
                })
                .collect()
        })
        .collect()
}

/// The chart's SVG on a page.
fn chart(html: &str) -> &str {
    let at = html.find("<svg id=\"chart\"").expect("a chart");
    &html[at..at + html[at..].find("</svg>").unwrap()]
}

async fn api(app: &TestApp, client: &reqwest::Client, path: &str) -> Value {
    let res = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_explorer_asks_what_the_cli_asks_and_answers_the_same() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let en = Tr::new(Lang::En);
    let frt = kpi("frt").unwrap();
    let query = "by=channel&from=2026-04-01&to=2026-06-30&stat=median&time=business&compare=1";
    let (status, html) = app.page(&admin, &format!("/kpi/frt?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let doc = api(&app, &admin, &format!("/api/v1/kpi/frt?{query}")).await;
    assert_eq!(
        (doc["stat"].as_str(), doc["time"].as_str()),
        (Some("median"), Some("business"))
    );

    // Every figure of the service's answer is on the page, with the
    // previous period's and the change, coloured: lower is better for times.
    let rows = figures(&html);
    let api_rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), api_rows.len());
    for r in api_rows {
        let channel = r["channel"].as_str().unwrap();
        let row = rows
            .iter()
            .find(|cells| cells[0].1 == channel)
            .unwrap_or_else(|| panic!("{channel} on the page"));
        let value = r["value"].as_f64().unwrap();
        assert_eq!(row[1].1, en.value(Unit::Seconds, value), "{channel}");
        assert_eq!(row[2].1, en.count(r["n"].as_u64().unwrap()), "{channel}");
        let before = r["previous"]["value"].as_f64().unwrap();
        assert_eq!(row[4].1, en.value(Unit::Seconds, before), "{channel}");
        let change = Change::between(frt, value, before);
        let (class, word) = match change.movement {
            Movement::Better => ("better", Some(en.t("change-better"))),
            Movement::Worse => ("worse", Some(en.t("change-worse"))),
            _ => ("", None),
        };
        assert_eq!(row[5].0, class, "{channel}: {row:?}");
        let want = match word {
            Some(w) => format!("{} ({w})", change.text),
            None => change.text.clone(),
        };
        assert_eq!(row[5].1, want, "{channel}");
        // A lower time reads as a minus and is better.
        if class == "better" {
            assert!(
                value < before && row[5].1.starts_with('\u{2212}'),
                "{row:?}"
            );
        }
    }

    // The parameters are really used: the mean in calendar time is another
    // figure (the default the page had before).
    let (_, mean) = app
        .page(&admin, "/kpi/frt?by=channel&from=2026-04-01&to=2026-06-30")
        .await;
    assert_ne!(
        figures(&mean),
        rows.iter().map(|r| r[..4].to_vec()).collect::<Vec<_>>()
    );

    // The controls keep their values, and the links carry them.
    assert!(
        html.contains(r#"<option value="median" selected>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<option value="business" selected>"#),
        "{html}"
    );
    assert!(html.contains(r#"id="compare" value="1" checked"#), "{html}");
    assert!(
        html.contains("stat=median&#38;time=business&#38;compare=1"),
        "{html}"
    );
    let compared = en.t2(
        "explorer-compared",
        "from",
        en.date("2025-12-31".parse().unwrap()),
        "to",
        en.date("2026-03-31".parse().unwrap()),
    );
    assert!(html.contains(&compared), "{compared} in {html}");
    // The CSV download is the same question.
    let csv = admin
        .get(app.url(&format!("/kpi/frt/csv?{query}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("channel,value,n,ci_low,ci_high,previous_value,previous_n"),
        "{csv}"
    );

    // Not a duration: no statistic to choose.
    let (_, csat) = app.page(&admin, "/kpi/csat").await;
    assert!(!csat.contains("id=\"stat\"") && csat.contains("id=\"compare\""));
    // A comparison needs a period, and is not a series: said in the page's words.
    let (status, html) = app.page(&admin, "/kpi/frt?compare=1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains(&en.t("explorer-compare-needs-dates")),
        "{html}"
    );
    let (status, html) = app
        .page(
            &admin,
            "/kpi/frt?compare=1&grain=month&from=2026-01-01&to=2026-06-30",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains(&en.t("explorer-compare-no-grain")), "{html}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_series_is_a_line_per_group_with_a_legend_axes_and_an_honest_end() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let en = Tr::new(Lang::En);
    let query = "by=channel&grain=month&from=2026-01-01&to=2026-06-30";
    let (status, html) = app.page(&admin, &format!("/kpi/csat?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    let doc = api(&app, &admin, &format!("/api/v1/kpi/csat?{query}")).await;
    let mut channels: Vec<&str> = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["channel"].as_str().unwrap())
        .collect();
    channels.dedup();
    assert!(channels.len() >= 3, "{channels:?}");
    let svg = chart(&html);
    // Not seventy bars: a line per channel, each named in the legend.
    assert!(!svg.contains("class=\"bar\""), "{svg}");
    assert_eq!(
        svg.matches("<g class=\"group\"").count(),
        channels.len(),
        "{svg}"
    );
    for c in &channels {
        assert!(svg.contains(&format!("data-group=\"{c}\"")), "{c}");
        let group = svg.split(&format!("data-group=\"{c}\"")).nth(1).unwrap();
        let group = group.split("</g>").next().unwrap();
        assert!(group.contains("<path class=\"line"), "{c}: {group}");
    }
    let legend = svg.split("<g class=\"legend\">").nth(1).expect("a legend");
    for c in &channels {
        assert!(
            legend.contains(&format!(">{c}</text>")),
            "{c} in the legend"
        );
    }
    // Axes: months the locale's way, rates as percentages.
    let x_axis = svg.split("class=\"axis x\"").nth(1).unwrap();
    assert!(
        x_axis.contains(">Jan 2026<") && x_axis.contains(">Jun 2026<"),
        "{x_axis}"
    );
    let y_axis = svg.split("class=\"axis y\"").nth(1).unwrap();
    assert!(y_axis.matches(" %</text>").count() >= 3, "{y_axis}");
    // The text alternative: a title and a description, the table below.
    assert!(
        svg.contains("aria-labelledby=\"chart-title\"") && svg.contains("<desc id=\"chart-desc\">")
    );
    // June holds today, 30 June: not over, so dashed and said.
    let partial = en.t1(
        "chart-partial-to",
        "date",
        en.date("2026-06-30".parse().unwrap()),
    );
    assert!(
        svg.contains("class=\"line partial\"") && svg.contains(&partial),
        "{svg}"
    );
    let june = figures(&html)
        .into_iter()
        .find(|r| r[1].1.starts_with("Jun 2026"))
        .unwrap();
    assert_eq!(june[1].0, "partial");
    // Up to May only, every month is whole: no dashes.
    let (_, html) = app
        .page(
            &admin,
            "/kpi/csat?by=channel&grain=month&from=2026-01-01&to=2026-05-31",
        )
        .await;
    assert!(!chart(&html).contains("partial"), "{}", chart(&html));

    // In French, the months are French.
    let (li, _) = app.login("li", PASSWORD).await;
    let token = app.session_csrf(&li).await;
    let res = li
        .post(app.url("/language"))
        .header(REFERER, app.url("/goals"))
        .form(&[("csrf", token.as_str()), ("language", "fr")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page(&li, &format!("/kpi/csat?{query}")).await;
    let x_axis = chart(&html)
        .split("class=\"axis x\"")
        .nth(1)
        .unwrap()
        .to_string();
    assert!(x_axis.contains(">janv. 2026<"), "{x_axis}");
}

#[tokio::test(flavor = "multi_thread")]
async fn categories_are_bars_sorted_by_value() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let en = Tr::new(Lang::En);
    let query = "by=channel&from=2026-01-01&to=2026-06-30&compare=1";
    let (_, html) = app.page(&admin, &format!("/kpi/csat?{query}")).await;
    let doc = api(&app, &admin, &format!("/api/v1/kpi/csat?{query}")).await;
    let mut by_value: Vec<(f64, String)> = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| Some((r["value"].as_f64()?, r["channel"].as_str()?.to_string())))
        .collect();
    by_value.sort_by(|a, b| b.0.total_cmp(&a.0));
    let svg = chart(&html);
    let drawn: Vec<&str> = svg
        .split("<g class=\"bar\" data-group=\"")
        .skip(1)
        .map(|g| g.split('"').next().unwrap())
        .collect();
    let want: Vec<&str> = by_value.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(drawn, want, "the largest first");
    // The table reads in the same order, with the same figures.
    let table: Vec<String> = figures(&html).into_iter().map(|r| r[0].1.clone()).collect();
    assert_eq!(table, want);
    for ((value, _), row) in by_value.iter().zip(figures(&html)) {
        assert_eq!(row[1].1, en.value(Unit::Rate, *value));
    }
    // Axis values, a mark for the previous period, said in the legend.
    assert!(
        svg.contains("class=\"axis x\"") && svg.matches(" %</text>").count() >= 3,
        "{svg}"
    );
    assert_eq!(
        svg.matches("class=\"previous\"").count(),
        want.len(),
        "{svg}"
    );
    assert!(svg.contains(&en.t("chart-this-period")));
    // Either the bars start at zero, or the chart says where they start.
    let starts_at_zero = svg.contains(">0 %</text>");
    let says_so = svg.contains("class=\"axis-note\"");
    assert!(starts_at_zero != says_so, "{svg}");
}

#[tokio::test(flavor = "multi_thread")]
async fn tiles_write_a_change_once_coloured_by_the_better_direction() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let en = Tr::new(Lang::En);
    let (_, html) = app.page(&admin, "/?days=30").await;
    for id in ["volume", "csat", "nps", "fcr", "frt", "aht"] {
        let def = kpi(id).unwrap();
        let tile = html
            .split(&format!("data-kpi=\"{id}\""))
            .nth(1)
            .unwrap()
            .split("</section>")
            .next()
            .unwrap();
        // The tile's period against the one before, as the API gives it.
        let doc = api(
            &app,
            &admin,
            &format!("/api/v1/kpi/{id}?from=2026-06-01&to=2026-06-30&compare=1"),
        )
        .await;
        let row = &doc["rows"][0];
        let (now, before) = (
            row["value"].as_f64().unwrap(),
            row["previous"]["value"].as_f64().unwrap(),
        );
        let change = Change::between(def, now, before);
        let line = tile.split("<div class=\"change").nth(1).expect("a change");
        let (class, line) = line.split_once("\">").unwrap();
        let line = text_of(line.split("</div>").next().unwrap());
        assert!(
            line.starts_with(&change.text),
            "{id}: {line} for {now} against {before}"
        );
        // One sign: never "−+5.1".
        let signs = line.matches(['+', '\u{2212}', '-']).count();
        assert!(signs <= 1, "{id}: {line}");
        let want = match change.movement {
            Movement::Better => " better",
            Movement::Worse => " worse",
            _ => " ",
        };
        assert_eq!(class, want, "{id}: {line}");
        if id == "frt" || id == "aht" {
            // Lower is better for times.
            assert_eq!(class == " better", now < before, "{id}: {line}");
        }
        // The last week of the sparkline holds today: dashed, and said.
        let partial = en.t1(
            "chart-partial-to",
            "date",
            en.date("2026-06-30".parse().unwrap()),
        );
        assert!(
            tile.contains("class=\"line partial\"") && tile.contains(&partial),
            "{id}: {tile}"
        );
        // Its axes: the first Monday and today, the extremes.
        assert!(
            tile.contains(">30 Jun 2026</text>") && tile.contains("class=\"axis y\""),
            "{tile}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_goal_chart_has_axes_and_a_table() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let (status, html) = app.page(&admin, "/goals/1").await;
    assert_eq!(status, StatusCode::OK);
    let at = html.find("<svg id=\"goal-chart-1\"").expect("a goal chart");
    let svg = &html[at..at + html[at..].find("</svg>").unwrap()];
    let y_axis = svg.split("class=\"axis y\"").nth(1).unwrap();
    assert!(y_axis.matches(" %</text>").count() >= 3, "{y_axis}");
    let x_axis = svg.split("class=\"axis x\"").nth(1).unwrap();
    assert!(x_axis.contains(" 2026</text>"), "{x_axis}");
    assert!(svg.contains("class=\"target\"") && svg.contains("class=\"baseline\""));
    let en = Tr::new(Lang::En);
    assert!(
        html.contains(&format!("<summary>{}</summary>", en.t("chart-table"))),
        "{html}"
    );
}
