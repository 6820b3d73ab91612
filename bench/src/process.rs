//! A release `aktenwerk` as a separate process for the benchmarks that
//! measure it from outside (memory, ingestion): start it on a data
//! directory, wait until it answers, drive the browser against it, wait
//! until everything that arrived is extracted and indexed.

use crate::letters::BoxError;
use sqlx::Connection;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server when the run ends, also on an error.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Server {
    /// Starts `program` on `data` (demo accounts, the bundle from `site`,
    /// its log beside the directory) with `env`; returns it once it answers
    /// `/healthz`, and its port.
    pub fn start(
        program: &Path,
        site: &Path,
        data: &Path,
        env: &[(&str, &str)],
    ) -> Result<(Server, u16), BoxError> {
        let port = free_port()?;
        let log = std::fs::File::create(data.with_extension("log"))?;
        let mut command = Command::new(program);
        command
            .env("AKTENWERK_DATA_DIR", data)
            .env("AKTENWERK_LISTEN", format!("127.0.0.1:{port}"))
            .env("AKTENWERK_DEMO", "true")
            .env("AKTENWERK_SITE_ROOT", site)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        for (key, value) in env {
            command.env(key, value);
        }
        let server = Server(command.spawn()?);
        wait_healthy(port, &server)?;
        Ok((server, port))
    }
}

pub fn browser(
    root: &Path,
    url: &str,
    (phase, user): (&str, &str),
    files_dir: &Path,
) -> Result<String, BoxError> {
    let output = Command::new("node")
        .arg(root.join("end2end/bench/ingest.mjs"))
        .arg(phase)
        .arg(files_dir)
        .env("AKTENWERK_URL", url)
        .env("BENCH_USER", user)
        .current_dir(root.join("end2end"))
        .stdin(Stdio::null())
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "browser phase {phase} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Waits until `expected` documents exist, no extraction job is pending or
/// running and the search index has taken every change; returns the
/// documents and the OCR'd pages.
pub fn wait_processed(db: &Path, expected: usize) -> Result<(i64, i64), BoxError> {
    let deadline = Instant::now() + Duration::from_secs(900);
    let query = "SELECT (SELECT COUNT(*) FROM documents), \
                 (SELECT COUNT(*) FROM jobs WHERE status IN ('pending', 'running')), \
                 (SELECT COUNT(*) FROM search_outbox), \
                 (SELECT COALESCE(SUM(ocr_pages), 0) FROM version_texts)";
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(db)
            .read_only(true);
        let mut connection = sqlx::SqliteConnection::connect_with(&options).await?;
        loop {
            let (documents, open, outbox, ocr): (i64, i64, i64, i64) =
                sqlx::query_as(query).fetch_one(&mut connection).await?;
            if documents >= expected as i64 && open == 0 && outbox == 0 {
                return Ok((documents, ocr));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "processing did not finish within 15 minutes: {documents} documents, \
                     {open} jobs open, {outbox} changes not indexed"
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    })
}

/// The workspace, the release server and its bundle, checked to exist
/// (`make <target>` builds them first).
pub fn release_build(target: &str) -> Result<(PathBuf, PathBuf, PathBuf), BoxError> {
    let root = workspace_root()?;
    let program = root.join("target/release/aktenwerk");
    let site = root.join("target/site");
    for needed in [&program, &site.join("pkg/aktenwerk.wasm")] {
        if !needed.exists() {
            return Err(format!(
                "{} is missing; `make {target}` builds it (scripts/build.sh release)",
                needed.display()
            )
            .into());
        }
    }
    Ok((root, program, site))
}

pub fn workspace_root() -> Result<PathBuf, BoxError> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    Ok(manifest
        .parent()
        .ok_or("the bench crate has no parent directory")?
        .to_path_buf())
}

pub fn free_port() -> Result<u16, BoxError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

pub fn wait_healthy(port: u16, server: &Server) -> Result<(), BoxError> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n");
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200") {
                return Ok(());
            }
        }
        let _ = server;
        std::thread::sleep(Duration::from_millis(200));
    }
    Err("the server did not answer /healthz within 60 s (see data-N.log)".into())
}
