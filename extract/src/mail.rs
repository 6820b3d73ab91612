//! E-mail facts, read alike from RFC 5322 messages (`.eml`) and Outlook
//! messages (`.msg`): the searchable text of both kinds, and what the server
//! needs to file a message and split its attachments into documents.
//!
//! Outlook writes a `.msg` as a Compound File Binary container of MAPI
//! properties (MS-OXMSG): each variable-size property is a stream
//! `__substg1.0_PPPPTTTT` (property id and type in hex), the fixed-size ones
//! (dates, flags) are 16-byte entries of a `__properties_version1.0` stream,
//! and each attachment is a storage `__attach_version1.0_#NNNNNNNN` laid out
//! the same way.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

use cfb::CompoundFile;
use mail_parser::{Address, DateTime, Message, MessageParser, MessagePart, MimeHeaders, PartType};

use crate::html::html_to_text;
use crate::plain::windows_1252;
use crate::{text_result, ExtractError, Extracted, Limits};

/// A mail larger than this is refused rather than parsed in memory.
const MAX_MAIL_BYTES: u64 = 100 * 1024 * 1024;

/// The subject of a message that has none.
pub const NO_SUBJECT: &str = "(ohne Betreff)";

/// What Aktenwerk reads from one message.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MailFacts {
    /// The subject on one line, or [`NO_SUBJECT`].
    pub subject: String,
    /// „Name <adresse@example.de>“, the address alone, the name alone, or
    /// empty.
    pub sender: String,
    /// The recipients as the message lists them (EML: „Name <adresse>“
    /// joined by „, “; MSG: Outlook's display list, joined by „; “).
    pub to: String,
    /// The copy recipients, in the same form as `to`.
    pub cc: String,
    /// When it was sent (Unix seconds), if the date is readable.
    pub sent_at: Option<i64>,
    /// The body as plain text; an HTML-only body is converted.
    pub body: String,
    /// The attachments that are files, in order. Pictures embedded in an
    /// HTML body and hidden attachments are not among them.
    pub attachments: Vec<Attachment>,
    /// Names of attachments that cannot be stored as a file of their own
    /// (in a `.msg`: embedded Outlook messages, OLE objects, links).
    pub skipped: Vec<String>,
}

/// One attachment. `file_name` is the sender's name for it on one line;
/// the server still has to make it safe as a file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content: Vec<u8>,
}

/// Why a `.msg` could not be read. `Display` is a German sentence.
#[derive(Debug, thiserror::Error)]
pub enum MsgError {
    #[error("Die Datei ist keine Outlook-Nachricht (kein Verbunddokument).")]
    NotCompoundFile,
    #[error("Die Datei ist ein Verbunddokument, aber keine Outlook-Nachricht.")]
    NotOutlookMessage,
    #[error("Die Outlook-Nachricht ist größer als {mib} MiB.")]
    TooLarge { mib: u64 },
    #[error("Die Outlook-Nachricht ist beschädigt: {0}")]
    Damaged(String),
}

// ---------------------------------------------------------------- text --

/// Kind::Eml: the message's facts as searchable text.
pub(crate) fn eml(path: &Path, limits: &Limits) -> Result<Extracted, ExtractError> {
    let raw = read_capped(path, limits)?;
    let facts = parse_eml(&raw)
        .ok_or_else(|| ExtractError::Malformed("Die E-Mail ist nicht lesbar.".to_owned()))?;
    Ok(text_result(layout(&facts), 1))
}

/// Kind::Msg: the same text as for an EML.
pub(crate) fn msg(path: &Path, limits: &Limits) -> Result<Extracted, ExtractError> {
    let raw = read_capped(path, limits)?;
    let facts = read_msg_within(&raw, cap(limits)).map_err(|e| match e {
        MsgError::TooLarge { .. } => ExtractError::TooLarge(e.to_string()),
        _ => ExtractError::Malformed(e.to_string()),
    })?;
    Ok(text_result(layout(&facts), 1))
}

