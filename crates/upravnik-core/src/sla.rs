//! The service-level calendar of fault reports (issue 5: "targets for response and resolution per
//! priority, with working hours and public holidays of Serbia"). Pure: no storage, no clock.
//!
//! Time counts only inside working hours (by default Monday–Friday 07:30–15:30, Europe/Belgrade)
//! on days that are not public holidays. The holidays follow the Law on State and Other Holidays
//! in the Republic of Serbia (Sl. glasnik RS 43/2001, 101/2007, 92/2011):
//!
//! - Art. 1 and 1a, state holidays on which nobody works: New Year 1–2 January, Sretenje –
//!   Statehood Day 15–16 February, Labour Day 1–2 May, Armistice Day 11 November. (Victory Day,
//!   9 May, is "celebrated working", Art. 3, so it is a working day.)
//! - Art. 2, religious holidays: the first day of Christmas, 7 January, and the Easter holidays
//!   from Good Friday to the second day of Easter (Orthodox: Art. 3 closes state organs on them).
//! - Art. 3a: "if one of the dates on which a **state** holiday is celebrated falls on a Sunday,
//!   the first following working day is not worked". The rule names state holidays only, so
//!   Christmas on a Sunday (2018, 2029) gives no day off, and neither does Easter Sunday. The
//!   following working day skips days that are already off: 1 January on a Sunday closes
//!   3 January (2 January is a holiday itself), and Labour Day's 2 May on Easter Sunday (2021)
//!   closes 4 May, after Easter Monday.

use std::collections::BTreeSet;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::{Error, Result};

/// Microseconds in a minute.
const MINUTE_US: i64 = 60_000_000;
/// The furthest a calculation walks, so a huge target or range cannot loop for long (R.52 work
/// is counted in days and weeks; ten years is far beyond any report).
const MAX_DAYS: i64 = 3_660;

/// Why a day is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// Art. 1, 1a.
    State,
    /// Art. 2 (Orthodox dates).
    Religious,
    /// Art. 3a: the working day after a state holiday that fell on a Sunday.
    Moved,
}

/// A public holiday of the Republic of Serbia on which state organs do not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: Date,
    /// Serbian Cyrillic name, as in the law.
    pub name: &'static str,
    pub kind: HolidayKind,
}

/// Orthodox Easter Sunday of `year` as a Gregorian date: the Julian computus (Meeus), then the
/// Julian → Gregorian difference of the century (13 days from 1900 to 2099).
pub fn orthodox_easter(year: i16) -> Option<Date> {
    let y = i32::from(year);
    if !(1583..=9999).contains(&y) {
        return None;
    }
    let (a, b, c) = (y % 4, y % 7, y % 19);
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    // The date is in March or April of the Julian calendar, so the difference of that year holds.
    let shift = y / 100 - y / 400 - 2;
    let julian_as_gregorian = Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
    julian_as_gregorian.checked_add(i64::from(shift).days()).ok()
}

/// Every non-working public holiday of `year`, in date order, moved days included.
pub fn holidays(year: i16) -> Vec<Holiday> {
    let mut v = Vec::new();
    let mut fixed = |m: i8, d: i8, name: &'static str, kind: HolidayKind| {
        if let Ok(date) = Date::new(year, m, d) {
            v.push(Holiday { date, name, kind });
        }
    };
    fixed(1, 1, "Нова година", HolidayKind::State);
    fixed(1, 2, "Нова година", HolidayKind::State);
    fixed(1, 7, "Божић", HolidayKind::Religious);
    fixed(2, 15, "Сретење – Дан државности Србије", HolidayKind::State);
    fixed(2, 16, "Сретење – Дан државности Србије", HolidayKind::State);
    fixed(5, 1, "Празник рада", HolidayKind::State);
    fixed(5, 2, "Празник рада", HolidayKind::State);
    fixed(11, 11, "Дан примирја у Првом светском рату", HolidayKind::State);
    if let Some(easter) = orthodox_easter(year) {
        for (offset, name) in [(-2, "Велики петак"), (-1, "Велика субота"), (0, "Васкрс"), (1, "Васкрсни понедељак")]
        {
            if let Ok(date) = easter.checked_add(i64::from(offset).days()) {
                v.push(Holiday { date, name, kind: HolidayKind::Religious });
            }
        }
    }
    v.sort_by_key(|h| h.date);
    // Art. 3a, in date order so that one moved day is seen by the next.
    let sundays: Vec<(Date, &'static str)> =
        v.iter().filter(|h| h.kind == HolidayKind::State && h.date.weekday() == Weekday::Sunday).map(|h| (h.date, h.name)).collect();
    for (sunday, name) in sundays {
        let mut d = sunday;
        loop {
            let Ok(next) = d.tomorrow() else { break };
            d = next;
            let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
            if !weekend && !v.iter().any(|h| h.date == d) {
                v.push(Holiday { date: d, name, kind: HolidayKind::Moved });
                break;
            }
        }
        v.sort_by_key(|h| h.date);
    }
    v
}

