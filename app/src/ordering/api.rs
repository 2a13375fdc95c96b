//! The merchant's ordering server functions: public endpoints under `/api/ordering/…`. Each
//! first establishes who is calling ([`crate::auth::current_account`]), then hands over to
//! [`super::flows`], which checks what the caller may touch and does the work.
//!
//! Who may call: signed-in accounts with the Merchant role ([`AppError::Forbidden`] for
//! others), on their own merchant workspace only (another merchant's order is
//! [`AppError::NotFound`]). Before merchant onboarding every function answers
//! [`AppError::Fields`] on `merchant`: the page leads to onboarding.
//!
//! `place_order` takes its form as JSON (`input = Json`: `{"input": {…}}`) because it carries a
//! list of terminals; the others take URL-encoded forms.

use super::{CashierView, MiniProgramView, MyMiniProgram, OrderInput, OrderPageView, PlacedOrder};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The merchant's mini programs, newest first, each with its built versions.
#[server(prefix = "/api", endpoint = "ordering/mini_programs")]
pub async fn my_mini_programs() -> Result<Vec<MiniProgramView>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::my_mini_programs(&state, &account).await
        }
        .await,
    )
}

/// Creates a mini program (also inline on the order page): `name`, and `app_id`, the 16-digit
/// App ID starting 2021 it has on the open platform, or empty for one the platform assigns.
/// Errors: [`AppError::Fields`] on `name` and `app_id` (format, or taken).
#[server(prefix = "/api", endpoint = "ordering/create_mini_program")]
pub async fn create_mini_program(
    name: String,
    app_id: Option<String>,
) -> Result<MiniProgramView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let app_id = app_id.unwrap_or_default();
            super::flows::create_mini_program(&state, &account, &name, &app_id).await
        }
        .await,
    )
}

/// The order page of an Online service (立即获取): its detail, the plan chosen (`plan_id`, else
/// the first), the merchant's mini programs as selectable or disabled with the reason (those
/// authorized to another ISV left out), the overwrite warnings, the terminals and the identity
/// check with the way to certification. `mini_program_id` preselects one (续订 / 再次订购).
/// [`AppError::NotFound`] for a service that is not Online.
#[server(prefix = "/api", endpoint = "ordering/order_page")]
pub async fn order_page(
    service_id: i64,
    plan_id: Option<i64>,
    mini_program_id: Option<i64>,
) -> Result<OrderPageView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::order_page(&state, &account, service_id, plan_id, mini_program_id).await
        }
        .await,
    )
}

/// 订购并授权: places the order after checking every rule of the order page. Errors:
/// [`AppError::Fields`] naming each broken rule (`subscriber_restriction`, `mini_program_id`,
/// `acknowledge_overwrite`, `terminals`, `plan_id`, `contact_name`, `contact_mobile`,
/// `agree_to_agreement`); nothing is stored then. The answer says what comes next: the
/// cashier, the ISV's acceptance, or development.
#[server(prefix = "/api", endpoint = "ordering/place_order", input = Json)]
pub async fn place_order(input: OrderInput) -> Result<PlacedOrder, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::place_order(&state, &account, &input).await
        }
        .await,
    )
}

/// The cashier (收银台) of one of the merchant's orders: the amount, whether it can be paid
/// and the 3-day deadline.
#[server(prefix = "/api", endpoint = "ordering/cashier")]
pub async fn cashier(order_no: String) -> Result<CashierView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::cashier(&state, &account, &order_no).await
        }
        .await,
    )
}

/// Pays (simulated) an order Awaiting Payment: it goes into development, the ISV is
/// authorized and the service period starts. A second click changes nothing and answers the
/// same. Errors: [`AppError::Fields`] on `form` when the order cannot be paid (not awaiting
/// payment, or its 3 days have passed).
#[server(prefix = "/api", endpoint = "ordering/pay")]
pub async fn pay_order(order_no: String) -> Result<CashierView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::pay(&state, &account, &order_no).await
        }
        .await,
    )
}

/// 我的服务: per mini program, each ordered service with its newest order, validity dates,
/// 进入服务 target and the 续订 / 再次订购 button (with the reason when renewing is refused).
#[server(prefix = "/api", endpoint = "ordering/my_services")]
pub async fn my_services() -> Result<Vec<MyMiniProgram>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::my_services(&state, &account).await
        }
        .await,
    )
}
