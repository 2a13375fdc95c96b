//! Demo data, made through the app's own flows (so it obeys every rule a user would): a
//! platform reviewer, two approved ISVs with services in every status, three merchants with
//! mini programs, and orders in every status. Three services are Online — the marketplace a
//! fresh install shows; the restaurant template sells to enterprises and individual
//! businesses only (an individual is led to the upgrade). One merchant (Golden Dumplings)
//! holds states no page can reach yet, since version upload comes with the ISV's gateway: a
//! mini program whose template version is online with a year of validity left, so 续订 is
//! refused by the 365-day rule, and one with a built version, so ordering for it shows the
//! high-risk overwrite warning. Every stage looks for its own results first, so running it again adds
//! nothing twice. Returns the summary to print, with the sign-ins.

use app::auth::{accounts, crypto, Account, Role};
use app::domain::{self, Action, Actor, Email, Username};
use app::error::AppError;
use app::onboarding::multipart::{BusinessForm, LogoUpload};
use app::onboarding::{self, BusinessInfoInput, MerchantInput, WorkspaceKind};
use app::ordering::lifecycle::{self, By, Details};
use app::ordering::{self, OrderInput};
use app::services::{self, PlanInput, ServiceAction, ServiceInput};
use app::state::AppState;

pub type DemoError = Box<dyn std::error::Error + Send + Sync>;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "Demo2026";
pub const REVIEWER_EMAIL: &str = "reviewer@demo.service-market.test";

struct DemoIsv {
    email: &'static str,
    username: &'static str,
    company_name: &'static str,
}

const CLOUDLEAF: DemoIsv = DemoIsv {
    email: "cloudleaf@demo.service-market.test",
    username: "cloudleaf",
    company_name: "Hangzhou Cloudleaf Technology",
};
const BLUEBRIDGE: DemoIsv = DemoIsv {
    email: "bluebridge@demo.service-market.test",
    username: "bluebridge",
    company_name: "Shenzhen Bluebridge Software",
};

struct DemoMerchant {
    email: &'static str,
    username: &'static str,
    merchant_name: &'static str,
    identity_type: &'static str,
    certified_name: &'static str,
    certificate_number: &'static str,
}

const NOODLES: DemoMerchant = DemoMerchant {
    email: "noodles@demo.service-market.test",
    username: "noodles",
    merchant_name: "Lucky Noodles",
    identity_type: "enterprise",
    certified_name: "Hangzhou Lucky Noodles Co., Ltd.",
    certificate_number: "91350100M000100Y43",
};
const TEA: DemoMerchant = DemoMerchant {
    email: "tea@demo.service-market.test",
    username: "teahouse",
    merchant_name: "Spring Tea House",
    identity_type: "individual",
    certified_name: "Wang Chun",
    certificate_number: "11010519491231002X",
};

/// An enterprise whose restaurant mini program has an online version built by its paid
/// 365-day order (renewing would leave more than 365 days, so 我的服务 refuses 续订), and
/// whose second mini program has a built version (the order page's overwrite warning).
const DUMPLINGS: DemoMerchant = DemoMerchant {
    email: "dumplings@demo.service-market.test",
    username: "dumplings",
    merchant_name: "Golden Dumplings",
    identity_type: "enterprise",
    certified_name: "Hangzhou Golden Dumplings Co., Ltd.",
    certificate_number: "91350100M000100Y43",
};

const RESTAURANT: &str = "Restaurant ordering mini program · 餐饮点餐模板";
const MEMBERSHIP: &str = "Membership points template · 会员积分模板";
const CUSTOM: &str = "Custom mini program development · 小程序定制开发";

/// Where a demo service ends up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Destination {
    Draft,
    PendingReview,
    TurnedDown(&'static str),
    Online,
    Withdrawn,
    Archived,
}

struct DemoService {
    name: &'static str,
    category: &'static str,
    service_type: &'static str,
    description: &'static str,
    needs_acceptance: bool,
    /// (period in days, price in yuan)
    plans: &'static [(&'static str, &'static str)],
    mobile_access: bool,
    /// Identity type codes that may order; empty = anyone.
    subscriber_restriction: &'static [&'static str],
    destination: Destination,
    /// The service's images (drawn by `server/demo/generate.py`), cover first.
    images: &'static [&'static [u8]],
}

