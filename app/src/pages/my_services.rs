//! 我的服务 (My services, `/my/services`): per mini program, each ordered service with its
//! status and validity, 进入服务 (the ISV's mobile access URL, or the message to use a PC), the
//! cashier while an order awaits payment, and 续订 / 再次订购 — or, when renewing is refused
//! (the 365-day rule, the maximum order period, the service withdrawn), the reason instead.

use super::merchant_text::{loading, mt, MerchantText, MerchantTitle};
use super::LoadError;
use crate::domain::newtypes::format_cst;
use crate::domain::OrderStatus;
use crate::error::AppError;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::ordering::api::my_services;
use crate::ordering::{
    cashier_path, certification_path, field, EnterService, MyMiniProgram, SubscribedService,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};

/// 我的服务.
pub const MY_SERVICES_PATH: &str = "/my/services";
/// The merchant's mini programs and their built versions.
pub const MINI_PROGRAMS_PATH: &str = "/my/mini-programs";

/// The header's 我的服务 and 服务订单 links, for merchants.
#[component]
pub fn MyServicesLink() -> impl IntoView {
    view! {
        <A href=MY_SERVICES_PATH>{mt(MerchantText::MyServices)}</A>
        <A href=crate::orders::MERCHANT_ORDERS_PATH>{mt(MerchantText::ServiceOrders)}</A>
    }
}

/// Why a merchant page could not load, with the way forward: merchant onboarding (coming back
/// here) before the account has onboarded, a plain message for accounts that are not merchants.
#[component]
pub fn MerchantLoadError(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let onboarding = error
        .fields()
        .and_then(|errors| errors.get(field::MERCHANT))
        .cloned();
    if let Some(message) = onboarding {
        let here = use_location();
        let search = here.search.get_untracked();
        let mut return_to = here.pathname.get_untracked();
        if !search.is_empty() {
            return_to.push('?');
            return_to.push_str(&search);
        }
        return view! {
            <div class="form-alert" role="alert">
                <p>{move || message.get(i18n.lang()).to_owned()}</p>
                <A href=certification_path(&return_to) attr:class="button primary small">
                    {i18n.t(Text::OnboardAsMerchant)}
                </A>
            </div>
        }
        .into_any();
    }
    match error {
        AppError::Forbidden => {
            view! { <p class="form-alert" role="alert">{mt(MerchantText::MerchantsOnly)}</p> }
                .into_any()
        }
        error => view! { <LoadError error /> }.into_any(),
    }
}

