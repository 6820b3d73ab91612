//! The practice banner on every page in practice mode, the switch in the
//! header, and `/uebung`: what the practice area is, what it holds, reset
//! and leave.

use super::server_fns::{load_practice, EnterPractice, LeavePractice, ResetPractice};
use crate::auth::SessionUser;
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;

/// Loads `target` afresh, so that every resource (the user, lists,
/// counts) is read again in the new mode.
fn reload_to(target: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(target);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = target;
}

/// Reset with a confirmation step: the first button asks, the second does
/// it. After the reset the practice page says so.
#[component]
fn ResetControl(#[prop(into)] id_prefix: String) -> impl IntoView {
    let reset = ServerAction::<ResetPractice>::new();
    let (asking, set_asking) = signal(false);
    Effect::new(move |_| {
        if let Some(Ok(())) = reset.value().get() {
            reload_to("/uebung?zurueckgesetzt=1");
        }
    });
    let question_id = format!("{id_prefix}-reset-question");
    view! {
        <div class="practice-reset">
            <Show
                when=move || asking.get()
                fallback=move || view! {
                    <button type="button" class="button practice-button" on:click=move |_| set_asking.set(true)>
                        "Übungsbereich zurücksetzen"
                    </button>
                }
            >
                <div class="practice-confirm" role="group" aria-labelledby=question_id.clone()>
                    <p id=question_id.clone()>
                        "Alles, was Sie im Übungsbereich geändert haben, wird verworfen und der Ausgangszustand wiederhergestellt. Fortfahren?"
                    </p>
                    <button type="button" class="button practice-button" disabled=move || reset.pending().get()
                        on:click=move |_| { reset.dispatch(ResetPractice {}); }>
                        "Ja, zurücksetzen"
                    </button>
                    " "
                    <button type="button" class="button secondary small" on:click=move |_| set_asking.set(false)>
                        "Abbrechen"
                    </button>
                </div>
            </Show>
            <div role="status" aria-live="polite">
                {move || reset.pending().get().then(|| view! { <p>"Der Übungsbereich wird zurückgesetzt …"</p> })}
                {move || reset.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            </div>
        </div>
    }
    .into_any()
}

/// Leaves practice mode and goes to the start page.
#[component]
fn LeaveButton() -> impl IntoView {
    let leave = ServerAction::<LeavePractice>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = leave.value().get() {
            reload_to("/");
        }
    });
    view! {
        <button type="button" class="button secondary small practice-leave" disabled=move || leave.pending().get()
            on:click=move |_| { leave.dispatch(LeavePractice {}); }>
            "Übungsmodus verlassen"
        </button>
        <span role="status" aria-live="polite">
            {move || leave.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
        </span>
    }
    .into_any()
}

/// The banner at the top of every page while practising. Its colour runs
/// round the whole page (see `.practice-frame`).
#[component]
pub fn PracticeBanner(user: SessionUser) -> impl IntoView {
    let may_leave = crate::auth::guard::Rule::LeavePractice.allows(&user);
    let home = user.home_municipality().name.clone();
    view! {
        <aside class="practice-banner" aria-labelledby="practice-banner-title">
            <div class="practice-banner-text">
                <p id="practice-banner-title" class="practice-banner-title">{super::BANNER_TITLE}</p>
                <p>
                    {format!("Sie arbeiten in Ihrem persönlichen Übungsbereich mit Beispieldaten. Nichts davon erreicht die echten Akten von {home}. ")}
                    <a href="/uebung">"Mehr zum Übungsbereich"</a>
                </p>
            </div>
            <div class="practice-banner-actions">
                <ResetControl id_prefix="banner"/>
                {may_leave.then(|| view! { <LeaveButton/> })}
            </div>
        </aside>
    }
    .into_any()
}

