//! The Aktenplan: one file plan shared by the four municipalities. Every
//! Akte is filed under a plan position; its Aktenzeichen starts with the
//! position's code.

pub mod code;
#[cfg(feature = "ssr")]
pub mod csv_format;
pub mod retention;
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

/// Splits "Bauantrag, Baugenehmigung" into trimmed, non-empty keywords.
pub fn split_keywords(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

/// Lower case with umlauts and ß folded, so that "strasse" finds "Straße"
/// and "bauantrag" finds "Bauanträge".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_matches_german_spellings() {
        assert!(fold("Straßenausbaubeiträge").contains(&fold("Strasse")));
        assert!(fold("Bauanträge").contains(&fold("Bauantrag")));
        assert_eq!(fold("ÄÖÜ"), "aou");
    }

    #[test]
    fn keywords_are_split_and_trimmed() {
        assert_eq!(
            split_keywords(" Bauantrag,Baugenehmigung , ,"),
            ["Bauantrag", "Baugenehmigung"]
        );
        assert!(split_keywords("").is_empty());
    }
}
