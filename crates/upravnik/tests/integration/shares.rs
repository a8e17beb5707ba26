//! `upravnik shares scan` on a generated share with thousands of messy names (issue 10): Cyrillic,
//! diacritics, forbidden characters, paths over 220 characters, names that clash once
//! transliterated, names that are not valid Unicode, private files, files outside the layout.
//! Every finding's proposal obeys R.42 and never clashes with a name in its folder.

use std::collections::{BTreeMap, HashSet};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use upravnik_core::shares::{Rules, check_name};

use crate::support::temp_dir;

/// Files in each JAVNO and PRIVATNO folder: 4 units × 4 people × 2 × 100 = 3,200 in all.
const PER_FOLDER: usize = 100;

fn touch(p: &Path, bytes: usize) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, vec![b'x'; bytes]).unwrap();
}

#[test]
fn r42_a_messy_share_is_found_out_file_by_file_with_compliant_names_proposed() {
    let root = temp_dir("share");
    let units = ["Finansije", "Urbanizam", "Кабинет градоначелника", "Pisarnica"];
    let people = ["Petar Petrović", "Ana Ilic", "Љиљана Њежић", "Marko Markovic"];
    let stems = ["Решење о одмору", "Rešenje o plati", "Zapisnik (konačni)", "Ugovor #12", "Izvestaj o radu", "Odluka, nacrt"];
    let mut files = 0_u64;
    let mut expected_cyrillic = 0_u64;
    for (u, unit) in units.iter().enumerate() {
        for (p, person) in people.iter().enumerate() {
            for top in ["JAVNO", "PRIVATNO"] {
                for i in 0..PER_FOLDER {
                    let stem = stems[(u + p + i) % stems.len()];
                    let name = format!("{stem} {i}.docx");
                    expected_cyrillic += u64::from(stem.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c)));
                    touch(&root.join(unit).join(person).join(top).join(name), 10);
                    files += 1;
                }
            }
        }
    }
    // Clashes once transliterated: both would become "Resenje.docx".
    let clash = root.join("Finansije/Ana Ilic/JAVNO");
    touch(&clash.join("Решење.docx"), 1);
    touch(&clash.join("Resenje.docx"), 1);
    touch(&clash.join("Rešenje.docx"), 1);
    files += 3;
    // A path far over 220 characters.
    let deep = root.join("Urbanizam/Ana Ilic/JAVNO").join("Planska dokumentacija za izmene i dopune plana generalne regulacije".repeat(2));
    touch(&deep.join("Детаљни план регулације за блок између улица Светозара Марковића и Николе Пашића.pdf"), 5);
    files += 1;
    // Not valid Unicode (a name written by an old Windows client in CP1250).
    let raw = std::ffi::OsStr::from_bytes(b"Re\x9aenje o odmoru.doc");
    touch(&root.join("Pisarnica/Marko Markovic/JAVNO").join(raw), 1);
    files += 1;
    // Private files and a file outside the layout.
    touch(&root.join("Pisarnica/Marko Markovic/PRIVATNO/Muzika.mp3"), 2_000_000);
    touch(&root.join("Budzet 2026.xlsx"), 1);
    files += 2;

    let out = crate::cli::upravnik().args(["shares", "scan", "--json", root.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"].as_u64(), Some(files), "every file is seen");
    let findings = report["findings"].as_array().unwrap();
    let by_rule = |rule: &str| findings.iter().filter(|f| f["violation"]["rule"] == rule).collect::<Vec<_>>();

    // Every Cyrillic document name is found (folders too), each with a compliant Latin name.
    let cyr_files = by_rule("cyrillic").iter().filter(|f| f["dir"] == false).count() as u64;
    assert_eq!(cyr_files, expected_cyrillic + 2, "the generated ones, the clash and the long one");
    assert!(by_rule("cyrillic").iter().any(|f| f["path"] == "Кабинет градоначелника" && f["proposal"] == "Kabinet gradonacelnika"));
    let rules = Rules::default();
    let mut per_folder: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    for f in findings {
        let Some(p) = f["proposal"].as_str() else { continue };
        let path = f["path"].as_str().unwrap();
        let parent = path.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
        let room = rules.max_path.saturating_sub(if parent.is_empty() { 0 } else { parent.chars().count() + 1 });
        let fresh = check_name(p, p.chars().count(), &rules);
        assert!(fresh.is_empty(), "{path} → {p}: {fresh:?}");
        assert!(p.chars().count() <= room, "{path} → {p} fits the path limit");
        per_folder.entry(parent).or_default().insert(p.to_lowercase());
    }
    // The clash: the existing "Resenje.docx" keeps its name, the others get their own.
    let clash_names: Vec<&str> = findings
        .iter()
        .filter(|f| f["path"].as_str().is_some_and(|p| p.starts_with("Finansije/Ana Ilic/JAVNO/R")) && f["proposal"].is_string())
        .map(|f| f["proposal"].as_str().unwrap())
        .collect();
    let unique: HashSet<String> = clash_names.iter().map(|n| n.to_lowercase()).collect();
    assert!(clash_names.len() >= 2 && unique.len() == clash_names.len(), "{clash_names:?}");
    assert!(!unique.contains("resenje.docx"), "never the name a file already has: {clash_names:?}");

    let long = by_rule("path_too_long");
    assert!(!long.is_empty() && long.iter().all(|f| f["violation"]["len"].as_u64() > Some(220)));
    assert!(
        by_rule("forbidden")
            .iter()
            .any(|f| f["path"].as_str().is_some_and(|p| p.contains('\u{FFFD}')) && f["proposal"] == "Reenje o odmoru.doc")
    );
    assert!(
        by_rule("private_file")
            .iter()
            .any(|f| f["path"] == "Pisarnica/Marko Markovic/PRIVATNO/Muzika.mp3" && f["article"] == "R.40, R.61.7")
    );
    assert!(by_rule("outside_layout").iter().any(|f| f["path"] == "Budzet 2026.xlsx"));
    assert_eq!(report["by_unit"]["Finansije"]["files"].as_u64(), Some(4 * 2 * PER_FOLDER as u64 + 3));
    assert!(report["by_person"]["Finansije/Petar Petrović"]["violations"].as_u64() > Some(0));

    // The human report says the same, with the articles.
    let out = crate::cli::upravnik().args(["shares", "scan", root.to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("{files} files")) && text.contains("[R.42]") && text.contains("→ Kabinet gradonacelnika"), "{text}");
    // An office's own list of private files replaces the rulebook's.
    let own: serde_json::Value =
        serde_json::from_str(&upravnik_ok(&["shares", "scan", "--json", "--private-ext", "exe,iso", root.to_str().unwrap()])).unwrap();
    assert!(own["findings"].as_array().unwrap().iter().all(|f| f["violation"]["rule"] != "private_file"));
    let missing = crate::cli::upravnik().args(["shares", "scan", "/nonexistent/share"]).output().unwrap();
    assert!(!missing.status.success() && String::from_utf8_lossy(&missing.stderr).contains("is not a folder"));
}

/// Every file under `root`: its path's bytes and its content.
fn snapshot(root: &Path) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().as_os_str().as_bytes().to_vec();
            if e.file_type().unwrap().is_dir() {
                out.insert(rel, b"<dir>".to_vec());
                stack.push(p);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A tree where every file holds its own original path, so a content is found wherever it moved.
fn messy_tree(tag: &str) -> std::path::PathBuf {
    let root = temp_dir(tag);
    let folders = ["Финансије/Петар Петровић/JAVNO", "Finansije/Ana Ilić/PRIVATNO/Nacrti (stari)", "Urbanizam/Marko/JAVNO"];
    let stems = ["Решење о одмору", "Rešenje, plata", "Zapisnik #3", "Ugovor (konačni)", "Odluka"];
    for (i, f) in folders.iter().enumerate() {
        for n in 0..200 {
            let name = format!("{} {n}.docx", stems[(i + n) % stems.len()]);
            let p = root.join(f).join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, p.strip_prefix(&root).unwrap().as_os_str().as_bytes()).unwrap();
        }
    }
    for name in ["Решење.docx", "Rešenje.docx", "Resenje.docx"] {
        let p = root.join("Urbanizam/Marko/JAVNO").join(name);
        std::fs::write(&p, name).unwrap();
    }
    root
}

fn upravnik_ok(args: &[&str]) -> String {
    let out = crate::cli::upravnik().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn r46_fix_renames_by_plan_keeps_every_byte_and_undo_restores_the_tree_exactly() {
    let root = messy_tree("share-fix");
    let r = root.to_str().unwrap();
    let before = snapshot(&root);
    let plan = root.with_extension("plan.json");
    let p = plan.to_str().unwrap();
    assert!(upravnik_ok(&["shares", "fix", r, "--plan", p]).contains("renames planned"));
    let out = upravnik_ok(&["shares", "fix", r, "--plan", p, "--apply"]);
    assert!(out.contains("renamed, 0 done before"), "{out}");

    // Every rule a rename can fix holds now; every file is there with its content.
    let scan: serde_json::Value = serde_json::from_str(&upravnik_ok(&["shares", "scan", "--json", r])).unwrap();
    let left: Vec<&serde_json::Value> = scan["findings"].as_array().unwrap().iter().filter(|f| f["proposal"].is_string()).collect();
    assert!(left.is_empty(), "{left:?}");
    let after = snapshot(&root);
    let contents = |s: &BTreeMap<Vec<u8>, Vec<u8>>| {
        let mut v: Vec<Vec<u8>> = s.values().filter(|c| c.as_slice() != b"<dir>").cloned().collect();
        v.sort();
        v
    };
    assert_eq!(contents(&after), contents(&before), "no content changed, none lost");
    assert!(after.keys().all(|k| k.is_ascii()), "every name is ASCII now");

    let journal = format!("{p}.journal");
    assert!(upravnik_ok(&["shares", "undo", &journal]).contains("put back"));
    assert_eq!(snapshot(&root), before, "byte for byte as before");
}

#[test]
fn r46_a_clash_or_a_permission_error_stops_cleanly_and_the_run_resumes() {
    let root = messy_tree("share-stop");
    let r = root.to_str().unwrap();
    let before = snapshot(&root);
    let plan = root.with_extension("plan.json");
    let p = plan.to_str().unwrap();
    upravnik_ok(&["shares", "fix", r, "--plan", p]);
    let planned: serde_json::Value = serde_json::from_slice(&std::fs::read(&plan).unwrap()).unwrap();
    let renames = planned["renames"].as_array().unwrap();

    // Someone saves a file under a planned name meanwhile: the run stops there, overwriting nothing.
    let target = renames.iter().find(|x| x["from"].as_str().is_some_and(|f| f.starts_with("Finansije/Ana"))).unwrap();
    let squatter = root.join(target["to"].as_str().unwrap());
    std::fs::write(&squatter, "someone else's").unwrap();
    let out = crate::cli::upravnik().args(["shares", "fix", r, "--plan", p, "--apply"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(&squatter).unwrap(), b"someone else's", "never overwritten");
    std::fs::remove_file(&squatter).unwrap();

    // A folder that may not be changed (immutable: root ignores permissions) stops it again.
    let locked = root.join("Urbanizam/Marko/JAVNO");
    let immutable = std::process::Command::new("chattr").arg("+i").arg(&locked).status().is_ok_and(|s| s.success());
    if immutable {
        let out = crate::cli::upravnik().args(["shares", "fix", r, "--plan", p, "--apply"]).output().unwrap();
        let _ = std::process::Command::new("chattr").arg("-i").arg(&locked).status();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("renaming") && err.contains("not permitted"), "{err}");
    } else {
        assert!(std::env::var("CI").is_err(), "chattr must work in CI (ext4, root)");
        eprintln!("\n*** SKIPPED the permission error half: chattr +i is not available here. ***\n");
    }

    // Resumed: what the journal holds is not done again, the rest is.
    let out = upravnik_ok(&["shares", "fix", r, "--plan", p, "--apply"]);
    let done_before: usize = out.split(", ").nth(1).and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok()).unwrap();
    assert!(done_before > 0, "{out}");
    let journal = format!("{p}.journal");
    let lines = std::fs::read_to_string(&journal).unwrap().lines().count();
    assert_eq!(lines, renames.len() + 1, "each rename journalled once");
    upravnik_ok(&["shares", "undo", &journal]);
    assert_eq!(snapshot(&root), before);
}

#[tokio::test]
async fn scans_reach_the_server_with_their_trend_units_findings_and_the_heads_notice() {
    use axum::http::{Method, StatusCode};
    use upravnik_core::access::Role;

    use crate::http::App;
    use crate::support::{ADMIN_PW, databases, user_with, with_admin};

    let root = temp_dir("share-server");
    for (path, bytes) in [
        ("Finansije/Petar Petrovic/JAVNO/Решење о одмору.docx", 1),
        ("Finansije/Petar Petrovic/JAVNO/Zapisnik (konačni).docx", 1),
        ("Finansije/Petar Petrovic/PRIVATNO/Muzika.mp3", 2_000_000),
        ("Urbanizam/Ana/JAVNO/Plan.pdf", 1),
    ] {
        touch(&root.join(path), bytes);
    }
    let report: serde_json::Value = serde_json::from_str(&upravnik_ok(&["shares", "scan", "--json", root.to_str().unwrap()])).unwrap();
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        // The head of the finance unit, whose folder is "Finansije".
        let unit = s
            .create_unit(&admin, upravnik_core::org::UnitInput { parent_id: None, name: "Финансије".into(), code: "FIN".into() })
            .await
            .unwrap();
        let head = user_with(&s, &admin, "sef", &[Role::HeadOfUnit]).await;
        let person = s.person(&admin, head.person_id).await.unwrap();
        s.update_person(
            &admin,
            head.person_id,
            upravnik_core::org::PersonInput {
                given_name: person.given_name.clone(),
                family_name: person.family_name.clone(),
                unit_id: Some(unit.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        app.login("admin", ADMIN_PW).await;
        let (_, token) = s.create_api_token(&admin, "cli").await.unwrap();
        let (st, body) = app
            .api(Method::POST, "/api/v1/shares/scans", &token, Some(serde_json::json!({"share": "Z: Dokumenti", "report": report})))
            .await;
        assert_eq!(st, StatusCode::CREATED, "{}: {body}", db.name);
        // A second scan a little later, after one file was fixed: the trend shows it.
        let mut fewer = report.clone();
        fewer["findings"].as_array_mut().unwrap().remove(0);
        fewer["violations"] = serde_json::json!(report["violations"].as_u64().unwrap() - 1);
        let (st, _) = app
            .api(Method::POST, "/api/v1/shares/scans", &token, Some(serde_json::json!({"share": "Z: Dokumenti", "report": fewer})))
            .await;
        assert_eq!(st, StatusCode::CREATED);
        let shares = s.shares(&admin).await.unwrap();
        assert_eq!((shares.len(), shares[0].scans.len()), (1, 2), "{}", db.name);
        let id = shares[0].id;
        let n = report["findings"].as_array().unwrap().len() as i64;
        assert_eq!((shares[0].scans[0].violations, shares[0].scans[1].violations), (n - 1, n));

        let list = app.get("/shares").await.body;
        assert!(list.contains("Z: Dokumenti") && list.contains(">-1<"), "{}: {list}", db.name);
        let page = app.get(&format!("/shares/{id}")).await.body;
        assert!(page.contains("Finansije") && page.contains("Urbanizam"), "{}", db.name);
        let f = app.get(&format!("/shares/{id}/findings?unit=Finansije")).await.body;
        assert!(f.contains("Zapisnik konacni.docx") && f.contains("приватна датотека (.mp3, 2 MB)"), "{}: {f}", db.name);
        let x = app.get(&format!("/shares/{id}/findings?format=xlsx")).await;
        assert_eq!(x.status, StatusCode::OK);
        assert!(x.bytes.starts_with(b"PK"), "an XLSX workbook");
        let (st, body) = app.api(Method::GET, &format!("/api/v1/shares/{id}/findings?unit=Finansije&limit=1"), &token, None).await;
        assert_eq!((st, body["findings"].as_array().map(|a| a.len())), (StatusCode::OK, Some(1)), "{body}");

        // The head of the finance unit is told at home; an employee may not see the shares.
        let mut h = App::over(s.clone());
        h.login("sef", "plava8reka").await;
        let home = h.get("/").await.body;
        assert!(home.contains("у фолдеру „Finansije“ има"), "{}: {home}", db.name);
        let log =
            s.store.worklog(&upravnik_core::worklog::Filter { office_id: admin.office_id, limit: 10, ..Default::default() }).await.unwrap();
        assert!(log.iter().any(|e| e.text.contains("Преглед дељеног фолдера „Z: Dokumenti“")), "{}", db.name);
    }
}

#[tokio::test]
async fn the_server_scans_the_configured_shares_itself_once_a_period() {
    use crate::support::{databases, services, with_admin};

    let share = temp_dir("share-scheduled");
    touch(&share.join("Finansije/Petar/JAVNO/Решење.docx"), 1);
    touch(&share.join("Finansije/Petar/JAVNO/Dopis.docx"), 1);
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let data = temp_dir("share-scheduled-data");
        let config = data.join("upravnik.toml");
        std::fs::write(&config, format!("[[shares]]\nname = \"Z: Dokumenti\"\npath = \"{}\"\nevery_hours = 24\n", share.display()))
            .unwrap();
        let args = ["--database-url", &db.url, "--data-dir", data.to_str().unwrap(), "--config", config.to_str().unwrap()];
        // Two instances behind a load balancer: one of them scans.
        let (a, b) = (crate::cli::serve(&args), crate::cli::serve(&args));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut views = vec![];
        while std::time::Instant::now() < deadline {
            views = s.shares(&admin).await.unwrap();
            if !views.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        drop((a, b));
        let views = s.shares(&admin).await.unwrap();
        assert_eq!(views.len(), 1, "{}", db.name);
        assert_eq!(views[0].scans.len(), 1, "{}: one scan in the period, by one instance", db.name);
        let scan = &views[0].scans[0];
        assert_eq!((scan.files, scan.violations), (2, 1), "{}", db.name);
    }
}
