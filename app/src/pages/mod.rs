//! The pages, one module each.

pub mod auth;
pub mod cashier;
pub mod console;
pub mod invitation;
pub mod isv;
pub mod landing;
pub mod legal;
pub mod marketplace;
pub mod merchant;
pub mod merchant_orders;
pub mod merchant_text;
pub mod mini_programs;
// The open platform's console pages (issue 6).
pub mod my_services;
pub mod open_platform;
pub mod order;
pub mod orders;
pub mod review;
pub mod service_detail;
pub mod service_images;
pub mod services;
pub mod workspace;
// The reviewer's version audit and platform clock (issue 5).
pub mod review_text;
pub mod review_versions;

use crate::error::AppError;
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

/// Why a page could not load its data, in the current language; "Please sign in first" comes
/// with a link to the sign-in page that leads back here.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let sign_in = matches!(error, AppError::Unauthenticated).then(|| {
        let next = leptos_router::hooks::use_location()
            .pathname
            .get_untracked();
        view! {
            " "
            <A href=format!("/sign-in?next={}", encode_path(&next))>{i18n.t(Text::SignInTitle)}</A>
        }
    });
    view! {
        <p class="form-alert" role="alert">
            {move || error.message(i18n.lang())}
            {sign_in}
        </p>
    }
}

/// A numeric route parameter (`:id`) of the current page; 0 (which names nothing) when it is
/// missing or not a number, so the server answers Not Found.
pub fn param_id(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || params.with(|p| p.get(name).and_then(|id| id.parse().ok()).unwrap_or(0))
}

/// A local path as a query value: only the characters a path needs are kept as they are.
pub fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where to go after signing in when a page sent the visitor there: only a path on this site
/// (`/…`, not `//host` or a URL), so the parameter cannot send anyone elsewhere.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?;
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\'))
        .then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_a_local_path_or_nothing() {
        assert_eq!(
            safe_next(Some("/invitations/abc")).as_deref(),
            Some("/invitations/abc")
        );
        assert_eq!(safe_next(Some("//evil.example/x")), None);
        assert_eq!(safe_next(Some("https://evil.example/")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn paths_are_encoded_for_a_query() {
        assert_eq!(encode_path("/invitations/a-b_c"), "/invitations/a-b_c");
        assert_eq!(encode_path("/x?y=1&z"), "/x%3Fy%3D1%26z");
    }
}
