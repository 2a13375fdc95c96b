//! The Orders list at scale (not a test): seeds orders over a hundred ISV workspaces, then
//! measures the list's server time (first page, status filter, order-number search, a deep
//! page) as p50 / p99 at 10 000 and at 1 000 000 orders, and requests per second of the list
//! over HTTP through the real router: of the list's server function, and of the server-rendered
//! Orders page itself (`GET /console/workspaces/{id}/orders`, plain, filtered by status, and
//! searched by order number). Prints the query plans of both engines' list queries.
//!
//! ```sh
//! cargo bench -p server --bench orders                       # SQLite, in a temporary file
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench cargo bench -p server --bench orders
//! ```
//!
//! Settings (environment): `BENCH_DATABASE_URL` (default: a new SQLite file; a PostgreSQL
//! database must exist and be empty), `BENCH_ORDERS` (1000000), `BENCH_SMALL` (10000),
//! `BENCH_ITERATIONS` per query kind (300), `BENCH_HTTP_SECS` (10), `BENCH_CONNECTIONS` (8).

use app::clock::Clock;
use app::orders::data::{self, Side};
use app::orders::flows::{self, Viewer};
use app::orders::{Cursor, OrderQuery};
use app::state::AppState;
use axum::serve::Listener;
use server::config::Config;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const WORKSPACES: i64 = 100;
const MERCHANTS: i64 = 1_000;
/// 2026-01-01T00:00:00Z.
const NOW: i64 = 1_767_225_600_000;
const YEAR_MS: i64 = 365 * 24 * 60 * 60 * 1000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const BATCH: i64 = 1_000;

fn setting(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run());
}

async fn run() {
    let total = setting("BENCH_ORDERS", 1_000_000);
    let small = setting("BENCH_SMALL", 10_000).min(total);
    let temp = std::env::temp_dir().join(format!("sm-bench-{}", std::process::id()));
    std::fs::create_dir_all(&temp).unwrap();
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite:{}", temp.join("bench.db").display()));
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(url.clone()),
        "LEPTOS_SITE_ROOT" => Some(temp.display().to_string()),
        "LEPTOS_ENV" => Some("PROD".into()),
        _ => None,
    })
    .unwrap();
    let state = server::build_state(&config, Clock::manual(NOW))
        .await
        .unwrap();
    println!("database: {:?} ({url})", state.db.backend());
    let (account_id, token) = fixtures(&state).await;

    let mut seeded = 0;
    for scale in [small, total] {
        if scale > seeded {
            let started = Instant::now();
            seed_orders(&state, seeded, scale).await;
            if state.db.backend() == app::db::Backend::Postgres {
                sqlx::query("ANALYZE")
                    .execute(state.db.pool())
                    .await
                    .unwrap();
            }
            println!(
                "\nseeded {} orders ({} new) in {:.1} s",
                scale,
                scale - seeded,
                started.elapsed().as_secs_f64()
            );
            seeded = scale;
        }
        measure(&state, account_id, scale).await;
        http(&state, &token, scale).await;
        ssr(&state, &token, scale).await;
    }
    explain(&state).await;
    state.db.close().await;
    let _ = std::fs::remove_dir_all(&temp);
}

