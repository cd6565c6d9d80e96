//! What every response tells the browser, and hostile text in downloads:
//! a name that looks like a spreadsheet formula is written as text.

use reqwest::header::CONTENT_TYPE;
use reqwest::StatusCode;

use crate::common::{TestApp, PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::start().await;
    let anon = TestApp::client();
    let (admin, _) = app.login("admin", PASSWORD).await;
    for (client, path) in [
        (&anon, "/login"),
        (&anon, "/favicon.svg"),
        (&anon, "/api/v1/me"),
        (&anon, "/no/such/page"),
        (&admin, "/"),
        (&admin, "/kpi/csat"),
        (&admin, "/api/v1/kpi/csat"),
    ] {
        let res = client.get(app.url(path)).send().await.unwrap();
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        for part in [
            "default-src 'self'",
            "script-src 'self';",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    }
}

/// No page carries a script of its own: the policy runs `/metas.js` only.
#[tokio::test(flavor = "multi_thread")]
async fn no_page_runs_an_inline_script() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    for path in [
        "/",
        "/kpi/csat",
        "/kpi/frt/interactions",
        "/goals",
        "/goals/new",
        "/reviews",
        "/import",
        "/settings",
        "/sla",
    ] {
        let (status, html) = app.page(&admin, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            html.contains("<script src=\"/metas.js\" defer></script>"),
            "{path}"
        );
        assert_eq!(html.matches("<script").count(), 1, "{path}: {html}");
        assert!(
            !html.contains(" onchange=") && !html.contains(" onclick="),
            "{path}"
        );
    }
    let res = TestApp::client()
        .get(app.url("/metas.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_formula_in_imported_data_is_text_in_every_download() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let token = app.session_csrf(&admin).await;
    let hostile = "=HYPERLINK(\"http://evil.example\",\"click\")";
    let body = format!(
        "{{\"external_id\": \"h1\", \"channel\": \"chat\", \"created_at\": \"2026-06-10T09:00:00Z\", \"agent\": {agent}, \"topic\": \"@SUM(A1)\", \"csat\": 5}}\n",
        agent = serde_json::to_string(hostile).unwrap()
    );
    let res = admin
        .post(app.url("/api/v1/ingest?source=hostile"))
        .header(CONTENT_TYPE, "application/x-ndjson")
        .header("x-csrf-token", &token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    for path in [
        "/api/v1/interactions?where=source%20%3D%20%27hostile%27&format=csv",
        "/kpi/csat/csv?by=agent&from=2026-06-01&to=2026-06-30",
    ] {
        let res = admin.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let csv = res.text().await.unwrap();
        let mut cells = Vec::new();
        for record in csv::Reader::from_reader(csv.as_bytes()).records() {
            cells.extend(record.unwrap().iter().map(String::from).collect::<Vec<_>>());
        }
        assert!(
            cells.iter().any(|c| c == &format!("'{hostile}")),
            "{path}: the agent's name as text:\n{csv}"
        );
        assert!(
            !cells
                .iter()
                .any(|c| c.starts_with('=') || c.starts_with('@')),
            "{path}: no cell starts like a formula:\n{csv}"
        );
    }
}

/// The whole database, while the server runs: an administrator gets a file
/// that opens with the figures the server shows; no one else gets it.
#[tokio::test(flavor = "multi_thread")]
async fn only_an_administrator_downloads_a_backup_and_it_holds_the_same_figures() {
    let app = TestApp::start().await;
    let (kevin, _) = app.login("kevin", PASSWORD).await;
    let (li, _) = app.login("li", PASSWORD).await;
    for client in [&kevin, &li, &TestApp::client()] {
        let res = client.get(app.url("/api/v1/backup")).send().await.unwrap();
        assert!(
            matches!(
                res.status(),
                StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED
            ),
            "{}",
            res.status()
        );
    }
    let (admin, _) = app.login("admin", PASSWORD).await;
    let (_, live) = app.volume(&admin, "?by=team").await;
    let res = admin.get(app.url("/api/v1/backup")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "application/octet-stream");
    let length: u64 = res.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let bytes = res.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, length);
    // The backup, served on its own, answers as the live server did.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("web.db"), &bytes).unwrap();
    let store = metas_store::Store::open(&dir.path().join("web.db")).unwrap();
    let restored = TestApp::serve(store, dir).await;
    let (admin, _) = restored.login("admin", PASSWORD).await;
    let (status, from_backup) = restored.volume(&admin, "?by=team").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(from_backup, live);
}

/// Names and text from imported data and from users reach every page
/// escaped: a hostile agent, team, topic and customer segment, and a QA
/// reviewer's comment, on the dashboard, the explorer and its chart, the
/// drill-down, the scorecard, the quality pages and the goals.
#[tokio::test(flavor = "multi_thread")]
async fn hostile_names_are_text_on_every_page() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let token = app.session_csrf(&admin).await;
    let agent = "<script>alert('agent')</script>";
    let team = "\"><svg onload=alert('team')>";
    let topic = "\u{202E}fdp.exe <b>topic</b>";
    let segment = "<img src=x onerror=alert('segment')>";
    let comment = "</textarea><script>alert('comment')</script>";
    let mut body = String::new();
    for (i, day) in [3, 10, 17, 24].iter().enumerate() {
        body.push_str(
            &serde_json::json!({
                "external_id": format!("x{i}"),
                "channel": "chat",
                "created_at": format!("2026-06-{day:02}T09:00:00Z"),
                "first_response_at": format!("2026-06-{day:02}T09:05:00Z"),
                "agent": agent,
                "team": team,
                "topic": topic,
                "customer_id": format!("c{i}"),
                "customer.segment": segment,
                "csat": 1 + i % 5,
            })
            .to_string(),
        );
        body.push('\n');
    }
    let res = admin
        .post(app.url("/api/v1/ingest?source=hostile"))
        .header(CONTENT_TYPE, "application/x-ndjson")
        .header("x-csrf-token", &token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    // The review form of the interaction, as the drill-down's link opens it.
    let res = admin
        .get(app.url("/quality/review?source=hostile&external_id=x0"))
        .send()
        .await
        .unwrap();
    let form = res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let id: i64 = form
        .strip_prefix("/quality/interactions/")
        .and_then(|r| r.strip_suffix("/review"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the review form's address: {form}"));
    let res = admin
        .post(app.url("/api/v1/qa/reviews"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({
            "interaction_id": id,
            "ratings": {"concern": 1, "accuracy": 3, "tone": 3, "resolution": 3, "process": 3},
            "comments": {"concern": comment},
            "comment": comment,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let review: serde_json::Value = res.json().await.unwrap_or_default();
    let review_id = review["review"]["id"].as_i64().unwrap_or(0);

    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    let pages = [
        "/".to_string(),
        "/kpi/csat?by=agent&from=2026-06-01&to=2026-06-30".into(),
        "/kpi/csat?by=team&grain=week&from=2026-06-01&to=2026-06-30".into(),
        "/kpi/csat?by=topic&from=2026-06-01&to=2026-06-30".into(),
        "/kpi/csat?by=customer.segment&from=2026-06-01&to=2026-06-30".into(),
        format!(
            "/kpi/csat/interactions?from=2026-06-01&to=2026-06-30&where={}",
            enc("source = 'hostile'")
        ),
        format!("/agents/{}/scorecard?as_of=2026-06-30", enc(agent)),
        "/scorecards".into(),
        "/quality?as_of=2026-06-24".into(),
        "/quality/reviews".into(),
        format!("/quality/reviews/{review_id}"),
        format!("/quality/interactions/{id}/review"),
        "/goals".into(),
    ];
    let mut escaped_somewhere = false;
    for path in &pages {
        let res = admin.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let html = res.text().await.unwrap();
        for raw in [agent, team, segment, comment, "<b>topic</b>"] {
            assert!(!html.contains(raw), "{path} carries {raw} as markup");
        }
        assert!(!html.contains("<script>alert"), "{path}");
        assert!(!html.contains("<svg onload"), "{path}");
        assert!(!html.contains("<img src=x"), "{path}");
        escaped_somewhere |= html.contains("&lt;script&gt;alert(");
    }
    assert!(escaped_somewhere, "the agent's name is shown, escaped");
}
