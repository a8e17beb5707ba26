//! The yearly compliance checks with findings and corrective actions, the acts reviewed yearly,
//! procurement proposals (R.21) and the records of processing activities (ZZPL čl. 47), which are
//! only ever appended to.

use sqlx::any::AnyRow;
use upravnik_core::clock::Micros;
use upravnik_core::compliance::{ActKind, ActionState, Check, CheckKind, CorrectiveAction, Finding, FindingResult, SecurityAct};
use upravnik_core::measures::{Law, MeasureStatus};
use upravnik_core::processing::ProcessingRecord;
use upravnik_core::procurement::{Decision, Proposal, ProposalState};
use upravnik_core::worklog::Draft;
use upravnik_core::{Error, Result};

use crate::SqlStore;
use crate::rows::{Get, map_err};
use crate::worklog::{append_tx, commit_guarded};

fn bad(what: &str) -> Error {
    Error::Storage(format!("unknown {what}"))
}

fn action(r: &AnyRow) -> Result<CorrectiveAction> {
    Ok(CorrectiveAction {
        id: r.i64("id")?,
        check_id: r.i64("check_id")?,
        no: r.opt_i64("no")?,
        action: r.text("action")?,
        owner: r.text("owner")?,
        due_on: r.text("due_on")?,
        state: ActionState::parse(&r.text("state")?).ok_or_else(|| bad("action state"))?,
        done_on: r.opt_text("done_on")?,
        done_note: r.text("done_note")?,
    })
}

fn proposal(r: &AnyRow) -> Result<Proposal> {
    Ok(Proposal {
        id: r.i64("id")?,
        title: r.text("title")?,
        reason: r.text("reason")?,
        estimate_para: r.i64("estimate_para")?,
        proposed_by: r.text("proposed_by")?,
        proposed_us: r.i64("proposed_at")?,
        state: ProposalState::parse(&r.text("state")?).ok_or_else(|| bad("proposal state"))?,
        act_number: r.text("act_number")?,
        act_date: r.opt_text("act_date")?,
        decided_by: r.opt_text("decided_by")?,
        decided_us: r.opt_i64("decided_at")?,
        decision_note: r.text("decision_note")?,
        procurement_ref: r.text("procurement_ref")?,
    })
}

fn record(r: &AnyRow) -> Result<ProcessingRecord> {
    Ok(ProcessingRecord {
        record_no: r.i64("record_no")?,
        version: r.i64("version")?,
        name: r.text("name")?,
        system: r.text("system")?,
        controller: r.text("controller")?,
        purpose: r.text("purpose")?,
        legal_basis: r.text("legal_basis")?,
        subjects: r.text("subjects")?,
        data_kinds: r.text("data_kinds")?,
        recipients: r.text("recipients")?,
        transfers: r.text("transfers")?,
        retention: r.text("retention")?,
        safeguards: r.text("safeguards")?,
        ended_on: r.opt_text("ended_on")?,
        change_note: r.text("change_note")?,
        changed_by: r.text("changed_by")?,
        changed_us: r.i64("changed_at")?,
    })
}

