//! Server functions of the user administration. Each one checks the caller's
//! permission for the specific account it touches.

use super::{AdminOverview, OneTimePassword};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::audit::storage::NewEntry;
    use crate::auth::{permissions, SessionUser};
    use crate::error::AppError;
    use crate::state::AppState;
    use crate::users::UserSummary;

    /// The account `id`, if the admin may manage it.
    /// Accounts belong to real municipalities; a practice area is none.
    pub async fn real_municipality(state: &AppState, id: i64) -> Result<(), AppError> {
        if crate::municipalities::storage::is_practice(&state.pool, id).await? {
            return Err(AppError::invalid("Diese Gemeinde gibt es nicht."));
        }
        Ok(())
    }

    pub async fn managed_user(
        admin: &SessionUser,
        state: &AppState,
        id: i64,
    ) -> Result<UserSummary, AppError> {
        let not_found = || AppError::NotFound("Das Benutzerkonto".into());
        let target = crate::users::storage::get(&state.pool, id)
            .await?
            .ok_or_else(not_found)?;
        // Accounts of another municipality answer like unknown ones: the
        // admin does not see them in the list either.
        if !crate::auth::guard::administers(admin, target.municipality_id) {
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

    pub fn entry(
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

    pub async fn hash_off_thread(state: &AppState, password: String) -> Result<String, AppError> {
        use crate::auth::password;
        password::run_bounded(&state.hashing, move || password::hash(&password))
            .await
            .map_err(|_| password::busy_error())?
    }
}

/// The accounts this administrator manages, and the choices for the forms.
#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users() -> Result<AdminOverview, AppError> {
    crate::error::with_status(
        async {
            let (admin, state) =
                crate::auth::guard::require(crate::auth::guard::Rule::Administration)?;
            let scope = (!admin.all_municipalities).then_some(admin.municipality.id);
            let users = super::storage::list(&state.pool, scope).await?;
            let municipalities = crate::municipalities::storage::list(&state.pool)
                .await?
                .into_iter()
                .filter(|m| crate::auth::guard::administers(&admin, m.id))
                .collect();
            let read_only = users
                .iter()
                .filter(|u| {
                    !crate::auth::permissions::may_act_on_account(
                        &admin,
                        u.municipality_id,
                        u.role,
                        u.all_municipalities,
                    )
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
        .await,
    )
}

/// Creates an account with a one-time password that must be changed at the
/// first login.
#[server(prefix = "/api", endpoint = "create_user")]
pub async fn create_user(
    username: String,
    display_name: String,
    email: String,
    municipality_id: i64,
    role: String,
    all_municipalities: Option<String>,
) -> Result<OneTimePassword, AppError> {
    use crate::auth::permissions::{check_assignment, Assignment};
    crate::error::with_status(
        async {
            let (admin, state) =
                crate::auth::guard::require(crate::auth::guard::Rule::Administration)?;
            let username = super::parse_username(&username)?;
            let fields = super::parse_fields(
                &display_name,
                &email,
                municipality_id,
                &role,
                all_municipalities.is_some(),
            )?;
            check_assignment(
                &admin,
                Assignment {
                    municipality_id: fields.municipality_id,
                    role: fields.role,
                    all_municipalities: fields.all_municipalities,
                },
            )?;
            ssr::real_municipality(&state, fields.municipality_id).await?;
            let password = crate::auth::password::generate_temporary();
            let hash = ssr::hash_off_thread(&state, password.clone()).await?;
            let mut tx = crate::db::begin_write(&state.pool).await?;
            let id = super::storage::insert(&mut tx, &username, &fields, &hash, true).await?;
            crate::audit::storage::record(
                &mut tx,
                ssr::entry(
                    &admin,
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
        .await,
    )
}

/// Changes name, e-mail, municipality, role and scope of an account.
#[server(prefix = "/api", endpoint = "update_user")]
pub async fn update_user(
    id: i64,
    display_name: String,
    email: String,
    municipality_id: i64,
    role: String,
    all_municipalities: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::permissions::{check_assignment, check_self_change, Assignment};
    crate::error::with_status(
        async {
            let (admin, state) = crate::auth::guard::require(crate::auth::guard::Rule::Administration)?;
            let before = ssr::managed_user(&admin, &state, id).await?;
            let fields = super::parse_fields(
                &display_name,
                &email,
                municipality_id,
                &role,
                all_municipalities.is_some(),
            )?;
            check_assignment(
                &admin,
                Assignment {
                    municipality_id: fields.municipality_id,
                    role: fields.role,
                    all_municipalities: fields.all_municipalities,
                },
            )?;
            ssr::real_municipality(&state, fields.municipality_id).await?;
            check_self_change(&admin, id, Some(fields.role), false)?;
            if admin.id == id && fields.all_municipalities != before.all_municipalities {
                return Err(AppError::invalid(
                    "Ihre eigene Zuständigkeit kann nur eine andere Administratorin oder ein anderer Administrator ändern.",
                ));
            }
            let mut tx = crate::db::begin_write(&state.pool).await?;
            super::storage::update(&mut tx, id, &fields).await?;
            // A changed role or municipality takes effect at once: the old
            // sessions carried the old rights.
            let rights_changed = before.role != fields.role
                || before.municipality_id != fields.municipality_id
                || before.all_municipalities != fields.all_municipalities;
            if rights_changed && admin.id != id {
                crate::auth::session::delete_all_for_user(&mut *tx, id).await?;
            }
            crate::audit::storage::record(
                &mut tx,
                ssr::entry(
                    &admin,
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
        .await,
    )
}

/// Deactivates (ending all sessions at once) or reactivates an account.
#[server(prefix = "/api", endpoint = "set_user_active")]
pub async fn set_user_active(id: i64, active: bool) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (admin, state) =
                crate::auth::guard::require(crate::auth::guard::Rule::Administration)?;
            let target = ssr::managed_user(&admin, &state, id).await?;
            crate::auth::permissions::check_self_change(&admin, id, None, !active)?;
            let mut tx = crate::db::begin_write(&state.pool).await?;
            super::storage::set_active(&mut tx, id, active).await?;
            if !active {
                crate::auth::session::delete_all_for_user(&mut *tx, id).await?;
            }
            crate::audit::storage::record(
                &mut tx,
                ssr::entry(
                    &admin,
                    if active {
                        "user_reactivated"
                    } else {
                        "user_deactivated"
                    },
                    id,
                    target.municipality_id,
                    serde_json::json!({ "username": target.username }),
                ),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Sets a new one-time password and ends the account's sessions.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(id: i64) -> Result<OneTimePassword, AppError> {
    crate::error::with_status(
        async {
            let (admin, state) =
                crate::auth::guard::require(crate::auth::guard::Rule::Administration)?;
            let target = ssr::managed_user(&admin, &state, id).await?;
            let password = crate::auth::password::generate_temporary();
            let hash = ssr::hash_off_thread(&state, password.clone()).await?;
            let mut tx = crate::db::begin_write(&state.pool).await?;
            super::storage::set_password(&mut tx, id, &hash, true).await?;
            crate::auth::session::delete_all_for_user(&mut *tx, id).await?;
            crate::audit::storage::record(
                &mut tx,
                ssr::entry(
                    &admin,
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
        .await,
    )
}