/// Whether `date` is a public holiday (moved days included).
pub fn is_holiday(date: Date) -> bool {
    holidays(date.year()).iter().any(|h| h.date == date)
}

/// The working week: which days, from when to when (local time), in which zone.
#[derive(Debug, Clone)]
pub struct WorkingHours {
    /// Working days, Monday = 0 … Sunday = 6.
    days: [bool; 7],
    /// Minutes after local midnight; `end` may be 1440 (midnight at the day's end).
    start_min: u16,
    end_min: u16,
    tz: TimeZone,
}

impl Default for WorkingHours {
    /// Monday–Friday 07:30–15:30 in Belgrade: the usual hours of a Serbian city administration.
    fn default() -> Self {
        let tz = TimeZone::get(crate::clock::BELGRADE).unwrap_or(TimeZone::UTC);
        Self { days: [true, true, true, true, true, false, false], start_min: 7 * 60 + 30, end_min: 15 * 60 + 30, tz }
    }
}

fn day_index(w: Weekday) -> usize {
    usize::from(w.to_monday_zero_offset().unsigned_abs())
}

impl WorkingHours {
    /// `days` as weekdays, `start`/`end` as `HH:MM` (end may be `24:00`), a tz database name.
    pub fn new(days: &[Weekday], start: &str, end: &str, time_zone: &str) -> Result<Self> {
        let parse = |s: &str, field: &'static str| -> Result<u16> {
            let (h, m) = s.trim().split_once(':').ok_or(Error::invalid(field, "err-time"))?;
            let (h, m): (u16, u16) =
                (h.parse().map_err(|_| Error::invalid(field, "err-time"))?, m.parse().map_err(|_| Error::invalid(field, "err-time"))?);
            if m > 59 || h > 24 || (h == 24 && m > 0) {
                return Err(Error::invalid(field, "err-time"));
            }
            Ok(h * 60 + m)
        };
        let (start_min, end_min) = (parse(start, "start")?, parse(end, "end")?);
        if start_min >= end_min {
            return Err(Error::invalid("end", "err-time-order"));
        }
        if days.is_empty() {
            return Err(Error::invalid("days", "err-required"));
        }
        let tz = TimeZone::get(time_zone).map_err(|_| Error::invalid("time_zone", "err-time-zone"))?;
        let mut set = [false; 7];
        for d in days {
            set[day_index(*d)] = true;
        }
        Ok(Self { days: set, start_min, end_min, tz })
    }

    /// Minutes in one working day (480 by default): what "one working day" of a target means.
    pub fn day_minutes(&self) -> i64 {
        i64::from(self.end_min - self.start_min)
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// Working days, Monday = 0 … Sunday = 6 (for a settings form).
    pub fn days(&self) -> [bool; 7] {
        self.days
    }

    /// Start and end as minutes after local midnight.
    pub fn span(&self) -> (u16, u16) {
        (self.start_min, self.end_min)
    }

    fn local_instant(&self, date: Date, minutes: u16) -> Option<i64> {
        let (date, minutes) = if minutes == 1440 { (date.tomorrow().ok()?, 0) } else { (date, minutes) };
        let h = i8::try_from(minutes / 60).ok()?;
        let m = i8::try_from(minutes % 60).ok()?;
        // A start in the spring-forward gap resolves to the instant after it (jiff's "compatible").
        let z = date.at(h, m, 0, 0).to_zoned_datetime(self.tz.clone()).ok()?;
        Some(z.timestamp().as_microsecond())
    }
}

