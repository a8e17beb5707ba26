//! The TOML configuration file and the `UPRAVNIK_<KEY>` environment variables laid over it:
//! unknown keys, wrong types and values the rules forbid are errors that name the key. Kept apart
//! from the command line so the fuzz target `config` can include it alone.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

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
    /// Administrators act as administrators only with two-factor sign-in on (default false;
    /// the home page asks them for it either way).
    pub require_mfa_for_administrators: Option<bool>,
    /// Name of the local government created on first run.
    pub office_name: Option<String>,
    pub body_limit_bytes: Option<usize>,
    /// The address people open Upravnik at, e.g. `https://upravnik.zajecar.rs`: QR codes on
    /// asset labels point there. Without it, the address the label sheet was opened at is used.
    pub public_url: Option<String>,
    /// The helpdesk's mailbox and outgoing mail (`[mail]`; each key also `UPRAVNIK_MAIL_<KEY>`).
    pub mail: Option<MailConfig>,
    /// The office's LDAP / Active Directory (`[directory]`; each key but `roles` also
    /// `UPRAVNIK_DIRECTORY_<KEY>`).
    pub directory: Option<DirectoryConfig>,
    /// The daily archive (`[backup]`; each key also `UPRAVNIK_BACKUP_<KEY>`).
    pub backup: Option<BackupConfig>,
    /// Network shares the server scans itself for the document rules (`[[shares]]`, R.38–R.46).
    pub shares: Option<Vec<ShareConfig>>,
}

/// `[[shares]]`: one network share `serve` scans on a schedule (R.46); the scan is kept like one
/// sent by `upravnik shares scan --record`.
#[derive(Default, Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShareConfig {
    /// The name the scans are kept under, e.g. "Z: Dokumenti".
    pub name: String,
    /// Where the share is mounted on the server.
    pub path: PathBuf,
    /// Hours between scans [24]; one instance scans in each period.
    pub every_hours: Option<u64>,
    /// The longest path allowed [220] and whether the unit / employee / JAVNO|PRIVATNO layout is
    /// checked [true].
    pub max_path: Option<usize>,
    pub layout: Option<bool>,
    /// Extensions of private files, replacing the default list; the names of the two folders
    /// under each employee's [JAVNO, PRIVATNO].
    pub private_exts: Option<Vec<String>>,
    pub public_dir: Option<String>,
    pub private_dir: Option<String>,
}

impl ShareConfig {
    pub fn rules(&self) -> upravnik_core::shares::Rules {
        let s = self.clone();
        upravnik_core::shares::Rules::custom(s.max_path, s.layout, s.private_exts, s.public_dir, s.private_dir)
    }
}

/// `[backup]`: the daily archive the server makes itself (R.22, R.66, P.5.1).
#[derive(Default, Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    /// Default true: `serve` makes the daily archive.
    pub enabled: Option<bool>,
    /// Where archives go [default: <data-dir>/backups]; copy 1 of R.66.
    pub dir: Option<PathBuf>,
    /// The working day, `HH:MM` [default 07:30–15:30]; the archive starts 30 minutes before
    /// the end (R.22) and users are told from then (R.61.8).
    pub work_start: Option<String>,
    pub work_end: Option<String>,
    pub lead_minutes: Option<i64>,
    /// Days off besides weekends and Serbia's public holidays, `YYYY-MM-DD`.
    pub days_off: Option<Vec<String>>,
    /// Archives kept: the newest of each of the last N days, ISO weeks, months [14, 8, 12].
    pub keep_daily: Option<usize>,
    pub keep_weekly: Option<usize>,
    pub keep_monthly: Option<usize>,
    /// Copy 2 in the safe older than this is warned of [7 days].
    pub copy2_max_age_days: Option<i64>,
}

/// The keys of `[backup]` that may come from `UPRAVNIK_BACKUP_<KEY>`.
const BACKUP_KEYS: &[&str] =
    &["enabled", "dir", "work_start", "work_end", "lead_minutes", "keep_daily", "keep_weekly", "keep_monthly", "copy2_max_age_days"];

