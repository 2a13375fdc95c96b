//! Configuration from the environment, read once at start and checked with clear messages.

use std::net::SocketAddr;

/// Where the app listens, what it serves, where its data lives, and how it logs.
#[derive(Clone, Debug)]
pub struct Config {
    pub site_addr: SocketAddr,
    pub database_url: String,
    pub site_root: String,
    pub log_format: LogFormat,
    pub production: bool,
    /// `SMTP_URL`: send email over SMTP; unset, emails go to the `outbox_emails` table.
    pub smtp_url: Option<String>,
    /// `MAIL_FROM`: the sender of every email.
    pub mail_from: String,
    /// `TRUST_PROXY`: take the client address from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// `PUBLIC_URL`: the address people reach the site at, for links in emails (approval,
    /// invitations); without it, `http://` and the listening address.
    pub public_url: String,
    /// `PLATFORM_KEY_GRACE_DAYS`: how long a rotated platform key still verifies.
    pub platform_key_grace_days: i64,
    /// `NOTIFY_TIMEOUT_SECS`: how long a notification delivery waits for the ISV's gateway.
    pub notify_timeout_secs: u64,
    /// `SANDBOX`: reviewers may move the platform clock forward (to watch the order timers).
    pub sandbox: bool,
    /// `TIMER_POLL_SECS`: how often the deadline worker looks for due deadlines.
    pub timer_poll: std::time::Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("LEPTOS_SITE_ADDR must be an address like 127.0.0.1:3000, got {0:?}")]
    SiteAddr(String),
    #[error("LOG_FORMAT must be pretty or json, got {0:?}")]
    LogFormat(String),
    #[error("LEPTOS_ENV must be DEV or PROD, got {0:?}")]
    Env(String),
    #[error("DATABASE_URL must start with sqlite: or postgres://, got {0:?}")]
    DatabaseUrl(String),
    #[error(
        "SMTP_URL must look like smtp://host:port (or smtps://…, smtp://…?tls=required), got {0:?}"
    )]
    SmtpUrl(String),
    #[error(
        "MAIL_FROM must be an address like \"Service Market <no-reply@example.com>\", got {0:?}"
    )]
    MailFrom(String),
    #[error("TRUST_PROXY must be true or false, got {0:?}")]
    TrustProxy(String),
    #[error("PUBLIC_URL must be an address like https://market.example.com, got {0:?}")]
    PublicUrl(String),
    #[error("PLATFORM_KEY_GRACE_DAYS must be a whole number of days from 0 to 3650, got {0:?}")]
    PlatformKeyGraceDays(String),
    #[error("NOTIFY_TIMEOUT_SECS must be a whole number of seconds from 1 to 120, got {0:?}")]
    NotifyTimeoutSecs(String),
    #[error("SANDBOX must be true or false, got {0:?}")]
    Sandbox(String),
    #[error("TIMER_POLL_SECS must be a whole number of seconds from 1 to 3600, got {0:?}")]
    TimerPoll(String),
}

/// How often the deadline worker looks for due deadlines unless told otherwise.
pub const DEFAULT_TIMER_POLL_SECS: u64 = 15;

/// A true/false setting: `true`/`1`/`yes` or `false`/`0`/`no` (any case), unset meaning false.
fn flag(value: Option<String>) -> Result<bool, String> {
    match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") | Some("false") | Some("0") | Some("no") => Ok(false),
        Some("true") | Some("1") | Some("yes") => Ok(true),
        Some(other) => Err(other.to_owned()),
    }
}

