//! The real binary: first run, tampering caught by `worklog verify`, serving on a socket.

use std::io::Write;
use std::process::{Command, Stdio};

use upravnik_core::worklog::Category;

use crate::support::*;

pub fn upravnik() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_upravnik"));
    c.env_remove("UPRAVNIK_DATABASE_URL").env_remove("UPRAVNIK_DATA_DIR").env_remove("UPRAVNIK_CONFIG").env("UPRAVNIK_LOG", "warn");
    // A served test counts work-log entries; the daily archive (which a fresh installation owes
    // at once) is tested on its own (`backup::the_server_makes_the_daily_archive_itself…`).
    c.env("UPRAVNIK_BACKUP_ENABLED", "false");
    c
}

fn verify(db: &TestDb) -> (i32, String) {
    let out = upravnik().args(["--database-url", &db.url, "worklog", "verify"]).output().unwrap();
    (out.status.code().unwrap_or(-1), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// Builds a log of a few entries; returns their sequence numbers and ids.
async fn some_history(db: &TestDb) -> Vec<(i64, i64)> {
    let (s, _) = services(db);
    let admin = with_admin(&s).await;
    for i in 1..=5 {
        s.add_worklog_entry(&admin, Category::Intervention, None, &format!("Интервенција {i}"), false).await.unwrap();
    }
    sqlx::query_as("SELECT seq, id FROM worklog ORDER BY seq").fetch_all(db.store.pool()).await.unwrap()
}

async fn drop_guards(db: &TestDb) {
    sqlx_exec(&db.store, "DROP TRIGGER worklog_no_update ON worklog").await;
    sqlx_exec(&db.store, "DROP TRIGGER worklog_no_delete ON worklog").await;
}

async fn drop_guards_any(db: &TestDb) {
    if db.name == "postgres" {
        drop_guards(db).await;
    } else {
        sqlx_exec(&db.store, "DROP TRIGGER worklog_no_update").await;
        sqlx_exec(&db.store, "DROP TRIGGER worklog_no_delete").await;
    }
}

#[tokio::test]
async fn worklog_verify_names_an_entry_changed_behind_the_products_back() {
    for db in databases().await {
        let rows = some_history(&db).await;
        assert_eq!(verify(&db).0, 0, "{}: intact log verifies", db.name);
        // The database itself refuses edits…
        let refused = sqlx::query("UPDATE worklog SET body = 'x' WHERE seq = 2").execute(db.store.pool()).await;
        assert!(refused.is_err(), "{}: append-only trigger", db.name);
        // …so a tamperer drops the guard first.
        drop_guards_any(&db).await;
        let (seq, id) = rows[4];
        sqlx::query("UPDATE worklog SET body = 'Ништа се није десило' WHERE id = $1").bind(id).execute(db.store.pool()).await.unwrap();
        let (code, out) = verify(&db);
        assert_eq!(code, 1, "{}: {out}", db.name);
        assert!(out.contains(&format!("entry #{seq} (id {id}) was changed")), "{}: {out}", db.name);
    }
}

#[tokio::test]
async fn worklog_verify_names_a_deleted_entry() {
    for db in databases().await {
        let rows = some_history(&db).await;
        drop_guards_any(&db).await;
        let (seq, id) = rows[3];
        sqlx::query("DELETE FROM worklog WHERE id = $1").bind(id).execute(db.store.pool()).await.unwrap();
        let (code, out) = verify(&db);
        assert_eq!(code, 1);
        assert!(out.contains(&format!("entry #{seq} is missing")), "{}: {out}", db.name);
    }
}

#[tokio::test]
async fn worklog_verify_notices_reordering_and_a_cut_tail() {
    for db in databases().await {
        let rows = some_history(&db).await;
        drop_guards_any(&db).await;
        // Swap the positions of two entries.
        let (a, b) = (rows[2], rows[3]);
        sqlx::query("UPDATE worklog SET seq = -1 WHERE id = $1").bind(a.1).execute(db.store.pool()).await.unwrap();
        sqlx::query("UPDATE worklog SET seq = $1 WHERE id = $2").bind(a.0).bind(b.1).execute(db.store.pool()).await.unwrap();
        sqlx::query("UPDATE worklog SET seq = $1 WHERE id = $2").bind(b.0).bind(a.1).execute(db.store.pool()).await.unwrap();
        let (code, out) = verify(&db);
        assert_eq!(code, 1);
        assert!(out.contains(&format!("entry #{}", a.0)), "{}: {out}", db.name);
    }
    for db in databases().await {
        let rows = some_history(&db).await;
        drop_guards_any(&db).await;
        let last = rows.last().unwrap();
        sqlx::query("DELETE FROM worklog WHERE id = $1").bind(last.1).execute(db.store.pool()).await.unwrap();
        let (code, out) = verify(&db);
        assert_eq!(code, 1);
        assert!(out.contains("entries at the end were deleted"), "{}: {out}", db.name);
    }
}

#[test]
fn admin_create_reads_the_password_from_stdin_and_enforces_r18() {
    let dir = temp_dir("cli");
    let run = |pw: &str| {
        let mut child = upravnik()
            .args([
                "--data-dir",
                dir.to_str().unwrap(),
                "admin",
                "create",
                "--username",
                "admin",
                "--full-name",
                "Милан Стојановић",
                "--password-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(pw.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let weak = run("milan1234\n");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("err-password-personal"));
    let ok = run("zelena7trava\n");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("administrator admin created"));
    let out = upravnik().args(["--data-dir", dir.to_str().unwrap(), "worklog", "verify"]).output().unwrap();
    assert!(out.status.success());
}

#[test]
fn unknown_config_keys_stop_the_program() {
    let dir = temp_dir("cfg");
    let cfg = dir.join("upravnik.toml");
    std::fs::write(&cfg, "listen = \"127.0.0.1:0\"\nlisen = \"typo\"\n").unwrap();
    let out = upravnik().args(["--config", cfg.to_str().unwrap(), "worklog", "verify"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lisen"), "{}", String::from_utf8_lossy(&out.stderr));
    // The environment overrides the file, and is checked the same way.
    std::fs::write(&cfg, "min_password_length = 12\n").unwrap();
    let weak = upravnik()
        .args(["--config", cfg.to_str().unwrap(), "worklog", "verify"])
        .env("UPRAVNIK_MIN_PASSWORD_LENGTH", "6")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&weak.stderr).contains("at least 8"), "{}", String::from_utf8_lossy(&weak.stderr));
    let typo =
        upravnik().args(["--config", cfg.to_str().unwrap(), "worklog", "verify"]).env("UPRAVNIK_SECURE_COOKIES", "maybe").output().unwrap();
    assert!(!typo.status.success());
    assert!(String::from_utf8_lossy(&typo.stderr).contains("secure_cookies"), "{}", String::from_utf8_lossy(&typo.stderr));
}

/// Starts `upravnik serve` on a free port and waits for `/healthz` (never a fixed sleep).
pub struct Server {
    child: std::process::Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(args: &[&str]) -> Server {
    serve_with(args, &[])
}

/// `serve` with environment variables set (over the test defaults).
pub fn serve_with(args: &[&str], env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut cmd = upravnik();
    cmd.envs(env.iter().copied());
    let child = cmd.args(args).args(["serve", "--listen", &listen]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let server = Server { child, base: format!("http://{listen}") };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if http_get(&listen, "/healthz").is_some_and(|r| r.starts_with("HTTP/1.1 200")) {
            return server;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("server did not become healthy");
}

/// A minimal HTTP/1.1 GET over a real socket.
pub fn http_get(addr: &str, path: &str) -> Option<String> {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn serves_on_a_socket_with_health_metrics_and_the_first_run_page() {
    let dir = temp_dir("serve");
    let server = serve(&["--data-dir", dir.to_str().unwrap()]);
    let addr = server.base.trim_start_matches("http://");
    let page = http_get(addr, "/login").unwrap();
    assert!(page.starts_with("HTTP/1.1 503"), "no administrator yet");
    assert!(page.contains("upravnik admin create --username"), "the page says the command");
    let metrics = http_get(addr, "/metrics").unwrap();
    assert!(metrics.contains("upravnik_http_requests_total{route=\"/login\",status=\"500\"} 1"), "{metrics}");
    assert!(metrics.contains("upravnik_info{version="));
    let api = http_get(addr, "/api/v1/openapi.json").unwrap();
    assert!(api.contains("\"openapi\":\"3.1.0\""));
}

#[test]
fn demo_fills_an_empty_database_once_with_a_valid_history() {
    let dir = temp_dir("demo");
    let out = upravnik().args(["--data-dir", dir.to_str().unwrap(), "demo"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for role in ["administrator", "head_of_administration", "head_of_unit", "inspector", "employee"] {
        assert!(text.contains(role), "a user for {role}:\n{text}");
    }
    assert!(text.contains("120 employees") && text.contains("209 assets"), "{text}");
    assert!(text.contains("8 knowledge-base articles"), "the Rulebook's instructions (R.47–R.51):\n{text}");
    let verify = upravnik().args(["--data-dir", dir.to_str().unwrap(), "worklog", "verify"]).output().unwrap();
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
    // The store of consumables (R.3): stock equal to the moves, some items at their minimum.
    let (items, low, off): (i64, i64, i64) = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = upravnik_storage::SqlStore::connect(&upravnik_storage::sqlite_url_for_dir(&dir).unwrap()).await.unwrap();
        sqlx::query_as(
            "SELECT COUNT(*), SUM(CASE WHEN stock <= min_stock AND min_stock > 0 THEN 1 ELSE 0 END), \
             SUM(CASE WHEN stock <> (SELECT COALESCE(SUM(delta), 0) FROM consumable_moves m WHERE m.consumable_id = c.id) THEN 1 ELSE 0 END) \
             FROM consumables c",
        )
        .fetch_one(store.pool())
        .await
        .unwrap()
    });
    assert!(items >= 10 && low >= 1 && off == 0, "{items} items, {low} low, {off} off");
    let published: i64 = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = upravnik_storage::SqlStore::connect(&upravnik_storage::sqlite_url_for_dir(&dir).unwrap()).await.unwrap();
        sqlx::query_scalar("SELECT COUNT(*) FROM kb_articles WHERE published = 1 AND source LIKE 'R.%'")
            .fetch_one(store.pool())
            .await
            .unwrap()
    });
    assert_eq!(published, 8);
    // A year of fault reports (issue 5): most closed, the newest still open, some went to the
    // authorised service with their documents, some were late.
    let (reports, open, closed, spread, handovers, sheets, orders): (i64, i64, i64, i64, i64, i64, i64) =
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let store = upravnik_storage::SqlStore::connect(&upravnik_storage::sqlite_url_for_dir(&dir).unwrap()).await.unwrap();
            sqlx::query_as(
                "SELECT COUNT(*), SUM(CASE WHEN state IN ('new', 'accepted', 'on_site', 'in_ict_office', 'at_service') THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END), (MAX(created_at) - MIN(created_at)) / 86400000000, \
                 (SELECT COUNT(*) FROM report_handovers), (SELECT COUNT(*) FROM service_sheets), (SELECT COUNT(*) FROM work_orders) \
                 FROM fault_reports",
            )
            .fetch_one(store.pool())
            .await
            .unwrap()
        });
    assert!(reports >= 300 && text.contains(&format!("{reports} fault reports")), "{reports} reports:\n{text}");
    assert!(open >= 1 && closed >= reports / 2, "{open} open, {closed} closed of {reports}");
    assert!(spread >= 330, "the reports span a year, not {spread} days");
    assert!(handovers >= 1 && sheets >= 1 && orders >= 5, "{handovers} hand-overs, {sheets} service sheets, {orders} work orders");
    // The rules of work are published and most have accepted them (R.19, Prilog 3).
    let (versions, accepted, apps): (i64, i64, i64) = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = upravnik_storage::SqlStore::connect(&upravnik_storage::sqlite_url_for_dir(&dir).unwrap()).await.unwrap();
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM rules_versions), (SELECT COUNT(*) FROM rules_acceptances), (SELECT COUNT(*) FROM applications)",
        )
        .fetch_one(store.pool())
        .await
        .unwrap()
    });
    assert!(versions == 1 && (100..120).contains(&accepted), "{versions} versions, {accepted} acceptances");
    assert_eq!(apps, 10, "the standard catalogue of applications (R.17)");
    let states: Vec<String> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = upravnik_storage::SqlStore::connect(&upravnik_storage::sqlite_url_for_dir(&dir).unwrap()).await.unwrap();
        sqlx::query_scalar("SELECT DISTINCT state FROM account_requests ORDER BY state").fetch_all(store.pool()).await.unwrap()
    });
    assert_eq!(states, ["done", "rejected", "submitted"], "account requests in every state (R.19)");
    // Issue 9: one past check, completed, with actions; proposals, one delivered; processing records.
    let (checks, findings, actions, delivered, records): (i64, i64, i64, i64, i64) =
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let store = upravnik_storage::SqlStore::connect(&upravnik_storage::sqlite_url_for_dir(&dir).unwrap()).await.unwrap();
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM compliance_checks WHERE completed_on IS NOT NULL), \
                 (SELECT COUNT(*) FROM compliance_findings), (SELECT COUNT(*) FROM corrective_actions), \
                 (SELECT COUNT(*) FROM assets a JOIN procurement_proposals p ON p.procurement_ref = a.procurement_ref \
                  WHERE p.state = 'approved'), (SELECT COUNT(DISTINCT record_no) FROM processing_records)",
            )
            .fetch_one(store.pool())
            .await
            .unwrap()
        });
    assert!(checks == 1 && findings == 37 && actions >= 2, "{checks} checks, {findings} findings, {actions} actions");
    assert!(delivered >= 1 && records == 3, "{delivered} assets delivered, {records} processing records");
    // Issue 10: two scans of the document share, the second with fewer violations.
    let trend: Vec<i64> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = upravnik_storage::SqlStore::connect(&upravnik_storage::sqlite_url_for_dir(&dir).unwrap()).await.unwrap();
        sqlx::query_scalar("SELECT violations FROM share_scans ORDER BY id").fetch_all(store.pool()).await.unwrap()
    });
    assert!(trend.len() == 2 && trend[1] < trend[0], "{trend:?}");
    let again = upravnik().args(["--data-dir", dir.to_str().unwrap(), "demo"]).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[tokio::test]
