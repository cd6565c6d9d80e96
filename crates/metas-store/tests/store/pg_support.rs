//! A PostgreSQL for tests, started by the project's own script
//! (`scripts/pg-test-server`: installs the server if missing, starts one
//! cluster on loopback, idempotent across processes) once per test process,
//! and a fresh database per test, dropped at its end. Other test binaries
//! include this file with `#[path]`. `METAS_TEST_DATABASE` (a URL of a
//! server's maintenance database) uses a server of one's own instead.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The URL of the server's maintenance database.
pub fn server_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("METAS_TEST_DATABASE") {
            return url;
        }
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/pg-test-server");
        let out = std::process::Command::new("bash")
            .arg(script)
            .output()
            .expect("running scripts/pg-test-server");
        assert!(
            out.status.success(),
            "scripts/pg-test-server failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
        forget_dead_processes_databases(&url);
        url
    })
}

/// Drops the databases of test processes that are gone (a test process
/// that ends keeps the databases it leaked on purpose, and a killed one
/// keeps all of its own).
fn forget_dead_processes_databases(url: &str) {
    let url = url.to_string();
    let _ = std::thread::spawn(move || -> Result<(), postgres::Error> {
        let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
        let names: Vec<String> = client
            .query(
                "SELECT datname FROM pg_database WHERE datname LIKE 't\\_%'",
                &[],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for name in names {
            let pid = name.split('_').nth(1).unwrap_or("");
            if !pid.is_empty() && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
            }
        }
        Ok(())
    })
    .join();
}

/// A database of its own for one test: `t_<pid>_<n>_<nanos>`, dropped when
/// the value is.
pub struct TestDb {
    pub url: String,
    name: String,
}

/// Runs `sql` on the server's maintenance database, on a thread of its own:
/// the sync client runs its own runtime, which cannot start inside an
/// async test's.
fn admin(sql: String) -> Result<(), postgres::Error> {
    std::thread::scope(|s| {
        s.spawn(|| {
            postgres::Client::connect(server_url(), postgres::NoTls)
                .expect("connecting to the test server")
                .batch_execute(&sql)
        })
        .join()
        .unwrap()
    })
}

impl TestDb {
    pub fn new() -> TestDb {
        static N: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "t_{}_{}_{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        admin(format!("CREATE DATABASE {name}")).unwrap();
        let base = server_url();
        let (prefix, _) = base.rsplit_once('/').unwrap();
        TestDb {
            url: format!("{prefix}/{name}"),
            name,
        }
    }

    /// A client of this database (to set it up as a test needs).
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = admin(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}
