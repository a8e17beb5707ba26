//! The directory's side of accounts: what the sync matches against, each change it makes (one
//! transaction with its work-log entry), the record of its runs, and the job leases that let
//! one instance of several run a scheduled job.

use std::collections::HashMap;

use crate::SqlStore;
use crate::org::person_key;
use crate::rows::{Get, flag, map_err};
use crate::worklog::append_tx;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Transaction};
use upravnik_core::access::Role;
use upravnik_core::clock::Micros;
use upravnik_core::directory::{AccountFilter, DirectoryPerson, LocalAccount, LocalState, SyncChange, SyncCounts, SyncRun};
use upravnik_core::text::search_key;
use upravnik_core::worklog::{Draft, ObjectRef};
use upravnik_core::{Error, Result};

/// The marker in `password_hash` of a directory account: not a PHC string, so it never verifies.
const DIRECTORY_HASH: &str = "!directory";

const LOCAL_COLS: &str = "us.id AS user_id, us.person_id, us.username, us.directory_dn, us.active, us.closed_by_directory, \
     pe.given_name, pe.family_name, pe.email, pe.phone, COALESCE(u.name, '') AS unit_name \
     FROM users us JOIN people pe ON pe.id = us.person_id LEFT JOIN org_units u ON u.id = pe.unit_id";

