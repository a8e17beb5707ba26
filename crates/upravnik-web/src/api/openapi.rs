//! The OpenAPI 3.1 document at `/api/v1/openapi.json`, generated from the route table so that it
//! lists every API route with the access it needs.

use axum::Json;
use serde_json::{Map, Value, json};

use crate::auth::Access;
use crate::routes::routes;

/// Method, path, summary, request schema, response schema.
type Op = (&'static str, &'static str, &'static str, Option<&'static str>, Option<&'static str>);

const OPS: &[Op] = &[
    ("GET", "/api/v1/openapi.json", "This document", None, None),
    ("GET", "/api/v1/me", "The signed-in account", None, Some("Me")),
    (
        "GET",
        "/api/v1/directory",
        "The office's LDAP / Active Directory: settings, group → role mapping, latest syncs",
        None,
        Some("Directory"),
    ),
    (
        "POST",
        "/api/v1/directory/sync",
        "Sync people, units and roles from the directory now (503 unavailable when it cannot be reached)",
        None,
        Some("SyncRun"),
    ),
    ("PUT", "/api/v1/me/password", "Change own password (R.18)", Some("ChangePassword"), None),
    ("PUT", "/api/v1/me/locale", "Language of the pages: sr-Cyrl, sr-Latn or en", Some("Locale"), None),
    (
        "GET",
        "/api/v1/me/mfa",
        "Whether two-factor sign-in (TOTP) is on, and an enrolment waiting for its first code",
        None,
        Some("MfaStatus"),
    ),
    ("POST", "/api/v1/me/mfa/start", "Start two-factor sign-in: a new secret and its otpauth:// address", None, Some("MfaEnrolment")),
    ("POST", "/api/v1/me/mfa/confirm", "The first code from the app turns two-factor sign-in on", Some("MfaCode"), None),
    ("POST", "/api/v1/me/mfa/disable", "Turn two-factor sign-in off with a current code", Some("MfaCode"), None),
    ("GET", "/api/v1/offices", "Offices this account may work in (send X-Office: id to switch)", None, Some("OfficeList")),
    (
        "GET",
        "/api/v1/assets",
        "List equipment (filters: q, kind, status, unit_id, person_id, building, room; sort, desc, page, per_page)",
        None,
        Some("AssetPage"),
    ),
    (
        "POST",
        "/api/v1/assets/bulk",
        "Set building/room or status of up to 500 assets in one transaction, all or nothing (409 bulk_refused names each asset that cannot be changed); dry_run only plans",
        Some("BulkBody"),
        Some("BulkPlan"),
    ),
    (
        "GET",
        "/api/v1/saved-filters",
        "Own saved filters of a list (?page=assets), then those shared by other administrators",
        None,
        Some("SavedFilterList"),
    ),
    (
        "POST",
        "/api/v1/saved-filters",
        "Save a list query under a name (unique per user and list)",
        Some("SavedFilterInput"),
        Some("SavedFilter"),
    ),
    ("DELETE", "/api/v1/saved-filters/{id}", "Delete an own saved filter", None, None),
    ("POST", "/api/v1/assets", "Register an asset (R.3); it starts in stock", Some("AssetInput"), Some("Asset")),
    (
        "POST",
        "/api/v1/assets/import",
        "Import an equipment register (CSV or XLSX body): the preview with row errors, or with commit=true the import, all rows or none",
        None,
        Some("ImportReport"),
    ),
    ("GET", "/api/v1/assets/next-label", "The ST label to offer next (R.12)", None, Some("NextLabel")),
    ("GET", "/api/v1/assets/{id}", "One asset", None, Some("Asset")),
    ("PUT", "/api/v1/assets/{id}", "Change an asset; each changed field goes to its history (R.11)", Some("AssetInput"), Some("Asset")),
    (
        "PUT",
        "/api/v1/assets/{id}/status",
        "Move through the life cycle (R.4); write-off and disposal need the act's reference",
        Some("AssetStatusChange"),
        Some("Asset"),
    ),
    ("GET", "/api/v1/assets/{id}/history", "Field-by-field history, newest first", None, Some("AssetHistory")),
    ("GET", "/api/v1/assets/{id}/assignments", "Assignments (zaduženja), newest first", None, Some("Assignments")),
    (
        "PUT",
        "/api/v1/assets/{id}/assignment",
        "Assign to an employee and/or workplace (R.3); a workstation stays with its workplace unless move_workplace (R.19)",
        Some("AssignBody"),
        Some("Asset"),
    ),
    ("POST", "/api/v1/assets/{id}/return", "Return to stock (razduženje)", Some("ReturnBody"), Some("Asset")),
    ("GET", "/api/v1/assets/{id}/components", "Hardware components installed now (Prilog 1)", None, Some("Parts")),
    ("POST", "/api/v1/assets/{id}/components", "Record a component built in (R.11)", Some("ComponentInput"), Some("Part")),
    (
        "PUT",
        "/api/v1/assets/{id}/components/{part}",
        "Correct or replace a component; old → new in the history",
        Some("ComponentInput"),
        Some("Part"),
    ),
    ("DELETE", "/api/v1/assets/{id}/components/{part}", "Take a component out (kept as removed)", None, None),
    ("GET", "/api/v1/assets/{id}/software", "Software installed now (R.29)", None, Some("Parts")),
    ("POST", "/api/v1/assets/{id}/software", "Record an installed program (R.11)", Some("SoftwareInput"), Some("Part")),
    ("PUT", "/api/v1/assets/{id}/software/{part}", "Correct a program's record (e.g. a new version)", Some("SoftwareInput"), Some("Part")),
    ("DELETE", "/api/v1/assets/{id}/software/{part}", "Record a program as uninstalled (kept as removed)", None, None),
    (
        "GET",
        "/api/v1/consumables",
        "List consumables in the store (R.3); filters: q, category, low=true (at or below minimum), inactive=true; sort: name, category, stock",
        None,
        Some("ConsumablePage"),
    ),
    (
        "GET",
        "/api/v1/reports",
        "Fault reports the caller may see (own; a head of unit the unit's; administrators and inspectors all). Filters: q (either script), state (or open), priority, assignee (account id or none), mine=true; sort: created (newest first), updated, priority, state",
        None,
        Some("ReportPage"),
    ),
    (
        "POST",
        "/api/v1/reports",
        "Report a fault (R.52.1): employees for themselves and their own equipment; administrators for anyone, by phone, in person or e-mail",
        Some("ReportInput"),
        Some("Report"),
    ),
    (
        "GET",
        "/api/v1/reports/stats",
        "The report on the work and efficiency of the staff (P.5.1) for month=YYYY-MM, or year=YYYY (the annual report): per administrator, per unit of the reporter, per category and (annual) per month — received, resolved, median working minutes to first response and to resolution, late",
        None,
        Some("ReportStats"),
    ),
    ("GET", "/api/v1/reports/{id}", "One report with its steps and the comments the caller may see", None, Some("ReportDetail")),
    (
        "POST",
        "/api/v1/reports/{id}/priority",
        "A new priority; the first-response and resolution deadlines are computed again from the report's creation with the office's working hours and targets",
        Some("PriorityInput"),
        Some("Report"),
    ),
    (
        "POST",
        "/api/v1/reports/{id}/transitions",
        "Move a report (new → accepted → on_site / in_ict_office / at_service → resolved → closed; reopen to accepted), or reassign it (no to, an assignee_id); the device's status follows; the reporter may only reopen a resolved report within 14 days",
        Some("TransitionInput"),
        Some("Report"),
    ),
    (
        "POST",
        "/api/v1/reports/{id}/comments",
        "Comment: public to the reporter or internal (administrators), with minutes spent",
        Some("CommentInput"),
        Some("ReportComment"),
    ),
    (
        "GET",
        "/api/v1/reports/{id}/work-orders",
        "The report's work orders (Prilog 5); administrators, inspectors, the head of administration, and the reporter for their own report",
        None,
        Some("WorkOrderList"),
    ),
    (
        "POST",
        "/api/v1/reports/{id}/work-orders",
        "Fill a work order (R.52.3, R.53), numbered per office and year; with update_card the lines with a component kind of a part_replaced or upgrade order are added to the workstation card",
        Some("WorkOrderInput"),
        Some("WorkOrder"),
    ),
    ("GET", "/api/v1/reports/{id}/work-orders/{wid}/pdf", "The work order as a PDF for signature (application/pdf)", None, None),
    ("GET", "/api/v1/reports/{id}/handovers", "The report's hand-over records (Prilog 6)", None, Some("HandoverList")),
    (
        "POST",
        "/api/v1/reports/{id}/handovers",
        "Make a hand-over record and send the device to an authorised service (R.52.4): the report moves to at_service and the asset's status follows, in one transaction",
        Some("HandoverInput"),
        Some("Handover"),
    ),
    ("GET", "/api/v1/reports/{id}/handovers/{hid}/pdf", "The hand-over record as a PDF for signature (application/pdf)", None, None),
    ("GET", "/api/v1/reports/{id}/service-sheets", "The report's service sheets (R.52.5)", None, Some("ServiceSheetList")),
    (
        "POST",
        "/api/v1/reports/{id}/service-sheets",
        "Record the service sheet on the device's return (R.52.5): the report moves back to in_ict_office or resolved. JSON, or multipart/form-data with the same fields and the scan of the stamped sheet as the file part `scan` (PDF, JPEG or PNG, at most 10 MB)",
        Some("ServiceSheetInput"),
        Some("ServiceSheet"),
    ),
    ("GET", "/api/v1/reports/{id}/service-sheets/{sid}/scan", "The scan of the stamped service sheet (PDF, JPEG or PNG)", None, None),
    ("GET", "/api/v1/reports/{id}/attachments", "The files that came with the report's e-mail messages", None, Some("AttachmentList")),
    ("GET", "/api/v1/reports/{id}/attachments/{aid}", "One file, as a download (application/octet-stream)", None, None),
    (
        "GET",
        "/api/v1/mail/outbox",
        "The newest notices to reporters with status, attempts and last error (?limit=, at most 500)",
        None,
        Some("OutboxList"),
    ),
    ("POST", "/api/v1/consumables", "Add a consumable to the store; its stock starts at 0", Some("ConsumableInput"), Some("Consumable")),
    ("GET", "/api/v1/consumables/{id}", "One consumable with its stock", None, Some("Consumable")),
    (
        "PUT",
        "/api/v1/consumables/{id}",
        "Change a consumable (not its stock: that moves only by moves)",
        Some("ConsumableInput"),
        Some("Consumable"),
    ),
    ("GET", "/api/v1/consumables/{id}/moves", "Moves of one consumable, newest first", None, Some("ConsumableMoves")),
    (
        "POST",
        "/api/v1/consumables/{id}/moves",
        "Receive, issue to an employee, take back, or adjust after stocktaking; 409 insufficient_stock if it would go below zero",
        Some("MoveInput"),
        Some("ConsumableMove"),
    ),
    (
        "GET",
        "/api/v1/agents",
        "Inventory agents of the office, newest contact first; with silent_days=N the machines that have not reported for N days",
        None,
        Some("AgentPage"),
    ),
    (
        "GET",
        "/api/v1/assets/{id}/inventory",
        "An asset's inventory: last report, OS, agents, incomplete flag (null before the first)",
        None,
        Some("AssetInventory"),
    ),
    (
        "GET",
        "/api/v1/software",
        "The list of licensed software (Prilog 4): products with licences, rules, workstations, seats and status",
        None,
        Some("SoftwareList"),
    ),
    (
        "POST",
        "/api/v1/software",
        "Add a program to the list, optionally with a first rule (names starting with `pattern`)",
        Some("SoftwareInput"),
        Some("Software"),
    ),
    ("GET", "/api/v1/software/rules", "Every recognition rule (a product's, or ignore rules without one)", None, Some("SoftwareRuleList")),
    ("POST", "/api/v1/software/rules", "Add a recognition rule; compliance is recomputed", Some("SoftwareRuleInput"), Some("Created")),
    ("DELETE", "/api/v1/software/rules/{id}", "Remove a recognition rule", None, None),
    ("DELETE", "/api/v1/software/licences/{id}", "Withdraw a licence (its row stays)", None, None),
    ("GET", "/api/v1/software/unrecognised", "Names no rule recognises, by number of workstations", None, Some("UnrecognisedList")),
    ("GET", "/api/v1/software/tasks", "Removal tasks (R.30): open ones, or status=all; unit_id filters", None, Some("SoftwareTaskList")),
    ("POST", "/api/v1/software/recompute", "Recompute compliance for the whole office", None, Some("Recomputed")),
    (
        "GET",
        "/api/v1/software/antivirus",
        "Workstations with what their inventory says of antivirus, worst first (R.31, R.60)",
        None,
        Some("AntivirusList"),
    ),
    (
        "GET",
        "/api/v1/software/requests",
        "Install requests (R.62.7): all with AssetsRead, else one's own; open=true for open ones",
        None,
        Some("InstallRequestList"),
    ),
    (
        "POST",
        "/api/v1/software/requests",
        "Ask for a program on a workstation one holds (administrators: any)",
        Some("InstallRequestInput"),
        Some("InstallRequest"),
    ),
    ("GET", "/api/v1/software/requests/{id}", "One install request", None, Some("InstallRequest")),
    (
        "POST",
        "/api/v1/software/requests/{id}/decide",
        "The head of administration approves or refuses (a refusal needs a note)",
        Some("DecisionInput"),
        Some("InstallRequest"),
    ),
    (
        "POST",
        "/api/v1/software/requests/{id}/installed",
        "An administrator installed it (names the catalogue product); the next inventory confirms",
        Some("InstalledInput"),
        Some("InstallRequest"),
    ),
    (
        "GET",
        "/api/v1/security/measures",
        "The measures register of a set (law=zib2016|zib2025) with assessments, evidence files and live evidence",
        None,
        Some("MeasureList"),
    ),
    ("GET", "/api/v1/security/measures/{law}/{no}", "One measure with what Upravnik shows for it now", None, Some("MeasureDetail")),
    (
        "PUT",
        "/api/v1/security/measures/{law}/{no}",
        "Record how the office carries out a measure (a measure that does not apply says why)",
        Some("AssessmentInput"),
        Some("Assessment"),
    ),
    (
        "POST",
        "/api/v1/security/measures/{law}/{no}/evidence",
        "An evidence file as the raw body, ?name=; kept with its SHA-256",
        None,
        Some("Created"),
    ),
    ("GET", "/api/v1/security/evidence/{id}", "An evidence file (header X-Content-SHA256)", None, None),
    ("GET", "/api/v1/security/removals", "Requests to take data, software or equipment off the premises (R.65)", None, Some("RemovalList")),
    (
        "POST",
        "/api/v1/security/removals",
        "Ask to take something off the premises (equipment names its asset)",
        Some("RemovalInput"),
        Some("Created"),
    ),
    (
        "POST",
        "/api/v1/security/removals/{id}/decide",
        "The head of administration approves or refuses (with a reason)",
        Some("DecisionInput"),
        None,
    ),
    ("GET", "/api/v1/security/transfers", "Cover documents of data sent on media (R.65)", None, Some("TransferList")),
    (
        "POST",
        "/api/v1/security/transfers",
        "A cover document: sender, receiver, kind of data, medium, date",
        Some("TransferInput"),
        Some("Created"),
    ),
    ("GET", "/api/v1/security/trainings", "Trainings held (P.5.1, measure 4) with their attendees", None, Some("TrainingList")),
    ("POST", "/api/v1/security/trainings", "Record a training with who attended", Some("TrainingInput"), Some("Created")),
    (
        "GET",
        "/api/v1/security/trainings/untrained",
        "Active people with no training (since=date: none since then)",
        None,
        Some("PeopleNames"),
    ),
    ("GET", "/api/v1/security/server-room", "The server room's access log (R.6), newest first", None, Some("VisitList")),
    (
        "POST",
        "/api/v1/security/server-room",
        "Someone entered the server room (others than R.6's roles only accompanied)",
        Some("VisitInput"),
        Some("Created"),
    ),
    ("POST", "/api/v1/security/server-room/{id}/left", "The visitor left (now)", None, None),
    (
        "GET",
        "/api/v1/security/incidents",
        "The incidents register with every deadline (ZIB 91/2025 čl. 13, 24; ZZPL čl. 52–53; R.56)",
        None,
        Some("IncidentList"),
    ),
    ("POST", "/api/v1/security/incidents", "Record an incident: the deadlines run from `aware`", Some("IncidentInput"), Some("Incident")),
    (
        "GET",
        "/api/v1/security/incidents/statistics",
        "A year's figures (ZIB čl. 25: due by 28 February); year= defaults to last year",
        None,
        Some("IncidentStatistics"),
    ),
    ("GET", "/api/v1/security/incidents/{id}", "One incident with its deadlines and the reports sent", None, Some("Incident")),
    (
        "PUT",
        "/api/v1/security/incidents/{id}",
        "Change an incident (its end starts the final report's 15 days)",
        Some("IncidentInput"),
        Some("Incident"),
    ),
    (
        "POST",
        "/api/v1/security/incidents/{id}/reports",
        "A report was sent: kept with a frozen snapshot of the incident",
        Some("SentInput"),
        Some("Incident"),
    ),
    (
        "GET",
        "/api/v1/security/checks",
        "The yearly compliance checks (ZIB 91/2025 čl. 7, 12) with findings and corrective actions",
        None,
        Some("CheckList"),
    ),
    ("POST", "/api/v1/security/checks", "Start a year's check (self or outside experts)", Some("CheckInput"), Some("Created")),
    (
        "GET",
        "/api/v1/security/checks/duties",
        "When the next check and the acts' reviews are due; overdue corrective actions",
        None,
        Some("ComplianceDuties"),
    ),
    ("GET", "/api/v1/security/checks/{id}", "One check with its findings and corrective actions", None, Some("Check")),
    ("GET", "/api/v1/security/checks/{id}/pdf", "The check's report as a PDF for signature (application/pdf)", None, None),
    (
        "PUT",
        "/api/v1/security/checks/{id}/findings",
        "Replace the findings of an open check (a partial, failed or inapplicable result says why)",
        Some("FindingInputs"),
        None,
    ),
    ("POST", "/api/v1/security/checks/{id}/actions", "A corrective action with owner and due date", Some("ActionInput"), Some("Created")),
    (
        "POST",
        "/api/v1/security/checks/{id}/complete",
        "Complete the report: every measure has a result, every gap a corrective action",
        Some("CompleteInput"),
        None,
    ),
    ("POST", "/api/v1/security/actions/{id}/done", "A corrective action was carried out", Some("ActionDone"), None),
    ("GET", "/api/v1/security/acts", "The risk-assessment and security acts with each review", None, Some("ActList")),
    ("POST", "/api/v1/security/acts", "An act adopted or reviewed (the next review is a year later)", Some("ActInput"), Some("Created")),
    ("GET", "/api/v1/security/processing", "Records of processing activities as they stand (ZZPL čl. 47)", None, Some("RecordSummaryList")),
    ("POST", "/api/v1/security/processing", "A new processing activity (version 1)", Some("RecordInput"), Some("RecordCreated")),
    ("GET", "/api/v1/security/processing/{no}", "Every version of a record, oldest first", None, Some("RecordVersions")),
    (
        "PUT",
        "/api/v1/security/processing/{no}",
        "A new version (with change_note; base_version guards against a lost change)",
        Some("RecordInput"),
        Some("RecordCreated"),
    ),
    ("GET", "/api/v1/shares", "The network shares scanned, each with its latest scans (R.38–R.46)", None, Some("ShareList")),
    (
        "POST",
        "/api/v1/shares/scans",
        "Keep a scan made by `upravnik shares scan --json` under the share's name",
        Some("ShareScanUpload"),
        Some("Created"),
    ),
    ("GET", "/api/v1/shares/{id}", "A share with its scans and the units of the latest", None, Some("ShareDetail")),
    ("GET", "/api/v1/shares/{id}/findings", "The latest scan's findings (unit=, offset=, limit= up to 500)", None, Some("ShareFindings")),
    ("GET", "/api/v1/procurement", "Procurement proposals with the equipment delivered (R.21)", None, Some("ProposalList")),
    ("POST", "/api/v1/procurement", "Propose a purchase: what, why, estimate", Some("ProposalInput"), Some("Created")),
    ("GET", "/api/v1/procurement/{id}", "One proposal with the equipment delivered under its reference", None, Some("ProposalView")),
    (
        "POST",
        "/api/v1/procurement/{id}/decide",
        "The head of administration approves by an act (number, date) or rejects with a reason",
        Some("ProposalDecision"),
        None,
    ),
    (
        "PUT",
        "/api/v1/procurement/{id}/reference",
        "The public procurement's reference of an approved proposal",
        Some("ProcurementReference"),
        None,
    ),
    (
        "GET",
        "/api/v1/backups",
        "The daily archive's state (next, missed, failed, copy 2) and the runs of every backup job (R.22, R.66)",
        None,
        Some("BackupOverview"),
    ),
    ("POST", "/api/v1/backups/runs", "Another backup job of the office reports a run (R.20)", Some("BackupReport"), Some("Created")),
    ("GET", "/api/v1/backups/media", "Media holding copies 2 and 3 (R.66)", None, Some("MediumList")),
    ("POST", "/api/v1/backups/media", "A medium with a copy on it", Some("MediumInput"), Some("Created")),
    (
        "POST",
        "/api/v1/backups/media/{id}/custody",
        "A line of the custody book: deposited in or taken from the safe",
        Some("CustodyInput"),
        Some("Created"),
    ),
    ("GET", "/api/v1/backups/custody", "The custody book, newest first", None, Some("CustodyBook")),
    ("GET", "/api/v1/internet", "Workstations in use with their internet access (R.32)", None, Some("InternetHostList")),
    ("GET", "/api/v1/internet/sites", "Sites of the blocked categories", None, Some("SiteList")),
    ("POST", "/api/v1/internet/sites", "Add sites to a category (names or pasted addresses)", Some("SitesInput"), Some("Added")),
    ("DELETE", "/api/v1/internet/sites/{id}", "Remove a site from its category", None, None),
    ("GET", "/api/v1/internet/squid.conf", "The policy as a Squid ACL file (text/plain), keyed by IP address", None, None),
    (
        "GET",
        "/api/v1/internet/unbound.conf",
        "The policy as an Unbound server clause with tags (text/plain), keyed by IP address",
        None,
        None,
    ),
    (
        "GET",
        "/api/v1/internet/misuse",
        "Misuse and private-modem reports (R.32, R.34); unseen=true for those the head has not seen",
        None,
        Some("MisuseList"),
    ),
    (
        "POST",
        "/api/v1/internet/misuse",
        "Record misuse; cut_access (always for a private modem) cuts the workstation's access",
        Some("MisuseInput"),
        Some("Created"),
    ),
    ("POST", "/api/v1/internet/misuse/{id}/seen", "The head of administration has been told", None, None),
    ("GET", "/api/v1/internet/{id}", "One workstation's access and what the filters block for it", None, Some("InternetHost")),
    (
        "PUT",
        "/api/v1/internet/{id}",
        "Set a workstation's access; a social_reason asks the head of administration",
        Some("AccessInput"),
        Some("Access"),
    ),
    (
        "POST",
        "/api/v1/internet/{id}/social/approve",
        "The head of administration opens social networks for the job (R.32)",
        None,
        Some("Access"),
    ),
    ("POST", "/api/v1/internet/{id}/social/refuse", "The head of administration refuses social networks", None, Some("Access")),
    ("GET", "/api/v1/software/{id}", "One program with the workstations it is on", None, Some("SoftwareDetail")),
    ("PUT", "/api/v1/software/{id}", "Change a program", Some("SoftwareInput"), Some("Software")),
    ("POST", "/api/v1/software/{id}/licences", "Add a licence; compliance is recomputed", Some("LicenceInput"), Some("Software")),
    (
        "GET",
        "/api/v1/subnets",
        "IP subnets with used/free/total host addresses, and active assets' addresses outside every subnet",
        None,
        Some("SubnetList"),
    ),
    (
        "POST",
        "/api/v1/subnets",
        "Define a subnet: CIDR with host bits zero, /16–/30, no overlap in the office, gateway inside",
        Some("SubnetInput"),
        Some("Subnet"),
    ),
    ("GET", "/api/v1/subnets/{id}", "One subnet with its counts and the used addresses", None, Some("Subnet")),
    ("PUT", "/api/v1/subnets/{id}", "Change a subnet", Some("SubnetInput"), Some("Subnet")),
    ("DELETE", "/api/v1/subnets/{id}", "Remove a subnet's definition (assets keep their addresses)", None, None),
    (
        "GET",
        "/api/v1/kb",
        "Knowledge-base articles (R.47–R.51), newest change first; q: every word must match, in either script, title matches first; tag: one tag or area. Drafts only for administrators and the inspector",
        None,
        Some("ArticlePage"),
    ),
    (
        "GET",
        "/api/v1/applications",
        "The catalogue of applications and their roles (R.17); ?inactive=true for those withdrawn",
        None,
        Some("ApplicationPage"),
    ),
    (
        "GET",
        "/api/v1/account-requests",
        "Account requests (Prilog 2) the caller sees, newest first; ?state=submitted|done|rejected&person=",
        None,
        Some("AccountRequestPage"),
    ),
    (
        "POST",
        "/api/v1/account-requests",
        "File a request to open, change or close an employee's account (heads of unit for their unit)",
        Some("AccountRequestInput"),
        Some("AccountRequest"),
    ),
    (
        "GET",
        "/api/v1/account-requests/{id}",
        "A request with the accesses and equipment the person holds now",
        None,
        Some("AccountRequestDetail"),
    ),
    (
        "POST",
        "/api/v1/account-requests/{id}/carry-out",
        "The administrator's part (R.18–R.19): username, what was set up; a close needs every asset returned and access removed",
        Some("CarryOutInput"),
        Some("AccountRequest"),
    ),
    (
        "POST",
        "/api/v1/account-requests/{id}/approve-social",
        "The head of administration approves social networks for the workplace (R.32)",
        None,
        Some("AccountRequest"),
    ),
    (
        "POST",
        "/api/v1/account-requests/{id}/reject",
        "Refuse (administrators) or withdraw (the head who filed it), with the reason",
        Some("RejectInput"),
        Some("AccountRequest"),
    ),
    ("POST", "/api/v1/applications", "Add an application to the catalogue (administrators)", Some("ApplicationInput"), Some("Application")),
    ("GET", "/api/v1/applications/{id}", "One application with its roles", None, Some("Application")),
    (
        "PUT",
        "/api/v1/applications/{id}",
        "Change an application or its roles (administrators)",
        Some("ApplicationInput"),
        Some("Application"),
    ),
    ("GET", "/api/v1/rules", "The rules of work in force (R.19) and the caller's acceptance of them", None, Some("RulesCurrent")),
    (
        "POST",
        "/api/v1/rules",
        "Publish a new version of the rules of work: everyone is asked again (administrators)",
        Some("RulesInput"),
        Some("RulesVersion"),
    ),
    (
        "POST",
        "/api/v1/rules/accept",
        "Accept the version in force (the one read: a newer one is refused)",
        Some("RulesAccept"),
        Some("RulesVersion"),
    ),
    (
        "GET",
        "/api/v1/rules/acceptances",
        "Active employees and their acceptance of the version in force (Prilog 3)",
        None,
        Some("AcceptanceList"),
    ),
    ("POST", "/api/v1/rules/acceptances", "Record a signed paper statement of acceptance (administrators)", Some("PaperAcceptance"), None),
    ("GET", "/api/v1/reports/{id}/kb", "The knowledge-base articles linked to the report", None, Some("ArticleList")),
    (
        "POST",
        "/api/v1/reports/{id}/kb",
        "Link a published article to the report (administrators); answers the linked ones",
        Some("ReportArticleLink"),
        Some("ArticleList"),
    ),
    ("POST", "/api/v1/kb", "Write an article (administrators)", Some("ArticleInput"), Some("Article")),
    (
        "GET",
        "/api/v1/kb/suggest",
        "Up to five published articles for a text being typed (q), e.g. a fault description: any word counts, title matches first",
        None,
        Some("Suggestions"),
    ),
    (
        "POST",
        "/api/v1/kb/rulebook",
        "Add the Rulebook's ready articles (R.47–R.51) the office does not have yet, published",
        None,
        Some("RulebookAdded"),
    ),
    ("GET", "/api/v1/kb/{id}", "One article (a draft is not found for employees)", None, Some("Article")),
    ("PUT", "/api/v1/kb/{id}", "Change an article; publish or return it to draft", Some("ArticleInput"), Some("Article")),
    ("GET", "/api/v1/units", "List organisational units", None, Some("UnitPage")),
    ("POST", "/api/v1/units", "Create a unit", Some("UnitInput"), Some("Unit")),
    ("GET", "/api/v1/units/{id}", "One unit", None, Some("Unit")),
    ("PUT", "/api/v1/units/{id}", "Edit or move a unit", Some("UnitInput"), Some("Unit")),
    ("PUT", "/api/v1/units/{id}/active", "Deactivate or reactivate a unit", Some("Active"), Some("Unit")),
    ("GET", "/api/v1/workplaces", "List workplaces (radna mesta)", None, Some("WorkplacePage")),
    ("POST", "/api/v1/workplaces", "Create a workplace", Some("WorkplaceInput"), Some("Workplace")),
    ("GET", "/api/v1/workplaces/{id}", "One workplace", None, Some("Workplace")),
    ("PUT", "/api/v1/workplaces/{id}", "Edit or move a workplace", Some("WorkplaceInput"), Some("Workplace")),
    ("PUT", "/api/v1/workplaces/{id}/active", "Deactivate or reactivate a workplace", Some("Active"), Some("Workplace")),
    ("GET", "/api/v1/people", "List employees", None, Some("PersonPage")),
    ("POST", "/api/v1/people", "Create an employee", Some("PersonInput"), Some("Person")),
    ("GET", "/api/v1/people/{id}", "One employee", None, Some("Person")),
    ("PUT", "/api/v1/people/{id}", "Edit or move an employee", Some("PersonInput"), Some("Person")),
    ("PUT", "/api/v1/people/{id}/active", "Deactivate (closes the account) or reactivate", Some("Active"), Some("Person")),
    ("GET", "/api/v1/accounts", "List accounts", None, Some("AccountPage")),
    ("POST", "/api/v1/accounts", "Open an account for a person", Some("NewAccount"), Some("Account")),
    ("GET", "/api/v1/accounts/{id}", "One account", None, Some("Account")),
    ("PUT", "/api/v1/accounts/{id}/roles", "Set roles", Some("Roles"), Some("Account")),
    ("DELETE", "/api/v1/accounts/{id}/mfa", "Turn another account's two-factor sign-in off (a lost phone)", None, None),
    ("PUT", "/api/v1/accounts/{id}/active", "Close or reopen an account", Some("Active"), Some("Account")),
    ("PUT", "/api/v1/accounts/{id}/password", "Set a new password", Some("Password"), None),
    ("GET", "/api/v1/tokens", "Own API tokens", None, Some("TokenList")),
    ("POST", "/api/v1/tokens", "Issue an API token (shown once)", Some("NewToken"), Some("NewTokenAnswer")),
    ("DELETE", "/api/v1/tokens/{id}", "Revoke an API token", None, None),
    ("GET", "/api/v1/worklog", "Work log, newest first; `before` is the keyset cursor (R.20)", None, Some("WorklogPage")),
    ("POST", "/api/v1/worklog", "Add a manual work-log entry (R.20)", Some("NewEntry"), Some("Entry")),
    ("GET", "/api/v1/worklog/{id}", "One work-log entry with its hashes", None, Some("Entry")),
    ("POST", "/api/v1/worklog/verify", "Verify every hash chain", None, Some("VerifyReport")),
];

/// The schemas of internet access, misuse, antivirus and install requests, in a second macro
/// call (one `json!` of every schema would pass the macro recursion limit).
fn internet_schemas() -> Value {
    json!({
        "RemovalList": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"kind":{"type":"string","enum":["data","software","equipment"]},"what":{"type":"string"},"purpose":{"type":"string"},"asset_id":{"type":["integer","null"]},"requested_by":{"type":"string"},"requested_us":{"type":"integer"},"state":{"type":"string","enum":["submitted","approved","rejected"]},"decided_by":{"type":["string","null"]},"decided_us":{"type":["integer","null"]},"decision_note":{"type":"string"}}}},
        "RemovalInput": {"type":"object","required":["kind","what","purpose"],"properties":{"kind":{"type":"string","enum":["data","software","equipment"]},"what":{"type":"string"},"purpose":{"type":"string"},"asset_id":{"type":["integer","null"]}}},
        "TransferList": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"sender":{"type":"string"},"receiver":{"type":"string"},"data_kind":{"type":"string"},"medium":{"type":"string"},"sent_on":{"type":"string"},"reference":{"type":"string"},"recorded_by":{"type":"string"}}}},
        "TransferInput": {"type":"object","required":["sender","receiver","data_kind","medium","sent_on"],"properties":{"sender":{"type":"string"},"receiver":{"type":"string"},"data_kind":{"type":"string"},"medium":{"type":"string"},"sent_on":{"type":"string"},"reference":{"type":"string"}}},
        "TrainingList": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"topic":{"type":"string"},"kind":{"type":"string","enum":["basic","advanced","management","security"]},"held_on":{"type":"string"},"trainer":{"type":"string"},"hours":{"type":["integer","null"]},"note":{"type":"string"},"recorded_by":{"type":"string"},"attendees":{"type":"array"}}}},
        "TrainingInput": {"type":"object","required":["topic","kind","held_on","attendees"],"properties":{"topic":{"type":"string"},"kind":{"type":"string","enum":["basic","advanced","management","security"]},"held_on":{"type":"string"},"trainer":{"type":"string"},"hours":{"type":["integer","null"]},"note":{"type":"string"},"attendees":{"type":"array","items":{"type":"integer"}}}},
        "PeopleNames": {"type":"array","items":{"type":"object","properties":{"person_id":{"type":"integer"},"name":{"type":"string"}}}},
        "VisitList": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"person":{"type":"string"},"role":{"type":"string"},"entered_us":{"type":"integer"},"left_us":{"type":["integer","null"]},"reason":{"type":"string"},"accompanied_by":{"type":"string"},"recorded_by":{"type":"string"}}}},
        "VisitInput": {"type":"object","required":["person","role","reason"],"properties":{"person":{"type":"string"},"role":{"type":"string","enum":["administrator","inspector","mayor","head_of_administration","other"]},"entered":{"type":"string"},"left":{"type":"string"},"reason":{"type":"string"},"accompanied_by":{"type":"string","description":"required for role other"}}},
        "MeasureList": {"type":"array","items":{"$ref":"#/components/schemas/MeasureView"}},
        "MeasureView": {"type":"object","properties":{"measure":{"type":"object","properties":{"law":{"type":"string"},"no":{"type":"integer"},"reference":{"type":"string"},"text_sr":{"type":"string"},"title_en":{"type":"string"},"other_no":{"type":["integer","null"]},"new_in_2025":{"type":"boolean"},"iso27001":{"type":"string"}}},"assessment":{"$ref":"#/components/schemas/Assessment"},"files":{"type":"array"},"live":{"type":"array","items":{"type":"string"}}}},
        "MeasureDetail": {"type":"object","properties":{"measure":{"$ref":"#/components/schemas/MeasureView"},"live":{"type":"array","items":{"type":"object","properties":{"evidence":{"type":"string"},"now":{"type":"string"}}}}}},
        "Assessment": {"type":"object","properties":{"law":{"type":"string"},"no":{"type":"integer"},"applicable":{"type":"boolean"},"justification":{"type":"string"},"implementation":{"type":"string"},"responsible":{"type":"string"},"documents":{"type":"string"},"status":{"type":"string","enum":["planned","partial","implemented","not_applicable"]},"checked_on":{"type":["string","null"]}}},
        "AssessmentInput": {"type":"object","properties":{"applicable":{"type":"boolean"},"justification":{"type":"string"},"implementation":{"type":"string"},"responsible":{"type":"string"},"documents":{"type":"string"},"status":{"type":"string"},"checked_on":{"type":"string"}}},
        "IncidentInput": {"type":"object","required":["title","description","aware"],"properties":{"title":{"type":"string"},"description":{"type":"string"},"started":{"type":"string"},"aware":{"type":"string","description":"RFC 3339 or Belgrade time; the deadlines run from here"},"ended":{"type":"string"},"criteria":{"type":"array","items":{"type":"integer","minimum":1,"maximum":7}},"near_miss":{"type":"boolean"},"crime_suspected":{"type":"boolean"},"danger":{"type":"string","enum":["","low","medium","high","very_high"]},"danger_authority":{"type":"string"},"indicators":{"type":"string"},"affected_services":{"type":"string"},"personal_data":{"type":"boolean"},"high_risk_to_people":{"type":"boolean"},"services_affected":{"type":"boolean"},"cross_border":{"type":"boolean"},"measures":{"type":"string"},"asset_ids":{"type":"array","items":{"type":"integer"}}}},
        "Incident": {"type":"object","properties":{"incident":{"type":"object"},"deadlines":{"type":"array","items":{"type":"object","properties":{"kind":{"type":"string","enum":["initial","interim","final","commissioner","data_subjects","city_council","prosecutor","service_users"]},"due_us":{"type":["integer","null"]},"sent_us":{"type":["integer","null"]},"late":{"type":"boolean"}}}}}},
        "IncidentList": {"type":"array","items":{"$ref":"#/components/schemas/Incident"}},
        "SentInput": {"type":"object","required":["kind","recipient"],"properties":{"kind":{"type":"string"},"sent":{"type":"string"},"recipient":{"type":"string"},"reference":{"type":"string"}}},
        "IncidentStatistics": {"type":"object","properties":{"year":{"type":"integer"},"incidents":{"type":"integer"},"near_misses":{"type":"integer"},"reportable":{"type":"integer"},"personal_data":{"type":"integer"},"by_level":{"type":"array"},"due_us":{"type":["integer","null"]}}},
        "BackupRun": {"type":"object","properties":{"id":{"type":"integer"},"job":{"type":"string"},"office_id":{"type":["integer","null"]},"started_us":{"type":"integer"},"finished_us":{"type":"integer"},"ok":{"type":"boolean"},"size_bytes":{"type":["integer","null"]},"archive":{"type":"string"},"detail":{"type":"string"},"due_us":{"type":["integer","null"]},"recorded_by":{"type":"string"}}},
        "BackupOverview": {"type":"object","properties":{"status":{"type":"object","properties":{"scheduled":{"type":"boolean"},"next_due_us":{"type":["integer","null"]},"missed_due_us":{"type":["integer","null"]},"last_ok":{},"last_failed":{},"copy2":{},"copy2_stale":{"type":"boolean"}}},"runs":{"type":"array","items":{"$ref":"#/components/schemas/BackupRun"}}}},
        "BackupReport": {"type":"object","required":["job","started","finished","result"],"properties":{"job":{"type":"string"},"started":{"type":"string","description":"RFC 3339 or Belgrade time 30.11.2026. 15:02"},"finished":{"type":"string"},"result":{"type":"string","enum":["ok","failed"]},"size_bytes":{"type":["integer","null"]},"detail":{"type":"string"}}},
        "Medium": {"type":"object","properties":{"id":{"type":"integer"},"label":{"type":"string"},"copy_no":{"type":"integer"},"archive":{"type":"string"},"sha256":{"type":"string"},"written_us":{"type":"integer"},"note":{"type":"string"},"in_safe":{"type":"boolean"}}},
        "MediumList": {"type":"array","items":{"$ref":"#/components/schemas/Medium"}},
        "MediumInput": {"type":"object","required":["label","archive"],"properties":{"label":{"type":"string"},"copy_no":{"type":"integer","enum":[2,3]},"archive":{"type":"string"},"sha256":{"type":"string"},"note":{"type":"string"}}},
        "CustodyInput": {"type":"object","required":["kind","person"],"properties":{"kind":{"type":"string","enum":["deposited","taken"]},"at":{"type":"string"},"person":{"type":"string"},"reason":{"type":"string","description":"required when taken"}}},
        "CustodyBook": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"medium_id":{"type":"integer"},"medium":{"type":"string"},"kind":{"type":"string"},"at_us":{"type":"integer"},"person":{"type":"string"},"reason":{"type":"string"},"recorded_by":{"type":"string"}}}},
        "Access": {"type":"object","properties":{"asset_id":{"type":"integer"},"allowed":{"type":"boolean"},"blocked":{"type":"array","items":{"type":"string","enum":["adult","games","malware","social"]}},"social":{"type":"object","properties":{"state":{"type":"string","enum":["blocked","requested","approved"]},"reason":{"type":"string"},"by":{"type":"string"},"at_us":{"type":"integer"}}},"note":{"type":"string"}}},
        "AccessInput": {"type":"object","properties":{"allowed":{"type":"boolean"},"blocked":{"type":"array","items":{"type":"string"}},"social_reason":{"type":"string"},"note":{"type":"string"}}},
        "InternetHost": {"type":"object","properties":{"workstation":{"$ref":"#/components/schemas/InternetHostRow"},"effective_blocked":{"type":"array","items":{"type":"string"}}}},
        "InternetHostRow": {"type":"object","properties":{"asset_id":{"type":"integer"},"inventory_number":{"type":"string"},"label":{"type":"string"},"ip":{"type":["string","null"]},"unit":{"type":"string"},"person":{"type":"string"},"access":{"oneOf":[{"$ref":"#/components/schemas/Access"},{"type":"null"}]}}},
        "InternetHostList": {"type":"array","items":{"$ref":"#/components/schemas/InternetHostRow"}},
        "SiteList": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"category":{"type":"string"},"domain":{"type":"string"}}}},
        "SitesInput": {"type":"object","required":["category","domains"],"properties":{"category":{"type":"string","enum":["adult","games","malware","social"]},"domains":{"type":"string"}}},
        "Added": {"type":"object","properties":{"added":{"type":"integer"}}},
        "MisuseInput": {"type":"object","required":["kind","happened_on","description"],"properties":{"kind":{"type":"string","enum":["private_modem","internet_misuse","email_misuse","policy_breach","other"]},"asset_id":{"type":["integer","null"]},"person_id":{"type":["integer","null"]},"happened_on":{"type":"string"},"description":{"type":"string"},"action":{"type":"string"},"cut_access":{"type":"boolean"}}},
        "MisuseList": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"kind":{"type":"string"},"asset_id":{"type":["integer","null"]},"asset":{"type":"string"},"person_id":{"type":["integer","null"]},"person":{"type":"string"},"happened_on":{"type":"string"},"description":{"type":"string"},"action":{"type":"string"},"access_cut":{"type":"boolean"},"recorded_by":{"type":"string"},"recorded_us":{"type":"integer"},"seen_by":{"type":["string","null"]},"seen_us":{"type":["integer","null"]}}}},
        "AntivirusList": {"type":"array","items":{"type":"object","properties":{"asset_id":{"type":"integer"},"inventory_number":{"type":"string"},"label":{"type":"string"},"unit":{"type":"string"},"os":{"type":"string"},"antivirus":{"type":["string","null"]},"last_inventory_us":{"type":["integer","null"]},"coverage":{"type":"string","enum":["missing","disabled","outdated","not_reported","protected"]}}}},
        "InstallRequest": {"type":"object","properties":{"id":{"type":"integer"},"asset_id":{"type":"integer"},"asset":{"type":"string"},"product_id":{"type":["integer","null"]},"product":{"type":"string"},"name":{"type":"string"},"reason":{"type":"string"},"state":{"type":"string","enum":["submitted","approved","rejected","installed","confirmed"]},"requested_by":{"type":"string"},"requested_us":{"type":"integer"},"decided_by":{"type":["string","null"]},"decision_note":{"type":"string"},"installed_by":{"type":["string","null"]},"confirmed_us":{"type":["integer","null"]}}},
        "InstallRequestList": {"type":"array","items":{"$ref":"#/components/schemas/InstallRequest"}},
        "InstallRequestInput": {"type":"object","required":["asset_id","reason"],"properties":{"asset_id":{"type":"integer"},"product_id":{"type":["integer","null"]},"name":{"type":"string"},"reason":{"type":"string"}}},
        "DecisionInput": {"type":"object","required":["decision"],"properties":{"decision":{"type":"string","enum":["approve","reject"]},"note":{"type":"string"}}},
        "InstalledInput": {"type":"object","properties":{"product_id":{"type":["integer","null"]}}}
    })
}

