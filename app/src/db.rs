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
        .after_release(|conn, _| Box::pin(release_outside_transaction(conn)))
        .connect_with(options)
        .await
        .map_err(DbError::Open)
}

/// A connection goes back into the pool only outside any transaction;
/// otherwise it is closed, which makes SQLite roll the transaction back.
///
/// A transaction left open on a pooled connection keeps SQLite's write
/// lock: every other writer then waits its busy timeout and fails, the
/// whole installation stands still until a restart (seen once in a browser
/// test run on 2026-12-07: uploads, logins, jobs and the indexer all
/// "database is locked", and pooled connections reported a non-zero
/// transaction depth). Its cause, a write transaction interrupted while it
/// began, is closed in [`begin_write`]; this stays as the last line of
/// defence: whatever the cause, the pool must not hand such a connection
/// out again.
async fn release_outside_transaction(
    conn: &mut sqlx::SqliteConnection,
) -> Result<bool, sqlx::Error> {
    use sqlx::TransactionManager;
    // The connection's worker runs this after everything queued before it,
    // a dropped transaction's ROLLBACK included; SQLite refuses it when no
    // transaction is open.
    let rolled_back = match sqlx::query("ROLLBACK").execute(&mut *conn).await {
        Ok(_) => true,
        Err(sqlx::Error::Database(error))
            if error.message().contains("no transaction is active") =>
        {
            false
        }
        Err(error) => return Err(error),
    };
    // sqlx's own count (the trait is hidden from the docs but public): a
    // connection it still counts in a transaction would refuse the next
    // BEGIN, so it is closed rather than kept.
    let counted = sqlx::sqlite::SqliteTransactionManager::get_transaction_depth(conn) > 0;
    if rolled_back || counted {
        tracing::warn!(
            rolled_back,
            closed = counted,
            "a connection came back to the pool inside a transaction"
        );
    }
    Ok(!counted)
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

/// The schema's history, embedded at compile time. sqlx records each applied
/// migration's checksum in the database and refuses to start on one that has
/// changed since, so a landed migration is never edited: add a new one.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub async fn migrate(pool: &SqlitePool) -> Result<(), DbError> {
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// A write transaction that takes SQLite's write lock up front, so that
/// read-then-write sequences (the audit chain, running numbers) never
/// interleave with another writer.
///
/// It begins in a task of its own. sqlx 0.8 is not safe to interrupt while
/// it begins a transaction with its own statement: after SQLite has run
/// `BEGIN IMMEDIATE`, sqlx waits once more (to check that a transaction
/// began) before it hands out the transaction that would roll it back.
/// A request dropped in that moment (the browser navigated away, the
/// client hung up) left the connection in the pool inside a transaction,
/// holding the write lock: every writer then failed with "database is
/// locked" (seen on 2026-12-07; reproduced by
/// `tests::a_write_transaction_cancelled_while_it_begins_leaves_no_transaction_behind`).
/// A task is not interrupted with the request: it finishes, and a
/// transaction nobody takes any more is dropped and rolled back.
pub async fn begin_write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    let pool = pool.clone();
    tokio::spawn(async move { pool.begin_with("BEGIN IMMEDIATE").await })
        .await
        .map_err(|error| {
            sqlx::Error::Protocol(format!("beginning a write transaction failed: {error}"))
        })?
}

