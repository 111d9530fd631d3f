//! `jwks`'s output: the JSON document, the listing for people, and `--pem`.

use colored::Colorize;
use serde::Serialize;

use crate::keys::{pem, x509::CertInfo};
use crate::sanitize;

/// The JSON document of `jwks -o json` (docs/json.md).
#[derive(Debug, Serialize)]
pub struct JwksDoc {
    pub source: String,
    pub keys: Vec<KeyRow>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct KeyRow {
    pub kid: Option<String>,
    pub kty: Option<String>,
    pub alg: Option<String>,
    #[serde(rename = "use")]
    pub use_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bits: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    pub thumbprint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x5c: Option<CertInfo>,
    pub warnings: Vec<String>,
    /// Whether `verify` would use this key.
    pub usable: bool,
    #[serde(skip)]
    pub spki: Option<Vec<u8>>,
}

/// One entry per key, usable or not, with its warnings, then a count.
pub fn text(source: &str, rows: &[KeyRow]) -> String {
    let mut text = format!("{} {}\n", "source:".bold(), source);
    for r in rows {
        let size = match (r.bits, &r.crv) {
            (Some(b), _) => format!("{b} bits"),
            (None, Some(c)) => sanitize::escape(c),
            _ => "-".into(),
        };
        let mark = if r.usable { "✓".green() } else { "✗".red() };
        text.push_str(&format!(
            "{mark} {} {}  kty={} alg={} use={} {}\n    thumbprint {}\n",
            "kid".bold(),
            sanitize::truncate(r.kid.as_deref().unwrap_or("(none)"), 80),
            sanitize::escape(r.kty.as_deref().unwrap_or("-")),
            sanitize::escape(r.alg.as_deref().unwrap_or("-")),
            sanitize::escape(r.use_.as_deref().unwrap_or("-")),
            size,
            r.thumbprint.as_deref().unwrap_or("-"),
        ));
        if let Some(c) = &r.x5c {
            text.push_str(&format!(
                "    x5c subject {}, not after {}\n",
                c.subject, c.not_after
            ));
        }
        for w in &r.warnings {
            text.push_str(&format!("    {} {w}\n", "warning:".yellow().bold()));
        }
    }
    let usable = rows.iter().filter(|r| r.usable).count();
    text.push_str(&format!(
        "{usable} of {} keys usable for verification",
        rows.len()
    ));
    text
}

/// The chosen keys as SPKI PEM, each after a `# kid:` line when `labelled`.
pub fn pem_text(chosen: &[&KeyRow], labelled: bool) -> String {
    let mut text = String::new();
    for r in chosen {
        if labelled {
            text.push_str(&format!(
                "# kid: {}\n",
                sanitize::escape(r.kid.as_deref().unwrap_or("(none)"))
            ));
        }
        text.push_str(&pem::to_pem(r.spki.as_deref().unwrap_or_default()));
    }
    text
}
