//! The storage seam: what the service layer asks of a database, one trait
//! per area, with nothing of DuckDB in it. [`crate::Store`] is the DuckDB
//! implementation; a PostgreSQL one implements the same traits. Callers take
//! `&dyn Storage` (or `&mut dyn Storage`) and only the code that opens a
//! database names `Store`.
//!
//! Every method returns [`StoreError`](crate::StoreError), which carries
//! messages, not a driver's error type. Times come from the caller (no
//! method reads the clock, except where a row records when it was written).

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use metas_domain::calendar::CalendarSpec;
use metas_domain::goal::GoalEvent;
use metas_domain::segment::{Field, SegmentExpr};
use metas_domain::settings::KpiSettings;
use metas_domain::staffing::SlotCounts;
use metas_domain::{Agent, Customer, Event, InteractionRecord, QaReview, Record, StandaloneSurvey};

use crate::{
    ArrivalQuery, CheckIn, DataPresence, DimValue, DrillQuery, GoalRow, HistoryRow, ImportCounts,
    ImportJobRow, KpiQuery, KpiRow, Result, ReviewRow, RubricDef, SessionRow, StagedRows, Stats,
    TokenRow, UserRow,
};

/// Reading the records: KPI statistics, the interactions behind them, and
/// what the database holds.
pub trait KpiStore {
    /// Answers one KPI question: a row per group, with the sufficient
    /// statistics of the group's sample.
    fn kpi_rows(&self, q: &KpiQuery) -> Result<Vec<KpiRow>>;

    /// Answers several KPI questions that share their groups and filters
    /// (a dashboard: KPIs by channel by month) with one scan per kind of
    /// record. Quantiles are answered one by one.
    fn kpi_rows_many(&self, qs: &[KpiQuery]) -> Result<Vec<Vec<KpiRow>>>;

    /// How many distinct customers contacted the service within a segment
    /// and period (a goal's reach).
    fn customers_in_scope(
        &self,
        settings: &KpiSettings,
        segment: Option<&SegmentExpr>,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<u64>;

    /// What the data holds, over every source and period: how many records
    /// carry each field a KPI's sample needs. It says why a KPI has no
    /// sample (`n` = 0).
    fn data_presence(&self) -> Result<DataPresence>;

    /// Customers retained over `[from, to]` (docs/product.md §4): S active at the
    /// start, E active at the end, N new in the period; returns one row per
    /// group with successes = E − N and n = S. Only customer fields apply.
    fn retention_rows(
        &self,
        by: &[Field],
        segment: Option<&SegmentExpr>,
        from: Date,
        to: Date,
    ) -> Result<Vec<KpiRow>>;

    /// Streams the interactions behind a number, with every derived metric
    /// (docs/product.md §9: the interaction-level export), in
    /// [`drill_columns`](crate::drill_columns) order, one call of `row` per
    /// interaction; an error of `row` (a reader gone away) stops the stream
    /// as [`StoreError::Output`](crate::StoreError::Output).
    fn drill(
        &self,
        q: &DrillQuery,
        row: &mut dyn FnMut(&[DimValue]) -> std::io::Result<()>,
    ) -> Result<()>;

    /// When the first and the last interaction of a segment (all of them
    /// without one) created at or after `since` were created: the period a
    /// queue was observed in; `None` when there are none. A recent `since`
    /// lets the database skip the older rows.
    fn arrival_span(
        &self,
        settings: &KpiSettings,
        segment: Option<&SegmentExpr>,
        since: Option<Timestamp>,
    ) -> Result<Option<(Timestamp, Timestamp)>>;

    /// A queue's calls per UTC quarter-hour of a period, for staffing
    /// (docs/staffing.md): arrivals, offered, answered in time, abandoned,
    /// and handle times; quarter-hours without calls are left out.
    fn arrival_slots(&self, q: &ArrivalQuery) -> Result<Vec<SlotCounts>>;

    /// Changes whenever anything a KPI reads may have changed (an import, a
    /// setting, a calendar), so computed figures can be kept until then.
    fn data_version(&self) -> Result<String>;

    /// Counts of what the database holds.
    fn stats(&self) -> Result<Stats>;

    /// The schema version this database is at.
    fn schema_version(&self) -> Result<i64>;

    /// Every interaction of `source`, ordered by external id, with its
    /// survey answers (round-trip tests, exports).
    fn load_interactions(&self, source: &str) -> Result<Vec<InteractionRecord>>;
}

/// KPI settings and business calendars, kept so every user and every
/// process computes the same figures.
pub trait ConfigStore {
    /// The KPI settings in force.
    fn settings(&self) -> Result<KpiSettings>;

