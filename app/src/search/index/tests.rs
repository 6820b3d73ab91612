//! Tests against a small fixed German corpus of two municipalities: MIC (1)
//! and ERB (2); Akte 15 of MIC is shared with ERB.

#![expect(clippy::unwrap_used)]

use super::*;
use crate::search::{FacetValue, Facets, SearchParams, Sort};
use chrono::NaiveDate;

const MIC: i64 = 1;
const ERB: i64 = 2;

struct Akte {
    id: i64,
    az: &'static str,
    title: &'static str,
    status: &'static str,
    plan: &'static str,
    plan_title: &'static str,
    shared_with: &'static [i64],
}

const AKTE_BAU: Akte = Akte {
    id: 10,
    az: "MIC 621.1-0007",
    title: "Bauvorhaben Musterstraße 5",
    status: "offen",
    plan: "621.1",
    plan_title: "Bauanträge",
    shared_with: &[],
};
const AKTE_ENERGIE: Akte = Akte {
    id: 11,
    az: "MIC 020.1-0003",
    title: "Energieversorgung Rathaus",
    status: "offen",
    plan: "020.1",
    plan_title: "Energie",
    shared_with: &[],
};
const AKTE_AUSBAU: Akte = Akte {
    id: 12,
    az: "MIC 653.2-0001",
    title: "Straßenausbau Lindenweg",
    status: "geschlossen",
    plan: "653.2",
    plan_title: "Straßenausbaubeiträge",
    shared_with: &[],
};
const AKTE_GV: Akte = Akte {
    id: 13,
    az: "MIC 022.3-0012",
    title: "Gemeindevertretung 2024",
    status: "offen",
    plan: "022.3",
    plan_title: "Sitzungen der Gemeindevertretung",
    shared_with: &[],
};
const AKTE_WINTER: Akte = Akte {
    id: 14,
    az: "MIC 660.1-0002",
    title: "Winterdienst Gemeindestraßen",
    status: "offen",
    plan: "660.1",
    plan_title: "Straßenreinigung und Winterdienst",
    shared_with: &[],
};
const AKTE_GEWERBE: Akte = Akte {
    id: 15,
    az: "MIC 621.2-0004",
    title: "Gemeinsames Gewerbegebiet Nord",
    status: "offen",
    plan: "621.2",
    plan_title: "Bauleitplanung",
    shared_with: &[ERB],
};
const AKTE_ERB_BAU: Akte = Akte {
    id: 20,
    az: "ERB 621.1-0001",
    title: "Bauvorhaben Hauptstraße 12",
    status: "offen",
    plan: "621.1",
    plan_title: "Bauanträge",
    shared_with: &[],
};
const AKTE_ERB_ABWASSER: Akte = Akte {
    id: 21,
    az: "ERB 690.1-0005",
    title: "Abwassergebühren",
    status: "geschlossen",
    plan: "690.1",
    plan_title: "Abwasser",
    shared_with: &[],
};

