//! The browser entry point: hydrates the server-rendered page. Nothing else lives here.
// The app's view and route types nest deeply; the release build of the client needs more room
// than the default 128 to name them.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