fn cap(limits: &Limits) -> u64 {
    MAX_MAIL_BYTES.min(limits.max_unpacked_bytes)
}

fn read_capped(path: &Path, limits: &Limits) -> Result<Vec<u8>, ExtractError> {
    let max = cap(limits);
    let mut raw = Vec::new();
    File::open(path)?.take(max + 1).read_to_end(&mut raw)?;
    if raw.len() as u64 > max {
        return Err(ExtractError::TooLarge(format!(
            "E-Mails über {} MiB werden nicht durchsucht.",
            max / (1024 * 1024)
        )));
    }
    Ok(raw)
}

/// Header lines, a blank line, the body, then the attachments' names (the
/// skipped ones too: a clerk searches for them just the same).
fn layout(facts: &MailFacts) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        if !value.trim().is_empty() {
            out.push_str(label);
            out.push_str(": ");
            out.push_str(value.trim());
            out.push('\n');
        }
    };
    line("Von", &facts.sender);
    line("An", &facts.to);
    line("Cc", &facts.cc);
    if facts.subject != NO_SUBJECT {
        line("Betreff", &facts.subject);
    }
    if let Some(at) = facts.sent_at {
        line("Datum", &DateTime::from_timestamp(at).to_rfc3339());
    }
    out.push('\n');
    out.push_str(&facts.body);
    let names: Vec<&str> = facts
        .attachments
        .iter()
        .map(|a| a.file_name.as_str())
        .chain(facts.skipped.iter().map(String::as_str))
        .collect();
    if !names.is_empty() {
        out.push_str("\n\nAnhänge: ");
        out.push_str(&names.join(", "));
        out.push('\n');
    }
    out
}

// ----------------------------------------------------------------- EML --

/// The facts of an RFC 5322 message. Lenient: a message whose MIME
/// structure is broken still yields what can be read, and one that is not
/// a message at all yields [`NO_SUBJECT`] and nothing else.
pub fn read_eml(raw: &[u8]) -> MailFacts {
    parse_eml(raw).unwrap_or_else(|| MailFacts {
        subject: NO_SUBJECT.to_owned(),
        ..MailFacts::default()
    })
}

/// `None` only when mail-parser finds no header at all.
fn parse_eml(raw: &[u8]) -> Option<MailFacts> {
    let msg = MessageParser::default().parse(raw)?;
    let (attachments, skipped) = eml_attachments(&msg);
    Some(MailFacts {
        subject: subject_or_default(msg.subject()),
        sender: msg
            .from()
            .and_then(Address::first)
            .map(|a| sender_text(a.name(), a.address()))
            .unwrap_or_default(),
        to: msg.to().map(addresses).unwrap_or_default(),
        cc: msg.cc().map(addresses).unwrap_or_default(),
        sent_at: msg
            .date()
            .filter(|d| d.is_valid())
            .map(DateTime::to_timestamp),
        body: eml_body(&msg),
        attachments,
        skipped,
    })
}

fn eml_body(msg: &Message<'_>) -> String {
    // mail-parser lists an HTML part among the text bodies when there is
    // no plain one; convert it ourselves so scripts and styles stay out.
    let parts: Vec<String> = msg
        .text_bodies()
        .filter_map(|part| match &part.body {
            PartType::Text(t) => Some(t.to_string()),
            PartType::Html(h) => Some(html_to_text(h)),
            _ => None,
        })
        .collect();
    without_cr(&parts.join("\n"))
}

fn eml_attachments(msg: &Message<'_>) -> (Vec<Attachment>, Vec<String>) {
    let attachments = msg
        .attachments()
        // Pictures embedded in an HTML body (a letterhead's logo) are
        // part of the text, not documents of their own.
        .filter(|part| !(part.content_id().is_some() && is_inline(part)))
        .enumerate()
        .map(|(n, part)| Attachment {
            file_name: eml_attachment_name(part, n),
            content: part.contents().to_vec(),
        })
        .collect();
    (attachments, Vec::new())
}

