//! The local inventories of one Debian machine by three agents, GLPI's JSON examples and
//! inventory_format's XML test inputs: concrete facts, and the same machine seen the same way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use upravnik_inventory::{Blacklist, Limits, Message, Request, Section, parse, reply_unsupported};

const FI: &str = "local/fusioninventory-agent-2.6_local.xml";
const OCS: &str = "local/ocsinventory-agent-2.10.0_local.xml";
const GLPI: &str = "local/glpi-agent-1.12-dev_local.json";

fn software<'a>(inv: &'a upravnik_inventory::Inventory, name: &str) -> &'a upravnik_inventory::model::Software {
    inv.softwares.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name} missing"))
}

#[test]
fn fusioninventory_local_inventory() {
    let inv = inventory_of(FI);
    assert_eq!(inv.deviceid, "vm-2026-11-25-16-05-22");
    assert_eq!(inv.hardware.name, "vm");
    assert_eq!(inv.hardware.memory_mb, Some(24105));
    assert_eq!(inv.hardware.vmsystem, "Docker");
    assert_eq!(inv.client, "FusionInventory-Agent_v2.6-3");
    assert_eq!(inv.cpus.len(), 1);
    assert_eq!(inv.cpus[0].name, "AMD EPYC");
    assert_eq!(inv.cpus[0].manufacturer, "AMD");
    assert_eq!(inv.cpus[0].cores, Some(2));
    assert_eq!(inv.softwares.len(), 996);
    let adduser = software(&inv, "adduser");
    assert_eq!((adduser.version.as_str(), adduser.publisher.as_str()), ("3.134", "Debian"));
    assert_eq!(inv.os.name, "Debian GNU/Linux");
    assert_eq!(inv.os.version, "12.11");
    assert_eq!(inv.os.arch, "x86_64");
    assert_eq!(inv.os_line(), "Debian GNU/Linux 12 (bookworm)");
    assert_eq!(inv.networks.len(), 7);
    assert_eq!(inv.networks.iter().filter(|n| n.virtual_dev).count(), 4);
    assert_eq!(inv.storages[0].size_mb, Some(274877));
    assert_eq!(inv.storages[0].serial, "overlayblk");
    assert!(!inv.partial);
    assert_eq!(
        inv.sections.iter().copied().collect::<Vec<_>>(),
        vec![
            Section::Hardware,
            Section::Bios,
            Section::OperatingSystem,
            Section::Cpus,
            Section::Storages,
            Section::Networks,
            Section::Softwares
        ]
    );
    let id = inv.identity(&Blacklist::default());
    assert_eq!(id.macs, vec!["02:fc:00:00:00:01"]);
    assert_eq!(id.name.as_deref(), Some("vm"));
    assert_eq!((id.serial, id.uuid), (None, None), "the container has no DMI");
}

#[test]
fn ocs_local_inventory_in_the_ocs_dialect() {
    let inv = inventory_of(OCS);
    assert_eq!(inv.deviceid, "vm-2026-11-25-16-05-46");
    assert_eq!(inv.hardware.name, "vm");
    assert_eq!(inv.hardware.memory_mb, Some(24105));
    assert_eq!(inv.hardware.workgroup, "WORKGROUP");
    assert_eq!(inv.cpus.len(), 1);
    assert_eq!(inv.cpus[0].name, "AMD EPYC", "OCS CPUS/TYPE");
    assert_eq!(inv.cpus[0].cores, Some(2), "OCS CPUS/CORES");
    assert_eq!(inv.cpus[0].threads, Some(2), "OCS CPUS/THREADS");
    assert_eq!(inv.softwares.len(), 997);
    let adduser = software(&inv, "adduser");
    assert_eq!(adduser.version, "3.134");
    assert_eq!(adduser.install_date.as_deref(), Some("2025-04-20"), "OCS 2025/04/20 00:00:00");
    assert_eq!(adduser.arch, "all", "OCS ARCHITECTURE");
    // No OPERATINGSYSTEM section: HARDWARE/OSNAME, OSVERSION, OSCOMMENTS.
    assert!(inv.sections.contains(&Section::OperatingSystem));
    assert_eq!(inv.os.name, "Debian GNU/Linux");
    assert_eq!(inv.os.version, "12");
    assert_eq!(inv.os.arch, "x86_64");
    assert_eq!(inv.os.install_date, None, "1970-00-01 is junk");
    assert_eq!(inv.os_line(), "Debian GNU/Linux 12 (bookworm)");
    assert_eq!(inv.storages.len(), 2);
    assert_eq!(inv.storages[0].size_mb, Some(274877), "274877.906944");
    assert!(inv.sections.contains(&Section::Bios), "an empty BIOS element is still a section");
    assert_eq!(inv.client, "", "no VERSIONCLIENT and no User-Agent");
    // OCS does not flag virtual interfaces; their Linux names do.
    let id = inv.identity(&Blacklist::default());
    assert_eq!(id.macs, vec!["02:fc:00:00:00:01"]);
}

