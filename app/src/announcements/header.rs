//! What the header tells everyone on every page: unread announcements,
//! answers waiting for the asker (questions waiting for the team), and a
//! banner for the pinned announcement and everything still to be
//! acknowledged (announcements and Dienstanweisungen).

use super::server_fns::{AcknowledgeAnnouncement, MarkAnnouncementRead};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

/// One line in the banner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BannerItem {
    pub kind: BannerKind,
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    pub requires_ack: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BannerKind {
    Announcement,
    /// A version of a Dienstanweisung or Leitfaden (`id` is the guide).
    Guide,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommsStatus {
    pub unread_news: i64,
    pub banner: Vec<BannerItem>,
    /// Answers in the person's own questions not yet seen.
    pub unseen_answers: i64,
    /// For the project team: questions waiting for an answer.
    pub waiting_questions: Option<i64>,
    /// For clerks: what waits in their Postkorb today.
    pub postkorb: Option<i64>,
}

/// Bumped after anything that changes the header's numbers; `acks` also
/// after an acknowledgement, so that pages showing it re-read.
#[derive(Clone, Copy, Debug)]
pub struct CommsRefresh {
    pub status: RwSignal<u32>,
    pub acks: RwSignal<u32>,
}

impl CommsRefresh {
    pub fn bump() {
        if let Some(refresh) = use_context::<CommsRefresh>() {
            refresh.status.update(|n| *n = n.wrapping_add(1));
        }
    }

    pub fn acknowledged() {
        if let Some(refresh) = use_context::<CommsRefresh>() {
            refresh.acks.update(|n| *n = n.wrapping_add(1));
            refresh.status.update(|n| *n = n.wrapping_add(1));
        }
    }

    /// The acknowledgement counter to key resources on (0 outside the layout).
    pub fn acks_version() -> u32 {
        use_context::<CommsRefresh>()
            .map(|r| r.acks.get())
            .unwrap_or(0)
    }
}

pub type StatusResource = crate::server_json::Loaded<Result<CommsStatus, AppError>>;

/// The status resource for the layout, re-read on every navigation and
/// after [`CommsRefresh::bump`].
pub fn status_resource() -> StatusResource {
    let refresh = CommsRefresh {
        status: RwSignal::new(0),
        acks: RwSignal::new(0),
    };
    provide_context(refresh);
    let location = leptos_router::hooks::use_location();
    crate::server_json::resource(
        move || (location.pathname.get(), refresh.status.get()),
        |_| get_comms_status(),
    )
}

#[server(prefix = "/api", endpoint = "comms_status", output = crate::server_json::Json)]
pub async fn get_comms_status() -> Result<CommsStatus, AppError> {
    crate::error::with_status(
        async {
            // Not `guard::require`: a session that must first change its
            // password gets an empty status rather than a refusal.
            let user = crate::auth::current_user().ok_or(AppError::NotLoggedIn)?;
            let state = crate::state::AppState::from_context()?;
            super::status::comms_status(&state, &user).await
        }
        .await,
    )
}

/// A count in the navigation; the screen reader hears e.g.
/// „Neuigkeiten, 3 ungelesen“.
#[component]
fn CountBadge(count: i64, #[prop(into)] meaning: String) -> impl IntoView {
    (count > 0).then(|| {
        view! {
            <span class="nav-badge">
                <span class="visually-hidden">", "</span>
                {count}
                <span class="visually-hidden">{format!(" {meaning}")}</span>
            </span>
        }
    })
}

#[component]
pub fn NewsNavLink(status: StatusResource) -> impl IntoView {
    let count = move || {
        status
            .get()
            .and_then(Result::ok)
            .map(|s| s.unread_news)
            .unwrap_or(0)
    };
    view! {
        <A href="/neuigkeiten">
            "Neuigkeiten"
            <Transition fallback=|| ()>
                {move || view! { <CountBadge count=count() meaning="ungelesen"/> }}
            </Transition>
        </A>
    }
}

#[component]
pub fn PostkorbNavLink(status: StatusResource) -> impl IntoView {
    let count = move || {
        status
            .get()
            .and_then(Result::ok)
            .and_then(|s| s.postkorb)
            .unwrap_or(0)
    };
    view! {
        <A href="/postkorb">
            "Postkorb"
            <Transition fallback=|| ()>
                {move || view! { <CountBadge count=count() meaning="wartend"/> }}
            </Transition>
        </A>
    }
}

#[component]
pub fn QuestionsNavLink(status: StatusResource) -> impl IntoView {
    let counts = move || {
        status
            .get()
            .and_then(Result::ok)
            .map(|s| (s.unseen_answers, s.waiting_questions.unwrap_or(0)))
            .unwrap_or((0, 0))
    };
    view! {
        <A href="/fragen">
            "Fragen"
            <Transition fallback=|| ()>
                {move || {
                    let (answers, waiting) = counts();
                    view! {
                        <CountBadge count=answers meaning=if answers == 1 { "neue Antwort" } else { "neue Antworten" }/>
                        <CountBadge count=waiting meaning="offen"/>
                    }
                }}
            </Transition>
        </A>
    }
}

/// The banner under the header: pinned and to-be-acknowledged items, each
/// acknowledged with one click.
#[component]
pub fn Banner(status: StatusResource) -> impl IntoView {
    let acknowledge = ServerAction::<AcknowledgeAnnouncement>::new();
    let read = ServerAction::<MarkAnnouncementRead>::new();
    Effect::new(move |_| {
        if acknowledge.version().get() > 0 {
            CommsRefresh::acknowledged();
        }
    });
    Effect::new(move |_| {
        if read.version().get() > 0 {
            CommsRefresh::bump();
        }
    });
    view! {
        <div role="status" aria-live="polite" class="visually-hidden">
            {move || acknowledge.value().get().and_then(|r| r.ok()).map(|at| format!("Kenntnisnahme bestätigt am {at}."))}
        </div>
        <Transition fallback=|| ()>
            {move || {
                let items = status.get().and_then(Result::ok).map(|s| s.banner).unwrap_or_default();
                (!items.is_empty()).then(|| view! {
                    <section class="comms-banner" aria-labelledby="comms-banner-heading">
                        <h2 id="comms-banner-heading" class="visually-hidden">"Wichtige Mitteilungen"</h2>
                        <ul>
                            {items.into_iter().map(|item| view! { <BannerEntry item acknowledge read/> }).collect_view()}
                        </ul>
                    </section>
                })
            }}
        </Transition>
    }
}

#[component]
fn BannerEntry(
    item: BannerItem,
    acknowledge: ServerAction<AcknowledgeAnnouncement>,
    read: ServerAction<MarkAnnouncementRead>,
) -> impl IntoView {
    let id = item.id;
    let action = match (item.kind, item.requires_ack) {
        (BannerKind::Announcement, true) => view! {
            <button type="button" class="button primary small"
                on:click=move |_| { acknowledge.dispatch(AcknowledgeAnnouncement { id }); }>
                "Zur Kenntnis genommen"
            </button>
        }
        .into_any(),
        (BannerKind::Announcement, false) => view! {
            <button type="button" class="button secondary small"
                on:click=move |_| { read.dispatch(MarkAnnouncementRead { id }); }>
                "Gelesen"
            </button>
        }
        .into_any(),
        (BannerKind::Guide, _) => view! {
            <a class="button primary small" href=format!("/dienstanweisungen/{id}")>"Lesen und bestätigen"</a>
        }
        .into_any(),
    };
    let (label, href) = match item.kind {
        BannerKind::Announcement => (
            if item.requires_ack {
                "Kenntnisnahme erforderlich"
            } else {
                "Angeheftet"
            },
            format!("/neuigkeiten#mitteilung-{id}"),
        ),
        BannerKind::Guide => (
            "Kenntnisnahme erforderlich",
            format!("/dienstanweisungen/{id}"),
        ),
    };
    view! {
        <li class="comms-banner-item">
            <p>
                <span class="tag">{label}</span>" "
                <a href=href><strong>{item.title.clone()}</strong></a>
                " – "{item.excerpt.clone()}
            </p>
            {action}
        </li>
    }
}
