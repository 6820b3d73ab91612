//! E-mail facts from EML and Outlook MSG, from messages the tests build.
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Write};

use cfb::CompoundFile;
use extract::mail::{looks_like_msg, read_eml, read_msg, Attachment, MsgError, NO_SUBJECT};
use extract::{extract_file, ExtractError, Kind, Limits, Method};

// -------------------------------------------------------- MSG builder --

const PT_UNICODE: u16 = 0x001F;
const PT_STRING8: u16 = 0x001E;
const PT_BINARY: u16 = 0x0102;
const PT_BOOLEAN: u16 = 0x000B;
const PT_SYSTIME: u16 = 0x0040;

/// 2025-03-04T09:15:00Z as Unix seconds and as FILETIME.
const SENT_UNIX: i64 = 1_741_079_700;
const SENT_FILETIME: u64 = 133_855_533_000_000_000;
/// One day later: the delivery time, which must lose to the submit time.
const DELIVERED_FILETIME: u64 = SENT_FILETIME + 86_400 * 10_000_000;

const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\nAntrag";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// Writes an Outlook message property by property, as MS-OXMSG lays it
/// out. `dir` is "" for the message itself, else a storage path.
struct MsgBuilder {
    cfb: CompoundFile<Cursor<Vec<u8>>>,
}

impl MsgBuilder {
    fn new() -> Self {
        MsgBuilder { cfb: empty_cfb() }
    }

    fn stream(&mut self, path: &str, bytes: &[u8]) -> &mut Self {
        self.cfb
            .create_stream(path)
            .unwrap()
            .write_all(bytes)
            .unwrap();
        self
    }

    fn storage(&mut self, path: &str) -> &mut Self {
        self.cfb.create_storage(path).unwrap();
        self
    }

    fn prop(&mut self, dir: &str, id: u16, ty: u16, bytes: &[u8]) -> &mut Self {
        self.stream(&format!("{dir}/__substg1.0_{id:04X}{ty:04X}"), bytes)
    }

    fn unicode(&mut self, dir: &str, id: u16, text: &str) -> &mut Self {
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        self.prop(dir, id, PT_UNICODE, &bytes)
    }

    /// The fixed-size properties: `header` zero bytes, then 16-byte
    /// entries (type, id, flags, value).
    fn fixed(&mut self, dir: &str, header: usize, entries: &[(u16, u16, u64)]) -> &mut Self {
        let mut bytes = vec![0u8; header];
        for &(ty, id, value) in entries {
            bytes.extend(ty.to_le_bytes());
            bytes.extend(id.to_le_bytes());
            bytes.extend(6u32.to_le_bytes()); // readable | writable
            bytes.extend(value.to_le_bytes());
        }
        self.stream(&format!("{dir}/__properties_version1.0"), &bytes)
    }

    fn finish(&mut self) -> Vec<u8> {
        let mut cfb = std::mem::replace(&mut self.cfb, empty_cfb());
        cfb.flush().unwrap();
        cfb.into_inner().into_inner()
    }
}

/// Version 3 (512-byte sectors), as Outlook writes it.
fn empty_cfb() -> CompoundFile<Cursor<Vec<u8>>> {
    CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap()
}

const ATT0: &str = "/__attach_version1.0_#00000000";
const ATT1: &str = "/__attach_version1.0_#00000001";
const ATT2: &str = "/__attach_version1.0_#00000002";
const ATT3: &str = "/__attach_version1.0_#00000003";

