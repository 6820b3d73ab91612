//! `bench-ocr`: OCR throughput of the job system (issue 5).
//!
//! N scanned pages (default 24) are made deterministically: a German letter
//! from a municipality, different on every page, written as a one-page PDF
//! and rasterised by `pdftoppm -r 300 -gray -png` into a PNG without a text
//! layer. Then, in the same run:
//!
//! - the baseline: plain `tesseract <png> stdout -l deu` over all pages, as
//!   many processes at a time as there are cores, each with
//!   `OMP_THREAD_LIMIT=1` (the faster of a run before and one after the job
//!   system counts, which is the stricter comparison);
//! - the job system: a real `AppState` and router on a fresh data
//!   directory, every PNG uploaded through `POST /dokumente/hochladen` as a
//!   clerk, then `server::background::start` with one worker per core and
//!   the production extractor (the release `aktenwerk extract` child next
//!   to this binary), timed from start until every job is `done`.
//!
//! The goal is a ratio of job system to baseline of at least 0.9. A short
//! informational run of Tesseract with its default threading, one page
//! after the other, is shown for context.
//!
//! Run with `make bench-ocr` (or `scripts/bench-ocr.sh [pages]`); the page
//! count also comes from `BENCH_OCR_PAGES`.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tower::ServiceExt;

use bench::letters::{generate_scans, in_parallel};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const DEFAULT_PAGES: usize = 24;
/// Fixed, so that every run OCRs the same letters.
const SEED: u64 = 5;
/// The goal of issue 5: job system pages/min over baseline pages/min.
const GOAL_RATIO: f64 = 0.9;
const USER: &str = "sachbearbeitung.mic";
const ORIGIN: &str = "http://aktenwerk.test";
const HOST: &str = "aktenwerk.test";
/// On every page three times; every OCR text must contain it.
const KNOWN_WORD: &str = "Michelstadt";
/// Pages OCR'd in the informational run with Tesseract's own threading.
const THREADED_SAMPLE: usize = 6;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    if cfg!(debug_assertions) {
        eprintln!("warning: debug build; the figures only mean something with `make bench-ocr`\n");
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
        .try_init()?;
    let pages = page_count()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let program = aktenwerk_binary()?;
    let started = Instant::now();

    let files = tempfile::tempdir()?;
    let scans = generate_scans(files.path(), pages, cores, SEED)?;
    let scan_bytes: u64 = scans
        .iter()
        .map(|scan| std::fs::metadata(scan).map_or(0, |m| m.len()))
        .sum();
    println!(
        "OCR benchmark (issue 5): {pages} pages, {cores} cores, load average before {}",
        bench::load_average()
    );
    println!(
        "Scans: German letters (seed {SEED}) as PDF, rasterised by `pdftoppm -r 300 -gray -png` \
         (2480 × 3508 px, {:.1} MiB in all), made in {} s before any timing.\n",
        scan_bytes as f64 / 1_048_576.0,
        secs(started.elapsed())
    );

    let baseline_first = baseline(&scans, cores)?;
    let (job, upload) = job_system(&scans, &program, cores).await?;
    let baseline_second = baseline(&scans, cores)?;
    let threaded = threaded_sample(&scans)?;

    let baseline_best = if baseline_first.elapsed <= baseline_second.elapsed {
        &baseline_first
    } else {
        &baseline_second
    };
    let per_min = |elapsed: Duration, n: usize| n as f64 * 60.0 / elapsed.as_secs_f64();
    let base_rate = per_min(baseline_best.elapsed, pages);
    let job_rate = per_min(job.elapsed, pages);
    let ratio = job_rate / base_rate;

    println!("| {pages} pages, {cores} cores | Wall s | Pages/min | Ratio to baseline | Mean s per page (one process) | CPU s per page | Max / mean parallel tesseract |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (label, run) in [
        (
            format!(
                "Baseline: `tesseract … -l deu`, {cores} at a time, OMP_THREAD_LIMIT=1, \
                 faster of 2 runs ({} s, {} s)",
                secs(baseline_first.elapsed),
                secs(baseline_second.elapsed)
            ),
            baseline_best,
        ),
        (
            format!("**Job system**: {cores} workers, `aktenwerk extract` child per page"),
            &job,
        ),
    ] {
        println!(
            "| {label} | {} | {:.1} | {} | {} | {} | {} / {:.2} |",
            secs(run.elapsed),
            per_min(run.elapsed, pages),
            if std::ptr::eq(run, &job) {
                format!("**{ratio:.2}**")
            } else {
                "1.00".into()
            },
            run.mean_per_page
                .map_or_else(|| "–".into(), |(mean, note)| format!("{mean:.2}{note}")),
            run.cpu_per_page(pages),
            run.parallel.max,
            run.parallel.mean,
        );
    }
    {
        let run = &threaded;
        println!(
            "| Context: `tesseract` with its default threading, one page after the other \
             (first {} pages only) | {} | {:.1} | {:.2} | {} | {} | {} / {:.2} |",
            run.pages,
            secs(run.elapsed),
            per_min(run.elapsed, run.pages),
            per_min(run.elapsed, run.pages) / base_rate,
            run.mean_per_page
                .map_or_else(|| "–".into(), |(mean, _)| format!("{mean:.2}")),
            run.cpu_per_page(run.pages),
            run.parallel.max,
            run.parallel.mean,
        );
    }
    println!(
        "\nGoal: job system at least {GOAL_RATIO:.1} × baseline: {} (ratio {ratio:.2}).",
        if ratio >= GOAL_RATIO {
            "met"
        } else {
            "NOT met"
        }
    );
    println!(
        "Job system check: {} jobs done, SUM(ocr_pages) = {}, texts containing „{KNOWN_WORD}“: \
         {} of {pages} (baseline texts: {} of {pages}).",
        job.jobs_done, job.ocr_pages, job.with_word, baseline_best.with_word
    );
    println!(
        "Upload of the {pages} PNGs through the router before the timed phase: {} s \
         ({:.0} ms per upload).",
        secs(upload),
        upload.as_secs_f64() * 1000.0 / pages as f64
    );
    println!(
        "Max parallel tesseract: {} during the job system (sampled every 100 ms from \
         /proc/*/comm, descendants of this process only; mean {:.2}).",
        job.parallel.max, job.parallel.mean
    );
    let memory = memory_note();
    println!("Memory: {memory}.");
    for (label, run) in [("baseline", baseline_best), ("job system", &job)] {
        if let Some(note) = run.disturbance(cores) {
            println!("Note ({label}): {note}");
        }
    }
    println!("Whole run: {} s.", secs(started.elapsed()));

    let ok = job.ocr_pages == pages as i64 && job.with_word == pages && job.jobs_done == pages;
    if !ok {
        return Err("the job system did not OCR every page (see the check above)".into());
    }
    Ok(())
}

