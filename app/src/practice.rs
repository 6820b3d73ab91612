//! Practice mode (Übungsmodus): a personal practice area per user where
//! everything works as in production but touches only practice data.
//! Trainees (role Schulung) are always in it; everyone else switches it on
//! and off. The area is a municipality of its own, filled from a fixed
//! template (`template.rs`) and reset to it with one click.

pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "ssr")]
pub mod tables;
#[cfg(feature = "ssr")]
pub mod template;

use serde::{Deserialize, Serialize};

/// What the practice page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeOverview {
    /// The user works in the practice area right now.
    pub active: bool,
    /// Trainees cannot leave; everyone else can switch.
    pub may_switch: bool,
    /// Name of the practice area, once it exists.
    pub area_name: Option<String>,
    /// What the area holds now (zero before it exists).
    pub akten: i64,
    pub documents: i64,
    pub inbox: i64,
    /// What a fresh (or reset) area holds.
    pub template_akten: i64,
    pub template_documents: i64,
    pub template_inbox: i64,
}

/// The short code of a practice area; it starts every Aktenzeichen made
/// there (e.g. `UEB12 621.1-0001`), so a printout from practice is
/// recognisable at once.
pub fn area_code(user_id: i64) -> String {
    format!("UEB{user_id}")
}

/// The name shown instead of the municipality while practising.
pub fn area_name(display_name: &str, username: &str) -> String {
    format!("Übung – {display_name} ({username})")
}

/// The banner's headline, the same wherever it is shown.
pub const BANNER_TITLE: &str = "Übungsmodus – hier ist nichts echt";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn practice_codes_and_names_are_unmistakable_and_unique_per_user() {
        assert_eq!(area_code(12), "UEB12");
        assert_ne!(area_code(1), area_code(11));
        assert_eq!(
            crate::akten::aktenzeichen(&area_code(12), "621.1", 1),
            "UEB12 621.1-0001"
        );
        let name = area_name("Schulung Michelstadt", "schulung.mic");
        assert!(name.starts_with("Übung"));
        assert_ne!(name, area_name("Schulung Michelstadt", "schulung2.mic"));
        for real in ["MIC", "ERB", "OBZ", "BRO"] {
            assert!(!area_code(1).eq_ignore_ascii_case(real));
        }
    }
}
