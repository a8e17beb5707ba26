//! Documents on the network (R.38–R.46): the shares scanned, each with the trend of its scans, its
//! units, and the findings of the latest scan (exported as XLSX like every list).

use askama::Template;
use axum::extract::{Path, Query, State};
use upravnik_core::clock::format_local;
use upravnik_core::shares::Violation;

use super::layout::{Chrome, render};
use super::org::list_or_export;
use super::view::{Cell, ListParams, ListView};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

/// A finding as people read it, from its stored JSON.
pub fn describe(tr: &Tr<'_>, detail: &str) -> String {
    match serde_json::from_str::<Violation>(detail) {
        Ok(Violation::Forbidden { chars }) => tr.t1("share-rule-forbidden", "chars", chars),
        Ok(Violation::PathTooLong { len, max }) => tr.ta("share-rule-path_too_long", &[("len", len.to_string()), ("max", max.to_string())]),
        Ok(Violation::PrivateFile { ext, size }) => {
            tr.ta("share-rule-private_file", &[("ext", ext), ("mb", (size / 1_000_000).to_string())])
        }
        Ok(Violation::LeadingWord { word, used }) => tr.ta("share-rule-leading_word", &[("word", word), ("used", used)]),
        Ok(v) => tr.t(&format!("share-rule-{}", v.code())),
        Err(_) => detail.to_string(),
    }
}

/// `GET /shares`: every share with its latest scan and the change since the one before.
pub async fn shares(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let rows = st
        .services
        .shares(&actor)
        .await?
        .into_iter()
        .map(|s| {
            let href = format!("/shares/{}", s.id);
            let (last, files, violations, trend) = match (s.scans.first(), s.scans.get(1)) {
                (Some(l), prev) => (
                    format_local(l.scanned_us),
                    l.files.to_string(),
                    l.violations.to_string(),
                    prev.map(|p| {
                        let d = l.violations - p.violations;
                        Cell {
                            text: format!("{d:+}"),
                            href: None,
                            class: Some(if d > 0 {
                                "error"
                            } else if d < 0 {
                                "ok"
                            } else {
                                "muted"
                            }),
                        }
                    }),
                ),
                (None, _) => (String::new(), String::new(), String::new(), None),
            };
            vec![
                Cell::link(tr.d(&s.name), href),
                Cell::text(s.root),
                Cell::text(last),
                Cell::text(files),
                Cell::text(violations),
                trend.unwrap_or_else(|| Cell::text("—")),
            ]
        })
        .collect::<Vec<_>>();
    let cols = vec![
        (tr.t("share-name"), None),
        (tr.t("share-root"), None),
        (tr.t("share-last-scan"), None),
        (tr.t("share-files"), None),
        (tr.t("share-violations"), None),
        (tr.t("share-trend"), None),
    ];
    let (page, rows) = super::internet::page_of(rows, &p);
    let v = ListView::build(&tr, "/shares", &p, &page, cols, rows, tr.t("share-none"));
    Ok(list_or_export(&st, &ctx, "/shares", tr.t("share-title"), &p, v).await)
}

#[derive(Template)]
#[template(path = "share.html")]
pub struct SharePage<'a> {
    pub c: Chrome<'a>,
    pub id: i64,
    pub facts: Vec<(String, String)>,
    /// Newest first: when, files, violations, renamable, by whom.
    pub scans: Vec<Vec<String>>,
    pub units: Vec<Vec<Cell>>,
}

/// `GET /shares/{id}`: the latest scan, the trend of the scans and the units.
pub async fn share(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let tr = ctx.tr(&st);
    let s = st.services.share(&actor, id).await?;
    let mut facts = vec![(tr.t("share-root"), s.root.clone())];
    let mut units = vec![];
    if let Some(l) = s.scans.first() {
        facts.push((tr.t("share-last-scan"), format_local(l.scanned_us)));
        facts.push((tr.t("share-files"), l.files.to_string()));
        if l.bytes > 0 {
            facts.push((tr.t("share-private-bytes"), format!("{:.1} MB", l.bytes as f64 / 1e6)));
        }
        facts.push((
            tr.t("share-violations"),
            tr.ta("share-violations-renamable", &[("all", l.violations.to_string()), ("renamable", l.renamable.to_string())]),
        ));
        if l.unreadable > 0 {
            facts.push((tr.t("share-unreadable"), l.unreadable.to_string()));
        }
        units = st
            .services
            .share_scan_units(&actor, id, l.id)
            .await?
            .into_iter()
            .map(|u| {
                let href = format!("/shares/{id}/findings?unit={}", urlencoding(&u.unit));
                vec![
                    Cell::link(tr.d(&u.unit), href),
                    Cell::text(u.files.to_string()),
                    Cell { text: u.violations.to_string(), href: None, class: Some(if u.violations > 0 { "warn" } else { "ok" }) },
                ]
            })
            .collect();
    }
    let scans = s
        .scans
        .iter()
        .map(|x| {
            vec![
                format_local(x.scanned_us),
                x.files.to_string(),
                x.violations.to_string(),
                x.renamable.to_string(),
                format!("{:.1} s", x.millis as f64 / 1000.0),
                tr.d(&x.recorded_by),
            ]
        })
        .collect();
    let page = SharePage { id, facts, scans, units, c: Chrome::new(&st, &ctx, "/shares", tr.d(&s.name)) };
    Ok(render(&page))
}

pub(super) fn urlencoding(s: &str) -> String {
    serde_urlencoded::to_string([("u", s)]).map(|x| x.trim_start_matches("u=").to_string()).unwrap_or_default()
}

/// `GET /shares/{id}/findings[?unit=]`: the latest scan's findings, paged; `format=xlsx` exports.
pub async fn findings(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    let tr = ctx.tr(&st);
    let s = st.services.share(&actor, id).await?;
    let unit = p.unit.as_deref().filter(|u| !u.is_empty());
    let per_page: u32 = if p.format.is_some() { 500 } else { 50 };
    let page_no = if p.format.is_some() { 1 } else { p.page.unwrap_or(1).max(1) };
    let (list, total) = st.services.share_findings(&actor, id, unit, i64::from((page_no - 1) * per_page), i64::from(per_page)).await?;
    let rows = list
        .iter()
        .map(|f| {
            vec![
                Cell::text(tr.d(&f.unit)),
                Cell::text(f.path.clone()),
                Cell::text(f.article.clone()),
                Cell::text(describe(&tr, &f.detail)),
                Cell::text(f.proposal.clone().unwrap_or_default()),
            ]
        })
        .collect::<Vec<_>>();
    let cols = vec![
        (tr.t("share-unit"), None),
        (tr.t("share-path"), None),
        (tr.t("share-article"), None),
        (tr.t("share-rule"), None),
        (tr.t("share-proposal"), None),
    ];
    let page = upravnik_core::org::Page { items: vec![(); rows.len()], total, page: page_no, per_page };
    let path = format!("/shares/{id}/findings");
    let v = ListView::build(&tr, &path, &p, &page, cols, rows, tr.t("share-findings-none"));
    let title = match unit {
        Some(u) => format!("{} — {}", tr.d(&s.name), tr.d(u)),
        None => tr.t1("share-findings-of", "share", tr.d(&s.name)),
    };
    Ok(list_or_export(&st, &ctx, &path, title, &p, v).await)
}
