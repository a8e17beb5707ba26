//! The demo's equipment park (issue 3): workstations with labels and addresses, servers with
//! their roles in the server room, printers, UPSs and switches; some in repair, some written off.

use upravnik_core::access::Actor;
use upravnik_core::asset::{AssetInput, AssetStatus};
use upravnik_core::clock::ManualClock;
use upravnik_core::parts::{ComponentInput, PartFields, SoftwareInput};
use upravnik_core::service::Services;

const WORKSTATIONS: &[(&str, &str)] =
    &[("Dell", "OptiPlex 7010"), ("HP", "ProDesk 400 G7"), ("Lenovo", "ThinkCentre M70q"), ("Dell", "OptiPlex 3080")];
const SERVERS: &[(&str, &str, &[&str])] = &[
    ("dc1", "PowerEdge R650", &["domain_controller"]),
    ("dc2", "PowerEdge R650", &["domain_controller"]),
    ("opis", "ProLiant DL380 Gen10", &["application", "database"]),
    ("mail", "ProLiant DL360 Gen10", &["mail"]),
    ("web", "PowerEdge R450", &["web"]),
    ("fw", "FortiGate 100F", &["gateway"]),
];

fn ws(i: usize) -> AssetInput {
    let (make, model) = WORKSTATIONS[i % WORKSTATIONS.len()];
    AssetInput {
        kind: if i % 10 == 9 { "laptop".into() } else { "workstation".into() },
        inventory_number: format!("{:06}", 100 + i),
        label: format!("ST {}", i + 1),
        manufacturer: make.into(),
        model: model.into(),
        serial: format!("{}{:07}", &make[..2].to_uppercase(), 3_310_000 + i * 37),
        hostname: format!("st{:03}", i + 1),
        ip: format!("10.10.{}.{}", 1 + i / 200, 20 + i % 200),
        mac: format!("00:1A:2B:{:02X}:{:02X}:{:02X}", i / 256, i % 256, (i * 7) % 256),
        building: "Трг ослобођења 1".into(),
        room: format!("канц. {}", 1 + i % 64),
        procurement_ref: format!("ЈН {}/{}", 4 + i % 9, 2019 + i % 6),
        supplier: "Комтрејд д.о.о.".into(),
        purchase_date: format!("{:02}.{:02}.{}.", 1 + i % 27, 1 + i % 12, 2019 + i % 6),
        price: format!("{}.990,00", 64 + i % 30),
        warranty_end: format!("{:02}.{:02}.{}.", 1 + i % 27, 1 + i % 12, 2024 + i % 4),
        ..Default::default()
    }
}

/// What a demo workstation is made of and runs (Prilog 1): processor, memory, disk, system, office.
fn parts(i: usize) -> Vec<upravnik_core::Result<PartFields>> {
    let cpu = ["Intel Core i5-3470", "Intel Core i5-10500", "AMD Ryzen 5 PRO 4650GE", "Intel Core i3-10100"][i % 4];
    let component = |kind: &str, make: &str, model: &str, capacity: &str, serial: String| {
        ComponentInput {
            kind: kind.into(),
            manufacturer: make.into(),
            model: model.into(),
            capacity: capacity.into(),
            serial,
            note: String::new(),
        }
        .validate()
    };
    let program = |name: &str, version: &str, publisher: &str| {
        SoftwareInput { name: name.into(), version: version.into(), publisher: publisher.into(), installed_on: String::new() }.validate()
    };
    vec![
        component("cpu", "", cpu, "", String::new()),
        component(
            "memory",
            "Kingston",
            "KVR26N19S8",
            if i.is_multiple_of(3) { "16 GB" } else { "8 GB" },
            format!("K{:08X}", 0x5A00_0000 + i * 97),
        ),
        component("disk", "Samsung", "870 EVO", "500 GB", format!("S5Y{:07}", 4_100_000 + i * 13)),
        program(if i.is_multiple_of(5) { "Microsoft Windows 11 Pro" } else { "Microsoft Windows 10 Pro" }, "", "Microsoft Corporation"),
        if i.is_multiple_of(4) {
            program("LibreOffice", "7.6.4", "The Document Foundation")
        } else {
            program("Microsoft Office Professional Plus 2016", "16.0.4266.1001", "Microsoft Corporation")
        },
        program("Adobe Acrobat Reader DC (64-bit)", "23.006.20360", "Adobe Inc."),
        program("7-Zip 22.01 (x64)", "22.01", "Igor Pavlov"),
        program("Security Update for Microsoft Office 2016 (KB4484103) 64-Bit Edition", "", "Microsoft Corporation"),
        // A few machines carry what nobody bought (R.30): the demo's compliance findings.
        if i % 23 == 5 {
            program("WinRAR 6.02 (64-bit)", "6.02.0", "win.rar GmbH")
        } else if i % 41 == 9 {
            program("Autodesk AutoCAD 2020 - English", "23.1.47.0", "Autodesk")
        } else {
            program("Google Chrome", "120.0.6099.130", "Google LLC")
        },
    ]
}
/// The demo's networks, matching the addresses below: servers in 10.10.0.0/24, workstations in
/// 10.10.1.0/24 (the moved one at .250 too), and a printer network not yet in use.
const SUBNETS: &[(&str, &str, &str, &str)] = &[
    ("10.10.0.0/24", "Сервери", "10", "10.10.0.1"),
    ("10.10.1.0/24", "Корисници", "20", "10.10.1.1"),
    ("10.10.2.0/24", "Штампачи и скенери", "30", "10.10.2.1"),
];

/// The registry as entered at the start of the demo year: networks, equipment with its parts,
/// workstations assigned to the people at their workplaces.
pub struct Registered {
    pub count: usize,
    created: Vec<i64>,
    /// (asset, person) of every assigned workstation.
    pub assigned: Vec<(i64, i64)>,
}

