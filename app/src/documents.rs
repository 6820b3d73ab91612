//! Documents: upload into the Posteingang and into Akten, content-addressed
//! storage, versions, preview, download and trash.
//!
//! Who sees what: clerks (Sachbearbeitung) handle their own municipality's
//! documents and those in Akten shared with it. The project team and the
//! administration run the system but do not read case documents; the
//! administration empties the trash. Trainees work in the practice area.

pub mod akte_section;
#[cfg(feature = "ssr")]
pub mod blobs;
pub mod document_page;
#[cfg(feature = "ssr")]
pub mod filename;
#[cfg(feature = "ssr")]
pub mod filetype;
pub mod inbox_page;
pub mod kinds;
pub mod list;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "ssr")]
pub mod text_pdf;
#[cfg(feature = "ssr")]
pub mod thumbnail;
pub mod trash_page;
pub mod upload;

use serde::{Deserialize, Serialize};

/// What kind of paper a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocType {
    Eingang,
    Ausgang,
    Vermerk,
    Bescheid,
    Rechnung,
    Vertrag,
    Protokoll,
    Sonstiges,
}

impl DocType {
    pub const ALL: [DocType; 8] = [
        DocType::Eingang,
        DocType::Ausgang,
        DocType::Vermerk,
        DocType::Bescheid,
        DocType::Rechnung,
        DocType::Vertrag,
        DocType::Protokoll,
        DocType::Sonstiges,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocType::Eingang => "eingang",
            DocType::Ausgang => "ausgang",
            DocType::Vermerk => "vermerk",
            DocType::Bescheid => "bescheid",
            DocType::Rechnung => "rechnung",
            DocType::Vertrag => "vertrag",
            DocType::Protokoll => "protokoll",
            DocType::Sonstiges => "sonstiges",
        }
    }

    pub fn parse(value: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|t| t.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            DocType::Eingang => "Eingang",
            DocType::Ausgang => "Ausgang",
            DocType::Vermerk => "Vermerk",
            DocType::Bescheid => "Bescheid",
            DocType::Rechnung => "Rechnung",
            DocType::Vertrag => "Vertrag",
            DocType::Protokoll => "Protokoll",
            DocType::Sonstiges => "Sonstiges",
        }
    }
}

/// A document in lists (Posteingang, Akte, trash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub id: i64,
    pub title: String,
    pub doc_type: DocType,
    pub document_date: Option<String>,
    pub correspondent: String,
    pub tags: Vec<String>,
    /// German label of the file type, e.g. "PDF-Dokument".
    pub kind_label: String,
    pub size: i64,
    pub versions: i64,
    /// Local date and time of the upload, formatted for people.
    pub uploaded_at: String,
    pub uploaded_by: String,
    pub akte: Option<AkteRef>,
    /// The Vorgang inside that Akte, if filed into one.
    pub vorgang: Option<VorgangRef>,
}

/// Where a document is filed (the Akte's and the Vorgang's own types).
pub use crate::akten::AkteRef;
pub use crate::vorgaenge::VorgangRef;

/// Where documents can be filed: an open Akte, or a Vorgang in one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingTarget {
    pub akte: AkteRef,
    pub vorgang: Option<VorgangRef>,
}

/// One stored version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub number: i64,
    pub file_name: String,
    pub kind_label: String,
    pub size: i64,
    pub created_at: String,
    pub created_by: String,
    pub note: String,
    /// PDFs and images the browser can show.
    pub previewable: bool,
    pub is_image: bool,
}

/// Everything the document page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDetail {
    pub summary: DocumentSummary,
    pub notes: String,
    /// Newest first.
    pub versions: Vec<VersionView>,
    pub trashed: bool,
    /// Only the owning municipality changes a document; a municipality an
    /// Akte is shared with reads it.
    pub may_edit: bool,
    /// An e-mail's attachments, or the e-mail an attachment came with.
    pub linked: Vec<LinkedDocument>,
}

/// A document linked to another: an attachment of an e-mail, or the
/// e-mail it came with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedDocument {
    /// The e-mail this one came with (else: one of its attachments).
    pub is_message: bool,
    pub name: String,
    /// `None` when it cannot be opened: destroyed, not visible to the
    /// reader, or refused (then `refusal` says why).
    pub document_id: Option<i64>,
    pub refusal: Option<String>,
}

