//! ISV console > the open platform (issue 6, PRODUCT.md §4): the Open platform settings (the
//! app's `app_id`, the application gateway URL, the app public key uploaded or generated here
//! with its private key shown once, the platform public key to copy and the merchant access
//! URLs) and Notifications (each delivery with its payload, answer and attempts; Redeliver;
//! a test notification; the signature check tool). Any member sees them; the server decides
//! who may change the settings (Owner and Admins) and the pages show its refusals.

use super::auth::{FieldNote, FormAlert};
use super::console::WorkspaceTabs;
use super::{param_id, LoadError, PageTitle};
use crate::auth::BiText;
use crate::domain::newtypes::format_cst;
use crate::error::AppError;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::open::api::{
    check_signature, generate_app_key_pair, notifications, open_settings, redeliver_notification,
    send_test_notification, set_app_public_key, set_gateway_url,
};
use crate::open::{
    field, AccessUrlsView, AppSettingsView, AttemptView, DeliveryStatus, GeneratedKeyPair,
    MatchedKey, NotificationKind, NotificationView, SignatureCheckView,
};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

/// `/console/workspaces/{id}/open-platform`
pub fn open_platform_path(workspace_id: i64) -> String {
    format!("/console/workspaces/{workspace_id}/open-platform")
}

/// `/console/workspaces/{id}/notifications`
pub fn notifications_path(workspace_id: i64) -> String {
    format!("/console/workspaces/{workspace_id}/notifications")
}

/// Every fixed text of the two pages, with Alipay's Chinese terms (应用网关, 应用公钥,
/// 支付宝公钥…).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenPageText {
    SettingsTitle,
    SettingsLead,
    ReadOnly,
    AppSection,
    AppId,
    GatewayEndpoint,
    GatewayEndpointHint,
    Copy,
    Copied,
    CopyFailed,
    NotSet,
    Save,
    Saved,
    AppGateway,
    AppGatewayHint,
    KeysSection,
    AppPublicKey,
    CurrentAppPublicKey,
    NewAppPublicKey,
    AppPublicKeyHint,
    SavePublicKey,
    GenerateKeyPair,
    GenerateHint,
    KeyPairGenerated,
    PrivateKeyTitle,
    PrivateKeyWarning,
    Pkcs1,
    Pkcs8,
    PrivateKeySaved,
    PlatformPublicKey,
    PlatformPublicKeyHint,
    RetiredKeyUntil,
    AccessUrls,
    AccessUrlsHint,
    Service,
    Mobile,
    Pc,
    EditService,
    NoServices,
    NotificationsLead,
    SendTest,
    TestKind,
    NoNotifications,
    NewestShown,
    Filter,
    Type,
    Order,
    TestTag,
    Attempts,
    Response,
    NextAttempt,
    Delivered,
    Created,
    Payload,
    AttemptHistory,
    Redeliver,
    RedeliverQueued,
    Error,
    CheckTitle,
    CheckLead,
    PayloadWithSign,
    PublicKeyOptional,
    Check,
    Valid,
    Invalid,
    InvalidReason,
    MatchedCurrent,
    MatchedRetired,
    MatchedGiven,
    ContentRule,
    ContentChecked,
}

