//! Browser entry point. Everything else lives in the `app` crate; keeping this
//! crate tiny means the server build never compiles a `cdylib`.

// The page types of a full app nest deeply; a cold build (no incremental
// cache) otherwise hits the default query depth of 128.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // What `leptos::mount::hydrate_lazy` does (lazy pages hydrate once their
    // WASM module has arrived), and then the marker.
    wasm_bindgen_futures::spawn_local(async {
        let page = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App).await;
        page.forget();
        mark_hydrated();
    });
}

/// `<html data-hydrated="true">`: the whole page reacts now, a lazy page's
/// module included. Browser tests wait for it before they click; the
/// layout alone being hydrated is not enough.
fn mark_hydrated() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
