//! The SMART checks of docs/product.md §6.2 and the focus limit (R-FOCUS), as pure
//! functions over numbers the caller computes from the data. Each returns a
//! [`Check`]: a verdict and one sentence a service manager understands, with
//! the numbers in it.
//!
//! Rules and thresholds:
//! - specific: the scope holds at least one contact.
//! - measurable: at least [`MIN_N_PER_PERIOD`] observations per period, and
//!   the confidence interval's half-width per period at most half the change
//!   asked. Why half: two intervals of half-width h around the baseline and
//!   the target only stop overlapping when the change is at least 2h, so a
//!   smaller change cannot be told from noise period by period.
//! - achievable: the change asked, as a percentile of the changes seen over
//!   windows of the same length (mid-rank, in the goal's direction: for a
//!   decrease goal the falls count as the positive changes). Verdict: easy
//!   below the 50th percentile, realistic below the 80th, stretch below the
//!   95th, unlikely from the 95th up; unlikely is not ok, and no history is
//!   not ok (nothing to judge by).
//! - relevant: a parent goal or the mission link is present. A scope under
//!   1 % of volume is still relevant but the message says it is small.
//! - time-bound: the deadline is after the start.
//! - focus: a new goal is ok while the owner's active goals are below the
//!   limit (3 by default, docs/product.md R-FOCUS).

use jiff::civil::Date;
use serde::Serialize;

/// The default number of active goals per owner (R-FOCUS).
pub const DEFAULT_FOCUS_LIMIT: usize = 3;

/// Below this many observations per period a KPI is too thin to measure.
pub const MIN_N_PER_PERIOD: f64 = 30.0;

/// A verdict and the sentence that explains it, in English (`message`) and
/// as a message id with its arguments, so the web app can say it in the
/// user's language with the same numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub ok: bool,
    pub message: String,
    /// The message's id in the web app's catalogues (`check-…`).
    #[serde(skip)]
    pub key: &'static str,
    #[serde(skip)]
    pub args: Vec<(&'static str, CheckArg)>,
}

/// An argument of a check's message, typed so each language can write it
/// its own way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CheckArg {
    /// A plain number as [`num`] writes it.
    Number(f64),
    /// A share (0–1) as [`pct`] writes it.
    Share(f64),
    /// A whole count.
    Count(u64),
    Date(Date),
    /// A word from a closed set, as a message id (`achievability-easy`).
    Word(&'static str),
}

impl Check {
    fn new(ok: bool, message: impl Into<String>) -> Check {
        Check {
            ok,
            message: message.into(),
            key: "",
            args: vec![],
        }
    }

    /// The message id and arguments behind the English sentence.
    fn keyed(mut self, key: &'static str, args: Vec<(&'static str, CheckArg)>) -> Check {
        self.key = key;
        self.args = args;
        self
    }
}

/// A number as a sentence shows it: thousands separated, small values with
/// three significant digits.
pub fn num(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 || a == 0.0 {
        crate::kpi::display_value(crate::kpi::Unit::Count, v)
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        let decimals = (-(a.log10().floor()) as usize + 2).min(6);
        format!("{v:.decimals$}")
    }
}

/// A share (0–1) as a sentence shows it.
pub fn pct(share: f64) -> String {
    let p = share * 100.0;
    if p > 0.0 && p < 0.1 {
        "under 0.1 %".to_string()
    } else {
        format!("{p:.1} %")
    }
}

/// Specific: the metric's scope resolves to some contacts.
pub fn specific(scope_n: u64, scope_share_of_volume: f64) -> Check {
    if scope_n == 0 {
        return Check::new(
            false,
            "The scope matches no contacts in the data, so the goal has nothing to measure; widen or correct the scope.",
        )
        .keyed("check-specific-empty", vec![]);
    }
    let what = if scope_share_of_volume >= 0.9999 {
        "all contacts".to_string()
    } else {
        format!("{} of all contacts", pct(scope_share_of_volume))
    };
    let (key, mut args) = if scope_share_of_volume >= 0.9999 {
        ("check-specific-all", vec![])
    } else {
        (
            "check-specific-share",
            vec![("share", CheckArg::Share(scope_share_of_volume))],
        )
    };
    args.push(("n", CheckArg::Count(scope_n)));
    Check::new(
        true,
        format!("The scope holds {} contacts, {what}.", num(scope_n as f64)),
    )
    .keyed(key, args)
}

