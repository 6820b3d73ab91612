//! `bench-memory`: what the release server holds after a day's post arrives
//! through the browser (issue 16).
//!
//! 1. Generates 46 German documents, deterministic by seed: 30 letters as
//!    PDFs with a text layer (1 to 6 pages), 6 scanned letters as PDFs of
//!    JPEG pages (1 to 3 pages, no text layer), and single scans as 5 PNG,
//!    3 JPEG and 2 TIFF files (300 dpi, grey, A4: 2480 × 3508 pixels), so
//!    that OCR, image previews and inline PDFs all take part.
//! 2. Starts `target/release/aktenwerk` on a fresh data directory (demo
//!    accounts, the release bundle from `target/site`), once per variant
//!    (see [`VARIANTS`]): the same binary, with the allocator settings the
//!    server chooses and with the C library's defaults, so the baseline is
//!    measured in the same run.
//! 3. Headless Chromium (`end2end/bench/ingest.mjs`) signs in as a clerk of
//!    Michelstadt, drops all files onto the Posteingang's upload field at
//!    once and waits until every upload answered; the bench waits until
//!    every extraction job finished and the index caught up; the browser then
//!    opens every document (image previews, PDFs inline) and ends on the
//!    Posteingang.
//! 4. Samples the server's RSS every 50 ms from `/proc` and prints, per
//!    variant: after start, peak during the ingest (VmHWM) and steady (10 s
//!    after the last page), with the anonymous part from `smaps_rollup`.
//!
//! Run with `make bench-memory` (release server and bundle are built
//! first). Goal: steady under 150 MiB, peak under 300 MiB.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench::letters::{in_parallel, letter, rasterise, BoxError, Raster};
use bench::process::{browser, free_port, release_build, wait_healthy, wait_processed, Server};

const SEED: u64 = 16;
const CLERK: &str = "sachbearbeitung.mic";
const GOAL_STEADY_MIB: f64 = 150.0;
const GOAL_PEAK_MIB: f64 = 300.0;
/// How long the server is left alone before the steady figure is read.
const SETTLE: Duration = Duration::from_secs(10);

/// One way of starting the same binary: a name and extra environment.
struct Variant {
    name: &'static str,
    env: &'static [(&'static str, &'static str)],
}

/// The server's own choice first, then the baseline: the C library's
/// malloc exactly as it comes (`AKTENWERK_ALLOCATOR=system`).
/// `BENCH_MEMORY_VARIANT=1` runs only the second, `0` only the first.
const VARIANTS: &[Variant] = &[
    Variant {
        name: "Aktenwerk (its allocator settings)",
        env: &[],
    },
    Variant {
        name: "baseline: glibc malloc defaults",
        env: &[("AKTENWERK_ALLOCATOR", "system")],
    },
];

