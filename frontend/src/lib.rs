//! Browser entry point. Everything else lives in the `app` crate; keeping this
//! crate tiny means the server build never compiles a `cdylib`.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
