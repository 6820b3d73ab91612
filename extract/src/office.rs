//! Office Open XML (DOCX, XLSX, PPTX) and OpenDocument (ODT, ODS).
//!
//! Both are ZIP containers of XML. Every entry is streamed through a
//! [`Guarded`] reader that counts the bytes actually inflated – header sizes
//! are attacker-controlled – against one budget for the whole file and
//! against a compression-ratio ceiling, so a zip bomb ends as
//! [`ExtractError::TooLarge`] after a few MiB instead of after a few GiB.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;

use crate::{text_result, ExtractError, Extracted, Limits};

/// No honest office XML compresses better than this; zeros do ~1000:1.
const MAX_RATIO: u64 = 200;
/// The ratio is only judged after this much output, so tiny entries with
/// a large header overhead never trip it.
const RATIO_GRACE: u64 = 8 * 1024 * 1024;

struct Budget {
    used: Cell<u64>,
    max: u64,
    tripped: RefCell<Option<String>>,
}

impl Budget {
    fn trip(&self, why: String) -> io::Error {
        let err = io::Error::other(why.clone());
        *self.tripped.borrow_mut() = Some(why);
        err
    }
}

/// Counts inflated bytes of one entry against the shared budget.
struct Guarded<'b, R> {
    inner: R,
    budget: &'b Budget,
    read: u64,
    compressed: u64,
}

impl<R: Read> Read for Guarded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let used = self.budget.used.get() + n as u64;
        self.budget.used.set(used);
        if used > self.budget.max {
            return Err(self.budget.trip(format!(
                "entpackt mehr als {} MiB (möglicherweise eine ZIP-Bombe).",
                self.budget.max / (1024 * 1024)
            )));
        }
        if self.read > RATIO_GRACE && self.read / self.compressed.max(1) > MAX_RATIO {
            return Err(self.budget.trip(format!(
                "ein Bestandteil ist mehr als {MAX_RATIO}-fach komprimiert (möglicherweise eine ZIP-Bombe)."
            )));
        }
        Ok(n)
    }
}

/// Elements whose content is never text of the document: OOXML repeats
/// text boxes in `mc:Fallback` (VML) after `mc:Choice`, and ODF keeps
/// deleted text in `text:tracked-changes`.
const SKIPPED: &[&str] = &["Fallback", "tracked-changes"];

