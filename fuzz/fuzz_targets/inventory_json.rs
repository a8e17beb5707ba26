//! Any bytes as a GLPI Agent JSON request (CONTACT, inventories checked against the schema,
//! other actions): parsed or refused with a 4xx, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "inventory_common.rs"]
mod inventory_common;

fuzz_target!(|data: &[u8]| {
    inventory_common::exercise(data, Some("application/json"), Some("3962ccd4-e8eb-11f1-ab39-dbaa8d1ae367"));
});
