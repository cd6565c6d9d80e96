//! Two instances of the server on one PostgreSQL, in one process: a
//! browser signed in on one is signed in on the other and reads there what
//! it wrote through the first; an import job runs once, wherever its start
//! is asked for.

use reqwest::StatusCode;

use crate::common::{TestApp, PASSWORD};
use crate::web::{cell, run_job, upload};

/// The interactions the API counts, through `app`.
async fn volume(app: &TestApp, client: &reqwest::Client) -> f64 {
    let (status, body) = app.page(client, "/api/v1/kpi/volume").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    doc["rows"][0]["value"].as_f64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_browser_moves_between_instances_and_an_import_job_runs_once() {
    let a = TestApp::start_shared().await;
    let b = a.another_instance().await;
    // One browser: its cookies go to both (a cookie is the host's, whatever the port).
    let (browser, res) = a.login("admin", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, html) = b.page(&browser, "/import").await;
    assert_eq!(status, StatusCode::OK, "signed in on B too: {html}");
    let token = TestApp::csrf(&html);
    let before = volume(&b, &browser).await;

    // Uploaded through A: the file is A's, so only A may run it.
    let csv = b"external_id,channel,created_at\nx1,email,2026-06-01T10:00:00Z\nx2,chat,2026-06-03T10:00:00Z\n";
    let res = upload(&browser, &a, &token, "twice.csv", csv, "generic").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let job = res.headers()["location"].to_str().unwrap().to_string();
    // Asked of B first: B has no file to run, and runs nothing.
    let res = b
        .post_form(&browser, &format!("{job}/start"), &[("csrf", &token)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let result = run_job(&browser, &a, &job, &token).await;
    assert_eq!(cell(&result, "imported"), "2");
    // Asked of B again once it ran: B shows A's result and runs nothing.
    let res = b
        .post_form(&browser, &format!("{job}/start"), &[("csrf", &token)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Its page on B refreshes itself until A has recorded the end.
    let started = std::time::Instant::now();
    let page = loop {
        let (status, page) = b.page(&browser, &job).await;
        assert_eq!(status, StatusCode::OK);
        if page.contains("data-state=\"done\"") {
            break page;
        }
        assert!(page.contains("data-reload-after"), "{page}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{page}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(cell(&page, "imported"), "2");

    // Read on B at once (the browser names the change A wrote): the two rows, once.
    assert_eq!(volume(&b, &browser).await, before + 2.0);
    assert_eq!(volume(&a, &browser).await, before + 2.0);
}
