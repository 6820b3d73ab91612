//! `bench-search`: full-text search over a synthetic corpus of German
//! municipal documents (issue 5), next to SQLite FTS5 over the same texts
//! measured in the same run.
//!
//! 1. Generates the corpus (`bench::corpus`, deterministic by seed; default
//!    100,000 documents, seed 42) in batches, never all in memory.
//! 2. Indexes it into an on-disk tantivy index in a temporary directory
//!    (`SearchIndex::open`, `upsert` in batches, `commit`), and into an FTS5
//!    table in a SQLite file beside it; prints documents/s, MB of text/s,
//!    size on disk and peak memory of each.
//! 3. Runs a fixed query mix through `SearchIndex::search` as a viewer of one
//!    municipality (so with the permission filter and all facets), and the
//!    closest FTS5 translation of each query, alternately; prints p50, p95
//!    and p99 per query kind and for the whole mix, hit counts side by side
//!    and the ratio FTS5 / ours.
//!
//! The query mix (see [`cases`]), for the viewer Michelstadt (MIC):
//!
//! | kind | query | FTS5 MATCH |
//! |---|---|---|
//! | rare term | the last word of the corpus's Zipf tail | `"word"` |
//! | common term | `Rechnung` | `"rechnung"` |
//! | two words | `Grundsteuer Widerspruch` | `"grundsteuer" "widerspruch"` |
//! | phrase | `"Sitzung der Stadtverordnetenversammlung"` | the same phrase |
//! | typo | `Rechnnug` | `"rechnnug"` (FTS5 has no fuzzy matching) |
//! | typo | `Bauantarg` | `"bauantarg"` |
//! | inflected | `Bauanträge` | `"bauanträge"` (no stemming) |
//! | folding | `Strasse` | `"strasse"` (unicode61 keeps ß) |
//! | Aktenzeichen | the Aktenzeichen of an MIC Akte | as a phrase |
//! | facet filter | `Rechnung`, type rechnung, year 2023 | + `WHERE doc_type, year` |
//! | deep page | `Rechnung`, page 50 | `LIMIT 20 OFFSET 980` |
//!
//! FTS5 does per query what the results page needs: the top 20 by bm25 with a
//! snippet, restricted to documents visible to the municipality (a join on
//! the visibility table), and one GROUP BY for the counts of the facets
//! document type, year, main group and Akte status (the total is their sum).
//!
//! Usage: `bench-search [documents] [seed]` (or `BENCH_DOCS`, `BENCH_SEED`);
//! `make bench-search` runs the release build with the defaults. A debug
//! build prints figures that mean nothing.

// The server's allocator (mimalloc, purging at once), so that the memory
// figures are those the server would show with the same index open.
#[global_allocator]
static ALLOCATOR: server::allocator::Chosen = server::allocator::Chosen;

use app::search::index::{IndexDoc, SearchIndex, Viewer};
use app::search::SearchParams;
use bench::corpus::{Corpus, CorpusDoc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, Row as _, SqliteConnection};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const DEFAULT_DOCS: usize = 100_000;
const DEFAULT_SEED: u64 = 42;
/// Documents per `upsert` call and per FTS5 transaction.
const BATCH: usize = 2_000;
/// Rounds of the whole mix; every round runs each query once per engine.
const ROUNDS: usize = 100;
const WARMUP_ROUNDS: usize = 5;
/// The viewer: Michelstadt.
const VIEWER: i64 = 1;
const PER_PAGE: i64 = 20;
const DIAGNOSIS_RUNS: usize = 50;

/// One kind of query of the mix, for both engines.
struct Case {
    kind: &'static str,
    /// What a person types into the search field.
    q: String,
    /// The FTS5 MATCH expression closest to `q`.
    fts: String,
    doc_type: Option<&'static str>,
    year: Option<i32>,
    page: u32,
}

