//! View models shared by the generic list and form pages, so every list gets search, sort,
//! pagination, export and an empty state the same way.

use upravnik_core::FieldError;
use upravnik_core::org::Page;

use crate::i18n::Tr;

#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub class: Option<&'static str>,
}

impl Cell {
    pub fn text(t: impl Into<String>) -> Self {
        Self { text: t.into(), ..Default::default() }
    }
    pub fn link(t: impl Into<String>, href: impl Into<String>) -> Self {
        Self { text: t.into(), href: Some(href.into()), class: None }
    }
    pub fn status(tr: &Tr<'_>, active: bool) -> Self {
        if active {
            Self { text: tr.t("status-active"), href: None, class: Some("ok") }
        } else {
            Self { text: tr.t("status-inactive"), href: None, class: Some("muted") }
        }
    }
}

pub struct Column {
    pub label: String,
    pub href: Option<String>,
    pub arrow: &'static str,
}

#[derive(Debug, Clone, Default)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Field {
    /// Fixed for most forms; built (`app_12`) where the fields come from data.
    pub name: std::borrow::Cow<'static, str>,
    pub label: String,
    /// `text`, `email`, `date`, `password`, `select`, `textarea`, `checkbox`, `checks`.
    pub kind: &'static str,
    pub value: String,
    /// The value as a read-only page shows it.
    pub shown: String,
    pub options: Vec<Opt>,
    pub error: Option<String>,
    pub hint: Option<String>,
    pub required: bool,
    pub autofocus: bool,
    pub autocomplete: Option<&'static str>,
}

impl Field {
    pub fn new(name: &'static str, kind: &'static str, label: String, value: impl Into<String>) -> Self {
        let value = value.into();
        Self { name: name.into(), kind, label, shown: value.clone(), value, ..Default::default() }
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn hint(mut self, h: String) -> Self {
        self.hint = Some(h);
        self
    }
    pub fn autofocus(mut self) -> Self {
        self.autofocus = true;
        self
    }
    pub fn autocomplete(mut self, a: &'static str) -> Self {
        self.autocomplete = Some(a);
        self
    }
    /// A select; `shown` becomes the chosen option's label.
    pub fn select(name: &'static str, label: String, options: Vec<Opt>) -> Self {
        let shown = options.iter().find(|o| o.selected).map(|o| o.label.clone()).unwrap_or_default();
        let value = options.iter().find(|o| o.selected).map(|o| o.value.clone()).unwrap_or_default();
        Self { name: name.into(), kind: "select", label, value, shown, options, ..Default::default() }
    }
    /// A select whose name is built from data (one per application of a catalogue).
    pub fn select_named(name: String, label: String, options: Vec<Opt>) -> Self {
        Self { name: name.into(), ..Self::select("", label, options) }
    }
    pub fn checks(name: &'static str, label: String, options: Vec<Opt>) -> Self {
        let shown = options.iter().filter(|o| o.selected).map(|o| o.label.clone()).collect::<Vec<_>>().join(", ");
        Self { name: name.into(), kind: "checks", label, shown, options, ..Default::default() }
    }
    pub fn shown(mut self, s: String) -> Self {
        self.shown = s;
        self
    }
}

/// Options for a select: an empty choice first, then `(id, label)` pairs.
pub fn options(empty: Option<String>, items: impl IntoIterator<Item = (i64, String)>, selected: Option<i64>) -> Vec<Opt> {
    let mut v: Vec<Opt> = empty.into_iter().map(|label| Opt { value: String::new(), label, selected: selected.is_none() }).collect();
    v.extend(items.into_iter().map(|(id, label)| Opt { value: id.to_string(), label, selected: Some(id) == selected }));
    v
}

pub struct Button {
    pub action: String,
    pub label: String,
    pub class: &'static str,
    pub confirm: Option<String>,
}

pub struct Related {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub empty: String,
    pub more: Option<(String, String)>,
}

pub struct FormView {
    pub action: String,
    pub fields: Vec<Field>,
    pub submit: String,
    pub cancel_href: Option<String>,
    pub errors: Vec<String>,
    pub buttons: Vec<Button>,
    pub related: Vec<Related>,
    pub editable: bool,
    pub status: Option<(String, &'static str)>,
    /// A paragraph above the form (what a confirmation will do).
    pub intro: Option<String>,
}

impl FormView {
    pub fn new(action: impl Into<String>, submit: String, fields: Vec<Field>) -> Self {
        Self {
            action: action.into(),
            fields,
            submit,
            cancel_href: None,
            errors: vec![],
            buttons: vec![],
            related: vec![],
            editable: true,
            status: None,
            intro: None,
        }
    }

