//! `metas bench serve`: the dashboard under concurrent clients on loopback.

use std::sync::Arc;
use std::time::{Duration, Instant};

use metas_service::users::{add_user, Role};
use metas_store::Store;
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::{AppState, ServerSettings};

#[derive(Debug, Serialize)]
pub struct ServeBench {
    pub clients: usize,
    pub requests: usize,
    pub errors: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub requests_per_sec: f64,
}

/// Reads one HTTP/1.1 response (headers and a Content-Length body); returns
/// the status code.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<u16> {
    buf.clear();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let status: u16 = head
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())
                        .flatten()
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Ok(status);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The state serving `store` on a loopback port for a benchmark, "today"
/// being `today`, with a manager `login` signed in as a browser would be
/// under session `token` and form token `csrf`; `then` runs on the store
/// before serving (a goal to check in on).
async fn serve_signed_in<T: Send + 'static>(
    store: Store,
    shared_database: Option<String>,
    today: jiff::civil::Date,
    login: String,
    token: String,
    csrf: String,
    then: impl FnOnce(&mut Store, jiff::Timestamp) -> Result<T, metas_service::ServiceError>
        + Send
        + 'static,
) -> std::io::Result<(std::net::SocketAddr, Arc<AppState>, T)> {
    let (addr, state) = serve_bench(store, today, shared_database).await?;
    let now = jiff::Timestamp::now();
    let extra = state
        .with_store(move |store| {
            let password = crate::auth::random_token();
            add_user(store, &login, &password, Role::Manager, None, None)?;
            metas_service::sessions::log_in(store, &login, &password, now, &token, csrf)?;
            then(store, now)
        })
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok((addr, state, extra))
}

/// Serves `store` on a loopback port for a benchmark, "today" being
/// `today`; `shared_database` when it is a read model of one.
async fn serve_bench(
    store: Store,
    today: jiff::civil::Date,
    shared_database: Option<String>,
) -> std::io::Result<(std::net::SocketAddr, Arc<AppState>)> {
    // Off the async threads: on a read model, connections to PostgreSQL
    // open with the sync client, which runs a runtime of its own.
    let state = tokio::task::spawn_blocking(move || {
        AppState::new(
            store,
            ServerSettings {
                addr: "127.0.0.1:0".parse().expect("a loopback address"),
                secure_cookies: false,
                today: Box::new(move || today),
                now: Box::new(jiff::Timestamp::now),
                shared_database,
            },
        )
    })
    .await
    .map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(crate::serve_on(listener, Arc::clone(&state)));
    Ok((addr, state))
}

/// Serves the store on a loopback port and has `clients` keep-alive clients
/// load the dashboard until `requests` have been answered.
pub fn dashboard(
    store: Store,
    today: jiff::civil::Date,
    clients: usize,
    requests: usize,
) -> std::io::Result<ServeBench> {
    dashboard_on(vec![store], None, today, clients, requests)
}

/// [`dashboard`] over several instances, each serving one of `stores` (the
/// read models of `shared_database`, when there is one); the clients are
/// spread over them in turn, signed in once on the first.
pub fn dashboard_on(
    mut stores: Vec<Store>,
    shared_database: Option<String>,
    today: jiff::civil::Date,
    clients: usize,
    requests: usize,
) -> std::io::Result<ServeBench> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let token = crate::auth::random_token();
        let others = stores.split_off(1.min(stores.len()));
        let first = stores
            .pop()
            .ok_or_else(|| std::io::Error::other("no store to serve"))?;
        let (addr, first_state, ()) = serve_signed_in(
            first,
            shared_database.clone(),
            today,
            "bench".into(),
            token.clone(),
            crate::auth::random_token(),
            |_, _| Ok(()),
        )
        .await?;
        let mut addrs = vec![addr];
        let mut states = vec![first_state];
        for store in others {
            let (addr, state) = serve_bench(store, today, shared_database.clone()).await?;
            addrs.push(addr);
            states.push(state);
        }
        // The sign-in reaches every instance before the clock starts.
        let signed_in = states[0].seen_change();
        let waiting = Instant::now();
        while states.iter().any(|s| s.seen_change() < signed_in) {
            if waiting.elapsed() > Duration::from_secs(10) {
                return Err(std::io::Error::other(
                    "an instance did not catch up with the sign-in",
                ));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let remaining = Arc::new(std::sync::atomic::AtomicUsize::new(requests));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for client in 0..clients {
            let addr = addrs[client % addrs.len()];
            let remaining = remaining.clone();
            let request = format!(
                "GET / HTTP/1.1\r\nHost: {addr}\r\nCookie: metas_session={token}\r\nConnection: keep-alive\r\n\r\n"
            );
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0usize;
                let mut stream = TcpStream::connect(addr).await?;
                let mut buf = Vec::with_capacity(64 * 1024);
                while remaining
                    .fetch_update(
                        std::sync::atomic::Ordering::Relaxed,
                        std::sync::atomic::Ordering::Relaxed,
                        |r| r.checked_sub(1),
                    )
                    .is_ok()
                {
                    let t = Instant::now();
                    stream.write_all(request.as_bytes()).await?;
                    let status = read_response(&mut stream, &mut buf).await?;
                    latencies.push(t.elapsed());
                    if status != 200 {
                        errors += 1;
                    }
                }
                Ok::<_, std::io::Error>((latencies, errors))
            }));
        }
        let mut all: Vec<Duration> = Vec::new();
        let mut errors = 0;
        for t in tasks {
            let (l, e) = t.await.map_err(std::io::Error::other)??;
            all.extend(l);
            errors += e;
        }
        let elapsed = started.elapsed().as_secs_f64();
        let requests = all.len();
        let (p50_ms, p95_ms, p99_ms, max_ms) = percentiles(all);
        Ok(ServeBench {
            clients,
            requests,
            errors,
            p50_ms,
            p95_ms,
            p99_ms,
            max_ms,
            requests_per_sec: requests as f64 / elapsed,
        })
    })
}

