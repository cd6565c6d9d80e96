//! Imports from the browser: upload (streamed to disk), a preview of the
//! first rows with the mapping checked against the header, the import as a
//! background job with a progress bar, and the result with the rejected rows
//! downloadable. The same import runs behind `POST /api/v1/ingest`.
//!
//! Uploads live in a temporary folder per job, removed when the job is
//! forgotten (the server keeps the last [`KEPT_JOBS`]) or the server stops.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use metas_ingest::{ImportError, ImportOptions, ImportReport, MappingChoice, Preview};
use metas_store::prelude::*;
use metas_store::ImportJobRow;
use serde::{Deserialize, Serialize};

use crate::auth::{self, Nav, PageUser};
use crate::i18n::Tr;
use crate::pages::{download, render, CsrfForm};
use crate::pages::{render_with, StatusCode};
use crate::{ApiError, AppState};
use metas_service::access::{self, Action, Scope};

/// The largest upload accepted (a year of a large contact centre's
/// interactions as CSV is well under this).
pub const MAX_UPLOAD_BYTES: usize = 1 << 30;
/// Jobs remembered (with their files) for their pages and rejects.
const KEPT_JOBS: usize = 20;
/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 10;

/// A mapping the user can pick: the presets and the example mappings of the
/// public exports (docs/import.md).
pub(crate) const EXAMPLES: &[(&str, &str)] = &[
    (
        "pwc-call-center",
        include_str!("../../../../examples/mappings/pwc-call-center.toml"),
    ),
    (
        "teresgeo-tickets",
        include_str!("../../../../examples/mappings/teresgeo-tickets.toml"),
    ),
    (
        "kaggle-support-tickets",
        include_str!("../../../../examples/mappings/kaggle-support-tickets.toml"),
    ),
];

/// Which mapping an import uses, before it is written next to the upload.
pub enum MappingPick {
    Preset(String),
    Example(&'static str, &'static str),
    Own(Vec<u8>),
}

impl MappingPick {
    fn label(&self, tr: &Tr) -> String {
        match self {
            MappingPick::Preset(p) => tr.t(&format!("mapping-{p}")),
            MappingPick::Example(name, _) => format!("{name}.toml"),
            MappingPick::Own(_) => tr.t("mapping-own"),
        }
    }

    /// The mapping as the importer takes it (example and own mappings are
    /// written into the job's folder).
    fn materialise(&self, dir: &std::path::Path) -> std::io::Result<MappingChoice> {
        let write = |bytes: &[u8]| -> std::io::Result<MappingChoice> {
            let path = dir.join("mapping.toml");
            std::fs::write(&path, bytes)?;
            Ok(MappingChoice::File(path))
        };
        match self {
            MappingPick::Preset(p) => Ok(MappingChoice::Preset(p.clone())),
            MappingPick::Example(_, text) => write(text.as_bytes()),
            MappingPick::Own(bytes) => write(bytes),
        }
    }
}

/// A mapping by name: a preset or an example mapping.
pub fn mapping_choice(name: &str) -> Result<MappingPick, ApiError> {
    if metas_ingest::PRESETS.iter().any(|(p, _)| *p == name) {
        return Ok(MappingPick::Preset(name.to_string()));
    }
    if let Some((n, text)) = EXAMPLES.iter().find(|(n, _)| *n == name) {
        return Ok(MappingPick::Example(n, text));
    }
    let names: Vec<&str> = metas_ingest::PRESETS
        .iter()
        .map(|(p, _)| *p)
        .chain(EXAMPLES.iter().map(|(n, _)| *n))
        .collect();
    Err(ApiError::Invalid(format!(
        "mapping '{name}' is not one of {}",
        names.join(", ")
    )))
}

enum JobState {
    /// Uploaded and previewed; waiting for the user to start it.
    Uploaded(Preview),
    Running,
    Done(Box<Finished>),
    Failed(String),
    /// Uploaded or running when metas stopped: nothing of it was kept.
    Interrupted,
}

/// What a finished import reports to the browser, as it is kept in the
/// store (so a restart loses no result).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Finished {
    imported: u64,
    updated: u64,
    unchanged: u64,
    /// Absent from results kept before version 7 of the schema: none then.
    #[serde(default)]
    superseded: u64,
    #[serde(default)]
    deleted: u64,
    rejected: u64,
    ignored_columns: Vec<String>,
    /// (line, field, value, reason): the first hundred.
    rejects: Vec<(u64, String, String, String)>,
}

