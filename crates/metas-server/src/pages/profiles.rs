//! The role-profile pages (`/profiles…`, `/candidates…`, docs/profiles.md):
//! profiles shown in full with their editor (administrators and managers),
//! the candidates and the form to add one, a candidate's page (who has
//! finished; once revealed the fit, gaps, must-haves missed and
//! disagreements), the assessment form (each competency with its level
//! descriptions, the evidence, the suggested questions), the comparison of
//! the candidates for one role, and erasure after a confirmation. The same
//! service functions as `metas profile|candidate` and `/api/v1`; a
//! candidate the user may not see is 404.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use metas_domain::profile::{Competency, ProfileResult, QuestionKind, RoleProfile};
use metas_service::access::{self, Action, Scope};
use metas_service::profile::{CandidateView, RatingInput, RatingsInput};
use metas_store::AssessmentRow;
use serde::Deserialize;

use super::*;
use crate::auth::{Nav, PageUser};
use crate::i18n::Tr;
use crate::{ApiError, AppState};

fn day(tr: &Tr, t: Timestamp) -> String {
    tr.date(t.to_zoned(TimeZone::UTC).date())
}

fn one_decimal(tr: &Tr, v: Option<f64>) -> String {
    v.map(|v| tr.num(&format!("{v:.1}")))
        .unwrap_or_else(|| "—".into())
}

fn percent(tr: &Tr, v: Option<f64>) -> String {
    v.map(|v| format!("{}%", tr.num(&format!("{v:.0}"))))
        .unwrap_or_else(|| tr.t("candidate-fit-none"))
}

/// A competency as a page shows it: the library's own text in the reader's
/// language, a profile's own text as written.
struct CompetencyView {
    key: String,
    label: String,
    definition: String,
    required: u8,
    meta: String,
    must_have: bool,
    /// (level, description), level 1 first.
    levels: Vec<(u8, String)>,
    /// (kind, question).
    questions: Vec<(String, String)>,
}

fn competency_view(tr: &Tr, c: &Competency) -> CompetencyView {
    let lib = c.is_library_text();
    let text = |suffix: &str, own: &str| {
        if lib {
            tr.t(&format!("profiles-lib-{}-{suffix}", c.key()))
        } else {
            own.to_string()
        }
    };
    let mut counts = (0, 0);
    CompetencyView {
        key: c.key().to_string(),
        label: text("label", c.label()),
        definition: text("definition", c.definition()),
        required: c.required(),
        meta: tr.t2(
            "profiles-required-line",
            "level",
            c.required(),
            "weight",
            tr.num(&format!("{}", c.weight())),
        ),
        must_have: c.must_have(),
        levels: c
            .levels()
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let n = i as u8 + 1;
                (n, text(&format!("level-{n}"), l))
            })
            .collect(),
        questions: c
            .questions()
            .iter()
            .map(|q| {
                let (kind, n) = match q.kind {
                    QuestionKind::Behavioural => {
                        counts.0 += 1;
                        ("behavioural", counts.0)
                    }
                    QuestionKind::Situational => {
                        counts.1 += 1;
                        ("situational", counts.1)
                    }
                };
                (
                    tr.t(&format!("profiles-question-{kind}")),
                    text(&format!("{kind}-{n}"), &q.text),
                )
            })
            .collect(),
    }
}

struct ProfileView {
    name: String,
    title: String,
    role: String,
    description: String,
    duties: Vec<String>,
    knowledge: Vec<(String, bool)>,
    experience: Vec<(String, bool)>,
    competencies: Vec<CompetencyView>,
}

fn profile_view(tr: &Tr, p: &RoleProfile, version: i64) -> ProfileView {
    ProfileView {
        name: p.name().to_string(),
        title: tr.t2("profiles-version", "name", p.name(), "version", version),
        role: p.role().to_string(),
        description: p.description().unwrap_or_default().to_string(),
        duties: p.duties().to_vec(),
        knowledge: p
            .knowledge()
            .iter()
            .map(|r| (r.text.clone(), r.must_have))
            .collect(),
        experience: p
            .experience()
            .iter()
            .map(|r| (r.text.clone(), r.must_have))
            .collect(),
        competencies: p
            .competencies()
            .iter()
            .map(|c| competency_view(tr, c))
            .collect(),
    }
}

fn hires(user: &PageUser) -> bool {
    access::may(user.user(), Action::Hire, &Scope::Organisation)
}

