//! The knowledge base (R.47–R.51) on both databases: search in either script ranked by the
//! title, drafts hidden from employees, suggestions for the fault form, the Rulebook's ready
//! articles, the work log; then the pages and the API.

use axum::http::{Method, StatusCode};
use serde_json::json;
use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::knowledge::ArticleInput;
use upravnik_core::worklog::Filter;

use crate::http::App;
use crate::support::*;

fn art(title: &str, body: &str, tags: &[&str], published: bool) -> ArticleInput {
    ArticleInput {
        title: title.into(),
        body: body.into(),
        category: "Штампачи".into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        published,
    }
}

fn titles(items: &[upravnik_core::knowledge::Article]) -> Vec<&str> {
    items.iter().map(|a| a.title.as_str()).collect()
}

#[tokio::test]
async fn knowledge_base_search_drafts_suggestions_and_the_rulebook() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        let employee = user_with(&s, &admin, "emp", &[Role::Employee]).await;
        let inspector = user_with(&s, &admin, "insp", &[Role::Inspector]).await;

        let jam = s
            .create_kb_article(
                &admin,
                &art("Заглавио се папир у штампачу", "1. Отворите штампач.\n2. Извуците папир полако.", &["папир"], true),
            )
            .await
            .unwrap();
        clock.advance_secs(60);
        // Newer, and mentions the printer only in its text: it must still come after the title match.
        let _toner = s
            .create_kb_article(&admin, &art("Замена тонера", "Тонер се мења кад штампач јави да је празан.", &["тонер"], true))
            .await
            .unwrap();
        clock.advance_secs(60);
        let draft = s.create_kb_article(&admin, &art("Нови мрежни штампач", "Још се пише.", &[], false)).await.unwrap();
        assert_eq!((jam.author_name.as_str(), jam.published, draft.published), ("Милан Стојановић", true, false));

        // Either script, with or without diacritics, finds the Cyrillic text; the title ranks first.
        for q in ["stampac", "štampač", "ШТАМПАЧ", "штампача", "Stampaca"] {
            let found = s.kb_articles(&employee, q, None, 1, 20).await.unwrap();
            assert_eq!(titles(&found.items), ["Заглавио се папир у штампачу", "Замена тонера"], "{}: {q}", db.name);
            assert_eq!(found.total, 2, "{}: the draft is not counted for an employee", db.name);
        }
        // Every word must match in the list's search.
        assert_eq!(titles(&s.kb_articles(&employee, "papir stampac", None, 1, 20).await.unwrap().items), ["Заглавио се папир у штампачу"]);
        assert!(s.kb_articles(&employee, "papir grmljavina", None, 1, 20).await.unwrap().items.is_empty());
        // Administrators and the inspector see the draft; employees get "not found".
        assert_eq!(s.kb_articles(&admin, "stampac", None, 1, 20).await.unwrap().total, 3);
        assert_eq!(s.kb_articles(&inspector, "", None, 1, 20).await.unwrap().total, 3);
        assert!(matches!(s.kb_article(&employee, draft.id).await, Err(Error::NotFound { .. })), "{}", db.name);
        assert_eq!(s.kb_article(&inspector, draft.id).await.unwrap().title, "Нови мрежни штампач");
        // Only administrators write.
        for who in [&employee, &inspector] {
            assert!(matches!(s.create_kb_article(who, &art("x", "y", &[], true)).await, Err(Error::Forbidden)));
            assert!(matches!(s.update_kb_article(who, jam.id, &art("x", "y", &[], true)).await, Err(Error::Forbidden)));
            assert!(matches!(s.add_rulebook_articles(who).await, Err(Error::Forbidden)));
        }
        // A tag (or the area) filters, whole and in either script.
        assert_eq!(titles(&s.kb_articles(&employee, "", Some("toner"), 1, 20).await.unwrap().items), ["Замена тонера"]);
        assert_eq!(s.kb_articles(&employee, "", Some("Štampači"), 1, 20).await.unwrap().total, 2);
        assert_eq!(s.kb_articles(&employee, "", Some("тон"), 1, 20).await.unwrap().total, 0, "a tag matches whole");
        // Validation errors name the fields.
        let r = s.create_kb_article(&admin, &art(" ", "", &[], true)).await;
        assert!(matches!(r, Err(Error::Invalid(ref e)) if e.len() == 2), "{r:?}");

        // Suggestions: any word of a sentence counts, published only (even for the administrator).
        let sug = s.kb_suggest(&employee, "Када штампам, папир се заглави и гужва").await.unwrap();
        assert_eq!(sug.first().map(|x| x.id), Some(jam.id), "{}: {sug:?}", db.name);
        assert_eq!(sug.first().map(|x| x.url.clone()), Some(format!("/kb/{}", jam.id)));
        assert!(sug.iter().all(|x| x.id != draft.id));
        assert!(s.kb_suggest(&admin, "mrezni").await.unwrap().is_empty(), "{}: the draft is not suggested", db.name);
        assert!(s.kb_suggest(&employee, "не ради").await.unwrap().is_empty(), "common words alone suggest nothing");

        // Publishing the draft: the employee sees it, the log says so.
        clock.advance_secs(60);
        let published = s.update_kb_article(&admin, draft.id, &art("Нови мрежни штампач", "Још се пише.", &[], true)).await.unwrap();
        assert!(published.published && published.updated_us > draft.updated_us);
        assert_eq!(s.kb_article(&employee, draft.id).await.unwrap().id, draft.id);
        let same = s.update_kb_article(&admin, draft.id, &art("Нови мрежни штампач", "Још се пише.", &[], true)).await.unwrap();
        assert_eq!(same.updated_us, published.updated_us, "no change, no new version");
        let log = s.worklog(&admin, Filter { object_kind: Some("kb_article".into()), limit: 50, ..Default::default() }).await.unwrap();
        let texts: Vec<&str> = log.iter().map(|e| e.text.as_str()).collect();
        assert!(texts.contains(&"Написан чланак базе знања „Нови мрежни штампач“ (нацрт)"), "{texts:?}");
        assert!(texts.contains(&"Измењен чланак базе знања „Нови мрежни штампач“: објављен"), "{texts:?}");
        assert_eq!(texts.len(), 4, "{}: three articles and one change; the unchanged save wrote nothing", db.name);

        // The Rulebook's ready articles: once, published, each in the log; Latin finds them.
        let added = s.add_rulebook_articles(&admin).await.unwrap();
        assert_eq!(added.len(), upravnik_core::knowledge::rulebook::ARTICLES.len());
        assert!(s.add_rulebook_articles(&admin).await.unwrap().is_empty(), "{}: a second click adds nothing", db.name);
        let storm = s.kb_articles(&employee, "grmljavina", None, 1, 20).await.unwrap();
        assert_eq!(titles(&storm.items), ["Пре невремена и грмљавине"], "{}", db.name);
        assert_eq!(storm.items[0].source.as_deref(), Some("R.49"));
        let frozen = s.kb_suggest(&employee, "računar se zamrznuo i ne reaguje na miš").await.unwrap();
        assert_eq!(frozen.first().map(|x| x.title.as_str()), Some("Рачунар се заледио и не реагује на тастатуру и миш"), "{frozen:?}");
        assert!(frozen.len() <= 5);
        let log = s.worklog(&admin, Filter { object_kind: Some("kb_article".into()), limit: 50, ..Default::default() }).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.text.starts_with("Додат чланак базе знања из Правилника")).count(), added.len());

        // Pages of twenty, newest change first.
        let all = s.kb_articles(&employee, "", None, 1, 20).await.unwrap();
        assert_eq!(all.total, 3 + added.len() as i64);
        let second = s.kb_articles(&employee, "", None, 2, 5).await.unwrap();
        assert_eq!(second.items.len(), 5);
        assert_eq!(second.items[0].id, all.items[5].id);

        // Another office sees none of it.
        let other = s.create_office("Општина Бор").await.unwrap();
        let mut elsewhere = admin.clone();
        elsewhere.offices.push(other.id);
        assert!(elsewhere.switch_office(other.id));
        assert_eq!(s.kb_articles(&elsewhere, "", None, 1, 20).await.unwrap().total, 0);
        assert!(matches!(s.kb_article(&elsewhere, jam.id).await, Err(Error::NotFound { .. })));
        assert!(s.kb_suggest(&elsewhere, "zaglavio papir").await.unwrap().is_empty());
        assert_eq!(s.add_rulebook_articles(&elsewhere).await.unwrap().len(), added.len(), "each office gets its own copy");
    }
}

