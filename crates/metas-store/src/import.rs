//! One import: staged in temporary tables, merged into the permanent ones in
//! set-based SQL, all inside one transaction. Dropping an [`ImportTx`]
//! without committing leaves the database exactly as it was.

use std::collections::HashMap;
use std::sync::Arc;

use duckdb::arrow::array::{new_null_array, Array, ArrayRef, Int64Array, StringArray};
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::params;
use metas_domain::{
    Agent, Customer, Deletion, Event, InteractionRecord, QaReview, Record, RubricDef,
    StandaloneSurvey,
};

use crate::batch::{self, Batch, FLUSH_ROWS};
use crate::columns::{self as cols, assignments, names, prefixed, ColType, Columns};
use crate::storage::{ImportSink, ImportStore};
use crate::{Doing, Result, Store};

/// What the merge did with the rows of the primary record kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Copies left out because a newer copy of the same record won (in the
    /// file, or already in the database).
    pub superseded: u64,
    /// Records the source said are gone, removed with everything tied to them.
    pub deleted: u64,
}

impl std::ops::AddAssign for ImportCounts {
    fn add_assign(&mut self, o: Self) {
        self.imported += o.imported;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
        self.superseded += o.superseded;
        self.deleted += o.deleted;
    }
}

const LINE: Columns = &[("line", ColType::BigInt)];
const EXPLICIT: Columns = &[("explicit", ColType::Bool), ("row_hash", ColType::BigInt)];
const PRIMARY: Columns = &[("is_primary", ColType::Bool)];
const AGENT_MENTION: Columns = &[
    ("name", ColType::Text),
    ("team", ColType::Text),
    ("line", ColType::BigInt),
];

const STAGE_INTERACTIONS: &[Columns] = &[cols::STAGE_PREFIX, cols::INTERACTION, cols::VERSION];
const STAGE_CUSTOMERS: &[Columns] = &[LINE, cols::CUSTOMER, EXPLICIT];
const STAGE_SURVEYS: &[Columns] = &[cols::STAGE_PREFIX, cols::SURVEY, PRIMARY];
const STAGE_EVENTS: &[Columns] = &[LINE, cols::EVENT];
const STAGE_QA: &[Columns] = &[cols::STAGE_PREFIX, cols::QA_REVIEW];
const STAGE_QA_RATINGS: &[Columns] = &[cols::QA_RATING];
const STAGE_AGENTS: &[Columns] = &[LINE, cols::AGENT];
const STAGE_DELETIONS: &[Columns] = &[LINE, &[("external_id", ColType::Text)], cols::VERSION];

/// The staging tables, in the order of [`StagedRows::stages`].
const STAGES: [(&str, &[Columns]); 8] = [
    ("stage_interactions", STAGE_INTERACTIONS),
    ("stage_customers", STAGE_CUSTOMERS),
    ("stage_surveys", STAGE_SURVEYS),
    ("stage_events", STAGE_EVENTS),
    ("stage_qa", STAGE_QA),
    ("stage_qa_ratings", STAGE_QA_RATINGS),
    ("stage_agents", STAGE_AGENTS),
    ("stage_deletions", STAGE_DELETIONS),
];

/// The columns of the permanent `interactions` and `survey_answers` tables,
/// in table order, for rows appended to them directly.
pub(crate) const TABLE_INTERACTIONS: &[Columns] = &[
    &[("id", ColType::BigInt), ("source", ColType::Text)],
    cols::INTERACTION,
    &[
        ("row_hash", ColType::BigInt),
        ("import_id", ColType::BigInt),
    ],
    cols::DERIVED,
    cols::VERSION,
];
pub(crate) const TABLE_SURVEYS: &[Columns] = &[
    &[
        ("id", ColType::BigInt),
        ("source", ColType::Text),
        ("interaction_id", ColType::BigInt),
    ],
    cols::SURVEY,
    &[("row_hash", ColType::BigInt)],
];

/// Rows of one import, decided and laid out in columns but not yet in the
/// database. They need no connection, so a reading thread can build them
/// while the importing one writes the previous ones ([`ImportSink::append`]).
pub struct StagedRows {
    interactions: Batch,
    customers: Batch,
    surveys: Batch,
    events: Batch,
    qa: Batch,
    qa_ratings: Batch,
    agents: Batch,
    deletions: Batch,
    /// Agents named by interactions: the team and line of the last mention.
    agent_mentions: HashMap<String, (Option<String>, u64)>,
}

impl Default for StagedRows {
    fn default() -> Self {
        StagedRows::new()
    }
}

fn attrs_json(a: &metas_domain::Attributes) -> Option<String> {
    (!a.is_empty()).then(|| serde_json::to_string(a).expect("string map serialises"))
}

fn mention(
    mentions: &mut HashMap<String, (Option<String>, u64)>,
    name: &str,
    team: Option<&str>,
    line: u64,
) {
    match mentions.get_mut(name) {
        Some(m) if m.1 > line => {}
        Some(m) => *m = (team.map(str::to_string), line),
        None => {
            mentions.insert(name.to_string(), (team.map(str::to_string), line));
        }
    }
}

impl StagedRows {
    pub fn new() -> StagedRows {
        StagedRows {
            interactions: Batch::new(STAGE_INTERACTIONS),
            customers: Batch::new(STAGE_CUSTOMERS),
            surveys: Batch::new(STAGE_SURVEYS),
            events: Batch::new(STAGE_EVENTS),
            qa: Batch::new(STAGE_QA),
            qa_ratings: Batch::new(STAGE_QA_RATINGS),
            agents: Batch::new(STAGE_AGENTS),
            deletions: Batch::new(STAGE_DELETIONS),
            agent_mentions: HashMap::new(),
        }
    }

    fn stages(&mut self) -> [&mut Batch; 8] {
        [
            &mut self.interactions,
            &mut self.customers,
            &mut self.surveys,
            &mut self.events,
            &mut self.qa,
            &mut self.qa_ratings,
            &mut self.agents,
            &mut self.deletions,
        ]
    }