/// The fixed query mix (table in the module documentation).
fn cases(corpus: &Corpus) -> Result<Vec<Case>, BoxError> {
    let rare = corpus.rare_term().to_string();
    let aktenzeichen = corpus
        .akten()
        .iter()
        .find(|a| a.municipality_id == VIEWER)
        .map(|a| a.aktenzeichen.clone())
        .ok_or("no Akte of the viewer's municipality")?;
    let case = |kind, q: &str, fts: &str| Case {
        kind,
        q: q.to_string(),
        fts: fts.to_string(),
        doc_type: None,
        year: None,
        page: 1,
    };
    let rare_fts = format!("\"{}\"", rare.to_lowercase());
    Ok(vec![
        case("rare term", &rare, &rare_fts),
        case("common term", "Rechnung", "\"rechnung\""),
        case(
            "two words",
            "Grundsteuer Widerspruch",
            "\"grundsteuer\" \"widerspruch\"",
        ),
        case(
            "phrase",
            "\"Sitzung der Stadtverordnetenversammlung\"",
            "\"sitzung der stadtverordnetenversammlung\"",
        ),
        case("typo Rechnnug", "Rechnnug", "\"rechnnug\""),
        case("typo Bauantarg", "Bauantarg", "\"bauantarg\""),
        case("inflected", "Bauanträge", "\"bauanträge\""),
        case("folding ss/ß", "Strasse", "\"strasse\""),
        case(
            "Aktenzeichen",
            &aktenzeichen,
            &format!("\"{}\"", aktenzeichen.replace('"', "\"\"")),
        ),
        Case {
            doc_type: Some("rechnung"),
            year: Some(2023),
            ..case("facet filter", "Rechnung", "\"rechnung\"")
        },
        Case {
            page: 50,
            ..case("deep page 50", "Rechnung", "\"rechnung\"")
        },
    ])
}

