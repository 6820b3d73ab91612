//! Text out of stored files (issue 5): PDF text layers, office formats,
//! e-mail, plain text, and German OCR via poppler and Tesseract.
//!
//! Everything here parses untrusted uploads, so the server never calls
//! [`extract_file`] in its own process. It calls [`run_in_child`], which
//! starts `aktenwerk extract <kind> <path>` (production) in its own process
//! group; that child calls [`child_main`], which sets its resource limits
//! (address space, CPU time, no core dumps) before touching the file, so the
//! limits also bind the tools it starts (`pdftoppm`, `tesseract`). The parent
//! enforces the wall-clock limit by killing the whole group.
//!
//! Limits travel from parent to child in the environment variable
//! [`LIMITS_ENV`] as JSON (see [`Limits::to_env_value`]); the child falls back
//! to the limits its caller passes to [`child_main`] when it is absent.
//!
//! # Wiring into the server
//!
//! ```text
//! // main.rs, before any runtime, logging or database is set up:
//! let args: Vec<String> = std::env::args().collect();
//! if args.get(1).map(String::as_str) == Some("extract") {
//!     std::process::exit(extract::child_main(&args[2..], &extract::Limits::default()));
//! }
//!
//! // the indexing job:
//! let exe = std::env::current_exe()?;
//! let result = tokio::task::spawn_blocking(move || {
//!     extract::run_in_child(&exe, &["extract"], &path, kind, &limits)
//! })
//! .await?;
//! ```
//!
//! RLIMIT_AS counts the child's whole address space, including the mapped
//! executable, so a large debug build of the server spends part of
//! `memory_bytes` on itself. The child also asks to be killed when the
//! thread that started it ends (`PR_SET_PDEATHSIG`), which `run_in_child`'s
//! blocking wait guarantees not to happen early.
//!
//! The crate's `extract-child` binary is test support only: it is the same
//! [`child_main`] for the integration tests, plus modes that sleep or hog
//! memory.

mod html;
mod image;
pub mod mail;
mod office;
mod pdf;
mod plain;
mod sandbox;
mod tools;

use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

pub use sandbox::{apply_rlimits, child_main, die_with_parent, run_in_child, LIMITS_ENV};

/// The file kinds the DMS accepts: the server's `app::documents::kinds::KINDS` by
/// name (a server test holds both lists to that).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
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
    /// An Outlook message as Outlook saves it (drag and drop to the desktop).
    Msg,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: [Kind; 13] = [
        Kind::Pdf,
        Kind::Tiff,
        Kind::Png,
        Kind::Jpeg,
        Kind::Docx,
        Kind::Xlsx,
        Kind::Pptx,
        Kind::Odt,
        Kind::Ods,
        Kind::Txt,
        Kind::Csv,
        Kind::Eml,
        Kind::Msg,
    ];

    /// The kind for its lower-case name (`"pdf"`, `"docx"`, …).
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The stable lower-case name, the inverse of [`Kind::parse`].
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Tiff => "tiff",
            Kind::Png => "png",
            Kind::Jpeg => "jpeg",
            Kind::Docx => "docx",
            Kind::Xlsx => "xlsx",
            Kind::Pptx => "pptx",
            Kind::Odt => "odt",
            Kind::Ods => "ods",
            Kind::Txt => "txt",
            Kind::Csv => "csv",
            Kind::Eml => "eml",
            Kind::Msg => "msg",
        }
    }
}

/// How the text was obtained; the serde names are the values of the DB column.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// From a text layer or a text-based format.
    Text,
    /// Only by OCR.
    Ocr,
    /// Some pages from the text layer, some by OCR.
    Mixed,
    /// Nothing found (an empty document, or nothing readable).
    None,
}

