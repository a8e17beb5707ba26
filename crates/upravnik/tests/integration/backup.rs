//! Backups of the whole product (issue 8; R.22, R.66, P.5.1) through the real binary on both
//! databases: an archive taken while the product runs restores to exactly the same data (every
//! row of every table, every stored file), `backup verify` proves it sound and catches a damaged
//! one, a restore never overwrites, and a backup taken during heavy writes is one consistent moment.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use sqlx::{Column, Row};
use upravnik_core::worklog::Category;
use upravnik_storage::SqlStore;

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
        let (a, b) = (dump(&db.store).await, dump(&restored).await);
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
