//! The agent scorecard in Chromium: the struggling agent's lead's manager
//! (an administrator) opens Kevin M.'s scorecard from the navigation (the
//! Front Line team's list), reads the four months, the struggles, the
//! focus behaviour (concern) with its runner-up and the evidence linking to
//! the interactions; then the same page in Spanish. Nothing is written to
//! the console. Screenshots 20-scorecard and 21-scorecard-es go to
//! `<target>/tmp/screenshots/`.

use std::time::Duration;

use crate::browser::{
    browser, choose_language, console_errors, css, log_in, shot, start_driver, text,
};
use crate::common::TestApp;
use fantoccini::Locator;
use metas_server::i18n::{Lang, Tr};

#[tokio::test(flavor = "multi_thread")]
async fn kevins_scorecard_in_chromium() {
    let app = TestApp::start().await;
    let driver = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    let (en, es) = (Tr::new(Lang::En), Tr::new(Lang::Es));

    log_in(&c, &app, "admin").await;
    c.find(Locator::LinkText(&en.t("nav-scorecards")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    css(&c, "#filters").await;
    c.goto(&app.url("/scorecards?team=Front%20Line"))
        .await
        .unwrap();
    c.find(Locator::LinkText("Kevin M."))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(text(&c, "h1").await.starts_with("Scorecard of Kevin M."));
    // Four months and the four-month column, a row per metric.
    let heads = c
        .find_all(Locator::Css("table.scorecard thead th"))
        .await
        .unwrap();
    assert_eq!(heads.len(), 1 + 4 + 5);
    let focus = text(&c, "#focus-sentence").await;
    assert!(
        focus.starts_with("Focus on concern (service_quality)"),
        "{focus}"
    );
    let struggles = text(&c, "#struggles").await;
    assert!(
        struggles.contains("concern (service_quality): below the standard"),
        "{struggles}"
    );
    assert!(text(&c, "#focus")
        .await
        .contains(&en.t("scorecard-runner-up")));
    let links = c.find_all(Locator::Css("#evidence a")).await.unwrap();
    assert!(!links.is_empty(), "evidence links to its interactions");
    c.set_window_size(1400, 3000).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "20-scorecard").await;

    // Following an example opens the drill-down that holds it.
    let href = links[0].attr("href").await.unwrap().unwrap();
    assert!(
        href.starts_with("/kpi/volume/interactions?where="),
        "{href}"
    );

    // In Spanish.
    choose_language(&c, "es").await;
    assert!(text(&c, "h1")
        .await
        .starts_with("Cuadro de mando de Kevin M."));
    assert!(text(&c, "#focus")
        .await
        .contains(&es.t("scorecard-runner-up")));
    assert!(text(&c, "#focus-sentence")
        .await
        .starts_with("Centrarse en concern"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "21-scorecard-es").await;

    let errors = console_errors(&driver, &c).await;
    assert!(errors.is_empty(), "console: {errors:?}");
    c.close().await.unwrap();
}
