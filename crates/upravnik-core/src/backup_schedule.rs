//! When the daily archive runs (R.22: in the last 30 minutes of the working day), when users are
//! told it runs (R.61.8), which runs were missed, and which archives to keep (daily, weekly,
//! monthly). Pure: the clock is an argument, so working hours, holidays and missed runs after
//! downtime are unit-tested.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday};

use crate::clock::{BELGRADE, Micros};

const HOUR_US: i64 = 3_600_000_000;
const MINUTE_US: i64 = 60_000_000;

/// The working day and the days off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub start: Time,
    pub end: Time,
    /// How long before the end the archive starts (R.22: 30 minutes); also how long the notice
    /// to users shows (R.61.8).
    pub lead_minutes: i64,
    /// Days off besides weekends and the public holidays of Serbia (a decree, a local holiday).
    pub extra_days_off: BTreeSet<Date>,
}

impl Default for Schedule {
    fn default() -> Self {
        Self { start: Time::constant(7, 30, 0, 0), end: Time::constant(15, 30, 0, 0), lead_minutes: 30, extra_days_off: BTreeSet::new() }
    }
}

/// Orthodox Easter Sunday (Julian computus, in the Gregorian calendar: +13 days in 1900–2099).
pub fn orthodox_easter(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let (a, b, c) = (y % 4, y % 7, y % 19);
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    let julian = Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
    julian.checked_add(jiff::Span::new().days(13)).ok()
}

/// The public holidays of Serbia on which state bodies do not work (Zakon o državnim i drugim
/// praznicima): New Year, Orthodox Christmas, Statehood Day, Labour Day, Armistice Day, and
/// Orthodox Good Friday to Easter Monday. When a day of a state holiday falls on a Sunday, the
/// day after the holiday is off too.
pub fn public_holidays(year: i16) -> BTreeSet<Date> {
    let mut s = BTreeSet::new();
    if let Ok(d) = Date::new(year, 1, 7) {
        s.insert(d);
    }
    for (m, d, days) in [(1, 1, 2), (2, 15, 2), (5, 1, 2), (11, 11, 1)] {
        let Ok(first) = Date::new(year, m, d) else { continue };
        let block: Vec<Date> = (0..days).filter_map(|i| first.checked_add(jiff::Span::new().days(i)).ok()).collect();
        s.extend(block.iter().copied());
        if block.iter().any(|d| d.weekday() == Weekday::Sunday)
            && let Ok(after) = first.checked_add(jiff::Span::new().days(days))
        {
            s.insert(after);
        }
    }
    if let Some(easter) = orthodox_easter(year) {
        for off in [-2, -1, 0, 1] {
            if let Ok(d) = easter.checked_add(jiff::Span::new().days(off)) {
                s.insert(d);
            }
        }
    }
    s
}

fn at(day: Date, t: Time) -> Option<Micros> {
    let z = day.to_datetime(t).in_tz(BELGRADE).ok()?;
    Some(z.timestamp().as_microsecond())
}

fn local_date(us: Micros) -> Option<Date> {
    crate::clock::local_date(us)
}

impl Schedule {
    pub fn is_working_day(&self, d: Date) -> bool {
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !public_holidays(d.year()).contains(&d)
            && !self.extra_days_off.contains(&d)
    }

    /// When the archive runs on a day: the end of work less the lead; `None` on a day off.
    pub fn due_on(&self, d: Date) -> Option<Micros> {
        if !self.is_working_day(d) {
            return None;
        }
        at(d, self.end).map(|end| end - self.lead_minutes * MINUTE_US)
    }

    /// The last time the archive was due at or before `now` (looking back up to three weeks,
    /// longer than any run of holidays).
    pub fn last_due(&self, now: Micros) -> Option<Micros> {
        let mut d = local_date(now)?;
        for _ in 0..21 {
            if let Some(due) = self.due_on(d)
                && due <= now
            {
                return Some(due);
            }
            d = d.yesterday().ok()?;
        }
        None
    }

    /// The next time the archive is due after `now`.
    pub fn next_due(&self, now: Micros) -> Option<Micros> {
        let mut d = local_date(now)?;
        for _ in 0..21 {
            if let Some(due) = self.due_on(d)
                && due > now
            {
                return Some(due);
            }
            d = d.tomorrow().ok()?;
        }
        None
    }

    /// R.61.8: users are told the archive runs from the lead before the end of the working day
    /// until its end.
    pub fn notice(&self, now: Micros) -> bool {
        let Some(d) = local_date(now) else { return false };
        match (self.due_on(d), at(d, self.end)) {
            (Some(from), Some(until)) => from <= now && now < until,
            _ => false,
        }
    }
}

/// What the scheduler does now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Run the archive for the run due at this time (now, or missed while the server was down).
    Run { due: Micros },
    /// Nothing due; look again at this time.
    Wait { until: Micros },
}

