//! The test server: the real server on port 0 with a fresh demo database
//! and three users (an administrator, a team lead, an agent), and a client
//! that behaves like a browser.
//!
//! With `METAS_TEST_BACKEND=postgres` every test runs on the PostgreSQL
//! backend: the database is copied into a fresh PostgreSQL database of its
//! own (`metas replica seed`), the server serves that file as its read
//! model with every write shipped to PostgreSQL, and when the test ends the
//! read model is compared with PostgreSQL table by table (a write that
//! bypassed PostgreSQL fails the test).

use std::net::SocketAddr;
use std::sync::Arc;

use metas_server::{AppState, ServerSettings};
use metas_service::demo::{generate, DemoOptions};
use metas_service::users::{add_user, Role};
use metas_store::Store;
use reqwest::redirect::Policy;
use reqwest::StatusCode;
use serde_json::Value;

pub const PASSWORD: &str = "correct horse battery";

/// A running server and its address.
pub struct TestApp {
    pub addr: SocketAddr,
    dir: tempfile::TempDir,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    state: std::sync::Weak<AppState>,
    /// The PostgreSQL database of the test, on the PostgreSQL backend.
    shared: Option<Arc<crate::pg_support::TestDb>>,
}

/// Whether the tests run on the PostgreSQL backend (`METAS_TEST_BACKEND=postgres`).
pub fn on_postgres() -> bool {
    std::env::var("METAS_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// Makes `store` the read model of the test's PostgreSQL database: copies
/// it there when `fresh`, else catches it up. Blocking (the sync client).
fn replicate(store: &mut Store, url: &str, fresh: bool) {
    use metas_store::pg::{PgDatabase, Replication};
    let mut pg = PgDatabase::connect(url).unwrap();
    if fresh {
        pg.migrate().unwrap();
        store.replicate_to(Replication::seeding(pg).unwrap());
        store.seed_shared().unwrap();
    } else {
        store.replicate_to(Replication::new(pg).unwrap());
        store.catch_up().unwrap();
    }
}

impl TestApp {
    /// A fresh demo database of `interactions` in `dir`.
    pub fn demo_store(dir: &tempfile::TempDir, interactions: u64) -> Store {
        let mut store = Store::open(&dir.path().join("web.db")).unwrap();
        generate(
            &mut store,
            &DemoOptions {
                seed: 5,
                interactions,
                as_of: "2026-06-30".parse().unwrap(),
            },
        )
        .unwrap();
        store
    }

    /// Serves `store` on a free loopback port, "today" being 2026-06-30.
    pub async fn serve(store: Store, dir: tempfile::TempDir) -> TestApp {
        let shared = match on_postgres() {
            true => Some(Arc::new(
                tokio::task::spawn_blocking(crate::pg_support::TestDb::new)
                    .await
                    .unwrap(),
            )),
            false => None,
        };
        Self::serve_on(store, dir, shared, true).await
    }

    async fn serve_on(
        mut store: Store,
        dir: tempfile::TempDir,
        shared: Option<Arc<crate::pg_support::TestDb>>,
        fresh: bool,
    ) -> TestApp {
        let url = shared.as_ref().map(|db| db.url.clone());
        // The sync PostgreSQL client runs its own runtime: off the async threads.
        let state = tokio::task::spawn_blocking(move || {
            if let Some(url) = &url {
                replicate(&mut store, url, fresh);
            }
            AppState::new(
                store,
                ServerSettings {
                    addr: "127.0.0.1:0".parse().unwrap(),
                    secure_cookies: false,
                    today: Box::new(|| "2026-06-30".parse().unwrap()),
                    now: Box::new(jiff::Timestamp::now),
                    shared_database: url,
                },
            )
        })
        .await
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let weak = Arc::downgrade(&state);
        let server = tokio::spawn(metas_server::serve_until(listener, state, async {
            let _ = stopped.await;
        }));
        TestApp {
            addr,
            dir,
            stop,
            server,
            state: weak,
            shared,
        }
    }

    /// Stops the server, closes its database and serves the same file again
    /// (on another port): what a restart of `metas serve` does.
    pub async fn restart(mut self) -> TestApp {
        self.verify_replica();
        let shared = self.shared.take();
        // Taken out of the value (it verifies its replica when dropped).
        let stop = std::mem::replace(&mut self.stop, tokio::sync::oneshot::channel().0);
        let server = std::mem::replace(&mut self.server, tokio::spawn(async { Ok(()) }));
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap());
        let _ = stop.send(());
        server.await.unwrap().unwrap();
        // The database closes when the last request lets go of the state.
        for _ in 0..200 {
            if self.state.upgrade().is_none() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(
            self.state.upgrade().is_none(),
            "the server let go of its state"
        );
        let store = Store::open(&dir.path().join("web.db")).unwrap();
        Self::serve_on(store, dir, shared, false).await
    }

    /// On the PostgreSQL backend: the read model equals PostgreSQL, table
    /// by table (a write that bypassed PostgreSQL would part them).
    fn verify_replica(&self) {
        if self.shared.is_none() {
            return;
        }
        let Some(state) = self.state.upgrade() else {
            return;
        };
        let verdict = std::thread::spawn(move || state.verify_replica())
            .join()
            .unwrap();
        match verdict {
            Ok(Some((_, mismatches))) => assert!(
                mismatches.is_empty(),
                "the read model parted from PostgreSQL: {mismatches:?}"
            ),
            Ok(None) => {}
            Err(e) => panic!("comparing the read model with PostgreSQL: {e}"),
        }
    }

    pub async fn start() -> TestApp {
        let (store, dir) = Self::organisation();
        Self::serve(store, dir).await
    }

    /// [`TestApp::start`] on the PostgreSQL backend whatever the tests run on.
    pub async fn start_shared() -> TestApp {
        let (store, dir) = Self::organisation();
        let shared = tokio::task::spawn_blocking(crate::pg_support::TestDb::new)
            .await
            .unwrap();
        Self::serve_on(store, dir, Some(Arc::new(shared)), true).await
    }

    /// A second instance on this one's PostgreSQL: a read model of its own,
    /// built from PostgreSQL, served on another port.
    pub async fn another_instance(&self) -> TestApp {
        let shared = self.shared.clone().expect("an instance on PostgreSQL");
        let dir = tempfile::tempdir().unwrap();
        let url = shared.url.clone();
        let path = dir.path().join("web.db");
        let store = tokio::task::spawn_blocking(move || {
            let mut pg = metas_store::pg::PgDatabase::connect(&url).unwrap();
            metas_store::pg::rebuild(&mut pg, &path).unwrap().0
        })
        .await
        .unwrap();
        Self::serve_on(store, dir, Some(shared), false).await
    }

    /// The demo organisation of [`TestApp::start`], in a folder of its own.
    fn organisation() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Self::demo_store(&dir, 20_000);
        add_user(&mut store, "admin", PASSWORD, Role::Admin, None, None).unwrap();
        add_user(
            &mut store,
            "li",
            PASSWORD,
            Role::Lead,
            Some("Technical"),
            None,
        )
        .unwrap();
        add_user(
            &mut store,
            "kevin",
            PASSWORD,
            Role::Agent,
            None,
            Some("Kevin M."),
        )
        .unwrap();
        // Goals 1 (org), 2 (the Technical team), 3 (Kevin M.).
        for owner in ["org", "team:Technical", "agent:Kevin M."] {
            metas_service::goal::add(
                &mut store,
                &metas_service::goal::GoalRequest {
                    metric: "csat".into(),
                    owner: owner.into(),
                    by: Some("2pp".into()),
                    deadline: "in two months".into(),
                    start: Some("2026-04-01".parse().unwrap()),
                    as_of: "2026-06-30".parse().unwrap(),
                    who: "test".into(),
                    ..Default::default()
                },
                "2026-04-01T08:30:00Z".parse().unwrap(),
            )
            .unwrap();
        }
        (store, dir)
    }

    /// Another connection to the server's database (replicated as the
    /// server's are, on the PostgreSQL backend).
    pub async fn connection(&self) -> Store {
        let state = self.state.upgrade().unwrap();
        tokio::task::spawn_blocking(move || state.another_connection().unwrap())
            .await
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap()
    }

    /// The hidden CSRF field of a page.
    pub fn csrf(html: &str) -> String {
        let at = html.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
        html[at..].split('"').next().unwrap().to_string()
    }

    pub async fn login(&self, login: &str, password: &str) -> (reqwest::Client, reqwest::Response) {
        let client = Self::client();
        let page = client.get(self.url("/login")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let csrf = Self::csrf(&page.text().await.unwrap());
        let res = client
            .post(self.url("/login"))
            .form(&[
                ("login", login),
                ("password", password),
                ("csrf", csrf.as_str()),
            ])
            .send()
            .await
            .unwrap();
        (client, res)
    }

    pub async fn volume(&self, client: &reqwest::Client, query: &str) -> (StatusCode, Value) {
        let res = client
            .get(self.url(&format!("/api/v1/kpi/volume{query}")))
            .send()
            .await
            .unwrap();
        (res.status(), res.json().await.unwrap())
    }

    /// A page as a client gets it: status and body.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> (StatusCode, String) {
        let res = client.get(self.url(path)).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// A form posted by a client.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client.post(self.url(path)).form(form).send().await.unwrap()
    }

    /// The CSRF token of a logged-in client's session.
    pub async fn session_csrf(&self, client: &reqwest::Client) -> String {
        let (_, html) = self.page(client, "/goals").await;
        Self::csrf(&html)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.verify_replica();
        }
    }
}