fn eml_attachment_name(part: &MessagePart<'_>, n: usize) -> String {
    part.attachment_name()
        .map(one_line)
        .filter(|name| !name.is_empty())
        .or_else(|| {
            part.message()
                .and_then(Message::subject)
                .map(one_line)
                .filter(|s| !s.is_empty())
                .map(|s| format!("{s}.eml"))
        })
        .unwrap_or_else(|| unnamed(n))
}

fn is_inline(part: &MessagePart<'_>) -> bool {
    part.content_disposition()
        .is_none_or(|disposition| disposition.is_inline())
}

fn addresses(a: &Address<'_>) -> String {
    a.iter()
        .map(|addr| sender_text(addr.name(), addr.address()))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

// ----------------------------------------------------------------- MSG --

/// The magic number of every Compound File Binary container.
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const PROPERTIES: &str = "__properties_version1.0";
const SUBSTG: &str = "__substg1.0_";
const ATTACH: &str = "__attach_version1.0_#";

/// Header sizes of a `__properties_version1.0` stream before its entries.
const ROOT_HEADER: usize = 32;
const ATTACH_HEADER: usize = 8;

// Property types.
const PT_UNICODE: u16 = 0x001F;
const PT_STRING8: u16 = 0x001E;
const PT_BINARY: u16 = 0x0102;
const PT_BOOLEAN: u16 = 0x000B;
const PT_SYSTIME: u16 = 0x0040;

// Property ids.
const PR_SUBJECT: u16 = 0x0037;
const PR_CLIENT_SUBMIT_TIME: u16 = 0x0039;
const PR_TRANSPORT_HEADERS: u16 = 0x007D;
const PR_SENDER_NAME: u16 = 0x0C1A;
const PR_SENDER_EMAIL_ADDRESS: u16 = 0x0C1F;
const PR_DISPLAY_CC: u16 = 0x0E03;
const PR_DISPLAY_TO: u16 = 0x0E04;
const PR_MESSAGE_DELIVERY_TIME: u16 = 0x0E06;
const PR_BODY: u16 = 0x1000;
const PR_HTML: u16 = 0x1013;
const PR_DISPLAY_NAME: u16 = 0x3001;
const PR_ATTACH_DATA: u16 = 0x3701;
const PR_ATTACH_FILENAME: u16 = 0x3704;
const PR_ATTACH_LONG_FILENAME: u16 = 0x3707;
const PR_ATTACH_CONTENT_ID: u16 = 0x3712;
const PR_SENDER_SMTP_ADDRESS: u16 = 0x5D01;
const PR_ATTACHMENT_HIDDEN: u16 = 0x7FFE;

type Cfb<'a> = CompoundFile<Cursor<&'a [u8]>>;

/// Whether `raw` is an Outlook message: a compound file with the message
/// property streams. A Word `.doc` or Excel `.xls` (compound files too)
/// renamed to `.msg` is not.
pub fn looks_like_msg(raw: &[u8]) -> bool {
    open_msg(raw).is_ok()
}

/// The facts of an Outlook message. Messages over 100 MiB are refused.
pub fn read_msg(raw: &[u8]) -> Result<MailFacts, MsgError> {
    read_msg_within(raw, MAX_MAIL_BYTES)
}

fn read_msg_within(raw: &[u8], max_bytes: u64) -> Result<MailFacts, MsgError> {
    if raw.len() as u64 > max_bytes {
        return Err(too_large(max_bytes));
    }
    let mut msg = Msg {
        cfb: open_msg(raw)?,
        budget: max_bytes,
        max_bytes,
    };
    msg.facts()
}

fn open_msg(raw: &[u8]) -> Result<Cfb<'_>, MsgError> {
    if !raw.starts_with(&CFB_MAGIC) {
        return Err(MsgError::NotCompoundFile);
    }
    let cfb = CompoundFile::open(Cursor::new(raw)).map_err(|_| MsgError::NotCompoundFile)?;
    let has_properties = cfb.is_stream(format!("/{PROPERTIES}"));
    let has_substg = cfb
        .read_root_storage()
        .any(|e| e.is_stream() && e.name().starts_with(SUBSTG));
    if has_properties && has_substg {
        Ok(cfb)
    } else {
        Err(MsgError::NotOutlookMessage)
    }
}

