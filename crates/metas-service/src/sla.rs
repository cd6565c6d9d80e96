//! Time objectives: saving, listing and retiring policies, and the stages
//! breached or at risk. The CLI and the server call these; the rules are
//! `metas_domain::sla`, the judging is the store's.

use jiff::Timestamp;
use metas_domain::segment::SegmentExpr;
use metas_domain::sla::{Clock, Policy, PolicySpec};
use metas_store::prelude::*;
use metas_store::{JudgeCounts, PolicyRow, StageFilter, StageRow};

use crate::ServiceError;

/// Reads a policy file (TOML) and checks it: one sentence naming the file,
/// the line and the field when something is wrong.
pub fn parse_policy(name: &str, toml_text: &str, file_label: &str) -> Result<Policy, ServiceError> {
    metas_domain::sla::parse_policy_file(name, toml_text, file_label).map_err(ServiceError::Input)
}

/// A policy as the TOML file that would set it again.
pub fn policy_text(spec: &PolicySpec) -> String {
    toml::to_string(spec).unwrap_or_else(|e| format!("# cannot be written as TOML: {e}"))
}

/// Saves a new version of a policy and judges every interaction under the
/// policies now in force. The calendar it names must exist.
pub fn save_policy(
    store: &mut dyn Storage,
    policy: &Policy,
    who: &str,
    now: Timestamp,
) -> Result<(i64, JudgeCounts), ServiceError> {
    let (versions, counts) = save_policies(store, std::slice::from_ref(policy), who, now)?;
    Ok((versions[0], counts))
}

/// Saves a set of policies (each a new version) and judges every
/// interaction once: how the demo and a policy set arrive.
pub fn save_policies(
    store: &mut dyn Storage,
    policies: &[Policy],
    who: &str,
    now: Timestamp,
) -> Result<(Vec<i64>, JudgeCounts), ServiceError> {
    for policy in policies {
        if let Clock::Business(name) = policy.clock() {
            if store.calendar(name)?.is_none() {
                return Err(ServiceError::Input(format!(
                    "policy {} counts on the calendar '{name}', which does not exist; define it with `metas calendar set {name} FILE.toml`",
                    policy.name()
                )));
            }
        }
    }
    Ok(store.save_policies(policies, who, now)?)
}

/// Retires a policy (its versions stay in the history) and judges again.
pub fn delete_policy(
    store: &mut dyn Storage,
    name: &str,
    now: Timestamp,
) -> Result<JudgeCounts, ServiceError> {
    store
        .retire_policy(name, now)?
        .ok_or_else(|| ServiceError::NotFound(format!("no time-objective policy named '{name}'")))
}

pub fn policies(store: &dyn Storage) -> Result<Vec<PolicyRow>, ServiceError> {
    Ok(store.policies()?)
}

/// Every version of a policy, oldest first; the last one is in force unless
/// it was retired.
pub fn policy_history(store: &dyn Storage, name: &str) -> Result<Vec<PolicyRow>, ServiceError> {
    let rows = store.policy_versions(name)?;
    if rows.is_empty() {
        return Err(ServiceError::NotFound(format!(
            "no time-objective policy named '{name}'"
        )));
    }
    Ok(rows)
}

/// Refuses a question about time objectives when none is defined, saying
/// how to define one (a figure over no policy would read as 0 % or 100 %).
pub fn require_policies(store: &dyn Storage) -> Result<(), ServiceError> {
    if store.policies()?.is_empty() {
        return Err(ServiceError::Input(
            "sla_attainment needs a time-objective policy, and none is defined; define one with `metas sla policy set NAME FILE.toml` (docs/sla.md)".into(),
        ));
    }
    Ok(())
}

/// The stages breached, or at risk, as of `as_of`, within a segment
/// (`where_text`, the user's scope already joined to it by the caller).
pub fn stages(
    store: &dyn Storage,
    wanted: StageFilter,
    as_of: Timestamp,
    segment: Option<&SegmentExpr>,
    limit: usize,
) -> Result<Vec<StageRow>, ServiceError> {
    require_policies(store)?;
    Ok(store.sla_stages(wanted, as_of, segment, limit)?)
}

/// The moment a list of breaches or stages at risk is read at: an instant
/// (`2026-03-02T10:00:00Z`), a date (its first instant, UTC), or `now` when
/// none is given. Every adapter reads `as_of` here.
pub fn parse_as_of(raw: Option<&str>, now: Timestamp) -> Result<Timestamp, ServiceError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(now);
    };
    if let Ok(t) = raw.parse::<Timestamp>() {
        return Ok(t);
    }
    // A browser's datetime-local field: a civil instant, taken as UTC.
    if let Ok(dt) = raw.parse::<jiff::civil::DateTime>() {
        if let Ok(z) = dt.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(z.timestamp());
        }
    }
    raw.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| {
            ServiceError::Input(format!(
                "as_of '{raw}' is not an instant (2026-03-02T10:00:00Z) or a date (2026-03-02)"
            ))
        })
}

