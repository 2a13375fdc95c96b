//! The landing page: what the platform is, and the two ways in (GET STARTED, SIGN IN).

use super::PageTitle;
use crate::i18n::{use_i18n, Text};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn LandingPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle />
        <section class="hero">
            <h1>{i18n.t(Text::Tagline)}</h1>
            <p class="lead">{i18n.t(Text::LandingLead)}</p>
            <div class="hero-actions">
                <A href="/sign-up" attr:class="button primary">{i18n.t(Text::GetStarted)}</A>
                <A href="/sign-in" attr:class="button">{i18n.t(Text::SignIn)}</A>
            </div>
        </section>
        <section class="audiences">
            <article class="audience">
                <h2>{i18n.t(Text::ForIsvs)}</h2>
                <p>{i18n.t(Text::ForIsvsBody)}</p>
            </article>
            <article class="audience">
                <h2>{i18n.t(Text::ForMerchants)}</h2>
                <p>{i18n.t(Text::ForMerchantsBody)}</p>
                <A href="/market">{i18n.t(Text::Marketplace)}" →"</A>
            </article>
        </section>
    }
}
