//! Command-line options and the resolved configuration: command line, then `UPRAVNIK_…`
//! environment variables, then the TOML file (`config_file.rs`), then defaults.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

pub use crate::config_file::*;

/// Options every command that touches data takes.
#[derive(Debug, Clone, Args)]
pub struct DataOpts {
    /// Directory for the embedded database and files [default: ./upravnik-data]
    #[arg(long, env = "UPRAVNIK_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL instead of the embedded database: postgres://user@host/db
    #[arg(long, env = "UPRAVNIK_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// TOML configuration file
    #[arg(long, env = "UPRAVNIK_CONFIG", global = true)]
    pub config: Option<PathBuf>,
}

/// Where the data lives, resolved.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub file: std::sync::Arc<FileConfig>,
}

impl Resolved {
    pub fn from(opts: &DataOpts) -> anyhow::Result<Self> {
        let file = FileConfig::load(opts.config.as_deref())?;
        let data_dir = opts.data_dir.clone().or_else(|| file.data_dir.clone()).unwrap_or_else(|| PathBuf::from("upravnik-data"));
        let database_url = match opts.database_url.clone().or_else(|| file.database_url.clone()) {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") || url.starts_with("sqlite:") => url,
            Some(_) => bail!("--database-url must be postgres://… (or sqlite://…)"),
            None => upravnik_storage::sqlite_url_for_dir(&data_dir)?,
        };
        Ok(Self { database_url, data_dir, file: std::sync::Arc::new(file) })
    }

    pub fn policy(&self) -> upravnik_core::service::Policy {
        let mut p = upravnik_core::service::Policy::default();
        if let Some(m) = self.file.min_password_length {
            p.min_password_len = m;
        }
        if let Some(d) = self.file.password_max_age_days {
            p.password_max_age_days = d.max(1);
        }
        if let Some(m) = self.file.require_mfa_for_administrators {
            p.require_mfa_for_administrators = m;
        }
        if let Some(h) = self.file.session_hours {
            p.session_ttl_secs = h.clamp(1, 24 * 30) * 3600;
        }
        p.backup = self.backup_policy().ok().flatten();
        p
    }

    /// The archive's schedule and retention; `None` when `[backup] enabled = false`.
    pub fn backup_policy(&self) -> anyhow::Result<Option<upravnik_core::backup_schedule::BackupPolicy>> {
        self.file.backup_policy()
    }

    pub fn backup_dir(&self) -> PathBuf {
        self.file.backup.as_ref().and_then(|b| b.dir.clone()).unwrap_or_else(|| self.data_dir.join("backups"))
    }

    pub fn office_name(&self) -> String {
        self.file.office_name.clone().unwrap_or_else(|| "Градска управа".to_string())
    }
}
