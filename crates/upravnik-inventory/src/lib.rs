//! What inventory agents send and what they expect back (R.11: every hardware and software
//! change is recorded, so the cards must follow the machines by themselves).
//!
//! The wire protocols are described in `../shared/data/inventory/PROTOCOLS.md`; this crate
//! turns a request body into one [`model::Inventory`] whichever agent sent it.

pub mod model;

pub use model::{Inventory, Section};