/// The embedded default: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:service-market.db";

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let site_addr_text = lookup("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let site_addr = site_addr_text
            .parse()
            .map_err(|_| ConfigError::SiteAddr(site_addr_text.clone()))?;
        let database_url = lookup("DATABASE_URL")
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if app::db::Backend::from_url(&database_url).is_err() {
            return Err(ConfigError::DatabaseUrl(database_url));
        }
        let site_root = lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into());
        let log_format = match lookup("LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(ConfigError::LogFormat(other.into())),
        };
        let production = match lookup("LEPTOS_ENV").as_deref().map(str::to_ascii_uppercase) {
            None => false,
            Some(env) if env == "DEV" || env == "DEVELOPMENT" => false,
            Some(env) if env == "PROD" || env == "PRODUCTION" => true,
            Some(other) => return Err(ConfigError::Env(other)),
        };
        let smtp_url = lookup("SMTP_URL").filter(|url| !url.trim().is_empty());
        let mail_from = lookup("MAIL_FROM")
            .filter(|from| !from.trim().is_empty())
            .unwrap_or_else(|| app::mail::DEFAULT_MAIL_FROM.into());
        if app::mail::Mailer::outbox(&mail_from).is_err() {
            return Err(ConfigError::MailFrom(mail_from));
        }
        if let Some(url) = &smtp_url {
            if app::mail::Mailer::smtp(url, &mail_from).is_err() {
                return Err(ConfigError::SmtpUrl(url.clone()));
            }
        }
        let trust_proxy = flag(lookup("TRUST_PROXY")).map_err(ConfigError::TrustProxy)?;
        let public_url = match lookup("PUBLIC_URL").filter(|url| !url.trim().is_empty()) {
            Some(given) => {
                let url = given.trim().trim_end_matches('/').to_owned();
                let host = url
                    .strip_prefix("https://")
                    .or_else(|| url.strip_prefix("http://"));
                if !host.is_some_and(|host| !host.is_empty() && !host.contains(char::is_whitespace))
                {
                    return Err(ConfigError::PublicUrl(given.trim().to_owned()));
                }
                url
            }
            None => default_public_url(site_addr),
        };
        let platform_key_grace_days = match lookup("PLATFORM_KEY_GRACE_DAYS") {
            None => app::open::keys::DEFAULT_GRACE_DAYS,
            Some(text) => text
                .trim()
                .parse()
                .ok()
                .filter(|days| (0..=3650).contains(days))
                .ok_or(ConfigError::PlatformKeyGraceDays(text))?,
        };
        let notify_timeout_secs = match lookup("NOTIFY_TIMEOUT_SECS") {
            None => app::open::notify::DEFAULT_TIMEOUT_SECS,
            Some(text) => text
                .trim()
                .parse()
                .ok()
                .filter(|secs| (1..=120).contains(secs))
                .ok_or(ConfigError::NotifyTimeoutSecs(text))?,
        };
        let sandbox = flag(lookup("SANDBOX")).map_err(ConfigError::Sandbox)?;
        let timer_poll = match lookup("TIMER_POLL_SECS").filter(|v| !v.trim().is_empty()) {
            None => DEFAULT_TIMER_POLL_SECS,
            Some(text) => text
                .trim()
                .parse()
                .ok()
                .filter(|secs| (1..=3600).contains(secs))
                .ok_or(ConfigError::TimerPoll(text))?,
        };
        Ok(Config {
            sandbox,
            timer_poll: std::time::Duration::from_secs(timer_poll),
            site_addr,
            database_url,
            site_root,
            log_format,
            production,
            smtp_url,
            mail_from,
            trust_proxy,
            public_url,
            platform_key_grace_days,
            notify_timeout_secs,
        })
    }
}

