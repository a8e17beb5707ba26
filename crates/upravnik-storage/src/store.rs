//! `impl Store for SqlStore`: the port, delegating to the modules that hold the SQL.

use std::collections::{BTreeSet, HashMap};

use crate::SqlStore;
use crate::org::Table;
use crate::rows::map_err;
use upravnik_core::Result;
use upravnik_core::access::{Actor, Role};
use upravnik_core::account_requests::{AccountRequest, Grant};
use upravnik_core::account_requests_service::{CarryOut, NewAccountRequest, RequestQuery};
use upravnik_core::applications::{Application, ApplicationFields};
use upravnik_core::asset::{Asset, AssetFields, AssetQuery, AssetStatus, Assignment, FieldChange, HistoryRow, Identifier};
use upravnik_core::backup::{CustodyEvent, CustodyFields, Medium, MediumFields, NewRun, Run};
use upravnik_core::bulk::BulkItem;
use upravnik_core::clock::Micros;
use upravnik_core::compliance::{Check, CorrectiveAction, Finding, SecurityAct};
use upravnik_core::consumable::{Consumable, ConsumableFields, ConsumableQuery, Move, MoveQuery, NewMove};
use upravnik_core::directory::{AccountFilter, LocalState, SyncChange, SyncRun};
use upravnik_core::helpdesk::{AssetStep, Comment, NewComment, NewReport, Report, ReportQuery, ReportStep, Step};
use upravnik_core::import::{ImportBatch, ImportOutcome, ImportUpload};
use upravnik_core::incident::{Incident, IncidentFields, ReportKind};
use upravnik_core::internet::{Access, Misuse, MisuseFields, SiteCategory};
use upravnik_core::internet_service::{AntivirusRow, HostRow, Site};
use upravnik_core::inventory::{AgentRecord, AgentSeen, AgentSettings, InventoryTx, InventoryView, MachineRow, MergePlan};
use upravnik_core::knowledge::{Article, ArticleFields, KbQuery, NewArticle};
use upravnik_core::mail::{AttachmentMeta, Imported, MailImport, MailboxRef, OutboxRow, OutboxStatus, Recorded, SenderPerson};
use upravnik_core::measures::{Assessment, Law};
use upravnik_core::mfa::{LoginTicket, TotpChange, TotpState};
use upravnik_core::org::{ListQuery, Office, Page, Person, PersonInput, Unit, UnitInput, Workplace, WorkplaceInput};
use upravnik_core::parts::{Part, PartFields, PartKind, PartSource};
use upravnik_core::ports::{Account, ApiToken, ChainHead, LoginRecord, NewAccount, SessionRecord, Store};
use upravnik_core::processing::ProcessingRecord;
use upravnik_core::procurement::{Decision, Proposal};
use upravnik_core::removals::{Removal, RemovalKind, RemovalState, Transfer};
use upravnik_core::report_forms::{Handover, NewHandover, NewServiceSheet, NewWorkOrder, ReportForms, ServiceSheet, WorkKind, WorkOrder};
use upravnik_core::rules::{Acceptance, AcceptanceList, AcceptanceQuery, AcceptedBy, RulesVersion};
use upravnik_core::saved_filter::{SavedFilter, SavedFilterInput};
use upravnik_core::security_service::EvidenceFile;
use upravnik_core::server_room::{Visit, VisitFields};
use upravnik_core::shares_service::{NewScan, ScanSummary, StoredFinding, UnitRow};
use upravnik_core::software::{Installed, LicenceFields, Product, ProductFields, Recognition, Rule, RuleFields};
use upravnik_core::software_requests::{InstallRequest, RequestFields, RequestState};
use upravnik_core::software_service::{SoftwareState, Task, Title};
use upravnik_core::subnet::{AssetAddress, Subnet, SubnetFields};
use upravnik_core::trainings::{Training, TrainingFields};
use upravnik_core::worklog::{Draft, Entry, Filter};

