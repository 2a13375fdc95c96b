//! Queries on services and their plans. Each takes an executor, so it runs on the pool or
//! inside a caller's transaction; rows become wire types here and nowhere else.

use super::rules::{Plan, ServiceFields};
use super::{
    join_codes, split_codes, PlanView, ServiceImage, ServiceStatus, ServiceSummary, ServiceView,
    Terminal,
};
use crate::catalog::{Category, ServiceType};
use crate::clock::UnixMillis;
use crate::domain::Money;
use crate::onboarding::IdentityType;
use sqlx::{Any, Executor};

const SERVICE_COLUMNS: &str = "s.id, s.isv_workspace_id, s.name, s.category, s.service_type, \
    s.description, s.terminals, s.max_order_period_days, s.subscriber_restriction, \
    s.needs_acceptance, s.mobile_access_url, s.pc_access_url, s.preview_url, s.status, \
    s.turn_down_reason, s.created_at, s.updated_at, s.submitted_at, s.reviewed_at, \
    s.published_at";

/// A `services` row.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ServiceRow {
    pub id: i64,
    pub isv_workspace_id: i64,
    pub name: String,
    category: String,
    service_type: String,
    pub description: String,
    terminals: String,
    pub max_order_period_days: i64,
    subscriber_restriction: String,
    needs_acceptance: i64,
    pub mobile_access_url: Option<String>,
    pub pc_access_url: Option<String>,
    pub preview_url: Option<String>,
    status: String,
    turn_down_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub reviewed_at: Option<i64>,
    pub published_at: Option<i64>,
}

impl ServiceRow {
    pub fn status(&self) -> ServiceStatus {
        // The CHECK constraint admits only known codes; Draft is the harmless reading.
        ServiceStatus::from_code(&self.status).unwrap_or(ServiceStatus::Draft)
    }

    pub fn category(&self) -> Category {
        Category::from_code(&self.category).unwrap_or(Category::Other)
    }

    pub fn service_type(&self) -> ServiceType {
        ServiceType::from_code(&self.service_type).unwrap_or(ServiceType::NormalTemplate)
    }

    pub fn terminals(&self) -> Vec<Terminal> {
        split_codes(&self.terminals, Terminal::from_code)
    }

    pub fn subscriber_restriction(&self) -> Vec<IdentityType> {
        split_codes(&self.subscriber_restriction, IdentityType::from_code)
    }

    /// The reason of the last turn-down, kept through a resubmission until the next review,
    /// so the reviewer sees what was asked for last time.
    pub fn last_turn_down_reason(&self) -> Option<&str> {
        self.turn_down_reason.as_deref()
    }

    pub fn needs_acceptance(&self) -> bool {
        self.needs_acceptance != 0
    }

    pub fn view(&self, plans: Vec<PlanView>, images: Vec<ServiceImage>) -> ServiceView {
        let status = self.status();
        ServiceView {
            id: self.id,
            workspace_id: self.isv_workspace_id,
            name: self.name.clone(),
            category: self.category(),
            service_type: self.service_type(),
            description: self.description.clone(),
            terminals: self.terminals(),
            plans,
            max_order_period_days: self.max_order_period_days,
            subscriber_restriction: self.subscriber_restriction(),
            needs_acceptance: self.needs_acceptance(),
            mobile_access_url: self.mobile_access_url.clone(),
            pc_access_url: self.pc_access_url.clone(),
            preview_url: self.preview_url.clone(),
            images,
            status,
            turn_down_reason: self
                .turn_down_reason
                .clone()
                .filter(|_| status == ServiceStatus::TurnedDown),
            created_at: self.created_at,
            updated_at: self.updated_at,
            submitted_at: self.submitted_at,
            reviewed_at: self.reviewed_at,
            published_at: self.published_at,
        }
    }
}

pub async fn service<'e>(
    executor: impl Executor<'e, Database = Any>,
    service_id: i64,
) -> Result<Option<ServiceRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SERVICE_COLUMNS} FROM services s WHERE s.id = $1"
    ))
    .bind(service_id)
    .fetch_optional(executor)
    .await
}

/// Makes the rest of the transaction wait for any other transaction that locked the same
/// service (a no-op write: a row lock on PostgreSQL, the write lock on SQLite), so two edits
/// or an edit and a status change cannot interleave.
pub async fn lock_service<'e>(
    executor: impl Executor<'e, Database = Any>,
    service_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE services SET updated_at = updated_at WHERE id = $1")
        .bind(service_id)
        .execute(executor)
        .await
        .map(|_| ())
}

