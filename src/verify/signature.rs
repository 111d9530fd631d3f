//! The `key` and `signature` checks: pick the keys that may verify the
//! token (by `kid`, then by [`keys::fits`]), refetching once when the `kid`
//! is unknown, and try at most [`MAX_TRIES`] of them.

use std::sync::Arc;

use crate::clock;
use crate::error::{Error, Kind};
use crate::jwt::Jws;
use crate::keys::{self, Alg, Key, KeyProvider, KeySet};
use crate::sanitize;

use super::report::CheckName;

/// Most keys tried for a token without `kid` (docs/hostile-inputs.md B9).
pub const MAX_TRIES: usize = 8;

/// Why the key or signature check failed: which of the two, and the error
/// (its kind and the detail).
#[derive(Debug)]
pub(super) struct SigError {
    pub check: CheckName,
    pub error: Error,
}

impl SigError {
    fn new(check: CheckName, kind: Kind, detail: impl Into<String>) -> SigError {
        SigError {
            check,
            error: Error::new(kind, detail),
        }
    }
}

/// The index in the returned set of the key that verified the signature.
pub(super) fn check_signature(
    jws: &Jws,
    alg: Alg,
    provider: &dyn KeyProvider,
    warnings: &mut Vec<String>,
) -> Result<(usize, Arc<KeySet>), SigError> {
    let kid = jws.header.get_str("kid");
    let kid = kid.as_deref();
    let mut set = provider.current().map_err(|error| SigError {
        check: CheckName::Key,
        error,
    })?;
    let has_kid = |s: &KeySet| {
        s.single || kid.is_none_or(|k| s.keys.iter().any(|key| key.kid.as_deref() == Some(k)))
    };
    if !has_kid(&set) {
        match provider.refresh() {
            Ok(Some(newer)) => set = newer,
            Ok(None) => {}
            Err(e) => {
                return Err(SigError::new(
                    CheckName::Key,
                    e.kind,
                    format!(
                        "kid not in the cached key set and refetching failed: {}",
                        e.message
                    ),
                ));
            }
        }
    }
    // A single key the user named (--key, a secret) has no kid to compare.
    let by_kid: Vec<&Key> = set
        .keys
        .iter()
        .filter(|k| kid.is_none() || k.kid.as_deref() == kid || (set.single && k.kid.is_none()))
        .collect();
    if by_kid.is_empty() {
        let kid = kid.unwrap_or_default();
        if let Some(why) = set.refused_reason(kid) {
            return Err(SigError::new(
                CheckName::Key,
                Kind::KeyNotFound,
                format!(
                    "the key with kid {} in {} was refused when the key set was read: {why}",
                    sanitize::truncate(kid, 64),
                    set.source,
                ),
            ));
        }
        // A local file has no fetch age worth saying.
        let age = if set.local {
            String::new()
        } else {
            format!(
                " (fetched {} ago)",
                clock::human_duration(
                    clock::system_now().saturating_sub(set.fetched_at).max(0) as u64
                )
            )
        };
        return Err(SigError::new(
            CheckName::Key,
            Kind::KeyNotFound,
            format!(
                "no key with kid {} in {}{age}; it holds: {}",
                sanitize::truncate(kid, 64),
                set.source,
                set.kids()
            ),
        ));
    }
    let mut fitting = Vec::new();
    let mut reasons = Vec::new();
    for k in by_kid {
        match keys::fits(k, alg) {
            Ok(()) => fitting.push(k),
            Err(why) => reasons.push(format!("key {} {why}", k.label())),
        }
    }
    if fitting.is_empty() {
        // The algorithm itself is allowed (that check passed): what failed is
        // the key, so the kind is the key check's (docs/json.md).
        return Err(SigError::new(
            CheckName::Key,
            Kind::KeyNotFound,
            format!("no key fits {}: {}", alg.name(), reasons.join("; ")),
        ));
    }
    if fitting.len() > MAX_TRIES {
        warnings.push(format!(
            "{} keys fit and the token has no kid: only the first {MAX_TRIES} are tried",
            fitting.len()
        ));
        fitting.truncate(MAX_TRIES);
    }
    // The signature bytes were decoded once by the parser (leniently as to
    // unused trailing bits, so a re-encoded valid signature is told apart as
    // `malformed` by the caller); each key was parsed once for aws-lc-rs.
    for k in &fitting {
        if k.verify_signature(alg, jws.signing_input(), &jws.signature) {
            let i = set
                .keys
                .iter()
                .position(|x| std::ptr::eq(x, *k))
                .unwrap_or_default();
            return Ok((i, set.clone()));
        }
    }
    let tried: Vec<String> = fitting.iter().map(|k| k.label()).collect();
    let hint = fitting
        .iter()
        .find_map(|k| newline_hint(k, alg, jws))
        .unwrap_or_default();
    Err(SigError::new(
        CheckName::Signature,
        Kind::BadSignature,
        format!(
            "the signature does not verify with {} ({}){hint}",
            if tried.len() == 1 {
                "key"
            } else {
                "any of the keys"
            },
            tried.join(", ")
        ),
    ))
}

/// A shared secret ending in a newline (`echo secret > file` writes one)
/// that did not verify: say so, and whether it verifies without it.
fn newline_hint(k: &Key, alg: Alg, jws: &Jws) -> Option<String> {
    let keys::Material::Hmac { k: secret } = &k.material else {
        return None;
    };
    if !secret.ends_with(b"\n") {
        return None;
    }
    let trimmed = secret.trim_ascii_end();
    let verifies = {
        use aws_lc_rs::hmac;
        let a = match alg {
            Alg::HS256 => hmac::HMAC_SHA256,
            Alg::HS384 => hmac::HMAC_SHA384,
            Alg::HS512 => hmac::HMAC_SHA512,
            _ => return None,
        };
        hmac::verify(
            &hmac::Key::new(a, trimmed),
            jws.signing_input(),
            &jws.signature,
        )
        .is_ok()
    };
    Some(if verifies {
        "; the secret ends in a newline, and the signature verifies without it: write the secret file without one (printf '%s' \"$SECRET\" > FILE, or echo -n)".to_string()
    } else {
        "; note: the secret ends in a newline, which is part of the secret (printf '%s' or echo -n writes a file without one)".to_string()
    })
}