    /// The most rows any one kind holds.
    pub fn len(&self) -> usize {
        [
            &self.interactions,
            &self.customers,
            &self.surveys,
            &self.events,
            &self.qa,
            &self.qa_ratings,
            &self.agents,
            &self.deletions,
        ]
        .iter()
        .map(|b| b.len())
        .max()
        .unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stages one record of any kind.
    pub fn add(&mut self, line: u64, row_hash: i64, record: &Record) {
        match record {
            Record::Interaction(r) => self.add_interaction(line, row_hash, r),
            Record::Event(e) => self.add_event(line, e),
            Record::Survey(s) => self.add_survey(line, row_hash, s),
            Record::QaReview(q) => self.add_qa_review(line, row_hash, q),
            Record::Customer(c) => self.add_customer(line, row_hash, c),
            Record::Agent(a) => self.add_agent(line, a),
            Record::Deletion(d) => self.add_deletion(line, d),
        }
    }

    /// Stages an interaction row (with its surveys and customer facts).
    pub fn add_interaction(&mut self, line: u64, row_hash: i64, rec: &InteractionRecord) {
        let i = &rec.interaction;
        let b = &mut self.interactions;
        b.bigint(Some(line as i64)).bigint(Some(row_hash));
        b.text(Some(&i.external_id))
            .text(Some(i.channel.as_str()))
            .text(i.direction.map(|d| d.as_str()))
            .bool(i.automated)
            .ts(Some(i.created_at))
            .ts(i.first_response_at)
            .ts(i.first_resolved_at)
            .ts(i.resolved_at)
            .ts(i.confirmed_at)
            .ts(i.closed_at)
            .ts(i.person_reached_at)
            .int(i.reopen_count)
            .int(i.agent_replies)
            .int(i.customer_replies)
            .text(i.status.map(|s| s.as_str()))
            .text(i.priority.as_deref())
            .text(i.topic.as_deref())
            .text(i.product.as_deref())
            .text(i.journey_stage.map(|j| j.as_str()))
            .text(i.customer_id.as_deref())
            .text(i.agent.as_deref())
            .text(i.team.as_deref())
            .text(i.language.as_deref())
            .double(i.queue_wait_secs)
            .bool(i.answered)
            .bool(i.abandoned)
            .double(i.talk_secs)
            .double(i.hold_secs)
            .double(i.acw_secs)
            .bool(i.resolved_first_contact)
            .text(attrs_json(&i.attributes).as_deref())
            .ts(i.updated_at);
        b.end_row();
        if let Some(agent) = &i.agent {
            mention(&mut self.agent_mentions, agent, i.team.as_deref(), line);
        }
        for s in &rec.surveys {
            let survey = StandaloneSurvey {
                external_id: format!("{}#{}", i.external_id, s.kind.as_str()),
                interaction_external_id: Some(i.external_id.clone()),
                customer_id: i.customer_id.clone(),
                answer: s.clone(),
            };
            self.stage_survey(line, row_hash, &survey, false);
        }
        if let Some(c) = &rec.customer {
            let mut c = c.clone();
            if c.first_seen.is_none() {
                c.first_seen = Some(i.created_at);
            }
            self.stage_customer(line, row_hash, &c, false);
        }
    }

    fn stage_survey(&mut self, line: u64, row_hash: i64, s: &StandaloneSurvey, primary: bool) {
        let b = &mut self.surveys;
        let a = &s.answer;
        b.bigint(Some(line as i64))
            .bigint(Some(row_hash))
            .text(Some(&s.external_id))
            .text(s.interaction_external_id.as_deref())
            .text(s.customer_id.as_deref())
            .text(Some(a.kind.as_str()))
            .double(Some(a.score))
            .double(Some(a.scale_min))
            .double(Some(a.scale_max))
            .ts(a.answered_at)
            .text(a.comment.as_deref())
            .bool(Some(primary));
        b.end_row();
    }

    fn stage_customer(&mut self, line: u64, row_hash: i64, c: &Customer, explicit: bool) {
        let b = &mut self.customers;
        b.bigint(Some(line as i64))
            .text(Some(&c.id))
            .text(c.name.as_deref())
            .int(c.age)
            .text(c.gender.as_deref())
            .text(c.segment.as_deref())
            .text(c.plan.as_deref())
            .text(c.region.as_deref())
            .text(c.language.as_deref())
            .ts(c.first_seen)
            .ts(c.churned_at)
            .text(attrs_json(&c.attributes).as_deref())
            .bool(Some(explicit))
            .bigint(Some(row_hash));
        b.end_row();
    }

    /// Stages a survey answer that came in a file of its own.
    pub fn add_survey(&mut self, line: u64, row_hash: i64, s: &StandaloneSurvey) {
        self.stage_survey(line, row_hash, s, true);
    }

    /// Stages a customer record that came in a file of its own.
    pub fn add_customer(&mut self, line: u64, row_hash: i64, c: &Customer) {
        self.stage_customer(line, row_hash, c, true);
    }

    pub fn add_event(&mut self, line: u64, e: &Event) {
        self.events
            .bigint(Some(line as i64))
            .text(Some(&e.interaction_external_id))
            .ts(Some(e.at))
            .text(Some(e.kind.as_str()))
            .text(e.status.map(|s| s.as_str()))
            .text(e.actor.as_deref())
            .text(e.channel.map(|c| c.as_str()));
        self.events.end_row();
    }

    pub fn add_qa_review(&mut self, line: u64, row_hash: i64, r: &QaReview) {
        self.qa
            .bigint(Some(line as i64))
            .bigint(Some(row_hash))
            .text(Some(&r.external_id))
            .text(r.interaction_external_id.as_deref())
            .text(Some(&r.agent))
            .text(r.reviewer.as_deref())
            .text(Some(&r.rubric))
            .ts(Some(r.reviewed_at))
            .text(r.comment.as_deref());
        self.qa.end_row();
        for (criterion, rating) in &r.ratings {
            self.qa_ratings
                .text(Some(&r.external_id))
                .text(Some(criterion))
                .double(*rating);
            self.qa_ratings.end_row();
        }
    }

    /// Stages the source's word that an interaction is gone.
    pub fn add_deletion(&mut self, line: u64, d: &Deletion) {
        self.deletions
            .bigint(Some(line as i64))
            .text(Some(&d.external_id))
            .ts(d.updated_at);
        self.deletions.end_row();
    }

    pub fn add_agent(&mut self, line: u64, a: &Agent) {
        self.agents
            .bigint(Some(line as i64))
            .text(Some(&a.name))
            .text(a.team.as_deref())
            .text(a.email.as_deref());
        self.agents.end_row();
    }
}

/// How many rows of each kind an import has staged (or, for new
/// interactions, appended straight to their table).
#[derive(Debug, Default)]
struct Totals {
    staged: [u64; 8],
    appended_interactions: u64,
}

impl Totals {
    fn interactions(&self) -> u64 {
        self.staged[0]
    }
    fn customers(&self) -> u64 {
        self.staged[1]
    }
    fn surveys(&self) -> u64 {
        self.staged[2]
    }
    fn events(&self) -> u64 {
        self.staged[3]
    }
    fn qa(&self) -> u64 {
        self.staged[4]
    }
    fn agents(&self) -> u64 {
        self.staged[6]
    }
    fn deletions(&self) -> u64 {
        self.staged[7]
    }
}

/// An import in progress (the DuckDB [`ImportSink`]). See the module
/// documentation.
pub(crate) struct ImportTx<'c> {
    /// The connection, inside a transaction this value opened: committed by
    /// [`ImportTx::commit`], rolled back when dropped before.
    tx: &'c duckdb::Connection,
    committed: bool,
    /// Appenders to permanent tables, open for the whole import: DuckDB
    /// writes full row groups of one long append straight to the file.
    appenders: Vec<(&'static str, duckdb::Appender<'c>)>,
    source: String,
    import_id: i64,
    /// Rows added one by one, appended once there are enough of them.
    pending: StagedRows,
    totals: Totals,
    agent_mentions: HashMap<String, (Option<String>, u64)>,
    /// True while the source holds no interactions and no survey answers:
    /// every interaction row is then new, and goes straight to its table
    /// instead of through staging and classification.
    fresh: bool,
    /// Of two copies of one interaction the newer wins, and deletions are
    /// staged ([`ImportSink::newest_wins`]): every row goes through staging.
    newest_wins: bool,
    /// Replication to PostgreSQL, when the database is a read model
    /// ([`crate::pg::Replication`]).
    hook: Option<&'c mut (dyn crate::write::WriteHook + 'static)>,
    /// One writer per process on a read model ([`crate::Gate::one_writer`]).
    _one_writer: Option<std::sync::MutexGuard<'c, ()>>,
}

