//! HTTP concerns around the Leptos app: the layers every request passes
//! (client address, CSRF origin check, session, security headers) and the
//! few plain routes (login and logout forms, health check).

pub mod aktenplan_csv;
pub mod client_address;
pub mod cookies;
pub mod csrf;
pub mod documents;
pub mod download;
pub mod error_page;
pub mod guides;
pub mod health;
pub mod login;
pub mod rollout_csv;
pub mod routes;
pub mod security_headers;
pub mod session;
pub mod training_sessions;
