//! The core: token + keys + policy + clock -> [`Verdict`]. Shared by the
//! `verify` command and `serve`. Never prints, never exits, knows no HTTP
//! server; sees keys only through [`KeyProvider`].
//!
//! Every check is evaluated and reported, so a token with a bad signature that
//! is also expired says both. `valid` is true only when a key from the
//! configured source verified the signature *and* every check held; the
//! claims of any other token are reported but never trusted.
//!
//! [`verify`] below is the pipeline, in the order the checks are reported
//! (docs/reference.md); each check lives in `header`, `signature` or
//! `claims`; `report` holds what they report and `verdict` the answer.

mod claims;
mod header;
mod report;
mod route;
mod signature;
mod verdict;

pub use header::normalize_typ;
pub use report::{Check, CheckName, ErrorInfo, KeyInfo, Text};
pub use route::{Decision, decide, issuer_of};
pub use signature::MAX_TRIES;
pub use verdict::Verdict;

// Former homes, kept so callers (tests, benches) need no change.
pub use crate::keys::{KeyProvider, StaticKeys, secret_key};
pub use crate::policy::Policy;

use crate::error::Kind;
use crate::jwt;
use crate::keys::Alg;
use report::Report;
use signature::SigError;

/// The default allow-list (docs/reference.md); HS* only with a secret.
pub const DEFAULT_ALGS: [Alg; Alg::DEFAULT.len()] = Alg::DEFAULT;

/// Whether a key-set warning ("key KID skipped: WHY") only repeats what the
/// verdict's error already says (the token's `kid` named that key).
pub fn said_by_error(warning: &str, v: &Verdict) -> bool {
    let Some(e) = &v.error else { return false };
    e.kind == Kind::KeyNotFound
        && warning.split_once(" skipped: ").is_some_and(|(key, why)| {
            key.strip_prefix("key ")
                .is_some_and(|kid| e.message.contains(&format!("kid {kid} ")))
                && e.message.ends_with(why)
        })
}

/// Verifies `token` at Unix time `now`.
pub fn verify(token: &str, provider: &dyn KeyProvider, policy: &Policy, now: i64) -> Verdict {
    verify_parsed(token, jwt::parse_jws(token), provider, policy, now)
}

/// [`verify`] of a token already parsed by [`jwt::parse_jws`] (`decide`
/// reads `iss` from it to choose the issuer, and parses only once).
pub(crate) fn verify_parsed(
    token: &str,
    parsed: crate::error::Result<jwt::Jws>,
    provider: &dyn KeyProvider,
    policy: &Policy,
    now: i64,
) -> Verdict {
    let mut r = Report::new();
    let mut warnings = Vec::new();
    let jws = match parsed.and_then(|j| header::check_header(&j).map(|_| j)) {
        Ok(j) => j,
        Err(e) => {
            let e = header::crit_first(token, e);
            r.fail(CheckName::Format, e.kind, e.message);
            return Verdict {
                valid: false,
                header: None,
                claims: None,
                key: None,
                checks: r.checks,
                error: r.error,
                warnings,
            };
        }
    };
    r.pass(CheckName::Format, "compact JWS, strict base64url and JSON");
    claims::check_string_claims(&mut r, &jws.claims);

    let alg = header::check_algorithm(&mut r, &jws, policy, || {
        // A secret is the only source of HMAC keys: ask for it only then.
        if !policy.algs.iter().any(|a| a.is_hmac()) {
            return None;
        }
        let set = provider.current().ok()?;
        set.keys.iter().find_map(|k| match &k.material {
            crate::keys::Material::Hmac { k } => Some(k.len()),
            _ => None,
        })
    });

    let mut key_info = None;
    match alg {
        None => r.fail(
            CheckName::Signature,
            Kind::BadSignature,
            "not checked: the algorithm is not allowed",
        ),
        Some(alg) => match signature::check_signature(&jws, alg, provider, &mut warnings) {
            Ok(_) if jws.noncanonical_signature.is_some() => {
                r.fail(
                    CheckName::Format,
                    Kind::Malformed,
                    "the signature's base64url has non-zero unused bits: a re-encoded signature is not accepted",
                );
            }
            Ok((i, set)) => {
                let done = set.memo.success(&set, i, alg);
                r.pass(CheckName::Key, Text::Shared(done.key_detail.clone()));
                r.pass(
                    CheckName::Signature,
                    Text::Shared(done.signature_detail.clone()),
                );
                key_info = Some(done.info.clone());
            }
            Err(SigError { check, error }) => {
                r.fail(check, error.kind, error.message);
                if check == CheckName::Key {
                    r.fail(
                        CheckName::Signature,
                        Kind::BadSignature,
                        "not checked: no usable key",
                    );
                }
            }
        },
    }

    let claims = &jws.claims;
    claims::check_issuer(&mut r, claims, policy);
    claims::check_audience(&mut r, claims, policy);
    claims::check_times(&mut r, claims, policy, now, &mut warnings);
    header::check_typ(&mut r, &jws.header, policy);
    claims::check_assertions(&mut r, &jws.header, claims, policy);

    let valid = r.error.is_none() && key_info.is_some();
    Verdict {
        valid,
        header: Some(jws.header),
        claims: Some(jws.claims),
        key: key_info,
        checks: r.checks,
        error: r.error,
        warnings,
    }
}
