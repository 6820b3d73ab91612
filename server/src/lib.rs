//! The Aktenwerk server: configuration, start-up, the HTTP layers and the
//! router that serves the Leptos app, its server functions and static files.

pub mod allocator;
pub mod background;
pub mod config;
pub mod http;
pub mod startup;

use app::state::AppState;
use axum::Router;
use config::Config;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// Axum state: what Leptos needs and what our handlers need.
#[derive(Clone, axum::extract::FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
}

/// Largest request body outside uploads (forms, server functions). A whole
/// Aktenplan CSV of 10,000 positions form-encodes to about 2.5 MB.
const FORM_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Leptos options from the environment (cargo-leptos sets them) with our
/// configuration's address and site root.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let mut options = get_configuration(None)
        .map(|conf| conf.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("aktenwerk").build());
    options.site_addr = config.listen;
    options.site_root = config.site_root.display().to_string().into();
    options
}

/// The pages of the app, listed once per process. Listing runs the whole
/// app while a process-wide flag in `leptos_server` holds back every
/// resource that starts loading meanwhile, for good (leptos-rs/leptos#4773):
/// a page rendered on another thread at that moment never answers. A server
/// lists its pages once before it serves; the tests build a router per test
/// while other tests render, and hung about one run in eight before this.
pub fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The complete router with all layers.
pub fn router(config: &Config, state: AppState) -> Router {
    let leptos_options = leptos_options(config);
    let routes = page_routes();
    let context_state = state.clone();
    let server_state = ServerState {
        leptos_options: leptos_options.clone(),
        app: state.clone(),
    };
    let expected_origin = http::csrf::ExpectedOrigin(config.public_url.clone());

    // Forms and server functions get a small body limit; uploads stream
    // and enforce the configured file size themselves. The plain routes
    // come from one list that the permission matrix test enumerates.
    let mut forms = Router::<AppState>::new();
    let mut uploads = Router::<AppState>::new();
    for route in http::routes::plain_routes(config.public_url.clone(), config.site_root.clone()) {
        match route.body {
            http::routes::BodyKind::Form => forms = forms.route(route.path, route.handler),
            http::routes::BodyKind::Upload => uploads = uploads.route(route.path, route.handler),
        }
    }
    let pages = Router::new()
        .leptos_routes_with_context(
            &server_state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<ServerState, _>(
            app::shell,
        ))
        .with_state(server_state)
        .merge(forms.with_state(state.clone()))
        .layer(RequestBodyLimitLayer::new(FORM_BODY_LIMIT));
    let uploads = uploads.with_state(state.clone());

    pages
        .merge(uploads)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::session::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            expected_origin,
            http::csrf::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            http::client_address::TrustProxy(config.trust_proxy),
            http::client_address::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            http::security_headers::Hsts(config.secure_cookies()),
            http::security_headers::layer,
        ))
        .layer(CatchPanicLayer::custom(http::error_page::panic_response))
        .layer(TraceLayer::new_for_http())
}

/// Starts the server and runs until SIGTERM or Ctrl-C, then finishes the
/// requests in flight.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let state = startup::prepare(&config).await?;
    if let Some(path) = config.test_clock_file.clone() {
        app::time::follow_clock_file(path)?;
    }
    spawn_session_cleanup(state.clone());
    // Anchors the audit chain's end outside the database every few seconds.
    let audit_checkpoints = tokio::spawn(app::audit::anchor::run(
        state.pool.clone(),
        state.settings.audit_anchor.clone(),
    ));
    let extractor = background::Extractor::this_binary(config.extract_timeout_secs)
        .map_err(|error| format!("Programmdatei nicht auffindbar: {error}"))?;
    let background = background::start(
        &state,
        extractor,
        config.workers,
        background::Intervals {
            scan: std::time::Duration::from_secs(config.scan_interval_secs),
            mail: std::time::Duration::from_secs(config.mail_interval_secs),
        },
    );
    let app = router(&config, state.clone());
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|error| {
            format!(
                "Adresse {} kann nicht belegt werden: {error}",
                config.listen
            )
        })?;
    tracing::info!(address = %config.listen, allocator = allocator::name(), "Aktenwerk listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    background.stop();
    audit_checkpoints.abort();
    // The last entries (logouts, the final requests) get anchored too.
    if let Err(error) =
        app::audit::anchor::checkpoint(&state.pool, &state.settings.audit_anchor).await
    {
        tracing::error!(%error, "last audit checkpoint not written");
    }
    state.pool.close().await;
    tracing::info!("Aktenwerk stopped");
    Ok(())
}

fn spawn_session_cleanup(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(600));
        loop {
            interval.tick().await;
            match app::auth::session::purge_expired(&state.pool, state.settings.session_policy)
                .await
            {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "expired sessions removed"),
                Err(error) => tracing::warn!(%error, "session cleanup failed"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested, finishing open requests");
}

/// Sets up logging: human-readable by default, JSON lines for log shippers.
pub fn init_tracing(format: &config::LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let result = match format {
        config::LogFormat::Text => builder.try_init(),
        config::LogFormat::Json => builder.json().try_init(),
    };
    if let Err(error) = result {
        eprintln!("logging already initialised: {error}");
    }
}
