//! Backups of the embedded database: one file holding everything at one
//! moment, written so that a reader never sees half of it, and put back only
//! after it has been opened and checked.

use std::path::{Path, PathBuf};

use metas_store::prelude::*;
use metas_store::{Store, StoreError};

use crate::ServiceError;

/// What a backup or a restore wrote.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackupReport {
    pub file: PathBuf,
    pub bytes: u64,
    /// The schema version of the database in the file.
    pub schema_version: i64,
    pub interactions: u64,
}

/// Writes a backup of `store` to `dest`. The copy goes to a temporary file
/// beside `dest`, is opened and checked, and only then takes the name
/// `dest`; an existing `dest` is refused rather than overwritten.
pub fn write(store: &Store, dest: &Path) -> Result<BackupReport, ServiceError> {
    if dest.exists() {
        return Err(ServiceError::Input(format!(
            "{} already exists; name a new file for the backup",
            dest.display()
        )));
    }
    let folder = folder_of(dest)?;
    let temp = temp_path(&folder, dest)?;
    let result = (|| {
        store.backup_to(&temp)?;
        let report = check(&temp, dest)?;
        std::fs::rename(&temp, dest).map_err(|e| io(dest, e))?;
        Ok(report)
    })();
    remove_quietly(&temp);
    result
}

/// Puts the backup `src` in place of the database file `db`. The backup is
/// copied beside `db`, opened (which brings an older schema up to date) and
/// checked; then it takes the name `db`. A `db` that already exists is kept
/// as `<db>.before-restore` and is refused unless `replace` is set: nothing
/// a user had is dropped silently. The database must not be open elsewhere
/// (stop `metas serve` first).
pub fn restore(src: &Path, db: &Path, replace: bool) -> Result<BackupReport, ServiceError> {
    if !src.is_file() {
        return Err(ServiceError::Input(format!(
            "{}: no such backup file",
            src.display()
        )));
    }
    if db.exists() && !replace {
        return Err(ServiceError::Input(format!(
            "{} already exists; add --replace to put the backup in its place (the current file is kept as {})",
            db.display(),
            kept_name(db).display()
        )));
    }
    if db.exists() {
        // Fails with a clear sentence while a server holds the database.
        drop(Store::open(db)?);
    }
    let folder = folder_of(db)?;
    let temp = temp_path(&folder, db)?;
    let result = (|| {
        std::fs::copy(src, &temp).map_err(|e| io(src, e))?;
        let report = check(&temp, src)?;
        if db.exists() {
            std::fs::rename(db, kept_name(db)).map_err(|e| io(db, e))?;
        }
        // A log left by the replaced database belongs to it, not to the backup.
        let wal = with_suffix(db, ".wal");
        if wal.exists() {
            std::fs::rename(&wal, with_suffix(&kept_name(db), ".wal")).map_err(|e| io(&wal, e))?;
        }
        std::fs::rename(&temp, db).map_err(|e| io(db, e))?;
        Ok(BackupReport {
            file: db.to_path_buf(),
            ..report
        })
    })();
    remove_quietly(&temp);
    result
}

/// Opens the copy at `temp` as a metas database and counts what it holds;
/// `named` is the file the user knows it by.
fn check(temp: &Path, named: &Path) -> Result<BackupReport, ServiceError> {
    let store = Store::open(temp).map_err(|e| match e {
        StoreError::Open { reason, .. } | StoreError::Corrupt(reason) => {
            // The database's words name the temporary copy; say the user's file.
            let mut reason = reason;
            for t in [
                temp.to_path_buf(),
                std::fs::canonicalize(temp).unwrap_or_default(),
            ] {
                let t = t.display().to_string();
                if !t.is_empty() {
                    reason = reason.replace(&t, &named.display().to_string());
                }
            }
            ServiceError::Input(format!(
                "{} is not a metas database: {reason}",
                named.display()
            ))
        }
        other => other.into(),
    })?;
    let stats = store.stats()?;
    let interactions = stats
        .tables
        .iter()
        .find(|t| t.table == "interactions")
        .map_or(0, |t| t.rows.max(0) as u64);
    let schema_version = stats.schema_version;
    // Closing checkpoints: the file stands alone, with no log beside it.
    drop(store);
    let bytes = std::fs::metadata(temp).map_err(|e| io(temp, e))?.len();
    Ok(BackupReport {
        file: named.to_path_buf(),
        bytes,
        schema_version,
        interactions,
    })
}

fn folder_of(file: &Path) -> Result<PathBuf, ServiceError> {
    let folder = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(ServiceError::Input(format!(
            "the folder {} does not exist",
            folder.display()
        )));
    }
    Ok(folder)
}

fn temp_path(folder: &Path, target: &Path) -> Result<PathBuf, ServiceError> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "metas.db".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let path = folder.join(format!(".{name}.{}.{nanos}.partial", std::process::id()));
    if path.exists() {
        return Err(ServiceError::Input(format!(
            "{} is in the way; remove it",
            path.display()
        )));
    }
    Ok(path)
}

fn kept_name(db: &Path) -> PathBuf {
    with_suffix(db, ".before-restore")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn remove_quietly(temp: &Path) {
    for p in [temp.to_path_buf(), with_suffix(temp, ".wal")] {
        let _ = std::fs::remove_file(p);
    }
}

fn io(path: &Path, e: std::io::Error) -> ServiceError {
    ServiceError::Input(format!("{}: {e}", path.display()))
}
