//! The filing suggestion on the page of a document in the Posteingang:
//! up to three places, each with its reason, an Akte with one button that
//! files the document there.

use super::server_fns::ablage_vorschlaege;
use crate::ui::ErrorNotice;
use leptos::prelude::*;

#[component]
pub fn AblagePanel(document_id: i64, file: Callback<i64>) -> impl IntoView {
    let data = crate::server_json::resource(move || document_id, ablage_vorschlaege);
    view! {
        <section class="panel" aria-labelledby="ablage-heading">
            <h2 id="ablage-heading">"Ablagevorschlag"</h2>
            <Transition fallback=|| view! { <p>"Vorschläge werden ermittelt …"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">"Kein Vorschlag: zu diesem Dokument passt noch nichts Abgelegtes und keine Planstelle."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ol class="postkorb-list">
                                {list.into_iter().map(|v| {
                                    let label = format!("Hier ablegen: {}", v.ziel);
                                    view! {
                                        <li class="postkorb-item">
                                            <strong>{v.ziel}</strong>
                                            <p class="field-hint">{v.erklaerung}</p>
                                            {v.akte_id.map(|akte| view! {
                                                <button type="button" class="button secondary small" aria-label=label
                                                    on:click=move |_| file.run(akte)>
                                                    "Hier ablegen"
                                                </button>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
