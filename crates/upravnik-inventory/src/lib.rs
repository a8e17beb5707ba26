//! What inventory agents send and what they expect back (R.11: every hardware and software
//! change is recorded, so the cards must follow the machines by themselves).
//!
//! The wire protocols are described in `../shared/data/inventory/PROTOCOLS.md`; this crate
//! turns a request body into one [`model::Inventory`] whichever agent sent it.
//!
//! Pure code: no I/O, no async, no SQL. The server reads the body, calls [`protocol::parse`],
//! stores what it got and sends the [`protocol::Reply`] built here.

pub mod cards;
pub mod decode;
pub mod identity;
mod json;
pub mod model;
mod normalise;
pub mod protocol;
mod xml;

pub use cards::{CardComponent, CardSoftware, section_of};
pub use decode::{Encoding, decode, encode};
pub use identity::{Blacklist, Identity};
pub use model::{Inventory, Section};
pub use protocol::{
    Dialect, Limits, Message, Parsed, ProtocolError, Reply, Request, parse, reply_contact, reply_error, reply_get, reply_inventory_ok,
    reply_parse_error, reply_prolog, reply_unsupported,
};

impl Inventory {
    /// The sections this report is authoritative for: every section for a full inventory (an
    /// absent one means "none"), only those it carried for a partial one (PROTOCOLS.md §3.4).
    pub fn authoritative_sections(&self) -> std::collections::BTreeSet<Section> {
        if self.partial { self.sections.clone() } else { Section::ALL.into_iter().collect() }
    }
}
