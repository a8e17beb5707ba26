//! `/reports/mail`: the notices to reporters and what became of them (administrators), so a
//! failing mail server is seen without reading the log.

use askama::Template;
use axum::extract::State;
use upravnik_core::clock::format_local;

use super::layout::{Chrome, render};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;

pub struct OutboxLine {
    pub when: String,
    pub report: String,
    pub report_href: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    /// A CSS class for the status badge.
    pub badge: &'static str,
    pub attempts: i64,
    pub error: String,
}

#[derive(Template)]
#[template(path = "mail_outbox.html")]
pub struct OutboxPage<'a> {
    pub c: Chrome<'a>,
    pub rows: Vec<OutboxLine>,
}

pub async fn outbox(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed) -> UiResult {
    let tr = ctx.tr(&st);
    let rows = st.services.outbox(&actor, 200).await?;
    let mut lines = Vec::with_capacity(rows.len());
    for o in rows {
        let number = st.services.report(&actor, o.report_id).await.map(|r| r.number).unwrap_or_else(|_| o.report_id.to_string());
        let (status, badge) = match o.status {
            upravnik_core::mail::OutboxStatus::Pending => (tr.t("outbox-pending"), "warn"),
            upravnik_core::mail::OutboxStatus::Sent => (tr.t("outbox-sent"), "ok"),
            upravnik_core::mail::OutboxStatus::Failed => (tr.t("outbox-failed"), "error"),
            upravnik_core::mail::OutboxStatus::Skipped => (tr.t("outbox-skipped"), ""),
        };
        lines.push(OutboxLine {
            when: format_local(o.sent_us.unwrap_or(o.created_us)),
            report: tr.d(&number),
            report_href: format!("/reports/{}", o.report_id),
            recipient: o.recipient,
            subject: tr.d(&o.subject),
            status,
            badge,
            attempts: o.attempts,
            error: o.last_error,
        });
    }
    let c = Chrome::new(&st, &ctx, "/reports/mail", tr.t("outbox-title"));
    Ok(render(&OutboxPage { c, rows: lines }))
}
