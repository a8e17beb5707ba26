//! Internet access per workstation, the sites of blocked categories, misuse reports, antivirus
//! as the inventories reported it, and software install requests.

use std::collections::BTreeSet;

use crate::SqlStore;
use crate::rows::{Get, flag, map_err};
use crate::worklog::{append_tx, commit_guarded};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use upravnik_core::antivirus::Coverage;
use upravnik_core::asset::format_label;
use upravnik_core::clock::Micros;
use upravnik_core::internet::{Access, Misuse, MisuseFields, MisuseKind, SiteCategory, Social};
use upravnik_core::internet_service::{AntivirusRow, HostRow, Site};
use upravnik_core::software_requests::{InstallRequest, RequestFields, RequestState};
use upravnik_core::worklog::Draft;
use upravnik_core::{Error, Result};

/// Computers in use: the ones that browse and run antivirus.
const IN_USE_COMPUTER: &str = "a.office_id = $1 AND a.kind IN ('workstation', 'laptop') AND a.status NOT IN ('written_off', 'disposed')";

/// Where a workstation is: the unit of its workplace, or of the person who holds it.
const ASSET_UNIT: &str = "LEFT JOIN workplaces w ON w.id = a.workplace_id LEFT JOIN people pe ON pe.id = a.person_id \
     LEFT JOIN org_units ou ON ou.id = COALESCE(w.unit_id, pe.unit_id)";

fn label(r: &AnyRow) -> Result<String> {
    Ok(match r.opt_i64("label")? {
        Some(l) => format_label(l),
        None => r.text("hostname")?,
    })
}

fn access(r: &AnyRow, asset_id: i64) -> Result<Option<Access>> {
    let Some(blocked) = r.opt_text("blocked")? else { return Ok(None) };
    let reason = r.text("social_reason")?;
    let social = match (reason.is_empty(), r.opt_text("social_approved_by")?, r.opt_i64("social_approved_at")?) {
        (true, _, _) => Social::Blocked,
        (false, Some(by), Some(at_us)) => Social::Approved { reason, by, at_us },
        (false, _, _) => Social::Requested { reason },
    };
    Ok(Some(Access {
        asset_id,
        allowed: r.flag("allowed")?,
        blocked: blocked.split(',').filter_map(SiteCategory::parse).collect(),
        social,
        note: r.text("access_note")?,
    }))
}

fn request(r: &AnyRow) -> Result<InstallRequest> {
    Ok(InstallRequest {
        id: r.i64("id")?,
        asset_id: r.i64("asset_id")?,
        asset: r.text("inventory_number")?,
        product_id: r.opt_i64("product_id")?,
        product: r.opt_text("product_name")?.unwrap_or_default(),
        name: r.text("name")?,
        reason: r.text("reason")?,
        state: RequestState::parse(&r.text("state")?).ok_or_else(|| Error::Storage("unknown request state".into()))?,
        requested_by: r.text("requested_by")?,
        requested_user_id: r.i64("requested_user_id")?,
        requested_us: r.i64("requested_at")?,
        decided_by: r.opt_text("decided_by")?,
        decided_us: r.opt_i64("decided_at")?,
        decision_note: r.text("decision_note")?,
        installed_by: r.opt_text("installed_by")?,
        installed_us: r.opt_i64("installed_at")?,
        confirmed_us: r.opt_i64("confirmed_at")?,
    })
}

const REQUEST_COLS: &str = "r.id, r.asset_id, a.inventory_number, r.product_id, sp.name AS product_name, r.name, r.reason, r.state, \
     r.requested_by, r.requested_user_id, r.requested_at, r.decided_by, r.decided_at, r.decision_note, r.installed_by, \
     r.installed_at, r.confirmed_at \
     FROM software_requests r JOIN assets a ON a.id = r.asset_id LEFT JOIN software_products sp ON sp.id = r.product_id";

const OPEN_STATES: &str = "('submitted', 'approved', 'installed')";

