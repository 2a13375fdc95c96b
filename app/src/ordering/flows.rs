//! The ordering flows as plain async functions. The server functions in [`super::api`]
//! establish the caller and call these, which check what the caller may touch, check every
//! input (bad input changes nothing), and then do the work inside one transaction.

use super::data::{self, MerchantRow, MiniProgramRow, OrderViewRow};
use super::lifecycle::{self, By, Details};
use super::rules::{self, Eligibility, MiniProgramFacts, OrderInput};
use super::{
    cashier_path, certification_path, field, renewal_path, Availability, CashierView, EnterService,
    IdentityCheck, MiniProgramOption, MiniProgramView, MyMiniProgram, NextStep, OrderPageView,
    OrderingText, PlacedOrder, RenewalKind, RenewalOffer, SubscribedService, AGREEMENT_PATH,
};
use crate::auth::{Account, BiText, FieldErrors, Role};
use crate::clock::UnixMillis;
use crate::domain::{self, Action, Actor, AppId, OrderFacts, OrderNo, OrderStatus};
use crate::error::AppError;
use crate::onboarding::IdentityType;
use crate::services::data::{self as service_data, ServiceRow};
use crate::services::{flows::detail, join_codes, order_path, PlanView, Terminal};
use crate::state::AppState;
use std::collections::HashMap;

fn field_error(name: &str, text: impl Into<BiText>) -> AppError {
    AppError::Fields(FieldErrors::one(name, text))
}

/// The caller's merchant workspace: [`AppError::Forbidden`] unless the account is a merchant,
/// a field error on `merchant` (go to merchant onboarding) before it has onboarded.
async fn merchant(state: &AppState, account: &Account) -> Result<MerchantRow, AppError> {
    if account.role != Some(Role::Merchant) {
        return Err(AppError::Forbidden);
    }
    data::merchant_of(state.db.pool(), account.id)
        .await?
        .ok_or_else(|| field_error(field::MERCHANT, OrderingText::MerchantOnboardingRequired))
}

// ---- mini programs ----

/// The merchant's mini programs, newest first, each with its built versions.
pub async fn my_mini_programs(
    state: &AppState,
    account: &Account,
) -> Result<Vec<MiniProgramView>, AppError> {
    let merchant = merchant(state, account).await?;
    let programs = data::mini_programs(state.db.pool(), merchant.workspace_id).await?;
    let versions = data::versions(state.db.pool(), merchant.workspace_id).await?;
    Ok(programs
        .into_iter()
        .map(|program| MiniProgramView {
            id: program.id,
            app_id: program.app_id(),
            versions: versions
                .iter()
                .filter(|version| version.mini_program_id == program.id)
                .map(data::VersionRow::view)
                .collect(),
            name: program.name,
            created_at: program.created_at,
        })
        .collect())
}

/// A new mini program (also inline on the order page): a name, and the App ID it has on the
/// open platform (16 digits starting 2021), or a new one the platform assigns when left empty.
pub async fn create_mini_program(
    state: &AppState,
    account: &Account,
    name: &str,
    app_id: &str,
) -> Result<MiniProgramView, AppError> {
    let merchant = merchant(state, account).await?;
    let mut errors = FieldErrors::new();
    let name = rules::check_mini_program_name(name)
        .map_err(|text| errors.push(field::NAME, text))
        .ok();
    let given = match app_id.trim() {
        "" => None,
        text => errors.check(field::APP_ID, AppId::parse(text)),
    };
    if let Some(id) = &given {
        if data::app_id_taken(state.db.pool(), id).await? {
            errors.push(field::APP_ID, OrderingText::AppIdTaken);
        }
    }
    let (Some(name), true) = (name, errors.is_empty()) else {
        return Err(AppError::Fields(errors));
    };
    let app_id = match given {
        Some(id) => id,
        None => unused_app_id(state).await?,
    };
    let row = data::insert_mini_program(
        state.db.pool(),
        merchant.workspace_id,
        &name,
        &app_id,
        state.clock.now(),
    )
    .await
    .map_err(|error| match crate::db::unique_violation(&error) {
        // Taken between the check and the insert.
        Some(_) => field_error(field::APP_ID, OrderingText::AppIdTaken),
        None => error.into(),
    })?;
    Ok(MiniProgramView {
        id: row.id,
        app_id: row.app_id(),
        name: row.name,
        created_at: row.created_at,
        versions: Vec::new(),
    })
}

