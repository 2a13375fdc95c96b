//! The gateway's methods. Each one checks that the order or token it names belongs to the
//! calling app (another app's order is "not found", so numbers cannot be probed), and order
//! actions go through the one transition table ([`crate::domain::apply_action`], actor ISV)
//! and its persistence ([`crate::ordering::lifecycle::apply`]), like the console's buttons.
//!
//! Order methods are the ISV's own calls and need no `app_auth_token`; a token that is given
//! must still work and name the order's mini program. Acting on the merchant's mini program
//! (`alipay.open.mini.version.upload`) needs the merchant's token: without one the answer is
//! `40006 isv.self-invoke-forbidden`, as Alipay answers.

use super::super::alipay_time;
use super::super::apps::AppRow;
use super::{success, GatewayError, Params};
use crate::clock::UnixMillis;
use crate::domain::{self, order_query_status, order_query_top_status, Action, Actor, OrderNo};
use crate::ordering::data::{self as orders, OrderRow};
use crate::ordering::lifecycle::{self, By, Details};
use crate::state::AppState;
use serde_json::{json, Map, Value};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// How long an `app_auth_code` can be exchanged.
const AUTH_CODE_TTL_MS: i64 = DAY_MS;
/// Token lifetimes issued on a refresh, as on the first authorization.
const TOKEN_TTL_MS: i64 = 365 * DAY_MS;
const REFRESH_TTL_MS: i64 = 372 * DAY_MS;
const MAX_REASON_CHARS: usize = 256;

type Answer = Result<Map<String, Value>, GatewayError>;

/// A live authorization, as the methods need it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Authorization {
    pub id: i64,
    pub isv_workspace_id: i64,
    pub mini_program_id: i64,
    pub app_auth_token: String,
    pub app_refresh_token: String,
    pub auth_code: String,
    pub auth_code_used_at: Option<i64>,
    pub expires_at: i64,
    pub re_expires_at: i64,
    pub auth_time: i64,
    pub cancelled_at: Option<i64>,
    pub mini_app_id: String,
    pub merchant_pid: Option<String>,
}

const AUTHORIZATION_SELECT: &str = "SELECT a.id, a.isv_workspace_id, a.mini_program_id, \
        a.app_auth_token, a.app_refresh_token, a.auth_code, a.auth_code_used_at, a.expires_at, \
        a.re_expires_at, a.auth_time, a.cancelled_at, mp.app_id AS mini_app_id, m.merchant_pid \
     FROM authorizations a JOIN mini_programs mp ON mp.id = a.mini_program_id \
     LEFT JOIN merchants m ON m.workspace_id = a.merchant_workspace_id";

async fn authorization_by(
    state: &AppState,
    column: &'static str,
    value: &str,
    app: &AppRow,
) -> Result<Option<Authorization>, GatewayError> {
    let found: Option<Authorization> = sqlx::query_as(&format!(
        "{AUTHORIZATION_SELECT} WHERE a.{column} = $1 AND a.isv_workspace_id = $2"
    ))
    .bind(value)
    .bind(app.isv_workspace_id)
    .fetch_optional(state.db.pool())
    .await?;
    Ok(found)
}

/// The request's `app_auth_token`, when given: it must be this app's, live and unexpired.
async fn given_token(
    state: &AppState,
    app: &AppRow,
    params: &Params,
    now: UnixMillis,
) -> Result<Option<Authorization>, GatewayError> {
    let Some(token) = params.get("app_auth_token").filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let invalid = || GatewayError::token("aop.invalid-app-auth-token", "无效的应用授权令牌");
    let auth = authorization_by(state, "app_auth_token", token, app)
        .await?
        .ok_or_else(invalid)?;
    if auth.cancelled_at.is_some() {
        return Err(invalid());
    }
    if auth.expires_at <= now {
        return Err(GatewayError::token(
            "aop.app-auth-token-time-out",
            "应用授权令牌已过期",
        ));
    }
    Ok(Some(auth))
}

