//! KPI queries: a typed [`KpiQuery`] becomes one aggregate SQL statement
//! over the raw records (no rollups). Field names come from a whitelist
//! (the segment's typed [`Field`]s), every user value is a bound parameter,
//! and the statistics (intervals) are finished by the caller from the
//! sufficient statistics returned here (counts, sums, sums of squares, order
//! statistics).

use duckdb::types::{Value, ValueRef};
use jiff::civil::Date;
use metas_domain::kpi::{Grain, KpiDef, Stat, TimeBasis};
use metas_domain::segment::{Dimension, Field, Literal, SegmentExpr, CUSTOMER_COLUMNS};
use metas_domain::settings::{FcrMode, KpiSettings};
use metas_domain::stats::z_for;
use serde::Serialize;

use metas_domain::InteractionRecord;

use crate::storage::KpiStore;
use crate::{Doing, Result, Stats, Store, StoreError};

/// How many records carry each field some KPI's sample needs, over all the
/// data ([`KpiStore::data_presence`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DataPresence {
    pub interactions: u64,
    pub with_customer: u64,
    /// Resolved: a first or final resolution time, or a resolved or closed status.
    pub resolved: u64,
    /// A final resolution time.
    pub with_resolved_at: u64,
    pub with_first_response: u64,
    /// The source's own first-contact-resolution flag.
    pub with_fcr_flag: u64,
    pub with_agent_replies: u64,
    /// Talk, hold or after-contact-work seconds.
    pub with_handle_parts: u64,
    /// `answered` or `abandoned` known.
    pub offered: u64,
    pub with_queue_wait: u64,
    pub with_next_response: u64,
    /// Automated contacts that reached a person.
    pub reached_person: u64,
    pub csat_answers: u64,
    pub ces_answers: u64,
    pub nps_answers: u64,
    pub qa_reviews: u64,
}

/// One KPI question.
#[derive(Debug, Clone)]
pub struct KpiQuery<'a> {
    pub kpi: &'static KpiDef,
    pub settings: &'a KpiSettings,
    pub segment: Option<&'a SegmentExpr>,
    pub by: &'a [Field],
    pub grain: Option<Grain>,
    /// First day, inclusive (UTC).
    pub from: Option<Date>,
    /// Last day, inclusive (UTC).
    pub to: Option<Date>,
    pub stat: Stat,
    pub time: TimeBasis,
    pub confidence: f64,
}

/// A group-by value as read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum DimValue {
    Text(String),
    Int(i64),
    Number(f64),
    Bool(bool),
    Null,
}

impl DimValue {
    /// The value as text (integral numbers without a fraction); `None` when
    /// missing, which each output writes its own way.
    pub fn as_text(&self) -> Option<String> {
        match self {
            DimValue::Text(t) => Some(t.clone()),
            DimValue::Int(i) => Some(i.to_string()),
            DimValue::Number(n) => Some(n.to_string()),
            DimValue::Bool(b) => Some(b.to_string()),
            DimValue::Null => None,
        }
    }

    fn read(v: ValueRef<'_>) -> DimValue {
        match v {
            ValueRef::Null => DimValue::Null,
            ValueRef::Text(t) => DimValue::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Int(i) => DimValue::Int(i as i64),
            ValueRef::BigInt(i) => DimValue::Int(i),
            ValueRef::SmallInt(i) => DimValue::Int(i as i64),
            ValueRef::TinyInt(i) => DimValue::Int(i as i64),
            ValueRef::Double(d) => DimValue::Number(d),
            ValueRef::Float(d) => DimValue::Number(d as f64),
            ValueRef::Boolean(b) => DimValue::Bool(b),
            ValueRef::Date32(days) => DimValue::Text(
                Date::new(1970, 1, 1)
                    .ok()
                    .and_then(|epoch| epoch.checked_add(jiff::Span::new().days(days as i64)).ok())
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
            ValueRef::Timestamp(unit, n) => DimValue::Text(
                jiff::Timestamp::from_microsecond(unit.to_micros(n))
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            ),
            other => DimValue::Text(format!("{other:?}")),
        }
    }
}

/// What was measured in one group, before the value and interval are
/// computed.
#[derive(Debug, Clone, PartialEq)]
pub enum Measured {
    /// `successes` of `n`.
    Rate { successes: f64 },
    /// Sum and sum of squares of `n` values.
    Mean { sum: f64, sum_sq: f64 },
    /// A quantile and the order statistics bounding its interval.
    Quantile {
        value: Option<f64>,
        low: Option<f64>,
        high: Option<f64>,
    },
    /// Just `n`.
    Count,
}

/// One group of a KPI answer: the `--by` values, then the period when a
/// grain was asked.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiRow {
    pub dims: Vec<DimValue>,
    pub period: Option<String>,
    pub n: u64,
    pub measured: Measured,
}

/// Which records a KPI reads, and how its fields are reached from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    Interactions,
    Surveys,
    Qa,
    /// QA ratings (`qr`), one per criterion of a review, with their review (`q`).
    QaRatings,
    /// Judged stages of time objectives (`j`), with their interactions.
    Sla,
}