    /// Stores one setting (already checked by the caller with
    /// [`KpiSettings::set`]); `None` goes back to the default. Business
    /// time is recomputed when the default calendar changes.
    fn put_setting(&mut self, key: &str, value: Option<&str>) -> Result<()>;

    /// Saves a calendar definition (checked by the caller); when it is the
    /// default calendar, every business-time duration is recomputed.
    fn put_calendar(&mut self, name: &str, spec: &CalendarSpec) -> Result<()>;

    /// A calendar's definition, if there is one of that name.
    fn calendar(&self, name: &str) -> Result<Option<CalendarSpec>>;

    /// The names of the calendars defined, in order.
    fn calendar_names(&self) -> Result<Vec<String>>;
}

/// The mission and the goals (docs/product.md §6), kept with their history, check-ins
/// and reviews. Every change is written to the goal's history as its
/// [`GoalEvent`]'s line, stamped `at` by the caller (the binary's clock, or
/// the demo's own), so the history says when it happened.
pub trait GoalStore {
    /// The mission statement last set.
    fn mission(&self) -> Result<Option<String>>;

    fn set_mission(&mut self, statement: &str) -> Result<()>;

    /// Saves a new goal (its `id` is ignored) and returns its id.
    fn insert_goal(&mut self, g: &GoalRow, who: &str, at: Timestamp) -> Result<i64>;

    /// Every goal, by id.
    fn goals(&self) -> Result<Vec<GoalRow>>;

    fn goal(&self, id: i64) -> Result<Option<GoalRow>>;

    /// Deletes a goal with its check-ins, reviews and history; the goals it
    /// was the parent of keep going without a parent. False when there was
    /// no such goal.
    fn delete_goal(&mut self, id: i64) -> Result<bool>;

    /// What happened to a goal, oldest first.
    fn goal_history(&self, id: i64) -> Result<Vec<HistoryRow>>;

    /// The team an agent works in, as the agent records say.
    fn agent_team(&self, agent: &str) -> Result<Option<String>>;

    /// Changes a goal's status (active → achieved, missed, retired, …),
    /// recording `event` (why) in its history.
    fn set_goal_status(
        &mut self,
        id: i64,
        status: &str,
        event: &GoalEvent,
        who: &str,
        at: Timestamp,
    ) -> Result<()>;

    /// Records the owner's commitment to a goal on `on`.
    fn commit_goal(&mut self, id: i64, on: Date, who: &str, at: Timestamp) -> Result<()>;

    fn add_checkin(&mut self, id: i64, c: &CheckIn, who: &str, at: Timestamp) -> Result<()>;

    /// A goal's check-ins, oldest first.
    fn checkins(&self, id: i64) -> Result<Vec<CheckIn>>;

    /// Records a review; `status` (retired after a retire decision) is set
    /// in the same transaction.
    fn add_review(
        &mut self,
        id: i64,
        r: &ReviewRow,
        status: Option<&str>,
        who: &str,
        at: Timestamp,
    ) -> Result<()>;

    /// A goal's reviews, oldest first.
    fn reviews(&self, id: i64) -> Result<Vec<ReviewRow>>;
}

/// Users of the web app and the API, and their API tokens. The store keeps
/// the hashes it is given and never sees a password or a token's secret.
pub trait UserStore {
    fn insert_user(&mut self, u: &UserRow) -> Result<()>;

