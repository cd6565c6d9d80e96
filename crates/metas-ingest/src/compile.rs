//! A mapping compiled against one file: every mapped column resolved to a
//! position (CSV) or path (JSON), every value parser chosen. Building a row's
//! record is then a loop with no lookups by name.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use jiff::tz::TimeZone;
use metas_domain::{
    Channel, Deletion, Direction, EventKind, JourneyStage, Record, Status, SurveyAnswer, SurveyKind,
};
use metas_domain::{RubricCriterion, RubricDef};

use crate::fields::{field_names, CustomerDraft, Draft, Extras, FieldDef, Kind, Value};
use crate::mapping::{FieldSpec, Mapping, MappingError};
use crate::reader::{json_path, ColRef, Row};
use crate::values::{self, DurationUnit, TimestampFormat};

/// How the columns of the file are addressed.
pub enum Layout<'a> {
    Csv(&'a [String]),
    Json,
}

/// Why a row was rejected: the canonical field, the source column, the value
/// and the reason.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RowError {
    pub field: String,
    pub column: String,
    pub value: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
enum Getter {
    Col(ColRef, String),
    Const(String),
    DateTime {
        date: ColRef,
        time: ColRef,
        names: String,
        date_format: Option<String>,
    },
}

impl Getter {
    fn column_name(&self) -> String {
        match self {
            Getter::Col(_, n) => n.clone(),
            Getter::Const(_) => "(constant)".into(),
            Getter::DateTime { names, .. } => names.clone(),
        }
    }
}

#[derive(Debug, Clone)]
struct Parser {
    kind: Kind,
    ts_format: TimestampFormat,
    tz: TimeZone,
    unit: DurationUnit,
    map: BTreeMap<String, String>,
    true_values: Vec<String>,
    false_values: Vec<String>,
    negate: bool,
    default: Option<String>,
}

impl Parser {
    /// Applies the value map (exact, then case-insensitive).
    fn mapped<'v>(&'v self, raw: &'v str) -> &'v str {
        if self.map.is_empty() {
            return raw;
        }
        let t = raw.trim();
        if let Some(v) = self.map.get(t) {
            return v;
        }
        self.map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(t))
            .map(|(_, v)| v.as_str())
            .unwrap_or(raw)
    }

    fn parse(&self, raw: &str) -> Result<Value, String> {
        Ok(match self.kind {
            Kind::Text => Value::Text(raw.trim().to_string()),
            Kind::Timestamp => Value::Ts(values::parse_timestamp(raw, &self.ts_format, &self.tz)?),
            Kind::Elapsed | Kind::Duration => {
                Value::Secs(values::parse_duration_secs(raw, self.unit)?)
            }
            Kind::Bool => Value::Bool(
                values::parse_bool(raw, &self.true_values, &self.false_values)? != self.negate,
            ),
            Kind::Int => Value::Int(values::parse_int(raw)?),
            Kind::Number => Value::Num(values::parse_number(raw)?),
            Kind::Channel => Value::Channel(Channel::parse(raw).map_err(|e| e.to_string())?),
            Kind::Status => Value::Status(Status::parse(raw).map_err(|e| e.to_string())?),
            Kind::Direction => Value::Direction(Direction::parse(raw).map_err(|e| e.to_string())?),
            Kind::JourneyStage => {
                Value::JourneyStage(JourneyStage::parse(raw).map_err(|e| e.to_string())?)
            }
            Kind::EventKind => Value::EventKind(EventKind::parse(raw).map_err(|e| e.to_string())?),
            Kind::SurveyKind => {
                Value::SurveyKind(SurveyKind::parse(raw).map_err(|e| e.to_string())?)
            }
        })
    }
}

struct CompiledField<D: 'static> {
    def: &'static FieldDef<D>,
    getter: Getter,
    parser: Parser,
}

/// Reads a getter's raw text from a row (`None` when empty).
fn raw_value(getter: &Getter, row: &Row) -> Result<Option<String>, RowError> {
    Ok(match getter {
        Getter::Col(c, _) => row.get(c).map(|s| s.into_owned()),
        Getter::Const(v) => Some(v.clone()),
        Getter::DateTime { .. } => None,
    })
}

