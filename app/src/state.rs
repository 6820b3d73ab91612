//! What server functions get from context: the database pool and the settings
//! they need. Built once at start by the server from its configuration.

use crate::auth::{session::SessionKey, session::SessionPolicy, throttle::ThrottlePolicy};
use sqlx::SqlitePool;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: SqlitePool,
    pub settings: Arc<Settings>,
    /// The Aktenplan in memory for the explorer and its search.
    pub plan: crate::aktenplan::cache::PlanCache,
    /// Where document content lives.
    pub blobs: crate::documents::blobs::BlobStore,
    /// The full-text index (rebuilt from the database when needed).
    pub search: crate::search::index::SearchIndex,
    /// Nudges for the background workers, so new work starts at once.
    pub wake: Wakeups,
    /// Slots for argon2 hashing (login, password changes, administration);
    /// see `crate::auth::password::run_bounded`.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Slots for rendering image previews (bounded memory under load).
    pub previews: crate::documents::thumbnail::PreviewSlots,
    /// What sign-in and session use mean to features above auth (days of
    /// use, practice areas); wired by the server at start.
    pub session_hooks: crate::auth::hooks::SessionHooks,
}

/// Background workers poll on their own; these wake them early.
#[derive(Clone, Debug, Default)]
pub struct Wakeups {
    /// A job was queued (upload, reprocess, retry).
    pub jobs: Arc<tokio::sync::Notify>,
    /// Text or metadata changed: the index has work in the outbox.
    pub index: Arc<tokio::sync::Notify>,
}

#[derive(Debug)]
pub struct Settings {
    pub session_key: SessionKey,
    pub session_policy: SessionPolicy,
    pub throttle: ThrottlePolicy,
    /// Cookies get `Secure` (and the `__Host-` prefix) when served over TLS.
    pub secure_cookies: bool,
    pub max_upload_bytes: u64,
    /// Where the Scan-Ordner lie: `<scan_dir>/<municipality code>/<name>`.
    pub scan_dir: std::path::PathBuf,
    /// Key and file of the audit log's checkpoints (kept outside the database).
    pub audit_anchor: crate::audit::anchor::AuditAnchor,
    /// Seals the Postfach passwords stored in the database.
    pub seal_key: crate::secrets::SealKey,
    /// Which certificates an IMAP server may present (the system's store
    /// and IT's own CA).
    pub mail_tls: std::sync::Arc<tokio_rustls::rustls::ClientConfig>,
}

impl AppState {
    pub fn from_context() -> Result<AppState, crate::error::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from context");
            crate::error::AppError::Internal
        })
    }
}
