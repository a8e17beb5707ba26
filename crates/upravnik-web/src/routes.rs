//! The route table: every route with the access it needs, in one list. The router is built from
//! it, so no handler can be reached without its check, and the role × route test reads it.

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};
use upravnik_core::Error;
use upravnik_core::access::Permission::*;

use crate::AppState;
use crate::auth::{Access, authenticate, is_api, require};
use crate::error::{ApiError, UiError};
use crate::{api, ui};

pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub handler: MethodRouter<AppState>,
}

fn r(method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> Route {
    Route { method, path, access, handler }
}

const PUBLIC: Access = Access::Public;
const SIGNED: Access = Access::SignedIn;
const fn p(perm: upravnik_core::access::Permission) -> Access {
    Access::Perm(perm)
}

/// Every route of the product.
pub fn routes() -> Vec<Route> {
    use Method as M;
    vec![
        // Service
        r(M::GET, "/healthz", PUBLIC, get(healthz)),
        r(M::GET, "/metrics", PUBLIC, get(metrics)),
        r(M::GET, "/static/{file}", PUBLIC, get(static_file)),
        // Pages: session and self
        r(M::GET, "/login", PUBLIC, get(ui::session::login_form)),
        r(M::POST, "/login", PUBLIC, post(ui::session::login)),
        r(M::POST, "/login/code", PUBLIC, post(ui::session::login_code)),
        r(M::POST, "/logout", SIGNED, post(ui::session::logout)),
        r(M::POST, "/language", PUBLIC, post(ui::session::language)),
        r(M::POST, "/office", SIGNED, post(ui::session::office)),
        r(M::GET, "/", SIGNED, get(ui::home::home)),
        r(M::GET, "/profile", SIGNED, get(ui::profile::show)),
        r(M::POST, "/profile/password", SIGNED, post(ui::profile::change_password)),
        r(M::GET, "/profile/mfa", SIGNED, get(ui::mfa::show)),
        r(M::POST, "/profile/mfa/start", SIGNED, post(ui::mfa::start)),
        r(M::POST, "/profile/mfa/confirm", SIGNED, post(ui::mfa::confirm)),
        r(M::POST, "/profile/mfa/disable", SIGNED, post(ui::mfa::disable)),
        r(M::POST, "/profile/tokens", SIGNED, post(ui::profile::create_token)),
        r(M::POST, "/profile/tokens/{id}/revoke", SIGNED, post(ui::profile::revoke_token)),
        // Pages: equipment
        r(M::GET, "/assets/labels", p(AssetsRead), get(ui::labels::sheet)),
        r(M::GET, "/assets/labels.pdf", p(AssetsRead), get(ui::labels::pdf)),
        r(M::GET, "/assets", p(AssetsRead), get(ui::asset_list::list)),
        r(M::GET, "/assets/new", p(AssetsWrite), get(ui::assets::new)),
        r(M::POST, "/assets/bulk", p(AssetsWrite), post(ui::asset_list::bulk_review)),
        r(M::POST, "/assets/bulk/apply", p(AssetsWrite), post(ui::asset_list::bulk_apply)),
        r(M::POST, "/assets/filters", p(AssetsRead), post(ui::asset_list::filter_save)),
        r(M::POST, "/assets/filters/{id}/delete", p(AssetsRead), post(ui::asset_list::filter_delete)),
        r(M::POST, "/assets", p(AssetsWrite), post(ui::assets::create)),
        r(M::GET, "/assets/import", p(AssetsWrite), get(ui::asset_import::form)),
        r(M::POST, "/assets/import", p(AssetsWrite), post(ui::asset_import::upload).layer(import_limit())),
        r(M::GET, "/assets/import/{id}", p(AssetsWrite), get(ui::asset_import::preview)),
        r(M::POST, "/assets/import/{id}", p(AssetsWrite), post(ui::asset_import::set_mapping)),
        r(M::POST, "/assets/import/{id}/commit", p(AssetsWrite), post(ui::asset_import::commit)),
        r(M::GET, "/assets/{id}", p(AssetsRead), get(ui::assets::show)),
        r(M::POST, "/assets/{id}", p(AssetsWrite), post(ui::assets::update)),
        r(M::POST, "/assets/{id}/status", p(AssetsWrite), post(ui::assets::status)),
        r(M::GET, "/assets/{id}/card.pdf", p(AssetsRead), get(ui::assets::card)),
        r(M::GET, "/assets/{id}/assign", p(AssetsWrite), get(ui::assets::assign_form)),
        r(M::GET, "/assets/{id}/assignment.pdf", p(AssetsRead), get(ui::assets::assignment_record)),
        r(M::POST, "/assets/{id}/assign", p(AssetsWrite), post(ui::assets::assign)),
        r(M::POST, "/assets/{id}/return", p(AssetsWrite), post(ui::assets::return_asset)),
        r(M::GET, "/assets/{id}/components/new", p(AssetsWrite), get(ui::parts::component_new)),
        r(M::POST, "/assets/{id}/components", p(AssetsWrite), post(ui::parts::component_create)),
        r(M::GET, "/assets/{id}/components/{part}", p(AssetsWrite), get(ui::parts::component_show)),
        r(M::POST, "/assets/{id}/components/{part}", p(AssetsWrite), post(ui::parts::component_update)),
        r(M::POST, "/assets/{id}/components/{part}/remove", p(AssetsWrite), post(ui::parts::component_remove)),
        r(M::GET, "/assets/{id}/software/new", p(AssetsWrite), get(ui::parts::software_new)),
        r(M::POST, "/assets/{id}/software", p(AssetsWrite), post(ui::parts::software_create)),
        r(M::GET, "/assets/{id}/software/{part}", p(AssetsWrite), get(ui::parts::software_show)),
        r(M::POST, "/assets/{id}/software/{part}", p(AssetsWrite), post(ui::parts::software_update)),
        r(M::POST, "/assets/{id}/software/{part}/remove", p(AssetsWrite), post(ui::parts::software_remove)),
        // Pages: consumables kept in a store (R.3)
        r(M::GET, "/consumables", p(AssetsRead), get(ui::consumables::list)),
        r(M::GET, "/consumables/new", p(AssetsWrite), get(ui::consumables::new)),
        r(M::POST, "/consumables", p(AssetsWrite), post(ui::consumables::create)),
        r(M::GET, "/consumables/{id}", p(AssetsRead), get(ui::consumables::show)),
        r(M::GET, "/consumables/{id}/edit", p(AssetsWrite), get(ui::consumables::edit)),
        r(M::POST, "/consumables/{id}", p(AssetsWrite), post(ui::consumables::update)),
        r(M::GET, "/consumables/{id}/moves/new", p(AssetsWrite), get(ui::consumables::move_form)),
        r(M::POST, "/consumables/{id}/moves", p(AssetsWrite), post(ui::consumables::record_move)),
        // Pages: inventory agents (issue 4); the agents' own POST endpoints are elsewhere.
        r(M::GET, "/agents", p(AssetsRead), get(ui::agents::list)),
        r(M::GET, "/agents/settings", p(AssetsRead), get(ui::agents::settings)),
        r(M::POST, "/agents/settings", p(AssetsWrite), post(ui::agents::settings_save)),
        r(M::POST, "/assets/{id}/confirm", p(AssetsWrite), post(ui::agents::confirm)),
        r(M::GET, "/assets/{id}/merge", p(AssetsWrite), get(ui::agents::merge_form)),
        r(M::POST, "/assets/{id}/merge", p(AssetsWrite), post(ui::agents::merge)),
        r(M::GET, "/assets/{id}/inventory/raw", p(AssetsRead), get(ui::agents::raw)),
        // Pages: licensed software (R.23–R.30, Prilog 4)
        r(M::GET, "/software", p(AssetsRead), get(ui::software::list)),
        r(M::GET, "/software/new", p(AssetsWrite), get(ui::software::new)),
        r(M::POST, "/software", p(AssetsWrite), post(ui::software::create)),
        r(M::GET, "/software/compliance", p(AssetsRead), get(ui::software::compliance)),
        r(M::POST, "/software/recompute", p(AssetsWrite), post(ui::software::recompute)),
        r(M::GET, "/software/unrecognised", p(AssetsRead), get(ui::software::unrecognised)),
        r(M::POST, "/software/rules", p(AssetsWrite), post(ui::software::add_any_rule)),
        r(M::POST, "/software/rules/standard", p(AssetsWrite), post(ui::software::add_standard_rules)),
        r(M::POST, "/software/rules/{id}/delete", p(AssetsWrite), post(ui::software::delete_rule)),
        r(M::POST, "/software/licences/{id}/remove", p(AssetsWrite), post(ui::software::remove_licence)),
        // Pages: antivirus coverage (R.31, R.60) and install requests (R.30, R.62.7)
        r(M::GET, "/software/antivirus", p(AssetsRead), get(ui::internet::antivirus)),
        r(M::GET, "/software/requests", SIGNED, get(ui::internet::requests)),
        r(M::GET, "/software/requests/new", p(HelpdeskReport), get(ui::internet::request_new)),
        r(M::POST, "/software/requests", p(HelpdeskReport), post(ui::internet::request_create)),
        r(M::GET, "/software/requests/{id}", SIGNED, get(ui::internet::request_show)),
        r(M::POST, "/software/requests/{id}/decide", p(ApproveInstalls), post(ui::internet::request_decide)),
        r(M::POST, "/software/requests/{id}/installed", p(AssetsWrite), post(ui::internet::request_installed)),
        // Pages: security compliance (R.54–R.58, ZIB 91/2025)
        r(M::GET, "/security", p(WorklogRead), get(ui::security::measures)),
        r(M::GET, "/security/measures/{law}/{no}", p(WorklogRead), get(ui::security::measure)),
        r(M::POST, "/security/measures/{law}/{no}", p(WorklogWrite), post(ui::security::save_measure)),
        r(M::POST, "/security/measures/{law}/{no}/evidence", p(WorklogWrite), post(ui::security::add_evidence).layer(evidence_limit())),
        r(M::GET, "/security/evidence/{id}", p(WorklogRead), get(ui::security::evidence)),
        r(M::GET, "/security/server-room", p(WorklogRead), get(ui::security::visits)),
        r(M::POST, "/security/server-room", p(WorklogWrite), post(ui::security::record_visit)),
        r(M::POST, "/security/server-room/{id}/left", p(WorklogWrite), post(ui::security::visit_left)),
        r(M::GET, "/security/trainings", p(WorklogRead), get(ui::security::trainings)),
        r(M::POST, "/security/trainings", p(WorklogWrite), post(ui::security::record_training)),
        r(M::GET, "/security/removals", p(WorklogRead), get(ui::security::removals)),
        r(M::POST, "/security/removals", p(WorklogWrite), post(ui::security::request_removal)),
        r(M::POST, "/security/removals/{id}/decide", p(ApproveRemovals), post(ui::security::decide_removal)),
        r(M::POST, "/security/transfers", p(WorklogWrite), post(ui::security::record_transfer)),
        r(M::GET, "/security/incidents", p(WorklogRead), get(ui::security::incidents)),
        r(M::GET, "/security/incidents/new", p(WorklogWrite), get(ui::security::incident_new)),
        r(M::POST, "/security/incidents", p(WorklogWrite), post(ui::security::incident_create)),
        r(M::GET, "/security/incidents/{id}", p(WorklogRead), get(ui::security::incident)),
        r(M::POST, "/security/incidents/{id}", p(WorklogWrite), post(ui::security::incident_update)),
        r(M::GET, "/security/incidents/{id}/edit", p(WorklogWrite), get(ui::security::incident_edit)),
        r(M::POST, "/security/incidents/{id}/reports", p(WorklogWrite), post(ui::security::incident_report)),
        // The yearly compliance check and the acts reviewed yearly (ZIB 91/2025 čl. 7, 11, 12).
        r(M::GET, "/security/checks", p(WorklogRead), get(ui::compliance::checks)),
        r(M::POST, "/security/checks", p(WorklogWrite), post(ui::compliance::start_check)),
        r(M::GET, "/security/checks/{id}", p(WorklogRead), get(ui::compliance::check)),
        r(M::GET, "/security/checks/{id}/pdf", p(WorklogRead), get(ui::compliance::check_pdf)),
        r(M::POST, "/security/checks/{id}/findings", p(WorklogWrite), post(ui::compliance::save_findings)),
        r(M::POST, "/security/checks/{id}/actions", p(WorklogWrite), post(ui::compliance::add_action)),
        r(M::POST, "/security/checks/{id}/complete", p(WorklogWrite), post(ui::compliance::complete)),
        r(M::POST, "/security/actions/{id}/done", p(WorklogWrite), post(ui::compliance::action_done)),
        r(M::POST, "/security/acts", p(WorklogWrite), post(ui::compliance::record_act)),
        // Records of processing activities (ZZPL čl. 47).
        r(M::GET, "/security/processing", p(WorklogRead), get(ui::compliance::processing)),
        r(M::GET, "/security/processing/new", p(WorklogWrite), get(ui::compliance::processing_new)),
        r(M::POST, "/security/processing", p(WorklogWrite), post(ui::compliance::processing_create)),
        r(M::GET, "/security/processing/{no}", p(WorklogRead), get(ui::compliance::processing_record)),
        r(M::POST, "/security/processing/{no}", p(WorklogWrite), post(ui::compliance::processing_update)),
        r(M::GET, "/security/processing/{no}/edit", p(WorklogWrite), get(ui::compliance::processing_edit)),
        // Documents on the network (R.38–R.46).
        r(M::GET, "/shares", p(OrgRead), get(ui::shares::shares)),
        r(M::GET, "/shares/{id}", p(OrgRead), get(ui::shares::share)),
        r(M::GET, "/shares/{id}/findings", p(OrgRead), get(ui::shares::findings)),
        // Procurement proposals (R.21).
        r(M::GET, "/procurement", p(WorklogRead), get(ui::compliance::procurement)),
        r(M::POST, "/procurement", p(WorklogWrite), post(ui::compliance::propose)),
        r(M::POST, "/procurement/{id}/decide", p(ApproveProcurement), post(ui::compliance::decide)),
        r(M::POST, "/procurement/{id}/reference", p(WorklogWrite), post(ui::compliance::set_reference)),
        // Pages: archiving (R.20, R.22, R.66)
        r(M::GET, "/backups", p(WorklogRead), get(ui::backups::page)),
        r(M::GET, "/backups/media", p(WorklogRead), get(ui::backups::media)),
        r(M::POST, "/backups/media", p(WorklogWrite), post(ui::backups::add_medium)),
        r(M::POST, "/backups/media/{id}/custody", p(WorklogWrite), post(ui::backups::custody)),
        // Pages: internet access per workstation (R.32), misuse (R.32, R.34)
        r(M::GET, "/internet", p(AssetsRead), get(ui::internet::list)),
        r(M::GET, "/internet/sites", p(AssetsRead), get(ui::internet::sites)),
        r(M::POST, "/internet/sites", p(AssetsWrite), post(ui::internet::add_sites)),
        r(M::POST, "/internet/sites/standard", p(AssetsWrite), post(ui::internet::add_standard_sites)),
        r(M::POST, "/internet/sites/{id}/delete", p(AssetsWrite), post(ui::internet::remove_site)),
        r(M::GET, "/internet/squid.conf", p(AssetsRead), get(ui::internet::squid)),
        r(M::GET, "/internet/unbound.conf", p(AssetsRead), get(ui::internet::unbound)),
        r(M::GET, "/internet/misuse", p(AssetsRead), get(ui::internet::misuse_list)),
        r(M::GET, "/internet/misuse/new", p(AssetsWrite), get(ui::internet::misuse_new)),
        r(M::POST, "/internet/misuse", p(AssetsWrite), post(ui::internet::misuse_create)),
        r(M::GET, "/internet/misuse/{id}", p(AssetsRead), get(ui::internet::misuse_show)),
        r(M::POST, "/internet/misuse/{id}/seen", p(AcknowledgeMisuse), post(ui::internet::misuse_seen)),
        r(M::GET, "/internet/{id}", p(AssetsRead), get(ui::internet::show)),
        r(M::POST, "/internet/{id}", p(AssetsWrite), post(ui::internet::update)),
        r(M::POST, "/internet/{id}/social/approve", p(ApproveSocialNetworks), post(ui::internet::approve_social)),
        r(M::POST, "/internet/{id}/social/refuse", p(ApproveSocialNetworks), post(ui::internet::refuse_social)),
        r(M::GET, "/software/{id}", p(AssetsRead), get(ui::software::show)),
        r(M::POST, "/software/{id}", p(AssetsWrite), post(ui::software::update)),
        r(M::POST, "/software/{id}/licences", p(AssetsWrite), post(ui::software::add_licence)),
        r(M::POST, "/software/{id}/rules", p(AssetsWrite), post(ui::software::add_rule)),
        r(M::GET, "/subnets", p(AssetsRead), get(ui::subnets::list)),
        r(M::GET, "/subnets/new", p(AssetsWrite), get(ui::subnets::new)),
        r(M::POST, "/subnets", p(AssetsWrite), post(ui::subnets::create)),
        r(M::GET, "/subnets/{id}", p(AssetsRead), get(ui::subnets::show)),
        r(M::POST, "/subnets/{id}", p(AssetsWrite), post(ui::subnets::update)),
        r(M::GET, "/subnets/{id}/edit", p(AssetsWrite), get(ui::subnets::edit)),
        r(M::POST, "/subnets/{id}/delete", p(AssetsWrite), post(ui::subnets::delete)),
        // Pages: fault reports (R.52–R.53); who sees which report is the services' decision
        r(M::GET, "/reports", SIGNED, get(ui::reports::list)),
        r(M::GET, "/reports/new", p(HelpdeskReport), get(ui::reports::new)),
        r(M::POST, "/reports", p(HelpdeskReport), post(ui::reports::create)),
        r(M::GET, "/reports/stats", p(HelpdeskRead), get(ui::report_stats::stats)),
        r(M::GET, "/reports/settings", p(HelpdeskWrite), get(ui::report_stats::settings)),
        r(M::GET, "/reports/mail", p(HelpdeskWrite), get(ui::mail::outbox)),
        r(M::POST, "/reports/settings", p(HelpdeskWrite), post(ui::report_stats::save_settings)),
        r(M::GET, "/reports/{id}", SIGNED, get(ui::reports::show)),
        r(M::GET, "/reports/{id}/print", SIGNED, get(ui::reports::print)),
        r(M::POST, "/reports/{id}/transitions", p(HelpdeskReport), post(ui::reports::transition)),
        r(M::POST, "/reports/{id}/take", p(HelpdeskWrite), post(ui::reports::take)),
        r(M::POST, "/reports/{id}/kb", p(HelpdeskWrite), post(ui::reports::link_article)),
        r(M::POST, "/reports/{id}/priority", p(HelpdeskWrite), post(ui::reports::priority)),
        r(M::POST, "/reports/{id}/comments", p(HelpdeskReport), post(ui::reports::comment)),
        // Pages: the forms of a fault's life (R.52–R.53); reading is the services' decision
        r(M::GET, "/reports/{id}/work-orders/new", p(HelpdeskWrite), get(ui::report_forms::new_work_order)),
        r(M::POST, "/reports/{id}/work-orders", p(HelpdeskWrite), post(ui::report_forms::create_work_order)),
        r(M::GET, "/reports/{id}/work-orders/{wid}/pdf", SIGNED, get(ui::report_forms::work_order_pdf)),
        r(M::POST, "/reports/{id}/work", p(HelpdeskWrite), post(ui::report_forms::record_work)),
        r(M::GET, "/reports/{id}/handovers/new", p(HelpdeskWrite), get(ui::report_forms::new_handover)),
        r(M::POST, "/reports/{id}/handovers", p(HelpdeskWrite), post(ui::report_forms::create_handover)),
        r(M::GET, "/reports/{id}/handovers/{hid}/pdf", SIGNED, get(ui::report_forms::handover_pdf)),
        r(M::GET, "/reports/{id}/service-sheets/new", p(HelpdeskWrite), get(ui::report_forms::new_sheet)),
        r(M::POST, "/reports/{id}/service-sheets", p(HelpdeskWrite), post(ui::report_forms::create_sheet).layer(scan_limit())),
        r(M::GET, "/reports/{id}/service-sheets/{sid}/scan", SIGNED, get(ui::report_forms::sheet_scan)),
        // Pages: the rules of work and their acceptance (R.19, Prilog 3)
        r(M::GET, "/rules", SIGNED, get(ui::rules::show)),
        r(M::POST, "/rules/accept", SIGNED, post(ui::rules::accept)),
        r(M::GET, "/rules/new", p(OrgWrite), get(ui::rules::new)),
        r(M::POST, "/rules", p(OrgWrite), post(ui::rules::publish)),
        r(M::GET, "/rules/acceptances", p(OrgRead), get(ui::rules::list)),
        r(M::POST, "/rules/acceptances/paper", p(OrgWrite), post(ui::rules::record_paper)),
        r(M::GET, "/rules/acceptances/{id}/pdf", SIGNED, get(ui::rules::statement_pdf)),
        r(M::GET, "/reports/{id}/attachments/{aid}", SIGNED, get(api::mail::attachment_page)),
        // Pages: knowledge base (R.47–R.51); reports link here
        r(M::GET, "/kb", SIGNED, get(ui::knowledge::list)),
        r(M::GET, "/kb/new", p(KnowledgeWrite), get(ui::knowledge::new)),
        r(M::POST, "/kb", p(KnowledgeWrite), post(ui::knowledge::create)),
        r(M::POST, "/kb/rulebook", p(KnowledgeWrite), post(ui::knowledge::add_rulebook)),
        r(M::GET, "/kb/{id}", SIGNED, get(ui::knowledge::show)),
        r(M::POST, "/kb/{id}", p(KnowledgeWrite), post(ui::knowledge::update)),
        r(M::GET, "/kb/{id}/edit", p(KnowledgeWrite), get(ui::knowledge::edit)),
        r(M::GET, "/kb/{id}/print", SIGNED, get(ui::knowledge::print)),
        // Pages: organisation
        r(M::GET, "/units", p(OrgRead), get(ui::org::units)),
        r(M::GET, "/units/new", p(OrgWrite), get(ui::org::unit_new)),
        r(M::POST, "/units", p(OrgWrite), post(ui::org::unit_create)),
        r(M::GET, "/units/{id}", p(OrgRead), get(ui::org::unit_show)),
        r(M::POST, "/units/{id}", p(OrgWrite), post(ui::org::unit_update)),
        r(M::POST, "/units/{id}/deactivate", p(OrgWrite), post(ui::org::unit_deactivate)),
        r(M::POST, "/units/{id}/activate", p(OrgWrite), post(ui::org::unit_activate)),
        r(M::GET, "/workplaces", p(OrgRead), get(ui::org::workplaces)),
        r(M::GET, "/workplaces/new", p(OrgWrite), get(ui::org::workplace_new)),
        r(M::POST, "/workplaces", p(OrgWrite), post(ui::org::workplace_create)),
        r(M::GET, "/workplaces/{id}", p(OrgRead), get(ui::org::workplace_show)),
        r(M::POST, "/workplaces/{id}", p(OrgWrite), post(ui::org::workplace_update)),
        r(M::POST, "/workplaces/{id}/deactivate", p(OrgWrite), post(ui::org::workplace_deactivate)),
        r(M::POST, "/workplaces/{id}/activate", p(OrgWrite), post(ui::org::workplace_activate)),
        r(M::GET, "/people", p(OrgRead), get(ui::org::people)),
        r(M::GET, "/people/new", p(OrgWrite), get(ui::org::person_new)),
        r(M::POST, "/people", p(OrgWrite), post(ui::org::person_create)),
        r(M::GET, "/people/{id}", p(OrgRead), get(ui::org::person_show)),
        r(M::POST, "/people/{id}", p(OrgWrite), post(ui::org::person_update)),
        r(M::POST, "/people/{id}/deactivate", p(OrgWrite), post(ui::org::person_deactivate)),
        r(M::POST, "/people/{id}/activate", p(OrgWrite), post(ui::org::person_activate)),
        // Pages: accounts
        r(M::GET, "/accounts", p(UsersRead), get(ui::accounts::accounts)),
        r(M::GET, "/accounts/new", p(UsersWrite), get(ui::accounts::account_new)),
        r(M::POST, "/accounts", p(UsersWrite), post(ui::accounts::account_create)),
        r(M::GET, "/accounts/directory", p(UsersRead), get(ui::directory::page)),
        r(M::POST, "/accounts/directory/sync", p(UsersWrite), post(ui::directory::sync)),
        r(M::GET, "/accounts/{id}", p(UsersRead), get(ui::accounts::account_show)),
        r(M::POST, "/accounts/{id}/roles", p(UsersWrite), post(ui::accounts::account_roles)),
        r(M::POST, "/accounts/{id}/password", p(UsersWrite), post(ui::accounts::account_password)),
        r(M::POST, "/accounts/{id}/mfa-reset", p(UsersWrite), post(ui::mfa::reset)),
        r(M::POST, "/accounts/{id}/deactivate", p(UsersWrite), post(ui::accounts::account_deactivate)),
        r(M::POST, "/accounts/{id}/activate", p(UsersWrite), post(ui::accounts::account_activate)),
        // Pages: account requests (R.19, Prilog 2); who sees which is the services' decision
        r(M::GET, "/account-requests", SIGNED, get(ui::account_requests::list)),
        r(M::GET, "/account-requests/new", p(AccountRequest), get(ui::account_requests::new)),
        r(M::POST, "/account-requests", p(AccountRequest), post(ui::account_requests::create)),
        r(M::GET, "/account-requests/{id}", SIGNED, get(ui::account_requests::show)),
        r(M::GET, "/account-requests/{id}/pdf", SIGNED, get(ui::account_requests::pdf)),
        r(M::POST, "/account-requests/{id}/carry-out", p(UsersWrite), post(ui::account_requests::carry_out)),
        r(M::POST, "/account-requests/{id}/reject", p(AccountRequest), post(ui::account_requests::reject)),
        r(M::POST, "/account-requests/{id}/approve-social", p(ApproveSocialNetworks), post(ui::account_requests::approve_social)),
        // Pages: the catalogue of applications and their roles (R.17, P.5.1)
        r(M::GET, "/applications", SIGNED, get(ui::applications::list)),
        r(M::GET, "/applications/new", p(UsersWrite), get(ui::applications::new)),
        r(M::POST, "/applications", p(UsersWrite), post(ui::applications::create)),
        r(M::GET, "/applications/standard", p(UsersWrite), get(ui::applications::standard)),
        r(M::POST, "/applications/standard", p(UsersWrite), post(ui::applications::add_standard)),
        r(M::GET, "/applications/{id}", SIGNED, get(ui::applications::show)),
        r(M::POST, "/applications/{id}", p(UsersWrite), post(ui::applications::update)),
        r(M::POST, "/applications/{id}/deactivate", p(UsersWrite), post(ui::applications::deactivate)),
        r(M::POST, "/applications/{id}/activate", p(UsersWrite), post(ui::applications::activate)),
        // Pages: work log
        r(M::GET, "/worklog", p(WorklogRead), get(ui::worklog::list)),
        r(M::GET, "/worklog/new", p(WorklogWrite), get(ui::worklog::new_entry)),
        r(M::POST, "/worklog", p(WorklogWrite), post(ui::worklog::create_entry)),
        r(M::GET, "/worklog/verify", p(WorklogConfidential), get(ui::worklog::verify)),
        r(M::GET, "/worklog/{id}", p(WorklogRead), get(ui::worklog::show)),
        // API
        r(M::GET, "/api/v1/openapi.json", PUBLIC, get(api::openapi::document)),
        r(M::GET, "/api/v1/me", SIGNED, get(api::accounts::me)),
        r(M::GET, "/api/v1/directory", p(UsersRead), get(api::directory::show)),
        r(M::POST, "/api/v1/directory/sync", p(UsersWrite), post(api::directory::sync)),
        r(M::PUT, "/api/v1/me/password", SIGNED, put(api::accounts::change_own_password)),
        r(M::PUT, "/api/v1/me/locale", SIGNED, put(api::accounts::set_locale)),
        r(M::GET, "/api/v1/me/mfa", SIGNED, get(api::accounts::mfa)),
        r(M::POST, "/api/v1/me/mfa/start", SIGNED, post(api::accounts::mfa_start)),
        r(M::POST, "/api/v1/me/mfa/confirm", SIGNED, post(api::accounts::mfa_confirm)),
        r(M::POST, "/api/v1/me/mfa/disable", SIGNED, post(api::accounts::mfa_disable)),
        r(M::GET, "/api/v1/offices", SIGNED, get(api::accounts::offices)),
        r(M::GET, "/api/v1/assets", p(AssetsRead), get(api::assets::list)),
        r(M::POST, "/api/v1/assets", p(AssetsWrite), post(api::assets::create)),
        r(M::POST, "/api/v1/assets/bulk", p(AssetsWrite), post(api::assets::bulk)),
        r(M::GET, "/api/v1/saved-filters", p(AssetsRead), get(api::saved_filters::list)),
        r(M::POST, "/api/v1/saved-filters", p(AssetsRead), post(api::saved_filters::create)),
        r(M::DELETE, "/api/v1/saved-filters/{id}", p(AssetsRead), delete(api::saved_filters::delete)),
        r(M::POST, "/api/v1/assets/import", p(AssetsWrite), post(api::asset_import::import).layer(import_limit())),
        r(M::GET, "/api/v1/assets/next-label", p(AssetsRead), get(api::assets::next_label)),
        r(M::GET, "/api/v1/assets/{id}", p(AssetsRead), get(api::assets::get)),
        r(M::PUT, "/api/v1/assets/{id}", p(AssetsWrite), put(api::assets::update)),
        r(M::PUT, "/api/v1/assets/{id}/status", p(AssetsWrite), put(api::assets::status)),
        r(M::GET, "/api/v1/assets/{id}/history", p(AssetsRead), get(api::assets::history)),
        r(M::GET, "/api/v1/assets/{id}/assignments", p(AssetsRead), get(api::assets::assignments)),
        r(M::PUT, "/api/v1/assets/{id}/assignment", p(AssetsWrite), put(api::assets::assign)),
        r(M::POST, "/api/v1/assets/{id}/return", p(AssetsWrite), post(api::assets::return_asset)),
        r(M::GET, "/api/v1/assets/{id}/components", p(AssetsRead), get(api::assets::components)),
        r(M::POST, "/api/v1/assets/{id}/components", p(AssetsWrite), post(api::assets::add_component)),
        r(M::PUT, "/api/v1/assets/{id}/components/{part}", p(AssetsWrite), put(api::assets::update_component)),
        r(M::DELETE, "/api/v1/assets/{id}/components/{part}", p(AssetsWrite), delete(api::assets::remove_component)),
        r(M::GET, "/api/v1/assets/{id}/software", p(AssetsRead), get(api::assets::software)),
        r(M::POST, "/api/v1/assets/{id}/software", p(AssetsWrite), post(api::assets::add_software)),
        r(M::PUT, "/api/v1/assets/{id}/software/{part}", p(AssetsWrite), put(api::assets::update_software)),
        r(M::DELETE, "/api/v1/assets/{id}/software/{part}", p(AssetsWrite), delete(api::assets::remove_software)),
        r(M::GET, "/api/v1/consumables", p(AssetsRead), get(api::consumables::list)),
        r(M::POST, "/api/v1/consumables", p(AssetsWrite), post(api::consumables::create)),
        r(M::GET, "/api/v1/consumables/{id}", p(AssetsRead), get(api::consumables::get)),
        r(M::PUT, "/api/v1/consumables/{id}", p(AssetsWrite), put(api::consumables::update)),
        r(M::GET, "/api/v1/consumables/{id}/moves", p(AssetsRead), get(api::consumables::moves)),
        r(M::POST, "/api/v1/consumables/{id}/moves", p(AssetsWrite), post(api::consumables::record_move)),
        r(M::GET, "/api/v1/agents", p(AssetsRead), get(api::agents::list)),
        r(M::GET, "/api/v1/assets/{id}/inventory", p(AssetsRead), get(api::agents::inventory)),
        r(M::GET, "/api/v1/software", p(AssetsRead), get(api::software::list)),
        r(M::POST, "/api/v1/software", p(AssetsWrite), post(api::software::create)),
        r(M::GET, "/api/v1/software/rules", p(AssetsRead), get(api::software::rules)),
        r(M::POST, "/api/v1/software/rules", p(AssetsWrite), post(api::software::add_rule)),
        r(M::DELETE, "/api/v1/software/rules/{id}", p(AssetsWrite), delete(api::software::delete_rule)),
        r(M::DELETE, "/api/v1/software/licences/{id}", p(AssetsWrite), delete(api::software::remove_licence)),
        r(M::GET, "/api/v1/software/unrecognised", p(AssetsRead), get(api::software::unrecognised)),
        r(M::GET, "/api/v1/software/tasks", p(AssetsRead), get(api::software::tasks)),
        r(M::POST, "/api/v1/software/recompute", p(AssetsWrite), post(api::software::recompute)),
        r(M::GET, "/api/v1/software/antivirus", p(AssetsRead), get(api::internet::antivirus)),
        r(M::GET, "/api/v1/software/requests", SIGNED, get(api::internet::requests)),
        r(M::POST, "/api/v1/software/requests", p(HelpdeskReport), post(api::internet::file_request)),
        r(M::GET, "/api/v1/software/requests/{id}", SIGNED, get(api::internet::request)),
        r(M::POST, "/api/v1/software/requests/{id}/decide", p(ApproveInstalls), post(api::internet::decide_request)),
        r(M::POST, "/api/v1/software/requests/{id}/installed", p(AssetsWrite), post(api::internet::request_installed)),
        r(M::GET, "/api/v1/security/measures", p(WorklogRead), get(api::security::measures)),
        r(M::GET, "/api/v1/security/measures/{law}/{no}", p(WorklogRead), get(api::security::measure)),
        r(M::PUT, "/api/v1/security/measures/{law}/{no}", p(WorklogWrite), put(api::security::save_measure)),
        r(
            M::POST,
            "/api/v1/security/measures/{law}/{no}/evidence",
            p(WorklogWrite),
            post(api::security::add_evidence).layer(evidence_limit()),
        ),
        r(M::GET, "/api/v1/security/evidence/{id}", p(WorklogRead), get(api::security::evidence)),
        r(M::GET, "/api/v1/security/server-room", p(WorklogRead), get(api::security::visits)),
        r(M::POST, "/api/v1/security/server-room", p(WorklogWrite), post(api::security::record_visit)),
        r(M::POST, "/api/v1/security/server-room/{id}/left", p(WorklogWrite), post(api::security::visit_left)),
        r(M::GET, "/api/v1/security/trainings", p(WorklogRead), get(api::security::trainings)),
        r(M::POST, "/api/v1/security/trainings", p(WorklogWrite), post(api::security::record_training)),
        r(M::GET, "/api/v1/security/trainings/untrained", p(WorklogRead), get(api::security::untrained)),
        r(M::GET, "/api/v1/security/removals", p(WorklogRead), get(api::security::removals)),
        r(M::POST, "/api/v1/security/removals", p(WorklogWrite), post(api::security::request_removal)),
        r(M::POST, "/api/v1/security/removals/{id}/decide", p(ApproveRemovals), post(api::security::decide_removal)),
        r(M::GET, "/api/v1/security/transfers", p(WorklogRead), get(api::security::transfers)),
        r(M::POST, "/api/v1/security/transfers", p(WorklogWrite), post(api::security::record_transfer)),
        r(M::GET, "/api/v1/security/incidents", p(WorklogRead), get(api::security::incidents)),
        r(M::POST, "/api/v1/security/incidents", p(WorklogWrite), post(api::security::record_incident)),
        r(M::GET, "/api/v1/security/incidents/statistics", p(WorklogRead), get(api::security::statistics)),
        r(M::GET, "/api/v1/security/incidents/{id}", p(WorklogRead), get(api::security::incident)),
        r(M::PUT, "/api/v1/security/incidents/{id}", p(WorklogWrite), put(api::security::update_incident)),
        r(M::POST, "/api/v1/security/incidents/{id}/reports", p(WorklogWrite), post(api::security::report)),
        r(M::GET, "/api/v1/security/checks", p(WorklogRead), get(api::compliance::checks)),
        r(M::POST, "/api/v1/security/checks", p(WorklogWrite), post(api::compliance::start_check)),
        r(M::GET, "/api/v1/security/checks/duties", p(WorklogRead), get(api::compliance::duties)),
        r(M::GET, "/api/v1/security/checks/{id}", p(WorklogRead), get(api::compliance::check)),
        r(M::GET, "/api/v1/security/checks/{id}/pdf", p(WorklogRead), get(api::compliance::check_pdf)),
        r(M::PUT, "/api/v1/security/checks/{id}/findings", p(WorklogWrite), put(api::compliance::save_findings)),
        r(M::POST, "/api/v1/security/checks/{id}/actions", p(WorklogWrite), post(api::compliance::add_action)),
        r(M::POST, "/api/v1/security/checks/{id}/complete", p(WorklogWrite), post(api::compliance::complete)),
        r(M::POST, "/api/v1/security/actions/{id}/done", p(WorklogWrite), post(api::compliance::action_done)),
        r(M::GET, "/api/v1/security/acts", p(WorklogRead), get(api::compliance::acts)),
        r(M::POST, "/api/v1/security/acts", p(WorklogWrite), post(api::compliance::record_act)),
        r(M::GET, "/api/v1/security/processing", p(WorklogRead), get(api::compliance::processing)),
        r(M::POST, "/api/v1/security/processing", p(WorklogWrite), post(api::compliance::processing_create)),
        r(M::GET, "/api/v1/security/processing/{no}", p(WorklogRead), get(api::compliance::processing_record)),
        r(M::PUT, "/api/v1/security/processing/{no}", p(WorklogWrite), put(api::compliance::processing_update)),
        r(M::GET, "/api/v1/shares", p(OrgRead), get(api::shares::shares)),
        r(M::POST, "/api/v1/shares/scans", p(WorklogWrite), post(api::shares::record_scan).layer(share_report_limit())),
        r(M::GET, "/api/v1/shares/{id}", p(OrgRead), get(api::shares::share)),
        r(M::GET, "/api/v1/shares/{id}/findings", p(OrgRead), get(api::shares::findings)),
        r(M::GET, "/api/v1/procurement", p(WorklogRead), get(api::compliance::proposals)),
        r(M::POST, "/api/v1/procurement", p(WorklogWrite), post(api::compliance::propose)),
        r(M::GET, "/api/v1/procurement/{id}", p(WorklogRead), get(api::compliance::proposal)),
        r(M::POST, "/api/v1/procurement/{id}/decide", p(ApproveProcurement), post(api::compliance::decide)),
        r(M::PUT, "/api/v1/procurement/{id}/reference", p(WorklogWrite), put(api::compliance::set_reference)),
        r(M::GET, "/api/v1/backups", p(WorklogRead), get(api::backups::status)),
        r(M::POST, "/api/v1/backups/runs", p(WorklogWrite), post(api::backups::report)),
        r(M::GET, "/api/v1/backups/media", p(WorklogRead), get(api::backups::media)),
        r(M::POST, "/api/v1/backups/media", p(WorklogWrite), post(api::backups::add_medium)),
        r(M::POST, "/api/v1/backups/media/{id}/custody", p(WorklogWrite), post(api::backups::custody)),
        r(M::GET, "/api/v1/backups/custody", p(WorklogRead), get(api::backups::book)),
        r(M::GET, "/api/v1/internet", p(AssetsRead), get(api::internet::hosts)),
        r(M::GET, "/api/v1/internet/sites", p(AssetsRead), get(api::internet::sites)),
        r(M::POST, "/api/v1/internet/sites", p(AssetsWrite), post(api::internet::add_sites)),
        r(M::DELETE, "/api/v1/internet/sites/{id}", p(AssetsWrite), delete(api::internet::remove_site)),
        r(M::GET, "/api/v1/internet/squid.conf", p(AssetsRead), get(api::internet::squid)),
        r(M::GET, "/api/v1/internet/unbound.conf", p(AssetsRead), get(api::internet::unbound)),
        r(M::GET, "/api/v1/internet/misuse", p(AssetsRead), get(api::internet::misuse)),
        r(M::POST, "/api/v1/internet/misuse", p(AssetsWrite), post(api::internet::record_misuse)),
        r(M::POST, "/api/v1/internet/misuse/{id}/seen", p(AcknowledgeMisuse), post(api::internet::misuse_seen)),
        r(M::GET, "/api/v1/internet/{id}", p(AssetsRead), get(api::internet::host)),
        r(M::PUT, "/api/v1/internet/{id}", p(AssetsWrite), put(api::internet::set_access)),
        r(M::POST, "/api/v1/internet/{id}/social/approve", p(ApproveSocialNetworks), post(api::internet::approve_social)),
        r(M::POST, "/api/v1/internet/{id}/social/refuse", p(ApproveSocialNetworks), post(api::internet::refuse_social)),
        r(M::GET, "/api/v1/software/{id}", p(AssetsRead), get(api::software::show)),
        r(M::PUT, "/api/v1/software/{id}", p(AssetsWrite), put(api::software::update)),
        r(M::POST, "/api/v1/software/{id}/licences", p(AssetsWrite), post(api::software::add_licence)),
        r(M::GET, "/api/v1/subnets", p(AssetsRead), get(api::subnets::list)),
        r(M::POST, "/api/v1/subnets", p(AssetsWrite), post(api::subnets::create)),
        r(M::GET, "/api/v1/subnets/{id}", p(AssetsRead), get(api::subnets::get)),
        r(M::PUT, "/api/v1/subnets/{id}", p(AssetsWrite), put(api::subnets::update)),
        r(M::DELETE, "/api/v1/subnets/{id}", p(AssetsWrite), delete(api::subnets::delete)),
        r(M::GET, "/api/v1/reports", SIGNED, get(api::reports::list)),
        r(M::POST, "/api/v1/reports", p(HelpdeskReport), post(api::reports::create)),
        r(M::GET, "/api/v1/reports/stats", p(HelpdeskRead), get(api::reports::stats)),
        r(M::GET, "/api/v1/reports/{id}", SIGNED, get(api::reports::get)),
        r(M::POST, "/api/v1/reports/{id}/priority", p(HelpdeskWrite), post(api::reports::priority)),
        r(M::POST, "/api/v1/reports/{id}/transitions", p(HelpdeskReport), post(api::reports::transition)),
        r(M::POST, "/api/v1/reports/{id}/comments", p(HelpdeskReport), post(api::reports::comment)),
        r(M::GET, "/api/v1/reports/{id}/kb", SIGNED, get(api::reports::articles)),
        r(M::POST, "/api/v1/reports/{id}/kb", p(HelpdeskWrite), post(api::reports::link_article)),
        r(M::GET, "/api/v1/reports/{id}/work-orders", SIGNED, get(api::reports::work_orders)),
        r(M::POST, "/api/v1/reports/{id}/work-orders", p(HelpdeskWrite), post(api::reports::create_work_order)),
        r(M::GET, "/api/v1/reports/{id}/work-orders/{wid}/pdf", SIGNED, get(api::reports::work_order_pdf)),
        r(M::GET, "/api/v1/reports/{id}/handovers", SIGNED, get(api::reports::handovers)),
        r(M::POST, "/api/v1/reports/{id}/handovers", p(HelpdeskWrite), post(api::reports::create_handover)),
        r(M::GET, "/api/v1/reports/{id}/handovers/{hid}/pdf", SIGNED, get(api::reports::handover_pdf)),
        r(M::GET, "/api/v1/reports/{id}/service-sheets", SIGNED, get(api::reports::service_sheets)),
        r(M::POST, "/api/v1/reports/{id}/service-sheets", p(HelpdeskWrite), post(api::reports::create_service_sheet).layer(scan_limit())),
        r(M::GET, "/api/v1/reports/{id}/service-sheets/{sid}/scan", SIGNED, get(api::reports::service_sheet_scan)),
        r(M::GET, "/api/v1/account-requests", SIGNED, get(api::account_requests::list)),
        r(M::POST, "/api/v1/account-requests", p(AccountRequest), post(api::account_requests::create)),
        r(M::GET, "/api/v1/account-requests/{id}", SIGNED, get(api::account_requests::get)),
        r(M::POST, "/api/v1/account-requests/{id}/carry-out", p(UsersWrite), post(api::account_requests::carry_out)),
        r(M::POST, "/api/v1/account-requests/{id}/reject", p(AccountRequest), post(api::account_requests::reject)),
        r(M::POST, "/api/v1/account-requests/{id}/approve-social", p(ApproveSocialNetworks), post(api::account_requests::approve_social)),
        r(M::GET, "/api/v1/applications", SIGNED, get(api::applications::list)),
        r(M::POST, "/api/v1/applications", p(UsersWrite), post(api::applications::create)),
        r(M::GET, "/api/v1/applications/{id}", SIGNED, get(api::applications::get)),
        r(M::PUT, "/api/v1/applications/{id}", p(UsersWrite), put(api::applications::update)),
        r(M::GET, "/api/v1/rules", SIGNED, get(api::rules::current)),
        r(M::POST, "/api/v1/rules", p(OrgWrite), post(api::rules::publish)),
        r(M::POST, "/api/v1/rules/accept", SIGNED, post(api::rules::accept)),
        r(M::GET, "/api/v1/rules/acceptances", p(OrgRead), get(api::rules::acceptances)),
        r(M::POST, "/api/v1/rules/acceptances", p(OrgWrite), post(api::rules::record_paper)),
        r(M::GET, "/api/v1/reports/{id}/attachments", SIGNED, get(api::mail::attachments)),
        r(M::GET, "/api/v1/reports/{id}/attachments/{aid}", SIGNED, get(api::mail::attachment)),
        r(M::GET, "/api/v1/mail/outbox", p(HelpdeskWrite), get(api::mail::outbox)),
        r(M::GET, "/api/v1/kb", SIGNED, get(api::knowledge::list)),
        r(M::POST, "/api/v1/kb", p(KnowledgeWrite), post(api::knowledge::create)),
        r(M::GET, "/api/v1/kb/suggest", SIGNED, get(api::knowledge::suggest)),
        r(M::POST, "/api/v1/kb/rulebook", p(KnowledgeWrite), post(api::knowledge::add_rulebook)),
        r(M::GET, "/api/v1/kb/{id}", SIGNED, get(api::knowledge::get)),
        r(M::PUT, "/api/v1/kb/{id}", p(KnowledgeWrite), put(api::knowledge::update)),
        r(M::GET, "/api/v1/units", p(OrgRead), get(api::org::units)),
        r(M::POST, "/api/v1/units", p(OrgWrite), post(api::org::create_unit)),
        r(M::GET, "/api/v1/units/{id}", p(OrgRead), get(api::org::unit)),
        r(M::PUT, "/api/v1/units/{id}", p(OrgWrite), put(api::org::update_unit)),
        r(M::PUT, "/api/v1/units/{id}/active", p(OrgWrite), put(api::org::unit_active)),
        r(M::GET, "/api/v1/workplaces", p(OrgRead), get(api::org::workplaces)),
        r(M::POST, "/api/v1/workplaces", p(OrgWrite), post(api::org::create_workplace)),
        r(M::GET, "/api/v1/workplaces/{id}", p(OrgRead), get(api::org::workplace)),
        r(M::PUT, "/api/v1/workplaces/{id}", p(OrgWrite), put(api::org::update_workplace)),
        r(M::PUT, "/api/v1/workplaces/{id}/active", p(OrgWrite), put(api::org::workplace_active)),
        r(M::GET, "/api/v1/people", p(OrgRead), get(api::org::people)),
        r(M::POST, "/api/v1/people", p(OrgWrite), post(api::org::create_person)),
        r(M::GET, "/api/v1/people/{id}", p(OrgRead), get(api::org::person)),
        r(M::PUT, "/api/v1/people/{id}", p(OrgWrite), put(api::org::update_person)),
        r(M::PUT, "/api/v1/people/{id}/active", p(OrgWrite), put(api::org::person_active)),
        r(M::GET, "/api/v1/accounts", p(UsersRead), get(api::accounts::accounts)),
        r(M::POST, "/api/v1/accounts", p(UsersWrite), post(api::accounts::create_account)),
        r(M::GET, "/api/v1/accounts/{id}", p(UsersRead), get(api::accounts::account)),
        r(M::PUT, "/api/v1/accounts/{id}/roles", p(UsersWrite), put(api::accounts::set_roles)),
        r(M::PUT, "/api/v1/accounts/{id}/active", p(UsersWrite), put(api::accounts::set_active)),
        r(M::PUT, "/api/v1/accounts/{id}/password", p(UsersWrite), put(api::accounts::set_password)),
        r(M::DELETE, "/api/v1/accounts/{id}/mfa", p(UsersWrite), delete(api::accounts::mfa_reset)),
        r(M::GET, "/api/v1/tokens", SIGNED, get(api::accounts::tokens)),
        r(M::POST, "/api/v1/tokens", SIGNED, post(api::accounts::create_token)),
        r(M::DELETE, "/api/v1/tokens/{id}", SIGNED, delete(api::accounts::revoke_token)),
        r(M::GET, "/api/v1/worklog", p(WorklogRead), get(api::worklog::list)),
        r(M::POST, "/api/v1/worklog", p(WorklogWrite), post(api::worklog::create)),
        r(M::GET, "/api/v1/worklog/{id}", p(WorklogRead), get(api::worklog::entry)),
        r(M::POST, "/api/v1/worklog/verify", p(WorklogConfidential), post(api::worklog::verify)),
    ]
    .into_iter()
    .chain(crate::agent::AGENT_PATHS.iter().flat_map(|&path| {
        [r(M::POST, path, Access::Agent, post(crate::agent::endpoint)), r(M::GET, path, Access::Agent, get(crate::agent::endpoint))]
    }))
    .collect()
}

/// Registers may be larger than other requests (the import refuses more than this itself, with
/// a clear message; the slack is for the multipart envelope).
/// A service sheet's scan (R.52.5) with the form's text fields.
fn scan_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(upravnik_core::report_forms::SCAN_MAX + 64 * 1024)
}