struct Editor {
    name: String,
    toml: String,
    versions: Vec<String>,
    message: Option<String>,
    error: Option<String>,
    fixed_name: bool,
}

struct InvitationLine {
    id: i64,
    candidate: String,
    profile: String,
    submitted: bool,
}

#[derive(Template)]
#[template(path = "profiles/profiles.html")]
struct ProfilesPage {
    tr: Tr,
    nav: Nav,
    profiles: Vec<(String, String, String)>,
    invitations: Vec<InvitationLine>,
    shown: Option<ProfileView>,
    editor: Option<Editor>,
    manages: bool,
    /// Whether the user may assess agents (their lead, managers).
    coaches: bool,
}

fn coaches(user: &PageUser) -> bool {
    let u = user.user();
    access::may(u, Action::Coach, &Scope::Organisation)
        || u.team
            .as_ref()
            .is_some_and(|t| access::may(u, Action::Coach, &Scope::Team(t.clone())))
}

async fn profiles_view(
    state: &Arc<AppState>,
    user: &PageUser,
    only: Option<String>,
    editor: Option<Editor>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let manages = hires(user);
    let u = user.user().clone();
    let o = only.clone();
    let (rows, shown, invitations) = state
        .with_store(move |store| {
            let rows = metas_service::profile::profiles(store)?;
            let shown = match &o {
                Some(n) => Some(metas_service::profile::profile(store, n, None)?),
                None => None,
            };
            let inv = metas_service::profile::invitations(store, &u)?;
            Ok((rows, shown, inv))
        })
        .await?;
    let editor = match editor {
        Some(e) => Some(e),
        None if manages && only.is_none() => Some(Editor {
            name: String::new(),
            toml: String::new(),
            versions: Vec::new(),
            message: None,
            error: None,
            fixed_name: false,
        }),
        None => None,
    };
    let status = if editor.as_ref().is_some_and(|e| e.error.is_some()) {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render_with(
        status,
        &ProfilesPage {
            profiles: rows
                .iter()
                .map(|r| {
                    (
                        r.name.clone(),
                        tr.t2("profiles-version", "name", &r.name, "version", r.version),
                        r.role.clone(),
                    )
                })
                .collect(),
            invitations: invitations
                .into_iter()
                .map(|i| InvitationLine {
                    id: i.candidate_id,
                    candidate: i.candidate,
                    profile: i.profile,
                    submitted: i.submitted_at.is_some(),
                })
                .collect(),
            shown: shown.map(|(row, p)| profile_view(&tr, &p, row.version)),
            editor: editor.filter(|_| manages),
            manages,
            coaches: coaches(user),
            nav: user.nav(),
            tr,
        },
    )
}

/// The profiles, the user's invitations to rate, and the editor for a new
/// profile (administrators and managers).
pub async fn profiles_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
) -> Result<Response, ApiError> {
    profiles_view(&state, &user, None, None).await
}

async fn editor_for(state: &Arc<AppState>, tr: &Tr, name: &str) -> Result<Editor, ApiError> {
    let n = name.to_string();
    let (row, versions) = state
        .with_store(move |store| {
            let (row, _) = metas_service::profile::profile(store, &n, None)?;
            let versions = metas_service::profile::profile_versions(store, &n)?;
            Ok((row, versions))
        })
        .await?;
    Ok(Editor {
        name: name.to_string(),
        toml: row.definition,
        versions: versions
            .iter()
            .map(|v| {
                tr.args(
                    "profiles-version-line",
                    &[
                        ("version", v.version.to_string()),
                        ("at", day(tr, v.saved_at)),
                        ("who", v.saved_by.clone()),
                    ],
                )
            })
            .collect(),
        message: None,
        error: None,
        fixed_name: true,
    })
}

/// One profile in full and, for those who may, its editor.
pub async fn profile_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let editor = if hires(&user) {
        Some(editor_for(&state, &user.tr, &name).await?)
    } else {
        None
    };
    profiles_view(&state, &user, Some(name), editor).await
}

#[derive(Deserialize)]
pub struct ProfileForm {
    csrf: String,
    name: String,
    toml: String,
}

