//! Sign up, sign in, sign out, forgot password, and choose your role, in seed 003's words.
//! Each form posts to its server function; field errors come back as data and are shown beside
//! their fields in the current language.

use super::PageTitle;
use crate::auth::{
    field, Account, ChooseRole, CodeSent, FieldErrors, ResetPassword, Role, SendResetCode,
    SendSignUpCode, SignIn, SignOut, SignUp, PASSWORD_RULES,
};
use crate::error::AppError;
use crate::i18n::{use_i18n, Bilingual, Lang, Text};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Who is signed in, for every component; refreshed after sign-in, sign-up and sign-out.
#[derive(Clone, Copy)]
pub struct Session {
    pub account: Resource<Result<Option<Account>, AppError>>,
    version: RwSignal<u64>,
}

impl Session {
    pub fn refresh(&self) {
        self.version.update(|v| *v += 1);
    }
}

pub fn provide_session() -> Session {
    let version = RwSignal::new(0u64);
    let account = Resource::new(move || version.get(), |_| crate::auth::api::whoami());
    let session = Session { account, version };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Where an account goes after signing in: a platform reviewer to its queue; anyone else
/// chooses a role first, then works in the console.
pub fn home_for(account: &Account) -> &'static str {
    match account.role {
        None if account.is_reviewer => "/review",
        None => "/choose-role",
        Some(_) => "/console",
    }
}

/// Where an account goes right after choosing its role: a merchant onboards first.
fn next_after_choosing(account: &Account) -> &'static str {
    match account.role {
        Some(Role::Merchant) => "/onboarding/merchant",
        Some(Role::Isv) => "/onboarding/isv",
        None => home_for(account),
    }
}

/// The field errors of the last answer of an action, if it failed on fields.
pub fn field_errors<S, T>(value: S) -> Signal<Option<FieldErrors>>
where
    S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(error)) => error.fields().cloned(),
            _ => None,
        })
    })
}

pub fn last_error<S, T>(value: S) -> Signal<Option<AppError>>
where
    S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    Signal::derive(move || value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())))
}

/// The message about one field, below it, in the current language.
#[component]
pub fn FieldNote(
    #[prop(into)] errors: Signal<Option<FieldErrors>>,
    field: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        errors.with(|errors| {
            errors
                .as_ref()
                .and_then(|e| e.message(field, i18n.lang()))
                .map(|message| {
                    view! { <p class="field-error" id=format!("{field}-error")>{message.to_owned()}</p> }
                })
        })
    }
}

/// Whether a field has an error, for `aria-invalid`.
pub fn invalid(
    errors: Signal<Option<FieldErrors>>,
    field: &'static str,
) -> impl Fn() -> &'static str {
    move || {
        if errors.with(|e| e.as_ref().is_some_and(|e| e.get(field).is_some())) {
            "true"
        } else {
            "false"
        }
    }
}

/// One labelled input with its hint and its error message; `name` is also the input's id and
/// the field's key in [`FieldErrors`]. Children (such as the password rules) go between the
/// input and its message. The label is any [`Bilingual`] text, so a page keeps its own texts.
#[component]
pub fn Field<L>(
    name: &'static str,
    label: L,
    #[prop(into)] errors: Signal<Option<FieldErrors>>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] numeric_code: bool,
    #[prop(optional)] hint: Option<Text>,
    #[prop(optional)] described_by: Option<&'static str>,
    #[prop(optional)] value: Option<RwSignal<String>>,
    /// The value the input starts with (a form filled in again).
    #[prop(optional_no_strip)]
    initial: Option<String>,
    /// Not `required`: the label says "(Optional)".
    #[prop(optional)]
    optional: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView
where
    L: Bilingual + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let hint_id = hint.map(|_| format!("{name}-hint"));
    let described_by = described_by.map(str::to_owned).or(hint_id.clone());
    view! {
        <label for=name>{move || label.label(i18n.lang())}</label>
        <input
            id=name
            name=name
            type=input_type.unwrap_or("text")
            autocomplete=autocomplete
            inputmode=numeric_code.then_some("numeric")
            maxlength=numeric_code.then_some("6")
            value=initial
            required=!optional
            aria-invalid=invalid(errors, name)
            aria-describedby=described_by
            on:input=move |ev| {
                if let Some(value) = value {
                    value.set(event_target_value(&ev));
                }
            }
        />
        {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{i18n.t(hint)}</p> })}
        {children.map(|children| children())}
        <FieldNote errors field=name />
    }
}

