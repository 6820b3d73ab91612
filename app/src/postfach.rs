//! Postfächer: IMAP mailboxes of a municipality (usually its Poststelle).
//! The Administration connects one (server, encryption, login, password
//! kept sealed, folder, what happens to a message once taken, the clerk in
//! whose name its documents are recorded, optionally an Akte); every new
//! message then becomes one document, the message itself (EML), with its
//! attachments as linked documents, sender, date and subject as metadata.
//! Each message is taken exactly once, by its UID within the folder's
//! UIDVALIDITY, across restarts and reconnects; the same message found
//! again under new UIDs is recognised by its content.

#[cfg(feature = "ssr")]
pub mod fetch;
#[cfg(feature = "ssr")]
pub mod imap;
pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// What sealed Postfach passwords are sealed for.
pub const PASSWORD_PURPOSE: &str = "postfach-passwort";

/// The Administration's page: one row per Postfach in use.
pub use crate::ui::ArrivalOverview as PostfachOverview;

/// How to reach the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encryption {
    /// TLS from the first byte (IMAPS, port 993).
    Tls,
    /// None: only for a server on the same machine.
    Keine,
}

impl Encryption {
    pub fn as_str(self) -> &'static str {
        match self {
            Encryption::Tls => "tls",
            Encryption::Keine => "keine",
        }
    }

    pub fn parse(text: &str) -> Option<Encryption> {
        match text {
            "tls" => Some(Encryption::Tls),
            "keine" => Some(Encryption::Keine),
            _ => None,
        }
    }
}

/// What the Administration fills in to connect a Postfach.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostfachForm {
    pub name: String,
    pub host: String,
    pub port: String,
    /// "tls" or "keine".
    pub encryption: String,
    pub login: String,
    pub password: String,
    pub folder: String,
    /// "markieren", "verschieben" or "loeschen".
    pub after_import: String,
    pub move_to: String,
    pub responsible_id: i64,
    pub aktenzeichen: String,
}

/// A checked form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanForm {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub encryption: Encryption,
    pub login: String,
    pub password: String,
    pub folder: String,
    /// "markieren", "verschieben" or "loeschen"
    pub after_import: &'static str,
    pub move_to: Option<String>,
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1" | "[::1]")
}

/// Checks the form; each refusal says what to change, in German.
pub fn validate(form: &PostfachForm) -> Result<CleanForm, AppError> {
    let name = form.name.trim();
    if !(2..=60).contains(&name.chars().count()) || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Bitte geben Sie dem Postfach einen Namen aus 2 bis 60 Zeichen, z. B. „Poststelle“.",
        ));
    }
    let host = form.host.trim().to_ascii_lowercase();
    let plain_host = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !plain_host {
        return Err(AppError::invalid(
            "Bitte geben Sie den IMAP-Server als Namen oder Adresse an, z. B. „imap.michelstadt.de“.",
        ));
    }
    let port = form
        .port
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| {
            AppError::invalid("Bitte geben Sie den Port als Zahl an, für IMAP mit TLS meist 993.")
        })?;
    let encryption = Encryption::parse(form.encryption.trim())
        .ok_or_else(|| AppError::invalid("Bitte wählen Sie die Verschlüsselung."))?;
    if encryption == Encryption::Keine && !is_loopback(&host) {
        return Err(AppError::invalid(
            "Ohne Verschlüsselung würde das Kennwort lesbar durchs Netz gehen. Das ist nur für \
             einen Server auf diesem Rechner (localhost) erlaubt; bitte wählen Sie TLS.",
        ));
    }
    let login = form.login.trim();
    if login.is_empty() || login.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Bitte geben Sie den Benutzernamen des Postfachs an.",
        ));
    }
    if form.password.is_empty() || form.password.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Bitte geben Sie das Kennwort des Postfachs an.",
        ));
    }
    let folder = match form.folder.trim() {
        "" => "INBOX".to_string(),
        folder => folder.to_string(),
    };
    let plain_folder = |f: &str| !f.chars().any(|c| c.is_control() || c == '"');
    if !plain_folder(&folder) {
        return Err(AppError::invalid(
            "Der Ordnername enthält Zeichen, die nicht erlaubt sind.",
        ));
    }
    let (after_import, move_to) =
        match form.after_import.trim() {
            "markieren" => ("markieren", None),
            "loeschen" => ("loeschen", None),
            "verschieben" => {
                let target = form.move_to.trim();
                if target.is_empty() || !plain_folder(target) || target == folder {
                    return Err(AppError::invalid(
                    "Bitte nennen Sie den Ordner, in den abgerufene Nachrichten verschoben werden \
                     (nicht den abgerufenen Ordner selbst), z. B. „Erledigt“.",
                ));
                }
                ("verschieben", Some(target.to_string()))
            }
            _ => return Err(AppError::invalid(
                "Bitte wählen Sie, was mit einer abgerufenen Nachricht auf dem Server geschieht.",
            )),
        };
    Ok(CleanForm {
        name: name.to_string(),
        host,
        port,
        encryption,
        login: login.to_string(),
        password: form.password.clone(),
        folder,
        after_import,
        move_to,
    })
}

