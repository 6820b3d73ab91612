//! The use cases of the audit log: reading it and checking it
//! (administrators only), and recording an entry that belongs to no other
//! write.

use super::storage::{self, NewEntry};
use super::{AuditEntryView, ChainReport};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use sqlx::SqlitePool;

/// Newest entries first, 100 at a time before `before_id`; municipal
/// administrators see their own municipality only.
pub async fn list(
    state: &AppState,
    user: &SessionUser,
    action: Option<&str>,
    document: Option<i64>,
    before_id: Option<i64>,
) -> Result<Vec<AuditEntryView>, AppError> {
    guard::check(user, Rule::Administration)?;
    let scope = (!user.all_municipalities).then_some(user.municipality.id);
    let document = document.map(|id| id.to_string());
    let filter = storage::Filter {
        municipality_id: scope,
        action: action.filter(|a| !a.is_empty()),
        object: document.as_deref().map(|id| ("document", id)),
        before_id,
    };
    Ok(page(&state.pool, filter, 100).await?)
}

/// One page of the log as people read it. For use cases that have checked
/// already who may read these entries (the history of a document).
pub async fn page(
    pool: &SqlitePool,
    filter: storage::Filter<'_>,
    limit: i64,
) -> Result<Vec<AuditEntryView>, sqlx::Error> {
    Ok(storage::entries(pool, filter, limit)
        .await?
        .into_iter()
        .map(|entry| AuditEntryView {
            id: entry.id,
            at: crate::time::display_exact(entry.at),
            actor_name: entry.actor_name,
            municipality: entry.municipality,
            action_label: super::action_label(&entry.action).to_string(),
            action: entry.action,
            object: match entry.object_id {
                Some(id) => format!("{} {id}", entry.object_type),
                None => entry.object_type,
            },
            details: entry.details,
            ip: entry.ip,
        })
        .collect())
}

/// Re-computes the whole hash chain and compares it with the checkpoints
/// kept outside the database (which also show a cut-off end).
pub async fn verify(state: &AppState, user: &SessionUser) -> Result<ChainReport, AppError> {
    guard::check(user, Rule::Administration)?;
    Ok(super::anchor::verify(&state.pool, &state.settings.audit_anchor).await?)
}

/// Records a single entry in its own write transaction, for events that
/// change nothing else (a sign-in, a download).
pub async fn record_alone(pool: &SqlitePool, entry: NewEntry) -> Result<(), sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    storage::record(&mut tx, entry).await?;
    tx.commit().await
}
