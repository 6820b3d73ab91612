//! `bench-upload`: upload throughput and server memory (issue 4).
//!
//! 1 GiB of PDFs between 1 and 50 MiB is uploaded over HTTP on loopback to
//! a real `aktenwerk` process, next to `cat … | sha256sum` of the same files
//! measured in the same run as the floor; the goal is an upload rate of at
//! least half the floor. Then 200 small PDFs are uploaded by 20 concurrent
//! clients, for documents per second and the server's peak memory.
//!
//! Two more rows are context, not the goal's baseline: `openssl dgst`,
//! because coreutils' `sha256sum` hashes in software while the server uses
//! the CPU's SHA instructions, and a copy with fsync per file, because the
//! server makes every upload durable before it answers, so the disk may be
//! what limits it.
//!
//! Run with `make bench-upload` (or `scripts/bench-upload.sh`), which builds
//! `target/release/aktenwerk` first: the server is started from the
//! directory this program runs from, so a debug bench would time a debug
//! server.
//!
//! The HTTP client is a few lines on `tokio::net::TcpStream` rather than a
//! client crate: it streams each file from disk in 256 KiB chunks, as a
//! browser does, and adds no dependency for a benchmark.

use app::documents::blobs::BlobStore;
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const LARGE_TOTAL: u64 = 1024 * MIB;
const LARGE_MIN: u64 = MIB;
const LARGE_MAX: u64 = 50 * MIB;
const SMALL_COUNT: usize = 200;
const SMALL_MIN: u64 = 20 * KIB;
const SMALL_MAX: u64 = 200 * KIB;
const CLIENTS: usize = 20;
const CHUNK: usize = 256 * 1024;
/// Fixed, so that every run uploads the same sizes.
const SEED: u64 = 4;
/// The goal of issue 4: upload rate over floor rate.
const GOAL_RATIO: f64 = 0.5;
const USER: &str = "sachbearbeitung.mic";
const PDF_HEAD: &[u8] = b"%PDF-1.4\n%";
const PDF_TAIL: &[u8] = b"\n%%EOF\n";

