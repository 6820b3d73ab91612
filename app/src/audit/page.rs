//! `/verwaltung/protokoll`: the audit log for administrators.

use super::server_fns::{list_audit, VerifyAudit};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const ACTIONS: [&str; 28] = [
    "login",
    "login_failed",
    "logout",
    "user_created",
    "user_updated",
    "user_deactivated",
    "user_reactivated",
    "password_reset",
    "password_changed",
    "system_bootstrap",
    "document_uploaded",
    "document_version_added",
    "document_version_restored",
    "document_viewed",
    "document_downloaded",
    "document_metadata_changed",
    "document_filed",
    "document_tagged",
    "document_trashed",
    "document_restored",
    "trash_emptied",
    "blobs_verified",
    "rollout_summary_rebuilt",
    "jobs_retried",
    "document_reprocess",
    "akte_opened",
    "plan_published",
    "plan_csv_imported",
];

/// What the integrity check found, in words for administrators.
#[component]
fn ChainResult(report: super::ChainReport) -> impl IntoView {
    if report.is_intact() {
        let anchored = if report.checkpoints_checked > 0 {
            format!(
                " {} Prüfpunkte außerhalb der Datenbank bestätigen das Ende des Protokolls.",
                report.checkpoints_checked
            )
        } else {
            " Noch kein Prüfpunkt vorhanden: Ein abgeschnittenes Ende fiele erst ab dem ersten Prüfpunkt auf."
                .to_string()
        };
        return view! {
            <p class="notice success">
                {format!(
                    "In Ordnung: {} Einträge geprüft, die Kette ist lückenlos.{anchored}",
                    report.entries_checked,
                )}
            </p>
        }
        .into_any();
    }
    let mut findings = Vec::new();
    if let Some(id) = report.first_broken_id {
        findings.push(format!("Die Kette ist ab Eintrag {id} verletzt."));
    }
    findings.extend(
        report
            .anchor_problems
            .iter()
            .map(super::AnchorProblem::describe),
    );
    view! {
        <div class="notice error">
            <p>
                "Achtung: Das Protokoll wurde verändert. Bitte informieren Sie sofort die Datenschutz- und IT-Verantwortlichen."
            </p>
            <ul>{findings.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}</ul>
        </div>
    }
    .into_any()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let action = move || query.read().get("aktion").filter(|a| !a.is_empty());
    let document = move || {
        query
            .read()
            .get("dokument")
            .and_then(|d| d.trim().parse::<i64>().ok())
    };
    let entries = crate::server_json::resource(
        move || (action(), document()),
        |(action, document)| list_audit(action, document, None),
    );
    let verify = ServerAction::<VerifyAudit>::new();
    view! {
        <PageHeading title="Protokoll"/>
        <p class="lead">
            "Jede Anmeldung, jede Änderung an Benutzerkonten und jeder Zugriff auf Dokumente wird hier unveränderlich festgehalten."
        </p>
        <form method="get" action="/verwaltung/protokoll" class="filter-bar">
            <label for="audit-action">"Aktion"</label>
            <select id="audit-action" name="aktion">
                <option value="">"Alle Aktionen"</option>
                {ACTIONS
                    .into_iter()
                    .map(|a| {
                        view! {
                            <option value=a selected=move || action().as_deref() == Some(a)>
                                {super::action_label(a)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="audit-document">"Dokument-Nr."</label>
            <input id="audit-document" name="dokument" type="text" inputmode="numeric" size="8"
                value=move || document().map(|d| d.to_string()).unwrap_or_default()/>
            <button type="submit" class="button secondary">"Filtern"</button>
        </form>
        <section aria-labelledby="chain-heading" class="panel">
            <h2 id="chain-heading">"Unversehrtheit prüfen"</h2>
            <p>"Prüft die Hash-Kette aller Einträge und die außerhalb der Datenbank gespeicherten Prüfpunkte: Ein nachträglich geänderter oder gelöschter Eintrag fällt auf, auch am Ende des Protokolls."</p>
            <button type="button" class="button secondary" on:click=move |_| { verify.dispatch(VerifyAudit {}); }>
                "Protokoll prüfen"
            </button>
            <div role="status" aria-live="polite">
                {move || {
                    verify
                        .value()
                        .get()
                        .map(|result| match result {
                            Ok(report) => view! { <ChainResult report/> }.into_any(),
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        })
                }}
            </div>
        </section>
        <StoreCheckPanel/>
        <Transition fallback=|| view! { <p>"Protokoll wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(entries) if entries.is_empty() => {
                        view! { <p>"Keine Einträge für diese Auswahl."</p> }.into_any()
                    }
                    Ok(entries) => {
                        view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label="Protokolleinträge">
                                <table>
                                    <caption class="visually-hidden">"Protokolleinträge, neueste zuerst"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Zeit"</th>
                                            <th scope="col">"Wer"</th>
                                            <th scope="col">"Gemeinde"</th>
                                            <th scope="col">"Aktion"</th>
                                            <th scope="col">"Objekt"</th>
                                            <th scope="col">"Adresse"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {entries
                                            .into_iter()
                                            .map(|entry| {
                                                view! {
                                                    <tr>
                                                        <td>{entry.at}</td>
                                                        <td>{entry.actor_name}</td>
                                                        <td>{entry.municipality.unwrap_or_else(|| "–".into())}</td>
                                                        <td title=entry.details>{entry.action_label}</td>
                                                        <td>{entry.object}</td>
                                                        <td>{entry.ip.unwrap_or_else(|| "–".into())}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Re-hashes every document file: missing or changed files show up here.
#[component]
fn StoreCheckPanel() -> impl IntoView {
    let check = ServerAction::<crate::documents::server_fns::VerifyStore>::new();
    // The store is shared by all municipalities: only those responsible
    // for all of them see (and may start) the check.
    crate::auth::use_current_user()
        .is_some_and(|u| crate::auth::guard::Rule::AllMunicipalityAdministration.allows(&u))
        .then(|| view! { <StoreCheckSection check/> })
}

#[component]
fn StoreCheckSection(
    check: ServerAction<crate::documents::server_fns::VerifyStore>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="store-heading" class="panel">
            <h2 id="store-heading">"Dokumentablage prüfen"</h2>
            <p>"Berechnet für jede gespeicherte Datei die Prüfsumme neu: Fehlende oder veränderte Dateien fallen auf."</p>
            <button type="button" class="button secondary"
                on:click=move |_| { check.dispatch(crate::documents::server_fns::VerifyStore {}); }>
                "Ablage prüfen"
            </button>
            <div role="status" aria-live="polite">
                {move || check.value().get().map(|result| match result {
                    Ok(report) if report.problems.is_empty() => view! {
                        <p class="notice success">{format!("In Ordnung: {} Dateien geprüft, alle unverändert.", report.checked)}</p>
                    }.into_any(),
                    Ok(report) => view! {
                        <div class="notice error">
                            <p>{format!("Achtung: {} von {} Dateien fehlen oder wurden verändert. Bitte aus der Sicherung wiederherstellen.", report.problems.len(), report.checked)}</p>
                            <ul>{report.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
            </div>
        </section>
    }
}
