//! The state every request shares: the database connections, the caches,
//! the sessions and the import jobs, and the settings the binary gives.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use metas_service::ServiceError;
use metas_store::Store;

use crate::auth::Sessions;
use crate::pages;
use crate::ApiError;

/// What the server needs from the outside world, built by the binary.
pub struct ServerSettings {
    pub addr: SocketAddr,
    /// Mark cookies `Secure` (set when metas is served behind TLS).
    pub secure_cookies: bool,
    /// Today's date (the binary owns the clock).
    pub today: Box<dyn Fn() -> Date + Send + Sync>,
    /// Now (sessions expire, failed logins are counted in a window).
    pub now: Box<dyn Fn() -> jiff::Timestamp + Send + Sync>,
    /// The shared PostgreSQL, when the store is its read model: the server
    /// then follows its changes (`crate::replica`).
    pub shared_database: Option<String>,
}

/// Connections to the database, so concurrent requests do not queue behind
/// one another (2 cores: more would only contend).
const CONNECTIONS: usize = 4;

/// Shared by every request.
pub struct AppState {
    pub(crate) stores: Vec<Mutex<Store>>,
    next: std::sync::atomic::AtomicUsize,
    /// Dashboard figures kept until the data changes.
    pub(crate) dashboards: metas_service::dashboard::DashboardCache,
    /// API tokens whose secret was verified once (Argon2 is slow by design);
    /// revocation is still checked on every request.
    pub(crate) verified_tokens: Mutex<std::collections::HashSet<String>>,
    pub(crate) sessions: Sessions,
    pub(crate) jobs: pages::imports::Jobs,
    pub(crate) settings: ServerSettings,
    /// The last change of the shared PostgreSQL the read model is known to
    /// hold (0 on a file of its own): raised by writes and catch-ups.
    seen: std::sync::atomic::AtomicI64,
}

impl AppState {
    pub fn new(store: Store, settings: ServerSettings) -> Arc<AppState> {
        let mut stores = Vec::with_capacity(CONNECTIONS);
        for _ in 1..CONNECTIONS {
            match store.try_clone() {
                Ok(s) => stores.push(Mutex::new(s)),
                Err(e) => {
                    tracing::warn!(error = %e, "one connection only");
                    break;
                }
            }
        }
        let seen = store.seen_change();
        let follower = match &settings.shared_database {
            Some(_) => match store.try_clone() {
                Ok(s) => Some(s),
                Err(e) => {
                    tracing::error!(error = %e, "cannot follow the shared database");
                    None
                }
            },
            None => None,
        };
        stores.insert(0, Mutex::new(store));
        let state = Arc::new(AppState {
            seen: std::sync::atomic::AtomicI64::new(seen),
            stores,
            next: std::sync::atomic::AtomicUsize::new(0),
            dashboards: Default::default(),
            verified_tokens: Mutex::new(std::collections::HashSet::new()),
            sessions: Sessions::default(),
            jobs: pages::imports::Jobs::default(),
            settings,
        });
        if let (Some(url), Some(store)) = (state.settings.shared_database.clone(), follower) {
            crate::replica::follow(&state, url, store);
        }
        state
    }

    /// The last change of the shared PostgreSQL this server's read model
    /// is known to hold; 0 on a file of its own.
    pub fn seen_change(&self) -> i64 {
        self.seen.load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) fn saw_change(&self, change: i64) {
        self.seen
            .fetch_max(change, std::sync::atomic::Ordering::AcqRel);
    }

    /// Another connection to the server's database, replicated as the
    /// server's are (for tools embedding the server, and tests). Blocking
    /// on a read model: call it from a plain thread.
    pub fn another_connection(&self) -> Result<Store, metas_store::StoreError> {
        self.stores[0]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .try_clone()
    }

