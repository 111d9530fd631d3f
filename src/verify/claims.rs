//! The checks on the claims: issuer, audience, the times (`exp`, `nbf`,
//! `iat`, `--max-age`), and the assertions of the policy.

use std::borrow::Cow;

use serde_json::Value;

use crate::claims::Claims;
use crate::clock;
use crate::error::Kind;
use crate::jwt::json_type;
use crate::policy::{self, Policy};
use crate::sanitize;

use super::report::{CheckName, Report};

/// A token valid for longer than this gets a warning (docs/hostile-inputs.md D3).
const LONG_LIFETIME: i64 = 366 * 86_400;

/// A claim that must be a string when present: `Ok(None)` when absent or
/// `null`, `Err` with the value when it is another JSON type. A string is
/// read in place; only other types are parsed into a value.
fn string_claim<'a>(claims: &'a Claims, name: &str) -> Result<Option<Cow<'a, str>>, Value> {
    if let Some(s) = claims.get_str(name) {
        return Ok(Some(s));
    }
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(Cow::Owned(s))),
        Some(v) => Err(v),
    }
}

/// `sub` and `jti` must be strings when present (RFC 7519 §4.1.2, §4.1.7):
/// an array `sub` would otherwise satisfy `--claim 'sub~...'` through any one
/// element. Reported as the token's format, since no later check can be
/// trusted on such claims. (`iss` and `aud` are typed by their own checks.)
pub(super) fn check_string_claims(r: &mut Report, claims: &Claims) {
    for (name, section) in [("sub", "4.1.2"), ("jti", "4.1.7")] {
        if let Err(v) = string_claim(claims, name) {
            r.fail(
                CheckName::Format,
                Kind::Malformed,
                format!(
                    "{name} is {}; it must be a string (RFC 7519 §{section})",
                    json_type(&v)
                ),
            );
        }
    }
}

pub(super) fn check_issuer(r: &mut Report, claims: &Claims, policy: &Policy) {
    match (string_claim(claims, "iss"), &policy.issuer) {
        (Ok(Some(got)), Some(want)) if crate::issuer::iss_matches(want, &got) => {
            r.pass(CheckName::Issuer, format!("iss is {got}"))
        }
        (Ok(Some(got)), Some(want)) => {
            let hint = crate::issuer::near_miss(want, &got)
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            r.fail(
                CheckName::Issuer,
                Kind::IssuerMismatch,
                format!(
                    "iss is {:?}, expected {want:?}{hint}",
                    sanitize::truncate(&got, 200)
                ),
            );
        }
        (Ok(None), Some(want)) => r.fail(
            CheckName::Issuer,
            Kind::MissingClaim,
            format!("iss is missing, expected {want:?}"),
        ),
        (Err(v), _) => r.fail(
            CheckName::Issuer,
            Kind::Malformed,
            format!(
                "iss is {}; it must be a string (RFC 7519 §4.1.1)",
                json_type(&v)
            ),
        ),
        (Ok(_), None) => r.pass(CheckName::Issuer, "not pinned (no --issuer)"),
    }
}

