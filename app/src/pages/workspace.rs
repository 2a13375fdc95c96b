//! A workspace's page (`/console/workspaces/{id}`, where the approval email links): its
//! onboarding details (the ISV business information or the merchant profile), its members and,
//! for the Owner, the invitations: invite by email as Admin or Developer, withdraw, resend,
//! remove a member. The server checks every one of these; the page only leaves out what the
//! caller may not do.

use super::auth::{field_errors, last_error, Field, FieldNote, FormAlert};
use super::{LoadError, PageTitle};
use crate::domain::newtypes::format_cst;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::onboarding::api::{workspace_details, workspace_members};
use crate::onboarding::{
    countries, field, InvitationStatus, InvitationView, InviteMember, IsvApplicationView,
    MemberRole, MemberView, MembersView, MerchantView, RemoveMember, ResendInvitation,
    WithdrawInvitation, WorkspaceDetailsView, WorkspaceSummary,
};
use leptos::prelude::*;

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let i18n = use_i18n();
    let workspace_id = super::param_id("id");
    // Every resource of the page is made here, outside any Suspense: one made inside a
    // Suspend can reach the browser after hydration starts, and the page then fails to hydrate.
    let details = Resource::new(workspace_id, workspace_details);
    let actions = MemberActions {
        invite: ServerAction::<InviteMember>::new(),
        withdraw: ServerAction::<WithdrawInvitation>::new(),
        resend: ServerAction::<ResendInvitation>::new(),
        remove: ServerAction::<RemoveMember>::new(),
    };
    let members = Resource::new(
        move || (workspace_id(), actions.versions()),
        |(workspace_id, _)| workspace_members(workspace_id),
    );
    view! {
        <PageTitle page=Text::OnboardingDetails />
        <section class="console">
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match details.await {
                        Ok(details) => view! { <WorkspaceView details /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
            <MembersPanel members actions />
        </section>
    }
}

#[component]
fn WorkspaceView(details: WorkspaceDetailsView) -> impl IntoView {
    let i18n = use_i18n();
    let WorkspaceDetailsView {
        workspace,
        application,
        merchant,
    } = details;
    let WorkspaceSummary {
        id,
        name,
        kind,
        status,
        turn_down_reason,
        my_role,
        ..
    } = workspace;
    let tabs = (kind == crate::onboarding::WorkspaceKind::Isv
        && status == crate::onboarding::WorkspaceStatus::Active)
        .then(
            || view! { <super::console::WorkspaceTabs workspace_id=id current=Text::Overview /> },
        );
    view! {
        {tabs}
        <h1>{name}</h1>
        <p class="service-tags">
            <span class="tag">{move || kind.label(i18n.lang())}</span>
            <span class=format!("tag status-{}", status.code())>{move || status.label(i18n.lang())}</span>
        </p>
        <p class="my-role">
            {i18n.t(Text::YourRole)} {move || i18n.lang().colon()} <strong>{move || my_role.label(i18n.lang())}</strong>
        </p>
        {turn_down_reason.map(|reason| {
            view! { <p class="form-alert">{i18n.t(Text::TurnDownReason)} {move || i18n.lang().colon()} {reason}</p> }
        })}
        <section class="panel" aria-labelledby="details-heading">
            <h2 id="details-heading">{i18n.t(Text::OnboardingDetails)}</h2>
            {application.map(|application| view! { <ApplicationDetails application /> })}
            {merchant.map(|merchant| view! { <MerchantDetails merchant /> })}
            <p class="hint">{i18n.t(Text::TimesInCst)}</p>
        </section>
    }
}

/// One row of a details list; an empty optional value reads "Not provided".
fn row(label: Text, value: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let shown = value.filter(|v| !v.is_empty());
    view! {
        <dt>{i18n.t(label)}</dt>
        <dd>
            {match shown {
                Some(value) => value.into_any(),
                None => view! { <span class="muted">{i18n.t(Text::NotProvided)}</span> }.into_any(),
            }}
        </dd>
    }
}

/// The business information as submitted (shared with the reviewer's queue).
#[component]
pub fn ApplicationDetails(application: IsvApplicationView) -> impl IntoView {
    let i18n = use_i18n();
    let country = countries::find(&application.country_region);
    let country_code = application.country_region.clone();
    view! {
        <dl class="details">
            {row(Text::CompanyName, Some(application.company_name))}
            {row(Text::BusinessAddress, Some(application.business_address))}
            <dt>{i18n.t(Text::CountryRegion)}</dt>
            <dd>
                {move || country.map(|c| c.name(i18n.lang()).to_owned()).unwrap_or(country_code.clone())}
            </dd>
            {row(Text::BusinessRepresentative, Some(application.business_representative))}
            <dt>{i18n.t(Text::BusinessLogoOptional)}</dt>
            <dd>
                {match application.logo_url {
                    Some(url) => {
                        view! { <img class="logo" src=url alt=i18n.t(Text::CurrentLogo) width="64" height="64" /> }
                            .into_any()
                    }
                    None => view! { <span class="muted">{i18n.t(Text::NotProvided)}</span> }.into_any(),
                }}
            </dd>
            {row(Text::WebsiteOptional, application.website)}
            {row(Text::CustomerServiceNumberOptional, application.customer_service_number)}
            {row(Text::CustomerServiceEmailOptional, application.customer_service_email)}
            {row(Text::SubmittedAt, Some(format_cst(application.submitted_at)))}
            {application.reviewed_at.map(|at| row(Text::ReviewedAt, Some(format_cst(at))))}
        </dl>
    }
}

#[component]
fn MerchantDetails(merchant: MerchantView) -> impl IntoView {
    let i18n = use_i18n();
    let identity = merchant.identity_type;
    view! {
        <dl class="details">
            {row(Text::MerchantName, Some(merchant.merchant_name))}
            {row(Text::MerchantPid, Some(merchant.merchant_pid))}
            <dt>{i18n.t(Text::IdentityTypeLabel)}</dt>
            <dd>{move || identity.label(i18n.lang())}</dd>
            {row(Text::CertifiedName, merchant.certified_name)}
            {row(Text::CertificateNumber, merchant.certificate_number_masked)}
            {merchant.certified_at.map(|at| row(Text::CertifiedAt, Some(format_cst(at))))}
        </dl>
    }
}

/// Members and invitations; fetched again after each change the Owner makes. Shown once the
/// caller is known to be a member (a non-member's error is already on the page).
#[component]
fn MembersPanel(
    members: Resource<Result<MembersView, crate::error::AppError>>,
    actions: MemberActions,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
            {move || Suspend::new(async move {
                members.await.ok().map(|view| {
                    view! {
                        <section class="panel" aria-labelledby="members-heading">
                            <h2 id="members-heading">{i18n.t(Text::Members)}</h2>
                            <ActionNotices actions />
                            <MembersTables view actions />
                        </section>
                    }
                })
            })}
        </Transition>
    }
}

