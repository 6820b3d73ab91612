//! `/dienstanweisungen` (the library), `/dienstanweisungen/<id>` (one
//! document with its versions) and `/dienstanweisungen/bereich/<screen>`
//! (where the „?“ beside a feature leads).

use super::server_fns::{
    get_guide, guide_library, AcknowledgeGuide, AddGuideText, DeleteGuide, SaveGuide,
};
use super::{GuideDetail, GuideDraft, GuideKind, GuideSummary, VersionView, SCREENS};
use crate::announcements::header::CommsRefresh;
use crate::error::AppError;
use crate::form_post::{FormAction, PostForm};
use crate::markdown_preview::MarkdownPreview;
use crate::ui::{ErrorNotice, PageHeading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn LibraryPage() -> impl IntoView {
    let library = crate::server_json::resource(|| (), |_| guide_library());
    view! {
        <PageHeading title="Dienstanweisungen und Leitfäden"/>
        <p class="lead">"Verbindliche Dienstanweisungen und praktische Leitfäden zu Aktenwerk, immer in der neuesten Fassung. Das „?“ neben einer Funktion führt direkt zum passenden Leitfaden."</p>
        <Transition fallback=|| view! { <p>"Bibliothek wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match library.await {
                    Ok(library) => view! {
                        <GuideList guides=library.guides.clone() kind=GuideKind::Dienstanweisung heading="Dienstanweisungen"/>
                        <GuideList guides=library.guides kind=GuideKind::Leitfaden heading="Leitfäden"/>
                        {library.may_edit.then(|| view! { <GuideMetaForm id=None initial=GuideDraft { kind: "leitfaden".into(), ..GuideDraft::default() }/> })}
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn screen_names(keys: &[String]) -> String {
    keys.iter()
        .filter_map(|k| super::screen_label(k))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn GuideList(guides: Vec<GuideSummary>, kind: GuideKind, heading: &'static str) -> impl IntoView {
    let guides: Vec<GuideSummary> = guides.into_iter().filter(|g| g.kind == kind).collect();
    let heading_id = format!("liste-{}", kind.as_str());
    view! {
        <section aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{heading}</h2>
            {if guides.is_empty() {
                view! { <p class="empty">"Noch keine Einträge."</p> }.into_any()
            } else {
                view! {
                    <ul class="guide-list">
                        {guides.into_iter().map(|g| view! {
                            <li class="panel">
                                <h3><a href=format!("/dienstanweisungen/{}", g.id)>{g.title.clone()}</a></h3>
                                {g.open_ack.then(|| view! { <p><span class="tag important">"Kenntnisnahme offen"</span></p> })}
                                {(!g.summary.is_empty()).then(|| view! { <p>{g.summary.clone()}</p> })}
                                <p class="meta">
                                    {if g.version == 0 {
                                        "noch ohne Inhalt (nur für das Projektteam sichtbar)".to_string()
                                    } else {
                                        format!("Version {} vom {}{}", g.version, g.updated, if g.is_pdf { " · PDF" } else { "" })
                                    }}
                                    {(!g.screens.is_empty()).then(|| format!(" · gilt für: {}", screen_names(&g.screens)))}
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// Title, kind, summary and screens: for a new document or an existing one.
#[component]
fn GuideMetaForm(id: Option<i64>, initial: GuideDraft) -> impl IntoView {
    let save = ServerAction::<SaveGuide>::new();
    let kind = RwSignal::new(initial.kind.clone());
    let title = RwSignal::new(initial.title.clone());
    let summary = RwSignal::new(initial.summary.clone());
    let screens = RwSignal::new(initial.screens.clone());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(new_id)) = save.value().get() {
            navigate(&format!("/dienstanweisungen/{new_id}"), Default::default());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch(SaveGuide {
            id,
            draft: GuideDraft {
                kind: kind.get_untracked(),
                title: title.get_untracked(),
                summary: summary.get_untracked(),
                screens: screens.get_untracked(),
            },
        });
    };
    let prefix = if id.is_some() {
        "guide-edit"
    } else {
        "guide-new"
    };
    let heading = if id.is_some() {
        "Angaben ändern"
    } else {
        "Neues Dokument anlegen"
    };
    view! {
        <section class="panel" aria-labelledby=format!("{prefix}-heading")>
            <h2 id=format!("{prefix}-heading")>{heading}</h2>
            <form on:submit=submit>
                <div class="field">
                    <label for=format!("{prefix}-kind")>"Art"</label>
                    <select id=format!("{prefix}-kind") prop:value=move || kind.get()
                        on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="dienstanweisung" selected=initial.kind == "dienstanweisung">"Dienstanweisung"</option>
                        <option value="leitfaden" selected=initial.kind == "leitfaden">"Leitfaden"</option>
                    </select>
                </div>
                <div class="field">
                    <label for=format!("{prefix}-title")>"Titel"</label>
                    <input id=format!("{prefix}-title") type="text" maxlength="200" required
                        value=initial.title.clone() prop:value=move || title.get()
                        on:input=move |ev| title.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=format!("{prefix}-summary")>"Kurzbeschreibung"</label>
                    <input id=format!("{prefix}-summary") type="text" maxlength="500"
                        value=initial.summary.clone() prop:value=move || summary.get()
                        on:input=move |ev| summary.set(event_target_value(&ev))/>
                </div>
                <fieldset>
                    <legend>"Gilt für die Bereiche („?“ neben der Funktion)"</legend>
                    {SCREENS.into_iter().map(|(key, label)| {
                        let input_id = format!("{prefix}-screen-{key}");
                        view! {
                            <label class="check" for=input_id.clone()>
                                <input id=input_id.clone() type="checkbox"
                                    checked=initial.screens.iter().any(|s| s == key)
                                    prop:checked=move || screens.read().iter().any(|s| s == key)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        screens.update(|list| {
                                            list.retain(|s| s != key);
                                            if on { list.push(key.to_string()); }
                                        });
                                    }/>
                                {label}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div role="status" aria-live="polite">
                    {move || save.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
                </div>
                <button type="submit" class="button primary">{if id.is_some() { "Angaben speichern" } else { "Anlegen" }}</button>
            </form>
        </section>
    }
}

#[component]
pub fn GuidePage() -> impl IntoView {
    let params = use_params_map();
    let acknowledge = ServerAction::<AcknowledgeGuide>::new();
    let add_text = FormAction::<i64>::of::<AddGuideText>();
    let uploaded = RwSignal::new(0u32);
    let guide = crate::server_json::resource(
        move || {
            (
                params
                    .read()
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok()),
                acknowledge.version().get(),
                add_text.version().get(),
                uploaded.get(),
            )
        },
        |(id, _, _, _)| async move {
            match id {
                Some(id) => get_guide(Some(id), None).await,
                None => Err(AppError::NotFound(
                    "Die Dienstanweisung bzw. der Leitfaden".into(),
                )),
            }
        },
    );
    Effect::new(move |_| {
        if acknowledge.version().get() > 0 {
            CommsRefresh::acknowledged();
        }
    });
    view! {
        <Transition fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match guide.await {
                    Ok(Some(detail)) => view! { <Guide detail acknowledge add_text uploaded/> }.into_any(),
                    Ok(None) => view! { <h1>"Dienstanweisung"</h1><ErrorNotice error=AppError::NotFound("Die Dienstanweisung bzw. der Leitfaden".into())/> }.into_any(),
                    Err(error) => view! { <h1>"Dienstanweisung"</h1><ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Where the „?“ leads: the newest guide for the screen, or the honest
/// statement that there is none yet.
#[component]
pub fn ScreenGuidePage() -> impl IntoView {
    let params = use_params_map();
    let acknowledge = ServerAction::<AcknowledgeGuide>::new();
    let add_text = FormAction::<i64>::of::<AddGuideText>();
    let uploaded = RwSignal::new(0u32);
    let screen = move || params.read().get("screen").unwrap_or_default();
    let guide = crate::server_json::resource(
        move || (screen(), acknowledge.version().get()),
        |(screen, _)| get_guide(None, Some(screen)),
    );
    view! {
        <Transition fallback=|| view! { <p>"Wird geladen …"</p> }>
            {move || Suspend::new(async move {
                let label = super::screen_label(&screen()).unwrap_or("diesen Bereich");
                match guide.await {
                    Ok(Some(detail)) => view! { <Guide detail acknowledge add_text uploaded/> }.into_any(),
                    Ok(None) => view! {
                        <Title text=format!("Leitfaden zu {label}")/>
                        <h1>{format!("Leitfaden zu {label}")}</h1>
                        <p class="notice info">{format!("Für „{label}“ gibt es noch keinen Leitfaden. ")}
                            "Fragen Sie gern das Projektteam über „Frage an das Projektteam“ oben rechts."</p>
                        <p><a href="/dienstanweisungen">"Alle Dienstanweisungen und Leitfäden"</a></p>
                    }.into_any(),
                    Err(error) => view! { <h1>"Leitfaden"</h1><ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Guide(
    detail: GuideDetail,
    acknowledge: ServerAction<AcknowledgeGuide>,
    add_text: FormAction<i64>,
    uploaded: RwSignal<u32>,
) -> impl IntoView {
    let id = detail.id;
    let current = detail.versions.first().cloned();
    let older: Vec<VersionView> = detail.versions.iter().skip(1).cloned().collect();
    let kind_label = detail.kind.label();
    let ack_box = detail.ack_version.map(|number| match detail.my_ack.clone() {
        Some(at) => view! { <p class="ack done">{format!("✓ Zur Kenntnis genommen am {at} (gilt ab Version {number})")}</p> }.into_any(),
        None => view! {
            <div class="panel ack">
                <p><strong>"Kenntnisnahme erforderlich. "</strong>"Bitte lesen Sie das Dokument und bestätigen Sie anschließend."</p>
                <button type="button" class="button primary" on:click=move |_| { acknowledge.dispatch(AcknowledgeGuide { id }); }>
                    "Gelesen und zur Kenntnis genommen"
                </button>
            </div>
        }.into_any(),
    });
    let initial = GuideDraft {
        kind: detail.kind.as_str().into(),
        title: detail.title.clone(),
        summary: detail.summary.clone(),
        screens: detail.screens.clone(),
    };
    view! {
        <Title text=detail.title.clone()/>
        <p class="eyebrow"><a href="/dienstanweisungen">"Dienstanweisungen und Leitfäden"</a>{format!(" · {kind_label}")}</p>
        <h1>{detail.title.clone()}</h1>
        {(!detail.summary.is_empty()).then(|| view! { <p class="lead">{detail.summary.clone()}</p> })}
        {(!detail.screens.is_empty()).then(|| view! { <p class="meta">{format!("Gilt für: {}", screen_names(&detail.screens))}</p> })}
        <div role="status" aria-live="polite">
            {move || acknowledge.value().get().map(|r| match r {
                Ok(at) => view! { <p class="notice success">{format!("Vielen Dank – Ihre Kenntnisnahme ist am {at} vermerkt.")}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
        {match current {
            Some(version) => view! { <VersionContent version/> }.into_any(),
            None => view! { <p class="notice info">"Dieses Dokument hat noch keinen Inhalt. Legen Sie unten die erste Version an."</p> }.into_any(),
        }}
        {ack_box}
        {(!older.is_empty()).then(|| view! {
            <details class="versions">
                <summary>{format!("Frühere Versionen ({})", older.len())}</summary>
                <ul>
                    {older.into_iter().map(|v| view! {
                        <li>
                            {format!("Version {} vom {} ({})", v.number, v.created, v.author_name)}
                            {(!v.change_note.is_empty()).then(|| format!(": {}", v.change_note))}
                            {v.file_name.clone().map(|_| view! { " – "<a href=format!("/dienstanweisungen/versionen/{}/datei", v.id)>"PDF herunterladen"</a> })}
                            {v.body_html.clone().map(|html| view! {
                                <details><summary>"Text anzeigen"</summary><div class="markdown" inner_html=html></div></details>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            </details>
        })}
        {detail.ack_stats.clone().map(|rows| view! { <AckStats rows/> })}
        {detail.may_edit.then(|| {
            let body = detail.versions.first().and_then(|v| v.body.clone()).unwrap_or_default();
            view! {
                <NewTextVersion id body add_text/>
                <NewPdfVersion id uploaded/>
                <GuideMetaForm id=Some(id) initial/>
                <DeleteGuideForm id/>
            }
        })}
    }
}

#[component]
fn VersionContent(version: VersionView) -> impl IntoView {
    let meta = format!(
        "Version {} vom {} · {}{}",
        version.number,
        version.created,
        version.author_name,
        if version.change_note.is_empty() {
            String::new()
        } else {
            format!(" · Neu: {}", version.change_note)
        }
    );
    view! {
        <p class="meta">{meta}</p>
        {match (version.body_html.clone(), version.file_name.clone()) {
            (Some(html), _) => view! { <div class="markdown panel" inner_html=html></div> }.into_any(),
            (None, Some(name)) => {
                let href = format!("/dienstanweisungen/versionen/{}/datei", version.id);
                let kb = (version.size.unwrap_or(0) + 1023) / 1024;
                view! {
                    <p class="panel">
                        {format!("PDF-Dokument „{name}“ ({kb} KB): ")}
                        <a href=format!("{href}?ansicht=1") target="_blank" rel="noopener">"im Browser öffnen"<span class="visually-hidden">" (neues Fenster)"</span></a>
                        " · "
                        <a href=href.clone()>"herunterladen"</a>
                    </p>
                }.into_any()
            }
            (None, None) => ().into_any(),
        }}
    }
}

#[component]
fn AckStats(rows: Vec<crate::announcements::MunicipalityStats>) -> impl IntoView {
    view! {
        <section aria-labelledby="guide-ack-stats">
            <h2 id="guide-ack-stats">"Kenntnisnahme je Gemeinde"</h2>
            <table class="data-table">
                <thead><tr><th scope="col">"Gemeinde"</th><th scope="col">"Beschäftigte"</th><th scope="col">"Zur Kenntnis genommen"</th><th scope="col">"Noch offen"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let missing: Vec<String> = row.people.iter().filter(|p| p.acknowledged_at.is_none()).map(|p| p.name.clone()).collect();
                        view! {
                            <tr>
                                <th scope="row">{row.municipality.clone()}</th>
                                <td>{row.counts.addressed}</td>
                                <td>{row.counts.acknowledged}</td>
                                <td>{if missing.is_empty() { "niemand".to_string() } else { missing.join(", ") }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn NewTextVersion(id: i64, body: String, add_text: FormAction<i64>) -> impl IntoView {
    let text = RwSignal::new(body.clone());
    view! {
        <section class="panel" aria-labelledby="guide-text-heading">
            <h2 id="guide-text-heading">"Neue Version als Text"</h2>
            <PostForm action=add_text>
                <input type="hidden" name="id" value=id/>
                <div class="editor-columns">
                    <div class="field">
                        <label for="guide-text">"Text (Markdown)"</label>
                        <textarea id="guide-text" name="body" rows="12" required
                            on:input=move |ev| text.set(event_target_value(&ev))>{body}</textarea>
                    </div>
                    <section class="field preview" aria-labelledby="guide-preview-heading">
                        <h3 id="guide-preview-heading" class="label">"Vorschau"</h3>
                        <MarkdownPreview text/>
                    </section>
                </div>
                <div class="field">
                    <label for="guide-text-note">"Was ist neu?"</label>
                    <input id="guide-text-note" name="change_note" type="text" maxlength="500"/>
                </div>
                <label class="check" for="guide-text-ack">
                    <input id="guide-text-ack" name="requires_ack" type="checkbox" value="true"/>
                    "Kenntnisnahme erforderlich (alle Beschäftigten werden gebeten zu bestätigen)"
                </label>
                <div role="status" aria-live="polite">
                    {move || add_text.value().get().map(|r| match r {
                        Ok(number) => view! { <p class="notice success">{format!("Version {number} ist veröffentlicht.")}</p> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    })}
                </div>
                <button type="submit" class="button primary">"Version veröffentlichen"</button>
            </PostForm>
        </section>
    }
}

/// Uploads a PDF as the next version (the body is the file itself, as for
/// documents; the server checks that it really is a PDF).
#[component]
fn NewPdfVersion(id: i64, uploaded: RwSignal<u32>) -> impl IntoView {
    let message = RwSignal::new(None::<Result<String, String>>);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let note = RwSignal::new(String::new());
    let ack = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let file = file_input
                .get()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            let Some(file) = file else {
                message.set(Some(Err("Bitte wählen Sie eine PDF-Datei aus.".into())));
                return;
            };
            busy.set(true);
            upload_pdf(
                id,
                file,
                note.get_untracked(),
                ack.get_untracked(),
                move |result| {
                    busy.set(false);
                    if result.is_ok() {
                        uploaded.update(|n| *n += 1);
                    }
                    message.set(Some(result));
                },
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, uploaded, file_input);
    };
    view! {
        <section class="panel" aria-labelledby="guide-pdf-heading">
            <h2 id="guide-pdf-heading">"Neue Version als PDF"</h2>
            <form on:submit=submit>
                <div class="field">
                    <label for="guide-pdf">"PDF-Datei"</label>
                    <input id="guide-pdf" type="file" accept="application/pdf,.pdf" node_ref=file_input required/>
                </div>
                <div class="field">
                    <label for="guide-pdf-note">"Was ist neu?"</label>
                    <input id="guide-pdf-note" type="text" maxlength="500"
                        on:input=move |ev| note.set(event_target_value(&ev))/>
                </div>
                <label class="check" for="guide-pdf-ack">
                    <input id="guide-pdf-ack" type="checkbox" on:change=move |ev| ack.set(event_target_checked(&ev))/>
                    "Kenntnisnahme erforderlich"
                </label>
                <div role="status" aria-live="polite">
                    {move || message.get().map(|r| match r {
                        Ok(text) => view! { <p class="notice success">{text}</p> }.into_any(),
                        Err(text) => view! { <p class="notice error">{text}</p> }.into_any(),
                    })}
                </div>
                <button type="submit" class="button primary" disabled=move || busy.get()>"PDF hochladen und veröffentlichen"</button>
            </form>
        </section>
    }
}

#[cfg(feature = "hydrate")]
fn upload_pdf(
    id: i64,
    file: web_sys::File,
    note: String,
    ack: bool,
    done: impl Fn(Result<String, String>) + 'static,
) {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let failed =
        || Err("Die Datei konnte nicht übertragen werden. Bitte erneut versuchen.".to_string());
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        done(failed());
        return;
    };
    let encode = |s: &str| String::from(js_sys::encode_uri_component(s));
    let url = format!(
        "/dienstanweisungen/{id}/pdf?name={}&hinweis={}&kenntnisnahme={}",
        encode(&file.name()),
        encode(&note),
        if ack { "1" } else { "0" }
    );
    let done = std::rc::Rc::new(done);
    let on_load = {
        let xhr = xhr.clone();
        let done = done.clone();
        Closure::<dyn FnMut()>::new(move || {
            let status = xhr.status().unwrap_or(0);
            let body = xhr.response_text().ok().flatten().unwrap_or_default();
            let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            if status == 201 {
                let number = json["version"].as_i64().unwrap_or(0);
                done(Ok(format!("Version {number} (PDF) ist veröffentlicht.")));
            } else {
                done(Err(json["message"]
                    .as_str()
                    .unwrap_or("Die Datei wurde nicht angenommen.")
                    .to_string()));
            }
        })
    };
    let on_error = {
        let done = done.clone();
        Closure::<dyn FnMut()>::new(move || done(failed()))
    };
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // One request, two small closures: leaked rather than tracked.
    on_load.forget();
    on_error.forget();
    let sent = xhr
        .open_with_async("POST", &url, true)
        .and_then(|()| xhr.set_request_header("Accept", "application/json"))
        .and_then(|()| xhr.send_with_opt_blob(Some(&file)));
    if sent.is_err() {
        done(failed());
    }
}

#[component]
fn DeleteGuideForm(id: i64) -> impl IntoView {
    let delete = ServerAction::<DeleteGuide>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/dienstanweisungen", Default::default());
        }
    });
    view! {
        <details class="panel confirm">
            <summary>"Dokument löschen …"</summary>
            <p>"Löscht das Dokument mit allen Versionen und Bestätigungen. Das Protokoll behält den Vorgang."</p>
            <button type="button" class="button danger" on:click=move |_| { delete.dispatch(DeleteGuide { id }); }>
                "Endgültig löschen"
            </button>
            {move || delete.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
        </details>
    }
}