impl Bilingual for OpenPageText {
    fn labels(self) -> (&'static str, &'static str) {
        use OpenPageText::*;
        match self {
            SettingsTitle => ("Open platform settings", "开放平台设置"),
            SettingsLead => (
                "What your systems need to work with the platform as with Alipay's open platform: your third-party app's app_id, the gateway addresses and the keys.",
                "您的系统像对接支付宝开放平台一样对接本平台所需的信息：第三方应用的 APPID、网关地址和密钥。",
            ),
            ReadOnly => (
                "You can see these settings; only the workspace Owner or an Admin can change them.",
                "您可以查看这些设置；只有工作空间所有者或管理员可以修改。",
            ),
            AppSection => ("Third-party app", "第三方应用"),
            AppId => ("App ID (app_id)", "应用 ID（APPID）"),
            GatewayEndpoint => ("Platform gateway", "平台网关"),
            GatewayEndpointHint => (
                "Your SDK's gateway (serverUrl): where your systems call the OpenAPI methods.",
                "即 SDK 的 gateway（serverUrl）：您的系统调用 OpenAPI 接口的地址。",
            ),
            Copy => ("Copy", "复制"),
            Copied => ("Copied.", "已复制。"),
            CopyFailed => ("Select the text and copy it.", "请选中文本后复制。"),
            NotSet => ("Not set", "未设置"),
            Save => ("Save", "保存"),
            Saved => ("Saved.", "已保存。"),
            AppGateway => ("Application gateway (应用网关)", "应用网关"),
            AppGatewayHint => (
                "Notifications are POSTed here, signed with the platform key; answer success once you have handled one. Leave it empty to stop deliveries.",
                "平台以 POST 方式向此地址发送签名通知，处理成功后请返回 success。留空则不投递。",
            ),
            KeysSection => ("Interface signing keys (RSA2)", "接口加签方式（RSA2 密钥）"),
            AppPublicKey => ("App public key (应用公钥)", "应用公钥"),
            CurrentAppPublicKey => ("Current app public key", "当前应用公钥"),
            NewAppPublicKey => ("New app public key", "新的应用公钥"),
            AppPublicKeyHint => (
                "Paste the public key of your app key pair as PEM or as the bare Base64 text Alipay's key tool shows. It verifies the requests your systems sign with the app private key.",
                "请以 PEM 或支付宝密钥工具显示的 Base64 文本粘贴应用密钥对中的公钥。平台用它验证您的系统以应用私钥签名的请求。",
            ),
            SavePublicKey => ("Save the public key", "保存公钥"),
            GenerateKeyPair => ("Generate a key pair", "生成密钥对"),
            GenerateHint => (
                "Or let the platform generate an RSA-2048 key pair: its public key replaces the current app public key, and its private key is shown to you once.",
                "或由平台生成 RSA-2048 密钥对：其公钥将替换当前应用公钥，私钥仅向您显示一次。",
            ),
            KeyPairGenerated => ("Key pair generated.", "密钥对已生成。"),
            PrivateKeyTitle => ("Your new app private key (应用私钥)", "您的新应用私钥"),
            PrivateKeyWarning => (
                "Copy the private key now and keep it secret. It is shown only this once: the platform does not store it, and it is gone when you leave or reload this page. The app public key is now its pair.",
                "请立即复制并妥善保管私钥。私钥仅显示这一次：平台不会保存，离开或刷新本页面后将无法再次查看。应用公钥已设为与之配对的公钥。",
            ),
            Pkcs1 => (
                "Private key, PKCS#1 (PHP, Python, the Node SDK's default)",
                "私钥，PKCS#1 格式（PHP、Python、Node SDK 默认）",
            ),
            Pkcs8 => (
                "Private key, PKCS#8 (Java; the Node SDK with keyType PKCS8)",
                "私钥，PKCS#8 格式（Java；Node SDK 设置 keyType 为 PKCS8）",
            ),
            PrivateKeySaved => ("I have saved it: hide it", "我已保存，隐藏私钥"),
            PlatformPublicKey => ("Platform public key (支付宝公钥)", "支付宝公钥"),
            PlatformPublicKeyHint => (
                "Verify the notifications and the gateway's answers with this key (your SDK's alipayPublicKey).",
                "请用此公钥验证通知与网关响应的签名（即 SDK 的 alipayPublicKey）。",
            ),
            RetiredKeyUntil => (
                "Previous platform public key, still valid until",
                "旧的支付宝公钥，仍可验签至",
            ),
            AccessUrls => ("Merchant access URLs", "商家访问地址"),
            AccessUrlsHint => (
                "Where merchants enter each service (进入服务). They are set on each service.",
                "商家进入各服务（进入服务）的地址，在各服务的设置中修改。",
            ),
            Service => ("Service", "服务"),
            Mobile => ("Mobile", "移动端"),
            Pc => ("PC", "PC 端"),
            EditService => ("Edit on the service", "在服务中修改"),
            NoServices => ("No services yet.", "暂无服务。"),
            NotificationsLead => (
                "The notifications sent to your application gateway, each with its payload, your gateway's answer and every attempt. A delivery counts once the gateway answers success; otherwise it is retried after 2m, 10m, 10m, 1h, 2h, 6h and 15h.",
                "发送到您应用网关的通知，含通知内容、网关响应和每次投递记录。网关返回 success 即视为投递成功；否则将在 2 分钟、10 分钟、10 分钟、1 小时、2 小时、6 小时和 15 小时后重试。",
            ),
            SendTest => ("Send a test notification", "发送测试通知"),
            TestKind => ("Notification type", "通知类型"),
            NoNotifications => ("No notifications yet.", "暂无通知。"),
            NewestShown => ("The 50 newest are shown.", "显示最新的 50 条。"),
            Filter => ("Filter", "筛选"),
            Type => ("Type", "类型"),
            Order => ("Order", "订单"),
            TestTag => ("Test", "测试"),
            Attempts => ("Attempts", "投递次数"),
            Response => ("Response", "响应"),
            NextAttempt => ("Next attempt", "下次投递"),
            Delivered => ("Delivered", "投递成功时间"),
            Created => ("Created", "创建时间"),
            Payload => ("Payload", "通知内容"),
            AttemptHistory => ("Delivery attempts", "投递记录"),
            Redeliver => ("Redeliver", "重新投递"),
            RedeliverQueued => (
                "Redelivery started: the notification is sent again now with the same notify_id.",
                "已重新投递：通知将以相同的 notify_id 立即再次发送。",
            ),
            Error => ("Error", "错误"),
            CheckTitle => ("Check a signature", "验证签名"),
            CheckLead => (
                "Paste a notification your gateway received, sign included: the form body as sent (a=1&b=2) or a JSON object of its fields. Leave the public key empty to check it with the platform public keys.",
                "粘贴网关收到的通知（含 sign）：原始表单内容（a=1&b=2）或字段的 JSON 对象。公钥留空则使用支付宝公钥验签。",
            ),
            PayloadWithSign => ("Notification (with sign)", "通知内容（含 sign）"),
            PublicKeyOptional => (
                "(Optional) Public key, PEM or Base64",
                "（选填）公钥，PEM 或 Base64",
            ),
            Check => ("Check", "验证"),
            Valid => ("Valid signature", "签名有效"),
            Invalid => ("Invalid signature", "签名无效"),
            InvalidReason => (
                "No key and content rule verifies this sign: the content was changed after signing, or it was signed with another key.",
                "没有任何公钥与内容规则能验证此签名：内容在签名后被修改，或使用了其他密钥签名。",
            ),
            MatchedCurrent => (
                "Verified with the current platform public key",
                "使用当前支付宝公钥验签通过",
            ),
            MatchedRetired => (
                "Verified with a previous platform public key (still in its grace period)",
                "使用旧的支付宝公钥验签通过（仍在有效期内）",
            ),
            MatchedGiven => ("Verified with the public key given", "使用所填公钥验签通过"),
            ContentRule => ("Content rule", "待验签内容规则"),
            ContentChecked => ("Content checked", "验签内容"),
        }
    }
}

