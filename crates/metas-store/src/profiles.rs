//! Role profiles and assessments in the store (docs/profiles.md): every
//! version of every profile, candidates, the assessments of candidates and
//! agents with their ratings, and notes on candidates.
//!
//! A profile version keeps the file it was saved from (`definition`) and
//! the checked profile written out by the service (`canonical`); a save
//! whose canonical text equals the current version's makes no version. The
//! store does not read the profile itself: it keeps text, and competency
//! keys as the service gives them. Erasing a candidate deletes every row
//! about them in one transaction.

use duckdb::params;
use jiff::Timestamp;
use serde::Serialize;

use crate::sessions::{ts_read, ts_value};
use crate::storage::ProfileStore;
use crate::{Doing, Result, Store};

/// One version of a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileRow {
    pub name: String,
    pub role: String,
    pub version: i64,
    /// The version in force (the newest).
    pub current_version: i64,
    /// The file this version was saved from.
    pub definition: String,
    /// The checked profile written out (what versions are compared by).
    #[serde(skip)]
    pub canonical: String,
    pub saved_by: String,
    pub saved_at: Timestamp,
}

/// A saved version of a profile, for its history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileVersionRow {
    pub version: i64,
    pub saved_at: Timestamp,
    pub saved_by: String,
}

/// What saving a profile did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SavedProfile {
    pub version: i64,
    /// False when the file changed nothing (no new version).
    pub changed: bool,
}

/// A profile version to save.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProfileVersion<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub definition: &'a str,
    pub canonical: &'a str,
    pub saved_by: &'a str,
    pub at: Timestamp,
}

/// A candidate for a role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateRow {
    pub id: i64,
    pub name: String,
    pub profile: String,
    pub profile_version: i64,
    pub added_by: String,
    pub added_at: Timestamp,
    /// Who closed the assessment before every assessor finished, and when.
    pub closed_by: Option<String>,
    pub closed_at: Option<Timestamp>,
}

/// A candidate to add, with the assessors invited to rate them.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCandidate {
    pub name: String,
    pub profile: String,
    pub profile_version: i64,
    pub added_by: String,
    pub assessors: Vec<String>,
}

/// One rating of one competency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingRow {
    pub competency: String,
    pub level: u8,
    /// What the person said or did.
    pub evidence: Option<String>,
    /// The interview question used.
    pub question: Option<String>,
}

/// One assessor's assessment of a candidate or an agent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentRow {
    pub id: i64,
    pub candidate_id: Option<i64>,
    pub agent: Option<String>,
    pub profile: String,
    pub profile_version: i64,
    pub assessor: String,
    pub invited_at: Timestamp,
    /// `None` until the assessor submits.
    pub submitted_at: Option<Timestamp>,
    pub ratings: Vec<RatingRow>,
}

/// A note on a candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteRow {
    pub id: i64,
    pub candidate_id: i64,
    pub author: String,
    pub written_at: Timestamp,
    pub text: String,
}

const PROFILE_COLUMNS: &str =
    "v.name, v.role, v.version, p.version, v.definition, v.canonical, v.saved_by, v.saved_at";
const CANDIDATE_COLUMNS: &str =
    "id, name, profile, profile_version, added_by, added_at, closed_by, closed_at";
const ASSESSMENT_COLUMNS: &str =
    "id, candidate_id, agent, profile, profile_version, assessor, invited_at, submitted_at";

fn profile_of(r: &duckdb::Row<'_>) -> Result<ProfileRow> {
    const D: &str = "reading a profile";
    Ok(ProfileRow {
        name: r.get(0).doing(D)?,
        role: r.get(1).doing(D)?,
        version: r.get(2).doing(D)?,
        current_version: r.get(3).doing(D)?,
        definition: r.get(4).doing(D)?,
        canonical: r.get(5).doing(D)?,
        saved_by: r.get(6).doing(D)?,
        saved_at: ts_read(r.get_ref(7).doing(D)?)?,
    })
}

fn candidate_of(r: &duckdb::Row<'_>) -> Result<CandidateRow> {
    const D: &str = "reading a candidate";
    let closed_at = r.get_ref(7).doing(D)?;
    Ok(CandidateRow {
        id: r.get(0).doing(D)?,
        name: r.get(1).doing(D)?,
        profile: r.get(2).doing(D)?,
        profile_version: r.get(3).doing(D)?,
        added_by: r.get(4).doing(D)?,
        added_at: ts_read(r.get_ref(5).doing(D)?)?,
        closed_by: r.get(6).doing(D)?,
        closed_at: match closed_at {
            duckdb::types::ValueRef::Null => None,
            v => Some(ts_read(v)?),
        },
    })
}

