//! Forms that post their fields to a server function as they stand, the
//! way a browser without JavaScript would, and read the JSON answer.
//!
//! Leptos' `ActionForm` turns the form's fields into the server function's
//! typed arguments in the browser, with a `serde_qs` reader compiled per
//! type: about 90 KB of the WASM bundle for 19 forms. Here the browser
//! sends the fields url-encoded (the server reads them as it reads any
//! call) and only the answer is typed, through the one JSON reader
//! ([`crate::server_json`]). [`FormAction`] offers what pages used of a
//! `ServerAction`: `value`, `version` and `pending`.

use crate::error::AppError;
use leptos::prelude::*;

/// The state of a form's server function: its last answer, how many
/// successful answers came (resources key on it to load again; after a
/// refusal nothing changed, and the form keeps what was typed) and whether
/// one is awaited.
pub struct FormAction<O: Send + Sync + 'static> {
    url: &'static str,
    value: RwSignal<Option<Result<O, AppError>>>,
    version: RwSignal<usize>,
    pending: RwSignal<bool>,
}

impl<O: Send + Sync + 'static> Clone for FormAction<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O: Send + Sync + 'static> Copy for FormAction<O> {}

impl<O: Send + Sync + 'static> FormAction<O> {
    /// For the server function at `url` (its `ServerFn::PATH`).
    pub fn new(url: &'static str) -> FormAction<O> {
        FormAction {
            url,
            value: RwSignal::new(None),
            version: RwSignal::new(0),
            pending: RwSignal::new(false),
        }
    }

    /// For the server function `S`.
    pub fn of<S: leptos::server_fn::ServerFn>() -> FormAction<O> {
        FormAction::new(S::PATH)
    }

    pub fn value(&self) -> RwSignal<Option<Result<O, AppError>>> {
        self.value
    }

    pub fn version(&self) -> RwSignal<usize> {
        self.version
    }

    pub fn pending(&self) -> RwSignal<bool> {
        self.pending
    }
}

/// A `<form>` posting to `action`'s server function; without JavaScript
/// the browser posts it itself.
#[component]
pub fn PostForm<O>(
    action: FormAction<O>,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView
where
    O: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        send(action, &ev);
    };
    view! {
        <form method="post" action=action.url class=class on:submit=on_submit>
            {children()}
        </form>
    }
}

#[cfg(feature = "hydrate")]
fn send<O>(action: FormAction<O>, ev: &leptos::ev::SubmitEvent)
where
    O: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let answer = move |result: Result<O, AppError>| {
        let done = result.is_ok();
        action.pending.set(false);
        action.value.set(Some(result));
        if done {
            action.version.update(|n| *n += 1);
        }
    };
    let body = ev
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok())
        .and_then(|form| web_sys::FormData::new_with_form(&form).ok())
        .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok())
        .map(|params| String::from(params.to_string()));
    let (Some(body), Ok(xhr)) = (body, web_sys::XmlHttpRequest::new()) else {
        answer(Err(AppError::Communication));
        return;
    };
    let on_load = {
        let xhr = xhr.clone();
        Closure::<dyn FnMut()>::new(move || {
            let status = xhr.status().unwrap_or(0);
            let text = xhr.response_text().ok().flatten().unwrap_or_default();
            let result = if (200..300).contains(&status) {
                crate::server_json::read::<O>(&text).map_err(|_| AppError::Communication)
            } else {
                Err(crate::server_json::read::<AppError>(&text).unwrap_or(AppError::Communication))
            };
            answer(result);
        })
    };
    let on_error = Closure::<dyn FnMut()>::new(move || answer(Err(AppError::Communication)));
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // One request, two small closures: leaked rather than tracked.
    on_load.forget();
    on_error.forget();
    action.pending.set(true);
    let sent = xhr
        .open_with_async("POST", action.url, true)
        .and_then(|()| xhr.set_request_header("Content-Type", "application/x-www-form-urlencoded"))
        .and_then(|()| xhr.set_request_header("Accept", "application/json"))
        .and_then(|()| xhr.send_with_opt_str(Some(&body)));
    if sent.is_err() {
        answer(Err(AppError::Communication));
    }
}
