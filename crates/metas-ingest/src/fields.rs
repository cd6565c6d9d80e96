//! The canonical fields a mapping can fill, per record kind, with their value
//! type and how a parsed value lands in the record being built.

use jiff::Timestamp;
use metas_domain::{
    Agent, Attributes, Channel, Customer, Direction, Event, EventKind, Interaction,
    InteractionRecord, JourneyStage, QaReview, Record, StandaloneSurvey, Status, SurveyAnswer,
    SurveyKind,
};

/// The type of a canonical field, which decides how its cells are parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[expect(
    clippy::enum_variant_names,
    reason = "the kinds are named as mapping files write them"
)]
pub enum Kind {
    Text,
    Timestamp,
    /// Seconds after `created_at`, stored as the named timestamp field.
    Elapsed,
    Duration,
    Bool,
    Int,
    Number,
    Channel,
    Status,
    Direction,
    JourneyStage,
    EventKind,
    SurveyKind,
}

/// A parsed cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Ts(Timestamp),
    Secs(f64),
    Bool(bool),
    Int(i32),
    Num(f64),
    Channel(Channel),
    Status(Status),
    Direction(Direction),
    JourneyStage(JourneyStage),
    EventKind(EventKind),
    SurveyKind(SurveyKind),
}

macro_rules! as_variant {
    ($fn:ident, $variant:ident, $ty:ty) => {
        pub fn $fn(self) -> $ty {
            match self {
                Value::$variant(v) => v,
                other => unreachable!("field kind mismatch: {other:?}"),
            }
        }
    };
}

impl Value {
    as_variant!(text, Text, String);
    as_variant!(ts, Ts, Timestamp);
    as_variant!(secs, Secs, f64);
    as_variant!(bool, Bool, bool);
    as_variant!(int, Int, i32);
    as_variant!(num, Num, f64);
    as_variant!(channel, Channel, Channel);
    as_variant!(status, Status, Status);
    as_variant!(direction, Direction, Direction);
    as_variant!(journey, JourneyStage, JourneyStage);
    as_variant!(event_kind, EventKind, EventKind);
    as_variant!(survey_kind, SurveyKind, SurveyKind);
}

pub struct FieldDef<D> {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    pub set: fn(&mut D, Value),
}

/// What a row adds beyond its own record: attributes, surveys, customer
/// facts and QA ratings, each already parsed.
#[derive(Debug, Default)]
pub struct Extras {
    pub attributes: Attributes,
    pub surveys: Vec<SurveyAnswer>,
    pub customer: Option<CustomerDraft>,
    pub ratings: Vec<(String, Option<f64>)>,
    pub rubric: Option<String>,
    pub survey_scale: Option<(f64, f64)>,
}

/// A record under construction; `finish` checks what is required.
pub trait Draft: Default + 'static {
    fn catalogue() -> &'static [FieldDef<Self>];
    /// Told, before any value is set, of every field the mapping fills for
    /// this file, empty cell or not: a field the source states as empty is
    /// not a field it lacks.
    fn mapped(&mut self, _field: &'static str) {}
    fn finish(self, extras: Extras) -> Result<Record, String>;
}

// ---------------------------------------------------------------- interaction

#[derive(Default)]
pub struct InteractionDraft {
    external_id: Option<String>,
    channel: Option<Channel>,
    created_at: Option<Timestamp>,
    i: Option<Interaction>,
    first_response_secs: Option<f64>,
    first_resolution_secs: Option<f64>,
    resolution_secs: Option<f64>,
    confirmation_secs: Option<f64>,
    close_secs: Option<f64>,
    person_reached_secs: Option<f64>,
    /// Whether the mapping reads a first (`first_resolved_at`,
    /// `first_resolution_secs`) and a final (`resolved_at`,
    /// `resolution_secs`) resolution.
    maps_first_resolution: bool,
    maps_final_resolution: bool,
}

