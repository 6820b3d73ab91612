//! Full-text search over documents: the query a person types, the results
//! page, suggestions in the header, and (server side) the tantivy index that
//! answers them.
//!
//! The permission rule lives in the index query itself: every document carries
//! the municipalities that may see it (its owner and those its Akte is shared
//! with), and every search is restricted to the viewer's municipality. Hits,
//! counts, facets, snippets and suggestions all come from that one restricted
//! query, so none of them can mention a document the viewer may not open.

#[cfg(feature = "ssr")]
pub mod index;

use serde::{Deserialize, Serialize};

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevanz",
            Sort::Newest => "neueste",
            Sort::Oldest => "aelteste",
        }
    }

    pub fn parse(value: &str) -> Sort {
        match value {
            "neueste" => Sort::Newest,
            "aelteste" => Sort::Oldest,
            _ => Sort::Relevance,
        }
    }
}

/// What a person asked for: the words and the narrowing they picked. Lives in
/// the URL of `/suche` (see [`SearchParams::to_query_string`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchParams {
    /// The words as typed: terms, "quoted phrases", an Aktenzeichen.
    pub q: String,
    pub sort: Sort,
    /// 1-based page number.
    pub page: u32,
    /// Facet filters (keys as in [`FacetValue::key`]).
    pub main_group: Option<String>,
    pub doc_type: Option<String>,
    pub year: Option<i32>,
    /// "offen", "geschlossen" or "ohne" (still in the Posteingang).
    pub akte_status: Option<String>,
    /// Municipality code ("MIC"), for viewers who see shared documents.
    pub municipality: Option<String>,
    /// Search within one Akte.
    pub akte: Option<i64>,
    /// Search within one plan subtree (a position code such as "621").
    pub plan: Option<String>,
}

/// Results per page.
pub const PER_PAGE: u32 = 20;

/// One piece of a highlighted text: marked pieces matched the query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub text: String,
    pub marked: bool,
}

/// One found document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub document_id: i64,
    pub title: Vec<Fragment>,
    /// A passage of the text around the matches; empty when only metadata matched.
    pub snippet: Vec<Fragment>,
    pub doc_type: String,
    pub document_date: Option<String>,
    pub correspondent: String,
    pub aktenzeichen: Option<String>,
    pub akte_title: Option<String>,
    pub plan_code: Option<String>,
    pub municipality_code: String,
    pub score: f32,
}

/// One value of a facet with its count in the current result set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    /// What goes into [`SearchParams`] when the value is picked.
    pub key: String,
    /// What a person reads.
    pub label: String,
    pub count: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub main_group: Vec<FacetValue>,
    pub doc_type: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
    pub akte_status: Vec<FacetValue>,
    /// Only filled when more than one municipality appears in the results.
    pub municipality: Vec<FacetValue>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub total: u64,
    pub page: u32,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// A suggestion under the header's search field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub document_id: i64,
    pub title: String,
    pub aktenzeichen: Option<String>,
}
