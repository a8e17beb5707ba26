//! Services of security compliance (R.54–R.58, ZIB 91/2025): the measures register with its
//! evidence — files kept with their SHA-256, and what Upravnik itself shows live — and the
//! incidents register with every legal deadline and the reports sent, each frozen as sent.

use sha2::{Digest, Sha256};

use crate::access::{Actor, Permission};
use crate::antivirus::Coverage;
use crate::clock::{format_local, local_date};
use crate::incident::{Deadline, Incident, IncidentInput, ReportKind, SentInput, Statistics, deadlines, statistics};
use crate::measures::{Assessment, AssessmentInput, Evidence, Law, Measure, catalogue, measure};
use crate::service::{Services, draft};
use crate::worklog::{Category as LogCategory, ObjectRef};
use crate::{Error, Result};

/// Evidence files larger than this are refused (a scanned act fits easily).
pub const EVIDENCE_MAX: usize = 20 << 20;

/// A measure with what the office recorded and the evidence it has.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MeasureView {
    pub measure: Measure,
    pub assessment: Assessment,
    pub files: Vec<EvidenceFile>,
    /// What Upravnik shows live for it.
    pub live: Vec<Evidence>,
}

/// An evidence file's description (its bytes are fetched on their own).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceFile {
    pub id: i64,
    pub law: Law,
    pub no: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_us: i64,
}

/// An incident with its deadlines at this moment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IncidentView {
    pub incident: Incident,
    pub deadlines: Vec<Deadline>,
}

impl Services {
    /// Every measure of a set with the office's assessment (an empty one where none is recorded).
    pub async fn security_measures(&self, actor: &Actor, law: Law) -> Result<Vec<MeasureView>> {
        actor.require(Permission::WorklogRead)?;
        let saved = self.store.security_assessments(actor.office_id, law).await?;
        let files = self.store.evidence_files(actor.office_id, law, None).await?;
        Ok(catalogue(law)
            .iter()
            .map(|m| MeasureView {
                measure: m.clone(),
                assessment: saved.iter().find(|a| a.no == m.no).cloned().unwrap_or_else(|| Assessment::empty(law, m.no)),
                files: files.iter().filter(|f| f.no == m.no).cloned().collect(),
                live: crate::measures::evidence(law, m.no),
            })
            .collect())
    }

    pub async fn security_measure(&self, actor: &Actor, law: Law, no: i64) -> Result<MeasureView> {
        self.security_measures(actor, law).await?.into_iter().find(|v| v.measure.no == no).ok_or(Error::NotFound { what: "measure" })
    }

    pub async fn save_assessment(&self, actor: &Actor, law: Law, no: i64, input: &AssessmentInput) -> Result<Assessment> {
        actor.require(Permission::WorklogWrite)?;
        let today = local_date(self.now()).unwrap_or_default();
        let a = input.validate(law, no, today)?;
        let m = measure(law, no).ok_or(Error::NotFound { what: "measure" })?;
        let text = format!("Мера заштите {} бр. {no} ({}): {}", law.as_str(), m.reference, a.status.as_str());
        let log = draft(actor, LogCategory::SecurityMeasure, None, text);
        self.store.save_assessment(actor.office_id, &a, self.now(), log).await?;
        Ok(a)
    }

