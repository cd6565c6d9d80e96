//! Settings and business calendars: checked here, kept by the store.

use metas_domain::calendar::CalendarSpec;
use metas_domain::settings::{KpiSettings, SettingDef, SETTINGS};
use metas_store::prelude::*;
use metas_store::ALWAYS_OPEN;
use serde::Serialize;

use crate::ServiceError;

/// One setting as `metas settings` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SettingView {
    pub key: &'static str,
    pub value: String,
    pub default: &'static str,
    pub description: &'static str,
}

/// The organisation's time zone, in which times are shown (a goal's
/// history): the default business calendar's, UTC when there is none (or
/// its zone is unknown).
pub fn time_zone(store: &dyn Storage) -> Result<jiff::tz::TimeZone, ServiceError> {
    let name = store.settings()?.default_calendar;
    if name.is_empty() || name == ALWAYS_OPEN {
        return Ok(jiff::tz::TimeZone::UTC);
    }
    Ok(store
        .calendar(&name)?
        .and_then(|c| jiff::tz::TimeZone::get(&c.time_zone).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC))
}

pub fn list_settings(store: &dyn Storage) -> Result<Vec<SettingView>, ServiceError> {
    let s = store.settings()?;
    Ok(SETTINGS
        .iter()
        .map(|d: &SettingDef| SettingView {
            key: d.key,
            value: s.get(d.key).unwrap_or_default(),
            default: d.default,
            description: d.description,
        })
        .collect())
}

/// Changes one setting after checking its value (and, for the default
/// calendar, that the calendar exists). Every figure follows.
pub fn set_setting(store: &mut dyn Storage, key: &str, value: &str) -> Result<(), ServiceError> {
    let mut s: KpiSettings = store.settings()?;
    s.set(key, value)
        .map_err(|e| ServiceError::Input(e.to_string()))?;
    if key == "calendar.default" && value != ALWAYS_OPEN && store.calendar(value)?.is_none() {
        let known = store.calendar_names()?;
        return Err(ServiceError::Input(format!(
            "no calendar named '{value}'; define it with `metas calendar set {value} FILE.toml`{}",
            if known.is_empty() {
                String::new()
            } else {
                format!(" (defined: {})", known.join(", "))
            }
        )));
    }
    let canonical = s.get(key).expect("a key that was just set");
    store.put_setting(key, Some(&canonical))?;
    Ok(())
}

pub fn reset_setting(store: &mut dyn Storage, key: &str) -> Result<(), ServiceError> {
    if !SETTINGS.iter().any(|d| d.key == key) {
        return Err(ServiceError::Input(
            metas_domain::settings::SettingError::Unknown(key.to_string()).to_string(),
        ));
    }
    store.put_setting(key, None)?;
    Ok(())
}

/// Reads a calendar definition (TOML) and the iCalendar file it names.
/// `read` reads a path relative to the TOML file; errors name the file.
pub fn parse_calendar(
    toml_text: &str,
    file_label: &str,
    read: impl Fn(&str) -> Result<String, String>,
) -> Result<CalendarSpec, ServiceError> {
    metas_domain::calendar::parse_calendar_file(toml_text, file_label, read)
        .map_err(ServiceError::Input)
}

pub fn set_calendar(
    store: &mut dyn Storage,
    name: &str,
    spec: &CalendarSpec,
) -> Result<(), ServiceError> {
    if name == ALWAYS_OPEN {
        return Err(ServiceError::Input(format!(
            "'{ALWAYS_OPEN}' is the built-in always-open calendar; choose another name"
        )));
    }
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.".contains(c))
    {
        return Err(ServiceError::Input(format!(
            "calendar name '{name}': use letters, digits, '-', '_' or '.'"
        )));
    }
    store.put_calendar(name, spec)?;
    Ok(())
}
