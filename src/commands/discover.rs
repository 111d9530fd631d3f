//! `oidcat discover ISSUER`: fetch and check the discovery document.

use colored::Colorize;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::cli::{DiscoverArgs, GlobalArgs};
use crate::error::Result;
use crate::issuer;
use crate::report::Out;
use crate::sanitize;

#[derive(Debug, Serialize)]
pub struct DiscoverDoc<'a> {
    pub issuer: &'a str,
    pub url: &'a str,
    pub document: &'a Map<String, Value>,
    pub warnings: &'a [String],
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

pub fn run(args: &DiscoverArgs, g: &GlobalArgs, out: &Out) -> Result<u8> {
    let d = match (&args.file, &args.issuer) {
        (Some(path), _) => {
            issuer::read_document_file(path, args.expected_issuer.as_deref(), g.allow_http)?
        }
        (None, issuer) => {
            let issuer = issuer::resolve(issuer.as_deref().unwrap_or_default());
            crate::mistakes::issuer_is_discovery_url("discover", &issuer)?;
            super::loader(g).discover(&issuer)?.0
        }
    };
    if args.raw {
        Out::stdout(&String::from_utf8_lossy(&d.raw));
    } else if out.is_json() {
        out.json(&DiscoverDoc {
            issuer: &d.issuer,
            url: &d.url,
            document: &d.document,
            warnings: &d.warnings,
        });
    } else {
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
        out.print(&text);
    }
    for w in &d.warnings {
        out.warn(w);
    }
    Ok(0)
}
