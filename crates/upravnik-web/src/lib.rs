//! HTTP adapter of Upravnik: server-rendered pages (`ui`) and the JSON API (`api`) over the same
//! core services. Handlers extract, authorise (by the route table), call a service, render.

#![recursion_limit = "512"]

pub mod agent;
pub mod api;
pub mod auth;
pub mod error;
pub mod export;
pub mod i18n;
pub mod metrics;
pub mod nul;
pub mod routes;
pub mod ui;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use upravnik_core::service::Services;

/// Settings the HTTP layer needs, resolved by the binary.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when served behind HTTPS).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// The address people open Upravnik at (`https://upravnik.example.rs`), for links that leave
    /// the browser, such as the QR codes on asset labels; the request's Host header when unset.
    pub public_url: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self { secure_cookies: false, body_limit: 2 * 1024 * 1024, public_url: None }
    }
}

/// What the asset list's filter selects offer: (building, room) pairs in use, and employees by
/// id and "family given" name, sorted as people read them.
#[derive(Debug, Default)]
pub struct ListChoices {
    pub places: Vec<(String, String)>,
    pub people: Vec<(i64, String)>,
}

/// Per office: the work-log head the choices were read at, and the choices.
pub type ChoicesByOffice = std::collections::HashMap<i64, (i64, Arc<ListChoices>)>;

#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub i18n: Arc<i18n::I18n>,
    pub metrics: Arc<metrics::Metrics>,
    pub config: Arc<WebConfig>,
    /// Once an administrator exists the set-up page never returns, so this is cached.
    set_up: Arc<AtomicBool>,
    /// What the asset list's filter selects offer, per office, with the
    /// office's work-log head they were read at: reading them walks every asset, and since every
    /// change writes the work log, an unchanged head means unchanged places (on any instance).
    pub list_choices: Arc<std::sync::Mutex<ChoicesByOffice>>,
}

impl AppState {
    pub fn new(services: Services, config: WebConfig) -> Result<Self, String> {
        Ok(Self {
            services,
            i18n: Arc::new(i18n::I18n::load()?),
            metrics: Arc::new(metrics::Metrics::default()),
            config: Arc::new(config),
            set_up: Arc::new(AtomicBool::new(false)),
            list_choices: Arc::default(),
        })
    }

    pub async fn needs_setup(&self) -> bool {
        if self.set_up.load(Ordering::Relaxed) {
            return false;
        }
        match self.services.needs_setup().await {
            Ok(false) => {
                self.set_up.store(true, Ordering::Relaxed);
                false
            }
            Ok(true) => true,
            Err(e) => {
                tracing::error!(error = %e, "cannot tell whether an administrator exists");
                false
            }
        }
    }
}

pub use routes::router;
