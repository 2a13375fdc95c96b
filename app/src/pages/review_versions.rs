//! The reviewer's version audit and platform clock (`/review/versions`): the versions ISVs
//! submitted for approval, oldest first, each with its order; Pass, or Reject with a reason the
//! ISV sees; the switch that makes audits pass automatically; and the platform clock, which a
//! reviewer moves forward in sandbox mode (`SANDBOX=true`) to watch the order timers fire.
//! Reviewers only: the server refuses anyone else.

use super::auth::{field_errors, last_error, FieldNote, FormAlert};
use super::review_text::{format_offset, rt, ReviewText};
use super::{LoadError, PageTitle};
use crate::auth::FieldErrors;
use crate::domain::newtypes::format_cst;
use crate::error::AppError;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::orders::api::{
    platform_clock, version_audits, AdvanceClock, PassVersion, RejectVersion, SetAutoAudit,
};
use crate::orders::{field, AuditItem, AuditQueue, OrdersText, SandboxClock};
use leptos::prelude::*;
use leptos_router::components::A;

/// The tabs between the reviewer's pages: the onboarding and services queues (`/review`) and
/// this page.
#[component]
pub fn ReviewTabs(current: ReviewText) -> impl IntoView {
    let tab = move |text: ReviewText, href: &'static str| {
        view! {
            <A href=href exact=true attr:class="tab" attr:aria-current=move || (text == current).then_some("page")>
                {rt(text)}
            </A>
        }
    };
    view! {
        <nav class="tabs" aria-label=rt(ReviewText::ReviewTabs)>
            {tab(ReviewText::TabApplications, "/review")}
            {tab(ReviewText::TabVersions, "/review/versions")}
        </nav>
    }
}

/// An error the form shows above its buttons: anything but a message about one field (those
/// stand beside their field).
fn form_level(error: Option<AppError>) -> Option<AppError> {
    error.filter(|e| {
        e.fields()
            .is_none_or(|f| f.get(FieldErrors::FORM).is_some())
    })
}