/// A message as Outlook saves a received one: UTF-16 strings, a submit
/// time, a PDF, a hidden logo, an inline picture known only by its
/// Content-ID, and a forwarded message embedded as a storage.
fn full_msg() -> Vec<u8> {
    let mut b = MsgBuilder::new();
    b.fixed(
        "",
        32,
        &[
            (0x0003, 0x0E07, 1), // PR_MESSAGE_FLAGS, an unrelated entry first
            (PT_SYSTIME, 0x0E06, DELIVERED_FILETIME),
            (PT_SYSTIME, 0x0039, SENT_FILETIME),
        ],
    )
    .unicode(
        "",
        0x0037,
        "Widerspruch Straßenausbaubeitrag – Flurstück 12/3",
    )
    .unicode("", 0x0C1A, "Jürgen Müller")
    .unicode("", 0x5D01, "j.mueller@example.org")
    .unicode(
        "",
        0x0C1F,
        "/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=JMUELLER",
    )
    .unicode("", 0x0E04, "Bauamt; Poststelle")
    .unicode("", 0x0E03, "Ortsvorsteher")
    .unicode(
        "",
        0x1000,
        "Sehr geehrte Damen und Herren,\r\nhiermit lege ich Widerspruch ein.\r\n\0",
    );

    b.storage(ATT0)
        .fixed(ATT0, 8, &[(0x0003, 0x3705, 1)]) // PR_ATTACH_METHOD by value
        .unicode(ATT0, 0x3704, "ANTRAG~1.PDF")
        .unicode(ATT0, 0x3707, "Antrag Müller.pdf")
        .unicode(ATT0, 0x3001, "Antrag Müller.pdf")
        .prop(ATT0, 0x3701, PT_BINARY, PDF);

    b.storage(ATT1)
        .fixed(ATT1, 8, &[(PT_BOOLEAN, 0x7FFE, 1)])
        .unicode(ATT1, 0x3707, "image001.png")
        .prop(ATT1, 0x3701, PT_BINARY, PNG);

    b.storage(ATT2)
        .fixed(ATT2, 8, &[(PT_BOOLEAN, 0x7FFE, 0)])
        .unicode(ATT2, 0x3712, "image002.png@01DB8C4F.2A3B4C50")
        .unicode(ATT2, 0x3001, "image002.png")
        .prop(ATT2, 0x3701, PT_BINARY, PNG);

    let embedded = format!("{ATT3}/__substg1.0_3701000D");
    b.storage(ATT3)
        .fixed(ATT3, 8, &[(0x0003, 0x3705, 5)]) // ATTACH_EMBEDDED_MSG
        .unicode(ATT3, 0x3001, "Weitergeleitet: Bauantrag")
        .storage(&embedded)
        .fixed(&embedded, 24, &[])
        .unicode(&embedded, 0x0037, "Bauantrag");
    b.finish()
}

/// A compound file that is no Outlook message, as a Word 97 document.
fn word_doc() -> Vec<u8> {
    MsgBuilder::new()
        .stream("/WordDocument", &[0xEC, 0xA5, 0xC1, 0x00])
        .stream("/1Table", &[0; 64])
        .finish()
}

// --------------------------------------------------------------- tests --

#[test]
fn msg_facts_are_read() {
    let facts = read_msg(&full_msg()).unwrap();
    assert_eq!(
        facts.subject,
        "Widerspruch Straßenausbaubeitrag – Flurstück 12/3"
    );
    assert_eq!(facts.sender, "Jürgen Müller <j.mueller@example.org>");
    assert_eq!(facts.to, "Bauamt; Poststelle");
    assert_eq!(facts.cc, "Ortsvorsteher");
    assert_eq!(facts.sent_at, Some(SENT_UNIX), "submit time, not delivery");
    assert_eq!(
        facts.body,
        "Sehr geehrte Damen und Herren,\nhiermit lege ich Widerspruch ein.\n"
    );
    assert_eq!(
        facts.attachments,
        vec![Attachment {
            file_name: "Antrag Müller.pdf".into(),
            content: PDF.to_vec(),
        }],
        "the hidden logo and the inline picture are no attachments"
    );
    assert_eq!(facts.skipped, vec!["Weitergeleitet: Bauantrag".to_owned()]);
}

