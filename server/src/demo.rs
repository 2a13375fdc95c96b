//! Demo data: ISV workspaces with Online services, so a fresh install has a marketplace to
//! browse. Running it again adds nothing twice.

use app::catalog::{Category, ServiceType};
use app::clock::Clock;
use app::db::Db;
use sqlx::Row;

struct DemoService {
    name: &'static str,
    category: Category,
    service_type: ServiceType,
    description: &'static str,
    needs_acceptance: bool,
    /// (period in days, price in cents)
    plans: &'static [(i64, i64)],
}

const DEMO_ISVS: &[(&str, &[DemoService])] = &[
    (
        "Hangzhou Cloudleaf Technology",
        &[
            DemoService {
                name: "Restaurant ordering mini program · 餐饮点餐模板",
                category: Category::FoodAndBeverage,
                service_type: ServiceType::IndustryTemplate,
                description: "Scan-to-order, table service and takeaway for restaurants. 扫码点餐、桌台服务与外卖。",
                needs_acceptance: false,
                plans: &[(365, 199_900), (30, 19_900)],
            },
            DemoService {
                name: "Membership points template · 会员积分模板",
                category: Category::Retail,
                service_type: ServiceType::NormalTemplate,
                description: "Member cards, points and coupons for shops. 会员卡、积分与优惠券。",
                needs_acceptance: false,
                plans: &[(30, 0)],
            },
        ],
    ),
    (
        "Shenzhen Bluebridge Software",
        &[DemoService {
            name: "Custom mini program development · 小程序定制开发",
            category: Category::Tools,
            service_type: ServiceType::MiniProgramDevelopment,
            description: "We design and build your mini program to your requirements. 按需求设计并开发您的小程序。",
            needs_acceptance: true,
            plans: &[(90, 880_000)],
        }],
    ),
];

/// Seeds the demo data and returns a summary to print.
pub async fn seed(db: &Db, clock: &Clock) -> Result<String, sqlx::Error> {
    let now = clock.now();
    let mut tx = db.pool().begin().await?;
    let mut summary = String::from("Demo data:\n");
    for (isv_name, services) in DEMO_ISVS {
        let existing = sqlx::query("SELECT id FROM workspaces WHERE kind = 'isv' AND name = $1")
            .bind(*isv_name)
            .fetch_optional(&mut *tx)
            .await?;
        if existing.is_some() {
            summary.push_str(&format!("  ISV {isv_name}: already there\n"));
            continue;
        }
        let workspace_id: i64 = sqlx::query(
            "INSERT INTO workspaces (kind, name, status, created_at, updated_at) \
             VALUES ('isv', $1, 'active', $2, $2) RETURNING id",
        )
        .bind(*isv_name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        summary.push_str(&format!(
            "  ISV {isv_name}: {} Online services\n",
            services.len()
        ));
        for (offset, service) in services.iter().enumerate() {
            let published_at = now - offset as i64 * 60_000;
            let max_period = service
                .plans
                .iter()
                .map(|(days, _)| *days)
                .max()
                .unwrap_or(365);
            let service_id: i64 = sqlx::query(
                "INSERT INTO services (isv_workspace_id, name, category, service_type, description, \
                     terminals, max_order_period_days, needs_acceptance, status, created_at, \
                     updated_at, submitted_at, published_at) \
                 VALUES ($1, $2, $3, $4, $5, 'alipay', $6, $7, 'online', $8, $8, $8, $8) \
                 RETURNING id",
            )
            .bind(workspace_id)
            .bind(service.name)
            .bind(service.category.code())
            .bind(service.service_type.code())
            .bind(service.description)
            .bind(max_period)
            .bind(i64::from(service.needs_acceptance))
            .bind(published_at)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            for (sort_order, (period_days, price_cents)) in service.plans.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO service_plans (service_id, period_days, price_cents, sort_order, \
                         created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(service_id)
                .bind(*period_days)
                .bind(*price_cents)
                .bind(sort_order as i64)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(summary)
}
