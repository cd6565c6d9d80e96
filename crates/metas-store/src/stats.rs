//! What the database holds (`metas stats`).

use serde::Serialize;

use crate::{Doing, Result};

#[derive(Debug, Clone, Serialize)]
pub struct TableCount {
    pub table: &'static str,
    pub rows: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceStats {
    pub source: String,
    pub interactions: i64,
    pub first_created: Option<String>,
    pub last_created: Option<String>,
    pub channels: Vec<(String, i64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub schema_version: i64,
    pub tables: Vec<TableCount>,
    pub sources: Vec<SourceStats>,
    pub imports: i64,
}

const TABLES: &[&str] = &[
    "interactions",
    "events",
    "survey_answers",
    "customers",
    "agents",
    "teams",
    "qa_reviews",
    "qa_ratings",
    "qa_rubrics",
];

pub(crate) fn stats(conn: &duckdb::Connection) -> Result<Stats> {
    let mut tables = Vec::new();
    for table in TABLES {
        let rows: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .doing("counting rows")?;
        tables.push(TableCount { table, rows });
    }
    let mut sources = Vec::new();
    {
        let mut stmt = conn
            .prepare(
                "SELECT source, count(*), CAST(min(created_at) AS VARCHAR), CAST(max(created_at) AS VARCHAR)
                 FROM interactions GROUP BY source ORDER BY source",
            )
            .doing("reading sources")?;
        let mut rows = stmt.query([]).doing("reading sources")?;
        while let Some(r) = rows.next().doing("reading sources")? {
            sources.push(SourceStats {
                source: r.get(0).doing("reading sources")?,
                interactions: r.get(1).doing("reading sources")?,
                first_created: r.get(2).doing("reading sources")?,
                last_created: r.get(3).doing("reading sources")?,
                channels: Vec::new(),
            });
        }
    }
    for s in &mut sources {
        let mut stmt = conn
            .prepare(
                "SELECT channel, count(*) FROM interactions WHERE source = ? GROUP BY channel ORDER BY count(*) DESC, channel",
            )
            .doing("reading channels")?;
        let mut rows = stmt.query([&s.source]).doing("reading channels")?;
        while let Some(r) = rows.next().doing("reading channels")? {
            s.channels.push((
                r.get(0).doing("reading channels")?,
                r.get(1).doing("reading channels")?,
            ));
        }
    }
    let imports: i64 = conn
        .query_row(
            "SELECT count(*) FROM imports WHERE finished_at IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .doing("counting imports")?;
    Ok(Stats {
        schema_version: crate::schema::current_version(conn)?,
        tables,
        sources,
        imports,
    })
}
