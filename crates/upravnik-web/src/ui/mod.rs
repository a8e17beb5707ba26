//! Server-rendered pages. Every page works without JavaScript; htmx only improves them.

pub mod account_requests;
pub mod accounts;
pub mod agents;
pub mod applications;
pub mod asset_import;
pub mod asset_list;
pub mod assets;
pub mod backups;
pub mod compliance;
pub mod consumables;
pub mod directory;
pub mod home;
pub mod internet;
pub mod knowledge;
pub mod labels;
pub mod layout;
pub mod mail;
pub mod mfa;
pub mod org;
pub mod parts;
pub mod profile;
pub mod report_forms;
pub mod report_stats;
pub mod reports;
pub mod rules;
pub mod security;
pub mod session;
pub mod shares;
pub mod software;
pub mod subnets;
pub mod view;
pub mod worklog;

use axum::response::{IntoResponse, Redirect, Response};

/// A submitted urlencoded form, keeping repeated keys (checkbox groups).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
    pub fn id(&self, name: &str) -> Option<i64> {
        self.get(name).trim().parse().ok().filter(|&v: &i64| v > 0)
    }
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name).as_str(), "1" | "on" | "true")
    }
}

/// Post/redirect/get: after a change, go to `to` and say what happened.
pub fn done(to: &str, what: &str) -> Response {
    let sep = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{sep}ok={what}")).into_response()
}

/// The answer to a form post: the redirect when the change was made, the page again with the
/// errors when the input was invalid (`again`), any other error as it is.
pub async fn answer<T, Fut>(
    r: Result<T, upravnik_core::Error>,
    to: &str,
    what: &str,
    again: impl FnOnce(Vec<upravnik_core::FieldError>) -> Fut,
) -> crate::error::UiResult
where
    Fut: std::future::Future<Output = crate::error::UiResult>,
{
    match r {
        Ok(_) => Ok(done(to, what)),
        Err(upravnik_core::Error::Invalid(errs)) => again(errs).await,
        Err(e) => Err(e.into()),
    }
}

/// A local redirect target from user input, so `next=` cannot send people to another site.
pub fn local_path(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next.to_string() } else { "/".to_string() }
}

/// The letterhead and footer of a printed list: the office's name (R.43), who printed it and when.
pub async fn print_meta(
    st: &crate::AppState,
    ctx: &crate::auth::Ctx,
    widths: Vec<f64>,
    signatures: Vec<upravnik_pdf::Signature>,
) -> crate::export::Print {
    let tr = ctx.tr(st);
    let (office, who) = match &ctx.actor {
        Some(a) => {
            let name = st
                .services
                .offices(a)
                .await
                .ok()
                .and_then(|o| o.into_iter().find(|o| o.id == a.office_id))
                .map(|o| o.name)
                .unwrap_or_default();
            (name, a.full_name.clone())
        }
        None => (String::new(), String::new()),
    };
    let now = upravnik_core::clock::format_local(st.services.clock.now_us());
    crate::export::Print {
        lang: if ctx.lang == crate::i18n::Lang::En { "en" } else { "sr" },
        letterhead: if office.is_empty() { vec![] } else { vec![tr.d(&office)] },
        footer: tr.ta("print-footer", &[("when", now), ("who", tr.d(&who))]),
        widths,
        signatures,
    }
}
