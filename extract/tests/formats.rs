//! One test per format, each from a file the test writes itself.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;

use extract::{extract_file, ExtractError, Extracted, Kind, Limits, Method};

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn run(path: &std::path::Path, kind: Kind) -> Extracted {
    extract_file(path, kind, &Limits::default()).unwrap()
}

#[test]
fn pdf_text_layer() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = common::build_pdf(
        &[
            common::Page::Text(
                &["Bürgerbüro der Stadt Musterhausen", "Öffnungszeiten: Mo–Fr"],
                14,
            ),
            common::Page::Text(&["Straßenausbaubeitrag für die Goethestraße 5 €"], 14),
        ],
        595,
        842,
    );
    let p = write(&dir, "brief.pdf", &bytes);
    let r = run(&p, Kind::Pdf);
    assert_eq!(
        (r.pages, r.ocr_pages, r.method),
        (2, 0, Method::Text),
        "{r:?}"
    );
    assert!(
        r.text.contains("Bürgerbüro der Stadt Musterhausen"),
        "{r:?}"
    );
    assert!(
        r.text
            .contains("Straßenausbaubeitrag für die Goethestraße 5 €"),
        "{r:?}"
    );
    // Page one's text comes before page two's.
    assert!(r.text.find("Bürgerbüro") < r.text.find("Straßen"));
}

#[test]
fn pdf_not_a_pdf_is_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "kaputt.pdf", b"%PDF-1.4\nnothing here");
    let e = extract_file(&p, Kind::Pdf, &Limits::default()).unwrap_err();
    assert!(matches!(e, ExtractError::Malformed(_)), "{e:?}");
}

#[test]
fn docx_body_headers_footnotes_tables() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.docx");
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    common::zip(
        &p,
        &[
            ("[Content_Types].xml", "<Types/>"),
            (
                "word/document.xml",
                &format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>
<w:p><w:r><w:t>Bürger</w:t></w:r><w:r><w:t>büro</w:t></w:r></w:p><w:p><w:r><w:t>Müller &amp; Söhne</w:t><w:tab/><w:t>Bonn</w:t><w:br/><w:t xml:space="preserve">zweite Zeile</w:t></w:r></w:p>
<w:p><w:r><w:delText>gelöscht</w:delText><w:instrText>PAGE</w:instrText></w:r></w:p>
<w:p><w:r><mc:AlternateContent xmlns:mc="mc"><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Textfeld</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Textfeld</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Zelle1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Zelle2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>"#
                ),
            ),
            (
                "word/header1.xml",
                &format!(r#"<w:hdr {w}><w:p><w:r><w:t>Kopfzeile Amt</w:t></w:r></w:p></w:hdr>"#),
            ),
            (
                "word/footnotes.xml",
                &format!(
                    r#"<w:footnotes {w}><w:footnote><w:p><w:r><w:t>Fußnote eins</w:t></w:r></w:p></w:footnote></w:footnotes>"#
                ),
            ),
            (
                "docProps/app.xml",
                "<Properties><Pages>3</Pages></Properties>",
            ),
        ],
    );
    let r = run(&p, Kind::Docx);
    assert_eq!((r.pages, r.method), (3, Method::Text), "{r:?}");
    let t = &r.text;
    assert!(t.contains("Bürgerbüro\n"), "{t:?}");
    assert!(t.contains("Müller & Söhne\tBonn\nzweite Zeile"), "{t:?}");
    assert!(
        t.contains("Zelle1") && t.contains("Zelle2") && !t.contains("Zelle1Zelle2"),
        "{t:?}"
    );
    assert!(
        t.contains("Kopfzeile Amt") && t.contains("Fußnote eins"),
        "{t:?}"
    );
    assert!(!t.contains("gelöscht") && !t.contains("PAGE"), "{t:?}");
    // The text box once, not again from its VML fallback.
    assert_eq!(t.matches("Textfeld").count(), 1, "{t:?}");
}

#[test]
fn xlsx_sheets_shared_and_inline_strings() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.xlsx");
    common::zip(
        &p,
        &[
            (
                "xl/workbook.xml",
                r#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Haushalt 2025" sheetId="1" r:id="rId1"/><sheet name="Personal" sheetId="2" r:id="rId2"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<Relationships><Relationship Id="rId2" Target="worksheets/sheet2.xml"/><Relationship Id="rId1" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#,
            ),
            (
                "xl/sharedStrings.xml",
                r#"<sst><si><t>Straßenbeleuchtung</t></si><si><r><t>Grün</t></r><r><t>flächen</t></r><rPh><t>PHONETIK</t></rPh></si></sst>"#,
            ),
            (
                "xl/worksheets/sheet1.xml",
                r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>12500.5</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="inlineStr"><is><t>Friedhof</t></is></c><c r="C2"><f>SUM(B1:B1)</f><v>7</v></c></row></sheetData></worksheet>"#,
            ),
            (
                "xl/worksheets/sheet2.xml",
                r#"<worksheet><sheetData><row><c t="str"><v>Sachbearbeiterin</v></c></row></sheetData></worksheet>"#,
            ),
        ],
    );
    let r = run(&p, Kind::Xlsx);
    assert_eq!((r.pages, r.method), (2, Method::Text), "{r:?}");
    let t = &r.text;
    assert!(
        t.starts_with("Haushalt 2025\nStraßenbeleuchtung\t12500.5\nGrünflächen\tFriedhof\t7\n"),
        "{t:?}"
    );
    assert!(t.contains("Personal\nSachbearbeiterin"), "{t:?}");
    assert!(!t.contains("SUM") && !t.contains("PHONETIK"), "{t:?}");
}