/// A platform-assigned App ID no mini program has.
async fn unused_app_id(state: &AppState) -> Result<AppId, AppError> {
    use rand::Rng;
    loop {
        let id = AppId::generate(rand::thread_rng().gen());
        if !data::app_id_taken(state.db.pool(), &id).await? {
            return Ok(id);
        }
    }
}

// ---- what each mini program may order ----

/// The order-page facts of each of the merchant's mini programs for `service`.
async fn facts_for_service(
    conn: &mut sqlx::AnyConnection,
    merchant_workspace_id: i64,
    service: &ServiceRow,
    programs: &[MiniProgramRow],
) -> Result<HashMap<i64, MiniProgramFacts>, AppError> {
    let authorizations = data::live_authorizations(&mut *conn, merchant_workspace_id).await?;
    let open_orders = data::open_orders(&mut *conn, merchant_workspace_id).await?;
    let periods = data::periods(&mut *conn, merchant_workspace_id, service.id).await?;
    let online =
        data::online_version_mini_programs(&mut *conn, merchant_workspace_id, service.id).await?;
    let versions = data::versions(&mut *conn, merchant_workspace_id).await?;
    let early = [
        OrderStatus::New,
        OrderStatus::PendingConfirmation,
        OrderStatus::AwaitingPayment,
    ];
    let facts = programs.iter().map(|program| {
        let of_this = |id: &i64| *id == program.id;
        let own_periods: Vec<(i64, i64)> = periods
            .iter()
            .filter(|(id, _, _)| of_this(id))
            .map(|(_, start, end)| (*start, *end))
            .collect();
        let facts = MiniProgramFacts {
            authorized_to_other_isv: authorizations
                .iter()
                .any(|(id, isv)| of_this(id) && *isv != service.isv_workspace_id),
            other_service_in_flow: open_orders
                .iter()
                .find(|o| of_this(&o.mini_program_id) && o.service_id != service.id)
                .map(|o| o.service_name.clone()),
            pending_order_of_this_service: open_orders
                .iter()
                .find(|o| {
                    of_this(&o.mini_program_id)
                        && o.service_id == service.id
                        && early.contains(&o.status())
                })
                .map(data::OpenOrderRow::status),
            valid_to: rules::validity(&own_periods).map(|(_, to)| to),
            version_online: online.contains(&program.id),
            has_built_versions: versions.iter().any(|v| v.mini_program_id == program.id),
        };
        (program.id, facts)
    });
    Ok(facts.collect())
}