/// An evidence file of a security measure, with the multipart envelope.
fn evidence_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(upravnik_core::security_service::EVIDENCE_MAX + 64 * 1024)
}

/// A share's scan report sent by the CLI (up to 100,000 findings).
fn share_report_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(upravnik_core::shares_service::REPORT_MAX)
}

fn import_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(upravnik_core::import::read::MAX_BYTES + 64 * 1024)
}

/// The whole application: routes behind their access checks, then (outermost last) error pages,
/// the first-run page, authentication, and request metrics with security headers.
pub fn router(st: AppState) -> Router {
    let mut app: Router<AppState> = Router::new();
    let mut agents: Router<AppState> = Router::new();
    for route in routes() {
        if route.access == Access::Agent {
            agents = agents.route(route.path, route.handler);
        } else {
            app = app.route(route.path, route.handler.route_layer(from_fn_with_state(route.access, require)));
        }
    }
    // Agents carry no cookie and speak their own protocol: none of the session, CSRF, set-up or
    // error-page layers apply, and their bodies may be larger than a form's.
    let agents =
        agents.layer(DefaultBodyLimit::max(crate::agent::MAX_BODY)).layer(from_fn_with_state(st.clone(), observe)).with_state(st.clone());
    app.fallback(not_found)
        .layer(DefaultBodyLimit::max(st.config.body_limit))
        .layer(from_fn_with_state(st.clone(), crate::nul::refuse))
        .layer(axum::middleware::from_fn(crate::error::api_errors))
        .layer(from_fn_with_state(st.clone(), ui::layout::error_pages))
        .layer(from_fn_with_state(st.clone(), ui::layout::setup_gate))
        .layer(from_fn_with_state(st.clone(), authenticate))
        .layer(from_fn_with_state(st.clone(), observe))
        .with_state(st)
        .merge(agents)
}