#[derive(Clone, Copy)]
struct MemberActions {
    invite: ServerAction<InviteMember>,
    withdraw: ServerAction<WithdrawInvitation>,
    resend: ServerAction<ResendInvitation>,
    remove: ServerAction<RemoveMember>,
}

impl MemberActions {
    /// Changes with every completed action, so the members are fetched again.
    fn versions(&self) -> (usize, usize, usize, usize) {
        (
            self.invite.version().get(),
            self.withdraw.version().get(),
            self.resend.version().get(),
            self.remove.version().get(),
        )
    }
}

/// What the last withdraw, resend or remove came to.
#[component]
fn ActionNotices(actions: MemberActions) -> impl IntoView {
    let i18n = use_i18n();
    let MemberActions {
        withdraw,
        resend,
        remove,
        ..
    } = actions;
    let failure = Signal::derive(move || {
        last_error(withdraw.value())
            .get()
            .or_else(|| last_error(resend.value()).get())
            .or_else(|| last_error(remove.value()).get())
    });
    view! {
        <FormAlert error=failure />
        {move || {
            resend.value().get().and_then(|r| r.ok()).map(|sent| {
                let text = if sent.email_sent { Text::InvitationSent } else { Text::InvitationNotMailed };
                view! { <p class="notice" role="status">{i18n.t(text)}</p> }
            })
        }}
        {move || {
            matches!(remove.value().get(), Some(Ok(())))
                .then(|| view! { <p class="notice" role="status">{i18n.t(Text::MemberRemoved)}</p> })
        }}
    }
}

