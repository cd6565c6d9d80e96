//! QA in the store: every version of every rubric, reviews entered in the
//! web app (source `metas`) beside imported ones, and the queue of
//! interactions to review.
//!
//! A rubric's versions live in `qa_criteria` (one row per criterion and
//! version) and `qa_rubric_versions` (who saved each version, when, and the
//! file); `qa_rubrics.version` is the current one. A review keeps the
//! version it was scored on (`qa_reviews.rubric_version`), and every join of
//! criteria with reviews matches on it.

use std::collections::{BTreeMap, HashMap};

use duckdb::params;
use jiff::civil::Date;
use jiff::Timestamp;
use metas_domain::qa::{Rubric, Rule};
use serde::Serialize;

use crate::derive::ts;
use crate::storage::QaStore;
use crate::{Doing, Result, Store};

/// The source of reviews entered in metas itself.
pub const QA_SOURCE: &str = "metas";

/// One criterion of one version of a rubric, as stored (an imported rubric
/// may use a scale of its own).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionRow {
    pub key: String,
    pub label: Option<String>,
    pub description: Option<String>,
    pub scale_min: f64,
    pub scale_max: f64,
    pub weight: f64,
    pub critical: bool,
    pub na_allowed: bool,
    pub standard: Option<f64>,
}

impl CriterionRow {
    /// What the score maths needs.
    pub fn rule(&self) -> Rule {
        Rule {
            min: self.scale_min,
            max: self.scale_max,
            weight: self.weight,
            critical: self.critical,
            standard: self.standard,
            na_allowed: self.na_allowed,
        }
    }

    /// The label, or the key when the rubric gives none.
    pub fn label_or_key(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.key)
    }
}

/// One version of a rubric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricRow {
    pub name: String,
    pub description: Option<String>,
    pub version: i64,
    /// The version in force (the newest).
    pub current_version: i64,
    pub criteria: Vec<CriterionRow>,
    /// The file this version was saved from (none for a version an import
    /// defined).
    pub definition: Option<String>,
    pub saved_at: Option<Timestamp>,
    pub saved_by: Option<String>,
}

/// A saved version of a rubric, for its history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricVersionRow {
    pub version: i64,
    pub saved_at: Timestamp,
    pub saved_by: String,
}

/// What saving a rubric did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SavedRubric {
    pub version: i64,
    /// False when the file changed nothing (no new version).
    pub changed: bool,
}

/// One rating of a review (`rating` `None` = not applicable).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QaRatingRow {
    pub criterion: String,
    pub rating: Option<f64>,
    pub comment: Option<String>,
}

/// A review entered in metas.
#[derive(Debug, Clone, PartialEq)]
pub struct NewQaReview {
    pub interaction_id: i64,
    pub rubric: String,
    pub rubric_version: i64,
    pub reviewer: String,
    pub reviewed_at: Timestamp,
    pub comment: Option<String>,
    pub ratings: Vec<QaRatingRow>,
}

/// A review, imported or entered, with its ratings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QaReviewRow {
    pub id: i64,
    pub source: String,
    pub interaction_id: Option<i64>,
    pub interaction_external_id: Option<String>,
    pub agent: Option<String>,
    /// The reviewed interaction's team, else the agent's.
    pub team: Option<String>,
    pub reviewer: Option<String>,
    pub rubric: String,
    pub rubric_version: i64,
    pub reviewed_at: Option<Timestamp>,
    pub comment: Option<String>,
    pub ratings: Vec<QaRatingRow>,
}

/// Which reviews to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QaReviewFilter {
    pub agent: Option<String>,
    pub team: Option<String>,
    pub interaction_id: Option<i64>,
    /// First day (UTC) of `reviewed_at`, included.
    pub since: Option<Date>,
    /// Last day (UTC) of `reviewed_at`, included.
    pub until: Option<Date>,
    pub limit: Option<usize>,
}

/// An interaction as the review form shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewableInteraction {
    pub id: i64,
    pub source: String,
    pub external_id: Option<String>,
    pub agent: Option<String>,
    pub team: Option<String>,
    pub channel: Option<String>,
    pub topic: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<Timestamp>,
    /// The customer's satisfaction answer, 0–1 of its scale (lowest if
    /// several).
    pub csat: Option<f64>,
}

/// Why an interaction is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueReason {
    /// The customer was not satisfied.
    LowCsat,
    /// Drawn at random for the agent's week.
    Sample,
}

