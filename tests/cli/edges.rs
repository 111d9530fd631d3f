//! Verdicts at the edges (issue #17): the cases where oidcat disagreed with
//! jose and PyJWT, each decided as docs/differences.md says. The
//! differential test (tests/differential/) keeps the whole picture; these
//! pin each rule with an exact kind and message.

use jsonwebtoken::Algorithm;
use serde_json::{Value, json};

use crate::support::cli::*;

const H_RS: &str = r#"{"alg":"RS256","kid":"rsa-1"}"#;

fn rs(changes: Value) -> String {
    jwt(Algorithm::RS256, &claims_with(changes))
}

/// `claims()` as JSON text with one member's value replaced by raw JSON text.
fn raw_claims(name: &str, raw_value: &str) -> String {
    let mut c = claims();
    c[name] = json!("@@");
    c.to_string().replace(r#""@@""#, raw_value)
}

fn rs_raw(name: &str, raw_value: &str) -> String {
    raw_rs256(H_RS, &raw_claims(name, raw_value))
}

/// `-o json verify --jwks-file JWKS --audience api --now NOW EXTRA TOKEN`.
fn verify_set(jwks: &str, token: &str, extra: &[&str]) -> Outcome {
    verify_jwks(jwks).json().args(extra).arg(token).run()
}

// ------------------------------------------------------------ time claims

#[test]
fn null_time_claims_are_malformed_not_absent() {
    for name in ["nbf", "iat", "auth_time"] {
        let out = verify(&rs_raw(name, "null"), &[]);
        out.rejected("malformed").message_has(name);
        // the failed check is reported under the claim's own name
        assert!(
            out.failed_checks().iter().any(|c| c == name),
            "{name}: no failed `{name}` check\n{out}"
        );
    }
    verify(&rs_raw("exp", "null"), &["--no-require-exp"])
        .rejected("malformed")
        .message_has("exp");
    // required: a null exp is a missing one
    verify(&rs_raw("exp", "null"), &[]).rejected("missing_claim");
    // still true: absent nbf/iat are fine, absent exp under --no-require-exp too
    verify(&rs(json!({"iat": null})), &[]).valid();
    verify(&rs(json!({"exp": null})), &["--no-require-exp"]).valid();
}

#[test]
fn time_claims_outside_years_1_to_9999_are_malformed() {
    for (name, raw) in [
        ("exp", "1e300"),
        ("exp", "18446744073709551616"),
        ("exp", "253402300800"),
        ("exp", "-1e300"),
        ("nbf", "-62135596801"),
        ("iat", "-62135596801"),
        ("iat", "1e300"),
        ("auth_time", "253402300800"),
    ] {
        let out = verify(&rs_raw(name, raw), &[]);
        out.rejected("malformed").message_has(name);
    }
    // the edges themselves are in range
    verify(&rs_raw("exp", "253402300799"), &[]).valid();
    verify(&rs_raw("nbf", "-62135596800"), &[]).valid();
    verify(&rs_raw("auth_time", "-62135596800"), &[]).valid();
}

#[test]
fn fractions_never_let_a_token_in() {
    let zero = ["--leeway", "0"];
    let half_past = format!("{}.5", NOW);
    let half_before = format!("{}.5", NOW - 1);
    // nbf and iat round up: half a second in the future is in the future
    verify(&rs_raw("nbf", &half_past), &zero).rejected("not_yet_valid");
    verify(&rs_raw("iat", &half_past), &zero).rejected("issued_in_future");
    verify(&rs_raw("nbf", &half_before), &zero).valid();
    verify(&rs_raw("iat", &half_before), &zero).valid();
    // exp rounds down: expiring half a second from now is expired now
    verify(&rs_raw("exp", &half_past), &zero).rejected("expired");
    verify(&rs_raw("exp", &format!("{}.5", NOW + 1)), &zero).valid();
    // with leeway: nbf = now + leeway + 0.5 is past the leeway
    verify(&rs_raw("nbf", &format!("{}.5", NOW + 60)), &[]).rejected("not_yet_valid");
    verify(&rs_raw("nbf", &format!("{}", NOW + 60)), &[]).valid();
}

// ------------------------------------------------------------ claim types

#[test]
fn iss_sub_and_jti_must_be_strings() {
    let sub = json!(["repo:evil/x", "repo:acme/app:ref:refs/heads/main"]);
    verify(
        &rs(json!({ "sub": sub })),
        &["--claim", "sub~repo:acme/app:*"],
    )
    .rejected("malformed")
    .message_has("sub");
    for (name, value) in [
        ("sub", json!(12345)),
        ("sub", json!({"id": "x"})),
        ("jti", json!(7)),
        ("jti", json!(["a"])),
        ("iss", json!(42)),
        ("iss", json!(["https://idp.test"])),
    ] {
        verify(&rs(json!({ name: value })), &[])
            .rejected("malformed")
            .message_has(name);
    }
    // aud: a string or an array of strings
    for aud in [json!(["api", 1]), json!({"a": "api"}), json!(5)] {
        verify(&rs(json!({ "aud": aud })), &[])
            .rejected("malformed")
            .message_has("aud");
    }
    // the ordinary shapes still pass
    verify(
        &rs(json!({"sub": "s", "jti": "j", "aud": ["x", "api"]})),
        &[],
    )
    .valid();
}

#[test]
fn a_lone_surrogate_is_malformed_and_named() {
    let out = verify(&rs_raw("name", r#""J\ud800""#), &[]);
    out.rejected("malformed")
        .message_has("name")
        .message_has("lone surrogate");
    assert!(!out.stderr.contains("line 1 column"), "{out}");
    // a low surrogate alone too, and inside a nested member
    verify(&rs_raw("name", r#""\udc00x""#), &[])
        .rejected("malformed")
        .message_has("lone surrogate");
    verify(&rs_raw("profile", r#"{"nick":"\ud83d"}"#), &[])
        .rejected("malformed")
        .message_has("nick")
        .message_has("lone surrogate");
    // in the header too
    let t = sign(
        Algorithm::RS256,
        &key_pem("rsa.pem"),
        br#"{"alg":"RS256","kid":"rsa-1","x-note":"\ud800"}"#,
        claims().to_string().as_bytes(),
    );
    verify(&t, &[])
        .rejected("malformed")
        .message_has("header")
        .message_has("x-note")
        .message_has("lone surrogate");
    // a proper pair is a character
    verify(&rs_raw("name", r#""\ud83d\ude00""#), &[]).valid();
}

// ------------------------------------------------------------ keys

#[test]
fn key_ops_with_duplicates_refuses_the_key() {
    let ctx = Ctx::new();
    let mut jwk = read_json("keys/rsa.jwk.json");
    jwk["key_ops"] = json!(["verify", "verify"]);
    let set = ctx.write("dup.json", json!({ "keys": [jwk] }).to_string());
    // the key is skipped with a warning that says why
    verify_set(&set, &rs(json!({})), &[])
        .rejected("key_not_found")
        .stderr_has("`key_ops` lists \"verify\" twice");
    jwk["key_ops"] = json!(["verify"]);
    let set = ctx.write("ok.json", json!({ "keys": [jwk] }).to_string());
    verify_set(&set, &rs(json!({})), &[]).valid();
}

/// The `ec-lz` key's `x` starts with a zero octet.
fn ec_lz_set(ctx: &Ctx, name: &str, x: &[u8]) -> String {
    let mut jwk = read_json("keys/p256-lz.jwk.json");
    jwk["x"] = json!(b64(x));
    ctx.write(name, json!({ "keys": [jwk] }).to_string())
}

#[test]
fn ec_coordinates_one_octet_short_or_long_are_accepted_with_a_warning() {
    let ctx = Ctx::new();
    let jwk = read_json("keys/p256-lz.jwk.json");
    let x = unb64(jwk["x"].as_str().unwrap());
    assert_eq!(
        (x.len(), x[0]),
        (32, 0),
        "the fixture's x starts with a zero octet"
    );
    let t = sign(
        Algorithm::ES256,
        &key_pem("p256-lz.pem"),
        br#"{"alg":"ES256","kid":"ec-lz"}"#,
        claims().to_string().as_bytes(),
    );
    let exact = ec_lz_set(&ctx, "exact.json", &x);
    verify_set(&exact, &t, &[]).valid();
    let thumbprint = |set: &str| {
        let out = oidcat(&["-o", "json", "jwks", "--file", set]);
        out.ok();
        let key = out.json()["keys"][0].clone();
        (key["thumbprint"].clone(), key["warnings"].to_string())
    };
    let (canonical, none) = thumbprint(&exact);
    assert_eq!(none, "[]");
    // dropped leading zero (31 octets): padded, the same key
    let short = ec_lz_set(&ctx, "short.json", &x[1..]);
    verify_set(&short, &t, &[]).valid();
    let (same, warnings) = thumbprint(&short);
    assert_eq!(same, canonical);
    assert!(
        warnings.contains("31 octets") && warnings.contains("padded"),
        "{warnings}"
    );
    // one extra leading zero (33 octets), as glewlwyd publishes
    let long = ec_lz_set(&ctx, "long.json", &[&[0u8][..], &x].concat());
    verify_set(&long, &t, &[]).valid();
    let (same, warnings) = thumbprint(&long);
    assert_eq!(same, canonical);
    assert!(
        warnings.contains("33 octets") && warnings.contains("stripped"),
        "{warnings}"
    );
    // two octets short, or a long one whose extra octet is not zero: refused
    verify_set(&ec_lz_set(&ctx, "short2.json", &x[2..]), &t, &[]).rejected("key_not_found");
    verify_set(
        &ec_lz_set(&ctx, "long1.json", &[&[1u8][..], &x].concat()),
        &t,
        &[],
    )
    .rejected("key_not_found");
}

// ------------------------------------------------------------ issuers

#[test]
fn the_google_issuer_accepts_both_documented_spellings() {
    let jwks = fx("keys/jwks.json");
    for iss in ["https://accounts.google.com", "accounts.google.com"] {
        let t = rs(json!({ "iss": iss }));
        for issuer in ["google", "https://accounts.google.com"] {
            verify(&t, &["--issuer", issuer]).valid();
        }
    }
    // no other issuer is matched loosely
    let t = rs(json!({"iss": "idp.test"}));
    verify(&t, &["--issuer", "https://idp.test"]).rejected("issuer_mismatch");
    let t = rs(json!({"iss": "https://accounts.google.com/"}));
    verify(&t, &["--issuer", "google"]).rejected("issuer_mismatch");
    // the bare host is not an issuer URL: the message names the preset
    verify_set(
        &jwks,
        &rs(json!({"iss": "accounts.google.com"})),
        &["--issuer", "accounts.google.com"],
    )
    .expect(2, Some("usage"))
    .message_has("--issuer google");
}

// ------------------------------------------------------------ files

const BOM: &[u8] = b"\xef\xbb\xbf";

#[test]
fn a_byte_order_mark_at_the_start_of_a_file_is_ignored() {
    let ctx = Ctx::new();
    let t = rs(json!({}));
    // token file
    let token = ctx.write("token.txt", [BOM, t.as_bytes(), b"\n"].concat());
    verify(&format!("@{token}"), &[]).valid();
    // key set file
    let set = std::fs::read(fixture("keys/jwks.json")).unwrap();
    let set = ctx.write("jwks.json", [BOM, &set[..]].concat());
    verify_set(&set, &t, &[]).valid();
    // --key: a JWK and a PEM
    for (name, file) in [
        ("k.jwk", "keys/rsa.jwk.json"),
        ("k.pem", "keys/rsa.pub.pem"),
    ] {
        let key = std::fs::read(fixture(file)).unwrap();
        let key = ctx.write(name, [BOM, &key[..]].concat());
        verify_cmd()
            .json()
            .key(key)
            .audience("api")
            .now(NOW_S)
            .arg(&t)
            .run()
            .valid();
    }
    // jwks lists a key set file with one too
    oidcat(&["-o", "json", "jwks", "--file", &set]).ok();
    // a BOM is only skipped at the very start, and only one
    let twice = ctx.write("twice.txt", [BOM, BOM, t.as_bytes()].concat());
    verify(&format!("@{twice}"), &[]).rejected("malformed");
}

// ------------------------------------------------------------ messages

#[test]
fn a_short_hmac_secret_names_the_algorithm_and_its_minimum() {
    let ctx = Ctx::new();
    let s32 = ctx.write("s32", vec![b'k'; 32]);
    for (alg, min) in [
        (Algorithm::HS384, "48 bytes"),
        (Algorithm::HS512, "64 bytes"),
    ] {
        let name = oidcat::keys::alg_name(alg);
        let header = format!(r#"{{"alg":"{name}"}}"#);
        let t = sign(
            alg,
            &[b'k'; 32],
            header.as_bytes(),
            claims().to_string().as_bytes(),
        );
        let out = verify_cmd()
            .json()
            .args(&["--secret-file", &s32])
            .audience("api")
            .now(NOW_S)
            .arg(&t)
            .run();
        out.expect(2, Some("usage"))
            .message_has(name)
            .message_has(min);
        assert!(
            !out.stderr.contains("needs a shared secret"),
            "a secret was given\n{out}"
        );
    }
}

#[test]
fn a_key_set_file_over_1_mib_is_a_usage_error() {
    let ctx = Ctx::new();
    let set = std::fs::read_to_string(fixture("keys/jwks.json")).unwrap();
    // valid JSON, padded with whitespace past the cap
    let big = ctx.write("big.json", format!("{set}{}", " ".repeat(1 << 20)));
    verify_set(&big, &rs(json!({})), &[])
        .expect(2, Some("usage"))
        .message_has("larger than 1 MiB");
}