    /// Puts each validation message next to its field, and lists those without one on top.
    pub fn with_errors(mut self, tr: &Tr<'_>, errs: &[FieldError]) -> Self {
        for e in errs {
            let msg = tr.t(e.message);
            if let Some(f) = self.fields.iter_mut().find(|f| f.name == e.field) {
                f.error = Some(msg.clone());
            }
            self.errors.push(format!(
                "{}: {msg}",
                self.fields
                    .iter()
                    .find(|f| f.name == e.field)
                    .map(|f| f.label.clone())
                    .unwrap_or_else(|| tr.t(&format!("field-{}", e.field)))
            ));
        }
        self
    }
}

pub struct ListView {
    pub new_action: Option<(String, String)>,
    /// Further actions next to the main one (e.g. importing a register).
    pub more_actions: Vec<(String, String)>,
    pub q: String,
    pub filters: Vec<Field>,
    pub include_inactive: bool,
    /// Whether the list has inactive records to show on request.
    pub inactive_filter: bool,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub empty_text: String,
    pub summary: String,
    pub page_label: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    /// `…?q=…&` to which `format=csv|xlsx` is appended.
    pub export_base: Option<String>,
    /// Further links for the same selection (href, text), shown beside the export links.
    pub actions: Vec<(String, String)>,
}

/// The query of a list page; sorting and paging links keep the rest of it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub desc: Option<u8>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub inactive: Option<u8>,
    #[serde(default, alias = "unit_id")]
    pub unit: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub ok: Option<String>,
    /// Equipment filters.
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    /// Warranty ending within this many days.
    #[serde(default)]
    pub warranty: Option<String>,
    /// Chosen records by id, `1,2,3` (the label sheet).
    #[serde(default)]
    pub ids: Option<String>,
    /// The employee who holds the asset.
    #[serde(default, alias = "person_id")]
    pub person: Option<String>,
    #[serde(default)]
    pub building: Option<String>,
    #[serde(default)]
    pub room: Option<String>,
    /// Fault report filters: priority, assignee (account id or `none`), assigned to me (`1`).
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub mine: Option<String>,
    /// Fault reports past a deadline: `any`, `response` or `resolution`.
    #[serde(default)]
    pub late: Option<String>,
}

impl ListParams {
    pub fn unit_id(&self) -> Option<i64> {
        self.unit.as_deref().and_then(|u| u.parse().ok()).filter(|&u| u > 0)
    }

    pub fn person_id(&self) -> Option<i64> {
        self.person.as_deref().and_then(|u| u.parse().ok()).filter(|&u| u > 0)
    }

    pub fn to_query(&self, office_id: i64) -> upravnik_core::org::ListQuery {
        let mut q = upravnik_core::org::ListQuery::new(office_id);
        q.q = Some(self.q.clone()).filter(|s| !s.trim().is_empty());
        q.sort = upravnik_core::org::SortKey::parse(&self.sort);
        q.desc = self.desc == Some(1);
        q.page = self.page.unwrap_or(1).max(1);
        q.include_inactive = self.inactive == Some(1);
        q.unit_id = self.unit_id();
        q
    }

    /// The query string for the same list with some parameters changed.
    pub fn href(&self, path: &str, sort: Option<&str>, desc: Option<bool>, page: Option<u32>) -> String {
        let mut pairs: Vec<(&str, String)> = vec![];
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(u) = self.unit_id() {
            pairs.push(("unit", u.to_string()));
        }
        if self.inactive == Some(1) {
            pairs.push(("inactive", "1".into()));
        }
        if let Some(p) = self.person_id() {
            pairs.push(("person", p.to_string()));
        }
        for (k, v) in [
            ("kind", &self.kind),
            ("status", &self.status),
            ("warranty", &self.warranty),
            ("building", &self.building),
            ("room", &self.room),
            ("priority", &self.priority),
            ("assignee", &self.assignee),
            ("mine", &self.mine),
        ] {
            if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
                pairs.push((k, v.clone()));
            }
        }
        let sort = sort.map(str::to_string).or_else(|| Some(self.sort.clone()).filter(|s| !s.is_empty()));
        if let Some(s) = sort {
            pairs.push(("sort", s));
        }
        if desc.unwrap_or(self.desc == Some(1)) {
            pairs.push(("desc", "1".into()));
        }
        if let Some(p) = page.filter(|&p| p > 1) {
            pairs.push(("page", p.to_string()));
        }
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if qs.is_empty() { path.to_string() } else { format!("{path}?{qs}") }
    }

    /// The query string that a saved filter keeps: the filters and the order, not the page.
    pub fn filter_query(&self) -> String {
        self.href("", None, None, None).trim_start_matches('?').to_string()
    }

    pub fn export_base(&self, path: &str) -> String {
        let h = self.href(path, None, None, None);
        if h.contains('?') { format!("{h}&") } else { format!("{h}?") }
    }
}

impl ListView {
    /// Sortable columns (`Some(key)`) link to the same list sorted by them; a second click reverses.
    pub fn build<T>(
        tr: &Tr<'_>,
        path: &str,
        p: &ListParams,
        page: &Page<T>,
        columns: Vec<(String, Option<&'static str>)>,
        rows: Vec<Vec<Cell>>,
        empty_text: String,
    ) -> Self {
        let current_sort = if p.sort.is_empty() { "name" } else { p.sort.as_str() };
        let desc = p.desc == Some(1);
        let columns = columns
            .into_iter()
            .map(|(label, key)| match key {
                Some(k) => {
                    let on = k == current_sort;
                    Column {
                        label,
                        href: Some(p.href(path, Some(k), Some(on && !desc), None)),
                        arrow: if !on {
                            ""
                        } else if desc {
                            " ↓"
                        } else {
                            " ↑"
                        },
                    }
                }
                None => Column { label, href: None, arrow: "" },
            })
            .collect();
        let pages = page.pages();
        let n = page.page.min(pages);
        Self {
            new_action: None,
            more_actions: vec![],
            q: p.q.clone(),
            filters: vec![],
            include_inactive: p.inactive == Some(1),
            inactive_filter: true,
            columns,
            rows,
            empty_text: if p.q.is_empty() { empty_text } else { tr.t("empty-search") },
            summary: tr.t1("list-total", "count", page.total),
            page_label: format!("{n} / {pages}"),
            prev_href: (n > 1).then(|| p.href(path, None, None, Some(n - 1))),
            next_href: (n < pages).then(|| p.href(path, None, None, Some(n + 1))),
            export_base: Some(p.export_base(path)),
            actions: vec![],
        }
    }
}
