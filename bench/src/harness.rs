//! What the router benchmarks share: a deterministic generator, a signed-in
//! client of the real router (session, CSRF origin, server functions and
//! pages), nearest-rank percentiles and the process's memory.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use std::time::Duration;
use tower::ServiceExt;

pub type BoxError = Box<dyn std::error::Error>;

const HOST: &str = "aktenwerk.bench";
const ORIGIN: &str = "http://aktenwerk.bench";

/// A server in demo mode on a temporary data directory, with its router,
/// and how many documents to generate: the first argument, or `default`.
pub struct Bench {
    pub documents: i64,
    /// Removed when dropped: keep it as long as the server runs.
    pub dir: tempfile::TempDir,
    pub state: app::state::AppState,
    pub router: Router,
}

impl Bench {
    pub async fn start(default: i64) -> Result<Bench, BoxError> {
        let documents: i64 = std::env::args()
            .nth(1)
            .map(|n| n.parse())
            .transpose()?
            .unwrap_or(default);
        let (dir, state, router) = demo_server().await?;
        Ok(Bench {
            documents,
            dir,
            state,
            router,
        })
    }
}

/// A server in demo mode on a new temporary data directory (removed
/// when the directory is dropped): the directory, the state and the
/// router, without background work.
pub async fn demo_server() -> Result<(tempfile::TempDir, app::state::AppState, Router), BoxError> {
    let dir = tempfile::tempdir()?;
    let config = server::config::Config::from_vars([
        (
            "AKTENWERK_DATA_DIR".to_string(),
            dir.path().display().to_string(),
        ),
        ("AKTENWERK_DEMO".to_string(), "true".to_string()),
    ])?;
    let state = server::startup::prepare(&config).await?;
    let router = server::router(&config, state.clone());
    Ok((dir, state, router))
}

/// A small deterministic generator (64-bit LCG), so every run has the same data.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: i64) -> i64 {
        (self.next_u64() % n.max(1) as u64) as i64
    }
}

/// A demo account signed in to the router, sending requests as its browser
/// would.
pub struct Client {
    router: Router,
    cookie: String,
}

impl Client {
    /// Signs `username` in with the demo password.
    pub async fn login(router: &Router, username: &str) -> Result<Client, BoxError> {
        let form = format!(
            "benutzername={username}&passwort={}",
            app::users::bootstrap::DEMO_PASSWORD
        );
        let request = Request::post("/anmelden")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))?;
        let response = router.clone().oneshot(request).await?;
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .filter(|pair| !pair.ends_with('='))
            .map(str::to_string)
            .ok_or_else(|| format!("demo login as {username} failed: {}", response.status()))?;
        Ok(Client {
            router: router.clone(),
            cookie,
        })
    }

    /// A form POST (a server function): status and body.
    pub async fn post(&self, path: &str, form: String) -> Result<(StatusCode, String), BoxError> {
        let request = Request::post(path)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &self.cookie)
            .body(Body::from(form))?;
        self.send(request).await
    }

    /// A GET (a page rendered on the server): status and body.
    pub async fn get(&self, path: &str) -> Result<(StatusCode, String), BoxError> {
        let request = Request::get(path)
            .header(header::HOST, HOST)
            .header(header::COOKIE, &self.cookie)
            .body(Body::empty())?;
        self.send(request).await
    }

    async fn send(&self, request: Request<Body>) -> Result<(StatusCode, String), BoxError> {
        let response = self.router.clone().oneshot(request).await?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
    }
}

/// `12.3 ms`.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Nearest-rank p50 and p95.
pub fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let n = samples.len();
    let at = |p: usize| samples[(n * p).div_ceil(100).clamp(1, n) - 1];
    (at(50), at(95))
}

/// A field of `/proc/self/status` in KiB (`VmRSS`, `VmHWM`), 0 if unknown.
pub fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// How many SQL statements a request costs: sqlx reports each statement it
/// ran as a `sqlx::query` event, and while [`statements::count`] runs, a
/// layer counts them (a page whose server functions run twice shows up
/// here before it shows up in the timings). Switched off, the events are
/// not even built, so the timed runs do not pay for the counting.
pub mod statements {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use tracing::field::{Field, Visit};
    use tracing::subscriber::Interest;
    use tracing::{Event, Metadata, Subscriber};
    use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
    use tracing_subscriber::util::SubscriberInitExt;

    const TARGET: &str = "sqlx::query";
    static ON: AtomicBool = AtomicBool::new(false);
    static COUNTED: AtomicU64 = AtomicU64::new(0);

    struct Counter;

    /// The pool's `ROLLBACK` when a connection goes back is housekeeping,
    /// not work of the request.
    struct Housekeeping(bool);

    impl Visit for Housekeeping {
        fn record_str(&mut self, field: &Field, value: &str) {
            if field.name() == "summary" && value == "ROLLBACK" {
                self.0 = true;
            }
        }

        fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
    }

    impl<S: Subscriber> Layer<S> for Counter {
        fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
            if metadata.target() == TARGET {
                Interest::sometimes()
            } else {
                Interest::never()
            }
        }

        fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
            metadata.target() == TARGET && ON.load(Ordering::Relaxed)
        }

        fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
            let mut housekeeping = Housekeeping(false);
            event.record(&mut housekeeping);
            if !housekeeping.0 {
                COUNTED.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Installs the counter as the process's subscriber (once, before the
    /// server starts).
    pub fn install() {
        // A second call (or another subscriber) leaves the first in place.
        let _ = tracing_subscriber::registry().with(Counter).try_init();
    }

    /// Runs `work` and tells how many statements it ran.
    pub async fn count<T>(work: impl std::future::Future<Output = T>) -> (T, u64) {
        let before = COUNTED.load(Ordering::Relaxed);
        ON.store(true, Ordering::Relaxed);
        let output = work.await;
        ON.store(false, Ordering::Relaxed);
        (output, COUNTED.load(Ordering::Relaxed) - before)
    }
}
