//! The one error type of the domain, with stable codes an administrator can quote.

/// A field that failed validation, with a message key the UI translates.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: &'static str,
    /// Key of the message in the translation files (e.g. `err-username-format`).
    pub message: &'static str,
}

impl FieldError {
    pub fn new(field: &'static str, message: &'static str) -> Self {
        Self { field, message }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// The request collides with existing data (e.g. a username taken).
    #[error("conflict: {code}")]
    Conflict { code: &'static str, field: Option<&'static str> },
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    /// Too many failed logins: back off until the given instant (microseconds since the epoch).
    #[error("locked until {until_us}")]
    Locked { until_us: i64 },
    /// An outside system needed for this (the directory) cannot be reached now.
    #[error("{what} unavailable")]
    Unavailable { what: &'static str },
    #[error("storage: {0}")]
    Storage(String),
}

impl Error {
    /// The stable code, part of the API contract (`docs/API.md`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            Error::Conflict { code, .. } => code,
            Error::Invalid(_) => "invalid_input",
            Error::Unauthenticated => "unauthenticated",
            Error::Forbidden => "forbidden",
            Error::Locked { .. } => "locked",
            Error::Unavailable { .. } => "unavailable",
            Error::Storage(_) => "internal",
        }
    }

    pub fn invalid(field: &'static str, message: &'static str) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects field errors so a form reports all of them at once.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &'static str, message: &'static str) {
        self.0.push(FieldError::new(field, message));
    }
    /// Keeps the value when it parsed, records the error otherwise.
    pub fn take<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(Error::Invalid(mut list)) => {
                self.0.append(&mut list);
                None
            }
            Err(_) => None,
        }
    }
    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(Error::Invalid(self.0)) }
    }
}
