//! One file per subcommand: orchestration only. Rules live in the core modules.

pub mod decode;
pub mod discover;
pub mod jwks;
pub mod verify;
pub mod token;
pub mod serve;
pub mod generate;

use crate::clock;
use serde_json::Value;

/// Note for a time claim in text output: RFC 3339 and a relative phrase.
pub fn time_note(name: &str, value: &Value, now: i64) -> Option<String> {
    if !matches!(name, "exp" | "nbf" | "iat" | "auth_time") {
        return None;
    }
    let at = match clock::numeric_date(Some(value)) {
        Ok(Some(at)) => at,
        Ok(None) => return None,
        Err(e) => return Some(format!("{name} {e}")),
    };
    let when = clock::rfc3339(at);
    let rel = clock::relative(at, now);
    Some(match name {
        "exp" if at <= now => format!("{when} (expired {rel})"),
        "exp" => format!("{when} (expires {rel})"),
        "nbf" if at > now => format!("{when} (not valid until {rel})"),
        _ => format!("{when} ({rel})"),
    })
}
