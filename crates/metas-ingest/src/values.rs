//! Value parsers: the many shapes timestamps, durations, booleans and numbers
//! arrive in. Each returns a reason a person can read when the value is bad.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// How a timestamp column is written.
#[derive(Debug, Clone, PartialEq)]
pub enum TimestampFormat {
    /// ISO 8601 / RFC 3339 and the common `YYYY-MM-DD HH:MM[:SS]` forms.
    Auto,
    /// A strftime-style format, e.g. `%d/%m/%Y %H:%M`.
    Pattern(String),
    /// Seconds since 1970-01-01 UTC.
    EpochSeconds,
    /// Milliseconds since 1970-01-01 UTC.
    EpochMillis,
}

impl TimestampFormat {
    pub fn parse(spec: Option<&str>) -> TimestampFormat {
        match spec {
            None | Some("auto") | Some("iso") | Some("rfc3339") => TimestampFormat::Auto,
            Some("epoch") | Some("epoch_seconds") | Some("unix") => TimestampFormat::EpochSeconds,
            Some("epoch_ms") | Some("epoch_millis") => TimestampFormat::EpochMillis,
            Some(p) => TimestampFormat::Pattern(p.to_string()),
        }
    }
}

fn digits(b: &[u8]) -> Option<i32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut n: i32 = 0;
    for d in b {
        n = n.checked_mul(10)?.checked_add((d - b'0') as i32)?;
    }
    Some(n)
}

fn civil_date(y: i32, m: i32, d: i32, raw: &str) -> Result<Date, String> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1..=9999).contains(&y) {
        return Err(format!("'{raw}' is not a valid date"));
    }
    Date::new(y as i16, m as i8, d as i8).map_err(|_| format!("'{raw}' is an impossible date"))
}

/// Parses `YYYY-MM-DD` (also `YYYY/MM/DD`).
pub fn parse_iso_date(raw: &str) -> Result<Date, String> {
    let b = raw.trim().as_bytes();
    if b.len() == 10 && (b[4] == b'-' || b[4] == b'/') && b[7] == b[4] {
        if let (Some(y), Some(m), Some(d)) = (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10]))
        {
            return civil_date(y, m, d, raw.trim());
        }
    }
    Err(format!(
        "'{}' is not a date of the form YYYY-MM-DD",
        raw.trim()
    ))
}

/// Parses `H:MM`, `HH:MM:SS` and `HH:MM:SS.fff`.
pub fn parse_time_of_day(raw: &str) -> Result<Time, String> {
    let t = raw.trim();
    let bad = || format!("'{t}' is not a time of day of the form HH:MM[:SS]");
    let mut parts = t.split(':');
    let h = parts
        .next()
        .and_then(|p| digits(p.as_bytes()))
        .ok_or_else(bad)?;
    let m = parts
        .next()
        .and_then(|p| digits(p.as_bytes()))
        .ok_or_else(bad)?;
    let (s, nanos) = match parts.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let s = digits(whole.as_bytes()).ok_or_else(bad)?;
            let nanos = if frac.is_empty() {
                0
            } else {
                let f: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
                digits(f.as_bytes()).ok_or_else(bad)?
            };
            (s, nanos)
        }
    };
    if parts.next().is_some() {
        return Err(bad());
    }
    Time::new(h as i8, m as i8, s as i8, nanos)
        .map_err(|_| format!("'{t}' is an impossible time of day"))
}

