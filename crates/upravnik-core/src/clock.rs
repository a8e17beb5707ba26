//! Time comes from a clock in the state, so deadlines and lockouts are testable.

use std::sync::atomic::{AtomicI64, Ordering};

/// Microseconds since the Unix epoch, UTC. Stored as a 64-bit integer on both databases.
pub type Micros = i64;

pub trait Clock: Send + Sync {
    fn now_us(&self) -> Micros;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now_us(&self) -> Micros {
        jiff::Timestamp::now().as_microsecond()
    }
}

/// A clock that moves only when told to; for tests and the demo's history.
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(at: Micros) -> Self {
        Self(AtomicI64::new(at))
    }
    pub fn set(&self, at: Micros) {
        self.0.store(at, Ordering::SeqCst);
    }
    pub fn advance_secs(&self, secs: i64) {
        self.0.fetch_add(secs * 1_000_000, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_us(&self) -> Micros {
        self.0.load(Ordering::SeqCst)
    }
}

pub const BELGRADE: &str = "Europe/Belgrade";

/// Shows an instant as Belgrade local time, `25.11.2026. 14:05` (UI.md).
pub fn format_local(us: Micros) -> String {
    match local(us) {
        Some(z) => format!("{:02}.{:02}.{}. {:02}:{:02}", z.day(), z.month(), z.year(), z.hour(), z.minute()),
        None => String::new(),
    }
}

/// Shows the date part only, `25.11.2026.`.
pub fn format_local_date(us: Micros) -> String {
    match local(us) {
        Some(z) => format!("{:02}.{:02}.{}.", z.day(), z.month(), z.year()),
        None => String::new(),
    }
}

pub fn local(us: Micros) -> Option<jiff::ZonedDateTime> {
    let ts = jiff::Timestamp::from_microsecond(us).ok()?;
    let tz = jiff::tz::TimeZone::get(BELGRADE).ok()?;
    Some(ts.to_zoned_datetime(tz))
}

/// The Belgrade calendar day of an instant.
pub fn local_date(us: Micros) -> Option<jiff::civil::Date> {
    local(us).map(|z| z.date())
}

/// Parses `25.11.2026` / `25.11.2026.` / `2026-11-25` as the start of that day in Belgrade.
pub fn parse_local_date(s: &str) -> Option<Micros> {
    let d = parse_date(s)?;
    let tz = jiff::tz::TimeZone::get(BELGRADE).ok()?;
    let z = d.to_zoned_datetime(tz).ok()?;
    Some(z.timestamp().as_microsecond())
}

/// A calendar date in either the Serbian or the ISO form.
pub fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let s = s.trim().trim_end_matches('.');
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        return Some(d);
    }
    let mut it = s.split('.').map(|p| p.trim().parse::<i16>());
    let (day, month, year) = (it.next()?.ok()?, it.next()?.ok()?, it.next()?.ok()?);
    if it.next().is_some() {
        return None;
    }
    jiff::civil::Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

pub fn format_date(d: jiff::civil::Date) -> String {
    format!("{:02}.{:02}.{}.", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_belgrade_time_in_serbian_format() {
        // 2026-11-25T13:05Z is 14:05 in Belgrade (CET, UTC+1).
        let us = jiff::Timestamp::from_second(1_795_611_900).map(|t| t.as_microsecond());
        assert_eq!(format_local(us.unwrap_or(0)), "25.11.2026. 14:05");
    }

    #[test]
    fn parses_both_date_forms() {
        assert_eq!(parse_date("25.11.2026."), parse_date("2026-11-25"));
        assert!(parse_date("31.02.2026").is_none());
        assert!(parse_date("bogus").is_none());
    }
}
