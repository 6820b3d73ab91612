//! Hostile input: zip bombs and pixel floods, extracted in-process.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::Page;
use extract::{extract_file, ExtractError, Kind, Limits, Method};

/// Raw deflate of `total` zero bytes in ~1/1000 of the size: one 1 MiB
/// chunk compressed with a sync flush (so it ends byte-aligned in a
/// non-final block) repeated, then an empty final block. Back-references
/// only ever point at zeros, so the repetition is a valid stream.
fn deflated_zeros(total: u64) -> Vec<u8> {
    const CHUNK: usize = 1 << 20;
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut chunk = Vec::with_capacity(64 * 1024);
    c.compress_vec(&vec![0u8; CHUNK], &mut chunk, flate2::FlushCompress::Sync)
        .unwrap();
    assert_eq!(c.total_in(), CHUNK as u64);
    let mut out = Vec::with_capacity(chunk.len() * (total as usize / CHUNK) + 2);
    for _ in 0..total / CHUNK as u64 {
        out.extend_from_slice(&chunk);
    }
    // BFINAL=1, fixed Huffman, end-of-block.
    out.extend_from_slice(&[0x03, 0x00]);
    out
}

/// A one-entry ZIP written by hand, so the header can claim any size.
/// The CRC is left 0: nobody should ever read far enough to check it.
fn zip_raw(name: &str, deflated: &[u8], claimed_size: u32) -> Vec<u8> {
    let csize = u32::try_from(deflated.len()).unwrap();
    let nlen = u16::try_from(name.len()).unwrap();
    let mut z = Vec::new();
    let common = |z: &mut Vec<u8>| {
        z.extend(20u16.to_le_bytes()); // version needed
        z.extend(0u16.to_le_bytes()); // flags
        z.extend(8u16.to_le_bytes()); // deflate
        z.extend(0u16.to_le_bytes()); // time
        z.extend(0x21u16.to_le_bytes()); // date 1980-01-01
        z.extend(0u32.to_le_bytes()); // crc
        z.extend(csize.to_le_bytes());
        z.extend(claimed_size.to_le_bytes());
        z.extend(nlen.to_le_bytes());
        z.extend(0u16.to_le_bytes()); // extra length
    };
    z.extend(0x0403_4b50u32.to_le_bytes());
    common(&mut z);
    z.extend(name.as_bytes());
    z.extend(deflated);
    let cd_start = u32::try_from(z.len()).unwrap();
    z.extend(0x0201_4b50u32.to_le_bytes());
    z.extend(20u16.to_le_bytes()); // version made by
    common(&mut z);
    z.extend(0u16.to_le_bytes()); // comment length
    z.extend(0u16.to_le_bytes()); // disk
    z.extend(0u16.to_le_bytes()); // internal attributes
    z.extend(0u32.to_le_bytes()); // external attributes
    z.extend(0u32.to_le_bytes()); // local header offset
    z.extend(name.as_bytes());
    let cd_len = u32::try_from(z.len()).unwrap() - cd_start;
    z.extend(0x0605_4b50u32.to_le_bytes());
    z.extend([0, 0, 0, 0]); // disk numbers
    z.extend(1u16.to_le_bytes());
    z.extend(1u16.to_le_bytes());
    z.extend(cd_len.to_le_bytes());
    z.extend(cd_start.to_le_bytes());
    z.extend(0u16.to_le_bytes());
    z
}

fn bomb(dir: &tempfile::TempDir, claimed: u32) -> std::path::PathBuf {
    let data = deflated_zeros(1 << 30);
    assert!(data.len() < 2 << 20, "bomb is {} bytes", data.len());
    let p = dir.path().join(format!("bombe-{claimed}.docx"));
    std::fs::write(&p, zip_raw("word/document.xml", &data, claimed)).unwrap();
    p
}

#[test]
fn zip_bomb_with_honest_header_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = bomb(&dir, 1 << 30);
    let t = Instant::now();
    let e = extract_file(&p, Kind::Docx, &Limits::default()).unwrap_err();
    assert!(matches!(e, ExtractError::TooLarge(_)), "{e:?}");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn zip_bomb_with_lying_header_is_refused_while_inflating() {
    let dir = tempfile::tempdir().unwrap();
    // The header claims 1000 bytes; the stream inflates to 1 GiB.
    // zip itself stops at the declared size and calls the file broken.
    let p = bomb(&dir, 1000);
    let t = Instant::now();
    let e = extract_file(&p, Kind::Docx, &Limits::default()).unwrap_err();
    assert!(
        matches!(e, ExtractError::TooLarge(_) | ExtractError::Malformed(_)),
        "{e:?}"
    );
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn zip_bomb_within_budget_is_refused_by_its_ratio() {
    let dir = tempfile::tempdir().unwrap();
    // 200 MiB honestly declared, under the 256 MiB budget, but ~1000:1.
    let data = deflated_zeros(200 << 20);
    let p = dir.path().join("verhaeltnis.xlsx");
    std::fs::write(&p, zip_raw("xl/sharedStrings.xml", &data, 200 << 20)).unwrap();
    let t = Instant::now();
    let e = extract_file(&p, Kind::Xlsx, &Limits::default()).unwrap_err();
    assert!(
        matches!(&e, ExtractError::TooLarge(m) if m.contains("komprimiert")),
        "{e:?}"
    );
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn unpacked_budget_spans_all_entries() {
    // Each entry is honest and modest; together they exceed the budget.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("viele.docx");
    let body = format!(
        "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>",
        "Verwaltungsvorschrift ".repeat(20_000)
    );
    let header = body.replace("w:document", "w:hdr");
    common::zip(
        &p,
        &[
            ("word/document.xml", &body),
            ("word/header1.xml", &header),
            ("word/header2.xml", &header),
        ],
    );
    let limits = Limits {
        max_unpacked_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let e = extract_file(&p, Kind::Docx, &limits).unwrap_err();
    assert!(matches!(e, ExtractError::TooLarge(_)), "{e:?}");
    // The same file is fine with the default budget.
    let r = extract_file(&p, Kind::Docx, &Limits::default()).unwrap();
    assert_eq!(r.text.matches("Verwaltungsvorschrift").count(), 60_000);
}

#[test]
fn pdf_pixel_flood_page_is_skipped_not_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("flut.pdf");
    // 200000 pt square: at 100 dpi still 77 gigapixels.
    std::fs::write(&p, common::build_pdf(&[Page::Blank], 200_000, 200_000)).unwrap();
    let t = Instant::now();
    let r = extract_file(&p, Kind::Pdf, &Limits::default()).unwrap();
    assert_eq!(
        (r.pages, r.ocr_pages, r.method),
        (1, 0, Method::None),
        "{r:?}"
    );
    assert!(r.notes.iter().any(|n| n.contains("zu groß")), "{r:?}");
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn pdf_large_page_is_rendered_at_a_lower_dpi() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("plan.pdf");
    std::fs::write(&p, common::build_pdf(&[Page::Blank], 1000, 1000)).unwrap();
    // 1000 pt at 150 dpi is 4.3 MP; the limit of 2 MP forces ~101 dpi.
    let limits = Limits {
        ocr_dpi: 150,
        max_pixels: 2_000_000,
        ..Limits::default()
    };
    let r = extract_file(&p, Kind::Pdf, &limits).unwrap();
    assert_eq!((r.pages, r.ocr_pages), (1, 1), "{r:?}");
    assert!(
        r.notes.iter().any(|n| n.contains("mit 101 statt 150 dpi")),
        "{r:?}"
    );
}
