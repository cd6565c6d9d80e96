//! The indicator board in Chromium: an administrator opens it from the
//! navigation, reads the three stages of the purchase, opens an
//! indicator's definition, sets its owner and standard with the form, and
//! finds the board judging it; then the board in French. Nothing is written
//! to the console. Screenshots 45-indicators, 45-indicators-definition and
//! 45-indicators-fr go to `<target>/tmp/screenshots/`.

use std::time::Duration;

use crate::browser::{
    browser, choose_language, console_errors, css, log_in, shot, start_driver, text,
};
use crate::common::TestApp;
use fantoccini::Locator;
use metas_server::i18n::{Lang, Tr};

#[tokio::test(flavor = "multi_thread")]
async fn the_indicator_board_in_chromium() {
    let app = TestApp::start().await;
    let driver = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    let (en, fr) = (Tr::new(Lang::En), Tr::new(Lang::Fr));

    log_in(&c, &app, "admin").await;
    c.find(Locator::LinkText(&en.t("nav-indicators")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(text(&c, "h1").await, en.t("indicators-title"));
    for stage in ["before_purchase", "during_purchase", "after_purchase"] {
        let h = text(&c, &format!("#stage-{stage} h2")).await;
        assert_eq!(h, en.t(&format!("indicators-stage-{stage}")));
    }
    // The definition of CSAT, then its form.
    c.find(Locator::Css("#indicator-csat h3 a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    css(&c, "#edit-form").await;
    css(&c, "#edit-form input[name=owner]")
        .await
        .send_keys("Customer care")
        .await
        .unwrap();
    let standard = css(&c, "#edit-form input[name=standard]").await;
    standard.clear().await.unwrap();
    standard.send_keys("80%").await.unwrap();
    css(&c, "#edit-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let message = text(&c, "#message").await;
    assert!(message.contains("version 1"), "{message}");
    assert_eq!(text(&c, "#standard").await, "at least 80.0 %");
    assert_eq!(text(&c, "#owner").await, "Customer care");
    c.set_window_size(1200, 1400).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "45-indicators-definition").await;

    // Back on the board, CSAT is judged against it.
    c.find(Locator::LinkText(&en.t("indicators-back")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let card = text(&c, "#indicator-csat").await;
    assert!(card.contains("at least 80.0 %"), "{card}");
    assert!(card.contains("Customer care"), "{card}");
    assert!(
        card.contains(&en.t("indicators-verdict-met"))
            || card.contains(&en.t("indicators-verdict-not_met")),
        "{card}"
    );
    c.set_window_size(1400, 2600).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "45-indicators").await;

    // In French.
    choose_language(&c, "fr").await;
    assert_eq!(text(&c, "h1").await, fr.t("indicators-title"));
    assert_eq!(
        text(&c, "#stage-after_purchase h2").await,
        fr.t("indicators-stage-after_purchase")
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    shot(&c, "45-indicators-fr").await;

    let errors = console_errors(&driver, &c).await;
    assert!(errors.is_empty(), "console: {errors:?}");
    c.close().await.unwrap();
}
