//! The helpdesk's mail in the binary: settings from `[mail]`, `upravnik mail fetch|send`, and
//! the two background tasks of `serve` (mailbox every `poll_seconds`, outbox every 15 s).

use std::time::Duration;

use anyhow::{Context, bail};
use upravnik_core::mail::Limits;
use upravnik_core::mail_service::IntakeSettings;
use upravnik_core::service::Services;
use upravnik_mail::{FetchOptions, Server, SmtpSender, TlsMode};

use crate::config::MailConfig;

/// `[mail]`, checked.
#[derive(Debug, Clone)]
pub struct MailSetup {
    pub office_id: Option<i64>,
    pub imap: Option<(Server, String)>,
    pub poll: Duration,
    pub smtp: Option<(Server, String)>,
    pub limits: Limits,
}

fn tls(v: Option<&str>, default: TlsMode, key: &str) -> anyhow::Result<TlsMode> {
    Ok(match v.map(str::trim) {
        None | Some("") => default,
        Some("implicit") => TlsMode::Implicit,
        Some("starttls") => TlsMode::Starttls,
        Some("none") => TlsMode::None,
        Some(other) => bail!("mail.{key} must be implicit, starttls or none, not {other:?}"),
    })
}

impl MailSetup {
    pub fn from_config(c: Option<&MailConfig>) -> anyhow::Result<Self> {
        let d = MailConfig::default();
        let c = c.unwrap_or(&d);
        let insecure = c.accept_invalid_certs.unwrap_or(false);
        let imap = match c.imap_host.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
            Some(host) => {
                let mode = tls(c.imap_tls.as_deref(), TlsMode::Implicit, "imap_tls")?;
                let user = c.imap_user.clone().context("mail.imap_user is needed with mail.imap_host")?;
                let server = Server {
                    host: host.to_string(),
                    port: c.imap_port.unwrap_or(if mode == TlsMode::Implicit { 993 } else { 143 }),
                    tls: mode,
                    user,
                    password: c.imap_password.clone().unwrap_or_default(),
                    ca_file: c.ca_file.clone(),
                    accept_invalid_certs: insecure,
                };
                Some((server, c.imap_folder.clone().unwrap_or_else(|| "INBOX".into())))
            }
            None => None,
        };
        let smtp = match c.smtp_host.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
            Some(host) => {
                let mode = tls(c.smtp_tls.as_deref(), TlsMode::Starttls, "smtp_tls")?;
                let from = c.from.clone().context("mail.from is needed with mail.smtp_host")?;
                let server = Server {
                    host: host.to_string(),
                    port: c.smtp_port.unwrap_or(match mode {
                        TlsMode::Implicit => 465,
                        TlsMode::Starttls => 587,
                        TlsMode::None => 25,
                    }),
                    tls: mode,
                    user: c.smtp_user.clone().unwrap_or_default(),
                    password: c.smtp_password.clone().unwrap_or_default(),
                    ca_file: c.ca_file.clone(),
                    accept_invalid_certs: insecure,
                };
                // Checked now rather than at the first notice.
                SmtpSender::new(&server, &from).map_err(|e| anyhow::anyhow!("mail: {e}"))?;
                Some((server, from))
            }
            None => None,
        };
        let defaults = Limits::default();
        Ok(Self {
            office_id: c.office_id,
            imap,
            poll: Duration::from_secs(c.poll_seconds.unwrap_or(60).max(5)),
            smtp,
            limits: Limits {
                max_message_bytes: c.max_message_bytes.unwrap_or(defaults.max_message_bytes),
                max_attachment_bytes: c.max_attachment_bytes.unwrap_or(defaults.max_attachment_bytes),
                ..defaults
            },
        })
    }

    pub async fn intake(&self, s: &Services) -> anyhow::Result<IntakeSettings> {
        let office_id = match self.office_id {
            Some(id) => id,
            None => s.store.offices().await?.first().map(|o| o.id).context("no office yet: create an administrator first")?,
        };
        let mut own = Vec::new();
        if let Some((server, _)) = &self.imap
            && server.user.contains('@')
        {
            own.push(server.user.to_lowercase());
        }
        if let Some((_, from)) = &self.smtp
            && let Ok(m) = from.parse::<lettre_free::Addr>()
        {
            own.push(m.0);
        }
        Ok(IntakeSettings { office_id, own_addresses: own, limits: self.limits })
    }
}

/// Only the address of `Name <addr>` (the binary does not need lettre for this).
mod lettre_free {
    pub struct Addr(pub String);
    impl std::str::FromStr for Addr {
        type Err = ();
        fn from_str(s: &str) -> Result<Self, ()> {
            let a = match (s.rfind('<'), s.rfind('>')) {
                (Some(i), Some(j)) if i < j => &s[i + 1..j],
                _ => s,
            };
            let a = a.trim().to_lowercase();
            if a.contains('@') { Ok(Addr(a)) } else { Err(()) }
        }
    }
}

