//! `oidcat verify` with real data (GitHub, RFC 7515), the JSON contract, a
//! property test of the core, and the GitHub Actions extras.

use std::sync::Arc;

use jsonwebtoken::Algorithm;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::support::cli::*;

const GH_AUD: &str = "https://github.com/nickolashkraus";

/// `-o json verify KEY_FLAG KEY --audience GH_AUD`.
fn gh_verify(key_flag: &str, key: &str) -> VerifyCmd {
    verify_cmd().json().arg(key_flag).arg(key).audience(GH_AUD)
}

/// `verify --jwks-file github/jwks.json --audience GH_AUD --now GH_NOW` (text output).
fn gh_text() -> VerifyCmd {
    verify_cmd()
        .jwks_file(fx("github/jwks.json"))
        .audience(GH_AUD)
        .now(GH_NOW)
}

const GH_CLAIMS: [&str; 4] = [
    "--claim",
    "repository=nickolashkraus/flask-oidc",
    "--claim",
    "sub~repo:nickolashkraus/*",
];

#[test]
fn github_token_verifies_with_jwks_file_and_with_certificate() {
    let tok = format!("@{}", fx("github/expired.jwt"));
    for (flag, key) in [
        ("--jwks-file", fx("github/jwks.json")),
        ("--key", fx("github/github-signing-cert.pem")),
        ("--key", fx("github/github-signing-key.pub.pem")),
    ] {
        let out = gh_verify(flag, &key)
            .now(GH_NOW)
            .issuer(GH_ISS)
            .args(&GH_CLAIMS)
            .arg(&tok)
            .run();
        out.valid();
        let j = out.json();
        assert_eq!(j["claims"]["repository"], "nickolashkraus/flask-oidc");
        assert_eq!(j["key"]["alg"], "RS256");
        assert_eq!(
            j["key"]["thumbprint"],
            "wdqkUpyb_-PRucTUsdRzhtxrKPMOnLmuJReyD4Il9jA"
        );
        assert!(out.checks().iter().all(|c| c["ok"] == true), "{out}");
    }
    // text output says VALID
    gh_text().arg(tok).run().ok().stdout_has("VALID");
}

#[test]
fn github_token_is_expired_today_and_bad_jwt_has_a_bad_signature() {
    let jwks = fx("github/jwks.json");
    let out = gh_verify("--jwks-file", &jwks)
        .arg(format!("@{}", fx("github/expired.jwt")))
        .run();
    out.rejected("expired").message_has("expired");
    // the signature itself still verified: only time failed
    assert_eq!(out.check("signature")["ok"], true);

    let bad = format!("@{}", fx("github/bad.jwt"));
    gh_verify("--jwks-file", &jwks)
        .now(GH_NOW)
        .arg(&bad)
        .run()
        .rejected("bad_signature");
    // bad signature AND expired: both reported, error.kind is the first (signature)
    let out = gh_verify("--jwks-file", &jwks).arg(&bad).run();
    out.rejected("bad_signature");
    let failed = out.failed_checks();
    assert!(
        failed.iter().any(|c| c == "signature") && failed.iter().any(|c| c == "exp"),
        "{failed:?}"
    );
}

#[test]
fn github_token_through_a_local_jwks_uri_and_issuer() {
    let server = Server::start();
    let iss = server.serve_github();
    let tok = format!("@{}", fx("github/expired.jwt"));
    let out = gh_verify("--jwks-uri", &format!("{iss}/jwks"))
        .now(GH_NOW)
        .args(&GH_CLAIMS)
        .arg(&tok)
        .run();
    out.valid();
    assert_eq!(out.json()["key"]["source"], format!("{iss}/jwks"));
    // --issuer also pins `iss`: the real token names GitHub, so the signature
    // verifies with the locally served keys but the issuer does not match.
    let out = gh_verify("--issuer", &iss).now(GH_NOW).arg(tok).run();
    out.rejected("issuer_mismatch")
        .message_has(GH_ISS)
        .message_has(&iss);
    assert!(out.passed("signature"), "{out}");
    assert_eq!(server.hits("/.well-known/openid-configuration"), 1);
    assert_eq!(
        server.hits("/jwks"),
        2,
        "one per run: each run has its own cache"
    );
}