#[async_trait::async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }

    fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    async fn offices(&self) -> Result<Vec<Office>> {
        self.offices_impl().await
    }
    async fn create_office(&self, name: &str, draft: Draft, now_us: Micros) -> Result<Office> {
        self.create_office_impl(name, draft, now_us).await
    }

    async fn org_counts(&self, office_id: i64) -> Result<upravnik_core::org::OrgCounts> {
        self.org_counts_impl(office_id).await
    }
    async fn list_units(&self, q: &ListQuery) -> Result<Page<Unit>> {
        self.list_units_impl(q).await
    }
    async fn get_unit(&self, office_id: i64, id: i64) -> Result<Unit> {
        self.get_unit_impl(office_id, id).await
    }
    async fn create_unit(&self, office_id: i64, input: &UnitInput, now_us: Micros, log: Draft) -> Result<Unit> {
        self.save_unit(office_id, None, input, now_us, log).await
    }
    async fn update_unit(&self, office_id: i64, id: i64, input: &UnitInput, now_us: Micros, log: Draft) -> Result<Unit> {
        self.save_unit(office_id, Some(id), input, now_us, log).await
    }
    async fn set_unit_active(&self, office_id: i64, id: i64, active: bool, now_us: Micros, log: Draft) -> Result<()> {
        self.set_active(Table::Units, office_id, id, active, now_us, log).await
    }

    async fn list_workplaces(&self, q: &ListQuery) -> Result<Page<Workplace>> {
        self.list_workplaces_impl(q).await
    }
    async fn get_workplace(&self, office_id: i64, id: i64) -> Result<Workplace> {
        self.get_workplace_impl(office_id, id).await
    }
    async fn create_workplace(&self, office_id: i64, input: &WorkplaceInput, now_us: Micros, log: Draft) -> Result<Workplace> {
        self.save_workplace(office_id, None, input, now_us, log).await
    }
    async fn update_workplace(&self, office_id: i64, id: i64, input: &WorkplaceInput, now_us: Micros, log: Draft) -> Result<Workplace> {
        self.save_workplace(office_id, Some(id), input, now_us, log).await
    }
    async fn set_workplace_active(&self, office_id: i64, id: i64, active: bool, now_us: Micros, log: Draft) -> Result<()> {
        self.set_active(Table::Workplaces, office_id, id, active, now_us, log).await
    }

    async fn list_people(&self, q: &ListQuery) -> Result<Page<Person>> {
        self.list_people_impl(q).await
    }
    async fn get_person(&self, office_id: i64, id: i64) -> Result<Person> {
        self.get_person_impl(office_id, id).await
    }
    async fn create_person(&self, office_id: i64, input: &PersonInput, now_us: Micros, log: Draft) -> Result<Person> {
        self.save_person(office_id, None, input, now_us, log).await
    }
    async fn update_person(&self, office_id: i64, id: i64, input: &PersonInput, now_us: Micros, log: Draft) -> Result<Person> {
        self.save_person(office_id, Some(id), input, now_us, log).await
    }
    async fn set_person_active(&self, office_id: i64, id: i64, active: bool, now_us: Micros, log: Draft) -> Result<()> {
        self.set_active(Table::People, office_id, id, active, now_us, log).await
    }

    async fn administrator_exists(&self) -> Result<bool> {
        self.administrator_exists_impl().await
    }
    async fn create_account(&self, a: &NewAccount, log: Draft) -> Result<Account> {
        self.create_account_impl(a, log).await
    }
    async fn account(&self, user_id: i64) -> Result<Account> {
        self.account_impl(user_id).await
    }
    async fn list_accounts(&self, q: &ListQuery) -> Result<Page<Account>> {
        self.list_accounts_impl(q).await
    }
    async fn login_record(&self, username: &str) -> Result<Option<LoginRecord>> {
        self.login_record_impl(username).await
    }
    async fn actor(&self, user_id: i64) -> Result<Actor> {
        self.actor_impl(user_id).await
    }
    async fn set_password(&self, user_id: i64, hash: &str, now_us: Micros, log: Draft) -> Result<()> {
        self.set_password_impl(user_id, hash, now_us, log).await
    }
    async fn set_roles(&self, user_id: i64, roles: &[Role], now_us: Micros, log: Draft) -> Result<()> {
        self.set_roles_impl(user_id, roles, now_us, log).await
    }
    async fn set_account_active(&self, user_id: i64, active: bool, now_us: Micros, log: Draft) -> Result<()> {
        self.set_account_active_impl(user_id, active, now_us, log).await
    }
    async fn set_locale(&self, user_id: i64, locale: &str, now_us: Micros, log: Draft) -> Result<()> {
        self.set_locale_impl(user_id, locale, now_us, log).await
    }

    async fn grant_office(&self, user_id: i64, office_id: i64, now_us: Micros, log: Draft) -> Result<()> {
        self.grant_office_impl(user_id, office_id, now_us, log).await
    }

    async fn login_throttle(&self, key: &str) -> Result<(i64, Option<Micros>)> {
        self.login_throttle_impl(key).await
    }
    async fn record_login_failure(&self, key: &str, now_us: Micros, lock_until: Option<Micros>, log: Option<Draft>) -> Result<i64> {
        self.record_login_failure_impl(key, now_us, lock_until, log).await
    }
    async fn clear_login_failures(&self, key: &str) -> Result<()> {
        self.clear_login_failures_impl(key).await
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        now_us: Micros,
        expires_us: Micros,
        log: Draft,
    ) -> Result<()> {
        self.create_session_impl(token_hash, user_id, csrf, now_us, expires_us, log).await
    }
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
        self.session_impl(token_hash).await
    }
    async fn touch_session(&self, token_hash: &str, expires_us: Micros) -> Result<()> {
        self.touch_session_impl(token_hash, expires_us).await
    }
    async fn delete_session(&self, token_hash: &str, now_us: Micros, log: Option<Draft>) -> Result<()> {
        self.delete_session_impl(token_hash, now_us, log).await
    }
    async fn delete_expired_sessions(&self, now_us: Micros) -> Result<u64> {
        self.delete_expired_sessions_impl(now_us).await
    }

    async fn create_api_token(&self, user_id: i64, name: &str, token_hash: &str, now_us: Micros, log: Draft) -> Result<ApiToken> {
        self.create_api_token_impl(user_id, name, token_hash, now_us, log).await
    }
    async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        self.api_tokens_impl(user_id).await
    }
    async fn revoke_api_token(&self, user_id: i64, id: i64, now_us: Micros, log: Draft) -> Result<()> {
        self.revoke_api_token_impl(user_id, id, now_us, log).await
    }
    async fn actor_by_api_token(&self, token_hash: &str, now_us: Micros) -> Result<Option<Actor>> {
        self.actor_by_api_token_impl(token_hash, now_us).await
    }

    async fn count_assets(&self, q: &AssetQuery) -> Result<i64> {
        self.count_assets_impl(q).await
    }
    async fn list_assets(&self, q: &AssetQuery) -> Result<Page<Asset>> {
        self.list_assets_impl(q).await
    }
    async fn get_asset(&self, office_id: i64, id: i64) -> Result<Asset> {
        self.get_asset_impl(office_id, id).await
    }
    async fn asset_holding(&self, office_id: i64, what: Identifier, value: &str, except: Option<i64>) -> Result<Option<Asset>> {
        self.asset_holding_impl(office_id, what, value, except).await
    }
    async fn highest_label(&self, office_id: i64) -> Result<Option<i64>> {
        self.highest_label_impl(office_id).await
    }
    async fn create_asset(&self, office_id: i64, fields: &AssetFields, status: AssetStatus, now_us: Micros, log: Draft) -> Result<Asset> {
        self.create_asset_impl(office_id, fields, status, now_us, log).await
    }
    async fn update_asset(
        &self,
        office_id: i64,
        id: i64,
        fields: &AssetFields,
        changes: &[FieldChange],
        now_us: Micros,
        log: Draft,
    ) -> Result<Asset> {
        self.update_asset_impl(office_id, id, fields, changes, now_us, log).await
    }
    async fn set_asset_status(
        &self,
        office_id: i64,
        id: i64,
        status: AssetStatus,
        change: &FieldChange,
        now_us: Micros,
        log: Draft,
    ) -> Result<Asset> {
        self.set_asset_status_impl(office_id, id, status, change, now_us, log).await
    }
    async fn asset_history(&self, office_id: i64, id: i64) -> Result<Vec<HistoryRow>> {
        self.asset_history_impl(office_id, id).await
    }
    async fn assign_asset(
        &self,
        office_id: i64,
        id: i64,
        person_id: Option<i64>,
        workplace_id: Option<i64>,
        on: &str,
        changes: &[FieldChange],
        now_us: Micros,
        log: Draft,
    ) -> Result<Asset> {
        self.assign_asset_impl(office_id, id, person_id, workplace_id, on, changes, now_us, log).await
    }
    async fn return_asset(&self, office_id: i64, id: i64, on: &str, changes: &[FieldChange], now_us: Micros, log: Draft) -> Result<Asset> {
        self.return_asset_impl(office_id, id, on, changes, now_us, log).await
    }
    async fn asset_assignments(&self, office_id: i64, id: i64) -> Result<Vec<Assignment>> {
        self.asset_assignments_impl(office_id, id).await
    }
    async fn asset_parts(&self, office_id: i64, asset_id: i64) -> Result<Vec<Part>> {
        self.asset_parts_impl(office_id, asset_id).await
    }
    async fn add_part(
        &self,
        office_id: i64,
        asset_id: i64,
        fields: &PartFields,
        source: PartSource,
        change: &FieldChange,
        now_us: Micros,
        log: Draft,
    ) -> Result<Part> {
        self.add_part_impl(office_id, asset_id, fields, source, change, now_us, log).await
    }
    async fn update_part(
        &self,
        office_id: i64,
        asset_id: i64,
        part_id: i64,
        fields: &PartFields,
        change: &FieldChange,
        now_us: Micros,
        log: Draft,
    ) -> Result<Part> {
        self.update_part_impl(office_id, asset_id, part_id, fields, change, now_us, log).await
    }
    #[allow(clippy::too_many_arguments)]
    async fn remove_part(
        &self,
        office_id: i64,
        asset_id: i64,
        kind: PartKind,
        part_id: i64,
        change: &FieldChange,
        now_us: Micros,
        log: Draft,
    ) -> Result<()> {
        self.remove_part_impl(office_id, asset_id, kind, part_id, change, now_us, log).await
    }

    async fn list_consumables(&self, q: &ConsumableQuery) -> Result<Page<Consumable>> {
        self.list_consumables_impl(q).await
    }
    async fn get_consumable(&self, office_id: i64, id: i64) -> Result<Consumable> {
        self.get_consumable_impl(office_id, id).await
    }
    async fn create_consumable(&self, office_id: i64, fields: &ConsumableFields, now_us: Micros, log: Draft) -> Result<Consumable> {
        self.create_consumable_impl(office_id, fields, now_us, log).await
    }
    async fn update_consumable(
        &self,
        office_id: i64,
        id: i64,
        fields: &ConsumableFields,
        now_us: Micros,
        log: Draft,
    ) -> Result<Consumable> {
        self.update_consumable_impl(office_id, id, fields, now_us, log).await
    }
    async fn record_consumable_move(&self, office_id: i64, id: i64, m: &NewMove, on: &str, now_us: Micros, log: Draft) -> Result<Move> {
        self.record_consumable_move_impl(office_id, id, m, on, now_us, log).await
    }
    async fn consumable_moves(&self, office_id: i64, q: &MoveQuery) -> Result<Vec<Move>> {
        self.consumable_moves_impl(office_id, q).await
    }

    async fn list_reports(&self, q: &ReportQuery) -> Result<Page<Report>> {
        self.list_reports_impl(q).await
    }
    async fn count_reports(&self, q: &ReportQuery) -> Result<i64> {
        self.count_reports_impl(q).await
    }
    async fn get_report(&self, office_id: i64, id: i64) -> Result<Report> {
        self.get_report_impl(office_id, id).await
    }
    async fn create_report(&self, office_id: i64, r: &NewReport, now_us: Micros, log: Draft) -> Result<(i64, String)> {
        self.create_report_impl(office_id, r, now_us, log).await
    }
    async fn move_report(
        &self,
        office_id: i64,
        id: i64,
        step: &ReportStep,
        asset: Option<AssetStep>,
        now_us: Micros,
        log: Draft,
    ) -> Result<Report> {
        self.move_report_impl(office_id, id, step, asset, now_us, log).await
    }
    async fn add_report_comment(
        &self,
        office_id: i64,
        id: i64,
        c: &NewComment,
        first_response: bool,
        now_us: Micros,
        log: Draft,
    ) -> Result<Comment> {
        self.add_report_comment_impl(office_id, id, c, first_response, now_us, log).await
    }
    async fn report_timeline(&self, office_id: i64, id: i64, internal: bool) -> Result<(Vec<Step>, Vec<Comment>)> {
        self.report_timeline_impl(office_id, id, internal).await
    }
    async fn report_forms(&self, office_id: i64, report_id: i64) -> Result<ReportForms> {
        self.report_forms_impl(office_id, report_id).await
    }
    async fn create_work_order(&self, office_id: i64, report_id: i64, w: &NewWorkOrder, now_us: Micros, log: Draft) -> Result<WorkOrder> {
        self.create_work_order_impl(office_id, report_id, w, now_us, log).await
    }
    async fn record_report_work(
        &self,
        office_id: i64,
        report_id: i64,
        kind: WorkKind,
        note: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<()> {
        self.record_report_work_impl(office_id, report_id, kind, note, now_us, log).await
    }
    async fn create_handover(
        &self,
        office_id: i64,
        report_id: i64,
        h: &NewHandover,
        step: &ReportStep,
        asset: Option<AssetStep>,
        now_us: Micros,
        log: Draft,
        step_log: Draft,
    ) -> Result<Handover> {
        self.create_handover_impl(office_id, report_id, h, step, asset, now_us, log, step_log).await
    }
    async fn create_service_sheet(
        &self,
        office_id: i64,
        report_id: i64,
        s: &NewServiceSheet,
        step: &ReportStep,
        asset: Option<AssetStep>,
        now_us: Micros,
        log: Draft,
        step_log: Draft,
    ) -> Result<ServiceSheet> {
        self.create_service_sheet_impl(office_id, report_id, s, step, asset, now_us, log, step_log).await
    }
    async fn service_sheet_scan(&self, office_id: i64, report_id: i64, sheet_id: i64) -> Result<(String, String, Vec<u8>)> {
        self.service_sheet_scan_impl(office_id, report_id, sheet_id).await
    }
    async fn set_report_priority(
        &self,
        office_id: i64,
        id: i64,
        from: upravnik_core::helpdesk::Priority,
        to: upravnik_core::helpdesk::Priority,
        due: (Option<Micros>, Option<Micros>),
        now_us: Micros,
        log: Draft,
    ) -> Result<Report> {
        self.set_report_priority_impl(office_id, id, from, to, due, now_us, log).await
    }
    async fn reports_in_period(&self, office_id: i64, from_us: Micros, to_us: Micros) -> Result<Vec<Report>> {
        self.reports_in_period_impl(office_id, from_us, to_us).await
    }
    async fn sla_settings(&self, office_id: i64) -> Result<Option<upravnik_core::sla_service::SlaSettings>> {
        self.sla_settings_impl(office_id).await
    }
    async fn save_sla_settings(&self, s: &upravnik_core::sla_service::SlaSettings, now_us: Micros, log: Draft) -> Result<()> {
        self.save_sla_settings_impl(s, now_us, log).await
    }
    async fn kb_search(&self, q: &KbQuery) -> Result<Page<Article>> {
        self.kb_search_impl(q).await
    }
    async fn kb_suggest(&self, office_id: i64, terms: &[String], limit: u32) -> Result<Vec<Article>> {
        self.kb_suggest_impl(office_id, terms, limit).await
    }
    async fn kb_article(&self, office_id: i64, id: i64) -> Result<Article> {
        self.kb_article_impl(office_id, id).await
    }
    async fn create_kb_article(&self, office_id: i64, a: &NewArticle, now_us: Micros, log: Draft) -> Result<Article> {
        self.create_kb_article_impl(office_id, a, now_us, log).await
    }
    async fn update_kb_article(&self, office_id: i64, id: i64, f: &ArticleFields, now_us: Micros, log: Draft) -> Result<Article> {
        self.update_kb_article_impl(office_id, id, f, now_us, log).await
    }
    async fn link_report_article(
        &self,
        office_id: i64,
        report_id: i64,
        article_id: i64,
        by: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<bool> {
        self.link_report_article_impl(office_id, report_id, article_id, by, now_us, log).await
    }
    async fn report_articles(&self, office_id: i64, report_id: i64) -> Result<Vec<Article>> {
        self.report_articles_impl(office_id, report_id).await
    }
    async fn add_kb_articles(&self, office_id: i64, items: Vec<(NewArticle, Draft)>, now_us: Micros) -> Result<Vec<i64>> {
        self.add_kb_articles_impl(office_id, items, now_us).await
    }

    async fn create_account_request(&self, office_id: i64, r: &NewAccountRequest, now_us: Micros, log: Draft) -> Result<AccountRequest> {
        self.create_account_request_impl(office_id, r, now_us, log).await
    }
    async fn account_requests(&self, q: &RequestQuery) -> Result<Page<AccountRequest>> {
        self.account_requests_impl(q).await
    }
    async fn get_account_request(&self, office_id: i64, id: i64) -> Result<AccountRequest> {
        self.get_account_request_impl(office_id, id).await
    }
    async fn person_grants(&self, office_id: i64, person_id: i64) -> Result<Vec<Grant>> {
        self.person_grants_impl(office_id, person_id).await
    }
    async fn carry_out_account_request(&self, office_id: i64, id: i64, c: &CarryOut, now_us: Micros, log: Draft) -> Result<AccountRequest> {
        self.carry_out_account_request_impl(office_id, id, c, now_us, log).await
    }
    async fn reject_account_request(&self, office_id: i64, id: i64, reason: &str, now_us: Micros, log: Draft) -> Result<AccountRequest> {
        self.reject_account_request_impl(office_id, id, reason, now_us, log).await
    }
    async fn approve_social_networks(&self, office_id: i64, id: i64, by: &str, now_us: Micros, log: Draft) -> Result<AccountRequest> {
        self.approve_social_networks_impl(office_id, id, by, now_us, log).await
    }

    async fn list_applications(&self, q: &ListQuery) -> Result<Page<Application>> {
        self.list_applications_impl(q).await
    }
    async fn get_application(&self, office_id: i64, id: i64) -> Result<Application> {
        self.get_application_impl(office_id, id).await
    }
    async fn create_application(&self, office_id: i64, f: &ApplicationFields, now_us: Micros, log: Draft) -> Result<Application> {
        self.create_application_impl(office_id, f, now_us, log).await
    }
    async fn update_application(&self, office_id: i64, id: i64, f: &ApplicationFields, now_us: Micros, log: Draft) -> Result<Application> {
        self.update_application_impl(office_id, id, f, now_us, log).await
    }
    async fn set_application_active(&self, office_id: i64, id: i64, active: bool, now_us: Micros, log: Draft) -> Result<Application> {
        self.set_application_active_impl(office_id, id, active, now_us, log).await
    }

    async fn current_rules(&self, office_id: i64) -> Result<Option<RulesVersion>> {
        self.current_rules_impl(office_id).await
    }
    async fn publish_rules(&self, office_id: i64, title: &str, body: &str, by: &str, now_us: Micros, log: Draft) -> Result<RulesVersion> {
        self.publish_rules_impl(office_id, title, body, by, now_us, log).await
    }
    async fn rules_acceptance(&self, version_id: i64, person_id: i64) -> Result<Option<Acceptance>> {
        self.rules_acceptance_impl(version_id, person_id).await
    }
    async fn accept_rules(
        &self,
        office_id: i64,
        version_id: i64,
        person_id: i64,
        how: AcceptedBy,
        signed_on: &str,
        by: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<bool> {
        self.accept_rules_impl(office_id, version_id, person_id, how, signed_on, by, now_us, log).await
    }
    async fn rules_acceptances(&self, q: &AcceptanceQuery) -> Result<AcceptanceList> {
        self.rules_acceptances_impl(q).await
    }
    async fn rules_acceptance_totals(&self, office_id: i64, version_id: i64) -> Result<(i64, i64)> {
        self.rules_acceptance_totals_impl(office_id, version_id).await
    }

    async fn list_subnets(&self, office_id: i64) -> Result<Vec<Subnet>> {
        self.list_subnets_impl(office_id).await
    }
    async fn get_subnet(&self, office_id: i64, id: i64) -> Result<Subnet> {
        self.get_subnet_impl(office_id, id).await
    }
    async fn create_subnet(&self, office_id: i64, fields: &SubnetFields, now_us: Micros, log: Draft) -> Result<Subnet> {
        self.save_subnet(office_id, None, fields, now_us, log).await
    }
    async fn update_subnet(&self, office_id: i64, id: i64, fields: &SubnetFields, now_us: Micros, log: Draft) -> Result<Subnet> {
        self.save_subnet(office_id, Some(id), fields, now_us, log).await
    }
    async fn delete_subnet(&self, office_id: i64, id: i64, now_us: Micros, log: Draft) -> Result<()> {
        self.delete_subnet_impl(office_id, id, now_us, log).await
    }
    async fn active_addresses(&self, office_id: i64) -> Result<Vec<AssetAddress>> {
        self.active_addresses_impl(office_id).await
    }
    async fn assets_by_ids(&self, office_id: i64, ids: &[i64]) -> Result<Vec<Asset>> {
        self.assets_by_ids_impl(office_id, ids).await
    }
    async fn apply_bulk(&self, office_id: i64, items: Vec<BulkItem>, now_us: Micros) -> Result<()> {
        self.apply_bulk_impl(office_id, items, now_us).await
    }
    async fn asset_places(&self, office_id: i64) -> Result<Vec<(String, String)>> {
        self.asset_places_impl(office_id).await
    }

    async fn saved_filters(&self, office_id: i64, user_id: i64, page: &str, shared: bool) -> Result<Vec<SavedFilter>> {
        self.saved_filters_impl(office_id, user_id, page, shared).await
    }
    async fn saved_filter(&self, office_id: i64, id: i64) -> Result<SavedFilter> {
        self.saved_filter_impl(office_id, id).await
    }
    async fn create_saved_filter(
        &self,
        office_id: i64,
        user_id: i64,
        f: &SavedFilterInput,
        now_us: Micros,
        log: Draft,
    ) -> Result<SavedFilter> {
        self.create_saved_filter_impl(office_id, user_id, f, now_us, log).await
    }
    async fn delete_saved_filter(&self, office_id: i64, user_id: i64, id: i64, now_us: Micros, log: Draft) -> Result<()> {
        self.delete_saved_filter_impl(office_id, user_id, id, now_us, log).await
    }

    async fn office_assets(&self, office_id: i64) -> Result<Vec<Asset>> {
        self.office_assets_impl(office_id).await
    }
    async fn save_import_upload(&self, upload: &ImportUpload, stale_before_us: Micros) -> Result<i64> {
        self.save_import_upload_impl(upload, stale_before_us).await
    }
    async fn import_upload(&self, office_id: i64, id: i64) -> Result<ImportUpload> {
        self.import_upload_impl(office_id, id).await
    }
    async fn set_import_mapping(&self, office_id: i64, id: i64, mapping: &str) -> Result<()> {
        self.set_import_mapping_impl(office_id, id, mapping).await
    }
    async fn import_assets(&self, office_id: i64, batch: ImportBatch, now_us: Micros) -> Result<ImportOutcome> {
        self.import_assets_impl(office_id, batch, now_us).await
    }

    async fn begin_inventory(&self, office_id: i64) -> Result<Box<dyn InventoryTx>> {
        self.begin_inventory_impl(office_id).await
    }
    async fn record_agent_contact(&self, office_id: i64, a: &AgentSeen, now_us: Micros) -> Result<()> {
        self.record_agent_contact_impl(office_id, a, now_us).await
    }
    async fn agent_settings(&self, office_id: i64) -> Result<Option<AgentSettings>> {
        self.agent_settings_impl(office_id).await
    }
    async fn agent_settings_by_username(&self, username: &str) -> Result<Option<AgentSettings>> {
        self.agent_settings_by_username_impl(username).await
    }
    async fn all_agent_settings(&self) -> Result<Vec<AgentSettings>> {
        self.all_agent_settings_impl().await
    }
    async fn save_agent_settings(&self, s: &AgentSettings, now_us: Micros, log: Draft) -> Result<()> {
        self.save_agent_settings_impl(s, now_us, log).await
    }
    async fn inventory_view(&self, office_id: i64, asset_id: i64) -> Result<Option<InventoryView>> {
        self.inventory_view_impl(office_id, asset_id).await
    }
    async fn inventory_raw(&self, office_id: i64, asset_id: i64) -> Result<Option<(Vec<u8>, String)>> {
        self.inventory_raw_impl(office_id, asset_id).await
    }
    async fn agent_machines(&self, office_id: i64, before_us: Option<Micros>, page: u32, per_page: u32) -> Result<Page<MachineRow>> {
        self.agent_machines_impl(office_id, before_us, page, per_page).await
    }
    async fn agents(&self, office_id: i64, page: u32, per_page: u32) -> Result<Page<AgentRecord>> {
        self.agents_impl(office_id, page, per_page).await
    }
    async fn confirm_discovered(
        &self,
        office_id: i64,
        id: i64,
        fields: &AssetFields,
        changes: &[FieldChange],
        now_us: Micros,
        log: Draft,
    ) -> Result<Asset> {
        self.confirm_discovered_impl(office_id, id, fields, changes, now_us, log).await
    }
    async fn merge_assets(&self, office_id: i64, plan: &MergePlan, now_us: Micros) -> Result<()> {
        self.merge_assets_impl(office_id, plan, now_us).await
    }

    async fn append(&self, draft: Draft, now_us: Micros) -> Result<Entry> {
        self.append_impl(draft, now_us).await
    }
    async fn worklog(&self, f: &Filter) -> Result<Vec<Entry>> {
        self.worklog_impl(f).await
    }
    async fn worklog_entry(&self, office_id: i64, id: i64) -> Result<Entry> {
        self.worklog_entry_impl(office_id, id).await
    }
    async fn chain_heads(&self) -> Result<Vec<ChainHead>> {
        self.chain_heads_impl().await
    }
    async fn worklog_head(&self, office_id: i64) -> Result<i64> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT seq FROM worklog_heads WHERE office_id = $1")
            .bind(office_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(seq.unwrap_or(0))
    }
    async fn chain_page(&self, office_id: i64, after_seq: i64, limit: u32) -> Result<Vec<Entry>> {
        self.chain_page_impl(office_id, after_seq, limit).await
    }

    async fn software_catalogue(&self, office_id: i64) -> Result<Vec<Product>> {
        self.software_catalogue_impl(office_id).await
    }
    async fn software_install_counts(&self, office_id: i64) -> Result<HashMap<i64, i64>> {
        self.software_install_counts_impl(office_id).await
    }
    async fn software_installed_on(&self, office_id: i64, product_id: i64) -> Result<Vec<(i64, String)>> {
        self.software_installed_on_impl(office_id, product_id).await
    }
    async fn save_software_product(&self, office_id: i64, id: Option<i64>, f: &ProductFields, now_us: Micros, log: Draft) -> Result<i64> {
        self.save_software_product_impl(office_id, id, f, now_us, log).await
    }
    async fn add_software_licence(&self, office_id: i64, product_id: i64, f: &LicenceFields, now_us: Micros, log: Draft) -> Result<i64> {
        self.add_software_licence_impl(office_id, product_id, f, now_us, log).await
    }
    async fn remove_software_licence(&self, office_id: i64, licence_id: i64, now_us: Micros, log: Draft) -> Result<()> {
        self.remove_software_licence_impl(office_id, licence_id, now_us, log).await
    }
    async fn add_software_rule(&self, office_id: i64, f: &RuleFields, now_us: Micros, log: Draft) -> Result<i64> {
        self.add_software_rule_impl(office_id, f, now_us, log).await
    }
    async fn delete_software_rule(&self, office_id: i64, rule_id: i64, now_us: Micros, log: Draft) -> Result<()> {
        self.delete_software_rule_impl(office_id, rule_id, now_us, log).await
    }
    async fn software_version(&self, office_id: i64) -> Result<i64> {
        self.software_version_impl(office_id).await
    }
    async fn software_rules(&self, office_id: i64) -> Result<Vec<Rule>> {
        self.software_rules_impl(office_id).await
    }
    async fn software_unknown(&self, office_id: i64, limit: i64) -> Result<Vec<(String, i64)>> {
        self.software_unknown_impl(office_id, limit).await
    }
    async fn software_task_rows(
        &self,
        office_id: i64,
        open_only: bool,
        asset_id: Option<i64>,
        unit_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Task>> {
        self.software_task_rows_impl(office_id, open_only, asset_id, unit_id, limit).await
    }
    async fn software_titles(&self, office_id: i64) -> Result<Vec<(String, String)>> {
        self.software_titles_impl(office_id).await
    }
    async fn open_software_task_count(&self, office_id: i64) -> Result<i64> {
        self.open_software_task_count_impl(office_id).await
    }
    async fn stored_software_titles(&self, office_id: i64) -> Result<Vec<(String, String, Recognition)>> {
        self.stored_software_titles_impl(office_id).await
    }
    async fn software_counts(&self, office_id: i64) -> Result<(i64, i64)> {
        self.software_counts_impl(office_id).await
    }
    async fn replace_software_findings(&self, office_id: i64, titles: &[Title], now_us: Micros) -> Result<(i64, i64)> {
        self.replace_software_findings_impl(office_id, titles, now_us).await
    }
    async fn software_installs_of(&self, office_id: i64, products: &BTreeSet<i64>) -> Result<Vec<(i64, i64, String)>> {
        self.software_installs_of_impl(office_id, products).await
    }
    async fn installed_software(&self, office_id: i64, asset_id: Option<i64>) -> Result<Vec<Installed>> {
        self.installed_software_impl(office_id, asset_id).await
    }
    async fn store_software_state(&self, office_id: i64, state: SoftwareState, now_us: Micros) -> Result<()> {
        self.store_software_state_impl(office_id, state, now_us).await
    }

    async fn create_install_request(
        &self,
        office_id: i64,
        f: &RequestFields,
        by: &str,
        user_id: i64,
        now_us: Micros,
        log: Draft,
    ) -> Result<i64> {
        self.create_install_request_impl(office_id, f, by, user_id, now_us, log).await
    }

    async fn install_requests(&self, office_id: i64, open_only: bool, user_id: Option<i64>) -> Result<Vec<InstallRequest>> {
        self.install_requests_impl(office_id, open_only, user_id).await
    }

    async fn install_request(&self, office_id: i64, id: i64) -> Result<InstallRequest> {
        self.install_request_impl(office_id, id).await
    }

    async fn set_install_request_state(
        &self,
        office_id: i64,
        id: i64,
        from: RequestState,
        to: RequestState,
        by: &str,
        note: &str,
        product_id: Option<i64>,
        now_us: Micros,
        log: Draft,
    ) -> Result<()> {
        self.set_install_request_state_impl(office_id, id, from, to, by, note, product_id, now_us, log).await
    }

    async fn installs_to_confirm(&self, office_id: i64, asset_id: Option<i64>) -> Result<Vec<InstallRequest>> {
        self.installs_to_confirm_impl(office_id, asset_id).await
    }

    async fn record_backup_run(&self, run: &NewRun, by: &str, logs: Vec<Draft>, now_us: Micros) -> Result<i64> {
        self.record_backup_run_impl(run, by, logs, now_us).await
    }

    async fn backup_runs(&self, office_id: i64, limit: i64) -> Result<Vec<Run>> {
        self.backup_runs_impl(office_id, limit).await
    }

    async fn last_backup_success(&self, job: &str) -> Result<Option<Micros>> {
        self.last_backup_success_impl(job).await
    }

    async fn backup_media(&self, office_id: i64) -> Result<Vec<Medium>> {
        self.backup_media_impl(office_id).await
    }

    async fn add_backup_medium(&self, office_id: i64, f: &MediumFields, now_us: Micros, log: Draft) -> Result<i64> {
        self.add_backup_medium_impl(office_id, f, now_us, log).await
    }

    async fn record_custody(&self, office_id: i64, medium_id: i64, f: &CustodyFields, by: &str, now_us: Micros, log: Draft) -> Result<i64> {
        self.record_custody_impl(office_id, medium_id, f, by, now_us, log).await
    }

    async fn custody_book(&self, office_id: i64) -> Result<Vec<CustodyEvent>> {
        self.custody_book_impl(office_id).await
    }

    async fn security_assessments(&self, office_id: i64, law: Law) -> Result<Vec<Assessment>> {
        self.security_assessments_impl(office_id, law).await
    }

    async fn save_assessment(&self, office_id: i64, a: &Assessment, now_us: Micros, log: Draft) -> Result<()> {
        self.save_assessment_impl(office_id, a, now_us, log).await
    }

    async fn evidence_files(&self, office_id: i64, law: Law, no: Option<i64>) -> Result<Vec<EvidenceFile>> {
        self.evidence_files_impl(office_id, law, no).await
    }

    async fn add_evidence(&self, office_id: i64, f: &EvidenceFile, bytes: &[u8], log: Draft) -> Result<i64> {
        self.add_evidence_impl(office_id, f, bytes, log).await
    }

    async fn evidence_file(&self, office_id: i64, id: i64) -> Result<(EvidenceFile, Vec<u8>)> {
        self.evidence_file_impl(office_id, id).await
    }

    async fn administrators_with_mfa(&self, office_id: i64) -> Result<(i64, i64)> {
        self.administrators_with_mfa_impl(office_id).await
    }

    async fn incidents(&self, office_id: i64) -> Result<Vec<Incident>> {
        self.incidents_impl(office_id).await
    }

    async fn save_incident(
        &self,
        office_id: i64,
        id: Option<i64>,
        f: &IncidentFields,
        asset_ids: &[i64],
        by: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<i64> {
        self.save_incident_impl(office_id, id, f, asset_ids, by, now_us, log).await
    }

    async fn add_incident_report(
        &self,
        office_id: i64,
        incident_id: i64,
        kind: ReportKind,
        sent_us: Micros,
        recipient: &str,
        reference: &str,
        snapshot: &str,
        by: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<i64> {
        self.add_incident_report_impl(office_id, incident_id, kind, sent_us, recipient, reference, snapshot, by, now_us, log).await
    }

    async fn server_room_visits(&self, office_id: i64, limit: i64) -> Result<Vec<Visit>> {
        self.server_room_visits_impl(office_id, limit).await
    }

    async fn add_server_room_visit(&self, office_id: i64, v: &VisitFields, by: &str, now_us: Micros, log: Draft) -> Result<i64> {
        self.add_server_room_visit_impl(office_id, v, by, now_us, log).await
    }

    async fn close_server_room_visit(&self, office_id: i64, id: i64, left_us: Micros, now_us: Micros, log: Draft) -> Result<()> {
        self.close_server_room_visit_impl(office_id, id, left_us, now_us, log).await
    }

    async fn trainings(&self, office_id: i64) -> Result<Vec<Training>> {
        self.trainings_impl(office_id).await
    }

    async fn add_training(&self, office_id: i64, f: &TrainingFields, by: &str, now_us: Micros, log: Draft) -> Result<i64> {
        self.add_training_impl(office_id, f, by, now_us, log).await
    }

    async fn untrained_people(&self, office_id: i64, since: Option<&str>) -> Result<Vec<(i64, String)>> {
        self.untrained_people_impl(office_id, since).await
    }

    async fn removals(&self, office_id: i64) -> Result<Vec<Removal>> {
        self.removals_impl(office_id).await
    }

    async fn add_removal(
        &self,
        office_id: i64,
        kind: RemovalKind,
        what: &str,
        purpose: &str,
        asset_id: Option<i64>,
        by: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<i64> {
        self.add_removal_impl(office_id, kind, what, purpose, asset_id, by, now_us, log).await
    }

    async fn decide_removal(
        &self,
        office_id: i64,
        id: i64,
        to: RemovalState,
        by: &str,
        note: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<()> {
        self.decide_removal_impl(office_id, id, to, by, note, now_us, log).await
    }

    async fn transfers(&self, office_id: i64) -> Result<Vec<Transfer>> {
        self.transfers_impl(office_id).await
    }

    async fn add_transfer(&self, office_id: i64, t: &Transfer, by: &str, now_us: Micros, log: Draft) -> Result<i64> {
        self.add_transfer_impl(office_id, t, by, now_us, log).await
    }

    async fn compliance_checks(&self, office_id: i64) -> Result<Vec<Check>> {
        self.compliance_checks_impl(office_id).await
    }

    async fn create_check(&self, office_id: i64, c: &Check, by: &str, now_us: Micros, log: Draft) -> Result<i64> {
        self.create_check_impl(office_id, c, by, now_us, log).await
    }

    async fn save_findings(&self, office_id: i64, id: i64, findings: &[Finding], now_us: Micros, log: Draft) -> Result<()> {
        self.save_findings_impl(office_id, id, findings, now_us, log).await
    }

    async fn complete_check(
        &self,
        office_id: i64,
        id: i64,
        law: Law,
        completed_on: &str,
        conclusion: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<()> {
        self.complete_check_impl(office_id, id, law, completed_on, conclusion, now_us, log).await
    }

    async fn add_corrective_action(&self, office_id: i64, a: &CorrectiveAction, now_us: Micros, log: Draft) -> Result<i64> {
        self.add_corrective_action_impl(office_id, a, now_us, log).await
    }

    async fn close_corrective_action(&self, office_id: i64, id: i64, done_on: &str, note: &str, now_us: Micros, log: Draft) -> Result<()> {
        self.close_corrective_action_impl(office_id, id, done_on, note, now_us, log).await
    }

    async fn security_acts(&self, office_id: i64) -> Result<Vec<SecurityAct>> {
        self.security_acts_impl(office_id).await
    }

    async fn add_security_act(&self, office_id: i64, a: &SecurityAct, by: &str, now_us: Micros, log: Draft) -> Result<i64> {
        self.add_security_act_impl(office_id, a, by, now_us, log).await
    }

    async fn proposals(&self, office_id: i64) -> Result<Vec<Proposal>> {
        self.proposals_impl(office_id).await
    }

    async fn add_proposal(
        &self,
        office_id: i64,
        title: &str,
        reason: &str,
        estimate_para: i64,
        by: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<i64> {
        self.add_proposal_impl(office_id, title, reason, estimate_para, by, now_us, log).await
    }

    async fn decide_proposal(&self, office_id: i64, id: i64, d: &Decision, by: &str, now_us: Micros, log: Draft) -> Result<()> {
        self.decide_proposal_impl(office_id, id, d, by, now_us, log).await
    }

    async fn set_procurement_ref(&self, office_id: i64, id: i64, reference: &str, now_us: Micros, log: Draft) -> Result<()> {
        self.set_procurement_ref_impl(office_id, id, reference, now_us, log).await
    }

    async fn assets_by_procurement(&self, office_id: i64, reference: &str) -> Result<Vec<(i64, String, String, String)>> {
        self.assets_by_procurement_impl(office_id, reference).await
    }

    async fn shares(&self, office_id: i64) -> Result<Vec<(i64, String, String)>> {
        self.shares_impl(office_id).await
    }

    async fn share_scans(&self, office_id: i64, share_id: i64, limit: i64) -> Result<Vec<ScanSummary>> {
        self.share_scans_impl(office_id, share_id, limit).await
    }

    async fn share_scan_units(&self, scan_id: i64) -> Result<Vec<UnitRow>> {
        self.share_scan_units_impl(scan_id).await
    }

    async fn share_findings(&self, scan_id: i64, unit: Option<&str>, offset: i64, limit: i64) -> Result<(Vec<StoredFinding>, i64)> {
        self.share_findings_impl(scan_id, unit, offset, limit).await
    }

    async fn record_share_scan(&self, office_id: i64, scan: &NewScan, keep_findings: i64, now_us: Micros, log: Draft) -> Result<i64> {
        self.record_share_scan_impl(office_id, scan, keep_findings, now_us, log).await
    }

    async fn processing_records(&self, office_id: i64) -> Result<Vec<ProcessingRecord>> {
        self.processing_records_impl(office_id).await
    }

    async fn add_processing_version(
        &self,
        office_id: i64,
        r: &ProcessingRecord,
        base_version: Option<i64>,
        now_us: Micros,
        log: Draft,
    ) -> Result<(i64, i64)> {
        self.add_processing_version_impl(office_id, r, base_version, now_us, log).await
    }

    async fn internet_hosts(&self, office_id: i64) -> Result<Vec<HostRow>> {
        self.internet_hosts_impl(office_id).await
    }

    async fn save_internet_access(&self, office_id: i64, a: &Access, now_us: Micros, log: Draft) -> Result<()> {
        self.save_internet_access_impl(office_id, a, now_us, log).await
    }

    async fn internet_sites(&self, office_id: i64) -> Result<Vec<Site>> {
        self.internet_sites_impl(office_id).await
    }

    async fn add_internet_sites(&self, office_id: i64, sites: &[(SiteCategory, String)], now_us: Micros, log: Draft) -> Result<usize> {
        self.add_internet_sites_impl(office_id, sites, now_us, log).await
    }

    async fn remove_internet_site(&self, office_id: i64, id: i64, now_us: Micros, log: Draft) -> Result<()> {
        self.remove_internet_site_impl(office_id, id, now_us, log).await
    }

    async fn record_misuse(
        &self,
        office_id: i64,
        f: &MisuseFields,
        by: &str,
        cut: Option<&Access>,
        now_us: Micros,
        log: Draft,
    ) -> Result<i64> {
        self.record_misuse_impl(office_id, f, by, cut, now_us, log).await
    }

    async fn misuse_reports(&self, office_id: i64, unseen_only: bool) -> Result<Vec<Misuse>> {
        self.misuse_reports_impl(office_id, unseen_only).await
    }

    async fn acknowledge_misuse(&self, office_id: i64, id: i64, by: &str, now_us: Micros, log: Draft) -> Result<()> {
        self.acknowledge_misuse_impl(office_id, id, by, now_us, log).await
    }

    async fn antivirus_rows(&self, office_id: i64) -> Result<Vec<AntivirusRow>> {
        self.antivirus_rows_impl(office_id).await
    }
    async fn antivirus_states(&self, office_id: i64) -> Result<Vec<(Option<String>, i64)>> {
        self.antivirus_states_impl(office_id).await
    }

    async fn totp(&self, user_id: i64) -> Result<TotpState> {
        self.totp_impl(user_id).await
    }
    async fn set_totp(&self, user_id: i64, c: &TotpChange, now_us: Micros, log: Draft) -> Result<()> {
        self.set_totp_impl(user_id, c, now_us, log).await
    }
    async fn use_totp_step(&self, user_id: i64, step: i64) -> Result<bool> {
        self.use_totp_step_impl(user_id, step).await
    }
    async fn create_login_ticket(&self, hash: &str, user_id: i64, expires_us: Micros) -> Result<()> {
        self.create_login_ticket_impl(hash, user_id, expires_us).await
    }
    async fn login_ticket(&self, hash: &str) -> Result<Option<LoginTicket>> {
        self.login_ticket_impl(hash).await
    }
    async fn login_ticket_failed(&self, hash: &str) -> Result<i64> {
        self.login_ticket_failed_impl(hash).await
    }
    async fn delete_login_ticket(&self, hash: &str) -> Result<()> {
        self.delete_login_ticket_impl(hash).await
    }

    async fn directory_state(&self, office_id: i64, filter: AccountFilter<'_>) -> Result<LocalState> {
        self.directory_state_impl(office_id, filter).await
    }
    async fn apply_directory_change(&self, office_id: i64, c: &SyncChange, now_us: Micros, log: Draft) -> Result<i64> {
        self.apply_directory_change_impl(office_id, c, now_us, log).await
    }
    async fn record_directory_sync(&self, office_id: i64, run: &SyncRun, log: Draft) -> Result<i64> {
        self.record_directory_sync_impl(office_id, run, log).await
    }
    async fn directory_syncs(&self, office_id: i64, limit: i64) -> Result<Vec<SyncRun>> {
        self.directory_syncs_impl(office_id, limit).await
    }
    async fn claim_job(&self, name: &str, holder: &str, now_us: Micros, until_us: Micros) -> Result<bool> {
        self.claim_job_impl(name, holder, now_us, until_us).await
    }

    async fn mail_recorded(&self, at: &MailboxRef, uids: &[i64]) -> Result<Vec<Recorded>> {
        self.mail_recorded_impl(at, uids).await
    }
    async fn import_mail(&self, m: &MailImport, now_us: Micros) -> Result<Imported> {
        self.import_mail_impl(m, now_us).await
    }
    async fn mail_sender(&self, office_id: i64, email: &str) -> Result<Option<SenderPerson>> {
        self.mail_sender_impl(office_id, email).await
    }
    async fn mail_message_known(&self, office_id: i64, message_id: &str) -> Result<bool> {
        self.mail_message_known_impl(office_id, message_id).await
    }
    async fn mail_thread_report(&self, office_id: i64, message_ids: &[String]) -> Result<Option<i64>> {
        self.mail_thread_report_impl(office_id, message_ids).await
    }
    async fn report_id_by_number(&self, office_id: i64, number: &str) -> Result<Option<i64>> {
        self.report_id_by_number_impl(office_id, number).await
    }
    async fn report_first_message_id(&self, office_id: i64, report_id: i64) -> Result<Option<String>> {
        self.report_first_message_id_impl(office_id, report_id).await
    }
    async fn person_locale(&self, person_id: i64) -> Result<Option<String>> {
        self.person_locale_impl(person_id).await
    }
    async fn outbox_due(&self, now_us: Micros, limit: i64) -> Result<Vec<OutboxRow>> {
        self.outbox_due_impl(now_us, limit).await
    }
    async fn outbox_claim(&self, id: i64, attempts: i64, lease_until_us: Micros) -> Result<bool> {
        self.outbox_claim_impl(id, attempts, lease_until_us).await
    }
    async fn outbox_text(&self, id: i64) -> Result<(String, String)> {
        self.outbox_text_impl(id).await
    }
    async fn outbox_message_id(
        &self,
        office_id: i64,
        id: i64,
        report_id: i64,
        message_id: &str,
        subject: &str,
        now_us: Micros,
    ) -> Result<()> {
        self.outbox_message_id_impl(office_id, id, report_id, message_id, subject, now_us).await
    }
    async fn outbox_done(&self, id: i64, status: OutboxStatus, error: &str, next_attempt_us: Micros, now_us: Micros) -> Result<()> {
        self.outbox_done_impl(id, status, error, next_attempt_us, now_us).await
    }
    async fn list_outbox(&self, office_id: i64, limit: i64) -> Result<Vec<OutboxRow>> {
        self.list_outbox_impl(office_id, limit).await
    }
    async fn report_attachments(&self, office_id: i64, report_id: i64) -> Result<Vec<AttachmentMeta>> {
        self.report_attachments_impl(office_id, report_id).await
    }
    async fn report_attachment(&self, office_id: i64, report_id: i64, id: i64) -> Result<(AttachmentMeta, Vec<u8>)> {
        self.report_attachment_impl(office_id, report_id, id).await
    }
}
