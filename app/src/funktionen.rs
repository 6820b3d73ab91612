//! Funktionen: roles of a municipality that work can be addressed to
//! rather than a person ("Bauamtsleitung", "Bürgermeister", "Kämmerei").
//! The Administration names them and says which clerks hold each; a
//! Laufweg step asked of a Funktion waits in the Postkorb of everyone who
//! holds it, and the first to answer answers for it.

pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::error::AppError;
use serde::{Deserialize, Serialize};

pub use crate::users::Colleague;

/// A Funktion with the clerks who hold it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funktion {
    pub id: i64,
    pub name: String,
    pub members: Vec<Colleague>,
}

/// The Administration's page: the municipality's Funktionen and its clerks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funktionen {
    pub municipality: String,
    pub funktionen: Vec<Funktion>,
    pub clerks: Vec<Colleague>,
}

/// A Funktion's name: 2 to 80 characters, no control characters.
pub fn validate_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    let length = name.chars().count();
    if !(2..=80).contains(&length) || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Bitte geben Sie der Funktion einen Namen mit 2 bis 80 Zeichen, z. B. „Bauamtsleitung“.",
        ));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_short_and_plain() {
        assert_eq!(
            validate_name("  Bauamtsleitung ").ok().as_deref(),
            Some("Bauamtsleitung")
        );
        assert!(validate_name("B").is_err());
        assert!(validate_name(&"x".repeat(81)).is_err());
        assert!(validate_name("Bau\namt").is_err());
    }
}
