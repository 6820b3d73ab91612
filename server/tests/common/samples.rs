//! Small but real-looking files of every allowed type, built in memory.
#![allow(dead_code)]

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

pub fn pdf(text: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
         2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (name, content) in entries {
        writer.start_file(*name, options).expect("entry");
        writer.write_all(content).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

/// (file name, content) for each of the twelve allowed types.
pub fn every_allowed_type() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("Bauantrag.pdf", pdf("Bauantrag Musterstraße 1")),
        ("Lageplan.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec()),
        ("Foto.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xFF\xD9".to_vec()),
        ("Scan.tif", b"II*\0\x08\0\0\0\0\0".to_vec()),
        (
            "Antrag.docx",
            zip(&[
                ("[Content_Types].xml", b"<Types/>"),
                ("_rels/.rels", b"<Relationships/>"),
                ("word/document.xml", b"<w:document/>"),
            ]),
        ),
        (
            "Haushalt.xlsx",
            zip(&[
                ("[Content_Types].xml", b"<Types/>"),
                ("xl/workbook.xml", b"<workbook/>"),
            ]),
        ),
        (
            "Vortrag.pptx",
            zip(&[
                ("[Content_Types].xml", b"<Types/>"),
                ("ppt/presentation.xml", b"<p:presentation/>"),
            ]),
        ),
        (
            "Brief.odt",
            zip(&[
                ("mimetype", b"application/vnd.oasis.opendocument.text"),
                ("content.xml", b"<office:document-content/>"),
            ]),
        ),
        (
            "Liste.ods",
            zip(&[
                ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                ("content.xml", b"<office:document-content/>"),
            ]),
        ),
        ("Vermerk.txt", "Vermerk: Ortstermin am 3. November, Bürgerbüro.\n".as_bytes().to_vec()),
        ("Liste.csv", "Name;Ort\nMüller;Erbach\n".as_bytes().to_vec()),
        (
            "Anfrage.eml",
            "From: buerger@example.org\r\nTo: rathaus@michelstadt.de\r\nSubject: Anfrage\r\nDate: Tue, 3 Nov 2026 10:00:00 +0100\r\n\r\nGuten Tag,\r\n"
                .as_bytes()
                .to_vec(),
        ),
    ]
}

/// A DOCX whose one entry claims 10 GiB unpacked from a few bytes: refused
/// from the declared sizes, without unpacking anything.
pub fn zip_bomb_docx() -> Vec<u8> {
    fn le16(out: &mut Vec<u8>, v: u16) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    fn le32(out: &mut Vec<u8>, v: u32) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let entries: [(&[u8], u16, &[u8], u64); 2] = [
        (b"[Content_Types].xml", 0, b"<Types/>", 8),
        (b"word/document.xml", 8, b"\x03\0", 10 * 1024 * 1024 * 1024),
    ];
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, method, data, declared) in entries {
        let offset = out.len() as u32;
        let small = u32::try_from(declared).unwrap_or(u32::MAX);
        le32(&mut out, 0x0403_4b50);
        le16(&mut out, 20);
        le16(&mut out, 0);
        le16(&mut out, method);
        le32(&mut out, 0);
        le32(&mut out, 0);
        le32(&mut out, data.len() as u32);
        le32(&mut out, small);
        le16(&mut out, name.len() as u16);
        le16(&mut out, 0);
        out.extend_from_slice(name);
        out.extend_from_slice(data);

        let zip64 = declared >= u64::from(u32::MAX);
        le32(&mut central, 0x0201_4b50);
        le16(&mut central, 45);
        le16(&mut central, 45);
        le16(&mut central, 0);
        le16(&mut central, method);
        le32(&mut central, 0);
        le32(&mut central, 0);
        le32(&mut central, data.len() as u32);
        le32(&mut central, if zip64 { u32::MAX } else { small });
        le16(&mut central, name.len() as u16);
        le16(&mut central, if zip64 { 12 } else { 0 });
        le16(&mut central, 0);
        le16(&mut central, 0);
        le16(&mut central, 0);
        le32(&mut central, 0);
        le32(&mut central, offset);
        central.extend_from_slice(name);
        if zip64 {
            le16(&mut central, 0x0001);
            le16(&mut central, 8);
            central.extend_from_slice(&declared.to_le_bytes());
        }
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    le32(&mut out, 0x0605_4b50);
    le16(&mut out, 0);
    le16(&mut out, 0);
    le16(&mut out, entries.len() as u16);
    le16(&mut out, entries.len() as u16);
    le32(&mut out, central.len() as u32);
    le32(&mut out, central_offset);
    le16(&mut out, 0);
    out
}
