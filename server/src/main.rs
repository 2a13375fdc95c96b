//! `service-market`: serve the app (the default), or run a one-off maintenance command.

use server::config::Config;
use std::process::ExitCode;

const USAGE: &str = "usage: service-market [serve | migrate | demo | admin EMAIL PASSWORD |
                      rotate-platform-key]

  serve    serve the app (default) at LEPTOS_SITE_ADDR on DATABASE_URL
  migrate  bring the database schema up to date and exit
  demo     fill the database with demo data and print the demo sign-ins
  admin    create a platform reviewer account with EMAIL and PASSWORD, or make the existing
           account with EMAIL a reviewer and set its password (the usual password rules apply)
  rotate-platform-key
           make a new platform RSA2 key current; the old one still verifies for
           PLATFORM_KEY_GRACE_DAYS (default 7)

Environment: see README.md (DATABASE_URL, LEPTOS_SITE_ADDR, LEPTOS_SITE_ROOT, LEPTOS_ENV,
LOG_FORMAT, RUST_LOG, SMTP_URL, MAIL_FROM, TRUST_PROXY, PUBLIC_URL, PLATFORM_KEY_GRACE_DAYS,
NOTIFY_TIMEOUT_SECS, SANDBOX, TIMER_POLL_SECS).";

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    if matches!(command.as_str(), "-h" | "--help" | "help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    // Hidden (not in the usage): the benchmark's measure of the platform's own signer.
    if command == "bench-sign" {
        return bench_sign(std::env::args().nth(2));
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("service-market: {error}");
            return ExitCode::from(2);
        }
    };
    server::telemetry::init(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("service-market: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match command.as_str() {
            "serve" => serve(config).await,
            "migrate" => migrate(config).await,
            "demo" => demo(config).await,
            "admin" => admin(config).await,
            "rotate-platform-key" => rotate_platform_key(config).await,
            other => Err(format!("unknown command {other:?}\n\n{USAGE}").into()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let mut message = error.to_string();
            let mut source = error.source();
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            eprintln!("service-market: {message}");
            ExitCode::FAILURE
        }
    }
}

type CommandResult = Result<(), Box<dyn std::error::Error>>;

