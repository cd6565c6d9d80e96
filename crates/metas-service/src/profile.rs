//! Role profiles and structured assessment (docs/profiles.md, R-PROFILE):
//! profile files read and saved as versions, candidates assessed against a
//! profile by several assessors on evidence, revealed together, compared
//! side by side and erased completely; and current agents assessed by their
//! lead against the same profile, a gap starting a coaching plan.
//!
//! Who sees what is [`crate::access::may`]: `Action::Hire` (administrators
//! and managers) for candidate records, results, notes, closing and
//! erasing; `Action::Rate` on the assessor's own login for entering one's
//! own ratings; `Action::Coach` on an agent to assess them, `Action::See` to
//! read a finished assessment. A candidate the user may not see is
//! `NotFound`, as if there were none. Before the ratings are revealed nobody
//! sees another assessor's ratings; an assessor who may not hire sees only
//! their own, even after.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::Timestamp;
use metas_domain::profile::{assess, AssessorRatings, ProfileResult, ProfileSpec, RoleProfile};
use metas_store::prelude::*;
use metas_store::{
    AssessmentRow, CandidateRow, NewCandidate, NewProfileVersion, NoteRow, ProfileRow,
    ProfileVersionRow, RatingRow, SavedProfile,
};
use serde::Serialize;

use crate::access::{may, require, Action, Scope};
use crate::users::User;
use crate::ServiceError;

/// Reads a profile file (TOML) and checks it: one sentence naming the file,
/// the line and the field when something is wrong.
pub fn parse_profile(
    name: &str,
    toml_text: &str,
    file_label: &str,
) -> Result<RoleProfile, ServiceError> {
    metas_domain::profile::parse_profile_file(name, toml_text, file_label)
        .map_err(ServiceError::Input)
}

/// A profile written out in full (every library text spelled out): the
/// file that sets it again, and what versions are compared by.
pub fn profile_text(profile: &RoleProfile) -> String {
    toml::to_string(&profile.to_spec())
        .unwrap_or_else(|e| format!("# cannot be written as TOML: {e}"))
}

/// A stored profile version as a checked profile.
pub fn checked(row: &ProfileRow) -> Result<RoleProfile, ServiceError> {
    let broken = |e: String| {
        ServiceError::Input(format!(
            "the profile '{}' version {} cannot be read ({e}); set it again with `metas profile set {} FILE.toml`",
            row.name, row.version, row.name
        ))
    };
    let spec: ProfileSpec = toml::from_str(&row.canonical).map_err(|e| broken(e.to_string()))?;
    RoleProfile::from_spec(&row.name, &spec).map_err(|e| broken(e.to_string()))
}

/// Saves a profile: a new version unless it changes nothing.
pub fn save_profile(
    store: &mut dyn Storage,
    user: &User,
    profile: &RoleProfile,
    text: &str,
    now: Timestamp,
) -> Result<SavedProfile, ServiceError> {
    require(user, Action::Hire, &Scope::Organisation)?;
    let canonical = profile_text(profile);
    Ok(store.save_profile(&NewProfileVersion {
        name: profile.name(),
        role: profile.role(),
        definition: text,
        canonical: &canonical,
        saved_by: &user.login,
        at: now,
    })?)
}

/// Every profile in its current version. Profiles describe roles, not
/// people: every signed-in user may read them.
pub fn profiles(store: &dyn Storage) -> Result<Vec<ProfileRow>, ServiceError> {
    Ok(store.profiles()?)
}

/// One version of a profile (`None`: the current one), checked.
pub fn profile(
    store: &dyn Storage,
    name: &str,
    version: Option<i64>,
) -> Result<(ProfileRow, RoleProfile), ServiceError> {
    let row = store.profile(name, version)?.ok_or_else(|| {
        ServiceError::NotFound(match version {
            Some(v) => format!("no version {v} of the profile '{name}'"),
            None => format!(
                "no profile '{name}'; define one with `metas profile set {name} FILE.toml` (docs/profiles.md)"
            ),
        })
    })?;
    let p = checked(&row)?;
    Ok((row, p))
}

