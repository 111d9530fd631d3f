//! Tokens signed with the committed test keys (`tests/fixtures/keys`): any
//! header and payload bytes (duplicate members, odd types, non-JSON) go
//! through unchanged.

use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

use super::fixtures::{b64, fixture, merged};

/// The bytes of `tests/fixtures/keys/<name>` (a PEM key or an HMAC secret).
pub fn key_pem(name: &str) -> Vec<u8> {
    std::fs::read(fixture(&format!("keys/{name}"))).unwrap_or_else(|e| panic!("keys/{name}: {e}"))
}

pub fn encoding_key(alg: Algorithm, key: &[u8]) -> EncodingKey {
    use Algorithm::*;
    let k = match alg {
        HS256 | HS384 | HS512 => EncodingKey::from_secret(key),
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => EncodingKey::from_rsa_pem(key),
        ES256 | ES384 => EncodingKey::from_ec_pem(key),
        EdDSA => EncodingKey::from_ed_pem(key),
        _ => panic!("unsupported {alg:?}"),
    };
    k.unwrap_or_else(|e| panic!("a {alg:?} test key: {e}"))
}

/// Signs ARBITRARY header and payload bytes with the key bytes `key_pem`.
pub fn sign(alg: Algorithm, key_pem: &[u8], header: &[u8], payload: &[u8]) -> String {
    let msg = format!("{}.{}", b64(header), b64(payload));
    let sig = jsonwebtoken::crypto::sign(msg.as_bytes(), &encoding_key(alg, key_pem), alg)
        .unwrap_or_else(|e| panic!("signing with {alg:?}: {e}"));
    format!("{msg}.{sig}")
}

/// Signs arbitrary header and payload bytes with `keys/<key_file>`.
pub fn sign_raw(alg: Algorithm, key_file: &str, header: &[u8], payload: &[u8]) -> String {
    sign(alg, &key_pem(key_file), header, payload)
}

/// Signs JSON `header` and `claims` (as serialized) with `keys/<key_file>`.
pub fn sign_json(alg: Algorithm, key_file: &str, header: &Value, claims: &Value) -> String {
    sign_raw(
        alg,
        key_file,
        header.to_string().as_bytes(),
        claims.to_string().as_bytes(),
    )
}

/// The key file and kid for each algorithm family of the trusted set.
pub fn default_key(alg: Algorithm) -> (&'static str, &'static str) {
    use Algorithm::*;
    match alg {
        HS256 | HS384 | HS512 => ("hmac.secret", ""),
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => ("rsa.pem", "rsa-1"),
        ES256 => ("p256.pem", "ec-1"),
        ES384 => ("p384.pem", "ec-384"),
        EdDSA => ("ed25519.pem", "ed-1"),
        _ => panic!("no trusted test key for {alg:?}"),
    }
}

/// A token signed with the trusted key for `alg`, header `{"alg", "kid"}`.
pub fn jwt(alg: Algorithm, claims: &Value) -> String {
    jwt_h(alg, json!({}), claims)
}

/// [`jwt`] with header members set by `extra_header` (`null` removes one).
pub fn jwt_h(alg: Algorithm, extra_header: Value, claims: &Value) -> String {
    let (file, kid) = default_key(alg);
    let mut h = json!({"alg": oidcat::keys::alg_name(alg)});
    if !kid.is_empty() {
        h["kid"] = json!(kid);
    }
    sign_json(alg, file, &merged(h, &extra_header), claims)
}

/// Raw header/payload text signed by `rsa.pem` (RS256).
pub fn raw_rs256(header: &str, payload: &str) -> String {
    sign_raw(
        Algorithm::RS256,
        "rsa.pem",
        header.as_bytes(),
        payload.as_bytes(),
    )
}

/// RS256 by `key_file`, header `{"alg":"RS256","kid":kid,"typ":"JWT"}`.
pub fn token_kid(kid: &str, key_file: &str, claims: &Value) -> String {
    let h = json!({"alg": "RS256", "typ": "JWT", "kid": kid});
    sign_json(Algorithm::RS256, key_file, &h, claims)
}
