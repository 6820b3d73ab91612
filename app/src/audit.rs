//! The audit log: who did what, when, in which municipality, from where.
//! Entries are append-only (database triggers refuse UPDATE and DELETE) and
//! hash-chained, so that `verify_chain` detects an edited or removed entry.
//! The chain alone cannot see its newest entries cut off, so its end is
//! anchored by keyed checkpoints kept outside the database (`anchor`).

#[cfg(feature = "ssr")]
pub mod anchor;
pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use serde::{Deserialize, Serialize};

/// One entry as the audit page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub id: i64,
    /// Local time (Europe/Berlin), e.g. `25.11.2026 15:04:05`.
    pub at: String,
    pub actor_name: String,
    pub municipality: Option<String>,
    pub action: String,
    pub action_label: String,
    pub object: String,
    pub details: String,
    pub ip: Option<String>,
}

/// The result of re-computing the hash chain and comparing it with the
/// checkpoints kept outside the database.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    pub entries_checked: u64,
    /// Id of the first entry whose hash or link does not match.
    pub first_broken_id: Option<i64>,
    /// Authentic checkpoints compared with the log. Zero means the end of
    /// the log is not anchored (yet): a cut-off end would go unnoticed.
    #[serde(default)]
    pub checkpoints_checked: u64,
    /// What the checkpoints contradict; empty when they all agree.
    #[serde(default)]
    pub anchor_problems: Vec<AnchorProblem>,
}

impl ChainReport {
    pub fn is_intact(&self) -> bool {
        self.first_broken_id.is_none() && self.anchor_problems.is_empty()
    }
}

/// A contradiction between the checkpoints and the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnchorProblem {
    /// A line of the checkpoint file that is malformed or whose MAC does not
    /// match the key: forged, or damaged. `line` counts from 1.
    ForgedCheckpoint { line: u64 },
    /// The log ends before an entry a checkpoint vouched for: its newest
    /// entries were removed. Reported once, for the newest checkpoint.
    Truncated {
        checkpoint_id: i64,
        newest_id: Option<i64>,
        /// When the checkpoint was written, German local time.
        checkpoint_time: String,
    },
    /// An entry a checkpoint vouched for is gone from inside the log.
    EntryMissing { id: i64 },
    /// An entry differs from what a checkpoint recorded: the log was
    /// rewritten from there on (even if the chain itself is consistent).
    EntryRewritten { id: i64 },
    /// The checkpoint file exists but cannot be read.
    Unreadable { reason: String },
    /// Further problems of the kinds above, not listed one by one.
    More { count: u64 },
}

impl AnchorProblem {
    /// For administrators and the `verify-audit` command.
    pub fn describe(&self) -> String {
        match self {
            AnchorProblem::ForgedCheckpoint { line } => format!(
                "Prüfpunkt in Zeile {line} der Prüfpunktdatei ist ungültig oder gefälscht \
                 (die Prüfsumme passt nicht zum Protokollschlüssel)."
            ),
            AnchorProblem::Truncated {
                checkpoint_id,
                newest_id,
                checkpoint_time,
            } => {
                let ends = match newest_id {
                    Some(id) => format!("endet bei Eintrag {id}"),
                    None => "ist leer".to_string(),
                };
                format!(
                    "Das Protokoll {ends}, am {checkpoint_time} war aber schon Eintrag \
                     {checkpoint_id} bestätigt: Die neuesten Einträge wurden entfernt."
                )
            }
            AnchorProblem::EntryMissing { id } => format!(
                "Eintrag {id} fehlt, obwohl ein Prüfpunkt ihn bestätigt: Er wurde entfernt."
            ),
            AnchorProblem::EntryRewritten { id } => format!(
                "Eintrag {id} stimmt nicht mehr mit seinem Prüfpunkt überein: Das Protokoll \
                 wurde ab hier neu geschrieben."
            ),
            AnchorProblem::Unreadable { reason } => {
                format!("Die Prüfpunktdatei kann nicht gelesen werden: {reason}")
            }
            AnchorProblem::More { count } => format!("… und {count} weitere Abweichungen."),
        }
    }
}

/// German labels for the recorded actions.
pub fn action_label(action: &str) -> &'static str {
    match action {
        "login" => "Anmeldung",
        "login_failed" => "Fehlgeschlagene Anmeldung",
        "logout" => "Abmeldung",
        "user_created" => "Benutzer angelegt",
        "user_updated" => "Benutzer geändert",
        "user_deactivated" => "Benutzer deaktiviert",
        "user_reactivated" => "Benutzer reaktiviert",
        "password_reset" => "Passwort zurückgesetzt",
        "password_changed" => "Passwort geändert",
        "system_bootstrap" => "Erstes Administratorkonto angelegt",
        "demo_seeded" => "Demo-Konten angelegt",
        "document_uploaded" => "Dokument hochgeladen",
        "document_version_added" => "Neue Dokumentversion",
        "document_version_restored" => "Dokumentversion wiederhergestellt",
        "document_viewed" => "Dokument angesehen",
        "document_downloaded" => "Dokument heruntergeladen",
        "document_metadata_changed" => "Dokumentangaben geändert",
        "document_filed" => "Dokument in Akte abgelegt",
        "document_tagged" => "Schlagwort vergeben",
        "document_trashed" => "Dokument in den Papierkorb",
        "document_restored" => "Dokument aus dem Papierkorb geholt",
        "trash_emptied" => "Papierkorb geleert",
        "blobs_verified" => "Dokumentablage geprüft",
        "rollout_summary_rebuilt" => "Einführungsstand aus den Ereignissen neu berechnet",
        "jobs_retried" => "Fehlgeschlagene Texterkennungen neu gestartet",
        "document_reprocess" => "Texterkennung neu gestartet",
        "akte_opened" => "Akte angelegt",
        "akte_closed" => "Akte geschlossen",
        "akte_shared" => "Akte freigegeben",
        "plan_published" => "Aktenplan-Version veröffentlicht",
        "plan_csv_imported" => "Aktenplan aus CSV übernommen",
        "practice_entered" => "Übungsmodus gestartet",
        "practice_left" => "Übungsmodus verlassen",
        "practice_reset" => "Übungsbereich zurückgesetzt",
        "tour_created" => "Rundgang angelegt",
        "tour_changed" => "Rundgang geändert",
        "tour_deleted" => "Rundgang gelöscht",
        "announcement_published" => "Mitteilung veröffentlicht",
        "announcement_updated" => "Mitteilung geändert",
        "announcement_deleted" => "Mitteilung gelöscht",
        "guide_created" => "Dienstanweisung/Leitfaden angelegt",
        "guide_updated" => "Dienstanweisung/Leitfaden geändert",
        "guide_deleted" => "Dienstanweisung/Leitfaden gelöscht",
        "guide_version_published" => "Neue Version einer Dienstanweisung/eines Leitfadens",
        "faq_created" => "FAQ-Eintrag angelegt",
        "faq_updated" => "FAQ-Eintrag geändert",
        "faq_deleted" => "FAQ-Eintrag gelöscht",
        "training_session_created" => "Schulungstermin angelegt",
        "training_session_updated" => "Schulungstermin geändert",
        "training_session_cancelled" => "Schulungstermin abgesagt",
        "training_attendance_marked" => "Anwesenheit bei Schulung erfasst",
        _ => "Sonstige Aktion",
    }
}
