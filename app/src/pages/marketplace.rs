//! The marketplace: Online services, searched by name and description and filtered by category.
//! The search lives in the URL (`/market?q=…&category=…`), so a search can be linked and
//! reloaded, and the form works before the client has hydrated. Each card links to the
//! service's detail page.

use super::PageTitle;
use crate::catalog::{format_yuan, Category, ServiceCard, ServiceSearch};
use crate::error::AppError;
use crate::i18n::{use_i18n, Bilingual, Text};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

/// The Online services matching a search. Public: visitors browse the marketplace too.
#[server(prefix = "/api", endpoint = "marketplace/services")]
pub async fn list_online_services(
    text: String,
    category: Option<String>,
) -> Result<Vec<ServiceCard>, AppError> {
    let state = crate::state::app_state()?;
    let search = ServiceSearch::from_query(Some(&text), category.as_deref());
    Ok(crate::db::services::online_services(&state.db, &search).await?)
}

#[component]
pub fn MarketplacePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let search = Memo::new(move |_| {
        query.with(|q| ServiceSearch::from_query(q.get_str("q"), q.get_str("category")))
    });
    let services = Resource::new(
        move || search.get(),
        |search| list_online_services(search.text, search.category.map(|c| c.code().to_owned())),
    );

    view! {
        <PageTitle page=Text::MarketplaceTitle />
        <section class="market">
            <header class="market-head">
                <h1>{i18n.t(Text::MarketplaceTitle)}</h1>
                <p class="lead">{i18n.t(Text::MarketplaceLead)}</p>
            </header>
            <Form method="GET" action="/market" attr:class="market-search" attr:role="search">
                <input
                    type="search"
                    name="q"
                    maxlength=ServiceSearch::MAX_TEXT_CHARS
                    aria-label=i18n.t(Text::SearchPlaceholder)
                    placeholder=i18n.t(Text::SearchPlaceholder)
                    prop:value=move || search.with(|s| s.text.clone())
                />
                <select name="category" aria-label=i18n.t(Text::Category)>
                    <option value="" selected=move || search.with(|s| s.category.is_none())>
                        {i18n.t(Text::AllCategories)}
                    </option>
                    {Category::ALL
                        .into_iter()
                        .map(|category| {
                            view! {
                                <option
                                    value=category.code()
                                    selected=move || search.with(|s| s.category == Some(category))
                                >
                                    {move || category.label(i18n.lang())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="button primary">{i18n.t(Text::Search)}</button>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match services.await {
                        Ok(list) if list.is_empty() => {
                            let text = if search.with_untracked(ServiceSearch::is_empty) {
                                Text::NoServicesOnline
                            } else {
                                Text::NoServicesMatch
                            };
                            view! { <p class="empty-state" role="status">{i18n.t(text)}</p> }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="service-list" aria-label=i18n.t(Text::MarketplaceTitle)>
                                    {list
                                        .into_iter()
                                        .map(|service| view! { <ServiceCardView service /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! { <p class="error" role="alert">{error.to_string()}</p> }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ServiceCardView(service: ServiceCard) -> impl IntoView {
    let i18n = use_i18n();
    let ServiceCard {
        id,
        name,
        isv_name,
        category,
        service_type,
        description,
        lowest_price_cents,
        lowest_price_period_days,
        cover_image_url,
        ..
    } = service;
    let price = move || match lowest_price_cents {
        Some(0) => Text::Free.get(i18n.lang()).to_owned(),
        Some(cents) => format!(
            "{} {}",
            Text::PriceFrom.get(i18n.lang()),
            format_yuan(cents)
        ),
        None => String::new(),
    };
    let period = move || {
        lowest_price_period_days
            .map(|days| format!("{days} {}", Text::Days.get(i18n.lang())))
            .unwrap_or_default()
    };
    view! {
        <li class="service-card">
            // Decorative beside the name that follows it, so no text alternative of its own.
            {cover_image_url.map(|src| view! { <img class="service-cover" src=src alt="" loading="lazy" /> })}
            <h2 class="service-name">
                <A href=crate::services::detail_path(id)>{name}</A>
            </h2>
            <p class="service-isv">{isv_name}</p>
            <p class="service-tags">
                <span class="tag">{move || category.label(i18n.lang())}</span>
                <span class="tag">{move || service_type.label(i18n.lang())}</span>
            </p>
            <p class="service-description">{description}</p>
            <p class="service-price">
                <strong>{price}</strong>
                " "
                <span class="muted">{period}</span>
            </p>
        </li>
    }
}
