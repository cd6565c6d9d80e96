//! `metas profile set|list|show`, `metas candidate …` and `metas assess …`
//! (docs/profiles.md): role profiles, candidates assessed against them, and
//! current agents assessed against their role's profile. The command line
//! acts as the operator, an administrator under the login name: ratings are
//! entered as that login (each assessor runs `metas candidate assess`
//! themselves), and nobody's ratings are shown before they are revealed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use metas_domain::profile::{ProfileResult, RoleProfile};
use metas_service::profile::{RatingInput, RatingsInput};

use crate::kpi_cmd::ReportFormat;
use crate::{open_existing, open_store, print_json, usage, Failure, Settings};

#[derive(Subcommand, Debug)]
pub enum ProfileCommand {
    /// Save a role profile from a TOML file (a new version when it changes anything).
    Set { name: String, file: PathBuf },
    /// The profiles, in their current version.
    List {
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// One profile: duties, requirements, competencies with their anchored levels, versions.
    Show {
        name: String,
        /// An earlier version (default: the current one).
        #[arg(long)]
        version: Option<i64>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
}

/// Ratings given on the command line.
#[derive(Args, Debug, Default)]
pub struct RateArgs {
    /// A competency's level, 1–5: `--rate empathy=4` (repeat for each).
    #[arg(long = "rate", value_name = "KEY=LEVEL")]
    rate: Vec<String>,
    /// What the person said or did: `--evidence empathy="named my frustration"`.
    #[arg(long = "evidence", value_name = "KEY=TEXT")]
    evidence: Vec<String>,
    /// The interview question used: `--question empathy="Tell me about…"`.
    #[arg(long = "question", value_name = "KEY=TEXT")]
    question: Vec<String>,
    /// Make the ratings final (every competency must be rated).
    #[arg(long)]
    submit: bool,
}

#[derive(Subcommand, Debug)]
pub enum CandidateCommand {
    /// Add a candidate for a role and invite the assessors who will rate them.
    Add {
        name: String,
        /// The role profile to assess against.
        #[arg(long)]
        role: String,
        /// The logins invited to rate, comma-separated.
        #[arg(long = "assessors", value_delimiter = ',', required = true)]
        assessors: Vec<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// The candidates, newest first.
    List {
        #[arg(long)]
        role: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// One candidate: who has finished, and once revealed the fit, gaps, must-haves missed and disagreements.
    Show {
        id: i64,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Enter your own ratings of a candidate (as the login running the command).
    Assess {
        id: i64,
        #[command(flatten)]
        ratings: RateArgs,
    },
    /// Invite one more assessor.
    Invite { id: i64, assessor: String },
    /// Reveal the ratings now, leaving out the assessors who have not finished.
    Reveal { id: i64 },
    /// Add a note to the candidate's record.
    Note { id: i64, text: String },
    /// The candidates for one role side by side.
    Compare {
        role: String,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Erase a candidate and every rating and note about them.
    Erase {
        id: i64,
        /// Confirms the erasure (it cannot be undone).
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum AssessCommand {
    /// Assess an agent against a role profile (as the login running the command).
    Agent {
        agent: String,
        #[arg(long)]
        role: String,
        #[command(flatten)]
        ratings: RateArgs,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Continue an assessment of an agent not yet submitted.
    Rate {
        id: i64,
        #[command(flatten)]
        ratings: RateArgs,
    },
    /// One assessment of an agent, with its gaps once submitted.
    Show {
        id: i64,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// An agent's assessments.
    List {
        agent: String,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Start a coaching plan on the competency with the largest gap.
    Plan { id: i64 },
}

fn pairs(flag: &str, list: &[String]) -> Result<BTreeMap<String, String>, Failure> {
    let mut out = BTreeMap::new();
    for raw in list {
        let Some((k, v)) = raw.split_once('=') else {
            return Err(usage(format!("{flag} '{raw}': write KEY=VALUE")));
        };
        out.insert(k.trim().to_string(), v.to_string());
    }
    Ok(out)
}

fn ratings_input(a: &RateArgs) -> Result<RatingsInput, Failure> {
    let levels = pairs("--rate", &a.rate)?;
    let evidence = pairs("--evidence", &a.evidence)?;
    let question = pairs("--question", &a.question)?;
    for k in evidence.keys().chain(question.keys()) {
        if !levels.contains_key(k) {
            return Err(usage(format!(
                "--evidence/--question for '{k}' needs --rate {k}=LEVEL too"
            )));
        }
    }
    let mut ratings = BTreeMap::new();
    for (k, v) in levels {
        let level: u8 = v.trim().parse().map_err(|_| {
            usage(format!(
                "--rate {k}={v}: the level is a whole number 1 to 5"
            ))
        })?;
        ratings.insert(
            k.clone(),
            RatingInput {
                level,
                evidence: evidence.get(&k).cloned(),
                question: question.get(&k).cloned(),
            },
        );
    }
    Ok(RatingsInput {
        ratings,
        submit: a.submit,
    })
}

fn level(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())
}

pub fn profile(c: ProfileCommand, s: &Settings) -> Result<u8, Failure> {
    match c {
        ProfileCommand::Set { name, file } => {
            let text = crate::read_text(&file)?;
            let p =
                metas_service::profile::parse_profile(&name, &text, &file.display().to_string())?;
            let mut store = open_store(s)?;
            let saved = metas_service::profile::save_profile(
                &mut store,
                &crate::operator(s),
                &p,
                &text,
                s.now,
            )?;
            if saved.changed {
                outln!("profile {} saved as version {}", p.name(), saved.version);
            } else {
                outln!(
                    "profile {} unchanged; version {} stays in force",
                    p.name(),
                    saved.version
                );
            }
        }
        ProfileCommand::List { format } => {
            let store = open_existing(s)?;
            let rows = metas_service::profile::profiles(&store)?;
            match format {
                ReportFormat::Json => print_json(&rows)?,
                _ => {
                    if rows.is_empty() {
                        outln!("no role profile yet; define one with `metas profile set NAME FILE.toml` (docs/profiles.md)");
                    }
                    for r in rows {
                        outln!("{} (v{})  {}", r.name, r.version, r.role);
                    }
                }
            }
        }
        ProfileCommand::Show {
            name,
            version,
            format,
        } => {
            let store = open_existing(s)?;
            let (row, p) = metas_service::profile::profile(&store, &name, version)?;
            let versions = metas_service::profile::profile_versions(&store, &name)?;
            match format {
                ReportFormat::Json => print_json(&serde_json::json!({
                    "name": row.name,
                    "version": row.version,
                    "current_version": row.current_version,
                    "saved_by": row.saved_by,
                    "saved_at": row.saved_at,
                    "profile": p,
                    "definition": row.definition,
                    "versions": versions,
                }))?,
                _ => print_profile(row.version, row.current_version, &p, &versions),
            }
        }
    }
    Ok(0)
}

fn print_profile(
    version: i64,
    current: i64,
    p: &RoleProfile,
    versions: &[metas_store::ProfileVersionRow],
) {
    let note = if version == current {
        "current"
    } else {
        "earlier version"
    };
    outln!("{} — {} (version {version}, {note})", p.name(), p.role());
    if let Some(d) = p.description() {
        outln!("{d}");
    }
    if !p.duties().is_empty() {
        outln!("\nDuties:");
        for d in p.duties() {
            outln!("  - {d}");
        }
    }
    for (title, list) in [("Knowledge", p.knowledge()), ("Experience", p.experience())] {
        if !list.is_empty() {
            outln!("\n{title}:");
            for r in list {
                let must = if r.must_have { " (must-have)" } else { "" };
                outln!("  - {}{must}", r.text);
            }
        }
    }
    outln!("\nCompetencies (level required of 5, weight):");
    for c in p.competencies() {
        let must = if c.must_have() { ", must-have" } else { "" };
        outln!(
            "\n  {} [{}] — required {}, weight {}{must}",
            c.label(),
            c.key(),
            c.required(),
            c.weight()
        );
        outln!("    {}", c.definition());
        for (n, l) in c.levels().iter().enumerate() {
            outln!("    {}. {l}", n + 1);
        }
        for q in c.questions() {
            outln!("    ? ({}) {}", q.kind.as_str(), q.text);
        }
    }
    outln!("\nVersions:");
    for v in versions {
        outln!("  v{}  {}  {}", v.version, v.saved_at, v.saved_by);
    }
}

fn print_result(p: &RoleProfile, r: &ProfileResult) {
    match r.fit {
        Some(f) => outln!("fit {f:.0}% (docs/profiles.md)"),
        None => outln!("fit — (no assessment finished)"),
    }
    outln!(
        "\n{:<28} {:>8} {:>6} {:>5}  ratings",
        "competency",
        "required",
        "mean",
        "gap"
    );
    for c in &r.competencies {
        let label = p.competency(&c.key).map(|k| k.label()).unwrap_or(&c.key);
        let mut flags = Vec::new();
        if c.must_have_missed {
            flags.push("MUST-HAVE MISSED");
        }
        if c.disagreement {
            flags.push("DISAGREEMENT");
        }
        outln!(
            "{:<28} {:>8} {:>6} {:>5}  {}  {}",
            label,
            c.required,
            level(c.mean),
            c.gap.map(|g| format!("{g:.1}")).unwrap_or_default(),
            c.ratings
                .iter()
                .map(|(a, l)| format!("{a}:{l}"))
                .collect::<Vec<_>>()
                .join(" "),
            flags.join(" ")
        );
    }
    if !r.must_haves_missed.is_empty() {
        outln!("\nmust-haves missed: {}", r.must_haves_missed.join(", "));
    }
    if !r.disagreements.is_empty() {
        outln!(
            "assessors disagree by 2 levels or more on: {}",
            r.disagreements.join(", ")
        );
    }
    if !r.not_finished.is_empty() {
        outln!("not finished (left out): {}", r.not_finished.join(", "));
    }
}

pub fn candidate(c: CandidateCommand, s: &Settings) -> Result<u8, Failure> {
    let user = crate::operator(s);
    match c {
        CandidateCommand::Add {
            name,
            role,
            assessors,
            format,
        } => {
            let mut store = open_store(s)?;
            let id = metas_service::profile::add_candidate(
                &mut store, &user, &name, &role, &assessors, s.now,
            )?;
            match format {
                ReportFormat::Json => print_json(&serde_json::json!({ "id": id }))?,
                _ => outln!(
                    "candidate {id} added for {role}; {} invited to rate",
                    assessors.join(", ")
                ),
            }
        }
        CandidateCommand::List { role, format } => {
            let store = open_existing(s)?;
            let list = metas_service::profile::candidates(&store, &user, role.as_deref())?;
            match format {
                ReportFormat::Json => print_json(&list)?,
                _ => {
                    if list.is_empty() {
                        outln!("no candidates");
                    }
                    for c in list {
                        let state = match &c.result {
                            Some(r) => format!(
                                "fit {}",
                                r.fit
                                    .map(|f| format!("{f:.0}%"))
                                    .unwrap_or_else(|| "—".into())
                            ),
                            None => format!(
                                "not yet revealed ({} of {} finished)",
                                c.finished, c.assessors
                            ),
                        };
                        outln!(
                            "{}  {}  {}  {state}",
                            c.candidate.id,
                            c.candidate.name,
                            c.candidate.profile
                        );
                    }
                }
            }
        }
        CandidateCommand::Show { id, format } => {
            let store = open_existing(s)?;
            let v = metas_service::profile::candidate(&store, &user, id)?;
            match format {
                ReportFormat::Json => print_json(&v)?,
                _ => {
                    outln!(
                        "candidate {} — {} for {} (profile version {})",
                        v.candidate.id,
                        v.candidate.name,
                        v.candidate.profile,
                        v.candidate.profile_version
                    );
                    for a in &v.assessors {
                        let state = match a.submitted_at {
                            Some(t) => format!("finished {t}"),
                            None => "not finished".into(),
                        };
                        outln!("  assessor {}: {state}", a.assessor);
                    }
                    match &v.result {
                        Some(r) => {
                            outln!();
                            print_result(&v.profile, r);
                        }
                        None if !v.revealed => outln!(
                            "\nnot yet revealed: the ratings are shown together once every assessor has finished (or `metas candidate reveal {id}`)"
                        ),
                        None => {}
                    }
                    if let Some(own) = &v.own {
                        outln!("\nyour ratings:");
                        for r in &own.ratings {
                            outln!(
                                "  {} {}  {}",
                                r.competency,
                                r.level,
                                r.evidence.as_deref().unwrap_or("")
                            );
                        }
                    }
                    for n in &v.notes {
                        outln!("\nnote by {} at {}: {}", n.author, n.written_at, n.text);
                    }
                }
            }
        }
        CandidateCommand::Assess { id, ratings } => {
            let input = ratings_input(&ratings)?;
            let mut store = open_store(s)?;
            metas_service::profile::rate_candidate(&mut store, &user, id, &input, s.now)?;
            if input.submit {
                outln!("ratings of candidate {id} submitted by {}", user.login);
            } else {
                outln!(
                    "ratings of candidate {id} saved by {} (not submitted; add --submit when done)",
                    user.login
                );
            }
        }
        CandidateCommand::Invite { id, assessor } => {
            let mut store = open_store(s)?;
            metas_service::profile::invite(&mut store, &user, id, &assessor, s.now)?;
            outln!("{assessor} invited to rate candidate {id}");
        }
        CandidateCommand::Reveal { id } => {
            let mut store = open_store(s)?;
            metas_service::profile::close(&mut store, &user, id, s.now)?;
            outln!(
                "the ratings of candidate {id} are revealed; unfinished assessments are left out"
            );
        }
        CandidateCommand::Note { id, text } => {
            let mut store = open_store(s)?;
            metas_service::profile::add_note(&mut store, &user, id, &text, s.now)?;
            outln!("note added to candidate {id}");
        }
        CandidateCommand::Compare { role, format } => {
            let store = open_existing(s)?;
            let cmp = metas_service::profile::compare(&store, &user, &role)?;
            match format {
                ReportFormat::Json => print_json(&cmp)?,
                _ => {
                    let keys: Vec<&str> =
                        cmp.profile.competencies().iter().map(|c| c.key()).collect();
                    out!("{:<24} {:>5}", "candidate", "fit");
                    for k in &keys {
                        out!(" {:>8}", k.chars().take(8).collect::<String>());
                    }
                    outln!("  must-haves missed");
                    for c in &cmp.candidates {
                        out!("{:<24}", format!("{} {}", c.candidate.id, c.candidate.name));
                        match &c.result {
                            Some(r) => {
                                out!(
                                    " {:>5}",
                                    r.fit
                                        .map(|f| format!("{f:.0}%"))
                                        .unwrap_or_else(|| "—".into())
                                );
                                for k in &keys {
                                    let m = r
                                        .competencies
                                        .iter()
                                        .find(|x| x.key == *k)
                                        .and_then(|x| x.mean);
                                    out!(" {:>8}", level(m));
                                }
                                outln!("  {}", r.must_haves_missed.join(", "));
                            }
                            None => outln!(" not yet revealed"),
                        }
                    }
                }
            }
        }
        CandidateCommand::Erase { id, yes } => {
            if !yes {
                return Err(usage(format!(
                    "erasing candidate {id} deletes every rating and note about them and cannot be undone; add --yes"
                )));
            }
            let mut store = open_store(s)?;
            metas_service::profile::erase(&mut store, &user, id)?;
            outln!("candidate {id} erased, with every rating and note about them");
        }
    }
    Ok(0)
}

pub fn assess(c: AssessCommand, s: &Settings) -> Result<u8, Failure> {
    let user = crate::operator(s);
    match c {
        AssessCommand::Agent {
            agent,
            role,
            ratings,
            format,
        } => {
            let input = ratings_input(&ratings)?;
            let mut store = open_store(s)?;
            let id = metas_service::profile::start_agent_assessment(
                &mut store, &user, &agent, &role, s.now,
            )?;
            if !input.ratings.is_empty() || input.submit {
                metas_service::profile::rate_agent(&mut store, &user, id, &input, s.now)?;
            }
            match format {
                ReportFormat::Json => print_json(&serde_json::json!({ "id": id }))?,
                _ => outln!("assessment {id} of {agent} against {role} saved"),
            }
        }
        AssessCommand::Rate { id, ratings } => {
            let input = ratings_input(&ratings)?;
            let mut store = open_store(s)?;
            metas_service::profile::rate_agent(&mut store, &user, id, &input, s.now)?;
            outln!(
                "assessment {id} saved{}",
                if input.submit { " and submitted" } else { "" }
            );
        }
        AssessCommand::Show { id, format } => {
            let store = open_existing(s)?;
            let v = metas_service::profile::agent_assessment(&store, &user, id)?;
            match format {
                ReportFormat::Json => print_json(&v)?,
                _ => {
                    outln!(
                        "assessment {} of {} against {} by {}",
                        v.assessment.id,
                        v.assessment.agent.as_deref().unwrap_or(""),
                        v.assessment.profile,
                        v.assessment.assessor
                    );
                    match &v.result {
                        Some(r) => print_result(&v.profile, r),
                        None => outln!("not submitted yet"),
                    }
                }
            }
        }
        AssessCommand::List { agent, format } => {
            let store = open_existing(s)?;
            let list = metas_service::profile::agent_assessment_summaries(&store, &user, &agent)?;
            match format {
                ReportFormat::Json => print_json(&list)?,
                _ if list.is_empty() => outln!("no assessment of {agent} yet"),
                _ => {
                    // Newest first, as on the agent's assessments page.
                    for a in list {
                        let when = a.submitted_at.unwrap_or(a.invited_at);
                        let result = match (a.submitted_at, a.fit) {
                            (None, _) => "draft".to_string(),
                            (Some(_), fit) => {
                                let mut r = fit.map_or("fit -".into(), |f| format!("fit {f:.0}%"));
                                if let Some((key, levels)) = &a.largest_gap {
                                    r.push_str(&format!(
                                        ", largest gap {key} ({levels:.1} levels)"
                                    ));
                                }
                                if !a.must_haves_missed.is_empty() {
                                    r.push_str(&format!(
                                        ", must-haves missed: {}",
                                        a.must_haves_missed.join(", ")
                                    ));
                                }
                                r
                            }
                        };
                        outln!(
                            "{}  {}  {} v{}  by {}  {result}",
                            a.id,
                            when.to_zoned(jiff::tz::TimeZone::UTC).date(),
                            a.profile,
                            a.profile_version,
                            a.assessor,
                        );
                    }
                }
            }
        }
        AssessCommand::Plan { id } => {
            let mut store = open_store(s)?;
            let plan = metas_service::profile::plan_from_largest_gap(
                &mut store, &user, id, s.today, s.now,
            )?;
            outln!("coaching plan {plan} started from the largest gap of assessment {id} (metas coach show {plan})");
        }
    }
    Ok(0)
}
