//! Engine details a newcomer meets in the first minute (issue #12): the error
//! kind belongs to its check, a refused key says why, five segments are an
//! encrypted token, JSON serializations are named, `http://` through a proxy
//! is absolute-form, `no-store` is never cached, and content types are
//! checked as docs/reference.md says.

use jsonwebtoken::Algorithm;
use serde_json::json;

use crate::support::cli::*;

const DISC: &str = "/.well-known/openid-configuration";

fn verify_set(ctx: &Ctx, jwks: &serde_json::Value, token: &str) -> Outcome {
    let f = ctx.write("jwks.json", jwks.to_string());
    verify_jwks(&f).json().arg(token).run_in(ctx)
}

#[test]
fn a_kid_naming_a_key_for_another_algorithm_is_key_not_found() {
    let mut ps_only = jwk("rsa.jwk.json");
    ps_only["alg"] = json!("PS256");
    let t = jwt(Algorithm::RS256, &claims());
    let out = verify_set(&Ctx::new(), &json!({"keys": [ps_only]}), &t);
    out.rejected("key_not_found").message_has("PS256 only");
    assert!(out.passed("algorithm"), "{out}");
    assert_eq!(out.failed_checks()[0], "key", "{out}");
}

#[test]
fn a_kid_naming_a_refused_key_says_why_once() {
    // rsa-1 carries a private member: refused when the set is read
    let mut private = jwk("rsa.jwk.json");
    private["d"] = json!("AQAB");
    let set = json!({"keys": [private, jwk("p256.jwk.json")]});
    let t = token_kid("rsa-1", "rsa.pem", &claims());
    let ctx = Ctx::new();
    let out = verify_set(&ctx, &set, &t);
    out.rejected("key_not_found")
        .message_has("refused when the key set was read")
        .message_has("private");
    let m = out.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(!m.contains("it holds"), "{m}");
    let why = m.rsplit(": ").next().unwrap();
    assert_eq!(out.stderr.matches(why).count(), 1, "{out}");
    // text output too: the reason is said once on stderr
    let f = ctx.path("jwks.json").display().to_string();
    let text = verify_jwks(&f).arg(&t).run_in(&ctx);
    assert_eq!(text.code, 1, "{text}");
    assert!(text.stderr.matches(why).count() <= 1, "{text}");
}

#[test]
fn an_unknown_kid_in_a_local_file_has_no_fetch_age() {
    let t = token_kid("nope", "rsa.pem", &claims());
    let out = verify(&t, &[]);
    out.rejected("key_not_found").message_has("it holds");
    let m = out.json()["error"]["message"].to_string();
    assert!(!m.contains("fetched"), "{m}");
    // a fetched set does say how old it is
    let server = Server::start();
    server.set("/jwks", Reply::value(&read_json("keys/jwks.json")));
    let out = verify_cmd()
        .json()
        .arg("--jwks-uri")
        .arg(format!("{}/jwks", server.url()))
        .audience("api")
        .now(NOW_S)
        .arg(&t)
        .run();
    out.rejected("key_not_found").message_has("fetched");
}

#[test]
fn five_segments_are_an_encrypted_token_never_a_base64_error() {
    for t in [
        "not+base64=.AAAA.AAAA.AAAA.AAAA",
        "e30.a=.b.c.d",
        "%%%.AAAA.AAAA.AAAA.AAAA",
    ] {
        let out = verify(t, &[]);
        out.rejected("encrypted_token");
        let m = out.json()["error"]["message"].to_string();
        assert!(!m.contains("base64"), "{out}");
    }
    // decode says so too when the protected header cannot be read
    let d = oidcat(&["-o", "json", "decode", "not+base64=.AAAA.AAAA.AAAA.AAAA"]);
    assert_eq!(d.code, 1, "{d}");
    assert!(d.stderr.contains("encrypted token"), "{d}");
    assert!(!d.stderr.contains("base64url"), "{d}");
}

#[test]
fn a_jwe_under_a_shared_key_does_not_ask_for_a_private_key() {
    for (alg, private) in [("dir", false), ("A256KW", false), ("RSA-OAEP-256", true)] {
        let h = b64(json!({"alg": alg, "enc": "A256GCM"}).to_string());
        let jwe = format!("{h}.AAAA.AAAA.AAAA.AAAA");
        let out = verify(&jwe, &[]);
        out.rejected("encrypted_token");
        let m = out.json()["error"]["message"].to_string();
        assert_eq!(m.contains("recipient's private key"), private, "{alg}: {m}");
        let d = oidcat(&["decode", &jwe]);
        assert_eq!(
            format!("{}{}", d.stdout, d.stderr).contains("recipient's private key"),
            private,
            "{alg}: {d}"
        );
    }
}