/// A reactive text of these pages: follows the language switch.
fn ot(text: OpenPageText) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || text.label(i18n.lang())
}

/// The document title: "Page · Service Market".
#[component]
fn OpenTitle(page: OpenPageText) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let lang = i18n.lang();
        format!("{} · {}", page.label(lang), Text::ProductName.get(lang))
    };
    view! { <leptos_meta::Title text=text /> }
}

fn loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="muted">{i18n.t(Text::Loading)}</p> }
}

/// Puts `text` on the clipboard; `state` says whether it worked (a denied permission leaves
/// the visitor to select it).
#[cfg(feature = "hydrate")]
fn copy_text(text: &str, state: RwSignal<Option<bool>>) {
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use leptos::web_sys::js_sys::{Function, Promise, Reflect};
    let promise = (|| {
        let clipboard =
            Reflect::get(&window().navigator(), &JsValue::from_str("clipboard")).ok()?;
        if clipboard.is_undefined() {
            return None;
        }
        let write = Reflect::get(&clipboard, &JsValue::from_str("writeText"))
            .ok()?
            .dyn_into::<Function>()
            .ok()?;
        write
            .call1(&clipboard, &JsValue::from_str(text))
            .ok()?
            .dyn_into::<Promise>()
            .ok()
    })();
    match promise {
        Some(promise) => {
            let copied = Closure::once(move |_: JsValue| state.set(Some(true)));
            let refused = Closure::once(move |_: JsValue| state.set(Some(false)));
            let _ = promise.then2(&copied, &refused);
            // Called once by the promise; kept alive until then.
            copied.forget();
            refused.forget();
        }
        None => state.set(Some(false)),
    }
}

/// A Copy button for `text`, named "Copy <what>" for assistive technology.
#[component]
fn CopyButton(#[prop(into)] text: String, what: OpenPageText) -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(None::<bool>);
    let text = StoredValue::new(text);
    let name = move || {
        let lang = i18n.lang();
        format!("{} {}", OpenPageText::Copy.label(lang), what.label(lang))
    };
    view! {
        <button
            type="button"
            class="button small"
            aria-label=name
            on:click=move |_| {
                #[cfg(feature = "hydrate")]
                text.with_value(|text| copy_text(text, state));
                #[cfg(not(feature = "hydrate"))]
                let _ = text;
            }
        >
            {ot(OpenPageText::Copy)}
        </button>
        {move || state.get().map(|copied| {
            let message = if copied { OpenPageText::Copied } else { OpenPageText::CopyFailed };
            view! { <span class="muted small" role="status">{ot(message)}</span> }
        })}
    }
}

/// A value to copy: shown as code, with its Copy button.
#[component]
fn Copyable(
    #[prop(into)] text: String,
    what: OpenPageText,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="copyable">
            <code id=id>{text.clone()}</code>
            <CopyButton text what />
        </div>
    }
}

/// What the settings page keeps across the refetch that follows a change: the messages, and
/// the private key of a pair generated now (never sent again, gone on reload).
#[derive(Clone, Copy)]
struct SettingsState {
    workspace_id: Signal<i64>,
    refresh: RwSignal<u64>,
    notice: RwSignal<Option<OpenPageText>>,
    gateway_error: RwSignal<Option<AppError>>,
    key_error: RwSignal<Option<AppError>>,
    generate_error: RwSignal<Option<AppError>>,
    generated: RwSignal<Option<GeneratedKeyPair>>,
    pending: RwSignal<bool>,
}