impl SqlStore {
    pub(crate) async fn directory_state_impl(&self, office_id: i64, filter: AccountFilter<'_>) -> Result<LocalState> {
        let (rows, people) = match filter {
            AccountFilter::All => {
                let rows = sqlx::query(AssertSqlSafe(format!("SELECT {LOCAL_COLS} WHERE us.office_id = $1")))
                    .bind(office_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                let people = sqlx::query(
                    "SELECT pe.id, pe.email FROM people pe WHERE pe.office_id = $1 AND pe.email <> '' \
                     AND NOT EXISTS (SELECT 1 FROM users us WHERE us.person_id = pe.id)",
                )
                .bind(office_id)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
                (rows, people)
            }
            AccountFilter::Entry { dn, username, email } => {
                let rows = sqlx::query(AssertSqlSafe(format!(
                    "SELECT {LOCAL_COLS} WHERE us.office_id = $1 AND (us.directory_dn = $2 OR us.username = $3)"
                )))
                .bind(office_id)
                .bind(dn)
                .bind(username)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
                let people = sqlx::query(
                    "SELECT pe.id, pe.email FROM people pe WHERE pe.office_id = $1 AND pe.email <> '' AND LOWER(pe.email) = LOWER($2) \
                     AND NOT EXISTS (SELECT 1 FROM users us WHERE us.person_id = pe.id)",
                )
                .bind(office_id)
                .bind(email)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
                (rows, people)
            }
            AccountFilter::Person(person_id) => {
                let rows = sqlx::query(AssertSqlSafe(format!("SELECT {LOCAL_COLS} WHERE us.office_id = $1 AND us.person_id = $2")))
                    .bind(office_id)
                    .bind(person_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                (rows, vec![])
            }
        };
        let roles = self.roles_by_user(office_id, &rows).await?;
        let accounts = rows.iter().map(|r| local_account(r, &roles)).collect::<Result<Vec<_>>>()?;
        let people_without_account = people.iter().map(|r| Ok((r.i64("id")?, r.text("email")?))).collect::<Result<Vec<_>>>()?;
        Ok(LocalState { accounts, people_without_account })
    }

    /// The roles of the accounts in `rows`, in one query for the whole office when there are many.
    async fn roles_by_user(&self, office_id: i64, rows: &[AnyRow]) -> Result<HashMap<i64, Vec<Role>>> {
        let mut by_user: HashMap<i64, Vec<Role>> = HashMap::new();
        if rows.is_empty() {
            return Ok(by_user);
        }
        let found = if rows.len() == 1 {
            sqlx::query("SELECT user_id, role FROM user_roles WHERE user_id = $1").bind(rows[0].i64("user_id")?).fetch_all(&self.pool).await
        } else {
            sqlx::query("SELECT r.user_id, r.role FROM user_roles r JOIN users us ON us.id = r.user_id WHERE us.office_id = $1")
                .bind(office_id)
                .fetch_all(&self.pool)
                .await
        }
        .map_err(map_err)?;
        for r in &found {
            if let Ok(role) = Role::parse(&r.text("role")?) {
                by_user.entry(r.i64("user_id")?).or_default().push(role);
            }
        }
        for v in by_user.values_mut() {
            v.sort();
        }
        Ok(by_user)
    }

    pub(crate) async fn apply_directory_change_impl(&self, office_id: i64, c: &SyncChange, now: Micros, mut log: Draft) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let user_id = match c {
            SyncChange::Create { person_id, entry, roles } => {
                let unit_id = unit_named(&mut tx, office_id, &entry.unit, now, &log).await?;
                let person_id = match person_id {
                    Some(id) => {
                        update_person(&mut tx, office_id, *id, entry, unit_id, now).await?;
                        *id
                    }
                    None => {
                        let key = person_key(&entry.given_name, &entry.family_name, &entry.email, Some(&entry.username));
                        sqlx::query_scalar(
                            "INSERT INTO people (office_id, given_name, family_name, email, phone, unit_id, search_key, active, created_at, updated_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id",
                        )
                        .bind(office_id)
                        .bind(&entry.given_name)
                        .bind(&entry.family_name)
                        .bind(&entry.email)
                        .bind(&entry.phone)
                        .bind(unit_id)
                        .bind(key)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?
                    }
                };
                let user_id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (office_id, person_id, username, password_hash, locale, active, password_changed_at, created_at, directory_dn) \
                     VALUES ($1, $2, $3, $4, 'sr-Cyrl', 1, $5, $5, $6) RETURNING id",
                )
                .bind(office_id)
                .bind(person_id)
                .bind(&entry.username)
                .bind(DIRECTORY_HASH)
                .bind(now)
                .bind(&entry.dn)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| match map_err(e) {
                    Error::Conflict { .. } => Error::Conflict { code: "username_taken", field: Some("username") },
                    other => other,
                })?;
                sqlx::query("INSERT INTO user_offices (user_id, office_id) VALUES ($1, $2)")
                    .bind(user_id)
                    .bind(office_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if person_id_was_given(c) {
                    refresh_search_key(&mut tx, person_id, entry).await?;
                }
                set_roles(&mut tx, user_id, roles).await?;
                log.object = Some(ObjectRef::new("person", person_id, entry_name(entry)));
                user_id
            }
            SyncChange::Update { user_id, person_id, entry, roles, link, .. } => {
                let unit_id = unit_named(&mut tx, office_id, &entry.unit, now, &log).await?;
                update_person(&mut tx, office_id, *person_id, entry, unit_id, now).await?;
                refresh_search_key(&mut tx, *person_id, entry).await?;
                // Enabled in the directory again: open what the sync closed (never what Upravnik closed).
                let reopen = "active = CASE WHEN closed_by_directory = 1 THEN 1 ELSE active END, closed_by_directory = 0";
                let n = if *link {
                    sqlx::query(AssertSqlSafe(format!(
                        "UPDATE users SET directory_dn = $1, password_hash = $2, {reopen} WHERE id = $3 AND office_id = $4"
                    )))
                    .bind(&entry.dn)
                    .bind(DIRECTORY_HASH)
                    .bind(user_id)
                    .bind(office_id)
                    .execute(&mut *tx)
                    .await
                } else {
                    sqlx::query(AssertSqlSafe(format!("UPDATE users SET directory_dn = $1, {reopen} WHERE id = $2 AND office_id = $3")))
                        .bind(&entry.dn)
                        .bind(user_id)
                        .bind(office_id)
                        .execute(&mut *tx)
                        .await
                }
                .map_err(map_err)?;
                if n.rows_affected() == 0 {
                    return Err(Error::NotFound { what: "account" });
                }
                set_roles(&mut tx, *user_id, roles).await?;
                log.object = Some(ObjectRef::new("person", *person_id, entry_name(entry)));
                *user_id
            }
            SyncChange::Deactivate { user_id, person_id, name, .. } => {
                let n = sqlx::query("UPDATE users SET active = 0, closed_by_directory = $1 WHERE id = $2 AND office_id = $3")
                    .bind(flag(true))
                    .bind(user_id)
                    .bind(office_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if n.rows_affected() == 0 {
                    return Err(Error::NotFound { what: "account" });
                }
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await.map_err(map_err)?;
                sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                log.object = Some(ObjectRef::new("person", *person_id, name));
                *user_id
            }
        };
        log.office_id = office_id;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(user_id)
    }

    pub(crate) async fn record_directory_sync_impl(&self, office_id: i64, run: &SyncRun, log: Draft) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let c = run.counts;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO directory_syncs (office_id, started_at, finished_at, ok, created, updated, deactivated, unchanged, failed, message) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(office_id)
        .bind(run.started_us)
        .bind(run.finished_us)
        .bind(flag(run.ok))
        .bind(c.created)
        .bind(c.updated)
        .bind(c.deactivated)
        .bind(c.unchanged)
        .bind(c.failed)
        .bind(run.message.chars().take(4000).collect::<String>())
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, run.finished_us).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn directory_syncs_impl(&self, office_id: i64, limit: i64) -> Result<Vec<SyncRun>> {
        let rows = sqlx::query(
            "SELECT id, started_at, finished_at, ok, created, updated, deactivated, unchanged, failed, message \
             FROM directory_syncs WHERE office_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(office_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(SyncRun {
                    id: r.i64("id")?,
                    started_us: r.i64("started_at")?,
                    finished_us: r.i64("finished_at")?,
                    ok: r.flag("ok")?,
                    counts: SyncCounts {
                        created: r.i64("created")?,
                        updated: r.i64("updated")?,
                        deactivated: r.i64("deactivated")?,
                        unchanged: r.i64("unchanged")?,
                        failed: r.i64("failed")?,
                    },
                    message: r.text("message")?,
                })
            })
            .collect()
    }

    pub(crate) async fn claim_job_impl(&self, name: &str, holder: &str, now: Micros, until: Micros) -> Result<bool> {
        let n = sqlx::query(
            "INSERT INTO job_leases (name, holder, until_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_at = excluded.until_at WHERE job_leases.until_at <= $4",
        )
        .bind(name)
        .bind(holder)
        .bind(until)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(n.rows_affected() == 1)
    }
}

