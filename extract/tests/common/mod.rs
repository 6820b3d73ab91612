//! Fixtures built by the tests themselves: hand-written PDFs, ZIP
//! containers, rasterised "scans".
#![allow(clippy::unwrap_used, dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A minimal PDF from object bodies (object `i+1` is `objects[i]`; object 1
/// must be the catalog), with a correct xref table.
pub fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

pub fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\nendstream");
    v
}

/// Windows-1252 bytes of a PDF string literal (Helvetica with
/// WinAnsiEncoding shows ä, ö, ü, ß, € that way).
fn pdf_string(s: &str) -> Vec<u8> {
    let mut v = vec![b'('];
    for c in s.chars() {
        let b = match c {
            '€' => 0x80,
            '–' => 0x96,
            c => u8::try_from(u32::from(c)).expect("Latin-1 text only"),
        };
        if matches!(b, b'(' | b')' | b'\\') {
            v.push(b'\\');
        }
        v.push(b);
    }
    v.push(b')');
    v
}

/// One page of a test PDF.
pub enum Page<'a> {
    /// Lines of Helvetica text at the given size.
    Text(&'a [&'a str], u32),
    /// A DeviceGray raster filling the page.
    Image(&'a Gray),
    /// Nothing on it.
    Blank,
}

/// Build a PDF whose pages all have the MediaBox `w` × `h` points.
pub fn build_pdf(pages: &[Page<'_>], w: u32, h: u32) -> Vec<u8> {
    // 1 catalog, 2 pages, 3 font, then per page: page, contents, [image].
    let mut objects: Vec<Vec<u8>> = vec![Vec::new(), Vec::new(), Vec::new()];
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>".to_vec();
    objects[2] =
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec();
    let mut kids = Vec::new();
    for page in pages {
        let page_id = objects.len() + 1;
        let contents_id = page_id + 1;
        kids.push(format!("{page_id} 0 R"));
        let mut content = Vec::new();
        let mut xobject = String::new();
        let mut image = None;
        match page {
            Page::Text(lines, size) => {
                let mut y = h.saturating_sub(size * 2);
                for line in *lines {
                    write!(content, "BT /F1 {size} Tf 20 {y} Td ").unwrap();
                    content.extend(pdf_string(line));
                    content.extend_from_slice(b" Tj ET\n");
                    y = y.saturating_sub(size * 3 / 2);
                }
            }
            Page::Image(gray) => {
                let image_id = page_id + 2;
                xobject = format!("/XObject << /Im1 {image_id} 0 R >>");
                write!(content, "q {w} 0 0 {h} 0 0 cm /Im1 Do Q").unwrap();
                image = Some(stream(
                    &format!(
                        "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray /BitsPerComponent 8",
                        gray.width, gray.height
                    ),
                    &gray.pixels,
                ));
            }
            Page::Blank => {}
        }
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /Font << /F1 3 0 R >> {xobject} >> /Contents {contents_id} 0 R >>"
            )
            .into_bytes(),
        );
        objects.push(stream("", &content));
        if let Some(image) = image {
            objects.push(image);
        }
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    )
    .into_bytes();
    pdf(&objects)
}

/// An 8-bit grayscale raster.
pub struct Gray {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// Rasterise page 1 of `pdf` with pdftoppm as PNG (a "scan") into `out`.
pub fn rasterise_png(pdf: &Path, dpi: u32, out: &Path) -> PathBuf {
    let base = out.with_extension("");
    let st = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png", "-singlefile"])
        .arg(pdf)
        .arg(&base)
        .status()
        .unwrap();
    assert!(st.success());
    base.with_extension("png")
}

/// Rasterise page 1 of `pdf` with pdftoppm as PGM and decode it.
pub fn rasterise_gray(pdf: &Path, dpi: u32) -> Gray {
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-singlefile"])
        .arg(pdf)
        .output()
        .unwrap();
    assert!(out.status.success());
    // "P5\n<w> <h>\n255\n" then the pixels.
    let data = out.stdout;
    let mut fields = Vec::new();
    let mut pos = 0;
    while fields.len() < 4 {
        while data[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let start = pos;
        while !data[pos].is_ascii_whitespace() {
            pos += 1;
        }
        fields.push(String::from_utf8(data[start..pos].to_vec()).unwrap());
    }
    assert_eq!(fields[0], "P5");
    assert_eq!(fields[3], "255");
    let width: u32 = fields[1].parse().unwrap();
    let height: u32 = fields[2].parse().unwrap();
    let pixels = data[pos + 1..].to_vec();
    assert_eq!(pixels.len(), (width * height) as usize);
    Gray {
        width,
        height,
        pixels,
    }
}

/// A ZIP container (deflated) from name/content pairs.
pub fn zip(path: &Path, entries: &[(&str, &str)]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(content.as_bytes()).unwrap();
    }
    w.finish().unwrap();
}

/// Does any live (non-zombie) process belong to process group `pgid`?
pub fn group_alive(pgid: i32) -> Vec<String> {
    let mut alive = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid pgrp ..." – comm may contain spaces.
        let Some(after) = stat.rsplit_once(')').map(|(_, a)| a) else {
            continue;
        };
        let f: Vec<&str> = after.split_whitespace().collect();
        if f.len() > 3 && f[2] == pgid.to_string() && f[0] != "Z" {
            alive.push(stat);
        }
    }
    alive
}

