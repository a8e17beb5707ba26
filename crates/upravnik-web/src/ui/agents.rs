//! Inventory agents (Агенти, issue 4): machines by their last report, discovered machines to
//! confirm, the agent settings, and on an asset the raw last report and the merge of a duplicate.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::asset::{AssetKind, format_label};
use upravnik_core::clock::format_local;
use upravnik_core::inventory::{AgentSettingsInput, Criterion, InventoryView};

use super::assets::{choices, kind_name, status_name};
use super::layout::{Chrome, render};
use super::org::form_page;
use super::view::{Cell, Field, FormView, Opt, Related};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

const PER_PAGE: u32 = 50;
/// The form's rule slots, in order.
const RULE_SLOTS: [&str; 6] = ["rule1", "rule2", "rule3", "rule4", "rule5", "rule6"];

#[derive(Debug, Default, serde::Deserialize)]
pub struct AgentsParams {
    /// Only machines that have not reported for this many days.
    #[serde(default)]
    pub days: Option<String>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub ok: Option<String>,
}

pub struct DiscoveredRow {
    pub id: i64,
    pub number: String,
    pub hostname: String,
    pub make: String,
    pub serial: String,
    pub kinds: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "agents.html")]
pub struct AgentsPage<'a> {
    pub c: Chrome<'a>,
    pub discovered: Vec<DiscoveredRow>,
    pub writable: bool,
    pub next_label: String,
    pub days: String,
    pub rows: Vec<Vec<Cell>>,
    pub total: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

fn kind_options(tr: &Tr<'_>, k: AssetKind) -> Vec<Opt> {
    choices(&[AssetKind::Workstation, AssetKind::Laptop, AssetKind::Server], Some(k), AssetKind::as_str, |k| kind_name(tr, k), None)
}

pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<AgentsParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let days = p.days.as_deref().map(str::trim).filter(|d| !d.is_empty()).and_then(|d| d.parse::<u32>().ok());
    let page = p.page.unwrap_or(1).max(1);
    let machines = st.services.agent_machines(&actor, days, page, PER_PAGE).await?;
    let discovered = st.services.discovered_assets(&actor, 1).await?;
    let writable = actor.can(Permission::AssetsWrite);
    let rows = machines
        .items
        .iter()
        .map(|m| {
            vec![
                Cell::link(m.inventory_number.clone(), format!("/assets/{}", m.asset_id)),
                Cell::text(m.label.map(format_label).unwrap_or_default()),
                Cell::text(m.hostname.clone()),
                Cell::text(m.ip.clone().unwrap_or_default()),
                Cell::text(m.os.clone()),
                Cell::text(status_name(&tr, m.status)),
                Cell::text(format_local(m.last_us)),
                if m.incomplete { Cell { text: tr.t("agents-incomplete"), href: None, class: Some("muted") } } else { Cell::text("") },
            ]
        })
        .collect();
    let days_q = days.map(|d| format!("&days={d}")).unwrap_or_default();
    let page_href = |n: u32| format!("/agents?page={n}{days_q}");
    let page_view = AgentsPage {
        c: Chrome::new(&st, &ctx, "/agents", tr.t("agents-title")).flash(p.ok.as_deref()),
        discovered: discovered
            .items
            .iter()
            .map(|a| DiscoveredRow {
                id: a.id,
                number: a.fields.inventory_number.clone(),
                hostname: a.fields.hostname.clone(),
                make: format!("{} {}", a.fields.manufacturer, a.fields.model).trim().to_string(),
                serial: a.fields.serial.clone(),
                kinds: kind_options(&tr, a.fields.kind),
            })
            .collect(),
        writable,
        next_label: if writable { format_label(st.services.next_label(&actor).await?) } else { String::new() },
        days: days.map(|d| d.to_string()).unwrap_or_default(),
        rows,
        total: machines.total,
        prev_href: (page > 1).then(|| page_href(page - 1)),
        next_href: (i64::from(page) * i64::from(PER_PAGE) < machines.total).then(|| page_href(page + 1)),
    };
    Ok(render(&page_view))
}