fn too_large(max_bytes: u64) -> MsgError {
    MsgError::TooLarge {
        mib: max_bytes / (1024 * 1024),
    }
}

/// An open message and what is left of the bytes it may still read: the
/// stream sizes are the file's own claims, and streams may share sectors,
/// so the sum read is capped, not just each stream.
struct Msg<'a> {
    cfb: Cfb<'a>,
    budget: u64,
    max_bytes: u64,
}

impl Msg<'_> {
    fn facts(&mut self) -> Result<MailFacts, MsgError> {
        let root = "";
        let subject = self.string(root, PR_SUBJECT)?;
        let sender_name = self.string(root, PR_SENDER_NAME)?;
        let sender_address = match self.string(root, PR_SENDER_SMTP_ADDRESS)? {
            Some(a) => Some(a),
            // Inside Exchange this holds an X.500 path ("/O=…"), no address.
            None => self
                .string(root, PR_SENDER_EMAIL_ADDRESS)?
                .filter(|a| a.contains('@')),
        };
        let sent_at = match self.sent_at()? {
            Some(at) => Some(at),
            None => self.header_date()?,
        };
        let (attachments, skipped) = self.attachments()?;
        Ok(MailFacts {
            subject: subject_or_default(subject.as_deref()),
            sender: sender_text(sender_name.as_deref(), sender_address.as_deref()),
            to: self.string(root, PR_DISPLAY_TO)?.unwrap_or_default(),
            cc: self.string(root, PR_DISPLAY_CC)?.unwrap_or_default(),
            sent_at,
            body: self.body()?,
            attachments,
            skipped,
        })
    }

    fn body(&mut self) -> Result<String, MsgError> {
        if let Some(text) = self.string("", PR_BODY)?.filter(|t| !t.trim().is_empty()) {
            return Ok(without_cr(&text));
        }
        let html = match self.bytes("", PR_HTML, PT_BINARY)? {
            Some(b) => Some(eight_bit(&b)),
            None => self.string("", PR_HTML)?,
        };
        Ok(html
            .map(|h| without_cr(&html_to_text(&h)))
            .unwrap_or_default())
    }

    /// The submit time, else the delivery time (a received message that
    /// was never submitted from this mailbox may lack the first).
    fn sent_at(&mut self) -> Result<Option<i64>, MsgError> {
        let Some(props) = self.stream(&format!("/{PROPERTIES}"))? else {
            return Ok(None);
        };
        Ok([PR_CLIENT_SUBMIT_TIME, PR_MESSAGE_DELIVERY_TIME]
            .into_iter()
            .find_map(|id| fixed_value(&props, ROOT_HEADER, id, PT_SYSTIME))
            .and_then(|v| filetime_to_unix(u64::from_le_bytes(v))))
    }

    /// The Date of the Internet headers a received message keeps.
    fn header_date(&mut self) -> Result<Option<i64>, MsgError> {
        let Some(headers) = self.string("", PR_TRANSPORT_HEADERS)? else {
            return Ok(None);
        };
        Ok(MessageParser::default()
            .parse_headers(headers.as_bytes())
            .and_then(|m| m.date().filter(|d| d.is_valid()).map(|d| d.to_timestamp())))
    }

    fn attachments(&mut self) -> Result<(Vec<Attachment>, Vec<String>), MsgError> {
        let mut storages: Vec<String> = self
            .cfb
            .read_root_storage()
            .filter(|e| e.is_storage() && e.name().starts_with(ATTACH))
            .map(|e| e.name().to_owned())
            .collect();
        // Eight hex digits each: name order is number order.
        storages.sort_unstable();
        let (mut attachments, mut skipped) = (Vec::new(), Vec::new());
        let mut n = 0;
        for storage in storages {
            let dir = format!("/{storage}");
            if self.is_hidden(&dir)? {
                continue;
            }
            let Some(name) = self.attachment_name(&dir, n)? else {
                continue;
            };
            n += 1;
            match self.bytes(&dir, PR_ATTACH_DATA, PT_BINARY)? {
                Some(content) => attachments.push(Attachment {
                    file_name: name,
                    content,
                }),
                // An embedded message or OLE object (a storage of type
                // 000D), or a link to a file elsewhere: no bytes to store.
                None => skipped.push(name),
            }
        }
        Ok((attachments, skipped))
    }

    /// The file name, else the display name, else „Anhang N“; `None` for
    /// a picture that an HTML body refers to by its Content-ID.
    fn attachment_name(&mut self, dir: &str, n: usize) -> Result<Option<String>, MsgError> {
        for id in [PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME] {
            if let Some(name) = self.name(dir, id)? {
                return Ok(Some(name));
            }
        }
        if self.has(dir, PR_ATTACH_CONTENT_ID) {
            return Ok(None);
        }
        Ok(Some(
            self.name(dir, PR_DISPLAY_NAME)?
                .unwrap_or_else(|| unnamed(n)),
        ))
    }

    fn name(&mut self, dir: &str, id: u16) -> Result<Option<String>, MsgError> {
        Ok(self
            .string(dir, id)?
            .map(|name| one_line(&name))
            .filter(|name| !name.is_empty()))
    }

    fn is_hidden(&mut self, dir: &str) -> Result<bool, MsgError> {
        let Some(props) = self.stream(&format!("{dir}/{PROPERTIES}"))? else {
            return Ok(false);
        };
        Ok(
            fixed_value(&props, ATTACH_HEADER, PR_ATTACHMENT_HIDDEN, PT_BOOLEAN)
                .is_some_and(|v| v[..2] != [0, 0]),
        )
    }

    /// Whether the attachment storage has the property, in any type.
    fn has(&self, dir: &str, id: u16) -> bool {
        let prefix = format!("{SUBSTG}{id:04X}");
        self.cfb
            .read_storage(dir)
            .is_ok_and(|mut entries| entries.any(|e| e.name().starts_with(&prefix)))
    }

    /// A string property in whichever of the two string types it was
    /// written, without the terminating NULs some writers keep.
    fn string(&mut self, dir: &str, id: u16) -> Result<Option<String>, MsgError> {
        let text = match self.bytes(dir, id, PT_UNICODE)? {
            Some(b) => Some(utf16le(&b)),
            None => self.bytes(dir, id, PT_STRING8)?.map(|b| eight_bit(&b)),
        };
        Ok(text.map(|t| t.trim_end_matches('\0').to_owned()))
    }

    /// The stream of a variable-size property, `None` if it is absent or
    /// not a stream (an embedded message is a storage).
    fn bytes(&mut self, dir: &str, id: u16, ty: u16) -> Result<Option<Vec<u8>>, MsgError> {
        self.stream(&prop_path(dir, id, ty))
    }

    fn stream(&mut self, path: &str) -> Result<Option<Vec<u8>>, MsgError> {
        if !self.cfb.is_stream(path) {
            return Ok(None);
        }
        let mut stream = self.cfb.open_stream(path).map_err(damaged)?;
        let declared = stream.len();
        if declared > self.budget {
            return Err(too_large(self.max_bytes));
        }
        // The declared size was checked against the budget, so it fits.
        let mut out = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
        stream
            .by_ref()
            .take(declared)
            .read_to_end(&mut out)
            .map_err(damaged)?;
        self.budget -= out.len() as u64;
        Ok(Some(out))
    }
}

