//! Differential: a policy glob with its literal-prefix fast path
//! (`policy::glob::Glob`) against `wildmatch` alone, and a `--claim`
//! assertion decided in place on a string claim (`holds_on_str`) against
//! the general `check_value`.
//!
//! The input is split at its first NUL byte into pattern and value; bytes
//! are mapped mostly onto a small alphabet with `*`, `?` and `/` so that
//! patterns and values overlap often enough to match.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidcat::policy::ClaimAssertion;
use oidcat::policy::glob::{Glob, reference_matches};
use serde_json::Value;

const ALPHABET: &[char] = &['a', 'b', '/', '*', '?', 'é', ':', '-'];

fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) if bytes.first().is_some_and(|b| b & 0x80 != 0) => s.to_string(),
        _ => bytes
            .iter()
            .map(|&b| ALPHABET[usize::from(b) % ALPHABET.len()])
            .collect(),
    }
}

fuzz_target!(|data: &[u8]| {
    let (p, v) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let (pattern, value) = (text(p), text(v).replace('*', "x").replace('?', "y"));
    assert_eq!(
        Glob::new(&pattern).matches(&value),
        reference_matches(&pattern, &value),
        "glob {pattern:?} on {value:?}"
    );
    for op in ["=", "!=", "~", "!~"] {
        let Ok(a) = format!("c{op}{pattern}").parse::<ClaimAssertion>() else {
            continue;
        };
        let general = a.check_value(Some(&Value::String(value.clone()))).is_ok();
        assert_eq!(a.holds_on_str(&value), general, "{a} on {value:?}");
    }
});
