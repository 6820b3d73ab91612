//! The extraction child and its parent.
//!
//! Parent ([`run_in_child`]): starts `program prefix_args… kind path` in a
//! new process group with a cleared environment (only [`PASSED_ON_ENV`]
//! and the limits as JSON in [`LIMITS_ENV`]), reads its
//! stdout and stderr on two threads (both capped), and polls for its exit
//! without reaping it. On exit it kills whatever is left of the group
//! (stray `tesseract`s), then reaps; at the wall limit it kills the whole
//! group first. Waiting with `WNOWAIT` keeps the child a zombie until the
//! group is dead, so its pid – the group id – cannot be reused meanwhile.
//!
//! Child ([`child_main`]): sets RLIMIT_AS, RLIMIT_CPU and RLIMIT_CORE, then
//! extracts and prints one JSON object on stdout.

use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::{extract_file, ExtractError, Extracted, Kind, Limits};

/// Environment variable carrying [`Limits`] (JSON, see
/// [`Limits::to_env_value`]) from parent to child.
pub const LIMITS_ENV: &str = "AKTENWERK_EXTRACT_LIMITS";

/// The only variables of the server's environment the child inherits:
/// where programs and libraries are, the locale, and where Tesseract finds
/// its language data. Everything else is cleared.
pub const PASSED_ON_ENV: [&str; 7] = [
    "PATH",
    "LD_LIBRARY_PATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "TESSDATA_PREFIX",
];

/// Stderr beyond this is dropped (it only feeds error messages).
const STDERR_CAP: usize = 64 * 1024;
/// How long the pipes may stay open after the child is gone.
const READER_GRACE: Duration = Duration::from_secs(2);

/// The error half of the child's JSON protocol.
#[derive(Serialize, Deserialize)]
struct WireError {
    code: String,
    message: String,
    /// The variant's payload (seconds for a timeout), to rebuild the error.
    #[serde(default)]
    detail: String,
}

#[derive(Serialize, Deserialize)]
struct WireFailure {
    error: WireError,
}

impl From<&ExtractError> for WireError {
    fn from(e: &ExtractError) -> Self {
        let detail = match e {
            ExtractError::Timeout { seconds } => seconds.to_string(),
            ExtractError::MemoryLimit => String::new(),
            ExtractError::TooLarge(s)
            | ExtractError::Malformed(s)
            | ExtractError::ToolMissing(s)
            | ExtractError::ToolFailed(s) => s.clone(),
            ExtractError::Io(e) => e.to_string(),
        };
        WireError {
            code: e.code().to_owned(),
            message: e.to_string(),
            detail,
        }
    }
}

impl WireError {
    fn into_error(self) -> ExtractError {
        match self.code.as_str() {
            "timeout" => ExtractError::Timeout {
                seconds: self.detail.parse().unwrap_or(0),
            },
            "memory" => ExtractError::MemoryLimit,
            "too_large" => ExtractError::TooLarge(self.detail),
            "malformed" => ExtractError::Malformed(self.detail),
            "tool_missing" => ExtractError::ToolMissing(self.detail),
            "io" => ExtractError::Io(std::io::Error::other(self.detail)),
            _ => ExtractError::ToolFailed(self.detail),
        }
    }
}

