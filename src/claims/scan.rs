//! The fast path of [`super::Claims::parse`] for the payloads tokens carry:
//! one object whose member names need no unescaping, fewer than [`MAX`]
//! members. It only ever answers "these members" or "ask the reference":
//! any doubt (an escaped name, a duplicate, a syntax error, something
//! unusual) returns `None` and `reference::members`, which decides what is
//! accepted and words the error, runs instead. Values that are not plain
//! strings or small integers get the same full strict parse as there.
//!
//! Why: serde with a `RawValue` per member is the largest cost in a
//! verification after the signature itself. The tests below compare both
//! on generated and mutated payloads.

use super::{MemberKey, Members};

/// More members than this go to the serde path (its duplicate check hashes).
pub const MAX: usize = 64;

fn ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// From just after an opening quote: the index of the closing quote and
/// whether the string holds a backslash. `None` on a raw control
/// character or a missing end. Eight bytes at a time; a word with any
/// candidate byte is re-read byte by byte, so the answer is exact.
fn string(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut escaped = false;
    loop {
        while let Some(chunk) = b.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let w = u64::from_le_bytes(word);
            let hit = zero_byte(w ^ (ONES * b'"' as u64))
                | zero_byte(w ^ (ONES * b'\\' as u64))
                | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
            if hit != 0 {
                break;
            }
            i += 8;
        }
        // Byte by byte up to the next quote, backslash or control byte.
        loop {
            match *b.get(i)? {
                b'"' => return Some((i, escaped)),
                b'\\' => {
                    escaped = true;
                    // The escaped byte cannot end the string; the strict
                    // parse of the whole value checks the escape itself.
                    i += 2;
                    break;
                }
                0..=0x1f => return None,
                _ => i += 1,
            }
        }
    }
}

/// `-?(0|[1-9][0-9]{0,17})`: an integer serde takes as is.
fn plain_integer(t: &[u8]) -> bool {
    let digits = t.strip_prefix(b"-").unwrap_or(t);
    match digits {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] => rest.len() <= 17 && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// The end of a nested object or array starting at `i`, strings skipped.
fn nested(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        match *b.get(i)? {
            // Deeper than serde's own limit counts from here: let it decide.
            b'{' | b'[' if depth == 100 => return None,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' => i = string(b, i + 1)?.0,
            _ => {}
        }
        i += 1;
    }
}

/// Length and eight bytes from each end (every byte of a shorter name):
/// distinct for almost every pair of claim names, in a few instructions,
/// with no allocation; equal fingerprints are compared byte for byte.
fn fingerprint(key: &[u8]) -> u64 {
    let len = (key.len() as u64).rotate_left(58);
    match (key.first_chunk::<8>(), key.last_chunk::<8>()) {
        (Some(head), Some(tail)) => {
            u64::from_le_bytes(*head) ^ u64::from_le_bytes(*tail).rotate_left(29) ^ len
        }
        _ => key.iter().fold(len, |h, &c| h << 8 | c as u64),
    }
}