fn compliance_schemas() -> Value {
    json!({
        "Finding": {"type":"object","properties":{"no":{"type":"integer"},"result":{"type":"string","enum":["compliant","partial","noncompliant","not_applicable"]},"finding":{"type":"string"}}},
        "CorrectiveAction": {"type":"object","properties":{"id":{"type":"integer"},"check_id":{"type":"integer"},"no":{"type":["integer","null"]},"action":{"type":"string"},"owner":{"type":"string"},"due_on":{"type":"string","format":"date"},"state":{"type":"string","enum":["open","done"]},"done_on":{"type":["string","null"]},"done_note":{"type":"string"}}},
        "Check": {"type":"object","properties":{"id":{"type":"integer"},"year":{"type":"integer"},"kind":{"type":"string","enum":["self","external"]},"law":{"type":"string","enum":["zib2016","zib2025"]},"checked_by":{"type":"string"},"started_on":{"type":"string","format":"date"},"completed_on":{"type":["string","null"]},"conclusion":{"type":"string"},"recorded_by":{"type":"string"},"findings":{"type":"array","items":{"$ref":"#/components/schemas/Finding"}},"actions":{"type":"array","items":{"$ref":"#/components/schemas/CorrectiveAction"}}}},
        "CheckList": {"type":"array","items":{"$ref":"#/components/schemas/Check"}},
        "CheckInput": {"type":"object","required":["year","kind","checked_by","started_on"],"properties":{"year":{"type":"string"},"kind":{"type":"string","enum":["self","external"]},"law":{"type":"string","enum":["zib2016","zib2025"]},"checked_by":{"type":"string"},"started_on":{"type":"string"}}},
        "FindingInputs": {"type":"array","items":{"type":"object","required":["no"],"properties":{"no":{"type":"integer"},"result":{"type":"string","description":"empty: not checked yet"},"finding":{"type":"string"}}}},
        "ActionInput": {"type":"object","required":["action","owner","due_on"],"properties":{"no":{"type":["integer","null"]},"action":{"type":"string"},"owner":{"type":"string"},"due_on":{"type":"string"}}},
        "CompleteInput": {"type":"object","required":["completed_on","conclusion"],"properties":{"completed_on":{"type":"string"},"conclusion":{"type":"string"}}},
        "ActionDone": {"type":"object","properties":{"done_on":{"type":"string","description":"today when empty"},"note":{"type":"string"}}},
        "ComplianceDuties": {"type":"object","properties":{"next_check_due":{"type":["string","null"]},"check_open":{"type":"boolean"},"risk_assessment_due":{"type":["string","null"]},"security_act_due":{"type":["string","null"]},"overdue_actions":{"type":"integer"}}},
        "ActList": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"kind":{"type":"string","enum":["risk_assessment","security_act"]},"number":{"type":"string"},"act_date":{"type":"string","format":"date"},"note":{"type":"string"},"recorded_by":{"type":"string"}}}},
        "ActInput": {"type":"object","required":["kind","number","act_date"],"properties":{"kind":{"type":"string","enum":["risk_assessment","security_act"]},"number":{"type":"string"},"act_date":{"type":"string"},"note":{"type":"string"}}},
        "ProcessingRecord": {"type":"object","properties":{"record_no":{"type":"integer"},"version":{"type":"integer"},"name":{"type":"string"},"system":{"type":"string"},"controller":{"type":"string"},"purpose":{"type":"string"},"legal_basis":{"type":"string"},"subjects":{"type":"string"},"data_kinds":{"type":"string"},"recipients":{"type":"string"},"transfers":{"type":"string"},"retention":{"type":"string"},"safeguards":{"type":"string"},"ended_on":{"type":["string","null"]},"change_note":{"type":"string"},"changed_by":{"type":"string"},"changed_us":{"type":"integer"}}},
        "RecordVersions": {"type":"array","items":{"$ref":"#/components/schemas/ProcessingRecord"}},
        "RecordSummaryList": {"type":"array","items":{"type":"object","properties":{"current":{"$ref":"#/components/schemas/ProcessingRecord"},"versions":{"type":"integer"}}}},
        "RecordInput": {"type":"object","required":["name","system","controller","purpose","subjects","data_kinds","recipients","retention","safeguards"],"properties":{"name":{"type":"string"},"system":{"type":"string"},"controller":{"type":"string"},"purpose":{"type":"string"},"legal_basis":{"type":"string"},"subjects":{"type":"string"},"data_kinds":{"type":"string"},"recipients":{"type":"string"},"transfers":{"type":"string"},"retention":{"type":"string"},"safeguards":{"type":"string"},"ended_on":{"type":"string"},"change_note":{"type":"string","description":"required for a new version"},"base_version":{"type":["integer","null"]}}},
        "RecordCreated": {"type":"object","properties":{"record_no":{"type":"integer"},"version":{"type":"integer"}}},
        "ProposalView": {"type":"object","properties":{"proposal":{"type":"object","properties":{"id":{"type":"integer"},"title":{"type":"string"},"reason":{"type":"string"},"estimate_para":{"type":"integer"},"proposed_by":{"type":"string"},"proposed_us":{"type":"integer"},"state":{"type":"string","enum":["proposed","approved","rejected"]},"act_number":{"type":"string"},"act_date":{"type":["string","null"]},"decided_by":{"type":["string","null"]},"decided_us":{"type":["integer","null"]},"decision_note":{"type":"string"},"procurement_ref":{"type":"string"}}},"delivered":{"type":"array","items":{"type":"array","description":"[asset id, label or inventory number, kind, make and model]"}}}},
        "ProposalList": {"type":"array","items":{"$ref":"#/components/schemas/ProposalView"}},
        "ProposalInput": {"type":"object","required":["title","reason","estimate"],"properties":{"title":{"type":"string"},"reason":{"type":"string"},"estimate":{"type":"string","description":"1.250.000,00 or 1250000"}}},
        "ProposalDecision": {"type":"object","required":["decision"],"properties":{"decision":{"type":"string","enum":["approve","reject"]},"act_number":{"type":"string"},"act_date":{"type":"string"},"note":{"type":"string","description":"required when rejecting"}}},
        "ProcurementReference": {"type":"object","required":["procurement_ref"],"properties":{"procurement_ref":{"type":"string"}}},
        "ShareScan": {"type":"object","properties":{"id":{"type":"integer"},"scanned_us":{"type":"integer"},"millis":{"type":"integer"},"files":{"type":"integer"},"folders":{"type":"integer"},"bytes":{"type":"integer"},"violations":{"type":"integer"},"renamable":{"type":"integer"},"unreadable":{"type":"integer"},"recorded_by":{"type":"string"}}},
        "Share": {"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"},"root":{"type":"string"},"scans":{"type":"array","items":{"$ref":"#/components/schemas/ShareScan"}}}},
        "ShareList": {"type":"array","items":{"$ref":"#/components/schemas/Share"}},
        "ShareDetail": {"type":"object","properties":{"share":{"$ref":"#/components/schemas/Share"},"units":{"type":"array","items":{"type":"object","properties":{"unit":{"type":"string"},"files":{"type":"integer"},"bytes":{"type":"integer"},"violations":{"type":"integer"}}}}}},
        "ShareFindings": {"type":"object","properties":{"total":{"type":"integer"},"findings":{"type":"array","items":{"type":"object","properties":{"unit":{"type":"string"},"path":{"type":"string"},"rule":{"type":"string","enum":["cyrillic","diacritics","forbidden","path_too_long","not_recognisable","private_file","outside_layout","leading_word"]},"article":{"type":"string"},"detail":{"type":"string","description":"the violation as JSON"},"proposal":{"type":["string","null"]}}}}}},
        "ShareScanUpload": {"type":"object","required":["share","report"],"properties":{"share":{"type":"string"},"report":{"type":"object","description":"the output of upravnik shares scan --json"}}}
    })
}

