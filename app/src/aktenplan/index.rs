//! The whole plan in memory for the explorer: children in plan order,
//! breadcrumbs, and search-as-you-type over codes, titles, keywords and
//! descriptions with German folding and highlighted matches. A plan of
//! 10,000 positions takes a few MiB. The search scores only positions that
//! have every pair of adjacent bytes of the query (`Grams`) and passes over
//! those that cannot reach the results, so no extra search engine is
//! needed: on the 10,000-position plan of `bench-aktenplan` (release build,
//! 2-core AMD EPYC VM) `PlanIndex::search` takes about 0.2 ms (p50) and
//! under 0.5 ms (p95) per typed prefix, where scanning all positions took
//! 3.4 ms and 4.4 ms.

use super::code::Kennzeichen;
use super::storage::StoredPosition;
use super::{Crumb, Segment};
use crate::fold::{fold, fold_char};
use memchr::memmem::Finder;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Range;

/// Ends every field in `PlanIndex::text`. Query terms are split at
/// whitespace, so none contains it and no match spans two fields.
const SEPARATOR: char = '\n';

/// A byte range in `PlanIndex::text` or `PlanIndex::codes`, or a range of
/// indices into `PlanIndex::keywords`. `u32` keeps `Fields` small: the
/// search reads it for every candidate.
#[derive(Clone, Copy, Debug, Default)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Where a position's searchable fields lie: the code as it is in
/// `PlanIndex::codes`, title, keywords and description folded in
/// `PlanIndex::text`, one after the other.
#[derive(Debug)]
struct Fields {
    code: Span,
    title: Span,
    /// Indices into `PlanIndex::keywords`, in the position's order.
    keywords: Span,
    description: Span,
}

/// For every byte and every pair of adjacent bytes in the fields: which
/// positions have it, one bit per position. A position can only contain a
/// term if it has each of the term's pairs (or its byte, for a term of one).
#[derive(Debug, Default)]
struct Grams {
    /// `u64`s per bitmap.
    words: usize,
    /// Per gram (see `gram`), the number of its bitmap plus one; 0 if no
    /// position has it.
    slots: Vec<u32>,
    bitmaps: Vec<u64>,
    /// The active positions.
    active: Vec<u64>,
}

/// A byte is its own gram, a pair of bytes `a`, `b` is `256 + a * 256 + b`.
fn gram(bytes: &[u8]) -> usize {
    match bytes {
        [a] => usize::from(*a),
        [a, b, ..] => 256 + (usize::from(*a) << 8 | usize::from(*b)),
        [] => 0,
    }
}

impl Grams {
    fn new(index: &PlanIndex) -> Grams {
        let words = index.fields.len().div_ceil(64);
        let mut grams = Grams {
            words,
            slots: vec![0; 256 + 256 * 256],
            bitmaps: Vec::new(),
            active: vec![0; words],
        };
        for (i, (fields, position)) in index.fields.iter().zip(&index.positions).enumerate() {
            let (word, bit) = (i / 64, 1u64 << (i % 64));
            if position.record.active {
                grams.active[word] |= bit;
            }
            let keywords = index
                .keywords
                .get(fields.keywords.range())
                .unwrap_or_default();
            let texts = [fields.title, fields.description]
                .into_iter()
                .chain(keywords.iter().copied())
                .map(|span| bytes(&index.text, span));
            for field in texts.chain([bytes(&index.codes, fields.code)]) {
                for (at, &byte) in field.iter().enumerate() {
                    grams.set(usize::from(byte), word, bit);
                    if let Some(pair) = field.get(at..at + 2) {
                        grams.set(gram(pair), word, bit);
                    }
                }
            }
        }
        grams
    }

    fn set(&mut self, gram: usize, word: usize, bit: u64) {
        let Some(slot) = self.slots.get_mut(gram) else {
            return;
        };
        if *slot == 0 {
            self.bitmaps.resize(self.bitmaps.len() + self.words, 0);
            *slot = offset(self.bitmaps.len() / self.words);
        }
        let at = (*slot as usize - 1) * self.words + word;
        if let Some(bits) = self.bitmaps.get_mut(at) {
            *bits |= bit;
        }
    }