/// A hundred active ISV workspaces with an Online service and a plan each, a thousand
/// merchants with a mini program each, and one account that is an Admin of every ISV
/// workspace, signed in; (its id, its session token).
async fn fixtures(state: &AppState) -> (i64, String) {
    let pool = state.db.pool();
    let mut tx = pool.begin().await.unwrap();
    for n in 1..=WORKSPACES {
        let (ws,): (i64,) = sqlx::query_as(
            "INSERT INTO workspaces (kind, name, status, created_at, updated_at) \
             VALUES ('isv', $1, 'active', $2, $2) RETURNING id",
        )
        .bind(format!("ISV {n}"))
        .bind(NOW - YEAR_MS)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let (service,): (i64,) = sqlx::query_as(
            "INSERT INTO services (isv_workspace_id, name, category, service_type, terminals, \
                 max_order_period_days, status, created_at, updated_at, published_at) \
             VALUES ($1, $2, 'food_beverage', 'industry_template', 'alipay', 730, 'online', \
                 $3, $3, $3) RETURNING id",
        )
        .bind(ws)
        .bind(format!("Restaurant ordering {n}"))
        .bind(NOW - YEAR_MS)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO service_plans (service_id, period_days, price_cents, created_at) \
             VALUES ($1, 365, 199900, $2)",
        )
        .bind(service)
        .bind(NOW - YEAR_MS)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    for n in 1..=MERCHANTS {
        let (ws,): (i64,) = sqlx::query_as(
            "INSERT INTO workspaces (kind, name, status, created_at, updated_at) \
             VALUES ('merchant', $1, 'active', $2, $2) RETURNING id",
        )
        .bind(format!("Merchant {n}"))
        .bind(NOW - YEAR_MS)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO mini_programs (merchant_workspace_id, name, app_id, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(ws)
        .bind(format!("Shop {n}"))
        .bind(format!("2021{n:012}"))
        .bind(NOW - YEAR_MS)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    let (account,): (i64,) = sqlx::query_as(
        "INSERT INTO accounts (email, username, password_hash, role, created_at, \
             password_changed_at) VALUES ('bench@example.com', 'bench', 'x', 'isv', $1, $1) \
         RETURNING id",
    )
    .bind(NOW)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO workspace_members (workspace_id, account_id, role, created_at) \
         SELECT id, $1, 'admin', $2 FROM workspaces WHERE kind = 'isv'",
    )
    .bind(account)
    .bind(NOW)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let client = app::auth::client::ClientInfo {
        addr: "127.0.0.1".into(),
        https: false,
        user_agent: None,
    };
    let token = app::auth::sessions::create(pool, account, NOW, &client)
        .await
        .unwrap();
    (account, token)
}

/// Pairs of ids read by `sql`.
async fn ids(state: &AppState, sql: &str) -> Vec<(i64, i64)> {
    sqlx::query_as(sql)
        .fetch_all(state.db.pool())
        .await
        .unwrap()
}

/// Status, cancel cause and timer of the i-th order: mostly finished, as a live market's are.
/// (Order i belongs to workspace i % 100, so the status follows the order's rank within it.)
fn lifecycle(
    i: i64,
) -> (
    &'static str,
    Option<&'static str>,
    Option<(&'static str, i64)>,
) {
    match (i / WORKSPACES * 37) % 100 {
        0..=39 => ("completed", None, None),
        40..=59 => ("canceled", Some("unpaid_timeout"), None),
        60..=74 => ("in_development", None, Some(("development_timeout", 30))),
        75..=79 => ("under_approval", None, Some(("approval_timeout", 7))),
        80..=87 => ("awaiting_payment", None, Some(("unpaid_timeout", 3))),
        88..=93 => ("new", None, None),
        _ => ("pending_confirmation", None, None),
    }
}

/// Orders `from..to`, in one transaction of multi-row inserts (1000 rows a statement, the same
/// statement text each time so it is prepared once), with their live deadlines.
async fn seed_orders(state: &AppState, from: i64, to: i64) {
    let services_by_ws: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT s.isv_workspace_id, s.id, p.id FROM services s \
         JOIN service_plans p ON p.service_id = s.id ORDER BY s.isv_workspace_id",
    )
    .fetch_all(state.db.pool())
    .await
    .unwrap();
    let programs = ids(
        state,
        "SELECT merchant_workspace_id, id FROM mini_programs ORDER BY id",
    )
    .await;
    let step = YEAR_MS / 1_000_000;
    let mut tx = state.db.pool().begin().await.unwrap();
    let mut start = from;
    while start < to {
        let end = (start + BATCH).min(to);
        let rows = end - start;
        let mut sql = String::from(
            "INSERT INTO orders (order_no, service_id, plan_id, isv_workspace_id, \
             merchant_workspace_id, mini_program_id, terminals, contact_name, contact_mobile, \
             period_days, amount_cents, status, cancel_cause, needs_acceptance, paid_at, \
             in_development_since, created_at, updated_at) VALUES ",
        );
        const COLUMNS: i64 = 12;
        for r in 0..rows {
            let b = r * COLUMNS;
            if r > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, 'alipay', 'Wang Fang', '13800138000', 365, \
                 199900, ${}, ${}, 0, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8,
                b + 9,
                b + 10,
                b + 11,
                b + 12,
            ));
        }
        sql.push_str(" RETURNING id, order_no");
        let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
        let mut timers = std::collections::HashMap::new();
        for i in start..end {
            let (ws, service, plan) = services_by_ws[(i % WORKSPACES) as usize];
            let (merchant, program) = programs[(i % MERCHANTS) as usize];
            let created = NOW - YEAR_MS + i * step;
            let (status, cause, timer) = lifecycle(i);
            let developing = matches!(status, "in_development" | "under_approval" | "completed");
            // A bijection on 16 digits: unique, yet not in sequence.
            let random = (i as u64).wrapping_mul(6_700_417) % 10_000_000_000_000_000;
            let order_no = app::domain::OrderNo::generate((created / 1000) as u64, random);
            if let Some((timer, days)) = timer {
                timers.insert(
                    order_no.as_str().to_owned(),
                    (timer, created + days * DAY_MS),
                );
            }
            query = query
                .bind(order_no.as_str().to_owned())
                .bind(service)
                .bind(plan)
                .bind(ws)
                .bind(merchant)
                .bind(program)
                .bind(status)
                .bind(cause)
                .bind(developing.then_some(created))
                .bind(developing.then_some(created))
                .bind(created)
                .bind(created);
        }
        let inserted = query.fetch_all(&mut *tx).await.unwrap();
        let deadlines: Vec<(i64, &str, i64)> = inserted
            .iter()
            .filter_map(|(id, no)| timers.get(no).map(|(timer, due)| (*id, *timer, *due)))
            .collect();
        for chunk in deadlines.chunks(BATCH as usize) {
            let mut sql =
                String::from("INSERT INTO deadlines (order_id, timer, due_at, created_at) VALUES ");
            for (r, _) in chunk.iter().enumerate() {
                let b = r * 4;
                if r > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4));
            }
            let mut query = sqlx::query(&sql);
            for (id, timer, due) in chunk {
                query = query.bind(*id).bind(*timer).bind(*due).bind(NOW);
            }
            query.execute(&mut *tx).await.unwrap();
        }
        start = end;
    }
    tx.commit().await.unwrap();
}

