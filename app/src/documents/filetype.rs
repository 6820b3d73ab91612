//! Deciding what an uploaded file really is.
//!
//! The type is taken from the file's content (magic bytes, container
//! structure), never from the name or the browser's Content-Type: both are
//! chosen by whoever uploads. The name's extension only has to agree with the
//! content, so that a file saved by a clerk opens in the program the name
//! promises.
//!
//! Office documents are ZIP containers. Their central directory is checked for
//! entry count, declared unpacked size, compression ratio, unsafe paths and
//! encryption before any entry is read, so a zip bomb or a path-traversal
//! archive disguised as DOCX is refused without being unpacked.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use zip::result::ZipError;
use zip::{CompressionMethod, ZipArchive};

use super::filename::{clean_file_name, extension};

pub use super::kinds::{allowed_list, FileKind};

/// Limits for ZIP containers (Office documents), checked on the central
/// directory before anything is unpacked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipLimits {
    /// Most entries an archive may have. ZIP64 archives are always refused,
    /// so values above 65 534 have no effect.
    pub max_entries: usize,
    /// Most bytes all entries together may declare when unpacked.
    pub max_total_uncompressed: u64,
    /// Highest unpacked-to-packed ratio, per entry and for the whole file;
    /// only checked for sizes above 1 MiB, where a high ratio matters.
    pub max_ratio: u64,
}

impl Default for ZipLimits {
    /// Real documents have a few dozen to a few thousand entries. A large
    /// spreadsheet export (around 100 MB as XLSX) unpacks to 1–2 GB of XML,
    /// hence 2 GiB in total. XML deflates 5–30:1, and spreadsheets with many
    /// identically formatted rows reach 100–200:1 (Apache POI's 100:1 limit
    /// is known to refuse such real files), while Deflate's maximum, which
    /// bombs use, is about 1000:1; 250:1 lies safely in between.
    fn default() -> Self {
        ZipLimits {
            max_entries: 10_000,
            max_total_uncompressed: 2 * 1024 * 1024 * 1024,
            max_ratio: 250,
        }
    }
}

/// Below this size an entry's compression ratio is harmless whatever it is.
const RATIO_GRACE_BYTES: u64 = 1024 * 1024;

/// Bytes read from the start for signatures and mail headers.
const HEAD_LEN: usize = 64 * 1024;

/// Chunk size for checking that a whole file is text.
const TEXT_CHUNK_LEN: usize = 64 * 1024;

/// Why a file is refused. Every message is a complete German sentence for the
/// clerk who uploaded the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum FileTypeError {
    #[error(
        "Die Datei „{name}“ ist leer. Bitte prüfen Sie, ob Sie die richtige Datei \
         ausgewählt haben."
    )]
    Empty { name: String },

    /// `found` describes what the file seems to be, with article, e.g.
    /// "ein GIF-Bild", if it could be recognised.
    #[error("{}", not_allowed_message(.name, .found.as_deref()))]
    NotAllowed { name: String, found: Option<String> },

    /// `expected` lists the extensions that would fit the content, e.g.
    /// "„.jpg“, „.jpeg“ oder „.jpe“".
    #[error(
        "Die Datei „{name}“ hat die Endung „.{extension}“, ist laut ihrem Inhalt \
         aber vom Typ {kind_label}. Bitte prüfen Sie, ob Sie die richtige Datei \
         gewählt haben; zum Inhalt passt die Endung {expected}."
    )]
    ExtensionMismatch {
        name: String,
        extension: String,
        kind_label: String,
        expected: String,
    },

    #[error(
        "Die Datei „{name}“ hat die Endung „.eml“, sieht aber nicht wie eine E-Mail \
         aus. Bitte speichern Sie die E-Mail direkt aus Ihrem E-Mail-Programm und \
         laden Sie diese Datei hoch."
    )]
    NotEmail { name: String },

    #[error(
        "Die Datei „{name}“ besteht aus ungewöhnlich vielen Einzelteilen (mehr als \
         {limit}) und wird aus Sicherheitsgründen nicht angenommen. Bitte öffnen Sie \
         sie in Ihrem Office-Programm, speichern Sie sie neu und laden Sie sie erneut \
         hoch, oder wenden Sie sich an die IT-Abteilung.",
        limit = german_number(*.limit as u64)
    )]
    ZipTooManyEntries { name: String, limit: usize },

    #[error(
        "Die Datei „{name}“ würde beim Öffnen auf eine ungewöhnlich große Datenmenge \
         anwachsen und wird aus Sicherheitsgründen nicht angenommen. Bitte wenden Sie \
         sich an die IT-Abteilung, wenn Sie diese Datei benötigen."
    )]
    ZipTooLarge { name: String },

    #[error(
        "Die Datei „{name}“ enthält unzulässige Ablagepfade und wird aus \
         Sicherheitsgründen nicht angenommen. Bitte wenden Sie sich an die \
         IT-Abteilung."
    )]
    ZipUnsafePath { name: String },

    #[error(
        "Die Datei „{name}“ ist mit einem Kennwort geschützt und kann deshalb nicht \
         geprüft werden. Bitte entfernen Sie den Kennwortschutz und laden Sie die \
         Datei erneut hoch."
    )]
    ZipEncrypted { name: String },

    #[error(
        "Die Datei „{name}“ ist ein gepacktes Archiv (zum Beispiel ZIP), aber kein \
         zugelassenes Office-Dokument. Bitte laden Sie die enthaltenen Dokumente \
         einzeln hoch. Erlaubt sind: {list}.",
        list = allowed_list()
    )]
    ZipUnknown { name: String },

    #[error(
        "Die Datei „{name}“ ist beschädigt oder widersprüchlich aufgebaut und kann \
         nicht geprüft werden. Bitte speichern Sie sie in Ihrem Office-Programm neu \
         und laden Sie sie erneut hoch."
    )]
    ZipDamaged { name: String },

    /// The source is kept for the log; the message never shows paths.
    #[error(
        "Die hochgeladene Datei konnte nicht gelesen werden. Bitte versuchen Sie es \
         erneut; wenn der Fehler bleibt, wenden Sie sich an die IT-Abteilung."
    )]
    Unreadable {
        #[source]
        source: io::Error,
    },
}

fn not_allowed_message(name: &str, found: Option<&str>) -> String {
    match found {
        Some(found) => format!(
            "Die Datei „{name}“ ist laut ihrem Inhalt {found}. Solche Dateien können \
             nicht angenommen werden. Erlaubt sind: {}.",
            allowed_list()
        ),
        None => format!(
            "Die Art der Datei „{name}“ konnte nicht erkannt werden, deshalb kann sie \
             nicht angenommen werden. Erlaubt sind: {}.",
            allowed_list()
        ),
    }
}

/// 10000 → "10.000", as clerks read numbers.
fn german_number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn unreadable(source: io::Error) -> FileTypeError {
    FileTypeError::Unreadable { source }
}

/// Decides the kind of the file at `path` from its content and checks that
/// `file_name`'s extension agrees with it.
///
/// Synchronous and potentially slow (text files are read completely): run it
/// in `spawn_blocking` on the finished temporary upload.
pub fn inspect(
    path: &Path,
    file_name: &str,
    limits: &ZipLimits,
) -> Result<FileKind, FileTypeError> {
    inspect_with_chunk_len(path, file_name, limits, TEXT_CHUNK_LEN)
}

fn inspect_with_chunk_len(
    path: &Path,
    file_name: &str,
    limits: &ZipLimits,
    chunk_len: usize,
) -> Result<FileKind, FileTypeError> {
    // Messages and the extension use the name as it will be stored, so
    // invisible characters can neither hide the real extension nor end up in
    // a message.
    let name = clean_file_name(file_name);
    let ext = extension(&name);

    let mut file = File::open(path).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    if len == 0 {
        return Err(FileTypeError::Empty { name });
    }
    let head = read_head(&mut file)?;

    let kind = detect(
        &mut file,
        len,
        &head,
        ext.as_deref(),
        &name,
        limits,
        chunk_len,
    )?;

    if let Some(ext) = ext {
        if !kind.extensions().contains(&ext.as_str()) {
            return Err(FileTypeError::ExtensionMismatch {
                name,
                extension: ext,
                kind_label: kind.label().to_string(),
                expected: expected_extensions(kind),
            });
        }
    }
    Ok(kind)
}