// A current-thread runtime: the benchmark measures one query at a time.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: debug build; the figures only mean something with \
             `cargo run --release -p server --bin bench-search`\n"
        );
    }
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--fresh-open") {
        return fresh_open(&args[1..]);
    }
    let mut args = args.drain(..);
    let count: usize = match args.next().or_else(|| std::env::var("BENCH_DOCS").ok()) {
        Some(value) => value.replace(['_', ','], "").parse()?,
        None => DEFAULT_DOCS,
    };
    let seed: u64 = match args.next().or_else(|| std::env::var("BENCH_SEED").ok()) {
        Some(value) => value.parse()?,
        None => DEFAULT_SEED,
    };
    let dir = tempfile::tempdir()?;
    println!(
        "Search benchmark: {count} documents, seed {seed}, viewer municipality {VIEWER} (MIC), in {}\n",
        dir.path().display()
    );

    print_machine("at the start");
    let corpus = Corpus::new(seed, count);
    let generation = generate_only(&corpus);
    println!(
        "Corpus: {} documents, {} Akten, {:.1} MB of text (title + text), {} without text; \
         generating it alone takes {:.1} s (subtracted below).\n",
        count,
        corpus.akten().len(),
        mb(generation.bytes),
        generation.empty,
        generation.time.as_secs_f64()
    );

    let mut indexing = Vec::new();
    let index_dir = dir.path().join("tantivy");
    memory::reset_peak();
    let started = Instant::now();
    let (index, _) = SearchIndex::open(&index_dir)?;
    let mut start = 0;
    while start < count {
        let end = (start + BATCH).min(count);
        let batch: Vec<IndexDoc> = corpus
            .docs(start..end)
            .map(CorpusDoc::into_index_doc)
            .collect();
        index.upsert(&batch)?;
        start = end;
    }
    index.commit()?;
    let time = started.elapsed();
    if index.num_docs() != count as u64 {
        return Err(format!("the index holds {} of {count} documents", index.num_docs()).into());
    }
    indexing.push(IndexingRow {
        engine: "ours (tantivy, SearchIndex)",
        time,
        size: dir_size(&index_dir)?,
        memory: memory::read()?,
    });

    memory::reset_peak();
    let fts_started = Instant::now();
    let mut fts = Fts::create(&dir.path().join("fts5.sqlite3")).await?;
    fts.load(&corpus).await?;
    let fts_time = fts_started.elapsed();
    let fts_size = fts.size_on_disk().await?;
    indexing.push(IndexingRow {
        engine: "SQLite FTS5",
        time: fts_time,
        size: fts_size,
        memory: memory::read()?,
    });
    print_indexing(&indexing, &generation, count);

    let cases = cases(&corpus)?;
    let viewer = Viewer {
        municipalities: vec![VIEWER],
    };
    println!("\nHits for the viewer (total matching documents it may see):\n");
    println!("| kind | query | ours | FTS5 MATCH | FTS5 |");
    println!("|---|---|---:|---|---:|");
    for case in &cases {
        let ours = index.search(&viewer, &params(case))?.total;
        let fts_hits = fts.search(case).await?;
        println!(
            "| {} | `{}`{} | {} | `{}` | {} |",
            case.kind,
            case.q,
            filters(case),
            ours,
            case.fts,
            fts_hits
        );
    }

    memory::reset_peak();
    let mut ours: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut baseline: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let all_params: Vec<SearchParams> = cases.iter().map(params).collect();
    // Alternately, query by query, so that drift (CPU frequency, page cache,
    // the other processes on the machine) hits both alike.
    for round in 0..WARMUP_ROUNDS + ROUNDS {
        for (i, case) in cases.iter().enumerate() {
            let start = Instant::now();
            std::hint::black_box(index.search(&viewer, &all_params[i])?);
            let took = start.elapsed();
            let start = Instant::now();
            std::hint::black_box(fts.search(case).await?);
            let fts_took = start.elapsed();
            if round >= WARMUP_ROUNDS {
                ours[i].push(took);
                baseline[i].push(fts_took);
            }
        }
    }
    let after_queries = memory::read()?;

    println!(
        "\nQuery times ({ROUNDS} rounds of the mix after {WARMUP_ROUNDS} warm-up rounds, one query at a time, \
         nearest-rank percentiles; ratio = FTS5 / ours, above 1 means ours is faster):\n"
    );
    println!(
        "| kind | n | ours p50 | ours p95 | ours p99 | FTS5 p50 | FTS5 p95 | FTS5 p99 | ratio p50 | ratio p95 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut all_ours = Vec::new();
    let mut all_fts = Vec::new();
    for ((case, a), b) in cases.iter().zip(&ours).zip(&baseline) {
        all_ours.extend_from_slice(a);
        all_fts.extend_from_slice(b);
        print_times(case.kind, stats(a.clone()), stats(b.clone()));
    }
    print_times("**whole mix**", stats(all_ours), stats(all_fts));

    // Where ours spends its time: the same words quoted, which the index
    // matches exactly (no fuzzy or prefix expansion). Not part of the mix.
    println!(
        "\nDiagnosis, not in the mix: the words quoted (exact match, no fuzzy expansion), ours only, {DIAGNOSIS_RUNS} runs each:\n"
    );
    println!("| query | hits | p50 | p95 |");
    println!("|---|---:|---:|---:|");
    for q in [
        format!("\"{}\"", corpus.rare_term()),
        "\"Rechnung\"".to_string(),
        "\"Bauanträge\"".to_string(),
    ] {
        let params = SearchParams {
            q: q.clone(),
            page: 1,
            ..SearchParams::default()
        };
        let hits = index.search(&viewer, &params)?.total;
        let mut samples = Vec::with_capacity(DIAGNOSIS_RUNS);
        for _ in 0..DIAGNOSIS_RUNS {
            let start = Instant::now();
            std::hint::black_box(index.search(&viewer, &params)?);
            samples.push(start.elapsed());
        }
        let s = stats(samples);
        println!("| `{q}` | {hits} | {} | {} |", ms(s.p50), ms(s.p95));
    }

    let size_later = dir_size(&index_dir)?;
    println!(
        "\nMemory of this process after the query phase (both engines open): RSS {}, peak during the queries {}.",
        mib(after_queries.rss_kib),
        mib(after_queries.hwm_kib)
    );
    println!(
        "Index size on disk after the query phase (background merges done by then): ours {:.1} MB.",
        mb(size_later)
    );

    print_machine("at the end of the query phase");

    // A fresh process that only opens the index and runs the mix once: what
    // a server that starts with an existing index holds for search.
    drop(index);
    drop(fts);
    let child = std::process::Command::new(std::env::current_exe()?)
        .arg("--fresh-open")
        .arg(&index_dir)
        .arg(count.to_string())
        .arg(seed.to_string())
        .output()?;
    if child.status.success() {
        print!("{}", String::from_utf8_lossy(&child.stdout));
    } else {
        println!(
            "Fresh-open run failed: {}",
            String::from_utf8_lossy(&child.stderr).trim()
        );
    }
    Ok(())
}