/// `/console/workspaces/{id}/open-platform`
#[component]
pub fn OpenPlatformPage() -> impl IntoView {
    let workspace_id = param_id("id");
    let refresh = RwSignal::new(0u64);
    let settings = Resource::new(
        move || (workspace_id(), refresh.get()),
        |(workspace_id, _)| open_settings(workspace_id),
    );
    let state = SettingsState {
        workspace_id: Signal::derive(workspace_id),
        refresh,
        notice: RwSignal::new(None),
        gateway_error: RwSignal::new(None),
        key_error: RwSignal::new(None),
        generate_error: RwSignal::new(None),
        generated: RwSignal::new(None),
        pending: RwSignal::new(false),
    };
    view! {
        <OpenTitle page=OpenPageText::SettingsTitle />
        <section class="console wide open-platform">
            <WorkspaceTabs workspace_id=Signal::derive(workspace_id) current=Text::OpenPlatformNav />
            <h1>{ot(OpenPageText::SettingsTitle)}</h1>
            <p class="hint">{ot(OpenPageText::SettingsLead)}</p>
            {move || state.notice.get().map(|notice| view! { <p class="notice" role="status">{ot(notice)}</p> })}
            <GeneratedPrivateKey state />
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(view) => view! { <SettingsView view state /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The private key of a pair generated now, with the warning that it is shown this once.
#[component]
fn GeneratedPrivateKey(state: SettingsState) -> impl IntoView {
    move || {
        state.generated.get().map(|pair| {
            let GeneratedKeyPair {
                private_key_pkcs1_pem,
                private_key_pkcs8_pem,
                ..
            } = pair;
            view! {
                <section class="panel private-key" aria-labelledby="private-key-title">
                    <h2 id="private-key-title">{ot(OpenPageText::PrivateKeyTitle)}</h2>
                    <p class="form-alert" role="alert">{ot(OpenPageText::PrivateKeyWarning)}</p>
                    <label for="private-key-pkcs1">{ot(OpenPageText::Pkcs1)}</label>
                    <textarea id="private-key-pkcs1" class="key-text" rows="8" readonly=true prop:value=private_key_pkcs1_pem.clone()></textarea>
                    <p><CopyButton text=private_key_pkcs1_pem what=OpenPageText::Pkcs1 /></p>
                    <label for="private-key-pkcs8">{ot(OpenPageText::Pkcs8)}</label>
                    <textarea id="private-key-pkcs8" class="key-text" rows="8" readonly=true prop:value=private_key_pkcs8_pem.clone()></textarea>
                    <p><CopyButton text=private_key_pkcs8_pem what=OpenPageText::Pkcs8 /></p>
                    <p>
                        <button type="button" class="button" on:click=move |_| state.generated.set(None)>
                            {ot(OpenPageText::PrivateKeySaved)}
                        </button>
                    </p>
                </section>
            }
        })
    }
}

#[component]
fn SettingsView(view: AppSettingsView, state: SettingsState) -> impl IntoView {
    let i18n = use_i18n();
    let AppSettingsView {
        app_id,
        gateway_url,
        app_public_key,
        platform_public_key,
        retired_platform_keys,
        gateway_endpoint,
        access_urls,
        can_manage,
        ..
    } = view;
    let app_id = app_id.to_string();
    let read_only = (!can_manage)
        .then(|| view! { <p class="notice" role="note">{ot(OpenPageText::ReadOnly)}</p> });
    let current_gateway = match gateway_url.clone() {
        Some(url) => {
            view! { <Copyable text=url what=OpenPageText::AppGateway id="current-gateway" /> }
                .into_any()
        }
        None => view! { <p class="muted" id="current-gateway">{ot(OpenPageText::NotSet)}</p> }
            .into_any(),
    };
    let current_key = match app_public_key {
        Some(key) => view! { <Copyable text=key what=OpenPageText::AppPublicKey id="current-app-public-key" /> }.into_any(),
        None => view! { <p class="muted" id="current-app-public-key">{ot(OpenPageText::NotSet)}</p> }.into_any(),
    };
    let retired = retired_platform_keys
        .into_iter()
        .map(|key| {
            view! {
                <p class="muted">{ot(OpenPageText::RetiredKeyUntil)} " " {format_cst(key.verify_until)} {move || i18n.lang().colon()}</p>
                <Copyable text=key.public_key what=OpenPageText::PlatformPublicKey />
            }
        })
        .collect_view();
    view! {
        {read_only}
        {view! {
            <section class="panel">
                <h2>{ot(OpenPageText::AppSection)}</h2>
                <dl class="details">
                    <dt>{ot(OpenPageText::AppId)}</dt>
                    <dd><Copyable text=app_id what=OpenPageText::AppId id="app-id" /></dd>
                    <dt>{ot(OpenPageText::GatewayEndpoint)}</dt>
                    <dd>
                        <Copyable text=gateway_endpoint what=OpenPageText::GatewayEndpoint />
                        <p class="hint">{ot(OpenPageText::GatewayEndpointHint)}</p>
                    </dd>
                    <dt>{ot(OpenPageText::AppGateway)}</dt>
                    <dd>
                        {current_gateway}
                        <p class="hint">{ot(OpenPageText::AppGatewayHint)}</p>
                    </dd>
                </dl>
                {can_manage.then(|| view! { <GatewayForm state initial=gateway_url.unwrap_or_default() /> })}
            </section>
        }.into_any()}
        {view! {
            <section class="panel">
                <h2>{ot(OpenPageText::KeysSection)}</h2>
                <h3>{ot(OpenPageText::AppPublicKey)}</h3>
                <p class="muted">{ot(OpenPageText::CurrentAppPublicKey)}</p>
                {current_key}
                {can_manage.then(|| view! { <AppKeyForm state /> })}
                <h3>{ot(OpenPageText::PlatformPublicKey)}</h3>
                <Copyable text=platform_public_key what=OpenPageText::PlatformPublicKey id="platform-public-key" />
                <p class="hint">{ot(OpenPageText::PlatformPublicKeyHint)}</p>
                {retired}
            </section>
        }.into_any()}
        <AccessUrls access_urls />
    }
}

/// The application gateway URL form (Owner and Admins).
#[component]
fn GatewayForm(state: SettingsState, initial: String) -> impl IntoView {
    let value = RwSignal::new(initial.clone());
    let errors =
        Signal::derive(move || state.gateway_error.get().and_then(|e| e.fields().cloned()));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.pending.get_untracked() {
            return;
        }
        state.pending.set(true);
        state.notice.set(None);
        let workspace_id = state.workspace_id.get_untracked();
        let url = value.get_untracked();
        leptos::task::spawn_local(async move {
            let result = set_gateway_url(workspace_id, url).await;
            state.pending.set(false);
            match result {
                Ok(_) => {
                    state.gateway_error.set(None);
                    state.notice.set(Some(OpenPageText::Saved));
                    state.refresh.update(|v| *v += 1);
                }
                Err(error) => state.gateway_error.set(Some(error)),
            }
        });
    };
    view! {
        <form class="open-form" on:submit=save novalidate=true>
            <label for=field::GATEWAY_URL>{ot(OpenPageText::AppGateway)}</label>
            <input
                id=field::GATEWAY_URL
                name=field::GATEWAY_URL
                type="url"
                placeholder="https://api.example.com/alipay/gateway"
                value=initial
                aria-invalid=super::auth::invalid(errors, field::GATEWAY_URL)
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <FieldNote errors field=field::GATEWAY_URL />
            <FormAlert error=Signal::derive(move || state.gateway_error.get().filter(|e| e.fields().is_none_or(|f| f.get(field::GATEWAY_URL).is_none()))) />
            <button type="submit" class="button primary" disabled=move || state.pending.get()>{ot(OpenPageText::Save)}</button>
        </form>
    }
}

/// Upload an app public key, or generate a pair (Owner and Admins).
#[component]
fn AppKeyForm(state: SettingsState) -> impl IntoView {
    let value = RwSignal::new(String::new());
    let errors = Signal::derive(move || state.key_error.get().and_then(|e| e.fields().cloned()));
    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.pending.get_untracked() {
            return;
        }
        state.pending.set(true);
        state.notice.set(None);
        let workspace_id = state.workspace_id.get_untracked();
        let key = value.get_untracked();
        leptos::task::spawn_local(async move {
            let result = set_app_public_key(workspace_id, key).await;
            state.pending.set(false);
            match result {
                Ok(_) => {
                    state.key_error.set(None);
                    state.generated.set(None);
                    state.notice.set(Some(OpenPageText::Saved));
                    state.refresh.update(|v| *v += 1);
                }
                Err(error) => state.key_error.set(Some(error)),
            }
        });
    };
    let generate = move |_| {
        if state.pending.get_untracked() {
            return;
        }
        state.pending.set(true);
        state.notice.set(None);
        state.generate_error.set(None);
        let workspace_id = state.workspace_id.get_untracked();
        leptos::task::spawn_local(async move {
            let result = generate_app_key_pair(workspace_id).await;
            state.pending.set(false);
            match result {
                Ok(pair) => {
                    state.key_error.set(None);
                    state.generated.set(Some(pair));
                    state.notice.set(Some(OpenPageText::KeyPairGenerated));
                    state.refresh.update(|v| *v += 1);
                }
                Err(error) => state.generate_error.set(Some(error)),
            }
        });
    };
    view! {
        <form class="open-form" on:submit=upload novalidate=true>
            <label for=field::APP_PUBLIC_KEY>{ot(OpenPageText::NewAppPublicKey)}</label>
            <textarea
                id=field::APP_PUBLIC_KEY
                name=field::APP_PUBLIC_KEY
                class="key-text"
                rows="5"
                placeholder="-----BEGIN PUBLIC KEY-----"
                aria-invalid=super::auth::invalid(errors, field::APP_PUBLIC_KEY)
                aria-describedby="app-public-key-hint"
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <p class="hint" id="app-public-key-hint">{ot(OpenPageText::AppPublicKeyHint)}</p>
            <FieldNote errors field=field::APP_PUBLIC_KEY />
            <FormAlert error=Signal::derive(move || state.key_error.get().filter(|e| e.fields().is_none_or(|f| f.get(field::APP_PUBLIC_KEY).is_none()))) />
            <button type="submit" class="button primary" disabled=move || state.pending.get()>{ot(OpenPageText::SavePublicKey)}</button>
        </form>
        <p class="hint">{ot(OpenPageText::GenerateHint)}</p>
        <p>
            <button type="button" class="button" disabled=move || state.pending.get() on:click=generate>
                {ot(OpenPageText::GenerateKeyPair)}
            </button>
        </p>
        <FormAlert error=Signal::derive(move || state.generate_error.get()) />
    }
}

/// Each service's merchant access URLs, edited on the service.
#[component]
fn AccessUrls(access_urls: Vec<AccessUrlsView>) -> impl IntoView {
    let url = |url: Option<String>| {
        match url {
        Some(url) => view! { <a href=url.clone() rel="noopener noreferrer" target="_blank">{url.clone()}</a> }.into_any(),
        None => view! { <span class="muted">{ot(OpenPageText::NotSet)}</span> }.into_any(),
    }
    };
    let body = if access_urls.is_empty() {
        view! { <p class="empty-state">{ot(OpenPageText::NoServices)}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="data-table" aria-label=ot(OpenPageText::AccessUrls)>
                    <thead>
                        <tr>
                            <th scope="col">{ot(OpenPageText::Service)}</th>
                            <th scope="col">{ot(OpenPageText::Mobile)}</th>
                            <th scope="col">{ot(OpenPageText::Pc)}</th>
                            <th scope="col"></th>
                        </tr>
                    </thead>
                    <tbody>
                        {access_urls
                            .into_iter()
                            .map(|service| view! {
                                <tr>
                                    <td>{service.service_name.clone()}</td>
                                    <td>{url(service.mobile_access_url)}</td>
                                    <td>{url(service.pc_access_url)}</td>
                                    <td><A href=super::services::service_path(service.service_id)>{ot(OpenPageText::EditService)}</A></td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h2>{ot(OpenPageText::AccessUrls)}</h2>
            <p class="hint">{ot(OpenPageText::AccessUrlsHint)}</p>
            {body}
        </section>
    }
}

/// What the Notifications page keeps across its refetches.
#[derive(Clone, Copy)]
struct NotificationsState {
    workspace_id: Signal<i64>,
    refresh: RwSignal<u64>,
    notice: RwSignal<Option<BiText>>,
    error: RwSignal<Option<AppError>>,
    pending: RwSignal<bool>,
}

/// `/console/workspaces/{id}/notifications?status=`
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let workspace_id = param_id("id");
    let query = use_query_map();
    let refresh = RwSignal::new(0u64);
    let list = Resource::new(
        move || {
            (
                workspace_id(),
                query.with(|q| q.get("status")),
                refresh.get(),
            )
        },
        |(workspace_id, status, _)| notifications(workspace_id, status.filter(|s| !s.is_empty())),
    );
    let state = NotificationsState {
        workspace_id: Signal::derive(workspace_id),
        refresh,
        notice: RwSignal::new(None),
        error: RwSignal::new(None),
        pending: RwSignal::new(false),
    };
    // While a delivery is pending, fetch the list again every two seconds: the worker delivers
    // within seconds, and the page shows its answer without a reload.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let interval = gloo_timers::callback::Interval::new(2_000, move || {
            let pending = list.with_untracked(|list| {
                matches!(list, Some(Ok(items)) if items.iter().any(|n| n.status == DeliveryStatus::Pending))
            });
            if pending {
                refresh.update(|v| *v += 1);
            }
        });
        // The interval is a browser object, not Send: kept in local storage, dropped on cleanup.
        let handle = StoredValue::new_local(Some(interval));
        on_cleanup(move || {
            handle.try_update_value(|interval| drop(interval.take()));
        });
    });
    let i18n = use_i18n();
    view! {
        <PageTitle page=Text::NotificationsNav />
        <section class="console wide open-platform">
            <WorkspaceTabs workspace_id=Signal::derive(workspace_id) current=Text::NotificationsNav />
            <h1>{i18n.t(Text::NotificationsNav)}</h1>
            <p class="hint">{ot(OpenPageText::NotificationsLead)}</p>
            <SendTest state />
            {move || state.notice.get().map(|notice| view! { <p class="notice" role="status">{move || notice.get(i18n.lang()).to_owned()}</p> })}
            <FormAlert error=Signal::derive(move || state.error.get()) />
            <StatusFilter />
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) => view! { <NotificationList items state /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
            <SignatureCheck />
        </section>
    }
}

