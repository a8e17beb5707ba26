//! Inventory agents keep the workstation cards true by themselves (R.11; issue 4): a report is
//! matched to an asset by the office's rules, or becomes a "discovered" asset; its components,
//! programs, name and addresses are compared with the card and every difference becomes a history
//! row and, for the whole report, one work-log entry. The HTTP endpoint (upravnik-web) decodes
//! the agents' protocols into [`upravnik_inventory::Inventory`] and calls [`Services::receive`].
//!
//! - [`card`]: the report as card rows and identifying values (stand-in for the parser crate's);
//! - [`matching`]: the office's matching rules;
//! - [`diff`]: differences and per-section fingerprints;
//! - [`settings`]: rules, blacklists, agent credentials, allowed networks;
//! - [`service`]: the services.
//!
//! [`Services::receive`]: crate::service::Services::receive

pub mod card;
pub mod diff;
pub mod matching;
pub mod service;
pub mod settings;

pub use matching::{Candidate, Criterion, Key, KeyKind, Rule};
pub use service::{AgentReport, Received};
pub use settings::{AgentSettings, AgentSettingsInput};

use crate::asset::{Asset, AssetFields, AssetKind, AssetStatus, FieldChange};
use crate::clock::Micros;
use crate::parts::{Part, PartFields, PartKind};
use crate::worklog::Draft;
use crate::{Error, Result};

/// What an agent said about itself in a report or a contact.
#[derive(Debug, Clone, Default)]
pub struct AgentSeen {
    pub deviceid: String,
    pub agent_id: Option<String>,
    pub old_deviceid: Option<String>,
    pub client: String,
    pub tag: Option<String>,
    pub remote_ip: Option<String>,
    /// A report (not only a PROLOG/CONTACT): the last inventory time moves too.
    pub inventory: bool,
}

/// An agent installation as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AgentRecord {
    pub id: i64,
    pub deviceid: String,
    pub agent_id: Option<String>,
    pub old_deviceid: Option<String>,
    pub client: String,
    pub tag: Option<String>,
    pub remote_ip: Option<String>,
    pub asset_id: Option<i64>,
    pub inventory_number: Option<String>,
    pub first_us: Micros,
    pub last_contact_us: Micros,
    pub last_inventory_us: Option<Micros>,
}

/// The agent row's id and the asset it reported last.
#[derive(Debug, Clone, Copy)]
pub struct AgentRow {
    pub id: i64,
    pub asset_id: Option<i64>,
}

/// An asset's inventory state as the comparison needs it.
#[derive(Debug, Clone)]
pub struct StateRow {
    pub fingerprint: String,
    pub incomplete: bool,
    pub os: String,
    /// [`crate::antivirus::encode`]d; `None` while no report has said anything.
    pub antivirus: Option<String>,
}

/// What a report leaves in the state: everything, or (unchanged report) only time and report.
#[derive(Debug, Clone)]
pub struct StateWrite<'a> {
    pub asset_id: i64,
    pub fingerprint: &'a str,
    pub incomplete: bool,
    pub os: &'a str,
    pub antivirus: Option<&'a str>,
    pub raw: &'a [u8],
    /// The same document as the agent compressed it (zlib), kept as it came when present.
    pub raw_zlib: Option<&'a [u8]>,
    pub format: &'a str,
    pub full: bool,
    /// Something the administrator should know (an IP address held by another asset).
    pub note: &'a str,
}

/// An asset's inventory, as its page shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InventoryView {
    pub asset_id: i64,
    pub first_us: Micros,
    pub last_us: Micros,
    pub last_full_us: Option<Micros>,
    /// Only partial inventories so far (GLPI Agent sends a full one every 15 runs).
    pub incomplete: bool,
    pub os: String,
    pub raw_format: String,
    /// Bytes of the last report, decompressed.
    pub raw_size: i64,
    pub note: String,
    pub agents: Vec<AgentRecord>,
}

/// A machine with an agent, for the list of last reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MachineRow {
    pub asset_id: i64,
    pub inventory_number: String,
    pub label: Option<i64>,
    pub kind: AssetKind,
    pub status: AssetStatus,
    pub hostname: String,
    pub ip: Option<String>,
    pub last_us: Micros,
    pub incomplete: bool,
    pub os: String,
}

