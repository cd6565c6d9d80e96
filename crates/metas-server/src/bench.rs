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

/// Serves the store on a loopback port and has `clients` keep-alive clients
/// load the dashboard until `requests` have been answered.
pub fn dashboard(
    store: Store,
    today: jiff::civil::Date,
    clients: usize,
    requests: usize,
) -> std::io::Result<ServeBench> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let state = AppState::new(
            store,
            ServerSettings {
                addr: "127.0.0.1:0".parse().expect("a loopback address"),
                secure_cookies: false,
                today: Box::new(move || today),
                now: Box::new(jiff::Timestamp::now),
            },
        );
        // A manager signed in as a browser would be.
        let token = crate::auth::random_token();
        let t = token.clone();
        let now = jiff::Timestamp::now();
        state
            .with_store(move |store| {
                let password = crate::auth::random_token();
                add_user(store, "bench", &password, Role::Manager, None, None)?;
                let csrf = crate::auth::random_token();
                metas_service::sessions::log_in(store, "bench", &password, now, &t, csrf)
            })
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(crate::serve_on(listener, Arc::clone(&state)));
        let remaining = Arc::new(std::sync::atomic::AtomicUsize::new(requests));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..clients {
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
        all.sort();
        let q = |p: f64| {
            all.get(((all.len() as f64 * p).ceil() as usize).saturating_sub(1))
                .map(|d| d.as_secs_f64() * 1000.0)
                .unwrap_or(0.0)
        };
        Ok(ServeBench {
            clients,
            requests: all.len(),
            errors,
            p50_ms: q(0.5),
            p95_ms: q(0.95),
            p99_ms: q(0.99),
            max_ms: q(1.0),
            requests_per_sec: all.len() as f64 / elapsed,
        })
    })
}
