//! The second wall: untrusted files are read in worker processes with memory and time limits,
//! so that no input, however hostile, takes the run (or the server) down with it.
//!
//! The first wall is in the readers: they check what a file declares before allocating for it.
//! It cannot be complete (calamine, zip and the XML parser are large), and `catch_unwind` in
//! [`pipeline::process`] catches panics only: an allocation failure aborts the process, the
//! kernel's OOM killer ends it, an endless loop never returns. A worker process contains all
//! three.
//!
//! Design:
//! - A [`Pool`] of at most [`Limits::workers`] long-lived workers (≈ the number of cores), each
//!   the jixiao binary itself ([`std::env::current_exe`]) started as `jixiao __worker` with
//!   piped standard input and output. Workers start when first needed.
//! - Each worker caps its own address space (`RLIMIT_AS`, [`Limits::memory`], 1 GiB) before
//!   reading anything, asks to be killed when its parent dies (Linux), and arms `alarm(2)` a
//!   little past the time limit around each file, so that an orphaned or runaway worker ends
//!   by itself.
//! - Protocol: length-prefixed frames, `[tag: u8][length: u64 LE][payload]`. The parent sends
//!   a run's [`Config`] once per worker (`C`, JSON; again only when a [`Session`] with another
//!   configuration uses the worker), then one file per request (`F`: `[name length: u32
//!   LE][name][bytes]`). The worker answers each file with its [`Outcome`] (`O`, JSON through
//!   serde: forms, findings, changes and cell maps round-trip). Frames are bounded both ways:
//!   [`MAX_REPLY_BYTES`] in the parent, the largest input plus its name in the worker.
//! - The thread that sent a file waits for the reply to begin at most [`Limits::time`]
//!   (`poll(2)`); then it kills the worker. A worker that dies (allocation failure, OOM kill, a
//!   signal) or answers with a frame that is not an outcome is reaped; the file it was reading becomes [`Failure::Limit`] (a clear
//!   sentence: damaged or too complex, memory or time), and the next file gets a fresh worker.
//!   The batch goes on, in order.
//! - A worker's standard error is read by the parent: a panic message (a bug the batch
//!   survives) is passed on to the parent's standard error; Rust's "memory allocation of N
//!   bytes failed" is not, it becomes the memory sentence.
//!
//! Unix only (`RLIMIT_AS`, signals). Library callers and unit tests use [`pipeline::process`]
//! in process; the commands and the server use a pool (through `crate::inputs::Readers`, as
//! `crate::app` reads a batch); other systems read in process.
//!
//! A long-running caller (the web server) starts one pool and reads each request's files
//! through a session with that request's configuration; `process` blocks, so call it from a
//! blocking thread:
//!
//! ```no_run
//! use jixiao::worker::{Limits, Pool};
//! let pool = Pool::start(Limits::default()).expect("workers start");
//! let config = jixiao::pipeline::Config::default();
//! let session = pool.session(&config);
//! let outcome = session.process("某局.xlsx", &std::fs::read("某局.xlsx").unwrap());
//! ```
//!
//! A test hook, compiled into debug builds only: `JIXIAO_WORKER_FAULT=alloc:NAME` makes a worker
//! allocate without bound when it is given the file NAME (so the memory limit must stop it),
//! `hang:NAME` makes it sleep for ever (so the time limit must), and `JIXIAO_WORKER_SECONDS=N`
//! sets the time limit of the commands' pools. The integration tests use them
//! (`tests/integration/robust.rs`); release builds ignore both.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::pipeline::{self, Config, Failure, Limit, Outcome};
use crate::read::MAX_FILE_BYTES;

/// The first argument that starts the binary as a worker ([`main`]).
pub const WORKER_ARG: &str = "__worker";

/// Largest reply frame the parent accepts from a worker. A form's outcome is tens of
/// kilobytes; a sheet at the reading bounds with a finding in every cell stays far below.
pub const MAX_REPLY_BYTES: u64 = 256 << 20;

