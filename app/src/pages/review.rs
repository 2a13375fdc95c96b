//! The platform reviewer's queue (`/review`): every ISV application under review, oldest first,
//! with all its details and its applicant; Approve, or Turn down with a reason the applicant
//! sees. Reviewers only: the server refuses anyone else.

use super::auth::{field_errors, last_error, FieldNote, FormAlert};
use super::services::ServiceSummaryView;
use super::workspace::ApplicationDetails;
use super::{LoadError, PageTitle};
use crate::i18n::{use_i18n, Text};
use crate::onboarding::api::review_queue;
use crate::onboarding::{field, ApproveApplication, ReviewItem, TurnDownApplication};
use crate::services::api::service_review_queue;
use crate::services::{ApproveService, ServiceReviewItem, TurnDownService};
use leptos::prelude::*;

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    // Bumped by each decision, so the queue is fetched again without the decided application.
    let decided = RwSignal::new(0u64);
    let notice = RwSignal::new(None::<Text>);
    let queue = Resource::new(move || decided.get(), |_| review_queue());
    let services = Resource::new(move || decided.get(), |_| service_review_queue());
    let board = Board { decided, notice };
    view! {
        <PageTitle page=Text::ReviewQueueTitle />
        <section class="console">
            <super::review_versions::ReviewTabs current=super::review_text::ReviewText::TabApplications />
            <h1>{i18n.t(Text::ReviewQueueTitle)}</h1>
            {move || notice.get().map(|text| view! { <p class="notice" role="status">{i18n.t(text)}</p> })}
            <h2>{i18n.t(Text::IsvApplications)}</h2>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(items) if items.is_empty() => {
                            view! { <p class="empty-state" role="status">{i18n.t(Text::ReviewQueueEmpty)}</p> }
                                .into_any()
                        }
                        Ok(items) => {
                            view! {
                                <ul class="workspace-list" aria-label=i18n.t(Text::ReviewQueueTitle)>
                                    {items.into_iter().map(|item| view! { <ReviewCard item board /> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
            <h2>{i18n.t(Text::ServicesPendingReview)}</h2>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match services.await {
                        Ok(items) if items.is_empty() => {
                            view! { <p class="empty-state" role="status">{i18n.t(Text::NoServicesPending)}</p> }
                                .into_any()
                        }
                        Ok(items) => {
                            view! {
                                <ul class="workspace-list" aria-label=i18n.t(Text::ServicesPendingReview)>
                                    {items.into_iter().map(|item| view! { <ServiceReviewCard item board /> }).collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        // A non-reviewer's refusal is already shown above.
                        Err(_) => ().into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A service pending review: every field, the ISV, the last turn-down reason of a
/// resubmission; Approve (→ Online) or Turn down with a reason.
#[component]
fn ServiceReviewCard(item: ServiceReviewItem, board: Board) -> impl IntoView {
    let i18n = use_i18n();
    let approve = ServerAction::<ApproveService>::new();
    let turn_down = ServerAction::<TurnDownService>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = approve.value().get() {
            board.report(Text::ServiceApprovedNotice);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = turn_down.value().get() {
            board.report(Text::ServiceTurnedDownNotice);
        }
    });
    let errors = field_errors(turn_down.value());
    let failure = Signal::derive(move || {
        last_error(approve.value()).get().or_else(|| {
            last_error(turn_down.value())
                .get()
                .filter(|e| e.fields().is_none())
        })
    });
    let ServiceReviewItem {
        service,
        isv_name,
        previous_turn_down_reason,
    } = item;
    let id = service.id;
    let title = service.name.clone();
    let label = title.clone();
    let reason_id = format!("service-reason-{id}");
    let busy = move || approve.pending().get() || turn_down.pending().get();
    view! {
        <li class="workspace-card review-card" aria-label=label>
            <h3>{title}</h3>
            <p class="muted">{i18n.t(Text::IsvLabel)} {move || i18n.lang().colon()} {isv_name}</p>
            {previous_turn_down_reason.map(|reason| {
                view! { <p class="hint">{i18n.t(Text::PreviousTurnDownReason)} {move || i18n.lang().colon()} {reason}</p> }
            })}
            <ServiceSummaryView service />
            <FormAlert error=failure />
            <div class="review-actions">
                <ActionForm action=approve attr:class="inline-form">
                    <input type="hidden" name="service_id" value=id.to_string() />
                    <button type="submit" class="button primary" disabled=busy>
                        {i18n.t(Text::Approve)}
                    </button>
                </ActionForm>
                <ActionForm action=turn_down attr:class="turn-down-form" attr:novalidate="">
                    <input type="hidden" name="service_id" value=id.to_string() />
                    <label for=reason_id.clone()>{i18n.t(Text::TurnDownReasonLabel)}</label>
                    <textarea id=reason_id.clone() name=field::REASON rows="2" required></textarea>
                    <FieldNote errors field=field::REASON />
                    <button type="submit" class="button" disabled=busy>
                        {i18n.t(Text::TurnDown)}
                    </button>
                </ActionForm>
            </div>
        </li>
    }
}

/// Where a card reports its decision.
#[derive(Clone, Copy)]
struct Board {
    decided: RwSignal<u64>,
    notice: RwSignal<Option<Text>>,
}

impl Board {
    fn report(&self, text: Text) {
        self.notice.set(Some(text));
        self.decided.update(|v| *v += 1);
    }
}

#[component]
fn ReviewCard(item: ReviewItem, board: Board) -> impl IntoView {
    let i18n = use_i18n();
    let approve = ServerAction::<ApproveApplication>::new();
    let turn_down = ServerAction::<TurnDownApplication>::new();
    Effect::new(move |_| {
        if let Some(Ok(decision)) = approve.value().get() {
            board.report(if decision.email_sent {
                Text::ApprovedNotice
            } else {
                Text::ApprovedNoEmailNotice
            });
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = turn_down.value().get() {
            board.report(Text::TurnedDownNotice);
        }
    });
    let errors = field_errors(turn_down.value());
    let failure = Signal::derive(move || {
        last_error(approve.value()).get().or_else(|| {
            last_error(turn_down.value())
                .get()
                .filter(|e| e.fields().is_none())
        })
    });
    let ReviewItem {
        application,
        applicant_email,
        applicant_username,
        previous_turn_downs,
    } = item;
    let id = application.id;
    let title = application.company_name.clone();
    let label = title.clone();
    let reason_id = format!("reason-{id}");
    let applicant = [applicant_username, applicant_email]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let busy = move || approve.pending().get() || turn_down.pending().get();
    view! {
        <li class="workspace-card review-card" aria-label=label>
            <h3>{title}</h3>
            <p class="muted">
                {i18n.t(Text::Applicant)} {move || i18n.lang().colon()} {applicant}
                {(previous_turn_downs > 0).then(|| {
                    view! {
                        " · " {i18n.t(Text::PreviousTurnDowns)} {move || i18n.lang().colon()} {previous_turn_downs}
                    }
                })}
            </p>
            <ApplicationDetails application />
            <FormAlert error=failure />
            <div class="review-actions">
                <ActionForm action=approve attr:class="inline-form">
                    <input type="hidden" name="application_id" value=id.to_string() />
                    <button type="submit" class="button primary" disabled=busy>
                        {i18n.t(Text::Approve)}
                    </button>
                </ActionForm>
                <ActionForm action=turn_down attr:class="turn-down-form" attr:novalidate="">
                    <input type="hidden" name="application_id" value=id.to_string() />
                    <label for=reason_id.clone()>{i18n.t(Text::TurnDownReasonLabel)}</label>
                    <textarea id=reason_id.clone() name=field::REASON rows="2" required></textarea>
                    <FieldNote errors field=field::REASON />
                    <button type="submit" class="button" disabled=busy>
                        {i18n.t(Text::TurnDown)}
                    </button>
                </ActionForm>
            </div>
        </li>
    }
}
