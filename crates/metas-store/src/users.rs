//! Users of the web app and the API. The store keeps the password hash it is
//! given and never sees a password.

use duckdb::params;
use serde::Serialize;

use crate::storage::UserStore;
use crate::{Doing, Result, Store};

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub login: String,
    #[serde(skip)]
    pub password_hash: String,
    /// admin, manager, lead or agent.
    pub role: String,
    /// A lead's team.
    pub team: Option<String>,
    /// The agent an agent user is.
    pub agent: Option<String>,
    /// The language chosen for the web app (a tag such as `es`).
    pub language: Option<String>,
}

impl UserStore for Store {
    fn insert_user(&mut self, u: &UserRow) -> Result<()> {
        self.write_one(
            "saving a user",
            "INSERT INTO users (login, password_hash, role, team, agent, language, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, current_timestamp)",
            params![
                u.login,
                u.password_hash,
                u.role,
                u.team,
                u.agent,
                u.language
            ],
        )?;
        Ok(())
    }

    fn set_user_language(&mut self, login: &str, language: Option<&str>) -> Result<bool> {
        let n = self.write_one(
            "saving a user's language",
            "UPDATE users SET language = ? WHERE login = ?",
            params![language, login],
        )?;
        Ok(n > 0)
    }

    fn users(&self) -> Result<Vec<UserRow>> {
        self.select_users("true", &[])
    }

    fn user(&self, login: &str) -> Result<Option<UserRow>> {
        Ok(self
            .select_users("login = ?", &[&login])?
            .into_iter()
            .next())
    }

    fn agent_exists(&self, name: &str) -> Result<bool> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM agents WHERE name = ?) + (SELECT count(*) FROM interactions WHERE agent = ?)",
                params![name, name],
                |r| r.get(0),
            )
            .doing("looking an agent up")?;
        Ok(n > 0)
    }

    fn insert_token(&mut self, name: &str, login: &str, secret_hash: &str) -> Result<i64> {
        let tx = self.write(crate::write::Reach::Small, "saving a token")?;
        let id: i64 = tx
            .query_row("SELECT nextval('api_token_id_seq')", [], |r| r.get(0))
            .doing("numbering a token")?;
        tx.execute(
            "INSERT INTO api_tokens (id, name, login, secret_hash, created_at) VALUES (?, ?, ?, ?, current_timestamp)",
            params![id, name, login, secret_hash],
        )
        .doing("saving a token")?;
        tx.commit()?;
        Ok(id)
    }

    fn tokens(&self) -> Result<Vec<TokenRow>> {
        self.select_tokens("true", &[])
    }

    fn token(&self, id: i64) -> Result<Option<TokenRow>> {
        Ok(self.select_tokens("id = ?", &[&id])?.into_iter().next())
    }

    fn revoke_token(&mut self, id: i64) -> Result<bool> {
        let n = self.write_one("revoking a token", 
                "UPDATE api_tokens SET revoked_at = current_timestamp WHERE id = ? AND revoked_at IS NULL",
                [id],
            )?;
        Ok(n > 0)
    }
}

/// An API token as stored: only a hash of its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub login: String,
    #[serde(skip)]
    pub secret_hash: String,
    pub revoked: bool,
}

impl Store {
    /// Users matching a constant condition of this module, by login.
    fn select_users(&self, filter: &str, params: &[&dyn duckdb::ToSql]) -> Result<Vec<UserRow>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT login, password_hash, role, team, agent, language FROM users WHERE {filter} ORDER BY login"
            ))
            .doing("reading users")?;
        let rows = stmt
            .query_map(params, |r| {
                Ok(UserRow {
                    login: r.get(0)?,
                    password_hash: r.get(1)?,
                    role: r.get(2)?,
                    team: r.get(3)?,
                    agent: r.get(4)?,
                    language: r.get(5)?,
                })
            })
            .doing("reading users")?
            .collect::<std::result::Result<Vec<_>, _>>()
            .doing("reading users")?;
        Ok(rows)
    }

    /// Tokens matching a constant condition of this module, by id.
    fn select_tokens(&self, filter: &str, params: &[&dyn duckdb::ToSql]) -> Result<Vec<TokenRow>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT id, name, login, secret_hash, revoked_at IS NOT NULL FROM api_tokens WHERE {filter} ORDER BY id"
            ))
            .doing("reading tokens")?;
        let rows = stmt
            .query_map(params, |r| {
                Ok(TokenRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    login: r.get(2)?,
                    secret_hash: r.get(3)?,
                    revoked: r.get(4)?,
                })
            })
            .doing("reading tokens")?
            .collect::<std::result::Result<Vec<_>, _>>()
            .doing("reading tokens")?;
        Ok(rows)
    }
}
