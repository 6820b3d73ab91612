//! Multi-page PDFs for the benchmarks: letters with a text layer, and
//! scans (one JPEG per page, no text layer) as a scanner writes them. The
//! product's own `text_pdf` makes one page; a day's post has more.

/// Objects are numbered from 1 in the order they are added; the catalog
/// is object 1 and the page tree object 2, both written by [`Pdf::finish`].
struct Pdf {
    objects: Vec<Vec<u8>>,
    pages: Vec<usize>,
}

impl Pdf {
    fn new() -> Pdf {
        Pdf {
            // Catalog and page tree, filled in at the end.
            objects: vec![Vec::new(), Vec::new()],
            pages: Vec::new(),
        }
    }

    fn add(&mut self, body: Vec<u8>) -> usize {
        self.objects.push(body);
        self.objects.len()
    }

    fn stream(&mut self, dictionary: &str, data: &[u8]) -> usize {
        let mut body = format!("<< {dictionary} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.add(body)
    }

    fn page(&mut self, resources: &str, content: &[u8]) {
        let content = self.stream("", content);
        let page = self.add(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << {resources} >> /Contents {content} 0 R >>"
            )
            .into_bytes(),
        );
        self.pages.push(page);
    }

    fn finish(mut self) -> Vec<u8> {
        self.objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>".to_vec();
        let kids: Vec<String> = self.pages.iter().map(|p| format!("{p} 0 R")).collect();
        self.objects[1] = format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            self.pages.len()
        )
        .into_bytes();
        let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let size = self.objects.len() + 1;
        out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n")
                .as_bytes(),
        );
        out
    }
}

/// Latin-1 (WinAnsi) bytes of a line, escaped for a PDF string.
fn win_ansi(line: &str) -> Vec<u8> {
    line.replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)")
        .chars()
        .map(|c| match c {
            '€' => 0x80,
            c => u8::try_from(u32::from(c)).unwrap_or(b'?'),
        })
        .collect()
}

/// A PDF with one A4 page per entry, each page's lines in Helvetica 11 pt.
pub fn text_pages(pages: &[Vec<String>]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let font = pdf.add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    for lines in pages {
        let mut content = b"BT /F1 11 Tf 70 780 Td 15 TL\n".to_vec();
        for line in lines {
            content.push(b'(');
            content.extend_from_slice(&win_ansi(line));
            content.extend_from_slice(b") Tj T*\n");
        }
        content.extend_from_slice(b"ET");
        pdf.page(&format!("/Font << /F1 {font} 0 R >>"), &content);
    }
    pdf.finish()
}

/// A scanned document: one greyscale JPEG per A4 page, nothing else, so
/// every page needs OCR.
pub fn scanned_pages(jpegs: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    let mut pdf = Pdf::new();
    for jpeg in jpegs {
        let (width, height, components) = jpeg_size(jpeg)?;
        let colour = if components == 1 {
            "/DeviceGray"
        } else {
            "/DeviceRGB"
        };
        let image = pdf.stream(
            &format!(
                "/Type /XObject /Subtype /Image /Width {width} /Height {height} \
                 /ColorSpace {colour} /BitsPerComponent 8 /Filter /DCTDecode"
            ),
            jpeg,
        );
        pdf.page(
            &format!("/XObject << /Im {image} 0 R >>"),
            b"q 595 0 0 842 0 0 cm /Im Do Q",
        );
    }
    Ok(pdf.finish())
}

/// Width, height and colour components from a JPEG's frame header.
fn jpeg_size(jpeg: &[u8]) -> Result<(u16, u16, u8), String> {
    let mut at = 2;
    while at + 9 < jpeg.len() {
        if jpeg[at] != 0xFF {
            return Err(format!("no JPEG marker at byte {at}"));
        }
        let marker = jpeg[at + 1];
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        // SOF0 to SOF15, except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let height = u16::from_be_bytes([jpeg[at + 5], jpeg[at + 6]]);
            let width = u16::from_be_bytes([jpeg[at + 7], jpeg[at + 8]]);
            return Ok((width, height, jpeg[at + 9]));
        }
        at += 2 + length;
    }
    Err("no JPEG frame header found".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_counted_and_every_object_is_in_the_cross_reference() {
        let pdf = text_pages(&[
            vec!["Seite eins".into()],
            vec!["Seite zwei (Straße)".into()],
        ]);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 2"));
        // catalog, tree, font, 2 × (content, page) and the free entry
        assert!(text.contains("xref\n0 8\n"));
        assert!(pdf.windows(4).any(|w| w == b"Stra"));
    }

    #[test]
    fn a_jpeg_frame_header_gives_the_size() {
        // SOI, an APP0 segment of length 4, SOF0 for 8 bit, 20 high, 10 wide, grey.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00,
            0x14, 0x00, 0x0A, 0x01, 0x00, 0x00, 0x00,
        ];
        assert_eq!(jpeg_size(&jpeg), Ok((10, 20, 1)));
        assert!(jpeg_size(&[0xFF, 0xD8, 0x00]).is_err());
    }
}
