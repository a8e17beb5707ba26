//! Backups of the whole product (issue 8; R.22, R.66, P.5.1) through the real binary on both
//! databases: an archive taken while the product runs restores to exactly the same data (every
//! row of every table, every stored file), `backup verify` proves it sound and catches a damaged
//! one, a restore never overwrites, and a backup taken during heavy writes is one consistent moment.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use sqlx::{Column, Row};
use std::sync::Arc;

use axum::http::{Method, StatusCode};
use upravnik_core::access::Role;
use upravnik_core::backup::{CustodyInput, MediumInput};
use upravnik_core::backup_schedule::BackupPolicy;
use upravnik_core::clock::{Clock, ManualClock};
use upravnik_core::service::{Policy, Services};
use upravnik_core::worklog::{Category, Filter};
use upravnik_storage::SqlStore;

use crate::http::App;
use crate::support::*;

fn upravnik(db_url: &str, data_dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_upravnik"));
    c.env_remove("UPRAVNIK_DATABASE_URL").env_remove("UPRAVNIK_DATA_DIR").env_remove("UPRAVNIK_CONFIG").env("UPRAVNIK_LOG", "warn");
    c.arg("--database-url").arg(db_url).arg("--data-dir").arg(data_dir);
    c
}

fn run_ok(c: &mut Command) -> String {
    let out = c.output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{c:?}: {text}");
    text
}

fn run_fails(c: &mut Command) -> String {
    let out = c.output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "{c:?} should have failed: {text}");
    text
}

/// Every row of every table, each as text, sorted: two databases with equal dumps hold the same data.
async fn dump(store: &SqlStore) -> BTreeMap<String, Vec<String>> {
    let (tables, _, _) = store.contents().await.unwrap();
    let mut out = BTreeMap::new();
    for t in tables.keys() {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM \"{t}\""))).fetch_all(store.pool()).await.unwrap();
        let mut v: Vec<String> = rows
            .iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        let name = r.column(i).name().to_string();
                        let value = if let Ok(n) = r.try_get::<Option<i64>, _>(i) {
                            format!("{n:?}")
                        } else if let Ok(s) = r.try_get::<Option<String>, _>(i) {
                            format!("{s:?}")
                        } else {
                            format!("{:?}", r.try_get::<Option<Vec<u8>>, _>(i).expect("int, text or blob"))
                        };
                        format!("{name}={value}")
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        v.sort();
        out.insert(t.clone(), v);
    }
    out
}

async fn some_data(db: &TestDb) {
    let (s, _) = services(db);
    let admin = with_admin(&s).await;
    for i in 1..=30 {
        let a = upravnik_core::asset::AssetInput {
            kind: "workstation".into(),
            inventory_number: format!("{i:05}"),
            label: format!("ST {i}"),
            ip: format!("10.1.0.{i}"),
            serial: format!("SN-Ђ-{i}"),
            ..Default::default()
        };
        s.create_asset(&admin, &a).await.unwrap();
        s.add_worklog_entry(&admin, Category::Intervention, None, &format!("Замена тонера у канцеларији {i} — „ћирилица“"), false)
            .await
            .unwrap();
    }
    s.add_worklog_entry(&admin, Category::Processing, None, "Тајни унос", true).await.unwrap();
}

fn only_archive(dir: &Path) -> PathBuf {
    let v: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "zip")).collect();
    assert_eq!(v.len(), 1, "{v:?}");
    v[0].clone()
}

/// A copy of the archive whose manifest claims another checksum for the database.
fn with_wrong_checksum(archive: &Path, out: &Path) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(archive).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = vec![];
        f.read_to_end(&mut bytes).unwrap();
        if name == "manifest.json" {
            let mut m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            m["entries"][0]["sha256"] = serde_json::Value::String("0".repeat(64));
            bytes = serde_json::to_vec(&m).unwrap();
        }
        w.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.finish().unwrap();
}

