//! The Quality pages in Chromium: an administrator opens the week's queue
//! from the navigation, scores an interaction through the form (radio
//! buttons per criterion, N/A where allowed, a comment), reads the saved
//! review and its score, then the same pages in Spanish. Nothing is written
//! to the console. Screenshots 20-quality-form, 21-quality-review and
//! 22-quality-es go to `<target>/tmp/screenshots/`.

use std::time::Duration;

use crate::browser::{
    browser, choose_language, console_errors, css, log_in, shot, start_driver, text,
};
use crate::common::TestApp;
use fantoccini::Locator;
use metas_server::i18n::{Lang, Tr};

#[tokio::test(flavor = "multi_thread")]
async fn an_interaction_is_scored_from_the_form_in_chromium() {
    let app = TestApp::start().await;
    let driver = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    let (en, es) = (Tr::new(Lang::En), Tr::new(Lang::Es));

    log_in(&c, &app, "admin").await;
    c.find(Locator::LinkText(&en.t("nav-quality")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(text(&c, "h1").await, en.t("quality-title"));
    css(&c, "#queue-list a.review-link")
        .await
        .click()
        .await
        .unwrap();
    css(&c, "#review-form").await;
    c.set_window_size(1280, 2400).await.unwrap();
    for (criterion, value) in [
        ("concern", "4"),
        ("accuracy", "3"),
        ("tone", "5"),
        ("resolution", "2"),
        ("process", "na"),
    ] {
        css(
            &c,
            &format!("input[name='rating.{criterion}'][value='{value}']"),
        )
        .await
        .click()
        .await
        .unwrap();
    }
    css(&c, "textarea[name='comment.concern']")
        .await
        .send_keys("Acknowledged the frustration right away.")
        .await
        .unwrap();
    css(&c, "#overall-comment")
        .await
        .send_keys("Give the customer a clear next step and a time.")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "20-quality-form").await;
    css(&c, "#review-save").await.click().await.unwrap();

    // (75 + 50 + 100 + 1.5 × 25) / 4.5 = 58.3
    let message = text(&c, "#message").await;
    assert_eq!(message, "Review saved: score 58.3.");
    assert_eq!(text(&c, "#review-score").await, "58.3");
    c.set_window_size(1280, 1400).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "21-quality-review").await;

    // In Spanish: the review and the Quality page.
    choose_language(&c, "es").await;
    assert!(text(&c, "h1").await.starts_with("Evaluación "));
    assert_eq!(text(&c, "#review-score").await, "58,3");
    c.goto(&app.url("/quality")).await.unwrap();
    assert_eq!(text(&c, "h1").await, es.t("quality-title"));
    css(&c, "#review-list").await;
    c.set_window_size(1280, 2000).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "22-quality-es").await;

    let errors = console_errors(&driver, &c).await;
    assert!(errors.is_empty(), "console: {errors:?}");
    c.close().await.unwrap();
}