/// One XML event, reduced to what the extractors need.
enum Ev<'a> {
    /// Start of an element (also emitted for empty elements) by local name.
    Start(&'a str, &'a BytesStart<'a>),
    /// End of an element (also emitted for empty elements) by local name.
    End(&'a str),
    Text(&'a str),
}

struct Container {
    archive: ZipArchive<File>,
    budget: Budget,
    names: Vec<String>,
}

impl Container {
    fn open(path: &Path, limits: &Limits) -> Result<Container, ExtractError> {
        let archive = ZipArchive::new(File::open(path)?)
            .map_err(|e| ExtractError::Malformed(format!("kein gültiges ZIP-Archiv ({e}).")))?;
        let names = archive
            .file_names()
            .filter_map(|n| n.ok().map(Cow::into_owned))
            .collect();
        Ok(Container {
            archive,
            budget: Budget {
                used: Cell::new(0),
                max: limits.max_unpacked_bytes,
                tripped: RefCell::new(None),
            },
            names,
        })
    }

    /// Stream the XML entry `name` through `handler` (which returns false
    /// to stop early). `Ok(false)` if there is no such entry.
    fn walk(
        &mut self,
        name: &str,
        mut handler: impl FnMut(Ev<'_>) -> bool,
    ) -> Result<bool, ExtractError> {
        let Ok(file) = self.archive.by_name(name) else {
            return Ok(false);
        };
        let remaining = self.budget.max.saturating_sub(self.budget.used.get());
        if file.size() > remaining {
            return Err(ExtractError::TooLarge(format!(
                "„{name}“ entpackt laut Verzeichnis {} MiB, erlaubt sind insgesamt {} MiB.",
                file.size() / (1024 * 1024),
                self.budget.max / (1024 * 1024)
            )));
        }
        let compressed = file.compressed_size();
        let guarded = Guarded {
            // One byte over the remaining budget is enough to notice.
            inner: file.take(remaining.saturating_add(1)),
            budget: &self.budget,
            read: 0,
            compressed,
        };
        let mut reader = Reader::from_reader(BufReader::new(guarded));
        let mut buf = Vec::new();
        let mut skip_depth = 0u32;
        loop {
            let ev = match reader.read_event_into(&mut buf) {
                Ok(ev) => ev,
                Err(e) => {
                    if let Some(why) = self.budget.tripped.borrow().as_ref() {
                        return Err(ExtractError::TooLarge(why.clone()));
                    }
                    return Err(ExtractError::Malformed(format!(
                        "XML-Fehler in „{name}“ ({e})."
                    )));
                }
            };
            // Nothing inside a skipped element reaches the handler.
            let go_on = match &ev {
                Event::Start(e) if SKIPPED.contains(&e.local_name().into_inner()) => {
                    skip_depth += 1;
                    true
                }
                Event::End(e) if SKIPPED.contains(&e.local_name().into_inner()) => {
                    skip_depth = skip_depth.saturating_sub(1);
                    true
                }
                Event::Eof => break,
                _ if skip_depth > 0 => true,
                Event::Start(e) => handler(Ev::Start(e.local_name().into_inner(), e)),
                Event::Empty(e) => {
                    handler(Ev::Start(e.local_name().into_inner(), e))
                        && handler(Ev::End(e.local_name().into_inner()))
                }
                Event::End(e) => handler(Ev::End(e.local_name().into_inner())),
                Event::Text(t) => handler(Ev::Text(&t.xml10_content())),
                Event::CData(t) => handler(Ev::Text(&t.xml10_content())),
                Event::GeneralRef(r) => {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match r.xml10_content().as_ref() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    match c {
                        Some(c) => handler(Ev::Text(c.encode_utf8(&mut [0u8; 4]))),
                        None => true,
                    }
                }
                _ => true,
            };
            if !go_on {
                break;
            }
            buf.clear();
        }
        Ok(true)
    }

    /// Entries matching `prefix<N>suffix`, ordered by N.
    fn numbered(&self, prefix: &str, suffix: &str) -> Vec<String> {
        let mut found: Vec<(u64, String)> = self
            .names
            .iter()
            .filter_map(|n| {
                let num = n.strip_prefix(prefix)?.strip_suffix(suffix)?;
                Some((num.parse().ok()?, n.clone()))
            })
            .collect();
        found.sort();
        found.into_iter().map(|(_, n)| n).collect()
    }

    /// The text content of the first element named `local` in `entry`.
    fn element_text(&mut self, entry: &str, local: &str) -> Result<Option<String>, ExtractError> {
        let mut inside = false;
        let mut value: Option<String> = None;
        self.walk(entry, |ev| match ev {
            Ev::Start(n, _) if n == local => {
                inside = true;
                true
            }
            Ev::Text(t) if inside => {
                value.get_or_insert_with(String::new).push_str(t);
                true
            }
            Ev::End(n) if n == local => false,
            _ => true,
        })?;
        Ok(value)
    }
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(Cow::into_owned)
        })
}

/// Stop collecting once this much text is there; the final cap cuts exactly.
fn full(out: &str, limits: &Limits) -> bool {
    out.len() > limits.max_text_bytes
}

/// Word: body, then headers, footers, footnotes and endnotes.
pub(crate) fn docx(path: &Path, limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut c = Container::open(path, limits)?;
    let mut parts = vec!["word/document.xml".to_owned()];
    for prefix in ["word/header", "word/footer"] {
        parts.extend(c.numbered(prefix, ".xml"));
    }
    parts.push("word/footnotes.xml".to_owned());
    parts.push("word/endnotes.xml".to_owned());
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        let mut in_t = false;
        let found = c.walk(part, |ev| {
            match ev {
                // Only w:t holds visible text; w:delText (deleted) and
                // w:instrText (field codes) are left out on purpose.
                Ev::Start("t", _) => in_t = true,
                Ev::End("t") => in_t = false,
                Ev::Text(t) if in_t => out.push_str(t),
                Ev::Start("tab", _) => out.push('\t'),
                Ev::Start("br" | "cr", _) => out.push('\n'),
                Ev::End("p") => out.push('\n'),
                Ev::End("tc") => out.push('\t'),
                _ => {}
            }
            !full(&out, limits)
        })?;
        if i == 0 && !found {
            return Err(ExtractError::Malformed(
                "word/document.xml fehlt.".to_owned(),
            ));
        }
        out.push('\n');
    }
    let pages = c
        .element_text("docProps/app.xml", "Pages")?
        .and_then(|p| p.trim().parse().ok())
        .filter(|&p| p > 0)
        .unwrap_or(1);
    Ok(text_result(out, pages))
}

