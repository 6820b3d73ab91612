//! Facet counts over the whole (restricted) result set, read from fast
//! fields: one pass over the matching documents, no stored documents touched.

use super::schema::names;
use crate::documents::DocType;
use crate::search::{FacetValue, Facets};
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts per value of each facet, plus the total.
#[derive(Debug, Default)]
pub struct Counts {
    pub total: u64,
    pub main_group: HashMap<String, u64>,
    pub doc_type: HashMap<String, u64>,
    pub year: HashMap<i64, u64>,
    pub akte_status: HashMap<String, u64>,
    pub municipality: HashMap<String, u64>,
    pub vorgang: HashMap<String, u64>,
}

pub struct FacetCollector;

/// Counts by term ordinal for one string fast field in one segment.
struct StrCounts {
    column: Option<StrColumn>,
    counts: Vec<u64>,
}

impl StrCounts {
    fn new(reader: &SegmentReader, field: &str) -> tantivy::Result<StrCounts> {
        let column = reader.fast_fields().str(field)?;
        let counts = vec![0; column.as_ref().map_or(0, |c| c.num_terms())];
        Ok(StrCounts { column, counts })
    }

    #[inline]
    fn collect(&mut self, doc: DocId) {
        if let Some(column) = &self.column {
            if let Some(ord) = column.ords().first(doc) {
                if let Some(count) = self.counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> HashMap<String, u64> {
        let mut out = HashMap::new();
        let Some(column) = self.column else {
            return out;
        };
        let mut value = String::new();
        for (ord, count) in self.counts.into_iter().enumerate() {
            if count == 0 {
                continue;
            }
            value.clear();
            if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                *out.entry(value.clone()).or_insert(0) += count;
            }
        }
        out
    }
}

pub struct FacetSegmentCollector {
    total: u64,
    main_group: StrCounts,
    doc_type: StrCounts,
    akte_status: StrCounts,
    municipality: StrCounts,
    vorgang: StrCounts,
    year_column: Column<i64>,
    year_min: i64,
    /// Counts by `year - year_min` (years span a few decades at most).
    years: Vec<u64>,
}

/// Guard against a broken date making the year table huge.
const MAX_YEAR_SPAN: i64 = 10_000;

impl Collector for FacetCollector {
    type Fruit = Counts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let year_column = reader.fast_fields().i64(names::YEAR)?;
        let year_min = year_column.min_value();
        let span = year_column
            .max_value()
            .saturating_sub(year_min)
            .clamp(0, MAX_YEAR_SPAN);
        Ok(FacetSegmentCollector {
            total: 0,
            main_group: StrCounts::new(reader, names::MAIN_GROUP)?,
            doc_type: StrCounts::new(reader, names::DOC_TYPE)?,
            akte_status: StrCounts::new(reader, names::AKTE_STATUS)?,
            municipality: StrCounts::new(reader, names::MUNICIPALITY_CODE)?,
            vorgang: StrCounts::new(reader, names::VORGANG)?,
            year_column,
            year_min,
            years: vec![0; span as usize + 1],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentCounts>) -> tantivy::Result<Counts> {
        let mut counts = Counts::default();
        fn add<K: std::hash::Hash + Eq>(into: &mut HashMap<K, u64>, from: HashMap<K, u64>) {
            for (k, v) in from {
                *into.entry(k).or_insert(0) += v;
            }
        }
        for fruit in fruits {
            counts.total += fruit.total;
            add(&mut counts.main_group, fruit.main_group);
            add(&mut counts.doc_type, fruit.doc_type);
            add(&mut counts.year, fruit.year);
            add(&mut counts.akte_status, fruit.akte_status);
            add(&mut counts.municipality, fruit.municipality);
            add(&mut counts.vorgang, fruit.vorgang);
        }
        Ok(counts)
    }
}

pub struct SegmentCounts {
    total: u64,
    main_group: HashMap<String, u64>,
    doc_type: HashMap<String, u64>,
    year: HashMap<i64, u64>,
    akte_status: HashMap<String, u64>,
    municipality: HashMap<String, u64>,
    vorgang: HashMap<String, u64>,
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        self.main_group.collect(doc);
        self.doc_type.collect(doc);
        self.akte_status.collect(doc);
        self.municipality.collect(doc);
        self.vorgang.collect(doc);
        if let Some(year) = self.year_column.first(doc) {
            if let Some(count) = self.years.get_mut((year - self.year_min) as usize) {
                *count += 1;
            }
        }
    }

    fn harvest(self) -> SegmentCounts {
        let year_min = self.year_min;
        SegmentCounts {
            total: self.total,
            main_group: self.main_group.harvest(),
            doc_type: self.doc_type.harvest(),
            akte_status: self.akte_status.harvest(),
            municipality: self.municipality.harvest(),
            vorgang: self.vorgang.harvest(),
            year: self
                .years
                .into_iter()
                .enumerate()
                .filter(|(_, count)| *count > 0)
                .map(|(offset, count)| (year_min + offset as i64, count))
                .collect(),
        }
    }
}

fn value(key: impl Into<String>, label: impl Into<String>, count: u64) -> FacetValue {
    FacetValue {
        key: key.into(),
        label: label.into(),
        count,
    }
}

/// The Vorgänge the facet lists at most: the ones with most hits.
const MAX_VORGAENGE: usize = 10;

/// The stored value of a document's Vorgang: its id for the filter and
/// what a person reads, in one fast field.
pub fn vorgang_value(id: i64, zeichen: &str, title: &str) -> String {
    format!("{id}\u{1f}{zeichen} {title}")
}

/// The id of a stored Vorgang value.
fn vorgang_key(value: &str) -> Option<&str> {
    value.split_once('\u{1f}').map(|(id, _)| id)
}

/// What a person reads of a stored Vorgang value: "MIC 621.1-0007/3 Titel".
pub fn vorgang_label(value: &str) -> Option<&str> {
    value.split_once('\u{1f}').map(|(_, label)| label)
}

pub fn akte_status_label(key: &str) -> &str {
    match key {
        "offen" => "Akte offen",
        "geschlossen" => "Akte geschlossen (zdA)",
        "ohne" => "Im Posteingang",
        other => other,
    }
}

/// Sorted, labelled facet lists from raw counts.
pub fn facets(counts: Counts) -> Facets {
    let mut main_group: Vec<FacetValue> = counts
        .main_group
        .into_iter()
        .map(|(k, n)| {
            let label = if k == "ohne" {
                "Ohne Aktenplan".to_string()
            } else {
                k.clone()
            };
            value(k, label, n)
        })
        .collect();
    // Digits in plan order, "ohne" last.
    main_group.sort_by(|a, b| (a.key == "ohne", &a.key).cmp(&(b.key == "ohne", &b.key)));

    let mut doc_type: Vec<FacetValue> = counts
        .doc_type
        .into_iter()
        .map(|(k, n)| {
            let label = DocType::parse(&k).map_or_else(|| k.clone(), |t| t.label().to_string());
            value(k, label, n)
        })
        .collect();
    doc_type.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));

