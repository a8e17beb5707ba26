//! E-mail for the helpdesk (R.52.1, P.5.2: faults are reported by e-mail too), the pure part:
//! reading an incoming message ([`parse_message`]), the threading rules ([`thread_keys`],
//! [`subject_number`], [`reply_target`]) and the text of the notifications the reporter gets
//! ([`notice`]). The IMAP and SMTP adapters live in `upravnik-mail`; the services in
//! `mail_service.rs`; nothing here does I/O.

use crate::clock::Micros;
use crate::helpdesk::{NewComment, NewReport, ReportState};
use crate::worklog::Draft;
use mail_parser::{MessageParser, MimeHeaders};

/// What one message may bring in. Larger attachments are left out (and named in the text).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest message fetched at all (RFC822.SIZE); larger ones are recorded as refused.
    pub max_message_bytes: usize,
    pub max_attachment_bytes: usize,
    pub max_attachments: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // The service-sheet scan allows 10 MB (`report_forms::MAX_SCAN`); a message may carry a few.
        Self { max_message_bytes: 30 << 20, max_attachment_bytes: 10 << 20, max_attachments: 10 }
    }
}

/// The longest title and text a report takes (`helpdesk::ReportInput::validate`).
pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 8000;

/// A file that came with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// An incoming message as the helpdesk reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inbound {
    /// Without angle brackets; empty when the message has none.
    pub message_id: String,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    /// The sender's address, lower case.
    pub from: String,
    pub from_name: String,
    pub subject: String,
    /// Plain text (HTML turned into text), at most [`MAX_BODY`] characters.
    pub text: String,
    pub attachments: Vec<Attachment>,
    /// Attachments left out: (name, why).
    pub dropped: Vec<(String, &'static str)>,
    /// An out-of-office reply, a bounce or a list message: never a report (RFC 3834), so that
    /// two robots cannot write to each other for ever.
    pub automatic: bool,
}

fn clean_id(s: &str) -> String {
    s.trim().trim_start_matches('<').trim_end_matches('>').trim().to_string()
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_string() } else { s.chars().take(max.saturating_sub(1)).chain(['…']).collect() }
}