#[tokio::test]
async fn backup_restores_every_row_and_file_and_verify_catches_damage() {
    for db in databases().await {
        some_data(&db).await;
        let data = temp_dir("backup-data");
        std::fs::create_dir_all(data.join("files/scans")).unwrap();
        std::fs::write(data.join("files/scans/prijava-1.pdf"), b"%PDF-1.4 scanned form").unwrap();
        let out = temp_dir("backup-out");
        // What the archive must hold: the data as they are before it (the run is recorded after).
        let before = dump(&db.store).await;
        let said = run_ok(upravnik(&db.url, &data).args(["backup", "--to"]).arg(&out));
        assert!(said.contains("work-log entries"), "{said}");
        let archive = only_archive(&out);
        let said = run_ok(upravnik(&db.url, &data).args(["backup", "verify"]).arg(&archive));
        assert!(said.contains("sound — 2 files checked"), "{}: {said}", db.name);

        // Restore into an empty place of the same kind; the data are exactly the same.
        let target_dir = temp_dir("restore");
        let target = if db.name == "sqlite" {
            upravnik_storage::sqlite_url_for_dir(&target_dir).unwrap()
        } else {
            empty_postgres().await.expect("postgres").url
        };
        run_ok(upravnik(&target, &target_dir).args(["restore", "--from"]).arg(&archive));
        let restored = SqlStore::connect(&target).await.unwrap();
        let (a, b) = (before, dump(&restored).await);
        assert!(a.len() > 60 && a["worklog"].len() > 61 && a["assets"].len() == 30, "{}: {} tables", db.name, a.len());
        for (t, rows) in &a {
            assert_eq!(rows, &b[t], "{}: table {t} differs after the restore", db.name);
        }
        assert_eq!(a.len(), b.len());
        assert_eq!(std::fs::read(target_dir.join("files/scans/prijava-1.pdf")).unwrap(), b"%PDF-1.4 scanned form");
        let (s, _) = services(&TestDb { name: db.name, url: target.clone(), store: restored.clone() });
        assert!(s.verify_worklog().await.unwrap().broken.is_empty(), "{}", db.name);

        // A restore never overwrites; a damaged archive is named as such.
        let said = run_fails(upravnik(&target, &target_dir).args(["restore", "--from"]).arg(&archive));
        assert!(said.contains("never overwrites"), "{}: {said}", db.name);
        let bad = out.join("damaged.zip");
        with_wrong_checksum(&archive, &bad);
        let said = run_fails(upravnik(&db.url, &data).args(["backup", "verify"]).arg(&bad));
        assert!(said.contains("checksum or size differs") && said.contains("NOT sound"), "{}: {said}", db.name);
        let fresh = temp_dir("restore-bad");
        let said =
            run_fails(upravnik(&upravnik_storage::sqlite_url_for_dir(&fresh).unwrap(), &fresh).args(["restore", "--from"]).arg(&bad));
        assert!(said.contains("damaged") || said.contains("holds a postgres"), "{}: {said}", db.name);
        assert!(!fresh.join("upravnik.db").exists(), "nothing restored from a damaged archive");
        restored.close().await;
    }
}

#[tokio::test]
async fn a_backup_during_heavy_writes_is_one_consistent_moment() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut writers = vec![];
        for w in 0..3 {
            let (s, admin, stop) = (s.clone(), admin.clone(), stop.clone());
            writers.push(tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    s.add_worklog_entry(&admin, Category::Intervention, None, &format!("писац {w}, унос {n}"), false).await.unwrap();
                    n += 1;
                }
                n
            }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let data = temp_dir("busy-data");
        let out = temp_dir("busy-out");
        let (url, d, o) = (db.url.clone(), data.clone(), out.clone());
        let said = tokio::task::spawn_blocking(move || run_ok(upravnik(&url, &d).args(["backup", "--to"]).arg(&o))).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let mut written = 0;
        for w in writers {
            written += w.await.unwrap();
        }
        let archive = only_archive(&out);
        let m: serde_json::Value = {
            let mut z = zip::ZipArchive::new(std::fs::File::open(&archive).unwrap()).unwrap();
            let mut text = String::new();
            z.by_name("manifest.json").unwrap().read_to_string(&mut text).unwrap();
            serde_json::from_str(&text).unwrap()
        };
        let in_copy = m["tables"]["worklog"].as_i64().unwrap();
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM worklog").fetch_one(db.store.pool()).await.unwrap();
        assert!(
            in_copy > 1 && in_copy < total,
            "{}: the copy is a moment during the writes ({in_copy} of {total}; {written} written): {said}",
            db.name
        );
        // The copy's chain ends where its rows end: restored, it verifies and matches its manifest.
        let verified = run_ok(upravnik(&db.url, &data).args(["backup", "verify"]).arg(&archive));
        assert!(verified.contains("sound"), "{}: {verified}", db.name);
        assert_eq!(m["worklog"][0]["seq"].as_i64(), Some(in_copy), "{}: one office, one chain", db.name);
    }
}

