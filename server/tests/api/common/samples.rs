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

/// A one-page PDF with a real text layer (Helvetica, WinAnsi).
pub fn text_pdf(lines: &[&str]) -> Vec<u8> {
    app::documents::text_pdf::text_pdf(lines)
}

/// A DOCX whose `word/document.xml` inflates to `unpacked` bytes of zeros
/// while its headers claim 900 KiB: small enough to pass the upload checks
/// (which trust declared sizes), so only extraction can notice.
pub fn lying_zip_bomb_docx(unpacked: usize) -> Vec<u8> {
    use flate2::{write::DeflateEncoder, Compression};
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    let chunk = vec![0u8; 1 << 20];
    let mut left = unpacked;
    while left > 0 {
        let n = left.min(chunk.len());
        encoder.write_all(&chunk[..n]).expect("deflate");
        left -= n;
    }
    let data = encoder.finish().expect("deflate");
    let claimed: u32 = 900 * 1024;
    let types = b"<Types/>".to_vec();
    let mut crc = flate2::Crc::new();
    crc.update(&types);
    // The bomb's checksum is left 0: it matches neither the claimed nor the real content.
    // (name, method, data, claimed size, checksum)
    type Entry<'a> = (&'a [u8], u16, Vec<u8>, u32, u32);
    let entries: [Entry; 2] = [
        (b"[Content_Types].xml", 0, types, 8, crc.sum()),
        (b"word/document.xml", 8, data, claimed, 0),
    ];
    let mut out = Vec::new();
    let mut central = Vec::new();
    let count = entries.len() as u16;
    for (name, method, data, size, checksum) in entries {
        let offset = out.len() as u32;
        let header = |out: &mut Vec<u8>, signature: u32, central_dir: bool| {
            out.extend_from_slice(&signature.to_le_bytes());
            if central_dir {
                out.extend_from_slice(&20u16.to_le_bytes());
            }
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&method.to_le_bytes());
            out.extend_from_slice(&0u32.to_le_bytes());
            out.extend_from_slice(&checksum.to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            if central_dir {
                out.extend_from_slice(&[0u8; 10]);
                out.extend_from_slice(&offset.to_le_bytes());
            }
            out.extend_from_slice(name);
        };
        header(&mut out, 0x0403_4b50, false);
        out.extend_from_slice(&data);
        header(&mut central, 0x0201_4b50, true);
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
