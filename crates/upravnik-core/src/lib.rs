//! Domain of Upravnik: people, organisation, roles and the work log, with the storage port.
//!
//! Nothing here knows about HTTP or SQL. Rules cite the Rulebook ("R.nn") or the Procedure ("P.x").

pub mod access;
pub mod account_requests;
pub mod account_requests_service;
pub mod addressing;
pub mod antivirus;
pub mod applications;
pub mod asset;
pub mod backup;
pub mod backup_schedule;
pub mod backup_service;
pub mod bulk;
pub mod clock;
pub mod consumable;
pub mod consumables;
pub mod directory;
pub mod directory_service;
pub mod equipment;
pub mod error;
pub mod helpdesk;
pub mod helpdesk_service;
pub mod import;
pub mod incident;
pub mod internet;
pub mod internet_service;
pub mod inventory;
pub mod knowledge;
pub mod mail;
pub mod mail_service;
pub mod measures;
pub mod mfa;
pub mod mfa_service;
pub mod org;
pub mod parts;
pub mod password;
pub mod ports;
pub mod report_forms;
pub mod report_forms_service;
pub mod rules;
pub mod rules_service;
pub mod saved_filter;
pub mod security_service;
pub mod server_room;
pub mod service;
pub mod sla;
pub mod sla_service;
pub mod software;
pub mod software_requests;
pub mod software_requests_service;
pub mod software_service;
pub mod subnet;
pub mod text;
pub mod trainings;
pub mod worklog;

pub use error::{Error, FieldError, Result};
