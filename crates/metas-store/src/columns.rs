//! Column lists shared by the permanent tables, the staging tables and the
//! Arrow batches that fill them. SQL is generated from these constants only.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    Timestamp,
    Bool,
    Double,
    Int,
    BigInt,
}

impl ColType {
    pub fn sql(self) -> &'static str {
        match self {
            ColType::Text => "VARCHAR",
            ColType::Timestamp => "TIMESTAMP",
            ColType::Bool => "BOOLEAN",
            ColType::Double => "DOUBLE",
            ColType::Int => "INTEGER",
            ColType::BigInt => "BIGINT",
        }
    }
}

pub type Columns = &'static [(&'static str, ColType)];

use ColType::*;

/// The data columns of an interaction, in the order batches fill them.
pub const INTERACTION: Columns = &[
    ("external_id", Text),
    ("channel", Text),
    ("direction", Text),
    ("automated", Bool),
    ("created_at", Timestamp),
    ("first_response_at", Timestamp),
    ("first_resolved_at", Timestamp),
    ("resolved_at", Timestamp),
    ("confirmed_at", Timestamp),
    ("closed_at", Timestamp),
    ("person_reached_at", Timestamp),
    ("reopen_count", Int),
    ("agent_replies", Int),
    ("customer_replies", Int),
    ("status", Text),
    ("priority", Text),
    ("topic", Text),
    ("product", Text),
    ("journey_stage", Text),
    ("customer_id", Text),
    ("agent", Text),
    ("team", Text),
    ("language", Text),
    ("queue_wait_secs", Double),
    ("answered", Bool),
    ("abandoned", Bool),
    ("talk_secs", Double),
    ("hold_secs", Double),
    ("acw_secs", Double),
    ("resolved_first_contact", Bool),
    ("attributes", Text),
];

/// When the source last changed an interaction: which of two copies is the
/// newer. Last in the table because migration 7 added it.
pub const VERSION: Columns = &[("updated_at", Timestamp)];

/// Metrics derived from an interaction's neighbours and the business
/// calendar (`derive.rs`), kept in the same transaction as the import that
/// changes them and recomputed when the calendar changes. Calendar-time
/// durations are not stored: they are one subtraction at query time
/// ([`crate::kpi`]).
pub const DERIVED: Columns = &[
    // NULL under the always-open calendar, where business time is calendar time.
    ("first_response_business_secs", Double),
    ("first_resolution_business_secs", Double),
    ("resolution_business_secs", Double),
    ("next_response_secs", Double),
    // Seconds until the same customer's next interaction on the same topic.
    ("next_contact_secs", Double),
];

pub const CUSTOMER: Columns = &[
    ("id", Text),
    ("name", Text),
    ("age", Int),
    ("gender", Text),
    ("segment", Text),
    ("plan", Text),
    ("region", Text),
    ("language", Text),
    ("first_seen", Timestamp),
    ("churned_at", Timestamp),
    ("attributes", Text),
];

pub const SURVEY: Columns = &[
    ("external_id", Text),
    ("interaction_external_id", Text),
    ("customer_id", Text),
    ("kind", Text),
    ("score", Double),
    ("scale_min", Double),
    ("scale_max", Double),
    ("answered_at", Timestamp),
    ("comment", Text),
];

pub const EVENT: Columns = &[
    ("interaction_external_id", Text),
    ("occurred_at", Timestamp),
    ("kind", Text),
    ("status", Text),
    ("actor", Text),
    ("channel", Text),
];

pub const QA_REVIEW: Columns = &[
    ("external_id", Text),
    ("interaction_external_id", Text),
    ("agent", Text),
    ("reviewer", Text),
    ("rubric", Text),
    ("reviewed_at", Timestamp),
    ("comment", Text),
];

pub const QA_RATING: Columns = &[
    ("review_external_id", Text),
    ("criterion", Text),
    ("rating", Double),
];

pub const AGENT: Columns = &[("name", Text), ("team", Text), ("email", Text)];

/// Columns every staging table starts with: the input line and the row's
/// content hash (which decides updated against unchanged).
pub const STAGE_PREFIX: Columns = &[("line", BigInt), ("row_hash", BigInt)];

/// `a, b, c`
pub fn names(cols: Columns) -> String {
    cols.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

/// `p.a, p.b, p.c`
pub fn prefixed(prefix: &str, cols: Columns) -> String {
    cols.iter()
        .map(|(n, _)| format!("{prefix}.{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a = s.a, b = s.b` for UPDATE … SET, leaving out the key columns.
pub fn assignments(cols: Columns, from: &str, skip: &[&str]) -> String {
    cols.iter()
        .filter(|(n, _)| !skip.contains(n))
        .map(|(n, _)| format!("{n} = {from}.{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a VARCHAR, b TIMESTAMP`
pub fn definitions(parts: &[Columns]) -> String {
    parts
        .iter()
        .flat_map(|c| c.iter())
        .map(|(n, t)| format!("{n} {}", t.sql()))
        .collect::<Vec<_>>()
        .join(", ")
}