impl InteractionDraft {
    fn i(&mut self) -> &mut Interaction {
        self.i.get_or_insert_with(|| {
            Interaction::new(String::new(), Channel::Other, Timestamp::UNIX_EPOCH)
        })
    }
}

macro_rules! f {
    ($name:literal, $kind:ident, $req:expr, |$d:ident, $v:ident| $body:expr) => {
        FieldDef {
            name: $name,
            kind: Kind::$kind,
            required: $req,
            set: |$d, $v| $body,
        }
    };
}

static INTERACTION_FIELDS: &[FieldDef<InteractionDraft>] = &[
    f!("external_id", Text, true, |d, v| d.external_id =
        Some(v.text())),
    f!("channel", Channel, true, |d, v| d.channel =
        Some(v.channel())),
    f!("created_at", Timestamp, true, |d, v| d.created_at =
        Some(v.ts())),
    f!("direction", Direction, false, |d, v| d.i().direction =
        Some(v.direction())),
    f!("automated", Bool, false, |d, v| d.i().automated =
        Some(v.bool())),
    f!("first_response_at", Timestamp, false, |d, v| d
        .i()
        .first_response_at =
        Some(v.ts())),
    f!("first_resolved_at", Timestamp, false, |d, v| d
        .i()
        .first_resolved_at =
        Some(v.ts())),
    f!("resolved_at", Timestamp, false, |d, v| d.i().resolved_at =
        Some(v.ts())),
    f!("confirmed_at", Timestamp, false, |d, v| d
        .i()
        .confirmed_at =
        Some(v.ts())),
    f!("closed_at", Timestamp, false, |d, v| d.i().closed_at =
        Some(v.ts())),
    f!("person_reached_at", Timestamp, false, |d, v| d
        .i()
        .person_reached_at =
        Some(v.ts())),
    f!("first_response_secs", Elapsed, false, |d, v| d
        .first_response_secs =
        Some(v.secs())),
    f!("first_resolution_secs", Elapsed, false, |d, v| d
        .first_resolution_secs =
        Some(v.secs())),
    f!("resolution_secs", Elapsed, false, |d, v| d
        .resolution_secs =
        Some(v.secs())),
    f!("confirmation_secs", Elapsed, false, |d, v| d
        .confirmation_secs =
        Some(v.secs())),
    f!("close_secs", Elapsed, false, |d, v| d.close_secs =
        Some(v.secs())),
    f!("person_reached_secs", Elapsed, false, |d, v| d
        .person_reached_secs =
        Some(v.secs())),
    f!("reopen_count", Int, false, |d, v| d.i().reopen_count =
        Some(v.int())),
    f!("agent_replies", Int, false, |d, v| d.i().agent_replies =
        Some(v.int())),
    f!("customer_replies", Int, false, |d, v| d
        .i()
        .customer_replies =
        Some(v.int())),
    f!("status", Status, false, |d, v| d.i().status =
        Some(v.status())),
    f!("priority", Text, false, |d, v| d.i().priority =
        Some(v.text().to_lowercase())),
    f!("topic", Text, false, |d, v| d.i().topic = Some(v.text())),
    f!("product", Text, false, |d, v| d.i().product =
        Some(v.text())),
    f!("journey_stage", JourneyStage, false, |d, v| d
        .i()
        .journey_stage =
        Some(v.journey())),
    f!("customer_id", Text, false, |d, v| d.i().customer_id =
        Some(v.text())),
    f!("agent", Text, false, |d, v| d.i().agent = Some(v.text())),
    f!("team", Text, false, |d, v| d.i().team = Some(v.text())),
    f!("language", Text, false, |d, v| d.i().language =
        Some(v.text())),
    f!("queue_wait_secs", Duration, false, |d, v| d
        .i()
        .queue_wait_secs =
        Some(v.secs())),
    f!("answered", Bool, false, |d, v| d.i().answered =
        Some(v.bool())),
    f!("abandoned", Bool, false, |d, v| d.i().abandoned =
        Some(v.bool())),
    f!("talk_secs", Duration, false, |d, v| d.i().talk_secs =
        Some(v.secs())),
    f!("hold_secs", Duration, false, |d, v| d.i().hold_secs =
        Some(v.secs())),
    f!("acw_secs", Duration, false, |d, v| d.i().acw_secs =
        Some(v.secs())),
    f!("resolved_first_contact", Bool, false, |d, v| d
        .i()
        .resolved_first_contact =
        Some(v.bool())),
    f!("updated_at", Timestamp, false, |d, v| d.i().updated_at =
        Some(v.ts())),
];

