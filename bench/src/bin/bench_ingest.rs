//! `bench-ingest`: the same batch of German letters arriving through each
//! way into Aktenwerk (issue 18), timed until every document is stored,
//! its text extracted and the search index has it.
//!
//! 1. Generates `DOCUMENTS` (default 120, or the first argument) text PDFs
//!    of 1 to 3 pages, deterministic by seed.
//! 2. For each way, a fresh release server (`target/release/aktenwerk`,
//!    demo accounts) on its own data directory:
//!    - **Browser**: headless Chromium (`end2end/bench/ingest.mjs`) signs in
//!      as a clerk and drops all files onto the Posteingang at once (the
//!      time includes starting Chromium and signing in).
//!    - **Scan-Ordner**: the Administration sets one up over HTTP; the files
//!      are written into it under a temporary name and renamed, as scanners
//!      do; the server looks every second.
//!    - **Postfach**: a Dovecot on loopback (`scripts/imap-server.sh`) holds
//!      one message per letter with the PDF attached; the Administration
//!      connects the Postfach over HTTP and the server fetches every second.
//!      Each message becomes two documents (the message and its PDF).
//! 3. Prints documents per minute per way next to Paperless-ngx's figure
//!    on a 2-core machine (26 documents per minute for 41 text PDFs,
//!    measured for the issue; Paperless could not run here).
//!
//! Run with `make bench-ingest` (release server and bundle are built
//! first). Goal: ten times Paperless's rate for text PDFs.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use bench::letters::{letter, BoxError};
use bench::process::{browser, release_build, wait_processed, Server};

const SEED: u64 = 18;
const CLERK: &str = "sachbearbeitung.mic";
const ADMIN: &str = "admin.mic";
const PAPERLESS_PER_MINUTE: f64 = 26.0;

fn main() -> Result<(), BoxError> {
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: debug build; the figures only mean something with `make bench-ingest`\n"
        );
    }
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(120);
    let (root, program, site) = release_build("bench-ingest")?;
    let work = tempfile::tempdir()?;
    let files = generate(&work.path().join("briefe"), count)?;
    let megabytes = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum::<u64>() as f64
        / 1_048_576.0;
    eprintln!(
        "{count} letters as text PDFs ({megabytes:.1} MiB), load average {}",
        bench::load_average()
    );

    let mut rows = Vec::new();
    for way in ["Browser (Posteingang)", "Scan-Ordner", "Postfach (IMAP)"] {
        let data = work
            .path()
            .join(way.split_whitespace().next().unwrap_or("way"));
        std::fs::create_dir_all(&data)?;
        let (documents, elapsed) = match way {
            "Scan-Ordner" => scan_folder(&program, &site, &data, &files)?,
            "Postfach (IMAP)" => mailbox(&root, &program, &site, &data, &files)?,
            _ => browser_drop(&root, &program, &site, &data, &files)?,
        };
        eprintln!(
            "  {way}: {documents} documents in {:.1} s",
            elapsed.as_secs_f64()
        );
        rows.push((way, documents, elapsed));
    }

    println!();
    println!(
        "| {count} letters (text PDFs) | documents | until extracted and indexed | documents / min | letters / min | letters: × Paperless-ngx (26 / min) |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (way, documents, elapsed) in rows {
        let minutes = elapsed.as_secs_f64() / 60.0;
        let letters = count as f64 / minutes;
        println!(
            "| {way} | {documents} | {:.1} s | {:.0} | {letters:.0} | {:.1} |",
            elapsed.as_secs_f64(),
            documents as f64 / minutes,
            letters / PAPERLESS_PER_MINUTE
        );
    }
    Ok(())
}

/// `count` letters of 1 to 3 pages as text PDFs in `dir`.
fn generate(dir: &Path, count: usize) -> Result<Vec<PathBuf>, BoxError> {
    std::fs::create_dir_all(dir)?;
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut number = 0;
    (1..=count)
        .map(|n| {
            let pages: Vec<Vec<String>> = (0..rng.gen_range(1..=3))
                .map(|_| {
                    number += 1;
                    letter(number, &mut rng)
                })
                .collect();
            let path = dir.join(format!("Schreiben-{n:04}.pdf"));
            std::fs::write(&path, bench::pdf::text_pages(&pages))?;
            Ok(path)
        })
        .collect()
}