fn page_count() -> Result<usize, BoxError> {
    let raw = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("BENCH_OCR_PAGES").ok());
    match raw {
        None => Ok(DEFAULT_PAGES),
        Some(raw) => match raw.trim().parse::<usize>() {
            Ok(n) if (1..=2000).contains(&n) => Ok(n),
            _ => Err(format!("page count „{raw}“: expected a number from 1 to 2000").into()),
        },
    }
}

/// The release `aktenwerk` next to this binary: a debug bench would
/// otherwise time a different child than production runs.
fn aktenwerk_binary() -> Result<PathBuf, BoxError> {
    let exe = std::env::current_exe()?;
    let binary = exe
        .parent()
        .ok_or("the benchmark binary has no directory")?
        .join("aktenwerk");
    if !binary.exists() {
        return Err(format!(
            "{} is missing; build it with `cargo build --release -p server --bin aktenwerk`",
            binary.display()
        )
        .into());
    }
    Ok(binary)
}

// ------------------------------------------------------------- baseline

/// One timed phase.
struct Run {
    pages: usize,
    elapsed: Duration,
    /// Mean wall seconds of one page in one process, and a note on precision.
    mean_per_page: Option<(f64, &'static str)>,
    cpu: CpuUse,
    parallel: Parallel,
    with_word: usize,
    jobs_done: usize,
    ocr_pages: i64,
}

impl Run {
    fn cpu_per_page(&self, pages: usize) -> String {
        format!("{:.2}", self.cpu.children.as_secs_f64() / pages as f64)
    }

