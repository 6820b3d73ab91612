//! „Frage an das Projektteam“: the button in the header of every page and
//! its dialog. The page the question is asked on travels with it.

use super::server_fns::AskQuestion;
use crate::announcements::header::CommsRefresh;
use crate::ui::ErrorNotice;
use leptos::html::Dialog;
use leptos::prelude::*;

#[component]
pub fn AskButton() -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let location = leptos_router::hooks::use_location();
    let page = Memo::new(move |_| {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    });
    let open = move |_| {
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let close = move || {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    view! {
        <button type="button" class="button secondary small ask-button" aria-haspopup="dialog" on:click=open>
            "Frage an das Projektteam"
        </button>
        <dialog node_ref=dialog class="ask-dialog" aria-labelledby="ask-dialog-heading">
            <AskForm page close/>
        </dialog>
    }
}

/// The form inside the dialog; after sending it says where the answer
/// will appear.
#[component]
fn AskForm(page: Memo<String>, close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ask = ServerAction::<AskQuestion>::new();
    let text = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = ask.value().get() {
            text.set(String::new());
            CommsRefresh::bump();
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        ask.dispatch(AskQuestion {
            text: text.get_untracked(),
            page_path: page.get_untracked(),
        });
    };
    let finish = move |_| {
        ask.value().set(None);
        close();
    };
    view! {
        <h2 id="ask-dialog-heading">"Frage an das Projektteam"</h2>
        {move || match ask.value().get() {
            Some(Ok(id)) => view! {
                <div role="status" class="notice success">
                    <p>"Ihre Frage ist beim Projektteam angekommen. Die Antwort sehen Sie unter „Fragen“; im Kopfbereich erscheint ein Hinweis, sobald sie da ist."</p>
                    <p><a href=format!("/fragen/{id}")>"Zur Frage"</a></p>
                </div>
                <button type="button" class="button primary" on:click=finish>"Schließen"</button>
            }.into_any(),
            _ => view! {
                <form on:submit=submit>
                    <p class="hint">{move || format!("Mit Ihrer Frage wird die Seite „{}“ übermittelt, damit das Projektteam weiß, worum es geht.", page.get())}</p>
                    <div class="field">
                        <label for="ask-text">"Ihre Frage"</label>
                        <textarea id="ask-text" rows="6" required maxlength="4000"
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    </div>
                    <div role="status" aria-live="polite">
                        {move || ask.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error/> })}
                    </div>
                    <p class="actions">
                        <button type="submit" class="button primary" disabled=move || ask.pending().get()>"Frage senden"</button>
                        " "
                        <button type="button" class="button secondary" on:click=move |_| close()>"Abbrechen"</button>
                    </p>
                </form>
            }.into_any(),
        }}
    }
}
