//! Service levels of fault reports (issue 5) and the monthly report on the work and efficiency
//! of the IT staff (P.5.1).
//!
//! Every report carries the deadlines of its first response and resolution, computed here from
//! its priority and creation time with the office's working hours and targets (`sla.rs`), and
//! stored so that lists filter and sort by them in SQL. An office's settings apply to reports
//! made (or re-prioritised) after they change: a deadline once given is not moved behind the
//! reporter's back.
//!
//! The statistics are computed in Rust over the period's rows, so both databases give the same
//! medians (SQLite has no percentile function).

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};

use crate::access::{Actor, Permission};
use crate::clock::Micros;
use crate::error::Errors;
use crate::helpdesk::{LateFilter, Priority, Report, ReportCategory, ReportQuery};
use crate::service::{Services, draft};
use crate::sla::{Calendar, SlaTargets, Target, TargetState, WorkingHours};
use crate::worklog::{Category, ObjectRef};
use crate::{Error, Result};

/// The most a target may be: sixty working days of eight hours.
pub const MAX_TARGET_MIN: i64 = 60 * 8 * 60;

const DAY_NAMES: [&str; 7] = ["пон", "уто", "сре", "чет", "пет", "суб", "нед"];

/// An office's working hours and targets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SlaSettings {
    pub office_id: i64,
    /// Monday = 0 … Sunday = 6.
    pub days: [bool; 7],
    /// `HH:MM`, local time (Europe/Belgrade).
    pub start: String,
    pub end: String,
    pub targets: SlaTargets,
}

fn hhmm(min: u16) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

const WEEKDAYS: [Weekday; 7] =
    [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday, Weekday::Saturday, Weekday::Sunday];

impl SlaSettings {
    /// The defaults of `sla.rs`: Monday–Friday 07:30–15:30, its targets.
    pub fn defaults(office_id: i64) -> SlaSettings {
        let h = WorkingHours::default();
        let (s, e) = h.span();
        SlaSettings { office_id, days: h.days(), start: hhmm(s), end: hhmm(e), targets: SlaTargets::for_hours(&h) }
    }

    pub fn hours(&self) -> Result<WorkingHours> {
        let days: Vec<Weekday> = WEEKDAYS.iter().zip(self.days).filter(|(_, on)| *on).map(|(d, _)| *d).collect();
        WorkingHours::new(&days, &self.start, &self.end, crate::clock::BELGRADE)
    }

    /// The calendar of these hours; the default one if the stored hours cannot be read.
    pub fn calendar(&self) -> Calendar {
        Calendar::new(self.hours().unwrap_or_default())
    }

    /// (first response, resolution) deadlines of a report of `p` made at `created_us`.
    pub fn deadlines(&self, cal: &Calendar, p: Priority, created_us: Micros) -> (Option<Micros>, Option<Micros>) {
        let Ok(opened) = Timestamp::from_microsecond(created_us) else { return (None, None) };
        let (a, b) = self.targets.deadlines(cal, p.sla(), opened);
        (a.map(|t| t.as_microsecond()), b.map(|t| t.as_microsecond()))
    }

    /// How the work log describes them (R.38: in Serbian).
    pub fn describe(&self) -> String {
        let days: Vec<&str> = DAY_NAMES.iter().zip(self.days).filter(|(_, on)| *on).map(|(d, _)| *d).collect();
        let t = |p: Priority| {
            let x = self.targets.target(p.sla());
            format!("{} {}/{} мин.", p.log_name(), x.first_response_min, x.resolution_min)
        };
        format!(
            "радни дани {}, {}–{}; циљеви (одговор/решење): {}, {}, {}, {}",
            days.join(", "),
            self.start,
            self.end,
            t(Priority::Urgent),
            t(Priority::High),
            t(Priority::Normal),
            t(Priority::Low)
        )
    }
}

/// The settings form: working days as `1` (Monday) … `7`, times `HH:MM`, targets in working
/// minutes as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct SlaSettingsInput {
    #[serde(default)]
    pub days: Vec<u8>,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    /// `{priority}_response` / `{priority}_resolution` → minutes.
    #[serde(default)]
    pub targets: BTreeMap<String, String>,
}

