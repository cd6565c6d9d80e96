//! Coaching on the real server: a lead creates Kevin M.'s action plan from
//! the page's form, records a session through the API; Kevin reads and
//! acknowledges it; another agent finds neither the plan nor its pages
//! (404); the printed plan speaks Kevin's language; sessions to hold are
//! listed per lead; the API is in the OpenAPI document.

use crate::common::{TestApp, PASSWORD};
use metas_service::users::{add_user, set_language, Role};
use metas_store::prelude::*;
use reqwest::header::LOCATION;
use reqwest::StatusCode;
use serde_json::{json, Value};

const KEVIN: &str = "Kevin%20M.";

async fn get_json(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, Value) {
    let res = client.get(app.url(path)).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn post_json(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let token = app.session_csrf(client).await;
    let res = client
        .post(app.url(path))
        .header("x-csrf-token", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lead_plans_kevin_records_a_session_and_kevin_acknowledges_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = TestApp::demo_store(&dir, 20_000);
    let team = store.agent_team("Kevin M.").unwrap().unwrap();
    let rows = store
        .query_json(
            "SELECT min(name) FROM agents WHERE name <> 'Kevin M.' AND team = ?",
            &[team.as_str()],
        )
        .unwrap();
    let teammate = rows[0][0].as_str().unwrap().to_string();
    let rows = store
        .query_json(
            "SELECT min(team) FROM agents WHERE team <> ?",
            &[team.as_str()],
        )
        .unwrap();
    let other_team = rows[0][0].as_str().unwrap().to_string();
    for (login, role, t, agent) in [
        ("lead", Role::Lead, Some(team.as_str()), None),
        ("otherlead", Role::Lead, Some(other_team.as_str()), None),
        ("manager", Role::Manager, None, None),
        ("kevin", Role::Agent, None, Some("Kevin M.")),
        ("mate", Role::Agent, None, Some(teammate.as_str())),
    ] {
        add_user(&mut store, login, PASSWORD, role, t, agent).unwrap();
    }
    set_language(&mut store, "kevin", Some("es")).unwrap();
    let app = TestApp::serve(store, dir).await;

    // The lead opens Kevin's plan page: no plan yet, and the form.
    let (lead, _) = app.login("lead", PASSWORD).await;
    let (status, html) = app
        .page(&lead, &format!("/coaching/agents/{KEVIN}/plan"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"no-plan\""), "{html}");
    assert!(html.contains("id=\"new-plan\""), "{html}");
    let csrf = TestApp::csrf(&html);

    // A level outside the scale is said on the form.
    let res = app
        .post_form(
            &lead,
            &format!("/coaching/agents/{KEVIN}/plan"),
            &[
                ("csrf", &csrf),
                ("criterion", "concern"),
                ("level", "9"),
                ("within", "2w"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("outside the criterion"), "{html}");

    let res = app
        .post_form(
            &lead,
            &format!("/coaching/agents/{KEVIN}/plan"),
            &[
                ("csrf", &csrf),
                ("criterion", "concern"),
                ("level", "3"),
                ("within", "2w"),
                (
                    "objective",
                    "Acknowledge how the customer feels before solving",
                ),
                ("metrics", "csat, repeat_contact_rate"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    assert_eq!(
        res.headers()[LOCATION].to_str().unwrap(),
        format!("/coaching/agents/{KEVIN}/plan")
    );
    let (_, html) = app
        .page(&lead, &format!("/coaching/agents/{KEVIN}/plan"))
        .await;
    assert!(
        html.contains("Acknowledge how the customer feels"),
        "{html}"
    );
    assert!(
        html.contains("/goals/"),
        "the plan links to its goal: {html}"
    );

    // The API says the same plan, sessions weekly until the deadline.
    let (status, doc) = get_json(&app, &lead, &format!("/api/v1/agents/{KEVIN}/plans")).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    let plan = &doc["current"];
    let id = plan["id"].as_i64().unwrap();
    assert_eq!(plan["criterion"], "concern");
    assert_eq!(plan["language"], "es");
    assert_eq!(plan["due_on"], "2026-07-14");
    let dates: Vec<&str> = plan["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["scheduled_on"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-07-07", "2026-07-14"]);
    let (status, goal) = get_json(&app, &lead, &format!("/api/v1/goals/{}", plan["goal_id"])).await;
    assert_eq!(status, StatusCode::OK, "{goal}");
    assert!(goal.to_string().contains("qa_criterion_rating"), "{goal}");

    // A plan made through the API too, and refused in words when wrong.
    let (status, err) = post_json(
        &app,
        &lead,
        &format!("/api/v1/agents/{KEVIN}/plans"),
        json!({"criterion": "concern", "expected_level": 3, "time_frame": "soon"}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");

    // Sessions to hold: the lead's team's, nothing for another lead.
    let (_, list) = get_json(&app, &lead, "/api/v1/coaching/sessions?as_of=2026-07-08").await;
    assert_eq!(list["overdue"][0]["plan_id"], id, "{list}");
    assert_eq!(list["upcoming"][0]["session_id"], 2, "{list}");
    let (other, _) = app.login("otherlead", PASSWORD).await;
    let (_, list) = get_json(&app, &other, "/api/v1/coaching/sessions?as_of=2026-07-08").await;
    assert_eq!(list["overdue"].as_array().unwrap().len(), 0, "{list}");
    assert_eq!(list["upcoming"].as_array().unwrap().len(), 0, "{list}");
    let (manager, _) = app.login("manager", PASSWORD).await;
    let (_, list) = get_json(&app, &manager, "/api/v1/coaching/sessions").await;
    assert_eq!(list["upcoming"].as_array().unwrap().len(), 2, "{list}");
    let (status, html) = app.page(&lead, "/coaching").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Kevin M."), "{html}");

    // The lead records the first session; Kevin may not, nor acknowledge
    // before it is held.
    let (kevin, _) = app.login("kevin", PASSWORD).await;
    let path = format!("/api/v1/plans/{id}/sessions/1");
    let (status, _) = post_json(&app, &kevin, &path, json!({"notes": "self-made"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post_json(&app, &kevin, &format!("{path}/acknowledge"), json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, s) = post_json(
        &app,
        &lead,
        &path,
        json!({"notes": "Listened to two calls together"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["state"], "held");
    assert!(s["progress_n"].is_number(), "{s}");

    // Kevin sees his plan and acknowledges; the lead may not acknowledge.
    let (status, _) = post_json(&app, &lead, &format!("{path}/acknowledge"), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, doc) = get_json(&app, &kevin, &format!("/api/v1/plans/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    let (status, _) = post_json(&app, &kevin, &format!("{path}/acknowledge"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, doc) = get_json(&app, &kevin, &format!("/api/v1/plans/{id}")).await;
    assert_eq!(doc["sessions"][0]["state"], "acknowledged", "{doc}");
    let (status, html) = app.page(&kevin, "/coaching").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"own-plan\""), "{html}");
    let (_, html) = app
        .page(&kevin, &format!("/coaching/agents/{KEVIN}/plan"))
        .await;
    assert!(
        !html.contains("id=\"new-plan\""),
        "an agent does not coach: {html}"
    );

    // Another agent finds nothing: pages and API.
    let (mate, _) = app.login("mate", PASSWORD).await;
    for path in [
        format!("/api/v1/plans/{id}"),
        format!("/api/v1/agents/{KEVIN}/plans"),
    ] {
        let (status, _) = get_json(&app, &mate, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in [
        format!("/coaching/agents/{KEVIN}/plan"),
        format!("/coaching/plans/{id}/print"),
    ] {
        let (status, _) = app.page(&mate, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = post_json(&app, &mate, &format!("{path}/acknowledge"), json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The printed plan speaks Kevin's language, whoever prints it.
    let (status, html) = app
        .page(&lead, &format!("/coaching/plans/{id}/print"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    assert!(html.contains("Plan de acción: Kevin M."), "{html}");
    assert!(html.contains("@page"), "{html}");
    assert!(html.contains("Listened to two calls together"), "{html}");

    // Every route is in the OpenAPI document.
    let (_, doc) = get_json(&app, &lead, "/api/v1/openapi.json").await;
    for p in [
        "/api/v1/agents/{agent}/plans",
        "/api/v1/plans/{id}",
        "/api/v1/plans/{id}/sessions/{session}",
        "/api/v1/plans/{id}/sessions/{session}/acknowledge",
        "/api/v1/coaching/sessions",
    ] {
        assert!(doc["paths"][p].is_object(), "{p}");
    }
}