/// Working hours plus the days they do not apply: the law's holidays and any the office adds
/// (a day off declared by the government, the city's own day).
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    pub hours: WorkingHours,
    pub extra_days_off: BTreeSet<Date>,
}

/// The holidays of one year, kept while a calculation walks through it.
struct YearCache {
    year: i16,
    days: Vec<Date>,
}

impl YearCache {
    fn holiday(&mut self, date: Date) -> bool {
        if self.year != date.year() {
            self.year = date.year();
            self.days = holidays(date.year()).into_iter().map(|h| h.date).collect();
        }
        self.days.contains(&date)
    }
}

impl Calendar {
    pub fn new(hours: WorkingHours) -> Self {
        Self { hours, extra_days_off: BTreeSet::new() }
    }

    fn is_working_day_cached(&self, date: Date, cache: &mut YearCache) -> bool {
        self.hours.days[day_index(date.weekday())] && !cache.holiday(date) && !self.extra_days_off.contains(&date)
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        self.is_working_day_cached(date, &mut YearCache { year: i16::MIN, days: vec![] })
    }

    /// The day's working window as microseconds since the epoch, if it is a working day.
    fn window(&self, date: Date, cache: &mut YearCache) -> Option<(i64, i64)> {
        if !self.is_working_day_cached(date, cache) {
            return None;
        }
        Some((self.hours.local_instant(date, self.hours.start_min)?, self.hours.local_instant(date, self.hours.end_min)?))
    }

    fn local_date(&self, t: Timestamp) -> Date {
        t.to_zoned_datetime(self.hours.tz.clone()).date()
    }

    /// Working minutes from `start` to `end` (0 if `end` is not after `start`), whole minutes
    /// rounded down. Elapsed time is real time, so a window that spans a DST change counts the
    /// hour that was skipped or repeated as it really passed.
    pub fn working_minutes_between(&self, start: Timestamp, end: Timestamp) -> i64 {
        let (s, e) = (start.as_microsecond(), end.as_microsecond());
        if e <= s {
            return 0;
        }
        let mut cache = YearCache { year: i16::MIN, days: vec![] };
        let mut date = self.local_date(start);
        let last = self.local_date(end);
        let mut total = 0i64;
        for _ in 0..=MAX_DAYS {
            if let Some((ws, we)) = self.window(date, &mut cache) {
                let (a, b) = (ws.max(s), we.min(e));
                if b > a {
                    total += b - a;
                }
            }
            if date >= last {
                break;
            }
            let Ok(next) = date.tomorrow() else { break };
            date = next;
        }
        total / MINUTE_US
    }

    /// The instant at which `working_minutes` of working time have passed since `start`. A
    /// deadline that uses up a day exactly ends at that day's closing time, not the next
    /// morning. `None` when it lies more than ten years ahead.
    pub fn deadline_after(&self, start: Timestamp, working_minutes: i64) -> Option<Timestamp> {
        let s = start.as_microsecond();
        let mut remaining = working_minutes.max(0).checked_mul(MINUTE_US)?;
        let mut cache = YearCache { year: i16::MIN, days: vec![] };
        let mut date = self.local_date(start);
        for _ in 0..=MAX_DAYS {
            if let Some((ws, we)) = self.window(date, &mut cache) {
                let from = ws.max(s);
                if we > from {
                    if remaining <= we - from {
                        return Timestamp::from_microsecond(from + remaining).ok();
                    }
                    remaining -= we - from;
                }
            }
            date = date.tomorrow().ok()?;
        }
        None
    }
}

/// How urgent a fault report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Urgent,
    High,
    Normal,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::Urgent, Priority::High, Priority::Normal, Priority::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Urgent => "urgent",
            Priority::High => "high",
            Priority::Normal => "normal",
            Priority::Low => "low",
        }
    }

    pub fn parse(s: &str) -> Result<Priority> {
        Priority::ALL.into_iter().find(|p| p.as_str() == s).ok_or(Error::invalid("priority", "err-sla-priority"))
    }
}

/// Targets of one priority, in working minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Target {
    pub first_response_min: i64,
    pub resolution_min: i64,
}

