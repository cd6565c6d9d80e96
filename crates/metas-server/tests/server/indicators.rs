//! The indicator board on the real server: every signed-in user sees it in
//! their own scope (an agent their own figures, a lead their team's), with
//! the same figures as the KPI API for the same period and scope; only an
//! administrator changes a definition (403 for the others, as for the
//! settings); an unknown indicator is a 404; a bad field is a 400 naming
//! it; hostile text is shown escaped.

use crate::common::{TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn get_json(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, Value) {
    let res = client.get(app.url(path)).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn put(
    app: &TestApp,
    client: &reqwest::Client,
    kpi: &str,
    body: Value,
) -> (StatusCode, Value) {
    let token = app.session_csrf(client).await;
    let res = client
        .put(app.url(&format!("/api/v1/indicators/{kpi}")))
        .header("x-csrf-token", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn indicator<'a>(board: &'a Value, kpi: &str) -> &'a Value {
    board["stages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["indicators"].as_array().unwrap())
        .find(|i| i["kpi"] == kpi)
        .unwrap_or_else(|| panic!("{kpi} on the board"))
}

/// The board's figure of `kpi` equals the KPI API's for its period, asked
/// by the same user.
async fn same_as_kpi_api(app: &TestApp, client: &reqwest::Client, board: &Value, kpi: &str) {
    let i = indicator(board, kpi);
    let (from, to) = (i["from"].as_str().unwrap(), i["to"].as_str().unwrap());
    let (status, answer) = get_json(
        app,
        client,
        &format!("/api/v1/kpi/{kpi}?from={from}&to={to}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let row = &answer["rows"][0];
    assert_eq!(i["figure"]["n"], row["n"], "{kpi} n over {from}..{to}");
    let (a, b) = (i["figure"]["value"].as_f64(), row["value"].as_f64());
    match (a, b) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{kpi}: board {a}, KPI API {b}"),
        _ => assert_eq!(a, b, "{kpi}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn everyone_sees_the_board_in_their_scope_and_only_admins_change_it() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let (kevin, _) = app.login("kevin", PASSWORD).await;
    let (li, _) = app.login("li", PASSWORD).await;

    // An administrator sets a standard and a hostile owner.
    let hostile = "<script>alert(1)</script> & Care";
    let (status, def) = put(
        &app,
        &admin,
        "csat",
        json!({ "standard": "85%", "owner": hostile, "frequency": "weekly" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{def}");
    assert_eq!(def["standard"]["value"], 0.85);
    assert_eq!(def["standard"]["direction"], "at_least");
    assert_eq!(def["standard"]["source"], "definition");
    assert_eq!(def["owner"], hostile);
    assert_eq!(def["frequency"], "weekly");
    assert_eq!(def["stage"], "after_purchase");
    assert_eq!(def["version"], 1);
    let (status, def) = get_json(&app, &admin, "/api/v1/indicators/csat").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(def["history"].as_array().unwrap().len(), 1);
    assert_eq!(def["history"][0]["changed_by"], "admin");

    // A field it cannot take: 400, the sentence names it; nothing saved.
    for (body, field) in [
        (json!({ "standard": "120%" }), "standard"),
        (json!({ "frequency": "hourly" }), "frequency"),
        (json!({ "stage": "never" }), "stage"),
        (json!({ "owner": "x".repeat(81) }), "owner"),
    ] {
        let (status, err) = put(&app, &admin, "csat", body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {err}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains(&format!(": {field}: ")), "{message}");
    }
    let (_, def) = get_json(&app, &admin, "/api/v1/indicators/csat").await;
    assert_eq!(def["version"], 1);
    // Not an indicator: 404.
    for kpi in ["nope", "qa_criterion_rating"] {
        let (status, _) = get_json(&app, &admin, &format!("/api/v1/indicators/{kpi}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{kpi}");
        let (status, _) = put(&app, &admin, kpi, json!({ "owner": "x" })).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{kpi}");
    }

    // The organisation's board: three stages, the figures the KPI API gives.
    let (status, board) = get_json(&app, &admin, "/api/v1/indicators?as_of=2026-06-30").await;
    assert_eq!(status, StatusCode::OK, "{board}");
    assert_eq!(board["scope"]["kind"], "organisation");
    let stages: Vec<&str> = board["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        ["before_purchase", "during_purchase", "after_purchase"]
    );
    let csat = indicator(&board, "csat");
    // Weekly: the week of 2026-06-30 (a Tuesday) from its Monday.
    assert_eq!(
        (csat["from"].as_str(), csat["to"].as_str()),
        (Some("2026-06-29"), Some("2026-06-30"))
    );
    assert_eq!(csat["trend"].as_array().unwrap().len(), 6);
    let v = csat["figure"]["value"].as_f64().unwrap();
    assert_eq!(csat["verdict"], if v >= 0.85 { "met" } else { "not_met" });
    for kpi in ["csat", "frt", "aht", "fcr", "nps", "volume", "abandon_rate"] {
        same_as_kpi_api(&app, &admin, &board, kpi).await;
    }

    // An agent: their own figures, the same as the KPI API gives them.
    let (status, mine) = get_json(&app, &kevin, "/api/v1/indicators").await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(
        mine["scope"],
        json!({ "kind": "agent", "name": "Kevin M." })
    );
    for kpi in ["csat", "frt", "aht", "volume"] {
        same_as_kpi_api(&app, &kevin, &mine, kpi).await;
    }
    assert!(
        indicator(&mine, "volume")["figure"]["n"].as_u64()
            < indicator(&board, "volume")["figure"]["n"].as_u64(),
        "an agent's volume is part of the organisation's"
    );
    // A lead: the team's.
    let (status, team) = get_json(&app, &li, "/api/v1/indicators").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        team["scope"],
        json!({ "kind": "team", "name": "Technical" })
    );
    same_as_kpi_api(&app, &li, &team, "frt").await;

    // Only an administrator changes a definition: 403 for the others, as
    // for the settings, on the API and the page's form.
    for client in [&kevin, &li] {
        let (status, _) = put(&app, client, "csat", json!({ "standard": "10%" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let csrf = app.session_csrf(client).await;
        let res = app
            .post_form(
                client,
                "/indicators/csat",
                &[("csrf", &csrf), ("standard", "10%")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let (_, def) = get_json(&app, &admin, "/api/v1/indicators/csat").await;
    assert_eq!(def["standard"]["value"], 0.85);

    // Pages: the board and the definition for everyone, the form for
    // administrators only, the hostile owner escaped.
    let (status, html) = app.page(&kevin, "/indicators").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Your own figures (Kevin M.)"), "{html}");
    for id in [
        "stage-before_purchase",
        "stage-during_purchase",
        "stage-after_purchase",
        "indicator-csat",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; Care"),
        "the owner, escaped: {html}"
    );
    assert!(!html.contains("<script>alert(1)"));
    assert!(
        html.contains("href=\"/indicators\""),
        "the navigation links the board"
    );
    let (status, html) = app.page(&kevin, "/indicators/csat").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("at least 85.0 %"), "{html}");
    assert!(!html.contains("id=\"edit-form\""));
    assert!(!html.contains("<script>alert(1)"));
    let (status, _) = app.page(&kevin, "/indicators/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The administrator's form: a refused value is shown again with the
    // sentence; a good one is saved as version 2.
    let (_, html) = app.page(&admin, "/indicators/frt").await;
    assert!(html.contains("id=\"edit-form\""));
    let csrf = TestApp::csrf(&html);
    let form = |standard: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("owner", "Front Line".to_string()),
            ("standard", standard.to_string()),
            ("stage", "before_purchase".to_string()),
            ("frequency", "weekly".to_string()),
            ("note", String::new()),
        ]
    };
    let res = admin
        .post(app.url("/indicators/frt"))
        .form(&form("soon"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("soon&#39; is not a duration"));
    let res = admin
        .post(app.url("/indicators/frt"))
        .form(&form("2h"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("at most 2h 00m"), "{html}");
    // The existing definitions show the new fields too.
    let (_, html) = app.page(&admin, "/settings").await;
    assert!(
        html.contains("owner: Front Line"),
        "the settings' definitions"
    );
    let (_, html) = app.page(&admin, "/kpi/frt").await;
    assert!(
        html.contains("owner: Front Line"),
        "the explorer's definition"
    );

    // In the OpenAPI document.
    let (_, doc) = get_json(&app, &admin, "/api/v1/openapi.json").await;
    assert!(doc["paths"]["/api/v1/indicators"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/indicators/{kpi}"]["put"].is_object());
}
