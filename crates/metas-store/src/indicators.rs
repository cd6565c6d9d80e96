//! The organisation's indicator definitions (R-INDICATORS, docs/indicators.md):
//! every change is kept as a new version of the KPI's row, with who made it
//! and when; the highest version is the one in force.

use duckdb::params;
use jiff::Timestamp;
use serde::Serialize;

use crate::sessions::{ts_read, ts_value};
use crate::storage::IndicatorStore;
use crate::{Doing, Result, Store};

/// One version of an indicator's definition as stored (the service parses
/// it back into a domain `IndicatorDefinition`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub kpi: String,
    /// 1 for the first change; set by the store on save.
    pub version: i64,
    /// A `JourneyStage`'s canonical spelling.
    pub stage: String,
    /// daily, weekly, monthly or quarterly.
    pub frequency: String,
    pub owner: Option<String>,
    /// The standard in the KPI's unit and its side (at_least, at_most).
    pub standard: Option<(f64, String)>,
    pub note: Option<String>,
    pub changed_by: String,
    pub changed_at: Timestamp,
}

const COLUMNS: &str = "kpi, version, stage, frequency, owner, standard_value, standard_direction,
    note, changed_by, changed_at";

impl Store {
    fn select_indicators(&self, filter: &str, param: Option<&str>) -> Result<Vec<IndicatorRow>> {
        const DOING: &str = "reading indicator definitions";
        let sql = format!(
            "SELECT {COLUMNS} FROM indicator_definitions d WHERE {filter} ORDER BY kpi, version"
        );
        let mut stmt = self.conn.prepare(&sql).doing(DOING)?;
        let mut rows = match param {
            Some(p) => stmt.query([p]),
            None => stmt.query([]),
        }
        .doing(DOING)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(DOING)? {
            let value: Option<f64> = r.get(5).doing(DOING)?;
            let direction: Option<String> = r.get(6).doing(DOING)?;
            out.push(IndicatorRow {
                kpi: r.get(0).doing(DOING)?,
                version: r.get(1).doing(DOING)?,
                stage: r.get(2).doing(DOING)?,
                frequency: r.get(3).doing(DOING)?,
                owner: r.get(4).doing(DOING)?,
                standard: value.zip(direction),
                note: r.get(7).doing(DOING)?,
                changed_by: r.get(8).doing(DOING)?,
                changed_at: ts_read(r.get_ref(9).doing(DOING)?)?,
            });
        }
        Ok(out)
    }
}

impl IndicatorStore for Store {
    fn save_indicator(&mut self, row: &IndicatorRow) -> Result<i64> {
        const DOING: &str = "saving an indicator definition";
        let tx = self.write(crate::write::Reach::Small, DOING)?;
        let version: i64 = tx
            .query_row(
                "SELECT coalesce(max(version), 0) + 1 FROM indicator_definitions WHERE kpi = ?",
                [&row.kpi],
                |r| r.get(0),
            )
            .doing(DOING)?;
        let (value, direction) = match &row.standard {
            Some((v, d)) => (Some(*v), Some(d.as_str())),
            None => (None, None),
        };
        tx.execute(
            &format!("INSERT INTO indicator_definitions ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            params![
                row.kpi,
                version,
                row.stage,
                row.frequency,
                row.owner,
                value,
                direction,
                row.note,
                row.changed_by,
                ts_value(row.changed_at),
            ],
        )
        .doing(DOING)?;
        tx.commit()?;
        Ok(version)
    }

    fn indicators(&self) -> Result<Vec<IndicatorRow>> {
        self.select_indicators(
            "version = (SELECT max(version) FROM indicator_definitions l WHERE l.kpi = d.kpi)",
            None,
        )
    }

    fn indicator_history(&self, kpi: &str) -> Result<Vec<IndicatorRow>> {
        self.select_indicators("kpi = ?", Some(kpi))
    }
}
