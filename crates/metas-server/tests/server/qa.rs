//! Quality on the real server: a lead scores an interaction of the week's
//! queue through the form (a missing rating said in words), the agent sees
//! the review on the page and in the API, another agent and another team's
//! lead get 404 on both, the queue drops what was reviewed, the API enters
//! reviews and saves rubrics (a bad file named by line and field), and the
//! OpenAPI document lists every QA route.

use crate::common::{TestApp, PASSWORD};
use metas_service::users::{add_user, Role};
use reqwest::header::LOCATION;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    // Large enough that the struggling agent, whose lead reviews about 35 of
    // his contacts a month, still has unreviewed ones in the queue.
    let mut store = TestApp::demo_store(&dir, 60_000);
    for (login, role, team, agent) in [
        ("admin", Role::Admin, None, None),
        ("marta", Role::Lead, Some("Front Line"), None),
        ("li", Role::Lead, Some("Technical"), None),
        ("kevin", Role::Agent, None, Some("Kevin M.")),
        ("ana", Role::Agent, None, Some("Ana G.")),
    ] {
        add_user(&mut store, login, PASSWORD, role, team, agent).unwrap();
    }
    TestApp::serve(store, dir).await
}

async fn client(app: &TestApp, login: &str) -> reqwest::Client {
    let (client, res) = app.login(login, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{login} logs in");
    client
}

async fn get_json(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, Value) {
    let res = client.get(app.url(path)).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn send_json(
    app: &TestApp,
    client: &reqwest::Client,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let token = app.session_csrf(client).await;
    let res = client
        .request(method, app.url(path))
        .header("x-csrf-token", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_lead_reviews_the_agent_sees_it_and_no_one_else_does() {
    let app = app().await;
    let marta = client(&app, "marta").await;

    // A week's queue: Front Line's agents only, Kevin M. among them (the
    // demo reviews him often, so not every week leaves him one).
    let mut found = None;
    for as_of in [
        "2026-06-24",
        "2026-06-17",
        "2026-06-10",
        "2026-06-03",
        "2026-05-27",
    ] {
        let (status, queue) =
            get_json(&app, &marta, &format!("/api/v1/qa/queue?as_of={as_of}")).await;
        assert_eq!(status, StatusCode::OK, "{queue}");
        let rows = queue["queue"].as_array().unwrap();
        assert!(
            rows.iter()
                .all(|r| r["interaction"]["team"] == "Front Line"),
            "{queue}"
        );
        let kevins: Vec<i64> = rows
            .iter()
            .filter(|r| r["interaction"]["agent"] == "Kevin M.")
            .map(|r| r["interaction"]["id"].as_i64().unwrap())
            .collect();
        if !kevins.is_empty() {
            found = Some((as_of, kevins));
            break;
        }
    }
    let (as_of, kevins) = found.expect("Kevin M. has interactions to review in some week");
    let id = *kevins.first().expect("Kevin M. has interactions to review");
    let (status, html) = app.page(&marta, &format!("/quality?as_of={as_of}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("/quality/interactions/{id}/review")),
        "the queue links the form"
    );

    // The form: each criterion's scale as radio buttons, N/A only where allowed.
    let form_path = format!("/quality/interactions/{id}/review");
    let (status, html) = app.page(&marta, &form_path).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Shows concern for the customer"));
    assert!(html.contains("name=\"rating.concern\" value=\"5\""));
    assert!(html.contains("name=\"rating.process\" value=\"na\""));
    assert!(!html.contains("name=\"rating.accuracy\" value=\"na\""));
    let csrf = TestApp::csrf(&html);

    // A rating missing: the form again, the criterion named in words.
    let res = app
        .post_form(
            &marta,
            &form_path,
            &[
                ("csrf", &csrf),
                ("rating.concern", "4"),
                ("rating.process", "na"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Correct and complete information: choose a rating."),
        "{body}"
    );

    // Every criterion: concern 4, accuracy 3 (critical, at its standard),
    // tone 5, resolution 2 (×1.5), process N/A →
    // (75 + 50 + 100 + 1.5 × 25) / 4.5 = 58.3.
    let res = app
        .post_form(
            &marta,
            &form_path,
            &[
                ("csrf", &csrf),
                ("rating.concern", "4"),
                ("comment.concern", "Good empathy"),
                ("rating.accuracy", "3"),
                ("rating.tone", "5"),
                ("rating.resolution", "2"),
                ("rating.process", "na"),
                ("comment", "Set clearer next steps."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()[LOCATION].to_str().unwrap().to_string();
    let review_id: i64 = location
        .trim_start_matches("/quality/reviews/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (status, html) = app.page(&marta, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Review saved: score 58.3."), "{html}");

    // The agent sees it, on the page and in the API.
    let kevin = client(&app, "kevin").await;
    let (status, html) = app.page(&kevin, "/quality").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("My reviews"));
    assert!(html.contains(&format!("/quality/reviews/{review_id}\"")));
    assert!(!html.contains("queue-list"), "an agent has no queue");
    let (status, html) = app
        .page(&kevin, &format!("/quality/reviews/{review_id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Good empathy") && html.contains("Set clearer next steps."));
    let (status, r) = get_json(&app, &kevin, &format!("/api/v1/qa/reviews/{review_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        (r["review"]["score"].as_f64().unwrap() - 262.5 / 4.5).abs() < 1e-9,
        "{r}"
    );
    assert_eq!(r["review"]["source"], "metas");
    assert_eq!(r["review"]["reviewer"], "marta");
    assert_eq!(r["review"]["rubric_version"], 1);
    let (_, list) = get_json(&app, &kevin, "/api/v1/qa/reviews?limit=100000").await;
    let list = list["reviews"].as_array().unwrap();
    assert!(list.iter().all(|r| r["agent"] == "Kevin M."));
    // The agent may not review, not even their own.
    let (status, _) = app.page(&kevin, &form_path).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = get_json(&app, &kevin, "/api/v1/qa/queue").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Another agent, another team's lead: as if it did not exist.
    for other in ["ana", "li"] {
        let c = client(&app, other).await;
        let (status, _) = app.page(&c, &format!("/quality/reviews/{review_id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{other} page");
        let (status, _) = get_json(&app, &c, &format!("/api/v1/qa/reviews/{review_id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{other} API");
        let (_, list) = get_json(&app, &c, "/api/v1/qa/reviews?agent=Kevin%20M.").await;
        assert_eq!(list["reviews"], json!([]), "{other} list");
        let (status, _) = app.page(&c, &form_path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{other} form");
    }

    // Reviewed: out of the queue.
    let (_, queue) = get_json(&app, &marta, "/api/v1/qa/queue?as_of=2026-06-24").await;
    assert!(queue["queue"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["interaction"]["id"].as_i64() != Some(id)));

    // The API enters a review too; a rating off its scale is refused.
    let admin = client(&app, "admin").await;
    let other = kevins.get(1).copied().unwrap_or(id);
    let ratings = json!({"concern": 5, "accuracy": 5, "tone": 5, "resolution": 5, "process": 9});
    let (status, e) = send_json(
        &app,
        &admin,
        reqwest::Method::POST,
        "/api/v1/qa/reviews",
        json!({"interaction_id": other, "ratings": ratings}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("process"),
        "{e}"
    );
    let ratings = json!({"concern": 5, "accuracy": 1, "tone": 5, "resolution": 5, "process": null});
    let (status, r) = send_json(
        &app,
        &admin,
        reqwest::Method::POST,
        "/api/v1/qa/reviews",
        json!({"interaction_id": other, "ratings": ratings}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    assert_eq!(
        r["review"]["score"], 0.0,
        "a failed critical criterion: {r}"
    );
    assert_eq!(r["review"]["failed_critical"], true);
}

#[tokio::test]
async fn rubrics_are_edited_by_managers_with_errors_by_line() {
    let app = app().await;
    let admin = client(&app, "admin").await;
    let (status, html) = app.page(&admin, "/quality/rubrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("service_quality (version 1)"));
    assert!(html.contains("id=\"rubric-form\""));
    let csrf = TestApp::csrf(&html);
    let res = app
        .post_form(
            &admin,
            "/quality/rubrics",
            &[
                ("csrf", &csrf),
                ("name", "calls"),
                (
                    "toml",
                    "[[criteria]]\nkey = \"greeting\"\nscale = \"1-9\"\n",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("calls.toml line 3: criteria[1].scale:"),
        "{body}"
    );
    let res = app
        .post_form(
            &admin,
            "/quality/rubrics",
            &[
                ("csrf", &csrf),
                ("name", "calls"),
                (
                    "toml",
                    "[[criteria]]\nkey = \"greeting\"\nscale = \"binary\"\n",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(body.contains("Rubric calls saved as version 1."), "{body}");

    // Through the API: a new version, then the same file changes nothing.
    let toml = "[[criteria]]\nkey = \"greeting\"\nscale = \"binary\"\nweight = 2\n";
    let (status, r) = send_json(
        &app,
        &admin,
        reqwest::Method::PUT,
        "/api/v1/qa/rubrics/calls",
        json!({"toml": toml}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (r["version"].as_i64(), r["changed"].as_bool()),
        (Some(2), Some(true))
    );
    let (_, r) = send_json(
        &app,
        &admin,
        reqwest::Method::PUT,
        "/api/v1/qa/rubrics/calls",
        json!({"toml": toml}),
    )
    .await;
    assert_eq!(
        (r["version"].as_i64(), r["changed"].as_bool()),
        (Some(2), Some(false))
    );
    let (status, r) = get_json(&app, &admin, "/api/v1/qa/rubrics/calls?version=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(r["rubric"]["criteria"][0]["weight"], 1.0);
    assert_eq!(r["versions"].as_array().unwrap().len(), 2);
    let (status, html) = app.page(&admin, "/quality/rubrics/calls").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Version 2, saved"), "{html}");

    // Leads and agents read rubrics but may not save them.
    for login in ["marta", "kevin"] {
        let c = client(&app, login).await;
        let (status, html) = app.page(&c, "/quality/rubrics").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!html.contains("id=\"rubric-form\""), "{login}");
        let (status, _) = send_json(
            &app,
            &c,
            reqwest::Method::PUT,
            "/api/v1/qa/rubrics/calls",
            json!({"toml": toml}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{login}");
    }

    // Every QA route is in the OpenAPI document.
    let (_, doc) = get_json(&app, &admin, "/api/v1/openapi.json").await;
    for path in [
        "/api/v1/qa/rubrics",
        "/api/v1/qa/rubrics/{name}",
        "/api/v1/qa/queue",
        "/api/v1/qa/reviews",
        "/api/v1/qa/reviews/{id}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }

    // The drill-down offers the review form to those who may score.
    let (status, html) = app
        .page(
            &admin,
            "/kpi/volume/interactions?from=2026-06-29&to=2026-06-30",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("/quality/review?source=demo"),
        "review links: {}",
        &html[html.find("<main>").unwrap_or(0)..][..2000.min(html.len() / 2)]
    );
    let kevin = client(&app, "kevin").await;
    let (_, html) = app
        .page(
            &kevin,
            "/kpi/volume/interactions?from=2026-06-29&to=2026-06-30",
        )
        .await;
    assert!(!html.contains("/quality/review?"));
}

fn reasons(queue: &Value) -> (Vec<f64>, usize) {
    let rows = queue["queue"].as_array().unwrap();
    let low: Vec<f64> = rows
        .iter()
        .filter(|r| r["reason"] == "low_csat")
        .map(|r| r["interaction"]["csat"].as_f64().unwrap())
        .collect();
    let sampled = rows.iter().filter(|r| r["reason"] == "sample").count();
    (low, sampled)
}

/// The queue follows the organisation's settings: `qa.sample_per_agent` 0
/// draws nothing at random, `qa.low_csat` 1 keeps only the lowest answers,
/// and the page says how many are drawn.
#[tokio::test]
async fn the_queue_follows_the_organisations_settings() {
    let app = app().await;
    let admin = client(&app, "admin").await;
    let marta = client(&app, "marta").await;
    let week = "/api/v1/qa/queue?as_of=2026-06-24";
    let (status, queue) = get_json(&app, &marta, week).await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    let (low, sampled) = reasons(&queue);
    assert!(sampled > 0, "{queue}");
    // 1 and 2 on 1–5 are 0 and a quarter of the scale.
    assert!(low.iter().all(|c| *c <= 0.25 + 1e-9), "{low:?}");
    assert!(low.iter().any(|c| (*c - 0.25).abs() < 1e-9), "{low:?}");

    for (key, value) in [("qa.sample_per_agent", "0"), ("qa.low_csat", "1")] {
        let (status, v) = send_json(
            &app,
            &admin,
            reqwest::Method::PUT,
            &format!("/api/v1/settings/{key}"),
            json!({ "value": value }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{key}: {v}");
    }
    let (_, queue) = get_json(&app, &marta, week).await;
    let (low_now, sampled_now) = reasons(&queue);
    assert_eq!(sampled_now, 0, "{queue}");
    assert!(low_now.iter().all(|c| c.abs() < 1e-9), "{low_now:?}");
    assert_eq!(low_now.len(), low.iter().filter(|c| c.abs() < 1e-9).count());
    // One draw may still ask for more.
    let (_, queue) = get_json(&app, &marta, &format!("{week}&sample=2")).await;
    assert!(reasons(&queue).1 > 0, "{queue}");
    let (status, html) = app.page(&marta, "/quality?as_of=2026-06-24").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("and 0 interactions per agent drawn at random"),
        "{html}"
    );
    // A value the setting cannot take is refused in words.
    let (status, v) = send_json(
        &app,
        &admin,
        reqwest::Method::PUT,
        "/api/v1/settings/qa.low_csat",
        json!({ "value": "7" }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v.to_string().contains("expected a score from 1 to 5"),
        "{v}"
    );
}
