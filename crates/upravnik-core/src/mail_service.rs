//! Services for the helpdesk's e-mail (R.52.1, P.5.2): a message from the mailbox becomes a
//! report or a public comment; the outbox tells reporters what happened to their reports.
//!
//! Idempotency: the IMAP adapter hands over one message at a time with its mailbox, UIDVALIDITY
//! and UID; [`Services::import_mail`] writes the record of that UID in the same transaction as
//! the report or comment, under a unique key, and only after the commit does the adapter flag
//! the message `\Seen`. A crash between the two leaves an unread message whose UID is recorded:
//! the next pass flags it and imports nothing. A copy of a message under another UID (a rebuilt
//! folder, a new UIDVALIDITY) is known by its Message-ID.

use crate::access::{Actor, Permission};
use crate::helpdesk::{Channel, NUMBER_SLOT, NewComment, NewReport, Priority, ReportCategory};
use crate::mail::{
    AttachmentMeta, Candidate, Imported, Inbound, Lang, Limits, MAX_ATTEMPTS, MAX_BODY, MailAction, MailImport, MailOutcome, MailboxRef,
    NoticeFacts, NoticeKind, OutboxRow, OutboxStatus, Outgoing, Recorded, STALE_US, Threading, clean_subject, notice, parse_message,
    reply_target, reply_text, retry_after_us, thread_keys,
};
use crate::service::Services;
use crate::worklog::{Category, Draft};
use crate::{Error, Result};

/// How the mailbox is read.
#[derive(Debug, Clone)]
pub struct IntakeSettings {
    /// The office whose helpdesk the mailbox is.
    pub office_id: i64,
    /// Upravnik's own addresses: a message from them is never a report (no loops).
    pub own_addresses: Vec<String>,
    pub limits: Limits,
}

/// Sends one message (SMTP in `upravnik-mail`; a fake in tests).
#[async_trait::async_trait]
pub trait Deliver: Send + Sync {
    /// The domain of Message-IDs (the sender address's).
    fn domain(&self) -> String;
    async fn deliver(&self, m: &Outgoing) -> std::result::Result<(), String>;
}

/// What one run of the sender did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// How long a claimed message is left to its sender before another may try it.
const LEASE_US: i64 = 5 * 60 * 1_000_000;

fn record(cfg: &IntakeSettings, at: &MailboxRef, uid: i64, m: Option<&Inbound>, outcome: MailOutcome, note: String) -> MailImport {
    MailImport {
        office_id: cfg.office_id,
        at: at.clone(),
        uid,
        message_id: m.map(|m| m.message_id.clone()).unwrap_or_default(),
        sender: m.map(|m| m.from.clone()).unwrap_or_default(),
        subject: m.map(|m| m.subject.chars().take(300).collect()).unwrap_or_default(),
        outcome,
        note,
        action: MailAction::None,
    }
}

/// The sentence naming attachments that were left out.
fn dropped_note(m: &Inbound) -> String {
    if m.dropped.is_empty() {
        return String::new();
    }
    let names: Vec<String> =
        m.dropped.iter().map(|(n, why)| format!("{n} ({})", if *why == "too_large" { "превелик" } else { "превише прилога" })).collect();
    format!("\n\n[Прилози нису сачувани: {}]", names.join(", "))
}

impl Services {
    /// The UIDs of `at` already recorded, and what became of them.
    pub async fn mail_recorded(&self, at: &MailboxRef, uids: &[i64]) -> Result<Vec<Recorded>> {
        self.store.mail_recorded(at, uids).await
    }

    /// Records a message that is not read at all (larger than the limit).
    pub async fn refuse_mail(&self, cfg: &IntakeSettings, at: &MailboxRef, uid: i64, note: &str) -> Result<Imported> {
        self.store.import_mail(&record(cfg, at, uid, None, MailOutcome::Refused, note.into()), self.now()).await
    }

