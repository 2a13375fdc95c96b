//! The Terms of Service and the Privacy Policy that sign-up and the ISV form ask users to accept.

use super::PageTitle;
use crate::i18n::{use_i18n, Lang, Text};
use leptos::prelude::*;

const TERMS_EN: &[(&str, &str)] = &[
    ("1. The service", "Service Market is a marketplace on which independent software vendors (ISVs) offer mini program services and merchants order them. The operator of this installation runs the platform; each ISV is responsible for the services it publishes and delivers."),
    ("2. Your account", "Keep your password secret. You are responsible for what is done with your account. Tell the operator at once if you believe someone else has used it."),
    ("3. ISVs", "An ISV's business information must be true and kept up to date. The platform reviews applications, services and mini program versions and may turn them down with a reason."),
    ("4. Merchants", "A merchant orders a service for its own mini programs and authorizes the ISV to build and manage them for the period ordered. Orders follow the published order lifecycle, including its time limits and refunds."),
    ("5. Payments and refunds", "Prices are shown in yuan. A paid order that is canceled before the merchant approves the delivery is refunded; a completed order is not refunded online."),
    ("6. Changes", "The operator may change these terms; the current version is always on this page."),
];

const TERMS_ZH: &[(&str, &str)] = &[
    ("1. 服务", "服务市场是服务商（ISV）发布小程序服务、商家订购服务的平台。本平台由本安装的运营方运营；服务商对其发布和交付的服务负责。"),
    ("2. 账号", "请妥善保管密码。您对使用您账号进行的操作负责。如发现他人使用您的账号，请立即告知运营方。"),
    ("3. 服务商", "服务商提交的企业信息必须真实并保持更新。平台审核入驻申请、服务和小程序版本，并可说明理由予以驳回。"),
    ("4. 商家", "商家为自己的小程序订购服务，并在订购期内授权服务商构建和管理该小程序。订单遵循公布的订单流程，包括其时限与退款规则。"),
    ("5. 付款与退款", "价格以人民币元显示。已付款订单在商家确认交付前被取消的，予以退款；已完结订单不支持线上退款。"),
    ("6. 变更", "运营方可修改本条款；当前版本始终在本页公布。"),
];

const PRIVACY_EN: &[(&str, &str)] = &[
    ("What we keep", "Your email, username and a salted hash of your password (never the password itself); the business information you submit; your orders and their history; session records with the time and browser of each sign-in."),
    ("Why", "To run your account, review applications, process orders, and keep the platform secure (rate limits, audit of changes)."),
    ("Who sees it", "Platform reviewers see applications; an ISV sees the orders placed with it, including the merchant contact given on the order; nothing is sold to third parties."),
    ("Your choices", "You can change your password at any time. Ask the operator to export or delete your data where the law allows."),
];

const PRIVACY_ZH: &[(&str, &str)] = &[
    ("我们保存的信息", "您的邮箱、用户名和加盐后的密码哈希（从不保存密码本身）；您提交的企业信息；您的订单及其记录；每次登录的时间和浏览器等会话记录。"),
    ("用途", "用于运行您的账号、审核申请、处理订单，以及保障平台安全（频率限制、变更审计）。"),
    ("谁能看到", "平台审核员可查看入驻申请；服务商可查看向其下达的订单，包括订单中填写的商家联系人；我们不向第三方出售任何信息。"),
    ("您的选择", "您可随时修改密码。在法律允许的范围内，您可请求运营方导出或删除您的数据。"),
];

#[component]
fn LegalPage(
    title: Text,
    en: &'static [(&'static str, &'static str)],
    zh: &'static [(&'static str, &'static str)],
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle page=title />
        <article class="legal">
            <h1>{i18n.t(title)}</h1>
            {move || {
                let sections = match i18n.lang() {
                    Lang::En => en,
                    Lang::Zh => zh,
                };
                sections
                    .iter()
                    .map(|(heading, body)| view! { <h2>{*heading}</h2> <p>{*body}</p> })
                    .collect_view()
            }}
        </article>
    }
}

#[component]
pub fn TermsPage() -> impl IntoView {
    view! { <LegalPage title=Text::TermsOfService en=TERMS_EN zh=TERMS_ZH /> }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <LegalPage title=Text::PrivacyPolicy en=PRIVACY_EN zh=PRIVACY_ZH /> }
}
