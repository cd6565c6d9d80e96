//! Users and roles (docs/product.md §1): who may log in, and which data each one may
//! see. Passwords are hashed with Argon2id; only the hash is stored.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use metas_domain::segment::{CmpOp, Dimension, Field, Literal, SegmentExpr};
use metas_store::prelude::*;
use metas_store::{TokenRow, UserRow};
use serde::Serialize;

use crate::ServiceError;

/// What a user may do and see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users and settings.
    Admin,
    /// All data, goals and settings of the service.
    Manager,
    /// Their team's data.
    Lead,
    /// Their own data.
    Agent,
}

impl Role {
    pub fn parse(s: &str) -> Result<Role, ServiceError> {
        match s {
            "admin" => Ok(Role::Admin),
            "manager" => Ok(Role::Manager),
            "lead" => Ok(Role::Lead),
            "agent" => Ok(Role::Agent),
            _ => Err(ServiceError::Input(format!(
                "--role '{s}' is not one of admin, manager, lead, agent"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Lead => "lead",
            Role::Agent => "agent",
        }
    }
}

/// A user who logged in: the role and the data it is limited to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub login: String,
    pub role: Role,
    pub team: Option<String>,
    pub agent: Option<String>,
    /// The language chosen for the web app, if any (else the browser's).
    pub language: Option<String>,
}

/// The languages of the web app (docs/product.md §9), as BCP 47 tags.
pub const LANGUAGES: &[&str] = &["en", "es", "fr", "pt", "zh-CN"];

/// Sets a user's language (`None` follows the browser).
pub fn set_language(
    store: &mut dyn Storage,
    login: &str,
    language: Option<&str>,
) -> Result<(), ServiceError> {
    if let Some(l) = language {
        if !LANGUAGES.contains(&l) {
            return Err(ServiceError::Input(format!(
                "language '{l}' is not one of {}",
                LANGUAGES.join(", ")
            )));
        }
    }
    if !store.set_user_language(login, language)? {
        return Err(ServiceError::Input(format!("there is no user '{login}'")));
    }
    Ok(())
}

impl User {
    /// The data this user may see, as a segment every query is narrowed by
    /// on the server: an agent their own interactions, a lead their team's.
    pub fn data_scope(&self) -> Option<SegmentExpr> {
        let is = |dim: Dimension, name: &str| {
            SegmentExpr::Cmp(
                Field::Dimension(dim),
                CmpOp::Eq,
                Literal::Text(name.to_string()),
            )
        };
        match (self.role, &self.team, &self.agent) {
            (Role::Admin | Role::Manager, _, _) => None,
            (Role::Agent, _, Some(a)) => Some(is(Dimension::Agent, a)),
            (Role::Lead, Some(t), _) => Some(is(Dimension::Team, t)),
            // An agent without a name or a lead without a team (only a row
            // edited by hand can be one) sees nothing rather than everything.
            (Role::Agent | Role::Lead, _, _) => Some(SegmentExpr::And(
                Box::new(is(Dimension::Agent, "")),
                Box::new(SegmentExpr::Not(Box::new(is(Dimension::Agent, "")))),
            )),
        }
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Adds a user. A lead needs a team and an agent an agent name that the data
/// knows, so their scope is never empty by mistake.
pub fn add_user(
    store: &mut dyn Storage,
    login: &str,
    password: &str,
    role: Role,
    team: Option<&str>,
    agent: Option<&str>,
) -> Result<User, ServiceError> {
    let login = login.trim();
    if login.is_empty()
        || !login
            .chars()
            .all(|c| c.is_alphanumeric() || "._-@".contains(c))
    {
        return Err(ServiceError::Input(format!(
            "login '{login}': use letters, digits and . _ - @"
        )));
    }
    if store.user(login)?.is_some() {
        return Err(ServiceError::Input(format!(
            "a user '{login}' already exists"
        )));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ServiceError::Input(format!(
            "the password (read from stdin) must have at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let team = team.map(str::trim).filter(|t| !t.is_empty());
    let agent = agent.map(str::trim).filter(|a| !a.is_empty());
    match role {
        Role::Lead if team.is_none() => {
            return Err(ServiceError::Input("a lead needs --team NAME".into()))
        }
        Role::Agent if agent.is_none() => {
            return Err(ServiceError::Input(
                "an agent user needs --agent NAME (the agent's name in the data)".into(),
            ))
        }
        _ => {}
    }
    if let Some(a) = agent {
        if !store.agent_exists(a)? {
            return Err(ServiceError::Input(format!(
                "no agent named '{a}' in the data; --agent must match the agent's name in the imported records"
            )));
        }
    }
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| ServiceError::Input(format!("hashing the password failed: {e}")))?
        .to_string();
    store.insert_user(&UserRow {
        login: login.to_string(),
        password_hash: hash,
        role: role.as_str().to_string(),
        team: team.map(String::from),
        agent: agent.map(String::from),
        language: None,
    })?;
    Ok(User {
        login: login.to_string(),
        role,
        team: team.map(String::from),
        agent: agent.map(String::from),
        language: None,
    })
}

fn user_of(row: UserRow) -> Result<User, ServiceError> {
    Ok(User {
        role: Role::parse(&row.role)?,
        login: row.login,
        team: row.team,
        agent: row.agent,
        language: row.language,
    })
}

/// The user when the password is theirs; `None` for an unknown login or a
/// wrong password alike (the caller must not tell which).
pub fn verify(
    store: &dyn Storage,
    login: &str,
    password: &str,
) -> Result<Option<User>, ServiceError> {
    let Some(row) = store.user(login.trim())? else {
        // Spend the same time as a real check, so timing does not reveal logins.
        let _ = Argon2::default().hash_password(password.as_bytes());
        return Ok(None);
    };
    let ok = PasswordHash::new(&row.password_hash).ok().is_some_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    });
    if ok {
        Ok(Some(user_of(row)?))
    } else {
        Ok(None)
    }
}

/// A user by login, if there is one.
pub fn by_login(store: &dyn Storage, login: &str) -> Result<Option<User>, ServiceError> {
    store.user(login)?.map(user_of).transpose()
}

pub fn list(store: &dyn Storage) -> Result<Vec<User>, ServiceError> {
    store.users()?.into_iter().map(user_of).collect()
}

/// Creates an API token for a user; the token is shown once and only its
/// hash is kept: `mt_<id>_<secret>`.
pub fn create_token(
    store: &mut dyn Storage,
    login: &str,
    name: &str,
    secret: &str,
) -> Result<String, ServiceError> {
    if store.user(login)?.is_none() {
        return Err(ServiceError::Input(format!("there is no user '{login}'")));
    }
    if name.trim().is_empty() {
        return Err(ServiceError::Input(
            "a token needs a --name (what it is for)".into(),
        ));
    }
    let hash = Argon2::default()
        .hash_password(secret.as_bytes())
        .map_err(|e| ServiceError::Input(format!("hashing the token failed: {e}")))?
        .to_string();
    let id = store.insert_token(name.trim(), login, &hash)?;
    Ok(format!("mt_{id}_{secret}"))
}

/// The API tokens a user may manage: their own, or everyone's for an
/// administrator.
pub fn tokens_visible_to(store: &dyn Storage, user: &User) -> Result<Vec<TokenRow>, ServiceError> {
    Ok(store
        .tokens()?
        .into_iter()
        .filter(|t| may_manage_token(user, t))
        .collect())
}

fn may_manage_token(user: &User, token: &TokenRow) -> bool {
    let owner = crate::access::Scope::Login(token.login.clone());
    crate::access::may(user, crate::access::Action::ManageTokens, &owner)
}

/// Revokes a token the user may manage; `NotFound` when there is no such
/// token of theirs (so another user's ids are not revealed).
pub fn revoke_token_for(store: &mut dyn Storage, id: i64, user: &User) -> Result<(), ServiceError> {
    if !store.token(id)?.is_some_and(|t| may_manage_token(user, &t)) {
        return Err(ServiceError::NotFound(format!("token {id}")));
    }
    // Revoking a revoked token again changes nothing and is no error.
    store.revoke_token(id)?;
    Ok(())
}

/// The user a token stands for, if it is well-formed, known, not revoked and
/// its secret matches.
pub fn verify_token(store: &dyn Storage, token: &str) -> Result<Option<User>, ServiceError> {
    let Some((id, secret)) = token
        .strip_prefix("mt_")
        .and_then(|rest| rest.split_once('_'))
        .and_then(|(id, secret)| Some((id.parse::<i64>().ok()?, secret)))
    else {
        return Ok(None);
    };
    let Some(row) = store.token(id)?.filter(|t| !t.revoked) else {
        return Ok(None);
    };
    let ok = PasswordHash::new(&row.secret_hash).ok().is_some_and(|h| {
        Argon2::default()
            .verify_password(secret.as_bytes(), &h)
            .is_ok()
    });
    if !ok {
        return Ok(None);
    }
    match store.user(&row.login)? {
        Some(u) => Ok(Some(user_of(u)?)),
        None => Ok(None),
    }
}

/// Whether a token is still active (a cheap check for tokens already
/// verified once): its id, user and revocation.
pub fn token_user_if_active(
    store: &dyn Storage,
    token: &str,
) -> Result<Option<User>, ServiceError> {
    let Some(id) = token
        .strip_prefix("mt_")
        .and_then(|rest| rest.split_once('_'))
        .and_then(|(id, _)| id.parse::<i64>().ok())
    else {
        return Ok(None);
    };
    match store.token(id)?.filter(|t| !t.revoked) {
        Some(row) => match store.user(&row.login)? {
            Some(u) => Ok(Some(user_of(u)?)),
            None => Ok(None),
        },
        None => Ok(None),
    }
}
