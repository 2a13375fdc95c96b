//! The order page (立即获取): `/market/services/{id}/order?plan_id=…&mini_program_id=…`, with
//! every rule of PRODUCT.md §2 as the server works it out ([`crate::ordering::api::order_page`]):
//! the plan, the merchant's mini programs (selectable, disabled with the reason, or left out
//! when authorized to another ISV), creating one inline, the high-risk overwrite warning that
//! needs an explicit acknowledgement, the terminals, the contact, the agreement and
//! 订购并授权. A merchant whose identity type the service does not accept is led to
//! certification and back here.
//!
//! The plan lives in the URL (the mini programs' availability depends on it); what the merchant
//! types lives in signals made at the top of the page, so reloading the page's data (another
//! plan, a new mini program) keeps it. `place_order` takes JSON, so the form dispatches the
//! server function with an [`OrderInput`] built from those signals.

use super::auth::{field_errors, invalid, last_error, Field, FieldNote, FormAlert};
use super::merchant_text::{days, loading, mt, price, MerchantText, MerchantTitle};
use super::my_services::{MerchantLoadError, MY_SERVICES_PATH};
use super::service_detail::id_param;
use crate::auth::FieldErrors;
use crate::domain::newtypes::format_cst;
use crate::error::AppError;
use crate::i18n::{use_i18n, Bilingual};
use crate::ordering::api::order_page;
use crate::ordering::{
    field, Availability, CreateMiniProgram, IdentityCheck, MiniProgramOption, NextStep, OrderInput,
    OrderPageView, PlaceOrder, PlacedOrder,
};
use crate::services::{order_path, PlanView, Terminal};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// What the merchant has chosen and typed on the order page.
#[derive(Clone, Copy)]
struct OrderForm {
    mini_program: RwSignal<Option<i64>>,
    terminals: RwSignal<Vec<Terminal>>,
    contact_name: RwSignal<String>,
    contact_mobile: RwSignal<String>,
    agree: RwSignal<bool>,
    acknowledge_overwrite: RwSignal<bool>,
}

impl OrderForm {
    fn new(mini_program: Option<i64>) -> Self {
        OrderForm {
            mini_program: RwSignal::new(mini_program),
            terminals: RwSignal::new(Vec::new()),
            contact_name: RwSignal::new(String::new()),
            contact_mobile: RwSignal::new(String::new()),
            agree: RwSignal::new(false),
            acknowledge_overwrite: RwSignal::new(false),
        }
    }

    /// The order as the server function takes it; the server checks every part of it.
    fn input(&self, service_id: i64, plan_id: i64) -> OrderInput {
        OrderInput {
            service_id,
            plan_id,
            // 0 is no mini program of anyone's: the server answers "Choose one of your mini
            // programs." beside the list.
            mini_program_id: self.mini_program.get_untracked().unwrap_or_default(),
            terminals: self
                .terminals
                .get_untracked()
                .into_iter()
                .map(|terminal| terminal.code().to_owned())
                .collect(),
            contact_name: self.contact_name.get_untracked(),
            contact_mobile: self.contact_mobile.get_untracked(),
            agree_to_agreement: self.agree.get_untracked(),
            acknowledge_overwrite: self.acknowledge_overwrite.get_untracked(),
        }
    }
}

/// The order page for another plan, keeping the chosen mini program.
pub fn plan_path(service_id: i64, plan_id: i64, mini_program_id: Option<i64>) -> String {
    let mut path = format!("{}?plan_id={plan_id}", order_path(service_id));
    if let Some(id) = mini_program_id {
        path.push_str(&format!("&mini_program_id={id}"));
    }
    path
}

