//! Service Management > Services (seed 001 §1-3): an ISV workspace's services, the form that
//! creates and edits one (name, category, type, description, publishing terminals, plans,
//! maximum order period, subscriber restriction, acceptance, merchant access URLs, Try now
//! preview), and its page with the status and the actions the table allows the caller
//! (Submit for Review, Withdraw, Archive).
//!
//! The form carries lists (terminals, plans, identity types), so it is read from the DOM with
//! `FormData` on submit and sent as JSON to `create_service` / `update_service`.

use super::auth::{FieldNote, FormAlert};
use super::console::WorkspaceTabs;
use super::service_images::{ServiceGallery, ServiceImagesEditor};
use super::{param_id, LoadError, PageTitle};
use crate::auth::FieldErrors;
use crate::catalog::{format_yuan, Category, ServiceType};
use crate::domain::newtypes::format_cst;
use crate::error::AppError;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::onboarding::IdentityType;
use crate::services::api::{
    create_service, service_for_editing, update_service, workspace_services,
};
use crate::services::{
    field, ArchiveService, PlanInput, ServiceAction, ServiceEditorView, ServiceInput,
    ServiceStatus, ServiceSummary, ServiceView, SubmitService, Terminal, WithdrawService,
};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// The console page of one service.
pub fn service_path(service_id: i64) -> String {
    format!("/console/services/{service_id}")
}

/// A workspace's service list.
pub fn services_path(workspace_id: i64) -> String {
    format!("/console/workspaces/{workspace_id}/services")
}

/// `/console/workspaces/{id}/services`
#[component]
pub fn ServicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let workspace_id = param_id("id");
    let services = Resource::new(workspace_id, workspace_services);
    view! {
        <PageTitle page=Text::ServicesNav />
        <section class="console">
            <WorkspaceTabs workspace_id=Signal::derive(workspace_id) current=Text::ServicesNav />
            <div class="page-head">
                <h1>{i18n.t(Text::ServicesNav)}</h1>
                <A href=move || format!("{}/new", services_path(workspace_id())) attr:class="button primary">
                    {i18n.t(Text::CreateService)}
                </A>
            </div>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match services.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty-state" role="status">{i18n.t(Text::NoServicesYet)}</p> }.into_any()
                        }
                        Ok(list) => view! { <ServiceTable list /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ServiceTable(list: Vec<ServiceSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll">
            <table class="data-table" aria-label=i18n.t(Text::ServicesNav)>
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Text::ServiceName)}</th>
                        <th scope="col">{i18n.t(Text::Category)}</th>
                        <th scope="col">{i18n.t(Text::ServiceTypeLabel)}</th>
                        <th scope="col">{i18n.t(Text::PriceFrom)}</th>
                        <th scope="col">{i18n.t(Text::Status)}</th>
                        <th scope="col">{i18n.t(Text::UpdatedAt)}</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|service| {
                            let ServiceSummary { id, name, category, service_type, status, turn_down_reason, lowest_price, updated_at } = service;
                            view! {
                                <tr>
                                    <td>
                                        <A href=service_path(id)>{name}</A>
                                    </td>
                                    <td>{move || category.label(i18n.lang())}</td>
                                    <td>{move || service_type.label(i18n.lang())}</td>
                                    <td>{lowest_price.map(|price| format_yuan(price.cents()))}</td>
                                    <td>
                                        <StatusTag status />
                                        {turn_down_reason.map(|reason| view! { <p class="field-error">{reason}</p> })}
                                    </td>
                                    <td>{format_cst(updated_at)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="hint">{i18n.t(Text::TimesInCst)}</p>
    }
}

#[component]
fn StatusTag(status: ServiceStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class=format!("tag service-{}", status.code())>{move || status.label(i18n.lang())}</span> }
}

