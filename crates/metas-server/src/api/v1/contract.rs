//! What the server accepts, written into the OpenAPI document beyond each
//! field's type: the fixed vocabularies (taken from the code that parses
//! them, and checked against it by a test), dates, bounds and lengths; and
//! the error answers every operation can give. Generated clients and API
//! fuzzers then send what the server takes, and expect what it answers.

use metas_domain::indicator::Frequency;
use serde_json::{json, Map, Value};

/// `grain`: what `Grain::parse` takes.
pub const GRAINS: &[&str] = &["day", "week", "month", "quarter", "year", "fiscal_year"];
/// `stat`: what `Stat::parse` takes.
pub const STATS: &[&str] = &["mean", "median", "p90"];
/// `time`: what `TimeBasis::parse` takes.
pub const TIME_BASES: &[&str] = &["calendar", "business"];
/// `format` of a listing.
pub const FORMATS: &[&str] = &["json", "csv"];
/// A user's role: what `Role::parse` takes.
pub const ROLES: &[&str] = &["admin", "manager", "lead", "agent"];
/// A goal review's decision: what `Decision::parse` takes.
pub const DECISIONS: &[&str] = &["keep", "revise", "retire"];

fn enumeration(values: impl IntoIterator<Item = impl Into<String>>) -> Value {
    let values: Vec<Value> = values
        .into_iter()
        .map(|v| Value::String(v.into()))
        .collect();
    json!({ "type": "string", "enum": values })
}

/// A value of one of these formats, or sent empty ("not given": the
/// default applies).
fn formatted_or_empty(formats: &[&str]) -> Value {
    let mut any: Vec<Value> = formats
        .iter()
        .map(|f| json!({ "type": "string", "format": f }))
        .collect();
    any.push(json!({ "type": "string", "maxLength": 0 }));
    json!({ "anyOf": any })
}

fn kpi_ids() -> Value {
    enumeration(metas_domain::kpi::CATALOGUE.iter().map(|k| k.id))
}

/// The schema a query or path parameter of this name has, wherever it
/// appears; `None` leaves the generated one.
fn parameter_schema(name: &str, path: &str) -> Option<Value> {
    Some(match name {
        "grain" => enumeration(GRAINS.iter().copied()),
        "stat" => enumeration(STATS.iter().copied()),
        "time" => enumeration(TIME_BASES.iter().copied()),
        "format" => enumeration(FORMATS.iter().copied()),
        "from" | "to" | "since" | "until" => formatted_or_empty(&["date"]),
        // The time-objective listings take an instant or a date.
        "as_of" if path.starts_with("/api/v1/sla/") => formatted_or_empty(&["date", "date-time"]),
        "as_of" => formatted_or_empty(&["date"]),
        // More than the most is answered with the most (the description says so).
        "limit" => json!({ "type": "integer", "minimum": 0 }),
        // 0: only the unsatisfied customers, no random draw.
        "sample" => json!({ "type": "integer", "minimum": 0 }),
        // A filter: an id no interaction has lists nothing.
        "interaction" => json!({ "type": "integer", "format": "int64" }),
        "kpi" if path.starts_with("/api/v1/indicators/") => {
            enumeration(metas_domain::indicator::BOARD_KPIS.iter().copied())
        }
        "kpi" => kpi_ids(),
        "id" if path.starts_with("/api/v1/kpi/") => kpi_ids(),
        "id" => json!({ "type": "integer", "format": "int64", "minimum": 1 }),
        "key" if path.starts_with("/api/v1/settings/") => {
            enumeration(metas_domain::settings::SETTINGS.iter().map(|s| s.key))
        }
        "mapping" => enumeration(
            metas_ingest::PRESETS
                .iter()
                .map(|(n, _)| *n)
                .chain(crate::pages::imports::EXAMPLES.iter().map(|(n, _)| *n)),
        ),
        "name" | "source" => json!({ "type": "string", "minLength": 1 }),
        _ => return None,
    })
}

