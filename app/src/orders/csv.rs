//! `GET /console/workspaces/{id}/orders.csv?status=&q=`: the console's filtered order list as a
//! CSV file, for the workspace's members, with the same filter and search as the page.
//!
//! Streamed: rows are read 500 at a time by the same keyset query as the page and written as
//! they come, so a large workspace costs constant memory. RFC 4180 quoting (a field with a comma,
//! quote or line break is quoted, quotes doubled), CRLF line ends, and a UTF-8 byte order mark
//! first so that Excel opens the Chinese names correctly. A text field that starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return gets a leading `'` so a spreadsheet shows it
//! instead of running it as a formula (merchant and service names are typed by users). Labels
//! follow the caller's language (the `lang` cookie, then `Accept-Language`); times are China
//! Standard Time, as the pages show them; amounts are yuan with two decimals.

use super::data::{self, ListRow, Side};
use super::rules::OrderQuery;
use crate::auth::{client, sessions};
use crate::domain::newtypes::format_cst;
use crate::i18n::{Bilingual, Lang};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Rows read per query while streaming.
const CHUNK: i64 = 500;
const BOM: &str = "\u{feff}";

#[derive(Debug, Default, Deserialize)]
pub struct CsvQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub q: String,
}

fn plain(code: StatusCode, text: &str) -> Response {
    (
        code,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text.to_owned(),
    )
        .into_response()
}

/// The export: 401 without a session, 404 unless the caller is a member of the ISV workspace,
/// 400 with the reason for a bad filter or search.
pub async fn export(
    State(state): State<AppState>,
    Path(workspace_id): Path<i64>,
    Query(params): Query<CsvQuery>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let lang = Lang::negotiate(
        parts
            .headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok()),
        parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let caller = match client::session_token(&parts) {
        Some(token) => sessions::find(&state, &token, state.clock.now()).await,
        None => Ok(None),
    };
    let account = match caller {
        Ok(Some(caller)) => caller.account,
        Ok(None) => return plain(StatusCode::UNAUTHORIZED, "Please sign in first."),
        Err(error) => {
            let error = crate::error::AppError::internal(&error);
            return plain(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string());
        }
    };
    let viewer = match super::flows::isv_viewer(&state, &account, workspace_id).await {
        Ok(viewer) => viewer,
        Err(error) => return plain(error.status(), &error.message(lang)),
    };
    let query = match OrderQuery::parse(&params.status, &params.q, "") {
        Ok(query) => query,
        Err(errors) => {
            let text: Vec<&str> = errors.iter().map(|e| e.message.get(lang)).collect();
            return plain(StatusCode::BAD_REQUEST, &text.join(" "));
        }
    };
    let today = format_cst(state.clock.now())[..10].replace('-', "");
    let file_name = format!("orders-{workspace_id}-{today}.csv");
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        )
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(Body::from_stream(rows(state, viewer.side(), query, lang)))
        .unwrap_or_else(|_| {
            plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Could not build the file.",
            )
        })
}

/// Where the stream stands: the header is written first, then pages until one is short.
enum Step {
    Header,
    Page(OrderQuery),
    Done,
}

fn rows(
    state: AppState,
    side: Side,
    query: OrderQuery,
    lang: Lang,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::unfold(Step::Header, move |step| {
        let state = state.clone();
        let query = query.clone();
        async move {
            match step {
                Step::Header => Some((Ok(Bytes::from(header_line(lang))), Step::Page(query))),
                Step::Page(page) => match data::list(state.db.pool(), side, &page, CHUNK).await {
                    Ok(rows) => {
                        let next = match rows.last() {
                            Some(last) if rows.len() as i64 == CHUNK => Step::Page(OrderQuery {
                                after: Some(last.cursor()),
                                ..page
                            }),
                            _ => Step::Done,
                        };
                        let text: String = rows.iter().map(|row| line(row, lang)).collect();
                        Some((Ok(Bytes::from(text)), next))
                    }
                    Err(error) => {
                        let _logged = crate::error::AppError::internal(&error);
                        Some((Err(std::io::Error::other("the export failed")), Step::Done))
                    }
                },
                Step::Done => None,
            }
        }
    })
}

fn header_line(lang: Lang) -> String {
    let names: [(&str, &str); 10] = [
        ("Order number", "订单号"),
        ("Service", "服务"),
        ("Merchant", "商家"),
        ("Mini program", "小程序"),
        ("App ID", "小程序 APPID"),
        ("Amount (CNY)", "金额（元）"),
        ("Status", "订单状态"),
        ("Created (UTC+8)", "创建时间（北京时间）"),
        ("Next deadline", "下一期限"),
        ("Deadline (UTC+8)", "期限时间（北京时间）"),
    ];
    let cells: Vec<String> = names
        .iter()
        .map(|(en, zh)| cell(if lang == Lang::Zh { zh } else { en }))
        .collect();
    format!("{BOM}{}\r\n", cells.join(","))
}

fn line(row: &ListRow, lang: Lang) -> String {
    let deadline = row.deadline();
    let cells = [
        cell(row.order_no().as_str()),
        cell(&row.service_name),
        cell(&row.merchant_name),
        cell(&row.mini_program_name),
        cell(row.app_id().as_str()),
        cell(&row.amount().to_string()),
        cell(row.status().label(lang)),
        cell(&format_cst(row.created_at)),
        cell(deadline.as_ref().map_or("", |d| d.label.get(lang))),
        cell(&deadline.map_or(String::new(), |d| format_cst(d.due_at))),
    ];
    format!("{}\r\n", cells.join(","))
}

/// One CSV field: neutralised against formulas, quoted when it has to be.
pub fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(cell("Lucky Noodles"), "Lucky Noodles");
        assert_eq!(cell("Noodles, Inc."), "\"Noodles, Inc.\"");
        assert_eq!(cell("The \"best\""), "\"The \"\"best\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("点餐"), "点餐");
    }

    #[test]
    fn a_field_that_a_spreadsheet_would_run_as_a_formula_is_shown_as_text() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+86 138"), "'+86 138");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("1999.00"), "1999.00");
    }

    #[test]
    fn the_header_starts_with_the_byte_order_mark_in_the_callers_language() {
        assert!(header_line(Lang::En).starts_with("\u{feff}Order number,Service,"));
        assert!(header_line(Lang::Zh).starts_with("\u{feff}订单号,服务,"));
        assert!(header_line(Lang::En).ends_with("\r\n"));
    }
}