impl Finished {
    fn of(r: &ImportReport) -> Finished {
        Finished {
            imported: r.imported,
            updated: r.updated,
            unchanged: r.unchanged,
            superseded: r.superseded,
            deleted: r.deleted,
            rejected: r.rejected,
            ignored_columns: r.ignored_columns.clone(),
            rejects: r
                .rejects
                .iter()
                .take(100)
                .map(|x| {
                    let field = if x.column.is_empty() || x.column == x.field {
                        x.field.clone()
                    } else {
                        format!("{} ({})", x.field, x.column)
                    };
                    (x.line, field, x.value.clone(), x.reason.clone())
                })
                .collect(),
        }
    }
}

/// A job as the store keeps it (`import_jobs.detail`).
#[derive(Debug, Default, Serialize, Deserialize)]
struct StoredJob {
    mapping: String,
    size: u64,
    finished: Option<Finished>,
    error: Option<String>,
    /// The rejects file's text, when it is small enough to keep.
    rejects_csv: Option<String>,
}

/// Rejects files larger than this are not kept across a restart (the
/// result's first hundred rejects still are).
const KEPT_REJECTS_BYTES: u64 = 8 << 20;

pub struct Job {
    id: String,
    login: String,
    file_name: String,
    mapping_label: String,
    dir: tempfile::TempDir,
    upload: PathBuf,
    /// `None` for a job read back from the store: it cannot run again.
    choice: Option<MappingChoice>,
    size: u64,
    progress: Arc<AtomicU64>,
    state: Mutex<JobState>,
}

impl Job {
    fn rejects_path(&self) -> PathBuf {
        self.dir.path().join("rejects.csv")
    }

    fn options(&self) -> Result<ImportOptions, ApiError> {
        let choice = self
            .choice
            .clone()
            .ok_or_else(|| ApiError::Internal(format!("job {} has no mapping", self.id)))?;
        let mut opts = ImportOptions::new(choice);
        opts.rejects_path = Some(self.rejects_path());
        opts.progress = Some(self.progress.clone());
        Ok(opts)
    }

    fn state_word(&self) -> &'static str {
        match &*self.lock() {
            JobState::Uploaded(_) => "uploaded",
            JobState::Running => "running",
            JobState::Done(_) => "done",
            JobState::Failed(_) | JobState::Interrupted => "failed",
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, JobState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An importer's message names the file as the server stored it; the
    /// user knows it by the name they uploaded.
    fn user_message(&self, e: &ImportError) -> String {
        e.to_string()
            .replace(&self.upload.display().to_string(), &self.file_name)
            .replace(
                &self.dir.path().join("mapping.toml").display().to_string(),
                "mapping",
            )
    }
}

/// The server's import jobs, newest last.
#[derive(Default)]
pub struct Jobs {
    list: Mutex<VecDeque<Arc<Job>>>,
}

impl Jobs {
    fn add(&self, job: Arc<Job>) {
        let mut list = self.list.lock().unwrap_or_else(|p| p.into_inner());
        // Forget the oldest finished jobs (and their files) beyond the limit.
        while list.len() >= KEPT_JOBS {
            let oldest_idle = list.iter().position(|j| {
                !matches!(
                    *j.state.lock().unwrap_or_else(|p| p.into_inner()),
                    JobState::Running
                )
            });
            match oldest_idle {
                Some(i) => {
                    list.remove(i);
                }
                None => break,
            }
        }
        list.push_back(job);
    }

    /// A job its user may see (administrators see all).
    fn get(&self, id: &str, user: &metas_service::users::User) -> Option<Arc<Job>> {
        self.list
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|j| j.id == id && may_see(user, &j.login))
            .cloned()
    }
}

/// Whether a user may see the imports of `login` (their own; an
/// administrator's all).
fn may_see(user: &metas_service::users::User, login: &str) -> bool {
    access::may(user, Action::Import, &Scope::Login(login.to_string()))
}