/// Saves a profile from the editor; a refused file comes back with the
/// service's sentence (file, line and field).
pub async fn save_profile(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(f): Form<ProfileForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    access::require(user.user(), Action::Hire, &Scope::Organisation)?;
    let tr = user.tr;
    let name = f.name.trim().to_string();
    let text = f.toml.replace("\r\n", "\n");
    let u = user.user().clone();
    let now = (state.settings.now)();
    let (n, t) = (name.clone(), text.clone());
    let saved = state
        .with_store(move |store| {
            let label = format!("{}.toml", if n.is_empty() { "profile" } else { &n });
            let p = metas_service::profile::parse_profile(&n, &t, &label)?;
            metas_service::profile::save_profile(store, &u, &p, &t, now)
        })
        .await;
    match saved {
        Ok(s) => {
            let mut editor = editor_for(&state, &tr, &name).await?;
            let id = if s.changed {
                "profiles-saved"
            } else {
                "profiles-unchanged"
            };
            editor.message = Some(tr.t2(id, "name", &name, "version", s.version));
            profiles_view(&state, &user, Some(name), Some(editor)).await
        }
        Err(ApiError::Invalid(m)) => {
            let editor = Editor {
                name,
                toml: text,
                versions: Vec::new(),
                message: None,
                error: Some(m),
                fixed_name: false,
            };
            profiles_view(&state, &user, None, Some(editor)).await
        }
        Err(e) => Err(e),
    }
}

// ----- candidates -----------------------------------------------------

struct CandidateLine {
    id: i64,
    name: String,
    profile: String,
    added: String,
    state: String,
    fit: String,
    missed: bool,
}

#[derive(Template)]
#[template(path = "profiles/candidates.html")]
struct CandidatesPage {
    tr: Tr,
    nav: Nav,
    candidates: Vec<CandidateLine>,
    profiles: Vec<String>,
    error: Option<String>,
    form: (String, String, String),
}

#[derive(Deserialize, Default)]
pub struct CandidateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    profile: String,
    #[serde(default)]
    assessors: String,
}

async fn candidates_view(
    state: &Arc<AppState>,
    user: &PageUser,
    form: CandidateForm,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let (list, profiles) = state
        .with_store(move |store| {
            let list = metas_service::profile::candidates(store, &u, None)?;
            let profiles = metas_service::profile::profiles(store)?;
            Ok((list, profiles))
        })
        .await?;
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render_with(
        status,
        &CandidatesPage {
            candidates: list
                .iter()
                .map(|c| CandidateLine {
                    id: c.candidate.id,
                    name: c.candidate.name.clone(),
                    profile: c.candidate.profile.clone(),
                    added: day(&tr, c.candidate.added_at),
                    state: match &c.result {
                        Some(_) => String::new(),
                        None => tr.t2(
                            "candidates-not-revealed",
                            "finished",
                            c.finished,
                            "assessors",
                            c.assessors,
                        ),
                    },
                    fit: c
                        .result
                        .as_ref()
                        .map(|r| percent(&tr, r.fit))
                        .unwrap_or_default(),
                    missed: c
                        .result
                        .as_ref()
                        .is_some_and(|r| !r.must_haves_missed.is_empty()),
                })
                .collect(),
            profiles: profiles.into_iter().map(|p| p.name).collect(),
            error,
            form: (form.name, form.profile, form.assessors),
            nav: user.nav(),
            tr,
        },
    )
}

/// The candidates and the form to add one: administrators and managers;
/// anyone else gets 404.
pub async fn candidates_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
) -> Result<Response, ApiError> {
    candidates_view(&state, &user, CandidateForm::default(), None).await
}

/// Adds a candidate from the form.
pub async fn add_candidate(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(f): Form<CandidateForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    let u = user.user().clone();
    let now = (state.settings.now)();
    let (name, profile) = (f.name.clone(), f.profile.clone());
    let assessors: Vec<String> = f
        .assessors
        .split(',')
        .map(|a| a.trim().to_string())
        .collect();
    let added = state
        .with_store(move |store| {
            metas_service::profile::add_candidate(store, &u, &name, &profile, &assessors, now)
        })
        .await;
    match added {
        Ok(id) => Ok(Redirect::to(&format!("/candidates/{id}")).into_response()),
        Err(ApiError::Invalid(m)) => candidates_view(&state, &user, f, Some(m)).await,
        Err(e) => Err(e),
    }
}

struct ResultRow {
    label: String,
    required: u8,
    mean: String,
    gap: String,
    ratings: String,
    must_have_missed: bool,
    disagreement: bool,
}

struct EvidenceLine {
    assessor: String,
    competency: String,
    level: u8,
    evidence: String,
    question: String,
}