impl SlaSettingsInput {
    pub fn validate(&self, office_id: i64) -> Result<SlaSettings> {
        let mut e = Errors::default();
        let mut days = [false; 7];
        for d in &self.days {
            match d {
                1..=7 => days[usize::from(d - 1)] = true,
                _ => e.add("days", "err-sla-days"),
            }
        }
        if !days.iter().any(|d| *d) {
            e.add("days", "err-sla-days");
        }
        let mut minutes = |key: String| -> i64 {
            let v = self.targets.get(&key).map(|s| s.trim()).unwrap_or("");
            match v.parse::<i64>() {
                Ok(n) if (1..=MAX_TARGET_MIN).contains(&n) && !v.starts_with('+') => n,
                _ => {
                    e.add(leak(key), "err-sla-target");
                    1
                }
            }
        };
        let mut target = |p: Priority| Target {
            first_response_min: minutes(format!("{}_response", p.as_str())),
            resolution_min: minutes(format!("{}_resolution", p.as_str())),
        };
        let targets = SlaTargets {
            urgent: target(Priority::Urgent),
            high: target(Priority::High),
            normal: target(Priority::Normal),
            low: target(Priority::Low),
        };
        for p in Priority::ALL {
            let t = targets.target(p.sla());
            if t.resolution_min < t.first_response_min {
                e.add(leak(format!("{}_resolution", p.as_str())), "err-sla-order");
            }
        }
        let s = SlaSettings { office_id, days, start: self.start.trim().to_string(), end: self.end.trim().to_string(), targets };
        if let Err(Error::Invalid(errs)) = s.hours() {
            for f in errs {
                if f.field != "days" {
                    e.add(f.field, f.message);
                }
            }
        }
        e.finish()?;
        Ok(s)
    }
}

/// Field names are `&'static str`; the eight target fields are a closed set.
fn leak(key: String) -> &'static str {
    const KEYS: [&str; 8] = [
        "urgent_response",
        "urgent_resolution",
        "high_response",
        "high_resolution",
        "normal_response",
        "normal_resolution",
        "low_response",
        "low_resolution",
    ];
    KEYS.iter().find(|k| **k == key).copied().unwrap_or("targets")
}

// ---------------------------------------------------------------------------------------------
// The monthly and annual report (P.5.1).

/// A month or a year, as local (Belgrade) dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct StatsPeriod {
    pub year: i16,
    /// `None`: the whole year (the annual report for the Administrative Inspection).
    pub month: Option<i8>,
    pub from_us: Micros,
    pub to_us: Micros,
}

fn local_midnight(d: Date) -> Result<Micros> {
    let tz = jiff::tz::TimeZone::get(crate::clock::BELGRADE).unwrap_or(jiff::tz::TimeZone::UTC);
    d.at(0, 0, 0, 0).to_zoned_datetime(tz).map(|z| z.timestamp().as_microsecond()).map_err(|_| Error::invalid("month", "err-stats-period"))
}

impl StatsPeriod {
    /// `month` as `YYYY-MM` or `year` as `YYYY`; neither: the current month.
    pub fn parse(month: Option<&str>, year: Option<&str>, now_us: Micros) -> Result<StatsPeriod> {
        let bad = |f: &'static str| Error::invalid(f, "err-stats-period");
        let month = month.map(str::trim).filter(|s| !s.is_empty());
        let year = year.map(str::trim).filter(|s| !s.is_empty());
        let (y, m) = match (month, year) {
            (Some(m), _) => {
                let (y, mm) = m.split_once('-').ok_or(bad("month"))?;
                (y.parse::<i16>().map_err(|_| bad("month"))?, Some(mm.parse::<i8>().map_err(|_| bad("month"))?))
            }
            (None, Some(y)) => (y.parse::<i16>().map_err(|_| bad("year"))?, None),
            (None, None) => {
                let tz = jiff::tz::TimeZone::get(crate::clock::BELGRADE).unwrap_or(jiff::tz::TimeZone::UTC);
                let z = Timestamp::from_microsecond(now_us).map_err(|_| bad("month"))?.to_zoned_datetime(tz);
                (z.year(), Some(z.month()))
            }
        };
        if !(2000..=2100).contains(&y) || m.is_some_and(|m| !(1..=12).contains(&m)) {
            return Err(bad(if m.is_some() { "month" } else { "year" }));
        }
        let first = Date::new(y, m.unwrap_or(1), 1).map_err(|_| bad("month"))?;
        let next = match m {
            Some(12) | None => Date::new(y + 1, 1, 1),
            Some(m) => Date::new(y, m + 1, 1),
        }
        .map_err(|_| bad("month"))?;
        Ok(StatsPeriod { year: y, month: m, from_us: local_midnight(first)?, to_us: local_midnight(next)? })
    }

    /// `2026-11` or `2026`, as the query string and file names carry it.
    pub fn key(&self) -> String {
        match self.month {
            Some(m) => format!("{}-{m:02}", self.year),
            None => self.year.to_string(),
        }
    }

    fn contains(&self, t: Option<Micros>) -> bool {
        t.is_some_and(|t| t >= self.from_us && t < self.to_us)
    }
}

