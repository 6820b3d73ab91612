//! The search field in the header of every page: suggestions while typing
//! (an ARIA combobox), Enter opens the results page, and the key `/` jumps
//! into the field from anywhere on the page.

use super::server_fns::suggest_documents;
use super::Suggestion;
use leptos::prelude::*;

const INPUT_ID: &str = "kopf-suche";
const LIST_ID: &str = "kopf-suche-vorschlaege";

#[component]
pub fn HeaderSearch() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let suggestions = RwSignal::new(Vec::<Suggestion>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let asked = StoredValue::new(0_u64);
    let input_ref = NodeRef::<leptos::html::Input>::new();

    // `/` anywhere (outside fields) focuses the search, as on many sites.
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |event| {
            if event.key() != "/" || event.ctrl_key() || event.meta_key() || event.alt_key() {
                return;
            }
            use wasm_bindgen::JsCast;
            let typing = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                        || el.is_content_editable()
                });
            if typing {
                return;
            }
            if let Some(input) = input_ref.get_untracked() {
                event.prevent_default();
                let _ = input.focus();
                input.select();
            }
        });
        on_cleanup(move || handle.remove());
    }

    let on_input = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        text.set(value.clone());
        active.set(None);
        let ticket = asked.get_value() + 1;
        asked.set_value(ticket);
        if value.trim().chars().count() < 2 {
            suggestions.set(Vec::new());
            open.set(false);
            return;
        }
        leptos::task::spawn_local(async move {
            let found = suggest_documents(value).await.unwrap_or_default();
            // Typing fast sends several requests; only the newest counts.
            // A page change may have removed the field meanwhile.
            if asked.try_get_value() == Some(ticket) {
                open.try_set(!found.is_empty());
                suggestions.try_set(found);
            }
        });
    };
    let navigate = leptos_router::hooks::use_navigate();
    let go_to = Callback::new(move |document_id: i64| {
        open.set(false);
        navigate(&format!("/dokumente/{document_id}"), Default::default());
    });
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        let count = suggestions.with_untracked(Vec::len);
        match event.key().as_str() {
            "ArrowDown" if count > 0 => {
                event.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                event.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Escape" => {
                open.set(false);
                active.set(None);
            }
            "Enter" => {
                if let (true, Some(i)) = (open.get_untracked(), active.get_untracked()) {
                    if let Some(s) = suggestions.with_untracked(|list| list.get(i).cloned()) {
                        event.prevent_default();
                        go_to.run(s.document_id);
                    }
                }
            }
            _ => {}
        }
    };
    view! {
        <form method="get" action="/suche" role="search" class="header-search" data-tour="suche">
            <label for=INPUT_ID class="visually-hidden">"Dokumente durchsuchen"</label>
            <input
                id=INPUT_ID
                node_ref=input_ref
                name="q"
                type="search"
                autocomplete="off"
                spellcheck="false"
                placeholder="Suchen … (Taste /)"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=LIST_ID
                aria-expanded=move || open.get().to_string()
                aria-activedescendant=move || active.get().map(|i| format!("{LIST_ID}-{i}"))
                aria-keyshortcuts="/"
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
                on:blur=move |_| {
                    // Let a click on a suggestion land before the list closes.
                    set_timeout(move || open.set(false), std::time::Duration::from_millis(200));
                }
            />
            <button type="submit" class="button small">"Suchen"</button>
            <ul id=LIST_ID role="listbox" class="suggestions" aria-label="Vorschläge" hidden=move || !open.get()>
                {move || suggestions.get().into_iter().enumerate().map(|(i, s)| {
                    let id = s.document_id;
                    view! {
                        <li
                            id=format!("{LIST_ID}-{i}")
                            role="option"
                            aria-selected=move || (active.get() == Some(i)).to_string()
                            class:active=move || active.get() == Some(i)
                            on:mousedown=move |event| {
                                event.prevent_default();
                                go_to.run(id);
                            }
                        >
                            <span class="suggestion-title">{s.title}</span>
                            {s.aktenzeichen.map(|az| view! { <span class="suggestion-az">{az}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </form>
    }
}