fn after(created: Timestamp, secs: Option<f64>) -> Result<Option<Timestamp>, String> {
    match secs {
        None => Ok(None),
        Some(s) => {
            let span = jiff::SignedDuration::try_from_secs_f64(s)
                .map_err(|_| format!("{s} seconds after creation is out of range"))?;
            created
                .checked_add(span)
                .map(Some)
                .map_err(|_| format!("{s} seconds after creation is out of range"))
        }
    }
}

impl Draft for InteractionDraft {
    fn catalogue() -> &'static [FieldDef<Self>] {
        INTERACTION_FIELDS
    }

    fn mapped(&mut self, field: &'static str) {
        match field {
            "first_resolved_at" | "first_resolution_secs" => self.maps_first_resolution = true,
            "resolved_at" | "resolution_secs" => self.maps_final_resolution = true,
            _ => {}
        }
    }

    fn finish(mut self, extras: Extras) -> Result<Record, String> {
        let mut i = self.i.take().unwrap_or_else(|| {
            Interaction::new(String::new(), Channel::Other, Timestamp::UNIX_EPOCH)
        });
        i.external_id = self.external_id.ok_or("external_id")?;
        i.channel = self.channel.ok_or("channel")?;
        i.created_at = self.created_at.ok_or("created_at")?;
        let c = i.created_at;
        // A timestamp given directly wins over one derived from a duration.
        i.first_response_at = i.first_response_at.or(after(c, self.first_response_secs)?);
        i.first_resolved_at = i
            .first_resolved_at
            .or(after(c, self.first_resolution_secs)?);
        i.resolved_at = i.resolved_at.or(after(c, self.resolution_secs)?);
        i.confirmed_at = i.confirmed_at.or(after(c, self.confirmation_secs)?);
        i.closed_at = i.closed_at.or(after(c, self.close_secs)?);
        i.person_reached_at = i.person_reached_at.or(after(c, self.person_reached_secs)?);
        // A source with one resolution time gives both the first and the
        // final one. A source that has both and leaves one empty says it did
        // not happen: a ticket reopened and open again has a first resolution
        // and no final one, and is not resolved.
        if i.first_resolved_at.is_none() && !self.maps_first_resolution {
            i.first_resolved_at = i.resolved_at;
        }
        if i.resolved_at.is_none() && !self.maps_final_resolution {
            i.resolved_at = i.first_resolved_at;
        }
        i.attributes = extras.attributes;
        let customer = match extras.customer {
            Some(mut cd) => {
                if cd.c.id.is_empty() {
                    cd.c.id = i.customer_id.clone().unwrap_or_default();
                }
                if cd.c.id.is_empty() {
                    None
                } else {
                    i.customer_id = Some(cd.c.id.clone());
                    Some(cd.c)
                }
            }
            None => None,
        };
        let surveys = extras
            .surveys
            .into_iter()
            .map(|mut s| {
                s.answered_at = s.answered_at.or(Some(c));
                s
            })
            .collect();
        Ok(Record::Interaction(Box::new(InteractionRecord {
            interaction: i,
            surveys,
            customer,
        })))
    }
}

// ---------------------------------------------------------------- customer

#[derive(Default, Debug)]
pub struct CustomerDraft {
    pub c: Customer,
}