/// Excel: each sheet as its name, then rows of tab-separated cells.
pub(crate) fn xlsx(path: &Path, limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut c = Container::open(path, limits)?;

    let mut shared: Vec<String> = Vec::new();
    {
        let (mut cur, mut in_t, mut in_phonetic) = (String::new(), false, false);
        c.walk("xl/sharedStrings.xml", |ev| {
            match ev {
                Ev::Start("si", _) => cur.clear(),
                Ev::End("si") => shared.push(std::mem::take(&mut cur)),
                Ev::Start("rPh", _) => in_phonetic = true,
                Ev::End("rPh") => in_phonetic = false,
                Ev::Start("t", _) => in_t = true,
                Ev::End("t") => in_t = false,
                Ev::Text(t) if in_t && !in_phonetic => cur.push_str(t),
                _ => {}
            }
            true
        })?;
    }

    let mut rels: HashMap<String, String> = HashMap::new();
    c.walk("xl/_rels/workbook.xml.rels", |ev| {
        if let Ev::Start("Relationship", e) = ev {
            if let (Some(id), Some(target)) = (attr(e, "Id"), attr(e, "Target")) {
                let target = match target.strip_prefix('/') {
                    Some(abs) => abs.to_owned(),
                    None => format!("xl/{target}"),
                };
                rels.insert(id, target);
            }
        }
        true
    })?;
    let mut sheets: Vec<(String, String)> = Vec::new();
    c.walk("xl/workbook.xml", |ev| {
        if let Ev::Start("sheet", e) = ev {
            let name = attr(e, "name").unwrap_or_default();
            if let Some(target) = attr(e, "id").and_then(|id| rels.get(&id)) {
                sheets.push((name, target.clone()));
            }
        }
        true
    })?;
    if sheets.is_empty() {
        sheets = c
            .numbered("xl/worksheets/sheet", ".xml")
            .into_iter()
            .map(|n| (String::new(), n))
            .collect();
    }
    if sheets.is_empty() {
        return Err(ExtractError::Malformed(
            "Die Arbeitsmappe enthält keine Tabellenblätter.".to_owned(),
        ));
    }

    let mut out = String::new();
    for (name, entry) in &sheets {
        if !name.is_empty() {
            out.push_str(name);
            out.push('\n');
        }
        let (mut typ, mut in_v, mut in_t, mut cell) = (None::<String>, false, false, String::new());
        c.walk(entry, |ev| {
            match ev {
                Ev::Start("c", e) => {
                    typ = attr(e, "t");
                    cell.clear();
                }
                Ev::Start("v", _) => in_v = true,
                Ev::End("v") => in_v = false,
                Ev::Start("t", _) => in_t = true,
                Ev::End("t") => in_t = false,
                Ev::Text(t) if in_v || in_t => cell.push_str(t),
                Ev::End("c") => {
                    let value = match typ.as_deref() {
                        Some("s") => cell
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| shared.get(i))
                            .map(String::as_str)
                            .unwrap_or(""),
                        _ => cell.as_str(),
                    };
                    if !value.is_empty() {
                        out.push_str(value);
                        out.push('\t');
                    }
                }
                Ev::End("row") => out.push('\n'),
                _ => {}
            }
            !full(&out, limits)
        })?;
        out.push('\n');
    }
    let pages = u32::try_from(sheets.len()).unwrap_or(u32::MAX);
    Ok(text_result(out, pages))
}