/// `-o json verify --now 2011-03-22T00:00:00Z --any-audience ARGS @TOKEN_FILE`.
fn rfc(args: &[&str], token_file: &str) -> Outcome {
    rfc_at("2011-03-22T00:00:00Z", args, token_file)
}

fn rfc_at(now: &str, args: &[&str], token_file: &str) -> Outcome {
    verify_cmd()
        .json()
        .now(now)
        .arg("--any-audience")
        .args(args)
        .arg(format!("@{}", fx(token_file)))
        .run()
}

#[test]
fn rfc7515_known_answers() {
    rfc(
        &["--secret-file", &fx("rfc/rfc7515-a1.secret")],
        "rfc/rfc7515-a1.jwt",
    )
    .valid();
    rfc(
        &["--key", &fx("rfc/rfc7515-a2.jwk.json")],
        "rfc/rfc7515-a2.jwt",
    )
    .valid();
    rfc(
        &["--key", &fx("rfc/rfc7515-a2.pub.pem")],
        "rfc/rfc7515-a2.jwt",
    )
    .valid();
    rfc(
        &["--key", &fx("rfc/rfc7515-a3.jwk.json")],
        "rfc/rfc7515-a3.jwt",
    )
    .valid();
    rfc(
        &["--key", &fx("rfc/rfc7515-a2.jwk.json")],
        "rfc/rfc7515-a5.jwt",
    )
    .rejected("alg_not_allowed");
    rfc(
        &["--secret-file", &fx("rfc/rfc7515-a1.secret")],
        "rfc/rfc7515-a5.jwt",
    )
    .rejected("alg_not_allowed");
    // the same vectors after their exp are expired
    let out = rfc_at(
        "2011-03-23T00:00:00Z",
        &["--key", &fx("rfc/rfc7515-a2.pub.pem")],
        "rfc/rfc7515-a2.jwt",
    );
    out.rejected("expired");
    // with the wrong key: A.2 token against the A.3 key does not fit
    rfc(
        &["--key", &fx("rfc/rfc7515-a3.jwk.json")],
        "rfc/rfc7515-a2.jwt",
    )
    .rejected("key_not_found");
}

#[test]
fn rfc7797_unencoded_payload_is_refused() {
    let out = rfc(
        &["--secret-file", &fx("rfc/rfc7515-a1.secret")],
        "rfc/rfc7797-4.jws",
    );
    out.rejected("crit_unsupported");
}

#[test]
fn verdict_json_deserialises_into_the_contract_type() {
    let good = verify(&jwt(Algorithm::RS256, &claims()), &[]);
    good.valid();
    let v: oidcat::verify::Verdict = serde_json::from_str(&good.stdout).expect("valid verdict");
    assert!(v.valid && v.error.is_none());
    assert_eq!(v.key.as_ref().unwrap().kid.as_deref(), Some("rsa-1"));
    assert_eq!(
        v.key.as_ref().unwrap().thumbprint,
        "6v0mHSLvGXkRo4ZkypiSZog2QJxFBHO-vrBv3G4mhVA"
    );
    let bad = verify(
        &jwt(Algorithm::RS256, &claims_with(json!({"exp": NOW - 3600}))),
        &[],
    );
    bad.rejected("expired");
    let v: oidcat::verify::Verdict = serde_json::from_str(&bad.stdout).expect("invalid verdict");
    assert!(!v.valid);
    assert_eq!(v.kind(), Some(oidcat::error::Kind::Expired));
    assert_eq!(v.exit_code(), 1);
    // a JSON document on stdout also for exit 2 and 3
    let usage = verify_cmd().json().args(&["--any-audience", "x.y.z"]).run();
    usage.expect(2, Some("usage")).message_has("--jwks-uri");
    let miss = verify_cmd()
        .json()
        .global("--offline")
        .args(&["--any-audience", "--jwks-uri", "https://idp.test/jwks"])
        .arg(jwt(Algorithm::RS256, &claims()))
        .run();
    miss.undecided("offline_miss");
    assert_eq!(miss.json()["valid"], false);
}

#[test]
fn quiet_prints_nothing_on_success_and_one_reason_on_failure() {
    let t = jwt(Algorithm::ES256, &claims());
    let base = verify_jwks(&fx("keys/jwks.json")).global("--quiet");
    let out = base.clone().arg(&t).run();
    out.ok();
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out}");
    let t2 = jwt(Algorithm::ES256, &claims_with(json!({"aud": "nope"})));
    let out = base.audience("other").arg(t2).run();
    out.expect(1, None);
    assert!(out.stdout.is_empty(), "{out}");
    assert_eq!(out.stderr.lines().count(), 1, "{out}");
    assert!(out.stderr.contains("audience_mismatch"), "{out}");
}