/// Reads a raw RFC 5322 message. `None` when it is not a message at all.
pub fn parse_message(raw: &[u8], limits: &Limits) -> Option<Inbound> {
    let m = MessageParser::default().parse(raw)?;
    let list = |v: &mail_parser::HeaderValue| -> Vec<String> {
        v.as_text_list().map(|l| l.iter().map(|s| clean_id(s)).filter(|s| !s.is_empty()).collect()).unwrap_or_default()
    };
    let (from, from_name) = m
        .from()
        .and_then(|a| a.first())
        .map(|a| (a.address().unwrap_or("").trim().to_lowercase(), a.name().unwrap_or("").trim().to_string()))
        .unwrap_or_default();
    let header = |name: &str| m.header_raw(name).map(|v| v.trim().to_ascii_lowercase()).unwrap_or_default();
    let auto = header("Auto-Submitted");
    let precedence = header("Precedence");
    let automatic = (!auto.is_empty() && !auto.starts_with("no"))
        || matches!(precedence.as_str(), "bulk" | "junk" | "list")
        || !header("List-Id").is_empty()
        || from.starts_with("mailer-daemon@")
        || from.starts_with("postmaster@")
        || from.is_empty();
    let text = m.body_text(0).map(|t| t.replace("\r\n", "\n")).unwrap_or_default();
    let mut attachments = Vec::new();
    let mut dropped = Vec::new();
    for (i, part) in m.attachments().enumerate() {
        let name = part
            .attachment_name()
            .map(|n| cut(n.trim().replace(['/', '\\', '\0'], "_").as_str(), 200))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("prilog-{}", i + 1));
        let content_type = part
            .content_type()
            .map(|c| match c.subtype() {
                Some(s) => format!("{}/{}", c.ctype(), s),
                None => c.ctype().to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".into())
            .to_ascii_lowercase();
        let bytes = part.contents();
        if bytes.len() > limits.max_attachment_bytes {
            dropped.push((name, "too_large"));
        } else if attachments.len() >= limits.max_attachments {
            dropped.push((name, "too_many"));
        } else {
            attachments.push(Attachment { name, content_type, bytes: bytes.to_vec() });
        }
    }
    Some(Inbound {
        message_id: m.message_id().map(clean_id).unwrap_or_default(),
        in_reply_to: list(m.in_reply_to()),
        references: list(m.references()),
        from,
        from_name: cut(&from_name, 200),
        subject: m.subject().unwrap_or("").trim().to_string(),
        text: cut(text.trim(), MAX_BODY),
        attachments,
        dropped,
        automatic,
    })
}

/// A report number in a subject: `П-2026-000123`, `P-2026-123` (Latin), `Р-2026-…` (the
/// Cyrillic letter that looks Latin), any case, with or without brackets. Returns the number as
/// the helpdesk writes it (`helpdesk::format_number`).
pub fn subject_number(subject: &str) -> Option<String> {
    let chars: Vec<char> = subject.chars().collect();
    for i in 0..chars.len() {
        if !matches!(chars[i], 'П' | 'п' | 'P' | 'p' | 'Р' | 'р') {
            continue;
        }
        // A letter inside a word is not a number's start ("SHOP-2026-1").
        if i > 0 && chars[i - 1].is_alphanumeric() {
            continue;
        }
        let rest = &chars[i + 1..];
        if rest.first() != Some(&'-') {
            continue;
        }
        let year: String = rest.iter().skip(1).take_while(|c| c.is_ascii_digit()).collect();
        if year.len() != 4 || rest.get(1 + 4) != Some(&'-') {
            continue;
        }
        let seq: String = rest.iter().skip(6).take_while(|c| c.is_ascii_digit()).collect();
        let after = rest.get(6 + seq.len());
        if seq.is_empty() || seq.len() > 9 || after.is_some_and(|c| c.is_alphanumeric()) {
            continue;
        }
        let (Ok(y), Ok(n)) = (year.parse::<i16>(), seq.parse::<i64>()) else { continue };
        // A year written with leading zeros ("P-0079-…") would not come back as itself: report
        // numbers have four-digit years (found by fuzzing).
        if n == 0 || y < 1000 {
            continue;
        }
        return Some(crate::helpdesk::format_number(y, n));
    }
    None
}

/// The subject without reply and forward prefixes ("Re:", "Fwd:", "Odg:", "Одг:", "AW:" …)
/// and without a report number in brackets: the title of a new report.
pub fn clean_subject(subject: &str) -> String {
    let mut s = subject.trim();
    loop {
        let lower = s.to_lowercase();
        let prefix = ["re:", "fw:", "fwd:", "odg:", "одг:", "aw:", "wg:", "tr:", "sv:", "отг:", "re :", "fwd :"]
            .iter()
            .find(|p| lower.starts_with(*p))
            .map(|p| p.chars().count());
        match prefix {
            Some(n) => {
                let cut_at = s.char_indices().nth(n).map(|(i, _)| i).unwrap_or(s.len());
                s = s[cut_at..].trim_start();
            }
            None => break,
        }
    }
    let mut out = s.to_string();
    if let (Some(a), Some(b)) = (out.find('['), out.find(']'))
        && a < b
        && subject_number(&out[a..=b]).is_some()
    {
        out.replace_range(a..=b, "");
    }
    cut(out.split_whitespace().collect::<Vec<_>>().join(" ").as_str(), MAX_TITLE)
}

/// The new text of a reply: the quoted earlier message (lines starting with `>`, and what
/// follows "On … wrote:" / "… је написао/ла:" / "-----Original Message-----") left out.
pub fn reply_text(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        let lower = t.to_lowercase();
        if lower.starts_with("-----original message")
            || lower.starts_with("-----оригинална порука")
            || lower.starts_with("-----izvorna poruka")
            || (lower.ends_with("wrote:")
                || lower.ends_with("написао/ла:")
                || lower.ends_with("napisao/la:")
                || lower.ends_with("је написао:"))
                && (lower.starts_with("on ") || lower.contains('@') || lower.contains(','))
        {
            break;
        }
        if t.starts_with('>') {
            continue;
        }
        out.push(line);
    }
    let joined = out.join("\n");
    let trimmed = joined.trim();
    if trimmed.is_empty() { text.trim().to_string() } else { trimmed.to_string() }
}

/// Where a message may belong, most certain first: the Message-IDs it answers (In-Reply-To,
/// then References from the newest), then a report number in the subject.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThreadKeys {
    pub message_ids: Vec<String>,
    pub number: Option<String>,
}

