//! Shared helpers for the integration tests: run the real `metas` binary and
//! read what it printed. Each test file that uses it says `mod common;`.

// Not every test file uses every helper.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// The exit status (-1 when killed by a signal).
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The non-blank lines of stderr.
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect()
    }

    /// Stdout as the one JSON document `--format json` promises.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e})\nstdout:\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}---",
            self.status,
            clip(&self.stdout),
            clip(&self.stderr)
        )
    }
}

/// Long outputs (a 1 MB value echoed back) are shortened in failure messages.
fn clip(s: &str) -> String {
    const MAX: usize = 4000;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)\n", &s[..end], s.len())
}

/// Runs `metas --db DB ARGS…` in DB's folder, with no METAS_* variables
/// from the caller's environment.
pub fn metas<I, S>(db: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    metas_with_env(db, args, &[])
}

/// [`metas`] with these environment variables set.
pub fn metas_with_env<I, S>(db: &Path, args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_metas"));
    cmd.arg("--db").arg(db).args(args);
    if let Some(dir) = db.parent().filter(|d| d.is_dir()) {
        cmd.current_dir(dir);
    }
    cmd.envs(env.iter().copied());
    run(cmd, None)
}

/// Runs a prepared command of the binary with `stdin` (none: empty) and
/// no METAS_* variables from the caller's environment.
pub fn run(mut cmd: Command, stdin: Option<&str>) -> Run {
    use std::io::Write;
    on_shared_database(&mut cmd);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("METAS_") && !cmd.get_envs().any(|(k, _)| k == key) {
            cmd.env_remove(key);
        }
    }
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the metas binary runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    if let Some(text) = stdin {
        // A command that does not read its input may have ended already.
        let _ = input.write_all(text.as_bytes());
    }
    drop(input);
    let out = child.wait_with_output().expect("the metas binary ends");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Whether the CLI tests run on the PostgreSQL backend
