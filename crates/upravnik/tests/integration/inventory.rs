//! Inventory agents (issue 4) on both databases: a report creates a discovered asset, an
//! unchanged one writes nothing, differences become history rows and one work-log entry, the
//! matching rules keep machines apart or together, partial reports touch only their sections,
//! concurrent first reports make one asset; confirmation, merge and the agent settings.

use upravnik_core::Error;
use upravnik_core::access::{Actor, Role};
use upravnik_core::asset::{AssetInput, AssetStatus};
use upravnik_core::inventory::{AgentReport, AgentSettingsInput, Received};
use upravnik_core::parts::{PartFields, PartKind, SoftwareInput};
use upravnik_core::service::Services;
use upravnik_core::worklog::{Entry, Filter};
use upravnik_inventory::model::{Bios, Cpu, Hardware, Memory, Network, OperatingSystem, Software, Storage};
use upravnik_inventory::{Inventory, Section};

use crate::support::*;

/// A realistic desktop: CPU, two memory modules, a disk, a NIC and 50 programs.
pub fn machine(host: &str, serial: &str, mac: &str) -> Inventory {
    Inventory {
        deviceid: format!("{host}-2026-11-20-08-00-00"),
        itemtype: "Computer".into(),
        client: "FusionInventory-Agent_v2.6".into(),
        sections: Section::ALL.into_iter().collect(),
        hardware: Hardware {
            name: host.into(),
            uuid: format!("4C4C4544-0000-0000-0000-{}", serial.to_uppercase()),
            memory_mb: Some(16384),
            chassis_type: "Desktop".into(),
            vmsystem: "Physical".into(),
            ..Default::default()
        },
        bios: Bios { serial: serial.into(), manufacturer: "Dell Inc.".into(), model: "OptiPlex 7090".into(), ..Default::default() },
        os: OperatingSystem {
            name: "Windows".into(),
            full_name: "Microsoft Windows 10 Pro".into(),
            version: "22H2".into(),
            arch: "64-bit".into(),
            ..Default::default()
        },
        cpus: vec![Cpu {
            name: "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz".into(),
            manufacturer: "Intel".into(),
            cores: Some(6),
            threads: Some(12),
            speed_mhz: Some(3100),
            ..Default::default()
        }],
        memories: vec![
            Memory {
                capacity_mb: Some(8192),
                kind: "DDR4".into(),
                serial: format!("{serial}-M0"),
                manufacturer: "Kingston".into(),
                slot: "DIMM1".into(),
                ..Default::default()
            },
            Memory {
                capacity_mb: Some(8192),
                kind: "DDR4".into(),
                serial: format!("{serial}-M1"),
                manufacturer: "Kingston".into(),
                slot: "DIMM2".into(),
                ..Default::default()
            },
        ],
        storages: vec![Storage {
            name: "PhysicalDrive0".into(),
            model: "Samsung SSD 870 EVO 500GB".into(),
            manufacturer: "Samsung".into(),
            serial: format!("S5{serial}"),
            size_mb: Some(476_940),
            interface: "SATA".into(),
            kind: "disk".into(),
        }],
        networks: vec![
            Network {
                description: "Intel(R) Ethernet Connection I219-LM".into(),
                mac: mac.into(),
                ipv4: "10.10.1.50".into(),
                ipv4_mask: "255.255.255.0".into(),
                kind: "ethernet".into(),
                ..Default::default()
            },
            Network { description: "Loopback".into(), ipv4: "127.0.0.1".into(), kind: "loopback".into(), ..Default::default() },
        ],
        softwares: (0..50)
            .map(|i| Software {
                name: format!("Program {i:02}"),
                version: format!("1.{i}"),
                publisher: "Vendor d.o.o.".into(),
                install_date: Some("2026-01-15".into()),
                arch: "x86_64".into(),
            })
            .collect(),
        ..Default::default()
    }
}

fn json(inv: &Inventory) -> Vec<u8> {
    serde_json::to_vec(inv).unwrap()
}