/// The parsed `biz_content` (an empty object when absent).
fn biz_content(params: &Params) -> Result<Map<String, Value>, GatewayError> {
    match params.get("biz_content").map(|text| text.trim()) {
        None | Some("") => Ok(Map::new()),
        Some(text) => serde_json::from_str(text)
            .map_err(|_| GatewayError::invalid_parameter("biz_content 不是合法的 JSON 对象")),
    }
}

fn text<'a>(biz: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    biz.get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

fn required<'a>(biz: &'a Map<String, Value>, name: &str) -> Result<&'a str, GatewayError> {
    text(biz, name).ok_or_else(|| GatewayError::invalid_parameter(format!("缺少必选参数 {name}")))
}

fn reason<'a>(biz: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, GatewayError> {
    match text(biz, name) {
        Some(reason) if reason.chars().count() > MAX_REASON_CHARS => Err(
            GatewayError::invalid_parameter(format!("{name} 最多 {MAX_REASON_CHARS} 个字符")),
        ),
        other => Ok(other),
    }
}

/// Runs `method` for the authenticated `app`.
pub async fn dispatch(
    state: &AppState,
    app: &AppRow,
    method: &str,
    params: &Params,
    now: UnixMillis,
) -> Answer {
    let token = given_token(state, app, params, now).await?;
    let biz = biz_content(params)?;
    match method {
        "alipay.open.servicemarket.order.query" => {
            order_query(state, app, &biz, token.as_ref()).await
        }
        "alipay.open.servicemarket.order.accept" => {
            order_action(state, app, &biz, token.as_ref(), Action::Accept, None, now).await
        }
        "alipay.open.servicemarket.order.reject" => {
            let reason = reason(&biz, "reject_reason")?;
            order_action(
                state,
                app,
                &biz,
                token.as_ref(),
                Action::Reject,
                reason,
                now,
            )
            .await
        }
        "alipay.open.servicemarket.order.item.complete" => {
            order_action(state, app, &biz, token.as_ref(), Action::Submit, None, now).await
        }
        "alipay.open.servicemarket.order.item.cancel" => {
            let reason = reason(&biz, "cancel_reason")?;
            order_action(
                state,
                app,
                &biz,
                token.as_ref(),
                Action::Cancel,
                reason,
                now,
            )
            .await
        }
        "alipay.open.auth.token.app" => token_app(state, app, &biz, now).await,
        "alipay.open.auth.token.app.query" => token_query(state, app, &biz, now).await,
        "alipay.open.mini.version.upload" => version_upload(state, &biz, token, now).await,
        _ => Err(GatewayError::invalid(
            "isv.invalid-method",
            "不存在的方法名",
        )),
    }
}

// ---- orders ----

fn order_not_found() -> GatewayError {
    GatewayError::business("ORDER_NOT_EXIST", "订单不存在")
}

/// The order `commodity_order_id` names, if it is the calling app's (and the token's mini
/// program's, when a token is given).
async fn own_order(
    state: &AppState,
    app: &AppRow,
    biz: &Map<String, Value>,
    token: Option<&Authorization>,
) -> Result<OrderRow, GatewayError> {
    let number = required(biz, "commodity_order_id")?;
    let order_no = OrderNo::parse(number).map_err(|_| order_not_found())?;
    orders::order_by_no(state.db.pool(), &order_no)
        .await?
        .filter(|order| order.isv_workspace_id == app.isv_workspace_id)
        .filter(|order| token.is_none_or(|auth| auth.mini_program_id == order.mini_program_id))
        .ok_or_else(order_not_found)
}

#[derive(sqlx::FromRow)]
struct OrderItemRow {
    merchant_pid: Option<String>,
    merchant_name: Option<String>,
    mini_app_id: String,
    mini_app_name: String,
    contact_name: String,
    contact_mobile: String,
    period_days: i64,
    online_at: Option<i64>,
}

