//! The live preview beside the project team's Markdown editors
//! (announcements, guide texts): the server renders it with the one
//! renderer ([`crate::markdown::render`]) a moment after the author stops typing, so
//! the preview is exactly what readers will see and the browser bundle
//! carries no Markdown parser.

use crate::error::AppError;
use crate::ui::ErrorNotice;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// How long the text must rest before the preview asks again: one request
/// per pause, not per keystroke.
#[cfg(feature = "hydrate")]
const PAUSE: std::time::Duration = std::time::Duration::from_millis(300);

/// Renders Markdown as a published text would show it. Only the project
/// team writes Markdown, so only it may ask; text over the limit is refused
/// with the message saving it would give.
#[server(prefix = "/api", endpoint = "preview_markdown", output = crate::server_json::Json)]
pub async fn preview_markdown(text: String) -> Result<String, AppError> {
    crate::error::with_status(
        async {
            require(Rule::ProjectTeam)?;
            crate::markdown::check_length(&text, "Der Text")?;
            Ok(crate::markdown::render(&text))
        }
        .await,
    )
}

/// The rendered `text`, in a `div.markdown.panel`: the first preview as
/// soon as the page is live, then one after each pause in typing. The
/// server renders the panel empty, so the page hydrates without waiting
/// for it; the last preview stays while the next one loads.
#[component]
pub fn MarkdownPreview(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let html = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    #[cfg(feature = "hydrate")]
    {
        use leptos::leptos_dom::helpers::{set_timeout_with_handle, TimeoutHandle};
        let pending = StoredValue::new_local(None::<TimeoutHandle>);
        // The number of the newest request: an answer to an older one that
        // arrives after it is dropped.
        let newest = StoredValue::new(0u64);
        let ask = move |current: String| {
            let number = newest.get_value() + 1;
            newest.set_value(number);
            leptos::task::spawn_local(async move {
                let answer = preview_markdown(current).await;
                if newest.try_get_value() != Some(number) {
                    return;
                }
                match answer {
                    Ok(rendered) => {
                        html.try_set(rendered);
                        error.try_set(None);
                    }
                    Err(refused) => {
                        error.try_set(Some(refused));
                    }
                }
            });
        };
        Effect::new(move |previous: Option<()>| {
            let current = text.get();
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            if previous.is_none() {
                ask(current);
                return;
            }
            pending.set_value(set_timeout_with_handle(move || ask(current), PAUSE).ok());
        });
    }
    // Only the browser follows the text; the server renders the panel empty.
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
    view! {
        <div class="markdown panel" inner_html=move || html.get()></div>
        {move || error.get().map(|error| view! { <ErrorNotice error/> })}
    }
}
