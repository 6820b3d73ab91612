//! `/akten/<id>`: one Akte.

use super::server_fns::get_akte;
use crate::shell::components::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AktePage() -> impl IntoView {
    let params = use_params_map();
    let akte = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok())
        },
        |id| async move {
            match id {
                Some(id) => get_akte(id).await,
                None => Err(crate::error::AppError::NotFound("Die Akte".into())),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p>"Akte wird geladen …"</p> }>
            {move || Suspend::new(async move {
                match akte.await {
                    Ok((akte, path)) => {
                        let position = path.last().cloned();
                        view! {
                            <Title text=akte.aktenzeichen.clone()/>
                            <p class="eyebrow">{akte.aktenzeichen.clone()}</p>
                            <h1>{akte.title.clone()}</h1>
                            <dl class="facts panel">
                                <dt>"Aktenzeichen"</dt><dd>{akte.aktenzeichen.clone()}</dd>
                                <dt>"Aktenplan"</dt>
                                <dd>{position.map(|p| view! {
                                    <a href=format!("/aktenplan/{}", p.code)>{format!("{} {}", p.code, p.title)}</a>
                                })}</dd>
                                <dt>"Status"</dt><dd>{akte.status.label()}</dd>
                                <dt>"Angelegt am"</dt><dd>{akte.opened_on.clone()}</dd>
                                <dt>"Zuständig"</dt><dd>{akte.responsible.clone()}</dd>
                            </dl>
                        }.into_any()
                    }
                    Err(error) => view! { <h1>"Akte"</h1><ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
