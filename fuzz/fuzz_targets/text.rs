//! Transliteration and search keys take any text: no panic, search keys are stable under a
//! second application, and Latin text is left as it is.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_core::text::{cyr_to_lat, lat_to_cyr, like_pattern, search_key};

fuzz_target!(|s: &str| {
    let lat = cyr_to_lat(s);
    assert_eq!(cyr_to_lat(&lat), lat, "Latin output stays Latin");
    let k = search_key(s);
    assert_eq!(search_key(&k), k, "search keys are idempotent");
    let cyr = lat_to_cyr(s);
    assert_eq!(lat_to_cyr(&cyr), cyr, "Cyrillic output stays Cyrillic");
    let p = like_pattern(s);
    assert!(p.starts_with('%') && p.ends_with('%'));
});