/// An Online service with its live plans; [`AppError::NotFound`] otherwise.
async fn online_service(
    state: &AppState,
    service_id: i64,
) -> Result<(ServiceRow, String, Vec<PlanView>), AppError> {
    let (row, isv_name) = service_data::online_service(state.db.pool(), service_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let plans = service_data::live_plans(state.db.pool(), service_id).await?;
    Ok((row, isv_name, plans))
}

fn identity_check(
    identity: IdentityType,
    allowed: Vec<IdentityType>,
    service_id: i64,
) -> IdentityCheck {
    let message = rules::restriction_refusal(identity, &allowed);
    IdentityCheck {
        can_upgrade_to_individual_business: identity == IdentityType::Individual
            && allowed.contains(&IdentityType::IndividualBusiness),
        fits: message.is_none(),
        certification_path: message
            .as_ref()
            .map(|_| certification_path(&order_path(service_id))),
        message,
        identity_type: identity,
        allowed,
    }
}

/// The order page (立即获取) of an Online service, for the plan chosen (the first one when
/// `plan_id` names none of its plans).
pub async fn order_page(
    state: &AppState,
    account: &Account,
    service_id: i64,
    plan_id: Option<i64>,
    mini_program_id: Option<i64>,
) -> Result<OrderPageView, AppError> {
    let merchant = merchant(state, account).await?;
    let (service, isv_name, plans) = online_service(state, service_id).await?;
    let plan = plans
        .iter()
        .find(|plan| Some(plan.id) == plan_id)
        .or(plans.first())
        .cloned()
        .ok_or(AppError::NotFound)?;
    let programs = data::mini_programs(state.db.pool(), merchant.workspace_id).await?;
    let images = crate::services::images::images(state.db.pool(), service_id).await?;
    let mut conn = state.db.pool().acquire().await?;
    let facts = facts_for_service(&mut conn, merchant.workspace_id, &service, &programs).await?;
    drop(conn);
    let now = state.clock.now();
    let options: Vec<MiniProgramOption> = programs
        .iter()
        .filter_map(|program| {
            let facts = facts.get(&program.id)?;
            let availability = match rules::eligibility(
                facts,
                plan.period_days,
                service.max_order_period_days,
                now,
            ) {
                Eligibility::Hidden => return None,
                Eligibility::Disabled(reason) => Availability::Disabled { reason },
                Eligibility::Selectable => Availability::Selectable,
            };
            Some(MiniProgramOption {
                id: program.id,
                name: program.name.clone(),
                app_id: program.app_id(),
                availability,
                overwrite_warning: facts
                    .has_built_versions
                    .then(|| OrderingText::OverwriteWarning.into()),
                valid_to: facts.valid_to.filter(|end| *end > now),
            })
        })
        .collect();
    let terminals = service.terminals();
    let identity = identity_check(
        merchant.identity_type(),
        service.subscriber_restriction(),
        service_id,
    );
    Ok(OrderPageView {
        preselected_mini_program_id: mini_program_id
            .filter(|id| options.iter().any(|option| option.id == *id)),
        mini_programs: options,
        choose_terminals: terminals.len() > 1,
        terminals,
        identity,
        selected_plan_id: plan.id,
        agreement_path: AGREEMENT_PATH.to_owned(),
        service: detail(service, isv_name, plans, images),
    })
}

// ---- placing an order ----

/// The order page's fields in the order it shows them, so the first message is the first
/// field to fix.
fn in_form_order(errors: FieldErrors) -> FieldErrors {
    const ORDER: [&str; 9] = [
        field::SUBSCRIBER_RESTRICTION,
        field::MINI_PROGRAM_ID,
        field::ACKNOWLEDGE_OVERWRITE,
        field::TERMINALS,
        field::PLAN_ID,
        field::CONTACT_NAME,
        field::CONTACT_MOBILE,
        field::AGREE_TO_AGREEMENT,
        field::FORM,
    ];
    let mut list = errors.0;
    list.sort_by_key(|error| ORDER.iter().position(|name| *name == error.field));
    FieldErrors(list)
}

/// 订购并授权: checks every rule of the order page, then places the order in the status the
/// transition table gives, with its deadline, its timeline event and its entry effects.
pub async fn place_order(
    state: &AppState,
    account: &Account,
    input: &OrderInput,
) -> Result<PlacedOrder, AppError> {
    let merchant = merchant(state, account).await?;
    let (service, _, plans) = online_service(state, input.service_id).await?;
    let (contact, mut errors) = rules::check_contact_and_agreement(input);
    if let Some(message) =
        rules::restriction_refusal(merchant.identity_type(), &service.subscriber_restriction())
    {
        errors.push(field::SUBSCRIBER_RESTRICTION, message);
    }
    let plan = plans.iter().find(|plan| plan.id == input.plan_id).cloned();
    if plan.is_none() {
        errors.push(field::PLAN_ID, OrderingText::PlanUnknown);
    }
    let terminals = rules::check_order_terminals(&input.terminals, &service.terminals())
        .map_err(|text| errors.push(field::TERMINALS, text))
        .ok();
    let programs = data::mini_programs(state.db.pool(), merchant.workspace_id).await?;
    let Some(program) = programs.iter().find(|p| p.id == input.mini_program_id) else {
        errors.push(field::MINI_PROGRAM_ID, OrderingText::MiniProgramUnknown);
        return Err(AppError::Fields(in_form_order(errors)));
    };

    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    data::lock_mini_program(&mut *tx, program.id).await?;
    let facts = facts_for_service(&mut tx, merchant.workspace_id, &service, &programs).await?;
    let facts = facts.get(&program.id).cloned().unwrap_or_default();
    check_mini_program(&facts, plan.as_ref(), &service, input, now, &mut errors);
    let (Some(plan), Some(terminals), Some((contact_name, contact_mobile)), true) =
        (plan, terminals, contact, errors.is_empty())
    else {
        return Err(AppError::Fields(in_form_order(errors)));
    };

    let order_no = unused_order_no(&mut tx, now).await?;
    let outcome = domain::place_order(&OrderFacts {
        price: plan.price,
        needs_acceptance: service.needs_acceptance(),
        ..OrderFacts::default()
    });
    let renewal_of = data::renewed_order(&mut *tx, service.id, program.id).await?;
    let terminals = join_codes(Terminal::ALL, &terminals, Terminal::code);
    let order_id = data::insert_order(
        &mut *tx,
        &data::NewOrder {
            order_no: &order_no,
            service_id: service.id,
            plan_id: plan.id,
            isv_workspace_id: service.isv_workspace_id,
            merchant_workspace_id: merchant.workspace_id,
            mini_program_id: program.id,
            terminals: &terminals,
            contact_name: &contact_name,
            contact_mobile: &contact_mobile,
            period_days: plan.period_days,
            amount: plan.price,
            status: outcome.to,
            needs_acceptance: service.needs_acceptance(),
            renewal_of_order_id: renewal_of,
        },
        now,
    )
    .await?;
    let by = By {
        actor: Actor::Merchant,
        account_id: Some(account.id),
    };
    lifecycle::record_placement(&mut tx, order_id, &outcome, by, now).await?;
    tx.commit().await?;
    placed(state, order_id).await
}

/// The mini program's rules for this order: listed (not authorized to another ISV), not in
/// another order flow, within the maximum order period and the renewal cap, and the
/// overwrite acknowledged when it has built versions.
fn check_mini_program(
    facts: &MiniProgramFacts,
    plan: Option<&PlanView>,
    service: &ServiceRow,
    input: &OrderInput,
    now: UnixMillis,
    errors: &mut FieldErrors,
) {
    let eligibility = match plan {
        Some(plan) => {
            rules::eligibility(facts, plan.period_days, service.max_order_period_days, now)
        }
        None if facts.authorized_to_other_isv => Eligibility::Hidden,
        None => Eligibility::Selectable,
    };
    match eligibility {
        Eligibility::Hidden => {
            errors.push(field::MINI_PROGRAM_ID, OrderingText::AuthorizedToAnotherIsv)
        }
        Eligibility::Disabled(reason) => errors.push(field::MINI_PROGRAM_ID, reason),
        Eligibility::Selectable => {}
    }
    if facts.has_built_versions && !input.acknowledge_overwrite {
        errors.push(field::ACKNOWLEDGE_OVERWRITE, OrderingText::OverwriteWarning);
    }
}

/// A new order number no order has: the date and 16 random digits, so numbers cannot be
/// guessed from one another.
async fn unused_order_no(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    now: UnixMillis,
) -> Result<OrderNo, AppError> {
    use rand::Rng;
    loop {
        let order_no = OrderNo::generate((now / 1000) as u64, rand::thread_rng().gen());
        if !data::order_no_taken(&mut **tx, &order_no).await? {
            return Ok(order_no);
        }
    }
}

async fn order_view(state: &AppState, order_id: i64) -> Result<OrderViewRow, AppError> {
    data::order_view(state.db.pool(), order_id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn placed(state: &AppState, order_id: i64) -> Result<PlacedOrder, AppError> {
    let order = order_view(state, order_id).await?.view();
    let next = match order.status {
        OrderStatus::AwaitingPayment => NextStep::Cashier {
            path: cashier_path(&order.order_no),
            pay_by: data::live_deadline(state.db.pool(), order_id)
                .await?
                .unwrap_or_default(),
        },
        OrderStatus::New => NextStep::AwaitAcceptance,
        _ => NextStep::InDevelopment,
    };
    Ok(PlacedOrder { order, next })
}

// ---- the cashier ----

/// One of the merchant's orders by its number; [`AppError::NotFound`] for anyone else's.
async fn merchant_order(
    state: &AppState,
    merchant: &MerchantRow,
    order_no: &str,
) -> Result<data::OrderRow, AppError> {
    let order_no = OrderNo::parse(order_no).map_err(|_| AppError::NotFound)?;
    data::order_by_no(state.db.pool(), &order_no)
        .await?
        .filter(|order| order.merchant_workspace_id == merchant.workspace_id)
        .ok_or(AppError::NotFound)
}

async fn cashier_view(state: &AppState, order: &data::OrderRow) -> Result<CashierView, AppError> {
    let view = order_view(state, order.id).await?.view();
    let pay_by = match view.status {
        OrderStatus::AwaitingPayment => data::live_deadline(state.db.pool(), order.id).await?,
        _ => None,
    };
    let now = state.clock.now();
    Ok(CashierView {
        payable: view.status == OrderStatus::AwaitingPayment && pay_by.is_none_or(|due| due > now),
        pay_by,
        order: view,
    })
}

/// The cashier (收银台) of one of the merchant's orders.
pub async fn cashier(
    state: &AppState,
    account: &Account,
    order_no: &str,
) -> Result<CashierView, AppError> {
    let merchant = merchant(state, account).await?;
    let order = merchant_order(state, &merchant, order_no).await?;
    cashier_view(state, &order).await
}

/// Pays an order Awaiting Payment (simulated): the table's Pay row moves it into
/// development with its entry effects. Paying an order that was just paid (a double click)
/// answers as the first click did and changes nothing.
pub async fn pay(
    state: &AppState,
    account: &Account,
    order_no: &str,
) -> Result<CashierView, AppError> {
    let merchant = merchant(state, account).await?;
    let order = merchant_order(state, &merchant, order_no).await?;
    if order.paid_at.is_some() {
        return cashier_view(state, &order).await;
    }
    let now = state.clock.now();
    let due = data::live_deadline(state.db.pool(), order.id).await?;
    let facts = order.facts(due.is_some_and(|due| due <= now));
    let outcome = domain::apply_action(order.status(), Action::Pay, Actor::Merchant, &facts)
        .map_err(|refusal| {
            field_error(
                field::FORM,
                BiText::new(refusal.message_en(), refusal.message_zh()),
            )
        })?;
    let mut tx = state.db.begin().await?;
    let by = By {
        actor: Actor::Merchant,
        account_id: Some(account.id),
    };
    let moved = lifecycle::apply(&mut tx, &order, &outcome, by, &Details::default(), now).await?;
    tx.commit().await?;
    let current = data::order(state.db.pool(), order.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !moved && current.paid_at.is_none() {
        return Err(AppError::Conflict(
            "This order changed meanwhile; refresh the page.".to_owned(),
        ));
    }
    cashier_view(state, &current).await
}

// ---- my services ----

/// 我的服务: for each mini program with orders, each ordered service with its newest order,
/// validity, 进入服务 target and the renewal button (续订 or 再次订购).
pub async fn my_services(
    state: &AppState,
    account: &Account,
) -> Result<Vec<MyMiniProgram>, AppError> {
    let merchant = merchant(state, account).await?;
    let programs = data::mini_programs(state.db.pool(), merchant.workspace_id).await?;
    let orders = data::merchant_orders(state.db.pool(), merchant.workspace_id).await?;
    let now = state.clock.now();
    let mut renewals = RenewalChecker::new(state, &merchant, &programs, now);
    let mut result = Vec::new();
    for program in &programs {
        let of_program: Vec<&OrderViewRow> = orders
            .iter()
            .filter(|order| order.mini_program_id == program.id)
            .collect();
        let mut service_ids: Vec<i64> = of_program.iter().map(|o| o.service_id).collect();
        service_ids.sort_unstable();
        service_ids.dedup();
        let mut services = Vec::new();
        for service_id in service_ids {
            let group: Vec<&OrderViewRow> = of_program
                .iter()
                .copied()
                .filter(|order| order.service_id == service_id)
                .collect();
            services.push(subscribed(&group, program.id, &mut renewals, now).await?);
        }
        if !services.is_empty() {
            // The service ordered most recently first.
            services.sort_by_key(|s| std::cmp::Reverse(s.latest_order.created_at));
            result.push(MyMiniProgram {
                id: program.id,
                name: program.name.clone(),
                app_id: program.app_id(),
                services,
            });
        }
    }
    Ok(result)
}

/// One service of one mini program, from its orders (oldest first).
async fn subscribed(
    orders: &[&OrderViewRow],
    mini_program_id: i64,
    renewals: &mut RenewalChecker<'_>,
    now: UnixMillis,
) -> Result<SubscribedService, AppError> {
    let latest = orders.last().ok_or(AppError::NotFound)?;
    let latest_view = latest.view();
    let periods: Vec<(i64, i64)> = orders
        .iter()
        .map(|order| order.view())
        .filter(|order| order.status != OrderStatus::Canceled)
        .filter_map(|order| order.service_start_at.zip(order.service_end_at))
        .collect();
    let validity = rules::validity(&periods);
    let running = !latest_view.status.is_terminal() || validity.is_some_and(|(_, to)| to > now);
    let kind = if running {
        RenewalKind::Renew
    } else {
        RenewalKind::OrderAgain
    };
    let enter = match &latest.mobile_access_url {
        Some(url) => EnterService::Open { url: url.clone() },
        None => EnterService::UsePc {
            message: OrderingText::UsePc.into(),
        },
    };
    let refusal = renewals
        .refusal(latest.service_id, &latest.service_status, mini_program_id)
        .await?;
    Ok(SubscribedService {
        service_id: latest.service_id,
        service_name: latest_view.service_name.clone(),
        isv_name: latest_view.isv_name.clone(),
        valid_from: validity.map(|(from, _)| from),
        valid_to: validity.map(|(_, to)| to),
        running,
        enter,
        renewal: RenewalOffer {
            kind,
            path: renewal_path(latest.service_id, mini_program_id),
            refusal,
        },
        latest_order: latest_view,
    })
}

/// Works out, service by service, whether a mini program can renew now with the service's
/// shortest plan; loads each service's facts once.
struct RenewalChecker<'a> {
    state: &'a AppState,
    merchant: &'a MerchantRow,
    programs: &'a [MiniProgramRow],
    now: UnixMillis,
    /// Per service: `None` when it is no longer orderable.
    loaded: HashMap<i64, Option<ServiceFacts>>,
}

/// An orderable service, its shortest plan and its facts for each mini program.
struct ServiceFacts {
    service: ServiceRow,
    shortest_period_days: i64,
    facts: HashMap<i64, MiniProgramFacts>,
}

impl<'a> RenewalChecker<'a> {
    fn new(
        state: &'a AppState,
        merchant: &'a MerchantRow,
        programs: &'a [MiniProgramRow],
        now: UnixMillis,
    ) -> Self {
        RenewalChecker {
            state,
            merchant,
            programs,
            now,
            loaded: HashMap::new(),
        }
    }

    async fn refusal(
        &mut self,
        service_id: i64,
        service_status: &str,
        mini_program_id: i64,
    ) -> Result<Option<BiText>, AppError> {
        if service_status != crate::services::ServiceStatus::Online.code() {
            return Ok(Some(OrderingText::ServiceNotOnSale.into()));
        }
        if !self.loaded.contains_key(&service_id) {
            let loaded = self.load(service_id).await?;
            self.loaded.insert(service_id, loaded);
        }
        let Some(Some(loaded)) = self.loaded.get(&service_id) else {
            return Ok(Some(OrderingText::ServiceNotOnSale.into()));
        };
        let facts = loaded
            .facts
            .get(&mini_program_id)
            .cloned()
            .unwrap_or_default();
        let eligibility = rules::eligibility(
            &facts,
            loaded.shortest_period_days,
            loaded.service.max_order_period_days,
            self.now,
        );
        Ok(match eligibility {
            Eligibility::Selectable => None,
            Eligibility::Disabled(reason) => Some(reason),
            Eligibility::Hidden => Some(OrderingText::AuthorizedToAnotherIsv.into()),
        })
    }

    async fn load(&self, service_id: i64) -> Result<Option<ServiceFacts>, AppError> {
        let Some((service, _)) =
            service_data::online_service(self.state.db.pool(), service_id).await?
        else {
            return Ok(None);
        };
        let plans = service_data::live_plans(self.state.db.pool(), service_id).await?;
        let Some(shortest_period_days) = plans.iter().map(|plan| plan.period_days).min() else {
            return Ok(None);
        };
        let mut conn = self.state.db.pool().acquire().await?;
        let facts = facts_for_service(
            &mut conn,
            self.merchant.workspace_id,
            &service,
            self.programs,
        )
        .await?;
        Ok(Some(ServiceFacts {
            service,
            shortest_period_days,
            facts,
        }))
    }
}
