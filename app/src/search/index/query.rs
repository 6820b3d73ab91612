//! From what a clerk typed to a tantivy query. We parse the text ourselves so
//! that no input can produce a syntax error: quotes make phrases, an
//! Aktenzeichen becomes an exact lookup, every other word is required.

use super::analyzer;
use super::schema::Fields;
use crate::fold::fold;
use crate::search::SearchParams;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// One searchable word of the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Lower-cased, as typed (for the prefix of the word being typed).
    pub lower: String,
    /// The index term (stemmed).
    pub stem: String,
    /// Quoted: match exactly, no fuzzy or prefix.
    pub exact: bool,
    /// Found in many texts as typed: a real word, not a typo. Fuzzy
    /// matching in the text is skipped for it — the expansions of a common
    /// word cost the most of any query part and would mostly add noise.
    pub common_in_text: bool,
}

/// Texts a word must appear in to count as [`Word::common_in_text`].
pub const COMMON_IN_TEXT: u64 = 20;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Each phrase as its index terms, in order.
    pub phrases: Vec<Vec<String>>,
    pub words: Vec<Word>,
    /// Aktenzeichen found in the query, normalised like the raw field
    /// ("mic 621.1-0007" or "621.1-0007").
    pub aktenzeichen: Vec<String>,
    /// The last Aktenzeichen is still being typed ("MIC 621.1-00").
    pub aktenzeichen_is_prefix: bool,
    /// The last word is still being typed: also match it as a prefix.
    pub last_is_prefix: bool,
}

impl Parsed {
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty() && self.words.is_empty() && self.aktenzeichen.is_empty()
    }
}

/// Normalises an Aktenzeichen the way it is indexed: lower case, single spaces.
pub fn normalize_aktenzeichen(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// "621.1-0007": digits, optional ".digits" groups, a dash, digits.
fn is_aktenzeichen_number(chunk: &str) -> bool {
    let Some((code, serial)) = chunk.split_once('-') else {
        return false;
    };
    !serial.is_empty()
        && serial.chars().all(|c| c.is_ascii_digit())
        && !code.is_empty()
        && code
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

/// Splits what was typed into phrases, Aktenzeichen and words.
/// `is_municipality_code` tells whether a word in front of an Aktenzeichen
/// number is a municipality code ("MIC 621.1-0007") or just a word
/// ("Akte 621.1-0007").
pub fn parse(q: &str, is_municipality_code: &dyn Fn(&str) -> bool) -> Parsed {
    let german = analyzer::german();
    let lower = analyzer::lower();
    let mut parsed = Parsed::default();

    // Split into quoted and unquoted parts; an unclosed quote runs to the end.
    let mut loose = Vec::new();
    for (i, part) in q.split('"').enumerate() {
        if i % 2 == 1 {
            let terms = analyzer::terms(&german, part);
            if terms.len() > 1 {
                parsed.phrases.push(terms);
            } else {
                // A one-word "phrase" is just that word, matched exactly.
                for term in terms {
                    parsed.words.push(Word {
                        lower: term.clone(),
                        stem: term,
                        exact: true,
                        common_in_text: false,
                    });
                }
            }
            loose.push(" ");
        } else {
            loose.push(part);
        }
    }
    let loose = loose.concat();
    let chunks: Vec<&str> = loose
        .split_whitespace()
        .map(|c| c.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')')))
        .filter(|c| !c.is_empty())
        .collect();

    let mut last_word_chunk = None;
    let mut last_aktenzeichen_chunk = None;
    let mut i = 0;
    while i < chunks.len() {
        let chunk = chunks[i];
        if chunks
            .get(i + 1)
            .is_some_and(|next| is_aktenzeichen_number(next))
            && chunk.chars().all(char::is_alphabetic)
            && is_municipality_code(chunk)
        {
            parsed.aktenzeichen.push(normalize_aktenzeichen(&format!(
                "{chunk} {}",
                chunks[i + 1]
            )));
            last_aktenzeichen_chunk = Some(i + 1);
            i += 2;
            continue;
        }
        if is_aktenzeichen_number(chunk) {
            parsed.aktenzeichen.push(normalize_aktenzeichen(chunk));
            last_aktenzeichen_chunk = Some(i);
            i += 1;
            continue;
        }
        for token in analyzer::terms(&lower, chunk) {
            if let Some(stem) = analyzer::terms(&german, &token).into_iter().next() {
                parsed.words.push(Word {
                    lower: token,
                    stem,
                    exact: false,
                    common_in_text: false,
                });
            }
        }
        last_word_chunk = Some(i);
        i += 1;
    }
    // The word being typed: the query ends in it (no closing quote, no space).
    let still_typing = !q.ends_with(char::is_whitespace) && !q.trim_end().ends_with('"');
    let is_last = |chunk: Option<usize>| chunk.is_some_and(|i| i + 1 == chunks.len());
    parsed.last_is_prefix = still_typing && is_last(last_word_chunk);
    parsed.aktenzeichen_is_prefix = still_typing && is_last(last_aktenzeichen_chunk);
    parsed
}

