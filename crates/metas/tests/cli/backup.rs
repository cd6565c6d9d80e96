//! `metas backup` and `metas restore` through the real binary: a backup
//! restored into a fresh folder gives the same figures; one taken from a
//! running server too; nothing is overwritten or half-written.

use std::path::Path;

// A restore puts a file in place of the local database: it runs on the
// file alone on either backend (on a read model it is refused).
use crate::common::{add_user, alone, metas, metas_with_env, Server};

fn figures(db: &Path) -> (String, String) {
    let kpi = metas(db, ["kpi", "csat", "--by", "team", "--format", "json"]);
    assert_eq!(kpi.status, 0, "{kpi}");
    let goals = metas(db, ["goal", "list"]);
    assert_eq!(goals.status, 0, "{goals}");
    (kpi.stdout, goals.stdout)
}

fn demo(db: &Path) {
    let run = metas(
        db,
        [
            "demo",
            "--interactions",
            "3000",
            "--seed",
            "4",
            "--as-of",
            "2026-06-30",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
}

#[test]
fn a_backup_restored_into_a_fresh_folder_gives_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("metas.db");
    demo(&db);
    let before = figures(&db);

    let backup = dir.path().join("backup.db");
    let run = metas(&db, ["backup", backup.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{run}");
    assert!(run.stdout.contains("3000 interactions"), "{run}");
    // A second backup to the same name is refused; the first is untouched.
    let len = std::fs::metadata(&backup).unwrap().len();
    let again = metas(&db, ["backup", backup.to_str().unwrap()]);
    assert_eq!(again.status, 2, "{again}");
    assert!(again.stderr.contains("already exists"), "{again}");
    assert_eq!(std::fs::metadata(&backup).unwrap().len(), len);

    let fresh = tempfile::tempdir().unwrap();
    let restored = fresh.path().join("metas.db");
    let run = alone(&restored, ["restore", backup.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{run}");
    assert_eq!(figures(&restored), before);

    // Restoring over a database needs --replace, and keeps what it replaces.
    let over = alone(&restored, ["restore", backup.to_str().unwrap()]);
    assert_eq!(over.status, 2, "{over}");
    assert!(over.stderr.contains("--replace"), "{over}");
    let over = alone(
        &restored,
        ["restore", backup.to_str().unwrap(), "--replace"],
    );
    assert_eq!(over.status, 0, "{over}");
    assert!(fresh.path().join("metas.db.before-restore").exists());
    assert_eq!(figures(&restored), before);

    // Not a database: one sentence naming the file, nothing left behind.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "id,created_at\n1,2026-01-01\n").unwrap();
    let other = fresh.path().join("other.db");
    let run = alone(&other, ["restore", junk.to_str().unwrap()]);
    assert_eq!(run.status, 2, "{run}");
    assert_eq!(run.stderr_lines().len(), 1, "{run}");
    assert!(
        run.stderr.contains("junk.db is not a metas database"),
        "{run}"
    );
    assert!(!other.exists());
    let leftovers: Vec<_> = std::fs::read_dir(fresh.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial") || n.ends_with(".wal"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_backup_is_taken_from_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("metas.db");
    demo(&db);
    let add = add_user(&db, "root", "admin", "correct horse battery");
    assert_eq!(add.status, 0, "{add}");
    let token = metas(
        &db,
        ["token", "create", "--user", "root", "--name", "backup"],
    );
    assert_eq!(token.status, 0, "{token}");
    let token = token.stdout.lines().next().unwrap().trim().to_string();
    let before = figures(&db);

    let server = Server::start(&db);
    let addr = server.addr.clone();

    // The server holding the file carries a plain backup out (relay.rs).
    let backup = dir.path().join("live.db");
    let run = metas(&db, ["backup", backup.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{run}");
    assert_eq!(figures(&backup), before);
    std::fs::remove_file(&backup).unwrap();

    // And one over HTTP with an administrator's token.
    let url = format!("http://{addr}");
    let run = metas_with_env(
        &db,
        ["backup", backup.to_str().unwrap(), "--url", &url],
        &[("METAS_TOKEN", "mt_1_not-the-secret")],
    );
    assert_eq!(run.status, 1, "{run}");
    assert!(!backup.exists());
    let run = metas_with_env(
        &db,
        ["backup", backup.to_str().unwrap(), "--url", &url],
        &[("METAS_TOKEN", &token)],
    );
    assert_eq!(run.status, 0, "{run}");
    assert_eq!(figures(&backup), before);
}
