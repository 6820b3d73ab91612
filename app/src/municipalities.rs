//! The four municipalities that share Aktenwerk. They are seeded by the first
//! migration; their short codes start every Aktenzeichen. Practice areas are
//! municipalities too (one per practising user), kept out of every real list.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Municipality {
    pub id: i64,
    /// Short code used in file references, e.g. `MIC`.
    pub code: String,
    pub name: String,
}

#[cfg(feature = "ssr")]
pub mod storage {
    use super::Municipality;
    use sqlx::SqlitePool;

    /// The real municipalities (practice areas are not among them).
    pub async fn list(pool: &SqlitePool) -> Result<Vec<Municipality>, sqlx::Error> {
        sqlx::query_as::<_, Municipality>(
            "SELECT id, code, name FROM municipalities WHERE practice_user_id IS NULL ORDER BY id",
        )
        .fetch_all(pool)
        .await
    }

    /// Is this municipality somebody's practice area?
    pub async fn is_practice<'e, E>(executor: E, id: i64) -> Result<bool, sqlx::Error>
    where
        E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
    {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM municipalities WHERE id = ? AND practice_user_id IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(executor)
        .await?;
        Ok(found.is_some())
    }
}