    /// One message of the mailbox, in one transaction with the record of its UID.
    pub async fn import_mail(&self, cfg: &IntakeSettings, at: &MailboxRef, uid: i64, raw: &[u8]) -> Result<Imported> {
        let now = self.now();
        let Some(m) = parse_message(raw, &cfg.limits) else {
            return self.store.import_mail(&record(cfg, at, uid, None, MailOutcome::Refused, "not a message".into()), now).await;
        };
        let own = cfg.own_addresses.iter().any(|a| a.eq_ignore_ascii_case(&m.from));
        if m.automatic || own {
            return self.store.import_mail(&record(cfg, at, uid, Some(&m), MailOutcome::Automatic, String::new()), now).await;
        }
        let Some(sender) = self.store.mail_sender(cfg.office_id, &m.from).await? else {
            return self.store.import_mail(&record(cfg, at, uid, Some(&m), MailOutcome::UnknownSender, String::new()), now).await;
        };
        if !m.message_id.is_empty() && self.store.mail_message_known(cfg.office_id, &m.message_id).await? {
            return self.store.import_mail(&record(cfg, at, uid, Some(&m), MailOutcome::Duplicate, String::new()), now).await;
        }
        let candidate = self.thread_candidate(cfg.office_id, &m).await?;
        let target = reply_target(candidate, sender.person_id, sender.administrator);
        let log = |text: String| Draft {
            office_id: cfg.office_id,
            actor_user_id: sender.user_id,
            actor_name: sender.full_name.clone(),
            category: Category::Intervention,
            object: None,
            confidential: false,
            text,
        };
        let mut rec = record(cfg, at, uid, Some(&m), MailOutcome::Report, String::new());
        match target {
            Threading::Comment(report_id) => {
                let r = self.store.get_report(cfg.office_id, report_id).await?;
                let mut body = reply_text(&m.text);
                body.push_str(&dropped_note(&m));
                if body.trim().is_empty() {
                    body = if m.attachments.is_empty() { "(празна порука)".into() } else { "(прилог)".into() };
                }
                let body: String = body.trim().chars().take(MAX_BODY).collect();
                let mut draft = log(format!("Коментар на пријаву квара {} (е-пошта): {body}", r.number));
                draft.object = Some(crate::helpdesk_service::object(&r));
                rec.outcome = MailOutcome::Comment;
                rec.action = MailAction::Comment {
                    report_id,
                    comment: NewComment { body, public: true, minutes: 0 },
                    attachments: m.attachments.clone(),
                    log: draft,
                };
            }
            Threading::NewReport { follows } => {
                let mut title = clean_subject(&m.subject);
                if title.is_empty() {
                    title = "(без наслова)".into();
                }
                let mut description = m.text.clone();
                if let Some(prev) = follows {
                    let number = self.store.get_report(cfg.office_id, prev).await.map(|r| r.number).unwrap_or_default();
                    description.push_str(&format!("\n\n[Наставак затворене пријаве {number}]"));
                }
                description.push_str(&dropped_note(&m));
                let description: String = description.trim().chars().take(MAX_BODY).collect();
                let priority = Priority::Normal;
                let (response_due_us, resolution_due_us) = self.deadlines_now(cfg.office_id, priority, now).await?;
                let new = NewReport {
                    reporter_id: sender.person_id,
                    asset_id: None,
                    channel: Channel::Email,
                    title: title.clone(),
                    description: description.clone(),
                    category: ReportCategory::Other,
                    priority,
                    year: self.year(),
                    search_text: format!("{title} {description} {} {}", sender.full_name, m.from),
                    response_due_us,
                    resolution_due_us,
                };
                let text = format!(
                    "Пријава квара {NUMBER_SLOT}: „{title}“ — пријавио/ла {} ({}, {}), приоритет {}",
                    sender.full_name,
                    Channel::Email.log_name(),
                    m.from,
                    priority.log_name()
                );
                rec.action = MailAction::Report {
                    report: Box::new(new),
                    attachments: m.attachments.clone(),
                    log: log(text),
                    acknowledge_to: Some(m.from.clone()),
                };
            }
        }
        self.store.import_mail(&rec, now).await
    }

    /// The report a message answers: by its reference headers first, then by the number in
    /// its subject.
    async fn thread_candidate(&self, office_id: i64, m: &Inbound) -> Result<Option<Candidate>> {
        let keys = thread_keys(m);
        let mut id = None;
        if !keys.message_ids.is_empty() {
            id = self.store.mail_thread_report(office_id, &keys.message_ids).await?;
        }
        if id.is_none()
            && let Some(n) = &keys.number
        {
            id = self.store.report_id_by_number(office_id, n).await?;
        }
        let Some(id) = id else { return Ok(None) };
        let r = self.store.get_report(office_id, id).await?;
        Ok(Some(Candidate { report_id: r.id, reporter_id: r.reporter_id, state: r.state }))
    }