/// A job the user may see: in memory, else as the store kept it (after a
/// restart); "not found" in the user's language otherwise.
async fn find(state: &Arc<AppState>, id: &str, user: &PageUser) -> Result<Arc<Job>, ApiError> {
    if let Some(job) = state.jobs.get(id, user.user()) {
        return Ok(job);
    }
    let not_found = || ApiError::NotFound(user.tr.t("import-unknown-job"));
    let key = id.to_string();
    let row = state
        .with_store(move |store| Ok(store.import_job(&key)?))
        .await?
        .ok_or_else(not_found)?;
    if !may_see(user.user(), &row.login) {
        return Err(not_found());
    }
    // On a read model, a job another instance holds (uploaded there, or
    // running there) is shown running, and read again on each visit until
    // that instance records its end; one silent for an hour stopped with its
    // instance. Only the instance that holds the file runs it.
    let running_elsewhere = state.is_replicated()
        && matches!(row.state.as_str(), "running" | "uploaded")
        && (state.settings.now)().duration_since(row.updated_at) < RUNNING_ELSEWHERE_FOR;
    let job = Arc::new(restored(row, running_elsewhere)?);
    if !running_elsewhere {
        state.jobs.add(job.clone());
    }
    Ok(job)
}

/// How long a job another instance records as running is believed.
const RUNNING_ELSEWHERE_FOR: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

/// A job read back from the store: its result and rejects as they were; one
/// that was uploaded or running when metas stopped is interrupted, unless
/// another instance runs it now (`running_elsewhere`).
fn restored(row: ImportJobRow, running_elsewhere: bool) -> Result<Job, ApiError> {
    let internal = |e: String| ApiError::Internal(format!("import job {}: {e}", row.id));
    let stored: StoredJob = match &row.detail {
        Some(d) => serde_json::from_str(d).map_err(|e| internal(e.to_string()))?,
        None => StoredJob::default(),
    };
    let dir = tempfile::tempdir().map_err(|e| internal(e.to_string()))?;
    if let Some(csv) = &stored.rejects_csv {
        std::fs::write(dir.path().join("rejects.csv"), csv).map_err(|e| internal(e.to_string()))?;
    }
    let state = match (row.state.as_str(), stored.finished, stored.error) {
        ("done", Some(f), _) => JobState::Done(Box::new(f)),
        ("failed", _, Some(e)) => JobState::Failed(e),
        _ if running_elsewhere => JobState::Running,
        _ => JobState::Interrupted,
    };
    Ok(Job {
        upload: dir.path().join("upload"),
        id: row.id,
        login: row.login,
        file_name: row.file_name,
        mapping_label: stored.mapping,
        dir,
        choice: None,
        size: stored.size,
        progress: Arc::new(AtomicU64::new(0)),
        state: Mutex::new(state),
    })
}

/// Keeps a job's state in the store, so its page and result outlive a
/// restart. A failure to do so is logged: the job itself goes on.
async fn record(state: &Arc<AppState>, job: &Arc<Job>) {
    let word = job.state_word();
    let mut stored = StoredJob {
        mapping: job.mapping_label.clone(),
        size: job.size,
        ..Default::default()
    };
    match &*job.lock() {
        JobState::Done(f) => stored.finished = Some((**f).clone()),
        JobState::Failed(e) => stored.error = Some(e.clone()),
        _ => {}
    }
    let rejects = stored
        .finished
        .as_ref()
        .is_some_and(|f| f.rejected > 0)
        .then(|| job.rejects_path());
    let now = (state.settings.now)();
    let (id, login, file_name) = (job.id.clone(), job.login.clone(), job.file_name.clone());
    // On a blocking thread: the rejects file is read from disk.
    let saved = state
        .with_store(move |store| {
            let small =
                |p: &PathBuf| std::fs::metadata(p).is_ok_and(|m| m.len() <= KEPT_REJECTS_BYTES);
            stored.rejects_csv = rejects
                .filter(small)
                .and_then(|p| std::fs::read_to_string(p).ok());
            let row = ImportJobRow {
                id,
                login,
                file_name,
                state: word.to_string(),
                detail: serde_json::to_string(&stored).ok(),
                created_at: now,
                updated_at: now,
            };
            Ok(store.put_import_job(&row)?)
        })
        .await;
    if let Err(e) = saved {
        tracing::error!(job = %job.id, error = %e, "keeping an import job");
    }
}

