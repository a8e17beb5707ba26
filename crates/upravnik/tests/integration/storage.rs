//! Stories of the storage and services, the same on SQLite and PostgreSQL.

use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::org::{ListQuery, PersonInput, SortKey, UnitInput, WorkplaceInput};
use upravnik_core::worklog::{Category, Filter};

use crate::support::*;

#[tokio::test]
async fn organisation_story_writes_the_work_log_on_both_databases() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        let fin =
            s.create_unit(&admin, UnitInput { name: "Одељење за финансије".into(), code: "ФИН".into(), parent_id: None }).await.unwrap();
        let ikt_parent = s.create_unit(&admin, UnitInput { name: "Одељење за општу управу".into(), ..Default::default() }).await.unwrap();
        let ikt = s
            .create_unit(&admin, UnitInput { name: "Одсек за ИКТ".into(), parent_id: Some(ikt_parent.id), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(ikt.parent_name.as_deref(), Some("Одељење за општу управу"), "{}", db.name);
        // Units nest one level only.
        let deep = s.create_unit(&admin, UnitInput { name: "Група".into(), parent_id: Some(ikt.id), ..Default::default() }).await;
        assert!(matches!(deep, Err(Error::Invalid(ref e)) if e[0].message == "err-parent-not-basic"), "{}", db.name);
        let wp = s
            .create_workplace(&admin, WorkplaceInput { unit_id: ikt.id, name: "Систем администратор".into(), room: "канц. 12".into() })
            .await
            .unwrap();
        clock.advance_secs(60);
        let sasa = s
            .create_person(
                &admin,
                PersonInput {
                    given_name: "Саша".into(),
                    family_name: "Ђорђевић".into(),
                    birth_date: "07.03.1980.".into(),
                    unit_id: Some(ikt.id),
                    workplace_id: Some(wp.id),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(sasa.birth_date.as_deref(), Some("1980-03-07"));
        // A workplace must be in the person's unit.
        let wrong = s
            .update_person(
                &admin,
                sasa.id,
                PersonInput {
                    given_name: "Саша".into(),
                    family_name: "Ђорђевић".into(),
                    unit_id: Some(fin.id),
                    workplace_id: Some(wp.id),
                    ..Default::default()
                },
            )
            .await;
        assert!(matches!(wrong, Err(Error::Invalid(ref e)) if e[0].field == "workplace_id"), "{}", db.name);

        // Search matches either script and ignores diacritics.
        for term in ["sasa", "саша", "Saša", "djordjevic", "ЂОРЂ"] {
            let mut q = ListQuery::new(admin.office_id);
            q.q = Some(term.into());
            let found = s.people(&admin, &q).await.unwrap();
            assert_eq!(found.total, 1, "{} finds {term}", db.name);
            assert_eq!(found.items[0].id, sasa.id);
        }

        // Every change above is in the work log, newest first, with its object.
        let log = s.worklog(&admin, Filter { limit: 100, ..Default::default() }).await.unwrap();
        assert!(log.iter().any(|e| e.text.contains("Одсек за ИКТ") && e.category == Category::ConfigurationChange), "{}", db.name);
        let about_sasa = s
            .worklog(
                &admin,
                Filter { object_kind: Some("person".into()), object_id: Some(sasa.id.to_string()), limit: 10, ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(about_sasa.len(), 1, "{}", db.name);
        assert_eq!(about_sasa[0].at_us, START + 60_000_000, "time comes from the clock ({})", db.name);
        assert!(log.windows(2).all(|w| w[0].id > w[1].id), "newest first");

        // Deactivating a person closes their account; nothing is deleted.
        let acc = s.create_account(&admin, sasa.id, "sdjordjevic", "plava8reka", vec![Role::Employee]).await.unwrap();
        assert!(s.login("sdjordjevic", "plava8reka").await.is_ok());
        s.set_person_active(&admin, sasa.id, false).await.unwrap();
        assert!(!s.account(&admin, acc.user_id).await.unwrap().active, "{}", db.name);
        assert!(matches!(s.login("sdjordjevic", "plava8reka").await, Err(Error::Unauthenticated)), "{}", db.name);
        let mut q = ListQuery::new(admin.office_id);
        assert_eq!(s.people(&admin, &q).await.unwrap().total, 1, "only the admin is active");
        // The home page's counts agree with the lists' totals (active only).
        let n = s.org_counts(&admin).await.unwrap();
        let lists = (
            s.units(&admin, &q).await.unwrap().total,
            s.workplaces(&admin, &q).await.unwrap().total,
            s.people(&admin, &q).await.unwrap().total,
            s.accounts(&admin, &q).await.unwrap().total,
        );
        assert_eq!((n.units, n.workplaces, n.people, n.accounts), lists, "{}", db.name);
        assert_eq!(n.accounts, 1, "{}: the closed account is not counted", db.name);
        q.include_inactive = true;
        assert_eq!(s.people(&admin, &q).await.unwrap().total, 2);

        let me = s.set_person_active(&admin, admin.person_id, false).await;
        assert!(matches!(me, Err(Error::Invalid(ref e)) if e[0].message == "err-account-self-disable"), "no one closes their own door");

        let report = s.verify_worklog().await.unwrap();
        assert!(report.broken.is_empty(), "{}: {:?}", db.name, report.broken);
        assert!(report.checked >= 10);
    }
}

#[tokio::test]
async fn lists_paginate_and_sort() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        for name in ["Вера", "Ана", "Бранко", "Гордана", "Дејан"] {
            s.create_person(&admin, PersonInput { given_name: name.into(), family_name: "Илић".into(), ..Default::default() })
                .await
                .unwrap();
        }
        let mut q = ListQuery::new(admin.office_id);
        q.per_page = 2;
        q.q = Some("ilic".into());
        let p1 = s.people(&admin, &q).await.unwrap();
        assert_eq!((p1.total, p1.items.len(), p1.pages()), (5, 2, 3), "{}", db.name);
        q.page = 3;
        assert_eq!(s.people(&admin, &q).await.unwrap().items.len(), 1);
        q.page = 1;
        q.sort = SortKey::Created;
        q.desc = true;
        assert_eq!(s.people(&admin, &q).await.unwrap().items[0].given_name, "Дејан", "{}", db.name);
    }
}

#[tokio::test]
async fn r18_sign_in_backs_off_after_repeated_failures() {
    for db in databases().await {
        let (s, clock) = services(&db);
        with_admin(&s).await;
        for _ in 0..5 {
            assert!(matches!(s.login("admin", "wrong1pass").await, Err(Error::Unauthenticated)));
        }
        // Locked now, even with the right password.
        assert!(matches!(s.login("admin", ADMIN_PW).await, Err(Error::Locked { .. })), "{}", db.name);
        clock.advance_secs(31);
        let ok = s.login("admin", ADMIN_PW).await.unwrap();
        assert!(s.session(&ok.token).await.unwrap().is_some());
        // Unknown names are throttled the same way, so they reveal nothing.
        for _ in 0..5 {
            let _ = s.login("nobody", "x").await;
        }
        assert!(matches!(s.login("nobody", "x").await, Err(Error::Locked { .. })));
        let lock = s
            .worklog(
                &s.store.actor(ok.actor.user_id).await.unwrap(),
                Filter { category: Some(Category::SecurityMeasure), limit: 10, ..Default::default() },
            )
            .await
            .unwrap();
        assert!(lock.iter().any(|e| e.text.contains("admin")), "lockouts are logged ({})", db.name);
    }
}

#[tokio::test]
async fn sessions_expire_and_logout_ends_them() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        let a = s.login("admin", ADMIN_PW).await.unwrap();
        assert!(s.session(&a.token).await.unwrap().is_some());
        clock.advance_secs(9 * 3600);
        assert!(s.session(&a.token).await.unwrap().is_none(), "expired after 8 h idle ({})", db.name);
        let b = s.login("admin", ADMIN_PW).await.unwrap();
        s.logout(&admin, &b.token).await.unwrap();
        assert!(s.session(&b.token).await.unwrap().is_none());
        assert!(s.session("not-a-token").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn api_tokens_act_for_their_owner_until_revoked() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let (t, secret) = s.create_api_token(&admin, "скрипта").await.unwrap();
        assert!(secret.starts_with("upr_"));
        assert_eq!(s.api_actor(&secret).await.unwrap().map(|a| a.user_id), Some(admin.user_id));
        s.revoke_api_token(&admin, t.id).await.unwrap();
        assert!(s.api_actor(&secret).await.unwrap().is_none(), "{}", db.name);
    }
}

#[tokio::test]
async fn r20_confidential_text_is_only_for_administrators_and_the_inspector() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let inspector = user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
        let head = user_with(&s, &admin, "nacelnik", &[Role::HeadOfAdministration]).await;
        let employee = user_with(&s, &admin, "radnik", &[Role::Employee]).await;
        let e = s.add_worklog_entry(&admin, Category::SecurityMeasure, None, "Тајна лозинка сефа је 1234", true).await.unwrap();
        let seen_by = |entries: Vec<upravnik_core::worklog::Entry>| entries.into_iter().find(|x| x.id == e.id).map(|x| x.text);
        let f = Filter { limit: 50, ..Default::default() };
        assert_eq!(seen_by(s.worklog(&inspector, f.clone()).await.unwrap()).as_deref(), Some("Тајна лозинка сефа је 1234"));
        assert_eq!(seen_by(s.worklog(&head, f.clone()).await.unwrap()).as_deref(), Some(""), "{}", db.name);
        // Searching for the hidden words must not reveal the entry either.
        let probe = Filter { text: Some("sefa".into()), limit: 50, ..Default::default() };
        assert!(s.worklog(&head, probe.clone()).await.unwrap().is_empty(), "{}", db.name);
        assert_eq!(s.worklog(&inspector, probe).await.unwrap().len(), 1);
        assert!(matches!(s.worklog(&employee, f).await, Err(Error::Forbidden)));
        assert!(matches!(s.add_worklog_entry(&inspector, Category::Recovery, None, "x", false).await, Err(Error::Forbidden)));
    }
}

