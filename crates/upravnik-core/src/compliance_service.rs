//! Services of the yearly compliance check and the acts reviewed yearly (ZIB 91/2025 čl. 7, 11,
//! 12), procurement proposals (R.21) and the records of processing activities (ZZPL čl. 47).

use jiff::civil::Date;

use crate::access::{Actor, Permission};
use crate::clock::{format_date, local_date, parse_date};
use crate::compliance::{
    ActInput, ActKind, ActionInput, Check, CheckInput, CompleteInput, FindingInput, FindingResult, SecurityAct, act_review_due,
    next_check_due, validate_findings,
};
use crate::processing::{ProcessingRecord, RecordInput};
use crate::procurement::{DecisionInput, Proposal, ProposalInput, ProposalState, validate_reference};
use crate::service::{Services, draft};
use crate::worklog::{Category as LogCategory, ObjectRef};
use crate::{Error, FieldError, Result};

/// What the home page says of the yearly duties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceDuties {
    /// A year after the last completed check; `None` when none was ever completed.
    pub next_check_due: Option<Date>,
    /// A check is under way.
    pub check_open: bool,
    pub risk_assessment_due: Option<Date>,
    pub security_act_due: Option<Date>,
    /// Open corrective actions past their due date.
    pub overdue_actions: usize,
}

/// A proposal with the equipment delivered under its procurement reference.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProposalView {
    pub proposal: Proposal,
    /// (asset id, label or inventory number, kind, make and model).
    pub delivered: Vec<(i64, String, String, String)>,
}

/// A record of processing activities as it stands, with how many versions it has.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecordSummary {
    pub current: ProcessingRecord,
    pub versions: i64,
}

fn check_ref(c: &Check) -> ObjectRef {
    ObjectRef::new("compliance_check", c.id, c.year.to_string())
}

impl Services {
    fn local_today(&self) -> Date {
        local_date(self.now()).unwrap_or_default()
    }

    pub async fn compliance_checks(&self, actor: &Actor) -> Result<Vec<Check>> {
        actor.require(Permission::WorklogRead)?;
        self.store.compliance_checks(actor.office_id).await
    }

    pub async fn compliance_check(&self, actor: &Actor, id: i64) -> Result<Check> {
        self.compliance_checks(actor).await?.into_iter().find(|c| c.id == id).ok_or(Error::NotFound { what: "check" })
    }

    /// Starts the year's check (self or with outside experts, čl. 12 st. 5).
    pub async fn start_check(&self, actor: &Actor, input: &CheckInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let c = input.validate(self.local_today())?;
        let text = format!(
            "Провера усклађености мера заштите за {}. годину ({}), проверава: {} (ЗИБ члан 12)",
            c.year,
            c.kind.as_str(),
            c.checked_by
        );
        let log = draft(actor, LogCategory::SecurityMeasure, None, text);
        self.store.create_check(actor.office_id, &c, &actor.full_name, self.now(), log).await
    }

    /// Saves the findings of an open check; a blank result leaves a measure for later.
    pub async fn save_findings(&self, actor: &Actor, id: i64, input: &[FindingInput]) -> Result<()> {
        actor.require(Permission::WorklogWrite)?;
        let c = self.compliance_check(actor, id).await?;
        if c.completed() {
            return Err(Error::Conflict { code: "check-completed", field: Some("findings") });
        }
        let findings = validate_findings(c.law, input)?;
        let count = |r: FindingResult| findings.iter().filter(|f| f.result == r).count();
        let text = format!(
            "Провера за {}: налази за {} мера (усклађено {}, делимично {}, неусклађено {}, не примењује се {})",
            c.year,
            findings.len(),
            count(FindingResult::Compliant),
            count(FindingResult::Partial),
            count(FindingResult::NonCompliant),
            count(FindingResult::NotApplicable)
        );
        let log = draft(actor, LogCategory::SecurityMeasure, Some(check_ref(&c)), text);
        self.store.save_findings(actor.office_id, id, &findings, self.now(), log).await
    }