impl<D: Draft> CompiledField<D> {
    fn error(&self, value: &str, reason: String) -> RowError {
        RowError {
            field: self.def.name.to_string(),
            column: self.getter.column_name(),
            value: value.to_string(),
            reason,
        }
    }

    fn value(&self, row: &Row) -> Result<Option<Value>, RowError> {
        if let Getter::DateTime {
            date,
            time,
            date_format,
            ..
        } = &self.getter
        {
            let (d, t) = (row.get(date), row.get(time));
            let d = match d {
                None => return Ok(None),
                Some(d) => d,
            };
            let shown = format!("{} {}", d, t.as_deref().unwrap_or(""));
            let date = values::parse_date(&d, date_format.as_deref())
                .map_err(|r| self.error(&shown, r))?;
            let time = match t {
                None => jiff::civil::Time::midnight(),
                Some(t) => values::parse_time_of_day(&t).map_err(|r| self.error(&shown, r))?,
            };
            let ts = self
                .parser
                .tz
                .to_ambiguous_timestamp(date.to_datetime(time))
                .compatible()
                .map_err(|e| self.error(&shown, e.to_string()))?;
            return Ok(Some(Value::Ts(ts)));
        }
        let raw: Option<Cow<str>> = match &self.getter {
            Getter::Col(c, _) => row.get(c),
            Getter::Const(v) => Some(Cow::Borrowed(v.as_str())),
            Getter::DateTime { .. } => None,
        };
        let mapped = raw
            .as_deref()
            .map(|r| self.parser.mapped(r))
            .filter(|t| !t.trim().is_empty());
        let text: &str = match (mapped, &self.parser.default) {
            (Some(t), _) => t,
            (None, Some(d)) => d.as_str(),
            (None, None) => return Ok(None),
        };
        self.parser
            .parse(text)
            .map(Some)
            .map_err(|reason| self.error(raw.as_deref().unwrap_or(text), reason))
    }
}

struct CompiledSurvey {
    kind: SurveyKind,
    col: ColRef,
    column: String,
    scale: (f64, f64),
    map: BTreeMap<String, String>,
    answered_at: Option<(ColRef, String)>,
    comment: Option<ColRef>,
    tz: TimeZone,
}

struct CompiledCriterion {
    name: String,
    col: ColRef,
    column: String,
    scale: (f64, f64),
    na_values: Vec<String>,
}

/// A mapping ready to turn rows of one file into records.
pub struct Compiled<D: 'static> {
    fields: Vec<CompiledField<D>>,
    customer: Vec<CompiledField<CustomerDraft>>,
    surveys: Vec<CompiledSurvey>,
    attributes: Vec<(String, Getter)>,
    criteria: Vec<CompiledCriterion>,
    pub rubric: Option<RubricDef>,
    survey_scale: Option<(f64, f64)>,
    /// The columns whose values make up the row hash.
    hash_cols: Vec<ColRef>,
    /// Position of the identity field among `fields`, for duplicate checks.
    key: Option<usize>,
    /// Position of `updated_at` among `fields`: which of two copies is newer.
    updated_at: Option<usize>,
    /// The column and values that make a row a deletion.
    deleted_when: Option<(ColRef, Vec<String>)>,
    /// Header columns the mapping does not read.
    pub ignored_columns: Vec<String>,
}

struct Resolver<'a> {
    layout: &'a Layout<'a>,
    used: BTreeSet<String>,
    refs: Vec<ColRef>,
    text: &'a str,
}