/// `--fresh-open <dir> <count> <seed>`: opens the index, runs every query of
/// the mix once and prints the process's memory.
fn fresh_open(args: &[String]) -> Result<(), BoxError> {
    let [dir, count, seed] = args else {
        return Err("usage: bench-search --fresh-open <dir> <count> <seed>".into());
    };
    let corpus = Corpus::new(seed.parse()?, count.parse()?);
    let before = memory::read()?;
    let (index, opened) = SearchIndex::open(Path::new(dir))?;
    if opened != app::search::index::Opened::Existing {
        return Err(format!("the index was not reused: {opened:?}").into());
    }
    let viewer = Viewer {
        municipalities: vec![VIEWER],
    };
    for case in cases(&corpus)? {
        std::hint::black_box(index.search(&viewer, &params(&case))?);
    }
    let after = memory::read()?;
    println!(
        "Fresh process that opens the index and runs the mix once: RSS {} (before opening {}), peak {}.",
        mib(after.rss_kib),
        mib(before.rss_kib),
        mib(after.hwm_kib)
    );
    Ok(())
}

/// Cores and load average: the figures of a busy machine are not those of
/// an idle one.
fn print_machine(when: &str) {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    println!(
        "Machine {when}: {cores} cores, load average {}.\n",
        load.join(" ")
    );
}

fn params(case: &Case) -> SearchParams {
    SearchParams {
        q: case.q.clone(),
        page: case.page,
        doc_type: case.doc_type.map(str::to_string),
        year: case.year,
        ..SearchParams::default()
    }
}

fn print_times(kind: &str, ours: Stats, fts: Stats) {
    println!(
        "| {kind} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        ours.n,
        ms(ours.p50),
        ms(ours.p95),
        ms(ours.p99),
        ms(fts.p50),
        ms(fts.p95),
        ms(fts.p99),
        ratio(fts.p50, ours.p50),
        ratio(fts.p95, ours.p95),
    );
}

fn ratio(baseline: Duration, ours: Duration) -> String {
    format!(
        "{:.2}",
        baseline.as_secs_f64() / ours.as_secs_f64().max(1e-9)
    )
}

fn dir_size(dir: &Path) -> Result<u64, BoxError> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let meta = entry?.metadata()?;
        if meta.is_file() {
            total += meta.len();
        }
    }
    Ok(total)
}

fn filters(case: &Case) -> String {
    let mut out = String::new();
    if let Some(doc_type) = case.doc_type {
        out.push_str(&format!(" type={doc_type}"));
    }
    if let Some(year) = case.year {
        out.push_str(&format!(" year={year}"));
    }
    if case.page > 1 {
        out.push_str(&format!(" page={}", case.page));
    }
    out
}

struct Generation {
    time: Duration,
    bytes: u64,
    empty: usize,
}

/// One pass that only generates, so that generation can be subtracted from
/// the indexing passes (which generate while they index, batch by batch).
fn generate_only(corpus: &Corpus) -> Generation {
    let start = Instant::now();
    let mut bytes = 0;
    let mut empty = 0;
    for doc in corpus.docs(0..corpus.len()) {
        bytes += text_bytes(&doc);
        if doc.text.is_empty() {
            empty += 1;
        }
        std::hint::black_box(&doc);
    }
    Generation {
        time: start.elapsed(),
        bytes,
        empty,
    }
}

fn text_bytes(doc: &CorpusDoc) -> u64 {
    (doc.title.len() + doc.text.len()) as u64
}

struct IndexingRow {
    engine: &'static str,
    time: Duration,
    size: u64,
    memory: memory::Memory,
}