    /// Sends what is due in the outbox, at most `limit` messages. A failure is retried with a
    /// growing wait and given up after `MAX_ATTEMPTS`; a state change never waits for this.
    pub async fn deliver_outbox(&self, d: &dyn Deliver, public_url: Option<&str>, limit: usize) -> Result<Delivered> {
        let mut done = Delivered::default();
        let now = self.now();
        for row in self.store.outbox_due(now, limit as i64).await? {
            if !self.store.outbox_claim(row.id, row.attempts, now + LEASE_US).await? {
                continue; // another instance has it
            }
            let attempts = row.attempts + 1;
            let message = match self.compose(d, &row, public_url, now).await {
                Ok(Some(m)) => m,
                Ok(None) => {
                    self.store.outbox_done(row.id, OutboxStatus::Skipped, "", now, now).await?;
                    done.skipped += 1;
                    continue;
                }
                Err(e) => {
                    self.store.outbox_done(row.id, OutboxStatus::Failed, &e.to_string(), now, now).await?;
                    done.failed += 1;
                    continue;
                }
            };
            match d.deliver(&message).await {
                Ok(()) => {
                    self.store.outbox_done(row.id, OutboxStatus::Sent, "", now, self.now()).await?;
                    done.sent += 1;
                }
                Err(e) if attempts >= MAX_ATTEMPTS => {
                    self.store.outbox_done(row.id, OutboxStatus::Failed, &e, now, self.now()).await?;
                    done.failed += 1;
                }
                Err(e) => {
                    self.store.outbox_done(row.id, OutboxStatus::Pending, &e, now + retry_after_us(row.attempts), self.now()).await?;
                    done.retrying += 1;
                }
            }
        }
        Ok(done)
    }

    /// The message for a row, or `None` when there is nothing to send: the reporter made the
    /// change themselves, the notice is stale, or the report is gone.
    async fn compose(&self, d: &dyn Deliver, row: &OutboxRow, public_url: Option<&str>, now: i64) -> Result<Option<Outgoing>> {
        if now - row.created_us > STALE_US || row.recipient.trim().is_empty() {
            return Ok(None);
        }
        let Ok(r) = self.store.get_report(row.office_id, row.report_id).await else { return Ok(None) };
        if let Some(u) = row.actor_user_id
            && row.kind != NoticeKind::Received
            && self.store.account(u).await.is_ok_and(|a| a.person_id == r.reporter_id)
        {
            return Ok(None);
        }
        if row.kind == NoticeKind::State && row.from_state == row.to_state {
            return Ok(None);
        }
        let lang = Lang::from_locale(self.store.person_locale(r.reporter_id).await?.as_deref());
        let text = self.store.outbox_text(row.id).await?;
        let (by, text) = text;
        let link = public_url.map(|u| format!("{}/reports/{}", u.trim_end_matches('/'), r.id));
        let facts = NoticeFacts {
            kind: row.kind,
            number: &r.number,
            title: &r.title,
            from: row.from_state,
            to: row.to_state,
            text: &text,
            by: &by,
            link,
        };
        let (subject, body) = notice(&facts, lang);
        let message_id = if row.message_id.is_empty() {
            let id = format!("upravnik.{}.{}@{}", row.id, &crate::password::random_token()?[..12], d.domain());
            self.store.outbox_message_id(row.office_id, row.id, r.id, &id, &subject, now).await?;
            id
        } else {
            row.message_id.clone()
        };
        let first = self.store.report_first_message_id(row.office_id, r.id).await?.filter(|f| *f != message_id);
        Ok(Some(Outgoing {
            to: row.recipient.clone(),
            to_name: r.reporter_name.clone(),
            subject,
            body,
            message_id,
            in_reply_to: first.clone(),
            references: first.into_iter().collect(),
        }))
    }

    /// The newest rows of the office's outbox (administrators).
    pub async fn outbox(&self, actor: &Actor, limit: i64) -> Result<Vec<OutboxRow>> {
        actor.require(Permission::HelpdeskWrite)?;
        self.store.list_outbox(actor.office_id, limit.clamp(1, 500)).await
    }

    /// The files kept with a report, for whoever may read the report.
    pub async fn report_attachments(&self, actor: &Actor, report_id: i64) -> Result<Vec<AttachmentMeta>> {
        let r = self.report(actor, report_id).await?;
        self.store.report_attachments(actor.office_id, r.id).await
    }

    /// One file of a report, for whoever may read the report: (meta, bytes). Files come only with
    /// the reporter's own messages, which are public comments.
    pub async fn report_attachment(&self, actor: &Actor, report_id: i64, id: i64) -> Result<(AttachmentMeta, Vec<u8>)> {
        let r = self.report(actor, report_id).await?;
        self.store.report_attachment(actor.office_id, r.id, id).await.map_err(|e| match e {
            Error::NotFound { .. } => Error::NotFound { what: "attachment" },
            e => e,
        })
    }
}

/// What became of a message, in a few words (`upravnik mail fetch` prints it).
pub fn describe(i: &Imported) -> String {
    match (&i.number, i.outcome) {
        (Some(n), MailOutcome::Report) => format!("new report {n}"),
        (Some(n), MailOutcome::Comment) => format!("comment on {n}"),
        (_, o) => o.as_str().replace('_', " "),
    }
}
