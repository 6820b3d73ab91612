//! Filed documents like a new one: the ground of the filing suggestion
//! (`crate::ablage`). The new document's most telling words (frequent in
//! it, rare among the municipality's documents) ask for the municipality's
//! documents filed in open Akten, scored by BM25 with statistics from the
//! municipality's own documents only, as every search here, so another
//! municipality's vocabulary changes nothing.

use super::visible::VisibleStatistics;
use super::{analyzer, IndexError, SearchIndex};
use std::collections::HashMap;
use tantivy::collector::TopDocs;
use tantivy::query::{Bm25StatisticsProvider, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

/// How much of a text is read for its words.
const TEXT_BYTES: usize = 32 * 1024;
/// How many of its words ask.
const WORDS: usize = 20;

/// What [`SearchIndex::similar_filed`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SimilarFiled {
    /// Filed documents, best first: (document id, score).
    pub hits: Vec<(i64, f32)>,
    /// The words that asked, as written in the document, most telling
    /// first.
    pub words: Vec<String>,
}

impl SearchIndex {
    /// The best `limit` documents of the municipality filed in open Akten
    /// that are like the document `exclude` with this `title` and `text`.
    pub fn similar_filed(
        &self,
        (municipality_id, municipality_code): (i64, &str),
        exclude: i64,
        title: &str,
        text: &str,
        limit: usize,
    ) -> Result<SimilarFiled, IndexError> {
        let f = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        let stats = VisibleStatistics::new(&searcher, f.visible_to, &[municipality_id])?;
        let total = stats.total_num_docs()?.max(1) as f32;
        // The title counts twice: it names what the document is about.
        let source = format!("{title}\n{title}\n{}", cut(text, TEXT_BYTES));
        let stems = analyzer::terms(&analyzer::german(), &source);
        let written = analyzer::terms(&analyzer::lower(), &source);
        let mut counts: HashMap<&str, (u32, &str)> = HashMap::new();
        // Both analyzers split and drop the same tokens; only stemming
        // differs, so the n-th stem is the n-th word as written.
        for (stem, word) in stems.iter().zip(&written) {
            if stem.chars().count() < 3 || stem.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            counts.entry(stem).or_insert((0, word)).0 += 1;
        }
        let mut weighted: Vec<(f32, &str, &str)> = Vec::new();
        for (stem, (count, word)) in counts {
            let df = stats.visible_doc_freq(&Term::from_field_text(f.text, stem))?;
            if df == 0 {
                continue;
            }
            let idf = (1.0 + total / df as f32).ln();
            weighted.push(((1.0 + (count as f32).ln()) * idf, stem, word));
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        weighted.truncate(WORDS);
        if weighted.is_empty() || limit == 0 {
            return Ok(SimilarFiled::default());
        }
        let mut words: Vec<(&str, &str)> = Vec::new();
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (weight, stem, word) in &weighted {
            words.push((stem, word));
            for field in [f.text, f.title] {
                let term = TermQuery::new(
                    Term::from_field_text(field, stem),
                    IndexRecordOption::WithFreqs,
                );
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term), *weight)),
                ));
            }
        }
        let filter = |term: Term| -> (Occur, Box<dyn Query>) {
            (
                Occur::Must,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                    0.0,
                )),
            )
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(BooleanQuery::new(should))),
            filter(Term::from_field_text(
                f.municipality_code,
                municipality_code,
            )),
            filter(Term::from_field_text(f.akte_status, "offen")),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_i64(f.document_id, exclude),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let top = searcher.search_with_statistics_provider(
            &query,
            &TopDocs::with_limit(limit).order_by_score(),
            &stats,
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = doc.get_first(f.document_id).and_then(|v| v.as_i64()) {
                hits.push((id, score));
            }
        }
        Ok(SimilarFiled {
            hits,
            words: words
                .into_iter()
                .map(|(_, word)| word.to_string())
                .collect(),
        })
    }
}

/// At most `bytes` of `text`, cut at a character boundary.
fn cut(text: &str, bytes: usize) -> &str {
    if text.len() <= bytes {
        return text;
    }
    let mut end = bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
