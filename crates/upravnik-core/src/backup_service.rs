//! Services of archiving (R.20, R.22, R.61.8, R.66, P.5.1): the product's own daily runs and
//! the office's other backup jobs, each in the work log; what administrators must be told (a
//! missed or failed run, copy 2 too old); the notice to users while the archive runs; the
//! removable media of copies 2 and 3 and their custody book.

use crate::access::{Actor, Permission};
use crate::backup::{CustodyEvent, CustodyInput, Medium, MediumInput, NewRun, OWN_JOB, ReportInput, Run};
use crate::backup_schedule::missed;
use crate::clock::{Micros, format_local};
use crate::service::{Services, draft};
use crate::software_service::system;
use crate::worklog::{Category as LogCategory, ObjectRef};
use crate::{Error, Result};

const DAY_US: i64 = 86_400_000_000;

/// What the archiving page and the home page say.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BackupStatus {
    /// Whether this installation schedules its own archive.
    pub scheduled: bool,
    pub next_due_us: Option<Micros>,
    /// A due time without a successful run since (shown until one succeeds).
    pub missed_due_us: Option<Micros>,
    pub last_ok: Option<Run>,
    /// The last failure, when it is newer than the last success.
    pub last_failed: Option<Run>,
    /// The newest copy 2 (R.66) and whether it is older than allowed.
    pub copy2: Option<Medium>,
    pub copy2_stale: bool,
}

pub fn human_size(bytes: i64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.0} kB", b / 1e3)
    }
}

impl Services {
    /// The product's own run (the scheduler, or `upravnik backup` by hand), with an entry in the
    /// work log of every office the archive holds.
    pub async fn record_own_backup(&self, run: &NewRun) -> Result<i64> {
        let text = if run.ok {
            format!(
                "Дневна архива направљена и проверена (члан 22): {}, {}",
                run.archive,
                run.size_bytes.map(human_size).unwrap_or_default()
            )
        } else {
            format!("Дневна архива НИЈЕ направљена (члан 22): {}", run.detail)
        };
        let logs = self.store.offices().await?.into_iter().map(|o| system(o.id, LogCategory::CopyRenewal, None, text.clone())).collect();
        self.store.record_backup_run(run, "upravnik", logs, self.now()).await
    }

    /// Another backup job of the office reports a run (its script, over the API or the CLI).
    pub async fn report_backup(&self, actor: &Actor, input: &ReportInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let run = input.validate(actor.office_id, self.now())?;
        let text = format!(
            "Архивирање „{}“: {} ({} – {}){}{}",
            run.job,
            if run.ok { "успешно" } else { "НЕУСПЕШНО" },
            format_local(run.started_us),
            format_local(run.finished_us),
            run.size_bytes.map(|b| format!(", {}", human_size(b))).unwrap_or_default(),
            if run.detail.is_empty() { String::new() } else { format!("; {}", run.detail) }
        );
        let log = draft(actor, LogCategory::CopyRenewal, None, text);
        self.store.record_backup_run(&run, &actor.full_name, vec![log], self.now()).await
    }

    /// Runs the office sees: the product's own and its own jobs', newest first.
    pub async fn backup_runs(&self, actor: &Actor, limit: i64) -> Result<Vec<Run>> {
        actor.require(Permission::WorklogRead)?;
        self.store.backup_runs(actor.office_id, limit.clamp(1, 1000)).await
    }

    /// When the product's own archive last succeeded (the scheduler's memory, shared by every
    /// instance through the database).
    pub async fn last_own_backup(&self) -> Result<Option<Micros>> {
        self.store.last_backup_success(OWN_JOB).await
    }

