//! The request's language. The languages themselves — the Fluent
//! catalogues, [`Tr`] and the locale's numbers and dates — are metas-i18n's;
//! this module keeps what belongs to a request: its language, decided once
//! by the `locale` middleware (the user's setting, the `metas_lang` cookie
//! the login page's links set, the browser's Accept-Language, English) and
//! kept in a task local, so the error mapping speaks the same language as
//! the page.

pub use metas_i18n::{Lang, Tr};

tokio::task_local! {
    /// The request's language, and whether it is a page (not an API call).
    static CURRENT: (Lang, bool);
}

/// Runs a request's future with its language in force.
pub async fn scope<F: std::future::Future>(lang: Lang, html: bool, f: F) -> F::Output {
    CURRENT.scope((lang, html), f).await
}

/// The language of the request being served (English outside one).
pub fn current_lang() -> Lang {
    CURRENT.try_with(|c| c.0).unwrap_or(Lang::En)
}

/// Whether the request being served is a page's (errors then render as a
/// page rather than the API's JSON envelope).
pub fn wants_html() -> bool {
    CURRENT.try_with(|c| c.1).unwrap_or(false)
}

/// `Tr::current()`, the translator of the request being served (English
/// outside one); a trait because [`Tr`] is metas-i18n's.
pub trait CurrentTr {
    fn current() -> Self;
}

impl CurrentTr for Tr {
    fn current() -> Tr {
        Tr::new(current_lang())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message id the code asks for, literal or built from a closed
    /// set (roles, statuses, grains, KPIs, check letters…).
    fn ids_used() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = Vec::new();
        let mut files = Vec::new();
        for dir in ["src", "templates"] {
            sources(&root.join(dir), &mut files);
        }
        files.push(root.join("../metas-domain/src/goal/checks.rs"));
        files.push(root.join("../metas-domain/src/goal/history.rs"));
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
                "\"goal-history-",
                "\"goal-decision-",
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
        used.extend(
            metas_domain::kpi::DEFINITION_MESSAGES
                .iter()
                .map(|m| m.to_string()),
        );
        used.sort();
        used.dedup();
        used
    }

    /// The files the scan reads: the server's sources and templates, in
    /// every folder below them.
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    /// The catalogues themselves (every language has the English ids, with
    /// the same arguments) are checked in metas-i18n; here, that every id
    /// the server's code, its templates and the domain's checks ask for is
    /// in the catalogue.
    #[test]
    fn every_message_the_code_uses_exists() {
        let english = metas_i18n::message_ids(Lang::En);
        let used = ids_used();
        // The scan really reads the code: an id from a handler, one from a
        // template, one built from a closed set, and the domain's checks.
        for id in ["error-csrf", "nav-goals", "kpi-fcr-definition"] {
            assert!(used.iter().any(|u| u == id), "the scan missed {id}");
        }
        assert!(
            used.iter()
                .any(|u| u.starts_with("check-") && !u.starts_with("check-letter-")),
            "the scan missed the domain's checks"
        );
        for id in ["goal-history-checkin", "goal-decision-retire"] {
            assert!(
                used.iter().any(|u| u == id),
                "the scan missed the history's {id}"
            );
        }
        let unknown: Vec<_> = used.into_iter().filter(|i| !english.contains(i)).collect();
        assert!(
            unknown.is_empty(),
            "used but not in the catalogue: {unknown:?}"
        );
    }

    /// The sentences of a KPI's note (why it has no figure) are the
    /// catalogue's: the English one word for word (the CLI and the API say
    /// it), and one in every language.
    #[test]
    fn kpi_notes_are_the_catalogues() {
        use metas_service::kpi::NOTE_SENTENCES;
        for (id, text) in NOTE_SENTENCES {
            assert_eq!(Tr::new(Lang::En).t(id), *text, "{id}");
            for lang in Lang::ALL {
                assert!(
                    metas_i18n::message_ids(lang).iter().any(|m| m == id),
                    "{lang:?} lacks {id}"
                );
            }
        }
    }

    #[tokio::test]
    async fn tr_current_reads_the_request_scope() {
        assert_eq!(Tr::current().lang(), Lang::En);
        assert!(!wants_html());
        let inside = scope(Lang::Pt, true, async {
            (Tr::current().lang(), wants_html())
        });
        assert_eq!(inside.await, (Lang::Pt, true));
    }
}
