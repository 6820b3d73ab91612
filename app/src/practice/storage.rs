//! SQL of the practice areas: finding or creating a user's area, filling
//! it from the template, resetting it, and its canonical state (for the
//! "reset restores the template exactly" check).

use super::template::{self, TemplateDocument};
use crate::aktenplan::index::PlanIndex;
use crate::auth::SessionUser;
use crate::documents::filetype::FileKind;
use crate::municipalities::Municipality;
use sha2::{Digest, Sha256};
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

/// The user's practice area, if it exists.
pub async fn find_area<'e, E>(
    executor: E,
    user_id: i64,
) -> Result<Option<Municipality>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query_as::<_, Municipality>(
        "SELECT id, code, name FROM municipalities WHERE practice_user_id = ?",
    )
    .bind(user_id)
    .fetch_optional(executor)
    .await
}

/// `user` switched into `area`: the area is their municipality, nothing
/// beyond it is in scope; the real role stays.
pub fn practising(user: SessionUser, area: Municipality) -> SessionUser {
    let home = crate::auth::PracticeArea {
        home: user.municipality.clone(),
        home_all_municipalities: user.all_municipalities,
    };
    SessionUser {
        municipality: area,
        all_municipalities: false,
        practice: Some(home),
        ..user
    }
}

/// Makes the municipality row of `user`'s practice area.
pub async fn insert_area(
    conn: &mut SqliteConnection,
    user: &SessionUser,
) -> Result<Municipality, sqlx::Error> {
    let code = super::area_code(user.id);
    let name = super::area_name(&user.display_name, &user.username);
    let id = sqlx::query(
        "INSERT INTO municipalities (code, name, coordinating, practice_user_id) VALUES (?, ?, 0, ?)",
    )
    .bind(&code)
    .bind(&name)
    .bind(user.id)
    .execute(conn)
    .await?
    .last_insert_rowid();
    Ok(Municipality { id, code, name })
}

/// The retention end of a template Akte or Vorgang closed on `closed_on`.
fn retention_until(plan: &PlanIndex, position_id: i64, closed_on: &str) -> Option<String> {
    let date = chrono::NaiveDate::parse_from_str(closed_on, "%Y-%m-%d").ok()?;
    let position = plan.get(position_id)?;
    crate::aktenplan::retention::retention_end(
        date,
        position.record.retention,
        position.record.trigger,
    )
    .map(crate::time::iso_date)
}