/// Measurable: enough data per period to tell the change from noise.
/// `ci_half_width` is the 95 % interval's half-width of one period's value,
/// `change_asked` the distance from baseline to target (either sign), both in
/// the KPI's unit.
pub fn measurable(n_per_period: f64, ci_half_width: f64, change_asked: f64) -> Check {
    let change = change_asked.abs();
    if n_per_period < 1.0 {
        return Check::new(
            false,
            "There is no data per period in this scope, so progress cannot be measured.",
        )
        .keyed("check-measurable-no-data", vec![]);
    }
    if change == 0.0 {
        return Check::new(
            false,
            "The goal asks for no change, so there is nothing to measure.",
        )
        .keyed("check-measurable-no-change", vec![]);
    }
    if n_per_period < MIN_N_PER_PERIOD {
        return Check::new(
            false,
            format!(
                "Only about {} observations per period (at least {} needed), so a period's value is mostly noise.",
                num(n_per_period),
                MIN_N_PER_PERIOD
            ),
        )
        .keyed(
            "check-measurable-thin",
            vec![
                ("n", CheckArg::Number(n_per_period)),
                ("min", CheckArg::Number(MIN_N_PER_PERIOD)),
            ],
        );
    }
    let ratio = ci_half_width / change;
    let args = vec![
        ("n", CheckArg::Number(n_per_period)),
        ("noise", CheckArg::Number(ci_half_width)),
        ("change", CheckArg::Number(change)),
    ];
    if ratio > 0.5 {
        Check::new(
            false,
            format!(
                "With about {} observations per period the value moves by ±{} from noise alone, more than half the change of {} asked for, so the change cannot be told from noise; ask for a larger change, a wider scope or a longer period.",
                num(n_per_period),
                num(ci_half_width),
                num(change)
            ),
        )
        .keyed("check-measurable-noisy", args)
    } else {
        Check::new(
            true,
            format!(
                "About {} observations per period; noise is ±{}, small against the change of {} asked for.",
                num(n_per_period),
                num(ci_half_width),
                num(change)
            ),
        )
        .keyed("check-measurable-ok", args)
    }
}

/// How hard the change asked for is against history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Achievability {
    Easy,
    Realistic,
    Stretch,
    Unlikely,
}

impl Achievability {
    /// The verdict for a percentile (0–100).
    pub fn from_percentile(p: f64) -> Achievability {
        if p < 50.0 {
            Achievability::Easy
        } else if p < 80.0 {
            Achievability::Realistic
        } else if p < 95.0 {
            Achievability::Stretch
        } else {
            Achievability::Unlikely
        }
    }

    /// The verdict's message id in the web app's catalogues.
    pub fn key(self) -> &'static str {
        match self {
            Achievability::Easy => "achievability-easy",
            Achievability::Realistic => "achievability-realistic",
            Achievability::Stretch => "achievability-stretch",
            Achievability::Unlikely => "achievability-unlikely",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Achievability::Easy => "easy",
            Achievability::Realistic => "realistic",
            Achievability::Stretch => "a stretch",
            Achievability::Unlikely => "unlikely",
        }
    }
}

/// The achievable check with its numbers, for the JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AchievableAssessment {
    /// Percentile (0–100) of the change asked among the historical changes.
    pub percentile: Option<f64>,
    pub verdict: Option<Achievability>,
    pub windows: usize,
    pub check: Check,
}

