//! Dienstanweisungen and Leitfäden: a library of versioned documents,
//! written in Markdown or uploaded as PDF. A new version can require
//! acknowledgement; each document can be linked to the screens it governs,
//! so that the „?“ beside a feature ([`link::GuideLink`]) opens it.

pub mod link;
pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::error::AppError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuideKind {
    /// Binding instruction by the administration.
    Dienstanweisung,
    /// Practical help.
    Leitfaden,
}

impl GuideKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GuideKind::Dienstanweisung => "dienstanweisung",
            GuideKind::Leitfaden => "leitfaden",
        }
    }

    pub fn parse(value: &str) -> Option<GuideKind> {
        match value {
            "dienstanweisung" => Some(GuideKind::Dienstanweisung),
            "leitfaden" => Some(GuideKind::Leitfaden),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GuideKind::Dienstanweisung => "Dienstanweisung",
            GuideKind::Leitfaden => "Leitfaden",
        }
    }
}

/// The screens a guide can govern: key (stored) and name (shown).
pub const SCREENS: [(&str, &str); 9] = [
    ("posteingang", "Posteingang"),
    ("dokument", "Dokument"),
    ("aktenplan", "Aktenplan"),
    ("akte", "Akte"),
    ("suche", "Suche"),
    ("abstimmung", "Aktenplan-Abstimmung"),
    ("papierkorb", "Papierkorb"),
    ("neuigkeiten", "Neuigkeiten"),
    ("fragen", "Fragen an das Projektteam"),
];

pub fn screen_label(key: &str) -> Option<&'static str> {
    SCREENS.iter().find(|(k, _)| *k == key).map(|(_, l)| *l)
}

/// What the metadata form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideDraft {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub screens: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidGuide {
    pub kind: GuideKind,
    pub title: String,
    pub summary: String,
    pub screens: Vec<String>,
}

pub fn validate(draft: &GuideDraft) -> Result<ValidGuide, AppError> {
    let kind = GuideKind::parse(draft.kind.trim()).ok_or_else(|| {
        AppError::invalid("Bitte wählen Sie, ob es eine Dienstanweisung oder ein Leitfaden ist.")
    })?;
    let title = draft.title.trim();
    if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Bitte geben Sie einen Titel an (höchstens 200 Zeichen, ohne Steuerzeichen).",
        ));
    }
    let summary = draft.summary.trim();
    if summary.chars().count() > 500 {
        return Err(AppError::invalid(
            "Die Kurzbeschreibung ist zu lang (höchstens 500 Zeichen).",
        ));
    }
    let mut screens = Vec::new();
    for screen in &draft.screens {
        let screen = screen.trim();
        if screen_label(screen).is_none() {
            return Err(AppError::invalid(
                "Einen der gewählten Bereiche gibt es nicht.",
            ));
        }
        if !screens.iter().any(|s| s == screen) {
            screens.push(screen.to_string());
        }
    }
    Ok(ValidGuide {
        kind,
        title: title.to_string(),
        summary: summary.to_string(),
        screens,
    })
}

/// Checks a change note (what is new in this version).
pub fn validate_note(note: &str) -> Result<String, AppError> {
    let note = note.trim();
    if note.chars().count() > 500 || note.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Der Änderungshinweis ist zu lang (höchstens 500 Zeichen) oder enthält Steuerzeichen.",
        ));
    }
    Ok(note.to_string())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideSummary {
    pub id: i64,
    pub kind: GuideKind,
    pub title: String,
    pub summary: String,
    pub screens: Vec<String>,
    pub version: i64,
    pub updated: String,
    pub is_pdf: bool,
    /// The signed-in person still has to acknowledge it.
    pub open_ack: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub id: i64,
    pub number: i64,
    /// Sanitised HTML for Markdown versions.
    pub body_html: Option<String>,
    /// The Markdown source (for the next version's editor).
    pub body: Option<String>,
    pub file_name: Option<String>,
    pub size: Option<i64>,
    pub change_note: String,
    pub requires_ack: bool,
    pub created: String,
    pub author_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideDetail {
    pub id: i64,
    pub kind: GuideKind,
    pub title: String,
    pub summary: String,
    pub screens: Vec<String>,
    /// Newest first; never empty.
    pub versions: Vec<VersionView>,
    /// The newest version requiring acknowledgement, if any.
    pub ack_version: Option<i64>,
    /// When I acknowledged it (that version or a later one).
    pub my_ack: Option<String>,
    pub may_edit: bool,
    /// For the project team: acknowledgements per municipality.
    pub ack_stats: Option<Vec<crate::announcements::MunicipalityStats>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub guides: Vec<GuideSummary>,
    pub may_edit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in [GuideKind::Dienstanweisung, GuideKind::Leitfaden] {
            assert_eq!(GuideKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(GuideKind::parse("Handbuch"), None);
    }

    #[test]
    fn screens_must_be_known() {
        let draft = GuideDraft {
            kind: "leitfaden".into(),
            title: "Scannen im Posteingang".into(),
            summary: String::new(),
            screens: vec!["posteingang".into(), "posteingang".into(), "suche".into()],
        };
        let valid = validate(&draft).expect("valid");
        assert_eq!(valid.screens, vec!["posteingang", "suche"]);
        let unknown = GuideDraft {
            screens: vec!["keller".into()],
            ..draft.clone()
        };
        assert!(validate(&unknown).is_err());
        let no_kind = GuideDraft {
            kind: "".into(),
            ..draft
        };
        assert!(validate(&no_kind).is_err());
    }

    #[test]
    fn every_screen_has_a_label() {
        for (key, label) in SCREENS {
            assert_eq!(screen_label(key), Some(label));
        }
    }
}