fn expected_extensions(kind: FileKind) -> String {
    let quoted: Vec<String> = kind
        .extensions()
        .iter()
        .map(|ext| format!("„.{ext}“"))
        .collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} oder {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

fn read_head(file: &mut File) -> Result<Vec<u8>, FileTypeError> {
    let mut head = Vec::with_capacity(HEAD_LEN);
    file.by_ref()
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    Ok(head)
}

fn detect(
    file: &mut File,
    len: u64,
    head: &[u8],
    ext: Option<&str>,
    name: &str,
    limits: &ZipLimits,
    chunk_len: usize,
) -> Result<FileKind, FileTypeError> {
    if let Some(kind) = FileKind::from_magic(head) {
        return Ok(kind);
    }
    if head.starts_with(b"PK\x03\x04") {
        return inspect_zip(file, len, name, limits);
    }
    if head.starts_with(COMPOUND_FILE) && is_outlook_message(file, len)? {
        return Ok(FileKind::Msg);
    }
    if let Some(found) = refused_binary(head) {
        return Err(not_allowed(name, found));
    }

    // Acrobat accepts up to 1024 bytes of junk before the header, so such
    // files are real PDFs. A text that merely mentions "%PDF-" near its start
    // must still be accepted as text, so the junk case only wins for names
    // that claim PDF (or claim nothing) or for content that is not text.
    let pdf_after_junk = find(&head[..head.len().min(1024)], b"%PDF-").is_some();
    if pdf_after_junk && matches!(ext, None | Some("pdf")) {
        return Ok(FileKind::Pdf);
    }

    file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    if scan_text(file, chunk_len).map_err(unreadable)?.is_some() {
        if let Some(found) = refused_text(head) {
            return Err(not_allowed(name, found));
        }
        return classify_text(head, ext, name);
    }
    if pdf_after_junk {
        return Ok(FileKind::Pdf);
    }
    Err(FileTypeError::NotAllowed {
        name: name.to_string(),
        found: None,
    })
}

/// The signature of a compound file (Outlook messages, old Office files).
const COMPOUND_FILE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// Larger compound files are not opened to look for a message.
const MAX_MSG_BYTES: u64 = 100 * 1024 * 1024;

/// Whether a compound file is an Outlook message: read whole (the streams
/// that tell lie anywhere in it), up to [`MAX_MSG_BYTES`].
fn is_outlook_message(file: &mut File, len: u64) -> Result<bool, FileTypeError> {
    if len > MAX_MSG_BYTES {
        return Ok(false);
    }
    let mut content = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    file.by_ref()
        .take(MAX_MSG_BYTES)
        .read_to_end(&mut content)
        .map_err(unreadable)?;
    Ok(extract::mail::looks_like_msg(&content))
}

fn not_allowed(name: &str, found: &str) -> FileTypeError {
    FileTypeError::NotAllowed {
        name: name.to_string(),
        found: Some(found.to_string()),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Recognisable formats we refuse, so the message can say what the file is.
fn refused_binary(head: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"MZ", "ein ausführbares Windows-Programm"),
        (b"\x7FELF", "ein ausführbares Programm"),
        (b"\xFE\xED\xFA\xCE", "ein ausführbares Programm"),
        (b"\xFE\xED\xFA\xCF", "ein ausführbares Programm"),
        (b"\xCE\xFA\xED\xFE", "ein ausführbares Programm"),
        (b"\xCF\xFA\xED\xFE", "ein ausführbares Programm"),
        (b"\xCA\xFE\xBA\xBE", "ein ausführbares Programm"),
        (b"\0asm", "ein ausführbares Programm"),
        (b"PK\x05\x06", "ein leeres ZIP-Archiv"),
        (b"PK\x07\x08", "ein ZIP-Archiv"),
        (b"Rar!\x1A\x07", "ein RAR-Archiv"),
        (b"7z\xBC\xAF\x27\x1C", "ein 7-Zip-Archiv"),
        (b"\x1F\x8B", "ein gepacktes Archiv (GZIP)"),
        (b"BZh", "ein gepacktes Archiv (BZIP2)"),
        (b"\xFD7zXZ\0", "ein gepacktes Archiv (XZ)"),
        (b"MSCF", "ein gepacktes Archiv (CAB)"),
        (
            COMPOUND_FILE,
            "ein älteres oder kennwortgeschütztes Office-Dokument (zum Beispiel DOC \
             oder XLS); bitte speichern Sie es im aktuellen Format (DOCX, XLSX) ohne \
             Kennwort",
        ),
        (
            b"{\\rtf",
            "ein RTF-Dokument; bitte speichern Sie es als PDF oder DOCX",
        ),
        (
            b"%!PS",
            "ein PostScript-Dokument; bitte speichern Sie es als PDF",
        ),
        (b"GIF87a", "ein GIF-Bild; bitte speichern Sie es als PNG"),
        (b"GIF89a", "ein GIF-Bild; bitte speichern Sie es als PNG"),
        (b"BM", "ein BMP-Bild; bitte speichern Sie es als PNG"),
        (b"\0\0\x01\0", "ein Symbolbild (ICO)"),
        (b"ID3", "eine Audiodatei"),
        (b"OggS", "eine Audio- oder Videodatei"),
        (b"fLaC", "eine Audiodatei"),
        (b"\x1A\x45\xDF\xA3", "eine Videodatei"),
        (
            b"\xFF\xFE\0\0",
            "ein Text in UTF-32-Kodierung; bitte speichern Sie ihn als UTF-8",
        ),
        (
            b"\xFF\xFE",
            "ein Text in UTF-16-Kodierung; bitte speichern Sie ihn als UTF-8",
        ),
        (
            b"\xFE\xFF",
            "ein Text in UTF-16-Kodierung; bitte speichern Sie ihn als UTF-8",
        ),
        (b"SQLite format 3\0", "eine Datenbank (SQLite)"),
    ];
    if head.starts_with(b"BM") && looks_like_text_start(head) {
        // "BM" is too short a signature to refuse text that starts with it
        // ("BMW-Leasing.txt"); the full text check decides instead.
        return None;
    }
    if let Some((_, found)) = SIGNATURES
        .iter()
        .find(|(signature, _)| head.starts_with(signature))
    {
        return Some(found);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" {
        return Some(match &head[8..12] {
            b"WEBP" => "ein WebP-Bild; bitte speichern Sie es als PNG oder JPEG",
            b"WAVE" => "eine Audiodatei",
            _ => "eine Audio- oder Videodatei",
        });
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return Some(match &head[8..12] {
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1" => {
                "ein HEIC-Foto, wie es Smartphones aufnehmen; bitte speichern Sie es \
                 als JPEG"
            }
            b"avif" | b"avis" => "ein AVIF-Bild; bitte speichern Sie es als PNG oder JPEG",
            _ => "eine Video- oder Audiodatei",
        });
    }
    None
}

/// A quick look whether the first bytes are printable, so that a two-byte
/// signature like "BM" is told apart from ordinary text.
fn looks_like_text_start(head: &[u8]) -> bool {
    head.iter()
        .take(64)
        .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'))
}

