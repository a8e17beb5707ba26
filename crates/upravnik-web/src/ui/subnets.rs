//! IP subnets (Мреже, R.3): the office's networks with used / free / total host addresses, each
//! network's address grid, and forms to define, change and remove them.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use std::net::Ipv4Addr;
use upravnik_core::Error;
use upravnik_core::access::Permission;
use upravnik_core::subnet::{AssetAddress, SubnetInput, SubnetUsage, first_free};

use super::layout::{Chrome, render};
use super::org::form_page;
use super::view::{Button, Cell, Field, FormView, ListParams, Related};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

/// Networks up to this many hosts are drawn address by address (a /22).
const GRID_MAX_HOSTS: u32 = 1022;
const FIRST_FREE: usize = 10;

pub struct SubnetRow {
    pub href: String,
    pub cidr: String,
    pub name: String,
    pub vlan: String,
    pub gateway: String,
    pub used: u32,
    pub free: u32,
    pub total: u32,
}

#[derive(Template)]
#[template(path = "subnets.html")]
pub struct ListPage<'a> {
    pub c: Chrome<'a>,
    pub rows: Vec<SubnetRow>,
    pub outside: Vec<Vec<Cell>>,
    pub new_href: Option<String>,
}

pub struct IpCell {
    pub text: String,
    pub title: String,
    pub class: &'static str,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "subnet.html")]
pub struct ShowPage<'a> {
    pub c: Chrome<'a>,
    pub facts: Vec<(String, String)>,
    pub used: Vec<Vec<Cell>>,
    pub free: Vec<String>,
    pub grid: Vec<IpCell>,
    pub edit_href: Option<String>,
    pub delete: Option<Button>,
    /// The subnet's work-log entries, for those who read the log.
    pub history: Option<Related>,
}

fn address_rows(tr: &Tr<'_>, list: &[AssetAddress]) -> Vec<Vec<Cell>> {
    list.iter()
        .map(|a| {
            vec![
                Cell::text(a.ip.clone()),
                Cell::link(a.inventory_number.clone(), format!("/assets/{}", a.asset_id)),
                Cell::text(tr.d(&a.hostname)),
            ]
        })
        .collect()
}

pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let all = st.services.subnets(&actor).await?;
    let rows = all
        .iter()
        .map(|u| SubnetRow {
            href: format!("/subnets/{}", u.subnet.id),
            cidr: u.subnet.cidr.clone(),
            name: tr.d(&u.subnet.name),
            vlan: u.subnet.vlan.map(|v| v.to_string()).unwrap_or_default(),
            gateway: u.subnet.gateway.clone().unwrap_or_default(),
            used: u.used,
            free: u.free,
            total: u.total,
        })
        .collect();
    let outside = address_rows(&tr, &st.services.addresses_outside_subnets(&actor).await?);
    let c = Chrome::new(&st, &ctx, "/subnets", tr.t("subnets-title")).flash(p.ok.as_deref());
    let new_href = actor.can(Permission::AssetsWrite).then(|| "/subnets/new".to_string());
    Ok(render(&ListPage { c, rows, outside, new_href }))
}

/// The part of an address that varies within the network, for the grid's cells.
fn short(ip: Ipv4Addr, prefix: u8) -> String {
    let o = ip.octets();
    if prefix >= 24 { o[3].to_string() } else { format!("{}.{}", o[2], o[3]) }
}

