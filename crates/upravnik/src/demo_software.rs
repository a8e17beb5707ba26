//! The demo's list of licensed software (Prilog 4): the systems and the office suite with their
//! licences, free programs, and two programs nobody bought, which compliance turns into removal
//! tasks (R.30).

use upravnik_core::access::Actor;
use upravnik_core::clock::ManualClock;
use upravnik_core::service::Services;
use upravnik_core::software::{LicenceInput, ProductInput};

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