static CUSTOMER_FIELDS: &[FieldDef<CustomerDraft>] = &[
    f!("id", Text, true, |d, v| d.c.id = v.text()),
    f!("name", Text, false, |d, v| d.c.name = Some(v.text())),
    f!("age", Int, false, |d, v| d.c.age = Some(v.int())),
    f!("gender", Text, false, |d, v| d.c.gender = Some(v.text())),
    f!("segment", Text, false, |d, v| d.c.segment = Some(v.text())),
    f!("plan", Text, false, |d, v| d.c.plan = Some(v.text())),
    f!("region", Text, false, |d, v| d.c.region = Some(v.text())),
    f!("language", Text, false, |d, v| d.c.language =
        Some(v.text())),
    f!("first_seen", Timestamp, false, |d, v| d.c.first_seen =
        Some(v.ts())),
    f!("churned_at", Timestamp, false, |d, v| d.c.churned_at =
        Some(v.ts())),
];

impl Draft for CustomerDraft {
    fn catalogue() -> &'static [FieldDef<Self>] {
        CUSTOMER_FIELDS
    }

    fn finish(mut self, extras: Extras) -> Result<Record, String> {
        if self.c.id.is_empty() {
            return Err("id".into());
        }
        self.c.attributes = extras.attributes;
        Ok(Record::Customer(self.c))
    }
}

// ---------------------------------------------------------------- survey

#[derive(Default)]
pub struct SurveyDraft {
    external_id: Option<String>,
    interaction_external_id: Option<String>,
    customer_id: Option<String>,
    kind: Option<SurveyKind>,
    score: Option<f64>,
    answered_at: Option<Timestamp>,
    comment: Option<String>,
}

static SURVEY_FIELDS: &[FieldDef<SurveyDraft>] = &[
    f!("external_id", Text, true, |d, v| d.external_id =
        Some(v.text())),
    f!("interaction_external_id", Text, false, |d, v| d
        .interaction_external_id =
        Some(v.text())),
    f!("customer_id", Text, false, |d, v| d.customer_id =
        Some(v.text())),
    f!("kind", SurveyKind, true, |d, v| d.kind =
        Some(v.survey_kind())),
    f!("score", Number, true, |d, v| d.score = Some(v.num())),
    f!("answered_at", Timestamp, false, |d, v| d.answered_at =
        Some(v.ts())),
    f!("comment", Text, false, |d, v| d.comment = Some(v.text())),
];

impl Draft for SurveyDraft {
    fn catalogue() -> &'static [FieldDef<Self>] {
        SURVEY_FIELDS
    }

    fn finish(self, extras: Extras) -> Result<Record, String> {
        let kind = self.kind.ok_or("kind")?;
        let score = self.score.ok_or("score")?;
        let (scale_min, scale_max) = extras.survey_scale.unwrap_or(kind.default_scale());
        if score < scale_min || score > scale_max {
            return Err(format!(
                "score: {score} is outside the scale {scale_min}–{scale_max}"
            ));
        }
        Ok(Record::Survey(StandaloneSurvey {
            external_id: self.external_id.ok_or("external_id")?,
            interaction_external_id: self.interaction_external_id,
            customer_id: self.customer_id,
            answer: SurveyAnswer {
                kind,
                score,
                scale_min,
                scale_max,
                answered_at: self.answered_at,
                comment: self.comment,
            },
        }))
    }
}

// ---------------------------------------------------------------- event

#[derive(Default)]
pub struct EventDraft {
    interaction_external_id: Option<String>,
    at: Option<Timestamp>,
    kind: Option<EventKind>,
    status: Option<Status>,
    actor: Option<String>,
    channel: Option<Channel>,
}

static EVENT_FIELDS: &[FieldDef<EventDraft>] = &[
    f!("interaction_external_id", Text, true, |d, v| d
        .interaction_external_id =
        Some(v.text())),
    f!("at", Timestamp, true, |d, v| d.at = Some(v.ts())),
    f!("kind", EventKind, true, |d, v| d.kind =
        Some(v.event_kind())),
    f!("status", Status, false, |d, v| d.status = Some(v.status())),
    f!("actor", Text, false, |d, v| d.actor = Some(v.text())),
    f!("channel", Channel, false, |d, v| d.channel =
        Some(v.channel())),
];

