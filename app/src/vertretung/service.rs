//! The use cases of Vertretung: read the absences page, enter and cancel
//! an absence, and the one rule every feature asks before someone acts on
//! what belongs to another person ([`acting_for`]).

use super::storage::{self, Filter, NewAbsence};
use super::{Abwesenheiten, Acting};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::{Role, SessionUser};
use crate::error::AppError;
use crate::state::AppState;

fn unknown_absence() -> AppError {
    AppError::NotFound("Die Abwesenheit".into())
}

/// Whose absences `user` manages: a clerk their own, the Administration
/// those of the clerks of the municipalities it administers.
fn manages(user: &SessionUser, absent_id: i64, municipality_id: i64) -> bool {
    if user.role == Role::Sachbearbeitung {
        absent_id == user.id && municipality_id == user.municipality.id
    } else {
        guard::administers(user, municipality_id)
    }
}

/// The audit entry of a change to an absence: on the absent person's
/// trail, under their municipality (not the Administration's).
fn entry(
    user: &SessionUser,
    action: &'static str,
    absent_id: i64,
    municipality_id: i64,
    details: serde_json::Value,
) -> NewEntry {
    NewEntry {
        municipality_id: Some(municipality_id),
        ..NewEntry::by(user, action, "user", absent_id, details)
    }
}

fn today() -> String {
    crate::time::iso_date(crate::time::today())
}

/// How `user` acts on something that belongs to `owner` today: as
/// themselves, as the deputy of the absent owner, or not at all (`None`).
/// In a practice area nobody stands in for anyone.
pub async fn acting_for(
    conn: &mut sqlx::SqliteConnection,
    user: &SessionUser,
    owner: i64,
) -> Result<Option<Acting>, AppError> {
    if owner == user.id {
        return Ok(Some(Acting::Myself));
    }
    if user.in_practice() {
        return Ok(None);
    }
    Ok(
        storage::standing_in(conn, user.id, owner, user.municipality.id, &today())
            .await?
            .map(|absent_name| Acting::Deputy {
                absent_id: owner,
                absent_name,
            }),
    )
}

impl Acting {
    /// The person whose work it is.
    pub fn owner(&self, user: &SessionUser) -> i64 {
        match self {
            Acting::Myself => user.id,
            Acting::Deputy { absent_id, .. } => *absent_id,
        }
    }

    /// The audit entry for what `user` did: in Vertretung it names both,
    /// "Berta Beispiel i. V. für Anna Muster", and keeps the absent
    /// person's id in the details.
    pub fn entry(
        &self,
        user: &SessionUser,
        action: &'static str,
        object_type: &'static str,
        object_id: impl ToString,
        mut details: serde_json::Value,
    ) -> NewEntry {
        let mut entry = NewEntry::by(
            user,
            action,
            object_type,
            object_id,
            serde_json::Value::Null,
        );
        if let Acting::Deputy {
            absent_id,
            absent_name,
        } = self
        {
            entry.actor_name = format!("{} i. V. für {absent_name}", user.display_name);
            if let Some(map) = details.as_object_mut() {
                map.insert(
                    "in_vertretung_fuer".into(),
                    serde_json::json!({ "user_id": absent_id, "name": absent_name }),
                );
            }
        }
        entry.details = details;
        entry
    }
}

/// The colleagues `user` stands in for today: id, name and the last day
/// of the absence.
pub async fn standing_in_today(
    state: &AppState,
    user: &SessionUser,
) -> Result<Vec<(i64, String, String)>, AppError> {
    if user.in_practice() || !Rule::Clerk.allows(user) {
        return Ok(Vec::new());
    }
    Ok(storage::absent_ones_of(&state.pool, user.id, user.municipality.id, &today()).await?)
}