impl Resolver<'_> {
    /// False only for a CSV whose header lacks the column.
    fn has(&self, name: &str) -> bool {
        match self.layout {
            Layout::Json => true,
            Layout::Csv(header) => header
                .iter()
                .any(|h| h == name || h.eq_ignore_ascii_case(name.trim())),
        }
    }

    fn column(&mut self, name: &str, section: &str, key: &str) -> Result<ColRef, MappingError> {
        let r = match self.layout {
            Layout::Json => json_path(name),
            Layout::Csv(header) => {
                let pos = header.iter().position(|h| h == name).or_else(|| {
                    header
                        .iter()
                        .position(|h| h.eq_ignore_ascii_case(name.trim()))
                });
                match pos {
                    Some(i) => {
                        self.used.insert(header[i].clone());
                        ColRef::Index(i)
                    }
                    None => {
                        let hint = if header.len() == 1 && header[0].contains([';', '\t', '|', ','])
                        {
                            " (the header reads as one column: is the delimiter right?)".to_string()
                        } else {
                            String::new()
                        };
                        return Err(MappingError {
                            line: crate::mapping::line_of_key(self.text, Some(section), key),
                            message: format!(
                                "[{section}] {key} names the column '{name}', which the file's header does not have{hint}; the header has: {}",
                                header.join(", ")
                            ),
                        });
                    }
                }
            }
        };
        if let Layout::Json = self.layout {
            self.used.insert(name.to_string());
        }
        if !self.refs.contains(&r) {
            self.refs.push(r.clone());
        }
        Ok(r)
    }
}

fn mapping_error(text: &str, section: &str, key: &str, message: String) -> MappingError {
    MappingError {
        line: crate::mapping::line_of_key(text, Some(section), key),
        message,
    }
}

fn timezone(
    name: Option<&str>,
    text: &str,
    section: &str,
    key: &str,
) -> Result<TimeZone, MappingError> {
    match name {
        None => Ok(TimeZone::UTC),
        Some(n) => TimeZone::get(n).map_err(|_| {
            mapping_error(
                text,
                section,
                key,
                format!("unknown time zone '{n}' (use an IANA name such as Europe/Madrid)"),
            )
        }),
    }
}

fn compile_fields<T: Draft>(
    specs: &BTreeMap<String, FieldSpec>,
    section: &str,
    catalogue: &'static [FieldDef<T>],
    source_tz: &TimeZone,
    res: &mut Resolver,
) -> Result<Vec<CompiledField<T>>, MappingError> {
    let text = res.text;
    let mut out = Vec::new();
    for (key, spec) in specs {
        let def = catalogue
            .iter()
            .find(|f| f.name == key.as_str())
            .ok_or_else(|| {
                mapping_error(
                    text,
                    section,
                    key,
                    format!(
                        "[{section}] names the unknown field '{key}'; known fields: {}",
                        field_names(catalogue)
                    ),
                )
            })?;
        if spec.optional {
            let wanted = [&spec.column, &spec.date, &spec.time];
            if wanted
                .iter()
                .any(|c| c.as_ref().is_some_and(|c| !res.has(c)))
            {
                continue;
            }
        }
        let getter = match (&spec.column, &spec.value, &spec.date, &spec.time) {
            (Some(c), None, None, None) => Getter::Col(res.column(c, section, key)?, c.clone()),
            (None, Some(v), None, None) => Getter::Const(v.clone()),
            (None, None, Some(d), Some(t)) if def.kind == Kind::Timestamp => Getter::DateTime {
                date: res.column(d, section, key)?,
                time: res.column(t, section, key)?,
                names: format!("{d} + {t}"),
                date_format: spec.date_format.clone(),
            },
            (None, None, Some(d), None) if def.kind == Kind::Timestamp => Getter::Col(res.column(d, section, key)?, d.clone()),
            _ => {
                return Err(mapping_error(
                    text,
                    section,
                    key,
                    format!("[{section}] {key} needs exactly one of: column, value, or date (with time) for timestamps"),
                ))
            }
        };
        let unit = match &spec.unit {
            None => DurationUnit::Seconds,
            Some(u) => DurationUnit::parse(u).ok_or_else(|| {
                mapping_error(text, section, key, format!("[{section}] {key}: unknown unit '{u}' (seconds, minutes, hours, days, ms, hms)"))
            })?,
        };
        let tz = match &spec.timezone {
            Some(_) => timezone(spec.timezone.as_deref(), text, section, key)?,
            None => source_tz.clone(),
        };
        let ts_format = match (&spec.format, &spec.date, &spec.date_format) {
            (None, Some(_), Some(df)) if spec.time.is_none() => {
                TimestampFormat::Pattern(df.clone())
            }
            (f, _, _) => TimestampFormat::parse(f.as_deref()),
        };
        out.push(CompiledField {
            def,
            getter,
            parser: Parser {
                kind: def.kind,
                ts_format,
                tz,
                unit,
                map: spec.map.clone(),
                true_values: spec.true_values.clone(),
                false_values: spec.false_values.clone(),
                negate: spec.negate,
                default: spec.default.clone(),
            },
        });
    }
    Ok(out)
}