/// PowerPoint: slides in the numeric order of their file names.
pub(crate) fn pptx(path: &Path, limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut c = Container::open(path, limits)?;
    let slides = c.numbered("ppt/slides/slide", ".xml");
    if slides.is_empty() {
        return Err(ExtractError::Malformed(
            "Die Präsentation enthält keine Folien.".to_owned(),
        ));
    }
    let mut out = String::new();
    for slide in &slides {
        let mut in_t = false;
        c.walk(slide, |ev| {
            match ev {
                Ev::Start("t", _) => in_t = true,
                Ev::End("t") => in_t = false,
                Ev::Text(t) if in_t => out.push_str(t),
                Ev::Start("br", _) | Ev::End("p") => out.push('\n'),
                Ev::End("tc") => out.push('\t'),
                _ => {}
            }
            !full(&out, limits)
        })?;
        out.push_str("\n\n");
    }
    // Speaker notes after all slides: their numbering need not match.
    for notes in c.numbered("ppt/notesSlides/notesSlide", ".xml") {
        let mut in_t = false;
        c.walk(&notes, |ev| {
            match ev {
                Ev::Start("t", _) => in_t = true,
                Ev::End("t") => in_t = false,
                Ev::Text(t) if in_t => out.push_str(t),
                Ev::Start("br", _) | Ev::End("p") => out.push('\n'),
                _ => {}
            }
            !full(&out, limits)
        })?;
        out.push('\n');
    }
    let pages = u32::try_from(slides.len()).unwrap_or(u32::MAX);
    Ok(text_result(out, pages))
}

/// OpenDocument `content.xml`; returns the text and the number of tables.
fn odf_content(
    c: &mut Container,
    limits: &Limits,
    sheet_names: bool,
) -> Result<(String, u32), ExtractError> {
    let mut out = String::new();
    let (mut tables, mut cell_depth) = (0u32, 0u32);
    let found = c.walk("content.xml", |ev| {
        match ev {
            Ev::Text(t) => out.push_str(t),
            Ev::Start("s", e) => {
                let n = attr(e, "c")
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(1);
                out.push_str(&" ".repeat(n.clamp(1, 100)));
            }
            Ev::Start("tab", _) => out.push('\t'),
            Ev::Start("line-break", _) => out.push('\n'),
            // A footnote sits inside its paragraph: keep its number and
            // text apart from the words around it.
            Ev::Start("note", _) | Ev::End("note" | "note-citation") => out.push(' '),
            Ev::Start("table", e) => {
                tables += 1;
                if sheet_names {
                    if let Some(name) = attr(e, "name") {
                        out.push_str(&name);
                        out.push('\n');
                    }
                }
            }
            Ev::Start("table-cell" | "covered-table-cell", _) => cell_depth += 1,
            Ev::End("table-cell" | "covered-table-cell") => {
                cell_depth = cell_depth.saturating_sub(1);
                out.truncate(out.trim_end_matches(' ').len());
                out.push('\t');
            }
            // Paragraphs inside a cell stay on the row's line.
            Ev::End("p" | "h") if cell_depth > 0 => out.push(' '),
            Ev::End("p" | "h" | "table-row" | "list-item") => out.push('\n'),
            Ev::End("table") => out.push('\n'),
            _ => {}
        }
        !full(&out, limits)
    })?;
    if !found {
        return Err(ExtractError::Malformed("content.xml fehlt.".to_owned()));
    }
    Ok((out, tables))
}

const HEADER_FOOTER: &[&str] = &[
    "header",
    "footer",
    "header-left",
    "footer-left",
    "header-first",
    "footer-first",
];

pub(crate) fn odt(path: &Path, limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut c = Container::open(path, limits)?;
    let (mut text, _) = odf_content(&mut c, limits, false)?;
    // Headers and footers live in the master pages of styles.xml.
    let mut depth = 0u32;
    c.walk("styles.xml", |ev| {
        match ev {
            Ev::Start(n, _) if HEADER_FOOTER.contains(&n) => depth += 1,
            Ev::End(n) if HEADER_FOOTER.contains(&n) => {
                depth = depth.saturating_sub(1);
                if !text.ends_with('\n') {
                    text.push('\n');
                }
            }
            Ev::Text(t) if depth > 0 => text.push_str(t),
            Ev::Start("s" | "tab", _) if depth > 0 => text.push(' '),
            Ev::End("p" | "h") if depth > 0 => text.push('\n'),
            _ => {}
        }
        !full(&text, limits)
    })?;
    let mut pages = 1;
    c.walk("meta.xml", |ev| {
        if let Ev::Start("document-statistic", e) = ev {
            if let Some(p) = attr(e, "page-count").and_then(|p| p.parse().ok()) {
                pages = p;
            }
            return false;
        }
        true
    })?;
    Ok(text_result(text, pages.max(1)))
}

pub(crate) fn ods(path: &Path, limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut c = Container::open(path, limits)?;
    let (text, tables) = odf_content(&mut c, limits, true)?;
    Ok(text_result(text, tables.max(1)))
}
