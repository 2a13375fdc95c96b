//! The console: the signed-in account's workspaces, each with its status (Under Review, Turned
//! Down with the reason, Active) and the account's role in it, and the workspace switcher that
//! chooses which one the console works in.

use super::auth::use_session;
use super::{LoadError, PageTitle};
use crate::auth::Role;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::onboarding::api::my_workspaces;
use crate::onboarding::{
    workspace_path, MyWorkspacesView, WorkspaceKind, WorkspaceStatus, WorkspaceSummary,
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ConsolePage() -> impl IntoView {
    let i18n = use_i18n();
    let switch = ServerAction::<crate::onboarding::SwitchWorkspace>::new();
    let workspaces = Resource::new(move || switch.version().get(), |_| my_workspaces());
    view! {
        <PageTitle page=Text::Console />
        <section class="console">
            <h1>{i18n.t(Text::Workspaces)}</h1>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match workspaces.await {
                        Ok(view) if view.workspaces.is_empty() => view! { <NoWorkspaces /> }.into_any(),
                        Ok(view) => view! { <WorkspaceList view switch /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The empty console, with the way to a first workspace for the account's role.
#[component]
fn NoWorkspaces() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let next_step = move || {
        let role = session
            .account
            .get()
            .and_then(|a| a.ok().flatten())
            .and_then(|a| a.role);
        match role {
            Some(Role::Isv) => Some(("/onboarding/isv", Text::SubmitBusinessInfo)),
            Some(Role::Merchant) => Some(("/onboarding/merchant", Text::OnboardAsMerchant)),
            None => None,
        }
        .map(|(href, text)| view! { <A href=href attr:class="button primary">{i18n.t(text)}</A> })
    };
    view! {
        <div class="empty-state" role="status">
            <p>{i18n.t(Text::NoWorkspacesYet)}</p>
            <Transition>{next_step}</Transition>
        </div>
    }
}

#[component]
fn WorkspaceList(
    view: MyWorkspacesView,
    switch: ServerAction<crate::onboarding::SwitchWorkspace>,
) -> impl IntoView {
    let i18n = use_i18n();
    let MyWorkspacesView {
        workspaces,
        current,
    } = view;
    let options = workspaces.clone();
    view! {
        <ActionForm action=switch attr:class="workspace-switcher">
            <label for="workspace_id">{i18n.t(Text::CurrentWorkspace)}</label>
            <select id="workspace_id" name="workspace_id">
                {options
                    .into_iter()
                    .map(|w| {
                        view! {
                            <option value=w.id.to_string() selected=current == Some(w.id)>
                                {w.name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="button small" disabled=move || switch.pending().get()>
                {i18n.t(Text::SwitchWorkspace)}
            </button>
        </ActionForm>
        <ul class="workspace-list" aria-label=i18n.t(Text::Workspaces)>
            {workspaces
                .into_iter()
                .map(|workspace| {
                    let is_current = current == Some(workspace.id);
                    view! { <WorkspaceCard workspace is_current /> }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn WorkspaceCard(workspace: WorkspaceSummary, is_current: bool) -> impl IntoView {
    let i18n = use_i18n();
    let WorkspaceSummary {
        id,
        name,
        kind,
        status,
        turn_down_reason,
        my_role,
        ..
    } = workspace;
    let resubmit = (kind == WorkspaceKind::Isv && status == WorkspaceStatus::TurnedDown).then(|| {
        view! { <A href="/onboarding/isv" attr:class="button small primary">{i18n.t(Text::EditAndResubmit)}</A> }
    });
    view! {
        <li class="workspace-card" class:current=is_current aria-current=is_current.then_some("true")>
            <h2>
                <A href=workspace_path(id)>{name}</A>
            </h2>
            <p class="service-tags">
                <span class="tag">{move || kind.label(i18n.lang())}</span>
                <span class=format!("tag status-{}", status.code())>{move || status.label(i18n.lang())}</span>
                {is_current.then(|| view! { <span class="tag">{i18n.t(Text::CurrentWorkspace)}</span> })}
            </p>
            <p class="muted">{i18n.t(Text::YourRole)} {move || i18n.lang().colon()} {move || my_role.label(i18n.lang())}</p>
            {turn_down_reason.map(|reason| {
                view! { <p class="form-alert">{i18n.t(Text::TurnDownReason)} {move || i18n.lang().colon()} {reason}</p> }
            })}
            <p class="card-actions">
                <A href=workspace_path(id) attr:class="button small">{i18n.t(Text::OpenWorkspace)}</A>
                {resubmit}
            </p>
        </li>
    }
}

/// The tabs of an ISV workspace's console pages: its overview (onboarding details and
/// members) and Service Management's pages.
#[component]
pub fn WorkspaceTabs(#[prop(into)] workspace_id: Signal<i64>, current: Text) -> impl IntoView {
    let i18n = use_i18n();
    let tab = move |text: Text, href: Signal<String>| {
        view! {
            // `exact`: the Overview's path is a prefix of every other tab's, which `A` would
            // otherwise mark as the current page too; `current` marks the tab of a page below
            // one (an order's detail under Orders).
            <A href=move || href.get() exact=true attr:class=move || if text == current { "tab current" } else { "tab" }>
                {i18n.t(text)}
            </A>
        }
    };
    view! {
        <nav class="tabs" aria-label=i18n.t(Text::ServiceManagement)>
            {tab(Text::Overview, Signal::derive(move || workspace_path(workspace_id.get())))}
            {tab(Text::ServicesNav, Signal::derive(move || super::services::services_path(workspace_id.get())))}
            {tab(Text::OrdersNav, Signal::derive(move || crate::orders::isv_orders_path(workspace_id.get())))}
            // The open platform (issue 6): settings and notifications.
            {tab(Text::OpenPlatformNav, Signal::derive(move || super::open_platform::open_platform_path(workspace_id.get())))}
            {tab(Text::NotificationsNav, Signal::derive(move || super::open_platform::notifications_path(workspace_id.get())))}
        </nav>
    }
}
