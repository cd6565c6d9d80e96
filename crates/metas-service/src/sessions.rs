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

/// How long a session lasts after signing in, and after its last renewal:
/// a session unused this long is over.
pub const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(12);
/// The longest a session lasts however often it is used: after this, one
/// signs in again (a stolen cookie does not live for ever).
pub const SESSION_MAX_AGE: SignedDuration = SignedDuration::from_hours(7 * 24);
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
    /// After this instant the session is over (unless it is renewed).
    pub expires_at: Timestamp,
    /// When its user signed in; [`SESSION_MAX_AGE`] counts from here.
    pub started_at: Timestamp,
}

impl Session {
    /// The new end of this session if using it at `now` renews it: once
    /// less than half of [`SESSION_LIFETIME`] is left, it is pushed to
    /// `now + SESSION_LIFETIME`, never past `started_at + SESSION_MAX_AGE`.
    /// (Renewing at half-life rather than on every request keeps the store
    /// from being written on every page.)
    pub fn renewal_at(&self, now: Timestamp) -> Option<Timestamp> {
        let half = SignedDuration::from_secs(SESSION_LIFETIME.as_secs() / 2);
        if now >= self.expires_at || self.expires_at.duration_since(now) >= half {
            return None;
        }
        let cap = self
            .started_at
            .checked_add(SESSION_MAX_AGE)
            .unwrap_or(Timestamp::MAX);
        let renewed = now
            .checked_add(SESSION_LIFETIME)
            .unwrap_or(Timestamp::MAX)
            .min(cap);
        (renewed > self.expires_at).then_some(renewed)
    }
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
        started_at: row.created_at,
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
        started_at: row.created_at,
    }))
}

/// Renews the session of `token` if using it at `now` should
/// ([`Session::renewal_at`]); the session as it now stands.
pub fn renew(
    store: &mut dyn Storage,
    token: &str,
    mut session: Session,
    now: Timestamp,
) -> Result<Session, ServiceError> {
    if let Some(until) = session.renewal_at(now) {
        if store.renew_session(token, until)? {
            session.expires_at = until;
        }
    }
    Ok(session)
}

/// Ends the session of `token` (signing out).
pub fn log_out(store: &mut dyn Storage, token: &str) -> Result<(), ServiceError> {
    store.delete_session(token)?;
    Ok(())
}
