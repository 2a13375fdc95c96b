//! The console: the signed-in account's workspaces, each with its status (Under Review, Turned
//! Down with the reason, Active) and the account's role in it.

use super::PageTitle;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::onboarding::api::my_workspaces;
use crate::onboarding::WorkspaceSummary;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ConsolePage() -> impl IntoView {
    let i18n = use_i18n();
    let workspaces = Resource::new(|| (), |_| my_workspaces());
    view! {
        <PageTitle page=Text::Console />
        <section class="console">
            <h1>{i18n.t(Text::Workspaces)}</h1>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match workspaces.await {
                        Ok(view) if view.workspaces.is_empty() => {
                            view! { <p class="empty-state" role="status">{i18n.t(Text::NoWorkspacesYet)}</p> }
                                .into_any()
                        }
                        Ok(view) => {
                            view! {
                                <ul class="workspace-list" aria-label=i18n.t(Text::Workspaces)>
                                    {view
                                        .workspaces
                                        .into_iter()
                                        .map(|workspace| view! { <WorkspaceCard workspace /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(crate::error::AppError::Unauthenticated) => {
                            view! {
                                <p class="form-alert" role="alert">
                                    {move || crate::error::AppError::Unauthenticated.message(i18n.lang())}
                                    " "
                                    <A href="/sign-in">{i18n.t(Text::SignInTitle)}</A>
                                </p>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! { <p class="form-alert" role="alert">{move || error.message(i18n.lang())}</p> }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn WorkspaceCard(workspace: WorkspaceSummary) -> impl IntoView {
    let i18n = use_i18n();
    let WorkspaceSummary {
        name,
        kind,
        status,
        turn_down_reason,
        my_role,
        ..
    } = workspace;
    view! {
        <li class="workspace-card">
            <h2>{name}</h2>
            <p class="service-tags">
                <span class="tag">{move || kind.label(i18n.lang())}</span>
                <span class=format!("tag status-{}", status.code())>{move || status.label(i18n.lang())}</span>
            </p>
            <p class="muted">{i18n.t(Text::YourRole)} ": " {move || my_role.label(i18n.lang())}</p>
            {turn_down_reason.map(|reason| {
                view! { <p class="form-alert">{i18n.t(Text::TurnDownReason)} ": " {reason}</p> }
            })}
        </li>
    }
}