/// One kind of request in the mixed load, with what it saw.
#[derive(Debug, Serialize)]
pub struct LoadKind {
    pub kind: &'static str,
    pub requests: usize,
    pub errors: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// `metas bench load`: what the mixed load did, and whether every write the
/// server acknowledged is in the database afterwards.
#[derive(Debug, Serialize)]
pub struct LoadBench {
    pub clients: usize,
    pub seconds: f64,
    pub requests: usize,
    pub errors: usize,
    pub requests_per_sec: f64,
    pub kinds: Vec<LoadKind>,
    pub checkins_acknowledged: usize,
    pub checkins_stored: i64,
    pub rows_ingest_acknowledged: usize,
    pub rows_stored: i64,
    pub lost_writes: i64,
}

/// How many rows each load import sends.
const LOAD_IMPORT_ROWS: usize = 1_000;
/// The pause of the importing client between two imports.
const LOAD_IMPORT_EVERY: Duration = Duration::from_secs(20);

fn percentiles(mut all: Vec<Duration>) -> (f64, f64, f64, f64) {
    all.sort();
    let q = |p: f64| {
        all.get(((all.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    (q(0.5), q(0.95), q(0.99), q(1.0))
}

/// Serves the store on a loopback port; `clients` keep-alive clients mix
/// dashboard loads, KPI questions through the API and goal check-ins for
/// `seconds`, while one more imports NDJSON through the API every 20 s.
/// Then counts the check-ins and imported rows in the database against
/// those the server acknowledged.
pub fn mixed(
    store: Store,
    today: jiff::civil::Date,
    clients: usize,
    seconds: u64,
) -> std::io::Result<LoadBench> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let token = crate::auth::random_token();
        let csrf = crate::auth::random_token();
        // This run's own login, source and comments: a kept database may
        // hold earlier runs'.
        let run: String = crate::auth::random_token()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect();
        let source = format!("load-{run}");
        let (addr, state, goal) = serve_signed_in(
            store,
            None,
            today,
            format!("load-{run}"),
            token.clone(),
            csrf.clone(),
            move |store, now| {
                let (id, _) = metas_service::goal::add(
                    store,
                    &metas_service::goal::GoalRequest {
                        metric: "csat".into(),
                        owner: "org".into(),
                        by: Some("2pp".into()),
                        deadline: "in two months".into(),
                        as_of: today,
                        who: "load".into(),
                        force: true,
                        ..Default::default()
                    },
                    now,
                )?;
                Ok(id)
            },
        )
        .await?;
        let started = Instant::now();
        let deadline = started + Duration::from_secs(seconds);
        let head = move |method: &str, path: &str| {
            format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: metas_session={token}\r\nx-csrf-token: {csrf}\r\nConnection: keep-alive\r\n")
        };
        let get = {
            let head = head.clone();
            move |path: &str| format!("{}\r\n", head("GET", path))
        };
        let post = move |path: &str, kind: &str, body: &str| {
            format!(
                "{}Content-Type: {kind}\r\nContent-Length: {}\r\n\r\n{body}",
                head("POST", path),
                body.len()
            )
        };
        const KINDS: [&str; 5] = ["dashboard", "kpi", "kpi_series", "checkin", "import"];
        let mut tasks = Vec::new();
        for client in 0..=clients {
            let importer = client == clients;
            let requests: Vec<(usize, String)> = if importer {
                Vec::new()
            } else {
                vec![
                    (0, get("/")),
                    (1, get("/api/v1/kpi/csat?by=team")),
                    (2, get("/api/v1/kpi/frt?by=channel&grain=month")),
                ]
            };
            let checkin_path = format!("/api/v1/goals/{goal}/updates");
            let ingest_path = format!("/api/v1/ingest?source={source}");
            let run = run.clone();
            let post = post.clone();
            tasks.push(tokio::spawn(async move {
                let mut latencies: Vec<Vec<Duration>> = vec![Vec::new(); KINDS.len()];
                let mut errors = vec![0usize; KINDS.len()];
                let mut acknowledged = (0usize, 0usize);
                let mut stream = TcpStream::connect(addr).await?;
                let mut buf = Vec::with_capacity(64 * 1024);
                let mut n = 0usize;
                while Instant::now() < deadline {
                    let (kind, request) = if importer {
                        let mut body = String::new();
                        for i in 0..LOAD_IMPORT_ROWS {
                            body.push_str(&format!(
                                "{{\"external_id\": \"{run}-{n}-{i}\", \"channel\": \"email\", \"created_at\": \"{today}T09:00:00Z\", \"agent\": \"Load Agent\", \"csat\": {}}}\n",
                                1 + i % 5
                            ));
                        }
                        (4, post(&ingest_path, "application/x-ndjson", &body))
                    } else if n % 4 == 3 {
                        let body = format!(
                            "{{\"kind\": \"checkin\", \"comment\": \"{run} {client}-{n}\", \"confidence\": 0.7}}"
                        );
                        (3, post(&checkin_path, "application/json", &body))
                    } else {
                        requests[n % 4].clone()
                    };
                    let t = Instant::now();
                    stream.write_all(request.as_bytes()).await?;
                    let status = read_response(&mut stream, &mut buf).await?;
                    latencies[kind].push(t.elapsed());
                    if (200..300).contains(&status) {
                        match kind {
                            3 => acknowledged.0 += 1,
                            4 => acknowledged.1 += LOAD_IMPORT_ROWS,
                            _ => {}
                        }
                    } else {
                        errors[kind] += 1;
                    }
                    n += 1;
                    if importer {
                        let pause = LOAD_IMPORT_EVERY.min(deadline.saturating_duration_since(Instant::now()));
                        tokio::time::sleep(pause).await;
                    }
                }
                Ok::<_, std::io::Error>((latencies, errors, acknowledged))
            }));
        }
        let mut latencies: Vec<Vec<Duration>> = vec![Vec::new(); KINDS.len()];
        let mut errors = vec![0usize; KINDS.len()];
        let (mut checkins, mut rows) = (0usize, 0usize);
        for t in tasks {
            let (l, e, (c, r)) = t.await.map_err(std::io::Error::other)??;
            for (k, v) in l.into_iter().enumerate() {
                latencies[k].extend(v);
            }
            for (k, v) in e.into_iter().enumerate() {
                errors[k] += v;
            }
            checkins += c;
            rows += r;
        }
        let elapsed = started.elapsed().as_secs_f64();
        let pattern = format!("{run} %");
        let (stored_checkins, stored_rows) = state
            .with_store(move |store| {
                let c = store.query_json(
                    "SELECT count(*) FROM goal_checkins WHERE comment LIKE ?",
                    &[&pattern],
                )?;
                let r = store.query_json(
                    "SELECT count(*) FROM interactions WHERE source = ?",
                    &[&source],
                )?;
                let n = |v: &[Vec<serde_json::Value>]| {
                    v.first().and_then(|r| r.first()).and_then(|x| x.as_i64()).unwrap_or(-1)
                };
                Ok((n(&c), n(&r)))
            })
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let requests: usize = latencies.iter().map(Vec::len).sum();
        let kinds = KINDS
            .iter()
            .zip(latencies)
            .zip(&errors)
            .map(|((kind, l), e)| {
                let n = l.len();
                let (p50, p95, p99, max) = percentiles(l);
                LoadKind {
                    kind,
                    requests: n,
                    errors: *e,
                    p50_ms: p50,
                    p95_ms: p95,
                    p99_ms: p99,
                    max_ms: max,
                }
            })
            .collect();
        Ok(LoadBench {
            clients,
            seconds: elapsed,
            requests,
            errors: errors.iter().sum(),
            requests_per_sec: requests as f64 / elapsed,
            kinds,
            checkins_acknowledged: checkins,
            checkins_stored: stored_checkins,
            rows_ingest_acknowledged: rows,
            rows_stored: stored_rows,
            lost_writes: (checkins as i64 - stored_checkins).max(0)
                + (rows as i64 - stored_rows).max(0),
        })
    })
}
