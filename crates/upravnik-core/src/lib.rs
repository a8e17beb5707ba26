//! Domain of Upravnik: people, organisation, roles and the work log, with the storage port.
//!
//! Nothing here knows about HTTP or SQL. Rules cite the Rulebook ("R.nn") or the Procedure ("P.x").

pub mod access;
pub mod asset;
pub mod clock;
pub mod equipment;
pub mod error;
pub mod import;
pub mod org;
pub mod password;
pub mod ports;
pub mod service;
pub mod text;
pub mod worklog;

pub use error::{Error, FieldError, Result};
