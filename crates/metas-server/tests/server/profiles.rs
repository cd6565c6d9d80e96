//! Role profiles and candidates on the real server: an agent and a lead not
//! invited get 404 on every candidate page and API call; ratings stay
//! hidden from everyone (managers included) until every assessor has
//! submitted; a hostile candidate name is escaped; erasure after a
//! confirmation; a lead assesses an agent of their team and starts a
//! coaching plan from the largest gap; the OpenAPI document lists the
//! routes.

use crate::common::{TestApp, PASSWORD};
use metas_service::users::{add_user, Role};
use reqwest::StatusCode;
use serde_json::{json, Value};

const AGENT: &str = include_str!("../../../../examples/profiles/agent.toml");
const HOSTILE: &str = "<script>alert(1)</script> Zoë";
const KEYS: [&str; 7] = [
    "customer_orientation",
    "empathy",
    "emotional_intelligence",
    "communication",
    "problem_solving",
    "resilience",
    "product_knowledge",
];

async fn app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut store = TestApp::demo_store(&dir, 3_000);
    for (login, role, team, agent) in [
        ("admin", Role::Admin, None, None),
        ("maria", Role::Manager, None, None),
        ("bo", Role::Manager, None, None),
        ("marta", Role::Lead, Some("Front Line"), None),
        ("li", Role::Lead, Some("Technical"), None),
        ("ana", Role::Lead, Some("Technical"), None),
        ("kevin", Role::Agent, None, Some("Kevin M.")),
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

/// The hostile name is on the page as text: its brackets escaped (as
/// named or numbered entities), the rest as written.
fn escaped(html: &str) -> bool {
    [
        "&lt;script&gt;alert(1)",
        "&#60;script&#62;alert(1)",
        "&#x3c;script&#x3e;alert(1)",
    ]
    .iter()
    .any(|e| html.contains(e))
        && html.contains("Zoë")
}

fn ratings(level: u64, empathy: u64, evidence: &str) -> Value {
    let mut r = serde_json::Map::new();
    for k in KEYS {
        let l = if k == "empathy" { empathy } else { level };
        r.insert(
            k.into(),
            json!({ "level": l, "evidence": format!("{evidence} on {k}") }),
        );
    }
    Value::Object(r)
}

/// Saves the example profile and adds the hostile candidate, rated by ana
/// and bo; returns the candidate's id.
async fn candidate(app: &TestApp, admin: &reqwest::Client) -> i64 {
    let (status, saved) = send_json(
        app,
        admin,
        reqwest::Method::PUT,
        "/api/v1/profiles/agent",
        json!({ "toml": AGENT }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 1);
    let (status, added) = send_json(
        app,
        admin,
        reqwest::Method::POST,
        "/api/v1/candidates",
        json!({ "name": HOSTILE, "profile": "agent", "assessors": ["ana", "bo"] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    added["candidate"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn agents_and_leads_get_404_on_candidates_and_ratings_stay_hidden_until_revealed() {
    let app = app().await;
    let admin = client(&app, "admin").await;
    let id = candidate(&app, &admin).await;

    // An agent and a lead not invited: 404 on every page and call.
    for login in ["kevin", "li"] {
        let c = client(&app, login).await;
        for path in [
            "/api/v1/candidates".to_string(),
            format!("/api/v1/candidates/{id}"),
            "/api/v1/profiles/agent/comparison".to_string(),
        ] {
            let (status, body) = get_json(&app, &c, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{login} {path}: {body}");
            assert!(!body.to_string().contains("Zoë"), "{login} {path}: {body}");
        }
        for path in [
            "/candidates".to_string(),
            format!("/candidates/{id}"),
            format!("/candidates/{id}/assess"),
            format!("/candidates/{id}/erase"),
            "/profiles/agent/compare".to_string(),
        ] {
            let (status, html) = app.page(&c, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{login} {path}");
            assert!(!html.contains("Zoë"), "{login} {path}");
        }
        let (status, _) = send_json(
            &app,
            &c,
            reqwest::Method::POST,
            &format!("/api/v1/candidates/{id}/ratings"),
            json!({ "ratings": ratings(3, 3, "x"), "submit": true }),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{login} rates");
        let (status, _) = send_json(
            &app,
            &c,
            reqwest::Method::DELETE,
            &format!("/api/v1/candidates/{id}"),
            json!({}),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{login} erases");
        // The profile itself is no secret, but the nav has no entry.
        let (status, html) = app.page(&c, "/profiles/agent").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !html.contains("href=\"/profiles\">Profiles</a>"),
            "{login} nav"
        );
    }

    // Ana (a lead, invited) rates and submits.
    let ana = client(&app, "ana").await;
    let (status, v) = send_json(
        &app,
        &ana,
        reqwest::Method::POST,
        &format!("/api/v1/candidates/{id}/ratings"),
        json!({ "ratings": ratings(3, 4, "ANA-EVIDENCE"), "submit": true }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["own"]["ratings"].as_array().unwrap().len(), 7);
    assert_eq!(v["revealed"], false);
    let (status, _) = get_json(&app, &ana, "/api/v1/candidates").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an assessor does not list candidates"
    );

    // Bo (a manager, invited, not finished) sees neither Ana's ratings nor a result.
    let bo = client(&app, "bo").await;
    let (status, v) = get_json(&app, &bo, &format!("/api/v1/candidates/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["revealed"], false);
    assert!(v["result"].is_null());
    assert_eq!(v["assessments"], json!([]));
    assert_eq!(v["own"]["ratings"], json!([]));
    assert!(!v.to_string().contains("ANA-EVIDENCE"), "{v}");
    let (_, html) = app.page(&bo, &format!("/candidates/{id}")).await;
    assert!(!html.contains("ANA-EVIDENCE"));
    assert!(html.contains("id=\"not-revealed\""));
    let (status, html) = app.page(&bo, &format!("/candidates/{id}/assess")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("ANA-EVIDENCE"));
    // Maria (a manager, not an assessor) neither.
    let maria = client(&app, "maria").await;
    let (_, v) = get_json(&app, &maria, &format!("/api/v1/candidates/{id}")).await;
    assert!(!v.to_string().contains("ANA-EVIDENCE"), "{v}");
    let (_, list) = get_json(&app, &maria, "/api/v1/candidates").await;
    assert_eq!(list["candidates"][0]["revealed"], false);
    assert!(list["candidates"][0]["result"].is_null());

    // Bo submits through the form: empathy 4 and 2 → two levels apart.
    let token = app.session_csrf(&bo).await;
    let mut form: Vec<(String, String)> =
        vec![("csrf".into(), token), ("action".into(), "submit".into())];
    for k in KEYS {
        let l = if k == "empathy" { "2" } else { "3" };
        form.push((format!("level.{k}"), l.into()));
        form.push((format!("evidence.{k}"), format!("BO-EVIDENCE on {k}")));
    }
    let res = bo
        .post(app.url(&format!("/candidates/{id}/assess")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Revealed: Maria sees the result; the hostile name is escaped.
    let (_, v) = get_json(&app, &maria, &format!("/api/v1/candidates/{id}")).await;
    assert_eq!(v["revealed"], true);
    assert_eq!(v["result"]["disagreements"], json!(["empathy"]));
    assert_eq!(v["assessments"].as_array().unwrap().len(), 2);
    let (status, html) = app.page(&maria, &format!("/candidates/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"result\""));
    assert!(html.contains("ANA-EVIDENCE") && html.contains("BO-EVIDENCE"));
    assert!(escaped(&html), "escaped");
    assert!(!html.contains("<script>alert"), "not raw");
    assert!(html.contains("class=\"disagree\""));
    let (status, html) = app.page(&maria, "/profiles/agent/compare").await;
    assert_eq!(status, StatusCode::OK);
    assert!(escaped(&html) && !html.contains("<script>alert"));
    let (status, html) = app.page(&maria, "/candidates").await;
    assert_eq!(status, StatusCode::OK);
    assert!(escaped(&html) && !html.contains("<script>alert"));
    // Ana, not a manager, still sees only her own ratings after the reveal.
    let (_, v) = get_json(&app, &ana, &format!("/api/v1/candidates/{id}")).await;
    assert!(v["result"].is_null());
    assert!(!v.to_string().contains("BO-EVIDENCE"), "{v}");

    // Erased after a confirmation; gone everywhere.
    let (status, html) = app.page(&maria, &format!("/candidates/{id}/erase")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"erase-yes\""));
    let token = app.session_csrf(&maria).await;
    let res = app
        .post_form(
            &maria,
            &format!("/candidates/{id}/erase"),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("id=\"erased\""));
    let (status, _) = get_json(&app, &maria, &format!("/api/v1/candidates/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get_json(&app, &ana, &format!("/api/v1/candidates/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn profiles_pages_editor_and_api() {
    let app = app().await;
    let maria = client(&app, "maria").await;
    // A bad file through the editor: the sentence names the line and field.
    let token = app.session_csrf(&maria).await;
    let bad = AGENT.replacen("weight = 1.5", "weight = 0", 1);
    let res = app
        .post_form(
            &maria,
            "/profiles",
            &[("csrf", &token), ("name", "agent"), ("toml", &bad)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("agent.toml line ") && html.contains("competencies[3].weight"),
        "{html}"
    );
    let res = app
        .post_form(
            &maria,
            "/profiles",
            &[("csrf", &token), ("name", "agent"), ("toml", AGENT)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let (status, html) = app.page(&maria, "/profiles/agent").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-competency=\"empathy\""));
    assert!(
        html.contains("href=\"/profiles\">Profiles</a>"),
        "the nav entry"
    );
    // The library's text in the reader's language; the file keeps English.
    let res = maria
        .get(app.url("/profiles/agent"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("同理心") && html.contains("察觉不到或不回应客户的感受。"));
    assert!(!html.contains("Does not notice or acknowledge"));
    let (status, v) = get_json(&app, &maria, "/api/v1/profiles/agent").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["profile"]["competencies"][1]["label"], "Empathy");
    let (status, _) = get_json(&app, &maria, "/api/v1/profiles/nobody").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A lead may not save a profile.
    let li = client(&app, "li").await;
    let (status, _) = send_json(
        &app,
        &li,
        reqwest::Method::PUT,
        "/api/v1/profiles/agent",
        json!({ "toml": AGENT }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, doc) = get_json(&app, &maria, "/api/v1/openapi.json").await;
    for path in [
        "/api/v1/profiles",
        "/api/v1/profiles/{name}",
        "/api/v1/candidates",
        "/api/v1/candidates/{id}",
        "/api/v1/candidates/{id}/ratings",
        "/api/v1/assessments",
        "/api/v1/assessments/{id}/plan",
        "/api/v1/agents/{agent}/assessments",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}

#[tokio::test]
async fn a_lead_assesses_an_agent_of_their_team_and_starts_a_plan_from_the_gap() {
    let app = app().await;
    let admin = client(&app, "admin").await;
    candidate(&app, &admin).await;
    // Li leads another team: Kevin is not there for him.
    let li = client(&app, "li").await;
    let (status, _) = send_json(
        &app,
        &li,
        reqwest::Method::POST,
        "/api/v1/assessments",
        json!({ "agent": "Kevin M.", "profile": "agent" }),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Marta, his lead, assesses him: empathy 1 against 3 is the largest gap.
    let marta = client(&app, "marta").await;
    let (status, v) = send_json(
        &app,
        &marta,
        reqwest::Method::POST,
        "/api/v1/assessments",
        json!({ "agent": "Kevin M.", "profile": "agent", "ratings": ratings(3, 1, "seen"), "submit": true }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let id = v["assessment"]["id"].as_i64().unwrap();
    assert_eq!(v["result"]["gaps"][0][0], "empathy");
    assert_eq!(v["result"]["must_haves_missed"], json!(["empathy"]));
    // Kevin sees his own assessment; Li does not.
    let kevin = client(&app, "kevin").await;
    let (status, _) = get_json(&app, &kevin, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get_json(&app, &li, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, html) = app.page(&marta, &format!("/assessments/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"plan-from-gap\""));
    let (status, html) = app.page(&kevin, &format!("/assessments/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("id=\"plan-from-gap\""));
    let (status, _) = app.page(&li, &format!("/assessments/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The page's form starts a new assessment and opens its form.
    let token = app.session_csrf(&marta).await;
    let res = app
        .post_form(
            &marta,
            "/assessments",
            &[
                ("csrf", &token),
                ("agent", "Kevin M."),
                ("profile", "agent"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to.starts_with("/assessments/") && to.ends_with("/rate"),
        "{to}"
    );
    let (status, html) = app.page(&marta, &to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"level.empathy\""));
    // Kevin may not start his own plan.
    let (status, _) = send_json(
        &app,
        &kevin,
        reqwest::Method::POST,
        &format!("/api/v1/assessments/{id}/plan"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, v) = send_json(
        &app,
        &marta,
        reqwest::Method::POST,
        &format!("/api/v1/assessments/{id}/plan"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let plan = v["plan"].as_i64().unwrap();
    let (status, p) = get_json(&app, &marta, &format!("/api/v1/plans/{plan}")).await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["criterion"], "concern");
    assert_eq!(p["expected_level"], 3.0);
}

/// An agent's assessments, newest first with their fit and largest gap:
/// their lead sees the draft they started, the agent only what was
/// submitted, a lead of another team nothing; the page says what the API says.
#[tokio::test]
async fn an_agents_assessments_are_listed_for_whoever_may_see_them() {
    let app = app().await;
    let admin = client(&app, "admin").await;
    candidate(&app, &admin).await;
    let marta = client(&app, "marta").await;
    let (status, v) = send_json(
        &app,
        &marta,
        reqwest::Method::POST,
        "/api/v1/assessments",
        json!({ "agent": "Kevin M.", "profile": "agent", "ratings": ratings(3, 1, "seen"), "submit": true }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let submitted = v["assessment"]["id"].as_i64().unwrap();
    let fit = v["result"]["fit"].as_f64().unwrap();
    let (status, v) = send_json(
        &app,
        &marta,
        reqwest::Method::POST,
        "/api/v1/assessments",
        json!({ "agent": "Kevin M.", "profile": "agent" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let draft = v["assessment"]["id"].as_i64().unwrap();

    let path = "/api/v1/agents/Kevin%20M./assessments";
    let (status, v) = get_json(&app, &marta, path).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let list = v["assessments"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{v}");
    assert_eq!(list[0]["id"], draft);
    assert!(list[0]["submitted_at"].is_null() && list[0]["fit"].is_null());
    assert_eq!(list[1]["id"], submitted);
    assert_eq!(list[1]["fit"].as_f64(), Some(fit));
    assert_eq!(list[1]["largest_gap"], json!(["empathy", 2.0]));
    assert_eq!(list[1]["must_haves_missed"], json!(["empathy"]));

    let kevin = client(&app, "kevin").await;
    let (status, v) = get_json(&app, &kevin, path).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let ids: Vec<i64> = v["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["id"].as_i64())
        .collect();
    assert_eq!(ids, vec![submitted]);
    let li = client(&app, "li").await;
    let (status, _) = get_json(&app, &li, path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.page(&li, "/agents/Kevin%20M./assessments").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, html) = app.page(&marta, "/agents/Kevin%20M./assessments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("href=\"/assessments/{submitted}\"")),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"/assessments/{draft}\"")),
        "{html}"
    );
    assert!(html.contains(&format!("{fit:.0}%")), "{html}");
    assert!(html.contains("2.0 levels below"), "{html}");
    let (status, html) = app.page(&kevin, "/agents/Kevin%20M./assessments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !html.contains(&format!("href=\"/assessments/{draft}\"")),
        "{html}"
    );
    // The assessment's page leads back to the list.
    let (_, html) = app.page(&marta, &format!("/assessments/{submitted}")).await;
    assert!(
        html.contains("href=\"/agents/Kevin%20M./assessments\""),
        "{html}"
    );
}

/// A manager invites one more assessor and adds a note, on the page and
/// through the API; a lead who is not invited gets 404 on both routes, a
/// login that is no user is refused in words, and a second invitation of
/// the same assessor is refused.
#[tokio::test]
async fn managers_invite_assessors_and_add_notes_on_the_page_and_the_api() {
    let app = app().await;
    let admin = client(&app, "admin").await;
    let id = candidate(&app, &admin).await;
    let path = |tail: &str| format!("/api/v1/candidates/{id}/{tail}");

    let (status, view) = send_json(
        &app,
        &admin,
        reqwest::Method::POST,
        &path("assessors"),
        json!({ "assessor": "li" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let assessors: Vec<&str> = view["assessors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["assessor"].as_str().unwrap())
        .collect();
    assert_eq!(assessors.len(), 3, "{view}");
    assert!(assessors.contains(&"li"), "{view}");
    for (body, want) in [
        (json!({ "assessor": "li" }), StatusCode::CONFLICT),
        (json!({ "assessor": "nobody" }), StatusCode::BAD_REQUEST),
    ] {
        let (status, err) = send_json(
            &app,
            &admin,
            reqwest::Method::POST,
            &path("assessors"),
            body,
        )
        .await;
        assert_eq!(status, want, "{err}");
        assert!(err["error"]["message"].as_str().is_some(), "{err}");
    }

    let (status, view) = send_json(
        &app,
        &admin,
        reqwest::Method::POST,
        &path("notes"),
        json!({ "text": "Strong on the phone <b>test</b>" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["notes"].as_array().unwrap().len(), 1, "{view}");
    let (status, _) = send_json(
        &app,
        &admin,
        reqwest::Method::POST,
        &path("notes"),
        json!({ "text": "   " }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A lead who is not an assessor: 404 on both, nothing added.
    let marta = client(&app, "marta").await;
    for (tail, body) in [
        ("assessors", json!({ "assessor": "marta" })),
        ("notes", json!({ "text": "mine" })),
    ] {
        let (status, _) = send_json(&app, &marta, reqwest::Method::POST, &path(tail), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{tail}");
    }

    // The page: the form invites, and the assessor is listed.
    let (_, html) = app.page(&admin, &format!("/candidates/{id}")).await;
    assert!(html.contains("id=\"invite\""), "the invite form");
    let csrf = app.session_csrf(&admin).await;
    let res = app
        .post_form(
            &admin,
            &format!("/candidates/{id}/assessors"),
            &[("csrf", &csrf), ("assessor", "maria")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page(&admin, &format!("/candidates/{id}")).await;
    assert!(html.contains("data-assessor=\"maria\""), "maria is listed");
    let (_, view) = get_json(&app, &admin, &format!("/api/v1/candidates/{id}")).await;
    assert_eq!(view["assessors"].as_array().unwrap().len(), 4, "{view}");
    assert_eq!(view["notes"].as_array().unwrap().len(), 1, "{view}");
}