#[tokio::test]
async fn the_server_makes_the_daily_archive_itself_and_records_it() {
    for db in databases().await {
        let (s, _) = services(&db);
        with_admin(&s).await;
        let data = temp_dir("scheduled");
        // A fresh installation owes the last due archive: the server makes it at start.
        let server = crate::cli::serve_with(
            &["--database-url", &db.url, "--data-dir", data.to_str().unwrap()],
            &[("UPRAVNIK_BACKUP_ENABLED", "true")],
        );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        let runs = loop {
            let runs = s.store.backup_runs(1, 10).await.unwrap();
            if !runs.is_empty() || std::time::Instant::now() > deadline {
                break runs;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        };
        drop(server);
        assert_eq!(runs.len(), 1, "{}: one run, by one instance", db.name);
        let r = &runs[0];
        assert!(r.ok && r.due_us.is_some(), "{}: {r:?}", db.name);
        assert!(data.join("backups").join(&r.archive).exists(), "{}: the archive is copy 1 on the server", db.name);
        let f = Filter { office_id: 1, limit: 100, include_confidential_text: true, ..Default::default() };
        let log = s.store.worklog(&f).await.unwrap();
        assert!(
            log.iter().any(|e| e.category == Category::CopyRenewal && e.text.contains("Дневна архива направљена и проверена")),
            "{}",
            db.name
        );
    }
}

#[tokio::test]
async fn other_jobs_report_runs_and_the_custody_book_follows_copy_2() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let inspector = user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
        // The file server's script reports through the command line and through the API.
        let data = temp_dir("report");
        let said = run_ok(upravnik(&db.url, &data).args([
            "backup",
            "report",
            "--job",
            "Фајл сервер",
            "--start",
            "25.11.2026. 13:00",
            "--end",
            "25.11.2026. 13:40",
            "--result",
            "ok",
            "--size",
            "5000000000",
        ]));
        assert!(said.contains("recorded for admin"), "{said}");
        let bad = run_fails(upravnik(&db.url, &data).args([
            "backup",
            "report",
            "--job",
            "ОПИС база",
            "--start",
            "x",
            "--end",
            "y",
            "--result",
            "ok",
        ]));
        assert!(bad.contains("err-backup-time"), "{bad}");
        let (mut app, _) = (App::over(s.clone()), ());
        app.login("admin", ADMIN_PW).await;
        let (_, token) = s.create_api_token(&admin, "cron").await.unwrap();
        let body = serde_json::json!({"job": "ОПИС база", "started": "2026-11-25T12:50:00Z", "finished": "2026-11-25T12:55:00Z", "result": "failed", "detail": "диск пун"});
        let (st, v) = app.api(Method::POST, "/api/v1/backups/runs", &token, Some(body)).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let runs = s.backup_runs(&inspector, 10).await.unwrap();
        assert_eq!(runs.len(), 2, "{}", db.name);
        assert!(matches!(s.report_backup(&inspector, &Default::default()).await, Err(upravnik_core::Error::Forbidden)), "inspectors read");
        let log = s.store.worklog(&Filter { office_id: admin.office_id, limit: 100, ..Default::default() }).await.unwrap();
        assert!(log.iter().any(|e| e.text.contains("Архивирање „ОПИС база“: НЕУСПЕШНО")), "{}", db.name);
        let page = app.get("/backups").await.body;
        assert!(page.contains("Фајл сервер") && page.contains("5.0 GB") && page.contains("диск пун"), "{}", db.name);

        // Copy 2 on a USB disk: written, deposited, taken out for a check (with a reason), back.
        let m = MediumInput {
            label: "USB-2/1".into(),
            copy_no: Some(2),
            archive: "upravnik-2026-11-25-150000.zip".into(),
            ..Default::default()
        };
        let id = s.add_backup_medium(&admin, &m).await.unwrap();
        assert!(
            matches!(s.add_backup_medium(&admin, &m).await, Err(upravnik_core::Error::Invalid(e)) if e[0].message == "err-medium-duplicate")
        );
        let put = CustodyInput { kind: "deposited".into(), person: "Јелена Петровић".into(), ..Default::default() };
        s.record_custody(&admin, id, &put).await.unwrap();
        assert!(matches!(s.record_custody(&admin, id, &put).await, Err(upravnik_core::Error::Invalid(_))), "already in the safe");
        let r =
            app.post(&format!("/backups/media/{id}/custody"), &[("kind", "taken"), ("person", "Милан Стојановић"), ("reason", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a taking says why");
        let r = app
            .post(
                &format!("/backups/media/{id}/custody"),
                &[("kind", "taken"), ("person", "Милан Стојановић"), ("reason", "Провера враћања")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let book = s.custody_book(&inspector).await.unwrap();
        assert_eq!(book.len(), 2);
        assert_eq!((book[0].person.as_str(), book[0].reason.as_str()), ("Милан Стојановић", "Провера враћања"));
        let page = app.get("/backups/media").await.body;
        assert!(page.contains("USB-2/1") && page.contains("ван сефа") && page.contains("Провера враћања"), "{}", db.name);
        let (st, v) = app.api(Method::GET, "/api/v1/backups/custody", &token, None).await;
        assert_eq!((st, v.as_array().map(Vec::len)), (StatusCode::OK, Some(2)), "{v}");
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn r22_r61_8_missed_archives_and_the_users_notice() {
    for db in databases().await {
        // Monday 30.11.2026. 15:10 Belgrade: the archive (due 15:00) runs, users are told.
        let clock = Arc::new(ManualClock::new(1_796_047_800_000_000));
        let policy = Policy { backup: Some(BackupPolicy::default()), ..Policy::default() };
        let s = Services::new(Arc::new(db.store.clone()), clock.clone(), policy);
        let admin = with_admin(&s).await;
        user_with(&s, &admin, "radnik", &[Role::Employee]).await;
        let mut e = App::over(s.clone());
        e.login("radnik", "plava8reka").await;
        assert!(e.get("/").await.body.contains("У току је дневно архивирање"), "{}: R.61.8", db.name);
        // Friday's archive was made.
        let friday = clock.now_us() - (3 * 86_400 + 8 * 60) * 1_000_000;
        let run = |at: i64| upravnik_core::backup::NewRun {
            job: "upravnik".into(),
            office_id: None,
            started_us: at,
            finished_us: at,
            ok: true,
            size_bytes: Some(1000),
            archive: format!("upravnik-{at}.zip"),
            detail: String::new(),
            due_us: None,
        };
        s.record_own_backup(&run(friday)).await.unwrap();
        let mut a = App::over(s.clone());
        a.login("admin", ADMIN_PW).await;
        let home = a.get("/").await.body;
        assert!(!home.contains("Дневна архива није направљена"), "{}: not missed while it may still run", db.name);
        // 18:00, nothing made: missed, on the administrators' home page until a run succeeds.
        clock.advance_secs(170 * 60);
        assert!(!a.get("/").await.body.contains("У току је дневно архивирање"));
        let home = a.get("/").await.body;
        assert!(home.contains("Дневна архива није направљена (рок: 30.11.2026. 15:00)"), "{}", db.name);
        assert!(home.contains("Копија 2 у сефу писарнице је старија"), "{}", db.name);
        s.record_own_backup(&run(clock.now_us())).await.unwrap();
        assert!(!a.get("/").await.body.contains("Дневна архива није направљена"), "{}: dealt with", db.name);
    }
}
