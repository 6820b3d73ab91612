//! HTTP concerns around the Leptos app: the layers every request passes
//! (client address, CSRF origin check, session, security headers) and the
//! plain routes that are not server functions: the login and logout forms,
//! the streaming upload and downloads, CSV and .ics exports, guide PDFs,
//! the browser bundle under `/pkg/` and `/healthz`. Each handler extracts, calls a use case in `app` and maps the
//! answer; `routes.rs` is the one list of them.

pub mod aktenplan_csv;
pub mod assets;
pub mod client_address;
pub mod cookies;
pub mod csrf;
pub mod documents;
pub mod download;
pub mod error_page;
pub mod guides;
pub mod health;
pub mod laufwege;
pub mod login;
pub mod rollout_csv;
pub mod routes;
pub mod security_headers;
pub mod session;
pub mod training_sessions;