impl Basis {
    fn date(self) -> &'static str {
        match self {
            Basis::Interactions => "i.created_at",
            Basis::Sla => "j.created_at",
            Basis::Surveys => "coalesce(i.created_at, s.answered_at)",
            Basis::Qa | Basis::QaRatings => "coalesce(q.reviewed_at, i.created_at)",
        }
    }

    /// The records of the basis, joined to their customers when
    /// `customers`; judged stages are joined to their interactions only
    /// when `interactions` (a field they do not carry is asked).
    fn from(self, customers: bool, interactions: bool) -> String {
        let (base, customer_id, source) = match self {
            Basis::Interactions => ("interactions i", "i.customer_id", "i.source"),
            Basis::Surveys => (
                "survey_answers s LEFT JOIN interactions i ON i.id = s.interaction_id",
                "coalesce(i.customer_id, s.customer_id)",
                "s.source",
            ),
            Basis::Qa => (
                "qa_reviews q JOIN qa_review_scores qs ON qs.review_id = q.id
                 LEFT JOIN interactions i ON i.id = q.interaction_id",
                "i.customer_id",
                "q.source",
            ),
            Basis::QaRatings => (
                "qa_reviews q JOIN qa_ratings qr ON qr.review_id = q.id
                 LEFT JOIN interactions i ON i.id = q.interaction_id",
                "i.customer_id",
                "q.source",
            ),
            Basis::Sla if interactions => (
                "sla_stages j JOIN interactions i ON i.id = j.interaction_id",
                "j.customer_id",
                "j.source",
            ),
            Basis::Sla => ("sla_stages j", "j.customer_id", "j.source"),
        };
        if customers {
            format!("{base} LEFT JOIN customers c ON c.source = {source} AND c.id = {customer_id}")
        } else {
            base.to_string()
        }
    }

    /// The SQL expression of a field; customer fields need the customers join.
    fn field(self, f: &Field) -> Result<String> {
        Ok(match f {
            Field::Customer(attr) => {
                if !CUSTOMER_COLUMNS.contains(&attr.as_str()) {
                    return Err(StoreError::Query(format!(
                        "customer.{attr} is not a customer column metas can segment by yet; known: {}",
                        CUSTOMER_COLUMNS
                            .iter()
                            .map(|c| format!("customer.{c}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                format!("c.{attr}")
            }
            Field::Dimension(d) => {
                match (self, d) {
                    (Basis::Sla, Dimension::Stage) => "j.stage".into(),
                    (Basis::Sla, Dimension::Policy) => "j.policy".into(),
                    (Basis::Sla, d) if SLA_COLUMNS.contains(d) => format!("j.{}", d.as_str()),
                    (_, Dimension::Stage | Dimension::Policy) => {
                        return Err(StoreError::Query(format!(
                            "{} belongs to time objectives: only sla_attainment is cut by it",
                            d.as_str()
                        )))
                    }
                    (Basis::QaRatings, Dimension::Criterion) => "qr.criterion".into(),
                    (_, Dimension::Criterion) => return Err(StoreError::Query(
                        "criterion belongs to QA ratings: only qa_criterion_rating is cut by it"
                            .into(),
                    )),
                    (_, Dimension::Weekday) => format!("isodow({})", self.date()),
                    (_, Dimension::Hour) => format!("hour({})", self.date()),
                    (Basis::Surveys, Dimension::Source) => "s.source".into(),
                    (Basis::Qa | Basis::QaRatings, Dimension::Source) => "q.source".into(),
                    (Basis::Qa | Basis::QaRatings, Dimension::Agent) => {
                        "coalesce(q.agent, i.agent)".into()
                    }
                    _ => format!("i.{}", d.as_str()),
                }
            }
        })
    }
}

/// The interaction's columns a judged stage carries (`sla_stages`).
const SLA_COLUMNS: &[Dimension] = &[
    Dimension::Source,
    Dimension::Channel,
    Dimension::Team,
    Dimension::Agent,
    Dimension::Priority,
    Dimension::Topic,
];

/// The dimensions attainment is cut by without reading the interactions:
/// their columns on the stage, the creation time's weekday and hour, the
/// stage and the policy.
const SLA_CARRIES: &[Dimension] = &[
    Dimension::Source,
    Dimension::Channel,
    Dimension::Team,
    Dimension::Agent,
    Dimension::Priority,
    Dimension::Topic,
    Dimension::Weekday,
    Dimension::Hour,
    Dimension::Stage,
    Dimension::Policy,
];

/// Whether answering over `basis` with these fields needs the interactions
/// joined (judged stages carry their most used dimensions).
fn needs_interactions(basis: Basis, fields: &[&Field]) -> bool {
    basis != Basis::Sla
        || fields
            .iter()
            .any(|f| matches!(f, Field::Dimension(d) if !SLA_CARRIES.contains(d)))
}

/// The per-record value and filters of one KPI.
struct Plan {
    basis: Basis,
    /// Which records are in the sample (SQL, with `?` for `params`).
    sample: String,
    params: Vec<Value>,
    /// What is measured on each record in the sample.
    kind: PlanKind,
}

enum PlanKind {
    /// A boolean SQL condition: successes among the sample.
    Rate(String),
    /// A numeric SQL expression, averaged (or its quantile taken).
    Value(String),
    Count,
}

const RESOLVED: &str =
    "(i.resolved_at IS NOT NULL OR i.first_resolved_at IS NOT NULL OR i.status IN ('resolved', 'closed'))";

/// A survey score rescaled to 0–1 on its own scale (1–5 when unknown).
const NORMALISED: &str =
    "((s.score - coalesce(s.scale_min, 1)) / nullif(coalesce(s.scale_max, 5) - coalesce(s.scale_min, 1), 0))";

/// `b − a` in seconds, NULL when either is missing or `b` comes first.
pub(crate) fn calendar_secs(a: &str, b: &str) -> String {
    format!("(CASE WHEN {b} >= {a} THEN extract(epoch FROM {b}) - extract(epoch FROM {a}) END)")
}

/// Calendar-time durations as SQL expressions, by export column name.
pub(crate) fn calendar_durations() -> [(&'static str, String); 4] {
    [
        (
            "first_response_secs",
            calendar_secs("i.created_at", "i.first_response_at"),
        ),
        (
            "first_resolution_secs",
            calendar_secs("i.created_at", "i.first_resolved_at"),
        ),
        (
            "resolution_secs",
            calendar_secs("i.created_at", "i.resolved_at"),
        ),
        (
            "time_to_person_secs",
            format!(
                "(CASE WHEN i.automated THEN {} END)",
                calendar_secs("i.created_at", "i.person_reached_at")
            ),
        ),
    ]
}

/// Handle time under `aht.parts`: the sum of the parts (a missing part
/// counts 0) and the condition that at least one part is known.
pub(crate) fn handle_time(s: &KpiSettings) -> (String, String) {
    let p = s.aht_parts;
    let parts: Vec<&str> = [
        (p.talk, "i.talk_secs"),
        (p.hold, "i.hold_secs"),
        (p.acw, "i.acw_secs"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, c)| *c)
    .collect();
    let sum = parts
        .iter()
        .map(|c| format!("coalesce({c}, 0)"))
        .collect::<Vec<_>>()
        .join(" + ");
    let any = parts
        .iter()
        .map(|c| format!("{c} IS NOT NULL"))
        .collect::<Vec<_>>()
        .join(" OR ");
    (format!("({sum})"), format!("({any})"))
}

fn plan(q: &KpiQuery) -> Result<Plan> {
    let s = q.settings;
    // Business durations are stored only under a real calendar; under 24x7
    // they are NULL and business time is calendar time.
    let duration = |end: &str, business: &str| -> String {
        let calendar = calendar_secs("i.created_at", &format!("i.{end}"));
        match q.time {
            TimeBasis::Calendar => calendar,
            TimeBasis::Business => format!("coalesce(i.{business}, {calendar})"),
        }
    };
    let value = |basis: Basis, x: String, extra: &str| Plan {
        basis,
        sample: if extra.is_empty() {
            format!("{x} IS NOT NULL")
        } else {
            format!("{x} IS NOT NULL AND {extra}")
        },
        params: vec![],
        kind: PlanKind::Value(x),
    };
    let survey = |kind: &str| format!("s.kind = '{kind}' AND s.score IS NOT NULL");
    let window_secs = Value::Double(s.fcr_window_days as f64 * 86_400.0);
    Ok(match q.kpi.id {
        "volume" => Plan {
            basis: Basis::Interactions,
            sample: "true".into(),
            params: vec![],
            kind: PlanKind::Count,
        },
        "frt" => value(
            Basis::Interactions,
            duration("first_response_at", "first_response_business_secs"),
            "",
        ),
        "resolution_time" => value(
            Basis::Interactions,
            duration("resolved_at", "resolution_business_secs"),
            "",
        ),
        "nrt" => {
            if q.time == TimeBasis::Business {
                return Err(StoreError::Query(
                    "nrt is measured in calendar time only; leave out --time business".into(),
                ));
            }
            value(Basis::Interactions, "i.next_response_secs".into(), "")
        }
        "time_to_person" => value(
            Basis::Interactions,
            calendar_secs("i.created_at", "i.person_reached_at"),
            "i.automated",
        ),
        "asa" => value(Basis::Interactions, "i.queue_wait_secs".into(), "i.answered"),
        "aht" => {
            let (sum, any) = handle_time(s);
            Plan {
                basis: Basis::Interactions,
                sample: format!("({any}) AND coalesce(i.answered, true)"),
                params: vec![],
                kind: PlanKind::Value(format!("({sum})")),
            }
        }
        "answer_rate" | "abandon_rate" | "service_level" => {
            let (success, params) = match q.kpi.id {
                "answer_rate" => ("coalesce(i.answered, false)".to_string(), vec![]),
                "abandon_rate" => ("coalesce(i.abandoned, false)".to_string(), vec![]),
                _ => (
                    "coalesce(i.answered, false) AND i.queue_wait_secs <= ?".to_string(),
                    vec![Value::Double(s.service_level_threshold_secs)],
                ),
            };
            Plan {
                basis: Basis::Interactions,
                sample: "(i.answered IS NOT NULL OR i.abandoned IS NOT NULL)".into(),
                params,
                kind: PlanKind::Rate(success),
            }
        }
        "fcr" => match s.fcr_mode {
            FcrMode::Repeat => Plan {
                basis: Basis::Interactions,
                sample: RESOLVED.into(),
                params: vec![window_secs],
                kind: PlanKind::Rate(
                    "coalesce(i.reopen_count, 0) = 0 AND (i.next_contact_secs IS NULL OR i.next_contact_secs > ?)"
                        .into(),
                ),
            },
            FcrMode::OneTouch => Plan {
                basis: Basis::Interactions,
                sample: format!("{RESOLVED} AND i.agent_replies IS NOT NULL"),
                params: vec![],
                kind: PlanKind::Rate("i.agent_replies <= 1".into()),
            },
            FcrMode::Flag => Plan {
                basis: Basis::Interactions,
                sample: "i.resolved_first_contact IS NOT NULL AND coalesce(i.answered, true)"
                    .into(),
                params: vec![],
                kind: PlanKind::Rate("i.resolved_first_contact".into()),
            },
        },
        "repeat_contact_rate" => Plan {
            basis: Basis::Interactions,
            sample: "i.customer_id IS NOT NULL".into(),
            params: vec![window_secs],
            kind: PlanKind::Rate("coalesce(i.next_contact_secs <= ?, false)".into()),
        },
        "csat" => {
            // Thresholds are on a 1–5 scale; answers on other scales are
            // compared after rescaling both to 0–1.
            let threshold = (s.csat_threshold - 1.0) / 4.0;
            let mut sample = survey("csat");
            let mut params = vec![];
            if !s.csat_neutral_in_denominator {
                sample.push_str(&format!(" AND abs({NORMALISED} - 0.5) > 1e-9"));
            }
            params.push(Value::Double(threshold - 1e-9));
            Plan {
                basis: Basis::Surveys,
                sample,
                params,
                kind: PlanKind::Rate(format!("{NORMALISED} >= ?")),
            }
        }
        "csat_avg" => value(Basis::Surveys, "s.score".into(), &survey("csat")),
        // Reported on the configured scale (1–7 or 1–5): answers recorded on
        // another scale are rescaled linearly onto it.
        "ces" => value(
            Basis::Surveys,
            format!(
                "(1 + {NORMALISED} * {})",
                f64::from(s.ces_scale) - 1.0
            ),
            &survey("ces"),
        ),
        "nps" => value(
            Basis::Surveys,
            format!(
                "(CASE WHEN s.score IS NULL THEN NULL WHEN {NORMALISED} * 10 >= 9 - 1e-9 THEN 100.0 WHEN {NORMALISED} * 10 <= 6 + 1e-9 THEN -100.0 ELSE 0.0 END)"
            ),
            &survey("nps"),
        ),
        "qa_score" => value(Basis::Qa, "qs.score".into(), ""),
        "qa_criterion_rating" => {
            // Which criterion is checked where the question is scoped.
            value(Basis::QaRatings, "CAST(qr.rating AS DOUBLE)".into(), "")
        }
        "sla_attainment" => {
            // Stages met / stages due, as they stand now (`sla::state_at`,
            // written out for the two states that count): a stage whose
            // clock stopped met or late, or one still running past its due
            // instant (breached).
            let (due, met) = crate::sla::due_and_met_at(jiff::Timestamp::now());
            Plan {
                basis: Basis::Sla,
                sample: due,
                params: vec![],
                kind: PlanKind::Rate(met),
            }
        }
        "retention" => {
            return Err(StoreError::Query(format!(
                "{} is not computed from interactions",
                q.kpi.id
            )))
        }
        other => return Err(StoreError::Query(format!("no query for KPI {other}"))),
    })
}

/// Whether a segment holds every record to one QA criterion
/// (`criterion = 'concern'`, alone or and-ed with other conditions).
fn pins_criterion(e: &SegmentExpr) -> bool {
    let criterion = |f: &Field| matches!(f, Field::Dimension(Dimension::Criterion));
    match e {
        SegmentExpr::Cmp(f, metas_domain::segment::CmpOp::Eq, _) => criterion(f),
        SegmentExpr::In(f, items) => criterion(f) && items.len() == 1,
        SegmentExpr::And(a, b) => pins_criterion(a) || pins_criterion(b),
        _ => false,
    }
}

/// Per-review QA scores (docs/product.md §4): per criterion (rating − min) / (max − min)
/// × 100, the weighted mean of the rated criteria, 0 when a critical
/// criterion failed (below its standard, or at the scale's minimum when it
/// has none).
const QA_SCORES: &str = "
    WITH qa_review_scores AS (
      SELECT r.review_id,
        CASE WHEN max(CASE WHEN k.critical AND r.rating < coalesce(k.standard, k.scale_min + 1e-9) THEN 1 ELSE 0 END) = 1 THEN 0.0
             ELSE sum(k.weight * (r.rating - k.scale_min) / nullif(k.scale_max - k.scale_min, 0) * 100) / nullif(sum(k.weight), 0)
        END AS score
      FROM qa_ratings r
      JOIN qa_reviews q2 ON q2.id = r.review_id
      JOIN qa_criteria k ON k.rubric = q2.rubric AND k.version = q2.rubric_version AND k.criterion = r.criterion
      WHERE r.rating IS NOT NULL
      GROUP BY r.review_id)
";

/// The period bucket of a grain, as a DATE.
fn bucket(grain: Grain, date: &str, fiscal_start: u8) -> String {
    match grain {
        Grain::Day => format!("CAST(date_trunc('day', {date}) AS DATE)"),
        Grain::Week => format!("CAST(date_trunc('week', {date}) AS DATE)"),
        Grain::Month => format!("CAST(date_trunc('month', {date}) AS DATE)"),
        Grain::Quarter => format!("CAST(date_trunc('quarter', {date}) AS DATE)"),
        Grain::Year => format!("CAST(date_trunc('year', {date}) AS DATE)"),
        Grain::FiscalYear if fiscal_start <= 1 => {
            format!("CAST(date_trunc('year', {date}) AS DATE)")
        }
        Grain::FiscalYear => {
            // `fiscal_start` is a checked month number, not user text.
            let shift = fiscal_start - 1;
            format!(
                "CAST(date_trunc('year', {date} - INTERVAL '{shift} months') + INTERVAL '{shift} months' AS DATE)"
            )
        }
    }
}

fn literal(l: &Literal) -> Value {
    match l {
        Literal::Text(t) => Value::Text(t.clone()),
        Literal::Number(n) => Value::Double(*n),
    }
}

/// A literal for a field: numbers for numeric fields, canonical spellings
/// for vocabulary fields (so `channel = 'E-mail'` finds `email`).
fn bind(field: &Field, l: &Literal) -> Result<Value> {
    let numeric = matches!(field, Field::Customer(a) if a == "age");
    match (numeric, l) {
        (true, Literal::Text(t)) => t.trim().parse::<f64>().map(Value::Double).map_err(|_| {
            StoreError::Query(format!("{} is a number; '{t}' is not one", field.name()))
        }),
        (false, Literal::Number(n)) => Ok(Value::Text(if n.fract() == 0.0 {
            format!("{n:.0}")
        } else {
            n.to_string()
        })),
        (false, Literal::Text(t)) => Ok(Value::Text(canonical(field, t))),
        (true, _) => Ok(literal(l)),
    }
}

fn canonical(field: &Field, text: &str) -> String {
    use metas_domain::{Channel, Direction, JourneyStage, Status};
    let parsed = match field {
        Field::Dimension(Dimension::Channel) => Channel::parse(text).ok().map(|c| c.to_string()),
        Field::Dimension(Dimension::Status) => Status::parse(text).ok().map(|c| c.to_string()),
        Field::Dimension(Dimension::Direction) => {
            Direction::parse(text).ok().map(|c| c.to_string())
        }
        Field::Dimension(Dimension::JourneyStage) => {
            JourneyStage::parse(text).ok().map(|c| c.to_string())
        }
        _ => None,
    };
    parsed.unwrap_or_else(|| text.to_string())
}

/// A segment as SQL over the basis' fields, its literals as parameters.
fn segment_sql(basis: Basis, e: &SegmentExpr, params: &mut Vec<Value>) -> Result<String> {
    // Over records other than judged stages, a test of a stage or a policy
    // asks whether the interaction has such a stage: a goal's or a
    // drill-down's scope "stage = 'acknowledge' and channel = 'chat'".
    if basis != Basis::Sla {
        if let SegmentExpr::Cmp(f, _, _) | SegmentExpr::Between(f, _, _) | SegmentExpr::In(f, _) = e
        {
            if matches!(
                f,
                Field::Dimension(Dimension::Stage) | Field::Dimension(Dimension::Policy)
            ) {
                let test = segment_sql(Basis::Sla, e, params)?;
                return Ok(format!(
                    "EXISTS (SELECT 1 FROM sla_stages j WHERE j.interaction_id = i.id AND {test})"
                ));
            }
        }
    }
    // Over records other than QA ratings, a test of a criterion asks
    // whether the record has a QA rating (not N/A) on it: the contacts a
    // goal on one criterion's rating reaches.
    if basis != Basis::QaRatings {
        if let SegmentExpr::Cmp(f, _, _) | SegmentExpr::Between(f, _, _) | SegmentExpr::In(f, _) = e
        {
            if matches!(f, Field::Dimension(Dimension::Criterion)) {
                let test = segment_sql(Basis::QaRatings, e, params)?;
                let reviews = if basis == Basis::Qa {
                    "qr.review_id = q.id"
                } else {
                    "qr.review_id IN (SELECT q3.id FROM qa_reviews q3 WHERE q3.interaction_id = i.id)"
                };
                return Ok(format!(
                    "EXISTS (SELECT 1 FROM qa_ratings qr WHERE {reviews} AND qr.rating IS NOT NULL AND {test})"
                ));
            }
        }
    }
    Ok(match e {
        SegmentExpr::Cmp(f, op, l) => {
            let col = basis.field(f)?;
            params.push(bind(f, l)?);
            format!("{col} {} ?", op.sql())
        }
        SegmentExpr::Between(f, a, b) => {
            let col = basis.field(f)?;
            params.push(bind(f, a)?);
            params.push(bind(f, b)?);
            format!("{col} BETWEEN ? AND ?")
        }
        SegmentExpr::In(f, items) => {
            let col = basis.field(f)?;
            let mut marks = Vec::new();
            for l in items {
                params.push(bind(f, l)?);
                marks.push("?");
            }
            format!("{col} IN ({})", marks.join(", "))
        }
        SegmentExpr::And(a, b) => format!(
            "({} AND {})",
            segment_sql(basis, a, params)?,
            segment_sql(basis, b, params)?
        ),
        SegmentExpr::Or(a, b) => format!(
            "({} OR {})",
            segment_sql(basis, a, params)?,
            segment_sql(basis, b, params)?
        ),
        SegmentExpr::Not(a) => format!("(NOT {})", segment_sql(basis, a, params)?),
    })
}

/// For rules tried in order (time-objective policies): the interactions
/// (`i`, joined to their customers `c` when a condition needs them) and an
/// SQL expression giving, per interaction, the position of the first rule
/// whose condition it meets (a rule without one meets every interaction),
/// NULL when none does; literals as parameters.
pub(crate) fn first_match_sql(
    conditions: &[Option<&SegmentExpr>],
) -> Result<(String, String, Vec<Value>)> {
    let customers = conditions
        .iter()
        .flatten()
        .any(|e| e.fields().iter().any(|f| matches!(f, Field::Customer(_))));
    let mut params = Vec::new();
    let mut arms = String::new();
    for (at, c) in conditions.iter().enumerate() {
        let test = match c {
            Some(e) => segment_sql(Basis::Interactions, e, &mut params)?,
            None => "true".into(),
        };
        arms.push_str(&format!(" WHEN {test} THEN {at}"));
    }
    let case = if arms.is_empty() {
        "CAST(NULL AS INTEGER)".to_string()
    } else {
        format!("CASE{arms} END")
    };
    Ok((Basis::Interactions.from(customers, true), case, params))
}

fn ts_param(d: Date) -> Value {
    Value::Text(format!("{d} 00:00:00"))
}

/// What several KPI queries share: the records, groups and filters. KPIs
/// with the same scope are answered by one scan.
pub(crate) struct Scope {
    prelude: &'static str,
    pub(crate) from: String,
    dims: Vec<String>,
    /// With a grain: the group columns by day (the last one the day), and
    /// the bucket of that day. Additive measures are summed by day first:
    /// `date_trunc` over every row costs more than the whole aggregation.
    by_day: Option<(Vec<String>, String)>,
    aliases: Vec<String>,
    by: usize,
    conditions: Vec<String>,
    pub(crate) params: Vec<Value>,
}

fn scope(q: &KpiQuery, basis: Basis) -> Result<Scope> {
    if basis == Basis::QaRatings {
        // Criteria have scales of their own: a mean over several would
        // mix them, so the question names one (or cuts by criterion).
        let by_criterion =
            q.by.iter()
                .any(|f| matches!(f, Field::Dimension(Dimension::Criterion)));
        if !by_criterion && !q.segment.is_some_and(pins_criterion) {
            return Err(StoreError::Query(
                "qa_criterion_rating is the mean rating of one QA criterion on its own scale; say which with --where \"criterion = 'concern'\" (or cut it --by criterion)".into(),
            ));
        }
    }
    let mut fields: Vec<&Field> = q.by.iter().collect();
    if let Some(seg) = q.segment {
        fields.extend(seg.fields());
    }
    let customers = fields.iter().any(|f| matches!(f, Field::Customer(_)));
    let mut dims: Vec<String> = Vec::new();
    for f in q.by {
        dims.push(basis.field(f)?);
    }
    let by_day = q.grain.map(|g| {
        let mut day_dims = dims.clone();
        day_dims.push(format!("CAST({} AS DATE)", basis.date()));
        let last = format!("t.d{}", dims.len());
        (
            day_dims,
            bucket(g, &last, q.settings.fiscal_year_start_month),
        )
    });
    if let Some(g) = q.grain {
        dims.push(bucket(g, basis.date(), q.settings.fiscal_year_start_month));
    }
    let mut params = Vec::new();
    let mut conditions = Vec::new();
    if let Some(seg) = q.segment {
        conditions.push(segment_sql(basis, seg, &mut params)?);
    }
    if let Some(from) = q.from {
        conditions.push(format!("{} >= CAST(? AS TIMESTAMP)", basis.date()));
        params.push(ts_param(from));
    }
    if let Some(to) = q.to {
        let next = to
            .tomorrow()
            .map_err(|e| StoreError::Query(e.to_string()))?;
        conditions.push(format!("{} < CAST(? AS TIMESTAMP)", basis.date()));
        params.push(ts_param(next));
    }
    Ok(Scope {
        prelude: if basis == Basis::Qa { QA_SCORES } else { "" },
        from: basis.from(customers, needs_interactions(basis, &fields)),
        by_day,
        aliases: (0..dims.len()).map(|i| format!("d{i}")).collect(),
        dims,
        by: q.by.len(),
        conditions,
        params,
    })
}

/// The interactions within a segment and dates, as every KPI query reads
/// them (for the drill-down and a goal's reach).
pub(crate) fn interaction_scope(
    settings: &KpiSettings,
    segment: Option<&SegmentExpr>,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Scope> {
    let q = KpiQuery {
        kpi: metas_domain::kpi::kpi("volume").expect("volume is in the catalogue"),
        settings,
        segment,
        by: &[],
        grain: None,
        from,
        to,
        stat: Stat::Mean,
        time: TimeBasis::Calendar,
        confidence: 0.95,
    };
    scope(&q, Basis::Interactions)
}

impl Scope {
    fn select_dims(&self) -> String {
        self.dims
            .iter()
            .zip(&self.aliases)
            .map(|(d, a)| format!("{d} AS {a}, "))
            .collect()
    }

    fn group_by(&self) -> String {
        if self.aliases.is_empty() {
            String::new()
        } else {
            format!("GROUP BY {a} ORDER BY {a}", a = self.aliases.join(", "))
        }
    }

    pub(crate) fn where_sql(&self, extra: Option<&str>) -> String {
        let mut all: Vec<&str> = extra.into_iter().collect();
        all.extend(self.conditions.iter().map(String::as_str));
        if all.is_empty() {
            "true".into()
        } else {
            all.join(" AND ")
        }
    }
}

/// A KPI's per-row value and the aggregates taken of it, with the value's
/// parameters. With `shared`, several KPIs share the scan and the value is
/// NULL outside the KPI's sample; otherwise the sample is in the WHERE
/// clause. Each value is computed once per row, then only counted and summed.
fn row_value(plan: &Plan, shared: bool) -> (String, &'static [&'static str], Vec<Value>) {
    let in_sample = |v: &str| -> String {
        if shared {
            format!("CASE WHEN {} THEN {v} END", plan.sample)
        } else {
            v.to_string()
        }
    };
    match &plan.kind {
        PlanKind::Count => (in_sample("1"), &["count"], vec![]),
        PlanKind::Rate(success) => (
            in_sample(&format!("CASE WHEN {success} THEN 1.0 ELSE 0.0 END")),
            &["count", "sum"],
            plan.params.clone(),
        ),
        PlanKind::Value(x) => (in_sample(x), &["count", "sum", "sumsq"], vec![]),
    }
}

fn width(kind: &PlanKind) -> usize {
    match kind {
        PlanKind::Count => 1,
        PlanKind::Rate(_) => 2,
        PlanKind::Value(_) => 3,
    }
}

/// The order-statistic query of one quantile KPI.
fn quantile_sql(q: &KpiQuery, plan: &Plan, sc: &Scope, p: f64) -> (String, Vec<Value>) {
    let PlanKind::Value(x) = &plan.kind else {
        unreachable!("quantiles are asked of durations only")
    };
    // The interval's ranks n·p ∓ z·√(n·p·(1−p)), as in
    // metas_domain::stats::quantile_rank_interval.
    let partition = if sc.aliases.is_empty() {
        String::new()
    } else {
        format!("PARTITION BY {}", sc.aliases.join(", "))
    };
    let z = Value::Double(z_for(q.confidence));
    let pv = Value::Double(p);
    let mut params = sc.params.clone();
    params.extend([
        pv.clone(),
        pv.clone(),
        z.clone(),
        pv.clone(),
        pv.clone(),
        pv.clone(),
        z,
        pv.clone(),
        pv,
    ]);
    let with = if sc.prelude.is_empty() {
        "WITH".to_string()
    } else {
        format!("{},", sc.prelude)
    };
    let group_cols: String = sc.aliases.iter().map(|a| format!("{a}, ")).collect();
    let sql = format!(
        "{with} base AS (SELECT {dims}{x} AS x FROM {from} WHERE {cond}),
         ranked AS (SELECT *, row_number() OVER ({partition} ORDER BY x) AS rn,
                           count(*) OVER ({partition}) AS cnt
                    FROM base WHERE x IS NOT NULL)
         SELECT {group_cols}count(*),
           percentile_cont(?) WITHIN GROUP (ORDER BY x),
           max(x) FILTER (WHERE rn = greatest(1, floor(cnt * ? - ? * sqrt(cnt * ? * (1 - ?))))),
           max(x) FILTER (WHERE rn = least(cnt, ceil(cnt * ? + ? * sqrt(cnt * ? * (1 - ?))) + 1))
         FROM ranked {group_by}",
        dims = sc.select_dims(),
        from = sc.from,
        cond = sc.where_sql(Some(&plan.sample)),
        group_by = sc.group_by(),
    );
    (sql, params)
}

fn number(r: &duckdb::Row, i: usize) -> Result<Option<f64>> {
    Ok(match r.get_ref(i).doing("computing a KPI")? {
        ValueRef::Null => None,
        ValueRef::Double(d) => Some(d),
        ValueRef::BigInt(n) => Some(n as f64),
        ValueRef::Int(n) => Some(n as f64),
        ValueRef::HugeInt(n) => Some(n as f64),
        ValueRef::UBigInt(n) => Some(n as f64),
        ValueRef::Float(x) => Some(x as f64),
        ValueRef::Decimal(d) => d.to_string().parse().ok(),
        _ => None,
    })
}

impl KpiStore for Store {
    fn kpi_rows(&self, q: &KpiQuery) -> Result<Vec<KpiRow>> {
        Ok(self.kpi_rows_many(std::slice::from_ref(q))?.remove(0))
    }

    fn kpi_rows_many(&self, qs: &[KpiQuery]) -> Result<Vec<Vec<KpiRow>>> {
        let mut out: Vec<Option<Vec<KpiRow>>> = vec![None; qs.len()];
        let plans = qs.iter().map(plan).collect::<Result<Vec<_>>>()?;
        for basis in [
            Basis::Interactions,
            Basis::Surveys,
            Basis::Qa,
            Basis::QaRatings,
            Basis::Sla,
        ] {
            let all: Vec<usize> = (0..qs.len())
                .filter(|&i| plans[i].basis == basis && qs[i].stat.quantile().is_none())
                .collect();
            // All the KPIs over one kind of record share one scan: at 10 M
            // interactions six interaction KPIs by channel by month took 2.6 s
            // as six scans and less as one.
            if all.is_empty() {
                continue;
            }
            let members = &all[..];
            let first = &qs[members[0]];
            if members.iter().any(|&i| {
                let q = &qs[i];
                q.by != first.by
                    || q.grain != first.grain
                    || q.segment != first.segment
                    || q.from != first.from
                    || q.to != first.to
            }) {
                return Err(StoreError::Query(
                    "KPIs answered together must share --by, --grain, --where, --from and --to"
                        .into(),
                ));
            }
            let sc = scope(first, basis)?;
            let filtered = members.len() > 1;
            let mut values = Vec::new();
            let mut aggs = Vec::new();
            let mut params = Vec::new();
            for &i in members {
                let (v, kinds, p) = row_value(&plans[i], filtered);
                let col = format!("v{}", values.len());
                values.push(format!("{v} AS {col}"));
                for k in kinds {
                    aggs.push(match *k {
                        "count" => format!("count({col})"),
                        "sum" => format!("sum({col})"),
                        _ => format!("sum({col} * {col})"),
                    });
                }
                params.extend(p);
            }
            params.extend(sc.params.iter().cloned());
            let sample = (!filtered).then(|| plans[members[0]].sample.as_str());
            let cond = sc.where_sql(sample);
            // The rows' group columns and values, computed once each.
            let group_exprs = match &sc.by_day {
                None => &sc.dims,
                Some((day_dims, _)) => day_dims,
            };
            let keys: Vec<String> = (0..group_exprs.len()).map(|k| format!("d{k}")).collect();
            let projection = format!(
                "SELECT {dims}{values} FROM {from} WHERE {cond}",
                dims = group_exprs
                    .iter()
                    .zip(&keys)
                    .map(|(d, k)| format!("{d} AS {k}, "))
                    .collect::<String>(),
                values = values.join(", "),
                from = sc.from,
            );
            let group_keys = if keys.is_empty() {
                String::new()
            } else {
                format!("GROUP BY {k} ORDER BY {k}", k = keys.join(", "))
            };
            let key_cols: String = keys.iter().map(|k| format!("{k}, ")).collect();
            let sql = match &sc.by_day {
                None => format!(
                    "{with} SELECT {key_cols}{aggs} FROM ({projection}) t {group_keys}",
                    with = sc.prelude,
                    aggs = aggs.join(", "),
                ),
                Some((day_dims, bucket)) => {
                    let measures: Vec<String> = aggs
                        .iter()
                        .enumerate()
                        .map(|(k, m)| format!("{m} AS m{k}"))
                        .collect();
                    let outer_dims: String = (0..day_dims.len() - 1)
                        .map(|k| format!("t.d{k}, "))
                        .collect();
                    let sums: Vec<String> =
                        (0..aggs.len()).map(|k| format!("sum(t.m{k})")).collect();
                    let ordinals: Vec<String> =
                        (1..=day_dims.len()).map(|k| k.to_string()).collect();
                    format!(
                        "{with} SELECT {outer_dims}{bucket}, {sums}
                         FROM (SELECT {key_cols}{measures} FROM ({projection}) p GROUP BY {keys}) t
                         GROUP BY {ordinals} ORDER BY {ordinals}",
                        with = sc.prelude,
                        sums = sums.join(", "),
                        measures = measures.join(", "),
                        keys = keys.join(", "),
                        ordinals = ordinals.join(", "),
                    )
                }
            };
            let started = std::time::Instant::now();
            let rows = self.read_groups(&sql, &params, &sc, |r, at| {
                let mut per = Vec::with_capacity(members.len());
                let mut col = at;
                for &i in members {
                    let n = number(r, col)?.unwrap_or(0.0) as u64;
                    let measured = match &plans[i].kind {
                        PlanKind::Count => Measured::Count,
                        PlanKind::Rate(_) => Measured::Rate {
                            successes: number(r, col + 1)?.unwrap_or(0.0),
                        },
                        PlanKind::Value(_) => Measured::Mean {
                            sum: number(r, col + 1)?.unwrap_or(0.0),
                            sum_sq: number(r, col + 2)?.unwrap_or(0.0),
                        },
                    };
                    col += width(&plans[i].kind);
                    per.push((n, measured));
                }
                Ok(per)
            })?;
            tracing::debug!(
                ?basis,
                kpis = members.len(),
                ms = started.elapsed().as_millis() as u64,
                "KPI scan"
            );
            for (k, &i) in members.iter().enumerate() {
                out[i] = Some(
                    rows.iter()
                        .map(|(dims, period, per)| KpiRow {
                            dims: dims.clone(),
                            period: period.clone(),
                            n: per[k].0,
                            measured: per[k].1.clone(),
                        })
                        // Groups another KPI of the scan has but this one does not.
                        .filter(|r| !filtered || r.n > 0)
                        .collect(),
                );
            }
        }
        for (i, q) in qs.iter().enumerate() {
            if let Some(p) = q.stat.quantile() {
                let sc = scope(q, plans[i].basis)?;
                let (sql, params) = quantile_sql(q, &plans[i], &sc, p);
                let rows = self.read_groups(&sql, &params, &sc, |r, at| {
                    Ok(vec![(
                        number(r, at)?.unwrap_or(0.0) as u64,
                        Measured::Quantile {
                            value: number(r, at + 1)?,
                            low: number(r, at + 2)?,
                            high: number(r, at + 3)?,
                        },
                    )])
                })?;
                out[i] = Some(
                    rows.into_iter()
                        .map(|(dims, period, mut per)| {
                            let (n, measured) = per.remove(0);
                            KpiRow {
                                dims,
                                period,
                                n,
                                measured,
                            }
                        })
                        .collect(),
                );
            }
        }
        Ok(out.into_iter().map(Option::unwrap_or_default).collect())
    }

    fn customers_in_scope(
        &self,
        settings: &KpiSettings,
        segment: Option<&SegmentExpr>,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<u64> {
        let sc = interaction_scope(settings, segment, from, to)?;
        let sql = format!(
            "SELECT count(DISTINCT i.customer_id) FROM {} WHERE {}",
            sc.from,
            sc.where_sql(None)
        );
        let n: i64 = self
            .conn
            .query_row(&sql, duckdb::params_from_iter(sc.params.iter()), |r| {
                r.get(0)
            })
            .doing("counting customers")?;
        Ok(n.max(0) as u64)
    }

    fn retention_rows(
        &self,
        by: &[Field],
        segment: Option<&SegmentExpr>,
        from: Date,
        to: Date,
    ) -> Result<Vec<KpiRow>> {
        let customer_only = |f: &Field| -> Result<String> {
            match f {
                Field::Customer(a) if CUSTOMER_COLUMNS.contains(&a.as_str()) => Ok(format!("c.{a}")),
                other => Err(StoreError::Query(format!(
                    "retention counts customers, so it can only be cut by customer fields (customer.segment, customer.age, …), not {}",
                    other.name()
                ))),
            }
        };
        let mut dims = Vec::new();
        for f in by {
            dims.push(customer_only(f)?);
        }
        let start = ts_param(from);
        let end = ts_param(
            to.tomorrow()
                .map_err(|e| StoreError::Query(e.to_string()))?,
        );
        let mut params = vec![
            start.clone(),
            start.clone(),
            end.clone(),
            end.clone(),
            start.clone(),
            end.clone(),
            end.clone(),
        ];
        let mut conditions = vec!["c.first_seen IS NOT NULL".to_string()];
        if let Some(seg) = segment {
            for f in seg.fields() {
                customer_only(f)?;
            }
            conditions.push(segment_sql(Basis::Interactions, seg, &mut params)?);
        }
        let aliases: Vec<String> = (0..dims.len()).map(|i| format!("d{i}")).collect();
        let select_dims = dims
            .iter()
            .zip(&aliases)
            .map(|(d, a)| format!("{d} AS {a}, "))
            .collect::<String>();
        let group_by = if dims.is_empty() {
            String::new()
        } else {
            format!("GROUP BY {a} ORDER BY {a}", a = aliases.join(", "))
        };
        // Customers are counted once even when several sources know them.
        let sql = format!(
            "SELECT {select_dims}
               count(*) FILTER (WHERE c.first_seen < CAST(? AS TIMESTAMP) AND (c.churned_at IS NULL OR c.churned_at >= CAST(? AS TIMESTAMP))),
               count(*) FILTER (WHERE c.first_seen < CAST(? AS TIMESTAMP) AND (c.churned_at IS NULL OR c.churned_at >= CAST(? AS TIMESTAMP)))
               - count(*) FILTER (WHERE c.first_seen >= CAST(? AS TIMESTAMP) AND c.first_seen < CAST(? AS TIMESTAMP) AND (c.churned_at IS NULL OR c.churned_at >= CAST(? AS TIMESTAMP)))
             FROM customers c
             WHERE {}
             {group_by}",
            conditions.join(" AND ")
        );
        let mut stmt = self.conn.prepare(&sql).doing("computing retention")?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(params.iter()))
            .doing("computing retention")?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing("computing retention")? {
            let mut d = Vec::new();
            for i in 0..dims.len() {
                d.push(DimValue::read(r.get_ref(i).doing("computing retention")?));
            }
            let n: i64 = r.get(dims.len()).doing("computing retention")?;
            let retained: i64 = r.get(dims.len() + 1).doing("computing retention")?;
            out.push(KpiRow {
                dims: d,
                period: None,
                n: n.max(0) as u64,
                measured: Measured::Rate {
                    successes: retained.max(0) as f64,
                },
            });
        }
        Ok(out)
    }

    fn drill(
        &self,
        q: &DrillQuery,
        row: &mut dyn FnMut(&[DimValue]) -> std::io::Result<()>,
    ) -> Result<()> {
        let s = q.settings;
        let (handle, any_part) = handle_time(s);
        let window = s.fcr_window_days as f64 * 86_400.0;
        let fcr = match s.fcr_mode {
            FcrMode::Repeat => format!(
                "CASE WHEN {RESOLVED} THEN coalesce(i.reopen_count, 0) = 0 AND (i.next_contact_secs IS NULL OR i.next_contact_secs > {window}) END"
            ),
            FcrMode::OneTouch => {
                format!("CASE WHEN {RESOLVED} THEN i.agent_replies <= 1 END")
            }
            FcrMode::Flag => "i.resolved_first_contact".to_string(),
        };
        // The sample of the KPI asked about (its condition takes no parameters).
        let sample = match q.kpi {
            None => None,
            Some(k) => {
                let probe = KpiQuery {
                    kpi: k,
                    settings: s,
                    segment: None,
                    by: &[],
                    grain: None,
                    from: None,
                    to: None,
                    stat: Stat::Mean,
                    time: TimeBasis::Calendar,
                    confidence: 0.95,
                };
                let plan = plan(&probe)?;
                Some(match plan.basis {
                    Basis::Interactions => plan.sample,
                    Basis::Surveys => format!(
                        "EXISTS (SELECT 1 FROM survey_answers s WHERE s.interaction_id = i.id AND {})",
                        plan.sample
                    ),
                    Basis::Qa => {
                        "EXISTS (SELECT 1 FROM qa_reviews q WHERE q.interaction_id = i.id)".into()
                    }
                    Basis::QaRatings => {
                        "EXISTS (SELECT 1 FROM qa_reviews q JOIN qa_ratings qr ON qr.review_id = q.id WHERE q.interaction_id = i.id AND qr.rating IS NOT NULL)".into()
                    }
                    Basis::Sla => format!(
                        "EXISTS (SELECT 1 FROM sla_stages j WHERE j.interaction_id = i.id AND {})",
                        plan.sample
                    ),
                })
            }
        };
        let sc = interaction_scope(s, q.segment, q.from, q.to)?;
        let limit = q
            .limit
            .map(|n| format!("LIMIT {}", n.min(i64::MAX as u64)))
            .unwrap_or_default();
        let base_cols = drill_base_columns();
        let durations = calendar_durations();
        let select_base = base_cols
            .iter()
            .map(|c| match durations.iter().find(|(n, _)| n == c) {
                Some((_, expr)) => expr.clone(),
                None => format!("i.{c}"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "{QA_SCORES}
             SELECT {select_base},
               CASE WHEN {any_part} THEN {handle} END,
               {fcr},
               CASE WHEN i.customer_id IS NOT NULL THEN coalesce(i.next_contact_secs <= {window}, false) END,
               sv.csat, sv.ces, sv.nps, qa.score
             FROM {from}
             LEFT JOIN (SELECT interaction_id,
                          avg(score) FILTER (WHERE kind = 'csat') AS csat,
                          avg(score) FILTER (WHERE kind = 'ces') AS ces,
                          avg(score) FILTER (WHERE kind = 'nps') AS nps
                        FROM survey_answers WHERE interaction_id IS NOT NULL GROUP BY interaction_id) sv
               ON sv.interaction_id = i.id
             LEFT JOIN (SELECT q.interaction_id, avg(qs.score) AS score
                        FROM qa_reviews q JOIN qa_review_scores qs ON qs.review_id = q.id
                        WHERE q.interaction_id IS NOT NULL GROUP BY q.interaction_id) qa
               ON qa.interaction_id = i.id
             WHERE {cond}
             ORDER BY i.created_at, i.source, i.external_id
             {limit}",
            from = sc.from,
            cond = sc.where_sql(sample.as_deref()),
        );
        let params = &sc.params;
        let mut stmt = self.conn.prepare(&sql).doing("listing interactions")?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(params.iter()))
            .doing("listing interactions")?;
        let width = base_cols.len() + DRILL_DERIVED.len();
        let mut cells = Vec::with_capacity(width);
        while let Some(r) = rows.next().doing("listing interactions")? {
            cells.clear();
            for i in 0..width {
                cells.push(DimValue::read(r.get_ref(i).doing("listing interactions")?));
            }
            row(&cells).map_err(StoreError::Output)?;
        }
        Ok(())
    }

    fn data_presence(&self) -> Result<DataPresence> {
        let doing = "counting what the data holds";
        let n = |v: i64| v.max(0) as u64;
        let mut p = self
            .conn
            .query_row(
                &format!(
                    "SELECT count(*), count(i.customer_id), count(CASE WHEN {RESOLVED} THEN 1 END),
                            count(i.resolved_at), count(i.first_response_at),
                            count(i.resolved_first_contact), count(i.agent_replies),
                            count(CASE WHEN i.talk_secs IS NOT NULL OR i.hold_secs IS NOT NULL OR i.acw_secs IS NOT NULL THEN 1 END),
                            count(CASE WHEN i.answered IS NOT NULL OR i.abandoned IS NOT NULL THEN 1 END),
                            count(i.queue_wait_secs), count(i.next_response_secs),
                            count(CASE WHEN i.automated THEN i.person_reached_at END)
                     FROM interactions i"
                ),
                [],
                |r| {
                    Ok(DataPresence {
                        interactions: n(r.get(0)?),
                        with_customer: n(r.get(1)?),
                        resolved: n(r.get(2)?),
                        with_resolved_at: n(r.get(3)?),
                        with_first_response: n(r.get(4)?),
                        with_fcr_flag: n(r.get(5)?),
                        with_agent_replies: n(r.get(6)?),
                        with_handle_parts: n(r.get(7)?),
                        offered: n(r.get(8)?),
                        with_queue_wait: n(r.get(9)?),
                        with_next_response: n(r.get(10)?),
                        reached_person: n(r.get(11)?),
                        ..DataPresence::default()
                    })
                },
            )
            .doing(doing)?;
        let (csat, ces, nps, qa): (i64, i64, i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM survey_answers WHERE kind = 'csat' AND score IS NOT NULL),
                        (SELECT count(*) FROM survey_answers WHERE kind = 'ces' AND score IS NOT NULL),
                        (SELECT count(*) FROM survey_answers WHERE kind = 'nps' AND score IS NOT NULL),
                        (SELECT count(*) FROM qa_reviews)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .doing(doing)?;
        p.csat_answers = n(csat);
        p.ces_answers = n(ces);
        p.nps_answers = n(nps);
        p.qa_reviews = n(qa);
        Ok(p)
    }

    fn data_version(&self) -> Result<String> {
        self.conn
            .query_row(
                "SELECT CAST((SELECT count(*) FROM imports) AS VARCHAR) || ':' ||
                        CAST((SELECT coalesce(max(id), 0) FROM imports) AS VARCHAR) || ':' ||
                        CAST((SELECT count(*) FROM interactions) AS VARCHAR) || ':' ||
                        coalesce((SELECT string_agg(key || '=' || value, ',') FROM settings), '') || ':' ||
                        coalesce((SELECT string_agg(name || '=' || definition, ',') FROM calendars), '')",
                [],
                |r| r.get(0),
            )
            .doing("reading the data version")
    }

    fn arrival_span(
        &self,
        settings: &KpiSettings,
        segment: Option<&SegmentExpr>,
        since: Option<jiff::Timestamp>,
    ) -> Result<Option<(jiff::Timestamp, jiff::Timestamp)>> {
        self.arrival_span_sql(settings, segment, since)
    }

    fn arrival_slots(
        &self,
        q: &crate::ArrivalQuery,
    ) -> Result<Vec<metas_domain::staffing::SlotCounts>> {
        self.arrival_slots_sql(q)
    }

    fn stats(&self) -> Result<Stats> {
        crate::stats::stats(&self.conn)
    }

    fn schema_version(&self) -> Result<i64> {
        crate::schema::current_version(&self.conn)
    }

    fn load_interactions(&self, source: &str) -> Result<Vec<InteractionRecord>> {
        crate::read::load_interactions(&self.conn, source)
    }
}

impl Store {
    /// Runs a grouped statement: the group columns of `sc` first, then what
    /// `read` takes from the rest.
    #[expect(
        clippy::type_complexity,
        reason = "the row reader is a closure over one row"
    )]
    fn read_groups<T>(
        &self,
        sql: &str,
        params: &[Value],
        sc: &Scope,
        mut read: impl FnMut(&duckdb::Row, usize) -> Result<T>,
    ) -> Result<Vec<(Vec<DimValue>, Option<String>, T)>> {
        let mut stmt = self.conn.prepare(sql).doing("computing a KPI")?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(params.iter()))
            .doing("computing a KPI")?;
        let groups = sc.dims.len();
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing("computing a KPI")? {
            let mut dims = Vec::with_capacity(sc.by);
            for i in 0..sc.by {
                dims.push(DimValue::read(r.get_ref(i).doing("computing a KPI")?));
            }
            let period = if groups > sc.by {
                match DimValue::read(r.get_ref(sc.by).doing("computing a KPI")?) {
                    DimValue::Text(t) => Some(t),
                    _ => None,
                }
            } else {
                None
            };
            out.push((dims, period, read(r, groups)?));
        }
        Ok(out)
    }
}

/// What `metas interactions` lists: the interactions behind a number.
#[derive(Debug, Clone)]
pub struct DrillQuery<'a> {
    /// Only the interactions in this KPI's sample.
    pub kpi: Option<&'static KpiDef>,
    pub settings: &'a KpiSettings,
    pub segment: Option<&'a SegmentExpr>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub limit: Option<u64>,
}

/// The columns of the interaction-level export, after the identity columns.
pub const DRILL_DERIVED: &[&str] = &[
    "handle_secs",
    "fcr",
    "repeat_contact",
    "csat_score",
    "ces_score",
    "nps_score",
    "qa_score",
];

fn drill_base_columns() -> Vec<&'static str> {
    std::iter::once("source")
        .chain(crate::columns::INTERACTION.iter().map(|(n, _)| *n))
        .chain(crate::columns::DERIVED.iter().map(|(n, _)| *n))
        .chain(calendar_durations().map(|(n, _)| n))
        .collect()
}

/// The header of the interaction-level export.
pub fn drill_columns() -> Vec<String> {
    drill_base_columns()
        .into_iter()
        .chain(DRILL_DERIVED.iter().copied())
        .map(str::to_string)
        .collect()
}
