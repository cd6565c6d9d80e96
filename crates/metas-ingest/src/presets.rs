//! Built-in mappings, chosen with `--preset NAME`.

use crate::mapping::{parse_mapping, Mapping};

/// Names and one-line descriptions of the built-in presets.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "generic",
        "CSV/JSON/NDJSON whose columns are named like metas' canonical fields (docs/import.md)",
    ),
    (
        "zendesk",
        "Zendesk Support tickets export (JSON) with ticket metric sets",
    ),
    ("freshdesk", "Freshdesk ticket export (CSV)"),
];

/// The mapping text of a file-backed preset (`generic` is built from the header).
pub fn preset_text(name: &str) -> Option<&'static str> {
    match name {
        "zendesk" => Some(include_str!("presets/zendesk.toml")),
        "freshdesk" => Some(include_str!("presets/freshdesk.toml")),
        _ => None,
    }
}

/// A file-backed preset, parsed.
pub fn preset(name: &str) -> Option<(Mapping, &'static str)> {
    let text = preset_text(name)?;
    Some((parse_mapping(text).expect("built-in presets parse"), text))
}

#[cfg(test)]
mod tests {
    #[test]
    fn presets_parse() {
        for (name, _) in super::PRESETS {
            if *name != "generic" {
                assert!(super::preset(name).is_some(), "{name}");
            }
        }
    }
}
