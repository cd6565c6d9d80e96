//! Mapping files (TOML): which source column fills which canonical field, and
//! how its values are written. See docs/import.md.

use std::collections::BTreeMap;
use std::fmt;

use metas_domain::RecordKind;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// A whole mapping file.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub source: SourceSpec,
    pub fields: BTreeMap<String, FieldSpec>,
    /// Customer facts carried by interaction rows (`[customer] age = "Customer Age"`).
    pub customer: BTreeMap<String, FieldSpec>,
    /// Free attributes kept with the record (`[attributes] plan = "Plan"`).
    pub attributes: BTreeMap<String, FieldSpec>,
    /// Survey answers carried by interaction rows.
    pub surveys: Vec<SurveySpec>,
    /// The rubric QA reviews are scored on, with the column of each criterion.
    pub rubric: Option<RubricSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Json,
    Ndjson,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// The namespace of external ids: the same id under two sources is two records.
    pub name: String,
    #[serde(default = "default_record")]
    pub record: RecordKind,
    pub format: Option<Format>,
    /// CSV only; sniffed from the header line when absent.
    pub delimiter: Option<String>,
    /// Time zone for timestamps written without an offset (default UTC).
    pub timezone: Option<String>,
    /// JSON only: the dotted path of the array of records (e.g. "tickets").
    pub records: Option<String>,
    /// JSON only: arrays beside the records to join into each record.
    #[serde(default)]
    pub join: Vec<JoinSpec>,
    /// Columns to leave out of the "ignored columns" report.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Interaction rows that say the record is gone (Zendesk's incremental
    /// export writes deleted tickets with `status: "deleted"`): such a row
    /// removes the interaction, and everything tied to it, from the database.
    pub deleted_when: Option<DeletedWhen>,
}

/// `deleted_when = { column = "status", values = ["deleted"] }`: a row whose
/// cell in `column` is one of `values` (ignoring case) is a deletion.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeletedWhen {
    pub column: String,
    pub values: Vec<String>,
}

fn default_record() -> RecordKind {
    RecordKind::Interaction
}

/// Joins a top-level array into each record: for a record whose `on` equals
/// an element's `key`, that element is placed under `into`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinSpec {
    pub array: String,
    pub key: String,
    pub on: String,
    pub into: String,
}

/// How one canonical field is filled.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The source column (CSV header) or dotted path (JSON).
    pub column: Option<String>,
    /// A constant for every row ("every row is a phone call").
    pub value: Option<String>,
    /// A date column to combine with `time`.
    pub date: Option<String>,
    /// A time-of-day column to combine with `date`.
    pub time: Option<String>,
    /// Timestamp format: auto (ISO 8601), epoch, epoch_ms, or a strftime pattern.
    pub format: Option<String>,
    /// Pattern of the `date` column when it is not YYYY-MM-DD.
    pub date_format: Option<String>,
    /// Duration unit: seconds, minutes, hours, days, ms, hms.
    pub unit: Option<String>,
    /// Time zone of this column when it differs from the source's.
    pub timezone: Option<String>,
    /// Source value → canonical value, applied before parsing. A value mapped
    /// to "" becomes empty.
    #[serde(default)]
    pub map: BTreeMap<String, String>,
    #[serde(default)]
    pub true_values: Vec<String>,
    #[serde(default)]
    pub false_values: Vec<String>,
    /// Booleans: store the opposite (e.g. abandoned = not answered).
    #[serde(default)]
    pub negate: bool,
    /// Scores: the scale [min, max].
    pub scale: Option<[f64; 2]>,
    /// Used when the cell is empty.
    pub default: Option<String>,
    /// Skip this field when the file has no such column (for exports whose
    /// columns are chosen by the user).
    #[serde(default)]
    pub optional: bool,
}

impl<'de> Deserialize<'de> for FieldSpecOrColumn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FieldSpecOrColumn;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a column name or a table such as { column = \"…\", unit = \"hours\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FieldSpecOrColumn(FieldSpec {
                    column: Some(v.to_string()),
                    ..FieldSpec::default()
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                FieldSpec::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(FieldSpecOrColumn)
            }
        }
        d.deserialize_any(V)
    }
}

/// A field given either as a bare column name or as a table.
pub struct FieldSpecOrColumn(pub FieldSpec);

