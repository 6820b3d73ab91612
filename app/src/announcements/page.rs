//! `/neuigkeiten`: the announcements addressed to me, new ones marked,
//! acknowledgement with one click, and the archive of expired ones.

use super::header::CommsRefresh;
use super::server_fns::{list_news, AcknowledgeAnnouncement};
use super::{AnnouncementView, NewsList};
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;

#[component]
pub fn NeuigkeitenPage() -> impl IntoView {
    let acknowledge = ServerAction::<AcknowledgeAnnouncement>::new();
    let news = crate::server_json::resource(
        move || (acknowledge.version().get(), CommsRefresh::acks_version()),
        |_| list_news(),
    );
    // Opening the page read the current announcements: the header's count
    // follows once the page is interactive.
    Effect::new(move |_| CommsRefresh::bump());
    Effect::new(move |_| {
        if acknowledge.version().get() > 0 {
            CommsRefresh::bump();
        }
    });
    view! {
        <PageHeading title="Neuigkeiten"/>
        <p class="lead">"Mitteilungen des Projektteams zur Einführung von Aktenwerk. Dienstanweisungen und Leitfäden finden Sie unter "<a href="/dienstanweisungen">"Dienstanweisungen und Leitfäden"</a>"."</p>
        <div role="status" aria-live="polite">
            {move || acknowledge.value().get().map(|r| match r {
                Ok(at) => view! { <p class="notice success">{format!("Vielen Dank – Ihre Kenntnisnahme ist am {at} vermerkt.")}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p>"Mitteilungen werden geladen …"</p> }>
            {move || Suspend::new(async move {
                match news.await {
                    Ok(list) => view! { <News list acknowledge/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn News(list: NewsList, acknowledge: ServerAction<AcknowledgeAnnouncement>) -> impl IntoView {
    let archive_count = list.archive.len();
    view! {
        {list.may_publish.then(|| view! {
            <p class="actions">
                <a class="button primary" href="/neuigkeiten/neu">"Neue Mitteilung schreiben"</a>
                " "
                <a class="button secondary" href="/neuigkeiten/verwalten">"Alle Mitteilungen verwalten"</a>
            </p>
        })}
        {if list.current.is_empty() {
            view! { <p class="empty">"Zurzeit gibt es keine Mitteilungen für Sie."</p> }.into_any()
        } else {
            view! {
                <ul class="news-list" aria-label="Aktuelle Mitteilungen">
                    {list.current.into_iter().map(|item| view! { <li><Announcement item acknowledge archived=false/></li> }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(archive_count > 0).then(|| view! {
            <details class="news-archive">
                <summary>{format!("Archiv: {archive_count} abgelaufene Mitteilung{}", if archive_count == 1 { "" } else { "en" })}</summary>
                <ul class="news-list">
                    {list.archive.into_iter().map(|item| view! { <li><Announcement item acknowledge archived=true/></li> }).collect_view()}
                </ul>
            </details>
        })}
    }
}

#[component]
fn Announcement(
    item: AnnouncementView,
    acknowledge: ServerAction<AcknowledgeAnnouncement>,
    archived: bool,
) -> impl IntoView {
    let id = item.id;
    let heading_id = format!("mitteilung-{id}-titel");
    let ack = match (item.requires_ack, item.acknowledged_at.clone(), archived) {
        (false, _, _) | (true, None, true) => None,
        (true, Some(at), _) => Some(
            view! { <p class="ack done">{format!("✓ Zur Kenntnis genommen am {at}")}</p> }
                .into_any(),
        ),
        (true, None, false) => Some(
            view! {
                <div class="inline-form ack">
                    <p>"Bitte bestätigen Sie, dass Sie diese Mitteilung gelesen haben."</p>
                    <button type="button" class="button primary"
                        on:click=move |_| { acknowledge.dispatch(AcknowledgeAnnouncement { id }); }>
                        "Zur Kenntnis genommen"
                    </button>
                </div>
            }
            .into_any(),
        ),
    };
    view! {
        <article id=format!("mitteilung-{id}") class="announcement panel" class:unread=item.unread aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>
                {item.title.clone()}
                {item.unread.then(|| view! { " "<span class="tag new">"neu"</span> })}
                {item.pinned.then(|| view! { " "<span class="tag">"angeheftet"</span> })}
                {item.requires_ack.then(|| view! { " "<span class="tag important">"Kenntnisnahme erforderlich"</span> })}
            </h2>
            <p class="meta">
                {format!("Veröffentlicht am {} von {}", item.published, item.author_name)}
                {item.expires.clone().map(|end| format!(" · gültig bis {end}"))}
            </p>
            <div class="markdown" inner_html=item.body_html.clone()></div>
            {ack}
        </article>
    }
}
