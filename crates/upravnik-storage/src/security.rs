//! The measures register with its evidence files, and the incidents register with the reports
//! sent (each kept as the snapshot of what was sent).

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use upravnik_core::clock::Micros;
use upravnik_core::incident::{DangerLevel, Incident, IncidentFields, ReportKind, SentReport};
use upravnik_core::measures::{Assessment, Law, MeasureStatus};
use upravnik_core::removals::{Removal, RemovalKind, RemovalState, Transfer};
use upravnik_core::security_service::EvidenceFile;
use upravnik_core::server_room::{Visit, VisitFields, VisitorRole};
use upravnik_core::trainings::{Training, TrainingFields, TrainingKind};
use upravnik_core::worklog::Draft;
use upravnik_core::{Error, Result};

use crate::SqlStore;
use crate::rows::{Get, flag, map_err};
use crate::worklog::{append_tx, commit_guarded};

const EVIDENCE_COLS: &str = "id, law, no, name, content_type, size_bytes, sha256, uploaded_by, uploaded_at";

fn evidence(r: &AnyRow) -> Result<EvidenceFile> {
    Ok(EvidenceFile {
        id: r.i64("id")?,
        law: Law::parse(&r.text("law")?).ok_or_else(|| Error::Storage("unknown law".into()))?,
        no: r.i64("no")?,
        name: r.text("name")?,
        content_type: r.text("content_type")?,
        size_bytes: r.i64("size_bytes")?,
        sha256: r.text("sha256")?,
        uploaded_by: r.text("uploaded_by")?,
        uploaded_us: r.i64("uploaded_at")?,
    })
}

fn level(v: Option<String>) -> Option<DangerLevel> {
    v.as_deref().and_then(DangerLevel::parse)
}

const INCIDENT_COLS: &str = "id, title, description, started_at, aware_at, ended_at, criteria, near_miss, crime_suspected, danger, \
     danger_authority, indicators, affected_services, personal_data, high_risk_to_people, services_affected, cross_border, measures, \
     recorded_by, created_at";

fn incident(r: &AnyRow) -> Result<Incident> {
    Ok(Incident {
        id: r.i64("id")?,
        title: r.text("title")?,
        description: r.text("description")?,
        started_us: r.opt_i64("started_at")?,
        aware_us: r.i64("aware_at")?,
        ended_us: r.opt_i64("ended_at")?,
        criteria: r.text("criteria")?.split(',').filter_map(|c| c.trim().parse().ok()).collect(),
        near_miss: r.flag("near_miss")?,
        crime_suspected: r.flag("crime_suspected")?,
        danger: level(r.opt_text("danger")?),
        danger_authority: level(r.opt_text("danger_authority")?),
        indicators: r.text("indicators")?,
        affected_services: r.text("affected_services")?,
        personal_data: r.flag("personal_data")?,
        high_risk_to_people: r.flag("high_risk_to_people")?,
        services_affected: r.flag("services_affected")?,
        cross_border: r.flag("cross_border")?,
        measures: r.text("measures")?,
        recorded_by: r.text("recorded_by")?,
        created_us: r.i64("created_at")?,
        asset_ids: vec![],
        reports: vec![],
    })
}

