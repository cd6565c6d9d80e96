//! The agent scorecard on the real server: the page and the API agree with
//! the service, an agent sees only their own (another agent's is a 404 on
//! the page and the API alike, as an unknown one), a lead sees their team's
//! and not another team's, and the routes are in the OpenAPI document.

use crate::common::{TestApp, PASSWORD};
use reqwest::header::LOCATION;
use reqwest::StatusCode;
use serde_json::Value;

const KEVIN: &str = "/agents/Kevin%20M./scorecard";

fn agents(list: &Value) -> Vec<String> {
    list["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["agent"].as_str().unwrap().to_string())
        .collect()
}

fn path(agent: &str) -> String {
    format!("/agents/{}/scorecard", agent.replace(' ', "%20"))
}

#[tokio::test]
async fn who_sees_which_scorecard() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let (kevin, _) = app.login("kevin", PASSWORD).await;
    let (li, _) = app.login("li", PASSWORD).await;

    // A manager or administrator: any agent, page and API.
    let (status, body) = app
        .page(&admin, &format!("/api/v1{KEVIN}?as_of=2026-06-30"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let an: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(an["agent"], "Kevin M.");
    assert_eq!(an["team"], "Front Line");
    assert_eq!(an["months"].as_array().unwrap().len(), 4);
    assert_eq!(an["focus"]["criterion"], "concern");
    let (status, html) = app.page(&admin, KEVIN).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"focus-sentence\""), "{html}");
    assert!(
        html.contains("/kpi/volume/interactions?where="),
        "evidence links to the interactions"
    );
    let (status, front) = app
        .page(&admin, "/api/v1/teams/Front%20Line/scorecards")
        .await;
    assert_eq!(status, StatusCode::OK, "{front}");
    let front: Value = serde_json::from_str(&front).unwrap();
    let colleagues: Vec<String> = agents(&front)
        .into_iter()
        .filter(|a| a != "Kevin M.")
        .collect();
    assert!(agents(&front).contains(&"Kevin M.".to_string()));
    let colleague = colleagues.first().expect("Kevin has colleagues").clone();

    // An agent: their own, and 404 for a colleague on page and API.
    let (status, _) = app.page(&kevin, KEVIN).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.page(&kevin, &format!("/api/v1{KEVIN}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for p in [
        path(&colleague),
        format!("/api/v1{}", path(&colleague)),
        path("Nobody At All"),
        "/api/v1/teams/Front%20Line/scorecards".into(),
    ] {
        let (status, body) = app.page(&kevin, &p).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{p}: {body}");
    }
    // The list sends an agent to their own scorecard.
    let res = kevin.get(app.url("/scorecards")).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()[LOCATION], "/agents/Kevin%20M./scorecard");

    // A lead (Technical): the team's agents, not Front Line's.
    let (status, tech) = app.page(&li, "/api/v1/teams/Technical/scorecards").await;
    assert_eq!(status, StatusCode::OK, "{tech}");
    let tech: Value = serde_json::from_str(&tech).unwrap();
    let team = agents(&tech);
    assert!(!team.is_empty());
    let (status, _) = app.page(&li, &path(&team[0])).await;
    assert_eq!(status, StatusCode::OK);
    for p in [
        KEVIN.to_string(),
        format!("/api/v1{KEVIN}"),
        "/api/v1/teams/Front%20Line/scorecards".into(),
    ] {
        let (status, body) = app.page(&li, &p).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{p}: {body}");
    }
    let (status, html) = app.page(&li, "/scorecards").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&path(&team[0]).replace(' ', "%20")), "{html}");
    assert!(!html.contains("Kevin M."));

    // A bad date is the caller's to fix.
    let (status, _) = app
        .page(&admin, &format!("/api/v1{KEVIN}?as_of=June"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The routes are documented.
    let (_, doc) = app.page(&admin, "/api/v1/openapi.json").await;
    assert!(doc.contains("/api/v1/agents/{agent}/scorecard"));
    assert!(doc.contains("/api/v1/teams/{team}/scorecards"));
}