/// Confirms a discovered machine from the list's inline form.
pub async fn confirm(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    match st.services.confirm_discovered(&actor, id, &f.get("inventory_number"), &f.get("label"), &f.get("kind")).await {
        Ok(_) => Ok(done(&format!("/assets/{id}"), "saved")),
        Err(Error::Invalid(errs)) => {
            let tr = ctx.tr(&st);
            let a = st.services.asset(&actor, id).await?;
            let mut v = FormView::new(format!("/assets/{id}/confirm"), tr.t("agents-confirm"), confirm_fields(&tr, &f, a.fields.kind))
                .with_errors(&tr, &errs);
            v.cancel_href = Some("/agents".into());
            Ok(form_page(Chrome::new(&st, &ctx, "/agents", tr.t1("agents-confirm-title", "number", a.fields.inventory_number)), v))
        }
        Err(Error::Conflict { field: Some(field), code }) => {
            let tr = ctx.tr(&st);
            let a = st.services.asset(&actor, id).await?;
            let msg = if code == "label_taken" { "err-label-taken" } else { "err-inventory-taken" };
            let mut v = FormView::new(format!("/assets/{id}/confirm"), tr.t("agents-confirm"), confirm_fields(&tr, &f, a.fields.kind))
                .with_errors(&tr, &[upravnik_core::FieldError::new(field, msg)]);
            v.cancel_href = Some("/agents".into());
            Ok(form_page(Chrome::new(&st, &ctx, "/agents", tr.t1("agents-confirm-title", "number", a.fields.inventory_number)), v))
        }
        Err(e) => Err(e.into()),
    }
}

fn confirm_fields(tr: &Tr<'_>, f: &FormData, kind: AssetKind) -> Vec<Field> {
    let chosen = AssetKind::parse(&f.get("kind")).unwrap_or(kind);
    vec![
        Field::new("inventory_number", "text", tr.t("field-inventory-number"), f.get("inventory_number")).required().autofocus(),
        Field::new("label", "text", tr.t("field-label"), f.get("label")),
        Field::select("kind", tr.t("field-kind"), kind_options(tr, chosen)).required(),
    ]
}

// --- the asset page's box ------------------------------------------------------------------------

/// "Инвентар агента" on an asset's page: last report, OS, agents, the raw report.
pub fn inventory_box(tr: &Tr<'_>, id: i64, v: &Option<InventoryView>) -> Related {
    let Some(v) = v else {
        return Related { title: tr.t("inventory-title"), columns: vec![], rows: vec![], empty: tr.t("inventory-none"), more: None };
    };
    let mut rows = vec![
        vec![Cell::text(tr.t("inventory-last")), Cell::text(format_local(v.last_us))],
        vec![Cell::text(tr.t("inventory-last-full")), Cell::text(v.last_full_us.map(format_local).unwrap_or_else(|| "—".into()))],
        vec![Cell::text(tr.t("inventory-os")), Cell::text(v.os.clone())],
    ];
    if v.incomplete {
        rows.push(vec![Cell::text(tr.t("inventory-state")), Cell { text: tr.t("inventory-incomplete"), href: None, class: Some("muted") }]);
    }
    if !v.note.is_empty() {
        rows.push(vec![Cell::text(tr.t("inventory-note")), Cell::text(tr.d(&v.note))]);
    }
    for a in &v.agents {
        let last = a.last_inventory_us.map(format_local).unwrap_or_else(|| format_local(a.last_contact_us));
        rows.push(vec![
            Cell::text(tr.t("inventory-agent")),
            Cell::text(format!("{} — {} ({}: {last})", a.deviceid, a.client, tr.t("inventory-seen"))),
        ]);
    }
    Related {
        title: tr.t("inventory-title"),
        columns: vec![String::new(), String::new()],
        rows,
        empty: String::new(),
        more: Some((format!("/assets/{id}/inventory/raw"), tr.t1("inventory-raw", "size", (v.raw_size / 1024).max(1)))),
    }
}

/// The last report as the agent sent it (decoded), as a download.
pub async fn raw(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let (bytes, format) = st.services.asset_inventory_raw(&actor, id).await?;
    let a = st.services.asset(&actor, id).await?;
    let (ctype, ext) = if format == "xml" { ("application/xml", "xml") } else { ("application/json", "json") };
    let name: String = a.fields.inventory_number.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    Ok((
        [
            (header::CONTENT_TYPE, ctype.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"inventory-{name}.{ext}\"")),
        ],
        bytes,
    )
        .into_response())
}