/// Exact-term boosts per field: a word in the title counts most.
pub fn exact_fields(f: &Fields) -> [(Field, f32); 3] {
    [(f.title, 3.0), (f.meta, 1.5), (f.text, 1.0)]
}

/// Fields matched by fuzzy queries. These score a constant (the boost), kept
/// below what an exact term earns so exact beats fuzzy.
pub fn fuzzy_fields(f: &Fields) -> [(Field, f32); 3] {
    [(f.title, 0.3), (f.meta, 0.15), (f.text, 0.1)]
}

/// Fields matched by the prefix of the word being typed. Not the text: a
/// short prefix there expands to thousands of terms and most of the index
/// (measured: the slowest part of a query at 100,000 documents).
pub fn prefix_fields(f: &Fields) -> [(Field, f32); 2] {
    [(f.title, 0.6), (f.meta, 0.3)]
}

/// Levenshtein distance allowed for a word, if any.
pub fn fuzzy_distance(word: &Word) -> Option<u8> {
    if word.exact || word.stem.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    match word.lower.chars().count() {
        0..=4 => None,
        5..=8 => Some(1),
        _ => Some(2),
    }
}

/// Shorter prefixes are not expanded: "ge" matches a large part of any
/// German index (measured as the slowest query at 100,000 documents).
pub const MIN_PREFIX_CHARS: usize = 3;

/// Prefix forms of the word being typed: folded like the stemmer does, and
/// once more with ae/oe/ue read as umlauts ("buergerb" → "burgerb").
pub fn prefix_forms(word: &Word) -> Vec<String> {
    if word.exact {
        return Vec::new();
    }
    let folded = fold(&word.lower);
    if folded.chars().count() < MIN_PREFIX_CHARS {
        return Vec::new();
    }
    let mut forms = vec![folded.clone()];
    forms.extend(analyzer::transliterate(&folded));
    forms
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

fn word_query(f: &Fields, word: &Word, prefix: bool) -> Box<dyn Query> {
    let mut should: Vec<(Occur, Box<dyn Query>)> = exact_fields(f)
        .into_iter()
        .map(|(field, boost)| (Occur::Should, boosted(term_query(field, &word.stem), boost)))
        .collect();
    if let Some(distance) = fuzzy_distance(word) {
        for (field, boost) in fuzzy_fields(f) {
            if field == f.text && word.common_in_text {
                continue;
            }
            let fuzzy =
                FuzzyTermQuery::new(Term::from_field_text(field, &word.stem), distance, true);
            should.push((Occur::Should, boosted(Box::new(fuzzy), boost)));
        }
    }
    if prefix {
        for form in prefix_forms(word) {
            for (field, boost) in prefix_fields(f) {
                let prefix =
                    FuzzyTermQuery::new_prefix(Term::from_field_text(field, &form), 0, false);
                should.push((Occur::Should, boosted(Box::new(prefix), boost)));
            }
        }
    }
    Box::new(BooleanQuery::new(should))
}

fn phrase_query(f: &Fields, terms: &[String]) -> Box<dyn Query> {
    let phrase = |field: Field| -> Box<dyn Query> {
        Box::new(PhraseQuery::new(
            terms
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        ))
    };
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, boosted(phrase(f.title), 3.0)),
        (Occur::Should, phrase(f.text)),
    ]))
}

