//! `/schulung`: the tours of one's role with start buttons and status, the
//! own training record and the way to the practice area; and
//! `/schulung/nachweis`: the project team's overview per municipality and
//! role.

use super::engine::use_tours;
use super::server_fns::{load_training_page, training_overview};
use super::{RecordOverview, RunStatus, RunView, Tour};
use crate::training_sessions::AttendedSession;
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SchulungPage() -> impl IntoView {
    let data = crate::server_json::resource(|| (), |_| load_training_page());
    view! {
        <PageHeading title="Schulung"/>
        <p class="lead">
            "Lernen Sie Aktenwerk in Ihrem Tempo kennen: geführte Rundgänge zeigen Ihnen Schritt für Schritt die wichtigsten Arbeiten, im Übungsbereich probieren Sie alles gefahrlos aus."
        </p>
        <Transition fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <TourList tours=page.tours runs=page.runs.clone()/>
                        <section class="panel" aria-labelledby="uebung-heading">
                            <h2 id="uebung-heading">"Übungsbereich"</h2>
                            <p>
                                "Im Übungsbereich laden Sie Beispieldokumente hoch, legen Akten an und suchen – nichts davon landet in den echten Akten Ihrer Gemeinde. "
                                <a href="/uebung">"Zum Übungsbereich"</a>
                            </p>
                        </section>
                        <OwnRecord runs=page.runs sessions=page.attended/>
                        {page.may_edit.then(|| view! {
                            <section class="panel" aria-labelledby="team-heading">
                                <h2 id="team-heading">"Für das Projektteam"</h2>
                                <ul>
                                    <li><a href="/schulung/rundgaenge">"Rundgänge bearbeiten"</a>" – Schritte, Texte, Rollen und Vorschau"</li>
                                    <li><a href="/schulung/nachweis">"Schulungsstand aller Gemeinden"</a>" – nach Gemeinde, Rolle und Person"</li>
                                </ul>
                            </section>
                        })}
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The latest run of each tour decides its status.
fn latest(runs: &[RunView], tour_id: i64) -> Option<&RunView> {
    runs.iter().find(|r| r.tour_id == tour_id)
}

#[component]
fn TourList(tours: Vec<Tour>, runs: Vec<RunView>) -> impl IntoView {
    let engine = use_tours();
    view! {
        <section class="panel" aria-labelledby="rundgaenge-heading" data-tour="schulung-rundgaenge">
            <h2 id="rundgaenge-heading">"Geführte Rundgänge"</h2>
            {if tours.is_empty() {
                view! { <p>"Für Ihre Rolle gibt es noch keine Rundgänge."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="tour-table">
                            <caption class="visually-hidden">"Rundgänge für Ihre Rolle"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Rundgang"</th>
                                    <th scope="col">"Schritte"</th>
                                    <th scope="col">"Ihr Stand"</th>
                                    <th scope="col">"Aktion"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {tours.into_iter().map(|tour| {
                                    let run = latest(&runs, tour.id).cloned();
                                    let id = tour.id;
                                    let label = match run.as_ref().map(|r| r.status) {
                                        None => "Starten",
                                        Some(RunStatus::Running) => "Fortsetzen",
                                        Some(_) => "Noch einmal",
                                    };
                                    let running = run.as_ref().is_some_and(|r| r.status == RunStatus::Running);
                                    view! {
                                        <tr>
                                            <td><strong>{tour.title.clone()}</strong><br/><span class="field-hint">{tour.description.clone()}</span></td>
                                            <td>{tour.steps.len()}</td>
                                            <td>{run.as_ref().map_or_else(|| "noch nicht begonnen".to_string(), |r| match &r.ended_at {
                                                Some(at) => format!("{} ({at})", r.status_label()),
                                                None => r.status_label(),
                                            })}</td>
                                            <td>
                                                <button type="button" class="button small" aria-label=format!("{label}: {}", tour.title) on:click=move |_| {
                                                    if let Some(engine) = engine {
                                                        // A running tour is already on screen; "Fortsetzen"
                                                        // only brings its page back.
                                                        if running && engine.active.get_untracked().is_some_and(|a| a.tour.id == id) {
                                                            engine.resume();
                                                        } else {
                                                            engine.start(id);
                                                        }
                                                    }
                                                }>
                                                    {label}
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// Both halves of the record: attended sessions and walkthroughs.
#[component]
fn OwnRecord(runs: Vec<RunView>, sessions: Vec<AttendedSession>) -> impl IntoView {
    let sessions = if sessions.is_empty() {
        view! {
            <p>
                "Noch keiner – die Schulungsleitung trägt die Teilnahme nach dem Termin ein. "
                <a href="/schulungstermine">"Zu den Schulungsterminen"</a>
            </p>
        }
        .into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="tour-table" data-testid="besuchte-termine">
                    <caption class="visually-hidden">"Ihre besuchten Schulungstermine"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Schulungstermin"</th>
                            <th scope="col">"Wann"</th>
                            <th scope="col">"Schulungsleitung"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {sessions.into_iter().map(|s| view! {
                            <tr>
                                <td><a href=format!("/schulungstermine/{}", s.session_id)>{s.title}</a></td>
                                <td>{s.when}</td>
                                <td>{if s.trainer.is_empty() { "–".to_string() } else { s.trainer }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="nachweis-heading" data-tour="schulung-nachweis">
            <h2 id="nachweis-heading">"Ihr Schulungsnachweis"</h2>
            <h3>"Besuchte Schulungstermine"</h3>
            {sessions}
            <h3>"Geführte Rundgänge"</h3>
            {if runs.is_empty() {
                view! { <p>"Sie haben noch keinen Rundgang begonnen."</p> }.into_any()
            } else {
                view! { <RunTable runs caption="Ihre Rundgänge, neueste zuerst"/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn RunTable(runs: Vec<RunView>, caption: &'static str) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="tour-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Rundgang"</th>
                        <th scope="col">"Begonnen"</th>
                        <th scope="col">"Stand"</th>
                        <th scope="col">"Beendet"</th>
                    </tr>
                </thead>
                <tbody>
                    {runs.into_iter().map(|run| view! {
                        <tr>
                            <td>{run.tour_title.clone()}</td>
                            <td>{run.started_at.clone()}</td>
                            <td>{run.status_label()}</td>
                            <td>{run.ended_at.clone().unwrap_or_else(|| "–".into())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/schulung/nachweis` for the project team.
#[component]
pub fn RecordOverviewPage() -> impl IntoView {
    let query = use_query_map();
    let municipality = move || {
        query
            .read()
            .get("gemeinde")
            .and_then(|g| g.parse::<i64>().ok())
    };
    let data = crate::server_json::resource(municipality, training_overview);
    view! {
        <PageHeading title="Schulungsstand"/>
        <p class="lead">"Wer hat welchen Rundgang begonnen, abgeschlossen oder abgebrochen und wer war bei einem Schulungstermin – je Gemeinde und Rolle, und für jede Person. Bei Rundgängen zählt der letzte Durchgang."</p>
        <p><a href="/schulung">"Zurück zur Schulung"</a></p>
        <Transition fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(overview) => view! { <Overview overview/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Overview(overview: RecordOverview) -> impl IntoView {
    let selected = overview.selected;
    view! {
        <form method="get" action="/schulung/nachweis" class="inline-form">
            <label for="nachweis-gemeinde">"Gemeinde"</label>
            <select id="nachweis-gemeinde" name="gemeinde">
                <option value="" selected=selected.is_none()>"Alle Gemeinden"</option>
                {overview.municipalities.into_iter().map(|m| view! {
                    <option value=m.id.to_string() selected=selected == Some(m.id)>{m.name}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button small">"Anzeigen"</button>
        </form>
        <section aria-labelledby="gruppen-heading">
            <h2 id="gruppen-heading">"Nach Gemeinde und Rolle"</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="gruppen-heading">
                <table class="tour-table record-groups">
                    <caption class="visually-hidden">"Rundgänge je Gemeinde und Rolle"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Gemeinde"</th>
                            <th scope="col">"Rolle"</th>
                            <th scope="col">"Personen"</th>
                            <th scope="col">"Mit Schulungstermin"</th>
                            <th scope="col">"Rundgang"</th>
                            <th scope="col">"Begonnen"</th>
                            <th scope="col">"Abgeschlossen"</th>
                            <th scope="col">"Abgebrochen"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {overview.groups.into_iter().flat_map(|group| {
                            let municipality = group.municipality.clone();
                            let role = group.role.label();
                            let people = group.people;
                            let trained = group.trained;
                            group.tours.into_iter().map(move |t| view! {
                                <tr>
                                    <td>{municipality.clone()}</td>
                                    <td>{role}</td>
                                    <td>{people}</td>
                                    <td>{trained}</td>
                                    <td>{t.tour_title}</td>
                                    <td>{t.started}</td>
                                    <td>{t.finished}</td>
                                    <td>{t.skipped}</td>
                                </tr>
                            })
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section aria-labelledby="personen-heading">
            <h2 id="personen-heading">"Nach Person"</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="personen-heading">
                <table class="tour-table record-people">
                    <caption class="visually-hidden">"Stand jeder Person"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Person"</th>
                            <th scope="col">"Gemeinde"</th>
                            <th scope="col">"Rolle"</th>
                            <th scope="col">"Schulungstermine"</th>
                            <th scope="col">"Rundgänge"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {overview.people.into_iter().map(|person| view! {
                            <tr>
                                <td>{person.display_name}<br/><span class="field-hint">{person.username}</span></td>
                                <td>{person.municipality}</td>
                                <td>{person.role.label()}</td>
                                <td>
                                    {if person.sessions.is_empty() {
                                        view! { "noch keiner" }.into_any()
                                    } else {
                                        view! {
                                            <ul class="plain-list">
                                                {person.sessions.into_iter().map(|s| view! {
                                                    <li>{format!("{} ({})", s.title, s.when)}</li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </td>
                                <td>
                                    {if person.runs.is_empty() {
                                        view! { "noch keiner" }.into_any()
                                    } else {
                                        view! {
                                            <ul class="plain-list">
                                                {person.runs.into_iter().map(|run| view! {
                                                    <li>{format!("{}: {}", run.tour_title, run.status_label())}</li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