/// Largest request frame a worker accepts: the largest input, its name, room to spare.
const MAX_REQUEST_BYTES: u64 = MAX_FILE_BYTES + (1 << 20);

/// Seconds a worker's own alarm allows past [`Limits::time`]: the parent acts first.
const ALARM_GRACE: u64 = 5;

const TAG_CONFIG: u8 = b'C';
const TAG_FILE: u8 = b'F';
const TAG_OUTCOME: u8 = b'O';

/// The limits of a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Address space of each worker, in bytes.
    pub memory: u64,
    /// Wall-clock time for one file.
    pub time: Duration,
    /// Workers at most.
    pub workers: usize,
}

impl Default for Limits {
    /// 1 GiB and 60 seconds a file (a real form takes milliseconds and a few megabytes; the
    /// largest accepted file, 64 MB, well under both), one worker per core.
    fn default() -> Limits {
        Limits {
            memory: 1 << 30,
            time: Duration::from_secs(60),
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

impl Limits {
    /// The defaults, with `workers` workers and, in debug builds, the time limit of
    /// `JIXIAO_WORKER_SECONDS` (the tests' hook).
    pub fn with_workers(workers: usize) -> Limits {
        #[allow(unused_mut)]
        let mut limits = Limits {
            workers: workers.max(1),
            ..Limits::default()
        };
        #[cfg(debug_assertions)]
        if let Some(s) = std::env::var("JIXIAO_WORKER_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
        {
            limits.time = Duration::from_secs(s);
        }
        limits
    }
}

/// A pool of worker processes. Thread-safe: rayon's threads share one, each borrowing a worker
/// for a file. Dropping it ends the workers.
pub struct Pool {
    limits: Limits,
    exe: PathBuf,
    state: Mutex<State>,
    freed: Condvar,
    sessions: AtomicU64,
}

struct State {
    idle: Vec<Worker>,
    /// Workers alive, idle or busy.
    live: usize,
}

/// One worker process and the parent's ends of its pipes.
struct Worker {
    child: Child,
    /// Buffered: a frame goes out in as few writes as its size allows (each write to a pipe
    /// may wake the worker).
    stdin: io::BufWriter<ChildStdin>,
    /// Its replies, read by the thread that sent the file, after `poll(2)` says the reply
    /// has begun or the worker has gone (no thread of its own: one wake-up less a file).
    stdout: io::BufReader<ChildStdout>,
    /// The thread passing on its standard error; it says, when the worker's standard error
    /// ends, whether an allocation failed.
    stderr: std::thread::JoinHandle<bool>,
    /// The session whose configuration it holds (0: none yet).
    session: u64,
}

impl Pool {
    /// A pool of the running binary's workers. One worker is started at once, so that a system
    /// that cannot start them says so here (the caller then reads in process); the others
    /// start when needed.
    pub fn start(limits: Limits) -> io::Result<Pool> {
        Pool::start_program(std::env::current_exe()?, limits)
    }

    /// [`Pool::start`] with another jixiao binary as the workers (a test harness is not one:
    /// it names `CARGO_BIN_EXE_jixiao`).
    pub fn start_program(exe: PathBuf, limits: Limits) -> io::Result<Pool> {
        let pool = Pool {
            limits,
            exe,
            state: Mutex::new(State {
                idle: Vec::new(),
                live: 0,
            }),
            freed: Condvar::new(),
            sessions: AtomicU64::new(0),
        };
        let first = pool.spawn()?;
        let mut state = pool.lock();
        state.live = 1;
        state.idle.push(first);
        drop(state);
        Ok(pool)
    }

    /// The limits the pool enforces.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// A session: files read with this configuration. The configuration is serialized once,
    /// and sent to each worker the first time the session uses it.
    pub fn session(&self, config: &Config) -> Session<'_> {
        Session {
            pool: self,
            id: self.sessions.fetch_add(1, Ordering::Relaxed) + 1,
            config: serde_json::to_vec(config).expect("a configuration serializes"),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A thread that panicked holding the lock left the state consistent (every change is
        // one statement): go on with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn spawn(&self) -> io::Result<Worker> {
        let mut child = Command::new(&self.exe)
            .arg(WORKER_ARG)
            .arg(self.limits.memory.to_string())
            .arg(self.limits.time.as_secs().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = io::BufWriter::with_capacity(1 << 16, child.stdin.take().expect("piped"));
        let stdout = io::BufReader::with_capacity(1 << 16, child.stdout.take().expect("piped"));
        let stderr = child.stderr.take().expect("piped");
        let stderr = std::thread::Builder::new()
            .name("jixiao-worker-stderr".into())
            .spawn(move || pass_on_stderr(stderr, io::stderr()))?;
        Ok(Worker {
            child,
            stdin,
            stdout,
            stderr,
            session: 0,
        })
    }

    /// An idle worker, a new one when fewer than the limit are alive, or wait for one.
    fn checkout(&self) -> io::Result<Worker> {
        let mut state = self.lock();
        loop {
            if let Some(w) = state.idle.pop() {
                return Ok(w);
            }
            if state.live < self.limits.workers {
                state.live += 1;
                drop(state);
                return self.spawn().inspect_err(|_| self.lock().live -= 1);
            }
            state = self.freed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn checkin(&self, w: Worker) {
        self.lock().idle.push(w);
        self.freed.notify_one();
    }

    /// Kill a worker (it may be dead already) and reap it; its place is free. Its exit status,
    /// and whether it said an allocation failed (its standard error read to the end: the
    /// process is gone).
    fn discard(&self, mut w: Worker) -> (Option<ExitStatus>, bool) {
        let _ = w.child.kill();
        let status = w.child.wait().ok();
        self.lock().live -= 1;
        self.freed.notify_one();
        let allocation_failed = w.stderr.join().unwrap_or(false);
        (status, allocation_failed)
    }

    /// One file through a worker, with `session`'s configuration.
    fn run(&self, session: &Session, file: &str, bytes: &[u8]) -> Outcome {
        // A worker that died while idle (killed from outside) fails at the first write: that
        // is not this file's doing, so it is tried once more with a fresh worker.
        for attempt in 0..2 {
            let mut w = match self.checkout() {
                Ok(w) => w,
                Err(e) => return Err(crash(file, format!("cannot start a worker: {e}"))),
            };
            let sent = (|| {
                if w.session != session.id {
                    write_frame(&mut w.stdin, TAG_CONFIG, &[&session.config])?;
                    w.session = session.id;
                }
                let name_len = u32::try_from(file.len()).unwrap_or(u32::MAX);
                let name = &file.as_bytes()[..name_len as usize];
                write_frame(
                    &mut w.stdin,
                    TAG_FILE,
                    &[&name_len.to_le_bytes(), name, bytes],
                )?;
                w.stdin.flush()
            })();
            if sent.is_err() && attempt == 0 {
                self.discard(w);
                continue;
            }
            let reply = match readable(&w.stdout, self.limits.time) {
                Ok(true) => match read_frame(&mut w.stdout, MAX_REPLY_BYTES) {
                    Ok(Some((TAG_OUTCOME, payload))) => Reply::Outcome(payload),
                    _ => Reply::Gone,
                },
                Ok(false) => Reply::Late,
                Err(_) => Reply::Gone,
            };
            return match reply {
                Reply::Outcome(reply) => {
                    // Free before decoding: another thread may give it its next file meanwhile.
                    // A reply that does not decode is a bug of ours, not the worker's state:
                    // frames are delimited, so the worker stays in step.
                    self.checkin(w);
                    decode(&reply).unwrap_or_else(|e| Err(crash(file, format!("bad reply: {e}"))))
                }
                Reply::Late => {
                    self.discard(w);
                    Err(Failure::Limit {
                        file: file.to_string(),
                        limit: Limit::Time {
                            seconds: self.limits.time.as_secs(),
                        },
                    })
                }
                Reply::Gone => {
                    let (status, allocation_failed) = self.discard(w);
                    Err(Failure::Limit {
                        file: file.to_string(),
                        limit: why_it_died(status, allocation_failed, self.limits),
                    })
                }
            };
        }
        unreachable!("the second attempt always returns")
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        for mut w in state.idle.drain(..) {
            let _ = w.child.kill();
            let _ = w.child.wait();
        }
    }
}

/// Files read by a [`Pool`] with one configuration. This is what the commands, and the web
/// server, call: [`Session::process`] has the signature of [`pipeline::process`] without the
/// configuration.
pub struct Session<'p> {
    pool: &'p Pool,
    id: u64,
    config: Vec<u8>,
}

impl Session<'_> {
    /// [`pipeline::process`] in a worker: the same outcome for a file a worker survives;
    /// [`Failure::Limit`] for one it does not.
    pub fn process(&self, file: &str, bytes: &[u8]) -> Outcome {
        self.pool.run(self, file, bytes)
    }
}

/// An outcome from its frame. The text is checked as UTF-8 once, as a whole: serde_json then
/// reads it as `&str` and does not check each string again (that was a sixth of the cost).
fn decode(reply: &[u8]) -> Result<Outcome, String> {
    let text = std::str::from_utf8(reply).map_err(|e| e.to_string())?;
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// What came back from a worker for one file.
enum Reply {
    Outcome(Vec<u8>),
    /// Nothing within the time limit.
    Late,
    /// The worker ended, or sent what is not an outcome frame.
    Gone,
}

/// Whether `from` has bytes to read (or its end) within `limit`. A reply that has begun is read
/// to its end without a limit: the worker writes it at once, and its own alarm, armed until the
/// reply is out, ends a worker stuck in the middle.
fn readable(from: &io::BufReader<ChildStdout>, limit: Duration) -> io::Result<bool> {
    use std::os::fd::AsRawFd;
    if !from.buffer().is_empty() {
        return Ok(true);
    }
    let deadline = std::time::Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let mut fd = libc::pollfd {
            fd: from.get_ref().as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(left.as_millis()).unwrap_or(libc::c_int::MAX);
        // SAFETY: poll reads and writes the one pollfd it is given.
        match unsafe { libc::poll(&mut fd, 1, ms) } {
            -1 => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
            0 if left.is_zero() => return Ok(false),
            0 => {}
            // Readable, closed (POLLHUP) or in error: the read says which.
            _ => return Ok(true),
        }
    }
}

fn crash(file: &str, detail: String) -> Failure {
    Failure::Limit {
        file: file.to_string(),
        limit: Limit::Crash { detail },
    }
}

/// Rust's message when an allocation fails (then it aborts).
const ALLOCATION_FAILED: &[u8] = b"memory allocation of ";

/// Which limit a dead worker went over, from how it ended and whether it said an allocation
/// failed.
fn why_it_died(status: Option<ExitStatus>, allocation_failed: bool, limits: Limits) -> Limit {
    let memory = Limit::Memory {
        megabytes: limits.memory >> 20,
    };
    if allocation_failed {
        return memory;
    }
    let Some(status) = status else {
        return Limit::Crash {
            detail: "no exit status".into(),
        };
    };
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        // Not killed by the pool (that is the time limit, said before reaping): the kernel's
        // OOM killer sends SIGKILL.
        Some(libc::SIGKILL) => memory,
        Some(libc::SIGALRM) | Some(libc::SIGXCPU) => Limit::Time {
            seconds: limits.time.as_secs(),
        },
        Some(signal) => Limit::Crash {
            detail: format!("signal {signal}"),
        },
        None => Limit::Crash {
            detail: format!("exit status {}", status.code().unwrap_or(-1)),
        },
    }
}

/// A line of a worker's standard error is passed on in pieces of at most this many bytes.
const LINE_BYTES: usize = 4096;

/// Read a worker's standard error to its end, passing each line on to ours until an
/// allocation failure (the file's sentence says it; what follows is the dying process's
/// backtrace); whether there was one. A failing standard error of ours loses the line, never
/// the worker.
fn pass_on_stderr(mut from: impl Read, mut to: impl Write) -> bool {
    let mut buf = [0u8; 8192];
    let mut line: Vec<u8> = Vec::new();
    let mut dying = false;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        for &b in &buf[..n] {
            line.push(b);
            if b == b'\n' || line.len() >= LINE_BYTES {
                pass_on_line(&line, &mut dying, &mut to);
                line.clear();
            }
        }
    }
    pass_on_line(&line, &mut dying, &mut to);
    dying
}

fn pass_on_line(line: &[u8], dying: &mut bool, to: &mut impl Write) {
    *dying |= line.starts_with(ALLOCATION_FAILED);
    if !line.is_empty() && !*dying {
        let _ = to.write_all(line);
    }
}

/// Write one frame: tag, length, then the parts of the payload.
fn write_frame(to: &mut impl Write, tag: u8, parts: &[&[u8]]) -> io::Result<()> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    to.write_all(&[tag])?;
    to.write_all(&(len as u64).to_le_bytes())?;
    for p in parts {
        to.write_all(p)?;
    }
    Ok(())
}

/// Read one frame; `None` at the end of the stream before a frame starts. A frame longer than
/// `max` is an error before anything is allocated for it.
fn read_frame(from: &mut impl Read, max: u64) -> io::Result<Option<(u8, Vec<u8>)>> {
    let mut tag = [0u8; 1];
    if from.read(&mut tag)? == 0 {
        return Ok(None);
    }
    let mut len = [0u8; 8];
    from.read_exact(&mut len)?;
    let len = u64::from_le_bytes(len);
    if len > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame of {len} bytes is over the limit of {max}"),
        ));
    }
    let mut payload = Vec::with_capacity(len as usize);
    from.take(len).read_to_end(&mut payload)?;
    if payload.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some((tag[0], payload)))
}

