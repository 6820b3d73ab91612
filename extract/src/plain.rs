//! Plain text and CSV: charset detection, and the normalising and capping
//! every extractor's output goes through.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::{text_result, ExtractError, Extracted, Limits};

/// TXT or CSV. Reads at most a bit more than the text cap, so a 10 GiB log
/// file costs no more than a 5 MiB one.
pub(crate) fn txt(path: &Path, limits: &Limits, csv: bool) -> Result<Extracted, ExtractError> {
    // UTF-16 needs two bytes per character; a few bytes more so the cut
    // lands inside the text, never in the detection.
    let budget = (limits.max_text_bytes as u64).saturating_mul(2) + 8;
    let mut bytes = Vec::new();
    File::open(path)?.take(budget).read_to_end(&mut bytes)?;
    let text = decode(&bytes);
    let text = if csv { csv_to_text(&text) } else { text };
    Ok(text_result(text, 1))
}

/// UTF-8 (BOM stripped), UTF-16 with BOM, else Windows-1252.
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8_lossy_tail(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        // Only the last character is incomplete (the file was cut by the
        // read budget): still UTF-8.
        Err(e) if e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4 => {
            String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned()
        }
        Err(_) => windows_1252(bytes),
    }
}

fn utf8_lossy_tail(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn utf16(bytes: &[u8], f: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| f([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Windows-1252: ISO-8859-1 except 0x80–0x9F, where Windows puts €, „, “, –
/// and friends. The five unassigned bytes stay as their C1 control code.
pub(crate) fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Cells become tab-separated words: the detected separator outside quotes
/// turns into a tab and the quoting disappears, so `"Müller; Hans";Bonn`
/// indexes as `Müller; Hans<TAB>Bonn`.
fn csv_to_text(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("");
    let sep = [';', ',', '\t', '|']
        .into_iter()
        .max_by_key(|c| first_line.matches(*c).count())
        .unwrap_or(';');
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.push('"');
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push('\t'),
            c => out.push(c),
        }
    }
    out
}

/// Line ends to `\n`, no NULs or stray control characters, no trailing
/// blanks, runs of blank lines collapsed to one.
pub(crate) fn normalise(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0usize;
    for line in text.split('\n') {
        let line: String = line
            .chars()
            .map(|c| match c {
                '\t' => '\t',
                '\u{a0}' => ' ',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect();
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

/// Cut `text` to at most `max` bytes at a character boundary; true if cut.
pub(crate) fn cap(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    true
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_usual_suspects() {
        assert_eq!(decode("Straße".as_bytes()), "Straße");
        assert_eq!(decode(b"\xEF\xBB\xBFStra\xC3\x9Fe"), "Straße");
        assert_eq!(decode(b"\xFF\xFES\0t\0r\0a\0\xDF\0e\0"), "Straße");
        assert_eq!(decode(b"\xFE\xFF\0S\0t\0r\0a\0\xDF\0e"), "Straße");
        assert_eq!(
            decode(b"Stra\xDFe 5 \x80 \x84Zitat\x93"),
            "Straße 5 € „Zitat“"
        );
    }

    #[test]
    fn utf8_cut_mid_character_stays_utf8() {
        let bytes = "Grüße".as_bytes();
        // Cut inside the two-byte "ß".
        assert_eq!(decode(&bytes[..bytes.len() - 2]), "Grü");
    }

    #[test]
    fn csv_cells_split_and_quotes_go() {
        let t = csv_to_text("Name;Ort\n\"Müller; Hans\";Bonn\n\"Er sagte \"\"Hallo\"\"\";X\n");
        assert_eq!(t, "Name\tOrt\nMüller; Hans\tBonn\nEr sagte \"Hallo\"\tX\n");
    }

    #[test]
    fn normalise_collapses_blank_lines() {
        assert_eq!(normalise("\n\na  \r\n\r\n\r\n\nb\0c\n\n"), "a\n\nb c");
    }

    #[test]
    fn cap_respects_char_boundaries() {
        let mut s = "aäb".to_owned();
        assert!(cap(&mut s, 2));
        assert_eq!(s, "a");
        let mut s = "abc".to_owned();
        assert!(!cap(&mut s, 3));
        assert_eq!(s, "abc");
    }
}
