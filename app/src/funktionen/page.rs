//! `/verwaltung/funktionen`: the Administration names the Funktionen of
//! its municipality (roles a Laufweg can ask, such as „Bauamtsleitung“)
//! and says which clerks hold each.

use super::server_fns::{load_funktionen, RemoveFunktion, SaveFunktion, SetFunktionMember};
use super::{Funktion, Funktionen};
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn FunktionenPage() -> impl IntoView {
    let save = ServerAction::<SaveFunktion>::new();
    let remove = ServerAction::<RemoveFunktion>::new();
    let member = ServerAction::<SetFunktionMember>::new();
    let data = crate::server_json::resource(
        move || {
            (
                save.version().get(),
                remove.version().get(),
                member.version().get(),
            )
        },
        |_| load_funktionen(),
    );
    let name = RwSignal::new(String::new());
    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveFunktion {
            id: None,
            name: name.get_untracked(),
        });
    };
    view! {
        <Title text="Funktionen"/>
        <h1>"Verwaltung: Funktionen"</h1>
        <p class="lead">
            "Eine Funktion wie „Bauamtsleitung“ oder „Bürgermeister“ kann in einem Laufweg statt einer Person gefragt werden. "
            "Der Schritt wartet dann im Postkorb aller, die die Funktion innehaben; wer zuerst antwortet, antwortet für sie. "
            <a href="/verwaltung">"Zurück zu den Benutzerkonten"</a>
        </p>
        <div role="status" aria-live="polite">
            {move || save.value().get().map(|r| match r {
                Ok(_) => view! { <p class="notice success">"Die Funktion ist gespeichert."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || remove.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice success">"Die Funktion ist entfernt."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || member.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
        </div>
        <section class="panel" aria-labelledby="funktion-neu">
            <h2 id="funktion-neu">"Neue Funktion"</h2>
            <form class="stacked-form narrow" on:submit=on_create>
                <label for="funktion-name">"Name der Funktion"</label>
                <input id="funktion-name" type="text" required maxlength="80" placeholder="z. B. Bauamtsleitung"
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                <button type="submit" class="button primary">"Funktion anlegen"</button>
            </form>
        </section>
        <Transition fallback=|| view! { <p>"Funktionen werden geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <List data save remove member/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn List(
    data: Funktionen,
    save: ServerAction<SaveFunktion>,
    remove: ServerAction<RemoveFunktion>,
    member: ServerAction<SetFunktionMember>,
) -> impl IntoView {
    if data.funktionen.is_empty() {
        return view! {
            <p class="empty">{format!("{} hat noch keine Funktionen.", data.municipality)}</p>
        }
        .into_any();
    }
    let clerks = data.clerks;
    data.funktionen
        .into_iter()
        .map(|f| view! { <FunktionPanel f clerks=clerks.clone() save remove member/> })
        .collect_view()
        .into_any()
}

#[component]
fn FunktionPanel(
    f: Funktion,
    clerks: Vec<super::Colleague>,
    save: ServerAction<SaveFunktion>,
    remove: ServerAction<RemoveFunktion>,
    member: ServerAction<SetFunktionMember>,
) -> impl IntoView {
    let id = f.id;
    let heading = format!("funktion-{id}");
    let heading_id = heading.clone();
    let (rename_id, add_id) = (
        format!("funktion-{id}-name"),
        format!("funktion-{id}-person"),
    );
    let name = RwSignal::new(f.name.clone());
    let candidates: Vec<_> = clerks
        .into_iter()
        .filter(|c| f.members.iter().all(|m| m.id != c.id))
        .collect();
    let chosen = RwSignal::new(candidates.first().map_or(0, |c| c.id));
    let on_rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveFunktion {
            id: Some(id),
            name: name.get_untracked(),
        });
    };
    let on_add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        member.dispatch(SetFunktionMember {
            id,
            user_id: chosen.get_untracked(),
            member: true,
        });
    };
    let title = f.name.clone();
    view! {
        <section class="panel" aria-labelledby=heading>
            <h2 id=heading_id>{f.name.clone()}</h2>
            {if f.members.is_empty() {
                view! { <p class="empty">"Noch niemand hat diese Funktion; Laufwege können sie erst fragen, wenn jemand sie innehat."</p> }.into_any()
            } else {
                view! {
                    <ul class="postkorb-list">
                        {f.members.into_iter().map(|m| {
                            let label = format!("{} aus „{}“ entfernen", m.name, title);
                            let user_id = m.id;
                            view! {
                                <li class="postkorb-item">
                                    {m.name}" "
                                    <button type="button" class="button secondary small" aria-label=label
                                        on:click=move |_| { member.dispatch(SetFunktionMember { id, user_id, member: false }); }>"Entfernen"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!candidates.is_empty()).then(|| view! {
                <form class="inline-form" on:submit=on_add>
                    <label for=add_id.clone()>"Person hinzufügen"</label>
                    <select id=add_id on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {candidates.iter().map(|c| view! { <option value=c.id>{c.name.clone()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button secondary small">"Hinzufügen"</button>
                </form>
            })}
            <form class="inline-form" on:submit=on_rename>
                <label for=rename_id.clone()>"Name"</label>
                <input id=rename_id type="text" required maxlength="80"
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                <button type="submit" class="button secondary small">"Umbenennen"</button>
            </form>
            <button type="button" class="button secondary small" aria-label=format!("Funktion entfernen: {}", f.name)
                on:click=move |_| { remove.dispatch(RemoveFunktion { id }); }>"Funktion entfernen"</button>
        </section>
    }
}
