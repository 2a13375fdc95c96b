//! The marketplace's service detail page (`/market/services/{id}`), mobile first: what the
//! service is, its plans, terminals and who may order it, with 立即体验 (Try now: opens the
//! ISV's preview) and 立即获取 (Get now: the order page) in a bar at the bottom of the screen.
//! Public: visitors see it too; the order page asks them to sign in.

use super::merchant_text::{days, list, loading, mt, price, MerchantText, MerchantTitle};
use super::service_images::ServiceGallery;
use super::LoadError;
use crate::error::AppError;
use crate::i18n::{use_i18n, Bilingual};
use crate::services::api::marketplace_service;
use crate::services::ServiceDetail;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The numeric `:id` of the route, or 0 (no service has it) when it is not a number.
pub fn id_param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params.with(|p| {
            p.get(name)
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    }
}

#[component]
pub fn ServiceDetailPage() -> impl IntoView {
    let service_id = id_param("id");
    let detail = Resource::new(service_id, marketplace_service);
    view! {
        <MerchantTitle page=MerchantText::ServiceDetailTitle />
        <section class="merchant-page service-detail">
            <p class="back-link">
                <A href="/market">{mt(MerchantText::BackToMarketplace)}</A>
            </p>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(service) => view! { <ServiceDetailView service /> }.into_any(),
                        Err(AppError::NotFound) => {
                            view! { <p class="empty-state" role="status">{mt(MerchantText::ServiceUnavailable)}</p> }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ServiceDetailView(service: ServiceDetail) -> impl IntoView {
    let i18n = use_i18n();
    let ServiceDetail {
        name,
        isv_name,
        category,
        service_type,
        description,
        terminals,
        plans,
        max_order_period_days,
        subscriber_restriction,
        needs_acceptance,
        preview_url,
        order_path,
        images,
        ..
    } = service;
    let gallery_name = name.clone();
    let who_may_order = move || {
        if subscriber_restriction.is_empty() {
            MerchantText::Anyone.label(i18n.lang()).to_owned()
        } else {
            list(&subscriber_restriction, i18n.lang())
        }
    };
    let acceptance = if needs_acceptance {
        MerchantText::IsvAccepts
    } else {
        MerchantText::StartsAtOnce
    };
    view! {
        <article class="detail-card">
            <ServiceGallery images name=gallery_name />
            <h1>{name}</h1>
            <p class="service-isv">
                {mt(MerchantText::ServiceProvider)} {move || i18n.lang().colon()} {isv_name}
            </p>
            <p class="service-tags">
                <span class="tag">{move || category.label(i18n.lang())}</span>
                <span class="tag">{move || service_type.label(i18n.lang())}</span>
            </p>
            <p class="service-description">{description}</p>
            <h2>{mt(MerchantText::Plans)}</h2>
            <ul class="plan-list" aria-label=mt(MerchantText::Plans)>
                {plans
                    .into_iter()
                    .map(|plan| {
                        view! {
                            <li>
                                <span>{move || days(plan.period_days, i18n.lang())}</span>
                                <strong class="price">{move || price(plan.price, i18n.lang())}</strong>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <dl class="details">
                <dt>{mt(MerchantText::PublishingTerminals)}</dt>
                <dd>{move || list(&terminals, i18n.lang())}</dd>
                <dt>{mt(MerchantText::WhoMayOrder)}</dt>
                <dd>{who_may_order}</dd>
                <dt>{mt(MerchantText::MaxOrderPeriod)}</dt>
                <dd>{move || days(max_order_period_days, i18n.lang())}</dd>
                <dt>{mt(MerchantText::OrderAcceptance)}</dt>
                <dd>{mt(acceptance)}</dd>
            </dl>
        </article>
        <div class="action-bar">
            {match preview_url {
                Some(url) => {
                    view! {
                        <a class="button" href=url target="_blank" rel="noopener noreferrer">
                            {mt(MerchantText::TryNow)}
                        </a>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <button type="button" class="button" disabled title=mt(MerchantText::NoPreview)>
                            {mt(MerchantText::TryNow)}
                        </button>
                    }
                        .into_any()
                }
            }}
            <A href=order_path attr:class="button primary">{mt(MerchantText::GetNow)}</A>
        </div>
    }
}