/// The German words for what happens after import.
pub fn after_import_text(after_import: &str, move_to: Option<&str>) -> String {
    match (after_import, move_to) {
        ("verschieben", Some(target)) => format!("nach „{target}“ verschieben"),
        ("loeschen", _) => "löschen".to_string(),
        _ => "als gelesen markieren".to_string(),
    }
}

/// What one fetch did, as counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// New documents (messages; their attachments are not counted).
    pub stored: usize,
    /// Messages taken before under other UIDs, or that the municipality
    /// already held.
    pub duplicates: usize,
    pub refused: usize,
    /// Messages that could not be completed now and are tried again.
    pub left: usize,
}

/// A fetch in a German sentence.
pub fn round_text(round: &Round) -> String {
    let count = |n: usize| match n {
        1 => "1 Nachricht".to_string(),
        n => format!("{n} Nachrichten"),
    };
    let mut parts = vec![format!("{} übernommen", count(round.stored))];
    if round.duplicates > 0 {
        parts.push(format!("{} waren schon abgelegt", count(round.duplicates)));
    }
    if round.refused > 0 {
        parts.push(format!("{} abgelehnt (siehe unten)", count(round.refused)));
    }
    if round.left > 0 {
        parts.push(format!("{} folgen beim nächsten Abruf", count(round.left)));
    }
    format!("Abgerufen: {}.", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> PostfachForm {
        PostfachForm {
            name: " Poststelle ".into(),
            host: "IMAP.Michelstadt.de".into(),
            port: "993".into(),
            encryption: "tls".into(),
            login: "poststelle".into(),
            password: "geheim".into(),
            folder: "".into(),
            after_import: "markieren".into(),
            move_to: "".into(),
            responsible_id: 1,
            aktenzeichen: "".into(),
        }
    }

    #[test]
    fn a_complete_form_is_cleaned() {
        let clean = validate(&form()).expect("valid");
        assert_eq!(clean.name, "Poststelle");
        assert_eq!(clean.host, "imap.michelstadt.de");
        assert_eq!(clean.port, 993);
        assert_eq!(clean.folder, "INBOX");
        assert_eq!(clean.move_to, None);
    }

    #[test]
    fn bad_forms_are_refused_with_what_to_change() {
        type Change = fn(&mut PostfachForm);
        let cases: Vec<(Change, &str)> = vec![
            (|f| f.name = "P".into(), "Namen"),
            (|f| f.host = "imap example".into(), "IMAP-Server"),
            (|f| f.port = "99999".into(), "Port"),
            (|f| f.encryption = "starttls".into(), "Verschlüsselung"),
            (|f| f.encryption = "keine".into(), "localhost"),
            (|f| f.login = " ".into(), "Benutzernamen"),
            (|f| f.password = "".into(), "Kennwort"),
            (|f| f.after_import = "verschieben".into(), "verschoben"),
            (|f| f.after_import = "".into(), "abgerufenen Nachricht"),
        ];
        for (change, expected) in cases {
            let mut f = form();
            change(&mut f);
            let message = validate(&f).expect_err("refused").to_string();
            assert!(message.contains(expected), "{message}");
        }
        let mut local = form();
        local.host = "127.0.0.1".into();
        local.encryption = "keine".into();
        local.after_import = "verschieben".into();
        local.move_to = "Erledigt".into();
        let clean = validate(&local).expect("loopback without TLS");
        assert_eq!(clean.move_to.as_deref(), Some("Erledigt"));
    }

    #[test]
    fn a_round_reads_as_a_sentence() {
        assert_eq!(
            round_text(&Round::default()),
            "Abgerufen: 0 Nachrichten übernommen."
        );
        let round = Round {
            stored: 1,
            duplicates: 2,
            refused: 1,
            left: 0,
        };
        assert_eq!(
            round_text(&round),
            "Abgerufen: 1 Nachricht übernommen, 2 Nachrichten waren schon abgelegt, \
             1 Nachricht abgelehnt (siehe unten)."
        );
    }
}