    /// Active positions that may contain every term, in plan order.
    fn candidates(&self, terms: &[Term<'_>]) -> impl Iterator<Item = usize> {
        let mut bits = self.active.clone();
        for term in terms {
            let bytes = term.text.as_bytes();
            let grams = if bytes.len() == 1 {
                bytes.windows(1)
            } else {
                bytes.windows(2)
            };
            for gram_bytes in grams {
                let slot = self.slots.get(gram(gram_bytes)).copied().unwrap_or(0) as usize;
                let start = slot.saturating_sub(1) * self.words;
                match self.bitmaps.get(start..start + self.words) {
                    Some(bitmap) if slot > 0 => {
                        for (word, other) in bits.iter_mut().zip(bitmap) {
                            *word &= other;
                        }
                    }
                    _ => bits.fill(0),
                }
            }
        }
        bits.into_iter().enumerate().flat_map(|(word, mut bits)| {
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let bit = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(word * 64 + bit)
            })
        })
    }
}

fn bytes(buffer: &str, span: Span) -> &[u8] {
    buffer.as_bytes().get(span.range()).unwrap_or_default()
}

/// An immutable snapshot of the plan; rebuilt when a new version is published.
#[derive(Debug, Default)]
pub struct PlanIndex {
    /// In plan order; `fields` runs parallel.
    positions: Vec<StoredPosition>,
    fields: Vec<Fields>,
    keywords: Vec<Span>,
    /// Titles, keywords and descriptions of all positions, folded, each
    /// followed by `SEPARATOR`.
    text: String,
    /// The codes of all positions, one after the other.
    codes: String,
    grams: Grams,
    by_id: HashMap<i64, usize>,
    by_code: HashMap<String, usize>,
    children: HashMap<Option<i64>, Vec<usize>>,
}

/// Where a hit matched, for the result list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchedIn {
    Code,
    Title,
    Keyword,
    Description,
}

#[derive(Debug)]
pub struct Hit<'a> {
    pub position: &'a StoredPosition,
    pub score: u32,
    pub title: Vec<Segment>,
    pub matched_in: MatchedIn,
    pub matched_keyword: Option<String>,
}

/// A folded query word and its searcher, built once per query.
struct Term<'q> {
    text: &'q str,
    finder: Finder<'q>,
    /// Starts with a digit: a prefix of a code counts as a match.
    code_prefix: bool,
}

/// A candidate: score, position index, best field, matched keyword index.
type Scored = (u32, usize, MatchedIn, Option<usize>);

/// Higher score first; among equals, plan order (shallower first).
fn best_first(a: &Scored, b: &Scored) -> Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

impl PlanIndex {
    /// Builds the index from positions in plan order.
    pub fn new(positions: Vec<StoredPosition>) -> PlanIndex {
        let mut index = PlanIndex::default();
        for position in positions {
            let i = index.positions.len();
            index.by_id.insert(position.id, i);
            if position.record.active || !index.by_code.contains_key(position.record.code.as_str())
            {
                index
                    .by_code
                    .insert(position.record.code.as_str().to_string(), i);
            }
            index
                .children
                .entry(position.parent_id)
                .or_default()
                .push(i);
            let record = &position.record;
            let code_start = offset(index.codes.len());
            index.codes.push_str(record.code.as_str());
            let code = Span {
                start: code_start,
                end: offset(index.codes.len()),
            };
            let title = index.push_field(&fold(&record.title));
            let first_keyword = offset(index.keywords.len());
            for keyword in &record.keywords {
                let span = index.push_field(&fold(keyword));
                index.keywords.push(span);
            }
            let keywords = Span {
                start: first_keyword,
                end: offset(index.keywords.len()),
            };
            let description = index.push_field(&fold(&record.description));
            index.fields.push(Fields {
                code,
                title,
                keywords,
                description,
            });
            index.positions.push(position);
        }
        index.grams = Grams::new(&index);
        index
    }

