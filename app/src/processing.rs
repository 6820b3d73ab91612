//! Processing of stored versions after upload: text extraction and German
//! OCR run as jobs (rows in `jobs`, worked off by the server's background
//! workers); the text found lands in `version_texts`, from which the search
//! index is built.
//!
//! This module holds what both sides need: the state a document shows
//! ("Texterkennung läuft …", "durchsuchbar", "fehlgeschlagen: …"), the admin
//! queue, and (server side) its use cases and the job table's storage.

pub mod queue_page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
pub mod status;
#[cfg(feature = "ssr")]
pub mod storage;

use serde::{Deserialize, Serialize};

/// Where the newest version of a document stands on its way into the search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextState {
    /// Uploaded; the job waits for a free worker.
    Waiting,
    /// A previous attempt failed; another follows at `next_at` (local time).
    Retrying {
        attempt: i64,
        next_at: String,
        reason: String,
    },
    Running,
    /// Text is stored; the search index takes it within seconds.
    Indexing,
    Searchable {
        pages: i64,
        ocr_pages: i64,
        method: String,
    },
    Failed {
        reason: String,
    },
}

impl TextState {
    /// Whether the state can still change without anyone doing anything.
    pub fn is_settled(&self) -> bool {
        matches!(
            self,
            TextState::Searchable { .. } | TextState::Failed { .. }
        )
    }

    /// The short German label a clerk reads.
    pub fn label(&self) -> String {
        match self {
            TextState::Waiting => "Wartet auf Texterkennung".into(),
            TextState::Retrying {
                attempt, next_at, ..
            } => {
                format!("Neuer Versuch um {next_at} (bisher {attempt} Versuch(e))")
            }
            TextState::Running => "Texterkennung läuft …".into(),
            TextState::Indexing => "Wird in die Suche aufgenommen …".into(),
            TextState::Searchable { method, .. } if method == "none" => {
                "durchsuchbar (kein Text im Dokument gefunden)".into()
            }
            TextState::Searchable { .. } => "durchsuchbar".into(),
            TextState::Failed { reason } => format!("fehlgeschlagen: {reason}"),
        }
    }

    /// A one-line explanation under the label.
    pub fn detail(&self) -> Option<String> {
        match self {
            TextState::Searchable {
                pages, ocr_pages, ..
            } if *ocr_pages > 0 => Some(format!(
                "{pages} Seite(n), davon {ocr_pages} per Texterkennung (OCR) gelesen"
            )),
            TextState::Searchable { pages, .. } if *pages > 0 => {
                Some(format!("{pages} Seite(n) mit Textebene"))
            }
            TextState::Retrying { reason, .. } => Some(format!("Letzter Fehler: {reason}")),
            _ => None,
        }
    }

    /// A stable key for styling and tests.
    pub fn key(&self) -> &'static str {
        match self {
            TextState::Waiting => "wartet",
            TextState::Retrying { .. } => "wiederholung",
            TextState::Running => "laeuft",
            TextState::Indexing => "indexierung",
            TextState::Searchable { .. } => "durchsuchbar",
            TextState::Failed { .. } => "fehlgeschlagen",
        }
    }
}

/// Counts per job status, for the admin queue page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCounts {
    pub pending: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
    /// Pages read by OCR so far (paper turned into searchable text).
    pub ocr_pages: i64,
}

/// One job on the admin queue page. Titles are left out on purpose: the
/// administration runs the system but does not read case documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub job_id: i64,
    pub document_id: i64,
    pub version: i64,
    pub municipality_code: String,
    pub file_kind: String,
    pub size: i64,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// Created, or when the next attempt is due (local time).
    pub when: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueOverview {
    pub counts: QueueCounts,
    /// Failed and running jobs first, then the oldest waiting ones.
    pub entries: Vec<QueueEntry>,
}

/// Attempts before a job counts as failed for good.
pub const MAX_ATTEMPTS: i64 = 3;

/// Seconds to wait before attempt `attempts + 1`: 30 s, 2 min, 8 min …
pub fn backoff_secs(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.clamp(1, 6) - 1).unwrap_or(0);
    30 * 4_i64.pow(exponent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_bounded() {
        assert_eq!(backoff_secs(1), 30);
        assert_eq!(backoff_secs(2), 120);
        assert_eq!(backoff_secs(3), 480);
        assert_eq!(backoff_secs(100), backoff_secs(6));
        assert_eq!(backoff_secs(0), 30);
    }

    #[test]
    fn labels_speak_german_and_settle() {
        let failed = TextState::Failed {
            reason: "Zeitlimit überschritten".into(),
        };
        assert_eq!(failed.label(), "fehlgeschlagen: Zeitlimit überschritten");
        assert!(failed.is_settled());
        assert!(!TextState::Running.is_settled());
        assert_eq!(TextState::Running.label(), "Texterkennung läuft …");
        let done = TextState::Searchable {
            pages: 3,
            ocr_pages: 2,
            method: "mixed".into(),
        };
        assert_eq!(done.label(), "durchsuchbar");
        assert_eq!(
            done.detail().as_deref(),
            Some("3 Seite(n), davon 2 per Texterkennung (OCR) gelesen")
        );
    }
}
