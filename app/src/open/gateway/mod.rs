//! `POST /gateway.do`: the Alipay OpenAPI protocol, so Alipay's own SDKs work against it with
//! only the gateway URL and the keys configured.
//!
//! A request carries the common parameters (`app_id`, `method`, `format`, `charset`,
//! `sign_type`, `sign`, `timestamp`, `version`, optionally `app_auth_token`) in the query string
//! or the form body (the SDKs split them differently), and the method's parameters as JSON in
//! `biz_content`. Its `sign` is checked with the app public key the ISV configured, over every
//! parameter but `sign`. The answer is `{"<method with _>_response":{…},"sign":"…"}`, the
//! `sign` being the platform key's RSA2 signature of exactly the text of the `_response`
//! object; a request without a usable method is answered in `error_response`.
//!
//! Codes, as Alipay uses them: `10000` Success; `40001` a common parameter is missing;
//! `40002` a parameter is invalid (the signature among them); `40004` the business refused
//! (with an upper-case `sub_code`); `40006` the app may not do this (calling for a merchant
//! without its token); `20001` the `app_auth_token` is unknown, another app's, cancelled or
//! expired.

pub mod methods;

use super::apps::{self, AppRow};
use super::{keys, sign};
use crate::clock::UnixMillis;
use crate::error::AppError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The parameters of a request, decoded: the query string's, then the form body's.
pub type Params = BTreeMap<String, String>;

/// A refusal, as the `_response` object reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayError {
    pub code: &'static str,
    pub msg: &'static str,
    pub sub_code: String,
    pub sub_msg: String,
}

impl GatewayError {
    fn new(code: &'static str, msg: &'static str, sub_code: &str, sub_msg: &str) -> Self {
        GatewayError {
            code,
            msg,
            sub_code: sub_code.to_owned(),
            sub_msg: sub_msg.to_owned(),
        }
    }

    /// 40001: a required common parameter is missing.
    pub fn missing(sub_code: &str, sub_msg: &str) -> Self {
        Self::new("40001", "Missing Required Arguments", sub_code, sub_msg)
    }

    /// 40002: a parameter is invalid.
    pub fn invalid(sub_code: &str, sub_msg: &str) -> Self {
        Self::new("40002", "Invalid Arguments", sub_code, sub_msg)
    }

    /// 40002 `isv.invalid-parameter`, naming what is wrong with a business parameter.
    pub fn invalid_parameter(sub_msg: impl Into<String>) -> Self {
        GatewayError {
            sub_msg: sub_msg.into(),
            ..Self::invalid("isv.invalid-parameter", "")
        }
    }

    /// 40004: the business refused.
    pub fn business(sub_code: &str, sub_msg: impl Into<String>) -> Self {
        GatewayError {
            sub_msg: sub_msg.into(),
            ..Self::new("40004", "Business Failed", sub_code, "")
        }
    }

    /// 40006: the app may not do this.
    pub fn permission(sub_code: &str, sub_msg: &str) -> Self {
        Self::new("40006", "Insufficient Permissions", sub_code, sub_msg)
    }

    /// 20001: the app_auth_token does not work.
    pub fn token(sub_code: &str, sub_msg: &str) -> Self {
        Self::new("20001", "Insufficient Token Permissions", sub_code, sub_msg)
    }

    /// 20000: something failed on the platform's side (logged with a reference).
    pub fn unavailable(error: &AppError) -> Self {
        let reference = match error {
            AppError::Internal { reference } => reference.clone(),
            other => other.to_string(),
        };
        GatewayError {
            sub_msg: format!("服务暂不可用（{reference}）"),
            ..Self::new(
                "20000",
                "Service Currently Unavailable",
                "isp.unknow-error",
                "",
            )
        }
    }

    fn to_json(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("code".into(), json!(self.code));
        map.insert("msg".into(), json!(self.msg));
        map.insert("sub_code".into(), json!(self.sub_code));
        map.insert("sub_msg".into(), json!(self.sub_msg));
        map
    }
}

impl From<AppError> for GatewayError {
    fn from(error: AppError) -> Self {
        GatewayError::unavailable(&error)
    }
}

impl From<sqlx::Error> for GatewayError {
    fn from(error: sqlx::Error) -> Self {
        GatewayError::unavailable(&AppError::from(error))
    }
}

/// A successful answer: `code` 10000 and the method's fields.
pub fn success(fields: Map<String, Value>) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("code".into(), json!("10000"));
    map.insert("msg".into(), json!("Success"));
    map.extend(fields);
    map
}

/// The methods the gateway knows.
pub const METHODS: [&str; 8] = [
    "alipay.open.servicemarket.order.query",
    "alipay.open.servicemarket.order.accept",
    "alipay.open.servicemarket.order.reject",
    "alipay.open.servicemarket.order.item.complete",
    "alipay.open.servicemarket.order.item.cancel",
    "alipay.open.auth.token.app",
    "alipay.open.auth.token.app.query",
    "alipay.open.mini.version.upload",
];

/// `{method with dots as underscores}_response`.
pub fn response_key(method: &str) -> String {
    format!("{}_response", method.replace('.', "_"))
}

fn form_pairs(text: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(text).unwrap_or_default()
}

