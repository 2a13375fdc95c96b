//! Queries of the Orders pages: the keyset-paged lists with their filter and search, the change
//! stamp, an order's detail, timeline, refund and submitted versions, and the row lock every
//! action takes first. Each takes an executor, so it runs on the pool or in a transaction.
//!
//! The lists read one page of `orders` through `orders_{isv,merchant}_created_idx` (or the
//! `…_status_created_idx`, or `…_order_no_idx` for a search) in a subquery, and only then join
//! the names and the live deadline for those rows, so a page costs the same at any depth and
//! any table size.

use super::rules::{Cursor, OrderQuery};
use super::DeadlineView;
use crate::clock::UnixMillis;
use crate::domain::{AppId, CancelCause, Money, OrderFacts, OrderNo, OrderStatus, Timer};
use sqlx::{Any, Executor};

/// Whose orders a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// An ISV workspace's (the console's Orders).
    Isv(i64),
    /// A merchant workspace's (Service Orders).
    Merchant(i64),
}

impl Side {
    fn column(self) -> &'static str {
        match self {
            Side::Isv(_) => "isv_workspace_id",
            Side::Merchant(_) => "merchant_workspace_id",
        }
    }

    pub fn workspace(self) -> i64 {
        match self {
            Side::Isv(id) | Side::Merchant(id) => id,
        }
    }
}

/// What the table needs besides the status, from an order's stored columns.
pub fn facts(
    amount_cents: i64,
    needs_acceptance: i64,
    paid_at: Option<i64>,
    status: OrderStatus,
    audit_pending: i64,
    deadline_passed: bool,
) -> OrderFacts {
    OrderFacts {
        price: Money::from_cents(amount_cents).unwrap_or(Money::ZERO),
        needs_acceptance: needs_acceptance != 0,
        paid: paid_at.is_some() && status != OrderStatus::Canceled,
        audit_pending: audit_pending != 0,
        deadline_passed,
    }
}

fn parse_status(code: &str) -> OrderStatus {
    OrderStatus::parse(code).unwrap_or(OrderStatus::New)
}

fn parse_cause(code: Option<&str>) -> Option<CancelCause> {
    code.and_then(|code| CancelCause::parse(code).ok())
}

fn parse_deadline(timer: Option<&str>, due_at: Option<i64>) -> Option<DeadlineView> {
    let timer = Timer::parse(timer?).ok()?;
    Some(DeadlineView::new(timer, due_at?))
}

/// The order number as stored (24 digits by the schema's CHECK).
pub fn order_no(text: &str, id: i64) -> OrderNo {
    OrderNo::parse(text).unwrap_or_else(|_| OrderNo::generate(0, id as u64))
}

pub fn app_id(text: &str) -> AppId {
    AppId::parse(text).unwrap_or_else(|_| AppId::generate(0))
}

/// One row of a list page.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    order_no: String,
    pub version: i64,
    pub service_id: i64,
    pub service_name: String,
    pub isv_name: String,
    pub merchant_name: String,
    pub mini_program_name: String,
    app_id: String,
    pub amount_cents: i64,
    status: String,
    cancel_cause: Option<String>,
    needs_acceptance: i64,
    paid_at: Option<i64>,
    audit_pending: i64,
    pub created_at: i64,
    pub updated_at: i64,
    deadline_timer: Option<String>,
    deadline_due_at: Option<i64>,
}

impl ListRow {
    pub fn order_no(&self) -> OrderNo {
        order_no(&self.order_no, self.id)
    }

    pub fn app_id(&self) -> AppId {
        app_id(&self.app_id)
    }

    pub fn status(&self) -> OrderStatus {
        parse_status(&self.status)
    }

    pub fn cancel_cause(&self) -> Option<CancelCause> {
        parse_cause(self.cancel_cause.as_deref())
    }

    pub fn amount(&self) -> Money {
        Money::from_cents(self.amount_cents).unwrap_or(Money::ZERO)
    }

    pub fn deadline(&self) -> Option<DeadlineView> {
        parse_deadline(self.deadline_timer.as_deref(), self.deadline_due_at)
    }

