//! Commands on a database that `metas serve` holds: the server carries them
//! out for the caller over its local socket (crates/metas/src/relay.rs),
//! with the same output and exit status as when they run alone.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{add_user, get_with_token, metas, run, Run, Server};

/// A demo organisation with an administrator, in `folder/metas.db`.
fn organisation(folder: &Path) -> PathBuf {
    std::fs::create_dir_all(folder.join("in")).unwrap();
    let db = folder.join("metas.db");
    let run = metas(
        &db,
        [
            "demo",
            "--interactions",
            "3000",
            "--seed",
            "9",
            "--as-of",
            "2026-06-30",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let add = add_user(&db, "root", "admin", "correct horse battery");
    assert_eq!(add.status, 0, "{add}");
    // A nightly export with one row that cannot be read.
    std::fs::write(
        folder.join("in/nightly.csv"),
        "external_id,created_at,channel,agent,topic\n\
         N-1,2026-06-29T10:00:00Z,email,Ana Souza,returns\n\
         N-2,yesterday,email,Ana Souza,returns\n\
         N-3,2026-06-29T11:30:00Z,chat,Ana Souza,billing\n",
    )
    .unwrap();
    db
}

/// `metas --db ../metas.db ARGS…` run in the organisation's `in` folder, so
/// that relative paths are the caller's.
fn in_folder(folder: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_metas"));
    cmd.args(["--db", "../metas.db"])
        .args(args)
        .current_dir(folder.join("in"))
        .env("USER", "night-operator");
    run(cmd, stdin)
}

/// The output without the one thing that differs between two runs: how
/// long an import took (`… 0.13 s)`, `"seconds": 0.13`).
fn without_seconds(text: &str) -> String {
    text.lines()
        .map(|line| match line.rfind(" s)") {
            _ if line.trim_start().starts_with("\"seconds\":") => "\"seconds\": N".to_string(),
            Some(end) => {
                let start = line[..end].rfind(' ').map_or(0, |i| i + 1);
                format!("{}N{}", &line[..start], &line[end..])
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn commands_carried_out_by_the_running_server_say_what_they_say_alone() {
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("alone");
    let served = dir.path().join("served");
    organisation(&alone);
    let served_db = organisation(&served);
    let server = Server::start(&served_db);

    // The socket beside the file is the owner's alone.
    let socket = served.join("metas.db.sock");
    let mode = std::fs::metadata(&socket).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");

    let cases: &[(&[&str], Option<&str>, i32)] = &[
        // A nightly import from cron: one row rejected (exit 1), its
        // rejects file in the caller's folder.
        (&["import", "nightly.csv", "--source", "nightly"], None, 1),
        (
            &[
                "import",
                "nightly.csv",
                "--source",
                "nightly",
                "--format",
                "json",
            ],
            None,
            1,
        ),
        (&["kpi", "csat", "--by", "team"], None, 0),
        (
            &[
                "kpi",
                "volume",
                "--where",
                "source = 'nightly'",
                "--format",
                "json",
            ],
            None,
            0,
        ),
        (
            &[
                "goal",
                "add",
                "--owner",
                "org",
                "--force",
                "--as-of",
                "2026-06-30",
                "--metric",
                "ces",
                "--where",
                "topic = 'returns'",
                "--by",
                "-20%",
                "--deadline",
                "8 June",
            ],
            None,
            0,
        ),
        (&["goal", "list", "--as-of", "2026-06-30"], None, 0),
        (&["interactions", "--where", "source = 'nightly'"], None, 0),
        // A password on standard input.
        (
            &["user", "add", "lead", "--role", "manager"],
            Some("a long passphrase\n"),
            0,
        ),
        (&["user", "list"], None, 0),
        // Refusals say the same sentence with the same status.
        (&["kpi", "nope"], None, 2),
        (&["import", "missing.csv"], None, 2),
        (&["goal", "show", "999"], None, 2),
    ];
    for (args, stdin, status) in cases {
        let want = in_folder(&alone, args, *stdin);
        let got = in_folder(&served, args, *stdin);
        assert_eq!(want.status, *status, "{args:?} alone: {want}");
        assert_eq!(
            got.status, want.status,
            "{args:?} through the server: {got}\nalone: {want}"
        );
        assert_eq!(
            without_seconds(&got.stdout),
            without_seconds(&want.stdout),
            "{args:?} stdout"
        );
        assert_eq!(got.stderr, want.stderr, "{args:?} stderr");
    }
    assert!(served.join("in/nightly.csv.rejects.csv").exists());
    assert_eq!(
        std::fs::read_to_string(served.join("in/nightly.csv.rejects.csv")).unwrap(),
        std::fs::read_to_string(alone.join("in/nightly.csv.rejects.csv")).unwrap()
    );

    // What the server carried out is the server's own data at once: a token
    // created through it opens its API, which counts the nightly rows.
    let token = in_folder(
        &served,
        &["token", "create", "--user", "root", "--name", "cron"],
        None,
    );
    assert_eq!(token.status, 0, "{token}");
    let token = token.stdout.lines().next().unwrap().trim().to_string();
    let answer = get_with_token(
        &server.addr,
        "/api/v1/kpi/volume?where=source%20%3D%20%27nightly%27",
        &token,
    );
    assert_eq!(answer.status, 200, "{answer}");
    assert!(answer.body.contains("\"value\":2"), "{answer}");

    // Once the server stops, the file is everyone's again.
    drop(server);
    let after = metas(
        &served_db,
        ["kpi", "volume", "--where", "source = 'nightly'"],
    );
    let alone_after = metas(
        &alone.join("metas.db"),
        ["kpi", "volume", "--where", "source = 'nightly'"],
    );
    assert_eq!(after.status, 0, "{after}");
    assert_eq!(after.stdout, alone_after.stdout);
}

#[test]
fn a_killed_servers_socket_is_passed_over_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let db = organisation(dir.path());
    let server = Server::start(&db);
    server.kill();
    // kill -9 leaves the socket; nobody answers on it, so commands run alone.
    assert!(dir.path().join("metas.db.sock").exists());
    let run = metas(&db, ["kpi", "csat"]);
    assert_eq!(run.status, 0, "{run}");
    // A new server takes the socket over and carries commands out again.
    let server = Server::start(&db);
    let run = in_folder(
        dir.path(),
        &["import", "nightly.csv", "--source", "nightly"],
        None,
    );
    assert_eq!(run.status, 1, "{run}");
    assert!(run.stdout.contains("imported 2"), "{run}");
    // Commands that cannot be carried out by it say so and change nothing.
    let run = metas(&db, ["serve", "--addr", "127.0.0.1:0"]);
    assert_eq!(run.status, 2, "{run}");
    assert!(
        run.stderr.contains("in use by another metas process"),
        "{run}"
    );
    drop(server);
}

/// A backup the server carries out while it carries out imports for other
/// commands is one moment: each import is in it whole or not at all.
#[test]
fn a_backup_carried_out_by_the_server_holds_imports_whole_or_not_at_all() {
    const ROWS: usize = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let db = organisation(dir.path());
    for n in 1..=3 {
        let mut csv = String::from("external_id,created_at,channel,agent,topic,csat\n");
        for i in 0..ROWS {
            csv.push_str(&format!(
                "B{n}-{i},2026-06-{:02}T10:00:00Z,email,Agent {},returns,{}\n",
                1 + i % 28,
                i % 40,
                1 + i % 5
            ));
        }
        std::fs::write(dir.path().join(format!("in/b{n}.csv")), csv).unwrap();
    }
    let _server = Server::start(&db);
    let folder = dir.path().to_path_buf();
    let imports: Vec<_> = (1..=3)
        .map(|n| {
            let folder = folder.clone();
            std::thread::spawn(move || {
                let file = format!("b{n}.csv");
                let source = format!("b{n}");
                in_folder(&folder, &["import", &file, "--source", &source], None)
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let backup = in_folder(dir.path(), &["backup", "../snapshot.db"], None);
    for import in imports {
        let run = import.join().unwrap();
        assert_eq!(run.status, 0, "{run}");
    }
    assert_eq!(backup.status, 0, "{backup}");
    let stats = metas(
        &dir.path().join("snapshot.db"),
        ["stats", "--format", "json"],
    );
    assert_eq!(stats.status, 0, "{stats}");
    let doc = stats.json();
    for source in doc["sources"].as_array().unwrap() {
        let name = source["source"].as_str().unwrap();
        if name.starts_with('b') {
            assert_eq!(source["interactions"], ROWS, "{name}: {doc}");
        }
    }
}
