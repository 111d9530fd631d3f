//! The mistakes a newcomer makes (docs/reference.md, verify): each gets a
//! message naming the fix, and a token is never echoed from any position that
//! takes a path, a URL or an issuer. Also `jwks` and `discover --file` taking
//! what a user would give them.

use jsonwebtoken::Algorithm;
use serde_json::json;

use crate::support::cli::*;

const DISC: &str = "/.well-known/openid-configuration";

#[test]
fn every_missing_choice_is_named_in_one_error() {
    let t = jwt(Algorithm::RS256, &claims());
    let out = oidcat(&["-o", "json", "verify", &t]);
    out.expect(2, Some("usage"))
        .message_has("--audience")
        .message_has("--any-audience")
        .message_has("--issuer")
        .message_has("--jwks-file");
    // one missing choice is named alone
    let out = oidcat(&["-o", "json", "verify", "--any-audience", &t]);
    out.expect(2, Some("usage")).message_has("no key source");
    let m = out.json()["error"]["message"].to_string();
    assert!(!m.contains("--audience AUD"), "{m}");
}

#[test]
fn an_issuer_given_as_its_discovery_url_names_the_issuer() {
    let out = issuer_verify(&format!("http://127.0.0.1:9{DISC}"))
        .arg("x.y.z")
        .run();
    out.expect(2, Some("usage"))
        .message_has("give the issuer itself: --issuer http://127.0.0.1:9 ");
    let out = oidcat(&[
        "-o",
        "json",
        "discover",
        &format!("http://127.0.0.1:9{DISC}"),
    ]);
    out.expect(2, Some("usage"))
        .message_has("discover http://127.0.0.1:9 ");
}

#[test]
fn an_issuer_given_as_a_key_set_url_names_jwks_uri_without_an_html_dump() {
    let server = Server::start();
    server.set_fallback(
        Reply::json(b"<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>".to_vec())
            .with_status(404, "Not Found")
            .header("Content-Type", "text/html"),
    );
    server.set("/jwks", Reply::value(&read_json("keys/jwks.json")));
    // by its name, and (for a name that does not tell) by what it serves
    server.set("/oidc/signing", Reply::value(&read_json("keys/jwks.json")));
    for path in ["/jwks", "/oidc/signing"] {
        let url = format!("{}{path}", server.url());
        let t = jwt(Algorithm::RS256, &claims());
        let out = issuer_verify(&url).arg(&t).run();
        out.undecided("fetch_failed")
            .message_has(&format!("--jwks-uri {url}"));
        assert!(
            !out.stdout.contains("<html") && !out.stderr.contains("<html"),
            "{out}"
        );
        assert!(!out.stdout.contains("Not Found</h1>"), "{out}");
    }
}

#[test]
fn a_pem_as_key_set_and_a_key_set_as_key_name_the_other_flag() {
    let t = jwt(Algorithm::RS256, &claims());
    let out = verify_jwks(&fx("keys/rsa.pub.pem")).json().arg(&t).run();
    out.undecided("jwks_invalid").message_has("use --key");
    let out = verify_jwks(&fx("keys/rsa.jwk.json")).json().arg(&t).run();
    out.undecided("jwks_invalid").message_has("one JWK");
    let out = verify_cmd()
        .json()
        .key(fx("keys/jwks.json"))
        .audience("api")
        .now(NOW_S)
        .arg(&t)
        .run();
    out.expect(2, Some("usage")).message_has("use --jwks-file");
}

#[test]
fn a_secret_file_ending_in_a_newline_gets_a_hint() {
    let secret = b"0123456789abcdef0123456789abcdef0123";
    let t = sign(
        Algorithm::HS256,
        secret,
        br#"{"alg":"HS256"}"#,
        claims().to_string().as_bytes(),
    );
    let ctx = Ctx::new();
    let mut with_nl = secret.to_vec();
    with_nl.push(b'\n');
    let f = ctx.write("secret", &with_nl);
    let run = |file: &str| {
        verify_cmd()
            .json()
            .arg("--secret-file")
            .arg(file)
            .audience("api")
            .now(NOW_S)
            .arg(&t)
            .run_in(&ctx)
    };
    run(&f)
        .rejected("bad_signature")
        .message_has("ends in a newline")
        .message_has("verifies without it");
    // without the newline it verifies, and no hint is given elsewhere
    run(&ctx.write("secret2", secret)).valid();
}

#[test]
fn claim_assertions_in_a_probably_wrong_form_say_the_form_meant() {
    let t = jwt(
        Algorithm::RS256,
        &claims_with(json!({"repository": "acme/app", "ref": "refs/heads/main"})),
    );
    verify(&t, &["--claim", "repository==acme/app"])
        .rejected("claim_mismatch")
        .message_has("--claim 'repository=acme/app'");
    verify(&t, &["--claim", "repository = acme/app"])
        .rejected("missing_claim")
        .message_has("spaces")
        .message_has("--claim 'repository=acme/app'");
    verify(&t, &["--claim", "ref=refs/heads/*"])
        .rejected("claim_mismatch")
        .message_has("--claim 'ref~refs/heads/*'");
    verify(&t, &["--claim", "ref~refs/heads/*"]).valid();
}