/// Text we refuse although it is valid text: browsers sniff markup at the
/// start of a file and may render it as a page (with scripts) despite our
/// `text/plain`, e.g. when a clerk opens a downloaded file locally. This
/// follows the WHATWG MIME Sniffing patterns for HTML and XML.
fn refused_text(head: &[u8]) -> Option<&'static str> {
    const HTML_TAGS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
    ];
    let start = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = start
        .iter()
        .position(|b| !matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' '))?;
    let rest = &start[first..];
    let starts_with_ci = |pattern: &[u8]| {
        rest.len() >= pattern.len() && rest[..pattern.len()].eq_ignore_ascii_case(pattern)
    };
    let tag_ends = |pattern: &[u8]| matches!(rest.get(pattern.len()), Some(b' ' | b'>'));

    if HTML_TAGS
        .iter()
        .any(|tag| starts_with_ci(tag) && tag_ends(tag))
        || starts_with_ci(b"<!--")
    {
        return Some("eine Webseite (HTML)");
    }
    if starts_with_ci(b"<?xml") || starts_with_ci(b"<svg") || starts_with_ci(b"<!doctype") {
        return Some("eine XML- oder SVG-Datei");
    }
    if rest.starts_with(b"#!") {
        return Some("ein Skript (Programmcode)");
    }
    None
}

/// Among text files the extension decides what the text is meant to be.
fn classify_text(head: &[u8], ext: Option<&str>, name: &str) -> Result<FileKind, FileTypeError> {
    match ext {
        Some("csv") => Ok(FileKind::Csv),
        Some("eml") if looks_like_mail(head) => Ok(FileKind::Eml),
        Some("eml") => Err(FileTypeError::NotEmail {
            name: name.to_string(),
        }),
        None if looks_like_mail(head) => Ok(FileKind::Eml),
        // Any other extension is checked against Txt by the caller and
        // refused unless it is ".txt".
        _ => Ok(FileKind::Txt),
    }
}

/// Whether the text starts with an RFC 5322 header block with at least two
/// headers mail programs write.
fn looks_like_mail(head: &[u8]) -> bool {
    const KNOWN: &[&str] = &[
        "from",
        "to",
        "cc",
        "bcc",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "received",
        "return-path",
        "delivered-to",
        "content-type",
        "reply-to",
        "sender",
        "in-reply-to",
        "references",
    ];
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut known: Vec<String> = Vec::new();
    let mut seen_header = false;
    for (i, line) in text.split(|&b| b == b'\n').enumerate().take(500) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        // Mailbox files and some mail programs put a "From " separator line
        // before the headers.
        if i == 0 && line.starts_with(b"From ") {
            continue;
        }
        if line.is_empty() {
            break;
        }
        if line.starts_with(b" ") || line.starts_with(b"\t") {
            if !seen_header {
                return false;
            }
            continue;
        }
        let Some(field) = header_name(line) else {
            if !seen_header {
                return false;
            }
            break;
        };
        seen_header = true;
        let field = field.to_ascii_lowercase();
        if (KNOWN.contains(&field.as_str()) || field.starts_with("x-")) && !known.contains(&field) {
            known.push(field);
        }
    }
    known.len() >= 2
}

/// The field name of an RFC 5322 header line: printable ASCII except ':'
/// up to the colon.
fn header_name(line: &[u8]) -> Option<String> {
    let colon = line.iter().position(|&b| b == b':')?;
    let field = &line[..colon];
    let valid = !field.is_empty() && field.iter().all(|&b| (33..=126).contains(&b));
    valid.then(|| String::from_utf8_lossy(field).into_owned())
}

/// The encoding a text file turned out to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextEncoding {
    Utf8,
    /// Not valid UTF-8 but plausible as Windows-1252 / Latin-1, which older
    /// municipal software still writes.
    Windows1252,
}

/// Reads the whole stream in chunks and tells whether it is text. Files can be
/// hundreds of megabytes, so only one chunk is held at a time; a UTF-8
/// sequence cut at a chunk boundary is carried over to the next chunk.
fn scan_text(reader: &mut impl Read, chunk_len: usize) -> io::Result<Option<TextEncoding>> {
    let mut chunk = vec![0u8; chunk_len.max(1)];
    let mut utf8_pending: Vec<u8> = Vec::with_capacity(chunk.len() + 4);
    let mut utf8_valid = true;
    let mut total: u64 = 0;
    let mut controls: u64 = 0;
    let mut undefined_in_1252: u64 = 0;

    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let bytes = &chunk[..n];
        for &b in bytes {
            match b {
                // No text editor writes NUL; it is the surest sign of binary.
                0 => return Ok(None),
                b'\t' | b'\n' | b'\x0C' | b'\r' => {}
                0x01..=0x1F | 0x7F => controls += 1,
                0x81 | 0x8D | 0x8F | 0x90 | 0x9D => undefined_in_1252 += 1,
                _ => {}
            }
        }
        total += n as u64;

        if utf8_valid {
            utf8_pending.extend_from_slice(bytes);
            match std::str::from_utf8(&utf8_pending) {
                Ok(_) => utf8_pending.clear(),
                // Only an incomplete sequence at the very end: keep it.
                Err(e) if e.error_len().is_none() => {
                    utf8_pending.drain(..e.valid_up_to());
                }
                Err(_) => {
                    utf8_valid = false;
                    utf8_pending = Vec::new();
                }
            }
        }
    }
    if !utf8_pending.is_empty() {
        utf8_valid = false;
    }

    let (encoding, suspicious) = if utf8_valid {
        (TextEncoding::Utf8, controls)
    } else {
        (TextEncoding::Windows1252, controls + undefined_in_1252)
    };
    // Old files contain the odd escape sequence or a DOS end-of-file mark;
    // binary data has control bytes everywhere.
    let few = suspicious <= 2 || suspicious.saturating_mul(1000) <= total;
    Ok(few.then_some(encoding))
}

/// Problems found in a ZIP container, turned into a [`FileTypeError`] with
/// the file name by the caller.
enum ZipFault {
    TooManyEntries,
    TooLarge,
    UnsafePath,
    Encrypted,
    Damaged,
    Io(io::Error),
}

impl From<ZipError> for ZipFault {
    fn from(err: ZipError) -> Self {
        match err {
            ZipError::Io(e) if e.kind() != io::ErrorKind::UnexpectedEof => ZipFault::Io(e),
            _ => ZipFault::Damaged,
        }
    }
}

fn inspect_zip(
    file: &mut File,
    len: u64,
    name: &str,
    limits: &ZipLimits,
) -> Result<FileKind, FileTypeError> {
    let name = name.to_string();
    match check_zip(file, len, limits) {
        Ok(entries) => classify_zip(&entries, &name),
        Err(fault) => Err(match fault {
            ZipFault::TooManyEntries => FileTypeError::ZipTooManyEntries {
                name,
                limit: limits.max_entries,
            },
            ZipFault::TooLarge => FileTypeError::ZipTooLarge { name },
            ZipFault::UnsafePath => FileTypeError::ZipUnsafePath { name },
            ZipFault::Encrypted => FileTypeError::ZipEncrypted { name },
            ZipFault::Damaged => FileTypeError::ZipDamaged { name },
            ZipFault::Io(source) => FileTypeError::Unreadable { source },
        }),
    }
}

/// What classification needs to know about the entries of a checked archive.
struct ZipEntries {
    has_content_types: bool,
    word: bool,
    excel: bool,
    powerpoint: bool,
    macros: bool,
    /// The content of a STORED first entry named "mimetype" (ODF).
    odf_mimetype: Option<Vec<u8>>,
}

