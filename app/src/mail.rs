//! Outgoing email: over SMTP (lettre) when `SMTP_URL` is set, otherwise into the
//! `outbox_emails` table, which the development mailbox page (`/dev/mailbox`) shows.

use crate::clock::UnixMillis;
use crate::db::Db;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// The sender when `MAIL_FROM` is not set.
pub const DEFAULT_MAIL_FROM: &str = "Service Market <no-reply@service-market.localhost>";

/// One plain-text email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub body_text: String,
}

/// Where emails go. Cheap to clone; one per server, in `AppState`.
#[derive(Clone, Debug)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

#[derive(Clone, Debug)]
enum Transport {
    Outbox,
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("SMTP_URL must look like smtp://host:port, smtp://user:pass@host:587?tls=required or smtps://host:465")]
    SmtpUrl(#[source] lettre::transport::smtp::Error),
    #[error("{0:?} is not an email address (like Service Market <no-reply@example.com>)")]
    Address(String, #[source] lettre::address::AddressError),
    #[error("could not build the email")]
    Build(#[source] lettre::error::Error),
    #[error("could not send the email over SMTP")]
    Smtp(#[source] lettre::transport::smtp::Error),
    #[error("could not write the email to the outbox")]
    Outbox(#[source] sqlx::Error),
}

impl Mailer {
    /// Keeps every email in the `outbox_emails` table.
    pub fn outbox(from: &str) -> Result<Mailer, MailError> {
        Ok(Mailer {
            from: parse_mailbox(from)?,
            transport: Transport::Outbox,
        })
    }

    /// Sends over SMTP: `smtp://host:port` (plain, for a local relay), `?tls=required`
    /// (STARTTLS) or `smtps://` (TLS), with `user:pass@` when the relay wants a login.
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(MailError::SmtpUrl)?
            .timeout(Some(Duration::from_secs(15)))
            .build();
        Ok(Mailer {
            from: parse_mailbox(from)?,
            transport: Transport::Smtp(transport),
        })
    }

    /// SMTP when a URL is given, else the outbox.
    pub fn from_settings(smtp_url: Option<&str>, from: &str) -> Result<Mailer, MailError> {
        match smtp_url {
            Some(url) => Mailer::smtp(url, from),
            None => Mailer::outbox(from),
        }
    }

    pub fn uses_smtp(&self) -> bool {
        matches!(self.transport, Transport::Smtp(_))
    }

    /// Sends (or stores) one email.
    pub async fn send(
        &self,
        db: &Db,
        now: UnixMillis,
        email: &OutgoingEmail,
    ) -> Result<(), MailError> {
        match &self.transport {
            Transport::Outbox => {
                sqlx::query(
                    "INSERT INTO outbox_emails (to_addr, subject, body_text, created_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(&email.to)
                .bind(&email.subject)
                .bind(&email.body_text)
                .bind(now)
                .execute(db.pool())
                .await
                .map_err(MailError::Outbox)?;
                Ok(())
            }
            Transport::Smtp(transport) => {
                let message = Message::builder()
                    .from(self.from.clone())
                    .to(parse_mailbox(&email.to)?)
                    .subject(email.subject.as_str())
                    .header(ContentType::TEXT_PLAIN)
                    .body(email.body_text.clone())
                    .map_err(MailError::Build)?;
                transport.send(message).await.map_err(MailError::Smtp)?;
                Ok(())
            }
        }
    }
}

fn parse_mailbox(text: &str) -> Result<Mailbox, MailError> {
    text.parse()
        .map_err(|error| MailError::Address(text.to_owned(), error))
}

/// An email kept in the outbox.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutboxEmail {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: i64,
}

/// The newest emails in the outbox, newest first.
pub async fn outbox(db: &Db, limit: i64) -> Result<Vec<OutboxEmail>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, to_addr, subject, body_text, created_at FROM outbox_emails \
         ORDER BY created_at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_with_and_without_tls_are_understood() {
        for url in [
            "smtp://127.0.0.1:1025",
            "smtp://user:secret@mail.example.com:587?tls=required",
            "smtps://mail.example.com",
        ] {
            assert!(
                Mailer::smtp(url, DEFAULT_MAIL_FROM).unwrap().uses_smtp(),
                "{url}"
            );
        }
        assert!(matches!(
            Mailer::smtp("http://mail.example.com", DEFAULT_MAIL_FROM),
            Err(MailError::SmtpUrl(_))
        ));
        assert!(matches!(
            Mailer::smtp("not a url", DEFAULT_MAIL_FROM),
            Err(MailError::SmtpUrl(_))
        ));
    }

    #[test]
    fn the_sender_must_be_an_address() {
        assert!(!Mailer::outbox(DEFAULT_MAIL_FROM).unwrap().uses_smtp());
        assert!(Mailer::outbox("no-reply@example.com").is_ok());
        assert!(matches!(
            Mailer::from_settings(None, "nobody"),
            Err(MailError::Address(..))
        ));
    }
}
