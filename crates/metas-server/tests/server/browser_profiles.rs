//! A candidate's result page in Chromium: two assessors have rated the
//! candidate against the example agent profile (one must-have missed, one
//! disagreement); an administrator opens the result from the navigation,
//! then the assessment form of a second candidate. Nothing is written to
//! the console. Screenshots 40-profile-result and 41-profile-assess go to
//! `<target>/tmp/screenshots/`.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::browser::{
    browser, choose_language, console_errors, css, log_in, shot, start_driver, text,
};
use crate::common::{TestApp, PASSWORD};
use fantoccini::Locator;
use metas_server::i18n::{Lang, Tr};
use metas_service::profile::{RatingInput, RatingsInput};
use metas_service::users::{add_user, Role, User};

const AGENT: &str = include_str!("../../../../examples/profiles/agent.toml");

fn user(login: &str, role: Role) -> User {
    User {
        login: login.into(),
        role,
        team: (role == Role::Lead).then(|| "Technical".into()),
        agent: None,
        language: None,
    }
}

fn rated(levels: &[(&str, u8, &str)], submit: bool) -> RatingsInput {
    RatingsInput {
        ratings: levels
            .iter()
            .map(|(k, l, e)| {
                (
                    k.to_string(),
                    RatingInput {
                        level: *l,
                        evidence: Some(e.to_string()),
                        question: None,
                    },
                )
            })
            .collect::<BTreeMap<_, _>>(),
        submit,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_candidates_result_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = TestApp::demo_store(&dir, 2_000);
    add_user(&mut store, "admin", PASSWORD, Role::Admin, None, None).unwrap();
    add_user(
        &mut store,
        "li",
        PASSWORD,
        Role::Lead,
        Some("Technical"),
        None,
    )
    .unwrap();
    let (admin, li) = (user("admin", Role::Admin), user("li", Role::Lead));
    let now: jiff::Timestamp = "2026-06-29T10:00:00Z".parse().unwrap();
    let p = metas_service::profile::parse_profile("agent", AGENT, "agent.toml").unwrap();
    metas_service::profile::save_profile(&mut store, &admin, &p, AGENT, now).unwrap();
    let assessors = vec!["admin".to_string(), "li".to_string()];
    let id = metas_service::profile::add_candidate(
        &mut store,
        &admin,
        "Alex Moreno",
        "agent",
        &assessors,
        now,
    )
    .unwrap();
    let second = metas_service::profile::add_candidate(
        &mut store, &admin, "Sam Lee", "agent", &assessors, now,
    )
    .unwrap();
    for (who, empathy, communication, note) in [
        (
            &admin,
            4,
            2,
            "Named the customer's frustration before explaining.",
        ),
        (&li, 2, 3, "Apologised with a set phrase, then moved on."),
    ] {
        let levels = [
            (
                "customer_orientation",
                4,
                "Asked what the refund was for and fixed the setup instead.",
            ),
            ("empathy", empathy, note),
            (
                "emotional_intelligence",
                3,
                "Stayed calm when provoked in the role play.",
            ),
            (
                "communication",
                communication,
                "Clear but long-winded on the late order.",
            ),
            (
                "problem_solving",
                3,
                "Checked payment logs in the right order.",
            ),
            (
                "resilience",
                3,
                "Described a hard week and what changed after it.",
            ),
            (
                "product_knowledge",
                2,
                "Knows the common faults; looks up the rest.",
            ),
        ];
        metas_service::profile::rate_candidate(&mut store, who, id, &rated(&levels, true), now)
            .unwrap();
    }
    // Kevin M., assessed twice by his lead's manager against the same
    // profile: better on empathy the second time.
    for (at, empathy) in [("2026-03-02T09:00:00Z", 1), ("2026-06-29T09:00:00Z", 2)] {
        let at: jiff::Timestamp = at.parse().unwrap();
        let assessment = metas_service::profile::start_agent_assessment(
            &mut store, &admin, "Kevin M.", "agent", at,
        )
        .unwrap();
        let levels = [
            ("customer_orientation", 3, "Follows up on open orders."),
            (
                "empathy",
                empathy,
                "Reads the script before the customer's words.",
            ),
            ("emotional_intelligence", 3, "Calm on escalations."),
            ("communication", 3, "Short, clear answers."),
            ("problem_solving", 3, "Finds the right log first."),
            ("resilience", 3, "Steady through the sale week."),
            ("product_knowledge", 3, "Knows the catalogue."),
        ];
        metas_service::profile::rate_agent(
            &mut store,
            &admin,
            assessment,
            &rated(&levels, true),
            at,
        )
        .unwrap();
    }
    let app = TestApp::serve(store, dir).await;
    let driver = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    let en = Tr::new(Lang::En);

    log_in(&c, &app, "admin").await;
    c.find(Locator::LinkText(&en.t("nav-profiles")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(text(&c, "h1").await, en.t("profiles-title"));
    c.goto(&app.url(&format!("/candidates/{id}")))
        .await
        .unwrap();
    css(&c, "#result").await;
    // Means: A 4, E 3, EI 3, C 2.5, PS 3, R 3, PK 2 (required 2).
    // Met: C 2.5/3; the rest in full. Fit = 100 × (10.5 − 2 × 0.5/3) / 10.5 = 96.8.
    assert_eq!(text(&c, "#fit").await, "Fit: 97%");
    assert!(text(&c, "#missed").await.contains("Communication"));
    assert!(text(&c, "#disagreements").await.contains("Empathy"));
    c.set_window_size(1280, 1900).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "40-profile-result").await;

    c.goto(&app.url(&format!("/candidates/{second}/assess")))
        .await
        .unwrap();
    css(&c, "#assess-form").await;
    css(&c, "input[name='level.empathy'][value='4']")
        .await
        .click()
        .await
        .unwrap();
    css(&c, "textarea[name='evidence.empathy']")
        .await
        .send_keys("Said: \"I can hear how frustrating this is.\"")
        .await
        .unwrap();
    c.set_window_size(1280, 1600).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "41-profile-assess").await;
    css(&c, "#assess-save").await.click().await.unwrap();
    assert_eq!(text(&c, "#message").await, en.t("assess-saved"));

    // An agent's assessments, newest first, in English then in Chinese.
    c.goto(&app.url("/agents/Kevin%20M./assessments"))
        .await
        .unwrap();
    css(&c, "#assessments").await;
    let rows = c
        .find_all(Locator::Css("#assessments tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].text().await.unwrap().contains("1.0 levels below"));
    assert!(rows[1].text().await.unwrap().contains("2.0 levels below"));
    c.set_window_size(1280, 900).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "42-agent-assessments").await;
    choose_language(&c, "zh-CN").await;
    let zh = Tr::new(Lang::ZhCn);
    assert_eq!(
        text(&c, "h1").await,
        zh.t1("agent-assessments-title", "agent", "Kevin M.")
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "42-agent-assessments-zh").await;
    // The candidate's result in Chinese: the library's competencies in it.
    c.goto(&app.url(&format!("/candidates/{id}")))
        .await
        .unwrap();
    css(&c, "#result").await;
    assert!(text(&c, "#missed")
        .await
        .contains(&zh.t("profiles-lib-communication-label")));
    c.set_window_size(1280, 1900).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "40-profile-result-zh").await;

    let errors = console_errors(&driver, &c).await;
    assert!(errors.is_empty(), "console: {errors:?}");
    c.close().await.unwrap();
}