fn aktenzeichen_query(f: &Fields, normalized: &str, prefix: bool) -> Box<dyn Query> {
    let mut should: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Should,
        boosted(
            Box::new(TermQuery::new(
                Term::from_field_text(f.aktenzeichen_raw, normalized),
                IndexRecordOption::Basic,
            )),
            50.0,
        ),
    )];
    if prefix {
        // "MIC 621.1-00" while typing: every Aktenzeichen that begins so.
        let term = Term::from_field_text(f.aktenzeichen_raw, normalized);
        should.push((
            Occur::Should,
            boosted(Box::new(FuzzyTermQuery::new_prefix(term, 0, false)), 20.0),
        ));
    }
    // Also where the Aktenzeichen is quoted in a letter ("Ihr Zeichen: ...").
    let terms = analyzer::terms(&analyzer::german(), normalized);
    if terms.len() > 1 {
        should.push((
            Occur::Should,
            Box::new(PhraseQuery::new(
                terms
                    .iter()
                    .map(|t| Term::from_field_text(f.text, t))
                    .collect(),
            )),
        ));
    }
    Box::new(BooleanQuery::new(should))
}

/// The relevance part: None when nothing searchable was typed.
pub fn user_query(f: &Fields, parsed: &Parsed) -> Option<Box<dyn Query>> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let last_az = parsed.aktenzeichen.len().saturating_sub(1);
    for (i, az) in parsed.aktenzeichen.iter().enumerate() {
        let prefix = parsed.aktenzeichen_is_prefix && i == last_az;
        must.push((Occur::Must, aktenzeichen_query(f, az, prefix)));
    }
    for phrase in &parsed.phrases {
        must.push((Occur::Must, phrase_query(f, phrase)));
    }
    let last = parsed.words.len().saturating_sub(1);
    for (i, word) in parsed.words.iter().enumerate() {
        let prefix = parsed.last_is_prefix && i == last;
        must.push((Occur::Must, word_query(f, word, prefix)));
    }
    if must.is_empty() {
        None
    } else {
        Some(Box::new(BooleanQuery::new(must)))
    }
}

/// A clause that narrows without changing the score.
fn filter(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, boosted(query, 0.0))
}

fn text_filter(field: Field, value: &str) -> (Occur, Box<dyn Query>) {
    filter(Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    )))
}

fn i64_filter(field: Field, value: i64) -> (Occur, Box<dyn Query>) {
    filter(Box::new(TermQuery::new(
        Term::from_field_i64(field, value),
        IndexRecordOption::Basic,
    )))
}