fn prop_path(dir: &str, id: u16, ty: u16) -> String {
    format!("{dir}/{SUBSTG}{id:04X}{ty:04X}")
}

fn damaged(e: std::io::Error) -> MsgError {
    MsgError::Damaged(format!("ein Teil ist nicht lesbar ({e})."))
}

/// The 8-byte value of a fixed-size property: 16-byte entries of type,
/// id, flags and value after a header whose size depends on the storage.
fn fixed_value(props: &[u8], header: usize, id: u16, ty: u16) -> Option<[u8; 8]> {
    props.get(header..)?.chunks_exact(16).find_map(|entry| {
        let entry_type = u16::from_le_bytes([entry[0], entry[1]]);
        let entry_id = u16::from_le_bytes([entry[2], entry[3]]);
        if (entry_type, entry_id) == (ty, id) {
            entry[8..16].try_into().ok()
        } else {
            None
        }
    })
}

/// FILETIME (100 ns steps since 1601-01-01 UTC) to Unix seconds; `None`
/// for 0 (unset) and for years outside 1900–3000, which no mail has.
fn filetime_to_unix(filetime: u64) -> Option<i64> {
    const SECONDS_1601_TO_1970: i64 = 11_644_473_600;
    const YEAR_1900: i64 = -2_208_988_800;
    const YEAR_3000: i64 = 32_503_680_000;
    if filetime == 0 {
        return None;
    }
    let unix = i64::try_from(filetime / 10_000_000).ok()? - SECONDS_1601_TO_1970;
    (YEAR_1900..YEAR_3000).contains(&unix).then_some(unix)
}

