//! The one list of file kinds Aktenwerk accepts. Upload acceptance (the
//! extensions and the list shown to people), the content check's
//! signatures ([`super::filetype`]), serving (MIME type, preview) and text
//! extraction (the `extract` crate's `Kind`, matched by [`FileKind::as_str`];
//! a server test fails when the two disagree) all read [`KINDS`].
//!
//! Compiled for the browser too, so the upload area names the same kinds.

use serde::{Deserialize, Serialize};

/// The kinds of file Aktenwerk accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Pdf,
    Tiff,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Txt,
    Csv,
    Eml,
    Msg,
}

/// One row of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    pub kind: FileKind,
    /// The stable key stored in the database and the name of the `extract`
    /// crate's kind.
    pub key: &'static str,
    /// Lowercase, without dot; the first is the usual one.
    pub extensions: &'static [&'static str],
    /// The MIME type to serve the file with.
    pub mime: &'static str,
    /// A short German label for lists, e.g. "PDF-Dokument".
    pub label: &'static str,
    /// The name in the sentence listing what is allowed.
    pub listed_as: &'static str,
    /// Signatures at the very start that prove the kind by themselves;
    /// empty for kinds recognised by structure (ZIP containers, text).
    pub magic: &'static [&'static [u8]],
    /// Browsers show it themselves (TIFF is an image but no common browser
    /// displays it).
    pub inline_previewable: bool,
    pub image: bool,
}

const fn row(
    kind: FileKind,
    key: &'static str,
    extensions: &'static [&'static str],
    mime: &'static str,
    label: &'static str,
    listed_as: &'static str,
) -> KindInfo {
    KindInfo {
        kind,
        key,
        extensions,
        mime,
        label,
        listed_as,
        magic: &[],
        inline_previewable: false,
        image: false,
    }
}

