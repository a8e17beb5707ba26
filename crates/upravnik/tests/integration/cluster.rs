//! Issue 11: several stateless instances of the server over one PostgreSQL database, behind a
//! load balancer (HAProxy from Debian, round robin on loopback), serve the same users. A session,
//! its CSRF token and a form made on one instance work on the others; writes from all of them
//! at once keep one valid work-log chain; signing out anywhere ends the session everywhere; and
//! the scheduled jobs (the daily archive, the share scan) run once across the instances, not
//! once per instance. (The directory sync and the mail fetch have their own two-instance tests.)

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::agents::{Http, http, sign_in};
use crate::cli::{Server, serve_with};
use crate::http::extract;
use crate::support::*;

/// HAProxy from Debian; in CI (`UPRAVNIK_TEST_REQUIRE_BALANCER=1`) it must be there.
fn haproxy_present() -> bool {
    let ok = has("haproxy");
    if !ok {
        assert!(std::env::var("UPRAVNIK_TEST_REQUIRE_BALANCER").is_err(), "haproxy is required here (apt-get install haproxy)");
        eprintln!("\n*** load-balancer test SKIPPED: haproxy is not installed (CI installs it). ***\n");
    }
    ok
}

struct Balancer {
    child: Child,
    addr: String,
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// HAProxy in the foreground on a free loopback port, round robin over `servers`, naming the
/// instance that answered in `X-Served-By`.
fn balance(servers: &[Server]) -> Balancer {
    let dir = temp_dir("haproxy");
    let port = free_port();
    let backends: String = servers
        .iter()
        .enumerate()
        .map(|(i, s)| format!("    server i{i} {} check inter 1s\n", s.base.trim_start_matches("http://")))
        .collect();
    let config = format!(
        "global\n    maxconn 512\n\
         defaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n    timeout server 60s\n\
         frontend web\n    bind 127.0.0.1:{port}\n    default_backend app\n\
         backend app\n    balance roundrobin\n    option httpchk GET /healthz\n    http-response set-header X-Served-By %[srv_name]\n{backends}"
    );
    let file = dir.join("haproxy.cfg");
    std::fs::write(&file, config).unwrap();
    let check = Command::new("haproxy").args(["-c", "-f", file.to_str().unwrap()]).output().unwrap();
    assert!(check.status.success(), "haproxy config: {}", String::from_utf8_lossy(&check.stderr));
    let child =
        Command::new("haproxy").args(["-db", "-f", file.to_str().unwrap()]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let lb = Balancer { child, addr: format!("127.0.0.1:{port}") };
    // Ready when every instance has answered through it (the health checks passed).
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = BTreeSet::new();
    while seen.len() < servers.len() {
        assert!(Instant::now() < deadline, "haproxy did not reach every instance: {seen:?}");
        if let Ok(r) = std::panic::catch_unwind(|| http(&lb.addr, "GET", "/healthz", &[], ""))
            && r.status == 200
            && let Some(by) = r.header("x-served-by")
        {
            seen.insert(by.to_string());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    lb
}

fn form(addr: &str, cookie: &str, path: &str, pairs: &[(&str, &str)]) -> Http {
    let body = serde_urlencoded::to_string(pairs).unwrap();
    http(addr, "POST", path, &[("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")], &body)
}

#[tokio::test]
async fn instances_behind_haproxy_share_sessions_and_run_each_scheduled_job_once() {
    let Some(db) = postgres().await else {
        eprintln!("\n*** load-balancer test SKIPPED: no PostgreSQL (UPRAVNIK_TEST_POSTGRES_URL) ***\n");
        return;
    };
    if !haproxy_present() {
        return;
    }
    let (s, _) = services(&db);
    let admin = with_admin(&s).await;
    let share = temp_dir("cluster-share");
    for (name, n) in [("Finansije/Petar/JAVNO/Решење.docx", 1), ("Finansije/Petar/JAVNO/Dopis.docx", 2)] {
        let p = share.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, vec![b'x'; n]).unwrap();
    }
    let config = temp_dir("cluster-config").join("upravnik.toml");
    std::fs::write(&config, format!("[[shares]]\nname = \"Z: Dokumenti\"\npath = \"{}\"\nevery_hours = 24\n", share.display())).unwrap();
    // Three instances, each with its own data directory (nothing on disk is shared), all owing
    // the daily archive at start.
    let dirs: Vec<_> = (0..3).map(|i| temp_dir(&format!("cluster-{i}"))).collect();
    let servers: Vec<Server> = dirs
        .iter()
        .map(|d| {
            serve_with(
                &["--database-url", &db.url, "--data-dir", d.to_str().unwrap(), "--config", config.to_str().unwrap()],
                &[("UPRAVNIK_BACKUP_ENABLED", "true")],
            )
        })
        .collect();
    let lb = balance(&servers);
    let direct: Vec<String> = servers.iter().map(|s| s.base.trim_start_matches("http://").to_string()).collect();

    // Sign in through the balancer; the session is good on every instance.
    let cookie = sign_in(&lb.addr);
    let mut served = BTreeSet::new();
    let mut csrf = String::new();
    for _ in 0..6 {
        let r = http(&lb.addr, "GET", "/profile", &[("Cookie", &cookie)], "");
        assert_eq!(r.status, 200, "{}", r.headers);
        served.insert(r.header("x-served-by").unwrap_or("").to_string());
        csrf = extract(&r.body, "name=\"_csrf\" value=\"", "\"").expect("the CSRF token");
    }
    assert_eq!(served.len(), 3, "round robin reaches every instance: {served:?}");

    // A form's CSRF token made by one instance is good on the others; a wrong one is refused.
    let forged = form(&lb.addr, &cookie, "/units", &[("_csrf", "wrong"), ("name", "Подметнуто")]);
    assert_eq!(forged.status, 403);
    for (i, addr) in direct.iter().enumerate() {
        let name = format!("Одељење на инстанци {i}");
        let r = form(addr, &cookie, "/units", &[("_csrf", &csrf), ("name", &name)]);
        assert_eq!(r.status, 303, "instance {i}: {}", r.body);
        let next = (i + 1) % direct.len();
        let page = http(&direct[next], "GET", r.header("location").unwrap(), &[("Cookie", &cookie)], "");
        assert!(page.body.contains(&name) && page.body.contains("Записано."), "instance {next} shows what {i} wrote");
    }

    // Writes through the balancer from eight clients at once: all land, one valid chain.
    let lb_addr = lb.addr.clone();
    std::thread::scope(|scope| {
        for t in 0..8 {
            let (addr, cookie, csrf) = (&lb_addr, &cookie, &csrf);
            scope.spawn(move || {
                for k in 0..5 {
                    let r = form(addr, cookie, "/units", &[("_csrf", csrf), ("name", &format!("Служба {t}-{k}"))]);
                    assert_eq!(r.status, 303, "client {t}, form {k}: {}", r.body);
                }
            });
        }
    });
    let units: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM org_units WHERE name LIKE 'Служба %'").fetch_one(db.store.pool()).await.unwrap();
    assert_eq!(units, 40, "every write landed once");
    let verified = crate::cli::upravnik().args(["--database-url", &db.url, "worklog", "verify"]).output().unwrap();
    assert!(verified.status.success(), "one valid chain: {}", String::from_utf8_lossy(&verified.stdout));

    // Signing out through one instance ends the session on all of them.
    let out = form(&lb.addr, &cookie, "/logout", &[("_csrf", &csrf)]);
    assert_eq!(out.status, 303);
    for addr in &direct {
        let r = http(addr, "GET", "/profile", &[("Cookie", &cookie)], "");
        assert_eq!(r.status, 303, "signed out everywhere");
        assert!(r.header("location").is_some_and(|l| l.starts_with("/login")));
    }

    // The scheduled jobs: one archive and one scan across the three instances.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let runs = s.store.backup_runs(admin.office_id, 10).await.unwrap();
        let scans = s.shares(&admin).await.unwrap();
        if !runs.is_empty() && scans.first().is_some_and(|v| !v.scans.is_empty()) {
            break;
        }
        assert!(Instant::now() < deadline, "the jobs did not run: {runs:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Time for a second instance to (wrongly) run them too.
    tokio::time::sleep(Duration::from_secs(3)).await;
    drop(lb);
    drop(servers);
    let runs = s.store.backup_runs(admin.office_id, 10).await.unwrap();
    assert_eq!(runs.len(), 1, "one archive, by one instance: {runs:?}");
    assert!(runs[0].ok, "{runs:?}");
    let archives: usize = dirs
        .iter()
        .map(|d| {
            std::fs::read_dir(d.join("backups"))
                .map(|r| r.filter_map(Result::ok).filter(|e| e.file_name().to_string_lossy().ends_with(".zip")).count())
                .unwrap_or(0)
        })
        .sum();
    assert_eq!(archives, 1, "one archive file on one instance");
    let views = s.shares(&admin).await.unwrap();
    assert_eq!(views[0].scans.len(), 1, "one scan in the period");
    assert_eq!((views[0].scans[0].files, views[0].scans[0].violations), (2, 1));
}