    fn disturbance(&self, cores: usize) -> Option<String> {
        let capacity = self.cpu.wall.as_secs_f64() * cores as f64;
        let lost = (self.cpu.others + self.cpu.steal).as_secs_f64();
        (lost > 0.05 * capacity).then(|| {
            format!(
                "other processes took {} s and the hypervisor {} s of the {:.0} CPU-seconds \
                 available; the figures are disturbed.",
                secs(self.cpu.others),
                secs(self.cpu.steal),
                capacity
            )
        })
    }
}

/// `tesseract <png> stdout -l deu`, as the extraction child runs it.
fn tesseract(scan: &Path, one_thread: bool) -> Result<(String, Duration), BoxError> {
    let mut command = Command::new("tesseract");
    command.arg(scan).args(["stdout", "-l", "deu"]);
    if one_thread {
        command.env("OMP_THREAD_LIMIT", "1");
    } else {
        command.env_remove("OMP_THREAD_LIMIT");
    }
    let started = Instant::now();
    let output = command.stdin(Stdio::null()).output()?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "tesseract {}: {}",
            scan.display(),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok((
        String::from_utf8_lossy(&output.stdout).into_owned(),
        elapsed,
    ))
}

fn baseline(scans: &[PathBuf], cores: usize) -> Result<Run, BoxError> {
    let sampler = Sampler::start();
    let before = CpuTime::now();
    let started = Instant::now();
    let results = in_parallel(scans, cores, |scan| tesseract(scan, true));
    let elapsed = started.elapsed();
    let cpu = CpuTime::now().since(&before);
    let parallel = sampler.stop();
    let mut with_word = 0;
    let mut total = Duration::ZERO;
    for result in results {
        let (text, took) = result?;
        with_word += usize::from(text.contains(KNOWN_WORD));
        total += took;
    }
    Ok(Run {
        pages: scans.len(),
        elapsed,
        mean_per_page: Some((total.as_secs_f64() / scans.len() as f64, "")),
        cpu,
        parallel,
        with_word,
        jobs_done: 0,
        ocr_pages: 0,
    })
}

/// Tesseract's default threading, one page after the other, on the first
/// few pages only: context, not the goal's baseline.
fn threaded_sample(scans: &[PathBuf]) -> Result<Run, BoxError> {
    let sample = &scans[..scans.len().min(THREADED_SAMPLE)];
    let sampler = Sampler::start();
    let before = CpuTime::now();
    let started = Instant::now();
    let mut total = Duration::ZERO;
    let mut with_word = 0;
    for scan in sample {
        let (text, took) = tesseract(scan, false)?;
        with_word += usize::from(text.contains(KNOWN_WORD));
        total += took;
    }
    let elapsed = started.elapsed();
    let cpu = CpuTime::now().since(&before);
    Ok(Run {
        pages: sample.len(),
        elapsed,
        mean_per_page: Some((total.as_secs_f64() / sample.len() as f64, "")),
        cpu,
        parallel: sampler.stop(),
        with_word,
        jobs_done: 0,
        ocr_pages: 0,
    })
}

// ----------------------------------------------------------- job system

/// The real router on a fresh data directory in demo mode.
struct Site {
    router: Router,
    state: app::state::AppState,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Site {
    async fn new() -> Result<Site, BoxError> {
        let (dir, state, router) = bench::harness::demo_server()
            .await
            .map_err(|error| error.to_string())?;
        Ok(Site {
            router,
            state,
            _dir: dir,
        })
    }

    async fn send(&self, request: Request<Body>) -> Result<Reply, BoxError> {
        let response = self.router.clone().oneshot(request).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await?.to_bytes();
        Ok(Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    /// The clerk's session cookie, through the real login form.
    async fn login(&self) -> Result<String, BoxError> {
        let form = format!(
            "benutzername={USER}&passwort={}",
            app::users::bootstrap::DEMO_PASSWORD
        );
        let request = Request::post("/anmelden")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))?;
        let reply = self.send(request).await?;
        reply
            .headers
            .get(header::SET_COOKIE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .filter(|pair| !pair.ends_with('='))
            .map(str::to_string)
            .ok_or_else(|| format!("login answered {} without a session", reply.status).into())
    }

    async fn upload(&self, cookie: &str, scan: &Path) -> Result<(), BoxError> {
        let bytes = std::fs::read(scan)?;
        let name = scan
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or("scan without a name")?;
        let request = Request::post(format!("/dokumente/hochladen?name={name}"))
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_LENGTH, bytes.len())
            .body(Body::from(bytes))?;
        let reply = self.send(request).await?;
        if reply.status != StatusCode::CREATED {
            return Err(format!(
                "{name}: answered {} instead of 201: {}",
                reply.status, reply.body
            )
            .into());
        }
        Ok(())
    }

    async fn scalar(&self, sql: &str) -> Result<i64, BoxError> {
        Ok(sqlx::query_scalar(sql).fetch_one(&self.state.pool).await?)
    }
}

/// Uploads every scan (untimed for the rate), then times the workers from
/// start until every job is settled. Returns the run and the upload time.
async fn job_system(
    scans: &[PathBuf],
    program: &Path,
    cores: usize,
) -> Result<(Run, Duration), BoxError> {
    let site = Site::new().await?;
    let cookie = site.login().await?;
    let upload_started = Instant::now();
    for scan in scans {
        site.upload(&cookie, scan).await?;
    }
    let upload = upload_started.elapsed();
    let pending_sql = "SELECT COUNT(*) FROM jobs WHERE kind = 'process_version' \
                       AND status IN ('pending', 'running')";
    let queued = site.scalar(pending_sql).await?;
    if queued != scans.len() as i64 {
        return Err(format!("{} uploads queued {queued} jobs", scans.len()).into());
    }

    let extractor = server::background::Extractor {
        program: program.to_path_buf(),
        args: vec!["extract".into()],
        limits: extract::Limits::default(),
    };
    let sampler = Sampler::start();
    let before = CpuTime::now();
    let started = Instant::now();
    let background = server::background::start(
        &site.state,
        extractor,
        cores,
        server::background::Intervals::BY_HAND,
    );
    // Generous: a stuck job must end the bench, not hang it.
    let deadline = started + Duration::from_secs(120 + 120 * scans.len() as u64);
    loop {
        if site.scalar(pending_sql).await? == 0 {
            break;
        }
        if Instant::now() > deadline {
            background.stop();
            return Err("the jobs did not finish in time".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = started.elapsed();
    let cpu = CpuTime::now().since(&before);
    let parallel = sampler.stop();
    background.stop();

    let failed: Vec<(i64, Option<String>)> =
        sqlx::query_as("SELECT id, last_error FROM jobs WHERE status = 'failed'")
            .fetch_all(&site.state.pool)
            .await?;
    for (id, error) in &failed {
        eprintln!("job {id} failed: {}", error.as_deref().unwrap_or("?"));
    }
    let jobs_done = site
        .scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'process_version' AND status = 'done'")
        .await?;
    let ocr_pages = site
        .scalar("SELECT COALESCE(SUM(ocr_pages), 0) FROM version_texts")
        .await?;
    let with_word: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM version_texts WHERE instr(text, ?) > 0")
            .bind(KNOWN_WORD)
            .fetch_one(&site.state.pool)
            .await?;
    // Whole seconds in the jobs table: a rough mean, hence the note.
    let mean: Option<f64> =
        sqlx::query_scalar("SELECT AVG(finished_at - started_at) FROM jobs WHERE status = 'done'")
            .fetch_one(&site.state.pool)
            .await?;
    site.state.pool.close().await;
    Ok((
        Run {
            pages: scans.len(),
            elapsed,
            mean_per_page: mean.map(|mean| (mean, " (±1 s, from the jobs table)")),
            cpu,
            parallel,
            with_word: usize::try_from(with_word).unwrap_or(0),
            jobs_done: usize::try_from(jobs_done).unwrap_or(0),
            ocr_pages,
        },
        upload,
    ))
}

// ------------------------------------------------------------ measuring

/// How many `tesseract` processes below this one ran at once.
struct Parallel {
    max: usize,
    mean: f64,
}

/// Counts this process's `tesseract` descendants every 100 ms on a thread.
struct Sampler {
    stop: std::sync::Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Parallel>,
}

impl Sampler {
    fn start() -> Sampler {
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let me = std::process::id();
            let (mut max, mut sum, mut samples) = (0, 0, 0usize);
            while !flag.load(Ordering::Relaxed) {
                let running = count_tesseracts(me);
                max = max.max(running);
                sum += running;
                samples += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            Parallel {
                max,
                mean: sum as f64 / samples.max(1) as f64,
            }
        });
        Sampler { stop, thread }
    }

    fn stop(self) -> Parallel {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or(Parallel { max: 0, mean: 0.0 })
    }
}

/// Other sessions on a shared machine may run Tesseract too; only our own
/// descendants count.
fn count_tesseracts(me: u32) -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|comm| comm.trim() == "tesseract")
        })
        .filter(|&pid| descends_from(pid, me))
        .count()
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name, which may contain spaces: state, then ppid.
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn descends_from(mut pid: u32, ancestor: u32) -> bool {
    for _ in 0..16 {
        match parent_of(pid) {
            Some(parent) if parent == ancestor => return true,
            Some(parent) if parent > 1 => pid = parent,
            _ => return false,
        }
    }
    false
}

/// Ticks of `/proc/stat` and `/proc/self/stat`; USER_HZ is 100 on Linux.
const TICKS_PER_SECOND: f64 = 100.0;

/// CPU use: all CPUs' user and steal time, this process's own and that of
/// its waited-for descendants (tesseract; the extraction child with the
/// tesseract it started).
struct CpuTime {
    at: Instant,
    all_user: u64,
    steal: u64,
    own_user: u64,
    children: u64,
}

#[derive(Default)]
struct CpuUse {
    wall: Duration,
    children: Duration,
    others: Duration,
    steal: Duration,
}

impl CpuTime {
    fn now() -> Option<CpuTime> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let cpu: Vec<u64> = stat
            .lines()
            .next()?
            .split_whitespace()
            .skip(1)
            .map(|n| n.parse().unwrap_or(0))
            .collect();
        let own = std::fs::read_to_string("/proc/self/stat").ok()?;
        // utime, stime, cutime, cstime are fields 14–17, the 12th to 15th
        // after the command name.
        let own: Vec<u64> = own
            .rsplit_once(')')?
            .1
            .split_whitespace()
            .skip(11)
            .take(4)
            .map(|n| n.parse().unwrap_or(0))
            .collect();
        Some(CpuTime {
            at: Instant::now(),
            all_user: cpu.first()? + cpu.get(1)?,
            steal: *cpu.get(7)?,
            own_user: own.first()? + own.get(2)?,
            children: own.get(2)? + own.get(3)?,
        })
    }
}

