//! One import: staged in temporary tables, merged into the permanent ones in
//! set-based SQL, all inside one transaction. Dropping an [`ImportTx`]
//! without committing leaves the database exactly as it was.

use duckdb::params;
use metas_domain::{Agent, Customer, Event, InteractionRecord, QaReview, StandaloneSurvey};

use crate::batch::{Batch, FLUSH_ROWS};
use crate::columns::{self as cols, assignments, names, prefixed, ColType, Columns};
use crate::{Doing, Result};

/// What the merge did with the rows of the primary record kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl std::ops::AddAssign for ImportCounts {
    fn add_assign(&mut self, o: Self) {
        self.imported += o.imported;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
    }
}

/// A QA rubric: criteria with scale, weight, critical flag and business standard.
#[derive(Debug, Clone, PartialEq)]
pub struct RubricDef {
    pub name: String,
    pub description: Option<String>,
    pub criteria: Vec<RubricCriterion>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RubricCriterion {
    pub name: String,
    pub scale_min: f64,
    pub scale_max: f64,
    pub weight: f64,
    pub critical: bool,
    pub standard: Option<f64>,
}

const LINE: Columns = &[("line", ColType::BigInt)];
const EXPLICIT: Columns = &[("explicit", ColType::Bool), ("row_hash", ColType::BigInt)];
const PRIMARY: Columns = &[("is_primary", ColType::Bool)];

struct Stage {
    table: &'static str,
    parts: &'static [Columns],
    batch: Batch,
    rows: u64,
}

impl Stage {
    fn new(table: &'static str, parts: &'static [Columns]) -> Stage {
        Stage {
            table,
            parts,
            batch: Batch::new(parts),
            rows: 0,
        }
    }
}

const STAGE_INTERACTIONS: &[Columns] = &[cols::STAGE_PREFIX, cols::INTERACTION];
const STAGE_CUSTOMERS: &[Columns] = &[LINE, cols::CUSTOMER, EXPLICIT];
const STAGE_SURVEYS: &[Columns] = &[cols::STAGE_PREFIX, cols::SURVEY, PRIMARY];
const STAGE_EVENTS: &[Columns] = &[LINE, cols::EVENT];
const STAGE_QA: &[Columns] = &[cols::STAGE_PREFIX, cols::QA_REVIEW];
const STAGE_QA_RATINGS: &[Columns] = &[cols::QA_RATING];
const STAGE_AGENTS: &[Columns] = &[LINE, cols::AGENT];

/// An import in progress. See the module documentation.
pub struct ImportTx<'c> {
    tx: duckdb::Transaction<'c>,
    source: String,
    import_id: i64,
    interactions: Stage,
    customers: Stage,
    surveys: Stage,
    events: Stage,
    qa: Stage,
    qa_ratings: Stage,
    agents: Stage,
}

fn attrs_json(a: &metas_domain::Attributes) -> Option<String> {
    (!a.is_empty()).then(|| serde_json::to_string(a).expect("string map serialises"))
}