fn all_schemas() -> Value {
    let mut all = schemas();
    for more in [internet_schemas(), compliance_schemas()] {
        if let (Some(a), Value::Object(more)) = (all.as_object_mut(), more) {
            a.extend(more);
        }
    }
    all
}

fn schemas() -> Value {
    let s = |v: Value| v;
    json!({
        "Error": s(json!({"type":"object","required":["error"],"properties":{"error":{"type":"object","properties":{
            "code":{"type":"string","description":"Stable code: not_found, invalid_input, method_not_allowed, too_large, unsupported_media_type, conflict codes (duplicate, username_taken, person_has_account, insufficient_stock, consumable_name_taken), unauthenticated, forbidden, locked, internal"},
            "code":{"type":"string","description":"Stable code: not_found, invalid_input, method_not_allowed, too_large, unsupported_media_type, conflict codes (duplicate, username_taken, person_has_account, subnet_overlap), unauthenticated, forbidden, locked, unavailable (the directory cannot be reached), internal"},
            "message":{"type":"string"},
            "fields":{"type":"array","items":{"type":"object","properties":{"field":{"type":"string"},"message":{"type":"string"}}}}}}}})),
        "Me": {"type":"object","properties":{"user_id":{"type":"integer"},"person_id":{"type":"integer"},"office_id":{"type":"integer"},"username":{"type":"string"},"full_name":{"type":"string"},"roles":{"type":"array","items":{"$ref":"#/components/schemas/Role"}},"offices":{"type":"array","items":{"type":"integer"}},"locale":{"type":"string"}}},
        "Role": {"type":"string","enum":["employee","head_of_unit","head_of_administration","administrator","inspector"]},
        "Category": {"type":"string","enum":["processing","data_media","copy_renewal","security_measure","outage","recovery","intervention","misuse","policy_breach","account_change","configuration_change"]},
        "Active": {"type":"object","required":["active"],"properties":{"active":{"type":"boolean"}}},
        "Locale": {"type":"object","required":["locale"],"properties":{"locale":{"type":"string","enum":["sr-Cyrl","sr-Latn","en"]}}},
        "OfficeList": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"}}}},
        "UnitInput": {"type":"object","required":["name"],"properties":{"name":{"type":"string","minLength":1,"maxLength":200},"code":{"type":"string","maxLength":40},"parent_id":{"type":["integer","null"],"description":"Empty for a basic unit; a basic unit's id for an internal unit"}}},
        "Unit": {"type":"object","properties":{"id":{"type":"integer"},"office_id":{"type":"integer"},"parent_id":{"type":["integer","null"]},"parent_name":{"type":["string","null"]},"name":{"type":"string"},"code":{"type":"string"},"active":{"type":"boolean"},"people":{"type":"integer"}}},
        "WorkplaceInput": {"type":"object","required":["name","unit_id"],"properties":{"name":{"type":"string","minLength":1,"maxLength":200},"unit_id":{"type":"integer"},"room":{"type":"string"}}},
        "Workplace": {"type":"object","properties":{"id":{"type":"integer"},"office_id":{"type":"integer"},"unit_id":{"type":"integer"},"unit_name":{"type":"string"},"name":{"type":"string"},"room":{"type":"string"},"active":{"type":"boolean"}}},
        "PersonInput": {"type":"object","required":["given_name","family_name"],"properties":{"given_name":{"type":"string","minLength":1,"maxLength":100},"family_name":{"type":"string","minLength":1,"maxLength":100},"birth_date":{"type":"string","description":"YYYY-MM-DD or DD.MM.YYYY"},"email":{"type":"string"},"phone":{"type":"string"},"unit_id":{"type":["integer","null"]},"workplace_id":{"type":["integer","null"]}}},
        "Person": {"type":"object","properties":{"id":{"type":"integer"},"office_id":{"type":"integer"},"given_name":{"type":"string"},"family_name":{"type":"string"},"birth_date":{"type":["string","null"]},"email":{"type":"string"},"phone":{"type":"string"},"unit_id":{"type":["integer","null"]},"unit_name":{"type":["string","null"]},"workplace_id":{"type":["integer","null"]},"workplace_name":{"type":["string","null"]},"active":{"type":"boolean"},"username":{"type":["string","null"]}}},
        "Account": {"type":"object","properties":{"user_id":{"type":"integer"},"person_id":{"type":"integer"},"office_id":{"type":"integer"},"username":{"type":"string"},"full_name":{"type":"string"},"roles":{"type":"array","items":{"$ref":"#/components/schemas/Role"}},"active":{"type":"boolean"},"locale":{"type":"string"},"directory":{"type":"boolean","description":"Signs in at the directory"}}},
        "SoftwareInput": {"type":"object","required":["name","category"],"properties":{"name":{"type":"string","minLength":1,"maxLength":200},"vendor":{"type":"string"},"category":{"type":"string","enum":["operating_system","system_application","domestic_general","domestic_purpose","local","free"]},"note":{"type":"string"},"pattern":{"type":"string"}}},
        "Licence": {"type":"object","properties":{"id":{"type":"integer"},"product_id":{"type":"integer"},"kind":{"type":"string","enum":["per_device","per_user","site","subscription","oem","free"]},"seats":{"type":["integer","null"]},"valid_from":{"type":["string","null"]},"valid_to":{"type":["string","null"]},"contract":{"type":"string"},"procurement":{"type":"string"},"note":{"type":"string"}}},
        "LicenceInput": {"type":"object","required":["kind"],"properties":{"kind":{"type":"string","enum":["per_device","per_user","site","subscription","oem","free"]},"seats":{"type":"string","description":"Empty for an uncounted kind"},"valid_from":{"type":"string"},"valid_to":{"type":"string"},"contract":{"type":"string"},"procurement":{"type":"string"},"note":{"type":"string"}}},
        "SoftwareRule": {"type":"object","properties":{"id":{"type":"integer"},"product_id":{"type":["integer","null"]},"kind":{"type":"string","enum":["exact","prefix","contains"]},"pattern":{"type":"string"},"version_prefix":{"type":"string"}}},
        "SoftwareRuleInput": {"type":"object","required":["pattern"],"properties":{"product_id":{"type":["integer","null"],"description":"Empty: names matched are ignored"},"kind":{"type":"string","enum":["exact","prefix","contains"]},"pattern":{"type":"string","minLength":3},"version_prefix":{"type":"string"}}},
        "Created": {"type":"object","properties":{"id":{"type":"integer"}}},
        "SoftwareRuleList": {"type":"array","items":{"$ref":"#/components/schemas/SoftwareRule"}},
        "Software": {"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"},"vendor":{"type":"string"},"category":{"type":"string"},"note":{"type":"string"},"active":{"type":"boolean"},"licences":{"type":"array","items":{"$ref":"#/components/schemas/Licence"}},"rules":{"type":"array","items":{"$ref":"#/components/schemas/SoftwareRule"}},"installed":{"type":"integer"},"seats":{"type":"object","properties":{"kind":{"type":"string","enum":["none","count","unlimited"]},"count":{"type":"integer"}}},"status":{}}},
        "SoftwareList": {"type":"array","items":{"$ref":"#/components/schemas/Software"}},
        "SoftwareDetail": {"type":"object","properties":{"product":{"$ref":"#/components/schemas/Software"},"installed_on":{"type":"array","items":{"type":"object","properties":{"asset_id":{"type":"integer"},"inventory_number":{"type":"string"}}}}}},
        "UnrecognisedList": {"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"workstations":{"type":"integer"}}}},
        "SoftwareTaskList": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"asset_id":{"type":"integer"},"asset":{"type":"string"},"product_id":{"type":"integer"},"product":{"type":"string"},"unit":{"type":"string"},"opened_us":{"type":"integer"},"closed_us":{"type":["integer","null"]},"close_reason":{"type":"string"}}}},
        "Recomputed": {"type":"object","properties":{"workstations":{"type":"integer"},"installations":{"type":"integer"},"opened":{"type":"integer"},"closed":{"type":"integer"}}},
        "MfaEnrolment": {"type":"object","properties":{"secret":{"type":"string","description":"Base32"},"uri":{"type":"string","description":"otpauth://totp/…"}}},
        "MfaStatus": {"type":"object","properties":{"enabled":{"type":"boolean"},"pending":{"oneOf":[{"type":"null"},{"$ref":"#/components/schemas/MfaEnrolment"}]}}},
        "MfaCode": {"type":"object","required":["code"],"properties":{"code":{"type":"string","pattern":"^[0-9 ]{6,7}$"}}},
        "SyncRun": {"type":"object","properties":{"id":{"type":"integer"},"started_us":{"type":"integer"},"finished_us":{"type":"integer"},"ok":{"type":"boolean"},"created":{"type":"integer"},"updated":{"type":"integer"},"deactivated":{"type":"integer"},"unchanged":{"type":"integer"},"failed":{"type":"integer"},"message":{"type":"string"}}},
        "Directory": {"type":"object","properties":{"configured":{"type":"boolean"},"url":{"type":["string","null"]},"manage_accounts":{"type":"boolean"},"roles":{"type":"array","items":{"type":"object","properties":{"group":{"type":"string"},"role":{"$ref":"#/components/schemas/Role"}}}},"runs":{"type":"array","items":{"$ref":"#/components/schemas/SyncRun"}}}},
        "NewAccount": {"type":"object","required":["person_id","username","password","roles"],"properties":{"person_id":{"type":"integer"},"username":{"type":"string","pattern":"^[a-z][a-z0-9]{1,31}$"},"password":{"type":"string","minLength":8},"roles":{"type":"array","items":{"$ref":"#/components/schemas/Role"}}}},
        "Roles": {"type":"object","required":["roles"],"properties":{"roles":{"type":"array","items":{"$ref":"#/components/schemas/Role"}}}},
        "Password": {"type":"object","required":["password"],"properties":{"password":{"type":"string"}}},
        "ChangePassword": {"type":"object","required":["current_password","new_password"],"properties":{"current_password":{"type":"string"},"new_password":{"type":"string"}}},
        "NewToken": {"type":"object","required":["name"],"properties":{"name":{"type":"string"}}},
        "NewTokenAnswer": {"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"},"created_us":{"type":"integer"},"token":{"type":"string"}}},
        "TokenList": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"},"created_us":{"type":"integer"},"last_used_us":{"type":["integer","null"]}}}},
        "ObjectRef": {"type":"object","properties":{"kind":{"type":"string"},"id":{"type":"string"},"label":{"type":"string"}}},
        "Entry": {"type":"object","properties":{"id":{"type":"integer"},"office_id":{"type":"integer"},"seq":{"type":"integer"},"at_us":{"type":"integer","description":"Microseconds since the Unix epoch, UTC"},"actor_user_id":{"type":["integer","null"]},"actor_name":{"type":"string"},"category":{"$ref":"#/components/schemas/Category"},"object":{"oneOf":[{"$ref":"#/components/schemas/ObjectRef"},{"type":"null"}]},"confidential":{"type":"boolean"},"text":{"type":"string","description":"Empty for confidential entries unless the reader may see them"},"prev_hash":{"type":"string"},"hash":{"type":"string"}}},
        "NewEntry": {"type":"object","required":["category","text"],"properties":{"category":{"$ref":"#/components/schemas/Category"},"text":{"type":"string","maxLength":8000},"confidential":{"type":"boolean"},"object":{"$ref":"#/components/schemas/ObjectRef"}}},
        "WorklogPage": {"type":"object","properties":{"items":{"type":"array","items":{"$ref":"#/components/schemas/Entry"}},"next_before":{"type":["integer","null"]}}},
        "VerifyReport": {"type":"object","properties":{"intact":{"type":"boolean"},"checked":{"type":"integer"},"broken":{"type":"array","items":{"type":"object","properties":{"office_id":{"type":"integer"},"problem":{"type":"string"}}}}}},
        "AssetKind": {"type":"string","enum":["workstation","laptop","server","printer","scanner","monitor","ups","switch","router","firewall","access_point","phone","peripheral"]},
        "AssetStatus": {"type":"string","enum":["in_stock","in_use","in_repair","at_service","written_off","disposed","discovered"]},
        "AssetInput": {"type":"object","required":["kind","inventory_number"],"properties":{
            "kind":{"$ref":"#/components/schemas/AssetKind"},"inventory_number":{"type":"string","minLength":1,"maxLength":40},
            "label":{"type":"string","description":"ST nn, workstations and laptops only"},"manufacturer":{"type":"string"},"model":{"type":"string"},
            "serial":{"type":"string"},"hostname":{"type":"string"},"mac":{"type":"string"},"ip":{"type":"string","description":"IPv4; one active asset per address"},
            "building":{"type":"string"},"room":{"type":"string"},"roles":{"type":"array","items":{"type":"string","enum":["domain_controller","web","mail","application","gateway","database"]}},
            "in_server_room":{"type":"boolean"},"procurement_ref":{"type":"string"},"supplier":{"type":"string"},"purchase_date":{"type":"string"},
            "price":{"type":"string","description":"1.234,56 or 1234.56 dinars"},"warranty_end":{"type":"string"},"note":{"type":"string"}}},
        "Asset": {"type":"object","properties":{"id":{"type":"integer"},"office_id":{"type":"integer"},"status":{"$ref":"#/components/schemas/AssetStatus"},
            "kind":{"$ref":"#/components/schemas/AssetKind"},"inventory_number":{"type":"string"},"label":{"type":["integer","null"]},"ip":{"type":["string","null"]},
            "mac":{"type":["string","null"]},"price_para":{"type":["integer","null"]},"warranty_end":{"type":["string","null"]}}},
        "AssetStatusChange": {"type":"object","required":["status"],"properties":{"status":{"$ref":"#/components/schemas/AssetStatus"},"reference":{"type":"string"}}},
        "AssetHistory": {"type":"array","items":{"type":"object","properties":{"at_us":{"type":"integer"},"actor_name":{"type":"string"},"field":{"type":"string"},"old":{"type":"string"},"new":{"type":"string"}}}},
        "Assignments": {"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"person_id":{"type":["integer","null"]},"person_name":{"type":["string","null"]},"workplace_id":{"type":["integer","null"]},"workplace_name":{"type":["string","null"]},"assigned_on":{"type":"string"},"returned_on":{"type":["string","null"]},"assigned_by":{"type":"string"},"returned_by":{"type":["string","null"]}}}},
        "AssignBody": {"type":"object","properties":{"person_id":{"type":["integer","null"]},"workplace_id":{"type":["integer","null"]},"date":{"type":"string"},"move_workplace":{"type":"boolean"}}},
        "ReturnBody": {"type":"object","properties":{"date":{"type":"string"}}},
        "ComponentInput": {"type":"object","required":["kind"],"properties":{"kind":{"type":"string","enum":["cpu","memory","disk","network","graphics","motherboard","other"]},
            "manufacturer":{"type":"string","maxLength":100},"model":{"type":"string","maxLength":200,"description":"model or manufacturer is required"},"serial":{"type":"string","maxLength":100},
            "capacity":{"type":"string","maxLength":60},"note":{"type":"string","maxLength":500}}},
        "SoftwareInput": {"type":"object","required":["name"],"properties":{"name":{"type":"string","minLength":1,"maxLength":300},"version":{"type":"string","maxLength":100},
            "publisher":{"type":"string","maxLength":200},"installed_on":{"type":"string","description":"YYYY-MM-DD or DD.MM.YYYY."}}},
        "Part": {"type":"object","properties":{"id":{"type":"integer"},"asset_id":{"type":"integer"},"part":{"type":"string","enum":["component","software"]},
            "source":{"type":"string","enum":["manual","agent"]},"added_us":{"type":"integer"},"removed_us":{"type":["integer","null"]},
            "kind":{"type":"string"},"manufacturer":{"type":"string"},"model":{"type":"string"},"serial":{"type":"string"},"capacity":{"type":"string"},
            "name":{"type":"string"},"version":{"type":"string"},"publisher":{"type":"string"},"installed_on":{"type":["string","null"]}}},
        "Parts": {"type":"array","items":{"$ref":"#/components/schemas/Part"}},
        "ImportReport": {"type":"object","properties":{"preview":{"$ref":"#/components/schemas/ImportPreview"},"outcome":{"oneOf":[{"$ref":"#/components/schemas/ImportOutcome"},{"type":"null"}]}}},
        "ImportPreview": {"type":"object","properties":{
            "header_row":{"type":"integer","description":"The row holding the column names, numbered as in the spreadsheet"},
            "columns":{"type":"array","items":{"type":"object","properties":{"index":{"type":"integer"},"header":{"type":"string"},"field":{"type":["string","null"]}}}},
            "problems":{"type":"array","items":{"type":"string"},"description":"Problems of the whole file (message keys)"},
            "counts":{"type":"object","properties":{"new":{"type":"integer"},"changed":{"type":"integer"},"unchanged":{"type":"integer"},"invalid":{"type":"integer"}}},
            "errors":{"type":"array","items":{"type":"object","properties":{"row":{"type":"integer"},"column":{"type":"string"},"field":{"type":"string"},"message":{"type":"string","description":"Message key, e.g. err-ip, err-import-duplicate"},"value":{"type":"string","description":"The cell as the file has it"},"other_row":{"type":"integer"}}}},
            "rows":{"type":"array","items":{"type":"object","properties":{"row":{"type":"integer"},"action":{"type":"string","enum":["new","changed","unchanged","invalid"]},"inventory_number":{"type":"string"},"asset_id":{"type":["integer","null"]},"changes":{"type":"array","items":{"type":"object","properties":{"field":{"type":"string"},"old":{"type":"string"},"new":{"type":"string"}}}}}}}}},
        "ImportOutcome": {"type":"object","properties":{"created":{"type":"array","items":{"type":"integer"}},"updated":{"type":"array","items":{"type":"integer"}},"unchanged":{"type":"integer"},"worklog_id":{"type":"integer"}}},
        "NextLabel": {"type":"object","properties":{"number":{"type":"integer"},"label":{"type":"string"}}},
        "ConsumableCategory": {"type":"string","enum":["toner","ink","drum","paper","mouse","keyboard","cable","battery","storage_media","other"]},
        "MoveKind": {"type":"string","enum":["receive","issue","return","adjust"]},
        "ConsumableInput": {"type":"object","required":["name","category"],"properties":{
            "name":{"type":"string","minLength":1,"maxLength":200,"description":"Unique in the office"},"category":{"$ref":"#/components/schemas/ConsumableCategory"},
            "unit":{"type":"string","maxLength":30,"description":"Unit of measure; ком when empty"},"compatible_with":{"type":"string","maxLength":300},
            "min_stock":{"type":["integer","string"],"description":"0–100000; 0 means no minimum"},"active":{"type":"boolean","default":true},"note":{"type":"string"}}},
        "Consumable": {"type":"object","properties":{"id":{"type":"integer"},"office_id":{"type":"integer"},"stock":{"type":"integer","minimum":0},
            "low_stock":{"type":"boolean","description":"Active, with a minimum, and at or below it"},"name":{"type":"string"},
            "category":{"$ref":"#/components/schemas/ConsumableCategory"},"unit":{"type":"string"},"compatible_with":{"type":"string"},
            "min_stock":{"type":"integer"},"active":{"type":"boolean"},"note":{"type":"string"}}},
        "MoveInput": {"type":"object","required":["kind","quantity"],"properties":{
            "kind":{"$ref":"#/components/schemas/MoveKind"},
            "quantity":{"type":["integer","string"],"description":"1–100000; for adjust signed and non-zero (-2 after a shortfall)"},
            "date":{"type":"string","description":"YYYY-MM-DD or DD.MM.YYYY.; today when empty"},
            "person_id":{"type":["integer","null"],"description":"Required for issue and return; an active employee for issue"},
            "asset_id":{"type":["integer","null"],"description":"Issue only: the device it is for, e.g. the printer"},
            "supplier":{"type":"string"},"reference":{"type":"string","description":"Procurement or delivery-note reference of a receipt"},
            "note":{"type":"string","description":"Required for adjust"}}},
        "ConsumableMove": {"type":"object","properties":{"id":{"type":"integer"},"consumable_id":{"type":"integer"},"consumable_name":{"type":"string"},"unit":{"type":"string"},
            "kind":{"$ref":"#/components/schemas/MoveKind"},"delta":{"type":"integer","description":"Signed change of the stock"},"stock_after":{"type":"integer"},
            "on":{"type":"string","description":"ISO date"},"person_id":{"type":["integer","null"]},"person_name":{"type":["string","null"]},
            "asset_id":{"type":["integer","null"]},"asset_label":{"type":["string","null"]},"supplier":{"type":"string"},"reference":{"type":"string"},
            "note":{"type":"string"},"actor_name":{"type":"string"},"at_us":{"type":"integer"}}},
        "ConsumableMoves": {"type":"array","items":{"$ref":"#/components/schemas/ConsumableMove"}},
        "ConsumablePage": page("Consumable"),
        "ReportState": {"type":"string","enum":["new","accepted","on_site","in_ict_office","at_service","resolved","closed"]},
        "ReportInput": {"type":"object","required":["title"],"properties":{
            "title":{"type":"string","minLength":1,"maxLength":200},"description":{"type":"string","maxLength":8000},
            "reporter_id":{"type":["integer","null"],"description":"The employee with the fault; the caller when empty; others only for administrators"},
            "asset_id":{"type":["integer","null"],"description":"Employees: only equipment they hold"},
            "channel":{"type":"string","enum":["web","phone","in_person","email"],"description":"Administrators only; web for employees"},
            "category":{"type":"string","enum":["hardware","printer","software","network","account","email","other"],"default":"other"},
            "priority":{"type":"string","enum":["low","normal","high","urgent"],"default":"normal","description":"Administrators only"}}},
        "Report": {"type":"object","properties":{"id":{"type":"integer"},"office_id":{"type":"integer"},"number":{"type":"string","description":"П-2026-000123"},
            "reporter_id":{"type":"integer"},"reporter_name":{"type":"string"},"reporter_unit_id":{"type":["integer","null"]},"asset_id":{"type":["integer","null"]},"asset_label":{"type":["string","null"]},
            "channel":{"type":"string"},"title":{"type":"string"},"description":{"type":"string"},"category":{"type":"string"},"priority":{"type":"string"},
            "state":{"$ref":"#/components/schemas/ReportState"},"assignee_id":{"type":["integer","null"],"description":"An administrator's account"},"assignee_name":{"type":["string","null"]},
            "recorded_by":{"type":"string"},"minutes":{"type":"integer","description":"Minutes booked on steps and comments"},
            "created_us":{"type":"integer"},"updated_us":{"type":"integer"},"first_response_us":{"type":["integer","null"]},"resolved_us":{"type":["integer","null"]},"closed_us":{"type":["integer","null"]},
            "response_due_us":{"type":["integer","null"],"description":"Deadline of the first response (working hours, holidays of Serbia)"},
            "resolution_due_us":{"type":["integer","null"],"description":"Deadline of the resolution"}}},
        "PriorityInput": {"type":"object","required":["priority"],"properties":{"priority":{"type":"string","enum":["low","normal","high","urgent"]}}},
        "StatsRow": {"type":"object","properties":{"id":{"type":["integer","null"]},"key":{"type":"string","description":"Name, category code or YYYY-MM"},
            "received":{"type":"integer"},"resolved":{"type":"integer"},"median_response_min":{"type":["integer","null"],"description":"Working minutes"},
            "median_resolution_min":{"type":["integer","null"],"description":"Working minutes"},"late":{"type":"integer"}}},
        "ReportStats": {"type":"object","properties":{"period":{"type":"object","properties":{"year":{"type":"integer"},"month":{"type":["integer","null"]},"from_us":{"type":"integer"},"to_us":{"type":"integer"}}},
            "total":{"$ref":"#/components/schemas/StatsRow"},
            "by_assignee":{"type":"array","items":{"$ref":"#/components/schemas/StatsRow"}},"by_unit":{"type":"array","items":{"$ref":"#/components/schemas/StatsRow"}},
            "by_category":{"type":"array","items":{"$ref":"#/components/schemas/StatsRow"}},"by_month":{"type":"array","items":{"$ref":"#/components/schemas/StatsRow"}}}},
        "ReportStep": {"type":"object","properties":{"id":{"type":"integer"},"from":{"oneOf":[{"$ref":"#/components/schemas/ReportState"},{"type":"null"}]},"to":{"$ref":"#/components/schemas/ReportState"},
            "assignee_id":{"type":["integer","null"]},"assignee_name":{"type":["string","null"]},"note":{"type":"string"},"minutes":{"type":"integer"},"actor_name":{"type":"string"},"at_us":{"type":"integer"}}},
        "ReportComment": {"type":"object","properties":{"id":{"type":"integer"},"body":{"type":"string"},"public":{"type":"boolean"},"minutes":{"type":"integer"},
            "actor_user_id":{"type":["integer","null"]},"actor_name":{"type":"string"},"at_us":{"type":"integer"}}},
        "ReportDetail": {"allOf":[{"$ref":"#/components/schemas/Report"},{"type":"object","properties":{
            "steps":{"type":"array","items":{"$ref":"#/components/schemas/ReportStep"}},"comments":{"type":"array","items":{"$ref":"#/components/schemas/ReportComment"}}}}]},
        "TransitionInput": {"type":"object","properties":{"to":{"$ref":"#/components/schemas/ReportState"},"assignee_id":{"type":["integer","null"]},
            "note":{"type":"string","maxLength":4000},"minutes":{"type":["integer","string"],"description":"0–2400"}}},
        "CommentInput": {"type":"object","required":["body"],"properties":{"body":{"type":"string","minLength":1,"maxLength":8000},"public":{"type":"boolean","default":true},
            "minutes":{"type":["integer","string"],"description":"0–2400; administrators only"}}},
        "WorkKind": {"type":"string","enum":["repair","part_replaced","upgrade","software_rework"]},
        "WorkOrderItem": {"type":"object","properties":{"name":{"type":"string"},"quantity":{"type":"integer"},"cost":{"type":"integer","description":"Estimated cost in para"},
            "component":{"type":["string","null"],"enum":["cpu","memory","disk","network","graphics","motherboard","other",null]}}},
        "WorkOrderInput": {"type":"object","required":["work","kind"],"properties":{"date":{"type":"string","description":"Today when empty"},"workplace":{"type":"string"},
            "fault":{"type":"string","description":"The report's description when empty"},"work":{"type":"string","minLength":1,"maxLength":4000},"kind":{"$ref":"#/components/schemas/WorkKind"},
            "items":{"type":"array","maxItems":50,"items":{"type":"object","properties":{"name":{"type":"string"},"quantity":{"type":["integer","string"]},"cost":{"type":["number","string"],"description":"Dinars"},"component":{"type":"string"}}}},
            "changes_book_value":{"type":"boolean"},"needs_money":{"type":"boolean"},"update_card":{"type":"boolean"}}},
        "WorkOrder": {"type":"object","properties":{"id":{"type":"integer"},"report_id":{"type":"integer"},"number":{"type":"string","description":"РН-2026-0001"},"date":{"type":"string","format":"date"},
            "asset_id":{"type":["integer","null"]},"unit_name":{"type":"string"},"person_name":{"type":"string"},"device":{"type":"string"},"inventory_number":{"type":"string"},"workplace":{"type":"string"},
            "fault":{"type":"string"},"work":{"type":"string"},"kind":{"$ref":"#/components/schemas/WorkKind"},"items":{"type":"array","items":{"$ref":"#/components/schemas/WorkOrderItem"}},
            "changes_book_value":{"type":"boolean"},"needs_money":{"type":"boolean"},"administrator":{"type":"string"},"created_us":{"type":"integer"}}},
        "WorkOrderList": {"type":"array","items":{"$ref":"#/components/schemas/WorkOrder"}},
        "HandoverInput": {"type":"object","required":["service_name"],"properties":{"date":{"type":"string"},"service_name":{"type":"string","minLength":1},"service_address":{"type":"string"},
            "service_contact":{"type":"string"},"accessories":{"type":"string"},"fault":{"type":"string"},"handed_by":{"type":"string","description":"The administrator when empty"},"received_by":{"type":"string"}}},
        "Handover": {"type":"object","properties":{"id":{"type":"integer"},"report_id":{"type":"integer"},"number":{"type":"string","description":"ЗП-2026-0001"},"date":{"type":"string","format":"date"},
            "asset_id":{"type":["integer","null"]},"device":{"type":"string"},"serial":{"type":"string"},"inventory_number":{"type":"string"},"service_name":{"type":"string"},"service_address":{"type":"string"},
            "service_contact":{"type":"string"},"accessories":{"type":"string"},"fault":{"type":"string"},"handed_by":{"type":"string"},"received_by":{"type":"string"},"returned":{"type":"boolean"},"created_us":{"type":"integer"}}},
        "HandoverList": {"type":"array","items":{"$ref":"#/components/schemas/Handover"}},
        "ServiceSheetInput": {"type":"object","required":["fault_found","repair_done","servicer"],"properties":{"date":{"type":"string"},"fault_found":{"type":"string"},"repair_done":{"type":"string"},
            "warranty_months":{"type":["integer","string"],"description":"0–120"},"servicer":{"type":"string"},"to":{"type":"string","enum":["in_ict_office","resolved"]}}},
        "ServiceSheet": {"type":"object","properties":{"id":{"type":"integer"},"report_id":{"type":"integer"},"handover_id":{"type":["integer","null"]},"date":{"type":"string","format":"date"},
            "fault_found":{"type":"string"},"repair_done":{"type":"string"},"warranty_months":{"type":"integer"},"warranty_until":{"type":"string"},"servicer":{"type":"string"},
            "scan_name":{"type":["string","null"]},"scan_type":{"type":["string","null"]},"scan_size":{"type":"integer"},"recorded_by":{"type":"string"},"created_us":{"type":"integer"}}},
        "ServiceSheetList": {"type":"array","items":{"$ref":"#/components/schemas/ServiceSheet"}},
        "Attachment": {"type":"object","properties":{"id":{"type":"integer"},"report_id":{"type":"integer"},"comment_id":{"type":["integer","null"]},
            "name":{"type":"string"},"content_type":{"type":"string"},"size":{"type":"integer"},"created_us":{"type":"integer"}}},
        "AttachmentList": {"type":"array","items":{"$ref":"#/components/schemas/Attachment"}},
        "OutboxRow": {"type":"object","properties":{"id":{"type":"integer"},"office_id":{"type":"integer"},"report_id":{"type":"integer"},
            "kind":{"type":"string","enum":["received","state","comment"]},"recipient":{"type":"string"},
            "from_state":{"type":["string","null"]},"to_state":{"type":["string","null"]},"comment_id":{"type":["integer","null"]},
            "actor_user_id":{"type":["integer","null"]},"subject":{"type":"string"},"message_id":{"type":"string"},
            "status":{"type":"string","enum":["pending","sent","failed","skipped"]},"attempts":{"type":"integer"},
            "next_attempt_us":{"type":"integer"},"last_error":{"type":"string"},"created_us":{"type":"integer"},"sent_us":{"type":["integer","null"]}}},
        "OutboxList": {"type":"array","items":{"$ref":"#/components/schemas/OutboxRow"}},
        "ReportPage": page("Report"),
        "SubnetInput": {"type":"object","required":["cidr","name"],"properties":{"cidr":{"type":"string","description":"IPv4 network, e.g. 10.10.1.0/24"},"name":{"type":"string","minLength":1,"maxLength":100},"vlan":{"type":["integer","string","null"],"description":"1–4094"},"gateway":{"type":"string","description":"A host address inside the network"},"note":{"type":"string"}}},
        "AssetAddress": {"type":"object","properties":{"ip":{"type":"string"},"asset_id":{"type":"integer"},"inventory_number":{"type":"string"},"hostname":{"type":"string"}}},
        "Subnet": {"type":"object","properties":{"id":{"type":"integer"},"office_id":{"type":"integer"},"cidr":{"type":"string"},"name":{"type":"string"},"vlan":{"type":["integer","null"]},"gateway":{"type":["string","null"]},"note":{"type":"string"},
            "total":{"type":"integer","description":"Usable host addresses"},"used":{"type":"integer","description":"Held by active assets"},"free":{"type":"integer","description":"Neither used nor the gateway"},
            "used_addresses":{"type":"array","items":{"$ref":"#/components/schemas/AssetAddress"}}}},
        "SubnetList": {"type":"object","properties":{"items":{"type":"array","items":{"$ref":"#/components/schemas/Subnet"}},"outside":{"type":"array","items":{"$ref":"#/components/schemas/AssetAddress"}}}},
        "AssetPage": page("Asset"),
        "BulkBody": {"type":"object","required":["ids","action"],"properties":{
            "ids":{"type":"array","maxItems":500,"items":{"type":"integer"}},
            "action":{"type":"string","enum":["set_room","set_status"]},
            "building":{"type":"string","description":"set_room: empty keeps each asset's building"},
            "room":{"type":"string","description":"set_room: empty keeps each asset's room"},
            "status":{"$ref":"#/components/schemas/AssetStatus"},
            "reference":{"type":"string","description":"The act of a write-off or disposal (R.4)"},
            "dry_run":{"type":"boolean","description":"Answer with the planned changes, write nothing"}}},
        "BulkPlan": {"type":"object","properties":{
            "assets":{"type":"array","items":{"type":"object","properties":{"asset_id":{"type":"integer"},"inventory_number":{"type":"string"},"label":{"type":["integer","null"]},
                "changes":{"type":"array","items":{"type":"object","properties":{"field":{"type":"string"},"old":{"type":"string"},"new":{"type":"string"}}}}}}},
            "problems":{"type":"array","items":{"type":"object","properties":{"asset_id":{"type":"integer"},"inventory_number":{"type":"string"},"code":{"type":"string","description":"Message key, e.g. err-status-move"}}}},
            "applied":{"type":"boolean"}}},
        "SavedFilterInput": {"type":"object","required":["name"],"properties":{"page":{"type":"string","enum":["assets"]},"name":{"type":"string","maxLength":80},
            "query":{"type":"string","description":"The list's query string, e.g. kind=printer&unit=3"},"shared":{"type":"boolean","description":"Administrators only"}}},
        "SavedFilter": {"type":"object","properties":{"id":{"type":"integer"},"user_id":{"type":"integer"},"owner_name":{"type":"string"},"page":{"type":"string"},
            "name":{"type":"string"},"query":{"type":"string"},"shared":{"type":"boolean"},"created_us":{"type":"integer"}}},
        "SavedFilterList": {"type":"array","items":{"$ref":"#/components/schemas/SavedFilter"}},
        "AccountRequestInput": {"type":"object","required":["person_id","kind"],"properties":{"person_id":{"type":"integer"},
            "kind":{"type":"string","enum":["open","change","close"]},"internet":{"type":"boolean"},"social":{"type":"boolean"},"note":{"type":"string"},
            "items":{"type":"array","items":{"type":"object","required":["application_id","role"],"properties":{"application_id":{"type":"integer"},"role":{"type":"string"}}}}}},
        "AccountRequest": {"type":"object","required":["id","number","kind","state","person_id","items"],"properties":{"id":{"type":"integer"},"number":{"type":"string"},
            "kind":{"type":"string","enum":["open","change","close"]},"state":{"type":"string","enum":["submitted","done","rejected"]},"person_id":{"type":"integer"},
            "person_name":{"type":"string"},"unit_name":{"type":"string"},"workplace_name":{"type":"string"},"internet":{"type":"boolean"},"note":{"type":"string"},
            "social":{"type":"boolean"},"social_approved_by":{"type":["string","null"]},"social_approved_us":{"type":["integer","null"]},
            "items":{"type":"array","items":{"type":"object","properties":{"application_id":{"type":"integer"},"application_name":{"type":"string"},"role":{"type":"string"}}}},
            "requested_by":{"type":"string"},"requested_us":{"type":"integer"},"done_by":{"type":["string","null"]},"done_us":{"type":["integer","null"]},
            "username":{"type":["string","null"]},"setup_note":{"type":"string"},"software":{"type":"string"},"rejected_reason":{"type":"string"}}},
        "AccountRequestPage": {"type":"object","required":["items","total","page","per_page"],"properties":{"items":{"type":"array","items":{"$ref":"#/components/schemas/AccountRequest"}},
            "total":{"type":"integer"},"page":{"type":"integer"},"per_page":{"type":"integer"}}},
        "AccountRequestDetail": {"type":"object","required":["request","grants","assets"],"properties":{"request":{"$ref":"#/components/schemas/AccountRequest"},
            "grants":{"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"application_id":{"type":"integer"},"application_name":{"type":"string"},
                "role":{"type":"string"},"granted_us":{"type":"integer"},"request_number":{"type":"string"}}}},
            "assets":{"type":"array","items":{"type":"array","prefixItems":[{"type":"integer"},{"type":"string"}]}}}},
        "CarryOutInput": {"type":"object","properties":{"username":{"type":"string","pattern":"^[a-z][a-z0-9]{1,31}$"},"setup_note":{"type":"string"},"initial_password":{"type":"string","description":"When the directory manages accounts: the open request's account is opened there with this password (R.18); never stored"},
            "removed":{"type":"array","items":{"type":"integer"},"description":"For a close: the grants confirmed taken away"}}},
        "RejectInput": {"type":"object","required":["reason"],"properties":{"reason":{"type":"string","minLength":1}}},
        "ApplicationInput": {"type":"object","required":["name"],"properties":{"name":{"type":"string","minLength":1,"maxLength":120},
            "kind":{"type":"string","enum":["email","internet","share","case_management","accounting","legal","other"]},
            "description":{"type":"string"},"roles":{"type":"array","items":{"type":"string","maxLength":100},"maxItems":50}}},
        "Application": {"type":"object","required":["id","name","kind","description","roles","active"],"properties":{"id":{"type":"integer"},"name":{"type":"string"},
            "kind":{"type":"string"},"description":{"type":"string"},"roles":{"type":"array","items":{"type":"string"}},"active":{"type":"boolean"},
            "created_us":{"type":"integer"},"updated_us":{"type":"integer"}}},
        "ApplicationPage": {"type":"object","required":["items","total","page","per_page"],"properties":{"items":{"type":"array","items":{"$ref":"#/components/schemas/Application"}},
            "total":{"type":"integer"},"page":{"type":"integer"},"per_page":{"type":"integer"}}},
        "ReportArticleLink": {"type":"object","required":["article_id"],"properties":{"article_id":{"type":"integer"}}},
        "ArticleList": {"type":"array","items":{"$ref":"#/components/schemas/Article"}},
        "AgentPage": {"type":"object","required":["items","total","page","per_page"],"properties":{"items":{"type":"array","items":{"type":"object"}},"total":{"type":"integer"},"page":{"type":"integer"},"per_page":{"type":"integer"}}},
        "AssetInventory": {"type":"object","required":["inventory"],"properties":{"inventory":{"type":["object","null"],"description":"null before the first inventory"}}},
        "RulesInput": {"type":"object","required":["title","body"],"properties":{"title":{"type":"string","minLength":1,"maxLength":200},"body":{"type":"string","minLength":1}}},
        "RulesVersion": {"type":"object","required":["id","version","title","body","published_by","published_us"],"properties":{
            "id":{"type":"integer"},"version":{"type":"integer"},"title":{"type":"string"},"body":{"type":"string"},"published_by":{"type":"string"},"published_us":{"type":"integer"}}},
        "RulesAccept": {"type":"object","required":["version"],"properties":{"version":{"type":"integer"}}},
        "RulesAcceptance": {"type":"object","required":["how","signed_on","recorded_by","accepted_us"],"properties":{
            "how":{"type":"string","enum":["online","paper"]},"signed_on":{"type":"string"},"recorded_by":{"type":"string"},"accepted_us":{"type":"integer"}}},
        "RulesCurrent": {"type":"object","required":["rules","my_acceptance"],"properties":{
            "rules":{"oneOf":[{"$ref":"#/components/schemas/RulesVersion"},{"type":"null"}]},
            "my_acceptance":{"oneOf":[{"$ref":"#/components/schemas/RulesAcceptance"},{"type":"null"}]}}},
        "PaperAcceptance": {"type":"object","required":["person_id"],"properties":{"person_id":{"type":"integer"},"signed_on":{"type":"string","description":"dd.mm.yyyy. or ISO; today when empty"}}},
        "AcceptanceList": {"type":"object","required":["rows","accepted","people"],"properties":{
            "accepted":{"type":"integer"},"people":{"type":"integer"},
            "rows":{"type":"object","required":["items","total","page","per_page"],"properties":{
                "total":{"type":"integer"},"page":{"type":"integer"},"per_page":{"type":"integer"},
                "items":{"type":"array","items":{"type":"object","required":["person_id","full_name","acceptance"],"properties":{
                    "person_id":{"type":"integer"},"full_name":{"type":"string"},"unit_name":{"type":["string","null"]},"workplace_name":{"type":["string","null"]},
                    "acceptance":{"oneOf":[{"$ref":"#/components/schemas/RulesAcceptance"},{"type":"null"}]}}}}}}}},
        "ArticleInput": {"type":"object","required":["title","body"],"properties":{"title":{"type":"string","minLength":1,"maxLength":200},
            "body":{"type":"string","maxLength":20000,"description":"Plain text: blank line = paragraph, '- ' list item, '1. ' step, '## ' subheading, '! ' warning; never HTML"},
            "category":{"type":"string","maxLength":60},"tags":{"oneOf":[{"type":"array","maxItems":12,"items":{"type":"string","maxLength":40}},{"type":"string","description":"Comma-separated"}]},
            "published":{"type":"boolean","default":false}}},
        "Article": {"type":"object","properties":{"id":{"type":"integer"},"office_id":{"type":"integer"},"title":{"type":"string"},"body":{"type":"string"},"category":{"type":"string"},
            "tags":{"type":"array","items":{"type":"string"}},"published":{"type":"boolean"},"source":{"type":["string","null"],"description":"R.47 … for the Rulebook's articles"},
            "author_user_id":{"type":["integer","null"]},"author_name":{"type":"string"},"created_us":{"type":"integer"},"updated_us":{"type":"integer"}}},
        "ArticlePage": page("Article"),
        "Suggestions": {"type":"object","properties":{"items":{"type":"array","maxItems":5,"items":{"type":"object","properties":{"id":{"type":"integer"},"title":{"type":"string"},"category":{"type":"string"},"excerpt":{"type":"string"},"url":{"type":"string"}}}}}},
        "RulebookAdded": {"type":"object","properties":{"added":{"type":"array","items":{"type":"integer"},"description":"Ids of the articles added; empty when the office had them all"}}},
        "UnitPage": page("Unit"), "WorkplacePage": page("Workplace"), "PersonPage": page("Person"), "AccountPage": page("Account"),
    })
}