/// The message about the whole form, above its button.
#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(
            |error| view! { <p class="form-alert" role="alert">{error.message(i18n.lang())}</p> },
        )
    }
}

/// "A code was sent to …", after a successful send.
fn code_sent_text(sent: &CodeSent, lang: Lang) -> String {
    let minutes = (sent.expires_in_secs + 59) / 60;
    match lang {
        Lang::En => format!(
            "A verification code was sent to {}. It is valid for {minutes} minutes.",
            sent.email
        ),
        Lang::Zh => format!("验证码已发送至 {}，{minutes} 分钟内有效。", sent.email),
    }
}

/// An email field with its Send code button, shared by sign-up and forgot password.
#[component]
fn EmailWithCode(
    email: RwSignal<String>,
    #[prop(into)] errors: Signal<Option<FieldErrors>>,
    #[prop(into)] sent: Signal<Option<Result<CodeSent, AppError>>>,
    #[prop(into)] sending: Signal<bool>,
    on_send: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let send_errors = Signal::derive(move || {
        sent.with(|s| match s {
            Some(Err(error)) => error.fields().cloned(),
            _ => None,
        })
    });
    let merged = Signal::derive(move || errors.get().or_else(|| send_errors.get()));
    let send_alert = Signal::derive(move || {
        sent.with(|s| match s {
            Some(Err(error)) if error.fields().is_none() => Some(error.clone()),
            _ => None,
        })
    });
    view! {
        <label for="email">{i18n.t(Text::Email)}</label>
        <div class="input-with-button">
            <input
                id="email"
                type="email"
                name="email"
                autocomplete="email"
                required
                prop:value=move || email.get()
                on:input=move |ev| email.set(event_target_value(&ev))
                aria-invalid=invalid(merged, field::EMAIL)
            />
            <button
                type="button"
                class="button"
                disabled=move || sending.get()
                on:click=move |_| on_send.run(())
            >
                {move || {
                    if sent.with(|s| matches!(s, Some(Ok(_)))) {
                        i18n.t(Text::ResendCode)()
                    } else {
                        i18n.t(Text::SendCode)()
                    }
                }}
            </button>
        </div>
        <FieldNote errors=merged field=field::EMAIL />
        <FormAlert error=send_alert />
        {move || {
            sent.with(|s| match s {
                Some(Ok(sent)) => {
                    Some(view! { <p class="notice" role="status">{code_sent_text(sent, i18n.lang())}</p> })
                }
                _ => None,
            })
        }}
    }
}

