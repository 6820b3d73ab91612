//! The German analyzer: how titles, texts and queries become index terms.
//!
//! Snowball German (as shipped by tantivy 0.27 through `frostem`) already
//! folds `ß` → `ss` and `ä/ö/ü` → `a/o/u`, and it turns the transliterations
//! `ae/oe/ue` into umlauts first, so "Strasse", "Straße" and "STRASSE" meet in
//! one stem, and "Buergerbuero" meets "Bürgerbüro". The tests below pin that
//! down, because a stemmer update could silently change it.

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    TokenizerManager,
};

/// Words, lower-cased and stemmed: every text field a person searches.
pub const GERMAN: &str = "aktenwerk_de";
/// The whole value as one lower-cased term: exact Aktenzeichen lookup.
pub const RAW_LOWER: &str = "aktenwerk_raw_lower";

/// Tokens longer than this are dropped (base64 blobs, OCR garbage).
const MAX_TOKEN_BYTES: usize = 48;

pub fn german() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::German))
        .build()
}

/// Lower-casing without stemming, for the prefix of the word being typed:
/// stemming "Straßenaus" would cut endings that are not endings yet.
pub fn lower() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

pub fn raw_lower() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build()
}

pub fn register(manager: &TokenizerManager) {
    manager.register(GERMAN, german());
    manager.register(RAW_LOWER, raw_lower());
}

/// The terms `analyzer` makes of `text`.
pub fn terms(analyzer: &TextAnalyzer, text: &str) -> Vec<String> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// `folded` (see [`crate::fold::fold`]) with "ae/oe/ue" read as umlauts, the way the
/// stemmer reads them ("buergerb" → "burgerb"), except after "q" ("quelle").
/// None when there is nothing to read.
pub fn transliterate(folded: &str) -> Option<String> {
    let mut out = String::with_capacity(folded.len());
    let mut prev = None;
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, 'a' | 'o' | 'u') && chars.peek() == Some(&'e') && prev != Some('q') {
            out.push(c);
            chars.next();
            prev = Some('e');
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    (out != folded).then_some(out)
}

#[cfg(test)]
#[expect(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fold::fold;

    fn one(text: &str) -> String {
        let terms = terms(&german(), text);
        assert_eq!(terms.len(), 1, "{text:?} → {terms:?}");
        terms.into_iter().next().unwrap()
    }

    #[test]
    fn plural_and_singular_meet() {
        assert_eq!(one("Bauanträge"), one("Bauantrag"));
        assert_eq!(one("Rechnungen"), one("Rechnung"));
        assert_eq!(one("Bescheide"), one("Bescheid"));
    }

    #[test]
    fn sharp_s_and_umlauts_fold() {
        assert_eq!(one("Straße"), one("Strasse"));
        assert_eq!(one("STRASSE"), one("straße"));
        assert_eq!(one("Bürgerbüro"), one("Burgerburo"));
        assert_eq!(one("Gebühren"), one("Gebuhren"));
    }

    #[test]
    fn transliterated_umlauts_fold() {
        assert_eq!(one("Buergerbuero"), one("Bürgerbüro"));
        assert_eq!(one("Gebuehren"), one("Gebühren"));
    }

    #[test]
    fn uppercase_umlauts_fold() {
        assert_eq!(one("ÄNDERUNG"), one("Änderung"));
        assert_eq!(one("Änderung"), one("anderung"));
    }

    #[test]
    fn splits_on_punctuation_and_drops_giant_tokens() {
        assert_eq!(
            terms(&german(), "MIC 621.1-0007"),
            ["mic", "621", "1", "0007"]
        );
        let blob = "x".repeat(200);
        assert!(terms(&german(), &blob).is_empty());
    }

    #[test]
    fn fold_matches_the_stemmer_on_words_without_endings() {
        assert_eq!(fold("Straßenaus"), "strassenaus");
        assert!(one("Straßenausbaubeitrag").starts_with(&fold("Straßenaus")));
        assert_eq!(fold("Bürgerb"), "burgerb");
        assert!(one("Bürgerbüro").starts_with(&fold("Bürgerb")));
    }

    #[test]
    fn transliteration_reads_ae_oe_ue_but_not_qu() {
        assert_eq!(transliterate("buergerbuero").as_deref(), Some("burgerburo"));
        assert_eq!(transliterate("quelle"), None);
        assert_eq!(transliterate("rathaus"), None);
    }

    #[test]
    fn raw_lower_keeps_the_whole_value() {
        assert_eq!(terms(&raw_lower(), "MIC 621.1-0007"), ["mic 621.1-0007"]);
    }
}