/// Set RLIMIT_AS to `memory_bytes`, RLIMIT_CPU to `cpu_seconds` (hard limit
/// a few seconds later, so SIGXCPU comes first), and no core dumps. They are
/// inherited by every process started afterwards.
pub fn apply_rlimits(limits: &Limits) -> std::io::Result<()> {
    fn set(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> std::io::Result<()> {
        let lim = libc::rlimit {
            rlim_cur: soft as libc::rlim_t,
            rlim_max: hard as libc::rlim_t,
        };
        // SAFETY: setrlimit only reads the struct we pass by pointer.
        if unsafe { libc::setrlimit(resource, &lim) } == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
    set(libc::RLIMIT_CORE, 0, 0)?;
    set(libc::RLIMIT_AS, limits.memory_bytes, limits.memory_bytes)?;
    set(
        libc::RLIMIT_CPU,
        limits.cpu_seconds,
        limits.cpu_seconds.saturating_add(5),
    )
}

/// Have the kernel SIGKILL this process when the thread that started it
/// ends (`PR_SET_PDEATHSIG`), so a crashed or restarted server leaves no
/// extraction running. Async-signal-safe, so usable in `pre_exec` too.
pub fn die_with_parent() -> std::io::Result<()> {
    // SAFETY: prctl(PR_SET_PDEATHSIG) takes a signal number and no pointers.
    let rc = unsafe {
        libc::prctl(
            libc::PR_SET_PDEATHSIG,
            libc::SIGKILL as libc::c_ulong,
            0,
            0,
            0,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// The child-process entry point. Takes the last two of `args` as kind and
/// path, so both the full argv (`aktenwerk extract pdf /x.pdf`) and just the
/// tail (`pdf /x.pdf`) work. Limits come from [`LIMITS_ENV`] if set, else
/// `limits`. Prints an [`Extracted`] or `{"error": {"code", "message",
/// "detail"}}` as one JSON line; exit code 0 for a result, 1 for an
/// extraction error, 2 for bad usage, 3 if stdout is gone.
pub fn child_main(args: &[String], limits: &Limits) -> i32 {
    let limits = std::env::var(LIMITS_ENV)
        .ok()
        .and_then(|v| Limits::from_env_value(&v))
        .unwrap_or_else(|| limits.clone());
    let (result, code) = match args {
        [.., kind, path] => match Kind::parse(kind) {
            Some(kind) => match die_with_parent().and_then(|()| apply_rlimits(&limits)) {
                Ok(()) => {
                    let r = extract_file(Path::new(path), kind, &limits);
                    let code = if r.is_ok() { 0 } else { 1 };
                    (r, code)
                }
                Err(e) => (
                    Err(ExtractError::ToolFailed(format!(
                        "Ressourcengrenzen ließen sich nicht setzen ({e})."
                    ))),
                    1,
                ),
            },
            None => (
                Err(ExtractError::Malformed(format!(
                    "unbekannte Dateiart „{kind}“."
                ))),
                2,
            ),
        },
        _ => (
            Err(ExtractError::ToolFailed(
                "Aufruf: extract <art> <pfad>".to_owned(),
            )),
            2,
        ),
    };
    let json = match &result {
        Ok(extracted) => serde_json::to_string(extracted),
        Err(e) => serde_json::to_string(&WireFailure { error: e.into() }),
    };
    let mut stdout = std::io::stdout().lock();
    let written = json
        .map_err(std::io::Error::other)
        .and_then(|j| writeln!(stdout, "{j}"))
        .and_then(|()| stdout.flush());
    if written.is_err() {
        return 3;
    }
    code
}

/// Read all of `r`, keeping at most `cap` bytes (the rest is drained so the
/// writer never blocks).
fn read_capped(mut r: impl Read, cap: usize) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let mut overflow = false;
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = cap.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
                overflow |= n > room;
            }
        }
    }
    (kept, overflow)
}

/// Read a pipe on its own thread; the result arrives on the channel.
fn reader(pipe: impl Read + Send + 'static, cap: usize) -> mpsc::Receiver<(Vec<u8>, bool)> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(read_capped(pipe, cap));
    });
    rx
}

/// True once `pid` has exited; leaves it unreaped (`WNOWAIT`).
fn has_exited(pid: libc::pid_t) -> std::io::Result<bool> {
    // SAFETY: zeroed siginfo_t is a valid out-parameter for waitid.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: waitid writes only into `info`.
    let rc = unsafe {
        libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        )
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: si_pid is valid for the CLD_* codes waitid reports; zero
    // (from the zeroed struct) means nothing changed yet.
    Ok(unsafe { info.si_pid() } != 0)
}

/// SIGKILLs the whole process group and waits (at most [`GROUP_EXIT_WAIT`])
/// until none of it runs any more. SIGKILL takes effect when the kernel
/// next schedules a process: on a busy machine a killed Tesseract went on
/// for a moment after this call had returned (seen in `make test` with
/// the browser tests running beside it).
fn kill_group(pgid: libc::pid_t) {
    // SAFETY: plain syscall; ESRCH (group already gone) is fine.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
    let deadline = Instant::now() + GROUP_EXIT_WAIT;
    while group_runs(pgid) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(2));
    }
}

/// How long [`kill_group`] waits for a killed group to stop.
const GROUP_EXIT_WAIT: Duration = Duration::from_secs(2);

/// True while a process of group `pgid` exists that is not a zombie (a
/// zombie no longer runs; whoever inherited it reaps it).
fn group_runs(pgid: libc::pid_t) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            return false;
        };
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| state_and_group(&stat))
            .is_some_and(|(state, group)| group == pgid && state != 'Z')
    })
}

/// The state letter and process group from a `/proc/<pid>/stat` line.
/// The command name in parentheses may itself contain spaces and
/// parentheses, so the fields are counted from the last `)`.
fn state_and_group(stat: &str) -> Option<(char, libc::pid_t)> {
    let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = fields.next()?.chars().next()?;
    let _parent = fields.next()?;
    let group = fields.next()?.parse().ok()?;
    Some((state, group))
}