impl Draft for EventDraft {
    fn catalogue() -> &'static [FieldDef<Self>] {
        EVENT_FIELDS
    }

    fn finish(self, _extras: Extras) -> Result<Record, String> {
        let kind = self.kind.ok_or("kind")?;
        // Kinds that imply a status carry it, so the last status is known.
        let status = self.status.or(match kind {
            EventKind::Resolved => Some(Status::Resolved),
            EventKind::Closed => Some(Status::Closed),
            EventKind::Reopened => Some(Status::Open),
            EventKind::Created => Some(Status::New),
            _ => None,
        });
        if kind == EventKind::StatusChange && status.is_none() {
            return Err("status: a status_change event needs the status it entered".into());
        }
        Ok(Record::Event(Event {
            interaction_external_id: self
                .interaction_external_id
                .ok_or("interaction_external_id")?,
            at: self.at.ok_or("at")?,
            kind,
            status,
            actor: self.actor,
            channel: self.channel,
        }))
    }
}

// ---------------------------------------------------------------- QA review

#[derive(Default)]
pub struct QaDraft {
    external_id: Option<String>,
    interaction_external_id: Option<String>,
    agent: Option<String>,
    reviewer: Option<String>,
    rubric: Option<String>,
    reviewed_at: Option<Timestamp>,
    comment: Option<String>,
}

static QA_FIELDS: &[FieldDef<QaDraft>] = &[
    f!("external_id", Text, true, |d, v| d.external_id =
        Some(v.text())),
    f!("interaction_external_id", Text, false, |d, v| d
        .interaction_external_id =
        Some(v.text())),
    f!("agent", Text, true, |d, v| d.agent = Some(v.text())),
    f!("reviewer", Text, false, |d, v| d.reviewer = Some(v.text())),
    f!("rubric", Text, false, |d, v| d.rubric = Some(v.text())),
    f!("reviewed_at", Timestamp, true, |d, v| d.reviewed_at =
        Some(v.ts())),
    f!("comment", Text, false, |d, v| d.comment = Some(v.text())),
];

impl Draft for QaDraft {
    fn catalogue() -> &'static [FieldDef<Self>] {
        QA_FIELDS
    }

    fn finish(self, extras: Extras) -> Result<Record, String> {
        Ok(Record::QaReview(QaReview {
            external_id: self.external_id.ok_or("external_id")?,
            interaction_external_id: self.interaction_external_id,
            agent: self.agent.ok_or("agent")?,
            reviewer: self.reviewer,
            rubric: self.rubric.or(extras.rubric).ok_or("rubric")?,
            reviewed_at: self.reviewed_at.ok_or("reviewed_at")?,
            ratings: extras.ratings,
            comment: self.comment,
        }))
    }
}

// ---------------------------------------------------------------- agent

#[derive(Default)]
pub struct AgentDraft {
    name: Option<String>,
    team: Option<String>,
    email: Option<String>,
}

static AGENT_FIELDS: &[FieldDef<AgentDraft>] = &[
    f!("name", Text, true, |d, v| d.name = Some(v.text())),
    f!("team", Text, false, |d, v| d.team = Some(v.text())),
    f!("email", Text, false, |d, v| d.email = Some(v.text())),
];

impl Draft for AgentDraft {
    fn catalogue() -> &'static [FieldDef<Self>] {
        AGENT_FIELDS
    }

    fn finish(self, _extras: Extras) -> Result<Record, String> {
        Ok(Record::Agent(Agent {
            name: self.name.ok_or("name")?,
            team: self.team,
            email: self.email,
        }))
    }
}

/// The names of a catalogue's fields, for error messages.
pub fn field_names<D>(cat: &[FieldDef<D>]) -> String {
    cat.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
}