async fn generate_assets_fills_both_databases_with_listable_data_and_a_valid_log() {
    for db in databases().await {
        let out = upravnik()
            .args(["--database-url", &db.url, "generate", "assets", "--people", "40", "--count", "900", "--history", "3000", "--seed", "7"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}: {}", db.name, String::from_utf8_lossy(&out.stderr));
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let all = s.assets(&admin, &upravnik_core::asset::AssetQuery { per_page: 10, ..Default::default() }).await.unwrap();
        assert_eq!(all.total, 900, "{}", db.name);
        let history: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM asset_history").fetch_one(db.store.pool()).await.unwrap();
        assert_eq!(history, 3000, "{}", db.name);
        // The generated park obeys the registry's own rules: a new workstation gets the next label.
        let next = s.next_label(&admin).await.unwrap();
        let created = s
            .create_asset(
                &admin,
                &upravnik_core::asset::AssetInput {
                    kind: "workstation".into(),
                    inventory_number: "NOVI-1".into(),
                    label: format!("ST {next}"),
                    ..Default::default()
                },
            )
            .await;
        assert!(created.is_ok(), "{}: {created:?}", db.name);
        assert_eq!(verify(&db).0, 0, "{}: the work log stays intact", db.name);
    }
}

/// What a generator wrote, without ids and times (those differ between runs and databases).
async fn generated_rows(db: &TestDb) -> Vec<String> {
    let mut out = vec![];
    for sql in [
        "SELECT given_name || ' ' || family_name FROM people ORDER BY id",
        "SELECT inventory_number || ' ' || kind || ' ' || status || ' ' || serial || ' ' || room FROM assets ORDER BY inventory_number",
        "SELECT number || ' ' || title || ' ' || state || ' ' || priority || ' ' || channel FROM fault_reports ORDER BY number",
        "SELECT name || ' ' || version FROM asset_software ORDER BY asset_id, name",
        "SELECT field || ' ' || new_value FROM asset_history ORDER BY id",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(db.store.pool()).await.unwrap();
        out.push(format!(
            "{} rows, {:x}",
            rows.len(),
            rows.iter()
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, r| { r.bytes().fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)) })
        ));
    }
    out
}