fn page(item: &str) -> Value {
    json!({"type":"object","properties":{"items":{"type":"array","items":{"$ref": format!("#/components/schemas/{item}")}},"total":{"type":"integer"},"page":{"type":"integer"},"per_page":{"type":"integer"}}})
}

fn list_params() -> Value {
    json!([
        {"name":"q","in":"query","schema":{"type":"string"},"description":"Search in either script, diacritics optional"},
        {"name":"sort","in":"query","schema":{"type":"string"},"description":"name (default), unit or created; anything else sorts by name"},
        {"name":"desc","in":"query","schema":{"type":"boolean"}},
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500}},
        {"name":"inactive","in":"query","schema":{"type":"boolean"}},
        {"name":"unit","in":"query","schema":{"type":"integer"}}
    ])
}

fn asset_params() -> Value {
    json!([
        {"name":"q","in":"query","schema":{"type":"string"},"description":"Search in either script, diacritics optional"},
        {"name":"kind","in":"query","schema":{"$ref":"#/components/schemas/AssetKind"}},
        {"name":"status","in":"query","schema":{"$ref":"#/components/schemas/AssetStatus"}},
        {"name":"unit_id","in":"query","schema":{"type":"integer"},"description":"Held by an employee of the unit or at one of its workplaces; internal units included"},
        {"name":"person_id","in":"query","schema":{"type":"integer"},"description":"Held by this employee"},
        {"name":"building","in":"query","schema":{"type":"string"}},
        {"name":"room","in":"query","schema":{"type":"string"}},
        {"name":"sort","in":"query","schema":{"type":"string","enum":["inventory_number","label","kind","room","warranty"]}},
        {"name":"desc","in":"query","schema":{"type":"boolean"}},
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500}}
    ])
}

