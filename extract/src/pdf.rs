//! PDF: the text layer via `pdftotext`; pages without one are rasterised
//! one at a time with `pdftoppm` and read by Tesseract.

use std::path::Path;
use std::time::Instant;

use crate::{tools, ExtractError, Extracted, Limits, Method};

/// A page with fewer non-blank characters than this counts as a scan.
const MIN_TEXT_CHARS: usize = 20;
/// More pages than any real file; a page tree claiming more is hostile.
const MAX_PAGES: u32 = 100_000;
/// Below this resolution OCR stops being worth it; such pages are skipped.
const MIN_DPI: u32 = 100;

/// `ocr_until`: no new page is OCR'd after this instant, so a long scan
/// returns the pages done so far instead of being killed at the wall limit.
pub(crate) fn extract(
    path: &Path,
    limits: &Limits,
    ocr_until: Instant,
) -> Result<Extracted, ExtractError> {
    let info = tools::run("pdfinfo", [path.as_os_str()])?;
    let pages = parse_pages(&String::from_utf8_lossy(&info))
        .ok_or_else(|| ExtractError::Malformed("pdfinfo nennt keine Seitenzahl.".to_owned()))?;
    if pages > MAX_PAGES {
        return Err(ExtractError::TooLarge(format!(
            "{pages} Seiten, höchstens {MAX_PAGES} werden verarbeitet."
        )));
    }
    if pages == 0 {
        return Ok(Extracted {
            text: String::new(),
            pages: 0,
            ocr_pages: 0,
            method: Method::None,
            notes: Vec::new(),
        });
    }

    let layer = tools::run(
        "pdftotext",
        [
            "-enc".as_ref(),
            "UTF-8".as_ref(),
            path.as_os_str(),
            "-".as_ref(),
        ],
    )?;
    let layer = String::from_utf8_lossy(&layer);
    let mut page_texts: Vec<String> = layer.split('\u{c}').map(str::to_owned).collect();
    page_texts.resize(pages as usize, String::new());

    let scans: Vec<u32> = (1..=pages)
        .filter(|&n| {
            let t = &page_texts[(n - 1) as usize];
            t.chars().filter(|c| !c.is_whitespace()).count() < MIN_TEXT_CHARS
        })
        .collect();
    let text_pages = pages - u32::try_from(scans.len()).unwrap_or(pages);

    let mut notes = Vec::new();
    let mut ocr_pages = 0u32;
    if !scans.is_empty() {
        let sizes = page_sizes(path, pages)?;
        let dir = tempfile::Builder::new()
            .prefix("aktenwerk-ocr-")
            .tempdir()?;
        let mut skipped_by_limit = Vec::new();
        let mut skipped_by_time = Vec::new();
        for &n in &scans {
            if ocr_pages >= limits.max_ocr_pages {
                skipped_by_limit.push(n);
                continue;
            }
            if Instant::now() >= ocr_until {
                skipped_by_time.push(n);
                continue;
            }
            let Some(&(w, h)) = sizes.get(&n) else {
                notes.push(format!(
                    "Seite {n}: Seitengröße unbekannt, keine Texterkennung."
                ));
                continue;
            };
            let Some(dpi) = ocr_dpi(w, h, limits) else {
                notes.push(format!(
                    "Seite {n}: zu groß für die Texterkennung ({:.0} × {:.0} pt).",
                    w, h
                ));
                continue;
            };
            if dpi < limits.ocr_dpi {
                notes.push(format!(
                    "Seite {n}: sehr große Seite, mit {dpi} statt {} dpi erkannt.",
                    limits.ocr_dpi
                ));
            }
            let base = dir.path().join(format!("seite-{n}"));
            let n_str = n.to_string();
            tools::run(
                "pdftoppm",
                [
                    "-r".as_ref(),
                    dpi.to_string().as_ref(),
                    "-gray".as_ref(),
                    "-png".as_ref(),
                    "-singlefile".as_ref(),
                    "-f".as_ref(),
                    n_str.as_ref(),
                    "-l".as_ref(),
                    n_str.as_ref(),
                    path.as_os_str(),
                    base.as_os_str(),
                ],
            )?;
            let png = base.with_extension("png");
            let text = tools::tesseract(&png)?;
            // The raster is gone before the next page is made.
            std::fs::remove_file(&png)?;
            ocr_pages += 1;
            let slot = &mut page_texts[(n - 1) as usize];
            if slot.trim().is_empty() {
                *slot = text;
            } else {
                slot.push('\n');
                slot.push_str(&text);
            }
        }
        if let (Some(first), Some(last)) = (skipped_by_limit.first(), skipped_by_limit.last()) {
            notes.push(format!(
                "{} Seiten ohne Textebene (Seite {first} bis {last}) nicht per OCR erfasst: höchstens {} Seiten je Dokument.",
                skipped_by_limit.len(),
                limits.max_ocr_pages
            ));
        }
        if let (Some(first), Some(last)) = (skipped_by_time.first(), skipped_by_time.last()) {
            notes.push(format!(
                "{} Seiten ohne Textebene (Seite {first} bis {last}) aus Zeitgründen nicht per OCR erfasst.",
                skipped_by_time.len()
            ));
        }
    }

    let method = match (text_pages > 0, ocr_pages > 0) {
        (true, true) => Method::Mixed,
        (false, true) => Method::Ocr,
        (true, false) => Method::Text,
        (false, false) => Method::None,
    };
    Ok(Extracted {
        text: page_texts.join("\n\n"),
        pages,
        ocr_pages,
        method,
        notes,
    })
}