#[component]
pub fn MyServicesPage() -> impl IntoView {
    let query = use_query_map();
    let services = Resource::new(|| (), |_| my_services());
    view! {
        <MerchantTitle page=MerchantText::MyServices />
        <section class="merchant-page my-services">
            <h1>{mt(MerchantText::MyServices)}</h1>
            <p class="lead">{mt(MerchantText::MyServicesLead)}</p>
            <p class="page-links">
                <A href=MINI_PROGRAMS_PATH>{mt(MerchantText::ManageMiniPrograms)}</A>
                " · "
                <A href=crate::orders::MERCHANT_ORDERS_PATH>{mt(MerchantText::ServiceOrders)}</A>
                " · "
                <A href=crate::orders::AUTHORIZATIONS_PATH>{mt(MerchantText::Authorizations)}</A>
            </p>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match services.await {
                        Ok(programs) => {
                            let placed = query.with_untracked(|q| q.get("placed"));
                            view! { <PlacedNotice programs=programs.clone() placed /> <ServiceList programs /> }
                                .into_any()
                        }
                        Err(error) => view! { <MerchantLoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// What happens next to the order just placed, when it did not go to the cashier.
#[component]
fn PlacedNotice(programs: Vec<MyMiniProgram>, placed: Option<String>) -> impl IntoView {
    let status = placed.and_then(|order_no| {
        programs
            .iter()
            .flat_map(|program| &program.services)
            .map(|service| &service.latest_order)
            .find(|order| order.order_no.as_ref() == order_no)
            .map(|order| order.status)
    });
    let text = match status {
        Some(OrderStatus::New) => Some(MerchantText::PlacedAwaitingAcceptance),
        Some(OrderStatus::InDevelopment) => Some(MerchantText::PlacedInDevelopment),
        _ => None,
    };
    text.map(|text| view! { <p class="notice" role="status">{mt(text)}</p> })
}

#[component]
fn ServiceList(programs: Vec<MyMiniProgram>) -> impl IntoView {
    let i18n = use_i18n();
    if programs.is_empty() {
        return view! {
            <div class="empty-state" role="status">
                <p>{mt(MerchantText::NoServicesYet)}</p>
                <A href="/market" attr:class="button primary">{mt(MerchantText::BrowseMarketplace)}</A>
            </div>
        }
        .into_any();
    }
    view! {
        {programs
            .into_iter()
            .map(|program| view! { <MiniProgramServices program /> })
            .collect_view()}
        <p class="hint">{i18n.t(Text::TimesInCst)}</p>
    }
    .into_any()
}

#[component]
fn MiniProgramServices(program: MyMiniProgram) -> impl IntoView {
    let heading_id = format!("my-mini-program-{}", program.id);
    let (section_label, list_label) = (heading_id.clone(), heading_id.clone());
    view! {
        <section class="panel" aria-labelledby=section_label>
            <h2 id=heading_id>{program.name}</h2>
            <p class="muted app-id">"APPID " {program.app_id.to_string()}</p>
            <ul class="subscribed-list" aria-labelledby=list_label>
                {program
                    .services
                    .into_iter()
                    .map(|service| view! { <SubscribedCard service /> })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn SubscribedCard(service: SubscribedService) -> impl IntoView {
    let i18n = use_i18n();
    let SubscribedService {
        service_name,
        isv_name,
        latest_order,
        valid_from,
        valid_to,
        enter,
        renewal,
        ..
    } = service;
    let status = latest_order.status;
    let validity = valid_from
        .zip(valid_to)
        .map(|(from, to)| format!("{} – {}", format_cst(from), format_cst(to)));
    let pay = (status == OrderStatus::AwaitingPayment).then(|| {
        view! {
            <A href=cashier_path(&latest_order.order_no) attr:class="button small primary">
                {mt(MerchantText::GoToCashier)}
            </A>
        }
    });
    let refusal_id = format!("renewal-{}-refusal", latest_order.order_no);
    let kind = renewal.kind;
    let renew = match renewal.refusal.clone() {
        None => view! {
            <A href=renewal.path attr:class="button small">{move || kind.label(i18n.lang())}</A>
        }
        .into_any(),
        Some(_) => view! {
            <button type="button" class="button small" disabled aria-describedby=refusal_id.clone()>
                {move || kind.label(i18n.lang())}
            </button>
        }
        .into_any(),
    };
    view! {
        <li class="subscribed-card">
            <h3>{service_name}</h3>
            <p class="service-isv">{isv_name}</p>
            <p class="service-tags">
                <span class=format!("tag order-{}", status.as_str())>{move || status.label(i18n.lang())}</span>
            </p>
            <dl class="details">
                <dt>{mt(MerchantText::Validity)}</dt>
                <dd>
                    {match validity {
                        Some(validity) => validity.into_any(),
                        None => view! { <span class="muted">{mt(MerchantText::PeriodNotStarted)}</span> }.into_any(),
                    }}
                </dd>
                <dt>{mt(MerchantText::LatestOrder)}</dt>
                <dd>{latest_order.order_no.to_string()}</dd>
            </dl>
            <div class="card-actions">
                <EnterButton enter />
                {pay}
                {renew}
            </div>
            {renewal.refusal.map(|refusal| {
                view! { <p class="choice-reason" id=refusal_id>{move || refusal.get(i18n.lang()).to_owned()}</p> }
            })}
        </li>
    }
}

/// 进入服务: the ISV's mobile page, or (none configured) the message to use a PC, shown on tap.
#[component]
fn EnterButton(enter: EnterService) -> impl IntoView {
    let i18n = use_i18n();
    match enter {
        EnterService::Open { url } => view! {
            <a class="button small primary" href=url target="_blank" rel="noopener noreferrer">
                {mt(MerchantText::EnterService)}
            </a>
        }
        .into_any(),
        EnterService::UsePc { message } => view! {
            <details class="enter-pc">
                <summary class="button small primary">{mt(MerchantText::EnterService)}</summary>
                <p class="notice" role="note">{move || message.get(i18n.lang()).to_owned()}</p>
            </details>
        }
        .into_any(),
    }
}
