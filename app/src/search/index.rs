//! The tantivy index behind [`crate::search`].
//!
//! One [`SearchIndex`] per server: a single writer behind a mutex, a reader
//! that is reloaded on [`SearchIndex::commit`]. Every search — hits, total,
//! facets, snippets, suggestions — runs one query that already contains the
//! viewer's permission clause, so nothing can leak through a side channel.
//! The statistics that steer a search (fuzzy matching, BM25 ranking) are
//! those of the viewer's documents only, see [`visible`].

mod analyzer;
mod facets;
mod highlight;
mod query;
mod schema;
mod similar;
#[cfg(test)]
mod tests;
mod visible;

use super::MAX_PAGE;
use crate::search::{Hit, SearchParams, SearchResults, Sort, Suggestion, PER_PAGE};
use schema::{names, Fields, SCHEMA_VERSION};
pub use similar::SimilarFiled;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};
use visible::VisibleStatistics;

/// What the index knows about one document. Built by the service layer from
/// the database (document, Akte, plan position, shares).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndexDoc {
    pub document_id: i64,
    pub municipality_id: i64,
    /// "MIC"
    pub municipality_code: String,
    /// Municipalities that may see it: the owner plus those its Akte is shared with.
    pub visible_to: Vec<i64>,
    pub title: String,
    /// Extracted/OCR text; may be large or empty.
    pub text: String,
    /// Key: eingang, ausgang, vermerk, bescheid, rechnung, vertrag, protokoll, sonstiges.
    pub doc_type: String,
    pub correspondent: String,
    pub tags: Vec<String>,
    pub document_date: Option<chrono::NaiveDate>,
    /// Unix seconds; used for year and sorting when `document_date` is None.
    pub created_at: i64,
    pub akte_id: Option<i64>,
    /// "MIC 621.1-0007"
    pub aktenzeichen: Option<String>,
    pub akte_title: Option<String>,
    /// "offen" | "geschlossen"; None = still in the Posteingang.
    pub akte_status: Option<String>,
    /// "621.1"
    pub plan_code: Option<String>,
    pub plan_title: Option<String>,
    pub vorgang_id: Option<i64>,
    /// "MIC 621.1-0007/3"
    pub vorgang_zeichen: Option<String>,
    pub vorgang_title: Option<String>,
}

/// Who is searching: the municipalities whose documents they may see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    pub municipalities: Vec<i64>,
}

/// How [`SearchIndex::open`] found the directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opened {
    Existing,
    /// New and empty: the caller must fill it from the database.
    Created,
    /// The old index was unusable and has been wiped; refill from the database.
    Recreated {
        reason: String,
    },
}

#[derive(thiserror::Error, Debug)]
pub enum IndexError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("search index directory {path}: {source}")]
    Directory {
        path: PathBuf,
        #[source]
        source: tantivy::directory::error::OpenDirectoryError,
    },
    #[error("search index writer lock poisoned by a panic")]
    Poisoned,
}

/// Marker file beside tantivy's files, holding [`SCHEMA_VERSION`].
const VERSION_FILE: &str = "aktenwerk-schema-version";
/// Indexing memory: tantivy's minimum per thread is 15 MB; one thread keeps
/// the server well under its memory budget.
const WRITER_MEMORY: usize = 40_000_000;
const WRITER_THREADS: usize = 1;
/// Threads that search the segments of one query in parallel.
const SEARCH_THREADS: usize = 2;
/// Bytes of text stored for snippets; matches further in are found but
/// shown without a snippet.
const SNIPPET_SOURCE_BYTES: usize = 64 * 1024;