fn main() -> Result<(), BoxError> {
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: debug build; the figures only mean something with `make bench-memory`\n"
        );
    }
    let (root, program, site) = release_build("bench-memory")?;
    let work = tempfile::tempdir()?;
    let files_dir = work.path().join("post");
    std::fs::create_dir(&files_dir)?;
    let started = Instant::now();
    let files = generate(&files_dir)?;
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    println!(
        "Memory benchmark (issue 16): {} files, {:.1} MiB, seed {SEED}, made in {:.1} s; \
         load average {}\n",
        files.len(),
        bytes as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64(),
        bench::load_average()
    );

    let mut rows = Vec::new();
    let only: Option<usize> = std::env::var("BENCH_MEMORY_VARIANT")
        .ok()
        .and_then(|v| v.trim().parse().ok());
    for (number, variant) in VARIANTS.iter().enumerate() {
        if only.is_some_and(|only| only != number) {
            continue;
        }
        let data = work.path().join(format!("data-{number}"));
        let row = run(
            &root,
            &program,
            &site,
            &data,
            &files_dir,
            files.len(),
            variant,
        )?;
        rows.push((variant.name, row));
    }

    println!("| server | after start | peak during ingest | steady after | of it anonymous | documents / OCR'd / previews |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, row) in &rows {
        println!(
            "| {name} | {} | {} | **{}** | {} | {} / {} / {} |",
            mib(row.start),
            mib(row.peak),
            mib(row.steady),
            mib(row.anonymous),
            row.documents,
            row.ocr,
            row.previews,
        );
    }
    if let Some((_, ours)) = rows.first() {
        let steady = ours.steady as f64 / 1024.0;
        let peak = ours.peak as f64 / 1024.0;
        println!(
            "\nGoal: steady under {GOAL_STEADY_MIB:.0} MiB ({}), peak under {GOAL_PEAK_MIB:.0} MiB ({}).",
            if steady < GOAL_STEADY_MIB { "met" } else { "NOT met" },
            if peak < GOAL_PEAK_MIB { "met" } else { "NOT met" },
        );
    }
    println!(
        "RSS of the server process alone (the extraction children come and go); \
         MiB = 2^20 bytes. Whole run {:.0} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

struct Row {
    /// KiB.
    start: u64,
    peak: u64,
    steady: u64,
    anonymous: u64,
    documents: i64,
    ocr: i64,
    previews: u64,
}

fn run(
    root: &Path,
    program: &Path,
    site: &Path,
    data: &Path,
    files_dir: &Path,
    expected: usize,
    variant: &Variant,
) -> Result<Row, BoxError> {
    let port = free_port()?;
    let log = std::fs::File::create(data.with_extension("log"))?;
    // BENCH_MEMORY_WRAP runs the server under a profiler, e.g. `heaptrack`
    // (with AKTENWERK_ALLOCATOR=system, since heaptrack sees only malloc);
    // the RSS figures are then the profiler's process, not the server's.
    let wrapper = std::env::var("BENCH_MEMORY_WRAP").ok();
    let mut command = match wrapper.as_deref().map(str::split_whitespace) {
        Some(mut words) => match words.next() {
            Some(first) => {
                let mut command = Command::new(first);
                command.args(words).arg(program);
                command
            }
            None => Command::new(program),
        },
        None => Command::new(program),
    };
    command
        .env("AKTENWERK_DATA_DIR", data)
        .env("AKTENWERK_LISTEN", format!("127.0.0.1:{port}"))
        .env("AKTENWERK_DEMO", "true")
        .env("AKTENWERK_SITE_ROOT", site)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    for (key, value) in variant.env {
        command.env(key, value);
    }
    let server = Server(command.spawn()?);
    let pid = server.0.id();
    wait_healthy(port, &server)?;
    std::thread::sleep(Duration::from_secs(2));
    let start = status_kib(pid, "VmRSS:")?;

    let peak = Arc::new(AtomicU64::new(start));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (Arc::clone(&peak), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Ok(rss) = status_kib(pid, "VmRSS:") {
                    peak.fetch_max(rss, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };

    let url = format!("http://127.0.0.1:{port}");
    let uploaded = browser(root, &url, ("upload", CLERK), files_dir)?;
    eprintln!("  {}: {uploaded}", variant.name);
    let (documents, ocr) = wait_processed(&data.join("aktenwerk.db"), expected)?;
    let visited = browser(root, &url, ("visit", CLERK), files_dir)?;
    let previews = visited
        .split_whitespace()
        .find_map(|word| word.strip_prefix("previews="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    std::thread::sleep(SETTLE);
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    let steady = status_kib(pid, "VmRSS:")?;
    let hwm = status_kib(pid, "VmHWM:")?;
    let anonymous = rollup_kib(pid, "Anonymous:").unwrap_or(0);
    // BENCH_MEMORY_SMAPS=<dir> keeps the steady state's memory map for a
    // closer look (which regions, how much of each is resident).
    if let Ok(dir) = std::env::var("BENCH_MEMORY_SMAPS") {
        let name = variant.name.split(':').next().unwrap_or("server").trim();
        let target = Path::new(&dir).join(format!("smaps-{}.txt", name.replace(' ', "-")));
        std::fs::copy(format!("/proc/{pid}/smaps"), target)?;
    }
    drop(server);
    Ok(Row {
        start,
        peak: hwm.max(peak.load(Ordering::Relaxed)),
        steady,
        anonymous,
        documents,
        ocr,
        previews,
    })
}

/// The 46 files of a day's post, written into `dir`.
fn generate(dir: &Path) -> Result<Vec<PathBuf>, BoxError> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut number = 0;
    let mut next_letter = |rng: &mut StdRng| {
        number += 1;
        letter(number, rng)
    };
    let mut files = Vec::new();
    for n in 1..=30 {
        let pages: Vec<Vec<String>> = (0..rng.gen_range(1..=6))
            .map(|_| next_letter(&mut rng))
            .collect();
        let path = dir.join(format!("Schreiben-{n:02}.pdf"));
        std::fs::write(&path, bench::pdf::text_pages(&pages))?;
        files.push(path);
    }

    // Scans: one-page letters first, rasterised in parallel.
    let raw = dir.join("raster");
    std::fs::create_dir(&raw)?;
    let mut jobs: Vec<(PathBuf, Raster)> = Vec::new();
    let mut plan: Vec<(String, Raster, usize)> = Vec::new();
    for n in 1..=6 {
        plan.push((
            format!("Scan-{n:02}.pdf"),
            Raster::Jpeg,
            rng.gen_range(1..=3),
        ));
    }
    for (count, format, extension) in [
        (5, Raster::Png, "png"),
        (3, Raster::Jpeg, "jpg"),
        (2, Raster::Tiff, "tif"),
    ] {
        for n in 1..=count {
            plan.push((format!("Foto-{extension}-{n:02}.{extension}"), format, 1));
        }
    }
    for (_, format, pages) in &plan {
        for _ in 0..*pages {
            // No dot but the extension's: `rasterise` replaces it.
            let pdf = raw.join(format!("seite-{:03}.pdf", jobs.len()));
            std::fs::write(&pdf, bench::corpus::pdf::text_pdf(&next_letter(&mut rng)))?;
            jobs.push((pdf, *format));
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let rasters: Vec<PathBuf> = in_parallel(&jobs, cores, |(pdf, format)| rasterise(pdf, *format))
        .into_iter()
        .collect::<Result<_, _>>()?;
    let mut rasters = rasters.into_iter();
    for (name, _, pages) in &plan {
        let mine: Vec<PathBuf> = rasters.by_ref().take(*pages).collect();
        let path = dir.join(name);
        if name.ends_with(".pdf") {
            let jpegs = mine
                .iter()
                .map(std::fs::read)
                .collect::<Result<Vec<_>, _>>()?;
            std::fs::write(&path, bench::pdf::scanned_pages(&jpegs)?)?;
        } else if let Some(first) = mine.first() {
            std::fs::rename(first, &path)?;
        }
        files.push(path);
    }
    std::fs::remove_dir_all(&raw)?;
    Ok(files)
}

/// A `kB` line of `/proc/<pid>/status`.
fn status_kib(pid: u32, key: &str) -> Result<u64, BoxError> {
    proc_kib(&format!("/proc/{pid}/status"), key)
}

fn rollup_kib(pid: u32, key: &str) -> Result<u64, BoxError> {
    proc_kib(&format!("/proc/{pid}/smaps_rollup"), key)
}

fn proc_kib(path: &str, key: &str) -> Result<u64, BoxError> {
    let text = std::fs::read_to_string(path)?;
    text.lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("{key} not in {path}").into())
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}
