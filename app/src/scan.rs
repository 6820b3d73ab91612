//! Scan-Ordner: folders the network scanners of the Poststelle (or of a
//! person) write their PDFs into. The Administration of a municipality
//! names each folder, the clerk in whose name its documents are recorded,
//! and optionally the Akte they go into; without one they land in the
//! Posteingang. A file is taken once it has stopped growing, goes through
//! the very upload path a browser upload takes (content check, storage,
//! extraction) and is removed; a refused file moves into the folder's
//! quarantine beside it, with a text file saying why.

pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "ssr")]
pub mod take;

use crate::error::AppError;

/// The Administration's page: one row per folder in use.
pub use crate::ui::ArrivalOverview as ScanOrdnerOverview;

/// What the quarantine beside a folder is called.
pub fn quarantine_name(name: &str) -> String {
    format!("{name}-Quarantäne")
}

/// A folder's name: 2 to 40 letters, digits, spaces, `-` and `_`; it
/// becomes a directory on the server, which SMB shares and scanners show.
pub fn validate_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    let length = name.chars().count();
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'));
    if !(2..=40).contains(&length) || !plain || name.ends_with("-Quarantäne") {
        return Err(AppError::invalid(
            "Bitte geben Sie dem Scan-Ordner einen Namen aus 2 bis 40 Buchstaben, Ziffern, \
             Leerzeichen, „-“ oder „_“, z. B. „Poststelle“.",
        ));
    }
    Ok(name.to_string())
}

/// Whether a file in a Scan-Ordner is still being written under a
/// temporary name (scanners and copy programs write `.tmp`/`.part` files
/// or hidden ones and rename them when done).
pub fn is_temporary(file_name: &str) -> bool {
    let lower = file_name.to_lowercase();
    file_name.starts_with('.')
        || file_name.starts_with('~')
        || [".tmp", ".part", ".partial", ".crdownload", ".temp"]
            .iter()
            .any(|suffix| lower.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_becomes_a_plain_directory() {
        assert_eq!(
            validate_name(" Poststelle ").ok().as_deref(),
            Some("Poststelle")
        );
        assert_eq!(
            validate_name("Bauamt Süd_2").ok().as_deref(),
            Some("Bauamt Süd_2")
        );
        for bad in [
            "P",
            "../etc",
            "a/b",
            "Post.stelle",
            "Post-Quarantäne",
            "x\ny",
        ] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
        assert!(validate_name(&"x".repeat(41)).is_err());
    }

    #[test]
    fn files_still_being_written_are_left_alone() {
        for name in [".scan.pdf", "~lock.pdf", "Scan.pdf.tmp", "Scan.PDF.part"] {
            assert!(is_temporary(name), "{name}");
        }
        assert!(!is_temporary("Scan_2026-12-07.pdf"));
    }
}
