//! Where a command's output goes: the terminal, or, when the running
//! `metas serve` carries the command out for another `metas` process
//! (relay.rs), that process over the local socket. Every command prints
//! through [`outln!`], [`errln!`], [`stdout`] and [`stderr`], never through
//! `println!`, so the same code serves both.

use std::cell::RefCell;
use std::io::{self, Write};

/// Which of the caller's two streams a piece of output belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Stream {
    Out,
    Err,
}

/// Where the output of the command running on this thread goes instead of
/// the terminal, and what stands in for its standard input.
pub(crate) trait Redirect {
    fn write(&mut self, stream: Stream, buf: &[u8]) -> io::Result<()>;
    fn flush(&mut self) -> io::Result<()>;
    /// The caller's standard input, read once (a password), if it sent it.
    fn stdin(&mut self) -> Option<String>;
}

thread_local! {
    static REDIRECT: RefCell<Option<Box<dyn Redirect>>> = const { RefCell::new(None) };
}

/// Sends this thread's output to `to` until the returned guard drops.
pub(crate) fn redirect(to: Box<dyn Redirect>) -> RedirectGuard {
    REDIRECT.with(|r| *r.borrow_mut() = Some(to));
    RedirectGuard(())
}

pub(crate) struct RedirectGuard(());

impl Drop for RedirectGuard {
    fn drop(&mut self) {
        REDIRECT.with(|r| {
            if let Some(mut to) = r.borrow_mut().take() {
                let _ = to.flush();
            }
        });
    }
}

/// One of the caller's streams, as a writer.
pub(crate) struct Output(Stream);

pub(crate) fn stdout() -> Output {
    Output(Stream::Out)
}

pub(crate) fn stderr() -> Output {
    Output(Stream::Err)
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let redirected = REDIRECT.with(|r| {
            r.borrow_mut()
                .as_mut()
                .map(|to| to.write(self.0, buf).map(|()| buf.len()))
        });
        match (redirected, self.0) {
            (Some(result), _) => result,
            (None, Stream::Out) => io::stdout().write(buf),
            (None, Stream::Err) => io::stderr().write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        let redirected = REDIRECT.with(|r| r.borrow_mut().as_mut().map(|to| to.flush()));
        match (redirected, self.0) {
            (Some(result), _) => result,
            (None, Stream::Out) => io::stdout().flush(),
            (None, Stream::Err) => io::stderr().flush(),
        }
    }
}

/// One line of the caller's standard input (without its line end).
pub(crate) fn stdin_line() -> io::Result<String> {
    if let Some(text) = REDIRECT.with(|r| r.borrow_mut().as_mut().and_then(|to| to.stdin())) {
        return Ok(text.lines().next().unwrap_or("").to_string());
    }
    let mut line = String::new();
    io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// `println!` to the caller's standard output. A reader that went away
/// (`metas … | head`) is not an error: the output it wanted was written.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = $crate::output::stdout();
        let _ = writeln!(out, $($arg)*);
        let _ = out.flush();
    }};
}

/// `eprintln!` to the caller's standard error.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut err = $crate::output::stderr();
        let _ = writeln!(err, $($arg)*);
        let _ = err.flush();
    }};
}

/// `print!` to the caller's standard output.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = $crate::output::stdout();
        let _ = write!(out, $($arg)*);
        let _ = out.flush();
    }};
}