// A current-thread runtime keeps the client on one core, leaving the other
// to the server, as a browser on another machine would.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: debug build of bench and server; the figures only mean \
             something with `make bench-upload`\n"
        );
    }
    let started = Instant::now();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let files_dir = tempfile::tempdir()?;
    let mut rng = StdRng::seed_from_u64(SEED);

    let large = generate_large(files_dir.path(), &mut rng)?;
    let small = generate_small(files_dir.path(), &mut rng)?;
    let small_total: u64 = small.iter().map(|f| f.size).sum();
    // Both contenders read from the page cache: dropping it needs root.
    warm(&large)?;
    warm(&small)?;

    let cpu_before = CpuTime::now();
    let mut server = Server::start()?;
    server.wait_until_healthy().await?;
    let cookie = server.login().await?;
    let at_start = server.memory()?;

    println!(
        "Upload benchmark (issue 4): {cpus} CPUs, loopback, load average before {}",
        bench::load_average()
    );
    println!(
        "Large files: {} PDFs, {} total, {}–{} each (seed {SEED}); \
         small files: {SMALL_COUNT} PDFs, {} total",
        large.len(),
        mib(LARGE_TOTAL),
        mib(large.iter().map(|f| f.size).min().unwrap_or(0)),
        mib(large.iter().map(|f| f.size).max().unwrap_or(0)),
        mib(small_total),
    );
    println!(
        "Every file was read once before timing, so the floor and the upload \
         both read from the page cache (dropping it needs root).\n"
    );

    let floor_first = pipeline(&large, SHA256SUM)?;
    let openssl_first = pipeline(&large, OPENSSL).ok();
    let peak_reset = server.reset_peak();
    let upload = upload_sequential(&server, &cookie, &large).await?;
    let after_large = server.memory()?;
    // Again after the upload, so that a disturbance of one run does not
    // decide the baseline; the faster run counts, which is the stricter.
    let floor_second = pipeline(&large, SHA256SUM)?;
    let openssl_second = pipeline(&large, OPENSSL).ok();
    let copy = copy_and_sync(&large, server.data_dir())?;

    server.reset_peak();
    let concurrent = upload_concurrent(&server, &cookie, &small).await?;
    let after_concurrent = server.memory()?;

    check_stored(&server, large.iter().chain(&small))?;
    drop(server);
    let cpu = cpu_before.and_then(|before| Some(CpuTime::now()?.since(&before)));

    let upload_rate = rate(LARGE_TOTAL, upload.elapsed);
    let floor_best = floor_first.min(floor_second);
    let ratio = upload_rate / rate(LARGE_TOTAL, floor_best);
    let row = |what: &str, elapsed: Duration, versus: String| {
        println!(
            "| {what} | {} | {:.0} | {versus} |",
            secs(elapsed),
            rate(LARGE_TOTAL, elapsed)
        );
    };
    let versus = |elapsed: Duration| format!("{:.2}", upload_rate / rate(LARGE_TOTAL, elapsed));
    println!(
        "| 1 GiB in {} files (MiB = 2^20 bytes) | Seconds | MiB/s | Upload ÷ this |",
        large.len()
    );
    println!("|---|---:|---:|---:|");
    row(
        &format!(
            "Floor (the goal's baseline): `cat … \\| sha256sum`, faster of 2 runs ({} s, {} s)",
            secs(floor_first),
            secs(floor_second)
        ),
        floor_best,
        format!("**{ratio:.2}**"),
    );
    row(
        &format!(
            "**Upload** over HTTP, files in sequence, {}",
            upload.connections_label()
        ),
        upload.elapsed,
        "1.00".into(),
    );
    match (openssl_first, openssl_second) {
        (Some(first), Some(second)) => row(
            &format!(
                "Context: `cat … \\| openssl dgst -sha256` (hardware SHA-256), faster of 2 runs ({} s, {} s)",
                secs(first),
                secs(second)
            ),
            first.min(second),
            versus(first.min(second)),
        ),
        _ => println!("| Context: `openssl` not available, row skipped | | | |"),
    }
    row(
        "Context: copy each file on the same disk and fsync it (disk write)",
        copy,
        versus(copy),
    );
    println!(
        "\nGoal: upload at least {GOAL_RATIO:.1} × floor: {} (ratio {ratio:.2}).",
        if ratio >= GOAL_RATIO {
            "met"
        } else {
            "NOT met"
        }
    );

    let latencies = Stats::of(concurrent.latencies.clone());
    println!(
        "\n{SMALL_COUNT} small PDFs ({} total) by {CLIENTS} concurrent clients, one \
         connection each: {} s, **{:.0} documents/s** ({:.1} MiB/s); per upload \
         median {} ms, p95 {} ms, max {} ms.",
        mib(small_total),
        secs(concurrent.elapsed),
        SMALL_COUNT as f64 / concurrent.elapsed.as_secs_f64(),
        rate(small_total, concurrent.elapsed),
        ms(latencies.median),
        ms(latencies.p95),
        ms(latencies.max),
    );

    let peak_note = if peak_reset {
        "peak reset before each phase via /proc/<pid>/clear_refs"
    } else {
        "peak NOT resettable here, so each peak includes the phases before it"
    };
    println!("\nServer memory (VmRSS now, VmHWM = peak resident set; {peak_note}):");
    println!("| Moment | RSS | Peak RSS in the phase |");
    println!("|---|---:|---:|");
    println!(
        "| Started, logged in | {} | {} (start-up) |",
        mib_kib(at_start.rss_kib),
        mib_kib(at_start.hwm_kib)
    );
    println!(
        "| After the 1 GiB sequential upload | {} | {} |",
        mib_kib(after_large.rss_kib),
        mib_kib(after_large.hwm_kib)
    );
    println!(
        "| After {SMALL_COUNT} uploads by {CLIENTS} clients | {} | {} |",
        mib_kib(after_concurrent.rss_kib),
        mib_kib(after_concurrent.hwm_kib)
    );
    println!(
        "\nAll {} uploads answered 201 and every file is in the blob store with its size. \
         Whole run: {} s.",
        large.len() + small.len(),
        secs(started.elapsed())
    );
    match cpu {
        Some(cpu) => {
            println!(
                "CPU time from server start to stop ({} s wall × {cpus} CPUs): this bench, \
                 the server and the tools {} s; other processes {} s (user time); \
                 taken by the hypervisor (steal) {} s.",
                secs(cpu.wall),
                secs(cpu.own),
                secs(cpu.others),
                secs(cpu.steal),
            );
            let capacity = cpu.wall.as_secs_f64() * cpus as f64;
            if (cpu.others + cpu.steal).as_secs_f64() > 0.05 * capacity {
                println!(
                    "Note: other processes or the hypervisor took more than 5 % of the \
                     CPU during the run; the figures are disturbed."
                );
            }
        }
        None => println!("CPU accounting unavailable (no /proc/stat)."),
    }
    Ok(())
}

