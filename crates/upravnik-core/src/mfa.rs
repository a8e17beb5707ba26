//! The second sign-in factor: time-based one-time codes (TOTP, RFC 6238: HMAC-SHA1, six digits,
//! 30-second steps), as every authenticator app makes them. The 2025 Law on Information Security
//! lists multi-factor authentication for administrators among its measures.
//!
//! A code is accepted one step early or late (clock drift), and each step only once per account
//! ([`crate::ports::Store::use_totp_step`]), so a code seen over someone's shoulder is worth nothing.

use totp_rs::{Algorithm, Builder, Secret, Totp};

use crate::clock::Micros;
use crate::{Error, Result};

pub const STEP_SECS: u64 = 30;
pub const DIGITS: u8 = 6;
/// A signed-in password waits this long for its code.
pub const TICKET_TTL_US: i64 = 5 * 60 * 1_000_000;
/// Wrong codes before the waiting sign-in is dropped (the password must be given again).
pub const TICKET_ATTEMPTS: i64 = 5;

/// A new secret: 160 random bits (RFC 4226's recommendation), base32 as the apps take it.
pub fn new_secret() -> Result<String> {
    let mut b = [0u8; 20];
    getrandom::fill(&mut b).map_err(|e| Error::Storage(format!("no randomness: {e}")))?;
    Ok(Secret::from(b).to_base32())
}

fn totp(secret: &str) -> Option<Totp> {
    let s = Secret::try_from_base32(secret).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(1)
        .with_step_duration(STEP_SECS)
        .with_secret(s)
        .build()
        .ok()
}

fn secs(now_us: Micros) -> u64 {
    u64::try_from(now_us / 1_000_000).unwrap_or(0)
}

/// The step a code belongs to, if it is right now (or one step off); spaces in it are allowed.
pub fn check(secret: &str, code: &str, now_us: Micros) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != usize::from(DIGITS) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp(secret)?.check(&code, secs(now_us)).and_then(|step| i64::try_from(step).ok())
}

/// The code of this moment (tests, and the demo's administrator).
pub fn code_at(secret: &str, now_us: Micros) -> Option<String> {
    totp(secret).map(|t| t.generate(secs(now_us)).to_string())
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    let label = format!("{}:{}", pct(issuer), pct(account));
    format!("otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}", pct(issuer))
}

/// Percent-encoding of everything but RFC 3986's unreserved characters.
fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The second factor of an account as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TotpState {
    /// The secret in use; `None` while the second factor is off.
    pub secret: Option<String>,
    /// A secret shown for enrolment, not yet confirmed with a code.
    pub pending: Option<String>,
    pub enabled_us: Option<Micros>,
}

/// A password that was right, waiting for its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginTicket {
    pub user_id: i64,
    pub expires_us: Micros,
    pub attempts: i64,
}

/// A change of an account's second factor.
#[derive(Clone, PartialEq, Eq)]
pub enum TotpChange {
    /// Enrolment started: this secret waits for its first code.
    Pending(String),
    /// The first code matched: the secret is in use from this step on.
    Enable { secret: String, step: i64 },
    /// Off (by the person with a code, or reset by an administrator for a lost phone).
    Disable,
}

impl std::fmt::Debug for TotpChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TotpChange::Pending(_) => f.write_str("Pending(***)"),
            TotpChange::Enable { step, .. } => write!(f, "Enable {{ step: {step} }}"),
            TotpChange::Disable => f.write_str("Disable"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret "12345678901234567890" at 59 s gives 94287082 (eight
    /// digits); its last six are the six-digit code.
    #[test]
    fn rfc6238_test_vector() {
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        assert_eq!(code_at(&secret, 59_000_000).as_deref(), Some("287082"));
        assert_eq!(code_at(&secret, 1_111_111_109_000_000).as_deref(), Some("081804"));
    }

    #[test]
    fn codes_are_accepted_one_step_either_side_and_no_further() {
        let s = new_secret().unwrap_or_default();
        assert_eq!(s.len(), 32);
        let t = 1_795_611_900_000_000;
        let code = code_at(&s, t).unwrap_or_default();
        assert_eq!(check(&s, &code, t), Some(1_795_611_900 / 30));
        assert!(check(&s, &code, t + 30_000_000).is_some());
        assert!(check(&s, &code, t - 30_000_000).is_some());
        assert_eq!(check(&s, &code, t + 90_000_000), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(check(&s, &spaced, t).is_some());
        assert_eq!(check(&s, "12345", t), None);
        assert_eq!(check(&s, "abcdef", t), None);
        assert_eq!(check("not base32!", &code, t), None);
    }

    #[test]
    fn the_app_address_is_encoded() {
        let u = otpauth_uri("Управник", "admin", "JBSWY3DPEHPK3PXP");
        assert!(u.starts_with("otpauth://totp/%D0%A3"), "{u}");
        assert!(u.contains(":admin?secret=JBSWY3DPEHPK3PXP&issuer=%D0%A3") && u.ends_with("&digits=6&period=30"), "{u}");
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        assert!(!format!("{:?}", TotpChange::Pending("JBSWY3DPEHPK3PXP".into())).contains("JBSW"));
        assert!(!format!("{:?}", TotpChange::Enable { secret: "JBSWY3DPEHPK3PXP".into(), step: 1 }).contains("JBSW"));
    }
}
