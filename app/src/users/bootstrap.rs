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
    /// at the first login.
    CreatedWithGeneratedPassword(String),
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
                FirstAdmin::CreatedWithGeneratedPassword(generated),
            )
        }
    };
    let hash = password::hash(&password)?;
    let fields = UserFields {
        display_name: "Administration".into(),
        email: None,
        municipality_id: 1,
        role: Role::Administration,
        all_municipalities: true,
    };
    let must_change = matches!(outcome, FirstAdmin::CreatedWithGeneratedPassword(_));
    let username = if storage::username_exists(&mut tx, FIRST_ADMIN).await? {
        // An "admin" account exists but is no longer an active administrator.
        format!("{FIRST_ADMIN}-{}", chrono::Utc::now().timestamp())
    } else {
        FIRST_ADMIN.to_string()
    };
    let id = storage::insert(&mut tx, &username, &fields, &hash, must_change).await?;
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
    Ok(outcome)
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

/// Creates the demo accounts that do not exist yet; returns how many.
pub async fn seed_demo(pool: &SqlitePool) -> Result<usize, crate::error::AppError> {
    let hash = password::hash(DEMO_PASSWORD)?;
    let mut tx = begin_write(pool).await?;
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
        storage::insert(&mut tx, &username, &fields, &hash, false).await?;
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