/// `alipay.open.servicemarket.order.query`: the order and its one item (the mini program).
async fn order_query(
    state: &AppState,
    app: &AppRow,
    biz: &Map<String, Value>,
    token: Option<&Authorization>,
) -> Answer {
    let order = own_order(state, app, biz, token).await?;
    let page = match biz.get("start_page") {
        None | Some(Value::Null) => 1,
        Some(value) => value
            .as_str()
            .map(|text| text.trim().parse::<i64>())
            .or_else(|| value.as_i64().map(Ok))
            .and_then(Result::ok)
            .filter(|page| *page >= 1)
            .ok_or_else(|| GatewayError::invalid_parameter("start_page 须为正整数"))?,
    };
    let item: OrderItemRow = sqlx::query_as(
        "SELECT m.merchant_pid, m.merchant_name, mp.app_id AS mini_app_id, \
             mp.name AS mini_app_name, o.contact_name, o.contact_mobile, o.period_days, \
             (SELECT MAX(v.online_at) FROM mini_program_versions v \
                WHERE v.built_by_order_id = o.id) AS online_at \
         FROM orders o JOIN mini_programs mp ON mp.id = o.mini_program_id \
         LEFT JOIN merchants m ON m.workspace_id = o.merchant_workspace_id \
         WHERE o.id = $1",
    )
    .bind(order.id)
    .fetch_one(state.db.pool())
    .await?;
    let status = order.status();
    let mut line = json!({
        "commodity_id": order.service_id.to_string(),
        "merchant_pid": item.merchant_pid.unwrap_or_default(),
        "merchant_name": item.merchant_name.unwrap_or_default(),
        "mini_app_id": item.mini_app_id,
        "mini_app_name": item.mini_app_name,
        "order_status": order_query_status(status, order.cancel_cause()),
        "contacts": item.contact_name,
        "phone_no": item.contact_mobile,
    });
    if let Some(top) = order_query_top_status(status) {
        line["status"] = json!(top);
    }
    if let (Some(start), Some(end)) = (order.service_start_at, order.service_end_at) {
        line["service_effect_date"] = json!(alipay_time(start));
        line["service_expire_date"] = json!(alipay_time(end));
        line["expire_date"] = json!(alipay_time(end));
    }
    if let Some(online) = item.online_at {
        line["online_time"] = json!(alipay_time(online));
    }
    let mut fields = Map::new();
    fields.insert("commodity_id".into(), json!(order.service_id.to_string()));
    fields.insert(
        "specifications".into(),
        json!(format!("{}天", item.period_days)),
    );
    if let Some(top) = order_query_top_status(status) {
        fields.insert("status".into(), json!(top));
    }
    fields.insert("current_page".into(), json!(page));
    fields.insert("total_size".into(), json!(1));
    let items = if page == 1 { vec![line] } else { Vec::new() };
    fields.insert("order_items".into(), json!(items));
    Ok(success(fields))
}

/// The newest version built for the order that has not been submitted yet.
async fn version_to_submit(state: &AppState, order: &OrderRow) -> Result<i64, GatewayError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM mini_program_versions WHERE built_by_order_id = $1 \
           AND status = 'building' ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(order.id)
    .fetch_optional(state.db.pool())
    .await?;
    row.map(|(id,)| id).ok_or_else(|| {
        GatewayError::business(
            "VERSION_NOT_EXIST",
            "请先通过 alipay.open.mini.version.upload 上传为该订单构建的小程序版本",
        )
    })
}