pub(crate) mod field_map {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, FieldSpec>, D::Error> {
        let m: BTreeMap<String, FieldSpecOrColumn> = BTreeMap::deserialize(d)?;
        Ok(m.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
}

/// A survey answer carried by an interaction row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveySpec {
    /// csat, ces, nps or custom.
    pub kind: String,
    /// The column holding the score.
    pub column: String,
    pub scale: Option<[f64; 2]>,
    /// Source value → score (e.g. good = "5", offered = "").
    #[serde(default)]
    pub map: BTreeMap<String, String>,
    /// Column of the answer time (default: the interaction's creation).
    pub answered_at: Option<String>,
    pub comment: Option<String>,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricSpec {
    pub name: String,
    pub description: Option<String>,
    /// Default scale of the criteria.
    pub scale: Option<[f64; 2]>,
    #[serde(default)]
    pub criteria: Vec<CriterionSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionSpec {
    pub name: String,
    pub column: String,
    pub scale: Option<[f64; 2]>,
    #[serde(default = "one")]
    pub weight: f64,
    #[serde(default)]
    pub critical: bool,
    pub standard: Option<f64>,
    /// Cells meaning "not applicable" (default N/A, NA, n/a).
    #[serde(default)]
    pub na_values: Vec<String>,
}

fn one() -> f64 {
    1.0
}

/// A mapping file that could not be read. Carries the line where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingError {
    pub line: Option<usize>,
    pub message: String,
}

/// The line (1-based) on which `key` is set inside `[section]` of a TOML text.
pub fn line_of_key(text: &str, section: Option<&str>, key: &str) -> Option<usize> {
    let mut current: Option<String> = None;
    for (n, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.starts_with('[') {
            current = Some(l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
            continue;
        }
        let in_section = match section {
            None => true,
            Some(s) => current.as_deref() == Some(s),
        };
        if in_section {
            let k = l.split('=').next().unwrap_or("").trim().trim_matches('"');
            if k == key {
                return Some(n + 1);
            }
        }
    }
    None
}

/// The line (1-based) of the `[section]` (or `[[section]]`) header.
pub fn line_of_section(text: &str, section: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.trim().trim_matches(|c| c == '[' || c == ']').trim() == section
                && l.trim().starts_with('[')
        })
        .map(|n| n + 1)
}

/// Reads a mapping from TOML text.
pub fn parse_mapping(text: &str) -> Result<Mapping, MappingError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Raw {
        source: SourceSpec,
        #[serde(default, with = "field_map")]
        fields: BTreeMap<String, FieldSpec>,
        #[serde(default, with = "field_map")]
        customer: BTreeMap<String, FieldSpec>,
        #[serde(default, with = "field_map")]
        attributes: BTreeMap<String, FieldSpec>,
        #[serde(default)]
        surveys: Vec<SurveySpec>,
        rubric: Option<RubricSpec>,
    }
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        MappingError {
            line,
            message: e.message().trim().to_string(),
        }
    })?;
    Ok(Mapping {
        source: raw.source,
        fields: raw.fields,
        customer: raw.customer,
        attributes: raw.attributes,
        surveys: raw.surveys,
        rubric: raw.rubric,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_strings_and_tables_both_map_fields() {
        let m = parse_mapping(
            r#"
[source]
name = "x"
[fields]
external_id = "Id"
created_at = { date = "Date", time = "Time" }
"#,
        )
        .unwrap();
        assert_eq!(m.fields["external_id"].column.as_deref(), Some("Id"));
        assert_eq!(m.fields["created_at"].date.as_deref(), Some("Date"));
        assert_eq!(m.source.record, RecordKind::Interaction);
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "[source]\nname = \"x\"\n[fields]\nexternal_id = { colum = \"Id\" }\n",
                4,
                "unknown field `colum`",
            ),
            (
                "[source]\nname = \"x\"\nrecord = \"ticket\"\n",
                3,
                "unknown variant `ticket`",
            ),
            (
                "[source]\nname = \"x\"\n[feilds]\n",
                3,
                "unknown field `feilds`",
            ),
            ("[source]\nname = \"x\n", 2, ""),
        ];
        for (text, line, fragment) in cases {
            let e = parse_mapping(text).unwrap_err();
            assert_eq!(e.line, Some(line), "{text:?}: {e:?}");
            assert!(e.message.contains(fragment), "{text:?}: {}", e.message);
        }
    }

    #[test]
    fn lines_of_keys_and_sections() {
        let text = "[source]\nname = \"x\"\n[fields]\nexternal_id = \"Id\"\n[[surveys]]\nkind = \"csat\"\n";
        assert_eq!(line_of_key(text, Some("fields"), "external_id"), Some(4));
        assert_eq!(line_of_key(text, Some("surveys"), "kind"), Some(6));
        assert_eq!(line_of_section(text, "surveys"), Some(5));
    }
}
