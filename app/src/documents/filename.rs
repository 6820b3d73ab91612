//! File names from uploads are hostile input: they may carry paths, control
//! characters, invisible Unicode that disguises the real extension, or
//! characters that break HTTP headers. Everything here turns such a name into
//! something that is safe to store, to show and to send back in a
//! `Content-Disposition` header.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use unicode_normalization::UnicodeNormalization;

/// Longest name we keep, counted in characters. Leaves room below the common
/// 255-byte file system limit for most scripts once the user saves it.
const MAX_NAME_CHARS: usize = 200;

/// An extension longer than this is almost certainly part of the name
/// ("Protokoll.Sitzung-des-Bauausschusses") and is not kept on truncation.
const MAX_EXTENSION_CHARS: usize = 10;

/// What is left when nothing usable remains of a name.
const FALLBACK_NAME: &str = "Dokument";

/// How the browser is asked to handle a served file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Save the file (download).
    Attachment,
    /// Show the file in the browser if it can (preview).
    Inline,
}

impl Disposition {
    fn as_str(self) -> &'static str {
        match self {
            Disposition::Attachment => "attachment",
            Disposition::Inline => "inline",
        }
    }
}

/// Invisible characters that can reorder or hide parts of a name. The
/// classic trick is `rechnung<RLO>fdp.exe`, displayed as `rechnungexe.pdf`.
fn is_invisible_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'                    // soft hyphen
        | '\u{061C}'                  // Arabic letter mark (bidi)
        | '\u{180E}'                  // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}'     // zero-width chars, LRM, RLM
        | '\u{202A}'..='\u{202E}'     // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'     // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}'     // bidi isolates
        | '\u{206A}'..='\u{206F}'     // deprecated format chars
        | '\u{FEFF}'                  // BOM / zero-width no-break space
        | '\u{FFF9}'..='\u{FFFB}'     // interlinear annotation
        | '\u{E0000}'..='\u{E007F}' // tag characters
    )
}

/// Characters Windows refuses in file names; a clerk who downloads the file
/// must be able to save it under the name we send.
fn is_windows_reserved(c: char) -> bool {
    matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*')
}

/// Device names Windows treats specially regardless of extension: a file
/// called `CON.pdf` cannot be saved there.
fn is_windows_device_name(stem: &str) -> bool {
    let upper = stem.trim_end().to_ascii_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let bytes = upper.as_bytes();
            bytes.len() == 4
                && (upper.starts_with("COM") || upper.starts_with("LPT"))
                && bytes[3].is_ascii_digit()
        }
    }
}

/// Makes an uploaded file name safe to store and display.
///
/// Keeps only the last path component (for `/` and `\`), removes control and
/// invisible characters, NFC-normalises (so a name typed on macOS and on
/// Windows compares equal), replaces characters Windows forbids, collapses
/// whitespace, trims spaces and dots and limits the length to 200 characters
/// while keeping the extension. Returns `"Dokument"` if nothing remains.
pub fn clean_file_name(raw: &str) -> String {
    // Line breaks and tabs separate words; turning them into spaces keeps
    // "Antrag\tMüller" readable instead of gluing the words together.
    let visible: String = raw
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' => Some(' '),
            c if c.is_control() => None,
            c if is_invisible_format_char(c) => None,
            c => Some(c),
        })
        .nfc()
        .collect();

    // Browsers on Windows and old clients send full paths; the directory
    // part is never ours to keep. An empty last part ("akten/") falls back to
    // the part before it.
    let last = visible
        .rsplit(['/', '\\'])
        .find(|part| !part.trim().is_empty())
        .unwrap_or("");

    let replaced: String = last
        .chars()
        .map(|c| if is_windows_reserved(c) { '_' } else { c })
        .collect();
    let collapsed = collapse_whitespace(&replaced);
    // Leading dots would make a hidden file, trailing dots and spaces are
    // silently dropped by Windows and would change the extension there.
    let trimmed = collapsed.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        return FALLBACK_NAME.to_string();
    }
    let stem_end = trimmed.find('.').unwrap_or(trimmed.len());
    if is_windows_device_name(&trimmed[..stem_end]) {
        truncate_keeping_extension(&format!("_{trimmed}"), MAX_NAME_CHARS)
    } else {
        truncate_keeping_extension(trimmed, MAX_NAME_CHARS)
    }
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate_keeping_extension(name: &str, max_chars: usize) -> String {
    if name.chars().count() <= max_chars {
        return name.to_string();
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|ext| !ext.is_empty() && ext.chars().count() <= MAX_EXTENSION_CHARS);
    match ext {
        Some(ext) => {
            let stem_chars = max_chars - 1 - ext.chars().count();
            let stem: String = name.chars().take(stem_chars).collect();
            let stem = stem.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
            format!("{stem}.{ext}")
        }
        None => {
            let cut: String = name.chars().take(max_chars).collect();
            cut.trim_end_matches(|c: char| c == '.' || c.is_whitespace())
                .to_string()
        }
    }
}