fn print_indexing(rows: &[IndexingRow], generation: &Generation, count: usize) {
    println!(
        "| engine | indexing time (incl. generation) | net of generation | documents/s | MB text/s | size on disk | RSS after | peak RSS while indexing |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let net = row.time.saturating_sub(generation.time).as_secs_f64();
        println!(
            "| {} | {:.1} s | {:.1} s | {:.0} | {:.1} | {:.1} MB | {} | {} |",
            row.engine,
            row.time.as_secs_f64(),
            net,
            count as f64 / net.max(1e-9),
            mb(generation.bytes) / net.max(1e-9),
            mb(row.size),
            mib(row.memory.rss_kib),
            mib(row.memory.hwm_kib),
        );
    }
}

/// The baseline: an FTS5 table over title, text, Aktenzeichen and
/// correspondent, with the metadata the facets need and a visibility table
/// for the permission rule, in one SQLite file.
struct Fts {
    connection: SqliteConnection,
    path: std::path::PathBuf,
}

impl Fts {
    async fn create(path: &Path) -> Result<Fts, BoxError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
        let mut connection = SqliteConnection::connect_with(&options).await?;
        let fts5: i64 = sqlx::query_scalar("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
            .fetch_one(&mut connection)
            .await?;
        if fts5 != 1 {
            return Err("the bundled SQLite was built without FTS5".into());
        }
        for statement in [
            "CREATE TABLE docs (
                id INTEGER PRIMARY KEY,
                municipality_id INTEGER NOT NULL,
                doc_type TEXT NOT NULL,
                year INTEGER,
                main_group TEXT,
                akte_status TEXT
            )",
            "CREATE TABLE doc_visibility (
                municipality_id INTEGER NOT NULL,
                document_id INTEGER NOT NULL,
                PRIMARY KEY (municipality_id, document_id)
            ) WITHOUT ROWID",
            "CREATE VIRTUAL TABLE docs_fts USING fts5(
                title, text, aktenzeichen, correspondent,
                tokenize = 'unicode61 remove_diacritics 2'
            )",
        ] {
            sqlx::query(statement).execute(&mut connection).await?;
        }
        Ok(Fts {
            connection,
            path: path.to_path_buf(),
        })
    }

    /// Inserts the corpus in transactions of [`BATCH`] documents, then
    /// merges the FTS5 b-trees as a `commit` of an index would.
    async fn load(&mut self, corpus: &Corpus) -> Result<(), BoxError> {
        let mut start = 0;
        while start < corpus.len() {
            let end = (start + BATCH).min(corpus.len());
            let mut tx = self.connection.begin().await?;
            for doc in corpus.docs(start..end) {
                use chrono::Datelike;
                sqlx::query(
                    "INSERT INTO docs (id, municipality_id, doc_type, year, main_group, akte_status)
                     VALUES (?, ?, ?, ?, ?, ?)",
                )
                .bind(doc.document_id)
                .bind(doc.municipality_id)
                .bind(&doc.doc_type)
                .bind(doc.document_date.map(|d| d.year()))
                .bind(doc.plan_code.as_ref().map(|c| c[..1].to_string()))
                .bind(doc.akte_status.as_deref().unwrap_or("ohne"))
                .execute(&mut *tx)
                .await?;
                for municipality in &doc.visible_to {
                    sqlx::query(
                        "INSERT INTO doc_visibility (municipality_id, document_id) VALUES (?, ?)",
                    )
                    .bind(municipality)
                    .bind(doc.document_id)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query(
                    "INSERT INTO docs_fts (rowid, title, text, aktenzeichen, correspondent)
                     VALUES (?, ?, ?, ?, ?)",
                )
                .bind(doc.document_id)
                .bind(&doc.title)
                .bind(&doc.text)
                .bind(doc.aktenzeichen.as_deref().unwrap_or(""))
                .bind(&doc.correspondent)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            start = end;
        }
        sqlx::query("INSERT INTO docs_fts (docs_fts) VALUES ('optimize')")
            .execute(&mut self.connection)
            .await?;
        sqlx::query("ANALYZE").execute(&mut self.connection).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut self.connection)
            .await?;
        Ok(())
    }

    async fn size_on_disk(&mut self) -> Result<u64, BoxError> {
        let mut size = std::fs::metadata(&self.path)?.len();
        let wal = self.path.with_extension("sqlite3-wal");
        if let Ok(meta) = std::fs::metadata(wal) {
            size += meta.len();
        }
        Ok(size)
    }

    /// What the results page needs: the page of hits with snippets and the
    /// facet counts; returns the total.
    async fn search(&mut self, case: &Case) -> Result<u64, BoxError> {
        let filter = " AND (?3 IS NULL OR d.doc_type = ?3) AND (?4 IS NULL OR d.year = ?4)";
        let hits_sql = format!(
            "SELECT docs_fts.rowid, d.doc_type, d.year,
                    snippet(docs_fts, 1, '[', ']', '…', 16),
                    bm25(docs_fts, 4.0, 1.0, 8.0, 2.0) AS score
             FROM docs_fts
             JOIN doc_visibility v ON v.document_id = docs_fts.rowid AND v.municipality_id = ?1
             JOIN docs d ON d.id = docs_fts.rowid
             WHERE docs_fts MATCH ?2{filter}
             ORDER BY score LIMIT {PER_PAGE} OFFSET ?5"
        );
        let offset = (i64::from(case.page) - 1) * PER_PAGE;
        let hits = sqlx::query(&hits_sql)
            .bind(VIEWER)
            .bind(&case.fts)
            .bind(case.doc_type)
            .bind(case.year)
            .bind(offset)
            .fetch_all(&mut self.connection)
            .await?;
        std::hint::black_box(hits.len());
        let facets_sql = format!(
            "SELECT d.doc_type, d.year, d.main_group, d.akte_status, count(*)
             FROM docs_fts
             JOIN doc_visibility v ON v.document_id = docs_fts.rowid AND v.municipality_id = ?1
             JOIN docs d ON d.id = docs_fts.rowid
             WHERE docs_fts MATCH ?2{filter}
             GROUP BY d.doc_type, d.year, d.main_group, d.akte_status"
        );
        let groups = sqlx::query(&facets_sql)
            .bind(VIEWER)
            .bind(&case.fts)
            .bind(case.doc_type)
            .bind(case.year)
            .fetch_all(&mut self.connection)
            .await?;
        let mut total = 0u64;
        let mut facets: BTreeMap<(usize, String), u64> = BTreeMap::new();
        for row in &groups {
            let n: i64 = row.try_get(4)?;
            total += n as u64;
            let doc_type: String = row.try_get(0)?;
            let year: Option<i64> = row.try_get(1)?;
            let main_group: Option<String> = row.try_get(2)?;
            let status: String = row.try_get(3)?;
            *facets.entry((0, doc_type)).or_default() += n as u64;
            *facets
                .entry((1, year.map(|y| y.to_string()).unwrap_or_default()))
                .or_default() += n as u64;
            *facets
                .entry((2, main_group.unwrap_or_default()))
                .or_default() += n as u64;
            *facets.entry((3, status)).or_default() += n as u64;
        }
        std::hint::black_box(facets);
        Ok(total)
    }
}

/// Resident memory of this process from /proc/self/status.
mod memory {
    use super::BoxError;

    pub struct Memory {
        pub rss_kib: u64,
        pub hwm_kib: u64,
    }

    pub fn read() -> Result<Memory, BoxError> {
        let status = std::fs::read_to_string("/proc/self/status")?;
        let field = |name: &str| -> Result<u64, BoxError> {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
                .ok_or_else(|| format!("{name} missing in /proc/self/status").into())
        };
        Ok(Memory {
            rss_kib: field("VmRSS:")?,
            hwm_kib: field("VmHWM:")?,
        })
    }

    /// Resets VmHWM to the current RSS, so that the next reading is the peak
    /// of one phase rather than of the whole run.
    pub fn reset_peak() {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }
}

struct Stats {
    n: usize,
    p50: Duration,
    p95: Duration,
    p99: Duration,
}

/// Nearest-rank percentiles.
fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let n = samples.len();
    let at = |p: usize| samples[(n * p).div_ceil(100).clamp(1, n) - 1];
    Stats {
        n,
        p50: at(50),
        p95: at(95),
        p99: at(99),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}
