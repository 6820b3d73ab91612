//! Keeps the index in step with the database, which stays the source of
//! truth: triggers append changed documents to `search_outbox` in the same
//! transaction as the change; [`drain`] applies them. [`rebuild`] refills
//! the index from scratch (missing or corrupt index, `aktenwerk reindex`).
//! Who may see a document is read with the one visibility rule
//! ([`crate::akten::visibility`]) and stored with it in the index.

use super::index::{IndexDoc, IndexError, SearchIndex};
use sqlx::SqlitePool;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("search index: {0}")]
    Index(#[from] IndexError),
    #[error("an index task panicked")]
    Panicked,
}

/// Documents loaded per query.
const CHUNK: usize = 400;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    municipality_id: i64,
    municipality_code: String,
    title: String,
    doc_type: String,
    correspondent: String,
    document_date: Option<String>,
    created_at: i64,
    trashed_at: Option<i64>,
    akte_id: Option<i64>,
    aktenzeichen: Option<String>,
    akte_title: Option<String>,
    akte_status: Option<String>,
    plan_code: Option<String>,
    plan_title: Option<String>,
    vorgang_id: Option<i64>,
    vorgang_zeichen: Option<String>,
    vorgang_title: Option<String>,
    tags: Option<String>,
    shared_with: Option<String>,
    text: Option<String>,
}

impl Row {
    fn into_doc(self) -> IndexDoc {
        // Exactly the municipalities `document_visible_to` lets see it:
        // the owner and those its Akte is shared with.
        let mut visible_to = vec![self.municipality_id];
        visible_to.extend(
            self.shared_with
                .unwrap_or_default()
                .split(',')
                .filter_map(|id| id.trim().parse::<i64>().ok())
                .filter(|id| *id != self.municipality_id),
        );
        IndexDoc {
            document_id: self.id,
            municipality_id: self.municipality_id,
            municipality_code: self.municipality_code,
            visible_to,
            title: self.title,
            text: self.text.unwrap_or_default(),
            doc_type: self.doc_type,
            correspondent: self.correspondent,
            tags: self
                .tags
                .map(|t| t.split('\u{1f}').map(str::to_string).collect())
                .unwrap_or_default(),
            document_date: self
                .document_date
                .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            created_at: self.created_at,
            akte_id: self.akte_id,
            aktenzeichen: self.aktenzeichen,
            akte_title: self.akte_title,
            akte_status: self.akte_status.map(|s| {
                if s == "closed" {
                    "geschlossen".to_string()
                } else {
                    "offen".to_string()
                }
            }),
            plan_code: self.plan_code,
            plan_title: self.plan_title,
            vorgang_id: self.vorgang_id,
            vorgang_zeichen: self.vorgang_zeichen,
            vorgang_title: self.vorgang_title,
        }
    }
}

/// Index entries for the given documents; trashed and deleted ones are
/// returned as ids to remove.
async fn load(pool: &SqlitePool, ids: &[i64]) -> Result<(Vec<IndexDoc>, Vec<i64>), sqlx::Error> {
    let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "SELECT d.id, d.municipality_id, m.code AS municipality_code, d.title, d.doc_type,
                d.correspondent, d.document_date, d.created_at, d.trashed_at,
                a.id AS akte_id, a.aktenzeichen, a.title AS akte_title, a.status AS akte_status,
                p.code AS plan_code, p.title AS plan_title,
                vg.id AS vorgang_id, vg.zeichen AS vorgang_zeichen, vg.title AS vorgang_title,
                (SELECT group_concat(t.tag, char(31)) FROM document_tags t WHERE t.document_id = d.id) AS tags, ",
        // Who else may see it comes from the one visibility rule.
        crate::document_shared_with!("d"),
        " AS shared_with,
                (SELECT vt.text FROM version_texts vt JOIN document_versions v ON v.id = vt.version_id
                  WHERE v.document_id = d.id ORDER BY v.number DESC LIMIT 1) AS text
         FROM documents d
         JOIN municipalities m ON m.id = d.municipality_id
         LEFT JOIN akten a ON a.id = d.akte_id
         LEFT JOIN plan_positions p ON p.id = a.position_id
         LEFT JOIN vorgaenge vg ON vg.id = d.vorgang_id
         WHERE d.id IN (SELECT value FROM json_each(?))",
    ))
    .bind(json)
    .fetch_all(pool)
    .await?;
    let mut found = std::collections::HashSet::new();
    let mut docs = Vec::with_capacity(rows.len());
    let mut gone = Vec::new();
    for row in rows {
        found.insert(row.id);
        if row.trashed_at.is_some() {
            gone.push(row.id);
        } else {
            docs.push(row.into_doc());
        }
    }
    gone.extend(ids.iter().filter(|id| !found.contains(id)));
    Ok((docs, gone))
}

