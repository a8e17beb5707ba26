//! Services for fault reports (R.52–R.53, P.5.2): reporting, taking, moving through the repair,
//! commenting. Every change is an intervention in the work log (R.52), written in the same
//! transaction as the change.
//!
//! Who sees what: administrators, the head of administration and inspectors every report of the
//! office; a head of unit those of their unit's employees (read-only); everyone their own. A
//! report one may not see is "not found", so its existence is not given away.

use crate::access::{Actor, Permission, Role};
use crate::asset::{Asset, AssetQuery};
use crate::equipment::status_move;
use crate::helpdesk::{
    AssetStep, Channel, Comment, CommentInput, Mover, NUMBER_SLOT, NewReport, Report, ReportDetail, ReportInput, ReportQuery, ReportScope,
    ReportState, ReportStep, TransitionInput, asset_status_after, can_reassign, check_move, is_reopen, offered_moves,
};
use crate::org::{ListQuery, Page};
use crate::ports::Account;
use crate::service::{Services, draft};
use crate::worklog::{Category, Draft, ObjectRef};
use crate::{Error, Result};

pub(crate) fn object(r: &Report) -> ObjectRef {
    ObjectRef::new("fault_report", r.id, &r.number)
}

impl Services {
    /// The reports this actor may read.
    pub fn report_scope(&self, actor: &Actor, unit_id: Option<i64>) -> Result<ReportScope> {
        if actor.can(Permission::HelpdeskRead) {
            Ok(ReportScope::Office)
        } else if let (true, Some(u)) = (actor.can(Permission::HelpdeskUnitRead), unit_id) {
            Ok(ReportScope::Unit(u))
        } else if actor.can(Permission::HelpdeskReport) {
            Ok(ReportScope::Reporter(actor.person_id))
        } else {
            Err(Error::Forbidden)
        }
    }

    /// The unit whose reports a head of unit reads: the one they work in.
    async fn own_unit(&self, actor: &Actor) -> Result<Option<i64>> {
        if !actor.can(Permission::HelpdeskUnitRead) || actor.can(Permission::HelpdeskRead) {
            return Ok(None);
        }
        Ok(self.store.get_person(actor.office_id, actor.person_id).await.ok().and_then(|p| p.unit_id))
    }

    pub async fn reports(&self, actor: &Actor, q: &ReportQuery) -> Result<Page<Report>> {
        let q = self.scoped_report_query(actor, q).await?;
        self.store.list_reports(&q).await
    }

    /// How many reports the actor may see match `q` (a count, with no page read).
    pub(crate) async fn reports_count(&self, actor: &Actor, q: &ReportQuery) -> Result<i64> {
        let q = self.scoped_report_query(actor, q).await?;
        self.store.count_reports(&q).await
    }

    async fn scoped_report_query(&self, actor: &Actor, q: &ReportQuery) -> Result<ReportQuery> {
        let unit = self.own_unit(actor).await?;
        let mut q = q.clone();
        q.office_id = actor.office_id;
        q.scope = self.report_scope(actor, unit)?;
        q.now_us = self.now();
        Ok(q)
    }

    /// One report, if the actor may see it.
    pub async fn report(&self, actor: &Actor, id: i64) -> Result<Report> {
        let unit = self.own_unit(actor).await?;
        let scope = self.report_scope(actor, unit)?;
        let r = self.store.get_report(actor.office_id, id).await?;
        let visible = match scope {
            ReportScope::Office => true,
            ReportScope::Reporter(p) => r.reporter_id == p,
            ReportScope::Unit(u) => {
                r.reporter_id == actor.person_id
                    || match r.reporter_unit_id {
                        Some(ru) if ru == u => true,
                        Some(ru) => self.store.get_unit(actor.office_id, ru).await.is_ok_and(|x| x.parent_id == Some(u)),
                        None => false,
                    }
            }
        };
        if visible { Ok(r) } else { Err(Error::NotFound { what: "report" }) }
    }

    /// Whether the actor reads internal comments.
    pub fn sees_internal(actor: &Actor) -> bool {
        actor.can(Permission::HelpdeskRead)
    }

    pub async fn report_detail(&self, actor: &Actor, id: i64) -> Result<ReportDetail> {
        let report = self.report(actor, id).await?;
        let (steps, comments) = self.store.report_timeline(actor.office_id, id, Self::sees_internal(actor)).await?;
        Ok(ReportDetail { report, steps, comments })
    }