struct Inner {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

/// The search index. Cheap to clone; all clones share one writer and reader.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing and rebuilding it
    /// (empty) when it is unreadable or from another schema version.
    pub fn open(dir: &Path) -> Result<(SearchIndex, Opened), IndexError> {
        let is_empty = match std::fs::read_dir(dir) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(e) => return Err(io_error(dir)(e)),
        };
        if is_empty {
            std::fs::create_dir_all(dir).map_err(io_error(dir))?;
            let index = Self::create_in(dir)?;
            return Ok((index, Opened::Created));
        }
        let version_path = dir.join(VERSION_FILE);
        let reason = match std::fs::read_to_string(&version_path) {
            Ok(version) if version.trim() == SCHEMA_VERSION => match Self::open_existing(dir) {
                Ok(index) => return Self::with_writer(index).map(|i| (i, Opened::Existing)),
                Err(reason) => reason,
            },
            Ok(version) => format!(
                "schema version {:?}, expected {SCHEMA_VERSION:?}",
                version.trim()
            ),
            Err(e) => format!("no readable schema version marker: {e}"),
        };
        wipe(dir)?;
        let index = Self::create_in(dir)?;
        Ok((index, Opened::Recreated { reason }))
    }

    /// An index in memory, for tests and benchmarks.
    pub fn in_memory() -> Result<SearchIndex, IndexError> {
        let (schema, _) = schema::build();
        let index = Index::create_in_ram(schema);
        analyzer::register(index.tokenizers());
        Self::with_writer(index)
    }

    fn create_in(dir: &Path) -> Result<SearchIndex, IndexError> {
        let (schema, _) = schema::build();
        let directory = MmapDirectory::open(dir).map_err(|source| IndexError::Directory {
            path: dir.to_path_buf(),
            source,
        })?;
        let index = Index::create(directory, schema, tantivy::IndexSettings::default())?;
        analyzer::register(index.tokenizers());
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION).map_err(io_error(dir))?;
        Self::with_writer(index)
    }

    /// Opens and checks an existing index; the error is the reason to rebuild.
    fn open_existing(dir: &Path) -> Result<Index, String> {
        let index = Index::open_in_dir(dir).map_err(|e| format!("cannot open index: {e}"))?;
        let (expected, _) = schema::build();
        if index.schema() != expected {
            return Err("index schema differs from this version's schema".to_string());
        }
        analyzer::register(index.tokenizers());
        // Opening a reader opens every segment: this finds missing or
        // truncated segment files now rather than at the first search.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| format!("cannot read index segments: {e}"))?;
        drop(reader);
        Ok(index)
    }

    fn with_writer(mut index: Index) -> Result<SearchIndex, IndexError> {
        let (_, fields) = schema::build();
        // Segments are searched in parallel: the latency of one search
        // drops with a second core (measured at 100,000 documents).
        index.set_multithread_executor(SEARCH_THREADS)?;
        let writer = index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                reader,
                writer: Mutex::new(writer),
                fields,
            }),
        })
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, IndexError> {
        self.inner.writer.lock().map_err(|_| IndexError::Poisoned)
    }

    /// Adds the documents, replacing any indexed under the same id. Visible
    /// to searches after [`SearchIndex::commit`].
    pub fn upsert(&self, docs: &[IndexDoc]) -> Result<(), IndexError> {
        let f = &self.inner.fields;
        let writer = self.writer()?;
        for doc in docs {
            writer.delete_term(Term::from_field_i64(f.document_id, doc.document_id));
            writer.add_document(to_tantivy(f, doc))?;
        }
        Ok(())
    }

    /// Removes the documents with these ids (at the next commit).
    pub fn delete(&self, ids: &[i64]) -> Result<(), IndexError> {
        let f = &self.inner.fields;
        let writer = self.writer()?;
        for &id in ids {
            writer.delete_term(Term::from_field_i64(f.document_id, id));
        }
        Ok(())
    }

    /// Removes every document (at the next commit), e.g. before a full rebuild.
    pub fn clear(&self) -> Result<(), IndexError> {
        self.writer()?.delete_all_documents()?;
        Ok(())
    }

    /// Makes the changes durable and visible to the next search.
    pub fn commit(&self) -> Result<(), IndexError> {
        self.writer()?.commit()?;
        self.inner.reader.reload()?;
        Ok(())
    }

    /// Documents visible to searches (as of the last commit).
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// One page of hits, the exact total and the facets, all from the same
    /// query restricted to what `viewer` may see. An empty `q` lists every
    /// visible document (newest first unless another sort is asked for).
    pub fn search(
        &self,
        viewer: &Viewer,
        params: &SearchParams,
    ) -> Result<SearchResults, IndexError> {
        let page = params.page.clamp(1, MAX_PAGE);
        if viewer.municipalities.is_empty() {
            return Ok(SearchResults {
                page,
                ..SearchResults::default()
            });
        }
        let f = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        let stats = VisibleStatistics::new(&searcher, f.visible_to, &viewer.municipalities)?;
        let mut parsed = query::parse(&params.q, &|code| self.is_municipality_code(&stats, code));
        self.mark_common_words(&stats, &mut parsed);
        let user = query::user_query(f, &parsed);
        let by_relevance = params.sort == Sort::Relevance && user.is_some();
        let restricted = query::restricted(f, user, &viewer.municipalities, Some(params));

        let top =
            TopDocs::with_limit(PER_PAGE as usize).and_offset(((page - 1) * PER_PAGE) as usize);
        let (addresses, counts) = if by_relevance {
            collect(&stats, &searcher, &*restricted, top.order_by_score(), |s| s)?
        } else {
            let order = if params.sort == Sort::Oldest {
                Order::Asc
            } else {
                Order::Desc
            };
            collect(
                &stats,
                &searcher,
                &*restricted,
                top.order_by_fast_field::<i64>(names::SORT_DATE, order),
                |_| 0.0,
            )?
        };

        let hits = if addresses.is_empty() {
            Vec::new()
        } else {
            let title_terms = highlight::terms_for_field(&searcher, &stats, f.title, &parsed, true);
            let text_terms = highlight::terms_for_field(&searcher, &stats, f.text, &parsed, false);
            addresses
                .into_iter()
                .map(|(score, address)| {
                    self.hit(&searcher, address, score, &title_terms, &text_terms)
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        Ok(SearchResults {
            total: counts.total,
            page,
            hits,
            facets: facets::facets(counts),
        })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        title_terms: &std::collections::BTreeMap<String, f32>,
        text_terms: &std::collections::BTreeMap<String, f32>,
    ) -> Result<Hit, IndexError> {
        let f = &self.inner.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let title = text(f.title).unwrap_or_default();
        let body = text(f.snippet_text).unwrap_or_default();
        Ok(Hit {
            document_id: doc
                .get_first(f.document_id)
                .and_then(|v| v.as_i64())
                .unwrap_or_default(),
            title: highlight::mark_all(&title, title_terms),
            snippet: highlight::snippet(f.text, &body, text_terms),
            doc_type: text(f.doc_type).unwrap_or_default(),
            document_date: text(f.document_date),
            correspondent: text(f.correspondent).unwrap_or_default(),
            aktenzeichen: text(f.aktenzeichen),
            akte_title: text(f.akte_title),
            plan_code: text(f.plan_code),
            vorgang: text(f.vorgang).and_then(|v| facets::vorgang_label(&v).map(str::to_string)),
            municipality_code: text(f.municipality_code).unwrap_or_default(),
            score,
        })
    }

    /// See [`query::Word::common_in_text`]; counted in the viewer's
    /// documents only, so another municipality's vocabulary cannot switch
    /// fuzzy matching off.
    fn mark_common_words(&self, stats: &VisibleStatistics<'_>, parsed: &mut query::Parsed) {
        let text = self.inner.fields.text;
        for word in &mut parsed.words {
            word.common_in_text = stats
                .visible_doc_freq(&Term::from_field_text(text, &word.stem))
                .is_ok_and(|n| n >= query::COMMON_IN_TEXT);
        }
    }

    /// Whether some document the viewer may see belongs to a municipality
    /// with this code (as typed or upper-cased): "MIC 621.1-0007" vs
    /// "Akte 621.1-0007".
    fn is_municipality_code(&self, stats: &VisibleStatistics<'_>, code: &str) -> bool {
        let field = self.inner.fields.municipality_code;
        [code.to_string(), code.to_uppercase()]
            .iter()
            .any(|c| stats.is_visible_term(&Term::from_field_text(field, c)))
    }

    /// The best `limit` visible documents for what has been typed so far.
    pub fn suggest(
        &self,
        viewer: &Viewer,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion>, IndexError> {
        if viewer.municipalities.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let f = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        let stats = VisibleStatistics::new(&searcher, f.visible_to, &viewer.municipalities)?;
        let mut parsed = query::parse(prefix, &|code| self.is_municipality_code(&stats, code));
        self.mark_common_words(&stats, &mut parsed);
        // Suggestions are always for a word being typed.
        parsed.last_is_prefix = !parsed.words.is_empty();
        parsed.aktenzeichen_is_prefix |= parsed.words.is_empty();
        let Some(user) = query::user_query(f, &parsed) else {
            return Ok(Vec::new());
        };
        let restricted = query::restricted(f, Some(user), &viewer.municipalities, None);
        let top = searcher.search_with_statistics_provider(
            &*restricted,
            &TopDocs::with_limit(limit).order_by_score(),
            &stats,
        )?;
        top.into_iter()
            .map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text = |field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                };
                Ok(Suggestion {
                    document_id: doc
                        .get_first(f.document_id)
                        .and_then(|v| v.as_i64())
                        .unwrap_or_default(),
                    title: text(f.title).unwrap_or_default(),
                    aktenzeichen: text(f.aktenzeichen),
                })
            })
            .collect()
    }
}