impl SqlStore {
    pub(crate) async fn internet_hosts_impl(&self, office_id: i64) -> Result<Vec<HostRow>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT a.id, a.inventory_number, a.label, a.hostname, a.ip, COALESCE(ou.name, '') AS unit, \
             COALESCE(pe.given_name || ' ' || pe.family_name, '') AS person, \
             ia.allowed, ia.blocked, ia.social_reason, ia.social_approved_by, ia.social_approved_at, ia.note AS access_note \
             FROM assets a {ASSET_UNIT} LEFT JOIN internet_access ia ON ia.asset_id = a.id \
             WHERE {IN_USE_COMPUTER} ORDER BY a.label, a.inventory_number"
        )))
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let asset_id = r.i64("id")?;
                Ok(HostRow {
                    asset_id,
                    inventory_number: r.text("inventory_number")?,
                    label: label(r)?,
                    ip: r.opt_text("ip")?,
                    unit: r.text("unit")?,
                    person: r.text("person")?,
                    access: access(r, asset_id)?,
                })
            })
            .collect()
    }

    pub(crate) async fn save_internet_access_impl(&self, office_id: i64, a: &Access, now: Micros, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        write_access(&mut tx, office_id, a, now).await?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn internet_sites_impl(&self, office_id: i64) -> Result<Vec<Site>> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, category, domain FROM internet_sites WHERE office_id = $1 ORDER BY category, domain")
                .bind(office_id)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(rows.into_iter().filter_map(|(id, c, domain)| SiteCategory::parse(&c).map(|category| Site { id, category, domain })).collect())
    }

    pub(crate) async fn add_internet_sites_impl(
        &self,
        office_id: i64,
        sites: &[(SiteCategory, String)],
        now: Micros,
        log: Draft,
    ) -> Result<usize> {
        let mut tx = self.begin_write().await?;
        let mut added = 0;
        for (c, d) in sites {
            let n = sqlx::query(
                "INSERT INTO internet_sites (office_id, category, domain, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (office_id, category, domain) DO NOTHING",
            )
            .bind(office_id)
            .bind(c.as_str())
            .bind(d)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            added += n.rows_affected() as usize;
        }
        // Nothing new, nothing to log (the same list added twice).
        if added > 0 {
            append_tx(&mut tx, log, now).await?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(added)
    }

    pub(crate) async fn remove_internet_site_impl(&self, office_id: i64, id: i64, now: Micros, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM internet_sites WHERE id = $1 AND office_id = $2")
            .bind(id)
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "site" });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn record_misuse_impl(
        &self,
        office_id: i64,
        f: &MisuseFields,
        by: &str,
        cut: Option<&Access>,
        now: Micros,
        log: Draft,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO misuse_reports (office_id, asset_id, person_id, kind, happened_on, description, action, access_cut, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(office_id)
        .bind(f.asset_id)
        .bind(f.person_id)
        .bind(f.kind.as_str())
        .bind(&f.happened_on)
        .bind(&f.description)
        .bind(&f.action)
        .bind(flag(cut.is_some()))
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        if let Some(a) = cut {
            write_access(&mut tx, office_id, a, now).await?;
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn misuse_reports_impl(&self, office_id: i64, unseen_only: bool) -> Result<Vec<Misuse>> {
        let unseen = if unseen_only { " AND m.seen_at IS NULL" } else { "" };
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT m.id, m.kind, m.asset_id, COALESCE(a.inventory_number, '') AS asset, m.person_id, \
             COALESCE(p.given_name || ' ' || p.family_name, '') AS person, m.happened_on, m.description, m.action, m.access_cut, \
             m.recorded_by, m.recorded_at, m.seen_by, m.seen_at \
             FROM misuse_reports m LEFT JOIN assets a ON a.id = m.asset_id LEFT JOIN people p ON p.id = m.person_id \
             WHERE m.office_id = $1{unseen} ORDER BY m.recorded_at DESC, m.id DESC LIMIT 1000"
        )))
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(Misuse {
                    id: r.i64("id")?,
                    kind: MisuseKind::parse(&r.text("kind")?).ok_or_else(|| Error::Storage("unknown misuse kind".into()))?,
                    asset_id: r.opt_i64("asset_id")?,
                    asset: r.text("asset")?,
                    person_id: r.opt_i64("person_id")?,
                    person: r.text("person")?,
                    happened_on: r.text("happened_on")?,
                    description: r.text("description")?,
                    action: r.text("action")?,
                    access_cut: r.flag("access_cut")?,
                    recorded_by: r.text("recorded_by")?,
                    recorded_us: r.i64("recorded_at")?,
                    seen_by: r.opt_text("seen_by")?,
                    seen_us: r.opt_i64("seen_at")?,
                })
            })
            .collect()
    }

    pub(crate) async fn acknowledge_misuse_impl(&self, office_id: i64, id: i64, by: &str, now: Micros, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE misuse_reports SET seen_by = $1, seen_at = $2 WHERE id = $3 AND office_id = $4 AND seen_at IS NULL")
            .bind(by)
            .bind(now)
            .bind(id)
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        // Seen already (by another tab or instance): nothing changed, nothing to log.
        if n.rows_affected() == 1 {
            append_tx(&mut tx, log, now).await?;
        }
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn antivirus_rows_impl(&self, office_id: i64) -> Result<Vec<AntivirusRow>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT a.id, a.inventory_number, a.label, a.hostname, COALESCE(ou.name, '') AS unit, COALESCE(s.os, '') AS os, \
             s.antivirus, s.last_at FROM assets a {ASSET_UNIT} LEFT JOIN asset_inventory s ON s.asset_id = a.id \
             WHERE {IN_USE_COMPUTER}"
        )))
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(AntivirusRow {
                    asset_id: r.i64("id")?,
                    inventory_number: r.text("inventory_number")?,
                    label: label(r)?,
                    unit: r.text("unit")?,
                    os: r.text("os")?,
                    antivirus: r.opt_text("antivirus")?,
                    last_inventory_us: r.opt_i64("last_at")?,
                    coverage: Coverage::NotReported,
                })
            })
            .collect()
    }

    /// Each distinct antivirus state of the computers in use, with how many have it: offices
    /// run one or two products, so a few rows stand for hundreds of workstations.
    pub(crate) async fn antivirus_states_impl(&self, office_id: i64) -> Result<Vec<(Option<String>, i64)>> {
        sqlx::query_as(AssertSqlSafe(format!(
            "SELECT s.antivirus, COUNT(*) FROM assets a LEFT JOIN asset_inventory s ON s.asset_id = a.id WHERE {IN_USE_COMPUTER} \
             GROUP BY s.antivirus"
        )))
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)
    }

    pub(crate) async fn create_install_request_impl(
        &self,
        office_id: i64,
        f: &RequestFields,
        by: &str,
        user_id: i64,
        now: Micros,
        log: Draft,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO software_requests (office_id, asset_id, product_id, name, reason, state, requested_by, requested_user_id, requested_at) \
             VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7, $8) RETURNING id",
        )
        .bind(office_id)
        .bind(f.asset_id)
        .bind(f.product_id)
        .bind(&f.name)
        .bind(&f.reason)
        .bind(by)
        .bind(user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn install_requests_impl(&self, office_id: i64, open_only: bool, user_id: Option<i64>) -> Result<Vec<InstallRequest>> {
        let open = if open_only { format!(" AND r.state IN {OPEN_STATES}") } else { String::new() };
        let mine = if user_id.is_some() { " AND r.requested_user_id = $2" } else { "" };
        let sql = format!("SELECT {REQUEST_COLS} WHERE r.office_id = $1{open}{mine} ORDER BY r.requested_at DESC, r.id DESC LIMIT 1000");
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(office_id);
        if let Some(u) = user_id {
            q = q.bind(u);
        }
        q.fetch_all(&self.pool).await.map_err(map_err)?.iter().map(request).collect()
    }

    pub(crate) async fn install_request_impl(&self, office_id: i64, id: i64) -> Result<InstallRequest> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {REQUEST_COLS} WHERE r.office_id = $1 AND r.id = $2")))
            .bind(office_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .ok_or(Error::NotFound { what: "install request" })?;
        request(&r)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn set_install_request_state_impl(
        &self,
        office_id: i64,
        id: i64,
        from: RequestState,
        to: RequestState,
        by: &str,
        note: &str,
        product_id: Option<i64>,
        now: Micros,
        log: Draft,
    ) -> Result<()> {
        let set = match to {
            RequestState::Approved | RequestState::Rejected => "decided_by = $5, decided_at = $6, decision_note = $7",
            RequestState::Installed => "installed_by = $5, installed_at = $6, decision_note = decision_note || $7",
            RequestState::Confirmed => "confirmed_at = $6, decided_by = COALESCE(decided_by, $5), decision_note = decision_note || $7",
            RequestState::Submitted => return Err(Error::invalid("state", "err-request-state")),
        };
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(AssertSqlSafe(format!(
            "UPDATE software_requests SET state = $1, product_id = COALESCE($8, product_id), {set} \
             WHERE id = $2 AND office_id = $3 AND state = $4"
        )))
        .bind(to.as_str())
        .bind(id)
        .bind(office_id)
        .bind(from.as_str())
        .bind(by)
        .bind(now)
        .bind(note)
        .bind(product_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        commit_guarded(tx, n.rows_affected(), "state", log, now).await
    }

    pub(crate) async fn installs_to_confirm_impl(&self, office_id: i64, asset_id: Option<i64>) -> Result<Vec<InstallRequest>> {
        let one = if asset_id.is_some() { " AND r.asset_id = $2" } else { "" };
        let sql = format!(
            "SELECT {REQUEST_COLS} WHERE r.office_id = $1 AND r.state = 'installed'{one} AND EXISTS \
             (SELECT 1 FROM software_installs si WHERE si.asset_id = r.asset_id AND si.product_id = r.product_id)"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(office_id);
        if let Some(a) = asset_id {
            q = q.bind(a);
        }
        q.fetch_all(&self.pool).await.map_err(map_err)?.iter().map(request).collect()
    }
}

async fn write_access(tx: &mut sqlx::Transaction<'static, sqlx::Any>, office_id: i64, a: &Access, now: Micros) -> Result<()> {
    let blocked: BTreeSet<&str> = a.blocked.iter().map(|c| c.as_str()).collect();
    let blocked = blocked.into_iter().collect::<Vec<_>>().join(",");
    let (reason, by, at) = match &a.social {
        Social::Blocked => (String::new(), None, None),
        Social::Requested { reason } => (reason.clone(), None, None),
        Social::Approved { reason, by, at_us } => (reason.clone(), Some(by.clone()), Some(*at_us)),
    };
    sqlx::query(
        "INSERT INTO internet_access (asset_id, office_id, allowed, blocked, social_reason, social_requested_at, social_approved_by, \
         social_approved_at, note, updated_at) \
         SELECT id, office_id, $3, $4, $5, CASE WHEN $5 = '' THEN NULL ELSE $9 END, $6, $7, $8, $9 FROM assets WHERE id = $1 AND office_id = $2 \
         ON CONFLICT (asset_id) DO UPDATE SET allowed = excluded.allowed, blocked = excluded.blocked, \
         social_reason = excluded.social_reason, \
         social_requested_at = CASE WHEN excluded.social_reason = internet_access.social_reason \
             THEN internet_access.social_requested_at ELSE excluded.social_requested_at END, \
         social_approved_by = excluded.social_approved_by, social_approved_at = excluded.social_approved_at, \
         note = excluded.note, updated_at = excluded.updated_at",
    )
    .bind(a.asset_id)
    .bind(office_id)
    .bind(flag(a.allowed))
    .bind(blocked)
    .bind(reason)
    .bind(by)
    .bind(at)
    .bind(&a.note)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}