/// `/review/versions`
#[component]
pub fn VersionAuditPage() -> impl IntoView {
    let i18n = use_i18n();
    // Bumped by each decision and each switch of the automatic pass: the queue is read again.
    let decided = RwSignal::new(0u64);
    // Bumped when the clock moved: it is read again.
    let moved = RwSignal::new(0u64);
    let notice = RwSignal::new(None::<ReviewText>);
    let audits = Resource::new(move || decided.get(), |_| version_audits());
    let clock = Resource::new(move || moved.get(), |_| platform_clock());
    let set_auto = ServerAction::<SetAutoAudit>::new();
    Effect::new(move |_| {
        if let Some(Ok(queue)) = set_auto.value().get() {
            notice.set(Some(if queue.auto_pass {
                ReviewText::AutoPassTurnedOn
            } else {
                ReviewText::AutoPassTurnedOff
            }));
            decided.update(|v| *v += 1);
        }
    });
    let advance = ServerAction::<AdvanceClock>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = advance.value().get() {
            notice.set(Some(ReviewText::ClockMoved));
            moved.update(|v| *v += 1);
        }
    });
    let board = Board { decided, notice };
    view! {
        <PageTitle page=Text::ReviewQueueTitle />
        <section class="console">
            <ReviewTabs current=ReviewText::TabVersions />
            <h1>{i18n.t(Text::ReviewQueueTitle)}</h1>
            {move || notice.get().map(|text| view! { <p class="notice" role="status">{rt(text)}</p> })}
            <section class="panel" aria-labelledby="clock-title">
                <h2 id="clock-title">{rt(ReviewText::PlatformClock)}</h2>
                <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match clock.await {
                            Ok(clock) => view! { <ClockView clock advance /> }.into_any(),
                            Err(error) => view! { <LoadError error /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <h2>{rt(ReviewText::VersionAuditTitle)}</h2>
            <p class="hint">{rt(ReviewText::VersionAuditLead)}</p>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match audits.await {
                        Ok(queue) => view! { <AuditQueueView queue set_auto board /> }.into_any(),
                        // A non-reviewer's refusal is already shown above.
                        Err(_) => ().into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The platform time, how far it was moved, and (sandbox mode) the form that moves it.
#[component]
fn ClockView(clock: SandboxClock, advance: ServerAction<AdvanceClock>) -> impl IntoView {
    let i18n = use_i18n();
    let SandboxClock {
        enabled,
        now,
        offset_ms,
    } = clock;
    let offset = move || {
        if offset_ms > 0 {
            format_offset(offset_ms, i18n.lang())
        } else {
            ReviewText::NotMoved.label(i18n.lang()).to_owned()
        }
    };
    view! {
        <dl class="details">
            <dt>{rt(ReviewText::PlatformTime)}</dt>
            <dd><time datetime=now.to_string() data-testid="platform-time">{format_cst(now)}</time></dd>
            <dt>{rt(ReviewText::MovedForwardBy)}</dt>
            <dd><data value=offset_ms.to_string() data-testid="clock-offset">{offset}</data></dd>
        </dl>
        {if enabled {
            view! { <AdvanceForm advance /> }.into_any()
        } else {
            view! { <p class="hint">{move || OrdersText::SandboxOff.label(i18n.lang())}</p> }.into_any()
        }}
        <p class="hint">{i18n.t(Text::TimesInCst)}</p>
    }
}

/// Days, hours and minutes to move the clock forward by; each a whole number, checked here
/// first, the step's range by the server (its message stands beside the fields).
#[component]
fn AdvanceForm(advance: ServerAction<AdvanceClock>) -> impl IntoView {
    let days = RwSignal::new(String::new());
    let hours = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::new());
    // The fields this page found not to be whole numbers (cleared at each try).
    let local = RwSignal::new(None::<FieldErrors>);
    let server_errors = field_errors(advance.value());
    let errors = Signal::derive(move || local.get().or_else(|| server_errors.get()));
    let failure = Signal::derive(move || form_level(last_error(advance.value()).get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = FieldErrors::new();
        let mut read = |name: &'static str, value: RwSignal<String>| {
            let text = value.get_untracked();
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match text.parse::<i64>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    found.push(name, ReviewText::WholeNumber);
                    None
                }
            }
        };
        let input = AdvanceClock {
            days: read(field::DAYS, days),
            hours: read(field::HOURS, hours),
            minutes: read(MINUTES, minutes),
        };
        if found.is_empty() {
            local.set(None);
            advance.dispatch(input);
        } else {
            local.set(Some(found));
        }
    };
    let number = move |name: &'static str, label: ReviewText, value: RwSignal<String>| {
        let invalid = move || errors.with(|e| e.as_ref().is_some_and(|e| e.get(name).is_some()));
        let id = format!("clock-{name}");
        view! {
            <div class="clock-field">
                <label for=id.clone()>{rt(label)}</label>
                <input
                    id=id
                    type="number"
                    min="0"
                    step="1"
                    inputmode="numeric"
                    name=name
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=format!("{name}-error")
                />
            </div>
        }
    };
    view! {
        <p class="hint">{rt(ReviewText::SandboxLead)}</p>
        <form class="clock-form" on:submit=submit novalidate="">
            <fieldset>
                <legend>{rt(ReviewText::MoveForwardBy)}</legend>
                <div class="clock-fields">
                    {number(field::DAYS, ReviewText::Days, days)}
                    {number(field::HOURS, ReviewText::Hours, hours)}
                    {number(MINUTES, ReviewText::Minutes, minutes)}
                </div>
                // Below the row: the step's range concerns all three.
                <FieldNote errors field=field::DAYS />
                <FieldNote errors field=field::HOURS />
                <FieldNote errors field=MINUTES />
            </fieldset>
            <FormAlert error=failure />
            <button type="submit" class="button primary" disabled=move || advance.pending().get()>
                {rt(ReviewText::MoveForward)}
            </button>
        </form>
    }
}

/// The form field of the minutes (the server names only `days` and `hours` in its errors).
const MINUTES: &str = "minutes";

/// Where a card reports its decision.
#[derive(Clone, Copy)]
struct Board {
    decided: RwSignal<u64>,
    notice: RwSignal<Option<ReviewText>>,
}

impl Board {
    fn report(&self, text: ReviewText) {
        self.notice.set(Some(text));
        self.decided.update(|v| *v += 1);
    }
}

