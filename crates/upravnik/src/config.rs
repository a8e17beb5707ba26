//! Command-line options and the resolved configuration: command line, then `UPRAVNIK_…`
//! environment variables, then the TOML file, then defaults. Unknown keys in the file are errors.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

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

/// The configuration file. Every key is optional.
#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    /// `text` (default) or `json`.
    pub log_format: Option<String>,
    /// R.18 asks for at least 8; an office may ask for more.
    pub min_password_length: Option<usize>,
    pub session_hours: Option<i64>,
    /// Days after which the home page asks for a new password (R.18).
    pub password_max_age_days: Option<i64>,
    /// Set when served behind HTTPS.
    pub secure_cookies: Option<bool>,
    /// Name of the local government created on first run.
    pub office_name: Option<String>,
    pub body_limit_bytes: Option<usize>,
    /// The address people open Upravnik at, e.g. `https://upravnik.zajecar.rs`: QR codes on
    /// asset labels point there. Without it, the address the label sheet was opened at is used.
    pub public_url: Option<String>,
}

/// The keys of the file; each may also come from `UPRAVNIK_<KEY>` in the environment.
const KEYS: &[&str] = &[
    "listen",
    "data_dir",
    "database_url",
    "log_format",
    "min_password_length",
    "session_hours",
    "password_max_age_days",
    "secure_cookies",
    "office_name",
    "body_limit_bytes",
    "public_url",
];

impl FileConfig {
    /// Reads the file (if any), lays `UPRAVNIK_<KEY>` environment variables over it, and checks
    /// the result: unknown keys and wrong types are errors that name the key.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let mut table = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("cannot read config file {}", path.display()))?;
                toml::from_str::<toml::Table>(&text).with_context(|| format!("config file {}", path.display()))?
            }
            None => toml::Table::new(),
        };
        for key in KEYS {
            if let Ok(v) = std::env::var(format!("UPRAVNIK_{}", key.to_uppercase())) {
                // Numbers and booleans keep their type; anything else is a string.
                let value = toml::from_str::<toml::Table>(&format!("v = {v}"))
                    .ok()
                    .and_then(|mut t| t.remove("v"))
                    .filter(|v| !v.is_str())
                    .unwrap_or(toml::Value::String(v));
                table.insert((*key).to_string(), value);
            }
        }
        let what = path.map(|p| format!("config file {}", p.display())).unwrap_or_else(|| "UPRAVNIK_… environment".into());
        table.try_into().with_context(|| what)
    }
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
        if let Some(u) = &file.public_url
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            bail!("public_url must start with http:// or https://");
        }
        if let Some(min) = file.min_password_length
            && min < 8
        {
            bail!("min_password_length must be at least 8 (R.18)");
        }
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
        if let Some(h) = self.file.session_hours {
            p.session_ttl_secs = h.clamp(1, 24 * 30) * 3600;
        }
        p
    }

    pub fn office_name(&self) -> String {
        self.file.office_name.clone().unwrap_or_else(|| "Градска управа".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_config_keys_are_an_error() {
        let e = toml::from_str::<FileConfig>("listen = \"127.0.0.1:9000\"\nlisten_port = 9000\n");
        assert!(e.is_err_and(|e| e.to_string().contains("listen_port")));
    }

    #[test]
    fn every_key_can_come_from_the_environment() {
        let fields = serde_json::to_value(FileConfig::default()).unwrap_or_default();
        let mut fields: Vec<&str> = fields.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        let mut keys = KEYS.to_vec();
        fields.sort_unstable();
        keys.sort_unstable();
        assert_eq!(fields, keys);
    }

    #[test]
    fn known_keys_parse() {
        let c = toml::from_str::<FileConfig>("listen = \"0.0.0.0:80\"\nmin_password_length = 12\n");
        assert_eq!(c.ok().and_then(|c| c.min_password_length), Some(12));
    }
}
