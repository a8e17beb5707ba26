//! The office's directory against a real OpenLDAP server (Debian `slapd`) started by the test on
//! loopback ports with LDAPS and StartTLS, the `ppolicy` overlay (locked accounts) and an LDIF
//! of a small city administration; on both databases: sign-in by bind, the sync of people,
//! units and roles, changes and removals in the directory, accounts opened and disabled by
//! carried-out requests (R.19), and a directory that cannot be reached.
//!
//! Without `slapd` (apt: slapd ldap-utils) the tests say loudly that they skipped; with
//! `UPRAVNIK_TEST_REQUIRE_LDAP=1` (CI) that is a failure.

use std::path::PathBuf;

use axum::http::{Method, StatusCode};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::account_requests::{CarryOutInput, ItemInput, RequestInput};
use upravnik_core::directory::{Directory, DirectoryFailure, DirectorySettings};
use upravnik_core::directory_service::DirectoryLink;
use upravnik_core::org::{PersonInput, UnitInput};
use upravnik_core::service::Services;
use upravnik_core::worklog::Filter;
use upravnik_directory::{Flavour, LdapDirectory, LdapSettings, Security};

use crate::http::App;
use crate::support::*;

pub const REQUIRE_ENV: &str = "UPRAVNIK_TEST_REQUIRE_LDAP";
const SUFFIX: &str = "dc=grad,dc=rs";
const ROOT_DN: &str = "cn=admin,dc=grad,dc=rs";
const ROOT_PW: &str = "tajna-slapd-1";
/// Everyone's directory password in the LDIF.
const PW: &str = "domen7lozinka";

/// A small city administration: finance, the mayor's office and the ICT section; the ICT staff
/// are in the administrators' group, heads in theirs; one account is locked.
const LDIF: &str = "\
dn: dc=grad,dc=rs
objectClass: dcObject
objectClass: organization
o: Grad
dc: grad

dn: ou=policies,dc=grad,dc=rs
objectClass: organizationalUnit
ou: policies

dn: cn=default,ou=policies,dc=grad,dc=rs
objectClass: pwdPolicy
objectClass: device
cn: default
pwdAttribute: userPassword
pwdLockout: TRUE

dn: ou=People,dc=grad,dc=rs
objectClass: organizationalUnit
ou: People

dn: ou=Novi,dc=grad,dc=rs
objectClass: organizationalUnit
ou: Novi

dn: ou=Groups,dc=grad,dc=rs
objectClass: organizationalUnit
ou: Groups

dn: uid=jpetrovic,ou=People,dc=grad,dc=rs
objectClass: inetOrgPerson
uid: jpetrovic
cn: Јована Петровић
givenName: Јована
sn: Петровић
mail: jpetrovic@grad.rs
telephoneNumber: 019 421 100
ou: Одељење за финансије
userPassword: domen7lozinka

dn: uid=mkostic,ou=People,dc=grad,dc=rs
objectClass: inetOrgPerson
uid: mkostic
cn: Марко Костић
givenName: Марко
sn: Костић
mail: mkostic@grad.rs
ou: Кабинет градоначелника
userPassword: domen7lozinka

dn: uid=sstojanovic,ou=People,dc=grad,dc=rs
objectClass: inetOrgPerson
uid: sstojanovic
cn: Сава Стојановић
givenName: Сава
sn: Стојановић
mail: sstojanovic@grad.rs
ou: ИКТ служба
userPassword: domen7lozinka

dn: uid=nnikolic,ou=People,dc=grad,dc=rs
objectClass: inetOrgPerson
uid: nnikolic
cn: Нада Николић
givenName: Нада
sn: Николић
mail: nnikolic@grad.rs
ou: Одељење за финансије
userPassword: domen7lozinka
pwdAccountLockedTime: 000001010000Z

dn: uid=aantic,ou=People,dc=grad,dc=rs
objectClass: inetOrgPerson
uid: aantic
cn: Ана Антић
givenName: Ана
sn: Антић
mail: ana.antic@grad.rs
ou: Одељење за финансије
userPassword: domen7lozinka