/// The figures of one group (an administrator, a unit, a category, a month).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct StatsRow {
    /// The administrator's account, the unit or `None` (nobody / no unit).
    pub id: Option<i64>,
    /// A name, a category's code, or `YYYY-MM`.
    pub key: String,
    /// Reports made in the period.
    pub received: i64,
    /// Reports resolved in the period (whenever they were made).
    pub resolved: i64,
    /// Median working minutes from the report to the first response, over the reports made
    /// in the period that have one.
    pub median_response_min: Option<i64>,
    /// Median working minutes from the report to its resolution, over those resolved in the
    /// period.
    pub median_resolution_min: Option<i64>,
    /// Reports made in the period that missed a target or are past one now.
    pub late: i64,
}

/// The monthly (or annual) report on the work and efficiency of the staff (P.5.1).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReportStats {
    pub period: StatsPeriod,
    pub total: StatsRow,
    pub by_assignee: Vec<StatsRow>,
    pub by_unit: Vec<StatsRow>,
    pub by_category: Vec<StatsRow>,
    /// Month by month, for the annual report.
    pub by_month: Vec<StatsRow>,
}

/// The median of whole minutes; of an even count, the mean of the two middle values rounded
/// down, so the figure does not depend on which database sorted the rows.
pub fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    let mid = n / 2;
    if n % 2 == 1 { v.get(mid).copied() } else { Some((v.get(mid - 1)? + v.get(mid)?).div_euclid(2)) }
}

struct Acc {
    id: Option<i64>,
    received: i64,
    resolved: i64,
    response: Vec<i64>,
    resolution: Vec<i64>,
    late: i64,
}

impl Acc {
    fn new(id: Option<i64>) -> Acc {
        Acc { id, received: 0, resolved: 0, response: vec![], resolution: vec![], late: 0 }
    }

    fn row(self, key: String) -> StatsRow {
        StatsRow {
            id: self.id,
            key,
            received: self.received,
            resolved: self.resolved,
            median_response_min: median(self.response),
            median_resolution_min: median(self.resolution),
            late: self.late,
        }
    }
}

fn working(cal: &Calendar, from: Micros, to: Micros) -> i64 {
    match (Timestamp::from_microsecond(from), Timestamp::from_microsecond(to)) {
        (Ok(a), Ok(b)) => cal.working_minutes_between(a, b),
        _ => 0,
    }
}

/// Whether a report made in the period missed a target or is past one at `now_us`.
pub fn is_late(r: &Report, now_us: Micros) -> bool {
    [r.response_state(now_us), r.resolution_state(now_us)].iter().any(|s| matches!(s, TargetState::Late | TargetState::Missed))
}

/// The figures over `rows` (reports made or resolved in the period). `units` names the
/// reporters' units.
pub fn compute_stats(period: StatsPeriod, rows: &[Report], cal: &Calendar, units: &BTreeMap<i64, String>, now_us: Micros) -> ReportStats {
    let mut total = Acc::new(None);
    let mut by_assignee: BTreeMap<Option<i64>, (String, Acc)> = BTreeMap::new();
    let mut by_unit: BTreeMap<Option<i64>, Acc> = BTreeMap::new();
    let mut by_category: BTreeMap<&'static str, Acc> = BTreeMap::new();
    let mut by_month: BTreeMap<String, Acc> = BTreeMap::new();
    let tz = jiff::tz::TimeZone::get(crate::clock::BELGRADE).unwrap_or(jiff::tz::TimeZone::UTC);
    let month_of = |t: Micros| {
        Timestamp::from_microsecond(t)
            .map(|t| t.to_zoned_datetime(tz.clone()))
            .map(|z| format!("{}-{:02}", z.year(), z.month()))
            .unwrap_or_default()
    };
    for r in rows {
        let made = period.contains(Some(r.created_us));
        let resolved = period.contains(r.resolved_us);
        let response = r.first_response_us.filter(|_| made).map(|t| working(cal, r.created_us, t));
        let resolution = r.resolved_us.filter(|_| resolved).map(|t| working(cal, r.created_us, t));
        let late = made && is_late(r, now_us);
        let add = |a: &mut Acc| {
            a.received += i64::from(made);
            a.resolved += i64::from(resolved);
            a.response.extend(response);
            a.resolution.extend(resolution);
            a.late += i64::from(late);
        };
        add(&mut total);
        let name = r.assignee_name.clone().unwrap_or_default();
        add(&mut by_assignee.entry(r.assignee_id).or_insert_with(|| (name, Acc::new(r.assignee_id))).1);
        add(by_unit.entry(r.reporter_unit_id).or_insert_with(|| Acc::new(r.reporter_unit_id)));
        add(by_category.entry(r.category.as_str()).or_insert_with(|| Acc::new(None)));
        if period.month.is_none() {
            // A report counts in the month it was made and in the month it was resolved.
            if made {
                let m = month_of(r.created_us);
                let a = by_month.entry(m).or_insert_with(|| Acc::new(None));
                a.received += 1;
                a.response.extend(response);
                a.late += i64::from(late);
            }
            if let (true, Some(t)) = (resolved, r.resolved_us) {
                let a = by_month.entry(month_of(t)).or_insert_with(|| Acc::new(None));
                a.resolved += 1;
                a.resolution.extend(resolution);
            }
        }
    }
    let mut by_assignee: Vec<StatsRow> = by_assignee.into_values().map(|(n, a)| a.row(n)).collect();
    // Named administrators by name; "nobody" last.
    by_assignee.sort_by(|a, b| (a.id.is_none(), &a.key).cmp(&(b.id.is_none(), &b.key)));
    let mut by_unit: Vec<StatsRow> =
        by_unit.into_iter().map(|(id, a)| a.row(id.and_then(|u| units.get(&u).cloned()).unwrap_or_default())).collect();
    by_unit.sort_by(|a, b| (a.id.is_none(), &a.key).cmp(&(b.id.is_none(), &b.key)));
    let by_category =
        ReportCategory::ALL.iter().filter_map(|c| by_category.remove(c.as_str()).map(|a| a.row(c.as_str().to_string()))).collect();
    ReportStats {
        period,
        total: total.row(String::new()),
        by_assignee,
        by_unit,
        by_category,
        by_month: by_month.into_iter().map(|(k, a)| a.row(k)).collect(),
    }
}