/// Writes the template's Akten, Vorgänge and documents into the (empty) area of
/// `owner`, through the same storage functions the real upload and Akten
/// use: versions, blobs, text-extraction jobs and the search outbox.
pub async fn fill(
    tx: &mut SqliteConnection,
    plan: &PlanIndex,
    owner: &SessionUser,
    documents: &[TemplateDocument],
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    let mut akten: HashMap<&str, i64> = HashMap::new();
    for akte in template::akten() {
        let Some(position) = plan
            .by_code(akte.plan_code)
            .filter(|p| p.record.active && p.record.code.level() >= crate::akten::MIN_AKTE_LEVEL)
        else {
            // The plan changed: without its position the Akte is left out
            // and its documents wait in the Posteingang.
            tracing::warn!(code = akte.plan_code, "practice template position missing");
            continue;
        };
        let summary = crate::akten::storage::create_in(
            &mut *tx,
            crate::akten::storage::NewAkte {
                municipality_id: owner.municipality.id,
                municipality_code: &owner.municipality.code,
                position_id: position.id,
                position_code: position.record.code.as_str(),
                title: akte.title,
                responsible: akte.responsible,
                opened_on: akte.opened_on,
                user_id: owner.id,
                user_name: &owner.display_name,
                ip: None,
            },
        )
        .await?;
        akten.insert(akte.key, summary.id);
        if let Some(closed_on) = akte.closed_on {
            let until = retention_until(plan, position.id, closed_on);
            sqlx::query(
                "UPDATE akten SET status = 'closed', closed_on = ?, retention_until = ? WHERE id = ?",
            )
            .bind(closed_on)
            .bind(until)
            .bind(summary.id)
            .execute(&mut *tx)
            .await?;
        }
    }
    // The Vorgänge, numbered in their Akten in template order, and the
    // documents they hold by file name.
    let mut in_vorgang: HashMap<&str, i64> = HashMap::new();
    let mut vorgang_ids: HashMap<&str, i64> = HashMap::new();
    for vorgang in template::vorgaenge() {
        let Some(&akte_id) = akten.get(vorgang.akte) else {
            continue;
        };
        let (aktenzeichen, position_id): (String, i64) =
            sqlx::query_as("SELECT aktenzeichen, position_id FROM akten WHERE id = ?")
                .bind(akte_id)
                .fetch_one(&mut *tx)
                .await?;
        let summary = crate::vorgaenge::storage::create_in(
            &mut *tx,
            crate::vorgaenge::storage::NewVorgang {
                akte_id,
                municipality_id: owner.municipality.id,
                aktenzeichen: &aktenzeichen,
                title: vorgang.title,
                responsible_id: owner.id,
                opened_on: vorgang.opened_on,
                user_id: owner.id,
            },
        )
        .await?;
        if vorgang.in_progress {
            crate::vorgaenge::storage::set_status(
                &mut *tx,
                summary.id,
                owner.municipality.id,
                crate::vorgaenge::VorgangStatus::Open,
                crate::vorgaenge::VorgangStatus::InProgress,
            )
            .await?;
        }
        if let Some(closed_on) = vorgang.closed_on {
            let until = retention_until(plan, position_id, closed_on);
            crate::vorgaenge::storage::close(
                &mut *tx,
                summary.id,
                owner.municipality.id,
                closed_on,
                until.as_deref(),
            )
            .await?;
        }
        for name in vorgang.documents {
            in_vorgang.insert(name, summary.id);
        }
        vorgang_ids.insert(vorgang.title, summary.id);
    }
    let mut document_ids: HashMap<&str, i64> = HashMap::new();
    let mut document_hashes: HashMap<&str, &str> = HashMap::new();
    for (document, sha256) in documents.iter().zip(hashes) {
        let kind = document
            .file_name
            .rsplit_once('.')
            .and_then(|(_, ext)| FileKind::from_extension(ext))
            .unwrap_or(FileKind::Txt);
        let akte_id = document.akte.and_then(|key| akten.get(key).copied());
        let id = crate::documents::service::create_in(
            &mut *tx,
            crate::documents::storage::NewDocument {
                user: owner,
                ip: None,
                akte_id,
                vorgang_id: akte_id.and(in_vorgang.get(document.file_name).copied()),
                title: document.title,
                file: crate::documents::storage::StoredFile {
                    sha256,
                    size: document.bytes.len() as u64,
                    kind,
                    file_name: document.file_name,
                },
                arrived_via: None,
            },
        )
        .await?;
        document_ids.insert(document.file_name, id);
        document_hashes.insert(document.file_name, sha256);
        sqlx::query(
            "UPDATE documents SET doc_type = ?, document_date = ?, correspondent = ? WHERE id = ?",
        )
        .bind(document.doc_type.as_str())
        .bind(document.document_date)
        .bind(document.correspondent)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for tag in document.tags {
            sqlx::query("INSERT INTO document_tags (document_id, tag) VALUES (?, ?)")
                .bind(id)
                .bind(tag)
                .execute(&mut *tx)
                .await?;
        }
    }
    // An open Laufweg asking the trainee, on the document's first version.
    let laufweg = template::laufweg();
    if let (Some(&document_id), Some(sha256)) = (
        document_ids.get(laufweg.document),
        document_hashes.get(laufweg.document),
    ) {
        crate::laufwege::storage::insert(
            &mut *tx,
            crate::laufwege::storage::NewLaufweg {
                municipality_id: owner.municipality.id,
                document_id,
                version_number: 1,
                sha256,
                title: laufweg.title,
                started_by: owner.id,
            },
            &[crate::laufwege::PlannedStep {
                stage: 1,
                asked: crate::laufwege::Asked::Person(owner.id),
                kind: laufweg.kind,
            }],
            crate::time::now(),
        )
        .await?;
    }
    // The Postkorb: Wiedervorlagen around the day the area is made.
    let today = crate::time::today();
    for w in template::wiedervorlagen() {
        let subject = match (w.vorgang, w.document) {
            (Some(title), _) => vorgang_ids
                .get(title)
                .map(|&id| crate::postkorb::Subject::Vorgang(id)),
            (None, Some(name)) => document_ids
                .get(name)
                .map(|&id| crate::postkorb::Subject::Document(id)),
            (None, None) => None,
        };
        let Some(subject) = subject else {
            continue;
        };
        let due_on = crate::time::iso_date(today + chrono::Duration::days(w.days));
        crate::postkorb::storage::insert_wiedervorlage(
            &mut *tx,
            crate::postkorb::storage::NewWiedervorlage {
                municipality_id: owner.municipality.id,
                subject,
                for_user_id: owner.id,
                due_on: &due_on,
                reason: w.reason,
                created_by: owner.id,
            },
            crate::time::now(),
        )
        .await?;
    }
    Ok(())
}

