//! KPI settings and business calendars, kept in the database so every user
//! and every process computes the same figures.

use duckdb::params;
use metas_domain::calendar::CalendarSpec;
use metas_domain::settings::KpiSettings;

use crate::derive::BusinessClock;
use crate::storage::ConfigStore;
use crate::{Doing, Result, Store, StoreError};

/// The name of the always-open calendar, which needs no definition.
pub const ALWAYS_OPEN: &str = "24x7";

pub(crate) fn load_settings(conn: &duckdb::Connection) -> Result<KpiSettings> {
    let mut s = KpiSettings::default();
    let mut stmt = conn
        .prepare("SELECT key, value FROM settings ORDER BY key")
        .doing("reading settings")?;
    let mut rows = stmt.query([]).doing("reading settings")?;
    while let Some(r) = rows.next().doing("reading settings")? {
        let key: String = r.get(0).doing("reading settings")?;
        let value: String = r.get(1).doing("reading settings")?;
        // Written through `set_setting`, so valid; a value a newer metas
        // wrote and this one does not know keeps the default.
        if let Err(e) = s.set(&key, &value) {
            tracing::warn!(%key, %value, error = %e, "stored setting ignored");
        }
    }
    Ok(s)
}

pub(crate) fn load_calendar(conn: &duckdb::Connection, name: &str) -> Result<Option<CalendarSpec>> {
    let mut stmt = conn
        .prepare("SELECT definition FROM calendars WHERE name = ?")
        .doing("reading a calendar")?;
    let mut rows = stmt.query([name]).doing("reading a calendar")?;
    match rows.next().doing("reading a calendar")? {
        None => Ok(None),
        Some(r) => {
            let text: String = r.get(0).doing("reading a calendar")?;
            serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| StoreError::Corrupt(format!("calendar {name}: {e}")))
        }
    }
}

/// The clock business time runs on, from the default calendar.
pub(crate) fn business_clock(conn: &duckdb::Connection) -> Result<Option<BusinessClock>> {
    let settings = load_settings(conn)?;
    if settings.default_calendar == ALWAYS_OPEN {
        return Ok(None);
    }
    let spec = load_calendar(conn, &settings.default_calendar)?.ok_or_else(|| {
        StoreError::Corrupt(format!(
            "the default calendar '{}' is not defined",
            settings.default_calendar
        ))
    })?;
    let calendar = spec
        .to_calendar()
        .map_err(|e| StoreError::Corrupt(format!("calendar {}: {e}", settings.default_calendar)))?;
    Ok(Some(BusinessClock {
        calendar,
        pausing_statuses: spec.pausing_statuses,
    }))
}

impl ConfigStore for Store {
    fn settings(&self) -> Result<KpiSettings> {
        load_settings(&self.conn)
    }

    fn put_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        let tx = self.write(crate::write::Reach::All, "saving a setting")?;
        tx.execute("DELETE FROM settings WHERE key = ?", [key])
            .doing("saving a setting")?;
        if let Some(v) = value {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)",
                params![key, v],
            )
            .doing("saving a setting")?;
        }
        if key == "calendar.default" {
            let clock = business_clock(&tx)?;
            crate::derive::refresh(&tx, None, clock.as_ref())?;
        }
        tx.commit()
    }

    fn put_calendar(&mut self, name: &str, spec: &CalendarSpec) -> Result<()> {
        let json = serde_json::to_string(spec).expect("a calendar serialises");
        let tx = self.write(crate::write::Reach::All, "saving a calendar")?;
        tx.execute("DELETE FROM calendars WHERE name = ?", [name])
            .doing("saving a calendar")?;
        tx.execute(
            "INSERT INTO calendars (name, definition) VALUES (?, ?)",
            params![name, json],
        )
        .doing("saving a calendar")?;
        if load_settings(&tx)?.default_calendar == name {
            let clock = business_clock(&tx)?;
            crate::derive::refresh(&tx, None, clock.as_ref())?;
        }
        // Policies that count on this calendar: their judgements follow it.
        let counted_on = crate::sla::active_policies(&tx)?
            .iter()
            .any(|(_, p)| matches!(p.clock(), metas_domain::sla::Clock::Business(c) if c == name));
        if counted_on {
            crate::sla::judge_interactions(&tx, None, jiff::Timestamp::now())?;
        }
        tx.commit()
    }

    fn calendar(&self, name: &str) -> Result<Option<CalendarSpec>> {
        load_calendar(&self.conn, name)
    }

    fn calendar_names(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM calendars ORDER BY name")
            .doing("listing calendars")?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .doing("listing calendars")?
            .collect::<std::result::Result<Vec<_>, _>>()
            .doing("listing calendars")?;
        Ok(names)
    }
}
