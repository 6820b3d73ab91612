//! `/postkorb`: what waits for the signed-in person today, due
//! Wiedervorlagen and Zuweisungen first, then what is coming and the own
//! open Vorgänge. Each item is settled with one click.

use super::server_fns::{load_postkorb, FinishAssignment, SettleWiedervorlage};
use super::{Postkorb, Urgency, Wiedervorlage, Zuweisung};
use crate::documents::list::german_date;
use crate::laufwege::server_fns::LaufwegReturnSeen;
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PostkorbPage() -> impl IntoView {
    view! {
        <Title text="Postkorb"/>
        <h1>"Postkorb"</h1>
        <PostkorbBody/>
    }
}

/// The Postkorb without its heading: the page, and the start page of
/// clerks.
#[component]
pub fn PostkorbBody() -> impl IntoView {
    let settle = ServerAction::<SettleWiedervorlage>::new();
    let finish = ServerAction::<FinishAssignment>::new();
    let seen = ServerAction::<LaufwegReturnSeen>::new();
    // `?fuer=<id>`: the Postkorb of a colleague one stands in for.
    let query = leptos_router::hooks::use_query_map();
    let postkorb = crate::server_json::resource(
        move || {
            (
                query.with(|q| q.get("fuer").and_then(|v| v.parse::<i64>().ok())),
                query.with(|q| q.get("alle").is_some()),
                settle.version().get(),
                finish.version().get(),
                seen.version().get(),
            )
        },
        |(fuer, alle, ..)| load_postkorb(fuer, Some(alle)),
    );
    // The navigation counts what waits; it follows each click.
    Effect::new(move |_| {
        if settle.version().get() + finish.version().get() + seen.version().get() > 0 {
            crate::announcements::header::CommsRefresh::bump();
        }
    });
    view! {
        <div role="status" aria-live="polite">
            {move || settle.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
            {move || finish.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
        </div>
        <Transition fallback=|| view! { <p>"Postkorb wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match postkorb.await {
                    Ok(p) => view! { <PostkorbView p settle finish seen/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PostkorbView(
    p: Postkorb,
    settle: ServerAction<SettleWiedervorlage>,
    finish: ServerAction<FinishAssignment>,
    seen: ServerAction<LaufwegReturnSeen>,
) -> impl IntoView {
    let waiting = p.waiting();
    let today = p.today.clone();
    let totals = p.totals;
    // Every item of each list: the same address with `alle`.
    let all_href = leptos_router::hooks::use_query_map().with_untracked(|q| match q.get("fuer") {
        Some(fuer) => format!("/postkorb?fuer={fuer}&alle=1"),
        None => "/postkorb?alle=1".to_string(),
    });
    let more = move |shown: usize, total: i64| {
        let all_href = all_href.clone();
        (total > shown as i64).then(|| {
            view! {
                <p class="field-hint">
                    {format!("Die ersten {shown} von {total} (die dringendsten zuerst). ")}
                    <a href=all_href>"Alle anzeigen"</a>
                </p>
            }
        })
    };
    let whom = p.owner.clone().unwrap_or_else(|| "Sie".into());
    let summary = match waiting {
        0 => format!("Heute wartet nichts auf {whom}."),
        1 => format!("Heute wartet 1 Sache auf {whom}."),
        n => format!("Heute warten {n} Sachen auf {whom}."),
    };
    // Only outside practice: absences are real.
    let may_enter_absence = p.owner.is_none()
        && crate::auth::use_current_user()
            .is_some_and(|user| crate::auth::guard::Rule::Absences.allows(&user));
    view! {
        {p.owner.clone().map(|owner| view! {
            <p class="notice info vertretung-banner">
                {format!("Sie sehen den Postkorb von {owner} in Vertretung. Was Sie hier erledigen, wird mit „i. V.“ und beiden Namen vermerkt. ")}
                <a href="/postkorb">"Zurück zu Ihrem Postkorb"</a>
            </p>
        })}
        <p class="lead" data-waiting=waiting.to_string()>{summary}</p>
        {(!p.vertreten.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="pk-vertretung">
                <h2 id="pk-vertretung">"In Vertretung"</h2>
                <ul class="postkorb-list">
                    {p.vertreten.iter().map(|v| view! {
                        <li class="postkorb-item">
                            <a href=format!("/postkorb?fuer={}", v.user_id)>{format!("Postkorb von {}", v.name)}</a>
                            <span class="field-hint">{format!(" · abwesend bis {} · {} wartend", german_date(&v.until), v.waiting)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="panel" aria-labelledby="pk-due" data-tour="postkorb-faellig">
            <h2 id="pk-due">{format!("Heute fällig ({})", totals.due)}</h2>
            {more(p.due.len(), totals.due)}
            {if p.due.is_empty() {
                view! { <p class="empty">"Keine fälligen Wiedervorlagen."</p> }.into_any()
            } else {
                view! {
                    <ul class="postkorb-list">
                        {p.due.into_iter().map(|w| view! { <WiedervorlageItem w today=today.clone() settle/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {(!p.asked.is_empty() || !p.returned.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="pk-laufwege">
                <h2 id="pk-laufwege">{format!("Mitzeichnung und Freigabe ({})", totals.asked + p.returned.len() as i64)}</h2>
                {more(p.asked.len(), totals.asked)}
                <ul class="postkorb-list">
                    {p.asked.into_iter().map(|a| view! {
                        <li class="postkorb-item">
                            <p>
                                <strong>{format!("{}: {}", a.kind.label(), a.laufweg_title)}</strong>" · "
                                <a href=format!("/dokumente/{}#laufweg-heading", a.document_id)>{a.document_title.clone()}</a>
                                <span class="field-hint">
                                    {format!(" Version {}, von {}", a.version_number, a.started_by)}
                                    {a.funktion.clone().map(|f| format!(", an die Funktion {f}"))}
                                </span>
                            </p>
                        </li>
                    }).collect_view()}
                    {p.returned.into_iter().map(|r| {
                        let id = r.id;
                        view! {
                            <li class="postkorb-item overdue">
                                <p>
                                    <strong>{format!("Zurückgegeben: {}", r.title)}</strong>" · "
                                    <a href=format!("/dokumente/{}#laufweg-heading", r.document_id)>"Zum Dokument"</a>
                                </p>
                                <p>{format!("Abgelehnt von {}: {}", r.refused_by, r.reason)}</p>
                                <button type="button" class="button secondary small"
                                    aria-label=format!("Gesehen: {}", r.title)
                                    on:click=move |_| { seen.dispatch(LaufwegReturnSeen { id }); }>"Gesehen"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="panel" aria-labelledby="pk-assigned">
            <h2 id="pk-assigned">{format!("Zugewiesen ({})", totals.assigned)}</h2>
            {more(p.assigned.len(), totals.assigned)}
            {if p.assigned.is_empty() {
                view! { <p class="empty">"Niemand hat Ihnen etwas zugewiesen."</p> }.into_any()
            } else {
                view! {
                    <ul class="postkorb-list">
                        {p.assigned.into_iter().map(|z| view! { <ZuweisungItem z finish/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="pk-upcoming">
            <h2 id="pk-upcoming">{format!("Demnächst ({})", totals.upcoming)}</h2>
            {more(p.upcoming.len(), totals.upcoming)}
            {if p.upcoming.is_empty() {
                view! { <p class="empty">"Keine weiteren Wiedervorlagen."</p> }.into_any()
            } else {
                view! {
                    <ul class="postkorb-list">
                        {p.upcoming.into_iter().map(|w| view! { <WiedervorlageItem w today=today.clone() settle/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="pk-vorgaenge">
            <h2 id="pk-vorgaenge">{format!("Offene Vorgänge in Zuständigkeit ({})", totals.vorgaenge)}</h2>
            {more(p.vorgaenge.len(), totals.vorgaenge)}
            {if p.vorgaenge.is_empty() {
                view! { <p class="empty">"Kein offener Vorgang in Zuständigkeit."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table">
                        <caption class="visually-hidden">"Offene Vorgänge in Zuständigkeit"</caption>
                        <thead><tr>
                            <th scope="col">"Zeichen"</th><th scope="col">"Titel"</th>
                            <th scope="col">"Status"</th><th scope="col">"Angelegt am"</th>
                        </tr></thead>
                        <tbody>
                            {p.vorgaenge.into_iter().map(|v| view! {
                                <tr>
                                    <td><a href=format!("/vorgaenge/{}", v.id)>{v.zeichen}</a></td>
                                    <td>{v.title}</td>
                                    <td>{v.status.label()}</td>
                                    <td>{german_date(&v.opened_on)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        {may_enter_absence.then(|| view! {
            <p><a href="/abwesenheit">"Abwesenheit und Vertretung eintragen"</a></p>
        })}
    }
}

/// The link to what an item is about, with where it lies.
fn subject_link(subject: super::Subject, title: String, zeichen: Option<String>) -> impl IntoView {
    view! {
        <a href=subject.href() class="postkorb-subject">{title}</a>
        <span class="field-hint">
            {format!(" {}", subject.label())}
            {zeichen.map(|z| format!(", {z}"))}
        </span>
    }
}

/// One Wiedervorlage with its three clicks: done, cancel, postpone. The
/// buttons dispatch the action directly (no form to parse in the browser:
/// that keeps the bundle small).
#[component]
pub fn WiedervorlageItem(
    w: Wiedervorlage,
    today: String,
    settle: ServerAction<SettleWiedervorlage>,
    /// Show for whom (on a document or Vorgang; the Postkorb is one's own).
    #[prop(optional)]
    show_for: bool,
) -> impl IntoView {
    let id = w.id;
    let label = w.subject_title.clone();
    let when = match w.urgency {
        Urgency::Overdue => format!("Überfällig seit {}", german_date(&w.due_on)),
        Urgency::Today => "Heute fällig".to_string(),
        Urgency::Upcoming => format!("Wiedervorlage am {}", german_date(&w.due_on)),
    };
    let later = RwSignal::new(String::new());
    let run = move |action: &'static str| {
        settle.dispatch(SettleWiedervorlage {
            id,
            action: action.to_string(),
            due_on: later.get_untracked(),
        });
    };
    let postpone_id = format!("wv-verschieben-{id}");
    view! {
        <li class="postkorb-item" class:overdue=w.urgency == Urgency::Overdue>
            <p>
                <strong class="postkorb-when">{when}</strong>" · "
                {subject_link(w.subject, w.subject_title.clone(), w.subject_zeichen.clone())}
            </p>
            <p>{w.reason.clone()}
                {show_for.then(|| format!(" – für {}", w.for_user))}
                <span class="field-hint">{format!(" (gesetzt von {})", w.created_by)}</span>
            </p>
            <div class="postkorb-actions">
                <button type="button" class="button secondary small" aria-label=format!("Erledigt: {label}")
                    on:click=move |_| run("erledigt")>"Erledigt"</button>
                <button type="button" class="button secondary small" aria-label=format!("Abbrechen: {label}")
                    on:click=move |_| run("abbrechen")>"Abbrechen"</button>
                <label for=postpone_id.clone()>"Verschieben auf"</label>
                <input id=postpone_id type="date" min=today prop:value=later
                    on:input=move |ev| later.set(event_target_value(&ev))/>
                <button type="button" class="button secondary small" disabled=move || later.read().is_empty()
                    on:click=move |_| run("verschieben")>"Verschieben"</button>
            </div>
        </li>
    }
}

#[component]
fn ZuweisungItem(z: Zuweisung, finish: ServerAction<FinishAssignment>) -> impl IntoView {
    let label = z.subject_title.clone();
    let id = z.id;
    view! {
        <li class="postkorb-item">
            <p>
                <strong>{format!("Von {}", z.from)}</strong>
                <span class="field-hint">{format!(" am {}", z.assigned_at)}</span>" · "
                {subject_link(z.subject, z.subject_title.clone(), z.subject_zeichen.clone())}
            </p>
            {(!z.note.is_empty()).then(|| view! { <p class="postkorb-note">{z.note.clone()}</p> })}
            <button type="button" class="button secondary small" aria-label=format!("Erledigt: {label}")
                on:click=move |_| { finish.dispatch(FinishAssignment { id }); }>"Erledigt"</button>
        </li>
    }
}
