//! `bench-aktenplan`: how the Aktenplan explorer copes with a plan of
//! 10,000 positions (issue 3). Prints server-side times for the explorer's
//! first render, for expanding a node and for search-as-you-type, each next
//! to a baseline measured in the same run, so that the figures can be
//! compared across machines by their ratio.
//!
//! Run with `cargo run --release -p server --bin bench-aktenplan` (or
//! `make bench-aktenplan`); a debug build prints figures that mean nothing.
//!
//! Everything goes through the real router (session lookup, CSRF check,
//! Leptos SSR, server functions) on a SQLite file in a temporary directory,
//! one request at a time, as `tower::ServiceExt::oneshot` calls: no network,
//! so the times are what the server spends.

use app::aktenplan::code::Kennzeichen;
use app::aktenplan::index::PlanIndex;
use app::aktenplan::PositionRecord;
use app::state::AppState;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use server::config::Config;
use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};
use tower::ServiceExt;

type BoxError = Box<dyn std::error::Error>;

const POSITIONS: usize = 10_000;
const HOST: &str = "aktenwerk.bench";
/// The CSRF layer wants same-origin proof on every POST.
const ORIGIN: &str = "http://aktenwerk.bench";
const USER: &str = "sachbearbeitung.mic";
/// The limit `search_plan` passes to the index; the SQL baseline must
/// return no more rows than the real search, or it would do more work.
const SEARCH_LIMIT: usize = 30;
const RENDER_RUNS: usize = 200;
const EXPAND_RUNS: usize = 500;
const SEARCH_RUNS: usize = 1000;
const WARMUP_RUNS: usize = 30;
/// The goal of issue 3, per search query.
const GOAL_P95: Duration = Duration::from_millis(10);

/// Typed letter by letter, every prefix one query, as a user without
/// debouncing would send them: words from the seed plan, a code, an umlaut
/// and a two-word query.
const TYPED: [&str; 15] = [
    "Bauantrag",
    "Friedhof",
    "Gewerbe",
    "022",
    "Hundesteuer",
    "Kita",
    "Straße",
    "Feuerwehr",
    "Bebauungsplan",
    "Wasser",
    "Schule",
    "Widerspruch",
    "Personal",
    "621.13",
    "Friedhof Gebühr",
];

/// Opened in the tree; codes of the shipped seed plan that have children in
/// both plans, so that the two servers answer the same request.
const EXPANDED: [&str; 8] = ["0", "02", "022", "6", "62", "621", "3", "30"];

/// A seed position deep in the tree, for the deep-link render.
const DEEP_LINK: &str = "621.1";

/// Level-4 groups generated under every level-3 position of the seed plan:
/// title, keywords, what the description says.
const ASPECTS: [(&str, &str, &str); 9] = [
    (
        "Grundsatzangelegenheiten",
        "Grundsatz, Rundschreiben",
        "Grundsätzliches, Rundschreiben und Erlasse",
    ),
    (
        "Anträge und Bescheide",
        "Antrag, Bescheid",
        "Anträge, Bescheide und Nachweise",
    ),
    (
        "Verträge und Vereinbarungen",
        "Vertrag, Vereinbarung",
        "Verträge, Vereinbarungen und Kündigungen",
    ),
    (
        "Zuschüsse und Förderung",
        "Zuschuss, Förderantrag, Verwendungsnachweis",
        "Förderanträge, Zuwendungsbescheide und Verwendungsnachweise",
    ),
    (
        "Widersprüche und Klagen",
        "Widerspruch, Klage, Rechtsstreit",
        "Widerspruchsverfahren, Klagen und Vergleiche",
    ),
    (
        "Statistik und Berichte",
        "Statistik, Bericht",
        "Statistiken, Jahresberichte und Meldungen an Landesbehörden",
    ),
    (
        "Gebühren und Entgelte",
        "Gebühr, Entgelt, Kalkulation",
        "Gebührenbescheide, Kalkulationen und Entgeltordnungen",
    ),
    (
        "Schriftverkehr mit Behörden",
        "Schriftverkehr, Aufsichtsbehörde, Landkreis",
        "Schriftwechsel mit Landkreis, Regierungspräsidium und Ministerien",
    ),
    (
        "Einzelfälle",
        "Einzelfall, Vorgang",
        "Einzelvorgänge ohne eigene Untergruppe",
    ),
];

