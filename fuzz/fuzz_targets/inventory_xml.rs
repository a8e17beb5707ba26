//! Any bytes as a legacy XML agent request (FusionInventory, OCS, GLPI Agent in XML mode):
//! parsed or refused with a 4xx, never a panic; a parsed inventory yields sorted card data.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "inventory_common.rs"]
mod inventory_common;

fuzz_target!(|data: &[u8]| {
    inventory_common::exercise(data, Some("application/xml"), None);
});