#[test]
fn glpi_agent_local_inventory() {
    let inv = inventory_of(GLPI);
    assert_eq!(inv.deviceid, "vm-2026-11-25-16-09-54");
    assert_eq!(inv.hardware.name, "vm");
    assert_eq!(inv.hardware.memory_mb, Some(24105));
    assert_eq!(inv.client, "GLPI-Agent_v1.12-dev");
    assert_eq!(inv.cpus[0].name, "AMD EPYC");
    assert_eq!(inv.cpus[0].cores, Some(2));
    assert_eq!(inv.softwares.len(), 1073);
    assert_eq!(software(&inv, "adduser").version, "3.134");
    assert_eq!(inv.os.install_date, None, "1970-01-01 means unknown");
    assert_eq!(inv.os_line(), "Debian GNU/Linux 12 (bookworm)");
    assert!(!inv.partial);
    assert!(inv.sections.contains(&Section::Softwares));
    assert!(!inv.sections.contains(&Section::Memories));
    assert_eq!(inv.identity(&Blacklist::default()).macs, vec!["02:fc:00:00:00:01"]);
}

#[test]
fn three_agents_see_one_machine() {
    let bl = Blacklist::default();
    let all = [inventory_of(FI), inventory_of(OCS), inventory_of(GLPI)];
    let ids: Vec<_> = all.iter().map(|i| i.identity(&bl)).collect();
    for id in &ids[1..] {
        assert_eq!((&id.name, &id.macs, &id.serial, &id.uuid), (&ids[0].name, &ids[0].macs, &ids[0].serial, &ids[0].uuid));
    }
    let kinds =
        |inv: &upravnik_inventory::Inventory, kind: &str| inv.card_components().into_iter().filter(|c| c.kind == kind).collect::<Vec<_>>();
    for kind in ["cpu", "network"] {
        assert_eq!(kinds(&all[0], kind), kinds(&all[1], kind), "{kind}: FI vs OCS");
        assert_eq!(kinds(&all[0], kind), kinds(&all[2], kind), "{kind}: FI vs GLPI");
    }
    let cpu = &kinds(&all[0], "cpu")[0];
    assert_eq!((cpu.manufacturer.as_str(), cpu.model.as_str(), cpu.capacity.as_str()), ("AMD", "AMD EPYC", "2 cores"));
    let nics = kinds(&all[0], "network");
    assert_eq!(nics.len(), 1, "eth0 is listed once per address but is one card");
    assert_eq!(nics[0].serial, "02:fc:00:00:00:01");
    // The RAM disk zram0 OCS lists is not a disk of the machine.
    for inv in &all {
        let disks = kinds(inv, "disk");
        assert_eq!(disks.len(), 1);
        assert_eq!(disks[0].capacity, "275 GB");
    }
    let fi_sw = all[0].card_software();
    assert_eq!(fi_sw.len(), 996);
    assert!(fi_sw.windows(2).all(|w| (&w[0].name, &w[0].version) < (&w[1].name, &w[1].version)));
}

#[test]
fn glpi_json_examples() {
    use Section::*;
    let sections = |rel: &str| inventory_of(rel).sections.into_iter().collect::<Vec<_>>();
    let full = inventory_of("glpi-json/computer_1.json");
    assert!(!full.partial);
    assert_eq!(full.tag.as_deref(), Some("000005"));
    assert_eq!(full.itemtype, "Computer", "no itemtype: a computer");
    assert_eq!(full.memories.len(), 2);
    assert!(full.card_components().iter().any(|c| c.kind == "memory"));

    let cpu = inventory_of("glpi-json/computer_1_partial_cpu.json");
    assert!(cpu.partial);
    assert_eq!(sections("glpi-json/computer_1_partial_cpu.json"), vec![Hardware, Bios, Cpus]);
    assert_eq!(cpu.hardware.name, full.hardware.name);
    let softs = inventory_of("glpi-json/computer_1_partial_softs.json");
    assert!(softs.partial);
    assert_eq!(sections("glpi-json/computer_1_partial_softs.json"), vec![Hardware, Bios, OperatingSystem, Softwares]);
    assert_eq!(softs.softwares.len(), 6);
    let vms = inventory_of("glpi-json/computer_2_partial_vms.json");
    assert!(vms.partial);
    assert_eq!(sections("glpi-json/computer_2_partial_vms.json"), vec![Hardware, Bios]);
    assert!(!inventory_of("glpi-json/computer_2.json").partial);

    let phone = inventory_of("glpi-json/phone_1.json");
    assert_eq!(phone.itemtype, "Phone");
    assert_eq!(phone.softwares.len(), 3);

    for (rel, action) in [("glpi-json/printer_1.json", "netinventory"), ("glpi-json/networkequipment_3.json", "netinventory")] {
        let body = read(rel);
        let req = Request { body: &body, content_type: Some("application/json"), user_agent: None, agent_id: None };
        let parsed = parse(&req, Limits::default()).expect(rel);
        assert_eq!(parsed.message, Message::Unsupported { query: action.into() }, "{rel}");
        let reply = reply_unsupported(&parsed);
        assert_eq!(reply.status, 501);
        let v = glpi_json(&reply.body);
        assert_eq!(v["message"], "Query 'netinventory' is not supported.");
    }
}

