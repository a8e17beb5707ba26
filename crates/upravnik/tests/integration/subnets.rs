//! IP subnets (R.3) on both databases: validation, overlap, used/free counts that follow the
//! assets' life cycle, the work log; then the pages and the API.

use axum::http::{Method, StatusCode};
use serde_json::json;
use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::asset::{AssetInput, AssetStatus};
use upravnik_core::subnet::SubnetInput;
use upravnik_core::worklog::Filter;

use crate::http::App;
use crate::support::*;

fn net(cidr: &str, name: &str, gateway: &str) -> SubnetInput {
    SubnetInput { cidr: cidr.into(), name: name.into(), vlan: "20".into(), gateway: gateway.into(), note: String::new() }
}

fn host(inv: &str, ip: &str) -> AssetInput {
    AssetInput { kind: "printer".into(), inventory_number: inv.into(), hostname: format!("h{inv}"), ip: ip.into(), ..Default::default() }
}

#[tokio::test]
async fn subnets_count_used_and_free_addresses_and_refuse_overlap() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let users = s.create_subnet(&admin, &net("10.10.1.0/24", "Корисници", "10.10.1.1")).await.unwrap();
        assert_eq!(users.vlan, Some(20));
        for (cidr, why) in [("10.10.1.128/25", "inside"), ("10.10.0.0/16", "around")] {
            let r = s.create_subnet(&admin, &net(cidr, "x", "")).await;
            assert!(matches!(r, Err(Error::Conflict { code: "subnet_overlap", field: Some("cidr") })), "{}: {why}: {r:?}", db.name);
        }
        let r = s.create_subnet(&admin, &net("10.10.2.5/24", "x", "")).await;
        assert!(matches!(r, Err(Error::Invalid(ref e)) if e[0].message == "err-cidr-host-bits"), "{r:?}");
        let r = s.create_subnet(&admin, &net("10.10.2.0/24", "x", "10.10.3.1")).await;
        assert!(matches!(r, Err(Error::Invalid(ref e)) if e[0].message == "err-gateway-outside"), "{r:?}");
        let servers = s.create_subnet(&admin, &net("10.10.0.0/24", "Сервери", "")).await.unwrap();
        // Moving a subnet onto another is refused too; a change of name is not an overlap with itself.
        let r = s.update_subnet(&admin, servers.id, &net("10.10.1.0/25", "Сервери", "")).await;
        assert!(matches!(r, Err(Error::Conflict { code: "subnet_overlap", .. })), "{}", db.name);
        let renamed = s.update_subnet(&admin, servers.id, &net("10.10.0.0/24", "Серверска сала", "10.10.0.1")).await.unwrap();
        assert_eq!(renamed.name, "Серверска сала");

        let a = s.create_asset(&admin, &host("1", "10.10.1.5")).await.unwrap();
        s.create_asset(&admin, &host("2", "10.10.1.6")).await.unwrap();
        s.create_asset(&admin, &host("3", "10.10.9.9")).await.unwrap();
        let u = s.subnet(&admin, users.id).await.unwrap();
        assert_eq!((u.total, u.used, u.free), (254, 2, 251), "{}: the gateway is neither used nor free", db.name);
        assert_eq!(u.used_addresses.iter().map(|x| x.ip.as_str()).collect::<Vec<_>>(), ["10.10.1.5", "10.10.1.6"]);
        assert_eq!(u.used_addresses[0].inventory_number, "1");
        let outside = s.addresses_outside_subnets(&admin).await.unwrap();
        assert_eq!(outside.iter().map(|x| x.ip.as_str()).collect::<Vec<_>>(), ["10.10.9.9"]);

        // A written-off asset no longer holds its address.
        s.set_asset_status(&admin, a.id, AssetStatus::WrittenOff, "Решење 404-1/2026").await.unwrap();
        let u = s.subnet(&admin, users.id).await.unwrap();
        assert_eq!((u.used, u.free), (1, 252), "{}", db.name);
        let list = s.subnets(&admin).await.unwrap();
        assert_eq!(list.iter().map(|u| u.subnet.cidr.as_str()).collect::<Vec<_>>(), ["10.10.0.0/24", "10.10.1.0/24"], "in address order");
        let (ip, subnet) = s.next_free_address(&admin, None).await.unwrap().unwrap();
        assert_eq!((ip.as_str(), subnet.as_str()), ("10.10.0.2", "Серверска сала (10.10.0.0/24)"));

        // Every change is in the work log; reading is for those who see equipment, changing for administrators.
        s.delete_subnet(&admin, servers.id).await.unwrap();
        assert!(matches!(s.subnet(&admin, servers.id).await, Err(Error::NotFound { .. })));
        let log = s.worklog(&admin, Filter { object_kind: Some("subnet".into()), limit: 50, ..Default::default() }).await.unwrap();
        let texts: Vec<&str> = log.iter().map(|e| e.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.starts_with("Дефинисана мрежа 10.10.1.0/24 „Корисници“, VLAN 20")), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Измена мреже 10.10.0.0/24 „Сервери“")), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Обрисана мрежа 10.10.0.0/24")), "{texts:?}");
        let inspector = user_with(&s, &admin, "insp", &[Role::Inspector]).await;
        assert_eq!(s.subnets(&inspector).await.unwrap().len(), 1);
        assert!(matches!(s.create_subnet(&inspector, &net("10.20.0.0/24", "x", "")).await, Err(Error::Forbidden)));
        let employee = user_with(&s, &admin, "emp", &[Role::Employee]).await;
        assert!(matches!(s.subnets(&employee).await, Err(Error::Forbidden)));
    }
}