/// Checks the central directory against `limits` and collects what
/// classification needs. Reads only the central directory, local headers
/// and the few stored bytes of an ODF "mimetype" entry; nothing is unpacked.
fn check_zip(file: &mut File, len: u64, limits: &ZipLimits) -> Result<ZipEntries, ZipFault> {
    check_end_of_central_directory(file, len, limits)?;

    file.seek(SeekFrom::Start(0)).map_err(ZipFault::Io)?;
    let mut archive = ZipArchive::new(BufReader::new(&mut *file))?;
    if archive.len() > limits.max_entries {
        return Err(ZipFault::TooManyEntries);
    }
    // Two entries with the same name are read differently by different
    // programs; a checker and a viewer could see different documents.
    if archive.has_duplicate_names() {
        return Err(ZipFault::Damaged);
    }

    let mut entries = ZipEntries {
        has_content_types: false,
        word: false,
        excel: false,
        powerpoint: false,
        macros: false,
        odf_mimetype: None,
    };
    let mut total_uncompressed: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index_data(index)?;
        // The decoded name may come from a Unicode extra field and differ
        // from the raw one; an extracting program may use either.
        let decoded = entry.name().map_err(|_| ZipFault::Damaged)?;
        if is_unsafe_entry_name(entry.name_raw())
            || is_unsafe_entry_name(decoded.as_bytes())
            || entry.is_symlink()
        {
            return Err(ZipFault::UnsafePath);
        }
        if entry.encrypted() {
            return Err(ZipFault::Encrypted);
        }
        let size = entry.size();
        if size > RATIO_GRACE_BYTES
            && size > entry.compressed_size().saturating_mul(limits.max_ratio)
        {
            return Err(ZipFault::TooLarge);
        }
        total_uncompressed = total_uncompressed.saturating_add(size);

        let raw = entry.name_raw();
        entries.has_content_types |= raw.eq_ignore_ascii_case(b"[Content_Types].xml");
        entries.word |= raw.eq_ignore_ascii_case(b"word/document.xml");
        entries.excel |= raw.eq_ignore_ascii_case(b"xl/workbook.xml");
        entries.powerpoint |= raw.eq_ignore_ascii_case(b"ppt/presentation.xml");
        // The usual home of VBA macros in DOCM/XLSM/PPTM; renaming such a
        // file to .docx keeps the macros inside.
        entries.macros |=
            raw.len() >= 14 && raw[raw.len() - 14..].eq_ignore_ascii_case(b"vbaproject.bin");
    }
    // Compared with the file's real length rather than the sum of the
    // declared compressed sizes: bombs with overlapping entries count the
    // same compressed bytes many times.
    if total_uncompressed > limits.max_total_uncompressed
        || (total_uncompressed > RATIO_GRACE_BYTES
            && total_uncompressed > len.saturating_mul(limits.max_ratio))
    {
        return Err(ZipFault::TooLarge);
    }
    if archive.has_overlapping_files()? {
        return Err(ZipFault::TooLarge);
    }

    entries.odf_mimetype = read_odf_mimetype(&mut archive)?;
    Ok(entries)
}

/// ODF requires a first entry "mimetype", STORED, whose bytes name the
/// document type; reading it needs no decompression.
fn read_odf_mimetype<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
) -> Result<Option<Vec<u8>>, ZipFault> {
    const MAX_MIMETYPE_LEN: u64 = 128;
    if archive.is_empty() {
        return Ok(None);
    }
    let first = archive.by_index_data(0)?;
    let is_mimetype = first.name_raw() == b"mimetype"
        && first.compression() == CompressionMethod::Stored
        && first.size() <= MAX_MIMETYPE_LEN
        && first.compressed_size() == first.size();
    if !is_mimetype {
        return Ok(None);
    }
    let mut content = Vec::new();
    archive
        .by_index_raw(0)?
        .take(MAX_MIMETYPE_LEN)
        .read_to_end(&mut content)
        .map_err(|e| ZipFault::from(ZipError::Io(e)))?;
    Ok(Some(content))
}

fn classify_zip(entries: &ZipEntries, name: &str) -> Result<FileKind, FileTypeError> {
    let ooxml = [
        (entries.word, FileKind::Docx),
        (entries.excel, FileKind::Xlsx),
        (entries.powerpoint, FileKind::Pptx),
    ];
    let mut ooxml_kinds = ooxml.iter().filter(|(present, _)| *present);
    let ooxml_kind = match (ooxml_kinds.next(), ooxml_kinds.next()) {
        (Some((_, kind)), None) if entries.has_content_types => Some(*kind),
        _ => None,
    };

    match (ooxml_kind, entries.odf_mimetype.as_deref()) {
        (Some(_), _) if entries.macros => Err(not_allowed(
            name,
            "ein Office-Dokument mit Makros; bitte speichern Sie es ohne Makros \
             (als DOCX, XLSX oder PPTX)",
        )),
        (Some(kind), None) => Ok(kind),
        (None, Some(mimetype)) => classify_odf(mimetype, name),
        _ => Err(FileTypeError::ZipUnknown {
            name: name.to_string(),
        }),
    }
}

fn classify_odf(mimetype: &[u8], name: &str) -> Result<FileKind, FileTypeError> {
    match mimetype {
        b"application/vnd.oasis.opendocument.text" => Ok(FileKind::Odt),
        b"application/vnd.oasis.opendocument.spreadsheet" => Ok(FileKind::Ods),
        b"application/vnd.oasis.opendocument.presentation" => Err(not_allowed(
            name,
            "eine OpenDocument-Präsentation (ODP); bitte speichern Sie sie als PDF \
             oder PPTX",
        )),
        b"application/vnd.oasis.opendocument.graphics" => Err(not_allowed(
            name,
            "eine OpenDocument-Zeichnung (ODG); bitte speichern Sie sie als PDF",
        )),
        b"application/epub+zip" => Err(not_allowed(name, "ein E-Book (EPUB)")),
        _ if mimetype.starts_with(b"application/vnd.oasis.opendocument.") => Err(not_allowed(
            name,
            "ein OpenDocument einer nicht zugelassenen Art (zum Beispiel eine Vorlage)",
        )),
        _ => Err(FileTypeError::ZipUnknown {
            name: name.to_string(),
        }),
    }
}

/// Entry names that could escape the target directory or confuse a program
/// that unpacks the archive.
fn is_unsafe_entry_name(raw: &[u8]) -> bool {
    let has_drive_letter = raw.len() >= 2 && raw[0].is_ascii_alphabetic() && raw[1] == b':';
    raw.is_empty()
        || raw.starts_with(b"/")
        || has_drive_letter
        || raw.iter().any(|&b| b == b'\\' || b < 0x20 || b == 0x7F)
        || raw.split(|&b| b == b'/').any(|part| part == b"..")
}

