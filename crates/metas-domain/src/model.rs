//! The canonical records of docs/product.md §3. Importers produce them, the store keeps
//! them, and every KPI is computed from them.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::vocab::{Channel, Direction, EventKind, JourneyStage, Status, SurveyKind};

/// Free attributes a source carries beyond the canonical fields.
pub type Attributes = BTreeMap<String, String>;

/// One customer contact or ticket, with its summary times.
///
/// `(source, external_id)` identifies it; the source is the import's, not the
/// record's, so the same record imported under two sources is two contacts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interaction {
    pub external_id: String,
    pub channel: Channel,
    pub direction: Option<Direction>,
    /// A contact handled by a bot, IVR or self-service flow (R-LIVE-PERSON).
    pub automated: Option<bool>,
    pub created_at: Timestamp,
    /// First agent response (the contact was acknowledged).
    pub first_response_at: Option<Timestamp>,
    pub first_resolved_at: Option<Timestamp>,
    /// Final (last) resolution.
    pub resolved_at: Option<Timestamp>,
    pub confirmed_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    /// When an automated contact first reached a person.
    pub person_reached_at: Option<Timestamp>,
    pub reopen_count: Option<i32>,
    pub agent_replies: Option<i32>,
    pub customer_replies: Option<i32>,
    pub status: Option<Status>,
    pub priority: Option<String>,
    pub topic: Option<String>,
    pub product: Option<String>,
    pub journey_stage: Option<JourneyStage>,
    pub customer_id: Option<String>,
    pub agent: Option<String>,
    pub team: Option<String>,
    pub language: Option<String>,
    /// Seconds the caller waited in the queue before being answered (or abandoning).
    pub queue_wait_secs: Option<f64>,
    pub answered: Option<bool>,
    pub abandoned: Option<bool>,
    pub talk_secs: Option<f64>,
    pub hold_secs: Option<f64>,
    /// After-contact work.
    pub acw_secs: Option<f64>,
    /// The source's own "resolved on first contact" flag, when it has one.
    pub resolved_first_contact: Option<bool>,
    pub attributes: Attributes,
    /// When the source last changed the record (Zendesk's
    /// `generated_timestamp`): of two copies of one record, in one file or
    /// across imports, the one updated last wins.
    pub updated_at: Option<Timestamp>,
}

impl Interaction {
    /// An interaction with only its identity, channel and creation time known.
    pub fn new(external_id: String, channel: Channel, created_at: Timestamp) -> Self {
        Interaction {
            external_id,
            channel,
            direction: None,
            automated: None,
            created_at,
            first_response_at: None,
            first_resolved_at: None,
            resolved_at: None,
            confirmed_at: None,
            closed_at: None,
            person_reached_at: None,
            reopen_count: None,
            agent_replies: None,
            customer_replies: None,
            status: None,
            priority: None,
            topic: None,
            product: None,
            journey_stage: None,
            customer_id: None,
            agent: None,
            team: None,
            language: None,
            queue_wait_secs: None,
            answered: None,
            abandoned: None,
            talk_secs: None,
            hold_secs: None,
            acw_secs: None,
            resolved_first_contact: None,
            attributes: Attributes::new(),
            updated_at: None,
        }
    }
}

/// A survey answer: a score on a scale, given about an interaction or by a customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyAnswer {
    pub kind: SurveyKind,
    pub score: f64,
    pub scale_min: f64,
    pub scale_max: f64,
    pub answered_at: Option<Timestamp>,
    pub comment: Option<String>,
}

/// A survey answer that arrives in a file of its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandaloneSurvey {
    pub external_id: String,
    pub interaction_external_id: Option<String>,
    pub customer_id: Option<String>,
    pub answer: SurveyAnswer,
}

/// What a customer is: attributes used for segments, and a lifecycle used for retention.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Customer {
    pub id: String,
    pub name: Option<String>,
    pub age: Option<i32>,
    pub gender: Option<String>,
    pub segment: Option<String>,
    pub plan: Option<String>,
    pub region: Option<String>,
    pub language: Option<String>,
    pub first_seen: Option<Timestamp>,
    pub churned_at: Option<Timestamp>,
    pub attributes: Attributes,
}

/// One moment in an interaction's life. When a source has events, the
/// interaction's summary times are derived from them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub interaction_external_id: String,
    pub at: Timestamp,
    pub kind: EventKind,
    /// The status entered, for status changes.
    pub status: Option<Status>,
    pub actor: Option<String>,
    /// The channel, used only when the event creates an interaction not seen before.
    pub channel: Option<Channel>,
}

/// A quality review of one interaction against a rubric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QaReview {
    pub external_id: String,
    pub interaction_external_id: Option<String>,
    pub agent: String,
    pub reviewer: Option<String>,
    pub rubric: String,
    pub reviewed_at: Timestamp,
    /// Criterion → rating; `None` is "not applicable".
    pub ratings: Vec<(String, Option<f64>)>,
    pub comment: Option<String>,
}

/// A person who handles contacts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agent {
    pub name: String,
    pub team: Option<String>,
    pub email: Option<String>,
}

/// Everything one input row yields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Record {
    Interaction(Box<InteractionRecord>),
    Event(Event),
    Survey(StandaloneSurvey),
    QaReview(QaReview),
    Customer(Customer),
    Agent(Agent),
    /// The source says the interaction is gone (a deleted ticket): it leaves
    /// every figure, with everything tied to it.
    Deletion(Deletion),
}

/// An instruction to remove an interaction, as a source's export gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deletion {
    pub external_id: String,
    /// When the source deleted it: a copy updated later (the ticket
    /// restored) is not removed.
    pub updated_at: Option<Timestamp>,
}

/// An interaction row, with what the same row says about surveys and the customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InteractionRecord {
    pub interaction: Interaction,
    pub surveys: Vec<SurveyAnswer>,
    pub customer: Option<Customer>,
}

/// Which canonical record a mapping produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Interaction,
    Event,
    Survey,
    QaReview,
    Customer,
    Agent,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Interaction => "interaction",
            RecordKind::Event => "event",
            RecordKind::Survey => "survey",
            RecordKind::QaReview => "qa_review",
            RecordKind::Customer => "customer",
            RecordKind::Agent => "agent",
        }
    }
}

/// A QA rubric as an import of reviews defines it: criteria with scale,
/// weight, critical flag and business standard.
#[derive(Debug, Clone, PartialEq)]
pub struct RubricDef {
    pub name: String,
    pub description: Option<String>,
    pub criteria: Vec<RubricCriterion>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RubricCriterion {
    pub name: String,
    pub scale_min: f64,
    pub scale_max: f64,
    pub weight: f64,
    pub critical: bool,
    pub standard: Option<f64>,
}
