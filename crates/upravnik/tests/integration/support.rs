//! Test databases and helpers.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use upravnik_core::access::{Actor, Role};
use upravnik_core::clock::ManualClock;
use upravnik_core::service::{Policy, Services};
use upravnik_storage::SqlStore;

pub const PG_ENV: &str = "UPRAVNIK_TEST_POSTGRES_URL";

/// A fresh, migrated database with its URL (for the CLI).
pub struct TestDb {
    pub name: &'static str,
    pub url: String,
    pub store: SqlStore,
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let mut b = [0u8; 6];
    let _ = getrandom_fill(&mut b);
    let d = std::env::temp_dir().join(format!("upravnik-test-{tag}-{}-{}", std::process::id(), upravnik_core::password::hex(&b)));
    let _ = std::fs::create_dir_all(&d);
    d
}

fn getrandom_fill(b: &mut [u8]) -> Result<(), ()> {
    let t = upravnik_core::password::random_token().map_err(|_| ())?;
    for (i, x) in b.iter_mut().enumerate() {
        *x = t.as_bytes()[i];
    }
    Ok(())
}

pub async fn sqlite() -> TestDb {
    let dir = temp_dir("sqlite");
    let url = upravnik_storage::sqlite_url_for_dir(&dir).expect("sqlite url");
    let store = SqlStore::connect(&url).await.expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    TestDb { name: "sqlite", url, store }
}

impl TestDb {
    /// The SQLite database's file (its log is beside it, with `-wal` appended).
    pub fn sqlite_file(&self) -> String {
        self.url.trim_start_matches("sqlite://").trim_end_matches("?mode=rwc").to_string()
    }
}

/// A new database on the PostgreSQL server named by `UPRAVNIK_TEST_POSTGRES_URL`, or `None`
/// (and a loud note) when it is not set.
pub async fn postgres() -> Option<TestDb> {
    postgres_database(true).await
}

/// A new database on the test server without tables (a restore's target), or `None` as above.
pub async fn empty_postgres() -> Option<TestDb> {
    postgres_database(false).await
}

async fn postgres_database(migrate: bool) -> Option<TestDb> {
    let Ok(base) = std::env::var(PG_ENV) else {
        assert!(std::env::var("CI").is_err(), "{PG_ENV} must be set in CI: nothing may be skipped there");
        // Written past the test harness's capture, once, so `cargo test` shows it.
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\n*** PostgreSQL SKIPPED: the storage stories ran on SQLite only. Set {PG_ENV}=postgres://… to run them on PostgreSQL too (CI does). ***\n"
            );
        });
        return None;
    };
    let admin = SqlStore::connect(&base).await.expect("connect to UPRAVNIK_TEST_POSTGRES_URL");
    // Names carry their creation time; databases left by runs over an hour ago are dropped here,
    // since a test process cannot drop its own database when it ends.
    let now = jiff::Timestamp::now().as_second();
    let stale: Vec<String> = sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE 'upravnik_t_%'")
        .fetch_all(admin.pool())
        .await
        .expect("list test databases");
    for db in stale {
        let born: i64 = db.split('_').nth(2).and_then(|t| t.parse().ok()).unwrap_or(0);
        if now - born > 3600 {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))).execute(admin.pool()).await;
        }
    }
    let name = format!("upravnik_t_{now}_{}", &upravnik_core::password::random_token().expect("random")[..12]);
    sqlx_exec(&admin, &format!("CREATE DATABASE {name}")).await;
    admin.close().await;
    let url = match base.rfind('/') {
        Some(i) if base[..i].contains("://") && i > base.find("://").map(|p| p + 2).unwrap_or(0) => {
            let (head, tail) = base.split_at(i);
            let query = tail.find('?').map(|q| &tail[q..]).unwrap_or("");
            format!("{head}/{name}{query}")
        }
        _ => format!("{}/{name}", base.trim_end_matches('/')),
    };
    let store = SqlStore::connect(&url).await.expect("connect to test database");
    if migrate {
        store.migrate().await.expect("migrate postgres");
    }
    Some(TestDb { name: "postgres", url, store })
}

pub async fn sqlx_exec(store: &SqlStore, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(store.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// SQLite always; PostgreSQL too when configured.
pub async fn databases() -> Vec<TestDb> {
    let mut v = vec![sqlite().await];
    if let Some(pg) = postgres().await {
        v.push(pg);
    }
    v
}

pub const START: i64 = 1_795_611_900_000_000; // 25.11.2026. 14:05 Belgrade

pub fn services(db: &TestDb) -> (Services, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(START));
    (Services::new(Arc::new(db.store.clone()), clock.clone(), Policy::default()), clock)
}

pub const ADMIN_PW: &str = "zelena7trava";

/// An office with an administrator; returns the administrator.
pub async fn with_admin(s: &Services) -> Actor {
    let a = s.bootstrap_admin("Градска управа града Зајечара", "admin", "Милан Стојановић", ADMIN_PW).await.expect("bootstrap admin");
    s.store.actor(a.user_id).await.expect("actor")
}

/// A person with an account holding `roles`; password `plava8reka`.
pub async fn user_with(s: &Services, admin: &Actor, username: &str, roles: &[Role]) -> Actor {
    let p = s
        .create_person(
            admin,
            upravnik_core::org::PersonInput {
                given_name: "Тест".into(), family_name: format!("Корисник{username}"), ..Default::default()
            },
        )
        .await
        .expect("person");
    let a = s.create_account(admin, p.id, username, "plava8reka", roles.to_vec()).await.expect("account");
    s.store.actor(a.user_id).await.expect("actor")
}

// --- outside servers started by the tests (mail, directory) -----------------------------------

/// A loopback port for a server a test starts (Postfix, Dovecot, slapd, HAProxy, an instance of
/// Upravnik), from below the kernel's ephemeral range (`ip_local_port_range`, 32768–60999 by
/// default). A port from that range can be taken between this check and the server's own bind by
/// any outgoing connection's local end (seen in CI: Postfix "bind 127.0.0.1 port 44221: Address
/// already in use"); these are never handed out by the kernel. Never the same port twice in a
/// process; each process starts at its own random place.
pub fn free_port() -> u16 {
    const FIRST: u32 = 20_000;
    const SPAN: u32 = 12_000;
    static NEXT: std::sync::OnceLock<std::sync::atomic::AtomicU32> = std::sync::OnceLock::new();
    let next = NEXT.get_or_init(|| {
        let mut b = [0u8; 4];
        let _ = getrandom_fill(&mut b);
        std::sync::atomic::AtomicU32::new(u32::from_le_bytes(b) % SPAN)
    });
    for _ in 0..SPAN {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let port = u16::try_from(FIRST + i % SPAN).expect("below 32768");
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port in {FIRST}–{}", FIRST + SPAN)
}

pub fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}

pub fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

pub fn has(cmd: &str) -> bool {
    ["/usr/sbin", "/usr/bin", "/sbin", "/bin"].iter().any(|d| Path::new(d).join(cmd).exists())
}

/// A CA (`ca.pem`) and a certificate for localhost / 127.0.0.1 that it signed (`cert.pem`,
/// `key.pem`) in `dir`, made by `openssl`.
pub fn test_certificate(dir: &Path) {
    let ossl = |args: &[&str]| run(Command::new("openssl").args(args).current_dir(dir));
    ossl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Upravnik test CA",
    ])
    .expect("CA");
    ossl(&["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "req.csr", "-subj", "/CN=localhost"]).expect("CSR");
    write(
        &dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n",
    );
    ossl(&[
        "x509",
        "-req",
        "-in",
        "req.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "cert.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ])
    .expect("certificate");
}
