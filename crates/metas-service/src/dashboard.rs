//! The dashboard: a few KPIs over the last days against the period before,
//! their weekly values, and the filters' choices — for one user's scope.
//!
//! Figures are kept per scope, filter and day until the store's data version
//! changes (an import, a setting, a calendar): no stale numbers, and a
//! dashboard opened by sixteen people costs one computation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use jiff::ToSpan;
use metas_domain::kpi::{Grain, Stat, TimeBasis};
use metas_domain::segment::{Dimension, Field, SegmentExpr};
use metas_store::prelude::*;

use crate::kpi::{answer_many, find_kpi, KpiAnswer, ParsedRequest};
use crate::ServiceError;

/// The KPIs the dashboard shows, in order.
pub const TILES: &[&str] = &["volume", "csat", "nps", "fcr", "frt", "aht"];
/// The periods a user can pick, in days.
pub const DAY_CHOICES: [i64; 4] = [7, 30, 90, 365];
/// The period shown when none (or one not offered) is asked for.
pub const DEFAULT_DAYS: i64 = 30;
/// Entries kept before the cache is emptied (one per scope, filter and
/// day: old days are not worth keeping).
const MAX_CACHED: usize = 1000;

/// What a user asks the dashboard.
#[derive(Debug, Clone)]
pub struct DashboardRequest {
    /// The last day shown.
    pub today: Date,
    /// How many days up to today (one of [`DAY_CHOICES`]).
    pub days: i64,
    /// The filters and segment, already narrowed to the user's scope.
    pub scope: Option<SegmentExpr>,
    /// The user's scope alone (the filters' choices come from it).
    pub user_scope: Option<SegmentExpr>,
}

impl DashboardRequest {
    /// `days` if it is one of the choices, else the default.
    pub fn days(asked: Option<i64>) -> i64 {
        asked
            .filter(|d| DAY_CHOICES.contains(d))
            .unwrap_or(DEFAULT_DAYS)
    }
}

/// The dashboard's figures for one scope, filter and day.
pub struct DashboardData {
    /// The first day shown.
    pub from: Date,
    /// One answer per tile, compared with the period before.
    pub now: Vec<KpiAnswer>,
    /// One answer per tile, by week (the sparklines).
    pub weekly: Vec<KpiAnswer>,
    /// The channels and teams in the user's data (the filters' choices).
    pub channels: Vec<String>,
    pub teams: Vec<String>,
}

/// Dashboard figures kept until the data changes.
#[derive(Default)]
pub struct DashboardCache {
    entries: Mutex<HashMap<String, (String, Arc<DashboardData>)>>,
}

impl DashboardCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, Arc<DashboardData>)>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The dashboard for a request: from the cache when the data has not changed
/// since it was computed, else computed and kept.
pub fn dashboard(
    store: &dyn Storage,
    cache: &DashboardCache,
    req: &DashboardRequest,
) -> Result<Arc<DashboardData>, ServiceError> {
    let key = format!("{:?}|{}|{}", req.scope, req.today, req.days);
    let version = store.data_version()?;
    if let Some((v, data)) = cache.lock().get(&key) {
        if *v == version {
            return Ok(data.clone());
        }
    }
    let data = Arc::new(compute(store, req)?);
    let mut entries = cache.lock();
    if entries.len() > MAX_CACHED {
        entries.clear();
    }
    entries.insert(key, (version, data.clone()));
    Ok(data)
}

fn compute(store: &dyn Storage, req: &DashboardRequest) -> Result<DashboardData, ServiceError> {
    let days_before = |n: i64| {
        req.today
            .checked_sub((n - 1).days())
            .map_err(|e| ServiceError::Input(e.to_string()))
    };
    let from = days_before(req.days)?;
    // Sparklines show at least twelve weeks, whatever the period, from a
    // Monday: a first week cut short would look like a dip (the last one,
    // holding today, the page marks as partial).
    let twelve_weeks = days_before(req.days.max(84))?;
    let weeks_from = twelve_weeks
        .checked_sub(i64::from(twelve_weeks.weekday().to_monday_zero_offset()).days())
        .map_err(|e| ServiceError::Input(e.to_string()))?;
    let mut now = Vec::new();
    let mut weekly = Vec::new();
    for id in TILES {
        let base = ParsedRequest {
            kpi: find_kpi(id)?,
            by: vec![],
            grain: None,
            from: Some(from),
            to: Some(req.today),
            segment: req.scope.clone(),
            stat: Stat::Mean,
            time: TimeBasis::Calendar,
            compare: true,
        };
        weekly.push(ParsedRequest {
            grain: Some(Grain::Week),
            from: Some(weeks_from),
            compare: false,
            ..base.clone()
        });
        now.push(base);
    }
    let mut choices = [Dimension::Channel, Dimension::Team]
        .into_iter()
        .map(|dim| names_in(store, dim, &req.user_scope));
    let channels = choices.next().unwrap_or(Ok(vec![]))?;
    let teams = choices.next().unwrap_or(Ok(vec![]))?;
    Ok(DashboardData {
        from,
        now: answer_many(store, &now)?,
        weekly: answer_many(store, &weekly)?,
        channels,
        teams,
    })
}

/// The values of a dimension in a scope's data (one request each: answers
/// given together must share their grouping).
fn names_in(
    store: &dyn Storage,
    dim: Dimension,
    scope: &Option<SegmentExpr>,
) -> Result<Vec<String>, ServiceError> {
    let request = ParsedRequest {
        kpi: find_kpi("volume")?,
        by: vec![Field::Dimension(dim)],
        grain: None,
        from: None,
        to: None,
        segment: scope.clone(),
        stat: Stat::Mean,
        time: TimeBasis::Calendar,
        compare: false,
    };
    let answers = answer_many(store, std::slice::from_ref(&request))?;
    Ok(answers
        .into_iter()
        .flat_map(|a| a.rows)
        .filter_map(|r| r.dims.first().and_then(|(_, v)| v.as_text()))
        .collect())
}