#[test]
fn msg_text_has_the_eml_layout() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Widerspruch.msg");
    std::fs::write(&p, full_msg()).unwrap();
    let r = extract_file(&p, Kind::Msg, &Limits::default()).unwrap();
    assert_eq!((r.pages, r.method), (1, Method::Text), "{r:?}");
    assert_eq!(
        r.text,
        "Von: Jürgen Müller <j.mueller@example.org>\n\
         An: Bauamt; Poststelle\n\
         Cc: Ortsvorsteher\n\
         Betreff: Widerspruch Straßenausbaubeitrag – Flurstück 12/3\n\
         Datum: 2025-03-04T09:15:00Z\n\
         \n\
         Sehr geehrte Damen und Herren,\n\
         hiermit lege ich Widerspruch ein.\n\
         \n\
         Anhänge: Antrag Müller.pdf, Weitergeleitet: Bauantrag"
    );
    assert_eq!(Kind::parse("msg"), Some(Kind::Msg));
}

#[test]
fn msg_eight_bit_strings_exchange_sender_and_header_date() {
    let headers = "Received: from mx.example.org\r\n\
                   Date: Mon, 07 Dec 2026 09:15:00 +0100\r\n\
                   Subject: egal\r\n\r\n";
    let raw = MsgBuilder::new()
        // No dates in the fixed properties: the Date header has to do.
        .fixed("", 32, &[])
        .prop(
            "",
            0x0037,
            PT_STRING8,
            b"Sondernutzung Stra\xDFe \x96 Geb\xFChr\0",
        )
        .prop("", 0x0C1A, PT_STRING8, "Jörg Schäfer".as_bytes())
        .prop(
            "",
            0x0C1F,
            PT_STRING8,
            b"/O=EXCHANGELABS/OU=FYDIBOHF23SPDLT/CN=SCHAEFER",
        )
        .prop("", 0x1000, PT_STRING8, b"Gr\xFC\xDFe")
        .prop("", 0x007D, PT_STRING8, headers.as_bytes())
        .finish();
    let facts = read_msg(&raw).unwrap();
    assert_eq!(facts.subject, "Sondernutzung Straße – Gebühr");
    assert_eq!(facts.sender, "Jörg Schäfer", "no X.500 path as address");
    assert_eq!(facts.body, "Grüße");
    assert_eq!(facts.sent_at, Some(1_796_631_300));
    assert!(facts.attachments.is_empty() && facts.skipped.is_empty());
}

#[test]
fn msg_html_only_body_becomes_text() {
    let html = "<html><head><style>p{color:red}</style></head><body>\
                <p>Sehr geehrte Frau M&uuml;ller,</p><script>alert('nicht indexieren')</script>\
                <p>die Stra&szlig;e wird gesperrt.</p></body></html>";
    let raw = MsgBuilder::new()
        .fixed("", 32, &[])
        .unicode("", 0x0037, "Sperrung")
        .unicode("", 0x0C1F, "presse@example.org")
        .prop("", 0x1013, PT_BINARY, html.as_bytes())
        .finish();
    let facts = read_msg(&raw).unwrap();
    assert_eq!(facts.sender, "presse@example.org");
    assert_eq!(facts.sent_at, None);
    let b = &facts.body;
    assert!(b.contains("Sehr geehrte Frau Müller,"), "{b:?}");
    assert!(b.contains("die Straße wird gesperrt."), "{b:?}");
    assert!(!b.contains("alert") && !b.contains("color"), "{b:?}");
}

#[test]
fn msg_unnamed_attachments_are_numbered() {
    let raw = MsgBuilder::new()
        .fixed("", 32, &[])
        .unicode("", 0x0037, "Scans")
        .storage(ATT0)
        .fixed(ATT0, 8, &[])
        .prop(ATT0, 0x3701, PT_BINARY, b"eins")
        .storage(ATT1)
        .fixed(ATT1, 8, &[])
        .unicode(ATT1, 0x3704, "SCAN2.TIF")
        .prop(ATT1, 0x3701, PT_BINARY, b"zwei")
        .finish();
    let names: Vec<String> = read_msg(&raw)
        .unwrap()
        .attachments
        .into_iter()
        .map(|a| a.file_name)
        .collect();
    assert_eq!(names, ["Anhang 1", "SCAN2.TIF"]);
}