/// Parent side: run the extraction in a sandboxed child; see the module docs.
pub fn run_in_child(
    program: &Path,
    prefix_args: &[&str],
    path: &Path,
    kind: Kind,
    limits: &Limits,
) -> Result<Extracted, ExtractError> {
    // The child's scratch files (rasterised pages) go here, so they are
    // removed even when the child is killed.
    let scratch = tempfile::Builder::new()
        .prefix("aktenwerk-extract-")
        .tempdir()?;
    let mut command = Command::new(program);
    // A clean environment: the child parses hostile files, so it gets none
    // of the server's settings (session key, database, mail passwords),
    // only what it and the tools it starts need to run.
    command.env_clear();
    for name in PASSED_ON_ENV {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    let mut child = command
        .args(prefix_args)
        .arg(kind.as_str())
        .arg(path)
        .env("OMP_THREAD_LIMIT", "1")
        .env(LIMITS_ENV, limits.to_env_value())
        .env("TMPDIR", scratch.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| {
            ExtractError::ToolFailed(format!("Extraktionsprozess ließ sich nicht starten ({e})."))
        })?;
    let started = Instant::now();
    let pid = libc::pid_t::try_from(child.id())
        .map_err(|_| ExtractError::ToolFailed("ungültige Prozessnummer".to_owned()))?;

    // JSON escapes at most double the text; a MiB for the rest.
    let stdout_cap = limits.max_text_bytes.saturating_mul(2) + 1024 * 1024;
    let stdout = child.stdout.take().map(|s| reader(s, stdout_cap));
    let stderr = child.stderr.take().map(|s| reader(s, STDERR_CAP));

    let mut timed_out = false;
    loop {
        match has_exited(pid) {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => {
                kill_group(pid);
                let _ = child.wait();
                return Err(ExtractError::Io(e));
            }
        }
        if started.elapsed() >= limits.wall {
            timed_out = true;
            break;
        }
        thread::sleep(Duration::from_millis(10));
    }
    // Whether it finished or not: nothing of the group outlives this call.
    kill_group(pid);
    let status = child.wait()?;
    // A process that left the group (setsid) could keep a pipe open
    // forever; give the readers a moment, then go on without them.
    let grace = Instant::now() + READER_GRACE;
    let collect = |rx: Option<mpsc::Receiver<(Vec<u8>, bool)>>| {
        rx.and_then(|rx| {
            rx.recv_timeout(grace.saturating_duration_since(Instant::now()))
                .ok()
        })
        .unwrap_or_default()
    };
    let (out, out_overflow) = collect(stdout);
    let (err, _) = collect(stderr);

    if timed_out {
        return Err(ExtractError::Timeout {
            seconds: limits.wall.as_secs().max(1),
        });
    }
    let stderr_text = String::from_utf8_lossy(&err);
    if let Some(signal) = status.signal() {
        return Err(match signal {
            // The kernel's answer to a process that outgrew RLIMIT_AS is
            // often a failed allocation turned abort, or a segfault.
            libc::SIGKILL | libc::SIGSEGV => ExtractError::MemoryLimit,
            libc::SIGABRT if stderr_text.contains("memory allocation") => ExtractError::MemoryLimit,
            libc::SIGXCPU => ExtractError::Timeout {
                seconds: limits.cpu_seconds,
            },
            s => ExtractError::ToolFailed(format!(
                "Der Extraktionsprozess ist abgestürzt (Signal {s})."
            )),
        });
    }
    if out_overflow {
        return Err(ExtractError::TooLarge(
            "Die Ausgabe des Extraktionsprozesses war zu groß.".to_owned(),
        ));
    }
    let line = String::from_utf8_lossy(&out);
    let line = line.trim();
    if let Ok(extracted) = serde_json::from_str::<Extracted>(line) {
        return Ok(extracted);
    }
    if let Ok(failure) = serde_json::from_str::<WireFailure>(line) {
        return Err(failure.error.into_error());
    }
    if stderr_text.contains("memory allocation") {
        return Err(ExtractError::MemoryLimit);
    }
    let mut hint = stderr_text.lines().last().unwrap_or("").to_owned();
    crate::plain::cap(&mut hint, 300);
    Err(ExtractError::ToolFailed(format!(
        "Der Extraktionsprozess lieferte kein Ergebnis (Exit-Code {}). {hint}",
        status.code().unwrap_or(-1)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_and_group_are_read_after_the_command_name() {
        assert_eq!(
            state_and_group("4242 (tesseract) R 4200 4100 4100 0 -1"),
            Some(('R', 4100))
        );
        // A command name with spaces and parentheses of its own.
        assert_eq!(
            state_and_group("17 (a) b (c)) Z 1 4100 4100 0"),
            Some(('Z', 4100))
        );
        assert_eq!(state_and_group("garbage"), None);
    }

    #[test]
    fn this_process_group_runs_and_an_unused_one_does_not() {
        // SAFETY: plain syscall without arguments.
        let own = unsafe { libc::getpgrp() };
        assert!(group_runs(own));
        assert!(!group_runs(libc::pid_t::MAX - 1));
    }
}
