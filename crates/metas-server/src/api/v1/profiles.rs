//! `/api/v1/profiles…`, `/api/v1/candidates…` and `/api/v1/assessments…`
//! (docs/profiles.md): role profiles (list, show a version, save from TOML,
//! compare the candidates for one), candidates (add, list, show, rate,
//! reveal, erase) and assessments of current agents (start, show, rate,
//! start a coaching plan from the largest gap). The same service functions
//! as `metas profile|candidate|assess` and the pages; a candidate the caller
//! may not see (an agent, a lead not invited) is 404.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use metas_service::profile::{RatingInput, RatingsInput};
use metas_store::ProfileRow;
use serde::Deserialize;
use serde_json::json;

use crate::{auth, ApiError, AppState};

use super::ErrorEnvelope;

fn profile_json(
    row: &ProfileRow,
    profile: &metas_domain::profile::RoleProfile,
) -> serde_json::Value {
    json!({
        "name": row.name,
        "role": row.role,
        "version": row.version,
        "current_version": row.current_version,
        "saved_at": row.saved_at,
        "saved_by": row.saved_by,
        "toml": row.definition,
        "profile": profile,
    })
}

/// Every role profile in its current version.
#[utoipa::path(get, path = "/api/v1/profiles", tag = "profiles",
    responses((status = 200, description = "{\"profiles\": [{name, role, version, current_version, saved_at, saved_by, toml, profile: {name, role, description, duties, knowledge, experience, competencies: [{key, label, definition, required, weight, must_have, levels, questions, qa_criterion}]}}]}", body = Object),
              (status = 401, description = "No session or token", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn profiles(
    State(state): State<Arc<AppState>>,
    _user: auth::ApiUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let list = state
        .with_store(|store| {
            metas_service::profile::profiles(store)?
                .into_iter()
                .map(|row| {
                    let p = metas_service::profile::checked(&row)?;
                    Ok(profile_json(&row, &p))
                })
                .collect::<Result<Vec<_>, metas_service::ServiceError>>()
        })
        .await?;
    Ok(Json(json!({ "profiles": list })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParams {
    /// A saved version (default: the current one).
    version: Option<i64>,
}

/// One profile (a version of it), with its saved versions.
#[utoipa::path(get, path = "/api/v1/profiles/{name}", tag = "profiles",
    params(("name" = String, Path, description = "The profile's name"), VersionParams),
    responses((status = 200, description = "{name, role, version, current_version, saved_at, saved_by, toml, profile, versions: [{version, saved_at, saved_by}]}", body = Object),
              (status = 404, description = "No profile, or no such version", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn profile(
    State(state): State<Arc<AppState>>,
    _user: auth::ApiUser,
    Path(name): Path<String>,
    Query(p): Query<VersionParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (row, profile, versions) = state
        .with_store(move |store| {
            let (row, profile) = metas_service::profile::profile(store, name.trim(), p.version)?;
            let versions = metas_service::profile::profile_versions(store, &row.name)?;
            Ok((row, profile, versions))
        })
        .await?;
    let mut v = profile_json(&row, &profile);
    v["versions"] = json!(versions);
    Ok(Json(v))
}

/// A profile as its TOML text: the file `metas profile set` reads.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ProfileBody {
    /// The profile file (docs/profiles.md), e.g. `role = "Agent"\n[[competencies]]\nkey = "empathy"\nrequired = 3`.
    /// A mistake is refused with its line and field.
    toml: String,
}

/// Saves a profile: a new version, unless it changes nothing (candidates
/// keep the version they were added under). Administrators and managers.
#[utoipa::path(put, path = "/api/v1/profiles/{name}", tag = "profiles",
    params(("name" = String, Path, description = "The profile's name: letters, digits, '_', '-', '.'")),
    request_body = ProfileBody,
    responses((status = 200, description = "{name, role, version, …, profile, changed}", body = Object),
              (status = 400, description = "The TOML or a field is wrong (the sentence names the line and field)", body = ErrorEnvelope),
              (status = 403, description = "Not an administrator or a manager", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_profile(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(name): Path<String>,
    Json(b): Json<ProfileBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    let (saved, row, profile) = state
        .with_store(move |store| {
            let name = name.trim();
            let p = metas_service::profile::parse_profile(name, &b.toml, &format!("{name}.toml"))?;
            let saved = metas_service::profile::save_profile(store, &user.0, &p, &b.toml, now)?;
            let (row, profile) =
                metas_service::profile::profile(store, p.name(), Some(saved.version))?;
            Ok((saved, row, profile))
        })
        .await?;
    let mut v = profile_json(&row, &profile);
    v["changed"] = json!(saved.changed);
    Ok(Json(v))
}

/// The candidates for one role side by side, best fit first (those not yet
/// revealed last, without figures). Administrators and managers.
#[utoipa::path(get, path = "/api/v1/profiles/{name}/comparison", tag = "profiles",
    params(("name" = String, Path, description = "The profile's name")),
    responses((status = 200, description = "{profile, candidates: [{candidate, assessors, finished, revealed, result: {fit, gaps, must_haves_missed, disagreements, competencies: [{key, required, weight, must_have, mean, gap, met, spread, disagreement, must_have_missed, ratings}], finished, not_finished, revealed} | null}]}", body = Object),
              (status = 404, description = "No such profile, or the caller may not see candidates", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn comparison(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let cmp = state
        .with_store(move |store| metas_service::profile::compare(store, &user.0, name.trim()))
        .await?;
    Ok(Json(json!(cmp)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateParams {
    /// Only the candidates for this profile.
    profile: Option<String>,
}

/// The candidates, newest first, with their result once revealed.
/// Administrators and managers; anyone else is answered 404.
#[utoipa::path(get, path = "/api/v1/candidates", tag = "profiles",
    params(CandidateParams),
    responses((status = 200, description = "{\"candidates\": [{candidate: {id, name, profile, profile_version, added_by, added_at, closed_by, closed_at}, assessors, finished, revealed, result}]}", body = Object),
              (status = 404, description = "The caller may not see candidates", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn candidates(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Query(p): Query<CandidateParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let list = state
        .with_store(move |store| {
            let profile = p
                .profile
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            metas_service::profile::candidates(store, &user.0, profile)
        })
        .await?;
    Ok(Json(json!({ "candidates": list })))
}

/// A candidate to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CandidateBody {
    /// The candidate's name.
    name: String,
    /// The role profile to assess against (its current version).
    profile: String,
    /// The logins invited to rate the candidate.
    assessors: Vec<String>,
}

/// Adds a candidate and invites their assessors. Administrators and
/// managers.
#[utoipa::path(post, path = "/api/v1/candidates", tag = "profiles",
    request_body = CandidateBody,
    responses((status = 200, description = "The candidate, as GET /api/v1/candidates/{id}", body = Object),
              (status = 400, description = "No name, no assessor, or an assessor who is not a user", body = ErrorEnvelope),
              (status = 404, description = "No such profile, or the caller may not add candidates", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn add_candidate(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Json(b): Json<CandidateBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    let view = state
        .with_store(move |store| {
            let id = metas_service::profile::add_candidate(
                store,
                &user.0,
                &b.name,
                &b.profile,
                &b.assessors,
                now,
            )?;
            metas_service::profile::candidate(store, &user.0, id)
        })
        .await?;
    Ok(Json(json!(view)))
}

/// One candidate as the caller may see them: the assessors' progress; once
/// revealed, for administrators and managers, every finished rating and the
/// result; an invited assessor sees their own ratings only.
#[utoipa::path(get, path = "/api/v1/candidates/{id}", tag = "profiles",
    params(("id" = i64, Path, description = "The candidate's id")),
    responses((status = 200, description = "{candidate, profile, assessors: [{assessor, submitted_at}], revealed, result, assessments, own, notes, manages}", body = Object),
              (status = 404, description = "No such candidate within the caller's reach", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn candidate(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let view = state
        .with_store(move |store| metas_service::profile::candidate(store, &user.0, id))
        .await?;
    Ok(Json(json!(view)))
}

/// Erases a candidate and every assessment, rating and note about them.
/// Administrators and managers.
#[utoipa::path(delete, path = "/api/v1/candidates/{id}", tag = "profiles",
    params(("id" = i64, Path, description = "The candidate's id")),
    responses((status = 200, description = "{\"erased\": id}", body = Object),
              (status = 404, description = "No such candidate within the caller's reach", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn erase_candidate(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .with_store(move |store| metas_service::profile::erase(store, &user.0, id))
        .await?;
    Ok(Json(json!({ "erased": id })))
}

/// One competency's rating.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RatingBody {
    /// The level on the competency's anchored scale, 1 to 5.
    level: u8,
    /// What the person said or did.
    evidence: Option<String>,
    /// The interview question used.
    question: Option<String>,
}

/// The caller's own ratings: competency key → rating.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RatingsBody {
    #[serde(default)]
    ratings: BTreeMap<String, RatingBody>,
    /// Makes the ratings final; every competency must then be rated.
    #[serde(default)]
    submit: bool,
}

fn input(b: RatingsBody) -> RatingsInput {
    RatingsInput {
        ratings: b
            .ratings
            .into_iter()
            .map(|(k, r)| {
                (
                    k,
                    RatingInput {
                        level: r.level,
                        evidence: r.evidence,
                        question: r.question,
                    },
                )
            })
            .collect(),
        submit: b.submit,
    }
}

/// Saves (and with `submit`, finalises) the caller's own ratings of a
/// candidate they were invited to rate.
#[utoipa::path(post, path = "/api/v1/candidates/{id}/ratings", tag = "profiles",
    params(("id" = i64, Path, description = "The candidate's id")),
    request_body = RatingsBody,
    responses((status = 200, description = "The candidate, as GET /api/v1/candidates/{id}", body = Object),
              (status = 400, description = "A competency the profile lacks, a level outside 1-5, or a competency unrated on submit", body = ErrorEnvelope),
              (status = 404, description = "No such candidate within the caller's reach", body = ErrorEnvelope),
              (status = 409, description = "The caller is not an assessor, already submitted, or the assessment is closed", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn rate_candidate(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<RatingsBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    let view = state
        .with_store(move |store| {
            metas_service::profile::rate_candidate(store, &user.0, id, &input(b), now)?;
            metas_service::profile::candidate(store, &user.0, id)
        })
        .await?;
    Ok(Json(json!(view)))
}

/// Reveals the ratings before every assessor finished (the unfinished are
/// left out and named). Administrators and managers.
#[utoipa::path(post, path = "/api/v1/candidates/{id}/reveal", tag = "profiles",
    params(("id" = i64, Path, description = "The candidate's id")),
    responses((status = 200, description = "The candidate, as GET /api/v1/candidates/{id}", body = Object),
              (status = 404, description = "No such candidate within the caller's reach", body = ErrorEnvelope),
              (status = 409, description = "Already revealed", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn reveal(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    let view = state
        .with_store(move |store| {
            metas_service::profile::close(store, &user.0, id, now)?;
            metas_service::profile::candidate(store, &user.0, id)
        })
        .await?;
    Ok(Json(json!(view)))
}

/// A note on a candidate.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NoteBody {
    /// The note (1 to 4,000 characters).
    text: String,
}

/// Adds a note to a candidate's record. Administrators and managers.
#[utoipa::path(post, path = "/api/v1/candidates/{id}/notes", tag = "profiles",
    params(("id" = i64, Path, description = "The candidate's id")),
    request_body = NoteBody,
    responses((status = 200, description = "The candidate, as GET /api/v1/candidates/{id}", body = Object),
              (status = 400, description = "An empty note, or one over 4,000 characters", body = ErrorEnvelope),
              (status = 404, description = "No such candidate within the caller's reach", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn add_note(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<NoteBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    let view = state
        .with_store(move |store| {
            metas_service::profile::add_note(store, &user.0, id, &b.text, now)?;
            metas_service::profile::candidate(store, &user.0, id)
        })
        .await?;
    Ok(Json(json!(view)))
}

/// One more assessor for a candidate.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AssessorBody {
    /// The login invited to rate the candidate.
    assessor: String,
}

/// Invites one more assessor to rate a candidate whose assessment is still
/// open. Administrators and managers.
#[utoipa::path(post, path = "/api/v1/candidates/{id}/assessors", tag = "profiles",
    params(("id" = i64, Path, description = "The candidate's id")),
    request_body = AssessorBody,
    responses((status = 200, description = "The candidate, as GET /api/v1/candidates/{id}", body = Object),
              (status = 400, description = "No such user to invite", body = ErrorEnvelope),
              (status = 404, description = "No such candidate within the caller's reach", body = ErrorEnvelope),
              (status = 409, description = "Already an assessor, or the assessment is closed", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn invite(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<AssessorBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    let view = state
        .with_store(move |store| {
            metas_service::profile::invite(store, &user.0, id, &b.assessor, now)?;
            metas_service::profile::candidate(store, &user.0, id)
        })
        .await?;
    Ok(Json(json!(view)))
}

/// An assessment of an agent to start.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AssessmentBody {
    /// The agent, as the data names them.
    agent: String,
    /// The role profile to assess against (its current version).
    profile: String,
    #[serde(default)]
    ratings: BTreeMap<String, RatingBody>,
    #[serde(default)]
    submit: bool,
}

/// Starts an assessment of an agent by the caller (their lead, a manager,
/// an administrator), with ratings if given.
#[utoipa::path(post, path = "/api/v1/assessments", tag = "profiles",
    request_body = AssessmentBody,
    responses((status = 200, description = "The assessment, as GET /api/v1/assessments/{id}", body = Object),
              (status = 400, description = "A competency the profile lacks or a level outside 1-5", body = ErrorEnvelope),
              (status = 403, description = "The caller may see the agent but not assess them", body = ErrorEnvelope),
              (status = 404, description = "No such agent or profile within the caller's reach", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn start_assessment(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Json(b): Json<AssessmentBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    let view = state
        .with_store(move |store| {
            let id = metas_service::profile::start_agent_assessment(
                store, &user.0, &b.agent, &b.profile, now,
            )?;
            let i = input(RatingsBody {
                ratings: b.ratings,
                submit: b.submit,
            });
            if !i.ratings.is_empty() || i.submit {
                metas_service::profile::rate_agent(store, &user.0, id, &i, now)?;
            }
            metas_service::profile::agent_assessment(store, &user.0, id)
        })
        .await?;
    Ok(Json(json!(view)))
}

/// The assessments of an agent the caller may see (the agent themself,
/// their lead, managers, administrators; a draft only to its assessor),
/// newest first, with each one's fit and largest gap.
#[utoipa::path(get, path = "/api/v1/agents/{agent}/assessments", tag = "profiles",
    params(("agent" = String, Path, description = "The agent as the data names them")),
    responses((status = 200, description = "{\"assessments\": [{id, profile, profile_version, role, assessor, invited_at, submitted_at, fit, largest_gap: [competency, levels] | null, must_haves_missed}]}", body = Object),
              (status = 404, description = "No such agent in the data the caller may see", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn agent_assessments(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(agent): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let list = state
        .with_store(move |store| {
            metas_service::profile::agent_assessment_summaries(store, &user.0, &agent)
        })
        .await?;
    Ok(Json(json!({ "assessments": list })))
}

/// One assessment of an agent: its assessor sees it at once; the agent,
/// their lead and managers once it is submitted.
#[utoipa::path(get, path = "/api/v1/assessments/{id}", tag = "profiles",
    params(("id" = i64, Path, description = "The assessment's id")),
    responses((status = 200, description = "{assessment, profile, result, coaches}", body = Object),
              (status = 404, description = "No such assessment within the caller's reach", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn assessment(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let view = state
        .with_store(move |store| metas_service::profile::agent_assessment(store, &user.0, id))
        .await?;
    Ok(Json(json!(view)))
}

/// Saves (and with `submit`, finalises) the caller's ratings on their
/// assessment of an agent.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/ratings", tag = "profiles",
    params(("id" = i64, Path, description = "The assessment's id")),
    request_body = RatingsBody,
    responses((status = 200, description = "The assessment, as GET /api/v1/assessments/{id}", body = Object),
              (status = 400, description = "A competency the profile lacks, a level outside 1-5, or a competency unrated on submit", body = ErrorEnvelope),
              (status = 404, description = "No such assessment within the caller's reach", body = ErrorEnvelope),
              (status = 409, description = "Already submitted", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn rate_assessment(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
    Json(b): Json<RatingsBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    let view = state
        .with_store(move |store| {
            metas_service::profile::rate_agent(store, &user.0, id, &input(b), now)?;
            metas_service::profile::agent_assessment(store, &user.0, id)
        })
        .await?;
    Ok(Json(json!(view)))
}

/// Starts a coaching plan on the competency with the largest gap of a
/// submitted assessment (docs/profiles.md "Current agents").
#[utoipa::path(post, path = "/api/v1/assessments/{id}/plan", tag = "profiles",
    params(("id" = i64, Path, description = "The assessment's id")),
    responses((status = 200, description = "{\"plan\": id}: the plan, at GET /api/v1/plans/{id}", body = Object),
              (status = 400, description = "The competency's QA criterion is in no rubric", body = ErrorEnvelope),
              (status = 403, description = "The caller may not coach the agent", body = ErrorEnvelope),
              (status = 404, description = "No such assessment within the caller's reach", body = ErrorEnvelope),
              (status = 409, description = "Not submitted, no gap, or the gap names no QA criterion", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn plan_from_gap(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    let today = (state.settings.today)();
    let plan = state
        .with_store(move |store| {
            metas_service::profile::plan_from_largest_gap(store, &user.0, id, today, now)
        })
        .await?;
    Ok(Json(json!({ "plan": plan })))
}