/// The offset at the end of an ISO timestamp: `Z`, `+HH:MM`, `+HHMM`, `+HH`, ` UTC`.
fn split_offset(s: &str) -> (&str, Option<i32>) {
    if let Some(rest) = s.strip_suffix('Z').or_else(|| s.strip_suffix('z')) {
        return (rest, Some(0));
    }
    if let Some(rest) = s.strip_suffix(" UTC").or_else(|| s.strip_suffix(" GMT")) {
        return (rest, Some(0));
    }
    let b = s.as_bytes();
    // Offsets start after the time part, which has at least "HH:MM".
    if b.len() > 16 {
        for len in [6usize, 5, 3] {
            if b.len() > len {
                let at = b.len() - len;
                let sign = b[at];
                if sign == b'+' || sign == b'-' {
                    // Bytes, not text: a cell may hold any character here.
                    let body = &b[at + 1..];
                    let (hh, mm): (&[u8], &[u8]) = match len {
                        6 if body[2] == b':' => (&body[0..2], &body[3..5]),
                        5 => (&body[0..2], &body[2..4]),
                        3 => (&body[0..2], b"00"),
                        _ => continue,
                    };
                    if let (Some(h), Some(m)) = (digits(hh), digits(mm)) {
                        let secs = (h * 3600 + m * 60) * if sign == b'-' { -1 } else { 1 };
                        return (s[..at].trim_end(), Some(secs));
                    }
                }
            }
        }
    }
    (s, None)
}

fn local_to_timestamp(dt: DateTime, tz: &TimeZone, raw: &str) -> Result<Timestamp, String> {
    tz.to_ambiguous_timestamp(dt)
        .compatible()
        .map_err(|e| format!("'{raw}' cannot be placed in the time zone: {e}"))
}

/// Parses a timestamp. Values without an offset are read in `tz`.
pub fn parse_timestamp(
    raw: &str,
    format: &TimestampFormat,
    tz: &TimeZone,
) -> Result<Timestamp, String> {
    let s = raw.trim();
    match format {
        TimestampFormat::Auto => {
            let (body, offset) = split_offset(s);
            let b = body.as_bytes();
            if b.len() < 10 {
                return Err(format!(
                    "'{s}' is not a timestamp (expected e.g. 2024-03-01T09:30:00Z)"
                ));
            }
            // The first ten bytes may end inside a character (a fuzzer found
            // "2024-03-0ϊ10:00"): then it is no date.
            let Some(date_part) = body.get(..10) else {
                return Err(format!(
                    "'{s}' is not a timestamp (expected e.g. 2024-03-01T09:30:00Z)"
                ));
            };
            let date = parse_iso_date(date_part).map_err(|e| {
                if e.contains("impossible") || e.contains("not a valid") {
                    e
                } else {
                    format!("'{s}' is not a timestamp (expected e.g. 2024-03-01T09:30:00Z)")
                }
            })?;
            let time = if b.len() == 10 {
                Time::midnight()
            } else {
                if b[10] != b'T' && b[10] != b' ' && b[10] != b't' {
                    return Err(format!(
                        "'{s}' is not a timestamp (expected e.g. 2024-03-01T09:30:00Z)"
                    ));
                }
                parse_time_of_day(&body[11..]).map_err(|_| {
                    format!("'{s}' is not a timestamp (expected e.g. 2024-03-01T09:30:00Z)")
                })?
            };
            let dt = date.to_datetime(time);
            match offset {
                Some(secs) => {
                    let off = jiff::tz::Offset::from_seconds(secs)
                        .map_err(|_| format!("'{s}' has an impossible offset"))?;
                    off.to_timestamp(dt).map_err(|e| format!("'{s}': {e}"))
                }
                None => local_to_timestamp(dt, tz, s),
            }
        }
        TimestampFormat::EpochSeconds | TimestampFormat::EpochMillis => {
            let n: f64 = s
                .parse()
                .map_err(|_| format!("'{s}' is not a number of seconds since 1970"))?;
            let micros = if *format == TimestampFormat::EpochMillis {
                n * 1e3
            } else {
                n * 1e6
            };
            Timestamp::from_microsecond(micros as i64).map_err(|_| format!("'{s}' is out of range"))
        }
        TimestampFormat::Pattern(p) => {
            let tm = jiff::fmt::strtime::parse(p, s)
                .map_err(|_| format!("'{s}' does not match the format '{p}'"))?;
            if tm.offset().is_some() {
                return tm
                    .to_timestamp()
                    .map_err(|_| format!("'{s}' is an impossible date or time"));
            }
            let date = tm
                .to_date()
                .map_err(|_| format!("'{s}' is an impossible date"))?;
            let time = tm.to_time().unwrap_or(Time::midnight());
            local_to_timestamp(date.to_datetime(time), tz, s)
        }
    }
}

