//! Marked titles and text snippets for hits.

use super::analyzer;
use super::query::{fuzzy_distance, prefix_forms, Parsed};
use crate::search::Fragment;
use std::collections::BTreeMap;
use std::ops::Range;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, Term};

/// Characters of text around the matches.
pub const SNIPPET_CHARS: usize = 200;
/// Characters of text shown when nothing was searched for.
pub const LEAD_CHARS: usize = 160;
/// Index terms a fuzzy or prefix word may expand to for marking.
const MAX_EXPANSIONS: usize = 50;

/// The index terms to mark in `field`: the exact terms of the query, plus
/// the terms its fuzzy and prefix words actually matched in this index
/// (tantivy's snippet generator only knows exact terms).
pub fn terms_for_field(
    searcher: &Searcher,
    field: Field,
    parsed: &Parsed,
) -> BTreeMap<String, f32> {
    let mut terms = BTreeMap::new();
    for phrase in &parsed.phrases {
        for term in phrase {
            terms.insert(term.clone(), 1.0);
        }
    }
    let last = parsed.words.len().saturating_sub(1);
    for (i, word) in parsed.words.iter().enumerate() {
        terms.insert(word.stem.clone(), 1.0);
        let mut automata = Vec::new();
        if let Some(distance) = fuzzy_distance(word) {
            automata.push(FuzzyTermQuery::new(
                Term::from_field_text(field, &word.stem),
                distance,
                true,
            ));
        }
        if parsed.last_is_prefix && i == last {
            for form in prefix_forms(word) {
                automata.push(FuzzyTermQuery::new_prefix(
                    Term::from_field_text(field, &form),
                    0,
                    false,
                ));
            }
        }
        for query in automata {
            let Ok(automaton) = query.automaton() else {
                continue;
            };
            let mut found = 0;
            'segments: for segment in searcher.segment_readers() {
                let Ok(inverted) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                    continue;
                };
                while stream.advance() {
                    if let Ok(term) = std::str::from_utf8(stream.key()) {
                        terms.entry(term.to_string()).or_insert(0.5);
                    }
                    found += 1;
                    if found >= MAX_EXPANSIONS {
                        break 'segments;
                    }
                }
            }
        }
    }
    terms
}

/// Splits `text` into fragments, marking the given byte ranges.
pub fn fragments(text: &str, marked: &[Range<usize>]) -> Vec<Fragment> {
    let mut out = Vec::new();
    let mut at = 0;
    for range in marked {
        if range.start < at || range.end > text.len() {
            continue;
        }
        if range.start > at {
            out.push(Fragment {
                text: text[at..range.start].to_string(),
                marked: false,
            });
        }
        out.push(Fragment {
            text: text[range.clone()].to_string(),
            marked: true,
        });
        at = range.end;
    }
    if at < text.len() {
        out.push(Fragment {
            text: text[at..].to_string(),
            marked: false,
        });
    }
    out
}

/// The whole of a short text (a title) with matching words marked.
pub fn mark_all(text: &str, terms: &BTreeMap<String, f32>) -> Vec<Fragment> {
    let mut analyzer = analyzer::german();
    let mut stream = analyzer.token_stream(text);
    let mut ranges = Vec::new();
    while let Some(token) = stream.next() {
        if terms.contains_key(&token.text) {
            ranges.push(token.offset_from..token.offset_to);
        }
    }
    fragments(text, &ranges)
}

/// A passage of `text` around the matches; empty when the text does not match.
pub fn snippet(field: Field, text: &str, terms: &BTreeMap<String, f32>) -> Vec<Fragment> {
    if terms.is_empty() {
        return lead(text);
    }
    let generator = SnippetGenerator::new(terms.clone(), analyzer::german(), field, SNIPPET_CHARS);
    let snippet = generator.snippet(text);
    if snippet.is_empty() || snippet.highlighted().is_empty() {
        return Vec::new();
    }
    fragments(snippet.fragment(), snippet.highlighted())
}

/// The beginning of the text, cut at a word boundary, unmarked.
pub fn lead(text: &str) -> Vec<Fragment> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    let mut end = text
        .char_indices()
        .nth(LEAD_CHARS)
        .map_or(text.len(), |(i, _)| i);
    if end < text.len() {
        if let Some(space) = text[..end].rfind(char::is_whitespace) {
            end = space;
        }
    }
    let mut lead = text[..end].trim_end().to_string();
    if end < text.len() {
        lead.push_str(" …");
    }
    vec![Fragment {
        text: lead,
        marked: false,
    }]
}

/// Cuts `text` to at most `max_bytes`, on a character boundary.
pub fn truncate(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