/// Constraints on the fields of request bodies, by schema and field.
fn body_field(schema: &str, field: &str) -> Option<Value> {
    Some(match (schema, field) {
        ("GoalBody", "metric") => kpi_ids(),
        ("GoalBody", "owner") => {
            json!({ "type": "string", "pattern": "^(org|team:.+|agent:.+)$" })
        }
        ("GoalBody", "deadline") | ("TokenBody", "name") | ("UserBody", "login") => {
            json!({ "type": "string", "minLength": 1 })
        }
        ("GoalBody", "start") => json!({ "type": ["string", "null"], "format": "date" }),
        ("UserBody", "password") => json!({
            "type": "string",
            "minLength": metas_service::users::MIN_PASSWORD_CHARS
        }),
        ("UserBody", "role") => enumeration(ROLES.iter().copied()),
        ("PolicyBody", "toml")
        | ("RubricBody", "toml")
        | ("SessionBody", "notes")
        | ("ProfileBody", "toml")
        | ("CandidateBody", "name")
        | ("CandidateBody", "profile")
        | ("AssessorBody", "assessor")
        | ("AssessmentBody", "agent")
        | ("AssessmentBody", "profile") => {
            json!({ "type": "string", "minLength": 1 })
        }
        ("NoteBody", "text") => json!({
            "type": "string",
            "minLength": 1,
            "maxLength": metas_service::profile::MAX_NOTE_CHARS
        }),
        ("RatingBody", "level") => json!({ "type": "integer", "minimum": 1, "maximum": 5 }),
        ("CandidateBody", "assessors") => json!({
            "type": "array",
            "minItems": 1,
            "items": { "type": "string", "minLength": 1 }
        }),
        ("SessionBody", "held_on") => {
            let mut v = formatted_or_empty(&["date"]);
            if let Some(any) = v["anyOf"].as_array_mut() {
                any.push(json!({ "type": "null" }));
            }
            v
        }
        // An empty text restores the built-in stage or frequency.
        ("IndicatorBody", "frequency") => nullable(enumeration(
            std::iter::once("").chain(Frequency::ALL.iter().map(|f| f.as_str())),
        )),
        ("IndicatorBody", "stage") => nullable(enumeration(
            ["", "before", "during", "after"]
                .into_iter()
                .chain(metas_domain::JourneyStage::ALL.iter().map(|s| s.as_str())),
        )),
        ("IndicatorBody", "owner") => json!({
            "type": ["string", "null"],
            "maxLength": metas_domain::indicator::definition::MAX_OWNER_CHARS,
            "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
        }),
        ("IndicatorBody", "note") => json!({
            "type": ["string", "null"],
            "maxLength": metas_domain::indicator::definition::MAX_NOTE_CHARS,
            "pattern": "^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]*$"
        }),
        _ => return None,
    })
}

/// `schema`, or null.
fn nullable(schema: Value) -> Value {
    let mut v = schema;
    if let Some(values) = v.get_mut("enum").and_then(Value::as_array_mut) {
        values.push(Value::Null);
    }
    v["type"] = json!(["string", "null"]);
    v
}

/// Rewrites `doc` (the generated document as JSON) with what the server
/// accepts and answers.
pub fn apply(doc: &mut Value) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (_method, op) in item.iter_mut() {
                if let Some(op) = op.as_object_mut() {
                    operation(path, op);
                }
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
                for (field, s) in props.iter_mut() {
                    if let Some(c) = body_field(name, field) {
                        merge(s, c);
                    }
                }
            }
        }
        // A review's decision, inside the update's one-of.
        if let Some(variants) = schemas
            .get_mut("GoalUpdate")
            .and_then(|u| u.get_mut("oneOf"))
            .and_then(Value::as_array_mut)
        {
            for v in variants {
                if let Some(d) = v.pointer_mut("/properties/decision") {
                    merge(d, enumeration(DECISIONS.iter().copied()));
                }
                if let Some(c) = v.pointer_mut("/properties/comment") {
                    merge(c, json!({ "minLength": 1 }));
                }
                if let Some(c) = v.pointer_mut("/properties/confidence") {
                    merge(c, json!({ "minimum": 0, "maximum": 1 }));
                }
            }
        }
    }
}