    /// Closes the report: every measure has a result and every gap a corrective action; the
    /// measures register shows the date as their last check.
    pub async fn complete_check(&self, actor: &Actor, id: i64, input: &CompleteInput) -> Result<()> {
        actor.require(Permission::WorklogWrite)?;
        let c = self.compliance_check(actor, id).await?;
        if c.completed() {
            return Err(Error::Conflict { code: "check-completed", field: Some("findings") });
        }
        let (done, conclusion) = input.validate(&c, self.local_today())?;
        let gaps = c.findings.iter().filter(|f| f.result.needs_action()).count();
        let text = format!(
            "Провера усклађености за {}. годину завршена {}: мера са недостацима {gaps}, корективних мера {}; следећа провера до {}",
            c.year,
            format_date(done),
            c.actions.len(),
            format_date(crate::compliance::one_year_after(done))
        );
        let log = draft(actor, LogCategory::SecurityMeasure, Some(check_ref(&c)), text);
        self.store.complete_check(actor.office_id, id, c.law, &done.to_string(), &conclusion, self.now(), log).await
    }

    /// A corrective action decided in a check (also after the report, as gaps are followed up).
    pub async fn add_corrective_action(&self, actor: &Actor, check_id: i64, input: &ActionInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let c = self.compliance_check(actor, check_id).await?;
        let a = input.validate(&c)?;
        let text = format!(
            "Корективна мера (провера за {}{}): {} — носилац {}, рок {}",
            c.year,
            a.no.map(|n| format!(", мера {n}")).unwrap_or_default(),
            a.action,
            a.owner,
            parse_date(&a.due_on).map(format_date).unwrap_or_default()
        );
        let log = draft(actor, LogCategory::SecurityMeasure, Some(check_ref(&c)), text);
        self.store.add_corrective_action(actor.office_id, &a, self.now(), log).await
    }

    /// Marks a corrective action done (today when no date is given).
    pub async fn close_corrective_action(&self, actor: &Actor, id: i64, done_on: &str, note: &str) -> Result<()> {
        actor.require(Permission::WorklogWrite)?;
        let today = self.local_today();
        let done = if done_on.trim().is_empty() { Some(today) } else { parse_date(done_on) };
        let mut errs = vec![];
        match done {
            None => errs.push(FieldError::new("done_on", "err-date")),
            Some(d) if d > today => errs.push(FieldError::new("done_on", "err-date-future")),
            Some(_) => {}
        }
        let note = note.trim();
        if note.chars().count() > 2000 {
            errs.push(FieldError::new("note", "err-too-long"));
        }
        if !errs.is_empty() {
            return Err(Error::Invalid(errs));
        }
        let done = done.unwrap_or(today);
        let checks = self.compliance_checks(actor).await?;
        let (c, a) = checks
            .iter()
            .find_map(|c| c.actions.iter().find(|a| a.id == id).map(|a| (c, a)))
            .ok_or(Error::NotFound { what: "corrective action" })?;
        let text = format!(
            "Корективна мера извршена {}: {}{}",
            format_date(done),
            a.action,
            if note.is_empty() { String::new() } else { format!(" — {note}") }
        );
        let log = draft(actor, LogCategory::SecurityMeasure, Some(check_ref(c)), text);
        self.store.close_corrective_action(actor.office_id, id, &done.to_string(), note, self.now(), log).await
    }

    pub async fn security_acts(&self, actor: &Actor) -> Result<Vec<SecurityAct>> {
        actor.require(Permission::WorklogRead)?;
        self.store.security_acts(actor.office_id).await
    }