/// `[directory]`: sign-in, the sync of people and units, group → role mapping, and (optionally)
/// opening and disabling accounts there. Without `url` there is no directory.
#[derive(Default, Clone, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryConfig {
    /// `ldaps://dc.grad.rs` or `ldap://dc.grad.rs` (with `tls = "starttls"`, the default there).
    pub url: Option<String>,
    /// `ldaps`, `starttls` or `none` (a directory on this machine only); from the URL by default.
    pub tls: Option<String>,
    /// `openldap` (default) or `ad`.
    pub flavour: Option<String>,
    /// The office whose people the directory holds; the first one by default.
    pub office_id: Option<i64>,
    /// The service account that searches (and writes, with `manage_accounts`).
    pub bind_dn: Option<String>,
    pub bind_password: Option<String>,
    /// The directory's root, e.g. `dc=grad,dc=rs`.
    pub base_dn: Option<String>,
    /// Where people are; `base_dn` by default.
    pub users_dn: Option<String>,
    /// Where groups are; `base_dn` by default.
    pub groups_dn: Option<String>,
    pub user_filter: Option<String>,
    pub username_attr: Option<String>,
    pub unit_attr: Option<String>,
    pub group_filter: Option<String>,
    /// Where accounts opened by approved requests go; `users_dn` by default.
    pub new_accounts_dn: Option<String>,
    /// An approved request opens the account there, a close request disables it (default false).
    pub manage_accounts: Option<bool>,
    /// Minutes between two syncs (default 60; 0: only by hand).
    pub sync_minutes: Option<u64>,
    /// Seconds before a directory that does not answer counts as down (default 10).
    pub timeout_seconds: Option<u64>,
    /// A PEM file of CA certificates trusted besides the system's.
    pub ca_file: Option<PathBuf>,
    /// Accept any certificate (tests with a self-signed one). Never in production.
    pub accept_invalid_certs: Option<bool>,
    /// Directory group → Upravnik role, e.g. `"IKT-Administratori" = "administrator"`.
    pub roles: Option<std::collections::BTreeMap<String, String>>,
}

impl std::fmt::Debug for DirectoryConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectoryConfig")
            .field("url", &self.url)
            .field("bind_dn", &self.bind_dn)
            .field("bind_password", &self.bind_password.as_ref().map(|_| "***"))
            .field("base_dn", &self.base_dn)
            .finish_non_exhaustive()
    }
}

/// The keys of `[directory]` that may also come from `UPRAVNIK_DIRECTORY_<KEY>`.
const DIRECTORY_KEYS: &[&str] = &[
    "url",
    "tls",
    "flavour",
    "office_id",
    "bind_dn",
    "bind_password",
    "base_dn",
    "users_dn",
    "groups_dn",
    "user_filter",
    "username_attr",
    "unit_attr",
    "group_filter",
    "new_accounts_dn",
    "manage_accounts",
    "sync_minutes",
    "timeout_seconds",
    "ca_file",
    "accept_invalid_certs",
];

/// `[mail]`: the mailbox Upravnik reads (IMAP) and the server it sends notices through (SMTP).
/// Without `imap_host` no mailbox is read; without `smtp_host` notices wait in the outbox.
#[derive(Default, Clone, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// The office whose helpdesk the mailbox is; the first one by default.
    pub office_id: Option<i64>,
    pub imap_host: Option<String>,
    /// Default: 993 with `implicit`, 143 otherwise.
    pub imap_port: Option<u16>,
    /// `implicit` (default), `starttls` or `none` (loopback only).
    pub imap_tls: Option<String>,
    pub imap_user: Option<String>,
    pub imap_password: Option<String>,
    /// Default `INBOX`.
    pub imap_folder: Option<String>,
    /// Seconds between two passes over the mailbox (default 60, at least 5).
    pub poll_seconds: Option<u64>,
    pub smtp_host: Option<String>,
    /// Default: 465 with `implicit`, 587 with `starttls`, 25 with `none`.
    pub smtp_port: Option<u16>,
    /// `starttls` (default), `implicit` or `none`.
    pub smtp_tls: Option<String>,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    /// The address notices come from, e.g. `ИКТ служба <helpdesk@grad.rs>` — best the mailbox
    /// that is read, so replies come back.
    pub from: Option<String>,
    /// A PEM file of CA certificates trusted besides the system's (both servers).
    pub ca_file: Option<PathBuf>,
    /// Accept any certificate (tests with a self-signed one). Never in production.
    pub accept_invalid_certs: Option<bool>,
    /// Larger messages are recorded as refused and not read (default 30 MB).
    pub max_message_bytes: Option<usize>,
    /// Larger attachments are left out and named in the report (default 10 MB).
    pub max_attachment_bytes: Option<usize>,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |p: &Option<String>| p.as_ref().map(|_| "***");
        f.debug_struct("MailConfig")
            .field("imap_host", &self.imap_host)
            .field("imap_port", &self.imap_port)
            .field("imap_user", &self.imap_user)
            .field("imap_password", &hidden(&self.imap_password))
            .field("smtp_host", &self.smtp_host)
            .field("smtp_user", &self.smtp_user)
            .field("smtp_password", &hidden(&self.smtp_password))
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// The keys of `[mail]`; each may also come from `UPRAVNIK_MAIL_<KEY>`.
const MAIL_KEYS: &[&str] = &[
    "office_id",
    "imap_host",
    "imap_port",
    "imap_tls",
    "imap_user",
    "imap_password",
    "imap_folder",
    "poll_seconds",
    "smtp_host",
    "smtp_port",
    "smtp_tls",
    "smtp_user",
    "smtp_password",
    "from",
    "ca_file",
    "accept_invalid_certs",
    "max_message_bytes",
    "max_attachment_bytes",
];

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
    "require_mfa_for_administrators",
    "office_name",
    "body_limit_bytes",
    "public_url",
];

