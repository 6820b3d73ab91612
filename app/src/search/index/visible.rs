//! Index statistics over the documents one viewer may see.
//!
//! Everything that decides what a search shows is computed from these, not
//! from the whole index: whether a word is common enough to skip fuzzy
//! matching ([`super::query::Word::common_in_text`]), the BM25 statistics
//! behind the order of hits (document count, average field length,
//! document frequency), whether a word is a municipality code, and which
//! fuzzy expansions are marked. With whole-index statistics another
//! municipality's vocabulary would shift scores and switch fuzzy matching
//! on and off, so a clerk could probe which words another municipality's
//! documents contain. Now a search behaves exactly as on an index holding
//! only the documents the viewer may see (tested in `tests.rs`).
//!
//! Cost: one pass over the viewer's `visible_to` postings per search, one
//! pass over a term's postings per statistic asked for, and one over the
//! field lengths of the visible documents per scored field (cached for the
//! search). All linear in the viewer's documents, far below the search
//! itself.

use std::collections::HashMap;
use std::sync::Mutex;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, Term, TERMINATED};

/// The viewer's documents of one searcher, with statistics over them.
pub struct VisibleStatistics<'a> {
    searcher: &'a Searcher,
    /// Per segment: which documents are alive and visible to the viewer.
    visible: Vec<Vec<bool>>,
    num_docs: u64,
    tokens: Mutex<HashMap<Field, u64>>,
}

impl<'a> VisibleStatistics<'a> {
    /// `visible_to`: the field holding the municipalities that may see a
    /// document; `municipalities`: the viewer's.
    pub fn new(
        searcher: &'a Searcher,
        visible_to: Field,
        municipalities: &[i64],
    ) -> tantivy::Result<VisibleStatistics<'a>> {
        let mut visible = Vec::with_capacity(searcher.segment_readers().len());
        let mut num_docs = 0u64;
        for segment in searcher.segment_readers() {
            let mut docs = vec![false; segment.max_doc() as usize];
            let inverted = segment.inverted_index(visible_to)?;
            for &municipality in municipalities {
                let term = Term::from_field_i64(visible_to, municipality);
                let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)?
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if !segment.is_deleted(doc) {
                        if let Some(slot) = docs.get_mut(doc as usize) {
                            if !*slot {
                                *slot = true;
                                num_docs += 1;
                            }
                        }
                    }
                    doc = postings.advance();
                }
            }
            visible.push(docs);
        }
        Ok(VisibleStatistics {
            searcher,
            visible,
            num_docs,
            tokens: Mutex::new(HashMap::new()),
        })
    }

    /// Visible documents containing `term`.
    pub fn visible_doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let mut count = 0u64;
        for (segment, visible) in self.searcher.segment_readers().iter().zip(&self.visible) {
            let inverted = segment.inverted_index(term.field())?;
            let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if visible.get(doc as usize).copied().unwrap_or(false) {
                    count += 1;
                }
                doc = postings.advance();
            }
        }
        Ok(count)
    }

    /// Whether some visible document contains `term` (stops at the first).
    pub fn is_visible_term(&self, term: &Term) -> bool {
        for (segment, visible) in self.searcher.segment_readers().iter().zip(&self.visible) {
            let Ok(inverted) = segment.inverted_index(term.field()) else {
                continue;
            };
            let Ok(Some(mut postings)) = inverted.read_postings(term, IndexRecordOption::Basic)
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if visible.get(doc as usize).copied().unwrap_or(false) {
                    return true;
                }
                doc = postings.advance();
            }
        }
        false
    }

    /// Sum of the field lengths of the visible documents, as BM25 sees
    /// them (tantivy's field norms; a field without norms counts 1 per
    /// document, as tantivy scores it).
    fn visible_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut total = 0u64;
        for (segment, visible) in self.searcher.segment_readers().iter().zip(&self.visible) {
            let norms = segment.get_fieldnorms_reader(field).ok();
            for (doc, _) in visible.iter().enumerate().filter(|(_, v)| **v) {
                total += match (&norms, u32::try_from(doc)) {
                    (Some(norms), Ok(doc)) => u64::from(norms.fieldnorm(doc)),
                    _ => 1,
                };
            }
        }
        Ok(total)
    }
}

impl Bm25StatisticsProvider for VisibleStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Ok(cache) = self.tokens.lock() {
            if let Some(&total) = cache.get(&field) {
                return Ok(total);
            }
        }
        let total = self.visible_tokens(field)?;
        if let Ok(mut cache) = self.tokens.lock() {
            cache.insert(field, total);
        }
        Ok(total)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.num_docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.visible_doc_freq(term)
    }
}
