//! The KPI use case shared by the CLI and the web app: parse a request,
//! ask the store, finish each group's value and confidence interval, and
//! compare with the previous period.

use jiff::civil::Date;
use jiff::ToSpan;
use metas_domain::kpi::{self, Definition, Grain, KpiDef, Shape, Stat, TimeBasis};
use metas_domain::segment::{Field, SegmentExpr};
use metas_domain::settings::{FcrMode, KpiSettings};
use metas_domain::stats::{mean_interval, wilson};
use metas_store::prelude::*;
use metas_store::{DataPresence, DimValue, KpiQuery, KpiRow, Measured};
use serde::Serialize;
use serde_json::{json, Map, Value as Json};

use crate::ServiceError;

/// Confidence of every interval metas shows.
pub const CONFIDENCE: f64 = 0.95;

/// A KPI question as a user types it.
#[derive(Debug, Clone, Default)]
pub struct KpiRequest {
    pub kpi: String,
    pub by: Vec<String>,
    pub grain: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub segment: Option<String>,
    pub stat: Option<String>,
    pub time: Option<String>,
    pub compare: bool,
}

/// A KPI question once every part is known to be valid.
#[derive(Debug, Clone)]
pub struct ParsedRequest {
    pub kpi: &'static KpiDef,
    pub by: Vec<Field>,
    pub grain: Option<Grain>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub segment: Option<SegmentExpr>,
    pub stat: Stat,
    pub time: TimeBasis,
    pub compare: bool,
}

