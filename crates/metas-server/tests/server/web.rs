//! The web app beyond sessions: the five languages, imports from the browser
//! and the NDJSON endpoint, the settings page, the dashboard's filters, the
//! drill-down, and the OpenAPI document. The real server on port 0.

use std::time::{Duration, Instant};

use crate::common::{TestApp, PASSWORD};
use metas_server::i18n::{Lang, Tr};
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, CONTENT_TYPE, LOCATION, REFERER};
use reqwest::StatusCode;
use serde_json::Value;

fn html_lang(html: &str) -> &str {
    let at = html.find("<html lang=\"").expect("an html element") + 12;
    html[at..].split('"').next().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_and_errors_speak_the_users_language() {
    let app = TestApp::start().await;
    // Before logging in: the browser's language, then the login page's links.
    let anon = TestApp::client();
    let res = anon
        .get(app.url("/login"))
        .header(ACCEPT_LANGUAGE, "es-MX,es;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[CONTENT_LANGUAGE], "es");
    let html = res.text().await.unwrap();
    assert_eq!(html_lang(&html), "es");
    assert!(
        html.contains(&Tr::new(Lang::Es).t("login-password")),
        "{html}"
    );
    let (_, html) = app.page(&anon, "/login?lang=zh-CN").await;
    assert_eq!(html_lang(&html), "zh-CN");
    let (_, html) = app.page(&anon, "/login").await;
    assert_eq!(html_lang(&html), "zh-CN", "the choice is kept in a cookie");

    // Logged in: the user's setting, chosen from any page, kept with the user.
    let (admin, _) = app.login("admin", PASSWORD).await;
    let (_, html) = app.page(&admin, "/").await;
    assert_eq!(html_lang(&html), "en");
    let token = app.session_csrf(&admin).await;
    let res = admin
        .post(app.url("/language"))
        .header(REFERER, app.url("/goals"))
        .form(&[("csrf", token.as_str()), ("language", "fr")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], "/goals");
    let fr = Tr::new(Lang::Fr);
    let (_, html) = app.page(&admin, "/?days=30").await;
    assert_eq!(html_lang(&html), "fr");
    assert!(
        html.contains(&fr.t1("dashboard-heading", "days", 30)),
        "{html}"
    );
    assert!(html.contains(&fr.kpi_name("fcr")));
    // Numbers and dates the French way: a decimal comma, French months.
    assert!(
        html.contains(&fr.date("2026-06-30".parse().unwrap())),
        "{html}"
    );
    let csat = html.split("data-kpi=\"csat\"").nth(1).unwrap();
    let value = csat.split("class=\"value\">").nth(1).unwrap();
    let value = value.split('<').next().unwrap();
    assert!(value.contains(',') && value.ends_with('%'), "{value}");
    let (admin_again, _) = app.login("admin", PASSWORD).await;
    let (_, html) = app.page(&admin_again, "/goals").await;
    assert_eq!(html_lang(&html), "fr", "the setting outlives the session");

    // Errors: a page in the user's language, the API's envelope alike.
    let (status, html) = app.page(&admin, "/goals/999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains(&fr.t1("error-no-goal", "id", 999)), "{html}");
    let res = TestApp::client()
        .get(app.url("/api/v1/me"))
        .header(ACCEPT_LANGUAGE, "pt-BR")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");
    assert_eq!(
        body["error"]["message"],
        Tr::new(Lang::Pt).t("error-unauthenticated")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_smart_checks_are_written_in_the_users_language() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let token = app.session_csrf(&admin).await;
    app.post_form(
        &admin,
        "/language",
        &[("csrf", token.as_str()), ("language", "zh-CN")],
    )
    .await;
    let res = app
        .post_form(
            &admin,
            "/goals/new",
            &[
                ("csrf", token.as_str()),
                ("metric", "csat"),
                ("owner", "team:Technical"),
                ("by", "2pp"),
                ("deadline", "end of fiscal year"),
                ("action", "check"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let zh = Tr::new(Lang::ZhCn);
    for letter in ["specific", "measurable", "time-bound", "focus"] {
        assert!(
            html.contains(&zh.t(&format!("check-letter-{letter}"))),
            "{letter}: {html}"
        );
    }
    assert!(
        html.contains(&zh.t1("owner-team", "name", "Technical")),
        "{html}"
    );
    assert!(
        !html.contains("The scope holds"),
        "an English check: {html}"
    );
}

/// A multipart body as a browser sends the upload form.
fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----metastestboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) async fn upload(
    client: &reqwest::Client,
    app: &TestApp,
    csrf: &str,
    file_name: &str,
    bytes: &[u8],
    mapping: &str,
) -> reqwest::Response {
    let (content_type, body) = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("file", Some(file_name), bytes),
        ("mapping", None, mapping.as_bytes()),
    ]);
    client
        .post(app.url("/import"))
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Starts a previewed import and waits for its result page.
pub(crate) async fn run_job(
    client: &reqwest::Client,
    app: &TestApp,
    job: &str,
    csrf: &str,
) -> String {
    let res = app
        .post_form(client, &format!("{job}/start"), &[("csrf", csrf)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let started = Instant::now();
    loop {
        let (status, html) = app.page(client, job).await;
        assert_eq!(status, StatusCode::OK);
        if html.contains("data-state=\"done\"") || html.contains("data-state=\"failed\"") {
            return html;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "{html}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub(crate) fn cell(html: &str, id: &str) -> String {
    let at = html.find(&format!("id=\"{id}\">")).expect(id) + id.len() + 6;
    html[at..].split('<').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_is_uploaded_previewed_and_imported_from_the_browser() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let (status, html) = app.page(&admin, "/import").await;
    assert_eq!(status, StatusCode::OK);
    let token = TestApp::csrf(&html);
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/datasets/pwc-call-center/call_center_dataset.csv");
    let bytes = std::fs::read(&file).unwrap();
    let rows = bytes.iter().filter(|b| **b == b'\n').count() - 1;

    // Upload: a preview of the first rows, the mapped columns marked.
    let res = upload(&admin, &app, &token, "calls.csv", &bytes, "pwc-call-center").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let job = res.headers()[LOCATION].to_str().unwrap().to_string();
    let (_, preview) = app.page(&admin, &job).await;
    assert!(preview.contains("id=\"preview\""), "{preview}");
    assert!(preview.contains("Call Id ✓"), "{preview}");
    assert!(preview.contains("ID0001"), "{preview}");

    // Import: every row lands, counted; again: every row unchanged.
    let result = run_job(&admin, &app, &job, &token).await;
    let en = Tr::new(Lang::En);
    assert_eq!(cell(&result, "imported"), en.count(rows as u64));
    assert_eq!(cell(&result, "rejected"), "0");
    let res = upload(&admin, &app, &token, "calls.csv", &bytes, "pwc-call-center").await;
    let job = res.headers()[LOCATION].to_str().unwrap().to_string();
    let result = run_job(&admin, &app, &job, &token).await;
    assert_eq!(cell(&result, "unchanged"), en.count(rows as u64));

    // A file with bad rows: the good ones land, the rejects are downloadable.
    let bad = b"external_id,channel,created_at\nw1,email,2026-06-01T10:00:00Z\nw2,email,yesterday\nw3,pigeon,2026-06-02T10:00:00Z\nw4,chat,2026-06-03T10:00:00Z\n";
    let res = upload(&admin, &app, &token, "web.csv", bad, "generic").await;
    let job = res.headers()[LOCATION].to_str().unwrap().to_string();
    let result = run_job(&admin, &app, &job, &token).await;
    assert_eq!(cell(&result, "imported"), "2");
    assert_eq!(cell(&result, "rejected"), "2");
    let res = admin
        .get(app.url(&format!("{job}/rejects.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let rejects = res.text().await.unwrap();
    assert_eq!(rejects.lines().count(), 3, "{rejects}");
    assert!(rejects.contains("yesterday") && rejects.contains("pigeon"));

    // Zendesk's incremental export: a repeated ticket's newest copy wins and
    // a deleted ticket goes; the result names both, and nothing is rejected.
    let zendesk =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../metas/tests/fixtures/zendesk");
    for (page, superseded, deleted) in [
        ("incremental-1.json", "2", None),
        ("incremental-2.json", "1", Some("1")),
    ] {
        let bytes = std::fs::read(zendesk.join(page)).unwrap();
        let res = upload(&admin, &app, &token, page, &bytes, "zendesk").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{page}");
        let job = res.headers()[LOCATION].to_str().unwrap().to_string();
        let result = run_job(&admin, &app, &job, &token).await;
        assert_eq!(cell(&result, "rejected"), "0", "{page}");
        assert_eq!(cell(&result, "superseded"), superseded, "{page}");
        assert!(result.contains("Superseded by a newer copy"), "{result}");
        match deleted {
            Some(n) => assert_eq!(cell(&result, "deleted"), n, "{page}"),
            None => assert!(!result.contains("id=\"deleted\""), "{result}"),
        }
    }

    // A mapping that does not fit the file is reported before anything runs.
    let res = upload(&admin, &app, &token, "calls.csv", &bytes, "generic").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("calls.csv"), "{html}");
    assert!(html.contains("none of the generic columns"), "{html}");

    // No token, no upload; an agent may not import; another user's job is hidden.
    let res = upload(&admin, &app, "forged", "web.csv", bad, "generic").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (kevin, _) = app.login("kevin", PASSWORD).await;
    let (status, _) = app.page(&kevin, "/import").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.page(&kevin, &job).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn ndjson_is_ingested_through_the_api() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let body = concat!(
        r#"{"external_id": "n1", "channel": "chat", "created_at": "2026-06-10T09:00:00Z", "agent": "Kevin M.", "customer_id": "c-n1", "customer": {"age": 41}}"#,
        "\n",
        r#"{"external_id": "n2", "channel": "email", "created_at": "not a date"}"#,
        "\n",
        "this is not json\n",
        r#"{"external_id": "n3", "channel": "phone", "created_at": "2026-06-11T09:00:00Z", "csat": 5, "colour": "red"}"#,
        "\n"
    );
    // With the session cookie, a change needs the session's CSRF token.
    let res = admin
        .post(app.url("/api/v1/ingest?source=webhook"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "csrf");
    let token = app.session_csrf(&admin).await;
    let res = admin
        .post(app.url("/api/v1/ingest?source=webhook"))
        .header(CONTENT_TYPE, "application/x-ndjson")
        .header("x-csrf-token", &token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["rejected"], 2, "{report}");
    assert_eq!(report["rejects"][0]["line"], 2, "{report}");
    assert_eq!(report["rejects"][0]["field"], "created_at", "{report}");
    assert_eq!(report["rejects"][1]["line"], 3, "{report}");
    assert_eq!(report["ignored_columns"], serde_json::json!(["colour"]));
    assert_eq!(report["source"], "webhook");
    // The nested customer attribute landed with its interaction.
    let res = admin
        .get(app.url("/api/v1/interactions?where=customer.age%20%3D%2041%20and%20source%20%3D%20%27webhook%27"))
        .send()
        .await
        .unwrap();
    let drill: Value = res.json().await.unwrap();
    assert_eq!(
        drill["interactions"].as_array().unwrap().len(),
        1,
        "{drill}"
    );
    // Again: unchanged; an empty body and an agent are refused.
    let res = admin
        .post(app.url("/api/v1/ingest?source=webhook"))
        .header("x-csrf-token", &token)
        .body(body)
        .send()
        .await
        .unwrap();
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["unchanged"], 2, "{report}");
    let res = admin
        .post(app.url("/api/v1/ingest"))
        .header("x-csrf-token", &token)
        .body("\n")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = admin
        .post(app.url("/api/v1/ingest?mapping=nosuch"))
        .header("x-csrf-token", &token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let (kevin, _) = app.login("kevin", PASSWORD).await;
    let kevin_token = app.session_csrf(&kevin).await;
    let res = kevin
        .post(app.url("/api/v1/ingest"))
        .header("x-csrf-token", &kevin_token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["error"]["code"], "forbidden");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_describes_every_api_route() {
    let app = TestApp::start().await;
    let res = TestApp::client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/me", "get"),
        ("/api/v1/kpi/{id}", "get"),
        ("/api/v1/goals", "get"),
        ("/api/v1/goals/{id}", "get"),
        ("/api/v1/interactions", "get"),
        ("/api/v1/ingest", "post"),
        ("/api/v1/goals", "post"),
        ("/api/v1/goals/{id}/updates", "post"),
        ("/api/v1/reviews", "get"),
        ("/api/v1/settings", "get"),
        ("/api/v1/settings/{key}", "put"),
        ("/api/v1/tokens", "get"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens/{id}", "delete"),
        ("/api/v1/users", "post"),
    ] {
        assert!(paths[path][method].is_object(), "{path} {method}");
    }
    let kpi_params: Vec<&str> = paths["/api/v1/kpi/{id}"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "id", "by", "grain", "from", "to", "where", "stat", "compare",
    ] {
        assert!(kpi_params.contains(&name), "{name}: {kpi_params:?}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_users_calendars_and_tokens_from_the_settings_page() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let (status, html) = app.page(&admin, "/settings").await;
    assert_eq!(status, StatusCode::OK);
    for k in metas_domain::kpi::CATALOGUE {
        assert!(html.contains(&format!("id=\"kpi-{}\"", k.id)), "{}", k.id);
    }
    let token = TestApp::csrf(&html);
    let csat = |client: reqwest::Client| {
        let url = app.url("/api/v1/kpi/csat?from=2026-01-01&to=2026-06-30");
        async move {
            let v: Value = client.get(url).send().await.unwrap().json().await.unwrap();
            v["rows"][0]["value"].as_f64().unwrap()
        }
    };
    let before = csat(admin.clone()).await;
    let res = app
        .post_form(
            &admin,
            "/settings",
            &[("csrf", &token), ("key", "csat.threshold"), ("value", "5")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("csat.threshold = 5"));
    let after = csat(admin.clone()).await;
    assert!(after < before, "{after} < {before}");
    let res = app
        .post_form(
            &admin,
            "/settings",
            &[
                ("csrf", &token),
                ("key", "fiscal_year.start_month"),
                ("value", "13"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // A lead may read the page but not change a setting.
    let (li, _) = app.login("li", PASSWORD).await;
    let li_token = app.session_csrf(&li).await;
    let res = app
        .post_form(
            &li,
            "/settings",
            &[
                ("csrf", &li_token),
                ("key", "csat.threshold"),
                ("value", "3"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Calendars: saved when valid, the line named when not.
    let calendar = "time_zone = \"Europe/Madrid\"\n[hours]\nmon = [\"09:00-18:00\"]\n";
    let res = app
        .post_form(
            &admin,
            "/settings/calendars",
            &[("csrf", &token), ("name", "madrid"), ("toml", calendar)],
        )
        .await;
    let html = res.text().await.unwrap();
    assert!(html.contains("madrid"), "{html}");
    let res = app
        .post_form(
            &admin,
            "/settings/calendars",
            &[
                ("csrf", &token),
                ("name", "broken"),
                ("toml", "time_zone = \n"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("line 1"));

    // Users: an agent's name must be in the data.
    let res = app
        .post_form(
            &admin,
            "/settings/users",
            &[
                ("csrf", &token),
                ("login", "nobody"),
                ("password", "long enough password"),
                ("role", "agent"),
                ("agent", "No Such Agent"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = app
        .post_form(
            &admin,
            "/settings/users",
            &[
                ("csrf", &token),
                ("login", "ana"),
                ("password", "long enough password"),
                ("role", "manager"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let (ana, res) = app.login("ana", "long enough password").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Tokens: shown once, good for the API until revoked.
    let ana_token = app.session_csrf(&ana).await;
    let res = app
        .post_form(
            &ana,
            "/settings/tokens",
            &[("csrf", &ana_token), ("name", "BI export")],
        )
        .await;
    let html = res.text().await.unwrap();
    let api_token = cell(&html, "new-token");
    assert!(api_token.starts_with("mt_"), "{api_token}");
    let me = |t: String| {
        let url = app.url("/api/v1/me");
        async move {
            TestApp::client()
                .get(url)
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(me(api_token.clone()).await, StatusCode::OK);
    let (_, html) = app.page(&ana, "/settings").await;
    assert!(!html.contains(&api_token), "a token is shown once");
    let id = api_token.split('_').nth(1).unwrap();
    // Another user's token is not theirs to revoke.
    let res = app
        .post_form(
            &li,
            &format!("/settings/tokens/{id}/revoke"),
            &[("csrf", &li_token)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .post_form(
            &ana,
            &format!("/settings/tokens/{id}/revoke"),
            &[("csrf", &ana_token)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(me(api_token).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread")]
async fn dashboard_filters_drill_down_and_csv() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let volume_n = |html: &str| -> String {
        let tile = html.split("data-kpi=\"volume\"").nth(1).unwrap();
        tile.split("class=\"value\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    let (_, all) = app.page(&admin, "/?days=90").await;
    let (status, email) = app.page(&admin, "/?days=90&channel=email").await;
    assert_eq!(status, StatusCode::OK);
    assert!(email.contains("<option selected>email</option>"), "{email}");
    let n = |s: String| s.replace(',', "").parse::<u64>().unwrap();
    assert!(n(volume_n(&email)) < n(volume_n(&all)));
    let (status, html) = app.page(&admin, "/?where=colour%20%3D%201").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("colour"), "{html}");

    // The drill-down: the interactions behind CSAT, only the agent's own.
    let (kevin, _) = app.login("kevin", PASSWORD).await;
    let (status, html) = app
        .page(&kevin, "/kpi/csat/interactions?from=2026-04-01")
        .await;
    assert_eq!(status, StatusCode::OK);
    let table = html.split("id=\"interactions\"").nth(1).unwrap();
    let rows = table.matches("<tr>").count() - 1;
    assert!(rows > 0, "{html}");
    assert_eq!(table.matches("Kevin M.").count(), rows, "only Kevin's rows");

    // Two dimensions crossed in the explorer.
    let (status, html) = app
        .page(&admin, "/kpi/csat?by=channel&by2=team&from=2026-01-01")
        .await;
    assert_eq!(status, StatusCode::OK);
    let header = html
        .split("<thead>")
        .nth(1)
        .unwrap()
        .split("</thead>")
        .next()
        .unwrap();
    assert!(header.contains("<th>channel</th><th>team</th>"), "{header}");

    // The explorer's table as CSV.
    let res = admin
        .get(app.url("/kpi/csat/csv?by=channel&from=2026-01-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("channel,value,n,ci_low,ci_high"), "{csv}");
    assert!(csv.lines().count() > 2);

    // A number with nothing behind it says why: the data has CSAT answers,
    // none in the period asked; the page and the API say so, a figure does not.
    let filtered = Tr::new(Lang::En).t("kpi-note-filtered");
    let (status, html) = app
        .page(&admin, "/kpi/csat?from=2030-01-01&to=2030-01-31")
        .await;
    assert_eq!(status, StatusCode::OK);
    let note = html.split("id=\"note\"").nth(1).expect("a note");
    assert!(note.contains(&filtered), "{html}");
    let (_, html) = app.page(&admin, "/kpi/csat?from=2026-01-01").await;
    assert!(!html.contains("id=\"note\""), "{html}");
    let doc: Value = admin
        .get(app.url("/api/v1/kpi/csat?from=2030-01-01&to=2030-01-31"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["note"], filtered, "{doc}");
}

#[tokio::test(flavor = "multi_thread")]
async fn everything_the_pages_do_the_api_does() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let token = app.session_csrf(&admin).await;
    // A token for the API, created through the API.
    let res = admin
        .post(app.url("/api/v1/tokens"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({ "name": "integration" }))
        .send()
        .await
        .unwrap();
    let bearer = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let api = TestApp::client();
    let call = |method: reqwest::Method, path: &str, body: Value| {
        api.request(method, app.url(path))
            .bearer_auth(&bearer)
            .json(&body)
            .send()
    };
    // A goal: checked, then saved; docs/product.md §6.5 example 4 as written.
    let goal = serde_json::json!({
        "metric": "retention", "owner": "org", "to": "90%",
        "deadline": "31 December", "check_only": true
    });
    let res = call(reqwest::Method::POST, "/api/v1/goals", goal.clone())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let plan: Value = res.json().await.unwrap();
    assert!(plan["id"].is_null(), "{plan}");
    assert!(
        plan["checks"]["time_bound"]["ok"].as_bool().unwrap(),
        "{plan}"
    );
    let mut save = goal.clone();
    save["check_only"] = Value::Bool(false);
    save["force"] = Value::Bool(true);
    let plan: Value = call(reqwest::Method::POST, "/api/v1/goals", save)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = plan["id"].as_i64().expect("a saved goal has an id");
    // A check-in, the commitment, a review.
    for update in [
        serde_json::json!({ "kind": "checkin", "comment": "new retention calls", "confidence": 0.6 }),
        serde_json::json!({ "kind": "commit" }),
        serde_json::json!({ "kind": "review", "decision": "keep", "notes": "on plan" }),
    ] {
        let res = call(
            reqwest::Method::POST,
            &format!("/api/v1/goals/{id}/updates"),
            update.clone(),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{update}");
    }
    let tracked: Value = call(
        reqwest::Method::GET,
        &format!("/api/v1/goals/{id}"),
        Value::Null,
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(
        tracked["checkins"][0]["comment"], "new retention calls",
        "{tracked}"
    );
    assert_eq!(tracked["reviews"].as_array().unwrap().len(), 1, "{tracked}");
    let res = call(reqwest::Method::GET, "/api/v1/reviews", Value::Null)
        .await
        .unwrap();
    assert!(res.json::<Value>().await.unwrap()["due"].is_array());
    // Settings: read by anyone, changed by an administrator only.
    let res = call(
        reqwest::Method::PUT,
        "/api/v1/settings/fcr.window_days",
        serde_json::json!({ "value": "14" }),
    )
    .await
    .unwrap();
    let settings: Value = res.json().await.unwrap();
    let window = settings["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "fcr.window_days")
        .unwrap()
        .clone();
    assert_eq!(window["value"], "14", "{settings}");
    // Users: added by an administrator; a manager may not add one.
    let res = call(
        reqwest::Method::POST,
        "/api/v1/users",
        serde_json::json!({ "login": "mo", "password": "long enough password", "role": "manager" }),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (mo, _) = app.login("mo", "long enough password").await;
    let mo_token = app.session_csrf(&mo).await;
    let res = mo
        .put(app.url("/api/v1/settings/fcr.window_days"))
        .header("x-csrf-token", &mo_token)
        .json(&serde_json::json!({ "value": "3" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The agent's goal is not the manager's to update... but it is visible;
    // another agent's goal is not visible to Kevin.
    let (kevin, _) = app.login("kevin", PASSWORD).await;
    let kevin_token = app.session_csrf(&kevin).await;
    let res = kevin
        .post(app.url(&format!("/api/v1/goals/{id}/updates")))
        .header("x-csrf-token", &kevin_token)
        .json(&serde_json::json!({ "kind": "commit" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Tokens: listed, then revoked through the API.
    let list: Value = call(reqwest::Method::GET, "/api/v1/tokens", Value::Null)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token_id = list["tokens"][0]["id"].as_i64().unwrap();
    let res = call(
        reqwest::Method::DELETE,
        &format!("/api/v1/tokens/{token_id}"),
        Value::Null,
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = call(reqwest::Method::GET, "/api/v1/me", Value::Null)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

/// Every route, as a table: pages without a session go to the login, API
/// calls get 401, and every form refuses a forged CSRF token.
#[tokio::test(flavor = "multi_thread")]
async fn every_route_needs_a_session_and_every_form_its_token() {
    let app = TestApp::start().await;
    let anon = TestApp::client();
    let pages = [
        "/",
        "/kpi/csat",
        "/kpi/csat/interactions",
        "/kpi/csat/csv",
        "/goals",
        "/goals/new",
        "/goals/1",
        "/reviews",
        "/import",
        "/import/somejob",
        "/import/somejob/rejects.csv",
        "/settings",
    ];
    for path in pages {
        let res = anon.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(res.headers()[LOCATION], "/login", "{path}");
    }
    let api = [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/kpi/csat"),
        ("GET", "/api/v1/goals"),
        ("POST", "/api/v1/goals"),
        ("GET", "/api/v1/goals/1"),
        ("POST", "/api/v1/goals/1/updates"),
        ("GET", "/api/v1/reviews"),
        ("GET", "/api/v1/interactions"),
        ("GET", "/api/v1/settings"),
        ("PUT", "/api/v1/settings/csat.threshold"),
        ("GET", "/api/v1/tokens"),
        ("POST", "/api/v1/tokens"),
        ("DELETE", "/api/v1/tokens/1"),
        ("POST", "/api/v1/users"),
        ("POST", "/api/v1/ingest"),
    ];
    for (method, path) in api {
        let res = anon
            .request(method.parse().unwrap(), app.url(path))
            .header(CONTENT_TYPE, "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthenticated", "{method} {path}");
    }
    // Logged in, a forged token is refused by every form.
    let (admin, _) = app.login("admin", PASSWORD).await;
    let forms: &[(&str, &[(&str, &str)])] = &[
        ("/logout", &[]),
        ("/language", &[("language", "es")]),
        (
            "/goals/new",
            &[("metric", "csat"), ("owner", "org"), ("action", "save")],
        ),
        ("/goals/1/checkin", &[("comment", "x")]),
        ("/goals/1/commit", &[]),
        ("/goals/1/review", &[("decision", "keep")]),
        ("/import/somejob/start", &[]),
        ("/settings", &[("key", "csat.threshold"), ("value", "5")]),
        ("/settings/calendars", &[("name", "x"), ("toml", "x")]),
        (
            "/settings/users",
            &[
                ("login", "x"),
                ("password", "long enough password"),
                ("role", "admin"),
            ],
        ),
        ("/settings/tokens", &[("name", "x")]),
        ("/settings/tokens/1/revoke", &[]),
    ];
    for (path, fields) in forms {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", "forged"));
        let res = app.post_form(&admin, path, &form).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // The session still works: none of the forged forms logged it out.
    let (status, _) = app.page(&admin, "/").await;
    assert_eq!(status, StatusCode::OK);
}