    pub fn facts(&self, now: UnixMillis) -> OrderFacts {
        facts(
            self.amount_cents,
            self.needs_acceptance,
            self.paid_at,
            self.status(),
            self.audit_pending,
            self.deadline_due_at.is_some_and(|due| due <= now),
        )
    }

    pub fn cursor(&self) -> Cursor {
        Cursor {
            created_at: self.created_at,
            id: self.id,
        }
    }
}

/// The names and the live deadline of the page's orders `o`.
const PAGE_JOINS: &str = "JOIN services s ON s.id = o.service_id \
     JOIN workspaces iw ON iw.id = o.isv_workspace_id \
     JOIN workspaces mw ON mw.id = o.merchant_workspace_id \
     JOIN mini_programs mp ON mp.id = o.mini_program_id \
     LEFT JOIN deadlines d ON d.id = (SELECT x.id FROM deadlines x WHERE x.order_id = o.id \
         AND x.fired_at IS NULL AND x.canceled_at IS NULL ORDER BY x.due_at, x.id LIMIT 1)";

const PAGE_COLUMNS: &str = "o.id, o.order_no, o.version, o.service_id, \
     s.name AS service_name, iw.name AS isv_name, mw.name AS merchant_name, \
     mp.name AS mini_program_name, mp.app_id, o.amount_cents, o.status, o.cancel_cause, \
     o.needs_acceptance, o.paid_at, o.audit_pending, o.created_at, o.updated_at, \
     d.timer AS deadline_timer, d.due_at AS deadline_due_at";

/// The `WHERE` of a list and its arguments after the workspace (`$1`): only fixed fragments
/// are written into the SQL; every value is bound.
fn list_conditions(side: Side, query: &OrderQuery) -> (String, Vec<ListArg>) {
    let mut sql = format!("{} = $1", side.column());
    let mut args = Vec::new();
    let next = |arg: ListArg, args: &mut Vec<ListArg>| {
        args.push(arg);
        args.len() + 1
    };
    if let Some(status) = query.status {
        let n = next(ListArg::Text(status.as_str().to_owned()), &mut args);
        sql.push_str(&format!(" AND status = ${n}"));
    }
    if let Some(range) = query.search() {
        let low = next(ListArg::Text(range.low), &mut args);
        let high = next(ListArg::Text(range.high), &mut args);
        sql.push_str(&format!(" AND order_no BETWEEN ${low} AND ${high}"));
    }
    if let Some(after) = query.after {
        let created = next(ListArg::Int(after.created_at), &mut args);
        let id = next(ListArg::Int(after.id), &mut args);
        sql.push_str(&format!(" AND (created_at, id) < (${created}, ${id})"));
    }
    (sql, args)
}

#[derive(Clone, Debug)]
enum ListArg {
    Text(String),
    Int(i64),
}

/// The SQL of one list page of at most `limit` rows, newest first (public for `EXPLAIN`).
pub fn list_sql(side: Side, query: &OrderQuery) -> String {
    let (conditions, args) = list_conditions(side, query);
    let limit = args.len() + 2;
    format!(
        "SELECT {PAGE_COLUMNS} FROM (SELECT id, order_no, version, service_id, \
             isv_workspace_id, merchant_workspace_id, mini_program_id, amount_cents, status, \
             cancel_cause, needs_acceptance, paid_at, audit_pending, created_at, updated_at \
           FROM orders WHERE {conditions} ORDER BY created_at DESC, id DESC LIMIT ${limit}) o \
         {PAGE_JOINS} ORDER BY o.created_at DESC, o.id DESC"
    )
}

/// One page of a list: at most `limit` orders matching `query`, newest first.
pub async fn list<'e>(
    executor: impl Executor<'e, Database = Any>,
    side: Side,
    query: &OrderQuery,
    limit: i64,
) -> Result<Vec<ListRow>, sqlx::Error> {
    let sql = list_sql(side, query);
    let (_, args) = list_conditions(side, query);
    let mut statement = sqlx::query_as(&sql).bind(side.workspace());
    for arg in args {
        statement = match arg {
            ListArg::Text(text) => statement.bind(text),
            ListArg::Int(value) => statement.bind(value),
        };
    }
    statement.bind(limit).fetch_all(executor).await
}

