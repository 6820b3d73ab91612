//! Full-text search over documents: the query a person types, the results
//! page, suggestions in the header, and (server side) the tantivy index that
//! answers them.
//!
//! The permission rule lives in the index query itself: every document carries
//! the municipalities that may see it (its owner and those its Akte is shared
//! with), and every search is restricted to the viewer's municipality. Hits,
//! counts, facets, snippets and suggestions all come from that one restricted
//! query, so none of them can mention a document the viewer may not open.

pub mod header_field;
#[cfg(feature = "ssr")]
pub mod index;
pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sync;

use crate::fold::fold;
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
    /// Search within one Vorgang.
    pub vorgang: Option<i64>,
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
    /// "MIC 621.1-0007/3 Titel", when it lies in a Vorgang.
    pub vorgang: Option<String>,
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
    /// The Vorgänge with most hits (key: the Vorgang's id).
    pub vorgang: Vec<FacetValue>,
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

/// URL keys of `/suche`, German like the rest of the address bar.
mod keys {
    pub const Q: &str = "q";
    pub const SORT: &str = "sortierung";
    pub const PAGE: &str = "seite";
    pub const MAIN_GROUP: &str = "gruppe";
    pub const DOC_TYPE: &str = "art";
    pub const YEAR: &str = "jahr";
    pub const AKTE_STATUS: &str = "status";
    pub const MUNICIPALITY: &str = "gemeinde";
    pub const AKTE: &str = "akte";
    pub const VORGANG: &str = "vorgang";
    pub const PLAN: &str = "plan";
}

