//! Fault reports (пријаве кварова, R.52–R.53, P.5.2): what was reported, by whom, about which
//! device, and the way the repair goes — accepted, fixed on site, taken to the ICT office, sent
//! to an authorised service, resolved, closed — with every step and comment kept.
//!
//! The allowed moves are one pure function ([`check_move`]) so that the rules are tested on
//! their own; the services (`helpdesk_service.rs`) only load, check and store.

use crate::asset::{Asset, AssetStatus, string_enum};
use crate::clock::Micros;
use crate::error::Errors;
use crate::sla::{TargetState, target_state};
use crate::{Error, Result};

string_enum!(
    /// Where a report stands (R.52).
    ReportState {
        New = "new",
        /// Taken by an administrator (assigned).
        Accepted = "accepted",
        /// Being fixed at the user's desk (R.52.2).
        OnSite = "on_site",
        /// The device is in the ICT office (R.52.3).
        InIctOffice = "in_ict_office",
        /// The device is at an authorised service (R.52.4).
        AtService = "at_service",
        Resolved = "resolved",
        Closed = "closed",
    }
);

string_enum!(
    /// How the report came in (R.52.1, P.5.2: e-mail or phone).
    Channel {
        Web = "web",
        Phone = "phone",
        InPerson = "in_person",
        Email = "email",
    }
);

string_enum!(
    /// What the fault concerns.
    ReportCategory {
        Hardware = "hardware",
        Printer = "printer",
        Software = "software",
        Network = "network",
        Account = "account",
        Email = "email",
        Other = "other",
    }
);

string_enum!(
    /// How urgent the fault is.
    Priority {
        Low = "low",
        Normal = "normal",
        High = "high",
        Urgent = "urgent",
    }
);

impl ReportState {
    /// Neither resolved nor closed: still someone's work.
    pub fn is_open(self) -> bool {
        !matches!(self, ReportState::Resolved | ReportState::Closed)
    }

    /// The name the work log uses (kept in Serbian, R.38).
    pub fn log_name(self) -> &'static str {
        match self {
            ReportState::New => "нова",
            ReportState::Accepted => "прихваћена",
            ReportState::OnSite => "поправка на лицу места",
            ReportState::InIctOffice => "у канцеларији ИКТ",
            ReportState::AtService => "у овлашћеном сервису",
            ReportState::Resolved => "решена",
            ReportState::Closed => "затворена",
        }
    }
}

impl Channel {
    pub fn log_name(self) -> &'static str {
        match self {
            Channel::Web => "веб",
            Channel::Phone => "телефон",
            Channel::InPerson => "лично",
            Channel::Email => "е-пошта",
        }
    }
}

impl Priority {
    /// The one place a report's priority becomes the service-level calendar's (`sla.rs`).
    pub fn sla(self) -> crate::sla::Priority {
        match self {
            Priority::Low => crate::sla::Priority::Low,
            Priority::Normal => crate::sla::Priority::Normal,
            Priority::High => crate::sla::Priority::High,
            Priority::Urgent => crate::sla::Priority::Urgent,
        }
    }

    pub fn log_name(self) -> &'static str {
        match self {
            Priority::Low => "низак",
            Priority::Normal => "нормалан",
            Priority::High => "висок",
            Priority::Urgent => "хитно",
        }
    }
}

/// Who asks for a move: the administrators do the work; the reporter may only reopen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    Administrator,
    Reporter,
}

/// How long after a resolution the reporter may still reopen it.
pub const REOPEN_DAYS: i64 = 14;

/// The states an administrator may move a report to from `from` (R.52: on site first if
/// possible, then the ICT office, then an authorised service; back from the service to the
/// office, from the office to the user's desk).
pub fn admin_moves(from: ReportState) -> &'static [ReportState] {
    use ReportState::*;
    match from {
        New => &[Accepted],
        Accepted => &[OnSite, InIctOffice, AtService, Resolved],
        OnSite => &[InIctOffice, AtService, Resolved],
        InIctOffice => &[OnSite, AtService, Resolved],
        AtService => &[InIctOffice, Resolved],
        Resolved => &[Closed, Accepted],
        Closed => &[Accepted],
    }
}

