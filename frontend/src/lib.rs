//! Browser entry point. Everything else lives in the `app` crate; keeping this
//! crate tiny means the server build never compiles a `cdylib`.

// The page types of a full app nest deeply; a cold build (no incremental
// cache) otherwise hits the default query depth of 128.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