/// The lowercase extension after the last dot, if the name has one.
///
/// Only short ASCII words with at least one letter count: "Antrag Nr.5" or
/// "Stand 03.11.2026" have no extension, so such names are not refused as
/// contradicting their content. Names like ".bashrc" have no extension.
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    let plausible = !stem.is_empty()
        && !ext.is_empty()
        && ext.len() <= MAX_EXTENSION_CHARS
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        && ext.bytes().any(|b| b.is_ascii_alphabetic());
    plausible.then(|| ext.to_ascii_lowercase())
}

/// A document title suggested from a file name:
/// "2026-11-03_Bauantrag_Müller.pdf" becomes "2026-11-03 Bauantrag Müller".
pub fn title_from_file_name(name: &str) -> String {
    let clean = clean_file_name(name);
    let stem = match extension(&clean) {
        Some(ext) => &clean[..clean.len() - ext.len() - 1],
        None => clean.as_str(),
    };
    let title = collapse_whitespace(&stem.replace('_', " "));
    if title.is_empty() {
        FALLBACK_NAME.to_string()
    } else {
        title
    }
}

/// RFC 5987 `attr-char`: everything else is percent-encoded in `filename*`.
const ATTR_CHAR_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// The value of a `Content-Disposition` header (RFC 6266) for serving a file
/// under `name`.
///
/// Carries an ASCII fallback in `filename` for old clients and the exact name
/// in `filename*` (RFC 5987, UTF-8, percent-encoded). The name is cleaned
/// first, so the value never contains CR, LF, other control characters or an
/// unescaped quote, whatever the input.
pub fn content_disposition(disposition: Disposition, name: &str) -> String {
    let clean = clean_file_name(name);
    let fallback = ascii_fallback(&clean);
    let encoded = utf8_percent_encode(&clean, ATTR_CHAR_ESCAPES);
    format!(
        "{}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}",
        disposition.as_str()
    )
}

