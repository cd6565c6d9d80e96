//! A translator for one language: messages, and the locale's numbers and
//! dates.

use fluent_bundle::{FluentArgs, FluentValue};
use jiff::civil::Date;
use jiff::Zoned;
use metas_domain::goal::{Sentence, SentenceArg};
use metas_domain::kpi::{display_value, Definition, DefinitionArg, Grain, Unit};

use crate::catalogue::BUNDLES;
use crate::Lang;

/// The messages and formats of one language, given explicitly: a page takes
/// the request's, an e-mail its recipient's, the CLI its user's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The `<html lang>` tag.
    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// A message with arguments; the English one when this language lacks
    /// it, the id itself when no language has it (the tests forbid both).
    pub fn args(&self, id: &str, args: &[(&str, String)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (k, v) in args {
            fluent_args.set(*k, FluentValue::from(v.clone()));
        }
        for lang in [self.lang, Lang::En] {
            let bundle = &BUNDLES[lang.index()];
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = vec![];
                let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
                return text.into_owned();
            }
        }
        id.to_string()
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        self.args(id, &[])
    }

    /// A message with one argument.
    pub fn t1(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.args(id, &[(name, value.to_string())])
    }

    /// A message with two arguments.
    pub fn t2(
        &self,
        id: &str,
        n1: &str,
        v1: impl std::fmt::Display,
        n2: &str,
        v2: impl std::fmt::Display,
    ) -> String {
        self.args(id, &[(n1, v1.to_string()), (n2, v2.to_string())])
    }

    /// A number the domain formatted (`1,234.5`) with this locale's
    /// separators: only a `,` or `.` between two digits is touched.
    pub fn num(&self, text: &str) -> String {
        let (group, decimal) = separators(self.lang);
        if self.lang == Lang::En || self.lang == Lang::ZhCn {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 4);
        for (i, c) in chars.iter().enumerate() {
            let between_digits = i > 0
                && i + 1 < chars.len()
                && chars[i - 1].is_ascii_digit()
                && chars[i + 1].is_ascii_digit();
            match c {
                ',' if between_digits => out.push_str(group),
                '.' if between_digits => out.push(decimal),
                _ => out.push(*c),
            }
        }
        out
    }

    /// A KPI value in its unit, the locale's way.
    pub fn value(&self, unit: Unit, v: f64) -> String {
        self.num(&display_value(unit, v))
    }

    /// A count with the locale's thousands separator.
    pub fn count(&self, n: u64) -> String {
        self.value(Unit::Count, n as f64)
    }

    /// A date the locale's way (22 Nov 2026, 22 nov 2026, 2026年11月22日…).
    pub fn date(&self, d: Date) -> String {
        let (y, day) = (d.year(), d.day());
        let m = month_abbr(self.lang, d.month());
        match self.lang {
            Lang::En | Lang::Es | Lang::Fr => format!("{day} {m} {y}"),
            Lang::Pt => format!("{day} de {m} de {y}"),
            Lang::ZhCn => format!("{y}年{}月{day}日", d.month()),
        }
    }

    /// A date's month the locale's way (Nov 2026, nov 2026, nov. 2026,
    /// nov. de 2026, 2026年11月).
    pub fn month(&self, d: Date) -> String {
        let y = d.year();
        let m = month_abbr(self.lang, d.month());
        match self.lang {
            Lang::En | Lang::Es | Lang::Fr => format!("{m} {y}"),
            Lang::Pt => format!("{m} de {y}"),
            Lang::ZhCn => format!("{y}年{}月", d.month()),
        }
    }

    /// A bucket of a series, named by its first day the locale's way: the
    /// day (a day or a week), the month, the quarter, the year, or the
    /// fiscal year by the month it starts.
    pub fn period(&self, grain: Grain, start: Date) -> String {
        match grain {
            Grain::Day | Grain::Week => self.date(start),
            Grain::Month => self.month(start),
            Grain::Quarter => self.t2(
                "period-quarter",
                "quarter",
                (start.month() - 1) / 3 + 1,
                "year",
                start.year(),
            ),
            Grain::Year => start.year().to_string(),
            Grain::FiscalYear => self.t1("period-fiscal-year", "start", self.month(start)),
        }
    }

    /// A moment the locale's way, to the minute, with its zone's
    /// abbreviation (22 Nov 2026, 14:31 CET; 2026年11月22日 14:31 CET).
    pub fn date_time(&self, t: &Zoned) -> String {
        let day = self.date(t.date());
        let time = format!("{:02}:{:02}", t.hour(), t.minute());
        let zone = t.strftime("%Z");
        match self.lang {
            Lang::En | Lang::Es | Lang::Pt => format!("{day}, {time} {zone}"),
            Lang::Fr => format!("{day} à {time} {zone}"),
            Lang::ZhCn => format!("{day} {time} {zone}"),
        }
    }

    /// A sentence of the domain (a goal's history) in this language.
    pub fn sentence(&self, s: &Sentence) -> String {
        let args: Vec<(&str, String)> = s
            .args
            .iter()
            .map(|(name, arg)| {
                let text = match arg {
                    SentenceArg::Text(t) => t.clone(),
                    SentenceArg::Date(d) => self.date(*d),
                    SentenceArg::Value(unit, v) => self.value(*unit, *v),
                    SentenceArg::Kpi(id) => self.kpi_name(id),
                    SentenceArg::Word(id) => self.t(id),
                };
                (*name, text)
            })
            .collect();
        self.args(s.key, &args)
    }

    /// A KPI's name in this language.
    pub fn kpi_name(&self, id: &str) -> String {
        self.t(&format!("kpi-{}", id.replace('_', "-")))
    }

    /// A KPI's written definition in this language, as the settings in
    /// force make it ([`KpiDef::definition`](metas_domain::kpi::KpiDef::definition)).
    pub fn kpi_definition(&self, d: &Definition) -> String {
        let args: Vec<(&str, String)> = d
            .args
            .iter()
            .map(|(name, arg)| {
                let text = match arg {
                    DefinitionArg::Value(v) => self.num(v),
                    DefinitionArg::Terms(ids) => ids
                        .iter()
                        .map(|id| self.t(id))
                        .collect::<Vec<_>>()
                        .join(" + "),
                };
                (*name, text)
            })
            .collect();
        self.args(&d.message, &args)
    }

    /// The switcher's choices: (tag, own name, selected).
    pub fn choices(&self) -> Vec<(&'static str, &'static str, bool)> {
        self.lang.choices()
    }
}