/// Removes everything of the area: every table [`super::tables`] marks
/// as filled by the template or written while practising. Documents go
/// first through the same destruction as emptying the trash, which also
/// names the blob hashes they used (returned, for release after the
/// refill).
pub async fn clear(tx: &mut SqliteConnection, area_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let documents: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM documents WHERE municipality_id = ?")
            .bind(area_id)
            .fetch_all(&mut *tx)
            .await?;
    let hashes = crate::documents::storage::destroy(&mut *tx, &documents).await?;
    for (table, area_rows) in super::tables::cleared_by_reset() {
        sqlx::query(&format!("DELETE FROM {table} WHERE {area_rows}"))
            .bind(area_id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(hashes)
}

/// Switches practice mode for a (non-trainee) user.
pub async fn set_active(
    conn: &mut SqliteConnection,
    user_id: i64,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET practice_active = ?, updated_at = ? WHERE id = ?")
        .bind(active)
        .bind(crate::time::now())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Akten, documents and Posteingang documents of an area.
pub async fn counts(pool: &SqlitePool, area_id: i64) -> Result<(i64, i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM akten WHERE municipality_id = ?1),
                (SELECT COUNT(*) FROM documents WHERE municipality_id = ?1 AND trashed_at IS NULL),
                (SELECT COUNT(*) FROM documents WHERE municipality_id = ?1 AND trashed_at IS NULL AND akte_id IS NULL)",
    )
    .bind(area_id)
    .fetch_one(pool)
    .await
}

/// Aktenzeichen, title, status, opened, closed, retention end, responsible, plan code.
type AkteLine = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);
/// Document title or Vorgang Zeichen, due day, reason, status.
type WiedervorlageLine = (Option<String>, Option<String>, String, String, String);
/// Zeichen, title, status, opened, zdA, retention end.
type VorgangLine = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);
/// Id, title, type, date, correspondent, notes, where filed (the
/// Vorgang's Zeichen or the Aktenzeichen), trashed.
type DocumentLine = (
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    bool,
);

