//! The one list of plain axum routes (everything outside the Leptos pages
//! and server functions). `router()` serves exactly this list, and the
//! permission matrix test (`server/tests/permissions/main.rs`) enumerates it, so
//! a new route cannot be served without the test noticing it.

use super::{
    aktenplan_csv, assets, documents, guides, health, laufwege, login, rollout_csv,
    training_sessions,
};
use app::state::AppState;
use axum::extract::State;
use axum::http::Method;
use axum::routing::{get, post, MethodRouter};
use std::path::PathBuf;

/// Which body limit a route gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// Forms and empty bodies: the small form limit applies.
    Form,
    /// Streamed uploads that enforce the configured file size themselves.
    Upload,
}

/// One plain route: its path (axum syntax, `{id}`), method, body kind and
/// handler.
pub struct PlainRoute {
    pub path: &'static str,
    pub method: Method,
    pub body: BodyKind,
    pub handler: MethodRouter<AppState>,
}

impl PlainRoute {
    fn get(path: &'static str, handler: MethodRouter<AppState>) -> PlainRoute {
        PlainRoute {
            path,
            method: Method::GET,
            body: BodyKind::Form,
            handler,
        }
    }

    fn post(path: &'static str, body: BodyKind, handler: MethodRouter<AppState>) -> PlainRoute {
        PlainRoute {
            path,
            method: Method::POST,
            body,
            handler,
        }
    }
}

/// Every plain route the server answers. `public_url` goes into calendar
/// files (absolute links back to the session); the browser bundle is served
/// from `site_root`.
pub fn plain_routes(public_url: Option<String>, site_root: PathBuf) -> Vec<PlainRoute> {
    use BodyKind::{Form, Upload};
    vec![
        PlainRoute::post("/anmelden", Form, post(login::login)),
        PlainRoute::post("/abmelden", Form, post(login::logout)),
        PlainRoute::get("/healthz", get(health::healthz)),
        PlainRoute::get("/pkg/{*file}", assets::pkg(site_root)),
        PlainRoute::get("/export/aktenplan.csv", get(aktenplan_csv::export)),
        PlainRoute::get("/dokumente/{id}/datei", get(documents::download)),
        PlainRoute::get("/dokumente/{id}/vorschaubild", get(documents::thumbnail)),
        PlainRoute::get("/dokumente/{id}/laufwege.csv", get(laufwege::record)),
        PlainRoute::get(
            "/dienstanweisungen/versionen/{id}/datei",
            get(guides::download_pdf),
        ),
        PlainRoute::get(
            "/schulungstermine/{id}/kalender.ics",
            get(move |State(state): State<AppState>, user, id| {
                training_sessions::calendar(state, user, id, public_url.clone())
            }),
        ),
        PlainRoute::get("/einfuehrung/zahlen.csv", get(rollout_csv::export)),
        PlainRoute::get(
            "/schulungstermine/{id}/teilnehmende.csv",
            get(training_sessions::participants),
        ),
        PlainRoute::post("/dokumente/hochladen", Upload, post(documents::upload)),
        PlainRoute::post(
            "/dienstanweisungen/{id}/pdf",
            Upload,
            post(guides::upload_pdf),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_listed_once() {
        let routes = plain_routes(None, PathBuf::new());
        let mut keys: Vec<_> = routes
            .iter()
            .map(|route| (route.path, route.method.clone()))
            .collect();
        let total = keys.len();
        keys.sort_by(|a, b| (a.0, a.1.as_str()).cmp(&(b.0, b.1.as_str())));
        keys.dedup();
        assert_eq!(keys.len(), total, "a route is listed twice");
        // Only uploads may skip the small form body limit.
        for route in &routes {
            assert_eq!(
                route.body == BodyKind::Upload,
                route.path == "/dokumente/hochladen" || route.path.ends_with("/pdf"),
                "{}",
                route.path
            );
        }
    }
}
