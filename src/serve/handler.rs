//! The request handler: a plain function from a request's parts to a
//! response, so tests drive it without a socket. It picks every HTTP status
//! of `serve`; the verdict comes from the shared verify core.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header};
use serde_json::Value;

use super::State;
use crate::error::{Category, Kind};
use crate::policy;
use crate::verify::{self, CheckName, Verdict};

/// A finished answer plus what the access log needs.
pub struct Answer {
    pub response: Response<Bytes>,
    pub kind: Option<Kind>,
}

pub(super) fn response(
    status: StatusCode,
    content_type: &'static str,
    body: Bytes,
) -> Response<Bytes> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn text(status: StatusCode, body: &'static str) -> Response<Bytes> {
    response(
        status,
        "text/plain; charset=utf-8",
        Bytes::from_static(body.as_bytes()),
    )
}

/// Routes a request. `query` is the raw query string of the request URI.
pub fn respond(
    state: &State,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Answer {
    let plain = |r| Answer {
        response: r,
        kind: None,
    };
    match path {
        "/healthz" => plain(text(StatusCode::OK, "ok\n")),
        "/readyz" if state.live.is_some() => plain(policy_ready(state)),
        "/readyz" if state.keys.is_loaded() => plain(text(StatusCode::OK, "ready\n")),
        "/readyz" => plain(text(
            StatusCode::SERVICE_UNAVAILABLE,
            "no key set loaded yet\n",
        )),
        "/metrics" if state.live.is_some() => {
            let mut body = state.metrics.render(0, 0, 0, false);
            if let Some(live) = &state.live {
                let rt = live.current();
                let sum = |f: fn(&super::keys::ServeKeys) -> u64| {
                    rt.keys.iter().map(|k| f(k)).sum::<u64>()
                };
                body = state.metrics.render(
                    sum(|k| k.refresh_ok.load(Ordering::Relaxed)),
                    sum(|k| k.refresh_failed.load(Ordering::Relaxed)),
                    rt.keys.iter().map(|k| k.key_count()).sum(),
                    rt.ready(),
                );
                body.push_str(&live.render());
            }
            plain(response(
                StatusCode::OK,
                "text/plain; version=0.0.4; charset=utf-8",
                Bytes::from(body),
            ))
        }
        "/metrics" => {
            let body = state.metrics.render(
                state.keys.refresh_ok.load(Ordering::Relaxed),
                state.keys.refresh_failed.load(Ordering::Relaxed),
                state.keys.key_count(),
                state.keys.is_loaded(),
            );
            plain(response(
                StatusCode::OK,
                "text/plain; version=0.0.4; charset=utf-8",
                Bytes::from(body),
            ))
        }
        p if p == "/verify" || p.starts_with("/verify/") => {
            let started = Instant::now();
            let answer = match &state.live {
                Some(live) => policy_request(live, method, path, query, headers),
                None => verify_request(state, method, query, headers),
            };
            state
                .metrics
                .record(answer.kind, started.elapsed().as_micros() as u64);
            answer
        }
        _ => plain(text(
            StatusCode::NOT_FOUND,
            "not found: use /verify, /healthz, /readyz or /metrics\n",
        )),
    }
}

/// The token of a request, or why there is none (RFC 6750 §2, docs/hostile-inputs.md F4).
enum Bearer<'a> {
    Token(&'a str),
    /// No credentials, or a scheme we do not take: a bare challenge.
    Missing(&'static str),
    /// Credentials present but unusable: `invalid_request`.
    Invalid(&'static str),
}

fn bearer<'a>(headers: &'a HeaderMap, query: Option<&str>) -> Bearer<'a> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let in_query = query.is_some_and(|q| q.split('&').any(|p| p.starts_with("access_token=")));
    let Some(first) = values.next() else {
        return if in_query {
            Bearer::Invalid("the token must be sent in the Authorization header, not the query")
        } else {
            Bearer::Missing("no Authorization header")
        };
    };
    if values.next().is_some() {
        return Bearer::Invalid("more than one Authorization header");
    }
    let Ok(v) = first.to_str() else {
        return Bearer::Invalid("the Authorization header is not ASCII");
    };
    let v = v.trim();
    let (scheme, rest) = v.split_once(' ').unwrap_or((v, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Bearer::Missing("the Authorization scheme is not Bearer");
    }
    if in_query {
        return Bearer::Invalid("a token in both the Authorization header and the query");
    }
    let token = rest.trim();
    if token.is_empty() {
        return Bearer::Invalid("the Bearer token is empty");
    }
    if token.len() > crate::input::MAX_INPUT {
        return Bearer::Invalid("the token is larger than 64 KiB");
    }
    Bearer::Token(token)
}

/// A fixed phrase per kind: never text from the token (docs/hostile-inputs.md F5).
fn description(kind: Kind) -> &'static str {
    use Kind::*;
    match kind {
        Malformed => "The token is malformed",
        EncryptedToken => "Encrypted tokens are not accepted",
        AlgNotAllowed => "The token algorithm is not allowed",
        KeyNotFound => "No key can verify the token",
        BadSignature => "The token signature is invalid",
        IssuerMismatch => "The token issuer is not accepted",
        AudienceMismatch => "The token audience is not accepted",
        Expired => "The token has expired",
        NotYetValid => "The token is not valid yet",
        IssuedInFuture => "The token was issued in the future",
        TooOld => "The token is too old",
        MissingClaim => "A required claim is missing",
        ClaimMismatch => "A claim does not match the policy",
        AssertionFailed => "An assertion on the claims failed",
        TypMismatch => "The token type is not accepted",
        CritUnsupported => "The token uses an unsupported critical extension",
        MissingToken => "No bearer token",
        RouteDenied => "The token may not call this route",
        Usage | FetchFailed | DiscoveryInvalid | JwksInvalid | OfflineMiss | Io => {
            "The token cannot be checked now"
        }
    }
}

/// Checks that put a valid token in 403 rather than 401 territory.
fn is_scope_check(check: CheckName) -> bool {
    use CheckName::*;
    match check {
        Audience | Claim | Require | Assert | Route => true,
        Token | Format | Algorithm | Key | Signature | Issuer | Exp | Nbf | Iat | AuthTime
        | MaxAge | Typ => false,
    }
}

/// The status of a verdict: its error's [`Category`] (undecided is 503), and
/// among rejections the failed checks (only scope checks on a token whose
/// signature held: 403; anything else: 401).
fn status_for(v: &Verdict) -> StatusCode {
    let category = match v.kind() {
        None if v.valid => return StatusCode::OK,
        None => Category::Rejected,
        Some(k) => k.category(),
    };
    let scope_only = || {
        v.key.is_some()
            && v.checks
                .iter()
                .filter(|c| !c.ok)
                .all(|c| is_scope_check(c.check))
    };
    match category {
        Category::Undecided => StatusCode::SERVICE_UNAVAILABLE,
        Category::Rejected | Category::Usage if scope_only() => StatusCode::FORBIDDEN,
        Category::Rejected | Category::Usage => StatusCode::UNAUTHORIZED,
    }
}

fn challenge(status: StatusCode, kind: Option<Kind>, request_error: bool) -> Option<HeaderValue> {
    let (error, k) = match (status, kind) {
        (StatusCode::UNAUTHORIZED, Some(Kind::MissingToken)) if !request_error => {
            return Some(HeaderValue::from_static("Bearer realm=\"oidcat\""));
        }
        (StatusCode::UNAUTHORIZED, Some(k)) if request_error => ("invalid_request", k),
        (StatusCode::UNAUTHORIZED, Some(k)) => ("invalid_token", k),
        (StatusCode::FORBIDDEN, Some(k)) => ("insufficient_scope", k),
        _ => return None,
    };
    HeaderValue::from_str(&format!(
        "Bearer realm=\"oidcat\", error=\"{error}\", error_description=\"{}\"",
        description(k)
    ))
    .ok()
}

/// A header value from a claim: arrays comma-joined; `None` when it holds
/// control characters (or is not valid in a header).
fn claim_header(v: &Value) -> Option<HeaderValue> {
    match v {
        // the usual `sub`: no copy through joined_text
        Value::String(s) => plain_header(s),
        other => plain_header(&policy::joined_text(other)),
    }
}

/// A string claim as a header value, on the rules of [`claim_header`].
fn plain_header(s: &str) -> Option<HeaderValue> {
    if s.chars().any(char::is_control) || s.len() > 4096 {
        return None;
    }
    HeaderValue::from_str(s).ok()
}

/// `--forward-claim` names with their headers, built once at start-up.
pub fn forward_claims(claims: &[String]) -> Vec<(String, http::HeaderName)> {
    claims
        .iter()
        .filter_map(|c| Some((c.clone(), forward_header_name(c)?)))
        .collect()
}

/// `X-Auth-Request-Claim-<Name>`: the claim path with non-token characters as `-`.
fn forward_header_name(claim: &str) -> Option<http::HeaderName> {
    let name: String = claim
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    http::HeaderName::from_bytes(format!("x-auth-request-claim-{name}").as_bytes()).ok()
}

fn verify_request(
    state: &State,
    method: &Method,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Answer {
    let (verdict, request_error) = match bearer(headers, query) {
        Bearer::Missing(why) => (Arc::new(Verdict::missing_token(why)), false),
        Bearer::Invalid(why) => (Arc::new(Verdict::missing_token(why)), true),
        Bearer::Token(token) => {
            let now = crate::clock::system_now();
            let generation = state.keys.generation.load(Ordering::Relaxed);
            let key = state
                .vcache
                .as_ref()
                .map(|_| crate::serve::vcache::VerifiedCache::key(token));
            let cached = state
                .vcache
                .as_ref()
                .zip(key.as_ref())
                .and_then(|(c, k)| c.get(k, now, generation));
            match cached {
                Some(v) => {
                    state.metrics.cache_hit();
                    (v, false)
                }
                None => {
                    let v = Arc::new(verify::verify(
                        token,
                        state.keys.as_ref(),
                        &state.policy,
                        now,
                    ));
                    if let (Some(c), Some(k)) = (&state.vcache, key)
                        && v.valid
                    {
                        c.put(
                            k,
                            v.clone(),
                            valid_until(&v, &state.policy, now),
                            now,
                            // the set it was verified with: a rotation meanwhile makes it stale
                            generation,
                        );
                    }
                    (v, false)
                }
            }
        }
    };
    reply(&verdict, request_error, method, &state.forward_claims)
}

/// The answer to a verdict: status, challenge, body and identity headers.
fn reply(
    verdict: &Verdict,
    request_error: bool,
    method: &Method,
    forward_claims: &[(String, http::HeaderName)],
) -> Answer {
    let status = if request_error {
        StatusCode::UNAUTHORIZED
    } else {
        status_for(verdict)
    };
    let body = if method == Method::HEAD {
        Bytes::new()
    } else {
        Bytes::from(verdict.to_json_compact())
    };
    let mut r = response(status, "application/json", body);
    let h = r.headers_mut();
    if let Some(c) = challenge(status, verdict.kind(), request_error) {
        h.insert(header::WWW_AUTHENTICATE, c);
    }
    if status == StatusCode::OK
        && let Some(claims) = verdict.trusted()
    {
        for (name, claim) in [
            ("x-auth-request-user", "sub"),
            ("x-auth-request-email", "email"),
            ("x-auth-request-preferred-username", "preferred_username"),
            ("x-auth-request-groups", "groups"),
        ] {
            if let Some(v) = claims.get(claim).as_ref().and_then(claim_header) {
                h.insert(http::HeaderName::from_static(name), v);
            }
        }
        for (claim, name) in forward_claims {
            if let Some(v) = claims.lookup(claim).as_ref().and_then(claim_header) {
                h.insert(name.clone(), v);
            }
        }
    }
    Answer {
        response: r,
        kind: verdict.kind(),
    }
}

/// `/readyz` with a policy file: 200 when every issuer has keys, else 503
/// naming those that do not (their tokens get 503; the others go on).
fn policy_ready(state: &State) -> Response<Bytes> {
    let Some(live) = &state.live else {
        return text(StatusCode::SERVICE_UNAVAILABLE, "no policy\n");
    };
    let rt = live.current();
    let missing: Vec<&str> = rt
        .file
        .issuers
        .iter()
        .zip(&rt.keys)
        .filter(|(_, k)| !k.is_loaded())
        .map(|(i, _)| i.name.as_str())
        .collect();
    if missing.is_empty() {
        return text(StatusCode::OK, "ready\n");
    }
    response(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/plain; charset=utf-8",
        Bytes::from(format!(
            "no keys yet for issuer(s): {}\n",
            crate::sanitize::escape(&missing.join(", "))
        )),
    )
}

/// The request a policy's routes see: path, host and method from the
/// gateway's headers (docs/policy.md#the-request), normalised.
pub fn policy_request_of(method: &Method, path: &str, headers: &HeaderMap) -> policy::Request {
    let h = |n: &http::HeaderName| headers.get(n).and_then(|v| v.to_str().ok());
    let uri = h(&super::X_ORIGINAL_URI)
        .or_else(|| h(&super::X_FORWARDED_URI))
        .unwrap_or_else(|| match path.strip_prefix("/verify") {
            Some("") | None => "/",
            Some(rest) => rest,
        });
    let host = h(&X_FORWARDED_HOST).or_else(|| h(&header::HOST));
    let m = h(&super::X_FORWARDED_METHOD)
        .or_else(|| h(&super::X_ORIGINAL_METHOD))
        .unwrap_or(method.as_str());
    policy::Request::new(uri, host, Some(m))
}

const X_FORWARDED_HOST: http::HeaderName = http::HeaderName::from_static("x-forwarded-host");

fn policy_request(
    live: &super::policy::LivePolicy,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Answer {
    let (verdict, request_error) = match bearer(headers, query) {
        Bearer::Missing(why) => (Verdict::missing_token(why), false),
        Bearer::Invalid(why) => (Verdict::missing_token(why), true),
        Bearer::Token(token) => {
            let req = policy_request_of(method, path, headers);
            return live.with_current(|rt| {
                let keys = |i: usize| rt.provider(i);
                let d = verify::decide(
                    &rt.file,
                    token,
                    &keys,
                    Some(&req),
                    crate::clock::system_now(),
                );
                let a = reply(
                    &d.verdict,
                    false,
                    method,
                    d.issuer.map_or(&[][..], |i| &rt.forward[i][..]),
                );
                rt.count(d.issuer, d.route, d.verdict.kind());
                a
            });
        }
    };
    live.with_current(|rt| rt.count(None, None, verdict.kind()));
    reply(&verdict, request_error, method, &[])
}

/// How long a valid verdict stays true: until exp + leeway, and iat + max-age + leeway.
fn valid_until(v: &Verdict, p: &verify::Policy, now: i64) -> i64 {
    let date = |n: &str| {
        let value = v.claims.as_ref().and_then(|c| c.get(n));
        crate::clock::numeric_date(value.as_ref()).ok().flatten()
    };
    let mut until = i64::MAX;
    if let Some(exp) = date("exp") {
        until = until.min(exp.saturating_add(p.leeway));
    }
    if let (Some(iat), Some(max)) = (date("iat"), p.max_age) {
        until = until.min(iat.saturating_add(max).saturating_add(p.leeway));
    }
    // Without exp (--no-require-exp) the key-set generation still bounds it; cap at an hour.
    until.min(now.saturating_add(3600))
}