/// The change asked for (target − baseline, signed) against the changes seen
/// over windows of the same length (end − start of each window, signed).
pub fn assess_achievable(change_asked: f64, historical_changes: &[f64]) -> AchievableAssessment {
    let finite: Vec<f64> = historical_changes
        .iter()
        .copied()
        .filter(|c| c.is_finite())
        .collect();
    if finite.is_empty() {
        return AchievableAssessment {
            percentile: None,
            verdict: None,
            windows: 0,
            check: Check::new(
                false,
                "There is no history over windows this long to compare the change with, so metas cannot say whether it is realistic.",
            )
            .keyed("check-achievable-no-history", vec![]),
        };
    }
    // Turn a decrease goal into an increase one, so "larger" means "more in
    // the goal's direction" for the asked change and for history alike.
    let sign = if change_asked < 0.0 { -1.0 } else { 1.0 };
    let asked = change_asked * sign;
    let below = finite.iter().filter(|c| *c * sign < asked).count() as f64;
    let equal = finite.iter().filter(|c| *c * sign == asked).count() as f64;
    let n = finite.len() as f64;
    let percentile = (below + equal / 2.0) / n * 100.0;
    let verdict = Achievability::from_percentile(percentile);
    let (move_word, moves) = if sign < 0.0 {
        ("a fall", "falls")
    } else {
        ("a rise", "rises")
    };
    let reached = finite.iter().filter(|c| *c * sign >= asked).count();
    let message = format!(
        "{} of {} is larger than {:.0} % of the changes seen over {} windows of the same length ({} of them had {} at least that large): {}.",
        capitalise(move_word),
        num(asked),
        percentile,
        finite.len(),
        reached,
        moves,
        verdict.word()
    );
    AchievableAssessment {
        percentile: Some(percentile),
        verdict: Some(verdict),
        windows: finite.len(),
        check: Check::new(verdict != Achievability::Unlikely, message).keyed(
            if sign < 0.0 {
                "check-achievable-fall"
            } else {
                "check-achievable-rise"
            },
            vec![
                ("change", CheckArg::Number(asked)),
                ("percentile", CheckArg::Count(percentile.round() as u64)),
                ("windows", CheckArg::Count(finite.len() as u64)),
                ("reached", CheckArg::Count(reached as u64)),
                ("verdict", CheckArg::Word(verdict.key())),
            ],
        ),
    }
}