/// Checks metadata typed by a person; returns the cleaned values.
pub fn validate_metadata(meta: &MetadataForm) -> Result<CleanMetadata, String> {
    let title = meta.title.trim();
    if title.is_empty() {
        return Err("Bitte geben Sie einen Titel an.".into());
    }
    if title.chars().count() > 300 {
        return Err("Der Titel darf höchstens 300 Zeichen lang sein.".into());
    }
    let doc_type = DocType::parse(meta.doc_type.trim())
        .ok_or_else(|| "Bitte wählen Sie eine Dokumentart aus der Liste.".to_string())?;
    let document_date = match meta.document_date.trim() {
        "" => None,
        date => Some(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| "Das Dokumentdatum ist ungültig (Format JJJJ-MM-TT).".to_string())?
                .format("%Y-%m-%d")
                .to_string(),
        ),
    };
    let correspondent = meta.correspondent.trim();
    if correspondent.chars().count() > 200 {
        return Err("Absender/Empfänger darf höchstens 200 Zeichen lang sein.".into());
    }
    if meta.notes.chars().count() > 5000 {
        return Err("Die Notiz darf höchstens 5000 Zeichen lang sein.".into());
    }
    let tags = parse_tags(&meta.tags)?;
    Ok(CleanMetadata {
        title: title.to_string(),
        doc_type,
        document_date,
        correspondent: correspondent.to_string(),
        notes: meta.notes.trim().to_string(),
        tags,
    })
}

/// Tags from a comma-separated field: trimmed, de-duplicated
/// case-insensitively, at most 20 of at most 50 characters.
pub fn parse_tags(field: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in field.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if tag.chars().count() > 50 {
            return Err(format!("Das Schlagwort „{tag}“ ist länger als 50 Zeichen."));
        }
        if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            tags.push(tag.to_string());
        }
    }
    if tags.len() > 20 {
        return Err("Bitte höchstens 20 Schlagwörter je Dokument.".into());
    }
    Ok(tags)
}

/// The metadata form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataForm {
    pub title: String,
    pub doc_type: String,
    pub document_date: String,
    pub correspondent: String,
    pub tags: String,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanMetadata {
    pub title: String,
    pub doc_type: DocType,
    pub document_date: Option<String>,
    pub correspondent: String,
    pub notes: String,
    pub tags: Vec<String>,
}

/// What the upload answers (JSON), for the browser's progress list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadAnswer {
    pub id: i64,
    pub title: String,
    pub version: i64,
}

/// The upload's refusal (JSON): the German message, and for duplicates the
/// document that already holds the content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadRefusal {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str, doc_type: &str, date: &str, tags: &str) -> MetadataForm {
        MetadataForm {
            title: title.into(),
            doc_type: doc_type.into(),
            document_date: date.into(),
            tags: tags.into(),
            ..MetadataForm::default()
        }
    }

    #[test]
    fn metadata_is_trimmed_and_checked() {
        let clean = validate_metadata(&form(
            "  Bauantrag Müller ",
            "bescheid",
            "2026-11-03",
            "Bau, bau , Frist,,",
        ))
        .expect("valid");
        assert_eq!(clean.title, "Bauantrag Müller");
        assert_eq!(clean.doc_type, DocType::Bescheid);
        assert_eq!(clean.document_date.as_deref(), Some("2026-11-03"));
        assert_eq!(clean.tags, ["Bau", "Frist"]);

        assert!(validate_metadata(&form("", "eingang", "", "")).is_err());
        assert!(validate_metadata(&form("x", "brief", "", "")).is_err());
        assert!(validate_metadata(&form("x", "eingang", "2026-02-30", "")).is_err());
        assert!(validate_metadata(&form("x", "eingang", "", &"t,".repeat(30))).is_ok());
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert!(validate_metadata(&form("x", "eingang", "", &many.join(","))).is_err());
    }

    #[test]
    fn doc_types_round_trip() {
        for t in DocType::ALL {
            assert_eq!(DocType::parse(t.as_str()), Some(t));
        }
    }
}