#[test]
fn only_outlook_messages_look_like_msg() {
    let msg = full_msg();
    assert!(looks_like_msg(&msg));
    assert!(!looks_like_msg(&word_doc()), "a .doc renamed to .msg");
    let no_props = MsgBuilder::new().unicode("", 0x0037, "Betreff").finish();
    assert!(!looks_like_msg(&no_props), "no property stream");
    let no_substg = MsgBuilder::new().fixed("", 32, &[]).finish();
    assert!(!looks_like_msg(&no_substg), "no property of variable size");
    assert!(!looks_like_msg(b"PK\x03\x04\x14\0\0\0\x08\0"), "a ZIP");
    let noise: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(!looks_like_msg(&noise));
    assert!(!looks_like_msg(&msg[..msg.len() / 2]), "truncated");
    assert!(!looks_like_msg(&msg[..8]), "the magic alone");
    assert!(!looks_like_msg(b""));
}

#[test]
fn msg_errors_say_what_the_file_is_in_german() {
    let e = read_msg(b"PK\x03\x04 kein Verbunddokument").unwrap_err();
    assert!(matches!(e, MsgError::NotCompoundFile), "{e:?}");
    assert_eq!(
        e.to_string(),
        "Die Datei ist keine Outlook-Nachricht (kein Verbunddokument)."
    );
    let e = read_msg(&word_doc()).unwrap_err();
    assert!(matches!(e, MsgError::NotOutlookMessage), "{e:?}");
    assert_eq!(
        e.to_string(),
        "Die Datei ist ein Verbunddokument, aber keine Outlook-Nachricht."
    );
}

#[test]
fn a_truncated_msg_is_malformed_through_the_extraction() {
    let dir = tempfile::tempdir().unwrap();
    let msg = full_msg();
    let p = dir.path().join("kaputt.msg");
    std::fs::write(&p, &msg[..msg.len() * 2 / 3]).unwrap();
    let e = extract_file(&p, Kind::Msg, &Limits::default()).unwrap_err();
    assert!(matches!(e, ExtractError::Malformed(_)), "{e:?}");
    assert_eq!(
        e.to_string(),
        "Die Datei ist beschädigt oder hat nicht das erwartete Format: \
         Die Datei ist keine Outlook-Nachricht (kein Verbunddokument)."
    );
}

#[test]
fn a_msg_over_the_limit_is_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gross.msg");
    std::fs::write(&p, full_msg()).unwrap();
    let limits = Limits {
        max_unpacked_bytes: 1024,
        ..Limits::default()
    };
    let e = extract_file(&p, Kind::Msg, &limits).unwrap_err();
    assert_eq!(e.code(), "too_large", "{e:?}");
}

/// Every cut and many flipped bytes: an error or facts, never a panic.
#[test]
fn damaged_msgs_never_panic() {
    let msg = full_msg();
    for len in (0..msg.len()).step_by(61) {
        let _ = read_msg(&msg[..len]);
        let _ = looks_like_msg(&msg[..len]);
    }
    for pos in (0..msg.len()).step_by(7) {
        for byte in [0x00, 0xFF, 0x7F] {
            let mut bad = msg.clone();
            bad[pos] = byte;
            let _ = read_msg(&bad);
        }
    }
}

/// A message Outlook itself wrote (see tests/fixtures/README.md): its one
/// attachment is an embedded message, which has no bytes to file.
#[test]
fn real_outlook_msg_sample() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/outer.msg");
    let raw = std::fs::read(&path).unwrap();
    assert!(looks_like_msg(&raw));
    let facts = read_msg(&raw).unwrap();
    assert_eq!(facts.subject, "outer subject");
    assert_eq!(facts.to, "outer@foo.bar");
    assert_eq!(facts.body.trim_end(), "Outer body");
    // 2016-11-15T23:29:05Z
    assert_eq!(facts.sent_at, Some(1_479_252_545));
    assert!(facts.attachments.is_empty(), "{facts:?}");
    assert_eq!(facts.skipped, ["test"]);
    let r = extract_file(&path, Kind::Msg, &Limits::default()).unwrap();
    assert!(
        r.text
            .contains("Betreff: outer subject\nDatum: 2016-11-15T23:29:05Z\n\nOuter body"),
        "{:?}",
        r.text
    );
    assert!(r.text.ends_with("Anhänge: test"), "{:?}", r.text);
}

