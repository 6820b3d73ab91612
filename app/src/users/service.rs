//! Use cases of the user administration. Each checks that the caller
//! administers the account it touches (the rules of
//! [`crate::auth::permissions`], in one place), then writes the account,
//! ends sessions where rights change and records the audit entry in one
//! transaction.

use super::storage::{self, Refusal};
use super::{AdminOverview, OneTimePassword, UserFields, UserSummary};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::permissions::{self, check_assignment, check_self_change, Assignment};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::rollout_days::{self, Subjects};
use crate::state::AppState;

/// The account form as typed; validated by the use case.
#[derive(Clone, Copy, Debug)]
pub struct AccountForm<'a> {
    pub display_name: &'a str,
    pub email: &'a str,
    pub municipality_id: i64,
    pub role: &'a str,
    pub all_municipalities: bool,
}

impl AccountForm<'_> {
    fn parse(self) -> Result<UserFields, AppError> {
        super::parse_fields(
            self.display_name,
            self.email,
            self.municipality_id,
            self.role,
            self.all_municipalities,
        )
    }
}

/// The German answer for a refused account write.
pub fn refusal(refusal: Refusal, username: &str) -> AppError {
    match refusal {
        Refusal::UsernameTaken => AppError::Conflict(format!(
            "Der Benutzername „{username}“ ist bereits vergeben."
        )),
        Refusal::UnknownMunicipality => AppError::invalid("Diese Gemeinde gibt es nicht."),
    }
}

/// Accounts belong to real municipalities; a practice area is none.
async fn real_municipality(state: &AppState, id: i64) -> Result<(), AppError> {
    if crate::municipalities::storage::is_practice(&state.pool, id).await? {
        return Err(AppError::invalid("Diese Gemeinde gibt es nicht."));
    }
    Ok(())
}

/// What the admin wants to give an account, checked against their own rights.
fn check_fields(admin: &SessionUser, fields: &UserFields) -> Result<(), AppError> {
    check_assignment(
        admin,
        Assignment {
            municipality_id: fields.municipality_id,
            role: fields.role,
            all_municipalities: fields.all_municipalities,
        },
    )
}

/// The account `id`, if the admin may manage it.
async fn managed_user(
    admin: &SessionUser,
    state: &AppState,
    id: i64,
) -> Result<UserSummary, AppError> {
    guard::check(admin, Rule::Administration)?;
    let not_found = || AppError::NotFound("Das Benutzerkonto".into());
    let target = storage::get(&state.pool, id).await?.ok_or_else(not_found)?;
    // Accounts of another municipality answer like unknown ones: the
    // admin does not see them in the list either.
    if !guard::administers(admin, target.municipality_id) {
        return Err(not_found());
    }
    // Never an account with wider rights than the admin's own (these
    // are listed, read-only, so a plain refusal reveals nothing).
    if !permissions::may_act_on_account(
        admin,
        target.municipality_id,
        target.role,
        target.all_municipalities,
    ) {
        return Err(AppError::Forbidden);
    }
    Ok(target)
}

fn entry(
    admin: &SessionUser,
    action: &'static str,
    target_id: i64,
    municipality_id: i64,
    details: serde_json::Value,
) -> NewEntry {
    // Recorded under the account's municipality, not the admin's.
    NewEntry {
        municipality_id: Some(municipality_id),
        ..NewEntry::by(admin, action, "user", target_id, details)
    }
}

async fn hash_off_thread(state: &AppState, password: String) -> Result<String, AppError> {
    use crate::auth::password;
    password::run_bounded(&state.hashing, move || password::hash(&password))
        .await
        .map_err(|_| password::busy_error())?
}

/// The accounts this administrator manages, and the choices for the forms.
pub async fn overview(state: &AppState, admin: &SessionUser) -> Result<AdminOverview, AppError> {
    guard::check(admin, Rule::Administration)?;
    let scope = (!admin.all_municipalities).then_some(admin.municipality.id);
    let users = storage::list(&state.pool, scope).await?;
    let municipalities = crate::municipalities::storage::list(&state.pool)
        .await?
        .into_iter()
        .filter(|m| guard::administers(admin, m.id))
        .collect();
    let read_only = users
        .iter()
        .filter(|u| {
            !permissions::may_act_on_account(admin, u.municipality_id, u.role, u.all_municipalities)
        })
        .map(|u| u.id)
        .collect();
    Ok(AdminOverview {
        users,
        municipalities,
        can_grant_all_municipalities: admin.all_municipalities,
        can_grant_project_team: admin.all_municipalities,
        read_only,
        own_user_id: admin.id,
    })
}

