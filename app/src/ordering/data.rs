//! Queries of merchant ordering: merchants, mini programs and their versions, what the order
//! page needs to know about each mini program, and orders. Each takes an executor, so it runs
//! on the pool or inside a caller's transaction.

use super::{OrderView, VersionStatus, VersionView};
use crate::clock::UnixMillis;
use crate::domain::{AppId, CancelCause, Money, OrderFacts, OrderNo, OrderStatus};
use crate::onboarding::IdentityType;
use crate::services::{split_codes, Terminal};
use sqlx::{Any, Executor};

/// The caller's merchant workspace and identity type.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MerchantRow {
    pub workspace_id: i64,
    identity_type: String,
}

impl MerchantRow {
    pub fn identity_type(&self) -> IdentityType {
        IdentityType::from_code(&self.identity_type).unwrap_or(IdentityType::Individual)
    }
}

/// The merchant workspace an account belongs to (the one it owns first).
pub async fn merchant_of<'e>(
    executor: impl Executor<'e, Database = Any>,
    account_id: i64,
) -> Result<Option<MerchantRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.workspace_id, m.identity_type FROM merchants m \
         JOIN workspace_members wm ON wm.workspace_id = m.workspace_id \
         WHERE wm.account_id = $1 \
         ORDER BY CASE WHEN wm.role = 'owner' THEN 0 ELSE 1 END, m.id LIMIT 1",
    )
    .bind(account_id)
    .fetch_optional(executor)
    .await
}

// ---- mini programs ----

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MiniProgramRow {
    pub id: i64,
    pub name: String,
    pub app_id: String,
    pub created_at: i64,
}

impl MiniProgramRow {
    /// The stored app id. The CHECK constraint keeps it 16 digits and every write parses it
    /// as an [`AppId`] first; a row written around that reads as the all-zero id rather than
    /// failing the whole page.
    pub fn app_id(&self) -> AppId {
        AppId::parse(&self.app_id).unwrap_or_else(|_| AppId::generate(0))
    }
}

/// A merchant's mini programs, newest first.
pub async fn mini_programs<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Vec<MiniProgramRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, app_id, created_at FROM mini_programs \
         WHERE merchant_workspace_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(workspace_id)
    .fetch_all(executor)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub mini_program_id: i64,
    version: String,
    status: String,
    created_at: i64,
    online_at: Option<i64>,
}

impl VersionRow {
    pub fn view(&self) -> VersionView {
        VersionView {
            id: self.id,
            version: self.version.clone(),
            status: VersionStatus::from_code(&self.status).unwrap_or(VersionStatus::Building),
            created_at: self.created_at,
            online_at: self.online_at,
        }
    }
}

/// The built versions of a merchant's mini programs, newest first.
pub async fn versions<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.id, v.mini_program_id, v.version, v.status, v.created_at, v.online_at \
         FROM mini_program_versions v JOIN mini_programs mp ON mp.id = v.mini_program_id \
         WHERE mp.merchant_workspace_id = $1 ORDER BY v.created_at DESC, v.id DESC",
    )
    .bind(workspace_id)
    .fetch_all(executor)
    .await
}

pub async fn app_id_taken<'e>(
    executor: impl Executor<'e, Database = Any>,
    app_id: &AppId,
) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mini_programs WHERE app_id = $1")
        .bind(app_id.as_str())
        .fetch_one(executor)
        .await?;
    Ok(count > 0)
}

pub async fn insert_mini_program<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    name: &str,
    app_id: &AppId,
    now: UnixMillis,
) -> Result<MiniProgramRow, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO mini_programs (merchant_workspace_id, name, app_id, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id, name, app_id, created_at",
    )
    .bind(workspace_id)
    .bind(name)
    .bind(app_id.as_str())
    .bind(now)
    .fetch_one(executor)
    .await
}

/// Makes the rest of the transaction wait for any other transaction ordering with the same
/// mini program (a no-op write: a row lock on PostgreSQL, the write lock on SQLite), so two
/// orders cannot both pass the "not in another order flow" rule.
pub async fn lock_mini_program<'e>(
    executor: impl Executor<'e, Database = Any>,
    mini_program_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mini_programs SET name = name WHERE id = $1")
        .bind(mini_program_id)
        .execute(executor)
        .await
        .map(|_| ())
}

// ---- what the order page needs to know ----

/// (mini program, ISV workspace) of each live authorization of a merchant.
pub async fn live_authorizations<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT mini_program_id, isv_workspace_id FROM authorizations \
         WHERE merchant_workspace_id = $1 AND cancelled_at IS NULL",
    )
    .bind(workspace_id)
    .fetch_all(executor)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OpenOrderRow {
    pub mini_program_id: i64,
    pub service_id: i64,
    pub service_name: String,
    status: String,
}

impl OpenOrderRow {
    pub fn status(&self) -> OrderStatus {
        OrderStatus::parse(&self.status).unwrap_or(OrderStatus::New)
    }
}