fn operation(path: &str, op: &mut Map<String, Value>) {
    if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        for p in params {
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if let Some(schema) = parameter_schema(&name, path) {
                if let Some(s) = p.get_mut("schema") {
                    *s = schema;
                }
            }
        }
    }
    let has_body = op.contains_key("requestBody");
    let lists_csv = op
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|ps| ps.iter().any(|p| p["name"] == "format"));
    if lists_csv {
        if let Some(content) = op
            .get_mut("responses")
            .and_then(|r| r.pointer_mut("/200/content"))
            .and_then(Value::as_object_mut)
        {
            content.insert(
                "text/csv".into(),
                json!({ "schema": { "type": "string", "description": "With format=csv: a header row, then a row per item" } }),
            );
        }
    }
    let secured = op.contains_key("security");
    let responses = op
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut();
    let Some(responses) = responses else {
        return;
    };
    let error = |description: &str| {
        json!({
            "description": description,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorEnvelope" } } }
        })
    };
    let mut add = |status: &str, description: &str| {
        responses
            .entry(status.to_string())
            .or_insert_with(|| error(description));
    };
    add(
        "400",
        "A parameter or body the server cannot take, said in one sentence",
    );
    if secured {
        add("401", "No session or token, or one that is no longer valid");
        add("403", "The caller's role may not do this (or a change sent with the cookie lacks the CSRF token)");
    }
    if path.contains('{') {
        add("404", "No such item within the caller's scope");
    }
    if has_body {
        add("413", "The body is larger than the server takes");
    }
}

/// `target` gains every key of `extra`, replacing what was there.
fn merge(target: &mut Value, extra: Value) {
    match (target.as_object_mut(), extra) {
        (Some(t), Value::Object(e)) => {
            for (k, v) in e {
                t.insert(k, v);
            }
        }
        (_, e) => *target = e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value the document offers, the server's own parser takes.
    #[test]
    fn the_vocabularies_are_the_parsers() {
        use metas_domain::kpi::{Grain, Stat, TimeBasis};
        for g in GRAINS {
            assert!(Grain::parse(g).is_ok(), "{g}");
        }
        for s in STATS {
            assert!(Stat::parse(s).is_ok(), "{s}");
        }
        for t in TIME_BASES {
            assert!(TimeBasis::parse(t).is_ok(), "{t}");
        }
        for r in ROLES {
            assert!(metas_service::users::Role::parse(r).is_ok(), "{r}");
        }
        for d in DECISIONS {
            assert!(metas_domain::goal::Decision::parse(d).is_ok(), "{d}");
        }
    }

    /// Every secured operation says it may answer 401 and 403, and every
    /// operation 400, in the envelope.
    #[test]
    fn every_operation_documents_its_error_answers() {
        let doc = crate::api::v1::openapi::document();
        let paths = doc["paths"].as_object().unwrap();
        assert!(!paths.is_empty());
        for (path, item) in paths {
            for (method, op) in item.as_object().unwrap() {
                let responses = &op["responses"];
                assert!(responses.get("400").is_some(), "{method} {path}");
                if op.get("security").is_some() {
                    for status in ["401", "403"] {
                        assert!(responses.get(status).is_some(), "{method} {path} {status}");
                    }
                }
                if path.contains('{') {
                    assert!(responses.get("404").is_some(), "{method} {path}");
                }
            }
        }
        assert_eq!(
            doc.pointer("/paths/~1api~1v1~1kpi~1{id}/get/parameters/0/schema/enum")
                .and_then(Value::as_array)
                .map(Vec::len),
            Some(metas_domain::kpi::CATALOGUE.len())
        );
    }
}