/// `user` (or everything) restricted to what the viewer may see and to the
/// picked filters. `municipalities` must not be empty (callers return early).
pub fn restricted(
    f: &Fields,
    user: Option<Box<dyn Query>>,
    municipalities: &[i64],
    params: Option<&SearchParams>,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, user.unwrap_or_else(|| Box::new(AllQuery))),
        filter(Box::new(TermSetQuery::new(
            municipalities
                .iter()
                .map(|&m| Term::from_field_i64(f.visible_to, m)),
        ))),
    ];
    if let Some(p) = params {
        if let Some(v) = &p.main_group {
            clauses.push(text_filter(f.main_group, v));
        }
        if let Some(v) = &p.doc_type {
            clauses.push(text_filter(f.doc_type, v));
        }
        if let Some(v) = p.year {
            clauses.push(i64_filter(f.year, i64::from(v)));
        }
        if let Some(v) = &p.akte_status {
            clauses.push(text_filter(f.akte_status, v));
        }
        if let Some(v) = &p.municipality {
            clauses.push(text_filter(f.municipality_code, v));
        }
        if let Some(v) = p.akte {
            clauses.push(i64_filter(f.akte_id, v));
        }
        if let Some(v) = p.vorgang {
            clauses.push(i64_filter(f.vorgang_id, v));
        }
        if let Some(v) = &p.plan {
            clauses.push(text_filter(f.plan_path, v.trim()));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_mic(q: &str) -> Parsed {
        parse(q, &|code| code.eq_ignore_ascii_case("mic"))
    }

    fn stems(p: &Parsed) -> Vec<&str> {
        p.words.iter().map(|w| w.stem.as_str()).collect()
    }

    #[test]
    fn words_phrases_and_aktenzeichen_are_told_apart() {
        let p = parse_mic(r#"Rechnung "Gemeindevertretung Sitzung" MIC 621.1-0007 Straße"#);
        assert_eq!(p.aktenzeichen, ["mic 621.1-0007"]);
        assert_eq!(p.phrases.len(), 1);
        assert_eq!(p.phrases[0].len(), 2);
        assert_eq!(stems(&p), ["rechnung", "strass"]);
        assert!(p.last_is_prefix);
    }

    #[test]
    fn aktenzeichen_without_municipality_part() {
        let p = parse_mic("621.1-0007");
        assert_eq!(p.aktenzeichen, ["621.1-0007"]);
        assert!(p.words.is_empty());
        assert!(!parse_mic("621.1").aktenzeichen.iter().any(|_| true));
        assert!(parse_mic("a-b").aktenzeichen.is_empty());
    }

    #[test]
    fn only_known_municipality_codes_prefix_an_aktenzeichen() {
        let p = parse_mic("Akte 621.1-0007");
        assert_eq!(p.aktenzeichen, ["621.1-0007"]);
        assert_eq!(stems(&p), ["akt"]);
        assert!(p.aktenzeichen_is_prefix);
        assert!(!p.last_is_prefix);
        assert!(!parse_mic("MIC 621.1-0007 ").aktenzeichen_is_prefix);
    }

    #[test]
    fn quoted_words_are_exact() {
        let p = parse_mic(r#""Rechnnug" Stadtw"#);
        assert!(p.words[0].exact);
        assert_eq!(fuzzy_distance(&p.words[0]), None);
        assert!(prefix_forms(&p.words[0]).is_empty());
        assert!(!p.words[1].exact);
    }

    #[test]
    fn trailing_space_or_quote_ends_the_prefix() {
        assert!(parse_mic("Straßenaus").last_is_prefix);
        assert!(!parse_mic("Straßenaus ").last_is_prefix);
        assert!(!parse_mic(r#""Gemeindevertretung Sitzung""#).last_is_prefix);
    }

    #[test]
    fn syntax_characters_are_just_text() {
        for q in ["(", "\"", "AND OR NOT", "title:foo", "+-*?~^", "\"\"\"", ""] {
            let _ = parse_mic(q);
        }
        assert_eq!(stems(&parse_mic("title:Rechnung")), ["titl", "rechnung"]);
        assert!(parse_mic("  \"  ").is_empty());
    }

    #[test]
    fn fuzzy_distance_grows_with_length_and_skips_numbers() {
        let w = |s: &str| parse_mic(s).words.remove(0);
        assert_eq!(fuzzy_distance(&w("Akte")), None);
        assert_eq!(fuzzy_distance(&w("Rechnnug")), Some(1));
        assert_eq!(fuzzy_distance(&w("Straßenausbau")), Some(2));
        assert_eq!(fuzzy_distance(&w("20231")), None);
    }

    #[test]
    fn prefix_forms_fold_like_the_stemmer() {
        let w = |s: &str| parse_mic(s).words.remove(0);
        assert_eq!(prefix_forms(&w("Straßenaus")), ["strassenaus"]);
        assert_eq!(prefix_forms(&w("Buergerb")), ["buergerb", "burgerb"]);
        assert!(prefix_forms(&w("S")).is_empty());
        assert!(prefix_forms(&w("Ge")).is_empty());
        assert_eq!(prefix_forms(&w("Geb")), ["geb"]);
    }
}