/// Level-5 groups under every level-4 position: title and keywords.
const PARTS: [(&str, &str); 9] = [
    ("Michelstadt", "Michelstadt"),
    ("Erbach", "Erbach"),
    ("Oberzent", "Oberzent"),
    ("Brombachtal", "Brombachtal"),
    ("gemeinsame Vorgänge", "interkommunal, Zusammenarbeit"),
    ("Sammelakten", "Sammelakte"),
    ("Altfälle bis 2015", "Altfall"),
    ("Sonderfälle", "Sonderfall"),
    ("Muster und Vorlagen", "Muster, Vorlage"),
];

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: debug build; the figures only mean something with \
             `cargo run --release -p server --bin bench-aktenplan`\n"
        );
    }
    let seed = app::aktenplan::csv_format::parse(app::aktenplan::storage::SEED_CSV)
        .map_err(|problems| format!("the shipped seed plan is invalid: {problems:?}"))?;
    let plan = generate_plan(&seed, POSITIONS)?;

    let started = Instant::now();
    let big = Instance::start(Some(&plan)).await?;
    let small = Instance::start(None).await?;
    println!(
        "Two servers started in {:.1} s (10,000-position plan loaded with import_initial; seed plan as shipped).\n",
        started.elapsed().as_secs_f64()
    );
    describe(&big.state.plan.snapshot(), "benchmark plan");
    describe(&small.state.plan.snapshot(), "seed plan (baseline)");

    let queries = typed_queries();
    let big_index = big.state.plan.snapshot();
    check_setup(&big, &small, &big_index, &queries).await?;

    let mut rows = Vec::new();
    rows.push(bench_render(&big, &small, "/aktenplan").await?);
    rows.push(bench_render(&big, &small, &format!("/aktenplan/{DEEP_LINK}")).await?);
    rows.push(bench_expand_http(&big, &small).await?);
    rows.push(bench_expand_index(&big, &big_index).await?);
    let (search_http, search_index, slowest) = bench_search(&big, &big_index, &queries).await?;
    let http_p95 = search_http.ours.p95;
    rows.push(search_http);
    rows.push(search_index);

    print_table(&rows);
    println!("\nSlowest search prefixes in the index (mean of their runs):");
    for (query, mean, hits) in slowest {
        println!(
            "  {:<18} {:>8}  {hits} hits",
            format!("„{query}“"),
            ms(mean)
        );
    }
    println!(
        "\nGoal of issue 3: p95 below {} per search query. Measured through the router: p95 {} → {}.",
        ms(GOAL_P95),
        ms(http_p95),
        if http_p95 < GOAL_P95 {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}

/// The seed plan plus generated sub-positions: every level-3 position gets
/// its nine level-4 groups (where the seed has none with that digit), then
/// the level-4 positions get level-5 groups round-robin until `target`.
/// Titles, keywords and descriptions reuse the parents' words, so searches
/// for seed words hit generated positions as they would in a real plan.
fn generate_plan(seed: &[PositionRecord], target: usize) -> Result<Vec<PositionRecord>, BoxError> {
    let mut codes: HashSet<Kennzeichen> = seed.iter().map(|p| p.code.clone()).collect();
    let mut plan: Vec<PositionRecord> = seed.to_vec();
    for parent in seed.iter().filter(|p| p.code.level() == 3) {
        for digit in 1..=9u8 {
            let code = parent.code.child(digit);
            if codes.contains(&code) {
                continue;
            }
            let (aspect, aspect_keywords, aspect_text) = ASPECTS[usize::from(digit - 1)];
            let topic = parent
                .keywords
                .get(usize::from(digit - 1) % parent.keywords.len().max(1))
                .cloned()
                .unwrap_or_else(|| parent.title.clone());
            let mut keywords = vec![topic.clone()];
            keywords.extend(app::aktenplan::split_keywords(aspect_keywords));
            codes.insert(code.clone());
            plan.push(PositionRecord {
                code,
                title: format!("{topic} – {aspect}"),
                description: format!(
                    "{aspect_text} zu „{}“. Beispiele: {topic}, {}.",
                    parent.title, keywords[1]
                ),
                keywords,
                ..parent.clone()
            });
        }
    }
    let level4: Vec<PositionRecord> = plan
        .iter()
        .filter(|p| p.code.level() == 4)
        .cloned()
        .collect();
    'rounds: for digit in 1..=9u8 {
        for parent in &level4 {
            if plan.len() >= target {
                break 'rounds;
            }
            let code = parent.code.child(digit);
            if !codes.insert(code.clone()) {
                continue;
            }
            let (part, part_keywords) = PARTS[usize::from(digit - 1)];
            let mut keywords: Vec<String> = parent.keywords.iter().take(2).cloned().collect();
            keywords.extend(app::aktenplan::split_keywords(part_keywords));
            plan.push(PositionRecord {
                code,
                title: format!("{}, {part}", parent.title),
                description: format!("{part}: {}", parent.description),
                keywords,
                ..parent.clone()
            });
        }
    }
    if plan.len() != target {
        return Err(format!("generated {} positions instead of {target}", plan.len()).into());
    }
    // Parents before children, as `import_initial` needs them.
    plan.sort_by_key(|p| p.code.sort_key());
    Ok(plan)
}

