//! `bench-ablage`: how often the filing suggestion (issue 18) names the
//! Akte a document was really filed in, and how fast, on the synthetic
//! corpus (`bench::corpus`, 100,000 documents by default).
//!
//! 1. Generates the corpus and splits its filed documents by time: the
//!    first 80 % (by upload time) are indexed as filed, the rest go into
//!    the index as if they waited in the Posteingang (no Akte).
//! 2. For up to 1,000 of those later documents whose Akte is still open
//!    (evenly spread), asks `SearchIndex::similar_filed` as the page does
//!    and ranks the Akten with `app::ablage::service::rank_akten`, an Akte
//!    the letter names by its Aktenzeichen first (`named_first`); counts
//!    how often the true Akte is first (top-1) or among the three shown
//!    (top-3), and times each suggestion (the index and the ranking; the
//!    page's database lookups of the hits are not included).
//! 3. Baselines in the same run, from the same 80 %: the Akte of the latest
//!    filed document with the same sender (what matching by correspondent
//!    does), and the municipality's fullest open Akte.
//!
//! Run with `make bench-ablage` (or `make bench-ablage DOCUMENTS=20000`).
//! Goal: top-3 at least 80 %, p95 at most 30 ms at 100,000 documents.

use app::search::index::{IndexDoc, SearchIndex};
use bench::corpus::{Corpus, CorpusDoc};
use bench::harness::{ms, percentiles};
use bench::letters::BoxError;
use std::collections::HashMap;
use std::time::Instant;

const SEED: u64 = 5;
const SAMPLES: usize = 1000;
const BATCH: usize = 5000;