fn grid(u: &SubnetUsage, tr: &Tr<'_>) -> Vec<IpCell> {
    let Ok(net) = u.subnet.network() else { return vec![] };
    if net.host_count() > GRID_MAX_HOSTS {
        return vec![];
    }
    let gateway = u.subnet.gateway.as_deref().and_then(|g| g.parse::<Ipv4Addr>().ok());
    let used: std::collections::HashMap<&str, &AssetAddress> = u.used_addresses.iter().map(|a| (a.ip.as_str(), a)).collect();
    let mut cells = vec![IpCell {
        text: short(net.network, net.prefix),
        title: format!("{} — {}", net.network, tr.t("field-network")),
        class: "reserved",
        href: None,
    }];
    for ip in net.hosts() {
        let s = ip.to_string();
        let cell = match used.get(s.as_str()) {
            Some(a) => IpCell {
                text: short(ip, net.prefix),
                title: format!("{s} — {} {}", a.inventory_number, tr.d(&a.hostname)).trim().to_string(),
                class: "used",
                href: Some(format!("/assets/{}", a.asset_id)),
            },
            None if Some(ip) == gateway => {
                IpCell { text: short(ip, net.prefix), title: format!("{s} — {}", tr.t("field-gateway")), class: "gateway", href: None }
            }
            None => IpCell { text: short(ip, net.prefix), title: format!("{s} — {}", tr.t("field-free")), class: "free", href: None },
        };
        cells.push(cell);
    }
    cells.push(IpCell {
        text: short(net.broadcast(), net.prefix),
        title: format!("{} — {}", net.broadcast(), tr.t("field-broadcast")),
        class: "reserved",
        href: None,
    });
    cells
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    let tr = ctx.tr(&st);
    let u = st.services.subnet(&actor, id).await?;
    let net = u.subnet.network()?;
    let s = &u.subnet;
    let facts = vec![
        (tr.t("field-cidr"), s.cidr.clone()),
        (tr.t("field-name"), tr.d(&s.name)),
        (tr.t("field-vlan"), s.vlan.map(|v| v.to_string()).unwrap_or_default()),
        (tr.t("field-gateway"), s.gateway.clone().unwrap_or_default()),
        (tr.t("field-network"), net.network.to_string()),
        (tr.t("field-broadcast"), net.broadcast().to_string()),
        (tr.t("field-used"), u.used.to_string()),
        (tr.t("field-free"), u.free.to_string()),
        (tr.t("field-total"), u.total.to_string()),
        (tr.t("field-note"), tr.d(&s.note)),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let writable = actor.can(Permission::AssetsWrite);
    let history = super::org::history(&st, &actor, &tr, "subnet", id).await?;
    let page = ShowPage {
        c: Chrome::new(&st, &ctx, &format!("/subnets/{id}"), format!("{} {}", s.cidr, tr.d(&s.name))).flash(p.ok.as_deref()),
        facts,
        used: address_rows(&tr, &u.used_addresses),
        free: first_free(&u, net, FIRST_FREE).iter().map(|ip| ip.to_string()).collect(),
        grid: grid(&u, &tr),
        edit_href: writable.then(|| format!("/subnets/{id}/edit")),
        delete: writable.then(|| Button {
            action: format!("/subnets/{id}/delete"),
            label: tr.t("subnet-delete"),
            class: "danger",
            confirm: Some(tr.t1("confirm-subnet-delete", "cidr", s.cidr.clone())),
        }),
        history,
    };
    Ok(render(&page))
}

fn fields(tr: &Tr<'_>, s: &SubnetInput) -> Vec<Field> {
    vec![
        Field::new("cidr", "text", tr.t("field-cidr"), s.cidr.clone()).required().autofocus().hint(tr.t("hint-cidr")),
        Field::new("name", "text", tr.t("field-name"), s.name.clone()).required(),
        Field::new("vlan", "text", tr.t("field-vlan"), s.vlan.clone()).hint(tr.t("hint-vlan")),
        Field::new("gateway", "text", tr.t("field-gateway"), s.gateway.clone()).hint(tr.t("hint-gateway")),
        Field::new("note", "textarea", tr.t("field-note"), s.note.clone()),
    ]
}

fn input(f: &FormData) -> SubnetInput {
    SubnetInput { cidr: f.get("cidr"), name: f.get("name"), vlan: f.get("vlan"), gateway: f.get("gateway"), note: f.get("note") }
}

/// Validation errors and an overlap, each next to its field.
fn field_errors(e: Error) -> Result<Vec<upravnik_core::FieldError>, Error> {
    match e {
        Error::Invalid(errs) => Ok(errs),
        Error::Conflict { code: "subnet_overlap", .. } => Ok(vec![upravnik_core::FieldError::new("cidr", "err-subnet-overlap")]),
        other => Err(other),
    }
}

fn form(st: &AppState, ctx: &Ctx, id: Option<i64>, s: &SubnetInput, errs: &[upravnik_core::FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let (action, path, title, cancel) = match id {
        Some(id) => (format!("/subnets/{id}"), format!("/subnets/{id}"), tr.t("subnet-edit"), format!("/subnets/{id}")),
        None => ("/subnets".to_string(), "/subnets/new".to_string(), tr.t("subnets-new"), "/subnets".to_string()),
    };
    let mut v = FormView::new(action, tr.t("save"), fields(&tr, s)).with_errors(&tr, errs);
    v.cancel_href = Some(cancel);
    Ok(form_page(Chrome::new(st, ctx, &path, title), v))
}

pub async fn new(State(st): State<AppState>, ctx: Ctx, Signed(_actor): Signed) -> UiResult {
    form(&st, &ctx, None, &SubnetInput::default(), &[])
}

pub async fn create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let s = input(&f);
    match st.services.create_subnet(&actor, &s).await {
        Ok(created) => Ok(done(&format!("/subnets/{}", created.id), "created")),
        Err(e) => form(&st, &ctx, None, &s, &field_errors(e)?),
    }
}

fn input_of(u: &SubnetUsage) -> SubnetInput {
    let s = &u.subnet;
    SubnetInput {
        cidr: s.cidr.clone(),
        name: s.name.clone(),
        vlan: s.vlan.map(|v| v.to_string()).unwrap_or_default(),
        gateway: s.gateway.clone().unwrap_or_default(),
        note: s.note.clone(),
    }
}

pub async fn edit(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let u = st.services.subnet(&actor, id).await?;
    form(&st, &ctx, Some(id), &input_of(&u), &[])
}

pub async fn update(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    let s = input(&f);
    match st.services.update_subnet(&actor, id, &s).await {
        Ok(_) => Ok(done(&format!("/subnets/{id}"), "saved")),
        Err(e) => form(&st, &ctx, Some(id), &s, &field_errors(e)?),
    }
}

/// Removes the definition (the assets keep their addresses); the button asks first.
pub async fn delete(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.delete_subnet(&actor, id).await?;
    Ok(done("/subnets", "deleted"))
}