/// The user's recent jobs with their state in words, newest first.
async fn recent(
    state: &Arc<AppState>,
    user: &PageUser,
) -> Result<Vec<(String, String, String)>, ApiError> {
    let tr = user.tr;
    let login = user.user().login.clone();
    let rows = state
        .with_store(move |store| Ok(store.import_jobs_of(&login, KEPT_JOBS)?))
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let live = state.jobs.get(&row.id, user.user());
            let stored: Option<StoredJob> = row
                .detail
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok());
            let words = match (row.state.as_str(), stored.and_then(|s| s.finished)) {
                ("done", Some(f)) => format!(
                    "{} {} · {} {}",
                    tr.t("import-imported"),
                    tr.count(f.imported),
                    tr.t("import-rejected"),
                    tr.count(f.rejected)
                ),
                ("failed", _) => tr.t("error-title"),
                ("uploaded", _) if live.is_some() => tr.t("import-preview-heading"),
                ("running", _) if live.is_some() => tr.t("import-running"),
                _ => tr.t("import-interrupted"),
            };
            (row.id, row.file_name, words)
        })
        .collect())
}

/// Runs an import off the async threads; an input or mapping problem is the
/// user's (400), anything else the server's.
async fn run_import(
    state: &Arc<AppState>,
    path: PathBuf,
    opts: ImportOptions,
) -> Result<Result<ImportReport, ImportError>, ApiError> {
    state
        .with_store(move |store| Ok(metas_ingest::import_file(store, &path, &opts)))
        .await
}

fn import_error(e: ImportError, message: String) -> ApiError {
    match e {
        ImportError::Input { .. } | ImportError::Mapping { .. } => ApiError::Invalid(message),
        other => ApiError::Internal(other.to_string()),
    }
}

/// Imports bytes as a file of that name (the NDJSON ingestion endpoint):
/// the report, with the rejects listed in it.
pub async fn import_bytes(
    state: &Arc<AppState>,
    bytes: Vec<u8>,
    file_name: &str,
    pick: MappingPick,
    source: Option<String>,
) -> Result<ImportReport, ApiError> {
    let dir = tempfile::tempdir().map_err(|e| ApiError::Internal(e.to_string()))?;
    let path = dir.path().join(file_name);
    std::fs::write(&path, &bytes).map_err(|e| ApiError::Internal(e.to_string()))?;
    let choice = pick
        .materialise(dir.path())
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut opts = ImportOptions::new(choice);
    opts.source = source;
    opts.rejects_path = Some(dir.path().join("rejects.csv"));
    opts.max_listed_rejects = 10_000;
    match run_import(state, path.clone(), opts).await? {
        Ok(mut report) => {
            report.file = file_name.to_string();
            // The rejects are listed in the report; the server's file goes.
            report.rejects_file = None;
            Ok(report)
        }
        Err(e) => {
            let message = e
                .to_string()
                .replace(&path.display().to_string(), file_name);
            Err(import_error(e, message))
        }
    }
}

#[derive(Template)]
#[template(path = "import/import.html")]
struct ImportPage {
    tr: Tr,
    nav: Nav,
    error: Option<String>,
    /// (value, label)
    mappings: Vec<(String, String)>,
    /// (job, file, state)
    jobs: Vec<(String, String, String)>,
}

async fn import_page(
    state: &Arc<AppState>,
    user: &PageUser,
    error: Option<String>,
) -> Result<ImportPage, ApiError> {
    let tr = user.tr;
    let mut mappings: Vec<(String, String)> = metas_ingest::PRESETS
        .iter()
        .map(|(p, _)| (p.to_string(), tr.t(&format!("mapping-{p}"))))
        .collect();
    mappings.extend(
        EXAMPLES
            .iter()
            .map(|(n, _)| (n.to_string(), format!("{n}.toml"))),
    );
    let jobs = recent(state, user).await?;
    Ok(ImportPage {
        tr,
        nav: user.nav(),
        error,
        mappings,
        jobs,
    })
}

pub async fn form(
    State(state): State<Arc<AppState>>,
    user: PageUser,
) -> Result<Response, ApiError> {
    access::require(user.user(), Action::Import, &Scope::Organisation)?;
    render(&import_page(&state, &user, None).await?)
}