/// "Send a test notification" of a chosen type.
#[component]
fn SendTest(state: NotificationsState) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(NotificationKind::OrderNotify.code().to_owned());
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.pending.get_untracked() {
            return;
        }
        state.pending.set(true);
        state.notice.set(None);
        state.error.set(None);
        let workspace_id = state.workspace_id.get_untracked();
        let kind = kind.get_untracked();
        leptos::task::spawn_local(async move {
            let result = send_test_notification(workspace_id, Some(kind)).await;
            state.pending.set(false);
            match result {
                Ok(sent) => {
                    state.notice.set(Some(BiText::new(
                        format!(
                            "Test notification {} queued: it is delivered within seconds.",
                            sent.notify_id
                        ),
                        format!(
                            "测试通知 {} 已加入投递队列，将在数秒内送达。",
                            sent.notify_id
                        ),
                    )));
                    state.refresh.update(|v| *v += 1);
                }
                Err(error) => state.error.set(Some(error)),
            }
        });
    };
    view! {
        <form class="orders-filter" on:submit=send>
            <label for="test-kind">{ot(OpenPageText::TestKind)}</label>
            <select id="test-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                {NotificationKind::ALL
                    .into_iter()
                    .map(|option| view! {
                        <option value=option.code() selected=option == NotificationKind::OrderNotify>
                            {move || option.label(i18n.lang())} " (" {option.code()} ")"
                        </option>
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="button primary small" disabled=move || state.pending.get()>
                {ot(OpenPageText::SendTest)}
            </button>
        </form>
    }
}

/// The delivery status filter, in the URL (`?status=`).
#[component]
fn StatusFilter() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let current = move || query.with(|q| q.get("status").unwrap_or_default());
    view! {
        <Form method="GET" action="" attr:class="orders-filter">
            <label for="status">{i18n.t(Text::Status)}</label>
            <select id="status" name="status">
                <option value="" selected=move || current().is_empty()>{i18n.t(Text::AllStatuses)}</option>
                {[DeliveryStatus::Pending, DeliveryStatus::Delivered, DeliveryStatus::Failed]
                    .into_iter()
                    .map(|status| view! {
                        <option value=status.code() selected=move || current() == status.code()>
                            {move || status.label(i18n.lang())}
                        </option>
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="button small">{ot(OpenPageText::Filter)}</button>
        </Form>
    }
}

#[component]
fn NotificationList(items: Vec<NotificationView>, state: NotificationsState) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty-state" role="status">{ot(OpenPageText::NoNotifications)}</p> }.into_any();
    }
    view! {
        <ul class="notification-list" aria-label=use_i18n().t(Text::NotificationsNav)>
            {items.into_iter().map(|item| view! { <NotificationCard item state /> }.into_any()).collect_view()}
        </ul>
        <p class="hint">{ot(OpenPageText::NewestShown)} " " {use_i18n().t(Text::TimesInCst)}</p>
    }
    .into_any()
}

/// "HTTP 200 success", the gateway's answer (or the transport error).
fn answer_text(status: Option<i64>, body: Option<&str>, error: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(status) = status {
        parts.push(format!("HTTP {status}"));
    }
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        parts.push(body.to_owned());
    }
    if let Some(error) = error.filter(|e| !e.is_empty()) {
        parts.push(error.to_owned());
    }
    if parts.is_empty() {
        "–".to_owned()
    } else {
        parts.join(" · ")
    }
}