/// A demo service's cover and screens, embedded from `server/demo/`.
macro_rules! demo_images {
    ($name:literal) => {
        &[
            include_bytes!(concat!("../demo/", $name, "-cover.png")),
            include_bytes!(concat!("../demo/", $name, "-screens.png")),
        ]
    };
}

const CLOUDLEAF_SERVICES: &[DemoService] = &[
    DemoService {
        name: MEMBERSHIP,
        category: "retail",
        service_type: "normal_template",
        description: "Member cards, points and coupons for shops. 会员卡、积分与优惠券。",
        needs_acceptance: false,
        plans: &[("30", "0")],
        mobile_access: false,
        subscriber_restriction: &[],
        images: demo_images!("membership"),
        destination: Destination::Online,
    },
    DemoService {
        name: RESTAURANT,
        category: "food_beverage",
        service_type: "industry_template",
        description:
            "Scan-to-order, table service and takeaway for restaurants. 扫码点餐、桌台服务与外卖。",
        needs_acceptance: false,
        plans: &[("365", "1999"), ("30", "199")],
        mobile_access: true,
        // A shop's mini program: sold to businesses, so an individual upgrades first.
        subscriber_restriction: &["enterprise", "individual_business"],
        images: demo_images!("restaurant"),
        destination: Destination::Online,
    },
    DemoService {
        name: "Queue ticket template · 排队取号模板",
        category: "local_services",
        service_type: "industry_template",
        description:
            "Take a number online and get called when it is your turn. 线上取号，叫号提醒。",
        needs_acceptance: false,
        plans: &[("90", "299")],
        mobile_access: true,
        subscriber_restriction: &[],
        images: demo_images!("queue"),
        destination: Destination::Draft,
    },
    DemoService {
        name: "Hotel booking template · 酒店预订模板",
        category: "travel",
        service_type: "industry_template",
        description: "Rooms, rates and bookings for small hotels. 客房、房价与预订管理。",
        needs_acceptance: false,
        plans: &[("365", "2999")],
        mobile_access: true,
        subscriber_restriction: &[],
        images: demo_images!("hotel"),
        destination: Destination::PendingReview,
    },
    DemoService {
        name: "Car wash booking · 洗车预约",
        category: "local_services",
        service_type: "normal_template",
        description: "Book a car wash slot. 预约洗车时段。",
        needs_acceptance: false,
        plans: &[("30", "59")],
        mobile_access: false,
        subscriber_restriction: &[],
        images: demo_images!("carwash"),
        destination: Destination::TurnedDown(
            "The preview does not open. Please fix the Try now address and resubmit.",
        ),
    },
    DemoService {
        name: "Fitness class booking · 健身课程预约",
        category: "healthcare",
        service_type: "industry_template",
        description: "Class schedules, bookings and member check-in. 课程排期、预约与会员签到。",
        needs_acceptance: false,
        plans: &[("180", "899")],
        mobile_access: true,
        subscriber_restriction: &[],
        images: demo_images!("fitness"),
        destination: Destination::Withdrawn,
    },
    DemoService {
        name: "Festival coupon template (2025) · 节日券模板",
        category: "retail",
        service_type: "normal_template",
        description: "Last year's festival coupons. 去年的节日优惠券模板。",
        needs_acceptance: false,
        plans: &[("30", "9.9")],
        mobile_access: false,
        subscriber_restriction: &[],
        images: demo_images!("festival"),
        destination: Destination::Archived,
    },
];

const BLUEBRIDGE_SERVICES: &[DemoService] = &[DemoService {
    name: CUSTOM,
    category: "tools",
    service_type: "mini_program_development",
    description:
        "We design and build your mini program to your requirements. 按需求设计并开发您的小程序。",
    needs_acceptance: true,
    plans: &[("90", "8800")],
    mobile_access: true,
    subscriber_restriction: &[],
    images: demo_images!("custom"),
    destination: Destination::Online,
}];

