//! Panic-only: key-set (JWKS) and single-key (JWK) parsing of arbitrary
//! documents, and everything a parsed key is asked for afterwards (label,
//! size, SPKI, jsonwebtoken key, the set's findings). Also: a key set never
//! holds more keys than the document has entries, and never a secret key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidcat::keys::{KeySet, Origin, parse_jwk};
use serde_json::Value;

fn exercise(key: &oidcat::keys::Key) {
    let _ = (key.kty(), key.label(), key.size_label(), key.spki_der());
    let _ = key.decoding_key();
}

fuzz_target!(|data: &[u8]| {
    if let Ok(set) = KeySet::parse(data, "fuzz", 0) {
        let entries = KeySet::entries(data, "fuzz").map_or(0, |e| e.len());
        assert!(set.keys.len() <= entries);
        for key in &set.keys {
            assert_ne!(key.kty(), "oct", "a key set kept a secret key");
            exercise(key);
        }
        let _ = set.kids();
    }
    if let Ok(v @ Value::Object(_)) = oidcat::json::parse_strict(data) {
        for origin in [Origin::Set, Origin::Single] {
            if let Ok(key) = parse_jwk(&v, origin) {
                exercise(&key);
            }
        }
    }
});
