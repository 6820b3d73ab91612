//! The one rule of who may see records: an Akte is visible to the
//! municipality that owns it and to every municipality it is shared with;
//! a document is visible to its own municipality and, once filed, to every
//! municipality its Akte is shared with. Documents, Akten, the search index
//! and everything later ask here (as SQL or as Rust), never on their own.
//!
//! The SQL comes as macros so that queries stay `&'static str` built with
//! `concat!`; the first argument is the table alias, the second the number
//! of the bind parameter holding the viewer's municipality id.

/// SQL condition: Akte `$a` is visible to municipality `?$n`.
#[macro_export]
macro_rules! akte_visible {
    ($a:literal, $n:literal) => {
        concat!(
            "(",
            $a,
            ".municipality_id = ?",
            $n,
            " OR EXISTS (SELECT 1 FROM akten_shares vis_s WHERE vis_s.akte_id = ",
            $a,
            ".id AND vis_s.municipality_id = ?",
            $n,
            "))"
        )
    };
}

/// SQL condition: document `$d` is visible to municipality `?$n`.
#[macro_export]
macro_rules! document_visible {
    ($d:literal, $n:literal) => {
        concat!(
            "(", $d, ".municipality_id = ?", $n,
            " OR (", $d, ".akte_id IS NOT NULL AND EXISTS (SELECT 1 FROM akten_shares vis_s WHERE vis_s.akte_id = ",
            $d, ".akte_id AND vis_s.municipality_id = ?", $n, ")))"
        )
    };
}

/// SQL expression: the comma-separated ids of the municipalities document
/// `$d`'s Akte is shared with (NULL when none), for the search index, which
/// applies [`document_visible_to`] itself.
#[macro_export]
macro_rules! document_shared_with {
    ($d:literal) => {
        concat!(
            "(SELECT group_concat(vis_s.municipality_id) FROM akten_shares vis_s WHERE vis_s.akte_id = ",
            $d,
            ".akte_id)"
        )
    };
}

/// SQL condition: record `$r` (with a `municipality_id`) lies in the
/// administration's scope `?$n`: that municipality, or every real one when
/// `?$n` is NULL (an administration responsible for all). Practice areas
/// are never part of "all": they keep their own trash and queue.
#[macro_export]
macro_rules! in_admin_scope {
    ($r:literal, $n:literal) => {
        concat!(
            "(", $r, ".municipality_id = ?", $n, " OR (?", $n,
            " IS NULL AND ", $r,
            ".municipality_id IN (SELECT vis_m.id FROM municipalities vis_m WHERE vis_m.practice_user_id IS NULL)))"
        )
    };
}

/// The same rule in Rust, for the in-memory search index: a document of
/// `owner` whose Akte is shared with `shared_with`.
pub fn document_visible_to(owner: i64, shared_with: &[i64], municipality: i64) -> bool {
    owner == municipality || shared_with.contains(&municipality)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::document_visible_to;
    use sqlx::SqlitePool;

    const ERB: i64 = 2;
    const MIC: i64 = 1;
    const OBZ: i64 = 3;

    async fn pool() -> SqlitePool {
        let pool = SqlitePool::connect("sqlite::memory:").await.expect("pool");
        for sql in [
            "CREATE TABLE akten (id INTEGER PRIMARY KEY, municipality_id INTEGER)",
            "CREATE TABLE akten_shares (akte_id INTEGER, municipality_id INTEGER)",
            "CREATE TABLE documents (id INTEGER PRIMARY KEY, municipality_id INTEGER, akte_id INTEGER)",
            // Akte 1 of Michelstadt, shared with Erbach; Akte 2 of Oberzent.
            "INSERT INTO akten VALUES (1, 1), (2, 3)",
            "INSERT INTO akten_shares VALUES (1, 2)",
            // 10: Michelstadt's in Akte 1; 11: Michelstadt's loose; 12: Oberzent's in Akte 2.
            "INSERT INTO documents VALUES (10, 1, 1), (11, 1, NULL), (12, 3, 2)",
        ] {
            sqlx::query(sql).execute(&pool).await.expect(sql);
        }
        pool
    }

    async fn ids(pool: &SqlitePool, sql: &str, municipality: i64) -> Vec<i64> {
        sqlx::query_scalar(sql)
            .bind(municipality)
            .fetch_all(pool)
            .await
            .expect(sql)
    }

    #[tokio::test]
    async fn sql_and_rust_agree_on_who_sees_what() {
        let pool = pool().await;
        let akten = concat!(
            "SELECT a.id FROM akten a WHERE ",
            akte_visible!("a", 1),
            " ORDER BY a.id"
        );
        assert_eq!(ids(&pool, akten, MIC).await, vec![1]);
        assert_eq!(ids(&pool, akten, ERB).await, vec![1]);
        assert_eq!(ids(&pool, akten, OBZ).await, vec![2]);

        let documents = concat!(
            "SELECT d.id FROM documents d WHERE ",
            document_visible!("d", 1),
            " ORDER BY d.id"
        );
        let shares = concat!(
            "SELECT d.id, d.municipality_id, ",
            document_shared_with!("d"),
            " FROM documents d"
        );
        let rows: Vec<(i64, i64, Option<String>)> = sqlx::query_as(shares)
            .fetch_all(&pool)
            .await
            .expect("shares");
        for viewer in [MIC, ERB, OBZ] {
            let by_rust: Vec<i64> = rows
                .iter()
                .filter(|(_, owner, shared)| {
                    let shared: Vec<i64> = shared
                        .as_deref()
                        .unwrap_or_default()
                        .split(',')
                        .filter_map(|id| id.parse().ok())
                        .collect();
                    document_visible_to(*owner, &shared, viewer)
                })
                .map(|(id, _, _)| *id)
                .collect();
            assert_eq!(
                ids(&pool, documents, viewer).await,
                by_rust,
                "viewer {viewer}"
            );
        }
        assert_eq!(ids(&pool, documents, ERB).await, vec![10]);
        assert_eq!(ids(&pool, documents, OBZ).await, vec![12]);
    }

    #[tokio::test]
    async fn admin_scope_is_one_municipality_or_every_real_one() {
        let pool = pool().await;
        for sql in [
            "CREATE TABLE municipalities (id INTEGER PRIMARY KEY, practice_user_id INTEGER)",
            // 9 is a practice area.
            "INSERT INTO municipalities VALUES (1, NULL), (2, NULL), (3, NULL), (9, 7)",
            "INSERT INTO documents VALUES (13, 9, NULL)",
        ] {
            sqlx::query(sql).execute(&pool).await.expect(sql);
        }
        let scoped = concat!(
            "SELECT d.id FROM documents d WHERE ",
            in_admin_scope!("d", 1),
            " ORDER BY d.id"
        );
        assert_eq!(ids(&pool, scoped, MIC).await, vec![10, 11]);
        assert_eq!(ids(&pool, scoped, 9).await, vec![13]);
        let all: Vec<i64> = sqlx::query_scalar(scoped)
            .bind(None::<i64>)
            .fetch_all(&pool)
            .await
            .expect(scoped);
        assert_eq!(all, vec![10, 11, 12]);
    }
}
