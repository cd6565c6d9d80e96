//! The interactions behind a number, and the interaction-level export.

use jiff::civil::Date;
use metas_store::prelude::*;
use metas_store::{DimValue, DrillQuery};

use metas_domain::segment::SegmentExpr;

use crate::kpi::{find_kpi, parse_segment};
use crate::ServiceError;

#[derive(Debug, Clone, Default)]
pub struct DrillRequest {
    pub kpi: Option<String>,
    pub segment: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub limit: Option<u64>,
    /// A scope the request is narrowed to whatever it asks (a user's data).
    pub within: Option<SegmentExpr>,
}

/// The export's header.
pub fn columns() -> Vec<String> {
    metas_store::drill_columns()
}

/// Streams the matching interactions to `row`, in `columns()` order.
pub fn drill(
    store: &dyn Storage,
    req: &DrillRequest,
    mut row: impl FnMut(&[DimValue]) -> std::io::Result<()>,
) -> Result<(), ServiceError> {
    let kpi = req.kpi.as_deref().map(find_kpi).transpose()?;
    if let Some(k) = kpi {
        if k.id == "sla_attainment" {
            crate::sla::require_policies(store)?;
        }
        if k.id == "retention" {
            return Err(ServiceError::Input(format!(
                "{} is not measured on interactions, so there are none behind it",
                k.id
            )));
        }
    }
    let segment = SegmentExpr::both(req.within.clone(), parse_segment(req.segment.as_deref())?);
    let settings = store.settings()?;
    let q = DrillQuery {
        kpi,
        settings: &settings,
        segment: segment.as_ref(),
        from: req.from,
        to: req.to,
        limit: req.limit,
    };
    store.drill(&q, &mut row)?;
    Ok(())
}