impl QueueReason {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueReason::LowCsat => "low_csat",
            QueueReason::Sample => "sample",
        }
    }
}

/// One interaction to review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueRow {
    pub interaction: ReviewableInteraction,
    pub reason: QueueReason,
}

/// Which queue to build.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueQuery {
    /// Any day of the week (Monday to Sunday, UTC) to draw from.
    pub as_of: Date,
    /// Interactions drawn at random per agent.
    pub per_agent: usize,
    /// A satisfaction answer at or below this share of its scale is low
    /// (0.25: 2 on 1–5).
    pub low_csat: f64,
    /// Only this team's agents.
    pub team: Option<String>,
    /// Only this agent.
    pub agent: Option<String>,
}

/// The Monday of the week holding `day`.
pub fn week_start(day: Date) -> Date {
    let back = day.weekday().to_monday_zero_offset() as i64;
    day.checked_sub(jiff::Span::new().days(back)).unwrap_or(day)
}

/// A number fixed by an interaction and a week, to draw the sample with: the
/// same week gives the same draw, another week another one.
pub fn draw_key(interaction_id: i64, week: Date) -> u64 {
    let days = week
        .since(Date::constant(2000, 1, 3))
        .map(|s| s.get_days() as u64)
        .unwrap_or(0);
    // SplitMix64's finaliser over the pair.
    let mut z = (interaction_id as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(days.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn micros(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S%.6f").to_string()
}

fn day_after(d: Date) -> Date {
    d.tomorrow().unwrap_or(d)
}

fn criteria_rows(conn: &duckdb::Connection, name: &str, version: i64) -> Result<Vec<CriterionRow>> {
    let mut stmt = conn
        .prepare(
            "SELECT criterion, label, description, scale_min, scale_max, weight, critical,
                    coalesce(na_allowed, false), standard
             FROM qa_criteria WHERE rubric = ? AND coalesce(version, 1) = ?
             ORDER BY position, criterion",
        )
        .doing("reading a rubric")?;
    let mut rows = stmt
        .query(params![name, version])
        .doing("reading a rubric")?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().doing("reading a rubric")? {
        out.push(CriterionRow {
            key: r.get(0).doing("reading a rubric")?,
            label: r.get(1).doing("reading a rubric")?,
            description: r.get(2).doing("reading a rubric")?,
            scale_min: r.get(3).doing("reading a rubric")?,
            scale_max: r.get(4).doing("reading a rubric")?,
            weight: r.get(5).doing("reading a rubric")?,
            critical: r.get(6).doing("reading a rubric")?,
            na_allowed: r.get(7).doing("reading a rubric")?,
            standard: r.get(8).doing("reading a rubric")?,
        });
    }
    Ok(out)
}

fn rubric_row(
    conn: &duckdb::Connection,
    name: &str,
    version: Option<i64>,
) -> Result<Option<RubricRow>> {
    let current: Option<(Option<String>, i64)> = {
        let mut stmt = conn
            .prepare("SELECT description, coalesce(version, 1) FROM qa_rubrics WHERE name = ?")
            .doing("reading a rubric")?;
        let mut rows = stmt.query([name]).doing("reading a rubric")?;
        match rows.next().doing("reading a rubric")? {
            Some(r) => Some((
                r.get(0).doing("reading a rubric")?,
                r.get(1).doing("reading a rubric")?,
            )),
            None => None,
        }
    };
    let Some((current_description, current_version)) = current else {
        return Ok(None);
    };
    let version = version.unwrap_or(current_version);
    let criteria = criteria_rows(conn, name, version)?;
    if criteria.is_empty() {
        return Ok(None);
    }
    let mut stmt = conn
        .prepare(
            "SELECT saved_at, saved_by, definition FROM qa_rubric_versions WHERE name = ? AND version = ?",
        )
        .doing("reading a rubric")?;
    let mut rows = stmt
        .query(params![name, version])
        .doing("reading a rubric")?;
    let (saved_at, saved_by, definition) = match rows.next().doing("reading a rubric")? {
        Some(r) => (
            ts(r.get_ref(0).doing("reading a rubric")?),
            Some(r.get::<_, String>(1).doing("reading a rubric")?),
            Some(r.get::<_, String>(2).doing("reading a rubric")?).filter(|d| !d.is_empty()),
        ),
        None => (None, None, None),
    };
    // An older version's description is the one its file gave.
    let description = match (&definition, version == current_version) {
        (_, true) => current_description,
        (Some(text), false) => toml_description(text),
        (None, false) => None,
    };
    Ok(Some(RubricRow {
        name: name.to_string(),
        description,
        version,
        current_version,
        criteria,
        definition,
        saved_at,
        saved_by,
    }))
}

/// The `description = "…"` line of a rubric file, without a TOML parser
/// (the store has none): only for showing an old version.
fn toml_description(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == "description").then(|| v.trim().trim_matches('"').to_string())
    })
}

