//! Everything that happens once at start: directories, database, secret,
//! first administrator, demo accounts.

use crate::config::Config;
use app::auth::hooks::SessionHooks;
use app::auth::session::{SessionKey, SessionPolicy};
use app::auth::throttle::ThrottlePolicy;
use app::state::{AppState, Settings};
use app::users::bootstrap::{self, FirstAdmin};
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("Verzeichnis {path} kann nicht angelegt werden: {source}")]
    Directory {
        path: String,
        source: std::io::Error,
    },
    #[error("Sitzungsschlüssel {path} kann nicht gelesen oder geschrieben werden: {source}")]
    Secret {
        path: String,
        source: std::io::Error,
    },
    #[error("Protokollschlüssel {path} kann nicht gelesen oder angelegt werden: {source}")]
    AuditKey {
        path: String,
        source: std::io::Error,
    },
    #[error("Schlüssel für Postfach-Kennwörter {path} kann nicht gelesen oder angelegt werden: {source}")]
    SealKey {
        path: String,
        source: std::io::Error,
    },
    #[error("Zertifikate für Postfächer (AKTENWERK_MAIL_CA_FILE): {0}")]
    MailCa(String),
    #[error(transparent)]
    Database(#[from] app::db::DbError),
    #[error("Erstbefüllung (Administratorkonto, Aktenplan): {0}")]
    Bootstrap(app::error::AppError),
    #[error("Suchindex {path} kann nicht geöffnet werden: {source}")]
    Index {
        path: String,
        source: app::search::index::IndexError,
    },
    #[error("Dokumentablage {path} kann nicht aufgeräumt werden: {source}")]
    Blobs {
        path: String,
        source: app::documents::blobs::BlobError,
    },
}

/// Creates a storage directory readable by the service account only (0700;
/// documents and personal data must not be readable by other local users).
/// An existing directory we own loses its permissions for "others"; group
/// bits are left alone, a backup group may rely on them.
fn create_dir(path: &Path) -> Result<(), StartupError> {
    let err = |source| StartupError::Directory {
        path: path.display().to_string(),
        source,
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path).map_err(err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let metadata = std::fs::metadata(path).map_err(err)?;
        let mode = metadata.permissions().mode();
        // SAFETY: geteuid has no preconditions and cannot fail.
        let ours = metadata.uid() == unsafe { libc::geteuid() };
        if ours && mode & 0o007 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & !0o007))
                .map_err(err)?;
            tracing::warn!(
                path = %path.display(),
                "directory was accessible to all local users; access for others removed"
            );
        }
    }
    Ok(())
}

/// Files the process creates from here on are private (0600, directories
/// 0700) unless created with an explicit mode: covers what libraries
/// create on their own (SQLite's -wal/-shm, the search index, temporary
/// files). Called first thing by the `aktenwerk` binary; the storage code
/// also sets modes explicitly, so tests and other embedders are covered
/// without a process-wide setting.
#[cfg(unix)]
pub fn restrict_umask() {
    // SAFETY: umask only replaces the process's file mode mask.
    unsafe {
        libc::umask(0o077);
    }
}

/// The key and file that anchor the audit chain outside the database: the
/// configured key, or one generated on first start next to the session
/// secret (which protects against database-only tampering; keep key or
/// checkpoints on another volume against someone with the whole disk).
pub fn audit_anchor(config: &Config) -> Result<app::audit::anchor::AuditAnchor, StartupError> {
    use app::audit::anchor::{load_or_create_key, AuditAnchor, AuditKey};
    let key = match &config.audit_key {
        Some(key) => AuditKey::new(key.as_bytes().to_vec()),
        None => {
            let path = config.data_dir.join("audit-key");
            load_or_create_key(&path).map_err(|source| StartupError::AuditKey {
                path: path.display().to_string(),
                source,
            })?
        }
    };
    Ok(AuditAnchor::new(key, &config.audit_checkpoints))
}

/// The key Postfach passwords are sealed with, from its file (generated
/// on first start).
fn seal_key(config: &Config) -> Result<app::secrets::SealKey, StartupError> {
    app::secrets::load_or_create_key(&config.seal_key_file)
        .map(|text| app::secrets::SealKey::from_text(&text))
        .map_err(|source| StartupError::SealKey {
            path: config.seal_key_file.display().to_string(),
            source,
        })
}

/// The configured secret, or one generated on first start and kept (owner
/// read-only) in the data directory so sessions survive restarts.
fn session_key(config: &Config) -> Result<SessionKey, StartupError> {
    if let Some(secret) = &config.session_secret {
        return Ok(SessionKey(secret.as_bytes().to_vec()));
    }
    let path = config.data_dir.join("session-secret");
    let err = |source| StartupError::Secret {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(secret) if secret.trim().len() >= 32 => {
            return Ok(SessionKey(secret.trim().as_bytes().to_vec()))
        }
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(err(error)),
    }
    let secret = app::auth::session::new_token();
    write_private(&path, &secret).map_err(err)?;
    Ok(SessionKey(secret.into_bytes()))
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(content.as_bytes())?;
    file.sync_all()
}

