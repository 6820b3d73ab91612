//! The project team's editor (`/neuigkeiten/neu`, `/neuigkeiten/<id>/bearbeiten`):
//! Markdown with a live preview, the audience, pinning, schedule and the
//! acknowledgement requirement.

use super::server_fns::{announcement_editor, SaveAnnouncement};
use super::{AnnouncementDraft, EditorData};
use crate::auth::Role;
use crate::markdown_preview::MarkdownPreview;
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn AnnouncementEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let data = crate::server_json::resource(id, announcement_editor);
    view! {
        <Transition fallback=|| view! { <p>"Editor wird geladen …"</p> }>
            {move || Suspend::new(async move {
                let id = id();
                match data.await {
                    Ok(data) => view! { <EditorForm data id/> }.into_any(),
                    Err(error) => view! { <h1>"Mitteilung"</h1><ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EditorForm(data: EditorData, id: Option<i64>) -> impl IntoView {
    let EditorData {
        draft,
        municipalities,
        already_read,
    } = data;
    let title = RwSignal::new(draft.title.clone());
    let body = RwSignal::new(draft.body.clone());
    let places = RwSignal::new(draft.municipalities.clone());
    let roles = RwSignal::new(draft.roles.clone());
    let pinned = RwSignal::new(draft.pinned);
    let requires_ack = RwSignal::new(draft.requires_ack);
    let publish_at = RwSignal::new(draft.publish_at.clone());
    let expire_at = RwSignal::new(draft.expire_at.clone());
    let save = ServerAction::<SaveAnnouncement>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            navigate("/neuigkeiten/verwalten", Default::default());
        }
    });
    let heading = if id.is_some() {
        "Mitteilung bearbeiten"
    } else {
        "Neue Mitteilung"
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch(SaveAnnouncement {
            id,
            draft: AnnouncementDraft {
                title: title.get_untracked(),
                body: body.get_untracked(),
                municipalities: places.get_untracked(),
                roles: roles.get_untracked(),
                pinned: pinned.get_untracked(),
                requires_ack: requires_ack.get_untracked(),
                publish_at: publish_at.get_untracked(),
                expire_at: expire_at.get_untracked(),
            },
        });
    };
    view! {
        <Title text=heading/>
        <p class="eyebrow"><a href="/neuigkeiten/verwalten">"Mitteilungen verwalten"</a></p>
        <h1>{heading}</h1>
        {(already_read > 0).then(|| view! {
            <p class="notice info">{format!(
                "{already_read} Person(en) haben diese Mitteilung schon gelesen. Größere Änderungen besser als neue Mitteilung veröffentlichen."
            )}</p>
        })}
        <form class="editor-form" on:submit=submit novalidate>
            <div class="field">
                <label for="news-title">"Titel"</label>
                <input id="news-title" type="text" maxlength="200" required
                    value=draft.title.clone()
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))/>
            </div>
            <div class="editor-columns">
                <div class="field">
                    <label for="news-body">"Text (Markdown)"</label>
                    <textarea id="news-body" rows="14" required aria-describedby="news-body-hint"
                        prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))>{draft.body.clone()}</textarea>
                    <p id="news-body-hint" class="hint">
                        "**fett**, *kursiv*, „- “ für Listen, „## “ für Zwischenüberschriften, [Linktext](https://…). HTML wird als Text angezeigt."
                    </p>
                </div>
                <section class="field preview" aria-labelledby="news-preview-heading">
                    <h2 id="news-preview-heading" class="label">"Vorschau"</h2>
                    <MarkdownPreview text=body/>
                </section>
            </div>
            <fieldset>
                <legend>"Gemeinden (keine Auswahl: alle)"</legend>
                {municipalities.into_iter().map(|m| {
                    let mid = m.id;
                    let input_id = format!("news-place-{mid}");
                    view! {
                        <label class="check" for=input_id.clone()>
                            <input id=input_id.clone() type="checkbox"
                                checked=draft.municipalities.contains(&mid)
                                prop:checked=move || places.read().contains(&mid)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    places.update(|list| {
                                        list.retain(|x| *x != mid);
                                        if on { list.push(mid); }
                                    });
                                }/>
                            {m.name.clone()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>"Rollen (keine Auswahl: alle)"</legend>
                {Role::ALL.into_iter().map(|role| {
                    let key = role.as_str().to_string();
                    let input_id = format!("news-role-{key}");
                    let checked = draft.roles.contains(&key);
                    let key_for_prop = key.clone();
                    view! {
                        <label class="check" for=input_id.clone()>
                            <input id=input_id.clone() type="checkbox"
                                checked=checked
                                prop:checked=move || roles.read().contains(&key_for_prop)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let key = key.clone();
                                    roles.update(|list| {
                                        list.retain(|x| *x != key);
                                        if on { list.push(key); }
                                    });
                                }/>
                            {role.label()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>"Hervorhebung"</legend>
                <label class="check" for="news-pinned">
                    <input id="news-pinned" type="checkbox" checked=draft.pinned
                        prop:checked=move || pinned.get()
                        on:change=move |ev| pinned.set(event_target_checked(&ev))/>
                    "Oben anheften (löst eine andere angeheftete Mitteilung ab)"
                </label>
                <label class="check" for="news-ack">
                    <input id="news-ack" type="checkbox" checked=draft.requires_ack
                        prop:checked=move || requires_ack.get()
                        on:change=move |ev| requires_ack.set(event_target_checked(&ev))/>
                    "Kenntnisnahme erforderlich"
                </label>
            </fieldset>
            <fieldset>
                <legend>"Zeitraum (Ortszeit)"</legend>
                <div class="field">
                    <label for="news-publish">"Veröffentlichen am"</label>
                    <input id="news-publish" type="datetime-local"
                        value=draft.publish_at.clone()
                        prop:value=move || publish_at.get()
                        on:input=move |ev| publish_at.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="news-expire">"Gültig bis (leer: unbegrenzt)"</label>
                    <input id="news-expire" type="datetime-local"
                        value=draft.expire_at.clone()
                        prop:value=move || expire_at.get()
                        on:input=move |ev| expire_at.set(event_target_value(&ev))/>
                </div>
            </fieldset>
            <div role="status" aria-live="polite">
                {move || save.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
            </div>
            <button type="submit" class="button primary" disabled=move || save.pending().get()>
                {if id.is_some() { "Änderungen speichern" } else { "Veröffentlichen" }}
            </button>
        </form>
    }
}