/// A run is owed when the last due time has no successful run since it. After downtime the
/// missed run is made up at once, once, however many days were missed; a run owed for more than
/// a day is still made (an archive late is better than none), and the home page says it was late.
pub fn decide(s: &Schedule, now: Micros, last_success: Option<Micros>) -> Decision {
    if let Some(due) = s.last_due(now)
        && last_success.is_none_or(|ok| ok < due)
    {
        return Decision::Run { due };
    }
    Decision::Wait { until: s.next_due(now).unwrap_or(now + HOUR_US) }
}

/// The due time of a run that should have finished by now and did not succeed: shown to
/// administrators until a later run succeeds. `grace` is how long a run may take.
pub fn missed(s: &Schedule, now: Micros, last_success: Option<Micros>, grace_us: i64) -> Option<Micros> {
    let due = s.last_due(now - grace_us)?;
    last_success.is_none_or(|ok| ok < due).then_some(due)
}

/// How many archives of each kind are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Keep {
    pub daily: usize,
    pub weekly: usize,
    pub monthly: usize,
}

impl Default for Keep {
    fn default() -> Self {
        Self { daily: 14, weekly: 8, monthly: 12 }
    }
}

/// Which archives (name, made at) to delete: keep the newest of each of the last `daily` days
/// with archives, of the last `weekly` ISO weeks and of the last `monthly` months; never the
/// newest archive.
pub fn to_delete(archives: &[(String, Micros)], keep: Keep) -> Vec<String> {
    let mut list: Vec<&(String, Micros)> = archives.iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    let mut kept: BTreeSet<&str> = BTreeSet::new();
    if let Some(newest) = list.first() {
        kept.insert(newest.0.as_str());
    }
    type Bucket = fn(Date) -> (i32, i32);
    let buckets: [(usize, Bucket); 3] = [
        (keep.daily, |d| (i32::from(d.year()), i32::from(d.day_of_year()))),
        (keep.weekly, |d| {
            let w = d.iso_week_date();
            (i32::from(w.year()), i32::from(w.week()))
        }),
        (keep.monthly, |d| (i32::from(d.year()), i32::from(d.month()))),
    ];
    for (n, bucket) in buckets {
        let mut seen = BTreeSet::new();
        for (name, made) in &list {
            let Some(d) = local_date(*made) else { continue };
            let b = bucket(d);
            if seen.contains(&b) {
                continue;
            }
            if seen.len() == n {
                break;
            }
            seen.insert(b);
            kept.insert(name.as_str());
        }
    }
    list.iter().filter(|(name, _)| !kept.contains(name.as_str())).map(|(name, _)| name.clone()).collect()
}

/// The office's settings for its archive (`[backup]` in the configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupPolicy {
    pub schedule: Schedule,
    pub keep: Keep,
    /// Copy 2 (the safe, R.66) older than this many days is warned of on the home page.
    pub copy2_max_age_days: i64,
    /// How long a run may take before it counts as missed.
    pub grace_minutes: i64,
}