/// Creates an account with a one-time password that must be changed at
/// the first login.
pub async fn create(
    state: &AppState,
    admin: &SessionUser,
    username: &str,
    form: AccountForm<'_>,
) -> Result<OneTimePassword, AppError> {
    guard::check(admin, Rule::Administration)?;
    let username = super::parse_username(username)?;
    let fields = form.parse()?;
    check_fields(admin, &fields)?;
    real_municipality(state, fields.municipality_id).await?;
    let password = crate::auth::password::generate_temporary();
    let hash = hash_off_thread(state, password.clone()).await?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let id = storage::insert(&mut tx, &username, &fields, &hash, true)
        .await?
        .map_err(|refused| refusal(refused, &username))?;
    record(
        &mut tx,
        entry(
            admin,
            "user_created",
            id,
            fields.municipality_id,
            serde_json::json!({
                "username": username,
                "role": fields.role.as_str(),
                "all_municipalities": fields.all_municipalities,
            }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(OneTimePassword {
        username,
        display_name: fields.display_name,
        password,
    })
}

/// Changes name, e-mail, municipality, role and scope of an account.
pub async fn update(
    state: &AppState,
    admin: &SessionUser,
    id: i64,
    form: AccountForm<'_>,
) -> Result<(), AppError> {
    let before = managed_user(admin, state, id).await?;
    let fields = form.parse()?;
    check_fields(admin, &fields)?;
    real_municipality(state, fields.municipality_id).await?;
    check_self_change(admin, id, Some(fields.role), false)?;
    if admin.id == id && fields.all_municipalities != before.all_municipalities {
        return Err(AppError::invalid(
            "Ihre eigene Zuständigkeit kann nur eine andere Administratorin oder ein anderer Administrator ändern.",
        ));
    }
    let mut tx = crate::db::begin_write(&state.pool).await?;
    // The rollout figures count a person's walkthroughs, attendances and
    // questions under their home municipality: a move takes them along.
    let rollout = rollout_days::before(&mut tx, Subjects::People(vec![id])).await?;
    storage::update(&mut tx, id, &fields)
        .await?
        .map_err(|refused| refusal(refused, &before.username))?;
    rollout.settle(&mut tx).await?;
    // A changed role or municipality takes effect at once: the old
    // sessions carried the old rights.
    let rights_changed = before.role != fields.role
        || before.municipality_id != fields.municipality_id
        || before.all_municipalities != fields.all_municipalities;
    if rights_changed && admin.id != id {
        crate::auth::session::delete_all_for_user(&mut *tx, id).await?;
    }
    record(
        &mut tx,
        entry(
            admin,
            "user_updated",
            id,
            fields.municipality_id,
            serde_json::json!({
                "before": {
                    "display_name": before.display_name,
                    "email": before.email,
                    "municipality_id": before.municipality_id,
                    "role": before.role.as_str(),
                    "all_municipalities": before.all_municipalities,
                },
                "after": {
                    "display_name": fields.display_name,
                    "email": fields.email,
                    "municipality_id": fields.municipality_id,
                    "role": fields.role.as_str(),
                    "all_municipalities": fields.all_municipalities,
                },
            }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivates (ending all sessions at once) or reactivates an account.
pub async fn set_active(
    state: &AppState,
    admin: &SessionUser,
    id: i64,
    active: bool,
) -> Result<(), AppError> {
    let target = managed_user(admin, state, id).await?;
    check_self_change(admin, id, None, !active)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    storage::set_active(&mut tx, id, active).await?;
    if !active {
        crate::auth::session::delete_all_for_user(&mut *tx, id).await?;
    }
    let action = if active {
        "user_reactivated"
    } else {
        "user_deactivated"
    };
    record(
        &mut tx,
        entry(
            admin,
            action,
            id,
            target.municipality_id,
            serde_json::json!({ "username": target.username }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new one-time password and ends the account's sessions.
pub async fn reset_password(
    state: &AppState,
    admin: &SessionUser,
    id: i64,
) -> Result<OneTimePassword, AppError> {
    let target = managed_user(admin, state, id).await?;
    let password = crate::auth::password::generate_temporary();
    let hash = hash_off_thread(state, password.clone()).await?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    storage::set_password(&mut tx, id, &hash, true).await?;
    crate::auth::session::delete_all_for_user(&mut *tx, id).await?;
    record(
        &mut tx,
        entry(
            admin,
            "password_reset",
            id,
            target.municipality_id,
            serde_json::json!({ "username": target.username }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(OneTimePassword {
        username: target.username,
        display_name: target.display_name,
        password,
    })
}