/// Whether a move from `from` to `to` is a reopening.
pub fn is_reopen(from: ReportState, to: ReportState) -> bool {
    !from.is_open() && to == ReportState::Accepted
}

/// The rule of every move. `resolved_us` is when the report was last resolved; the reporter
/// may reopen a resolved (not closed) report within [`REOPEN_DAYS`] of it.
pub fn check_move(from: ReportState, to: ReportState, who: Mover, resolved_us: Option<Micros>, now_us: Micros) -> Result<()> {
    let refused = || Error::invalid("to", "err-report-move");
    match who {
        Mover::Administrator => {
            if admin_moves(from).contains(&to) {
                Ok(())
            } else {
                Err(refused())
            }
        }
        Mover::Reporter => {
            if from != ReportState::Resolved || to != ReportState::Accepted {
                return Err(refused());
            }
            let window = REOPEN_DAYS * 24 * 3600 * 1_000_000;
            match resolved_us {
                Some(r) if now_us - r <= window => Ok(()),
                _ => Err(Error::invalid("to", "err-report-reopen-late")),
            }
        }
    }
}

/// The moves to offer as buttons.
pub fn offered_moves(from: ReportState, who: Mover, resolved_us: Option<Micros>, now_us: Micros) -> Vec<ReportState> {
    ReportState::ALL.iter().copied().filter(|&to| check_move(from, to, who, resolved_us, now_us).is_ok()).collect()
}

/// A reassignment (no change of state) is possible while the work is going on.
pub fn can_reassign(state: ReportState) -> bool {
    matches!(state, ReportState::Accepted | ReportState::OnSite | ReportState::InIctOffice | ReportState::AtService)
}

/// What a move does to the reported device (R.52.3–R.52.5): to the ICT office it goes into
/// repair, to a service it is at the service, and when it comes back to the user (resolved, or
/// fixed on site) it is in use again — or in stock when nobody holds it. Only a status the
/// report itself set is undone; anything else (a written-off device) is left alone.
pub fn asset_status_after(from: ReportState, to: ReportState, asset: &Asset) -> Option<AssetStatus> {
    let target = match to {
        ReportState::InIctOffice => AssetStatus::InRepair,
        ReportState::AtService => AssetStatus::AtService,
        _ if matches!(from, ReportState::InIctOffice | ReportState::AtService)
            && matches!(asset.status, AssetStatus::InRepair | AssetStatus::AtService) =>
        {
            if asset.person_id.is_some() || asset.workplace_id.is_some() { AssetStatus::InUse } else { AssetStatus::InStock }
        }
        _ => return None,
    };
    (asset.status != target && asset.status.can_move_to(target)).then_some(target)
}

/// The report number as people quote it and as mail subjects will carry it: `П-2026-000123`.
pub fn format_number(year: i16, seq: i64) -> String {
    format!("П-{year}-{seq:06}")
}

/// Minutes of work typed in a form or sent as JSON (a number or a string).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Minutes(pub String);

impl<'de> serde::Deserialize<'de> for Minutes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(i64),
            S(String),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::N(n) => Minutes(n.to_string()),
            Raw::S(s) => Minutes(s),
        })
    }
}

impl From<&str> for Minutes {
    fn from(s: &str) -> Self {
        Minutes(s.to_string())
    }
}

/// The most one step or comment may book: a working week.
pub const MAX_MINUTES: i64 = 5 * 8 * 60;

fn minutes(e: &mut Errors, m: &Minutes) -> i64 {
    let t = m.0.trim();
    if t.is_empty() {
        return 0;
    }
    match t.parse::<i64>() {
        Ok(n) if (0..=MAX_MINUTES).contains(&n) && !t.starts_with('+') => n,
        _ => {
            e.add("minutes", "err-minutes");
            0
        }
    }
}

fn text(e: &mut Errors, field: &'static str, v: &str, max: usize) -> String {
    let v = v.trim();
    if v.chars().count() > max {
        e.add(field, "err-too-long");
    }
    v.to_string()
}