/// Targets for every priority. The defaults: urgent 1 h / 4 h, high 4 h / 1 working day, normal
/// 1 / 3 working days, low 3 / 10 working days, a working day being the calendar's day length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SlaTargets {
    pub urgent: Target,
    pub high: Target,
    pub normal: Target,
    pub low: Target,
}

impl Default for SlaTargets {
    fn default() -> Self {
        Self::for_hours(&WorkingHours::default())
    }
}

/// Whether a report met, missed or still runs towards a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetState {
    /// Done by the deadline.
    Met,
    /// Done after the deadline.
    Missed,
    /// Not done, deadline still ahead.
    Running,
    /// Not done, deadline passed.
    Late,
}

impl SlaTargets {
    /// The default targets with "working day" meaning `hours`' day length.
    pub fn for_hours(hours: &WorkingHours) -> Self {
        let day = hours.day_minutes();
        let t = |first_response_min, resolution_min| Target { first_response_min, resolution_min };
        Self { urgent: t(60, 240), high: t(240, day), normal: t(day, 3 * day), low: t(3 * day, 10 * day) }
    }

    pub fn target(&self, p: Priority) -> Target {
        match p {
            Priority::Urgent => self.urgent,
            Priority::High => self.high,
            Priority::Normal => self.normal,
            Priority::Low => self.low,
        }
    }

    /// Refuses targets that are not positive or a resolution sooner than the first response.
    pub fn validate(&self) -> Result<()> {
        for p in Priority::ALL {
            let t = self.target(p);
            if t.first_response_min <= 0 || t.resolution_min <= 0 {
                return Err(Error::invalid(p.as_str(), "err-sla-positive"));
            }
            if t.resolution_min < t.first_response_min {
                return Err(Error::invalid(p.as_str(), "err-sla-order"));
            }
        }
        Ok(())
    }

    /// Deadlines for first response and resolution of a report opened at `opened`.
    pub fn deadlines(&self, cal: &Calendar, p: Priority, opened: Timestamp) -> (Option<Timestamp>, Option<Timestamp>) {
        let t = self.target(p);
        (cal.deadline_after(opened, t.first_response_min), cal.deadline_after(opened, t.resolution_min))
    }
}

