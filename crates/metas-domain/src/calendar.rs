//! Business calendars (docs/product.md §5): a time zone, weekly opening windows (several
//! a day for split shifts), holidays and date overrides. Business-time
//! durations count only open time; pauses (e.g. "waiting on customer") can be
//! taken out. All local times go through the time zone, so DST days have the
//! length they really have.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// An opening window in local time. A window whose close is not after its
/// open runs past midnight into the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub open: Time,
    pub close: Time,
}

impl Window {
    pub fn new(open: Time, close: Time) -> Window {
        Window { open, close }
    }

    /// Parses `09:00-13:00`.
    pub fn parse(s: &str) -> Result<Window, String> {
        let (a, b) = s
            .split_once('-')
            .ok_or_else(|| format!("'{s}' is not a window of the form HH:MM-HH:MM"))?;
        let t = |x: &str| -> Result<Time, String> {
            let x = x.trim();
            let (h, m) = x
                .split_once(':')
                .ok_or_else(|| format!("'{x}' is not a time of the form HH:MM"))?;
            let h: i8 = h
                .parse()
                .map_err(|_| format!("'{x}' is not a time of the form HH:MM"))?;
            let m: i8 = m
                .parse()
                .map_err(|_| format!("'{x}' is not a time of the form HH:MM"))?;
            if h == 24 && m == 0 {
                return Ok(Time::MAX);
            }
            Time::new(h, m, 0, 0).map_err(|_| format!("'{x}' is not a time of day"))
        };
        Ok(Window::new(t(a)?, t(b)?))
    }
}

/// A business calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: TimeZone,
    /// Monday first.
    weekly: [Vec<Window>; 7],
    holidays: BTreeSet<Date>,
    overrides: BTreeMap<Date, Vec<Window>>,
}

fn weekday_index(w: Weekday) -> usize {
    w.to_monday_zero_offset() as usize
}

impl Calendar {
    /// A calendar that is always open (business time = calendar time).
    pub fn always_open() -> Calendar {
        let all = vec![Window::new(Time::midnight(), Time::midnight())];
        Calendar {
            tz: TimeZone::UTC,
            weekly: std::array::from_fn(|_| all.clone()),
            holidays: BTreeSet::new(),
            overrides: BTreeMap::new(),
        }
    }

    pub fn new(tz: TimeZone) -> Calendar {
        Calendar {
            tz,
            weekly: std::array::from_fn(|_| Vec::new()),
            holidays: BTreeSet::new(),
            overrides: BTreeMap::new(),
        }
    }

    pub fn with_windows(mut self, day: Weekday, windows: Vec<Window>) -> Calendar {
        self.weekly[weekday_index(day)] = windows;
        self
    }

    pub fn with_holiday(mut self, date: Date) -> Calendar {
        self.holidays.insert(date);
        self
    }

    /// Replaces the windows of one date (an empty list closes it).
    pub fn with_override(mut self, date: Date, windows: Vec<Window>) -> Calendar {
        self.overrides.insert(date, windows);
        self
    }

    /// Open around the clock every day (each day has a 24-hour window), with
    /// no holiday or override: business time is calendar time.
    pub fn is_always_open(&self) -> bool {
        self.holidays.is_empty()
            && self.overrides.is_empty()
            && self
                .weekly
                .iter()
                .all(|day| day.iter().any(|w| w.open == w.close))
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    fn windows_on(&self, date: Date) -> &[Window] {
        if let Some(w) = self.overrides.get(&date) {
            return w;
        }
        if self.holidays.contains(&date) {
            return &[];
        }
        &self.weekly[weekday_index(date.weekday())]
    }

    fn at(&self, date: Date, time: Time) -> Timestamp {
        self.tz
            .to_ambiguous_timestamp(date.to_datetime(time))
            .compatible()
            .unwrap_or(Timestamp::MAX)
    }

    /// The open intervals of one local date, as instants.
    fn open_intervals(&self, date: Date) -> impl Iterator<Item = (Timestamp, Timestamp)> + '_ {
        self.windows_on(date).iter().map(move |w| {
            let open = self.at(date, w.open);
            let close = if w.close == Time::MAX {
                self.at(date.tomorrow().unwrap_or(date), Time::midnight())
            } else if w.close <= w.open {
                self.at(date.tomorrow().unwrap_or(date), w.close)
            } else {
                self.at(date, w.close)
            };
            (open, close)
        })
    }

