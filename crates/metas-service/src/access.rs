//! The one access rule: may this user do this action on this scope?
//!
//! Pages, the JSON API, the CLI (when it acts for a user) and, later, the
//! digests ask here and nowhere else. A new role (a QA reviewer, a coach)
//! changes [`may`] and its table test, not the adapters. Data a user may see
//! is also narrowed row by row: [`crate::users::User::data_scope`] is the
//! same rule written as a segment every query is filtered by.

use crate::goal::Owner;
use metas_store::prelude::*;

use crate::users::{Role, User};
use crate::ServiceError;

/// What a user may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See figures, interactions and goals of the scope.
    See,
    /// Set goals for the scope's owner, check in on them, commit to them and
    /// review them.
    ManageGoals,
    /// Import data (it changes everyone's numbers); on a [`Scope::Login`],
    /// see that login's imports.
    Import,
    /// Change KPI settings and business calendars.
    Configure,
    /// Add users and see who they are.
    ManageUsers,
    /// Create, list and revoke the API tokens of the scope's login.
    ManageTokens,
    /// Save and retire time-objective policies (they change everyone's
    /// attainment, as settings do, but are the service's promises rather
    /// than the system's configuration: managers set them too).
    ManageTimeObjectives,
    /// Save QA rubrics (they change every quality score): administrators
    /// and managers, like time objectives.
    ManageRubrics,
    /// Score an agent's interactions against a rubric, write their coaching
    /// plan and hold their coaching sessions: the agent's lead, managers and
    /// administrators; never the agent themselves.
    Coach,
    /// Save role profiles, add candidates, see their records, results and
    /// notes, close their assessments and erase them: administrators and
    /// managers only (docs/profiles.md "Who sees what").
    Hire,
    /// Enter ratings as an invited assessor, on the assessor's own
    /// [`Scope::Login`]: only the assessor themselves, whatever their role
    /// (not even an administrator rates in another's name: ratings are
    /// independent).
    Rate,
    /// Change an indicator's definition (owner, frequency of review,
    /// standard, stage of the purchase): administrators only, like the
    /// settings, since every user's board is judged by it.
    DefineIndicators,
}

/// What an action is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole organisation (its goals, its settings, every import).
    Organisation,
    /// One team.
    Team(String),
    /// One agent, with the team the data places them in (if known).
    Agent { name: String, team: Option<String> },
    /// What belongs to one login (its API tokens, its imports).
    Login(String),
}

/// Whether `user` may do `action` on `scope`.
pub fn may(user: &User, action: Action, scope: &Scope) -> bool {
    use Action::*;
    match (user.role, action) {
        (_, Rate) => matches!(scope, Scope::Login(l) if *l == user.login),
        (Role::Admin, _) => true,
        (Role::Manager, Hire) => matches!(scope, Scope::Organisation),
        (Role::Lead | Role::Agent, Hire) => false,
        (_, ManageTokens) => matches!(scope, Scope::Login(l) if *l == user.login),
        (_, Configure | ManageUsers | DefineIndicators) => false,
        (Role::Manager, ManageTimeObjectives) => matches!(scope, Scope::Organisation),
        (Role::Lead | Role::Agent, ManageTimeObjectives) => false,
        (Role::Manager, ManageRubrics) => matches!(scope, Scope::Organisation),
        (Role::Lead | Role::Agent, ManageRubrics) | (Role::Agent, Coach) => false,
        (Role::Lead, Coach) => matches!(
            (scope, user.team.as_deref()),
            (Scope::Agent { team: Some(t), .. } | Scope::Team(t), Some(own)) if t == own
        ),
        (Role::Manager, Coach) => !matches!(scope, Scope::Login(_)),
        (Role::Manager, Import) => match scope {
            Scope::Login(l) => *l == user.login,
            _ => true,
        },
        (Role::Manager, See | ManageGoals) => true,
        (Role::Lead | Role::Agent, Import) => false,
        (Role::Lead, See | ManageGoals) => {
            let Some(own) = user.team.as_deref() else {
                return false;
            };
            match scope {
                Scope::Team(t) => t == own,
                Scope::Agent { team, .. } => team.as_deref() == Some(own),
                Scope::Organisation | Scope::Login(_) => false,
            }
        }
        (Role::Agent, See | ManageGoals) => {
            matches!((scope, user.agent.as_deref()), (Scope::Agent { name, .. }, Some(own)) if name == own)
        }
    }
}

