//! Scans (TIFF, PNG, JPEG): read the dimensions from the header ourselves
//! and refuse pixel floods before Tesseract allocates anything.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::{tools, ExtractError, Extracted, Kind, Limits, Method};

pub(crate) fn extract(path: &Path, kind: Kind, limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut file = File::open(path)?;
    let sizes = match kind {
        Kind::Png => vec![png_size(&mut file)?],
        Kind::Jpeg => vec![jpeg_size(&mut file)?],
        _ => tiff_sizes(&mut file)?,
    };
    drop(file);
    if sizes.is_empty() {
        return Err(ExtractError::Malformed(
            "Das Bild enthält keine Seite.".to_owned(),
        ));
    }
    let pages = u32::try_from(sizes.len()).unwrap_or(u32::MAX);
    if pages > limits.max_ocr_pages {
        return Err(ExtractError::TooLarge(format!(
            "{pages} Seiten, höchstens {} werden per OCR erfasst.",
            limits.max_ocr_pages
        )));
    }
    for (i, &(w, h)) in sizes.iter().enumerate() {
        let pixels = u64::from(w) * u64::from(h);
        if pixels > limits.max_pixels {
            return Err(ExtractError::TooLarge(format!(
                "Seite {} hat {w} × {h} Pixel ({} MP), erlaubt sind {} MP.",
                i + 1,
                pixels / 1_000_000,
                limits.max_pixels / 1_000_000
            )));
        }
    }
    let text = tools::tesseract(path)?;
    Ok(Extracted {
        text,
        pages,
        ocr_pages: pages,
        method: Method::Ocr,
        notes: Vec::new(),
    })
}

fn malformed(what: &str) -> ExtractError {
    ExtractError::Malformed(format!("{what}: Kopfdaten nicht lesbar."))
}

/// Width and height from the IHDR chunk, which must come first.
fn png_size(r: &mut impl Read) -> Result<(u32, u32), ExtractError> {
    let mut head = [0u8; 24];
    r.read_exact(&mut head).map_err(|_| malformed("PNG"))?;
    if &head[..8] != b"\x89PNG\r\n\x1a\n" || &head[12..16] != b"IHDR" {
        return Err(malformed("PNG"));
    }
    let w = u32::from_be_bytes([head[16], head[17], head[18], head[19]]);
    let h = u32::from_be_bytes([head[20], head[21], head[22], head[23]]);
    Ok((w, h))
}

/// Width and height from the first SOFn marker.
fn jpeg_size(r: &mut impl Read) -> Result<(u32, u32), ExtractError> {
    let mut b2 = [0u8; 2];
    r.read_exact(&mut b2).map_err(|_| malformed("JPEG"))?;
    if b2 != [0xFF, 0xD8] {
        return Err(malformed("JPEG"));
    }
    loop {
        let mut m = [0u8; 1];
        // Find the next marker, skipping fill bytes.
        r.read_exact(&mut m).map_err(|_| malformed("JPEG"))?;
        if m[0] != 0xFF {
            return Err(malformed("JPEG"));
        }
        let mut marker = 0xFF;
        while marker == 0xFF {
            r.read_exact(&mut m).map_err(|_| malformed("JPEG"))?;
            marker = m[0];
        }
        // Standalone markers carry no length.
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            continue;
        }
        r.read_exact(&mut b2).map_err(|_| malformed("JPEG"))?;
        let len = u16::from_be_bytes(b2);
        if len < 2 {
            return Err(malformed("JPEG"));
        }
        let is_sof = (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
        if is_sof {
            let mut sof = [0u8; 5];
            r.read_exact(&mut sof).map_err(|_| malformed("JPEG"))?;
            let h = u16::from_be_bytes([sof[1], sof[2]]);
            let w = u16::from_be_bytes([sof[3], sof[4]]);
            return Ok((u32::from(w), u32::from(h)));
        }
        let mut skip = r.take(u64::from(len - 2));
        let skipped = std::io::copy(&mut skip, &mut std::io::sink())?;
        if skipped != u64::from(len - 2) {
            return Err(malformed("JPEG"));
        }
    }
}

