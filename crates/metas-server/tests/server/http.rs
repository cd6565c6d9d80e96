//! The real server on port 0 with a fresh demo database: login, sessions,
//! CSRF, the error envelope, and data scopes enforced on the server.

use crate::common::{TestApp, PASSWORD};
use metas_service::users::{add_user, Role};
use metas_store::prelude::*;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn sessions_csrf_scopes_and_errors() {
    let app = TestApp::start().await;
    let anonymous = TestApp::client();
    // Pages send strangers to the login; the API answers 401 in its envelope.
    let res = anonymous.get(app.url("/")).send().await.unwrap();
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/login");
    let (status, body) = app.volume(&anonymous, "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthenticated", "{body}");
    // A login form posted without its token is refused.
    let res = anonymous
        .post(app.url("/login"))
        .form(&[
            ("login", "admin"),
            ("password", PASSWORD),
            ("csrf", "forged"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A wrong password says so without telling which part was wrong.
    let (_, res) = app.login("admin", "not the password").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.text().await.unwrap().contains("do not match"));
    // The admin logs in and sees the dashboard.
    let (admin, res) = app.login("admin", PASSWORD).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("metas_session="))
        .expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let (status, html) = app.page(&admin, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Customer satisfaction (CSAT)") && html.contains("<svg"),
        "{html}"
    );
    // Scopes: the admin sees all, the lead the team, the agent themselves —
    // whatever they ask for.
    let (status, all) = app.volume(&admin, "").await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let all_n = all["rows"][0]["n"].as_u64().unwrap();
    let (lead, _) = app.login("li", PASSWORD).await;
    let (_, team) = app.volume(&lead, "").await;
    let (_, team_by_hand) = app
        .volume(&admin, "?where=team%20%3D%20%27Technical%27")
        .await;
    assert_eq!(team["rows"][0]["n"], team_by_hand["rows"][0]["n"]);
    let (agent, _) = app.login("kevin", PASSWORD).await;
    let (_, own) = app.volume(&agent, "").await;
    let (_, escape) = app
        .volume(
            &agent,
            "?where=team%20%3D%20%27Technical%27%20or%20true%20%3D%20true",
        )
        .await;
    let own_n = own["rows"][0]["n"].as_u64().unwrap();
    assert!(own_n > 0 && own_n < team["rows"][0]["n"].as_u64().unwrap().max(all_n));
    assert!(
        escape["rows"][0]["n"].as_u64().unwrap_or(0) <= own_n,
        "{escape}"
    );
    let (_, by_agent) = app.volume(&agent, "?by=agent").await;
    assert_eq!(by_agent["rows"].as_array().unwrap().len(), 1, "{by_agent}");
    assert_eq!(by_agent["rows"][0]["agent"], "Kevin M.");
    // Bad input: 400 with a stable code and the sentence.
    let (status, body) = app.volume(&admin, "?where=colour%20%3D%20%27red%27").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "invalid_input");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("colour"),
        "{body}"
    );
    // Logging out needs the session's token, then ends the session.
    let html = app.page(&admin, "/").await.1;
    let res = admin
        .post(app.url("/logout"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = admin
        .post(app.url("/logout"))
        .form(&[("csrf", TestApp::csrf(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    let (status, _) = app.volume(&admin, "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_failed_logins_are_slowed_down() {
    let app = TestApp::start().await;
    for _ in 0..5 {
        let (_, res) = app.login("li", "wrong password!").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let (_, res) = app.login("li", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // A browser's form gets the error as a page.
    let html = res.text().await.unwrap();
    assert!(
        html.contains(
            &metas_server::i18n::Tr::new(metas_server::i18n::Lang::En).t("error-too-many")
        ),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn goals_and_interactions_follow_the_users_scope() {
    let app = TestApp::start().await;
    let ids = |body: &str| -> Vec<i64> {
        let v: Value = serde_json::from_str(body).unwrap();
        v["goals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_i64().unwrap())
            .collect()
    };
    let (admin, _) = app.login("admin", PASSWORD).await;
    let (lead, _) = app.login("li", PASSWORD).await;
    let (agent, _) = app.login("kevin", PASSWORD).await;
    assert_eq!(
        ids(&app.page(&admin, "/api/v1/goals").await.1),
        vec![1, 2, 3]
    );
    assert_eq!(ids(&app.page(&lead, "/api/v1/goals").await.1), vec![2]);
    assert_eq!(ids(&app.page(&agent, "/api/v1/goals").await.1), vec![3]);
    // Another's goal does not exist for the agent.
    let (status, body) = app.page(&agent, "/api/v1/goals/2").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = app.page(&agent, "/api/v1/goals/3?as_of=2026-06-30").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let t: Value = serde_json::from_str(&body).unwrap();
    assert!(t["now"]["value"].is_number(), "{t}");
    // The interactions behind a number: only the agent's own, whatever is asked.
    let (status, body) = app
        .page(&agent, "/api/v1/interactions?kpi=csat&limit=50")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let rows = v["interactions"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["agent"] == "Kevin M." && r["csat_score"].is_number()),
        "{v}"
    );
    // The CSV export, for a manager.
    let res = admin
        .get(app.url("/api/v1/interactions?where=channel%20%3D%20%27email%27&limit=5&format=csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = res.text().await.unwrap();
    let mut lines = text.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("source,external_id,channel"));
    assert_eq!(lines.count(), 5);
    let (status, _) = app.page(&admin, "/api/v1/interactions?format=xml").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread")]
async fn explorer_and_goal_pages() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let (agent, _) = app.login("kevin", PASSWORD).await;
    // The explorer: chart, table with intervals, the written definition, the drill link.
    let (status, html) = app
        .page(&admin, "/kpi/csat?by=channel&from=2026-01-01&to=2026-06-30")
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("<svg") && html.contains("<td>email</td>"),
        "{html}"
    );
    assert!(
        html.contains("CSAT answers of 4 or more"),
        "the definition is on the page"
    );
    assert!(
        html.contains("/api/v1/interactions?format=csv&#38;kpi=csat"),
        "{html}"
    );
    // A bad segment is said on the page, not as a crash.
    let (status, html) = app.page(&admin, "/kpi/csat?where=colour%20%3D%201").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("colour") && html.contains("role=\"alert\""),
        "{html}"
    );
    // An agent exploring by agent sees one row: their own.
    let (_, html) = app.page(&agent, "/kpi/volume?by=agent").await;
    assert!(
        html.contains("<td>Kevin M.</td>") && html.matches("<tr><td>").count() == 1,
        "{html}"
    );
    // Goals: the tree the user may see, and one goal's page.
    let (status, html) = app.page(&admin, "/goals").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("<span class=\"status").count(), 3, "{html}");
    let (_, html) = app.page(&agent, "/goals").await;
    assert_eq!(html.matches("<span class=\"status").count(), 1, "{html}");
    let (status, html) = app.page(&agent, "/goals/3").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("Milestones") && html.contains("<svg"),
        "{html}"
    );
    let (status, _) = app.page(&agent, "/goals/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_goal_is_checked_and_saved_through_the_form() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let (status, form_page) = app.page(&admin, "/goals/new").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = TestApp::csrf(&form_page);
    // docs/product.md §6.5 example 1, as a manager types it.
    let fields = |action: &'static str, csrf: &str| {
        vec![
            ("csrf", csrf.to_string()),
            ("metric", "csat".into()),
            ("owner", "org".into()),
            ("scope", "customer.age between 55 and 70".into()),
            ("by", "25%".into()),
            ("deadline", "end of the fiscal year".into()),
            ("action", action.into()),
        ]
    };
    let res = admin
        .post(app.url("/goals/new"))
        .form(&fields("check", &csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    for letter in [
        "Specific",
        "Measurable",
        "Achievable",
        "Relevant",
        "Time-bound",
    ] {
        assert!(html.contains(letter), "{letter} in {html}");
    }
    assert!(
        html.contains("relative, taken"),
        "both readings of a rate: {html}"
    );
    // Nothing saved by a check; saving goes to the goal's page.
    let res = admin
        .post(app.url("/goals/new"))
        .form(&fields("save", &csrf))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/goals/4");
    // Without the form's token: refused.
    let res = admin
        .post(app.url("/goals/new"))
        .form(&fields("save", "forged"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // An agent cannot set a goal for a team.
    let (agent, _) = app.login("kevin", PASSWORD).await;
    let page = app.page(&agent, "/goals/new").await.1;
    assert!(
        page.contains("agent:Kevin M."),
        "the agent's own goal is proposed"
    );
    let mut f = fields("save", &TestApp::csrf(&page));
    f[2] = ("owner", "team:Technical".into());
    let res = agent
        .post(app.url("/goals/new"))
        .form(&f)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("may not set goals"));
}

#[tokio::test(flavor = "multi_thread")]
async fn check_ins_commitment_and_reviews_from_the_goal_page() {
    let app = TestApp::start().await;
    let (agent, _) = app.login("kevin", PASSWORD).await;
    let html = app.page(&agent, "/goals/3").await.1;
    let csrf = TestApp::csrf(&html);
    let post = |path: &str, form: Vec<(&'static str, String)>| {
        let req = agent.post(app.url(path)).form(&form);
        async move { req.send().await.unwrap() }
    };
    let res = post(
        "/goals/3/checkin",
        vec![
            ("csrf", csrf.clone()),
            ("comment", "Asked Ana to shadow me".into()),
            ("confidence", "0.6".into()),
        ],
    )
    .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let res = post("/goals/3/commit", vec![("csrf", csrf.clone())]).await;
    assert!(res.status().is_redirection());
    let res = post(
        "/goals/3/review",
        vec![
            ("csrf", csrf.clone()),
            ("decision", "keep".into()),
            ("notes", "on its way".into()),
        ],
    )
    .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let html = app.page(&agent, "/goals/3").await.1;
    assert!(
        html.contains("Asked Ana to shadow me") && html.contains("Committed"),
        "{html}"
    );
    assert!(
        html.contains("kevin reviewed the goal and decided to keep it: “on its way”"),
        "the history says who, as a sentence: {html}"
    );
    // The goals were started on 2026-04-01 with quarterly reviews: the first
    // fell on 2026-07-01, so nothing is overdue on 2026-06-30 but it is due.
    let html = app.page(&agent, "/reviews").await.1;
    assert!(html.contains("Goal 3"), "{html}");
    assert!(!html.contains("Goal 1"), "only the agent's goals: {html}");
    // Someone else's goal, or a forged form: refused.
    let res = post(
        "/goals/1/checkin",
        vec![("csrf", csrf.clone()), ("comment", "x".into())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = post("/goals/3/commit", vec![("csrf", "forged".into())]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = post(
        "/goals/3/review",
        vec![("csrf", csrf), ("decision", "shelve".into())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread")]
async fn api_tokens_stand_for_their_user_until_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = TestApp::demo_store(&dir, 5_000);
    add_user(
        &mut store,
        "kevin",
        PASSWORD,
        Role::Agent,
        None,
        Some("Kevin M."),
    )
    .unwrap();
    let secret = metas_server::random_token();
    let token =
        metas_service::users::create_token(&mut store, "kevin", "crm sync", &secret).unwrap();
    assert!(store.tokens().unwrap()[0]
        .secret_hash
        .starts_with("$argon2id$"));
    let app = TestApp::serve(store, dir).await;
    let mut other = app.connection().await;
    let addr = app.addr;
    let client = reqwest::Client::new();
    let call = |bearer: String| {
        let req = client
            .get(format!("http://{addr}/api/v1/kpi/volume?by=agent"))
            .bearer_auth(bearer);
        async move {
            let res = req.send().await.unwrap();
            (res.status(), res.json::<Value>().await.unwrap())
        }
    };
    // Twice: the second is answered from the verified-token cache.
    for _ in 0..2 {
        let (status, body) = call(token.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body["rows"].as_array().unwrap().len(),
            1,
            "the agent's own data: {body}"
        );
        assert_eq!(body["rows"][0]["agent"], "Kevin M.");
    }
    let (status, _) = call(format!("{token}x")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = call("mt_99_nothing".into()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Revoked: refused at once, even though it was verified before.
    assert!(
        tokio::task::spawn_blocking(move || other.revoke_token(1).unwrap())
            .await
            .unwrap()
    );
    let (status, body) = call(token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
}

/// With `fcr.mode = flag`, the API, the explorer, the dashboard and the
/// settings page all say the flag rule (the text the CLI prints), not the
/// repeat-contact one.
#[tokio::test(flavor = "multi_thread")]
async fn definitions_follow_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = TestApp::demo_store(&dir, 2_000);
    add_user(&mut store, "admin", PASSWORD, Role::Admin, None, None).unwrap();
    metas_service::config::set_setting(&mut store, "fcr.mode", "flag").unwrap();
    let settings = store.settings().unwrap();
    let app = TestApp::serve(store, dir).await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let fcr = metas_domain::kpi::kpi("fcr").unwrap().definition(&settings);
    assert!(
        fcr.text.contains("flags as resolved at first contact"),
        "{}",
        fcr.text
    );
    let body: Value = admin
        .get(app.url("/api/v1/kpi/fcr"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["definition"], fcr.text.as_str(), "{body}");
    for path in ["/kpi/fcr", "/", "/settings"] {
        let (status, html) = app.page(&admin, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains(&fcr.text), "{path} shows the flag rule");
        assert!(
            !html.contains("no repeat contact by the same customer"),
            "{path} still shows the repeat-contact rule"
        );
    }
}