/// The request's parameters: the query string's, then the body's when it is a form (a name
/// given in both keeps the query string's value).
pub fn read_params(query: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Params {
    let mut params: Params = query
        .map(form_pairs)
        .unwrap_or_default()
        .into_iter()
        .collect();
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_none_or(|value| {
            value
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if is_form {
        for (key, value) in form_pairs(&String::from_utf8_lossy(body)) {
            params.entry(key).or_insert(value);
        }
    }
    params
}

/// Whether a timestamp is `yyyy-MM-dd HH:mm:ss`.
fn is_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 19
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b' ',
            13 | 16 => *b == b':',
            _ => b.is_ascii_digit(),
        })
}

fn required<'a>(params: &'a Params, name: &str, sub_code: &str) -> Result<&'a str, GatewayError> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(|| GatewayError::missing(sub_code, &format!("缺少必选参数 {name}")))
}

/// Checks the common parameters and the signature; the calling app.
async fn authenticate(state: &AppState, params: &Params) -> Result<AppRow, GatewayError> {
    let app_id = required(params, "app_id", "isv.missing-app-id")?;
    let sign_type = required(params, "sign_type", "isv.missing-signature-type")?;
    required(params, "sign", "isv.missing-signature")?;
    let timestamp = required(params, "timestamp", "isv.missing-timestamp")?;
    let version = required(params, "version", "isv.missing-version")?;
    if sign_type != "RSA2" {
        return Err(GatewayError::invalid(
            "isv.invalid-signature-type",
            "签名类型无效，仅支持 RSA2",
        ));
    }
    if !is_timestamp(timestamp) {
        return Err(GatewayError::invalid(
            "isv.invalid-timestamp",
            "时间戳格式应为 yyyy-MM-dd HH:mm:ss",
        ));
    }
    if version != "1.0" {
        return Err(GatewayError::invalid_parameter("version 只支持 1.0"));
    }
    if params
        .get("charset")
        .is_some_and(|charset| !charset.eq_ignore_ascii_case("utf-8"))
    {
        return Err(GatewayError::invalid(
            "isv.invalid-charset",
            "字符集无效，仅支持 UTF-8",
        ));
    }
    if params
        .get("format")
        .is_some_and(|format| !format.eq_ignore_ascii_case("json"))
    {
        return Err(GatewayError::invalid(
            "isv.invalid-format",
            "格式无效，仅支持 JSON",
        ));
    }
    let app = apps::by_app_id(state.db.pool(), app_id)
        .await?
        .ok_or_else(|| GatewayError::invalid("isv.invalid-app-id", "无效的AppID参数"))?;
    let key = app.public_key().ok_or_else(|| {
        GatewayError::invalid(
            "isv.missing-signature-key",
            "应用未配置应用公钥，请在开放平台设置中上传",
        )
    })?;
    if !sign::verify_request(params, &key) {
        return Err(GatewayError::invalid(
            "isv.invalid-signature",
            "验签出错，请确认应用公钥与签名所用私钥匹配，且参与签名的参数与请求一致",
        ));
    }
    Ok(app)
}

/// `POST /gateway.do`.
pub async fn handle(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = read_params(query.as_deref(), &headers, &body);
    let now = state.clock.now();
    let (key, answer) = match params.get("method").map(String::as_str) {
        None | Some("") => (
            "error_response".to_owned(),
            Err(GatewayError::missing(
                "isv.missing-method",
                "缺少方法名参数",
            )),
        ),
        Some(method) if !METHODS.contains(&method) => (
            "error_response".to_owned(),
            Err(GatewayError::invalid(
                "isv.invalid-method",
                "不存在的方法名",
            )),
        ),
        Some(method) => (
            response_key(method),
            call(&state, method, &params, now).await,
        ),
    };
    let object = answer.unwrap_or_else(|error| error.to_json());
    respond(&state, &key, &object, now).await
}

async fn call(
    state: &AppState,
    method: &str,
    params: &Params,
    now: UnixMillis,
) -> Result<Map<String, Value>, GatewayError> {
    let app = authenticate(state, params).await?;
    methods::dispatch(state, &app, method, params, now).await
}

/// The envelope, with the platform's signature over exactly the text of the inner object.
async fn respond(
    state: &AppState,
    key: &str,
    object: &Map<String, Value>,
    now: UnixMillis,
) -> Response {
    let inner = Value::Object(object.clone()).to_string();
    let body = match keys::current(&state.db, now).await {
        Ok(platform) => {
            let signature = platform.key.sign(&inner);
            format!("{{\"{key}\":{inner},\"sign\":\"{signature}\"}}")
        }
        Err(_) => format!("{{\"{key}\":{inner}}}"),
    };
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json;charset=utf-8")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_keys_replace_dots() {
        assert_eq!(
            response_key("alipay.open.servicemarket.order.query"),
            "alipay_open_servicemarket_order_query_response"
        );
    }

    #[test]
    fn params_come_from_the_query_and_the_form_body() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded;charset=utf-8"
                .parse()
                .unwrap(),
        );
        let params = read_params(
            Some("app_id=2021&sign=a%2Bb%3D&method=x"),
            &headers,
            b"biz_content=%7B%22a%22%3A1%7D&method=y",
        );
        assert_eq!(params["sign"], "a+b=");
        assert_eq!(params["biz_content"], "{\"a\":1}");
        assert_eq!(params["method"], "x");
        headers.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        let params = read_params(None, &headers, b"biz_content=1");
        assert!(params.is_empty());
    }

    #[test]
    fn timestamps_have_alipays_format() {
        assert!(is_timestamp("2026-01-01 08:00:00"));
        assert!(!is_timestamp("2026-01-01T08:00:00"));
        assert!(!is_timestamp("2026-1-1 8:00:00"));
    }
}
