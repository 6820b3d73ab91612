//! `/aktenplan/import`: the project team takes over a whole plan edited in
//! a spreadsheet. First "Prüfen" shows every difference, then
//! "Veröffentlichen" makes them the next version.

use super::csv_import::{ImportPlanCsv, ImportReport};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;

#[component]
pub fn CsvImportPage() -> impl IntoView {
    let may_import = crate::auth::use_current_user()
        .is_some_and(|user| crate::auth::guard::Rule::ProjectTeam.allows(&user));
    view! {
        <PageHeading title="Aktenplan aus CSV übernehmen"/>
        <p class="lead">
            "Laden Sie den aktuellen Aktenplan als CSV herunter, bearbeiten Sie ihn in der Tabellenkalkulation "
            "und laden Sie ihn hier wieder hoch. Aktenwerk zeigt Ihnen zuerst jede Abweichung; "
            "erst danach veröffentlichen Sie sie als neue Version."
        </p>
        <ul class="hints">
            <li><a href="/export/aktenplan.csv" download="aktenplan.csv" rel="external">"Aktuellen Aktenplan als CSV herunterladen"</a></li>
            <li>"Positionen werden über ihr Kennzeichen zugeordnet. Fehlt eine aktive Position in der Datei oder steht bei „Aktiv“ „nein“, wird sie deaktiviert – aber nur, wenn dort keine offenen Akten liegen."</li>
            <li>"Verschieben geht nicht per Datei, damit alte Aktenzeichen auffindbar bleiben: Dafür gibt es "<a href="/aktenplan/abstimmung">"Änderungsvorschläge"</a>"."</li>
        </ul>
        {if may_import {
            view! { <ImportForm/> }.into_any()
        } else {
            view! {
                <p class="notice">
                    "Einen ganzen Aktenplan übernehmen kann nur das Projektteam. "
                    "Ihre Änderungswünsche reichen Sie als "
                    <a href="/aktenplan/abstimmung">"Änderungsvorschlag"</a>" ein."
                </p>
            }.into_any()
        }}
    }
}

#[component]
fn ImportForm() -> impl IntoView {
    let import = ServerAction::<ImportPlanCsv>::new();
    // The file's text; read in the browser so the server gets one plain
    // form field and can answer with the line-numbered report.
    let (csv, set_csv) = signal(None::<String>);
    let (file_error, set_file_error) = signal(None::<String>);
    let (title, set_title) = signal(String::new());

    let on_file = move |ev: leptos::ev::Event| {
        set_csv.set(None);
        set_file_error.set(None);
        import.clear();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                leptos::task::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                        Ok(text) => set_csv.set(text.as_string()),
                        Err(_) => set_file_error.set(Some(
                            "Die Datei konnte nicht gelesen werden. Bitte wählen Sie sie erneut aus."
                                .into(),
                        )),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let run = move |publish: bool| {
        if let Some(csv) = csv.get_untracked() {
            import.dispatch(ImportPlanCsv {
                csv,
                title: title.get_untracked(),
                publish,
            });
        }
    };
    let checked_changes = move || match import.value().get() {
        Some(Ok(ImportReport {
            changelog,
            version: None,
        })) => changelog.len(),
        _ => 0,
    };

    view! {
        <section class="panel" aria-labelledby="import-heading">
            <h2 id="import-heading">"Datei prüfen und übernehmen"</h2>
            <form class="stacked-form narrow" on:submit=move |ev| { ev.prevent_default(); run(false); }>
                <label for="import-file">"CSV-Datei (Trennzeichen Semikolon, UTF-8)"</label>
                <input id="import-file" type="file" accept=".csv,text/csv" required on:change=on_file/>
                <label for="import-title">"Titel der neuen Version"</label>
                <input id="import-title" type="text" maxlength="200" placeholder="z. B. Aktenplan 2027"
                    prop:value=title on:input=move |ev| set_title.set(event_target_value(&ev))/>
                <div class="button-row">
                    <button type="submit" class="button" disabled=move || csv.get().is_none() || import.pending().get()>
                        "Datei prüfen"
                    </button>
                    <button type="button" class="button primary"
                        disabled=move || checked_changes() == 0 || title.get().trim().is_empty() || import.pending().get()
                        on:click=move |_| run(true)>
                        "Als neue Version veröffentlichen"
                    </button>
                </div>
                <p class="field-hint">"Veröffentlichen wird möglich, sobald die Prüfung Änderungen gefunden hat und ein Titel eingetragen ist."</p>
            </form>
            <div role="status" aria-live="polite" class="import-result">
                {move || file_error.get().map(|text| view! { <p class="notice error">{text}</p> })}
                {move || import.pending().get().then(|| view! { <p>"Die Datei wird geprüft …"</p> })}
                {move || import.value().get().map(|result| match result {
                    Ok(report) => view! { <ImportResult report/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn ImportResult(report: ImportReport) -> impl IntoView {
    let count = report.changelog.len();
    let summary = match (report.version, count) {
        (_, 0) => "Die Datei ist in Ordnung und entspricht dem aktuellen Aktenplan. Es gibt nichts zu übernehmen.".to_string(),
        (None, 1) => "Die Datei ist in Ordnung. Diese Änderung würde übernommen:".to_string(),
        (None, n) => format!("Die Datei ist in Ordnung. Diese {n} Änderungen würden übernommen:"),
        (Some(version), 1) => format!("Version {version} des Aktenplans ist veröffentlicht (1 Änderung)."),
        (Some(version), n) => format!("Version {version} des Aktenplans ist veröffentlicht ({n} Änderungen)."),
    };
    let published = report.version.is_some();
    view! {
        <div class="notice success">
            <p>{summary}</p>
            {published.then(|| view! { <p><a href="/aktenplan/versionen">"Zum Änderungsprotokoll"</a></p> })}
        </div>
        {(count > 0).then(|| view! {
            <ul class="changelog">
                {report.changelog.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
        })}
    }
}
