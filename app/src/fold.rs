//! German folding, the one way Aktenwerk compares words: lower case, `ß` →
//! `ss`, `ä/ö/ü` → `a/o/u`, so that "strasse" finds "Straße" and
//! "bauantrag" finds "Bauanträge". It is exactly what the German Snowball
//! stemmer of the search index does to a word before cutting endings (the
//! search analyzer's tests keep the two in step), so prefixes folded here
//! meet the index terms. Below every feature: the Aktenplan explorer, its
//! search-as-you-type and the document search all use it.
//!
//! Reading "ae/oe/ue" as umlauts is a separate, search-only step
//! (`search::index::analyzer::transliterate`), applied after this one.

/// `text` folded (see the module comment).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, |f| out.push(f));
    }
    out
}

/// Folds one character as [`fold`] does, without allocating; a character
/// may become several (`ß` → `ss`), so callers that map positions back to
/// the original text get each one through `push`.
pub fn fold_char(c: char, mut push: impl FnMut(char)) {
    for lower in c.to_lowercase() {
        match lower {
            'ä' => push('a'),
            'ö' => push('o'),
            'ü' => push('u'),
            'ß' => {
                push('s');
                push('s');
            }
            other => push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_matches_german_spellings() {
        assert!(fold("Straßenausbaubeiträge").contains(&fold("Strasse")));
        assert!(fold("Bauanträge").contains(&fold("Bauantrag")));
        assert_eq!(fold("ÄÖÜ"), "aou");
        assert_eq!(fold("STRASSE"), fold("Straße"));
    }

    #[test]
    fn fold_char_gives_every_character_of_fold() {
        for text in ["Straße", "Bürgerbüro", "ÄÖÜ ß", "MIC 621.1-0007"] {
            let mut chars = String::new();
            for c in text.chars() {
                fold_char(c, |f| chars.push(f));
            }
            assert_eq!(chars, fold(text), "{text}");
        }
    }
}
