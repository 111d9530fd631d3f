//! `decode`'s output: the JSON document and the text for people.

use colored::Colorize;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{pretty, time_note};

/// The JSON document of `decode -o json` (docs/json.md).
#[derive(Debug, Serialize)]
pub struct DecodeDoc {
    pub header: Map<String, Value>,
    pub claims: Option<Map<String, Value>>,
    pub signature_len: Option<usize>,
    pub warnings: Vec<String>,
}

/// An encrypted token: its protected header and why nothing more is shown.
pub fn jwe_text(header: &Map<String, Value>, warning: &str) -> String {
    format!(
        "{}\n{}\n{} {}",
        "Protected header (JWE: encrypted, not decrypted):".bold(),
        pretty::object(header, &|_, _| None),
        "warning:".yellow().bold(),
        warning
    )
}

/// A signed token: header, claims with time notes at `now`, signature size,
/// the warnings, and the reminder that nothing was verified.
pub fn jws_text(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    signature_len: usize,
    warnings: &[String],
    now: i64,
) -> String {
    let note = |k: &str, v: &Value| time_note(k, v, now);
    let mut text = format!(
        "{}\n{}\n{}\n{}\n{} {} bytes\n",
        "Header:".bold(),
        pretty::object(header, &|_, _| None),
        "Claims:".bold(),
        pretty::object(claims, &note),
        "Signature:".bold(),
        signature_len,
    );
    for w in warnings {
        text.push_str(&format!("{} {}\n", "warning:".yellow().bold(), w));
    }
    text.push_str(&format!(
        "{}",
        "NOT VERIFIED: decode checks nothing; use `oidcat verify` to check the signature and claims."
            .yellow()
    ));
    text
}
