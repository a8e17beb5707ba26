//! Dates typed by people (`25.11.2026.`, `2026-11-25`) must parse or be refused, never panic,
//! and what parses must print back to the same date.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Some(d) = upravnik_core::clock::parse_date(s) {
        let shown = upravnik_core::clock::format_date(d);
        assert_eq!(upravnik_core::clock::parse_date(&shown), Some(d));
    }
    let _ = upravnik_core::clock::parse_local_date(s);
});
