//! Second stage of arguments: clap's key-source and policy flags become a
//! resolved [`KeySource`] and [`Policy`], rejecting bad input at the edge
//! (exit 2) before any network access. Shared by `verify` and `serve`.

use std::path::PathBuf;
use std::sync::Arc;

use crate::cli::{KeySourceArgs, PolicyArgs};
use crate::error::{Error, Result};
use crate::issuer;
use crate::keys::{self, Alg, KeySet};
use crate::policy::{self, ClaimAssertion, Policy, ci::CiFlags};

#[derive(Debug, Clone)]
pub enum KeySource {
    /// Discovery, then its `jwks_uri`.
    Issuer(String),
    JwksUri(String),
    JwksFile(PathBuf),
    /// `--key` or a secret: loaded already.
    Static(Arc<KeySet>),
    /// Discovery from the token's own `iss` (CLI only).
    IssuerFromToken,
}

const NO_AUDIENCE: &str = "no audience: give --audience AUD (repeatable) for the audience this token must be for, or --any-audience to accept any";

const NO_SOURCE: &str = "no key source: give --issuer ISSUER, --jwks-uri URL, --jwks-file PATH, --key PATH, \
--secret-file PATH or --secret-env VAR (or --issuer-from-token, which proves consistency, not trust)";

fn read_secret_file(path: &std::path::Path) -> Result<Vec<u8>> {
    crate::input::read_bounded(path, 64 * 1024)
        .map_err(|e| Error::usage(format!("--secret-file {}: {e}", path.display())).with_source(e))?
        .ok_or_else(|| {
            Error::usage(format!(
                "--secret-file {}: larger than 64 KiB",
                path.display()
            ))
        })
}

/// Resolves flags into a key source and a policy. `from_token` is
/// `--issuer-from-token` (never available to `serve`).
pub fn resolve(
    k: &KeySourceArgs,
    p: &PolicyArgs,
    allow_http: bool,
    from_token: bool,
) -> Result<(KeySource, Policy)> {
    // Cheap, local validation first: a bad flag never costs a network round trip.
    for expr in &p.assert {
        policy::validate_assert(expr).map_err(Error::usage)?;
    }
    let claims = p
        .claim
        .iter()
        .map(|c| c.parse::<ClaimAssertion>().map_err(Error::usage))
        .collect::<Result<Vec<_>>>()?;
    let no_source = k.issuer.is_none()
        && k.jwks_uri.is_none()
        && k.jwks_file.is_none()
        && k.key.is_none()
        && k.secret_file.is_none()
        && k.secret_env.is_none()
        && !from_token;
    let audiences = if p.any_audience {
        None
    } else if p.audience.is_empty() {
        // Every missing choice in one error, so one run tells the whole fix.
        return Err(Error::usage(if no_source {
            format!("two choices are missing: {NO_SOURCE}; and {NO_AUDIENCE}")
        } else {
            NO_AUDIENCE.to_string()
        }));
    } else {
        Some(p.audience.clone())
    };
    let mut explicit = Vec::new();
    for a in &p.alg {
        if a.eq_ignore_ascii_case("none") {
            return Err(Error::usage(
                "--alg none: unsigned tokens are never accepted",
            ));
        }
        explicit.push(Alg::parse(a).ok_or_else(|| {
            let hs: Vec<&str> = Alg::ALL
                .iter()
                .filter(|a| a.is_hmac())
                .map(|a| a.name())
                .collect();
            Error::usage(format!(
                "--alg {a:?} is not supported: use {}, or {} with a secret",
                Alg::list(&Alg::DEFAULT),
                hs.join("/")
            ))
        })?);
    }
    let secret = match (&k.secret_file, &k.secret_env) {
        (Some(path), _) => Some(read_secret_file(path)?),
        (None, Some(var)) => Some(
            std::env::var_os(var)
                .ok_or_else(|| {
                    Error::usage(format!("--secret-env {var}: the variable is not set"))
                })?
                .into_encoded_bytes(),
        ),
        _ => None,
    };
    let issuer_pin = match &k.issuer {
        Some(i) => {
            let i = issuer::resolve(i);
            crate::mistakes::issuer_is_discovery_url("--issuer", &i)?;
            issuer::validate(&i, allow_http)?;
            Some(i)
        }
        None => None,
    };
    // The CI claim flags apply to the pinned issuer's claim names (a usage
    // error for any other issuer), and are reported before --claim's.
    let ci = CiFlags {
        repo: p.ci.repo.clone(),
        git_ref: p.ci.git_ref.clone(),
        workflow: p.ci.workflow.clone(),
        environment: p.ci.environment.clone(),
        event: p.ci.event.clone(),
    };
    let claims: Vec<ClaimAssertion> = policy::ci::resolve(&ci, issuer_pin.as_deref())
        .map_err(Error::usage)?
        .into_iter()
        .chain(claims)
        .collect();
    let (source, algs) = if let Some(secret) = secret {
        let (key, hs) = keys::secret_key(secret, &explicit)?;
        if explicit.iter().any(|a| !a.is_hmac()) {
            return Err(Error::usage(
                "with a secret only HS256, HS384 and HS512 can be verified",
            ));
        }
        (
            KeySource::Static(Arc::new(KeySet::single(key, "secret"))),
            hs,
        )
    } else {
        if let Some(a) = explicit.iter().find(|a| a.is_hmac()) {
            return Err(Error::usage(format!(
                "--alg {}: HMAC algorithms need --secret-file or --secret-env (a public key is never used as an HMAC secret)",
                a.name()
            )));
        }
        let algs = if explicit.is_empty() {
            Alg::DEFAULT.to_vec()
        } else {
            explicit
        };
        let source = if let Some(u) = &k.jwks_uri {
            KeySource::JwksUri(u.clone())
        } else if let Some(f) = &k.jwks_file {
            KeySource::JwksFile(f.clone())
        } else if let Some(path) = &k.key {
            let bytes = crate::input::read_document(path, crate::http::MAX_BODY)
                .map_err(|e| Error::usage(format!("--key {}: {e}", path.display())).with_source(e))?
                .ok_or_else(|| {
                    Error::usage(format!("--key {}: larger than 1 MiB", path.display()))
                })?;
            let label = path.display().to_string();
            let key = keys::pem::load_key_file(&bytes, &label).map_err(Error::usage)?;
            KeySource::Static(Arc::new(KeySet::single(key, &label)))
        } else if let Some(i) = &issuer_pin {
            KeySource::Issuer(i.clone())
        } else if from_token {
            KeySource::IssuerFromToken
        } else {
            return Err(Error::usage(NO_SOURCE));
        };
        (source, algs)
    };
    let policy = Policy {
        algs,
        issuer: issuer_pin,
        audiences,
        require_exp: !p.no_require_exp,
        leeway: p.leeway as i64,
        max_age: p.max_age.map(|m| m.min(i64::MAX as u64) as i64),
        typ: p.typ.clone(),
        claims,
        require: p.require.clone(),
        asserts: p.assert.clone(),
    };
    Ok((source, policy))
}