/// Where 订购并授权 leads: the cashier for a priced order, else 我的服务, which says what
/// happens next.
pub fn next_path(placed: &PlacedOrder) -> String {
    match &placed.next {
        NextStep::Cashier { path, .. } => path.clone(),
        NextStep::AwaitAcceptance | NextStep::InDevelopment => {
            format!("{MY_SERVICES_PATH}?placed={}", placed.order.order_no)
        }
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let service_id = id_param("id");
    let query = use_query_map();
    let number = move |name: &'static str| {
        query.with(|q| q.get_str(name).and_then(|value| value.parse::<i64>().ok()))
    };
    // Every resource and action of the page is made here, outside the Suspense.
    let create = ServerAction::<CreateMiniProgram>::new();
    let place = ServerAction::<PlaceOrder>::new();
    let page = Resource::new(
        move || {
            (
                service_id(),
                number("plan_id"),
                number("mini_program_id"),
                create.version().get(),
            )
        },
        |(service_id, plan_id, mini_program_id, _)| {
            order_page(service_id, plan_id, mini_program_id)
        },
    );
    let form = OrderForm::new(query.with_untracked(|q| {
        q.get_str("mini_program_id")
            .and_then(|value| value.parse().ok())
    }));
    let creating = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(program)) = create.value().get() {
            form.mini_program.set(Some(program.id));
            creating.set(false);
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(placed)) = place.value().get() {
            navigate(&next_path(&placed), Default::default());
        }
    });
    view! {
        <MerchantTitle page=MerchantText::OrderTitle />
        <section class="merchant-page order-page">
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(view) => {
                            view! { <OrderSheet view form create creating place /> }.into_any()
                        }
                        Err(error) => {
                            view! { <OrderUnavailable error /> }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// Why the order page cannot be shown, with the way forward.
#[component]
fn OrderUnavailable(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound => view! {
            <p class="empty-state" role="status">{mt(MerchantText::ServiceUnavailable)}</p>
            <p class="back-link"><A href="/market">{mt(MerchantText::BackToMarketplace)}</A></p>
        }
        .into_any(),
        error => view! { <MerchantLoadError error /> }.into_any(),
    }
}

#[component]
fn OrderSheet(
    view: OrderPageView,
    form: OrderForm,
    create: ServerAction<CreateMiniProgram>,
    creating: RwSignal<bool>,
    place: ServerAction<PlaceOrder>,
) -> impl IntoView {
    let i18n = use_i18n();
    let errors = field_errors(place.value());
    let alert = last_error(place.value());
    let OrderPageView {
        service,
        selected_plan_id,
        mini_programs,
        terminals,
        choose_terminals,
        identity,
        agreement_path,
        ..
    } = view;
    let service_id = service.id;
    let fits = identity.fits;
    let plan = service
        .plans
        .iter()
        .find(|plan| plan.id == selected_plan_id)
        .cloned();
    let options = StoredValue::new(mini_programs);
    // The chosen mini program, while it is listed and selectable.
    let chosen = move || {
        let id = form.mini_program.get()?;
        options.with_value(|list| {
            list.iter()
                .find(|option| {
                    option.id == id && matches!(option.availability, Availability::Selectable)
                })
                .cloned()
        })
    };
    // Until the client has taken over, the button would post a plain form nowhere useful.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        place.dispatch(PlaceOrder {
            input: form.input(service_id, selected_plan_id),
        });
    };
    view! {
        <header class="order-head">
            <h1>{mt(MerchantText::OrderTitle)}</h1>
            <p class="order-service">
                <A href=crate::services::detail_path(service_id)>{service.name.clone()}</A>
            </p>
            <p class="service-isv">
                {mt(MerchantText::ServiceProvider)} {move || i18n.lang().colon()} {service.isv_name.clone()}
            </p>
        </header>
        <IdentityNotice identity errors />
        <PlanChoice service_id plans=service.plans.clone() selected_plan_id form />
        <fieldset class="panel choices" aria-describedby="mini_program_id-error">
            <legend>{mt(MerchantText::ChooseMiniProgram)}</legend>
            {move || {
                options
                    .with_value(Vec::is_empty)
                    .then(|| view! { <p class="hint">{mt(MerchantText::NoMiniProgramsYet)}</p> })
            }}
            <ul class="choice-list">
                {options
                    .get_value()
                    .into_iter()
                    .map(|option| view! { <MiniProgramChoice option form /> })
                    .collect_view()}
            </ul>
            <FieldNote errors field=field::MINI_PROGRAM_ID />
            <CreateMiniProgramInline create creating no_mini_programs=options.with_value(Vec::is_empty) />
        </fieldset>
        <form class="order-form" novalidate on:submit=submit>
            {move || chosen().and_then(|option| option.overwrite_warning).map(|warning| {
                view! { <OverwriteWarning warning=warning.get(i18n.lang()).to_owned() form errors /> }
            })}
            <Terminals terminals choose_terminals form errors />
            <div class="panel">
                <Field
                    name=field::CONTACT_NAME
                    label=MerchantText::ContactName
                    errors
                    autocomplete="name"
                    value=form.contact_name
                    initial=Some(form.contact_name.get_untracked())
                />
                <Field
                    name=field::CONTACT_MOBILE
                    label=MerchantText::ContactMobile
                    errors
                    input_type="tel"
                    autocomplete="tel"
                    described_by="contact_mobile-hint"
                    value=form.contact_mobile
                    initial=Some(form.contact_mobile.get_untracked())
                >
                    <p class="hint" id="contact_mobile-hint">{mt(MerchantText::ContactMobileHint)}</p>
                </Field>
                <label class="checkbox">
                    <input
                        type="checkbox"
                        name=field::AGREE_TO_AGREEMENT
                        prop:checked=move || form.agree.get()
                        on:change=move |ev| form.agree.set(event_target_checked(&ev))
                        aria-invalid=invalid(errors, field::AGREE_TO_AGREEMENT)
                    />
                    <span>
                        {mt(MerchantText::IAgreeToThe)} " "
                        <a href=agreement_path target="_blank">{mt(MerchantText::ServiceAgreement)}</a>
                    </span>
                </label>
                <FieldNote errors field=field::AGREE_TO_AGREEMENT />
            </div>
            <FieldNote errors field=field::PLAN_ID />
            <div class="order-total">
                <span>{mt(MerchantText::Total)}</span>
                {plan.map(|plan| view! {
                    <strong class="price">{move || price(plan.price, i18n.lang())}</strong>
                    <span class="muted">{move || days(plan.period_days, i18n.lang())}</span>
                })}
            </div>
            <FormAlert error=alert />
            <button
                type="submit"
                class="button primary wide"
                disabled=move || !fits || !ready.get() || place.pending().get()
            >
                {mt(MerchantText::OrderAndAuthorize)}
            </button>
        </form>
    }
}

