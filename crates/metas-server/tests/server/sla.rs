//! The Time objectives page and `/api/v1/sla/…` on the real server: a policy
//! saved from the page's form and through the API, its figures on the page
//! equal to the KPI API's, a bad policy said on its form with its line,
//! breaches and stages at risk narrowed to the user's scope and equal to the
//! service's (what `metas sla breaches` prints), who may edit, and every
//! route behind a session and a CSRF token.

use crate::common::{TestApp, PASSWORD};
use metas_domain::kpi::Unit;
use metas_server::i18n::{Lang, Tr};
use metas_service::users::{add_user, Role};
use metas_store::StageFilter;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Chats: acknowledged within a minute, resolved within eight hours.
const CHAT: &str = "order = 1
where = \"channel = 'chat'\"
warning = \"50%\"

[targets]
acknowledge = \"60s\"
resolution = \"8h\"
";

/// Everything else: tight enough that every agent has breaches, and
/// tickets still open on the last days at risk of not closing in time.
const EVERYTHING: &str = "order = 2
warning = \"25%\"

[targets]
acknowledge = \"5m\"
resolution = \"4h\"
completion = \"3d\"
";

/// Tickets open on the demo's last morning: each past a quarter of its
/// three days to close, not yet due (one closed ticket says the source
/// records resolutions and closings, so open ones are measurable).
const OPEN_TICKETS: &str = "\
external_id,channel,created_at,first_response_at,resolved_at,closed_at,status,agent,team
K-0,email,2026-06-26T09:00:00Z,2026-06-26T09:02:00Z,2026-06-26T11:00:00Z,2026-06-26T12:00:00Z,closed,Kevin M.,Technical
K-1,email,2026-06-27T12:00:00Z,2026-06-27T12:02:00Z,,,open,Kevin M.,Technical
K-2,email,2026-06-28T08:00:00Z,2026-06-28T08:03:00Z,,,open,Kevin M.,Technical
A-1,email,2026-06-28T15:00:00Z,2026-06-28T15:01:00Z,,,open,Ana P.,Technical
";

/// The moment the lists are read at: the demo's last day, mid-morning.
const AS_OF: &str = "2026-06-30T10:00:00Z";

/// The text between `<tbody>` and `</tbody>` of the table with this id,
/// row by row, cell texts.
fn table(html: &str, id: &str) -> Vec<Vec<String>> {
    let Some(at) = html.find(&format!("<table id=\"{id}\">")) else {
        return vec![];
    };
    let body = &html[at..];
    let body = &body[body.find("<tbody>").unwrap() + 7..body.find("</tbody>").unwrap()];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let inner = &cell[cell.find('>').unwrap() + 1..];
                    let inner = &inner[..inner.find("</td>").unwrap()];
                    // Tags inside a cell (a link) are left out.
                    let mut text = String::new();
                    let mut in_tag = false;
                    for c in inner.chars() {
                        match c {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    unescape(&text)
                })
                .collect()
        })
        .collect()
}