#[component]
fn NotificationCard(item: NotificationView, state: NotificationsState) -> impl IntoView {
    let i18n = use_i18n();
    let NotificationView {
        id,
        notify_id,
        kind,
        order_no,
        payload,
        is_test,
        status,
        attempts,
        next_attempt_at,
        last_status,
        last_body,
        last_error,
        created_at,
        delivered_at,
        history,
    } = item;
    let app_id = payload.get("app_id").cloned();
    let payload_text = payload
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("\n");
    let answer = answer_text(last_status, last_body.as_deref(), last_error.as_deref());
    let colon = move || i18n.lang().colon();
    let fact = move |label: OpenPageText, value: String| {
        view! { <span class="fact">{ot(label)} {colon} <strong>{value}</strong></span> }
    };
    let redeliver = move |_| {
        if state.pending.get_untracked() {
            return;
        }
        state.pending.set(true);
        state.notice.set(None);
        state.error.set(None);
        let workspace_id = state.workspace_id.get_untracked();
        leptos::task::spawn_local(async move {
            let result = redeliver_notification(workspace_id, id).await;
            state.pending.set(false);
            match result {
                Ok(_) => {
                    state
                        .notice
                        .set(Some(OpenPageText::RedeliverQueued.into_bitext()));
                    state.refresh.update(|v| *v += 1);
                }
                Err(error) => state.error.set(Some(error)),
            }
        });
    };
    let history = history
        .into_iter()
        .map(|attempt| view! { <AttemptRow attempt /> })
        .collect_view();
    let label = format!("{} {notify_id}", kind.code());
    view! {
        <li class="notification-card panel" aria-label=label>
            <div class="page-head">
                <h2>
                    {move || kind.label(i18n.lang())} " " <code>{kind.code()}</code>
                </h2>
                <button type="button" class="button small" disabled=move || state.pending.get() on:click=redeliver>
                    {ot(OpenPageText::Redeliver)}
                </button>
            </div>
            <p class="service-tags">
                <span class=format!("tag delivery-{}", status.code())>{move || status.label(i18n.lang())}</span>
                {is_test.then(|| view! { <span class="tag">{ot(OpenPageText::TestTag)}</span> })}
            </p>
            <p class="facts">
                <span class="fact">"notify_id" {colon} <strong>{notify_id.clone()}</strong></span>
                {app_id.map(|app_id| view! { <span class="fact">"app_id" {colon} <strong>{app_id}</strong></span> })}
                {order_no.map(|order_no| fact(OpenPageText::Order, order_no))}
                {fact(OpenPageText::Attempts, attempts.to_string())}
                {fact(OpenPageText::Response, answer)}
                {(status == DeliveryStatus::Pending).then_some(next_attempt_at).flatten().map(|at| fact(OpenPageText::NextAttempt, format_cst(at)))}
                {delivered_at.map(|at| fact(OpenPageText::Delivered, format_cst(at)))}
                {fact(OpenPageText::Created, format_cst(created_at))}
            </p>
            <details>
                <summary>{ot(OpenPageText::Payload)}</summary>
                <pre class="payload">{payload_text}</pre>
            </details>
            <details>
                <summary>{ot(OpenPageText::AttemptHistory)}</summary>
                <ol class="plain-list">{history}</ol>
            </details>
        </li>
    }
}