/// Offices' report targets with the time they were read ([`Services::office_sla_cached`]).
pub type SlaCache = std::sync::Mutex<std::collections::HashMap<i64, (std::time::Instant, SlaSettings)>>;
const SLA_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(5);

impl Services {
    /// The office's working hours and targets (the defaults until an administrator saves them).
    pub async fn sla_settings(&self, actor: &Actor) -> Result<SlaSettings> {
        if !actor.can(Permission::HelpdeskRead) && !actor.can(Permission::HelpdeskWrite) {
            return Err(Error::Forbidden);
        }
        self.office_sla(actor.office_id).await
    }

    pub(crate) async fn office_sla(&self, office_id: i64) -> Result<SlaSettings> {
        Ok(self.store.sla_settings(office_id).await?.unwrap_or_else(|| SlaSettings::defaults(office_id)))
    }

    /// [`Self::office_sla`] as read at most [`SLA_CACHE_TTL`] ago: every new report needs it,
    /// and it changes a few times a year. A change made on this instance applies at once; one
    /// made on another instance behind the same balancer, within the TTL.
    async fn office_sla_cached(&self, office_id: i64) -> Result<SlaSettings> {
        let fresh = |(at, s): &(std::time::Instant, SlaSettings)| (at.elapsed() < SLA_CACHE_TTL).then(|| s.clone());
        if let Some(s) = self.sla_cache.lock().ok().and_then(|c| c.get(&office_id).and_then(fresh)) {
            return Ok(s);
        }
        let s = self.office_sla(office_id).await?;
        if let Ok(mut c) = self.sla_cache.lock() {
            c.insert(office_id, (std::time::Instant::now(), s.clone()));
        }
        Ok(s)
    }

    /// Saves the office's working hours and targets; applies to reports made or re-prioritised
    /// from now on.
    pub async fn save_sla_settings(&self, actor: &Actor, input: &SlaSettingsInput) -> Result<SlaSettings> {
        actor.require(Permission::HelpdeskWrite)?;
        let s = input.validate(actor.office_id)?;
        let old = self.office_sla(actor.office_id).await?;
        if old == s {
            return Ok(s);
        }
        let text = format!("Рокови пријава кварова промењени: {} (било: {})", s.describe(), old.describe());
        let log = draft(actor, Category::ConfigurationChange, None, text);
        self.store.save_sla_settings(&s, self.now(), log).await?;
        if let Ok(mut c) = self.sla_cache.lock() {
            c.remove(&s.office_id);
        }
        Ok(s)
    }