impl SqlStore {
    pub(crate) async fn compliance_checks_impl(&self, office_id: i64) -> Result<Vec<Check>> {
        let rows = sqlx::query(
            "SELECT id, year, kind, law, checked_by, started_on, completed_on, conclusion, recorded_by FROM compliance_checks \
             WHERE office_id = $1 ORDER BY year DESC, started_on DESC, id DESC",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut checks = rows
            .iter()
            .map(|r| {
                Ok(Check {
                    id: r.i64("id")?,
                    year: i16::try_from(r.i64("year")?).map_err(|_| bad("year"))?,
                    kind: CheckKind::parse(&r.text("kind")?).ok_or_else(|| bad("check kind"))?,
                    law: Law::parse(&r.text("law")?).ok_or_else(|| bad("law"))?,
                    checked_by: r.text("checked_by")?,
                    started_on: r.text("started_on")?,
                    completed_on: r.opt_text("completed_on")?,
                    conclusion: r.text("conclusion")?,
                    recorded_by: r.text("recorded_by")?,
                    findings: vec![],
                    actions: vec![],
                })
            })
            .collect::<Result<Vec<Check>>>()?;
        let findings = sqlx::query(
            "SELECT f.check_id, f.no, f.result, f.finding FROM compliance_findings f \
             JOIN compliance_checks c ON c.id = f.check_id WHERE c.office_id = $1 ORDER BY f.check_id, f.no",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        for r in &findings {
            let id = r.i64("check_id")?;
            if let Some(c) = checks.iter_mut().find(|c| c.id == id) {
                c.findings.push(Finding {
                    no: r.i64("no")?,
                    result: FindingResult::parse(&r.text("result")?).ok_or_else(|| bad("finding"))?,
                    finding: r.text("finding")?,
                });
            }
        }
        let actions = sqlx::query(
            "SELECT id, check_id, no, action, owner, due_on, state, done_on, done_note FROM corrective_actions \
             WHERE office_id = $1 ORDER BY due_on, id",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        for r in &actions {
            let a = action(r)?;
            if let Some(c) = checks.iter_mut().find(|c| c.id == a.check_id) {
                c.actions.push(a);
            }
        }
        Ok(checks)
    }

    pub(crate) async fn create_check_impl(&self, office_id: i64, c: &Check, by: &str, now: Micros, log: Draft) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO compliance_checks (office_id, year, kind, law, checked_by, started_on, recorded_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(office_id)
        .bind(i64::from(c.year))
        .bind(c.kind.as_str())
        .bind(c.law.as_str())
        .bind(&c.checked_by)
        .bind(&c.started_on)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    /// Locks an open check of the office for a change in this transaction (a `Conflict` once the
    /// report is completed).
    async fn touch_open_check(tx: &mut sqlx::Transaction<'static, sqlx::Any>, office_id: i64, id: i64, now: Micros) -> Result<()> {
        let n = sqlx::query("UPDATE compliance_checks SET updated_at = $1 WHERE id = $2 AND office_id = $3 AND completed_on IS NULL")
            .bind(now)
            .bind(id)
            .bind(office_id)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::Conflict { code: "check-completed", field: Some("findings") });
        }
        Ok(())
    }

    pub(crate) async fn save_findings_impl(&self, office_id: i64, id: i64, findings: &[Finding], now: Micros, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Self::touch_open_check(&mut tx, office_id, id, now).await?;
        sqlx::query("DELETE FROM compliance_findings WHERE check_id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
        for f in findings {
            sqlx::query("INSERT INTO compliance_findings (check_id, no, result, finding) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(f.no)
                .bind(f.result.as_str())
                .bind(&f.finding)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    /// Closes the report and marks every measure of its set checked on that day; a measure not
    /// yet assessed gets an assessment with its defaults and the date.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn complete_check_impl(
        &self,
        office_id: i64,
        id: i64,
        law: Law,
        completed_on: &str,
        conclusion: &str,
        now: Micros,
        log: Draft,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Self::touch_open_check(&mut tx, office_id, id, now).await?;
        sqlx::query("UPDATE compliance_checks SET completed_on = $1, conclusion = $2 WHERE id = $3")
            .bind(completed_on)
            .bind(conclusion)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO security_measures (office_id, law, no, applicable, justification, implementation, responsible, documents, status, checked_on, updated_at) \
             SELECT $1, $2, f.no, 1, '', '', '', '', $3, $4, $5 FROM compliance_findings f WHERE f.check_id = $6 \
             ON CONFLICT (office_id, law, no) DO UPDATE SET checked_on = excluded.checked_on, updated_at = excluded.updated_at",
        )
        .bind(office_id)
        .bind(law.as_str())
        .bind(MeasureStatus::Planned.as_str())
        .bind(completed_on)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn add_corrective_action_impl(&self, office_id: i64, a: &CorrectiveAction, now: Micros, log: Draft) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO corrective_actions (office_id, check_id, no, action, owner, due_on, state, created_at) \
             SELECT $1, id, $2, $3, $4, $5, 'open', $6 FROM compliance_checks WHERE id = $7 AND office_id = $1 RETURNING id",
        )
        .bind(office_id)
        .bind(a.no)
        .bind(&a.action)
        .bind(&a.owner)
        .bind(&a.due_on)
        .bind(now)
        .bind(a.check_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(Error::NotFound { what: "check" })?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn close_corrective_action_impl(
        &self,
        office_id: i64,
        id: i64,
        done_on: &str,
        note: &str,
        now: Micros,
        log: Draft,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE corrective_actions SET state = 'done', done_on = $1, done_note = $2 WHERE id = $3 AND office_id = $4 AND state = 'open'",
        )
        .bind(done_on)
        .bind(note)
        .bind(id)
        .bind(office_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        commit_guarded(tx, n.rows_affected(), "state", log, now).await
    }

    pub(crate) async fn security_acts_impl(&self, office_id: i64) -> Result<Vec<SecurityAct>> {
        let rows = sqlx::query(
            "SELECT id, kind, number, act_date, note, recorded_by FROM security_acts WHERE office_id = $1 ORDER BY act_date DESC, id DESC",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(SecurityAct {
                    id: r.i64("id")?,
                    kind: ActKind::parse(&r.text("kind")?).ok_or_else(|| bad("act kind"))?,
                    number: r.text("number")?,
                    act_date: r.text("act_date")?,
                    note: r.text("note")?,
                    recorded_by: r.text("recorded_by")?,
                })
            })
            .collect()
    }

    pub(crate) async fn add_security_act_impl(&self, office_id: i64, a: &SecurityAct, by: &str, now: Micros, log: Draft) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO security_acts (office_id, kind, number, act_date, note, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(office_id)
        .bind(a.kind.as_str())
        .bind(&a.number)
        .bind(&a.act_date)
        .bind(&a.note)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn proposals_impl(&self, office_id: i64) -> Result<Vec<Proposal>> {
        sqlx::query(
            "SELECT id, title, reason, estimate_para, proposed_by, proposed_at, state, act_number, act_date, decided_by, decided_at, \
             decision_note, procurement_ref FROM procurement_proposals WHERE office_id = $1 ORDER BY proposed_at DESC, id DESC LIMIT 1000",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?
        .iter()
        .map(proposal)
        .collect()
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn add_proposal_impl(
        &self,
        office_id: i64,
        title: &str,
        reason: &str,
        estimate_para: i64,
        by: &str,
        now: Micros,
        log: Draft,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO procurement_proposals (office_id, title, reason, estimate_para, proposed_by, proposed_at, state) \
             VALUES ($1, $2, $3, $4, $5, $6, 'proposed') RETURNING id",
        )
        .bind(office_id)
        .bind(title)
        .bind(reason)
        .bind(estimate_para)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn decide_proposal_impl(
        &self,
        office_id: i64,
        id: i64,
        d: &Decision,
        by: &str,
        now: Micros,
        log: Draft,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE procurement_proposals SET state = $1, act_number = $2, act_date = $3, decided_by = $4, decided_at = $5, \
             decision_note = $6 WHERE id = $7 AND office_id = $8 AND state = 'proposed'",
        )
        .bind(d.state.as_str())
        .bind(&d.act_number)
        .bind(d.act_date.map(|d| d.to_string()))
        .bind(by)
        .bind(now)
        .bind(&d.note)
        .bind(id)
        .bind(office_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        commit_guarded(tx, n.rows_affected(), "state", log, now).await
    }

    pub(crate) async fn set_procurement_ref_impl(&self, office_id: i64, id: i64, r: &str, now: Micros, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n =
            sqlx::query("UPDATE procurement_proposals SET procurement_ref = $1 WHERE id = $2 AND office_id = $3 AND state = 'approved'")
                .bind(r)
                .bind(id)
                .bind(office_id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        commit_guarded(tx, n.rows_affected(), "state", log, now).await
    }

    /// The assets registered under a procurement reference: (id, label or inventory number, kind, model).
    pub(crate) async fn assets_by_procurement_impl(&self, office_id: i64, r: &str) -> Result<Vec<(i64, String, String, String)>> {
        let rows = sqlx::query(
            "SELECT id, label, inventory_number, kind, manufacturer, model FROM assets WHERE office_id = $1 AND procurement_ref = $2 \
             ORDER BY id LIMIT 1000",
        )
        .bind(office_id)
        .bind(r)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let name = match r.opt_i64("label")? {
                    Some(l) => format!("ST {l:02}"),
                    None => r.text("inventory_number")?,
                };
                Ok((r.i64("id")?, name, r.text("kind")?, format!("{} {}", r.text("manufacturer")?, r.text("model")?).trim().to_string()))
            })
            .collect()
    }

    pub(crate) async fn processing_records_impl(&self, office_id: i64) -> Result<Vec<ProcessingRecord>> {
        sqlx::query(
            "SELECT record_no, version, name, system, controller, purpose, legal_basis, subjects, data_kinds, recipients, transfers, \
             retention, safeguards, ended_on, change_note, changed_by, changed_at FROM processing_records WHERE office_id = $1 \
             ORDER BY record_no, version",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?
        .iter()
        .map(record)
        .collect()
    }

    /// Appends a version: a new record (`record_no` 0) gets the next number; a change must be
    /// made from the latest version (`base`), else it is a `Conflict`.
    pub(crate) async fn add_processing_version_impl(
        &self,
        office_id: i64,
        r: &ProcessingRecord,
        base: Option<i64>,
        now: Micros,
        log: Draft,
    ) -> Result<(i64, i64)> {
        let mut tx = self.begin_write().await?;
        let (no, version) = if r.record_no == 0 {
            let n: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(record_no), 0) + 1 FROM processing_records WHERE office_id = $1")
                .bind(office_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
            (n, 1)
        } else {
            let latest: Option<i64> =
                sqlx::query_scalar("SELECT MAX(version) FROM processing_records WHERE office_id = $1 AND record_no = $2")
                    .bind(office_id)
                    .bind(r.record_no)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map_err)?;
            let latest = latest.ok_or(Error::NotFound { what: "processing record" })?;
            if base.is_some_and(|b| b != latest) {
                return Err(Error::Conflict { code: "stale", field: Some("base_version") });
            }
            (r.record_no, latest + 1)
        };
        sqlx::query(
            "INSERT INTO processing_records (office_id, record_no, version, name, system, controller, purpose, legal_basis, subjects, \
             data_kinds, recipients, transfers, retention, safeguards, ended_on, change_note, changed_by, changed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        )
        .bind(office_id)
        .bind(no)
        .bind(version)
        .bind(&r.name)
        .bind(&r.system)
        .bind(&r.controller)
        .bind(&r.purpose)
        .bind(&r.legal_basis)
        .bind(&r.subjects)
        .bind(&r.data_kinds)
        .bind(&r.recipients)
        .bind(&r.transfers)
        .bind(&r.retention)
        .bind(&r.safeguards)
        .bind(r.ended_on.clone())
        .bind(&r.change_note)
        .bind(&r.changed_by)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok((no, version))
    }
}
