//! `oidcat decode`: real tokens, every input form, malformed inputs, JWE, RFC vectors.

use jsonwebtoken::Algorithm;
use proptest::prelude::*;
use serde_json::json;

use crate::support::cli::*;

const JWE: &str = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.AAAA.AAAA.AAAA.AAAA";

#[test]
fn github_token_text_shows_claims_times_and_expiry() {
    let out = oidcat(&[
        "decode",
        "--now",
        "2024-01-01T00:00:00Z",
        &format!("@{}", fx("github/expired.jwt")),
    ]);
    out.ok()
        .stdout_has("nickolashkraus/flask-oidc")
        .stdout_has("2023-01-23T18:36:18Z")
        .stdout_has("expired")
        .stdout_has("NOT VERIFIED");
}

#[test]
fn claims_and_header_flags_print_pure_json() {
    let t = format!("@{}", fx("github/expired.jwt"));
    let c = oidcat(&["decode", "--claims", &t]);
    c.ok();
    assert_eq!(c.json()["repository"], "nickolashkraus/flask-oidc");
    assert_eq!(c.json()["iss"], GH_ISS);
    let h = oidcat(&["decode", "--header", &t]);
    h.ok();
    assert_eq!(
        h.json(),
        json!({"typ":"JWT","alg":"RS256","x5t":"eBZ_cn3sXYAd0ch4THBKHIgOwOE","kid":GH_KID})
    );
}

#[test]
fn json_output_has_the_contract_fields() {
    let out = oidcat(&[
        "-o",
        "json",
        "decode",
        "--now",
        "2024-01-01T00:00:00Z",
        &format!("@{}", fx("github/expired.jwt")),
    ]);
    out.ok();
    let j = out.json();
    let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["header", "claims", "signature_len", "warnings"]);
    assert_eq!(j["header"]["alg"], "RS256");
    assert_eq!(j["claims"]["repository"], "nickolashkraus/flask-oidc");
    assert_eq!(j["signature_len"], 256);
    let w = j["warnings"].as_array().unwrap();
    assert!(
        w.iter().any(|w| w.as_str().unwrap().contains("expired")),
        "{w:?}"
    );
}