impl Registered {
    /// Workstations that [`recent`] changes, which the demo's fault reports leave alone.
    pub fn changed_later(&self) -> Vec<i64> {
        [7, 12, 33, 61, 90, 120, 121].iter().filter_map(|&k| self.created.get(k).copied()).collect()
    }
}

pub async fn register(services: &Services, admin: &Actor, clock: &ManualClock) -> anyhow::Result<Registered> {
    for (cidr, name, vlan, gateway) in SUBNETS {
        clock.advance_secs(10);
        let s = upravnik_core::subnet::SubnetInput {
            cidr: (*cidr).into(),
            name: (*name).into(),
            vlan: (*vlan).into(),
            gateway: (*gateway).into(),
            note: String::new(),
        };
        services.create_subnet(admin, &s).await?;
    }
    let mut n = 0;
    let mut created = vec![];
    let today = jiff::ZonedDateTime::now().date();
    for i in 0..150 {
        clock.advance_secs(4);
        let mut a = ws(i);
        if i % 37 == 5 {
            // A few warranties end soon, so the home page has something to say.
            if let Ok(d) = today.checked_add(jiff::Span::new().days(i64::try_from(3 + i / 10).unwrap_or(3))) {
                a.warranty_end = d.to_string();
            }
        }
        let id = services.create_asset(admin, &a).await?.id;
        for part in parts(i) {
            services.add_part(admin, id, &part?).await?;
        }
        created.push(id);
        n += 1;
    }
    for (i, (host, model, roles)) in SERVERS.iter().enumerate() {
        clock.advance_secs(4);
        let a = AssetInput {
            kind: "server".into(),
            inventory_number: format!("S-{:03}", i + 1),
            manufacturer: if model.starts_with("Power") {
                "Dell".into()
            } else if model.starts_with("Forti") {
                "Fortinet".into()
            } else {
                "HPE".into()
            },
            model: (*model).into(),
            hostname: (*host).into(),
            ip: format!("10.10.0.{}", 10 + i),
            roles: roles.iter().map(|r| (*r).to_string()).collect(),
            in_server_room: true,
            building: "Трг ослобођења 1".into(),
            room: "серверска сала".into(),
            warranty_end: format!("31.12.{}.", 2026 + i % 3),
            ..Default::default()
        };
        let id = services.create_asset(admin, &a).await?.id;
        services.set_asset_status(admin, id, AssetStatus::InUse, "").await?;
        n += 1;
    }
    let others: &[(&str, &str, &str, usize)] = &[
        ("printer", "HP", "LaserJet Pro M404dn", 24),
        ("printer", "Kyocera", "ECOSYS M2540dn", 8),
        ("scanner", "Canon", "DR-C225 II", 4),
        ("ups", "APC", "Smart-UPS 1500", 6),
        ("switch", "Cisco", "Catalyst 2960-X 48", 6),
        ("access_point", "Ubiquiti", "UniFi U6 Lite", 5),
    ];
    for (kind, make, model, count) in others {
        for j in 0..*count {
            clock.advance_secs(4);
            let a = AssetInput {
                kind: (*kind).into(),
                inventory_number: format!("{}{}-{:03}", &kind[..2].to_uppercase(), &make[..1].to_uppercase(), j + 1),
                manufacturer: (*make).into(),
                model: (*model).into(),
                serial: format!("{}{:06}", &make[..2].to_uppercase(), 480_000 + j * 13),
                room: if *kind == "switch" || *kind == "ups" {
                    "серверска сала".into()
                } else {
                    format!("канц. {}", 3 + j * 5)
                },
                building: "Трг ослобођења 1".into(),
                ..Default::default()
            };
            created.push(services.create_asset(admin, &a).await?.id);
            n += 1;
        }
    }
    // Workstations are assigned to the people at their workplaces (zaduženje, R.3, R.19); a few
    // are in repair or at the service afterwards; the rest stay in stock.
    let mut q = upravnik_core::org::ListQuery::new(admin.office_id);
    q.per_page = 500;
    let people = services.people(admin, &q).await?;
    let placed: Vec<(i64, i64)> = people.items.iter().filter_map(|p| p.workplace_id.map(|w| (p.id, w))).collect();
    let mut assigned = vec![];
    for (k, id) in created.iter().enumerate().take(150) {
        let Some(&(person, workplace)) = placed.get(k) else { break };
        clock.advance_secs(3);
        services.assign_asset(admin, *id, Some(person), Some(workplace), "", false).await?;
        assigned.push((*id, person));
    }
    Ok(Registered { count: n, created, assigned })
}

/// The last days' changes: a few workstations in repair or at the service, two written off, one
/// moved to another office with a new address.
pub async fn recent(services: &Services, admin: &Actor, clock: &ManualClock, reg: &Registered) -> anyhow::Result<()> {
    let created = &reg.created;
    for (k, status) in [(7, AssetStatus::InRepair), (33, AssetStatus::InRepair), (61, AssetStatus::InRepair), (90, AssetStatus::AtService)]
    {
        clock.advance_secs(40);
        services.set_asset_status(admin, created[k], status, "").await?;
    }
    for id in [created[120], created[121]] {
        clock.advance_secs(30);
        services.set_asset_status(admin, id, AssetStatus::WrittenOff, "Решење о расходовању 404-31/2026 од 20.11.2026.").await?;
    }
    // A change with history: a workstation moved to another office and given a new address.
    clock.advance_secs(120);
    let mut moved = ws(12);
    moved.room = "канц. 7".into();
    moved.ip = "10.10.1.250".into();
    services.update_asset(admin, created[12], &moved).await?;
    Ok(())
}