fn documents_now(data: &Path) -> Result<usize, BoxError> {
    let (documents, _) = wait_processed(&data.join("aktenwerk.db"), 0)?;
    Ok(usize::try_from(documents).unwrap_or(0))
}

fn browser_drop(
    root: &Path,
    program: &Path,
    site: &Path,
    data: &Path,
    files: &[PathBuf],
) -> Result<(usize, Duration), BoxError> {
    let (_server, port) = Server::start(program, site, data, &[])?;
    let before = documents_now(data)?;
    let dir = files.first().and_then(|f| f.parent()).ok_or("no files")?;
    let started = Instant::now();
    let uploaded = browser(
        root,
        &format!("http://127.0.0.1:{port}"),
        ("upload", CLERK),
        dir,
    )?;
    eprintln!("    {uploaded}");
    wait_processed(&data.join("aktenwerk.db"), before + files.len())?;
    Ok((files.len(), started.elapsed()))
}

/// A fresh server with `env`, the Administration of Michelstadt signed in,
/// the clerk's id and the documents it holds before anything arrives.
fn signed_in(
    program: &Path,
    site: &Path,
    data: &Path,
    env: &[(&str, &str)],
) -> Result<(Server, Http, String, usize), BoxError> {
    let (server, port) = Server::start(program, site, data, env)?;
    let before = documents_now(data)?;
    let http = Http::signed_in(port, data, ADMIN)?;
    let clerk = http.user_id(data, CLERK)?;
    Ok((server, http, clerk, before))
}

fn scan_folder(
    program: &Path,
    site: &Path,
    data: &Path,
    files: &[PathBuf],
) -> Result<(usize, Duration), BoxError> {
    let (_server, http, clerk, before) = signed_in(
        program,
        site,
        data,
        &[("AKTENWERK_SCAN_INTERVAL_SECS", "1")],
    )?;
    http.call(
        "create_scan_ordner",
        &[
            ("name", "Poststelle"),
            ("responsible_id", &clerk),
            ("aktenzeichen", ""),
        ],
    )?;
    let folder = data.join("scan/MIC/Poststelle");
    let started = Instant::now();
    for file in files {
        let name = file
            .file_name()
            .ok_or("file name")?
            .to_string_lossy()
            .into_owned();
        let part = folder.join(format!("{name}.part"));
        std::fs::copy(file, &part)?;
        std::fs::rename(&part, folder.join(&name))?;
    }
    wait_processed(&data.join("aktenwerk.db"), before + files.len())?;
    Ok((files.len(), started.elapsed()))
}

fn mailbox(
    root: &Path,
    program: &Path,
    site: &Path,
    data: &Path,
    files: &[PathBuf],
) -> Result<(usize, Duration), BoxError> {
    let imap = Imap::start(root, &data.with_extension("imap"))?;
    for (n, file) in files.iter().enumerate() {
        imap.append(&message(n, file)?)?;
    }
    let (_server, http, clerk, before) = signed_in(
        program,
        site,
        data,
        &[("AKTENWERK_MAIL_INTERVAL_SECS", "1")],
    )?;
    let imap_port = imap.port.to_string();
    let started = Instant::now();
    http.call(
        "create_postfach",
        &[
            ("form[name]", "Poststelle"),
            ("form[host]", "127.0.0.1"),
            ("form[port]", &imap_port),
            ("form[encryption]", "keine"),
            ("form[login]", "poststelle"),
            ("form[password]", "Brief-2026!"),
            ("form[folder]", "INBOX"),
            ("form[after_import]", "markieren"),
            ("form[move_to]", ""),
            ("form[responsible_id]", &clerk),
            ("form[aktenzeichen]", ""),
        ],
    )?;
    wait_processed(&data.join("aktenwerk.db"), before + 2 * files.len())?;
    Ok((2 * files.len(), started.elapsed()))
}