/// Width and height of every page (IFD) of a TIFF.
fn tiff_sizes<R: Read + Seek>(r: &mut R) -> Result<Vec<(u32, u32)>, ExtractError> {
    let mut head = [0u8; 8];
    r.read_exact(&mut head).map_err(|_| malformed("TIFF"))?;
    let le = match &head[..4] {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return Err(malformed("TIFF")),
    };
    let u16_at = |b: &[u8]| {
        let a = [b[0], b[1]];
        if le {
            u16::from_le_bytes(a)
        } else {
            u16::from_be_bytes(a)
        }
    };
    let u32_at = |b: &[u8]| {
        let a = [b[0], b[1], b[2], b[3]];
        if le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        }
    };
    let mut next = u32_at(&head[4..8]);
    let mut sizes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while next != 0 {
        // A loop in the IFD chain or an absurd page count is a hostile file.
        if !seen.insert(next) || sizes.len() > 100_000 {
            return Err(malformed("TIFF"));
        }
        r.seek(SeekFrom::Start(u64::from(next)))?;
        let mut n = [0u8; 2];
        r.read_exact(&mut n).map_err(|_| malformed("TIFF"))?;
        let count = usize::from(u16_at(&n));
        let mut entries = vec![0u8; count * 12 + 4];
        r.read_exact(&mut entries).map_err(|_| malformed("TIFF"))?;
        let (mut w, mut h) = (None, None);
        for e in entries[..count * 12].chunks_exact(12) {
            let tag = u16_at(&e[0..2]);
            let typ = u16_at(&e[2..4]);
            let value = match typ {
                3 => u32::from(u16_at(&e[8..10])),
                4 => u32_at(&e[8..12]),
                _ => continue,
            };
            match tag {
                256 => w = Some(value),
                257 => h = Some(value),
                _ => {}
            }
        }
        match (w, h) {
            (Some(w), Some(h)) => sizes.push((w, h)),
            _ => return Err(malformed("TIFF")),
        }
        next = u32_at(&entries[count * 12..]);
    }
    Ok(sizes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn png_header() {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(100_000u32.to_be_bytes());
        b.extend(200u32.to_be_bytes());
        assert_eq!(png_size(&mut Cursor::new(b)).unwrap(), (100_000, 200));
        assert!(png_size(&mut Cursor::new(b"GIF89a".to_vec())).is_err());
    }

    #[test]
    fn jpeg_header_skips_app_segments() {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2];
        b.extend([0xFF, 0xC2, 0, 11, 8, 0x03, 0xE8, 0x07, 0xD0, 1, 0, 0, 0]);
        assert_eq!(jpeg_size(&mut Cursor::new(b)).unwrap(), (2000, 1000));
    }

    #[test]
    fn tiff_pages_are_counted() {
        // Little-endian, two IFDs with width/height.
        let ifd = |w: u32, h: u16, next: u32| {
            let mut v = 2u16.to_le_bytes().to_vec();
            v.extend(256u16.to_le_bytes());
            v.extend(4u16.to_le_bytes());
            v.extend(1u32.to_le_bytes());
            v.extend(w.to_le_bytes());
            v.extend(257u16.to_le_bytes());
            v.extend(3u16.to_le_bytes());
            v.extend(1u32.to_le_bytes());
            v.extend(h.to_le_bytes());
            v.extend([0, 0]);
            v.extend(next.to_le_bytes());
            v
        };
        let mut b = b"II*\0".to_vec();
        b.extend(8u32.to_le_bytes());
        b.extend(ifd(10, 20, 8 + 30));
        b.extend(ifd(300_000, 40_000, 0));
        let sizes = tiff_sizes(&mut Cursor::new(b.clone())).unwrap();
        assert_eq!(sizes, vec![(10, 20), (300_000, 40_000)]);
        // A loop back to the first IFD.
        let n = b.len();
        b[n - 4..].copy_from_slice(&8u32.to_le_bytes());
        assert!(tiff_sizes(&mut Cursor::new(b)).is_err());
    }
}