fn scale_of(s: Option<[f64; 2]>, default: (f64, f64)) -> (f64, f64) {
    s.map(|[a, b]| (a, b)).unwrap_or(default)
}

impl<D: Draft> Compiled<D> {
    /// Compiles `mapping` for a file laid out as `layout`. Fails when the
    /// mapping names an unknown field or a column the file lacks, or leaves a
    /// required field unmapped.
    pub fn new(
        mapping: &Mapping,
        layout: &Layout,
        text: &str,
    ) -> Result<Compiled<D>, MappingError> {
        let kind = mapping.source.record;
        let source_tz = timezone(
            mapping.source.timezone.as_deref(),
            text,
            "source",
            "timezone",
        )?;
        let mut res = Resolver {
            layout,
            used: BTreeSet::new(),
            refs: Vec::new(),
            text,
        };
        let fields = compile_fields(
            &mapping.fields,
            "fields",
            D::catalogue(),
            &source_tz,
            &mut res,
        )?;
        for def in D::catalogue().iter().filter(|f| f.required) {
            let qa_rubric_given = def.name == "rubric" && mapping.rubric.is_some();
            if !fields.iter().any(|f| f.def.name == def.name) && !qa_rubric_given {
                return Err(MappingError {
                    line: crate::mapping::line_of_section(text, "fields"),
                    message: format!(
                        "the {} field '{}' is required but [fields] does not map it",
                        kind.as_str(),
                        def.name
                    ),
                });
            }
        }
        let allows = |what: &str, ok: bool| -> Result<(), MappingError> {
            if ok {
                Ok(())
            } else {
                Err(MappingError {
                    line: crate::mapping::line_of_section(text, what),
                    message: format!("[{what}] is not used for {} records", kind.as_str()),
                })
            }
        };
        use metas_domain::RecordKind as R;
        let is_interaction = kind == R::Interaction;
        if !mapping.customer.is_empty() {
            allows("customer", is_interaction)?;
        }
        if !mapping.surveys.is_empty() {
            allows("surveys", is_interaction)?;
        }
        if !mapping.attributes.is_empty() {
            allows("attributes", matches!(kind, R::Interaction | R::Customer))?;
        }
        if mapping.rubric.is_some() {
            allows("rubric", kind == R::QaReview)?;
        }
        let customer = compile_fields(
            &mapping.customer,
            "customer",
            CustomerDraft::catalogue(),
            &source_tz,
            &mut res,
        )?;
        let mut surveys = Vec::new();
        for (n, s) in mapping.surveys.iter().enumerate() {
            if s.optional && !res.has(&s.column) {
                continue;
            }
            let kind = SurveyKind::parse(&s.kind).map_err(|e| MappingError {
                line: crate::mapping::line_of_key(text, Some("surveys"), "kind"),
                message: format!("[[surveys]] number {}: {e}", n + 1),
            })?;
            let col = res.column(&s.column, "surveys", "column")?;
            let answered_at = match &s.answered_at {
                Some(c) => Some((res.column(c, "surveys", "answered_at")?, c.clone())),
                None => None,
            };
            let comment = match &s.comment {
                Some(c) => Some(res.column(c, "surveys", "comment")?),
                None => None,
            };
            surveys.push(CompiledSurvey {
                kind,
                col,
                column: s.column.clone(),
                scale: scale_of(s.scale, kind.default_scale()),
                map: s.map.clone(),
                answered_at,
                comment,
                tz: source_tz.clone(),
            });
        }
        let mut attributes = Vec::new();
        for (name, spec) in &mapping.attributes {
            if spec.optional && spec.column.as_ref().is_some_and(|c| !res.has(c)) {
                continue;
            }
            let g = match (&spec.column, &spec.value) {
                (Some(c), None) => Getter::Col(res.column(c, "attributes", name)?, c.clone()),
                (None, Some(v)) => Getter::Const(v.clone()),
                _ => {
                    return Err(mapping_error(
                        text,
                        "attributes",
                        name,
                        format!("[attributes] {name} needs a column or a value"),
                    ))
                }
            };
            attributes.push((name.clone(), g));
        }
        let mut criteria = Vec::new();
        let mut rubric = None;
        if let Some(r) = &mapping.rubric {
            let default_scale = scale_of(r.scale, (1.0, 5.0));
            let mut defs = Vec::new();
            for c in &r.criteria {
                let scale = scale_of(c.scale, default_scale);
                criteria.push(CompiledCriterion {
                    name: c.name.clone(),
                    col: res.column(&c.column, "rubric.criteria", "column")?,
                    column: c.column.clone(),
                    scale,
                    na_values: if c.na_values.is_empty() {
                        vec!["N/A".into(), "NA".into(), "n/a".into(), "-".into()]
                    } else {
                        c.na_values.clone()
                    },
                });
                defs.push(RubricCriterion {
                    name: c.name.clone(),
                    scale_min: scale.0,
                    scale_max: scale.1,
                    weight: c.weight,
                    critical: c.critical,
                    standard: c.standard,
                });
            }
            rubric = Some(RubricDef {
                name: r.name.clone(),
                description: r.description.clone(),
                criteria: defs,
            });
        }
        let survey_scale = mapping
            .fields
            .get("score")
            .and_then(|s| s.scale)
            .map(|[a, b]| (a, b));
        let key_name = match kind {
            R::Interaction | R::Survey | R::QaReview => Some("external_id"),
            R::Customer => Some("id"),
            R::Agent => Some("name"),
            R::Event => None,
        };
        let key = key_name.and_then(|k| fields.iter().position(|f| f.def.name == k));
        let updated_at = fields.iter().position(|f| f.def.name == "updated_at");
        let deleted_when = match &mapping.source.deleted_when {
            None => None,
            Some(d) => {
                if !is_interaction {
                    return Err(mapping_error(
                        text,
                        "source",
                        "deleted_when",
                        format!(
                            "[source] deleted_when is for interaction records, not {}",
                            kind.as_str()
                        ),
                    ));
                }
                if d.values.is_empty() {
                    return Err(mapping_error(
                        text,
                        "source",
                        "deleted_when",
                        "[source] deleted_when needs at least one value in values".into(),
                    ));
                }
                let col = res.column(&d.column, "source", "deleted_when")?;
                Some((col, d.values.clone()))
            }
        };
        let ignored_columns = match layout {
            Layout::Csv(header) => header
                .iter()
                .filter(|h| {
                    !res.used.contains(*h) && !mapping.source.ignore.iter().any(|i| i == *h)
                })
                .cloned()
                .collect(),
            Layout::Json => Vec::new(),
        };
        Ok(Compiled {
            fields,
            customer,
            surveys,
            attributes,
            criteria,
            rubric,
            survey_scale,
            hash_cols: res.refs,
            key,
            updated_at,
            deleted_when,
            ignored_columns,
        })
    }