/// The result of one extraction.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Extracted {
    pub text: String,
    /// Pages (PDF, TIFF), sheets (XLSX, ODS), slides (PPTX); 1 otherwise.
    pub pages: u32,
    /// How many of those pages went through OCR.
    pub ocr_pages: u32,
    pub method: Method,
    /// German remarks for the clerk about what was left out (pages beyond
    /// the OCR limit, pixel floods, cut text). Not part of `text`, so the
    /// search index never sees them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Resource limits for one extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Wall-clock time for the whole child, enforced by the parent.
    pub wall: Duration,
    /// Address space (RLIMIT_AS) of the child and each tool it starts.
    pub memory_bytes: u64,
    /// CPU seconds (RLIMIT_CPU) of the child and each tool it starts.
    pub cpu_seconds: u64,
    /// The text is cut (at a character boundary) beyond this many bytes.
    pub max_text_bytes: usize,
    /// Sum of unpacked bytes read from a ZIP container (office formats).
    pub max_unpacked_bytes: u64,
    /// Pixels per page or image handed to OCR.
    pub max_pixels: u64,
    /// Rasterisation resolution for OCR of PDF pages.
    pub ocr_dpi: u32,
    /// Pages of one PDF that are OCR'd at most.
    pub max_ocr_pages: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            wall: Duration::from_secs(300),
            memory_bytes: 1536 * 1024 * 1024,
            cpu_seconds: 600,
            max_text_bytes: 5 * 1024 * 1024,
            max_unpacked_bytes: 256 * 1024 * 1024,
            max_pixels: 60_000_000,
            ocr_dpi: 300,
            max_ocr_pages: 300,
        }
    }
}

/// The wire form of [`Limits`] (`wall` as milliseconds).
#[derive(Serialize, Deserialize)]
struct LimitsWire {
    wall_ms: u64,
    memory_bytes: u64,
    cpu_seconds: u64,
    max_text_bytes: usize,
    max_unpacked_bytes: u64,
    max_pixels: u64,
    ocr_dpi: u32,
    max_ocr_pages: u32,
}

impl Limits {
    /// The JSON the parent puts into [`LIMITS_ENV`] for the child.
    pub fn to_env_value(&self) -> String {
        let wire = LimitsWire {
            wall_ms: u64::try_from(self.wall.as_millis()).unwrap_or(u64::MAX),
            memory_bytes: self.memory_bytes,
            cpu_seconds: self.cpu_seconds,
            max_text_bytes: self.max_text_bytes,
            max_unpacked_bytes: self.max_unpacked_bytes,
            max_pixels: self.max_pixels,
            ocr_dpi: self.ocr_dpi,
            max_ocr_pages: self.max_ocr_pages,
        };
        serde_json::to_string(&wire).unwrap_or_default()
    }

    /// The inverse of [`Limits::to_env_value`]; `None` for anything malformed.
    pub fn from_env_value(s: &str) -> Option<Limits> {
        let w: LimitsWire = serde_json::from_str(s).ok()?;
        Some(Limits {
            wall: Duration::from_millis(w.wall_ms),
            memory_bytes: w.memory_bytes,
            cpu_seconds: w.cpu_seconds,
            max_text_bytes: w.max_text_bytes,
            max_unpacked_bytes: w.max_unpacked_bytes,
            max_pixels: w.max_pixels,
            ocr_dpi: w.ocr_dpi,
            max_ocr_pages: w.max_ocr_pages,
        })
    }
}

/// Why an extraction failed. `Display` is a German sentence for the clerk;
/// [`ExtractError::code`] is the stable machine code.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error(
        "Zeitlimit von {seconds} s überschritten – die Datei ist zu aufwendig oder beschädigt."
    )]
    Timeout { seconds: u64 },
    #[error("Speicherlimit überschritten – die Datei ist zu groß oder beschädigt.")]
    MemoryLimit,
    #[error("Die Datei ist zu groß für die Texterkennung: {0}")]
    TooLarge(String),
    #[error("Die Datei ist beschädigt oder hat nicht das erwartete Format: {0}")]
    Malformed(String),
    #[error("Das Hilfsprogramm „{0}“ ist auf dem Server nicht installiert.")]
    ToolMissing(String),
    #[error("Die Textextraktion ist fehlgeschlagen: {0}")]
    ToolFailed(String),
    #[error("Die Datei konnte nicht gelesen werden: {0}")]
    Io(#[from] std::io::Error),
}