/// The columns of a list of stages as CSV, as `metas sla breaches --format
/// csv` writes them.
pub const STAGE_CSV_COLUMNS: [&str; 15] = [
    "external_id",
    "source",
    "channel",
    "agent",
    "team",
    "priority",
    "policy",
    "policy_version",
    "stage",
    "state",
    "started_at",
    "stopped_at",
    "due_at",
    "elapsed_secs",
    "target_secs",
];

/// A list of stages as CSV records, the header first (values as machines
/// read them: instants in RFC 3339, durations in seconds).
pub fn stage_csv(rows: &[StageRow]) -> Vec<Vec<String>> {
    let at = |t: Option<Timestamp>| t.map(|t| t.to_string()).unwrap_or_default();
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let mut out = vec![STAGE_CSV_COLUMNS.iter().map(|c| c.to_string()).collect()];
    out.extend(rows.iter().map(|r| {
        vec![
            r.external_id.clone(),
            r.source.clone(),
            text(&r.channel),
            text(&r.agent),
            text(&r.team),
            text(&r.priority),
            r.policy.clone(),
            r.policy_version.to_string(),
            r.stage.clone(),
            r.state.clone(),
            at(r.started_at),
            at(r.stopped_at),
            at(r.due_at),
            r.elapsed_secs.map(|v| v.to_string()).unwrap_or_default(),
            r.target_secs.to_string(),
        ]
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_policy_file_names_its_line_and_field() {
        let text = "order = 1\nwarning = \"80%\"\n\n[targets]\nacknowledge = \"60s\"\nresolution = \"8\"\n";
        let e = parse_policy("P", text, "p.toml").unwrap_err().to_string();
        assert_eq!(
            e,
            "p.toml line 6: targets.resolution: '8' has no unit; write s, m, h or d after the number (60s, 15m, 4h)"
        );
        let e = parse_policy("P", "order = \"first\"\n", "p.toml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p.toml line 1: "), "{e}");
        let e = parse_policy(
            "P",
            "colour = 1\n[targets]\nacknowledge = \"1m\"\n",
            "p.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("p.toml line 1: ") && e.contains("colour"),
            "{e}"
        );
    }

    #[test]
    fn as_of_is_an_instant_a_date_or_now() {
        let now: Timestamp = "2026-07-01T08:00:00Z".parse().unwrap();
        for (raw, want) in [
            (None, "2026-07-01T08:00:00Z"),
            (Some(""), "2026-07-01T08:00:00Z"),
            (Some("2026-03-02T10:00:00Z"), "2026-03-02T10:00:00Z"),
            (Some("2026-03-02T11:00:00+01:00"), "2026-03-02T10:00:00Z"),
            (Some("2026-03-02T10:00"), "2026-03-02T10:00:00Z"),
            (Some("2026-03-02"), "2026-03-02T00:00:00Z"),
        ] {
            let got = parse_as_of(raw, now).unwrap();
            assert_eq!(got, want.parse::<Timestamp>().unwrap(), "{raw:?}");
        }
        let e = parse_as_of(Some("yesterday"), now).unwrap_err().to_string();
        assert!(e.contains("'yesterday'"), "{e}");
    }
}

/// The calendar and policies in `examples/sla/`: the demo organisation's
/// time objectives, and a starting point for a new user.
pub const EXAMPLE_CALENDAR: (&str, &str) = (
    "email-desk",
    include_str!("../../../examples/sla/email-desk.toml"),
);

/// (name, TOML) of each example policy, in the order they are tried.
pub const EXAMPLE_POLICIES: &[(&str, &str)] = &[
    ("Urgent", include_str!("../../../examples/sla/urgent.toml")),
    ("Chat", include_str!("../../../examples/sla/chat.toml")),
    ("E-mail", include_str!("../../../examples/sla/email.toml")),
    ("Phone", include_str!("../../../examples/sla/phone.toml")),
    (
        "Self-service",
        include_str!("../../../examples/sla/self-service.toml"),
    ),
    ("Social", include_str!("../../../examples/sla/social.toml")),
];

/// Defines the example calendar and policies and judges every interaction
/// once.
pub fn install_examples(
    store: &mut dyn Storage,
    who: &str,
    now: Timestamp,
) -> Result<JudgeCounts, ServiceError> {
    let (name, text) = EXAMPLE_CALENDAR;
    let calendar = crate::config::parse_calendar(text, name, |_| {
        Err("the example calendar names no iCalendar file".into())
    })?;
    crate::config::set_calendar(store, name, &calendar)?;
    let policies = EXAMPLE_POLICIES
        .iter()
        .map(|(name, text)| parse_policy(name, text, name))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(save_policies(store, &policies, who, now)?.1)
}

#[cfg(test)]
mod example_tests {
    use super::*;

    #[test]
    fn the_example_policies_are_valid_and_tried_in_their_order() {
        let orders: Vec<i64> = EXAMPLE_POLICIES
            .iter()
            .map(|(name, text)| parse_policy(name, text, name).unwrap().order())
            .collect();
        assert_eq!(orders, [1, 2, 3, 4, 5, 6]);
        let (name, text) = EXAMPLE_CALENDAR;
        crate::config::parse_calendar(text, name, |_| Err(String::new())).unwrap();
    }
}
