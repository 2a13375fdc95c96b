//! Merchant onboarding: the merchant name and identity type (企业 / 个人 / 个体工商户) with the
//! certification form; the form is the proof (simulated certification).

use super::auth::{field_errors, last_error, Field, FieldNote, FormAlert};
use super::PageTitle;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::onboarding::OnboardMerchant;
use crate::onboarding::{field, IdentityType};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn MerchantOnboardingPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let onboard = ServerAction::<OnboardMerchant>::new();
    let errors = field_errors(onboard.value());
    let alert = last_error(onboard.value());
    Effect::new(move |_| {
        if let Some(Ok(_)) = onboard.value().get() {
            navigate("/console", Default::default());
        }
    });
    view! {
        <PageTitle page=Text::MerchantOnboardingTitle />
        <section class="auth-card">
            <h1>{i18n.t(Text::MerchantOnboardingTitle)}</h1>
            <p class="lead">{i18n.t(Text::MerchantOnboardingLead)}</p>
            <ActionForm action=onboard attr:novalidate="">
                <Field name=field::MERCHANT_NAME label=Text::MerchantName errors autocomplete="organization" />
                <label for=field::IDENTITY_TYPE>{i18n.t(Text::IdentityTypeLabel)}</label>
                <select id=field::IDENTITY_TYPE name=field::IDENTITY_TYPE required>
                    {IdentityType::ALL
                        .into_iter()
                        .map(|kind| {
                            view! { <option value=kind.code()>{move || kind.label(i18n.lang())}</option> }
                        })
                        .collect_view()}
                </select>
                <FieldNote errors field=field::IDENTITY_TYPE />
                <Field name=field::CERTIFIED_NAME label=Text::CertifiedName errors />
                <Field
                    name=field::CERTIFICATE_NUMBER
                    label=Text::CertificateNumber
                    errors
                    hint=Text::CertificateHint
                />
                <FormAlert error=alert />
                <button type="submit" class="button primary wide" disabled=move || onboard.pending().get()>
                    {i18n.t(Text::OnboardAsMerchant)}
                </button>
            </ActionForm>
        </section>
    }
}