    let mut years: Vec<(i64, u64)> = counts.year.into_iter().collect();
    years.sort_by_key(|y| std::cmp::Reverse(y.0));
    let year: Vec<FacetValue> = years
        .into_iter()
        .map(|(y, n)| value(y.to_string(), y.to_string(), n))
        .collect();

    let order = |k: &str| match k {
        "offen" => 0,
        "geschlossen" => 1,
        "ohne" => 2,
        _ => 3,
    };
    let mut akte_status: Vec<FacetValue> = counts
        .akte_status
        .into_iter()
        .map(|(k, n)| {
            let label = akte_status_label(&k).to_string();
            value(k, label, n)
        })
        .collect();
    akte_status.sort_by(|a, b| (order(&a.key), &a.key).cmp(&(order(&b.key), &b.key)));

    let mut municipality: Vec<FacetValue> = if counts.municipality.len() > 1 {
        counts
            .municipality
            .into_iter()
            .map(|(k, n)| value(k.clone(), k, n))
            .collect()
    } else {
        Vec::new()
    };
    municipality.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));

    let mut vorgang: Vec<FacetValue> = counts
        .vorgang
        .into_iter()
        .filter_map(|(v, n)| Some(value(vorgang_key(&v)?, vorgang_label(&v)?, n)))
        .collect();
    vorgang.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    vorgang.truncate(MAX_VORGAENGE);

    Facets {
        main_group,
        doc_type,
        year,
        akte_status,
        municipality,
        vorgang,
    }
}
