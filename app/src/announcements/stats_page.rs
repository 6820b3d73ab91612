//! The project team's overview of all announcements (`/neuigkeiten/verwalten`)
//! and the statistics of one (`/neuigkeiten/<id>/statistik`): per
//! municipality addressed, read and acknowledged, and the people behind it.

use super::server_fns::{get_announcement_stats, list_managed_announcements, DeleteAnnouncement};
use super::{AnnouncementStats, Counts, ManagedAnnouncement};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ManageAnnouncementsPage() -> impl IntoView {
    let delete = ServerAction::<DeleteAnnouncement>::new();
    let list = crate::server_json::resource(
        move || delete.version().get(),
        |_| list_managed_announcements(),
    );
    view! {
        <PageHeading title="Mitteilungen verwalten"/>
        <p class="actions">
            <a class="button primary" href="/neuigkeiten/neu">"Neue Mitteilung schreiben"</a>
            " "
            <a class="button secondary" href="/neuigkeiten">"Zu den Neuigkeiten"</a>
        </p>
        <div role="status" aria-live="polite">
            {move || delete.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice success">"Die Mitteilung wurde gelöscht."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p>"Mitteilungen werden geladen …"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! { <p class="empty">"Noch keine Mitteilungen."</p> }.into_any(),
                    Ok(items) => view! { <ManagedTable items delete/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ManagedTable(
    items: Vec<ManagedAnnouncement>,
    delete: ServerAction<DeleteAnnouncement>,
) -> impl IntoView {
    view! {
        <table class="data-table">
            <caption class="visually-hidden">"Alle Mitteilungen mit Zeitraum, Zielgruppe und Lesestand"</caption>
            <thead>
                <tr>
                    <th scope="col">"Titel"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Zeitraum"</th>
                    <th scope="col">"Zielgruppe"</th>
                    <th scope="col">"Gelesen"</th>
                    <th scope="col">"Bestätigt"</th>
                    <th scope="col">"Aktionen"</th>
                </tr>
            </thead>
            <tbody>
                {items.into_iter().map(|item| {
                    let id = item.id;
                    let Counts { addressed, read, acknowledged } = item.counts;
                    view! {
                        <tr>
                            <td>
                                {item.title.clone()}
                                {item.pinned.then(|| view! { " "<span class="tag">"angeheftet"</span> })}
                            </td>
                            <td>{item.phase.label()}</td>
                            <td>{format!("ab {}", item.publish_at)}{item.expire_at.clone().map(|e| format!(" bis {e}"))}</td>
                            <td>{item.audience.clone()}</td>
                            <td>{format!("{read} von {addressed}")}</td>
                            <td>{if item.requires_ack { format!("{acknowledged} von {addressed}") } else { "–".to_string() }}</td>
                            <td class="row-actions">
                                <a href=format!("/neuigkeiten/{id}/statistik")>
                                    "Statistik"<span class="visually-hidden">{format!(" zu „{}“", item.title)}</span>
                                </a>
                                " "
                                <a href=format!("/neuigkeiten/{id}/bearbeiten")>
                                    "Bearbeiten"<span class="visually-hidden">{format!(" „{}“", item.title)}</span>
                                </a>
                                <details class="confirm">
                                    <summary>"Löschen …"<span class="visually-hidden">{format!(" „{}“", item.title)}</span></summary>
                                    <button type="button" class="button danger small"
                                        on:click=move |_| { delete.dispatch(DeleteAnnouncement { id }); }>
                                        "Endgültig löschen"
                                    </button>
                                </details>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn AnnouncementStatsPage() -> impl IntoView {
    let params = use_params_map();
    let stats = crate::server_json::resource(
        move || {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok())
        },
        |id| async move {
            match id {
                Some(id) => get_announcement_stats(id).await,
                None => Err(crate::error::AppError::NotFound("Die Mitteilung".into())),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p>"Statistik wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Ok(stats) => view! { <Stats stats/> }.into_any(),
                    Err(error) => view! { <h1>"Statistik"</h1><ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn percent(part: i64, whole: i64) -> String {
    if whole == 0 {
        "–".into()
    } else {
        format!("{} %", part * 100 / whole)
    }
}

#[component]
fn Stats(stats: AnnouncementStats) -> impl IntoView {
    let total = stats.total;
    let ack = stats.requires_ack;
    view! {
        <Title text=format!("Statistik: {}", stats.title)/>
        <p class="eyebrow"><a href="/neuigkeiten/verwalten">"Mitteilungen verwalten"</a></p>
        <h1>{format!("Statistik: {}", stats.title)}</h1>
        <p>{format!("Zielgruppe: {}", stats.audience)}</p>
        <table class="data-table" id="statistik-gemeinden">
            <caption>"Lesestand je Gemeinde"</caption>
            <thead>
                <tr>
                    <th scope="col">"Gemeinde"</th>
                    <th scope="col">"Angesprochen"</th>
                    <th scope="col">"Gelesen"</th>
                    {ack.then(|| view! { <th scope="col">"Zur Kenntnis genommen"</th> })}
                </tr>
            </thead>
            <tbody>
                {stats.per_municipality.iter().map(|row| view! {
                    <tr>
                        <th scope="row">{row.municipality.clone()}</th>
                        <td>{row.counts.addressed}</td>
                        <td>{format!("{} ({})", row.counts.read, percent(row.counts.read, row.counts.addressed))}</td>
                        {ack.then(|| view! { <td>{format!("{} ({})", row.counts.acknowledged, percent(row.counts.acknowledged, row.counts.addressed))}</td> })}
                    </tr>
                }).collect_view()}
                <tr class="total">
                    <th scope="row">"Gesamt"</th>
                    <td>{total.addressed}</td>
                    <td>{format!("{} ({})", total.read, percent(total.read, total.addressed))}</td>
                    {ack.then(|| view! { <td>{format!("{} ({})", total.acknowledged, percent(total.acknowledged, total.addressed))}</td> })}
                </tr>
            </tbody>
        </table>
        <h2>"Personen"</h2>
        {stats.per_municipality.into_iter().map(|row| {
            let heading_id = format!("personen-{}", row.municipality_id);
            view! {
                <section aria-labelledby=heading_id.clone()>
                    <h3 id=heading_id.clone()>{row.municipality.clone()}</h3>
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Rolle"</th>
                                <th scope="col">"Gelesen am"</th>
                                {ack.then(|| view! { <th scope="col">"Bestätigt am"</th> })}
                            </tr>
                        </thead>
                        <tbody>
                            {row.people.into_iter().map(|person| view! {
                                <tr>
                                    <td>{person.name}</td>
                                    <td>{person.role}</td>
                                    <td>{person.read_at.unwrap_or_else(|| "noch nicht".into())}</td>
                                    {ack.then(|| view! { <td>{person.acknowledged_at.clone().unwrap_or_else(|| "noch nicht".into())}</td> })}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        }).collect_view()}
    }
}