fn date(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

#[expect(clippy::too_many_arguments)]
fn doc(
    id: i64,
    municipality: i64,
    title: &str,
    doc_type: &str,
    correspondent: &str,
    akte: Option<&Akte>,
    document_date: Option<NaiveDate>,
    text: &str,
) -> IndexDoc {
    let code = if municipality == MIC { "MIC" } else { "ERB" };
    let mut visible_to = vec![municipality];
    if let Some(a) = akte {
        visible_to.extend_from_slice(a.shared_with);
    }
    IndexDoc {
        document_id: id,
        municipality_id: municipality,
        municipality_code: code.to_string(),
        visible_to,
        title: title.to_string(),
        text: text.to_string(),
        doc_type: doc_type.to_string(),
        correspondent: correspondent.to_string(),
        tags: Vec::new(),
        document_date,
        // 2025-01-10 12:00 UTC
        created_at: 1_736_510_400,
        akte_id: akte.map(|a| a.id),
        aktenzeichen: akte.map(|a| a.az.to_string()),
        akte_title: akte.map(|a| a.title.to_string()),
        akte_status: akte.map(|a| a.status.to_string()),
        plan_code: akte.map(|a| a.plan.to_string()),
        plan_title: akte.map(|a| a.plan_title.to_string()),
        vorgang_id: None,
        vorgang_zeichen: None,
        vorgang_title: None,
    }
}

const VORGANG_BAU: i64 = 70;

fn corpus() -> Vec<IndexDoc> {
    let mut bescheid = doc(
        4,
        MIC,
        "Bescheid Straßenausbaubeitrag Lindenweg",
        "bescheid",
        "Gemeindevorstand",
        Some(&AKTE_AUSBAU),
        date("2022-06-15"),
        "Hiermit wird der Straßenausbaubeitrag für das Grundstück Lindenweg 3 festgesetzt.",
    );
    bescheid.tags = vec!["Beitragsbescheid".to_string()];
    // Both letters of the Bauantrag lie in one Vorgang of its Akte.
    let in_vorgang = |mut d: IndexDoc| {
        d.vorgang_id = Some(VORGANG_BAU);
        d.vorgang_zeichen = Some("MIC 621.1-0007/2".to_string());
        d.vorgang_title = Some("Einfamilienhaus Musterstraße".to_string());
        d
    };
    vec![
        in_vorgang(doc(1, MIC, "Bauantrag Musterstraße 5", "eingang", "Max Mustermann", Some(&AKTE_BAU), date("2024-03-12"),
            "Antrag auf Baugenehmigung für ein Einfamilienhaus in der Musterstraße 5.")),
        in_vorgang(doc(2, MIC, "Nachforderung Unterlagen", "ausgang", "Max Mustermann", Some(&AKTE_BAU), date("2024-04-02"),
            "Für Ihren Bauantrag fehlen noch die Statik und der Lageplan.")),
        doc(3, MIC, "Rechnung Stadtwerke Michelstadt", "rechnung", "Stadtwerke Michelstadt GmbH", Some(&AKTE_ENERGIE), date("2023-11-30"),
            "Rechnung Nr. 4711 über Stromlieferung Rathaus, Betrag 1.234,56 Euro."),
        bescheid,
        doc(5, MIC, "Protokoll Gemeindevertretung Sitzung 14.03.2024", "protokoll", "Schriftführerin", Some(&AKTE_GV), date("2024-03-14"),
            "Niederschrift über die öffentliche Sitzung der Gemeindevertretung. Tagesordnung: Bauanträge, Haushalt."),
        doc(6, MIC, "Schreiben an das Bürgerbüro", "ausgang", "Bürgerbüro", None, None,
            "Bitte um Rückruf wegen Meldebescheinigung."),
        doc(7, MIC, "Einladung Sitzung Gemeindevertretung", "vermerk", "Vorsitzender", Some(&AKTE_GV), date("2024-02-28"),
            "Die Sitzung der Gemeindevertretung findet am 14. März statt."),
        doc(8, MIC, "Vertrag Winterdienst", "vertrag", "Bauhof Müller", Some(&AKTE_WINTER), date("2021-10-01"),
            "Winterdienst auf der Straße und den Gehwegen der Gemeinde."),
        doc(9, MIC, "Eingangsrechnung Büromaterial", "rechnung", "Papierhaus Schulz", None, date("2024-05-05"),
            "Rechnung über Kopierpapier und Ordner."),
        doc(10, MIC, "Stellungnahme Gewerbegebiet Nord", "eingang", "Gemeinde Erbach", Some(&AKTE_GEWERBE), date("2024-01-20"),
            "Die Gemeinde Erbach stimmt dem Bebauungsplan Gewerbegebiet Nord zu."),
        doc(11, MIC, "Bebauungsplan Entwurf", "vermerk", "Planungsbüro", Some(&AKTE_GEWERBE), date("2023-12-01"),
            "Entwurf des Bebauungsplans mit Begründung für das Gewerbegebiet."),
        doc(12, ERB, "Bauantrag Hauptstraße 12", "eingang", "Erika Beispiel", Some(&AKTE_ERB_BAU), date("2024-02-10"),
            "Antrag auf Errichtung einer Garage."),
        doc(13, ERB, "Rechnung Abwasserverband", "rechnung", "Abwasserverband Odenwald", Some(&AKTE_ERB_ABWASSER), date("2023-07-07"),
            ""),
        doc(14, ERB, "Protokoll Ortsbeiratssitzung", "protokoll", "Ortsbeirat", None, date("2024-06-01"),
            "Der Ortsbeirat berät über den Haushalt."),
        doc(15, MIC, "Personalangelegenheit", "vermerk", "Hauptamt", None, date("2024-07-01"),
            "Vertraulich: Personalangelegenheit Zuckerbrot."),
        doc(16, MIC, "Anfrage Bauaufsicht", "eingang", "Kreisbauaufsicht", None, date("2024-04-10"),
            "Betreff: Ihr Zeichen MIC 621.1-0007, Bauvorhaben in der Musterstraße."),
    ]
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.upsert(&corpus()).unwrap();
    index.commit().unwrap();
    index
}

fn mic() -> Viewer {
    Viewer {
        municipalities: vec![MIC],
    }
}

fn erb() -> Viewer {
    Viewer {
        municipalities: vec![ERB],
    }
}

fn q(text: &str) -> SearchParams {
    SearchParams {
        q: text.to_string(),
        page: 1,
        ..SearchParams::default()
    }
}

fn ids(index: &SearchIndex, viewer: &Viewer, params: &SearchParams) -> Vec<i64> {
    index
        .search(viewer, params)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.document_id)
        .collect()
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

#[test]
fn stemming_finds_singular_from_plural() {
    let index = index();
    let found = ids(&index, &mic(), &q("Bauanträge "));
    assert!(found.contains(&1), "{found:?}");
    assert!(found.contains(&2), "{found:?}");
    assert_eq!(
        ids(&index, &mic(), &q("Rechnungen ")),
        ids(&index, &mic(), &q("Rechnung "))
    );
}

#[test]
fn sharp_s_and_umlauts_fold() {
    let index = index();
    assert_eq!(ids(&index, &mic(), &q("Strasse ")), [8]);
    assert_eq!(ids(&index, &mic(), &q("MUSTERSTRASSE "))[0], 1);
    assert_eq!(ids(&index, &mic(), &q("Buergerbuero ")), [6]);
    assert_eq!(ids(&index, &mic(), &q("burgerburo ")), [6]);
    assert_eq!(ids(&index, &mic(), &q("Mueller ")), [8]);
}

#[test]
fn phrase_order_matters() {
    let index = index();
    assert_eq!(
        ids(&index, &mic(), &q(r#""Gemeindevertretung Sitzung""#)),
        [5]
    );
    assert_eq!(
        ids(&index, &mic(), &q(r#""Sitzung Gemeindevertretung""#)),
        [7]
    );
    // Without quotes both words are required in any order.
    assert_eq!(
        sorted(ids(&index, &mic(), &q("Gemeindevertretung Sitzung "))),
        [5, 7]
    );
}

#[test]
fn fuzzy_finds_typos_but_exact_ranks_first() {
    let index = index();
    let found = ids(&index, &mic(), &q("Rechnnug "));
    assert_eq!(sorted(found), [3, 9]);
    let found = ids(&index, &mic(), &q("Bauantarg "));
    assert!(found.contains(&1), "{found:?}");
    // Short words are not fuzzy: "Akte" must not find "Akten"-less documents.
    assert!(ids(&index, &mic(), &q("Nrod ")).is_empty());
    // "Vertrag" exactly (doc 8) beats fuzzy neighbours such as "Betrag" (doc 3).
    let found = ids(&index, &mic(), &q("Vertrag "));
    assert_eq!(found[0], 8, "{found:?}");
}

#[test]
fn the_word_being_typed_matches_as_prefix() {
    let index = index();
    assert_eq!(ids(&index, &mic(), &q("Straßenaus")), [4]);
    assert_eq!(ids(&index, &mic(), &q("Lindenweg Straßenausb")), [4]);
    // Correspondent, Akte title and the like are matched by prefix too.
    assert_eq!(ids(&index, &mic(), &q("Papierh")), [9]);
    assert_eq!(ids(&index, &mic(), &q("Energieversorg")), [3]);
    // A finished word (trailing space) is not a prefix any more.
    assert!(ids(&index, &mic(), &q("Papierh ")).is_empty());
    // The text is not searched by prefix (too costly at scale), only by
    // whole words: "Kopierpapier" is in the text of document 9 alone.
    assert!(ids(&index, &mic(), &q("Kopierp")).is_empty());
    assert_eq!(ids(&index, &mic(), &q("Kopierpapier")), [9]);
}

#[test]
fn aktenzeichen_lookup_ranks_that_akte_first() {
    let index = index();
    for text in [
        "MIC 621.1-0007",
        "mic 621.1-0007",
        "621.1-0007",
        "  MIC   621.1-0007 ",
    ] {
        let found = ids(&index, &mic(), &q(text));
        assert!(found.len() >= 2, "{text}: {found:?}");
        assert_eq!(sorted(found[..2].to_vec()), [1, 2], "{text}: {found:?}");
        // The letter quoting the Aktenzeichen is found too, below the Akte.
        assert!(found.contains(&16), "{text}: {found:?}");
    }
    // Still typing the Aktenzeichen.
    let found = ids(&index, &mic(), &q("MIC 621.1-00"));
    assert_eq!(sorted(found), [1, 2]);
    let suggested: Vec<i64> = index
        .suggest(&mic(), "mic 621.1-000", 5)
        .unwrap()
        .iter()
        .map(|s| s.document_id)
        .collect();
    assert_eq!(sorted(suggested), [1, 2]);
    // "BRE" is no municipality here: "Bre" is a word that must match.
    assert!(ids(&index, &mic(), &q("BRE 621.1-0007")).is_empty());
    // ERB's Akte with the same plan position is a different Aktenzeichen.
    assert_eq!(ids(&index, &erb(), &q("ERB 621.1-0001")), [12]);
    assert!(ids(&index, &erb(), &q("MIC 621.1-0007")).is_empty());
}

#[test]
fn a_vorgang_is_found_by_its_zeichen_counted_and_filtered() {
    let index = index();
    for text in ["MIC 621.1-0007/2", "621.1-0007/2"] {
        let found = ids(&index, &mic(), &q(text));
        assert_eq!(sorted(found[..2].to_vec()), [1, 2], "{text}: {found:?}");
    }
    // The facet names the Vorgang with its hits; the filter keeps them.
    let results = index.search(&mic(), &q("Bauantrag")).unwrap();
    let facet = &results.facets.vorgang;
    assert_eq!(facet.len(), 1, "{facet:?}");
    assert_eq!(facet[0].key, VORGANG_BAU.to_string());
    assert_eq!(
        facet[0].label,
        "MIC 621.1-0007/2 Einfamilienhaus Musterstraße"
    );
    assert_eq!(facet[0].count, 2);
    assert!(results.total > 2, "other documents match too");
    let within = SearchParams {
        vorgang: Some(VORGANG_BAU),
        ..q("Bauantrag")
    };
    assert_eq!(sorted(ids(&index, &mic(), &within)), [1, 2]);
    let hit = &index.search(&mic(), &within).unwrap().hits[0];
    assert_eq!(
        hit.vorgang.as_deref(),
        Some("MIC 621.1-0007/2 Einfamilienhaus Musterstraße")
    );
    // Another municipality neither finds nor counts it.
    assert!(ids(&index, &erb(), &within).is_empty());
    assert!(index
        .search(&erb(), &q("Bauantrag"))
        .unwrap()
        .facets
        .vorgang
        .is_empty());
}

#[test]
fn expected_top_hits() {
    let index = index();
    let table: &[(&str, i64)] = &[
        ("Winterdienst", 8),
        ("Stadtwerke", 3),
        ("Lindenweg", 4),
        ("Meldebescheinigung", 6),
        ("Kopierpapier", 9),
        ("Bebauungsplan Entwurf", 11),
        ("Papierhaus", 9),
        ("Niederschrift", 5),
        ("Bauantrag Musterstraße", 1),
        ("Beitragsbescheid", 4),
        ("Straßenausbaubeiträge", 4),
        ("Energieversorgung", 3),
        ("Mustermann Unterlagen", 2),
        ("MIC 022.3-0012", 5),
    ];
    for (text, expected) in table {
        let found = ids(&index, &mic(), &q(text));
        assert_eq!(found.first(), Some(expected), "{text}: {found:?}");
    }
}

#[test]
fn other_municipalities_documents_stay_invisible() {
    let index = index();
    // Only in a MIC document.
    assert_eq!(ids(&index, &mic(), &q("Zuckerbrot")), [15]);
    let results = index.search(&erb(), &q("Zuckerbrot")).unwrap();
    assert_eq!(results.total, 0);
    assert!(results.hits.is_empty());
    assert_eq!(results.facets, Facets::default());
    assert!(index.suggest(&erb(), "Zuckerbrot", 10).unwrap().is_empty());
    assert!(index.suggest(&erb(), "Personalang", 10).unwrap().is_empty());
    let suggested = index.suggest(&mic(), "Personalang", 10).unwrap();
    assert_eq!(suggested.len(), 1);
    assert_eq!(suggested[0].document_id, 15);
    assert_eq!(index.suggest(&mic(), "Zuckerbrot", 10).unwrap().len(), 1);
    // MIC's Bauantrag is not ERB's; ERB sees only its own.
    assert_eq!(ids(&index, &erb(), &q("Bauantrag")), [12]);
    let all = index.search(&erb(), &q("")).unwrap();
    assert_eq!(all.total, 5);
}

#[test]
fn a_shared_akte_is_visible_to_the_partner() {
    let index = index();
    assert_eq!(sorted(ids(&index, &erb(), &q("Gewerbegebiet"))), [10, 11]);
    let results = index.search(&erb(), &q("")).unwrap();
    let municipalities: Vec<(&str, u64)> = results
        .facets
        .municipality
        .iter()
        .map(|v| (v.key.as_str(), v.count))
        .collect();
    assert_eq!(municipalities, [("ERB", 3), ("MIC", 2)]);
    let mut only_mic = q("");
    only_mic.municipality = Some("MIC".to_string());
    assert_eq!(sorted(ids(&index, &erb(), &only_mic)), [10, 11]);
}

#[test]
fn nobody_sees_anything_without_municipalities() {
    let index = index();
    let nobody = Viewer::default();
    let results = index.search(&nobody, &q("")).unwrap();
    assert_eq!(results.total, 0);
    assert!(results.hits.is_empty());
    assert!(index.suggest(&nobody, "Bau", 5).unwrap().is_empty());
}

fn sum(values: &[FacetValue]) -> u64 {
    values.iter().map(|v| v.count).sum()
}

fn count(values: &[FacetValue], key: &str) -> u64 {
    values.iter().find(|v| v.key == key).map_or(0, |v| v.count)
}

#[test]
fn facets_add_up_and_carry_labels() {
    let index = index();
    let results = index.search(&mic(), &q("")).unwrap();
    assert_eq!(results.total, 13);
    let f = &results.facets;
    for list in [&f.main_group, &f.doc_type, &f.year, &f.akte_status] {
        assert_eq!(sum(list), 13, "{list:?}");
    }
    // Only one municipality in the results: no municipality facet.
    assert!(f.municipality.is_empty());
    assert_eq!(count(&f.doc_type, "rechnung"), 2);
    let rechnung = f.doc_type.iter().find(|v| v.key == "rechnung").unwrap();
    assert_eq!(rechnung.label, "Rechnung");
    assert_eq!(count(&f.main_group, "6"), 6);
    assert_eq!(count(&f.main_group, "0"), 3);
    assert_eq!(count(&f.main_group, "ohne"), 4);
    assert_eq!(count(&f.akte_status, "ohne"), 4);
    assert_eq!(count(&f.akte_status, "geschlossen"), 1);
    let labels: Vec<&str> = f.akte_status.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Akte offen", "Akte geschlossen (zdA)", "Im Posteingang"]
    );
    let years: Vec<&str> = f.year.iter().map(|v| v.key.as_str()).collect();
    assert_eq!(years, ["2025", "2024", "2023", "2022", "2021"]);
    assert_eq!(count(&f.year, "2024"), 8);

    // Facets follow the words.
    let results = index.search(&mic(), &q("Rechnung")).unwrap();
    assert_eq!(results.total, 2);
    assert_eq!(sum(&results.facets.doc_type), 2);
}

#[test]
fn filters_narrow_and_match_their_facet_counts() {
    let index = index();
    let all = index.search(&mic(), &q("")).unwrap().facets;
    let with = |edit: &dyn Fn(&mut SearchParams)| {
        let mut params = q("");
        edit(&mut params);
        sorted(ids(&index, &mic(), &params))
    };
    assert_eq!(with(&|p| p.doc_type = Some("rechnung".into())), [3, 9]);
    assert_eq!(
        with(&|p| p.main_group = Some("6".into())),
        [1, 2, 4, 8, 10, 11]
    );
    assert_eq!(
        with(&|p| p.main_group = Some("ohne".into())),
        [6, 9, 15, 16]
    );
    assert_eq!(with(&|p| p.plan = Some("621".into())), [1, 2, 10, 11]);
    assert_eq!(with(&|p| p.plan = Some("621.1".into())), [1, 2]);
    assert_eq!(with(&|p| p.plan = Some("0".into())), [3, 5, 7]);
    assert_eq!(with(&|p| p.akte_status = Some("geschlossen".into())), [4]);
    assert_eq!(with(&|p| p.akte = Some(13)), [5, 7]);
    assert_eq!(with(&|p| p.year = Some(2025)), [6]);
    let year_2024 = with(&|p| p.year = Some(2024));
    assert_eq!(year_2024.len() as u64, count(&all.year, "2024"));
    // Filters combine with words and with each other.
    let mut params = q("Sitzung");
    params.doc_type = Some("protokoll".into());
    assert_eq!(ids(&index, &mic(), &params), [5]);
    params.year = Some(2023);
    assert!(ids(&index, &mic(), &params).is_empty());
}

#[test]
fn sorting_by_date() {
    let index = index();
    let dates = |sort: Sort| -> Vec<String> {
        let mut params = q("");
        params.sort = sort;
        index
            .search(&mic(), &params)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.document_date.unwrap_or_else(|| "2025-01-10".to_string()))
            .collect()
    };
    let newest = dates(Sort::Newest);
    assert_eq!(newest.len(), 13);
    assert!(newest.windows(2).all(|w| w[0] >= w[1]), "{newest:?}");
    assert_eq!(newest[0], "2025-01-10");
    let oldest = dates(Sort::Oldest);
    assert!(oldest.windows(2).all(|w| w[0] <= w[1]), "{oldest:?}");
    assert_eq!(oldest[0], "2021-10-01");
    // Empty query under "relevance" lists newest first.
    assert_eq!(dates(Sort::Relevance), newest);
    // Words sorted by date.
    let mut params = q("Rechnung");
    params.sort = Sort::Oldest;
    assert_eq!(ids(&index, &mic(), &params), [3, 9]);
    params.sort = Sort::Newest;
    assert_eq!(ids(&index, &mic(), &params), [9, 3]);
}

#[test]
fn pages_continue_without_overlap() {
    let index = SearchIndex::in_memory().unwrap();
    let docs: Vec<IndexDoc> = (1..=45)
        .map(|i| {
            let mut d = doc(
                i,
                MIC,
                &format!("Wasserrechnung {i}"),
                "rechnung",
                "Zweckverband",
                None,
                NaiveDate::from_ymd_opt(2020, 1, 1).map(|d| d + chrono::Days::new(i as u64)),
                &"Wasser ".repeat(i as usize),
            );
            d.title = format!("Wasserrechnung {i}");
            d
        })
        .collect();
    index.upsert(&docs).unwrap();
    index.commit().unwrap();
    for sort in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
        let mut seen = Vec::new();
        for page in 1..=3 {
            let mut params = q("Wasser");
            params.sort = sort;
            params.page = page;
            let results = index.search(&mic(), &params).unwrap();
            assert_eq!(results.total, 45);
            assert_eq!(results.page, page);
            assert_eq!(results.hits.len(), [20, 20, 5][page as usize - 1]);
            seen.extend(results.hits.iter().map(|h| h.document_id));
        }
        assert_eq!(
            sorted(seen.clone()),
            (1..=45).collect::<Vec<_>>(),
            "{sort:?}"
        );
        if sort == Sort::Newest {
            assert_eq!(seen[..3], [45, 44, 43]);
        }
    }
    let mut beyond = q("Wasser");
    beyond.page = 4;
    assert!(index.search(&mic(), &beyond).unwrap().hits.is_empty());
    beyond.page = u32::MAX;
    assert_eq!(index.search(&mic(), &beyond).unwrap().page, MAX_PAGE);
}

#[test]
fn hits_carry_marked_titles_snippets_and_metadata() {
    let index = index();
    let results = index.search(&mic(), &q("Rechnung Stromlieferung")).unwrap();
    assert_eq!(results.hits.len(), 1);
    let hit = &results.hits[0];
    assert_eq!(hit.document_id, 3);
    assert_eq!(hit.title[0].text, "Rechnung");
    assert!(hit.title[0].marked);
    assert_eq!(
        hit.title
            .iter()
            .map(|f| f.text.as_str())
            .collect::<String>(),
        "Rechnung Stadtwerke Michelstadt"
    );
    let marked: Vec<&str> = hit
        .snippet
        .iter()
        .filter(|f| f.marked)
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(marked, ["Rechnung", "Stromlieferung"]);
    assert_eq!(hit.document_date.as_deref(), Some("2023-11-30"));
    assert_eq!(hit.aktenzeichen.as_deref(), Some("MIC 020.1-0003"));
    assert_eq!(hit.akte_title.as_deref(), Some("Energieversorgung Rathaus"));
    assert_eq!(hit.plan_code.as_deref(), Some("020.1"));
    assert_eq!(hit.doc_type, "rechnung");
    assert_eq!(hit.correspondent, "Stadtwerke Michelstadt GmbH");
    assert_eq!(hit.municipality_code, "MIC");
    assert!(hit.score > 0.0);

    // Only metadata matched: no snippet.
    let hit = &index.search(&mic(), &q("Stadtwerke")).unwrap().hits[0];
    assert!(hit.snippet.is_empty(), "{:?}", hit.snippet);
    // Fuzzy and prefix matches are marked too.
    let hit = &index.search(&mic(), &q("Rechnnug Stadtw")).unwrap().hits[0];
    let marked: Vec<&str> = hit
        .title
        .iter()
        .filter(|f| f.marked)
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(marked, ["Rechnung", "Stadtwerke"]);
    // Nothing searched: the beginning of the text, unmarked.
    let mut params = q("");
    params.akte = Some(11);
    let hit = &index.search(&mic(), &params).unwrap().hits[0];
    assert_eq!(hit.snippet.len(), 1);
    assert!(!hit.snippet[0].marked);
    assert!(hit.snippet[0].text.starts_with("Rechnung Nr. 4711"));
    // No document date: none shown (the upload time only sorts).
    assert_eq!(ids(&index, &mic(), &q("Meldebescheinigung")), [6]);
    let hit = &index.search(&mic(), &q("Meldebescheinigung")).unwrap().hits[0];
    assert_eq!(hit.document_date, None);
}

#[test]
fn long_text_snippet_comes_from_around_the_match() {
    let index = SearchIndex::in_memory().unwrap();
    let text = format!(
        "{} Die Abrissgenehmigung liegt vor. {}",
        "Füllwort ".repeat(500),
        "Ende ".repeat(500)
    );
    index
        .upsert(&[doc(1, MIC, "Langer Text", "vermerk", "", None, None, &text)])
        .unwrap();
    index.commit().unwrap();
    let hit = &index.search(&mic(), &q("Abrissgenehmigung")).unwrap().hits[0];
    let joined: String = hit.snippet.iter().map(|f| f.text.as_str()).collect();
    assert!(joined.chars().count() <= 220, "{joined}");
    assert!(hit
        .snippet
        .iter()
        .any(|f| f.marked && f.text == "Abrissgenehmigung"));
}

#[test]
fn suggestions_follow_the_prefix_and_the_viewer() {
    let index = index();
    let s = index.suggest(&mic(), "Straßenaus", 5).unwrap();
    assert_eq!(s[0].document_id, 4);
    assert_eq!(s[0].title, "Bescheid Straßenausbaubeitrag Lindenweg");
    assert_eq!(s[0].aktenzeichen.as_deref(), Some("MIC 653.2-0001"));
    let mic_ids: Vec<i64> = index
        .suggest(&mic(), "Bauan", 10)
        .unwrap()
        .iter()
        .map(|s| s.document_id)
        .collect();
    assert!(
        mic_ids.contains(&1) && !mic_ids.contains(&12),
        "{mic_ids:?}"
    );
    let erb_ids: Vec<i64> = index
        .suggest(&erb(), "Bauan", 10)
        .unwrap()
        .iter()
        .map(|s| s.document_id)
        .collect();
    assert_eq!(erb_ids, [12]);
    assert_eq!(index.suggest(&mic(), "Bauan", 1).unwrap().len(), 1);
    assert!(index.suggest(&mic(), "", 5).unwrap().is_empty());
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let index = index();
    assert_eq!(index.num_docs(), 16);
    let mut changed = corpus().remove(2);
    changed.title = "Gutschrift Stadtwerke".to_string();
    // Twice in one batch: the last one wins, still one document.
    index.upsert(&[changed.clone(), changed]).unwrap();
    // Not visible before the commit.
    assert!(ids(&index, &mic(), &q("Gutschrift")).is_empty());
    index.commit().unwrap();
    assert_eq!(index.num_docs(), 16);
    assert_eq!(ids(&index, &mic(), &q("Gutschrift")), [3]);
    assert_eq!(ids(&index, &mic(), &q("Stadtwerke")), [3]);
    assert!(
        !ids(&index, &mic(), &q("Michelstadt")).contains(&3) || {
            // The correspondent still says Michelstadt; the title no longer does.
            let hit = &index.search(&mic(), &q("Gutschrift")).unwrap().hits[0];
            hit.title
                .iter()
                .map(|f| f.text.as_str())
                .collect::<String>()
                == "Gutschrift Stadtwerke"
        }
    );

    index.delete(&[3, 9]).unwrap();
    index.commit().unwrap();
    assert_eq!(index.num_docs(), 14);
    assert!(ids(&index, &mic(), &q("Stadtwerke")).is_empty());
    assert!(ids(&index, &mic(), &q("Kopierpapier")).is_empty());

    index.clear().unwrap();
    index.commit().unwrap();
    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.search(&mic(), &q("")).unwrap().total, 0);
}

#[test]
fn open_creates_reuses_and_recreates() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("suche");
    let (index, opened) = SearchIndex::open(&dir).unwrap();
    assert_eq!(opened, Opened::Created);
    index.upsert(&corpus()).unwrap();
    index.commit().unwrap();
    drop(index);

    let (index, opened) = SearchIndex::open(&dir).unwrap();
    assert_eq!(opened, Opened::Existing);
    assert_eq!(index.num_docs(), 16);
    assert_eq!(ids(&index, &mic(), &q("Bauanträge "))[..2].len(), 2);
    drop(index);

    // Garbage where tantivy keeps its metadata.
    std::fs::write(dir.join("meta.json"), b"\x00\x01 not json {{{").unwrap();
    let (index, opened) = SearchIndex::open(&dir).unwrap();
    assert!(matches!(opened, Opened::Recreated { .. }), "{opened:?}");
    assert_eq!(index.num_docs(), 0);
    index.upsert(&corpus()).unwrap();
    index.commit().unwrap();
    assert_eq!(ids(&index, &mic(), &q("Zuckerbrot")), [15]);
    drop(index);

    // Another schema version.
    std::fs::write(dir.join(VERSION_FILE), "aktenwerk-search-0").unwrap();
    let (index, opened) = SearchIndex::open(&dir).unwrap();
    match opened {
        Opened::Recreated { reason } => assert!(reason.contains("aktenwerk-search-0"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(index.num_docs(), 0);
    drop(index);

    // A directory of unrelated files without a marker.
    let other = tmp.path().join("fremd");
    std::fs::create_dir_all(other.join("sub")).unwrap();
    std::fs::write(other.join("notes.txt"), "x").unwrap();
    let (index, opened) = SearchIndex::open(&other).unwrap();
    assert!(matches!(opened, Opened::Recreated { .. }), "{opened:?}");
    assert!(!other.join("notes.txt").exists());
    index.upsert(&corpus()).unwrap();
    index.commit().unwrap();
    assert_eq!(index.num_docs(), 16);
}

#[test]
fn a_deleted_segment_file_means_recreate() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("suche");
    let (index, _) = SearchIndex::open(&dir).unwrap();
    index.upsert(&corpus()).unwrap();
    index.commit().unwrap();
    drop(index);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "idx" || e == "term") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let (index, opened) = SearchIndex::open(&dir).unwrap();
    assert!(matches!(opened, Opened::Recreated { .. }), "{opened:?}");
    assert_eq!(index.num_docs(), 0);
}

#[test]
fn plan_ancestors_follow_the_digits() {
    assert_eq!(plan_ancestors("022.3"), ["0", "02", "022", "022.3"]);
    assert_eq!(
        plan_ancestors("022.31"),
        ["0", "02", "022", "022.3", "022.31"]
    );
    assert_eq!(plan_ancestors("6"), ["6"]);
}

#[test]
fn searcher_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<SearchIndex>();
    let index = index();
    let clone = index.clone();
    clone.delete(&[1]).unwrap();
    clone.commit().unwrap();
    assert_eq!(index.num_docs(), 15);
}