fn describe(index: &PlanIndex, what: &str) {
    let mut levels: BTreeMap<usize, usize> = BTreeMap::new();
    let mut widest = 0;
    let mut stack: Vec<Option<i64>> = vec![None];
    while let Some(parent) = stack.pop() {
        let children: Vec<_> = index.children(parent).collect();
        widest = widest.max(children.len());
        for child in children {
            *levels.entry(child.record.code.level()).or_default() += 1;
            stack.push(Some(child.id));
        }
    }
    let per_level: Vec<String> = levels
        .iter()
        .map(|(level, n)| format!("L{level}: {n}"))
        .collect();
    println!(
        "{what}: {} positions, depth {} ({}), at most {widest} children per node",
        index.len(),
        levels.keys().next_back().copied().unwrap_or(0),
        per_level.join(", ")
    );
}

/// Every prefix of every typed word, in typing order.
fn typed_queries() -> Vec<String> {
    let mut queries = Vec::new();
    for word in TYPED {
        let chars: Vec<char> = word.chars().collect();
        for end in 1..=chars.len() {
            queries.push(chars[..end].iter().collect());
        }
    }
    queries
}

/// Refuses to print figures for requests that did not do the real work
/// (a login redirect, an error page, an empty search).
async fn check_setup(
    big: &Instance,
    small: &Instance,
    index: &PlanIndex,
    queries: &[String],
) -> Result<(), BoxError> {
    for instance in [big, small] {
        for path in ["/aktenplan".to_string(), format!("/aktenplan/{DEEP_LINK}")] {
            let reply = instance.get(&path).await?;
            if reply.status != StatusCode::OK || !reply.body.contains("Aktenplan") {
                return Err(
                    format!("GET {path} answered {}: not the explorer", reply.status).into(),
                );
            }
        }
        for code in EXPANDED {
            let reply = instance.expand(code).await?;
            let children: serde_json::Value = serde_json::from_str(&reply.body)?;
            if reply.status != StatusCode::OK || children.as_array().is_none_or(Vec::is_empty) {
                return Err(format!("plan_children({code}) answered {}", reply.status).into());
            }
        }
    }
    let deep = big.get(&format!("/aktenplan/{DEEP_LINK}")).await?;
    let plain = big.get("/aktenplan").await?;
    let deep_small = small.get(&format!("/aktenplan/{DEEP_LINK}")).await?;
    let plain_small = small.get("/aktenplan").await?;
    println!(
        "HTML sizes: /aktenplan {} B (seed plan {} B), /aktenplan/{DEEP_LINK} {} B (seed plan {} B)",
        plain.body.len(),
        plain_small.body.len(),
        deep.body.len(),
        deep_small.body.len()
    );

    let mut summary = Vec::new();
    for word in TYPED {
        let reply = big.search(word).await?;
        let hits: serde_json::Value = serde_json::from_str(&reply.body)?;
        let shown = hits.as_array().map_or(0, Vec::len);
        if reply.status != StatusCode::OK || shown == 0 {
            return Err(
                format!("search_plan({word}) answered {} with no hits", reply.status).into(),
            );
        }
        let all = index.search(word, usize::MAX).len();
        summary.push(format!("{word} {all}"));
    }
    println!(
        "Search: {} queries (every prefix of {} typed words); hits when fully typed: {}\n",
        queries.len(),
        TYPED.len(),
        summary.join(", ")
    );
    Ok(())
}