struct ResultView {
    fit: String,
    rows: Vec<ResultRow>,
    missed: String,
    disagreements: String,
    left_out: String,
    evidence: Vec<EvidenceLine>,
}

fn label_of(views: &[CompetencyView], key: &str) -> String {
    views
        .iter()
        .find(|c| c.key == key)
        .map(|c| c.label.clone())
        .unwrap_or_else(|| key.to_string())
}

fn result_view(
    tr: &Tr,
    views: &[CompetencyView],
    r: &ProfileResult,
    assessments: &[AssessmentRow],
) -> ResultView {
    let list = |keys: &[String]| {
        keys.iter()
            .map(|k| label_of(views, k))
            .collect::<Vec<_>>()
            .join(", ")
    };
    ResultView {
        fit: percent(tr, r.fit),
        rows: r
            .competencies
            .iter()
            .map(|c| ResultRow {
                label: label_of(views, &c.key),
                required: c.required,
                mean: one_decimal(tr, c.mean),
                gap: c.gap.map(|g| one_decimal(tr, Some(g))).unwrap_or_default(),
                ratings: c
                    .ratings
                    .iter()
                    .map(|(a, l)| format!("{a} {l}"))
                    .collect::<Vec<_>>()
                    .join(" · "),
                must_have_missed: c.must_have_missed,
                disagreement: c.disagreement,
            })
            .collect(),
        missed: list(&r.must_haves_missed),
        disagreements: list(&r.disagreements),
        left_out: r.not_finished.join(", "),
        evidence: evidence_lines(views, assessments),
    }
}

fn evidence_lines(views: &[CompetencyView], assessments: &[AssessmentRow]) -> Vec<EvidenceLine> {
    let mut out = Vec::new();
    for c in views {
        for a in assessments {
            if let Some(r) = a.ratings.iter().find(|r| r.competency == c.key) {
                out.push(EvidenceLine {
                    assessor: a.assessor.clone(),
                    competency: c.label.clone(),
                    level: r.level,
                    evidence: r.evidence.clone().unwrap_or_default(),
                    question: r.question.clone().unwrap_or_default(),
                });
            }
        }
    }
    out
}

#[derive(Template)]
#[template(path = "profiles/candidate.html")]
struct CandidatePage {
    tr: Tr,
    nav: Nav,
    id: i64,
    title: String,
    profile: String,
    assessors: Vec<(String, String, bool)>,
    revealed: bool,
    result: Option<ResultView>,
    own: Vec<EvidenceLine>,
    own_open: bool,
    invited: bool,
    notes: Vec<(String, String, String)>,
    manages: bool,
}

/// A candidate's page: the assessors' progress; once revealed (for
/// administrators and managers) the result and the evidence.
pub async fn candidate_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let v: CandidateView = state
        .with_store(move |store| metas_service::profile::candidate(store, &u, id))
        .await?;
    let views: Vec<CompetencyView> = v
        .profile
        .competencies()
        .iter()
        .map(|c| competency_view(&tr, c))
        .collect();
    render(&CandidatePage {
        id,
        title: tr.t2(
            "candidate-title",
            "name",
            &v.candidate.name,
            "role",
            v.profile.role(),
        ),
        profile: v.candidate.profile.clone(),
        assessors: v
            .assessors
            .iter()
            .map(|a| {
                (
                    a.assessor.clone(),
                    match a.submitted_at {
                        Some(t) => tr.t1("candidate-finished", "at", day(&tr, t)),
                        None => tr.t("candidate-not-finished"),
                    },
                    a.submitted_at.is_some(),
                )
            })
            .collect(),
        revealed: v.revealed,
        result: v
            .result
            .as_ref()
            .map(|r| result_view(&tr, &views, r, &v.assessments)),
        own: v
            .own
            .as_ref()
            .map(|a| evidence_lines(&views, std::slice::from_ref(a)))
            .unwrap_or_default(),
        own_open: v
            .own
            .as_ref()
            .is_some_and(|a| a.submitted_at.is_none() && v.candidate.closed_at.is_none()),
        invited: v.own.is_some(),
        notes: v
            .notes
            .iter()
            .map(|n| (n.author.clone(), day(&tr, n.written_at), n.text.clone()))
            .collect(),
        manages: v.manages,
        nav: user.nav(),
        tr,
    })
}

