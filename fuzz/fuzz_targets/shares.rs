//! File names come from any share, written by any client: the R.42 checks and the proposals take
//! any text without panicking, and every proposal obeys the rule, fits its room and is unused.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_core::shares::{Rules, check_name, inconsistent_leading_words, outside_layout, private_ext, propose_name};

fuzz_target!(|f: (&str, &str, u8)| {
    let (name, other, room) = f;
    let rules = Rules::default();
    let _ = check_name(name, name.chars().count(), &rules);
    let _ = private_ext(name, &rules);
    let _ = outside_layout(&[other, name], &rules);
    let _ = inconsistent_leading_words(&[name, other]);
    let room = usize::from(room);
    if let Some(p) = propose_name(name, room, &|n: &str| n.eq_ignore_ascii_case(other)) {
        assert!(p.chars().count() <= room, "{p:?} fits {room}");
        assert!(!p.eq_ignore_ascii_case(other), "{p:?} is not taken");
        let v = check_name(&p, 0, &rules);
        assert!(v.iter().all(|v| !v.renamable()), "{name:?} → {p:?}: {v:?}");
    }
});
