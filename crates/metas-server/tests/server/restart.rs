//! A restart of the server loses nothing it acknowledged (docs/product.md §12): the
//! browser stays signed in, failed logins are still counted, and an import's
//! result and rejects are still there.

use reqwest::StatusCode;

use crate::common::{TestApp, PASSWORD};
use crate::web::{cell, run_job, upload};

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_keeps_sessions_failed_logins_and_import_results() {
    let app = TestApp::start().await;
    let (admin, res) = app.login("admin", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for _ in 0..4 {
        let (_, res) = app.login("li", "not the password").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let (_, html) = app.page(&admin, "/import").await;
    let token = TestApp::csrf(&html);
    let bad = b"external_id,channel,created_at\nr1,email,2026-06-01T10:00:00Z\nr2,email,yesterday\nr3,chat,2026-06-03T10:00:00Z\n";
    let res = upload(&admin, &app, &token, "restart.csv", bad, "generic").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let job = res.headers()["location"].to_str().unwrap().to_string();
    let result = run_job(&admin, &app, &job, &token).await;
    assert_eq!(cell(&result, "imported"), "2");

    let app = app.restart().await;

    // The same browser is still signed in, with the same form token.
    let (status, html) = app.page(&admin, "/import").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(TestApp::csrf(&html), token);
    assert!(html.contains("restart.csv"), "the job is listed: {html}");
    // The job's result and its rejects file are as they were.
    let (status, result) = app.page(&admin, &job).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cell(&result, "imported"), "2");
    assert_eq!(cell(&result, "rejected"), "1");
    let res = admin
        .get(app.url(&format!("{job}/rejects.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let rejects = res.text().await.unwrap();
    assert!(rejects.contains("yesterday"), "{rejects}");
    // Four failures before the restart and one after make five: the next
    // attempt waits, even with the right password.
    let (_, res) = app.login("li", "not the password").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (_, res) = app.login("li", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // Signing out ends the session, in the store too.
    let res = app
        .post_form(&admin, "/logout", &[("csrf", token.as_str())])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let app = app.restart().await;
    let (status, _) = app.page(&admin, "/import").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out stays signed out");
}