async fn count(db: &TestDb, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.store.pool()).await.unwrap()
}

#[tokio::test]
async fn generate_scale_city_is_a_whole_office_the_same_from_one_seed_on_both_databases() {
    use upravnik_core::helpdesk::ReportQuery;
    let mut seen = vec![];
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let out = upravnik().args(["--database-url", &db.url, "generate", "--scale", "city", "--seed", "9"]).output().unwrap();
        assert!(out.status.success(), "{}: {}", db.name, String::from_utf8_lossy(&out.stderr));
        let printed = String::from_utf8_lossy(&out.stdout);
        assert!(printed.contains("1 office(s) generated at City scale"), "{printed}");
        // R.52 (reports), R.22 (the log), Prilog 1 (the register): a year of one city's office.
        assert_eq!(count(&db, "SELECT COUNT(*) FROM people").await, 1_500 + 1, "{}: the generated and the administrator", db.name);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM offices").await, 1, "{}: into the existing office", db.name);
        let assets = s.assets(&admin, &upravnik_core::asset::AssetQuery { per_page: 10, ..Default::default() }).await.unwrap();
        assert_eq!(assets.total, 2_000, "{}", db.name);
        let reports = s.reports(&admin, &ReportQuery { page: 1, per_page: 10, ..Default::default() }).await.unwrap();
        assert_eq!(reports.total, 2_500, "{}", db.name);
        let programs = count(&db, "SELECT COUNT(*) FROM asset_software").await;
        let workstations = count(&db, "SELECT COUNT(DISTINCT asset_id) FROM asset_software").await;
        assert!(workstations > 500 && programs == workstations * 80, "{}: {workstations} workstations, {programs} programs", db.name);
        assert!(count(&db, "SELECT COUNT(*) FROM worklog").await > 25_000, "{}", db.name);
        assert_eq!(verify(&db).0, 0, "{}: the work log stays intact", db.name);
        seen.push((db.name, generated_rows(&db).await));
    }
    if let [(a, x), (b, y)] = &seen[..] {
        assert_eq!(x, y, "one seed gives the same data on {a} and {b}");
    } else {
        eprintln!("SKIPPED the comparison across databases: no PostgreSQL (UPRAVNIK_TEST_POSTGRES_URL)");
    }
}