fn report_params() -> Value {
    json!([
        {"name":"q","in":"query","schema":{"type":"string"},"description":"Number, title, description, reporter or device; either script"},
        {"name":"state","in":"query","schema":{"type":"string","enum":["open","new","accepted","on_site","in_ict_office","at_service","resolved","closed"]}},
        {"name":"priority","in":"query","schema":{"type":"string","enum":["low","normal","high","urgent"]}},
        {"name":"assignee","in":"query","schema":{"type":"string"},"description":"An administrator's account id, or none"},
        {"name":"mine","in":"query","schema":{"type":"boolean"},"description":"Assigned to the caller"},
        {"name":"late","in":"query","schema":{"type":"string","enum":["any","response","resolution"]},"description":"Open reports past their first-response or resolution deadline"},
        {"name":"sort","in":"query","schema":{"type":"string","enum":["created","updated","priority","state","due"]}},
        {"name":"desc","in":"query","schema":{"type":"boolean"},"description":"Reverses the natural order (newest, most urgent first)"},
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500}}
    ])
}

fn kb_params() -> Value {
    json!([
        {"name":"q","in":"query","schema":{"type":"string"},"description":"Words in either script, diacritics optional; each must match (by its first five letters)"},
        {"name":"tag","in":"query","schema":{"type":"string"},"description":"One tag or the area, whole"},
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":100}}
    ])
}

