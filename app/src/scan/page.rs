//! `/verwaltung/scan-ordner`: the Administration sets up the folders its
//! network scanners write into, says in whose name their documents are
//! recorded and where they go, and sees what was refused.

use super::server_fns::{load_scan_ordner, CreateScanOrdner, RemoveScanOrdner};
use super::ScanOrdnerOverview;
use crate::form_post::{FormAction, PostForm};
use crate::ui::{ArrivalTable, ErrorNotice, Fields, Input, Refusals, ResultNotice};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ScanOrdnerPage() -> impl IntoView {
    let create = FormAction::<i64>::of::<CreateScanOrdner>();
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
    create: FormAction<i64>,
    remove: ServerAction<RemoveScanOrdner>,
) -> impl IntoView {
    let rows = data
        .rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            let label = format!("Scan-Ordner {} nicht mehr verwenden", row.name);
            let actions = view! {
                <button type="button" class="button secondary small" aria-label=label
                    on:click=move |_| { remove.dispatch(RemoveScanOrdner { id }); }>
                    "Nicht mehr verwenden"
                </button>
            }
            .into_any();
            (row, actions)
        })
        .collect();
    view! {
        <p>{data.intro}</p>
        <section class="panel" aria-labelledby="scan-neu">
            <h2 id="scan-neu">"Neuer Scan-Ordner"</h2>
            <PostForm action=create class="stacked-form narrow">
                <Fields fields=vec![
                    Input::text("scan-name", "name", "Name des Ordners", ""),
                    Input::choice("scan-person", "responsible_id", "Dokumente werden abgelegt im Namen von", data.clerks),
                    Input::text("scan-akte", "aktenzeichen", "In die Akte (Aktenzeichen; leer: Posteingang)", ""),
                ]/>
                <button type="submit" class="button primary">"Scan-Ordner anlegen"</button>
            </PostForm>
        </section>
        <ArrivalTable heading_id="scan-liste" heading="Scan-Ordner" empty="Noch kein Scan-Ordner." rows/>
        <Refusals id="scan-abgelehnt" empty="Keine abgelehnten Dateien." items=data.refusals/>
    }
}