/// The saved versions of a profile, newest first.
pub fn profile_versions(
    store: &dyn Storage,
    name: &str,
) -> Result<Vec<ProfileVersionRow>, ServiceError> {
    Ok(store.profile_versions(name)?)
}

/// Where an assessor stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessorStatus {
    pub assessor: String,
    pub submitted_at: Option<Timestamp>,
}

/// A candidate as one user may see them.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateView {
    pub candidate: CandidateRow,
    /// The profile version the candidate is assessed against.
    pub profile: RoleProfile,
    pub assessors: Vec<AssessorStatus>,
    /// Every finished assessor's ratings and the result: only when revealed
    /// and only for those who may hire.
    pub revealed: bool,
    pub result: Option<ProfileResult>,
    pub assessments: Vec<AssessmentRow>,
    /// The user's own assessment, if they were invited.
    pub own: Option<AssessmentRow>,
    pub notes: Vec<NoteRow>,
    /// Whether the user may hire (see results, close, erase).
    pub manages: bool,
}

/// A candidate in a list or a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateSummary {
    pub candidate: CandidateRow,
    pub assessors: usize,
    pub finished: usize,
    pub revealed: bool,
    /// Only once revealed.
    pub result: Option<ProfileResult>,
}

fn not_found(id: i64) -> ServiceError {
    ServiceError::NotFound(format!("no candidate {id}"))
}

fn ratings_of(a: &AssessmentRow) -> AssessorRatings {
    AssessorRatings {
        assessor: a.assessor.clone(),
        submitted: a.submitted_at.is_some(),
        levels: a
            .ratings
            .iter()
            .map(|r| (r.competency.clone(), r.level))
            .collect(),
    }
}

/// The result of a candidate's assessments.
fn result_of(
    profile: &RoleProfile,
    candidate: &CandidateRow,
    assessments: &[AssessmentRow],
) -> ProfileResult {
    let ratings: Vec<AssessorRatings> = assessments.iter().map(ratings_of).collect();
    assess(profile, &ratings, candidate.closed_at.is_some())
}

fn hires(user: &User) -> bool {
    may(user, Action::Hire, &Scope::Organisation)
}

/// Adds a candidate for the current version of a profile and invites their
/// assessors (logins). Returns the candidate's id.
pub fn add_candidate(
    store: &mut dyn Storage,
    user: &User,
    name: &str,
    profile_name: &str,
    assessors: &[String],
    now: Timestamp,
) -> Result<i64, ServiceError> {
    if !hires(user) {
        return Err(ServiceError::NotFound("no candidates here".into()));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(ServiceError::Input(
            "the candidate's name must be 1 to 120 characters".into(),
        ));
    }
    let (row, _) = profile(store, profile_name.trim(), None)?;
    let mut invited: Vec<String> = Vec::new();
    for a in assessors.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        check_assessor(store, user, a)?;
        if !invited.iter().any(|i| i == a) {
            invited.push(a.to_string());
        }
    }
    if invited.is_empty() {
        return Err(ServiceError::Input(
            "invite at least one assessor (a login) to rate the candidate".into(),
        ));
    }
    Ok(store.add_candidate(
        &NewCandidate {
            name: name.to_string(),
            profile: row.name,
            profile_version: row.version,
            added_by: user.login.clone(),
            assessors: invited,
        },
        now,
    )?)
}

fn check_assessor(store: &dyn Storage, user: &User, login: &str) -> Result<(), ServiceError> {
    if login == user.login || store.user(login)?.is_some() {
        Ok(())
    } else {
        Err(ServiceError::Input(format!(
            "there is no user '{login}' to invite as an assessor"
        )))
    }
}

/// Invites one more assessor to rate a candidate.
pub fn invite(
    store: &mut dyn Storage,
    user: &User,
    id: i64,
    assessor: &str,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let c = candidate_row(store, user, id)?;
    if !hires(user) {
        return Err(not_found(id));
    }
    let assessor = assessor.trim();
    check_assessor(store, user, assessor)?;
    if c.closed_at.is_some() {
        return Err(ServiceError::Refused(format!(
            "the assessment of candidate {id} is closed"
        )));
    }
    if store
        .candidate_assessments(id)?
        .iter()
        .any(|a| a.assessor == assessor)
    {
        return Err(ServiceError::Refused(format!(
            "{assessor} is already an assessor of candidate {id}"
        )));
    }
    store.invite_assessor(id, assessor, now)?;
    Ok(())
}