fn criterion_rows_of(rubric: &Rubric) -> Vec<CriterionRow> {
    rubric
        .criteria()
        .iter()
        .map(|c| CriterionRow {
            key: c.key().to_string(),
            label: Some(c.label().to_string()),
            description: c.description().map(str::to_string),
            scale_min: c.scale().min(),
            scale_max: c.scale().max(),
            weight: c.weight(),
            critical: c.critical(),
            na_allowed: c.na_allowed(),
            standard: c.standard(),
        })
        .collect()
}

/// Writes one version of a rubric's criteria and makes it current; the
/// caller holds the transaction.
pub(crate) fn write_version(
    tx: &duckdb::Connection,
    name: &str,
    description: Option<&str>,
    criteria: &[CriterionRow],
) -> Result<i64> {
    let current: Option<i64> = {
        let mut stmt = tx
            .prepare("SELECT coalesce(version, 1) FROM qa_rubrics WHERE name = ?")
            .doing("saving a rubric")?;
        let mut rows = stmt.query([name]).doing("saving a rubric")?;
        match rows.next().doing("saving a rubric")? {
            Some(r) => Some(r.get(0).doing("saving a rubric")?),
            None => None,
        }
    };
    let version = match current {
        Some(v) => {
            // Versions count on from the highest one kept (criteria an
            // import added may sit beyond the rubric's row).
            let top: i64 = tx
                .query_row(
                    "SELECT coalesce(max(coalesce(version, 1)), 0) FROM qa_criteria WHERE rubric = ?",
                    [name],
                    |r| r.get(0),
                )
                .doing("saving a rubric")?;
            let next = v.max(top) + 1;
            tx.execute(
                "UPDATE qa_rubrics SET version = ?, description = ? WHERE name = ?",
                params![next, description, name],
            )
            .doing("saving a rubric")?;
            next
        }
        None => {
            tx.execute(
                "INSERT INTO qa_rubrics (name, description, version) VALUES (?, ?, 1)",
                params![name, description],
            )
            .doing("saving a rubric")?;
            1
        }
    };
    for (pos, c) in criteria.iter().enumerate() {
        tx.execute(
            "INSERT INTO qa_criteria (rubric, criterion, position, scale_min, scale_max, weight, critical, standard, version, na_allowed, label, description)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                name,
                c.key,
                pos as i32,
                c.scale_min,
                c.scale_max,
                c.weight,
                c.critical,
                c.standard,
                version,
                c.na_allowed,
                c.label,
                c.description
            ],
        )
        .doing("saving a rubric")?;
    }
    Ok(version)
}

/// A rubric's description, version and criteria.
pub(crate) type Definition = (Option<String>, i64, Vec<CriterionRow>);

/// The current description and criteria of a rubric, if it exists.
pub(crate) fn current_definition(
    conn: &duckdb::Connection,
    name: &str,
) -> Result<Option<Definition>> {
    Ok(rubric_row(conn, name, None)?.map(|r| (r.description, r.version, r.criteria)))
}

