//! The four municipalities that share Aktenwerk. They are seeded by the first
//! migration; their short codes start every Aktenzeichen.

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

    pub async fn list(pool: &SqlitePool) -> Result<Vec<Municipality>, sqlx::Error> {
        sqlx::query_as::<_, Municipality>("SELECT id, code, name FROM municipalities ORDER BY id")
            .fetch_all(pool)
            .await
    }
}
