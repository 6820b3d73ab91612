//! The Vorgänge of one Akte, on the Akte's page: the list with number,
//! title, state, responsible person and documents, a button to take a
//! Vorgang into work (or back), and the form to open a new one.

use super::server_fns::{list_vorgaenge, OpenVorgang, SetVorgangStatus};
use super::{AkteVorgaenge, VorgangStatus, VorgangSummary};
use crate::error::AppError;
use crate::form_post::{FormAction, PostForm};
use crate::ui::ErrorNotice;
use leptos::prelude::*;

/// What the section needs from its page. The resource must be created at
/// the top of the page, outside its loading boundary, or hydration breaks.
#[derive(Clone, Copy)]
pub struct VorgaengeState {
    pub vorgaenge: crate::server_json::Loaded<Result<AkteVorgaenge, AppError>>,
    pub open: FormAction<crate::vorgaenge::VorgangSummary>,
    pub status: ServerAction<SetVorgangStatus>,
}

impl VorgaengeState {
    /// `akte_id` is read reactively (the page's route parameter).
    pub fn new(akte_id: impl Fn() -> Option<i64> + Send + Sync + 'static) -> VorgaengeState {
        let open = FormAction::<crate::vorgaenge::VorgangSummary>::of::<OpenVorgang>();
        let status = ServerAction::<SetVorgangStatus>::new();
        let vorgaenge = crate::server_json::resource(
            move || (akte_id(), open.version().get(), status.version().get()),
            |(id, ..)| async move {
                match id {
                    Some(id) => list_vorgaenge(id).await,
                    None => Err(AppError::NotFound("Die Akte".into())),
                }
            },
        );
        VorgaengeState {
            vorgaenge,
            open,
            status,
        }
    }
}

#[component]
pub fn AkteVorgaenge(akte_id: i64, state: VorgaengeState) -> impl IntoView {
    let VorgaengeState {
        vorgaenge,
        open,
        status,
    } = state;
    view! {
        <section class="panel" aria-labelledby="vorgaenge-heading">
            <h2 id="vorgaenge-heading">"Vorgänge"</h2>
            <div role="status" aria-live="polite">
                {move || open.value().get().map(|r| match r {
                    Ok(v) => view! { <p class="notice success">{format!("Vorgang {} ist angelegt.", v.zeichen)}</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
                {move || status.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
            </div>
            <Transition fallback=|| view! { <p>"Vorgänge werden geladen …"</p> }>
                {move || Suspend::new(async move {
                    match vorgaenge.await {
                        Ok(data) => view! { <VorgangList data akte_id open status/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn VorgangList(
    data: AkteVorgaenge,
    akte_id: i64,
    open: FormAction<crate::vorgaenge::VorgangSummary>,
    status: ServerAction<SetVorgangStatus>,
) -> impl IntoView {
    let may_open = data.may_open;
    let today = data.today.clone();
    let rows = data.vorgaenge;
    view! {
        {if rows.is_empty() {
            view! { <p>"Diese Akte hat noch keine Vorgänge."</p> }.into_any()
        } else {
            view! {
                <table class="data-table">
                    <caption class="visually-hidden">"Vorgänge dieser Akte"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Zeichen"</th>
                            <th scope="col">"Titel"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Zuständig"</th>
                            <th scope="col">"Angelegt am"</th>
                            <th scope="col">"Dokumente"</th>
                            {may_open.then(|| view! { <th scope="col"><span class="visually-hidden">"Aktion"</span></th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|v| view! { <VorgangRow v may_change=may_open status/> }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {may_open.then(|| view! {
            <PostForm action=open class="inline-form">
                <input type="hidden" name="akte_id" value=akte_id/>
                <label for="vorgang-title">"Neuer Vorgang"</label>
                <input id="vorgang-title" name="title" type="text" required maxlength="300"/>
                <label for="vorgang-date">"Angelegt am"</label>
                <input id="vorgang-date" name="opened_on" type="date" required value=today/>
                <button type="submit" class="button primary small">"Vorgang anlegen"</button>
            </PostForm>
        })}
    }
}

#[component]
fn VorgangRow(
    v: VorgangSummary,
    may_change: bool,
    status: ServerAction<SetVorgangStatus>,
) -> impl IntoView {
    // The one step a row offers: into work, or back to open.
    let next = match v.status {
        VorgangStatus::Open => Some((VorgangStatus::InProgress, "In Bearbeitung nehmen")),
        VorgangStatus::InProgress => Some((VorgangStatus::Open, "Zurück auf offen")),
        VorgangStatus::Closed => None,
    };
    let label = format!("{}: {}", v.zeichen, v.title);
    view! {
        <tr>
            <td><a href=format!("/vorgaenge/{}", v.id)>{v.zeichen.clone()}</a></td>
            <td>{v.title.clone()}</td>
            <td>{v.status.label()}</td>
            <td>{v.responsible.clone()}</td>
            <td>{crate::documents::list::german_date(&v.opened_on)}</td>
            <td>{v.documents}</td>
            {may_change.then(|| view! {
                <td>
                    {next.map(|(to, text)| {
                        let id = v.id;
                        view! {
                            <button type="button" class="button secondary small" aria-label=format!("{text} – {label}")
                                on:click=move |_| { status.dispatch(SetVorgangStatus { id, status: to }); }>{text}</button>
                        }
                    })}
                </td>
            })}
        </tr>
    }
}
