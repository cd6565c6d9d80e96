//! Writing interactions in the `generic` layout: the inverse of the generic
//! preset, used by benchmarks, tests and exports.

use std::io::Write;

use jiff::Timestamp;
use metas_domain::InteractionRecord;

/// The generic layout's columns, in the order [`write_row`] fills them.
pub const GENERIC_HEADER: &[&str] = &[
    "external_id",
    "channel",
    "direction",
    "automated",
    "created_at",
    "first_response_at",
    "first_resolved_at",
    "resolved_at",
    "confirmed_at",
    "closed_at",
    "person_reached_at",
    "reopen_count",
    "agent_replies",
    "customer_replies",
    "status",
    "priority",
    "topic",
    "product",
    "journey_stage",
    "customer_id",
    "agent",
    "team",
    "language",
    "queue_wait_secs",
    "answered",
    "abandoned",
    "talk_secs",
    "hold_secs",
    "acw_secs",
    "resolved_first_contact",
    "csat",
    "ces",
    "nps",
];

fn ts(t: Option<Timestamp>) -> String {
    t.map(|t| t.to_string()).unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Writes the header line.
pub fn write_header<W: Write>(w: &mut csv::Writer<W>) -> csv::Result<()> {
    w.write_record(GENERIC_HEADER)
}

/// Writes one interaction (with its CSAT, CES and NPS answers) as a row.
pub fn write_row<W: Write>(w: &mut csv::Writer<W>, r: &InteractionRecord) -> csv::Result<()> {
    let i = &r.interaction;
    let score = |k: metas_domain::SurveyKind| {
        r.surveys
            .iter()
            .find(|s| s.kind == k)
            .map(|s| s.score.to_string())
            .unwrap_or_default()
    };
    w.write_record([
        i.external_id.clone(),
        i.channel.as_str().to_string(),
        opt(i.direction),
        opt(i.automated),
        i.created_at.to_string(),
        ts(i.first_response_at),
        ts(i.first_resolved_at),
        ts(i.resolved_at),
        ts(i.confirmed_at),
        ts(i.closed_at),
        ts(i.person_reached_at),
        opt(i.reopen_count),
        opt(i.agent_replies),
        opt(i.customer_replies),
        opt(i.status),
        i.priority.clone().unwrap_or_default(),
        i.topic.clone().unwrap_or_default(),
        i.product.clone().unwrap_or_default(),
        opt(i.journey_stage),
        i.customer_id.clone().unwrap_or_default(),
        i.agent.clone().unwrap_or_default(),
        i.team.clone().unwrap_or_default(),
        i.language.clone().unwrap_or_default(),
        opt(i.queue_wait_secs),
        opt(i.answered),
        opt(i.abandoned),
        opt(i.talk_secs),
        opt(i.hold_secs),
        opt(i.acw_secs),
        opt(i.resolved_first_contact),
        score(metas_domain::SurveyKind::Csat),
        score(metas_domain::SurveyKind::Ces),
        score(metas_domain::SurveyKind::Nps),
    ])
}