#[tokio::test]
async fn concurrent_appends_keep_one_unbroken_chain() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let mut tasks = vec![];
        for i in 0..40 {
            let (s, admin) = (s.clone(), admin.clone());
            tasks.push(tokio::spawn(async move {
                s.add_worklog_entry(&admin, Category::Processing, None, &format!("обрада {i}"), false).await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let report = s.verify_worklog().await.unwrap();
        assert!(report.broken.is_empty(), "{}: {:?}", db.name, report.broken);
        let heads = s.store.chain_heads().await.unwrap();
        assert_eq!(heads[0].seq as u64, report.checked, "{}", db.name);
    }
}

#[tokio::test]
async fn usernames_are_unique_and_a_person_has_one_account() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let p = s
            .create_person(&admin, PersonInput { given_name: "Ана".into(), family_name: "Јовић".into(), ..Default::default() })
            .await
            .unwrap();
        let taken = s.create_account(&admin, p.id, "admin", "plava8reka", vec![Role::Employee]).await;
        assert!(matches!(taken, Err(Error::Conflict { code: "username_taken", .. })), "{}: {taken:?}", db.name);
        s.create_account(&admin, p.id, "ajovic", "plava8reka", vec![Role::Employee]).await.unwrap();
        let again = s.create_account(&admin, p.id, "ajovic2", "plava8reka", vec![Role::Employee]).await;
        assert!(matches!(again, Err(Error::Conflict { code: "person_has_account", .. })));
        // R.18: the password must not contain the person's name.
        let q = s
            .create_person(&admin, PersonInput { given_name: "Зоран".into(), family_name: "Марић".into(), ..Default::default() })
            .await
            .unwrap();
        let weak = s.create_account(&admin, q.id, "zmaric", "zoran2026", vec![Role::Employee]).await;
        assert!(matches!(weak, Err(Error::Invalid(ref e)) if e[0].message == "err-password-personal"));
    }
}