    /// Sets a user's language; false when there is no such user.
    fn set_user_language(&mut self, login: &str, language: Option<&str>) -> Result<bool>;

    /// Every user, by login.
    fn users(&self) -> Result<Vec<UserRow>>;

    fn user(&self, login: &str) -> Result<Option<UserRow>>;

    /// Whether an agent of that name appears in the data.
    fn agent_exists(&self, name: &str) -> Result<bool>;

    /// Saves a token (only the hash of its secret) and returns its id.
    fn insert_token(&mut self, name: &str, login: &str, secret_hash: &str) -> Result<i64>;

    /// Every token, by id, revoked ones included.
    fn tokens(&self) -> Result<Vec<TokenRow>>;

    /// One token: read on every API call made with a token.
    fn token(&self, id: i64) -> Result<Option<TokenRow>>;

    /// Revokes a token; false when there is no such token.
    fn revoke_token(&mut self, id: i64) -> Result<bool>;
}

/// What the web server keeps across a restart: sessions (under a digest of
/// their token, never the token), failed logins and import jobs.
pub trait SessionStore {
    /// Keeps a new session under a digest of `token`.
    fn insert_session(&mut self, token: &str, s: &SessionRow) -> Result<()>;

    /// The session of `token` if it has not expired at `now`.
    fn session(&self, token: &str, now: Timestamp) -> Result<Option<SessionRow>>;

    /// Ends the session of `token`; false when there was none.
    fn delete_session(&mut self, token: &str) -> Result<bool>;

    /// Moves the end of the session of `token` to `expires_at` (renewal);
    /// false when there is no such session.
    fn renew_session(&mut self, token: &str, expires_at: Timestamp) -> Result<bool>;

    /// Forgets the sessions expired at `now`; returns how many.
    fn delete_expired_sessions(&mut self, now: Timestamp) -> Result<u64>;

    /// Ends every session of `login` (a password change, a removed user);
    /// returns how many.
    fn delete_sessions_of(&mut self, login: &str) -> Result<u64>;

    /// Failed logins of `login` within the window that began with the
    /// first of them, if that window has not ended at `now`.
    fn login_failures(&self, login: &str, now: Timestamp, window: SignedDuration) -> Result<u32>;

    /// Whether `login` may try again: fewer than `max` failures in the
    /// current window.
    fn may_try(
        &self,
        login: &str,
        now: Timestamp,
        window: SignedDuration,
        max: u32,
    ) -> Result<bool> {
        Ok(self.login_failures(login, now, window)? < max)
    }

    /// Counts a failed login at `now` (a new window starts when the last
    /// one is over); returns the failures in the window.
    fn record_login_failure(
        &mut self,
        login: &str,
        now: Timestamp,
        window: SignedDuration,
    ) -> Result<u32>;

    /// Forgets the failed logins of `login` (after a successful one).
    fn clear_login_failures(&mut self, login: &str) -> Result<()>;

    /// Saves an import job, replacing the one with the same id (whose
    /// `created_at` is kept).
    fn put_import_job(&mut self, job: &ImportJobRow) -> Result<()>;

    /// One job, by id.
    fn import_job(&self, id: &str) -> Result<Option<ImportJobRow>>;

    /// The `limit` most recent jobs of `login`, newest first.
    fn import_jobs_of(&self, login: &str, limit: usize) -> Result<Vec<ImportJobRow>>;

