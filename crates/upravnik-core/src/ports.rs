//! The storage port: what the domain needs from a database. One adapter implements it for
//! SQLite and PostgreSQL (`upravnik-storage`). Every method that changes state takes the
//! work-log [`Draft`] it must append in the same transaction.

use crate::Result;
use crate::access::{Actor, Role};
use crate::account_requests::{AccountRequest, Grant};
use crate::account_requests_service::{CarryOut, NewAccountRequest, RequestQuery};
use crate::applications::{Application, ApplicationFields};
use crate::asset::{Asset, AssetFields, AssetQuery, AssetStatus, Assignment, FieldChange, HistoryRow, Identifier};
use crate::bulk::BulkItem;
use crate::clock::Micros;
use crate::consumable::{Consumable, ConsumableFields, ConsumableQuery, Move, MoveQuery, NewMove};
use crate::directory::{AccountFilter, LocalState, SyncChange, SyncRun};
use crate::helpdesk::{AssetStep, Comment, NewComment, NewReport, Report, ReportQuery, ReportStep, Step};
use crate::import::{ImportBatch, ImportOutcome, ImportUpload};
use crate::inventory::{AgentRecord, AgentSeen, AgentSettings, InventoryTx, InventoryView, MachineRow, MergePlan};
use crate::knowledge::{Article, ArticleFields, KbQuery, NewArticle};
use crate::mail::{AttachmentMeta, Imported, MailImport, MailboxRef, OutboxRow, OutboxStatus, Recorded, SenderPerson};
use std::collections::{BTreeSet, HashMap};

use crate::backup::{CustodyEvent, CustodyFields, Medium, MediumFields, NewRun, Run};
use crate::compliance::{Check, CorrectiveAction, Finding, SecurityAct};
use crate::incident::{Incident, IncidentFields, ReportKind};
use crate::internet::{Access, Misuse, MisuseFields, SiteCategory};
use crate::internet_service::{AntivirusRow, HostRow, Site};
use crate::measures::{Assessment, Law};
use crate::mfa::{LoginTicket, TotpChange, TotpState};
use crate::org::{ListQuery, Office, Page, Person, PersonInput, Unit, UnitInput, Workplace, WorkplaceInput};
use crate::parts::{Part, PartFields, PartKind, PartSource};
use crate::processing::ProcessingRecord;
use crate::procurement::{Decision, Proposal};
use crate::removals::{Removal, RemovalKind, RemovalState, Transfer};
use crate::report_forms::{Handover, NewHandover, NewServiceSheet, NewWorkOrder, ReportForms, ServiceSheet, WorkKind, WorkOrder};
use crate::rules::{Acceptance, AcceptanceList, AcceptanceQuery, AcceptedBy, RulesVersion};
use crate::saved_filter::{SavedFilter, SavedFilterInput};
use crate::security_service::EvidenceFile;
use crate::server_room::{Visit, VisitFields};
use crate::shares_service::{NewScan, ScanSummary, StoredFinding, UnitRow};
use crate::software::{Installed, LicenceFields, Product, ProductFields, Recognition, Rule, RuleFields};
use crate::software_requests::{InstallRequest, RequestFields, RequestState};
use crate::software_service::{SoftwareState, Task, Title};
use crate::subnet::{AssetAddress, Subnet, SubnetFields};
use crate::trainings::{Training, TrainingFields};
use crate::worklog::{Draft, Entry, Filter};

/// An account as the sign-in needs it.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub user_id: i64,
    pub password_hash: String,
    pub active: bool,
    /// A directory account: the password is checked there.
    pub directory_dn: Option<String>,
}

/// An account as the people pages show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Account {
    pub user_id: i64,
    pub person_id: i64,
    pub office_id: i64,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    pub active: bool,
    pub locale: String,
    /// When the password was last set (R.18: changed periodically).
    pub password_changed_us: Micros,
    /// Signs in at the directory (the password is the directory's).
    pub directory: bool,
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub office_id: i64,
    pub person_id: i64,
    pub username: String,
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub now_us: Micros,
}

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub actor: Actor,
    pub csrf: String,
    pub expires_us: Micros,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_us: Micros,
    pub last_used_us: Option<Micros>,
}

/// The recorded end of one office's chain.
#[derive(Debug, Clone)]
pub struct ChainHead {
    pub office_id: i64,
    pub seq: i64,
    pub hash: String,
}

#[async_trait::async_trait]
pub trait Store: Send + Sync {
    /// Whether the database answers.
    async fn ping(&self) -> Result<()>;
    /// `sqlite` or `postgres`, for metrics and logs.
    fn backend_name(&self) -> &'static str;

    // Offices.
    async fn offices(&self) -> Result<Vec<Office>>;
    /// Creates an office; its chain starts with `draft` (whose office id is replaced).
    async fn create_office(&self, name: &str, draft: Draft, now_us: Micros) -> Result<Office>;

    /// Active units, workplaces, people and accounts of the office, in one statement.
    async fn org_counts(&self, office_id: i64) -> Result<crate::org::OrgCounts>;
    // Units.
    async fn list_units(&self, q: &ListQuery) -> Result<Page<Unit>>;
    async fn get_unit(&self, office_id: i64, id: i64) -> Result<Unit>;
    async fn create_unit(&self, office_id: i64, input: &UnitInput, now_us: Micros, log: Draft) -> Result<Unit>;
    async fn update_unit(&self, office_id: i64, id: i64, input: &UnitInput, now_us: Micros, log: Draft) -> Result<Unit>;
    async fn set_unit_active(&self, office_id: i64, id: i64, active: bool, now_us: Micros, log: Draft) -> Result<()>;