#[tokio::test]
async fn migrations_are_in_step_on_both_databases() {
    for m in upravnik_storage::MIGRATIONS {
        assert!(!m.sqlite.trim().is_empty() && !m.postgres.trim().is_empty(), "{} has both dialects", m.name);
    }
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(format!("{}/../upravnik-storage/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"), "the same migrations in both folders");
    assert_eq!(names("sqlite").len(), upravnik_storage::MIGRATIONS.len(), "every migration file is registered");
    // The resulting schemas have the same tables and columns (but for SQLite's full-text indexes,
    // which PostgreSQL keeps as indexes on the tables: see `dialect::worklog_search`, 0016).
    let lite = sqlite().await;
    let lite_cols: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
         AND m.name NOT LIKE 'worklog_fts%' AND m.name NOT LIKE 'fault_reports_fts%' ORDER BY 1, 2",
    )
    .fetch_all(lite.store.pool())
    .await
    .unwrap();
    let Some(pg) = postgres().await else { return };
    let pg_cols: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2",
    )
    .fetch_all(pg.store.pool())
    .await
    .unwrap();
    assert_eq!(lite_cols, pg_cols);
}

#[tokio::test]
async fn offices_see_only_their_own_records_unless_granted() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin_a = with_admin(&s).await;
        let b = s.create_office("Градска општина Звездара").await.unwrap();
        let acc_b = s.create_admin(Some(b.id), "", "adminb", "Зоран Илић", "plava8reka").await.unwrap();
        let admin_b = s.store.actor(acc_b.user_id).await.unwrap();
        let ua = s.create_unit(&admin_a, UnitInput { name: "Јединица А".into(), ..Default::default() }).await.unwrap();
        let ub = s.create_unit(&admin_b, UnitInput { name: "Јединица Б".into(), ..Default::default() }).await.unwrap();
        let names = |p: upravnik_core::org::Page<upravnik_core::org::Unit>| p.items.into_iter().map(|u| u.name).collect::<Vec<_>>();
        assert_eq!(names(s.units(&admin_a, &ListQuery::new(0)).await.unwrap()), ["Јединица А"], "{}", db.name);
        assert_eq!(names(s.units(&admin_b, &ListQuery::new(0)).await.unwrap()), ["Јединица Б"]);
        assert!(matches!(s.unit(&admin_a, ub.id).await, Err(Error::NotFound { .. })), "{}", db.name);
        let mut q = ListQuery::new(b.id);
        q.per_page = 10;
        assert!(matches!(s.units(&admin_a, &q).await, Err(Error::Forbidden)), "asking for another office is refused");
        // Each office has its own work-log chain.
        assert!(
            s.worklog(&admin_a, Filter { limit: 100, ..Default::default() })
                .await
                .unwrap()
                .iter()
                .all(|e| e.office_id == admin_a.office_id)
        );

        s.grant_office("admin", b.id).await.unwrap();
        let mut a = s.store.actor(admin_a.user_id).await.unwrap();
        assert_eq!(a.offices.len(), 2);
        assert!(a.switch_office(b.id));
        assert_eq!(names(s.units(&a, &ListQuery::new(0)).await.unwrap()), ["Јединица Б"], "{}", db.name);
        s.create_unit(&a, UnitInput { name: "Од А у Б".into(), ..Default::default() }).await.unwrap();
        assert_eq!(s.units(&admin_b, &ListQuery::new(0)).await.unwrap().total, 2);
        assert_eq!(s.person(&a, a.person_id).await.unwrap().id, admin_a.person_id, "one's own record stays reachable");
        let _ = ua;
        let report = s.verify_worklog().await.unwrap();
        assert!(report.broken.is_empty());
        assert_eq!(s.store.chain_heads().await.unwrap().len(), 2, "{}", db.name);
    }
}

