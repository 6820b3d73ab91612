//! The Aktenplan: one file plan shared by the four municipalities. Every
//! Akte is filed under a plan position; its Aktenzeichen starts with the
//! position's code.

pub mod abstimmung;
#[cfg(feature = "ssr")]
pub mod cache;
pub mod changes;
pub mod code;
#[cfg(feature = "ssr")]
pub mod csv_format;
pub mod csv_import;
pub mod csv_import_page;
pub mod explorer;
#[cfg(feature = "ssr")]
pub mod index;
pub mod retention;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use code::Kennzeichen;
use retention::{Archivwert, Retention, RetentionTrigger};
use serde::{Deserialize, Serialize};

/// A plan position as it is written in the CSV and edited in proposals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionRecord {
    pub code: Kennzeichen,
    pub title: String,
    /// Plain language: what belongs here, with examples.
    pub description: String,
    pub keywords: Vec<String>,
    pub retention: Retention,
    pub trigger: RetentionTrigger,
    pub appraisal: Archivwert,
    pub active: bool,
}

/// One step of a breadcrumb path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crumb {
    pub id: i64,
    pub code: String,
    pub title: String,
}

/// Part of a text, highlighted where a search matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub text: String,
    pub highlight: bool,
}

/// One hit of search-as-you-type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: i64,
    pub code: String,
    pub title: Vec<Segment>,
    /// The ancestors, main group first.
    pub path: Vec<Crumb>,
    /// e.g. "Stichwort: Bauantrag" when the title itself did not match.
    pub matched: Option<String>,
}

/// Splits "Bauantrag, Baugenehmigung" into trimmed, non-empty keywords.
pub fn split_keywords(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_split_and_trimmed() {
        assert_eq!(
            split_keywords(" Bauantrag,Baugenehmigung , ,"),
            ["Bauantrag", "Baugenehmigung"]
        );
        assert!(split_keywords("").is_empty());
    }
}