/// A month's short name (1–12).
fn month_abbr(lang: Lang, month: i8) -> &'static str {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const ES: [&str; 12] = [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
    ];
    const FR: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    const PT: [&str; 12] = [
        "jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.",
        "dez.",
    ];
    let names = match lang {
        Lang::En | Lang::ZhCn => &EN,
        Lang::Es => &ES,
        Lang::Fr => &FR,
        Lang::Pt => &PT,
    };
    names[(month.clamp(1, 12) - 1) as usize]
}

/// Thousands and decimal separators.
fn separators(lang: Lang) -> (&'static str, char) {
    match lang {
        Lang::En | Lang::ZhCn => (",", '.'),
        Lang::Es | Lang::Pt => (".", ','),
        // French groups with a narrow no-break space.
        Lang::Fr => ("\u{202f}", ','),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use metas_domain::settings::KpiSettings;

    #[test]
    fn numbers_and_dates_follow_the_locale() {
        let d = Date::new(2026, 11, 22).unwrap();
        let cases: &[(Lang, &str, &str, &str)] = &[
            (Lang::En, "1,234.5 %", "1,234.5 %", "22 Nov 2026"),
            (Lang::Es, "1,234.5 %", "1.234,5 %", "22 nov 2026"),
            (Lang::Fr, "1,234.5 %", "1\u{202f}234,5 %", "22 nov. 2026"),
            (Lang::Pt, "12.5", "12,5", "22 de nov. de 2026"),
            (Lang::ZhCn, "1,234.5", "1,234.5", "2026年11月22日"),
        ];
        for (lang, input, want, date) in cases {
            let tr = Tr::new(*lang);
            assert_eq!(tr.num(input), *want, "{lang:?}");
            assert_eq!(tr.date(d), *date, "{lang:?}");
        }
        // Months and the buckets of a series.
        let june = Date::new(2026, 6, 1).unwrap();
        for (lang, month, quarter, fiscal) in [
            (Lang::En, "Jun 2026", "Q2 2026", "FY from Jun 2026"),
            (Lang::Es, "jun 2026", "T2 2026", "AF desde jun 2026"),
            (
                Lang::Fr,
                "juin 2026",
                "T2 2026",
                "Exercice depuis juin 2026",
            ),
            (Lang::Pt, "jun. de 2026", "T2 2026", "AF desde jun. de 2026"),
            (
                Lang::ZhCn,
                "2026年6月",
                "2026年第2季度",
                "始于2026年6月的财年",
            ),
        ] {
            let tr = Tr::new(lang);
            assert_eq!(tr.month(june), month, "{lang:?}");
            assert_eq!(tr.period(Grain::Month, june), month, "{lang:?}");
            assert_eq!(tr.period(Grain::Quarter, june), quarter, "{lang:?}");
            assert_eq!(tr.period(Grain::FiscalYear, june), fiscal, "{lang:?}");
            assert_eq!(tr.period(Grain::Week, june), tr.date(june), "{lang:?}");
            assert_eq!(tr.period(Grain::Year, june), "2026", "{lang:?}");
        }
        // Separators elsewhere are left alone.
        assert_eq!(Tr::new(Lang::Es).num("a, b. 1h 02m"), "a, b. 1h 02m");
    }

    /// What an e-mail or the CLI does: a language given, no request.
    #[test]
    fn an_explicit_language_outside_any_request() {
        let es = Tr::new(Lang::Es);
        assert_eq!(es.lang(), Lang::Es);
        assert_eq!(es.count(1_234_567), "1.234.567");
        assert_eq!(es.num("1,234.5"), "1.234,5");
        assert_eq!(es.date(Date::new(2026, 1, 5).unwrap()), "5 ene 2026");
        assert_eq!(es.t("nav-goals"), "Objetivos");
        assert_eq!(
            es.t2(
                "dashboard-window",
                "from",
                "1 ene 2026",
                "to",
                "31 ene 2026"
            ),
            "Del 1 ene 2026 al 31 ene 2026,"
        );
        assert_eq!(Tr::new(Lang::En).t("nav-goals"), "Goals");
    }

    #[test]
    fn moments_follow_the_locale_to_the_minute() {
        let t: jiff::Timestamp = "2026-12-01T14:31:31.820074Z".parse().unwrap();
        let utc = t.to_zoned(jiff::tz::TimeZone::UTC);
        let madrid = t.to_zoned(jiff::tz::TimeZone::get("Europe/Madrid").unwrap());
        let cases: &[(Lang, &Zoned, &str)] = &[
            (Lang::En, &utc, "1 Dec 2026, 14:31 UTC"),
            (Lang::Es, &madrid, "1 dic 2026, 15:31 CET"),
            (Lang::Fr, &utc, "1 déc. 2026 à 14:31 UTC"),
            (Lang::Pt, &utc, "1 de dez. de 2026, 14:31 UTC"),
            (Lang::ZhCn, &utc, "2026年12月1日 14:31 UTC"),
        ];
        for (lang, zoned, want) in cases {
            assert_eq!(Tr::new(*lang).date_time(zoned), *want, "{lang:?}");
        }
    }

    /// A goal's history reads as sentences in every language, with the
    /// locale's dates and values.
    #[test]
    fn history_sentences_in_every_language() {
        use metas_domain::goal::GoalEvent;
        let missed = GoalEvent::Settled {
            achieved: false,
            deadline: Date::new(2026, 6, 30).unwrap(),
            value: 0.8126,
        };
        let checkin = GoalEvent::CheckedIn {
            on: Date::new(2026, 6, 2).unwrap(),
            comment: "Macros live".into(),
        };
        let en = Tr::new(Lang::En);
        assert_eq!(
            en.sentence(&missed.sentence("metas", "csat")),
            "The deadline 30 Jun 2026 passed with Customer satisfaction (CSAT) at 81.3 %: the goal is missed."
        );
        assert_eq!(
            Tr::new(Lang::Es).sentence(&missed.sentence("metas", "csat")),
            "El plazo del 30 jun 2026 venció con Satisfacción del cliente (CSAT) en 81,3 %: objetivo no alcanzado."
        );
        for lang in Lang::ALL {
            let tr = Tr::new(lang);
            let s = tr.sentence(&checkin.sentence("Omar Haddad", "frt"));
            assert!(
                s.contains("Omar Haddad") && s.contains("Macros live"),
                "{lang:?}: {s}"
            );
            assert!(!s.starts_with("goal-history"), "{lang:?}: {s}");
        }
    }

    #[test]
    fn an_unknown_id_reads_as_itself() {
        assert_eq!(Tr::new(Lang::Fr).t("no-such-message"), "no-such-message");
    }

    #[test]
    fn translations_keep_the_arguments_and_differ_from_english() {
        let en = Tr::new(Lang::En);
        let args = [
            ("days", "30".to_string()),
            ("from", "X1".to_string()),
            ("to", "X2".to_string()),
        ];
        for lang in [Lang::Es, Lang::Fr, Lang::Pt, Lang::ZhCn] {
            let tr = Tr::new(lang);
            // A sentence with arguments keeps them.
            let s = tr.args("dashboard-window", &args);
            assert!(s.contains("X1") && s.contains("X2"), "{}: {s}", lang.tag());
            // The navigation is really translated.
            assert_ne!(tr.t("nav-goals"), en.t("nav-goals"), "{}", lang.tag());
            assert_ne!(
                tr.t("login-password"),
                en.t("login-password"),
                "{}",
                lang.tag()
            );
            let fcr = metas_domain::kpi::kpi("fcr")
                .unwrap()
                .definition(&KpiSettings::default());
            assert_ne!(tr.kpi_definition(&fcr), en.kpi_definition(&fcr));
            // Every KPI of the domain's catalogue has a name and a definition.
            for k in metas_domain::kpi::CATALOGUE {
                let name = tr.kpi_name(k.id);
                assert!(!name.starts_with("kpi-"), "{}: {name}", lang.tag());
                let definition = tr.kpi_definition(&k.definition(&KpiSettings::default()));
                assert!(
                    !definition.starts_with("kpi-"),
                    "{}: {definition}",
                    lang.tag()
                );
            }
        }
    }

    /// Every way the settings can shape a definition: one setting changed
    /// at a time from the defaults.
    fn every_setting_mode() -> Vec<KpiSettings> {
        let mut out = vec![KpiSettings::default()];
        for (key, value) in [
            ("csat.threshold", "3.5"),
            ("csat.neutral_in_denominator", "no"),
            ("fcr.mode", "one_touch"),
            ("fcr.mode", "flag"),
            ("fcr.window_days", "3"),
            ("aht.parts", "talk"),
            ("aht.parts", "hold,acw"),
            ("ces.scale", "5"),
            ("service_level.threshold_secs", "30"),
        ] {
            let mut s = KpiSettings::default();
            s.set(key, value).unwrap();
            out.push(s);
        }
        out
    }

    /// The CLI and the API show the domain's English text, the pages the
    /// catalogue's: they must be one text, and every language must have
    /// every variant.
    #[test]
    fn definitions_in_force_read_the_same_everywhere() {
        let en = Tr::new(Lang::En);
        // (A message missing in one language would fall back to English;
        // the catalogue's own test finds that.)
        for s in every_setting_mode() {
            for k in metas_domain::kpi::CATALOGUE {
                let d = k.definition(&s);
                assert_eq!(en.kpi_definition(&d), d.text, "{} {:?}", k.id, d.message);
                for lang in [Lang::Es, Lang::Fr, Lang::Pt, Lang::ZhCn] {
                    let text = Tr::new(lang).kpi_definition(&d);
                    assert!(!text.starts_with("kpi-"), "{}: {text}", lang.tag());
                }
            }
        }
    }
}