/// A `LIKE … ESCAPE '\\'` pattern that finds `text` anywhere, with
/// `%`, `_` and the escape character taken literally.
pub fn contains_pattern(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_contains_pattern_takes_wildcards_literally() {
        assert_eq!(super::contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    use super::*;

    /// A connection given back inside a transaction must not keep the
    /// write lock: the next writer gets it at once, not after the busy
    /// timeout (10 s) with "database is locked".
    #[tokio::test]
    async fn a_connection_given_back_inside_a_transaction_does_not_keep_the_write_lock() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let pool = connect(&url).await.expect("connect");
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(&pool)
            .await
            .expect("table");

        // Begun behind sqlx's back, so its own bookkeeping cannot help.
        let mut leaked = pool.acquire().await.expect("acquire");
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *leaked)
            .await
            .expect("begin");
        sqlx::query("INSERT INTO t VALUES (1)")
            .execute(&mut *leaked)
            .await
            .expect("insert");
        drop(leaked);

        // And one sqlx began, left by a cancelled request.
        let mut tx = begin_write(&pool).await.expect("second writer");
        sqlx::query("INSERT INTO t VALUES (2)")
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        let dropped = begin_write(&pool).await.expect("third writer");
        drop(dropped);

        for _ in 0..8 {
            let started = std::time::Instant::now();
            let tx = begin_write(&pool).await.expect("a writer after the leak");
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "waited for a leaked lock"
            );
            tx.rollback().await.expect("rollback");
        }
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT x FROM t")
            .fetch_all(&pool)
            .await
            .expect("rows");
        assert_eq!(rows, vec![(2,)], "the leaked insert was rolled back");
    }

    /// Polls a future once, as an executor would, without waiting for it.
    async fn poll_once<F: std::future::Future + Unpin>(
        future: &mut F,
    ) -> std::task::Poll<F::Output> {
        std::future::poll_fn(|cx| {
            std::task::Poll::Ready(std::future::Future::poll(
                std::pin::Pin::new(&mut *future),
                cx,
            ))
        })
        .await
    }

    /// A request cancelled while its write transaction begins (the browser
    /// navigated away, the client hung up) must leave no transaction behind
    /// on the connection, at whatever point it is interrupted. Without the
    /// pool's release hook, so that begin_write alone must get it right.
    #[tokio::test]
    async fn a_write_transaction_cancelled_while_it_begins_leaves_no_transaction_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("t.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(1));
        // Every number of polls up to completion, with the worker thread
        // given more or less time between them.
        for pause in [0, 10, 30, 100, 300, 1000] {
            for polls in 1..=6 {
                // One connection: the next writer gets the one just interrupted.
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(options.clone())
                    .await
                    .expect("pool");
                let mut begin = Box::pin(begin_write(&pool));
                for _ in 0..polls {
                    if poll_once(&mut begin).await.is_ready() {
                        break;
                    }
                    // Real time, so that SQLite's worker thread gets ahead.
                    std::thread::sleep(Duration::from_micros(pause));
                    tokio::task::yield_now().await;
                }
                drop(begin);
                let tx = begin_write(&pool).await.unwrap_or_else(|error| {
                    panic!("no writer after a begin interrupted after {polls} polls ({pause} µs apart): {error}")
                });
                tx.rollback().await.expect("rollback");
                pool.close().await;
            }
        }
    }

    /// Every landed migration with the SHA-384 checksum sqlx stores for it in
    /// each installation's `_sqlx_migrations`. Editing a landed migration
    /// makes every existing database refuse to start, so this list only ever
    /// grows: a new migration gets a new line, an old line never changes.
    const LANDED: &[(i64, &str)] = &[
        (1, "3ba9fbb72d900578264f58c94c6818fda575d3e87d54913b25522295b5b800f556d27b2ea13918212582c8afb73ccef2"),
        (2, "c15ce8b8f2892ea377f3e94366aa65a0f7cd290f84fc304cde65ed38db99293511db89cd096968337a9bb2e26324ce4f"),
        (3, "2fcc178cbe0748ec2ea24ebf17251b139f16c472bf10c13b40a14acaf3f7272a52a11c40d962e4c2c5880c04b387b78d"),
        (4, "7825281f7511c3ea5cb6766383d8a6d331cbc5340c9cdb19ecf097df05bf286fba5a39412f19f1b2e7f91e06a70b77fb"),
        (5, "7566b9a59c2cdf6dd0185442d02edc8b95cc2d67771256beb37ef1deb51e7b1552500a33c7be6de2fa713f65341d8a20"),
        (6, "bbb2d94a27a4d856d2df51447fd60bfbad9f1d7a3155528b439b2c0d76177a013d47b9509cebd26642728fae832c4232"),
        (7, "1e44c970a4b857fd2579d6f8aa1b2175b6d15617907abf6b400fb8745d167f1c398c0dcc2ed56c4978253f3f7779925a"),
        (8, "0cc6ba99b9aa43ff0f9b948fbad1505d80c7a4e70879e2c1df537f47ffe5b8c0ced96dc02b5a5b95df1e3e8c9c3fb941"),
        (9, "db928f5f6ab82f352f683dd104268efc1fc452b876da51c5cd2516263c521a93e06fefe4c4b147d2b4ac0927166a4181"),
        (10, "ad8fc4d57eb8d5fa97fd0af6f790ef2b9b9364b7ad52fd194809180971dbb02d16bca2c76bad44eab3490c833788766f"),
        (11, "29569ef693ac107e534622a1dba89beb7d7635abda8b0341a27b9878a255846c013b8606698f05d6b60311b1a949b31c"),
        (12, "84a43a37b2210f48312f3ad539b97efb0c41a71428afd6d98e783d62a91b28431188fde379ba55dd0a11dd29f9770e65"),
        (13, "6fce526dd5d63e710d0e38ce4dcd180bbebc23218e6fc1e337acfa640ef79aae7b546675f305c8bf91d2e182d00e4686"),
        (14, "b679fd91dd18bb1cca0c47b87acdb0db12b85c99460ce7b238768ec3f10f0443f91cb9500026cdd5440e6bbb309345cb"),
        (15, "894c0e33845c316a03619b56fac0a4ee9137252c23f6783d771101dca2e2c4ad08fc1bc3340465547c34209cbee60950"),
        (16, "29888845e5c803f5285aa215c949cc712cf4b083b91cd4025b27415b05daf7f65d1d4071db921edc2518573a45fa6f99"),
        (17, "487193a7b6d4107577929f57b8fec4db0e2fa869f6cab5ea5e1cf9a3171882fb57efc4ca023ff40565390c1d29c82ec7"),
        (18, "44cb4750fbe1b1135fece2c2e11debd2cb6bb0364ee6b64772e1e8fdb30a4fd6e2172d49059b22de52aebdda4761c588"),
        (19, "bf469f7f7730ef3a7de479ad647a93ffa83b4bf6f10fcead898b0a7c1b535f1c3a8f6831034738f715f69812a2969875"),
        (20, "f608edd692043d4b5496baf2bc8400821af6f022b2766908fbe4aeed74b58a0471e8d16bc69faa5c42e3fa07fd0a1b9f"),
        (21, "0e87c4a8a3d3c92bb0119c5ddef0ad70ed58b276e33bc7634f2af0b2b9a128f67f08e721032c7d84a759a5e16993fa9d"),
        (22, "ea8b8d892cf2484f9c6f0a0cbc71fea4a967a64623824bee2301399b6f9df47919f75116fe317ed8002ddfaa104d7450"),
        (23, "2879eb34e60006d6e72a5cfc1be30919600eb788abf83c6d498a86c8394f84727d26becbeb423161fec5d9595fb19bdf"),
    ];

    #[test]
    fn landed_migrations_are_never_edited() {
        let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
        let embedded: Vec<(i64, String)> = MIGRATOR
            .iter()
            .map(|m| (m.version, hex(&m.checksum)))
            .collect();
        for (version, checksum) in LANDED {
            let found = embedded.iter().find(|(v, _)| v == version);
            assert_eq!(
                found.map(|(_, c)| c.as_str()),
                Some(*checksum),
                "migration {version:04} was removed or edited after it landed; \
                 restore it and put the change into a new migration"
            );
        }
        for (version, checksum) in &embedded {
            assert!(
                LANDED.iter().any(|(v, _)| v == version),
                "migration {version:04} is new: add ({version}, \"{checksum}\") to LANDED \
                 in app/src/db.rs once it is committed"
            );
        }
    }

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