fn utf16le(bytes: &[u8]) -> String {
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// An 8-bit string in the sender's code page, which for German mail is
/// Windows-1252 unless the writer used UTF-8.
fn eight_bit(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => windows_1252(bytes),
    }
}

// -------------------------------------------------------------- shared --

fn subject_or_default(subject: Option<&str>) -> String {
    subject
        .map(one_line)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| NO_SUBJECT.to_owned())
}

/// „Name <address>“; the name alone is dropped when it only repeats the
/// address, as Outlook's display names often do.
fn sender_text(name: Option<&str>, address: Option<&str>) -> String {
    let name = name.map(one_line).filter(|n| !n.is_empty());
    let address = address.map(str::trim).filter(|a| !a.is_empty());
    match (name, address) {
        (Some(n), Some(a)) if !n.eq_ignore_ascii_case(a) => format!("{n} <{a}>"),
        (_, Some(a)) => a.to_owned(),
        (Some(n), None) => n,
        (None, None) => String::new(),
    }
}

fn unnamed(n: usize) -> String {
    format!("Anhang {}", n + 1)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn without_cr(text: &str) -> String {
    text.replace("\r\n", "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetime_converts_and_rejects_nonsense() {
        // 2025-03-04T09:15:00Z
        assert_eq!(
            filetime_to_unix(133_855_533_000_000_000),
            Some(1_741_079_700)
        );
        assert_eq!(filetime_to_unix(0), None);
        assert_eq!(filetime_to_unix(u64::MAX), None);
    }

    #[test]
    fn fixed_values_are_found_after_the_header() {
        let mut props = vec![0u8; ATTACH_HEADER];
        props.extend([0x0B, 0x00, 0xFE, 0x7F, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
        let hidden = fixed_value(&props, ATTACH_HEADER, PR_ATTACHMENT_HIDDEN, PT_BOOLEAN);
        assert_eq!(hidden, Some([1, 0, 0, 0, 0, 0, 0, 0]));
        assert_eq!(
            fixed_value(&props, ROOT_HEADER, PR_ATTACHMENT_HIDDEN, PT_BOOLEAN),
            None
        );
        assert_eq!(
            fixed_value(
                &props[..20],
                ATTACH_HEADER,
                PR_ATTACHMENT_HIDDEN,
                PT_BOOLEAN
            ),
            None
        );
    }

    #[test]
    fn sender_forms() {
        assert_eq!(
            sender_text(Some(" Jürgen  Müller "), Some("j@x.de")),
            "Jürgen Müller <j@x.de>"
        );
        assert_eq!(sender_text(Some("J@X.de"), Some("j@x.de")), "j@x.de");
        assert_eq!(sender_text(Some("Poststelle"), None), "Poststelle");
        assert_eq!(sender_text(Some(" "), None), "");
    }
}