    /// The risk assessment or the security act adopted or reviewed (čl. 11, 12).
    pub async fn record_security_act(&self, actor: &Actor, input: &ActInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let a = input.validate(self.local_today())?;
        let what = match a.kind {
            ActKind::RiskAssessment => "Акт о процени ризика",
            ActKind::SecurityAct => "Акт о безбедности ИКТ система",
        };
        let due = crate::compliance::one_year_after(a.act_date.parse().unwrap_or_default());
        let text = format!(
            "{what} бр. {} од {}; следећа ревизија до {}",
            a.number,
            parse_date(&a.act_date).map(format_date).unwrap_or_default(),
            format_date(due)
        );
        let log = draft(actor, LogCategory::SecurityMeasure, None, text);
        self.store.add_security_act(actor.office_id, &a, &actor.full_name, self.now(), log).await
    }

    /// The yearly duties as they stand today.
    pub async fn compliance_duties(&self, actor: &Actor) -> Result<ComplianceDuties> {
        let checks = self.compliance_checks(actor).await?;
        let acts = self.store.security_acts(actor.office_id).await?;
        let today = self.local_today();
        Ok(ComplianceDuties {
            next_check_due: next_check_due(&checks),
            check_open: checks.iter().any(|c| !c.completed()),
            risk_assessment_due: act_review_due(&acts, ActKind::RiskAssessment),
            security_act_due: act_review_due(&acts, ActKind::SecurityAct),
            overdue_actions: checks.iter().flat_map(|c| &c.actions).filter(|a| a.overdue(today)).count(),
        })
    }

    /// Procurement proposals with the equipment delivered under each reference (R.21, P.5.1).
    pub async fn proposals(&self, actor: &Actor) -> Result<Vec<ProposalView>> {
        actor.require(Permission::WorklogRead)?;
        let mut out = vec![];
        for p in self.store.proposals(actor.office_id).await? {
            let delivered = if p.procurement_ref.is_empty() {
                vec![]
            } else {
                self.store.assets_by_procurement(actor.office_id, &p.procurement_ref).await?
            };
            out.push(ProposalView { proposal: p, delivered });
        }
        Ok(out)
    }

    pub async fn proposal(&self, actor: &Actor, id: i64) -> Result<ProposalView> {
        self.proposals(actor).await?.into_iter().find(|p| p.proposal.id == id).ok_or(Error::NotFound { what: "proposal" })
    }

    /// The head of the ICT section (an administrator here) proposes (R.21).
    pub async fn propose_procurement(&self, actor: &Actor, input: &ProposalInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let (title, reason, estimate) = input.validate()?;
        let text = format!("Предлог набавке (члан 21): {title}, процена {} дин.", crate::asset::format_price(estimate));
        let log = draft(actor, LogCategory::ConfigurationChange, None, text);
        self.store.add_proposal(actor.office_id, &title, &reason, estimate, &actor.full_name, self.now(), log).await
    }

    /// The head of administration approves by an act, or rejects with the reason (R.21).
    pub async fn decide_proposal(&self, actor: &Actor, id: i64, input: &DecisionInput) -> Result<()> {
        actor.require(Permission::ApproveProcurement)?;
        let d = input.validate(self.local_today())?;
        let p = self.proposal(actor, id).await?.proposal;
        if p.state != ProposalState::Proposed {
            return Err(Error::invalid("state", "err-request-state"));
        }
        let text = match d.state {
            ProposalState::Approved => format!(
                "Набавка „{}“ одобрена актом бр. {} од {} (члан 21)",
                p.title,
                d.act_number,
                d.act_date.map(format_date).unwrap_or_default()
            ),
            _ => format!("Предлог набавке „{}“ одбијен: {}", p.title, d.note),
        };
        let log = draft(actor, LogCategory::ConfigurationChange, Some(ObjectRef::new("proposal", id, &p.title)), text);
        self.store.decide_proposal(actor.office_id, id, &d, &actor.full_name, self.now(), log).await
    }