/// Seeds the demo data and returns a summary to print.
pub async fn seed(state: &AppState) -> Result<String, DemoError> {
    let reviewer = reviewer(state).await?;
    let cloudleaf = isv(state, &reviewer, &CLOUDLEAF, CLOUDLEAF_SERVICES).await?;
    let bluebridge = isv(state, &reviewer, &BLUEBRIDGE, BLUEBRIDGE_SERVICES).await?;
    let noodles = merchant(state, &NOODLES).await?;
    let tea = merchant(state, &TEA).await?;
    let orders = orders(state, &reviewer, &cloudleaf, &bluebridge, &noodles, &tea).await?;
    let dumplings = merchant(state, &DUMPLINGS).await?;
    let golden_dumplings = golden_dumplings(state, &cloudleaf, &dumplings).await?;

    let mut summary =
        String::from("Demo data: 3 Online services, services and orders in every status.\n");
    summary.push_str(&format!("{orders}\n{golden_dumplings}\n{}", sign_ins()));
    Ok(summary)
}

/// The demo sign-ins, one a line under a heading with the password: what `demo` prints, and
/// what `serve` shows a newcomer on an empty database.
pub fn sign_ins() -> String {
    let mut text = format!("Sign in (password {DEMO_PASSWORD}):\n");
    for (login, what) in [
        (
            REVIEWER_EMAIL,
            "platform reviewer (application, service review queues)",
        ),
        (
            CLOUDLEAF.email,
            "ISV Owner, Hangzhou Cloudleaf Technology (services in every status)",
        ),
        (
            BLUEBRIDGE.email,
            "ISV Owner, Shenzhen Bluebridge Software (a service that needs acceptance)",
        ),
        (NOODLES.email, "merchant, enterprise (Lucky Noodles)"),
        (TEA.email, "merchant, individual (Spring Tea House)"),
        (
            DUMPLINGS.email,
            "merchant, enterprise (Golden Dumplings: the 365-day rule, the overwrite warning)",
        ),
    ] {
        text.push_str(&format!("  {login:<40} {what}\n"));
    }
    text
}

/// The demo account with this email, made (with its role) when missing.
async fn account(
    state: &AppState,
    email: &str,
    username: &str,
    role: Role,
) -> Result<Account, DemoError> {
    let email = Email::parse(email)?;
    if let Some(row) = accounts::find_by_email(state.db.pool(), &email).await? {
        return Ok(row.account());
    }
    let hash = crypto::hash_password(DEMO_PASSWORD).await?;
    let username = Username::parse(username)?;
    let row =
        accounts::insert(state.db.pool(), &email, &username, &hash, state.clock.now()).await?;
    accounts::set_role(state.db.pool(), row.id, role).await?;
    let row = accounts::find_by_id(state.db.pool(), row.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row.account())
}

async fn reviewer(state: &AppState) -> Result<Account, DemoError> {
    let email = Email::parse(REVIEWER_EMAIL)?;
    if accounts::find_by_email(state.db.pool(), &email)
        .await?
        .is_none()
    {
        onboarding::reviewers::create_or_promote(
            &state.db,
            &state.clock,
            REVIEWER_EMAIL,
            DEMO_PASSWORD,
        )
        .await?;
    }
    let row = accounts::find_by_email(state.db.pool(), &email)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row.account())
}

