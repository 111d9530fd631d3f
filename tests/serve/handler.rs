//! In-process: `oidcat::serve::handler::respond` over a `State` built here,
//! no socket. docs/hostile-inputs.md F1-F6, F8, F9 (bodies and headers) and E6, E8-E10.
//! Every answer passes through [`call`], which checks F9 on it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use jsonwebtoken::Algorithm;
use oidcat::cli::{KeySourceArgs, PolicyArgs};
use oidcat::config::KeySource;
use oidcat::http::{Fetcher, HttpConfig};
use oidcat::keys::KeySet;
use oidcat::serve::State;
use oidcat::serve::keys::ServeKeys;
use oidcat::verify::Policy;
use serde_json::{Value, json};

use crate::support::serve::*;

// ---------------------------------------------------------------- building a State

fn fetcher() -> Fetcher {
    Fetcher::new(HttpConfig {
        timeout: Duration::from_secs(3),
        ca_files: vec![],
        allow_http: false,
        verbose: false,
    })
}

fn policy_args() -> PolicyArgs {
    PolicyArgs {
        audience: vec![AUD.into()],
        any_audience: false,
        alg: vec![],
        claim: vec!["repository=acme/app".into()],
        require: vec![],
        assert: vec![],
        leeway: 60,
        typ: None,
        max_age: None,
        no_require_exp: false,
        ci: Default::default(),
    }
}

/// The policy `serve --issuer https://idp.test --audience api --claim repository=acme/app`
/// (plus `tweak`) resolves to, through the same code as the CLI.
fn policy_with(tweak: impl FnOnce(&mut PolicyArgs)) -> Policy {
    let keys = KeySourceArgs {
        issuer: Some(ISS.into()),
        jwks_uri: None,
        jwks_file: Some(fixture("keys/jwks.json")),
        key: None,
        secret_file: None,
        secret_env: None,
    };
    let mut p = policy_args();
    tweak(&mut p);
    oidcat::config::resolve(&keys, &p, false, false)
        .expect("policy resolves")
        .1
}

fn policy() -> Policy {
    policy_with(|_| {})
}

fn static_set(jwks: &str) -> KeySource {
    KeySource::Static(Arc::new(
        KeySet::parse(jwks.as_bytes(), "test-jwks", now()).expect("test JWKS parses"),
    ))
}

/// A state over `source`, keys loaded (or the load attempted) as `run` does.
fn state(source: KeySource, policy: Policy, forward: &[&str]) -> Arc<State> {
    let keys = Arc::new(ServeKeys::new(source, fetcher(), false));
    let _ = keys.reload();
    Arc::new(
        State::new(policy, keys).with_forward_claims(oidcat::serve::handler::forward_claims(
            &forward.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )),
    )
}

fn trusted_state() -> Arc<State> {
    state(static_set(&trusted_jwks()), policy(), &[])
}

// ---------------------------------------------------------------- calling it