async fn send(s: &Services, office: i64, inv: &Inventory) -> Received {
    let raw = json(inv);
    s.receive(office, AgentReport { inventory: inv, raw: &raw, raw_zlib: None, format: "json", remote_ip: Some("10.10.1.50") })
        .await
        .unwrap()
}

async fn asset_log(s: &Services, admin: &Actor, id: i64) -> Vec<Entry> {
    s.worklog(admin, Filter { object_kind: Some("asset".into()), object_id: Some(id.to_string()), limit: 100, ..Default::default() })
        .await
        .unwrap()
}

fn installed(parts: &[upravnik_core::parts::Part], kind: PartKind) -> usize {
    parts.iter().filter(|p| p.fields.kind() == kind && p.removed_us.is_none()).count()
}

#[tokio::test]
async fn a_report_fills_a_card_and_only_changes_make_history() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        let office = admin.office_id;
        let inv = machine("PC-RAC-01", "CZC1234XYZ", "a4:bb:6d:11:22:33");
        let r = send(&s, office, &inv).await;
        assert!(r.created, "{}", db.name);
        let a = s.asset(&admin, r.asset_id).await.unwrap();
        assert_eq!(a.status, AssetStatus::Discovered);
        assert!(a.fields.inventory_number.starts_with("AG-"), "{}", a.fields.inventory_number);
        assert_eq!((a.fields.hostname.as_str(), a.fields.serial.as_str()), ("PC-RAC-01", "CZC1234XYZ"));
        assert_eq!((a.fields.mac.as_deref(), a.fields.ip.as_deref()), (Some("A4:BB:6D:11:22:33"), Some("10.10.1.50")));
        let parts = s.asset_parts(&admin, a.id).await.unwrap();
        assert_eq!((installed(&parts, PartKind::Component), installed(&parts, PartKind::Software)), (5, 50), "{}", db.name);
        let log = asset_log(&s, &admin, a.id).await;
        assert_eq!(log.len(), 1, "{}", db.name);
        assert!(log[0].text.starts_with("Откривен рачунар PC-RAC-01"), "{}", log[0].text);
        assert_eq!(log[0].actor_name, "агент PC-RAC-01-2026-11-20-08-00-00");
        let view = s.asset_inventory(&admin, a.id).await.unwrap().unwrap();
        assert_eq!(view.os, "Microsoft Windows 10 Pro");
        assert_eq!((view.last_us, view.incomplete, view.agents.len()), (START, false, 1));
        let (raw, format) = s.asset_inventory_raw(&admin, a.id).await.unwrap();
        assert_eq!((raw, format.as_str()), (json(&inv), "json"), "the last report comes back as sent");

        // The same report again: nothing but the time and the report.
        let history = s.asset_history(&admin, a.id).await.unwrap().len();
        clock.advance_secs(3600);
        let again = send(&s, office, &inv).await;
        assert_eq!(again, Received { asset_id: a.id, created: false, changes: 0 }, "{}", db.name);
        assert_eq!(s.asset_history(&admin, a.id).await.unwrap().len(), history);
        assert_eq!(asset_log(&s, &admin, a.id).await.len(), 1);
        assert_eq!(s.asset_inventory(&admin, a.id).await.unwrap().unwrap().last_us, START + 3_600_000_000);

        // A module out, a program updated, a program installed: three changes, one entry.
        let mut next = inv.clone();
        next.memories.pop();
        next.softwares[3].version = "2.0".into();
        next.softwares.push(Software { name: "LibreOffice".into(), version: "24.8".into(), ..Default::default() });
        clock.advance_secs(3600);
        let r = send(&s, office, &next).await;
        assert_eq!((r.asset_id, r.created, r.changes), (a.id, false, 3), "{}", db.name);
        let h = s.asset_history(&admin, a.id).await.unwrap();
        let new_rows: Vec<(&str, &str, &str)> =
            h[..h.len() - history].iter().map(|r| (r.field.as_str(), r.old.as_str(), r.new.as_str())).collect();
        assert_eq!(new_rows.len(), 3, "{new_rows:?}");
        assert!(new_rows.contains(&("software", "Program 03 1.3", "Program 03 2.0")), "{new_rows:?}");
        assert!(new_rows.contains(&("software", "", "LibreOffice 24.8")), "{new_rows:?}");
        assert!(new_rows.iter().any(|(f, old, new)| *f == "component" && old.contains("CZC1234XYZ-M1") && new.is_empty()), "{new_rows:?}");
        let log = asset_log(&s, &admin, a.id).await;
        assert_eq!(log.len(), 2);
        assert!(log[0].text.contains("инвентар: 3 промене"), "{}", log[0].text);
        let parts = s.asset_parts(&admin, a.id).await.unwrap();
        assert_eq!((installed(&parts, PartKind::Component), installed(&parts, PartKind::Software)), (4, 51));
        assert!(parts.iter().any(|p| p.removed_us.is_some()), "a removed module stays on the card, marked removed");

        // Renamed: the same asset, a history row for the name.
        let mut renamed = next.clone();
        renamed.hardware.name = "RACUNOVODSTVO-3".into();
        let r = send(&s, office, &renamed).await;
        assert_eq!((r.asset_id, r.created, r.changes), (a.id, false, 1), "{}", db.name);
        assert_eq!(s.asset(&admin, a.id).await.unwrap().fields.hostname, "RACUNOVODSTVO-3");
        assert_eq!(s.agent_machines(&admin, None, 1, 50).await.unwrap().total, 1);
    }
}