    pub async fn backup_status(&self, actor: &Actor) -> Result<BackupStatus> {
        actor.require(Permission::WorklogRead)?;
        let now = self.now();
        let runs = self.store.backup_runs(actor.office_id, 200).await?;
        let own: Vec<&Run> = runs.iter().filter(|r| r.job == OWN_JOB).collect();
        let last_ok = own.iter().find(|r| r.ok).map(|r| (*r).clone());
        let last_failed =
            own.iter().find(|r| !r.ok && last_ok.as_ref().is_none_or(|ok| r.finished_us > ok.finished_us)).map(|r| (*r).clone());
        let mut st = BackupStatus { last_ok, last_failed, ..Default::default() };
        if let Some(p) = &self.policy.backup {
            st.scheduled = true;
            st.next_due_us = p.schedule.next_due(now);
            let ok_at = st.last_ok.as_ref().map(|r| r.finished_us);
            st.missed_due_us = missed(&p.schedule, now, ok_at, p.grace_minutes * 60_000_000);
            let media = self.store.backup_media(actor.office_id).await?;
            st.copy2 = media.into_iter().filter(|m| m.copy_no == 2).max_by_key(|m| m.written_us);
            st.copy2_stale = st.copy2.as_ref().is_none_or(|m| now - m.written_us > p.copy2_max_age_days * DAY_US);
        }
        Ok(st)
    }

    /// R.61.8: the notice to users that the archive is running (the last minutes of the day).
    pub fn archiving_notice(&self) -> bool {
        self.policy.backup.as_ref().is_some_and(|p| p.schedule.notice(self.now()))
    }

    pub async fn backup_media(&self, actor: &Actor) -> Result<Vec<Medium>> {
        actor.require(Permission::WorklogRead)?;
        self.store.backup_media(actor.office_id).await
    }

    /// A medium with a copy on it (R.66), not yet in the safe.
    pub async fn add_backup_medium(&self, actor: &Actor, input: &MediumInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let f = input.validate()?;
        let text = format!("Копија {} архиве {} записана на медијум „{}“ (члан 66)", f.copy_no, f.archive, f.label);
        let log = draft(actor, LogCategory::CopyRenewal, None, text);
        self.store.add_backup_medium(actor.office_id, &f, self.now(), log).await.map_err(|e| match e {
            Error::Conflict { code: "duplicate", .. } => Error::invalid("label", "err-medium-duplicate"),
            e => e,
        })
    }

    /// A line of the custody book: the medium put into the safe or taken out, by whom, why.
    pub async fn record_custody(&self, actor: &Actor, medium_id: i64, input: &CustodyInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let m = self.backup_media(actor).await?.into_iter().find(|m| m.id == medium_id).ok_or(Error::NotFound { what: "medium" })?;
        let f = input.validate(m.in_safe, self.now())?;
        let what = match f.kind {
            crate::backup::CustodyKind::Deposited => "остављен у сеф писарнице",
            crate::backup::CustodyKind::Taken => "узет из сефа писарнице",
        };
        let mut text = format!("Медијум „{}“ (копија {}) {what}: {}, {}", m.label, m.copy_no, f.person, format_local(f.at_us));
        if !f.reason.is_empty() {
            text.push_str(&format!("; {}", f.reason));
        }
        let log = draft(actor, LogCategory::CopyRenewal, Some(ObjectRef::new("medium", m.id, &m.label)), text);
        self.store.record_custody(actor.office_id, medium_id, &f, &actor.full_name, self.now(), log).await
    }

    /// The account a command-line report is recorded for: the named one, or the first active
    /// administrator of the first office (the person who set up the cron job answers for it).
    pub async fn automation_actor(&self, username: Option<&str>) -> Result<Actor> {
        let user_id = match username {
            Some(u) => self.store.login_record(u).await?.ok_or(Error::NotFound { what: "account" })?.user_id,
            None => {
                let office = self.store.offices().await?.into_iter().next().ok_or(Error::NotFound { what: "office" })?;
                let mut q = crate::org::ListQuery::new(office.id);
                q.per_page = 500;
                let accounts = self.store.list_accounts(&q).await?.items;
                accounts
                    .into_iter()
                    .find(|a| a.active && a.roles.contains(&crate::access::Role::Administrator))
                    .ok_or(Error::NotFound { what: "administrator" })?
                    .user_id
            }
        };
        self.store.actor(user_id).await
    }

    pub async fn custody_book(&self, actor: &Actor) -> Result<Vec<CustodyEvent>> {
        actor.require(Permission::WorklogRead)?;
        self.store.custody_book(actor.office_id).await
    }
}