    /// Forgets the jobs last updated before `before`; returns how many.
    fn delete_import_jobs_before(&mut self, before: Timestamp) -> Result<u64>;
}

/// Time objectives: policies (every version kept) and the judged stages.
pub trait SlaStore {
    /// Saves a new version of each policy (the previous ones retire) and
    /// judges every interaction once, in one transaction. Returns the
    /// versions, in the order given.
    fn save_policies(
        &mut self,
        policies: &[metas_domain::sla::Policy],
        who: &str,
        now: Timestamp,
    ) -> Result<(Vec<i64>, crate::sla::JudgeCounts)>;
    /// Retires a policy and judges every interaction again; `None` when no
    /// policy has that name.
    fn retire_policy(
        &mut self,
        name: &str,
        now: Timestamp,
    ) -> Result<Option<crate::sla::JudgeCounts>>;
    /// The policies in force, in the order they are tried.
    fn policies(&self) -> Result<Vec<crate::sla::PolicyRow>>;
    /// Every version of one policy, oldest first.
    fn policy_versions(&self, name: &str) -> Result<Vec<crate::sla::PolicyRow>>;
    /// Judges every interaction again (after a calendar change).
    fn judge_all(&mut self, now: Timestamp) -> Result<crate::sla::JudgeCounts>;
    /// Judged stages breached, or at risk, as of an instant, within a segment.
    fn sla_stages(
        &self,
        wanted: crate::sla::StageFilter,
        as_of: Timestamp,
        segment: Option<&SegmentExpr>,
        limit: usize,
    ) -> Result<Vec<crate::sla::StageRow>>;
}

/// QA: rubrics (every version kept), reviews entered in metas beside
/// imported ones, and the queue of interactions to review (`qa.rs`).
pub trait QaStore {
    /// Saves a rubric as a new version (the file it came from kept beside
    /// it), unless it changes nothing: then the current version stands.
    fn save_rubric(
        &mut self,
        rubric: &metas_domain::qa::Rubric,
        definition: &str,
        saved_by: &str,
        at: Timestamp,
    ) -> Result<crate::qa::SavedRubric>;
    /// Every rubric, in its current version, by name.
    fn rubrics(&self) -> Result<Vec<crate::qa::RubricRow>>;
    /// One version of a rubric (`None`: the current one).
    fn rubric(&self, name: &str, version: Option<i64>) -> Result<Option<crate::qa::RubricRow>>;
    /// The saved versions of a rubric, newest first.
    fn rubric_versions(&self, name: &str) -> Result<Vec<crate::qa::RubricVersionRow>>;
    /// The id of an interaction named by its source and its id there.
    fn interaction_id_by_key(&self, source: &str, external_id: &str) -> Result<Option<i64>>;
    /// An interaction as the review form shows it.
    fn reviewable_interaction(&self, id: i64) -> Result<Option<crate::qa::ReviewableInteraction>>;
    /// Saves a review entered in metas (source `metas`), its ratings with
    /// it, in one transaction. Returns its id.
    fn add_qa_review(&mut self, review: &crate::qa::NewQaReview) -> Result<i64>;
    /// Reviews, newest first, with their ratings.
    fn qa_reviews(&self, filter: &crate::qa::QaReviewFilter)
        -> Result<Vec<crate::qa::QaReviewRow>>;
    /// One review with its ratings.
    fn qa_review(&self, id: i64) -> Result<Option<crate::qa::QaReviewRow>>;
    /// The interactions to review in a week: each agent's unsatisfied
    /// customers, and a random sample fixed by the week; never one already
    /// reviewed.
    fn qa_queue(&self, query: &crate::qa::QueueQuery) -> Result<Vec<crate::qa::QueueRow>>;
}

/// Loading records: one all-or-nothing import at a time.
pub trait ImportStore {
    /// Starts one all-or-nothing import under `source` (`file` names it in
    /// the import's record). Nothing is visible to others, or kept, until
    /// [`ImportSink::commit`]; dropping the sink before rolls it back.
    fn begin_import(&mut self, source: &str, file: &str) -> Result<Box<dyn ImportSink + '_>>;
}

/// One import in progress (see [`ImportStore::begin_import`]). Rows go in
/// one by one (`add…`) or laid out elsewhere ([`StagedRows`], built on any
/// thread); they are merged with what the source holds — new, updated or
/// unchanged by key and content hash — at [`ImportSink::commit`].
pub trait ImportSink {
    /// The number of this import (the `imports` record).
    fn import_id(&self) -> i64;