pub fn thread_keys(m: &Inbound) -> ThreadKeys {
    let mut ids: Vec<String> = Vec::new();
    for id in m.in_reply_to.iter().chain(m.references.iter().rev()) {
        if !id.is_empty() && !ids.contains(id) && ids.len() < 50 {
            ids.push(id.clone());
        }
    }
    ThreadKeys { message_ids: ids, number: subject_number(&m.subject) }
}

/// A report a message points at, as the threading rule needs to see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub report_id: i64,
    pub reporter_id: i64,
    pub state: ReportState,
}

/// What becomes of a message from `sender` (a person of the office; `sender_is_staff`: an
/// administrator) that points at `candidate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threading {
    /// A public comment on this report.
    Comment(i64),
    /// A new report; `follows` is the closed report it continues.
    NewReport { follows: Option<i64> },
}

/// The rule: a reply becomes a comment on the report it answers when the sender is the
/// reporter (or an administrator) and the report is not closed. A reply to a closed report
/// opens a new one that names it (the reporter cannot comment on a closed report on the web
/// either). A message that names somebody else's report is a new report — a number in a
/// subject is no proof of who may write to it.
pub fn reply_target(candidate: Option<Candidate>, sender_person_id: i64, sender_is_staff: bool) -> Threading {
    match candidate {
        Some(c) if c.reporter_id == sender_person_id || sender_is_staff => {
            if c.state == ReportState::Closed {
                Threading::NewReport { follows: Some(c.report_id) }
            } else {
                Threading::Comment(c.report_id)
            }
        }
        _ => Threading::NewReport { follows: None },
    }
}

// --- what the store writes ---------------------------------------------------------------------

crate::asset::string_enum!(
    /// What became of one message of the mailbox.
    MailOutcome {
        Report = "report",
        Comment = "comment",
        /// The same Message-ID was imported before (another copy, or the folder was rebuilt).
        Duplicate = "duplicate",
        /// No active person of the office has the sender's address: no report; the message
        /// stays unread in the mailbox for a person to answer.
        UnknownSender = "unknown_sender",
        /// An automatic message (out of office, bounce, list): left alone.
        Automatic = "automatic",
        /// Not a message, or larger than `Limits::max_message_bytes`.
        Refused = "refused",
    }
);

impl MailOutcome {
    /// Whether the message is flagged `\Seen` once recorded. Unknown senders are left unread,
    /// so a person reading the mailbox sees them.
    pub fn flag_seen(self) -> bool {
        self != MailOutcome::UnknownSender
    }
}

/// Where a message was read: the IMAP mailbox and its UIDVALIDITY, and the message's UID.
/// `(mailbox, uid_validity, uid)` is unique in `mail_imports`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxRef {
    /// `user@host/folder`.
    pub mailbox: String,
    pub uid_validity: i64,
}

/// What one import writes, in one transaction: the record of the message (whose unique key
/// makes a second import of it fail and roll everything back), and the report or comment with
/// its attachments, thread ids, acknowledgement and work-log entry.
#[derive(Debug, Clone)]
pub struct MailImport {
    pub office_id: i64,
    pub at: MailboxRef,
    pub uid: i64,
    pub message_id: String,
    pub sender: String,
    pub subject: String,
    pub outcome: MailOutcome,
    pub note: String,
    pub action: MailAction,
}

#[derive(Debug, Clone)]
pub enum MailAction {
    /// Only the record.
    None,
    Report {
        report: Box<NewReport>,
        attachments: Vec<Attachment>,
        log: Draft,
        acknowledge_to: Option<String>,
    },
    Comment {
        report_id: i64,
        comment: NewComment,
        attachments: Vec<Attachment>,
        log: Draft,
    },
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub outcome: MailOutcome,
    pub report_id: Option<i64>,
    pub number: Option<String>,
    pub comment_id: Option<i64>,
}

/// A message already recorded for a UID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub uid: i64,
    pub outcome: MailOutcome,
}

/// The person a sender's address belongs to.
#[derive(Debug, Clone)]
pub struct SenderPerson {
    pub person_id: i64,
    pub full_name: String,
    /// Their account, if they have one: the work log names it.
    pub user_id: Option<i64>,
    pub administrator: bool,
}

/// A file kept with a report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AttachmentMeta {
    pub id: i64,
    pub report_id: i64,
    pub comment_id: Option<i64>,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub created_us: Micros,
}

// --- the outbox ----------------------------------------------------------------------------------

