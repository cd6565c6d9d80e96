//! What the web server keeps across a restart: signed-in sessions, failed
//! logins per login name, and import jobs. The store never reads the clock:
//! every "now" is the caller's.
//!
//! A session is kept under a digest of its token (BLAKE2b-256, hex), never
//! the token itself: whoever reads the database file cannot sign in with
//! what they find there.

use blake2::{Blake2b256, Digest};
use duckdb::params;
use duckdb::types::{TimeUnit, Value, ValueRef};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::storage::SessionStore;
use crate::{Doing, Result, Store, StoreError};

/// A signed-in browser session as stored (its token is not: only its digest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRow {
    /// The user signed in.
    pub login: String,
    /// The session's CSRF token, sent back with every form and API change.
    pub csrf: String,
    pub created_at: Timestamp,
    /// After this instant the session is no longer returned.
    pub expires_at: Timestamp,
}

/// An import started from the browser, as the server reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportJobRow {
    /// The job's id (random, chosen by the server).
    pub id: String,
    /// The user who started it: only they (or an admin) see it.
    pub login: String,
    /// The file's name as uploaded.
    pub file_name: String,
    /// Where the job is: the server's own words (uploaded, running, done,
    /// failed…).
    pub state: String,
    /// What the server keeps about the job as JSON text (the preview, the
    /// report, the error); the store does not read it.
    pub detail: Option<String>,
    pub created_at: Timestamp,
    /// The last change of state or detail.
    pub updated_at: Timestamp,
}

/// The key a session is stored under: a digest of its token.
fn session_key(token: &str) -> String {
    Blake2b256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn ts_value(t: Timestamp) -> Value {
    Value::Timestamp(TimeUnit::Microsecond, t.as_microsecond())
}

pub(crate) fn ts_read(v: ValueRef<'_>) -> Result<Timestamp> {
    match v {
        ValueRef::Timestamp(unit, n) => Timestamp::from_microsecond(unit.to_micros(n))
            .map_err(|e| StoreError::Corrupt(format!("a timestamp out of range: {e}"))),
        other => Err(StoreError::Corrupt(format!("not a timestamp: {other:?}"))),
    }
}

/// The failures of `login` counted in the window that started with its
/// first one, or `None` (no failure, or the window is over).
fn failures_in_window(
    conn: &duckdb::Connection,
    login: &str,
    now: Timestamp,
    window: SignedDuration,
) -> Result<Option<(u32, Timestamp)>> {
    let mut stmt = conn
        .prepare("SELECT failures, since FROM login_failures WHERE login = ?")
        .doing("reading failed logins")?;
    let mut rows = stmt.query([login]).doing("reading failed logins")?;
    let Some(r) = rows.next().doing("reading failed logins")? else {
        return Ok(None);
    };
    let n: i32 = r.get(0).doing("reading failed logins")?;
    let since = ts_read(r.get_ref(1).doing("reading failed logins")?)?;
    // A window that ended (or one starting after now: a clock set back)
    // counts nothing.
    let elapsed = now.duration_since(since);
    if elapsed > window || elapsed < SignedDuration::ZERO {
        return Ok(None);
    }
    Ok(Some((n.max(0) as u32, since)))
}

/// Jobs matching a constant condition of this module, newest first.
fn select_jobs(
    conn: &duckdb::Connection,
    filter: &str,
    params: &[&dyn duckdb::ToSql],
) -> Result<Vec<ImportJobRow>> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT id, login, file_name, state, detail, created_at, updated_at FROM import_jobs
             WHERE {filter} ORDER BY created_at DESC, id DESC"
        ))
        .doing("reading import jobs")?;
    let mut rows = stmt.query(params).doing("reading import jobs")?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().doing("reading import jobs")? {
        out.push(ImportJobRow {
            id: r.get(0).doing("reading import jobs")?,
            login: r.get(1).doing("reading import jobs")?,
            file_name: r.get(2).doing("reading import jobs")?,
            state: r.get(3).doing("reading import jobs")?,
            detail: r.get(4).doing("reading import jobs")?,
            created_at: ts_read(r.get_ref(5).doing("reading import jobs")?)?,
            updated_at: ts_read(r.get_ref(6).doing("reading import jobs")?)?,
        });
    }
    Ok(out)
}