#[derive(Debug)]
struct Out {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Out {
    fn www(&self) -> Option<String> {
        self.headers.get(http::header::WWW_AUTHENTICATE).map(|v| {
            v.to_str()
                .expect("WWW-Authenticate is visible ASCII")
                .to_string()
        })
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn kind(&self) -> Option<String> {
        self.json()["error"]["kind"].as_str().map(str::to_owned)
    }
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers.get(name).map(HeaderValue::as_bytes)
    }
    fn auth_request_headers(&self) -> Vec<String> {
        self.headers
            .keys()
            .map(|k| k.as_str().to_string())
            .filter(|k| k.starts_with("x-auth-request"))
            .collect()
    }
}

/// Strings in a request that look like compact tokens (2+ dots).
fn tokens_in(s: &str) -> Vec<String> {
    s.split([' ', '&', '=', ',', '\t'])
        .filter(|p| p.matches('.').count() >= 2 && p.len() > 20)
        .map(str::to_owned)
        .collect()
}

/// Calls `respond` and checks what every answer must hold: F9 (no JWT, not
/// the token), well-formed header values, never 2xx without a valid verdict.
fn call_full(
    st: &State,
    method: Method,
    path: &str,
    query: Option<&str>,
    headers: &[(&str, &[u8])],
) -> Out {
    let mut map = HeaderMap::new();
    let mut sent = Vec::new();
    for (k, v) in headers {
        map.append(
            HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_bytes(v).unwrap(),
        );
        sent.extend(tokens_in(&String::from_utf8_lossy(v)));
    }
    sent.extend(tokens_in(query.unwrap_or_default()));
    let answer = oidcat::serve::handler::respond(st, &method, path, query, &map);
    let (parts, body) = answer.response.into_parts();
    let out = Out {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body: body.to_vec(),
    };
    let sent: Vec<&str> = sent.iter().map(String::as_str).collect();
    for (name, v) in &out.headers {
        let b = v.as_bytes();
        assert!(
            !b.iter().any(|c| *c == b'\r' || *c == b'\n' || *c == 0),
            "header {name} holds CR/LF/NUL: {b:?}"
        );
        assert_no_jwt(&format!("response header {name}"), b, &sent);
    }
    assert_no_jwt("response body", &out.body, &sent);
    if path.starts_with("/verify") && out.status < 300 && method != Method::HEAD {
        assert_eq!(
            out.json()["valid"],
            json!(true),
            "a 2xx without a valid verdict: {}",
            String::from_utf8_lossy(&out.body)
        );
    }
    if let Some(w) = out.www() {
        assert!(
            w.bytes().all(|c| (0x20..0x7f).contains(&c)),
            "WWW-Authenticate not printable ASCII: {w:?}"
        );
    }
    out
}

fn call(st: &State, auth: Option<&str>) -> Out {
    let v = auth.map(bearer);
    let h: Vec<(&str, &[u8])> = v.iter().map(|a| ("authorization", a.as_bytes())).collect();
    call_full(st, Method::GET, "/verify", None, &h)
}

/// `method /verify` with this `Authorization` header value.
fn call_auth(st: &State, method: Method, authorization: &str) -> Out {
    call_full(
        st,
        method,
        "/verify",
        None,
        &[("authorization", authorization.as_bytes())],
    )
}

const BARE: &str = r#"Bearer realm="oidcat""#;

fn invalid_token(desc: &str) -> String {
    format!(r#"Bearer realm="oidcat", error="invalid_token", error_description="{desc}""#)
}
fn insufficient_scope(desc: &str) -> String {
    format!(r#"Bearer realm="oidcat", error="insufficient_scope", error_description="{desc}""#)
}
fn invalid_request() -> String {
    r#"Bearer realm="oidcat", error="invalid_request", error_description="No bearer token""#
        .to_string()
}

fn assert_rejected(o: &Out, status: u16, www: &str, kind: &str, what: &str) {
    assert_eq!(
        o.status,
        status,
        "{what}: {}",
        String::from_utf8_lossy(&o.body)
    );
    assert_eq!(o.www().as_deref(), Some(www), "{what}");
    let j = o.json();
    assert_eq!(j["valid"], json!(false), "{what}");
    assert_eq!(j["error"]["kind"], json!(kind), "{what}: {j}");
    assert!(
        o.auth_request_headers().is_empty(),
        "{what}: identity headers on a rejection: {:?}",
        o.auth_request_headers()
    );
}

// ---------------------------------------------------------------- F1-F3

#[test]
fn valid_token_200_with_oauth2_proxy_headers() {
    let st = state(
        static_set(&trusted_jwks()),
        policy(),
        &["repository", "org.team", "ids"],
    );
    let c = claims_with(
        json!({"preferred_username": "u1", "org": {"team": "core"}, "ids": [1, true, "x"]}),
    );
    let o = call(&st, Some(&token(&c)));
    assert_eq!(o.status, 200, "{}", String::from_utf8_lossy(&o.body));
    assert_eq!(o.www(), None);
    for (name, value) in [
        ("x-auth-request-user", "user-1"),
        ("x-auth-request-email", "user-1@example.test"),
        ("x-auth-request-preferred-username", "u1"),
        ("x-auth-request-groups", "dev,ops"),
        ("x-auth-request-claim-repository", "acme/app"),
        ("x-auth-request-claim-org-team", "core"),
        ("x-auth-request-claim-ids", "1,true,x"),
    ] {
        assert_eq!(o.header(name), Some(value.as_bytes()), "{name}");
    }
    let j = o.json();
    assert_eq!(j["valid"], json!(true));
    assert_eq!(j["error"], Value::Null);
    assert_eq!(j["key"]["kid"], json!("rsa-1"));
    assert_eq!(j["claims"]["sub"], json!("user-1"));
    assert_eq!(j["header"]["kid"], json!("rsa-1"));
    // GET, POST and HEAD all verify; HEAD has no body; the scheme is case-insensitive.
    let auth = format!("bearer {}", valid());
    for m in [Method::POST, Method::HEAD, Method::PUT] {
        let o = call_auth(&st, m.clone(), &auth);
        assert_eq!(o.status, 200, "{m}");
        if m == Method::HEAD {
            assert!(o.body.is_empty());
        }
    }
    // /verify/<anything> is /verify too
    let o = call_full(
        &st,
        Method::GET,
        "/verify/app/x",
        None,
        &[("authorization", auth.as_bytes())],
    );
    assert_eq!(o.status, 200);
    // other paths
    assert_eq!(
        call_full(&st, Method::GET, "/verifyx", None, &[]).status,
        404
    );
    assert_eq!(
        call_full(
            &st,
            Method::GET,
            "/",
            None,
            &[("authorization", auth.as_bytes())]
        )
        .status,
        404
    );
    // preferred_username absent: header absent
    let o = call(&st, Some(&valid()));
    assert!(o.header("x-auth-request-preferred-username").is_none());
}

#[test]
fn f1_no_credentials_is_a_bare_challenge() {
    let st = trusted_state();
    for m in [Method::GET, Method::POST, Method::HEAD] {
        let o = call_full(&st, m.clone(), "/verify", None, &[]);
        assert_eq!(o.status, 401, "{m}");
        assert_eq!(
            o.www().as_deref(),
            Some(BARE),
            "{m}: no error= without credentials"
        );
        if m != Method::HEAD {
            assert_eq!(o.kind().as_deref(), Some("missing_token"));
            assert_eq!(o.json()["valid"], json!(false));
        }
    }
}

#[test]
fn f2_invalid_tokens_are_401_invalid_token_with_a_fixed_phrase() {
    let st = trusted_state();
    let n = now();
    let rsa_pub = std::fs::read(fixture("keys/rsa.pub.pem")).unwrap();
    let hs_with_public_key = {
        let msg = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(json!({"alg": "HS256", "kid": "rsa-1"}).to_string()),
            URL_SAFE_NO_PAD.encode(claims().to_string())
        );
        let sig = jsonwebtoken::crypto::sign(
            msg.as_bytes(),
            &jsonwebtoken::EncodingKey::from_secret(&rsa_pub).unwrap(),
            Algorithm::HS256,
        )
        .unwrap();
        format!("{msg}.{sig}")
    };
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
        URL_SAFE_NO_PAD.encode(claims().to_string())
    );
    let jwe = format!(
        "{}.a.b.c.d",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#)
    );
    let cases: Vec<(&str, String, &str, &str)> = vec![
        ("expired", expired(), "expired", "The token has expired"),
        (
            "bad signature",
            bad_signature(),
            "bad_signature",
            "The token signature is invalid",
        ),
        (
            "wrong issuer",
            token(&claims_with(json!({"iss": "https://evil.test"}))),
            "issuer_mismatch",
            "The token issuer is not accepted",
        ),
        (
            "issuer trailing slash",
            token(&claims_with(json!({"iss": "https://idp.test/"}))),
            "issuer_mismatch",
            "The token issuer is not accepted",
        ),
        (
            "no issuer",
            token(&claims_with(json!({"iss": null}))),
            "missing_claim",
            "A required claim is missing",
        ),
        (
            "not yet valid",
            token(&claims_with(json!({"nbf": n + 3600}))),
            "not_yet_valid",
            "The token is not valid yet",
        ),
        (
            "iat in the future",
            token(&claims_with(json!({"iat": n + 3600}))),
            "issued_in_future",
            "The token was issued in the future",
        ),
        (
            "no exp",
            token(&claims_with(json!({"exp": null}))),
            "missing_claim",
            "A required claim is missing",
        ),
        (
            "exp as a string",
            token(&claims_with(json!({"exp": (n + 600).to_string()}))),
            "malformed",
            "The token is malformed",
        ),
        (
            "unknown kid",
            token_kid("rsa-2", "rsa2.pem", &claims()),
            "key_not_found",
            "No key can verify the token",
        ),
        (
            "alg none",
            unsigned,
            "alg_not_allowed",
            "The token algorithm is not allowed",
        ),
        (
            "HS256 with the RSA public key as secret",
            hs_with_public_key,
            "alg_not_allowed",
            "The token algorithm is not allowed",
        ),
        (
            "garbage",
            "not-a-token".into(),
            "malformed",
            "The token is malformed",
        ),
        (
            "three garbage segments",
            "a.b.c".into(),
            "malformed",
            "The token is malformed",
        ),
        (
            "JWE",
            jwe,
            "encrypted_token",
            "Encrypted tokens are not accepted",
        ),
        (
            "crit",
            token_h(
                &json!({"alg": "RS256", "kid": "rsa-1", "crit": ["exp"], "exp": 1}),
                &claims(),
            ),
            "crit_unsupported",
            "The token uses an unsupported critical extension",
        ),
        (
            "nested JWT",
            token_h(
                &json!({"alg": "RS256", "kid": "rsa-1", "cty": "JWT"}),
                &claims(),
            ),
            "malformed",
            "The token is malformed",
        ),
        (
            "duplicate claim",
            sign_raw(
                Algorithm::RS256,
                "rsa.pem",
                br#"{"alg":"RS256","kid":"rsa-1"}"#,
                format!(
                    r#"{{"sub":"a","sub":"b","iss":"{ISS}","aud":"api","exp":{}}}"#,
                    n + 600
                )
                .as_bytes(),
            ),
            "malformed",
            "The token is malformed",
        ),
        // a bad signature is 401 even when the claims would also fail the policy (403 needs a verified token)
        (
            "bad signature + claim mismatch",
            token_kid(
                "rsa-1",
                "rsa2.pem",
                &claims_with(json!({"repository": "evil/app"})),
            ),
            "bad_signature",
            "The token signature is invalid",
        ),
        // expired + wrong audience: not a valid token, so 401; error.kind is the first in SPEC order
        (
            "expired + audience",
            token(&claims_with(json!({"aud": "other", "exp": n - 3600}))),
            "audience_mismatch",
            "The token audience is not accepted",
        ),
    ];
    for (what, tok, kind, desc) in &cases {
        let o = call(&st, Some(tok));
        assert_rejected(&o, 401, &invalid_token(desc), kind, what);
    }
}

#[test]
fn f3_policy_failures_of_a_valid_token_are_403_insufficient_scope() {
    let st = trusted_state();
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "audience",
            json!({"aud": "other"}),
            "audience_mismatch",
            "The token audience is not accepted",
        ),
        (
            "audience array",
            json!({"aud": ["x", "y"]}),
            "audience_mismatch",
            "The token audience is not accepted",
        ),
        (
            "no audience",
            json!({"aud": null}),
            "missing_claim",
            "A required claim is missing",
        ),
        (
            "claim mismatch",
            json!({"repository": "evil/app"}),
            "claim_mismatch",
            "A claim does not match the policy",
        ),
        (
            "claim missing",
            json!({"repository": null}),
            "missing_claim",
            "A required claim is missing",
        ),
    ];
    for (what, change, kind, desc) in &cases {
        let o = call(&st, Some(&token(&claims_with(change.clone()))));
        assert_rejected(&o, 403, &insufficient_scope(desc), kind, what);
        assert!(
            o.json()["key"]["kid"].is_string(),
            "{what}: the signature was verified"
        );
    }
    // --require and --assert
    let st = state(
        static_set(&trusted_jwks()),
        policy_with(|p| {
            p.require = vec!["environment".into()];
            p.assert = vec![r#".ref == "refs/heads/main""#.into()];
        }),
        &[],
    );
    let o = call(
        &st,
        Some(&token(&claims_with(json!({"ref": "refs/heads/main"})))),
    );
    assert_rejected(
        &o,
        403,
        &insufficient_scope("A required claim is missing"),
        "missing_claim",
        "--require",
    );
    let o = call(
        &st,
        Some(&token(&claims_with(
            json!({"environment": "prod", "ref": "refs/heads/dev"}),
        ))),
    );
    assert_rejected(
        &o,
        403,
        &insufficient_scope("An assertion on the claims failed"),
        "assertion_failed",
        "--assert",
    );
    let o = call(
        &st,
        Some(&token(&claims_with(
            json!({"environment": "prod", "ref": "refs/heads/main"}),
        ))),
    );
    assert_eq!(o.status, 200);
}

