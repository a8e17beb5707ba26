//! Scans of the network shares (R.38–R.46): the figures of every scan, per unit, and the findings
//! of a share's latest scans.

use sqlx::AssertSqlSafe;
use upravnik_core::Result;
use upravnik_core::clock::Micros;
use upravnik_core::shares_service::{NewScan, ScanSummary, StoredFinding, UnitRow};
use upravnik_core::worklog::Draft;

use crate::SqlStore;
use crate::rows::{Get, map_err};
use crate::worklog::append_tx;

impl SqlStore {
    pub(crate) async fn shares_impl(&self, office_id: i64) -> Result<Vec<(i64, String, String)>> {
        sqlx::query_as("SELECT id, name, root FROM shares WHERE office_id = $1 ORDER BY name")
            .bind(office_id)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)
    }

    pub(crate) async fn share_scans_impl(&self, office_id: i64, share_id: i64, limit: i64) -> Result<Vec<ScanSummary>> {
        let rows = sqlx::query(
            "SELECT id, scanned_at, millis, files, folders, bytes, violations, renamable, unreadable, recorded_by FROM share_scans \
             WHERE office_id = $1 AND share_id = $2 ORDER BY scanned_at DESC, id DESC LIMIT $3",
        )
        .bind(office_id)
        .bind(share_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(ScanSummary {
                    id: r.i64("id")?,
                    scanned_us: r.i64("scanned_at")?,
                    millis: r.i64("millis")?,
                    files: r.i64("files")?,
                    folders: r.i64("folders")?,
                    bytes: r.i64("bytes")?,
                    violations: r.i64("violations")?,
                    renamable: r.i64("renamable")?,
                    unreadable: r.i64("unreadable")?,
                    recorded_by: r.text("recorded_by")?,
                })
            })
            .collect()
    }

    pub(crate) async fn share_scan_units_impl(&self, scan_id: i64) -> Result<Vec<UnitRow>> {
        let rows = sqlx::query("SELECT unit, files, bytes, violations FROM share_scan_units WHERE scan_id = $1 ORDER BY unit")
            .bind(scan_id)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(UnitRow { unit: r.text("unit")?, files: r.i64("files")?, bytes: r.i64("bytes")?, violations: r.i64("violations")? })
            })
            .collect()
    }

    pub(crate) async fn share_findings_impl(
        &self,
        scan_id: i64,
        unit: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredFinding>, i64)> {
        let filter = if unit.is_some() { " AND unit = $2" } else { "" };
        let mut count =
            sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM share_findings WHERE scan_id = $1{filter}"))).bind(scan_id);
        if let Some(u) = unit {
            count = count.bind(u);
        }
        let total: i64 = count.fetch_one(&self.pool).await.map_err(map_err)?;
        let n = if unit.is_some() { 3 } else { 2 };
        let mut q = sqlx::query(AssertSqlSafe(format!(
            "SELECT unit, path, rule, article, detail, proposal FROM share_findings WHERE scan_id = $1{filter} \
             ORDER BY path, id LIMIT ${n} OFFSET ${}",
            n + 1
        )))
        .bind(scan_id);
        if let Some(u) = unit {
            q = q.bind(u);
        }
        let rows = q.bind(limit).bind(offset).fetch_all(&self.pool).await.map_err(map_err)?;
        let list = rows
            .iter()
            .map(|r| {
                Ok(StoredFinding {
                    unit: r.text("unit")?,
                    path: r.text("path")?,
                    rule: r.text("rule")?,
                    article: r.text("article")?,
                    detail: r.text("detail")?,
                    proposal: r.opt_text("proposal")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((list, total))
    }

    pub(crate) async fn record_share_scan_impl(
        &self,
        office_id: i64,
        scan: &NewScan,
        keep_findings: i64,
        now: Micros,
        log: Draft,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM shares WHERE office_id = $1 AND name = $2")
            .bind(office_id)
            .bind(&scan.share)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        let share_id = match existing {
            Some(id) => {
                sqlx::query("UPDATE shares SET root = $1 WHERE id = $2")
                    .bind(&scan.root)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                id
            }
            None => sqlx::query_scalar("INSERT INTO shares (office_id, name, root, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(office_id)
                .bind(&scan.share)
                .bind(&scan.root)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO share_scans (office_id, share_id, scanned_at, millis, files, folders, bytes, violations, renamable, unreadable, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(office_id)
        .bind(share_id)
        .bind(now)
        .bind(scan.millis)
        .bind(scan.files)
        .bind(scan.folders)
        .bind(scan.bytes)
        .bind(scan.violations)
        .bind(scan.renamable)
        .bind(scan.unreadable)
        .bind(&log.actor_name)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        for u in &scan.units {
            sqlx::query("INSERT INTO share_scan_units (scan_id, unit, files, bytes, violations) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(&u.unit)
                .bind(u.files)
                .bind(u.bytes)
                .bind(u.violations)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        // Many rows: one statement per chunk rather than one per finding.
        for chunk in scan.findings.chunks(500) {
            let sql = format!(
                "INSERT INTO share_findings (scan_id, unit, path, rule, article, detail, proposal) VALUES {}",
                self.backend.tuples(chunk.len(), 7)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for f in chunk {
                q = q.bind(id).bind(&f.unit).bind(&f.path).bind(&f.rule).bind(&f.article).bind(&f.detail).bind(f.proposal.clone());
            }
            q.execute(&mut *tx).await.map_err(map_err)?;
        }
        sqlx::query(
            "DELETE FROM share_findings WHERE scan_id IN (SELECT id FROM share_scans WHERE share_id = $1 AND id NOT IN \
             (SELECT id FROM share_scans WHERE share_id = $1 ORDER BY scanned_at DESC, id DESC LIMIT $2))",
        )
        .bind(share_id)
        .bind(keep_findings)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }
}