impl FileConfig {
    /// Reads the file (if any), lays `UPRAVNIK_<KEY>` environment variables over it, and checks
    /// the result: unknown keys and wrong types are errors that name the key.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let text = match path {
            Some(path) => std::fs::read_to_string(path).with_context(|| format!("cannot read config file {}", path.display()))?,
            None => String::new(),
        };
        let what = path.map(|p| format!("config file {}", p.display())).unwrap_or_else(|| "UPRAVNIK_… environment".into());
        Self::parse(&text, &what)
    }

    /// The file's text with the environment laid over it, checked: the parser of outside input
    /// that the fuzz target `config` drives.
    pub fn parse(text: &str, what: &str) -> anyhow::Result<Self> {
        let mut table = toml::from_str::<toml::Table>(text).with_context(|| what.to_string())?;
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
        overlay_section(&mut table, "mail", MAIL_KEYS);
        overlay_section(&mut table, "directory", DIRECTORY_KEYS);
        overlay_section(&mut table, "backup", BACKUP_KEYS);
        let file: Self = table.try_into().with_context(|| what.to_string())?;
        file.check().with_context(|| what.to_string())?;
        Ok(file)
    }

    /// What the types alone do not say.
    fn check(&self) -> anyhow::Result<()> {
        if let Some(u) = &self.public_url
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            bail!("public_url must start with http:// or https://");
        }
        if let Some(min) = self.min_password_length
            && min < 8
        {
            bail!("min_password_length must be at least 8 (R.18)");
        }
        self.backup_policy()?;
        Ok(())
    }

    /// The archive's schedule and retention; `None` when `[backup] enabled = false`.
    pub fn backup_policy(&self) -> anyhow::Result<Option<upravnik_core::backup_schedule::BackupPolicy>> {
        use upravnik_core::backup_schedule::{BackupPolicy, Keep, Schedule};
        let c = self.backup.clone().unwrap_or_default();
        if c.enabled == Some(false) {
            return Ok(None);
        }
        let time = |key: &str, v: &Option<String>, default: jiff::civil::Time| -> anyhow::Result<jiff::civil::Time> {
            match v {
                None => Ok(default),
                Some(t) => t.trim().parse::<jiff::civil::Time>().map_err(|_| anyhow::anyhow!("[backup] {key}: expected HH:MM, got {t:?}")),
            }
        };
        let d = Schedule::default();
        let mut schedule = Schedule {
            start: time("work_start", &c.work_start, d.start)?,
            end: time("work_end", &c.work_end, d.end)?,
            lead_minutes: c.lead_minutes.unwrap_or(d.lead_minutes).clamp(5, 240),
            extra_days_off: Default::default(),
        };
        if schedule.end <= schedule.start {
            bail!("[backup] work_end must come after work_start");
        }
        for day in c.days_off.unwrap_or_default() {
            let parsed =
                upravnik_core::clock::parse_date(&day).ok_or_else(|| anyhow::anyhow!("[backup] days_off: {day:?} is not a date"))?;
            schedule.extra_days_off.insert(parsed);
        }
        let k = Keep::default();
        let keep = Keep {
            daily: c.keep_daily.unwrap_or(k.daily),
            weekly: c.keep_weekly.unwrap_or(k.weekly),
            monthly: c.keep_monthly.unwrap_or(k.monthly),
        };
        let p = BackupPolicy::default();
        Ok(Some(BackupPolicy { schedule, keep, copy2_max_age_days: c.copy2_max_age_days.unwrap_or(p.copy2_max_age_days).max(1), ..p }))
    }
}