/// A readable ASCII version of a name for clients that ignore `filename*`.
fn ascii_fallback(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            'ẞ' => out.push_str("SS"),
            '€' => out.push_str("EUR"),
            '–' | '—' | '‐' | '‑' => out.push('-'),
            // Inside a quoted-string these would end the string or escape
            // the next char; '%' is avoided because some clients decode
            // percent sequences in `filename` (RFC 6266, appendix D).
            '"' | '\\' | ';' | '%' => out.push('_'),
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            c => {
                // "é" → "e": keep the base letter when there is one.
                let base: String = c
                    .nfd()
                    .filter(|d| !unicode_normalization::char::is_combining_mark(*d))
                    .collect();
                if !base.is_empty() && base.chars().all(|b| b.is_ascii_graphic()) {
                    out.push_str(&base);
                } else {
                    out.push('_');
                }
            }
        }
    }
    let trimmed = out.trim_matches(|c: char| c == '.' || c == ' ');
    if trimmed.is_empty() {
        FALLBACK_NAME.to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_last_component_of_unix_paths() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("/home/a/Antrag.pdf"), "Antrag.pdf");
    }

    #[test]
    fn keeps_only_last_component_of_windows_paths() {
        assert_eq!(clean_file_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(
            clean_file_name("C:\\Users\\mueller\\Desktop\\Bescheid.docx"),
            "Bescheid.docx"
        );
    }

    #[test]
    fn trailing_separator_falls_back_to_previous_component() {
        assert_eq!(clean_file_name("akten/Antrag/"), "Antrag");
    }

    #[test]
    fn removes_nul_and_control_characters() {
        assert_eq!(
            clean_file_name("rech\0nung\u{7F}\u{85}.pdf"),
            "rechnung.pdf"
        );
        assert_eq!(clean_file_name("bild.png\0.exe"), "bild.png.exe");
    }

    #[test]
    fn removes_right_to_left_override_so_real_extension_shows() {
        let cleaned = clean_file_name("rechnung\u{202E}fdp.exe");
        assert_eq!(cleaned, "rechnungfdp.exe");
        assert_eq!(extension(&cleaned).as_deref(), Some("exe"));
    }

    #[test]
    fn removes_zero_width_and_bidi_isolates() {
        assert_eq!(
            clean_file_name("\u{FEFF}An\u{200B}trag\u{2066}\u{200D}.pdf\u{2069}"),
            "Antrag.pdf"
        );
    }

    #[test]
    fn nfc_and_nfd_spellings_become_identical() {
        let nfc = "B\u{00FC}rgerb\u{00FC}ro.pdf";
        let nfd = "Bu\u{0308}rgerbu\u{0308}ro.pdf";
        assert_ne!(nfc, nfd);
        assert_eq!(clean_file_name(nfc), clean_file_name(nfd));
        assert_eq!(clean_file_name(nfd), nfc);
    }

    #[test]
    fn long_names_are_truncated_keeping_the_extension() {
        let raw = format!("{}.pdf", "ä".repeat(300));
        let cleaned = clean_file_name(&raw);
        assert_eq!(cleaned.chars().count(), MAX_NAME_CHARS);
        assert!(cleaned.ends_with(".pdf"));
        assert!(cleaned.starts_with("ää"));
    }

    #[test]
    fn long_names_without_extension_are_cut() {
        let cleaned = clean_file_name(&"x".repeat(300));
        assert_eq!(cleaned.chars().count(), MAX_NAME_CHARS);
    }

    #[test]
    fn truncation_does_not_leave_trailing_space_before_extension() {
        let raw = format!("{} {}.pdf", "a".repeat(195), "b".repeat(50));
        let cleaned = clean_file_name(&raw);
        assert_eq!(cleaned, format!("{}.pdf", "a".repeat(195)));
    }

    #[test]
    fn windows_reserved_characters_become_underscores() {
        assert_eq!(
            clean_file_name("Vertrag <neu> \"final\"?*|:.pdf"),
            "Vertrag _neu_ _final_____.pdf"
        );
    }

    #[test]
    fn crlf_and_tabs_become_single_spaces() {
        let cleaned = clean_file_name("a\r\nSet-Cookie: x\t\t.pdf");
        assert!(!cleaned.contains(['\r', '\n', '\t']));
        assert_eq!(cleaned, "a Set-Cookie_ x .pdf");
    }

    #[test]
    fn whitespace_runs_collapse_and_ends_are_trimmed() {
        assert_eq!(
            clean_file_name("  Bau\u{00A0}\u{00A0}antrag   2026 .pdf. . "),
            "Bau antrag 2026 .pdf"
        );
    }

    #[test]
    fn only_dots_or_nothing_become_fallback() {
        assert_eq!(clean_file_name(""), "Dokument");
        assert_eq!(clean_file_name(".."), "Dokument");
        assert_eq!(clean_file_name(" . . "), "Dokument");
        assert_eq!(clean_file_name("\u{202E}\0"), "Dokument");
        assert_eq!(clean_file_name("../"), "Dokument");
    }

    #[test]
    fn leading_dot_is_removed() {
        assert_eq!(clean_file_name(".bashrc"), "bashrc");
    }

    #[test]
    fn windows_device_names_are_prefixed() {
        assert_eq!(clean_file_name("CON.pdf"), "_CON.pdf");
        assert_eq!(clean_file_name("lpt1"), "_lpt1");
        assert_eq!(clean_file_name("Console.pdf"), "Console.pdf");
        assert_eq!(clean_file_name("COM10.pdf"), "COM10.pdf");
    }

    #[test]
    fn cleaning_is_idempotent() {
        for raw in [
            "../../etc/passwd",
            "Bu\u{0308}rgerbu\u{0308}ro „Antrag“.pdf",
            "a\r\nb\".pdf",
            &format!("{}.docx", "x ".repeat(200)),
        ] {
            let once = clean_file_name(raw);
            assert_eq!(clean_file_name(&once), once, "for {raw:?}");
        }
    }

    #[test]
    fn extension_is_lowercase_after_last_dot() {
        assert_eq!(extension("Bericht.PDF").as_deref(), Some("pdf"));
        assert_eq!(extension("archiv.tar.gz").as_deref(), Some("gz"));
        assert_eq!(extension("Bild.JPeG").as_deref(), Some("jpeg"));
    }

    #[test]
    fn names_without_real_extension_have_none() {
        assert_eq!(extension(".bashrc"), None);
        assert_eq!(extension("Antrag"), None);
        assert_eq!(extension("Antrag."), None);
        assert_eq!(extension("Antrag Nr.5"), None);
        assert_eq!(extension("Stand 03.11.2026"), None);
        assert_eq!(extension("Bescheid v. Müller"), None);
        assert_eq!(extension("Datei.pdf€"), None);
    }

    #[test]
    fn title_replaces_underscores_and_drops_extension() {
        assert_eq!(
            title_from_file_name("2026-11-03_Bauantrag_Müller.pdf"),
            "2026-11-03 Bauantrag Müller"
        );
        assert_eq!(
            title_from_file_name("__Sitzung   Protokoll__.docx"),
            "Sitzung Protokoll"
        );
        assert_eq!(title_from_file_name("Antrag Nr.5"), "Antrag Nr.5");
    }

    #[test]
    fn empty_title_becomes_fallback() {
        assert_eq!(title_from_file_name(""), "Dokument");
        assert_eq!(title_from_file_name("___.pdf"), "Dokument");
    }

    fn assert_header_safe(value: &str) {
        assert!(
            value.chars().all(|c| c == ' ' || c.is_ascii_graphic()),
            "non-printable or non-ASCII char in {value:?}"
        );
        // Exactly the two quotes around the fallback name.
        assert_eq!(value.matches('"').count(), 2, "in {value:?}");
    }

    #[test]
    fn content_disposition_with_umlauts_and_typographic_quotes() {
        let value = content_disposition(Disposition::Attachment, "Bürgerbüro „Antrag“.pdf");
        assert_eq!(
            value,
            "attachment; filename=\"Buergerbuero _Antrag_.pdf\"; \
             filename*=UTF-8''B%C3%BCrgerb%C3%BCro%20%E2%80%9EAntrag%E2%80%9C.pdf"
        );
        assert_header_safe(&value);
    }

    #[test]
    fn content_disposition_inline() {
        assert_eq!(
            content_disposition(Disposition::Inline, "scan.png"),
            "inline; filename=\"scan.png\"; filename*=UTF-8''scan.png"
        );
    }

    #[test]
    fn content_disposition_replaces_quotes_semicolons_and_percent() {
        // Quotes are already replaced by cleaning; ';' and '%' only in the
        // fallback, where they could confuse lenient parsers.
        let value = content_disposition(Disposition::Attachment, "a\"b;c%41.pdf");
        assert_header_safe(&value);
        assert!(value.starts_with("attachment; filename=\"a_b_c_41.pdf\"; "));
        assert!(value.ends_with("filename*=UTF-8''a_b%3Bc%2541.pdf"));
    }

    #[test]
    fn content_disposition_survives_header_injection() {
        let value = content_disposition(Disposition::Attachment, "a\r\nSet-Cookie: x.pdf");
        assert_header_safe(&value);
        assert!(!value.contains(['\r', '\n']));
        assert_eq!(
            value,
            "attachment; filename=\"a Set-Cookie_ x.pdf\"; \
             filename*=UTF-8''a%20Set-Cookie_%20x.pdf"
        );
    }

    #[test]
    fn content_disposition_keeps_attr_chars_unencoded() {
        // '|' is an attr-char too, but cleaning replaces it (Windows forbids it).
        let value = content_disposition(Disposition::Attachment, "a!#$&+-.^_`~b.txt");
        assert!(
            value.ends_with("filename*=UTF-8''a!#$&+-.^_`~b.txt"),
            "{value}"
        );
        let value = content_disposition(Disposition::Attachment, "(a)'b,=@{}[].txt");
        assert!(value.ends_with("filename*=UTF-8''%28a%29%27b%2C%3D%40%7B%7D%5B%5D.txt"));
    }

    #[test]
    fn ascii_fallback_strips_accents_and_replaces_the_rest() {
        let value = content_disposition(Disposition::Attachment, "Café Straße ẞ 5€ 東京.pdf");
        assert!(value.starts_with("attachment; filename=\"Cafe Strasse SS 5EUR __.pdf\""));
        assert_header_safe(&value);
    }

    #[test]
    fn content_disposition_of_hostile_names_is_always_safe() {
        let nasty = [
            "",
            "\"",
            "\\\"; filename=evil.exe",
            "\u{202E}\r\n\0\u{7F}\u{9B}",
            "\u{2028}x\u{2029}.pdf",
            "../..\\\"\r\n.pdf",
        ];
        for raw in nasty {
            assert_header_safe(&content_disposition(Disposition::Attachment, raw));
        }
    }
}