/// Text as the page escaped it, as written.
fn unescape(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// What a page says went wrong (its alerts), for a failing assertion.
fn said(html: &str) -> String {
    html.split("role=\"alert\"")
        .skip(1)
        .map(|s| s[..s.find("</p>").unwrap_or(s.len())].to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A client's session token, for API calls made with the cookie.
async fn put_policy(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    toml: &str,
) -> (StatusCode, Value) {
    let token = app.session_csrf(client).await;
    let res = client
        .put(app.url(&format!("/api/v1/sla/policies/{name}")))
        .header("x-csrf-token", token)
        .json(&json!({ "toml": toml }))
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

async fn get_json(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, Value) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status(), res.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_saves_a_policy_from_the_page_and_its_figures_appear() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let en = Tr::new(Lang::En);

    // No policy: the page says so and offers the editor with an example.
    let (status, html) = app.page(&admin, "/sla").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"no-policy\""), "{html}");
    assert!(html.contains(&en.t("sla-no-policy-editor")));
    assert!(html.contains("id=\"new-policy\""));
    assert!(html.contains("acknowledge = &#34;60s&#34;"), "the example");
    assert!(
        !html.contains("id=\"attainment\""),
        "no figures without a policy"
    );
    // The navigation leads here, in every page.
    let (_, home) = app.page(&admin, "/").await;
    assert!(home.contains(&format!("<a href=\"/sla\">{}</a>", en.t("nav-sla"))));

    // Saved from the form: version 1, every interaction judged.
    let csrf = TestApp::csrf(&html);
    let res = app
        .post_form(
            &admin,
            "/sla/policies",
            &[("csrf", &csrf), ("name", "Chat"), ("toml", CHAT)],
        )
        .await;
    let status = res.status();
    let html = res.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{}", said(&html));
    assert!(
        html.contains("Policy Chat saved as version 1; ") && html.contains(" interactions judged."),
        "{html}"
    );
    // A second policy through the API.
    let (status, saved) = put_policy(&app, &admin, "Everything", EVERYTHING).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["policy"]["name"], "Everything");
    assert!(
        saved["judged"]["stages"].as_u64().unwrap() > 1000,
        "{saved}"
    );

    // The figures: by stage, the KPI API's values, n and sorted by value.
    let (status, html) = app.page(&admin, &format!("/sla?as_of={AS_OF}")).await;
    assert_eq!(status, StatusCode::OK, "{}", said(&html));
    let rows = table(&html, "stage-figures");
    let (_, doc) = get_json(&app, &admin, "/api/v1/kpi/sla_attainment?by=stage").await;
    let api_rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), api_rows.len(), "{rows:?}");
    assert!(
        rows.len() >= 3,
        "acknowledge, resolution, completion: {rows:?}"
    );
    for r in api_rows {
        let stage = r["stage"].as_str().unwrap();
        let name = en.t(&format!("sla-stage-{}", stage.replace('_', "-")));
        let row = rows.iter().find(|c| c[0] == name).unwrap();
        assert_eq!(
            row[1],
            en.value(Unit::Rate, r["value"].as_f64().unwrap()),
            "{stage}"
        );
        assert_eq!(row[2], en.count(r["n"].as_u64().unwrap()), "{stage}");
    }
    let values: Vec<f64> = rows
        .iter()
        .map(|r| r[1].trim_end_matches(" %").parse().unwrap())
        .collect();
    assert!(
        values.windows(2).all(|w| w[0] >= w[1]),
        "sorted: {values:?}"
    );
    // A bar per stage, a line per stage by month, the monthly table.
    assert_eq!(html.matches("<g class=\"bar\"").count(), rows.len(), "bars");
    assert!(html.contains("id=\"chart-months\""));
    assert!(html.matches("<g class=\"group\"").count() >= 3, "lines");
    assert!(table(&html, "month-figures").len() >= 3 * 12);
    // Breaches at that moment, with their policy version and target.
    let breaches = table(&html, "breach-list");
    assert!(!breaches.is_empty());
    assert!(
        breaches.iter().any(|b| b[3] == "Everything v1"),
        "{breaches:?}"
    );
    assert!(html.contains("As of 30 Jun 2026 10:00 UTC."));
    // The policies in force, with their text in the editor.
    let policies = table(&html, "policy-list");
    assert_eq!(
        policies.iter().map(|p| p[1].as_str()).collect::<Vec<_>>(),
        ["Chat v1", "Everything v1"]
    );
    assert_eq!(policies[0][2], "channel = 'chat'");
    assert!(
        policies[0][4].starts_with("Acknowledge 1m, Resolution 8h"),
        "{policies:?}"
    );
    assert!(policies[1][4].starts_with("Acknowledge 5m, Resolution 4h, Completion 72h"));
    assert!(html.contains("At risk from 50 % of the target"));
    assert!(html.contains("At risk from 25 % of the target"));

    // A filter narrows the figures; a bad one is said, the policies stay.
    let (status, html) = app
        .page(&admin, "/sla?where=channel%20%3D%20%27email%27")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(table(&html, "breach-list").iter().all(|b| b[1] == "email"));
    let (status, html) = app.page(&admin, "/sla?where=channel%20%3D").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("id=\"filter-error\""));
    assert!(html.contains("id=\"policy-list\""));
    let (status, html) = app.page(&admin, "/sla?as_of=soon").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("as_of &#39;soon&#39;"), "{html}");

    // Saving again makes version 2; retiring takes it out of the list.
    let csrf = app.session_csrf(&admin).await;
    let edited = CHAT.replace("60s", "90s");
    let res = app
        .post_form(
            &admin,
            "/sla/policies",
            &[("csrf", &csrf), ("name", "Chat"), ("toml", &edited)],
        )
        .await;
    let html = res.text().await.unwrap();
    assert!(html.contains("Policy Chat saved as version 2"), "{html}");
    assert!(table(&html, "policy-list")[0][4].starts_with("Acknowledge 1m30s"));
    assert!(html.contains("Version 1, saved "), "the history");
    let res = app
        .post_form(
            &admin,
            "/sla/policies/delete",
            &[("csrf", &csrf), ("name", "Chat")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Policy Chat retired; "), "{html}");
    let policies = table(&html, "policy-list");
    assert_eq!(policies.len(), 1);
    assert_eq!(policies[0][1], "Everything v1");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_policy_is_said_on_its_form_with_its_line() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let csrf = app.session_csrf(&admin).await;
    let bad = CHAT.replace("\"8h\"", "\"8\"");
    let res = app
        .post_form(
            &admin,
            "/sla/policies",
            &[("csrf", &csrf), ("name", "Chat"), ("toml", &bad)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    // The service's sentence, with the line and field, on the form, which
    // keeps what was typed.
    let error = "Chat.toml line 7: targets.resolution: &#39;8&#39; has no unit";
    let at = html
        .find("id=\"new-policy-error\"")
        .expect("the form's error");
    assert!(html[at..].contains(error), "{html}");
    assert!(html.contains("resolution = &#34;8&#34;"), "the text kept");
    assert!(html.contains("id=\"no-policy\""), "nothing was saved");
    // A TOML syntax error and a calendar that does not exist.
    for (toml, said) in [
        ("order = \n", "Chat.toml line 1: "),
        (
            "calendar = \"support\"\n[targets]\nacknowledge = \"1m\"\n",
            "the calendar &#39;support&#39;, which does not exist",
        ),
    ] {
        let res = app
            .post_form(
                &admin,
                "/sla/policies",
                &[("csrf", &csrf), ("name", "Chat"), ("toml", toml)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let html = res.text().await.unwrap();
        assert!(html.contains(said), "{said}: {html}");
    }
    // The same sentence from the API.
    let (status, err) = put_policy(&app, &admin, "Chat", &bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"]["code"], "invalid_input");
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Chat.toml line 7: targets.resolution: '8' has no unit"),
        "{message}"
    );
    // An edit refused on an existing policy's form stays on that form.
    let (status, _) = put_policy(&app, &admin, "Chat", CHAT).await;
    assert_eq!(status, StatusCode::OK);
    let res = app
        .post_form(
            &admin,
            "/sla/policies",
            &[("csrf", &csrf), ("name", "Chat"), ("toml", &bad)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    let form = &html[html
        .find("<details class=\"policy\" data-policy=\"Chat\" open>")
        .expect("its form, open")..];
    assert!(form[..form.find("</details>").unwrap()].contains(error));
    assert!(!html.contains("id=\"new-policy-error\""));
    let (_, versions) = get_json(&app, &admin, "/api/v1/sla/policies/Chat/versions").await;
    assert_eq!(
        versions["versions"].as_array().unwrap().len(),
        1,
        "not saved"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn policies_through_the_api_and_who_may_change_them() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let token = app.session_csrf(&admin).await;
    let res = admin
        .post(app.url("/api/v1/users"))
        .header("x-csrf-token", &token)
        .json(&json!({ "login": "mia", "password": PASSWORD, "role": "manager" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // No policy yet: the lists say how to define one.
    let (status, err) = get_json(&app, &admin, "/api/v1/sla/breaches").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("none is defined"));
    let (_, list) = get_json(&app, &admin, "/api/v1/sla/policies").await;
    assert_eq!(list, json!({ "policies": [] }));

    // A manager may save, a lead and an agent may not (from the API or the page).
    let (manager, _) = app.login("mia", PASSWORD).await;
    let (status, saved) = put_policy(&app, &manager, "Chat", CHAT).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["policy"]["saved_by"], "mia");
    for login in ["li", "kevin"] {
        let (client, _) = app.login(login, PASSWORD).await;
        let (status, err) = put_policy(&app, &client, "Chat", EVERYTHING).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{login}");
        assert_eq!(err["error"]["code"], "forbidden");
        let token = app.session_csrf(&client).await;
        let res = client
            .delete(app.url("/api/v1/sla/policies/Chat"))
            .header("x-csrf-token", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{login}");
        for (path, form) in [
            (
                "/sla/policies",
                vec![
                    ("csrf", token.as_str()),
                    ("name", "Chat"),
                    ("toml", EVERYTHING),
                ],
            ),
            (
                "/sla/policies/delete",
                vec![("csrf", token.as_str()), ("name", "Chat")],
            ),
        ] {
            let res = app.post_form(&client, path, &form).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{login} {path}");
        }
        // They see the policies, without the editor.
        let (status, html) = app.page(&client, "/sla").await;
        assert_eq!(status, StatusCode::OK, "{}", said(&html));
        assert!(html.contains("id=\"policy-list\""));
        assert!(!html.contains("id=\"new-policy\"") && !html.contains("<textarea"));
        let (_, list) = get_json(&app, &client, "/api/v1/sla/policies").await;
        assert_eq!(list["policies"][0]["name"], "Chat");
    }
    let (_, html) = app.page(&manager, "/sla").await;
    assert!(html.contains("id=\"new-policy\""), "a manager edits");

    // Versions: a second save retires the first, never changes it.
    let (_, saved) = put_policy(&app, &admin, "Chat", &CHAT.replace("60s", "2m")).await;
    assert_eq!(saved["version"], 2);
    let (status, doc) = get_json(&app, &admin, "/api/v1/sla/policies/Chat/versions").await;
    assert_eq!(status, StatusCode::OK);
    let versions = doc["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    // (Kept as the checked policy writes it: 60s is 1m.)
    assert_eq!(versions[0]["spec"]["targets"]["acknowledge"], "1m");
    assert!(versions[0]["retired_at"].is_string());
    assert_eq!(versions[1]["spec"]["targets"]["acknowledge"], "2m");
    assert!(versions[1]["retired_at"].is_null());
    let (_, list) = get_json(&app, &admin, "/api/v1/sla/policies").await;
    let toml = list["policies"][0]["toml"].as_str().unwrap();
    assert!(toml.contains("acknowledge = \"2m\""), "{toml}");
    // Its text saves the same policy again.
    let (_, again) = put_policy(&app, &admin, "Chat", toml).await;
    assert_eq!(again["policy"]["spec"], list["policies"][0]["spec"]);

    // Retired: gone from the list, its versions kept; twice is not found.
    let res = admin
        .delete(app.url("/api/v1/sla/policies/Chat"))
        .header("x-csrf-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["retired"], "Chat");
    let (_, list) = get_json(&app, &admin, "/api/v1/sla/policies").await;
    assert_eq!(list, json!({ "policies": [] }));
    let (_, doc) = get_json(&app, &admin, "/api/v1/sla/policies/Chat/versions").await;
    assert_eq!(doc["versions"].as_array().unwrap().len(), 3);
    let res = admin
        .delete(app.url("/api/v1/sla/policies/Chat"))
        .header("x-csrf-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (status, _) = get_json(&app, &admin, "/api/v1/sla/policies/Nope/versions").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The stages the service lists (what `metas sla breaches --format json`
/// prints) for a user's scope, as JSON.
fn service_stages(
    store: &metas_store::Store,
    wanted: StageFilter,
    as_of: jiff::Timestamp,
    user: Option<&metas_service::users::User>,
) -> Value {
    let scope = user.and_then(|u| u.data_scope());
    let rows = metas_service::sla::stages(store, wanted, as_of, scope.as_ref(), 100_000).unwrap();
    serde_json::to_value(rows).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn breaches_and_stages_at_risk_are_the_services_within_each_users_scope() {
    // The database is prepared, and the service asked, before it is served.
    let dir = tempfile::tempdir().unwrap();
    let mut store = TestApp::demo_store(&dir, 6_000);
    // The demo's tickets still open are few: a handful more for Kevin M.
    // and a teammate, open on the last morning.
    let extra = dir.path().join("open.csv");
    std::fs::write(&extra, OPEN_TICKETS).unwrap();
    let mut options =
        metas_ingest::ImportOptions::new(metas_ingest::MappingChoice::Preset("generic".into()));
    options.source = Some("helpdesk".into());
    let report = metas_ingest::import_file(&mut store, &extra, &options).unwrap();
    assert_eq!(report.rejected, 0, "{report:?}");
    for (login, role, team, agent) in [
        ("admin", Role::Admin, None, None),
        ("li", Role::Lead, Some("Technical"), None),
        ("kevin", Role::Agent, None, Some("Kevin M.")),
    ] {
        add_user(&mut store, login, PASSWORD, role, team, agent).unwrap();
    }
    let now: jiff::Timestamp = "2026-07-01T00:00:00Z".parse().unwrap();
    for (name, text) in [("Chat", CHAT), ("Everything", EVERYTHING)] {
        let policy = metas_service::sla::parse_policy(name, text, "test").unwrap();
        metas_service::sla::save_policy(&mut store, &policy, "test", now).unwrap();
    }
    let as_of: jiff::Timestamp = AS_OF.parse().unwrap();
    let users = metas_service::users::list(&store).unwrap();
    let user = |login: &str| users.iter().find(|u| u.login == login).unwrap().clone();
    let mut expected = Vec::new();
    for login in ["admin", "li", "kevin"] {
        let u = user(login);
        for wanted in [StageFilter::Breached, StageFilter::AtRisk] {
            expected.push((
                login,
                wanted,
                service_stages(&store, wanted, as_of, Some(&u)),
            ));
        }
    }
    let app = TestApp::serve(store, dir).await;

    for (login, wanted, want) in expected {
        let (client, _) = app.login(login, PASSWORD).await;
        let path = match wanted {
            StageFilter::Breached => "breaches",
            StageFilter::AtRisk => "at-risk",
        };
        let (status, doc) = get_json(
            &app,
            &client,
            &format!("/api/v1/sla/{path}?as_of={AS_OF}&limit=100000"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{login} {path}: {doc}");
        assert_eq!(doc["as_of"], AS_OF);
        assert_eq!(doc["stages"], want, "{login} {path}");
        let rows = want.as_array().unwrap();
        assert!(!rows.is_empty(), "{login} {path}: nothing to compare");
        // Each user's own scope: an agent's stages, a lead's team's.
        for r in rows {
            match login {
                "kevin" => assert_eq!(r["agent"], "Kevin M."),
                "li" => assert_eq!(r["team"], "Technical"),
                _ => {}
            }
        }
        if login == "admin" {
            let agents: std::collections::BTreeSet<&str> =
                rows.iter().filter_map(|r| r["agent"].as_str()).collect();
            assert!(agents.len() > 3, "everyone's: {agents:?}");
        }
        if wanted == StageFilter::AtRisk {
            // Open, past the warning, not yet due.
            for r in rows {
                assert_eq!(r["state"], "pending");
                let due: jiff::Timestamp = r["due_at"].as_str().unwrap().parse().unwrap();
                assert!(due >= AS_OF.parse().unwrap());
            }
        }
    }

    // A filter never widens the scope: Kevin asking for another agent gets nothing.
    let (kevin, _) = app.login("kevin", PASSWORD).await;
    let (status, doc) = get_json(
        &app,
        &kevin,
        &format!("/api/v1/sla/breaches?as_of={AS_OF}&where=agent%20%3D%20%27Ana%20P.%27"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["stages"], json!([]));
    // The page lists Kevin's breaches only, and links the CSV of them all.
    let (status, html) = app.page(&kevin, &format!("/sla?as_of={AS_OF}")).await;
    assert_eq!(status, StatusCode::OK, "{}", said(&html));
    let listed = table(&html, "breach-list");
    assert!(!listed.is_empty());
    assert!(listed.iter().all(|b| b[2] == "Kevin M."), "{listed:?}");
    let at = html.find("id=\"breaches-csv\"").unwrap();
    let href = html[..at].rsplit("href=\"").next().unwrap();
    let href = unescape(&href[..href.find('"').unwrap()]);
    assert!(
        href.starts_with("/api/v1/sla/breaches?format=csv"),
        "{href}"
    );
    let res = kevin.get(app.url(&href)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        metas_service::sla::STAGE_CSV_COLUMNS
    );
    let from_csv: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[8].to_string())
        })
        .collect();
    let (_, doc) = get_json(
        &app,
        &kevin,
        &format!("/api/v1/sla/breaches?as_of={AS_OF}&limit=100000"),
    )
    .await;
    let from_json: Vec<(String, String)> = doc["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["external_id"].as_str().unwrap().to_string(),
                r["stage"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(from_csv, from_json);
    // At risk on the page: due time and time left.
    let (_, html) = app.page(&kevin, &format!("/sla?as_of={AS_OF}")).await;
    let risk = table(&html, "risk-list");
    if let Some(first) = risk.first() {
        assert!(
            first[6].contains("30 Jun 2026") && !first[7].is_empty(),
            "{first:?}"
        );
    }
}

/// Pages without a session go to the login, API calls get 401, forms
/// refuse a forged token, and the OpenAPI document describes every route.
#[tokio::test(flavor = "multi_thread")]
async fn every_sla_route_needs_a_session_and_is_described() {
    let app = TestApp::start().await;
    let anon = TestApp::client();
    let res = anon.get(app.url("/sla")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], "/login");
    let routes = [
        ("GET", "/api/v1/sla/policies", "get"),
        ("PUT", "/api/v1/sla/policies/{name}", "put"),
        ("DELETE", "/api/v1/sla/policies/{name}", "delete"),
        ("GET", "/api/v1/sla/policies/{name}/versions", "get"),
        ("GET", "/api/v1/sla/breaches", "get"),
        ("GET", "/api/v1/sla/at-risk", "get"),
    ];
    for (method, path, _) in routes {
        let res = anon
            .request(
                method.parse().unwrap(),
                app.url(&path.replace("{name}", "Chat")),
            )
            .header(CONTENT_TYPE, "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    let (admin, _) = app.login("admin", PASSWORD).await;
    for (path, form) in [
        (
            "/sla/policies",
            vec![("csrf", "forged"), ("name", "Chat"), ("toml", CHAT)],
        ),
        (
            "/sla/policies/delete",
            vec![("csrf", "forged"), ("name", "Chat")],
        ),
    ] {
        let res = app.post_form(&admin, path, &form).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // With the cookie, a change without the CSRF header is refused too.
    let res = admin
        .put(app.url("/api/v1/sla/policies/Chat"))
        .json(&json!({ "toml": CHAT }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (_, list) = get_json(&app, &admin, "/api/v1/sla/policies").await;
    assert_eq!(list, json!({ "policies": [] }), "nothing was saved");

    let (_, doc) = get_json(&app, &anon, "/api/v1/openapi.json").await;
    let paths = doc["paths"].as_object().unwrap();
    for (_, path, method) in routes {
        assert!(paths[path][method].is_object(), "{path} {method}");
    }
    let params: Vec<&str> = paths["/api/v1/sla/breaches"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in ["where", "as_of", "limit", "format"] {
        assert!(params.contains(&name), "{name}: {params:?}");
    }
    assert!(doc["components"]["schemas"]["PolicyBody"]["properties"]["toml"].is_object());
}
