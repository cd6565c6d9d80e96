//! Commands carried out by the running `metas serve`.
//!
//! DuckDB lets one process at a time open a database file, so while
//! `metas serve` holds it every other `metas` command on that file would
//! stop with "in use" (and a nightly `metas import` from cron would mean
//! downtime). Instead, the server listens on a local socket beside the file
//! (`metas.db.sock`, mode 0600, and only a peer of the server's own user is
//! answered), and a command that finds it asks the server to run it: the
//! server parses the same arguments, runs the same code on its own
//! connection in the caller's working folder, and sends back standard output,
//! standard error and the exit status, which the caller reproduces. So the
//! output and the exit status are those of the command run alone.
//!
//! The protocol is private to one build of metas: a request is one JSON
//! line; the answer is frames of one kind byte (`o` output, `e` error, `x`
//! exit status), a little-endian u32 length and that many bytes.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use anyhow::Context;
use metas_store::Store;
use serde::{Deserialize, Serialize};

use crate::output::{Redirect, Stream};
use crate::{Cli, Command, Failure, Settings};

const OUTPUT: u8 = b'o';
const ERROR: u8 = b'e';
const EXIT: u8 = b'x';

/// The longest request read: arguments, a folder and a password.
const MAX_REQUEST: u64 = 1 << 20;

/// What the calling process sends: its arguments, where it runs, who runs it.
#[derive(Serialize, Deserialize)]
struct Request {
    args: Vec<String>,
    cwd: PathBuf,
    /// The database as the caller named it (shown in messages as given).
    db: PathBuf,
    actor: String,
    /// The caller's standard input, for the one command that reads it.
    stdin: Option<String>,
}

/// The socket a server holding `db` listens on: beside the file, or, when
/// that path is too long for a socket's address, in a private folder of
/// the file owner's under the temporary folder. `None` when the file does
/// not exist (no server can hold it).
fn socket_path(db: &Path) -> Option<PathBuf> {
    let file = std::fs::canonicalize(db).ok()?;
    let mut beside = file.clone().into_os_string();
    beside.push(".sock");
    // sun_path holds 108 bytes with its terminating zero.
    if beside.len() < 100 {
        return Some(PathBuf::from(beside));
    }
    let owner = std::fs::metadata(&file).ok()?.uid();
    let name = format!("{:016x}.sock", fnv1a(file.as_os_str().as_encoded_bytes()));
    Some(
        std::env::temp_dir()
            .join(format!("metas-{owner}"))
            .join(name),
    )
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Whether a command works on the database file, so that the server holding
/// it can carry it out. The server itself, benchmarks (their own files),
/// a restore (it replaces the file), a backup fetched over HTTP, and what
/// works on a shared PostgreSQL and its read models are not.
fn relayable(c: &Command) -> bool {
    match c {
        Command::Serve(_) | Command::Bench(_) | Command::Restore(_) => false,
        // The shared PostgreSQL and its read models are their own files.
        Command::Migrate(_) | Command::Replica(_) => false,
        Command::Backup(a) => a.over_http().is_none(),
        Command::Import(a) => !a.check && a.replica.is_none(),
        _ => true,
    }
}

/// Runs the command through the `metas serve` that holds its database, if
/// one listens; returns its exit status, or `None` when no server answers
/// (the command then runs here).
pub(crate) fn forward(cli: &Cli, settings: &Settings) -> Option<u8> {
    if !relayable(&cli.command) {
        return None;
    }
    let path = socket_path(&settings.db)?;
    // A socket left by a server that was killed refuses the connection.
    let mut conn = UnixStream::connect(&path).ok()?;
    // Only a server of this user, or of the file's owner, is told anything.
    let server = rustix::net::sockopt::socket_peercred(&conn).ok()?.uid;
    let owner = std::fs::metadata(&settings.db).ok()?.uid();
    if server != rustix::process::geteuid() && server.as_raw() != owner {
        return None;
    }
    let stdin = crate::user_cmd::reads_stdin(&cli.command).then(|| {
        let mut text = String::new();
        let _ = io::stdin().read_to_string(&mut text);
        text
    });
    let request = Request {
        args: std::env::args_os()
            .map(|a| a.into_string())
            .collect::<Result<_, _>>()
            .ok()?,
        cwd: std::env::current_dir().ok()?,
        db: settings.db.clone(),
        actor: settings.actor.clone(),
        stdin,
    };
    let mut line = serde_json::to_vec(&request).ok()?;
    line.push(b'\n');
    if conn.write_all(&line).is_err() {
        return None;
    }
    Some(replay(conn))
}

/// One frame: its kind and its body; `None` when the connection ended first.
fn read_frame(reader: &mut impl Read) -> Option<(u8, Vec<u8>)> {
    let mut head = [0u8; 5];
    reader.read_exact(&mut head).ok()?;
    let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]) as usize;
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body).ok()?;
    Some((head[0], body))
}

