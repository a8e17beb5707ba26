//! The demo's document share (issue 10): two scans of "Z: Dokumenti" — the second after part of
//! the names were fixed — with folders named by unit codes, so the heads of unit (e.g. `sefikt`
//! for IKT, `finansije` for FIN) see their unit's notice on the home page.

use upravnik_core::access::Actor;
use upravnik_core::clock::ManualClock;
use upravnik_core::service::Services;
use upravnik_core::shares::{Finding, Report, Rules, Tally, check_name, outside_layout, private_ext, propose_name};

const FILES: &[&str] = &[
    "FIN/Snezana Markovic/JAVNO/Решење о буџету 2026.docx",
    "FIN/Snezana Markovic/JAVNO/Zahtev za isplatu (hitno).xlsx",
    "FIN/Snezana Markovic/JAVNO/Resenje o isplati.docx",
    "FIN/Snezana Markovic/PRIVATNO/Ceca - Kukavica.mp3",
    "IKT/Bojan Zivkovic/JAVNO/Šema mreže.vsdx",
    "IKT/Bojan Zivkovic/JAVNO/Plan nabavke 2027.docx",
    "IKT/Milan Stojanovic/Lozinke!.txt",
    "PIS/Jelena Petrovic/JAVNO/Dopis MUP-u #45.doc",
    "PIS/Jelena Petrovic/JAVNO/2026.xlsx",
    "URB/Marija Nikolic/JAVNO/Plan detaljne regulacije blok 12.pdf",
    "Budzet konacno.xlsx",
];

fn report(files: &[&str]) -> Report {
    let rules = Rules::default();
    let mut r = Report { root: "\\\\fs01\\dokumenti".into(), files: 2_140, folders: 310, seconds: 0.4, ..Default::default() };
    for path in files {
        let comps: Vec<&str> = path.split('/').collect();
        let name = comps.last().copied().unwrap_or_default();
        let mut vs = check_name(name, path.chars().count(), &rules);
        if let Some(ext) = private_ext(name, &rules) {
            vs.push(upravnik_core::shares::Violation::PrivateFile { ext, size: 4_300_000 });
        }
        if outside_layout(&comps, &rules) {
            vs.push(upravnik_core::shares::Violation::OutsideLayout);
        }
        let room = rules.max_path.saturating_sub(path.chars().count() - name.chars().count());
        let proposal = vs.iter().any(|v| v.renamable()).then(|| propose_name(name, room, &|_| false)).flatten();
        if comps.len() > 1 {
            let t = r.by_unit.entry(comps[0].to_string()).or_insert_with(|| Tally { files: 400, bytes: 0, violations: 0 });
            t.violations += vs.len() as u64;
        }
        for v in vs {
            r.violations += 1;
            let proposal = if v.renamable() { proposal.clone() } else { None };
            r.renamable += u64::from(proposal.is_some());
            r.findings.push(Finding {
                path: path.to_string(),
                dir: false,
                article: v.article().into(),
                violation: v,
                proposal,
                path_hex: None,
            });
        }
    }
    r
}

pub async fn fill(services: &Services, admin: &Actor, clock: &ManualClock) -> anyhow::Result<()> {
    clock.advance_secs(60);
    services.record_share_scan(admin, "Z: Dokumenti", &report(FILES)).await?;
    // Two names fixed since (R.46).
    clock.advance_secs(3600);
    services.record_share_scan(admin, "Z: Dokumenti", &report(&FILES[2..])).await?;
    Ok(())
}
