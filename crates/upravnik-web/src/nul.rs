//! PostgreSQL's text cannot hold U+0000, SQLite would keep it and show it nowhere, and no field
//! of this product needs it. A request carrying one — in its query string, a form or a JSON
//! body — is refused with 422 (`err-nul`) before a handler runs, so both databases answer alike
//! and nothing is half-written. (The storage layer maps PostgreSQL's refusal to the same error,
//! for text that arrives some other way.)

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use upravnik_core::Error;

use crate::AppState;
use crate::error::{ApiError, UiError};

/// A raw NUL, or `%00`, in a query string or a urlencoded form.
pub fn in_urlencoded(b: &[u8]) -> bool {
    b.contains(&0) || b.windows(3).any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
}

/// A raw NUL, or the escape `\u0000`, in JSON text (`\\u0000`, an escaped backslash, is not one).
pub fn in_json(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0 => return true,
            b'\\' => {
                if b.get(i + 1) == Some(&b'u') && b.get(i + 2..i + 6).is_some_and(|h| h == b"0000") {
                    return true;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    false
}

fn refused(path: &str, field: &'static str) -> Response {
    let e = Error::invalid(field, "err-nul");
    if crate::auth::is_api(path) { ApiError(e).into_response() } else { UiError(e).into_response() }
}

/// The middleware. Bodies are read up to the configured limit; a larger one (a share-scan
/// report may be) is passed on unread beyond that, its route's own limit deciding.
pub async fn refuse(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if req.uri().query().is_some_and(|q| in_urlencoded(q.as_bytes())) {
        return refused(&path, "query");
    }
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let json = ct.starts_with("application/json");
    let form = ct.starts_with("application/x-www-form-urlencoded");
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || !(json || form) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    let mut seen: Vec<u8> = vec![];
    while seen.len() <= st.config.body_limit {
        match stream.next().await {
            Some(Ok(chunk)) => seen.extend_from_slice(&chunk),
            Some(Err(_)) => return StatusCode::BAD_REQUEST.into_response(),
            None => {
                if (json && in_json(&seen)) || (form && in_urlencoded(&seen)) {
                    return refused(&path, "body");
                }
                return next.run(Request::from_parts(parts, Body::from(seen))).await;
            }
        }
    }
    let head = futures_util::stream::once(async move { Ok::<_, axum::Error>(axum::body::Bytes::from(seen)) });
    next.run(Request::from_parts(parts, Body::from_stream(head.chain(stream)))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nul_in_json_escapes_but_not_in_an_escaped_backslash() {
        assert!(in_json(br#"{"a": "x\u0000y"}"#));
        assert!(in_json(b"{\"a\": \"x\0\"}"));
        assert!(!in_json(br#"{"a": "x\\u0000y"}"#), "a backslash, then the text u0000");
        assert!(in_json(br#"{"a": "x\\\u0000"}"#), "a backslash, then NUL");
        assert!(!in_json(br#"{"b": "\u0001 \u00e9"}"#));
        assert!(!in_json(r#"{"a": "Решење \u0161"}"#.as_bytes()));
        assert!(!in_json(b"\\"), "a lone backslash at the end");
    }

    #[test]
    fn finds_nul_in_forms_and_queries() {
        assert!(in_urlencoded(b"name=a%00b"));
        assert!(in_urlencoded(b"tag=%00%3B"));
        assert!(!in_urlencoded(b"name=a%20b&q=100%25"));
        assert!(!in_urlencoded(b"q=%D0%A8"));
    }
}