/// Parses a date written with a strftime-style pattern, or ISO when none.
pub fn parse_date(raw: &str, pattern: Option<&str>) -> Result<Date, String> {
    match pattern {
        None => parse_iso_date(raw),
        Some(p) => {
            let s = raw.trim();
            let tm = jiff::fmt::strtime::parse(p, s)
                .map_err(|_| format!("'{s}' does not match the date format '{p}'"))?;
            tm.to_date()
                .map_err(|_| format!("'{s}' is an impossible date"))
        }
    }
}

/// How a duration column is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    Seconds,
    Millis,
    Minutes,
    Hours,
    Days,
    /// `H:MM:SS` (or `H:MM`).
    Hms,
}

impl DurationUnit {
    pub fn parse(spec: &str) -> Option<DurationUnit> {
        Some(match spec {
            "s" | "sec" | "secs" | "second" | "seconds" => DurationUnit::Seconds,
            "ms" | "millis" | "milliseconds" => DurationUnit::Millis,
            "m" | "min" | "mins" | "minute" | "minutes" => DurationUnit::Minutes,
            "h" | "hour" | "hours" | "decimal_hours" => DurationUnit::Hours,
            "d" | "day" | "days" => DurationUnit::Days,
            "hms" | "h:mm:ss" | "hh:mm:ss" | "clock" => DurationUnit::Hms,
            _ => return None,
        })
    }

    fn factor(self) -> f64 {
        match self {
            DurationUnit::Seconds | DurationUnit::Hms => 1.0,
            DurationUnit::Millis => 0.001,
            DurationUnit::Minutes => 60.0,
            DurationUnit::Hours => 3600.0,
            DurationUnit::Days => 86400.0,
        }
    }
}

/// Parses a duration into seconds. A value with colons is always read as
/// `H:MM:SS` (or `H:MM`), whatever the unit; otherwise it is a number in `unit`.
pub fn parse_duration_secs(raw: &str, unit: DurationUnit) -> Result<f64, String> {
    let s = raw.trim();
    if s.starts_with('-') {
        return Err(format!("'{s}' is a negative duration"));
    }
    if s.contains(':') {
        let parts: Vec<&str> = s.split(':').collect();
        let bad = || format!("'{s}' is not a duration of the form H:MM:SS");
        let (h, m, sec) = match parts.as_slice() {
            [h, m, sec] => (*h, *m, *sec),
            [h, m] => (*h, *m, "0"),
            _ => return Err(bad()),
        };
        let h: f64 = digits(h.as_bytes()).ok_or_else(bad)? as f64;
        let m = digits(m.as_bytes()).ok_or_else(bad)?;
        let sec: f64 = sec.parse().map_err(|_| bad())?;
        if m >= 60 || !(0.0..60.0).contains(&sec) {
            return Err(bad());
        }
        return Ok(h * 3600.0 + m as f64 * 60.0 + sec);
    }
    let n: f64 = s
        .parse()
        .map_err(|_| format!("'{s}' is not a duration (a number of {})", unit_name(unit)))?;
    if !n.is_finite() {
        return Err(format!("'{s}' is not a finite duration"));
    }
    if n < 0.0 {
        return Err(format!("'{s}' is a negative duration"));
    }
    Ok(n * unit.factor())
}

fn unit_name(u: DurationUnit) -> &'static str {
    match u {
        DurationUnit::Seconds | DurationUnit::Hms => "seconds",
        DurationUnit::Millis => "milliseconds",
        DurationUnit::Minutes => "minutes",
        DurationUnit::Hours => "hours",
        DurationUnit::Days => "days",
    }
}

