//! Filing suggestions: for a document in the Posteingang, the three Akten
//! of the own municipality it most likely belongs in, learned from what the
//! municipality has filed (its text, title and sender against the filed
//! documents, through the search index), each with a short German reason
//! („ähnlich wie 4 Dokumente in MIC 621.1-0007, gleicher Absender, Wörter:
//! Bauantrag, Flurstück“). One click files it. Without anything filed like
//! it yet, plan positions whose titles and keywords match its words. Never
//! crosses municipalities; kept with the document once shown.

pub mod panel;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use serde::{Deserialize, Serialize};

/// One suggestion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vorschlag {
    /// 1 to 3.
    pub rang: i64,
    /// The Akte to file into; `None` for a plan position (no Akte yet).
    pub akte_id: Option<i64>,
    /// „MIC 621.1-0007 Bauanträge 2026“ or „621.1 Bauanträge“.
    pub ziel: String,
    pub erklaerung: String,
}

/// „4 Dokumente“, „1 Dokument“.
pub fn dokumente(n: usize) -> String {
    match n {
        1 => "1 Dokument".to_string(),
        n => format!("{n} Dokumente"),
    }
}

/// The Aktenzeichen of the municipality `code` a text names („MIC
/// 621.1-0007“: the code, a plan code of digits and dots, a dash, four
/// digits), in order, each once. A letter quoting one belongs there.
pub fn aktenzeichen_in(text: &str, code: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(code) {
        let after = &rest[at + code.len()..];
        let before_ok = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        rest = after;
        let Some(tail) = after.strip_prefix(' ') else {
            continue;
        };
        let plan_len = tail
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(tail.len());
        let plan = &tail[..plan_len];
        let serial = tail[plan_len..].strip_prefix('-').unwrap_or("");
        let digits = serial.chars().take_while(char::is_ascii_digit).count();
        let ends_ok = serial[digits..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok
            && plan.starts_with(|c: char| c.is_ascii_digit())
            && !plan.ends_with('.')
            && digits == 4
            && ends_ok
        {
            let zeichen = format!("{code} {plan}-{}", &serial[..4]);
            if !found.contains(&zeichen) {
                found.push(zeichen);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    #[test]
    fn aktenzeichen_of_the_own_municipality_are_found_in_letters() {
        let text = "Ihr Zeichen: MIC 621.1-0007, unser Zeichen ERB 922-0001; \
                    vgl. MIC 621.1-0007 und MIC 022.3-12345, XMIC 621.1-0008, MIC 621.-0001";
        assert_eq!(super::aktenzeichen_in(text, "MIC"), vec!["MIC 621.1-0007"]);
        assert_eq!(super::aktenzeichen_in(text, "ERB"), vec!["ERB 922-0001"]);
        assert!(super::aktenzeichen_in("Michelstadt", "MIC").is_empty());
    }

    #[test]
    fn counts_read_as_german() {
        assert_eq!(super::dokumente(1), "1 Dokument");
        assert_eq!(super::dokumente(4), "4 Dokumente");
    }
}
