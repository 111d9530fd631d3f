//! The CI claim flags (`--repo`, `--ref`, `--workflow`, `--environment`,
//! `--event`; docs/github-actions.md#the-ci-claim-flags) through the real
//! binary: each is its own `claim` check, a wrong value is `claim_mismatch`
//! naming the claim, a near miss gets a hint, and any issuer but a CI one is
//! a usage error pointing to `--claim`.

use super::support::cli::*;
use serde_json::{Value, json};

const WORKFLOW: &str = "acme/app/.github/workflows/deploy.yml@refs/heads/main";

/// A GitHub Actions token for acme/app's deploy workflow on main, valid at
/// [`NOW`], signed by the trusted test key.
fn github_token(changes: Value) -> String {
    let claims = merged(
        json!({
            "iss": GH_ISS,
            "aud": "api",
            "sub": "repo:acme/app:ref:refs/heads/main",
            "repository": "acme/app",
            "ref": "refs/heads/main",
            "job_workflow_ref": WORKFLOW,
            "event_name": "push",
            "iat": NOW - 10,
            "exp": NOW + 600,
        }),
        &changes,
    );
    token_kid("rsa-1", "rsa.pem", &claims)
}

/// `-o json verify --issuer ISSUER --jwks-file keys/jwks.json --audience api --now NOW`.
fn ci_verify(issuer: &str) -> VerifyCmd {
    trusted_verify().issuer(issuer)
}

const THREE: [&str; 6] = [
    "--repo",
    "acme/app",
    "--ref",
    "refs/heads/main",
    "--workflow",
    WORKFLOW,
];

fn claim_checks(out: &Outcome) -> Vec<Value> {
    out.checks()
        .into_iter()
        .filter(|c| c["check"] == "claim")
        .collect()
}

#[test]
fn matching_flags_are_three_claim_checks() {
    let out = ci_verify("github")
        .args(&THREE)
        .arg(github_token(json!({})))
        .run();
    out.valid();
    let checks = claim_checks(&out);
    assert_eq!(checks.len(), 3, "{out}");
    assert!(checks.iter().all(|c| c["ok"] == true), "{out}");
    assert_eq!(checks[0]["detail"], "--repo acme/app holds");
    assert_eq!(checks[1]["detail"], "--ref refs/heads/main holds");
    assert_eq!(checks[2]["detail"], format!("--workflow {WORKFLOW} holds"));
}

#[test]
fn each_wrong_flag_is_a_claim_mismatch_naming_its_claim() {
    let cases = [
        ("--repo", "acme/other", "repository"),
        ("--ref", "refs/heads/release", "ref"),
        (
            "--workflow",
            "acme/app/.github/workflows/other.yml@refs/heads/main",
            "job_workflow_ref",
        ),
        ("--event", "pull_request", "event_name"),
    ];
    for (flag, wrong, claim) in cases {
        let mut args: Vec<&str> = THREE.to_vec();
        match args.iter().position(|a| *a == flag) {
            Some(i) => args[i + 1] = wrong,
            None => args.extend([flag, wrong]),
        }
        let out = ci_verify("github")
            .args(&args)
            .arg(github_token(json!({})))
            .run();
        out.rejected("claim_mismatch")
            .message_has(&format!("{flag} {wrong}: `{claim}` is"));
        assert_eq!(out.failed_checks(), ["claim"], "{flag}: {out}");
        assert!(out.stderr.contains(&format!("`{claim}`")), "{flag}: {out}");
    }
}

#[test]
fn globs_are_anchored() {
    let t = github_token(json!({}));
    ci_verify("github")
        .args(&[
            "--repo",
            "acme/*",
            "--workflow",
            "*/.github/workflows/deploy.yml@*",
        ])
        .arg(&t)
        .run()
        .valid();
    // A prefix is not a match: acme/app does not match acme/app-evil.
    let evil = github_token(json!({"repository": "acme/app-evil"}));
    ci_verify("github")
        .args(&["--repo", "acme/app"])
        .arg(&evil)
        .run()
        .rejected("claim_mismatch");
}

