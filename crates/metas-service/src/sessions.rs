//! Signing in and out of the web app: sessions and failed logins are kept
//! in the store, so a restart signs no one out and forgets no failed
//! attempt (docs/product.md §12: a restart loses nothing acknowledged).
//!
//! The caller brings the clock (`now`) and the random tokens; nothing here
//! reads either.

use jiff::{SignedDuration, Timestamp};
use metas_store::prelude::*;
use metas_store::SessionRow;

use crate::users::{self, User};
use crate::ServiceError;

/// How long a session lasts after signing in.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(12);
/// Failed logins allowed for one login name within [`FAILURE_WINDOW`].
pub const MAX_FAILURES: u32 = 5;
/// The window in which failed logins are counted.
pub const FAILURE_WINDOW: SignedDuration = SignedDuration::from_mins(5);

/// A signed-in user's session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub user: User,
    /// The token every form and API change of this session must send back.
    pub csrf: String,
    /// After this instant the session is over.
    pub expires_at: Timestamp,
}

/// What a login attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Login {
    /// Signed in: the session now stands under the token given.
    Started(Session),
    /// Wrong login or password (the two are not told apart).
    Refused,
    /// Too many failures for this login lately: wait, then try again.
    TooManyAttempts,
}

/// Signs `login` in with `password` at `now`; a new session is kept under
/// `token` with `csrf` as its form token.
pub fn log_in(
    store: &mut dyn Storage,
    login: &str,
    password: &str,
    now: Timestamp,
    token: &str,
    csrf: String,
) -> Result<Login, ServiceError> {
    if !store.may_try(login, now, FAILURE_WINDOW, MAX_FAILURES)? {
        return Ok(Login::TooManyAttempts);
    }
    let Some(user) = users::verify(store, login, password)? else {
        store.record_login_failure(login, now, FAILURE_WINDOW)?;
        return Ok(Login::Refused);
    };
    store.clear_login_failures(login)?;
    // Signing in is rare enough to sweep the expired sessions here.
    store.delete_expired_sessions(now)?;
    let row = SessionRow {
        login: user.login.clone(),
        csrf,
        created_at: now,
        expires_at: now.checked_add(SESSION_LIFETIME).unwrap_or(Timestamp::MAX),
    };
    store.insert_session(token, &row)?;
    Ok(Login::Started(Session {
        user,
        csrf: row.csrf,
        expires_at: row.expires_at,
    }))
}

/// The session of `token` at `now`, with its user as the store has them
/// now; `None` when there is no such session, it expired, or its user is
/// gone. (The server keeps sessions it has read in memory, and patches the
/// language there when a user changes it.)
pub fn session(
    store: &dyn Storage,
    token: &str,
    now: Timestamp,
) -> Result<Option<Session>, ServiceError> {
    let Some(row) = store.session(token, now)? else {
        return Ok(None);
    };
    Ok(users::by_login(store, &row.login)?.map(|user| Session {
        user,
        csrf: row.csrf,
        expires_at: row.expires_at,
    }))
}

/// Ends the session of `token` (signing out).
pub fn log_out(store: &mut dyn Storage, token: &str) -> Result<(), ServiceError> {
    store.delete_session(token)?;
    Ok(())
}