/// A first report's programs and parts are written as one JSON text each (storage
/// `Backend::json_rows`): every character comes back as the agent sent it, and a missing date
/// stays missing.
#[tokio::test]
async fn a_first_report_stores_every_text_as_sent() {
    for db in databases().await {
        let (s, _clock) = services(&db);
        let admin = with_admin(&s).await;
        let mut inv = machine("PC-TEXT-01", "TXT0001", "a4:bb:6d:00:00:01");
        let odd = [
            ("\"Quoted\" \\ back\\slash", "1.0'; DROP TABLE assets; --", "Ђорђе & Ћирић д.о.о.", None),
            ("Emoji 📎 tab\there", "", "", Some("2026-02-03")),
            ("[1, 2] {\"k\": null}", "null", "\\u0041", None),
        ];
        inv.softwares = odd
            .iter()
            .map(|(name, version, publisher, date)| Software {
                name: name.to_string(),
                version: version.to_string(),
                publisher: publisher.to_string(),
                install_date: date.map(str::to_string),
                arch: String::new(),
            })
            .collect();
        inv.memories[0].manufacturer = "Kingston \"HyperX\" \\ Ћ".into();
        let r = send(&s, admin.office_id, &inv).await;
        assert!(r.created, "{}", db.name);
        let parts = s.asset_parts(&admin, r.asset_id).await.unwrap();
        let mut got: Vec<(String, String, String, Option<String>)> = parts
            .iter()
            .filter_map(|p| match &p.fields {
                PartFields::Software { name, version, publisher, installed_on } => {
                    Some((name.clone(), version.clone(), publisher.clone(), installed_on.clone()))
                }
                PartFields::Component { .. } => None,
            })
            .collect();
        got.sort();
        let mut want: Vec<(String, String, String, Option<String>)> =
            odd.iter().map(|(n, v, p, d)| (n.to_string(), v.to_string(), p.to_string(), d.map(str::to_string))).collect();
        want.sort();
        assert_eq!(got, want, "{}", db.name);
        assert!(
            parts
                .iter()
                .any(|p| matches!(&p.fields, PartFields::Component { manufacturer, .. } if manufacturer == "Kingston \"HyperX\" \\ Ћ")),
            "{}: {parts:?}",
            db.name
        );
        // The same report again changes nothing: what was stored is what the next report compares.
        assert_eq!(send(&s, admin.office_id, &inv).await.changes, 0, "{}", db.name);
    }
}