fn review_rows(
    conn: &duckdb::Connection,
    filter: &QaReviewFilter,
    id: Option<i64>,
) -> Result<Vec<QaReviewRow>> {
    let mut cond = vec!["true".to_string()];
    let mut args: Vec<String> = Vec::new();
    let team_expr = "coalesce(i.team, (SELECT max(a.team) FROM agents a WHERE a.name = q.agent))";
    if let Some(id) = id {
        cond.push("q.id = CAST(? AS BIGINT)".into());
        args.push(id.to_string());
    }
    if let Some(a) = &filter.agent {
        cond.push("q.agent = ?".into());
        args.push(a.clone());
    }
    if let Some(t) = &filter.team {
        cond.push(format!("{team_expr} = ?"));
        args.push(t.clone());
    }
    if let Some(i) = filter.interaction_id {
        cond.push("q.interaction_id = CAST(? AS BIGINT)".into());
        args.push(i.to_string());
    }
    if let Some(d) = filter.since {
        cond.push("q.reviewed_at >= CAST(? AS TIMESTAMP)".into());
        args.push(d.to_string());
    }
    if let Some(d) = filter.until {
        cond.push("q.reviewed_at < CAST(? AS TIMESTAMP)".into());
        args.push(day_after(d).to_string());
    }
    let limit = filter
        .limit
        .map(|n| format!("LIMIT {n}"))
        .unwrap_or_default();
    let sql = format!(
        "SELECT q.id, q.source, q.interaction_id, coalesce(q.interaction_external_id, i.external_id), q.agent,
                {team_expr}, q.reviewer, q.rubric, coalesce(q.rubric_version, 1), q.reviewed_at, q.comment
         FROM qa_reviews q LEFT JOIN interactions i ON i.id = q.interaction_id
         WHERE {cond}
         ORDER BY q.reviewed_at DESC NULLS LAST, q.id DESC {limit}",
        cond = cond.join(" AND "),
    );
    let mut stmt = conn.prepare(&sql).doing("reading QA reviews")?;
    let mut rows = stmt
        .query(duckdb::params_from_iter(args.iter()))
        .doing("reading QA reviews")?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().doing("reading QA reviews")? {
        out.push(QaReviewRow {
            id: r.get(0).doing("reading QA reviews")?,
            source: r.get(1).doing("reading QA reviews")?,
            interaction_id: r.get(2).doing("reading QA reviews")?,
            interaction_external_id: r.get(3).doing("reading QA reviews")?,
            agent: r.get(4).doing("reading QA reviews")?,
            team: r.get(5).doing("reading QA reviews")?,
            reviewer: r.get(6).doing("reading QA reviews")?,
            rubric: r
                .get::<_, Option<String>>(7)
                .doing("reading QA reviews")?
                .unwrap_or_default(),
            rubric_version: r.get(8).doing("reading QA reviews")?,
            reviewed_at: ts(r.get_ref(9).doing("reading QA reviews")?),
            comment: r.get(10).doing("reading QA reviews")?,
            ratings: Vec::new(),
        });
    }
    if out.is_empty() {
        return Ok(out);
    }
    // The ratings of the reviews read, in their rubric's order.
    let ids = out
        .iter()
        .map(|r| r.id.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn
        .prepare(&format!(
            "SELECT r.review_id, r.criterion, r.rating, r.comment
             FROM qa_ratings r
             JOIN qa_reviews q ON q.id = r.review_id
             LEFT JOIN qa_criteria k ON k.rubric = q.rubric AND coalesce(k.version, 1) = coalesce(q.rubric_version, 1) AND k.criterion = r.criterion
             WHERE r.review_id IN ({ids})
             ORDER BY r.review_id, k.position, r.criterion"
        ))
        .doing("reading QA ratings")?;
    let mut rows = stmt.query([]).doing("reading QA ratings")?;
    let mut by_review: HashMap<i64, Vec<QaRatingRow>> = HashMap::new();
    while let Some(r) = rows.next().doing("reading QA ratings")? {
        by_review
            .entry(r.get(0).doing("reading QA ratings")?)
            .or_default()
            .push(QaRatingRow {
                criterion: r.get(1).doing("reading QA ratings")?,
                rating: r.get(2).doing("reading QA ratings")?,
                comment: r.get(3).doing("reading QA ratings")?,
            });
    }
    for review in &mut out {
        review.ratings = by_review.remove(&review.id).unwrap_or_default();
    }
    Ok(out)
}

const INTERACTION_COLUMNS: &str = "i.id, i.source, i.external_id, i.agent, i.team, i.channel, i.topic, i.status, i.created_at, sv.low";
const CSAT_JOIN: &str = "LEFT JOIN (SELECT interaction_id, min((score - scale_min) / nullif(scale_max - scale_min, 0)) AS low
                   FROM survey_answers WHERE kind = 'csat' AND interaction_id IS NOT NULL GROUP BY interaction_id) sv
             ON sv.interaction_id = i.id";