impl Default for BackupPolicy {
    fn default() -> Self {
        Self { schedule: Schedule::default(), keep: Keep::default(), copy2_max_age_days: 7, grace_minutes: 120 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn t(y: i16, m: i8, d: i8, h: i8, min: i8) -> Micros {
        date(y, m, d).at(h, min, 0, 0).in_tz(BELGRADE).unwrap().timestamp().as_microsecond()
    }

    #[test]
    fn orthodox_easter_dates() {
        assert_eq!(orthodox_easter(2026), Some(date(2026, 4, 12)));
        assert_eq!(orthodox_easter(2025), Some(date(2025, 4, 20)));
        assert_eq!(orthodox_easter(2027), Some(date(2027, 5, 2)));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let s = Schedule::default();
        assert!(s.is_working_day(date(2026, 11, 30)), "a Monday");
        assert!(!s.is_working_day(date(2026, 11, 29)), "a Sunday");
        assert!(!s.is_working_day(date(2026, 11, 11)), "Armistice Day");
        assert!(!s.is_working_day(date(2026, 4, 10)), "Good Friday");
        assert!(!s.is_working_day(date(2026, 4, 13)), "Easter Monday");
        assert!(!s.is_working_day(date(2026, 1, 7)), "Christmas");
        // 15 February 2026 is a Sunday: 16 is off anyway, and so is 17.
        assert!(!s.is_working_day(date(2026, 2, 17)) && s.is_working_day(date(2026, 2, 18)));
        assert!(s.is_working_day(date(2026, 11, 12)), "11 November 2026 is a Wednesday");
        let mut local = Schedule::default();
        local.extra_days_off.insert(date(2026, 12, 1));
        assert!(!local.is_working_day(date(2026, 12, 1)), "a day off of the office's own");
    }

    #[test]
    fn r22_the_archive_runs_thirty_minutes_before_the_end() {
        let s = Schedule::default();
        assert_eq!(s.due_on(date(2026, 11, 30)), Some(t(2026, 11, 30, 15, 0)));
        assert_eq!(s.next_due(t(2026, 11, 30, 9, 0)), Some(t(2026, 11, 30, 15, 0)));
        // Friday after the run: next on Monday.
        assert_eq!(s.next_due(t(2026, 11, 27, 15, 1)), Some(t(2026, 11, 30, 15, 0)));
        assert_eq!(s.last_due(t(2026, 11, 30, 9, 0)), Some(t(2026, 11, 27, 15, 0)), "Monday morning: Friday's");
        let winter = Schedule { end: Time::constant(16, 0, 0, 0), ..Schedule::default() };
        assert_eq!(winter.due_on(date(2026, 12, 2)), Some(t(2026, 12, 2, 15, 30)));
    }

    #[test]
    fn r61_8_users_are_told_while_it_runs() {
        let s = Schedule::default();
        assert!(!s.notice(t(2026, 11, 30, 14, 59)));
        assert!(s.notice(t(2026, 11, 30, 15, 0)) && s.notice(t(2026, 11, 30, 15, 29)));
        assert!(!s.notice(t(2026, 11, 30, 15, 30)));
        assert!(!s.notice(t(2026, 11, 29, 15, 10)), "not on a Sunday");
    }

    #[test]
    fn missed_runs_after_downtime_are_made_up_once() {
        let s = Schedule::default();
        let friday = t(2026, 11, 27, 15, 0);
        // Down from Friday noon to Monday 08:00: Friday's run is owed and made at once.
        assert_eq!(decide(&s, t(2026, 11, 30, 8, 0), Some(t(2026, 11, 26, 15, 2))), Decision::Run { due: friday });
        // Made at 08:01: nothing until Monday 15:00.
        assert_eq!(decide(&s, t(2026, 11, 30, 8, 5), Some(t(2026, 11, 30, 8, 1))), Decision::Wait { until: t(2026, 11, 30, 15, 0) });
        assert_eq!(decide(&s, t(2026, 11, 30, 15, 0), Some(t(2026, 11, 30, 8, 1))), Decision::Run { due: t(2026, 11, 30, 15, 0) });
        // Never run: the last due one.
        assert_eq!(decide(&s, t(2026, 11, 30, 8, 0), None), Decision::Run { due: friday });
        // Missed is said only after the run had time to finish.
        let grace = 2 * HOUR_US;
        assert_eq!(missed(&s, t(2026, 11, 30, 15, 30), Some(t(2026, 11, 27, 15, 3)), grace), None);
        assert_eq!(missed(&s, t(2026, 11, 30, 17, 30), Some(t(2026, 11, 27, 15, 3)), grace), Some(t(2026, 11, 30, 15, 0)));
        assert_eq!(missed(&s, t(2026, 11, 30, 17, 30), Some(t(2026, 11, 30, 15, 4)), grace), None);
    }

    #[test]
    fn retention_keeps_days_weeks_and_months() {
        // One archive every day from 1 January to 30 November 2026, and a second one on the last day.
        let mut list = vec![];
        let mut d = date(2026, 1, 1);
        while d <= date(2026, 11, 30) {
            list.push((format!("a-{d}"), t(d.year(), d.month(), d.day(), 15, 0)));
            d = d.tomorrow().unwrap();
        }
        list.push(("a-2026-11-30-late".into(), t(2026, 11, 30, 18, 0)));
        let keep = Keep::default();
        let gone: BTreeSet<String> = to_delete(&list, keep).into_iter().collect();
        let kept: Vec<&String> = list.iter().map(|(n, _)| n).filter(|n| !gone.contains(*n)).collect();
        assert!(kept.contains(&&"a-2026-11-30-late".to_string()), "the newest stays");
        assert!(!kept.contains(&&"a-2026-11-30".to_string()), "one per day: the later one");
        assert!(kept.contains(&&"a-2026-11-17".to_string()) && !kept.contains(&&"a-2026-11-16".to_string()), "14 days: {kept:?}");
        // Weekly: the newest of each ISO week (Sundays) for 8 weeks; monthly: each month's last.
        assert!(kept.contains(&&"a-2026-10-18".to_string()) && !kept.contains(&&"a-2026-10-11".to_string()), "{kept:?}");
        assert!(kept.contains(&&"a-2026-01-31".to_string()) && kept.contains(&&"a-2026-06-30".to_string()));
        assert!(!kept.contains(&&"a-2026-01-30".to_string()));
        assert!(kept.len() <= 1 + 14 + 8 + 12, "{}", kept.len());
        assert!(to_delete(&list[..1], keep).is_empty());
    }
}
