//! `/verwaltung/scan-ordner`: the Administration sets up the folders its
//! network scanners write into, says in whose name their documents are
//! recorded and where they go, and sees what was refused.

use super::server_fns::{load_scan_ordner, CreateScanOrdner, RemoveScanOrdner};
use super::ScanOrdnerOverview;
use crate::ui::{ErrorNotice, ResultNotice};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ScanOrdnerPage() -> impl IntoView {
    let create = ServerAction::<CreateScanOrdner>::new();
    let remove = ServerAction::<RemoveScanOrdner>::new();
    let data = crate::server_json::resource(
        move || (create.version().get(), remove.version().get()),
        |_| load_scan_ordner(),
    );
    view! {
        <Title text="Scan-Ordner"/>
        <h1>"Verwaltung: Scan-Ordner"</h1>
        <p class="lead">
            "Was ein Scanner in einen Scan-Ordner schreibt, übernimmt Aktenwerk von selbst: geprüft, gespeichert und mit Texterkennung, "
            "wie beim Hochladen im Browser. Abgelehnte Dateien landen im Quarantäne-Ordner daneben, mit einer Textdatei, die den Grund nennt. "
            <a href="/verwaltung">"Zurück zu den Benutzerkonten"</a>
        </p>
        <div role="status" aria-live="polite">
            <ResultNotice result=Signal::derive(move || create.value().get().map(|r| r.map(|_| ())))
                success="Der Scan-Ordner ist angelegt."/>
            <ResultNotice result=Signal::derive(move || remove.value().get())
                success="Aus dem Scan-Ordner wird nichts mehr übernommen."/>
        </div>
        <Transition fallback=|| view! { <p>"Scan-Ordner werden geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <Overview data create remove/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Overview(
    data: ScanOrdnerOverview,
    create: ServerAction<CreateScanOrdner>,
    remove: ServerAction<RemoveScanOrdner>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let responsible = RwSignal::new(data.clerks.first().map_or(0, |c| c.id));
    let aktenzeichen = RwSignal::new(String::new());
    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateScanOrdner {
            name: name.get_untracked(),
            responsible_id: responsible.get_untracked(),
            aktenzeichen: aktenzeichen.get_untracked(),
        });
    };
    view! {
        <p>{format!("Die Scan-Ordner von {} liegen auf dem Server unter {}. Richten Sie die Scanner so ein, dass sie dorthin schreiben.", data.municipality, data.root)}</p>
        <section class="panel" aria-labelledby="scan-neu">
            <h2 id="scan-neu">"Neuer Scan-Ordner"</h2>
            <form class="stacked-form narrow" on:submit=on_create>
                <label for="scan-name">"Name des Ordners"</label>
                <input id="scan-name" type="text" required maxlength="40" placeholder="z. B. Poststelle"
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for="scan-person">"Dokumente werden abgelegt im Namen von"</label>
                <select id="scan-person" on:change=move |ev| responsible.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {data.clerks.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
                </select>
                <label for="scan-akte">"In die Akte (Aktenzeichen; leer: Posteingang)"</label>
                <input id="scan-akte" type="text" maxlength="60" placeholder="leer lassen für den Posteingang"
                    prop:value=aktenzeichen on:input=move |ev| aktenzeichen.set(event_target_value(&ev))/>
                <button type="submit" class="button primary">"Scan-Ordner anlegen"</button>
            </form>
        </section>
        <section class="panel" aria-labelledby="scan-liste">
            <h2 id="scan-liste">"Scan-Ordner"</h2>
            {if data.ordner.is_empty() {
                view! { <p class="empty">"Noch kein Scan-Ordner."</p> }.into_any()
            } else {
                view! {
                    <table class="documents">
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col">"Ordner auf dem Server"</th>
                            <th scope="col">"Im Namen von"</th><th scope="col">"Ablage"</th>
                            <th scope="col">"Übernommen"</th><th scope="col">"Abgelehnt"</th>
                            <th scope="col">"Zuletzt"</th><th scope="col">"Aktion"</th>
                        </tr></thead>
                        <tbody>
                            {data.ordner.into_iter().map(|o| {
                                let id = o.id;
                                let label = format!("Scan-Ordner {} nicht mehr verwenden", o.name);
                                view! {
                                    <tr>
                                        <td>{o.name}</td><td><code>{o.path}</code></td><td>
                                            {o.responsible}
                                            {o.responsible_inactive.then(|| view! {
                                                <p class="notice warning">"Konto deaktiviert: Dateien warten, bis es wieder aktiv ist."</p>
                                            })}
                                        </td>
                                        <td>{o.akte.unwrap_or_else(|| "Posteingang".into())}</td>
                                        <td>{o.stored}</td><td>{o.refused}</td>
                                        <td>{o.last_taken.unwrap_or_else(|| "–".into())}</td>
                                        <td>
                                            <button type="button" class="button secondary small" aria-label=label
                                                on:click=move |_| { remove.dispatch(RemoveScanOrdner { id }); }>
                                                "Nicht mehr verwenden"
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="scan-abgelehnt">
            <h2 id="scan-abgelehnt">"Nicht übernommen"</h2>
            {if data.refusals.is_empty() {
                view! { <p class="empty">"Keine abgelehnten Dateien."</p> }.into_any()
            } else {
                view! {
                    <ul class="postkorb-list">
                        {data.refusals.into_iter().map(|r| view! {
                            <li class="postkorb-item">
                                <strong>{r.file_name}</strong>
                                <span class="field-hint">{format!(" · {} · {}", r.ordner, r.at)}</span>
                                <p>{r.reason}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
