//! Sessions expire when unused, are renewed while used, and end at their
//! maximum age however often they are used.

use jiff::{SignedDuration, Timestamp};
use metas_service::sessions::{log_in, renew, session, Login, SESSION_LIFETIME, SESSION_MAX_AGE};
use metas_service::users::{add_user, Role};
use metas_store::Store;

fn at(t: Timestamp, hours: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_hours(hours)).unwrap()
}

#[test]
fn a_used_session_is_renewed_up_to_its_maximum_age() {
    let mut store = Store::open_in_memory().unwrap();
    add_user(
        &mut store,
        "li",
        "correct horse battery",
        Role::Manager,
        None,
        None,
    )
    .unwrap();
    let t0: Timestamp = "2026-06-01T08:00:00Z".parse().unwrap();
    let Login::Started(s) = log_in(
        &mut store,
        "li",
        "correct horse battery",
        t0,
        "token",
        "csrf".into(),
    )
    .unwrap() else {
        panic!("signed in");
    };
    assert_eq!(s.expires_at, t0.checked_add(SESSION_LIFETIME).unwrap());
    assert_eq!(s.started_at, t0);

    // Used with more than half its lifetime left: nothing is written.
    let s = renew(&mut store, "token", s, at(t0, 5)).unwrap();
    assert_eq!(s.expires_at, at(t0, 12));
    // Used with less than half left: it runs twelve hours from now, in the
    // store too (a restart keeps the renewal).
    let s = renew(&mut store, "token", s, at(t0, 7)).unwrap();
    assert_eq!(s.expires_at, at(t0, 19));
    let stored = session(&store, "token", at(t0, 18)).unwrap().unwrap();
    assert_eq!(stored.expires_at, at(t0, 19));
    // Unused past its end, it is over.
    assert!(session(&store, "token", at(t0, 19)).unwrap().is_none());

    // Used every few hours for a week, it still ends at its maximum age.
    let mut s = stored;
    let mut now = at(t0, 18);
    while let Some(live) = session(&store, "token", now).unwrap() {
        s = renew(&mut store, "token", live, now).unwrap();
        now = at(now, 7);
    }
    assert_eq!(s.expires_at, t0.checked_add(SESSION_MAX_AGE).unwrap());
    assert!(now > s.expires_at);
}