// ---------------------------------------------------------------- F4

#[test]
fn f4_malformed_requests_are_401_never_2xx() {
    let st = trusted_state();
    let good = valid();
    let auth = bearer(&good);
    // an unsupported scheme is "no credentials": a bare challenge
    for scheme in [
        "Basic dXNlcjpwYXNz",
        "Digest username=\"a\"",
        "Token abc",
        "Bearer\tabc",
    ] {
        let o = call_auth(&st, Method::GET, scheme);
        assert_rejected(&o, 401, BARE, "missing_token", scheme);
    }
    let basic_jwt = format!("Basic {}", STANDARD.encode(format!("x:{good}")));
    let o = call_auth(&st, Method::GET, &basic_jwt);
    assert_rejected(&o, 401, BARE, "missing_token", "Basic holding a JWT");

    let q_good = format!("access_token={good}");
    let q_mixed = format!("a=1&access_token={good}&b=2");
    let h: &[u8] = auth.as_bytes();
    type Case<'a> = (&'a str, Option<&'a str>, Vec<(&'a str, &'a [u8])>);
    let cases: Vec<Case> = vec![
        (
            "two Authorization headers",
            None,
            vec![("authorization", h), ("authorization", h)],
        ),
        (
            "two Authorization headers, one Basic",
            None,
            vec![
                ("authorization", b"Basic dXNlcjpwYXNz"),
                ("authorization", h),
            ],
        ),
        ("empty Bearer", None, vec![("authorization", b"Bearer")]),
        (
            "Bearer and spaces",
            None,
            vec![("authorization", b"Bearer    ")],
        ),
        (
            "token in the header and the query",
            Some(&q_good),
            vec![("authorization", h)],
        ),
        (
            "token in the header and the query, among others",
            Some(&q_mixed),
            vec![("authorization", h)],
        ),
        ("token only in the query", Some(&q_good), vec![]),
        (
            "non-ASCII Authorization",
            None,
            vec![("authorization", "Bearer \u{e9}t\u{e9}".as_bytes())],
        ),
    ];
    for (what, q, headers) in &cases {
        for m in [Method::GET, Method::HEAD, Method::POST] {
            let o = call_full(&st, m.clone(), "/verify", *q, headers);
            assert_eq!(o.status, 401, "{what} ({m})");
            assert_eq!(o.www(), Some(invalid_request()), "{what} ({m})");
            assert!(o.auth_request_headers().is_empty(), "{what}");
            if m != Method::HEAD {
                assert_eq!(o.kind().as_deref(), Some("missing_token"), "{what}");
            }
        }
    }
    // Basic plus a query token: never 2xx (either answer is a 401)
    let o = call_full(
        &st,
        Method::GET,
        "/verify",
        Some(&q_good),
        &[("authorization", b"Basic dXNlcjpwYXNz")],
    );
    assert_eq!(o.status, 401);
    // a query that merely mentions access_token in a value is not a token
    let o = call_full(
        &st,
        Method::GET,
        "/verify",
        Some("next=access_token"),
        &[("authorization", h)],
    );
    assert_eq!(o.status, 200);
}