async fn serve(config: Config) -> CommandResult {
    let shutdown = server::shutdown_signal();
    let state = server::build_state(&config, app::clock::Clock::system()).await?;
    // The platform key pair exists from the first start on (its public key is in the console).
    app::open::keys::current(&state.db, state.clock.now())
        .await
        .map_err(|error| format!("cannot create the platform key: {error}"))?;
    // A newcomer on an empty database learns how to load the demo and its sign-ins.
    match server::first_run_hint(&state, &config.public_url).await {
        Ok(Some(hint)) => eprintln!("\n{hint}"),
        Ok(None) => {}
        Err(error) => tracing::warn!(%error, "cannot count the accounts"),
    }
    let listener = server::bind(config.site_addr)
        .await
        .map_err(|error| format!("cannot listen on {}: {error}", config.site_addr))?;
    tracing::info!(
        address = %config.site_addr,
        database = ?state.db.backend(),
        "listening on http://{}",
        config.site_addr
    );
    let db = state.db.clone();
    // Notifications to ISV gateways are delivered by a worker beside the requests; stopping
    // it mid-delivery loses nothing (the claim expires and the attempt is made again).
    let deliverer = app::open::notify::delivery::Deliverer::new(
        std::time::Duration::from_secs(config.notify_timeout_secs),
        app::open::notify::delivery::Deliverer::instance_name(),
    );
    let notification_worker =
        tokio::spawn(app::open::notify::delivery::run(state.clone(), deliverer));
    let worker = app::timers::spawn(state.clone(), config.timer_poll);
    // The peer address feeds the per-address rate limits (see TRUST_PROXY behind a proxy).
    let app = server::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    notification_worker.abort();
    // A pass cut short leaves its claims to expire; the next start fires them.
    worker.abort();
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn migrate(config: Config) -> CommandResult {
    let db = app::db::Db::connect(&config.database_url).await?;
    db.migrate().await?;
    println!("database schema is up to date");
    db.close().await;
    Ok(())
}

async fn demo(config: Config) -> CommandResult {
    let state = server::build_state(&config, app::clock::Clock::system()).await?;
    let summary = server::demo::seed(&state)
        .await
        .map_err(|error| error.to_string())?;
    println!("{summary}");
    state.db.close().await;
    Ok(())
}

async fn admin(config: Config) -> CommandResult {
    let mut args = std::env::args().skip(2);
    let (Some(email), Some(password), None) = (args.next(), args.next(), args.next()) else {
        return Err(format!("admin needs an email and a password\n\n{USAGE}").into());
    };
    let db = app::db::Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let outcome = app::onboarding::reviewers::create_or_promote(
        &db,
        &app::clock::Clock::system(),
        &email,
        &password,
    )
    .await;
    db.close().await;
    println!("{}", outcome?);
    Ok(())
}

async fn rotate_platform_key(config: Config) -> CommandResult {
    let db = app::db::Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let clock = app::clock::Clock::system();
    let grace_ms = config.platform_key_grace_days * 24 * 60 * 60 * 1000;
    let rotated = app::open::keys::rotate(&db, clock.now(), grace_ms).await;
    db.close().await;
    let key = rotated.map_err(|error| error.to_string())?;
    println!(
        "the new platform public key (the old one verifies for {} more days):\n{}",
        config.platform_key_grace_days,
        key.key.public_key().to_base64()
    );
    Ok(())
}

/// `service-market bench-sign [N]`: signs N (default 2000) notifications with a fresh RSA-2048
/// key on this thread, through the same `sign::sign_params` the notification worker uses (the
/// order notification's content rule), and prints the rate. `end2end/scripts/bench-open.mjs`
/// runs it beside its HTTP measures.
fn bench_sign(count: Option<String>) -> ExitCode {
    use app::open::notify::content_rule;
    use app::open::sign::{self, PrivateKey};
    use app::open::NotificationKind;
    let count: u32 = match count.as_deref().map(str::parse).unwrap_or(Ok(2000)) {
        Ok(count) if count > 0 => count,
        _ => {
            eprintln!("service-market: bench-sign takes a positive number of signatures");
            return ExitCode::from(2);
        }
    };
    let key = PrivateKey::generate();
    let public = key.public_key();
    let kind = NotificationKind::OrderNotify;
    let mut payload: std::collections::BTreeMap<String, String> = [
        ("app_id", "2021004100000001"),
        ("charset", "utf-8"),
        ("notify_id", "2026112200222000000000000000000001"),
        ("notify_time", "2026-11-22 12:00:00"),
        ("notify_type", kind.code()),
        ("sign_type", "RSA2"),
        ("version", "1.0"),
        ("commodity_order_id", "20261122000000000000000001"),
        ("merchant_pid", "2088000000000000"),
        ("order_item_num", "1"),
        ("order_time", "2026-11-22 12:00:00"),
        ("total_price", "0.00"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let started = std::time::Instant::now();
    let mut signature = String::new();
    for i in 0..count {
        // A different content each time, as each notification has its own notify_id.
        payload.insert("notify_id".into(), format!("20261122002220{i:020}"));
        signature = sign::sign_params(&payload, &key, content_rule(kind));
    }
    let seconds = started.elapsed().as_secs_f64();
    payload.insert("sign".into(), signature);
    if sign::verify_notification(&payload, &public).is_none() {
        eprintln!("service-market: the last signature does not verify");
        return ExitCode::FAILURE;
    }
    println!(
        "{:.0} RSA-2048 signatures per second (Rust signer, 1 thread): {count} in {seconds:.2} s",
        f64::from(count) / seconds
    );
    ExitCode::SUCCESS
}
