//! `/akten/<id>`: one Akte, with closing (zdA) and sharing with another
//! municipality.

use super::server_fns::{get_akte, CloseAkte, ShareAkte};
use super::{AkteDetail, AkteStatus};
use crate::documents::akte_section::{AkteDocuments, AkteDocumentsState};
use crate::form_post::{FormAction, PostForm};
use crate::ui::ErrorNotice;
use crate::vorgaenge::page::{AkteVorgaenge, VorgaengeState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AktePage() -> impl IntoView {
    let params = use_params_map();
    let close = ServerAction::<CloseAkte>::new();
    let share = FormAction::<()>::of::<ShareAkte>();
    let akte = crate::server_json::resource(
        move || {
            (
                params
                    .read()
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok()),
                close.version().get(),
                share.version().get(),
            )
        },
        |(id, _, _)| async move {
            match id {
                Some(id) => get_akte(id).await,
                None => Err(crate::error::AppError::NotFound("Die Akte".into())),
            }
        },
    );
    let documents = AkteDocumentsState::new(move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    });
    // The Vorgänge count their documents: reload them as documents move.
    let vorgaenge = VorgaengeState::new(move || {
        documents.changes();
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    });
    view! {
        <div role="status" aria-live="polite">
            {move || close.value().get().map(|r| match r {
                Ok(Some(until)) => view! { <p class="notice success">{format!("Die Akte ist geschlossen. Aufbewahrung bis {until}.")}</p> }.into_any(),
                Ok(None) => view! { <p class="notice success">"Die Akte ist geschlossen und wird dauernd aufbewahrt."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || share.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
        </div>
        <Transition fallback=|| view! { <p>"Akte wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match akte.await {
                    Ok(detail) => view! { <Akte detail close share documents vorgaenge/> }.into_any(),
                    Err(error) => view! { <h1>"Akte"</h1><ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Akte(
    detail: AkteDetail,
    close: ServerAction<CloseAkte>,
    share: FormAction<()>,
    documents: AkteDocumentsState,
    vorgaenge: VorgaengeState,
) -> impl IntoView {
    let akte = detail.akte.clone();
    let position = detail.path.last().cloned();
    let open = akte.status == AkteStatus::Open;
    let closed_on = RwSignal::new(detail.today.clone());
    let id = akte.id;
    let shared = if detail.shared_with.is_empty() {
        "niemandem".to_string()
    } else {
        detail
            .shared_with
            .iter()
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <Title text=akte.aktenzeichen.clone()/>
        <p class="eyebrow">{akte.aktenzeichen.clone()}</p>
        <h1>{akte.title.clone()}</h1>
        <crate::guides::link::GuideLink screen="akte"/>
        <dl class="facts panel">
            <dt>"Aktenzeichen"</dt><dd>{akte.aktenzeichen.clone()}</dd>
            <dt>"Aktenplan"</dt>
            <dd>{position.map(|p| view! {
                <a href=format!("/aktenplan/{}", p.code)>{format!("{} {}", p.code, p.title)}</a>
            })}</dd>
            <dt>"Gemeinde"</dt><dd>{detail.owner.clone()}</dd>
            <dt>"Status"</dt><dd>{akte.status.label()}</dd>
            <dt>"Angelegt am"</dt><dd>{akte.opened_on.clone()}</dd>
            <dt>"Zuständig"</dt><dd>{akte.responsible.clone()}</dd>
            <dt>"Aufbewahrung"</dt><dd>{detail.retention.clone()}</dd>
            {detail.closed_on.clone().map(|closed| view! { <dt>"Geschlossen am"</dt><dd>{closed}</dd> })}
            {(!open).then(|| view! {
                <dt>"Aufbewahren bis"</dt>
                <dd>{detail.retention_until.clone().unwrap_or_else(|| "dauernd".into())}</dd>
            })}
            <dt>"Freigegeben für"</dt><dd>{shared}</dd>
        </dl>
        <crate::search::page::ScopedSearch scope="akte" value=id.to_string() label="In dieser Akte suchen"/>
        <AkteVorgaenge akte_id=id state=vorgaenge/>
        <AkteDocuments akte_id=id open state=documents vorgaenge=vorgaenge.vorgaenge/>
        {(detail.is_owner && open).then(|| view! {
            <section class="panel" aria-labelledby="close-heading">
                <h2 id="close-heading">"Akte schließen (zdA)"</h2>
                <p>"Mit dem Schließen beginnt die Aufbewahrungsfrist. Die Akte bleibt lesbar."</p>
                <form class="inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    close.dispatch(CloseAkte { id, closed_on: closed_on.get_untracked() });
                }>
                    <label for="close-date">"Geschlossen am"</label>
                    <input id="close-date" type="date" required
                        prop:value=closed_on on:input=move |ev| closed_on.set(event_target_value(&ev))/>
                    <button type="submit" class="button primary small">"Akte schließen"</button>
                </form>
            </section>
        })}
        {(detail.is_owner && !detail.share_candidates.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="share-heading">
                <h2 id="share-heading">"Für eine andere Gemeinde freigeben"</h2>
                <p>"Für die interkommunale Zusammenarbeit: Die gewählte Gemeinde kann diese Akte sehen."</p>
                <PostForm action=share class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="shared" value="true"/>
                    <label for="share-municipality">"Gemeinde"</label>
                    <select id="share-municipality" name="municipality_id">
                        {detail.share_candidates.iter().map(|m| view! { <option value=m.id>{m.name.clone()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button secondary small">"Freigeben"</button>
                </PostForm>
            </section>
        })}
    }
}