/// Prepares storage and returns the state the app runs on.
pub async fn prepare(config: &Config) -> Result<AppState, StartupError> {
    create_dir(&config.data_dir)?;
    create_dir(&config.blob_dir)?;
    let pool = app::db::connect(&config.database_url).await?;
    app::db::migrate(&pool).await?;
    let settings = Settings {
        session_key: session_key(config)?,
        session_policy: SessionPolicy {
            idle_timeout_secs: config.session_idle_minutes * 60,
            absolute_timeout_secs: config.session_max_hours * 3600,
        },
        throttle: ThrottlePolicy::default(),
        secure_cookies: config.secure_cookies(),
        max_upload_bytes: config.max_upload_bytes,
        scan_dir: config.scan_dir.clone(),
        audit_anchor: audit_anchor(config)?,
        seal_key: seal_key(config)?,
        mail_tls: app::postfach::imap::trust(config.mail_ca_file.as_deref())
            .map_err(StartupError::MailCa)?,
    };

    if !config.demo {
        // Demo credentials are published: they must not outlive demo mode.
        // Runs before the first-admin check, so a fresh administrator with
        // a one-time password replaces a retired demo admin.
        let retired = bootstrap::retire_demo_accounts(&pool)
            .await
            .map_err(StartupError::Bootstrap)?;
        if !retired.is_empty() {
            tracing::warn!(
                accounts = ?retired,
                "demo mode is off: demo accounts deactivated and signed out"
            );
        }
    }
    let given = config
        .admin_password
        .as_deref()
        .or(config.demo.then_some(bootstrap::DEMO_PASSWORD));
    match bootstrap::ensure_first_admin(&pool, given)
        .await
        .map_err(StartupError::Bootstrap)?
    {
        FirstAdmin::Exists => {}
        FirstAdmin::CreatedWithGivenPassword => {
            tracing::info!(
                username = bootstrap::FIRST_ADMIN,
                "first administrator created with the configured password"
            );
        }
        FirstAdmin::CreatedWithGeneratedPassword { username, password } => {
            // Shown exactly once, on the console of the person installing.
            eprintln!(
                "\n==============================================================\n\
                 Aktenwerk: erstes Administratorkonto angelegt\n  \
                 Benutzername: {username}\n  Einmal-Passwort: {password}\n\
                 Bitte notieren; es wird nicht erneut angezeigt und muss bei der\n\
                 ersten Anmeldung geändert werden.\n\
                 ==============================================================\n"
            );
        }
    }
    if let Some(positions) = app::aktenplan::service::seed_if_empty(&pool)
        .await
        .map_err(StartupError::Bootstrap)?
    {
        tracing::info!(
            positions,
            "shared Aktenplan loaded from the shipped seed plan"
        );
    }
    if config.demo {
        let created = bootstrap::seed_demo(&pool)
            .await
            .map_err(StartupError::Bootstrap)?;
        tracing::warn!(
            created,
            "DEMO MODE: demo accounts with a published password are active"
        );
    }
    let plan = app::aktenplan::cache::PlanCache::default();
    let positions = plan
        .reload(&pool)
        .await
        .map_err(|error| StartupError::Database(app::db::DbError::Open(error)))?;
    tracing::info!(positions, "Aktenplan in memory");
    let blobs = recover_blobs(config, &pool).await?;
    let search = open_index(config, &pool).await?;
    let requeued = app::processing::storage::requeue_interrupted(&pool)
        .await
        .map_err(|error| StartupError::Database(app::db::DbError::Open(error)))?;
    if requeued > 0 {
        tracing::info!(
            jobs = requeued,
            "text extraction interrupted by the last stop continues"
        );
    }
    Ok(AppState {
        pool,
        settings: Arc::new(settings),
        plan,
        blobs,
        search,
        wake: app::state::Wakeups::default(),
        hashing: app::auth::password::hashing_gate(),
        previews: app::documents::thumbnail::PreviewSlots::default(),
        session_hooks: session_hooks(),
    })
}

/// Auth knows neither rollout nor practice (they build on it); the server
/// composes them: a day of use counts for the rollout figures, and a
/// practising session works inside its practice area.
pub fn session_hooks() -> SessionHooks {
    SessionHooks {
        on_activity: |conn, activity| {
            Box::pin(app::rollout::storage::record_activity(
                conn,
                activity.user_id,
                activity.municipality_id,
                activity.at,
            ))
        },
        practice_area: |state, user| Box::pin(app::practice::service::inside_area(state, user)),
    }
}

/// Opens the full-text index. A missing or damaged index starts empty and
/// every document is queued, so the indexer refills it from the database.
async fn open_index(
    config: &Config,
    pool: &sqlx::SqlitePool,
) -> Result<app::search::index::SearchIndex, StartupError> {
    use app::search::index::{Opened, SearchIndex};
    create_dir(&config.index_dir)?;
    let (index, opened) =
        SearchIndex::open(&config.index_dir).map_err(|source| StartupError::Index {
            path: config.index_dir.display().to_string(),
            source,
        })?;
    let reason = match opened {
        Opened::Existing => return Ok(index),
        Opened::Created => "new index".to_string(),
        Opened::Recreated { reason } => reason,
    };
    let queued = app::search::sync::queue_all(pool)
        .await
        .map_err(|error| StartupError::Database(app::db::DbError::Open(error)))?;
    if queued > 0 {
        tracing::warn!(%reason, documents = queued, "search index is rebuilt from the database");
    }
    Ok(index)
}

/// Removes what interrupted uploads left behind; runs before the first
/// request, when no upload can be in flight.
async fn recover_blobs(
    config: &Config,
    pool: &sqlx::SqlitePool,
) -> Result<app::documents::blobs::BlobStore, StartupError> {
    let blobs = app::documents::blobs::BlobStore::new(&config.blob_dir);
    let recovery = blobs
        .recover(pool)
        .await
        .map_err(|source| StartupError::Blobs {
            path: config.blob_dir.display().to_string(),
            source,
        })?;
    if recovery.temp_files_removed + recovery.orphans_removed > 0 {
        tracing::info!(
            temp_files = recovery.temp_files_removed,
            orphans = recovery.orphans_removed,
            "removed leftovers of interrupted uploads"
        );
    }
    if !recovery.missing.is_empty() {
        tracing::error!(
            missing = ?recovery.missing,
            "document files are missing from the blob store; restore them from the backup"
        );
    }
    Ok(blobs)
}