/// The area's content as sorted lines, free of row ids and timestamps:
/// Akten, documents with metadata, filing, tags and every version's file
/// hash, shares, counters and plan proposals. Two areas in the same state
/// give the same lines.
pub async fn canonical_state(pool: &SqlitePool, area_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let mut lines: Vec<String> = Vec::new();
    let akten: Vec<AkteLine> =
        sqlx::query_as(
            "SELECT a.aktenzeichen, a.title, a.status, a.opened_on, a.closed_on, a.retention_until,
                    a.responsible, p.code
             FROM akten a JOIN plan_positions p ON p.id = a.position_id WHERE a.municipality_id = ?",
        )
        .bind(area_id)
        .fetch_all(pool)
        .await?;
    lines.extend(akten.into_iter().map(|a| format!("akte|{a:?}")));
    let vorgaenge: Vec<VorgangLine> = sqlx::query_as(
        "SELECT zeichen, title, status, opened_on, closed_on, retention_until
             FROM vorgaenge WHERE municipality_id = ?",
    )
    .bind(area_id)
    .fetch_all(pool)
    .await?;
    lines.extend(vorgaenge.into_iter().map(|v| format!("vorgang|{v:?}")));
    let wiedervorlagen: Vec<WiedervorlageLine> = sqlx::query_as(
        "SELECT d.title, v.zeichen, w.due_on, w.reason, w.status FROM wiedervorlagen w
             LEFT JOIN documents d ON d.id = w.document_id
             LEFT JOIN vorgaenge v ON v.id = w.vorgang_id
             WHERE w.municipality_id = ?",
    )
    .bind(area_id)
    .fetch_all(pool)
    .await?;
    lines.extend(
        wiedervorlagen
            .into_iter()
            .map(|w| format!("wiedervorlage|{w:?}")),
    );
    let laufwege: Vec<(String, String, String, i64, String, String, String)> = sqlx::query_as(
        "SELECT d.title, l.title, l.status, s.stage, s.kind, s.state, s.remark
         FROM laufwege l JOIN documents d ON d.id = l.document_id
         JOIN laufweg_schritte s ON s.laufweg_id = l.id
         WHERE l.municipality_id = ?",
    )
    .bind(area_id)
    .fetch_all(pool)
    .await?;
    lines.extend(laufwege.into_iter().map(|l| format!("laufweg|{l:?}")));
    let documents: Vec<DocumentLine> = sqlx::query_as(
        "SELECT d.id, d.title, d.doc_type, d.document_date, d.correspondent, d.notes,
                    COALESCE(v.zeichen, a.aktenzeichen), d.trashed_at IS NOT NULL
             FROM documents d LEFT JOIN akten a ON a.id = d.akte_id
             LEFT JOIN vorgaenge v ON v.id = d.vorgang_id WHERE d.municipality_id = ?",
    )
    .bind(area_id)
    .fetch_all(pool)
    .await?;
    for (id, title, doc_type, date, correspondent, notes, akte, trashed) in documents {
        let mut tags: Vec<String> =
            sqlx::query_scalar("SELECT tag FROM document_tags WHERE document_id = ?")
                .bind(id)
                .fetch_all(pool)
                .await?;
        tags.sort();
        let versions: Vec<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT number, sha256, kind, file_name, note FROM document_versions
             WHERE document_id = ? ORDER BY number",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        lines.push(format!(
            "document|{:?}",
            (
                title,
                doc_type,
                date,
                correspondent,
                notes,
                akte,
                trashed,
                tags,
                versions
            )
        ));
    }
    let counters: Vec<(String, i64)> = sqlx::query_as(
        "SELECT p.code, c.last_number FROM akten_counters c JOIN plan_positions p ON p.id = c.position_id
         WHERE c.municipality_id = ?",
    )
    .bind(area_id)
    .fetch_all(pool)
    .await?;
    lines.extend(counters.into_iter().map(|c| format!("counter|{c:?}")));
    let vorgang_counters: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.aktenzeichen, c.last_number FROM vorgang_counters c JOIN akten a ON a.id = c.akte_id
         WHERE a.municipality_id = ?",
    )
    .bind(area_id)
    .fetch_all(pool)
    .await?;
    lines.extend(
        vorgang_counters
            .into_iter()
            .map(|c| format!("vorgang_counter|{c:?}")),
    );
    let shares: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM akten_shares s JOIN akten a ON a.id = s.akte_id
         WHERE a.municipality_id = ?1 OR s.municipality_id = ?1",
    )
    .bind(area_id)
    .fetch_one(pool)
    .await?;
    lines.push(format!("shares|{shares}"));
    let proposals: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM plan_proposals WHERE practice_municipality_id = ?",
    )
    .bind(area_id)
    .fetch_one(pool)
    .await?;
    lines.push(format!("proposals|{proposals}"));
    lines.sort();
    Ok(lines)
}

/// A short hash of [`canonical_state`].
pub async fn fingerprint(pool: &SqlitePool, area_id: i64) -> Result<String, sqlx::Error> {
    let mut hasher = Sha256::new();
    for line in canonical_state(pool, area_id).await? {
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    Ok(hex::encode(hasher.finalize()))
}
