//! The staffing section of the Time objectives page and `GET
//! /api/v1/staffing` on the real server: the calculator's worked example
//! (100 calls in 30 minutes, 180 s, 80/20: 14 agents, ASA 7.8 s, occupancy
//! 71.4 %) with equal figures on the page and in the API, the API's JSON
//! that of the service (what `metas staffing --format json` prints), the
//! curve drawn with its axes and legend, a bad option refused with the
//! service's sentence, and the observed form narrowed to an agent's own
//! calls.

use crate::common::{TestApp, PASSWORD};
use metas_domain::kpi::Unit;
use metas_server::i18n::{Lang, Tr};
use metas_service::staffing::{calculate, observe, StaffingQuestion, StaffingRequest};
use metas_service::users::{add_user, Role};
use reqwest::StatusCode;
use serde_json::Value;

/// The worked example, as URL parameters.
const EXAMPLE: &str = "service_level=80%2F20&arrivals=100&per=30m&aht=180s";

/// The text of the element with this id (tags inside left out), unescaped.
fn by_id(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!(" id=\"{id}\">"))?;
    let inner = &html[at..];
    let inner = &inner[inner.find('>')? + 1..];
    let end = ["</dd>", "</p>"]
        .iter()
        .filter_map(|close| inner.find(close))
        .min()?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner[..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(unescape(&text))
}