#[tokio::test]
async fn junk_serials_do_not_join_machines_and_partial_reports_touch_only_their_sections() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let office = admin.office_id;
        let mut a = machine("PC-A", "To Be Filled By O.E.M.", "00:11:22:33:44:01");
        let mut b = machine("PC-B", "To Be Filled By O.E.M.", "00:11:22:33:44:02");
        for m in [&mut a, &mut b] {
            m.hardware.uuid = "03000200-0400-0500-0006-000700080009".into();
        }
        b.networks[0].ipv4 = "10.10.1.51".into();
        let ra = send(&s, office, &a).await;
        let rb = send(&s, office, &b).await;
        assert!(ra.created && rb.created && ra.asset_id != rb.asset_id, "{}: two machines", db.name);
        assert_eq!(s.asset(&admin, ra.asset_id).await.unwrap().fields.serial, "", "a junk serial is not written on the card");

        // Manual rows are the administrator's: the agent neither sees nor removes them.
        let manual = SoftwareInput { name: "Ручно унет програм".into(), version: "1".into(), ..Default::default() }.validate().unwrap();
        s.add_part(&admin, ra.asset_id, &manual).await.unwrap();

        // Only programs: hardware stays as it was, software is compared.
        let mut partial = a.clone();
        partial.partial = true;
        partial.sections = [Section::Hardware, Section::Bios, Section::Softwares, Section::OperatingSystem].into_iter().collect();
        partial.memories.clear();
        partial.cpus.clear();
        partial.storages.clear();
        partial.networks.clear();
        partial.softwares.remove(0);
        let r = send(&s, office, &partial).await;
        assert_eq!((r.asset_id, r.changes), (ra.asset_id, 1), "{}", db.name);
        let parts = s.asset_parts(&admin, ra.asset_id).await.unwrap();
        assert_eq!(installed(&parts, PartKind::Component), 5, "{}: components untouched", db.name);
        assert_eq!(installed(&parts, PartKind::Software), 50, "49 from the agent and the manual one");
        assert!(
            parts
                .iter()
                .any(|p| matches!(&p.fields, PartFields::Software { name, .. } if name == "Ручно унет програм") && p.removed_us.is_none())
        );
        assert_eq!(s.asset(&admin, ra.asset_id).await.unwrap().fields.ip.as_deref(), Some("10.10.1.50"), "networks untouched");
        assert!(!s.asset_inventory(&admin, ra.asset_id).await.unwrap().unwrap().incomplete, "it had a full inventory");

        // A full report without the manual program leaves it too.
        let r = send(&s, office, &a).await;
        assert_eq!(r.changes, 1, "{}: the program is back", db.name);
        let parts = s.asset_parts(&admin, ra.asset_id).await.unwrap();
        assert_eq!(installed(&parts, PartKind::Software), 51);

        // A first report that is partial makes an incomplete card until a full one comes.
        let mut c = machine("PC-C", "CZC0000C01", "00:11:22:33:44:03");
        c.networks[0].ipv4 = "10.10.1.52".into();
        let mut pc = c.clone();
        pc.partial = true;
        pc.sections = [Section::Hardware, Section::Bios, Section::Softwares].into_iter().collect();
        let rc = send(&s, office, &pc).await;
        assert!(s.asset_inventory(&admin, rc.asset_id).await.unwrap().unwrap().incomplete, "{}", db.name);
        assert_eq!(installed(&s.asset_parts(&admin, rc.asset_id).await.unwrap(), PartKind::Component), 0);
        let r = send(&s, office, &c).await;
        assert_eq!(r.asset_id, rc.asset_id);
        assert!(!s.asset_inventory(&admin, rc.asset_id).await.unwrap().unwrap().incomplete);
        assert_eq!(installed(&s.asset_parts(&admin, rc.asset_id).await.unwrap(), PartKind::Component), 5);

        // An address held by another active asset is not taken; the report says so.
        let mut d = machine("PC-D", "CZC0000D01", "00:11:22:33:44:04");
        d.networks[0].ipv4 = "10.10.1.50".into();
        let rd = send(&s, office, &d).await;
        assert_eq!(s.asset(&admin, rd.asset_id).await.unwrap().fields.ip, None, "{}", db.name);
        assert!(s.asset_inventory(&admin, rd.asset_id).await.unwrap().unwrap().note.contains("10.10.1.50"));
    }
}