/// Writes the server's frames to this process's streams; the exit status.
fn replay(conn: UnixStream) -> u8 {
    let mut reader = BufReader::new(conn);
    let mut stdout = io::stdout();
    let mut stderr = io::stderr();
    let mut stdout_open = true;
    loop {
        let Some((kind, body)) = read_frame(&mut reader) else {
            errln!(
                "metas: the running `metas serve` stopped before the command finished; see its log"
            );
            return 1;
        };
        match kind {
            EXIT => return body.first().copied().unwrap_or(1),
            // A reader that went away (`metas … | head`) takes nothing more;
            // the command still runs to its end, as it would alone.
            OUTPUT if stdout_open => {
                stdout_open = stdout
                    .write_all(&body)
                    .and_then(|()| stdout.flush())
                    .is_ok();
            }
            OUTPUT => {}
            _ => {
                let _ = stderr.write_all(&body);
            }
        }
    }
}

/// The server's side: listening while `metas serve` runs; the socket goes
/// when this drops.
pub(crate) struct Listening {
    path: PathBuf,
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Starts answering commands for `store`'s file (`db`) on a thread of its
/// own; each command runs on a thread of its own with a connection of its own.
pub(crate) fn listen(db: &Path, store: &Store) -> Result<Listening, Failure> {
    let path = socket_path(db)
        .with_context(|| format!("finding {} for its local socket", db.display()))?;
    if let Some(folder) = path.parent().filter(|f| !db.starts_with(f)) {
        // The private folder under the temporary one (a long path): made
        // here, or refused when someone else made it or can enter it.
        if !folder.exists() {
            std::fs::create_dir_all(folder)
                .and_then(|()| {
                    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))
                })
                .with_context(|| format!("creating {}", folder.display()))?;
        }
        let meta = std::fs::symlink_metadata(folder)
            .with_context(|| format!("reading {}", folder.display()))?;
        if !meta.is_dir()
            || meta.uid() != rustix::process::geteuid().as_raw()
            || meta.permissions().mode() & 0o077 != 0
        {
            return Err(crate::usage(format!(
                "{} is not a private folder of this user's; remove it to run `metas serve` on {}",
                folder.display(),
                db.display()
            )));
        }
    }
    // This process holds the database's lock, so a socket already there was
    // left by a server that was killed: nobody answers on it.
    if let Ok(meta) = std::fs::symlink_metadata(&path) {
        if !meta.file_type().is_socket() {
            return Err(crate::usage(format!(
                "{} exists and is not metas's socket; move it away to run `metas serve` on {}",
                path.display(),
                db.display()
            )));
        }
        let _ = std::fs::remove_file(&path);
    }
    let listener =
        UnixListener::bind(&path).with_context(|| format!("listening on {}", path.display()))?;
    let listening = Listening { path: path.clone() };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("making {} private", path.display()))?;
    let store = store.try_clone()?;
    std::thread::Builder::new()
        .name("metas-relay".into())
        .spawn(move || {
            for conn in listener.incoming().flatten() {
                match store.try_clone() {
                    Ok(store) => {
                        let _ = std::thread::Builder::new()
                            .name("metas-relayed".into())
                            .spawn(move || answer(conn, store));
                    }
                    Err(e) => tracing::error!("a relayed command got no connection: {e}"),
                }
            }
        })
        .context("starting the local socket's thread")?;
    Ok(listening)
}

