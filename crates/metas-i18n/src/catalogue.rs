//! The Fluent catalogues, compiled in: one file per language and feature
//! area (`locales/<tag>/<area>.ftl`), added to one bundle per language.
//!
//! A new feature adds its area to [`AREAS`] and one file per language; a
//! language without the file does not compile, and the tests below check
//! that every language's file has exactly the English ids and arguments.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::FluentResource;

use crate::Lang;

/// Lists the areas once, and includes every language's file for each.
macro_rules! catalogue {
    ($($area:literal),+ $(,)?) => {
        /// The feature areas, each a file per language, in the order they
        /// are added to a language's bundle.
        pub const AREAS: &[&str] = &[$($area),+];

        /// A language's files, in the order of [`AREAS`].
        fn sources(lang: Lang) -> &'static [&'static str] {
            match lang {
                Lang::En => &[$(include_str!(concat!("../locales/en/", $area, ".ftl"))),+],
                Lang::Es => &[$(include_str!(concat!("../locales/es/", $area, ".ftl"))),+],
                Lang::Fr => &[$(include_str!(concat!("../locales/fr/", $area, ".ftl"))),+],
                Lang::Pt => &[$(include_str!(concat!("../locales/pt/", $area, ".ftl"))),+],
                Lang::ZhCn => &[$(include_str!(concat!("../locales/zh-CN/", $area, ".ftl"))),+],
            }
        }
    };
}

catalogue!(
    "nav",
    "login",
    "errors",
    "shared",
    "charts",
    "dashboard",
    "explorer",
    "drill",
    "goals",
    "reviews",
    "import",
    "settings",
    "kpis",
    "sla",
    "staffing",
    "scorecard",
    "coaching",
    "quality",
    "profiles",
    "indicators",
);

/// Every language's messages, parsed once: `BUNDLES[lang.index()]`.
pub(crate) static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|lang| {
            let id: unic_langid::LanguageIdentifier =
                lang.tag().parse().expect("the five tags are valid");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No bidi isolation marks around arguments: none of the five
            // languages is right-to-left, and the marks would end up in CSV
            // cells and test assertions.
            bundle.set_use_isolating(false);
            for source in sources(*lang) {
                // A file that does not parse fails the `every_file_parses`
                // test; here what parsed is still served.
                let resource = FluentResource::try_new(source.to_string())
                    .unwrap_or_else(|(partial, _)| partial);
                // Duplicate ids keep the first (also caught by the tests).
                let _ = bundle.add_resource(resource);
            }
            bundle
        })
        .collect()
});

/// The message ids of a language's catalogue, area by area in file order
/// (for tests and tooling: the server checks the ids its code uses).
pub fn message_ids(lang: Lang) -> Vec<String> {
    sources(lang).iter().copied().flat_map(ids_in).collect()
}

/// The message ids one file defines, in order.
fn ids_in(source: &str) -> Vec<String> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .body
        .iter()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

    use super::*;

    /// Each language's file for each area: (area, source).
    fn files(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
        AREAS.iter().copied().zip(sources(lang).iter().copied())
    }

    #[test]
    fn every_file_parses() {
        for lang in Lang::ALL {
            for (area, source) in files(lang) {
                if let Err((_, errors)) = fluent_syntax::parser::parse(source) {
                    panic!("{}/{area}.ftl: {errors:?}", lang.tag());
                }
            }
        }
    }

    #[test]
    fn every_area_file_has_exactly_the_english_ids() {
        for (i, (area, english)) in files(Lang::En).enumerate() {
            let english = ids_in(english);
            assert!(!english.is_empty(), "en/{area}.ftl defines nothing");
            for lang in Lang::ALL {
                let ids = ids_in(sources(lang)[i]);
                let unique: BTreeSet<_> = ids.iter().collect();
                assert_eq!(
                    unique.len(),
                    ids.len(),
                    "{}/{area}.ftl: an id defined twice",
                    lang.tag()
                );
                let missing: Vec<_> = english.iter().filter(|i| !ids.contains(i)).collect();
                let extra: Vec<_> = ids.iter().filter(|i| !english.contains(i)).collect();
                assert!(
                    missing.is_empty(),
                    "{}/{area}.ftl lacks {missing:?}",
                    lang.tag()
                );
                assert!(
                    extra.is_empty(),
                    "{}/{area}.ftl has unknown {extra:?}",
                    lang.tag()
                );
            }
        }
        // No id in two areas: the bundle would keep only the first.
        let all = message_ids(Lang::En);
        let unique: BTreeSet<_> = all.iter().collect();
        assert_eq!(unique.len(), all.len(), "an id defined in two areas");
    }

    /// The arguments (`{ $name }`) each message of a file uses.
    fn arguments(source: &str) -> BTreeMap<String, BTreeSet<String>> {
        fn in_pattern(p: &Pattern<&str>, out: &mut BTreeSet<String>) {
            for element in &p.elements {
                if let PatternElement::Placeable { expression } = element {
                    in_expression(expression, out);
                }
            }
        }
        fn in_expression(e: &Expression<&str>, out: &mut BTreeSet<String>) {
            match e {
                Expression::Select { selector, variants } => {
                    in_inline(selector, out);
                    for v in variants {
                        in_pattern(&v.value, out);
                    }
                }
                Expression::Inline(i) => in_inline(i, out),
            }
        }
        fn in_inline(i: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
            match i {
                InlineExpression::VariableReference { id } => {
                    out.insert(id.name.to_string());
                }
                InlineExpression::FunctionReference { arguments, .. }
                | InlineExpression::TermReference {
                    arguments: Some(arguments),
                    ..
                } => {
                    for a in &arguments.positional {
                        in_inline(a, out);
                    }
                    for a in &arguments.named {
                        in_inline(&a.value, out);
                    }
                }
                InlineExpression::Placeable { expression } => in_expression(expression, out),
                _ => {}
            }
        }
        let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(r, _)| r);
        let mut found = BTreeMap::new();
        for entry in &resource.body {
            if let Entry::Message(m) = entry {
                let mut out = BTreeSet::new();
                if let Some(value) = &m.value {
                    in_pattern(value, &mut out);
                }
                for attribute in &m.attributes {
                    in_pattern(&attribute.value, &mut out);
                }
                found.insert(m.id.name.to_string(), out);
            }
        }
        found
    }

    #[test]
    fn translations_use_the_english_arguments() {
        for (i, (area, english)) in files(Lang::En).enumerate() {
            let english = arguments(english);
            for lang in &Lang::ALL[1..] {
                let translated = arguments(sources(*lang)[i]);
                for (id, args) in &english {
                    assert_eq!(
                        translated.get(id),
                        Some(args),
                        "{}/{area}.ftl: {id} must use exactly {args:?}",
                        lang.tag()
                    );
                }
            }
        }
    }

    #[test]
    fn arguments_are_found_in_selectors_variants_and_functions() {
        let source = "m = a { $b } { $c ->\n    [one] { $d }\n   *[other] { NUMBER($e) }\n}\n";
        assert!(fluent_syntax::parser::parse(source).is_ok());
        let found = arguments(source);
        let want: BTreeSet<String> = ["b", "c", "d", "e"].map(String::from).into();
        assert_eq!(found["m"], want);
    }
}