/// A merchant's orders that are neither Completed nor Canceled.
pub async fn open_orders<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Vec<OpenOrderRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.mini_program_id, o.service_id, s.name AS service_name, o.status \
         FROM orders o JOIN services s ON s.id = o.service_id \
         WHERE o.merchant_workspace_id = $1 AND o.status NOT IN ('completed', 'canceled')",
    )
    .bind(workspace_id)
    .fetch_all(executor)
    .await
}

/// (mini program, start, end) of every service period of a service a merchant's orders have
/// started (canceled orders do not count).
pub async fn periods<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    service_id: i64,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT mini_program_id, service_start_at, service_end_at FROM orders \
         WHERE merchant_workspace_id = $1 AND service_id = $2 AND status <> 'canceled' \
           AND service_start_at IS NOT NULL AND service_end_at IS NOT NULL",
    )
    .bind(workspace_id)
    .bind(service_id)
    .fetch_all(executor)
    .await
}

/// The mini programs of a merchant with an online version built for a service.
pub async fn online_version_mini_programs<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    service_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT v.mini_program_id FROM mini_program_versions v \
         JOIN orders o ON o.id = v.built_by_order_id \
         WHERE o.merchant_workspace_id = $1 AND o.service_id = $2 AND v.status = 'online'",
    )
    .bind(workspace_id)
    .bind(service_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

// ---- orders ----

pub const ORDER_COLUMNS: &str = "o.id, o.order_no, o.service_id, o.plan_id, o.isv_workspace_id, \
    o.merchant_workspace_id, o.mini_program_id, o.period_days, o.amount_cents, o.status, \
    o.cancel_cause, o.needs_acceptance, o.paid_at, o.service_start_at, o.service_end_at, \
    o.audit_pending, o.version";

/// The columns of an order that its lifecycle reads.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub order_no: String,
    pub service_id: i64,
    pub plan_id: i64,
    pub isv_workspace_id: i64,
    pub merchant_workspace_id: i64,
    pub mini_program_id: i64,
    pub period_days: i64,
    pub amount_cents: i64,
    status: String,
    cancel_cause: Option<String>,
    needs_acceptance: i64,
    pub paid_at: Option<i64>,
    pub service_start_at: Option<i64>,
    pub service_end_at: Option<i64>,
    audit_pending: i64,
    pub version: i64,
}

impl OrderRow {
    pub fn status(&self) -> OrderStatus {
        OrderStatus::parse(&self.status).unwrap_or(OrderStatus::New)
    }

    pub fn cancel_cause(&self) -> Option<CancelCause> {
        self.cancel_cause
            .as_deref()
            .and_then(|code| CancelCause::parse(code).ok())
    }

    pub fn amount(&self) -> Money {
        Money::from_cents(self.amount_cents).unwrap_or(Money::ZERO)
    }

    /// What the transition table needs besides the status; `deadline_passed` from the
    /// order's live deadlines.
    pub fn facts(&self, deadline_passed: bool) -> OrderFacts {
        OrderFacts {
            price: self.amount(),
            needs_acceptance: self.needs_acceptance != 0,
            paid: self.paid_at.is_some() && self.status() != OrderStatus::Canceled,
            audit_pending: self.audit_pending != 0,
            deadline_passed,
        }
    }
}

pub async fn order<'e>(
    executor: impl Executor<'e, Database = Any>,
    order_id: i64,
) -> Result<Option<OrderRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders o WHERE o.id = $1"
    ))
    .bind(order_id)
    .fetch_optional(executor)
    .await
}

pub async fn order_by_no<'e>(
    executor: impl Executor<'e, Database = Any>,
    order_no: &OrderNo,
) -> Result<Option<OrderRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders o WHERE o.order_no = $1"
    ))
    .bind(order_no.as_str())
    .fetch_optional(executor)
    .await
}

pub async fn order_no_taken<'e>(
    executor: impl Executor<'e, Database = Any>,
    order_no: &OrderNo,
) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders WHERE order_no = $1")
        .bind(order_no.as_str())
        .fetch_one(executor)
        .await?;
    Ok(count > 0)
}

/// An order about to be placed, in the status the transition table gave it.
pub struct NewOrder<'a> {
    pub order_no: &'a OrderNo,
    pub service_id: i64,
    pub plan_id: i64,
    pub isv_workspace_id: i64,
    pub merchant_workspace_id: i64,
    pub mini_program_id: i64,
    pub terminals: &'a str,
    pub contact_name: &'a str,
    pub contact_mobile: &'a str,
    pub period_days: i64,
    pub amount: Money,
    pub status: OrderStatus,
    pub needs_acceptance: bool,
    pub renewal_of_order_id: Option<i64>,
}