/// A report as entered in a form or the API; [`ReportInput::validate`] normalises it.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct ReportInput {
    /// The employee with the fault; the signed-in person when empty.
    #[serde(default)]
    pub reporter_id: Option<i64>,
    #[serde(default)]
    pub asset_id: Option<i64>,
    /// `web` for employees; administrators record `phone`, `in_person` or `email`.
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `other` when empty.
    #[serde(default)]
    pub category: String,
    /// `normal` when empty.
    #[serde(default)]
    pub priority: String,
}

/// A validated report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFields {
    pub reporter_id: Option<i64>,
    pub asset_id: Option<i64>,
    pub channel: Option<Channel>,
    pub title: String,
    pub description: String,
    pub category: ReportCategory,
    pub priority: Priority,
}

impl ReportInput {
    pub fn validate(&self) -> Result<ReportFields> {
        let mut e = Errors::default();
        let title = text(&mut e, "title", &self.title, 200);
        if title.is_empty() {
            e.add("title", "err-required");
        }
        let description = text(&mut e, "description", &self.description, 8000);
        let channel = match self.channel.trim() {
            "" => None,
            c => {
                let p = Channel::parse(c);
                if p.is_none() {
                    e.add("channel", "err-report-channel");
                }
                p
            }
        };
        let category = match self.category.trim() {
            "" => ReportCategory::Other,
            c => ReportCategory::parse(c).unwrap_or_else(|| {
                e.add("category", "err-report-category");
                ReportCategory::Other
            }),
        };
        let priority = match self.priority.trim() {
            "" => Priority::Normal,
            p => Priority::parse(p).unwrap_or_else(|| {
                e.add("priority", "err-report-priority");
                Priority::Normal
            }),
        };
        let f = ReportFields {
            reporter_id: self.reporter_id.filter(|&p| p > 0),
            asset_id: self.asset_id.filter(|&a| a > 0),
            channel,
            title,
            description,
            category,
            priority,
        };
        e.finish()?;
        Ok(f)
    }
}

/// What the store writes for a new report; the number is given inside the transaction.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub reporter_id: i64,
    pub asset_id: Option<i64>,
    pub channel: Channel,
    pub title: String,
    pub description: String,
    pub category: ReportCategory,
    pub priority: Priority,
    /// The year the number counts in (Belgrade).
    pub year: i16,
    /// Search text without the number (title, description, reporter, device); the store adds
    /// the number.
    pub search_text: String,
    /// The deadlines of the office's targets for this priority (`None`: beyond the calendar).
    pub response_due_us: Option<Micros>,
    pub resolution_due_us: Option<Micros>,
}

/// Where the work-log text of a new report takes its number, filled in by the store.
pub const NUMBER_SLOT: &str = "{number}";

/// A move as entered in a form or the API.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct TransitionInput {
    /// The new state; empty (or the current one) for a reassignment only.
    #[serde(default)]
    pub to: String,
    /// The administrator (account id) to take the report; on acceptance the one who accepts
    /// when empty.
    #[serde(default)]
    pub assignee_id: Option<i64>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub minutes: Minutes,
}

/// A validated move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionFields {
    pub to: Option<ReportState>,
    pub assignee_id: Option<i64>,
    pub note: String,
    pub minutes: i64,
}

impl TransitionInput {
    pub fn validate(&self) -> Result<TransitionFields> {
        let mut e = Errors::default();
        let to = match self.to.trim() {
            "" => None,
            s => {
                let p = ReportState::parse(s);
                if p.is_none() {
                    e.add("to", "err-report-move");
                }
                p
            }
        };
        let f = TransitionFields {
            to,
            assignee_id: self.assignee_id.filter(|&a| a > 0),
            note: text(&mut e, "note", &self.note, 4000),
            minutes: minutes(&mut e, &self.minutes),
        };
        e.finish()?;
        Ok(f)
    }
}