/// The change stamp of a workspace's orders, `updated_at-versions`: the newest `updated_at`
/// and the sum of the versions of the orders updated then (see the 0003 migration); `0` for a
/// workspace without orders. Two index probes, whatever the workspace's size.
pub async fn stamp<'e>(
    executor: impl Executor<'e, Database = Any>,
    side: Side,
) -> Result<String, sqlx::Error> {
    let column = side.column();
    let newest: Option<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT updated_at, CAST(SUM(version) AS BIGINT) FROM orders \
         WHERE {column} = $1 \
           AND updated_at = (SELECT MAX(updated_at) FROM orders WHERE {column} = $1) \
         GROUP BY updated_at"
    ))
    .bind(side.workspace())
    .fetch_optional(executor)
    .await?;
    Ok(newest.map_or_else(
        || "0".to_owned(),
        |(at, versions)| format!("{at}-{versions}"),
    ))
}

/// Makes the rest of the transaction wait for any other transaction acting on the same order
/// (a no-op write: a row lock on PostgreSQL, the write lock on SQLite), so what it reads next
/// is the order as it is, and two racing actions run one after the other.
pub async fn lock_order<'e>(
    executor: impl Executor<'e, Database = Any>,
    order_id: i64,
) -> Result<bool, sqlx::Error> {
    let locked = sqlx::query("UPDATE orders SET version = version WHERE id = $1")
        .bind(order_id)
        .execute(executor)
        .await?
        .rows_affected();
    Ok(locked == 1)
}

/// An order's id and workspaces by its number.
pub async fn order_owners<'e>(
    executor: impl Executor<'e, Database = Any>,
    order_no: &OrderNo,
) -> Result<Option<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, isv_workspace_id, merchant_workspace_id FROM orders WHERE order_no = $1",
    )
    .bind(order_no.as_str())
    .fetch_optional(executor)
    .await
}

/// Everything the detail page shows from the order's own row and its names.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DetailRow {
    pub id: i64,
    order_no: String,
    pub version: i64,
    pub service_id: i64,
    pub service_name: String,
    pub isv_workspace_id: i64,
    pub isv_name: String,
    pub merchant_name: String,
    pub mini_program_name: String,
    app_id: String,
    pub terminals: String,
    pub contact_name: String,
    pub contact_mobile: String,
    pub period_days: i64,
    pub amount_cents: i64,
    status: String,
    cancel_cause: Option<String>,
    pub needs_acceptance: i64,
    pub paid_at: Option<i64>,
    pub service_start_at: Option<i64>,
    pub service_end_at: Option<i64>,
    pub audit_pending: i64,
    pub submitted_version_id: Option<i64>,
    renewal_of_no: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    deadline_timer: Option<String>,
    deadline_due_at: Option<i64>,
}

impl DetailRow {
    pub fn order_no(&self) -> OrderNo {
        order_no(&self.order_no, self.id)
    }

    pub fn app_id(&self) -> AppId {
        app_id(&self.app_id)
    }

    pub fn status(&self) -> OrderStatus {
        parse_status(&self.status)
    }

    pub fn cancel_cause(&self) -> Option<CancelCause> {
        parse_cause(self.cancel_cause.as_deref())
    }

    pub fn renewal_of(&self) -> Option<OrderNo> {
        self.renewal_of_no
            .as_deref()
            .and_then(|no| OrderNo::parse(no).ok())
    }

    pub fn deadline(&self) -> Option<DeadlineView> {
        parse_deadline(self.deadline_timer.as_deref(), self.deadline_due_at)
    }

    pub fn facts(&self, now: UnixMillis) -> OrderFacts {
        facts(
            self.amount_cents,
            self.needs_acceptance,
            self.paid_at,
            self.status(),
            self.audit_pending,
            self.deadline_due_at.is_some_and(|due| due <= now),
        )
    }
}