/// The members of `raw` when it is a token-shaped strict object; `None`
/// for anything else (then the reference decides).
pub fn members(raw: &str) -> Option<Members> {
    let b = raw.as_bytes();
    let mut i = ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(b, i + 1);
    let mut out: Members = Vec::with_capacity((b.len() / 24).clamp(4, MAX));
    let mut prints = [0u64; MAX];
    // A one-word Bloom filter over the fingerprints: most names skip the scan.
    let mut seen = 0u64;
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            if b.get(i) != Some(&b'"') || out.len() == MAX {
                return None;
            }
            let (end, escaped) = string(b, i + 1)?;
            if escaped {
                return None;
            }
            let key = i + 1..end;
            let print = fingerprint(&b[key.clone()]);
            let bit = 1u64 << (print % 64);
            if seen & bit != 0 {
                for (j, p) in prints[..out.len()].iter().enumerate() {
                    if *p == print
                        && let (MemberKey::At(k), _) = &out[j]
                        && b[k.clone()] == b[key.clone()]
                    {
                        return None;
                    }
                }
            }
            i = ws(b, end + 1);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = ws(b, i + 1);
            let start = i;
            match *b.get(i)? {
                b'"' => {
                    let (end, escaped) = string(b, i + 1)?;
                    i = end + 1;
                    if escaped {
                        crate::json::parse_strict(&b[start..i]).ok()?;
                    }
                }
                b'-' | b'0'..=b'9' => {
                    while i < b.len()
                        && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                    {
                        i += 1;
                    }
                    if !plain_integer(&b[start..i]) {
                        crate::json::parse_strict(&b[start..i]).ok()?;
                    }
                }
                b'{' | b'[' => {
                    i = nested(b, i)?;
                    crate::json::parse_strict(&b[start..i]).ok()?;
                }
                _ => {
                    let lit = [&b"true"[..], b"false", b"null"]
                        .into_iter()
                        .find(|l| b[i..].starts_with(l))?;
                    i += lit.len();
                }
            }
            prints[out.len()] = print;
            out.push((MemberKey::At(key), start..i));
            seen |= bit;
            i = ws(b, i);
            match b.get(i) {
                Some(b',') => i = ws(b, i + 1),
                Some(b'}') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (ws(b, i) == b.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value};

    /// The fast scanner never accepts what serde refuses, and finds the same
    /// members when it answers; it does answer for token-shaped payloads.
    fn agrees(text: &str) -> bool {
        let Some(fast) = members(text) else {
            return false;
        };
        match super::super::reference::members(text) {
            Ok(slow) => assert_eq!(fast, slow, "{text:?}"),
            Err(e) => panic!("fast path accepted what serde refuses ({e:?}): {text:?}"),
        }
        true
    }

    #[test]
    fn fast_scanner_answers_for_tokens() {
        let github = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/github/expired.jwt"
        ))
        .unwrap();
        let payload = github.trim().split('.').nth(1).unwrap();
        use base64::Engine;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap();
        assert!(agrees(std::str::from_utf8(&payload).unwrap()));
        for ok in [
            "{}",
            " { } ",
            r#"{"a":1,"b":-0,"c":"x","d":true,"e":false,"f":null}"#,
            r#"{"a": 1.5e3 , "b" :"q\"uote\\","c":[1,{"d":"]}"}],"e":{"f":{}}}"#,
            "{\"a\":\"\u{e9}t\u{e9}\"}",
        ] {
            assert!(agrees(ok), "{ok}");
        }
        for doubt in [
            r#"{"a":1,"a":2}"#,
            r#"{"\u0061":1}"#,
            r#"{"a":01}"#,
            r#"{"a":1e400}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":{"b":1,"b":2}}"#,
            r#"{"a":1,}"#,
            r#"{"a":1} x"#,
            r#"{"a":tru}"#,
            r#"{"a":truex}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{"a":"unterminated}"#,
            r#"{"a":[1,2}"#,
        ] {
            assert!(!agrees(doubt), "{doubt}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, .. Default::default() })]
        /// Mutations of a valid payload: any byte replaced, removed or inserted.
        #[test]
        fn fast_scanner_agrees_with_serde(
            at in 0usize..200,
            op in 0u8..3,
            byte in proptest::sample::select(b"{}[]\":,\\ \t-+.0123456789eEtrufalsn\x01\x7f".to_vec()),
        ) {
            let base = r#"{"sub":"repo:a/b","aud":["x","y"],"n":12,"f":-1.5e2,"o":{"k":[true,null]},"e":"a\nb","t":false}"#;
            let mut b = base.as_bytes().to_vec();
            let at = at % (b.len() + 1);
            match op {
                0 if at < b.len() => b[at] = byte,
                1 if at < b.len() => { b.remove(at); }
                _ => b.insert(at, byte),
            }
            if let Ok(text) = std::str::from_utf8(&b) {
                agrees(text);
            }
        }

        /// Arbitrary JSON objects, serialised compactly and pretty.
        #[test]
        fn fast_scanner_agrees_on_generated_objects(
            entries in proptest::collection::vec(("[a-z_.]{0,6}", proptest::prelude::any::<i64>(), "\\PC{0,8}"), 0..12),
        ) {
            let mut m = Map::new();
            for (i, (k, n, s)) in entries.into_iter().enumerate() {
                let v = match i % 3 { 0 => Value::from(n), 1 => Value::from(s), _ => serde_json::json!([n, {"s": s}]) };
                m.insert(k, v);
            }
            for text in [serde_json::to_string(&m).unwrap(), serde_json::to_string_pretty(&m).unwrap()] {
                proptest::prop_assert!(agrees(&text), "{}", text);
            }
        }
    }
}