/// Text as the page escaped it, as written.
fn unescape(text: &str) -> String {
    text.replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

async fn get_json(client: &reqwest::Client, url: &str) -> (StatusCode, Value) {
    let res = client.get(url).send().await.unwrap();
    (res.status(), res.json().await.unwrap())
}

/// An answer as a client reads it: written as the CLI prints it, then
/// parsed (so both sides read each float the same way).
fn as_read(answer: &impl serde::Serialize) -> Value {
    serde_json::from_str(&serde_json::to_string(answer).unwrap()).unwrap()
}

fn calculator(r: StaffingRequest) -> Value {
    let StaffingQuestion::Calculator(q) = r.parse().unwrap() else {
        panic!("not the calculator");
    };
    as_read(&calculate(&q).unwrap())
}

fn example() -> StaffingRequest {
    StaffingRequest {
        service_level: Some("80/20".into()),
        arrivals: Some("100".into()),
        per: Some("30m".into()),
        aht: Some("180s".into()),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worked_example_on_the_page_and_in_the_api() {
    let app = TestApp::start().await;
    let (kevin, _) = app.login("kevin", PASSWORD).await;
    let en = Tr::new(Lang::En);

    // The API: the service's JSON, the published figures.
    let (status, doc) = get_json(&kevin, &app.url(&format!("/api/v1/staffing?{EXAMPLE}"))).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc, calculator(example()));
    assert_eq!(doc["form"], "calculator");
    assert_eq!(doc["agents"], 14);
    assert_eq!(doc["agents_needed"], 14);
    assert_eq!(doc["bound_by"], "service_level");
    let asa = doc["asa_secs"].as_f64().unwrap();
    let occupancy = doc["occupancy"].as_f64().unwrap();
    let level = doc["service_level"].as_f64().unwrap();
    assert!((asa - 7.836).abs() < 0.01, "{asa}");
    assert!((occupancy - 0.7142857).abs() < 1e-6, "{occupancy}");
    assert!((level - 0.88835).abs() < 1e-4, "{level}");

    // The page: the same figures, the curve with its axes and legend.
    let (status, html) = app.page(&kevin, &format!("/sla?{EXAMPLE}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<a href=\"#staffing\">Staffing</a>"),
        "listed"
    );
    assert_eq!(by_id(&html, "staffing-agents").unwrap(), "14");
    assert_eq!(
        by_id(&html, "staffing-asa").unwrap(),
        en.value(Unit::Seconds, asa)
    );
    assert_eq!(by_id(&html, "staffing-asa").unwrap(), "7.8s");
    assert_eq!(by_id(&html, "staffing-occupancy").unwrap(), "71.4 %");
    assert_eq!(
        by_id(&html, "staffing-level").unwrap(),
        "88.8 % answered within 20s"
    );
    assert_eq!(
        by_id(&html, "staffing-bound-by").unwrap(),
        en.t("staffing-bound-service-level")
    );
    assert!(html.contains(&en.t("staffing-abandonment-caveat")));
    let svg = &html[html.find("<svg id=\"staffing-curve\"").expect("the curve")..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    for part in [
        "<g class=\"axis x\">",
        "<g class=\"axis y\">",
        "<g class=\"legend\">",
        "<g class=\"chosen\">",
        "class=\"objective\"",
        "<desc id=\"staffing-curve-desc\">From 11 to 19 agents",
    ] {
        assert!(svg.contains(part), "{part}: {svg}");
    }
    // The curve as a table: a row per agent count, 14 marked.
    let rows = html.matches("<tr><td>").count();
    assert!(rows >= 9, "{rows}");
    assert!(html.contains("<td>14</td><td>88.8 %</td>"), "{html}");
    // The form keeps the question, and links the API's answer.
    assert!(html.contains("name=\"arrivals\" id=\"staffing-arrivals\" value=\"100\""));
    let at = html.find("id=\"staffing-json\"").unwrap();
    let href = html[..at].rsplit("href=\"").next().unwrap();
    let href = unescape(&href[..href.find('"').unwrap()]);
    assert_eq!(href, format!("/api/v1/staffing?{EXAMPLE}"));

    // Shrinkage and cost: 20 on the rota, 560 an hour, 22,400 a week.
    let costed = format!("{EXAMPLE}&shrinkage=30%25&cost_per_hour=28");
    let (_, doc) = get_json(&kevin, &app.url(&format!("/api/v1/staffing?{costed}"))).await;
    assert_eq!(doc["rota_agents"], 20);
    assert_eq!(doc["cost_per_week"], 22400.0);
    let (_, html) = app.page(&kevin, &format!("/sla?{costed}")).await;
    assert_eq!(by_id(&html, "staffing-rota").unwrap(), "20");
    assert_eq!(by_id(&html, "staffing-cost-hour").unwrap(), "560.00");
    assert_eq!(by_id(&html, "staffing-cost-week").unwrap(), "22,400.00");
    assert!(html.contains("<g class=\"axis y2\">"), "the cost axis");

    // Too few agents: not reachable at this occupancy, said on the page.
    let (_, doc) = get_json(
        &kevin,
        &app.url(&format!("/api/v1/staffing?{EXAMPLE}&agents=10")),
    )
    .await;
    assert_eq!(doc["reachable"], false);
    assert_eq!(doc["service_level"], Value::Null);
    let (status, html) = app.page(&kevin, &format!("/sla?{EXAMPLE}&agents=10")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        by_id(&html, "staffing-level").unwrap(),
        en.t("staffing-not-reachable-short")
    );
    assert!(html
        .contains("Not reachable at this occupancy: 10 agents cannot keep up with 10.00 Erlangs"));

    // In French: the same figures the French way.
    let (fr_client, _) = app.login("li", PASSWORD).await;
    let res = fr_client
        .get(app.url(&format!("/sla?{EXAMPLE}")))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("lang=\"fr\""));
    assert_eq!(by_id(&html, "staffing-occupancy").unwrap(), "71,4 %");
    assert_eq!(by_id(&html, "staffing-asa").unwrap(), "7,8s");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_option_is_refused_with_the_services_sentence() {
    let app = TestApp::start().await;
    let (admin, _) = app.login("admin", PASSWORD).await;
    let mut bad = example();
    bad.shrinkage = Some("130%".into());
    let sentence = bad.parse().map(|_| ()).unwrap_err().to_string();
    assert!(sentence.starts_with("--shrinkage: "), "{sentence}");

    let (status, doc) = get_json(
        &admin,
        &app.url(&format!("/api/v1/staffing?{EXAMPLE}&shrinkage=130%25")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(doc["error"]["code"], "invalid_input");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(message.ends_with(&format!(": {sentence}")), "{message}");

    let (status, html) = app
        .page(&admin, &format!("/sla?{EXAMPLE}&shrinkage=130%25"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let said = by_id(&html, "staffing-error").unwrap();
    assert_eq!(
        said,
        Tr::new(Lang::En).t1("staffing-error", "detail", &sentence)
    );
    assert!(!html.contains("id=\"staffing-answer\""));
    // The form keeps what was typed.
    assert!(html.contains("name=\"shrinkage\" value=\"130%\""));
    // No objective at all; a bad date.
    let (status, doc) = get_json(&admin, &app.url("/api/v1/staffing?arrivals=100&aht=3m")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .contains(": --service-level:"));
    let (status, _) = get_json(
        &admin,
        &app.url(
            "/api/v1/staffing?service_level=80/20&where=channel%20%3D%20%27phone%27&from=soon",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Without a session or token: 401.
    let res = TestApp::client()
        .get(app.url(&format!("/api/v1/staffing?{EXAMPLE}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // Described in the OpenAPI document with its parameters and statuses.
    let (_, doc) = get_json(&admin, &app.url("/api/v1/openapi.json")).await;
    let get = &doc["paths"]["/api/v1/staffing"]["get"];
    let params: Vec<&str> = get["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "service_level",
        "shrinkage",
        "max_occupancy",
        "cost_per_hour",
        "arrivals",
        "per",
        "aht",
        "agents",
        "hours_per_week",
        "where",
        "from",
        "to",
        "timezone",
    ] {
        assert!(params.contains(&p), "{p}: {params:?}");
    }
    for status in ["200", "400", "401"] {
        assert!(get["responses"][status].is_object(), "{status}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_observed_form_reads_only_the_users_own_calls() {
    // The database is prepared, and the service asked, before it is served.
    let dir = tempfile::tempdir().unwrap();
    let mut store = TestApp::demo_store(&dir, 20_000);
    for (login, role, team, agent) in [
        ("admin", Role::Admin, None, None),
        ("kevin", Role::Agent, None, Some("Kevin M.")),
    ] {
        add_user(&mut store, login, PASSWORD, role, team, agent).unwrap();
    }
    let users = metas_service::users::list(&store).unwrap();
    let request = StaffingRequest {
        service_level: Some("80/20".into()),
        cost_per_hour: Some("28".into()),
        segment: Some("channel = 'phone'".into()),
        ..Default::default()
    };
    let mut expected = Vec::new();
    for login in ["admin", "kevin"] {
        let user = users.iter().find(|u| u.login == login).unwrap();
        let StaffingQuestion::Observed(mut q) = request.parse().unwrap() else {
            panic!("not observed");
        };
        q.segment =
            metas_domain::segment::SegmentExpr::both(user.data_scope(), Some(q.segment)).unwrap();
        expected.push((login, as_read(&observe(&store, &q).unwrap())));
    }
    let app = TestApp::serve(store, dir).await;
    let en = Tr::new(Lang::En);
    let query = "service_level=80%2F20&cost_per_hour=28&where=channel%20%3D%20%27phone%27";
    let mut calls = Vec::new();
    for (login, want) in &expected {
        let (client, _) = app.login(login, PASSWORD).await;
        let (status, doc) = get_json(&client, &app.url(&format!("/api/v1/staffing?{query}"))).await;
        assert_eq!(status, StatusCode::OK, "{login}: {doc}");
        assert_eq!(&doc, want, "{login}");
        assert_eq!(doc["form"], "observed");
        let half_hours = doc["half_hours"].as_array().unwrap();
        assert!(!half_hours.is_empty(), "{login}");
        for h in half_hours {
            for key in ["agents", "service_level", "asa_secs", "occupancy"] {
                assert!(!h[key].is_null(), "{login} {key}: {h}");
            }
        }
        for key in ["agents", "service_level", "asa_secs", "occupancy"] {
            assert!(!doc["week"][key].is_null(), "{login} week {key}");
        }
        let calls_seen = doc["calls"].as_u64().unwrap();
        calls.push(calls_seen);
        // The page: the same queue, the same week, its half-hours as a table.
        let page_query = "service_level=80%2F20&cost_per_hour=28&queue=channel%20%3D%20%27phone%27";
        let (status, html) = app.page(&client, &format!("/sla?{page_query}")).await;
        assert_eq!(status, StatusCode::OK, "{login}");
        assert_eq!(
            by_id(&html, "staffing-calls").unwrap(),
            en.count(calls_seen)
        );
        assert_eq!(
            by_id(&html, "staffing-agents").unwrap(),
            doc["week"]["agents"].to_string()
        );
        assert_eq!(
            by_id(&html, "staffing-level").unwrap(),
            en.value(Unit::Rate, doc["week"]["service_level"].as_f64().unwrap())
        );
        assert!(by_id(&html, "staffing-observed-level").is_some());
        assert!(html.contains("id=\"staffing-half-hours\""));
        let week = &html[html.find("id=\"staffing-half-hours\"").unwrap()..];
        let week = &week[..week.find("</table>").unwrap()];
        assert_eq!(
            week.matches("<tr><td>").count(),
            half_hours.len(),
            "{login}"
        );
        assert!(html.contains("<svg id=\"staffing-curve\""));
        if *login == "kevin" {
            let queue = doc["where"].as_str().unwrap();
            assert!(
                queue.contains("Kevin M.") && queue.contains("phone"),
                "{queue}"
            );
            assert_eq!(by_id(&html, "staffing-queue").unwrap(), queue);
        }
    }
    assert!(
        calls[1] > 0 && calls[1] * 10 < calls[0],
        "{calls:?}: Kevin's own calls only"
    );

    // A filter never widens the scope: Kevin asking for everyone's phone
    // calls of another agent finds none of his.
    let (kevin, _) = app.login("kevin", PASSWORD).await;
    let (status, doc) = get_json(
        &kevin,
        &app.url("/api/v1/staffing?service_level=80%2F20&where=channel%20%3D%20%27phone%27%20and%20agent%20%3D%20%27Ana%20P.%27"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{doc}");
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .contains(": --where: no interactions match"));
}