/// Runs the top-docs collector and the facet collector in one pass, scored
/// with the viewer's statistics.
fn collect<C, K>(
    stats: &VisibleStatistics<'_>,
    searcher: &Searcher,
    query: &dyn Query,
    top: C,
    score: impl Fn(K) -> f32,
) -> Result<(Vec<(f32, DocAddress)>, facets::Counts), IndexError>
where
    C: Collector<Fruit = Vec<(K, DocAddress)>>,
{
    let (top, counts) =
        searcher.search_with_statistics_provider(query, &(top, facets::FacetCollector), stats)?;
    Ok((
        top.into_iter().map(|(k, a)| (score(k), a)).collect(),
        counts,
    ))
}

/// Deletes everything inside `dir` (not `dir` itself).
fn wipe(dir: &Path) -> Result<(), IndexError> {
    for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
        let path = entry.map_err(io_error(dir))?.path();
        let result = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        result.map_err(io_error(&path))?;
    }
    Ok(())
}

/// "022.3" → "0", "02", "022", "022.3": every plan position above and the
/// position itself, so a subtree filter is one term lookup.
fn plan_ancestors(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in code.char_indices() {
        if c != '.' {
            let end = i + c.len_utf8();
            out.push(code[..end].to_string());
        }
    }
    out
}