/// A file name safe to keep on disk, with the extension that tells the
/// importer the format.
fn stored_name(original: &str) -> String {
    let ext = std::path::Path::new(original)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .filter(|e| ["csv", "tsv", "txt", "json", "ndjson", "jsonl"].contains(&e.as_str()))
        .unwrap_or_else(|| "csv".into());
    format!("upload.{ext}")
}

/// Receives the upload (streamed to disk), previews it and shows the
/// preview; a mapping that does not fit the file is reported here.
pub async fn upload(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    mut multipart: Multipart,
) -> Result<Response, ApiError> {
    access::require(user.user(), Action::Import, &Scope::Organisation)?;
    let tr = user.tr;
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return Err(ApiError::Internal(e.to_string())),
    };
    let mut csrf_ok = false;
    let mut file: Option<(String, PathBuf, u64)> = None;
    let mut mapping_name = "generic".to_string();
    let mut own_mapping: Option<Vec<u8>> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(ApiError::Invalid(e.body_text())),
        };
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "csrf" => {
                let sent = field.text().await.unwrap_or_default();
                csrf_ok = user.check_csrf(&sent).is_ok();
            }
            // The token comes first in the form; nothing is stored without it.
            "file" if csrf_ok => {
                let original = field.file_name().unwrap_or("upload.csv").to_string();
                if original.is_empty() {
                    continue;
                }
                let path = dir.path().join(stored_name(&original));
                match save_field(field, &path).await {
                    Ok(size) => file = Some((original, path, size)),
                    Err(e) => return Err(e),
                }
            }
            "mapping" => mapping_name = field.text().await.unwrap_or_default(),
            "mapping_file" if csrf_ok => {
                let bytes = field.bytes().await.unwrap_or_default();
                if !bytes.is_empty() {
                    own_mapping = Some(bytes.to_vec());
                }
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(ApiError::Csrf);
    }
    let Some((file_name, path, size)) = file.filter(|f| f.2 > 0) else {
        let page = import_page(&state, &user, Some(tr.t("import-no-file"))).await?;
        return render_with(StatusCode::BAD_REQUEST, &page);
    };
    let pick = match own_mapping {
        Some(bytes) => MappingPick::Own(bytes),
        None => match mapping_choice(&mapping_name) {
            Ok(p) => p,
            Err(e) => return Err(e),
        },
    };
    let choice = match pick.materialise(dir.path()) {
        Ok(c) => c,
        Err(e) => return Err(ApiError::Internal(e.to_string())),
    };
    let job = Arc::new(Job {
        id: auth::random_token()[..16].to_string(),
        login: user.user().login.clone(),
        file_name,
        mapping_label: pick.label(&tr),
        upload: path,
        choice: Some(choice),
        size,
        progress: Arc::new(AtomicU64::new(0)),
        state: Mutex::new(JobState::Running),
        dir,
    });
    let (upload, opts) = (job.upload.clone(), job.options()?);
    let preview =
        tokio::task::spawn_blocking(move || metas_ingest::preview(&upload, &opts, PREVIEW_ROWS))
            .await;
    match preview {
        Ok(Ok(p)) => {
            *job.lock() = JobState::Uploaded(p);
            let id = job.id.clone();
            record(&state, &job).await;
            state.jobs.add(job);
            Ok(Redirect::to(&format!("/import/{id}")).into_response())
        }
        Ok(Err(e)) => {
            let page = import_page(&state, &user, Some(job.user_message(&e))).await?;
            render_with(StatusCode::BAD_REQUEST, &page)
        }
        Err(e) => Err(ApiError::Internal(e.to_string())),
    }
}

async fn save_field(
    mut field: axum::extract::multipart::Field<'_>,
    path: &std::path::Path,
) -> Result<u64, ApiError> {
    use tokio::io::AsyncWriteExt;
    let mut out = tokio::fs::File::create(path)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut size = 0u64;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| ApiError::Invalid(e.body_text()))?
    {
        size += chunk.len() as u64;
        out.write_all(&chunk)
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    out.flush()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(size)
}

#[derive(Template)]
#[template(path = "import/import_preview.html")]
struct PreviewPage {
    tr: Tr,
    nav: Nav,
    job: String,
    file: String,
    mapping: String,
    size: String,
    columns: Vec<(String, bool)>,
    rows: Vec<Vec<String>>,
    text: Option<String>,
}

