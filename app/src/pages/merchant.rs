//! Merchant onboarding and certification (`/onboarding/merchant?return_to=…`): before
//! onboarding, the merchant name and identity type (企业 / 个人 / 个体工商户) with the
//! certification form (the form is the proof: simulated certification); afterwards, the
//! certified identity and, for an individual, the upgrade to individual business. The order
//! page of a restricted service leads here with `return_to`, and the page goes back there once
//! the merchant has onboarded or upgraded.

use super::auth::{field_errors, last_error, Field, FieldNote, FormAlert};
use super::merchant_text::{mt, MerchantText};
use super::{safe_next, LoadError, PageTitle};
use crate::error::AppError;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::onboarding::api::{my_workspaces, workspace_details};
use crate::onboarding::{
    field, IdentityType, MerchantView, OnboardMerchant, UpgradeToIndividualBusiness, WorkspaceKind,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The caller's merchant profile, `None` before it has onboarded.
async fn my_merchant() -> Result<Option<MerchantView>, AppError> {
    let workspaces = my_workspaces().await?;
    let Some(workspace) = workspaces
        .workspaces
        .iter()
        .find(|workspace| workspace.kind == WorkspaceKind::Merchant)
    else {
        return Ok(None);
    };
    Ok(workspace_details(workspace.id).await?.merchant)
}

#[component]
pub fn MerchantOnboardingPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let return_to = query.with_untracked(|q| safe_next(q.get_str("return_to")));
    let onboard = ServerAction::<OnboardMerchant>::new();
    let upgrade = ServerAction::<UpgradeToIndividualBusiness>::new();
    let merchant = Resource::new(move || upgrade.version().get(), |_| my_merchant());
    let navigate = use_navigate();
    let after_onboarding = return_to.clone();
    Effect::new(move |_| {
        if let Some(Ok(_)) = onboard.value().get() {
            navigate(
                after_onboarding.as_deref().unwrap_or("/console"),
                Default::default(),
            );
        }
    });
    let navigate = use_navigate();
    let after_upgrade = return_to.clone();
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(path)) = (upgrade.value().get(), after_upgrade.as_deref()) {
            navigate(path, Default::default());
        }
    });
    view! {
        <PageTitle page=Text::MerchantOnboardingTitle />
        <section class="auth-card">
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || {
                    let return_to = return_to.clone();
                    Suspend::new(async move {
                        match merchant.await {
                            Ok(None) => view! { <OnboardingForm onboard /> }.into_any(),
                            Ok(Some(merchant)) => {
                                view! { <Certification merchant upgrade return_to /> }.into_any()
                            }
                            Err(error) => view! { <LoadError error /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn OnboardingForm(onboard: ServerAction<OnboardMerchant>) -> impl IntoView {
    let i18n = use_i18n();
    let errors = field_errors(onboard.value());
    let alert = last_error(onboard.value());
    view! {
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
    }
}

/// An onboarded merchant's certification: its identity type, the upgrade for an individual,
/// and the way back to the order that sent it here.
#[component]
fn Certification(
    merchant: MerchantView,
    upgrade: ServerAction<UpgradeToIndividualBusiness>,
    return_to: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let identity = merchant.identity_type;
    let upgraded = move || matches!(upgrade.value().get(), Some(Ok(_)));
    let upgrade_form =
        (identity == IdentityType::Individual).then(|| view! { <UpgradeForm upgrade /> });
    let fixed = (identity != IdentityType::Individual && return_to.is_some())
        .then(|| view! { <p class="hint">{mt(MerchantText::IdentityFixed)}</p> });
    view! {
        <h1>{mt(MerchantText::CertificationTitle)}</h1>
        <dl class="details">
            <dt>{i18n.t(Text::MerchantName)}</dt>
            <dd>{merchant.merchant_name}</dd>
            <dt>{mt(MerchantText::CertifiedAs)}</dt>
            <dd><strong>{move || identity.label(i18n.lang())}</strong></dd>
            <dt>{i18n.t(Text::CertifiedName)}</dt>
            <dd>{merchant.certified_name.unwrap_or_default()}</dd>
        </dl>
        <Show when=upgraded>
            <p class="notice" role="status">{mt(MerchantText::Upgraded)}</p>
        </Show>
        {upgrade_form}
        {fixed}
        {return_to.map(|path| view! {
            <p class="auth-links"><A href=path>{mt(MerchantText::BackToOrder)}</A></p>
        })}
    }
}

#[component]
fn UpgradeForm(upgrade: ServerAction<UpgradeToIndividualBusiness>) -> impl IntoView {
    let errors = field_errors(upgrade.value());
    let alert = last_error(upgrade.value());
    view! {
        <p class="lead">{mt(MerchantText::UpgradeLead)}</p>
        <ActionForm action=upgrade attr:novalidate="">
            <Field name=field::CERTIFIED_NAME label=MerchantText::UpgradeLicenceName errors />
            <Field name=field::CERTIFICATE_NUMBER label=MerchantText::UpgradeCreditCode errors />
            <FormAlert error=alert />
            <button type="submit" class="button primary wide" disabled=move || upgrade.pending().get()>
                {mt(MerchantText::UpgradeButton)}
            </button>
        </ActionForm>
    }
}
