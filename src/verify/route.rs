//! The decision of a policy file (docs/policy.md#the-decision): the issuer
//! by the token's `iss`, every check of [`verify`](super::verify) with that
//! issuer's settings and keys, then the first matching route. A pure
//! function of the token, the keys, the file, the request and the clock;
//! `verify --policy` and `serve --policy` both call it.

use crate::error::Kind;
use crate::jwt;
use crate::keys::{KeyProvider, KeySet, StaticKeys};
use crate::policy::{PolicyFile, Request};

use super::Verdict;
use super::report::{CheckName, Report};

/// What was decided: the verdict, and which issuer and route it concerned
/// (indices into the file; for metrics and forwarded claims).
pub struct Decision {
    pub verdict: Verdict,
    pub issuer: Option<usize>,
    pub route: Option<usize>,
}

/// The index of the `[[issuer]]` whose URL is the token's `iss`, read
/// unverified (only to choose keys).
pub fn issuer_of(file: &PolicyFile, token: &str) -> Option<usize> {
    issuer_of_parsed(file, &jwt::parse_jws(token).ok()?)
}

fn issuer_of_parsed(file: &PolicyFile, jws: &jwt::Jws) -> Option<usize> {
    let iss = jws.claims.get_str("iss")?;
    file.issuers
        .iter()
        .position(|i| crate::issuer::iss_matches(&i.url, &iss))
}

/// Decides `token` for `request` (`None`: no route is evaluated).
/// `keys(i)` gives the key provider of issuer `i`.
pub fn decide<'a>(
    file: &PolicyFile,
    token: &str,
    keys: &dyn Fn(usize) -> &'a dyn KeyProvider,
    request: Option<&Request>,
    now: i64,
) -> Decision {
    // Parsed once: `iss` chooses the issuer, then the checks use the same parse.
    let parsed = jwt::parse_jws(token);
    let Some(i) = parsed.as_ref().ok().and_then(|j| issuer_of_parsed(file, j)) else {
        return Decision {
            verdict: unknown_issuer(file, token, now),
            issuer: None,
            route: None,
        };
    };
    let issuer = &file.issuers[i];
    let mut verdict = super::verify_parsed(token, parsed, keys(i), &issuer.policy, now);
    let mut route = None;
    if let Some(req) = request
        && !file.routes.is_empty()
    {
        route = apply_routes(&mut verdict, file, i, req);
    }
    Decision {
        verdict,
        issuer: Some(i),
        route,
    }
}

/// A token whose `iss` is none of the file's issuers: `issuer_mismatch`
/// listing them (a token that does not even parse is `malformed`, as always).
fn unknown_issuer(file: &PolicyFile, token: &str, now: i64) -> Verdict {
    let empty = StaticKeys(std::sync::Arc::new(KeySet::default()));
    let open = crate::policy::Policy::new(crate::keys::Alg::DEFAULT.to_vec());
    let mut v = super::verify(token, &empty, &open, now);
    let Some(claims) = &v.claims else {
        return v; // malformed: that says it all
    };
    let accepted: Vec<&str> = file.issuers.iter().map(|i| i.url.as_str()).collect();
    let detail = match claims.get_str("iss") {
        Some(iss) => format!(
            "iss {} is not an issuer of the policy (accepted: {})",
            crate::sanitize::truncate(&iss, 200),
            accepted.join(", ")
        ),
        None => format!(
            "the token has no string iss; the policy accepts {}",
            accepted.join(", ")
        ),
    };
    // Nothing but the format was judged: no keys were looked for.
    let format: Vec<_> = v
        .checks
        .drain(..)
        .filter(|c| c.check == CheckName::Format)
        .collect();
    let mut r = Report {
        checks: format,
        error: None,
    };
    for c in &r.checks {
        if !c.ok && r.error.is_none() {
            r.error = Some(super::ErrorInfo {
                kind: Kind::Malformed,
                message: format!("{}: {}", c.check, c.detail),
            });
        }
    }
    r.fail(CheckName::Issuer, Kind::IssuerMismatch, detail);
    r.fail(
        CheckName::Signature,
        Kind::BadSignature,
        "not checked: no keys for an issuer the policy does not name",
    );
    v.valid = false;
    v.key = None;
    v.checks = r.checks;
    v.error = r.error;
    v
}

/// Adds the route check (and the route's own rules) to `v`; returns the
/// index of the route that matched.
fn apply_routes(v: &mut Verdict, file: &PolicyFile, issuer: usize, req: &Request) -> Option<usize> {
    let mut r = Report {
        checks: std::mem::take(&mut v.checks),
        error: v.error.take(),
    };
    let found = file.routes.iter().position(|rt| rt.matches(req));
    let what = || describe(req, String::new());
    match found {
        None => r.fail(
            CheckName::Route,
            Kind::RouteDenied,
            format!("no route matches {}", what()),
        ),
        Some(k) => {
            let route = &file.routes[k];
            let issuer_name = &file.issuers[issuer].name;
            if route.deny {
                r.fail(
                    CheckName::Route,
                    Kind::RouteDenied,
                    format!(
                        "route {} denies every request (deny = true): {}",
                        route.name,
                        what()
                    ),
                );
            } else if let Some(list) = &route.issuers
                && !list.contains(&issuer)
            {
                let names: Vec<&str> = list
                    .iter()
                    .map(|&i| file.issuers[i].name.as_str())
                    .collect();
                r.fail(
                    CheckName::Route,
                    Kind::RouteDenied,
                    format!(
                        "route {} is not open to issuer {issuer_name} (only: {}): {}",
                        route.name,
                        if names.is_empty() {
                            "none".to_string()
                        } else {
                            names.join(", ")
                        },
                        what()
                    ),
                );
            } else {
                // built in one string: this detail is made for every request `serve` lets through
                let mut head = String::with_capacity(route.name.len() + req.path.len() + 64);
                head.push_str("route ");
                head.push_str(&route.name);
                head.push_str(" matches ");
                r.pass(CheckName::Route, describe(req, head));
                if let (Some(h), Some(c)) = (&v.header, &v.claims) {
                    super::claims::check_assertions(&mut r, h, c, &route.rules);
                }
            }
        }
    }
    v.valid = v.valid && r.error.is_none();
    v.checks = r.checks;
    v.error = r.error;
    found
}

/// `head` followed by the request as a detail shows it: `METHOD PATH on host HOST`.
fn describe(req: &Request, mut head: String) -> String {
    if let Some(m) = &req.method {
        head.push_str(m);
        head.push(' ');
    }
    head.push_str(&req.path);
    if let Some(h) = &req.host {
        head.push_str(" on host ");
        head.push_str(h);
    }
    head
}