const IMPORT: &str = "/api/v1/assets/import";

/// POSTs that act on what exists (a step, a decision, a check) and answer 200 with it; every
/// other POST with an answer creates something and answers 201.
const POST_ANSWERS_200: &[&str] = &[
    "/api/v1/worklog/verify",
    "/api/v1/assets/bulk",
    "/api/v1/kb/rulebook",
    "/api/v1/directory/sync",
    "/api/v1/assets/{id}/return",
    "/api/v1/software/recompute",
    "/api/v1/software/requests/{id}/decide",
    "/api/v1/software/requests/{id}/installed",
    "/api/v1/internet/{id}/social/approve",
    "/api/v1/internet/{id}/social/refuse",
    "/api/v1/reports/{id}/priority",
    "/api/v1/reports/{id}/kb",
    "/api/v1/account-requests/{id}/carry-out",
    "/api/v1/account-requests/{id}/reject",
    "/api/v1/account-requests/{id}/approve-social",
    "/api/v1/rules/accept",
];

fn import_params() -> Value {
    json!([
        {"name":"mapping","in":"query","schema":{"type":"string"},"description":"JSON array, one entry per column: an AssetInput field name or null to ignore; guessed from the header when absent"},
        {"name":"commit","in":"query","schema":{"type":"boolean"},"description":"Import when the file has no errors; 422 import_has_errors (with the preview) otherwise"},
        {"name":"filename","in":"query","schema":{"type":"string"},"description":"Named in the work log"}
    ])
}