impl<'c> ImportTx<'c> {
    pub(crate) fn begin(
        conn: &'c mut duckdb::Connection,
        source: &str,
        file: &str,
    ) -> Result<ImportTx<'c>> {
        let tx = conn.transaction().doing("starting the import")?;
        let import_id: i64 = tx
            .query_row("SELECT nextval('import_id_seq')", [], |r| r.get(0))
            .doing("numbering the import")?;
        tx.execute(
            "INSERT INTO imports (id, source, file, started_at) VALUES (?, ?, ?, current_timestamp)",
            params![import_id, source, file],
        )
        .doing("recording the import")?;
        let stages = [
            Stage::new("stage_interactions", STAGE_INTERACTIONS),
            Stage::new("stage_customers", STAGE_CUSTOMERS),
            Stage::new("stage_surveys", STAGE_SURVEYS),
            Stage::new("stage_events", STAGE_EVENTS),
            Stage::new("stage_qa", STAGE_QA),
            Stage::new("stage_qa_ratings", STAGE_QA_RATINGS),
            Stage::new("stage_agents", STAGE_AGENTS),
        ];
        for s in &stages {
            tx.execute_batch(&format!(
                "DROP TABLE IF EXISTS {t}; CREATE TEMP TABLE {t} ({})",
                cols::definitions(s.parts),
                t = s.table,
            ))
            .doing("creating staging tables")?;
        }
        let [interactions, customers, surveys, events, qa, qa_ratings, agents] = stages;
        Ok(ImportTx {
            tx,
            source: source.to_string(),
            import_id,
            interactions,
            customers,
            surveys,
            events,
            qa,
            qa_ratings,
            agents,
        })
    }

    pub fn import_id(&self) -> i64 {
        self.import_id
    }

    /// Removes everything this import's source holds (used by `metas demo`,
    /// which rebuilds its organisation from scratch).
    pub fn replace_source(&mut self) -> Result<()> {
        let s = &self.source;
        let t = &self.tx;
        t.execute(
            "DELETE FROM qa_ratings WHERE review_id IN (SELECT id FROM qa_reviews WHERE source = ?)",
            [s],
        )
        .doing("clearing the source")?;
        for table in [
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
        Ok(())
    }

    fn flush(&mut self, force: bool) -> Result<()> {
        let tx = &self.tx;
        for s in [
            &mut self.interactions,
            &mut self.customers,
            &mut self.surveys,
            &mut self.events,
            &mut self.qa,
            &mut self.qa_ratings,
            &mut self.agents,
        ] {
            if s.batch.len() > 0 && (force || s.batch.len() >= FLUSH_ROWS) {
                let batch = s.batch.take();
                let mut app = tx
                    .appender_to_catalog_and_db(s.table, "temp", "main")
                    .doing("opening a staging appender")?;
                app.append_record_batch(batch).doing("staging rows")?;
                app.flush().doing("staging rows")?;
            }
        }
        Ok(())
    }

    fn maybe_flush(&mut self) -> Result<()> {
        self.flush(false)
    }

    /// Stages an interaction row (with its surveys and customer facts).
    pub fn add_interaction(
        &mut self,
        line: u64,
        row_hash: i64,
        rec: &InteractionRecord,
    ) -> Result<()> {
        let i = &rec.interaction;
        let b = &mut self.interactions.batch;
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
            .text(attrs_json(&i.attributes).as_deref());
        b.end_row();
        self.interactions.rows += 1;
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
        self.maybe_flush()
    }

    fn stage_survey(&mut self, line: u64, row_hash: i64, s: &StandaloneSurvey, primary: bool) {
        let b = &mut self.surveys.batch;
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
        self.surveys.rows += 1;
    }

    fn stage_customer(&mut self, line: u64, row_hash: i64, c: &Customer, explicit: bool) {
        let b = &mut self.customers.batch;
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
        self.customers.rows += 1;
    }

    /// Stages a survey answer that came in a file of its own.
    pub fn add_survey(&mut self, line: u64, row_hash: i64, s: &StandaloneSurvey) -> Result<()> {
        self.stage_survey(line, row_hash, s, true);
        self.maybe_flush()
    }

    /// Stages a customer record that came in a file of its own.
    pub fn add_customer(&mut self, line: u64, row_hash: i64, c: &Customer) -> Result<()> {
        self.stage_customer(line, row_hash, c, true);
        self.maybe_flush()
    }

    pub fn add_event(&mut self, line: u64, e: &Event) -> Result<()> {
        let b = &mut self.events.batch;
        b.bigint(Some(line as i64))
            .text(Some(&e.interaction_external_id))
            .ts(Some(e.at))
            .text(Some(e.kind.as_str()))
            .text(e.status.map(|s| s.as_str()))
            .text(e.actor.as_deref())
            .text(e.channel.map(|c| c.as_str()));
        b.end_row();
        self.events.rows += 1;
        self.maybe_flush()
    }

    pub fn add_qa_review(&mut self, line: u64, row_hash: i64, r: &QaReview) -> Result<()> {
        let b = &mut self.qa.batch;
        b.bigint(Some(line as i64))
            .bigint(Some(row_hash))
            .text(Some(&r.external_id))
            .text(r.interaction_external_id.as_deref())
            .text(Some(&r.agent))
            .text(r.reviewer.as_deref())
            .text(Some(&r.rubric))
            .ts(Some(r.reviewed_at))
            .text(r.comment.as_deref());
        b.end_row();
        self.qa.rows += 1;
        for (criterion, rating) in &r.ratings {
            let b = &mut self.qa_ratings.batch;
            b.text(Some(&r.external_id))
                .text(Some(criterion))
                .double(*rating);
            b.end_row();
        }
        self.maybe_flush()
    }

    pub fn add_agent(&mut self, line: u64, a: &Agent) -> Result<()> {
        let b = &mut self.agents.batch;
        b.bigint(Some(line as i64))
            .text(Some(&a.name))
            .text(a.team.as_deref())
            .text(a.email.as_deref());
        b.end_row();
        self.agents.rows += 1;
        self.maybe_flush()
    }

    /// Creates the rubric, or brings its criteria up to this definition.
    pub fn define_rubric(&mut self, def: &RubricDef) -> Result<()> {
        let t = &self.tx;
        let exists: i64 = t
            .query_row(
                "SELECT count(*) FROM qa_rubrics WHERE name = ?",
                [&def.name],
                |r| r.get(0),
            )
            .doing("reading rubrics")?;
        if exists == 0 {
            t.execute(
                "INSERT INTO qa_rubrics (name, description) VALUES (?, ?)",
                params![def.name, def.description],
            )
            .doing("saving a rubric")?;
        }
        for (pos, c) in def.criteria.iter().enumerate() {
            let n = t
                .execute(
                    "UPDATE qa_criteria SET scale_min = ?, scale_max = ?, weight = ?, critical = ?, standard = ?
                     WHERE rubric = ? AND criterion = ?",
                    params![c.scale_min, c.scale_max, c.weight, c.critical, c.standard, def.name, c.name],
                )
                .doing("saving a rubric")?;
            if n == 0 {
                t.execute(
                    "INSERT INTO qa_criteria (rubric, criterion, position, scale_min, scale_max, weight, critical, standard)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    params![def.name, c.name, pos as i32, c.scale_min, c.scale_max, c.weight, c.critical, c.standard],
                )
                .doing("saving a rubric")?;
            }
        }
        Ok(())
    }

    /// Merges everything staged and commits. Returns what happened to the
    /// primary rows (one per input row).
    pub fn commit(mut self, rejected: u64) -> Result<ImportCounts> {
        let started = std::time::Instant::now();
        let phase = |name: &str| {
            tracing::debug!(
                phase = name,
                ms = started.elapsed().as_millis() as u64,
                "import commit"
            )
        };
        self.flush(true)?;
        phase("flushed");
        let mut counts = ImportCounts::default();
        if self.customers.rows > 0 {
            counts += self.merge_customers()?;
            phase("customers");
        }
        if self.agents.rows > 0 || self.interactions.rows > 0 {
            counts += self.merge_agents()?;
            phase("agents");
        }
        if self.interactions.rows > 0 {
            counts += self.merge_interactions()?;
            phase("interactions");
        }
        if self.surveys.rows > 0 {
            counts += self.merge_surveys()?;
        }
        if self.events.rows > 0 {
            counts += self.merge_events()?;
        }
        if self.qa.rows > 0 {
            counts += self.merge_qa()?;
        }
        // Derived metrics are part of the same transaction: an import is
        // never visible with stale durations or repeat flags.
        let clock = crate::config::business_clock(&self.tx)?;
        crate::derive::refresh(&self.tx, Some(&self.source), clock.as_ref())?;
        phase("derived");
        self.tx
            .execute(
                "UPDATE imports SET finished_at = current_timestamp, imported = ?, updated = ?, unchanged = ?, rejected = ? WHERE id = ?",
                params![counts.imported as i64, counts.updated as i64, counts.unchanged as i64, rejected as i64, self.import_id],
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
            "stage_class",
            "stage_customer_latest",
            "stage_agent_latest",
        ] {
            self.tx
                .execute_batch(&format!("DROP TABLE IF EXISTS {s}"))
                .doing("dropping staging tables")?;
        }
        self.tx.commit().doing("committing the import")?;
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
        while let Some(r) = rows.next()? {
            let state: String = r.get(0)?;
            let n: i64 = r.get(1)?;
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
                "UPDATE interactions SET {set}, row_hash = s.row_hash, import_id = ?
                 FROM stage_interactions s
                 WHERE interactions.source = ? AND interactions.external_id = s.external_id
                   AND interactions.row_hash <> s.row_hash",
                set = assignments(cols::INTERACTION, "s", &["external_id"]),
            ),
            params![self.import_id, src],
        )
        .doing("updating changed interactions")?;
        t.execute(
            &format!(
                "INSERT INTO interactions (id, source, {cols}, row_hash, import_id)
                 SELECT nextval('interaction_id_seq'), ?, {scols}, s.row_hash, ?
                 FROM stage_interactions s JOIN stage_class c ON c.line = s.line
                 WHERE c.state = 'new'",
                cols = names(cols::INTERACTION),
                scols = prefixed("s", cols::INTERACTION),
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
            while let Some(r) = rows.next()? {
                let state: String = r.get(0)?;
                let n: i64 = r.get(1)?;
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
        t.execute_batch(
            "DROP TABLE IF EXISTS stage_agent_latest;
             CREATE TEMP TABLE stage_agent_latest AS
             SELECT DISTINCT ON (name) name, team, email, explicit, line FROM (
                SELECT name, team, email, line, true AS explicit FROM stage_agents
                UNION ALL
                SELECT agent, team, NULL, line, false FROM stage_interactions WHERE agent IS NOT NULL
             ) a ORDER BY name, explicit DESC, line DESC",
        )
        .doing("merging agents")?;
        let mut counts = ImportCounts::default();
        if self.agents.rows > 0 {
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
        })
    }

    /// When a source has events, an interaction's summary times are derived
    /// from them (SPEC §3): the first reply is the first agent reply, the first
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
            "INSERT INTO qa_rubrics (name)
             SELECT DISTINCT rubric FROM stage_qa s WHERE NOT EXISTS (SELECT 1 FROM qa_rubrics r WHERE r.name = s.rubric);
             INSERT INTO qa_criteria (rubric, criterion, position, scale_min, scale_max, weight, critical, standard)
             SELECT n.rubric, n.criterion, CAST(row_number() OVER (PARTITION BY n.rubric ORDER BY n.criterion) + 1000 AS INTEGER), 1, 5, 1, false, NULL
             FROM (SELECT DISTINCT q.rubric, r.criterion FROM stage_qa_ratings r JOIN stage_qa q ON q.external_id = r.review_external_id) n
             WHERE NOT EXISTS (SELECT 1 FROM qa_criteria c WHERE c.rubric = n.rubric AND c.criterion = n.criterion);",
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
        Ok(counts)
    }
}