fn local_account(r: &AnyRow, roles: &HashMap<i64, Vec<Role>>) -> Result<LocalAccount> {
    let user_id = r.i64("user_id")?;
    Ok(LocalAccount {
        user_id,
        person_id: r.i64("person_id")?,
        username: r.text("username")?,
        directory_dn: r.opt_text("directory_dn")?,
        active: r.flag("active")?,
        given_name: r.text("given_name")?,
        family_name: r.text("family_name")?,
        email: r.text("email")?,
        phone: r.text("phone")?,
        unit: r.text("unit_name")?,
        roles: roles.get(&user_id).cloned().unwrap_or_default(),
        closed_by_directory: r.flag("closed_by_directory")?,
    })
}

fn entry_name(e: &DirectoryPerson) -> String {
    upravnik_core::directory::full_name(&e.given_name, &e.family_name)
}

fn person_id_was_given(c: &SyncChange) -> bool {
    matches!(c, SyncChange::Create { person_id: Some(_), .. })
}

/// The unit of this name, created (and logged) when the directory names one Upravnik lacks.
async fn unit_named(tx: &mut Transaction<'static, Any>, office_id: i64, name: &str, now: Micros, log: &Draft) -> Result<Option<i64>> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM org_units WHERE office_id = $1 AND name = $2 ORDER BY active DESC, id LIMIT 1")
            .bind(office_id)
            .bind(name)
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?;
    if let Some(id) = found {
        return Ok(Some(id));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO org_units (office_id, parent_id, name, code, search_key, active, created_at, updated_at) \
         VALUES ($1, NULL, $2, '', $3, 1, $4, $4) RETURNING id",
    )
    .bind(office_id)
    .bind(name)
    .bind(search_key(name))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err)?;
    let d = Draft {
        office_id,
        object: Some(ObjectRef::new("unit", id, name)),
        text: format!("Из директоријума преузета организациона јединица {name}"),
        ..log.clone()
    };
    append_tx(tx, d, now).await?;
    Ok(Some(id))
}

async fn update_person(
    tx: &mut Transaction<'static, Any>,
    office_id: i64,
    person_id: i64,
    e: &DirectoryPerson,
    unit_id: Option<i64>,
    now: Micros,
) -> Result<()> {
    // A directory without units leaves the unit recorded in Upravnik.
    let n = sqlx::query(
        "UPDATE people SET given_name = $1, family_name = $2, email = $3, phone = $4, unit_id = COALESCE($5, unit_id), updated_at = $6 \
         WHERE id = $7 AND office_id = $8",
    )
    .bind(&e.given_name)
    .bind(&e.family_name)
    .bind(&e.email)
    .bind(&e.phone)
    .bind(unit_id)
    .bind(now)
    .bind(person_id)
    .bind(office_id)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    if n.rows_affected() == 0 {
        return Err(Error::NotFound { what: "person" });
    }
    Ok(())
}

async fn refresh_search_key(tx: &mut Transaction<'static, Any>, person_id: i64, e: &DirectoryPerson) -> Result<()> {
    let key = person_key(&e.given_name, &e.family_name, &e.email, Some(&e.username));
    sqlx::query("UPDATE people SET search_key = $1 WHERE id = $2").bind(key).bind(person_id).execute(&mut **tx).await.map_err(map_err)?;
    Ok(())
}

async fn set_roles(tx: &mut Transaction<'static, Any>, user_id: i64, roles: &[Role]) -> Result<()> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(user_id).execute(&mut **tx).await.map_err(map_err)?;
    for r in roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(user_id)
            .bind(r.as_str())
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    Ok(())
}
