//! The merchant's mini programs (`/my/mini-programs`): create one (a name, and the 16-digit App
//! ID starting 2021 it has on the open platform, or one assigned), and the list with the
//! versions built for each.

use super::merchant_text::{loading, mt, MerchantText, MerchantTitle};
use super::my_services::{MerchantLoadError, MY_SERVICES_PATH};
use super::order::MiniProgramForm;
use crate::domain::newtypes::format_cst;
use crate::i18n::{use_i18n, Bilingual, Text};
use crate::ordering::api::my_mini_programs;
use crate::ordering::{CreateMiniProgram, MiniProgramView, VersionView};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn MiniProgramsPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateMiniProgram>::new();
    let programs = Resource::new(move || create.version().get(), |_| my_mini_programs());
    view! {
        <MerchantTitle page=MerchantText::MiniPrograms />
        <section class="merchant-page mini-programs">
            <h1>{mt(MerchantText::MiniPrograms)}</h1>
            <p class="lead">{mt(MerchantText::MiniProgramsLead)}</p>
            <p class="page-links">
                <A href=MY_SERVICES_PATH>{mt(MerchantText::MyServices)}</A>
            </p>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match programs.await {
                        Ok(list) => view! {
                            <div class="panel">
                                <MiniProgramForm create />
                                {move || matches!(create.value().get(), Some(Ok(_))).then(|| view! {
                                    <p class="notice" role="status">{mt(MerchantText::MiniProgramCreated)}</p>
                                })}
                            </div>
                            <MiniProgramList list />
                            <p class="hint">{i18n.t(Text::TimesInCst)}</p>
                        }
                        .into_any(),
                        Err(error) => view! { <MerchantLoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MiniProgramList(list: Vec<MiniProgramView>) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <p class="empty-state" role="status">{mt(MerchantText::NoMiniProgramsListed)}</p>
        }
        .into_any();
    }
    view! {
        <ul class="service-list" aria-label=mt(MerchantText::MiniPrograms)>
            {list
                .into_iter()
                .map(|program| view! { <MiniProgramCard program /> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn MiniProgramCard(program: MiniProgramView) -> impl IntoView {
    let i18n = use_i18n();
    let MiniProgramView {
        name,
        app_id,
        created_at,
        versions,
        ..
    } = program;
    view! {
        <li class="service-card">
            <h2 class="service-name">{name}</h2>
            <dl class="details">
                <dt>{mt(MerchantText::AppId)}</dt>
                <dd class="app-id">{app_id.to_string()}</dd>
                <dt>{mt(MerchantText::CreatedAt)}</dt>
                <dd>{format_cst(created_at)}</dd>
                <dt>{mt(MerchantText::BuiltVersions)}</dt>
                <dd>
                    {if versions.is_empty() {
                        view! { <span class="muted">{mt(MerchantText::NoVersions)}</span> }.into_any()
                    } else {
                        view! {
                            <ul class="version-list">
                                {versions.into_iter().map(|version| version_row(version, i18n)).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                </dd>
            </dl>
        </li>
    }
}

fn version_row(version: VersionView, i18n: crate::i18n::I18n) -> impl IntoView {
    let status = version.status;
    view! {
        <li>
            <strong>{version.version}</strong>
            " "
            <span class=format!("tag version-{}", status.code())>{move || status.label(i18n.lang())}</span>
            {version.online_at.map(|at| view! {
                " " <span class="muted">{mt(MerchantText::OnlineAt)} " " {format_cst(at)}</span>
            })}
        </li>
    }
}