fn interaction_row(r: &duckdb::Row<'_>) -> Result<ReviewableInteraction> {
    Ok(ReviewableInteraction {
        id: r.get(0).doing("reading interactions")?,
        source: r.get(1).doing("reading interactions")?,
        external_id: r.get(2).doing("reading interactions")?,
        agent: r.get(3).doing("reading interactions")?,
        team: r.get(4).doing("reading interactions")?,
        channel: r.get(5).doing("reading interactions")?,
        topic: r.get(6).doing("reading interactions")?,
        status: r.get(7).doing("reading interactions")?,
        created_at: ts(r.get_ref(8).doing("reading interactions")?),
        csat: r.get(9).doing("reading interactions")?,
    })
}

impl QaStore for Store {
    fn save_rubric(
        &mut self,
        rubric: &Rubric,
        definition: &str,
        saved_by: &str,
        at: Timestamp,
    ) -> Result<SavedRubric> {
        let tx = self.write(crate::write::Reach::Small, "saving a rubric")?;
        let criteria = criterion_rows_of(rubric);
        if let Some((description, version, current)) = current_definition(&tx, rubric.name())? {
            if description.as_deref() == rubric.description() && current == criteria {
                return Ok(SavedRubric {
                    version,
                    changed: false,
                });
            }
        }
        let version = write_version(&tx, rubric.name(), rubric.description(), &criteria)?;
        tx.execute(
            "INSERT INTO qa_rubric_versions (name, version, saved_at, saved_by, definition)
             VALUES (?, ?, CAST(? AS TIMESTAMP), ?, ?)",
            params![rubric.name(), version, micros(at), saved_by, definition],
        )
        .doing("saving a rubric")?;
        tx.commit()?;
        Ok(SavedRubric {
            version,
            changed: true,
        })
    }

    fn rubrics(&self) -> Result<Vec<RubricRow>> {
        let names: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT name FROM qa_rubrics ORDER BY name")
                .doing("listing rubrics")?;
            let rows = stmt.query_map([], |r| r.get(0)).doing("listing rubrics")?;
            rows.collect::<std::result::Result<_, _>>()
                .doing("listing rubrics")?
        };
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            if let Some(r) = rubric_row(&self.conn, &name, None)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    fn rubric(&self, name: &str, version: Option<i64>) -> Result<Option<RubricRow>> {
        rubric_row(&self.conn, name, version)
    }

