//! `/suche`: the results page. Everything a person picked lives in the URL
//! (words, facets, sorting, page), so a search can be bookmarked, shared and
//! reloaded, and the page renders completely on the server.

use super::server_fns::search_documents;
use super::{FacetValue, Fragment, Hit, SearchParams, SearchResults, Sort, PER_PAGE};
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    // Those search_documents refuses get the notice, no form, no request.
    if !crate::auth::use_current_user()
        .is_some_and(|user| crate::auth::guard::Rule::Clerk.allows(&user))
    {
        return view! {
            <Title text="Suche"/>
            <h1>"Suche"</h1>
            <crate::ui::Refused/>
        }
        .into_any();
    }
    let query = use_query_map();
    let params = Memo::new(move |_| SearchParams::from_query(|key| query.read().get(key)));
    let results = crate::server_json::resource(
        move || params.get(),
        |params| async move {
            if params.q.is_empty() && !params.has_filters() {
                None
            } else {
                Some(search_documents(params).await)
            }
        },
    );
    // A running tour may wait for a search.
    Effect::new(move |_| {
        if matches!(results.get(), Some(Some(Ok(_)))) {
            crate::tours::emit(crate::tours::WaitFor::Search);
        }
    });
    view! {
        <Title text=move || {
            // The head may be rendered after the page's owner is gone.
            let q = params.try_with(|p| p.q.clone()).unwrap_or_default();
            if q.is_empty() { "Suche".to_string() } else { format!("Suche: {q}") }
        }/>
        <h1>"Suche"</h1>
        <crate::guides::link::GuideLink screen="suche"/>
        <SearchForm params/>
        <Transition fallback=|| view! { <p>"Suche läuft …"</p> }>
            {move || Suspend::new(async move {
                let params = params.get_untracked();
                match results.await {
                    None => view! { <SearchHelp/> }.into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                    Some(Ok(found)) => view! { <Results params found/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// The search field of the page itself, with sorting; narrowing by Akte or
/// plan subtree is kept in hidden fields so a new word keeps the scope.
#[component]
fn SearchForm(params: Memo<SearchParams>) -> impl IntoView {
    let p = params.get_untracked();
    let sort_option = move |sort: Sort, label: &'static str| {
        view! {
            <option value=sort.as_str() selected=move || params.read().sort == sort>{label}</option>
        }
    };
    view! {
        <form method="get" action="/suche" role="search" class="search-form" aria-label="Dokumente durchsuchen" data-tour="suche-formular">
            <label for="suche-q">"Suchbegriffe"</label>
            <div class="search-row">
                <input id="suche-q" name="q" type="search" autocomplete="off" spellcheck="false"
                    value=p.q.clone() prop:value=move || params.read().q.clone()
                    aria-describedby="suche-hinweis"/>
                <label for="suche-sortierung" class="visually-hidden">"Sortierung"</label>
                <select id="suche-sortierung" name="sortierung">
                    {sort_option(Sort::Relevance, "Beste Treffer zuerst")}
                    {sort_option(Sort::Newest, "Neueste zuerst")}
                    {sort_option(Sort::Oldest, "Älteste zuerst")}
                </select>
                {p.akte.map(|a| view! { <input type="hidden" name="akte" value=a.to_string()/> })}
                {p.vorgang.map(|v| view! { <input type="hidden" name="vorgang" value=v.to_string()/> })}
                {p.plan.clone().map(|c| view! { <input type="hidden" name="plan" value=c/> })}
                <button type="submit" class="button">"Suchen"</button>
            </div>
            <p id="suche-hinweis" class="hint">
                "Mehrere Wörter: alle müssen vorkommen. \u{201E}In Anführungszeichen\u{201C} sucht genau diese Wortfolge. "
                "Ein Aktenzeichen wie \u{201E}MIC 621.1-0007\u{201C} findet die Akte. Kleine Tippfehler werden verziehen."
            </p>
        </form>
    }
}

#[component]
fn SearchHelp() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="suche-tipps">
            <h2 id="suche-tipps">"So finden Sie Dokumente"</h2>
            <ul>
                <li>"Gesucht wird in Titel, Text (auch in eingescannten Schreiben), Aktenzeichen, Aktenplan, Absender und Schlagwörtern."</li>
                <li>"Wortformen werden erkannt: \u{201E}Bauanträge\u{201C} findet auch \u{201E}Bauantrag\u{201C}, \u{201E}Strasse\u{201C} auch \u{201E}Straße\u{201C}."</li>
                <li>"Drücken Sie auf jeder Seite die Taste \u{201E}/\u{201C}, um sofort in das Suchfeld oben zu springen."</li>
            </ul>
        </section>
    }
}

#[component]
fn Results(params: SearchParams, found: SearchResults) -> impl IntoView {
    let total = found.total;
    let pages = total.div_ceil(u64::from(PER_PAGE)).max(1);
    let scope = match (&params.vorgang, &params.akte, &params.plan) {
        (Some(_), ..) => Some((
            "in einem Vorgang",
            SearchParams {
                vorgang: None,
                page: 1,
                ..params.clone()
            },
        )),
        (None, Some(_), _) => Some((
            "in einer Akte",
            SearchParams {
                akte: None,
                page: 1,
                ..params.clone()
            },
        )),
        (None, None, Some(_)) => Some((
            "in einem Bereich des Aktenplans",
            SearchParams {
                plan: None,
                page: 1,
                ..params.clone()
            },
        )),
        _ => None,
    };
    let summary = match total {
        0 => "Keine Treffer.".to_string(),
        1 => "1 Treffer".to_string(),
        n => format!("{} Treffer", group_digits(n)),
    };
    view! {
        <p class="result-count" role="status" aria-live="polite" data-total=total.to_string() data-tour="suchergebnisse">
            {summary}
            {(pages > 1).then(|| format!(" · Seite {} von {}", params.page, group_digits(pages)))}
        </p>
        {scope.map(|(what, wider)| view! {
            <p class="notice info">
                {format!("Gesucht wird nur {what}. ")}
                <a href=wider.href()>"Überall suchen"</a>
            </p>
        })}
        <div class="search-layout">
            <FacetPanel params=params.clone() facets=found.facets/>
            <div class="search-results">
                {if found.hits.is_empty() {
                    view! { <NoHits params=params.clone()/> }.into_any()
                } else {
                    view! {
                        <ol class="hit-list" start=((params.page.max(1) - 1) * PER_PAGE + 1).to_string()>
                            {found.hits.into_iter().map(|hit| view! { <HitItem hit q=params.q.clone()/> }).collect_view()}
                        </ol>
                    }.into_any()
                }}
                <Pager params=params.clone() pages/>
            </div>
        </div>
    }
}

#[component]
fn NoHits(params: SearchParams) -> impl IntoView {
    let without_filters = SearchParams {
        q: params.q.clone(),
        sort: params.sort,
        ..SearchParams::default()
    };
    view! {
        <div class="notice">
            <p>"Nichts gefunden. Vorschläge:"</p>
            <ul>
                <li>"Weniger oder andere Wörter verwenden, z. B. nur den Nachnamen oder die Straße."</li>
                {params.has_filters().then(|| view! {
                    <li><a href=without_filters.href()>"Ohne Einschränkungen suchen"</a></li>
                })}
                <li>"Gerade hochgeladene Scans sind nach der Texterkennung (meist unter einer Minute) durchsuchbar."</li>
            </ul>
        </div>
    }
}

fn fragments(fragments: Vec<Fragment>) -> impl IntoView {
    fragments
        .into_iter()
        .map(|f| {
            if f.marked {
                view! { <mark>{f.text}</mark> }.into_any()
            } else {
                f.text.into_any()
            }
        })
        .collect_view()
}

#[component]
fn HitItem(hit: Hit, q: String) -> impl IntoView {
    let href = if q.is_empty() {
        format!("/dokumente/{}", hit.document_id)
    } else {
        format!(
            "/dokumente/{}?markieren={}",
            hit.document_id,
            super::encode(&q)
        )
    };
    let doc_type = crate::documents::DocType::parse(&hit.doc_type)
        .map(|t| t.label())
        .unwrap_or("Dokument");
    let date = hit.document_date.as_deref().map(german_date);
    view! {
        <li class="hit" data-document=hit.document_id.to_string()>
            <h2 class="hit-title"><a href=href>{fragments(hit.title)}</a></h2>
            <p class="hit-meta">
                <span class="badge">{doc_type}</span>
                {date.map(|d| view! { <span>{d}</span> })}
                {(!hit.correspondent.is_empty()).then(|| view! { <span>{hit.correspondent.clone()}</span> })}
                {match (hit.aktenzeichen.clone(), hit.akte_title.clone()) {
                    (Some(az), title) => view! {
                        <span class="hit-akte">{az}{title.map(|t| format!(" – {t}"))}</span>
                    }.into_any(),
                    (None, _) => view! { <span class="hit-akte">"Im Posteingang"</span> }.into_any(),
                }}
                {hit.vorgang.clone().map(|v| view! { <span class="hit-vorgang">{format!("Vorgang {v}")}</span> })}
                <span class="hit-municipality">{hit.municipality_code.clone()}</span>
            </p>
            {(!hit.snippet.is_empty()).then(|| view! { <p class="hit-snippet">"… "{fragments(hit.snippet)}" …"</p> })}
        </li>
    }
}

/// "2025-03-14" → "14.03.2025".
fn german_date(iso: &str) -> String {
    let mut parts = iso.splitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// 12345 → "12.345".
fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[component]
fn FacetPanel(params: SearchParams, facets: super::Facets) -> impl IntoView {
    let group = |title: &'static str,
                 values: Vec<FacetValue>,
                 current: Option<String>,
                 set: fn(&mut SearchParams, Option<String>)| {
        if values.is_empty() && current.is_none() {
            return None;
        }
        let params = params.clone();
        let clear = {
            let mut p = params.clone();
            set(&mut p, None);
            p.page = 1;
            p.href()
        };
        Some(view! {
            <section class="facet" aria-label=title>
                <h3>{title}</h3>
                <ul>
                    {values.into_iter().map(|value| {
                        let active = current.as_deref() == Some(value.key.as_str());
                        let mut p = params.clone();
                        set(&mut p, if active { None } else { Some(value.key.clone()) });
                        p.page = 1;
                        view! {
                            <li>
                                <a href=p.href() aria-current=active.then_some("true") class:active=active>
                                    <span>{value.label}</span>
                                    <span class="facet-count">{group_digits(value.count)}</span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {current.is_some().then(|| view! { <a class="facet-clear" href=clear>"Auswahl aufheben"</a> })}
            </section>
        })
    };
    view! {
        <aside class="facets" aria-label="Treffer eingrenzen" data-tour="suche-filter">
            <h2 class="visually-hidden">"Treffer eingrenzen"</h2>
            {group("Aktenplan", facets.main_group, params.main_group.clone(), |p, v| p.main_group = v)}
            {group("Dokumentart", facets.doc_type, params.doc_type.clone(), |p, v| p.doc_type = v)}
            {group("Jahr", facets.year, params.year.map(|y| y.to_string()), |p, v| p.year = v.and_then(|v| v.parse().ok()))}
            {group("Akte", facets.akte_status, params.akte_status.clone(), |p, v| p.akte_status = v)}
            {group("Gemeinde", facets.municipality, params.municipality.clone(), |p, v| p.municipality = v)}
            {group("Vorgang", facets.vorgang, params.vorgang.map(|v| v.to_string()), |p, v| p.vorgang = v.and_then(|v| v.parse().ok()))}
        </aside>
    }
}

#[component]
fn Pager(params: SearchParams, pages: u64) -> impl IntoView {
    if pages <= 1 {
        return None;
    }
    let current = u64::from(params.page.max(1));
    let link = move |page: u64, label: String, rel: Option<&'static str>| {
        let p = SearchParams {
            page: u32::try_from(page).unwrap_or(1),
            ..params.clone()
        };
        view! { <a href=p.href() rel=rel>{label}</a> }
    };
    let last = pages.min(u64::from(super::MAX_PAGE));
    Some(view! {
        <nav class="pager" aria-label="Seiten der Trefferliste">
            {(current > 1).then(|| link(current - 1, "← Vorherige Seite".into(), Some("prev")))}
            <span aria-current="page">{format!("Seite {current}")}</span>
            {(current < last).then(|| link(current + 1, "Nächste Seite →".into(), Some("next")))}
        </nav>
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_the_german_way() {
        assert_eq!(group_digits(7), "7");
        assert_eq!(group_digits(1234), "1.234");
        assert_eq!(group_digits(100000), "100.000");
        assert_eq!(german_date("2025-03-14"), "14.03.2025");
    }
}

/// A search field that stays inside one Akte, one Vorgang or one plan
/// subtree: placed on the Akte and Vorgang pages and in the explorer. Shown to those who may search.
#[component]
pub fn ScopedSearch(
    /// `akte`, `vorgang` or `plan`.
    scope: &'static str,
    value: String,
    label: &'static str,
) -> impl IntoView {
    let may_search = crate::auth::use_current_user()
        .is_some_and(|user| crate::auth::guard::Rule::Clerk.allows(&user));
    let id = format!("suche-{scope}");
    may_search.then(|| {
        view! {
            <form method="get" action="/suche" role="search" class="scoped-search" aria-label=label>
                <label for=id.clone()>{label}</label>
                <div class="search-row">
                    <input id=id name="q" type="search" autocomplete="off"/>
                    <input type="hidden" name=scope value=value/>
                    <button type="submit" class="button secondary">"Suchen"</button>
                </div>
            </form>
        }
    })
}