fn rsa_set() -> oidcat::keys::KeySet {
    oidcat::keys::KeySet::parse(read_fixture("keys/jwks.json").as_bytes(), "test", 0).unwrap()
}

fn any_policy() -> oidcat::verify::Policy {
    oidcat::verify::Policy {
        require_exp: false,
        ..oidcat::verify::Policy::new(oidcat::verify::DEFAULT_ALGS.to_vec())
    }
}

#[test]
fn core_control_a_trusted_key_does_verify() {
    let provider = oidcat::verify::StaticKeys(Arc::new(rsa_set()));
    let t = jwt(Algorithm::RS256, &claims());
    let v = oidcat::verify::verify(&t, &provider, &any_policy(), NOW);
    assert!(v.valid, "{:?}", v.error);
}

/// The key set remembers what a success with each key reports: every
/// verdict, first or repeated, names the key and algorithm that verified it.
#[test]
fn core_reports_the_key_that_verified_each_token() {
    let provider = oidcat::verify::StaticKeys(Arc::new(rsa_set()));
    for _ in 0..2 {
        for (alg, kid) in [
            (Algorithm::RS256, "rsa-1"),
            (Algorithm::ES384, "ec-384"),
            (Algorithm::ES256, "ec-1"),
            (Algorithm::EdDSA, "ed-1"),
        ] {
            let t = jwt(alg, &claims());
            let v = oidcat::verify::verify(&t, &provider, &any_policy(), NOW);
            assert!(v.valid, "{alg:?} {:?}", v.error);
            let name = oidcat::keys::alg_name(alg);
            let key = v.key.as_ref().unwrap();
            assert_eq!(
                (key.kid.as_deref(), key.alg.as_str(), key.source.as_str()),
                (Some(kid), name, "test")
            );
            let detail = |c: &str| {
                v.checks
                    .iter()
                    .find(|x| x.check == c)
                    .unwrap()
                    .detail
                    .to_string()
            };
            assert_eq!(detail("key"), format!("{kid} from test"));
            assert_eq!(
                detail("signature"),
                format!(
                    "{name} signature verified with key {kid} ({})",
                    key.thumbprint
                )
            );
        }
    }
}

/// `serve`'s compact body is the same JSON value serde writes for the
/// verdict: valid, rejected, malformed, no token, odd whitespace and escapes.
#[test]
fn compact_verdict_json_is_the_serde_document() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let provider = oidcat::verify::StaticKeys(Arc::new(rsa_set()));
    let mut policy = any_policy();
    policy.claims = vec!["sub=user-1".parse().unwrap()];
    let spaced = format!(
        "{}.{}.{}",
        b64(" {\"alg\" : \"RS256\", \"kid\":\"rsa-1\"} "),
        b64("\n{ \"k\\u00e9y\": \"v\\n\\\"\", \"n\": [1, {\"a\": null}] }\t"),
        "c2ln"
    );
    let tokens = [
        jwt(Algorithm::RS256, &claims()),
        jwt(Algorithm::ES256, &claims_with(json!({"exp": NOW - 3600}))),
        jwt(Algorithm::RS256, &claims_with(json!({"sub": "other"}))),
        spaced,
        "not.a.token".to_string(),
        String::new(),
    ];
    let mut verdicts: Vec<_> = tokens
        .iter()
        .map(|t| oidcat::verify::verify(t, &provider, &policy, NOW))
        .collect();
    verdicts.push(oidcat::verify::Verdict::missing_token(
        "no Authorization header",
    ));
    assert!(verdicts[0].valid && !verdicts[1].valid && verdicts[3].header.is_some());
    for v in &verdicts {
        let compact: Value = serde_json::from_slice(&v.to_json_compact()).expect("valid JSON");
        assert_eq!(compact, serde_json::to_value(v).unwrap());
    }
}