/// Live processes whose command line mentions `needle`.
pub fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        let zombie = std::fs::read_to_string(entry.path().join("stat"))
            .map(|s| {
                s.rsplit_once(')')
                    .is_some_and(|(_, a)| a.trim_start().starts_with('Z'))
            })
            .unwrap_or(true);
        if cmdline.contains(needle) && !zombie {
            found.push(cmdline);
        }
    }
    found
}

/// Rasterise page 1 of `pdf` with pdftoppm as grayscale JPEG into `out`.
pub fn rasterise_jpeg(pdf: &Path, dpi: u32, out: &Path) -> PathBuf {
    let base = out.with_extension("");
    let st = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-jpeg", "-singlefile"])
        .arg(pdf)
        .arg(&base)
        .status()
        .unwrap();
    assert!(st.success());
    base.with_extension("jpg")
}

/// An uncompressed, big-endian, multi-page grayscale TIFF written by hand.
pub fn tiff(pages: &[&Gray], dpi: u32) -> Vec<u8> {
    let mut t = b"MM\0\x2a".to_vec();
    t.extend(8u32.to_be_bytes());
    // Layout per page: IFD (2 + 11*12 + 4 bytes), two rationals, pixels.
    const ENTRIES: u16 = 11;
    for (i, g) in pages.iter().enumerate() {
        let ifd_at = u32::try_from(t.len()).unwrap();
        let ifd_len = 2 + u32::from(ENTRIES) * 12 + 4;
        let rational_at = ifd_at + ifd_len;
        let pixels_at = rational_at + 16;
        let next = if i + 1 == pages.len() {
            0
        } else {
            pixels_at + u32::try_from(g.pixels.len()).unwrap()
        };
        let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, value: u32| {
            t.extend(tag.to_be_bytes());
            t.extend(typ.to_be_bytes());
            t.extend(1u32.to_be_bytes());
            if typ == 3 {
                t.extend(u16::try_from(value).unwrap().to_be_bytes());
                t.extend([0, 0]);
            } else {
                t.extend(value.to_be_bytes());
            }
        };
        t.extend(ENTRIES.to_be_bytes());
        entry(&mut t, 256, 4, g.width);
        entry(&mut t, 257, 4, g.height);
        entry(&mut t, 258, 3, 8);
        entry(&mut t, 259, 3, 1);
        entry(&mut t, 262, 3, 1);
        entry(&mut t, 273, 4, pixels_at);
        entry(&mut t, 277, 3, 1);
        entry(&mut t, 278, 4, g.height);
        entry(&mut t, 279, 4, u32::try_from(g.pixels.len()).unwrap());
        entry(&mut t, 282, 5, rational_at);
        entry(&mut t, 283, 5, rational_at + 8);
        t.extend(next.to_be_bytes());
        for _ in 0..2 {
            t.extend(dpi.to_be_bytes());
            t.extend(1u32.to_be_bytes());
        }
        t.extend_from_slice(&g.pixels);
    }
    t
}

/// Is `pid` a live (non-zombie) process?
pub fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rsplit_once(')')
                .is_some_and(|(_, a)| !a.trim_start().starts_with('Z'))
        })
        .unwrap_or(false)
}