/// The worker's side: `jixiao __worker MEMORY SECONDS`, started by a [`Pool`]. Caps its own
/// address space and time, then answers file frames on standard input with outcome frames
/// on standard output until standard input ends. Returns the exit status.
pub fn main(args: &[String]) -> u8 {
    use std::io::IsTerminal;
    let (Some(memory), Some(seconds)) = (
        args.first().and_then(|a| a.parse::<u64>().ok()),
        args.get(1).and_then(|a| a.parse::<u64>().ok()),
    ) else {
        return 2;
    };
    // Started by hand in a terminal: not the protocol. Say nothing, do nothing.
    if io::stdin().is_terminal() {
        return 2;
    }
    if limit_address_space(memory).is_err() {
        return 3;
    }
    keep_freed_memory();
    die_with_parent();
    let stdin = io::stdin().lock();
    let stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match serve(stdin, stdout, seconds + ALARM_GRACE) {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

/// Answer requests until the end of `input`.
fn serve(mut input: impl Read, mut output: impl Write, alarm_seconds: u64) -> io::Result<()> {
    let mut config: Option<Config> = None;
    let fault = Fault::from_env();
    while let Some((tag, payload)) = read_frame(&mut input, MAX_REQUEST_BYTES)? {
        match tag {
            TAG_CONFIG => {
                config = Some(serde_json::from_slice(&payload).map_err(io::Error::other)?);
            }
            TAG_FILE => {
                let config = config
                    .as_ref()
                    .ok_or_else(|| io::Error::other("a file before the configuration"))?;
                let (name, bytes) = split_file(&payload)?;
                fault.before(name);
                // Armed until the reply is out: the parent reads a reply that has begun
                // without a limit of its own.
                arm_alarm(alarm_seconds);
                let outcome = pipeline::process(name, bytes, config);
                drop(payload);
                let reply = serde_json::to_vec(&outcome).map_err(io::Error::other)?;
                write_frame(&mut output, TAG_OUTCOME, &[&reply])?;
                output.flush()?;
                arm_alarm(0);
            }
            _ => return Err(io::Error::other("unknown frame")),
        }
    }
    Ok(())
}

fn split_file(payload: &[u8]) -> io::Result<(&str, &[u8])> {
    let bad = || io::Error::from(io::ErrorKind::InvalidData);
    let len = payload.get(..4).ok_or_else(bad)?;
    let len = u32::from_le_bytes(len.try_into().map_err(|_| bad())?) as usize;
    let rest = &payload[4..];
    let name = rest.get(..len).ok_or_else(bad)?;
    let name = std::str::from_utf8(name).map_err(|_| bad())?;
    Ok((name, &rest[len..]))
}

/// Cap this process's address space at `bytes` (or at the hard limit already set, if lower).
fn limit_address_space(bytes: u64) -> io::Result<()> {
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit write or read the one struct they are given.
    if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut current) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let cap = (bytes as libc::rlim_t).min(current.rlim_max);
    let new = libc::rlimit {
        rlim_cur: cap,
        rlim_max: cap,
    };
    if unsafe { libc::setrlimit(libc::RLIMIT_AS, &new) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// glibc: keep memory freed after a file for the next one instead of returning it to the
/// system (and faulting it in again), and serve large buffers from the heap, not from a fresh
/// mapping each time. A worker reads thousands of files; its address space stays capped.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt sets allocator parameters; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
    }
}

/// Linux: SIGKILL when the parent dies, so a worker busy on a file never outlives its run.
fn die_with_parent() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_PDEATHSIG takes a signal number and changes nothing else.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
}