/// `/console/workspaces/{id}/services/new`
#[component]
pub fn NewServicePage() -> impl IntoView {
    let i18n = use_i18n();
    let workspace_id = param_id("id");
    let navigate = use_navigate();
    let saved = Callback::new(move |service: ServiceView| {
        navigate(&service_path(service.id), Default::default());
    });
    view! {
        <PageTitle page=Text::CreateService />
        <section class="console">
            <WorkspaceTabs workspace_id=Signal::derive(workspace_id) current=Text::ServicesNav />
            <h1>{i18n.t(Text::CreateService)}</h1>
            {move || {
                let workspace_id = workspace_id();
                view! { <ServiceForm workspace_id service=None saved /> }
            }}
        </section>
    }
}

/// `/console/services/{id}`: the service, its status, its actions, and the form while it may
/// be edited.
#[component]
pub fn ServicePage() -> impl IntoView {
    let i18n = use_i18n();
    let service_id = param_id("id");
    let submit = ServerAction::<SubmitService>::new();
    let withdraw = ServerAction::<WithdrawService>::new();
    let archive = ServerAction::<ArchiveService>::new();
    let edits = RwSignal::new(0u64);
    let editor = Resource::new(
        move || {
            (
                service_id(),
                edits.get(),
                submit.version().get(),
                withdraw.version().get(),
                archive.version().get(),
            )
        },
        |(service_id, ..)| service_for_editing(service_id),
    );
    let notice = RwSignal::new(None::<Text>);
    let actions = StatusActions {
        submit,
        withdraw,
        archive,
        edits,
        notice,
    };
    // What the last step came to; kept here, as the editor below is drawn anew after each one.
    Effect::new(move |_| {
        if submit.value().with(|v| matches!(v, Some(Ok(_)))) {
            notice.set(Some(Text::ServiceSubmittedNotice));
        }
    });
    Effect::new(move |_| {
        if withdraw.value().with(|v| matches!(v, Some(Ok(_)))) {
            notice.set(Some(Text::ServiceWithdrawnNotice));
        }
    });
    Effect::new(move |_| {
        if archive.value().with(|v| matches!(v, Some(Ok(_)))) {
            notice.set(Some(Text::ServiceArchivedNotice));
        }
    });
    let workspace_id = Signal::derive(move || {
        editor
            .get()
            .and_then(|e| e.ok())
            .map(|e| e.service.workspace_id)
            .unwrap_or(0)
    });
    view! {
        <PageTitle page=Text::ServicesNav />
        <section class="console">
            <Transition>
                <Show when=move || workspace_id.get() != 0>
                    <WorkspaceTabs workspace_id current=Text::ServicesNav />
                </Show>
            </Transition>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match editor.await {
                        Ok(view) => view! { <ServiceEditor view actions /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[derive(Clone, Copy)]
struct StatusActions {
    submit: ServerAction<SubmitService>,
    withdraw: ServerAction<WithdrawService>,
    archive: ServerAction<ArchiveService>,
    /// Bumped after a save, so the page shows what was stored.
    edits: RwSignal<u64>,
    /// The notice about the last step (saved, submitted, withdrawn, archived).
    notice: RwSignal<Option<Text>>,
}

#[component]
fn ServiceEditor(view: ServiceEditorView, actions: StatusActions) -> impl IntoView {
    let i18n = use_i18n();
    let ServiceEditorView {
        service,
        allowed_actions,
        ..
    } = view;
    let StatusActions {
        submit,
        withdraw,
        archive,
        edits,
        notice,
    } = actions;
    let id = service.id;
    let status = service.status;
    let editable = allowed_actions.contains(&ServiceAction::Edit);
    let failure = Signal::derive(move || {
        [
            submit.value().get().and_then(|r| r.err()),
            withdraw.value().get().and_then(|r| r.err()),
            archive.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    let button = move |action: ServiceAction| -> AnyView {
        let hidden = view! { <input type="hidden" name="service_id" value=id.to_string() /> };
        let label = move || action.label(i18n.lang());
        match action {
            ServiceAction::Submit => view! {
                <ActionForm action=submit attr:class="inline-form">
                    {hidden}
                    <button type="submit" class="button primary" disabled=move || submit.pending().get()>{label}</button>
                </ActionForm>
            }
            .into_any(),
            ServiceAction::Withdraw => view! {
                <ActionForm action=withdraw attr:class="inline-form">
                    {hidden}
                    <button type="submit" class="button" disabled=move || withdraw.pending().get()>{label}</button>
                </ActionForm>
            }
            .into_any(),
            ServiceAction::Archive => view! {
                <ActionForm action=archive attr:class="inline-form">
                    {hidden}
                    <button type="submit" class="button danger" disabled=move || archive.pending().get()>{label}</button>
                </ActionForm>
            }
            .into_any(),
            _ => ().into_any(),
        }
    };
    let locked = match status {
        ServiceStatus::PendingReview => Some(Text::ServicePendingReviewLocked),
        ServiceStatus::Online => Some(Text::ServiceOnlineLocked),
        ServiceStatus::Archived => Some(Text::ServiceArchivedLocked),
        _ => None,
    };
    let saved = Callback::new(move |_: ServiceView| {
        notice.set(Some(Text::Saved));
        edits.update(|v| *v += 1);
    });
    let workspace_id = service.workspace_id;
    view! {
        <div class="page-head">
            <h1>{service.name.clone()}</h1>
            <div class="page-actions">{allowed_actions.iter().copied().map(button).collect_view()}</div>
        </div>
        <p class="service-tags">
            <StatusTag status />
        </p>
        {move || notice.get().map(|text| view! { <p class="notice" role="status">{i18n.t(text)}</p> })}
        <FormAlert error=failure />
        {service.turn_down_reason.clone().map(|reason| {
            view! { <p class="form-alert" role="alert">{i18n.t(Text::TurnDownReason)} {move || i18n.lang().colon()} {reason}</p> }
        })}
        {locked.map(|text| view! { <p class="notice">{i18n.t(text)}</p> })}
        {if editable {
            let images = service.images.clone();
            let name = service.name.clone();
            view! {
                <ServiceForm workspace_id service=Some(service) saved />
                <ServiceImagesEditor service_id=id images name />
            }
            .into_any()
        } else {
            view! {
                <ServiceSummaryView service />
                {(status != ServiceStatus::Archived).then(|| view! { <p class="muted">{i18n.t(Text::ServiceImagesLocked)}</p> })}
            }
            .into_any()
        }}
        <p>
            <A href=services_path(workspace_id)>{i18n.t(Text::BackToServices)}</A>
        </p>
    }
}

/// Every field of a service, read-only (and in the reviewer's queue).
#[component]
pub fn ServiceSummaryView(service: ServiceView) -> impl IntoView {
    let i18n = use_i18n();
    let ServiceView {
        name,
        category,
        service_type,
        description,
        terminals,
        plans,
        max_order_period_days,
        subscriber_restriction,
        needs_acceptance,
        mobile_access_url,
        pc_access_url,
        preview_url,
        images,
        ..
    } = service;
    let gallery_name = name.clone();
    let terminals = move || {
        terminals
            .iter()
            .map(|t| t.label(i18n.lang()))
            .collect::<Vec<_>>()
            .join(i18n.lang().list_separator())
    };
    let restriction = move || {
        if subscriber_restriction.is_empty() {
            Text::Anyone.get(i18n.lang()).to_owned()
        } else {
            subscriber_restriction
                .iter()
                .map(|t| t.label(i18n.lang()))
                .collect::<Vec<_>>()
                .join(i18n.lang().list_separator())
        }
    };
    let plans = move || {
        plans
            .iter()
            .map(|plan| {
                let price = if plan.price.cents() == 0 {
                    Text::Free.get(i18n.lang()).to_owned()
                } else {
                    format_yuan(plan.price.cents())
                };
                format!(
                    "{} {} · {price}",
                    plan.period_days,
                    Text::Days.get(i18n.lang())
                )
            })
            .collect::<Vec<_>>()
            .join(i18n.lang().list_separator())
    };
    let url = |value: Option<String>| match value {
        Some(url) => {
            let href = url.clone();
            view! { <a href=href target="_blank" rel="noopener noreferrer">{url}</a> }.into_any()
        }
        None => view! { <span class="muted">{i18n.t(Text::NotProvided)}</span> }.into_any(),
    };
    view! {
        <dl class="details panel">
            <dt>{i18n.t(Text::ServiceName)}</dt>
            <dd>{name}</dd>
            <dt>{i18n.t(Text::Category)}</dt>
            <dd>{move || category.label(i18n.lang())}</dd>
            <dt>{i18n.t(Text::ServiceTypeLabel)}</dt>
            <dd>{move || service_type.label(i18n.lang())}</dd>
            <dt>{i18n.t(Text::Description)}</dt>
            <dd class="pre-line">{description}</dd>
            <dt>{i18n.t(Text::PublishingTerminals)}</dt>
            <dd>{terminals}</dd>
            <dt>{i18n.t(Text::Plans)}</dt>
            <dd>{plans}</dd>
            <dt>{i18n.t(Text::MaxOrderPeriod)}</dt>
            <dd>{max_order_period_days}</dd>
            <dt>{i18n.t(Text::SubscriberRestriction)}</dt>
            <dd>{restriction}</dd>
            <dt>{i18n.t(Text::NeedsAcceptance)}</dt>
            <dd>{move || if needs_acceptance { i18n.t(Text::Yes)() } else { i18n.t(Text::No)() }}</dd>
            <dt>{i18n.t(Text::MobileAccessUrl)}</dt>
            <dd>{url(mobile_access_url)}</dd>
            <dt>{i18n.t(Text::PcAccessUrl)}</dt>
            <dd>{url(pc_access_url)}</dd>
            <dt>{i18n.t(Text::PreviewUrl)}</dt>
            <dd>{url(preview_url)}</dd>
            <dt>{i18n.t(Text::ServiceImages)}</dt>
            <dd>
                {if images.is_empty() {
                    view! { <span class="muted">{i18n.t(Text::NoServiceImages)}</span> }.into_any()
                } else {
                    view! { <ServiceGallery images name=gallery_name /> }.into_any()
                }}
            </dd>
        </dl>
    }
}

/// Reads every value of a multi-valued form field (checkboxes, plan rows).
fn all_values(data: &FormData, name: &str) -> Vec<String> {
    data.get_all(name)
        .iter()
        .filter_map(|value| value.as_string())
        .collect()
}

fn one_value(data: &FormData, name: &str) -> String {
    data.get(name).as_string().unwrap_or_default()
}

/// The form's values as the server function takes them; rules are checked on the server.
fn read_service_form(data: &FormData) -> ServiceInput {
    let periods = all_values(data, "plan_period");
    let prices = all_values(data, "plan_price");
    ServiceInput {
        name: one_value(data, field::NAME),
        category: one_value(data, field::CATEGORY),
        service_type: one_value(data, field::SERVICE_TYPE),
        description: one_value(data, field::DESCRIPTION),
        terminals: all_values(data, field::TERMINALS),
        plans: periods
            .into_iter()
            .zip(prices)
            .map(|(period_days, price)| PlanInput { period_days, price })
            .collect(),
        max_order_period_days: one_value(data, field::MAX_ORDER_PERIOD_DAYS),
        subscriber_restriction: all_values(data, field::SUBSCRIBER_RESTRICTION),
        needs_acceptance: data.has("needs_acceptance"),
        mobile_access_url: one_value(data, field::MOBILE_ACCESS_URL),
        pc_access_url: one_value(data, field::PC_ACCESS_URL),
        preview_url: one_value(data, field::PREVIEW_URL),
    }
}

/// Creates a service (`service` = None) or edits it; `saved` gets what was stored.
#[component]
fn ServiceForm(
    workspace_id: i64,
    service: Option<ServiceView>,
    saved: Callback<ServiceView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = RwSignal::new(None::<Result<ServiceView, AppError>>);
    let pending = RwSignal::new(false);
    let service_id = service.as_ref().map(|s| s.id);
    let errors = Signal::derive(move || {
        outcome.with(|o| match o {
            Some(Err(error)) => error.fields().cloned(),
            _ => None,
        })
    });
    let alert = Signal::derive(move || {
        outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().err().cloned()))
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
        let input = read_service_form(&data);
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = match service_id {
                Some(service_id) => update_service(service_id, input).await,
                None => create_service(workspace_id, input).await,
            };
            pending.set(false);
            if let Ok(stored) = &result {
                saved.run(stored.clone());
            }
            outcome.set(Some(result));
        });
    };

    let initial = service.clone();
    let text =
        move |pick: fn(&ServiceView) -> String| initial.as_ref().map(pick).unwrap_or_default();
    let name = text(|s| s.name.clone());
    let description = text(|s| s.description.clone());
    let max_period = text(|s| s.max_order_period_days.to_string());
    let mobile_url = text(|s| s.mobile_access_url.clone().unwrap_or_default());
    let pc_url = text(|s| s.pc_access_url.clone().unwrap_or_default());
    let preview_url = text(|s| s.preview_url.clone().unwrap_or_default());
    let category = service.as_ref().map(|s| s.category);
    let service_type = service.as_ref().map(|s| s.service_type);
    let terminals = service
        .as_ref()
        .map(|s| s.terminals.clone())
        .unwrap_or_default();
    let restriction = service
        .as_ref()
        .map(|s| s.subscriber_restriction.clone())
        .unwrap_or_default();
    let needs_acceptance = service.as_ref().is_some_and(|s| s.needs_acceptance);
    let plans: Vec<(String, String)> = service
        .as_ref()
        .map(|s| {
            s.plans
                .iter()
                .map(|p| (p.period_days.to_string(), p.price.to_string()))
                .collect()
        })
        .unwrap_or_default();

    view! {
        <form class="service-form panel" novalidate on:submit=on_submit>
            <TextInput name=field::NAME label=Text::ServiceName errors value=name />
            <label for=field::CATEGORY>{i18n.t(Text::Category)}</label>
            <select id=field::CATEGORY name=field::CATEGORY>
                {Category::ALL
                    .into_iter()
                    .map(|c| view! { <option value=c.code() selected=category == Some(c)>{move || c.label(i18n.lang())}</option> })
                    .collect_view()}
            </select>
            <FieldNote errors field=field::CATEGORY />
            <fieldset>
                <legend>{i18n.t(Text::ServiceTypeLabel)}</legend>
                {ServiceType::ALL
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let checked = service_type.map_or(i == 0, |chosen| chosen == t);
                        view! {
                            <label class="choice">
                                <input type="radio" name=field::SERVICE_TYPE value=t.code() checked=checked />
                                <span>{move || t.label(i18n.lang())}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <FieldNote errors field=field::SERVICE_TYPE />
            <label for=field::DESCRIPTION>{i18n.t(Text::Description)}</label>
            <textarea id=field::DESCRIPTION name=field::DESCRIPTION rows="4">{description}</textarea>
            <FieldNote errors field=field::DESCRIPTION />
            <fieldset>
                <legend>{i18n.t(Text::PublishingTerminals)}</legend>
                {Terminal::ALL
                    .iter()
                    .copied()
                    .map(|t| {
                        view! {
                            <label class="choice">
                                <input type="checkbox" name=field::TERMINALS value=t.code() checked=terminals.contains(&t) />
                                <span>{move || t.label(i18n.lang())}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <FieldNote errors field=field::TERMINALS />
            <PlanRows plans errors />
            <TextInput
                name=field::MAX_ORDER_PERIOD_DAYS
                label=Text::MaxOrderPeriod
                errors
                value=max_period
                hint=Text::MaxOrderPeriodHint
                numeric=true
            />
            <fieldset>
                <legend>{i18n.t(Text::SubscriberRestriction)}</legend>
                {IdentityType::ALL
                    .into_iter()
                    .map(|t| {
                        view! {
                            <label class="choice">
                                <input type="checkbox" name=field::SUBSCRIBER_RESTRICTION value=t.code() checked=restriction.contains(&t) />
                                <span>{move || t.label(i18n.lang())}</span>
                            </label>
                        }
                    })
                    .collect_view()}
                <p class="hint">{i18n.t(Text::SubscriberRestrictionHint)}</p>
            </fieldset>
            <FieldNote errors field=field::SUBSCRIBER_RESTRICTION />
            <label class="checkbox">
                <input type="checkbox" name="needs_acceptance" value="on" checked=needs_acceptance />
                <span>{i18n.t(Text::NeedsAcceptance)}</span>
            </label>
            <TextInput name=field::MOBILE_ACCESS_URL label=Text::MobileAccessUrl errors value=mobile_url input_type="url" />
            <TextInput name=field::PC_ACCESS_URL label=Text::PcAccessUrl errors value=pc_url input_type="url" />
            <TextInput name=field::PREVIEW_URL label=Text::PreviewUrl errors value=preview_url input_type="url" />
            <FormAlert error=alert />
            <button type="submit" class="button primary" disabled=move || pending.get()>
                {move || if pending.get() { i18n.t(Text::Working)() } else { i18n.t(Text::Save)() }}
            </button>
        </form>
    }
}

/// A labelled text input with its hint and error; not `required` (the server says what is).
#[component]
fn TextInput(
    name: &'static str,
    label: Text,
    #[prop(into)] errors: Signal<Option<FieldErrors>>,
    value: String,
    #[prop(optional)] hint: Option<Text>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=name>{i18n.t(label)}</label>
        <input
            id=name
            name=name
            type=input_type.unwrap_or("text")
            inputmode=numeric.then_some("numeric")
            value=value
            aria-invalid=super::auth::invalid(errors, name)
        />
        {hint.map(|hint| view! { <p class="hint">{i18n.t(hint)}</p> })}
        <FieldNote errors field=name />
    }
}

/// The plan rows: a period and a price each; rows can be added and removed (at least one).
#[component]
fn PlanRows(
    plans: Vec<(String, String)>,
    #[prop(into)] errors: Signal<Option<FieldErrors>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let initial: Vec<(u32, String, String)> = if plans.is_empty() {
        vec![(0, String::new(), String::new())]
    } else {
        plans
            .into_iter()
            .enumerate()
            .map(|(i, (period, price))| (i as u32, period, price))
            .collect()
    };
    let next_key = StoredValue::new(initial.len() as u32);
    let rows = RwSignal::new(initial);
    let message = move |key: u32, name: fn(usize) -> String| {
        move || {
            let index = rows.with(|rows| rows.iter().position(|(k, ..)| *k == key))?;
            errors.with(|e| {
                e.as_ref()
                    .and_then(|e| e.message(&name(index), i18n.lang()).map(str::to_owned))
            })
        }
    };
    view! {
        <fieldset class="plans">
            <legend>{i18n.t(Text::Plans)}</legend>
            <p class="hint">{i18n.t(Text::PlansHint)}</p>
            <For each=move || rows.get() key=|(key, ..)| *key let:row>
                {
                    let (key, period, price) = row;
                    let period_error = message(key, field::plan_period);
                    let price_error = message(key, field::plan_price);
                    view! {
                        <div class="plan-row">
                            <label>
                                <span>{i18n.t(Text::PeriodDays)}</span>
                                <input name="plan_period" inputmode="numeric" value=period />
                            </label>
                            <label>
                                <span>{i18n.t(Text::PriceYuan)}</span>
                                <input name="plan_price" inputmode="decimal" value=price />
                            </label>
                            <button
                                type="button"
                                class="link-button danger"
                                disabled=move || rows.with(|rows| rows.len() <= 1)
                                on:click=move |_| rows.update(|rows| rows.retain(|(k, ..)| *k != key))
                            >
                                {i18n.t(Text::Remove)}
                            </button>
                            <p class="field-error">{period_error}</p>
                            <p class="field-error">{price_error}</p>
                        </div>
                    }
                }
            </For>
            <button
                type="button"
                class="button small"
                on:click=move |_| {
                    let key = next_key.get_value();
                    next_key.set_value(key + 1);
                    rows.update(|rows| rows.push((key, String::new(), String::new())));
                }
            >
                {i18n.t(Text::AddPlan)}
            </button>
            <FieldNote errors field=field::PLANS />
        </fieldset>
    }
}
