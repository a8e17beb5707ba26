//! The helpdesk's e-mail against real Debian mail servers, on both databases: Dovecot (IMAP,
//! IMAPS, LMTP, SASL) and Postfix (SMTP with STARTTLS, SMTPS) started by the test in a temporary
//! directory on loopback ports, with a CA and certificate made by `openssl`. Postfix hands mail
//! to Dovecot's LMTP, so what Upravnik sends lands in the mailbox it reads.
//!
//! Without `dovecot`/`postfix` (apt: dovecot-imapd dovecot-lmtpd postfix), or when not root,
//! the tests say loudly that they skipped; with `UPRAVNIK_TEST_REQUIRE_MAIL=1` (CI) that is a
//! failure.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use upravnik_core::access::{Actor, Role};
use upravnik_core::helpdesk::{Channel, CommentInput, ReportState, TransitionInput};
use upravnik_core::mail::{Limits, MailOutcome, OutboxStatus, parse_message};
use upravnik_core::mail_service::IntakeSettings;
use upravnik_core::org::PersonInput;
use upravnik_core::service::Services;
use upravnik_core::worklog::Filter;
use upravnik_mail::{FetchOptions, ImapSession, Server, SmtpSender, TlsMode, connect_imap, fetch};

use crate::support::*;

pub const REQUIRE_ENV: &str = "UPRAVNIK_TEST_REQUIRE_MAIL";
const PASSWORD: &str = "tajna-lozinka-1";
pub const HELPDESK: &str = "helpdesk@test.invalid";

/// Dovecot and Postfix of one test, stopped when dropped.
pub struct MailLab {
    dir: PathBuf,
    dovecot: Option<Child>,
    postfix: Option<Child>,
    pub imap: u16,
    pub imaps: u16,
    pub smtp: u16,
    pub smtps: u16,
}

fn skip(why: &str) -> Option<MailLab> {
    assert!(std::env::var(REQUIRE_ENV).is_err(), "{REQUIRE_ENV} is set, so the mail servers must run: {why}");
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n*** MAIL SERVER TESTS SKIPPED: {why}. Install dovecot-imapd dovecot-lmtpd postfix and run as root (CI does, with {REQUIRE_ENV}=1). ***\n"
    );
    None
}