    /// Keeps an evidence file of a measure; its SHA-256 goes to the work log, so a later
    /// change of the file is evident.
    pub async fn add_evidence(&self, actor: &Actor, law: Law, no: i64, name: &str, content_type: &str, bytes: &[u8]) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        measure(law, no).ok_or(Error::NotFound { what: "measure" })?;
        let name: String = name.trim().rsplit(['/', '\\']).next().unwrap_or("").chars().filter(|c| !c.is_control()).take(200).collect();
        if name.is_empty() {
            return Err(Error::invalid("file", "err-required"));
        }
        if bytes.is_empty() {
            return Err(Error::invalid("file", "err-evidence-empty"));
        }
        if bytes.len() > EVIDENCE_MAX {
            return Err(Error::invalid("file", "err-evidence-too-large"));
        }
        let sha: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        let content_type: String = content_type.chars().take(100).collect();
        let text = format!("Доказ за меру {} бр. {no}: „{name}“, SHA-256 {sha}", law.as_str());
        let log = draft(actor, LogCategory::SecurityMeasure, None, text);
        let f = EvidenceFile {
            id: 0,
            law,
            no,
            name,
            content_type,
            size_bytes: bytes.len() as i64,
            sha256: sha,
            uploaded_by: actor.full_name.clone(),
            uploaded_us: self.now(),
        };
        self.store.add_evidence(actor.office_id, &f, bytes, log).await
    }

    pub async fn evidence_file(&self, actor: &Actor, id: i64) -> Result<(EvidenceFile, Vec<u8>)> {
        actor.require(Permission::WorklogRead)?;
        self.store.evidence_file(actor.office_id, id).await
    }

    /// One line of live evidence, as the register shows it now.
    pub async fn live_evidence(&self, actor: &Actor, e: Evidence) -> Result<String> {
        actor.require(Permission::WorklogRead)?;
        Ok(match e {
            Evidence::WorkLog => {
                let seq = self.store.worklog_head(actor.office_id).await?;
                let verified =
                    self.store.backup_runs(actor.office_id, 50).await?.into_iter().find(|r| r.ok && r.job == crate::backup::OWN_JOB);
                match verified {
                    Some(r) => format!("{seq} уноса у ланцу хешева; ланац проверен при архивирању {}", format_local(r.finished_us)),
                    None => format!("{seq} уноса у ланцу хешева"),
                }
            }
            Evidence::Backups => {
                let s = self.backup_status(actor).await?;
                let last = s
                    .last_ok
                    .map(|r| format!("последња проверена архива {}", format_local(r.finished_us)))
                    .unwrap_or_else(|| "архива још није направљена".into());
                let copy2 = s
                    .copy2
                    .map(|m| format!("копија 2 „{}“ од {}", m.label, format_local(m.written_us)))
                    .unwrap_or_else(|| "нема копије 2".into());
                format!("{last}; {copy2}")
            }
            Evidence::SoftwareCompliance => {
                let open = self.store.open_software_task_count(actor.office_id).await?;
                format!("отворених задатака уклањања нелиценцираних програма: {open}")
            }
            Evidence::Antivirus => {
                let rows = self.antivirus_coverage(actor).await?;
                let ok = rows.iter().filter(|r| r.coverage == Coverage::Protected).count();
                let bad = rows.iter().filter(|r| r.coverage.is_problem()).count();
                format!("заштићено {ok} од {} рачунара; без исправне заштите: {bad}", rows.len())
            }
            Evidence::InternetPolicy => {
                let hosts = self.store.internet_hosts(actor.office_id).await?;
                let allowed = hosts.iter().filter(|h| h.access_or_default().allowed).count();
                let sites = self.store.internet_sites(actor.office_id).await?.len();
                format!("приступ интернету има {allowed} од {} рачунара; блокираних сајтова: {sites}", hosts.len())
            }
            Evidence::AssetRegistry => {
                let q = crate::asset::AssetQuery { office_id: actor.office_id, page: 1, per_page: 1, ..Default::default() };
                format!("у регистру опреме: {} средстава", self.store.list_assets(&q).await?.total)
            }
            Evidence::RulesAccepted => {
                let q = crate::rules::AcceptanceQuery { missing_only: true, page: 1, per_page: 1, ..Default::default() };
                match self.rules_acceptances(actor, &q).await {
                    Ok(Some((v, list))) => format!("правила рада верзија {}: без прихватања {} запослених", v.version, list.rows.total),
                    _ => "правила рада нису објављена".into(),
                }
            }
            Evidence::Mfa => {
                let (with, all) = self.store.administrators_with_mfa(actor.office_id).await?;
                format!("администратора са двофакторском пријавом: {with} од {all}")
            }
            Evidence::Trainings => {
                let held = self.store.trainings(actor.office_id).await?;
                let none = self.store.untrained_people(actor.office_id, None).await?.len();
                let last = held.first().map(|t| format!(", последња {}", t.held_on)).unwrap_or_default();
                format!("одржано обука: {}{last}; запослених без обуке: {none}", held.len())
            }
            Evidence::Incidents => {
                let list = self.store.incidents(actor.office_id).await?;
                format!("инцидената у регистру: {}", list.len())
            }
        })
    }

    /// Records an incident (ZIB čl. 13, 15): the deadlines start from the moment of awareness.
    pub async fn record_incident(&self, actor: &Actor, input: &IncidentInput, asset_ids: &[i64]) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let f = input.validate(self.now())?;
        for a in asset_ids {
            self.store.get_asset(actor.office_id, *a).await.map_err(|_| Error::invalid("asset_ids", "err-incident-asset"))?;
        }
        let mut text = format!("Инцидент: {} (сазнање {})", f.title, format_local(f.aware_us));
        if f.reportable() {
            text.push_str("; пријављује се у року од 24 сата (ЗИБ члан 13)");
        }
        if f.personal_data {
            text.push_str("; повреда података о личности: Повереник у року од 72 сата (ЗЗПЛ члан 52)");
        }
        let log = draft(actor, LogCategory::SecurityMeasure, None, text);
        self.store.save_incident(actor.office_id, None, &f, asset_ids, &actor.full_name, self.now(), log).await
    }

    pub async fn update_incident(&self, actor: &Actor, id: i64, input: &IncidentInput, asset_ids: &[i64]) -> Result<()> {
        actor.require(Permission::WorklogWrite)?;
        let f = input.validate(self.now())?;
        let old = self.incident(actor, id).await?.incident;
        let mut text = format!("Инцидент бр. {id} измењен: {}", f.title);
        if old.ended_us.is_none()
            && let Some(end) = f.ended_us
        {
            text.push_str(&format!("; завршен {} — завршни извештај у року од 15 дана", format_local(end)));
        }
        if old.danger != f.danger || old.danger_authority != f.danger_authority {
            text.push_str("; промењен ниво опасности");
        }
        let log = draft(actor, LogCategory::SecurityMeasure, Some(ObjectRef::new("incident", id, &f.title)), text);
        self.store.save_incident(actor.office_id, Some(id), &f, asset_ids, &actor.full_name, self.now(), log).await.map(|_| ())
    }

    pub async fn incidents(&self, actor: &Actor) -> Result<Vec<IncidentView>> {
        actor.require(Permission::WorklogRead)?;
        let now = self.now();
        Ok(self
            .store
            .incidents(actor.office_id)
            .await?
            .into_iter()
            .map(|i| {
                let d = deadlines(&i.facts(), now);
                IncidentView { incident: i, deadlines: d }
            })
            .collect())
    }

    pub async fn incident(&self, actor: &Actor, id: i64) -> Result<IncidentView> {
        self.incidents(actor).await?.into_iter().find(|v| v.incident.id == id).ok_or(Error::NotFound { what: "incident" })
    }

    /// A report was sent: kept with a frozen copy of the incident as it stood, and logged.
    pub async fn record_incident_report(&self, actor: &Actor, id: i64, input: &SentInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let (kind, sent_us, recipient, reference) = input.validate(self.now())?;
        let view = self.incident(actor, id).await?;
        if kind.once() && view.incident.reports.iter().any(|r| r.kind == kind) {
            return Err(Error::invalid("kind", "err-incident-report-sent"));
        }
        let due = view.deadlines.iter().find(|d| d.kind == kind).and_then(|d| d.due_us);
        let snapshot = serde_json::json!({
            "incident": view.incident,
            "kind": kind,
            "due_us": due,
            "sent_us": sent_us,
            "recipient": recipient,
            "reference": reference,
        })
        .to_string();
        let late = due.is_some_and(|d| sent_us > d);
        let text = format!(
            "Инцидент бр. {id}: послат извештај „{}“ — {recipient}{}{}",
            kind.as_str(),
            if reference.is_empty() { String::new() } else { format!(", број {reference}") },
            if late { " (после рока)" } else { "" }
        );
        let log = draft(actor, LogCategory::SecurityMeasure, Some(ObjectRef::new("incident", id, &view.incident.title)), text);
        self.store
            .add_incident_report(actor.office_id, id, kind, sent_us, &recipient, &reference, &snapshot, &actor.full_name, self.now(), log)
            .await
    }

    /// ZIB čl. 25: a year's figures, due by 28 February of the next.
    pub async fn incident_statistics(&self, actor: &Actor, year: i16) -> Result<Statistics> {
        actor.require(Permission::WorklogRead)?;
        Ok(statistics(year, &self.store.incidents(actor.office_id).await?))
    }

    pub async fn trainings(&self, actor: &Actor) -> Result<Vec<crate::trainings::Training>> {
        actor.require(Permission::WorklogRead)?;
        self.store.trainings(actor.office_id).await
    }

    /// A training held, with who attended (P.5.1, measure 4).
    pub async fn record_training(&self, actor: &Actor, input: &crate::trainings::TrainingInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let f = input.validate(local_date(self.now()).unwrap_or_default())?;
        for p in &f.attendees {
            self.store.get_person(actor.office_id, *p).await.map_err(|_| Error::invalid("attendees", "err-training-attendees"))?;
        }
        let text = format!("Обука „{}“ ({}), {}: {} полазника", f.topic, f.kind.as_str(), f.held_on, f.attendees.len());
        let log = draft(actor, LogCategory::SecurityMeasure, None, text);
        self.store.add_training(actor.office_id, &f, &actor.full_name, self.now(), log).await
    }

    /// Who has had no training (ever, or since a date).
    pub async fn untrained_people(&self, actor: &Actor, since: Option<&str>) -> Result<Vec<(i64, String)>> {
        actor.require(Permission::WorklogRead)?;
        let since = since.and_then(crate::clock::parse_date).map(|d| d.to_string());
        self.store.untrained_people(actor.office_id, since.as_deref()).await
    }

    /// Requests to take data, software or equipment off the premises (R.65).
    pub async fn removals(&self, actor: &Actor) -> Result<Vec<crate::removals::Removal>> {
        actor.require(Permission::WorklogRead)?;
        self.store.removals(actor.office_id).await
    }

    pub async fn request_removal(&self, actor: &Actor, input: &crate::removals::RemovalInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let (kind, what, purpose, asset_id) = input.validate()?;
        if let Some(a) = asset_id {
            self.store.get_asset(actor.office_id, a).await.map_err(|_| Error::invalid("asset_id", "err-removal-asset"))?;
        }
        let text = format!("Захтев за изношење ({}): {what} — {purpose} (члан 65)", kind.as_str());
        let log = draft(actor, LogCategory::SecurityMeasure, None, text);
        self.store.add_removal(actor.office_id, kind, &what, &purpose, asset_id, &actor.full_name, self.now(), log).await
    }

    /// The head of administration decides (R.65); a refusal says why.
    pub async fn decide_removal(&self, actor: &Actor, id: i64, approve: bool, note: &str) -> Result<()> {
        actor.require(Permission::ApproveRemovals)?;
        let note = note.trim();
        if !approve && note.is_empty() {
            return Err(Error::invalid("note", "err-request-reject-reason"));
        }
        let r = self.removals(actor).await?.into_iter().find(|r| r.id == id).ok_or(Error::NotFound { what: "removal" })?;
        if r.state != crate::removals::RemovalState::Submitted {
            return Err(Error::invalid("state", "err-request-state"));
        }
        let (to, word) = if approve {
            (crate::removals::RemovalState::Approved, "одобрено")
        } else {
            (crate::removals::RemovalState::Rejected, "одбијено")
        };
        let log = draft(
            actor,
            LogCategory::SecurityMeasure,
            None,
            format!("Изношење „{}“ {word} (члан 65){}", r.what, if note.is_empty() { String::new() } else { format!(": {note}") }),
        );
        self.store.decide_removal(actor.office_id, id, to, &actor.full_name, note, self.now(), log).await
    }

    /// Submitted removal requests waiting for the head of administration (home page).
    pub async fn removals_waiting(&self, actor: &Actor) -> Result<usize> {
        actor.require(Permission::ApproveRemovals)?;
        Ok(self.store.removals(actor.office_id).await?.iter().filter(|r| r.state == crate::removals::RemovalState::Submitted).count())
    }

    pub async fn transfers(&self, actor: &Actor) -> Result<Vec<crate::removals::Transfer>> {
        actor.require(Permission::WorklogRead)?;
        self.store.transfers(actor.office_id).await
    }

    /// A cover document of data sent on a medium (R.65).
    pub async fn record_transfer(&self, actor: &Actor, input: &crate::removals::TransferInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let t = input.validate(local_date(self.now()).unwrap_or_default())?;
        let text =
            format!("Пропратни акт (члан 65): {} → {}, {} на медијуму „{}“, {}", t.sender, t.receiver, t.data_kind, t.medium, t.sent_on);
        let log = draft(actor, LogCategory::DataMedia, None, text);
        self.store.add_transfer(actor.office_id, &t, &actor.full_name, self.now(), log).await
    }

    /// The server room's access log (R.6).
    pub async fn server_room_visits(&self, actor: &Actor) -> Result<Vec<crate::server_room::Visit>> {
        actor.require(Permission::WorklogRead)?;
        self.store.server_room_visits(actor.office_id, 500).await
    }

    /// Records an entry into the server room; anyone but the roles R.6 names comes accompanied.
    pub async fn record_server_room_visit(&self, actor: &Actor, input: &crate::server_room::VisitInput) -> Result<i64> {
        actor.require(Permission::WorklogWrite)?;
        let v = input.validate(self.now())?;
        let mut text =
            format!("Улазак у серверску просторију: {} ({}), {}; {}", v.person, v.role.as_str(), format_local(v.entered_us), v.reason);
        if !v.accompanied_by.is_empty() {
            text.push_str(&format!("; у пратњи: {}", v.accompanied_by));
        }
        let log = draft(actor, LogCategory::SecurityMeasure, None, text);
        self.store.add_server_room_visit(actor.office_id, &v, &actor.full_name, self.now(), log).await
    }

    pub async fn close_server_room_visit(&self, actor: &Actor, id: i64) -> Result<()> {
        actor.require(Permission::WorklogWrite)?;
        let v = self.server_room_visits(actor).await?.into_iter().find(|v| v.id == id).ok_or(Error::NotFound { what: "visit" })?;
        if v.left_us.is_some() {
            return Err(Error::invalid("left", "err-visit-closed"));
        }
        let now = self.now();
        let log = draft(
            actor,
            LogCategory::SecurityMeasure,
            None,
            format!("Излазак из серверске просторије: {}, {}", v.person, format_local(now)),
        );
        self.store.close_server_room_visit(actor.office_id, id, now, now, log).await
    }

    /// Open duties of every incident due within `hours` or already late (the home page).
    pub async fn incident_duties(&self, actor: &Actor, hours: i64) -> Result<Vec<(Incident, Deadline)>> {
        let now = self.now();
        let mut out = vec![];
        for v in self.incidents(actor).await? {
            for d in v.deadlines.iter().filter(|d| d.sent_us.is_none()) {
                let soon = d.due_us.is_none_or(|due| due <= now + hours * crate::incident::HOUR_US);
                if soon && !(d.kind == ReportKind::Interim && v.incident.ended_us.is_some()) {
                    out.push((v.incident.clone(), d.clone()));
                }
            }
        }
        out.sort_by_key(|(_, d)| (d.due_us.is_none(), d.due_us));
        Ok(out)
    }
}