#[tokio::test]
async fn concurrent_first_reports_make_one_asset_each() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let office = admin.office_id;
        // One machine, sixteen agent installations (deviceids) reporting at once: the agents'
        // rows do not order them, the machine's shared values do (no address, whose unique
        // index would make a duplicate fail and retry anyway).
        let mut tasks = vec![];
        for i in 0..16 {
            let s = s.clone();
            let mut inv = machine("PC-SAME", "CZC5555SAME", "00:aa:bb:cc:dd:01");
            inv.deviceid = format!("PC-SAME-2026-11-20-08-00-{i:02}");
            inv.networks[0].ipv4 = String::new();
            tasks.push(tokio::spawn(async move { send(&s, office, &inv).await }));
        }
        let mut ids = vec![];
        for t in tasks {
            ids.push(t.await.unwrap().asset_id);
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 1, "{}: one machine, one asset", db.name);
        let parts = s.asset_parts(&admin, ids[0]).await.unwrap();
        assert_eq!((installed(&parts, PartKind::Component), installed(&parts, PartKind::Software)), (5, 50), "{}", db.name);

        let mut tasks = vec![];
        for i in 0..16 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                let mut m = machine(&format!("PC-{i:02}"), &format!("CZC77{i:04}"), &format!("00:aa:bb:cc:ee:{i:02x}"));
                m.networks[0].ipv4 = format!("10.10.2.{}", i + 10);
                send(&s, office, &m).await
            }));
        }
        let mut ids = vec![];
        for t in tasks {
            ids.push(t.await.unwrap().asset_id);
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 16, "{}: distinct machines", db.name);
        let discovered = s.discovered_assets(&admin, 1).await.unwrap();
        assert_eq!(discovered.total, 17, "{}", db.name);
        let mut numbers: Vec<String> = discovered.items.iter().map(|a| a.fields.inventory_number.clone()).collect();
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 17);
        assert!(numbers.iter().all(|n| n.len() == 9 && n.starts_with("AG-0")), "{}: {numbers:?}", db.name);
    }
}

