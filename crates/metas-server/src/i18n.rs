//! The five languages of the web app (SPEC §9): English, Spanish, French,
//! Portuguese and Chinese (simplified).
//!
//! Messages are Fluent files (`locales/*.ftl`) compiled into the binary. The
//! language of a request is, in order: the user's setting, the `metas_lang`
//! cookie (what the login page's links set), the browser's Accept-Language,
//! English. A middleware decides it once per request and keeps it in a task
//! local, so the error mapping speaks the same language as the page.
//!
//! Numbers are formatted by the domain (`display_value`) with `.` for
//! decimals and `,` for thousands; [`Tr::num`] turns those separators into the
//! locale's. Dates are written the locale's way by [`Tr::date`]; form fields
//! keep ISO dates, which every browser and the CLI read alike.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use jiff::civil::Date;
use metas_domain::kpi::{display_value, Unit};

/// A language of the web app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
    Fr,
    Pt,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Es, Lang::Fr, Lang::Pt, Lang::ZhCn];

    /// The BCP 47 tag (`<html lang>`, the user setting, the cookie).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::Pt => "pt",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's own name, as the switcher shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Fr => "Français",
            Lang::Pt => "Português",
            Lang::ZhCn => "简体中文",
        }
    }

    /// Reads a tag or a browser's language range: `es`, `es-MX`, `pt-BR`,
    /// `zh`, `zh-Hans-CN`… (Traditional Chinese is not offered as Simplified).
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "fr" => Some(Lang::Fr),
            "pt" => Some(Lang::Pt),
            "zh" if tag.contains("hant") || tag.ends_with("-tw") || tag.ends_with("-hk") => None,
            "zh" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The best of our languages for an Accept-Language header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let range = pieces.next().unwrap_or("").trim();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .filter_map(|q| q.trim().parse::<f32>().ok())
                .next()
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(lang) = Lang::parse(range) {
                // Higher quality first; among equals, the earlier one.
                if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                    best = Some((q, i, lang));
                }
            }
        }
        best.map(|(_, _, l)| l)
    }

    fn index(self) -> usize {
        Lang::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en.ftl"),
            Lang::Es => include_str!("../locales/es.ftl"),
            Lang::Fr => include_str!("../locales/fr.ftl"),
            Lang::Pt => include_str!("../locales/pt.ftl"),
            Lang::ZhCn => include_str!("../locales/zh-CN.ftl"),
        }
    }

    /// Thousands and decimal separators.
    fn separators(self) -> (&'static str, char) {
        match self {
            Lang::En | Lang::ZhCn => (",", '.'),
            Lang::Es | Lang::Pt => (".", ','),
            // French groups with a narrow no-break space.
            Lang::Fr => ("\u{202f}", ','),
        }
    }
}

/// Every language's messages, parsed once.
struct Catalog {
    bundles: Vec<FluentBundle<FluentResource>>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let bundles = Lang::ALL
        .iter()
        .map(|lang| {
            let id: unic_langid::LanguageIdentifier =
                lang.tag().parse().expect("the five tags are valid");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No bidi isolation marks around arguments: none of the five
            // languages is right-to-left, and the marks would end up in CSV
            // cells and test assertions.
            bundle.set_use_isolating(false);
            // A file that does not parse fails the `every_locale_parses`
            // test; here what parsed is still served.
            let resource = FluentResource::try_new(lang.source().to_string())
                .unwrap_or_else(|(partial, _)| partial);
            // Duplicate ids keep the first (also caught by the tests).
            let _ = bundle.add_resource(resource);
            bundle
        })
        .collect();
    Catalog { bundles }
});

tokio::task_local! {
    /// The request's language, and whether it is a page (not an API call).
    static CURRENT: (Lang, bool);
}

/// Runs a request's future with its language in force.
pub async fn scope<F: std::future::Future>(lang: Lang, html: bool, f: F) -> F::Output {
    CURRENT.scope((lang, html), f).await
}

/// Whether the request being served is a page's (errors then render as a
/// page rather than the API's JSON envelope).
pub fn wants_html() -> bool {
    CURRENT.try_with(|c| c.1).unwrap_or(false)
}

/// The translator of one request.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The language of the request being served (English outside one).
    pub fn current() -> Tr {
        Tr::new(CURRENT.try_with(|c| c.0).unwrap_or(Lang::En))
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
            let bundle = &CATALOG.bundles[lang.index()];
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
        let (group, decimal) = self.lang.separators();
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
        let m = (d.month() - 1) as usize;
        let (y, day) = (d.year(), d.day());
        match self.lang {
            Lang::En => {
                const M: [&str; 12] = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ];
                format!("{day} {} {y}", M[m])
            }
            Lang::Es => {
                const M: [&str; 12] = [
                    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov",
                    "dic",
                ];
                format!("{day} {} {y}", M[m])
            }
            Lang::Fr => {
                const M: [&str; 12] = [
                    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
                    "oct.", "nov.", "déc.",
                ];
                format!("{day} {} {y}", M[m])
            }
            Lang::Pt => {
                const M: [&str; 12] = [
                    "jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.",
                    "nov.", "dez.",
                ];
                format!("{day} de {} de {y}", M[m])
            }
            Lang::ZhCn => format!("{y}年{}月{day}日", m + 1),
        }
    }

    /// A KPI's name in this language.
    pub fn kpi_name(&self, id: &str) -> String {
        self.t(&format!("kpi-{}", id.replace('_', "-")))
    }

    /// A KPI's written definition in this language.
    pub fn kpi_definition(&self, id: &str) -> String {
        self.t(&format!("kpi-{}-definition", id.replace('_', "-")))
    }

    /// The switcher's choices: (tag, own name, selected).
    pub fn choices(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|l| (l.tag(), l.own_name(), *l == self.lang))
            .collect()
    }
}