#[test]
fn an_absent_environment_is_missing_claim() {
    let out = ci_verify("github")
        .args(&["--environment", "production"])
        .arg(github_token(json!({})))
        .run();
    out.rejected("missing_claim")
        .message_has("--environment production: claim `environment` is missing");
    ci_verify("github")
        .args(&["--environment", "prod*"])
        .arg(github_token(json!({"environment": "production"})))
        .run()
        .valid();
}

#[test]
fn near_misses_get_hints() {
    let t = github_token(json!({}));
    let hint = |args: &[&str], needle: &str| {
        ci_verify("github")
            .args(args)
            .arg(&t)
            .run()
            .rejected("claim_mismatch")
            .message_has(needle);
    };
    hint(&["--repo", "Acme/App"], "differs only in letter case");
    hint(
        &["--repo", "https://github.com/acme/app"],
        "--repo acme/app",
    );
    hint(&["--ref", "refs/tags/main"], "the token's ref is a branch");
    hint(
        &["--workflow", "acme/app/.github/workflows/deploy.yml"],
        &format!("--workflow '{WORKFLOW}'"),
    );
    hint(
        &["--workflow", ".github/workflows/deploy.yml@refs/heads/main"],
        "starts with OWNER/REPO/",
    );
}

#[test]
fn a_github_ref_must_be_a_full_ref() {
    let out = ci_verify("github")
        .args(&["--ref", "main"])
        .arg(github_token(json!({})))
        .run();
    out.expect(2, Some("usage"))
        .stderr_has("--ref refs/heads/main");
}

#[test]
fn another_issuer_is_a_usage_error_pointing_to_claim() {
    for issuer in ["https://example.com", "google"] {
        let out = ci_verify(issuer)
            .args(&THREE)
            .arg(github_token(json!({})))
            .run();
        out.expect(2, Some("usage"))
            .stderr_has("--repo is for tokens of a CI issuer")
            .stderr_has("--claim repository=acme/app");
    }
    // No issuer at all (a key set file only).
    let out = trusted_verify()
        .args(&["--event", "push"])
        .arg(github_token(json!({})))
        .run();
    out.expect(2, Some("usage"))
        .stderr_has("--claim event_name=push");
}

#[test]
fn github_enterprise_and_gitlab_issuers_use_their_claim_names() {
    let ghe = format!("{GH_ISS}/acme-corp");
    let t = github_token(json!({"iss": ghe}));
    ci_verify(&ghe).args(&THREE).arg(&t).run().valid();

    let gitlab = token_kid(
        "rsa-1",
        "rsa.pem",
        &json!({
            "iss": "https://gitlab.com",
            "aud": "api",
            "project_path": "acme/app",
            "ref": "main",
            "ci_config_ref_uri": "gitlab.com/acme/app//.gitlab-ci.yml@refs/heads/main",
            "pipeline_source": "push",
            "iat": NOW - 10,
            "exp": NOW + 600,
        }),
    );
    let out = ci_verify("gitlab")
        .args(&[
            "--repo",
            "acme/app",
            "--ref",
            "main",
            "--workflow",
            "gitlab.com/acme/app//.gitlab-ci.yml@*",
            "--event",
            "push",
        ])
        .arg(&gitlab)
        .run();
    out.valid();
    assert_eq!(claim_checks(&out).len(), 4, "{out}");
    ci_verify("gitlab")
        .args(&["--ref", "refs/heads/main"])
        .arg(&gitlab)
        .run()
        .rejected("claim_mismatch")
        .message_has("bare branch or tag name: --ref main");
}

/// With `--policy`, CI flags belong in the file: given beside it they are a
/// usage error naming each, never silently ignored (verify and serve).
#[test]
fn ci_flags_beside_a_policy_file_are_refused() {
    let policy = fixture("policy/deploy.toml");
    let policy = policy.to_str().unwrap();
    for sub in ["verify", "serve"] {
        let out = oidcat(&[
            sub,
            "--policy",
            policy,
            "--repo",
            "acme/app",
            "--ref",
            "refs/heads/main",
        ]);
        out.expect(2, None)
            .stderr_has("--policy FILE replaces --repo, --ref");
    }
}
