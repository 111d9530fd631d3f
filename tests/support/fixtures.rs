//! Committed files (`tests/fixtures`, the repository), base64url, the clock,
//! and JSON objects with members replaced.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// A file of the repository, by its path from the repository root.
pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A file under `tests/fixtures`.
pub fn fixture(p: &str) -> PathBuf {
    repo_file("tests/fixtures").join(p)
}

/// [`fixture`] as a command-line argument.
pub fn fx(p: &str) -> String {
    fixture(p).display().to_string()
}

pub fn read_fixture(p: &str) -> String {
    std::fs::read_to_string(fixture(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
}

pub fn read_json(p: &str) -> Value {
    serde_json::from_str(&read_fixture(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// The JWK `tests/fixtures/keys/<file>`.
pub fn jwk(file: &str) -> Value {
    read_json(&format!("keys/{file}"))
}

/// The trusted set as text: rsa-1, ec-1, ec-384, ed-1.
pub fn trusted_jwks() -> String {
    read_fixture("keys/jwks.json")
}

/// A key set of the JWKs `keys/<file>`, as text.
pub fn jwks_of(files: &[&str]) -> String {
    json!({ "keys": files.iter().map(|f| jwk(f)).collect::<Vec<_>>() }).to_string()
}

pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(s: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(s)
        .unwrap_or_else(|e| panic!("not base64url ({e}): {s:?}"))
}

/// The real clock, in seconds since the epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs() as i64
}

/// The object `base` with the members of `changes` set (a `null` value
/// removes the member instead).
pub fn merged(mut base: Value, changes: &Value) -> Value {
    let changes = changes.as_object().expect("changes are a JSON object");
    for (k, v) in changes {
        if v.is_null() {
            base.as_object_mut()
                .expect("a JSON object to change")
                .remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    base
}
