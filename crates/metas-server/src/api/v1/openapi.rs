//! The OpenAPI document of `/api/v1`, generated from the handlers'
//! annotations in `api/v1/` (utoipa): nothing here is written by hand but the
//! list of handlers and the two ways to authenticate.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::v1 as api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "metas API",
        description = "KPIs with their samples and intervals, goals, the interactions behind a number, time objectives (policies, breaches, stages at risk), staffing (the agents and cost a service-level objective needs), QA (rubrics and their versions, the weekly review queue, reviews with their scores), agents' scorecards (four months against the standard and the team, the focus behaviour and its evidence), coaching plans and sessions, role profiles with candidates and agents assessed against them, the indicator board and each indicator's definition, backups, and NDJSON ingestion. Every call is narrowed to the caller's data scope. Authenticate with an API token (`metas token create`, or the settings page) as `Authorization: Bearer mt_…`, or with the web app's session cookie; with the cookie, calls that change something also send the session's CSRF token in the `X-CSRF-Token` header."
    ),
    paths(
        api::me::me,
        api::kpis::kpi,
        api::kpis::interactions,
        api::goals::goals,
        api::goals::goal,
        api::goals::create_goal,
        api::goals::update_goal,
        api::goals::reviews,
        api::settings::settings,
        api::settings::put_setting,
        api::tokens::tokens,
        api::tokens::create_token,
        api::tokens::revoke_token,
        api::users::add_user,
        api::ingest::ingest,
        api::sla::policies,
        api::sla::put_policy,
        api::sla::delete_policy,
        api::sla::policy_versions,
        api::sla::breaches,
        api::sla::at_risk,
        api::staffing::staffing,
        api::backup::backup,
        api::scorecards::agent,
        api::scorecards::team,
        api::coaching::plans,
        api::coaching::create_plan,
        api::coaching::plan,
        api::coaching::record_session,
        api::coaching::acknowledge,
        api::coaching::sessions,
        api::qa::rubrics,
        api::qa::rubric,
        api::qa::put_rubric,
        api::qa::queue,
        api::qa::reviews,
        api::qa::review,
        api::qa::create_review,
        api::profiles::profiles,
        api::profiles::profile,
        api::profiles::put_profile,
        api::profiles::comparison,
        api::profiles::candidates,
        api::profiles::add_candidate,
        api::profiles::candidate,
        api::profiles::erase_candidate,
        api::profiles::rate_candidate,
        api::profiles::reveal,
        api::profiles::add_note,
        api::profiles::invite,
        api::profiles::start_assessment,
        api::profiles::assessment,
        api::profiles::agent_assessments,
        api::profiles::rate_assessment,
        api::profiles::plan_from_gap,
        api::indicators::board,
        api::indicators::definition,
        api::indicators::put_definition
    ),
    components(schemas(
        api::ErrorEnvelope,
        api::ErrorBody,
        api::goals::GoalBody,
        api::goals::GoalUpdate,
        api::settings::SettingBody,
        api::tokens::TokenBody,
        api::users::UserBody,
        api::sla::PolicyBody,
        api::coaching::PlanBody,
        api::coaching::ExampleBody,
        api::coaching::SessionBody,
        api::qa::RubricBody,
        api::qa::ReviewBody,
        api::profiles::ProfileBody,
        api::profiles::CandidateBody,
        api::profiles::RatingBody,
        api::profiles::RatingsBody,
        api::profiles::AssessmentBody,
        api::profiles::NoteBody,
        api::profiles::AssessorBody,
        api::indicators::IndicatorBody
    )),
    modifiers(&Security)
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

/// The document served at `/api/v1/openapi.json`: the handlers'
/// annotations, with what the server accepts and answers
/// ([`super::contract`]).
/// Built once: it depends only on the code.
pub fn document() -> &'static serde_json::Value {
    static DOCUMENT: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        super::contract::apply(&mut doc);
        doc
    })
}