/// `http://` and the listening address; an unspecified address (`0.0.0.0`) reads `localhost`.
fn default_public_url(site_addr: SocketAddr) -> String {
    if site_addr.ip().is_unspecified() {
        format!("http://localhost:{}", site_addr.port())
    } else {
        format!("http://{site_addr}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn an_empty_environment_serves_sqlite_on_localhost_3000() {
        let config = config(&[]).unwrap();
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.log_format, LogFormat::Pretty);
        assert!(!config.production);
        assert_eq!(config.smtp_url, None);
        assert_eq!(config.mail_from, app::mail::DEFAULT_MAIL_FROM);
        assert!(!config.trust_proxy);
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
    }

    #[test]
    fn the_public_url_is_read_and_checked() {
        assert_eq!(
            config(&[("PUBLIC_URL", "https://market.example.com/")])
                .unwrap()
                .public_url,
            "https://market.example.com"
        );
        assert_eq!(
            config(&[("LEPTOS_SITE_ADDR", "0.0.0.0:8080")])
                .unwrap()
                .public_url,
            "http://localhost:8080"
        );
        assert_eq!(
            config_error(&[("PUBLIC_URL", "market.example.com")]),
            ConfigError::PublicUrl("market.example.com".into())
        );
        assert_eq!(
            config_error(&[("PUBLIC_URL", "https://")]),
            ConfigError::PublicUrl("https://".into())
        );
    }

    #[test]
    fn mail_and_proxy_settings_are_read_and_checked() {
        let config = config(&[
            ("SMTP_URL", "smtp://127.0.0.1:1025"),
            ("MAIL_FROM", "Market <market@example.com>"),
            ("TRUST_PROXY", "true"),
        ])
        .unwrap();
        assert_eq!(config.smtp_url.as_deref(), Some("smtp://127.0.0.1:1025"));
        assert_eq!(config.mail_from, "Market <market@example.com>");
        assert!(config.trust_proxy);
        assert_eq!(
            config_error(&[("SMTP_URL", "mail.example.com")]),
            ConfigError::SmtpUrl("mail.example.com".into())
        );
        assert_eq!(
            config_error(&[("MAIL_FROM", "nobody")]),
            ConfigError::MailFrom("nobody".into())
        );
        assert_eq!(
            config_error(&[("TRUST_PROXY", "maybe")]),
            ConfigError::TrustProxy("maybe".into())
        );
    }

    #[test]
    fn open_platform_settings_are_read_and_checked() {
        let defaults = config(&[]).unwrap();
        assert_eq!(defaults.platform_key_grace_days, 7);
        assert_eq!(defaults.notify_timeout_secs, 15);
        let given = config(&[
            ("PLATFORM_KEY_GRACE_DAYS", "30"),
            ("NOTIFY_TIMEOUT_SECS", "5"),
        ])
        .unwrap();
        assert_eq!(given.platform_key_grace_days, 30);
        assert_eq!(given.notify_timeout_secs, 5);
        assert_eq!(
            config_error(&[("NOTIFY_TIMEOUT_SECS", "0")]),
            ConfigError::NotifyTimeoutSecs("0".into())
        );
        assert_eq!(
            config_error(&[("PLATFORM_KEY_GRACE_DAYS", "-1")]),
            ConfigError::PlatformKeyGraceDays("-1".into())
        );
    }

    #[test]
    fn the_sandbox_and_the_timer_poll_interval_are_read_and_checked() {
        let defaults = config(&[]).unwrap();
        assert!(!defaults.sandbox);
        assert_eq!(defaults.timer_poll.as_secs(), DEFAULT_TIMER_POLL_SECS);
        let set = config(&[("SANDBOX", "TRUE"), ("TIMER_POLL_SECS", "2")]).unwrap();
        assert!(set.sandbox);
        assert_eq!(set.timer_poll.as_secs(), 2);
        assert_eq!(
            config_error(&[("SANDBOX", "sometimes")]),
            ConfigError::Sandbox("sometimes".into())
        );
        for bad in ["0", "-5", "soon", "3601"] {
            assert_eq!(
                config_error(&[("TIMER_POLL_SECS", bad)]),
                ConfigError::TimerPoll(bad.into())
            );
        }
    }

    fn config_error(pairs: &[(&str, &str)]) -> ConfigError {
        config(pairs).unwrap_err()
    }

    #[test]
    fn each_setting_is_read_from_its_variable() {
        let config = config(&[
            ("LEPTOS_SITE_ADDR", "0.0.0.0:8080"),
            ("DATABASE_URL", "postgres://u@h/db"),
            ("LOG_FORMAT", "json"),
            ("LEPTOS_ENV", "PROD"),
            ("LEPTOS_SITE_ROOT", "/srv/site"),
        ])
        .unwrap();
        assert_eq!(config.site_addr.to_string(), "0.0.0.0:8080");
        assert_eq!(config.database_url, "postgres://u@h/db");
        assert_eq!(config.log_format, LogFormat::Json);
        assert!(config.production);
        assert_eq!(config.site_root, "/srv/site");
    }

    #[test]
    fn bad_values_are_refused_with_the_variable_named() {
        assert_eq!(
            config(&[("LEPTOS_SITE_ADDR", "localhost")]).unwrap_err(),
            ConfigError::SiteAddr("localhost".into())
        );
        assert_eq!(
            config(&[("DATABASE_URL", "mysql://x")]).unwrap_err(),
            ConfigError::DatabaseUrl("mysql://x".into())
        );
        assert_eq!(
            config(&[("LOG_FORMAT", "xml")]).unwrap_err(),
            ConfigError::LogFormat("xml".into())
        );
        assert!(matches!(
            config(&[("LEPTOS_ENV", "staging")]),
            Err(ConfigError::Env(_))
        ));
    }
}