/// The absences page.
pub async fn overview(state: &AppState, user: &SessionUser) -> Result<Abwesenheiten, AppError> {
    guard::check(user, Rule::Absences)?;
    let today = today();
    let mut page = Abwesenheiten {
        today: today.clone(),
        ..Abwesenheiten::default()
    };
    if user.role == Role::Sachbearbeitung {
        page.own = true;
        let own = |f: Filter| storage::list(&state.pool, f, &today);
        page.mine = own(Filter {
            absent_user_id: Some(user.id),
            ..Filter::default()
        })
        .await?;
        page.deputising = own(Filter {
            deputy_user_id: Some(user.id),
            ..Filter::default()
        })
        .await?;
        page.absentees = vec![super::Colleague {
            id: user.id,
            name: user.display_name.clone(),
        }];
        page.deputies = crate::users::storage::clerks_of(&state.pool, user.municipality.id).await?;
        page.deputies.retain(|c| c.id != user.id);
    } else {
        let scope = (!user.all_municipalities).then_some(user.municipality.id);
        page.managed = storage::list(
            &state.pool,
            Filter {
                municipality_id: scope,
                ..Filter::default()
            },
            &today,
        )
        .await?;
        page.absentees = storage::clerks_labelled(&state.pool, scope).await?;
        page.deputies = page.absentees.clone();
    }
    Ok(page)
}

/// Enters an absence of `absent_id` from `starts_on` to `ends_on` with
/// `deputy_id` standing in. A clerk enters their own; the Administration
/// those of the clerks of its municipality. Returns its id.
pub async fn set_absence(
    state: &AppState,
    user: &SessionUser,
    absent_id: i64,
    deputy_id: i64,
    starts_on: &str,
    ends_on: &str,
    note: &str,
) -> Result<i64, AppError> {
    guard::check(user, Rule::Absences)?;
    let (starts, ends, note) =
        super::validate_absence(starts_on, ends_on, note, crate::time::today())?;
    let (starts_on, ends_on) = (crate::time::iso_date(starts), crate::time::iso_date(ends));
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let municipality = storage::clerk_municipality(&mut tx, absent_id).await?;
    let Some(municipality_id) = municipality.filter(|m| manages(user, absent_id, *m)) else {
        return Err(AppError::invalid(
            "Bitte wählen Sie aus der Liste, wer abwesend ist.",
        ));
    };
    if deputy_id == absent_id
        || storage::clerk_municipality(&mut tx, deputy_id).await? != Some(municipality_id)
    {
        return Err(AppError::invalid(
            "Bitte wählen Sie als Vertretung eine andere Person derselben Gemeinde aus der Liste.",
        ));
    }
    if storage::overlaps(&mut tx, absent_id, &starts_on, &ends_on).await? {
        return Err(AppError::invalid(
            "Für diese Tage ist schon eine Abwesenheit eingetragen. Bitte ändern Sie die Tage oder heben Sie die andere Abwesenheit auf.",
        ));
    }
    let id = storage::insert(
        &mut tx,
        NewAbsence {
            municipality_id,
            absent_user_id: absent_id,
            deputy_user_id: deputy_id,
            starts_on: &starts_on,
            ends_on: &ends_on,
            note: &note,
            created_by: user.id,
        },
        crate::time::now(),
    )
    .await?;
    record(
        &mut tx,
        entry(
            user,
            "absence_set",
            absent_id,
            municipality_id,
            serde_json::json!({
                "vertretung_id": id, "deputy_user_id": deputy_id,
                "starts_on": starts_on, "ends_on": ends_on, "note": note,
            }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Cancels an absence that has not ended: the absent person or the
/// Administration of the municipality. The deputy's access ends at once.
pub async fn cancel_absence(state: &AppState, user: &SessionUser, id: i64) -> Result<(), AppError> {
    guard::check(user, Rule::Absences)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let (absent_id, municipality_id) = storage::open(&mut tx, id, &today())
        .await?
        .filter(|(absent, municipality)| manages(user, *absent, *municipality))
        .ok_or_else(unknown_absence)?;
    storage::cancel(&mut tx, id, user.id, crate::time::now()).await?;
    record(
        &mut tx,
        entry(
            user,
            "absence_cancelled",
            absent_id,
            municipality_id,
            serde_json::json!({ "vertretung_id": id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
