//! Usernames and passwords (R.18) from sign-in and account forms: decided without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_core::password::{PersonalData, Username, check_password};

fuzz_target!(|input: (&str, &str, &str, &str)| {
    let (user, pw, given, family) = input;
    if let Ok(u) = Username::parse(user) {
        assert!(u.as_str().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    }
    let who = PersonalData { given_name: given, family_name: family, birth_date: jiff::civil::Date::new(1980, 3, 7).ok() };
    if check_password(pw, 8, &who).is_ok() {
        assert!(pw.chars().count() >= 8);
    }
});