dn: cn=IKT-Administratori,ou=Groups,dc=grad,dc=rs
objectClass: groupOfNames
cn: IKT-Administratori
member: uid=sstojanovic,ou=People,dc=grad,dc=rs

dn: cn=Rukovodioci,ou=Groups,dc=grad,dc=rs
objectClass: groupOfNames
cn: Rukovodioci
member: uid=mkostic,ou=People,dc=grad,dc=rs
";

/// `slapd` of one test, stopped when dropped.
pub struct DirLab {
    dir: PathBuf,
    slapd: Option<Child>,
    pub ldap: u16,
    pub ldaps: u16,
}

fn skip(why: &str) -> Option<DirLab> {
    assert!(std::env::var(REQUIRE_ENV).is_err(), "{REQUIRE_ENV} is set, so slapd must run: {why}");
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n*** DIRECTORY (LDAP) TESTS SKIPPED: {why}. Install slapd ldap-utils (CI does, with {REQUIRE_ENV}=1). ***\n"
    );
    None
}

impl DirLab {
    pub fn start() -> Option<DirLab> {
        if !has("slapd") || !has("slapadd") || !has("openssl") {
            return skip("slapd, slapadd or openssl is not installed");
        }
        let dir = temp_dir("ldap");
        let d = dir.display().to_string();
        std::fs::create_dir_all(dir.join("db")).expect("mkdir");
        test_certificate(&dir);
        write(
            &dir.join("slapd.conf"),
            &format!(
                "include /etc/ldap/schema/core.schema\ninclude /etc/ldap/schema/cosine.schema\n\
                 include /etc/ldap/schema/inetorgperson.schema\ninclude /etc/ldap/schema/nis.schema\n\
                 modulepath /usr/lib/ldap\nmoduleload back_mdb\nmoduleload ppolicy\npidfile {d}/slapd.pid\n\
                 TLSCertificateFile {d}/cert.pem\nTLSCertificateKeyFile {d}/key.pem\n\
                 database mdb\nmaxsize 10485760\nsuffix \"{SUFFIX}\"\nrootdn \"{ROOT_DN}\"\nrootpw {ROOT_PW}\ndirectory {d}/db\n\
                 overlay ppolicy\nppolicy_default \"cn=default,ou=policies,{SUFFIX}\"\nppolicy_use_lockout\n"
            ),
        );
        write(&dir.join("data.ldif"), LDIF);
        if let Err(e) = run(Command::new("slapadd").args(["-f", &format!("{d}/slapd.conf"), "-l", &format!("{d}/data.ldif")])) {
            return skip(&format!("slapadd failed: {e}"));
        }
        let (ldap, ldaps) = (free_port(), free_port());
        let slapd = Command::new("slapd")
            .args(["-d", "0", "-f", &format!("{d}/slapd.conf"), "-h", &format!("ldap://127.0.0.1:{ldap}/ ldaps://127.0.0.1:{ldaps}/")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start slapd");
        let lab = DirLab { dir, slapd: Some(slapd), ldap, ldaps };
        let deadline = Instant::now() + Duration::from_secs(30);
        for port in [ldap, ldaps] {
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(Instant::now() < deadline, "slapd did not come up on port {port}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Some(lab)
    }

    /// The adapter as an office configures it: LDAPS, or StartTLS on the plain port, trusting
    /// the test CA; the root DN as the service account.
    pub fn settings(&self, starttls: bool) -> LdapSettings {
        let (user_filter, username_attr, unit_attr, group_filter) = LdapSettings::defaults(Flavour::OpenLdap);
        LdapSettings {
            url: if starttls { format!("ldap://localhost:{}", self.ldap) } else { format!("ldaps://localhost:{}", self.ldaps) },
            security: if starttls { Security::StartTls } else { Security::Ldaps },
            bind_dn: ROOT_DN.into(),
            bind_password: ROOT_PW.into(),
            users_dn: SUFFIX.to_string(),
            groups_dn: format!("ou=Groups,{SUFFIX}"),
            flavour: Flavour::OpenLdap,
            user_filter: user_filter.into(),
            username_attr: username_attr.into(),
            unit_attr: unit_attr.into(),
            group_filter: group_filter.into(),
            new_accounts_dn: format!("ou=Novi,{SUFFIX}"),
            ca_file: Some(self.dir.join("ca.pem")),
            accept_invalid_certs: false,
            timeout: Duration::from_secs(5),
        }
    }

    /// Changes the directory as its administrator would, with `ldapmodify`.
    pub fn modify(&self, ldif: &str) {
        use std::io::Write;
        let mut child = Command::new("ldapmodify")
            .args(["-x", "-H", &format!("ldap://127.0.0.1:{}", self.ldap), "-D", ROOT_DN, "-w", ROOT_PW])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ldapmodify");
        child.stdin.take().expect("stdin").write_all(ldif.as_bytes()).expect("write ldif");
        let out = child.wait_with_output().expect("ldapmodify output");
        assert!(out.status.success(), "ldapmodify: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for DirLab {
    fn drop(&mut self) {
        if let Some(mut p) = self.slapd.take() {
            let _ = p.kill();
            let _ = p.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn link(s: LdapSettings, office_id: i64, manage_accounts: bool) -> DirectoryLink {
    let client = LdapDirectory::new(s).expect("directory settings");
    let roles = vec![("ikt-administratori".to_string(), Role::Administrator), ("rukovodioci".to_string(), Role::HeadOfUnit)];
    DirectoryLink { client: Arc::new(client), settings: DirectorySettings { office_id, roles, manage_accounts } }
}

async fn roles_of(s: &Services, username: &str) -> Option<(Vec<Role>, bool)> {
    let rec = s.store.login_record(username).await.expect("login record")?;
    let a = s.store.account(rec.user_id).await.expect("account");
    Some((a.roles, a.active))
}

async fn log_has(s: &Services, office_id: i64, needle: &str) -> bool {
    let f = Filter { office_id, limit: 1000, include_confidential_text: true, ..Default::default() };
    s.store.worklog(&f).await.expect("work log").iter().any(|e| e.text.contains(needle))
}

#[tokio::test]
async fn directory_sign_in_sync_and_group_roles() {
    for db in databases().await {
        // A directory of its own for each database: the test changes it.
        let Some(lab) = DirLab::start() else { return };
        let (s0, _clock) = services(&db);
        let admin = with_admin(&s0).await;
        // A person recorded before (an HR import) with the e-mail of a directory entry.
        let ana = s0
            .create_person(
                &admin,
                PersonInput {
                    given_name: "Ана".into(),
                    family_name: "Антић".into(),
                    email: "Ana.Antic@grad.rs".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let s = s0.clone().with_directory(Some(link(lab.settings(false), admin.office_id, false)));

        // Sign-in binds as the person: the first one creates the account, unit and roles.
        let who = s.login("sstojanovic", PW).await.unwrap_or_else(|e| panic!("{}: {e:?}", db.name));
        assert_eq!(who.actor.full_name, "Сава Стојановић");
        assert_eq!(roles_of(&s, "sstojanovic").await, Some((vec![Role::Employee, Role::Administrator], true)), "{}", db.name);
        assert!(matches!(s.login("sstojanovic", "pogresna1").await, Err(Error::Unauthenticated)));
        assert!(matches!(s.login("sstojanovic", "").await, Err(Error::Unauthenticated)), "an empty password is never a bind");
        assert!(matches!(s.login("nnikolic", PW).await, Err(Error::Unauthenticated)), "locked in the directory");
        assert!(s.store.login_record("nnikolic").await.unwrap().is_none());
        // The local administrator never touches the directory.
        s.login("admin", ADMIN_PW).await.unwrap();

        // The sync: everyone enabled comes over, with units; Ana's existing record gets the account.
        let run = s.sync_directory(Some(&admin)).await.unwrap();
        assert_eq!(
            (run.counts.created, run.counts.updated, run.counts.deactivated, run.counts.failed),
            (3, 0, 0, 0),
            "{}: {run:?}",
            db.name
        );
        assert_eq!(run.counts.unchanged, 2, "sstojanovic as signed in, nnikolic locked");
        let jovana = s.store.login_record("jpetrovic").await.unwrap().unwrap();
        let p = s.store.get_person(admin.office_id, s.store.account(jovana.user_id).await.unwrap().person_id).await.unwrap();
        assert_eq!((p.unit_name.as_deref(), p.phone.as_str()), (Some("Одељење за финансије"), "019 421 100"));
        assert_eq!(roles_of(&s, "mkostic").await, Some((vec![Role::Employee, Role::HeadOfUnit], true)));
        let ana_account = s.store.login_record("aantic").await.unwrap().unwrap();
        assert_eq!(s.store.account(ana_account.user_id).await.unwrap().person_id, ana.id, "{}: no second record of Ana", db.name);
        assert!(s.store.account(ana_account.user_id).await.unwrap().directory);
        // Nothing changed: a second sync changes nothing.
        let again = s.sync_directory(None).await.unwrap();
        assert_eq!((again.counts.created, again.counts.updated, again.counts.unchanged), (0, 0, 5), "{}", db.name);

        // The directory changes: Marko leaves the heads, Jovana moves and then leaves, Nada is unlocked.
        lab.modify(
            "dn: cn=Rukovodioci,ou=Groups,dc=grad,dc=rs\nchangetype: modify\ndelete: member\nmember: uid=mkostic,ou=People,dc=grad,dc=rs\n-\nadd: member\nmember: uid=aantic,ou=People,dc=grad,dc=rs\n\n\
             dn: uid=jpetrovic,ou=People,dc=grad,dc=rs\nchangetype: modify\nreplace: ou\nou: Одељење за урбанизам\n\n\
             dn: uid=nnikolic,ou=People,dc=grad,dc=rs\nchangetype: modify\ndelete: pwdAccountLockedTime\n",
        );
        let jovana_session = s.login("jpetrovic", PW).await.unwrap();
        let run = s.sync_directory(None).await.unwrap();
        assert_eq!((run.counts.created, run.counts.updated), (1, 2), "{}: {run:?}", db.name);
        assert_eq!(roles_of(&s, "mkostic").await, Some((vec![Role::Employee], true)));
        assert_eq!(roles_of(&s, "aantic").await, Some((vec![Role::Employee, Role::HeadOfUnit], true)));
        let p = s.store.get_person(admin.office_id, s.store.account(jovana.user_id).await.unwrap().person_id).await.unwrap();
        assert_eq!(p.unit_name.as_deref(), Some("Одељење за урбанизам"), "a unit the directory names is created");
        s.login("nnikolic", PW).await.unwrap();

        lab.modify("dn: uid=jpetrovic,ou=People,dc=grad,dc=rs\nchangetype: delete\n");
        let run = s.sync_directory(None).await.unwrap();
        assert_eq!(run.counts.deactivated, 1, "{}: {run:?}", db.name);
        assert_eq!(roles_of(&s, "jpetrovic").await.map(|r| r.1), Some(false));
        assert!(s.session(&jovana_session.token).await.unwrap().is_none(), "{}: her sessions end", db.name);
        assert!(matches!(s.login("jpetrovic", PW).await, Err(Error::Unauthenticated)));

        // Every change is in the work log; a directory account's password is not changed here.
        assert!(log_has(&s, admin.office_id, "Из директоријума").await);
        assert!(log_has(&s, admin.office_id, "нема га више у директоријуму").await);
        assert!(log_has(&s, admin.office_id, "Синхронизација са директоријумом").await);
        let sava = s.store.actor(who.actor.user_id).await.unwrap();
        assert!(
            matches!(s.change_password(&sava, PW, "nova8lozinka").await, Err(Error::Invalid(e)) if e[0].message == "err-password-directory")
        );
        let runs = s.directory_syncs(&admin, 10).await.unwrap();
        assert_eq!(runs.len(), 4);
        assert!(runs.iter().all(|r| r.ok));
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn an_unreachable_directory_leaves_local_accounts_working() {
    for db in databases().await {
        // A directory of its own for each database: the test changes it.
        let Some(lab) = DirLab::start() else { return };
        let (s0, _clock) = services(&db);
        let admin = with_admin(&s0).await;
        let s = s0.clone().with_directory(Some(link(lab.settings(true), admin.office_id, false)));
        s.login("mkostic", PW).await.unwrap_or_else(|e| panic!("{}: StartTLS sign-in: {e:?}", db.name));

        // The directory goes away (a port nobody listens on).
        let mut gone = lab.settings(true);
        gone.url = format!("ldap://localhost:{}", free_port());
        let s = s0.clone().with_directory(Some(link(gone, admin.office_id, false)));
        s.login("admin", ADMIN_PW).await.unwrap_or_else(|e| panic!("{}: the local administrator: {e:?}", db.name));
        assert!(matches!(s.login("mkostic", PW).await, Err(Error::Unavailable { what: "directory" })), "{}", db.name);
        // Not counted as a failed guess: no lockout follows from an outage.
        for _ in 0..6 {
            let _ = s.login("mkostic", PW).await;
        }
        assert!(matches!(s.login("mkostic", PW).await, Err(Error::Unavailable { .. })));
        assert!(matches!(s.sync_directory(Some(&admin)).await, Err(Error::Unavailable { .. })));
        let runs = s.directory_syncs(&admin, 10).await.unwrap();
        assert!(!runs[0].ok && !runs[0].message.is_empty(), "{}: the failed run is recorded: {runs:?}", db.name);
        assert!(log_has(&s, admin.office_id, "није успела").await);

        // A wrong CA is a TLS failure, also "unavailable", never a silent plain connection.
        let mut wrong_ca = lab.settings(false);
        wrong_ca.ca_file = None;
        let d = LdapDirectory::new(wrong_ca).unwrap();
        assert!(matches!(d.authenticate("mkostic", PW).await, Err(DirectoryFailure::Unavailable(_))));
    }
}

#[tokio::test]
async fn r19_an_approved_request_opens_the_account_and_a_close_disables_it() {
    for db in databases().await {
        // A directory of its own for each database: the test changes it.
        let Some(lab) = DirLab::start() else { return };
        let (s0, _clock) = services(&db);
        let admin = with_admin(&s0).await;
        let s = s0.clone().with_directory(Some(link(lab.settings(true), admin.office_id, true)));
        s.add_standard_applications(&admin).await.unwrap();
        let q = upravnik_core::org::ListQuery::new(admin.office_id);
        let mail = s.applications(&admin, &q).await.unwrap().items.into_iter().find(|a| a.name == "Е-пошта").unwrap();
        let unit = s.create_unit(&admin, UnitInput { name: "Одељење за финансије".into(), ..Default::default() }).await.unwrap();
        let person = s
            .create_person(
                &admin,
                PersonInput {
                    given_name: "Јелена".into(),
                    family_name: "Ристић".into(),
                    email: "jristic@grad.rs".into(),
                    unit_id: Some(unit.id),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let open = RequestInput {
            person_id: person.id,
            kind: "open".into(),
            items: vec![ItemInput { application_id: mail.id, role: "корисник".into() }],
            internet: true,
            social: false,
            note: String::new(),
        };
        let r = s.create_account_request(&admin, &open).await.unwrap();
        let username = format!("jristic{}", db.name.len());
        // The initial password follows R.18 like any other.
        let weak = CarryOutInput { username: username.clone(), initial_password: "kratka".into(), ..Default::default() };
        assert!(
            matches!(s.carry_out_account_request(&admin, r.id, &weak).await, Err(Error::Invalid(e)) if e[0].field == "initial_password")
        );
        let done = CarryOutInput { username: username.clone(), initial_password: "pocetna7lozinka".into(), ..Default::default() };
        s.carry_out_account_request(&admin, r.id, &done).await.unwrap_or_else(|e| panic!("{}: {e:?}", db.name));

        // The account exists in the directory, and the new employee signs in with that password.
        let dir = LdapDirectory::new(lab.settings(false)).unwrap();
        let entry = dir.authenticate(&username, "pocetna7lozinka").await.unwrap_or_else(|e| panic!("{}: {e:?}", db.name));
        assert_eq!(entry.dn, format!("uid={username},ou=Novi,{SUFFIX}"));
        assert_eq!((entry.given_name.as_str(), entry.unit.as_str()), ("Јелена", "Одељење за финансије"));
        let session = s.login(&username, "pocetna7lozinka").await.unwrap();
        assert_eq!(session.actor.person_id, person.id, "{}: the same person, not a copy", db.name);
        assert!(log_has(&s, admin.office_id, &format!("отворен у директоријуму (uid={username}")).await);

        // She leaves: the close request disables the directory account and closes hers here.
        let close = RequestInput { kind: "close".into(), items: vec![], internet: false, ..open.clone() };
        let rc = s.create_account_request(&admin, &close).await.unwrap();
        let d = s.account_request(&admin, rc.id).await.unwrap();
        let removed: Vec<i64> = d.grants.iter().map(|g| g.id).collect();
        s.carry_out_account_request(&admin, rc.id, &CarryOutInput { removed, ..Default::default() })
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", db.name));
        assert!(
            matches!(dir.authenticate(&username, "pocetna7lozinka").await, Err(DirectoryFailure::Refused)),
            "{}: locked there",
            db.name
        );
        assert!(matches!(s.login(&username, "pocetna7lozinka").await, Err(Error::Unauthenticated)));
        assert!(s.session(&session.token).await.unwrap().is_none());
        assert!(log_has(&s, admin.office_id, "онемогућен у директоријуму").await);

        // A directory that cannot be reached: the request stays open and nothing is recorded.
        let other = s
            .create_person(&admin, PersonInput { given_name: "Петар".into(), family_name: "Лазић".into(), ..Default::default() })
            .await
            .unwrap();
        let r3 = s.create_account_request(&admin, &RequestInput { person_id: other.id, ..open.clone() }).await.unwrap();
        let mut gone = lab.settings(true);
        gone.url = format!("ldap://localhost:{}", free_port());
        let down = s0.clone().with_directory(Some(link(gone, admin.office_id, true)));
        let try_it = CarryOutInput { username: "plazic".into(), initial_password: "pocetna7lozinka".into(), ..Default::default() };
        assert!(matches!(down.carry_out_account_request(&admin, r3.id, &try_it).await, Err(Error::Unavailable { .. })));
        assert_eq!(s.account_request(&admin, r3.id).await.unwrap().request.state, upravnik_core::account_requests::RequestState::Submitted);
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn the_directory_page_sign_in_page_and_api() {
    let Some(lab) = DirLab::start() else { return };
    for db in databases().await {
        let (s0, _clock) = services(&db);
        let admin = with_admin(&s0).await;
        // Without a directory the page says how to set one up.
        let mut plain = App::over(s0.clone());
        plain.login("admin", ADMIN_PW).await;
        let page = plain.get("/accounts/directory").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Директоријум није подешен"), "{}", db.name);

        let s = s0.clone().with_directory(Some(link(lab.settings(false), admin.office_id, true)));
        let mut app = App::over(s.clone());
        app.login("admin", ADMIN_PW).await;
        let page = app.get("/accounts/directory").await;
        assert!(page.body.contains(&format!("ldaps://localhost:{}", lab.ldaps)) && page.body.contains("ikt-administratori"), "{}", db.name);
        assert!(page.body.contains("Синхронизација још није покренута"));
        let r = app.post("/accounts/directory/sync", &[]).await;
        assert_eq!(r.location, "/accounts/directory?ok=synced", "{}: {}", db.name, r.body);
        let page = app.get("/accounts/directory?ok=synced").await;
        assert!(page.body.contains("Синхронизација је завршена") && page.body.contains("badge ok"), "{}", db.name);

        // A directory person signs in on the page with the domain password.
        let mut marko = App::over(s.clone());
        let r = marko.login("mkostic", PW).await;
        assert_eq!((r.status, r.location.as_str()), (StatusCode::SEE_OTHER, "/"), "{}: {}", db.name, r.body);
        assert_eq!(marko.get("/accounts/directory").await.status, StatusCode::FORBIDDEN);

        // The carry-out form asks for the initial password when the directory manages accounts.
        let p = s
            .create_person(&admin, PersonInput { given_name: "Иван".into(), family_name: "Ђорђевић".into(), ..Default::default() })
            .await
            .unwrap();
        s.add_standard_applications(&admin).await.unwrap();
        let q = upravnik_core::org::ListQuery::new(admin.office_id);
        let mail = s.applications(&admin, &q).await.unwrap().items.into_iter().find(|a| a.name == "Е-пошта").unwrap();
        let items = vec![ItemInput { application_id: mail.id, role: "корисник".into() }];
        let input = RequestInput { person_id: p.id, kind: "open".into(), items, internet: true, social: false, note: String::new() };
        let req = s.create_account_request(&admin, &input).await.unwrap();
        let page = app.get(&format!("/account-requests/{}", req.id)).await;
        assert!(page.body.contains("name=\"initial_password\""), "{}", db.name);
        let r =
            app.post(&format!("/account-requests/{}/carry-out", req.id), &[("username", "idjordjevic"), ("initial_password", "x")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a weak initial password is said on the form");

        // The API says the same.
        let (st, v) = app.api(Method::GET, "/api/v1/me", "", None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "the API wants a token: {v}");
        let token = s.create_api_token(&admin, "test").await.unwrap().1;
        let (st, v) = app.api(Method::GET, "/api/v1/directory", &token, None).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!((v["configured"].as_bool(), v["runs"].as_array().map(Vec::len)), (Some(true), Some(1)), "{v}");
        let (st, v) = app.api(Method::POST, "/api/v1/directory/sync", &token, None).await;
        assert_eq!((st, v["ok"].as_bool()), (StatusCode::OK, Some(true)), "{v}");

        // The directory goes away: the sign-in page says so (503), the local administrator signs in.
        let mut gone = lab.settings(false);
        gone.url = format!("ldaps://localhost:{}", free_port());
        let down = s0.clone().with_directory(Some(link(gone, admin.office_id, true)));
        let mut app = App::over(down.clone());
        let r = app.login("mkostic", PW).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", db.name);
        assert!(r.body.contains("Директоријум (домен) тренутно није доступан"));
        let r = app.login("admin", ADMIN_PW).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = app.post("/accounts/directory/sync", &[]).await;
        assert_eq!(r.location, "/accounts/directory?ok=sync-failed");
        let (st, v) = App::over(down).api(Method::POST, "/api/v1/directory/sync", &token, None).await;
        assert_eq!((st, v["error"]["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("unavailable")), "{v}");
    }
}

#[tokio::test]
async fn two_instances_run_the_scheduled_sync_once() {
    let Some(lab) = DirLab::start() else { return };
    for db in databases().await {
        let (s0, clock) = services(&db);
        let admin = with_admin(&s0).await;
        // Two server instances over one database, each with its own connection to the directory.
        let a = s0.clone().with_directory(Some(link(lab.settings(false), admin.office_id, false)));
        let b = Services::new(Arc::new(db.store.clone()), clock.clone(), Default::default()).with_directory(Some(link(
            lab.settings(true),
            admin.office_id,
            false,
        )));
        let hour = 3_600_000_000;
        let (ra, rb) = tokio::join!(a.scheduled_directory_sync("a", hour), b.scheduled_directory_sync("b", hour));
        let ran = [ra.unwrap(), rb.unwrap()].into_iter().flatten().count();
        assert_eq!(ran, 1, "{}: once across instances", db.name);
        assert!(a.scheduled_directory_sync("a", hour).await.unwrap().is_none(), "not again within the hour");
        clock.advance_secs(3_601);
        assert!(b.scheduled_directory_sync("b", hour).await.unwrap().is_some(), "{}: the next hour", db.name);
        assert_eq!(a.directory_syncs(&admin, 10).await.unwrap().len(), 2);
    }
}
