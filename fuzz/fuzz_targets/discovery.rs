//! Panic-only: the discovery document check (`issuer::check_document`) on
//! arbitrary documents, with the issuer asked for taken from the document
//! itself (so the checks past the issuer comparison run) or a fixed one
//! (so the near-miss hint runs); and the issuer helpers on the strings the
//! document holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidcat::http::Trust;
use oidcat::issuer;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, doc)) = data.split_first() else {
        return;
    };
    let named = match oidcat::json::parse_strict(doc) {
        Ok(Value::Object(m)) => m.get("issuer").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    };
    let issuer = match (mode & 1, named) {
        (0, Some(s)) => s,
        _ => "https://idp.test".to_string(),
    };
    let trust = if mode & 2 == 0 {
        Trust::Remote
    } else {
        Trust::Loopback
    };
    let allow_http = mode & 4 != 0;
    let url = issuer::discovery_url(&issuer);
    if let Ok(d) = issuer::check_document(doc, &issuer, &url, trust, allow_http) {
        assert_eq!(d.issuer, issuer);
        let _ = d.jwks_source();
    }
    let _ = issuer::validate(&issuer, allow_http);
    let _ = issuer::near_miss("https://idp.test", &issuer);
    let _ = issuer::iss_matches("https://idp.test", &issuer);
    let _ = issuer::resolve(&issuer);
});
