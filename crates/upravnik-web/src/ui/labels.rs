//! Asset labels (issue "Labels"): a printable A4 sheet, 3 × 8 to a page, of the assets the list's
//! filter selects (or `ids=1,2,3`): the office, the `ST nn` label (R.12), the inventory number,
//! what it is, and a QR code that opens the asset's card page. The same sheet as a PDF.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use upravnik_core::Error;
use upravnik_core::access::Actor;
use upravnik_core::asset::{Asset, format_label};

use super::layout::{Chrome, MessagePage, render};
use super::view::ListParams;
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;

/// More labels than this on one sheet is almost surely a forgotten filter (and a long layout).
pub const MAX_LABELS: usize = 1000;
const PER_PAGE: usize = 24;

pub struct LabelView {
    pub office: String,
    pub label: String,
    pub inventory: String,
    pub what: String,
    /// The QR code as inline SVG markup, made here from the card's address (no user text).
    pub qr: String,
}

pub struct Sheet {
    pub pages: Vec<Vec<LabelView>>,
    pub summary: String,
    pub pdf_href: String,
    pub empty: Option<String>,
}

#[derive(Template)]
#[template(path = "labels.html")]
pub struct SheetPage<'a> {
    pub c: Chrome<'a>,
    pub v: Sheet,
}

/// The address the QR codes point at: `public_url` from the configuration, else the scheme and
/// the Host header of this request.
pub fn base_url(st: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &st.config.public_url {
        return u.trim().trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    let scheme = if st.config.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// A QR code for `url` as an SVG document without the XML declaration (so it can be inlined).
pub fn qr_svg(url: &str) -> Result<String, Error> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| Error::Storage(format!("QR code for {url}: {e}")))?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(160, 160).quiet_zone(true).build();
    Ok(match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    })
}

/// The selected assets, or how many there would have been when more than [`MAX_LABELS`].
async fn selection(st: &AppState, actor: &Actor, p: &ListParams) -> UiResult<Result<Vec<Asset>, usize>> {
    if let Some(ids) = p.ids.as_deref().filter(|s| !s.trim().is_empty()) {
        let mut list: Vec<i64> = vec![];
        for part in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let id: i64 = part.parse().map_err(|_| Error::invalid("ids", "err-filter"))?;
            if !list.contains(&id) {
                list.push(id);
            }
        }
        if list.len() > MAX_LABELS {
            return Ok(Err(list.len()));
        }
        let mut v = Vec::with_capacity(list.len());
        for id in list {
            v.push(st.services.asset(actor, id).await?);
        }
        return Ok(Ok(v));
    }
    let mut q = super::asset_list::list_query(st, actor, p);
    q.per_page = 500;
    q.page = 1;
    let mut v: Vec<Asset> = vec![];
    loop {
        let page = st.services.assets(actor, &q).await?;
        let total = usize::try_from(page.total).unwrap_or(usize::MAX);
        if total > MAX_LABELS {
            return Ok(Err(total));
        }
        let got = page.items.len();
        v.extend(page.items);
        if got == 0 || v.len() >= total {
            return Ok(Ok(v));
        }
        q.page += 1;
    }
}

async fn labels(st: &AppState, ctx: &Ctx, actor: &Actor, headers: &HeaderMap, assets: &[Asset]) -> UiResult<Vec<LabelView>> {
    let tr = ctx.tr(st);
    let office = st.services.offices(actor).await?.into_iter().find(|o| o.id == actor.office_id).map(|o| o.name).unwrap_or_default();
    let base = base_url(st, headers);
    assets
        .iter()
        .map(|a| {
            let f = &a.fields;
            let what = format!("{} · {} {}", tr.t(&format!("kind-{}", f.kind.as_str())), f.manufacturer, f.model);
            Ok(LabelView {
                office: tr.d(&office),
                label: f.label.map(format_label).unwrap_or_default(),
                inventory: f.inventory_number.clone(),
                what: tr.d(what.trim().trim_end_matches('·').trim()).chars().take(60).collect(),
                qr: qr_svg(&format!("{base}/assets/{}", a.id))?,
            })
        })
        .collect()
}

fn too_many(st: &AppState, ctx: &Ctx, n: usize) -> axum::response::Response {
    let tr = ctx.tr(st);
    let page = MessagePage {
        c: Chrome::new(st, ctx, "/assets/labels", tr.t("labels-title")),
        text: tr.ta("labels-too-many", &[("count", n.to_string()), ("max", MAX_LABELS.to_string())]),
        code: None,
        command: None,
    };
    (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
}

/// `GET /assets/labels`: the sheet as a page; printed, only the labels remain (app.css).
pub async fn sheet(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    headers: HeaderMap,
    Query(p): Query<ListParams>,
) -> UiResult {
    let tr = ctx.tr(&st);
    let assets = match selection(&st, &actor, &p).await? {
        Ok(a) => a,
        Err(n) => return Ok(too_many(&st, &ctx, n)),
    };
    let all = labels(&st, &ctx, &actor, &headers, &assets).await?;
    let mut pages: Vec<Vec<LabelView>> = vec![];
    for l in all {
        match pages.last_mut() {
            Some(page) if page.len() < PER_PAGE => page.push(l),
            _ => pages.push(vec![l]),
        }
    }
    let query = p.href("", None, None, None);
    let ids = p.ids.as_deref().filter(|s| !s.trim().is_empty()).map(|i| serde_urlencoded::to_string([("ids", i)]).unwrap_or_default());
    let pdf_href = match ids {
        Some(ids) => format!("/assets/labels.pdf?{ids}"),
        None => format!("/assets/labels.pdf{query}"),
    };
    let v = Sheet {
        summary: tr.t1("labels-count", "count", assets.len()),
        empty: pages.is_empty().then(|| tr.t("labels-empty")),
        pages,
        pdf_href,
    };
    Ok(render(&SheetPage { c: Chrome::new(&st, &ctx, "/assets/labels", tr.t("labels-title")), v }))
}

/// `GET /assets/labels.pdf`: the same sheet laid out by typst.
pub async fn pdf(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, headers: HeaderMap, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let assets = match selection(&st, &actor, &p).await? {
        Ok(a) => a,
        Err(n) => return Ok(too_many(&st, &ctx, n)),
    };
    let labels = labels(&st, &ctx, &actor, &headers, &assets)
        .await?
        .into_iter()
        .map(|l| upravnik_pdf::Label { office: l.office, label: l.label, inventory: l.inventory, what: l.what, qr: l.qr })
        .collect();
    let sheet = upravnik_pdf::Labels {
        lang: if ctx.lang == crate::i18n::Lang::En { "en".into() } else { "sr".into() },
        title: tr.t("labels-title"),
        labels,
    };
    Ok(crate::export::pdf_with(move || upravnik_pdf::render_labels(&sheet), "nalepnice").await)
}