impl MailLab {
    /// Starts both servers with mailboxes for `users` (addresses at test.invalid), all with
    /// [`PASSWORD`]. `None` (after a loud note) when they cannot run here.
    pub fn start(users: &[&str]) -> Option<MailLab> {
        if !has("dovecot") || !has("postfix") || !has("openssl") {
            return skip("dovecot, postfix or openssl is not installed");
        }
        let uid = Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
        if uid != "0" {
            return skip("the mail servers are started as root (Postfix insists), and this is not root");
        }
        let dir = temp_dir("mail");
        let d = dir.display().to_string();
        for sub in ["run", "state", "mail", "pf", "pfq", "pfdata"] {
            std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
        }
        test_certificate(&dir);
        let passwd: String = users.iter().map(|u| format!("{u}:{{PLAIN}}{PASSWORD}:::::\n")).collect();
        write(&dir.join("passwd"), &passwd);
        let (imap, imaps, smtp, smtps) = (free_port(), free_port(), free_port(), free_port());
        write(
            &dir.join("dovecot.conf"),
            &format!(
                "base_dir = {d}/run\nstate_dir = {d}/state\nlog_path = {d}/dovecot.log\nprotocols = imap lmtp\nlisten = 127.0.0.1\n\
                 ssl = yes\nssl_cert = <{d}/cert.pem\nssl_key = <{d}/key.pem\ndisable_plaintext_auth = no\nauth_mechanisms = plain login\n\
                 default_internal_user = dovecot\ndefault_login_user = dovenull\nfirst_valid_uid = 1\n\
                 passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/passwd\n}}\n\
                 userdb {{\n  driver = passwd-file\n  args = username_format=%u {d}/passwd\n  default_fields = uid=mail gid=mail home={d}/mail/%u\n}}\n\
                 mail_location = maildir:{d}/mail/%u/Maildir\n\
                 service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {imap}\n  }}\n  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {imaps}\n    ssl = yes\n  }}\n}}\n\
                 service lmtp {{\n  unix_listener {d}/lmtp {{\n    mode = 0666\n  }}\n}}\n\
                 service auth {{\n  unix_listener {d}/auth {{\n    mode = 0666\n  }}\n}}\n"
            ),
        );
        if let Err(e) = run(Command::new("chown").args(["mail:mail", &format!("{d}/mail")])) {
            return skip(&e);
        }
        let dovecot = Command::new("dovecot")
            .args(["-F", "-c", &format!("{d}/dovecot.conf")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dovecot");
        write(
            &dir.join("pf/main.cf"),
            &format!(
                "compatibility_level = 3.6\nqueue_directory = {d}/pfq\ndata_directory = {d}/pfdata\nmeta_directory = /etc/postfix\n\
                 command_directory = /usr/sbin\ndaemon_directory = /usr/lib/postfix/sbin\nshlib_directory = /usr/lib/postfix\n\
                 mail_owner = postfix\nsetgid_group = postdrop\nmyhostname = mail.test.invalid\nmydomain = test.invalid\n\
                 myorigin = test.invalid\nmydestination =\ninet_interfaces = 127.0.0.1\ninet_protocols = ipv4\nmynetworks = 127.0.0.0/8\n\
                 virtual_mailbox_domains = test.invalid\nvirtual_transport = lmtp:unix:{d}/lmtp\n\
                 smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination\n\
                 smtpd_tls_cert_file = {d}/cert.pem\nsmtpd_tls_key_file = {d}/key.pem\nsmtpd_tls_security_level = may\n\
                 smtpd_sasl_type = dovecot\nsmtpd_sasl_path = {d}/auth\nsmtpd_sasl_auth_enable = yes\n\
                 maillog_file = {d}/postfix.log\nmaillog_file_prefixes = {d}\nalias_maps =\nalias_database =\n\
                 local_recipient_maps =\nbiff = no\nappend_dot_mydomain = no\nsmtputf8_enable = yes\n"
            ),
        );
        let services = [
            format!("127.0.0.1:{smtp} inet n - n - - smtpd"),
            format!("127.0.0.1:{smtps} inet n - n - - smtpd\n  -o smtpd_tls_wrappermode=yes"),
            "pickup unix n - n 60 1 pickup".into(),
            "cleanup unix n - n - 0 cleanup".into(),
            "qmgr unix n - n 300 1 qmgr".into(),
            "tlsmgr unix - - n 1000? 1 tlsmgr".into(),
            "rewrite unix - - n - - trivial-rewrite".into(),
            "bounce unix - - n - 0 bounce".into(),
            "defer unix - - n - 0 bounce".into(),
            "trace unix - - n - 0 bounce".into(),
            "verify unix - - n - 1 verify".into(),
            "flush unix n - n 1000? 0 flush".into(),
            "proxymap unix - - n - - proxymap".into(),
            "smtp unix - - n - - smtp".into(),
            "relay unix - - n - - smtp".into(),
            "showq unix n - n - - showq".into(),
            "error unix - - n - - error".into(),
            "retry unix - - n - - error".into(),
            "discard unix - - n - - discard".into(),
            "lmtp unix - - n - - lmtp".into(),
            "anvil unix - - n - 1 anvil".into(),
            "scache unix - - n - 1 scache".into(),
            "postlog unix-dgram n - n - 1 postlogd".into(),
        ];
        write(&dir.join("pf/master.cf"), &(services.join("\n") + "\n"));
        let _ = run(Command::new("chown").args(["postfix", &format!("{d}/pfdata")]));
        let mut lab = MailLab { dir: dir.clone(), dovecot: Some(dovecot), postfix: None, imap, imaps, smtp, smtps };
        // `check` lays out the queue directory with its owners.
        if let Err(e) = run(Command::new("postfix").args(["-c", &format!("{d}/pf"), "check"])) {
            drop(lab);
            return skip(&e);
        }
        lab.postfix = Some(
            Command::new("postfix")
                .args(["-c", &format!("{d}/pf"), "start-fg"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start postfix"),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        for port in [imap, imaps, smtp, smtps] {
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                if Instant::now() > deadline {
                    let log = std::fs::read_to_string(dir.join("dovecot.log")).unwrap_or_default()
                        + &std::fs::read_to_string(dir.join("postfix.log")).unwrap_or_default();
                    drop(lab);
                    panic!("the mail servers did not come up on port {port}:\n{log}");
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        Some(lab)
    }

    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// The IMAP account of `user`, over implicit TLS trusting the test CA.
    pub fn imap_server(&self, user: &str) -> Server {
        Server {
            host: "localhost".into(),
            port: self.imaps,
            tls: TlsMode::Implicit,
            user: user.into(),
            password: PASSWORD.into(),
            ca_file: Some(self.ca()),
            accept_invalid_certs: false,
        }
    }

    /// Submission with STARTTLS and SASL as `user`.
    pub fn smtp_server(&self, user: &str) -> Server {
        Server { port: self.smtp, tls: TlsMode::Starttls, ..self.imap_server(user) }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("postfix.log")).unwrap_or_default()
            + &std::fs::read_to_string(self.dir.join("dovecot.log")).unwrap_or_default()
    }
}

impl Drop for MailLab {
    fn drop(&mut self) {
        let d = self.dir.display().to_string();
        if let Some(mut p) = self.postfix.take() {
            let _ = run(Command::new("postfix").args(["-c", &format!("{d}/pf"), "stop"]));
            let _ = p.wait();
        }
        if let Some(mut p) = self.dovecot.take() {
            let _ = run(Command::new("kill").args(["-TERM", &p.id().to_string()]));
            let _ = p.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A mail as a mail client writes it.
pub fn message(
    from: &str,
    subject: &str,
    message_id: &str,
    in_reply_to: Option<&str>,
    body: &str,
    attachment: Option<(&str, &[u8])>,
) -> Vec<u8> {
    use std::fmt::Write;
    let mut m = String::new();
    let subject_b64 = b64(subject.as_bytes());
    let _ = write!(
        m,
        "From: {from}\r\nTo: {HELPDESK}\r\nSubject: =?UTF-8?B?{subject_b64}?=\r\nMessage-ID: <{message_id}>\r\nDate: Wed, 25 Nov 2026 14:05:00 +0100\r\nMIME-Version: 1.0\r\n"
    );
    if let Some(r) = in_reply_to {
        let _ = write!(m, "In-Reply-To: <{r}>\r\nReferences: <{r}>\r\n");
    }
    match attachment {
        None => {
            let _ = write!(m, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n");
        }
        Some((name, bytes)) => {
            let _ = write!(
                m,
                "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n\
                 --b1\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b1--\r\n",
                b64(bytes)
            );
        }
    }
    m.into_bytes()
}

fn b64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub async fn append(lab: &MailLab, user: &str, raw: &[u8]) {
    let mut s = connect_imap(&lab.imap_server(user)).await.expect("imap sign-in");
    s.append("INBOX", None, None, raw).await.expect("append");
    let _ = s.logout().await;
}

async fn unseen(session: &mut ImapSession) -> usize {
    session.select("INBOX").await.expect("select");
    session.uid_search("UNSEEN").await.expect("search").len()
}

/// Every message in `user`'s inbox, parsed.
async fn inbox(lab: &MailLab, user: &str) -> Vec<upravnik_core::mail::Inbound> {
    let mut s = connect_imap(&lab.imap_server(user)).await.expect("imap sign-in");
    s.select("INBOX").await.expect("select");
    let fetched: Vec<_> = s.fetch("1:*", "BODY.PEEK[]").await.expect("fetch").try_collect().await.unwrap_or_default();
    let _ = s.logout().await;
    fetched.iter().filter_map(|f| f.body()).filter_map(|b| parse_message(b, &Limits::default())).collect()
}

pub async fn person_with_mail(s: &Services, admin: &Actor, given: &str, email: &str, account: Option<&str>) -> (i64, Option<Actor>) {
    let p = s
        .create_person(
            admin,
            PersonInput { given_name: given.into(), family_name: "Јовановић".into(), email: email.into(), ..Default::default() },
        )
        .await
        .unwrap();
    let actor = match account {
        Some(u) => {
            let a = s.create_account(admin, p.id, u, "plava8reka", vec![Role::Employee]).await.unwrap();
            Some(s.store.actor(a.user_id).await.unwrap())
        }
        None => None,
    };
    (p.id, actor)
}

pub fn intake(office_id: i64) -> IntakeSettings {
    IntakeSettings { office_id, own_addresses: vec![HELPDESK.into()], limits: Limits::default() }
}

#[tokio::test]
async fn a_message_becomes_a_report_with_its_attachment_and_replies_thread_into_it() {
    for db in databases().await {
        let Some(lab) = MailLab::start(&[HELPDESK, "ana@test.invalid"]) else { return };
        let (mut app, s) = crate::http::App::new(&db).await;
        let admin = with_admin(&s).await;
        let (ana, _) = person_with_mail(&s, &admin, "Ана", "Ana@Test.Invalid", Some("ana")).await;
        let (marko, _) = person_with_mail(&s, &admin, "Марко", "marko@test.invalid", None).await;
        let png = [0x89u8, b'P', b'N', b'G', 13, 10, 26, 10, 0, 0, 0, 13, 0xff, 0x00];
        append(
            &lab,
            HELPDESK,
            &message("Ана <ana@test.invalid>", "Штампач не ради", "m1@client", None, "Гужва папир.", Some(("slika.png", &png))),
        )
        .await;
        append(&lab, HELPDESK, &message("nepoznat@example.org", "Реклама", "spam@x", None, "Купите", None)).await;
        let server = lab.imap_server(HELPDESK);
        let r = fetch(&s, &server, "INBOX", &intake(admin.office_id), FetchOptions::default()).await.unwrap();
        assert_eq!((r.unread, r.imported.len(), r.errors.len()), (2, 2, 0), "{}: {r:?}", db.name);
        let (_, first) = &r.imported[0];
        assert_eq!((first.outcome, first.number.as_deref()), (MailOutcome::Report, Some("П-2026-000001")), "{}", db.name);
        assert_eq!(r.imported[1].1.outcome, MailOutcome::UnknownSender, "{}", db.name);
        let id = first.report_id.unwrap();
        let report = s.report(&admin, id).await.unwrap();
        assert_eq!(
            (report.reporter_id, report.channel, report.title.as_str(), report.description.as_str()),
            (ana, Channel::Email, "Штампач не ради", "Гужва папир."),
            "{}",
            db.name
        );
        let files = s.report_attachments(&admin, id).await.unwrap();
        assert_eq!((files.len(), files[0].name.as_str(), files[0].content_type.as_str()), (1, "slika.png", "image/png"), "{}", db.name);
        assert_eq!(s.report_attachment(&admin, id, files[0].id).await.unwrap().1, png, "{}: the file as sent", db.name);
        // On the report's page, as a download only; not for an employee who may not see the report.
        app.login("admin", ADMIN_PW).await;
        let page = app.get(&format!("/reports/{id}")).await;
        assert!(
            page.body.contains("slika.png") && page.body.contains(&format!("/reports/{id}/attachments/{}", files[0].id)),
            "{}",
            db.name
        );
        let notices = app.get("/reports/mail").await;
        assert!(notices.status.is_success() && notices.body.contains("ana@test.invalid"), "{}: the acknowledgement is listed", db.name);
        let file = app.get(&format!("/reports/{id}/attachments/{}", files[0].id)).await;
        assert_eq!((file.status.as_u16(), file.content_type.as_str(), file.bytes.as_slice()), (200, "application/octet-stream", &png[..]));
        let _ = user_with(&s, &admin, "drugi", &[Role::Employee]).await;
        let mut other = crate::http::App { router: app.router.clone(), cookie: String::new(), csrf: String::new() };
        other.login("drugi", "plava8reka").await;
        assert_eq!(other.get(&format!("/reports/{id}/attachments/{}", files[0].id)).await.status.as_u16(), 404, "{}", db.name);
        let log = s
            .worklog(
                &admin,
                Filter { object_kind: Some("fault_report".into()), object_id: Some(id.to_string()), limit: 10, ..Default::default() },
            )
            .await
            .unwrap();
        assert!(log.iter().any(|e| e.text.contains("П-2026-000001") && e.text.contains("е-пошта")), "{}: {log:?}", db.name);

        // The unknown sender's message stays unread for a person; nothing is read twice.
        let mut session = connect_imap(&server).await.unwrap();
        assert_eq!(unseen(&mut session).await, 1, "{}", db.name);
        let _ = session.logout().await;
        let again = fetch(&s, &server, "INBOX", &intake(admin.office_id), FetchOptions::default()).await.unwrap();
        assert_eq!((again.imported.len(), again.already), (0, 1), "{}", db.name);

        // A reply by its headers, one by the Latin number in the subject, a third from someone
        // else who quotes the number: two comments and a new report.
        append(
            &lab,
            HELPDESK,
            &message("ana@test.invalid", "Re: Штампач не ради", "m2@client", Some("m1@client"), "И даље не ради.\n\n> Гужва папир.", None),
        )
        .await;
        append(
            &lab,
            HELPDESK,
            &message("ana@test.invalid", "Odg: [P-2026-000001]", "m3@client", None, "Ево још једне слике.", Some(("s2.png", &png))),
        )
        .await;
        append(&lab, HELPDESK, &message("marko@test.invalid", "И мој: P-2026-1", "m4@client", None, "Исто код мене.", None)).await;
        let r = fetch(&s, &server, "INBOX", &intake(admin.office_id), FetchOptions::default()).await.unwrap();
        let outcomes: Vec<(MailOutcome, Option<&str>)> = r.imported.iter().map(|(_, i)| (i.outcome, i.number.as_deref())).collect();
        assert_eq!(
            outcomes,
            [
                (MailOutcome::Comment, Some("П-2026-000001")),
                (MailOutcome::Comment, Some("П-2026-000001")),
                (MailOutcome::Report, Some("П-2026-000002"))
            ],
            "{}",
            db.name
        );
        let d = s.report_detail(&admin, id).await.unwrap();
        let bodies: Vec<&str> = d.comments.iter().map(|c| c.body.as_str()).collect();
        assert_eq!(bodies, ["И даље не ради.", "Ево још једне слике."], "{}: quoted text left out", db.name);
        assert!(d.comments.iter().all(|c| c.public), "{}", db.name);
        assert_eq!(s.report_attachments(&admin, id).await.unwrap().len(), 2, "{}", db.name);
        let other = s.report(&admin, r.imported[2].1.report_id.unwrap()).await.unwrap();
        assert_eq!(other.reporter_id, marko, "{}", db.name);

        // A reply to a closed report opens a new one that names it.
        s.move_report(&admin, id, &TransitionInput { to: "accepted".into(), ..Default::default() }).await.unwrap();
        s.move_report(&admin, id, &TransitionInput { to: "resolved".into(), ..Default::default() }).await.unwrap();
        s.move_report(&admin, id, &TransitionInput { to: "closed".into(), ..Default::default() }).await.unwrap();
        append(&lab, HELPDESK, &message("ana@test.invalid", "Re: Штампач не ради", "m5@client", Some("m2@client"), "Опет исто.", None))
            .await;
        let r = fetch(&s, &server, "INBOX", &intake(admin.office_id), FetchOptions::default()).await.unwrap();
        let third = s.report(&admin, r.imported[0].1.report_id.unwrap()).await.unwrap();
        assert_eq!((r.imported[0].1.outcome, third.number.as_str()), (MailOutcome::Report, "П-2026-000003"), "{}", db.name);
        assert!(third.description.contains("П-2026-000001"), "{}: {}", db.name, third.description);
        drop(lab);
    }
}

#[tokio::test]
async fn a_crash_between_the_commit_and_the_seen_flag_imports_nothing_twice() {
    for db in databases().await {
        let Some(lab) = MailLab::start(&[HELPDESK]) else { return };
        let (s, _clock) = services(&db);
        let admin = with_admin(&s).await;
        person_with_mail(&s, &admin, "Ана", "ana@test.invalid", None).await;
        append(&lab, HELPDESK, &message("ana@test.invalid", "Нема интернета", "c1@client", None, "Од јутрос.", None)).await;
        append(&lab, HELPDESK, &message("ana@test.invalid", "Нема интернета", "c1@client", None, "Од јутрос.", None)).await;
        // STARTTLS this time.
        let server = Server { port: lab.imap, tls: TlsMode::Starttls, ..lab.imap_server(HELPDESK) };
        let crash = FetchOptions { leave_unseen: true, ..Default::default() };
        let r = fetch(&s, &server, "INBOX", &intake(admin.office_id), crash).await.unwrap();
        let outcomes: Vec<MailOutcome> = r.imported.iter().map(|(_, i)| i.outcome).collect();
        assert_eq!(outcomes, [MailOutcome::Report, MailOutcome::Duplicate], "{}: the copy is known by its Message-ID", db.name);
        let mut session = connect_imap(&server).await.unwrap();
        assert_eq!(unseen(&mut session).await, 2, "{}: committed, but not flagged", db.name);
        let _ = session.logout().await;

        // The restart: the same UIDs come up unread, are recognised, flagged, not imported.
        let r = fetch(&s, &server, "INBOX", &intake(admin.office_id), FetchOptions::default()).await.unwrap();
        assert_eq!((r.unread, r.imported.len(), r.already), (2, 0, 2), "{}", db.name);
        let mut session = connect_imap(&server).await.unwrap();
        assert_eq!(unseen(&mut session).await, 0, "{}", db.name);
        let _ = session.logout().await;
        let all = s.reports(&admin, &upravnik_core::helpdesk::ReportQuery { page: 1, per_page: 50, ..Default::default() }).await.unwrap();
        assert_eq!(all.total, 1, "{}: exactly one report", db.name);

        // Two instances reading the same mailbox at once: every message is imported once.
        for i in 0..4 {
            let raw = message("ana@test.invalid", &format!("Истовремено {i}"), &format!("p{i}@client"), None, "Тест.", None);
            append(&lab, HELPDESK, &raw).await;
        }
        let (implicit, settings) = (lab.imap_server(HELPDESK), intake(admin.office_id));
        let (a, b) = tokio::join!(
            fetch(&s, &server, "INBOX", &settings, FetchOptions::default()),
            fetch(&s, &implicit, "INBOX", &settings, FetchOptions::default())
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let made = a.imported.iter().chain(b.imported.iter()).filter(|(_, i)| i.outcome == MailOutcome::Report).count();
        assert_eq!(made, 4, "{}: {a:?} {b:?}", db.name);
        let all = s.reports(&admin, &upravnik_core::helpdesk::ReportQuery { page: 1, per_page: 50, ..Default::default() }).await.unwrap();
        assert_eq!(all.total, 5, "{}", db.name);

        // The CLI does the same pass, configured from the environment.
        append(&lab, HELPDESK, &message("ana@test.invalid", "Миш", "c2@client", None, "Не ради миш.", None)).await;
        let out = Command::new(env!("CARGO_BIN_EXE_upravnik"))
            .args(["--database-url", &db.url, "mail", "fetch"])
            .env("UPRAVNIK_MAIL_IMAP_HOST", "localhost")
            .env("UPRAVNIK_MAIL_IMAP_PORT", lab.imaps.to_string())
            .env("UPRAVNIK_MAIL_IMAP_USER", HELPDESK)
            .env("UPRAVNIK_MAIL_IMAP_PASSWORD", PASSWORD)
            .env("UPRAVNIK_MAIL_CA_FILE", lab.ca())
            .env("UPRAVNIK_MAIL_OFFICE_ID", admin.office_id.to_string())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && text.contains("new report П-"), "{}: {text}", db.name);
        assert!(!text.contains(PASSWORD), "{}: no password in the output", db.name);
        drop(lab);
    }
}

#[tokio::test]
async fn a_state_change_reaches_the_reporters_mailbox_and_the_answer_threads_back() {
    for db in databases().await {
        let Some(lab) = MailLab::start(&[HELPDESK, "ana@test.invalid", "vesna@test.invalid"]) else { return };
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        let (_, ana) = person_with_mail(&s, &admin, "Ана", "ana@test.invalid", Some("ana")).await;
        let ana = ana.unwrap();
        append(&lab, HELPDESK, &message("ana@test.invalid", "Монитор трепери", "n1@client", None, "Трепери.", None)).await;
        let r = fetch(&s, &lab.imap_server(HELPDESK), "INBOX", &intake(admin.office_id), FetchOptions::default()).await.unwrap();
        let id = r.imported[0].1.report_id.unwrap();

        // The change commits at once, whatever the mail does; the notice waits in the outbox.
        s.move_report(&admin, id, &TransitionInput { to: "accepted".into(), note: "Стижем за сат.".into(), ..Default::default() })
            .await
            .unwrap();
        s.comment_report(&admin, id, &CommentInput { body: "Интерно".into(), public: false, ..Default::default() }).await.unwrap();
        s.comment_report(&ana, id, &CommentInput { body: "Хвала".into(), public: true, ..Default::default() }).await.unwrap();
        let outbox = s.outbox(&admin, 50).await.unwrap();
        assert_eq!(outbox.len(), 3, "{}: received, accepted, Ana's own comment (internal notes never): {outbox:?}", db.name);
        assert!(outbox.iter().all(|o| o.status == OutboxStatus::Pending), "{}", db.name);

        // A server that does not answer: the notice is kept for a retry.
        let dead = Server { port: free_port(), ..lab.smtp_server(HELPDESK) };
        let sender = SmtpSender::new(&dead, "ИКТ служба <helpdesk@test.invalid>").unwrap();
        let d = s.deliver_outbox(&sender, None, 10).await.unwrap();
        assert_eq!((d.sent, d.retrying), (0, 2), "{}: {d:?}", db.name);
        let o = s.outbox(&admin, 50).await.unwrap();
        assert!(o.iter().any(|o| o.attempts == 1 && !o.last_error.is_empty()), "{}: {o:?}", db.name);
        assert!(o.iter().any(|o| o.status == OutboxStatus::Skipped), "{}: Ana's own comment is not sent to her", db.name);

        // Postfix with STARTTLS and SASL; Dovecot's LMTP delivers into Ana's mailbox.
        clock.advance_secs(3600);
        let sender = SmtpSender::new(&lab.smtp_server(HELPDESK), "ИКТ служба <helpdesk@test.invalid>").unwrap();
        let d = s.deliver_outbox(&sender, Some("https://upravnik.test.invalid"), 10).await.unwrap();
        assert_eq!((d.sent, d.failed), (2, 0), "{}: {d:?}\n{}", db.name, lab.log());
        let deadline = Instant::now() + Duration::from_secs(30);
        let got = loop {
            let got = inbox(&lab, "ana@test.invalid").await;
            if got.len() >= 2 || Instant::now() > deadline {
                break got;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert_eq!(got.len(), 2, "{}: {got:?}\n{}", db.name, lab.log());
        let accepted = got.iter().find(|m| m.subject.contains("прихваћена")).unwrap_or_else(|| panic!("{}: {got:?}", db.name));
        assert!(accepted.subject.starts_with("[П-2026-000001]"), "{}: {}", db.name, accepted.subject);
        assert!(accepted.text.contains("Стижем за сат.") && accepted.text.contains("/reports/"), "{}: {}", db.name, accepted.text);
        assert_eq!(accepted.in_reply_to, ["n1@client"], "{}: threads under Ana's own message", db.name);
        assert!(got.iter().any(|m| m.subject.contains("Пријава примљена")), "{}", db.name);

        // Ana answers the notice from her client: a comment on the same report.
        let answer =
            message("ana@test.invalid", &format!("Re: {}", accepted.subject), "n2@client", Some(&accepted.message_id), "Чекам.", None);
        append(&lab, HELPDESK, &answer).await;
        let r = fetch(&s, &lab.imap_server(HELPDESK), "INBOX", &intake(admin.office_id), FetchOptions::default()).await.unwrap();
        assert_eq!((r.imported[0].1.outcome, r.imported[0].1.report_id), (MailOutcome::Comment, Some(id)), "{}", db.name);

        // SMTPS (implicit TLS) works as well, and sends to another reporter.
        let (_, vesna) = person_with_mail(&s, &admin, "Весна", "vesna@test.invalid", Some("vesna")).await;
        let vr = s
            .create_report(&vesna.unwrap(), &upravnik_core::helpdesk::ReportInput { title: "Тастатура".into(), ..Default::default() })
            .await
            .unwrap();
        s.move_report(&admin, vr.id, &TransitionInput { to: "accepted".into(), ..Default::default() }).await.unwrap();
        let smtps = Server { port: lab.smtps, tls: TlsMode::Implicit, ..lab.smtp_server(HELPDESK) };
        let d = s.deliver_outbox(&SmtpSender::new(&smtps, "helpdesk@test.invalid").unwrap(), None, 10).await.unwrap();
        assert_eq!(d.sent, 1, "{}: {d:?}", db.name);
        let deadline = Instant::now() + Duration::from_secs(30);
        while inbox(&lab, "vesna@test.invalid").await.is_empty() {
            assert!(Instant::now() < deadline, "{}: nothing arrived for Vesna\n{}", db.name, lab.log());
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert_eq!(s.report(&admin, id).await.unwrap().state, ReportState::Accepted);
        drop(lab);
    }
}