fn to_tantivy(f: &Fields, doc: &IndexDoc) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_i64(f.document_id, doc.document_id);
    let mut visible = doc.visible_to.clone();
    if !visible.contains(&doc.municipality_id) {
        visible.push(doc.municipality_id);
    }
    visible.sort_unstable();
    visible.dedup();
    for m in visible {
        d.add_i64(f.visible_to, m);
    }
    d.add_text(f.municipality_code, &doc.municipality_code);
    d.add_text(f.title, &doc.title);
    d.add_text(f.text, &doc.text);
    d.add_text(
        f.snippet_text,
        highlight::truncate(&doc.text, SNIPPET_SOURCE_BYTES),
    );
    if let Some(az) = doc.aktenzeichen.as_deref().filter(|a| !a.trim().is_empty()) {
        d.add_text(f.aktenzeichen, az);
        d.add_text(f.meta, az);
        let normalized = query::normalize_aktenzeichen(az);
        // Also without the municipality part: "621.1-0007".
        if let Some((_, number)) = normalized.split_once(' ') {
            d.add_text(f.aktenzeichen_raw, number);
        }
        d.add_text(f.aktenzeichen_raw, normalized);
    }
    let plan_code = doc
        .plan_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(code) = plan_code {
        d.add_text(f.plan_code, code);
        d.add_text(f.meta, code);
        for ancestor in plan_ancestors(code) {
            d.add_text(f.plan_path, ancestor);
        }
    }
    let main_group = plan_code
        .and_then(|c| c.chars().next())
        .map_or_else(|| "ohne".to_string(), |c| c.to_string());
    d.add_text(f.main_group, main_group);
    if let Some(title) = &doc.plan_title {
        d.add_text(f.meta, title);
    }
    if let Some(title) = &doc.akte_title {
        d.add_text(f.akte_title, title);
        d.add_text(f.meta, title);
    }
    d.add_text(f.correspondent, &doc.correspondent);
    d.add_text(f.meta, &doc.correspondent);
    d.add_text(f.doc_type, &doc.doc_type);
    for tag in &doc.tags {
        d.add_text(f.meta, tag);
    }
    let (sort_date, year) = match doc.document_date {
        Some(date) => {
            let seconds = date
                .and_hms_opt(0, 0, 0)
                .map_or(doc.created_at, |t| t.and_utc().timestamp());
            d.add_text(f.document_date, crate::time::iso_date(date));
            (seconds, i64::from(chrono::Datelike::year(&date)))
        }
        None => {
            let year = chrono::DateTime::from_timestamp(doc.created_at, 0)
                .map_or(1970, |t| i64::from(chrono::Datelike::year(&t)));
            (doc.created_at, year)
        }
    };
    d.add_i64(f.sort_date, sort_date);
    d.add_i64(f.year, year);
    if let Some(akte_id) = doc.akte_id {
        d.add_i64(f.akte_id, akte_id);
    }
    d.add_text(f.akte_status, doc.akte_status.as_deref().unwrap_or("ohne"));
    if let (Some(id), Some(zeichen)) = (doc.vorgang_id, doc.vorgang_zeichen.as_deref()) {
        let title = doc.vorgang_title.as_deref().unwrap_or_default();
        d.add_i64(f.vorgang_id, id);
        d.add_text(f.vorgang, facets::vorgang_value(id, zeichen, title));
        d.add_text(f.meta, zeichen);
        d.add_text(f.meta, title);
        // Found by its Zeichen like an Akte by its Aktenzeichen:
        // "MIC 621.1-0007/3" and "621.1-0007/3".
        let normalized = query::normalize_aktenzeichen(zeichen);
        if let Some((_, number)) = normalized.split_once(' ') {
            d.add_text(f.aktenzeichen_raw, number);
        }
        d.add_text(f.aktenzeichen_raw, normalized);
    }
    d
}