    /// The moves to offer this actor on this report.
    pub fn report_moves(&self, actor: &Actor, r: &Report) -> Vec<ReportState> {
        match self.mover(actor, r) {
            Some(who) => offered_moves(r.state, who, r.resolved_us, self.now()),
            None => vec![],
        }
    }

    fn mover(&self, actor: &Actor, r: &Report) -> Option<Mover> {
        if actor.can(Permission::HelpdeskWrite) {
            Some(Mover::Administrator)
        } else if actor.can(Permission::HelpdeskReport) && r.reporter_id == actor.person_id {
            Some(Mover::Reporter)
        } else {
            None
        }
    }

    /// The equipment an employee may name on their report: what they hold now.
    pub async fn reportable_assets(&self, actor: &Actor, person_id: i64) -> Result<Vec<Asset>> {
        if person_id != actor.person_id {
            actor.require(Permission::HelpdeskWrite)?;
        } else {
            actor.require(Permission::HelpdeskReport)?;
        }
        let q = AssetQuery { office_id: actor.office_id, person_id: Some(person_id), page: 1, per_page: 200, ..Default::default() };
        Ok(self.store.list_assets(&q).await?.items.into_iter().filter(|a| a.status.is_active()).collect())
    }

    /// Administrators of the office, to assign reports to.
    pub async fn report_assignees(&self, actor: &Actor) -> Result<Vec<Account>> {
        actor.require(Permission::HelpdeskWrite)?;
        let mut q = ListQuery::new(actor.office_id);
        q.per_page = 500;
        let all = self.store.list_accounts(&q).await?;
        Ok(all.items.into_iter().filter(|a| a.active && a.roles.contains(&Role::Administrator)).collect())
    }

    async fn check_assignee(&self, actor: &Actor, user_id: i64) -> Result<Account> {
        let a = self.store.account(user_id).await.map_err(|_| Error::invalid("assignee_id", "err-report-assignee"))?;
        let in_office = a.office_id == actor.office_id;
        if !in_office || !a.active || !a.roles.contains(&Role::Administrator) {
            return Err(Error::invalid("assignee_id", "err-report-assignee"));
        }
        Ok(a)
    }

    pub(crate) fn year(&self) -> i16 {
        let tz = jiff::tz::TimeZone::get(crate::clock::BELGRADE).unwrap_or(jiff::tz::TimeZone::UTC);
        jiff::Timestamp::from_microsecond(self.now()).map(|t| t.to_zoned_datetime(tz).year()).unwrap_or(2026)
    }

    pub(crate) fn log(&self, actor: &Actor, object: Option<ObjectRef>, text: String) -> Draft {
        // Every step of a fault is an intervention (R.52).
        draft(actor, Category::Intervention, object, text)
    }