    fn push_field(&mut self, value: &str) -> Span {
        let start = offset(self.text.len());
        self.text.push_str(value);
        let end = offset(self.text.len());
        self.text.push(SEPARATOR);
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.positions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    pub fn get(&self, id: i64) -> Option<&StoredPosition> {
        self.by_id.get(&id).map(|&i| &self.positions[i])
    }

    pub fn by_code(&self, code: &str) -> Option<&StoredPosition> {
        self.by_code.get(code).map(|&i| &self.positions[i])
    }

    /// Children of a position (or the main groups for `None`), in plan order.
    pub fn children(&self, parent: Option<i64>) -> impl Iterator<Item = &StoredPosition> {
        self.children
            .get(&parent)
            .into_iter()
            .flatten()
            .map(|&i| &self.positions[i])
    }

    pub fn has_children(&self, id: i64) -> bool {
        self.children.get(&Some(id)).is_some_and(|c| !c.is_empty())
    }

    /// The path from the main group down to the position itself.
    pub fn path(&self, id: i64) -> Vec<Crumb> {
        let mut path = Vec::new();
        let mut current = self.get(id);
        while let Some(position) = current {
            path.push(Crumb {
                id: position.id,
                code: position.record.code.as_str().to_string(),
                title: position.record.title.clone(),
            });
            current = position.parent_id.and_then(|parent| self.get(parent));
        }
        path.reverse();
        path
    }

    /// Ids of all positions below `id`.
    pub fn descendants(&self, id: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(current) = stack.pop() {
            for child in self.children(Some(current)) {
                out.push(child.id);
                stack.push(child.id);
            }
        }
        out
    }

    /// Every query word must match the code (as a prefix), the title, a
    /// keyword or the description. Active positions only; best first.
    ///
    /// Positions are scored in plan order, and two shortcuts pass over most
    /// of them without changing the result: only those that have all pairs
    /// of adjacent bytes of every word (`Grams`) are candidates, and once
    /// `limit` hits are collected, a candidate whose score cannot exceed
    /// the lowest of theirs (`upper_bound`) is not scored, as it would lose
    /// to them on score or plan order anyway.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit<'_>> {
        let folded = fold(query);
        let words: Vec<&str> = folded
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .filter(|t| !t.is_empty())
            .collect();
        let terms: Vec<Term<'_>> = words
            .iter()
            .map(|&text| Term {
                text,
                finder: Finder::new(text),
                code_prefix: text.starts_with(|c: char| c.is_ascii_digit()),
            })
            .collect();
        if terms.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut hits: Vec<Scored> = Vec::new();
        // Set once `limit` hits are kept: the lowest score among them.
        let mut threshold = None;
        for i in self.grams.candidates(&terms) {
            let Some(fields) = self.fields.get(i) else {
                break;
            };
            if threshold.is_some_and(|t| self.upper_bound(fields, &terms) <= t) {
                continue;
            }
            let Some((score, matched_in, keyword)) = self.score(fields, &terms) else {
                continue;
            };
            if threshold.is_some_and(|t| score <= t) {
                continue;
            }
            hits.push((score, i, matched_in, keyword));
            if hits.len() >= limit.saturating_mul(2) {
                hits.select_nth_unstable_by(limit - 1, best_first);
                hits.truncate(limit);
                threshold = hits.last().map(|hit| hit.0);
            }
        }
        if limit < hits.len() {
            hits.select_nth_unstable_by(limit, best_first);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(best_first);
        let words: Vec<String> = words.into_iter().map(str::to_string).collect();
        hits.into_iter()
            .map(|(score, i, matched_in, keyword)| {
                let position = &self.positions[i];
                Hit {
                    position,
                    score,
                    title: highlight(&position.record.title, &words),
                    matched_in,
                    matched_keyword: if matched_in == MatchedIn::Keyword {
                        keyword.and_then(|j| position.record.keywords.get(j).cloned())
                    } else {
                        None
                    },
                }
            })
            .collect()
    }

    /// Resolves a code that may have changed in a later version.
    pub fn code_of(&self, id: i64) -> Option<&Kennzeichen> {
        self.get(id).map(|p| &p.record.code)
    }

    /// The score of the rules that need no search, which `score_term`
    /// tries first: the code equal to the term (200) or, for a term
    /// starting with a digit, starting with it (150, less 10 per further
    /// character), the title equal to it (120).
    fn exact_score(&self, fields: &Fields, term: &Term<'_>) -> Option<(u32, MatchedIn)> {
        let needle = term.text.as_bytes();
        let code = bytes(&self.codes, fields.code);
        if code == needle {
            Some((200, MatchedIn::Code))
        } else if term.code_prefix && code.starts_with(needle) {
            Some((
                code_prefix_score(code.len() - needle.len()),
                MatchedIn::Code,
            ))
        } else if fields.title.len() == needle.len() && bytes(&self.text, fields.title) == needle {
            Some((120, MatchedIn::Title))
        } else {
            None
        }
    }

    /// The most a position can score: `exact_score` where it applies, at
    /// most 80 (a word of the title) for any other term.
    fn upper_bound(&self, fields: &Fields, terms: &[Term<'_>]) -> u32 {
        terms
            .iter()
            .map(|term| {
                self.exact_score(fields, term)
                    .map_or(80, |(score, _)| score)
            })
            .sum()
    }

    /// The position's score over all terms, its best field and the keyword
    /// that matched (the last term's that matched one); `None` unless every
    /// term matches.
    fn score(
        &self,
        fields: &Fields,
        terms: &[Term<'_>],
    ) -> Option<(u32, MatchedIn, Option<usize>)> {
        let mut score = 0;
        let mut best = MatchedIn::Description;
        let mut keyword = None;
        for term in terms {
            let (term_score, matched_in, matched_keyword) = self.score_term(fields, term);
            if term_score == 0 {
                return None;
            }
            score += term_score;
            if rank(matched_in) < rank(best) {
                best = matched_in;
            }
            if matched_keyword.is_some() {
                keyword = matched_keyword;
            }
        }
        Some((score, best, keyword))
    }

    /// Scores one term, best rule first: `exact_score`, then a word of the
    /// title starting with the term (80), the title containing it (50), the
    /// first keyword starting with it (40) or else containing it (30), a
    /// word of the description starting with it (10); 0 for none. The
    /// keyword is returned as its index.
    ///
    /// One pass over the matches in the position's text: the fields lie in
    /// the order of the rules, so the first match that decides a rule ends
    /// the pass. Matches do not overlap, as with `str::match_indices`, and
    /// as none spans a separator, those within a field are the same as when
    /// searching the field alone.
    fn score_term(&self, fields: &Fields, term: &Term<'_>) -> (u32, MatchedIn, Option<usize>) {
        const NONE: (u32, MatchedIn, Option<usize>) = (0, MatchedIn::Description, None);
        if let Some((score, matched_in)) = self.exact_score(fields, term) {
            return (score, matched_in, None);
        }
        let start = fields.title.start as usize;
        let end = fields.description.end as usize;
        let Some(haystack) = self.text.as_bytes().get(start..end) else {
            return NONE;
        };
        let title_end = fields.title.end as usize;
        let description = fields.description.start as usize;
        let mut in_title = false;
        let mut in_keyword = None;
        let mut keyword = fields.keywords.start as usize;
        let mut from = 0;
        while let Some(found) = haystack.get(from..).and_then(|rest| term.finder.find(rest)) {
            let at = start + from + found;
            from += found + term.text.len();
            if at < title_end {
                if self.starts_word(fields.title, at) {
                    return (80, MatchedIn::Title, None);
                }
                in_title = true;
            } else if in_title {
                return (50, MatchedIn::Title, None);
            } else if at < description {
                while self
                    .keywords
                    .get(keyword)
                    .is_some_and(|k| k.end as usize <= at)
                {
                    keyword += 1;
                }
                let j = keyword - fields.keywords.start as usize;
                if self
                    .keywords
                    .get(keyword)
                    .is_some_and(|k| k.start as usize == at)
                {
                    return (40, MatchedIn::Keyword, Some(j));
                }
                in_keyword.get_or_insert(j);
            } else if in_keyword.is_some() {
                return (30, MatchedIn::Keyword, in_keyword);
            } else if self.starts_word(fields.description, at) {
                return (10, MatchedIn::Description, None);
            }
        }
        if in_title {
            (50, MatchedIn::Title, None)
        } else if in_keyword.is_some() {
            (30, MatchedIn::Keyword, in_keyword)
        } else {
            NONE
        }
    }

    /// A match at `at` in `field` starts a word: at the field's start or
    /// after a character that is not alphanumeric.
    fn starts_word(&self, field: Span, at: usize) -> bool {
        at == field.start as usize
            || self
                .text
                .get(..at)
                .and_then(|before| before.chars().next_back())
                .is_some_and(|c| !c.is_alphanumeric())
    }
}

/// Shorter codes (closer to the typed one) rank higher.
fn code_prefix_score(extra: usize) -> u32 {
    150u32.saturating_sub(extra as u32 * 10)
}

fn rank(matched: MatchedIn) -> u8 {
    match matched {
        MatchedIn::Code => 0,
        MatchedIn::Title => 1,
        MatchedIn::Keyword => 2,
        MatchedIn::Description => 3,
    }
}

/// Splits `text` into plain and highlighted parts where any term matches
/// (compared folded, shown in the original spelling).
pub fn highlight(text: &str, terms: &[String]) -> Vec<Segment> {
    // Folded characters and, for each, the original character it came from.
    let original: Vec<char> = text.chars().collect();
    let mut folded_text = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    for (i, &c) in original.iter().enumerate() {
        fold_char(c, |f| {
            folded_text.push(f);
            origin.push(i);
        });
    }
    let mut marked = vec![false; original.len()];
    for term in terms {
        let term_chars = term.chars().count();
        for (byte_at, _) in folded_text.match_indices(term.as_str()) {
            let start = folded_text[..byte_at].chars().count();
            for k in start..start + term_chars {
                if let Some(&o) = origin.get(k) {
                    marked[o] = true;
                }
            }
        }
    }
    let mut segments: Vec<Segment> = Vec::new();
    for (c, mark) in original.into_iter().zip(marked) {
        match segments.last_mut() {
            Some(last) if last.highlight == mark => last.text.push(c),
            _ => segments.push(Segment {
                text: c.to_string(),
                highlight: mark,
            }),
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aktenplan::retention::{Archivwert, Retention, RetentionTrigger};
    use crate::aktenplan::PositionRecord;

    fn position(
        id: i64,
        parent_id: Option<i64>,
        code: &str,
        title: &str,
        keywords: &str,
    ) -> StoredPosition {
        StoredPosition {
            id,
            parent_id,
            record: PositionRecord {
                code: Kennzeichen::parse(code).expect("code"),
                title: title.into(),
                description: format!("Alles zu {title}."),
                keywords: crate::aktenplan::split_keywords(keywords),
                retention: Retention::Years(10),
                trigger: RetentionTrigger::Aktenschluss,
                appraisal: Archivwert::Bewerten,
                active: true,
            },
        }
    }

    fn sample() -> PlanIndex {
        PlanIndex::new(vec![
            position(1, None, "6", "Bau- und Vermessungswesen", ""),
            position(2, Some(1), "62", "Bauaufsicht", "Bauordnung"),
            position(3, Some(2), "621", "Baugenehmigungsverfahren", "Bauantrag"),
            position(
                4,
                Some(3),
                "621.1",
                "Bauanträge und Baugenehmigungen",
                "Bauantrag, Baugenehmigung",
            ),
            position(5, Some(1), "65", "Straßenbau", "Straße"),
            position(
                6,
                Some(5),
                "653",
                "Straßenausbaubeiträge",
                "Anliegerbeitrag",
            ),
        ])
    }

    #[test]
    fn children_and_path_follow_the_tree() {
        let index = sample();
        let roots: Vec<i64> = index.children(None).map(|p| p.id).collect();
        assert_eq!(roots, [1]);
        let path = index.path(4);
        let codes: Vec<&str> = path.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["6", "62", "621", "621.1"]);
        assert!(index.has_children(3));
        assert!(!index.has_children(4));
        let mut below = index.descendants(2);
        below.sort();
        assert_eq!(below, [3, 4]);
    }

    #[test]
    fn search_finds_german_variants_and_ranks_titles_first() {
        let index = sample();
        let hits = index.search("Bauantrag", 10);
        assert_eq!(hits[0].position.id, 4, "title match first");
        assert!(hits
            .iter()
            .any(|h| h.position.id == 3 && h.matched_in == MatchedIn::Keyword));
        assert_eq!(index.search("strasse", 10)[0].position.id, 5);
        assert_eq!(index.search("Strassenausbau", 10)[0].position.id, 6);
        assert_eq!(index.search("621.1", 10)[0].position.id, 4);
        assert_eq!(index.search("62", 10)[0].position.id, 2);
        assert!(index.search("Friedhof", 10).is_empty());
        assert!(index.search("   ", 10).is_empty());
        // All words must match.
        assert_eq!(index.search("bau genehmigungen", 10)[0].position.id, 4);
    }

    /// The search as it was before `PlanIndex` kept one text per plan: every
    /// active position scored field by field with `str` methods, all hits
    /// sorted. `PlanIndex::search` must answer exactly the same.
    mod reference {
        use super::super::{rank, MatchedIn};
        use crate::aktenplan::storage::StoredPosition;
        use crate::aktenplan::Segment;
        use crate::fold::fold;

        pub type Answer = (i64, u32, Vec<Segment>, MatchedIn, Option<String>);

        fn starts_word(haystack: &str, needle: &str) -> bool {
            haystack.starts_with(needle)
                || haystack
                    .match_indices(needle)
                    .any(|(at, _)| haystack[..at].ends_with(|c: char| !c.is_alphanumeric()))
        }

        fn score_term(position: &StoredPosition, term: &str) -> (u32, MatchedIn, Option<String>) {
            let record = &position.record;
            let code = record.code.as_str();
            let title = fold(&record.title);
            let keywords: Vec<String> = record.keywords.iter().map(|k| fold(k)).collect();
            if code == term {
                return (200, MatchedIn::Code, None);
            }
            if term.starts_with(|c: char| c.is_ascii_digit()) && code.starts_with(term) {
                let extra = (code.len() - term.len()) as u32;
                return (150u32.saturating_sub(extra * 10), MatchedIn::Code, None);
            }
            if title == term {
                return (120, MatchedIn::Title, None);
            }
            if starts_word(&title, term) {
                return (80, MatchedIn::Title, None);
            }
            if title.contains(term) {
                return (50, MatchedIn::Title, None);
            }
            if let Some(keyword) = keywords.iter().find(|k| k.starts_with(term)) {
                return (40, MatchedIn::Keyword, Some(keyword.clone()));
            }
            if let Some(keyword) = keywords.iter().find(|k| k.contains(term)) {
                return (30, MatchedIn::Keyword, Some(keyword.clone()));
            }
            if starts_word(&fold(&record.description), term) {
                return (10, MatchedIn::Description, None);
            }
            (0, MatchedIn::Description, None)
        }

        fn highlight(text: &str, terms: &[String]) -> Vec<Segment> {
            let original: Vec<char> = text.chars().collect();
            let mut folded = Vec::new();
            let mut origin = Vec::new();
            for (i, c) in original.iter().enumerate() {
                for f in fold(&c.to_string()).chars() {
                    folded.push(f);
                    origin.push(i);
                }
            }
            let folded_text: String = folded.iter().collect();
            let mut marked = vec![false; original.len()];
            for term in terms {
                let term_chars = term.chars().count();
                for (byte_at, _) in folded_text.match_indices(term.as_str()) {
                    let start = folded_text[..byte_at].chars().count();
                    for k in start..start + term_chars {
                        if let Some(&o) = origin.get(k) {
                            marked[o] = true;
                        }
                    }
                }
            }
            let mut segments: Vec<Segment> = Vec::new();
            for (c, mark) in original.into_iter().zip(marked) {
                match segments.last_mut() {
                    Some(last) if last.highlight == mark => last.text.push(c),
                    _ => segments.push(Segment {
                        text: c.to_string(),
                        highlight: mark,
                    }),
                }
            }
            segments
        }

        pub fn search(positions: &[StoredPosition], query: &str, limit: usize) -> Vec<Answer> {
            let terms: Vec<String> = fold(query)
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            if terms.is_empty() {
                return Vec::new();
            }
            let mut hits: Vec<(u32, usize, MatchedIn, Option<String>)> = Vec::new();
            'positions: for (i, position) in positions.iter().enumerate() {
                if !position.record.active {
                    continue;
                }
                let mut score = 0;
                let mut best = MatchedIn::Description;
                let mut keyword = None;
                for term in &terms {
                    let (term_score, matched_in, matched_keyword) = score_term(position, term);
                    if term_score == 0 {
                        continue 'positions;
                    }
                    score += term_score;
                    if rank(matched_in) < rank(best) {
                        best = matched_in;
                    }
                    if matched_keyword.is_some() {
                        keyword = matched_keyword;
                    }
                }
                hits.push((score, i, best, keyword));
            }
            hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            hits.truncate(limit);
            hits.into_iter()
                .map(|(score, i, matched_in, keyword)| {
                    let record = &positions[i].record;
                    let matched_keyword = if matched_in == MatchedIn::Keyword {
                        keyword.and_then(|k| {
                            record
                                .keywords
                                .iter()
                                .position(|f| fold(f) == k)
                                .and_then(|j| record.keywords.get(j).cloned())
                        })
                    } else {
                        None
                    };
                    let title = highlight(&record.title, &terms);
                    (positions[i].id, score, title, matched_in, matched_keyword)
                })
                .collect()
        }
    }

    #[test]
    fn search_answers_exactly_as_the_field_by_field_reference() {
        let seed = crate::aktenplan::csv_format::parse(crate::aktenplan::storage::SEED_CSV)
            .expect("seed plan");
        let mut positions: Vec<StoredPosition> = seed
            .into_iter()
            .enumerate()
            .map(|(i, record)| StoredPosition {
                id: i as i64 + 1,
                parent_id: None,
                record,
            })
            .collect();
        // Corner cases: overlapping matches ("a-a" in "xa-a-a" only counts
        // at 1, not at the word start 3, as `match_indices` skips it),
        // folding, keywords folding alike, line breaks inside fields, an
        // inactive position, long codes, empty fields.
        let mut extra = vec![
            position(
                9001,
                None,
                "999",
                "xa-a-a Straße",
                "Straße, Strasse, STRASSE, a-a",
            ),
            position(
                9002,
                None,
                "999.1",
                "Maß und Ärger",
                "Übersicht, übersicht, Maße",
            ),
            position(9003, None, "999.12345678", "Bauantrag", "Bauantrag"),
            position(9004, None, "998", "e", "e, ee, e-e"),
            position(9005, None, "997", "Bauantrag (alt)", "Bauantrag"),
            position(9006, None, "996", "Zeile\neins", "Zeile\nzwei"),
            position(9007, None, "995", "ba-ba-ba", ""),
            position(9008, None, "994", "Leer", ""),
        ];
        extra[1].record.description = "aa-aa-a; ba-ba-ba. Schluss".into();
        extra[4].record.active = false;
        extra[5].record.description = "Erste Zeile\nzweite Zeile".into();
        extra[6].record.description = "xa-a-a".into();
        extra[7].record.description = String::new();
        positions.extend(extra);
        let index = PlanIndex::new(positions.clone());

        let mut queries: Vec<String> = Vec::new();
        for word in [
            "Bauantrag",
            "Friedhof",
            "Gewerbe",
            "022",
            "Hundesteuer",
            "Kita",
            "Straße",
            "Feuerwehr",
            "Bebauungsplan",
            "Wasser",
            "Schule",
            "Widerspruch",
            "Personal",
            "621.13",
            "Friedhof Gebühr",
            "999.12345678",
        ] {
            let chars: Vec<char> = word.chars().collect();
            for end in 1..=chars.len() {
                queries.push(chars[..end].iter().collect());
            }
        }
        for query in [
            "e",
            "en",
            "ung",
            "und",
            "a-a",
            "ba-ba",
            "aa-a",
            "ss",
            "STRASSE",
            "Maße",
            "mass",
            "ärger",
            "übersicht",
            "ee",
            "e-e",
            ".",
            "-",
            "„",
            "zeile eins",
            "zeile zwei",
            "bau genehmigung",
            "bau bau",
            "antrag bescheid",
            "e n",
            "0",
            "00",
            "6 bau",
            "9",
            "99",
            "999.1",
            "9991",
            "friedhof, gebühr; satzung",
            "  ",
            "",
        ] {
            queries.push(query.to_string());
        }
        for query in &queries {
            let expected = reference::search(&positions, query, usize::MAX);
            for limit in [0, 1, 2, 3, 10, 30, usize::MAX] {
                let answer: Vec<reference::Answer> = index
                    .search(query, limit)
                    .into_iter()
                    .map(|hit| {
                        (
                            hit.position.id,
                            hit.score,
                            hit.title,
                            hit.matched_in,
                            hit.matched_keyword,
                        )
                    })
                    .collect();
                let wanted = &expected[..expected.len().min(limit)];
                assert_eq!(answer, wanted, "query {query:?}, limit {limit}");
            }
        }
    }

    #[test]
    fn highlights_keep_the_original_spelling() {
        let segments = highlight("Straßenausbaubeiträge", &[fold("strasse")]);
        assert_eq!(segments[0].text, "Straße");
        assert!(segments[0].highlight);
        assert_eq!(segments[1].text, "nausbaubeiträge");
        assert!(!segments[1].highlight);
        let segments = highlight("Bauanträge", &[fold("antrag")]);
        let marked: String = segments
            .iter()
            .filter(|s| s.highlight)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, "anträg");
    }
}