async fn not_found(req: Request) -> Response {
    if is_api(req.uri().path()) {
        ApiError(Error::NotFound { what: "route" }).into_response()
    } else {
        UiError(Error::NotFound { what: "page" }).into_response()
    }
}

/// Counts and times every request, logs it (without query strings, which may carry search
/// terms), and sets the security headers.
async fn observe(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().clone();
    let mut res = next.run(req).await;
    let elapsed = started.elapsed();
    st.metrics.record(&route, res.status().as_u16(), elapsed);
    tracing::info!(target: "upravnik::http", %method, route, status = res.status().as_u16(), ms = elapsed.as_secs_f64() * 1000.0, "request");
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

async fn healthz(State(st): State<AppState>) -> Response {
    match st.services.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
        }
    }
}

async fn metrics(State(st): State<AppState>) -> Response {
    let backend = st.services.store.backend_name();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], st.metrics.render(backend)).into_response()
}

const APP_CSS: &str = include_str!("../static/app.css");
const APP_JS: &str = include_str!("../static/app.js");
const HTMX_JS: &str = include_str!("../static/htmx.min.js");

async fn static_file(Path(file): Path<String>) -> Response {
    let (body, ct) = match file.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        "htmx.min.js" => (HTMX_JS, "text/javascript; charset=utf-8"),
        _ => return UiError(Error::NotFound { what: "file" }).into_response(),
    };
    ([(header::CONTENT_TYPE, ct), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}