/// A move as the store writes it: guarded by the state it was planned from.
#[derive(Debug, Clone)]
pub struct ReportStep {
    pub from: ReportState,
    pub to: ReportState,
    /// The assignee after the step (`None`: nobody).
    pub assignee_id: Option<i64>,
    pub note: String,
    pub minutes: i64,
    /// The first answer of the IT department to the reporter.
    pub first_response: bool,
}

/// The device's status change that goes with a step, written in the same transaction.
#[derive(Debug, Clone)]
pub struct AssetStep {
    pub asset_id: i64,
    pub expected: AssetStatus,
    pub status: AssetStatus,
    pub change: crate::asset::FieldChange,
    pub log: crate::worklog::Draft,
}

/// A comment as entered.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct CommentInput {
    #[serde(default)]
    pub body: String,
    /// Seen by the reporter; internal notes (false) only by the IT department.
    #[serde(default = "yes")]
    pub public: bool,
    #[serde(default)]
    pub minutes: Minutes,
}

fn yes() -> bool {
    true
}

/// A validated comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    pub body: String,
    pub public: bool,
    pub minutes: i64,
}

impl CommentInput {
    pub fn validate(&self) -> Result<NewComment> {
        let mut e = Errors::default();
        let body = text(&mut e, "body", &self.body, 8000);
        if body.is_empty() {
            e.add("body", "err-required");
        }
        let c = NewComment { body, public: self.public, minutes: minutes(&mut e, &self.minutes) };
        e.finish()?;
        Ok(c)
    }
}

/// A report as stored and shown.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    pub id: i64,
    pub office_id: i64,
    pub number: String,
    pub reporter_id: i64,
    pub reporter_name: String,
    pub reporter_unit_id: Option<i64>,
    pub asset_id: Option<i64>,
    /// Inventory number, make and model.
    pub asset_label: Option<String>,
    pub channel: Channel,
    pub title: String,
    pub description: String,
    pub category: ReportCategory,
    pub priority: Priority,
    pub state: ReportState,
    /// The administrator's account.
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    /// Who typed it in (the reporter on the web, an administrator for a phone call).
    pub recorded_by: String,
    /// Minutes booked on the steps and comments.
    pub minutes: i64,
    pub created_us: Micros,
    pub updated_us: Micros,
    pub first_response_us: Option<Micros>,
    pub resolved_us: Option<Micros>,
    pub closed_us: Option<Micros>,
    /// Deadlines of the first response and of the resolution, from the priority and the
    /// creation time in working hours (`sla.rs`), stored so that lists filter and sort by them.
    pub response_due_us: Option<Micros>,
    pub resolution_due_us: Option<Micros>,
}

fn ts(us: Option<Micros>) -> Option<jiff::Timestamp> {
    us.and_then(|u| jiff::Timestamp::from_microsecond(u).ok())
}

impl Report {
    /// Where the first-response target stands at `now_us`.
    pub fn response_state(&self, now_us: Micros) -> TargetState {
        target_state(ts(self.response_due_us), ts(self.first_response_us), ts(Some(now_us)).unwrap_or(jiff::Timestamp::MAX))
    }

    /// Where the resolution target stands at `now_us`.
    pub fn resolution_state(&self, now_us: Micros) -> TargetState {
        target_state(ts(self.resolution_due_us), ts(self.resolved_us), ts(Some(now_us)).unwrap_or(jiff::Timestamp::MAX))
    }

    /// The worse of the two, for a single badge in lists: late before missed before running.
    pub fn target_summary(&self, now_us: Micros) -> TargetState {
        let rank = |s: TargetState| match s {
            TargetState::Late => 0,
            TargetState::Missed => 1,
            TargetState::Running => 2,
            TargetState::Met => 3,
        };
        let (a, b) = (self.response_state(now_us), self.resolution_state(now_us));
        if rank(a) <= rank(b) { a } else { b }
    }

    /// Seconds from the report to the first answer (acceptance or a public comment).
    pub fn first_response_secs(&self) -> Option<i64> {
        self.first_response_us.map(|t| (t - self.created_us) / 1_000_000)
    }

