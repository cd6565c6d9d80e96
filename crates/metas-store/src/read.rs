//! Reading canonical records back (round-trip tests, exports).

use duckdb::types::ValueRef;
use jiff::Timestamp;
use metas_domain::{
    Attributes, Channel, Direction, Interaction, InteractionRecord, JourneyStage, Status,
    SurveyAnswer, SurveyKind,
};

use crate::columns::{self, names};
use crate::{Doing, Result};

fn ts(v: ValueRef<'_>) -> Option<Timestamp> {
    match v {
        ValueRef::Timestamp(unit, n) => Timestamp::from_microsecond(unit.to_micros(n)).ok(),
        _ => None,
    }
}

fn text(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        _ => None,
    }
}

fn int(v: ValueRef<'_>) -> Option<i32> {
    match v {
        ValueRef::Int(i) => Some(i),
        ValueRef::BigInt(i) => i32::try_from(i).ok(),
        _ => None,
    }
}

fn double(v: ValueRef<'_>) -> Option<f64> {
    match v {
        ValueRef::Double(d) => Some(d),
        ValueRef::Float(f) => Some(f as f64),
        _ => None,
    }
}

fn boolean(v: ValueRef<'_>) -> Option<bool> {
    match v {
        ValueRef::Boolean(b) => Some(b),
        _ => None,
    }
}

/// Every interaction of `source`, ordered by external id, with its survey
/// answers ([`crate::KpiStore::load_interactions`]).
pub(crate) fn load_interactions(
    conn: &duckdb::Connection,
    source: &str,
) -> Result<Vec<InteractionRecord>> {
    let sql = format!(
        "SELECT id, {cols} FROM interactions WHERE source = ? ORDER BY external_id",
        cols = names(columns::INTERACTION)
    );
    let mut stmt = conn.prepare(&sql).doing("reading interactions")?;
    let mut rows = stmt.query([source]).doing("reading interactions")?;
    let mut out = Vec::new();
    let mut ids = Vec::new();
    while let Some(r) = rows.next().doing("reading interactions")? {
        let g = move |i: usize| r.get_ref(i).expect("column in range");
        let mut it = Interaction::new(
            text(g(1)).unwrap_or_default(),
            text(g(2))
                .and_then(|c| Channel::parse(&c).ok())
                .unwrap_or(Channel::Other),
            ts(g(5)).unwrap_or(Timestamp::UNIX_EPOCH),
        );
        it.direction = text(g(3)).and_then(|v| Direction::parse(&v).ok());
        it.automated = boolean(g(4));
        it.first_response_at = ts(g(6));
        it.first_resolved_at = ts(g(7));
        it.resolved_at = ts(g(8));
        it.confirmed_at = ts(g(9));
        it.closed_at = ts(g(10));
        it.person_reached_at = ts(g(11));
        it.reopen_count = int(g(12));
        it.agent_replies = int(g(13));
        it.customer_replies = int(g(14));
        it.status = text(g(15)).and_then(|v| Status::parse(&v).ok());
        it.priority = text(g(16));
        it.topic = text(g(17));
        it.product = text(g(18));
        it.journey_stage = text(g(19)).and_then(|v| JourneyStage::parse(&v).ok());
        it.customer_id = text(g(20));
        it.agent = text(g(21));
        it.team = text(g(22));
        it.language = text(g(23));
        it.queue_wait_secs = double(g(24));
        it.answered = boolean(g(25));
        it.abandoned = boolean(g(26));
        it.talk_secs = double(g(27));
        it.hold_secs = double(g(28));
        it.acw_secs = double(g(29));
        it.resolved_first_contact = boolean(g(30));
        it.attributes = text(g(31))
            .and_then(|j| serde_json::from_str::<Attributes>(&j).ok())
            .unwrap_or_default();
        let id: i64 = r.get(0).doing("reading survey answers")?;
        ids.push(id);
        out.push(InteractionRecord {
            interaction: it,
            surveys: Vec::new(),
            customer: None,
        });
    }
    let mut by_id = std::collections::HashMap::new();
    for (pos, id) in ids.iter().enumerate() {
        by_id.insert(*id, pos);
    }
    let mut stmt = conn
            .prepare(
                "SELECT interaction_id, kind, score, scale_min, scale_max, answered_at, comment
                 FROM survey_answers WHERE source = ? AND interaction_id IS NOT NULL ORDER BY interaction_id, kind",
            )
            .doing("reading survey answers")?;
    let mut rows = stmt.query([source]).doing("reading survey answers")?;
    while let Some(r) = rows.next().doing("reading survey answers")? {
        let id: i64 = r.get(0).doing("reading survey answers")?;
        let Some(pos) = by_id.get(&id) else { continue };
        let kind: String = r.get(1).doing("reading survey answers")?;
        out[*pos].surveys.push(SurveyAnswer {
            kind: SurveyKind::parse(&kind).unwrap_or(SurveyKind::Custom),
            score: r.get(2).doing("reading survey answers")?,
            scale_min: r.get(3).doing("reading survey answers")?,
            scale_max: r.get(4).doing("reading survey answers")?,
            answered_at: ts(r.get_ref(5).doing("reading survey answers")?),
            comment: r.get(6).doing("reading survey answers")?,
        });
    }
    Ok(out)
}
