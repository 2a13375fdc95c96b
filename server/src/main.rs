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