#[test]
fn a_jws_json_serialization_is_named_as_such() {
    let t = jwt(Algorithm::RS256, &claims());
    let mut parts = t.split('.');
    let (h, p, s) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let general = json!({"payload": p, "signatures": [{"protected": h, "signature": s}]});
    let flat = json!({"payload": p, "protected": h, "signature": s});
    for doc in [general, flat] {
        let out = ctx_verify_stdin(&doc.to_string());
        assert_eq!(out.code, 1, "{out}");
        assert!(out.stderr.contains("JSON serialization"), "{out}");
        assert!(!out.stderr.contains("`value`"), "{out}");
    }
}

fn ctx_verify_stdin(stdin: &str) -> Outcome {
    let ctx = Ctx::new();
    verify_jwks(&fx("keys/jwks.json")).run_stdin_in(&ctx, stdin)
}

#[test]
fn plain_http_through_a_proxy_is_absolute_form() {
    let server = Server::start();
    let iss = "http://idp.test";
    server.set(
        DISC,
        Reply::value(&json!({"issuer": iss, "jwks_uri": "http://idp.test/jwks"})),
    );
    server.set("/jwks", Reply::value(&read_json("keys/jwks.json")));
    let proxy = Proxy::start(server.addr);
    let t = jwt(Algorithm::RS256, &claims_with(json!({ "iss": iss })));
    let ctx = Ctx::new().env("HTTP_PROXY", proxy.url());
    issuer_verify(iss)
        .globals(&["--allow-http", "--no-cache"])
        .arg(&t)
        .run_in(&ctx)
        .valid();
    let asked = proxy.asked.lock().unwrap().clone();
    assert_eq!(
        asked,
        vec![
            format!("GET {iss}{DISC}"),
            "GET http://idp.test/jwks".to_string()
        ]
    );
    assert!(asked.iter().all(|a| !a.starts_with("CONNECT")));
}

#[test]
fn no_store_documents_are_not_written_to_the_disk_cache() {
    let server = Server::start();
    let iss = server.serve_test_keys();
    let t = jwt(Algorithm::RS256, &claims_with(json!({ "iss": iss })));
    for path in [DISC, "/jwks"] {
        let doc = if path == DISC {
            json!({"issuer": iss, "jwks_uri": format!("{iss}/jwks")})
        } else {
            read_json("keys/jwks.json")
        };
        server.set(
            path,
            Reply::value(&doc).header("Cache-Control", "no-store, max-age=600"),
        );
    }
    let ctx = Ctx::new();
    issuer_verify(&iss).arg(&t).run_in(&ctx).valid();
    let cached = std::fs::read_dir(ctx.cache_dir())
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(cached, 0, "nothing written to {:?}", ctx.cache_dir());
    // a second run fetches again
    issuer_verify(&iss).arg(&t).run_in(&ctx).valid();
    assert_eq!(server.hits("/jwks"), 2);
    // without no-store the same documents are cached
    server.set("/jwks", Reply::value(&read_json("keys/jwks.json")));
    issuer_verify(&iss).arg(&t).run_in(&ctx).valid();
    issuer_verify(&iss).arg(&t).run_in(&ctx).valid();
    assert_eq!(server.hits("/jwks"), 3);
}

#[test]
fn content_types_json_with_a_warning_html_refused_with_a_hint() {
    let server = Server::start();
    let iss = server.serve_test_keys();
    let doc = json!({"issuer": iss, "jwks_uri": format!("{iss}/jwks")});
    for ct in ["text/plain", "application/octet-stream"] {
        server.set(DISC, Reply::value(&doc).header("Content-Type", ct));
        let out = oidcat(&["--no-cache", "discover", &iss]);
        out.ok();
        out.stderr_has("warning:").stderr_has(ct);
        // not JSON under that type: refused
        server.set(
            DISC,
            Reply::json(b"issuer = x".to_vec()).header("Content-Type", ct),
        );
        let out = oidcat(&["-o", "json", "--no-cache", "discover", &iss]);
        assert_eq!(out.code, 3, "{out}");
    }
    server.set(
        DISC,
        Reply::json(b"<!doctype html><title>Sign in</title>".to_vec())
            .header("Content-Type", "text/html; charset=utf-8"),
    );
    let out = oidcat(&["-o", "json", "--no-cache", "discover", &iss]);
    out.undecided("fetch_failed")
        .message_has("HTML")
        .message_has("login page");
    assert!(!out.stdout.contains("Sign in"), "{out}");
}