    /// Open seconds between two instants (0 when `end` is not after `start`).
    ///
    /// Windows may overlap: shift rotas do (`09:00-13:00` and `12:00-18:00`),
    /// a window past midnight runs into the next day's, and a date override
    /// can meet the previous day's night shift. The open intervals are merged
    /// as instants before they are counted, so an instant open twice is one
    /// second of business time and business time never exceeds calendar
    /// time. Merging here rather than in the weekly table also covers
    /// overrides, holidays and DST, which the table cannot see.
    pub fn open_secs(&self, start: Timestamp, end: Timestamp) -> f64 {
        self.open_spans(start, end)
            .iter()
            .map(|(a, b)| b.duration_since(*a).as_secs_f64())
            .sum()
    }

    /// The open stretches between two instants, merged and in order (see
    /// [`Calendar::open_secs`] for why windows are merged as instants).
    fn open_spans(&self, start: Timestamp, end: Timestamp) -> Vec<(Timestamp, Timestamp)> {
        if end <= start {
            return Vec::new();
        }
        // Most time objectives count calendar time: no day to walk.
        if self.is_always_open() {
            return vec![(start, end)];
        }
        // A window may start the day before (past midnight), so look one day back.
        let first = start
            .to_zoned(self.tz.clone())
            .date()
            .yesterday()
            .unwrap_or(Date::MIN);
        let last = end.to_zoned(self.tz.clone()).date();
        let mut spans: Vec<(Timestamp, Timestamp)> = Vec::new();
        let mut day = first;
        while day <= last {
            for (open, close) in self.open_intervals(day) {
                let a = open.max(start);
                let b = close.min(end);
                if b > a {
                    spans.push((a, b));
                }
            }
            match day.tomorrow() {
                Ok(d) => day = d,
                Err(_) => break,
            }
        }
        merge(spans)
    }

    /// The instant at which `secs` of open time, not counting `pauses`,
    /// have passed since `start`: when a business-time clock started at
    /// `start` reaches `secs`. `None` when the calendar does not open that
    /// much within ten years (a calendar with no windows).
    pub fn instant_after_open_secs(
        &self,
        start: Timestamp,
        secs: f64,
        pauses: &[(Timestamp, Timestamp)],
    ) -> Option<Timestamp> {
        let pauses = merge(pauses.to_vec());
        let mut remaining = secs.max(0.0);
        let mut from = start;
        // A week at a time: enough to cross any weekend in one step.
        let week = jiff::SignedDuration::from_hours(24 * 7);
        for _ in 0..(52 * 10) {
            let to = from.checked_add(week).ok()?;
            for (a, b) in subtract(self.open_spans(from, to), &pauses) {
                let len = b.duration_since(a).as_secs_f64();
                if len >= remaining {
                    let step = jiff::SignedDuration::try_from_secs_f64(remaining).ok()?;
                    return a.checked_add(step).ok();
                }
                remaining -= len;
            }
            from = to;
        }
        None
    }

    /// Open seconds between two instants, leaving out paused intervals
    /// (which may overlap each other and the edges).
    pub fn open_secs_excluding(
        &self,
        start: Timestamp,
        end: Timestamp,
        pauses: &[(Timestamp, Timestamp)],
    ) -> f64 {
        subtract(self.open_spans(start, end), &merge(pauses.to_vec()))
            .iter()
            .map(|(a, b)| b.duration_since(*a).as_secs_f64())
            .sum()
    }
}