/// [`may`], as the error the adapters turn into 403.
pub fn require(user: &User, action: Action, scope: &Scope) -> Result<(), ServiceError> {
    if may(user, action, scope) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// [`may`] for a goal owner key (`org`, `team:NAME`, `agent:NAME`): the
/// agent's team is read from the data only when the answer depends on it.
pub fn may_on_owner(
    store: &dyn Storage,
    user: &User,
    action: Action,
    owner: &str,
) -> Result<bool, ServiceError> {
    let scope = match Owner::parse(owner)? {
        Owner::Organisation => Scope::Organisation,
        Owner::Team(t) => Scope::Team(t),
        Owner::Agent(name) => {
            let team = match user.role {
                Role::Lead => store.agent_team(&name)?,
                _ => None,
            };
            Scope::Agent { name, team }
        }
    };
    Ok(may(user, action, &scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> User {
        User {
            login: format!("{}-login", role.as_str()),
            role,
            team: (role == Role::Lead).then(|| "Technical".into()),
            agent: (role == Role::Agent).then(|| "Kevin M.".into()),
            language: None,
        }
    }

    fn agent(name: &str, team: &str) -> Scope {
        Scope::Agent {
            name: name.into(),
            team: Some(team.into()),
        }
    }

    /// Role × action × scope → allowed. Every role meets every action.
    #[test]
    fn the_access_table() {
        use Action::*;
        let org = Scope::Organisation;
        let own_team = Scope::Team("Technical".into());
        let other_team = Scope::Team("Billing".into());
        let own_agent = agent("Kevin M.", "Technical");
        let teammate = agent("Ana P.", "Technical");
        let outsider = agent("Li W.", "Billing");
        let table: &[(Role, Action, &Scope, bool)] = &[
            (Role::Admin, See, &org, true),
            (Role::Admin, Hire, &org, true),
            (Role::Manager, Hire, &org, true),
            (Role::Manager, Hire, &own_team, false),
            (Role::Lead, Hire, &org, false),
            (Role::Lead, Hire, &own_team, false),
            (Role::Agent, Hire, &org, false),
            (Role::Admin, Rate, &Scope::Login("admin-login".into()), true),
            (Role::Admin, Rate, &Scope::Login("lead-login".into()), false),
            (Role::Admin, Rate, &org, false),
            (
                Role::Manager,
                Rate,
                &Scope::Login("manager-login".into()),
                true,
            ),
            (
                Role::Manager,
                Rate,
                &Scope::Login("lead-login".into()),
                false,
            ),
            (Role::Lead, Rate, &Scope::Login("lead-login".into()), true),
            (Role::Lead, Rate, &Scope::Login("agent-login".into()), false),
            (Role::Agent, Rate, &Scope::Login("agent-login".into()), true),
            (Role::Agent, Rate, &org, false),
            (Role::Admin, ManageGoals, &other_team, true),
            (Role::Admin, Import, &org, true),
            (Role::Admin, Configure, &org, true),
            (Role::Admin, ManageUsers, &org, true),
            (
                Role::Admin,
                ManageTokens,
                &Scope::Login("lead-login".into()),
                true,
            ),
            (Role::Manager, See, &org, true),
            (Role::Manager, ManageGoals, &org, true),
            (Role::Manager, ManageGoals, &outsider, true),
            (Role::Manager, Import, &org, true),
            (
                Role::Manager,
                Import,
                &Scope::Login("manager-login".into()),
                true,
            ),
            (
                Role::Manager,
                Import,
                &Scope::Login("admin-login".into()),
                false,
            ),
            (
                Role::Admin,
                Import,
                &Scope::Login("manager-login".into()),
                true,
            ),
            (Role::Manager, Configure, &org, false),
            (Role::Admin, ManageTimeObjectives, &org, true),
            (Role::Manager, ManageTimeObjectives, &org, true),
            (Role::Lead, ManageTimeObjectives, &org, false),
            (Role::Lead, ManageTimeObjectives, &own_team, false),
            (Role::Agent, ManageTimeObjectives, &org, false),
            (Role::Admin, ManageRubrics, &org, true),
            (Role::Admin, DefineIndicators, &org, true),
            (Role::Manager, DefineIndicators, &org, false),
            (Role::Lead, DefineIndicators, &org, false),
            (Role::Lead, DefineIndicators, &own_team, false),
            (Role::Agent, DefineIndicators, &org, false),
            (Role::Agent, DefineIndicators, &own_agent, false),
            (Role::Manager, ManageRubrics, &org, true),
            (Role::Lead, ManageRubrics, &org, false),
            (Role::Lead, ManageRubrics, &own_team, false),
            (Role::Agent, ManageRubrics, &org, false),
            (Role::Admin, Coach, &outsider, true),
            (Role::Manager, Coach, &outsider, true),
            (Role::Lead, Coach, &teammate, true),
            (Role::Lead, Coach, &own_team, true),
            (Role::Lead, Coach, &outsider, false),
            (Role::Lead, Coach, &org, false),
            (Role::Agent, Coach, &own_agent, false),
            (Role::Agent, Coach, &teammate, false),
            (Role::Manager, ManageUsers, &org, false),
            (
                Role::Manager,
                ManageTokens,
                &Scope::Login("manager-login".into()),
                true,
            ),
            (
                Role::Manager,
                ManageTokens,
                &Scope::Login("agent-login".into()),
                false,
            ),
            (Role::Lead, See, &org, false),
            (Role::Lead, See, &own_team, true),
            (Role::Lead, See, &other_team, false),
            (Role::Lead, See, &teammate, true),
            (Role::Lead, See, &outsider, false),
            (Role::Lead, ManageGoals, &own_team, true),
            (Role::Lead, ManageGoals, &teammate, true),
            (Role::Lead, ManageGoals, &org, false),
            (Role::Lead, Import, &org, false),
            (
                Role::Lead,
                Import,
                &Scope::Login("lead-login".into()),
                false,
            ),
            (Role::Lead, Configure, &own_team, false),
            (Role::Lead, ManageUsers, &own_team, false),
            (
                Role::Lead,
                ManageTokens,
                &Scope::Login("lead-login".into()),
                true,
            ),
            (
                Role::Lead,
                ManageTokens,
                &Scope::Login("admin-login".into()),
                false,
            ),
            (Role::Agent, See, &own_agent, true),
            (Role::Agent, See, &teammate, false),
            (Role::Agent, See, &own_team, false),
            (Role::Agent, See, &org, false),
            (Role::Agent, ManageGoals, &own_agent, true),
            (Role::Agent, ManageGoals, &teammate, false),
            (Role::Agent, Import, &org, false),
            (Role::Agent, Configure, &org, false),
            (Role::Agent, ManageUsers, &org, false),
            (
                Role::Agent,
                ManageTokens,
                &Scope::Login("agent-login".into()),
                true,
            ),
            (
                Role::Agent,
                ManageTokens,
                &Scope::Login("lead-login".into()),
                false,
            ),
        ];
        for (role, action, scope, expected) in table {
            assert_eq!(
                may(&user(*role), *action, scope),
                *expected,
                "{role:?} {action:?} {scope:?}"
            );
        }
        // Every pair of role and action is in the table at least once.
        for role in [Role::Admin, Role::Manager, Role::Lead, Role::Agent] {
            for action in [
                See,
                ManageGoals,
                Import,
                Configure,
                ManageUsers,
                ManageTokens,
                ManageTimeObjectives,
                ManageRubrics,
                Coach,
                Hire,
                Rate,
                DefineIndicators,
            ] {
                assert!(
                    table.iter().any(|(r, a, _, _)| *r == role && *a == action),
                    "{role:?} × {action:?} is not in the table"
                );
            }
        }
    }

    #[test]
    fn a_lead_without_a_team_and_an_agent_without_a_name_see_nothing() {
        let mut lead = user(Role::Lead);
        lead.team = None;
        assert!(!may(&lead, Action::See, &Scope::Team("Technical".into())));
        assert!(
            lead.data_scope().is_some(),
            "narrowed to nothing, not to everything"
        );
        let mut a = user(Role::Agent);
        a.agent = None;
        assert!(!may(&a, Action::See, &agent("Kevin M.", "Technical")));
        assert!(a.data_scope().is_some());
        assert_eq!(
            require(&a, Action::Import, &Scope::Organisation)
                .unwrap_err()
                .to_string(),
            ServiceError::Forbidden.to_string()
        );
    }
}
