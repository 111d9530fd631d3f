//! Differential: `serve`'s compact JSON writer against serde.
//!
//! `push_json_str` must write exactly the bytes serde_json writes for any
//! string; `Verdict::to_json_compact` must write the same JSON value as
//! serde for a verdict of any shape built from the input (claims and header
//! as raw text, pretty or compact, with escapes; every check name and
//! error kind; texts that need escaping).
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use oidcat::claims::Claims;
use oidcat::error::Kind;
use oidcat::serve::json::{push_json_str, push_json_str_reference, reference};
use oidcat::verify::{Check, CheckName, ErrorInfo, KeyInfo, Text, Verdict};
use serde_json::{Map, Value};

const CHECKS: [CheckName; 16] = {
    use CheckName::*;
    [
        Token, Format, Algorithm, Key, Signature, Issuer, Audience, Exp, Nbf, Iat, AuthTime,
        MaxAge, Typ, Claim, Require, Assert,
    ]
};

fn string(u: &mut Unstructured) -> Result<String> {
    let s: String = u.arbitrary()?;
    Ok(s)
}

fn value(u: &mut Unstructured, depth: u8) -> Result<Value> {
    Ok(match u.int_in_range(0..=7)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => Value::from(u.arbitrary::<u64>()?),
        4 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
        5 if depth < 3 => Value::Array(
            (0..u.int_in_range(0..=3)?)
                .map(|_| value(u, depth + 1))
                .collect::<Result<_>>()?,
        ),
        6 if depth < 3 => Value::Object(object(u, depth + 1)?),
        _ => Value::String(string(u)?),
    })
}

fn object(u: &mut Unstructured, depth: u8) -> Result<Map<String, Value>> {
    let mut m = Map::new();
    for _ in 0..u.int_in_range(0..=6)? {
        m.insert(string(u)?, value(u, depth)?);
    }
    Ok(m)
}

/// Claims as a token carries them: an object written compactly, pretty, or
/// padded with JSON whitespace; or whatever text the input holds, when it
/// parses.
fn claims(u: &mut Unstructured) -> Result<Option<Claims>> {
    let text = match u.int_in_range(0..=4)? {
        0 => return Ok(None),
        1 => serde_json::to_string(&object(u, 0)?).unwrap_or_default(),
        2 => serde_json::to_string_pretty(&object(u, 0)?).unwrap_or_default(),
        3 => format!(
            " \t\n{}\r\n ",
            serde_json::to_string(&object(u, 0)?).unwrap_or_default()
        ),
        _ => string(u)?,
    };
    Ok(Claims::parse(text.into_bytes()).ok())
}

fn text(u: &mut Unstructured) -> Result<Text> {
    Ok(match u.int_in_range(0..=2)? {
        0 => Text::Static("RS256 is allowed"),
        1 => Text::Shared(string(u)?.into()),
        _ => Text::Owned(string(u)?),
    })
}

fn verdict(u: &mut Unstructured) -> Result<Verdict> {
    let key = if u.arbitrary()? {
        Some(Arc::new(KeyInfo {
            kid: if u.arbitrary()? {
                Some(string(u)?)
            } else {
                None
            },
            alg: string(u)?,
            thumbprint: string(u)?,
            source: string(u)?,
        }))
    } else {
        None
    };
    let mut checks = Vec::new();
    for _ in 0..u.int_in_range(0..=14)? {
        checks.push(Check {
            check: *u.choose(&CHECKS)?,
            ok: u.arbitrary()?,
            detail: text(u)?,
        });
    }
    let error = if u.arbitrary()? {
        Some(ErrorInfo {
            kind: *u.choose(&Kind::ALL)?,
            message: string(u)?,
        })
    } else {
        None
    };
    Ok(Verdict {
        valid: u.arbitrary()?,
        header: claims(u)?,
        claims: claims(u)?,
        key,
        checks,
        error,
        warnings: vec![],
    })
}

fuzz_target!(|data: &[u8]| {
    // Strings byte for byte: the whole input (lossily UTF-8) after a prefix.
    let s = String::from_utf8_lossy(data);
    let mut fast = b"[".to_vec();
    push_json_str(&mut fast, &s);
    let mut slow = b"[".to_vec();
    push_json_str_reference(&mut slow, &s);
    assert_eq!(fast, slow, "string written differently: {s:?}");

    let mut u = Unstructured::new(data);
    let Ok(v) = verdict(&mut u) else { return };
    let fast = v.to_json_compact();
    let slow = reference(&v);
    // Read back with the strict parser: serde_json's own Value fails on an
    // object whose first member is named like its raw-value token.
    let fast: Value = match oidcat::json::parse_strict(&fast) {
        Ok(x) => x,
        Err(e) => panic!(
            "compact writer wrote invalid JSON ({e}): {}",
            String::from_utf8_lossy(&fast)
        ),
    };
    let slow: Value = oidcat::json::parse_strict(&slow).expect("serde writes JSON");
    assert_eq!(fast, slow, "verdict written differently: {v:?}");
});