#[test]
fn fusioninventory_linux_laptop_with_tag() {
    let inv = inventory_of("xml-testdata/inventory_format-tests-1.xml");
    assert_eq!(inv.tag.as_deref(), Some("teclib"));
    assert_eq!(inv.hardware.uuid, "0055ADC9-1D3A-E411-8043-B05D95113232");
    assert_eq!(inv.bios.serial, "9E113232I");
    assert_eq!(inv.bios.date.as_deref(), Some("2014-07-25"), "SMBIOS mm/dd/yyyy");
    assert_eq!(inv.memories.len(), 2);
    let mem: Vec<_> = inv.card_components().into_iter().filter(|c| c.kind == "memory").collect();
    assert_eq!(mem.len(), 1, "an empty slot is not a module");
    assert_eq!((mem[0].capacity.as_str(), mem[0].model.as_str()), ("8 GB", "DDR3"));
    let php = software(&inv, "php71-php-process");
    assert_eq!(php.install_date.as_deref(), Some("2017-06-08"), "FI dd/mm/yyyy");
    assert_eq!(software(&inv, "xerces-j2").install_date, None, "N/A");
    let cpu = inv.card_components().into_iter().find(|c| c.kind == "cpu").expect("cpu");
    assert_eq!(cpu.capacity, "2 cores 1.7 GHz");
    assert_eq!(inv.os_line(), "Fedora release 25 (Twenty Five)");
    let id = inv.identity(&Blacklist::default());
    assert_eq!(id.serial.as_deref(), Some("9E113232I"));
    assert_eq!(id.name.as_deref(), Some("lf014"));
    assert!(!id.macs.is_empty());
    assert!(id.macs.iter().all(|m| m.len() == 17 && m.to_lowercase() == *m));
    assert_eq!(inv.monitors[0].manufacturer, "CMN");
}

#[test]
fn fusioninventory_windows_laptop() {
    let inv = inventory_of("xml-testdata/inventory_format-tests-12.xml");
    assert_eq!(inv.tag.as_deref(), Some("3923"));
    assert_eq!(inv.os_line(), "Microsoft Windows 8.1 Professionnel");
    assert_eq!(inv.os.install_date.as_deref(), Some("2015-04-17"));
    assert_eq!(inv.bios.manufacturer, "Hewlett-Packard");
    assert_eq!(software(&inv, "CCleaner").install_date.as_deref(), Some("2015-09-11"));
    assert_eq!(inv.networks[0].description, "Connexion réseau Intel(R) 82577LM Gigabit");
    assert_eq!(inv.networks[0].mac, "68:b5:99:e6:84:eb");
    let cards = inv.card_components();
    let disk = cards.iter().find(|c| c.kind == "disk").expect("disk");
    assert_eq!((disk.model.as_str(), disk.capacity.as_str()), ("Hitachi HTS725025A9A364", "250 GB"));
    assert_eq!(disk.serial, "101024PCK204VJJVAMYJ");
    let mem: Vec<_> = cards.iter().filter(|c| c.kind == "memory").collect();
    assert_eq!(mem.len(), 2);
    assert!(mem.iter().all(|m| m.capacity == "2 GB" && m.manufacturer == "Samsung"));
    assert!(cards.iter().any(|c| c.kind == "graphics" && c.model == "Intel(R) HD Graphics"));
    let id = inv.identity(&Blacklist::default());
    assert_eq!(id.serial.as_deref(), Some("CZC0479792"));
    assert_eq!(id.uuid.as_deref(), Some("33E737A8-F827-11DF-9297-47C0A301005A"));
}

#[test]
fn network_device_queries_are_unsupported() {
    for (rel, query) in [
        ("xml-testdata/inventory_format-tests-5-good.xml", "SNMPQUERY"),
        ("xml-testdata/inventory_format-tests-9.xml", "NETDISCOVERY"),
        ("xml-testdata/inventory_format-tests-10.xml", "NETDISCOVERY"),
    ] {
        let body = zlib(&read(rel));
        let req = Request { body: &body, content_type: Some("application/x-compress-zlib"), user_agent: None, agent_id: None };
        let parsed = parse(&req, Limits::default()).expect(rel);
        assert_eq!(parsed.message, Message::Unsupported { query: query.into() }, "{rel}");
        let reply = reply_unsupported(&parsed);
        assert_eq!(reply.status, 501);
        let xml = agent_reads(&reply, upravnik_inventory::Encoding::Zlib);
        let doc = reply_root(&xml);
        assert_eq!(xml_child(&doc, "ERROR"), Some(format!("Query '{query}' is not supported.").as_str()));
    }
}
