//! The cashier (收银台, `/cashier/{order_no}`): a priced order after 订购并授权. The payment is
//! simulated: Pay now moves the order into development (the transition table's Pay row), Pay
//! later leaves it Awaiting Payment until its 3-day deadline, which the page shows.

use super::auth::{last_error, FormAlert};
use super::merchant_text::{days, loading, mt, price, MerchantText, MerchantTitle};
use super::my_services::MY_SERVICES_PATH;
use super::LoadError;
use crate::domain::newtypes::format_cst;
use crate::domain::OrderStatus;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::ordering::api::cashier;
use crate::ordering::{CashierView, OrderView, PayOrder};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CashierPage() -> impl IntoView {
    let params = use_params_map();
    let order_no = move || params.with(|p| p.get("order_no").unwrap_or_default());
    let pay = ServerAction::<PayOrder>::new();
    let view = Resource::new(
        move || (order_no(), pay.version().get()),
        |(order_no, _)| cashier(order_no),
    );
    view! {
        <MerchantTitle page=MerchantText::CashierTitle />
        <section class="merchant-page cashier">
            <h1>{mt(MerchantText::CashierTitle)}</h1>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match view.await {
                        Ok(view) => view! { <CashierSheet view pay /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CashierSheet(view: CashierView, pay: ServerAction<PayOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let alert = last_error(pay.value());
    let CashierView {
        order,
        payable,
        pay_by,
    } = view;
    let order_no = order.order_no.to_string();
    let paid = order.paid_at.is_some();
    let status = order.status;
    view! {
        <div class="panel cashier-amount">
            <p class="muted">{mt(MerchantText::AmountDue)}</p>
            <p class="amount">{move || price(order.amount, i18n.lang())}</p>
            <p class="service-tags">
                <span class=format!("tag order-{}", status.as_str())>{move || status.label(i18n.lang())}</span>
            </p>
        </div>
        <OrderSummary order=order.clone() />
        {paid.then(|| view! {
            <p class="notice" role="status">{mt(MerchantText::PaymentDone)}</p>
        })}
        {payable.then(|| {
            let order_no = order_no.clone();
            view! {
                <div class="panel">
                    {pay_by.map(|due| view! {
                        <p class="deadline">
                            <strong>{mt(MerchantText::PayBy)} {move || i18n.lang().colon()} {format_cst(due)}</strong>
                        </p>
                    })}
                    <p class="hint">{mt(MerchantText::UnpaidCanceled)}</p>
                    <p class="hint">{mt(MerchantText::SimulatedPayment)}</p>
                    <p class="hint">{i18n.t(Text::TimesInCst)}</p>
                    <ActionForm action=pay>
                        <input type="hidden" name="order_no" value=order_no />
                        <FormAlert error=alert />
                        <button type="submit" class="button primary wide" disabled=move || pay.pending().get()>
                            {mt(MerchantText::PayNow)}
                        </button>
                    </ActionForm>
                    <A href=MY_SERVICES_PATH attr:class="button wide secondary-action">{mt(MerchantText::PayLater)}</A>
                </div>
            }
        })}
        {(!payable && !paid && status == OrderStatus::AwaitingPayment).then(|| view! {
            <p class="form-alert" role="alert">{mt(MerchantText::NotPayable)}</p>
        })}
        {(!payable).then(|| view! {
            <A href=MY_SERVICES_PATH attr:class="button primary wide">{mt(MerchantText::GoToMyServices)}</A>
        })}
    }
}

/// What the order is: service, mini program, period and number.
#[component]
fn OrderSummary(order: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let cause = order.cancel_cause;
    view! {
        <dl class="details panel">
            <dt>{mt(MerchantText::OrderNo)}</dt>
            <dd>{order.order_no.to_string()}</dd>
            <dt>{mt(MerchantText::Service)}</dt>
            <dd>{order.service_name}" · "{order.isv_name}</dd>
            <dt>{mt(MerchantText::MiniProgram)}</dt>
            <dd>{order.mini_program_name}" (APPID "{order.app_id.to_string()}")"</dd>
            <dt>{mt(MerchantText::ServicePeriod)}</dt>
            <dd>{move || days(order.period_days, i18n.lang())}</dd>
            {cause.map(|cause| view! {
                <dt>{mt(MerchantText::OrderStatus)}</dt>
                <dd>{move || cause.label(i18n.lang())}</dd>
            })}
        </dl>
    }
}