/// Achievable, as a plain check.
pub fn achievable(change_asked: f64, historical_changes: &[f64]) -> Check {
    assess_achievable(change_asked, historical_changes).check
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Relevant: tied to a higher goal or the mission, with the share of the
/// business it touches.
pub fn relevant(
    has_parent_or_mission: bool,
    share_of_volume: f64,
    share_of_customers: f64,
) -> Check {
    let reach = format!(
        "its scope covers {} of contacts and {} of customers",
        pct(share_of_volume),
        pct(share_of_customers)
    );
    let args = vec![
        ("volume", CheckArg::Share(share_of_volume)),
        ("customers", CheckArg::Share(share_of_customers)),
    ];
    if !has_parent_or_mission {
        return Check::new(
            false,
            format!(
                "The goal serves no higher goal and names no link to the mission; {reach}. Give it a parent goal (--parent) or tie it to the mission."
            ),
        )
        .keyed("check-relevant-none", args);
    }
    let small = if share_of_volume < 0.01 {
        ", a small part of the business"
    } else {
        ""
    };
    Check::new(
        true,
        format!("The goal serves a higher goal or the mission; {reach}{small}."),
    )
    .keyed(
        if small.is_empty() {
            "check-relevant-ok"
        } else {
            "check-relevant-small"
        },
        args,
    )
}

/// Time-bound: a deadline after the start.
pub fn time_bound(start: Date, deadline: Date) -> Check {
    let days = start.until(deadline).map(|s| s.get_days()).unwrap_or(0);
    if deadline > start {
        Check::new(
            true,
            format!(
                "The deadline {deadline} is {days} day{} after the start {start}.",
                if days == 1 { "" } else { "s" }
            ),
        )
        .keyed(
            "check-time-ok",
            vec![
                ("deadline", CheckArg::Date(deadline)),
                ("days", CheckArg::Count(days.max(0) as u64)),
                ("start", CheckArg::Date(start)),
            ],
        )
    } else {
        Check::new(
            false,
            format!(
                "The deadline {deadline} is not after the start {start}; give a later deadline."
            ),
        )
        .keyed(
            "check-time-bad",
            vec![
                ("deadline", CheckArg::Date(deadline)),
                ("start", CheckArg::Date(start)),
            ],
        )
    }
}

fn ordinal(n: usize) -> String {
    const WORDS: [&str; 10] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    match n {
        1..=10 => WORDS[n - 1].to_string(),
        _ => format!("{n}th"),
    }
}

/// R-FOCUS: may this owner take on one more active goal?
pub fn focus(active_goals_of_owner: usize, limit: usize) -> Check {
    let next = active_goals_of_owner + 1;
    if active_goals_of_owner < limit {
        Check::new(
            true,
            format!(
                "This would be the owner's {} active goal, within the limit of {limit}.",
                ordinal(next)
            ),
        )
        .keyed(
            "check-focus-ok",
            vec![
                ("next", CheckArg::Count(next as u64)),
                ("limit", CheckArg::Count(limit as u64)),
            ],
        )
    } else {
        Check::new(
            false,
            format!(
                "The owner already has {active_goals_of_owner} active goal{}, and the limit is {limit} so that attention is not spread too thin; a {} is refused unless you finish or retire one, or pass --force.",
                if active_goals_of_owner == 1 { "" } else { "s" },
                ordinal(next)
            ),
        )
        .keyed(
            "check-focus-over",
            vec![
                ("active", CheckArg::Count(active_goals_of_owner as u64)),
                ("limit", CheckArg::Count(limit as u64)),
                ("next", CheckArg::Count(next as u64)),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn specific_needs_a_non_empty_scope() {
        let table: &[(u64, f64, bool, &str)] = &[
            (0, 0.0, false, "matches no contacts"),
            (
                1234,
                0.123,
                true,
                "The scope holds 1,234 contacts, 12.3 % of all contacts.",
            ),
            (
                50_000,
                1.0,
                true,
                "The scope holds 50,000 contacts, all contacts.",
            ),
            (3, 0.00001, true, "under 0.1 %"),
        ];
        for (n, share, ok, want) in table {
            let c = specific(*n, *share);
            assert_eq!(c.ok, *ok, "{n}");
            assert!(c.message.contains(want), "{}", c.message);
        }
    }

    #[test]
    fn measurable_compares_noise_with_the_change() {
        let table: &[(f64, f64, f64, bool, &str)] = &[
            (0.0, 0.0, 0.1, false, "no data per period"),
            (
                12.0,
                0.2,
                0.1,
                false,
                "Only about 12.0 observations per period",
            ),
            (
                200.0,
                0.05,
                0.15,
                true,
                "noise is ±0.0500, small against the change of 0.150",
            ),
            (200.0, 0.075, 0.15, true, "±0.0750"), // exactly half: still measurable
            (200.0, 0.08, -0.15, false, "cannot be told from noise"),
            (
                5000.0,
                12.0,
                60.0,
                true,
                "About 5,000 observations per period",
            ),
            (500.0, 0.02, 0.0, false, "no change"),
        ];
        for (n, half, change, ok, want) in table {
            let c = measurable(*n, *half, *change);
            assert_eq!(c.ok, *ok, "{n} {half} {change}: {}", c.message);
            assert!(c.message.contains(want), "{}", c.message);
        }
    }

    #[test]
    fn achievable_ranks_the_change_among_past_changes() {
        // Ten windows: rises 0.01..0.10.
        let rises: Vec<f64> = (1..=10).map(|i| i as f64 / 100.0).collect();
        // Ten windows: falls 10..100 seconds (AHT).
        let falls: Vec<f64> = (1..=10).map(|i| -10.0 * i as f64).collect();
        let mixed = [-0.02, 0.01, 0.03, -0.05, 0.04];
        #[expect(clippy::type_complexity, reason = "a table of cases reads best inline")]
        let table: &[(f64, &[f64], Option<f64>, Option<Achievability>, bool)] = &[
            (0.03, &rises, Some(25.0), Some(Achievability::Easy), true),
            (
                0.065,
                &rises,
                Some(60.0),
                Some(Achievability::Realistic),
                true,
            ),
            (0.09, &rises, Some(85.0), Some(Achievability::Stretch), true),
            (
                0.10,
                &rises,
                Some(95.0),
                Some(Achievability::Unlikely),
                false,
            ),
            (
                0.50,
                &rises,
                Some(100.0),
                Some(Achievability::Unlikely),
                false,
            ),
            // a decrease goal compares falls: 45 s is bigger than 4 of 10 falls
            (-45.0, &falls, Some(40.0), Some(Achievability::Easy), true),
            (
                -95.0,
                &falls,
                Some(90.0),
                Some(Achievability::Stretch),
                true,
            ),
            // a rise asked where history only fell
            (
                5.0,
                &falls,
                Some(100.0),
                Some(Achievability::Unlikely),
                false,
            ),
            // mixed history, a fall of 0.03: falls 0.02 and 0.05 → one of 5 larger
            (
                -0.03,
                &mixed,
                Some(80.0),
                Some(Achievability::Stretch),
                true,
            ),
            (0.1, &[], None, None, false),
        ];
        for (asked, hist, pct, verdict, ok) in table {
            let a = assess_achievable(*asked, hist);
            match (a.percentile, pct) {
                (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "{asked}: {x}"),
                (None, None) => {}
                (x, y) => panic!("{asked}: {x:?} vs {y:?}"),
            }
            assert_eq!(a.verdict, *verdict, "{asked}");
            assert_eq!(a.check.ok, *ok, "{asked}: {}", a.check.message);
        }
        let m = achievable(-45.0, &falls).message;
        assert_eq!(
            m,
            "A fall of 45.0 is larger than 40 % of the changes seen over 10 windows of the same length (6 of them had falls at least that large): easy."
        );
        assert!(achievable(0.1, &[]).message.contains("no history"));
    }

    #[test]
    fn relevant_needs_a_link_and_shows_reach() {
        let c = relevant(false, 0.2, 0.3);
        assert!(!c.ok);
        assert!(c
            .message
            .contains("20.0 % of contacts and 30.0 % of customers"));
        assert!(c.message.contains("--parent"));
        let c = relevant(true, 0.005, 0.01);
        assert!(c.ok);
        assert!(c.message.contains("small part"));
        assert!(!relevant(true, 0.4, 0.5).message.contains("small part"));
    }

    #[test]
    fn time_bound_needs_a_later_deadline() {
        let table = [
            (
                date(2026, 11, 22),
                date(2027, 3, 31),
                true,
                "is 129 days after",
            ),
            (date(2026, 12, 31), date(2027, 1, 1), true, "is 1 day after"),
            (
                date(2026, 11, 22),
                date(2026, 11, 22),
                false,
                "is not after",
            ),
            (date(2026, 11, 22), date(2026, 6, 8), false, "is not after"),
        ];
        for (start, deadline, ok, want) in table {
            let c = time_bound(start, deadline);
            assert_eq!(c.ok, ok);
            assert!(c.message.contains(want), "{}", c.message);
        }
    }

    #[test]
    fn focus_refuses_a_goal_over_the_limit() {
        let table: &[(usize, usize, bool, &str)] = &[
            (0, 3, true, "first active goal"),
            (2, 3, true, "third active goal, within the limit of 3"),
            (
                3,
                3,
                false,
                "already has 3 active goals, and the limit is 3",
            ),
            (3, 3, false, "a fourth is refused"),
            (1, 1, false, "1 active goal,"),
            (4, 5, true, "fifth"),
        ];
        for (active, limit, ok, want) in table {
            let c = focus(*active, *limit);
            assert_eq!(c.ok, *ok);
            assert!(c.message.contains(want), "{}", c.message);
        }
        assert!(focus(3, DEFAULT_FOCUS_LIMIT).message.contains("--force"));
    }
}
