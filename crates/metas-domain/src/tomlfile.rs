//! The TOML files users write (calendars, time-objective policies, QA
//! rubrics): read into their spec, and any fault told as one sentence that
//! names the file, the line and the field. Text in, values out: no IO, so
//! the fuzz targets (fuzz/parsers) run these very functions.

use serde::de::DeserializeOwned;

/// Reads `text` as `T`; a TOML fault becomes "FILE line N: what is wrong".
pub fn parse<T: DeserializeOwned>(text: &str, file_label: &str) -> Result<T, String> {
    toml::from_str(text).map_err(|e| {
        // The span is a byte offset; count the lines before it without
        // slicing, which a span inside a character would make panic.
        let line = e.span().map(|s| {
            let end = s.start.min(text.len());
            text.as_bytes()[..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1
        });
        format!(
            "{file_label}{}: {}",
            line.map(|l| format!(" line {l}")).unwrap_or_default(),
            e.message().trim_end_matches('\n')
        )
    })
}

/// "FILE line N: field: message", the line found by [`line_of`].
pub fn fault(text: &str, file_label: &str, field: &str, message: &str) -> String {
    sentence(file_label, line_of(text, field), field, message)
}

/// "FILE line N: field: message", or without the line when there is none.
pub fn sentence(file_label: &str, line: Option<usize>, field: &str, message: &str) -> String {
    let line = line.map(|l| format!(" line {l}")).unwrap_or_default();
    format!("{file_label}{line}: {field}: {message}")
}

/// The line of `field` in a TOML text: `description` at the top,
/// `targets.resolution` under `[targets]`, `criteria[2].weight` in the
/// second `[[criteria]]`. A field its section lacks points at the section.
pub fn line_of(text: &str, field: &str) -> Option<usize> {
    let (section, key) = match field.split_once('.') {
        Some((s, k)) => (Some(s), k),
        None => (None, field),
    };
    let (name, nth) = match section {
        None => (None, None),
        Some(s) => match s.strip_suffix(']').and_then(|x| x.split_once('[')) {
            Some((n, i)) => (Some(n), i.parse::<usize>().ok()),
            None => (Some(s), None),
        },
    };
    let mut seen = 0usize;
    let mut in_place = name.is_none();
    let mut section_line = None;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            in_place = false;
            if Some(t.trim_matches(['[', ']', ' '])) == name {
                seen += 1;
                if nth.is_none_or(|want| want == seen) {
                    in_place = true;
                    section_line.get_or_insert(n + 1);
                }
            }
            continue;
        }
        let k = t.split('=').next().unwrap_or("").trim().trim_matches('"');
        if in_place && t.contains('=') && k == key {
            return Some(n + 1);
        }
    }
    section_line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_fields() {
        let text = "name = \"x\"\n[targets]\nresolution = \"8h\"\n[[criteria]]\nweight = 1\n[[criteria]]\nkey = \"b\"\nweight = 0\n";
        for (field, want) in [
            ("name", Some(1)),
            ("targets.resolution", Some(3)),
            ("targets.missing", Some(2)),
            ("criteria[1].weight", Some(5)),
            ("criteria[2].weight", Some(8)),
            ("criteria[3].weight", None),
            ("nowhere", None),
        ] {
            assert_eq!(line_of(text, field), want, "{field}");
        }
    }

    #[test]
    fn a_fault_inside_a_character_names_its_line() {
        let e = parse::<toml::Value>("a = \"é\"\nb = é\n", "f.toml").unwrap_err();
        assert!(e.starts_with("f.toml line 2: "), "{e}");
    }
}
