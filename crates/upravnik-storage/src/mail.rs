//! The helpdesk's e-mail (migration 0015): the record of every message read from the mailbox,
//! the Message-IDs of each report, files kept with reports, and the outbox.

use crate::SqlStore;
use crate::helpdesk::{add_comment_tx, create_report_tx};
use crate::rows::{Get, map_err};
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use upravnik_core::helpdesk::ReportState;
use upravnik_core::mail::{
    Attachment, AttachmentMeta, Imported, MailAction, MailImport, MailOutcome, MailboxRef, NoticeKind, OutboxRow, OutboxStatus, Recorded,
    SenderPerson,
};
use upravnik_core::worklog::Draft;
use upravnik_core::{Error, Result};

/// What a change tells the reporter; written by the helpdesk's own transactions.
pub(crate) struct OutboxEvent<'a> {
    pub kind: NoticeKind,
    pub from: Option<ReportState>,
    pub to: Option<ReportState>,
    pub comment_id: Option<i64>,
    /// The comment, or the note of the step.
    pub text: &'a str,
}

/// Writes a notice for the reporter of `report_id` into the outbox, inside the caller's
/// transaction — only when the reporter has an address. Whether it is worth sending (the
/// reporter did it themselves, it is stale) is the sender's decision (`mail_service`); this
/// only keeps the fact with the change, so a crash can lose neither.
pub(crate) async fn outbox_event_tx(
    tx: &mut Transaction<'static, Any>,
    office_id: i64,
    report_id: i64,
    e: &OutboxEvent<'_>,
    log: &Draft,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO mail_outbox (office_id, report_id, kind, recipient, from_state, to_state, comment_id, text, actor_user_id, \
         actor_name, next_attempt_at, created_at) \
         SELECT r.office_id, r.id, $1, p.email, $2, $3, $4, $5, $6, $7, $8, $8 FROM fault_reports r JOIN people p ON p.id = r.reporter_id \
         WHERE r.id = $9 AND r.office_id = $10 AND p.email <> ''",
    )
    .bind(e.kind.as_str())
    .bind(e.from.map(|s| s.as_str()))
    .bind(e.to.map(|s| s.as_str()))
    .bind(e.comment_id)
    .bind(e.text)
    .bind(log.actor_user_id)
    .bind(&log.actor_name)
    .bind(now)
    .bind(report_id)
    .bind(office_id)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

fn bad(what: &str) -> Error {
    Error::Storage(format!("unknown mail {what} in the database"))
}

fn outbox_row(r: &AnyRow) -> Result<OutboxRow> {
    let state = |c: &str| -> Result<Option<ReportState>> {
        match r.opt_text(c)? {
            Some(s) => Ok(Some(ReportState::parse(&s).ok_or_else(|| bad("state"))?)),
            None => Ok(None),
        }
    };
    Ok(OutboxRow {
        id: r.i64("id")?,
        office_id: r.i64("office_id")?,
        report_id: r.i64("report_id")?,
        kind: NoticeKind::parse(&r.text("kind")?).ok_or_else(|| bad("notice kind"))?,
        recipient: r.text("recipient")?,
        from_state: state("from_state")?,
        to_state: state("to_state")?,
        comment_id: r.opt_i64("comment_id")?,
        actor_user_id: r.opt_i64("actor_user_id")?,
        subject: r.text("subject")?,
        message_id: r.text("message_id")?,
        status: OutboxStatus::parse(&r.text("status")?).ok_or_else(|| bad("outbox status"))?,
        attempts: r.i64("attempts")?,
        next_attempt_us: r.i64("next_attempt_at")?,
        last_error: r.text("last_error")?,
        created_us: r.i64("created_at")?,
        sent_us: r.opt_i64("sent_at")?,
    })
}

const OUTBOX: &str = "SELECT id, office_id, report_id, kind, recipient, from_state, to_state, comment_id, actor_user_id, subject, \
     message_id, status, attempts, next_attempt_at, last_error, created_at, sent_at FROM mail_outbox";