/// Documents between intermediate commits of a long run (a rebuild), so
/// that search results fill in while it runs.
const COMMIT_EVERY: usize = 5_000;

async fn apply(pool: &SqlitePool, index: &SearchIndex, ids: &[i64]) -> Result<(), SyncError> {
    for (n, chunk) in ids.chunks(CHUNK).enumerate() {
        if n > 0 && (n * CHUNK) % COMMIT_EVERY < CHUNK {
            commit(index).await?;
        }
        let (docs, gone) = load(pool, chunk).await?;
        // Index work is CPU-bound; keep it off the async threads.
        let index = index.clone();
        tokio::task::spawn_blocking(move || -> Result<(), IndexError> {
            if !gone.is_empty() {
                index.delete(&gone)?;
            }
            index.upsert(&docs)
        })
        .await
        .map_err(|_| SyncError::Panicked)??;
    }
    Ok(())
}

async fn commit(index: &SearchIndex) -> Result<(), SyncError> {
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.commit())
        .await
        .map_err(|_| SyncError::Panicked)??;
    Ok(())
}

/// Applies everything in the outbox; returns how many documents it touched.
pub async fn drain(pool: &SqlitePool, index: &SearchIndex) -> Result<usize, SyncError> {
    let upto: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM search_outbox")
        .fetch_one(pool)
        .await?;
    let Some(upto) = upto else {
        return Ok(0);
    };
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT DISTINCT document_id FROM search_outbox WHERE id <= ?")
            .bind(upto)
            .fetch_all(pool)
            .await?;
    apply(pool, index, &ids).await?;
    commit(index).await?;
    // Rows added meanwhile have higher ids and stay for the next round.
    sqlx::query("DELETE FROM search_outbox WHERE id <= ?")
        .bind(upto)
        .execute(pool)
        .await?;
    Ok(ids.len())
}

/// Queues every document for indexing: after the index was created or
/// recreated empty, the indexer fills it from the database.
pub async fn queue_all(pool: &SqlitePool) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("INSERT INTO search_outbox (document_id) SELECT id FROM documents")
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// Empties the index and fills it from the database.
pub async fn rebuild(pool: &SqlitePool, index: &SearchIndex) -> Result<usize, SyncError> {
    let upto: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM search_outbox")
        .fetch_one(pool)
        .await?;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM documents ORDER BY id")
        .fetch_all(pool)
        .await?;
    {
        let index = index.clone();
        tokio::task::spawn_blocking(move || index.clear())
            .await
            .map_err(|_| SyncError::Panicked)??;
    }
    apply(pool, index, &ids).await?;
    commit(index).await?;
    sqlx::query("DELETE FROM search_outbox WHERE id <= ?")
        .bind(upto)
        .execute(pool)
        .await?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::Row;
    use crate::akten::visibility::document_visible_to;

    fn row(owner: i64, shared_with: Option<&str>) -> Row {
        Row {
            id: 1,
            municipality_id: owner,
            municipality_code: "MIC".into(),
            title: String::new(),
            doc_type: String::new(),
            correspondent: String::new(),
            document_date: None,
            created_at: 0,
            trashed_at: None,
            akte_id: None,
            aktenzeichen: None,
            akte_title: None,
            akte_status: None,
            plan_code: None,
            plan_title: None,
            vorgang_id: None,
            vorgang_zeichen: None,
            vorgang_title: None,
            tags: None,
            shared_with: shared_with.map(str::to_string),
            text: None,
        }
    }

    #[test]
    fn the_index_lets_see_whom_the_visibility_rule_lets_see() {
        for (owner, shared) in [
            (1, None),
            (1, Some("2")),
            (3, Some("1,2")),
            (2, Some("2,4")),
        ] {
            let ids: Vec<i64> = shared
                .unwrap_or_default()
                .split(',')
                .filter_map(|id| id.parse().ok())
                .collect();
            let doc = row(owner, shared).into_doc();
            for viewer in 1..=4 {
                assert_eq!(
                    doc.visible_to.contains(&viewer),
                    document_visible_to(owner, &ids, viewer),
                    "owner {owner}, shared {shared:?}, viewer {viewer}"
                );
            }
        }
    }
}