crate::asset::string_enum!(
    /// Why the reporter is written to.
    NoticeKind {
        /// The report was made from their e-mail: its number, so that replies thread.
        Received = "received",
        /// A step of the report (accepted, resolved, …).
        State = "state",
        /// An administrator's public comment.
        Comment = "comment",
    }
);

crate::asset::string_enum!(
    /// Where a message of the outbox stands.
    OutboxStatus {
        Pending = "pending",
        Sent = "sent",
        /// Given up after [`MAX_ATTEMPTS`]; the last error is kept.
        Failed = "failed",
        /// Nothing to send (the reporter did it themselves, has no address, or it is stale).
        Skipped = "skipped",
    }
);

/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i64 = 8;
/// Notices older than this are not sent any more (e.g. when mail was configured later).
pub const STALE_US: Micros = 3 * 24 * 3600 * 1_000_000;

/// The wait before attempt `attempts + 1`: 1, 2, 4 … 60 minutes.
pub fn retry_after_us(attempts: i64) -> Micros {
    let minutes = 1i64 << attempts.clamp(0, 6);
    minutes.min(60) * 60 * 1_000_000
}

/// One row of the outbox.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OutboxRow {
    pub id: i64,
    pub office_id: i64,
    pub report_id: i64,
    pub kind: NoticeKind,
    pub recipient: String,
    pub from_state: Option<ReportState>,
    pub to_state: Option<ReportState>,
    pub comment_id: Option<i64>,
    /// Who made the change (an account), to leave out what the reporter did themselves.
    pub actor_user_id: Option<i64>,
    pub subject: String,
    pub message_id: String,
    pub status: OutboxStatus,
    pub attempts: i64,
    pub next_attempt_us: Micros,
    pub last_error: String,
    pub created_us: Micros,
    pub sent_us: Option<Micros>,
}

/// A message ready for SMTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    /// Without angle brackets.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
}

/// The language of a notice: the reporter's own when they have an account, else Cyrillic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Cyrillic,
    Latin,
    English,
}

impl Lang {
    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some("sr-Latn") => Lang::Latin,
            Some("en") => Lang::English,
            _ => Lang::Cyrillic,
        }
    }
}

fn state_name(s: ReportState, lang: Lang) -> String {
    match lang {
        Lang::English => match s {
            ReportState::New => "new",
            ReportState::Accepted => "accepted",
            ReportState::OnSite => "being fixed at your desk",
            ReportState::InIctOffice => "in the ICT office",
            ReportState::AtService => "at an authorised service",
            ReportState::Resolved => "resolved",
            ReportState::Closed => "closed",
        }
        .to_string(),
        _ => s.log_name().to_string(),
    }
}

/// What a notice says.
pub struct NoticeFacts<'a> {
    pub kind: NoticeKind,
    pub number: &'a str,
    pub title: &'a str,
    pub from: Option<ReportState>,
    pub to: Option<ReportState>,
    /// The comment, or the note of the step.
    pub text: &'a str,
    /// Who did it.
    pub by: &'a str,
    /// The report's page, when the public address is known.
    pub link: Option<String>,
}