fn assessment_of(r: &duckdb::Row<'_>) -> Result<AssessmentRow> {
    const D: &str = "reading an assessment";
    let submitted = r.get_ref(7).doing(D)?;
    Ok(AssessmentRow {
        id: r.get(0).doing(D)?,
        candidate_id: r.get(1).doing(D)?,
        agent: r.get(2).doing(D)?,
        profile: r.get(3).doing(D)?,
        profile_version: r.get(4).doing(D)?,
        assessor: r.get(5).doing(D)?,
        invited_at: ts_read(r.get_ref(6).doing(D)?)?,
        submitted_at: match submitted {
            duckdb::types::ValueRef::Null => None,
            v => Some(ts_read(v)?),
        },
        ratings: Vec::new(),
    })
}

fn next_id(conn: &duckdb::Connection, table: &'static str, doing: &'static str) -> Result<i64> {
    conn.query_row(
        &format!("SELECT coalesce(max(id), 0) + 1 FROM {table}"),
        [],
        |r| r.get(0),
    )
    .doing(doing)
}

fn invite(
    tx: &duckdb::Connection,
    candidate: Option<i64>,
    agent: Option<&str>,
    profile: (&str, i64),
    assessor: &str,
    at: Timestamp,
) -> Result<i64> {
    const D: &str = "inviting an assessor";
    let id = next_id(tx, "assessments", D)?;
    tx.execute(
        &format!(
            "INSERT INTO assessments ({ASSESSMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)"
        ),
        params![
            id,
            candidate,
            agent,
            profile.0,
            profile.1,
            assessor,
            ts_value(at)
        ],
    )
    .doing(D)?;
    Ok(id)
}

impl Store {
    fn assessments_where(
        &self,
        cond: &'static str,
        arg: &dyn duckdb::ToSql,
    ) -> Result<Vec<AssessmentRow>> {
        const D: &str = "reading assessments";
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {ASSESSMENT_COLUMNS} FROM assessments WHERE {cond} ORDER BY invited_at, id"
            ))
            .doing(D)?;
        let mut rows = stmt.query([arg]).doing(D)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(D)? {
            out.push(assessment_of(r)?);
        }
        drop(rows);
        for a in &mut out {
            a.ratings = self.ratings_of(a.id)?;
        }
        Ok(out)
    }

    fn ratings_of(&self, assessment: i64) -> Result<Vec<RatingRow>> {
        const D: &str = "reading ratings";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT competency, level, evidence, question FROM assessment_ratings
                 WHERE assessment_id = ? ORDER BY competency",
            )
            .doing(D)?;
        let mut rows = stmt.query([assessment]).doing(D)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(D)? {
            let level: i64 = r.get(1).doing(D)?;
            out.push(RatingRow {
                competency: r.get(0).doing(D)?,
                level: u8::try_from(level)
                    .map_err(|_| crate::StoreError::Corrupt(format!("a level of {level}")))?,
                evidence: r.get(2).doing(D)?,
                question: r.get(3).doing(D)?,
            });
        }
        Ok(out)
    }
}

impl ProfileStore for Store {
    fn save_profile(&mut self, p: &NewProfileVersion<'_>) -> Result<SavedProfile> {
        const D: &str = "saving a profile";
        let tx = self.write(crate::write::Reach::Small, D)?;
        let current: Option<(i64, String)> = {
            let mut stmt = tx
                .prepare(
                    "SELECT p.version, v.canonical FROM profiles p
                     JOIN profile_versions v ON v.name = p.name AND v.version = p.version
                     WHERE p.name = ?",
                )
                .doing(D)?;
            let mut rows = stmt.query([p.name]).doing(D)?;
            match rows.next().doing(D)? {
                Some(r) => Some((r.get(0).doing(D)?, r.get(1).doing(D)?)),
                None => None,
            }
        };
        let version = match &current {
            Some((v, canonical)) if canonical == p.canonical => {
                return Ok(SavedProfile {
                    version: *v,
                    changed: false,
                })
            }
            Some((v, _)) => {
                tx.execute(
                    "UPDATE profiles SET version = ?, role = ? WHERE name = ?",
                    params![v + 1, p.role, p.name],
                )
                .doing(D)?;
                v + 1
            }
            None => {
                tx.execute(
                    "INSERT INTO profiles (name, role, version) VALUES (?, ?, 1)",
                    params![p.name, p.role],
                )
                .doing(D)?;
                1
            }
        };
        tx.execute(
            "INSERT INTO profile_versions (name, version, role, definition, canonical, saved_by, saved_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            params![p.name, version, p.role, p.definition, p.canonical, p.saved_by, ts_value(p.at)],
        )
        .doing(D)?;
        tx.commit()?;
        Ok(SavedProfile {
            version,
            changed: true,
        })
    }