/// `alarm(2)`: SIGALRM (which ends the process) after `seconds`; 0 disarms it.
fn arm_alarm(seconds: u64) {
    // SAFETY: alarm only schedules or cancels the signal.
    unsafe {
        libc::alarm(seconds.min(u32::MAX as u64) as libc::c_uint);
    }
}

/// The debug builds' test hook (module documentation).
enum Fault {
    None,
    #[cfg(debug_assertions)]
    Alloc(String),
    #[cfg(debug_assertions)]
    Hang(String),
}

impl Fault {
    fn from_env() -> Fault {
        #[cfg(debug_assertions)]
        if let Ok(spec) = std::env::var("JIXIAO_WORKER_FAULT") {
            match spec.split_once(':') {
                Some(("alloc", name)) => return Fault::Alloc(name.to_string()),
                Some(("hang", name)) => return Fault::Hang(name.to_string()),
                _ => {}
            }
        }
        Fault::None
    }

    fn before(&self, _file: &str) {
        match self {
            Fault::None => {}
            #[cfg(debug_assertions)]
            Fault::Alloc(name) if _file == name => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    // Touched, so that the memory is really taken.
                    hoard.push(vec![1u8; 64 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            #[cfg(debug_assertions)]
            Fault::Hang(name) if _file == name => loop {
                std::thread::sleep(Duration::from_secs(3600));
            },
            #[cfg(debug_assertions)]
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_are_bounded() {
        let mut buf = Vec::new();
        write_frame(&mut buf, TAG_FILE, &[b"ab", b"cde"]).unwrap();
        let mut r = &buf[..];
        assert_eq!(
            read_frame(&mut r, 5).unwrap(),
            Some((TAG_FILE, b"abcde".to_vec()))
        );
        assert_eq!(read_frame(&mut r, 5).unwrap(), None);
        let mut r = &buf[..];
        let e = read_frame(&mut r, 4).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        // A frame cut short is an error, not a shorter payload.
        let mut r = &buf[..buf.len() - 1];
        assert!(read_frame(&mut r, 5).is_err());
    }

    #[test]
    fn a_file_frame_names_its_file() {
        let mut payload = 3u32.to_le_bytes().to_vec();
        payload.extend_from_slice(b"a.xPK");
        assert_eq!(split_file(&payload).unwrap(), ("a.x", &b"PK"[..]));
        assert!(split_file(&payload[..5]).is_err());
        assert!(split_file(b"\x01").is_err());
    }

    /// The worker's loop, without a process: the configuration, then files, each answered
    /// with the outcome `pipeline::process` gives in process.
    #[test]
    fn serve_answers_each_file_as_the_pipeline_does() {
        let config = Config::default();
        let csv = "部门名称,某局\n".as_bytes();
        let mut input = Vec::new();
        write_frame(
            &mut input,
            TAG_CONFIG,
            &[&serde_json::to_vec(&config).unwrap()],
        )
        .unwrap();
        for name in ["a.csv", "b.csv"] {
            write_frame(
                &mut input,
                TAG_FILE,
                &[&(name.len() as u32).to_le_bytes(), name.as_bytes(), csv],
            )
            .unwrap();
        }
        let mut output = Vec::new();
        serve(&input[..], &mut output, 0).unwrap();
        let mut r = &output[..];
        for name in ["a.csv", "b.csv"] {
            let (tag, reply) = read_frame(&mut r, MAX_REPLY_BYTES).unwrap().unwrap();
            assert_eq!(tag, TAG_OUTCOME);
            let got: Outcome = serde_json::from_slice(&reply).unwrap();
            let want = pipeline::process(name, csv, &config);
            assert_eq!(format!("{got:?}"), format!("{want:?}"));
        }
        assert_eq!(read_frame(&mut r, MAX_REPLY_BYTES).unwrap(), None);
    }

    #[test]
    fn a_file_before_the_configuration_is_refused() {
        let mut input = Vec::new();
        write_frame(&mut input, TAG_FILE, &[&1u32.to_le_bytes(), b"a", b"x"]).unwrap();
        assert!(serve(&input[..], Vec::new(), 0).is_err());
    }

    /// A worker's panic message reaches our standard error; from an allocation failure on, its
    /// lines (the failure and the backtrace) do not: the file's sentence says it.
    #[test]
    fn an_allocation_failure_is_recognised_however_long_the_backtrace() {
        let panic = b"thread 'main' panicked at x.rs:1:1\n";
        let mut passed = Vec::new();
        assert!(!pass_on_stderr(&panic[..], &mut passed));
        assert_eq!(passed, panic);
        let mut stderr = panic.to_vec();
        stderr
            .extend_from_slice(b"memory allocation of 1073741824 bytes failed\nstack backtrace:\n");
        stderr.extend(std::iter::repeat_n(b"  0: frame\n".as_slice(), 10_000).flatten());
        let mut passed = Vec::new();
        assert!(pass_on_stderr(&stderr[..], &mut passed));
        assert_eq!(passed, panic, "nothing from the failure on");
    }

    #[test]
    fn how_a_worker_died() {
        use std::os::unix::process::ExitStatusExt;
        let limits = Limits::default();
        let memory = Limit::Memory { megabytes: 1024 };
        let abrt = Some(ExitStatus::from_raw(libc::SIGABRT));
        assert_eq!(why_it_died(abrt, true, limits), memory);
        assert_eq!(
            why_it_died(Some(ExitStatus::from_raw(libc::SIGKILL)), false, limits),
            memory
        );
        assert_eq!(
            why_it_died(abrt, false, limits),
            Limit::Crash {
                detail: "signal 6".into()
            }
        );
        assert_eq!(
            why_it_died(Some(ExitStatus::from_raw(3 << 8)), false, limits),
            Limit::Crash {
                detail: "exit status 3".into()
            }
        );
        assert_eq!(
            why_it_died(Some(ExitStatus::from_raw(libc::SIGALRM)), false, limits),
            Limit::Time { seconds: 60 }
        );
    }
}