#[test]
fn pptx_slides_in_numeric_order() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.pptx");
    let slide = |text: &str| {
        format!(
            r#"<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r><a:br/><a:r><a:t>Unterpunkt</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
        )
    };
    common::zip(
        &p,
        &[
            ("ppt/slides/slide10.xml", &slide("Folie zehn")),
            ("ppt/slides/slide2.xml", &slide("Folie zwei")),
            ("ppt/slides/slide1.xml", &slide("Folie eins")),
            ("ppt/slides/_rels/slide1.xml.rels", "<Relationships/>"),
            (
                "ppt/notesSlides/notesSlide1.xml",
                r#"<p:notes xmlns:a="a" xmlns:p="p"><a:p><a:r><a:t>Sprechernotiz zum Haushalt</a:t></a:r></a:p></p:notes>"#,
            ),
        ],
    );
    let r = run(&p, Kind::Pptx);
    assert_eq!((r.pages, r.method), (3, Method::Text), "{r:?}");
    let (a, b, c) = (
        r.text.find("Folie eins").unwrap(),
        r.text.find("Folie zwei").unwrap(),
        r.text.find("Folie zehn").unwrap(),
    );
    assert!(a < b && b < c, "{:?}", r.text);
    assert!(
        r.text.ends_with("Sprechernotiz zum Haushalt"),
        "{:?}",
        r.text
    );
    assert!(r.text.contains("Folie eins\nUnterpunkt"), "{:?}", r.text);
}

#[test]
fn odt_paragraphs_spaces_and_page_count() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.odt");
    common::zip(
        &p,
        &[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            (
                "content.xml",
                r#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text><text:tracked-changes><text:changed-region><text:deletion><text:p>Gestrichen</text:p></text:deletion></text:changed-region></text:tracked-changes><text:h>Satzung über die Erhebung</text:h><text:p>Gebühr<text:s text:c="3"/>pro<text:tab/>Jahr <text:span>für</text:span>&#160;Hunde<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>Siehe Anlage</text:p></text:note-body></text:note></text:p><text:p>Absatz<text:line-break/>zwei</text:p></office:text></office:body></office:document-content>"#,
            ),
            (
                "meta.xml",
                r#"<office:document-meta xmlns:office="o" xmlns:meta="m"><office:meta><meta:document-statistic meta:page-count="2" meta:word-count="9"/></office:meta></office:document-meta>"#,
            ),
            (
                "styles.xml",
                r#"<office:document-styles xmlns:office="o" xmlns:style="s" xmlns:text="t"><office:styles><style:style style:name="Standard"/></office:styles><office:master-styles><style:master-page><style:header><text:p>Amtsblatt der Stadt</text:p></style:header><style:footer><text:p>Seite <text:page-number>1</text:page-number></text:p></style:footer></style:master-page></office:master-styles></office:document-styles>"#,
            ),
        ],
    );
    let r = run(&p, Kind::Odt);
    assert_eq!((r.pages, r.method), (2, Method::Text), "{r:?}");
    let t = &r.text;
    assert!(
        t.starts_with("Satzung über die Erhebung\nGebühr   pro\tJahr für Hunde 1 Siehe Anlage\n"),
        "{t:?}"
    );
    assert!(t.contains("\nAbsatz\nzwei\n"), "{t:?}");
    assert!(t.ends_with("Amtsblatt der Stadt\nSeite 1"), "{t:?}");
    assert!(!t.contains("Gestrichen"), "{t:?}");
}

#[test]
fn ods_tables_are_pages() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.ods");
    let cell = |v: &str| format!("<table:table-cell><text:p>{v}</text:p></table:table-cell>");
    common::zip(
        &p,
        &[(
            "content.xml",
            &format!(
                r#"<office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="tb"><office:body><office:spreadsheet><table:table table:name="Einnahmen"><table:table-row>{}{}</table:table-row><table:table-row>{}</table:table-row></table:table><table:table table:name="Ausgaben"><table:table-row>{}</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#,
                cell("Hundesteuer"),
                cell("4200"),
                cell("Grundsteuer"),
                cell("Straßenreinigung")
            ),
        )],
    );
    let r = run(&p, Kind::Ods);
    assert_eq!((r.pages, r.method), (2, Method::Text), "{r:?}");
    let t = &r.text;
    assert!(
        t.contains("Einnahmen\nHundesteuer\t4200\nGrundsteuer"),
        "{t:?}"
    );
    assert!(t.contains("Ausgaben\nStraßenreinigung"), "{t:?}");
}

