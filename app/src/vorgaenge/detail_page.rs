//! `/vorgaenge/<id>`: one Vorgang with its documents; drop files onto it
//! to file them in, take it into work, and close it ("zu den Akten").

use super::server_fns::{get_vorgang, CloseVorgang, SetVorgangStatus};
use super::{VorgangDetail, VorgangStatus};
use crate::documents::akte_section::{VorgangDocuments, VorgangDocumentsState};
use crate::documents::list::german_date;
use crate::error::AppError;
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn VorgangPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let close = ServerAction::<CloseVorgang>::new();
    let status = ServerAction::<SetVorgangStatus>::new();
    // Not a key of the Vorgang itself: reloading it on every upload would
    // rebuild the upload area and lose its progress list.
    let documents = VorgangDocumentsState::new(id);
    let follow = crate::postkorb::panel::FollowUpState::new(move || {
        id().map(crate::postkorb::Subject::Vorgang)
    });
    let vorgang = crate::server_json::resource(
        move || (id(), close.version().get(), status.version().get()),
        |(id, ..)| async move {
            match id {
                Some(id) => get_vorgang(id).await,
                None => Err(AppError::NotFound("Der Vorgang".into())),
            }
        },
    );
    view! {
        <div role="status" aria-live="polite">
            {move || close.value().get().map(|r| match r {
                Ok(Some(until)) => view! { <p class="notice success">{format!("Der Vorgang ist zu den Akten verfügt. Aufbewahrung bis {}.", german_date(&until))}</p> }.into_any(),
                Ok(None) => view! { <p class="notice success">"Der Vorgang ist zu den Akten verfügt und wird dauernd aufbewahrt."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || status.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
        </div>
        <Transition fallback=|| view! { <p>"Vorgang wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match vorgang.await {
                    Ok(detail) => view! { <Vorgang detail close status documents follow/> }.into_any(),
                    Err(error) => view! { <h1>"Vorgang"</h1><ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Vorgang(
    detail: VorgangDetail,
    close: ServerAction<CloseVorgang>,
    status: ServerAction<SetVorgangStatus>,
    documents: VorgangDocumentsState,
    follow: crate::postkorb::panel::FollowUpState,
) -> impl IntoView {
    let v = detail.vorgang.clone();
    let id = v.id;
    let akte = detail.akte.clone();
    let is_closed = v.status == VorgangStatus::Closed;
    let may_work = detail.may_change && !is_closed;
    let open_for_filing = !is_closed && detail.akte_open;
    // The zdA form dispatches from these fields (no form data to parse in
    // the browser).
    let (closed_on, cancel_waiting) = (RwSignal::new(detail.today.clone()), RwSignal::new(false));
    let on_close = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        close.dispatch(CloseVorgang {
            id,
            closed_on: closed_on.get_untracked(),
            cancel_waiting: cancel_waiting.get_untracked().then(|| "ja".to_string()),
        });
    };
    let next = match v.status {
        VorgangStatus::Open => Some((VorgangStatus::InProgress, "In Bearbeitung nehmen")),
        VorgangStatus::InProgress => Some((VorgangStatus::Open, "Zurück auf offen")),
        VorgangStatus::Closed => None,
    };
    view! {
        <Title text=v.zeichen.clone()/>
        <p class="breadcrumbs">
            "Vorgang in der Akte "
            <a href=format!("/akten/{}", akte.id)>{format!("{} {}", akte.aktenzeichen, akte.title)}</a>
        </p>
        <p class="eyebrow">{v.zeichen.clone()}</p>
        <h1>{v.title.clone()}</h1>
        <dl class="facts panel">
            <dt>"Zeichen"</dt><dd>{v.zeichen.clone()}</dd>
            <dt>"Status"</dt><dd>{v.status.label()}</dd>
            <dt>"Zuständig"</dt><dd>{v.responsible.clone()}</dd>
            <dt>"Angelegt am"</dt><dd>{german_date(&v.opened_on)}</dd>
            <dt>"Aufbewahrung"</dt><dd>{detail.retention.clone()}</dd>
            {v.closed_on.clone().map(|closed| view! {
                <dt>"zdA am"</dt><dd>{german_date(&closed)}</dd>
                <dt>"Aufbewahren bis"</dt>
                <dd>{detail.retention_until.clone().map(|d| german_date(&d)).unwrap_or_else(|| "dauernd".into())}</dd>
            })}
        </dl>
        {(may_work).then(|| next.map(|(to, text)| view! {
            <p>
                <button type="button" class="button secondary"
                    on:click=move |_| { status.dispatch(SetVorgangStatus { id, status: to }); }>{text}</button>
            </p>
        }))}
        {may_work.then(|| view! {
            <crate::postkorb::panel::FollowUpPanel subject=crate::postkorb::Subject::Vorgang(id) state=follow/>
        })}
        <crate::search::page::ScopedSearch scope="vorgang" value=id.to_string() label="In diesem Vorgang suchen"/>
        <VorgangDocuments vorgang_id=id akte_id=akte.id open=open_for_filing state=documents/>
        {may_work.then(|| view! {
            <section class="panel" aria-labelledby="zda-heading">
                <h2 id="zda-heading">"Zu den Akten verfügen (zdA)"</h2>
                <p>"Ist die Arbeit erledigt, wird der Vorgang zu den Akten verfügt. Danach bleibt er lesbar, es kann aber nichts mehr abgelegt werden. Die Aufbewahrungsfrist beginnt."</p>
                <form class="inline-form" on:submit=on_close>
                    <label for="zda-date">"zdA am"</label>
                    <input id="zda-date" type="date" required min=v.opened_on.clone()
                        prop:value=closed_on on:input=move |ev| closed_on.set(event_target_value(&ev))/>
                    // Offered once the refusal has said what still waits.
                    {move || matches!(close.value().get(), Some(Err(AppError::Conflict(_)))).then(|| view! {
                        <div class="checkbox">
                            <input id="zda-cancel" type="checkbox" prop:checked=cancel_waiting
                                on:change=move |ev| cancel_waiting.set(event_target_checked(&ev))/>
                            <label for="zda-cancel">"Offene Wiedervorlagen und Laufwege dabei abbrechen"</label>
                        </div>
                    })}
                    <button type="submit" class="button primary small">"Zu den Akten verfügen"</button>
                </form>
            </section>
        })}
    }
}
