//! The pages, one module each.

pub mod auth;
pub mod console;
pub mod landing;
pub mod legal;
pub mod marketplace;
pub mod merchant;

use crate::i18n::{use_i18n, Text};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The document title: "Page · Service Market", or the product name alone; follows the language.
#[component]
pub fn PageTitle(#[prop(optional)] page: Option<Text>) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let lang = i18n.lang();
        let product = Text::ProductName.get(lang);
        match page {
            Some(page) => format!("{} · {product}", page.get(lang)),
            None => product.to_owned(),
        }
    };
    view! { <Title text=text /> }
}

/// Shown for any path no page claims; the server answers it with 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <PageTitle page=Text::PageNotFound />
        <section class="not-found">
            <h1>{i18n.t(Text::PageNotFound)}</h1>
            <A href="/">{i18n.t(Text::BackHome)}</A>
        </section>
    }
}
