//! Usernames and passwords (R.18), argon2id hashing, and random tokens for sessions and the API.

use crate::{Error, Result};
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

/// A username: lower-case letters and digits, agreed with the user (R.18).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim();
        if s.len() < 2 || s.len() > 32 {
            return Err(Error::invalid("username", "err-username-length"));
        }
        if !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
            return Err(Error::invalid("username", "err-username-format"));
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(Error::invalid("username", "err-username-format"));
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Personal data a password must not be built from (R.18).
pub struct PersonalData<'a> {
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub birth_date: Option<jiff::civil::Date>,
}

/// The password rule of R.18: at least `min_len` characters (8 or more, configurable upward),
/// letters and digits, not containing the person's name, surname or birth date.
pub fn check_password(pw: &str, min_len: usize, who: &PersonalData<'_>) -> Result<()> {
    let min_len = min_len.max(8);
    if pw.chars().count() < min_len {
        return Err(Error::invalid("password", "err-password-short"));
    }
    if pw.chars().count() > 256 {
        return Err(Error::invalid("password", "err-password-long"));
    }
    if !pw.chars().any(char::is_alphabetic) || !pw.chars().any(|c| c.is_ascii_digit()) {
        return Err(Error::invalid("password", "err-password-classes"));
    }
    let key = crate::text::search_key(pw).replace(' ', "");
    for name in [who.given_name, who.family_name] {
        for part in crate::text::search_key(name).split([' ', '-']) {
            if part.chars().count() >= 3 && key.contains(part) {
                return Err(Error::invalid("password", "err-password-personal"));
            }
        }
    }
    if let Some(d) = who.birth_date {
        let forms = [
            format!("{:02}{:02}{}", d.day(), d.month(), d.year()),
            format!("{}{:02}{:02}", d.year(), d.month(), d.day()),
            format!("{:02}{:02}{:02}", d.day(), d.month(), d.year() % 100),
            format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
        ];
        let digits: String = pw.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
        if forms.iter().any(|f| pw.contains(f.as_str()) || digits.contains(f.as_str())) {
            return Err(Error::invalid("password", "err-password-personal"));
        }
    }
    Ok(())
}

/// Hashes with argon2id and the crate's default (OWASP) parameters, as a PHC string.
pub fn hash_password(pw: &str) -> Result<String> {
    let h: Result<PasswordHash, _> = argon2::Argon2::default().hash_password(pw.as_bytes());
    h.map(|h| h.to_string()).map_err(|e| Error::Storage(format!("password hashing failed: {e}")))
}

pub fn verify_password(pw: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => argon2::Argon2::default().verify_password(pw.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// A hash that verification can run against when the user does not exist, so that a wrong
/// username costs the same time as a wrong password.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("dummy-password-1").unwrap_or_default())
}

/// 32 random bytes as hex: session ids, CSRF tokens, API tokens.
pub fn random_token() -> Result<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| Error::Storage(format!("no randomness: {e}")))?;
    Ok(hex(&b))
}

/// SHA-256 of a token, hex; only this is stored, so a copied database yields no live sessions.
pub fn token_digest(token: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(token.as_bytes()))
}

pub fn hex(b: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push(H[(x >> 4) as usize] as char);
        s.push(H[(x & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marko() -> PersonalData<'static> {
        PersonalData { given_name: "Марко", family_name: "Петровић", birth_date: jiff::civil::Date::new(1980, 3, 7).ok() }
    }

    #[test]
    fn r18_usernames_are_lowercase_letters_and_digits() {
        assert!(Username::parse("mpetrovic2").is_ok());
        assert!(Username::parse("MPetrovic").is_err());
        assert!(Username::parse("m.petrovic").is_err());
        assert!(Username::parse("марко").is_err());
        assert!(Username::parse("2marko").is_err());
    }

    #[test]
    fn r18_password_needs_length_letters_and_digits() {
        assert!(check_password("kratka1", 8, &marko()).is_err());
        assert!(check_password("samoslova", 8, &marko()).is_err());
        assert!(check_password("12345678", 8, &marko()).is_err());
        assert!(check_password("zelena7trava", 8, &marko()).is_ok());
        assert!(check_password("zelena7trava", 14, &marko()).is_err());
    }

    #[test]
    fn r18_password_must_not_contain_personal_data() {
        assert!(check_password("marko12345", 8, &marko()).is_err());
        assert!(check_password("xPetrovic99", 8, &marko()).is_err());
        assert!(check_password("abc07031980", 8, &marko()).is_err());
        assert!(check_password("abc19800307", 8, &marko()).is_err());
    }

    #[test]
    fn argon2id_round_trip() {
        let h = hash_password("zelena7trava").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("zelena7trava", &h));
        assert!(!verify_password("zelena7travA", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