/// Parses the usual spellings of yes and no.
pub fn parse_bool(
    raw: &str,
    extra_true: &[String],
    extra_false: &[String],
) -> Result<bool, String> {
    let s = raw.trim();
    if extra_true.iter().any(|t| t.eq_ignore_ascii_case(s)) {
        return Ok(true);
    }
    if extra_false.iter().any(|f| f.eq_ignore_ascii_case(s)) {
        return Ok(false);
    }
    match s.to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" | "t" | "1" | "on" | "si" | "sí" | "oui" | "sim" => Ok(true),
        "n" | "no" | "false" | "f" | "0" | "off" | "non" | "não" | "nao" => Ok(false),
        _ => Err(format!(
            "'{s}' is not a yes/no value (Y/N, yes/no, 1/0, true/false)"
        )),
    }
}

pub fn parse_number(raw: &str) -> Result<f64, String> {
    let s = raw.trim();
    match s.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(n),
        _ => Err(format!("'{s}' is not a number")),
    }
}

/// Whole numbers; "3.0" is accepted as 3, "3.5" is not.
pub fn parse_int(raw: &str) -> Result<i32, String> {
    let s = raw.trim();
    if let Ok(n) = s.parse::<i32>() {
        return Ok(n);
    }
    match s.parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f.abs() < i32::MAX as f64 => Ok(f as i32),
        _ => Err(format!("'{s}' is not a whole number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn timestamps_in_many_shapes() {
        let tz = TimeZone::get("Europe/Madrid").unwrap();
        let auto = TimestampFormat::Auto;
        let cases = [
            ("2024-03-01T09:30:00Z", "2024-03-01T09:30:00Z"),
            ("2024-03-01T09:30:00+02:00", "2024-03-01T07:30:00Z"),
            ("2024-03-01 09:30:00-0500", "2024-03-01T14:30:00Z"),
            ("2024-03-01 09:30", "2024-03-01T08:30:00Z"),
            ("2024-07-01 09:30:00", "2024-07-01T07:30:00Z"),
            ("2024-03-01", "2024-02-29T23:00:00Z"),
            ("2024-03-01T09:30:00.250Z", "2024-03-01T09:30:00.25Z"),
            ("2024/03/01 09:30:00 UTC", "2024-03-01T09:30:00Z"),
        ];
        for (raw, want) in cases {
            assert_eq!(
                parse_timestamp(raw, &auto, &tz).unwrap(),
                utc(want),
                "{raw}"
            );
        }
        let pat = TimestampFormat::parse(Some("%d/%m/%Y %H:%M"));
        assert_eq!(
            parse_timestamp("31/12/2024 23:59", &pat, &TimeZone::UTC).unwrap(),
            utc("2024-12-31T23:59:00Z")
        );
        let epoch = TimestampFormat::EpochSeconds;
        assert_eq!(
            parse_timestamp("0", &epoch, &TimeZone::UTC).unwrap(),
            utc("1970-01-01T00:00:00Z")
        );
    }

    #[test]
    fn bad_timestamps_say_why() {
        let auto = TimestampFormat::Auto;
        let tz = TimeZone::UTC;
        assert!(parse_timestamp("2024-02-30 10:00", &auto, &tz)
            .unwrap_err()
            .contains("impossible date"));
        assert!(parse_timestamp("2024-13-01", &auto, &tz)
            .unwrap_err()
            .contains("not a valid date"));
        assert!(parse_timestamp("yesterday", &auto, &tz)
            .unwrap_err()
            .contains("not a timestamp"));
        assert!(parse_timestamp("2024-03-01 25:00", &auto, &tz)
            .unwrap_err()
            .contains("not a timestamp"));
    }

    #[test]
    fn dst_gap_moves_forward() {
        // 02:30 does not exist in Madrid on 2024-03-31; "compatible" reads it as 03:30 CEST.
        let tz = TimeZone::get("Europe/Madrid").unwrap();
        let ts = parse_timestamp("2024-03-31 02:30", &TimestampFormat::Auto, &tz).unwrap();
        assert_eq!(ts, utc("2024-03-31T01:30:00Z"));
    }

    #[test]
    fn durations() {
        let cases = [
            ("90", DurationUnit::Seconds, 90.0),
            ("1.5", DurationUnit::Minutes, 90.0),
            ("0.25", DurationUnit::Hours, 900.0),
            ("0:02:23", DurationUnit::Hms, 143.0),
            ("1:02:03", DurationUnit::Seconds, 3723.0),
            ("2:30", DurationUnit::Hms, 9000.0),
            ("1500", DurationUnit::Millis, 1.5),
        ];
        for (raw, unit, want) in cases {
            assert_eq!(parse_duration_secs(raw, unit).unwrap(), want, "{raw}");
        }
        assert!(parse_duration_secs("-5", DurationUnit::Seconds)
            .unwrap_err()
            .contains("negative"));
        assert!(parse_duration_secs("0:75:00", DurationUnit::Hms).is_err());
        assert!(parse_duration_secs("abc", DurationUnit::Seconds).is_err());
    }

    #[test]
    fn booleans() {
        for t in ["Y", "yes", "TRUE", "1", "t"] {
            assert!(parse_bool(t, &[], &[]).unwrap(), "{t}");
        }
        for f in ["N", "no", "False", "0", "f"] {
            assert!(!parse_bool(f, &[], &[]).unwrap(), "{f}");
        }
        assert!(parse_bool("maybe", &[], &[]).is_err());
        assert!(parse_bool("good", &["good".into()], &[]).unwrap());
    }

    #[test]
    fn integers() {
        assert_eq!(parse_int("32").unwrap(), 32);
        assert_eq!(parse_int("5.0").unwrap(), 5);
        assert!(parse_int("5.5").is_err());
    }

    /// Every value parser answers any cell with a value or a reason, never
    /// a panic. The first rows are what the fuzzer (fuzz/parsers) found:
    /// a character across byte 10 of a timestamp, and one after an offset
    /// sign.
    fn every_parser(cell: &str) {
        let tz = TimeZone::get("Europe/Madrid").unwrap();
        for format in [
            TimestampFormat::Auto,
            TimestampFormat::parse(Some("epoch")),
            TimestampFormat::parse(Some("epoch_ms")),
            TimestampFormat::parse(Some("%d/%m/%Y %H:%M")),
        ] {
            let _ = parse_timestamp(cell, &format, &tz);
        }
        let _ = parse_date(cell, None);
        let _ = parse_date(cell, Some("%d/%m/%Y"));
        let _ = parse_iso_date(cell);
        let _ = parse_time_of_day(cell);
        for unit in ["seconds", "ms", "minutes", "hours", "days", "hms"] {
            let _ = parse_duration_secs(cell, DurationUnit::parse(unit).unwrap());
        }
        let _ = parse_bool(cell, &[], &[]);
        let _ = parse_number(cell);
        let _ = parse_int(cell);
    }

    #[test]
    fn hostile_cells_get_an_answer() {
        for cell in [
            "2024-03-0\u{3ca}10:00:00Z",
            "2024-03-01T10:00:00+0\u{e9}0",
            "2024-03-01T10:00:00+\u{e9}00",
            "2024-03-01T10:00:00-\u{e9}\u{e9}",
            "2024-03-01T10:00:00.000000000000000000001Z",
            "\u{feff}2024-03-01",
            "9999999999-99-99",
            "1:2:3:4",
            "-0",
            "NaN",
            "inf",
            "1e999",
            "",
            "\u{200f}\u{202e}",
        ] {
            every_parser(cell);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_cell_gets_an_answer(cell in "\\PC{0,40}") {
            every_parser(&cell);
        }

        #[test]
        fn any_timestamp_shaped_cell_gets_an_answer(
            cell in "[0-9]{4}[-/][0-9]{2}[-/][0-9\u{e9}\u{3ca}]{2}[T ]?[0-9:.\u{e9}]{0,12}[Zz+-]?[0-9:\u{e9}]{0,5}"
        ) {
            every_parser(&cell);
        }
    }
}