#[tokio::test]
async fn subnet_pages_and_api() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        app.login("admin", ADMIN_PW).await;
        let a = s.create_asset(&admin, &host("000777", "10.30.0.7")).await.unwrap();

        let list = app.get("/subnets").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Још није дефинисана ниједна мрежа") && list.body.contains("10.30.0.7"), "outside any subnet");
        assert!(list.body.contains(">Мреже</a>"), "the Equipment area's second row");
        let created =
            app.post("/subnets", &[("cidr", "10.30.0.0/28"), ("name", "Лабораторија"), ("vlan", "7"), ("gateway", "10.30.0.1")]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let page = created.location.split('?').next().unwrap().to_string();
        let show = app.get(&page).await;
        assert_eq!(show.status, StatusCode::OK);
        assert!(show.body.contains(&format!("href=\"/assets/{}\" title=\"10.30.0.7 — 000777 h000777\"", a.id)), "{}", show.body);
        assert!(show.body.contains("<code>10.30.0.2</code>"), "first free addresses");
        assert!(show.body.contains("class=\"gateway\""));
        assert!(show.body.contains("10.30.0.15"), "broadcast");
        assert!(show.body.contains("Дефинисана мрежа 10.30.0.0/28 „Лабораторија“, VLAN 7, мрежни пролаз 10.30.0.1"), "its work log");
        let overlap = app.post("/subnets", &[("cidr", "10.30.0.8/29"), ("name", "x")]).await;
        assert_eq!(overlap.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(overlap.body.contains("Мрежа се преклапа са другом мрежом овог органа."));
        let list = app.get("/subnets").await;
        assert!(list.body.contains("Лабораторија") && list.body.contains("Све адресе активних средстава припадају"));
        // The asset form offers the next free address.
        assert!(app.get("/assets/new").await.body.contains("Следећа слободна адреса: 10.30.0.2"));
        assert_eq!(app.get(&format!("{page}/edit")).await.status, StatusCode::OK);
        let saved = app.post(&page, &[("cidr", "10.30.0.0/28"), ("name", "Лаб"), ("gateway", "10.30.0.14")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert!(app.get(&page).await.body.contains("<h1>10.30.0.0/28 Лаб</h1>"));
        let deleted = app.post(&format!("{page}/delete"), &[]).await;
        assert_eq!((deleted.status, deleted.location.as_str()), (StatusCode::SEE_OTHER, "/subnets?ok=deleted"));
        assert_eq!(app.get(&page).await.status, StatusCode::NOT_FOUND);

        // API
        let (_, token) = s.create_api_token(&admin, "мреже").await.unwrap();
        let (st, body) = app
            .api(
                Method::POST,
                "/api/v1/subnets",
                &token,
                Some(json!({"cidr": "10.30.0.0/24", "name": "LAN", "vlan": 30, "gateway": "10.30.0.1"})),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        assert_eq!((body["used"].as_u64(), body["free"].as_u64(), body["total"].as_u64()), (Some(1), Some(252), Some(254)));
        assert_eq!(body["used_addresses"][0]["ip"], "10.30.0.7");
        assert_eq!(body["vlan"], 30);
        let id = body["id"].as_i64().unwrap();
        let (st, body) = app.api(Method::POST, "/api/v1/subnets", &token, Some(json!({"cidr": "10.30.0.0/25", "name": "x"}))).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("subnet_overlap")));
        let (st, body) = app.api(Method::POST, "/api/v1/subnets", &token, Some(json!({"cidr": "10.30.1.0/8", "name": "x"}))).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_input")), "{body}");
        s.set_asset_status(&admin, a.id, AssetStatus::WrittenOff, "Решење 1").await.unwrap();
        let (st, body) = app.api(Method::GET, &format!("/api/v1/subnets/{id}"), &token, None).await;
        assert_eq!((st, body["used"].as_u64(), body["free"].as_u64()), (StatusCode::OK, Some(0), Some(253)), "{body}");
        let (st, body) =
            app.api(Method::PUT, &format!("/api/v1/subnets/{id}"), &token, Some(json!({"cidr": "10.30.0.0/24", "name": "LAN 2"}))).await;
        assert_eq!((st, body["name"].as_str(), body["gateway"].as_str()), (StatusCode::OK, Some("LAN 2"), None));
        let (st, body) = app.api(Method::GET, "/api/v1/subnets", &token, None).await;
        assert_eq!((st, body["items"].as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
        let (st, _) = app.api(Method::DELETE, &format!("/api/v1/subnets/{id}"), &token, None).await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        let (st, _) = app.api(Method::GET, &format!("/api/v1/subnets/{id}"), &token, None).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    }
}