pub(super) fn check_audience(r: &mut Report, claims: &Claims, policy: &Policy) {
    // One string (the usual case) is read in place; arrays are parsed.
    let one = claims.get_str("aud");
    let parsed = if one.is_none() {
        claims.get("aud")
    } else {
        None
    };
    let single: [&str; 1];
    let many: Vec<&str>;
    let (values, text): (&[&str], Option<&str>) = match (&one, &parsed) {
        (Some(s), _) => {
            single = [s];
            (&single, Some(s))
        }
        (None, None | Some(Value::Null)) => (&[], None),
        (None, Some(Value::String(s))) => {
            single = [s];
            (&single, Some(s))
        }
        (None, Some(Value::Array(a))) => {
            let strings: Result<Vec<&str>, &Value> =
                a.iter().map(|v| v.as_str().ok_or(v)).collect();
            match strings {
                Ok(v) => {
                    many = v;
                    (&many, None)
                }
                Err(v) => {
                    return r.fail(
                        CheckName::Audience,
                        Kind::Malformed,
                        format!(
                            "aud holds {}; it must hold only strings (RFC 7519 §4.1.3)",
                            json_type(v)
                        ),
                    );
                }
            }
        }
        (None, Some(v)) => {
            return r.fail(
                CheckName::Audience,
                Kind::Malformed,
                format!(
                    "aud is {}; it must be a string or an array of strings (RFC 7519 §4.1.3)",
                    json_type(v)
                ),
            );
        }
    };
    let Some(expected) = &policy.audiences else {
        return r.pass(
            CheckName::Audience,
            "any audience accepted (--any-audience)",
        );
    };
    let missing = one.is_none() && matches!(parsed, None | Some(Value::Null));
    if missing {
        return r.fail(
            CheckName::Audience,
            Kind::MissingClaim,
            format!("aud is missing, expected {}", expected.join(" or ")),
        );
    }
    if let Some(hit) = values.iter().find(|v| expected.iter().any(|e| e == *v)) {
        return r.pass(CheckName::Audience, format!("aud holds {hit}"));
    }
    let mut hint = String::new();
    if values.is_empty() {
        hint = " (aud is an empty array)".into();
    } else if let Some(v) = values.iter().find(|v| {
        expected.iter().any(|e| {
            e.eq_ignore_ascii_case(v) || e.trim_end_matches('/') == v.trim_end_matches('/')
        })
    }) {
        hint = format!(" ({v:?} differs only in case or a trailing slash)");
    } else if let Some(s) = text
        && expected.iter().any(|e| s.split([' ', ',']).any(|p| p == e))
    {
        hint = " (aud is one string holding a list: an array of strings was expected)".into();
    }
    let shown = match (text, &parsed) {
        (Some(s), _) => format!("{:?}", sanitize::truncate(s, 120)),
        (None, Some(v)) => sanitize::truncate(&v.to_string(), 200),
        (None, None) => String::new(),
    };
    r.fail(
        CheckName::Audience,
        Kind::AudienceMismatch,
        format!("aud is {shown}, expected {}{hint}", expected.join(" or ")),
    );
}

