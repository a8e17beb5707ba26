//! Usernames, passwords (R.18) and one-time codes from sign-in and account forms: decided
//! without panicking; a code accepted is six digits.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_core::mfa;
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
    // The fixed moment makes a match possible only for the one right code (or its neighbours).
    if mfa::check("JBSWY3DPEHPK3PXP", pw, 1_795_611_900_000_000).is_some() {
        assert_eq!(pw.chars().filter(char::is_ascii_digit).count(), 6);
    }
    let _ = mfa::check(given, pw, i64::MAX);
    let _ = mfa::check(family, pw, i64::MIN);
});
