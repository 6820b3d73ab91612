//! Marked titles and text snippets for hits.

use super::analyzer;
use super::query::{fuzzy_distance, prefix_forms, Parsed};
use crate::fold::fold;
use crate::search::Fragment;
use std::collections::BTreeMap;
use std::ops::Range;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenStream;
use tantivy::{Searcher, Term};

/// Characters of text around the matches.
pub const SNIPPET_CHARS: usize = 200;
/// Characters of text shown when nothing was searched for.
pub const LEAD_CHARS: usize = 160;
/// Index terms a fuzzy or prefix word may expand to for marking.
const MAX_EXPANSIONS: usize = 50;

/// The index terms to mark in `field`: the exact terms of the query, plus
/// the terms its fuzzy and prefix words actually matched in the viewer's
/// documents (tantivy's snippet generator only knows exact terms; terms
/// only other municipalities use must not take up the
/// [`MAX_EXPANSIONS`]). `with_prefix`: the field is searched by prefix too
/// (see [`super::query::prefix_fields`]).
pub fn terms_for_field(
    searcher: &Searcher,
    stats: &super::visible::VisibleStatistics<'_>,
    field: Field,
    parsed: &Parsed,
    with_prefix: bool,
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
        let fuzzy = fuzzy_distance(word).filter(|_| with_prefix || !word.common_in_text);
        if let Some(distance) = fuzzy {
            automata.push(FuzzyTermQuery::new(
                Term::from_field_text(field, &word.stem),
                distance,
                true,
            ));
        }
        if with_prefix && parsed.last_is_prefix && i == last {
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
                    let Ok(term) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if !stats.is_visible_term(&Term::from_field_text(field, term)) {
                        continue;
                    }
                    terms.entry(term.to_string()).or_insert(0.5);
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

/// Bytes of text stemmed around a candidate place for a snippet: enough for
/// the generator to pick a fragment of [`SNIPPET_CHARS`] around the match.
const WINDOW_BEFORE: usize = 250;
const WINDOW_AFTER: usize = 550;
/// Candidate places tried before giving up on a snippet.
const MAX_WINDOWS: usize = 8;

/// A passage of `text` around the matches; empty when the text does not match.
///
/// Stemming a whole long text costs milliseconds per hit (≈7 ms for 64 KB, ≈0.2 ms for a 2 KB letter),
/// so a cheap scan without stemming finds places where a query term could
/// start and only a window around each is stemmed by the snippet generator.
pub fn snippet(field: Field, text: &str, terms: &BTreeMap<String, f32>) -> Vec<Fragment> {
    if terms.is_empty() {
        return lead(text);
    }
    let generator = SnippetGenerator::new(terms.clone(), analyzer::german(), field, SNIPPET_CHARS);
    if text.len() <= WINDOW_BEFORE + WINDOW_AFTER {
        return marked_snippet(&generator, text);
    }
    // Index terms are stems of folded words (German Snowball only cuts
    // endings), so a matching word, folded, starts with one of them.
    let needles: Vec<&String> = terms.keys().collect();
    let first_letters: Vec<char> = needles.iter().filter_map(|n| n.chars().next()).collect();
    let mut lower = analyzer::lower();
    let mut stream = lower.token_stream(text);
    let mut windows = 0;
    let mut scanned_to = 0;
    while stream.advance() {
        let token = stream.token();
        if token.offset_from < scanned_to {
            continue;
        }
        let first = token.text.chars().next().map(|c| fold(&c.to_string()));
        if !first.is_some_and(|f| f.chars().next().is_some_and(|c| first_letters.contains(&c))) {
            continue;
        }
        let folded = fold(&token.text);
        let transliterated = analyzer::transliterate(&folded);
        let candidate = needles.iter().any(|n| {
            folded.starts_with(n.as_str())
                || transliterated
                    .as_deref()
                    .is_some_and(|t| t.starts_with(n.as_str()))
        });
        if !candidate {
            continue;
        }
        let start = floor_boundary(text, token.offset_from.saturating_sub(WINDOW_BEFORE));
        let end = floor_boundary(text, token.offset_from + WINDOW_AFTER);
        let found = marked_snippet(&generator, &text[start..end]);
        if !found.is_empty() {
            return found;
        }
        windows += 1;
        if windows >= MAX_WINDOWS {
            break;
        }
        scanned_to = end;
    }
    Vec::new()
}

fn marked_snippet(generator: &SnippetGenerator, text: &str) -> Vec<Fragment> {
    let snippet = generator.snippet(text);
    if snippet.highlighted().is_empty() {
        return Vec::new();
    }
    fragments(snippet.fragment(), snippet.highlighted())
}

/// The largest char boundary at or below `at` (clamped to the text).
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
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
    &text[..floor_boundary(text, max_bytes)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(fragments: &[Fragment]) -> Vec<&str> {
        fragments
            .iter()
            .filter(|f| f.marked)
            .map(|f| f.text.as_str())
            .collect()
    }

    fn terms(words: &[&str]) -> BTreeMap<String, f32> {
        words
            .iter()
            .flat_map(|w| analyzer::terms(&analyzer::german(), w))
            .map(|t| (t, 1.0))
            .collect()
    }

    fn field() -> Field {
        Field::from_field_id(0)
    }

    #[test]
    fn deep_matches_in_long_texts_are_found_in_a_window() {
        let text = format!(
            "{} Das Schreiben an das Buergerbuero liegt bei. {}",
            "Füllwort Bauhof Bürgersteig ".repeat(2000),
            "Ende ".repeat(2000)
        );
        let snippet = snippet(field(), &text, &terms(&["Bürgerbüro"]));
        assert_eq!(marked(&snippet), ["Buergerbuero"]);
        let length: usize = snippet.iter().map(|f| f.text.chars().count()).sum();
        assert!(length <= SNIPPET_CHARS + 10, "{length}");
    }

    #[test]
    fn no_match_means_no_snippet_and_no_terms_means_the_lead() {
        let text = "Kurzer Text ohne Treffer. ".repeat(200);
        assert!(snippet(field(), &text, &terms(&["Rathaus"])).is_empty());
        let lead = snippet(field(), &text, &BTreeMap::new());
        assert_eq!(lead.len(), 1);
        assert!(!lead[0].marked);
        assert!(lead[0].text.chars().count() <= LEAD_CHARS + 2);
        assert!(lead[0].text.starts_with("Kurzer Text"));
    }

    #[test]
    fn whole_titles_are_marked_word_by_word() {
        let fragments = mark_all(
            "Bescheid Straßenausbaubeitrag Lindenweg",
            &terms(&["lindenweg", "bescheide"]),
        );
        assert_eq!(marked(&fragments), ["Bescheid", "Lindenweg"]);
        let whole: String = fragments.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(whole, "Bescheid Straßenausbaubeitrag Lindenweg");
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate("Straße", 5), "Stra");
        assert_eq!(truncate("Straße", 100), "Straße");
    }
}