/// One report's writes in one transaction (PostgreSQL and SQLite alike). Dropping it without
/// [`InventoryTx::commit`] rolls everything back. Lock order, to keep concurrent reports free of
/// deadlocks: agent row → the report's identifying values (in their sort order) → inventory
/// state → the office's discovered-number counter → work-log head.
#[async_trait::async_trait]
pub trait InventoryTx: Send {
    /// Creates or refreshes the agent row (`office_id`, `deviceid` is unique); on PostgreSQL this
    /// waits for a concurrent first report of the same agent to finish.
    async fn upsert_agent(&mut self, a: &AgentSeen, now: Micros) -> Result<AgentRow>;
    /// Active assets sharing at least one of the values, each with all its values.
    async fn candidates(&mut self, keys: &[Key]) -> Result<Vec<Candidate>>;
    /// Serialises the reports that share an identifying value, so two first reports of one
    /// machine cannot both create it; match again after taking it. Reports of other machines go
    /// on beside it (PostgreSQL; on SQLite reports take turns anyway).
    async fn lock_creation(&mut self, keys: &[Key]) -> Result<()>;
    /// Gives a discovered asset the office's next provisional inventory number (`AG-000123`)
    /// and returns it. Taken last, just before the work-log entry: the counter's row stays
    /// locked until the commit.
    async fn number_discovered(&mut self, asset_id: i64) -> Result<String>;
    /// Locks the asset's state row and marks it seen; `None` before its first report.
    async fn touch_state(&mut self, asset_id: i64, now: Micros) -> Result<Option<StateRow>>;
    async fn asset(&mut self, asset_id: i64) -> Result<Asset>;
    /// The agent's own rows of the asset that are still installed.
    async fn agent_parts(&mut self, asset_id: i64) -> Result<Vec<Part>>;
    /// Another active asset holding the address.
    async fn ip_holder(&mut self, ip: &str, except: i64) -> Result<Option<Asset>>;
    async fn create_asset(&mut self, f: &AssetFields, status: AssetStatus, now: Micros) -> Result<i64>;
    async fn update_asset(&mut self, asset_id: i64, f: &AssetFields, now: Micros) -> Result<()>;
    /// Multi-row inserts of agent rows.
    async fn add_parts(&mut self, asset_id: i64, parts: &[PartFields], now: Micros) -> Result<()>;
    async fn remove_parts(&mut self, asset_id: i64, ids: &[(PartKind, i64)], now: Micros) -> Result<()>;
    async fn update_parts(&mut self, asset_id: i64, rows: &[(i64, PartFields)]) -> Result<()>;
    async fn history(&mut self, asset_id: i64, changes: &[FieldChange], actor_name: &str, now: Micros) -> Result<()>;
    /// Replaces the asset's values of the `replace` kinds and adds `keys` it lacks.
    async fn set_keys(&mut self, asset_id: i64, replace: &[KeyKind], keys: &[Key]) -> Result<()>;
    async fn save_state(&mut self, s: &StateWrite<'_>, now: Micros) -> Result<()>;
    /// Only the last report and its time: an unchanged re-inventory.
    async fn save_raw(&mut self, asset_id: i64, raw: &[u8], raw_zlib: Option<&[u8]>, format: &str, full: bool, now: Micros) -> Result<()>;
    async fn link_agent(&mut self, agent: i64, asset_id: i64) -> Result<()>;
    async fn append(&mut self, d: Draft, now: Micros) -> Result<()>;
    async fn commit(self: Box<Self>) -> Result<()>;
}

/// A merge's writes: the duplicate's agents, values and state go to the target.
#[derive(Debug, Clone)]
pub struct MergePlan {
    pub from: i64,
    pub into: i64,
    /// The duplicate's new note ("спојено са …").
    pub from_note: String,
    pub from_changes: Vec<FieldChange>,
    pub into_changes: Vec<FieldChange>,
    pub logs: Vec<Draft>,
}

pub(crate) fn bad_report(what: &'static str) -> Error {
    Error::invalid("inventory", what)
}
