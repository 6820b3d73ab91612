//! Opening the SQLite database and applying migrations.

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database URL {url}: {source}")]
    Url { url: String, source: sqlx::Error },
    #[error("cannot open database: {0}")]
    Open(#[source] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Opens (creating if needed) the database in WAL mode with a busy timeout,
/// foreign keys on and full fsync on commit: a committed document row must
/// survive a power cut.
pub async fn connect(url: &str) -> Result<SqlitePool, DbError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| DbError::Url {
            url: url.to_string(),
            source,
        })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    create_private(options.get_filename());
    SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(DbError::Open)
}

/// Creates a missing database file readable by its owner only, before
/// SQLite creates it with the default mode. SQLite gives the -wal and -shm
/// files the database file's mode, so they are private too.
/// Any failure (e.g. a missing directory) is left to SQLite to report.
fn create_private(path: &std::path::Path) {
    let name = path.to_string_lossy();
    if name.is_empty() || name.starts_with(':') || name.starts_with("file:") {
        return; // in memory, or a URI SQLite resolves itself
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    // An existing file is kept as it is (create_new fails on it).
    let _ = options.open(path);
}

pub async fn migrate(pool: &SqlitePool) -> Result<(), DbError> {
    sqlx::migrate!("./migrations").run(pool).await?;
    Ok(())
}

/// A write transaction that takes SQLite's write lock up front, so that
/// read-then-write sequences (the audit chain, running numbers) never
/// interleave with another writer.
pub async fn begin_write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn creates_file_in_wal_mode_and_migrates() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/test.db", dir.path().display());
        let pool = connect(&url).await.expect("connect");
        migrate(&pool).await.expect("migrate");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        #[cfg(unix)]
        for file in ["test.db", "test.db-wal"] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(file))
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{file} is readable by others");
        }
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM municipalities")
            .fetch_one(&pool)
            .await
            .expect("count");
        assert_eq!(count, 4);
        // Applying twice is a no-op.
        migrate(&pool).await.expect("migrate again");
    }
}