#[test]
fn common_words_are_not_fuzzy_in_the_text() {
    let index = SearchIndex::in_memory().unwrap();
    let with_text =
        |id: i64, text: &str| doc(id, MIC, "Schreiben", "eingang", "", None, None, text);
    let mut docs = vec![with_text(1, "Der Vortrag ist morgen.")];
    docs.extend((2..=10).map(|id| with_text(id, "Der Vertrag läuft.")));
    index.upsert(&docs).unwrap();
    index.commit().unwrap();
    // Rare as typed: fuzzy, so the near word "Vortrag" is found too.
    assert_eq!(index.search(&mic(), &q("Vertrag ")).unwrap().total, 10);
    let more: Vec<IndexDoc> = (11..=30)
        .map(|id| with_text(id, "Der Vertrag läuft."))
        .collect();
    index.upsert(&more).unwrap();
    index.commit().unwrap();
    // Common as typed: only the word itself.
    let results = index.search(&mic(), &q("Vertrag ")).unwrap();
    assert_eq!(results.total, 29);
    // A typo is still found (it is rare).
    assert_eq!(index.search(&mic(), &q("Vertarg ")).unwrap().total, 29);
}

/// Michelstadt's search must not tell what Erbach writes: the same search
/// on an index that also holds Erbach's documents behaves exactly as on
/// one without them (same hits, order, scores, snippets, facets), even for
/// a word Erbach uses often and Michelstadt rarely or only misspelled.
#[test]
fn another_municipalitys_vocabulary_changes_nothing_for_a_search() {
    let with_text = |id: i64, municipality: i64, title: &str, text: &str| {
        doc(
            id,
            municipality,
            title,
            "vermerk",
            "",
            None,
            date("2024-08-01"),
            text,
        )
    };
    let mut mine: Vec<IndexDoc> = corpus()
        .into_iter()
        .filter(|d| d.visible_to.contains(&MIC))
        .collect();
    mine.push(with_text(
        30,
        MIC,
        "Vermerk Sommerfest",
        "Für das Sommerfest wird Zwetschgenkuchn beim Bäcker bestellt.",
    ));
    mine.push(with_text(
        31,
        MIC,
        "Sommerfest Kaffee",
        "Zwetschgenkuchen und Kaffee für das Sommerfest der Gemeinde.",
    ));
    mine.push(with_text(
        32,
        MIC,
        "Rückmeldung",
        "Kuchen für das Sommerfest.",
    ));
    let theirs: Vec<IndexDoc> = corpus()
        .into_iter()
        .filter(|d| !d.visible_to.contains(&MIC))
        .chain((100..130).map(|id| {
            with_text(
                id,
                ERB,
                "Backhausfest Zwetschgenkuchen",
                "Zwetschgenkuchen vom Backhaus Erbach, dazu Kaffee, Sahne und eine \
                 sehr lange Liste von Helferinnen und Helfern des Backhausfestes.",
            )
        }))
        .collect();
    // Erbach's documents between Michelstadt's, which keep their order.
    let mut all = Vec::new();
    for (i, d) in mine.iter().enumerate() {
        all.push(d.clone());
        all.extend(theirs.iter().skip(i * 3).take(3).cloned());
    }
    all.extend(theirs.iter().skip(mine.len() * 3).cloned());
    assert_eq!(all.len(), mine.len() + theirs.len());

    let build = |docs: &[IndexDoc]| {
        let index = SearchIndex::in_memory().unwrap();
        index.upsert(docs).unwrap();
        index.commit().unwrap();
        index
    };
    let alone = build(&mine);
    let shared = build(&all);
    for query in [
        "Zwetschgenkuchen ",
        "Zwetschgenkuchn ",
        "Zwetschenkuchen ",
        "Zwetschgenk",
        "Sommerfest Kaffee ",
        "Kaffee ",
        "Rechnung Stadtwerke ",
        "Gewerbegebiet ",
        "ERB 690.1-0005",
        "\"Zwetschgenkuchen und Kaffee\"",
    ] {
        assert_eq!(
            shared.search(&mic(), &q(query)).unwrap(),
            alone.search(&mic(), &q(query)).unwrap(),
            "{query}"
        );
    }
    for prefix in ["Zwetsch", "Kaff", "Sommerf"] {
        assert_eq!(
            shared.suggest(&mic(), prefix, 5).unwrap(),
            alone.suggest(&mic(), prefix, 5).unwrap(),
            "{prefix}"
        );
    }
    // The misspelt Michelstadt document is found for the right word.
    let found = ids(&shared, &mic(), &q("Zwetschgenkuchen "));
    assert!(found.contains(&30) && found.contains(&31), "{found:?}");
}