// --- merge ---------------------------------------------------------------------------------------

pub async fn merge_form(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    merge_page(&st, &ctx, &actor, id, "", &[]).await
}

async fn merge_page(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, into: &str, errs: &[upravnik_core::FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let a = st.services.asset(actor, id).await?;
    let fields = vec![Field::new("into", "text", tr.t("merge-into"), into).required().autofocus().hint(tr.t("merge-into-hint"))];
    let mut v = FormView::new(format!("/assets/{id}/merge"), tr.t("merge-next"), fields).with_errors(&tr, errs);
    v.cancel_href = Some(format!("/assets/{id}"));
    Ok(form_page(Chrome::new(st, ctx, &format!("/assets/{id}"), tr.t1("merge-title", "number", a.fields.inventory_number)), v))
}

/// Two steps: the target's inventory number, then a page that says what will happen and asks
/// to confirm; only the second post merges.
pub async fn merge(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    let tr = ctx.tr(&st);
    let into_number = f.get("into");
    let Some(target) = st.services.asset_by_inventory_number(&actor, &into_number).await? else {
        return merge_page(&st, &ctx, &actor, id, &into_number, &[upravnik_core::FieldError::new("into", "err-merge-target")]).await;
    };
    if !f.flag("confirmed") {
        let a = st.services.asset(&actor, id).await?;
        let fields =
            vec![Field::new("into", "hidden", String::new(), into_number.clone()), Field::new("confirmed", "hidden", String::new(), "1")];
        let mut v = FormView::new(format!("/assets/{id}/merge"), tr.t("merge-action"), fields);
        v.cancel_href = Some(format!("/assets/{id}"));
        v.related.push(Related {
            title: tr.t("merge-what"),
            columns: vec![String::new(), String::new()],
            rows: vec![
                vec![
                    Cell::text(tr.t("merge-from")),
                    Cell::link(format!("{} {}", a.fields.inventory_number, a.fields.hostname), format!("/assets/{id}")),
                ],
                vec![
                    Cell::text(tr.t("merge-into")),
                    Cell::link(format!("{} {}", target.fields.inventory_number, target.fields.hostname), format!("/assets/{}", target.id)),
                ],
            ],
            empty: String::new(),
            more: None,
        });
        v.related.push(Related { title: tr.t("merge-action"), columns: vec![], rows: vec![], empty: tr.t("merge-explain"), more: None });
        return Ok(form_page(
            Chrome::new(&st, &ctx, &format!("/assets/{id}"), tr.t1("merge-title", "number", a.fields.inventory_number)),
            v,
        )
        .into_response());
    }
    match st.services.merge_assets(&actor, id, target.id).await {
        Ok(()) => Ok(done(&format!("/assets/{}", target.id), "saved")),
        Err(Error::Invalid(errs)) => merge_page(&st, &ctx, &actor, id, &into_number, &errs).await,
        Err(e) => Err(e.into()),
    }
}

// --- settings --------------------------------------------------------------------------------------

fn criterion_name(tr: &Tr<'_>, c: Criterion) -> String {
    tr.t(&format!("agent-rule-{}", c.as_str()))
}

fn settings_fields(tr: &Tr<'_>, i: &AgentSettingsInput, has_password: bool) -> Vec<Field> {
    let mut v = vec![];
    for (n, slot) in RULE_SLOTS.iter().enumerate() {
        let chosen = i.rules.get(n).cloned().unwrap_or_default();
        let mut opts = vec![];
        for c in Criterion::DEFAULT {
            for (value, label) in [
                (c.as_str().to_string(), criterion_name(tr, c)),
                (format!("-{}", c.as_str()), tr.t1("agent-rule-off", "rule", criterion_name(tr, c))),
            ] {
                opts.push(Opt { selected: value == chosen, value, label });
            }
        }
        v.push(Field::select(slot, tr.t1("agent-rule-slot", "n", n + 1), opts));
    }
    v.extend([
        Field::new("blacklist_serials", "textarea", tr.t("agent-blacklist-serials"), i.blacklist_serials.clone())
            .hint(tr.t("agent-blacklist-hint")),
        Field::new("blacklist_uuids", "textarea", tr.t("agent-blacklist-uuids"), i.blacklist_uuids.clone()),
        Field::new("blacklist_macs", "textarea", tr.t("agent-blacklist-macs"), i.blacklist_macs.clone()),
        Field::new("username", "text", tr.t("agent-username"), i.username.clone()).hint(tr.t("agent-username-hint")),
        Field::new("password", "password", tr.t("agent-password"), String::new())
            .hint(tr.t(if has_password { "agent-password-keep" } else { "agent-password-hint" }))
            .shown(if has_password { "••••••••".into() } else { String::new() }),
        Field::new("clear_credentials", "checkbox", tr.t("agent-clear-credentials"), ""),
        Field::new("networks", "textarea", tr.t("agent-networks"), i.networks.clone()).hint(tr.t("agent-networks-hint")),
        Field::new("anonymous", "checkbox", tr.t("agent-anonymous"), if i.anonymous { "1" } else { "" }).shown(tr.t(if i.anonymous {
            "yes"
        } else {
            "no"
        })),
        Field::new("confirm", "checkbox", tr.t("agent-settings-confirm"), ""),
    ]);
    v
}

fn settings_input(f: &FormData) -> AgentSettingsInput {
    AgentSettingsInput {
        rules: RULE_SLOTS.iter().map(|s| f.get(s)).filter(|r| !r.is_empty()).collect(),
        blacklist_serials: f.get("blacklist_serials"),
        blacklist_uuids: f.get("blacklist_uuids"),
        blacklist_macs: f.get("blacklist_macs"),
        username: f.get("username"),
        password: f.get("password"),
        clear_credentials: f.flag("clear_credentials"),
        networks: f.get("networks"),
        anonymous: f.flag("anonymous"),
    }
}

fn settings_view(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    i: &AgentSettingsInput,
    has_password: bool,
    errs: &[upravnik_core::FieldError],
) -> UiResult {
    let tr = ctx.tr(st);
    let mut fields = settings_fields(&tr, i, has_password);
    let editable = actor.can(Permission::AssetsWrite);
    if !editable {
        fields.retain(|f| !matches!(f.name.as_ref(), "password" | "clear_credentials" | "confirm"));
    }
    let mut v = FormView::new("/agents/settings", tr.t("save"), fields).with_errors(&tr, errs);
    v.editable = editable;
    v.cancel_href = Some("/agents".into());
    Ok(form_page(Chrome::new(st, ctx, "/agents/settings", tr.t("agent-settings-title")), v))
}

pub async fn settings(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<AgentsParams>) -> UiResult {
    let s = st.services.agent_settings(&actor).await?;
    let i = AgentSettingsInput {
        rules: upravnik_core::inventory::settings::rules_text(&s.rules),
        blacklist_serials: s.blacklist_serials.join("\n"),
        blacklist_uuids: s.blacklist_uuids.join("\n"),
        blacklist_macs: s.blacklist_macs.join("\n"),
        username: s.username.clone(),
        networks: s.networks.join("\n"),
        anonymous: s.anonymous,
        ..Default::default()
    };
    let resp = settings_view(&st, &ctx, &actor, &i, !s.password_hash.is_empty(), &[])?;
    let _ = p;
    Ok(resp)
}

/// Saves only when the confirmation box is ticked: a wrong rule or network turns agents away.
pub async fn settings_save(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = settings_input(&f);
    let has_password = !st.services.agent_settings(&actor).await?.password_hash.is_empty();
    if !f.flag("confirm") {
        return settings_view(&st, &ctx, &actor, &i, has_password, &[upravnik_core::FieldError::new("confirm", "err-agent-confirm")]);
    }
    match st.services.save_agent_settings(&actor, &i).await {
        Ok(_) => Ok(done("/agents", "saved")),
        Err(Error::Invalid(errs)) => settings_view(&st, &ctx, &actor, &i, has_password, &errs),
        Err(Error::Conflict { code: "agent_username_taken", .. }) => {
            settings_view(&st, &ctx, &actor, &i, has_password, &[upravnik_core::FieldError::new("username", "err-agent-username-taken")])
        }
        Err(e) => Err(e.into()),
    }
}