/// The password rules beside the field, each ticked off as the password meets it.
#[component]
fn PasswordRulesList(
    password: RwSignal<String>,
    #[prop(into)] identities: Signal<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="password-rules" id="password-rules">
            <p>{i18n.t(Text::PasswordMustHave)}</p>
            <ul>
                {PASSWORD_RULES
                    .rules()
                    .into_iter()
                    .map(|rule| {
                        let met = move || {
                            let ids = identities.get();
                            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                            rule.is_met(&password.get(), &ids)
                        };
                        view! {
                            <li class:met=met>
                                <span aria-hidden="true">{move || if met() { "✓ " } else { "· " }}</span>
                                {move || rule.label(i18n.lang())}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let sign_up = ServerAction::<SignUp>::new();
    let send_code = ServerAction::<SendSignUpCode>::new();
    let email = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = field_errors(sign_up.value());
    let alert = last_error(sign_up.value());

    Effect::new(move |_| {
        if let Some(Ok(account)) = sign_up.value().get() {
            session.refresh();
            let next = query.with_untracked(|q| super::safe_next(q.get_str("next")));
            navigate(
                next.as_deref().unwrap_or(home_for(&account)),
                Default::default(),
            );
        }
    });

    view! {
        <PageTitle page=Text::SignUpTitle />
        <section class="auth-card">
            <h1>{i18n.t(Text::SignUpTitle)}</h1>
            <ActionForm action=sign_up attr:novalidate="">
                <EmailWithCode
                    email
                    errors
                    sent=send_code.value()
                    sending=send_code.pending()
                    on_send=Callback::new(move |_| {
                        send_code.dispatch(SendSignUpCode { email: email.get_untracked() });
                    })
                />
                <Field name=field::CODE label=Text::VerificationCode errors autocomplete="one-time-code" numeric_code=true />
                <Field name=field::USERNAME label=Text::Username errors autocomplete="username" hint=Text::UsernameHint value=username />
                <Field
                    name=field::PASSWORD
                    label=Text::Password
                    errors
                    input_type="password"
                    autocomplete="new-password"
                    described_by="password-rules"
                    value=password
                >
                    <PasswordRulesList
                        password
                        identities=Signal::derive(move || vec![username.get(), email.get()])
                    />
                </Field>
                <label class="checkbox">
                    <input
                        type="checkbox"
                        name="agree_terms"
                        value="on"
                        aria-invalid=invalid(errors, field::AGREE_TERMS)
                    />
                    <span>
                        {i18n.t(Text::IAgreeTo)} " "
                        <A href="/terms" attr:target="_blank">{i18n.t(Text::TermsOfService)}</A>
                    </span>
                </label>
                <FieldNote errors field=field::AGREE_TERMS />
                <FormAlert error=alert />
                <button type="submit" class="button primary wide" disabled=move || sign_up.pending().get()>
                    {i18n.t(Text::SignUpButton)}
                </button>
            </ActionForm>
            <p class="auth-switch">
                {i18n.t(Text::HaveAccount)} " " <A href="/sign-in">{i18n.t(Text::SignInTitle)}</A>
            </p>
        </section>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let sign_in = ServerAction::<SignIn>::new();
    let errors = field_errors(sign_in.value());
    let alert = last_error(sign_in.value());
    let password_changed = move || query.with(|q| q.get_str("changed") == Some("1"));

    Effect::new(move |_| {
        if let Some(Ok(account)) = sign_in.value().get() {
            session.refresh();
            let next = query.with_untracked(|q| super::safe_next(q.get_str("next")));
            navigate(
                next.as_deref().unwrap_or(home_for(&account)),
                Default::default(),
            );
        }
    });

    view! {
        <PageTitle page=Text::SignInTitle />
        <section class="auth-card">
            <h1>{i18n.t(Text::SignInTitle)}</h1>
            <Show when=password_changed>
                <p class="notice" role="status">{i18n.t(Text::PasswordChanged)}</p>
            </Show>
            <ActionForm action=sign_in attr:novalidate="">
                <Field name=field::LOGIN label=Text::EmailOrUsername errors autocomplete="username" />
                <Field name=field::PASSWORD label=Text::Password errors input_type="password" autocomplete="current-password" />
                <FormAlert error=alert />
                <button type="submit" class="button primary wide" disabled=move || sign_in.pending().get()>
                    {i18n.t(Text::SignInTitle)}
                </button>
            </ActionForm>
            <p class="auth-links">
                <A href="/forgot-password">{i18n.t(Text::ForgotPassword)}</A>
            </p>
            <p class="auth-switch">
                {i18n.t(Text::NoAccountYet)} " " <A href="/sign-up">{i18n.t(Text::SignUpTitle)}</A>
            </p>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let reset = ServerAction::<ResetPassword>::new();
    let send_code = ServerAction::<SendResetCode>::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = field_errors(reset.value());
    let alert = last_error(reset.value());

    Effect::new(move |_| {
        if let Some(Ok(())) = reset.value().get() {
            navigate("/sign-in?changed=1", Default::default());
        }
    });

    view! {
        <PageTitle page=Text::ForgotPassword />
        <section class="auth-card">
            <h1>{i18n.t(Text::ForgotPassword)}</h1>
            <p class="lead">{i18n.t(Text::ForgotPasswordLead)}</p>
            <ActionForm action=reset attr:novalidate="">
                <EmailWithCode
                    email
                    errors
                    sent=send_code.value()
                    sending=send_code.pending()
                    on_send=Callback::new(move |_| {
                        send_code.dispatch(SendResetCode { email: email.get_untracked() });
                    })
                />
                <Field name=field::CODE label=Text::VerificationCode errors autocomplete="one-time-code" numeric_code=true />
                <Field
                    name=field::PASSWORD
                    label=Text::NewPassword
                    errors
                    input_type="password"
                    autocomplete="new-password"
                    described_by="password-rules"
                    value=password
                >
                    <PasswordRulesList password identities=Signal::derive(move || vec![email.get()]) />
                </Field>
                <Field
                    name=field::CONFIRM_PASSWORD
                    label=Text::ConfirmPassword
                    errors
                    input_type="password"
                    autocomplete="new-password"
                />
                <FormAlert error=alert />
                <button type="submit" class="button primary wide" disabled=move || reset.pending().get()>
                    {i18n.t(Text::Continue)}
                </button>
            </ActionForm>
            <p class="auth-switch">
                <A href="/sign-in">{i18n.t(Text::GoToSignIn)}</A>
            </p>
        </section>
    }
}

#[component]
pub fn ChooseRolePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let choose = ServerAction::<ChooseRole>::new();
    let alert = last_error(choose.value());

    Effect::new(move |_| {
        if let Some(Ok(account)) = choose.value().get() {
            session.refresh();
            navigate(next_after_choosing(&account), Default::default());
        }
    });

    let role_option = move |role: Role, body: Text| {
        view! {
            <ActionForm action=choose attr:class="role-option">
                <input type="hidden" name="role" value=role.code() />
                <h2>{move || role.label(i18n.lang())}</h2>
                <p>{i18n.t(body)}</p>
                <button type="submit" class="button primary" disabled=move || choose.pending().get()>
                    {move || role.label(i18n.lang())}
                </button>
            </ActionForm>
        }
    };

    view! {
        <PageTitle page=Text::ChooseRoleTitle />
        <section class="choose-role">
            <h1>{i18n.t(Text::ChooseRoleTitle)}</h1>
            <p class="lead">{i18n.t(Text::ChooseRoleLead)}</p>
            <FormAlert error=alert />
            <div class="role-options">
                {role_option(Role::Isv, Text::IsvRoleBody)}
                {role_option(Role::Merchant, Text::MerchantRoleBody)}
            </div>
        </section>
    }
}

/// The header's account area: SIGN IN for a visitor; the username and Sign out when signed in.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            session.refresh();
            navigate("/", Default::default());
        }
    });
    view! {
        <Transition fallback=|| view! { <span class="account-menu"></span> }>
            {move || {
                session
                    .account
                    .get()
                    .map(|account| match account {
                        Ok(Some(account)) => {
                            view! {
                                <div class="account-menu">
                                    <A href=home_for(&account) attr:class="account-name">
                                        {account.username.clone()}
                                    </A>
                                    <ActionForm action=sign_out>
                                        <button type="submit" class="link-button">
                                            {i18n.t(Text::SignOut)}
                                        </button>
                                    </ActionForm>
                                </div>
                            }
                                .into_any()
                        }
                        _ => {
                            view! {
                                <A href="/sign-in" attr:class="button small">
                                    {i18n.t(Text::SignInTitle)}
                                </A>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

/// The header's links for a signed-in account: its Console, 我的服务 for merchants, and the
/// Review queue for reviewers.
#[component]
pub fn SignedInNav() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <Transition>
            {move || {
                session.account.get().and_then(|a| a.ok().flatten()).map(|account| {
                    view! {
                        <A href="/console">{i18n.t(Text::Console)}</A>
                        {(account.role == Some(Role::Merchant)).then(super::my_services::MyServicesLink)}
                        {account.is_reviewer.then(|| view! { <A href="/review">{i18n.t(Text::ReviewNav)}</A> })}
                    }
                })
            }}
        </Transition>
    }
}