/// The message ids each Fluent file defines, for the tests.
#[cfg(test)]
fn message_ids(lang: Lang) -> Vec<String> {
    let resource = match FluentResource::try_new(lang.source().to_string()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// Whether a language's file parses without errors.
#[cfg(test)]
fn parses(lang: Lang) -> Result<(), String> {
    FluentResource::try_new(lang.source().to_string())
        .map(|_| ())
        .map_err(|(_, errors)| format!("{} : {errors:?}", lang.tag()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        let cases: &[(&str, Option<Lang>)] = &[
            ("es-MX,es;q=0.9,en;q=0.8", Some(Lang::Es)),
            ("de-DE,de;q=0.9,fr;q=0.5,en;q=0.4", Some(Lang::Fr)),
            ("zh-CN,zh;q=0.9", Some(Lang::ZhCn)),
            ("zh-TW", None),
            ("pt-BR", Some(Lang::Pt)),
            ("en;q=0.1, pt;q=0.9", Some(Lang::Pt)),
            ("fr;q=0, en", Some(Lang::En)),
            ("de", None),
            ("", None),
        ];
        for (header, want) in cases {
            assert_eq!(Lang::from_accept_language(header), *want, "{header}");
        }
    }

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
        // Separators elsewhere are left alone.
        assert_eq!(Tr::new(Lang::Es).num("a, b. 1h 02m"), "a, b. 1h 02m");
    }

    /// Every message id the code asks for, literal or built from a closed
    /// set (roles, statuses, grains, KPIs, check letters…).
    fn ids_used() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = Vec::new();
        let mut files = Vec::new();
        for dir in ["src", "templates"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                files.push(e.unwrap().path());
            }
        }
        files.push(root.join("../metas-domain/src/goal/checks.rs"));
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for call in [".t(\"", ".t1(\"", ".t2(\"", ".args(\"", ".keyed(\""] {
                for (i, _) in text.match_indices(call) {
                    let rest = &text[i + call.len()..];
                    let id = rest.split('"').next().unwrap();
                    if id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
                    {
                        used.push(id.to_string());
                    }
                }
            }
            // Ids chosen at run time are quoted on their own: "check-…".
            for prefix in [
                "\"check-",
                "\"achievability-",
                "\"goal-plan-",
                "\"goal-sentence",
            ] {
                for (i, _) in text.match_indices(prefix) {
                    let id = text[i + 1..].split('"').next().unwrap();
                    // Whole ids only (not the prefixes this test writes).
                    if id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
                        && !id.ends_with('-')
                    {
                        used.push(id.to_string());
                    }
                }
            }
        }
        for role in ["admin", "manager", "lead", "agent"] {
            used.push(format!("role-{role}"));
        }
        for status in [
            "active",
            "draft",
            "achieved",
            "missed",
            "retired",
            "on_track",
            "at_risk",
            "off_track",
            "achieved_early",
        ] {
            used.push(format!("status-{status}"));
        }
        for grain in ["day", "week", "month", "quarter", "year", "fiscal-year"] {
            used.push(format!("grain-{grain}"));
        }
        for m in ["met", "not-met", "ahead"] {
            used.push(format!("milestone-{m}"));
        }
        for d in ["increase", "decrease"] {
            used.push(format!("goal-direction-{d}"));
        }
        for l in [
            "specific",
            "measurable",
            "achievable",
            "relevant",
            "time-bound",
            "focus",
        ] {
            used.push(format!("check-letter-{l}"));
        }
        for (p, _) in metas_ingest::PRESETS {
            used.push(format!("mapping-{p}"));
        }
        for k in metas_domain::kpi::CATALOGUE {
            let id = k.id.replace('_', "-");
            used.push(format!("kpi-{id}"));
            used.push(format!("kpi-{id}-definition"));
        }
        used.sort();
        used.dedup();
        used
    }

    #[test]
    fn every_locale_parses_and_has_every_message() {
        let english = message_ids(Lang::En);
        for lang in Lang::ALL {
            parses(lang).unwrap();
            let ids = message_ids(lang);
            let mut sorted = ids.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(
                sorted.len(),
                ids.len(),
                "{}: an id defined twice",
                lang.tag()
            );
            let missing: Vec<_> = english.iter().filter(|i| !ids.contains(i)).collect();
            let extra: Vec<_> = ids.iter().filter(|i| !english.contains(i)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.tag());
            assert!(extra.is_empty(), "{} has unknown {extra:?}", lang.tag());
        }
        let unknown: Vec<_> = ids_used()
            .into_iter()
            .filter(|i| !english.contains(i))
            .collect();
        assert!(unknown.is_empty(), "used but not in en.ftl: {unknown:?}");
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
            assert_ne!(tr.kpi_definition("fcr"), en.kpi_definition("fcr"));
        }
    }
}