/// „Übungsmodus starten“ for the header, for everyone outside practice.
#[component]
pub fn EnterPracticeButton() -> impl IntoView {
    let enter = ServerAction::<EnterPractice>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = enter.value().get() {
            reload_to("/uebung");
        }
    });
    view! {
        <button type="button" class="button secondary small practice-enter" disabled=move || enter.pending().get()
            on:click=move |_| { enter.dispatch(EnterPractice {}); }>
            {move || if enter.pending().get() { "Übungsbereich wird vorbereitet …" } else { "Übungsmodus starten" }}
        </button>
        <span role="status" aria-live="polite">
            {move || enter.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
        </span>
    }
    .into_any()
}

/// `/uebung`: the practice area explained, with its figures and switches.
#[component]
pub fn PracticePage() -> impl IntoView {
    let overview = crate::server_json::resource(|| (), |_| load_practice());
    let query = leptos_router::hooks::use_query_map();
    let was_reset = move || query.read().get("zurueckgesetzt").is_some();
    view! {
        <PageHeading title="Übungsbereich"/>
        <div role="status" aria-live="polite">
            {move || was_reset().then(|| view! {
                <p class="notice success">"Der Übungsbereich ist zurückgesetzt: alle Beispielakten und -dokumente sind wieder im Ausgangszustand."</p>
            })}
        </div>
        <p class="lead">
            "Im Übungsbereich probieren Sie Aktenwerk gefahrlos aus: Dokumente hochladen, im Posteingang bearbeiten, in Akten ablegen, suchen, Akten anlegen und Änderungen am Aktenplan vorschlagen – alles wie im echten Betrieb, aber nur mit Beispieldaten."
        </p>
        <Transition fallback=|| view! { <p>"Übungsbereich wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <section class="panel" aria-labelledby="practice-content-heading">
                            <h2 id="practice-content-heading">"Was im Übungsbereich ist"</h2>
                            <p>
                                {format!(
                                    "Eine eigene Übungsgemeinde mit {} Beispielakten und {} Dokumenten (davon {} im Posteingang) unter dem echten Aktenplan: Bauanträge, Gewerbeanmeldungen, Friedhofsgebühren, Hundesteuer, Kita-Anmeldungen und mehr.",
                                    o.template_akten, o.template_documents, o.template_inbox
                                )}
                            </p>
                            {match &o.area_name {
                                Some(name) => view! {
                                    <dl class="facts">
                                        <dt>"Ihr Übungsbereich"</dt><dd>{name.clone()}</dd>
                                        <dt>"Akten jetzt"</dt><dd>{o.akten}</dd>
                                        <dt>"Dokumente jetzt"</dt><dd>{o.documents}</dd>
                                        <dt>"Davon im Posteingang"</dt><dd>{o.inbox}</dd>
                                    </dl>
                                }.into_any(),
                                None => view! { <p>"Ihr Übungsbereich wird beim ersten Start angelegt."</p> }.into_any(),
                            }}
                            <p>
                                "Was Sie hier tun, erscheint in keiner echten Suche, Zählung oder Auswertung und nicht im Protokoll der echten Akten. Aktenzeichen im Übungsbereich beginnen mit „UEB“."
                            </p>
                        </section>
                        <section class="panel" aria-labelledby="practice-switch-heading">
                            <h2 id="practice-switch-heading">{if o.active { "Übungsmodus ist an" } else { "Übungsmodus ist aus" }}</h2>
                            {if o.active {
                                view! {
                                    <p>"Zurücksetzen stellt den Ausgangszustand wieder her – praktisch vor jeder Schulung."</p>
                                    <ResetControl id_prefix="page"/>
                                    {if o.may_switch {
                                        view! { <p><LeaveButton/></p> }.into_any()
                                    } else {
                                        view! { <p>"Schulungskonten arbeiten immer im Übungsbereich."</p> }.into_any()
                                    }}
                                }.into_any()
                            } else {
                                view! {
                                    <p>"Sie arbeiten gerade mit den echten Akten Ihrer Gemeinde."</p>
                                    <p><EnterPracticeButton/></p>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