pub async fn detail<'e>(
    executor: impl Executor<'e, Database = Any>,
    order_id: i64,
) -> Result<Option<DetailRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT o.id, o.order_no, o.version, o.service_id, s.name AS service_name, \
             o.isv_workspace_id, iw.name AS isv_name, mw.name AS merchant_name, \
             mp.name AS mini_program_name, mp.app_id, o.terminals, o.contact_name, \
             o.contact_mobile, o.period_days, o.amount_cents, o.status, o.cancel_cause, \
             o.needs_acceptance, o.paid_at, o.service_start_at, o.service_end_at, \
             o.audit_pending, o.submitted_version_id, r.order_no AS renewal_of_no, \
             o.created_at, o.updated_at, d.timer AS deadline_timer, d.due_at AS deadline_due_at \
         FROM orders o {PAGE_JOINS} \
         LEFT JOIN orders r ON r.id = o.renewal_of_order_id \
         WHERE o.id = $1"
    ))
    .bind(order_id)
    .fetch_optional(executor)
    .await
}

/// One row of `order_events`, with the acting member's username.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub at: i64,
    pub actor_kind: String,
    pub actor_account_id: Option<i64>,
    pub username: Option<String>,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
}

/// An order's timeline, oldest first.
pub async fn timeline<'e>(
    executor: impl Executor<'e, Database = Any>,
    order_id: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.at, e.actor_kind, e.actor_account_id, a.username, e.action, e.from_status, \
             e.to_status, e.reason \
         FROM order_events e LEFT JOIN accounts a ON a.id = e.actor_account_id \
         WHERE e.order_id = $1 ORDER BY e.at, e.id",
    )
    .bind(order_id)
    .fetch_all(executor)
    .await
}

/// An order's refund: (amount in cents, time, cause).
pub async fn refund<'e>(
    executor: impl Executor<'e, Database = Any>,
    order_id: i64,
) -> Result<Option<(i64, i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT amount_cents, at, cause FROM refunds WHERE order_id = $1")
        .bind(order_id)
        .fetch_optional(executor)
        .await
}

/// A version built for an order.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SubmissionRow {
    pub id: i64,
    pub version: String,
    pub notes: String,
    pub status: String,
    pub audit_reason: Option<String>,
    pub audited_at: Option<i64>,
    pub created_at: i64,
}

/// The versions built for an order, newest first.
pub async fn submissions<'e>(
    executor: impl Executor<'e, Database = Any>,
    order_id: i64,
) -> Result<Vec<SubmissionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, version, notes, status, audit_reason, audited_at, created_at \
         FROM mini_program_versions WHERE built_by_order_id = $1 \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(order_id)
    .fetch_all(executor)
    .await
}

/// A mini program's version with this number: (id, the order that built it, status).
pub async fn version_by_number<'e>(
    executor: impl Executor<'e, Database = Any>,
    mini_program_id: i64,
    version: &str,
) -> Result<Option<(i64, Option<i64>, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, built_by_order_id, status FROM mini_program_versions \
         WHERE mini_program_id = $1 AND version = $2",
    )
    .bind(mini_program_id)
    .bind(version)
    .fetch_optional(executor)
    .await
}

/// A new version built for an order, not yet submitted (the audit opens it); its id.
pub async fn insert_version<'e>(
    executor: impl Executor<'e, Database = Any>,
    mini_program_id: i64,
    order_id: i64,
    version: &str,
    notes: &str,
    now: UnixMillis,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO mini_program_versions (mini_program_id, version, notes, built_by_order_id, \
             status, created_at) VALUES ($1, $2, $3, $4, 'building', $5) RETURNING id",
    )
    .bind(mini_program_id)
    .bind(version)
    .bind(notes)
    .bind(order_id)
    .bind(now)
    .fetch_one(executor)
    .await?;
    Ok(id)
}

/// Takes up an uploaded (or audit-rejected) version of the order again, with new notes.
pub async fn renote_version<'e>(
    executor: impl Executor<'e, Database = Any>,
    version_id: i64,
    notes: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mini_program_versions SET notes = $2 WHERE id = $1")
        .bind(version_id)
        .bind(notes)
        .execute(executor)
        .await
        .map(|_| ())
}
