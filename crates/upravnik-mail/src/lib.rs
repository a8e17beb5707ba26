//! The helpdesk's mail adapter: reads the mailbox over IMAP ([`fetch`]) and delivers the outbox
//! over SMTP ([`SmtpSender`]). TLS is rustls (ring) with the system's roots plus an optional CA
//! file; nothing here decides what a message means — that is `upravnik_core::mail_service`.
//!
//! Passwords are never logged: the settings' `Debug` leaves them out.

mod imap;
mod smtp;
pub mod tls;

pub use imap::{FetchOptions, FetchReport, ImapSession, connect_imap, fetch};
pub use smtp::SmtpSender;

use std::path::PathBuf;

/// How a connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// TLS from the first byte (IMAPS 993, SMTPS 465).
    Implicit,
    /// Plain connection upgraded with STARTTLS before logging in (IMAP 143, submission 587).
    Starttls,
    /// No TLS at all: only for a server on the same machine.
    None,
}

/// Where a server is and how to trust it.
#[derive(Clone)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub user: String,
    pub password: String,
    /// A PEM file of CA certificates trusted besides the system's (an internal CA, a test CA).
    pub ca_file: Option<PathBuf>,
    /// Accept any certificate (a self-signed one in a test). Never in production.
    pub accept_invalid_certs: bool,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("password", &"***")
            .field("ca_file", &self.ca_file)
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .finish()
    }
}

/// A mail error: what failed, never with a password in it.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("cannot connect to {0}: {1}")]
    Connect(String, String),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("IMAP: {0}")]
    Imap(String),
    #[error("sign-in refused by {0}")]
    Login(String),
    #[error("SMTP: {0}")]
    Smtp(String),
    #[error(transparent)]
    Core(#[from] upravnik_core::Error),
}

impl From<async_imap::error::Error> for MailError {
    fn from(e: async_imap::error::Error) -> Self {
        MailError::Imap(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_debug_output() {
        let s = Server {
            host: "mail.grad.rs".into(),
            port: 993,
            tls: TlsMode::Implicit,
            user: "helpdesk".into(),
            password: "tajna-lozinka".into(),
            ca_file: None,
            accept_invalid_certs: false,
        };
        let d = format!("{s:?}");
        assert!(d.contains("mail.grad.rs") && !d.contains("tajna"), "{d}");
    }
}
