//! `/papierkorb`: deleted documents. Clerks bring them back; only the
//! administration empties the trash, and that is audited.

use super::list::german_date;
use super::server_fns::{list_trash, BulkDocuments, EmptyTrash};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;

#[component]
pub fn TrashPage() -> impl IntoView {
    // list_trash: clerks restore, the administration empties; others get
    // the notice and no requests.
    use crate::auth::guard::Rule;
    if !crate::auth::use_current_user()
        .is_some_and(|user| Rule::Clerk.allows(&user) || Rule::Administration.allows(&user))
    {
        return view! {
            <PageHeading title="Papierkorb"/>
            <crate::ui::Refused/>
        }
        .into_any();
    }
    let bulk = ServerAction::<BulkDocuments>::new();
    let empty = ServerAction::<EmptyTrash>::new();
    let entries = crate::server_json::resource(
        move || (bulk.version().get(), empty.version().get()),
        |_| list_trash(),
    );
    let is_admin = crate::auth::use_current_user().is_some_and(|u| Rule::Administration.allows(&u));
    let (confirmed, set_confirmed) = signal(false);
    view! {
        <PageHeading title="Papierkorb"/>
        <p class="lead">
            "Gelöschte Dokumente bleiben hier, bis die Verwaltung den Papierkorb leert. Bis dahin können Sie sie zurückholen."
        </p>
        <div role="status" aria-live="polite">
            {move || bulk.value().get().map(|r| match r {
                Ok(_) => view! { <p class="notice success">"Das Dokument ist zurückgeholt."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || empty.value().get().map(|r| match r {
                Ok(n) => view! { <p class="notice success">{format!("Der Papierkorb ist geleert: {n} Dokument(e) endgültig gelöscht.")}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p>"Papierkorb wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(entries) if entries.is_empty() => view! { <p class="empty">"Der Papierkorb ist leer."</p> }.into_any(),
                    Ok(entries) => view! {
                        <table class="documents">
                            <caption class="visually-hidden">"Dokumente im Papierkorb"</caption>
                            <thead><tr>
                                <th scope="col">"Titel"</th><th scope="col">"Art"</th><th scope="col">"Datum"</th>
                                <th scope="col">"Gelöscht"</th>{(!is_admin).then(|| view! { <th scope="col">"Aktion"</th> })}
                            </tr></thead>
                            <tbody>
                                {entries.into_iter().map(|e| {
                                    let id = e.document.id;
                                    let title = e.document.title.clone();
                                    view! {
                                        <tr>
                                            <td>{if is_admin {
                                                view! { <span>{title.clone()}</span> }.into_any()
                                            } else {
                                                view! { <a href=format!("/dokumente/{id}")>{title.clone()}</a> }.into_any()
                                            }}</td>
                                            <td>{e.document.doc_type.label()}</td>
                                            <td>{e.document.document_date.clone().map(|d| german_date(&d)).unwrap_or_default()}</td>
                                            <td>{e.trashed.clone()}</td>
                                            {(!is_admin).then(|| view! {
                                                <td><button type="button" class="button small" on:click=move |_| {
                                                    bulk.dispatch(BulkDocuments { ids: vec![id], action: "untrash".into(), value: String::new() });
                                                }>"Zurückholen"<span class="visually-hidden">{format!(": {title}")}</span></button></td>
                                            })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {is_admin.then(|| view! {
                            <section class="panel danger-zone" aria-labelledby="empty-heading">
                                <h2 id="empty-heading">"Papierkorb leeren"</h2>
                                <p>"Die Dokumente werden endgültig gelöscht und lassen sich nicht wiederherstellen. Prüfen Sie vorher die Aufbewahrungsfristen."</p>
                                <label class="checkbox">
                                    <input type="checkbox" on:change=move |ev| set_confirmed.set(event_target_checked(&ev))/>
                                    "Ja, alle Dokumente im Papierkorb endgültig löschen"
                                </label>
                                <button type="button" class="button danger" disabled=move || !confirmed.get()
                                    on:click=move |_| { empty.dispatch(EmptyTrash {}); }>"Papierkorb leeren"</button>
                            </section>
                        })}
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}
