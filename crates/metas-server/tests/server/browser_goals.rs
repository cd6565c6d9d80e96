//! The demo's goals in Chromium: a small demo organisation with its mission
//! and goal tree, served as `metas demo && metas serve` would; the Goals
//! page shows every status, a goal's page its history as sentences in the
//! reader's language, and no page leaves an error in the browser console
//! (the favicon is there). Screenshots `11-demo-goals`, `12-demo-goal`,
//! `12-demo-goal-history`, `13-demo-goal-es`.

use fantoccini::Locator;
use metas_server::i18n::{Lang, Tr};
use metas_service::demo::DemoOptions;
use metas_service::users::{add_user, Role};
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};
use reqwest::StatusCode;

use crate::browser::{
    browser, choose_language, console_errors, css, log_in, screenshots, shot, start_driver, text,
};
use crate::common::{TestApp, PASSWORD};

/// `HH:MM` somewhere in `s`, and no seconds or fractions after it.
fn has_minutes_only(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(4)).any(|i| {
        b[i].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
            && b[i + 2] == b':'
            && b[i + 3].is_ascii_digit()
            && b[i + 4].is_ascii_digit()
            && b.get(i + 5).is_none_or(|c| *c != b':' && *c != b'.')
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demos_goals_in_chromium() {
    // `metas demo --interactions 3000 --as-of 2026-06-30`, then a user.
    let dir = tempfile::tempdir().unwrap();
    let mut store = TestApp::demo_store(&dir, 3_000);
    let summary = metas_service::demo::goals::generate(
        &mut store,
        &DemoOptions {
            seed: 5,
            interactions: 3_000,
            as_of: "2026-06-30".parse().unwrap(),
        },
    )
    .unwrap();
    for state in [
        "on_track",
        "at_risk",
        "achieved_early",
        "achieved",
        "missed",
    ] {
        assert!(
            summary.by_state.get(state).is_some_and(|n| *n > 0),
            "{state}: {summary:?}"
        );
    }
    add_user(&mut store, "maria", PASSWORD, Role::Manager, None, None).unwrap();
    let app = TestApp::serve(store, dir).await;

    // The favicon: no session needed, an SVG, cached for long.
    let anon = TestApp::client();
    for path in ["/favicon.svg", "/favicon.ico"] {
        let res = anon.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.headers()[CONTENT_TYPE], "image/svg+xml", "{path}");
        let cache = res.headers()[CACHE_CONTROL].to_str().unwrap().to_string();
        assert!(cache.contains("max-age=31536000"), "{path}: {cache}");
        assert!(res.text().await.unwrap().starts_with("<svg"), "{path}");
    }
    let login = anon.get(app.url("/login")).send().await.unwrap();
    let html = login.text().await.unwrap();
    assert!(
        html.contains(r#"<link rel="icon" type="image/svg+xml" href="/favicon.svg">"#),
        "{html}"
    );

    let driver = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    let en = Tr::new(Lang::En);

    // The console is really read: a page that is not there leaves an error.
    c.goto(&app.url("/no-such-page")).await.unwrap();
    let errors = console_errors(&driver, &c).await;
    assert!(
        errors.iter().any(|e| e.contains("404")),
        "a missing page shows in the console: {errors:?}"
    );

    log_in(&c, &app, "maria").await;

    // The tree under the mission, with every status.
    c.goto(&app.url("/goals")).await.unwrap();
    let tree = text(&c, "#goal-tree").await;
    let page = text(&c, "main").await;
    assert!(page.contains(metas_service::demo::goals::MISSION), "{page}");
    for state in [
        "on_track",
        "at_risk",
        "achieved_early",
        "achieved",
        "missed",
    ] {
        let word = en.t(&format!("status-{state}"));
        let found = c
            .find_all(Locator::Css(&format!("#goal-tree .status.{state}")))
            .await
            .unwrap();
        assert!(!found.is_empty(), "{state} ({word}) in the tree: {tree}");
        assert!(tree.contains(&word), "{word}: {tree}");
    }
    // Goals serve goals: some are indented under their parent.
    let items = c.find_all(Locator::Css("#goal-tree li")).await.unwrap();
    assert!(items.len() >= 12, "{tree}");
    let mut indented = 0;
    for li in &items {
        let style = li.attr("style").await.unwrap().unwrap_or_default();
        if !style.contains("margin-left: 0rem") {
            indented += 1;
        }
    }
    assert!(indented >= 5, "{indented} goals under a parent");
    shot(&c, "11-demo-goals").await;

    // The missed goal: its history in sentences, times to the minute.
    css(&c, "#goal-tree li:has(.status.missed) a")
        .await
        .click()
        .await
        .unwrap();
    let history = c.find_all(Locator::Css("#history li")).await.unwrap();
    assert!(history.len() >= 5, "months of check-ins and reviews");
    let mut lines = Vec::new();
    for li in &history {
        lines.push(li.text().await.unwrap());
    }
    let all = lines.join("\n");
    for line in &lines {
        assert!(has_minutes_only(line), "a time to the minute: {line}");
        assert!(line.contains(" UTC · "), "the time's zone: {line}");
        for raw in [
            "created: ",
            "check-in on ",
            "review on ",
            "status missed:",
            "cli:",
        ] {
            assert!(!line.contains(raw), "a sentence, not a stored line: {line}");
        }
    }
    assert!(
        all.contains("Laura Vidal set the goal: lower First response time by"),
        "{all}"
    );
    assert!(all.contains("Laura Vidal checked in: “"), "{all}");
    assert!(all.contains(": the goal is missed."), "{all}");
    assert!(
        all.contains("Laura Vidal reviewed the goal and decided to revise it: “"),
        "{all}"
    );
    // Each line's moment is in the past of the demo's last day, and the
    // first is the day the goal started (the demo's own clock, not now).
    let first = css(&c, "#history li time").await;
    let at: jiff::Timestamp = first
        .attr("datetime")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    assert!(at < "2026-06-01T00:00:00Z".parse().unwrap(), "{at}");
    // The review of the missed goal says what blocked it and the new
    // practice (R-MISSED).
    let reviews = text(&c, "#reviews").await;
    assert!(
        reviews.contains(&format!("{}: The weekend backlog", en.t("goal-blocked-by")))
            && reviews.contains(&format!("{}: A Saturday", en.t("goal-new-practice"))),
        "{reviews}"
    );
    let sentence = text(&c, "#goal-sentence").await;
    assert!(!sentence.is_empty());
    shot(&c, "12-demo-goal").await;
    c.execute(
        "document.getElementById('reviews').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    shot(&c, "12-demo-goal-history").await;

    // In Spanish: the same history in the reader's language.
    choose_language(&c, "es").await;
    let es = text(&c, "#history").await;
    assert!(
        es.contains("Laura Vidal revisó el objetivo y decidió revisarlo: «"),
        "{es}"
    );
    assert!(es.contains("objetivo no alcanzado"), "{es}");
    c.execute(
        "document.getElementById('reviews').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    shot(&c, "13-demo-goal-es").await;

    // Nothing went wrong in the console on the way (no missing favicon).
    let errors = console_errors(&driver, &c).await;
    assert!(errors.is_empty(), "console errors: {errors:?}");

    c.close().await.unwrap();
    eprintln!("screenshots in {}", screenshots().display());
}
