//! `/dokumente/<id>`: one document with preview, metadata, filing,
//! versions (upload, restore) and trash.

use super::list::{german_date, AktePicker};
use super::server_fns::{
    document_history, get_document, BulkDocuments, HistoryEntry, RestoreDocumentVersion,
    SaveDocument,
};
use super::upload::{UploadTarget, Uploader};
use super::{DocType, DocumentDetail, VersionView};
use crate::form_post::{FormAction, PostForm};
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::collections::BTreeSet;

#[component]
pub fn DocumentPage() -> impl IntoView {
    let params = use_params_map();
    // Words of the search that led here, marked in the found text.
    let query = leptos_router::hooks::use_query_map();
    let mark = move || {
        query
            .read()
            .get("markieren")
            .filter(|m| !m.trim().is_empty())
    };
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let save = FormAction::<()>::of::<SaveDocument>();
    let bulk = ServerAction::<BulkDocuments>::new();
    let restore = ServerAction::<RestoreDocumentVersion>::new();
    // The newest uploaded version: the page reloads the document, and the
    // notice (outside the reloaded part) says what happened.
    let uploaded = RwSignal::new(0i64);
    // Every change on the page reloads the document and its history.
    let changes = move || {
        (
            id(),
            save.version().get(),
            bulk.version().get(),
            restore.version().get(),
            uploaded.get(),
        )
    };
    let document = crate::server_json::resource(changes, |(id, ..)| async move {
        match id {
            Some(id) => get_document(id).await,
            None => Err(crate::error::AppError::NotFound("Das Dokument".into())),
        }
    });
    // Created here, outside the loading boundary below (see AkteDocuments).
    let history = crate::server_json::resource(changes, |(id, ..)| async move {
        match id {
            Some(id) => document_history(id).await,
            None => Ok(Vec::new()),
        }
    });
    let follow = crate::postkorb::panel::FollowUpState::new(move || {
        id().map(crate::postkorb::Subject::Document)
    });
    let laufwege = crate::laufwege::panel::LaufwegState::new(id);
    view! {
        <div role="status" aria-live="polite">
            {move || (uploaded.get() > 0).then(|| view! {
                <p class="notice success">{format!("Version {} ist hochgeladen.", uploaded.get())}</p>
            })}
            {move || save.value().get().map(|r| match r {
                Ok(()) => view! { <p class="notice success">"Die Angaben sind gespeichert."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || restore.value().get().map(|r| match r {
                Ok(n) => view! { <p class="notice success">{format!("Die Fassung ist als Version {n} wiederhergestellt.")}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || bulk.value().get().map(|r| match r {
                Ok(_) => view! { <p class="notice success">"Erledigt."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
        </div>
        <Transition fallback=|| view! { <p>"Dokument wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match document.await {
                    Ok(detail) => view! {
                        <Document detail save bulk restore uploaded mark=mark() follow laufwege/>
                        <History history/>
                    }.into_any(),
                    Err(error) => view! {
                        <Title text="Dokument"/>
                        <h1>"Dokument"</h1>
                        <ErrorNotice error/>
                        <p><a href="/posteingang">"Zum Posteingang"</a></p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

fn file_url(id: i64, version: i64, inline: bool) -> String {
    format!(
        "/dokumente/{id}/datei?version={version}{}",
        if inline { "&ansicht=1" } else { "" }
    )
}

#[component]
fn Document(
    detail: DocumentDetail,
    save: FormAction<()>,
    bulk: ServerAction<BulkDocuments>,
    restore: ServerAction<RestoreDocumentVersion>,
    uploaded: RwSignal<i64>,
    mark: Option<String>,
    follow: crate::postkorb::panel::FollowUpState,
    laufwege: crate::laufwege::panel::LaufwegState,
) -> impl IntoView {
    let d = detail.summary.clone();
    let id = d.id;
    let current = detail.versions.first().cloned();
    let newest = current.as_ref().map_or(0, |v| v.number);
    let selected = RwSignal::new(BTreeSet::from([id]));
    let may_edit = detail.may_edit && !detail.trashed;
    let place = match &d.akte {
        Some(akte) => view! {
            <p class="breadcrumbs">"Abgelegt in "<a href=format!("/akten/{}", akte.id)>{format!("{} {}", akte.aktenzeichen, akte.title)}</a></p>
        }
        .into_any(),
        None => view! { <p class="breadcrumbs"><a href="/posteingang">"Posteingang"</a>" (noch nicht abgelegt)"</p> }.into_any(),
    };
    view! {
        <Title text=d.title.clone()/>
        <h1>{d.title.clone()}</h1>
        <crate::guides::link::GuideLink screen="dokument"/>
        {place}
        {detail.trashed.then(|| view! {
            <div class="notice">
                <p>"Dieses Dokument liegt im Papierkorb."</p>
                {detail.may_edit.then(|| view! {
                    <button type="button" class="button" on:click=move |_| {
                        bulk.dispatch(BulkDocuments { ids: vec![id], action: "untrash".into(), value: String::new() });
                    }>"Aus dem Papierkorb holen"</button>
                })}
            </div>
        })}
        {view! {
        <div class="document-layout">
            <section class="document-preview" aria-labelledby="preview-heading">
                <h2 id="preview-heading">"Vorschau"</h2>
                {current.clone().map(|v| preview(id, &d.title, v))}
            </section>
            <div class="document-side">
                <crate::processing::status::TextStatus document_id=id may_edit/>
                {may_edit.then(|| view! { <MetadataForm detail=detail.clone() save/> })}
                {(!may_edit).then(|| view! { <MetadataView detail=detail.clone()/> })}
                {(!detail.linked.is_empty()).then(|| view! {
                    <section aria-labelledby="linked-heading">
                        <h2 id="linked-heading">"Verknüpft"</h2>
                        <ul>{detail.linked.iter().map(|l| view! {
                            <li>
                                {if l.is_message { "E-Mail: " } else { "Anhang: " }}
                                {match l.document_id {
                                    Some(other) => view! { <a href=format!("/dokumente/{other}")>{l.name.clone()}</a> }.into_any(),
                                    None => l.name.clone().into_any(),
                                }}
                                {l.refusal.clone().map(|r| format!(" (nicht übernommen: {r})"))}
                            </li>
                        }).collect_view()}</ul>
                    </section>
                })}
                {(may_edit && d.akte.is_none()).then(|| view! {
                    <crate::ablage::panel::AblagePanel document_id=id file=Callback::new(move |akte: i64| {
                        bulk.dispatch(BulkDocuments { ids: vec![id], action: "file".into(), value: akte.to_string() });
                    })/>
                })}
                {may_edit.then(|| view! {
                    <AktePicker selected action=bulk heading=if d.akte.is_some() { "In andere Akte umlegen" } else { "In Akte ablegen" }/>
                    <button type="button" class="button danger" on:click=move |_| {
                        bulk.dispatch(BulkDocuments { ids: vec![id], action: "trash".into(), value: String::new() });
                    }>"In den Papierkorb"</button>
                })}
            </div>
        </div>
        }.into_any()}
        {(!detail.trashed).then(|| view! {
            <crate::laufwege::panel::LaufwegPanel document_id=id title=d.title.clone() state=laufwege/>
        })}
        {may_edit.then(|| view! {
            <crate::postkorb::panel::FollowUpPanel subject=crate::postkorb::Subject::Document(id) state=follow/>
        })}
        <crate::processing::status::FoundText document_id=id mark=mark/>
        {view! {
        <section aria-labelledby="versions-heading">
            <h2 id="versions-heading">"Versionen"</h2>
            <table class="versions">
                <caption class="visually-hidden">"Alle Versionen, neueste zuerst"</caption>
                <thead><tr>
                    <th scope="col">"Version"</th><th scope="col">"Datei"</th><th scope="col">"Größe"</th>
                    <th scope="col">"Hochgeladen"</th><th scope="col">"Aktionen"</th>
                </tr></thead>
                <tbody>
                    {detail.versions.iter().map(|v| {
                        let number = v.number;
                        view! {
                            <tr>
                                <td>{number}{(!v.note.is_empty()).then(|| view! { <br/><span class="field-hint">{v.note.clone()}</span> })}</td>
                                <td>{v.file_name.clone()}<br/><span class="field-hint">{v.kind_label.clone()}</span></td>
                                <td>{size_label(v.size)}</td>
                                <td>{v.created_at.clone()}<br/><span class="field-hint">{v.created_by.clone()}</span></td>
                                <td class="actions">
                                    {v.previewable.then(|| view! {
                                        <a href=file_url(id, number, true) rel="external" target="_blank">"Ansehen"<span class="visually-hidden">{format!(" (Version {number})")}</span></a>
                                    })}
                                    <a href=file_url(id, number, false) rel="external" download="">"Herunterladen"<span class="visually-hidden">{format!(" (Version {number})")}</span></a>
                                    {(may_edit && number != newest).then(|| view! {
                                        <button type="button" class="button small" on:click=move |_| {
                                            restore.dispatch(RestoreDocumentVersion { id, number });
                                        }>"Wiederherstellen"<span class="visually-hidden">{format!(" (Version {number})")}</span></button>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {may_edit.then(|| view! {
                <Uploader target=UploadTarget::Version(id) on_uploaded=move |version| uploaded.set(version)>
                    ""
                </Uploader>
            })}
        </section>
        }.into_any()}
    }
}

fn size_label(bytes: i64) -> String {
    let bytes = bytes as f64;
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} KB", (bytes / 1024.0).ceil())
    }
}

fn preview(id: i64, title: &str, v: VersionView) -> AnyView {
    let download = view! {
        <p><a class="button primary" href=file_url(id, v.number, false) rel="external" download="">"Herunterladen"</a></p>
    };
    if v.is_image {
        // A server-made preview (TIFF scans included); the full picture
        // only when asked for and only where the browser can show it.
        view! {
            <img class="preview-image" src=format!("/dokumente/{id}/vorschaubild?version={}", v.number) alt=format!("Vorschau: {title}")/>
            {v.previewable.then(|| view! {
                <p><a href=file_url(id, v.number, true) rel="external" target="_blank">"In voller Größe öffnen"</a></p>
            })}
            {download}
        }
        .into_any()
    } else if v.previewable {
        view! {
            <iframe class="preview-frame" src=file_url(id, v.number, true) title=format!("Vorschau: {title}")></iframe>
            {download}
        }
        .into_any()
    } else {
        view! {
            <p>{format!("Für {} gibt es keine Vorschau im Browser.", v.kind_label)}</p>
            {download}
        }
        .into_any()
    }
}

#[component]
fn MetadataForm(detail: DocumentDetail, save: FormAction<()>) -> impl IntoView {
    let d = detail.summary;
    let current_type = d.doc_type;
    view! {
        <section aria-labelledby="meta-heading">
            <h2 id="meta-heading">"Angaben"</h2>
            <PostForm action=save class="stacked-form">
                <input type="hidden" name="id" value=d.id/>
                <label for="m-title">"Titel"</label>
                <input id="m-title" name="meta[title]" type="text" required maxlength="300" value=d.title.clone()/>
                <label for="m-type">"Dokumentart"</label>
                <select id="m-type" name="meta[doc_type]">
                    {DocType::ALL.into_iter().map(|t| view! {
                        <option value=t.as_str() selected=t == current_type>{t.label()}</option>
                    }).collect_view()}
                </select>
                <label for="m-date">"Dokumentdatum"</label>
                <input id="m-date" name="meta[document_date]" type="date" value=d.document_date.clone().unwrap_or_default()/>
                <label for="m-corr">"Absender/Empfänger"</label>
                <input id="m-corr" name="meta[correspondent]" type="text" maxlength="200" value=d.correspondent.clone()/>
                <label for="m-tags">"Schlagwörter (durch Komma getrennt)"</label>
                <input id="m-tags" name="meta[tags]" type="text" value=d.tags.join(", ")/>
                <label for="m-notes">"Notiz"</label>
                <textarea id="m-notes" name="meta[notes]" rows="3" maxlength="5000">{detail.notes.clone()}</textarea>
                <button type="submit" class="button primary">"Angaben speichern"</button>
            </PostForm>
        </section>
    }
}

#[component]
fn MetadataView(detail: DocumentDetail) -> impl IntoView {
    let d = detail.summary;
    view! {
        <section aria-labelledby="meta-heading">
            <h2 id="meta-heading">"Angaben"</h2>
            <dl class="facts">
                <dt>"Dokumentart"</dt><dd>{d.doc_type.label()}</dd>
                <dt>"Dokumentdatum"</dt><dd>{d.document_date.map(|x| german_date(&x)).unwrap_or_else(|| "–".into())}</dd>
                <dt>"Absender/Empfänger"</dt><dd>{if d.correspondent.is_empty() { "–".to_string() } else { d.correspondent }}</dd>
                <dt>"Schlagwörter"</dt><dd>{if d.tags.is_empty() { "–".to_string() } else { d.tags.join(", ") }}</dd>
                <dt>"Notiz"</dt><dd>{if detail.notes.is_empty() { "–".to_string() } else { detail.notes }}</dd>
            </dl>
        </section>
    }
}

#[component]
fn History(
    history: crate::server_json::Loaded<Result<Vec<HistoryEntry>, crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // Only the owning municipality sees the history.
                history.await.ok().filter(|h| !h.is_empty()).map(|entries| view! {
                    <section aria-labelledby="history-heading">
                        <h2 id="history-heading">"Verlauf"</h2>
                        <table class="versions">
                            <caption class="visually-hidden">"Wer hat wann was getan, neueste zuerst"</caption>
                            <thead><tr><th scope="col">"Zeitpunkt"</th><th scope="col">"Person"</th><th scope="col">"Aktion"</th></tr></thead>
                            <tbody>
                                {entries.into_iter().map(|e| view! {
                                    <tr><td>{e.at}</td><td>{e.who}</td><td>{e.what}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                })
            })}
        </Suspense>
    }
}