#[tokio::test]
async fn confirm_and_merge_discovered_machines() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let office = admin.office_id;
        // Registered by hand before the agents came: found by its serial, not discovered again.
        let known = s
            .create_asset(
                &admin,
                &AssetInput {
                    kind: "workstation".into(),
                    inventory_number: "000777".into(),
                    serial: "CZC0777".into(),
                    label: "ST 05".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let r = send(&s, office, &machine("PC-777", "CZC0777", "00:aa:00:00:07:77")).await;
        assert_eq!((r.asset_id, r.created), (known.id, false), "{}", db.name);
        let log = asset_log(&s, &admin, known.id).await;
        assert!(log[0].text.contains("први инвентар агента"), "{}", log[0].text);
        assert_eq!(installed(&s.asset_parts(&admin, known.id).await.unwrap(), PartKind::Software), 50);

        // Confirm: a real inventory number and the next label (R.12).
        let r = send(&s, office, &machine("PC-NEW", "CZC0888", "00:aa:00:00:08:88")).await;
        assert_eq!(s.next_label(&admin).await.unwrap(), 6);
        let bad = s.confirm_discovered(&admin, r.asset_id, "000777", "", "workstation").await;
        assert!(matches!(bad, Err(Error::Conflict { code: "inventory_taken", .. })), "{bad:?}");
        let c = s.confirm_discovered(&admin, r.asset_id, "000888", "ST 06", "workstation").await.unwrap();
        assert_eq!((c.status, c.fields.label, c.fields.inventory_number.as_str()), (AssetStatus::InStock, Some(6), "000888"));
        let log = asset_log(&s, &admin, r.asset_id).await;
        assert!(log[0].text.starts_with("Потврђен откривени рачунар AG-"), "{}", log[0].text);
        let again = send(&s, office, &machine("PC-NEW", "CZC0888", "00:aa:00:00:08:88")).await;
        assert_eq!((again.asset_id, again.changes), (r.asset_id, 0), "{}: the confirmed card keeps its agent", db.name);

        // Merge: a reinstalled machine with a new board the rules could not join.
        let dup = send(&s, office, &machine("PC-777-NEW", "CZC0999", "00:aa:00:00:09:99")).await;
        assert!(dup.created);
        let inspector = user_with(&s, &admin, "insp", &[Role::Inspector]).await;
        assert!(matches!(s.merge_assets(&inspector, dup.asset_id, known.id).await, Err(Error::Forbidden)));
        s.merge_assets(&admin, dup.asset_id, known.id).await.unwrap();
        let gone = s.asset(&admin, dup.asset_id).await.unwrap();
        assert_eq!(gone.status, AssetStatus::Disposed);
        assert!(gone.fields.note.contains("спојено са инв. бр. 000777"), "{}", gone.fields.note);
        assert_eq!(installed(&s.asset_parts(&admin, dup.asset_id).await.unwrap(), PartKind::Software), 0, "its agent rows are removed");
        let view = s.asset_inventory(&admin, known.id).await.unwrap().unwrap();
        assert!(view.agents.iter().any(|a| a.deviceid.starts_with("PC-777-NEW")), "{}: agents move", db.name);
        assert!(asset_log(&s, &admin, dup.asset_id).await[0].text.contains("спојено са"));
        assert!(asset_log(&s, &admin, known.id).await[0].text.contains("спојен откривени рачунар"));
        // Its next report lands on the target.
        let r = send(&s, office, &machine("PC-777-NEW", "CZC0999", "00:aa:00:00:09:99")).await;
        assert_eq!((r.asset_id, r.created), (known.id, false), "{}", db.name);
    }
}

