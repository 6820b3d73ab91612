//! The filing suggestions of a document in the Posteingang: computed once
//! (when first asked for, its text extracted or not) and kept as shown.

use super::{dokumente, storage, Vorschlag};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use std::collections::HashMap;

/// How many similar filed documents vote.
pub const NEIGHBOURS: usize = 30;
/// How many suggestions are shown.
const SHOWN: usize = 3;
/// How many of the document's words name the reason.
const REASON_WORDS: usize = 3;

/// The suggestions for the own municipality's document `document_id` in
/// the Posteingang, best first.
pub async fn for_document(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
) -> Result<Vec<Vorschlag>, AppError> {
    guard::check(user, Rule::Clerk)?;
    let municipality = &user.municipality;
    let (title, sender, text) = storage::inbox_document(&state.pool, document_id, municipality.id)
        .await?
        .ok_or_else(|| AppError::NotFound("Das Dokument im Posteingang".into()))?;
    let kept = storage::kept(&state.pool, document_id).await?;
    if !kept.is_empty() {
        return Ok(kept
            .into_iter()
            .filter_map(|(rang, akte_id, plan, erklaerung, akte)| {
                // An Akte closed since is no place to file any more.
                let ziel = match akte_id {
                    Some(_) => akte?,
                    None => plan?,
                };
                Some(Vorschlag {
                    rang,
                    akte_id,
                    ziel,
                    erklaerung,
                })
            })
            .collect());
    }
    let index = state.search.clone();
    let code = municipality.code.clone();
    let (title_for_index, text_for_index) = (title.clone(), text.clone());
    let municipality_id = municipality.id;
    let similar = tokio::task::spawn_blocking(move || {
        index.similar_filed(
            (municipality_id, &code),
            document_id,
            &title_for_index,
            &text_for_index,
            NEIGHBOURS,
        )
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "filing suggestion panicked");
        AppError::Internal
    })?
    .map_err(|error| {
        tracing::error!(%error, "filing suggestion failed");
        AppError::Internal
    })?;
    let words = similar
        .words
        .iter()
        .take(REASON_WORDS)
        .map(|w| capitalised(w))
        .collect::<Vec<_>>()
        .join(", ");
    let ids: Vec<i64> = similar.hits.iter().map(|(id, _)| *id).collect();
    let filed = storage::filed(&state.pool, &ids, municipality.id).await?;
    let named =
        match super::aktenzeichen_in(&format!("{title}\n{text}"), &municipality.code).first() {
            Some(zeichen) => storage::open_akte(&state.pool, municipality.id, zeichen).await?,
            None => None,
        };
    let vorschlaege = if filed.is_empty() && named.is_none() {
        by_plan(state, &similar.words)
    } else {
        named_first(named, rank_akten(&similar.hits, &filed, &sender, &words))
    };
    let mut tx = crate::db::begin_write(&state.pool).await?;
    for v in &vorschlaege {
        let plan = v.akte_id.is_none().then_some(v.ziel.as_str());
        storage::keep(
            &mut tx,
            document_id,
            v.rang,
            (v.akte_id, plan),
            &v.erklaerung,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(vorschlaege)
}

/// The Akten the similar filed documents lie in, by the sum of their
/// scores: `hits` (document, score) best first, `filed` (document, Akte,
/// „MIC 621.1-0007 Bauanträge 2026“, sender), the new document's sender
/// and the words of the reason. Pure, so the benchmark ranks as the page
/// does.
pub fn rank_akten(
    hits: &[(i64, f32)],
    filed: &[(i64, i64, String, String)],
    sender: &str,
    words: &str,
) -> Vec<Vorschlag> {
    struct Votes<'a> {
        score: f32,
        count: usize,
        same_sender: bool,
        ziel: &'a str,
    }
    let mut akten: HashMap<i64, Votes<'_>> = HashMap::new();
    for (id, score) in hits {
        let Some((_, akte, ziel, their_sender)) = filed.iter().find(|f| f.0 == *id) else {
            continue;
        };
        let votes = akten.entry(*akte).or_insert(Votes {
            score: 0.0,
            count: 0,
            same_sender: false,
            ziel,
        });
        votes.score += score;
        votes.count += 1;
        votes.same_sender |=
            !sender.trim().is_empty() && their_sender.trim().eq_ignore_ascii_case(sender.trim());
    }
    let mut ranked: Vec<(i64, Votes<'_>)> = akten.into_iter().collect();
    ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(SHOWN)
        .enumerate()
        .map(|(n, (akte, votes))| {
            let mut erklaerung = format!(
                "ähnlich wie {} in {}",
                dokumente(votes.count),
                votes.ziel.split(' ').take(2).collect::<Vec<_>>().join(" ")
            );
            if votes.same_sender {
                erklaerung.push_str(", gleicher Absender");
            }
            if !words.is_empty() {
                erklaerung.push_str(&format!(", Wörter: {words}"));
            }
            Vorschlag {
                rang: n as i64 + 1,
                akte_id: Some(akte),
                ziel: votes.ziel.to_string(),
                erklaerung,
            }
        })
        .collect()
}

/// An open Akte the document names by its Aktenzeichen (id, „MIC
/// 621.1-0007 Bauanträge 2026“) goes first, whatever the similar documents
/// say; the others follow, renumbered, three at most.
pub fn named_first(named: Option<(i64, String)>, ranked: Vec<Vorschlag>) -> Vec<Vorschlag> {
    let Some((akte, ziel)) = named else {
        return ranked;
    };
    let zeichen: String = ziel.split(' ').take(2).collect::<Vec<_>>().join(" ");
    let mut erklaerung = format!("nennt das Aktenzeichen {zeichen}");
    if let Some(same) = ranked.iter().find(|v| v.akte_id == Some(akte)) {
        erklaerung.push_str("; ");
        erklaerung.push_str(&same.erklaerung);
    }
    let first = Vorschlag {
        rang: 1,
        akte_id: Some(akte),
        ziel,
        erklaerung,
    };
    std::iter::once(first)
        .chain(ranked.into_iter().filter(|v| v.akte_id != Some(akte)))
        .take(SHOWN)
        .enumerate()
        .map(|(n, v)| Vorschlag {
            rang: n as i64 + 1,
            ..v
        })
        .collect()
}

/// Without anything filed like it: the plan positions whose title,
/// keywords or description match most of the document's words.
fn by_plan(state: &AppState, words: &[String]) -> Vec<Vorschlag> {
    /// A position's summed score, its „621.1 Bauanträge“ and the words it
    /// matched.
    type Matched = (u32, String, Vec<String>);
    let plan = state.plan.snapshot();
    let mut positions: HashMap<i64, Matched> = HashMap::new();
    for word in words.iter().take(8) {
        for hit in plan.search(word, 5) {
            let entry = positions.entry(hit.position.id).or_insert_with(|| {
                (
                    0,
                    format!("{} {}", hit.position.record.code, hit.position.record.title),
                    Vec::new(),
                )
            });
            entry.0 += hit.score;
            entry.2.push(capitalised(word));
        }
    }
    let mut ranked: Vec<(i64, Matched)> = positions.into_iter().collect();
    ranked.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(SHOWN)
        .enumerate()
        .map(|(n, (_, (_, ziel, matched)))| Vorschlag {
            rang: n as i64 + 1,
            akte_id: None,
            ziel,
            erklaerung: format!(
                "noch nichts Ähnliches abgelegt; die Planstelle passt zu den Wörtern {}",
                matched.join(", ")
            ),
        })
        .collect()
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn akten_are_ranked_by_their_documents_scores_and_explained() {
        let filed = vec![
            (
                1,
                10,
                "ERB 621.1-0001 Bauanträge".to_string(),
                "Müller".to_string(),
            ),
            (
                2,
                10,
                "ERB 621.1-0001 Bauanträge".to_string(),
                "Schmidt".to_string(),
            ),
            (
                3,
                20,
                "ERB 222.1-0002 Hundesteuer".to_string(),
                "Müller".to_string(),
            ),
        ];
        let hits = [(3, 2.0), (1, 1.5), (2, 1.0), (99, 9.0)];
        let shown = rank_akten(&hits, &filed, "schmidt", "Bauantrag, Flurstück");
        assert_eq!(shown.len(), 2);
        assert_eq!(shown[0].akte_id, Some(10));
        assert_eq!(
            shown[0].erklaerung,
            "ähnlich wie 2 Dokumente in ERB 621.1-0001, gleicher Absender, Wörter: Bauantrag, Flurstück"
        );
        assert_eq!(shown[1].akte_id, Some(20));
        assert_eq!(shown[1].rang, 2);
        assert!(!shown[1].erklaerung.contains("Absender"));

        // A letter naming an Aktenzeichen: that Akte first, its vote kept
        // in the reason, the rest renumbered.
        let named = named_first(
            Some((20, "ERB 222.1-0002 Hundesteuer".into())),
            shown.clone(),
        );
        assert_eq!(named.len(), 2);
        assert_eq!((named[0].akte_id, named[0].rang), (Some(20), 1));
        assert!(named[0]
            .erklaerung
            .starts_with("nennt das Aktenzeichen ERB 222.1-0002; ähnlich wie 1 Dokument"));
        assert_eq!((named[1].akte_id, named[1].rang), (Some(10), 2));
        assert_eq!(named_first(None, shown.clone()), shown);
    }
}