/// The kinds of list request measured.
#[derive(Clone, Copy, Debug)]
enum Kind {
    FirstPage,
    Status,
    PrefixSearch,
    ExactSearch,
    DeepPage,
}

const KINDS: [Kind; 5] = [
    Kind::FirstPage,
    Kind::Status,
    Kind::PrefixSearch,
    Kind::ExactSearch,
    Kind::DeepPage,
];

/// A workspace's query of `kind`, from one of its orders picked by `seed`.
async fn query_for(state: &AppState, kind: Kind, ws: i64, seed: i64) -> OrderQuery {
    let (order_no, created_at, id): (String, i64, i64) = sqlx::query_as(
        "SELECT order_no, created_at, id FROM orders WHERE isv_workspace_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $2",
    )
    .bind(ws)
    .bind(seed)
    .fetch_one(state.db.pool())
    .await
    .unwrap();
    let statuses = ["new", "in_development", "completed", "awaiting_payment"];
    match kind {
        Kind::FirstPage => OrderQuery::default(),
        Kind::Status => OrderQuery::parse(statuses[(seed % 4) as usize], "", "").unwrap(),
        // A 10-digit prefix: the date and two more digits (a few dozen to thousands of rows).
        Kind::PrefixSearch => OrderQuery::parse("", &order_no[..10], "").unwrap(),
        Kind::ExactSearch => OrderQuery::parse("", &order_no, "").unwrap(),
        Kind::DeepPage => OrderQuery {
            after: Some(Cursor { created_at, id }),
            ..OrderQuery::default()
        },
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

/// The list's server time (the flow: queries, buttons, stamp) by kind, as p50 / p99 in ms.
async fn measure(state: &AppState, account_id: i64, scale: i64) {
    let iterations = setting("BENCH_ITERATIONS", 300);
    let per_workspace = scale / WORKSPACES;
    println!("\n== {scale} orders ({per_workspace} per workspace): list server time, ms ==");
    println!("{:<14} {:>8} {:>8}", "kind", "p50", "p99");
    let mut all = Vec::new();
    for kind in KINDS {
        let mut times = Vec::new();
        for n in 0..iterations {
            let ws = 1 + (n * 7919) % WORKSPACES;
            let seed = (n * 104_729) % per_workspace.max(1);
            let query = query_for(state, kind, ws, seed).await;
            let viewer = Viewer::Isv {
                workspace_id: ws,
                role: app::onboarding::MemberRole::Admin,
                account_id,
            };
            let started = Instant::now();
            let page = flows::list(state, viewer, &query).await.unwrap();
            times.push(started.elapsed());
            assert!(!page.orders.is_empty() || matches!(kind, Kind::Status | Kind::DeepPage));
        }
        times.sort();
        println!(
            "{:<14} {:>8.2} {:>8.2}",
            format!("{kind:?}"),
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "{:<14} {:>8.2} {:>8.2}",
        "all",
        percentile(&all, 0.5),
        percentile(&all, 0.99)
    );
}

/// Requests per second of `POST /api/orders/list` over HTTP through the real router, from
/// `BENCH_CONNECTIONS` keep-alive connections for `BENCH_HTTP_SECS`.
async fn http(state: &AppState, token: &str, scale: i64) {
    let listener = server::bind(([127, 0, 0, 1], 0).into()).await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = server::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let seconds = setting("BENCH_HTTP_SECS", 10) as u64;
    let connections = setting("BENCH_CONNECTIONS", 8);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut clients = Vec::new();
    for c in 0..connections {
        let token = token.to_owned();
        clients.push(tokio::spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
            let mut times = Vec::new();
            let mut n = c;
            while Instant::now() < deadline {
                let ws = 1 + (n * 7919) % WORKSPACES;
                let body = if n % 2 == 0 {
                    format!("workspace_id={ws}")
                } else {
                    format!("workspace_id={ws}&status=in_development")
                };
                let started = Instant::now();
                let status = post(&mut stream, "/api/orders/list", &body, &token).await;
                assert_eq!(status, 200);
                times.push(started.elapsed());
                n += connections;
            }
            times
        }));
    }
    let mut times = Vec::new();
    for client in clients {
        times.extend(client.await.unwrap());
    }
    server.abort();
    times.sort();
    println!(
        "HTTP POST /api/orders/list at {scale}: {:.0} requests/s over {connections} connections \
         ({} requests in {seconds} s), p50 {:.2} ms, p99 {:.2} ms",
        times.len() as f64 / seconds as f64,
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
}

/// The Orders page variants `ssr` requests.
#[derive(Clone, Copy, Debug)]
enum PageKind {
    FirstPage,
    Status,
    Search,
}

/// Requests per second of the server-rendered Orders page, `GET /console/workspaces/{id}/orders`
/// as a signed-in ISV Admin through the real router (the whole streamed HTML, the list rendered
/// in it), for each `PageKind` in turn: `BENCH_CONNECTIONS` keep-alive connections for
/// `BENCH_HTTP_SECS` each. The search is a 10-digit prefix of one of the workspace's orders.
async fn ssr(state: &AppState, token: &str, scale: i64) {
    let mut prefixes = Vec::new();
    for ws in 1..=WORKSPACES {
        let (order_no,): (String,) = sqlx::query_as(
            "SELECT order_no FROM orders WHERE isv_workspace_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(ws)
        .fetch_one(state.db.pool())
        .await
        .unwrap();
        prefixes.push(order_no[..10].to_owned());
    }
    let prefixes = std::sync::Arc::new(prefixes);
    let listener = server::bind(([127, 0, 0, 1], 0).into()).await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = server::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let seconds = setting("BENCH_HTTP_SECS", 10) as u64;
    let connections = setting("BENCH_CONNECTIONS", 8);
    for kind in [PageKind::FirstPage, PageKind::Status, PageKind::Search] {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut clients = Vec::new();
        for c in 0..connections {
            let token = token.to_owned();
            let prefixes = prefixes.clone();
            clients.push(tokio::spawn(async move {
                let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
                let mut times = Vec::new();
                let mut bytes = 0;
                let mut n = c;
                while Instant::now() < deadline {
                    let ws = 1 + (n * 7919) % WORKSPACES;
                    let path = match kind {
                        PageKind::FirstPage => format!("/console/workspaces/{ws}/orders"),
                        PageKind::Status => {
                            format!("/console/workspaces/{ws}/orders?status=in_development")
                        }
                        PageKind::Search => format!(
                            "/console/workspaces/{ws}/orders?q={}",
                            prefixes[(ws - 1) as usize]
                        ),
                    };
                    let started = Instant::now();
                    let (status, body) = get(&mut stream, &path, &token).await;
                    times.push(started.elapsed());
                    assert_eq!(status, 200, "{path}");
                    // The list itself is in the page, not only the loading fallback.
                    assert!(
                        body.windows(12).any(|w| w == b"orders-table"),
                        "{path}: no orders table in the page"
                    );
                    bytes += body.len();
                    n += connections;
                }
                (times, bytes)
            }));
        }
        let mut times = Vec::new();
        let mut bytes = 0;
        for client in clients {
            let (client_times, client_bytes) = client.await.unwrap();
            times.extend(client_times);
            bytes += client_bytes;
        }
        times.sort();
        println!(
            "SSR GET Orders page ({kind:?}) at {scale}: {:.0} requests/s over {connections} \
             connections ({} requests in {seconds} s, {} bytes each), p50 {:.2} ms, p99 {:.2} ms",
            times.len() as f64 / seconds as f64,
            times.len(),
            bytes / times.len().max(1),
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }
    server.abort();
}

/// One keep-alive HTTP/1.1 GET of a page; the status code and the body. Pages stream, so the
/// body comes chunked (or with a `Content-Length`).
async fn get(stream: &mut tokio::net::TcpStream, path: &str, token: &str) -> (u16, Vec<u8>) {
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\
         Cookie: sm_session={token}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut buffer = Vec::with_capacity(64 * 1024);
    let header_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        fill(stream, &mut buffer).await;
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
    let status: u16 = head[9..12].parse().unwrap();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map(|value| value.trim().parse::<usize>().unwrap());
    let mut body = Vec::new();
    if let Some(length) = length {
        while buffer.len() < header_end + length {
            fill(stream, &mut buffer).await;
        }
        body.extend_from_slice(&buffer[header_end..header_end + length]);
        return (status, body);
    }
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    let mut at = header_end;
    loop {
        let line_end = loop {
            if let Some(end) = buffer[at..].windows(2).position(|w| w == b"\r\n") {
                break at + end;
            }
            fill(stream, &mut buffer).await;
        };
        let size_text = String::from_utf8_lossy(&buffer[at..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        // The chunk, then its CRLF (after the last, empty chunk: the CRLF that ends the message).
        while buffer.len() < line_end + 2 + size + 2 {
            fill(stream, &mut buffer).await;
        }
        body.extend_from_slice(&buffer[line_end + 2..line_end + 2 + size]);
        at = line_end + 2 + size + 2;
        if size == 0 {
            return (status, body);
        }
    }
}

/// Reads what the connection has into `buffer`.
async fn fill(stream: &mut tokio::net::TcpStream, buffer: &mut Vec<u8>) {
    let mut chunk = [0_u8; 16 * 1024];
    let read = stream.read(&mut chunk).await.unwrap();
    assert!(read > 0, "connection closed");
    buffer.extend_from_slice(&chunk[..read]);
}

/// One keep-alive HTTP/1.1 POST; the status code. The router answers server functions with a
/// `Content-Length` (the request asks for no compression).
async fn post(stream: &mut tokio::net::TcpStream, path: &str, body: &str, token: &str) -> u16 {
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nCookie: sm_session={token}\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut buffer = Vec::with_capacity(16 * 1024);
    let mut chunk = [0_u8; 16 * 1024];
    let header_end = loop {
        let read = stream.read(&mut chunk).await.unwrap();
        assert!(read > 0, "connection closed");
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
    let status: u16 = head[9..12].parse().unwrap();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map(|value| value.trim().parse().unwrap())
        .expect("a Content-Length");
    while buffer.len() < header_end + length {
        let read = stream.read(&mut chunk).await.unwrap();
        assert!(read > 0, "connection closed");
        buffer.extend_from_slice(&chunk[..read]);
    }
    status
}

/// The plans of the list queries, with literal values (both engines plan them as the bound ones).
async fn explain(state: &AppState) {
    let (order_no,): (String,) =
        sqlx::query_as("SELECT order_no FROM orders WHERE isv_workspace_id = 1 LIMIT 1")
            .fetch_one(state.db.pool())
            .await
            .unwrap();
    let cases = [
        ("first page", OrderQuery::default()),
        (
            "status",
            OrderQuery::parse("in_development", "", "").unwrap(),
        ),
        (
            "prefix",
            OrderQuery::parse("", &order_no[..10], "").unwrap(),
        ),
        ("exact", OrderQuery::parse("", &order_no, "").unwrap()),
        (
            "deep page",
            OrderQuery::parse("", "", &format!("{}-1", NOW - YEAR_MS / 2)).unwrap(),
        ),
    ];
    let sqlite = state.db.backend() == app::db::Backend::Sqlite;
    for (name, query) in cases {
        let sql = inline(&data::list_sql(Side::Isv(1), &query), &query);
        let prefix = if sqlite {
            "EXPLAIN QUERY PLAN "
        } else {
            "EXPLAIN "
        };
        let plan: Vec<String> = if sqlite {
            let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!("{prefix}{sql}"))
                .fetch_all(state.db.pool())
                .await
                .unwrap();
            rows.into_iter().map(|row| row.3).collect()
        } else {
            let rows: Vec<(String,)> = sqlx::query_as(&format!("{prefix}{sql}"))
                .fetch_all(state.db.pool())
                .await
                .unwrap();
            rows.into_iter().map(|row| row.0).collect()
        };
        println!("\nplan, {name}:");
        for line in plan {
            println!("  {line}");
        }
    }
}

/// The list SQL with its placeholders replaced by the literal values `data::list` binds.
fn inline(sql: &str, query: &OrderQuery) -> String {
    let mut values = vec!["1".to_owned()];
    if let Some(status) = query.status {
        values.push(format!("'{status}'"));
    }
    if let Some(range) = query.search() {
        values.push(format!("'{}'", range.low));
        values.push(format!("'{}'", range.high));
    }
    if let Some(after) = query.after {
        values.push(after.created_at.to_string());
        values.push(after.id.to_string());
    }
    values.push("21".into());
    let mut sql = sql.to_owned();
    for (n, value) in values.iter().enumerate().rev() {
        sql = sql.replace(&format!("${}", n + 1), value);
    }
    sql
}