// ---------------------------------------------------------------- F5, F6

#[test]
fn f5_attacker_text_never_reaches_response_headers() {
    let st = state(
        static_set(&trusted_jwks()),
        policy(),
        &["repository", "team"],
    );
    let evil = "a\"b\r\nX-Evil: 1\r\n\r\n<h1>\u{e9}\u{202e}\u{0}";
    let big = "k".repeat(10 * 1024);
    // kid: unknown kid / oversized kid
    for (what, kid, kind, desc) in [
        (
            "evil kid",
            evil,
            "key_not_found",
            "No key can verify the token",
        ),
        (
            "10 KB kid",
            big.as_str(),
            "malformed",
            "The token is malformed",
        ),
    ] {
        let o = call(
            &st,
            Some(&token_h(&json!({"alg": "RS256", "kid": kid}), &claims())),
        );
        assert_rejected(&o, 401, &invalid_token(desc), kind, what);
        assert!(!o.headers.contains_key("x-evil"));
    }
    // iss
    for (what, iss) in [
        ("evil iss", evil.to_string()),
        ("10 KB iss", format!("{ISS}/{big}")),
    ] {
        let o = call(&st, Some(&token(&claims_with(json!({"iss": iss})))));
        assert_rejected(
            &o,
            401,
            &invalid_token("The token issuer is not accepted"),
            "issuer_mismatch",
            what,
        );
    }
    // aud and the asserted claim
    let o = call(&st, Some(&token(&claims_with(json!({"aud": evil})))));
    assert_rejected(
        &o,
        403,
        &insufficient_scope("The token audience is not accepted"),
        "audience_mismatch",
        "evil aud",
    );
    let o = call(&st, Some(&token(&claims_with(json!({"repository": evil})))));
    assert_rejected(
        &o,
        403,
        &insufficient_scope("A claim does not match the policy"),
        "claim_mismatch",
        "evil repository",
    );
    let o = call(&st, Some(&token(&claims_with(json!({"repository": big})))));
    assert_rejected(
        &o,
        403,
        &insufficient_scope("A claim does not match the policy"),
        "claim_mismatch",
        "10 KB repository",
    );

    // valid tokens whose forwarded claims hold control characters: 200, that header not sent
    for (what, sub) in [
        ("CR LF", "user\r\nX-Evil: 1".to_string()),
        ("NUL", "user\u{0}x".to_string()),
        ("tab", "user\tx".to_string()),
        ("DEL", "user\u{7f}".to_string()),
        ("C1 control", "user\u{85}x".to_string()),
        ("10 KB", big.clone()),
    ] {
        let c = claims_with(json!({"sub": sub, "email": sub, "groups": ["ok", sub], "team": sub}));
        let o = call(&st, Some(&token(&c)));
        assert_eq!(o.status, 200, "{what}");
        for h in [
            "x-auth-request-user",
            "x-auth-request-email",
            "x-auth-request-groups",
            "x-auth-request-claim-team",
        ] {
            assert!(o.header(h).is_none(), "{what}: {h} sent: {:?}", o.header(h));
        }
        assert!(!o.headers.contains_key("x-evil"), "{what}");
        // the other forwarded claim still goes
        assert_eq!(
            o.header("x-auth-request-claim-repository"),
            Some(&b"acme/app"[..])
        );
    }
    // quotes and non-ASCII (no control characters) are sent, byte-exact
    for sub in ["o'brien \"the\" user", "j\u{fc}rgen", "\u{202e}rtl"] {
        let o = call(&st, Some(&token(&claims_with(json!({"sub": sub})))));
        assert_eq!(o.status, 200, "{sub}");
        assert_eq!(
            o.header("x-auth-request-user"),
            Some(sub.as_bytes()),
            "{sub}"
        );
    }
}