struct Instance {
    router: Router,
    state: AppState,
    cookie: String,
    // Dropped last: removes the database.
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    body: String,
}

impl Instance {
    /// A server on a fresh data directory; with `plan`, that plan is loaded
    /// before start-up, which then finds a plan and does not seed its own.
    async fn start(plan: Option<&[PositionRecord]>) -> Result<Instance, BoxError> {
        let dir = tempfile::tempdir()?;
        let config = Config::from_vars([
            (
                "AKTENWERK_DATA_DIR".to_string(),
                dir.path().display().to_string(),
            ),
            ("AKTENWERK_DEMO".to_string(), "true".to_string()),
        ])?;
        if let Some(records) = plan {
            std::fs::create_dir_all(&config.data_dir)?;
            let pool = app::db::connect(&config.database_url).await?;
            app::db::migrate(&pool).await?;
            app::aktenplan::service::import_initial(&pool, records, None, "Benchmark").await?;
            pool.close().await;
        }
        let state = server::startup::prepare(&config).await?;
        let router = server::router(&config, state.clone());
        let mut instance = Instance {
            router,
            state,
            cookie: String::new(),
            _dir: dir,
        };
        instance.cookie = instance.login().await?;
        Ok(instance)
    }

    async fn send(&self, request: Request<Body>) -> Result<Reply, BoxError> {
        let response = self.router.clone().oneshot(request).await?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        Ok(Reply {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    async fn get(&self, path: &str) -> Result<Reply, BoxError> {
        let request = Request::get(path)
            .header(header::HOST, HOST)
            .header(header::COOKIE, &self.cookie)
            .body(Body::empty())?;
        self.send(request).await
    }

    fn post_request(&self, path: &str, form: String) -> Result<Request<Body>, BoxError> {
        Ok(Request::post(path)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &self.cookie)
            .body(Body::from(form))?)
    }

    async fn login(&self) -> Result<String, BoxError> {
        let form = format!(
            "benutzername={}&passwort={}",
            form_encode(USER),
            form_encode(app::users::bootstrap::DEMO_PASSWORD)
        );
        let response = self
            .router
            .clone()
            .oneshot(self.post_request("/anmelden", form)?)
            .await?;
        let pair = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .filter(|pair| !pair.ends_with('='))
            .ok_or_else(|| format!("demo login as {USER} failed: {}", response.status()))?;
        Ok(pair.to_string())
    }

    fn position_id(&self, code: &str) -> Result<i64, BoxError> {
        self.state
            .plan
            .snapshot()
            .by_code(code)
            .map(|p| p.id)
            .ok_or_else(|| format!("position {code} missing").into())
    }

    async fn expand(&self, code: &str) -> Result<Reply, BoxError> {
        let form = format!("parent_id={}", self.position_id(code)?);
        self.send(self.post_request("/api/plan_children", form)?)
            .await
    }

    async fn search(&self, query: &str) -> Result<Reply, BoxError> {
        let form = format!("query={}", form_encode(query));
        self.send(self.post_request("/api/search_plan", form)?)
            .await
    }
}

fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

struct Stats {
    n: usize,
    p50: Duration,
    p95: Duration,
    max: Duration,
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
        max: samples[n - 1],
    }
}

struct Row {
    what: String,
    ours: Stats,
    baseline_name: &'static str,
    baseline: Stats,
}

/// Times `ours` and `baseline` alternately, so that drift (CPU frequency,
/// page cache, the other core's load) hits both alike.
async fn paired<A, B>(runs: usize, mut ours: A, mut baseline: B) -> Result<(Stats, Stats), BoxError>
where
    A: AsyncFnMut(usize) -> Result<(), BoxError>,
    B: AsyncFnMut(usize) -> Result<(), BoxError>,
{
    for i in 0..WARMUP_RUNS {
        ours(i).await?;
        baseline(i).await?;
    }
    let mut a = Vec::with_capacity(runs);
    let mut b = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        ours(i).await?;
        a.push(start.elapsed());
        let start = Instant::now();
        baseline(i).await?;
        b.push(start.elapsed());
    }
    Ok((stats(a), stats(b)))
}