    /// Compares the read model with the shared PostgreSQL, table by table
    /// (`metas_store::pg::verify`); `None` on a file of its own. Blocking:
    /// call it from a plain thread, not from the async ones.
    pub fn verify_replica(
        &self,
    ) -> Result<Option<(i64, Vec<metas_store::pg::Mismatch>)>, metas_store::StoreError> {
        let Some(url) = &self.settings.shared_database else {
            return Ok(None);
        };
        let mut pg = metas_store::pg::PgDatabase::connect(url)?;
        let mut store = self.stores[0].lock().unwrap_or_else(|p| p.into_inner());
        metas_store::pg::verify(&mut pg, &mut store).map(Some)
    }

    /// Whether the store is the read model of a shared PostgreSQL.
    pub fn is_replicated(&self) -> bool {
        self.settings.shared_database.is_some()
    }

    /// Revokes token `id` if `user` may (their own, or any for an
    /// administrator), and forgets that it was verified.
    pub(crate) async fn revoke_token(
        self: &Arc<Self>,
        id: i64,
        user: metas_service::users::User,
    ) -> Result<(), ApiError> {
        self.with_store(move |store| metas_service::users::revoke_token_for(store, id, &user))
            .await?;
        self.forget_token(id);
        Ok(())
    }

    /// Forgets that a token was verified (after it is revoked).
    pub(crate) fn forget_token(&self, id: i64) {
        let prefix = format!("mt_{id}_");
        self.verified_tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|t| !t.starts_with(&prefix));
    }

    /// Takes a backup of the database into an unnamed temporary file and
    /// returns it open, with its length. Every connection is held while the
    /// copy is taken (in a fixed order, as nothing else holds two), and the
    /// copy itself holds the store's gate alone (`metas_store::Gate`), so no
    /// write of this server, nor of a command it carries out for another
    /// process, falls half inside it.
    pub(crate) async fn backup(self: &Arc<Self>) -> Result<(tokio::fs::File, u64), ApiError> {
        let state = self.clone();
        let file = tokio::task::spawn_blocking(move || {
            let guards: Vec<_> = state
                .stores
                .iter()
                .map(|m| m.lock().unwrap_or_else(|p| p.into_inner()))
                .collect();
            let store = &guards[0];
            let folder = store
                .path()
                .and_then(|p| p.parent())
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| std::path::PathBuf::from("."), |p| p.to_path_buf());
            let temp = folder.join(format!(
                ".metas-backup-{}.partial",
                crate::auth::random_token()
            ));
            let result = store
                .backup_to(&temp)
                .map_err(|e| ApiError::from(ServiceError::from(e)))
                .and_then(|bytes| {
                    let file = std::fs::File::open(&temp)
                        .map_err(|e| ApiError::Internal(format!("reading the backup: {e}")))?;
                    Ok((file, bytes))
                });
            // The open file keeps its bytes; the name goes at once, so no
            // copy of the data is left behind whatever happens to the download.
            let _ = std::fs::remove_file(&temp);
            result
        })
        .await
        .map_err(|e| ApiError::Internal(format!("the backup task failed: {e}")))??;
        Ok((tokio::fs::File::from_std(file.0), file.1))
    }

    /// Runs a blocking store call off the async threads.
    pub(crate) async fn with_store<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Store) -> Result<T, ServiceError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            // A free connection if there is one, else wait for the next in turn.
            let start = state
                .next
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let n = state.stores.len();
            let mut guard = None;
            for i in 0..n {
                if let Ok(g) = state.stores[(start + i) % n].try_lock() {
                    guard = Some(g);
                    break;
                }
            }
            let mut store = match guard {
                Some(g) => g,
                None => state.stores[start % n]
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()),
            };
            // A backup (this server's or one it carries out for a command)
            // waits for this call, and this call for it.
            let gate = store.gate();
            let _working = gate.shared();
            let out = f(&mut store);
            state.saw_change(store.seen_change());
            out
        })
        .await
        .map_err(|e| ApiError::Internal(format!("a store task failed: {e}")))?
        .map_err(ApiError::from)
    }
}
