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

#[cfg(test)]
mod tests {
    #[test]
    fn counts_read_as_german() {
        assert_eq!(super::dokumente(1), "1 Dokument");
        assert_eq!(super::dokumente(4), "4 Dokumente");
    }
}
