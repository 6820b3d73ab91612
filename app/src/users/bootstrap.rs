//! Accounts created at start: the first administrator, and in demo mode one
//! account per role and municipality.

use super::{storage, UserFields};
use crate::audit::storage::{record, NewEntry};
use crate::auth::{password, Role};
use crate::db::begin_write;
use sqlx::SqlitePool;

/// The user name of the administrator created on first start.
pub const FIRST_ADMIN: &str = "admin";

/// The password every demo account gets; documented in the README.
pub const DEMO_PASSWORD: &str = "Aktenwerk-Demo-2026";

/// What happened to the first administrator.
#[derive(Debug, PartialEq, Eq)]
pub enum FirstAdmin {
    /// There already is an administrator; nothing was done.
    Exists,
    /// Created with the password from the configuration.
    CreatedWithGivenPassword,
    /// Created with a generated password that must be shown once and changed
    /// at the first login. The user name is `admin`, or `admin-<time>` when
    /// an inactive account (e.g. the retired demo admin) holds that name.
    CreatedWithGeneratedPassword { username: String, password: String },
}

/// Creates the first administrator (Michelstadt, responsible for all four
/// municipalities) unless an active administrator exists.
pub async fn ensure_first_admin(
    pool: &SqlitePool,
    given_password: Option<&str>,
) -> Result<FirstAdmin, crate::error::AppError> {
    let mut tx = begin_write(pool).await?;
    if storage::count_administrators(&mut tx).await? > 0 {
        return Ok(FirstAdmin::Exists);
    }
    let (password, outcome) = match given_password {
        Some(given) => {
            password::check_new(given, FIRST_ADMIN)?;
            (given.to_string(), FirstAdmin::CreatedWithGivenPassword)
        }
        None => {
            let generated = password::generate_temporary();
            (
                generated.clone(),
                FirstAdmin::CreatedWithGeneratedPassword {
                    username: String::new(),
                    password: generated,
                },
            )
        }
    };
    // Created with the published password: a demo account like the others.
    let demo = password == DEMO_PASSWORD;
    let hash = password::hash(&password)?;
    let fields = UserFields {
        display_name: "Administration".into(),
        email: None,
        municipality_id: 1,
        role: Role::Administration,
        all_municipalities: true,
    };
    let must_change = matches!(outcome, FirstAdmin::CreatedWithGeneratedPassword { .. });
    let username = if storage::username_exists(&mut tx, FIRST_ADMIN).await? {
        // An "admin" account exists but is no longer an active administrator.
        format!("{FIRST_ADMIN}-{}", crate::time::now())
    } else {
        FIRST_ADMIN.to_string()
    };
    let id = storage::insert(&mut tx, &username, &fields, &hash, must_change)
        .await?
        .map_err(|refused| super::service::refusal(refused, &username))?;
    if demo {
        storage::mark_demo(&mut tx, id).await?;
    }
    record(
        &mut tx,
        NewEntry {
            actor_name: "System".into(),
            municipality_id: Some(1),
            action: "system_bootstrap",
            object_type: "user",
            object_id: Some(id.to_string()),
            details: serde_json::json!({ "username": username }),
            ..NewEntry::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(match outcome {
        FirstAdmin::CreatedWithGeneratedPassword { password, .. } => {
            FirstAdmin::CreatedWithGeneratedPassword { username, password }
        }
        other => other,
    })
}

/// One demo person per role and municipality: (user name, display name,
/// municipality id, role, responsible for all municipalities).
pub fn demo_accounts() -> Vec<(String, String, i64, Role, bool)> {
    let municipalities = [
        (1, "mic", "Michelstadt"),
        (2, "erb", "Erbach"),
        (3, "obz", "Oberzent"),
        (4, "bro", "Brombachtal"),
    ];
    let people = [
        (Role::Administration, "admin", "IT-Administration"),
        (Role::Projektteam, "projekt", "Projektteam"),
        (Role::Sachbearbeitung, "sachbearbeitung", "Sachbearbeitung"),
        (Role::Schulung, "schulung", "Schulung"),
    ];
    let mut accounts = Vec::new();
    for (municipality_id, code, name) in municipalities {
        for (role, prefix, label) in people {
            accounts.push((
                format!("{prefix}.{code}"),
                format!("{label} {name}"),
                municipality_id,
                role,
                // The coordinating municipality's admin and project team act
                // for all four.
                municipality_id == 1 && matches!(role, Role::Administration | Role::Projektteam),
            ));
        }
    }
    accounts
}

/// Creates the demo accounts that do not exist yet and reactivates those a
/// start without demo mode deactivated; returns how many were created.
pub async fn seed_demo(pool: &SqlitePool) -> Result<usize, crate::error::AppError> {
    let hash = password::hash(DEMO_PASSWORD)?;
    let mut tx = begin_write(pool).await?;
    let reactivated = storage::demo_accounts(&mut tx, false).await?;
    for (id, _, _) in &reactivated {
        storage::set_active(&mut tx, *id, true).await?;
    }
    if !reactivated.is_empty() {
        record(
            &mut tx,
            NewEntry {
                actor_name: "System".into(),
                action: "demo_accounts_reactivated",
                object_type: "user",
                details: serde_json::json!({
                    "usernames": reactivated.iter().map(|(_, name, _)| name).collect::<Vec<_>>(),
                }),
                ..NewEntry::default()
            },
        )
        .await?;
    }
    let mut created = 0;
    for (username, display_name, municipality_id, role, all) in demo_accounts() {
        if storage::username_exists(&mut tx, &username).await? {
            continue;
        }
        let fields = UserFields {
            display_name,
            email: None,
            municipality_id,
            role,
            all_municipalities: all,
        };
        let id = storage::insert(&mut tx, &username, &fields, &hash, false)
            .await?
            .map_err(|refused| super::service::refusal(refused, &username))?;
        storage::mark_demo(&mut tx, id).await?;
        created += 1;
    }
    if created > 0 {
        record(
            &mut tx,
            NewEntry {
                actor_name: "System".into(),
                action: "demo_seeded",
                object_type: "user",
                details: serde_json::json!({ "created": created }),
                ..NewEntry::default()
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(created)
}

/// On a start without demo mode: deactivates every demo account (the
/// published password must not open a real installation), ends their
/// sessions and records it. A bootstrap `admin` from before demo accounts
/// were marked counts as one if it still has the demo password. Returns
/// the user names deactivated.
pub async fn retire_demo_accounts(
    pool: &SqlitePool,
) -> Result<Vec<String>, crate::error::AppError> {
    let mut tx = begin_write(pool).await?;
    if let Some((id, hash)) = storage::unmarked_active(&mut tx, FIRST_ADMIN).await? {
        // One argon2 check per start, only while such an account is active.
        if password::verify(DEMO_PASSWORD, &hash) {
            storage::mark_demo(&mut tx, id).await?;
        }
    }
    let retired = storage::demo_accounts(&mut tx, true).await?;
    if retired.is_empty() {
        return Ok(Vec::new());
    }
    for (id, _, _) in &retired {
        storage::set_active(&mut tx, *id, false).await?;
        crate::auth::session::delete_all_for_user(&mut *tx, *id).await?;
    }
    let usernames: Vec<String> = retired.into_iter().map(|(_, name, _)| name).collect();
    record(
        &mut tx,
        NewEntry {
            actor_name: "System".into(),
            action: "demo_accounts_deactivated",
            object_type: "user",
            details: serde_json::json!({ "usernames": usernames }),
            ..NewEntry::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(usernames)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_accounts_cover_every_role_in_every_municipality() {
        let accounts = demo_accounts();
        assert_eq!(accounts.len(), 16);
        for municipality in 1..=4 {
            for role in Role::ALL {
                assert!(accounts
                    .iter()
                    .any(|(_, _, m, r, _)| *m == municipality && *r == role));
            }
        }
        for (username, ..) in &accounts {
            assert!(crate::users::parse_username(username).is_ok(), "{username}");
        }
    }
}
