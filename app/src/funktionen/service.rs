//! The use cases of Funktionen: the Administration of a municipality
//! names them, renames and removes them, and says who holds each. Every
//! change is audited under the municipality.

use super::storage;
use super::Funktionen;
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;

fn unknown() -> AppError {
    AppError::NotFound("Die Funktion".into())
}

/// The Funktionen of the Administration's own municipality and its clerks.
pub async fn overview(state: &AppState, admin: &SessionUser) -> Result<Funktionen, AppError> {
    guard::check(admin, Rule::Administration)?;
    let municipality = admin.municipality.id;
    Ok(Funktionen {
        municipality: admin.municipality.name.clone(),
        funktionen: storage::list(&state.pool, municipality).await?,
        clerks: crate::users::storage::clerks_of(&state.pool, municipality).await?,
    })
}

/// Names a new Funktion (`id` None) or renames one. Returns its id.
pub async fn save(
    state: &AppState,
    admin: &SessionUser,
    id: Option<i64>,
    name: &str,
) -> Result<i64, AppError> {
    guard::check(admin, Rule::Administration)?;
    let name = super::validate_name(name)?;
    let municipality = admin.municipality.id;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let old = match id {
        Some(id) => Some(
            storage::name_of(&mut tx, id, municipality)
                .await?
                .ok_or_else(unknown)?,
        ),
        None => None,
    };
    if storage::name_taken(&mut tx, municipality, &name, id).await? {
        return Err(AppError::invalid(format!(
            "Eine Funktion „{name}“ gibt es in Ihrer Gemeinde schon."
        )));
    }
    let (id, entry) = match (id, old) {
        (Some(id), Some(old)) => {
            storage::rename(&mut tx, id, &name).await?;
            (
                id,
                NewEntry::by(
                    admin,
                    "funktion_renamed",
                    "funktion",
                    id,
                    serde_json::json!({ "from": old, "to": name }),
                ),
            )
        }
        _ => {
            let id = storage::insert(&mut tx, municipality, &name, crate::time::now()).await?;
            (
                id,
                NewEntry::by(
                    admin,
                    "funktion_created",
                    "funktion",
                    id,
                    serde_json::json!({ "name": name }),
                ),
            )
        }
    };
    record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a Funktion no running Laufweg asks.
pub async fn remove(state: &AppState, admin: &SessionUser, id: i64) -> Result<(), AppError> {
    guard::check(admin, Rule::Administration)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let name = storage::name_of(&mut tx, id, admin.municipality.id)
        .await?
        .ok_or_else(unknown)?;
    if storage::asked_in_open_laufweg(&mut tx, id).await? {
        return Err(AppError::invalid(format!(
            "„{name}“ ist in einem laufenden Laufweg gefragt. Die Funktion kann entfernt werden, wenn er abgeschlossen oder zurückgezogen ist."
        )));
    }
    storage::remove(&mut tx, id, crate::time::now()).await?;
    record(
        &mut tx,
        NewEntry::by(
            admin,
            "funktion_removed",
            "funktion",
            id,
            serde_json::json!({ "name": name }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a clerk of the municipality the Funktion, or takes it away.
pub async fn set_member(
    state: &AppState,
    admin: &SessionUser,
    id: i64,
    user_id: i64,
    member: bool,
) -> Result<(), AppError> {
    guard::check(admin, Rule::Administration)?;
    let municipality = admin.municipality.id;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let name = storage::name_of(&mut tx, id, municipality)
        .await?
        .ok_or_else(unknown)?;
    if member && !crate::users::storage::is_clerk_of(&mut tx, user_id, municipality).await? {
        return Err(AppError::invalid(
            "Eine Funktion übernehmen Personen der Sachbearbeitung Ihrer Gemeinde. Bitte wählen Sie aus der Liste.",
        ));
    }
    storage::set_member(&mut tx, id, user_id, member).await?;
    record(
        &mut tx,
        NewEntry::by(
            admin,
            if member {
                "funktion_member_added"
            } else {
                "funktion_member_removed"
            },
            "funktion",
            id,
            serde_json::json!({ "name": name, "user_id": user_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