/// A workspace's services, newest first, with the cheapest live plan's price.
pub async fn workspace_services<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Vec<ServiceSummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "SELECT {SERVICE_COLUMNS}, \
             (SELECT MIN(p.price_cents) FROM service_plans p \
              WHERE p.service_id = s.id AND p.retired_at IS NULL) AS lowest_price_cents \
         FROM services s WHERE s.isv_workspace_id = $1 \
         ORDER BY s.created_at DESC, s.id DESC"
    ))
    .bind(workspace_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(SummaryRow::summary).collect())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    service: ServiceRow,
    lowest_price_cents: Option<i64>,
}

impl SummaryRow {
    fn summary(self) -> ServiceSummary {
        let view = self.service.view(Vec::new(), Vec::new());
        ServiceSummary {
            id: view.id,
            name: view.name,
            category: view.category,
            service_type: view.service_type,
            status: view.status,
            turn_down_reason: view.turn_down_reason,
            lowest_price: self
                .lowest_price_cents
                .and_then(|cents| Money::from_cents(cents).ok()),
            updated_at: view.updated_at,
        }
    }
}

/// Creates a Draft service; returns its id.
pub async fn insert_service<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    fields: &ServiceFields,
    now: UnixMillis,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO services (isv_workspace_id, name, category, service_type, description, \
             terminals, max_order_period_days, subscriber_restriction, needs_acceptance, \
             mobile_access_url, pc_access_url, preview_url, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', $13, $13) \
         RETURNING id",
    )
    .bind(workspace_id)
    .bind(&fields.name)
    .bind(fields.category.code())
    .bind(fields.service_type.code())
    .bind(&fields.description)
    .bind(join_codes(Terminal::ALL, &fields.terminals, Terminal::code))
    .bind(fields.max_order_period_days)
    .bind(join_codes(
        &IdentityType::ALL,
        &fields.subscriber_restriction,
        IdentityType::code,
    ))
    .bind(i64::from(fields.needs_acceptance))
    .bind(fields.mobile_access_url.as_deref())
    .bind(fields.pc_access_url.as_deref())
    .bind(fields.preview_url.as_deref())
    .bind(now)
    .fetch_one(executor)
    .await?;
    Ok(id)
}

/// Overwrites a service's fields (its status stays).
pub async fn update_service<'e>(
    executor: impl Executor<'e, Database = Any>,
    service_id: i64,
    fields: &ServiceFields,
    now: UnixMillis,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE services SET name = $2, category = $3, service_type = $4, description = $5, \
             terminals = $6, max_order_period_days = $7, subscriber_restriction = $8, \
             needs_acceptance = $9, mobile_access_url = $10, pc_access_url = $11, \
             preview_url = $12, updated_at = $13 \
         WHERE id = $1",
    )
    .bind(service_id)
    .bind(&fields.name)
    .bind(fields.category.code())
    .bind(fields.service_type.code())
    .bind(&fields.description)
    .bind(join_codes(Terminal::ALL, &fields.terminals, Terminal::code))
    .bind(fields.max_order_period_days)
    .bind(join_codes(
        &IdentityType::ALL,
        &fields.subscriber_restriction,
        IdentityType::code,
    ))
    .bind(i64::from(fields.needs_acceptance))
    .bind(fields.mobile_access_url.as_deref())
    .bind(fields.pc_access_url.as_deref())
    .bind(fields.preview_url.as_deref())
    .bind(now)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Moves a service from `from` to `to` when it is still in `from`; false when it no longer is
/// (someone else moved it first), so a stale action changes nothing. Submitting stamps
/// `submitted_at`; a review stamps `reviewed_at`/`reviewed_by` and the turn-down reason;
/// approval publishes (`published_at`).
pub async fn change_status<'e>(
    executor: impl Executor<'e, Database = Any>,
    service_id: i64,
    from: ServiceStatus,
    to: ServiceStatus,
    review: Option<(i64, Option<&str>)>,
    now: UnixMillis,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE services SET status = $3, updated_at = $4, \
             submitted_at = CASE WHEN $3 = 'pending_review' THEN $4 ELSE submitted_at END, \
             published_at = CASE WHEN $3 = 'online' THEN $4 ELSE published_at END, \
             reviewed_at = CASE WHEN $5 = 1 THEN $4 ELSE reviewed_at END, \
             reviewed_by = CASE WHEN $5 = 1 THEN $6 ELSE reviewed_by END, \
             turn_down_reason = CASE WHEN $5 = 1 THEN $7 ELSE turn_down_reason END \
         WHERE id = $1 AND status = $2",
    )
    .bind(service_id)
    .bind(from.code())
    .bind(to.code())
    .bind(now)
    .bind(i64::from(review.is_some()))
    .bind(review.map(|(reviewer, _)| reviewer))
    .bind(review.and_then(|(_, reason)| reason))
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    period_days: i64,
    price_cents: i64,
}