impl SearchParams {
    /// Reads the parameters from a URL query (unknown or malformed values
    /// are ignored rather than refused: a hand-edited URL still searches).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> SearchParams {
        let text = |key: &str| {
            get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        SearchParams {
            q: text(keys::Q).unwrap_or_default(),
            sort: text(keys::SORT)
                .map(|s| Sort::parse(&s))
                .unwrap_or_default(),
            page: text(keys::PAGE)
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1),
            main_group: text(keys::MAIN_GROUP),
            doc_type: text(keys::DOC_TYPE),
            year: text(keys::YEAR).and_then(|y| y.parse().ok()),
            akte_status: text(keys::AKTE_STATUS),
            municipality: text(keys::MUNICIPALITY),
            akte: text(keys::AKTE).and_then(|a| a.parse().ok()),
            vorgang: text(keys::VORGANG).and_then(|v| v.parse().ok()),
            plan: text(keys::PLAN),
        }
    }

    /// The URL query for these parameters (without `?`); defaults are left out.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push((keys::Q, self.q.clone()));
        }
        if self.sort != Sort::Relevance {
            pairs.push((keys::SORT, self.sort.as_str().into()));
        }
        let optional = [
            (keys::MAIN_GROUP, self.main_group.clone()),
            (keys::DOC_TYPE, self.doc_type.clone()),
            (keys::YEAR, self.year.map(|y| y.to_string())),
            (keys::AKTE_STATUS, self.akte_status.clone()),
            (keys::MUNICIPALITY, self.municipality.clone()),
            (keys::AKTE, self.akte.map(|a| a.to_string())),
            (keys::VORGANG, self.vorgang.map(|v| v.to_string())),
            (keys::PLAN, self.plan.clone()),
        ];
        pairs.extend(optional.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
        if self.page > 1 {
            pairs.push((keys::PAGE, self.page.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The `/suche` address for these parameters.
    pub fn href(&self) -> String {
        let query = self.to_query_string();
        if query.is_empty() {
            "/suche".into()
        } else {
            format!("/suche?{query}")
        }
    }

    /// Whether anything narrows the search besides the words.
    pub fn has_filters(&self) -> bool {
        self.main_group.is_some()
            || self.doc_type.is_some()
            || self.year.is_some()
            || self.akte_status.is_some()
            || self.municipality.is_some()
            || self.akte.is_some()
            || self.vorgang.is_some()
            || self.plan.is_some()
    }
}

/// Percent-encodes a query value (letters, digits and `-._~` stay).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Longest query accepted; longer input is a paste accident, not a search.
pub const MAX_QUERY_CHARS: usize = 200;
/// Deepest page served (20 per page: 10,000 results); deeper pages cost the
/// index memory for nothing.
pub const MAX_PAGE: u32 = 500;

/// Checks what a person typed; the message says what to change.
pub fn check_params(params: &SearchParams) -> Result<(), String> {
    if params.q.chars().count() > MAX_QUERY_CHARS {
        return Err(format!(
            "Bitte kürzen Sie die Suche auf höchstens {MAX_QUERY_CHARS} Zeichen."
        ));
    }
    if params.page > MAX_PAGE {
        return Err(format!(
            "Es werden höchstens {MAX_PAGE} Seiten angezeigt. Bitte grenzen Sie die Suche weiter ein."
        ));
    }
    Ok(())
}

/// The words of a query reduced to what a matching word starts with: folded,
/// with a common German ending removed ("Bauanträge" → "bauantrag").
pub fn marking_stems(query: &str) -> Vec<String> {
    let mut stems: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(|w| {
            let folded = fold(w);
            for ending in ["en", "er", "es", "e", "n", "s"] {
                if folded.chars().count() > ending.len() + 4 {
                    if let Some(stem) = folded.strip_suffix(ending) {
                        return stem.to_string();
                    }
                }
            }
            folded
        })
        .collect();
    stems.sort();
    stems.dedup();
    stems
}

/// Splits `text` into fragments, marking every word that starts with one of
/// the `stems` (see [`marking_stems`]).
pub fn mark_words(text: &str, stems: &[String]) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    let mut push = |piece: &str, marked: bool| match out.last_mut() {
        Some(last) if last.marked == marked => last.text.push_str(piece),
        _ => out.push(Fragment {
            text: piece.to_string(),
            marked,
        }),
    };
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
        push(&rest[..start], false);
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        if end > 0 {
            let word = &rest[..end];
            let folded = fold(word);
            let hit = stems.iter().any(|s| folded.starts_with(s.as_str()));
            push(word, hit);
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(feature = "ssr")]
impl std::fmt::Debug for index::SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("documents", &self.num_docs())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_round_trip_through_the_url() {
        let params = SearchParams {
            q: "Bauantrag Musterstraße".into(),
            sort: Sort::Newest,
            page: 3,
            doc_type: Some("rechnung".into()),
            year: Some(2025),
            plan: Some("621".into()),
            ..SearchParams::default()
        };
        let query = params.to_query_string();
        assert_eq!(
            query,
            "q=Bauantrag+Musterstra%C3%9Fe&sortierung=neueste&art=rechnung&jahr=2025&plan=621&seite=3"
        );
        let pairs: Vec<(String, String)> = query
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                let v = v.replace('+', " ");
                let bytes: Vec<u8> = {
                    let mut out = Vec::new();
                    let raw = v.as_bytes();
                    let mut i = 0;
                    while i < raw.len() {
                        if raw[i] == b'%' && i + 2 < raw.len() + 1 {
                            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap_or("00");
                            out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                            i += 3;
                        } else {
                            out.push(raw[i]);
                            i += 1;
                        }
                    }
                    out
                };
                (k.to_string(), String::from_utf8_lossy(&bytes).into_owned())
            })
            .collect();
        let back = SearchParams::from_query(|key| {
            pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        });
        assert_eq!(back, params);
        assert_eq!(SearchParams::default().href(), "/suche");
    }

    #[test]
    fn malformed_url_values_fall_back_to_defaults() {
        let params = SearchParams::from_query(|key| match key {
            "seite" => Some("-4".into()),
            "jahr" => Some("zwanzig".into()),
            "sortierung" => Some("quatsch".into()),
            _ => None,
        });
        assert_eq!(params.page, 1);
        assert_eq!(params.year, None);
        assert_eq!(params.sort, Sort::Relevance);
    }

    #[test]
    fn marking_follows_german_folding_and_endings() {
        let stems = marking_stems("Bauanträge Strasse");
        let marked: Vec<String> = mark_words(
            "Der Bauantrag für die Musterstraße 5 liegt vor. Straßenbau folgt.",
            &stems,
        )
        .into_iter()
        .filter(|f| f.marked)
        .map(|f| f.text)
        .collect();
        assert_eq!(marked, vec!["Bauantrag", "Straßenbau"]);
        let all: String = mark_words("a – b", &stems)
            .into_iter()
            .map(|f| f.text)
            .collect();
        assert_eq!(all, "a – b");
    }

    #[test]
    fn long_queries_and_deep_pages_are_refused_in_german() {
        let mut params = SearchParams {
            q: "a".repeat(MAX_QUERY_CHARS + 1),
            ..SearchParams::default()
        };
        assert!(check_params(&params)
            .expect_err("refused")
            .contains("höchstens 200 Zeichen"));
        params.q = "Bauantrag".into();
        assert!(check_params(&params).is_ok());
        params.page = MAX_PAGE + 1;
        assert!(check_params(&params)
            .expect_err("refused")
            .contains("Seiten"));
    }
}
