//! The merchant's side of orders, mobile first (PRODUCT.md §3, seeds 001 §7-8 and 002): Service
//! Orders (服务订单, `/my/orders`) with the status filter, the order-number search and the page in
//! the URL; each order's detail (`/my/orders/{order_no}`) with everything about it, its timeline
//! (including the ISV's reason for a Reject or Cancel), its refund, the next deadline counting
//! down and the actions the transition table allows the merchant (Confirm / Reject, Pay at the
//! cashier, Approve / Reject, 申请退款); and 应用授权 (`/my/authorizations`), where the merchant
//! cancels an ISV's authorization. The order pages poll the merchant's change stamp, so they
//! follow the ISV's actions and the timers without a reload. The buttons, their pop-ups, the
//! countdown and the timeline are the ISV console's ([`super::orders`]), over
//! [`OrdersSide::Merchant`].

use super::merchant_text::{days, loading, mt, price, MerchantText, MerchantTitle};
use super::my_services::{MerchantLoadError, MY_SERVICES_PATH};
use super::orders::{
    detail_stamp, list_stamp, page_notice, param, poll_changes, Countdown, OrderActions,
    OrdersFilter, OrdersSide, StatusTags, Submissions, Timeline,
};
use crate::auth::BiText;
use crate::domain::newtypes::format_cst;
use crate::error::AppError;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::orders::api::{authorizations, cancel_authorization, merchant_order, merchant_orders};
use crate::orders::{
    merchant_order_path, ActionDone, AuthorizationView, OrderDetail, OrderListItem, OrderListPage,
    AUTHORIZATIONS_PATH, MERCHANT_ORDERS_PATH,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The links between the merchant's order pages: 我的服务, 服务订单, 应用授权.
#[component]
pub fn MerchantPageLinks() -> impl IntoView {
    view! {
        <p class="page-links">
            <A href=MY_SERVICES_PATH>{mt(MerchantText::MyServices)}</A>
            " · "
            <A href=MERCHANT_ORDERS_PATH>{mt(MerchantText::ServiceOrders)}</A>
            " · "
            <A href=AUTHORIZATIONS_PATH>{mt(MerchantText::Authorizations)}</A>
        </p>
    }
}

/// `/my/orders?status=&q=&after=`
#[component]
pub fn MerchantOrdersPage() -> impl IntoView {
    let query = use_query_map();
    let refresh = RwSignal::new(0u64);
    let list = Resource::new(
        move || query.with(|q| (q.get("status"), q.get("q"), q.get("after"), refresh.get())),
        |(status, q, after, _)| merchant_orders(status, q, after),
    );
    poll_changes(|| OrdersSide::Merchant, refresh, move || list_stamp(list));
    let notice = page_notice();
    view! {
        {notice}
        <MerchantTitle page=MerchantText::ServiceOrders />
        <section class="merchant-page merchant-orders">
            <h1>{mt(MerchantText::ServiceOrders)}</h1>
            <p class="lead">{mt(MerchantText::ServiceOrdersLead)}</p>
            <MerchantPageLinks />
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(page) => view! { <OrderCards page refresh /> }.into_any(),
                        Err(error) => view! { <MerchantLoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn OrderCards(page: OrderListPage, refresh: RwSignal<u64>) -> impl IntoView {
    let i18n = use_i18n();
    let OrderListPage {
        orders,
        next_after,
        status,
        q,
        statuses,
        now,
        ..
    } = page;
    let next_href = next_after.map(|after| {
        let status = status.map(|s| s.as_str()).unwrap_or("");
        format!("{MERCHANT_ORDERS_PATH}?status={status}&q={q}&after={after}")
    });
    let cards = if orders.is_empty() {
        view! { <p class="empty-state" role="status">{i18n.t(Text::NoOrdersMatch)}</p> }.into_any()
    } else {
        view! {
            <ul class="order-cards" aria-label=mt(MerchantText::ServiceOrders)>
                {orders
                    .into_iter()
                    .map(|order| view! { <OrderCard order now refresh /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <OrdersFilter status q statuses csv_path=None />
        {cards}
        {next_href.map(|href| view! { <p><A href=href attr:class="button small">{i18n.t(Text::NextPage)}</A></p> })}
        <p class="hint">{i18n.t(Text::TimesInCst)}</p>
    }
}

#[component]
fn OrderCard(order: OrderListItem, now: i64, refresh: RwSignal<u64>) -> impl IntoView {
    let i18n = use_i18n();
    let OrderListItem {
        order_no,
        version,
        service_name,
        isv_name,
        mini_program_name,
        app_id,
        amount,
        status,
        status_label,
        created_at,
        next_deadline,
        actions,
        ..
    } = order;
    let href = merchant_order_path(&order_no);
    let number = order_no.to_string();
    let done = Callback::new(move |_: ActionDone| refresh.update(|v| *v += 1));
    view! {
        <li class="order-card">
            <div class="order-card-head">
                <A href=href>{number}</A>
                <span class=format!("tag order-{}", status.as_str())>{move || status_label.get(i18n.lang()).to_owned()}</span>
            </div>
            <h3>{service_name}</h3>
            <p class="service-isv">{isv_name}</p>
            <dl class="details">
                <dt>{mt(MerchantText::MiniProgram)}</dt>
                <dd>{mini_program_name} " (" {app_id.to_string()} ")"</dd>
                <dt>{mt(MerchantText::ServiceFee)}</dt>
                <dd>{move || price(amount, i18n.lang())}</dd>
                <dt>{i18n.t(Text::CreatedAt)}</dt>
                <dd>{format_cst(created_at)}</dd>
                {next_deadline.map(|deadline| view! {
                    <dt>{i18n.t(Text::NextDeadline)}</dt>
                    <dd><Countdown deadline now /></dd>
                })}
            </dl>
            <OrderActions side=OrdersSide::Merchant order_no version buttons=actions done compact=true />
        </li>
    }
    .into_any()
}

/// `/my/orders/{order_no}`
#[component]
pub fn MerchantOrderPage() -> impl IntoView {
    let order_no = param("order_no");
    let refresh = RwSignal::new(0u64);
    let detail = Resource::new(
        move || (order_no(), refresh.get()),
        |(order_no, _)| merchant_order(order_no),
    );
    poll_changes(
        || OrdersSide::Merchant,
        refresh,
        move || detail_stamp(detail),
    );
    let notice = page_notice();
    view! {
        {notice}
        <MerchantTitle page=MerchantText::ServiceOrders />
        <section class="merchant-page merchant-order">
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(order) => view! { <OrderSheet order refresh /> }.into_any(),
                        Err(error) => view! { <MerchantLoadError error /> }.into_any(),
                    }
                })}
            </Transition>
            <p><A href=MERCHANT_ORDERS_PATH>{mt(MerchantText::BackToServiceOrders)}</A></p>
        </section>
    }
}

#[component]
fn OrderSheet(order: OrderDetail, refresh: RwSignal<u64>) -> impl IntoView {
    let i18n = use_i18n();
    let done = Callback::new(move |_: ActionDone| refresh.update(|v| *v += 1));
    let OrderDetail {
        order_no,
        version,
        service_name,
        isv_name,
        mini_program_name,
        app_id,
        terminals,
        contact_name,
        contact_mobile,
        period_days,
        amount,
        status,
        status_label,
        cancel_cause_label,
        created_at,
        paid_at,
        service_start_at,
        service_end_at,
        next_deadline,
        submissions,
        refund,
        refund_note,
        timeline,
        actions,
        now,
        ..
    } = order;
    let terminals = move || {
        terminals
            .iter()
            .map(|t| t.label(i18n.lang()))
            .collect::<Vec<_>>()
            .join(i18n.lang().list_separator())
    };
    let time = |at: Option<i64>| at.map(format_cst);
    let head = view! {
        <h1>{i18n.t(Text::OrderDetails)}</h1>
        <p class="order-no">{mt(MerchantText::OrderNo)} {move || i18n.lang().colon()} {order_no.to_string()}</p>
        <StatusTags status label=status_label cause=cancel_cause_label />
        {next_deadline.map(|deadline| view! { <p class="deadline"><Countdown deadline now /></p> })}
        <OrderActions side=OrdersSide::Merchant order_no=order_no.clone() version buttons=actions done />
        {refund_note.map(|note| view! { <p class="notice" role="note">{move || note.get(i18n.lang()).to_owned()}</p> })}
    }
    .into_any();
    let details = view! {
        <dl class="details panel">
            <dt>{mt(MerchantText::Service)}</dt><dd>{service_name}</dd>
            <dt>{mt(MerchantText::ServiceProvider)}</dt><dd>{isv_name}</dd>
            <dt>{mt(MerchantText::MiniProgram)}</dt><dd>{mini_program_name} " (" {app_id.to_string()} ")"</dd>
            <dt>{mt(MerchantText::TerminalsLabel)}</dt><dd>{terminals}</dd>
            <dt>{mt(MerchantText::ServicePeriod)}</dt><dd>{move || days(period_days, i18n.lang())}</dd>
            <dt>{mt(MerchantText::ServiceFee)}</dt><dd>{move || price(amount, i18n.lang())}</dd>
            <dt>{i18n.t(Text::Contact)}</dt><dd>{contact_name} " " {contact_mobile}</dd>
            <dt>{i18n.t(Text::CreatedAt)}</dt><dd>{format_cst(created_at)}</dd>
            {time(paid_at).map(|at| view! { <dt>{i18n.t(Text::PaidAt)}</dt><dd>{at}</dd> })}
            {time(service_start_at).zip(time(service_end_at)).map(|(from, to)| view! { <dt>{mt(MerchantText::Validity)}</dt><dd>{from} " – " {to}</dd> })}
            {refund.map(|refund| view! {
                <dt>{i18n.t(Text::Refund)}</dt>
                <dd>{move || price(refund.amount, i18n.lang())} " · " {format_cst(refund.at)} " · " {move || refund.cause_label.get(i18n.lang()).to_owned()}</dd>
            })}
        </dl>
    }
    .into_any();
    view! {
        {head}
        {details}
        <Submissions submissions />
        <Timeline timeline />
        <p class="hint">{i18n.t(Text::TimesInCst)}</p>
    }
}

/// `/my/authorizations`: 应用授权.
#[component]
pub fn AuthorizationsPage() -> impl IntoView {
    let refresh = RwSignal::new(0u64);
    let list = Resource::new(move || refresh.get(), |_| authorizations());
    // Outlives the refetch that follows a cancellation.
    let notice = RwSignal::new(None::<MerchantText>);
    view! {
        <MerchantTitle page=MerchantText::Authorizations />
        <section class="merchant-page authorizations">
            <h1>{mt(MerchantText::Authorizations)}</h1>
            <p class="lead">{mt(MerchantText::AuthorizationsLead)}</p>
            <MerchantPageLinks />
            {move || notice.get().map(|text| view! { <p class="notice" role="status">{mt(text)}</p> })}
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) => view! { <AuthorizationList items refresh notice /> }.into_any(),
                        Err(error) => view! { <MerchantLoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AuthorizationList(
    items: Vec<AuthorizationView>,
    refresh: RwSignal<u64>,
    notice: RwSignal<Option<MerchantText>>,
) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! {
            <p class="empty-state" role="status">{mt(MerchantText::NoAuthorizations)}</p>
        }
        .into_any();
    }
    view! {
        <ul class="order-cards" aria-label=mt(MerchantText::Authorizations)>
            {items
                .into_iter()
                .map(|item| view! { <AuthorizationCard item refresh notice /> })
                .collect_view()}
        </ul>
        <p class="hint">{i18n.t(Text::TimesInCst)}</p>
    }
    .into_any()
}

#[component]
fn AuthorizationCard(
    item: AuthorizationView,
    refresh: RwSignal<u64>,
    notice: RwSignal<Option<MerchantText>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let AuthorizationView {
        id,
        mini_program_name,
        app_id,
        isv_name,
        isv_app_id,
        service_name,
        auth_time,
        expires_at,
        cancelled_at,
        status,
        status_label,
        cancellable,
    } = item;
    let asking = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<AppError>);
    let cancel = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let result = cancel_authorization(id).await;
            pending.set(false);
            match result {
                Ok(_) => {
                    asking.set(false);
                    notice.set(Some(MerchantText::AuthorizationCancelled));
                    refresh.update(|v| *v += 1);
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let label: BiText = status_label;
    let title_id = format!("authorization-{id}");
    let dialog_title = format!("authorization-{id}-cancel");
    view! {
        <li class="order-card" aria-labelledby=title_id.clone()>
            <div class="order-card-head">
                <h3 id=title_id.clone()>{isv_name}</h3>
                <span class=format!("tag authorization-{}", status_code(status))>{move || label.get(i18n.lang()).to_owned()}</span>
            </div>
            {service_name.map(|name| view! { <p class="service-isv">{name}</p> })}
            <dl class="details">
                <dt>{mt(MerchantText::MiniProgram)}</dt>
                <dd>{mini_program_name} " (" {app_id.to_string()} ")"</dd>
                {isv_app_id.map(|app| view! { <dt>{mt(MerchantText::IsvApp)}</dt><dd>{app}</dd> })}
                <dt>{mt(MerchantText::AuthorizedSince)}</dt>
                <dd>{format_cst(auth_time)}</dd>
                {match cancelled_at {
                    Some(at) => view! { <dt>{mt(MerchantText::CancelledAt)}</dt><dd>{format_cst(at)}</dd> }.into_any(),
                    None => view! { <dt>{mt(MerchantText::ValidUntil)}</dt><dd>{format_cst(expires_at)}</dd> }.into_any(),
                }}
            </dl>
            {cancellable.then(|| view! {
                <div class="card-actions">
                    <button type="button" class="button small danger" on:click=move |_| { failure.set(None); asking.set(true) }>
                        {mt(MerchantText::CancelAuthorization)}
                    </button>
                </div>
            })}
            {move || asking.get().then(|| view! {
                <div class="modal-backdrop">
                    <div class="modal" role="dialog" aria-modal="true" aria-labelledby=dialog_title.clone()>
                        <h2 id=dialog_title.clone()>{mt(MerchantText::CancelAuthorization)}</h2>
                        <p>{mt(MerchantText::CancelAuthorizationConfirm)}</p>
                        {move || failure.get().map(|error| view! {
                            <p class="form-alert" role="alert">{move || error.message(i18n.lang())}</p>
                        })}
                        <div class="modal-actions">
                            <button type="button" class="button" on:click=move |_| asking.set(false)>
                                {mt(MerchantText::KeepAuthorization)}
                            </button>
                            <button type="button" class="button danger" disabled=move || pending.get() on:click=cancel>
                                {mt(MerchantText::CancelAuthorization)}
                            </button>
                        </div>
                    </div>
                </div>
            })}
        </li>
    }
    .into_any()
}

fn status_code(status: crate::orders::AuthorizationStatus) -> &'static str {
    use crate::orders::AuthorizationStatus::*;
    match status {
        Active => "active",
        Expired => "expired",
        Cancelled => "cancelled",
    }
}