    /// A new priority: the deadlines are computed again from the report's creation with the
    /// office's current targets.
    pub async fn set_report_priority(&self, actor: &Actor, id: i64, priority: &str) -> Result<Report> {
        actor.require(Permission::HelpdeskWrite)?;
        let r = self.report(actor, id).await?;
        let to = Priority::parse(priority.trim()).ok_or(Error::invalid("priority", "err-report-priority"))?;
        if to == r.priority {
            return Ok(r);
        }
        let s = self.office_sla(actor.office_id).await?;
        let (response, resolution) = s.deadlines(&s.calendar(), to, r.created_us);
        let when = |t: Option<Micros>| t.map(crate::clock::format_local).unwrap_or_else(|| "—".into());
        let text = format!(
            "Пријава квара {} („{}“): приоритет {} → {}; рок за одговор {}, за решење {}",
            r.number,
            r.title,
            r.priority.log_name(),
            to.log_name(),
            when(response),
            when(resolution)
        );
        let log = draft(actor, Category::Intervention, Some(ObjectRef::new("fault_report", r.id, &r.number)), text);
        self.store.set_report_priority(actor.office_id, id, r.priority, to, (response, resolution), self.now(), log).await
    }

    /// Open reports past a deadline (the administrators' home page).
    pub async fn late_report_count(&self, actor: &Actor) -> Result<i64> {
        actor.require(Permission::HelpdeskWrite)?;
        let q = ReportQuery { late: Some(LateFilter::Any), page: 1, per_page: 1, ..Default::default() };
        self.reports_count(actor, &q).await
    }

    /// The report on the work and efficiency of the staff for a month or a year (P.5.1).
    pub async fn report_stats(&self, actor: &Actor, period: StatsPeriod) -> Result<ReportStats> {
        actor.require(Permission::HelpdeskRead)?;
        let rows = self.store.reports_in_period(actor.office_id, period.from_us, period.to_us).await?;
        let mut q = crate::org::ListQuery::new(actor.office_id);
        q.per_page = 10_000;
        q.include_inactive = true;
        let units: BTreeMap<i64, String> = self.store.list_units(&q).await?.items.into_iter().map(|u| (u.id, u.name)).collect();
        let cal = self.office_sla(actor.office_id).await?.calendar();
        Ok(compute_stats(period, &rows, &cal, &units, self.now()))
    }

    /// Deadlines for a report of `p` made now in the actor's office.
    pub(crate) async fn deadlines_now(&self, office_id: i64, p: Priority, now_us: Micros) -> Result<(Option<Micros>, Option<Micros>)> {
        let s = self.office_sla_cached(office_id).await?;
        Ok(s.deadlines(&s.calendar(), p, now_us))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![30, 10, 20]), Some(20));
        assert_eq!(median(vec![40, 10, 20, 30]), Some(25));
        assert_eq!(median(vec![1, 2]), Some(1), "rounded down");
    }

    #[test]
    fn periods_are_local_months_and_years() {
        let p = StatsPeriod::parse(Some("2026-11"), None, 0).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(p.key(), "2026-11");
        // 1 November 2026 00:00 in Belgrade is 31 October 23:00 UTC (CET, +1).
        assert_eq!(p.from_us, 1_793_487_600_000_000);
        assert_eq!(p.to_us - p.from_us, 30 * 24 * 3600 * 1_000_000);
        let y = StatsPeriod::parse(None, Some("2026"), 0).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((y.key(), y.month), ("2026".to_string(), None));
        for bad in ["2026-13", "2026", "x-1", "1999-01"] {
            assert!(StatsPeriod::parse(Some(bad), None, 0).is_err(), "{bad}");
        }
        assert!(StatsPeriod::parse(None, Some("20x6"), 0).is_err());
    }

    #[test]
    fn settings_round_trip_and_refusals() {
        let d = SlaSettings::defaults(1);
        assert_eq!((d.start.as_str(), d.end.as_str(), d.days), ("07:30", "15:30", [true, true, true, true, true, false, false]));
        let mut input = SlaSettingsInput { days: vec![1, 2, 3, 4, 5], start: "08:00".into(), end: "16:00".into(), ..Default::default() };
        for p in Priority::ALL {
            input.targets.insert(format!("{}_response", p.as_str()), "60".into());
            input.targets.insert(format!("{}_resolution", p.as_str()), "480".into());
        }
        let s = input.validate(1).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(s.targets.target(crate::sla::Priority::Low), Target { first_response_min: 60, resolution_min: 480 });
        input.targets.insert("high_resolution".into(), "30".into());
        input.targets.insert("low_response".into(), "-1".into());
        input.days = vec![];
        input.end = "07:00".into();
        let Err(Error::Invalid(e)) = input.validate(1) else { panic!("refused") };
        let fields: Vec<_> = e.iter().map(|f| f.field).collect();
        assert_eq!(fields, ["days", "low_response", "high_resolution", "end"]);
    }
}