/// Stores a new order; `in_development_since` starts when it is placed straight into
/// development. Returns its id.
pub async fn insert_order<'e>(
    executor: impl Executor<'e, Database = Any>,
    order: &NewOrder<'_>,
    now: UnixMillis,
) -> Result<i64, sqlx::Error> {
    let in_development_since = (order.status == OrderStatus::InDevelopment).then_some(now);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO orders (order_no, service_id, plan_id, isv_workspace_id, \
             merchant_workspace_id, mini_program_id, terminals, contact_name, contact_mobile, \
             period_days, amount_cents, status, needs_acceptance, renewal_of_order_id, \
             in_development_since, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) \
         RETURNING id",
    )
    .bind(order.order_no.as_str())
    .bind(order.service_id)
    .bind(order.plan_id)
    .bind(order.isv_workspace_id)
    .bind(order.merchant_workspace_id)
    .bind(order.mini_program_id)
    .bind(order.terminals)
    .bind(order.contact_name)
    .bind(order.contact_mobile)
    .bind(order.period_days)
    .bind(order.amount.cents())
    .bind(order.status.as_str())
    .bind(i64::from(order.needs_acceptance))
    .bind(order.renewal_of_order_id)
    .bind(in_development_since)
    .bind(now)
    .fetch_one(executor)
    .await?;
    Ok(id)
}

/// The newest order of a service for a mini program whose service period started (not
/// canceled): the one a new order renews.
pub async fn renewed_order<'e>(
    executor: impl Executor<'e, Database = Any>,
    service_id: i64,
    mini_program_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM orders WHERE service_id = $1 AND mini_program_id = $2 \
           AND status <> 'canceled' AND service_end_at IS NOT NULL \
         ORDER BY service_end_at DESC, id DESC LIMIT 1",
    )
    .bind(service_id)
    .bind(mini_program_id)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// The due time of an order's live deadline of the current status, if any.
pub async fn live_deadline<'e>(
    executor: impl Executor<'e, Database = Any>,
    order_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT due_at FROM deadlines WHERE order_id = $1 \
           AND fired_at IS NULL AND canceled_at IS NULL ORDER BY due_at LIMIT 1",
    )
    .bind(order_id)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(|(due_at,)| due_at))
}

const ORDER_VIEW_SELECT: &str = "SELECT o.id, o.order_no, o.service_id, s.name AS service_name, \
       w.name AS isv_name, o.mini_program_id, mp.name AS mini_program_name, mp.app_id, \
       o.period_days, o.amount_cents, o.status, o.cancel_cause, o.terminals, o.contact_name, \
       o.contact_mobile, o.created_at, o.paid_at, o.service_start_at, o.service_end_at, \
       r.order_no AS renewal_of_no, s.mobile_access_url, s.status AS service_status \
     FROM orders o JOIN services s ON s.id = o.service_id \
     JOIN workspaces w ON w.id = o.isv_workspace_id \
     JOIN mini_programs mp ON mp.id = o.mini_program_id \
     LEFT JOIN orders r ON r.id = o.renewal_of_order_id";

/// An order with the names the merchant sees, and its service's mobile access and status.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrderViewRow {
    pub id: i64,
    order_no: String,
    pub service_id: i64,
    service_name: String,
    isv_name: String,
    pub mini_program_id: i64,
    mini_program_name: String,
    app_id: String,
    period_days: i64,
    amount_cents: i64,
    status: String,
    cancel_cause: Option<String>,
    terminals: String,
    contact_name: String,
    contact_mobile: String,
    created_at: i64,
    paid_at: Option<i64>,
    pub service_start_at: Option<i64>,
    pub service_end_at: Option<i64>,
    renewal_of_no: Option<String>,
    pub mobile_access_url: Option<String>,
    pub service_status: String,
}

impl OrderViewRow {
    pub fn view(&self) -> OrderView {
        let parse_no = |no: &str| OrderNo::parse(no).ok();
        OrderView {
            order_no: parse_no(&self.order_no)
                .unwrap_or_else(|| OrderNo::generate(0, self.id as u64)),
            service_id: self.service_id,
            service_name: self.service_name.clone(),
            isv_name: self.isv_name.clone(),
            mini_program_id: self.mini_program_id,
            mini_program_name: self.mini_program_name.clone(),
            app_id: AppId::parse(&self.app_id).unwrap_or_else(|_| AppId::generate(0)),
            period_days: self.period_days,
            amount: Money::from_cents(self.amount_cents).unwrap_or(Money::ZERO),
            status: OrderStatus::parse(&self.status).unwrap_or(OrderStatus::New),
            cancel_cause: self
                .cancel_cause
                .as_deref()
                .and_then(|code| CancelCause::parse(code).ok()),
            terminals: split_codes(&self.terminals, Terminal::from_code),
            contact_name: self.contact_name.clone(),
            contact_mobile: self.contact_mobile.clone(),
            created_at: self.created_at,
            paid_at: self.paid_at,
            service_start_at: self.service_start_at,
            service_end_at: self.service_end_at,
            renewal_of: self.renewal_of_no.as_deref().and_then(parse_no),
        }
    }
}

pub async fn order_view<'e>(
    executor: impl Executor<'e, Database = Any>,
    order_id: i64,
) -> Result<Option<OrderViewRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ORDER_VIEW_SELECT} WHERE o.id = $1"))
        .bind(order_id)
        .fetch_optional(executor)
        .await
}

/// Every order of a merchant, oldest first (我的服务 groups them).
pub async fn merchant_orders<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Vec<OrderViewRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{ORDER_VIEW_SELECT} WHERE o.merchant_workspace_id = $1 ORDER BY o.created_at, o.id"
    ))
    .bind(workspace_id)
    .fetch_all(executor)
    .await
}