#[test]
fn f6_client_supplied_identity_headers_never_pass_as_verified() {
    let st = trusted_state();
    let spoof: &[u8] = b"admin";
    for (what, auth) in [
        ("no token", None),
        ("expired", Some(expired())),
        ("bad signature", Some(bad_signature())),
        ("garbage", Some("x.y.z".to_string())),
    ] {
        let a = auth.map(|t| bearer(&t));
        let mut h: Vec<(&str, &[u8])> = vec![
            ("x-auth-request-user", spoof),
            ("x-auth-request-email", b"admin@corp"),
            ("x-auth-request-groups", b"admins"),
            ("x-forwarded-user", spoof),
        ];
        if let Some(a) = &a {
            h.push(("authorization", a.as_bytes()));
        }
        let o = call_full(&st, Method::GET, "/verify", None, &h);
        assert_eq!(o.status, 401, "{what}");
        assert!(o.auth_request_headers().is_empty(), "{what}");
        assert!(
            !String::from_utf8_lossy(&o.body).contains("admin"),
            "{what}: echoed"
        );
    }
    // a valid token with a spoofed user header
    let spoofed = |t: &str| {
        let a = bearer(t);
        call_full(
            &st,
            Method::GET,
            "/verify",
            None,
            &[
                ("x-auth-request-user", spoof),
                ("authorization", a.as_bytes()),
            ],
        )
    };
    // valid token: identity only from verified claims
    let o = spoofed(&valid());
    assert_eq!(o.status, 200);
    assert_eq!(o.header("x-auth-request-user"), Some(&b"user-1"[..]));
    // valid token without sub: no user header at all (not the client's)
    let o = spoofed(&token(&claims_with(json!({"sub": null}))));
    assert_eq!(o.status, 200);
    assert!(o.header("x-auth-request-user").is_none());
}

// ---------------------------------------------------------------- F8, E10