async fn attachments_tx(
    tx: &mut Transaction<'static, Any>,
    office_id: i64,
    report_id: i64,
    comment_id: Option<i64>,
    files: &[Attachment],
    now: i64,
) -> Result<()> {
    for f in files {
        sqlx::query(
            "INSERT INTO fault_report_attachments (office_id, report_id, comment_id, name, content_type, size_bytes, data, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(office_id)
        .bind(report_id)
        .bind(comment_id)
        .bind(&f.name)
        .bind(&f.content_type)
        .bind(f.bytes.len() as i64)
        .bind(f.bytes.clone())
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}

async fn thread_tx(
    tx: &mut Transaction<'static, Any>,
    office_id: i64,
    message_id: &str,
    report_id: i64,
    sent: bool,
    now: i64,
) -> Result<()> {
    if message_id.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO mail_threads (office_id, message_id, report_id, sent, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (office_id, message_id) DO NOTHING",
    )
    .bind(office_id)
    .bind(message_id)
    .bind(report_id)
    .bind(i64::from(sent))
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

fn meta(r: &AnyRow) -> Result<AttachmentMeta> {
    Ok(AttachmentMeta {
        id: r.i64("id")?,
        report_id: r.i64("report_id")?,
        comment_id: r.opt_i64("comment_id")?,
        name: r.text("name")?,
        content_type: r.text("content_type")?,
        size: r.i64("size_bytes")?,
        created_us: r.i64("created_at")?,
    })
}

impl SqlStore {
    pub(crate) async fn mail_recorded_impl(&self, at: &MailboxRef, uids: &[i64]) -> Result<Vec<Recorded>> {
        let mut out = Vec::new();
        // Bounded statements: a mailbox may list thousands of unread messages.
        for chunk in uids.chunks(200) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
            let sql =
                format!("SELECT uid, outcome FROM mail_imports WHERE mailbox = $1 AND uid_validity = $2 AND uid IN ({})", marks.join(", "));
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(&at.mailbox).bind(at.uid_validity);
            for u in chunk {
                q = q.bind(*u);
            }
            for r in q.fetch_all(&self.pool).await.map_err(map_err)? {
                out.push(Recorded { uid: r.i64("uid")?, outcome: MailOutcome::parse(&r.text("outcome")?).ok_or_else(|| bad("outcome"))? });
            }
        }
        Ok(out)
    }

    pub(crate) async fn import_mail_impl(&self, m: &MailImport, now: i64) -> Result<Imported> {
        let mut tx = self.begin_write().await?;
        // The record first: its unique key is what makes a second import of the UID impossible
        // (another instance that got here first holds the row until it commits).
        let rec: Option<i64> = sqlx::query_scalar(
            "INSERT INTO mail_imports (office_id, mailbox, uid_validity, uid, message_id, sender, subject, outcome, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (mailbox, uid_validity, uid) DO NOTHING RETURNING id",
        )
        .bind(m.office_id)
        .bind(&m.at.mailbox)
        .bind(m.at.uid_validity)
        .bind(m.uid)
        .bind(&m.message_id)
        .bind(&m.sender)
        .bind(&m.subject)
        .bind(m.outcome.as_str())
        .bind(&m.note)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let Some(rec) = rec else {
            tx.rollback().await.map_err(map_err)?;
            return Ok(Imported { outcome: MailOutcome::Duplicate, report_id: None, number: None, comment_id: None });
        };
        let (report_id, number, comment_id) = match &m.action {
            MailAction::None => (None, None, None),
            MailAction::Report { report, attachments, log, acknowledge_to } => {
                let (id, number) = create_report_tx(&mut tx, m.office_id, report, now, log.clone()).await?;
                attachments_tx(&mut tx, m.office_id, id, None, attachments, now).await?;
                thread_tx(&mut tx, m.office_id, &m.message_id, id, false, now).await?;
                if let Some(to) = acknowledge_to {
                    sqlx::query(
                        "INSERT INTO mail_outbox (office_id, report_id, kind, recipient, actor_name, next_attempt_at, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $6)",
                    )
                    .bind(m.office_id)
                    .bind(id)
                    .bind(NoticeKind::Received.as_str())
                    .bind(to)
                    .bind(&log.actor_name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                }
                (Some(id), Some(number), None)
            }
            MailAction::Comment { report_id, comment, attachments, log } => {
                // The reporter's own words: nobody is told of them by mail.
                let c = add_comment_tx(&mut tx, m.office_id, *report_id, comment, false, false, now, log.clone()).await?;
                attachments_tx(&mut tx, m.office_id, *report_id, Some(c.id), attachments, now).await?;
                thread_tx(&mut tx, m.office_id, &m.message_id, *report_id, false, now).await?;
                let number: String = sqlx::query_scalar("SELECT number FROM fault_reports WHERE id = $1")
                    .bind(*report_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
                (Some(*report_id), Some(number), Some(c.id))
            }
        };
        sqlx::query("UPDATE mail_imports SET report_id = $1, comment_id = $2 WHERE id = $3")
            .bind(report_id)
            .bind(comment_id)
            .bind(rec)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(Imported { outcome: m.outcome, report_id, number, comment_id })
    }

    pub(crate) async fn mail_sender_impl(&self, office_id: i64, email: &str) -> Result<Option<SenderPerson>> {
        let email = email.trim().to_lowercase();
        if email.is_empty() {
            return Ok(None);
        }
        let r = sqlx::query(
            "SELECT p.id, p.given_name, p.family_name, u.id AS user_id, \
             (SELECT COUNT(*) FROM user_roles ur WHERE ur.user_id = u.id AND ur.role = 'administrator' AND u.active = 1) AS admins \
             FROM people p LEFT JOIN users u ON u.person_id = p.id \
             WHERE p.office_id = $1 AND lower(p.email) = $2 AND p.active = 1 ORDER BY p.id LIMIT 1",
        )
        .bind(office_id)
        .bind(&email)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(r) = r else { return Ok(None) };
        Ok(Some(SenderPerson {
            person_id: r.i64("id")?,
            full_name: format!("{} {}", r.text("given_name")?, r.text("family_name")?),
            user_id: r.opt_i64("user_id")?,
            administrator: r.opt_i64("admins")?.unwrap_or(0) > 0,
        }))
    }

    pub(crate) async fn mail_message_known_impl(&self, office_id: i64, message_id: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM mail_imports WHERE office_id = $1 AND message_id = $2 AND outcome IN ('report', 'comment')",
        )
        .bind(office_id)
        .bind(message_id)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(n > 0)
    }

    pub(crate) async fn mail_thread_report_impl(&self, office_id: i64, ids: &[String]) -> Result<Option<i64>> {
        for id in ids.iter().take(50) {
            let r: Option<i64> = sqlx::query_scalar("SELECT report_id FROM mail_threads WHERE office_id = $1 AND message_id = $2")
                .bind(office_id)
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
            if r.is_some() {
                return Ok(r);
            }
        }
        Ok(None)
    }

    pub(crate) async fn report_id_by_number_impl(&self, office_id: i64, number: &str) -> Result<Option<i64>> {
        sqlx::query_scalar("SELECT id FROM fault_reports WHERE office_id = $1 AND number = $2")
            .bind(office_id)
            .bind(number)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)
    }

    pub(crate) async fn report_first_message_id_impl(&self, office_id: i64, report_id: i64) -> Result<Option<String>> {
        sqlx::query_scalar(
            "SELECT message_id FROM mail_threads WHERE office_id = $1 AND report_id = $2 ORDER BY sent, created_at, message_id LIMIT 1",
        )
        .bind(office_id)
        .bind(report_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)
    }

    pub(crate) async fn person_locale_impl(&self, person_id: i64) -> Result<Option<String>> {
        sqlx::query_scalar("SELECT locale FROM users WHERE person_id = $1")
            .bind(person_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)
    }

    pub(crate) async fn outbox_due_impl(&self, now: i64, limit: i64) -> Result<Vec<OutboxRow>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{OUTBOX} WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2"
        )))
        .bind(now)
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(outbox_row).collect()
    }

    pub(crate) async fn outbox_claim_impl(&self, id: i64, attempts: i64, lease_until: i64) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $1 WHERE id = $2 AND status = 'pending' AND attempts = $3",
        )
        .bind(lease_until)
        .bind(id)
        .bind(attempts)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(n.rows_affected() == 1)
    }

    pub(crate) async fn outbox_text_impl(&self, id: i64) -> Result<(String, String)> {
        let r =
            sqlx::query("SELECT actor_name, text FROM mail_outbox WHERE id = $1").bind(id).fetch_one(&self.pool).await.map_err(map_err)?;
        Ok((r.text("actor_name")?, r.text("text")?))
    }

    pub(crate) async fn outbox_message_id_impl(
        &self,
        office_id: i64,
        id: i64,
        report_id: i64,
        message_id: &str,
        subject: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE mail_outbox SET message_id = $1, subject = $2 WHERE id = $3")
            .bind(message_id)
            .bind(subject)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        thread_tx(&mut tx, office_id, message_id, report_id, true, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn outbox_done_impl(&self, id: i64, status: OutboxStatus, error: &str, next: i64, now: i64) -> Result<()> {
        let error: String = error.chars().take(1000).collect();
        sqlx::query(
            "UPDATE mail_outbox SET status = $1, last_error = $2, next_attempt_at = $3, \
             sent_at = CASE WHEN $1 = 'sent' THEN $4 ELSE sent_at END WHERE id = $5",
        )
        .bind(status.as_str())
        .bind(error)
        .bind(next)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    pub(crate) async fn list_outbox_impl(&self, office_id: i64, limit: i64) -> Result<Vec<OutboxRow>> {
        let rows = sqlx::query(AssertSqlSafe(format!("{OUTBOX} WHERE office_id = $1 ORDER BY id DESC LIMIT $2")))
            .bind(office_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(outbox_row).collect()
    }

    pub(crate) async fn report_attachments_impl(&self, office_id: i64, report_id: i64) -> Result<Vec<AttachmentMeta>> {
        let rows = sqlx::query(
            "SELECT id, report_id, comment_id, name, content_type, size_bytes, created_at FROM fault_report_attachments \
             WHERE office_id = $1 AND report_id = $2 ORDER BY id",
        )
        .bind(office_id)
        .bind(report_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(meta).collect()
    }

    pub(crate) async fn report_attachment_impl(&self, office_id: i64, report_id: i64, id: i64) -> Result<(AttachmentMeta, Vec<u8>)> {
        let r = sqlx::query(
            "SELECT id, report_id, comment_id, name, content_type, size_bytes, created_at, data FROM fault_report_attachments \
             WHERE office_id = $1 AND report_id = $2 AND id = $3",
        )
        .bind(office_id)
        .bind(report_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(Error::NotFound { what: "attachment" })?;
        Ok((meta(&r)?, r.try_get::<Vec<u8>, _>("data").map_err(map_err)?))
    }
}