impl<'c> ImportTx<'c> {
    pub(crate) fn begin(
        conn: &'c mut duckdb::Connection,
        hook: Option<&'c mut (dyn crate::write::WriteHook + 'static)>,
        gate: &'c crate::Gate,
        source: &str,
        file: &str,
    ) -> Result<ImportTx<'c>> {
        let conn: &'c duckdb::Connection = conn;
        let one_writer = hook.as_ref().map(|_| gate.one_writer());
        conn.execute_batch("BEGIN TRANSACTION")
            .doing("starting the import")?;
        // From here on, dropping the value rolls back.
        let mut this = ImportTx {
            tx: conn,
            committed: false,
            appenders: Vec::new(),
            source: source.to_string(),
            import_id: 0,
            pending: StagedRows::new(),
            totals: Totals::default(),
            agent_mentions: HashMap::new(),
            fresh: false,
            newest_wins: false,
            hook,
            _one_writer: one_writer,
        };
        let tx = this.tx;
        match this.hook.as_mut() {
            Some(hook) => hook.after_begin(tx, crate::write::Reach::All)?,
            None => crate::write::refuse_read_model(tx)?,
        }
        this.import_id = tx
            .query_row("SELECT nextval('import_id_seq')", [], |r| r.get(0))
            .doing("numbering the import")?;
        tx.execute(
            "INSERT INTO imports (id, source, file, started_at) VALUES (?, ?, ?, current_timestamp)",
            params![this.import_id, source, file],
        )
        .doing("recording the import")?;
        for (table, parts) in STAGES {
            tx.execute_batch(&format!(
                "DROP TABLE IF EXISTS {table}; CREATE TEMP TABLE {table} ({})",
                cols::definitions(parts),
            ))
            .doing("creating staging tables")?;
        }
        let held: i64 = tx
            .query_row(
                "SELECT (SELECT count(*) FROM interactions WHERE source = ?)
                      + (SELECT count(*) FROM survey_answers WHERE source = ?)",
                params![source, source],
                |r| r.get(0),
            )
            .doing("reading the source")?;
        this.fresh = held == 0;
        Ok(this)
    }

    /// `n` new ids from a sequence: one statement, usually one contiguous run.
    fn reserve_ids(&self, sequence: &str, n: usize) -> Result<Vec<i64>> {
        let (low, high): (i64, i64) = self
            .tx
            .query_row(
                &format!(
                    "SELECT min(v), max(v) FROM (SELECT nextval('{sequence}') AS v FROM range(?))"
                ),
                [n as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .doing("numbering new rows")?;
        if high - low + 1 == n as i64 {
            return Ok((low..=high).collect());
        }
        // Another import drew from the same sequence meanwhile: take the
        // numbers one by one (the run above is left unused).
        let mut stmt = self
            .tx
            .prepare(&format!("SELECT nextval('{sequence}') FROM range(?)"))
            .doing("numbering new rows")?;
        let ids = stmt
            .query_map([n as i64], |r| r.get::<_, i64>(0))
            .doing("numbering new rows")?
            .collect::<std::result::Result<Vec<i64>, _>>()
            .doing("numbering new rows")?;
        Ok(ids)
    }

    /// Appends interaction rows that are certainly new (the source held
    /// none) to `interactions`, with their surveys, numbered here.
    fn append_new_interactions(
        &mut self,
        staged: RecordBatch,
        surveys: Option<RecordBatch>,
    ) -> Result<()> {
        let n = staged.num_rows();
        let ids = self.reserve_ids("interaction_id_seq", n)?;
        let ids = Int64Array::from(ids);
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(ids.clone()),
            Arc::new(StringArray::from(vec![self.source.as_str(); n])),
        ];
        // The staged columns: line, row_hash, the interaction's own, then
        // its version (last in the table too).
        let own = 2 + cols::INTERACTION.len();
        columns.extend(staged.columns()[2..own].iter().cloned());
        columns.push(staged.column(1).clone());
        columns.push(Arc::new(Int64Array::from(vec![self.import_id; n])));
        for (_, ty) in cols::DERIVED {
            columns.push(new_null_array(&batch::data_type(*ty), n));
        }
        columns.extend(staged.columns()[own..].iter().cloned());
        self.append_to("interactions", TABLE_INTERACTIONS, columns)?;
        self.totals.appended_interactions += n as u64;
        if let Some(s) = surveys {
            // Each survey answer belongs to the interaction on its line.
            let lines = staged
                .column(0)
                .as_any()
                .downcast_ref::<Int64Array>()
                .expect("staged interactions start with the line");
            let id_of_line: HashMap<i64, i64> = lines
                .values()
                .iter()
                .copied()
                .zip(ids.values().iter().copied())
                .collect();
            let m = s.num_rows();
            let lines = s
                .column(0)
                .as_any()
                .downcast_ref::<Int64Array>()
                .expect("staged surveys start with the line");
            let interaction_ids: Int64Array = lines
                .values()
                .iter()
                .map(|l| id_of_line.get(l).copied())
                .collect();
            let mut columns: Vec<ArrayRef> = vec![
                Arc::new(Int64Array::from(self.reserve_ids("survey_id_seq", m)?)),
                Arc::new(StringArray::from(vec![self.source.as_str(); m])),
                Arc::new(interaction_ids),
            ];
            // line, row_hash, the survey's own columns, is_primary.
            let own = cols::SURVEY.len();
            columns.extend(s.columns()[2..2 + own].iter().cloned());
            columns.push(s.column(1).clone());
            self.append_to("survey_answers", TABLE_SURVEYS, columns)?;
        }
        Ok(())
    }

    fn append_to(
        &mut self,
        table: &'static str,
        parts: &[Columns],
        columns: Vec<ArrayRef>,
    ) -> Result<()> {
        let batch = RecordBatch::try_new(batch::schema(parts), columns)
            .expect("appended columns match the table");
        let at = match self.appenders.iter().position(|(t, _)| *t == table) {
            Some(at) => at,
            None => {
                let app = self.tx.appender(table).doing("appending new rows")?;
                self.appenders.push((table, app));
                self.appenders.len() - 1
            }
        };
        self.appenders[at]
            .1
            .append_record_batch(batch)
            .doing("appending new rows")
    }

    /// Finishes the appends to permanent tables, before SQL reads them.
    fn close_appenders(&mut self) -> Result<()> {
        for (_, mut app) in self.appenders.drain(..) {
            app.flush().doing("appending new rows")?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.pending);
        self.append(rows)
    }

    fn maybe_flush(&mut self) -> Result<()> {
        if self.pending.len() >= FLUSH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Merges everything staged and commits ([`ImportSink::commit`]).
    fn finish(mut self, rejected: u64) -> Result<ImportCounts> {
        let started = std::time::Instant::now();
        let phase = |name: &str| {
            tracing::debug!(
                phase = name,
                ms = started.elapsed().as_millis() as u64,
                "import commit"
            )
        };
        self.flush()?;
        self.close_appenders()?;
        phase("flushed");
        let mut counts = ImportCounts::default();
        if self.newest_wins || self.totals.deletions() > 0 {
            counts += self.supersede()?;
            phase("superseded");
        }
        if self.totals.customers() > 0 {
            counts += self.merge_customers()?;
            phase("customers");
        }
        if self.totals.agents() > 0 || !self.agent_mentions.is_empty() {
            counts += self.merge_agents()?;
            phase("agents");
        }
        if self.totals.interactions() > 0 {
            counts += self.merge_interactions()?;
            phase("interactions");
        }
        counts.imported += self.totals.appended_interactions;
        if self.totals.surveys() > 0 {
            counts += self.merge_surveys()?;
        }
        if self.totals.events() > 0 {
            counts += self.merge_events()?;
        }
        if self.totals.qa() > 0 {
            counts += self.merge_qa()?;
        }
        if self.totals.deletions() > 0 {
            counts.deleted += self.apply_deletions()?;
        }
        // Derived metrics are part of the same transaction: an import is
        // never visible with stale durations or repeat flags.
        let clock = crate::config::business_clock(self.tx)?;
        crate::derive::refresh(self.tx, Some(&self.source), clock.as_ref())?;
        phase("derived");
        // Judged as of the moment of the import: an open stage keeps its due
        // instant, and queries count it breached once that has passed.
        crate::sla::judge_interactions(self.tx, Some(&self.source), jiff::Timestamp::now())?;
        phase("judged");
        self.tx
            .execute(
                "UPDATE imports SET finished_at = current_timestamp, imported = ?, updated = ?, unchanged = ?, rejected = ?, superseded = ?, deleted = ? WHERE id = ?",
                params![counts.imported as i64, counts.updated as i64, counts.unchanged as i64, rejected as i64, counts.superseded as i64, counts.deleted as i64, self.import_id],
            )
            .doing("recording the import")?;
        for s in [
            "stage_interactions",
            "stage_customers",
            "stage_surveys",
            "stage_events",
            "stage_qa",
            "stage_qa_ratings",
            "stage_agents",
            "stage_deletions",
            "stage_versions",
            "stage_applied",
            "stage_deleted_ids",
            "stage_agent_mentions",
            "stage_class",
            "stage_customer_latest",
            "stage_agent_latest",
        ] {
            self.tx
                .execute_batch(&format!("DROP TABLE IF EXISTS {s}"))
                .doing("dropping staging tables")?;
        }
        if let Some(hook) = self.hook.as_mut() {
            hook.before_commit(self.tx)?;
        }
        self.tx
            .execute_batch("COMMIT")
            .doing("committing the import")?;
        self.committed = true;
        phase("committed");
        Ok(counts)
    }

    /// Classifies staged rows against the permanent table by key and hash into
    /// `stage_class(line, key, existing_id, state)`; returns the counts of
    /// the rows that `primary_filter` selects.
    fn classify(
        &self,
        stage: &str,
        key: &str,
        table: &str,
        table_key: &str,
        primary_filter: &str,
    ) -> Result<ImportCounts> {
        let t = &self.tx;
        t.execute_batch(
            "DROP TABLE IF EXISTS stage_class;
             CREATE TEMP TABLE stage_class (line BIGINT, row_key VARCHAR, existing_id BIGINT, state VARCHAR, is_primary BOOLEAN)",
        )
        .doing("classifying rows")?;
        t.execute(
            &format!(
                "INSERT INTO stage_class
                 SELECT s.line, s.{key}, e.id,
                        CASE WHEN e.id IS NULL THEN 'new'
                             WHEN e.row_hash = s.row_hash THEN 'same'
                             ELSE 'changed' END,
                        {primary_filter}
                 FROM {stage} s
                 LEFT JOIN (SELECT id, {table_key} AS row_key, row_hash FROM {table} WHERE source = ?) e
                   ON e.row_key = s.{key}"
            ),
            [&self.source],
        )
        .doing("classifying rows")?;
        let mut counts = ImportCounts::default();
        let mut stmt = t
            .prepare("SELECT state, count(*) FROM stage_class WHERE is_primary GROUP BY state")
            .doing("counting rows")?;
        let mut rows = stmt.query([]).doing("counting rows")?;
        while let Some(r) = rows.next().doing("counting rows")? {
            let state: String = r.get(0).doing("counting rows")?;
            let n: i64 = r.get(1).doing("counting rows")?;
            match state.as_str() {
                "new" => counts.imported = n as u64,
                "same" => counts.unchanged = n as u64,
                _ => counts.updated = n as u64,
            }
        }
        Ok(counts)
    }

    fn merge_interactions(&mut self) -> Result<ImportCounts> {
        let counts = self.classify(
            "stage_interactions",
            "external_id",
            "interactions",
            "external_id",
            "true",
        )?;
        let t = &self.tx;
        let src = &self.source;
        // Surveys derived from a changed row are replaced by what the row says now.
        t.execute(
            "DELETE FROM survey_answers WHERE source = ?
               AND interaction_id IN (SELECT existing_id FROM stage_class WHERE state = 'changed')
               AND external_id IN (SELECT row_key || '#' || k.kind FROM stage_class
                                   CROSS JOIN (VALUES ('csat'), ('ces'), ('nps'), ('custom')) AS k(kind)
                                   WHERE state = 'changed')",
            [src],
        )
        .doing("replacing changed surveys")?;
        t.execute(
            &format!(
                "UPDATE interactions SET {set}, {version}, row_hash = s.row_hash, import_id = ?
                 FROM stage_interactions s
                 WHERE interactions.source = ? AND interactions.external_id = s.external_id
                   AND interactions.row_hash <> s.row_hash",
                set = assignments(cols::INTERACTION, "s", &["external_id"]),
                version = assignments(cols::VERSION, "s", &[]),
            ),
            params![self.import_id, src],
        )
        .doing("updating changed interactions")?;
        t.execute(
            &format!(
                "INSERT INTO interactions (id, source, {cols}, {version}, row_hash, import_id)
                 SELECT nextval('interaction_id_seq'), ?, {scols}, {sversion}, s.row_hash, ?
                 FROM stage_interactions s JOIN stage_class c ON c.line = s.line
                 WHERE c.state = 'new'",
                cols = names(cols::INTERACTION),
                scols = prefixed("s", cols::INTERACTION),
                version = names(cols::VERSION),
                sversion = prefixed("s", cols::VERSION),
            ),
            params![src, self.import_id],
        )
        .doing("inserting new interactions")?;
        Ok(counts)
    }

    fn merge_surveys(&mut self) -> Result<ImportCounts> {
        let counts = self.classify(
            "stage_surveys",
            "external_id",
            "survey_answers",
            "external_id",
            "s.is_primary",
        )?;
        let t = &self.tx;
        let src = &self.source;
        t.execute(
            &format!(
                "UPDATE survey_answers SET {set}, row_hash = s.row_hash,
                        interaction_id = (SELECT i.id FROM interactions i WHERE i.source = survey_answers.source AND i.external_id = s.interaction_external_id)
                 FROM stage_surveys s
                 WHERE survey_answers.source = ? AND survey_answers.external_id = s.external_id
                   AND survey_answers.row_hash <> s.row_hash",
                set = assignments(cols::SURVEY, "s", &["external_id"]),
            ),
            [src],
        )
        .doing("updating changed survey answers")?;
        t.execute(
            &format!(
                "INSERT INTO survey_answers (id, source, interaction_id, {cols}, row_hash)
                 SELECT nextval('survey_id_seq'), ?, i.id, {scols}, s.row_hash
                 FROM stage_surveys s
                 JOIN stage_class c ON c.line = s.line AND c.row_key = s.external_id
                 LEFT JOIN (SELECT id, external_id FROM interactions WHERE source = ?) i
                   ON i.external_id = s.interaction_external_id
                 WHERE c.state = 'new'",
                cols = names(cols::SURVEY),
                scols = prefixed("s", cols::SURVEY),
            ),
            params![src, src],
        )
        .doing("inserting new survey answers")?;
        Ok(counts)
    }

    fn merge_customers(&mut self) -> Result<ImportCounts> {
        let t = &self.tx;
        let src = &self.source;
        // Counts only for customer files; customers seen through interactions
        // are a by-product of those rows.
        let mut counts = ImportCounts::default();
        t.execute_batch(
            "DROP TABLE IF EXISTS stage_customer_latest;
             CREATE TEMP TABLE stage_customer_latest AS
             SELECT l.*, m.min_first_seen FROM
               (SELECT DISTINCT ON (id) * FROM stage_customers ORDER BY id, line DESC) l
               JOIN (SELECT id, min(first_seen) AS min_first_seen FROM stage_customers GROUP BY id) m
                 ON m.id = l.id",
        )
        .doing("merging customers")?;
        let explicit: i64 = t
            .query_row(
                "SELECT count(*) FROM stage_customers WHERE explicit",
                [],
                |r| r.get(0),
            )
            .doing("merging customers")?;
        if explicit > 0 {
            let mut stmt = t
                .prepare(
                    "SELECT CASE WHEN c.id IS NULL THEN 'new' WHEN c.row_hash = s.row_hash THEN 'same' ELSE 'changed' END, count(*)
                     FROM stage_customers s LEFT JOIN customers c ON c.id = s.id
                     WHERE s.explicit GROUP BY 1",
                )
                .doing("counting customers")?;
            let mut rows = stmt.query([]).doing("counting customers")?;
            while let Some(r) = rows.next().doing("counting customers")? {
                let state: String = r.get(0).doing("counting customers")?;
                let n: i64 = r.get(1).doing("counting customers")?;
                match state.as_str() {
                    "new" => counts.imported += n as u64,
                    "same" => counts.unchanged += n as u64,
                    _ => counts.updated += n as u64,
                }
            }
        }
        let keep_or_new = |c: &str| format!("{c} = coalesce(s.{c}, customers.{c})");
        let set: Vec<String> = [
            "name",
            "age",
            "gender",
            "segment",
            "plan",
            "region",
            "language",
            "churned_at",
            "attributes",
        ]
        .iter()
        .map(|c| keep_or_new(c))
        .collect();
        t.execute(
            &format!(
                "UPDATE customers SET {set},
                    first_seen = CASE WHEN s.explicit AND s.first_seen IS NOT NULL THEN s.first_seen
                                      ELSE coalesce(least(customers.first_seen, s.min_first_seen), customers.first_seen, s.min_first_seen) END,
                    row_hash = CASE WHEN s.explicit THEN s.row_hash ELSE customers.row_hash END,
                    source = ?
                 FROM stage_customer_latest s WHERE customers.id = s.id",
                set = set.join(", ")
            ),
            [src],
        )
        .doing("updating customers")?;
        t.execute(
            &format!(
                "INSERT INTO customers ({cols}, source, row_hash)
                 SELECT {scols_but_first_seen}, ?, CASE WHEN s.explicit THEN s.row_hash END
                 FROM stage_customer_latest s
                 WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.id)",
                cols = names(cols::CUSTOMER),
                scols_but_first_seen = cols::CUSTOMER
                    .iter()
                    .map(|(n, _)| if *n == "first_seen" {
                        "coalesce(s.first_seen, s.min_first_seen)".to_string()
                    } else {
                        format!("s.{n}")
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            [src],
        )
        .doing("inserting customers")?;
        Ok(counts)
    }

    fn merge_agents(&mut self) -> Result<ImportCounts> {
        let t = &self.tx;
        let src = &self.source;
        t.execute_batch(&format!(
            "DROP TABLE IF EXISTS stage_agent_mentions; CREATE TEMP TABLE stage_agent_mentions ({})",
            cols::definitions(&[AGENT_MENTION])
        ))
        .doing("merging agents")?;
        if !self.agent_mentions.is_empty() {
            let mut b = Batch::new(&[AGENT_MENTION]);
            for (name, (team, line)) in &self.agent_mentions {
                b.text(Some(name))
                    .text(team.as_deref())
                    .bigint(Some(*line as i64));
                b.end_row();
            }
            let mut app = t
                .appender_to_catalog_and_db("stage_agent_mentions", "temp", "main")
                .doing("merging agents")?;
            app.append_record_batch(b.take()).doing("merging agents")?;
            app.flush().doing("merging agents")?;
        }
        t.execute_batch(
            "DROP TABLE IF EXISTS stage_agent_latest;
             CREATE TEMP TABLE stage_agent_latest AS
             SELECT DISTINCT ON (name) name, team, email, explicit, line FROM (
                SELECT name, team, email, line, true AS explicit FROM stage_agents
                UNION ALL
                SELECT name, team, NULL, line, false FROM stage_agent_mentions
             ) a ORDER BY name, explicit DESC, line DESC",
        )
        .doing("merging agents")?;
        let mut counts = ImportCounts::default();
        if self.totals.agents() > 0 {
            let (new, changed, same): (i64, i64, i64) = t
                .query_row(
                    "SELECT count(*) FILTER (WHERE a.name IS NULL),
                            count(*) FILTER (WHERE a.name IS NOT NULL AND (a.team IS DISTINCT FROM s.team OR a.email IS DISTINCT FROM s.email)),
                            count(*) FILTER (WHERE a.name IS NOT NULL AND a.team IS NOT DISTINCT FROM s.team AND a.email IS NOT DISTINCT FROM s.email)
                     FROM stage_agents s LEFT JOIN agents a ON a.name = s.name",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .doing("counting agents")?;
            counts = ImportCounts {
                imported: new as u64,
                updated: changed as u64,
                unchanged: same as u64,
                ..ImportCounts::default()
            };
        }
        t.execute(
            "UPDATE agents SET team = coalesce(s.team, agents.team), email = coalesce(s.email, agents.email), source = ?
             FROM stage_agent_latest s WHERE agents.name = s.name",
            [src],
        )
        .doing("updating agents")?;
        t.execute(
            "INSERT INTO agents (name, team, email, source)
             SELECT s.name, s.team, s.email, ? FROM stage_agent_latest s
             WHERE NOT EXISTS (SELECT 1 FROM agents a WHERE a.name = s.name)",
            [src],
        )
        .doing("inserting agents")?;
        t.execute(
            "INSERT INTO teams (name, source)
             SELECT DISTINCT team, ? FROM stage_agent_latest s
             WHERE team IS NOT NULL AND NOT EXISTS (SELECT 1 FROM teams t WHERE t.name = s.team)",
            [src],
        )
        .doing("inserting teams")?;
        Ok(counts)
    }

    fn merge_events(&mut self) -> Result<ImportCounts> {
        let t = &self.tx;
        let src = &self.source;
        // Interactions known only through their events are created here; their
        // times are derived below like everyone else's.
        t.execute(
            "INSERT INTO interactions (id, source, external_id, channel, created_at, row_hash, import_id)
             SELECT nextval('interaction_id_seq'), ?, n.external_id, n.channel, n.created_at, 0, ?
             FROM (SELECT e.interaction_external_id AS external_id,
                          coalesce(min(e.channel), 'other') AS channel,
                          min(e.occurred_at) AS created_at
                   FROM stage_events e
                   WHERE NOT EXISTS (SELECT 1 FROM interactions i WHERE i.source = ? AND i.external_id = e.interaction_external_id)
                   GROUP BY e.interaction_external_id) n",
            params![src, self.import_id, src],
        )
        .doing("creating interactions from events")?;
        let (total, new): (i64, i64) = t
            .query_row(
                "SELECT count(*), count(*) - count(x.occurred_at)
                 FROM stage_events s
                 LEFT JOIN (SELECT DISTINCT interaction_external_id, occurred_at, kind, coalesce(status, '') AS st
                            FROM events WHERE source = ?) x
                   ON x.interaction_external_id = s.interaction_external_id AND x.occurred_at = s.occurred_at
                  AND x.kind = s.kind AND x.st = coalesce(s.status, '')",
                [src],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .doing("counting events")?;
        t.execute(
            &format!(
                "INSERT INTO events (source, interaction_id, {cols})
                 SELECT DISTINCT ?, i.id, {scols}
                 FROM stage_events s
                 JOIN interactions i ON i.source = ? AND i.external_id = s.interaction_external_id
                 WHERE NOT EXISTS (
                   SELECT 1 FROM events x WHERE x.source = ? AND x.interaction_external_id = s.interaction_external_id
                     AND x.occurred_at = s.occurred_at AND x.kind = s.kind AND coalesce(x.status, '') = coalesce(s.status, ''))",
                cols = names(cols::EVENT),
                scols = prefixed("s", cols::EVENT),
            ),
            params![src, src, src],
        )
        .doing("inserting events")?;
        self.derive_from_events()?;
        Ok(ImportCounts {
            imported: new as u64,
            updated: 0,
            unchanged: (total - new) as u64,
            ..ImportCounts::default()
        })
    }

    /// When a source has events, an interaction's summary times are derived
    /// from them (docs/product.md §3): the first reply is the first agent reply, the first
    /// and final resolutions are the first and last resolved events, and the
    /// status is the one entered last.
    fn derive_from_events(&mut self) -> Result<()> {
        let t = &self.tx;
        let src = &self.source;
        t.execute(
            "UPDATE interactions SET
                created_at = coalesce(d.created, interactions.created_at),
                first_response_at = d.first_reply,
                first_resolved_at = d.first_resolved,
                resolved_at = d.last_resolved,
                confirmed_at = d.confirmed,
                closed_at = d.closed,
                reopen_count = d.reopens,
                agent_replies = d.agent_replies,
                customer_replies = d.customer_replies,
                status = coalesce(d.last_status, interactions.status),
                agent = coalesce(d.last_actor, interactions.agent)
             FROM (
               SELECT e.interaction_id,
                 min(e.occurred_at) FILTER (WHERE e.kind = 'created') AS created,
                 min(e.occurred_at) FILTER (WHERE e.kind = 'agent_reply') AS first_reply,
                 min(e.occurred_at) FILTER (WHERE e.kind = 'resolved' OR (e.kind = 'status_change' AND e.status = 'resolved')) AS first_resolved,
                 max(e.occurred_at) FILTER (WHERE e.kind = 'resolved' OR (e.kind = 'status_change' AND e.status = 'resolved')) AS last_resolved,
                 max(e.occurred_at) FILTER (WHERE e.kind = 'confirmed') AS confirmed,
                 max(e.occurred_at) FILTER (WHERE e.kind = 'closed' OR (e.kind = 'status_change' AND e.status = 'closed')) AS closed,
                 CAST(count(*) FILTER (WHERE e.kind = 'reopened') AS INTEGER) AS reopens,
                 CAST(count(*) FILTER (WHERE e.kind = 'agent_reply') AS INTEGER) AS agent_replies,
                 CAST(count(*) FILTER (WHERE e.kind = 'customer_reply') AS INTEGER) AS customer_replies,
                 max(ls.status) AS last_status,
                 max(la.actor) AS last_actor
               FROM events e
               LEFT JOIN (SELECT interaction_id, status FROM (
                   SELECT interaction_id, status, row_number() OVER (PARTITION BY interaction_id ORDER BY occurred_at DESC) AS rn
                   FROM events WHERE source = ? AND status IS NOT NULL) r WHERE rn = 1) ls
                 ON ls.interaction_id = e.interaction_id
               LEFT JOIN (SELECT interaction_id, actor FROM (
                   SELECT interaction_id, actor, row_number() OVER (PARTITION BY interaction_id ORDER BY occurred_at DESC) AS rn
                   FROM events WHERE source = ? AND actor IS NOT NULL AND kind IN ('agent_reply', 'assigned')) r WHERE rn = 1) la
                 ON la.interaction_id = e.interaction_id
               WHERE e.source = ? AND e.interaction_external_id IN (SELECT interaction_external_id FROM stage_events)
               GROUP BY e.interaction_id
             ) d
             WHERE interactions.id = d.interaction_id",
            params![src, src, src],
        )
        .doing("deriving times from events")?;
        Ok(())
    }

    fn merge_qa(&mut self) -> Result<ImportCounts> {
        let counts = self.classify(
            "stage_qa",
            "external_id",
            "qa_reviews",
            "external_id",
            "true",
        )?;
        let t = &self.tx;
        let src = &self.source;
        // Rubrics named by reviews but never defined get their criteria from
        // the reviews, on the default 1–5 scale with equal weights.
        t.execute_batch(
            "INSERT INTO qa_rubrics (name, version)
             SELECT DISTINCT rubric, 1 FROM stage_qa s WHERE NOT EXISTS (SELECT 1 FROM qa_rubrics r WHERE r.name = s.rubric);
             INSERT INTO qa_criteria (rubric, criterion, position, scale_min, scale_max, weight, critical, standard, version, na_allowed)
             SELECT n.rubric, n.criterion, CAST(row_number() OVER (PARTITION BY n.rubric ORDER BY n.criterion) + 1000 AS INTEGER), 1, 5, 1, false, NULL, n.version, false
             FROM (SELECT DISTINCT q.rubric, r.criterion, qr.version
                   FROM stage_qa_ratings r JOIN stage_qa q ON q.external_id = r.review_external_id
                   JOIN qa_rubrics qr ON qr.name = q.rubric) n
             WHERE NOT EXISTS (SELECT 1 FROM qa_criteria c WHERE c.rubric = n.rubric AND c.version = n.version AND c.criterion = n.criterion);",
        )
        .doing("completing rubrics")?;
        t.execute(
            "DELETE FROM qa_ratings WHERE review_id IN (SELECT existing_id FROM stage_class WHERE state = 'changed')",
            [],
        )
        .doing("replacing changed QA ratings")?;
        t.execute(
            &format!(
                "UPDATE qa_reviews SET {set}, row_hash = s.row_hash,
                        interaction_id = (SELECT i.id FROM interactions i WHERE i.source = qa_reviews.source AND i.external_id = s.interaction_external_id)
                 FROM stage_qa s
                 WHERE qa_reviews.source = ? AND qa_reviews.external_id = s.external_id AND qa_reviews.row_hash <> s.row_hash",
                set = assignments(cols::QA_REVIEW, "s", &["external_id"]),
            ),
            [src],
        )
        .doing("updating changed QA reviews")?;
        t.execute(
            &format!(
                "INSERT INTO qa_reviews (id, source, interaction_id, {cols}, row_hash)
                 SELECT nextval('qa_review_id_seq'), ?, i.id, {scols}, s.row_hash
                 FROM stage_qa s JOIN stage_class c ON c.line = s.line
                 LEFT JOIN (SELECT id, external_id FROM interactions WHERE source = ?) i ON i.external_id = s.interaction_external_id
                 WHERE c.state = 'new'",
                cols = names(cols::QA_REVIEW),
                scols = prefixed("s", cols::QA_REVIEW),
            ),
            params![src, src],
        )
        .doing("inserting new QA reviews")?;
        t.execute(
            "INSERT INTO qa_ratings (review_id, criterion, rating)
             SELECT q.id, r.criterion, r.rating
             FROM stage_qa_ratings r
             JOIN stage_class c ON c.row_key = r.review_external_id AND c.state IN ('new', 'changed')
             JOIN qa_reviews q ON q.source = ? AND q.external_id = r.review_external_id",
            [src],
        )
        .doing("inserting QA ratings")?;
        // A review new or changed in this import is scored on its rubric's
        // current version; an unchanged one keeps the version it had.
        t.execute(
            "UPDATE qa_reviews SET rubric_version = (SELECT r.version FROM qa_rubrics r WHERE r.name = qa_reviews.rubric)
             WHERE source = ? AND external_id IN (SELECT row_key FROM stage_class WHERE state IN ('new', 'changed'))",
            [src],
        )
        .doing("stamping QA reviews with their rubric's version")?;
        Ok(counts)
    }

    /// Of the copies of each interaction this import holds — rows and
    /// deletions — keeps the one the source changed last (the later line on
    /// a tie), unless the database already holds a copy changed later; the
    /// rest leave the staging tables. Returns how many were superseded.
    fn supersede(&mut self) -> Result<ImportCounts> {
        let t = &self.tx;
        t.execute_batch(
            "DROP TABLE IF EXISTS stage_versions;
             CREATE TEMP TABLE stage_versions AS
             SELECT external_id, line, updated_at, is_deletion,
                    row_number() OVER (PARTITION BY external_id
                                       ORDER BY updated_at DESC NULLS LAST, line DESC) AS rank_in_file
             FROM (SELECT external_id, line, updated_at, false AS is_deletion FROM stage_interactions
                   UNION ALL
                   SELECT external_id, line, updated_at, true AS is_deletion FROM stage_deletions) AS copies",
        )
        .doing("choosing the newest copies")?;
        // A copy the database holds, or its deletion, wins only when it says
        // it is newer: with no update time on either side, the file wins as
        // it always has.
        t.execute_batch("DROP TABLE IF EXISTS stage_applied")
            .doing("choosing the newest copies")?;
        t.execute(
            "CREATE TEMP TABLE stage_applied AS
             SELECT v.external_id, v.line, v.is_deletion FROM stage_versions v
             WHERE v.rank_in_file = 1
               AND NOT EXISTS (SELECT 1 FROM interactions i
                               WHERE i.source = ? AND i.external_id = v.external_id
                                 AND i.updated_at > v.updated_at)
               AND (v.is_deletion OR NOT EXISTS (SELECT 1 FROM deleted_interactions d
                                                 WHERE d.source = ? AND d.external_id = v.external_id
                                                   AND d.updated_at >= v.updated_at))",
            [&self.source, &self.source],
        )
        .doing("choosing the newest copies")?;
        for (table, only) in [
            ("stage_interactions", ""),
            ("stage_surveys", " AND NOT is_primary"),
            ("stage_customers", " AND NOT explicit"),
        ] {
            t.execute_batch(&format!(
                "DELETE FROM {table}
                 WHERE line IN (SELECT line FROM stage_versions WHERE NOT is_deletion)
                   AND line NOT IN (SELECT line FROM stage_applied WHERE NOT is_deletion){only}"
            ))
            .doing("leaving out superseded copies")?;
        }
        let (copies, applied): (i64, i64) = t
            .query_row(
                "SELECT (SELECT count(*) FROM stage_versions), (SELECT count(*) FROM stage_applied)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .doing("counting superseded copies")?;
        Ok(ImportCounts {
            superseded: (copies - applied) as u64,
            ..ImportCounts::default()
        })
    }

    /// Removes the interactions the source says are gone, with their survey
    /// answers, events and QA reviews; returns how many deletions applied
    /// (a deletion superseded by a newer copy does not).
    fn apply_deletions(&mut self) -> Result<u64> {
        let t = &self.tx;
        t.execute_batch("DROP TABLE IF EXISTS stage_deleted_ids")
            .doing("finding deleted interactions")?;
        t.execute(
            "CREATE TEMP TABLE stage_deleted_ids AS
             SELECT i.id FROM interactions i
             JOIN stage_applied a ON a.external_id = i.external_id AND a.is_deletion
             WHERE i.source = ?",
            [&self.source],
        )
        .doing("finding deleted interactions")?;
        for sql in [
            "DELETE FROM qa_ratings WHERE review_id IN
               (SELECT id FROM qa_reviews WHERE interaction_id IN (SELECT id FROM stage_deleted_ids))",
            "DELETE FROM qa_reviews WHERE interaction_id IN (SELECT id FROM stage_deleted_ids)",
            "DELETE FROM events WHERE interaction_id IN (SELECT id FROM stage_deleted_ids)",
            "DELETE FROM sla_stages WHERE interaction_id IN (SELECT id FROM stage_deleted_ids)",
            "DELETE FROM survey_answers WHERE interaction_id IN (SELECT id FROM stage_deleted_ids)",
            "DELETE FROM interactions WHERE id IN (SELECT id FROM stage_deleted_ids)",
        ] {
            t.execute_batch(sql).doing("removing deleted interactions")?;
        }
        // The tombstone: a copy older than the deletion, imported later,
        // stays out.
        t.execute(
            "DELETE FROM deleted_interactions WHERE source = ?
               AND external_id IN (SELECT external_id FROM stage_applied WHERE is_deletion)",
            [&self.source],
        )
        .doing("recording deletions")?;
        t.execute(
            "INSERT INTO deleted_interactions (source, external_id, updated_at, import_id)
             SELECT ?, a.external_id, v.updated_at, ? FROM stage_applied a
             JOIN stage_versions v ON v.line = a.line AND v.is_deletion
             WHERE a.is_deletion",
            params![self.source, self.import_id],
        )
        .doing("recording deletions")?;
        let applied: i64 = t
            .query_row(
                "SELECT count(*) FROM stage_applied WHERE is_deletion",
                [],
                |r| r.get(0),
            )
            .doing("counting deletions")?;
        Ok(applied as u64)
    }
}

impl ImportSink for ImportTx<'_> {
    fn import_id(&self) -> i64 {
        self.import_id
    }

    fn replace_source(&mut self) -> Result<()> {
        self.flush()?;
        self.close_appenders()?;
        let s = &self.source;
        let t = &self.tx;
        t.execute(
            "DELETE FROM qa_ratings WHERE review_id IN (SELECT id FROM qa_reviews WHERE source = ?)",
            [s],
        )
        .doing("clearing the source")?;
        t.execute(
            "DELETE FROM sla_stages WHERE interaction_id IN (SELECT id FROM interactions WHERE source = ?)",
            [s],
        )
        .doing("clearing the source")?;
        for table in [
            "deleted_interactions",
            "qa_reviews",
            "events",
            "survey_answers",
            "interactions",
            "customers",
            "agents",
            "teams",
        ] {
            t.execute(&format!("DELETE FROM {table} WHERE source = ?"), [s])
                .doing("clearing the source")?;
        }
        if self.totals.interactions() == 0 && self.totals.surveys() == 0 && !self.newest_wins {
            self.fresh = true;
        }
        Ok(())
    }

    fn append(&mut self, mut rows: StagedRows) -> Result<()> {
        for (name, (team, line)) in rows.agent_mentions.drain() {
            mention(&mut self.agent_mentions, &name, team.as_deref(), line);
        }
        if self.fresh && rows.interactions.len() > 0 {
            let interactions = rows.interactions.take();
            let surveys = (rows.surveys.len() > 0).then(|| rows.surveys.take());
            self.append_new_interactions(interactions, surveys)?;
        }
        for (n, ((table, _), batch)) in STAGES.iter().zip(rows.stages()).enumerate() {
            if batch.len() > 0 {
                self.totals.staged[n] += batch.len() as u64;
                let mut app = self
                    .tx
                    .appender_to_catalog_and_db(table, "temp", "main")
                    .doing("opening a staging appender")?;
                app.append_record_batch(batch.take())
                    .doing("staging rows")?;
                app.flush().doing("staging rows")?;
            }
        }
        Ok(())
    }

    fn add(&mut self, line: u64, row_hash: i64, record: &Record) -> Result<()> {
        self.pending.add(line, row_hash, record);
        self.maybe_flush()
    }

    fn add_interaction(&mut self, line: u64, row_hash: i64, rec: &InteractionRecord) -> Result<()> {
        self.pending.add_interaction(line, row_hash, rec);
        self.maybe_flush()
    }

    fn add_survey(&mut self, line: u64, row_hash: i64, s: &StandaloneSurvey) -> Result<()> {
        self.pending.add_survey(line, row_hash, s);
        self.maybe_flush()
    }

    fn add_customer(&mut self, line: u64, row_hash: i64, c: &Customer) -> Result<()> {
        self.pending.add_customer(line, row_hash, c);
        self.maybe_flush()
    }

    fn add_event(&mut self, line: u64, e: &Event) -> Result<()> {
        self.pending.add_event(line, e);
        self.maybe_flush()
    }

    fn add_qa_review(&mut self, line: u64, row_hash: i64, r: &QaReview) -> Result<()> {
        self.pending.add_qa_review(line, row_hash, r);
        self.maybe_flush()
    }

    fn add_agent(&mut self, line: u64, a: &Agent) -> Result<()> {
        self.pending.add_agent(line, a);
        self.maybe_flush()
    }

    fn define_rubric(&mut self, def: &RubricDef) -> Result<()> {
        // The current version brought up to this definition: its criteria
        // updated, new ones added, the others kept. A definition that
        // changes nothing makes no new version.
        let t = &self.tx;
        let (description, mut criteria) = match crate::qa::current_definition(t, &def.name)? {
            Some((description, _, criteria)) => (description, criteria),
            None => (None, Vec::new()),
        };
        let before = criteria.clone();
        for c in &def.criteria {
            let row = match criteria.iter_mut().find(|k| k.key == c.name) {
                Some(row) => row,
                None => {
                    criteria.push(crate::qa::CriterionRow {
                        key: c.name.clone(),
                        label: None,
                        description: None,
                        scale_min: c.scale_min,
                        scale_max: c.scale_max,
                        weight: c.weight,
                        critical: c.critical,
                        na_allowed: false,
                        standard: c.standard,
                    });
                    continue;
                }
            };
            row.scale_min = c.scale_min;
            row.scale_max = c.scale_max;
            row.weight = c.weight;
            row.critical = c.critical;
            row.standard = c.standard;
        }
        let description = def.description.clone().or(description);
        if before.is_empty() || criteria != before {
            crate::qa::write_version(t, &def.name, description.as_deref(), &criteria)?;
        }
        Ok(())
    }

    fn newest_wins(&mut self) {
        self.newest_wins = true;
        self.fresh = false;
    }

    fn commit(self: Box<Self>, rejected: u64) -> Result<ImportCounts> {
        (*self).finish(rejected)
    }
}

impl ImportStore for Store {
    fn begin_import(&mut self, source: &str, file: &str) -> Result<Box<dyn ImportSink + '_>> {
        Ok(Box::new(ImportTx::begin(
            &mut self.conn,
            self.replication.as_deref_mut(),
            &self.gate,
            source,
            file,
        )?))
    }
}

impl Drop for ImportTx<'_> {
    fn drop(&mut self) {
        // Appenders first: they write into the transaction being ended.
        self.appenders.clear();
        if !self.committed {
            if let Err(e) = self.tx.execute_batch("ROLLBACK") {
                tracing::warn!(error = %e, "rolling back an import");
            }
            if let Some(hook) = self.hook.as_mut() {
                hook.after_rollback();
            }
        }
    }
}
