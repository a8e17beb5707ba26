//! One pass over the helpdesk's mailbox.
//!
//! The order is what makes it safe to stop anywhere (a crash, a restart, a dropped connection):
//! 1. list the unread UIDs (`UID SEARCH UNSEEN`) and ask the database which are recorded;
//! 2. a recorded UID was imported before and only its `\Seen` flag is missing: set it, import
//!    nothing;
//! 3. otherwise fetch the message with `BODY.PEEK[]` (which leaves it unread), import it in one
//!    transaction with the record of its UID (`Services::import_mail`), and only after the
//!    commit flag it `\Seen`.
//!
//! A crash before the commit leaves nothing recorded and the message unread: it is imported
//! next time. A crash after the commit leaves it recorded and unread: step 2.

use std::collections::HashMap;
use std::fmt::Debug;
use std::time::Duration;

use async_imap::Client;
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use upravnik_core::mail::{Imported, MailboxRef};
use upravnik_core::mail_service::IntakeSettings;
use upravnik_core::service::Services;

use crate::tls::{for_server, server_name};
use crate::{MailError, Server, TlsMode};

/// A byte stream IMAP runs over: TCP, or TLS over TCP.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Debug> Io for T {}

/// A signed-in IMAP session (also used by the tests to put messages in and read them back).
pub type ImapSession = async_imap::Session<Box<dyn Io>>;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

async fn tls_wrap(s: &Server, tcp: TcpStream) -> Result<tokio_rustls::client::TlsStream<TcpStream>, MailError> {
    let connector = tokio_rustls::TlsConnector::from(for_server(s)?);
    connector.connect(server_name(&s.host)?, tcp).await.map_err(|e| MailError::Tls(format!("{}: {e}", s.host)))
}

async fn greeting<T: Io>(c: &mut Client<T>, host: &str) -> Result<(), MailError> {
    match c.read_response().await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(MailError::Imap(format!("{host} closed the connection"))),
        Err(e) => Err(MailError::Imap(format!("{host}: {e}"))),
    }
}

/// Connects, protects the connection as configured and signs in.
pub async fn connect_imap(s: &Server) -> Result<ImapSession, MailError> {
    let place = format!("{}:{}", s.host, s.port);
    let tcp = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect((s.host.as_str(), s.port)))
        .await
        .map_err(|_| MailError::Connect(place.clone(), "timed out".into()))?
        .map_err(|e| MailError::Connect(place.clone(), e.to_string()))?;
    let _ = tcp.set_nodelay(true);
    let stream: Box<dyn Io> = match s.tls {
        TlsMode::Implicit => Box::new(tls_wrap(s, tcp).await?),
        TlsMode::Starttls => {
            let mut c = Client::new(tcp);
            greeting(&mut c, &place).await?;
            c.run_command_and_check_ok("STARTTLS", None).await?;
            Box::new(tls_wrap(s, c.into_inner()).await?)
        }
        TlsMode::None => Box::new(tcp),
    };
    let mut client = Client::new(stream);
    if s.tls != TlsMode::Starttls {
        greeting(&mut client, &place).await?;
    }
    client.login(&s.user, &s.password).await.map_err(|(e, _)| MailError::Login(format!("{place} ({e})")))
}

/// What a pass may do.
#[derive(Debug, Clone, Copy)]
pub struct FetchOptions {
    /// At most this many messages per pass (the rest wait for the next one).
    pub limit: usize,
    /// Do not flag messages `\Seen` after importing them — what a crash between the commit and
    /// the flag leaves behind. Only for tests of exactly that.
    pub leave_unseen: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self { limit: 200, leave_unseen: false }
    }
}

/// What a pass did.
#[derive(Debug, Default)]
pub struct FetchReport {
    pub mailbox: String,
    pub uid_validity: i64,
    /// Unread messages found.
    pub unread: usize,
    /// Messages read and recorded in this pass, by UID.
    pub imported: Vec<(u32, Imported)>,
    /// Unread messages that were recorded before (only flagged now).
    pub already: usize,
    /// Messages that failed (left unread, tried again next pass).
    pub errors: Vec<String>,
}