/// (`METAS_TEST_BACKEND=postgres`): every `--db` file is then the read model
/// of a PostgreSQL database of its own, and every write goes there.
pub fn on_postgres() -> bool {
    std::env::var("METAS_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// On the PostgreSQL backend, points a command at the PostgreSQL database
/// of its `--db` file (made and migrated on first use, kept for the rest
/// of the test process), unless the test named one itself.
fn on_shared_database(cmd: &mut Command) {
    // A test that names a database, or works on a file alone on purpose
    // (`METAS_TEST_ALONE`), keeps what it chose.
    if !on_postgres()
        || cmd
            .get_envs()
            .any(|(k, _)| k == "METAS_DATABASE" || k == "METAS_TEST_ALONE")
    {
        return;
    }
    let args: Vec<&OsStr> = cmd.get_args().collect();
    if args.iter().any(|a| *a == "--database") {
        return;
    }
    let Some(db) = args
        .windows(2)
        .find(|w| w[0] == "--db")
        .map(|w| PathBuf::from(w[1]))
    else {
        return;
    };
    let db = match cmd.get_current_dir() {
        Some(dir) if db.is_relative() => dir.join(db),
        _ => db,
    };
    let url = shared_database_of(&db);
    cmd.env("METAS_DATABASE", url);
}

fn shared_database_of(db: &Path) -> String {
    use std::collections::HashMap;
    use std::os::unix::fs::MetadataExt;
    use std::sync::{Mutex, OnceLock};
    // Per file: its database, and the file it was made for (its inode, once
    // it exists). A file put in its place (a restore, another backup) is a
    // new deployment, seeded from it.
    type Known = HashMap<PathBuf, (String, Option<(u64, Option<std::time::SystemTime>)>)>;
    static DATABASES: OnceLock<Mutex<Known>> = OnceLock::new();
    let mut map = DATABASES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let key = db.parent().and_then(|p| p.canonicalize().ok()).map_or_else(
        || db.to_path_buf(),
        |p| p.join(db.file_name().unwrap_or_default()),
    );
    // The inode and the birth time: an inode is reused once a file is removed.
    let inode = std::fs::metadata(db)
        .ok()
        .map(|m| (m.ino(), m.created().ok()));
    match map.get_mut(&key) {
        Some((url, seen)) if seen.is_none() || *seen == inode => {
            *seen = inode;
            return url.clone();
        }
        _ => {}
    }
    let shared = crate::pg_support::TestDb::new();
    let url = shared.url.clone();
    // Kept for the process: dropped by the next run (pg_support).
    std::mem::forget(shared);
    let mut migrate = Command::new(env!("CARGO_BIN_EXE_metas"));
    migrate.args(["migrate", "--database", &url]);
    let out = migrate.output().expect("the metas binary runs");
    assert!(out.status.success(), "migrating {url}: {out:?}");
    // A file made before (a backup, a copy): it seeds its database, as
    // `metas replica seed` seeds a new deployment's.
    if inode.is_some() {
        let mut seed = Command::new(env!("CARGO_BIN_EXE_metas"));
        seed.arg("--db")
            .arg(db)
            .args(["replica", "seed", "--database", &url]);
        let out = seed.output().expect("the metas binary runs");
        assert!(out.status.success(), "seeding {url}: {out:?}");
    }
    map.insert(key, (url.clone(), inode));
    url
}

/// Asserts that `run` ended with `status` and said `text` (on its standard
/// output or error).
pub fn says(run: &Run, status: i32, text: &str) {
    assert_eq!(run.status, status, "{run}");
    assert!(
        run.stdout.contains(text) || run.stderr.contains(text),
        "expected {text:?}: {run}"
    );
}

/// [`metas`] on the file alone, on either backend: what a test of a file
/// as such (a read model opened without its database) runs.
pub fn alone<I, S>(db: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    metas_with_env(db, args, &[("METAS_TEST_ALONE", "1")])
}

/// `metas --db DB stats --format json`, which must succeed.
pub fn stats(db: &Path) -> serde_json::Value {
    let run = metas(db, ["stats", "--format", "json"]);
    assert_eq!(run.status, 0, "metas stats failed:\n{run}");
    run.json()
}

/// The row count of one table in a `stats` document.
pub fn table_rows(stats: &serde_json::Value, table: &str) -> i64 {
    stats["tables"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["table"] == table))
        .and_then(|t| t["rows"].as_i64())
        .unwrap_or_else(|| panic!("stats has no row count for table {table}: {stats}"))
}

/// How many interactions the database at DB holds.
pub fn interactions(db: &Path) -> i64 {
    table_rows(&stats(db), "interactions")
}

/// A file under `crates/metas/tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// True when `text` says "line N" for exactly this N (not "line 30" for 3).
pub fn names_line(text: &str, n: u64) -> bool {
    let needle = format!("line {n}");
    text.match_indices(&needle).any(|(at, _)| {
        !text[at + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// True when `text` says "line N" for some N.
pub fn names_some_line(text: &str) -> bool {
    text.match_indices("line ").any(|(at, m)| {
        text[at + m.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// A mapping for event CSVs (`ticket,at,kind,status,actor`) of the source
/// `helpdesk`.
pub const EVENT_MAPPING: &str = r#"
[source]
name = "helpdesk"
record = "event"

[fields]
interaction_external_id = "ticket"
at = "at"
kind = "kind"
status = "status"
actor = "actor"
"#;

/// `metas import FIXTURE --preset PRESET` (then `extra` arguments, such as
/// `--format json`) into DB.
pub fn import_fixture(db: &Path, rel: &str, preset: &str, extra: &[&str]) -> Run {
    let file = fixture(rel);
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("import"),
        file.as_os_str(),
        OsStr::new("--preset"),
        OsStr::new(preset),
    ];
    args.extend(extra.iter().map(OsStr::new));
    metas(db, args)
}

/// A `metas serve` started by a test, killed when dropped.
pub struct Server {
    child: std::process::Child,
    pub addr: String,
}

impl Server {
    /// Serves DB on a free loopback port; returns once it answers.
    pub fn start(db: &Path) -> Server {
        Server::start_with(db, &[])
    }

    /// The same, with environment variables set (`METAS_DATABASE`).
    pub fn start_with(db: &Path, env: &[(&str, &str)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_metas"));
        cmd.arg("--db")
            .arg(db)
            .args(["serve", "--addr", &addr])
            .envs(env.iter().copied());
        on_shared_database(&mut cmd);
        let child = cmd
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let server = Server { child, addr };
        for _ in 0..200 {
            if std::net::TcpStream::connect(&server.addr).is_ok() {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("metas serve did not answer on {}", server.addr);
    }

    /// Kills the server as `kill -9` would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `metas user add LOGIN --role ROLE` with the password on standard input.
pub fn add_user(db: &Path, login: &str, role: &str, password: &str) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_metas"));
    cmd.arg("--db")
        .arg(db)
        .args(["user", "add", login, "--role", role]);
    run(cmd, Some(&format!("{password}\n")))
}

/// An HTTP answer: its status, head (lower-case header names) and body.
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Answer {
    /// The value of the first header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    /// The values of every `Set-Cookie`, as `name=value`.
    pub fn cookies(&self) -> Vec<String> {
        self.head
            .lines()
            .filter_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.eq_ignore_ascii_case("set-cookie")
                    .then(|| v.trim().split(';').next().unwrap_or("").to_string())
            })
            .collect()
    }
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n{}", self.head, clip(&self.body))
    }
}

/// One request over a plain loopback connection (`Connection: close`).
pub fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    conn.write_all(req.as_bytes()).unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// A GET with an API token.
pub fn get_with_token(addr: &str, path: &str, token: &str) -> Answer {
    http(
        addr,
        "GET",
        path,
        &[("Authorization", &format!("Bearer {token}"))],
        "",
    )
}