// ----------------------------------------------------------------- EML --

const WITH_ATTACHMENT: &str =
    "From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <j.mueller@example.de>\r\n\
To: poststelle@michelstadt.de, Bauamt <bauamt@michelstadt.de>\r\n\
Subject: =?utf-8?q?Bauantrag_Flurst=C3=BCck_12/3?=\r\n\
Date: Mon, 07 Dec 2026 09:15:00 +0100\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Sehr geehrte Damen und Herren, anbei der Antrag.\r\n\
--b1\r\n\
Content-Type: application/pdf; name=\"Antrag.pdf\"\r\n\
Content-Disposition: attachment; filename=\"Antrag.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjcK\r\n\
--b1\r\n\
Content-Type: image/png\r\n\
Content-ID: <logo@example.de>\r\n\
Content-Disposition: inline\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
iVBORw0KGgo=\r\n\
--b1\r\n\
Content-Type: message/rfc822\r\n\
\r\n\
Subject: Lageplan\r\n\
\r\n\
siehe Anlage\r\n\
--b1\r\n\
Content-Type: application/octet-stream\r\n\
Content-Disposition: attachment\r\n\
\r\n\
roh\r\n\
--b1--\r\n";

#[test]
fn eml_facts_are_read() {
    let facts = read_eml(WITH_ATTACHMENT.as_bytes());
    assert_eq!(facts.subject, "Bauantrag Flurstück 12/3");
    assert_eq!(facts.sender, "Jürgen Müller <j.mueller@example.de>");
    assert_eq!(
        facts.to,
        "poststelle@michelstadt.de, Bauamt <bauamt@michelstadt.de>"
    );
    assert_eq!(facts.sent_at, Some(1_796_631_300));
    assert_eq!(
        facts.body.trim_end(),
        "Sehr geehrte Damen und Herren, anbei der Antrag."
    );
    let names: Vec<&str> = facts
        .attachments
        .iter()
        .map(|a| a.file_name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Antrag.pdf", "Lageplan.eml", "Anhang 3"],
        "the inline logo is no attachment"
    );
    assert_eq!(facts.attachments[0].content, b"%PDF-1.7\n");
    assert!(
        facts.attachments[1]
            .content
            .starts_with(b"Subject: Lageplan"),
        "the attached message as it came"
    );
    assert!(facts.skipped.is_empty());
}

#[test]
fn a_broken_eml_still_yields_what_can_be_read() {
    let broken = "Subject: Kaputt\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nAnfang ohne Ende";
    let facts = read_eml(broken.as_bytes());
    assert_eq!(facts.subject, "Kaputt");
    assert_eq!(facts.sender, "");
    assert_eq!(read_eml(b"").subject, NO_SUBJECT);
    assert_eq!(read_eml(b"\x00\x01\x02").subject, NO_SUBJECT);
}

/// The server's tests upload `fixtures/widerspruch.msg`: the builder's
/// message, written once (`AKTENWERK_WRITE_FIXTURES=1 cargo test -p extract
/// --test mail`); it must still read as the builder's message does.
#[test]
fn the_msg_fixture_is_the_builders_message() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/widerspruch.msg");
    if std::env::var_os("AKTENWERK_WRITE_FIXTURES").is_some() {
        std::fs::write(&path, full_msg()).unwrap();
    }
    let fixture = std::fs::read(&path).unwrap();
    assert!(looks_like_msg(&fixture));
    assert_eq!(read_msg(&fixture).unwrap(), read_msg(&full_msg()).unwrap());
}
