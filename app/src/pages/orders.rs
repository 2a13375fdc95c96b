//! Service Management > Orders (seeds 000, 001 §7-8): the ISV workspace's orders with the
//! status filter, the order-number search and the page in the URL; each order's detail page
//! with everything about it, its timeline, and the actions in the upper-right corner. Accept
//! shows the platform's pop-up; Reject and Cancel ask for an optional reason; Submit asks for
//! the built version's number and notes. The buttons come from the transition table (the
//! server sends them), each order shows its next deadline counting down, and the pages fetch
//! again when the other side acts (they poll the workspace's change stamp).
//!
//! The pieces that are the same on both sides of an order — the action buttons and their
//! pop-ups ([`OrderActions`], over [`OrdersSide`]), the countdown, the status filter, the
//! status tags, the submissions and the timeline — are public here; the merchant's Service
//! Orders (`merchant_orders`) draws its own mobile-first pages with them.

use super::auth::FormAlert;
use super::console::WorkspaceTabs;
use super::{param_id, LoadError, PageTitle};
use crate::auth::BiText;
use crate::catalog::format_yuan;
use crate::domain::newtypes::format_cst;
use crate::domain::OrderNo;
use crate::domain::OrderStatus;
use crate::error::AppError;
use crate::i18n::{use_i18n, Text};
use crate::orders::api::{isv_act, isv_order, isv_orders, isv_submit, merchant_act};
#[cfg(feature = "hydrate")]
use crate::orders::api::{isv_changes, merchant_changes};
#[cfg(feature = "hydrate")]
use crate::orders::POLL_INTERVAL_MS;
use crate::orders::{
    isv_order_path, isv_orders_path, ActionButton, ActionDone, ActionForm, DeadlineView,
    OrderDetail, OrderListItem, OrderListPage, StatusOption, SubmissionView, TimelineEntry,
};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_params_map, use_query_map};

/// Which side of an order a page acts for: an ISV workspace in the console, or the merchant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrdersSide {
    Isv { workspace_id: i64 },
    Merchant,
}

impl OrdersSide {
    /// Sends `action` (with its optional reason) through this side's server function.
    async fn act(
        self,
        order_no: String,
        action: &str,
        version: i64,
        reason: Option<String>,
    ) -> Result<ActionDone, AppError> {
        match self {
            OrdersSide::Isv { workspace_id } => {
                isv_act(workspace_id, order_no, action.to_owned(), version, reason).await
            }
            OrdersSide::Merchant => {
                merchant_act(order_no, action.to_owned(), version, reason).await
            }
        }
    }
}

/// The platform's pop-up after an action (Accept's "wait for the merchant to confirm"). Kept by
/// the page, as the list or detail below is drawn anew when the action's answer arrives.
#[derive(Clone, Copy)]
struct PageNotice(RwSignal<Option<crate::auth::BiText>>);

/// Makes the page's pop-up slot and draws it.
pub fn page_notice() -> impl IntoView {
    let i18n = use_i18n();
    let notice = RwSignal::new(None::<crate::auth::BiText>);
    provide_context(PageNotice(notice));
    move || {
        notice.get().map(|text| {
            view! {
                <div class="modal-backdrop">
                    <div class="modal" role="alertdialog" aria-modal="true" aria-labelledby="notice-title">
                        <h2 id="notice-title">{i18n.t(Text::OrderAccepted)}</h2>
                        <p>{move || text.get(i18n.lang()).to_owned()}</p>
                        <div class="modal-actions">
                            <button type="button" class="button primary" on:click=move |_| notice.set(None)>
                                {i18n.t(Text::Ok)}
                            </button>
                        </div>
                    </div>
                </div>
            }
        })
    }
}

