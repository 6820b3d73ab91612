//! The text state on a document's page: updates by itself while extraction
//! or OCR runs, and offers "Text neu erkennen" to the owning municipality.

use super::server_fns::{document_text_state, reprocess_document};
use super::TextState;
use leptos::prelude::*;
use std::time::Duration;

/// How often an unsettled state is asked for again.
const POLL: Duration = Duration::from_millis(1500);

#[component]
pub fn TextStatus(document_id: i64, may_edit: bool) -> impl IntoView {
    let state = RwSignal::new(None::<Result<TextState, crate::error::AppError>>);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            state.set(Some(document_text_state(document_id).await));
        });
    };
    // Client only: the first answer arrives right after hydration, then the
    // state is polled until it settles.
    Effect::new(move |_| refresh());
    Effect::new(move |_| {
        let settled = matches!(state.get(), Some(Ok(ref s)) if s.is_settled())
            || matches!(state.get(), Some(Err(_)));
        if !settled {
            if let Ok(handle) = set_interval_with_handle(refresh, POLL) {
                on_cleanup(move || handle.clear());
            }
        }
    });
    let busy = RwSignal::new(false);
    let reprocess = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            state.set(Some(reprocess_document(document_id).await));
            busy.set(false);
        });
    };
    view! {
        <section class="text-status" aria-labelledby="text-status-heading" data-tour="texterkennung">
            <h2 id="text-status-heading">"Texterkennung und Suche"</h2>
            <p role="status" aria-live="polite" class="text-state"
                data-state=move || match state.get() {
                    Some(Ok(s)) => s.key(),
                    Some(Err(_)) => "fehler",
                    None => "laedt",
                }
            >
                {move || match state.get() {
                    None => view! { <span>"Stand wird geladen …"</span> }.into_any(),
                    Some(Err(error)) => view! { <span class="error-text">{error.to_string()}</span> }.into_any(),
                    Some(Ok(s)) => {
                        let detail = s.detail();
                        view! {
                            <span class="text-state-label">{s.label()}</span>
                            {detail.map(|d| view! { <span class="text-state-detail">{d}</span> })}
                        }
                            .into_any()
                    }
                }}
            </p>
            {move || {
                let offer = may_edit
                    && matches!(
                        state.get(),
                        Some(Ok(TextState::Failed { .. } | TextState::Searchable { .. }))
                    );
                offer.then(|| view! {
                    <button type="button" class="button secondary small" on:click=reprocess
                        disabled=move || busy.get()>
                        "Text neu erkennen"
                    </button>
                })
            }}
        </section>
    }
}

/// The text extraction or OCR found, with the words of the search that led
/// here marked (`?markieren=` in the address). Loaded in the browser: it can
/// be long, and the page is useful before it arrives.
#[component]
pub fn FoundText(document_id: i64, mark: Option<String>) -> impl IntoView {
    use super::server_fns::document_found_text;
    let text = RwSignal::new(
        None::<Result<Option<super::server_fns::FoundTextView>, crate::error::AppError>>,
    );
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            text.set(Some(document_found_text(document_id).await));
        });
    });
    let stems = crate::search::marking_stems(mark.as_deref().unwrap_or_default());
    let open = mark.is_some();
    // Bring the first marked word into view once the text is there.
    Effect::new(move |_| {
        if matches!(text.get(), Some(Ok(Some(_)))) && open {
            #[cfg(feature = "hydrate")]
            request_animation_frame(|| {
                if let Some(first) = document().query_selector(".found-text mark").ok().flatten() {
                    first.scroll_into_view();
                }
            });
        }
    });
    view! {
        <details class="found-text-box" open=open data-tour="erkannter-text">
            <summary>"Erkannter Text"</summary>
            {move || match text.get() {
                None => view! { <p>"Text wird geladen …"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="error-text">{error.to_string()}</p> }.into_any(),
                Some(Ok(None)) => view! { <p>"Noch kein Text vorhanden."</p> }.into_any(),
                Some(Ok(Some(found))) if found.text.trim().is_empty() => {
                    view! { <p>"In diesem Dokument wurde kein Text gefunden."</p> }.into_any()
                }
                Some(Ok(Some(found))) => {
                    let truncated = found.truncated;
                    let pieces = crate::search::mark_words(&found.text, &stems);
                    view! {
                        <div class="found-text" tabindex="0" role="region" aria-label="Erkannter Text">
                            {pieces.into_iter().map(|f| if f.marked {
                                view! { <mark>{f.text}</mark> }.into_any()
                            } else {
                                f.text.into_any()
                            }).collect_view()}
                        </div>
                        {truncated.then(|| view! { <p class="hint">"Gekürzt: Der vollständige Text ist durchsuchbar, hier werden die ersten 100.000 Zeichen gezeigt."</p> })}
                    }.into_any()
                }
            }}
        </details>
    }
}