/// `upravnik mail fetch`: one pass over the mailbox.
pub async fn fetch_once(s: &Services, m: &MailSetup) -> anyhow::Result<()> {
    let Some((server, folder)) = &m.imap else { bail!("no mailbox configured: set mail.imap_host (see docs/OPERATIONS.md)") };
    let intake = m.intake(s).await?;
    let r = upravnik_mail::fetch(s, server, folder, &intake, FetchOptions::default()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{}: {} unread, {} read now, {} recorded before", r.mailbox, r.unread, r.imported.len(), r.already);
    for (uid, i) in &r.imported {
        println!("  UID {uid}: {}", upravnik_core::mail_service::describe(i));
    }
    for e in &r.errors {
        eprintln!("  {e}");
    }
    if !r.errors.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}

/// `upravnik mail send`: what is due in the outbox.
pub async fn send_once(s: &Services, m: &MailSetup, public_url: Option<&str>) -> anyhow::Result<()> {
    let Some((server, from)) = &m.smtp else { bail!("no SMTP server configured: set mail.smtp_host and mail.from") };
    let sender = SmtpSender::new(server, from).map_err(|e| anyhow::anyhow!("{e}"))?;
    let d = s.deliver_outbox(&sender, public_url, 500).await?;
    println!("outbox: {} sent, {} to retry, {} failed, {} skipped", d.sent, d.retrying, d.failed, d.skipped);
    Ok(())
}

/// The background tasks of `serve`; nothing starts for what is not configured.
pub fn spawn(s: &Services, m: &MailSetup, public_url: Option<String>) {
    if let Some((server, folder)) = m.imap.clone() {
        let (s, m) = (s.clone(), m.clone());
        tokio::spawn(async move {
            tracing::info!(host = %server.host, user = %server.user, folder = %folder, every_s = m.poll.as_secs(), "reading the helpdesk mailbox");
            let mut tick = tokio::time::interval(m.poll);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let intake = match m.intake(&s).await {
                    Ok(i) => i,
                    Err(e) => {
                        tracing::warn!(error = %e, "mailbox not read");
                        continue;
                    }
                };
                let pass = upravnik_mail::fetch(&s, &server, &folder, &intake, FetchOptions::default());
                match tokio::time::timeout(Duration::from_secs(600), pass).await {
                    Ok(Ok(r)) if !r.imported.is_empty() || !r.errors.is_empty() => {
                        tracing::info!(read = r.imported.len(), errors = r.errors.len(), "mailbox read")
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => tracing::warn!(error = %e, "mailbox not read"),
                    Err(_) => tracing::warn!("mailbox pass took over 10 minutes; stopped"),
                }
            }
        });
    }
    if let Some((server, from)) = m.smtp.clone() {
        let s = s.clone();
        tokio::spawn(async move {
            let sender = match SmtpSender::new(&server, &from) {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!(error = %e, "no notices will be sent");
                    return;
                }
            };
            tracing::info!(host = %server.host, from = %from, "sending notices from the outbox");
            let mut tick = tokio::time::interval(Duration::from_secs(15));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match s.deliver_outbox(&sender, public_url.as_deref(), 100).await {
                    Ok(d) if d.sent + d.retrying + d.failed > 0 => {
                        tracing::info!(sent = d.sent, retrying = d.retrying, failed = d.failed, "outbox")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "outbox not sent"),
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(toml_text: &str) -> anyhow::Result<MailSetup> {
        let c: MailConfig = toml::from_str(toml_text)?;
        MailSetup::from_config(Some(&c))
    }

    #[test]
    fn ports_follow_the_tls_mode_and_nothing_runs_unconfigured() {
        let m = setup("imap_host = \"mail.grad.rs\"\nimap_user = \"h\"\nsmtp_host = \"mail.grad.rs\"\nfrom = \"h@grad.rs\"\n").unwrap();
        let (imap, folder) = m.imap.unwrap();
        assert_eq!((imap.port, imap.tls, folder.as_str()), (993, TlsMode::Implicit, "INBOX"));
        assert_eq!(m.smtp.map(|(s, _)| (s.port, s.tls)), Some((587, TlsMode::Starttls)));
        let m = setup("imap_host = \"x\"\nimap_user = \"h\"\nimap_tls = \"starttls\"\npoll_seconds = 1\n").unwrap();
        assert_eq!((m.imap.map(|(s, _)| s.port), m.poll.as_secs(), m.smtp.is_none()), (Some(143), 5, true));
        let m = MailSetup::from_config(None).unwrap();
        assert!(m.imap.is_none() && m.smtp.is_none());
    }

    #[test]
    fn mistakes_are_named() {
        let e = setup("imap_host = \"x\"\nimap_user = \"h\"\nimap_tls = \"ssl\"\n").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("imap_tls"), "{e}");
        let e = setup("smtp_host = \"x\"\n").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("mail.from"), "{e}");
        let e = setup("imap_host = \"x\"\n").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("imap_user"), "{e}");
    }

    #[test]
    fn own_addresses_are_read_from_the_from_line() {
        assert_eq!("ИКТ <Help@Grad.rs>".parse::<lettre_free::Addr>().map(|a| a.0), Ok("help@grad.rs".to_string()));
        assert!("nobody".parse::<lettre_free::Addr>().is_err());
    }
}