/// An approved ISV (its Owner and workspace id) with its services, each taken to its
/// destination status.
async fn isv(
    state: &AppState,
    reviewer: &Account,
    demo: &DemoIsv,
    services: &[DemoService],
) -> Result<(Account, i64), DemoError> {
    let owner = account(state, demo.email, demo.username, Role::Isv).await?;
    let workspace_id =
        match onboarding::data::owned_workspace(state.db.pool(), owner.id, WorkspaceKind::Isv)
            .await?
        {
            Some(workspace) => workspace.id,
            None => {
                let form = BusinessForm {
                    input: BusinessInfoInput {
                        company_name: demo.company_name.into(),
                        business_address: "1 West Lake Road, Hangzhou".into(),
                        country_region: "CN".into(),
                        business_representative: "Li Lei".into(),
                        website: String::new(),
                        customer_service_number: "+86 571 8888 0000".into(),
                        customer_service_email: String::new(),
                        agreed_to_terms: true,
                    },
                    logo: LogoUpload::None,
                    remove_logo: false,
                };
                let workspace =
                    onboarding::flows::submit_business_info(state, &owner, form).await?;
                let application =
                    onboarding::data::current_application(state.db.pool(), workspace.id)
                        .await?
                        .ok_or(AppError::NotFound)?;
                onboarding::flows::decide(state, reviewer, application.id, None).await?;
                workspace.id
            }
        };
    if services::flows::list(state, &owner, workspace_id)
        .await?
        .is_empty()
    {
        for service in services {
            add_service(state, reviewer, &owner, workspace_id, service).await?;
        }
    }
    Ok((owner, workspace_id))
}