#[test]
fn malformed_inputs_exit_1_naming_the_problem() {
    let obj = b64(r#"{"alg":"RS256"}"#);
    let cases: Vec<(String, &str)> = vec![
        ("a.b".into(), "found 2"),
        (format!("{obj}.{obj}.c2ln.x"), "found 4"),
        (format!("a.{obj}.c2ln"), "header is not valid base64url"),
        (format!("{obj}.e30.c2l!"), "outside base64url"),
        (
            format!("{}.e30.c2ln", b64("[1]")),
            "header is JSON but not an object",
        ),
        (
            format!("{}.e30.c2ln", b64("not json")),
            "header is not a JSON object",
        ),
        (format!("{obj}.{}.c2ln", b64("1")), "not a claims object"),
        (
            format!("{obj}.{}.c2ln", b64("[\"a\"]")),
            "not a claims object",
        ),
    ];
    for (token, needle) in cases {
        let out = oidcat(&["decode", &token]);
        out.expect(1, None).stderr_has(needle);
        let j = oidcat(&["-o", "json", "decode", &token]);
        j.expect(1, Some("malformed")).message_has(needle);
    }
}

#[test]
fn empty_and_oversized_inputs_are_refused() {
    let ctx = Ctx::new();
    ctx.run_stdin(&["-o", "json", "decode"], "  \n")
        .expect(1, Some("malformed"))
        .message_has("empty input");
    let big = format!("{}.{}.c2ln", b64(r#"{"alg":"RS256"}"#), "A".repeat(70_000));
    ctx.run_stdin(&["-o", "json", "decode", "-"], big.clone())
        .expect(1, Some("malformed"))
        .message_has("64 KiB");
    let f = ctx.write("big.jwt", &big);
    ctx.run(&["-o", "json", "decode", &format!("@{f}")])
        .expect(1, Some("malformed"))
        .message_has("64 KiB");
}

#[test]
fn unknown_alg_and_typ_still_decode() {
    let t = format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"XYZ999","typ":"weird+jwt"}"#),
        b64(r#"{"sub":"x"}"#)
    );
    let out = oidcat(&["decode", "--header", &t]);
    out.ok();
    assert_eq!(out.json()["alg"], "XYZ999");
    let t = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(r#"{"sub":"x"}"#));
    let out = oidcat(&["-o", "json", "decode", &t]);
    out.ok();
    assert!(out.stdout.contains("unsigned"), "{out}");
}

#[test]
fn jwe_shows_its_protected_header_and_says_encrypted() {
    let out = oidcat(&["decode", JWE]);
    out.ok().stdout_has("RSA-OAEP").stdout_has("A256GCM");
    assert!(
        out.stdout.contains("encrypted") || out.stderr.contains("encrypted"),
        "{out}"
    );
    assert!(!out.stderr.contains("base64"), "{out}");
    let j = oidcat(&["-o", "json", "decode", JWE]);
    j.ok();
    assert_eq!(j.json()["header"]["enc"], "A256GCM");
    assert!(
        j.json()["warnings"][0]
            .as_str()
            .unwrap()
            .contains("encrypted")
    );
}

#[test]
fn every_input_form_is_unwrapped() {
    let t = jwt(Algorithm::RS256, &claims());
    let ctx = Ctx::new();
    let file = ctx.write("t.jwt", format!("\n  {t}\n\n"));
    let oauth = ctx.write(
        "oauth.json",
        format!(r#"{{"access_token":"x.y.z","id_token":"{t}","token_type":"Bearer"}}"#),
    );
    let sub = |o: Outcome| {
        o.ok();
        assert_eq!(o.json()["sub"], "user-1", "{o}");
    };
    sub(ctx.run(&["decode", "--claims", &t]));
    sub(ctx.run_stdin(&["decode", "--claims", "-"], format!("{t}\n")));
    sub(ctx.run_stdin(&["decode", "--claims"], format!("{t}\n")));
    sub(ctx.run(&["decode", "--claims", &format!("@{file}")]));
    sub(ctx.run(&["decode", "--claims", &format!("Bearer {t}")]));
    sub(ctx.run(&["decode", "--claims", &format!("bEaReR   {t}")]));
    sub(ctx.run_stdin(
        &["decode", "--claims"],
        format!("Authorization: Bearer {t}\r\n"),
    ));
    sub(ctx.run_stdin(
        &["decode", "--claims"],
        format!(r#"{{"count": 1, "value": "{t}"}}"#),
    ));
    sub(ctx.run(&["decode", "--claims", &format!("@{oauth}")]));
    // a path without `@` is a usage error with a hint
    ctx.run(&["decode", &file])
        .expect(2, None)
        .stderr_has(&format!("@{file}"));
    ctx.run(&["decode", "@"]).expect(2, None);
    ctx.run(&["-o", "json", "decode", "@/nonexistent/t.jwt"])
        .expect(3, Some("io"));
}

#[test]
fn usage_errors_exit_2() {
    let t = jwt(Algorithm::RS256, &claims());
    oidcat(&["decode", "--header", "--claims", &t]).expect(2, None);
    oidcat(&["decode", "--bogus", &t]).expect(2, None);
    oidcat(&["-o", "yaml", "decode", &t]).expect(2, None);
    oidcat(&["-o", "json", "decode", "--now", "yesterday", &t]).expect(2, Some("usage"));
    oidcat(&["frobnicate"]).expect(2, None);
    oidcat(&["--help"]).ok().stdout_has("Exit codes");
}

#[test]
fn rfc7515_a2_and_a3_decode_to_their_documented_contents() {
    for (file, alg) in [
        ("rfc/rfc7515-a2.jwt", "RS256"),
        ("rfc/rfc7515-a3.jwt", "ES256"),
    ] {
        let t = format!("@{}", fx(file));
        let h = oidcat(&["decode", "--header", &t]);
        h.ok();
        assert_eq!(h.json(), json!({ "alg": alg }));
        let c = oidcat(&["decode", "--claims", &t]);
        c.ok();
        assert_eq!(
            c.json(),
            json!({"iss": "joe", "exp": 1300819380, "http://example.com/is_root": true})
        );
    }
}

#[test]
fn rfc8037_a4_is_not_a_jwt() {
    let out = oidcat(&[
        "-o",
        "json",
        "decode",
        &format!("@{}", fx("rfc/rfc8037-a4.jwt")),
    ]);
    out.expect(1, Some("malformed")).message_has("not a JWT");
    out.message_has("not a JSON claims object");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn unwrap_and_parse_never_panic_on_strings(s in "\\PC{0,300}") {
        if let Ok(t) = oidcat::input::unwrap_token(&s) {
            let _ = oidcat::jwt::parse(&t);
        }
        let _ = oidcat::jwt::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_token_shaped_input(
        h in proptest::collection::vec(any::<u8>(), 0..80),
        p in proptest::collection::vec(any::<u8>(), 0..80),
        s in "[A-Za-z0-9_=+/.-]{0,40}",
        dots in 0usize..6,
    ) {
        let mut t = format!("{}.{}.{s}", b64(&h), b64(&p));
        for _ in 0..dots { t.push('.'); }
        let _ = oidcat::jwt::parse(&t);
        let _ = oidcat::input::unwrap_token(&format!("Bearer {t}"));
        let _ = oidcat::input::unwrap_token(&format!("{{\"value\": \"{t}\"}}"));
    }

    #[test]
    fn parse_never_panics_on_json_shaped_segments(
        h in "\\{[\"a-z:,0-9\\[\\]{}]{0,40}\\}",
        p in "\\{[\"a-z:,0-9\\[\\]{}.e-]{0,60}\\}",
    ) {
        let _ = oidcat::jwt::parse(&format!("{}.{}.c2ln", b64(&h), b64(&p)));
    }
}
