//! SQL of Funktionen and who holds them.

use super::{Colleague, Funktion};
use sqlx::{SqliteConnection, SqlitePool};

/// The municipality's Funktionen by name, each with its active holders.
pub async fn list(pool: &SqlitePool, municipality_id: i64) -> Result<Vec<Funktion>, sqlx::Error> {
    let funktionen: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM funktionen WHERE municipality_id = ? AND removed_at IS NULL
         ORDER BY name COLLATE NOCASE, id",
    )
    .bind(municipality_id)
    .fetch_all(pool)
    .await?;
    let members: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT m.funktion_id, u.id, u.display_name FROM funktion_mitglieder m
         JOIN funktionen f ON f.id = m.funktion_id JOIN users u ON u.id = m.user_id
         WHERE f.municipality_id = ? AND f.removed_at IS NULL AND u.active = 1
         ORDER BY u.display_name COLLATE NOCASE, u.id",
    )
    .bind(municipality_id)
    .fetch_all(pool)
    .await?;
    Ok(funktionen
        .into_iter()
        .map(|(id, name)| Funktion {
            members: members
                .iter()
                .filter(|(f, ..)| *f == id)
                .map(|(_, user, name)| Colleague {
                    id: *user,
                    name: name.clone(),
                })
                .collect(),
            id,
            name,
        })
        .collect())
}

/// Whether another live Funktion of the municipality has this name.
pub async fn name_taken(
    conn: &mut SqliteConnection,
    municipality_id: i64,
    name: &str,
    except: Option<i64>,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM funktionen WHERE municipality_id = ? AND removed_at IS NULL
                        AND name = ? COLLATE NOCASE AND id IS NOT ?)",
    )
    .bind(municipality_id)
    .bind(name)
    .bind(except)
    .fetch_one(conn)
    .await
}

pub async fn insert(
    conn: &mut SqliteConnection,
    municipality_id: i64,
    name: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO funktionen (municipality_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(municipality_id)
    .bind(name)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// The name of a live Funktion of the municipality.
pub async fn name_of(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT name FROM funktionen WHERE id = ? AND municipality_id = ? AND removed_at IS NULL",
    )
    .bind(id)
    .bind(municipality_id)
    .fetch_optional(conn)
    .await
}

pub async fn rename(conn: &mut SqliteConnection, id: i64, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE funktionen SET name = ? WHERE id = ?")
        .bind(name)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn remove(conn: &mut SqliteConnection, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE funktionen SET removed_at = ? WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether a running Laufweg asks the Funktion now or later.
pub async fn asked_in_open_laufweg(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM laufweg_schritte s JOIN laufwege l ON l.id = s.laufweg_id
                        WHERE s.funktion_id = ? AND l.status = 'open'
                          AND s.state IN ('waiting', 'active'))",
    )
    .bind(id)
    .fetch_one(conn)
    .await
}

pub async fn set_member(
    conn: &mut SqliteConnection,
    id: i64,
    user_id: i64,
    member: bool,
) -> Result<(), sqlx::Error> {
    let sql = if member {
        "INSERT OR IGNORE INTO funktion_mitglieder (funktion_id, user_id) VALUES (?, ?)"
    } else {
        "DELETE FROM funktion_mitglieder WHERE funktion_id = ? AND user_id = ?"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Funktionen of the municipality a Laufweg step can be asked of: live
/// and held by at least one active clerk. By name.
pub async fn askable(
    pool: &SqlitePool,
    municipality_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.id, f.name FROM funktionen f
         WHERE f.municipality_id = ? AND f.removed_at IS NULL
           AND EXISTS (SELECT 1 FROM funktion_mitglieder m JOIN users u ON u.id = m.user_id
                       WHERE m.funktion_id = f.id AND u.active = 1 AND u.role = 'sachbearbeitung')
         ORDER BY f.name COLLATE NOCASE, f.id",
    )
    .bind(municipality_id)
    .fetch_all(pool)
    .await
}

/// Whether the Funktion is one of [`askable`], read in the caller's
/// transaction.
pub async fn is_askable(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM funktionen f
                        WHERE f.id = ? AND f.municipality_id = ? AND f.removed_at IS NULL
                          AND EXISTS (SELECT 1 FROM funktion_mitglieder m JOIN users u ON u.id = m.user_id
                                      WHERE m.funktion_id = f.id AND u.active = 1
                                        AND u.role = 'sachbearbeitung'))",
    )
    .bind(id)
    .bind(municipality_id)
    .fetch_one(conn)
    .await
}

/// Whether an active person holds the Funktion.
pub async fn holds(
    conn: &mut SqliteConnection,
    user_id: i64,
    funktion_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM funktion_mitglieder m JOIN users u ON u.id = m.user_id
                        WHERE m.user_id = ? AND m.funktion_id = ? AND u.active = 1)",
    )
    .bind(user_id)
    .bind(funktion_id)
    .fetch_one(conn)
    .await
}

/// The live Funktionen a person holds.
pub async fn held_by(pool: &SqlitePool, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT m.funktion_id FROM funktion_mitglieder m JOIN funktionen f ON f.id = m.funktion_id
         WHERE m.user_id = ? AND f.removed_at IS NULL",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}