    /// The public procurement's reference; equipment registered with it is the delivery.
    pub async fn set_procurement_ref(&self, actor: &Actor, id: i64, reference: &str) -> Result<()> {
        actor.require(Permission::WorklogWrite)?;
        let r = validate_reference(reference)?;
        let p = self.proposal(actor, id).await?.proposal;
        if p.state != ProposalState::Approved {
            return Err(Error::invalid("procurement_ref", "err-proposal-not-approved"));
        }
        let text = format!("Набавка „{}“: јавна набавка {r}", p.title);
        let log = draft(actor, LogCategory::ConfigurationChange, Some(ObjectRef::new("proposal", id, &p.title)), text);
        self.store.set_procurement_ref(actor.office_id, id, &r, self.now(), log).await
    }

    /// Proposals waiting for the head of administration (home page).
    pub async fn proposals_waiting(&self, actor: &Actor) -> Result<usize> {
        actor.require(Permission::ApproveProcurement)?;
        Ok(self.store.proposals(actor.office_id).await?.iter().filter(|p| p.state == ProposalState::Proposed).count())
    }

    /// The references of approved procurements, for the asset form's suggestions.
    pub async fn procurement_refs(&self, actor: &Actor) -> Result<Vec<String>> {
        actor.require(Permission::AssetsRead)?;
        let mut refs: Vec<String> = self
            .store
            .proposals(actor.office_id)
            .await?
            .into_iter()
            .filter(|p| p.state == ProposalState::Approved && !p.procurement_ref.is_empty())
            .map(|p| p.procurement_ref)
            .collect();
        refs.dedup();
        Ok(refs)
    }

    /// Every record as it stands now.
    pub async fn processing_records(&self, actor: &Actor) -> Result<Vec<RecordSummary>> {
        actor.require(Permission::WorklogRead)?;
        let all = self.store.processing_records(actor.office_id).await?;
        let mut out: Vec<RecordSummary> = vec![];
        for r in all {
            match out.last_mut() {
                Some(s) if s.current.record_no == r.record_no => {
                    s.versions += 1;
                    s.current = r;
                }
                _ => out.push(RecordSummary { current: r, versions: 1 }),
            }
        }
        Ok(out)
    }

    /// Every version of one record, oldest first.
    pub async fn processing_record(&self, actor: &Actor, record_no: i64) -> Result<Vec<ProcessingRecord>> {
        actor.require(Permission::WorklogRead)?;
        let v: Vec<ProcessingRecord> =
            self.store.processing_records(actor.office_id).await?.into_iter().filter(|r| r.record_no == record_no).collect();
        if v.is_empty() { Err(Error::NotFound { what: "processing record" }) } else { Ok(v) }
    }

    /// A new record (version 1) or a new version of `record_no`; the old ones stay.
    pub async fn save_processing_record(&self, actor: &Actor, record_no: Option<i64>, input: &RecordInput) -> Result<(i64, i64)> {
        actor.require(Permission::WorklogWrite)?;
        let mut r = input.validate(self.local_today(), record_no.is_none())?;
        r.changed_by = actor.full_name.clone();
        let text = match record_no {
            None => format!("Евиденција радњи обраде (ЗЗПЛ члан 47): нова радња „{}“ ({})", r.name, r.system),
            Some(no) => {
                let versions = self.processing_record(actor, no).await?;
                let Some(last) = versions.last() else { return Err(Error::NotFound { what: "processing record" }) };
                // A change made from an older version would silently undo the one made since.
                if input.base_version.is_some_and(|b| b != last.version) {
                    return Err(Error::Conflict { code: "stale", field: Some("base_version") });
                }
                r.record_no = no;
                let changed = r.changed_from(last);
                if changed.is_empty() {
                    return Err(Error::invalid("change_note", "err-proc-unchanged"));
                }
                format!(
                    "Евиденција радњи обраде бр. {no} „{}“, верзија {}: {} ({})",
                    r.name,
                    last.version + 1,
                    r.change_note,
                    changed.join(", ")
                )
            }
        };
        let log = draft(actor, LogCategory::ConfigurationChange, None, text);
        self.store.add_processing_version(actor.office_id, &r, input.base_version, self.now(), log).await
    }
}