pub(super) fn check_times(
    r: &mut Report,
    claims: &Claims,
    policy: &Policy,
    now: i64,
    warnings: &mut Vec<String>,
) {
    let leeway = policy.leeway;
    // A fraction never lets a token in: the end rounds down, starts round up.
    let date = |name: &str, round| {
        clock::time_claim(claims.get(name).as_ref(), round).map_err(|e| format!("{name} {e}"))
    };
    use clock::Round::{Down, Up};
    match date("exp", Down) {
        // Required, a `null` exp is a missing one; otherwise it is malformed.
        Err(_) if policy.require_exp && claims.get("exp") == Some(serde_json::Value::Null) => r.fail(
            CheckName::Exp,
            Kind::MissingClaim,
            "exp is null: a token must say when it expires (use --no-require-exp to accept tokens that never expire)",
        ),
        Err(e) => r.fail(CheckName::Exp, Kind::Malformed, e),
        Ok(None) if policy.require_exp => r.fail(
            CheckName::Exp,
            Kind::MissingClaim,
            "exp is missing (use --no-require-exp to accept tokens that never expire)",
        ),
        Ok(None) => r.pass(CheckName::Exp, "no exp (allowed by --no-require-exp)"),
        Ok(Some(exp)) => {
            if now as i128 >= exp as i128 + leeway as i128 {
                r.fail(
                    CheckName::Exp,
                    Kind::Expired,
                    format!(
                        "expired {} ago (leeway {leeway}s), at {}",
                        clock::human_duration((now as i128 - exp as i128).max(0) as u64),
                        clock::rfc3339(exp)
                    ),
                );
            } else {
                let mut d = String::with_capacity(48);
                d.push_str("expires ");
                clock::push_relative(&mut d, exp, now);
                d.push_str(" (");
                clock::push_rfc3339(&mut d, exp);
                d.push(')');
                r.pass(CheckName::Exp, d);
                if exp as i128 - now as i128 > LONG_LIFETIME as i128 {
                    warnings.push(format!(
                        "token is valid for {} more: consider --max-age",
                        clock::human_duration(
                            (exp as i128 - now as i128).min(u64::MAX as i128) as u64
                        )
                    ));
                }
            }
        }
    }
    // `nbf` and `iat` fail alike when later than now plus the leeway.
    let too_late = |t: i64| t as i128 > now as i128 + leeway as i128;
    let late = |what: &str, t: i64| {
        format!(
            "{what} {} ({}, leeway {leeway}s)",
            clock::rfc3339(t),
            clock::relative(t, now)
        )
    };
    match date("nbf", Up) {
        Err(e) => r.fail(CheckName::Nbf, Kind::Malformed, e),
        Ok(Some(nbf)) if too_late(nbf) => r.fail(
            CheckName::Nbf,
            Kind::NotYetValid,
            late("not valid until", nbf),
        ),
        Ok(Some(nbf)) => {
            let mut d = String::with_capacity(32);
            d.push_str("valid since ");
            clock::push_rfc3339(&mut d, nbf);
            r.pass(CheckName::Nbf, d)
        }
        Ok(None) => {}
    }
    match date("iat", Up) {
        Err(e) => r.fail(CheckName::Iat, Kind::Malformed, e),
        Ok(Some(iat)) if too_late(iat) => r.fail(
            CheckName::Iat,
            Kind::IssuedInFuture,
            late("issued in the future:", iat),
        ),
        Ok(Some(iat)) => {
            let mut d = String::with_capacity(24);
            d.push_str("issued ");
            clock::push_relative(&mut d, iat, now);
            r.pass(CheckName::Iat, d);
            if let Some(max) = policy.max_age {
                let age = now as i128 - iat as i128;
                if age > max as i128 + leeway as i128 {
                    r.fail(
                        CheckName::MaxAge,
                        Kind::TooOld,
                        format!(
                            "issued {} ago, more than --max-age {max}s (leeway {leeway}s)",
                            clock::human_duration(age as u64)
                        ),
                    );
                } else {
                    r.pass(CheckName::MaxAge, format!("issued within {max}s"));
                }
            }
        }
        Ok(None) if policy.max_age.is_some() => r.fail(
            CheckName::MaxAge,
            Kind::MissingClaim,
            "iat is missing and --max-age needs it",
        ),
        Ok(None) => {}
    }
    // OpenID Connect's auth_time (Core §2) is a NumericDate too: typed and
    // range-checked like the others, not compared with the clock.
    match date("auth_time", Up) {
        Err(e) => r.fail(CheckName::AuthTime, Kind::Malformed, e),
        Ok(Some(at)) => {
            let mut d = String::with_capacity(32);
            d.push_str("authenticated ");
            clock::push_relative(&mut d, at, now);
            r.pass(CheckName::AuthTime, d)
        }
        Ok(None) => {}
    }
}

/// `--claim`, `--require` and `--assert`, in that order.
pub(super) fn check_assertions(r: &mut Report, header: &Claims, claims: &Claims, policy: &Policy) {
    for a in &policy.claims {
        // A top-level string claim (the usual case) is compared in place; any
        // other value, a dotted path, a missing claim or a failure goes
        // through `check_value`, which also words the failure.
        let in_place = claims.get_str(&a.name).is_some_and(|s| a.holds_on_str(&s));
        let result = if in_place {
            Ok(())
        } else {
            a.check_value(claims.lookup(&a.name).as_ref())
        };
        match result {
            Ok(()) => r.pass(CheckName::Claim, a.holds_text().to_string()),
            Err(e) => {
                let hint = crate::mistakes::claim_hint(&a.to_string())
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                r.fail(
                    CheckName::Claim,
                    e.kind,
                    format!("{a}: {}{hint}", e.message),
                )
            }
        }
    }
    for name in &policy.require {
        match claims.lookup(name) {
            Some(_) => r.pass(CheckName::Require, format!("`{name}` is present")),
            None => r.fail(
                CheckName::Require,
                Kind::MissingClaim,
                format!("claim `{name}` is missing"),
            ),
        }
    }
    for expr in &policy.asserts {
        match policy::run_assert(expr, claims.map(), header.map()) {
            Ok(()) => r.pass(CheckName::Assert, format!("{expr} holds")),
            Err(e) => r.fail(
                CheckName::Assert,
                Kind::AssertionFailed,
                format!("{expr}: {e}"),
            ),
        }
    }
}
