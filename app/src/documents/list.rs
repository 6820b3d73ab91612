//! A list of documents with selection and bulk actions (file into an
//! Akte or Vorgang, tag, change type, trash), used by the Posteingang, the
//! Akte page and the Vorgang page, and the searchable picker of Akten and
//! Vorgänge that is also a drop target.

use super::server_fns::{find_filing_targets, BulkDocuments};
use super::{DocType, DocumentSummary, FilingTarget, VorgangRef};
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// The drag format of document rows, so the upload zone can tell a moved
/// row from dropped files.
pub const DRAG_FORMAT: &str = "application/x-aktenwerk-dokumente";

/// Where a list is shown, which decides the place column: the Akte (and
/// Vorgang) anywhere, the Vorgang on an Akte's page, none on a Vorgang's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListedIn {
    #[default]
    Anywhere,
    Akte,
    Vorgang,
}

#[component]
pub fn DocumentTable(
    documents: Vec<DocumentSummary>,
    selected: RwSignal<BTreeSet<i64>>,
    #[prop(optional)] listed_in: ListedIn,
) -> impl IntoView {
    if documents.is_empty() {
        return view! { <p class="empty">"Hier liegen keine Dokumente."</p> }.into_any();
    }
    let all_ids: Vec<i64> = documents.iter().map(|d| d.id).collect();
    let all_for_toggle = all_ids.clone();
    let all_selected = move || {
        let chosen = selected.get();
        !all_ids.is_empty() && all_ids.iter().all(|id| chosen.contains(id))
    };
    view! {
        <table class="documents">
            <caption class="visually-hidden">"Dokumente"</caption>
            <thead>
                <tr>
                    <th scope="col">
                        <input type="checkbox" aria-label="Alle auswählen" prop:checked=all_selected
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selected.update(|s| for id in &all_for_toggle {
                                    if on { s.insert(*id); } else { s.remove(id); }
                                });
                            }/>
                    </th>
                    <th scope="col">"Titel"</th>
                    <th scope="col">"Art"</th>
                    <th scope="col">"Datum"</th>
                    <th scope="col">"Absender/Empfänger"</th>
                    {match listed_in {
                        ListedIn::Anywhere => Some(view! { <th scope="col">"Akte"</th> }.into_any()),
                        ListedIn::Akte => Some(view! { <th scope="col">"Vorgang"</th> }.into_any()),
                        ListedIn::Vorgang => None,
                    }}
                    <th scope="col">"Hochgeladen"</th>
                </tr>
            </thead>
            <tbody>
                {documents.into_iter().map(|d| {
                    let id = d.id;
                    let title = d.title.clone();
                    view! {
                        <tr draggable="true" class:selected=move || selected.read().contains(&id)
                            on:dragstart=move |ev: leptos::ev::DragEvent| start_drag(&ev, id, selected)>
                            <td>
                                <input type="checkbox" aria-label=format!("{title} auswählen")
                                    prop:checked=move || selected.read().contains(&id)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                                    }/>
                            </td>
                            <td>
                                <a href=format!("/dokumente/{id}")>{d.title.clone()}</a>
                                <span class="field-hint">{format!(" {}", d.kind_label)}</span>
                                {(!d.tags.is_empty()).then(|| view! {
                                    <ul class="tags">{d.tags.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
                                })}
                            </td>
                            <td>{d.doc_type.label()}</td>
                            <td>{d.document_date.clone().map(|date| german_date(&date)).unwrap_or_default()}</td>
                            <td>{d.correspondent.clone()}</td>
                            {match listed_in {
                                ListedIn::Anywhere => Some(view! {
                                    <td>{match (d.akte.clone(), d.vorgang.clone()) {
                                        (_, Some(v)) => Some(vorgang_link(v)),
                                        (Some(a), None) => Some(view! { <a href=format!("/akten/{}", a.id)>{a.aktenzeichen}</a> }.into_any()),
                                        (None, None) => None,
                                    }}</td>
                                }.into_any()),
                                ListedIn::Akte => Some(view! {
                                    <td>{d.vorgang.clone().map(vorgang_link)}</td>
                                }.into_any()),
                                ListedIn::Vorgang => None,
                            }}
                            <td>{d.uploaded_at.clone()}<br/><span class="field-hint">{d.uploaded_by.clone()}</span></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn vorgang_link(v: VorgangRef) -> AnyView {
    view! { <a href=format!("/vorgaenge/{}", v.id) title=v.title>{v.zeichen}</a> }.into_any()
}

/// `2026-11-03` → `03.11.2026`.
pub fn german_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// Dragging a row carries it, or the whole selection if it is part of it.
fn start_drag(ev: &leptos::ev::DragEvent, id: i64, selected: RwSignal<BTreeSet<i64>>) {
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, id, selected);
    #[cfg(feature = "hydrate")]
    {
        let chosen = selected.get_untracked();
        let ids: Vec<String> = if chosen.contains(&id) {
            chosen.iter().map(i64::to_string).collect()
        } else {
            vec![id.to_string()]
        };
        if let Some(transfer) = ev.data_transfer() {
            let _ = transfer.set_data(DRAG_FORMAT, &ids.join(","));
            let _ = transfer.set_data("text/plain", &ids.join(","));
            transfer.set_effect_allowed("move");
        }
    }
}

/// Document ids carried by a drop, if it came from a document row.
pub fn dropped_ids(ev: &leptos::ev::DragEvent) -> Vec<i64> {
    #[cfg(feature = "hydrate")]
    return ev
        .data_transfer()
        .and_then(|t| t.get_data(DRAG_FORMAT).ok())
        .map(|text| {
            text.split(',')
                .filter_map(|id| id.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default();
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        Vec::new()
    }
}

/// The bulk bar for a selection.
#[component]
pub fn BulkBar(
    selected: RwSignal<BTreeSet<i64>>,
    action: ServerAction<BulkDocuments>,
) -> impl IntoView {
    let (tag, set_tag) = signal(String::new());
    let (doc_type, set_doc_type) = signal(DocType::Eingang.as_str().to_string());
    let run = move |name: &str, value: String| {
        let ids: Vec<i64> = selected.get_untracked().into_iter().collect();
        action.dispatch(BulkDocuments {
            ids,
            action: name.to_string(),
            value,
        });
    };
    let count = move || selected.read().len();
    view! {
        <section class="bulk-bar" aria-labelledby="bulk-heading">
            <h2 id="bulk-heading" class="visually-hidden">"Ausgewählte Dokumente bearbeiten"</h2>
            <p>{move || match count() {
                0 => "Keine Dokumente ausgewählt. Wählen Sie Dokumente über die Kästchen aus.".to_string(),
                1 => "1 Dokument ausgewählt.".to_string(),
                n => format!("{n} Dokumente ausgewählt."),
            }}</p>
            <div class="bulk-actions">
                <div class="inline-form">
                    <label for="bulk-tag">"Schlagwort"</label>
                    <input id="bulk-tag" type="text" maxlength="50" prop:value=tag on:input=move |ev| set_tag.set(event_target_value(&ev))/>
                    <button type="button" class="button" disabled=move || count() == 0 || tag.read().trim().is_empty()
                        on:click=move |_| run("tag", tag.get_untracked())>"Hinzufügen"</button>
                </div>
                <div class="inline-form">
                    <label for="bulk-type">"Dokumentart"</label>
                    <select id="bulk-type" on:change=move |ev| set_doc_type.set(event_target_value(&ev))>
                        {DocType::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{t.label()}</option> }).collect_view()}
                    </select>
                    <button type="button" class="button" disabled=move || count() == 0
                        on:click=move |_| run("type", doc_type.get_untracked())>"Ändern"</button>
                </div>
                <button type="button" class="button danger" disabled=move || count() == 0
                    on:click=move |_| run("trash", String::new())>"In den Papierkorb"</button>
            </div>
            <div role="status" aria-live="polite">
                {move || action.value().get().map(|r| match r {
                    Ok(n) => view! { <p class="notice success">{format!("Erledigt: {n} Dokument(e) geändert.")}</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
            </div>
        </section>
    }
}

/// Finds open Akten and their Vorgänge by Aktenzeichen, Zeichen or title;
/// each hit can be clicked (files the selection) or have documents dropped
/// onto it.
#[component]
pub fn AktePicker(
    /// The documents a click files.
    selected: RwSignal<BTreeSet<i64>>,
    action: ServerAction<BulkDocuments>,
    #[prop(default = "In Akte ablegen")] heading: &'static str,
) -> impl IntoView {
    let (query, set_query) = signal(String::new());
    // Searched from the browser only: the picker sits inside pages that
    // are themselves still loading on the server, and hits need no SSR.
    let hits = RwSignal::new(None::<Result<Vec<FilingTarget>, crate::error::AppError>>);
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let text = query.get();
        let ticket = asked.get_value() + 1;
        asked.set_value(ticket);
        leptos::task::spawn_local(async move {
            let found = find_filing_targets(text).await;
            // Typing fast sends several searches; only the last one counts.
            // The picker may be gone meanwhile (its list re-rendered):
            // then nobody waits for the answer.
            if asked.try_get_value() == Some(ticket) {
                hits.try_set(Some(found));
            }
        });
    });
    // A running tour may wait for documents being filed.
    let filing = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) && filing.get_untracked() {
            filing.set(false);
            crate::tours::emit(crate::tours::WaitFor::Filed);
        }
    });
    let file = move |target: &FilingTarget, ids: Vec<i64>| {
        if ids.is_empty() {
            return;
        }
        filing.set(true);
        let (name, value) = match &target.vorgang {
            Some(v) => ("file_vorgang", v.id),
            None => ("file", target.akte.id),
        };
        action.dispatch(BulkDocuments {
            ids,
            action: name.into(),
            value: value.to_string(),
        });
    };
    view! {
        <section class="akte-picker" aria-labelledby="picker-heading">
            <h2 id="picker-heading">{heading}</h2>
            <p class="field-hint">"Ausgewählte Dokumente mit einem Klick ablegen oder Dokumente auf eine Akte oder einen Vorgang ziehen."</p>
            <label for="picker-query">"Akte oder Vorgang suchen (Zeichen oder Titel)"</label>
            <input id="picker-query" type="search" autocomplete="off" prop:value=query
                on:input=move |ev| set_query.set(event_target_value(&ev))/>
            {move || {
                    match hits.get() {
                        None => view! { <p>"Akten werden gesucht …"</p> }.into_any(),
                        Some(Ok(hits)) if hits.is_empty() => view! { <p class="empty">"Keine offene Akte und kein offener Vorgang gefunden."</p> }.into_any(),
                        Some(Ok(hits)) => view! {
                            <ul class="akte-targets">
                                {hits.into_iter().map(|target| {
                                    let on_click = target.clone();
                                    let on_drop = target.clone();
                                    let (label, hint) = match &target.vorgang {
                                        Some(v) => (format!("{} {}", v.zeichen, v.title), Some(format!("Vorgang in {}", target.akte.title))),
                                        None => (format!("{} {}", target.akte.aktenzeichen, target.akte.title), None),
                                    };
                                    view! {
                                        <li class="drop-target" class:vorgang-target=target.vorgang.is_some()
                                            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                                            on:drop=move |ev: leptos::ev::DragEvent| {
                                                let ids = dropped_ids(&ev);
                                                if !ids.is_empty() {
                                                    ev.prevent_default();
                                                    ev.stop_propagation();
                                                    file(&on_drop, ids);
                                                }
                                            }>
                                            <button type="button" class="akte-target"
                                                disabled=move || selected.read().is_empty()
                                                on:click=move |_| file(&on_click, selected.get_untracked().into_iter().collect())>
                                                <span class="visually-hidden">"Ausgewählte ablegen in "</span>
                                                {label}
                                                {hint.map(|hint| view! { <span class="field-hint">{format!(" ({hint})")}</span> })}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Some(Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                    }
            }}
        </section>
    }
}

/// On an Akte's page: moves the selection into one of the Akte's open
/// Vorgänge, or out of its Vorgang directly into the Akte.
#[component]
pub fn VorgangMover(
    akte_id: i64,
    /// The Akte's Vorgänge that are not zdA.
    vorgaenge: Vec<VorgangRef>,
    selected: RwSignal<BTreeSet<i64>>,
    action: ServerAction<BulkDocuments>,
) -> impl IntoView {
    let first = vorgaenge
        .first()
        .map(|v| v.id.to_string())
        .unwrap_or_default();
    let (chosen, set_chosen) = signal(first);
    let none = move || selected.read().is_empty();
    let run = move |name: &str, value: String| {
        action.dispatch(BulkDocuments {
            ids: selected.get_untracked().into_iter().collect(),
            action: name.to_string(),
            value,
        });
    };
    view! {
        <div class="inline-form vorgang-mover">
            {(!vorgaenge.is_empty()).then(|| view! {
                <label for="move-vorgang">"Vorgang"</label>
                <select id="move-vorgang" on:change=move |ev| set_chosen.set(event_target_value(&ev))>
                    {vorgaenge.iter().map(|v| view! { <option value=v.id>{format!("{} {}", v.zeichen, v.title)}</option> }).collect_view()}
                </select>
                <button type="button" class="button" disabled=none
                    on:click=move |_| run("file_vorgang", chosen.get_untracked())>"In den Vorgang legen"</button>
            })}
            <button type="button" class="button secondary" disabled=none
                on:click=move |_| run("file", akte_id.to_string())>"Aus dem Vorgang lösen"</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_the_german_way() {
        assert_eq!(super::german_date("2026-11-03"), "03.11.2026");
        assert_eq!(super::german_date("kaputt"), "kaputt");
    }
}