#[tokio::test]
async fn agent_settings_round_trip_and_decide_the_office() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let office = admin.office_id;
        let d = s.agent_settings(&admin).await.unwrap();
        assert!(d.anonymous && d.username.is_empty(), "the first office takes anonymous agents out of the box");
        assert_eq!(s.agent_office(None, None, Some("127.0.0.1")).await.unwrap(), Some(office));

        let input = AgentSettingsInput {
            rules: vec!["serial".into(), "mac".into(), "-hostname".into()],
            blacklist_serials: "JUNK-1\nJUNK-2".into(),
            blacklist_macs: "02-00-00-00-00-01".into(),
            username: "agenti".into(),
            password: "tajna-lozinka-42".into(),
            networks: "10.10.0.0/16\n127.0.0.1".into(),
            anonymous: false,
            ..Default::default()
        };
        let saved = s.save_agent_settings(&admin, &input).await.unwrap();
        let read = s.agent_settings(&admin).await.unwrap();
        assert_eq!(read, saved, "{}", db.name);
        assert_eq!(read.blacklist_macs, ["02:00:00:00:00:01"]);
        assert_eq!(read.networks, ["10.10.0.0/16", "127.0.0.1/32"]);
        assert!(read.password_hash.starts_with("$argon2id$"));
        let log = s.worklog(&admin, Filter { limit: 1, ..Default::default() }).await.unwrap();
        assert!(log[0].text.starts_with("Подешавања агената за инвентар"), "{}", log[0].text);
        assert!(!log[0].text.contains("tajna"), "never the password");

        assert_eq!(s.agent_office(Some("agenti"), Some("tajna-lozinka-42"), Some("10.10.3.4")).await.unwrap(), Some(office));
        assert_eq!(s.agent_office(Some("agenti"), Some("tajna-lozinka-42"), Some("10.10.3.4")).await.unwrap(), Some(office), "cached");
        assert_eq!(s.agent_office(Some("agenti"), Some("pogresna-lozinka"), Some("10.10.3.4")).await.unwrap(), None);
        assert_eq!(
            s.agent_office(Some("agenti"), Some("tajna-lozinka-42"), Some("192.168.1.4")).await.unwrap(),
            None,
            "outside the networks"
        );
        assert_eq!(s.agent_office(None, None, Some("127.0.0.1")).await.unwrap(), None, "anonymous agents refused now");

        // Keeping the password: an empty field leaves it; a new rule order is saved and logged.
        let keep = AgentSettingsInput { password: String::new(), rules: vec!["uuid".into()], ..input.clone() };
        let kept = s.save_agent_settings(&admin, &keep).await.unwrap();
        assert_eq!(kept.password_hash, read.password_hash);
        assert_eq!(kept.rules[0].criterion.as_str(), "uuid");
        assert!(matches!(
            s.save_agent_settings(&admin, &AgentSettingsInput { networks: "10.0.0.1/8".into(), ..Default::default() }).await,
            Err(Error::Invalid(_))
        ));

        // An office's own blacklist: its junk serial identifies nothing.
        let open = AgentSettingsInput { blacklist_serials: "SHARED-SN".into(), anonymous: true, ..Default::default() };
        s.save_agent_settings(&admin, &open).await.unwrap();
        let mut x = machine("PC-X", "SHARED-SN", "00:aa:00:00:0a:01");
        let mut y = machine("PC-Y", "SHARED-SN", "00:aa:00:00:0a:02");
        x.hardware.uuid.clear();
        y.hardware.uuid.clear();
        y.networks[0].ipv4 = "10.10.1.99".into();
        let (rx, ry) = (send(&s, office, &x).await, send(&s, office, &y).await);
        assert_ne!(rx.asset_id, ry.asset_id, "{}", db.name);
        let inspector = user_with(&s, &admin, "insp", &[Role::Inspector]).await;
        assert!(s.agent_settings(&inspector).await.is_ok());
        assert!(matches!(s.save_agent_settings(&inspector, &open).await, Err(Error::Forbidden)));
        s.record_contact(office, "PC-Z-2026", None, "GLPI-Agent_v1.12", Some("ZAJECAR")).await.unwrap();
        assert_eq!(s.agents(&admin, 1, 50).await.unwrap().items.iter().filter(|a| a.deviceid == "PC-Z-2026").count(), 1);
    }
}