/// One test file on disk.
struct TestFile {
    path: PathBuf,
    name: String,
    size: u64,
    sha256: String,
}

/// Sizes drawn between 1 and 50 MiB until exactly 1 GiB; the last one is
/// what remains, which the draw keeps within the same bounds.
fn generate_large(dir: &Path, rng: &mut StdRng) -> Result<Vec<TestFile>, BoxError> {
    let mut files = Vec::new();
    let mut remaining = LARGE_TOTAL;
    while remaining > 0 {
        let size = if remaining <= LARGE_MAX {
            remaining
        } else {
            rng.gen_range(LARGE_MIN..=LARGE_MAX.min(remaining - LARGE_MIN))
        };
        let name = format!("gross-{:03}.pdf", files.len() + 1);
        files.push(write_pdf(dir, name, size, rng)?);
        remaining -= size;
    }
    Ok(files)
}

fn generate_small(dir: &Path, rng: &mut StdRng) -> Result<Vec<TestFile>, BoxError> {
    (1..=SMALL_COUNT)
        .map(|n| {
            let size = rng.gen_range(SMALL_MIN..=SMALL_MAX);
            write_pdf(dir, format!("klein-{n:03}.pdf"), size, rng)
        })
        .collect()
}

/// A PDF header, random bytes that neither compress nor repeat (every
/// upload must be new content, or the server answers 409), and a trailer.
/// The server decides the type from the header alone.
fn write_pdf(dir: &Path, name: String, size: u64, rng: &mut StdRng) -> Result<TestFile, BoxError> {
    let path = dir.join(&name);
    let mut file = std::fs::File::create(&path)?;
    let mut hasher = Sha256::new();
    let mut put = |bytes: &[u8]| -> std::io::Result<()> {
        hasher.update(bytes);
        file.write_all(bytes)
    };
    put(PDF_HEAD)?;
    let mut left = size - (PDF_HEAD.len() + PDF_TAIL.len()) as u64;
    let mut buffer = vec![0u8; MIB as usize];
    while left > 0 {
        let take = left.min(MIB) as usize;
        rng.fill_bytes(&mut buffer[..take]);
        put(&buffer[..take])?;
        left -= take as u64;
    }
    put(PDF_TAIL)?;
    // Written back now, so that no flush of test data competes with the
    // server's writes during the timed phases.
    file.sync_all()?;
    Ok(TestFile {
        path,
        name,
        size,
        sha256: hex::encode(hasher.finalize()),
    })
}

fn warm(files: &[TestFile]) -> Result<(), BoxError> {
    let mut buffer = vec![0u8; MIB as usize];
    for file in files {
        let mut reader = std::fs::File::open(&file.path)?;
        while reader.read(&mut buffer)? > 0 {}
    }
    Ok(())
}

/// The floor the issue names: the real tools, one pipeline over all files.
const SHA256SUM: &str = "sha256sum";
/// Coreutils hashes in software; OpenSSL uses the CPU's SHA instructions,
/// as the server's `sha2` crate does.
const OPENSSL: &str = "openssl dgst -sha256";

