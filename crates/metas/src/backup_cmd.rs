//! `metas backup FILE` and `metas restore FILE`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};

use clap::Args;
use metas_store::{Store, StoreError};

use crate::{print_json, usage, Failure, OutputFormat, Settings};

#[derive(Args, Debug)]
pub(crate) struct BackupArgs {
    /// The backup file to write (must not exist yet).
    file: PathBuf,
    /// Ask the running server at this address for the copy (`http://127.0.0.1:8080`),
    /// with an administrator's API token in METAS_TOKEN; needed while `metas serve`
    /// holds the database.
    #[arg(long)]
    url: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Args, Debug)]
pub(crate) struct RestoreArgs {
    /// The backup file to put back.
    file: PathBuf,
    /// Put it in place of an existing database (which is kept as `<db>.before-restore`).
    #[arg(long)]
    replace: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

impl BackupArgs {
    /// The server a backup is fetched from over HTTP, if any.
    pub(crate) fn over_http(&self) -> Option<&str> {
        self.url.as_deref()
    }
}

pub(crate) fn backup(a: BackupArgs, s: &Settings) -> Result<u8, Failure> {
    let report = match &a.url {
        None => {
            if !s.db_exists() {
                return Err(usage(format!("{}: no such database", s.db.display())));
            }
            let opened = match &s.served {
                Some(store) => store.try_clone(),
                None => Store::open(&s.db),
            };
            let store = match opened {
                // `metas serve` carries a backup out itself (relay.rs): the
                // holder is another command, or a server on another machine.
                Err(StoreError::Locked { path, holder }) => {
                    return Err(usage(format!(
                        "the database {} is in use by another metas process{holder}; wait for it to finish, or ask a running server for the backup with --url http://ADDRESS and an administrator's token in METAS_TOKEN",
                        path.display()
                    )))
                }
                other => other?,
            };
            metas_service::backup::write(&store, &a.file)?
        }
        Some(url) => {
            let token = std::env::var("METAS_TOKEN").map_err(|_| {
                usage("--url needs an administrator's API token in METAS_TOKEN (`metas token create`)".into())
            })?;
            download(url, &token, &a.file)?
        }
    };
    if a.format == OutputFormat::Json {
        print_json(&report)?;
    } else {
        outln!(
            "backup written to {}: {} bytes, schema version {}, {} interactions",
            report.file.display(),
            report.bytes,
            report.schema_version,
            report.interactions
        );
    }
    Ok(0)
}

pub(crate) fn restore(a: RestoreArgs, s: &Settings) -> Result<u8, Failure> {
    if s.database.is_some() {
        // The file is a read model: PostgreSQL holds the truth.
        return Err(crate::usage(format!(
            "{} is a read model of the shared PostgreSQL: restore PostgreSQL and rebuild it (`metas replica rebuild`), or copy a backup into an empty PostgreSQL (`metas replica seed`)",
            s.db.display()
        )));
    }
    let report = metas_service::backup::restore(&a.file, &s.db, a.replace)?;
    if a.format == OutputFormat::Json {
        print_json(&report)?;
    } else {
        outln!(
            "restored {} into {}: schema version {}, {} interactions",
            a.file.display(),
            s.db.display(),
            report.schema_version,
            report.interactions
        );
    }
    Ok(0)
}

/// Downloads `GET /api/v1/backup` from the server at `url` into `dest`
/// (through a partial file, checked before it takes the name).
fn download(
    url: &str,
    token: &str,
    dest: &Path,
) -> Result<metas_service::backup::BackupReport, Failure> {
    let authority = url
        .strip_prefix("http://")
        .map(|rest| rest.trim_end_matches('/'))
        .filter(|a| !a.is_empty() && !a.contains('/'))
        .ok_or_else(|| {
            usage(format!(
                "--url {url}: give the server's own address, as http://HOST:PORT (reach it directly, not through the TLS proxy)"
            ))
        })?;
    let fail = |what: &str, e: std::io::Error| usage(format!("{what} {url}: {e}"));
    let mut stream = TcpStream::connect(authority).map_err(|e| fail("cannot reach", e))?;
    write!(
        stream,
        "GET /api/v1/backup HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| fail("cannot write to", e))?;
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader
        .read_line(&mut status_line)
        .map_err(|e| fail("no answer from", e))?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut length: Option<u64> = None;
    loop {
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .map_err(|e| fail("no answer from", e))?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().ok();
            }
        }
    }
    if status != 200 {
        let mut body = String::new();
        let _ = reader.take(4096).read_to_string(&mut body);
        let message = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| status_line.trim().to_string());
        return Err(Failure {
            status: 1,
            error: anyhow::anyhow!("the server at {url} refused the backup: {message}"),
        });
    }
    let partial = {
        let mut p = dest.as_os_str().to_owned();
        p.push(".partial");
        PathBuf::from(p)
    };
    if dest.exists() || partial.exists() {
        return Err(usage(format!(
            "{} already exists; name a new file for the backup",
            dest.display()
        )));
    }
    let result = (|| -> Result<_, Failure> {
        let mut out = std::fs::File::create_new(&partial)
            .map_err(|e| usage(format!("{}: {e}", partial.display())))?;
        let got = std::io::copy(&mut reader, &mut out)
            .map_err(|e| fail("the download broke off from", e))?;
        out.sync_all()
            .map_err(|e| usage(format!("{}: {e}", partial.display())))?;
        if length.is_some_and(|n| n != got) {
            return Err(Failure {
                status: 1,
                error: anyhow::anyhow!(
                    "the download from {url} broke off after {got} of {} bytes; nothing was written",
                    length.unwrap_or_default()
                ),
            });
        }
        // Opened and checked in a copy of its own, then named.
        let checked = metas_service::backup::restore(&partial, dest, false)?;
        Ok(metas_service::backup::BackupReport {
            bytes: got,
            ..checked
        })
    })();
    let _ = std::fs::remove_file(&partial);
    result
}