    /// Removes everything this import's source holds (used by `metas demo`,
    /// which rebuilds its organisation from scratch).
    fn replace_source(&mut self) -> Result<()>;

    /// Creates the rubric, or brings its criteria up to this definition.
    fn define_rubric(&mut self, def: &RubricDef) -> Result<()>;

    /// Appends rows staged elsewhere.
    fn append(&mut self, rows: StagedRows) -> Result<()>;

    /// Stages one record of any kind.
    fn add(&mut self, line: u64, row_hash: i64, record: &Record) -> Result<()>;

    /// Stages an interaction row (with its surveys and customer facts).
    fn add_interaction(&mut self, line: u64, row_hash: i64, rec: &InteractionRecord) -> Result<()>;

    /// Stages a survey answer that came in a file of its own.
    fn add_survey(&mut self, line: u64, row_hash: i64, s: &StandaloneSurvey) -> Result<()>;

    /// Stages a customer record that came in a file of its own.
    fn add_customer(&mut self, line: u64, row_hash: i64, c: &Customer) -> Result<()>;

    /// Stages an event of an interaction's history.
    fn add_event(&mut self, line: u64, e: &Event) -> Result<()>;

    /// Stages a QA review with its ratings.
    fn add_qa_review(&mut self, line: u64, row_hash: i64, r: &QaReview) -> Result<()>;

    /// Stages an agent record.
    fn add_agent(&mut self, line: u64, a: &Agent) -> Result<()>;

    /// Says, before any row is added, that the source tells which copy of a
    /// record is newer (`updated_at`) or deletes records: of the copies of
    /// one interaction — in this import and in the database — the one
    /// changed last wins, and the rest are counted as superseded.
    fn newest_wins(&mut self);