/// Every kind, in the order they are listed to people.
pub const KINDS: [KindInfo; 13] = [
    KindInfo {
        magic: &[b"%PDF-"],
        inline_previewable: true,
        ..row(
            FileKind::Pdf,
            "pdf",
            &["pdf"],
            "application/pdf",
            "PDF-Dokument",
            "PDF",
        )
    },
    KindInfo {
        // BigTIFF (the second pair) is written by scanners for very large
        // scans.
        magic: &[b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"],
        image: true,
        ..row(
            FileKind::Tiff,
            "tiff",
            &["tif", "tiff"],
            "image/tiff",
            "Bild (TIFF)",
            "TIFF",
        )
    },
    KindInfo {
        magic: &[b"\x89PNG\r\n\x1a\n"],
        inline_previewable: true,
        image: true,
        ..row(
            FileKind::Png,
            "png",
            &["png"],
            "image/png",
            "Bild (PNG)",
            "PNG",
        )
    },
    KindInfo {
        magic: &[b"\xFF\xD8\xFF"],
        inline_previewable: true,
        image: true,
        ..row(
            FileKind::Jpeg,
            "jpeg",
            &["jpg", "jpeg", "jpe"],
            "image/jpeg",
            "Bild (JPEG)",
            "JPEG",
        )
    },
    row(
        FileKind::Docx,
        "docx",
        &["docx"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word-Dokument (DOCX)",
        "Word (DOCX)",
    ),
    row(
        FileKind::Xlsx,
        "xlsx",
        &["xlsx"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel-Tabelle (XLSX)",
        "Excel (XLSX)",
    ),
    row(
        FileKind::Pptx,
        "pptx",
        &["pptx"],
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint (PPTX)",
        "PowerPoint (PPTX)",
    ),
    row(
        FileKind::Odt,
        "odt",
        &["odt"],
        "application/vnd.oasis.opendocument.text",
        "Textdokument (ODT)",
        "OpenDocument-Text (ODT)",
    ),
    row(
        FileKind::Ods,
        "ods",
        &["ods"],
        "application/vnd.oasis.opendocument.spreadsheet",
        "Tabelle (ODS)",
        "OpenDocument-Tabelle (ODS)",
    ),
    row(
        FileKind::Txt,
        "txt",
        &["txt"],
        "text/plain",
        "Text",
        "Text (TXT)",
    ),
    row(
        FileKind::Csv,
        "csv",
        &["csv"],
        "text/csv",
        "CSV-Tabelle",
        "CSV",
    ),
    row(
        FileKind::Eml,
        "eml",
        &["eml"],
        "message/rfc822",
        "E-Mail (EML)",
        "E-Mail (EML)",
    ),
    // A compound file like old Word and Excel files: recognised by its
    // streams (`extract::mail::looks_like_msg`), not by a signature.
    row(
        FileKind::Msg,
        "msg",
        &["msg"],
        "application/vnd.ms-outlook",
        "Outlook-Nachricht (MSG)",
        "Outlook-Nachricht (MSG)",
    ),
];

impl FileKind {
    /// Every kind, in the order they are listed to people.
    pub const ALL: [FileKind; KINDS.len()] = {
        let mut all = [FileKind::Pdf; KINDS.len()];
        let mut i = 0;
        while i < KINDS.len() {
            all[i] = KINDS[i].kind;
            i += 1;
        }
        all
    };

    /// This kind's row of [`KINDS`].
    pub fn info(&self) -> &'static KindInfo {
        // Every kind has its row; the test below holds the table to that.
        KINDS
            .iter()
            .find(|row| row.kind == *self)
            .unwrap_or(&KINDS[0])
    }

    pub fn mime(&self) -> &'static str {
        self.info().mime
    }

    pub fn label(&self) -> &'static str {
        self.info().label
    }

    pub fn extensions(&self) -> &'static [&'static str] {
        self.info().extensions
    }

    /// The stable key stored in the database.
    pub fn as_str(&self) -> &'static str {
        self.info().key
    }

    /// The inverse of [`FileKind::as_str`].
    pub fn parse(key: &str) -> Option<FileKind> {
        KINDS.iter().find(|row| row.key == key).map(|row| row.kind)
    }

    /// The kind a (lowercase) extension claims, if it is one we know.
    pub fn from_extension(ext: &str) -> Option<FileKind> {
        KINDS
            .iter()
            .find(|row| row.extensions.contains(&ext))
            .map(|row| row.kind)
    }

    /// The kind a signature at the very start proves.
    pub fn from_magic(head: &[u8]) -> Option<FileKind> {
        KINDS
            .iter()
            .find(|row| row.magic.iter().any(|magic| head.starts_with(magic)))
            .map(|row| row.kind)
    }

    pub fn is_inline_previewable(&self) -> bool {
        self.info().inline_previewable
    }

    pub fn is_image(&self) -> bool {
        self.info().image
    }
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The allowed kinds as listed in messages to people: "PDF, TIFF, …, CSV,
/// E-Mail (EML) und Outlook-Nachricht (MSG)".
pub fn allowed_list() -> String {
    let names: Vec<&str> = KINDS.iter().map(|row| row.listed_as).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} und {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_row_and_its_keys_are_unique() {
        for kind in FileKind::ALL {
            assert_eq!(KINDS.iter().filter(|row| row.kind == kind).count(), 1);
            assert_eq!(FileKind::parse(kind.as_str()), Some(kind));
        }
        let mut extensions: Vec<&str> = KINDS
            .iter()
            .flat_map(|row| row.extensions)
            .copied()
            .collect();
        let count = extensions.len();
        extensions.sort_unstable();
        extensions.dedup();
        assert_eq!(extensions.len(), count, "an extension names two kinds");
    }

    #[test]
    fn the_allowed_list_reads_as_before() {
        assert_eq!(
            allowed_list(),
            "PDF, TIFF, PNG, JPEG, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), \
             OpenDocument-Text (ODT), OpenDocument-Tabelle (ODS), Text (TXT), CSV, \
             E-Mail (EML) und Outlook-Nachricht (MSG)"
        );
    }

    #[test]
    fn signatures_prove_their_kind() {
        assert_eq!(FileKind::from_magic(b"%PDF-1.7"), Some(FileKind::Pdf));
        assert_eq!(FileKind::from_magic(b"MM\0+rest"), Some(FileKind::Tiff));
        assert_eq!(
            FileKind::from_magic(b"\xFF\xD8\xFF\xE0"),
            Some(FileKind::Jpeg)
        );
        assert_eq!(FileKind::from_magic(b"PK\x03\x04"), None);
    }
}