/// The candidate, if the user may see them at all: those who hire, and
/// their invited assessors.
fn candidate_row(store: &dyn Storage, user: &User, id: i64) -> Result<CandidateRow, ServiceError> {
    let c = store.candidate(id)?.ok_or_else(|| not_found(id))?;
    if hires(user) {
        return Ok(c);
    }
    let invited = store.candidate_assessments(id)?.iter().any(|a| {
        a.assessor == user.login && may(user, Action::Rate, &Scope::Login(a.assessor.clone()))
    });
    if invited {
        Ok(c)
    } else {
        Err(not_found(id))
    }
}

/// Candidates, newest first (for one profile when given): those who hire
/// see every candidate; anyone else is answered `NotFound`.
pub fn candidates(
    store: &dyn Storage,
    user: &User,
    profile_name: Option<&str>,
) -> Result<Vec<CandidateSummary>, ServiceError> {
    if !hires(user) {
        return Err(ServiceError::NotFound("no candidates here".into()));
    }
    let mut out = Vec::new();
    let mut profiles: BTreeMap<(String, i64), RoleProfile> = BTreeMap::new();
    for c in store.candidates(profile_name)? {
        let key = (c.profile.clone(), c.profile_version);
        if !profiles.contains_key(&key) {
            let (_, p) = profile(store, &c.profile, Some(c.profile_version))?;
            profiles.insert(key.clone(), p);
        }
        let assessments = store.candidate_assessments(c.id)?;
        let p = &profiles[&key];
        let result = result_of(p, &c, &assessments);
        out.push(CandidateSummary {
            assessors: assessments.len(),
            finished: result.finished.len(),
            revealed: result.revealed,
            result: result.revealed.then_some(result),
            candidate: c,
        });
    }
    Ok(out)
}

/// An invitation to rate a candidate.
#[derive(Debug, Clone, Serialize)]
pub struct Invitation {
    pub candidate_id: i64,
    pub candidate: String,
    pub profile: String,
    pub submitted_at: Option<Timestamp>,
}

/// The candidates the user was invited to rate.
pub fn invitations(store: &dyn Storage, user: &User) -> Result<Vec<Invitation>, ServiceError> {
    let mut out = Vec::new();
    for c in store.candidates(None)? {
        for a in store.candidate_assessments(c.id)? {
            if a.assessor == user.login {
                out.push(Invitation {
                    candidate_id: c.id,
                    candidate: c.name.clone(),
                    profile: c.profile.clone(),
                    submitted_at: a.submitted_at,
                });
            }
        }
    }
    Ok(out)
}

/// One candidate as the user may see them.
pub fn candidate(store: &dyn Storage, user: &User, id: i64) -> Result<CandidateView, ServiceError> {
    let c = candidate_row(store, user, id)?;
    let (_, profile) = profile(store, &c.profile, Some(c.profile_version))?;
    let assessments = store.candidate_assessments(id)?;
    let result = result_of(&profile, &c, &assessments);
    let manages = hires(user);
    let own = assessments
        .iter()
        .find(|a| a.assessor == user.login)
        .cloned();
    let shown = manages && result.revealed;
    Ok(CandidateView {
        assessors: assessments
            .iter()
            .map(|a| AssessorStatus {
                assessor: a.assessor.clone(),
                submitted_at: a.submitted_at,
            })
            .collect(),
        revealed: result.revealed,
        assessments: if shown {
            assessments
                .into_iter()
                .filter(|a| a.submitted_at.is_some())
                .collect()
        } else {
            Vec::new()
        },
        result: shown.then_some(result),
        own,
        notes: if manages {
            store.notes(id)?
        } else {
            Vec::new()
        },
        manages,
        profile,
        candidate: c,
    })
}

/// One rating as an assessor enters it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RatingInput {
    pub level: u8,
    pub evidence: Option<String>,
    pub question: Option<String>,
}