    /// Seconds from the report to its (last) resolution.
    pub fn resolution_secs(&self) -> Option<i64> {
        self.resolved_us.map(|t| (t - self.created_us) / 1_000_000)
    }
}

/// One step of a report's way.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Step {
    pub id: i64,
    /// Empty for the report's creation.
    pub from: Option<ReportState>,
    pub to: ReportState,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub note: String,
    pub minutes: i64,
    pub actor_name: String,
    pub at_us: Micros,
}

/// A comment on a report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Comment {
    pub id: i64,
    pub body: String,
    pub public: bool,
    pub minutes: i64,
    pub actor_user_id: Option<i64>,
    pub actor_name: String,
    pub at_us: Micros,
}

/// A report with its steps and the comments the reader may see.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReportDetail {
    #[serde(flatten)]
    pub report: Report,
    pub steps: Vec<Step>,
    pub comments: Vec<Comment>,
}

/// Which reports a reader sees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReportScope {
    /// Every report of the office.
    #[default]
    Office,
    /// Reports of the employees of this unit and its internal units.
    Unit(i64),
    /// Own reports only.
    Reporter(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    /// Neither resolved nor closed.
    Open,
    Is(ReportState),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    Nobody,
    User(i64),
}

/// Which deadline has passed with the work not done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LateFilter {
    /// No first response yet, and its deadline has passed.
    Response,
    /// Not resolved, and the resolution deadline has passed.
    Resolution,
    /// Either.
    Any,
}