#[tokio::test]
async fn generate_scale_national_makes_many_offices_on_postgresql_and_refuses_sqlite() {
    for db in databases().await {
        let out = upravnik()
            .args(["--database-url", &db.url, "generate", "--scale", "national", "--offices", "2", "--seed", "3"])
            .output()
            .unwrap();
        if db.name == "sqlite" {
            assert!(!out.status.success());
            assert!(String::from_utf8_lossy(&out.stderr).contains("national scale is for PostgreSQL"), "a clear message");
            assert_eq!(count(&db, "SELECT COUNT(*) FROM assets").await, 0, "nothing written");
            continue;
        }
        assert!(out.status.success(), "{}: {}", db.name, String::from_utf8_lossy(&out.stderr));
        let per: Vec<(i64, i64)> = sqlx::query_as("SELECT office_id, COUNT(*) FROM assets GROUP BY office_id ORDER BY office_id")
            .fetch_all(db.store.pool())
            .await
            .unwrap();
        assert_eq!(per.len(), 2, "{per:?}");
        assert!(per.iter().all(|(_, n)| *n == 2_000), "{per:?}");
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM offices ORDER BY id").fetch_all(db.store.pool()).await.unwrap();
        assert_eq!(names, ["Градска управа Града Новог Сада", "Градска управа Града Ниша"]);
        // Each office's numbers and labels are its own (the unique indexes are per office).
        assert_eq!(count(&db, "SELECT COUNT(DISTINCT office_id) FROM fault_reports").await, 2);
        assert_eq!(verify(&db).0, 0, "{}: every office's log chain is intact", db.name);
    }
    let none = upravnik().args(["--data-dir", temp_dir("generate-nothing").to_str().unwrap(), "generate"]).output().unwrap();
    assert!(!none.status.success());
    assert!(String::from_utf8_lossy(&none.stderr).contains("--scale city|large|national"));
}

