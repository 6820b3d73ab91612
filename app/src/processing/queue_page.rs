//! `/verwaltung/verarbeitung`: the processing queue for the administration —
//! what waits, what runs, what failed and why, with one button to retry.

use super::server_fns::{processing_queue, RetryFailedJobs};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;

#[component]
pub fn QueuePage() -> impl IntoView {
    let retry = ServerAction::<RetryFailedJobs>::new();
    let overview =
        crate::server_json::resource(move || retry.version().get(), |_| processing_queue());
    view! {
        <PageHeading title="Texterkennung: Warteschlange"/>
        <p class="lead">
            "Jede hochgeladene Datei wird im Hintergrund gelesen: Textebene, Office-Inhalt oder Texterkennung (OCR) für Scans. "
            "Erst danach ist sie im Volltext durchsuchbar. Fehlgeschlagene Dateien bleiben gespeichert und können erneut verarbeitet werden."
        </p>
        <Transition fallback=|| view! { <p>"Warteschlange wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(overview) => {
                        let counts = overview.counts.clone();
                        let has_failed = counts.failed > 0;
                        view! {
                            <dl class="figures" aria-label="Stand der Verarbeitung">
                                <div><dt>"Wartend"</dt><dd data-figure="pending">{counts.pending}</dd></div>
                                <div><dt>"In Arbeit"</dt><dd data-figure="running">{counts.running}</dd></div>
                                <div><dt>"Erledigt"</dt><dd data-figure="done">{counts.done}</dd></div>
                                <div><dt>"Fehlgeschlagen"</dt><dd data-figure="failed">{counts.failed}</dd></div>
                                <div><dt>"Per OCR gelesene Seiten"</dt><dd data-figure="ocr_pages">{counts.ocr_pages}</dd></div>
                            </dl>
                            {has_failed.then(|| view! {
                                <p>
                                    <button type="button" class="button"
                                        on:click=move |_| { retry.dispatch(RetryFailedJobs {}); }>"Alle fehlgeschlagenen erneut versuchen"</button>
                                </p>
                            })}
                            {if overview.entries.is_empty() {
                                view! { <p class="notice success">"Nichts offen: Alle Dateien sind verarbeitet."</p> }.into_any()
                            } else {
                                view! { <QueueTable entries=overview.entries/> }.into_any()
                            }}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
        <div role="status" aria-live="polite">
            {move || retry.value().get().map(|result| match result {
                Ok(count) => view! {
                    <p class="notice success">{format!("{count} Datei(en) wieder in die Warteschlange gestellt.")}</p>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "pending" => "wartet",
        "running" => "läuft",
        "failed" => "fehlgeschlagen",
        _ => "erledigt",
    }
}

#[component]
fn QueueTable(entries: Vec<super::QueueEntry>) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Offene und fehlgeschlagene Verarbeitungen">
            <table>
                <caption class="visually-hidden">"Offene und fehlgeschlagene Verarbeitungen, Fehler zuerst"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Dokument-Nr."</th>
                        <th scope="col">"Gemeinde"</th>
                        <th scope="col">"Dateiart"</th>
                        <th scope="col">"Größe"</th>
                        <th scope="col">"Stand"</th>
                        <th scope="col">"Versuche"</th>
                        <th scope="col">"Zeit"</th>
                        <th scope="col">"Grund"</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|entry| view! {
                        <tr data-status=entry.status.clone()>
                            <td>{format!("{} (Version {})", entry.document_id, entry.version)}</td>
                            <td>{entry.municipality_code}</td>
                            <td>{entry.file_kind.to_uppercase()}</td>
                            <td>{format!("{:.1} MB", entry.size as f64 / 1_048_576.0)}</td>
                            <td>{status_label(&entry.status)}</td>
                            <td>{entry.attempts}</td>
                            <td>{entry.when}</td>
                            <td>{entry.last_error.unwrap_or_else(|| "–".into())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