/// Asks the server every few seconds whether any of the side's orders changed (the
/// workspace's, or the merchant's), and bumps `refresh` when the stamp differs from `shown`, the
/// stamp read with the data on the page (the other side acted, or a timer fired, even between
/// the page's rendering and its first poll).
pub fn poll_changes(
    side: impl Fn() -> OrdersSide + Copy + 'static,
    refresh: RwSignal<u64>,
    shown: impl Fn() -> Option<String> + Copy + 'static,
) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let side = side();
        // The stamp a refresh was last asked for, so a slow answer is not asked for twice.
        let asked = StoredValue::new(None::<String>);
        let interval = gloo_timers::callback::Interval::new(POLL_INTERVAL_MS, move || {
            leptos::task::spawn_local(async move {
                let stamp = match side {
                    OrdersSide::Isv { workspace_id } => isv_changes(workspace_id).await,
                    OrdersSide::Merchant => merchant_changes().await,
                };
                let (Ok(stamp), Some(shown)) = (stamp, shown()) else {
                    return;
                };
                let new = stamp.stamp != shown
                    && asked.with_value(|asked| asked.as_ref() != Some(&stamp.stamp));
                if new {
                    asked.set_value(Some(stamp.stamp));
                    refresh.update(|v| *v += 1);
                }
            });
        });
        // The interval is a browser object, not Send: kept in local storage, dropped on cleanup.
        let handle = StoredValue::new_local(Some(interval));
        on_cleanup(move || {
            handle.try_update_value(|interval| drop(interval.take()));
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (side, refresh, shown);
}

/// The change stamp of the list on the page, once it has loaded.
pub fn list_stamp<T: Send + Sync + 'static>(
    list: Resource<Result<OrderListPage, AppError>, T>,
) -> Option<String> {
    list.with_untracked(|page| page.as_ref()?.as_ref().ok().map(|page| page.stamp.clone()))
}

/// The change stamp of the order on the page, once it has loaded.
pub fn detail_stamp<T: Send + Sync + 'static>(
    detail: Resource<Result<OrderDetail, AppError>, T>,
) -> Option<String> {
    detail.with_untracked(|order| {
        order
            .as_ref()?
            .as_ref()
            .ok()
            .map(|order| order.stamp.clone())
    })
}

/// "2 d 03:04:05" left until `due_at`, counting down each second from the server's `now`.
#[component]
pub fn Countdown(deadline: DeadlineView, now: i64) -> impl IntoView {
    let i18n = use_i18n();
    let elapsed = RwSignal::new(0i64);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let started = js_sys_now();
        let interval = gloo_timers::callback::Interval::new(1_000, move || {
            elapsed.set(js_sys_now() - started);
        });
        // The interval is a browser object, not Send: kept in local storage, dropped on cleanup.
        let handle = StoredValue::new_local(Some(interval));
        on_cleanup(move || {
            handle.try_update_value(|interval| drop(interval.take()));
        });
    });
    let due_at = deadline.due_at;
    let left = move || format_left(due_at - (now + elapsed.get()));
    let label = deadline.label.clone();
    let then = deadline.then.clone();
    view! {
        <span class="countdown" title=move || then.get(i18n.lang()).to_owned()>
            <span class="muted">{move || label.get(i18n.lang()).to_owned()}</span>
            " "
            <time datetime=due_at.to_string()>{left}</time>
        </span>
    }
}

#[cfg(feature = "hydrate")]
fn js_sys_now() -> i64 {
    leptos::web_sys::js_sys::Date::now() as i64
}

/// Milliseconds left as "2 d 03:04:05" (or "00:00:00" once due).
pub fn format_left(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    let (days, hours, minutes, seconds) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    if days > 0 {
        format!("{days} d {hours:02}:{minutes:02}:{seconds:02}")
    } else {
        format!("{hours:02}:{minutes:02}:{seconds:02}")
    }
}

pub fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get(name).unwrap_or_default())
}

