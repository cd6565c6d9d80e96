//! The stages of a request a time objective can be set for.

use serde::Serialize;

/// One stage of a request, each with its own clock: what starts it and what
/// stops it (the store builds the clocks; see [`super::StageClock`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Created → first agent response (the contact is acknowledged).
    Acknowledge,
    /// Each customer message → the agent reply that follows it.
    NextResponse,
    /// Created → triaged: the first assignment, or the first entry into the
    /// status the policy names.
    ProblemDefined,
    /// Created → first resolution.
    FirstResolution,
    /// Created → final resolution.
    Resolution,
    /// Resolved → the customer confirms.
    Confirmation,
    /// Created → closed.
    Completion,
    /// A call enters the queue → it is answered (speed of answer).
    QueueWait,
    /// An automated contact (bot, IVR, self-service) starts → it reaches a
    /// person (R-LIVE-PERSON).
    LivePerson,
}

impl Stage {
    pub const ALL: &'static [Stage] = &[
        Stage::Acknowledge,
        Stage::NextResponse,
        Stage::ProblemDefined,
        Stage::FirstResolution,
        Stage::Resolution,
        Stage::Confirmation,
        Stage::Completion,
        Stage::QueueWait,
        Stage::LivePerson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Acknowledge => "acknowledge",
            Stage::NextResponse => "next_response",
            Stage::ProblemDefined => "problem_defined",
            Stage::FirstResolution => "first_resolution",
            Stage::Resolution => "resolution",
            Stage::Confirmation => "confirmation",
            Stage::Completion => "completion",
            Stage::QueueWait => "queue_wait",
            Stage::LivePerson => "live_person",
        }
    }

    /// The stage a name denotes (`first_response` is `acknowledge`, as
    /// helpdesks call it).
    pub fn parse(name: &str) -> Result<Stage, String> {
        let n = name.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let alias = match n.as_str() {
            "first_response" | "acknowledgement" | "acknowledgment" => "acknowledge",
            "triage" | "triaged" => "problem_defined",
            "final_resolution" => "resolution",
            "close" | "closed" => "completion",
            "speed_of_answer" | "answer" => "queue_wait",
            "person_reached" => "live_person",
            other => other,
        };
        Stage::ALL
            .iter()
            .copied()
            .find(|s| s.as_str() == alias)
            .ok_or_else(|| {
                format!(
                    "unknown stage '{name}'; the stages are {}",
                    Stage::ALL
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_parses_from_its_name_and_helpdesk_aliases() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Ok(*s));
        }
        for (alias, stage) in [
            ("First response", Stage::Acknowledge),
            ("first-response", Stage::Acknowledge),
            ("triage", Stage::ProblemDefined),
            ("final resolution", Stage::Resolution),
            ("speed_of_answer", Stage::QueueWait),
        ] {
            assert_eq!(Stage::parse(alias), Ok(stage), "{alias}");
        }
        let e = Stage::parse("lunch").unwrap_err();
        assert!(
            e.contains("unknown stage 'lunch'") && e.contains("queue_wait"),
            "{e}"
        );
    }
}