async fn add_service(
    state: &AppState,
    reviewer: &Account,
    owner: &Account,
    workspace_id: i64,
    service: &DemoService,
) -> Result<(), DemoError> {
    let host = service
        .name
        .split(' ')
        .next()
        .unwrap_or("app")
        .to_lowercase();
    let input = ServiceInput {
        name: service.name.into(),
        category: service.category.into(),
        service_type: service.service_type.into(),
        description: service.description.into(),
        terminals: vec!["alipay".into()],
        plans: service
            .plans
            .iter()
            .map(|(period_days, price)| PlanInput {
                period_days: (*period_days).into(),
                price: (*price).into(),
            })
            .collect(),
        max_order_period_days: "730".into(),
        subscriber_restriction: service
            .subscriber_restriction
            .iter()
            .map(|code| (*code).to_owned())
            .collect(),
        needs_acceptance: service.needs_acceptance,
        mobile_access_url: if service.mobile_access {
            format!("https://{host}.demo.service-market.test/m")
        } else {
            String::new()
        },
        pc_access_url: format!("https://{host}.demo.service-market.test/admin"),
        preview_url: format!("https://{host}.demo.service-market.test/try"),
    };
    let id = services::flows::create(state, owner, workspace_id, &input)
        .await?
        .id;
    for image in service.images {
        services::images::add_image(state, owner, id, image).await?;
    }
    let submit = |action| services::flows::act(state, owner, id, action);
    match service.destination {
        Destination::Draft => {}
        Destination::PendingReview => {
            submit(ServiceAction::Submit).await?;
        }
        Destination::TurnedDown(reason) => {
            submit(ServiceAction::Submit).await?;
            services::flows::review(state, reviewer, id, Some(reason)).await?;
        }
        Destination::Online | Destination::Withdrawn | Destination::Archived => {
            submit(ServiceAction::Submit).await?;
            services::flows::review(state, reviewer, id, None).await?;
            match service.destination {
                Destination::Withdrawn => {
                    submit(ServiceAction::Withdraw).await?;
                }
                Destination::Archived => {
                    submit(ServiceAction::Archive).await?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// An onboarded merchant: its account.
async fn merchant(state: &AppState, demo: &DemoMerchant) -> Result<Account, DemoError> {
    let owner = account(state, demo.email, demo.username, Role::Merchant).await?;
    if onboarding::data::owned_workspace(state.db.pool(), owner.id, WorkspaceKind::Merchant)
        .await?
        .is_none()
    {
        let input = MerchantInput {
            merchant_name: demo.merchant_name.into(),
            identity_type: demo.identity_type.into(),
            certified_name: demo.certified_name.into(),
            certificate_number: demo.certificate_number.into(),
        };
        onboarding::flows::onboard_merchant(state, &owner, &input).await?;
    }
    Ok(owner)
}

/// The id of an ISV's service by its name.
async fn service_id(state: &AppState, isv: &(Account, i64), name: &str) -> Result<i64, DemoError> {
    let list = services::flows::list(state, &isv.0, isv.1).await?;
    Ok(list
        .iter()
        .find(|service| service.name == name)
        .ok_or(AppError::NotFound)?
        .id)
}

/// An order of `service` for a new mini program of `merchant`; its order number.
async fn order(
    state: &AppState,
    merchant: &Account,
    mini_program: (&str, &str),
    service_id: i64,
    period_days: i64,
) -> Result<String, DemoError> {
    let program =
        ordering::flows::create_mini_program(state, merchant, mini_program.0, mini_program.1)
            .await?;
    let plans = services::data::live_plans(state.db.pool(), service_id).await?;
    let plan = plans
        .iter()
        .find(|plan| plan.period_days == period_days)
        .ok_or(AppError::NotFound)?;
    let input = OrderInput {
        service_id,
        plan_id: plan.id,
        mini_program_id: program.id,
        terminals: Vec::new(),
        contact_name: "Wang Fang".into(),
        contact_mobile: "13800138000".into(),
        agree_to_agreement: true,
        acknowledge_overwrite: true,
    };
    let placed = ordering::flows::place_order(state, merchant, &input).await?;
    Ok(placed.order.order_no.to_string())
}

/// Moves an order by one row of the transition table (what the ISV console, the platform's
/// audit and the merchant's order page will do).
async fn step(
    state: &AppState,
    order_no: &str,
    action: Action,
    by: By,
    details: Details<'_>,
) -> Result<(), DemoError> {
    let order_no = domain::OrderNo::parse(order_no)?;
    let order = ordering::data::order_by_no(state.db.pool(), &order_no)
        .await?
        .ok_or(AppError::NotFound)?;
    let outcome = domain::apply_action(order.status(), action, by.actor, &order.facts(false))?;
    let mut tx = state.db.begin().await?;
    lifecycle::apply(&mut tx, &order, &outcome, by, &details, state.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// A version built for an order (as the ISV's upload will record it); its id.
async fn built_version(state: &AppState, order_no: &str, status: &str) -> Result<i64, DemoError> {
    let now = state.clock.now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO mini_program_versions (mini_program_id, version, template_id, \
             template_version, built_by_order_id, status, online_at, created_at) \
         SELECT mini_program_id, '1.0.0', 'tpl_demo', '1.0.0', id, $2, $3, $4 \
         FROM orders WHERE order_no = $1 RETURNING id",
    )
    .bind(order_no)
    .bind(status)
    .bind((status == "online").then_some(now))
    .bind(now)
    .fetch_one(state.db.pool())
    .await?;
    Ok(id)
}

/// Orders in every status of the lifecycle, unless the merchants already have mini programs.
async fn orders(
    state: &AppState,
    reviewer: &Account,
    cloudleaf: &(Account, i64),
    bluebridge: &(Account, i64),
    noodles: &Account,
    tea: &Account,
) -> Result<String, DemoError> {
    if !ordering::flows::my_mini_programs(state, noodles)
        .await?
        .is_empty()
    {
        return Ok("  orders: already there".into());
    }
    let restaurant = service_id(state, cloudleaf, RESTAURANT).await?;
    let membership = service_id(state, cloudleaf, MEMBERSHIP).await?;
    let custom = service_id(state, bluebridge, CUSTOM).await?;
    let merchant_by = |account: &Account| By {
        actor: Actor::Merchant,
        account_id: Some(account.id),
    };
    let isv_by = |account: &Account| By {
        actor: Actor::Isv,
        account_id: Some(account.id),
    };
    let platform = By {
        actor: Actor::Platform,
        account_id: Some(reviewer.id),
    };

    // Awaiting Payment: left at the cashier.
    order(
        state,
        noodles,
        ("Noodles takeaway", "2021004100000101"),
        restaurant,
        30,
    )
    .await?;
    // In Development: paid.
    let paid = order(
        state,
        noodles,
        ("Lucky Noodles", "2021004100000102"),
        restaurant,
        365,
    )
    .await?;
    ordering::flows::pay(state, noodles, &paid).await?;
    // Under Approval: the built version passed the platform audit.
    let delivered = order(
        state,
        noodles,
        ("Noodles members", "2021004100000103"),
        membership,
        30,
    )
    .await?;
    let version = built_version(state, &delivered, "audit_passed").await?;
    let submit = Details {
        submitted_version_id: Some(version),
        ..Details::default()
    };
    step(
        state,
        &delivered,
        Action::Submit,
        isv_by(&cloudleaf.0),
        submit,
    )
    .await?;
    step(
        state,
        &delivered,
        Action::AuditPass,
        platform,
        Details::default(),
    )
    .await?;
    // Pending Confirmation: accepted by the ISV, waiting for the merchant.
    let accepted = order(
        state,
        noodles,
        ("Noodles custom app", "2021004100000104"),
        custom,
        90,
    )
    .await?;
    step(
        state,
        &accepted,
        Action::Accept,
        isv_by(&bluebridge.0),
        Details::default(),
    )
    .await?;
    // Completed: delivered, approved and confirmed; its version is online.
    let completed = order(
        state,
        tea,
        ("Spring Tea members", "2021004100000201"),
        membership,
        30,
    )
    .await?;
    let version = built_version(state, &completed, "online").await?;
    let submit = Details {
        submitted_version_id: Some(version),
        ..Details::default()
    };
    step(
        state,
        &completed,
        Action::Submit,
        isv_by(&cloudleaf.0),
        submit,
    )
    .await?;
    step(
        state,
        &completed,
        Action::AuditPass,
        platform,
        Details::default(),
    )
    .await?;
    step(
        state,
        &completed,
        Action::Approve,
        merchant_by(tea),
        Details::default(),
    )
    .await?;
    // New: waiting for the ISV to accept.
    order(
        state,
        tea,
        ("Spring Tea shop", "2021004100000202"),
        custom,
        90,
    )
    .await?;
    // Canceled: rejected by the ISV.
    let rejected = order(
        state,
        tea,
        ("Spring Tea delivery", "2021004100000203"),
        custom,
        90,
    )
    .await?;
    let reason = Details {
        reason: Some("We cannot serve this region yet. 暂不支持该地区服务。"),
        ..Details::default()
    };
    step(
        state,
        &rejected,
        Action::Reject,
        isv_by(&bluebridge.0),
        reason,
    )
    .await?;
    Ok("  orders: one Awaiting Payment, New, Pending Confirmation, In Development, Under Approval, Completed and Canceled".into())
}

/// Golden Dumplings' mini programs, in states that need a built version (version upload
/// arrives with the ISV gateway, so no page can make them yet): one whose restaurant order
/// (paid, 365 days) has its version online, so a renewal would leave more than 365 days (seed
/// 001: 该服务您的剩余有效期超过365天，暂时不能续订); one with a built version and no order in
/// progress, which the order page shows with the high-risk overwrite warning.
async fn golden_dumplings(
    state: &AppState,
    cloudleaf: &(Account, i64),
    dumplings: &Account,
) -> Result<String, DemoError> {
    if !ordering::flows::my_mini_programs(state, dumplings)
        .await?
        .is_empty()
    {
        return Ok("  renewal cap: already there".into());
    }
    let restaurant = service_id(state, cloudleaf, RESTAURANT).await?;
    let order_no = order(
        state,
        dumplings,
        ("Golden Dumplings", "2021004100000301"),
        restaurant,
        365,
    )
    .await?;
    ordering::flows::pay(state, dumplings, &order_no).await?;
    built_version(state, &order_no, "online").await?;
    // A second mini program whose earlier (free) order the ISV canceled after it had built a
    // version: free to order again, behind the high-risk overwrite warning.
    let membership = service_id(state, cloudleaf, MEMBERSHIP).await?;
    let canceled = order(
        state,
        dumplings,
        ("Dumplings Express", "2021004100000302"),
        membership,
        30,
    )
    .await?;
    built_version(state, &canceled, "building").await?;
    let by = By {
        actor: Actor::Isv,
        account_id: Some(cloudleaf.0.id),
    };
    step(state, &canceled, Action::Cancel, by, Details::default()).await?;
    Ok(
        "  Golden Dumplings: a restaurant mini program online with a year left (续订 refused), \
        one with a built version (the overwrite warning)"
            .into(),
    )
}