/// `/console/workspaces/{id}/orders?status=&q=&after=`
#[component]
pub fn IsvOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let workspace_id = param_id("id");
    let query = use_query_map();
    let refresh = RwSignal::new(0u64);
    let list = Resource::new(
        move || {
            query.with(|q| {
                (
                    workspace_id(),
                    q.get("status"),
                    q.get("q"),
                    q.get("after"),
                    refresh.get(),
                )
            })
        },
        |(workspace_id, status, q, after, _)| isv_orders(workspace_id, status, q, after),
    );
    poll_changes(
        move || OrdersSide::Isv {
            workspace_id: workspace_id(),
        },
        refresh,
        move || list_stamp(list),
    );
    let notice = page_notice();
    view! {
        {notice}
        <PageTitle page=Text::OrdersNav />
        <section class="console wide">
            <WorkspaceTabs workspace_id=Signal::derive(workspace_id) current=Text::OrdersNav />
            <h1>{i18n.t(Text::OrdersNav)}</h1>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(page) => view! { <OrdersList page workspace_id=workspace_id() refresh /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn OrdersList(page: OrderListPage, workspace_id: i64, refresh: RwSignal<u64>) -> impl IntoView {
    let i18n = use_i18n();
    let OrderListPage {
        orders,
        next_after,
        status,
        q,
        statuses,
        now,
        csv_path,
        ..
    } = page;
    let next_href = next_after.map(|after| {
        let status = status.map(|s| s.as_str()).unwrap_or("");
        format!(
            "{}?status={status}&q={q}&after={after}",
            isv_orders_path(workspace_id)
        )
    });
    let empty = orders.is_empty();
    view! {
        <OrdersFilter status q statuses csv_path />
        {if empty {
            view! { <p class="empty-state" role="status">{i18n.t(Text::NoOrdersMatch)}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="data-table orders-table" aria-label=i18n.t(Text::OrdersNav)>
                        <thead>
                            <tr>
                                <th scope="col">{i18n.t(Text::OrderNumber)}</th>
                                <th scope="col">{i18n.t(Text::ServicesNav)}</th>
                                <th scope="col">{i18n.t(Text::MerchantLabel)}</th>
                                <th scope="col">{i18n.t(Text::MiniProgram)}</th>
                                <th scope="col">{i18n.t(Text::Amount)}</th>
                                <th scope="col">{i18n.t(Text::Status)}</th>
                                <th scope="col">{i18n.t(Text::CreatedAt)}</th>
                                <th scope="col">{i18n.t(Text::NextDeadline)}</th>
                                <th scope="col">{i18n.t(Text::Actions)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {orders
                                .into_iter()
                                .map(|order| view! { <OrderRow order workspace_id now refresh /> }.into_any())
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
                .into_any()
        }}
        {next_href.map(|href| view! { <p><A href=href attr:class="button small">{i18n.t(Text::NextPage)}</A></p> })}
        <p class="hint">{i18n.t(Text::TimesInCst)}</p>
    }
}

/// The status filter and the order-number search: a GET form, so both live in the URL (and the
/// CSV export of the same filter, when there is one).
#[component]
pub fn OrdersFilter(
    status: Option<OrderStatus>,
    q: String,
    statuses: Vec<StatusOption>,
    csv_path: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Form method="GET" action="" attr:class="orders-filter">
            <label for="status">{i18n.t(Text::Status)}</label>
            <select id="status" name="status">
                <option value="" selected=status.is_none()>{i18n.t(Text::AllStatuses)}</option>
                {statuses
                    .into_iter()
                    .map(|option| {
                        let selected = status == Some(option.status);
                        view! {
                            <option value=option.status.as_str() selected=selected>
                                {move || option.label.get(i18n.lang()).to_owned()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="q">{i18n.t(Text::OrderNumber)}</label>
            <input id="q" name="q" inputmode="numeric" value=q placeholder=i18n.t(Text::SearchByOrderNumber) />
            <button type="submit" class="button small">{i18n.t(Text::Search)}</button>
            {csv_path.map(|href| view! { <a href=href class="button small" download="">{i18n.t(Text::ExportCsv)}</a> })}
        </Form>
    }
}

/// An order's status, and why it was canceled.
#[component]
pub fn StatusTags(status: OrderStatus, label: BiText, cause: Option<BiText>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="service-tags">
            <span class=format!("tag order-{}", status.as_str())>{move || label.get(i18n.lang()).to_owned()}</span>
            {cause.map(|cause| view! { <span class="tag">{move || cause.get(i18n.lang()).to_owned()}</span> })}
        </p>
    }
}

#[component]
fn OrderRow(
    order: OrderListItem,
    workspace_id: i64,
    now: i64,
    refresh: RwSignal<u64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let OrderListItem {
        order_no,
        version,
        service_name,
        merchant_name,
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
    let href = isv_order_path(workspace_id, &order_no);
    let number = order_no.to_string();
    let done = Callback::new(move |_: ActionDone| refresh.update(|v| *v += 1));
    view! {
        <tr>
            <td><A href=href>{number}</A></td>
            <td>{service_name}</td>
            <td>{merchant_name}</td>
            <td>{mini_program_name} <span class="muted small">{app_id.to_string()}</span></td>
            <td>{format_yuan(amount.cents())}</td>
            <td>
                <span class=format!("tag order-{}", status.as_str())>{move || status_label.get(i18n.lang()).to_owned()}</span>
            </td>
            <td>{format_cst(created_at)}</td>
            <td>{next_deadline.map(|deadline| view! { <Countdown deadline now /> })}</td>
            <td>
                <OrderActions side=OrdersSide::Isv { workspace_id } order_no version buttons=actions done compact=true />
            </td>
        </tr>
    }
}

/// The buttons of an order with their pop-ups; `done` gets the answer of a completed action. A
/// refused action shows the server's reason (in the pop-up, or under the buttons) and changes
/// nothing.
#[component]
pub fn OrderActions(
    side: OrdersSide,
    order_no: OrderNo,
    version: i64,
    buttons: Vec<ActionButton>,
    done: Callback<ActionDone>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(None::<ActionButton>);
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<AppError>);
    let notice = use_context::<PageNotice>().map(|PageNotice(notice)| notice);
    let reason = RwSignal::new(String::new());
    let version_number = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let order_no = StoredValue::new(order_no);
    let send = move |button: ActionButton| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        let order_no = order_no.get_value().to_string();
        leptos::task::spawn_local(async move {
            let action = button.action.as_str();
            let result = match (side, button.form) {
                (OrdersSide::Isv { workspace_id }, ActionForm::Submit { .. }) => {
                    isv_submit(
                        workspace_id,
                        order_no,
                        version,
                        version_number.get_untracked(),
                        Some(notes.get_untracked()),
                    )
                    .await
                }
                (side, ActionForm::Reason { .. }) => {
                    side.act(order_no, action, version, Some(reason.get_untracked()))
                        .await
                }
                (side, _) => side.act(order_no, action, version, None).await,
            };
            pending.set(false);
            match result {
                Ok(answer) => {
                    open.set(None);
                    if let (Some(notice), Some(text)) = (notice, answer.notice.clone()) {
                        notice.set(Some(text));
                    }
                    done.run(answer);
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let buttons_view = buttons
        .into_iter()
        .map(|button| {
            let label = button.label.clone();
            let class = if button.destructive { "button small danger" } else if compact { "button small" } else { "button primary" };
            match button.form.clone() {
                ActionForm::Cashier { path } => view! { <A href=path attr:class=class>{move || label.get(i18n.lang()).to_owned()}</A> }.into_any(),
                ActionForm::Direct { confirm: None } => {
                    let button = button.clone();
                    view! {
                        <button type="button" class=class disabled=move || pending.get() on:click=move |_| send(button.clone())>
                            {move || label.get(i18n.lang()).to_owned()}
                        </button>
                    }
                    .into_any()
                }
                _ => {
                    let button = button.clone();
                    view! {
                        <button type="button" class=class on:click=move |_| { failure.set(None); open.set(Some(button.clone())) }>
                            {move || label.get(i18n.lang()).to_owned()}
                        </button>
                    }
                    .into_any()
                }
            }
        })
        .collect_view();
    view! {
        <div class="order-actions">{buttons_view}</div>
        {move || open.get().map(|button| {
            let (title, body, submit_label) = match &button.form {
                ActionForm::Direct { confirm } => (button.label.clone(), confirm.clone(), button.label.clone()),
                ActionForm::Reason { title, placeholder, submit_label } => (title.clone(), Some(placeholder.clone()), submit_label.clone()),
                ActionForm::Submit { title, submit_label } => (title.clone(), None, submit_label.clone()),
                ActionForm::Cashier { .. } => (button.label.clone(), None, button.label.clone()),
            };
            let is_reason = matches!(button.form, ActionForm::Reason { .. });
            let is_submit = matches!(button.form, ActionForm::Submit { .. });
            let placeholder = body.clone();
            let confirm_text = (!is_reason).then_some(body).flatten();
            let to_send = button.clone();
            view! {
                <div class="modal-backdrop">
                    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title">
                        <h2 id="modal-title">{move || title.get(i18n.lang()).to_owned()}</h2>
                        {confirm_text.map(|text| view! { <p>{move || text.get(i18n.lang()).to_owned()}</p> })}
                        {is_reason.then(|| view! {
                            <label for="action-reason">{i18n.t(Text::ReasonOptional)}</label>
                            <textarea
                                id="action-reason"
                                rows="3"
                                placeholder=move || placeholder.as_ref().map(|p| p.get(i18n.lang()).to_owned())
                                on:input=move |ev| reason.set(event_target_value(&ev))
                            ></textarea>
                        })}
                        {is_submit.then(|| view! {
                            <label for="version-number">{i18n.t(Text::VersionNumber)}</label>
                            <input id="version-number" placeholder="1.0.0" on:input=move |ev| version_number.set(event_target_value(&ev)) />
                            <label for="version-notes">{i18n.t(Text::VersionNotes)}</label>
                            <textarea id="version-notes" rows="3" on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                        })}
                        <FormAlert error=Signal::derive(move || failure.get()) />
                        <div class="modal-actions">
                            <button type="button" class="button" on:click=move |_| open.set(None)>{i18n.t(Text::Close)}</button>
                            <button type="button" class="button primary" disabled=move || pending.get() on:click=move |_| send(to_send.clone())>
                                {move || submit_label.get(i18n.lang()).to_owned()}
                            </button>
                        </div>
                    </div>
                </div>
            }
        })}
        {move || (open.get().is_none()).then(|| failure.get()).flatten().map(|error| view! {
            <p class="form-alert" role="alert">{move || error.message(i18n.lang())}</p>
        })}
    }
}

/// `/console/workspaces/{id}/orders/{order_no}`
#[component]
pub fn IsvOrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let order_no = param("order_no");
    let workspace_id = param_id("id");
    let refresh = RwSignal::new(0u64);
    let detail = Resource::new(
        move || (workspace_id(), order_no(), refresh.get()),
        |(workspace_id, order_no, _)| isv_order(workspace_id, order_no),
    );
    poll_changes(
        move || OrdersSide::Isv {
            workspace_id: workspace_id(),
        },
        refresh,
        move || detail_stamp(detail),
    );
    let notice = page_notice();
    view! {
        {notice}
        <PageTitle page=Text::OrderDetails />
        <section class="console wide">
            <WorkspaceTabs workspace_id=Signal::derive(workspace_id) current=Text::OrdersNav />
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(order) => view! { <OrderDetailView order workspace_id=workspace_id() refresh /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
            <p><A href=move || isv_orders_path(workspace_id())>{i18n.t(Text::BackToOrders)}</A></p>
        </section>
    }
}

#[component]
fn OrderDetailView(order: OrderDetail, workspace_id: i64, refresh: RwSignal<u64>) -> impl IntoView {
    let i18n = use_i18n();
    let done = Callback::new(move |_: ActionDone| refresh.update(|v| *v += 1));
    let OrderDetail {
        order_no,
        version,
        service_name,
        merchant_name,
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
        timeline,
        actions,
        now,
        ..
    } = order;
    let terminals = move || {
        terminals
            .iter()
            .map(|t| crate::i18n::Bilingual::label(*t, i18n.lang()))
            .collect::<Vec<_>>()
            .join(i18n.lang().list_separator())
    };
    let time = |at: Option<i64>| at.map(format_cst);
    view! {
        {view! { <div class="page-head">
            <h1>{i18n.t(Text::OrderNumber)} " " {order_no.to_string()}</h1>
            <OrderActions side=OrdersSide::Isv { workspace_id } order_no=order_no.clone() version buttons=actions done />
        </div> }.into_any()}
        <StatusTags status label=status_label cause=cancel_cause_label />
        {next_deadline.map(|deadline| view! { <p class="deadline"><Countdown deadline now /></p> })}
        {view! { <dl class="details panel">
            <dt>{i18n.t(Text::ServicesNav)}</dt><dd>{service_name}</dd>
            <dt>{i18n.t(Text::MerchantLabel)}</dt><dd>{merchant_name}</dd>
            <dt>{i18n.t(Text::MiniProgram)}</dt><dd>{mini_program_name} " (" {app_id.to_string()} ")"</dd>
            <dt>{i18n.t(Text::PublishingTerminals)}</dt><dd>{terminals}</dd>
            <dt>{i18n.t(Text::PeriodDays)}</dt><dd>{period_days}</dd>
            <dt>{i18n.t(Text::Amount)}</dt><dd>{format_yuan(amount.cents())}</dd>
            <dt>{i18n.t(Text::Contact)}</dt><dd>{contact_name} " " {contact_mobile}</dd>
            <dt>{i18n.t(Text::CreatedAt)}</dt><dd>{format_cst(created_at)}</dd>
            {time(paid_at).map(|at| view! { <dt>{i18n.t(Text::PaidAt)}</dt><dd>{at}</dd> })}
            {time(service_start_at).zip(time(service_end_at)).map(|(from, to)| view! { <dt>{i18n.t(Text::Validity)}</dt><dd>{from} " – " {to}</dd> })}
            {refund.map(|refund| view! {
                <dt>{i18n.t(Text::Refund)}</dt>
                <dd>{format_yuan(refund.amount.cents())} " · " {format_cst(refund.at)} " · " {move || refund.cause_label.get(i18n.lang()).to_owned()}</dd>
            })}
        </dl> }.into_any()}
        <Submissions submissions />
        <Timeline timeline />
        <p class="hint">{i18n.t(Text::TimesInCst)}</p>
    }
}

/// The versions the ISV submitted for the order, with the platform audit's answer.
#[component]
pub fn Submissions(submissions: Vec<SubmissionView>) -> impl IntoView {
    let i18n = use_i18n();
    (!submissions.is_empty()).then(|| view! {
        <section class="panel">
            <h2>{i18n.t(Text::Submissions)}</h2>
            <ul class="plain-list">
                {submissions.into_iter().map(|s| view! {
                    <li>
                        <strong>{s.version.clone()}</strong> " · " {move || s.status_label.get(i18n.lang()).to_owned()} " · " {format_cst(s.created_at)}
                        {(!s.notes.is_empty()).then(|| view! { <p class="muted">{s.notes.clone()}</p> })}
                        {s.audit_reason.clone().map(|r| view! { <p class="field-error">{i18n.t(Text::TurnDownReason)} {move || i18n.lang().colon()} {r.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }.into_any())
}

/// Every step of the order: when, who (or which timer), what, the status it led to, and why.
#[component]
pub fn Timeline(timeline: Vec<TimelineEntry>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel">
            <h2>{i18n.t(Text::Timeline)}</h2>
            <ol class="timeline" aria-label=i18n.t(Text::Timeline)>
                {timeline.into_iter().map(|entry| view! {
                    <li>
                        <time>{format_cst(entry.at)}</time>
                        " "
                        <strong>{move || entry.who.get(i18n.lang()).to_owned()}</strong>
                        {entry.username.clone().map(|u| view! { " (" {u} ")" })}
                        " · " {move || entry.what.get(i18n.lang()).to_owned()}
                        " → " {move || entry.to_label.get(i18n.lang()).to_owned()}
                        {entry.reason.clone().map(|r| view! { <p class="muted">{i18n.t(Text::TurnDownReason)} {move || i18n.lang().colon()} {r.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::format_left;

    #[test]
    fn time_left_reads_in_days_and_clock_time() {
        assert_eq!(format_left(0), "00:00:00");
        assert_eq!(format_left(-5_000), "00:00:00");
        assert_eq!(format_left(59_999), "00:00:59");
        assert_eq!(format_left(3 * 86_400_000 + 3_723_000), "3 d 01:02:03");
    }
}