impl SqlStore {
    pub(crate) async fn security_assessments_impl(&self, office_id: i64, law: Law) -> Result<Vec<Assessment>> {
        let rows = sqlx::query(
            "SELECT no, applicable, justification, implementation, responsible, documents, status, checked_on, updated_at \
             FROM security_measures WHERE office_id = $1 AND law = $2 ORDER BY no",
        )
        .bind(office_id)
        .bind(law.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(Assessment {
                    law,
                    no: r.i64("no")?,
                    applicable: r.flag("applicable")?,
                    justification: r.text("justification")?,
                    implementation: r.text("implementation")?,
                    responsible: r.text("responsible")?,
                    documents: r.text("documents")?,
                    status: MeasureStatus::parse(&r.text("status")?).ok_or_else(|| Error::Storage("unknown measure status".into()))?,
                    checked_on: r.opt_text("checked_on")?,
                    updated_us: r.opt_i64("updated_at")?,
                })
            })
            .collect()
    }

    pub(crate) async fn save_assessment_impl(&self, office_id: i64, a: &Assessment, now: Micros, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO security_measures (office_id, law, no, applicable, justification, implementation, responsible, documents, status, checked_on, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (office_id, law, no) DO UPDATE SET applicable = excluded.applicable, justification = excluded.justification, \
             implementation = excluded.implementation, responsible = excluded.responsible, documents = excluded.documents, \
             status = excluded.status, checked_on = excluded.checked_on, updated_at = excluded.updated_at",
        )
        .bind(office_id)
        .bind(a.law.as_str())
        .bind(a.no)
        .bind(flag(a.applicable))
        .bind(&a.justification)
        .bind(&a.implementation)
        .bind(&a.responsible)
        .bind(&a.documents)
        .bind(a.status.as_str())
        .bind(a.checked_on.clone())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn evidence_files_impl(&self, office_id: i64, law: Law, no: Option<i64>) -> Result<Vec<EvidenceFile>> {
        let one = if no.is_some() { " AND no = $3" } else { "" };
        let mut q = sqlx::query(AssertSqlSafe(format!(
            "SELECT {EVIDENCE_COLS} FROM measure_evidence WHERE office_id = $1 AND law = $2{one} ORDER BY no, uploaded_at"
        )))
        .bind(office_id)
        .bind(law.as_str());
        if let Some(n) = no {
            q = q.bind(n);
        }
        q.fetch_all(&self.pool).await.map_err(map_err)?.iter().map(evidence).collect()
    }

    pub(crate) async fn add_evidence_impl(&self, office_id: i64, f: &EvidenceFile, bytes: &[u8], log: Draft) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO measure_evidence (office_id, law, no, name, content_type, size_bytes, sha256, data, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(office_id)
        .bind(f.law.as_str())
        .bind(f.no)
        .bind(&f.name)
        .bind(&f.content_type)
        .bind(f.size_bytes)
        .bind(&f.sha256)
        .bind(bytes.to_vec())
        .bind(&f.uploaded_by)
        .bind(f.uploaded_us)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, f.uploaded_us).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn evidence_file_impl(&self, office_id: i64, id: i64) -> Result<(EvidenceFile, Vec<u8>)> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {EVIDENCE_COLS}, data FROM measure_evidence WHERE office_id = $1 AND id = $2")))
            .bind(office_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .ok_or(Error::NotFound { what: "evidence file" })?;
        let data: Vec<u8> = r.try_get("data").map_err(map_err)?;
        Ok((evidence(&r)?, data))
    }

    pub(crate) async fn administrators_with_mfa_impl(&self, office_id: i64) -> Result<(i64, i64)> {
        let (with, all): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN u.totp_secret IS NOT NULL THEN 1 ELSE 0 END), 0), COUNT(*) FROM users u \
             JOIN user_roles r ON r.user_id = u.id AND r.role = 'administrator' WHERE u.office_id = $1 AND u.active = 1",
        )
        .bind(office_id)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok((with, all))
    }

    pub(crate) async fn incidents_impl(&self, office_id: i64) -> Result<Vec<Incident>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INCIDENT_COLS} FROM incidents WHERE office_id = $1 ORDER BY aware_at DESC, id DESC"
        )))
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut list: Vec<Incident> = rows.iter().map(incident).collect::<Result<_>>()?;
        let assets: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT ia.incident_id, ia.asset_id FROM incident_assets ia JOIN incidents i ON i.id = ia.incident_id WHERE i.office_id = $1 \
             ORDER BY ia.asset_id",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let reports = sqlx::query(
            "SELECT id, incident_id, kind, sent_at, recipient, reference, snapshot, recorded_by FROM incident_reports \
             WHERE office_id = $1 ORDER BY sent_at, id",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        for i in &mut list {
            i.asset_ids = assets.iter().filter(|(inc, _)| *inc == i.id).map(|(_, a)| *a).collect();
        }
        for r in &reports {
            let incident_id = r.i64("incident_id")?;
            if let Some(i) = list.iter_mut().find(|i| i.id == incident_id) {
                i.reports.push(SentReport {
                    id: r.i64("id")?,
                    kind: ReportKind::parse(&r.text("kind")?).ok_or_else(|| Error::Storage("unknown report kind".into()))?,
                    sent_us: r.i64("sent_at")?,
                    recipient: r.text("recipient")?,
                    reference: r.text("reference")?,
                    snapshot: r.text("snapshot")?,
                    recorded_by: r.text("recorded_by")?,
                });
            }
        }
        Ok(list)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn save_incident_impl(
        &self,
        office_id: i64,
        id: Option<i64>,
        f: &IncidentFields,
        asset_ids: &[i64],
        by: &str,
        now: Micros,
        log: Draft,
    ) -> Result<i64> {
        let criteria = f.criteria.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
        let mut tx = self.begin_write().await?;
        let sql = match id {
            None => {
                "INSERT INTO incidents (title, description, started_at, aware_at, ended_at, criteria, near_miss, crime_suspected, danger, \
                 danger_authority, indicators, affected_services, personal_data, high_risk_to_people, services_affected, cross_border, \
                 measures, recorded_by, created_at, updated_at, office_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, $20) RETURNING id"
            }
            Some(_) => {
                "UPDATE incidents SET title = $1, description = $2, started_at = $3, aware_at = $4, ended_at = $5, criteria = $6, \
                 near_miss = $7, crime_suspected = $8, danger = $9, danger_authority = $10, indicators = $11, affected_services = $12, \
                 personal_data = $13, high_risk_to_people = $14, services_affected = $15, cross_border = $16, measures = $17, \
                 recorded_by = COALESCE(recorded_by, $18), updated_at = $19 WHERE office_id = $20 AND id = $21 RETURNING id"
            }
        };
        let mut q = sqlx::query_scalar::<_, i64>(sql)
            .bind(&f.title)
            .bind(&f.description)
            .bind(f.started_us)
            .bind(f.aware_us)
            .bind(f.ended_us)
            .bind(criteria)
            .bind(flag(f.near_miss))
            .bind(flag(f.crime_suspected))
            .bind(f.danger.map(|d| d.as_str()))
            .bind(f.danger_authority.map(|d| d.as_str()))
            .bind(&f.indicators)
            .bind(&f.affected_services)
            .bind(flag(f.personal_data))
            .bind(flag(f.high_risk_to_people))
            .bind(flag(f.services_affected))
            .bind(flag(f.cross_border))
            .bind(&f.measures)
            .bind(by)
            .bind(now)
            .bind(office_id);
        if let Some(id) = id {
            q = q.bind(id);
        }
        let id = q.fetch_optional(&mut *tx).await.map_err(map_err)?.ok_or(Error::NotFound { what: "incident" })?;
        sqlx::query("DELETE FROM incident_assets WHERE incident_id = $1").bind(id).execute(&mut *tx).await.map_err(map_err)?;
        for a in asset_ids {
            sqlx::query("INSERT INTO incident_assets (incident_id, asset_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(a)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        let mut log = log;
        log.object.get_or_insert(upravnik_core::worklog::ObjectRef::new("incident", id, &f.title));
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn add_incident_report_impl(
        &self,
        office_id: i64,
        incident_id: i64,
        kind: ReportKind,
        sent_us: Micros,
        recipient: &str,
        reference: &str,
        snapshot: &str,
        by: &str,
        now: Micros,
        log: Draft,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO incident_reports (office_id, incident_id, kind, sent_at, recipient, reference, snapshot, recorded_by, recorded_at) \
             SELECT $1, id, $3, $4, $5, $6, $7, $8, $9 FROM incidents WHERE id = $2 AND office_id = $1 RETURNING id",
        )
        .bind(office_id)
        .bind(incident_id)
        .bind(kind.as_str())
        .bind(sent_us)
        .bind(recipient)
        .bind(reference)
        .bind(snapshot)
        .bind(by)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(Error::NotFound { what: "incident" })?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn server_room_visits_impl(&self, office_id: i64, limit: i64) -> Result<Vec<Visit>> {
        let rows = sqlx::query(
            "SELECT id, person, role, entered_at, left_at, reason, accompanied_by, recorded_by FROM server_room_visits \
             WHERE office_id = $1 ORDER BY entered_at DESC, id DESC LIMIT $2",
        )
        .bind(office_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(Visit {
                    id: r.i64("id")?,
                    person: r.text("person")?,
                    role: VisitorRole::parse(&r.text("role")?).ok_or_else(|| Error::Storage("unknown visitor role".into()))?,
                    entered_us: r.i64("entered_at")?,
                    left_us: r.opt_i64("left_at")?,
                    reason: r.text("reason")?,
                    accompanied_by: r.text("accompanied_by")?,
                    recorded_by: r.text("recorded_by")?,
                })
            })
            .collect()
    }

    pub(crate) async fn add_server_room_visit_impl(
        &self,
        office_id: i64,
        v: &VisitFields,
        by: &str,
        now: Micros,
        log: Draft,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO server_room_visits (office_id, person, role, entered_at, left_at, reason, accompanied_by, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(office_id)
        .bind(&v.person)
        .bind(v.role.as_str())
        .bind(v.entered_us)
        .bind(v.left_us)
        .bind(&v.reason)
        .bind(&v.accompanied_by)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn close_server_room_visit_impl(&self, office_id: i64, id: i64, left: Micros, now: Micros, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE server_room_visits SET left_at = $1 WHERE id = $2 AND office_id = $3 AND left_at IS NULL")
            .bind(left)
            .bind(id)
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        commit_guarded(tx, n.rows_affected(), "left", log, now).await
    }

    pub(crate) async fn trainings_impl(&self, office_id: i64) -> Result<Vec<Training>> {
        let rows = sqlx::query(
            "SELECT id, topic, kind, held_on, trainer, hours, note, recorded_by FROM trainings WHERE office_id = $1 \
             ORDER BY held_on DESC, id DESC",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let people: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT a.training_id, p.id, p.given_name, p.family_name FROM training_attendees a JOIN trainings t ON t.id = a.training_id \
             JOIN people p ON p.id = a.person_id WHERE t.office_id = $1 ORDER BY p.family_name, p.given_name",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let id = r.i64("id")?;
                Ok(Training {
                    id,
                    topic: r.text("topic")?,
                    kind: TrainingKind::parse(&r.text("kind")?).ok_or_else(|| Error::Storage("unknown training kind".into()))?,
                    held_on: r.text("held_on")?,
                    trainer: r.text("trainer")?,
                    hours: r.opt_i64("hours")?,
                    note: r.text("note")?,
                    recorded_by: r.text("recorded_by")?,
                    attendees: people.iter().filter(|(t, ..)| *t == id).map(|(_, p, g, f)| (*p, format!("{g} {f}"))).collect(),
                })
            })
            .collect()
    }

    pub(crate) async fn add_training_impl(&self, office_id: i64, f: &TrainingFields, by: &str, now: Micros, log: Draft) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO trainings (office_id, topic, kind, held_on, trainer, hours, note, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(office_id)
        .bind(&f.topic)
        .bind(f.kind.as_str())
        .bind(&f.held_on)
        .bind(&f.trainer)
        .bind(f.hours)
        .bind(&f.note)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        for p in &f.attendees {
            sqlx::query("INSERT INTO training_attendees (training_id, person_id) VALUES ($1, $2)")
                .bind(id)
                .bind(p)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn untrained_people_impl(&self, office_id: i64, since: Option<&str>) -> Result<Vec<(i64, String)>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT p.id, p.given_name, p.family_name FROM people p WHERE p.office_id = $1 AND p.active = 1 AND NOT EXISTS \
             (SELECT 1 FROM training_attendees a JOIN trainings t ON t.id = a.training_id \
              WHERE a.person_id = p.id AND t.held_on >= COALESCE($2, '0000-01-01')) ORDER BY p.family_name, p.given_name",
        )
        .bind(office_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows.into_iter().map(|(id, g, f)| (id, format!("{g} {f}"))).collect())
    }

    pub(crate) async fn removals_impl(&self, office_id: i64) -> Result<Vec<Removal>> {
        let rows = sqlx::query(
            "SELECT id, kind, what, purpose, asset_id, requested_by, requested_at, state, decided_by, decided_at, decision_note \
             FROM removals WHERE office_id = $1 ORDER BY requested_at DESC, id DESC LIMIT 1000",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(Removal {
                    id: r.i64("id")?,
                    kind: RemovalKind::parse(&r.text("kind")?).ok_or_else(|| Error::Storage("unknown removal kind".into()))?,
                    what: r.text("what")?,
                    purpose: r.text("purpose")?,
                    asset_id: r.opt_i64("asset_id")?,
                    requested_by: r.text("requested_by")?,
                    requested_us: r.i64("requested_at")?,
                    state: RemovalState::parse(&r.text("state")?).ok_or_else(|| Error::Storage("unknown removal state".into()))?,
                    decided_by: r.opt_text("decided_by")?,
                    decided_us: r.opt_i64("decided_at")?,
                    decision_note: r.text("decision_note")?,
                })
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn add_removal_impl(
        &self,
        office_id: i64,
        kind: RemovalKind,
        what: &str,
        purpose: &str,
        asset_id: Option<i64>,
        by: &str,
        now: Micros,
        log: Draft,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO removals (office_id, kind, what, purpose, asset_id, requested_by, requested_at, state) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted') RETURNING id",
        )
        .bind(office_id)
        .bind(kind.as_str())
        .bind(what)
        .bind(purpose)
        .bind(asset_id)
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
    pub(crate) async fn decide_removal_impl(
        &self,
        office_id: i64,
        id: i64,
        to: RemovalState,
        by: &str,
        note: &str,
        now: Micros,
        log: Draft,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE removals SET state = $1, decided_by = $2, decided_at = $3, decision_note = $4 \
             WHERE id = $5 AND office_id = $6 AND state = 'submitted'",
        )
        .bind(to.as_str())
        .bind(by)
        .bind(now)
        .bind(note)
        .bind(id)
        .bind(office_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        commit_guarded(tx, n.rows_affected(), "state", log, now).await
    }

    pub(crate) async fn transfers_impl(&self, office_id: i64) -> Result<Vec<Transfer>> {
        let rows = sqlx::query(
            "SELECT id, sender, receiver, data_kind, medium, sent_on, reference, recorded_by FROM media_transfers \
             WHERE office_id = $1 ORDER BY sent_on DESC, id DESC LIMIT 1000",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(Transfer {
                    id: r.i64("id")?,
                    sender: r.text("sender")?,
                    receiver: r.text("receiver")?,
                    data_kind: r.text("data_kind")?,
                    medium: r.text("medium")?,
                    sent_on: r.text("sent_on")?,
                    reference: r.text("reference")?,
                    recorded_by: r.text("recorded_by")?,
                })
            })
            .collect()
    }

    pub(crate) async fn add_transfer_impl(&self, office_id: i64, t: &Transfer, by: &str, now: Micros, log: Draft) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO media_transfers (office_id, sender, receiver, data_kind, medium, sent_on, reference, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(office_id)
        .bind(&t.sender)
        .bind(&t.receiver)
        .bind(&t.data_kind)
        .bind(&t.medium)
        .bind(&t.sent_on)
        .bind(&t.reference)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }
}
