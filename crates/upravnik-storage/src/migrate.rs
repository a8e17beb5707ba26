//! Forward-only migrations: plain SQL per database with the same versions and names in both
//! folders (a test fails if they drift). Never edit a migration once it has landed.

use crate::{Backend, SqlStore};
use upravnik_core::{Error, Result};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($v:expr, $name:literal) => {
        Migration {
            version: $v,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation"),
    migration!(2, "0002_worklog_search"),
    migration!(3, "0003_assets"),
    migration!(4, "0004_assignments"),
    migration!(5, "0005_parts"),
    migration!(6, "0006_consumables"),
    migration!(7, "0007_saved_filters"),
    migration!(8, "0008_asset_imports"),
    migration!(9, "0009_subnets"),
    migration!(10, "0010_inventory"),
    migration!(11, "0011_helpdesk"),
    migration!(12, "0012_knowledge_base"),
    migration!(13, "0013_report_forms"),
    migration!(14, "0014_service_levels"),
    migration!(15, "0015_helpdesk_mail"),
    migration!(16, "0016_report_list_speed"),
    migration!(17, "0017_rules_acceptance"),
    migration!(18, "0018_report_kb_links"),
    migration!(19, "0019_applications"),
    migration!(20, "0020_account_requests"),
    migration!(21, "0021_directory"),
    migration!(22, "0022_mfa"),
    migration!(23, "0023_software"),
    migration!(24, "0024_internet"),
    migration!(25, "0025_backups"),
    migration!(26, "0026_security"),
    migration!(27, "0027_server_room"),
    migration!(28, "0028_trainings"),
    migration!(29, "0029_removals"),
    migration!(30, "0030_compliance"),
    migration!(31, "0031_shares"),
    migration!(32, "0032_software_index"),
    migration!(33, "0033_software_unknown"),
];

impl SqlStore {
    /// Applies the migrations not yet applied, each in its own transaction. Returns how many ran.
    pub async fn migrate(&self) -> Result<usize> {
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .execute(&self.pool)
        .await
        .map_err(storage)?;
        let mut ran = 0;
        for m in MIGRATIONS {
            let mut tx = self.pool.begin_with(self.backend.begin_write()).await.map_err(storage)?;
            let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(m.version)
                .fetch_optional(&mut *tx)
                .await
                .map_err(storage)?;
            if done.is_some() {
                continue;
            }
            let sql = match self.backend {
                Backend::Sqlite => m.sqlite,
                Backend::Postgres => m.postgres,
            };
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await
                .map_err(|e| Error::Storage(format!("migration {} failed: {e}", m.name)))?;
            sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(m.version)
                .bind(m.name)
                .bind(jiff::Timestamp::now().as_microsecond())
                .execute(&mut *tx)
                .await
                .map_err(storage)?;
            tx.commit().await.map_err(storage)?;
            tracing::info!(version = m.version, name = m.name, backend = self.backend.name(), "migration applied");
            ran += 1;
        }
        Ok(ran)
    }

    /// Versions applied so far, to refuse to serve an unmigrated PostgreSQL database.
    pub async fn pending_migrations(&self) -> Result<usize> {
        let applied: Vec<i64> = match sqlx::query_scalar("SELECT version FROM schema_migrations").fetch_all(&self.pool).await {
            Ok(v) => v,
            Err(_) => return Ok(MIGRATIONS.len()),
        };
        Ok(MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)).count())
    }
}

pub(crate) fn storage(e: sqlx::Error) -> Error {
    crate::rows::map_err(e)
}
