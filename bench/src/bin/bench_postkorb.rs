//! `bench-postkorb`: what a busy Postkorb costs (issue 17). Generates a
//! municipality with 200,000 documents (or the number given) and a clerk
//! with 2,000 open items (Wiedervorlagen due, overdue and to come,
//! Zuweisungen, Laufweg steps asking her) and 100 open Vorgänge, who
//! stands in today for 50 absent colleagues with 40 items each; 300 other
//! clerks share 40,000 more items. Then times, through the real router
//! (session, CSRF, server function, JSON; the page with server rendering):
//! the Postkorb page, its server function (the first 50 items of each
//! kind, with exact counts; and once with every item), the deputy's view
//! of one absent colleague's Postkorb and the navigation's count (which
//! adds up the 50 colleagues), next to a baseline measured in the same
//! run: the plain SQL count of the clerk's own open items. Each request is
//! sent once more, untimed, to count the SQL statements it runs.
//!
//! Run with `cargo run --release -p bench --bin bench-postkorb [documents]`
//! (or `make bench-postkorb`); a debug build prints figures that mean nothing.

use axum::http::StatusCode;
use bench::harness::{ms, percentiles, rss_kib, statements, Bench, BoxError, Client, Lcg};
use std::time::{Duration, Instant};

/// The clerk whose Postkorb is timed (a demo account of Michelstadt).
const USER: &str = "sachbearbeitung.mic";
const MICHELSTADT: i64 = 1;
const OWN_ITEMS: i64 = 2_000;
const OWN_VORGAENGE: i64 = 100;
const DEPUTISED: i64 = 50;
const ITEMS_PER_DEPUTISED: i64 = 40;
const OTHER_CLERKS: i64 = 300;
const OTHER_ITEMS: i64 = 40_000;
const RUNS: usize = 40;
const WARMUP: usize = 3;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    statements::install();
    let Bench {
        documents,
        dir: _dir,
        state,
        router,
    } = Bench::start(200_000).await?;

    let started = Instant::now();
    let generated = generate(&state.pool, documents).await?;
    println!(
        "Generated {documents} documents, {} open items of the clerk, {DEPUTISED} absent colleagues \
         with {ITEMS_PER_DEPUTISED} each, {OTHER_ITEMS} items of {OTHER_CLERKS} other clerks in {:.1} s.",
        generated.own_items,
        started.elapsed().as_secs_f64()
    );

    let client = Client::login(&router, USER).await?;
    // What the answers hold, once, so that the timing measures the real thing.
    let (status, body) = client.post("/api/load_postkorb", String::new()).await?;
    if status != StatusCode::OK {
        return Err(format!("load_postkorb answered {status}: {body}").into());
    }
    let postkorb: serde_json::Value = serde_json::from_str(&body)?;
    let listed = ["due", "assigned", "upcoming", "asked", "returned"]
        .iter()
        .map(|k| postkorb[k].as_array().map_or(0, Vec::len))
        .sum::<usize>();
    let counted = ["due", "assigned", "upcoming", "asked"]
        .iter()
        .map(|k| postkorb["totals"][k].as_i64().unwrap_or(0))
        .sum::<i64>();
    let deputised = postkorb["vertreten"].as_array().map_or(0, Vec::len);
    println!(
        "The Postkorb counts {counted} items and lists the first {} of each kind ({listed} in all), \
         {} Vorgänge and {deputised} colleagues in Vertretung ({} KiB of JSON).",
        app::postkorb::SHOWN,
        postkorb["vorgaenge"].as_array().map_or(0, Vec::len),
        body.len() / 1024
    );
    if counted != generated.own_items || deputised as i64 != DEPUTISED {
        return Err("the Postkorb does not count what was generated".into());
    }

    let absent = generated.first_absent;
    let absent_page = format!("/postkorb?fuer={absent}");
    let cases: [(&str, Call); 6] = [
        (
            "page `/postkorb` (server-rendered HTML)",
            Call::Get("/postkorb".into()),
        ),
        (
            "server function `load_postkorb`",
            Call::Post("/api/load_postkorb", String::new()),
        ),
        (
            "`load_postkorb` with every item (`alle`)",
            Call::Post("/api/load_postkorb", "alle=true".into()),
        ),
        (
            "page of one absent colleague's Postkorb (i. V., 40 items)",
            Call::Get(absent_page),
        ),
        (
            "`load_postkorb` of one absent colleague (i. V.)",
            Call::Post("/api/load_postkorb", format!("fuer={absent}")),
        ),
        (
            "navigation count `comms_status` (own + 50 colleagues)",
            Call::Post("/api/comms_status", String::new()),
        ),
    ];
    let rss_before = rss_kib("VmRSS");
    println!();
    println!("| request | SQL statements | n | p50 | p95 | baseline p50 | baseline p95 | ours ÷ baseline (p95) | goal p95 < 50 ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|:---:|");
    for (what, call) in &cases {
        // Once more, untimed, counting what the request asks of the database.
        let (sent, statements) = statements::count(call.send(&client)).await;
        sent?;
        let mut ours = Vec::new();
        let mut baseline = Vec::new();
        for i in 0..WARMUP + RUNS {
            let start = Instant::now();
            let (status, body) = call.send(&client).await?;
            let elapsed = start.elapsed();
            if status != StatusCode::OK {
                return Err(format!("{what} answered {status}: {body}").into());
            }
            std::hint::black_box(body);
            let start = Instant::now();
            let count: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM wiedervorlagen WHERE for_user_id = ?1 AND status = 'open')
                      + (SELECT COUNT(*) FROM zuweisungen WHERE to_user_id = ?1 AND status = 'open')
                      + (SELECT COUNT(*) FROM laufweg_schritte WHERE user_id = ?1 AND state = 'active')",
            )
            .bind(generated.clerk)
            .fetch_one(&state.pool)
            .await?;
            let base = start.elapsed();
            std::hint::black_box(count);
            if i >= WARMUP {
                ours.push(elapsed);
                baseline.push(base);
            }
        }
        let (o50, o95) = percentiles(ours);
        let (b50, b95) = percentiles(baseline);
        println!(
            "| {what} | {statements} | {RUNS} | {} | {} | {} | {} | {:.0} | {} |",
            ms(o50),
            ms(o95),
            ms(b50),
            ms(b95),
            o95.as_secs_f64() / b95.as_secs_f64(),
            if o95 < Duration::from_millis(50) {
                "yes"
            } else {
                "NO"
            }
        );
    }
    println!();
    println!(
        "Process memory: {} MiB RSS before the requests, {} MiB after, peak {} MiB (including the generator).",
        rss_before / 1024,
        rss_kib("VmRSS") / 1024,
        rss_kib("VmHWM") / 1024
    );
    Ok(())
}