impl ExtractError {
    /// Stable machine code, also used on the wire between child and parent.
    pub fn code(&self) -> &'static str {
        match self {
            ExtractError::Timeout { .. } => "timeout",
            ExtractError::MemoryLimit => "memory",
            ExtractError::TooLarge(_) => "too_large",
            ExtractError::Malformed(_) => "malformed",
            ExtractError::ToolMissing(_) => "tool_missing",
            ExtractError::ToolFailed(_) => "tool_failed",
            ExtractError::Io(_) => "io",
        }
    }
}

/// In-process extraction (what the child runs). Applies no wall-clock or
/// memory limit of its own: call it through [`run_in_child`] for untrusted
/// files.
pub fn extract_file(path: &Path, kind: Kind, limits: &Limits) -> Result<Extracted, ExtractError> {
    // OCR of a long scan stops starting new pages at 80 % of the wall
    // limit, leaving time to hand back what is done; the parent's kill at
    // 100 % would lose everything.
    let ocr_until = Instant::now() + limits.wall.mul_f64(0.8);
    let mut out = match kind {
        Kind::Pdf => pdf::extract(path, limits, ocr_until)?,
        Kind::Tiff | Kind::Png | Kind::Jpeg => image::extract(path, kind, limits)?,
        Kind::Docx => office::docx(path, limits)?,
        Kind::Xlsx => office::xlsx(path, limits)?,
        Kind::Pptx => office::pptx(path, limits)?,
        Kind::Odt => office::odt(path, limits)?,
        Kind::Ods => office::ods(path, limits)?,
        Kind::Txt => plain::txt(path, limits, false)?,
        Kind::Csv => plain::txt(path, limits, true)?,
        Kind::Eml => mail::eml(path, limits)?,
        Kind::Msg => mail::msg(path, limits)?,
    };
    out.text = plain::normalise(&out.text);
    if plain::cap(&mut out.text, limits.max_text_bytes) {
        out.notes.push(format!(
            "Text nach {} MiB abgeschnitten.",
            limits.max_text_bytes / (1024 * 1024)
        ));
    }
    if out.text.trim().is_empty() {
        out.method = Method::None;
    }
    Ok(out)
}

/// An [`Extracted`] from a text-based format.
fn text_result(text: String, pages: u32) -> Extracted {
    Extracted {
        text,
        pages,
        ocr_pages: 0,
        method: Method::Text,
        notes: Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("exe"), None);
        assert_eq!(Kind::parse("PDF"), None);
    }

    #[test]
    fn method_serialises_like_the_db_column() {
        assert_eq!(serde_json::to_string(&Method::Mixed).unwrap(), "\"mixed\"");
        assert_eq!(serde_json::to_string(&Method::None).unwrap(), "\"none\"");
        let m: Method = serde_json::from_str("\"ocr\"").unwrap();
        assert_eq!(m, Method::Ocr);
    }

    #[test]
    fn limits_survive_the_environment() {
        let l = Limits {
            wall: Duration::from_millis(1500),
            max_ocr_pages: 7,
            ..Limits::default()
        };
        assert_eq!(Limits::from_env_value(&l.to_env_value()), Some(l));
        assert_eq!(Limits::from_env_value("{"), None);
    }

    #[test]
    fn errors_speak_german_and_have_codes() {
        let e = ExtractError::Timeout { seconds: 300 };
        assert_eq!(
            e.to_string(),
            "Zeitlimit von 300 s überschritten – die Datei ist zu aufwendig oder beschädigt."
        );
        assert_eq!(e.code(), "timeout");
        assert_eq!(ExtractError::MemoryLimit.code(), "memory");
    }
}