    /// A fault reported by an employee for themselves (web), or recorded by an administrator for
    /// anyone in the office (phone, in person, e-mail).
    pub async fn create_report(&self, actor: &Actor, input: &ReportInput) -> Result<Report> {
        actor.require(Permission::HelpdeskReport)?;
        let f = input.validate()?;
        let admin = actor.can(Permission::HelpdeskWrite);
        let reporter_id = f.reporter_id.unwrap_or(actor.person_id);
        if !admin && reporter_id != actor.person_id {
            // Only administrators record reports for someone else.
            return Err(Error::Forbidden);
        }
        let reporter = self
            .store
            .get_person(actor.office_id, reporter_id)
            .await
            .ok()
            .filter(|p| p.active)
            .ok_or(Error::invalid("reporter_id", "err-person-missing"))?;
        let channel = match (admin, f.channel) {
            (true, Some(c)) => c,
            (true, None) if reporter_id != actor.person_id => Channel::Phone,
            _ => Channel::Web,
        };
        let asset = match f.asset_id {
            Some(a) => {
                let asset = self.store.get_asset(actor.office_id, a).await.map_err(|_| Error::invalid("asset_id", "err-asset-missing"))?;
                if !admin && asset.person_id != Some(actor.person_id) {
                    return Err(Error::invalid("asset_id", "err-report-asset-not-yours"));
                }
                Some(asset)
            }
            None => None,
        };
        let device = asset
            .as_ref()
            .map(|a| format!("{} {} {}", a.fields.inventory_number, a.fields.manufacturer, a.fields.model).trim().to_string());
        // Employees do not set priorities; administrators weigh them.
        let priority = if admin { f.priority } else { crate::helpdesk::Priority::Normal };
        let now = self.now();
        let (response_due_us, resolution_due_us) = self.deadlines_now(actor.office_id, priority, now).await?;
        let new = NewReport {
            reporter_id,
            asset_id: asset.as_ref().map(|a| a.id),
            channel,
            title: f.title.clone(),
            description: f.description.clone(),
            category: f.category,
            priority,
            year: self.year(),
            search_text: format!("{} {} {} {}", f.title, f.description, reporter.full_name(), device.clone().unwrap_or_default()),
            response_due_us,
            resolution_due_us,
        };
        let device_text = device.as_ref().map(|d| format!(", средство инв. бр. {d}")).unwrap_or_default();
        let text = format!(
            "Пријава квара {NUMBER_SLOT}: „{}“ — пријавио/ла {} ({}){device_text}, приоритет {}",
            f.title,
            reporter.full_name(),
            channel.log_name(),
            priority.log_name()
        );
        let log = self.log(actor, None, text);
        let recorded_by = log.actor_name.clone();
        let (id, number) = self.store.create_report(actor.office_id, &new, now, log).await?;
        // What was written, without reading it back (a round trip of each create).
        Ok(Report {
            id,
            office_id: actor.office_id,
            number,
            reporter_id,
            reporter_name: reporter.full_name(),
            reporter_unit_id: reporter.unit_id,
            asset_id: new.asset_id,
            asset_label: device,
            channel,
            title: new.title,
            description: new.description,
            category: new.category,
            priority,
            state: ReportState::New,
            assignee_id: None,
            assignee_name: None,
            recorded_by,
            minutes: 0,
            created_us: now,
            updated_us: now,
            first_response_us: None,
            resolved_us: None,
            closed_us: None,
            response_due_us,
            resolution_due_us,
        })
    }

    /// A move (or, with no new state, a reassignment). Administrators move along the allowed
    /// ways; the reporter may reopen a resolved report within 14 days. The device's status
    /// follows in the same transaction (R.52.3–R.52.5).
    pub async fn move_report(&self, actor: &Actor, id: i64, input: &TransitionInput) -> Result<Report> {
        actor.require(Permission::HelpdeskReport).or_else(|_| actor.require(Permission::HelpdeskWrite))?;
        let r = self.report(actor, id).await?;
        let who = self.mover(actor, &r).ok_or(Error::Forbidden)?;
        let t = input.validate()?;
        let now = self.now();
        let to = t.to.unwrap_or(r.state);
        let reassign = to == r.state;
        if reassign {
            if who != Mover::Administrator || !can_reassign(r.state) || t.assignee_id.is_none() {
                return Err(Error::invalid("to", "err-report-move"));
            }
        } else {
            check_move(r.state, to, who, r.resolved_us, now)?;
        }
        if who == Mover::Reporter && (t.minutes > 0 || t.assignee_id.is_some()) {
            return Err(Error::Forbidden);
        }
        // Accepting assigns: to the one named, else to the one who accepts.
        let assignee_id = match (to, t.assignee_id) {
            (_, Some(a)) => Some(self.check_assignee(actor, a).await?.user_id),
            (ReportState::Accepted, None) if r.state == ReportState::New || r.assignee_id.is_none() => Some(actor.user_id),
            _ => r.assignee_id,
        };
        if reassign && assignee_id == r.assignee_id {
            return Ok(r);
        }
        let assignee_name = match assignee_id {
            Some(u) if Some(u) != r.assignee_id => Some(self.store.account(u).await?.full_name),
            _ => None,
        };
        let mut text = if reassign {
            format!("Пријава квара {} („{}“)", r.number, r.title)
        } else if is_reopen(r.state, to) {
            format!("Пријава квара {} („{}“) поново отворена", r.number, r.title)
        } else {
            format!("Пријава квара {} („{}“): {} → {}", r.number, r.title, r.state.log_name(), to.log_name())
        };
        if let Some(n) = &assignee_name {
            text.push_str(&format!(", додељена: {n}"));
        }
        if !t.note.is_empty() {
            text.push_str(&format!(" — {}", t.note));
        }
        if t.minutes > 0 {
            text.push_str(&format!(" ({} мин.)", t.minutes));
        }
        let asset = if reassign { None } else { self.asset_step(actor, &r, to).await? };
        if to == ReportState::AtService
            && !reassign
            && !self.store.report_forms(actor.office_id, id).await?.handovers.iter().any(|h| !h.returned)
        {
            // R.52.4: the device goes to a service with a hand-over record (made on its own page).
            return Err(Error::invalid("to", "err-report-handover-needed"));
        }
        let step = ReportStep {
            from: r.state,
            to,
            assignee_id,
            note: t.note,
            minutes: t.minutes,
            first_response: who == Mover::Administrator && r.first_response_us.is_none(),
        };
        let log = self.log(actor, Some(object(&r)), text);
        self.store.move_report(actor.office_id, id, &step, asset, now, log).await
    }