/// What the result shows.
struct ResultView {
    headline: String,
    imported: String,
    updated: String,
    unchanged: String,
    /// Shown only when the import had some.
    superseded: Option<String>,
    deleted: Option<String>,
    rejected: String,
    ignored: String,
    has_rejects: bool,
    /// (line, field, value, reason), the first hundred.
    rejects: Vec<(u64, String, String, String)>,
}

#[derive(Template)]
#[template(path = "import/import_job.html")]
struct JobPage {
    tr: Tr,
    nav: Nav,
    job: String,
    file: String,
    mapping: String,
    running: bool,
    percent: u64,
    error: Option<String>,
    result: Option<ResultView>,
}

fn result_view(tr: &Tr, r: &Finished) -> ResultView {
    let landed = r.imported + r.updated + r.unchanged;
    ResultView {
        headline: if r.rejected == 0 {
            tr.t1("import-headline-ok", "n", tr.count(landed))
        } else {
            tr.t1("import-headline-rejects", "rejected", tr.count(r.rejected))
        },
        imported: tr.count(r.imported),
        updated: tr.count(r.updated),
        unchanged: tr.count(r.unchanged),
        superseded: (r.superseded > 0).then(|| tr.count(r.superseded)),
        deleted: (r.deleted > 0).then(|| tr.count(r.deleted)),
        rejected: tr.count(r.rejected),
        ignored: r.ignored_columns.join(", "),
        has_rejects: r.rejected > 0,
        rejects: r.rejects.clone(),
    }
}

/// A job's page: the preview, the progress, or the result.
pub async fn job(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let job = find(&state, &id, &user).await?;
    let tr = user.tr;
    let guard = job.state.lock().unwrap_or_else(|p| p.into_inner());
    if let JobState::Uploaded(p) = &*guard {
        return render(&PreviewPage {
            tr,
            nav: user.nav(),
            job: job.id.clone(),
            file: job.file_name.clone(),
            mapping: job.mapping_label.clone(),
            size: tr.count(job.size),
            columns: p.columns.clone(),
            rows: p.rows.clone(),
            text: p.text.clone(),
        });
    }
    let mut page = JobPage {
        tr,
        nav: user.nav(),
        job: job.id.clone(),
        file: job.file_name.clone(),
        mapping: job.mapping_label.clone(),
        running: false,
        percent: 0,
        error: None,
        result: None,
    };
    match &*guard {
        JobState::Running => {
            page.running = true;
            let read = job.progress.load(Ordering::Relaxed);
            page.percent = (read * 100 / job.size.max(1)).min(99);
        }
        JobState::Done(r) => page.result = Some(result_view(&tr, r)),
        JobState::Failed(m) => page.error = Some(m.clone()),
        JobState::Interrupted => page.error = Some(tr.t("import-interrupted")),
        JobState::Uploaded(_) => {}
    }
    render(&page)
}

/// Starts a previewed job in the background and goes to its page.
pub async fn start(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Redirect, ApiError> {
    user.check_csrf(&form.csrf)?;
    let job = find(&state, &id, &user).await?;
    {
        let mut guard = job.state.lock().unwrap_or_else(|p| p.into_inner());
        // Starting twice (a double click) runs it once.
        if !matches!(*guard, JobState::Uploaded(_)) {
            return Ok(Redirect::to(&format!("/import/{id}")));
        }
        *guard = JobState::Running;
    }
    let opts = job.options()?;
    record(&state, &job).await;
    let st = state.clone();
    let tr = user.tr;
    tokio::spawn(async move {
        let outcome = run_import(&st, job.upload.clone(), opts).await;
        let next = match outcome {
            Ok(Ok(report)) => JobState::Done(Box::new(Finished::of(&report))),
            Ok(Err(e)) => JobState::Failed(job.user_message(&e)),
            Err(e) => {
                tracing::error!(error = %e, "an import job failed");
                JobState::Failed(e.message(&tr))
            }
        };
        *job.lock() = next;
        record(&st, &job).await;
    });
    Ok(Redirect::to(&format!("/import/{id}")))
}

/// The rejected rows of a finished job, as the CLI writes them.
pub async fn rejects(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let job = find(&state, &id, &user).await?;
    let bytes = tokio::fs::read(job.rejects_path())
        .await
        .map_err(|_| ApiError::NotFound(user.tr.t("import-unknown-job")))?;
    Ok(download(bytes, "rejects.csv"))
}