fn claim_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        "[a-z/:*]{0,12}".prop_map(Value::from),
        Just(json!(NOW + 600)),
        Just(json!(["api", "x"])),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// A token signed by a key that is not in the set is never valid, whatever
    /// it claims and whichever kid it names.
    #[test]
    fn a_foreign_key_never_yields_a_valid_verdict(
        map in proptest::collection::btree_map("[a-z_]{1,8}|exp|nbf|iat|aud|iss", claim_value(), 0..8),
        kid in prop_oneof![Just(None), Just(Some("rsa-1")), Just(Some("ec-1")), Just(Some("nope"))],
        alg in prop_oneof![Just(Algorithm::RS256), Just(Algorithm::PS256), Just(Algorithm::RS512)],
    ) {
        let claims = Value::Object(map.into_iter().collect());
        let mut h = json!({"alg": oidcat::keys::alg_name(alg)});
        if let Some(k) = kid { h["kid"] = json!(k); }
        let t = sign(alg, &key_pem("rsa2.pem"), h.to_string().as_bytes(), claims.to_string().as_bytes());
        let provider = oidcat::verify::StaticKeys(Arc::new(rsa_set()));
        let v = oidcat::verify::verify(&t, &provider, &any_policy(), NOW);
        prop_assert!(!v.valid);
        prop_assert!(v.trusted_claims().is_none());
        prop_assert!(v.key.is_none());
        prop_assert!(v.error.is_some());
        prop_assert_eq!(v.exit_code(), 1);
    }
}

// ---------------------------------------------------------------- GitHub Actions

struct Gha {
    ctx: Ctx,
    output: std::path::PathBuf,
    summary: std::path::PathBuf,
}

fn gha() -> Gha {
    let ctx = Ctx::new();
    let output = ctx.path("gh_output");
    let summary = ctx.path("gh_summary");
    let ctx = ctx
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_OUTPUT", output.display().to_string())
        .env("GITHUB_STEP_SUMMARY", summary.display().to_string());
    Gha {
        ctx,
        output,
        summary,
    }
}

fn read_or_empty(p: &std::path::Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

/// Parses `$GITHUB_OUTPUT` heredoc entries as the runner does.
fn parse_outputs(text: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        let (name, delim) = l
            .split_once("<<")
            .unwrap_or_else(|| panic!("not heredoc form: {l:?}"));
        let mut value = vec![];
        loop {
            let v = lines.next().expect("unterminated heredoc");
            if v == delim {
                break;
            }
            value.push(v);
        }
        out.push((name.to_string(), value.join("\n")));
    }
    out
}

#[test]
fn github_output_and_summary_for_a_valid_token() {
    let g = gha();
    let out = gh_text()
        .args(&[
            "--github-output",
            "repository",
            "--github-output",
            "ref",
            "--github-summary",
        ])
        .arg(format!("@{}", fx("github/expired.jwt")))
        .run_in(&g.ctx);
    out.ok();
    assert!(!out.stderr.contains("::error"), "{out}");
    let text = read_or_empty(&g.output);
    assert!(text.starts_with("repository<<ghadelimiter_"), "{text}");
    assert_eq!(
        parse_outputs(&text),
        vec![
            ("repository".into(), "nickolashkraus/flask-oidc".into()),
            ("ref".into(), "refs/heads/output-token".into())
        ]
    );
    let summary = read_or_empty(&g.summary);
    assert!(summary.contains("| check | result | detail |"), "{summary}");
    assert!(summary.contains("|---|---|---|"), "{summary}");
    assert!(
        summary.contains("| repository | nickolashkraus/flask-oidc |"),
        "{summary}"
    );
    assert!(summary.contains("valid"), "{summary}");
}

#[test]
fn an_invalid_token_writes_no_outputs_and_one_error_command() {
    let g = gha();
    let bad = format!("@{}", fx("github/bad.jwt"));
    let out = gh_text()
        .json()
        .args(&["--github-output", "repository", "--github-summary"])
        .arg(&bad)
        .run_in(&g.ctx);
    out.rejected("bad_signature");
    assert_eq!(
        read_or_empty(&g.output),
        "",
        "G1: nothing from an unverified token"
    );
    let errors: Vec<&str> = out.stderr.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(errors.len(), 1, "{out}");
    assert!(errors[0].starts_with("::error"), "{out}");
    assert!(errors[0].contains("bad_signature"), "{out}");
    let token = read_fixture("github/bad.jwt");
    assert!(
        !out.stderr.contains(token.trim()),
        "the token must never be echoed"
    );
    // the summary says rejected and marks the claims unverified
    let summary = read_or_empty(&g.summary);
    assert!(
        summary.contains("rejected") && summary.contains("unverified"),
        "{summary}"
    );
    // outside Actions: no workflow command
    let plain = gh_text().arg(bad).run();
    plain.expect(1, None);
    assert!(!plain.stderr.contains("::error"), "{plain}");
}

