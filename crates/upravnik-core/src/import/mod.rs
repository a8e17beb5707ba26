//! Importing an existing equipment register (CSV or a workbook): read the file ([`read`]), find
//! the header and guess what each column holds ([`columns`]), preview what would change
//! ([`plan`]), and commit all rows in one transaction or none (services in [`service`]).

pub mod columns;
pub mod plan;
pub mod read;
pub mod service;

pub use columns::ImportField;
pub use plan::{Preview, RowAction, RowError};

use crate::asset::{AssetFields, FieldChange};
use crate::clock::Micros;
use crate::worklog::Draft;

/// An uploaded file kept between the steps of the import pages, in the database so that any of
/// several stateless server instances can serve the next step.
#[derive(Debug, Clone)]
pub struct ImportUpload {
    pub id: i64,
    pub office_id: i64,
    pub user_id: i64,
    pub filename: String,
    pub sha256: String,
    pub content: Vec<u8>,
    /// The chosen mapping as JSON (`["inventory_number", null, …]`); empty until one is chosen.
    pub mapping: String,
    pub created_us: Micros,
}

/// A changed asset: its new fields, what changed (R.11) and its work-log entry.
#[derive(Debug, Clone)]
pub struct AssetUpdate {
    pub id: i64,
    pub fields: AssetFields,
    pub changes: Vec<FieldChange>,
    pub log: Draft,
}

/// Everything one import writes, in one transaction.
#[derive(Debug, Clone)]
pub struct ImportBatch {
    /// New assets (status "in stock") with their work-log entries.
    pub creates: Vec<(AssetFields, Draft)>,
    pub updates: Vec<AssetUpdate>,
    /// The entry that records the import itself (file, checksum, counts).
    pub summary: Draft,
    /// The upload to delete with the commit, so the same upload cannot be committed twice.
    pub upload_id: Option<i64>,
}

/// What a commit did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportOutcome {
    pub created: Vec<i64>,
    pub updated: Vec<i64>,
    pub unchanged: usize,
    /// The summary entry in the work log.
    pub worklog_id: i64,
}
