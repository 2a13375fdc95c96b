//! Service Market's shared crate: the domain, the pages, and the server functions behind them.
//! Compiled twice: for the server (`ssr`) and for the browser (`hydrate`).

// The pages' view types nest deeply; the wasm release build needs more room than the
// default 128 to lay them out.
#![recursion_limit = "256"]

pub mod auth;
pub mod catalog;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod onboarding;
pub mod open;
pub mod ordering;
pub mod orders;
pub mod pages;
pub mod services;

#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod timers;

use i18n::{initial_lang, provide_i18n, use_i18n, LanguageSwitch, Text};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = initial_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = provide_i18n(initial_lang());
    pages::auth::provide_session();
    // Effects run only in the browser: this marks the moment the client took over the page.
    Effect::new(move |_| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/service-market.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="description" content=i18n.t(Text::Tagline) />
        <Router>
            <Header />
            <main id="main">
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::landing::LandingPage />
                    <Route path=path!("/market") view=pages::marketplace::MarketplacePage />
                    <Route path=path!("/sign-up") view=pages::auth::SignUpPage />
                    <Route path=path!("/sign-in") view=pages::auth::SignInPage />
                    <Route path=path!("/forgot-password") view=pages::auth::ForgotPasswordPage />
                    <Route path=path!("/choose-role") view=pages::auth::ChooseRolePage />
                    <Route path=path!("/console") view=pages::console::ConsolePage />
                    <Route
                        path=path!("/console/workspaces/:id")
                        view=pages::workspace::WorkspacePage
                    />
                    <Route
                        path=path!("/console/workspaces/:id/services")
                        view=pages::services::ServicesPage
                    />
                    <Route
                        path=path!("/console/workspaces/:id/services/new")
                        view=pages::services::NewServicePage
                    />
                    <Route path=path!("/console/services/:id") view=pages::services::ServicePage />
                    <Route
                        path=path!("/console/workspaces/:id/orders")
                        view=pages::orders::IsvOrdersPage
                    />
                    <Route
                        path=path!("/console/workspaces/:id/orders/:order_no")
                        view=pages::orders::IsvOrderPage
                    />
                    <Route path=path!("/onboarding/isv") view=pages::isv::IsvOnboardingPage />
                    <Route path=path!("/invitations/:token") view=pages::invitation::InvitationPage />
                    <Route path=path!("/review") view=pages::review::ReviewQueuePage />
                    <Route
                        path=path!("/onboarding/merchant")
                        view=pages::merchant::MerchantOnboardingPage
                    />
                    // Merchant pages (issue 4): the service detail, the order page (立即获取), the
                    // cashier, 我的服务 and the merchant's mini programs.
                    <Route
                        path=path!("/market/services/:id")
                        view=pages::service_detail::ServiceDetailPage
                    />
                    <Route path=path!("/market/services/:id/order") view=pages::order::OrderPage />
                    <Route path=path!("/cashier/:order_no") view=pages::cashier::CashierPage />
                    <Route path=path!("/my/services") view=pages::my_services::MyServicesPage />
                    <Route
                        path=path!("/my/mini-programs")
                        view=pages::mini_programs::MiniProgramsPage
                    />
                    // The open platform's console pages (issue 6): Open platform settings and
                    // Notifications.
                    <Route
                        path=path!("/console/workspaces/:id/open-platform")
                        view=pages::open_platform::OpenPlatformPage
                    />
                    <Route
                        path=path!("/console/workspaces/:id/notifications")
                        view=pages::open_platform::NotificationsPage
                    />
                    // The merchant's side of orders (issue 5): Service Orders and 应用授权.
                    <Route
                        path=path!("/my/orders")
                        view=pages::merchant_orders::MerchantOrdersPage
                    />
                    <Route
                        path=path!("/my/orders/:order_no")
                        view=pages::merchant_orders::MerchantOrderPage
                    />
                    <Route
                        path=path!("/my/authorizations")
                        view=pages::merchant_orders::AuthorizationsPage
                    />
                    <Route path=path!("/terms") view=pages::legal::TermsPage />
                    <Route path=path!("/privacy") view=pages::legal::PrivacyPage />
                    // The reviewer's version audit and platform clock (issue 5).
                    <Route
                        path=path!("/review/versions")
                        view=pages::review_versions::VersionAuditPage
                    />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                {i18n.t(Text::ProductName)}
            </A>
            <nav class="site-nav">
                <A href="/market">{i18n.t(Text::Marketplace)}</A>
                <pages::auth::SignedInNav />
            </nav>
            <LanguageSwitch />
            <pages::auth::AccountMenu />
        </header>
    }
}
