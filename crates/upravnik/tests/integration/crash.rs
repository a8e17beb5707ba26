//! Crash safety (issue 8): writers drive assets, fault reports and work-log entries through the
//! API of a real server, which is killed with SIGKILL at random moments and started again,
//! several times, on both databases. Every write the server acknowledged must be there after,
//! the work-log chains must verify, and nothing may be half-written (an asset or a report
//! without the work-log entry of its creation, or the other way round).

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use crate::support::*;

/// One HTTP/1.1 request over a real socket: the status, or `None` when the server is gone.
fn request(addr: &str, path: &str, token: &str, body: &str) -> Option<u16> {
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(10))).ok()?;
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    out.split(' ').nth(1)?.parse().ok()
}

/// Cheap randomness for the kill moments (a fixed sequence per run is fine: the point is that
/// they fall in the middle of writes).
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill_and_nothing_is_half_written() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let (_, token) = s.create_api_token(&admin, "crash").await.unwrap();
        let data = temp_dir("crash");
        let acked: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64 ^ u64::from(db.name.len() as u32);
        let mut n = 0_u64;
        for round in 0..4 {
            let server = crate::cli::serve(&["--database-url", &db.url, "--data-dir", data.to_str().unwrap()]);
            let addr = server.base.trim_start_matches("http://").to_string();
            let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let mut writers = vec![];
            for w in 0..3 {
                let (addr, token, acked, stop) = (addr.clone(), token.clone(), acked.clone(), stop.clone());
                let start = n + w * 100_000;
                writers.push(std::thread::spawn(move || {
                    let mut i = start;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        i += 1;
                        let key = format!("r{round}-w{w}-{i}");
                        let (path, body, kind) = match i % 3 {
                            0 => (
                                "/api/v1/assets",
                                format!(r#"{{"kind":"printer","inventory_number":"{key}","model":"LaserJet"}}"#),
                                "asset",
                            ),
                            1 => ("/api/v1/reports", format!(r#"{{"title":"Квар {key}","description":"штампач не ради"}}"#), "report"),
                            _ => ("/api/v1/worklog", format!(r#"{{"category":"intervention","text":"Унос {key}"}}"#), "entry"),
                        };
                        match request(&addr, path, &token, &body) {
                            Some(201) => acked.lock().unwrap().push((kind.to_string(), key)),
                            Some(code) => panic!("{path}: {code}"),
                            None => break,
                        }
                    }
                }));
            }
            // Kill in the middle of writing: once this round has some writes acknowledged (however
            // busy the machine is), then 0–500 ms later.
            let before = acked.lock().unwrap().len();
            let since = std::time::Instant::now();
            while acked.lock().unwrap().len() < before + 10 && since.elapsed() < std::time::Duration::from_secs(60) {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            let wait = next(&mut seed) % 500;
            tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
            drop(server); // SIGKILL
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            for w in writers {
                w.join().unwrap();
            }
            n += 1_000_000;
        }
        let acked = acked.lock().unwrap().clone();
        assert!(acked.len() > 30, "{}: {} writes acknowledged in all", db.name, acked.len());

        // Every acknowledged write is there.
        let pool = db.store.pool();
        let assets: BTreeSet<String> =
            sqlx::query_scalar("SELECT inventory_number FROM assets").fetch_all(pool).await.unwrap().into_iter().collect();
        let reports: BTreeSet<String> =
            sqlx::query_scalar("SELECT title FROM fault_reports").fetch_all(pool).await.unwrap().into_iter().collect();
        let log: Vec<String> = sqlx::query_scalar("SELECT body FROM worklog").fetch_all(pool).await.unwrap();
        let log_text = log.join("\n");
        for (kind, key) in &acked {
            let there = match kind.as_str() {
                "asset" => assets.contains(key),
                "report" => reports.contains(&format!("Квар {key}")),
                _ => log_text.contains(&format!("Унос {key}")),
            };
            assert!(there, "{}: acknowledged {kind} {key} is lost", db.name);
        }
        // Nothing half-written: every asset and report has the entry of its creation.
        for a in assets.iter().filter(|a| a.starts_with('r')) {
            assert!(log_text.contains(a.as_str()), "{}: asset {a} without its work-log entry", db.name);
        }
        for r in reports.iter().filter(|r| r.starts_with("Квар r")) {
            let key = r.trim_start_matches("Квар ");
            assert!(log_text.contains(key), "{}: report {r} without its work-log entry", db.name);
        }
        // The chains verify.
        assert!(s.verify_worklog().await.unwrap().broken.is_empty(), "{}", db.name);
    }
}