    // Workplaces.
    async fn list_workplaces(&self, q: &ListQuery) -> Result<Page<Workplace>>;
    async fn get_workplace(&self, office_id: i64, id: i64) -> Result<Workplace>;
    async fn create_workplace(&self, office_id: i64, input: &WorkplaceInput, now_us: Micros, log: Draft) -> Result<Workplace>;
    async fn update_workplace(&self, office_id: i64, id: i64, input: &WorkplaceInput, now_us: Micros, log: Draft) -> Result<Workplace>;
    async fn set_workplace_active(&self, office_id: i64, id: i64, active: bool, now_us: Micros, log: Draft) -> Result<()>;

    // People.
    async fn list_people(&self, q: &ListQuery) -> Result<Page<Person>>;
    async fn get_person(&self, office_id: i64, id: i64) -> Result<Person>;
    async fn create_person(&self, office_id: i64, input: &PersonInput, now_us: Micros, log: Draft) -> Result<Person>;
    async fn update_person(&self, office_id: i64, id: i64, input: &PersonInput, now_us: Micros, log: Draft) -> Result<Person>;
    async fn set_person_active(&self, office_id: i64, id: i64, active: bool, now_us: Micros, log: Draft) -> Result<()>;

    // Accounts.
    async fn administrator_exists(&self) -> Result<bool>;
    async fn create_account(&self, a: &NewAccount, log: Draft) -> Result<Account>;
    async fn account(&self, user_id: i64) -> Result<Account>;
    async fn list_accounts(&self, q: &ListQuery) -> Result<Page<Account>>;
    async fn login_record(&self, username: &str) -> Result<Option<LoginRecord>>;
    async fn actor(&self, user_id: i64) -> Result<Actor>;
    async fn set_password(&self, user_id: i64, hash: &str, now_us: Micros, log: Draft) -> Result<()>;
    async fn set_roles(&self, user_id: i64, roles: &[Role], now_us: Micros, log: Draft) -> Result<()>;
    async fn set_account_active(&self, user_id: i64, active: bool, now_us: Micros, log: Draft) -> Result<()>;
    async fn set_locale(&self, user_id: i64, locale: &str, now_us: Micros, log: Draft) -> Result<()>;
    async fn grant_office(&self, user_id: i64, office_id: i64, now_us: Micros, log: Draft) -> Result<()>;

    // Sign-in throttling (per username, whether or not it exists).
    /// Failures so far and the lock end, if any.
    async fn login_throttle(&self, key: &str) -> Result<(i64, Option<Micros>)>;
    async fn record_login_failure(&self, key: &str, now_us: Micros, lock_until: Option<Micros>, log: Option<Draft>) -> Result<i64>;
    async fn clear_login_failures(&self, key: &str) -> Result<()>;

