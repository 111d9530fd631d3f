//! X.509 certificates (from a JWK's `x5c` or a PEM file), read with
//! `x509-parser`: subject, expiry, and the SubjectPublicKeyInfo they carry.
//! The certificate chain is *not* validated: in OIDC the key set is trusted
//! because it came from the issuer over TLS, and `x5c` is informational.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use serde_json::Value;
use x509_parser::prelude::*;

use crate::clock;

/// What `jwks` shows of a key's certificate.
#[derive(Debug, Clone, Serialize)]
pub struct CertInfo {
    pub subject: String,
    /// RFC 3339 UTC.
    pub not_after: String,
    #[serde(skip)]
    pub expired: bool,
    #[serde(skip)]
    pub spki_der: Vec<u8>,
}

/// Reads the leaf certificate of an `x5c` member (standard base64 DER, RFC 7517 §4.7).
pub fn from_x5c(x5c: &Value) -> Result<CertInfo, String> {
    let first = x5c
        .as_array()
        .and_then(|a| a.first())
        .and_then(Value::as_str)
        .ok_or("`x5c` must be a non-empty array of strings")?;
    let der = STANDARD
        .decode(first)
        .map_err(|e| format!("not base64: {e}"))?;
    cert_info(&der)
}

/// Subject, expiry and SPKI of a DER certificate.
pub fn cert_info(der: &[u8]) -> Result<CertInfo, String> {
    let (_, cert) =
        X509Certificate::from_der(der).map_err(|e| format!("not an X.509 certificate: {e}"))?;
    let not_after = cert.validity().not_after.timestamp();
    Ok(CertInfo {
        subject: crate::sanitize::truncate(&cert.subject().to_string(), 200),
        not_after: clock::rfc3339(not_after),
        expired: not_after < clock::system_now(),
        spki_der: cert.public_key().raw.to_vec(),
    })
}
