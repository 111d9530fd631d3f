//! Differential: the per-key memo (`Memo::success`) against `build`.
//!
//! A key set made from the RSA, EC and Ed25519 keys of the test JWKS and an
//! HMAC secret, with kids, thumbprints and source chosen by the input; then
//! a sequence of (key, algorithm) look-ups, some on a fresh clone: each
//! must equal what `build` returns, and a repeated look-up must be the very
//! same memoised value.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use oidcat::keys::memo::build;
use oidcat::keys::{Alg, KeySet, secret_key};

const JWKS: &[u8] = include_bytes!("../../tests/fixtures/keys/jwks.json");

fn set(u: &mut Unstructured) -> Result<KeySet> {
    let mut set = KeySet::parse(JWKS, "fixture", 0).expect("the fixture JWKS parses");
    if let Ok((key, _)) = secret_key(vec![7u8; 64], &[]) {
        set.keys.push(key);
    }
    set.source = u.arbitrary()?;
    let mut keys = Vec::new();
    for _ in 0..u.int_in_range(1..=8)? {
        let mut key = u.choose(&set.keys)?.clone();
        match u.int_in_range(0..=2)? {
            0 => key.kid = None,
            1 => key.kid = Some(u.arbitrary()?),
            _ => {}
        }
        if u.arbitrary()? {
            // Thumbprints are base64url (ASCII) by construction.
            let t: String = u.arbitrary()?;
            key.thumbprint = t.chars().filter(char::is_ascii_alphanumeric).collect();
        }
        keys.push(key);
    }
    set.keys = keys;
    Ok(set)
}

fn run(u: &mut Unstructured) -> Result<()> {
    let set = set(u)?;
    let mut copy: Option<KeySet> = None;
    for _ in 0..u.int_in_range(1..=32)? {
        let i = u.choose_index(set.keys.len())?;
        let alg = *u.choose(&Alg::ALL)?;
        let on = match u.int_in_range(0..=3)? {
            0 => copy.get_or_insert_with(|| set.clone()),
            1 => {
                copy = Some(set.clone());
                copy.as_ref().unwrap_or(&set)
            }
            _ => &set,
        };
        let want = build(on, i, alg);
        let first = on.memo.success(on, i, alg);
        let again = on.memo.success(on, i, alg);
        assert_eq!(
            *first, want,
            "memo differs from build for key {i} and {alg:?}"
        );
        assert!(Arc::ptr_eq(&first, &again), "built twice: key {i}, {alg:?}");
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
