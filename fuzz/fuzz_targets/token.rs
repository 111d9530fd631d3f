//! Panic-only: the token parser and the whole verification behind it, on
//! arbitrary input, plus two invariants: a valid verdict has no failed
//! check and no error, and `serve`'s compact JSON of every verdict is the
//! value serde writes.
//!
//! The first byte picks the shape: the rest as token text; the rest split
//! at NUL bytes into segments, each base64url-encoded; or a header and
//! payload from the input signed with the HMAC secret the policy trusts
//! (`alg` HS256 in a fixed header, or the input's own header), so inputs
//! get past the signature to the claim checks.
#![no_main]

use std::sync::{Arc, LazyLock};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;
use oidcat::jwt::{self, Token};
use oidcat::keys::{KeySet, StaticKeys, secret_key};
use oidcat::policy::Policy;
use oidcat::verify::verify;
use serde_json::Value;

const SECRET: [u8; 64] = [7; 64];
const NOW: i64 = 1_700_000_000;

static KEYS: LazyLock<StaticKeys> = LazyLock::new(|| {
    let (key, _) = secret_key(SECRET.to_vec(), &[]).expect("a 64-byte secret is a key");
    StaticKeys(Arc::new(KeySet::single(key, "fuzz secret")))
});

static POLICY: LazyLock<Policy> = LazyLock::new(|| {
    let (_, algs) = secret_key(SECRET.to_vec(), &[]).expect("a 64-byte secret is a key");
    Policy {
        issuer: Some("https://idp.test".into()),
        audiences: Some(vec!["api".into()]),
        max_age: Some(3600),
        claims: vec!["sub=a".parse().expect("a claim assertion")],
        require: vec!["email".into()],
        ..Policy::new(algs)
    }
});

fn sign(signing_input: &str) -> String {
    use aws_lc_rs::hmac;
    let key = hmac::Key::new(hmac::HMAC_SHA256, &SECRET);
    URL_SAFE_NO_PAD.encode(hmac::sign(&key, signing_input.as_bytes()))
}

fn token(data: &[u8]) -> Option<String> {
    let (&mode, rest) = data.split_first()?;
    let mut parts = rest.split(|&b| b == 0);
    Some(match mode % 4 {
        0 => String::from_utf8_lossy(rest).into_owned(),
        1 => rest
            .split(|&b| b == 0)
            .map(|p| URL_SAFE_NO_PAD.encode(p))
            .collect::<Vec<_>>()
            .join("."),
        2 => {
            let header = URL_SAFE_NO_PAD.encode(parts.next().unwrap_or_default());
            let payload = URL_SAFE_NO_PAD.encode(parts.next().unwrap_or_default());
            let input = format!("{header}.{payload}");
            let sig = sign(&input);
            format!("{input}.{sig}")
        }
        _ => {
            let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
            let input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(rest));
            let sig = sign(&input);
            format!("{input}.{sig}")
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some(token) = token(data) else { return };

    if let Ok(Token::Jws(j)) = jwt::parse(&token) {
        assert!(token.as_bytes().starts_with(j.signing_input()));
        let _ = (j.signature_b64(), j.alg(), j.header.map(), j.claims.map());
    }

    let v = verify(&token, &*KEYS, &POLICY, NOW);
    let _ = v.exit_code();
    if v.valid {
        assert!(v.error.is_none(), "valid with an error: {token}");
        assert!(
            v.checks.iter().all(|c| c.ok),
            "valid with a failed check: {token}"
        );
        assert!(v.trusted().is_some());
    }
    let fast: Value = serde_json::from_slice(&v.to_json_compact()).expect("compact JSON parses");
    let slow: Value =
        serde_json::from_slice(&oidcat::serve::json::reference(&v)).expect("serde JSON parses");
    assert_eq!(fast, slow, "verdict JSON differs: {token}");
});