    fn rubric_versions(&self, name: &str) -> Result<Vec<RubricVersionRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT version, saved_at, saved_by FROM qa_rubric_versions WHERE name = ? ORDER BY version DESC",
            )
            .doing("reading a rubric's versions")?;
        let mut rows = stmt.query([name]).doing("reading a rubric's versions")?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing("reading a rubric's versions")? {
            out.push(RubricVersionRow {
                version: r.get(0).doing("reading a rubric's versions")?,
                saved_at: ts(r.get_ref(1).doing("reading a rubric's versions")?)
                    .unwrap_or(Timestamp::UNIX_EPOCH),
                saved_by: r.get(2).doing("reading a rubric's versions")?,
            });
        }
        Ok(out)
    }

    fn interaction_id_by_key(&self, source: &str, external_id: &str) -> Result<Option<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT max(id) FROM interactions WHERE source = ? AND external_id = ?")
            .doing("finding an interaction")?;
        let mut rows = stmt
            .query(params![source, external_id])
            .doing("finding an interaction")?;
        match rows.next().doing("finding an interaction")? {
            Some(r) => r.get(0).doing("finding an interaction"),
            None => Ok(None),
        }
    }

    fn reviewable_interaction(&self, id: i64) -> Result<Option<ReviewableInteraction>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {INTERACTION_COLUMNS} FROM interactions i {CSAT_JOIN} WHERE i.id = ?"
            ))
            .doing("reading an interaction")?;
        let mut rows = stmt.query([id]).doing("reading an interaction")?;
        match rows.next().doing("reading an interaction")? {
            Some(r) => Ok(Some(interaction_row(r)?)),
            None => Ok(None),
        }
    }

    fn add_qa_review(&mut self, review: &NewQaReview) -> Result<i64> {
        let tx = self.write(crate::write::Reach::Small, "saving a QA review")?;
        let id: i64 = tx
            .query_row("SELECT nextval('qa_review_id_seq')", [], |r| r.get(0))
            .doing("saving a QA review")?;
        let external_id = format!("metas-{id}");
        // The row hash of a review entered here is its id: never imported,
        // so never compared.
        tx.execute(
            "INSERT INTO qa_reviews (id, source, interaction_id, external_id, interaction_external_id, agent, reviewer, rubric, reviewed_at, comment, row_hash, rubric_version)
             SELECT ?, ?, i.id, ?, i.external_id, i.agent, ?, ?, CAST(? AS TIMESTAMP), ?, ?, ?
             FROM interactions i WHERE i.id = ?",
            params![
                id,
                QA_SOURCE,
                external_id,
                review.reviewer,
                review.rubric,
                micros(review.reviewed_at),
                review.comment,
                id,
                review.rubric_version,
                review.interaction_id
            ],
        )
        .doing("saving a QA review")?;
        for r in &review.ratings {
            tx.execute(
                "INSERT INTO qa_ratings (review_id, criterion, rating, comment) VALUES (?, ?, ?, ?)",
                params![id, r.criterion, r.rating, r.comment],
            )
            .doing("saving a QA review")?;
        }
        tx.commit()?;
        Ok(id)
    }

    fn qa_reviews(&self, filter: &QaReviewFilter) -> Result<Vec<QaReviewRow>> {
        review_rows(&self.conn, filter, None)
    }

    fn qa_review(&self, id: i64) -> Result<Option<QaReviewRow>> {
        Ok(
            review_rows(&self.conn, &QaReviewFilter::default(), Some(id))?
                .into_iter()
                .next(),
        )
    }

    fn qa_queue(&self, q: &QueueQuery) -> Result<Vec<QueueRow>> {
        let week = week_start(q.as_of);
        let end = week.checked_add(jiff::Span::new().days(7)).unwrap_or(week);
        let mut cond = vec![
            "i.created_at >= CAST(? AS TIMESTAMP)".to_string(),
            "i.created_at < CAST(? AS TIMESTAMP)".to_string(),
            "i.agent IS NOT NULL".to_string(),
            "NOT EXISTS (SELECT 1 FROM qa_reviews r WHERE r.interaction_id = i.id)".to_string(),
        ];
        let mut args = vec![week.to_string(), end.to_string()];
        if let Some(t) = &q.team {
            cond.push("i.team = ?".into());
            args.push(t.clone());
        }
        if let Some(a) = &q.agent {
            cond.push("i.agent = ?".into());
            args.push(a.clone());
        }
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {INTERACTION_COLUMNS} FROM interactions i {CSAT_JOIN} WHERE {}",
                cond.join(" AND ")
            ))
            .doing("building the QA queue")?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(args.iter()))
            .doing("building the QA queue")?;
        let mut by_agent: BTreeMap<String, Vec<ReviewableInteraction>> = BTreeMap::new();
        while let Some(r) = rows.next().doing("building the QA queue")? {
            let i = interaction_row(r)?;
            by_agent
                .entry(i.agent.clone().unwrap_or_default())
                .or_default()
                .push(i);
        }
        let mut out = Vec::new();
        for (_, mut list) in by_agent {
            list.sort_by_key(|i| (draw_key(i.id, week), i.id));
            let (low, rest): (Vec<_>, Vec<_>) = list
                .into_iter()
                .partition(|i| i.csat.is_some_and(|c| c <= q.low_csat + 1e-9));
            let mut low = low;
            low.sort_by_key(|i| (i.created_at, i.id));
            out.extend(low.into_iter().map(|interaction| QueueRow {
                interaction,
                reason: QueueReason::LowCsat,
            }));
            let mut sample: Vec<_> = rest.into_iter().take(q.per_agent).collect();
            sample.sort_by_key(|i| (i.created_at, i.id));
            out.extend(sample.into_iter().map(|interaction| QueueRow {
                interaction,
                reason: QueueReason::Sample,
            }));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_and_draws_are_fixed_by_week() {
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        assert_eq!(week_start(d(2026, 12, 1)), d(2026, 11, 30));
        assert_eq!(week_start(d(2026, 11, 30)), d(2026, 11, 30));
        assert_eq!(week_start(d(2026, 12, 6)), d(2026, 11, 30));
        let w = d(2026, 11, 30);
        assert_eq!(draw_key(7, w), draw_key(7, w));
        assert_ne!(draw_key(7, w), draw_key(7, d(2026, 12, 7)));
        assert_ne!(draw_key(7, w), draw_key(8, w));
    }
}
