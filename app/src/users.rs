//! User administration: accounts, their municipality, role and status.

pub mod admin_page;
#[cfg(feature = "ssr")]
pub mod bootstrap;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::auth::Role;
use crate::error::AppError;
use crate::municipalities::Municipality;
use serde::{Deserialize, Serialize};

/// One account as the administration page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub municipality_id: i64,
    pub municipality_name: String,
    pub role: Role,
    pub all_municipalities: bool,
    pub active: bool,
    pub must_change_password: bool,
    /// Local time of the last login, if any.
    pub last_login: Option<String>,
}

/// Everything the administration page needs in one round trip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub users: Vec<UserSummary>,
    /// Municipalities this admin may assign accounts to.
    pub municipalities: Vec<Municipality>,
    pub can_grant_all_municipalities: bool,
    /// Only all-municipality admins may make someone project team.
    pub can_grant_project_team: bool,
    /// Accounts listed for information that this admin may not change
    /// (wider rights than their own).
    pub read_only: Vec<i64>,
    pub own_user_id: i64,
}

/// A one-time password to hand to the account's owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimePassword {
    pub username: String,
    pub display_name: String,
    pub password: String,
}

/// A validated account form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserFields {
    pub display_name: String,
    pub email: Option<String>,
    pub municipality_id: i64,
    pub role: Role,
    pub all_municipalities: bool,
}

/// User names: 3–64 characters, lower-case letters, digits, `.`, `-`, `_`.
/// Upper case is folded, so "A.Schmidt" and "a.schmidt" are the same account.
pub fn parse_username(raw: &str) -> Result<String, AppError> {
    let name = raw.trim().to_lowercase();
    let len = name.chars().count();
    if !(3..=64).contains(&len) {
        return Err(AppError::invalid(
            "Der Benutzername muss 3 bis 64 Zeichen lang sein.",
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return Err(AppError::invalid(
            "Der Benutzername darf nur Buchstaben a–z, Ziffern sowie . - _ enthalten (keine Umlaute oder Leerzeichen).",
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(AppError::invalid(
            "Der Benutzername muss mit einem Buchstaben oder einer Ziffer beginnen.",
        ));
    }
    Ok(name)
}

/// Validates the editable fields of an account.
pub fn parse_fields(
    display_name: &str,
    email: &str,
    municipality_id: i64,
    role: &str,
    all_municipalities: bool,
) -> Result<UserFields, AppError> {
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        return Err(AppError::invalid(
            "Bitte geben Sie einen Namen mit höchstens 100 Zeichen ein.",
        ));
    }
    if display_name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Der Name enthält unzulässige Steuerzeichen.",
        ));
    }
    let email = email.trim();
    let email = if email.is_empty() {
        None
    } else if email.len() > 254
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
        || email.split('@').count() != 2
        || email.starts_with('@')
        || email.ends_with('@')
    {
        return Err(AppError::invalid(
            "Die E-Mail-Adresse ist ungültig (Beispiel: anna.schmidt@michelstadt.de).",
        ));
    } else {
        Some(email.to_string())
    };
    let role = Role::parse(role)
        .ok_or_else(|| AppError::invalid("Bitte wählen Sie eine gültige Rolle."))?;
    Ok(UserFields {
        display_name: display_name.to_string(),
        email,
        municipality_id,
        role,
        all_municipalities,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_folded_and_checked() {
        assert_eq!(
            parse_username(" A.Schmidt ").ok().as_deref(),
            Some("a.schmidt")
        );
        assert!(parse_username("ab").is_err());
        assert!(parse_username("jürgen").is_err());
        assert!(parse_username("anna schmidt").is_err());
        assert!(parse_username(".hidden").is_err());
        assert!(parse_username(&"a".repeat(65)).is_err());
    }

    #[test]
    fn fields_are_validated() {
        assert!(parse_fields("Anna Schmidt", "", 1, "sachbearbeitung", false).is_ok());
        assert!(parse_fields("", "", 1, "sachbearbeitung", false).is_err());
        assert!(parse_fields("Anna", "kein-at", 1, "sachbearbeitung", false).is_err());
        assert!(parse_fields("Anna", "a@b@c", 1, "sachbearbeitung", false).is_err());
        assert!(parse_fields("Anna", "", 1, "root", false).is_err());
        let fields =
            parse_fields(" Anna ", " anna@erbach.de ", 2, "projektteam", true).expect("valid");
        assert_eq!(fields.display_name, "Anna");
        assert_eq!(fields.email.as_deref(), Some("anna@erbach.de"));
        assert_eq!(fields.role, Role::Projektteam);
    }
}

/// Someone of the same municipality who can be given work (a
/// Wiedervorlage, a Zuweisung, a step of a Laufweg): an active clerk.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Colleague {
    pub id: i64,
    pub name: String,
}