impl SessionStore for Store {
    fn insert_session(&mut self, token: &str, s: &SessionRow) -> Result<()> {
        self.write_one("saving a session", 
                "INSERT INTO sessions (key, login, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                params![
                    session_key(token),
                    s.login,
                    s.csrf,
                    ts_value(s.created_at),
                    ts_value(s.expires_at)
                ],
            )?;
        Ok(())
    }

    fn session(&self, token: &str, now: Timestamp) -> Result<Option<SessionRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT login, csrf, created_at, expires_at FROM sessions
                 WHERE key = ? AND expires_at > ? ORDER BY created_at DESC LIMIT 1",
            )
            .doing("reading a session")?;
        let mut rows = stmt
            .query(params![session_key(token), ts_value(now)])
            .doing("reading a session")?;
        match rows.next().doing("reading a session")? {
            None => Ok(None),
            Some(r) => Ok(Some(SessionRow {
                login: r.get(0).doing("reading a session")?,
                csrf: r.get(1).doing("reading a session")?,
                created_at: ts_read(r.get_ref(2).doing("reading a session")?)?,
                expires_at: ts_read(r.get_ref(3).doing("reading a session")?)?,
            })),
        }
    }

    fn delete_session(&mut self, token: &str) -> Result<bool> {
        let n = self.write_one(
            "ending a session",
            "DELETE FROM sessions WHERE key = ?",
            [session_key(token)],
        )?;
        Ok(n > 0)
    }

    fn renew_session(&mut self, token: &str, expires_at: Timestamp) -> Result<bool> {
        let n = self.write_one(
            "renewing a session",
            "UPDATE sessions SET expires_at = ? WHERE key = ?",
            params![ts_value(expires_at), session_key(token)],
        )?;
        Ok(n > 0)
    }

    fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64> {
        let n = self.write_one(
            "forgetting expired sessions",
            "DELETE FROM sessions WHERE expires_at <= ?",
            [ts_value(now)],
        )?;
        Ok(n as u64)
    }

    fn delete_sessions_of(&mut self, login: &str) -> Result<u64> {
        let n = self.write_one(
            "ending a user's sessions",
            "DELETE FROM sessions WHERE login = ?",
            [login],
        )?;
        Ok(n as u64)
    }

    fn login_failures(&self, login: &str, now: Timestamp, window: SignedDuration) -> Result<u32> {
        Ok(failures_in_window(&self.conn, login, now, window)?.map_or(0, |(n, _)| n))
    }

    fn record_login_failure(
        &mut self,
        login: &str,
        now: Timestamp,
        window: SignedDuration,
    ) -> Result<u32> {
        let tx = self.write(crate::write::Reach::Small, "recording a failed login")?;
        let (n, since) = match failures_in_window(&tx, login, now, window)? {
            Some((n, since)) => (n.saturating_add(1), since),
            None => (1, now),
        };
        tx.execute("DELETE FROM login_failures WHERE login = ?", [login])
            .doing("recording a failed login")?;
        tx.execute(
            "INSERT INTO login_failures (login, failures, since) VALUES (?, ?, ?)",
            params![login, n.min(i32::MAX as u32) as i32, ts_value(since)],
        )
        .doing("recording a failed login")?;
        tx.commit()?;
        Ok(n)
    }

    fn clear_login_failures(&mut self, login: &str) -> Result<()> {
        self.write_one(
            "clearing failed logins",
            "DELETE FROM login_failures WHERE login = ?",
            [login],
        )?;
        Ok(())
    }

    fn put_import_job(&mut self, j: &ImportJobRow) -> Result<()> {
        let tx = self.write(crate::write::Reach::Small, "saving an import job")?;
        let n = tx
            .execute(
                "UPDATE import_jobs SET login = ?, file_name = ?, state = ?, detail = ?, updated_at = ?
                 WHERE id = ?",
                params![j.login, j.file_name, j.state, j.detail, ts_value(j.updated_at), j.id],
            )
            .doing("saving an import job")?;
        if n == 0 {
            tx.execute(
                "INSERT INTO import_jobs (id, login, file_name, state, detail, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
                params![
                    j.id,
                    j.login,
                    j.file_name,
                    j.state,
                    j.detail,
                    ts_value(j.created_at),
                    ts_value(j.updated_at)
                ],
            )
            .doing("saving an import job")?;
        }
        tx.commit()
    }

    fn import_job(&self, id: &str) -> Result<Option<ImportJobRow>> {
        Ok(select_jobs(&self.conn, "id = ?", &[&id])?
            .into_iter()
            .next())
    }

    fn import_jobs_of(&self, login: &str, limit: usize) -> Result<Vec<ImportJobRow>> {
        let mut jobs = select_jobs(&self.conn, "login = ?", &[&login])?;
        jobs.truncate(limit);
        Ok(jobs)
    }

    fn delete_import_jobs_before(&mut self, before: Timestamp) -> Result<u64> {
        let n = self.write_one(
            "forgetting old import jobs",
            "DELETE FROM import_jobs WHERE updated_at < ?",
            [ts_value(before)],
        )?;
        Ok(n as u64)
    }
}