impl LateFilter {
    pub fn parse(s: &str) -> Option<LateFilter> {
        match s {
            "response" => Some(LateFilter::Response),
            "resolution" => Some(LateFilter::Resolution),
            "any" => Some(LateFilter::Any),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LateFilter::Response => "response",
            LateFilter::Resolution => "resolution",
            LateFilter::Any => "any",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReportSort {
    /// Newest first by default.
    #[default]
    Created,
    Priority,
    State,
    Updated,
    /// The resolution deadline, soonest first.
    Due,
}

impl ReportSort {
    pub fn parse(s: &str) -> ReportSort {
        match s {
            "due" => ReportSort::Due,
            "priority" => ReportSort::Priority,
            "state" => ReportSort::State,
            "updated" => ReportSort::Updated,
            _ => ReportSort::Created,
        }
    }
}

/// Filters of the report list.
#[derive(Debug, Clone, Default)]
pub struct ReportQuery {
    pub office_id: i64,
    pub scope: ReportScope,
    pub q: Option<String>,
    pub state: Option<StateFilter>,
    pub priority: Option<Priority>,
    pub assignee: Option<AssigneeFilter>,
    /// Open reports past a deadline; the service sets `now_us`.
    pub late: Option<LateFilter>,
    pub now_us: Micros,
    pub sort: ReportSort,
    /// For `Created` and `Updated` the natural order is newest first; `desc` reverses it.
    pub desc: bool,
    pub page: u32,
    pub per_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::AssetFields;
    use ReportState::*;

    const DAY: i64 = 24 * 3600 * 1_000_000;

    #[test]
    fn r52_the_way_of_a_repair_on_site_office_service() {
        let a = Mover::Administrator;
        for (from, to) in [
            (New, Accepted),
            (Accepted, OnSite),
            (OnSite, InIctOffice),
            (InIctOffice, AtService),
            (AtService, InIctOffice),
            (AtService, Resolved),
            (InIctOffice, OnSite),
            (OnSite, Resolved),
            (Accepted, Resolved),
            (Resolved, Closed),
        ] {
            assert!(check_move(from, to, a, None, 0).is_ok(), "{from:?} → {to:?}");
        }
    }

    #[test]
    fn no_skipping_acceptance_and_no_moves_out_of_order() {
        let a = Mover::Administrator;
        for (from, to) in [
            (New, OnSite),
            (New, Resolved),
            (New, Closed),
            (Accepted, Closed),
            (AtService, OnSite),
            (Closed, Resolved),
            (Resolved, AtService),
            (Accepted, Accepted),
            (Accepted, New),
            (Closed, Closed),
        ] {
            assert!(
                matches!(check_move(from, to, a, None, 0), Err(Error::Invalid(ref e)) if e[0].message == "err-report-move"),
                "{from:?} → {to:?}"
            );
        }
    }

    #[test]
    fn administrators_reopen_resolved_and_closed_reports_at_any_time() {
        let a = Mover::Administrator;
        assert!(check_move(Resolved, Accepted, a, Some(0), 400 * DAY).is_ok());
        assert!(check_move(Closed, Accepted, a, Some(0), 400 * DAY).is_ok());
        assert!(is_reopen(Closed, Accepted) && is_reopen(Resolved, Accepted) && !is_reopen(New, Accepted));
    }

    #[test]
    fn the_reporter_only_reopens_a_resolved_report_within_fourteen_days() {
        let r = Mover::Reporter;
        assert!(check_move(Resolved, Accepted, r, Some(DAY), DAY + 14 * DAY).is_ok(), "on the 14th day");
        let late = check_move(Resolved, Accepted, r, Some(DAY), DAY + 14 * DAY + 1);
        assert!(matches!(late, Err(Error::Invalid(ref e)) if e[0].message == "err-report-reopen-late"), "{late:?}");
        assert!(check_move(Closed, Accepted, r, Some(DAY), DAY).is_err(), "a closed report stays closed for the reporter");
        for to in ReportState::ALL {
            if *to != Accepted {
                assert!(check_move(Resolved, *to, r, Some(0), 0).is_err(), "{to:?}");
            }
        }
        assert!(check_move(New, Accepted, r, None, 0).is_err(), "the reporter does not accept their own report");
        assert_eq!(offered_moves(Resolved, r, Some(0), DAY), [Accepted]);
        assert!(offered_moves(Accepted, r, None, DAY).is_empty());
    }

    #[test]
    fn offered_moves_are_exactly_the_allowed_ones() {
        for from in ReportState::ALL {
            let offered = offered_moves(*from, Mover::Administrator, None, 0);
            assert_eq!(offered.len(), admin_moves(*from).len(), "{from:?}");
            assert!(offered.iter().all(|to| admin_moves(*from).contains(to)));
            // Every state can be left, and every state but `new` can be reached.
            assert!(!offered.is_empty(), "{from:?} is a dead end");
        }
        for to in ReportState::ALL.iter().filter(|s| **s != New) {
            assert!(ReportState::ALL.iter().any(|f| admin_moves(*f).contains(to)), "{to:?} unreachable");
        }
    }

    fn asset(status: AssetStatus, held: bool) -> Asset {
        Asset {
            id: 1,
            office_id: 1,
            status,
            person_id: held.then_some(5),
            workplace_id: None,
            fields: AssetFields {
                kind: crate::asset::AssetKind::Printer,
                inventory_number: "1".into(),
                label: None,
                manufacturer: String::new(),
                model: String::new(),
                serial: String::new(),
                hostname: String::new(),
                mac: None,
                ip: None,
                building: String::new(),
                room: String::new(),
                roles: vec![],
                in_server_room: false,
                procurement_ref: String::new(),
                supplier: String::new(),
                purchase_date: None,
                price_para: None,
                warranty_end: None,
                note: String::new(),
            },
        }
    }

    #[test]
    fn r52_the_device_follows_the_repair() {
        use AssetStatus as S;
        assert_eq!(asset_status_after(OnSite, InIctOffice, &asset(S::InUse, true)), Some(S::InRepair));
        assert_eq!(asset_status_after(InIctOffice, AtService, &asset(S::InRepair, true)), Some(S::AtService));
        assert_eq!(asset_status_after(AtService, Resolved, &asset(S::AtService, true)), Some(S::InUse), "back to its user");
        assert_eq!(asset_status_after(AtService, Resolved, &asset(S::AtService, false)), Some(S::InStock), "nobody holds it");
        assert_eq!(asset_status_after(InIctOffice, OnSite, &asset(S::InRepair, true)), Some(S::InUse), "brought back to the desk");
        assert_eq!(asset_status_after(AtService, InIctOffice, &asset(S::AtService, true)), Some(S::InRepair));
        assert_eq!(asset_status_after(Accepted, OnSite, &asset(S::InUse, true)), None, "fixed at the desk: no change");
        assert_eq!(asset_status_after(OnSite, Resolved, &asset(S::InUse, true)), None);
        assert_eq!(asset_status_after(AtService, Resolved, &asset(S::WrittenOff, true)), None, "a written-off device stays so");
        assert_eq!(asset_status_after(OnSite, AtService, &asset(S::Disposed, true)), None);
    }

    #[test]
    fn numbers_carry_the_year_and_six_digits() {
        assert_eq!(format_number(2026, 123), "П-2026-000123");
        assert_eq!(format_number(2027, 1_234_567), "П-2027-1234567");
    }

    #[test]
    fn a_report_needs_a_title_and_known_words() {
        let ok = ReportInput { title: " Не штампа ".into(), ..Default::default() }.validate().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((ok.title.as_str(), ok.category, ok.priority, ok.channel), ("Не штампа", ReportCategory::Other, Priority::Normal, None));
        let bad = ReportInput { channel: "fax".into(), category: "x".into(), priority: "asap".into(), ..Default::default() }.validate();
        let Err(Error::Invalid(e)) = bad else { panic!("invalid") };
        let fields: Vec<_> = e.iter().map(|f| f.field).collect();
        assert_eq!(fields, ["title", "channel", "category", "priority"]);
    }

    #[test]
    fn minutes_are_whole_and_bounded() {
        let t = |m: &str| TransitionInput { to: "resolved".into(), minutes: m.into(), ..Default::default() }.validate();
        assert_eq!(t("30").map(|f| f.minutes).ok(), Some(30));
        assert_eq!(t("").map(|f| f.minutes).ok(), Some(0));
        for bad in ["-5", "1.5", "abc", "+3", "2401"] {
            assert!(t(bad).is_err(), "{bad}");
        }
        let c: CommentInput = serde_json::from_str(r#"{"body":"x","minutes":15}"#).unwrap_or_default();
        assert_eq!(c.validate().map(|c| (c.minutes, c.public)).ok(), Some((15, true)), "public unless said otherwise");
        assert!(CommentInput { body: "  ".into(), ..Default::default() }.validate().is_err());
        assert!(TransitionInput { to: "fixed".into(), ..Default::default() }.validate().is_err());
    }

    #[test]
    fn response_and_resolution_times_come_from_the_stamps() {
        let r = Report {
            id: 1,
            office_id: 1,
            number: format_number(2026, 1),
            reporter_id: 1,
            reporter_name: String::new(),
            reporter_unit_id: None,
            asset_id: None,
            asset_label: None,
            channel: Channel::Web,
            title: String::new(),
            description: String::new(),
            category: ReportCategory::Other,
            priority: Priority::Normal,
            state: Resolved,
            assignee_id: None,
            assignee_name: None,
            recorded_by: String::new(),
            minutes: 0,
            created_us: 1_000_000,
            updated_us: 0,
            first_response_us: Some(601_000_000),
            resolved_us: Some(3_601_000_000),
            closed_us: None,
            response_due_us: Some(601_000_000),
            resolution_due_us: Some(3_000_000_000),
        };
        assert_eq!((r.first_response_secs(), r.resolution_secs()), (Some(600), Some(3600)));
        assert_eq!((r.response_state(0), r.resolution_state(0)), (TargetState::Met, TargetState::Missed), "on the minute is in time");
        assert_eq!(r.target_summary(0), TargetState::Missed);
        let open = Report { first_response_us: None, resolved_us: None, state: Accepted, ..r };
        assert_eq!((open.response_state(601_000_000), open.response_state(601_000_001)), (TargetState::Running, TargetState::Late));
        assert_eq!(open.target_summary(601_000_001), TargetState::Late);
        assert_eq!(Priority::Urgent.sla(), crate::sla::Priority::Urgent);
    }
}