/// Accept, Reject, Submit (item.complete) or Cancel (item.cancel) by the ISV.
async fn order_action(
    state: &AppState,
    app: &AppRow,
    biz: &Map<String, Value>,
    token: Option<&Authorization>,
    action: Action,
    reason: Option<&str>,
    now: UnixMillis,
) -> Answer {
    let order = own_order(state, app, biz, token).await?;
    if let Some(mini_app_id) = text(biz, "mini_app_id") {
        let (app_id,): (String,) = sqlx::query_as("SELECT app_id FROM mini_programs WHERE id = $1")
            .bind(order.mini_program_id)
            .fetch_one(state.db.pool())
            .await?;
        if app_id != mini_app_id {
            return Err(GatewayError::business(
                "MINI_APP_NOT_MATCH",
                "mini_app_id 不是该订单的小程序",
            ));
        }
    }
    let due = orders::live_deadline(state.db.pool(), order.id).await?;
    let facts = order.facts(due.is_some_and(|due| due <= now));
    let outcome = domain::apply_action(order.status(), action, Actor::Isv, &facts)
        .map_err(|refusal| GatewayError::business("ORDER_STATUS_INVALID", refusal.message_zh()))?;
    let submitted_version_id = match action {
        Action::Submit => Some(version_to_submit(state, &order).await?),
        _ => None,
    };
    let mut tx = state.db.begin().await?;
    let by = By {
        actor: Actor::Isv,
        account_id: None,
    };
    let details = Details {
        reason,
        submitted_version_id,
    };
    let moved = lifecycle::apply(&mut tx, &order, &outcome, by, &details, now).await?;
    if !moved {
        return Err(GatewayError::business(
            "ORDER_STATUS_INVALID",
            "订单状态已变更，请查询后重试",
        ));
    }
    if let Some(version_id) = submitted_version_id {
        sqlx::query(
            "UPDATE mini_program_versions SET status = 'auditing' WHERE id = $1 AND status = 'building'",
        )
        .bind(version_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(success(Map::new()))
}

// ---- authorization tokens ----

/// A new token like Alipay's: `yyyyMM` (Beijing) `BB` and 32 random hex digits.
fn new_token(now: UnixMillis) -> String {
    use rand::Rng;
    let time = alipay_time(now);
    format!(
        "{}{}BB{:032x}",
        &time[..4],
        &time[5..7],
        rand::thread_rng().gen::<u128>()
    )
}

fn token_fields(auth: &Authorization, now: UnixMillis) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert(
        "user_id".into(),
        json!(auth.merchant_pid.clone().unwrap_or_default()),
    );
    fields.insert("auth_app_id".into(), json!(auth.mini_app_id));
    fields.insert("app_auth_token".into(), json!(auth.app_auth_token));
    fields.insert("app_refresh_token".into(), json!(auth.app_refresh_token));
    fields.insert(
        "expires_in".into(),
        json!(((auth.expires_at - now) / 1000).max(0).to_string()),
    );
    fields.insert(
        "re_expires_in".into(),
        json!(((auth.re_expires_at - now) / 1000).max(0).to_string()),
    );
    fields
}

fn token_answer(auth: &Authorization, now: UnixMillis) -> Answer {
    let mut fields = token_fields(auth, now);
    fields.insert(
        "tokens".into(),
        json!([Value::Object(token_fields(auth, now))]),
    );
    Ok(success(fields))
}

/// `alipay.open.auth.token.app`: `grant_type` `authorization_code` (the `app_auth_code`,
/// single use, within 24 hours) or `refresh_token` (new tokens; the old ones stop working).
async fn token_app(
    state: &AppState,
    app: &AppRow,
    biz: &Map<String, Value>,
    now: UnixMillis,
) -> Answer {
    match required(biz, "grant_type")? {
        "authorization_code" => exchange_code(state, app, required(biz, "code")?, now).await,
        "refresh_token" => refresh(state, app, required(biz, "refresh_token")?, now).await,
        _ => Err(GatewayError::business(
            "GRANT_TYPE_INVALID",
            "grant_type 只能是 authorization_code 或 refresh_token",
        )),
    }
}

async fn exchange_code(state: &AppState, app: &AppRow, code: &str, now: UnixMillis) -> Answer {
    let auth = authorization_by(state, "auth_code", code, app)
        .await?
        .ok_or_else(|| GatewayError::business("AUTH_CODE_NOT_EXIST", "授权码不存在"))?;
    let not_valid =
        || GatewayError::business("AUTH_CODE_NOT_VALID", "授权码已使用、已过期或授权已取消");
    if auth.auth_code_used_at.is_some()
        || auth.cancelled_at.is_some()
        || now > auth.auth_time + AUTH_CODE_TTL_MS
    {
        return Err(not_valid());
    }
    // Single use even when two exchanges race: only one sets auth_code_used_at.
    let used = sqlx::query(
        "UPDATE authorizations SET auth_code_used_at = $2 \
         WHERE id = $1 AND auth_code_used_at IS NULL AND cancelled_at IS NULL",
    )
    .bind(auth.id)
    .bind(now)
    .execute(state.db.pool())
    .await?
    .rows_affected();
    if used != 1 {
        return Err(not_valid());
    }
    token_answer(&auth, now)
}

async fn refresh(state: &AppState, app: &AppRow, refresh_token: &str, now: UnixMillis) -> Answer {
    let auth = authorization_by(state, "app_refresh_token", refresh_token, app)
        .await?
        .ok_or_else(|| GatewayError::business("REFRESH_TOKEN_NOT_EXIST", "刷新令牌不存在"))?;
    if auth.cancelled_at.is_some() {
        return Err(GatewayError::business(
            "REFRESH_TOKEN_NOT_VALID",
            "授权已取消，刷新令牌无效",
        ));
    }
    if auth.re_expires_at <= now {
        return Err(GatewayError::business(
            "REFRESH_TOKEN_TIME_OUT",
            "刷新令牌已过期，请商家重新授权",
        ));
    }
    let (token, refresh) = (new_token(now), new_token(now));
    let refreshed = sqlx::query(
        "UPDATE authorizations SET app_auth_token = $3, app_refresh_token = $4, \
             expires_at = $5, re_expires_at = $6, refreshed_at = $7 \
         WHERE id = $1 AND app_refresh_token = $2 AND cancelled_at IS NULL",
    )
    .bind(auth.id)
    .bind(refresh_token)
    .bind(&token)
    .bind(&refresh)
    .bind(now + TOKEN_TTL_MS)
    .bind(now + REFRESH_TTL_MS)
    .bind(now)
    .execute(state.db.pool())
    .await?
    .rows_affected();
    if refreshed != 1 {
        return Err(GatewayError::business(
            "REFRESH_TOKEN_NOT_VALID",
            "刷新令牌已被使用",
        ));
    }
    let auth = Authorization {
        app_auth_token: token,
        app_refresh_token: refresh,
        expires_at: now + TOKEN_TTL_MS,
        re_expires_at: now + REFRESH_TTL_MS,
        ..auth
    };
    token_answer(&auth, now)
}

/// What a token lets the ISV call on the merchant's behalf.
const AUTH_METHODS: [&str; 2] = [
    "alipay.open.mini.version.upload",
    "alipay.open.auth.token.app.query",
];

/// `alipay.open.auth.token.app.query`: the token's merchant, mini program, validity and
/// status (`invalid` once cancelled or expired). Another app's token is refused.
async fn token_query(
    state: &AppState,
    app: &AppRow,
    biz: &Map<String, Value>,
    now: UnixMillis,
) -> Answer {
    let token = required(biz, "app_auth_token")?;
    let auth = authorization_by(state, "app_auth_token", token, app)
        .await?
        .ok_or_else(|| GatewayError::token("aop.invalid-app-auth-token", "无效的应用授权令牌"))?;
    let valid = auth.cancelled_at.is_none() && auth.expires_at > now;
    let mut fields = Map::new();
    fields.insert(
        "user_id".into(),
        json!(auth.merchant_pid.clone().unwrap_or_default()),
    );
    fields.insert("auth_app_id".into(), json!(auth.mini_app_id));
    fields.insert(
        "expires_in".into(),
        json!(((auth.expires_at - now) / 1000).max(0)),
    );
    fields.insert("auth_methods".into(), json!(AUTH_METHODS));
    fields.insert("auth_start".into(), json!(alipay_time(auth.auth_time)));
    fields.insert("auth_end".into(), json!(alipay_time(auth.expires_at)));
    fields.insert("is_by_app_auth".into(), json!(true));
    fields.insert(
        "status".into(),
        json!(if valid { "valid" } else { "invalid" }),
    );
    Ok(success(fields))
}

// ---- mini program versions ----

/// `x.y.z` with each part a number.
fn parse_version(text: &str) -> Option<[u64; 3]> {
    let parts: Vec<u64> = text
        .split('.')
        .map(|part| {
            (!part.is_empty() && part.len() <= 9 && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
        })
        .collect::<Option<_>>()?;
    parts.try_into().ok()
}

/// `alipay.open.mini.version.upload` (for the merchant, with its `app_auth_token`): records a
/// built version of the token's mini program, higher than every earlier one, built for the
/// ISV's order in development for it (which item.complete then submits).
async fn version_upload(
    state: &AppState,
    biz: &Map<String, Value>,
    token: Option<Authorization>,
    now: UnixMillis,
) -> Answer {
    let auth = token.ok_or_else(|| {
        GatewayError::permission(
            "isv.self-invoke-forbidden",
            "此用户不允许自调用：请传入商家授权的 app_auth_token",
        )
    })?;
    let template_id = required(biz, "template_id")?;
    let app_version = required(biz, "app_version")?;
    let version = parse_version(app_version)
        .ok_or_else(|| GatewayError::invalid_parameter("app_version 格式应为 x.y.z"))?;
    let template_version = text(biz, "template_version");
    if template_version.is_some_and(|v| parse_version(v).is_none()) {
        return Err(GatewayError::invalid_parameter(
            "template_version 格式应为 x.y.z",
        ));
    }
    let existing: Vec<(String,)> =
        sqlx::query_as("SELECT version FROM mini_program_versions WHERE mini_program_id = $1")
            .bind(auth.mini_program_id)
            .fetch_all(state.db.pool())
            .await?;
    if existing
        .iter()
        .filter_map(|(v,)| parse_version(v))
        .any(|earlier| earlier >= version)
    {
        return Err(GatewayError::business(
            "APP_VERSION_INVALID",
            "app_version 必须高于该小程序已有的版本",
        ));
    }
    let order: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM orders WHERE mini_program_id = $1 AND isv_workspace_id = $2 \
           AND status = 'in_development' ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(auth.mini_program_id)
    .bind(auth.isv_workspace_id)
    .fetch_optional(state.db.pool())
    .await?;
    let notes = text(biz, "version_desc").unwrap_or_default();
    let inserted = sqlx::query(
        "INSERT INTO mini_program_versions (mini_program_id, version, notes, template_id, \
             template_version, built_by_order_id, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'building', $7)",
    )
    .bind(auth.mini_program_id)
    .bind(app_version)
    .bind(notes)
    .bind(template_id)
    .bind(template_version)
    .bind(order.map(|(id,)| id))
    .bind(now)
    .execute(state.db.pool())
    .await;
    match inserted {
        Ok(_) => Ok(success(Map::new())),
        Err(error) if crate::db::unique_violation(&error).is_some() => Err(GatewayError::business(
            "APP_VERSION_INVALID",
            "app_version 必须高于该小程序已有的版本",
        )),
        Err(error) => Err(error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_three_numbers() {
        assert_eq!(parse_version("1.0.12"), Some([1, 0, 12]));
        assert!(parse_version("1.0").is_none());
        assert!(parse_version("1.0.x").is_none());
        assert!(parse_version("1..2").is_none());
        assert!(parse_version("1.2.3.4").is_none());
        assert!(parse_version("0.10.0") > parse_version("0.9.9"));
    }

    #[test]
    fn tokens_look_like_alipays() {
        let token = new_token(1_767_225_600_000);
        assert!(token.starts_with("202601BB"));
        assert_eq!(token.len(), 40);
    }
}