    /// What a move does to the report's device (R.52.3–R.52.5), as a guarded status change.
    pub(crate) async fn asset_step(&self, actor: &Actor, r: &Report, to: ReportState) -> Result<Option<AssetStep>> {
        let Some(a) = r.asset_id else { return Ok(None) };
        let asset = self.store.get_asset(actor.office_id, a).await?;
        Ok(match asset_status_after(r.state, to, &asset) {
            Some(status) => status_move(&asset, status, "").ok().flatten().map(|m| AssetStep {
                asset_id: asset.id,
                expected: asset.status,
                status,
                change: m.change,
                log: self.log(actor, Some(ObjectRef::new("asset", asset.id, &asset.fields.inventory_number)), {
                    format!("{} (пријава квара {})", m.text, r.number)
                }),
            }),
            None => None,
        })
    }

    /// "Assign to me": accepts a new report, or takes over one under way.
    pub async fn take_report(&self, actor: &Actor, id: i64) -> Result<Report> {
        actor.require(Permission::HelpdeskWrite)?;
        let r = self.report(actor, id).await?;
        let to = if r.state == ReportState::New { "accepted" } else { "" };
        self.move_report(actor, id, &TransitionInput { to: to.into(), assignee_id: Some(actor.user_id), ..Default::default() }).await
    }

    /// A comment: administrators write public or internal ones with minutes; the reporter
    /// writes public ones on a report not yet closed.
    pub async fn comment_report(&self, actor: &Actor, id: i64, input: &CommentInput) -> Result<Comment> {
        actor.require(Permission::HelpdeskReport).or_else(|_| actor.require(Permission::HelpdeskWrite))?;
        let r = self.report(actor, id).await?;
        let who = self.mover(actor, &r).ok_or(Error::Forbidden)?;
        let mut c = input.validate()?;
        if who == Mover::Reporter {
            if r.state == ReportState::Closed {
                return Err(Error::invalid("body", "err-report-closed"));
            }
            if !c.public || c.minutes > 0 {
                return Err(Error::Forbidden);
            }
            c.public = true;
        }
        let kind = if c.public { "Коментар" } else { "Интерна белешка" };
        let minutes = if c.minutes > 0 { format!(" ({} мин.)", c.minutes) } else { String::new() };
        let log = self.log(actor, Some(object(&r)), format!("{kind} на пријаву квара {}{minutes}: {}", r.number, c.body));
        let first = who == Mover::Administrator && c.public && r.first_response_us.is_none();
        self.store.add_report_comment(actor.office_id, id, &c, first, self.now(), log).await
    }

    /// Counts for the home page: (new and unassigned, open and assigned to the actor).
    pub async fn report_counts(&self, actor: &Actor) -> Result<(i64, i64)> {
        use crate::helpdesk::{AssigneeFilter, StateFilter};
        actor.require(Permission::HelpdeskWrite)?;
        let one =
            |state, assignee| ReportQuery { state: Some(state), assignee: Some(assignee), page: 1, per_page: 1, ..Default::default() };
        let new = self.reports_count(actor, &one(StateFilter::Is(ReportState::New), AssigneeFilter::Nobody)).await?;
        let mine = self.reports_count(actor, &one(StateFilter::Open, AssigneeFilter::User(actor.user_id))).await?;
        Ok((new, mine))
    }

    /// An employee's own reports not yet closed (the home page).
    pub async fn my_open_reports(&self, actor: &Actor, limit: u32) -> Result<Vec<Report>> {
        actor.require(Permission::HelpdeskReport)?;
        let q = ReportQuery {
            office_id: actor.office_id,
            scope: ReportScope::Reporter(actor.person_id),
            now_us: self.now(),
            state: Some(crate::helpdesk::StateFilter::Open),
            page: 1,
            per_page: limit,
            ..Default::default()
        };
        Ok(self.store.list_reports(&q).await?.items)
    }
}
