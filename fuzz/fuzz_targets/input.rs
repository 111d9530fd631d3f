//! Panic-only: the token input unwrapping (`Bearer`, `Authorization:`,
//! token responses as JSON) on arbitrary text. Also checks what it returns
//! is trimmed and never empty, as `input::unwrap_token` promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oidcat::input;

fuzz_target!(|data: &[u8]| {
    let stripped = input::strip_bom(data);
    assert!(stripped.len() <= data.len());
    let text = String::from_utf8_lossy(stripped);
    if let Ok(token) = input::unwrap_token(&text) {
        assert!(!token.is_empty(), "empty token from {text:?}");
        assert_eq!(token.trim(), token, "untrimmed token from {text:?}");
    }
});
