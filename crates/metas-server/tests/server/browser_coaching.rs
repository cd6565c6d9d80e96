//! The coaching pages in Chromium: a lead finds Kevin M.'s plan from the
//! Coaching entry of the navigation, opens the printable plan (in Kevin's
//! language, Spanish) and prints it to PDF on A4 and on Letter: one page
//! each. Nothing is written to the console. Screenshots 30-coaching-plan
//! (English) and 31-coaching-print-es go to `<target>/tmp/screenshots/`.

use crate::browser::{browser, console_errors, css, log_in, shot, start_driver, wait_for_lang};
use crate::common::{TestApp, PASSWORD};
use fantoccini::wd::{PrintConfiguration, PrintSize};
use fantoccini::{Client, Locator};
use metas_server::i18n::{Lang, Tr};
use metas_service::coaching::{NewExample, NewPlan};
use metas_service::users::{add_user, set_language, Role};
use metas_store::prelude::*;

/// The pages of a PDF: its `/Type /Page` objects (not `/Pages`).
fn pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    ["/Type /Page", "/Type/Page"]
        .iter()
        .map(|needle| {
            text.match_indices(needle)
                .filter(|(at, m)| !text[at + m.len()..].starts_with('s'))
                .count()
        })
        .sum()
}

async fn print_pages(c: &Client, size: PrintSize) -> usize {
    let config = PrintConfiguration::builder()
        .size(size)
        .shrink_to_fit(false)
        .build()
        .unwrap();
    let pdf = c.print(config).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    pages(&pdf)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_printed_plan_fits_one_page_on_a4_and_letter() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = TestApp::demo_store(&dir, 20_000);
    let team = store.agent_team("Kevin M.").unwrap().unwrap();
    add_user(&mut store, "lead", PASSWORD, Role::Lead, Some(&team), None).unwrap();
    add_user(
        &mut store,
        "kevin",
        PASSWORD,
        Role::Agent,
        None,
        Some("Kevin M."),
    )
    .unwrap();
    set_language(&mut store, "kevin", Some("es")).unwrap();
    // Kevin's three latest reviewed interactions rated on concern.
    let rows = store
        .query_json(
            "SELECT i.external_id FROM qa_reviews q JOIN interactions i ON i.id = q.interaction_id
             JOIN qa_ratings r ON r.review_id = q.id AND r.criterion = 'concern'
             WHERE q.agent = ? AND r.rating IS NOT NULL ORDER BY q.reviewed_at DESC LIMIT 3",
            &["Kevin M."],
        )
        .unwrap();
    let examples = rows
        .iter()
        .map(|r| NewExample {
            interaction_id: r[0].as_str().unwrap().to_string(),
            quote: None,
        })
        .collect();
    // A month of weekly sessions: the longest plan the page must still fit.
    let id = metas_service::coaching::create(
        &mut store,
        &NewPlan {
            agent: "Kevin M.".into(),
            criterion: "concern".into(),
            expected_level: 3.0,
            time_frame: "1m".into(),
            objective: Some("Acknowledge how the customer feels before solving the problem".into()),
            examples,
            metrics_expected: vec!["csat".into(), "repeat_contact_rate".into()],
            ..NewPlan::default()
        },
        "lead",
        "2026-06-30".parse().unwrap(),
        "2026-06-30T09:00:00Z".parse().unwrap(),
    )
    .unwrap();
    let app = TestApp::serve(store, dir).await;
    let driver = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    let en = Tr::new(Lang::En);

    log_in(&c, &app, "lead").await;
    c.find(Locator::LinkText(&en.t("nav-coaching")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    css(&c, "#upcoming").await;
    c.find(Locator::LinkText("Kevin M."))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    css(&c, &format!("#plan-{id}")).await;
    shot(&c, "30-coaching-plan").await;

    css(&c, ".print-link").await.click().await.unwrap();
    wait_for_lang(&c, "es").await;
    let objective = css(&c, "#objective").await.text().await.unwrap();
    assert!(
        objective.contains("Acknowledge how the customer feels"),
        "{objective}"
    );
    shot(&c, "31-coaching-print-es").await;
    assert_eq!(print_pages(&c, PrintSize::A4).await, 1, "A4");
    assert_eq!(print_pages(&c, PrintSize::US_LETTER).await, 1, "Letter");

    let errors = console_errors(&driver, &c).await;
    assert!(errors.is_empty(), "{errors:?}");
    c.close().await.unwrap();
}