#[test]
fn f8_no_usable_key_never_fails_open() {
    let tok = valid();
    // loaded but empty / only unusable keys: 401
    let oct = json!({"kty": "oct", "kid": "rsa-1", "k": URL_SAFE_NO_PAD.encode([7u8; 64]), "alg": "HS256"});
    let weak = jwk("rsa1024.jwk.json");
    let mut with_private = jwk("rsa.jwk.json");
    with_private["d"] = json!("AQAB");
    for (what, jwks) in [
        ("empty set", json!({"keys": []})),
        (
            "only unusable keys",
            json!({"keys": [oct, weak, with_private]}),
        ),
    ] {
        let st = state(static_set(&jwks.to_string()), policy(), &[]);
        for m in [Method::GET, Method::HEAD] {
            let a = bearer(&tok);
            let o = call_auth(&st, m.clone(), &a);
            assert_eq!(o.status, 401, "{what} {m}");
        }
        assert_eq!(
            call(&st, Some(&tok)).kind().as_deref(),
            Some("key_not_found"),
            "{what}"
        );
        // the same set over HTTP
        let mock = Mock::jwks(&jwks.to_string());
        let st = state(KeySource::JwksUri(mock.url("/jwks")), policy(), &[]);
        assert_eq!(call(&st, Some(&tok)).status, 401, "{what} over HTTP");
    }
    // never loaded: 500, bad JSON, not a JWKS, refused connection: 503
    let dead = format!("http://127.0.0.1:{}/jwks", free_port());
    let m500 = Mock::start(500, "oops");
    let mbad = Mock::start(200, "{not json");
    let mnot = Mock::start(200, r#"{"issuer":"x"}"#);
    for (what, url, kind) in [
        ("refused", dead, "fetch_failed"),
        ("HTTP 500", m500.url("/jwks"), "fetch_failed"),
        ("bad JSON", mbad.url("/jwks"), "jwks_invalid"),
        ("not a JWKS", mnot.url("/jwks"), "jwks_invalid"),
    ] {
        let st = state(KeySource::JwksUri(url), policy(), &[]);
        assert!(!st.keys.is_loaded());
        // a token that needs keys cannot be decided (503, the load error's
        // kind); one that is malformed is rejected before keys are needed
        for t in [tok.clone(), expired(), bad_signature()] {
            let o = call(&st, Some(&t));
            assert_eq!((o.status, o.kind().as_deref()), (503, Some(kind)), "{what}");
        }
        assert_eq!(call(&st, Some("x.y.z")).status, 401, "{what}");
        let o = call(&st, Some(&tok));
        assert_eq!(o.json()["valid"], json!(false));
        assert!(o.auth_request_headers().is_empty());
        let a = bearer(&tok);
        assert_eq!(call_auth(&st, Method::HEAD, &a).status, 503);
    }
}

#[test]
fn e10_unreachable_jwks_at_start_is_503_and_not_ready() {
    let url = format!("http://127.0.0.1:{}/jwks", free_port());
    let st = state(KeySource::JwksUri(url), policy(), &[]);
    let o = call(&st, Some(&valid()));
    assert_eq!(o.status, 503);
    assert_eq!(o.kind().as_deref(), Some("fetch_failed"));
    assert_eq!(
        call_full(&st, Method::GET, "/readyz", None, &[]).status,
        503
    );
    assert_eq!(
        call_full(&st, Method::GET, "/healthz", None, &[]).status,
        200,
        "healthz never depends on the issuer"
    );
    let m = call_full(&st, Method::GET, "/metrics", None, &[]);
    assert_eq!(m.status, 200);
    let text = String::from_utf8_lossy(&m.body);
    assert!(text.contains("oidcat_ready 0"), "{text}");
    assert!(
        text.contains("oidcat_key_set_refreshes_total{result=\"failure\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("oidcat_verifications_total{result=\"fetch_failed\"} 1"),
        "{text}"
    );
    // without a token it is still the missing-token 401 (no keys needed to say so)
    assert_eq!(call(&st, None).status, 401);
}

// ---------------------------------------------------------------- E6

#[test]
fn e6_keys_never_come_from_the_token() {
    let jwks = Mock::jwks(&trusted_jwks());
    let decoy = Mock::jwks(&jwks_of(&["rsa2.jwk.json"]));
    let st = state(KeySource::JwksUri(jwks.url("/jwks")), policy(), &[]);
    assert_eq!(jwks.hits(), 1, "initial load");
    let metadata = "http://169.254.169.254/latest/meta-data";
    let decoy_iss = decoy.url("");
    for (what, iss) in [
        ("metadata iss", metadata),
        ("decoy iss", decoy_iss.as_str()),
    ] {
        let header = json!({"alg": "RS256", "kid": "rsa-1", "jku": decoy.url("/jwks"), "x5u": decoy.url("/x5u")});
        let o = call(
            &st,
            Some(&token_h(&header, &claims_with(json!({"iss": iss})))),
        );
        assert_rejected(
            &o,
            401,
            &invalid_token("The token issuer is not accepted"),
            "issuer_mismatch",
            what,
        );
    }
    assert_eq!(jwks.hits(), 1, "a known kid needs no fetch");
    // signed by the decoy's key with the decoy's kid: only the configured source is asked again
    let t = sign_raw(
        Algorithm::RS256,
        "rsa2.pem",
        json!({"alg": "RS256", "kid": "rsa-2", "jku": decoy.url("/jwks"), "jwk": jwk("rsa2.jwk.json")}).to_string().as_bytes(),
        claims_with(json!({"iss": decoy_iss})).to_string().as_bytes(),
    );
    let o = call(&st, Some(&t));
    assert_eq!(o.status, 401);
    assert_eq!(o.kind().as_deref(), Some("key_not_found"));
    assert!(
        jwks.hits() <= 2,
        "one refetch of the configured source at most"
    );
    assert_eq!(
        decoy.hits(),
        0,
        "nothing ever fetched from the token's iss/jku/x5u"
    );
    // the issuer pin holds even for a token signed by a trusted key
    let o = call(&st, Some(&token(&claims_with(json!({"iss": metadata})))));
    assert_eq!(o.status, 401);
    assert_eq!(decoy.hits(), 0);
}

// ---------------------------------------------------------------- E8

#[test]
fn e8_unknown_kids_refetch_at_most_once_per_30s() {
    let jwks = Mock::jwks(&trusted_jwks());
    let st = state(KeySource::JwksUri(jwks.url("/jwks")), policy(), &[]);
    assert_eq!(jwks.hits(), 1, "initial load");
    // 1 000 tokens with random kids, signed beforehand
    let mut seed = [0u8; 8];
    getrandom::fill(&mut seed).unwrap();
    let seed = u64::from_le_bytes(seed);
    let tokens: Arc<Vec<String>> = Arc::new(
        (0..1000u64)
            .map(|i| {
                let kid = format!(
                    "{:016x}",
                    seed.wrapping_mul(6364136223846793005)
                        .wrapping_add(i.wrapping_mul(1442695040888963407))
                );
                token_kid(
                    &kid,
                    if i % 2 == 0 { "rsa.pem" } else { "rsa2.pem" },
                    &claims(),
                )
            })
            .collect(),
    );
    let started = Instant::now();
    let (st2, toks) = (st.clone(), tokens.clone());
    // 100 concurrent callers, 10 tokens each
    let results = parallel(100, move |t| {
        let mut statuses = Vec::new();
        for i in 0..10 {
            let o = call(&st2, Some(&toks[t * 10 + i]));
            statuses.push((o.status, o.kind()));
        }
        statuses
    });
    let elapsed = started.elapsed();
    let all: Vec<_> = results.into_iter().flatten().collect();
    assert_eq!(all.len(), 1000);
    assert!(
        all.iter()
            .all(|(s, k)| *s == 401 && k.as_deref() == Some("key_not_found")),
        "all 401 key_not_found"
    );
    let refetches = jwks.hits() - 1;
    eprintln!(
        "E8: 1000 unknown-kid tokens, 100 concurrent: {refetches} refetch(es) in {elapsed:?}"
    );
    // at most one refetch per started 30 s (a slow machine may take longer)
    let allowed = 1 + (elapsed.as_secs() / 30) as usize;
    assert!(
        refetches <= allowed,
        "{refetches} refetches within {elapsed:?} (at most 1 per 30 s)"
    );
    // and the server still verifies known keys, without a fetch
    assert_eq!(call(&st, Some(&valid())).status, 200);
    assert_eq!(jwks.hits(), 1 + refetches);
}

// ---------------------------------------------------------------- E9

#[test]
fn e9_rotation_then_failed_refresh_keeps_keys() {
    let jwks = Mock::jwks(&jwks_of(&["rsa.jwk.json"]));
    let st = state(KeySource::JwksUri(jwks.url("/jwks")), policy(), &[]);
    assert_eq!(jwks.hits(), 1);
    let old = valid();
    let new = token_kid("rsa-2", "rsa2.pem", &claims());
    assert_eq!(call(&st, Some(&old)).status, 200);
    assert_eq!(jwks.hits(), 1, "no fetch for a known kid");
    // rotate: the issuer now also publishes rsa-2
    jwks.set(200, &jwks_of(&["rsa.jwk.json", "rsa2.jwk.json"]));
    let o = call(&st, Some(&new));
    assert_eq!(o.status, 200, "{}", String::from_utf8_lossy(&o.body));
    assert_eq!(o.json()["key"]["kid"], json!("rsa-2"));
    assert_eq!(jwks.hits(), 2, "exactly one refetch");
    assert_eq!(call(&st, Some(&new)).status, 200);
    assert_eq!(jwks.hits(), 2);
    // the issuer fails: a refresh (what the max-age refresher does) keeps both keys
    jwks.set(500, "down");
    assert!(st.keys.reload().is_err());
    assert_eq!(jwks.hits(), 3);
    assert_eq!(st.keys.key_count(), 2);
    assert_eq!(
        call(&st, Some(&old)).status,
        200,
        "old key kept after a failed refresh"
    );
    assert_eq!(call(&st, Some(&new)).status, 200);
    assert_eq!(
        call_full(&st, Method::GET, "/readyz", None, &[]).status,
        200
    );
    // an unknown kid within the cool-down: no fetch, 401
    let o = call(&st, Some(&token_kid("rsa-3", "rsa2.pem", &claims())));
    assert_eq!(o.status, 401);
    assert_eq!(jwks.hits(), 3);
    // the issuer goes away entirely: still kept
    let mut jwks = jwks;
    jwks.down();
    assert!(st.keys.reload().is_err());
    assert_eq!(call(&st, Some(&old)).status, 200);
    let m = String::from_utf8_lossy(&call_full(&st, Method::GET, "/metrics", None, &[]).body)
        .into_owned();
    assert!(
        m.contains("oidcat_key_set_refreshes_total{result=\"success\"} 2"),
        "{m}"
    );
    assert!(
        m.contains("oidcat_key_set_refreshes_total{result=\"failure\"} 2"),
        "{m}"
    );
    assert!(m.contains("oidcat_keys_loaded 2"), "{m}");
}

/// Each worker thread verifies with its own copy of the key set: a key-set
/// change (here the max-age refresh dropping a key) must reach every copy,
/// so a removed key stops verifying on every thread that used it.
#[test]
fn key_set_change_reaches_every_worker_thread() {
    let jwks = Mock::jwks(&jwks_of(&["rsa.jwk.json"]));
    let st = state(KeySource::JwksUri(jwks.url("/jwks")), policy(), &[]);
    let old = valid();
    let new = token_kid("rsa-2", "rsa2.pem", &claims());
    let barrier = std::sync::Barrier::new(5);
    std::thread::scope(|sc| {
        for _ in 0..4 {
            sc.spawn(|| {
                assert_eq!(call(&st, Some(&old)).status, 200);
                barrier.wait(); // every thread holds a copy of the old set
                barrier.wait(); // the set has changed
                let o = call(&st, Some(&new));
                assert_eq!(o.status, 200, "{}", String::from_utf8_lossy(&o.body));
                assert_eq!(o.json()["key"]["kid"], json!("rsa-2"));
                assert_eq!(
                    call(&st, Some(&old)).status,
                    401,
                    "a removed key still verified"
                );
            });
        }
        barrier.wait();
        jwks.set(200, &jwks_of(&["rsa2.jwk.json"]));
        st.keys.reload().expect("the new set loads");
        barrier.wait();
    });
    assert_eq!(st.keys.key_count(), 1);
}

// ---------------------------------------------------------------- the verified-token cache

#[test]
fn verified_cache_never_turns_a_rejection_into_200() {
    let keys = Arc::new(ServeKeys::new(
        static_set(&trusted_jwks()),
        fetcher(),
        false,
    ));
    keys.reload().unwrap();
    let st = State::new(policy(), keys)
        .with_verified_cache(oidcat::serve::vcache::VerifiedCache::new(100));
    let good = valid();
    assert_eq!(call(&st, Some(&good)).status, 200);
    let o = call(&st, Some(&good));
    assert_eq!(o.status, 200);
    assert_eq!(o.header("x-auth-request-user"), Some(&b"user-1"[..]));
    assert_eq!(st.metrics.cache_hits(), 1);
    // the same token with a changed signature byte, or a different payload
    let (msg, sig) = good.rsplit_once('.').unwrap();
    let mut s = sig.as_bytes().to_vec();
    s[10] = if s[10] == b'A' { b'B' } else { b'A' };
    let tampered = format!("{msg}.{}", String::from_utf8(s).unwrap());
    assert_eq!(call(&st, Some(&tampered)).status, 401);
    assert_eq!(call(&st, Some(&policy_failing())).status, 403);
    assert_eq!(call(&st, Some(&expired())).status, 401);
}

// ---------------------------------------------------------------- CI claim flags

/// `serve --issuer github --jwks-file keys/jwks.json --audience api --repo acme/app
/// --ref refs/heads/main`: the CI claim flags reach serve's policy through the
/// same resolution as the CLI's, and a wrong value is a 403 naming the flag.
#[test]
fn ci_claim_flags_apply_to_serve() {
    let keys = KeySourceArgs {
        issuer: Some("github".into()),
        jwks_uri: None,
        jwks_file: Some(fixture("keys/jwks.json")),
        key: None,
        secret_file: None,
        secret_env: None,
    };
    let mut p = policy_args();
    p.claim = vec![];
    p.ci.repo = Some("acme/app".into());
    p.ci.git_ref = Some("refs/heads/main".into());
    let policy = oidcat::config::resolve(&keys, &p, false, false)
        .expect("policy resolves")
        .1;
    let st = state(static_set(&trusted_jwks()), policy, &[]);
    let gh = |changes: Value| {
        token(&claims_with(merged(
            json!({"iss": "https://token.actions.githubusercontent.com", "ref": "refs/heads/main"}),
            &changes,
        )))
    };
    let o = call(&st, Some(&gh(json!({}))));
    assert_eq!(o.status, 200, "{}", String::from_utf8_lossy(&o.body));
    let o = call(&st, Some(&gh(json!({"ref": "refs/heads/dev"}))));
    assert_rejected(
        &o,
        403,
        &insufficient_scope("A claim does not match the policy"),
        "claim_mismatch",
        "--ref",
    );
    assert!(
        o.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("--ref refs/heads/main")),
        "{}",
        o.json()
    );

    // Any other issuer: the same usage error as the CLI's.
    let other = KeySourceArgs {
        issuer: Some(ISS.into()),
        ..keys
    };
    let err = oidcat::config::resolve(&other, &p, false, false).unwrap_err();
    assert!(
        err.message.contains("--claim repository=acme/app"),
        "{err:?}"
    );
}
