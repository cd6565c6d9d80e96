//! The demo organisation's indicator definitions: who owns which figure and
//! the standard it is held to, so that a new user's board says met and not
//! met from the first run (docs/indicators.md). Figures the demo leaves
//! without an owner or a standard show how the board reads then.

use jiff::civil::Date;
use jiff::Timestamp;
use metas_domain::indicator::DefinitionChange;
use metas_store::prelude::*;

use crate::ServiceError;

/// Who wrote the demo's definitions (as in the indicators' history).
const AUTHOR: &str = "demo";

/// (KPI, owner, standard): the standard in the KPI's unit, as a user writes it.
const DEFINITIONS: [(&str, &str, &str); 10] = [
    ("frt", "Front Line", "at most 2h"),
    ("asa", "Front Line", "at most 30s"),
    ("abandon_rate", "Front Line", "at most 8%"),
    ("service_level", "Front Line", "at least 80%"),
    ("fcr", "Technical", "at least 80%"),
    ("resolution_time", "Technical", "at most 8h"),
    ("qa_score", "Quality team", "at least 70"),
    ("csat", "Customer care", "at least 80%"),
    ("nps", "Customer care", "at least 0"),
    ("repeat_contact_rate", "Billing & Returns", "at most 15%"),
];

/// Saves the demo's definitions, each as a new version by "demo".
pub fn generate(
    store: &mut dyn Storage,
    now: Timestamp,
    as_of: Date,
) -> Result<usize, ServiceError> {
    for (kpi, owner, standard) in DEFINITIONS {
        let change = DefinitionChange {
            owner: Some(owner.to_string()),
            standard: Some(standard.to_string()),
            ..DefinitionChange::default()
        };
        crate::indicators::save(store, kpi, &change, AUTHOR, now, as_of)?;
    }
    Ok(DEFINITIONS.len())
}
