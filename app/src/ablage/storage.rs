//! SQL of the filing suggestions.

use sqlx::{SqliteConnection, SqlitePool};

/// A document of the municipality waiting in the Posteingang: its title,
/// sender and the text of its newest version (empty until extracted).
pub async fn inbox_document(
    pool: &SqlitePool,
    document_id: i64,
    municipality_id: i64,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.title, d.correspondent,
                COALESCE((SELECT t.text FROM document_versions v
                          JOIN version_texts t ON t.version_id = v.id
                          WHERE v.document_id = d.id ORDER BY v.number DESC LIMIT 1), '')
         FROM documents d
         WHERE d.id = ? AND d.municipality_id = ? AND d.akte_id IS NULL AND d.trashed_at IS NULL",
    )
    .bind(document_id)
    .bind(municipality_id)
    .fetch_optional(pool)
    .await
}

/// Where filed documents lie, for those of `ids` in open Akten of the
/// municipality: (document, Akte, „MIC 621.1-0007 Bauanträge 2026“,
/// sender).
pub async fn filed(
    pool: &SqlitePool,
    ids: &[i64],
    municipality_id: i64,
) -> Result<Vec<(i64, i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, a.id, a.aktenzeichen || ' ' || a.title, d.correspondent
         FROM documents d JOIN akten a ON a.id = d.akte_id
         WHERE d.id IN (SELECT value FROM json_each(?)) AND d.municipality_id = ?
           AND a.municipality_id = d.municipality_id AND a.status = 'open' AND d.trashed_at IS NULL",
    )
    .bind(serde_json::Value::from(ids).to_string())
    .bind(municipality_id)
    .fetch_all(pool)
    .await
}

/// The suggestions kept for a document, by rank: (rank, Akte, plan,
/// reason, „MIC 621.1-0007 Bauanträge 2026“ of a still open Akte).
pub async fn kept(
    pool: &SqlitePool,
    document_id: i64,
) -> Result<Vec<(i64, Option<i64>, Option<String>, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.rang, s.akte_id, s.plan, s.erklaerung,
                CASE WHEN a.status = 'open' THEN a.aktenzeichen || ' ' || a.title END
         FROM ablagevorschlaege s LEFT JOIN akten a ON a.id = s.akte_id
         WHERE s.document_id = ? ORDER BY s.rang",
    )
    .bind(document_id)
    .fetch_all(pool)
    .await
}

/// Keeps a suggestion as shown (once per document and rank).
pub async fn keep(
    conn: &mut SqliteConnection,
    document_id: i64,
    rang: i64,
    (akte_id, plan): (Option<i64>, Option<&str>),
    erklaerung: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ablagevorschlaege (document_id, rang, akte_id, plan, erklaerung, erstellt_am)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (document_id, rang) DO NOTHING",
    )
    .bind(document_id)
    .bind(rang)
    .bind(akte_id)
    .bind(plan)
    .bind(erklaerung)
    .bind(crate::time::now())
    .execute(conn)
    .await
    .map(drop)
}

/// The open Akte of the municipality with this Aktenzeichen: (id, „MIC
/// 621.1-0007 Bauanträge 2026“).
pub async fn open_akte(
    pool: &SqlitePool,
    municipality_id: i64,
    aktenzeichen: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, aktenzeichen || ' ' || title FROM akten
         WHERE municipality_id = ? AND aktenzeichen = ? AND status = 'open'",
    )
    .bind(municipality_id)
    .bind(aktenzeichen)
    .fetch_optional(pool)
    .await
}