#[component]
fn AttemptRow(attempt: AttemptView) -> impl IntoView {
    let AttemptView {
        attempt_no,
        at,
        url,
        http_status,
        response_body,
        error,
        duration_ms,
    } = attempt;
    view! {
        <li>
            <strong>"#" {attempt_no}</strong> " · " {format_cst(at)} " · " {duration_ms} " ms"
            {url.map(|url| view! { " · " <code>{url}</code> })}
            <br />
            {answer_text(http_status, response_body.as_deref(), error.as_deref())}
        </li>
    }
}

impl OpenPageText {
    fn into_bitext(self) -> BiText {
        let (en, zh) = self.labels();
        BiText::new(en, zh)
    }
}

/// The signature check tool: a payload with its `sign` (and optionally a public key) → valid
/// or invalid, with the key, the content rule and the content it checked.
#[component]
fn SignatureCheck() -> impl IntoView {
    let i18n = use_i18n();
    let payload = RwSignal::new(String::new());
    let public_key = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<Result<SignatureCheckView, AppError>>);
    let pending = RwSignal::new(false);
    let errors = Signal::derive(move || match answer.get() {
        Some(Err(error)) => error.fields().cloned(),
        _ => None,
    });
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let (text, key) = (payload.get_untracked(), public_key.get_untracked());
        leptos::task::spawn_local(async move {
            let result = check_signature(text, Some(key)).await;
            pending.set(false);
            answer.set(Some(result));
        });
    };
    let result = move || {
        answer.get().map(|answer| match answer {
            Ok(view) => {
                let SignatureCheckView {
                    valid,
                    matched_key,
                    rule,
                    content,
                } = view;
                let heading = if valid { OpenPageText::Valid } else { OpenPageText::Invalid };
                let why = match matched_key {
                    Some(MatchedKey::PlatformCurrent) => OpenPageText::MatchedCurrent,
                    Some(MatchedKey::PlatformRetired) => OpenPageText::MatchedRetired,
                    Some(MatchedKey::Given) => OpenPageText::MatchedGiven,
                    None => OpenPageText::InvalidReason,
                };
                view! {
                    <div class=if valid { "notice check-result" } else { "form-alert check-result" } role="status">
                        <strong>{ot(heading)}</strong>
                        <p>{ot(why)}</p>
                        {rule.map(|rule| view! {
                            <p>{ot(OpenPageText::ContentRule)} {move || i18n.lang().colon()} {move || rule.get(i18n.lang()).to_owned()}</p>
                        })}
                        <p>{ot(OpenPageText::ContentChecked)} {move || i18n.lang().colon()}</p>
                        <pre class="payload">{content}</pre>
                    </div>
                }
                .into_any()
            }
            Err(error) if error.fields().is_some_and(|f| f.get(field::FORM).is_none()) => ().into_any(),
            Err(error) => view! { <p class="form-alert" role="alert">{move || error.message(i18n.lang())}</p> }.into_any(),
        })
    };
    view! {
        <section class="panel" aria-labelledby="check-title">
            <h2 id="check-title">{ot(OpenPageText::CheckTitle)}</h2>
            <p class="hint">{ot(OpenPageText::CheckLead)}</p>
            <form class="open-form" on:submit=check novalidate=true>
                <label for=field::PAYLOAD>{ot(OpenPageText::PayloadWithSign)}</label>
                <textarea
                    id=field::PAYLOAD
                    class="key-text"
                    rows="6"
                    aria-invalid=super::auth::invalid(errors, field::PAYLOAD)
                    on:input=move |ev| payload.set(event_target_value(&ev))
                ></textarea>
                <FieldNote errors field=field::PAYLOAD />
                <label for=field::PUBLIC_KEY>{ot(OpenPageText::PublicKeyOptional)}</label>
                <textarea
                    id=field::PUBLIC_KEY
                    class="key-text"
                    rows="3"
                    aria-invalid=super::auth::invalid(errors, field::PUBLIC_KEY)
                    on:input=move |ev| public_key.set(event_target_value(&ev))
                ></textarea>
                <FieldNote errors field=field::PUBLIC_KEY />
                <button type="submit" class="button primary" disabled=move || pending.get()>{ot(OpenPageText::Check)}</button>
            </form>
            {result}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gateway_answer_reads_as_status_body_and_error() {
        assert_eq!(
            answer_text(Some(200), Some("success"), None),
            "HTTP 200 · success"
        );
        assert_eq!(
            answer_text(None, None, Some("connection refused")),
            "connection refused"
        );
        assert_eq!(answer_text(None, Some(""), None), "–");
    }

    #[test]
    fn every_text_has_both_languages() {
        for text in [
            OpenPageText::SettingsTitle,
            OpenPageText::PrivateKeyWarning,
            OpenPageText::InvalidReason,
        ] {
            let (en, zh) = text.labels();
            assert!(!en.is_empty() && !zh.is_empty());
        }
    }
}
