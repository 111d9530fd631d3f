//! The checks on the JOSE header: its shape (`alg`, `crit`, `b64`, `kid`,
//! `cty`), the algorithm allow-list, and `typ`.

use serde_json::Value;

use crate::claims::Claims;
use crate::error::{Error, Kind};
use crate::jwt::{Jws, json_type};
use crate::keys::{self, Alg};
use crate::policy::Policy;
use crate::sanitize;

use super::report::{CheckName, Report};

/// A header naming `crit` or `b64` is refused as such even when the payload
/// does not parse (RFC 7797 detached or unencoded payloads, docs/hostile-inputs.md A10):
/// "not implemented" is the real reason, not the empty or non-JSON payload.
pub(super) fn crit_first(token: &str, e: Error) -> Error {
    if e.kind != Kind::Malformed
        || token.len() > crate::input::MAX_INPUT
        || token.split('.').count() != 3
    {
        return e;
    }
    let header = token.split('.').next().unwrap_or_default();
    let Ok(bytes) = crate::jwt::b64::decode(header) else {
        return e;
    };
    match crate::json::parse_strict(&bytes) {
        Ok(Value::Object(h)) if h.contains_key("crit") || h.contains_key("b64") => Error::new(
            Kind::CritUnsupported,
            format!(
                "header `crit`/`b64` names extensions oidcat does not implement (RFC 7797 unencoded payloads are not supported); also: {}",
                e.message
            ),
        ),
        _ => e,
    }
}

/// Header rules beyond JSON shape (docs/hostile-inputs.md A9, A10, B1, B8, D12).
pub(super) fn check_header(jws: &Jws) -> Result<(), Error> {
    let h = &jws.header;
    // A member that is not a string, named with its JSON type.
    let not_string = |name: &str| {
        h.get_text(name).filter(|t| !t.starts_with('"')).map(|_| {
            let v = h.get(name).unwrap_or_default();
            Error::malformed(format!(
                "header `{name}` is {}, not a string",
                json_type(&v)
            ))
        })
    };
    if !h.contains_key("alg") {
        return Err(Error::malformed("header has no `alg`"));
    }
    if let Some(e) = not_string("alg") {
        return Err(e);
    }
    if let Some(crit) = h.get_text("crit") {
        return Err(Error::new(
            Kind::CritUnsupported,
            format!(
                "header `crit` {} names extensions oidcat does not implement (none are)",
                sanitize::truncate(crit, 80)
            ),
        ));
    }
    if h.contains_key("b64") {
        return Err(Error::new(
            Kind::CritUnsupported,
            "header `b64` (RFC 7797 unencoded payload) is not supported",
        ));
    }
    for name in ["kid", "typ", "cty"] {
        if let Some(e) = not_string(name) {
            return Err(e);
        }
    }
    if let Some(kid) = h.get_str("kid")
        && kid.len() > keys::MAX_KID
    {
        return Err(Error::malformed(format!(
            "header `kid` is {} bytes (at most {})",
            kid.len(),
            keys::MAX_KID
        )));
    }
    if let Some(cty) = h.get_str("cty")
        && cty
            .trim_start_matches("application/")
            .eq_ignore_ascii_case("jwt")
    {
        return Err(Error::malformed(
            "nested JWT (`cty: JWT`) is not supported: the inner token would escape these checks",
        ));
    }
    Ok(())
}

/// The `algorithm` check: `alg` must parse and be in the allow-list.
/// Returns the algorithm to verify with, or `None` when it is refused.
/// `secret_len` gives the length of the HMAC secret, when one was given: it
/// is asked only to explain an HS* token the policy does not allow.
pub(super) fn check_algorithm(
    r: &mut Report,
    jws: &Jws,
    policy: &Policy,
    secret_len: impl FnOnce() -> Option<usize>,
) -> Option<Alg> {
    let alg_text = jws.alg().unwrap_or_default();
    let parsed = Alg::parse(&alg_text);
    if let Some(a) = parsed
        && policy.algs.contains(&a)
    {
        r.pass(CheckName::Algorithm, a.allowed_text());
        return Some(a);
    }
    let why = if alg_text.eq_ignore_ascii_case("none") {
        "unsigned tokens (`none`) are never accepted".to_string()
    } else if parsed.is_none() {
        format!("{} is not supported", sanitize::truncate(&alg_text, 32))
    } else if let Some(a) = parsed.filter(|a| a.is_hmac()) {
        let need = crate::keys::min_secret_len(a);
        match secret_len() {
            // A secret was given, shorter than this algorithm needs.
            Some(len) if len < need => {
                r.fail(
                    CheckName::Algorithm,
                    Kind::Usage,
                    format!(
                        "{} needs a secret of at least {need} bytes (RFC 7518 §3.2); the secret given has {len}, enough for {} only",
                        a.name(),
                        Alg::list(&policy.algs)
                    ),
                );
                return None;
            }
            Some(_) => format!(
                "{} is not allowed (allowed: {})",
                a.name(),
                Alg::list(&policy.algs)
            ),
            None => format!(
                "{} needs a shared secret (--secret-file or --secret-env); allowed: {}",
                a.name(),
                Alg::list(&policy.algs)
            ),
        }
    } else {
        format!(
            "{alg_text} is not allowed (allowed: {})",
            Alg::list(&policy.algs)
        )
    };
    r.fail(CheckName::Algorithm, Kind::AlgNotAllowed, why);
    None
}

/// `typ` compares case-insensitively with an optional `application/` (RFC 7515 §4.1.9).
pub fn normalize_typ(t: &str) -> String {
    let lower = t.to_ascii_lowercase();
    lower
        .strip_prefix("application/")
        .unwrap_or(&lower)
        .to_string()
}

pub(super) fn check_typ(r: &mut Report, header: &Claims, policy: &Policy) {
    let Some(want) = &policy.typ else { return };
    match header.get_str("typ").as_deref() {
        Some(t) if normalize_typ(t) == normalize_typ(want) => r.pass(
            CheckName::Typ,
            format!("typ is {}", sanitize::truncate(t, 40)),
        ),
        Some(t) => r.fail(
            CheckName::Typ,
            Kind::TypMismatch,
            format!("typ is {:?}, expected {want:?}", sanitize::truncate(t, 40)),
        ),
        None => r.fail(
            CheckName::Typ,
            Kind::TypMismatch,
            format!("header has no typ, expected {want:?}"),
        ),
    }
}