/// The identity check: a service restricted to other identity types refuses the merchant and
/// leads it to certification (an individual: the upgrade to individual business).
#[component]
fn IdentityNotice(identity: IdentityCheck, errors: Signal<Option<FieldErrors>>) -> impl IntoView {
    let i18n = use_i18n();
    let IdentityCheck {
        message,
        certification_path,
        can_upgrade_to_individual_business,
        ..
    } = identity;
    let link_text = if can_upgrade_to_individual_business {
        MerchantText::UpgradeButton
    } else {
        MerchantText::GoToCertification
    };
    view! {
        {message.map(|message| {
            view! {
                <div class="form-alert identity-refusal" role="alert">
                    <p>{move || message.get(i18n.lang()).to_owned()}</p>
                    {certification_path.map(|href| {
                        view! { <A href=href attr:class="button primary small">{mt(link_text)}</A> }
                    })}
                </div>
            }
        })}
        <FieldNote errors field=field::SUBSCRIBER_RESTRICTION />
    }
}

/// The plans as radio buttons; choosing one reloads the page's data for it.
#[component]
fn PlanChoice(
    service_id: i64,
    plans: Vec<PlanView>,
    selected_plan_id: i64,
    form: OrderForm,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    view! {
        <fieldset class="panel choices">
            <legend>{mt(MerchantText::ChoosePlan)}</legend>
            <ul class="choice-list plan-choices">
                {plans
                    .into_iter()
                    .map(|plan| {
                        let navigate = navigate.clone();
                        let id = format!("plan-{}", plan.id);
                        view! {
                            <li class="choice">
                                <input
                                    type="radio"
                                    id=id.clone()
                                    name="plan_id"
                                    value=plan.id.to_string()
                                    checked=plan.id == selected_plan_id
                                    on:change=move |_| {
                                        let path = plan_path(service_id, plan.id, form.mini_program.get_untracked());
                                        navigate(&path, NavigateOptions { replace: true, scroll: false, ..Default::default() });
                                    }
                                />
                                <label for=id>
                                    <span class="choice-name">{move || days(plan.period_days, i18n.lang())}</span>
                                    <strong class="price">{move || price(plan.price, i18n.lang())}</strong>
                                </label>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </fieldset>
    }
}

/// One mini program: a radio button, greyed out with the reason when it cannot order.
#[component]
fn MiniProgramChoice(option: MiniProgramOption, form: OrderForm) -> impl IntoView {
    let i18n = use_i18n();
    let MiniProgramOption {
        id,
        name,
        app_id,
        availability,
        valid_to,
        ..
    } = option;
    let reason = match availability {
        Availability::Disabled { reason } => Some(reason),
        Availability::Selectable => None,
    };
    let disabled = reason.is_some();
    let input_id = format!("mini-program-{id}");
    let reason_id = format!("mini-program-{id}-reason");
    view! {
        <li class="choice" class:disabled=disabled>
            <input
                type="radio"
                id=input_id.clone()
                name="mini_program_id"
                value=id.to_string()
                disabled=disabled
                aria-describedby=disabled.then(|| reason_id.clone())
                prop:checked=move || !disabled && form.mini_program.get() == Some(id)
                on:change=move |_| form.mini_program.set(Some(id))
            />
            <label for=input_id>
                <span class="choice-name">{name}</span>
                <span class="muted app-id">"APPID " {app_id.to_string()}</span>
            </label>
            {reason.map(|reason| {
                view! { <p class="choice-reason" id=reason_id>{move || reason.get(i18n.lang()).to_owned()}</p> }
            })}
            {valid_to.map(|end| {
                view! {
                    <p class="hint choice-note">
                        {mt(MerchantText::CurrentValidityEnds)} {move || i18n.lang().colon()} {format_cst(end)}
                    </p>
                }
            })}
        </li>
    }
}

/// 新建小程序 on the order page; the new mini program is chosen once it exists.
#[component]
fn CreateMiniProgramInline(
    create: ServerAction<CreateMiniProgram>,
    creating: RwSignal<bool>,
    no_mini_programs: bool,
) -> impl IntoView {
    let open = move || no_mini_programs || creating.get();
    view! {
        <Show
            when=open
            fallback=move || view! {
                <button type="button" class="button small" on:click=move |_| creating.set(true)>
                    "+ " {mt(MerchantText::CreateMiniProgram)}
                </button>
            }
        >
            <MiniProgramForm create />
            {(!no_mini_programs).then(|| view! {
                <button type="button" class="link-button" on:click=move |_| creating.set(false)>
                    {mt(MerchantText::Cancel)}
                </button>
            })}
        </Show>
        {move || matches!(create.value().get(), Some(Ok(_))).then(|| {
            view! { <p class="notice" role="status">{mt(MerchantText::MiniProgramCreated)}</p> }
        })}
    }
}

/// The mini program form (name, App ID): on the order page and the mini programs page.
#[component]
pub fn MiniProgramForm(create: ServerAction<CreateMiniProgram>) -> impl IntoView {
    let errors = field_errors(create.value());
    let alert = last_error(create.value());
    view! {
        <ActionForm action=create attr:class="mini-program-form" attr:novalidate="">
            <h3>{mt(MerchantText::CreateMiniProgram)}</h3>
            <Field name=field::NAME label=MerchantText::MiniProgramName errors />
            <Field
                name=field::APP_ID
                label=MerchantText::AppIdOptional
                errors
                optional=true
                described_by="app_id-hint"
            >
                <p class="hint" id="app_id-hint">{mt(MerchantText::AppIdHint)}</p>
            </Field>
            <FormAlert error=alert />
            <button type="submit" class="button primary small" disabled=move || create.pending().get()>
                {mt(MerchantText::Create)}
            </button>
        </ActionForm>
    }
}

/// The high-risk warning of a mini program with built versions, and its acknowledgement.
#[component]
fn OverwriteWarning(
    warning: String,
    form: OrderForm,
    errors: Signal<Option<FieldErrors>>,
) -> impl IntoView {
    view! {
        <div class="warning-box" role="note">
            <p>{warning}</p>
            <label class="checkbox">
                <input
                    type="checkbox"
                    name=field::ACKNOWLEDGE_OVERWRITE
                    prop:checked=move || form.acknowledge_overwrite.get()
                    on:change=move |ev| form.acknowledge_overwrite.set(event_target_checked(&ev))
                    aria-invalid=invalid(errors, field::ACKNOWLEDGE_OVERWRITE)
                />
                <span>{mt(MerchantText::AcknowledgeOverwrite)}</span>
            </label>
            // The server's message repeats the warning just above; a short prompt says what to do.
            {move || {
                errors
                    .with(|e| e.as_ref().is_some_and(|e| e.get(field::ACKNOWLEDGE_OVERWRITE).is_some()))
                    .then(|| {
                        view! {
                            <p class="field-error" id="acknowledge_overwrite-error">
                                {mt(MerchantText::ConfirmOverwriteFirst)}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// The publishing terminals: a choice when the service supports several, else the one it has.
#[component]
fn Terminals(
    terminals: Vec<Terminal>,
    choose_terminals: bool,
    form: OrderForm,
    errors: Signal<Option<FieldErrors>>,
) -> impl IntoView {
    let i18n = use_i18n();
    if !choose_terminals {
        return view! {
            <p class="hint">
                {mt(MerchantText::PublishedTo)} {move || i18n.lang().colon()}
                {move || super::merchant_text::list(&terminals, i18n.lang())}
            </p>
        }
        .into_any();
    }
    view! {
        <fieldset class="panel choices">
            <legend>{mt(MerchantText::TerminalsLabel)}</legend>
            {terminals
                .into_iter()
                .map(|terminal| {
                    view! {
                        <label class="checkbox">
                            <input
                                type="checkbox"
                                name=field::TERMINALS
                                value=terminal.code()
                                prop:checked=move || form.terminals.with(|chosen| chosen.contains(&terminal))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    form.terminals.update(|chosen| {
                                        chosen.retain(|t| *t != terminal);
                                        if on {
                                            chosen.push(terminal);
                                        }
                                    });
                                }
                            />
                            <span>{move || terminal.label(i18n.lang())}</span>
                        </label>
                    }
                })
                .collect_view()}
            <FieldNote errors field=field::TERMINALS />
        </fieldset>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_plan_keeps_the_chosen_mini_program() {
        assert_eq!(plan_path(7, 2, None), "/market/services/7/order?plan_id=2");
        assert_eq!(
            plan_path(7, 2, Some(5)),
            "/market/services/7/order?plan_id=2&mini_program_id=5"
        );
    }
}
