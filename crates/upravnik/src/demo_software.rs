//! The demo's list of licensed software (Prilog 4): the systems and the office suite with their
//! licences, free programs, and two programs nobody bought, which compliance turns into removal
//! tasks (R.30). Internet access per workstation (R.32) with one social-network exception
//! approved and one waiting, a private modem found (R.32, R.34), and install requests (R.62.7).

use upravnik_core::access::Actor;
use upravnik_core::clock::ManualClock;
use upravnik_core::internet::{AccessInput, MisuseInput};
use upravnik_core::service::Services;
use upravnik_core::software::{LicenceInput, ProductInput};
use upravnik_core::software_requests::{DecisionInput, RequestInput};

/// A licence: (kind, seats, valid to, contract, procurement).
type DemoLicence = (&'static str, &'static str, &'static str, &'static str, &'static str);

/// (name, vendor, category, first rule, licence)
#[rustfmt::skip]
const CATALOGUE: &[(&str, &str, &str, &str, Option<DemoLicence>)] = &[
    ("Microsoft Windows 10 Pro", "Microsoft", "operating_system", "Microsoft Windows 10 Pro", Some(("oem", "150", "", "Уз рачунаре", "ЈН 4/2019 – ЈН 12/2024"))),
    ("Microsoft Windows 11 Pro", "Microsoft", "operating_system", "Microsoft Windows 11 Pro", Some(("oem", "40", "", "Уз рачунаре", "ЈН 12/2024"))),
    ("Microsoft Office Professional Plus 2016", "Microsoft", "system_application", "Microsoft Office Professional Plus 2016", Some(("per_device", "120", "", "Уговор 404-118/2017", "ЈН 7/2017"))),
    ("LibreOffice", "The Document Foundation", "free", "LibreOffice", None),
    ("Adobe Acrobat Reader", "Adobe", "free", "Adobe Acrobat Reader", None),
    ("7-Zip", "Igor Pavlov", "free", "7-Zip", None),
    ("Google Chrome", "Google", "free", "Google Chrome", None),
    ("Kaspersky Endpoint Security", "Kaspersky", "system_application", "Kaspersky Endpoint Security", Some(("subscription", "200", "2027-01-15", "Уговор 404-52/2026", "ЈН 2/2026"))),
    ("WinRAR", "win.rar GmbH", "system_application", "WinRAR", None),
    ("Autodesk AutoCAD 2020", "Autodesk", "system_application", "Autodesk AutoCAD 2020", None),
];

pub async fn catalogue(services: &Services, admin: &Actor, clock: &ManualClock) -> anyhow::Result<()> {
    services.add_standard_ignore_rules(admin).await?;
    for (name, vendor, category, rule, licence) in CATALOGUE {
        clock.advance_secs(30);
        let p = ProductInput { name: (*name).into(), vendor: (*vendor).into(), category: (*category).into(), note: String::new() };
        let id = services.create_software_product(admin, &p, Some(rule)).await?;
        if let Some((kind, seats, to, contract, procurement)) = licence {
            let l = LicenceInput {
                kind: (*kind).into(),
                seats: (*seats).into(),
                valid_to: (*to).into(),
                contract: (*contract).into(),
                procurement: (*procurement).into(),
                ..Default::default()
            };
            services.add_software_licence(admin, id, &l).await?;
        }
    }
    Ok(())
}

/// Internet access for most workstations, the standard blocked sites, social networks for two
/// jobs (one approved by the head of administration, one waiting), a private modem, and install
/// requests from an employee (one approved, one waiting).
pub async fn internet(
    services: &Services,
    admin: &Actor,
    chief: Option<&Actor>,
    requester: Option<(Actor, i64)>,
    clock: &ManualClock,
) -> anyhow::Result<()> {
    services.add_standard_sites(admin).await?;
    let hosts = services.internet_hosts(admin).await?;
    let blocked: Vec<String> = ["adult", "games", "malware"].iter().map(|s| (*s).to_string()).collect();
    for (i, h) in hosts.iter().enumerate().filter(|(i, _)| i % 6 != 5) {
        clock.advance_secs(20);
        let social_reason = match i {
            2 => "Односи с јавношћу: објаве Градске управе и одговори грађанима",
            7 => "Туристичка организација: најаве манифестација",
            _ => "",
        };
        let input = AccessInput { allowed: true, blocked: blocked.clone(), social_reason: social_reason.into(), note: String::new() };
        services.set_internet_access(admin, h.asset_id, &input).await?;
    }
    if let (Some(chief), Some(h)) = (chief, hosts.get(2)) {
        clock.advance_secs(3600);
        services.decide_social_networks(chief, h.asset_id, true).await?;
    }
    if let Some(h) = hosts.get(11) {
        clock.advance_secs(7200);
        let today = upravnik_core::clock::local_date(services.clock.now_us()).map(upravnik_core::clock::format_date).unwrap_or_default();
        let modem = MisuseInput {
            kind: "private_modem".into(),
            asset_id: Some(h.asset_id),
            person_id: None,
            happened_on: today,
            description: "USB 4G модем прикључен на рачунар, мимо мреже Градске управе".into(),
            action: "Модем искључен и враћен запосленом; приступ интернету укинут до разговора са руководиоцем".into(),
            cut_access: true,
        };
        services.record_misuse(admin, &modem).await?;
    }
    if let Some((employee, asset)) = requester {
        for (name, reason) in
            [("GIMP", "Обрада фотографија за сајт Градске управе"), ("Notepad++", "Уређивање CSV извештаја из пореске апликације")]
        {
            clock.advance_secs(1800);
            let r = RequestInput { asset_id: Some(asset), product_id: None, name: name.into(), reason: reason.into() };
            let id = services.request_install(&employee, &r).await?;
            if let (Some(chief), "GIMP") = (chief, name) {
                clock.advance_secs(3600);
                services.decide_install(chief, id, &DecisionInput { decision: "approve".into(), note: String::new() }).await?;
            }
        }
    }
    Ok(())
}