    /// Merges everything staged and commits; `rejected` rows are recorded
    /// with the import. Returns what happened to the primary rows (one per
    /// input row).
    fn commit(self: Box<Self>, rejected: u64) -> Result<ImportCounts>;
}

/// What an agent's scorecard reads besides the KPI engine
/// (docs/scorecard.md): activity, per-criterion months, focus rows, evidence.
pub trait ScorecardStore {
    /// The agent's team and first day of activity; `None` when the data
    /// has no interaction or review of theirs.
    fn agent_activity(&self, agent: &str) -> Result<Option<crate::scorecard::AgentActivity>>;
    /// The agents with interactions or reviews in a team between `from` and
    /// `to`, by name, each with their first day of activity in the team.
    fn team_agents(&self, team: &str, from: Date, to: Date) -> Result<Vec<(String, Date)>>;
    /// Count, sum and sum of squares of each criterion's ratings per month.
    fn criterion_months(
        &self,
        reviewed: crate::scorecard::Reviewed,
        from: Date,
        to: Date,
    ) -> Result<Vec<crate::scorecard::CriterionMonth>>;
    /// Every rating of the reviewed interactions with their measures.
    fn focus_rows(
        &self,
        settings: &KpiSettings,
        reviewed: crate::scorecard::Reviewed,
        from: Date,
        to: Date,
    ) -> Result<Vec<crate::scorecard::FocusRatingRow>>;
    /// Up to `limit` reviews rating the criterion below its standard and
    /// up to `limit` dissatisfied survey comments, from the agent's own
    /// interactions.
    #[expect(clippy::too_many_arguments, reason = "one question's filters")]
    fn evidence(
        &self,
        settings: &KpiSettings,
        agent: &str,
        rubric: &str,
        criterion: &str,
        from: Date,
        to: Date,
        limit: u32,
    ) -> Result<Vec<crate::scorecard::EvidenceRow>>;
}

impl ScorecardStore for crate::Store {
    fn agent_activity(&self, agent: &str) -> Result<Option<crate::scorecard::AgentActivity>> {
        self.agent_activity_sql(agent)
    }
    fn team_agents(&self, team: &str, from: Date, to: Date) -> Result<Vec<(String, Date)>> {
        self.team_agents_sql(team, from, to)
    }
    fn criterion_months(
        &self,
        reviewed: crate::scorecard::Reviewed,
        from: Date,
        to: Date,
    ) -> Result<Vec<crate::scorecard::CriterionMonth>> {
        self.criterion_months_sql(reviewed, from, to)
    }
    fn focus_rows(
        &self,
        settings: &KpiSettings,
        reviewed: crate::scorecard::Reviewed,
        from: Date,
        to: Date,
    ) -> Result<Vec<crate::scorecard::FocusRatingRow>> {
        self.focus_rows_sql(settings, reviewed, from, to)
    }
    fn evidence(
        &self,
        settings: &KpiSettings,
        agent: &str,
        rubric: &str,
        criterion: &str,
        from: Date,
        to: Date,
        limit: u32,
    ) -> Result<Vec<crate::scorecard::EvidenceRow>> {
        self.evidence_sql(settings, agent, rubric, criterion, from, to, limit)
    }
}

/// Coaching: action plans (each saved with its goal), their sessions, and
/// what a plan reads of QA (a criterion's scale, an example's review).
pub trait CoachingStore {
    /// Saves a goal and the plan it tracks in one transaction (the plan's
    /// `goal_id` and `id` are ignored); returns (plan id, goal id).
    fn insert_plan(
        &mut self,
        plan: &crate::coaching::PlanRow,
        goal: &GoalRow,
        at: Timestamp,
    ) -> Result<(i64, i64)>;
    /// Every plan, newest start first.
    fn coaching_plans(&self) -> Result<Vec<crate::coaching::PlanRow>>;
    /// One agent's plans, newest start first.
    fn coaching_plans_of(&self, agent: &str) -> Result<Vec<crate::coaching::PlanRow>>;
    fn coaching_plan(&self, id: i64) -> Result<Option<crate::coaching::PlanRow>>;
    /// The plan a goal tracks, if any.
    fn coaching_plan_of_goal(&self, goal_id: i64) -> Result<Option<i64>>;
    /// Records a session as held, with its notes and progress (value, n);
    /// false when the plan has no such session.
    fn record_coaching_session(
        &mut self,
        plan: i64,
        session: i64,
        notes: &str,
        progress: (Option<f64>, u64),
        who: &str,
        at: Timestamp,
    ) -> Result<bool>;
    /// Marks a held session acknowledged; false when there is no such held
    /// session.
    fn acknowledge_coaching_session(
        &mut self,
        plan: i64,
        session: i64,
        at: Timestamp,
    ) -> Result<bool>;
    /// The rubrics that have this criterion, with its scale.
    fn criterion_scales(&self, criterion: &str) -> Result<Vec<crate::coaching::CriterionScale>>;
    /// The newest QA review of an interaction (by external or internal id)
    /// and its rating of `criterion`.
    fn qa_evidence(
        &self,
        interaction: &str,
        criterion: &str,
    ) -> Result<Option<crate::coaching::QaEvidence>>;
}

/// Role profiles (every version kept), candidates and the assessments of
/// candidates and agents against a profile (`profiles.rs`, docs/profiles.md).
pub trait ProfileStore {
    /// Saves a profile as a new version, unless its canonical text equals
    /// the current version's: then the current version stands.
    fn save_profile(
        &mut self,
        p: &crate::profiles::NewProfileVersion<'_>,
    ) -> Result<crate::profiles::SavedProfile>;
    /// Every profile, in its current version, by name.
    fn profiles(&self) -> Result<Vec<crate::profiles::ProfileRow>>;
    /// One version of a profile (`None`: the current one).
    fn profile(
        &self,
        name: &str,
        version: Option<i64>,
    ) -> Result<Option<crate::profiles::ProfileRow>>;
    /// The saved versions of a profile, newest first.
    fn profile_versions(&self, name: &str) -> Result<Vec<crate::profiles::ProfileVersionRow>>;
    /// Adds a candidate and invites their assessors, in one transaction.
    fn add_candidate(&mut self, c: &crate::profiles::NewCandidate, at: Timestamp) -> Result<i64>;
    /// Invites one more assessor; `None` when there is no such candidate.
    fn invite_assessor(
        &mut self,
        candidate: i64,
        assessor: &str,
        at: Timestamp,
    ) -> Result<Option<i64>>;
    /// Candidates, newest first; only those for one profile when given.
    fn candidates(&self, profile: Option<&str>) -> Result<Vec<crate::profiles::CandidateRow>>;
    fn candidate(&self, id: i64) -> Result<Option<crate::profiles::CandidateRow>>;
    /// Closes a candidate's assessment before everyone finished; false when
    /// there is no such open candidate.
    fn close_candidate(&mut self, id: i64, by: &str, at: Timestamp) -> Result<bool>;
    /// A candidate's assessments with their ratings.
    fn candidate_assessments(&self, candidate: i64) -> Result<Vec<crate::profiles::AssessmentRow>>;
    /// Starts an assessment of an agent by one assessor.
    fn add_agent_assessment(
        &mut self,
        agent: &str,
        profile: (&str, i64),
        assessor: &str,
        at: Timestamp,
    ) -> Result<i64>;
    /// Assessments of agents (of one agent when given), oldest first.
    fn agent_assessments(&self, agent: Option<&str>)
        -> Result<Vec<crate::profiles::AssessmentRow>>;
    fn assessment(&self, id: i64) -> Result<Option<crate::profiles::AssessmentRow>>;
    /// Replaces the ratings of the competencies given and, with
    /// `submitted_at`, submits the assessment, in one transaction; false
    /// when there is no such assessment still open.
    fn save_ratings(
        &mut self,
        assessment: i64,
        ratings: &[crate::profiles::RatingRow],
        submitted_at: Option<Timestamp>,
    ) -> Result<bool>;
    fn add_note(&mut self, candidate: i64, author: &str, text: &str, at: Timestamp) -> Result<i64>;
    fn notes(&self, candidate: i64) -> Result<Vec<crate::profiles::NoteRow>>;
    /// Deletes the candidate and every row about them (ratings,
    /// assessments, notes) in one transaction; false when there was none.
    fn erase_candidate(&mut self, id: i64) -> Result<bool>;
}

/// Indicator definitions (R-INDICATORS): the organisation's owner,
/// frequency, standard, stage and note of each KPI, every change kept.
pub trait IndicatorStore {
    /// Saves a new version of one KPI's definition (`version` is ignored);
    /// returns the version given.
    fn save_indicator(&mut self, row: &crate::indicators::IndicatorRow) -> Result<i64>;
    /// The definition in force of every KPI the organisation has changed.
    fn indicators(&self) -> Result<Vec<crate::indicators::IndicatorRow>>;
    /// Every version of one KPI's definition, oldest first.
    fn indicator_history(&self, kpi: &str) -> Result<Vec<crate::indicators::IndicatorRow>>;
}

/// Everything the service layer needs of a database.
pub trait Storage:
    KpiStore
    + ConfigStore
    + GoalStore
    + UserStore
    + SessionStore
    + ImportStore
    + SlaStore
    + ScorecardStore
    + CoachingStore
    + QaStore
    + ProfileStore
    + IndicatorStore
    + Send
{
}

impl<T> Storage for T where
    T: KpiStore
        + ConfigStore
        + GoalStore
        + UserStore
        + SessionStore
        + ImportStore
        + SlaStore
        + ScorecardStore
        + CoachingStore
        + QaStore
        + ProfileStore
        + IndicatorStore
        + Send
        + ?Sized
{
}
