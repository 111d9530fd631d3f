//! `discover`'s output: the JSON document and the table for people.

use colored::Colorize;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::issuer::Discovery;
use crate::sanitize;

/// The JSON document of `discover -o json` (docs/json.md).
#[derive(Debug, Serialize)]
pub struct DiscoverDoc<'a> {
    pub issuer: &'a str,
    pub url: &'a str,
    pub document: &'a Map<String, Value>,
    pub warnings: &'a [String],
}

impl<'a> DiscoverDoc<'a> {
    pub fn of(d: &'a Discovery) -> Self {
        DiscoverDoc {
            issuer: &d.issuer,
            url: &d.url,
            document: &d.document,
            warnings: &d.warnings,
        }
    }
}

fn list(doc: &Map<String, Value>, key: &str) -> String {
    match doc.get(key) {
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| sanitize::escape(v.as_str().unwrap_or(&v.to_string())))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::String(s)) => sanitize::escape(s),
        Some(v) => sanitize::escape(&v.to_string()),
        None => "-".dimmed().to_string(),
    }
}

/// One row per notable member, then the verdict line.
pub fn text(d: &Discovery) -> String {
    let mut rows: Vec<(&str, String)> = vec![
        ("issuer", sanitize::escape(&d.issuer)),
        ("discovery", d.url.clone()),
        ("jwks_uri", sanitize::escape(&d.jwks_uri)),
        (
            "signing algorithms",
            list(&d.document, "id_token_signing_alg_values_supported"),
        ),
        ("claims supported", list(&d.document, "claims_supported")),
        ("scopes supported", list(&d.document, "scopes_supported")),
        (
            "response types",
            list(&d.document, "response_types_supported"),
        ),
        (
            "subject types",
            list(&d.document, "subject_types_supported"),
        ),
    ];
    for (label, key) in [
        ("authorization endpoint", "authorization_endpoint"),
        ("token endpoint", "token_endpoint"),
        ("userinfo endpoint", "userinfo_endpoint"),
        ("end session endpoint", "end_session_endpoint"),
        ("revocation endpoint", "revocation_endpoint"),
        ("introspection endpoint", "introspection_endpoint"),
    ] {
        if d.document.contains_key(key) {
            rows.push((label, list(&d.document, key)));
        }
    }
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let mut text = String::new();
    for (l, v) in rows {
        text.push_str(&format!("{:<width$}  {v}\n", l.bold()));
    }
    text.push_str(&format!(
        "{} discovery document is consistent with its issuer",
        "ok:".green().bold()
    ));
    text
}
