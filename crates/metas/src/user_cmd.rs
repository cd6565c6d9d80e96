//! `metas user add|list`: the people who may use the web app and the API.

use clap::{Args, Subcommand};
use metas_service::users::Role;

use crate::kpi_cmd::ReportFormat;
use crate::{open_existing, print_json, usage, Failure, Settings};
use metas_store::prelude::*;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user; the password is read from stdin (one line).
    Add(AddArgs),
    /// List the users and their roles.
    List(ListArgs),
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for a user (shown once).
    Create {
        #[arg(long)]
        user: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
    },
    /// List the tokens (never their secrets).
    List,
    /// Revoke a token at once.
    Revoke { id: i64 },
}

pub fn token(c: TokenCommand, s: &Settings) -> Result<u8, Failure> {
    let mut store = open_existing(s)?;
    match c {
        TokenCommand::Create { user, name } => {
            let token = metas_service::users::create_token(
                &mut store,
                &user,
                &name,
                &metas_server::random_token(),
            )?;
            outln!("{token}");
            errln!("keep it now: metas shows a token once and stores only its hash");
        }
        TokenCommand::List => {
            for t in store.tokens().map_err(Failure::from)? {
                outln!(
                    "{:>4}  {:<20} {:<16} {}",
                    t.id,
                    t.name,
                    t.login,
                    if t.revoked { "revoked" } else { "active" }
                );
            }
        }
        TokenCommand::Revoke { id } => {
            if !store.revoke_token(id).map_err(Failure::from)? {
                return Err(usage(format!("there is no active token {id}")));
            }
            outln!("token {id} revoked");
        }
    }
    Ok(0)
}

#[derive(Args, Debug)]
pub struct AddArgs {
    login: String,
    /// admin, manager, lead or agent.
    #[arg(long)]
    role: String,
    /// A lead's team.
    #[arg(long)]
    team: Option<String>,
    /// An agent user's name in the data.
    #[arg(long)]
    agent: Option<String>,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

/// Whether the command reads standard input (a new user's password), which
/// a command carried out by the running server receives from its caller.
pub(crate) fn reads_stdin(c: &crate::Command) -> bool {
    matches!(c, crate::Command::User(UserCommand::Add(_)))
}

pub fn user(c: UserCommand, s: &Settings) -> Result<u8, Failure> {
    match c {
        UserCommand::Add(a) => {
            let role = Role::parse(&a.role)?;
            let password = crate::output::stdin_line()
                .map_err(|e| usage(format!("reading the password from stdin: {e}")))?;
            let password = password.as_str();
            let mut store = open_existing(s)?;
            let u = metas_service::users::add_user(
                &mut store,
                &a.login,
                password,
                role,
                a.team.as_deref(),
                a.agent.as_deref(),
            )?;
            outln!("user {} added ({})", u.login, u.role.as_str());
        }
        UserCommand::List(a) => {
            let store = open_existing(s)?;
            let users = metas_service::users::list(&store)?;
            if a.format == ReportFormat::Json {
                print_json(&serde_json::json!({ "users": users }))?;
            } else {
                for u in users {
                    let scope = match (&u.team, &u.agent) {
                        (_, Some(a)) => format!("agent {a}"),
                        (Some(t), _) => format!("team {t}"),
                        _ => "all data".into(),
                    };
                    outln!("{:<24} {:<8} {scope}", u.login, u.role.as_str());
                }
            }
        }
    }
    Ok(0)
}