/// A service's live plans, in the form's order.
pub async fn live_plans<'e>(
    executor: impl Executor<'e, Database = Any>,
    service_id: i64,
) -> Result<Vec<PlanView>, sqlx::Error> {
    let rows: Vec<PlanRow> = sqlx::query_as(
        "SELECT id, period_days, price_cents FROM service_plans \
         WHERE service_id = $1 AND retired_at IS NULL ORDER BY sort_order, id",
    )
    .bind(service_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(PlanView {
                id: row.id,
                period_days: row.period_days,
                price: Money::from_cents(row.price_cents).ok()?,
            })
        })
        .collect())
}

/// Makes a service's live plans the given ones, in order. A plan whose period stays keeps its
/// id (orders refer to it) and takes the new price; a period that goes away is deleted, or
/// retired when orders refer to it; a new period is a new plan.
pub async fn replace_plans(
    tx: &mut sqlx::Transaction<'_, Any>,
    service_id: i64,
    plans: &[Plan],
    now: UnixMillis,
) -> Result<(), sqlx::Error> {
    let current = live_plans(&mut **tx, service_id).await?;
    for old in &current {
        if plans.iter().any(|plan| plan.period_days == old.period_days) {
            continue;
        }
        let (orders,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders WHERE plan_id = $1")
            .bind(old.id)
            .fetch_one(&mut **tx)
            .await?;
        if orders > 0 {
            sqlx::query("UPDATE service_plans SET retired_at = $2 WHERE id = $1")
                .bind(old.id)
                .bind(now)
                .execute(&mut **tx)
                .await?;
        } else {
            sqlx::query("DELETE FROM service_plans WHERE id = $1")
                .bind(old.id)
                .execute(&mut **tx)
                .await?;
        }
    }
    for (sort_order, plan) in plans.iter().enumerate() {
        match current
            .iter()
            .find(|old| old.period_days == plan.period_days)
        {
            Some(old) => {
                sqlx::query(
                    "UPDATE service_plans SET price_cents = $2, sort_order = $3 WHERE id = $1",
                )
                .bind(old.id)
                .bind(plan.price.cents())
                .bind(sort_order as i64)
                .execute(&mut **tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO service_plans (service_id, period_days, price_cents, \
                         sort_order, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(service_id)
                .bind(plan.period_days)
                .bind(plan.price.cents())
                .bind(sort_order as i64)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
pub struct QueueRow {
    #[sqlx(flatten)]
    pub service: ServiceRow,
    pub isv_name: String,
}

/// Every service pending review, oldest submission first, with its ISV's name.
pub async fn review_queue<'e>(
    executor: impl Executor<'e, Database = Any>,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SERVICE_COLUMNS}, w.name AS isv_name \
         FROM services s JOIN workspaces w ON w.id = s.isv_workspace_id \
         WHERE s.status = 'pending_review' ORDER BY s.submitted_at, s.id"
    ))
    .fetch_all(executor)
    .await
}

/// An Online service and its ISV's name, for the marketplace.
pub async fn online_service<'e>(
    executor: impl Executor<'e, Database = Any>,
    service_id: i64,
) -> Result<Option<(ServiceRow, String)>, sqlx::Error> {
    let row: Option<OnlineRow> = sqlx::query_as(&format!(
        "SELECT {SERVICE_COLUMNS}, w.name AS isv_name \
         FROM services s JOIN workspaces w ON w.id = s.isv_workspace_id \
         WHERE s.id = $1 AND s.status = 'online'"
    ))
    .bind(service_id)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(|row| (row.service, row.isv_name)))
}

#[derive(sqlx::FromRow)]
struct OnlineRow {
    #[sqlx(flatten)]
    service: ServiceRow,
    isv_name: String,
}
