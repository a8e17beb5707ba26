//! Form and API inputs for the organisation (names, e-mail, dates) validate or refuse cleanly.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_core::org::{PersonInput, UnitInput, WorkplaceInput};

fuzz_target!(|f: (&str, &str, &str, &str, &str)| {
    let (a, b, c, d, e) = f;
    let _ = PersonInput { given_name: a.into(), family_name: b.into(), birth_date: c.into(), email: d.into(), phone: e.into(), unit_id: None, workplace_id: None }.validate();
    let _ = UnitInput { parent_id: Some(1), name: a.into(), code: b.into() }.validate();
    let _ = WorkplaceInput { unit_id: 1, name: c.into(), room: d.into() }.validate();
    let _ = upravnik_core::service::split_name(e);
    let _ = upravnik_core::worklog::Category::parse(a);
    let _ = upravnik_core::access::Role::parse(b);
});
