//! `bench-rollout`: what the rollout dashboard costs on a year of a busy
//! rollout (issues 7 and 16). Generates 100,000 documents (uploads and
//! filings in the audit log, extracted pages), 300 people with their days
//! of use, finished walkthroughs and questions over 365 days, the way an
//! installation from before the summary holds them; fills the summary
//! from them with migration 0011's statements, as the update does. Then
//! times the dashboard through the real router (session, CSRF, server
//! function, JSON) next to, measured in the same run, a baseline (one
//! figure, uploads per municipality and day, as a single SQL `GROUP BY`)
//! and the raw computation the dashboard used before (`storage::facts`,
//! now the reference of `rollout-check`, fewer runs: it takes seconds),
//! and checks that both give the same dashboard.
//!
//! Run with `cargo run --release -p bench --bin bench-rollout [documents]`
//! (or `make bench-rollout`); a debug build prints figures that mean nothing.

use axum::http::StatusCode;
use bench::harness::{ms, percentiles, rss_kib, Bench, BoxError, Client, Lcg};
use std::time::{Duration, Instant};

const USER: &str = "projekt.mic";
const PEOPLE: i64 = 300;
const DAYS: i64 = 365;
const RUNS: usize = 30;
const WARMUP: usize = 3;
/// Runs of the old raw computation (seconds each at 100,000 documents).
const RAW_RUNS: usize = 5;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let Bench {
        documents,
        dir: _dir,
        state,
        router,
    } = Bench::start(100_000).await?;

    let started = Instant::now();
    generate(&state.pool, documents).await?;
    println!(
        "Generated {documents} documents, {PEOPLE} people, {DAYS} days in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    {
        let mut tx = app::db::begin_write(&state.pool).await?;
        app::rollout_days::refill(&mut tx).await?;
        tx.commit().await?;
    }
    let summary_rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rollout_days")
        .fetch_one(&state.pool)
        .await?;
    println!(
        "Summary filled from the raw rows (migration 0011) in {:.1} s: {summary_rows} rows.",
        started.elapsed().as_secs_f64()
    );

    let client = Client::login(&router, USER).await?;
    let today = app::time::today();
    let year_ago = today - chrono::Duration::days(DAYS - 1);
    let month_ago = today - chrono::Duration::days(27);
    let form = |from: chrono::NaiveDate, granularity: &str| {
        format!(
            "request%5Bvon%5D={from}&request%5Bbis%5D={today}&request%5Beinteilung%5D={granularity}&request%5Bgemeinde%5D="
        )
    };
    let cases = [
        ("365 days by day", form(year_ago, "tag"), year_ago, "tag"),
        (
            "365 days by week",
            form(year_ago, "woche"),
            year_ago,
            "woche",
        ),
        (
            "28 days by day (the default)",
            form(month_ago, "tag"),
            month_ago,
            "tag",
        ),
    ];
    let rss_before = rss_kib("VmRSS");
    println!();
    println!("| dashboard request | n | p50 | p95 | baseline p50 | baseline p95 | baseline ÷ ours (p50) | old raw computation p50 (n = {RAW_RUNS}) | same figures |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|:---:|");
    for (what, form, from, granularity) in &cases {
        let mut ours = Vec::new();
        let mut baseline = Vec::new();
        for i in 0..WARMUP + RUNS {
            let start = Instant::now();
            let reply = client.post("/api/rollout_dashboard", form.clone()).await?;
            let elapsed = start.elapsed();
            if reply.0 != StatusCode::OK {
                return Err(format!("dashboard answered {}: {}", reply.0, reply.1).into());
            }
            let start = Instant::now();
            let rows: Vec<(i64, String, i64)> = sqlx::query_as(
                "SELECT municipality_id, date(at, 'unixepoch', 'localtime'), COUNT(*)
                 FROM audit_log WHERE action = 'document_uploaded' GROUP BY 1, 2",
            )
            .fetch_all(&state.pool)
            .await?;
            let base = start.elapsed();
            std::hint::black_box(rows);
            if i >= WARMUP {
                ours.push(elapsed);
                baseline.push(base);
            }
        }
        let (o50, o95) = percentiles(ours);
        let (b50, b95) = percentiles(baseline);
        let (r50, same) = raw(&state.pool, *from, today, granularity).await?;
        println!(
            "| {what} | {RUNS} | {} | {} | {} | {} | {:.2} | {} | {} |",
            ms(o50),
            ms(o95),
            ms(b50),
            ms(b95),
            b50.as_secs_f64() / o50.as_secs_f64(),
            ms(r50),
            if same { "yes" } else { "NO" }
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

/// The old way: every raw row of the range into `figures::compute`, as
/// the dashboard computed it before the summary (without router and JSON,
/// which only favours it). Also whether it gives the summary's dashboard.
async fn raw(
    pool: &sqlx::SqlitePool,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    granularity: &str,
) -> Result<(Duration, bool), BoxError> {
    use app::rollout::figures::{compute, compute_from_summary, Range};
    use app::rollout::storage;
    let range = Range {
        from,
        to,
        granularity: app::rollout::Granularity::parse(granularity).ok_or("granularity")?,
    };
    let mut times = Vec::new();
    let mut same = true;
    for i in 0..=RAW_RUNS {
        let mut tx = pool.begin().await?;
        let start = Instant::now();
        let places = storage::municipalities(&mut tx).await?;
        let facts = storage::facts(&mut tx, from, to).await?;
        let old = compute(&facts, range, places.clone(), places.clone(), None);
        if i > 0 {
            times.push(start.elapsed());
        }
        if i == 0 {
            let summary = storage::summary(&mut tx, range, &places).await?;
            same = compute_from_summary(&summary, range, places.clone(), places, None) == old;
        }
        tx.rollback().await?;
    }
    Ok((percentiles(times).0, same))
}

/// Rows as the features would have written them over a year. The audit
/// rows carry placeholder hashes: the dashboard reads actions and times,
/// not the chain.
async fn generate(pool: &sqlx::SqlitePool, documents: i64) -> Result<(), BoxError> {
    let mut rng = Lcg(42);
    let now = app::time::now();
    let year_start = now - DAYS * 86_400;
    let mut tx = pool.begin().await?;
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        let municipality = 1 + i % 4;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, municipality_id, role, password_hash, created_at, updated_at)
             VALUES (?, ?, ?, 'sachbearbeitung', 'x', ?, ?) RETURNING id",
        )
        .bind(format!("bench.{i}"))
        .bind(format!("Person {i}"))
        .bind(municipality)
        .bind(year_start)
        .bind(year_start)
        .fetch_one(&mut *tx)
        .await?;
        people.push((id, municipality));
    }
    let conn = &mut *tx;
    for &(id, municipality) in &people {
        for day in 0..DAYS {
            if rng.below(10) < 6 {
                app::rollout::storage::record_activity(
                    &mut *conn,
                    id,
                    municipality,
                    year_start + day * 86_400 + 8 * 3600,
                )
                .await?;
            }
        }
        if rng.below(10) < 6 {
            let at = year_start + rng.below(DAYS) * 86_400;
            sqlx::query(
                "INSERT INTO tour_runs (user_id, tour_id, status, step, steps, started_at, updated_at, ended_at)
                 VALUES (?, 2, 'finished', 6, 6, ?, ?, ?)",
            )
            .bind(id)
            .bind(at)
            .bind(at + 300)
            .bind(at + 300)
            .execute(&mut *conn)
            .await?;
        }
    }
    for i in 0..documents {
        let (user, municipality) = people[(i % PEOPLE) as usize];
        let created = year_start + rng.below(DAYS * 86_400);
        let filed = (rng.below(100) < 85).then(|| created + rng.below(10 * 86_400));
        let sha = format!("{i:064x}");
        sqlx::query("INSERT INTO blobs (sha256, size, created_at) VALUES (?, 1000, ?)")
            .bind(&sha)
            .bind(created)
            .execute(&mut *conn)
            .await?;
        let document: i64 = sqlx::query_scalar(
            "INSERT INTO documents (municipality_id, title, created_by, created_at, updated_at, filed_at)
             VALUES (?, 'Dokument', ?, ?, ?, ?) RETURNING id",
        )
        .bind(municipality)
        .bind(user)
        .bind(created)
        .bind(created)
        .bind(filed)
        .fetch_one(&mut *conn)
        .await?;
        let version: i64 = sqlx::query_scalar(
            "INSERT INTO document_versions (document_id, number, sha256, size, kind, file_name, created_by, created_at)
             VALUES (?, 1, ?, 1000, 'pdf', 'd.pdf', ?, ?) RETURNING id",
        )
        .bind(document)
        .bind(&sha)
        .bind(user)
        .bind(created)
        .fetch_one(&mut *conn)
        .await?;
        let pages = 1 + rng.below(5);
        sqlx::query(
            "INSERT INTO version_texts (version_id, text, pages, ocr_pages, method, extracted_at)
             VALUES (?, '', ?, ?, 'mixed', ?)",
        )
        .bind(version)
        .bind(pages)
        .bind(rng.below(pages + 1))
        .bind(created + 60)
        .execute(&mut *conn)
        .await?;
        for (action, at) in [
            ("document_uploaded", Some(created)),
            ("document_filed", filed),
        ] {
            let Some(at) = at else { continue };
            sqlx::query(
                "INSERT INTO audit_log (at, actor_user_id, actor_name, municipality_id, action, object_type, object_id, details, prev_hash, hash)
                 VALUES (?, ?, 'Person', ?, ?, 'document', ?, '{\"akte_id\":null}', '', ?)",
            )
            .bind(at)
            .bind(user)
            .bind(municipality)
            .bind(action)
            .bind(document.to_string())
            .bind(format!("{action}-{document}"))
            .execute(&mut *conn)
            .await?;
        }
    }
    for i in 0..(documents / 200) {
        let (user, municipality) = people[(i * 7 % PEOPLE) as usize];
        let asked = year_start + rng.below(DAYS * 86_400);
        let question: i64 = sqlx::query_scalar(
            "INSERT INTO questions (asker_id, municipality_id, page_path, created_at) VALUES (?, ?, '/', ?) RETURNING id",
        )
        .bind(user)
        .bind(municipality)
        .bind(asked)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO question_messages (question_id, author_id, author_name, from_team, body, created_at)
             VALUES (?, ?, 'Person', 0, 'Frage', ?)",
        )
        .bind(question)
        .bind(user)
        .bind(asked)
        .execute(&mut *conn)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