    // Sessions (server-side, so several instances can share one database).
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        now_us: Micros,
        expires_us: Micros,
        log: Draft,
    ) -> Result<()>;
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>>;
    async fn touch_session(&self, token_hash: &str, expires_us: Micros) -> Result<()>;
    async fn delete_session(&self, token_hash: &str, now_us: Micros, log: Option<Draft>) -> Result<()>;
    async fn delete_expired_sessions(&self, now_us: Micros) -> Result<u64>;

    // Personal API tokens.
    async fn create_api_token(&self, user_id: i64, name: &str, token_hash: &str, now_us: Micros, log: Draft) -> Result<ApiToken>;
    async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>>;
    async fn revoke_api_token(&self, user_id: i64, id: i64, now_us: Micros, log: Draft) -> Result<()>;
    async fn actor_by_api_token(&self, token_hash: &str, now_us: Micros) -> Result<Option<Actor>>;

    // Equipment (R.3–R.13).
    async fn list_assets(&self, q: &AssetQuery) -> Result<Page<Asset>>;
    /// How many assets `q` matches (its page and sort are ignored).
    async fn count_assets(&self, q: &AssetQuery) -> Result<i64>;
    async fn get_asset(&self, office_id: i64, id: i64) -> Result<Asset>;
    /// The asset (other than `except`) that holds this identifier: any asset for inventory
    /// numbers and labels, an active one for IP addresses.
    async fn asset_holding(&self, office_id: i64, what: Identifier, value: &str, except: Option<i64>) -> Result<Option<Asset>>;
    /// The highest label ever given in the office (R.12).
    async fn highest_label(&self, office_id: i64) -> Result<Option<i64>>;
    async fn create_asset(&self, office_id: i64, fields: &AssetFields, status: AssetStatus, now_us: Micros, log: Draft) -> Result<Asset>;
    /// Saves the fields and one history row per change (R.11), with the log entry.
    async fn update_asset(
        &self,
        office_id: i64,
        id: i64,
        fields: &AssetFields,
        changes: &[FieldChange],
        now_us: Micros,
        log: Draft,
    ) -> Result<Asset>;
    async fn set_asset_status(
        &self,
        office_id: i64,
        id: i64,
        status: AssetStatus,
        change: &FieldChange,
        now_us: Micros,
        log: Draft,
    ) -> Result<Asset>;
    async fn asset_history(&self, office_id: i64, id: i64) -> Result<Vec<HistoryRow>>;
    /// Closes the open assignment (if any) on `on`, opens a new one, puts the asset in use.
    #[allow(clippy::too_many_arguments)]
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
    ) -> Result<Asset>;
    /// Closes the open assignment on `on` and puts the asset back in stock.
    async fn return_asset(&self, office_id: i64, id: i64, on: &str, changes: &[FieldChange], now_us: Micros, log: Draft) -> Result<Asset>;
    async fn asset_assignments(&self, office_id: i64, id: i64) -> Result<Vec<Assignment>>;
    /// Every component and program of the asset, removed ones included, newest first.
    async fn asset_parts(&self, office_id: i64, asset_id: i64) -> Result<Vec<Part>>;
    #[allow(clippy::too_many_arguments)]
    async fn add_part(
        &self,
        office_id: i64,
        asset_id: i64,
        fields: &PartFields,
        source: PartSource,
        change: &FieldChange,
        now_us: Micros,
        log: Draft,
    ) -> Result<Part>;
    #[allow(clippy::too_many_arguments)]
    async fn update_part(
        &self,
        office_id: i64,
        asset_id: i64,
        part_id: i64,
        fields: &PartFields,
        change: &FieldChange,
        now_us: Micros,
        log: Draft,
    ) -> Result<Part>;
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
    ) -> Result<()>;

    // Consumables kept in a store (R.3).
    async fn list_consumables(&self, q: &ConsumableQuery) -> Result<Page<Consumable>>;
    async fn get_consumable(&self, office_id: i64, id: i64) -> Result<Consumable>;
    async fn create_consumable(&self, office_id: i64, fields: &ConsumableFields, now_us: Micros, log: Draft) -> Result<Consumable>;
    async fn update_consumable(&self, office_id: i64, id: i64, fields: &ConsumableFields, now_us: Micros, log: Draft)
    -> Result<Consumable>;
    /// Books a move: changes the stock by `m.delta` only if it stays at zero or above (else
    /// `Conflict { code: "insufficient_stock" }` and nothing changes), keeps the move row with the
    /// stock after it, and appends the log entry — one transaction. `on` is an ISO date.
    async fn record_consumable_move(&self, office_id: i64, id: i64, m: &NewMove, on: &str, now_us: Micros, log: Draft) -> Result<Move>;
    /// Newest first.
    async fn consumable_moves(&self, office_id: i64, q: &MoveQuery) -> Result<Vec<Move>>;

    // Fault reports (R.52–R.53).
    async fn list_reports(&self, q: &ReportQuery) -> Result<Page<Report>>;
    /// How many reports `q` matches (its page and sort are ignored).
    async fn count_reports(&self, q: &ReportQuery) -> Result<i64>;
    async fn get_report(&self, office_id: i64, id: i64) -> Result<Report>;
    /// Gives the report the office's next number of `r.year`, writes it with its first step and
    /// the log entry (whose text's [`crate::helpdesk::NUMBER_SLOT`] becomes the number): one
    /// transaction.
    /// Answers the report's id and number; the caller knows the rest of what was written.
    async fn create_report(&self, office_id: i64, r: &NewReport, now_us: Micros, log: Draft) -> Result<(i64, String)>;
    /// Moves the report if it is still in `step.from` (else `Conflict { code: "report_changed" }`),
    /// keeps the step, changes the device's status with its history row and log entry when
    /// `asset` says so (guarded by the status it was planned from), and appends `log`: one
    /// transaction.
    async fn move_report(
        &self,
        office_id: i64,
        id: i64,
        step: &ReportStep,
        asset: Option<AssetStep>,
        now_us: Micros,
        log: Draft,
    ) -> Result<Report>;
    /// Keeps a comment, adds its minutes, marks the first response when `first_response`.
    async fn add_report_comment(
        &self,
        office_id: i64,
        id: i64,
        c: &NewComment,
        first_response: bool,
        now_us: Micros,
        log: Draft,
    ) -> Result<Comment>;
    /// Steps and comments (internal ones only with `internal`), oldest first.
    async fn report_timeline(&self, office_id: i64, id: i64, internal: bool) -> Result<(Vec<Step>, Vec<Comment>)>;
    /// Sets a new priority and its deadlines if the report still has `from` (else
    /// `Conflict { code: "report_changed" }`).
    #[allow(clippy::too_many_arguments)]
    async fn set_report_priority(
        &self,
        office_id: i64,
        id: i64,
        from: crate::helpdesk::Priority,
        to: crate::helpdesk::Priority,
        due: (Option<Micros>, Option<Micros>),
        now_us: Micros,
        log: Draft,
    ) -> Result<Report>;
    /// Reports made or resolved in `[from_us, to_us)` (P.5.1).
    async fn reports_in_period(&self, office_id: i64, from_us: Micros, to_us: Micros) -> Result<Vec<Report>>;
    async fn sla_settings(&self, office_id: i64) -> Result<Option<crate::sla_service::SlaSettings>>;
    async fn save_sla_settings(&self, s: &crate::sla_service::SlaSettings, now_us: Micros, log: Draft) -> Result<()>;

    // The forms of a fault's life (R.52–R.53): work orders, hand-over records, service sheets.
    /// The report's documents and recorded work; `work_order_required` is left for the service.
    async fn report_forms(&self, office_id: i64, report_id: i64) -> Result<ReportForms>;
    /// Numbers the order (per office and year) and keeps it with its lines and `log`: one transaction.
    async fn create_work_order(&self, office_id: i64, report_id: i64, w: &NewWorkOrder, now_us: Micros, log: Draft) -> Result<WorkOrder>;
    /// Keeps a record that work of `kind` was done on the report (R.53).
    async fn record_report_work(
        &self,
        office_id: i64,
        report_id: i64,
        kind: WorkKind,
        note: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<()>;
    /// Numbers and keeps the record, and makes `step` (to the service) in the same transaction.
    #[allow(clippy::too_many_arguments)]
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
    ) -> Result<Handover>;
    /// Keeps the sheet and its scan, and makes `step` (back from the service) in the same transaction.
    #[allow(clippy::too_many_arguments)]
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
    ) -> Result<ServiceSheet>;
    /// The scan of a sheet: (file name, content type, bytes).
    async fn service_sheet_scan(&self, office_id: i64, report_id: i64, sheet_id: i64) -> Result<(String, String, Vec<u8>)>;

    // IP subnets (R.3).
    async fn list_subnets(&self, office_id: i64) -> Result<Vec<Subnet>>;
    async fn get_subnet(&self, office_id: i64, id: i64) -> Result<Subnet>;
    async fn create_subnet(&self, office_id: i64, fields: &SubnetFields, now_us: Micros, log: Draft) -> Result<Subnet>;
    async fn update_subnet(&self, office_id: i64, id: i64, fields: &SubnetFields, now_us: Micros, log: Draft) -> Result<Subnet>;
    async fn delete_subnet(&self, office_id: i64, id: i64, now_us: Micros, log: Draft) -> Result<()>;
    /// The IP addresses held by the office's active assets (status not written off or disposed).
    async fn active_addresses(&self, office_id: i64) -> Result<Vec<AssetAddress>>;
    /// The assets of the office among `ids` (those not there are left out).
    async fn assets_by_ids(&self, office_id: i64, ids: &[i64]) -> Result<Vec<Asset>>;
    /// Every item's update, history rows and log entry in ONE transaction; if any asset is gone or
    /// its status changed since planning, nothing is written.
    async fn apply_bulk(&self, office_id: i64, items: Vec<BulkItem>, now_us: Micros) -> Result<()>;
    /// (building, room) pairs in use in the office, for the list's filters.
    async fn asset_places(&self, office_id: i64) -> Result<Vec<(String, String)>>;

    // Saved filters.
    /// The user's own filters of a page, then (with `shared`) those shared by others.
    async fn saved_filters(&self, office_id: i64, user_id: i64, page: &str, shared: bool) -> Result<Vec<SavedFilter>>;
    async fn saved_filter(&self, office_id: i64, id: i64) -> Result<SavedFilter>;
    async fn create_saved_filter(
        &self,
        office_id: i64,
        user_id: i64,
        f: &SavedFilterInput,
        now_us: Micros,
        log: Draft,
    ) -> Result<SavedFilter>;
    async fn delete_saved_filter(&self, office_id: i64, user_id: i64, id: i64, now_us: Micros, log: Draft) -> Result<()>;

    // Equipment import.
    /// Every asset of the office, for checking a whole file at once.
    async fn office_assets(&self, office_id: i64) -> Result<Vec<Asset>>;
    /// Keeps an upload (its id is ignored) and deletes uploads created before `stale_before_us`.
    async fn save_import_upload(&self, upload: &ImportUpload, stale_before_us: Micros) -> Result<i64>;
    async fn import_upload(&self, office_id: i64, id: i64) -> Result<ImportUpload>;
    async fn set_import_mapping(&self, office_id: i64, id: i64, mapping: &str) -> Result<()>;
    /// Creates and updates the assets with their history and work-log entries, appends the
    /// summary entry and deletes the upload: all in one transaction.
    async fn import_assets(&self, office_id: i64, batch: ImportBatch, now_us: Micros) -> Result<ImportOutcome>;

    // Inventory agents (issue 4).
    /// Opens the one transaction a report is written in.
    async fn begin_inventory(&self, office_id: i64) -> Result<Box<dyn InventoryTx>>;
    /// PROLOG / CONTACT: creates or refreshes the agent row, nothing else.
    async fn record_agent_contact(&self, office_id: i64, a: &AgentSeen, now_us: Micros) -> Result<()>;
    async fn agent_settings(&self, office_id: i64) -> Result<Option<AgentSettings>>;
    async fn agent_settings_by_username(&self, username: &str) -> Result<Option<AgentSettings>>;
    async fn all_agent_settings(&self) -> Result<Vec<AgentSettings>>;
    async fn save_agent_settings(&self, s: &AgentSettings, now_us: Micros, log: Draft) -> Result<()>;
    async fn inventory_view(&self, office_id: i64, asset_id: i64) -> Result<Option<InventoryView>>;
    /// The last report, decompressed, and its format.
    async fn inventory_raw(&self, office_id: i64, asset_id: i64) -> Result<Option<(Vec<u8>, String)>>;
    /// Machines with an inventory, oldest report first; only those last seen before `before_us`.
    async fn agent_machines(&self, office_id: i64, before_us: Option<Micros>, page: u32, per_page: u32) -> Result<Page<MachineRow>>;
    async fn agents(&self, office_id: i64, page: u32, per_page: u32) -> Result<Page<AgentRecord>>;
    /// Saves the fields and puts the asset in stock, if it is still discovered.
    async fn confirm_discovered(
        &self,
        office_id: i64,
        id: i64,
        fields: &AssetFields,
        changes: &[FieldChange],
        now_us: Micros,
        log: Draft,
    ) -> Result<Asset>;
    async fn merge_assets(&self, office_id: i64, plan: &MergePlan, now_us: Micros) -> Result<()>;

    // Knowledge base (R.47–R.51).
    async fn kb_search(&self, q: &KbQuery) -> Result<Page<Article>>;
    /// Published articles matching any of `terms`, best first, at most `limit`: one query.
    async fn kb_suggest(&self, office_id: i64, terms: &[String], limit: u32) -> Result<Vec<Article>>;
    async fn kb_article(&self, office_id: i64, id: i64) -> Result<Article>;
    async fn create_kb_article(&self, office_id: i64, a: &NewArticle, now_us: Micros, log: Draft) -> Result<Article>;
    async fn update_kb_article(&self, office_id: i64, id: i64, f: &ArticleFields, now_us: Micros, log: Draft) -> Result<Article>;
    /// Links an article to a report with its entry; a link that exists already changes nothing.
    async fn link_report_article(
        &self,
        office_id: i64,
        report_id: i64,
        article_id: i64,
        by: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<bool>;
    /// The published articles linked to a report, in the order they were linked.
    async fn report_articles(&self, office_id: i64, report_id: i64) -> Result<Vec<Article>>;
    /// Inserts, in one transaction, each article whose `source` the office does not have yet,
    /// with its entry; returns the ids inserted.
    async fn add_kb_articles(&self, office_id: i64, items: Vec<(NewArticle, Draft)>, now_us: Micros) -> Result<Vec<i64>>;

    // Account requests (R.19, Prilog 2) and the accesses they grant.
    async fn create_account_request(&self, office_id: i64, r: &NewAccountRequest, now_us: Micros, log: Draft) -> Result<AccountRequest>;
    async fn account_requests(&self, q: &RequestQuery) -> Result<Page<AccountRequest>>;
    async fn get_account_request(&self, office_id: i64, id: i64) -> Result<AccountRequest>;
    /// The accesses a person holds now (granted, not taken away).
    async fn person_grants(&self, office_id: i64, person_id: i64) -> Result<Vec<Grant>>;
    /// Marks a submitted request done, grants and takes away accesses, with its entry; a request
    /// no longer submitted is a conflict.
    async fn carry_out_account_request(&self, office_id: i64, id: i64, c: &CarryOut, now_us: Micros, log: Draft) -> Result<AccountRequest>;
    async fn reject_account_request(&self, office_id: i64, id: i64, reason: &str, now_us: Micros, log: Draft) -> Result<AccountRequest>;
    /// Records the head of administration's approval of social networks on a submitted request.
    async fn approve_social_networks(&self, office_id: i64, id: i64, by: &str, now_us: Micros, log: Draft) -> Result<AccountRequest>;

    // The catalogue of applications (R.17, P.5.1).
    async fn list_applications(&self, q: &ListQuery) -> Result<Page<Application>>;
    async fn get_application(&self, office_id: i64, id: i64) -> Result<Application>;
    async fn create_application(&self, office_id: i64, f: &ApplicationFields, now_us: Micros, log: Draft) -> Result<Application>;
    async fn update_application(&self, office_id: i64, id: i64, f: &ApplicationFields, now_us: Micros, log: Draft) -> Result<Application>;
    async fn set_application_active(&self, office_id: i64, id: i64, active: bool, now_us: Micros, log: Draft) -> Result<Application>;

    // Rules of work and their acceptance (R.19, Prilog 3).
    async fn current_rules(&self, office_id: i64) -> Result<Option<RulesVersion>>;
    /// Adds the next version with its entry, in one transaction.
    async fn publish_rules(&self, office_id: i64, title: &str, body: &str, by: &str, now_us: Micros, log: Draft) -> Result<RulesVersion>;
    async fn rules_acceptance(&self, version_id: i64, person_id: i64) -> Result<Option<Acceptance>>;
    /// Records an acceptance with its entry; one accepted already is left as it is (no entry).
    #[allow(clippy::too_many_arguments)]
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
    ) -> Result<bool>;
    async fn rules_acceptances(&self, q: &AcceptanceQuery) -> Result<AcceptanceList>;
    /// (active people of the office, those of them who accepted `version_id`).
    async fn rules_acceptance_totals(&self, office_id: i64, version_id: i64) -> Result<(i64, i64)>;

    // Work log.
    async fn append(&self, draft: Draft, now_us: Micros) -> Result<Entry>;
    async fn worklog(&self, f: &Filter) -> Result<Vec<Entry>>;
    async fn worklog_entry(&self, office_id: i64, id: i64) -> Result<Entry>;
    async fn chain_heads(&self) -> Result<Vec<ChainHead>>;
    /// The sequence number of the office's last work-log entry (0 before the first): it moves
    /// with every change, so it tells a cache whether anything changed.
    async fn worklog_head(&self, office_id: i64) -> Result<i64>;
    /// Entries of one office with `seq > after_seq`, in chain order, at most `limit`.
    async fn chain_page(&self, office_id: i64, after_seq: i64, limit: u32) -> Result<Vec<Entry>>;

    // Licensed software (`software`, `software_service`).
    /// Every product with its current licences and its rules.
    async fn software_catalogue(&self, office_id: i64) -> Result<Vec<Product>>;
    /// Workstations per product, as the last recompute found.
    async fn software_install_counts(&self, office_id: i64) -> Result<HashMap<i64, i64>>;
    async fn software_installed_on(&self, office_id: i64, product_id: i64) -> Result<Vec<(i64, String)>>;
    async fn save_software_product(&self, office_id: i64, id: Option<i64>, f: &ProductFields, now_us: Micros, log: Draft) -> Result<i64>;
    async fn add_software_licence(&self, office_id: i64, product_id: i64, f: &LicenceFields, now_us: Micros, log: Draft) -> Result<i64>;
    async fn remove_software_licence(&self, office_id: i64, licence_id: i64, now_us: Micros, log: Draft) -> Result<()>;
    async fn add_software_rule(&self, office_id: i64, f: &RuleFields, now_us: Micros, log: Draft) -> Result<i64>;
    async fn delete_software_rule(&self, office_id: i64, rule_id: i64, now_us: Micros, log: Draft) -> Result<()>;
    /// A number that changes with every change of the catalogue, its licences or rules.
    async fn software_version(&self, office_id: i64) -> Result<i64>;
    /// Every rule, product and ignore rules alike.
    async fn software_rules(&self, office_id: i64) -> Result<Vec<Rule>>;
    /// Unknown names by how many workstations have them.
    async fn software_unknown(&self, office_id: i64, limit: i64) -> Result<Vec<(String, i64)>>;
    async fn software_task_rows(
        &self,
        office_id: i64,
        open_only: bool,
        asset_id: Option<i64>,
        unit_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Task>>;
    /// The distinct (name, version) installed on the office's workstations in use.
    async fn software_titles(&self, office_id: i64) -> Result<Vec<(String, String)>>;
    /// Open removal tasks of the office.
    async fn open_software_task_count(&self, office_id: i64) -> Result<i64>;
    /// What each title was at the last office-wide recompute.
    async fn stored_software_titles(&self, office_id: i64) -> Result<Vec<(String, String, Recognition)>>;
    /// (workstations, installations) as the last recompute stored them.
    async fn software_counts(&self, office_id: i64) -> Result<(i64, i64)>;
    /// Stores what each title is and, from it, what is on which workstation and what is unknown,
    /// for the whole office; (workstations, installations).
    async fn replace_software_findings(&self, office_id: i64, titles: &[Title], now_us: Micros) -> Result<(i64, i64)>;
    /// (workstation, product, inventory number) for these products, as last stored.
    async fn software_installs_of(&self, office_id: i64, products: &BTreeSet<i64>) -> Result<Vec<(i64, i64, String)>>;
    /// Programs on the office's workstations in use (or on one), as the inventories have them.
    async fn installed_software(&self, office_id: i64, asset_id: Option<i64>) -> Result<Vec<Installed>>;
    /// What a recompute found, in one transaction with the entries of the tasks it opens and closes.
    async fn store_software_state(&self, office_id: i64, state: SoftwareState, now_us: Micros) -> Result<()>;

    // Install requests (`software_requests`, `software_requests_service`).
    async fn create_install_request(
        &self,
        office_id: i64,
        f: &RequestFields,
        by: &str,
        user_id: i64,
        now_us: Micros,
        log: Draft,
    ) -> Result<i64>;
    /// Newest first; `user_id`: only those this account filed.
    async fn install_requests(&self, office_id: i64, open_only: bool, user_id: Option<i64>) -> Result<Vec<InstallRequest>>;
    async fn install_request(&self, office_id: i64, id: i64) -> Result<InstallRequest>;
    /// Moves a request from `from` to `to` (a `Conflict` if it is no longer in `from`): the
    /// decision's author and note, or the installer, or the confirmation time, by `to`.
    #[allow(clippy::too_many_arguments)]
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
    ) -> Result<()>;
    /// Installed requests whose product the last recompute found on their workstation.
    async fn installs_to_confirm(&self, office_id: i64, asset_id: Option<i64>) -> Result<Vec<InstallRequest>>;

    // Archiving (`backup`, `backup_service`).
    /// A run, with its work-log entries (one per office for the product's own), in one transaction.
    async fn record_backup_run(&self, run: &NewRun, by: &str, logs: Vec<Draft>, now_us: Micros) -> Result<i64>;
    /// The product's own runs and the office's jobs', newest first.
    async fn backup_runs(&self, office_id: i64, limit: i64) -> Result<Vec<Run>>;
    /// When the job last finished successfully.
    async fn last_backup_success(&self, job: &str) -> Result<Option<Micros>>;
    async fn backup_media(&self, office_id: i64) -> Result<Vec<Medium>>;
    async fn add_backup_medium(&self, office_id: i64, f: &MediumFields, now_us: Micros, log: Draft) -> Result<i64>;
    /// A custody-book line; the medium moves in or out of the safe only from where it was (a
    /// `Conflict` if another line came first).
    async fn record_custody(&self, office_id: i64, medium_id: i64, f: &CustodyFields, by: &str, now_us: Micros, log: Draft) -> Result<i64>;
    async fn custody_book(&self, office_id: i64) -> Result<Vec<CustodyEvent>>;

    // Security compliance (`measures`, `incident`, `security_service`).
    async fn security_assessments(&self, office_id: i64, law: Law) -> Result<Vec<Assessment>>;
    async fn save_assessment(&self, office_id: i64, a: &Assessment, now_us: Micros, log: Draft) -> Result<()>;
    /// Evidence files of a set (or of one measure), without their bytes.
    async fn evidence_files(&self, office_id: i64, law: Law, no: Option<i64>) -> Result<Vec<EvidenceFile>>;
    async fn add_evidence(&self, office_id: i64, f: &EvidenceFile, bytes: &[u8], log: Draft) -> Result<i64>;
    async fn evidence_file(&self, office_id: i64, id: i64) -> Result<(EvidenceFile, Vec<u8>)>;
    /// (active administrators with two-factor sign-in, all active administrators).
    async fn administrators_with_mfa(&self, office_id: i64) -> Result<(i64, i64)>;
    /// Every incident of the office with its assets and reports, newest first.
    async fn incidents(&self, office_id: i64) -> Result<Vec<Incident>>;
    #[allow(clippy::too_many_arguments)]
    async fn save_incident(
        &self,
        office_id: i64,
        id: Option<i64>,
        f: &IncidentFields,
        asset_ids: &[i64],
        by: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<i64>;
    #[allow(clippy::too_many_arguments)]
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
    ) -> Result<i64>;

    /// The server room's access log (R.6), newest first.
    async fn server_room_visits(&self, office_id: i64, limit: i64) -> Result<Vec<Visit>>;
    async fn add_server_room_visit(&self, office_id: i64, v: &VisitFields, by: &str, now_us: Micros, log: Draft) -> Result<i64>;
    /// Records when the visitor left (once).
    async fn close_server_room_visit(&self, office_id: i64, id: i64, left_us: Micros, now_us: Micros, log: Draft) -> Result<()>;

    /// Trainings with their attendees, newest first.
    async fn trainings(&self, office_id: i64) -> Result<Vec<Training>>;
    async fn add_training(&self, office_id: i64, f: &TrainingFields, by: &str, now_us: Micros, log: Draft) -> Result<i64>;
    /// Active people of the office who attended no training on or after `since` (ISO date; all
    /// time when `None`): (id, name).
    async fn untrained_people(&self, office_id: i64, since: Option<&str>) -> Result<Vec<(i64, String)>>;

    // R.65 (`removals`).
    async fn removals(&self, office_id: i64) -> Result<Vec<Removal>>;
    #[allow(clippy::too_many_arguments)]
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
    ) -> Result<i64>;
    /// Decides a submitted request (a `Conflict` when it is no longer submitted).
    #[allow(clippy::too_many_arguments)]
    async fn decide_removal(
        &self,
        office_id: i64,
        id: i64,
        to: RemovalState,
        by: &str,
        note: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<()>;
    async fn transfers(&self, office_id: i64) -> Result<Vec<Transfer>>;
    async fn add_transfer(&self, office_id: i64, t: &Transfer, by: &str, now_us: Micros, log: Draft) -> Result<i64>;

    // The yearly compliance check and the acts reviewed yearly (`compliance`).
    /// Every check of the office with its findings and corrective actions, newest first.
    async fn compliance_checks(&self, office_id: i64) -> Result<Vec<Check>>;
    async fn create_check(&self, office_id: i64, c: &Check, by: &str, now_us: Micros, log: Draft) -> Result<i64>;
    /// Replaces the findings of an open check (a `Conflict` once it is completed).
    async fn save_findings(&self, office_id: i64, id: i64, findings: &[Finding], now_us: Micros, log: Draft) -> Result<()>;
    #[allow(clippy::too_many_arguments)]
    async fn complete_check(
        &self,
        office_id: i64,
        id: i64,
        law: Law,
        completed_on: &str,
        conclusion: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<()>;
    async fn add_corrective_action(&self, office_id: i64, a: &CorrectiveAction, now_us: Micros, log: Draft) -> Result<i64>;
    async fn close_corrective_action(&self, office_id: i64, id: i64, done_on: &str, note: &str, now_us: Micros, log: Draft) -> Result<()>;
    async fn security_acts(&self, office_id: i64) -> Result<Vec<SecurityAct>>;
    async fn add_security_act(&self, office_id: i64, a: &SecurityAct, by: &str, now_us: Micros, log: Draft) -> Result<i64>;

    // Procurement proposals, R.21 (`procurement`).
    async fn proposals(&self, office_id: i64) -> Result<Vec<Proposal>>;
    #[allow(clippy::too_many_arguments)]
    async fn add_proposal(
        &self,
        office_id: i64,
        title: &str,
        reason: &str,
        estimate_para: i64,
        by: &str,
        now_us: Micros,
        log: Draft,
    ) -> Result<i64>;
    /// Decides a proposal still proposed (a `Conflict` otherwise).
    async fn decide_proposal(&self, office_id: i64, id: i64, d: &Decision, by: &str, now_us: Micros, log: Draft) -> Result<()>;
    /// Sets the procurement reference of an approved proposal.
    async fn set_procurement_ref(&self, office_id: i64, id: i64, reference: &str, now_us: Micros, log: Draft) -> Result<()>;
    /// Assets registered under a procurement reference: (id, label or inventory number, kind, make and model).
    async fn assets_by_procurement(&self, office_id: i64, reference: &str) -> Result<Vec<(i64, String, String, String)>>;

    // Scans of the network shares, R.38–R.46 (`shares_service`).
    /// (id, name, root) of every share of the office, by name.
    async fn shares(&self, office_id: i64) -> Result<Vec<(i64, String, String)>>;
    /// A share's scans, newest first.
    async fn share_scans(&self, office_id: i64, share_id: i64, limit: i64) -> Result<Vec<ScanSummary>>;
    async fn share_scan_units(&self, scan_id: i64) -> Result<Vec<UnitRow>>;
    /// A page of a scan's findings (of one unit, or all) and how many there are.
    async fn share_findings(&self, scan_id: i64, unit: Option<&str>, offset: i64, limit: i64) -> Result<(Vec<StoredFinding>, i64)>;
    /// Keeps a scan (the share is made on its first scan); findings older than the latest
    /// `keep_findings` scans of the share are let go.
    async fn record_share_scan(&self, office_id: i64, scan: &NewScan, keep_findings: i64, now_us: Micros, log: Draft) -> Result<i64>;

    // Records of processing activities, ZZPL čl. 47 (`processing`): appended to, never changed.
    /// Every version of every record, by record and version.
    async fn processing_records(&self, office_id: i64) -> Result<Vec<ProcessingRecord>>;
    /// Appends a version (a new record when `record_no` is 0): (record_no, version).
    async fn add_processing_version(
        &self,
        office_id: i64,
        r: &ProcessingRecord,
        base_version: Option<i64>,
        now_us: Micros,
        log: Draft,
    ) -> Result<(i64, i64)>;

    // Internet access, misuse and antivirus (`internet`, `internet_service`, `antivirus`).
    /// Workstations in use, with their access where one was set.
    async fn internet_hosts(&self, office_id: i64) -> Result<Vec<HostRow>>;
    async fn save_internet_access(&self, office_id: i64, a: &Access, now_us: Micros, log: Draft) -> Result<()>;
    async fn internet_sites(&self, office_id: i64) -> Result<Vec<Site>>;
    /// Adds what is not there yet; returns how many were added.
    async fn add_internet_sites(&self, office_id: i64, sites: &[(SiteCategory, String)], now_us: Micros, log: Draft) -> Result<usize>;
    async fn remove_internet_site(&self, office_id: i64, id: i64, now_us: Micros, log: Draft) -> Result<()>;
    /// The report, and the workstation's access cut (`cut`) in the same transaction.
    async fn record_misuse(
        &self,
        office_id: i64,
        f: &MisuseFields,
        by: &str,
        cut: Option<&Access>,
        now_us: Micros,
        log: Draft,
    ) -> Result<i64>;
    async fn misuse_reports(&self, office_id: i64, unseen_only: bool) -> Result<Vec<Misuse>>;
    async fn acknowledge_misuse(&self, office_id: i64, id: i64, by: &str, now_us: Micros, log: Draft) -> Result<()>;
    /// Workstations in use and their last inventory's antivirus (coverage left for the service).
    async fn antivirus_rows(&self, office_id: i64) -> Result<Vec<AntivirusRow>>;
    /// Each distinct stored antivirus of the computers in use (`None`: never inventoried) and how
    /// many computers have it: [`Self::antivirus_rows`] counted, for the home page.
    async fn antivirus_states(&self, office_id: i64) -> Result<Vec<(Option<String>, i64)>>;

    // The second sign-in factor (`mfa`, `mfa_service`).
    async fn totp(&self, user_id: i64) -> Result<TotpState>;
    async fn set_totp(&self, user_id: i64, c: &TotpChange, now_us: Micros, log: Draft) -> Result<()>;
    /// Records that a code of this step was used; false if it (or a later one) already was.
    async fn use_totp_step(&self, user_id: i64, step: i64) -> Result<bool>;
    async fn create_login_ticket(&self, hash: &str, user_id: i64, expires_us: Micros) -> Result<()>;
    async fn login_ticket(&self, hash: &str) -> Result<Option<LoginTicket>>;
    /// One more wrong code; the attempts so far.
    async fn login_ticket_failed(&self, hash: &str) -> Result<i64>;
    async fn delete_login_ticket(&self, hash: &str) -> Result<()>;

    // The office's directory (`directory`, `directory_service`).
    /// The accounts (and people without one) the sync or a sign-in matches against.
    async fn directory_state(&self, office_id: i64, filter: AccountFilter<'_>) -> Result<LocalState>;
    /// One change of the sync in one transaction with its entry; the account's user id.
    async fn apply_directory_change(&self, office_id: i64, c: &SyncChange, now_us: Micros, log: Draft) -> Result<i64>;
    /// Records a run of the sync with its summary entry; the run's id.
    async fn record_directory_sync(&self, office_id: i64, run: &SyncRun, log: Draft) -> Result<i64>;
    async fn directory_syncs(&self, office_id: i64, limit: i64) -> Result<Vec<SyncRun>>;
    /// Takes the named job until `until_us` if nobody holds it now: a scheduled job runs on one
    /// instance of several.
    async fn claim_job(&self, name: &str, holder: &str, now_us: Micros, until_us: Micros) -> Result<bool>;

    // The helpdesk's e-mail (`mail`, `mail_service`).
    /// What became of these UIDs of the mailbox, for those recorded.
    async fn mail_recorded(&self, at: &MailboxRef, uids: &[i64]) -> Result<Vec<Recorded>>;
    /// Writes the record of one message and what it brings (a report or a comment, its files,
    /// its Message-ID, the acknowledgement, the work-log entry) in ONE transaction. When the UID is
    /// recorded already (another instance was quicker) nothing is written and the outcome is
    /// `Duplicate`.
    async fn import_mail(&self, m: &MailImport, now_us: Micros) -> Result<Imported>;
    /// The active person of the office with this address (compared in lower case).
    async fn mail_sender(&self, office_id: i64, email: &str) -> Result<Option<SenderPerson>>;
    /// Whether a message with this Message-ID became a report or a comment already.
    async fn mail_message_known(&self, office_id: i64, message_id: &str) -> Result<bool>;
    /// The report the first known of these Message-IDs belongs to.
    async fn mail_thread_report(&self, office_id: i64, message_ids: &[String]) -> Result<Option<i64>>;
    async fn report_id_by_number(&self, office_id: i64, number: &str) -> Result<Option<i64>>;
    /// The Message-ID of the message that opened the report (or of the first one sent about it).
    async fn report_first_message_id(&self, office_id: i64, report_id: i64) -> Result<Option<String>>;
    async fn person_locale(&self, person_id: i64) -> Result<Option<String>>;
    async fn outbox_due(&self, now_us: Micros, limit: i64) -> Result<Vec<OutboxRow>>;
    /// Takes a pending row for one attempt if it still has `attempts`; false when another has it.
    async fn outbox_claim(&self, id: i64, attempts: i64, lease_until_us: Micros) -> Result<bool>;
    /// (who made the change, the comment or note) of a row.
    async fn outbox_text(&self, id: i64) -> Result<(String, String)>;
    /// Keeps the Message-ID and subject of a row's message, and the Message-ID with the report.
    async fn outbox_message_id(
        &self,
        office_id: i64,
        id: i64,
        report_id: i64,
        message_id: &str,
        subject: &str,
        now_us: Micros,
    ) -> Result<()>;
    async fn outbox_done(&self, id: i64, status: OutboxStatus, error: &str, next_attempt_us: Micros, now_us: Micros) -> Result<()>;
    async fn list_outbox(&self, office_id: i64, limit: i64) -> Result<Vec<OutboxRow>>;
    async fn report_attachments(&self, office_id: i64, report_id: i64) -> Result<Vec<AttachmentMeta>>;
    async fn report_attachment(&self, office_id: i64, report_id: i64, id: i64) -> Result<(AttachmentMeta, Vec<u8>)>;
}
