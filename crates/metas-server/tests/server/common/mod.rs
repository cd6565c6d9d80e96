//! The test server: the real server on port 0 with a fresh demo database
//! and three users (an administrator, a team lead, an agent), and a client
//! that behaves like a browser.

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
        let state = AppState::new(
            store,
            ServerSettings {
                addr: "127.0.0.1:0".parse().unwrap(),
                secure_cookies: false,
                today: Box::new(|| "2026-06-30".parse().unwrap()),
                now: Box::new(jiff::Timestamp::now),
            },
        );
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
        }
    }

    /// Stops the server, closes its database and serves the same file again
    /// (on another port): what a restart of `metas serve` does.
    pub async fn restart(self) -> TestApp {
        let _ = self.stop.send(());
        self.server.await.unwrap().unwrap();
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
        let store = Store::open(&self.dir.path().join("web.db")).unwrap();
        Self::serve(store, self.dir).await
    }

    pub async fn start() -> TestApp {
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
        Self::serve(store, dir).await
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