fn expect_ok(reply: Reply, what: &str) -> Result<(), BoxError> {
    if reply.status == StatusCode::OK {
        Ok(())
    } else {
        Err(format!("{what} answered {}", reply.status).into())
    }
}

async fn bench_render(big: &Instance, small: &Instance, path: &str) -> Result<Row, BoxError> {
    let (ours, baseline) = paired(
        RENDER_RUNS,
        async |_| expect_ok(big.get(path).await?, path),
        async |_| expect_ok(small.get(path).await?, path),
    )
    .await?;
    Ok(Row {
        what: format!("first render GET {path}"),
        ours,
        baseline_name: "same request, seed plan (354)",
        baseline,
    })
}

async fn bench_expand_http(big: &Instance, small: &Instance) -> Result<Row, BoxError> {
    let (ours, baseline) = paired(
        EXPAND_RUNS,
        async |i| {
            let code = EXPANDED[i % EXPANDED.len()];
            expect_ok(big.expand(code).await?, "plan_children")
        },
        async |i| {
            let code = EXPANDED[i % EXPANDED.len()];
            expect_ok(small.expand(code).await?, "plan_children")
        },
    )
    .await?;
    Ok(Row {
        what: "expand POST /api/plan_children".into(),
        ours,
        baseline_name: "same request, seed plan (354)",
        baseline,
    })
}

/// What `plan_children` reads, without HTTP and the Akten counts: the
/// children in plan order and whether each has children of its own.
async fn bench_expand_index(big: &Instance, index: &PlanIndex) -> Result<Row, BoxError> {
    let ids: Vec<i64> = EXPANDED
        .iter()
        .map(|code| big.position_id(code))
        .collect::<Result<_, _>>()?;
    let pool = &big.state.pool;
    let (ours, baseline) = paired(
        EXPAND_RUNS,
        async |i| {
            let children: Vec<(i64, bool)> = index
                .children(Some(ids[i % ids.len()]))
                .filter(|p| p.record.active)
                .map(|p| (p.id, index.has_children(p.id)))
                .collect();
            std::hint::black_box(children);
            Ok(())
        },
        async |i| {
            let children: Vec<(i64, String, String, bool)> = sqlx::query_as(
                "SELECT p.id, p.code, p.title,
                        EXISTS (SELECT 1 FROM plan_positions c WHERE c.parent_id = p.id)
                 FROM plan_positions p
                 WHERE p.parent_id = ? AND p.active = 1
                 ORDER BY p.sort_key",
            )
            .bind(ids[i % ids.len()])
            .fetch_all(pool)
            .await?;
            std::hint::black_box(children);
            Ok(())
        },
    )
    .await?;
    Ok(Row {
        what: "expand, in-process PlanIndex::children".into(),
        ours,
        baseline_name: "SQL WHERE parent_id = ? (indexed)",
        baseline,
    })
}

