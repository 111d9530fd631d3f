//! One full verification through the core, per algorithm: parse, key
//! selection, signature, every claim check and two `--claim` assertions, of a
//! GitHub-shaped token, with the key set already loaded (as `serve` has it).
//!
//! `cargo bench --bench verify` ; ids `verify/RS256`, `verify/ES256`, `verify/EdDSA`.
//! bench/verify-vs-openssl.sh compares the medians with `openssl speed`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use oidcat::keys::KeySet;
use oidcat::verify::{self, DEFAULT_ALGS, Policy, StaticKeys};
use serde_json::json;

const ISSUER: &str = "https://token.actions.githubusercontent.com";
const AUDIENCE: &str = "https://github.com/acme";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The claims of a GitHub Actions token (shape of tests/fixtures/github/expired.jwt), valid at `now`.
fn github_claims(now: i64) -> serde_json::Value {
    json!({
        "jti": "93721cf5-93cc-45e5-b7b6-47849c10e71d",
        "sub": "repo:acme/app:ref:refs/heads/main",
        "aud": AUDIENCE,
        "ref": "refs/heads/main",
        "sha": "a501fa6b06a6dc25cca7cace0b989abe6b156366",
        "repository": "acme/app",
        "repository_owner": "acme",
        "repository_owner_id": "14130403",
        "run_id": "3989419862",
        "run_number": "37",
        "run_attempt": "1",
        "repository_visibility": "private",
        "repository_id": "588298808",
        "actor_id": "14130403",
        "actor": "octocat",
        "workflow": "Deploy",
        "head_ref": "",
        "base_ref": "",
        "event_name": "push",
        "ref_type": "branch",
        "workflow_ref": "acme/app/.github/workflows/deploy.yml@refs/heads/main",
        "workflow_sha": "a501fa6b06a6dc25cca7cace0b989abe6b156366",
        "job_workflow_ref": "acme/app/.github/workflows/deploy.yml@refs/heads/main",
        "job_workflow_sha": "a501fa6b06a6dc25cca7cace0b989abe6b156366",
        "iss": ISSUER,
        "nbf": now - 60,
        "exp": now + 300,
        "iat": now - 60,
    })
}

fn sign(alg: Algorithm, kid: &str, pem: &str, now: i64) -> String {
    let pem = fixture(pem);
    let key = match alg {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(&pem),
        Algorithm::ES256 => EncodingKey::from_ec_pem(&pem),
        Algorithm::EdDSA => EncodingKey::from_ed_pem(&pem),
        _ => unreachable!(),
    }
    .unwrap();
    let mut header = Header::new(alg);
    header.kid = Some(kid.into());
    jsonwebtoken::encode(&header, &github_claims(now), &key).unwrap()
}

/// The policy `oidcat verify --issuer ... --audience ... --claim repository=acme/app
/// --claim 'sub~repo:acme/*'` builds (leeway 60, exp required).
fn cli_policy() -> Policy {
    Policy {
        algs: DEFAULT_ALGS.to_vec(),
        issuer: Some(ISSUER.into()),
        audiences: Some(vec![AUDIENCE.into()]),
        require_exp: true,
        leeway: 60,
        max_age: None,
        typ: None,
        claims: vec![
            "repository=acme/app".parse().unwrap(),
            "sub~repo:acme/*".parse().unwrap(),
        ],
        require: vec![],
        asserts: vec![],
    }
}

fn bench_verify(c: &mut Criterion) {
    let now = oidcat::clock::system_now();
    let set = KeySet::parse(
        &fixture("keys/jwks.json"),
        "tests/fixtures/keys/jwks.json",
        now,
    )
    .unwrap();
    let provider = StaticKeys(Arc::new(set));
    let policy = cli_policy();
    let mut group = c.benchmark_group("verify");
    for (id, alg, kid, pem) in [
        ("RS256", Algorithm::RS256, "rsa-1", "keys/rsa.pem"),
        ("ES256", Algorithm::ES256, "ec-1", "keys/p256.pem"),
        ("EdDSA", Algorithm::EdDSA, "ed-1", "keys/ed25519.pem"),
    ] {
        let token = sign(alg, kid, pem, now);
        // Sanity: the benchmarked path is the accepting one, every check run.
        let v = verify::verify(&token, &provider, &policy, now);
        assert!(v.valid, "{id}: {:?}", v.error);
        assert_eq!(
            v.checks
                .iter()
                .filter(|c| c.check == "claim" && c.ok)
                .count(),
            2
        );
        group.bench_function(id, |b| {
            b.iter(|| {
                let v = verify::verify(black_box(&token), &provider, &policy, black_box(now));
                debug_assert!(v.valid);
                black_box(v)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_verify);
criterion_main!(benches);