#[component]
fn MembersTables(view: MembersView, actions: MemberActions) -> impl IntoView {
    let i18n = use_i18n();
    let MembersView {
        workspace,
        members,
        invitations,
        can_manage,
    } = view;
    let workspace_id = workspace.id;
    view! {
        <div class="table-scroll">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Text::Username)}</th>
                        <th scope="col">{i18n.t(Text::Email)}</th>
                        <th scope="col">{i18n.t(Text::Role)}</th>
                        <th scope="col">{i18n.t(Text::Joined)}</th>
                        {can_manage.then(|| view! { <th scope="col">{i18n.t(Text::Actions)}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {members
                        .into_iter()
                        .map(|member| view! { <MemberRow member workspace_id can_manage remove=actions.remove /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {can_manage.then(|| {
            view! {
                <h3>{i18n.t(Text::Invitations)}</h3>
                <InvitationsTable invitations actions />
                <InviteForm workspace_id invite=actions.invite />
            }
        })}
    }
}

#[component]
fn MemberRow(
    member: MemberView,
    workspace_id: i64,
    can_manage: bool,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = member.role;
    let removable = can_manage && role != MemberRole::Owner;
    view! {
        <tr>
            <td>{member.username}</td>
            <td>{member.email}</td>
            <td>{move || role.label(i18n.lang())}</td>
            <td>{format_cst(member.joined_at)}</td>
            {can_manage.then(|| {
                view! {
                    <td>
                        {removable.then(|| {
                            view! {
                                <ActionForm action=remove attr:class="inline-form">
                                    <input type="hidden" name="workspace_id" value=workspace_id.to_string() />
                                    <input type="hidden" name="account_id" value=member.account_id.to_string() />
                                    <button type="submit" class="link-button danger" disabled=move || remove.pending().get()>
                                        {i18n.t(Text::Remove)}
                                    </button>
                                </ActionForm>
                            }
                        })}
                    </td>
                }
            })}
        </tr>
    }
}

#[component]
fn InvitationsTable(invitations: Vec<InvitationView>, actions: MemberActions) -> impl IntoView {
    let i18n = use_i18n();
    if invitations.is_empty() {
        return view! { <p class="muted">{i18n.t(Text::NoInvitations)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="data-table" aria-label=i18n.t(Text::Invitations)>
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Text::Email)}</th>
                        <th scope="col">{i18n.t(Text::Role)}</th>
                        <th scope="col">{i18n.t(Text::Status)}</th>
                        <th scope="col">{i18n.t(Text::ExpiresAt)}</th>
                        <th scope="col">{i18n.t(Text::Actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {invitations
                        .into_iter()
                        .map(|invitation| view! { <InvitationRow invitation actions /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn InvitationRow(invitation: InvitationView, actions: MemberActions) -> impl IntoView {
    let i18n = use_i18n();
    let InvitationView {
        id,
        email,
        role,
        status,
        expires_at,
        ..
    } = invitation;
    let open = matches!(
        status,
        InvitationStatus::Pending | InvitationStatus::Expired
    );
    let MemberActions {
        withdraw, resend, ..
    } = actions;
    view! {
        <tr>
            <td>{email}</td>
            <td>{move || role.label(i18n.lang())}</td>
            <td>
                <span class=format!("tag invitation-{}", status.code())>{move || status.label(i18n.lang())}</span>
            </td>
            <td>{format_cst(expires_at)}</td>
            <td class="row-actions">
                {open.then(|| {
                    view! {
                        <ActionForm action=resend attr:class="inline-form">
                            <input type="hidden" name="invitation_id" value=id.to_string() />
                            <button type="submit" class="link-button" disabled=move || resend.pending().get()>
                                {i18n.t(Text::Resend)}
                            </button>
                        </ActionForm>
                        <ActionForm action=withdraw attr:class="inline-form">
                            <input type="hidden" name="invitation_id" value=id.to_string() />
                            <button type="submit" class="link-button danger" disabled=move || withdraw.pending().get()>
                                {i18n.t(Text::Withdraw)}
                            </button>
                        </ActionForm>
                    }
                })}
            </td>
        </tr>
    }
}

#[component]
fn InviteForm(workspace_id: i64, invite: ServerAction<InviteMember>) -> impl IntoView {
    let i18n = use_i18n();
    let errors = field_errors(invite.value());
    let alert = last_error(invite.value());
    // A sent invitation empties the form for the next one.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(form)) = (invite.value().get(), form.get_untracked()) {
            form.reset();
        }
    });
    view! {
        <ActionForm action=invite node_ref=form attr:class="invite-form" attr:novalidate="">
            <h3>{i18n.t(Text::InviteMember)}</h3>
            <input type="hidden" name="workspace_id" value=workspace_id.to_string() />
            <Field name=field::EMAIL label=Text::Email errors input_type="email" autocomplete="off" />
            <label for=field::ROLE>{i18n.t(Text::Role)}</label>
            <select id=field::ROLE name=field::ROLE>
                {MemberRole::INVITABLE
                    .into_iter()
                    .map(|role| view! { <option value=role.code()>{move || role.label(i18n.lang())}</option> })
                    .collect_view()}
            </select>
            <FieldNote errors field=field::ROLE />
            <FormAlert error=alert />
            {move || {
                invite.value().get().and_then(|r| r.ok()).map(|sent| {
                    let text = if sent.email_sent { Text::InvitationSent } else { Text::InvitationNotMailed };
                    view! { <p class="notice" role="status">{i18n.t(text)}</p> }
                })
            }}
            <button type="submit" class="button primary" disabled=move || invite.pending().get()>
                {i18n.t(Text::SendInvitation)}
            </button>
        </ActionForm>
    }
}
