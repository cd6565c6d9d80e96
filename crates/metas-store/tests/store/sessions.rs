//! What the web server keeps across a restart: sessions, failed logins and
//! import jobs (schema version 6).

use jiff::{SignedDuration, Timestamp};
use metas_store::prelude::*;
use metas_store::{ImportJobRow, SessionRow, Store};
use serde_json::json;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn session(login: &str, created: &str, expires: &str) -> SessionRow {
    SessionRow {
        login: login.into(),
        csrf: format!("csrf-of-{login}"),
        created_at: ts(created),
        expires_at: ts(expires),
    }
}

#[test]
fn a_session_survives_closing_and_reopening_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let s = session("ana", "2026-01-01T10:00:00Z", "2026-01-01T22:00:00Z");
    {
        let mut store = Store::open(&path).unwrap();
        store.insert_session("token-1", &s).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store
            .session("token-1", ts("2026-01-01T12:00:00Z"))
            .unwrap(),
        Some(s)
    );
    assert_eq!(
        store
            .session("token-2", ts("2026-01-01T12:00:00Z"))
            .unwrap(),
        None
    );
}

#[test]
fn the_token_is_stored_only_as_a_digest() {
    let mut store = Store::open_in_memory().unwrap();
    let token = "a-secret-session-token";
    store
        .insert_session(
            token,
            &session("ana", "2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z"),
        )
        .unwrap();
    let rows = store.query_json("SELECT key FROM sessions", &[]).unwrap();
    let key = rows[0][0].as_str().unwrap();
    assert_ne!(key, token);
    assert!(!key.contains(token));
    assert_eq!(key.len(), 64, "{key}");
    assert!(key.chars().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn an_expired_session_is_not_returned_and_is_forgotten() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .insert_session(
            "old",
            &session("ana", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z"),
        )
        .unwrap();
    let live = session("bo", "2026-01-01T10:30:00Z", "2026-01-01T23:00:00Z");
    store.insert_session("new", &live).unwrap();
    let now = ts("2026-01-01T11:00:00Z");
    // Expiry is exclusive: at the instant it expires the session is gone.
    assert_eq!(store.session("old", now).unwrap(), None);
    assert_eq!(
        store
            .session("old", ts("2026-01-01T10:59:59Z"))
            .unwrap()
            .map(|s| s.login),
        Some("ana".to_string())
    );
    assert_eq!(store.delete_expired_sessions(now).unwrap(), 1);
    assert_eq!(store.delete_expired_sessions(now).unwrap(), 0);
    assert_eq!(store.session("new", now).unwrap(), Some(live));
}

#[test]
fn sessions_end_one_by_one_or_per_login() {
    let mut store = Store::open_in_memory().unwrap();
    let now = ts("2026-01-01T12:00:00Z");
    for (token, login) in [("t1", "ana"), ("t2", "ana"), ("t3", "bo")] {
        store
            .insert_session(
                token,
                &session(login, "2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z"),
            )
            .unwrap();
    }
    assert!(store.delete_session("t1").unwrap());
    assert!(!store.delete_session("t1").unwrap());
    assert_eq!(store.session("t1", now).unwrap(), None);
    assert!(store.session("t2", now).unwrap().is_some());
    assert_eq!(store.delete_sessions_of("ana").unwrap(), 1);
    assert_eq!(store.session("t2", now).unwrap(), None);
    assert!(store.session("t3", now).unwrap().is_some());
}

#[test]
fn failed_logins_are_limited_within_a_window() {
    let mut store = Store::open_in_memory().unwrap();
    let window = SignedDuration::from_mins(5);
    let t0 = ts("2026-01-01T10:00:00Z");
    assert!(store.may_try("ana", t0, window, 5).unwrap());
    for i in 1..=5u32 {
        let at = t0 + SignedDuration::from_secs(i as i64 * 10);
        assert_eq!(store.record_login_failure("ana", at, window).unwrap(), i);
    }
    let t1 = t0 + SignedDuration::from_mins(1);
    assert_eq!(store.login_failures("ana", t1, window).unwrap(), 5);
    assert!(!store.may_try("ana", t1, window, 5).unwrap());
    assert!(store.may_try("bo", t1, window, 5).unwrap(), "per login");
    // The window runs from the first failure; once it is over, nothing counts.
    let later = t0 + SignedDuration::from_mins(6);
    assert_eq!(store.login_failures("ana", later, window).unwrap(), 0);
    assert!(store.may_try("ana", later, window, 5).unwrap());
    // A failure after the window starts a new one.
    assert_eq!(store.record_login_failure("ana", later, window).unwrap(), 1);
    assert_eq!(store.login_failures("ana", later, window).unwrap(), 1);
    store.clear_login_failures("ana").unwrap();
    assert_eq!(store.login_failures("ana", later, window).unwrap(), 0);
}

#[test]
fn failed_logins_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    let window = SignedDuration::from_mins(5);
    let t0 = ts("2026-01-01T10:00:00Z");
    {
        let mut store = Store::open(&path).unwrap();
        for _ in 0..3 {
            store.record_login_failure("ana", t0, window).unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.login_failures("ana", t0, window).unwrap(), 3);
    assert!(!store.may_try("ana", t0, window, 3).unwrap());
}

fn job(id: &str, login: &str, created: &str) -> ImportJobRow {
    ImportJobRow {
        id: id.into(),
        login: login.into(),
        file_name: format!("{id}.csv"),
        state: "uploaded".into(),
        detail: Some(json!({"rows": 3}).to_string()),
        created_at: ts(created),
        updated_at: ts(created),
    }
}

#[test]
fn import_jobs_are_upserted_read_listed_and_forgotten() {
    let mut store = Store::open_in_memory().unwrap();
    let a = job("a", "ana", "2026-01-01T10:00:00Z");
    let b = job("b", "ana", "2026-01-01T11:00:00Z");
    let c = job("c", "ana", "2026-01-01T12:00:00Z");
    let d = job("d", "bo", "2026-01-01T12:30:00Z");
    for j in [&a, &b, &c, &d] {
        store.put_import_job(j).unwrap();
    }
    assert_eq!(store.import_job("a").unwrap(), Some(a.clone()));
    assert_eq!(store.import_job("zz").unwrap(), None);

    // An update keeps the job's creation time and replaces the rest.
    let mut a2 = a.clone();
    a2.state = "done".into();
    a2.detail = None;
    a2.created_at = ts("2030-01-01T00:00:00Z");
    a2.updated_at = ts("2026-01-01T13:00:00Z");
    store.put_import_job(&a2).unwrap();
    let got = store.import_job("a").unwrap().unwrap();
    assert_eq!(got.state, "done");
    assert_eq!(got.detail, None);
    assert_eq!(got.created_at, a.created_at);
    assert_eq!(got.updated_at, a2.updated_at);
    assert_eq!(
        store
            .query_json("SELECT count(*) FROM import_jobs WHERE id = 'a'", &[])
            .unwrap(),
        vec![vec![json!(1)]]
    );

    let ids = |jobs: Vec<ImportJobRow>| jobs.into_iter().map(|j| j.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.import_jobs_of("ana", 10).unwrap()),
        ["c", "b", "a"]
    );
    assert_eq!(ids(store.import_jobs_of("ana", 2).unwrap()), ["c", "b"]);
    assert_eq!(ids(store.import_jobs_of("bo", 10).unwrap()), ["d"]);

    // Jobs last updated before 12:00 go: b (11:00); a was updated at 13:00.
    assert_eq!(
        store
            .delete_import_jobs_before(ts("2026-01-01T12:00:00Z"))
            .unwrap(),
        1
    );
    assert_eq!(ids(store.import_jobs_of("ana", 10).unwrap()), ["c", "a"]);
}

#[test]
fn import_jobs_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let a = job("a", "ana", "2026-01-01T10:00:00Z");
    Store::open(&path).unwrap().put_import_job(&a).unwrap();
    assert_eq!(
        Store::open(&path).unwrap().import_job("a").unwrap(),
        Some(a)
    );
}