fn parse_pages(info: &str) -> Option<u32> {
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
}

/// Page sizes in points from `pdfinfo -f 1 -l N`, by page number.
fn page_sizes(
    path: &Path,
    pages: u32,
) -> Result<std::collections::HashMap<u32, (f64, f64)>, ExtractError> {
    let out = tools::run(
        "pdfinfo",
        [
            "-f".as_ref(),
            "1".as_ref(),
            "-l".as_ref(),
            pages.to_string().as_ref(),
            path.as_os_str(),
        ],
    )?;
    Ok(parse_sizes(&String::from_utf8_lossy(&out)))
}

/// Lines like `Page    3 size: 595.276 x 841.89 pts (A4)`.
fn parse_sizes(info: &str) -> std::collections::HashMap<u32, (f64, f64)> {
    info.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("Page")?;
            let (num, size) = rest.split_once(" size:")?;
            let n: u32 = num.trim().parse().ok()?;
            let mut it = size.split_whitespace();
            let w: f64 = it.next()?.parse().ok()?;
            let _x = it.next()?;
            let h: f64 = it.next()?.parse().ok()?;
            Some((n, (w, h)))
        })
        .collect()
}

/// The resolution for a page of `w` × `h` points: the configured one, or
/// lower so the raster stays within `max_pixels`; `None` if even
/// [`MIN_DPI`] would exceed it.
fn ocr_dpi(w: f64, h: f64, limits: &Limits) -> Option<u32> {
    if !(w.is_finite() && h.is_finite()) || w <= 0.0 || h <= 0.0 {
        return None;
    }
    let pixels_at = |dpi: f64| (w / 72.0 * dpi) * (h / 72.0 * dpi);
    let max = limits.max_pixels as f64;
    let wanted = f64::from(limits.ocr_dpi);
    if pixels_at(wanted) <= max {
        return Some(limits.ocr_dpi);
    }
    let fitting = (wanted * (max / pixels_at(wanted)).sqrt()).floor();
    if fitting >= f64::from(MIN_DPI) {
        // In range by the check above and wanted's bound.
        Some(fitting as u32)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pdfinfo_output() {
        let info = "Title: x\nPages:          3\nPage    1 size: 595.276 x 841.89 pts (A4)\nPage    2 size: 14400 x 14400 pts\n";
        assert_eq!(parse_pages(info), Some(3));
        let sizes = parse_sizes(info);
        assert_eq!(sizes.get(&1), Some(&(595.276, 841.89)));
        assert_eq!(sizes.get(&2), Some(&(14400.0, 14400.0)));
        assert_eq!(sizes.get(&3), None);
    }

    #[test]
    fn pixel_floods_lower_the_dpi_or_are_refused() {
        let limits = Limits::default();
        // A4 at 300 dpi is ~8.7 MP: unchanged.
        assert_eq!(ocr_dpi(595.0, 842.0, &limits), Some(300));
        // A0 at 300 dpi is ~140 MP: lowered to fit 60 MP.
        let dpi = ocr_dpi(2384.0, 3370.0, &limits);
        assert!(matches!(dpi, Some(d) if (100..300).contains(&d)), "{dpi:?}");
        // 200 in × 200 in: even 100 dpi is 400 MP.
        assert_eq!(ocr_dpi(14400.0, 14400.0, &limits), None);
        assert_eq!(ocr_dpi(f64::NAN, 1.0, &limits), None);
    }
}
