//! The page an invitation email links to (`/invitations/{token}`): which workspace, which role,
//! for which email, until when; Accept invitation for the signed-in invitee, or the way to sign
//! in (or up) with the invited email and come back.

use super::auth::{last_error, use_session, FormAlert};
use super::{encode_path, LoadError, PageTitle};
use crate::domain::newtypes::format_cst;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::onboarding::api::invitation_by_token;
use crate::onboarding::{workspace_path, AcceptInvitation, InvitationPreview, InvitationStatus};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};

#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let preview = Resource::new(token, invitation_by_token);
    view! {
        <PageTitle page=Text::InvitationTitle />
        <section class="auth-card">
            <h1>{i18n.t(Text::InvitationTitle)}</h1>
            <Transition fallback=move || view! { <p class="muted">{i18n.t(Text::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(preview) => view! { <InvitationView preview token=token() /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn InvitationView(preview: InvitationPreview, token: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let accept = ServerAction::<AcceptInvitation>::new();
    let alert = last_error(accept.value());
    Effect::new(move |_| {
        if let Some(Ok(workspace)) = accept.value().get() {
            navigate(&workspace_path(workspace.id), Default::default());
        }
    });
    let InvitationPreview {
        workspace_name,
        email,
        role,
        status,
        expires_at,
        ..
    } = preview;
    let here = StoredValue::new(encode_path(&use_location().pathname.get_untracked()));
    let token = StoredValue::new(token);
    let invited_email = StoredValue::new(email.clone());
    let signed_in = move || {
        session
            .account
            .get()
            .and_then(|account| account.ok().flatten())
            .is_some()
    };
    let accept_or_sign_in = move || {
        if signed_in() {
            view! {
                <ActionForm action=accept>
                    <input type="hidden" name="token" value=token.get_value() />
                    <FormAlert error=alert />
                    <button type="submit" class="button primary wide" disabled=move || accept.pending().get()>
                        {i18n.t(Text::AcceptInvitation)}
                    </button>
                </ActionForm>
            }
                .into_any()
        } else {
            let here = here.get_value();
            view! {
                <p class="notice">
                    {i18n.t(Text::InvitationFor)} " " {invited_email.get_value()} ". "
                    {i18n.t(Text::SignInToAccept)}
                </p>
                <p class="hero-actions">
                    <A href=format!("/sign-in?next={here}") attr:class="button primary">
                        {i18n.t(Text::SignInTitle)}
                    </A>
                    <A href=format!("/sign-up?next={here}") attr:class="button">
                        {i18n.t(Text::SignUpTitle)}
                    </A>
                </p>
            }
            .into_any()
        }
    };
    view! {
        <p class="lead">
            {i18n.t(Text::InvitedToJoin)} " " <strong>{workspace_name}</strong> " "
            {i18n.t(Text::AsRole)} " " <strong>{move || role.label(i18n.lang())}</strong>
        </p>
        <dl class="details">
            <dt>{i18n.t(Text::Email)}</dt>
            <dd>{email}</dd>
            <dt>{i18n.t(Text::Status)}</dt>
            <dd>
                <span class=format!("tag invitation-{}", status.code())>{move || status.label(i18n.lang())}</span>
            </dd>
            <dt>{i18n.t(Text::ExpiresAt)}</dt>
            <dd>{format_cst(expires_at)}</dd>
        </dl>
        <p class="hint">{i18n.t(Text::TimesInCst)}</p>
        {(status == InvitationStatus::Pending).then(|| view! { <Transition>{accept_or_sign_in}</Transition> })}
    }
}