/// One message with the PDF attached (CRLF line ends, as IMAP wants).
fn message(n: usize, pdf: &Path) -> Result<Vec<u8>, BoxError> {
    use base64::Engine;
    let name = pdf
        .file_name()
        .ok_or("file name")?
        .to_string_lossy()
        .into_owned();
    let encoded = base64::engine::general_purpose::STANDARD.encode(std::fs::read(pdf)?);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|line| std::str::from_utf8(line).unwrap_or_default())
        .collect();
    Ok(format!(
        "From: Bürgerin {n} <buergerin{n}@example.de>\nTo: poststelle@michelstadt.de\n\
         Subject: Schreiben {n}\nDate: Mon, 07 Dec 2026 09:00:00 +0100\nMIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"grenze\"\n\n--grenze\n\
         Content-Type: text/plain; charset=utf-8\n\nAnbei mein Schreiben Nr. {n}.\n--grenze\n\
         Content-Type: application/pdf; name=\"{name}\"\nContent-Disposition: attachment; filename=\"{name}\"\n\
         Content-Transfer-Encoding: base64\n\n{}\n--grenze--\n",
        lines.join("\n")
    )
    .replace('\n', "\r\n")
    .into_bytes())
}

/// A signed-in session against the server, over curl.
struct Http {
    port: u16,
    jar: PathBuf,
}

impl Http {
    fn signed_in(port: u16, data: &Path, user: &str) -> Result<Http, BoxError> {
        let http = Http {
            port,
            jar: data.with_extension("cookies"),
        };
        let password = format!("passwort={}", app::users::bootstrap::DEMO_PASSWORD);
        http.curl(
            &[
                "-c",
                &http.jar.display().to_string(),
                "-d",
                &format!("benutzername={user}"),
                "-d",
                &password,
            ],
            "/anmelden",
        )?;
        Ok(http)
    }

    fn call(&self, function: &str, form: &[(&str, &str)]) -> Result<String, BoxError> {
        let mut args = vec![
            "-b".to_string(),
            self.jar.display().to_string(),
            "-H".to_string(),
            "Accept: application/json".to_string(),
        ];
        for (key, value) in form {
            args.push("--data-urlencode".to_string());
            args.push(format!("{key}={value}"));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.curl(&args, &format!("/api/{function}"))
    }

    fn curl(&self, args: &[&str], path: &str) -> Result<String, BoxError> {
        // Like a page of the site: the CSRF layer asks for the Origin.
        let output = Command::new("curl")
            .args(["-sS", "--fail-with-body", "-H"])
            .arg(format!("Origin: http://127.0.0.1:{}", self.port))
            .args(args)
            .arg(format!("http://127.0.0.1:{}{path}", self.port))
            .output()?;
        let body = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() {
            return Err(
                format!("{path}: {body}{}", String::from_utf8_lossy(&output.stderr)).into(),
            );
        }
        Ok(body)
    }

    /// A user's id, read from the server's database.
    fn user_id(&self, data: &Path, username: &str) -> Result<String, BoxError> {
        use sqlx::Connection;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(data.join("aktenwerk.db"))
                .read_only(true);
            let mut connection = sqlx::SqliteConnection::connect_with(&options).await?;
            let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = ?")
                .bind(username)
                .fetch_one(&mut connection)
                .await?;
            Ok(id.to_string())
        })
    }
}

/// The throwaway Dovecot of `scripts/imap-server.sh`, stopped when dropped.
struct Imap {
    root: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl Imap {
    fn start(root: &Path, dir: &Path) -> Result<Imap, BoxError> {
        std::fs::create_dir_all(dir)?;
        let output = Command::new(root.join("scripts/imap-server.sh"))
            .arg("start")
            .arg(dir)
            .output()?;
        if !output.status.success() {
            return Err(format!("Dovecot: {}", String::from_utf8_lossy(&output.stderr)).into());
        }
        let env = std::fs::read_to_string(dir.join("env"))?;
        let port = env
            .lines()
            .find_map(|line| line.strip_prefix("IMAP_PORT="))
            .and_then(|p| p.parse().ok())
            .ok_or("IMAP_PORT")?;
        Ok(Imap {
            root: root.to_path_buf(),
            dir: dir.to_path_buf(),
            port,
        })
    }

    fn append(&self, raw: &[u8]) -> Result<(), BoxError> {
        let file = self.dir.with_extension("eml");
        std::fs::write(&file, raw)?;
        let status = Command::new("curl")
            .args(["-sS", "--user", "poststelle:Brief-2026!", "-T"])
            .arg(&file)
            .arg(format!("imap://127.0.0.1:{}/INBOX", self.port))
            .status()?;
        if !status.success() {
            return Err("IMAP APPEND failed".into());
        }
        Ok(())
    }
}

impl Drop for Imap {
    fn drop(&mut self) {
        let _ = Command::new(self.root.join("scripts/imap-server.sh"))
            .arg("stop")
            .arg(&self.dir)
            .output();
    }
}