/// Looks at every end-of-central-directory record near the end of the file
/// before the zip crate parses the directory: the crate allocates per
/// declared entry, so a forged count must be refused here, not after
/// parsing. Candidates the crate would reject (comment running past the end,
/// multi-disk fields) are skipped as it skips them.
fn check_end_of_central_directory(
    file: &mut File,
    len: u64,
    limits: &ZipLimits,
) -> Result<(), ZipFault> {
    const EOCD_SIGNATURE: &[u8] = b"PK\x05\x06";
    const EOCD_LEN: usize = 22;
    // The longest comment plus slack: the crate searches a little less.
    const WINDOW: u64 = 65_536 + 1_024;

    let window = len.min(WINDOW);
    file.seek(SeekFrom::Start(len - window))
        .map_err(ZipFault::Io)?;
    let mut tail = Vec::with_capacity(usize::try_from(window).unwrap_or(0));
    file.by_ref()
        .take(window)
        .read_to_end(&mut tail)
        .map_err(ZipFault::Io)?;

    let u16_at = |at: usize| u16::from_le_bytes([tail[at], tail[at + 1]]);
    let u32_at =
        |at: usize| u32::from_le_bytes([tail[at], tail[at + 1], tail[at + 2], tail[at + 3]]);

    let mut found = false;
    for pos in (0..tail.len().saturating_sub(EOCD_LEN - 1)).rev() {
        if &tail[pos..pos + 4] != EOCD_SIGNATURE {
            continue;
        }
        let comment_len = usize::from(u16_at(pos + 20));
        if pos + EOCD_LEN + comment_len > tail.len() {
            continue;
        }
        let entries = u16_at(pos + 10);
        // ZIP64 is needed only beyond 65 534 entries or 4 GiB; no document
        // we accept gets there, and following ZIP64 records would mean
        // trusting far larger counts.
        if entries == u16::MAX {
            return Err(ZipFault::TooManyEntries);
        }
        if u32_at(pos + 12) == u32::MAX || u32_at(pos + 16) == u32::MAX {
            return Err(ZipFault::TooLarge);
        }
        let multi_disk = u16_at(pos + 4) != 0 || u16_at(pos + 6) != 0 || u16_at(pos + 8) != entries;
        if multi_disk {
            continue;
        }
        if usize::from(entries) > limits.max_entries {
            return Err(ZipFault::TooManyEntries);
        }
        found = true;
    }
    if found {
        Ok(())
    } else {
        Err(ZipFault::Damaged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;
    use zip::ZipWriter;

    fn temp_file(content: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(content).expect("write temp file");
        file.flush().expect("flush temp file");
        file
    }

    fn check(content: &[u8], name: &str) -> Result<FileKind, FileTypeError> {
        let file = temp_file(content);
        inspect(file.path(), name, &ZipLimits::default())
    }

    fn check_with(
        content: &[u8],
        name: &str,
        limits: &ZipLimits,
    ) -> Result<FileKind, FileTypeError> {
        let file = temp_file(content);
        inspect(file.path(), name, limits)
    }

    /// A ZIP with STORED entries, written by the zip crate.
    fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        for (name, content) in entries {
            writer.start_file(*name, options).expect("start entry");
            writer.write_all(content).expect("write entry");
        }
        writer.finish().expect("finish zip").into_inner()
    }

    fn docx() -> Vec<u8> {
        stored_zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<w:document/>"),
        ])
    }

    /// One entry of a hand-made ZIP: the zip crate cannot write deflated
    /// entries here, and a bomb needs declared sizes no writer would produce.
    struct RawEntry<'a> {
        name: &'a [u8],
        method: u16,
        flags: u16,
        data: &'a [u8],
        declared_size: u64,
    }

    impl<'a> RawEntry<'a> {
        fn stored(name: &'a [u8], data: &'a [u8]) -> Self {
            RawEntry {
                name,
                method: 0,
                flags: 0,
                data,
                declared_size: data.len() as u64,
            }
        }

        fn deflated(name: &'a [u8], data: &'a [u8], declared_size: u64) -> Self {
            RawEntry {
                name,
                method: 8,
                flags: 0,
                data,
                declared_size,
            }
        }
    }

    /// Local headers, data, central directory and end record; sizes above
    /// 4 GiB go into a ZIP64 extra field of the central directory entry.
    fn raw_zip(entries: &[RawEntry<'_>]) -> Vec<u8> {
        fn u16le(out: &mut Vec<u8>, v: u16) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        fn u32le(out: &mut Vec<u8>, v: u32) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let mut out = Vec::new();
        let mut offsets = Vec::new();
        for entry in entries {
            offsets.push(out.len() as u32);
            let zip64 = entry.declared_size >= u64::from(u32::MAX);
            out.extend_from_slice(b"PK\x03\x04");
            u16le(&mut out, if zip64 { 45 } else { 20 });
            u16le(&mut out, entry.flags);
            u16le(&mut out, entry.method);
            u32le(&mut out, 0); // time and date
            u32le(&mut out, 0); // crc
            if zip64 {
                u32le(&mut out, u32::MAX);
                u32le(&mut out, u32::MAX);
            } else {
                u32le(&mut out, entry.data.len() as u32);
                u32le(&mut out, entry.declared_size as u32);
            }
            u16le(&mut out, entry.name.len() as u16);
            u16le(&mut out, if zip64 { 20 } else { 0 });
            out.extend_from_slice(entry.name);
            if zip64 {
                u16le(&mut out, 1);
                u16le(&mut out, 16);
                out.extend_from_slice(&entry.declared_size.to_le_bytes());
                out.extend_from_slice(&(entry.data.len() as u64).to_le_bytes());
            }
            out.extend_from_slice(entry.data);
        }
        let cd_start = out.len() as u32;
        for (entry, offset) in entries.iter().zip(&offsets) {
            let zip64 = entry.declared_size >= u64::from(u32::MAX);
            out.extend_from_slice(b"PK\x01\x02");
            u16le(&mut out, 20); // made by
            u16le(&mut out, if zip64 { 45 } else { 20 });
            u16le(&mut out, entry.flags);
            u16le(&mut out, entry.method);
            u32le(&mut out, 0);
            u32le(&mut out, 0);
            if zip64 {
                u32le(&mut out, u32::MAX);
                u32le(&mut out, u32::MAX);
            } else {
                u32le(&mut out, entry.data.len() as u32);
                u32le(&mut out, entry.declared_size as u32);
            }
            u16le(&mut out, entry.name.len() as u16);
            u16le(&mut out, if zip64 { 20 } else { 0 });
            u16le(&mut out, 0); // comment
            u16le(&mut out, 0); // disk
            u16le(&mut out, 0); // internal attributes
            u32le(&mut out, 0); // external attributes
            u32le(&mut out, *offset);
            out.extend_from_slice(entry.name);
            if zip64 {
                u16le(&mut out, 1);
                u16le(&mut out, 16);
                out.extend_from_slice(&entry.declared_size.to_le_bytes());
                out.extend_from_slice(&(entry.data.len() as u64).to_le_bytes());
            }
        }
        let cd_len = out.len() as u32 - cd_start;
        out.extend_from_slice(b"PK\x05\x06");
        u16le(&mut out, 0);
        u16le(&mut out, 0);
        u16le(&mut out, entries.len() as u16);
        u16le(&mut out, entries.len() as u16);
        u32le(&mut out, cd_len);
        u32le(&mut out, cd_start);
        u16le(&mut out, 0);
        out
    }

    // ---- allowed kinds -------------------------------------------------

    #[test]
    fn detects_pdf() {
        let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
        assert_eq!(check(pdf, "Bescheid.pdf").expect("pdf"), FileKind::Pdf);
    }

    #[test]
    fn detects_pdf_after_leading_junk() {
        let mut pdf = vec![0u8; 300];
        pdf.extend_from_slice(b"%PDF-1.4\n%%EOF\n");
        assert_eq!(check(&pdf, "scan.pdf").expect("pdf"), FileKind::Pdf);
        assert_eq!(check(&pdf, "scan").expect("pdf"), FileKind::Pdf);
    }

    #[test]
    fn pdf_header_far_behind_junk_is_not_pdf() {
        let mut data = vec![0u8; 2000];
        data.extend_from_slice(b"%PDF-1.4\n");
        assert!(matches!(
            check(&data, "scan.pdf"),
            Err(FileTypeError::NotAllowed { found: None, .. })
        ));
    }

    #[test]
    fn text_mentioning_pdf_header_stays_text() {
        let text = b"Hinweis: Dateien beginnen mit %PDF-1.7 im Kopf.\n";
        assert_eq!(check(text, "notiz.txt").expect("txt"), FileKind::Txt);
    }

    #[test]
    fn detects_png_jpeg_tiff() {
        assert_eq!(
            check(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "a.png").expect("png"),
            FileKind::Png
        );
        assert_eq!(
            check(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0", "a.JPG").expect("jpeg"),
            FileKind::Jpeg
        );
        assert_eq!(
            check(b"\xFF\xD8\xFF\xE1\0\x10Exif", "a.jpeg").expect("jpeg"),
            FileKind::Jpeg
        );
        assert_eq!(
            check(b"II*\0\x08\0\0\0", "a.tif").expect("tiff"),
            FileKind::Tiff
        );
        assert_eq!(
            check(b"MM\0*\0\0\0\x08", "a.tiff").expect("tiff"),
            FileKind::Tiff
        );
    }

    #[test]
    fn detects_docx_xlsx_pptx() {
        assert_eq!(check(&docx(), "Antrag.docx").expect("docx"), FileKind::Docx);
        let xlsx = stored_zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
        ]);
        assert_eq!(check(&xlsx, "Haushalt.xlsx").expect("xlsx"), FileKind::Xlsx);
        let pptx = stored_zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("ppt/presentation.xml", b"<p:presentation/>"),
        ]);
        assert_eq!(check(&pptx, "Vortrag.pptx").expect("pptx"), FileKind::Pptx);
    }

    #[test]
    fn accepts_office_file_with_realistic_compression() {
        // 20:1 on 40 MiB of XML, like a big spreadsheet.
        let packed = vec![0x55u8; 2 * 1024 * 1024];
        let zip = raw_zip(&[
            RawEntry::stored(b"[Content_Types].xml", b"<Types/>"),
            RawEntry::deflated(b"xl/workbook.xml", b"\x03\0", 2),
            RawEntry::deflated(b"xl/worksheets/sheet1.xml", &packed, 40 * 1024 * 1024),
        ]);
        assert_eq!(check(&zip, "Export.xlsx").expect("xlsx"), FileKind::Xlsx);
    }

    #[test]
    fn detects_odt_and_ods_from_stored_mimetype() {
        let odt = stored_zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
            ("META-INF/manifest.xml", b"<manifest/>"),
        ]);
        assert_eq!(check(&odt, "Brief.odt").expect("odt"), FileKind::Odt);
        let ods = stored_zip(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", b"<office:document-content/>"),
        ]);
        assert_eq!(check(&ods, "Liste.ods").expect("ods"), FileKind::Ods);
    }

    #[test]
    fn odf_mimetype_must_be_first_entry() {
        let odt = stored_zip(&[
            ("content.xml", b"<office:document-content/>"),
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ]);
        assert!(matches!(
            check(&odt, "Brief.odt"),
            Err(FileTypeError::ZipUnknown { .. })
        ));
    }

    #[test]
    fn odp_is_refused_with_explanation() {
        let odp = stored_zip(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.presentation",
            ),
            ("content.xml", b"<x/>"),
        ]);
        let err = check(&odp, "Folien.odp").expect_err("odp refused");
        assert!(
            err.to_string().contains("OpenDocument-Präsentation"),
            "{err}"
        );
    }

    #[test]
    fn detects_utf8_text_and_csv() {
        let text = "Sehr geehrte Frau Müller,\r\nanbei der Bescheid.\r\n".as_bytes();
        assert_eq!(check(text, "Notiz.txt").expect("txt"), FileKind::Txt);
        assert_eq!(check(text, "Notiz").expect("txt"), FileKind::Txt);
        let csv = "Name;Straße;Betrag\nMüller;Hauptstr. 1;12,50\n".as_bytes();
        assert_eq!(check(csv, "Liste.CSV").expect("csv"), FileKind::Csv);
        let with_bom = b"\xEF\xBB\xBFName;Ort\nA;B\n";
        assert_eq!(check(with_bom, "bom.csv").expect("csv"), FileKind::Csv);
    }

    #[test]
    fn windows_1252_text_with_umlauts_is_text() {
        // "Gebühren für Straßenreinigung – 5 €" in Windows-1252.
        let text = b"Geb\xFChren f\xFCr Stra\xDFenreinigung \x96 5 \x80\r\n";
        assert_eq!(check(text, "gebuehren.txt").expect("txt"), FileKind::Txt);
        let mut reader = &text[..];
        assert_eq!(
            scan_text(&mut reader, 8).expect("scan"),
            Some(TextEncoding::Windows1252)
        );
    }

    #[test]
    fn utf8_sequence_split_across_chunks_is_still_utf8() {
        // "Á" is C3 81; read as Windows-1252 the 0x81 bytes are undefined,
        // so the file would be refused if the split sequences were not
        // joined again.
        let text = "xÁÁÁÁÁÁ".as_bytes();
        for chunk_len in 1..=5 {
            let mut reader = text;
            assert_eq!(
                scan_text(&mut reader, chunk_len).expect("scan"),
                Some(TextEncoding::Utf8),
                "chunk length {chunk_len}"
            );
        }
        let file = temp_file(text);
        let kind = inspect_with_chunk_len(file.path(), "a.txt", &ZipLimits::default(), 2)
            .expect("text accepted");
        assert_eq!(kind, FileKind::Txt);
    }

    #[test]
    fn truncated_utf8_at_end_is_not_utf8() {
        let mut reader = &b"abc\xC3"[..];
        assert_eq!(
            scan_text(&mut reader, 2).expect("scan"),
            Some(TextEncoding::Windows1252)
        );
    }

    #[test]
    fn text_is_checked_to_the_end() {
        let mut data = "Harmloser Anfang\n".repeat(10_000).into_bytes();
        data.extend_from_slice(b"\0\0\0binary");
        assert!(data.len() > HEAD_LEN);
        assert!(matches!(
            check(&data, "a.txt"),
            Err(FileTypeError::NotAllowed { found: None, .. })
        ));
    }

    #[test]
    fn binary_without_nul_is_not_text() {
        let data: Vec<u8> = (1..=255u8).cycle().take(4096).collect();
        assert!(matches!(
            check(&data, "a.txt"),
            Err(FileTypeError::NotAllowed { .. })
        ));
    }

    const MAIL: &str = "Return-Path: <buerger@example.org>\r\n\
        Received: from mail.example.org by mx.gemeinde.de\r\n\
        \tfor <poststelle@gemeinde.de>; Tue, 3 Nov 2026 09:12:00 +0100\r\n\
        From: =?utf-8?q?J=C3=BCrgen?= <buerger@example.org>\r\n\
        To: poststelle@gemeinde.de\r\n\
        Subject: Antrag auf Akteneinsicht\r\n\
        Date: Tue, 3 Nov 2026 09:11:58 +0100\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\
        \r\n\
        Sehr geehrte Damen und Herren,\r\n";

    #[test]
    fn detects_eml() {
        assert_eq!(
            check(MAIL.as_bytes(), "Antrag.eml").expect("eml"),
            FileKind::Eml
        );
        // Without an extension the headers decide.
        assert_eq!(
            check(MAIL.as_bytes(), "Antrag").expect("eml"),
            FileKind::Eml
        );
        // Named .txt it is simply text.
        assert_eq!(
            check(MAIL.as_bytes(), "Antrag.txt").expect("txt"),
            FileKind::Txt
        );
    }

    #[test]
    fn eml_with_mbox_separator_line() {
        let mail = format!("From buerger@example.org Tue Nov  3 09:11:58 2026\n{MAIL}");
        assert_eq!(check(mail.as_bytes(), "a.eml").expect("eml"), FileKind::Eml);
    }

    #[test]
    fn text_named_eml_that_is_no_mail_is_refused() {
        let err = check(b"Einkaufsliste\nMilch\nBrot\n", "liste.eml").expect_err("no mail");
        assert!(matches!(err, FileTypeError::NotEmail { .. }));
        assert!(err
            .to_string()
            .contains("sieht aber nicht wie eine E-Mail aus"));
        // One header alone is not enough.
        let err = check(b"Subject: Hallo\n\nText\n", "a.eml").expect_err("one header");
        assert!(matches!(err, FileTypeError::NotEmail { .. }));
        // Headers must come first.
        let late = format!("Vorwort\n{MAIL}");
        assert!(matches!(
            check(late.as_bytes(), "a.eml"),
            Err(FileTypeError::NotEmail { .. })
        ));
    }

    // ---- refused types and lying extensions ------------------------------

    #[test]
    fn empty_file_is_refused() {
        let err = check(b"", "leer.pdf").expect_err("empty");
        assert!(matches!(err, FileTypeError::Empty { .. }));
        assert!(err.to_string().contains("„leer.pdf“ ist leer"));
    }

    #[test]
    fn png_named_pdf_is_refused() {
        let err = check(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "rechnung.pdf").expect_err("mismatch");
        let FileTypeError::ExtensionMismatch {
            ref extension,
            ref kind_label,
            ref expected,
            ..
        } = err
        else {
            panic!("expected mismatch, got {err:?}");
        };
        assert_eq!(extension, "pdf");
        assert_eq!(kind_label, "Bild (PNG)");
        assert_eq!(expected, "„.png“");
        let message = err.to_string();
        assert!(message.contains("„rechnung.pdf“"), "{message}");
        assert!(message.contains("Bild (PNG)"), "{message}");
    }

    #[test]
    fn mismatch_lists_all_fitting_extensions() {
        let err = check(b"\xFF\xD8\xFF\xE0", "foto.png").expect_err("mismatch");
        assert!(
            err.to_string().contains("„.jpg“, „.jpeg“ oder „.jpe“"),
            "{err}"
        );
    }

    #[test]
    fn docx_named_xlsx_is_refused() {
        assert!(matches!(
            check(&docx(), "Tabelle.xlsx"),
            Err(FileTypeError::ExtensionMismatch { .. })
        ));
    }

    #[test]
    fn text_named_pdf_or_exe_is_refused() {
        assert!(matches!(
            check(b"nur Text\n", "rechnung.pdf"),
            Err(FileTypeError::ExtensionMismatch { .. })
        ));
        assert!(matches!(
            check(b"nur Text\n", "programm.exe"),
            Err(FileTypeError::ExtensionMismatch { .. })
        ));
    }

    #[test]
    fn hidden_real_extension_is_seen_through_rlo() {
        // Displayed as "rechnungexe.pdf" by many file managers.
        assert!(matches!(
            check(b"%PDF-1.7\n", "rechnung\u{202E}fdp.exe"),
            Err(FileTypeError::ExtensionMismatch { ref extension, .. }) if extension == "exe"
        ));
    }

    #[test]
    fn missing_extension_is_fine() {
        assert_eq!(
            check(b"%PDF-1.7\n", "Scan vom 3.11").expect("pdf"),
            FileKind::Pdf
        );
    }

    #[test]
    fn html_named_txt_is_refused() {
        for html in [
            &b"<!DOCTYPE html><html><script>alert(1)</script>"[..],
            b"\xEF\xBB\xBF  \r\n<HTML>\n<body>x</body>",
            b"<script>alert(1)</script>",
            b"<!-- nur ein Kommentar -->",
        ] {
            let err = check(html, "notiz.txt").expect_err("html refused");
            assert!(
                matches!(err, FileTypeError::NotAllowed { found: Some(ref f), .. } if f.contains("HTML")),
                "{err:?}"
            );
        }
    }

    #[test]
    fn svg_and_xml_named_csv_are_refused() {
        for markup in [
            &b"<?xml version=\"1.0\"?><svg onload=\"alert(1)\"/>"[..],
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ] {
            assert!(matches!(
                check(markup, "daten.csv"),
                Err(FileTypeError::NotAllowed { found: Some(_), .. })
            ));
        }
    }

    #[test]
    fn text_starting_with_angle_bracket_but_no_tag_is_text() {
        assert_eq!(
            check(b"<Bitte ausfuellen>\nName:\n", "formular.txt").expect("txt"),
            FileKind::Txt
        );
        assert_eq!(check(b"<alt> Text\n", "a.txt").expect("txt"), FileKind::Txt);
    }

    #[test]
    fn executables_scripts_and_other_formats_are_refused() {
        let cases: &[(&[u8], &str, &str)] = &[
            (b"MZ\x90\0\x03\0\0\0", "setup.exe", "Windows-Programm"),
            (b"MZ\x90\0\x03\0\0\0", "bescheid.pdf", "Windows-Programm"),
            (b"\x7FELF\x02\x01\x01\0", "a.txt", "ausführbares Programm"),
            (b"#!/bin/sh\nrm -rf /\n", "notiz.txt", "Skript"),
            (b"GIF89a\x01\0\x01\0", "bild.gif", "GIF-Bild"),
            (b"Rar!\x1A\x07\x01\0", "a.rar", "RAR-Archiv"),
            (b"7z\xBC\xAF\x27\x1C\0\x04", "a.7z", "7-Zip-Archiv"),
            (
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0",
                "alt.doc",
                "älteres",
            ),
            (b"\0\0\0\x18ftypheic\0\0\0\0", "IMG_0001.HEIC", "HEIC-Foto"),
            (b"\xFF\xFEH\0a\0l\0l\0o\0", "utf16.txt", "UTF-16"),
            (
                b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
                "leer.zip",
                "ZIP",
            ),
        ];
        for (content, name, expected) in cases {
            let err = check(content, name).expect_err("refused");
            assert!(
                matches!(err, FileTypeError::NotAllowed { found: Some(ref f), .. } if f.contains(expected)),
                "{name}: {err:?}"
            );
            assert!(err.to_string().contains(&allowed_list()), "{err}");
        }
    }

    #[test]
    fn text_starting_with_bm_is_text() {
        assert_eq!(
            check(b"BMW Leasingvertrag\n", "vertrag.txt").expect("txt"),
            FileKind::Txt
        );
    }

    #[test]
    fn plain_zip_is_refused() {
        let zip = stored_zip(&[("Antrag.pdf", b"%PDF-1.7"), ("Foto.jpg", b"\xFF\xD8\xFF")]);
        let err = check(&zip, "Unterlagen.zip").expect_err("zip refused");
        assert!(matches!(err, FileTypeError::ZipUnknown { .. }));
        // Renaming does not help.
        assert!(matches!(
            check(&zip, "Unterlagen.docx"),
            Err(FileTypeError::ZipUnknown { .. })
        ));
    }

    #[test]
    fn ooxml_without_content_types_is_refused() {
        let zip = stored_zip(&[("word/document.xml", b"<w:document/>")]);
        assert!(matches!(
            check(&zip, "a.docx"),
            Err(FileTypeError::ZipUnknown { .. })
        ));
    }

    #[test]
    fn ambiguous_ooxml_is_refused() {
        let zip = stored_zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]);
        assert!(matches!(
            check(&zip, "a.docx"),
            Err(FileTypeError::ZipUnknown { .. })
        ));
    }

    #[test]
    fn docm_renamed_to_docx_is_refused() {
        let zip = stored_zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
            ("word/vbaProject.bin", b"\xD0\xCF\x11\xE0"),
        ]);
        let err = check(&zip, "Vorlage.docx").expect_err("macros refused");
        assert!(err.to_string().contains("Makros"), "{err}");
    }

    // ---- hostile ZIP containers -------------------------------------------

    #[test]
    fn zip_bomb_disguised_as_docx_is_refused() {
        // 10 GiB declared from 64 bytes, method Deflate: refused from the
        // central directory alone (this crate build cannot even inflate).
        let zip = raw_zip(&[
            RawEntry::stored(b"[Content_Types].xml", b"<Types/>"),
            RawEntry::deflated(b"word/document.xml", &[0u8; 64], 10 * 1024 * 1024 * 1024),
        ]);
        let err = check(&zip, "Antrag.docx").expect_err("bomb refused");
        assert!(matches!(err, FileTypeError::ZipTooLarge { .. }), "{err:?}");
        assert!(err.to_string().contains("Sicherheitsgründen"));
    }

    #[test]
    fn zip_bomb_below_total_limit_is_refused_by_ratio() {
        // 500 MiB from 64 KiB (8000:1) stays below the total limit.
        let packed = vec![0u8; 64 * 1024];
        let zip = raw_zip(&[
            RawEntry::stored(b"[Content_Types].xml", b"<Types/>"),
            RawEntry::deflated(b"word/document.xml", &packed, 500 * 1024 * 1024),
        ]);
        assert!(matches!(
            check(&zip, "Antrag.docx"),
            Err(FileTypeError::ZipTooLarge { .. })
        ));
    }

    #[test]
    fn single_entry_above_ratio_is_refused_even_if_file_as_a_whole_is_fine() {
        // 300:1 for one entry; with a 1 MiB stored image the whole file is
        // only about 150:1.
        let packed = vec![0u8; 1024 * 1024];
        let image = vec![0x42u8; 1024 * 1024];
        let zip = raw_zip(&[
            RawEntry::stored(b"[Content_Types].xml", b"<Types/>"),
            RawEntry::stored(b"word/media/image1.png", &image),
            RawEntry::deflated(b"word/document.xml", &packed, 300 * 1024 * 1024),
        ]);
        assert!(matches!(
            check(&zip, "Antrag.docx"),
            Err(FileTypeError::ZipTooLarge { .. })
        ));
        let limits = ZipLimits {
            max_ratio: 400,
            ..ZipLimits::default()
        };
        assert_eq!(
            check_with(&zip, "Antrag.docx", &limits).expect("within ratio"),
            FileKind::Docx
        );
    }

    #[test]
    fn many_small_entries_exceeding_total_ratio_are_refused() {
        // Each entry is below the per-entry grace size, together they are
        // 100 × 1 MiB from a few kilobytes.
        let names: Vec<String> = (0..100).map(|i| format!("xl/media/p{i}.xml")).collect();
        let mut entries = vec![
            RawEntry::stored(b"[Content_Types].xml", b"<Types/>"),
            RawEntry::deflated(b"xl/workbook.xml", b"\x03\0", 2),
        ];
        entries.extend(
            names
                .iter()
                .map(|name| RawEntry::deflated(name.as_bytes(), b"\x03\0", 1024 * 1024)),
        );
        assert!(matches!(
            check(&raw_zip(&entries), "a.xlsx"),
            Err(FileTypeError::ZipTooLarge { .. })
        ));
    }

    #[test]
    fn total_size_limit_is_configurable() {
        let limits = ZipLimits {
            max_total_uncompressed: 10,
            ..ZipLimits::default()
        };
        assert!(matches!(
            check_with(&docx(), "a.docx", &limits),
            Err(FileTypeError::ZipTooLarge { .. })
        ));
    }

    #[test]
    fn path_traversal_entry_is_refused() {
        for evil in [
            &b"../evil.xml"[..],
            b"word/../../evil.xml",
            b"/etc/cron.d/evil",
            b"C:/Windows/evil.dll",
            b"word\\..\\evil.xml",
            b"word/evil\0.xml",
        ] {
            let zip = raw_zip(&[
                RawEntry::stored(b"[Content_Types].xml", b"<Types/>"),
                RawEntry::stored(b"word/document.xml", b"<w:document/>"),
                RawEntry::stored(evil, b"x"),
            ]);
            assert!(
                matches!(
                    check(&zip, "Antrag.docx"),
                    Err(FileTypeError::ZipUnsafePath { .. })
                ),
                "{}",
                String::from_utf8_lossy(evil)
            );
        }
    }

    #[test]
    fn encrypted_entry_is_refused() {
        let mut encrypted = RawEntry::stored(b"word/document.xml", b"0123456789abcdef");
        encrypted.flags = 1;
        let zip = raw_zip(&[
            RawEntry::stored(b"[Content_Types].xml", b"<Types/>"),
            encrypted,
        ]);
        let err = check(&zip, "geheim.docx").expect_err("encrypted refused");
        assert!(matches!(err, FileTypeError::ZipEncrypted { .. }), "{err:?}");
        assert!(err.to_string().contains("Kennwort"));
    }

    #[test]
    fn too_many_entries_are_refused() {
        let names: Vec<String> = (0..10_001)
            .map(|i| format!("customXml/item{i}.xml"))
            .collect();
        let mut entries: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ];
        entries.extend(names.iter().map(|name| (name.as_str(), &b""[..])));
        let err = check(&stored_zip(&entries), "a.docx").expect_err("too many");
        assert!(matches!(
            err,
            FileTypeError::ZipTooManyEntries { limit: 10_000, .. }
        ));
        assert!(err.to_string().contains("mehr als 10.000"), "{err}");
    }

    #[test]
    fn entry_limit_is_configurable() {
        let limits = ZipLimits {
            max_entries: 2,
            ..ZipLimits::default()
        };
        assert!(matches!(
            check_with(&docx(), "a.docx", &limits),
            Err(FileTypeError::ZipTooManyEntries { limit: 2, .. })
        ));
        let limits = ZipLimits {
            max_entries: 3,
            ..ZipLimits::default()
        };
        assert_eq!(
            check_with(&docx(), "a.docx", &limits).expect("exactly at limit"),
            FileKind::Docx
        );
    }

    #[test]
    fn forged_entry_count_in_end_record_is_refused_before_parsing() {
        let mut zip = docx();
        let eocd = zip.len() - 22;
        assert_eq!(&zip[eocd..eocd + 4], b"PK\x05\x06");
        zip[eocd + 8..eocd + 12].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
        assert!(matches!(
            check(&zip, "a.docx"),
            Err(FileTypeError::ZipTooManyEntries { .. })
        ));
        let mut zip = docx();
        zip[eocd + 8..eocd + 12].copy_from_slice(&[0x10, 0x27, 0x11, 0x27]);
        let limits = ZipLimits {
            max_entries: 20_000,
            ..ZipLimits::default()
        };
        // On-disk and total count differ: the crate rejects it as multi-disk.
        assert!(matches!(
            check_with(&zip, "a.docx", &limits),
            Err(FileTypeError::ZipDamaged { .. })
        ));
    }

    #[test]
    fn duplicate_entry_names_are_refused() {
        let zip = raw_zip(&[
            RawEntry::stored(b"[Content_Types].xml", b"<Types/>"),
            RawEntry::stored(b"word/document.xml", b"<w:document/>"),
            RawEntry::stored(b"word/document.xml", b"<w:document>anders</w:document>"),
        ]);
        assert!(matches!(
            check(&zip, "a.docx"),
            Err(FileTypeError::ZipDamaged { .. })
        ));
    }

    #[test]
    fn truncated_zip_is_damaged() {
        let zip = docx();
        assert!(matches!(
            check(&zip[..zip.len() - 30], "a.docx"),
            Err(FileTypeError::ZipDamaged { .. })
        ));
    }

    // ---- FileKind ---------------------------------------------------------

    #[test]
    fn kind_keys_round_trip() {
        for kind in FileKind::ALL {
            assert_eq!(FileKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).expect("serialize");
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            let back: FileKind = serde_json::from_str(&json).expect("deserialize");
            assert_eq!(back, kind);
            assert_eq!(FileKind::from_extension(kind.extensions()[0]), Some(kind));
        }
        assert_eq!(FileKind::parse("exe"), None);
        assert_eq!(FileKind::from_extension("jpe"), Some(FileKind::Jpeg));
    }

    #[test]
    fn preview_and_image_flags() {
        assert!(FileKind::Pdf.is_inline_previewable());
        assert!(FileKind::Png.is_inline_previewable());
        assert!(FileKind::Jpeg.is_inline_previewable());
        assert!(!FileKind::Tiff.is_inline_previewable());
        assert!(!FileKind::Docx.is_inline_previewable());
        assert!(FileKind::Tiff.is_image());
        assert!(!FileKind::Pdf.is_image());
        assert_eq!(FileKind::Eml.mime(), "message/rfc822");
        assert_eq!(FileKind::Csv.mime(), "text/csv");
    }

    #[test]
    fn messages_are_german_and_leak_no_paths() {
        let err = FileTypeError::Unreadable {
            source: io::Error::new(io::ErrorKind::NotFound, "/var/lib/aktenwerk/tmp/x"),
        };
        let message = err.to_string();
        assert!(!message.contains("/var"), "{message}");
        assert!(message.contains("konnte nicht gelesen werden"));
        assert_eq!(german_number(10_000), "10.000");
        assert_eq!(german_number(999), "999");
        assert_eq!(german_number(1_234_567), "1.234.567");
    }
}