fn pipeline(files: &[TestFile], hash: &str) -> Result<Duration, BoxError> {
    let started = Instant::now();
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!(r#"cat "$@" | {hash}"#))
        .arg("sh")
        .args(files.iter().map(|f| &f.path))
        .output()?;
    let elapsed = started.elapsed();
    // `sh` reports only the status of the hash; a failing `cat` shows up
    // on stderr.
    if !output.status.success() || !output.stderr.is_empty() || output.stdout.len() < 64 {
        return Err(format!(
            "cat | {hash} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(elapsed)
}

/// What the disk allows for writes the way the blob store makes them
/// durable, to tell a slow disk from a slow server.
fn copy_and_sync(files: &[TestFile], dir: &Path) -> Result<Duration, BoxError> {
    let target = dir.join("copy-floor");
    std::fs::create_dir_all(&target)?;
    let started = Instant::now();
    for file in files {
        let copy = target.join(&file.name);
        std::fs::copy(&file.path, &copy)?;
        std::fs::File::open(&copy)?.sync_all()?;
    }
    let elapsed = started.elapsed();
    std::fs::remove_dir_all(&target)?;
    Ok(elapsed)
}

/// `aktenwerk` as a child process on a fresh data directory in demo mode.
struct Server {
    child: Child,
    addr: SocketAddr,
    data: tempfile::TempDir,
}

#[derive(Clone, Copy)]
struct Memory {
    rss_kib: u64,
    hwm_kib: u64,
}

impl Server {
    fn start() -> Result<Server, BoxError> {
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
        // The port is free now; the tiny race with other programs is
        // acceptable for a benchmark.
        let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let data = tempfile::tempdir()?;
        let log = std::fs::File::create(data.path().join("server.log"))?;
        let mut command = Command::new(&binary);
        // Settings from the caller's shell would make runs incomparable.
        for (name, _) in std::env::vars() {
            if name.starts_with("AKTENWERK_") || name.starts_with("LEPTOS_") {
                command.env_remove(name);
            }
        }
        let child = command
            .env("AKTENWERK_DATA_DIR", data.path())
            .env("AKTENWERK_LISTEN", addr.to_string())
            .env("AKTENWERK_PUBLIC_URL", format!("http://{addr}"))
            .env("AKTENWERK_DEMO", "true")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()?;
        Ok(Server { child, addr, data })
    }

    fn data_dir(&self) -> &Path {
        self.data.path()
    }

    fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.data.path().join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    async fn wait_until_healthy(&mut self) -> Result<(), BoxError> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Err(format!("aktenwerk exited ({status}):\n{}", self.log_tail()).into());
            }
            if let Ok(mut connection) = Connection::open(self.addr).await {
                let head = format!(
                    "GET /healthz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                    self.addr
                );
                if connection.send(&head, b"").await.is_ok()
                    && connection
                        .read_answer()
                        .await
                        .is_ok_and(|answer| answer.status == 200)
                {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(format!("aktenwerk did not get healthy:\n{}", self.log_tail()).into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The `Cookie` header value of a fresh session.
    async fn login(&self) -> Result<String, BoxError> {
        let body = format!(
            "benutzername={USER}&passwort={}",
            app::users::bootstrap::DEMO_PASSWORD
        );
        let head = format!(
            "POST /anmelden HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            self.addr,
            self.origin(),
            body.len()
        );
        let mut connection = Connection::open(self.addr).await?;
        connection.send(&head, body.as_bytes()).await?;
        let answer = connection.read_answer().await?;
        if answer.status != 200 {
            return Err(format!("login answered {}: {}", answer.status, answer.text()).into());
        }
        let cookie = answer
            .header("set-cookie")
            .and_then(|value| value.split(';').next())
            .ok_or("login set no cookie")?;
        Ok(cookie.to_string())
    }

    fn memory(&self) -> Result<Memory, BoxError> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let field = |name: &str| -> Result<u64, BoxError> {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
                .ok_or_else(|| format!("{name} missing in /proc/<pid>/status").into())
        };
        Ok(Memory {
            rss_kib: field("VmRSS:")?,
            hwm_kib: field("VmHWM:")?,
        })
    }

    /// Resets VmHWM to the current RSS, so the next reading is the peak
    /// of one phase rather than of the whole life of the process.
    fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5").is_ok()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The data directory is thrown away, so a graceful stop buys nothing.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Sequential {
    elapsed: Duration,
    connections: usize,
}

impl Sequential {
    fn connections_label(&self) -> String {
        if self.connections == 1 {
            "one keep-alive connection".into()
        } else {
            format!("{} connections (server closed some)", self.connections)
        }
    }
}

/// One file after the other over one keep-alive connection, as a browser
/// uploading a folder does.
async fn upload_sequential(
    server: &Server,
    cookie: &str,
    files: &[TestFile],
) -> Result<Sequential, BoxError> {
    let mut buffer = vec![0u8; CHUNK];
    let mut ids = HashSet::new();
    let started = Instant::now();
    let mut connection = Connection::open(server.addr).await?;
    let mut connections = 1;
    for file in files {
        if connection.closed {
            connection = Connection::open(server.addr).await?;
            connections += 1;
        }
        ids.insert(upload_one(&mut connection, server, cookie, file, &mut buffer).await?);
    }
    let elapsed = started.elapsed();
    if ids.len() != files.len() {
        return Err(format!(
            "{} files sent, {} documents created",
            files.len(),
            ids.len()
        )
        .into());
    }
    Ok(Sequential {
        elapsed,
        connections,
    })
}

struct Concurrent {
    elapsed: Duration,
    latencies: Vec<Duration>,
}

async fn upload_concurrent(
    server: &Server,
    cookie: &str,
    files: &[TestFile],
) -> Result<Concurrent, BoxError> {
    let per_client = files.len().div_ceil(CLIENTS);
    let started = Instant::now();
    // All clients on this one thread: they wait on the network, not the CPU.
    let results =
        futures_util::future::join_all(files.chunks(per_client).map(|share| async move {
            let mut connection = Connection::open(server.addr).await?;
            let mut buffer = vec![0u8; CHUNK];
            let mut done = Vec::new();
            for file in share {
                if connection.closed {
                    connection = Connection::open(server.addr).await?;
                }
                let sent = Instant::now();
                let id = upload_one(&mut connection, server, cookie, file, &mut buffer).await?;
                done.push((id, sent.elapsed()));
            }
            Ok::<_, BoxError>(done)
        }))
        .await;
    let elapsed = started.elapsed();
    let mut ids = HashSet::new();
    let mut latencies = Vec::new();
    for result in results {
        for (id, latency) in result? {
            ids.insert(id);
            latencies.push(latency);
        }
    }
    if ids.len() != files.len() {
        return Err(format!(
            "{} files sent, {} documents created",
            files.len(),
            ids.len()
        )
        .into());
    }
    Ok(Concurrent { elapsed, latencies })
}

/// Streams one file as the request body; returns the new document's id.
async fn upload_one(
    connection: &mut Connection,
    server: &Server,
    cookie: &str,
    file: &TestFile,
    buffer: &mut [u8],
) -> Result<i64, BoxError> {
    let head = format!(
        "POST /dokumente/hochladen?name={} HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\n\
         Cookie: {cookie}\r\nContent-Type: application/pdf\r\nAccept: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        file.name,
        server.addr,
        server.origin(),
        file.size
    );
    connection.stream.write_all(head.as_bytes()).await?;
    let mut reader = tokio::fs::File::open(&file.path).await?;
    let mut sent = 0u64;
    loop {
        let read = reader.read(buffer).await?;
        if read == 0 {
            break;
        }
        connection.stream.write_all(&buffer[..read]).await?;
        sent += read as u64;
    }
    if sent != file.size {
        return Err(format!("{}: sent {sent} of {} bytes", file.name, file.size).into());
    }
    let answer = connection.read_answer().await?;
    if answer.status != 201 {
        return Err(format!(
            "{}: answered {} instead of 201: {}",
            file.name,
            answer.status,
            answer.text()
        )
        .into());
    }
    let json: serde_json::Value = serde_json::from_slice(&answer.body)?;
    if json["version"].as_i64() != Some(1) {
        return Err(format!("{}: unexpected answer {json}", file.name).into());
    }
    json["id"]
        .as_i64()
        .ok_or_else(|| format!("{}: answer without id: {json}", file.name).into())
}

/// A 201 promises the file is stored; this checks it is, byte count and
/// content address, through the server's own path scheme.
fn check_stored<'a>(
    server: &Server,
    files: impl Iterator<Item = &'a TestFile>,
) -> Result<(), BoxError> {
    let store = BlobStore::new(server.data_dir().join("blobs"));
    for file in files {
        let path = store.path_of(&file.sha256);
        let size = std::fs::metadata(&path)
            .map_err(|error| format!("{} not stored at {}: {error}", file.name, path.display()))?
            .len();
        if size != file.size {
            return Err(format!("{} stored with {size} of {} bytes", file.name, file.size).into());
        }
    }
    Ok(())
}

/// A minimal HTTP/1.1 client connection: requests with a known length,
/// answers with `Content-Length` or chunked bodies.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
    /// The server announced it will close the connection after its answer.
    closed: bool,
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Connection {
    async fn open(addr: SocketAddr) -> Result<Connection, BoxError> {
        let stream = TcpStream::connect(addr).await?;
        // Small requests and answers must not wait for Nagle's algorithm.
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream,
            buffer: Vec::new(),
            closed: false,
        })
    }

    async fn send(&mut self, head: &str, body: &[u8]) -> Result<(), BoxError> {
        self.stream.write_all(head.as_bytes()).await?;
        self.stream.write_all(body).await?;
        Ok(())
    }

    async fn fill(&mut self) -> Result<(), BoxError> {
        let mut chunk = [0u8; 16 * 1024];
        let read = self.stream.read(&mut chunk).await?;
        if read == 0 {
            return Err("the server closed the connection mid-answer".into());
        }
        self.buffer.extend_from_slice(&chunk[..read]);
        Ok(())
    }

    /// Everything up to the next CRLF, without it.
    async fn line(&mut self) -> Result<String, BoxError> {
        loop {
            if let Some(end) = find(&self.buffer, b"\r\n") {
                let line = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
                self.buffer.drain(..end + 2);
                return Ok(line);
            }
            self.fill().await?;
        }
    }

    async fn take(&mut self, len: usize) -> Result<Vec<u8>, BoxError> {
        while self.buffer.len() < len {
            self.fill().await?;
        }
        Ok(self.buffer.drain(..len).collect())
    }

    async fn read_answer(&mut self) -> Result<Answer, BoxError> {
        let status_line = self.line().await?;
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| format!("not an HTTP answer: {status_line}"))?;
        let mut headers = Vec::new();
        loop {
            let line = self.line().await?;
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
        let mut answer = Answer {
            status,
            headers,
            body: Vec::new(),
        };
        if let Some(length) = answer.header("content-length") {
            let length: usize = length.parse()?;
            answer.body = self.take(length).await?;
        } else if answer
            .header("transfer-encoding")
            .is_some_and(|value| value.eq_ignore_ascii_case("chunked"))
        {
            loop {
                let size_line = self.line().await?;
                let size =
                    usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)?;
                if size == 0 {
                    while !self.line().await?.is_empty() {}
                    break;
                }
                let chunk = self.take(size + 2).await?;
                answer.body.extend_from_slice(&chunk[..size]);
            }
        } else {
            return Err(format!("answer {status} without a length").into());
        }
        self.closed = answer
            .header("connection")
            .is_some_and(|value| value.eq_ignore_ascii_case("close"));
        Ok(answer)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

struct Stats {
    median: Duration,
    p95: Duration,
    max: Duration,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Stats {
        samples.sort();
        let at = |q: f64| {
            let index = ((samples.len() as f64 * q).ceil() as usize).saturating_sub(1);
            samples.get(index).copied().unwrap_or_default()
        };
        Stats {
            median: at(0.5),
            p95: at(0.95),
            max: samples.last().copied().unwrap_or_default(),
        }
    }
}

/// Ticks of `/proc/stat` and `/proc/self/stat`; USER_HZ is 100 on Linux
/// whatever the kernel's own tick rate.
const TICKS_PER_SECOND: f64 = 100.0;

/// Who used the CPU: all CPUs' user and steal time, and this process with
/// its waited-for children (the server, `sh`, `cat`, the hashers).
struct CpuTime {
    at: Instant,
    all_user: u64,
    steal: u64,
    own_user: u64,
    own_total: u64,
}

struct CpuUse {
    wall: Duration,
    own: Duration,
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
        // Fields after the command name, which may contain spaces: field
        // 14 (utime) is the 12th here, then stime, cutime, cstime.
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
            own_total: own.iter().sum(),
        })
    }

    /// Only user time is compared for the others: the kernel's work for
    /// our own disk writes and loopback traffic is system time that no
    /// process may be charged with.
    fn since(&self, before: &CpuTime) -> CpuUse {
        let ticks = |n: u64| Duration::from_secs_f64(n as f64 / TICKS_PER_SECOND);
        let all_user = self.all_user.saturating_sub(before.all_user);
        let own_user = self.own_user.saturating_sub(before.own_user);
        CpuUse {
            wall: self.at.duration_since(before.at),
            own: ticks(self.own_total.saturating_sub(before.own_total)),
            others: ticks(all_user.saturating_sub(own_user)),
            steal: ticks(self.steal.saturating_sub(before.steal)),
        }
    }
}

/// MiB per second (1 MiB = 1,048,576 bytes).
fn rate(bytes: u64, elapsed: Duration) -> f64 {
    bytes as f64 / MIB as f64 / elapsed.as_secs_f64()
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / MIB as f64)
}

fn mib_kib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}