/// Looks up a KPI by id, or says which ones exist.
pub fn find_kpi(id: &str) -> Result<&'static KpiDef, ServiceError> {
    kpi::kpi(id).ok_or_else(|| {
        ServiceError::Input(format!(
            "unknown KPI '{id}'; known: {}",
            kpi::CATALOGUE
                .iter()
                .map(|k| k.id)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// A `--where` expression (none when empty), or the sentence pointing at
/// what is wrong with it.
pub fn parse_segment(text: Option<&str>) -> Result<Option<SegmentExpr>, ServiceError> {
    text.filter(|s| !s.trim().is_empty())
        .map(SegmentExpr::parse)
        .transpose()
        .map_err(|e| ServiceError::Input(format!("--where: {e}")))
}

impl KpiRequest {
    pub fn parse(&self) -> Result<ParsedRequest, ServiceError> {
        let kpi = find_kpi(&self.kpi)?;
        let by = self
            .by
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Field::parse(s).map_err(|e| ServiceError::Input(format!("--by: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let grain = self
            .grain
            .as_deref()
            .map(Grain::parse)
            .transpose()
            .map_err(ServiceError::Input)?;
        let stat = self
            .stat
            .as_deref()
            .map(Stat::parse)
            .transpose()
            .map_err(ServiceError::Input)?
            .unwrap_or(Stat::Mean);
        if stat != Stat::Mean && !kpi.is_duration() {
            return Err(ServiceError::Input(format!(
                "--stat {} applies to durations; {} is not one",
                self.stat.as_deref().unwrap_or(""),
                kpi.id
            )));
        }
        let time = self
            .time
            .as_deref()
            .map(TimeBasis::parse)
            .transpose()
            .map_err(ServiceError::Input)?
            .unwrap_or(TimeBasis::Calendar);
        let segment = parse_segment(self.segment.as_deref())?;
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if t < f {
                return Err(ServiceError::Input(format!(
                    "--to {t} is before --from {f}"
                )));
            }
        }
        if self.compare && grain.is_some() {
            return Err(ServiceError::Input(
                "--compare compares a whole period with the one before it; leave out --grain (the series already shows the trend)".into(),
            ));
        }
        Ok(ParsedRequest {
            kpi,
            by,
            grain,
            from: self.from,
            to: self.to,
            segment,
            stat,
            time,
            compare: self.compare,
        })
    }
}

/// A value with its sample size and interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    pub value: Option<f64>,
    pub n: u64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

impl Figure {
    fn of(row: &KpiRow, shape: Shape) -> Figure {
        let n = row.n;
        let nf = n as f64;
        let (value, ci) = match (&row.measured, shape) {
            (Measured::Count, _) => (Some(nf), None),
            (Measured::Rate { successes }, _) => (
                (n > 0).then(|| successes / nf),
                wilson(*successes, nf, CONFIDENCE).map(|i| (i.low, i.high)),
            ),
            (Measured::Mean { sum, sum_sq }, _) => (
                (n > 0).then(|| sum / nf),
                mean_interval(nf, *sum, *sum_sq, CONFIDENCE).map(|i| (i.low, i.high)),
            ),
            (Measured::Quantile { value, low, high }, _) => (
                *value,
                match (low, high) {
                    (Some(l), Some(h)) if n >= 3 => Some((*l, *h)),
                    _ => None,
                },
            ),
        };
        Figure {
            value,
            n,
            ci_low: ci.map(|c| c.0),
            ci_high: ci.map(|c| c.1),
        }
    }
}

/// One group of an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRow {
    /// (dimension name, value), in `--by` order.
    pub dims: Vec<(String, DimValue)>,
    pub period: Option<String>,
    pub figure: Figure,
    pub previous: Option<Figure>,
}

impl AnswerRow {
    /// The first day of the row's bucket, for a series.
    pub fn period_start(&self) -> Option<Date> {
        self.period.as_deref().and_then(|p| p.parse().ok())
    }
}

/// The days a row of a series covers: its bucket, cut by the question's
/// period and by today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    /// The bucket's first day.
    pub start: Date,
    /// The bucket's last day.
    pub end: Date,
    /// The first and last day the figures count.
    pub first: Date,
    pub last: Date,
    /// Fewer days than the whole bucket, or a bucket holding today (a day
    /// not over yet): this week or this month drawn beside whole ones would
    /// look like a collapse.
    pub partial: bool,
}

/// A KPI answer: the definition in force and a row per group.
#[derive(Debug, Clone)]
pub struct KpiAnswer {
    pub kpi: &'static KpiDef,
    /// The definition under the settings the figures were computed with.
    pub definition: Definition,
    pub settings: Vec<(String, String)>,
    pub stat: Stat,
    pub time: TimeBasis,
    /// The buckets of a series, if the question asked for one.
    pub grain: Option<Grain>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub previous_period: Option<(Date, Date)>,
    pub by: Vec<String>,
    pub rows: Vec<AnswerRow>,
    /// Why there is no figure, when no row has a sample (`n` = 0).
    pub note: Option<Note>,
}

/// Why a KPI has no sample and what would give one: sentences of
/// metas-i18n's `kpis.ftl`, each with its English text (the CLI and the
/// API). Derived from what the KPI needs and what the data holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Message ids, in order; see [`NOTE_SENTENCES`].
    pub messages: Vec<&'static str>,
}

/// Every sentence a [`Note`] can say: (message id, English text). A
/// metas-server test holds the English catalogue to these texts.
pub const NOTE_SENTENCES: &[(&str, &str)] = &[
    ("kpi-note-no-interactions", "The data has no interactions yet: import an export with metas import."),
    ("kpi-note-filtered", "The data has what this KPI needs, but none of it falls in the period and filter asked."),
    ("kpi-note-csat", "It needs CSAT survey answers, and the data has none: map the export's satisfaction column in a [[surveys]] section of kind csat."),
    ("kpi-note-ces", "It needs CES survey answers, and the data has none: map the export's effort column in a [[surveys]] section of kind ces."),
    ("kpi-note-nps", "It needs NPS survey answers, and the data has none: map the export's recommendation column in a [[surveys]] section of kind nps."),
    ("kpi-note-qa", "It needs QA reviews, and the data has none: import them with a qa_review mapping."),
    ("kpi-note-fcr-repeat", "FCR in repeat mode needs resolved interactions (a resolution time, or a resolved or closed status), and the data has none."),
    ("kpi-note-fcr-customers", "It also needs customer ids (customer_id) to see repeat contacts, and the data has none."),
    ("kpi-note-fcr-one-touch", "FCR in one_touch mode needs resolved interactions with their agent reply count (agent_replies), and the data has none."),
    ("kpi-note-fcr-flag", "FCR in flag mode needs the source's own first-contact-resolution flag (resolved_first_contact) on handled interactions, and the data has none."),
    ("kpi-note-try-fcr-flag", "The export has its own first-contact-resolution flag: metas settings set fcr.mode flag gives a figure from it."),
    ("kpi-note-try-fcr-one-touch", "The data has resolved interactions with their reply counts: metas settings set fcr.mode one_touch gives a figure from them."),
    ("kpi-note-try-fcr-repeat", "The data has resolved interactions: metas settings set fcr.mode repeat gives a figure from them."),
    ("kpi-note-aht", "It needs talk, hold or after-contact-work seconds (talk_secs, hold_secs, acw_secs) on answered interactions, and the data has none."),
    ("kpi-note-frt", "It needs first response times (first_response_at or first_response_secs), and the data has none."),
    ("kpi-note-resolution-time", "It needs final resolution times (resolved_at or resolution_secs), and the data has none."),
    ("kpi-note-nrt", "It needs reply events (agent_reply and customer_reply), and the data has none."),
    ("kpi-note-asa", "It needs the queue wait (queue_wait_secs) of answered calls, and the data has none."),
    ("kpi-note-offered", "It needs calls marked answered or abandoned (answered, abandoned), and the data has none."),
    ("kpi-note-customers", "It needs customer ids (customer_id), and the data has none."),
    ("kpi-note-time-to-person", "It needs automated contacts (automated) that reached a person (person_reached_at or person_reached_secs), and the data has none."),
];

impl Note {
    /// The note in English.
    pub fn text(&self) -> String {
        self.messages
            .iter()
            .map(|id| {
                NOTE_SENTENCES
                    .iter()
                    .find(|(m, _)| m == id)
                    .map_or(*id, |(_, text)| *text)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Why `kpi` has no sample under `settings`, given what the data holds;
    /// `None` for the KPIs not computed from the imported records.
    pub fn explain(kpi: &KpiDef, settings: &KpiSettings, p: &DataPresence) -> Option<Note> {
        let mut m: Vec<&'static str> = Vec::new();
        // (what the KPI needs is there, the sentence that says it is not)
        let need = |has: u64, id: &'static str| (has > 0, id);
        let (has, missing) = match kpi.id {
            "retention" | "sla_attainment" => return None,
            "csat" | "csat_avg" => need(p.csat_answers, "kpi-note-csat"),
            "ces" => need(p.ces_answers, "kpi-note-ces"),
            "nps" => need(p.nps_answers, "kpi-note-nps"),
            "qa_score" | "qa_criterion_rating" => need(p.qa_reviews, "kpi-note-qa"),
            _ if p.interactions == 0 => (false, "kpi-note-no-interactions"),
            "volume" => (true, ""),
            "fcr" => {
                let one_touch = p.resolved > 0 && p.with_agent_replies > 0;
                let (has, missing) = match settings.fcr_mode {
                    FcrMode::Repeat => need(p.resolved, "kpi-note-fcr-repeat"),
                    FcrMode::OneTouch => (one_touch, "kpi-note-fcr-one-touch"),
                    FcrMode::Flag => need(p.with_fcr_flag, "kpi-note-fcr-flag"),
                };
                if !has {
                    m.push(missing);
                    if settings.fcr_mode == FcrMode::Repeat && p.with_customer == 0 {
                        m.push("kpi-note-fcr-customers");
                    }
                    if settings.fcr_mode != FcrMode::Flag && p.with_fcr_flag > 0 {
                        m.push("kpi-note-try-fcr-flag");
                    } else if settings.fcr_mode != FcrMode::OneTouch && one_touch {
                        m.push("kpi-note-try-fcr-one-touch");
                    } else if settings.fcr_mode != FcrMode::Repeat && p.resolved > 0 {
                        m.push("kpi-note-try-fcr-repeat");
                    }
                    return Some(Note { messages: m });
                }
                (true, "")
            }
            "aht" => need(p.with_handle_parts, "kpi-note-aht"),
            "frt" => need(p.with_first_response, "kpi-note-frt"),
            "resolution_time" => need(p.with_resolved_at, "kpi-note-resolution-time"),
            "nrt" => need(p.with_next_response, "kpi-note-nrt"),
            "asa" => need(p.with_queue_wait, "kpi-note-asa"),
            "answer_rate" | "abandon_rate" | "service_level" => need(p.offered, "kpi-note-offered"),
            "repeat_contact_rate" => need(p.with_customer, "kpi-note-customers"),
            "time_to_person" => need(p.reached_person, "kpi-note-time-to-person"),
            _ => return None,
        };
        m.push(if has { "kpi-note-filtered" } else { missing });
        Some(Note { messages: m })
    }
}

/// The period of equal length just before `[from, to]`.
pub fn previous_period(from: Date, to: Date) -> Result<(Date, Date), ServiceError> {
    let days = (to - from).get_days() as i64 + 1;
    let prev_to = from
        .yesterday()
        .map_err(|e| ServiceError::Input(e.to_string()))?;
    let prev_from = prev_to
        .checked_sub((days - 1).days())
        .map_err(|e| ServiceError::Input(e.to_string()))?;
    Ok((prev_from, prev_to))
}

/// Retention: computed from customers, not from interaction records.
fn fetch(
    store: &dyn Storage,
    req: &ParsedRequest,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<KpiRow>, ServiceError> {
    let (from, to) = match (from, to) {
        (Some(f), Some(t)) => (f, t),
        _ => {
            return Err(ServiceError::Input(
                "retention is measured over a period: give --from and --to".into(),
            ))
        }
    };
    if req.grain.is_some() {
        return Err(ServiceError::Input(
            "retention is measured over one period (--from/--to), not per --grain bucket".into(),
        ));
    }
    Ok(store.retention_rows(&req.by, req.segment.as_ref(), from, to)?)
}

/// The previous period's rows and the period itself.
type PreviousRows = (Vec<KpiRow>, (Date, Date));

/// Answers a KPI question.
pub fn answer(store: &dyn Storage, req: &ParsedRequest) -> Result<KpiAnswer, ServiceError> {
    Ok(answer_many(store, std::slice::from_ref(req))?.remove(0))
}

/// Answers several KPI questions over the same groups and filters (a
/// dashboard), sharing one scan per kind of record.
pub fn answer_many(
    store: &dyn Storage,
    reqs: &[ParsedRequest],
) -> Result<Vec<KpiAnswer>, ServiceError> {
    let settings = store.settings()?;
    let current = fetch_many(store, reqs, &settings, |r| (r.from, r.to))?;
    let mut previous: Vec<Option<PreviousRows>> = vec![None; reqs.len()];
    if reqs.iter().any(|r| r.compare) {
        let mut periods = Vec::new();
        for r in reqs {
            periods.push(match (r.from, r.to) {
                (Some(f), Some(t)) => previous_period(f, t)?,
                _ => {
                    return Err(ServiceError::Input(
                        "--compare needs --from and --to (the previous period has the same length)"
                            .into(),
                    ))
                }
            });
        }
        let rows = fetch_many(store, reqs, &settings, |r| {
            let (f, t) =
                previous_period(r.from.expect("checked"), r.to.expect("checked")).expect("checked");
            (Some(f), Some(t))
        })?;
        for (i, (rows, period)) in rows.into_iter().zip(periods).enumerate() {
            if reqs[i].compare {
                previous[i] = Some((rows, period));
            }
        }
    }
    let mut answers: Vec<KpiAnswer> = reqs
        .iter()
        .zip(current)
        .zip(previous)
        .map(|((req, rows), prev)| finish(req, &settings, rows, prev))
        .collect();
    // A number with nothing behind it says why: what the KPI needs that the
    // data lacks, asked of the store only when some answer is empty.
    let mut presence: Option<DataPresence> = None;
    for a in &mut answers {
        if a.rows.iter().all(|r| r.figure.n == 0) {
            let p = match presence {
                Some(p) => p,
                None => *presence.insert(store.data_presence()?),
            };
            a.note = Note::explain(a.kpi, &settings, &p);
        }
    }
    Ok(answers)
}

/// The store's rows for each request over the period `period` gives it.
fn fetch_many(
    store: &dyn Storage,
    reqs: &[ParsedRequest],
    settings: &KpiSettings,
    period: impl Fn(&ParsedRequest) -> (Option<Date>, Option<Date>),
) -> Result<Vec<Vec<KpiRow>>, ServiceError> {
    let mut out: Vec<Option<Vec<KpiRow>>> = vec![None; reqs.len()];
    let mut batch: Vec<(usize, Option<Date>, Option<Date>)> = Vec::new();
    for (i, r) in reqs.iter().enumerate() {
        let (from, to) = period(r);
        if r.kpi.id == "sla_attainment" {
            crate::sla::require_policies(store)?;
        }
        if r.kpi.id == "retention" {
            out[i] = Some(fetch(store, r, from, to)?);
        } else {
            batch.push((i, from, to));
        }
    }
    let queries: Vec<KpiQuery> = batch
        .iter()
        .map(|&(i, from, to)| {
            let r = &reqs[i];
            KpiQuery {
                kpi: r.kpi,
                settings,
                segment: r.segment.as_ref(),
                by: &r.by,
                grain: r.grain,
                from,
                to,
                stat: r.stat,
                time: r.time,
                confidence: CONFIDENCE,
            }
        })
        .collect();
    if !queries.is_empty() {
        for ((i, _, _), rows) in batch.iter().zip(store.kpi_rows_many(&queries)?) {
            out[*i] = Some(rows);
        }
    }
    Ok(out.into_iter().map(Option::unwrap_or_default).collect())
}

fn finish(
    req: &ParsedRequest,
    settings: &KpiSettings,
    mut rows: Vec<KpiRow>,
    previous: Option<PreviousRows>,
) -> KpiAnswer {
    let shape = req.kpi.shape();
    // Without groups there is always one row, even over no data.
    if rows.is_empty() && req.by.is_empty() && req.grain.is_none() {
        rows.push(KpiRow {
            dims: vec![],
            period: None,
            n: 0,
            measured: match shape {
                Shape::Count => Measured::Count,
                Shape::Rate => Measured::Rate { successes: 0.0 },
                Shape::Mean => Measured::Mean {
                    sum: 0.0,
                    sum_sq: 0.0,
                },
            },
        });
    }
    let names: Vec<String> = req.by.iter().map(Field::name).collect();
    let out = rows
        .iter()
        .map(|r| {
            let prev = previous.as_ref().map(|(prev, _)| {
                prev.iter()
                    .find(|p| p.dims == r.dims)
                    .map(|p| Figure::of(p, shape))
                    .unwrap_or(Figure {
                        value: None,
                        n: 0,
                        ci_low: None,
                        ci_high: None,
                    })
            });
            AnswerRow {
                dims: names.iter().cloned().zip(r.dims.iter().cloned()).collect(),
                period: r.period.clone(),
                figure: Figure::of(r, shape),
                previous: prev,
            }
        })
        .collect();
    KpiAnswer {
        kpi: req.kpi,
        definition: req.kpi.definition(settings),
        settings: settings.in_force(req.kpi.settings),
        stat: req.stat,
        time: req.time,
        grain: req.grain,
        from: req.from,
        to: req.to,
        previous_period: previous.map(|(_, p)| p),
        by: names,
        rows: out,
        note: None,
    }
}

fn figure_json(f: &Figure, into: &mut Map<String, Json>) {
    into.insert("value".into(), json!(f.value));
    into.insert("n".into(), json!(f.n));
    into.insert("ci_low".into(), json!(f.ci_low));
    into.insert("ci_high".into(), json!(f.ci_high));
}

impl KpiAnswer {
    /// How much of a row's bucket the figures cover, `today` being the day
    /// not over yet (`None` for a row without a period).
    pub fn coverage(&self, row: &AnswerRow, today: Date) -> Option<Coverage> {
        let start = row.period_start()?;
        let end = self.grain?.last_day(start)?;
        let first = self.from.map_or(start, |f| f.max(start));
        let last = self.to.map_or(end, |t| t.min(end)).min(today);
        Some(Coverage {
            start,
            end,
            first,
            last,
            partial: first > start || last < end || last >= today,
        })
    }

    /// The answer as CSV records, the header first, values as machines read
    /// them (rates 0–1, durations in seconds): `metas kpi --format csv` and
    /// the explorer's download.
    pub fn csv_records(&self) -> Vec<Vec<String>> {
        let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        let mut header: Vec<String> = self.by.clone();
        if self.rows.iter().any(|r| r.period.is_some()) {
            header.push("period".into());
        }
        header.extend(["value", "n", "ci_low", "ci_high"].map(String::from));
        if self.previous_period.is_some() {
            header.extend(["previous_value", "previous_n"].map(String::from));
        }
        let mut out = vec![header];
        for r in &self.rows {
            let mut rec: Vec<String> = r
                .dims
                .iter()
                .map(|(_, v)| v.as_text().unwrap_or_else(|| "(none)".into()))
                .collect();
            if let Some(p) = &r.period {
                rec.push(p.clone());
            }
            rec.push(num(r.figure.value));
            rec.push(r.figure.n.to_string());
            rec.push(num(r.figure.ci_low));
            rec.push(num(r.figure.ci_high));
            if let Some(p) = &r.previous {
                rec.push(num(p.value));
                rec.push(p.n.to_string());
            }
            out.push(rec);
        }
        out
    }

    /// The JSON document of docs/product.md §9.1: `{"kpi": …, "rows": [...]}`, each
    /// row carrying its dimensions by name, `value`, `n`, `ci_low`, `ci_high`.
    pub fn to_json(&self) -> Json {
        let rows: Vec<Json> = self
            .rows
            .iter()
            .map(|r| {
                let mut m = Map::new();
                for (name, v) in &r.dims {
                    m.insert(name.clone(), serde_json::to_value(v).unwrap_or(Json::Null));
                }
                if let Some(p) = &r.period {
                    m.insert("period".into(), json!(p));
                }
                figure_json(&r.figure, &mut m);
                if let Some(prev) = &r.previous {
                    let mut pm = Map::new();
                    figure_json(prev, &mut pm);
                    m.insert("previous".into(), Json::Object(pm));
                    m.insert(
                        "change".into(),
                        json!(match (r.figure.value, prev.value) {
                            (Some(a), Some(b)) => Some(a - b),
                            _ => None,
                        }),
                    );
                }
                Json::Object(m)
            })
            .collect();
        let settings: Map<String, Json> = self
            .settings
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        json!({
            "kpi": self.kpi.id,
            "name": self.kpi.name,
            "unit": self.kpi.unit,
            "better": self.kpi.better,
            "definition": self.definition.text,
            "settings": settings,
            "stat": self.stat,
            "time": self.time,
            "from": self.from.map(|d| d.to_string()),
            "to": self.to.map(|d| d.to_string()),
            "previous_period": self.previous_period.map(|(f, t)| json!({"from": f.to_string(), "to": t.to_string()})),
            "by": self.by,
            "confidence": CONFIDENCE,
            "rows": rows,
            "note": self.note.as_ref().map(Note::text),
        })
    }
}