/// Intervals merged where they overlap or touch, in order.
fn merge(mut spans: Vec<(Timestamp, Timestamp)>) -> Vec<(Timestamp, Timestamp)> {
    spans.retain(|(a, b)| b > a);
    spans.sort();
    let mut merged: Vec<(Timestamp, Timestamp)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// `spans` with the (merged, ordered) `holes` cut out.
fn subtract(
    spans: Vec<(Timestamp, Timestamp)>,
    holes: &[(Timestamp, Timestamp)],
) -> Vec<(Timestamp, Timestamp)> {
    let mut out = Vec::with_capacity(spans.len());
    for (mut a, b) in spans {
        for (ha, hb) in holes {
            if *hb <= a || *ha >= b {
                continue;
            }
            if *ha > a {
                out.push((a, *ha));
            }
            a = a.max(*hb);
            if a >= b {
                break;
            }
        }
        if b > a {
            out.push((a, b));
        }
    }
    out
}

/// A calendar as a user writes it (a TOML file) and the store keeps it: the
/// raw definition, checked by [`CalendarSpec::to_calendar`].
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    pub time_zone: String,
    /// `mon` … `sun` → windows such as `09:00-13:00`; a missing day is closed.
    #[serde(default)]
    pub hours: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Holidays read from an iCalendar file: (date, name).
    #[serde(default)]
    pub ical_holidays: Vec<(String, String)>,
    /// Path of an iCalendar file, relative to the TOML file (read on import).
    #[serde(default, skip_serializing)]
    pub ical: Option<String>,
    #[serde(default)]
    pub overrides: BTreeMap<String, Vec<String>>,
    /// Canonical statuses whose time does not count (e.g. `pending`).
    #[serde(default)]
    pub pausing_statuses: Vec<String>,
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

fn parse_date(s: &str, what: &str) -> Result<Date, String> {
    s.trim()
        .parse::<Date>()
        .map_err(|_| format!("{what} '{s}' is not a date (YYYY-MM-DD)"))
}

impl CalendarSpec {
    /// The calendar this definition describes, or the first thing wrong
    /// with it, in one sentence naming the key.
    pub fn to_calendar(&self) -> Result<Calendar, String> {
        let tz = TimeZone::get(&self.time_zone).map_err(|_| {
            format!(
                "time_zone '{}' is not a known time zone (e.g. Europe/Madrid, America/New_York, UTC)",
                self.time_zone
            )
        })?;
        let mut cal = Calendar::new(tz);
        for (day, windows) in &self.hours {
            let weekday = WEEKDAYS
                .iter()
                .find(|(n, _)| n == &day.to_ascii_lowercase())
                .map(|(_, w)| *w)
                .ok_or_else(|| {
                    format!("hours.{day}: not a weekday (mon, tue, wed, thu, fri, sat, sun)")
                })?;
            let ws = windows
                .iter()
                .map(|w| Window::parse(w).map_err(|e| format!("hours.{day}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            cal = cal.with_windows(weekday, ws);
        }
        for h in &self.holidays {
            cal = cal.with_holiday(parse_date(h, "holidays: ")?);
        }
        for (d, _) in &self.ical_holidays {
            cal = cal.with_holiday(parse_date(d, "ical holiday")?);
        }
        for (d, windows) in &self.overrides {
            let date = parse_date(d, "overrides:")?;
            let ws = windows
                .iter()
                .map(|w| Window::parse(w).map_err(|e| format!("overrides.\"{d}\": {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            cal = cal.with_override(date, ws);
        }
        for st in &self.pausing_statuses {
            crate::vocab::Status::parse(st)
                .map_err(|_| format!("pausing_statuses: '{st}' is not a status"))?;
        }
        Ok(cal)
    }
}

/// Reads the all-day events of an iCalendar file as holidays: (date, name).
/// Reads a calendar definition (TOML) and the iCalendar file it names.
/// `read` reads a path relative to the TOML file; errors name the file.
pub fn parse_calendar_file(
    text: &str,
    file_label: &str,
    read: impl Fn(&str) -> Result<String, String>,
) -> Result<CalendarSpec, String> {
    let mut spec: CalendarSpec = crate::tomlfile::parse(text, file_label)?;
    if let Some(ical) = spec.ical.take() {
        let ical_text = read(&ical).map_err(|e| format!("{ical}: {e}"))?;
        let holidays = parse_ical_holidays(&ical_text).map_err(|e| format!("{ical}: {e}"))?;
        spec.ical_holidays = holidays
            .into_iter()
            .map(|(d, name)| (d.to_string(), name))
            .collect();
    }
    spec.to_calendar()
        .map_err(|e| format!("{file_label}: {e}"))?;
    Ok(spec)
}

pub fn parse_ical_holidays(text: &str) -> Result<Vec<(Date, String)>, String> {
    // Unfold continuation lines (RFC 5545 §3.1) first.
    let mut lines: Vec<String> = Vec::new();
    for raw in text.lines() {
        let raw = raw.trim_end_matches('\r');
        if (raw.starts_with(' ') || raw.starts_with('\t')) && !lines.is_empty() {
            lines.last_mut().expect("checked").push_str(&raw[1..]);
        } else {
            lines.push(raw.to_string());
        }
    }
    if !lines.iter().any(|l| l.trim() == "BEGIN:VCALENDAR") {
        return Err("this is not an iCalendar file (no BEGIN:VCALENDAR)".into());
    }
    let mut out = Vec::new();
    let mut in_event = false;
    let (mut date, mut name): (Option<Date>, String) = (None, String::new());
    for (n, l) in lines.iter().enumerate() {
        let l = l.trim();
        if l == "BEGIN:VEVENT" {
            in_event = true;
            date = None;
            name.clear();
        } else if l == "END:VEVENT" {
            if let Some(d) = date {
                out.push((d, name.clone()));
            }
            in_event = false;
        } else if in_event {
            let (key, value) = match l.split_once(':') {
                Some(kv) => kv,
                None => continue,
            };
            let prop = key.split(';').next().unwrap_or("");
            if prop == "DTSTART" {
                let digits: String = value.chars().take(8).collect();
                let parse =
                    |a: usize, b: usize| digits.get(a..b).and_then(|s| s.parse::<i32>().ok());
                let d = match (parse(0, 4), parse(4, 6), parse(6, 8)) {
                    (Some(y), Some(m), Some(d)) => Date::new(y as i16, m as i8, d as i8).ok(),
                    _ => None,
                };
                date =
                    Some(d.ok_or_else(|| {
                        format!("line {}: DTSTART '{value}' is not a date", n + 1)
                    })?);
            } else if prop == "SUMMARY" {
                name = value.replace("\\,", ",").replace("\\;", ";");
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn madrid_office() -> Calendar {
        let split = vec![
            Window::parse("09:00-13:00").unwrap(),
            Window::parse("15:00-18:00").unwrap(),
        ];
        let mut c = Calendar::new(TimeZone::get("Europe/Madrid").unwrap());
        for d in [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ] {
            c = c.with_windows(d, split.clone());
        }
        c.with_holiday(date(2024, 12, 25)).with_override(
            date(2024, 12, 24),
            vec![Window::parse("09:00-13:00").unwrap()],
        )
    }

    #[test]
    fn business_durations() {
        let c = madrid_office();
        let cases = [
            // Inside one morning window (Madrid is UTC+1 in winter).
            ("2024-11-04T08:00:00Z", "2024-11-04T09:30:00Z", 1.5 * 3600.0),
            // Across the lunch gap: 12:00–13:00 + 15:00–16:00 local.
            ("2024-11-04T11:00:00Z", "2024-11-04T15:00:00Z", 2.0 * 3600.0),
            // Friday 17:00 local to Monday 10:00 local: 1 h + 1 h.
            ("2024-11-08T16:00:00Z", "2024-11-11T09:00:00Z", 2.0 * 3600.0),
            // Christmas Eve (morning only) and Christmas Day (closed).
            ("2024-12-24T07:00:00Z", "2024-12-26T07:00:00Z", 4.0 * 3600.0),
            // Outside every window.
            ("2024-11-09T10:00:00Z", "2024-11-10T10:00:00Z", 0.0),
            // End before start.
            ("2024-11-05T10:00:00Z", "2024-11-04T10:00:00Z", 0.0),
        ];
        for (a, b, want) in cases {
            assert_eq!(c.open_secs(ts(a), ts(b)), want, "{a} → {b}");
        }
    }

    #[test]
    fn dst_nights_have_their_real_length() {
        // A 24/7 calendar in Madrid: the night of 2024-03-31 lasts 23 hours, 2024-10-27 lasts 25.
        let mut c = Calendar::new(TimeZone::get("Europe/Madrid").unwrap());
        for d in [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
        ] {
            c = c.with_windows(d, vec![Window::parse("00:00-24:00").unwrap()]);
        }
        let day = |s: &str, e: &str| c.open_secs(ts(s), ts(e)) / 3600.0;
        assert_eq!(day("2024-03-30T23:00:00Z", "2024-03-31T22:00:00Z"), 23.0);
        assert_eq!(day("2024-10-26T22:00:00Z", "2024-10-27T23:00:00Z"), 25.0);
        // A night shift 22:00–06:00 on the spring-forward night is 7 hours.
        let night = Calendar::new(TimeZone::get("Europe/Madrid").unwrap()).with_windows(
            Weekday::Saturday,
            vec![Window::parse("22:00-06:00").unwrap()],
        );
        assert_eq!(
            night.open_secs(ts("2024-03-30T12:00:00Z"), ts("2024-03-31T12:00:00Z")) / 3600.0,
            7.0
        );
    }

    #[test]
    fn pauses_spanning_a_weekend() {
        let c = madrid_office();
        // Friday 10:00 local → Tuesday 10:00 local, paused from Friday 12:00 to Monday 16:00 local.
        let total = c.open_secs(ts("2024-11-08T09:00:00Z"), ts("2024-11-12T09:00:00Z"));
        // Fri 10–13 + 15–18, Mon 9–13 + 15–18, Tue 9–10.
        assert_eq!(total / 3600.0, 6.0 + 7.0 + 1.0);
        let paused = c.open_secs_excluding(
            ts("2024-11-08T09:00:00Z"),
            ts("2024-11-12T09:00:00Z"),
            &[
                (ts("2024-11-08T11:00:00Z"), ts("2024-11-11T15:00:00Z")),
                (ts("2024-11-09T00:00:00Z"), ts("2024-11-10T00:00:00Z")),
            ],
        );
        // Open and not paused: Fri 10–12 (2 h), Mon 16–18 (2 h), Tue 9–10 (1 h).
        assert_eq!(paused / 3600.0, 5.0);
    }

    #[test]
    fn always_open_equals_calendar_time() {
        let c = Calendar::always_open();
        assert_eq!(
            c.open_secs(ts("2024-01-01T10:00:00Z"), ts("2024-01-03T12:30:00Z")),
            50.5 * 3600.0
        );
    }

    #[test]
    fn a_calendar_open_around_the_clock_counts_elapsed_time_across_dst() {
        // 24-hour windows from 08:00 in Madrid: every instant is open, the
        // night the clocks go forward included.
        let w = Window::parse("08:00-08:00").unwrap();
        let mut c = Calendar::new(TimeZone::get("Europe/Madrid").unwrap());
        for d in [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
        ] {
            c = c.with_windows(d, vec![w]);
        }
        assert!(c.is_always_open());
        let (a, b) = (ts("2025-03-29T10:00:00Z"), ts("2025-04-01T12:30:00Z"));
        assert_eq!(c.open_secs(a, b), b.duration_since(a).as_secs_f64());
        assert_eq!(
            c.instant_after_open_secs(
                a,
                3600.0,
                &[(ts("2025-03-29T10:30:00Z"), ts("2025-03-29T11:00:00Z"))]
            ),
            Some(ts("2025-03-29T11:30:00Z"))
        );
        assert!(!c.clone().with_holiday(date(2025, 12, 25)).is_always_open());
    }

    #[test]
    fn overlapping_windows_count_once() {
        let madrid = || Calendar::new(TimeZone::get("Europe/Madrid").unwrap());
        let w = |s: &str| Window::parse(s).unwrap();
        // A rota whose shifts overlap by an hour: Monday 09:00–18:00 is 9 h, not 10.
        let rota = madrid().with_windows(Weekday::Monday, vec![w("09:00-13:00"), w("12:00-18:00")]);
        // Listed in either order, or touching, the day is the same.
        let reversed =
            madrid().with_windows(Weekday::Monday, vec![w("12:00-18:00"), w("09:00-13:00")]);
        let touching =
            madrid().with_windows(Weekday::Monday, vec![w("09:00-13:00"), w("13:00-18:00")]);
        // A Sunday night shift past midnight into Monday's early shift: Sunday
        // 22:00 → Monday 08:00 is 10 h, not 8 + 8.
        let night = madrid()
            .with_windows(Weekday::Sunday, vec![w("22:00-06:00")])
            .with_windows(Weekday::Monday, vec![w("00:00-08:00")]);
        // The same night shift meeting a date override on Monday 2024-11-11.
        let override_night = madrid()
            .with_windows(Weekday::Sunday, vec![w("22:00-06:00")])
            .with_override(date(2024, 11, 11), vec![w("05:00-07:00")]);
        let cases = [
            // Monday 2024-11-04, the whole local day (Madrid is UTC+1).
            (
                &rota,
                "2024-11-03T23:00:00Z",
                "2024-11-04T23:00:00Z",
                9.0 * 3600.0,
            ),
            (
                &reversed,
                "2024-11-03T23:00:00Z",
                "2024-11-04T23:00:00Z",
                9.0 * 3600.0,
            ),
            (
                &touching,
                "2024-11-03T23:00:00Z",
                "2024-11-04T23:00:00Z",
                9.0 * 3600.0,
            ),
            // Only the overlap hour 12:00–13:00 local: 1 h of business time in 1 h.
            (
                &rota,
                "2024-11-04T11:00:00Z",
                "2024-11-04T12:00:00Z",
                3600.0,
            ),
            // Sunday 2024-11-03 00:00 → Tuesday 00:00 local.
            (
                &night,
                "2024-11-02T23:00:00Z",
                "2024-11-04T23:00:00Z",
                10.0 * 3600.0,
            ),
            // Sunday 23:00 → Monday 01:00 local: 2 h elapsed, 2 h open (was 3).
            (
                &night,
                "2024-11-03T22:00:00Z",
                "2024-11-04T00:00:00Z",
                2.0 * 3600.0,
            ),
            // Sunday 22:00 → Monday 07:00 local, one stretch of 9 h.
            (
                &override_night,
                "2024-11-09T23:00:00Z",
                "2024-11-11T23:00:00Z",
                9.0 * 3600.0,
            ),
        ];
        for (cal, a, b, want) in cases {
            assert_eq!(cal.open_secs(ts(a), ts(b)), want, "{a} → {b}");
        }
    }

    /// Random calendars: up to three windows a weekday on a quarter-hour grid,
    /// any of them past midnight or overlapping; time zones with and without
    /// DST; holidays and overrides near the DST changes.
    mod properties {
        use super::*;
        use proptest::prelude::*;

        const ZONES: [&str; 3] = ["Europe/Madrid", "America/New_York", "UTC"];
        /// Instants near the 2024 DST changes of Madrid and New York.
        const ANCHORS: [&str; 4] = [
            "2024-03-31T01:00:00Z",
            "2024-10-27T01:00:00Z",
            "2024-03-10T07:00:00Z",
            "2024-11-03T06:00:00Z",
        ];

        fn quarter(q: u32) -> Time {
            if q >= 96 {
                return Time::MAX;
            }
            Time::new((q / 4) as i8, ((q % 4) * 15) as i8, 0, 0).unwrap()
        }

        fn window() -> impl Strategy<Value = Window> {
            (0u32..96, 0u32..=96).prop_map(|(o, c)| Window::new(quarter(o), quarter(c)))
        }

        fn calendar() -> impl Strategy<Value = (Calendar, usize)> {
            (
                0..ZONES.len(),
                0..ANCHORS.len(),
                proptest::collection::vec(proptest::collection::vec(window(), 0..4), 7),
                proptest::collection::vec(-10i64..10, 0..4),
                proptest::collection::vec(
                    (-10i64..10, proptest::collection::vec(window(), 0..3)),
                    0..3,
                ),
            )
                .prop_map(|(zone, anchor, weekly, holidays, overrides)| {
                    let anchor_date = ts(ANCHORS[anchor]).to_zoned(TimeZone::UTC).date();
                    let near = |d: i64| anchor_date.checked_add(jiff::Span::new().days(d)).unwrap();
                    let mut c = Calendar::new(TimeZone::get(ZONES[zone]).unwrap());
                    for (i, ws) in weekly.into_iter().enumerate() {
                        c = c.with_windows(WEEKDAYS[i].1, ws);
                    }
                    for d in holidays {
                        c = c.with_holiday(near(d));
                    }
                    for (d, ws) in overrides {
                        c = c.with_override(near(d), ws);
                    }
                    (c, anchor)
                })
        }

        proptest! {
            #[test]
            fn business_time_is_bounded_and_additive(
                (cal, anchor) in calendar(),
                offset in -6 * 86_400i64..6 * 86_400,
                length in 0i64..8 * 86_400,
                split in 0.0f64..=1.0,
            ) {
                let start = ts(ANCHORS[anchor]).checked_add(jiff::SignedDuration::from_secs(offset)).unwrap();
                let end = start.checked_add(jiff::SignedDuration::from_secs(length)).unwrap();
                let mid = start
                    .checked_add(jiff::SignedDuration::from_secs((length as f64 * split) as i64))
                    .unwrap();
                let whole = cal.open_secs(start, end);
                prop_assert!(whole >= 0.0);
                prop_assert!(whole <= length as f64, "{whole} open seconds in {length}");
                let parts = cal.open_secs(start, mid) + cal.open_secs(mid, end);
                prop_assert_eq!(whole, parts);
            }
        }
    }

    #[test]
    fn ical_holidays() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20241225\r\nSUMMARY:Navidad\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250101\r\nSUMMARY:A\r\n ño Nuevo\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert_eq!(
            parse_ical_holidays(text).unwrap(),
            vec![
                (date(2024, 12, 25), "Navidad".to_string()),
                (date(2025, 1, 1), "Año Nuevo".to_string())
            ]
        );
        assert!(parse_ical_holidays("hello").is_err());
    }
}