#[tokio::test]
async fn agent_pages_and_api() {
    use axum::http::{Method, StatusCode};
    for db in databases().await {
        let (mut app, s) = crate::http::App::new(&db).await;
        let admin = with_admin(&s).await;
        app.login("admin", ADMIN_PW).await;
        let office = admin.office_id;
        let known = s
            .create_asset(&admin, &AssetInput { kind: "workstation".into(), inventory_number: "000777".into(), ..Default::default() })
            .await
            .unwrap();
        let found = send(&s, office, &machine("PC-PAGE", "CZC0P01", "00:aa:00:00:0b:01")).await;

        let list = app.get("/agents").await;
        assert_eq!(list.status, StatusCode::OK, "{}", db.name);
        assert!(list.body.contains(">Агенти</a>"), "the Equipment area's second row");
        assert!(list.body.contains("Откривени рачунари") && list.body.contains("PC-PAGE"), "{}", list.body);
        assert!(list.body.contains(&format!("action=\"/assets/{}/confirm\"", found.asset_id)));
        // Nobody is silent for 30 days yet.
        let silent = app.get("/agents?days=30").await;
        assert!(silent.body.contains("Нема рачунара за приказ."), "{}", db.name);

        let page = app.get(&format!("/assets/{}", found.asset_id)).await;
        assert!(page.body.contains("Инвентар агента") && page.body.contains("Microsoft Windows 10 Pro"), "{}", db.name);
        assert!(page.body.contains(&format!("/assets/{}/inventory/raw", found.asset_id)));
        let raw = app.get(&format!("/assets/{}/inventory/raw", found.asset_id)).await;
        assert_eq!((raw.status, raw.content_type.as_str()), (StatusCode::OK, "application/json"));
        assert_eq!(raw.bytes, json(&machine("PC-PAGE", "CZC0P01", "00:aa:00:00:0b:01")));
        assert_eq!(app.get(&format!("/assets/{}/inventory/raw", known.id)).await.status, StatusCode::NOT_FOUND);

        // Merge asks first, then merges.
        let ask = app.post(&format!("/assets/{}/merge", found.asset_id), &[("into", "000777")]).await;
        assert_eq!(ask.status, StatusCode::OK, "{}", ask.body);
        assert!(ask.body.contains("Шта ће се спојити") && ask.body.contains("name=\"confirmed\""));
        assert_eq!(s.asset(&admin, found.asset_id).await.unwrap().status, AssetStatus::Discovered, "nothing yet");
        let bad = app.post(&format!("/assets/{}/merge", found.asset_id), &[("into", "nema")]).await;
        assert!(bad.body.contains("Нема активног средства са тим инвентарским бројем."), "{}", db.name);
        let merged = app.post(&format!("/assets/{}/merge", found.asset_id), &[("into", "000777"), ("confirmed", "1")]).await;
        assert_eq!((merged.status, merged.location.as_str()), (StatusCode::SEE_OTHER, format!("/assets/{}?ok=saved", known.id).as_str()));
        assert_eq!(s.asset(&admin, found.asset_id).await.unwrap().status, AssetStatus::Disposed);

        // Confirm from the list's form.
        let other = send(&s, office, &machine("PC-PAGE-2", "CZC0P02", "00:aa:00:00:0b:02")).await;
        let r = app.post(&format!("/assets/{}/confirm", other.asset_id), &[("inventory_number", ""), ("kind", "workstation")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
        let r = app
            .post(&format!("/assets/{}/confirm", other.asset_id), &[("inventory_number", "000900"), ("label", "ST 3"), ("kind", "laptop")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let c = s.asset(&admin, other.asset_id).await.unwrap();
        assert_eq!((c.status, c.fields.label), (AssetStatus::InStock, Some(3)));

        // Settings: shown, refused without the confirmation box, saved with it.
        let form = app.get("/agents/settings").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("name=\"rule1\"") && form.body.contains("Дозвољене мреже"));
        let fields = [("rule1", "serial"), ("rule2", "-hostname"), ("networks", "10.0.0.0/8"), ("anonymous", "1")];
        let r = app.post("/agents/settings", &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Потврдите измену подешавања."));
        let mut confirmed = fields.to_vec();
        confirmed.push(("confirm", "1"));
        let r = app.post("/agents/settings", &confirmed).await;
        assert_eq!((r.status, r.location.as_str()), (StatusCode::SEE_OTHER, "/agents?ok=saved"), "{}", r.body);
        let saved = s.agent_settings(&admin).await.unwrap();
        assert_eq!(saved.networks, ["10.0.0.0/8"]);
        assert_eq!(upravnik_core::inventory::settings::rules_text(&saved.rules)[..2], ["serial".to_string(), "-hostname".to_string()]);

        // API
        let (_, token) = s.create_api_token(&admin, "агенти").await.unwrap();
        let (st, body) = app.api(Method::GET, "/api/v1/agents", &token, None).await;
        assert_eq!((st, body["total"].as_i64()), (StatusCode::OK, Some(2)), "{body}");
        let (st, body) = app.api(Method::GET, &format!("/api/v1/assets/{}/inventory", known.id), &token, None).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(body["inventory"]["os"], "Microsoft Windows 10 Pro", "{body}");
        assert_eq!(body["inventory"]["agents"][0]["deviceid"], "PC-PAGE-2026-11-20-08-00-00");
    }
}
