//! The ISV business information (seed 003, step 2): Company Name, Business Address,
//! Country/Region, Business Representative and the optional Business Logo, Website, Customer
//! Service Number and Customer Service Email; agree to the Terms of Service and Privacy Policy;
//! Submit. After a turn-down the form comes back filled in, with the reviewer's reason.
//!
//! The logo makes this a `multipart/form-data` form, which `ActionForm` cannot send: the
//! submit handler builds a `FormData` from the form and calls the server function with it.
//! Without wasm the same form still posts (the browser sends multipart itself).

use super::auth::{field_errors, invalid, last_error, Field, FieldNote, FormAlert};
use super::{LoadError, PageTitle};
use crate::error::AppError;
use crate::i18n::{use_i18n, Text};
use crate::onboarding::api::{isv_application_of_mine, submit_business_info};
use crate::onboarding::{
    field, ApplicationStatus, IsvApplicationView, WorkspaceSummary, COUNTRIES_REGIONS,
};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn IsvOnboardingPage() -> impl IntoView {
    let i18n = use_i18n();
    let application = Resource::new(|| (), |_| isv_application_of_mine());
    view! {
        <PageTitle page=Text::IsvOnboardingTitle />
        <section class="auth-card wide-card">
            <h1>{i18n.t(Text::IsvOnboardingTitle)}</h1>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match application.await {
                        Ok(Some(current)) if current.status == ApplicationStatus::UnderReview => {
                            view! { <ApplicationState notice=Text::ApplicationUnderReviewNotice /> }.into_any()
                        }
                        Ok(Some(current)) if current.status == ApplicationStatus::Approved => {
                            view! { <ApplicationState notice=Text::ApplicationApprovedNotice /> }.into_any()
                        }
                        Ok(previous) => view! { <BusinessInfoForm previous /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Where an application stands when there is nothing to fill in.
#[component]
fn ApplicationState(notice: Text) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="notice" role="status">{i18n.t(notice)}</p>
        <p>
            <A href="/console" attr:class="button primary">{i18n.t(Text::GoToConsole)}</A>
        </p>
    }
}

/// The form, empty or filled with the turned-down `previous` submission.
#[component]
fn BusinessInfoForm(previous: Option<IsvApplicationView>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let outcome = RwSignal::new(None::<Result<WorkspaceSummary, AppError>>);
    let pending = RwSignal::new(false);
    let errors = field_errors(outcome);
    let alert = last_error(outcome);
    Effect::new(move |_| {
        if let Some(Ok(_)) = outcome.get() {
            navigate("/console", Default::default());
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let form = ev
            .target()
            .and_then(|target| target.dyn_into::<HtmlFormElement>().ok());
        let Some(data) = form.and_then(|form| FormData::new_with_form(&form).ok()) else {
            return;
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = submit_business_info(data.into()).await;
            pending.set(false);
            outcome.set(Some(result));
        });
    };

    let value = |pick: fn(&IsvApplicationView) -> Option<String>| previous.as_ref().and_then(pick);
    let company_name = value(|a| Some(a.company_name.clone()));
    let business_address = value(|a| Some(a.business_address.clone()));
    let representative = value(|a| Some(a.business_representative.clone()));
    let website = value(|a| a.website.clone());
    let phone = value(|a| a.customer_service_number.clone());
    let service_email = value(|a| a.customer_service_email.clone());
    let country = value(|a| Some(a.country_region.clone())).unwrap_or_default();
    let logo_url = value(|a| a.logo_url.clone());
    let reason = value(|a| a.turn_down_reason.clone());
    let turned_down = previous.is_some();

    view! {
        <p class="lead">{i18n.t(Text::IsvOnboardingLead)}</p>
        <Show when=move || turned_down>
            <div class="form-alert" role="alert">
                <p>{i18n.t(Text::ApplicationTurnedDownNotice)}</p>
                {reason.clone().map(|reason| view! { <p>{i18n.t(Text::TurnDownReason)} {move || i18n.lang().colon()} {reason}</p> })}
            </div>
        </Show>
        <form
            method="post"
            action="/api/onboarding/submit_business_info"
            enctype="multipart/form-data"
            novalidate
            on:submit=on_submit
        >
            <Field
                name=field::COMPANY_NAME
                label=Text::CompanyName
                errors
                hint=Text::CompanyNameHint
                autocomplete="organization"
                initial=company_name
            />
            <Field
                name=field::BUSINESS_ADDRESS
                label=Text::BusinessAddress
                errors
                autocomplete="street-address"
                initial=business_address
            />
            <label for=field::COUNTRY_REGION>{i18n.t(Text::CountryRegion)}</label>
            <select
                id=field::COUNTRY_REGION
                name=field::COUNTRY_REGION
                required
                aria-invalid=invalid(errors, field::COUNTRY_REGION)
            >
                <option value="" selected=country.is_empty()>
                    {i18n.t(Text::SelectCountryRegion)}
                </option>
                {COUNTRIES_REGIONS
                    .iter()
                    .map(|place| {
                        view! {
                            <option value=place.code selected=country == place.code>
                                {move || place.name(i18n.lang())}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldNote errors field=field::COUNTRY_REGION />
            <Field
                name=field::BUSINESS_REPRESENTATIVE
                label=Text::BusinessRepresentative
                errors
                autocomplete="name"
                initial=representative
            />
            <label for=field::LOGO>{i18n.t(Text::BusinessLogoOptional)}</label>
            {logo_url.map(|url| {
                view! {
                    <div class="current-logo">
                        <img src=url alt=i18n.t(Text::CurrentLogo) width="64" height="64" />
                        <label class="checkbox">
                            <input type="checkbox" name=field::REMOVE_LOGO value="on" />
                            <span>{i18n.t(Text::RemoveLogo)}</span>
                        </label>
                    </div>
                }
            })}
            <input
                id=field::LOGO
                name=field::LOGO
                type="file"
                accept="image/png,image/jpeg"
                aria-describedby="logo-hint"
                aria-invalid=invalid(errors, field::LOGO)
            />
            <p class="hint" id="logo-hint">{i18n.t(Text::LogoHint)}</p>
            <FieldNote errors field=field::LOGO />
            <Field
                name=field::WEBSITE
                label=Text::WebsiteOptional
                errors
                input_type="url"
                autocomplete="url"
                optional=true
                initial=website
            />
            <Field
                name=field::CUSTOMER_SERVICE_NUMBER
                label=Text::CustomerServiceNumberOptional
                errors
                input_type="tel"
                autocomplete="tel"
                optional=true
                initial=phone
            />
            <Field
                name=field::CUSTOMER_SERVICE_EMAIL
                label=Text::CustomerServiceEmailOptional
                errors
                input_type="email"
                autocomplete="email"
                optional=true
                initial=service_email
            />
            <label class="checkbox">
                <input
                    type="checkbox"
                    name=field::AGREE_TERMS
                    value="on"
                    aria-invalid=invalid(errors, field::AGREE_TERMS)
                />
                <span>
                    {i18n.t(Text::IAgreeTo)} " "
                    <A href="/terms" attr:target="_blank">{i18n.t(Text::TermsOfService)}</A>
                    " " {i18n.t(Text::And)} " "
                    <A href="/privacy" attr:target="_blank">{i18n.t(Text::PrivacyPolicy)}</A>
                </span>
            </label>
            <FieldNote errors field=field::AGREE_TERMS />
            <FormAlert error=alert />
            <button type="submit" class="button primary wide" disabled=move || pending.get()>
                {move || if pending.get() { i18n.t(Text::Working)() } else { i18n.t(Text::Submit)() }}
            </button>
        </form>
    }
}