    /// The paths a JSON mapping reads (to check that records carry them).
    pub fn json_paths(&self) -> Vec<String> {
        self.hash_cols
            .iter()
            .filter_map(|c| match c {
                ColRef::Path(p) => Some(p.join(".")),
                _ => None,
            })
            .collect()
    }

    /// The row's identity value (for duplicate detection), if the record kind has one.
    pub fn key<'r>(&self, row: &'r Row) -> Option<std::borrow::Cow<'r, str>> {
        let f = &self.fields[self.key?];
        match &f.getter {
            Getter::Col(c, _) => row.get(c),
            _ => None,
        }
    }

    /// The identity field and the source column it is read from, for
    /// duplicate-id rejects.
    pub fn key_names(&self) -> Option<(&'static str, &str)> {
        let f = &self.fields[self.key?];
        match &f.getter {
            Getter::Col(_, column) => Some((f.def.name, column.as_str())),
            _ => None,
        }
    }

    /// A stable 64-bit hash of every cell the mapping reads, seeded with the
    /// mapping itself: equal hashes mean the row would produce the same records.
    pub fn row_hash(&self, row: &Row, seed: u64) -> i64 {
        let mut h = crate::hash::StableHasher::new(seed);
        for c in &self.hash_cols {
            match row.get(c) {
                Some(v) => h.write(v.as_bytes()),
                None => h.write(b"\x00null"),
            }
            h.write(b"\x1f");
        }
        h.finish() as i64
    }

    /// True when the source says which of two copies of a record is newer,
    /// or deletes records: then the newest copy wins, in the file and
    /// against the database, instead of duplicates being rejected.
    pub fn newest_wins(&self) -> bool {
        self.updated_at.is_some() || self.deleted_when.is_some()
    }

    /// The deletion a row describes, when it is one: its id (required) and
    /// when the source changed it.
    fn deletion(&self, row: &Row) -> Result<Option<Deletion>, RowError> {
        let Some((col, values)) = &self.deleted_when else {
            return Ok(None);
        };
        let Some(cell) = row.get(col) else {
            return Ok(None);
        };
        let cell = cell.trim();
        if !values.iter().any(|v| v.trim().eq_ignore_ascii_case(cell)) {
            return Ok(None);
        }
        let updated_at = match self.updated_at.map(|at| self.fields[at].value(row)) {
            Some(Ok(Some(Value::Ts(t)))) => Some(t),
            Some(Err(e)) => return Err(e),
            _ => None,
        };
        let key = self.key.map(|at| self.fields[at].value(row)).transpose()?;
        match key.flatten() {
            Some(Value::Text(external_id)) => Ok(Some(Deletion {
                external_id,
                updated_at,
            })),
            _ => Err(RowError {
                field: "external_id".into(),
                column: String::new(),
                value: String::new(),
                reason: "is required but empty (a deleted record needs its id)".into(),
            }),
        }
    }

    /// Builds the record a row describes, or says why it cannot.
    pub fn build(&self, row: &Row) -> Result<Record, RowError> {
        if let Some(d) = self.deletion(row)? {
            return Ok(Record::Deletion(d));
        }
        let mut draft = D::default();
        for f in &self.fields {
            draft.mapped(f.def.name);
        }
        for f in &self.fields {
            match f.value(row)? {
                Some(v) => (f.def.set)(&mut draft, v),
                None if f.def.required => {
                    return Err(f.error("", "is required but empty".into()));
                }
                None => {}
            }
        }
        let mut extras = Extras {
            survey_scale: self.survey_scale,
            rubric: self.rubric.as_ref().map(|r| r.name.clone()),
            ..Extras::default()
        };
        if !self.customer.is_empty() {
            let mut cd = CustomerDraft::default();
            for f in &self.customer {
                if let Some(v) = f.value(row)? {
                    (f.def.set)(&mut cd, v);
                }
            }
            extras.customer = Some(cd);
        }
        for (name, g) in &self.attributes {
            if let Some(v) = raw_value(g, row)? {
                extras.attributes.insert(name.clone(), v);
            }
        }
        for s in &self.surveys {
            let raw = match row.get(&s.col) {
                None => continue,
                Some(r) => r,
            };
            let t = raw.trim();
            let mapped = s
                .map
                .get(t)
                .or_else(|| {
                    s.map
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(t))
                        .map(|(_, v)| v)
                })
                .map(String::as_str)
                .unwrap_or(t);
            if mapped.is_empty() {
                continue;
            }
            let err = |reason: String| RowError {
                field: format!("surveys.{}", s.kind.as_str()),
                column: s.column.clone(),
                value: t.to_string(),
                reason,
            };
            let score = values::parse_number(mapped).map_err(err)?;
            if score < s.scale.0 || score > s.scale.1 {
                return Err(err(format!(
                    "{score} is outside the scale {}–{}",
                    s.scale.0, s.scale.1
                )));
            }
            let answered_at = match &s.answered_at {
                Some((c, name)) => match row.get(c) {
                    Some(v) => Some(
                        values::parse_timestamp(&v, &TimestampFormat::Auto, &s.tz).map_err(
                            |reason| RowError {
                                field: format!("surveys.{}.answered_at", s.kind.as_str()),
                                column: name.clone(),
                                value: v.to_string(),
                                reason,
                            },
                        )?,
                    ),
                    None => None,
                },
                None => None,
            };
            extras.surveys.push(SurveyAnswer {
                kind: s.kind,
                score,
                scale_min: s.scale.0,
                scale_max: s.scale.1,
                answered_at,
                comment: s
                    .comment
                    .as_ref()
                    .and_then(|c| row.get(c))
                    .map(|c| c.into_owned()),
            });
        }
        for c in &self.criteria {
            let rating = match row.get(&c.col) {
                None => None,
                Some(v) if c.na_values.iter().any(|n| n.eq_ignore_ascii_case(v.trim())) => None,
                Some(v) => {
                    let err = |reason: String| RowError {
                        field: format!("rubric.{}", c.name),
                        column: c.column.clone(),
                        value: v.to_string(),
                        reason,
                    };
                    let r = values::parse_number(&v).map_err(err)?;
                    if r < c.scale.0 || r > c.scale.1 {
                        return Err(err(format!(
                            "{r} is outside the scale {}–{}",
                            c.scale.0, c.scale.1
                        )));
                    }
                    Some(r)
                }
            };
            extras.ratings.push((c.name.clone(), rating));
        }
        draft.finish(extras).map_err(|msg| {
            let (field, reason) = msg
                .split_once(": ")
                .unwrap_or((msg.as_str(), "is required but empty"));
            RowError {
                field: field.to_string(),
                column: String::new(),
                value: String::new(),
                reason: reason.to_string(),
            }
        })
    }
}

