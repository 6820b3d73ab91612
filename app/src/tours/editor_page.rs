//! `/schulung/rundgaenge`: the project team writes and edits tours – page,
//! element (from the registry of known anchors), title, text and what a step
//! waits for – with a live preview of each step's popover.

use super::engine::StepCard;
use super::server_fns::{delete_tour, save_tour, tour_editor};
use super::{AnchorChoice, EditorData, PageChoice, Step, Tour, WaitFor};
use crate::auth::Role;
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn TourListPage() -> impl IntoView {
    let deleted = RwSignal::new(0u32);
    let message = RwSignal::new(None::<Result<String, crate::error::AppError>>);
    let data = crate::server_json::resource(move || deleted.get(), |_| tour_editor());
    let remove = move |id: i64, title: String| {
        #[cfg(feature = "hydrate")]
        if !window()
            .confirm_with_message(&format!(
                "Den Rundgang „{title}“ wirklich löschen? Der Schulungsnachweis behält ihn."
            ))
            .unwrap_or(false)
        {
            return;
        }
        leptos::task::spawn_local(async move {
            match delete_tour(id).await {
                Ok(()) => {
                    message.set(Some(Ok(format!("Der Rundgang „{title}“ ist gelöscht."))));
                    deleted.update(|n| *n += 1);
                }
                Err(error) => message.set(Some(Err(error))),
            }
        });
    };
    view! {
        <PageHeading title="Rundgänge bearbeiten"/>
        <p class="lead">"Rundgänge sind Daten: Hier legen Sie fest, welche Schritte es gibt, was dort steht und wem der Rundgang angeboten wird. Änderungen sehen alle beim nächsten Schritt."</p>
        <p class="button-row">
            <a class="button primary" href="/schulung/rundgaenge/neu">"Neuer Rundgang"</a>
            <a class="button secondary" href="/schulung/nachweis">"Schulungsstand ansehen"</a>
        </p>
        <div role="status" aria-live="polite">
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="notice success">{text}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! {
                        <div class="table-wrap">
                            <table class="tour-table">
                                <caption class="visually-hidden">"Alle Rundgänge"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Rundgang"</th>
                                        <th scope="col">"Rollen"</th>
                                        <th scope="col">"Schritte"</th>
                                        <th scope="col">"Automatisch anbieten"</th>
                                        <th scope="col">"Aktionen"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {data.tours.into_iter().map(|tour| {
                                        let title = tour.title.clone();
                                        let id = tour.id;
                                        view! {
                                            <tr>
                                                <td>{tour.title.clone()}</td>
                                                <td>{tour.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")}</td>
                                                <td>{tour.steps.len()}</td>
                                                <td>{if tour.auto_offer { "ja" } else { "nein" }}</td>
                                                <td class="actions">
                                                    <a href=format!("/schulung/rundgaenge/{id}") aria-label=format!("Bearbeiten: {}", tour.title)>"Bearbeiten"</a>
                                                    <button type="button" class="button small danger" aria-label=format!("Löschen: {}", tour.title) on:click=move |_| remove(id, title.clone())>
                                                        "Löschen"
                                                    </button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/schulung/rundgaenge/<id>` or `/schulung/rundgaenge/neu`.
#[component]
pub fn TourEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let data = crate::server_json::resource(id, |_| tour_editor());
    view! {
        <Transition fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                let wanted = id();
                match data.await {
                    Ok(data) => {
                        let EditorData { tours, anchors, pages } = data;
                        let tour = match wanted {
                            None => Some(blank(&tours)),
                            Some(wanted) => tours.into_iter().find(|t| t.id == wanted),
                        };
                        match tour {
                            Some(tour) => view! { <TourForm tour anchors pages/> }.into_any(),
                            None => view! {
                                <PageHeading title="Rundgang bearbeiten"/>
                                <ErrorNotice error=crate::error::AppError::NotFound("Der Rundgang".into())/>
                                <p><a href="/schulung/rundgaenge">"Zu allen Rundgängen"</a></p>
                            }.into_any(),
                        }
                    }
                    Err(error) => view! { <PageHeading title="Rundgang bearbeiten"/><ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn blank(tours: &[Tour]) -> Tour {
    Tour {
        id: 0,
        title: String::new(),
        description: String::new(),
        roles: vec![Role::Sachbearbeitung],
        auto_offer: false,
        position: tours.iter().map(|t| t.position).max().unwrap_or(0) + 10,
        steps: vec![blank_step()],
    }
}

fn blank_step() -> Step {
    Step {
        page: "/".into(),
        anchor: "hauptnavigation".into(),
        title: String::new(),
        text: String::new(),
        wait_for: WaitFor::Nothing,
    }
}

#[component]
fn TourForm(tour: Tour, anchors: Vec<AnchorChoice>, pages: Vec<PageChoice>) -> impl IntoView {
    let heading = if tour.id == 0 {
        "Neuer Rundgang".to_string()
    } else {
        format!("Rundgang bearbeiten: {}", tour.title)
    };
    let draft = RwSignal::new(tour);
    // Bumped when steps are added, moved or removed: only then are the
    // step forms rebuilt (typing must not rebuild the field being typed in).
    let layout = RwSignal::new(0u32);
    let saving = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<i64, crate::error::AppError>>);
    let anchors = StoredValue::new(anchors);
    let pages = StoredValue::new(pages);
    let navigate = use_navigate();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let tour = draft.get_untracked();
        let was_new = tour.id == 0;
        saving.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let saved = save_tour(tour).await;
            saving.set(false);
            if let Ok(id) = &saved {
                draft.update(|t| t.id = *id);
                if was_new {
                    navigate(&format!("/schulung/rundgaenge/{id}"), Default::default());
                }
            }
            result.set(Some(saved));
        });
    };
    let edit_steps = move |change: &dyn Fn(&mut Vec<Step>)| {
        draft.update(|t| change(&mut t.steps));
        layout.update(|n| *n += 1);
    };
    let initial = draft.get_untracked();
    view! {
        <leptos_meta::Title text=heading.clone()/>
        <h1>{heading}</h1>
        <p><a href="/schulung/rundgaenge">"Zu allen Rundgängen"</a></p>
        <form class="stacked-form tour-editor" on:submit=save novalidate>
            <fieldset>
                <legend>"Der Rundgang"</legend>
                <label for="tour-titel">"Titel"</label>
                <input id="tour-titel" type="text" maxlength="120" required value=initial.title.clone()
                    prop:value=move || draft.with(|t| t.title.clone())
                    on:input=move |ev| draft.update(|t| t.title = event_target_value(&ev))/>
                <label for="tour-beschreibung">"Kurzbeschreibung (erscheint im Angebot und in der Liste)"</label>
                <textarea id="tour-beschreibung" rows="2" maxlength="500"
                    prop:value=move || draft.with(|t| t.description.clone())
                    on:input=move |ev| draft.update(|t| t.description = event_target_value(&ev))>{initial.description.clone()}</textarea>
                <fieldset class="checkbox-group">
                    <legend>"Angeboten für die Rollen"</legend>
                    {Role::ALL.into_iter().map(|role| {
                        let id = format!("tour-rolle-{}", role.as_str());
                        view! {
                            <div class="checkbox-row">
                                <input id=id.clone() type="checkbox" checked=initial.roles.contains(&role)
                                    prop:checked=move || draft.with(|t| t.roles.contains(&role))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        draft.update(|t| {
                                            t.roles.retain(|r| *r != role);
                                            if on { t.roles.push(role); }
                                        });
                                    }/>
                                <label for=id>{role.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="checkbox-row">
                    <input id="tour-anbieten" type="checkbox" checked=initial.auto_offer
                        prop:checked=move || draft.with(|t| t.auto_offer)
                        on:change=move |ev| draft.update(|t| t.auto_offer = event_target_checked(&ev))/>
                    <label for="tour-anbieten">"Neuen Personen bei der ersten Anmeldung anbieten"</label>
                </div>
                <label for="tour-reihenfolge">"Reihenfolge in Listen (kleinere Zahl zuerst)"</label>
                <input id="tour-reihenfolge" type="number" min="0" max="9999" value=initial.position.to_string()
                    prop:value=move || draft.with(|t| t.position.to_string())
                    on:input=move |ev| draft.update(|t| t.position = event_target_value(&ev).parse().unwrap_or(0))/>
            </fieldset>
            {move || {
                let _ = layout.get();
                let count = draft.with_untracked(|t| t.steps.len());
                (0..count).map(|index| view! {
                    <StepForm index count draft anchors pages edit_steps/>
                }).collect_view()
            }}
            <p>
                <button type="button" class="button" on:click=move |_| edit_steps(&|steps| steps.push(blank_step()))>
                    "Schritt hinzufügen"
                </button>
            </p>
            <div role="status" aria-live="polite">
                {move || result.get().map(|r| match r {
                    Ok(_) => view! { <p class="notice success">"Der Rundgang ist gespeichert. Wer ihn als Nächstes öffnet, sieht die neue Fassung."</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
            </div>
            <button type="submit" class="button primary" disabled=move || saving.get()>"Rundgang speichern"</button>
        </form>
    }
}

#[component]
fn StepForm(
    index: usize,
    count: usize,
    draft: RwSignal<Tour>,
    anchors: StoredValue<Vec<AnchorChoice>>,
    pages: StoredValue<Vec<PageChoice>>,
    edit_steps: impl Fn(&dyn Fn(&mut Vec<Step>)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let n = index + 1;
    let id = move |field: &str| format!("schritt-{n}-{field}");
    let initial = draft.with_untracked(|t| t.steps.get(index).cloned().unwrap_or_else(blank_step));
    let current = move || draft.with(|t| t.steps.get(index).cloned().unwrap_or_else(blank_step));
    let set = move |change: &dyn Fn(&mut Step)| {
        draft.update(|t| {
            if let Some(step) = t.steps.get_mut(index) {
                change(step);
            }
        })
    };
    let anchors_on = move |page: &str| {
        anchors.with_value(|all| {
            all.iter()
                .filter(|a| a.pages.iter().any(|p| p == super::EVERY_PAGE || p == page))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let on_page = move |ev: leptos::ev::Event| {
        let page = event_target_value(&ev);
        let choices = anchors_on(&page);
        set(&|step| {
            step.page = page.clone();
            // An element of the old page would be refused on saving.
            if !choices.iter().any(|a| a.id == step.anchor) {
                if let Some(first) = choices.first() {
                    step.anchor = first.id.clone();
                }
            }
        });
    };
    view! {
        <fieldset class="tour-step-form">
            <legend>{format!("Schritt {n} von {count}")}</legend>
            <div class="tour-step-grid">
                <div class="tour-step-fields">
                    <label for=id("seite")>"Seite"</label>
                    <select id=id("seite") on:change=on_page prop:value=move || current().page>
                        {pages.get_value().into_iter().map(|p| {
                            let selected = p.path == initial.page;
                            view! { <option value=p.path.clone() selected=selected>{p.label.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <label for=id("element")>"Markiertes Element"</label>
                    <select id=id("element") prop:value=move || current().anchor
                        on:change=move |ev| { let value = event_target_value(&ev); set(&|s| s.anchor = value.clone()); }>
                        {move || {
                            let step = current();
                            anchors_on(&step.page).into_iter().map(|a| {
                                let selected = a.id == step.anchor;
                                view! { <option value=a.id.clone() selected=selected>{a.description.clone()}</option> }
                            }).collect_view()
                        }}
                    </select>
                    <label for=id("titel")>"Titel"</label>
                    <input id=id("titel") type="text" maxlength="120" value=initial.title.clone()
                        prop:value=move || current().title
                        on:input=move |ev| { let value = event_target_value(&ev); set(&|s| s.title = value.clone()); }/>
                    <label for=id("text")>"Text"</label>
                    <textarea id=id("text") rows="4" maxlength="1000"
                        prop:value=move || current().text
                        on:input=move |ev| { let value = event_target_value(&ev); set(&|s| s.text = value.clone()); }>{initial.text.clone()}</textarea>
                    <label for=id("warten")>"Weiter, wenn …"</label>
                    <select id=id("warten") prop:value=move || current().wait_for.as_str().to_string()
                        on:change=move |ev| {
                            let value = WaitFor::parse(&event_target_value(&ev)).unwrap_or(WaitFor::Nothing);
                            set(&|s| s.wait_for = value);
                        }>
                        {WaitFor::ALL.into_iter().map(|w| view! {
                            <option value=w.as_str() selected=w == initial.wait_for>{w.label()}</option>
                        }).collect_view()}
                    </select>
                    <div class="button-row">
                        <button type="button" class="button small" disabled={index == 0}
                            on:click=move |_| edit_steps(&|steps| steps.swap(index - 1, index))>
                            "Nach oben"<span class="visually-hidden">{format!(" (Schritt {n})")}</span>
                        </button>
                        <button type="button" class="button small" disabled={n == count}
                            on:click=move |_| edit_steps(&|steps| steps.swap(index, index + 1))>
                            "Nach unten"<span class="visually-hidden">{format!(" (Schritt {n})")}</span>
                        </button>
                        <button type="button" class="button small danger" disabled={count == 1}
                            on:click=move |_| edit_steps(&|steps| { steps.remove(index); })>
                            "Entfernen"<span class="visually-hidden">{format!(" (Schritt {n})")}</span>
                        </button>
                    </div>
                </div>
                <div class="tour-preview" role="group" aria-label=format!("Vorschau von Schritt {n}")>
                    <p class="tour-preview-label" aria-hidden="true">"Vorschau"</p>
                    <div class="tour-popover tour-popover-preview">
                        {move || {
                            let (title, steps) = draft.with(|t| (t.title.clone(), t.steps.len()));
                            view! { <StepCard tour_title=title index steps step=current() preview=true/> }
                        }}
                    </div>
                </div>
            </div>
        </fieldset>
    }
}