async fn flag_seen(session: &mut ImapSession, uid: u32) -> Result<(), MailError> {
    session.uid_store(uid.to_string(), "+FLAGS.SILENT (\\Seen)").await?.try_collect::<Vec<_>>().await?;
    Ok(())
}

async fn fetch_one(session: &mut ImapSession, uid: u32, what: &str) -> Result<Option<async_imap::types::Fetch>, MailError> {
    let fetched: Vec<_> = session.uid_fetch(uid.to_string(), what).await?.try_collect().await?;
    Ok(fetched.into_iter().find(|f| f.uid == Some(uid)))
}

/// One pass over `folder`: every unread message becomes a report, a comment or a record of why
/// not. Messages are handled one by one, each in its own transaction.
pub async fn fetch(
    services: &Services,
    server: &Server,
    folder: &str,
    intake: &IntakeSettings,
    opts: FetchOptions,
) -> Result<FetchReport, MailError> {
    let mut session = connect_imap(server).await?;
    let result = pass(&mut session, services, server, folder, intake, opts).await;
    let _ = session.logout().await;
    result
}

async fn pass(
    session: &mut ImapSession,
    services: &Services,
    server: &Server,
    folder: &str,
    intake: &IntakeSettings,
    opts: FetchOptions,
) -> Result<FetchReport, MailError> {
    let mailbox = session.select(folder).await?;
    let uid_validity = i64::from(mailbox.uid_validity.ok_or_else(|| MailError::Imap(format!("{folder}: no UIDVALIDITY")))?);
    let at = MailboxRef { mailbox: format!("{}@{}/{folder}", server.user, server.host), uid_validity };
    let mut uids: Vec<u32> = session.uid_search("UNSEEN").await?.into_iter().collect();
    uids.sort_unstable();
    let mut report = FetchReport { mailbox: at.mailbox.clone(), uid_validity, unread: uids.len(), ..Default::default() };
    uids.truncate(opts.limit.max(1));
    let wanted: Vec<i64> = uids.iter().map(|u| i64::from(*u)).collect();
    let recorded: HashMap<i64, _> = services.mail_recorded(&at, &wanted).await?.into_iter().map(|r| (r.uid, r.outcome)).collect();
    for uid in uids {
        if let Some(outcome) = recorded.get(&i64::from(uid)) {
            // Imported before; the flag was lost (a crash or a dropped connection after the commit).
            if outcome.flag_seen() && !opts.leave_unseen {
                flag_seen(session, uid).await?;
            }
            report.already += 1;
            continue;
        }
        let size = fetch_one(session, uid, "(UID RFC822.SIZE)").await?.and_then(|f| f.size).unwrap_or(0) as usize;
        let imported = if size > intake.limits.max_message_bytes {
            services.refuse_mail(intake, &at, i64::from(uid), &format!("{size} bytes")).await
        } else {
            let Some(raw) = fetch_one(session, uid, "(UID BODY.PEEK[])").await?.and_then(|f| f.body().map(<[u8]>::to_vec)) else {
                report.errors.push(format!("UID {uid}: no body"));
                continue;
            };
            services.import_mail(intake, &at, i64::from(uid), &raw).await
        };
        match imported {
            Ok(i) => {
                if i.outcome.flag_seen() && !opts.leave_unseen {
                    flag_seen(session, uid).await?;
                }
                tracing::info!(uid, outcome = i.outcome.as_str(), number = i.number.as_deref().unwrap_or(""), "mail imported");
                report.imported.push((uid, i));
            }
            Err(e) => {
                // Left unread and unrecorded: the next pass tries again.
                tracing::warn!(uid, error = %e, "mail not imported");
                report.errors.push(format!("UID {uid}: {e}"));
            }
        }
    }
    Ok(report)
}
