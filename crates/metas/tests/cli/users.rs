//! `metas user add` reads the password from stdin and refuses what it cannot
//! store safely.

use std::process::Command;

use crate::common::{metas, run};

fn add(db: &std::path::Path, password: &str, args: &[&str]) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_metas"));
    cmd.arg("--db").arg(db).args(["user", "add"]).args(args);
    let out = run(cmd, Some(&format!("{password}\n")));
    (out.status, out.stderr)
}

#[test]
fn users_are_added_with_a_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("u.db");
    let run = metas(
        &db,
        ["demo", "--interactions", "3000", "--as-of", "2026-06-30"],
    );
    assert_eq!(run.status, 0, "{run}");
    let pw = "a long enough secret";
    assert_eq!(add(&db, pw, &["maria", "--role", "manager"]).0, 0);
    assert_eq!(
        add(&db, pw, &["li", "--role", "lead", "--team", "Technical"]).0,
        0
    );
    let (status, err) = add(&db, "short", &["sam", "--role", "admin"]);
    assert_eq!(status, 2, "{err}");
    assert!(err.contains("at least 10 characters"), "{err}");
    let (status, err) = add(&db, pw, &["x", "--role", "boss"]);
    assert_eq!(status, 2, "{err}");
    assert!(err.contains("admin, manager, lead, agent"), "{err}");
    let (status, err) = add(&db, pw, &["maria", "--role", "admin"]);
    assert_eq!(status, 2, "{err}");
    assert!(err.contains("already exists"), "{err}");
    let run = metas(&db, ["user", "list", "--format", "json"]);
    assert_eq!(run.status, 0, "{run}");
    let users = run.json();
    let list = users["users"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["login"], "li");
    assert_eq!(list[0]["role"], "lead");
    assert_eq!(list[0]["team"], "Technical");
    assert!(!run.stdout.contains("argon2"), "no hash is ever printed");
}