/// `UPRAVNIK_<SECTION>_<KEY>` over `[section]`: numbers and booleans keep their type, except
/// for names and passwords, which are always strings.
fn overlay_section(table: &mut toml::Table, section: &str, keys: &[&str]) {
    for key in keys {
        if let Ok(v) = std::env::var(format!("UPRAVNIK_{}_{}", section.to_uppercase(), key.to_uppercase())) {
            let value = toml::from_str::<toml::Table>(&format!("v = {v}"))
                .ok()
                .and_then(|mut t| t.remove("v"))
                .filter(|v| !v.is_str() && !key.ends_with("password") && !key.ends_with("user") && !key.ends_with("_dn"))
                .unwrap_or(toml::Value::String(v));
            let t = table.entry(section).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let Some(t) = t.as_table_mut() {
                t.insert((*key).to_string(), value);
            }
        }
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
        keys.push("mail");
        keys.push("directory");
        keys.push("backup");
        // A list of tables: only the file can hold it.
        keys.push("shares");
        fields.sort_unstable();
        keys.sort_unstable();
        assert_eq!(fields, keys);
    }

    #[test]
    fn every_mail_key_can_come_from_the_environment() {
        let fields = serde_json::to_value(MailConfig::default()).unwrap_or_default();
        let mut fields: Vec<&str> = fields.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        let mut keys = MAIL_KEYS.to_vec();
        fields.sort_unstable();
        keys.sort_unstable();
        assert_eq!(fields, keys);
    }

    #[test]
    fn every_directory_key_but_the_role_table_can_come_from_the_environment() {
        let fields = serde_json::to_value(DirectoryConfig::default()).unwrap_or_default();
        let mut fields: Vec<&str> =
            fields.as_object().map(|o| o.keys().map(String::as_str).filter(|k| *k != "roles").collect()).unwrap_or_default();
        let mut keys = DIRECTORY_KEYS.to_vec();
        fields.sort_unstable();
        keys.sort_unstable();
        assert_eq!(fields, keys);
    }

    #[test]
    fn every_backup_key_but_the_days_off_can_come_from_the_environment() {
        let fields = serde_json::to_value(BackupConfig::default()).unwrap_or_default();
        let mut fields: Vec<&str> =
            fields.as_object().map(|o| o.keys().map(String::as_str).filter(|k| *k != "days_off").collect()).unwrap_or_default();
        let mut keys = BACKUP_KEYS.to_vec();
        fields.sort_unstable();
        keys.sort_unstable();
        assert_eq!(fields, keys);
    }

    #[test]
    fn the_directory_password_stays_out_of_debug_output() {
        let c = toml::from_str::<FileConfig>("[directory]\nurl = \"ldaps://dc.grad.rs\"\nbind_password = \"tajna\"\n").unwrap_or_default();
        let d = format!("{c:?}");
        assert!(d.contains("dc.grad.rs") && !d.contains("tajna"), "{d}");
    }

    #[test]
    fn mail_passwords_stay_out_of_debug_output() {
        let c = toml::from_str::<FileConfig>("[mail]\nimap_host = \"mail.grad.rs\"\nimap_password = \"tajna\"\n").unwrap_or_default();
        let d = format!("{c:?}");
        assert!(d.contains("mail.grad.rs") && !d.contains("tajna"), "{d}");
    }

    #[test]
    fn known_keys_parse() {
        let c = toml::from_str::<FileConfig>("listen = \"0.0.0.0:80\"\nmin_password_length = 12\n");
        assert_eq!(c.ok().and_then(|c| c.min_password_length), Some(12));
    }
}
