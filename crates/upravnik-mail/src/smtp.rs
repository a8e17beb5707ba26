//! Delivery of the outbox over SMTP (lettre, rustls).

use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncTransport, Tokio1Executor};
use upravnik_core::mail::Outgoing;
use upravnik_core::mail_service::Deliver;

use crate::{MailError, Server, TlsMode};

/// `Auto-Submitted: auto-generated` (RFC 3834): out-of-office responders do not answer it.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// Sends the outbox's messages through one SMTP server.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    domain: String,
}

impl SmtpSender {
    /// `from`: the address notices come from (`ИКТ служба <helpdesk@grad.rs>`), which should be
    /// the mailbox Upravnik reads, so that replies come back to it.
    pub fn new(s: &Server, from: &str) -> Result<Self, MailError> {
        let from: Mailbox = from.parse().map_err(|e| MailError::Smtp(format!("from address {from:?}: {e}")))?;
        let domain = from.email.domain().to_string();
        let tls = if s.tls == TlsMode::None {
            Tls::None
        } else {
            let mut b = TlsParameters::builder(s.host.clone()).dangerous_accept_invalid_certs(s.accept_invalid_certs);
            if let Some(path) = &s.ca_file {
                let pem = std::fs::read(path).map_err(|e| MailError::Tls(format!("{}: {e}", path.display())))?;
                b = b.add_root_certificate(Certificate::from_pem(&pem).map_err(|e| MailError::Tls(format!("{}: {e}", path.display())))?);
            }
            let p = b.build_rustls().map_err(|e| MailError::Tls(e.to_string()))?;
            if s.tls == TlsMode::Implicit { Tls::Wrapper(p) } else { Tls::Required(p) }
        };
        let mut t = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone())
            .port(s.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(60)))
            .hello_name(ClientId::Domain(domain.clone()));
        if !s.user.is_empty() {
            t = t.credentials(Credentials::new(s.user.clone(), s.password.clone()));
        }
        Ok(Self { transport: t.build(), from, domain })
    }

    fn message(&self, m: &Outgoing) -> Result<Message, String> {
        let to = Mailbox::new(
            Some(m.to_name.clone()).filter(|n| !n.is_empty()),
            m.to.parse().map_err(|e| format!("recipient {:?}: {e}", m.to))?,
        );
        let mut b = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(format!("<{}>", m.message_id)))
            .header(AutoSubmitted)
            .header(ContentType::TEXT_PLAIN);
        if let Some(r) = &m.in_reply_to {
            b = b.in_reply_to(format!("<{r}>"));
        }
        if !m.references.is_empty() {
            b = b.references(m.references.iter().map(|r| format!("<{r}>")).collect::<Vec<_>>().join(" "));
        }
        b.body(m.body.clone()).map_err(|e| e.to_string())
    }
}

#[async_trait::async_trait]
impl Deliver for SmtpSender {
    fn domain(&self) -> String {
        self.domain.clone()
    }

    async fn deliver(&self, m: &Outgoing) -> Result<(), String> {
        let msg = self.message(m)?;
        self.transport.send(msg).await.map(|_| ()).map_err(|e| e.to_string())
    }
}