/// The automatic-pass switch and the versions waiting.
#[component]
fn AuditQueueView(
    queue: AuditQueue,
    set_auto: ServerAction<SetAutoAudit>,
    board: Board,
) -> impl IntoView {
    let i18n = use_i18n();
    let AuditQueue { items, auto_pass } = queue;
    let failure = Signal::derive(move || last_error(set_auto.value()).get());
    view! {
        <div class="auto-pass panel">
            <label class="switch">
                <input
                    type="checkbox"
                    role="switch"
                    checked=auto_pass
                    disabled=move || set_auto.pending().get()
                    on:change=move |ev| {
                        set_auto.dispatch(SetAutoAudit { auto_pass: event_target_checked(&ev) });
                    }
                />
                <span>{rt(ReviewText::AutoPass)}</span>
            </label>
            <p class="hint">{rt(if auto_pass { ReviewText::AutoPassOn } else { ReviewText::AutoPassOff })}</p>
            <FormAlert error=failure />
        </div>
        {if items.is_empty() {
            view! { <p class="empty-state" role="status">{rt(ReviewText::NoVersionsWaiting)}</p> }.into_any()
        } else {
            view! {
                <ul class="workspace-list" aria-label=rt(ReviewText::VersionsWaiting)>
                    {items.into_iter().map(|item| view! { <AuditCard item board /> }).collect_view()}
                </ul>
            }
                .into_any()
        }}
        <p class="hint">{i18n.t(Text::TimesInCst)}</p>
    }
}

/// A submitted version with its order: Pass, or Reject with a reason.
#[component]
fn AuditCard(item: AuditItem, board: Board) -> impl IntoView {
    let i18n = use_i18n();
    let pass = ServerAction::<PassVersion>::new();
    let reject = ServerAction::<RejectVersion>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = pass.value().get() {
            board.report(ReviewText::VersionPassed);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = reject.value().get() {
            board.report(ReviewText::VersionRejected);
        }
    });
    let errors = field_errors(reject.value());
    let failure = Signal::derive(move || {
        last_error(pass.value())
            .get()
            .or_else(|| form_level(last_error(reject.value()).get()))
    });
    let AuditItem {
        version_id,
        version,
        notes,
        mini_program_name,
        app_id,
        order_no,
        service_name,
        isv_name,
        merchant_name,
        created_at,
    } = item;
    let number = order_no.to_string();
    let label = format!("{number} {version}");
    let reason_id = format!("version-reason-{version_id}");
    let busy = move || pass.pending().get() || reject.pending().get();
    let notes = (!notes.trim().is_empty()).then_some(notes);
    view! {
        <li class="workspace-card review-card" aria-label=label>
            <h3>{mini_program_name.clone()} " " {version.clone()}</h3>
            <dl class="details">
                <dt>{i18n.t(Text::OrderNumber)}</dt><dd>{number}</dd>
                <dt>{rt(ReviewText::Service)}</dt><dd>{service_name}</dd>
                <dt>{i18n.t(Text::IsvLabel)}</dt><dd>{isv_name}</dd>
                <dt>{i18n.t(Text::MerchantLabel)}</dt><dd>{merchant_name}</dd>
                <dt>{i18n.t(Text::MiniProgram)}</dt><dd>{mini_program_name} " (" {app_id.to_string()} ")"</dd>
                <dt>{i18n.t(Text::VersionNumber)}</dt><dd>{version}</dd>
                <dt>{i18n.t(Text::VersionNotes)}</dt>
                <dd class="pre-wrap">{move || notes.clone().unwrap_or_else(|| ReviewText::NoNotes.label(i18n.lang()).to_owned())}</dd>
                <dt>{rt(ReviewText::Submitted)}</dt><dd>{format_cst(created_at)}</dd>
            </dl>
            <FormAlert error=failure />
            <div class="review-actions">
                <ActionForm action=pass attr:class="inline-form">
                    <input type="hidden" name="version_id" value=version_id.to_string() />
                    <button type="submit" class="button primary" disabled=busy>
                        {rt(ReviewText::Pass)}
                    </button>
                </ActionForm>
                <ActionForm action=reject attr:class="turn-down-form" attr:novalidate="">
                    <input type="hidden" name="version_id" value=version_id.to_string() />
                    <label for=reason_id.clone()>{rt(ReviewText::RejectReasonLabel)}</label>
                    <textarea id=reason_id.clone() name=field::REASON rows="2" required></textarea>
                    <FieldNote errors field=field::REASON />
                    <button type="submit" class="button" disabled=busy>
                        {rt(ReviewText::Reject)}
                    </button>
                </ActionForm>
            </div>
        </li>
    }
}