/// The search as plain SQL: every word must occur in code (as a prefix),
/// title, keywords or description; no folding beyond SQLite's ASCII case,
/// no ranking, no highlighting — less work than the real search does.
async fn search_like(pool: &sqlx::SqlitePool, query: &str) -> Result<usize, BoxError> {
    let terms: Vec<String> = query
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        })
        .collect();
    let mut sql = String::from("SELECT id, code, title FROM plan_positions WHERE active = 1");
    for _ in &terms {
        sql.push_str(
            " AND (code LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\'
                   OR keywords LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')",
        );
    }
    sql.push_str(" ORDER BY sort_key LIMIT ?");
    let mut statement = sqlx::query_as::<_, (i64, String, String)>(&sql);
    for term in &terms {
        let anywhere = format!("%{term}%");
        statement = statement
            .bind(format!("{term}%"))
            .bind(anywhere.clone())
            .bind(anywhere.clone())
            .bind(anywhere);
    }
    let rows = statement.bind(SEARCH_LIMIT as i64).fetch_all(pool).await?;
    Ok(rows.len())
}

async fn bench_search(
    big: &Instance,
    index: &PlanIndex,
    queries: &[String],
) -> Result<(Row, Row, Vec<(String, Duration, usize)>), BoxError> {
    let pool = &big.state.pool;
    let (http, http_like) = paired(
        SEARCH_RUNS,
        async |i| {
            let query = &queries[i % queries.len()];
            expect_ok(big.search(query).await?, "search_plan")
        },
        async |i| {
            search_like(pool, &queries[i % queries.len()]).await?;
            Ok(())
        },
    )
    .await?;

    let mut per_query: Vec<Vec<Duration>> = vec![Vec::new(); queries.len()];
    let (direct, direct_like) = paired(
        SEARCH_RUNS,
        async |i| {
            let query = &queries[i % queries.len()];
            let start = Instant::now();
            let hits = index.search(query, SEARCH_LIMIT);
            let took = start.elapsed();
            std::hint::black_box(hits);
            per_query[i % queries.len()].push(took);
            Ok(())
        },
        async |i| {
            search_like(pool, &queries[i % queries.len()]).await?;
            Ok(())
        },
    )
    .await?;

    let mut slowest: Vec<(String, Duration, usize)> = per_query
        .iter()
        .zip(queries)
        .filter(|(times, _)| !times.is_empty())
        .map(|(times, query)| {
            let mean = times.iter().sum::<Duration>() / times.len() as u32;
            (query.clone(), mean, index.search(query, usize::MAX).len())
        })
        .collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.1));
    slowest.truncate(5);

    Ok((
        Row {
            what: "search POST /api/search_plan".into(),
            ours: http,
            baseline_name: "SQL LIKE '%term%' (4 columns)",
            baseline: http_like,
        },
        Row {
            what: "search, in-process PlanIndex::search".into(),
            ours: direct,
            baseline_name: "SQL LIKE '%term%' (4 columns)",
            baseline: direct_like,
        },
        slowest,
    ))
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn ratio(baseline: Duration, ours: Duration) -> String {
    format!(
        "{:.2}",
        baseline.as_secs_f64() / ours.as_secs_f64().max(1e-9)
    )
}

fn print_table(rows: &[Row]) {
    println!(
        "| what | n | p50 | p95 | max | baseline | baseline p50 | baseline p95 | ratio p50 | ratio p95 |"
    );
    println!("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|");
    for row in rows {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.what,
            row.ours.n,
            ms(row.ours.p50),
            ms(row.ours.p95),
            ms(row.ours.max),
            row.baseline_name,
            ms(row.baseline.p50),
            ms(row.baseline.p95),
            ratio(row.baseline.p50, row.ours.p50),
            ratio(row.baseline.p95, row.ours.p95),
        );
    }
    println!(
        "\nratio = baseline / measured: above 1 means faster than the baseline; \
         against the seed plan it shows what the 28 times larger plan costs."
    );
}