#[tokio::test]
async fn generate_reports_makes_a_listable_searchable_year_whose_numbers_continue() {
    use upravnik_core::helpdesk::{ReportInput, ReportQuery, ReportSort, StateFilter};
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let out = upravnik().args(["--database-url", &db.url, "generate", "reports", "--count", "700", "--seed", "5"]).output().unwrap();
        assert!(out.status.success(), "{}: {}", db.name, String::from_utf8_lossy(&out.stderr));
        let q = |f: fn(&mut ReportQuery)| {
            let mut q = ReportQuery { page: 1, per_page: 20, ..Default::default() };
            f(&mut q);
            q
        };
        let all = s.reports(&admin, &q(|_| {})).await.unwrap();
        assert_eq!(all.total, 700, "{}", db.name);
        assert_eq!(all.items.len(), 20);
        let numbers: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT number) FROM fault_reports").fetch_one(db.store.pool()).await.unwrap();
        assert_eq!(numbers, 700, "{}: numbers are unique", db.name);
        let states: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT state) FROM fault_reports").fetch_one(db.store.pool()).await.unwrap();
        let priorities: i64 =
            sqlx::query_scalar("SELECT COUNT(DISTINCT priority) FROM fault_reports").fetch_one(db.store.pool()).await.unwrap();
        assert!(states >= 4 && priorities == 4, "{}: {states} states, {priorities} priorities", db.name);
        // Every report has its way: at least the creation step, and one per move after it.
        let unstepped: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM fault_reports r WHERE NOT EXISTS (SELECT 1 FROM fault_report_steps s WHERE s.report_id = r.id)",
        )
        .fetch_one(db.store.pool())
        .await
        .unwrap();
        assert_eq!(unstepped, 0, "{}", db.name);
        // Search in either script finds the same reports, through the list's own query.
        let cyr = s.reports(&admin, &q(|q| q.q = Some("Штампач".into()))).await.unwrap();
        let lat = s.reports(&admin, &q(|q| q.q = Some("stampac".into()))).await.unwrap();
        assert!(cyr.total > 0 && cyr.total < 700, "{}: {}", db.name, cyr.total);
        assert_eq!(cyr.total, lat.total, "{}", db.name);
        assert!(cyr.items.iter().all(|r| format!("{} {}", r.title, r.description).to_lowercase().contains("штампач")));
        let one = &all.items[7];
        let by_number = s.reports(&admin, &q(|q| q.q = Some("P-".into()))).await.unwrap();
        assert_eq!(by_number.total, 700, "{}: Latin P finds Cyrillic П", db.name);
        let exact =
            s.reports(&admin, &ReportQuery { q: Some(one.number.clone()), page: 1, per_page: 5, ..Default::default() }).await.unwrap();
        assert_eq!(exact.items.iter().map(|r| r.id).collect::<Vec<_>>(), vec![one.id], "{}", db.name);
        // The filters and the deadline order the benchmark measures answer on generated data.
        let open = s.reports(&admin, &q(|q| (q.state, q.sort) = (Some(StateFilter::Open), ReportSort::Due))).await.unwrap();
        assert!(open.total > 0 && open.items.iter().all(|r| r.state.is_open()), "{}", db.name);
        let due: Vec<i64> = open.items.iter().map(|r| r.resolution_due_us.unwrap_or(i64::MAX)).collect();
        assert!(due.windows(2).all(|w| w[0] <= w[1]), "{}: sorted by deadline", db.name);
        // A report made afterwards continues its year's counter.
        let person: i64 = sqlx::query_scalar("SELECT MIN(reporter_id) FROM fault_reports").fetch_one(db.store.pool()).await.unwrap();
        let r = s
            .create_report(&admin, &ReportInput { reporter_id: Some(person), title: "Штампач опет".into(), ..Default::default() })
            .await
            .unwrap();
        let year = &r.number[..7];
        let last: Option<String> = sqlx::query_scalar("SELECT MAX(number) FROM fault_reports WHERE number LIKE $1 AND id <> $2")
            .bind(format!("{year}%"))
            .bind(r.id)
            .fetch_one(db.store.pool())
            .await
            .unwrap();
        assert!(last.as_ref().is_none_or(|l| *l < r.number), "{}: {} after {last:?}", db.name, r.number);
        assert_eq!(verify(&db).0, 0, "{}: the work log stays intact", db.name);
    }
}