enum Call {
    Get(String),
    Post(&'static str, String),
}

impl Call {
    async fn send(&self, client: &Client) -> Result<(StatusCode, String), BoxError> {
        match self {
            Call::Get(path) => client.get(path).await,
            Call::Post(path, form) => client.post(path, form.clone()).await,
        }
    }
}

struct Generated {
    clerk: i64,
    own_items: i64,
    first_absent: i64,
}

/// One open item of `person` about a random document: a Wiedervorlage
/// (due from 30 days ago to 60 days ahead), a Zuweisung or a Laufweg step
/// asking them, in the proportions 5 : 3 : 2.
async fn item(
    conn: &mut sqlx::SqliteConnection,
    rng: &mut Lcg,
    person: i64,
    from: i64,
    documents: &[i64],
    now: i64,
) -> Result<(), BoxError> {
    let document = documents[rng.below(documents.len() as i64) as usize];
    match rng.below(10) {
        0..=4 => {
            let due = app::time::today() + chrono::Duration::days(rng.below(91) - 30);
            sqlx::query(
                "INSERT INTO wiedervorlagen (municipality_id, document_id, for_user_id, due_on, reason, created_by, created_at)
                 VALUES (?, ?, ?, ?, 'Frist prüfen', ?, ?)",
            )
            .bind(MICHELSTADT)
            .bind(document)
            .bind(person)
            .bind(app::time::iso_date(due))
            .bind(from)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
        5..=7 => {
            sqlx::query(
                "INSERT INTO zuweisungen (municipality_id, document_id, to_user_id, note, created_by, created_at)
                 VALUES (?, ?, ?, 'Bitte bearbeiten', ?, ?)",
            )
            .bind(MICHELSTADT)
            .bind(document)
            .bind(person)
            .bind(from)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
        _ => {
            let laufweg: i64 = sqlx::query_scalar(
                "INSERT INTO laufwege (municipality_id, document_id, version_number, sha256, title, started_by, started_at)
                 VALUES (?, ?, 1, ?, 'Antwortentwurf', ?, ?) RETURNING id",
            )
            .bind(MICHELSTADT)
            .bind(document)
            .bind(format!("{document:064x}"))
            .bind(from)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            sqlx::query(
                "INSERT INTO laufweg_schritte (laufweg_id, stage, user_id, kind, state)
                 VALUES (?, 1, ?, 'mitzeichnung', 'active')",
            )
            .bind(laufweg)
            .bind(person)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

async fn clerk(conn: &mut sqlx::SqliteConnection, name: &str, now: i64) -> Result<i64, BoxError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO users (username, display_name, municipality_id, role, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, 'sachbearbeitung', 'x', ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(format!("Kollegin {name}"))
    .bind(MICHELSTADT)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?)
}

/// Rows as the features would have written them.
async fn generate(pool: &sqlx::SqlitePool, documents: i64) -> Result<Generated, BoxError> {
    let mut rng = Lcg(17);
    let now = app::time::now();
    let today = app::time::today();
    let clerk_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = ?")
        .bind(USER)
        .fetch_one(pool)
        .await?;
    let mut tx = pool.begin().await?;
    let conn = &mut *tx;
    let mut others = Vec::new();
    for i in 0..OTHER_CLERKS {
        others.push(clerk(conn, &format!("bench.{i}"), now).await?);
    }
    let mut ids = Vec::with_capacity(documents as usize);
    for i in 0..documents {
        let by = others[(i % OTHER_CLERKS) as usize];
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO documents (municipality_id, title, created_by, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(MICHELSTADT)
        .bind(format!("Schreiben {i}"))
        .bind(by)
        .bind(now - rng.below(365 * 86_400))
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        ids.push(id);
    }
    // The clerk's own items, from colleagues.
    let mut own_items = 0;
    for _ in 0..OWN_ITEMS {
        let from = others[rng.below(OTHER_CLERKS) as usize];
        item(conn, &mut rng, clerk_id, from, &ids, now).await?;
        own_items += 1;
    }
    let position: i64 = sqlx::query_scalar("SELECT id FROM plan_positions WHERE code = '621.1'")
        .fetch_one(&mut *conn)
        .await?;
    let akte: i64 = sqlx::query_scalar(
        "INSERT INTO akten (municipality_id, position_id, running_number, aktenzeichen, title, opened_on,
                            responsible, created_by, created_at)
         VALUES (?, ?, 9001, 'MIC 621.1-9001', 'Bauanträge 2026', '2026-01-02', 'Bauamt', ?, ?) RETURNING id",
    )
    .bind(MICHELSTADT)
    .bind(position)
    .bind(clerk_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for number in 1..=OWN_VORGAENGE {
        sqlx::query(
            "INSERT INTO vorgaenge (akte_id, municipality_id, number, zeichen, title, responsible_id, opened_on,
                                    created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, '2026-02-01', ?, ?)",
        )
        .bind(akte)
        .bind(MICHELSTADT)
        .bind(number)
        .bind(format!("MIC 621.1-9001/{number}"))
        .bind(format!("Bauantrag {number}"))
        .bind(clerk_id)
        .bind(clerk_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    // Absent colleagues the clerk stands in for today, each with items.
    let mut first_absent = 0;
    for i in 0..DEPUTISED {
        let absent = clerk(conn, &format!("abwesend.{i}"), now).await?;
        if i == 0 {
            first_absent = absent;
        }
        sqlx::query(
            "INSERT INTO vertretungen (municipality_id, absent_user_id, deputy_user_id, starts_on, ends_on,
                                       created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(MICHELSTADT)
        .bind(absent)
        .bind(clerk_id)
        .bind(app::time::iso_date(today - chrono::Duration::days(3)))
        .bind(app::time::iso_date(today + chrono::Duration::days(10)))
        .bind(absent)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        for _ in 0..ITEMS_PER_DEPUTISED {
            let from = others[rng.below(OTHER_CLERKS) as usize];
            item(conn, &mut rng, absent, from, &ids, now).await?;
        }
    }
    // Everybody else's work in the same tables.
    for _ in 0..OTHER_ITEMS {
        let person = others[rng.below(OTHER_CLERKS) as usize];
        let from = others[rng.below(OTHER_CLERKS) as usize];
        item(conn, &mut rng, person, from, &ids, now).await?;
    }
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(Generated {
        clerk: clerk_id,
        own_items,
        first_absent,
    })
}