/// Where a target stands: `done` is when it was met (first response, resolution), `now` the time
/// of asking.
pub fn target_state(deadline: Option<Timestamp>, done: Option<Timestamp>, now: Timestamp) -> TargetState {
    match (deadline, done) {
        (None, Some(_)) => TargetState::Met,
        (None, None) => TargetState::Running,
        (Some(d), Some(at)) => {
            if at <= d {
                TargetState::Met
            } else {
                TargetState::Missed
            }
        }
        (Some(d), None) => {
            if now <= d {
                TargetState::Running
            } else {
                TargetState::Late
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    /// A Belgrade wall-clock time.
    fn at(y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
        date(y, m, d).at(h, min, 0, 0).to_zoned_datetime(TimeZone::get("Europe/Belgrade").unwrap()).unwrap().timestamp()
    }

    fn local(t: Timestamp) -> String {
        t.to_zoned_datetime(TimeZone::get("Europe/Belgrade").unwrap()).strftime("%Y-%m-%d %H:%M %:z").to_string()
    }

    fn off_days(year: i16) -> Vec<String> {
        holidays(year).iter().map(|h| h.date.to_string()).collect()
    }

    #[test]
    fn orthodox_easter_2024_to_2030() {
        let expected = [
            (2024, date(2024, 5, 5)),
            (2025, date(2025, 4, 20)),
            (2026, date(2026, 4, 12)),
            (2027, date(2027, 5, 2)),
            (2028, date(2028, 4, 16)),
            (2029, date(2029, 4, 8)),
            (2030, date(2030, 4, 28)),
        ];
        for (y, d) in expected {
            assert_eq!(orthodox_easter(y), Some(d), "{y}");
            assert_eq!(d.weekday(), Weekday::Sunday);
        }
        // Other centuries: the Julian calendar falls one more day behind in 2100.
        assert_eq!(orthodox_easter(2100), Some(date(2100, 5, 2)));
        assert_eq!(orthodox_easter(2010), Some(date(2010, 4, 4)));
        assert_eq!(orthodox_easter(1500), None);
    }

    #[test]
    fn holidays_of_2026() {
        // 2026: Easter 12 April; 1 January Thursday, 15 February Sunday → 17 February off
        // (16 February, Monday, is a holiday itself); 1 May Friday, 2 May Saturday (no day off:
        // only Sunday moves); 11 November Wednesday.
        assert_eq!(
            off_days(2026),
            [
                "2026-01-01",
                "2026-01-02",
                "2026-01-07",
                "2026-02-15",
                "2026-02-16",
                "2026-02-17",
                "2026-04-10",
                "2026-04-11",
                "2026-04-12",
                "2026-04-13",
                "2026-05-01",
                "2026-05-02",
                "2026-11-11"
            ]
        );
        let moved: Vec<_> = holidays(2026).into_iter().filter(|h| h.kind == HolidayKind::Moved).collect();
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].name, "Сретење – Дан државности Србије");
    }

    #[test]
    fn a_state_holiday_on_sunday_closes_the_next_working_day() {
        // 2017: 1 January was a Sunday, 2 January a holiday anyway → 3 January off (as the
        // government announced that year).
        assert!(off_days(2017).contains(&"2017-01-03".to_string()));
        // 2021: 2 May was Sunday and Easter Sunday; Monday 3 May Easter Monday → Tuesday 4 May off.
        assert!(off_days(2021).contains(&"2021-05-04".to_string()));
        assert!(!off_days(2021).contains(&"2021-05-05".to_string()));
        // 2029: 11 November is a Sunday → Monday 12 November.
        assert!(is_holiday(date(2029, 11, 12)));
        // 2022: 2 January Sunday → 3 January Monday.
        assert!(is_holiday(date(2022, 1, 3)));
    }

    #[test]
    fn religious_holidays_on_sunday_do_not_move() {
        // Art. 3a names state holidays only: Christmas on Sunday 7 January 2029 gives no Monday.
        assert_eq!(date(2029, 1, 7).weekday(), Weekday::Sunday);
        assert!(is_holiday(date(2029, 1, 7)));
        assert!(!is_holiday(date(2029, 1, 8)));
        // Easter Sunday never moves anything: the Tuesday after Easter Monday is worked.
        assert!(!is_holiday(date(2026, 4, 14)));
        // Victory Day (9 May) is celebrated working (Art. 3).
        assert!(!is_holiday(date(2026, 5, 9).tomorrow().unwrap()) && !is_holiday(date(2028, 5, 9)));
    }

    #[test]
    fn working_minutes_of_a_day_and_across_a_weekend() {
        let cal = Calendar::default();
        // Wednesday 25 November 2026, a whole day and part of one.
        assert_eq!(cal.working_minutes_between(at(2026, 11, 25, 7, 0), at(2026, 11, 25, 17, 0)), 480);
        assert_eq!(cal.working_minutes_between(at(2026, 11, 25, 14, 5), at(2026, 11, 25, 15, 0)), 55);
        // Friday 14:30 → Monday 8:30: one hour on Friday, one on Monday.
        assert_eq!(cal.working_minutes_between(at(2026, 11, 27, 14, 30), at(2026, 11, 30, 8, 30)), 120);
        // Saturday to Sunday: nothing.
        assert_eq!(cal.working_minutes_between(at(2026, 11, 28, 9, 0), at(2026, 11, 29, 12, 0)), 0);
        // Backwards: nothing.
        assert_eq!(cal.working_minutes_between(at(2026, 11, 26, 9, 0), at(2026, 11, 25, 9, 0)), 0);
        // A whole ordinary week: five days.
        assert_eq!(cal.working_minutes_between(at(2026, 11, 23, 0, 0), at(2026, 11, 30, 0, 0)), 5 * 480);
    }

    #[test]
    fn deadlines_across_weekends() {
        let cal = Calendar::default();
        // Friday 15:00 + 1 h → Monday 08:00.
        assert_eq!(local(cal.deadline_after(at(2026, 11, 27, 15, 0), 60).unwrap()), "2026-11-30 08:00 +01:00");
        // Reported on Saturday: the clock starts on Monday morning.
        assert_eq!(local(cal.deadline_after(at(2026, 11, 28, 10, 0), 240).unwrap()), "2026-11-30 11:30 +01:00");
        // Exactly a day from the opening: that day's closing, not the next morning.
        assert_eq!(local(cal.deadline_after(at(2026, 11, 25, 7, 30), 480).unwrap()), "2026-11-25 15:30 +01:00");
        // Before opening: counts from 07:30.
        assert_eq!(local(cal.deadline_after(at(2026, 11, 25, 6, 0), 30).unwrap()), "2026-11-25 08:00 +01:00");
        // After closing: from the next morning.
        assert_eq!(local(cal.deadline_after(at(2026, 11, 25, 18, 0), 30).unwrap()), "2026-11-26 08:00 +01:00");
        // Zero minutes inside working time is the start itself.
        assert_eq!(cal.deadline_after(at(2026, 11, 25, 9, 0), 0), Some(at(2026, 11, 25, 9, 0)));
    }

    #[test]
    fn deadlines_across_holidays() {
        let cal = Calendar::default();
        // Thursday 9 April 2026 14:30 + 2 h: Good Friday to Easter Monday are off → Tuesday 14 April 08:30.
        assert_eq!(local(cal.deadline_after(at(2026, 4, 9, 14, 30), 120).unwrap()), "2026-04-14 08:30 +02:00");
        // Statehood Day 2026: Sunday 15, Monday 16 and the moved Tuesday 17 February are off.
        assert_eq!(local(cal.deadline_after(at(2026, 2, 13, 15, 0), 60).unwrap()), "2026-02-18 08:00 +01:00");
        // New Year 2027: Friday 1 and Saturday 2 January (no Sunday, nothing moves).
        // Wednesday 30 December 2026 15:00 + 3 working days (1440 min): 30 min on Wednesday,
        // 480 on Thursday 31 December, 480 on Monday 4 January, 450 on Tuesday 5 → 15:00.
        assert_eq!(local(cal.deadline_after(at(2026, 12, 30, 15, 0), 3 * 480).unwrap()), "2027-01-05 15:00 +01:00");
        // Christmas, Thursday 7 January 2027: Wednesday 15:00 + 1 h → Friday 08:00.
        assert_eq!(local(cal.deadline_after(at(2027, 1, 6, 15, 0), 60).unwrap()), "2027-01-08 08:00 +01:00");
        // Labour Day 2026 falls on Friday and Saturday: Thursday 30 April 15:00 + 1 h → Monday 4 May 08:00.
        assert_eq!(local(cal.deadline_after(at(2026, 4, 30, 15, 0), 60).unwrap()), "2026-05-04 08:00 +02:00");
        assert_eq!(cal.working_minutes_between(at(2026, 4, 30, 15, 0), at(2026, 5, 4, 8, 0)), 60);
        // An office's own day off.
        let mut own = Calendar::default();
        own.extra_days_off.insert(date(2026, 11, 26));
        assert_eq!(local(own.deadline_after(at(2026, 11, 25, 15, 0), 60).unwrap()), "2026-11-27 08:00 +01:00");
    }

    #[test]
    fn deadlines_across_dst_changes() {
        let cal = Calendar::default();
        // Clocks go forward on Sunday 29 March 2026 (02:00 → 03:00). Friday 27 March 15:00 + 1 h
        // → Monday 30 March 08:00 local time, now UTC+2: the hours stay local.
        let d = cal.deadline_after(at(2026, 3, 27, 15, 0), 60).unwrap();
        assert_eq!(local(d), "2026-03-30 08:00 +02:00");
        // And the weekend gained or lost no working minutes.
        assert_eq!(cal.working_minutes_between(at(2026, 3, 27, 15, 0), d), 60);
        // Back on Sunday 25 October 2026 (03:00 → 02:00).
        assert_eq!(local(cal.deadline_after(at(2026, 10, 23, 15, 0), 60).unwrap()), "2026-10-26 08:00 +01:00");

        // An office working round the clock every day: the spring-forward day has 23 hours and
        // the autumn one 25, because time is what really passed.
        let all =
            [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday, Weekday::Saturday, Weekday::Sunday];
        let round = Calendar::new(WorkingHours::new(&all, "00:00", "24:00", "Europe/Belgrade").unwrap());
        // 28 March 2026 is Saturday (a working day here); 29 March the change.
        assert_eq!(round.working_minutes_between(at(2026, 3, 29, 0, 0), at(2026, 3, 30, 0, 0)), 23 * 60);
        assert_eq!(round.working_minutes_between(at(2026, 10, 25, 0, 0), at(2026, 10, 26, 0, 0)), 25 * 60);
        // 01:30 + 60 minutes on the spring day is 03:30 local: 02:xx does not exist.
        assert_eq!(local(round.deadline_after(at(2026, 3, 29, 1, 30), 60).unwrap()), "2026-03-29 03:30 +02:00");
    }

    #[test]
    fn minutes_and_deadlines_agree() {
        let cal = Calendar::default();
        let start = at(2026, 12, 18, 11, 17);
        for minutes in [1, 59, 480, 481, 1000, 2400, 4800, 9600] {
            let d = cal.deadline_after(start, minutes).unwrap();
            assert_eq!(cal.working_minutes_between(start, d), minutes, "{minutes} → {}", local(d));
        }
    }

    #[test]
    fn huge_targets_give_none_instead_of_looping() {
        let cal = Calendar::default();
        assert_eq!(cal.deadline_after(at(2026, 1, 5, 8, 0), 10_000_000), None);
        assert_eq!(cal.deadline_after(at(2026, 1, 5, 8, 0), i64::MAX), None);
        assert!(cal.working_minutes_between(at(2000, 1, 3, 0, 0), at(2090, 1, 1, 0, 0)) > 0);
    }

    #[test]
    fn working_hours_are_validated() {
        assert!(WorkingHours::new(&[Weekday::Monday], "08:00", "16:00", "Europe/Belgrade").is_ok());
        for (s, e, tz) in [
            ("16:00", "08:00", "Europe/Belgrade"),
            ("8", "16:00", "Europe/Belgrade"),
            ("08:00", "24:30", "Europe/Belgrade"),
            ("08:00", "16:00", "Mars/Olympus"),
        ] {
            assert!(matches!(WorkingHours::new(&[Weekday::Monday], s, e, tz), Err(Error::Invalid(_))), "{s}–{e} {tz}");
        }
        assert!(WorkingHours::new(&[], "08:00", "16:00", "Europe/Belgrade").is_err());
        assert_eq!(WorkingHours::default().day_minutes(), 480);
    }

    #[test]
    fn default_targets_per_priority() {
        let t = SlaTargets::default();
        assert_eq!(t.target(Priority::Urgent), Target { first_response_min: 60, resolution_min: 240 });
        assert_eq!(t.target(Priority::High), Target { first_response_min: 240, resolution_min: 480 });
        assert_eq!(t.target(Priority::Normal), Target { first_response_min: 480, resolution_min: 1440 });
        assert_eq!(t.target(Priority::Low), Target { first_response_min: 1440, resolution_min: 4800 });
        assert!(t.validate().is_ok());
        let mut bad = t;
        bad.high.resolution_min = 10;
        assert!(matches!(bad.validate(), Err(Error::Invalid(ref e)) if e[0].field == "high"));
        // A seven-hour day makes "one working day" seven hours.
        let short = WorkingHours::new(&[Weekday::Monday, Weekday::Friday], "08:00", "15:00", "Europe/Belgrade").unwrap();
        assert_eq!(SlaTargets::for_hours(&short).low.resolution_min, 4200);
        assert_eq!(Priority::parse("urgent").ok(), Some(Priority::Urgent));
        assert!(Priority::parse("asap").is_err());
    }

    #[test]
    fn deadlines_and_their_state() {
        let cal = Calendar::default();
        let opened = at(2026, 11, 27, 14, 0); // Friday
        let (first, done) = SlaTargets::default().deadlines(&cal, Priority::Urgent, opened);
        assert_eq!(local(first.unwrap()), "2026-11-27 15:00 +01:00");
        assert_eq!(local(done.unwrap()), "2026-11-30 10:00 +01:00");
        let monday_9 = at(2026, 11, 30, 9, 0);
        assert_eq!(target_state(done, None, monday_9), TargetState::Running);
        assert_eq!(target_state(done, None, at(2026, 11, 30, 10, 1)), TargetState::Late);
        assert_eq!(target_state(done, Some(monday_9), at(2026, 12, 1, 9, 0)), TargetState::Met);
        assert_eq!(target_state(first, Some(monday_9), monday_9), TargetState::Missed);
    }
}