#[tokio::test]
async fn knowledge_base_pages_and_api() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        user_with(&s, &admin, "emp", &[Role::Employee]).await;
        app.login("admin", ADMIN_PW).await;
        let mut emp = App { router: app.router.clone(), cookie: String::new(), csrf: String::new() };
        emp.login("emp", "plava8reka").await;

        // An empty base: the employee is told to ask; the administrator is offered the Rulebook's articles.
        let e = emp.get("/kb").await;
        assert_eq!(e.status, StatusCode::OK);
        // Under "Пријаве кварова" (UI.md): that area is current, the base is its current link;
        // the employee gets no link to the monthly figures or the targets.
        assert!(e.body.contains("href=\"/kb\" aria-current=\"page\">База знања</a>"), "{}", e.body);
        assert!(e.body.contains("href=\"/reports\" aria-current=\"page\">Пријаве кварова</a>"));
        assert!(!e.body.contains("href=\"/reports/stats\""));
        let stats = app.get("/reports/stats").await;
        assert!(stats.body.contains("href=\"/reports/stats\" aria-current=\"page\">Извештај о раду</a>"), "{}", stats.body);
        assert!(stats.body.contains("href=\"/reports\">Пријаве</a>"), "the list is not current on the figures' page");
        assert!(e.body.contains("Администратори још нису написали") && !e.body.contains("/kb/rulebook") && !e.body.contains("/kb/new"));
        let a = app.get("/kb").await;
        assert!(a.body.contains("Додај упутства из Правилника") && a.body.contains("action=\"/kb/rulebook\""), "{}", a.body);
        let r = app.post("/kb/rulebook", &[]).await;
        assert_eq!((r.status, r.location.as_str()), (StatusCode::SEE_OTHER, "/kb?ok=created"));
        let list = emp.get("/kb").await;
        assert!(list.body.contains("Пре невремена и грмљавине") && list.body.contains("8 чланака"), "{}", list.body);
        assert!(!list.body.contains("Додај упутства из Правилника"));
        let found = emp.get("/kb?q=zaglavio").await;
        assert!(found.body.contains("Заглавио се папир у ласерском штампачу") && found.body.contains("1 чланак"), "{}", found.body);
        assert!(emp.get("/kb?q=ksilofon").await.body.contains("Ништа не одговара претрази"));
        assert!(emp.get("/kb?tag=%D1%82%D0%BE%D0%BD%D0%B5%D1%80").await.body.contains("Ознака: тонер"));

        // Writing: errors next to the fields, then a body rendered as text, never markup.
        assert_eq!(app.get("/kb/new").await.status, StatusCode::OK);
        let bad = app.post("/kb", &[("title", ""), ("body", "")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Наслов: Обавезно поље."), "{}", bad.body);
        let body = "## Пре позива\n- Проверите кабл\n- Проверите папир\n\n1. Искључите\n2. Укључите\n\n! Не отварајте кућиште <script>alert(1)</script>";
        let created =
            app.post("/kb", &[("title", "Скенер не скенира"), ("category", "Скенери"), ("tags", "скенер, USB"), ("body", body)]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let page = created.location.split('?').next().unwrap().to_string();
        let id: i64 = page.trim_start_matches("/kb/").parse().unwrap();
        let show = app.get(&page).await;
        assert!(
            show.body.contains("<h2>Пре позива</h2>")
                && show.body.contains("<li>Проверите кабл</li>")
                && show.body.contains("<ol><li>Искључите</li>")
        );
        assert!(
            show.body.contains("class=\"kb-warning\"")
                && show.body.contains("&#60;script&#62;alert(1)")
                && !show.body.contains("<script>alert"),
            "{}",
            show.body
        );
        assert!(show.body.contains("Нацрт") && show.body.contains("Написан чланак базе знања „Скенер не скенира“ (нацрт)"), "its log");
        assert_eq!(emp.get(&page).await.status, StatusCode::NOT_FOUND, "a draft is not there for employees");
        assert_eq!(emp.get(&format!("{page}/edit")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&format!("{page}/edit")).await.status, StatusCode::OK);
        let saved = app.post(&page, &[("title", "Скенер не скенира"), ("body", body), ("tags", "скенер"), ("published", "1")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let seen = emp.get(&page).await;
        assert!(seen.status == StatusCode::OK && !seen.body.contains(&format!("/kb/{id}/edit")), "published; no edit link for employees");
        let print = emp.get(&format!("{page}/print")).await;
        assert_eq!(print.status, StatusCode::OK);
        assert!(
            print.body.contains("Градска управа града Зајечара") && print.body.contains("<h1>Скенер не скенира</h1>"),
            "{}",
            print.body
        );
        assert!(!print.body.contains("class=\"areas\""), "no navigation on the printed page");
        assert!(print.body.contains("data-print hidden"), "the print button waits for JavaScript");

        // API: suggestions for the fault form, reading, writing.
        let (_, admin_token) = s.create_api_token(&admin, "kb").await.unwrap();
        let employee = s.store.actor(s.store.login_record("emp").await.unwrap().unwrap().user_id).await.unwrap();
        let (_, emp_token) = s.create_api_token(&employee, "kb").await.unwrap();
        let (st, body) =
            app.api(Method::GET, "/api/v1/kb/suggest?q=%C5%A1tampa%C4%8D%20ne%20%C5%A1tampa%20papir%20zaglavljen", &emp_token, None).await;
        assert_eq!(st, StatusCode::OK, "{body}");
        let items = body["items"].as_array().unwrap();
        assert!(!items.is_empty() && items.len() <= 5, "{body}");
        assert_eq!(items[0]["title"], "Заглавио се папир у ласерском штампачу", "{body}");
        assert!(items[0]["url"].as_str().unwrap().starts_with("/kb/") && items[0]["excerpt"].as_str().unwrap().len() > 10);
        // The fault form calls it with the employee's session cookie, as the page does.
        let by_cookie = emp.get("/api/v1/kb/suggest?q=grmljavina").await;
        assert!(by_cookie.status == StatusCode::OK && by_cookie.body.contains("Пре невремена и грмљавине"), "{}", by_cookie.body);
        let (st, body) = app.api(Method::GET, "/api/v1/kb/suggest?q=", &emp_token, None).await;
        assert_eq!((st, body["items"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
        let (st, body) = app.api(Method::GET, "/api/v1/kb?q=grmljavina", &emp_token, None).await;
        assert_eq!((st, body["total"].as_i64()), (StatusCode::OK, Some(1)), "{body}");
        let (st, body) = app
            .api(Method::POST, "/api/v1/kb", &admin_token, Some(json!({"title": "VPN", "body": "Uputstvo.", "tags": "vpn, mreža"})))
            .await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        assert_eq!((body["published"].as_bool(), body["tags"][1].as_str()), (Some(false), Some("mreža")));
        let vpn = body["id"].as_i64().unwrap();
        let (st, _) = app.api(Method::GET, &format!("/api/v1/kb/{vpn}"), &emp_token, None).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, body) = app
            .api(
                Method::PUT,
                &format!("/api/v1/kb/{vpn}"),
                &admin_token,
                Some(json!({"title": "VPN", "body": "Uputstvo.", "published": true})),
            )
            .await;
        assert_eq!((st, body["published"].as_bool()), (StatusCode::OK, Some(true)));
        let (st, body) = app.api(Method::GET, &format!("/api/v1/kb/{vpn}"), &emp_token, None).await;
        assert_eq!((st, body["title"].as_str()), (StatusCode::OK, Some("VPN")));
        let (st, body) = app.api(Method::POST, "/api/v1/kb", &admin_token, Some(json!({"title": "", "body": "x"}))).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_input")));
        let (st, body) = app.api(Method::POST, "/api/v1/kb", &emp_token, Some(json!({"title": "x", "body": "y"}))).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
        let (st, body) = app.api(Method::POST, "/api/v1/kb/rulebook", &admin_token, None).await;
        assert_eq!((st, body["added"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
    }
}

#[tokio::test]
async fn articles_are_offered_on_a_report_and_linked_for_its_reporter() {
    for db in databases().await {
        let (mut adm, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let ana = crate::helpdesk::staff(&s, &admin, None, "Ана", "ana", &[Role::Employee]).await;
        let paper =
            s.create_kb_article(&admin, &art("Папир се заглавио у штампачу", "Отворите задња врата.", &["штампач"], true)).await.unwrap();
        let draft = s.create_kb_article(&admin, &art("Штампач: нови драјвер", "Нацрт.", &[], false)).await.unwrap();
        let r = s
            .create_report(&ana, &upravnik_core::helpdesk::ReportInput { title: "Штампач гужва папир".into(), ..Default::default() })
            .await
            .unwrap();

        // The administrator is offered what fits; the reporter is not offered anything.
        adm.login("admin", ADMIN_PW).await;
        let page = adm.get(&format!("/reports/{}", r.id)).await;
        assert!(
            page.body.contains("Упутства која одговарају пријави") && page.body.contains("Папир се заглавио у штампачу"),
            "{}",
            db.name
        );
        let (mut emp, _) = App::new(&db).await;
        emp.login("ana", "plava8reka").await;
        assert!(!emp.get(&format!("/reports/{}", r.id)).await.body.contains("Упутства из базе знања"), "{}", db.name);

        // Linked once (twice is once), then the reporter sees it; drafts are not linked.
        let done = adm.post(&format!("/reports/{}/kb", r.id), &[("article_id", &paper.id.to_string())]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}: {}", db.name, done.body);
        s.link_report_article(&admin, r.id, paper.id).await.unwrap();
        let refused = s.link_report_article(&admin, r.id, draft.id).await;
        assert!(matches!(&refused, Err(Error::Invalid(e)) if e[0].message == "err-kb-not-published"), "{refused:?}");
        assert!(matches!(s.link_report_article(&ana, r.id, paper.id).await, Err(Error::Forbidden)));
        let page = emp.get(&format!("/reports/{}", r.id)).await;
        assert!(page.body.contains("Упутства из базе знања") && page.body.contains(&format!("href=\"/kb/{}\"", paper.id)), "{}", page.body);
        let (_, token) = s.create_api_token(&ana, "t").await.unwrap();
        let (st, linked) = emp.api(Method::GET, &format!("/api/v1/reports/{}/kb", r.id), &token, None).await;
        assert_eq!((st, linked.as_array().map(Vec::len)), (StatusCode::OK, Some(1)), "{}", db.name);
        let (st, _) = emp.api(Method::POST, &format!("/api/v1/reports/{}/kb", r.id), &token, Some(json!({"article_id": paper.id}))).await;
        assert_eq!(st, StatusCode::FORBIDDEN);

        let log: Vec<String> = s
            .worklog(&admin, Filter { object_kind: Some("fault_report".into()), limit: 20, ..Default::default() })
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.text)
            .collect();
        assert_eq!(
            log.iter().filter(|t| t.contains("повезано упутство из базе знања „Папир се заглавио у штампачу“")).count(),
            1,
            "{log:#?}"
        );
    }
}