#[test]
fn claim_values_cannot_inject_commands_or_outputs() {
    let evil = "acme/app\n::add-mask::x\nextra<<EOF\nowned=1";
    let t = jwt(Algorithm::RS256, &claims_with(json!({"repository": evil})));
    let g = gha();
    // text output
    let text = || verify_jwks(&fx("keys/jwks.json"));
    let out = text()
        .args(&["--github-output", "repository", "--github-summary"])
        .arg(&t)
        .run_in(&g.ctx);
    out.ok();
    assert!(!out.stderr.lines().any(|l| l.starts_with("::")), "{out}");
    assert!(!out.stdout.lines().any(|l| l.starts_with("::")), "{out}");
    let outputs = parse_outputs(&read_or_empty(&g.output));
    assert_eq!(outputs, vec![("repository".to_string(), evil.to_string())]);
    let summary = read_or_empty(&g.summary);
    assert!(!summary.lines().any(|l| l.starts_with("::")), "{summary}");

    // rejected, with the hostile value in the reason: one escaped ::error line
    let g = gha();
    let out = text()
        .args(&[
            "--claim",
            "repository=acme/app",
            "--github-output",
            "repository",
        ])
        .arg(&t)
        .run_in(&g.ctx);
    out.expect(1, None);
    let cmds: Vec<&str> = out.stderr.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(cmds.len(), 1, "{out}");
    assert!(cmds[0].starts_with("::error"), "{out}");
    assert_eq!(read_or_empty(&g.output), "");
    // a reason holding `%0A` is escaped too, so the runner cannot decode it into a newline
    let t = jwt(
        Algorithm::RS256,
        &claims_with(json!({"repository": "a%0A::add-mask::y"})),
    );
    let g = gha();
    let out = verify_jwks(&fx("keys/jwks.json"))
        .args(&["--claim", "repository=b"])
        .arg(&t)
        .run_in(&g.ctx);
    out.expect(1, None);
    let cmd = out
        .stderr
        .lines()
        .find(|l| l.starts_with("::error"))
        .unwrap()
        .to_string();
    assert!(!cmd.contains("a%0A::"), "% must be escaped as %25: {cmd}");
}

// ---------------------------------------------------------------- assertion robustness

fn any_claims() -> impl Strategy<Value = serde_json::Map<String, Value>> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<bool>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        Just(Value::Null),
    ];
    let value = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z.]{1,4}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    proptest::collection::btree_map("[a-z._]{1,6}", value, 0..8)
        .prop_map(|m| m.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// Arbitrary `--claim` strings either fail to parse (a usage error) or
    /// evaluate against arbitrary claims without panicking; a missing claim
    /// never satisfies any operator.
    #[test]
    fn claim_assertions_never_panic(expr in "\\PC{0,24}", claims in any_claims()) {
        if let Ok(a) = expr.parse::<oidcat::policy::ClaimAssertion>() {
            let claims = oidcat::claims::Claims::from_map(&claims);
            let value = claims.lookup(&a.name);
            let r = a.check_value(value.as_ref());
            if value.is_none() {
                prop_assert_eq!(r.unwrap_err().kind, oidcat::error::Kind::MissingClaim);
            }
        }
    }

    /// Arbitrary text never panics the jq compiler; well-formed expressions
    /// over arbitrary claims and headers run to a verdict without panicking.
    #[test]
    fn jq_assertions_never_panic(
        garbage in "\\PC{0,30}",
        expr in "(\\.[a-z]{1,3}|\\$header\\.alg|true|false|null|[0-9]{1,3}|\"[a-z]{0,3}\")( (==|!=|and|or|<|\\+|\\|) (\\.[a-z]{1,3}|true|[0-9]{1,2}|\"[a-z]{0,3}\")){0,3}",
        claims in any_claims(),
    ) {
        let _ = oidcat::policy::validate_assert(&garbage);
        let header = json!({"alg": "RS256"}).as_object().unwrap().clone();
        if oidcat::policy::validate_assert(&expr).is_ok() {
            let _ = oidcat::policy::run_assert(&expr, &claims, &header);
        }
    }
}
