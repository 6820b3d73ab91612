//! The fields of the index and how each one is analysed, stored and made fast.

use super::analyzer::{GERMAN, RAW_LOWER};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

/// Written into the index directory beside tantivy's files. Bump it whenever
/// the schema or the analyzers change: `open` then rebuilds from the database.
pub const SCHEMA_VERSION: &str = "aktenwerk-search-3";

/// Field names that collectors look up by name (fast fields).
pub mod names {
    pub const DOCUMENT_ID: &str = "document_id";
    pub const SORT_DATE: &str = "sort_date";
    pub const YEAR: &str = "year";
    pub const MAIN_GROUP: &str = "main_group";
    pub const DOC_TYPE: &str = "doc_type";
    pub const AKTE_STATUS: &str = "akte_status";
    pub const MUNICIPALITY_CODE: &str = "municipality_code";
    pub const VORGANG: &str = "vorgang";
}

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub document_id: Field,
    pub visible_to: Field,
    pub municipality_code: Field,
    pub title: Field,
    pub text: Field,
    /// The beginning of the text, stored for snippets (the text field itself
    /// is not stored: OCR texts can be megabytes).
    pub snippet_text: Field,
    /// Stored only; searched through `meta` and `aktenzeichen_raw`.
    pub aktenzeichen: Field,
    /// "mic 621.1-0007" and "621.1-0007", lower-cased, for exact lookup.
    pub aktenzeichen_raw: Field,
    /// Stored only; searched through `meta`.
    pub plan_code: Field,
    /// The plan code and all its ancestors ("0", "02", "022", "022.3").
    pub plan_path: Field,
    /// Stored only; searched through `meta`.
    pub akte_title: Field,
    /// Stored only; searched through `meta`.
    pub correspondent: Field,
    /// Everything about a document besides title and text, as words:
    /// Aktenzeichen, plan code and title, Akte title, correspondent, tags.
    /// One field instead of six keeps every query term to three lookups.
    pub meta: Field,
    pub doc_type: Field,
    pub year: Field,
    pub main_group: Field,
    /// Unix seconds: the document date (midnight UTC) or else the upload time.
    pub sort_date: Field,
    /// "YYYY-MM-DD", stored only.
    pub document_date: Field,
    pub akte_id: Field,
    pub akte_status: Field,
    pub vorgang_id: Field,
    /// "<id>\u{1f}<Zeichen> <title>" for the Vorgang facet; stored for hits.
    pub vorgang: Field,
}

fn german(positions: bool) -> TextOptions {
    let option = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(GERMAN)
            .set_index_option(option),
    )
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        document_id: b.add_i64_field(names::DOCUMENT_ID, INDEXED | FAST | STORED),
        visible_to: b.add_i64_field("visible_to", INDEXED),
        municipality_code: b.add_text_field(names::MUNICIPALITY_CODE, STRING | FAST | STORED),
        title: b.add_text_field("title", german(true).set_stored()),
        text: b.add_text_field("text", german(true)),
        snippet_text: b.add_text_field("snippet_text", STORED),
        aktenzeichen: b.add_text_field("aktenzeichen", STORED),
        aktenzeichen_raw: b.add_text_field(
            "aktenzeichen_raw",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(RAW_LOWER)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        plan_code: b.add_text_field("plan_code", STORED),
        plan_path: b.add_text_field("plan_path", STRING),
        akte_title: b.add_text_field("akte_title", STORED),
        correspondent: b.add_text_field("correspondent", STORED),
        meta: b.add_text_field("meta", german(false)),
        doc_type: b.add_text_field(names::DOC_TYPE, STRING | FAST | STORED),
        year: b.add_i64_field(names::YEAR, INDEXED | FAST),
        main_group: b.add_text_field(names::MAIN_GROUP, STRING | FAST),
        sort_date: b.add_i64_field(names::SORT_DATE, FAST),
        document_date: b.add_text_field("document_date", STORED),
        akte_id: b.add_i64_field("akte_id", INDEXED),
        akte_status: b.add_text_field(names::AKTE_STATUS, STRING | FAST),
        vorgang_id: b.add_i64_field("vorgang_id", INDEXED),
        vorgang: b.add_text_field(names::VORGANG, STRING | FAST | STORED),
    };
    (b.build(), fields)
}
