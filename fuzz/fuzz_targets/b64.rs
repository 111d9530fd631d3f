//! Differential: the fast base64url decoder (base64-simd) against the
//! reference (the base64 crate's strict URL_SAFE_NO_PAD), and the seam.
//!
//! The first byte picks how the rest becomes a string: as is (when UTF-8),
//! or mapped mostly onto the base64url alphabet with a few near misses
//! (`=`, `+`, `/`, whitespace, `.`) so most inputs reach the decoders'
//! tails rather than their first refused byte. Every input is also encoded
//! and must decode back to itself.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;
use oidcat::jwt::b64;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const NEAR: &[u8] = b"=+/ \n.\x00\x7f";

fn same(s: &str) {
    let reference = b64::reference(s).ok();
    assert_eq!(b64::fast(s), reference, "fast differs: {s:?}");
    assert_eq!(b64::decode(s).ok(), reference, "seam differs: {s:?}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        same("");
        return;
    };
    if mode & 1 == 0 {
        if let Ok(s) = std::str::from_utf8(rest) {
            same(s);
        }
    } else {
        let s: String = rest
            .iter()
            .map(|&b| match b {
                0..=247 => ALPHABET[usize::from(b) % 64] as char,
                _ => NEAR[usize::from(b - 248)] as char,
            })
            .collect();
        same(&s);
    }
    let encoded = URL_SAFE_NO_PAD.encode(rest);
    assert_eq!(b64::fast(&encoded).as_deref(), Some(rest));
    assert_eq!(b64::decode(&encoded).ok().as_deref(), Some(rest));
});