/// Ratings as an assessor enters them: competency key → rating; `submit`
/// makes them final (every competency must then be rated).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RatingsInput {
    pub ratings: BTreeMap<String, RatingInput>,
    pub submit: bool,
}

fn text(t: Option<&String>) -> Option<String> {
    t.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Saves an assessment's ratings after checking them against its profile.
fn enter(
    store: &mut dyn Storage,
    assessment: &AssessmentRow,
    profile: &RoleProfile,
    input: &RatingsInput,
    now: Timestamp,
) -> Result<(), ServiceError> {
    if assessment.submitted_at.is_some() {
        return Err(ServiceError::Refused(
            "these ratings were submitted and are final".into(),
        ));
    }
    let mut rows = Vec::with_capacity(input.ratings.len());
    for (key, r) in &input.ratings {
        if profile.competency(key).is_none() {
            return Err(ServiceError::Input(format!(
                "the profile '{}' has no competency '{key}'; it has {}",
                profile.name(),
                profile
                    .competencies()
                    .iter()
                    .map(|c| c.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if !(1..=5).contains(&r.level) {
            return Err(ServiceError::Input(format!(
                "{key}: the level {} is outside the scale 1 to 5",
                r.level
            )));
        }
        let evidence = text(r.evidence.as_ref());
        if evidence.as_ref().is_some_and(|e| e.chars().count() > 4000) {
            return Err(ServiceError::Input(format!(
                "{key}: the evidence must be at most 4000 characters"
            )));
        }
        let question = text(r.question.as_ref());
        if question.as_ref().is_some_and(|e| e.chars().count() > 1000) {
            return Err(ServiceError::Input(format!(
                "{key}: the question must be at most 1000 characters"
            )));
        }
        rows.push(RatingRow {
            competency: key.clone(),
            level: r.level,
            evidence,
            question,
        });
    }
    if input.submit {
        let missing: Vec<&str> = profile
            .competencies()
            .iter()
            .map(|c| c.key())
            .filter(|k| {
                !input.ratings.contains_key(*k)
                    && !assessment.ratings.iter().any(|r| r.competency == *k)
            })
            .collect();
        if !missing.is_empty() {
            return Err(ServiceError::Input(format!(
                "rate every competency before submitting; not yet rated: {}",
                missing.join(", ")
            )));
        }
    }
    if !store.save_ratings(assessment.id, &rows, input.submit.then_some(now))? {
        return Err(ServiceError::Refused(
            "these ratings were submitted and are final".into(),
        ));
    }
    Ok(())
}

/// Enters the user's own ratings of a candidate they were invited to rate.
pub fn rate_candidate(
    store: &mut dyn Storage,
    user: &User,
    id: i64,
    input: &RatingsInput,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let c = candidate_row(store, user, id)?;
    let own = store
        .candidate_assessments(id)?
        .into_iter()
        .find(|a| a.assessor == user.login)
        .ok_or_else(|| {
            ServiceError::Refused(format!(
                "{} is not an assessor of candidate {id}; invite them first",
                user.login
            ))
        })?;
    require(user, Action::Rate, &Scope::Login(own.assessor.clone()))?;
    if c.closed_at.is_some() {
        return Err(ServiceError::Refused(format!(
            "the assessment of candidate {id} is closed"
        )));
    }
    let (_, profile) = profile(store, &c.profile, Some(c.profile_version))?;
    enter(store, &own, &profile, input, now)
}

/// Closes a candidate's assessment before everyone finished: the ratings
/// are revealed without the unfinished ones.
pub fn close(
    store: &mut dyn Storage,
    user: &User,
    id: i64,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let c = candidate_row(store, user, id)?;
    if !hires(user) {
        return Err(not_found(id));
    }
    let (_, profile) = profile(store, &c.profile, Some(c.profile_version))?;
    if result_of(&profile, &c, &store.candidate_assessments(id)?).revealed {
        return Err(ServiceError::Refused(format!(
            "the ratings of candidate {id} are already revealed"
        )));
    }
    store.close_candidate(id, &user.login, now)?;
    Ok(())
}

/// The longest note on a candidate, in characters.
pub const MAX_NOTE_CHARS: usize = 4000;

/// Adds a note to a candidate's record.
pub fn add_note(
    store: &mut dyn Storage,
    user: &User,
    id: i64,
    text: &str,
    now: Timestamp,
) -> Result<i64, ServiceError> {
    candidate_row(store, user, id)?;
    if !hires(user) {
        return Err(not_found(id));
    }
    // Counted as sent, before trimming: the bound the API document states.
    if text.chars().count() > MAX_NOTE_CHARS {
        return Err(ServiceError::Input(format!(
            "a note must be 1 to {MAX_NOTE_CHARS} characters"
        )));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(ServiceError::Input(format!(
            "a note must be 1 to {MAX_NOTE_CHARS} characters"
        )));
    }
    Ok(store.add_note(id, &user.login, text, now)?)
}

/// Erases a candidate and everything about them.
pub fn erase(store: &mut dyn Storage, user: &User, id: i64) -> Result<(), ServiceError> {
    if !hires(user) || !store.erase_candidate(id)? {
        return Err(not_found(id));
    }
    Ok(())
}

/// The candidates for one role side by side.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub profile: RoleProfile,
    pub candidates: Vec<CandidateSummary>,
}

/// Every candidate for a profile, best fit first (those not yet revealed
/// last).
pub fn compare(
    store: &dyn Storage,
    user: &User,
    profile_name: &str,
) -> Result<Comparison, ServiceError> {
    if !hires(user) {
        return Err(ServiceError::NotFound("no candidates here".into()));
    }
    let (_, p) = profile(store, profile_name, None)?;
    let mut list = candidates(store, user, Some(p.name()))?;
    let fit = |c: &CandidateSummary| c.result.as_ref().and_then(|r| r.fit);
    list.sort_by(|a, b| {
        fit(b)
            .unwrap_or(-1.0)
            .total_cmp(&fit(a).unwrap_or(-1.0))
            .then(a.candidate.id.cmp(&b.candidate.id))
    });
    Ok(Comparison {
        profile: p,
        candidates: list,
    })
}

// ----- current agents -------------------------------------------------

fn agent_scope(store: &dyn Storage, agent: &str) -> Result<Scope, ServiceError> {
    Ok(Scope::Agent {
        name: agent.to_string(),
        team: store.agent_team(agent)?,
    })
}

/// An assessment of an agent as one user may see it.
#[derive(Debug, Clone, Serialize)]
pub struct AgentAssessmentView {
    pub assessment: AssessmentRow,
    pub profile: RoleProfile,
    /// Once submitted.
    pub result: Option<ProfileResult>,
    /// Whether the user may assess the agent (and start a plan).
    pub coaches: bool,
}

/// Starts an assessment of an agent against a profile by the user (their
/// lead, a manager or an administrator). Returns its id.
pub fn start_agent_assessment(
    store: &mut dyn Storage,
    user: &User,
    agent: &str,
    profile_name: &str,
    now: Timestamp,
) -> Result<i64, ServiceError> {
    let agent = agent.trim();
    if agent.is_empty() || !store.agent_exists(agent)? {
        return Err(ServiceError::NotFound(format!(
            "there is no agent '{agent}'"
        )));
    }
    let scope = agent_scope(store, agent)?;
    if !may(user, Action::See, &scope) {
        return Err(ServiceError::NotFound(format!(
            "there is no agent '{agent}'"
        )));
    }
    require(user, Action::Coach, &scope)?;
    let (row, _) = profile(store, profile_name.trim(), None)?;
    Ok(store.add_agent_assessment(agent, (&row.name, row.version), &user.login, now)?)
}

fn agent_assessment_row(
    store: &dyn Storage,
    user: &User,
    id: i64,
) -> Result<(AssessmentRow, Scope), ServiceError> {
    let missing = || ServiceError::NotFound(format!("no assessment {id}"));
    let a = store.assessment(id)?.ok_or_else(missing)?;
    let Some(agent) = a.agent.clone() else {
        return Err(missing());
    };
    let scope = agent_scope(store, &agent)?;
    let own = a.assessor == user.login;
    let visible = own || (a.submitted_at.is_some() && may(user, Action::See, &scope));
    if visible {
        Ok((a, scope))
    } else {
        Err(missing())
    }
}

/// One assessment of an agent: its assessor sees it at once; the agent,
/// their lead and managers once it is submitted.
pub fn agent_assessment(
    store: &dyn Storage,
    user: &User,
    id: i64,
) -> Result<AgentAssessmentView, ServiceError> {
    let (a, scope) = agent_assessment_row(store, user, id)?;
    let (_, profile) = profile(store, &a.profile, Some(a.profile_version))?;
    let result = a
        .submitted_at
        .is_some()
        .then(|| assess(&profile, &[ratings_of(&a)], false));
    Ok(AgentAssessmentView {
        coaches: may(user, Action::Coach, &scope),
        assessment: a,
        profile,
        result,
    })
}

/// The assessments of an agent the user may see, oldest first.
pub fn agent_assessments(
    store: &dyn Storage,
    user: &User,
    agent: &str,
) -> Result<Vec<AssessmentRow>, ServiceError> {
    let scope = agent_scope(store, agent)?;
    if !may(user, Action::See, &scope) {
        return Err(ServiceError::NotFound(format!(
            "there is no agent '{agent}'"
        )));
    }
    Ok(store
        .agent_assessments(Some(agent))?
        .into_iter()
        .filter(|a| a.submitted_at.is_some() || a.assessor == user.login)
        .collect())
}

/// One assessment of an agent in their list: when, against which version of
/// which profile, by whom, and once submitted its fit and largest gap.
#[derive(Debug, Clone, Serialize)]
pub struct AgentAssessmentSummary {
    pub id: i64,
    pub profile: String,
    pub profile_version: i64,
    pub role: String,
    pub assessor: String,
    pub invited_at: Timestamp,
    /// `None` while it is the assessor's draft.
    pub submitted_at: Option<Timestamp>,
    /// 0–100 (docs/profiles.md), once submitted.
    pub fit: Option<f64>,
    /// The competency furthest below its required level and by how many
    /// levels, once submitted; `None` when none falls short.
    pub largest_gap: Option<(String, f64)>,
    /// The competencies whose must-have level was not reached.
    pub must_haves_missed: Vec<String>,
    /// The competency of the largest gap, as the profile defines it (its
    /// label in the reader's language for pages).
    #[serde(skip)]
    pub gap_competency: Option<metas_domain::profile::Competency>,
}

/// The assessments of an agent the user may see, newest first, each with
/// its fit and largest gap: how the agent has grown against their role.
pub fn agent_assessment_summaries(
    store: &dyn Storage,
    user: &User,
    agent: &str,
) -> Result<Vec<AgentAssessmentSummary>, ServiceError> {
    let mut profiles: std::collections::HashMap<(String, i64), RoleProfile> =
        std::collections::HashMap::new();
    let mut out = Vec::new();
    for a in agent_assessments(store, user, agent)?.into_iter().rev() {
        let p = match profiles.entry((a.profile.clone(), a.profile_version)) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => {
                new.insert(profile(store, &a.profile, Some(a.profile_version))?.1)
            }
        };
        let result = a
            .submitted_at
            .is_some()
            .then(|| assess(p, &[ratings_of(&a)], false));
        let largest_gap = result.as_ref().and_then(|r| r.gaps.first().cloned());
        out.push(AgentAssessmentSummary {
            id: a.id,
            role: p.role().to_string(),
            profile: a.profile,
            profile_version: a.profile_version,
            assessor: a.assessor,
            invited_at: a.invited_at,
            submitted_at: a.submitted_at,
            fit: result.as_ref().and_then(|r| r.fit),
            gap_competency: largest_gap
                .as_ref()
                .and_then(|(key, _)| p.competency(key).cloned()),
            largest_gap,
            must_haves_missed: result.map(|r| r.must_haves_missed).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Enters the user's ratings on their assessment of an agent.
pub fn rate_agent(
    store: &mut dyn Storage,
    user: &User,
    id: i64,
    input: &RatingsInput,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let (a, _) = agent_assessment_row(store, user, id)?;
    require(user, Action::Rate, &Scope::Login(a.assessor.clone()))?;
    let (_, profile) = profile(store, &a.profile, Some(a.profile_version))?;
    enter(store, &a, &profile, input, now)
}

/// How long a plan started from a gap runs.
pub const PLAN_TIME_FRAME: &str = "4w";

/// Starts a coaching plan on the competency with the largest gap of a
/// submitted assessment of an agent: on the QA criterion that sees it
/// (`qa_criterion`), the required level as the expected one. Returns the
/// plan's id.
pub fn plan_from_largest_gap(
    store: &mut dyn Storage,
    user: &User,
    id: i64,
    today: Date,
    now: Timestamp,
) -> Result<i64, ServiceError> {
    let view = agent_assessment(store, user, id)?;
    let agent = view.assessment.agent.clone().unwrap_or_default();
    let Some(result) = &view.result else {
        return Err(ServiceError::Refused(format!(
            "assessment {id} is not submitted yet"
        )));
    };
    let Some(gap) = result.largest_gap() else {
        return Err(ServiceError::Refused(format!(
            "{agent} meets every required level of the profile '{}': there is no gap to coach",
            view.profile.name()
        )));
    };
    let Some(competency) = view.profile.competency(&gap.key) else {
        return Err(ServiceError::NotFound(format!(
            "no competency '{}'",
            gap.key
        )));
    };
    let Some(criterion) = competency.qa_criterion() else {
        return Err(ServiceError::Refused(format!(
            "the largest gap is in '{}', which names no QA criterion to track (qa_criterion in the profile)",
            competency.key()
        )));
    };
    let new = crate::coaching::NewPlan {
        agent,
        rubric: None,
        criterion: criterion.to_string(),
        expected_level: f64::from(competency.required()),
        time_frame: PLAN_TIME_FRAME.into(),
        objective: Some(format!(
            "{}: reach level {} of 5 (assessed {:.1})",
            competency.label(),
            competency.required(),
            gap.mean.unwrap_or(0.0)
        )),
        examples: Vec::new(),
        metrics_expected: Vec::new(),
        sessions: Vec::new(),
        rhythm: None,
        starts_on: None,
    };
    crate::coaching::create_as(store, user, &new, today, now)
}

/// The example profiles (examples/profiles/), by name.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "agent",
        include_str!("../../../examples/profiles/agent.toml"),
    ),
    (
        "senior_agent",
        include_str!("../../../examples/profiles/senior_agent.toml"),
    ),
    (
        "team_lead",
        include_str!("../../../examples/profiles/team_lead.toml"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_examples_parse_and_write_back() {
        for (name, text) in EXAMPLES {
            let p = parse_profile(name, text, name).unwrap();
            assert!(p.competencies().len() >= 5, "{name}");
            let again = parse_profile(name, &profile_text(&p), name).unwrap();
            assert_eq!(again, p, "{name}");
        }
    }

    #[test]
    fn bad_files_name_the_line_and_the_field() {
        let text = "role = \"Agent\"\n\n[[competencies]]\nkey = \"empathy\"\nrequired = 3\n\n[[competencies]]\nkey = \"typing\"\nrequired = 3\nweight = 0\n";
        let e = parse_profile("agent", text, "agent.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "agent.toml line 10: competencies[2].weight: must be a number above 0, not 0"
        );
        let e = parse_profile("agent", &text.replace("weight = 0\n", ""), "a.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("a.toml line 7: competencies[2].definition:"),
            "{e}"
        );
        let e = parse_profile(
            "agent",
            "role = \"A\"\n[[competencies]]\nkye = 1\n",
            "b.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("b.toml line ") && e.contains("unknown field `kye`"),
            "{e}"
        );
        let e = parse_profile(
            "agent",
            "[[competencies]]\nkey = \"empathy\"\nrequired = 3\n",
            "c.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("c.toml: role:"), "{e}");
        let e = parse_profile(
            "agent",
            "role = \"A\"\n[[knowledge]]\ntext = \"\"\n[[competencies]]\nkey = \"empathy\"\nrequired = 9\n",
            "d.toml",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "d.toml line 6: competencies[1].required: 9 is outside the scale 1 to 5"
        );
    }
}
