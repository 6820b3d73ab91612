//! German OCR through Tesseract: a "scan" is a hand-written PDF with large
//! Helvetica text, rasterised by pdftoppm. Resolutions are modest to keep
//! the suite fast.
#![allow(clippy::unwrap_used)]

mod common;

use common::Page;
use extract::{extract_file, ExtractError, Kind, Limits, Method};

const WORDS: &[&str] = &["Bürgerbüro", "Straßenausbaubeitrag"];

/// A small landscape page with the two words, large enough to read at 150 dpi.
fn scan_pdf(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("vorlage.pdf");
    std::fs::write(&p, common::build_pdf(&[Page::Text(WORDS, 28)], 420, 150)).unwrap();
    p
}

fn assert_words(text: &str) {
    for w in WORDS {
        assert!(text.contains(w), "{w} missing in {text:?}");
    }
}

fn limits() -> Limits {
    Limits {
        ocr_dpi: 150,
        ..Limits::default()
    }
}

#[test]
fn png_scan_is_read_in_german() {
    let dir = tempfile::tempdir().unwrap();
    let png = common::rasterise_png(&scan_pdf(dir.path()), 150, &dir.path().join("scan.png"));
    let r = extract_file(&png, Kind::Png, &limits()).unwrap();
    assert_eq!(
        (r.pages, r.ocr_pages, r.method),
        (1, 1, Method::Ocr),
        "{r:?}"
    );
    assert_words(&r.text);
}

#[test]
fn image_only_pdf_goes_through_ocr() {
    let dir = tempfile::tempdir().unwrap();
    let gray = common::rasterise_gray(&scan_pdf(dir.path()), 150);
    let p = dir.path().join("gescannt.pdf");
    std::fs::write(&p, common::build_pdf(&[Page::Image(&gray)], 420, 150)).unwrap();
    let r = extract_file(&p, Kind::Pdf, &limits()).unwrap();
    assert_eq!(
        (r.pages, r.ocr_pages, r.method),
        (1, 1, Method::Ocr),
        "{r:?}"
    );
    assert_words(&r.text);
}

#[test]
fn mixed_pdf_respects_the_ocr_page_limit() {
    let dir = tempfile::tempdir().unwrap();
    let gray = common::rasterise_gray(&scan_pdf(dir.path()), 150);
    let p = dir.path().join("gemischt.pdf");
    let pages = [
        Page::Text(&["Anlage 1: Bescheid über den Ausbaubeitrag"], 12),
        Page::Image(&gray),
        Page::Image(&gray),
    ];
    std::fs::write(&p, common::build_pdf(&pages, 420, 150)).unwrap();
    let limits = Limits {
        max_ocr_pages: 1,
        ..limits()
    };
    let r = extract_file(&p, Kind::Pdf, &limits).unwrap();
    assert_eq!(
        (r.pages, r.ocr_pages, r.method),
        (3, 1, Method::Mixed),
        "{r:?}"
    );
    assert!(r.text.contains("Anlage 1: Bescheid"), "{r:?}");
    assert_words(&r.text);
    // Page 3 was left out, and the clerk is told.
    assert_eq!(r.text.matches("Bürgerbüro").count(), 1, "{r:?}");
    assert!(r.notes.iter().any(|n| n.contains("Seite 3")), "{r:?}");
}

#[test]
fn image_pixel_flood_is_refused_before_ocr() {
    let dir = tempfile::tempdir().unwrap();
    // A PNG header claiming 100 000 × 100 000 pixels and nothing else:
    // Tesseract would try to allocate 10 GB.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(100_000u32.to_be_bytes());
    png.extend(100_000u32.to_be_bytes());
    png.extend([8, 0, 0, 0, 0, 0, 0, 0, 0]);
    let p = dir.path().join("flut.png");
    std::fs::write(&p, png).unwrap();
    let e = extract_file(&p, Kind::Png, &Limits::default()).unwrap_err();
    assert!(matches!(e, ExtractError::TooLarge(_)), "{e:?}");
    assert!(e.to_string().contains("100000 × 100000"), "{e}");
}

#[test]
fn ocr_stops_early_near_the_wall_limit() {
    let dir = tempfile::tempdir().unwrap();
    let gray = common::rasterise_gray(&scan_pdf(dir.path()), 100);
    let p = dir.path().join("spaet.pdf");
    let pages = [
        Page::Text(&["Anlage 1: Bescheid über den Ausbaubeitrag"], 12),
        Page::Image(&gray),
    ];
    std::fs::write(&p, common::build_pdf(&pages, 420, 150)).unwrap();
    // No time left at all: the text layer still comes back.
    let limits = Limits {
        wall: std::time::Duration::ZERO,
        ..limits()
    };
    let r = extract_file(&p, Kind::Pdf, &limits).unwrap();
    assert_eq!(
        (r.pages, r.ocr_pages, r.method),
        (2, 0, Method::Text),
        "{r:?}"
    );
    assert!(r.text.contains("Anlage 1"), "{r:?}");
    assert!(r.notes.iter().any(|n| n.contains("Zeitgründen")), "{r:?}");
}

#[test]
fn jpeg_scan_is_read_in_german() {
    let dir = tempfile::tempdir().unwrap();
    let jpg = common::rasterise_jpeg(&scan_pdf(dir.path()), 150, &dir.path().join("scan.jpg"));
    let r = extract_file(&jpg, Kind::Jpeg, &limits()).unwrap();
    assert_eq!(
        (r.pages, r.ocr_pages, r.method),
        (1, 1, Method::Ocr),
        "{r:?}"
    );
    assert_words(&r.text);
}

#[test]
fn multi_page_tiff_reads_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let gray = common::rasterise_gray(&scan_pdf(dir.path()), 150);
    let p = dir.path().join("fax.tiff");
    std::fs::write(&p, common::tiff(&[&gray, &gray], 150)).unwrap();
    let r = extract_file(&p, Kind::Tiff, &limits()).unwrap();
    assert_eq!(
        (r.pages, r.ocr_pages, r.method),
        (2, 2, Method::Ocr),
        "{r:?}"
    );
    assert_words(&r.text);
    assert_eq!(r.text.matches("Straßenausbaubeitrag").count(), 2, "{r:?}");
}
