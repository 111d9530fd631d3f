//! Differential: request path normalisation with its fast path (a path
//! that needs no change is copied) against the full normalisation
//! (`normalize_path_reference`).
//!
//! Bytes are mapped mostly onto the characters normalisation cares about
//! (`/`, `.`, `%`, hex digits, `?`, `#`); a first byte with its top bit set
//! takes the input as it is when it is UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidcat::policy::{normalize_path, normalize_path_reference};

const ALPHABET: &[char] = &['/', '/', '.', '.', '%', '2', 'e', 'E', 'f', 'a', '?', '#', ':', 'é'];

fuzz_target!(|data: &[u8]| {
    let raw: String = match std::str::from_utf8(data) {
        Ok(s) if data.first().is_some_and(|b| b & 0x80 != 0) => s.to_string(),
        _ => data
            .iter()
            .map(|&b| ALPHABET[usize::from(b) % ALPHABET.len()])
            .collect(),
    };
    let fast = normalize_path(&raw);
    assert_eq!(fast, normalize_path_reference(&raw), "{raw:?}");
    assert!(fast.starts_with('/'), "{raw:?} -> {fast:?}");
});