#[tokio::test]
async fn r18_an_old_password_is_pointed_out_until_changed() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        assert!(!s.password_is_old(&admin).await.unwrap());
        clock.advance_secs(181 * 86_400);
        assert!(s.password_is_old(&admin).await.unwrap(), "{}", db.name);
        let wrong = s.change_password(&admin, "not-it-1", "nova7lozinka").await;
        assert!(matches!(wrong, Err(Error::Invalid(ref e)) if e[0].message == "err-password-wrong"));
        s.change_password(&admin, ADMIN_PW, "nova7lozinka").await.unwrap();
        assert!(!s.password_is_old(&admin).await.unwrap(), "{}", db.name);
        assert!(s.login("admin", "nova7lozinka").await.is_ok());
    }
}

#[tokio::test]
async fn worklog_search_finds_substrings_in_either_script_on_both_databases() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        s.add_worklog_entry(&admin, Category::Intervention, None, "Замењен тонер на штампачу у канц. 14", false).await.unwrap();
        s.add_worklog_entry(&admin, Category::Outage, None, "Квар на 10.0.0.5 \"сервер\" 50% оптерећења", false).await.unwrap();
        let find = |q: &str| {
            let (s, admin) = (s.clone(), admin.clone());
            let q = q.to_string();
            async move { s.worklog(&admin, Filter { text: Some(q), limit: 50, ..Default::default() }).await.unwrap().len() }
        };
        assert_eq!(find("TONer").await, 1, "{}", db.name);
        assert_eq!(find("тонер на штамп").await, 1, "{}: a phrase, across words", db.name);
        assert_eq!(find("stampacu").await, 1, "{}: no diacritics needed", db.name);
        assert_eq!(find("10.0.0").await, 1, "{}", db.name);
        assert_eq!(find("\"server\"").await, 1, "{}: quotes are data", db.name);
        assert_eq!(find("50%").await, 1, "{}: wildcards are data", db.name);
        assert_eq!(find("5_").await, 0, "{}", db.name);
        assert_eq!(find("14").await, 1, "{}: short terms work too", db.name);
        assert_eq!(find("nema toga").await, 0, "{}", db.name);
    }
}