pub fn build() -> Value {
    let mut paths = Map::new();
    for route in routes().into_iter().filter(|r| r.path.starts_with("/api/")) {
        let method = route.method.as_str();
        let Some((_, _, summary, req, res)) = OPS.iter().find(|(m, p, ..)| *m == method && *p == route.path) else { continue };
        let mut op = json!({
            "summary": summary,
            "operationId": format!("{}_{}", method.to_lowercase(), route.path.trim_start_matches("/api/v1/").replace(['/', '{', '}', '.'], "_")),
            "responses": {
                "default": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
        let ok = match (method, res) {
            ("POST", Some(_)) if !POST_ANSWERS_200.contains(&route.path) && route.path != IMPORT => "201",
            (_, Some(_)) => "200",
            ("GET", None) => "200",
            _ => "204",
        };
        op["responses"][ok] = match res {
            Some(r) => {
                json!({"description": "OK", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{r}")}}}})
            }
            None if route.path.ends_with("/pdf") => {
                json!({"description": "PDF", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}})
            }
            None if route.path.ends_with("/scan") => json!({"description": "The scan", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}}}}),
            None if route.path.ends_with("{aid}") => json!({"description": "The file", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}),
            None if route.path == "/api/v1/security/evidence/{id}" => json!({"description": "The file", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}),
            None if route.path.ends_with(".conf") => {
                json!({"description": "The configuration", "content": {"text/plain": {"schema": {"type": "string"}}}})
            }
            None if route.path.ends_with(".json") => {
                json!({"description": "The document", "content": {"application/json": {"schema": {"type": "object"}}}})
            }
            None => json!({"description": "Done"}),
        };
        if let Some(r) = req {
            op["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{r}")}}}});
        }
        let mut params = vec![];
        for name in route.path.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(n, _)| n) {
            params.push(json!({"name":name,"in":"path","required":true,"schema":{"type":"integer"}}));
        }
        if route.path == IMPORT {
            op["requestBody"] = json!({"required": true, "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}});
            params.extend(import_params().as_array().cloned().unwrap_or_default());
        }
        if method == "GET" && route.path == "/api/v1/reports/stats" {
            params.push(json!({"name":"month","in":"query","schema":{"type":"string","pattern":"^[0-9]{4}-[0-9]{2}$"},"description":"YYYY-MM; the current month when neither is given"}));
            params.push(json!({"name":"year","in":"query","schema":{"type":"string","pattern":"^[0-9]{4}$"},"description":"YYYY: the annual report"}));
        } else if method == "GET" && route.path == "/api/v1/reports" {
            params.extend(report_params().as_array().cloned().unwrap_or_default());
        } else if method == "GET" && route.path == "/api/v1/rules/acceptances" {
            params
                .push(json!({"name":"missing","in":"query","schema":{"type":"boolean"},"description":"Only those who have not accepted"}));
            params.push(json!({"name":"unit","in":"query","schema":{"type":"integer"}}));
            params.extend(
                list_params()
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|p| matches!(p["name"].as_str(), Some("q" | "page" | "per_page"))),
            );
        } else if method == "GET" && route.path == "/api/v1/kb" {
            params.extend(kb_params().as_array().cloned().unwrap_or_default());
        } else if method == "GET" && route.path == "/api/v1/kb/suggest" {
            params.push(json!({"name":"q","in":"query","required":true,"schema":{"type":"string","maxLength":500},"description":"The text typed so far; short and common words are ignored"}));
        } else if method == "GET" && route.path == "/api/v1/assets" {
            params.extend(asset_params().as_array().cloned().unwrap_or_default());
        } else if method == "GET" && res.is_some_and(|r| r.ends_with("Page")) && route.path != "/api/v1/worklog" {
            params.extend(list_params().as_array().cloned().unwrap_or_default());
        }
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        match route.access {
            Access::Public | Access::Agent => op["security"] = json!([]),
            Access::SignedIn => op["x-access"] = json!("signed-in"),
            Access::Perm(p) => op["x-access"] = json!(format!("{p:?}")),
        }
        let entry = paths.entry(route.path.to_string()).or_insert_with(|| json!({}));
        entry[method.to_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Upravnik API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "The IT department of a local government: people, organisation, work log. Errors have one shape with stable codes."},
        "servers": [{"url": "/"}],
        "security": [{"token": []}],
        "paths": paths,
        "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer", "description": "Personal API token (profile page or POST /api/v1/tokens)"}},
                       "schemas": all_schemas()}
    })
}

pub async fn document() -> Json<Value> {
    Json(build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_route_is_documented_and_every_reference_resolves() {
        let doc = build();
        for r in routes().into_iter().filter(|r| r.path.starts_with("/api/")) {
            let op = &doc["paths"][r.path][r.method.as_str().to_lowercase()];
            assert!(op.is_object(), "{} {} missing from openapi.json", r.method, r.path);
        }
        let text = doc.to_string();
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part.chars().take_while(|c| c.is_alphanumeric()).collect();
            assert!(doc["components"]["schemas"][&name].is_object(), "schema {name} is referenced but not defined");
        }
    }
}