/// Frames written back to the caller.
struct Frames {
    conn: io::BufWriter<UnixStream>,
    stdin: Option<String>,
}

impl Frames {
    fn frame(&mut self, kind: u8, body: &[u8]) -> io::Result<()> {
        let len = u32::try_from(body.len()).map_err(|_| io::ErrorKind::InvalidInput)?;
        self.conn.write_all(&[kind])?;
        self.conn.write_all(&len.to_le_bytes())?;
        self.conn.write_all(body)
    }
}

impl Redirect for Frames {
    fn write(&mut self, stream: Stream, buf: &[u8]) -> io::Result<()> {
        // Large writes (a CSV export) go as several frames.
        for chunk in buf.chunks(1 << 20) {
            self.frame(
                match stream {
                    Stream::Out => OUTPUT,
                    Stream::Err => ERROR,
                },
                chunk,
            )?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.conn.flush()
    }

    fn stdin(&mut self) -> Option<String> {
        self.stdin.take()
    }
}

/// Carries out one caller's command and sends back its exit status.
fn answer(conn: UnixStream, store: Store) {
    // Only the user the server runs as (the file's owner) is answered,
    // whatever the socket's mode.
    let own = rustix::process::geteuid();
    match rustix::net::sockopt::socket_peercred(&conn) {
        Ok(peer) if peer.uid == own => {}
        _ => return,
    }
    let mut reader = BufReader::new((&conn).take(MAX_REQUEST));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let Ok(writer) = conn.try_clone() else { return };
    let Ok(request) = serde_json::from_str::<Request>(&line) else {
        return;
    };
    let frames = Frames {
        conn: io::BufWriter::new(writer),
        stdin: request.stdin.clone(),
    };
    let guard = crate::output::redirect(Box::new(frames));
    let status = run_in(request, store);
    // The exit status goes after every byte of output.
    drop(guard);
    if let Ok(mut conn) = conn.try_clone() {
        let _ = conn.write_all(&[EXIT, 1, 0, 0, 0, status]);
    }
}

/// Runs the request's command on `store` in the caller's working folder.
fn run_in(request: Request, store: Store) -> u8 {
    // The command runs in the caller's folder, so the paths it was given
    // mean what they meant there: this thread leaves the process's shared
    // working folder for one of its own (CLONE_FS: the folder, root and
    // umask only; the database was opened by its absolute path).
    #[expect(
        deprecated,
        reason = "rustix deprecates unshare because some flags break Rust's assumptions; CLONE_FS (folder, root, umask) breaks none"
    )]
    let own_folder = rustix::thread::unshare(rustix::thread::UnshareFlags::FS);
    if let Err(e) = own_folder
        .map_err(io::Error::from)
        .and_then(|()| std::env::set_current_dir(&request.cwd))
    {
        errln!(
            "metas: the running `metas serve` cannot work in {}: {e}",
            request.cwd.display()
        );
        return 1;
    }
    let cli = match <Cli as clap::Parser>::try_parse_from(&request.args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = crate::output::stderr().write_all(e.render().to_string().as_bytes());
            return 2;
        }
    };
    if !relayable(&cli.command) {
        errln!(
            "metas: this command cannot run while `metas serve` holds {}",
            request.db.display()
        );
        return 2;
    }
    // The command's work holds the store's gate shared, as the server's own
    // requests do, so a backup waits for it; a backup takes the gate alone
    // itself (metas_store::Gate).
    let gate = store.gate();
    let _working = (!matches!(cli.command, Command::Backup(_))).then(|| gate.shared());
    let settings = Settings::now(request.db, cli.database.clone(), request.actor, Some(store));
    crate::finish(crate::run(cli.command, &settings))
}