#[test]
fn office_without_its_main_part_is_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("leer.docx");
    common::zip(&p, &[("foo.txt", "bar")]);
    let e = extract_file(&p, Kind::Docx, &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "malformed", "{e:?}");
    let p = write(&dir, "nozip.xlsx", b"PK\x03\x04 not really");
    let e = extract_file(&p, Kind::Xlsx, &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "malformed", "{e:?}");
}

#[test]
fn txt_in_four_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let want = "Anliegerstraße 5 – 100 €";
    let utf8 = want.as_bytes().to_vec();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(want.as_bytes());
    let mut utf16 = b"\xFF\xFE".to_vec();
    utf16.extend(want.encode_utf16().flat_map(u16::to_le_bytes));
    let cp1252 = b"Anliegerstra\xDFe 5 \x96 100 \x80".to_vec();
    for (name, bytes) in [("u8", utf8), ("bom", bom), ("u16", utf16), ("cp", cp1252)] {
        let p = write(&dir, &format!("{name}.txt"), &bytes);
        let r = run(&p, Kind::Txt);
        assert_eq!(r.text, want, "{name}");
        assert_eq!((r.pages, r.method), (1, Method::Text), "{name}");
    }
}

#[test]
fn csv_cells_become_tab_separated() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "a.csv",
        "Aktenzeichen;Betreff\n\"32.1-2025\";\"Sondernutzung; Gehweg\"\n".as_bytes(),
    );
    let r = run(&p, Kind::Csv);
    assert_eq!(
        r.text,
        "Aktenzeichen\tBetreff\n32.1-2025\tSondernutzung; Gehweg"
    );
}

#[test]
fn text_is_capped_at_a_char_boundary() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "lang.txt", "ä".repeat(10_000).as_bytes());
    let limits = Limits {
        max_text_bytes: 1001,
        ..Limits::default()
    };
    let r = extract_file(&p, Kind::Txt, &limits).unwrap();
    assert_eq!(r.text, "ä".repeat(500));
    assert_eq!(r.notes.len(), 1, "{r:?}");
}

#[test]
fn eml_html_only_with_script_entities_and_attachment() {
    let dir = tempfile::tempdir().unwrap();
    let mail = "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <j.mueller@example.org>\r\n\
To: Bauamt <bauamt@musterhausen.de>\r\n\
Cc: poststelle@musterhausen.de\r\n\
Subject: =?UTF-8?Q?Widerspruch_Stra=C3=9Fenausbaubeitrag?=\r\n\
Date: Tue, 04 Mar 2025 10:15:00 +0100\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\
\r\n\
--XYZ\r\n\
Content-Type: text/html; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
<html><head><style>p {color: red}</style></head><body><p>Sehr geehrte Damen und Herren,</p>=\r\n\
<script>alert('nicht indexieren')</script><p>hiermit lege ich Widerspruch gegen den Beschei=\r\n\
d f=C3=BCr die Gro=C3=9Fe Stra&szlig;e &amp; den Gehweg ein.</p><p>Mit freundlichen Gr&uuml;&szlig;en</p></body></html>\r\n\
--XYZ\r\n\
Content-Type: application/pdf; name=\"Bescheid_2025.pdf\"\r\n\
Content-Disposition: attachment; filename=\"Bescheid_2025.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQK\r\n\
--XYZ--\r\n";
    let p = write(&dir, "a.eml", mail.as_bytes());
    let r = run(&p, Kind::Eml);
    let t = &r.text;
    assert_eq!(r.method, Method::Text);
    assert!(
        t.contains("Von: Jürgen Müller <j.mueller@example.org>"),
        "{t:?}"
    );
    assert!(t.contains("An: Bauamt <bauamt@musterhausen.de>"), "{t:?}");
    assert!(t.contains("Cc: poststelle@musterhausen.de"), "{t:?}");
    assert!(
        t.contains("Betreff: Widerspruch Straßenausbaubeitrag"),
        "{t:?}"
    );
    assert!(t.contains("Datum: 2025-03-04"), "{t:?}");
    assert!(
        t.contains("Sehr geehrte Damen und Herren,\n\nhiermit"),
        "{t:?}"
    );
    assert!(
        t.contains("Bescheid für die Große Straße & den Gehweg ein."),
        "{t:?}"
    );
    assert!(t.contains("Mit freundlichen Grüßen"), "{t:?}");
    assert!(!t.contains("alert") && !t.contains("color"), "{t:?}");
    assert!(t.contains("Anhänge: Bescheid_2025.pdf"), "{t:?}");
}