trait Since {
    fn since(self, before: &Option<CpuTime>) -> CpuUse;
}

impl Since for Option<CpuTime> {
    /// Only user time is compared for the others: kernel work for our own
    /// processes is system time no process is charged with.
    fn since(self, before: &Option<CpuTime>) -> CpuUse {
        let (Some(after), Some(before)) = (self, before) else {
            return CpuUse::default();
        };
        let ticks = |n: u64| Duration::from_secs_f64(n as f64 / TICKS_PER_SECOND);
        let all_user = after.all_user.saturating_sub(before.all_user);
        let own_user = after.own_user.saturating_sub(before.own_user);
        CpuUse {
            wall: after.at.duration_since(before.at),
            children: ticks(after.children.saturating_sub(before.children)),
            others: ticks(all_user.saturating_sub(own_user)),
            steal: ticks(after.steal.saturating_sub(before.steal)),
        }
    }
}

/// Peak resident set of this process: the router, database, index and
/// workers run in it. The children's `ru_maxrss` would mislead here: a
/// forked child starts with the parent's resident pages and keeps that
/// high-water mark across `exec`, so it reports at least this figure.
fn memory_note() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .map(|rest| rest.trim().trim_end_matches("kB").trim().to_string())
        })
        .and_then(|kib| kib.parse::<u64>().ok())
        .map_or_else(
            || "peak RSS of the bench process unknown".into(),
            |kib| {
                format!(
                    "peak RSS of the bench process (VmHWM; router, database, index and \
                     workers run in it) {:.0} MiB",
                    kib as f64 / 1024.0
                )
            },
        )
}

fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}