    fn profiles(&self) -> Result<Vec<ProfileRow>> {
        const D: &str = "reading profiles";
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {PROFILE_COLUMNS} FROM profiles p
                 JOIN profile_versions v ON v.name = p.name AND v.version = p.version
                 ORDER BY p.name"
            ))
            .doing(D)?;
        let mut rows = stmt.query([]).doing(D)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(D)? {
            out.push(profile_of(r)?);
        }
        Ok(out)
    }

    fn profile(&self, name: &str, version: Option<i64>) -> Result<Option<ProfileRow>> {
        const D: &str = "reading a profile";
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {PROFILE_COLUMNS} FROM profiles p
                 JOIN profile_versions v ON v.name = p.name
                 WHERE p.name = ? AND v.version = coalesce(CAST(? AS BIGINT), p.version)"
            ))
            .doing(D)?;
        let mut rows = stmt.query(params![name, version]).doing(D)?;
        match rows.next().doing(D)? {
            Some(r) => Ok(Some(profile_of(r)?)),
            None => Ok(None),
        }
    }

    fn profile_versions(&self, name: &str) -> Result<Vec<ProfileVersionRow>> {
        const D: &str = "reading a profile's versions";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT version, saved_at, saved_by FROM profile_versions WHERE name = ? ORDER BY version DESC",
            )
            .doing(D)?;
        let mut rows = stmt.query([name]).doing(D)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(D)? {
            out.push(ProfileVersionRow {
                version: r.get(0).doing(D)?,
                saved_at: ts_read(r.get_ref(1).doing(D)?)?,
                saved_by: r.get(2).doing(D)?,
            });
        }
        Ok(out)
    }

    fn add_candidate(&mut self, c: &NewCandidate, at: Timestamp) -> Result<i64> {
        const D: &str = "adding a candidate";
        let tx = self.write(crate::write::Reach::Small, D)?;
        let id = next_id(&tx, "candidates", D)?;
        tx.execute(
            &format!("INSERT INTO candidates ({CANDIDATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)"),
            params![id, c.name, c.profile, c.profile_version, c.added_by, ts_value(at)],
        )
        .doing(D)?;
        for a in &c.assessors {
            invite(&tx, Some(id), None, (&c.profile, c.profile_version), a, at)?;
        }
        tx.commit()?;
        Ok(id)
    }

    fn invite_assessor(
        &mut self,
        candidate: i64,
        assessor: &str,
        at: Timestamp,
    ) -> Result<Option<i64>> {
        const D: &str = "inviting an assessor";
        let tx = self.write(crate::write::Reach::Small, D)?;
        let found: Option<(String, i64)> = {
            let mut stmt = tx
                .prepare("SELECT profile, profile_version FROM candidates WHERE id = ?")
                .doing(D)?;
            let mut rows = stmt.query([candidate]).doing(D)?;
            match rows.next().doing(D)? {
                Some(r) => Some((r.get(0).doing(D)?, r.get(1).doing(D)?)),
                None => None,
            }
        };
        let Some((profile, version)) = found else {
            return Ok(None);
        };
        let id = invite(
            &tx,
            Some(candidate),
            None,
            (&profile, version),
            assessor,
            at,
        )?;
        tx.commit()?;
        Ok(Some(id))
    }

    fn candidates(&self, profile: Option<&str>) -> Result<Vec<CandidateRow>> {
        const D: &str = "reading candidates";
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {CANDIDATE_COLUMNS} FROM candidates
                 WHERE CAST(? AS VARCHAR) IS NULL OR profile = ? ORDER BY added_at DESC, id DESC"
            ))
            .doing(D)?;
        let mut rows = stmt.query(params![profile, profile]).doing(D)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(D)? {
            out.push(candidate_of(r)?);
        }
        Ok(out)
    }

    fn candidate(&self, id: i64) -> Result<Option<CandidateRow>> {
        const D: &str = "reading a candidate";
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {CANDIDATE_COLUMNS} FROM candidates WHERE id = ?"
            ))
            .doing(D)?;
        let mut rows = stmt.query([id]).doing(D)?;
        match rows.next().doing(D)? {
            Some(r) => Ok(Some(candidate_of(r)?)),
            None => Ok(None),
        }
    }

    fn close_candidate(&mut self, id: i64, by: &str, at: Timestamp) -> Result<bool> {
        let n = self.write_one(
            "closing an assessment",
            "UPDATE candidates SET closed_by = ?, closed_at = ? WHERE id = ? AND closed_at IS NULL",
            params![by, ts_value(at), id],
        )?;
        Ok(n > 0)
    }

    fn candidate_assessments(&self, candidate: i64) -> Result<Vec<AssessmentRow>> {
        self.assessments_where("candidate_id = ?", &candidate)
    }

    fn add_agent_assessment(
        &mut self,
        agent: &str,
        profile: (&str, i64),
        assessor: &str,
        at: Timestamp,
    ) -> Result<i64> {
        const D: &str = "starting an assessment";
        let tx = self.write(crate::write::Reach::Small, D)?;
        let id = invite(&tx, None, Some(agent), profile, assessor, at)?;
        tx.commit()?;
        Ok(id)
    }

    fn agent_assessments(&self, agent: Option<&str>) -> Result<Vec<AssessmentRow>> {
        match agent {
            Some(a) => self.assessments_where("agent = ?", &a),
            None => self.assessments_where("agent IS NOT NULL AND CAST(? AS BOOLEAN)", &true),
        }
    }

    fn assessment(&self, id: i64) -> Result<Option<AssessmentRow>> {
        Ok(self.assessments_where("id = ?", &id)?.pop())
    }

    fn save_ratings(
        &mut self,
        assessment: i64,
        ratings: &[RatingRow],
        submitted_at: Option<Timestamp>,
    ) -> Result<bool> {
        const D: &str = "saving ratings";
        let tx = self.write(crate::write::Reach::Small, D)?;
        let open: Option<bool> = {
            let mut stmt = tx
                .prepare("SELECT submitted_at IS NULL FROM assessments WHERE id = ?")
                .doing(D)?;
            let mut rows = stmt.query([assessment]).doing(D)?;
            match rows.next().doing(D)? {
                Some(r) => Some(r.get(0).doing(D)?),
                None => None,
            }
        };
        if open != Some(true) {
            return Ok(false);
        }
        for r in ratings {
            tx.execute(
                "DELETE FROM assessment_ratings WHERE assessment_id = ? AND competency = ?",
                params![assessment, r.competency],
            )
            .doing(D)?;
            tx.execute(
                "INSERT INTO assessment_ratings (assessment_id, competency, level, evidence, question)
                 VALUES (?, ?, ?, ?, ?)",
                params![assessment, r.competency, i64::from(r.level), r.evidence, r.question],
            )
            .doing(D)?;
        }
        if let Some(at) = submitted_at {
            tx.execute(
                "UPDATE assessments SET submitted_at = ? WHERE id = ?",
                params![ts_value(at), assessment],
            )
            .doing(D)?;
        }
        tx.commit()?;
        Ok(true)
    }

    fn add_note(&mut self, candidate: i64, author: &str, text: &str, at: Timestamp) -> Result<i64> {
        const D: &str = "adding a note";
        let tx = self.write(crate::write::Reach::Small, D)?;
        let id = next_id(&tx, "candidate_notes", D)?;
        tx.execute(
            "INSERT INTO candidate_notes (id, candidate_id, author, written_at, body) VALUES (?, ?, ?, ?, ?)",
            params![id, candidate, author, ts_value(at), text],
        )
        .doing(D)?;
        tx.commit()?;
        Ok(id)
    }

    fn notes(&self, candidate: i64) -> Result<Vec<NoteRow>> {
        const D: &str = "reading notes";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, candidate_id, author, written_at, body FROM candidate_notes
                 WHERE candidate_id = ? ORDER BY written_at, id",
            )
            .doing(D)?;
        let mut rows = stmt.query([candidate]).doing(D)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(D)? {
            out.push(NoteRow {
                id: r.get(0).doing(D)?,
                candidate_id: r.get(1).doing(D)?,
                author: r.get(2).doing(D)?,
                written_at: ts_read(r.get_ref(3).doing(D)?)?,
                text: r.get(4).doing(D)?,
            });
        }
        Ok(out)
    }

    fn erase_candidate(&mut self, id: i64) -> Result<bool> {
        const D: &str = "erasing a candidate";
        let tx = self.write(crate::write::Reach::Small, D)?;
        tx.execute(
            "DELETE FROM assessment_ratings WHERE assessment_id IN
               (SELECT id FROM assessments WHERE candidate_id = ?)",
            [id],
        )
        .doing(D)?;
        tx.execute("DELETE FROM assessments WHERE candidate_id = ?", [id])
            .doing(D)?;
        tx.execute("DELETE FROM candidate_notes WHERE candidate_id = ?", [id])
            .doing(D)?;
        let n = tx
            .execute("DELETE FROM candidates WHERE id = ?", [id])
            .doing(D)?;
        tx.commit()?;
        Ok(n > 0)
    }
}
