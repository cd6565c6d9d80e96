//! Several `metas serve` instances on one PostgreSQL (issue 17), through
//! the real binary: a user signed in on one is signed in on the other; an
//! import through one reaches the other's pages without a request of its
//! own; a goal saved on one is read on the other; a restart loses no
//! session and nothing acknowledged; `kill -9` of an instance during its
//! catch-up, and of an import, leaves PostgreSQL and every read model
//! whole (compared table by table with PostgreSQL itself).

use std::path::PathBuf;
use std::process::Command;

use crate::common::{get_with_token, http, metas_with_env, run, says, Run, Server};
use crate::pg_support::TestDb;

const PASSWORD: &str = "a long enough password";

/// A shared database with its schema, an administrator, and a folder for
/// the instances' read models.
struct Shared {
    db: TestDb,
    dir: tempfile::TempDir,
}

impl Shared {
    fn new() -> Shared {
        let shared = Shared {
            db: TestDb::new(),
            dir: tempfile::tempdir().unwrap(),
        };
        let m = shared.metas("tool.db", &["migrate"]);
        assert_eq!(m.status, 0, "{m}");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_metas"));
        cmd.arg("--db")
            .arg(shared.path("tool.db"))
            .args(["user", "add", "admin", "--role", "admin"])
            .env("METAS_DATABASE", &shared.db.url);
        let added = run(cmd, Some(&format!("{PASSWORD}\n")));
        assert_eq!(added.status, 0, "{added}");
        shared
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn env(&self) -> [(&str, &str); 1] {
        [("METAS_DATABASE", self.db.url.as_str())]
    }

    /// `metas --db NAME ARGS…` on this shared database.
    fn metas(&self, read_model: &str, args: &[&str]) -> Run {
        metas_with_env(&self.path(read_model), args, &self.env())
    }

    fn serve(&self, read_model: &str) -> Server {
        Server::start_with(&self.path(read_model), &self.env())
    }

    /// Interactions created on consecutive days up to 2026-06-29, `from`
    /// numbering their ids, in `name`.
    fn csv(&self, name: &str, from: usize, rows: usize) -> PathBuf {
        let mut text = String::from("external_id,channel,created_at,status,agent,team,csat\n");
        for i in from..from + rows {
            let day = 29 - (i % 28);
            let csat = 1 + i % 5;
            let agent = ["ana", "ben", "cy"][i % 3];
            text.push_str(&format!(
                "T-{i},email,2026-06-{day:02}T10:00:00Z,solved,{agent},blue,{csat}\n"
            ));
        }
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `metas replica check` of a read model: every table equals PostgreSQL.
    fn assert_whole(&self, read_model: &str) {
        let check = self.metas(read_model, &["replica", "check"]);
        assert_eq!(check.status, 0, "{check}");
        assert!(check.stdout.contains("every table equals"), "{check}");
    }

    /// Interactions in PostgreSQL, read there directly.
    fn interactions(&self) -> i64 {
        self.db
            .client()
            .query_one("SELECT count(*) FROM interactions", &[])
            .unwrap()
            .get(0)
    }
}

/// Signs in through the login form: the cookies a browser then sends (the
/// session, and the change the sign-in was written at).
fn sign_in(addr: &str) -> String {
    let form = http(addr, "GET", "/login", &[], "");
    let csrf_cookie = form
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("metas_login_csrf="))
        .unwrap_or_else(|| panic!("a login form sets its token: {form}"));
    let token = csrf_cookie.split_once('=').unwrap().1.to_string();
    let body = format!(
        "csrf={token}&login=admin&password={}",
        PASSWORD.replace(' ', "+")
    );
    let done = http(
        addr,
        "POST",
        "/login",
        &[
            ("Cookie", &csrf_cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        &body,
    );
    assert_eq!(done.status, 303, "{done}");
    let cookies: Vec<String> = done
        .cookies()
        .into_iter()
        .filter(|c| c.starts_with("metas_session=") || c.starts_with("metas_change="))
        .collect();
    assert_eq!(cookies.len(), 2, "a session and its change: {done}");
    cookies.join("; ")
}

fn volume(addr: &str, token: &str) -> i64 {
    let a = get_with_token(addr, "/api/v1/kpi/volume", token);
    assert_eq!(a.status, 200, "{a}");
    let doc: serde_json::Value = serde_json::from_str(a.body.trim()).unwrap();
    doc["rows"][0]["value"]
        .as_f64()
        .unwrap_or_else(|| panic!("a volume: {doc}")) as i64
}

#[test]
fn two_instances_share_sign_ins_goals_and_imports_and_restarts_lose_nothing() {
    let shared = Shared::new();
    let first = shared.csv("first.csv", 0, 300);
    let imported = shared.metas("tool.db", &["import", first.to_str().unwrap()]);
    says(&imported, 0, "committed to the shared database as change");
    let token = shared.metas(
        "tool.db",
        &["token", "create", "--user", "admin", "--name", "t"],
    );
    assert_eq!(token.status, 0, "{token}");
    let token = token.stdout.lines().next().unwrap().trim().to_string();

    let a = shared.serve("a.db");
    let b = shared.serve("b.db");

    // Signed in on A, signed in on B.
    let session = sign_in(&a.addr);
    let page = http(&b.addr, "GET", "/goals", &[("Cookie", &session)], "");
    assert_eq!(page.status, 200, "{page}");
    let anonymous = http(&b.addr, "GET", "/goals", &[], "");
    assert_eq!(anonymous.status, 303, "{anonymous}");

    // A goal saved through A (the command is carried out by A, which holds
    // a.db) is read on B.
    let goal = shared.metas(
        "a.db",
        &[
            "goal",
            "add",
            "--metric",
            "csat",
            "--owner",
            "org",
            "--by",
            "2pp",
            "--deadline",
            "in two months",
            "--as-of",
            "2026-06-30",
            "--format",
            "json",
        ],
    );
    assert_eq!(goal.status, 0, "{goal}");
    // B follows within moments (a client that names the change it wrote
    // waits for nothing: below).
    let started = std::time::Instant::now();
    loop {
        let goals = get_with_token(&b.addr, "/api/v1/goals", &token);
        assert_eq!(goals.status, 200, "{goals}");
        if goals.body.contains("\"metric\":\"csat\"") {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{goals}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }

    // An import through A reaches B's API with no request of B's own: B
    // follows the database (LISTEN/NOTIFY).
    assert_eq!(volume(&b.addr, &token), 300);
    let second = shared.csv("second.csv", 300, 200);
    let through_a = shared.metas("a.db", &["import", second.to_str().unwrap()]);
    assert_eq!(through_a.status, 0, "{through_a}");
    let started = std::time::Instant::now();
    while volume(&b.addr, &token) != 500 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "B did not show the import"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }

    // A client that wrote through A and reads through B names the change it
    // wrote: B answers once it holds it.
    let change = through_a
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("committed to the shared database as change "))
        .unwrap_or_else(|| panic!("{through_a}"))
        .trim()
        .to_string();
    let read = http(
        &b.addr,
        "GET",
        "/api/v1/kpi/volume",
        &[
            ("Authorization", &format!("Bearer {token}")),
            ("Metas-Change", &change),
        ],
        "",
    );
    assert_eq!(read.status, 200, "{read}");
    let held: i64 = read.header("metas-change").unwrap().parse().unwrap();
    assert!(held >= change.parse::<i64>().unwrap(), "{read}");

    // Restarts, `kill -9` included: the session and the goal are still there.
    a.kill();
    b.kill();
    let a = shared.serve("a.db");
    let page = http(&a.addr, "GET", "/goals", &[("Cookie", &session)], "");
    assert_eq!(page.status, 200, "{page}");
    let goals = get_with_token(&a.addr, "/api/v1/goals", &token);
    assert!(goals.body.contains("\"metric\":\"csat\""), "{goals}");
    assert_eq!(volume(&a.addr, &token), 500);
    drop(a);
    for read_model in ["a.db", "b.db", "tool.db"] {
        shared.assert_whole(read_model);
    }
    assert_eq!(shared.interactions(), 500);
}

#[test]
fn kill_9_during_a_catch_up_or_an_import_leaves_everything_whole() {
    let shared = Shared::new();
    let big = shared.csv("big.csv", 0, 60_000);
    let b = shared.serve("b.db");
    // The import commits; B starts catching up at once, and is killed
    // within its catch-up (60,000 rows take it longer than 150 ms here).
    let imported = shared.metas("tool.db", &["import", big.to_str().unwrap()]);
    assert_eq!(imported.status, 0, "{imported}");
    std::thread::sleep(std::time::Duration::from_millis(150));
    b.kill();
    let stats = crate::common::alone(&shared.path("b.db"), ["stats", "--format", "json"]);
    let held = crate::common::table_rows(&stats.json(), "interactions");
    assert!(
        held == 0 || held == 60_000,
        "a read model holds a change whole or not at all: {held}"
    );
    // Restarted, it resumes from its watermark.
    let b = shared.serve("b.db");
    drop(b);
    shared.assert_whole("b.db");

    // An import killed midway: PostgreSQL has all of it or none of it, and
    // its read model catches up to whatever PostgreSQL has.
    let more = shared.csv("more.csv", 60_000, 60_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_metas"))
        .arg("--db")
        .arg(shared.path("tool.db"))
        .args(["import", more.to_str().unwrap()])
        .env("METAS_DATABASE", &shared.db.url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    let _ = child.kill();
    let _ = child.wait();
    let total = shared.interactions();
    assert!(
        total == 60_000 || total == 120_000,
        "PostgreSQL holds an import whole or not at all: {total}"
    );
    shared.assert_whole("tool.db");
    shared.assert_whole("b.db");
}

/// A user's read model file is never written to alone once it follows a
/// shared database: every write goes through PostgreSQL, and it is not
/// served without it.
#[test]
fn a_read_model_opened_alone_refuses_writes() {
    let shared = Shared::new();
    let csv = shared.csv("in.csv", 0, 10);
    assert_eq!(
        shared
            .metas("tool.db", &["import", csv.to_str().unwrap()])
            .status,
        0
    );
    let alone = crate::common::alone(
        &shared.path("tool.db"),
        ["indicator", "set", "csat", "--note", "alone"],
    );
    says(
        &alone,
        2,
        "this file is the read model of a shared PostgreSQL",
    );
    // Served alone it would refuse every sign-in: it is not served at all.
    let served = crate::common::alone(&shared.path("tool.db"), ["serve", "--addr", "127.0.0.1:0"]);
    says(
        &served,
        2,
        "is the read model of a shared PostgreSQL: serve it with --database",
    );
}