fn main() -> Result<(), BoxError> {
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: debug build; the figures only mean something with `make bench-ablage`\n"
        );
    }
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.replace(['_', ','], "").parse().ok())
        .unwrap_or(100_000);
    let corpus = Corpus::new(SEED, count);
    let mut filed: Vec<(i64, usize)> = Vec::new();
    for i in 0..count {
        let doc = corpus.doc(i);
        if doc.akte_id.is_some() {
            filed.push((doc.created_at, i));
        }
    }
    filed.sort_unstable();
    let learned = filed.len() * 8 / 10;
    let later: std::collections::HashSet<usize> = filed[learned..].iter().map(|f| f.1).collect();

    let dir = tempfile::tempdir()?;
    let (index, _) = SearchIndex::open(&dir.path().join("tantivy"))?;
    let started = Instant::now();
    // What the page's database knows of the learned documents.
    let mut akte_of: HashMap<i64, (i64, String, String)> = HashMap::new();
    let mut by_zeichen: HashMap<String, (i64, String)> = HashMap::new();
    let mut by_sender: HashMap<(i64, String), (i64, i64)> = HashMap::new();
    let mut fullest: HashMap<(i64, i64), usize> = HashMap::new();
    let mut start = 0;
    while start < count {
        let end = (start + BATCH).min(count);
        let batch: Vec<IndexDoc> = corpus
            .docs(start..end)
            .enumerate()
            .map(|(n, doc)| {
                let index = start + n;
                if later.contains(&index) {
                    waiting(doc)
                } else {
                    if let (Some(akte), Some(zeichen), Some(title)) =
                        (doc.akte_id, &doc.aktenzeichen, &doc.akte_title)
                    {
                        if doc.akte_status.as_deref() == Some("offen") {
                            akte_of.insert(
                                doc.document_id,
                                (
                                    akte,
                                    format!("{zeichen} {title}"),
                                    doc.correspondent.clone(),
                                ),
                            );
                            *fullest.entry((doc.municipality_id, akte)).or_default() += 1;
                            by_zeichen
                                .insert(zeichen.clone(), (akte, format!("{zeichen} {title}")));
                        }
                        let latest = by_sender
                            .entry((doc.municipality_id, doc.correspondent.clone()))
                            .or_insert((doc.created_at, akte));
                        if doc.created_at >= latest.0 {
                            *latest = (doc.created_at, akte);
                        }
                    }
                    doc.into_index_doc()
                }
            })
            .collect();
        index.upsert(&batch)?;
        start = end;
    }
    index.commit()?;
    eprintln!(
        "{count} documents ({} filed: {learned} learned, {} later) indexed in {:.1} s; load average {}",
        filed.len(),
        filed.len() - learned,
        started.elapsed().as_secs_f64(),
        bench::load_average()
    );
    let mut largest: HashMap<i64, (usize, i64)> = HashMap::new();
    for ((municipality, akte), n) in &fullest {
        let best = largest.entry(*municipality).or_insert((0, 0));
        if (*n, -akte) > (best.0, -best.1) {
            *best = (*n, *akte);
        }
    }

    let candidates: Vec<CorpusDoc> = filed[learned..]
        .iter()
        .map(|f| corpus.doc(f.1))
        .filter(|doc| doc.akte_status.as_deref() == Some("offen"))
        .collect();
    let step = (candidates.len() / SAMPLES).max(1);
    let mut times = Vec::new();
    let (mut top1, mut top3, mut sender_hits, mut fullest_hits, mut asked) = (0, 0, 0, 0, 0);
    for doc in candidates.iter().step_by(step).take(SAMPLES) {
        let truth = doc.akte_id;
        let started = Instant::now();
        let similar = index.similar_filed(
            (doc.municipality_id, &doc.municipality_code),
            doc.document_id,
            &doc.title,
            &doc.text,
            app::ablage::service::NEIGHBOURS,
        )?;
        let filed: Vec<(i64, i64, String, String)> = similar
            .hits
            .iter()
            .filter_map(|(id, _)| {
                akte_of
                    .get(id)
                    .map(|(akte, ziel, sender)| (*id, *akte, ziel.clone(), sender.clone()))
            })
            .collect();
        let named = app::ablage::aktenzeichen_in(
            &format!("{}\n{}", doc.title, doc.text),
            &doc.municipality_code,
        )
        .first()
        .and_then(|zeichen| by_zeichen.get(zeichen).cloned());
        let shown = app::ablage::service::named_first(
            named,
            app::ablage::service::rank_akten(&similar.hits, &filed, &doc.correspondent, ""),
        );
        times.push(started.elapsed());
        asked += 1;
        if shown.first().and_then(|v| v.akte_id) == truth {
            top1 += 1;
        }
        if shown.iter().any(|v| v.akte_id == truth) {
            top3 += 1;
        }
        if by_sender
            .get(&(doc.municipality_id, doc.correspondent.clone()))
            .map(|s| s.1)
            == truth
        {
            sender_hits += 1;
        }
        if largest.get(&doc.municipality_id).map(|l| l.1) == truth {
            fullest_hits += 1;
        }
    }
    let (p50, p95) = percentiles(times);
    let share = |n: usize| 100.0 * n as f64 / asked.max(1) as f64;
    println!();
    println!("| {count} documents, {asked} later documents asked | top-1 | top-3 | p50 | p95 |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| **filing suggestion** (index + ranking) | {:.1} % | **{:.1} %** | {} | **{}** |",
        share(top1),
        share(top3),
        ms(p50),
        ms(p95)
    );
    println!(
        "| baseline: the latest Akte of the same sender | {:.1} % | – | – | – |",
        share(sender_hits)
    );
    println!(
        "| baseline: the municipality's fullest open Akte | {:.1} % | – | – | – |",
        share(fullest_hits)
    );
    Ok(())
}

/// A later document as it waits in the Posteingang: no Akte yet.
fn waiting(doc: CorpusDoc) -> IndexDoc {
    let mut index_doc = doc.into_index_doc();
    index_doc.akte_id = None;
    index_doc.aktenzeichen = None;
    index_doc.akte_title = None;
    index_doc.akte_status = None;
    index_doc.plan_code = None;
    index_doc.plan_title = None;
    index_doc.visible_to = vec![index_doc.municipality_id];
    index_doc
}