/// Subject and body of a notice. The subject always carries the number in brackets, so a reply
/// threads even from a client that drops the reference headers.
pub fn notice(f: &NoticeFacts, lang: Lang) -> (String, String) {
    let (subject, mut body) = match (f.kind, lang) {
        (NoticeKind::Received, Lang::English) => (
            format!("[{}] Report received: {}", f.number, f.title),
            format!("Your fault report was received under number {}.\nReply to this message to add to it.", f.number),
        ),
        (NoticeKind::Received, _) => (
            format!("[{}] Пријава примљена: {}", f.number, f.title),
            format!(
                "Поштовани,\n\nВаша пријава квара је примљена под бројем {}.\nОдговорите на ову поруку ако желите нешто да додате.",
                f.number
            ),
        ),
        (NoticeKind::State, Lang::English) => {
            let to = f.to.map(|s| state_name(s, lang)).unwrap_or_default();
            (format!("[{}] Report {to}: {}", f.number, f.title), format!("Your fault report {} is now: {to} ({}).", f.number, f.by))
        }
        (NoticeKind::State, _) => {
            let to = f.to.map(|s| state_name(s, lang)).unwrap_or_default();
            let reopened = matches!((f.from, f.to), (Some(ReportState::Resolved | ReportState::Closed), Some(ReportState::Accepted)));
            let what = if reopened { "поново отворена".to_string() } else { format!("промењено стање: {to}") };
            (
                format!("[{}] Пријава: {what} — {}", f.number, f.title),
                format!("Поштовани,\n\nВаша пријава квара {} („{}“): {what}.\nПроменио/ла: {}.", f.number, f.title, f.by),
            )
        }
        (NoticeKind::Comment, Lang::English) => {
            (format!("[{}] New comment: {}", f.number, f.title), format!("{} wrote on your fault report {}:", f.by, f.number))
        }
        (NoticeKind::Comment, _) => (
            format!("[{}] Нови коментар: {}", f.number, f.title),
            format!("Поштовани,\n\n{} је написао/ла на Вашу пријаву квара {}:", f.by, f.number),
        ),
    };
    if !f.text.trim().is_empty() {
        body.push_str("\n\n");
        body.push_str(f.text.trim());
    }
    if let Some(link) = &f.link {
        body.push_str(&format!("\n\n{link}"));
    }
    body.push_str(match lang {
        Lang::English => "\n\n-- \nICT service (Upravnik). Reply to this message to add a comment.\n",
        _ => "\n\n-- \nИКТ служба (Управник). Одговорите на ову поруку да додате коментар.\n",
    });
    let subject = cut(&subject, 250);
    match lang {
        Lang::Latin => (crate::text::cyr_to_lat(&subject), crate::text::cyr_to_lat(&body)),
        _ => (subject, body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_subjects_in_either_script() {
        assert_eq!(subject_number("Re: [П-2026-000123] Штампач").as_deref(), Some("П-2026-000123"));
        assert_eq!(subject_number("Odg: P-2026-123 stampac").as_deref(), Some("П-2026-000123"));
        assert_eq!(subject_number("р-2026-7").as_deref(), Some("П-2026-000007"));
        assert_eq!(subject_number("(p-2025-000001)").as_deref(), Some("П-2025-000001"));
        assert_eq!(subject_number("SHOP-2026-1"), None);
        assert_eq!(subject_number("P-26-1"), None);
        assert_eq!(subject_number("P-2026-"), None);
        assert_eq!(subject_number("P-2026-0"), None);
        assert_eq!(subject_number("P-2026-12a"), None);
        assert_eq!(subject_number("P-2026-1234567890"), None);
        assert_eq!(subject_number("Printer P-2026-5 and П-2026-6").as_deref(), Some("П-2026-000005"));
        assert_eq!(subject_number(""), None);
        assert_eq!(subject_number("П"), None);
        // Regression (fuzz/artifacts/mail): a zero-padded year is no report number, and what is
        // found reads back as itself.
        assert_eq!(subject_number("Re: [P-0079-000123] Stampac"), None);
        for s in ["P-2026-0000001", "p-1999-123456789", "Р-2026-42"] {
            let n = subject_number(s).unwrap();
            assert_eq!(subject_number(&n).as_deref(), Some(n.as_str()), "{s}");
        }
    }

    #[test]
    fn subjects_lose_prefixes_and_the_number() {
        assert_eq!(clean_subject("Re: RE: Fwd: Штампач не ради"), "Штампач не ради");
        assert_eq!(clean_subject("Одг: [П-2026-000001] Нема мреже"), "Нема мреже");
        assert_eq!(clean_subject("  "), "");
        assert_eq!(clean_subject(&"а".repeat(300)).chars().count(), MAX_TITLE);
    }

    #[test]
    fn quoted_text_is_left_out_of_replies() {
        let t = "Још увек не ради.\n\nOn Mon, 1 Dec 2026, ИКТ <helpdesk@grad.rs> wrote:\n> Поштовани,\n> примљено";
        assert_eq!(reply_text(t), "Још увек не ради.");
        assert_eq!(reply_text("> само цитат"), "> само цитат");
        assert_eq!(reply_text("нови\n> стари\nопет"), "нови\nопет");
    }

    fn inbound(subject: &str, irt: &[&str], refs: &[&str]) -> Inbound {
        Inbound {
            subject: subject.into(),
            in_reply_to: irt.iter().map(|s| s.to_string()).collect(),
            references: refs.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn thread_keys_put_in_reply_to_first_then_references_newest_first() {
        let k = thread_keys(&inbound("Re: [P-2026-9] x", &["c@x"], &["a@x", "b@x", "c@x"]));
        assert_eq!(k.message_ids, ["c@x", "b@x", "a@x"]);
        assert_eq!(k.number.as_deref(), Some("П-2026-000009"));
        assert_eq!(thread_keys(&inbound("x", &[], &[])), ThreadKeys::default());
    }

    #[test]
    fn replies_thread_only_for_the_reporter_or_staff_and_not_into_closed_reports() {
        let c = |state| Some(Candidate { report_id: 7, reporter_id: 3, state });
        assert_eq!(reply_target(c(ReportState::Accepted), 3, false), Threading::Comment(7));
        assert_eq!(reply_target(c(ReportState::Resolved), 3, false), Threading::Comment(7));
        assert_eq!(reply_target(c(ReportState::Accepted), 4, false), Threading::NewReport { follows: None });
        assert_eq!(reply_target(c(ReportState::Accepted), 4, true), Threading::Comment(7));
        assert_eq!(reply_target(c(ReportState::Closed), 3, false), Threading::NewReport { follows: Some(7) });
        assert_eq!(reply_target(None, 3, true), Threading::NewReport { follows: None });
    }

    #[test]
    fn messages_are_read_with_attachments_and_limits() {
        let raw = "From: Ана Јовановић <Ana@Grad.RS>\r\nTo: helpdesk@grad.rs\r\nSubject: =?UTF-8?B?0KjRgtCw0LzQv9Cw0Ycg0L3QtSDRgNCw0LTQuA==?=\r\n\
            Message-ID: <abc@grad.rs>\r\nIn-Reply-To: <x@y>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
            --b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nНе штампа.\r\n--b\r\nContent-Type: image/png\r\n\
            Content-Disposition: attachment; filename=\"slika.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
            --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"../velik.pdf\"\r\n\r\n0123456789abcdef\r\n--b--\r\n";
        let limits = Limits { max_attachment_bytes: 10, ..Default::default() };
        let m = parse_message(raw.as_bytes(), &limits).unwrap();
        assert_eq!(m.from, "ana@grad.rs");
        assert_eq!(m.from_name, "Ана Јовановић");
        assert_eq!(m.subject, "Штампач не ради");
        assert_eq!(m.message_id, "abc@grad.rs");
        assert_eq!(m.in_reply_to, ["x@y"]);
        assert_eq!(m.text, "Не штампа.");
        assert!(!m.automatic);
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].name, "slika.png");
        assert_eq!(m.attachments[0].content_type, "image/png");
        assert_eq!(m.attachments[0].bytes, [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]);
        assert_eq!(m.dropped, [(".._velik.pdf".to_string(), "too_large")]);
    }

    #[test]
    fn automatic_messages_are_recognised() {
        let m = |h: &str| parse_message(format!("From: a@b.rs\r\n{h}Subject: x\r\n\r\nx").as_bytes(), &Limits::default()).unwrap();
        assert!(m("Auto-Submitted: auto-replied\r\n").automatic);
        assert!(!m("Auto-Submitted: no\r\n").automatic);
        assert!(m("Precedence: bulk\r\n").automatic);
        assert!(!m("").automatic);
        assert!(parse_message(b"From: MAILER-DAEMON@x.rs\r\n\r\nbounce", &Limits::default()).unwrap().automatic);
    }

    #[test]
    fn notices_carry_the_number_in_the_reporters_script() {
        let f = NoticeFacts {
            kind: NoticeKind::State,
            number: "П-2026-000004",
            title: "Штампач",
            from: Some(ReportState::Accepted),
            to: Some(ReportState::Resolved),
            text: "Замењен тонер.",
            by: "Милан Стојановић",
            link: None,
        };
        let (s, b) = notice(&f, Lang::Cyrillic);
        assert!(s.starts_with("[П-2026-000004]") && s.contains("решена"), "{s}");
        assert!(b.contains("Замењен тонер.") && b.contains("Милан Стојановић"), "{b}");
        let (s, _) = notice(&f, Lang::Latin);
        assert!(s.starts_with("[P-2026-000004]") && s.contains("rešena"), "{s}");
        assert_eq!(subject_number(&s).as_deref(), Some("П-2026-000004"));
        let (s, _) = notice(&f, Lang::English);
        assert!(s.contains("resolved"), "{s}");
    }

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_after_us(0), 60_000_000);
        assert_eq!(retry_after_us(3), 8 * 60_000_000);
        assert_eq!(retry_after_us(20), 60 * 60_000_000);
    }
}