/// SQLite: the write-ahead log is copied into the database file by the store's own task
/// (`wal_checkpoint`), not in a commit of the writer, which every queued write would wait for.
/// These writes stay below SQLite's default bound (1,000 pages of log), so without the task the
/// database file would not change at all.
#[tokio::test]
async fn sqlite_the_log_is_checkpointed_outside_the_writer() {
    let db = sqlite().await;
    let file = db.sqlite_file();
    let len = || std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    // The migrations' log is checkpointed first: the file's length holds still over several of
    // the task's turns (250 ms).
    let mut before = len();
    let mut still = 0;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let now = len();
        still = if now == before { still + 1 } else { 0 };
        before = now;
        if still == 3 {
            break;
        }
    }
    let (s, _) = services(&db);
    let admin = with_admin(&s).await;
    let long = "замена диска у рачунару шалтерске сале; ".repeat(30);
    for i in 0..30 {
        s.add_worklog_entry(&admin, Category::Processing, None, &format!("{i}: {long}"), false).await.unwrap();
    }
    let mut after = len();
    for _ in 0..40 {
        if after > before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        after = len();
    }
    assert!(after > before, "the database file stayed at {before} bytes: the log was not checkpointed");
    // What was written is read back from the file as from the log.
    let report = s.verify_worklog().await.unwrap();
    assert!(report.broken.is_empty() && report.checked >= 30, "{:?}, {} checked", report.broken, report.checked);
}

/// SQLite: under writes that never pause (a bulk load: large transactions one after the other),
/// the log is never all copied when the next write begins, so it does not start over by itself;
/// the writer's own checkpoint past 4,096 pages (16 MiB) starts it over, and its file stays
/// bounded.
#[tokio::test]
async fn sqlite_the_log_stays_bounded_under_writes_that_never_pause() {
    let db = sqlite().await;
    let wal = format!("{}-wal", db.sqlite_file());
    let (s, _) = services(&db);
    let admin = with_admin(&s).await;
    // 30,000 entries of 300 characters in transactions of 5,000.
    let text: String = (0..300).map(|i| char::from(b'a' + (i * 7 % 26) as u8)).collect();
    let drafts = (0..30_000)
        .map(|i| {
            let d = upravnik_core::worklog::Draft {
                office_id: admin.office_id,
                actor_user_id: None,
                actor_name: "test".into(),
                category: Category::Processing,
                object: None,
                confidential: false,
                text: format!("{i} {text}"),
            };
            (d, 1_800_000_000_000_000 + i)
        })
        .collect();
    db.store.append_batch(drafts).await.expect("append");
    let pages = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) / 4096;
    // The bound and one transaction more (~2,200 pages); with a bound of 16,384 pages this load
    // left 13,400.
    assert!(pages < 9_000, "the log file holds {pages} pages: the log did not start over");
}

/// SQLite's connections (threads of this process, each with its page cache and prepared
/// statements) are kept for the life of the store, not recycled every 30 minutes as sqlx does by
/// default: recycling refilled them in new threads' heaps, and the resident memory of a long
/// soak rose with it (BENCHMARKS.md). PostgreSQL keeps sqlx's recycling.
#[tokio::test]
async fn sqlite_connections_are_kept_for_the_life_of_the_store() {
    let db = sqlite().await;
    let o = db.store.pool().options();
    assert_eq!((o.get_max_lifetime(), o.get_idle_timeout()), (None, None));
    let Some(pg) = postgres().await else { return };
    let o = pg.store.pool().options();
    assert!(o.get_max_lifetime().is_some() && o.get_idle_timeout().is_some());
}