struct FormCompetency {
    view: CompetencyView,
    level: Option<u8>,
    evidence: String,
    question: String,
}

impl FormCompetency {
    /// Whether `level` is the one chosen (askama passes a reference).
    fn is_level(&self, level: impl std::borrow::Borrow<u8>) -> bool {
        self.level == Some(*level.borrow())
    }
}

#[derive(Template)]
#[template(path = "profiles/assess.html")]
struct AssessPage {
    tr: Tr,
    nav: Nav,
    /// Where the form posts, and the page it comes from.
    action: String,
    back: String,
    title: String,
    competencies: Vec<FormCompetency>,
    error: Option<String>,
    message: Option<String>,
    submitted: bool,
}

#[derive(Deserialize, Default)]
pub struct AssessParams {
    #[serde(default)]
    saved: String,
}

/// The assessment form's competencies: what was just sent (a form that
/// came back with an error) over what the assessor saved before.
fn form_competencies(
    tr: &Tr,
    profile: &RoleProfile,
    own: &AssessmentRow,
    sent: Option<&RatingsInput>,
) -> Vec<FormCompetency> {
    profile
        .competencies()
        .iter()
        .map(|c| {
            let saved = own.ratings.iter().find(|r| r.competency == c.key());
            let sent = sent.and_then(|s| s.ratings.get(c.key()));
            FormCompetency {
                view: competency_view(tr, c),
                level: sent
                    .map(|s| s.level)
                    .or(saved.map(|r| r.level))
                    .filter(|l| (1..=5).contains(l)),
                evidence: sent
                    .and_then(|s| s.evidence.clone())
                    .or_else(|| saved.and_then(|r| r.evidence.clone()))
                    .unwrap_or_default(),
                question: sent
                    .and_then(|s| s.question.clone())
                    .or_else(|| saved.and_then(|r| r.question.clone()))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

async fn assess_view(
    state: &Arc<AppState>,
    user: &PageUser,
    id: i64,
    sent: Option<&RatingsInput>,
    error: Option<String>,
    message: Option<String>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let v: CandidateView = state
        .with_store(move |store| metas_service::profile::candidate(store, &u, id))
        .await?;
    let Some(own) = &v.own else {
        return Err(ApiError::Refused(format!(
            "{} is not an assessor of candidate {id}",
            user.user().login
        )));
    };
    let competencies = form_competencies(&tr, &v.profile, own, sent);
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render_with(
        status,
        &AssessPage {
            action: format!("/candidates/{id}/assess"),
            back: format!("/candidates/{id}"),
            title: tr.t2(
                "assess-title",
                "name",
                &v.candidate.name,
                "role",
                v.profile.role(),
            ),
            competencies,
            error,
            message,
            submitted: own.submitted_at.is_some(),
            nav: user.nav(),
            tr,
        },
    )
}

/// The assessment form: each competency with its level descriptions, the
/// suggested questions and the evidence.
pub async fn assess_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(p): Query<AssessParams>,
) -> Result<Response, ApiError> {
    let message = match p.saved.as_str() {
        "submitted" => Some(user.tr.t("assess-submitted")),
        "1" => Some(user.tr.t("assess-saved")),
        _ => None,
    };
    assess_view(&state, &user, id, None, None, message).await
}

/// Saves (or submits) the user's ratings from the form.
pub async fn save_assessment(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    user.check_csrf(csrf)?;
    let input = ratings_sent(&fields);
    let u = user.user().clone();
    let now = (state.settings.now)();
    let sent = input.clone();
    let saved = state
        .with_store(move |store| metas_service::profile::rate_candidate(store, &u, id, &input, now))
        .await;
    match saved {
        Ok(()) => {
            let flag = if sent.submit { "submitted" } else { "1" };
            Ok(Redirect::to(&format!("/candidates/{id}/assess?saved={flag}")).into_response())
        }
        Err(ApiError::Invalid(m)) => {
            assess_view(&state, &user, id, Some(&sent), Some(m), None).await
        }
        Err(e) => Err(e),
    }
}

/// Reveals the ratings now, without the unfinished assessments.
pub async fn reveal(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    on_candidate(&state, &user, id, move |store, u, now| {
        metas_service::profile::close(store, u, id, now)
    })
    .await
}

/// One change to a candidate's record by the signed-in user (its CSRF
/// token checked by the caller), then back to the candidate's page.
async fn on_candidate<T: Send + 'static>(
    state: &Arc<AppState>,
    user: &PageUser,
    id: i64,
    change: impl FnOnce(
            &mut metas_store::Store,
            &metas_service::users::User,
            Timestamp,
        ) -> Result<T, metas_service::ServiceError>
        + Send
        + 'static,
) -> Result<Response, ApiError> {
    let u = user.user().clone();
    let now = (state.settings.now)();
    state
        .with_store(move |store| change(store, &u, now))
        .await?;
    Ok(Redirect::to(&format!("/candidates/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct NoteForm {
    csrf: String,
    text: String,
}

/// Adds a note to the candidate's record.
pub async fn add_note(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<NoteForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    on_candidate(&state, &user, id, move |store, u, now| {
        metas_service::profile::add_note(store, u, id, &f.text, now)
    })
    .await
}

#[derive(Deserialize)]
pub struct InviteForm {
    csrf: String,
    assessor: String,
}

/// Invites one more assessor to rate the candidate.
pub async fn invite(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<InviteForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    on_candidate(&state, &user, id, move |store, u, now| {
        metas_service::profile::invite(store, u, id, &f.assessor, now)
    })
    .await
}

#[derive(Template)]
#[template(path = "profiles/erase.html")]
struct ErasePage {
    tr: Tr,
    nav: Nav,
    id: i64,
    question: String,
    done: bool,
}

/// Asks before erasing a candidate.
pub async fn erase_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let v = state
        .with_store(move |store| metas_service::profile::candidate(store, &u, id))
        .await?;
    if !v.manages {
        return Err(ApiError::NotFound(format!("no candidate {id}")));
    }
    render(&ErasePage {
        id,
        question: tr.t1("candidate-erase-confirm", "name", &v.candidate.name),
        done: false,
        nav: user.nav(),
        tr,
    })
}

/// Erases a candidate and everything about them.
pub async fn erase(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    let u = user.user().clone();
    state
        .with_store(move |store| metas_service::profile::erase(store, &u, id))
        .await?;
    render(&ErasePage {
        id,
        question: String::new(),
        done: true,
        nav: user.nav(),
        tr: user.tr,
    })
}

struct CompareLine {
    id: i64,
    name: String,
    revealed: bool,
    state: String,
    fit: String,
    means: Vec<(String, bool, bool)>,
    missed: String,
}

#[derive(Template)]
#[template(path = "profiles/compare.html")]
struct ComparePage {
    tr: Tr,
    nav: Nav,
    title: String,
    headers: Vec<(String, u8)>,
    lines: Vec<CompareLine>,
}

/// The candidates for one role side by side.
pub async fn compare_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let cmp = state
        .with_store(move |store| metas_service::profile::compare(store, &u, &name))
        .await?;
    let views: Vec<CompetencyView> = cmp
        .profile
        .competencies()
        .iter()
        .map(|c| competency_view(&tr, c))
        .collect();
    let lines = cmp
        .candidates
        .iter()
        .map(|c| CompareLine {
            id: c.candidate.id,
            name: c.candidate.name.clone(),
            revealed: c.result.is_some(),
            state: tr.t2(
                "candidates-not-revealed",
                "finished",
                c.finished,
                "assessors",
                c.assessors,
            ),
            fit: c
                .result
                .as_ref()
                .map(|r| percent(&tr, r.fit))
                .unwrap_or_default(),
            means: views
                .iter()
                .map(|v| {
                    let x = c
                        .result
                        .as_ref()
                        .and_then(|r| r.competencies.iter().find(|x| x.key == v.key));
                    (
                        one_decimal(&tr, x.and_then(|x| x.mean)),
                        x.is_some_and(|x| x.gap.is_some()),
                        x.is_some_and(|x| x.disagreement),
                    )
                })
                .collect(),
            missed: c
                .result
                .as_ref()
                .map(|r| {
                    r.must_haves_missed
                        .iter()
                        .map(|k| label_of(&views, k))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        })
        .collect();
    render(&ComparePage {
        title: tr.t1("compare-title", "role", cmp.profile.role()),
        headers: views
            .iter()
            .map(|v| (v.label.clone(), v.required))
            .collect(),
        lines,
        nav: user.nav(),
        tr,
    })
}

// ----- current agents -------------------------------------------------

#[derive(Deserialize)]
pub struct AgentForm {
    csrf: String,
    agent: String,
    profile: String,
}

/// Starts an assessment of an agent against a profile (their lead, a
/// manager) and opens its form.
pub async fn start_agent_assessment(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(f): Form<AgentForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    let u = user.user().clone();
    let now = (state.settings.now)();
    let id = state
        .with_store(move |store| {
            metas_service::profile::start_agent_assessment(store, &u, &f.agent, &f.profile, now)
        })
        .await?;
    Ok(Redirect::to(&format!("/assessments/{id}/rate")).into_response())
}

async fn agent_form_view(
    state: &Arc<AppState>,
    user: &PageUser,
    id: i64,
    sent: Option<&RatingsInput>,
    error: Option<String>,
    message: Option<String>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let v = state
        .with_store(move |store| metas_service::profile::agent_assessment(store, &u, id))
        .await?;
    if v.assessment.assessor != user.user().login {
        return Err(ApiError::NotFound(format!("no assessment {id} of yours")));
    }
    let own = &v.assessment;
    let competencies = form_competencies(&tr, &v.profile, own, sent);
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render_with(
        status,
        &AssessPage {
            action: format!("/assessments/{id}/rate"),
            back: format!("/assessments/{id}"),
            title: tr.t2(
                "agent-assessment-title",
                "agent",
                own.agent.as_deref().unwrap_or_default(),
                "role",
                v.profile.role(),
            ),
            competencies,
            error,
            message,
            submitted: own.submitted_at.is_some(),
            nav: user.nav(),
            tr,
        },
    )
}

/// The form of the user's own assessment of an agent.
pub async fn agent_form(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(p): Query<AssessParams>,
) -> Result<Response, ApiError> {
    let message = (p.saved == "1").then(|| user.tr.t("assess-saved"));
    agent_form_view(&state, &user, id, None, None, message).await
}

/// Ratings sent by an assessment form.
fn ratings_sent(fields: &[(String, String)]) -> RatingsInput {
    let mut input = RatingsInput::default();
    let text_of = |prefix: &str, key: &str| {
        fields
            .iter()
            .find(|(k, _)| k.strip_prefix(prefix) == Some(key))
            .map(|(_, v)| v.clone())
            .filter(|v| !v.trim().is_empty())
    };
    for (k, v) in fields {
        if let Some(key) = k.strip_prefix("level.") {
            input.ratings.insert(
                key.to_string(),
                RatingInput {
                    level: v.trim().parse::<u8>().unwrap_or(0),
                    evidence: text_of("evidence.", key),
                    question: text_of("question.", key),
                },
            );
        } else if k == "action" {
            input.submit = v == "submit";
        }
    }
    input
}

/// Saves (or submits) the user's ratings of an agent.
pub async fn save_agent_form(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    user.check_csrf(csrf)?;
    let input = ratings_sent(&fields);
    let u = user.user().clone();
    let now = (state.settings.now)();
    let sent = input.clone();
    let saved = state
        .with_store(move |store| metas_service::profile::rate_agent(store, &u, id, &input, now))
        .await;
    match saved {
        Ok(()) if sent.submit => Ok(Redirect::to(&format!("/assessments/{id}")).into_response()),
        Ok(()) => Ok(Redirect::to(&format!("/assessments/{id}/rate?saved=1")).into_response()),
        Err(ApiError::Invalid(m)) => {
            agent_form_view(&state, &user, id, Some(&sent), Some(m), None).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "profiles/agent_assessment.html")]
struct AgentAssessmentPage {
    tr: Tr,
    nav: Nav,
    id: i64,
    title: String,
    by: String,
    profile: String,
    /// Every assessment of this agent.
    all: String,
    submitted: bool,
    own_draft: bool,
    coaches: bool,
    result: Option<ResultView>,
}

/// An assessment of an agent: its result once submitted, and the action
/// that starts a coaching plan from the largest gap.
pub async fn agent_assessment_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let v = state
        .with_store(move |store| metas_service::profile::agent_assessment(store, &u, id))
        .await?;
    let views: Vec<CompetencyView> = v
        .profile
        .competencies()
        .iter()
        .map(|c| competency_view(&tr, c))
        .collect();
    let a = &v.assessment;
    render(&AgentAssessmentPage {
        id,
        title: tr.t2(
            "agent-assessment-title",
            "agent",
            a.agent.as_deref().unwrap_or_default(),
            "role",
            v.profile.role(),
        ),
        by: tr.t1("agent-assessment-by", "assessor", &a.assessor),
        profile: a.profile.clone(),
        all: format!(
            "/agents/{}/assessments",
            encode(a.agent.as_deref().unwrap_or_default())
        ),
        submitted: a.submitted_at.is_some(),
        own_draft: a.submitted_at.is_none() && a.assessor == user.user().login,
        coaches: v.coaches,
        result: v
            .result
            .as_ref()
            .map(|r| result_view(&tr, &views, r, std::slice::from_ref(a))),
        nav: user.nav(),
        tr,
    })
}

/// One line of an agent's assessments.
struct AssessmentLine {
    link: String,
    date: String,
    profile: String,
    assessor: String,
    submitted: bool,
    fit: String,
    gap: String,
    missed: String,
}

#[derive(Template)]
#[template(path = "profiles/agent_assessments.html")]
struct AgentAssessmentsPage {
    tr: Tr,
    nav: Nav,
    title: String,
    scorecard: String,
    lines: Vec<AssessmentLine>,
}

/// `/agents/{agent}/assessments`: how an agent measured against their
/// role's profile, assessment after assessment, newest first.
pub async fn agent_assessments_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(agent): Path<String>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let name = agent.clone();
    let list = state
        .with_store(move |store| {
            metas_service::profile::agent_assessment_summaries(store, &u, &name)
        })
        .await?;
    let utc = |t: jiff::Timestamp| t.to_zoned(jiff::tz::TimeZone::UTC).date();
    let lines = list
        .iter()
        .map(|a| AssessmentLine {
            link: format!("/assessments/{}", a.id),
            date: tr.date(utc(a.submitted_at.unwrap_or(a.invited_at))),
            profile: tr.t2(
                "agent-assessments-profile",
                "role",
                a.role.as_str(),
                "version",
                a.profile_version,
            ),
            assessor: a.assessor.clone(),
            submitted: a.submitted_at.is_some(),
            fit: if a.submitted_at.is_some() {
                percent(&tr, a.fit)
            } else {
                tr.t("agent-assessments-draft")
            },
            gap: match (&a.gap_competency, &a.largest_gap) {
                (Some(c), Some((_, levels))) => tr.t2(
                    "agent-assessments-gap",
                    "competency",
                    competency_view(&tr, c).label,
                    "levels",
                    tr.num(&format!("{levels:.1}")),
                ),
                _ => String::new(),
            },
            missed: a.must_haves_missed.len().to_string(),
        })
        .collect();
    render(&AgentAssessmentsPage {
        title: tr.t1("agent-assessments-title", "agent", &agent),
        scorecard: format!("/agents/{}/scorecard", encode(&agent)),
        lines,
        nav: user.nav(),
        tr,
    })
}

/// Starts a coaching plan from the largest gap and opens the agent's plan.
pub async fn plan_from_gap(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    let u = user.user().clone();
    let now = (state.settings.now)();
    let today = (state.settings.today)();
    let agent = state
        .with_store(move |store| {
            metas_service::profile::plan_from_largest_gap(store, &u, id, today, now)?;
            Ok(metas_service::profile::agent_assessment(store, &u, id)?
                .assessment
                .agent
                .unwrap_or_default())
        })
        .await?;
    Ok(Redirect::to(&format!("/coaching/agents/{}/plan", encode(&agent))).into_response())
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, Tr};
    use metas_domain::profile::LIBRARY;

    /// The English catalogue says the library word for word, and every
    /// language has every library message.
    #[test]
    fn the_library_is_in_the_catalogue() {
        let en = Tr::new(Lang::En);
        for c in LIBRARY {
            let id = |s: &str| format!("profiles-lib-{}-{s}", c.key);
            assert_eq!(en.t(&id("label")), c.label);
            assert_eq!(en.t(&id("definition")), c.definition);
            for (n, l) in c.levels.iter().enumerate() {
                assert_eq!(en.t(&id(&format!("level-{}", n + 1))), *l);
            }
            for (n, q) in c.behavioural.iter().enumerate() {
                assert_eq!(en.t(&id(&format!("behavioural-{}", n + 1))), *q);
            }
            for (n, q) in c.situational.iter().enumerate() {
                assert_eq!(en.t(&id(&format!("situational-{}", n + 1))), *q);
            }
            for lang in Lang::ALL {
                let ids = metas_i18n::message_ids(lang);
                assert!(ids.iter().any(|m| *m == id("label")), "{lang:?} {}", c.key);
            }
        }
    }
}