/// A token pasted where a path, a URL or an issuer belongs is refused, and
/// its text never reaches stdout or stderr (a CI log), inside an Actions job.
#[test]
fn a_token_in_any_path_position_is_never_echoed() {
    let t = jwt(Algorithm::RS256, &claims());
    let sig = t.rsplit('.').next().unwrap().to_string();
    let payload = t.split('.').nth(1).unwrap().to_string();
    let at = format!("@{t}");
    let gf = fx("github/jwks.json");
    let lines: Vec<Vec<&str>> = vec![
        vec!["verify", "--any-audience", "--jwks-file", &gf, &at],
        vec!["decode", &at],
        vec!["verify", "--any-audience", "--key", &t, "x.y.z"],
        vec!["verify", "--any-audience", "--jwks-file", &t, "x.y.z"],
        vec!["verify", "--any-audience", "--secret-file", &t, "x.y.z"],
        vec!["verify", "--any-audience", "--jwks-uri", &t, "x.y.z"],
        vec!["verify", "--any-audience", "--issuer", &t, "x.y.z"],
        vec![
            "--ca-file",
            &t,
            "verify",
            "--any-audience",
            "--issuer",
            "github",
            "x.y.z",
        ],
        vec![
            "--cache-dir",
            &t,
            "verify",
            "--any-audience",
            "--issuer",
            "github",
            "x.y.z",
        ],
        vec!["--ca-file", &t, "discover", "github"],
        vec!["jwks", &t],
        vec!["jwks", "--jwks-file", &t],
        vec!["jwks", "--file", &t],
        vec!["jwks", "--jwks-uri", &t],
        vec!["discover", &t],
        vec!["discover", "--file", &t],
        vec!["serve", "--any-audience", "--key", &t],
        vec!["serve", "--any-audience", "--jwks-file", &t],
        vec!["serve", "--any-audience", "--issuer", &t],
    ];
    let ctx = Ctx::new().env("GITHUB_ACTIONS", "true");
    for line in &lines {
        for json in [false, true] {
            let mut args: Vec<&str> = if json { vec!["-o", "json"] } else { vec![] };
            args.extend(line.iter().copied());
            let out = ctx.run(&args);
            assert_eq!(out.code, 2, "{line:?}\n{out}");
            for text in [&out.stdout, &out.stderr] {
                assert!(
                    !text.contains(&sig) && !text.contains(&payload),
                    "the token leaked: {line:?}\n{out}"
                );
            }
            assert!(out.stderr.contains("looks like a token"), "{line:?}\n{out}");
        }
    }
}

#[test]
fn unfixable_discovery_warnings_only_with_verbose_in_verify() {
    let server = Server::start();
    let iss = server.serve_github();
    let t = jwt(Algorithm::RS256, &claims_with(json!({ "iss": iss })));
    let base = verify_cmd().issuer(&iss).audience("api").now(NOW_S).arg(&t);
    let quiet = base.clone().run();
    assert!(!quiet.stderr.contains("authorization_endpoint"), "{quiet}");
    let verbose = base.global("-v").run();
    verbose.stderr_has("authorization_endpoint");
    oidcat(&["discover", &iss])
        .ok()
        .stderr_has("authorization_endpoint");
}

#[test]
fn jwks_takes_a_file_a_key_set_url_or_an_issuer() {
    let count = |out: &Outcome| out.json()["keys"].as_array().map_or(0, Vec::len);
    // a file, as the argument or under verify's name for it
    let file = fx("github/jwks.json");
    for args in [
        vec!["-o", "json", "jwks", file.as_str()],
        vec!["-o", "json", "jwks", "--jwks-file", file.as_str()],
        vec!["-o", "json", "jwks", "--file", file.as_str()],
    ] {
        let out = oidcat(&args);
        out.ok();
        assert!(count(&out) > 0, "{out}");
    }
    // a key set URL with no discovery document behind it
    let server = Server::start();
    server.set("/keys.json", Reply::value(&read_json("keys/jwks.json")));
    let url = format!("{}/keys.json", server.url());
    let out = oidcat(&["-o", "json", "jwks", &url]);
    out.ok();
    assert_eq!(out.json()["source"], url.as_str(), "{out}");
    assert_eq!(count(&out), 4, "{out}");
    // an issuer
    let iss = Server::start();
    let issuer = iss.serve_test_keys();
    let out = oidcat(&["-o", "json", "jwks", &issuer]);
    out.ok();
    assert_eq!(out.json()["source"], format!("{issuer}/jwks"), "{out}");
    // neither a file nor a URL
    let out = oidcat(&["-o", "json", "jwks", "no-such-file.json"]);
    assert_eq!(out.code, 3, "{out}");
    out.message_has("no such file");
}

#[test]
fn discover_checks_a_saved_document_offline() {
    let doc = fx("github/openid-configuration.json");
    let out = oidcat(&["-o", "json", "discover", "--file", &doc]);
    out.ok();
    assert_eq!(out.json()["issuer"], GH_ISS, "{out}");
    assert!(
        out.json()["warnings"]
            .to_string()
            .contains("authorization_endpoint"),
        "{out}"
    );
    oidcat(&["discover", "--file", &doc, "--issuer", "github"]).ok();
    oidcat(&[
        "-o", "json", "discover", "--file", &doc, "--issuer", "gitlab",
    ])
    .expect(1, Some("issuer_mismatch"));
    let ctx = Ctx::new();
    let bad = ctx.write("d.json", "<html>");
    ctx.run(&["-o", "json", "discover", "--file", &bad])
        .undecided("discovery_invalid");
    let missing = ctx.path("nope.json").display().to_string();
    ctx.run(&["-o", "json", "discover", "--file", &missing])
        .undecided("io");
}