/// The `generic` preset: columns named exactly like canonical fields map to
/// them; `customer.<field>` fills the customer, `csat`, `ces` and `nps` are
/// survey scores on their default scales, `attr.<name>` is a free attribute.
pub fn generic_mapping(kind: metas_domain::RecordKind, header: &[String], source: &str) -> Mapping {
    use crate::mapping::{SourceSpec, SurveySpec};
    use metas_domain::RecordKind as R;
    let names: Vec<&str> = match kind {
        R::Interaction => crate::fields::InteractionDraft::catalogue()
            .iter()
            .map(|f| f.name)
            .collect(),
        R::Customer => CustomerDraft::catalogue().iter().map(|f| f.name).collect(),
        R::Survey => crate::fields::SurveyDraft::catalogue()
            .iter()
            .map(|f| f.name)
            .collect(),
        R::Event => crate::fields::EventDraft::catalogue()
            .iter()
            .map(|f| f.name)
            .collect(),
        R::QaReview => crate::fields::QaDraft::catalogue()
            .iter()
            .map(|f| f.name)
            .collect(),
        R::Agent => crate::fields::AgentDraft::catalogue()
            .iter()
            .map(|f| f.name)
            .collect(),
    };
    let col = |h: &str| FieldSpec {
        column: Some(h.to_string()),
        ..FieldSpec::default()
    };
    let mut m = Mapping {
        source: SourceSpec {
            name: source.to_string(),
            record: kind,
            format: None,
            delimiter: None,
            timezone: None,
            records: None,
            join: Vec::new(),
            ignore: Vec::new(),
            deleted_when: None,
        },
        fields: BTreeMap::new(),
        customer: BTreeMap::new(),
        attributes: BTreeMap::new(),
        surveys: Vec::new(),
        rubric: None,
    };
    for h in header {
        let h = h.as_str();
        if names.contains(&h) {
            m.fields.insert(h.to_string(), col(h));
        } else if let (R::Interaction, Some(c)) = (kind, h.strip_prefix("customer.")) {
            m.customer.insert(c.to_string(), col(h));
        } else if let Some(a) = h.strip_prefix("attr.") {
            m.attributes.insert(a.to_string(), col(h));
        } else if kind == R::Interaction && ["csat", "ces", "nps"].contains(&h) {
            m.surveys.push(SurveySpec {
                kind: h.to_string(),
                column: h.to_string(),
                scale: None,
                map: BTreeMap::new(),
                answered_at: None,
                comment: None,
                optional: false,
            });
        }
    }
    m
}
