//! Identity keys after the blacklist, and card data that does not change between two runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use upravnik_inventory::model::{Bios, Hardware, Memory, Network, Software, Storage};
use upravnik_inventory::{Blacklist, Inventory, Section, section_of};

fn nic(mac: &str, virtual_dev: bool) -> Network {
    Network { description: "eth".into(), mac: mac.into(), kind: "ethernet".into(), virtual_dev, ..Network::default() }
}

#[test]
fn junk_serials_and_uuids_are_none() {
    let bl = Blacklist::default();
    let mut inv = Inventory {
        bios: Bios {
            serial: "To Be Filled By O.E.M.".into(),
            board_serial: "Default string".into(),
            enclosure_serial: " ".into(),
            ..Bios::default()
        },
        hardware: Hardware { uuid: "00000000-0000-0000-0000-000000000000".into(), name: "PC-Kancelarija-3".into(), ..Hardware::default() },
        ..Inventory::default()
    };
    let id = inv.identity(&bl);
    assert_eq!(id.serial, None);
    assert_eq!(id.uuid, None);
    assert_eq!(id.name.as_deref(), Some("pc-kancelarija-3"));

    inv.bios.enclosure_serial = "CZC0479792".into();
    inv.hardware.uuid = "33e737a8-f827-11df-9297-47c0a301005a".into();
    let id = inv.identity(&bl);
    assert_eq!(id.serial.as_deref(), Some("CZC0479792"), "falls back to the enclosure serial");
    assert_eq!(id.uuid.as_deref(), Some("33E737A8-F827-11DF-9297-47C0A301005A"));

    for junk in
        ["0000000", "111", "0101101", "1.0", "Ver 2.1.3", "to be filled by o.e.m.", "SYSTEM SERIAL NUMBER", "N/A", "", "Not Specified"]
    {
        assert!(bl.is_junk_serial(junk), "{junk}");
    }
    for good in ["9E113232I", "CZC0479792", "PF0XYZ12", "0123456789A"] {
        assert!(!bl.is_junk_serial(good), "{good}");
    }
    for junk in
        ["FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "03000200-0400-0500-0006-000700080009", "2", "", "11111111-1111-1111-1111-111111111111"]
    {
        assert!(bl.is_junk_uuid(junk), "{junk}");
    }
    assert!(!bl.is_junk_uuid("0055ADC9-1D3A-E411-8043-B05D95113232"));
}

#[test]
fn administrator_additions() {
    let bl = Blacklist {
        extra_serials: vec!["ABC-DEFAULT".into()],
        extra_uuids: vec!["12345678-AAAA-BBBB-CCCC-1234567890AB".into()],
        extra_macs: vec!["AA-BB-CC-00-11-22".into()],
    };
    assert!(bl.is_junk_serial("abc-default"));
    assert!(bl.is_junk_uuid("12345678-aaaa-bbbb-cccc-1234567890ab"));
    assert!(bl.is_junk_mac("aa:bb:cc:00:11:22"));
    assert!(!Blacklist::default().is_junk_serial("abc-default"));
    assert!(bl.is_junk_model("System Product Name"));
    assert!(bl.is_junk_manufacturer("System manufacturer"));
    assert!(!bl.is_junk_model("HP EliteBook 2540p"));
}

#[test]
fn macs_of_physical_cards() {
    let bl = Blacklist::default();
    let inv = Inventory {
        networks: vec![
            nic("68:B5:99:E6:84:EB", false),
            nic("68:b5:99:e6:84:eb", false),
            nic("02:42:ac:11:00:02", true),
            nic("00:50:56:C0:00:08", false),
            nic("00:00:00:00:00:00", false),
            nic("", false),
            Network { mac: "11:22:33:44:55:66".into(), kind: "loopback".into(), ..Network::default() },
            nic("74:f3:95:c7:e8:c2", false),
        ],
        ..Inventory::default()
    };
    let id = inv.identity(&bl);
    assert_eq!(id.macs, vec!["68:b5:99:e6:84:eb", "74:f3:95:c7:e8:c2"], "virtual, VMware host-only and zero MACs excluded");

    let vm = Inventory { networks: vec![nic("02:42:AC:11:00:02", true), nic("00:00:00:00:00:00", true)], ..Inventory::default() };
    assert_eq!(vm.identity(&bl).macs, vec!["02:42:ac:11:00:02"], "no physical card: all cards count");
}

fn machine() -> Inventory {
    let mut inv = inventory_of("xml-testdata/inventory_format-tests-12.xml");
    inv.storages.push(Storage { name: "sr0".into(), kind: "cdrom".into(), size_mb: Some(700), ..Storage::default() });
    inv.storages.push(Storage { name: "sdb".into(), kind: "Removable Media".into(), size_mb: Some(16000), ..Storage::default() });
    inv.memories.push(Memory { capacity_mb: Some(0), slot: "empty".into(), ..Memory::default() });
    inv.softwares.push(Software { name: "CCleaner".into(), version: "5.09".into(), ..Software::default() });
    inv
}

#[test]
fn cards_skip_what_is_not_a_component_and_repeat_exactly() {
    let inv = machine();
    let cards = inv.card_components();
    assert_eq!(cards.iter().filter(|c| c.kind == "disk").count(), 1, "no cdrom, no removable");
    assert_eq!(cards.iter().filter(|c| c.kind == "memory").count(), 2, "no empty slot");
    let kinds: Vec<&str> = cards.iter().map(|c| c.kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort_by_key(|k| ["cpu", "memory", "disk", "network", "graphics"].iter().position(|x| x == k));
    assert_eq!(kinds, sorted, "card order");
    let sw = inv.card_software();
    let cc: Vec<_> = sw.iter().filter(|s| s.name == "CCleaner").collect();
    assert_eq!(cc.len(), 1, "one line per name and version");
    assert_eq!(cc[0].publisher, "Piriform", "the richer duplicate wins");

    // The same machine reported in another order is the same card.
    let mut shuffled = inv.clone();
    shuffled.softwares.reverse();
    shuffled.networks.reverse();
    shuffled.memories.reverse();
    shuffled.storages.reverse();
    assert_eq!(shuffled.card_components(), cards);
    assert_eq!(shuffled.card_software(), sw);

    // A real change shows.
    let mut changed = inv.clone();
    changed.softwares.push(Software { name: "7-Zip".into(), version: "24.08".into(), ..Software::default() });
    assert_ne!(changed.card_software(), sw);
    assert_eq!(changed.card_components(), cards);
    let mut more_ram = inv.clone();
    more_ram.memories.push(Memory { capacity_mb: Some(8192), kind: "DDR3".into(), ..Memory::default() });
    assert_ne!(more_ram.card_components(), cards);
}

#[test]
fn two_fusioninventory_runs_of_one_machine_give_one_card() {
    // fi-ok2 and fi-zlib: the same agent on the same machine, minutes apart.
    let a = inventory_of("local/fusioninventory-agent-2.6_local.xml");
    let b = inventory_of("local/fusioninventory-agent-2.6_local.xml");
    assert_eq!(a.card_software(), b.card_software());
    assert_eq!(a.card_components(), b.card_components());
}

#[test]
fn sections_of_kinds() {
    assert_eq!(section_of("cpu"), Some(Section::Cpus));
    assert_eq!(section_of("memory"), Some(Section::Memories));
    assert_eq!(section_of("disk"), Some(Section::Storages));
    assert_eq!(section_of("network"), Some(Section::Networks));
    assert_eq!(section_of("graphics"), Some(Section::Videos));
    assert_eq!(section_of("software"), Some(Section::Softwares));
    assert_eq!(section_of("toaster"), None);
}

#[test]
fn os_line_variants() {
    let mut inv = Inventory::default();
    assert_eq!(inv.os_line(), "");
    inv.os.name = "Windows".into();
    inv.os.version = "7".into();
    assert_eq!(inv.os_line(), "Windows 7");
    inv.os.full_name = "Microsoft Windows 7 Professional".into();
    inv.os.service_pack = "Service Pack 1".into();
    assert_eq!(inv.os_line(), "Microsoft Windows 7 Professional Service Pack 1");
}
