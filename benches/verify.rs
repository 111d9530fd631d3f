//! One full verification through the core, per algorithm: parse, key
//! selection, signature, every claim check and two `--claim` assertions, of a
//! GitHub-shaped token, with the key set already loaded (as `serve` has it).
//!
//! `cargo bench --bench verify` ; ids `verify/RS256`, `verify/ES256`, `verify/EdDSA`,
//! and `verify/ES512`, `verify/ES256K`, `verify/ML-DSA-44` (keys from
//! `sign::keygen`, tokens from `sign`: jsonwebtoken has none of them).
//! bench/verify-vs-openssl.sh compares the medians with `openssl speed`.
//! Also `serve/respond/RS256` (one `/verify` answer without the socket),
//! `serve/body/RS256` (its JSON document alone) and
//! `serve/baseline-jsonwebtoken/RS256` (bench/baseline-hyper's per-request work).

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
        issuer: Some(ISSUER.into()),
        audiences: Some(vec![AUDIENCE.into()]),
        claims: vec![
            "repository=acme/app".parse().unwrap(),
            "sub~repo:acme/*".parse().unwrap(),
        ],
        ..Policy::new(DEFAULT_ALGS.to_vec())
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
    // The algorithms beyond jsonwebtoken's: keys made and tokens signed by
    // oidcat's own `keygen`/`sign` (aws-lc-rs), the same claims and policy
    // (ML-DSA allowed by name, as `--alg ML-DSA-44` does).
    let mut policy = cli_policy();
    policy.algs.push(oidcat::keys::Alg::MlDsa44);
    for alg in [
        oidcat::keys::Alg::ES512,
        oidcat::keys::Alg::ES256K,
        oidcat::keys::Alg::MlDsa44,
    ] {
        use oidcat::sign;
        let private = sign::keygen::generate(alg, Some("k-1")).unwrap();
        let signer = sign::from_jwk(&private).unwrap();
        let public = sign::keygen::public_set(&signer).unwrap().to_string();
        let set = KeySet::parse(public.as_bytes(), "keygen", now).unwrap();
        let provider = StaticKeys(Arc::new(set));
        let header = json!({"alg": alg.name(), "kid": "k-1", "typ": "JWT"});
        let token = sign::compact(&signer, alg, &header, &github_claims(now)).unwrap();
        let v = verify::verify(&token, &provider, &policy, now);
        assert!(v.valid, "{alg}: {:?}", v.error);
        group.bench_function(alg.name(), |b| {
            b.iter(|| {
                let v = verify::verify(black_box(&token), &provider, &policy, black_box(now));
                debug_assert!(v.valid);
                black_box(v)
            })
        });
    }
    group.finish();
}

/// One `/verify` answer as `serve` builds it (`handler::respond`: bearer
/// parsing, verification, status, JSON body, oauth2-proxy headers, metrics),
/// without the socket; beside it, the work of bench/baseline-hyper per
/// request (`jsonwebtoken::decode` checking the signature and `exp` only).
/// The difference is what `serve` adds in user space per request.
fn bench_serve(c: &mut Criterion) {
    use http::{HeaderMap, HeaderValue, Method};
    use oidcat::config::KeySource;
    use oidcat::http::{Fetcher, HttpConfig};
    use oidcat::serve::State;
    use oidcat::serve::keys::ServeKeys;

    let now = oidcat::clock::system_now();
    let jwks = fixture("keys/jwks.json");
    let set = KeySet::parse(&jwks, "tests/fixtures/keys/jwks.json", now).unwrap();
    let fetcher = Fetcher::new(HttpConfig {
        timeout: std::time::Duration::from_secs(3),
        ca_files: vec![],
        allow_http: false,
        verbose: false,
    });
    let keys = Arc::new(ServeKeys::new(
        KeySource::Static(Arc::new(set)),
        fetcher,
        false,
    ));
    keys.reload().unwrap();
    let mut policy = cli_policy();
    policy.claims.clear();
    let state = State::new(policy, keys.clone());
    let token = sign(Algorithm::RS256, "rsa-1", "keys/rsa.pem", now);
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
    );
    let a = oidcat::serve::handler::respond(&state, &Method::GET, "/verify", None, &headers);
    assert_eq!(a.response.status(), 200);

    let mut group = c.benchmark_group("serve");
    group.bench_function("respond/RS256", |b| {
        b.iter(|| {
            black_box(oidcat::serve::handler::respond(
                &state,
                &Method::GET,
                black_box("/verify"),
                None,
                black_box(&headers),
            ))
        })
    });

    // The same answer with a policy file of 3 issuers and 10 routes (the
    // token's route the 8th, as bench/policy.sh), beside single-issuer
    // serve with the same claim rules: what routing costs per request.
    let mut single = cli_policy();
    single.claims = vec![
        "repository=acme/app".parse().unwrap(),
        "ref=refs/heads/main".parse().unwrap(),
    ];
    let single = State::new(single, keys.clone());
    let live = policy_file_state();
    let mut routed = headers.clone();
    routed.insert(
        "x-original-uri",
        HeaderValue::from_static("/deploy/app?x=1"),
    );
    routed.insert("x-original-method", HeaderValue::from_static("POST"));
    for s in [&single, &live] {
        let a = oidcat::serve::handler::respond(s, &Method::GET, "/verify", None, &routed);
        assert_eq!(a.response.status(), 200);
    }
    for (id, s) in [
        ("respond-single/RS256", &single),
        ("respond-policy/RS256", &live),
    ] {
        group.bench_function(id, |b| {
            b.iter(|| {
                black_box(oidcat::serve::handler::respond(
                    s,
                    &Method::GET,
                    black_box("/verify"),
                    None,
                    black_box(&routed),
                ))
            })
        });
    }

    let v = verify::verify(&token, state.keys.as_ref(), &state.policy, now);
    group.bench_function("body/RS256", |b| {
        b.iter(|| black_box(black_box(&v).to_json_compact()))
    });

    #[derive(serde::Deserialize)]
    struct Exp {
        #[allow(dead_code)]
        exp: u64,
    }
    let pem = fixture("keys/rsa.pub.pem");
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(&pem).unwrap();
    let mut validation = jsonwebtoken::Validation::new(Algorithm::RS256);
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["exp"]);
    assert!(jsonwebtoken::decode::<Exp>(&token, &key, &validation).is_ok());
    group.bench_function("baseline-jsonwebtoken/RS256", |b| {
        b.iter(|| {
            black_box(jsonwebtoken::decode::<Exp>(black_box(&token), &key, &validation).is_ok())
        })
    });
    group.finish();
}

/// A `serve --policy` state: three issuers (the token's first), seven
/// routes for the other two, then deploy (the token's), admin (deny) and
/// health, as bench/policy.sh writes it.
fn policy_file_state() -> oidcat::serve::State {
    use oidcat::serve::policy::LivePolicy;
    let dir = std::env::temp_dir().join(format!("oidcat-bench-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let keys = format!("{}/tests/fixtures/keys", env!("CARGO_MANIFEST_DIR"));
    let mut toml = format!(
        "[[issuer]]\nname = \"gh\"\nurl = \"{ISSUER}\"\njwks_file = \"{keys}/jwks.json\"\n\
         audience = [\"{AUDIENCE}\"]\nclaims = [\"repository=acme/app\"]\n"
    );
    for (name, jwk) in [("b", "rsa2.jwk.json"), ("c", "p256.jwk.json")] {
        let set = format!(
            "{{\"keys\": [{}]}}",
            String::from_utf8(fixture(&format!("keys/{jwk}"))).unwrap()
        );
        std::fs::write(dir.join(format!("{name}.json")), set).unwrap();
        toml.push_str(&format!(
            "\n[[issuer]]\nname = \"{name}\"\nurl = \"https://{name}.example\"\n\
             jwks_file = \"{name}.json\"\naudience = [\"{AUDIENCE}\"]\n"
        ));
    }
    for i in 1..=7 {
        toml.push_str(&format!(
            "\n[[route]]\nname = \"r{i}\"\npath = \"/r{i}/*\"\nissuers = [\"b\", \"c\"]\n"
        ));
    }
    toml.push_str(
        "\n[[route]]\nname = \"deploy\"\npath = \"/deploy/*\"\nmethods = [\"GET\", \"POST\"]\n\
         issuers = [\"gh\"]\nclaims = [\"ref=refs/heads/main\"]\n\
         \n[[route]]\nname = \"admin\"\npath = \"/admin*\"\ndeny = true\n\
         \n[[route]]\nname = \"health\"\npath = \"/health\"\n",
    );
    let path = dir.join("policy.toml");
    std::fs::write(&path, toml).unwrap();
    let fetcher = || {
        oidcat::http::Fetcher::new(oidcat::http::HttpConfig {
            timeout: std::time::Duration::from_secs(3),
            ca_files: vec![],
            allow_http: false,
            verbose: false,
        })
    };
    let live = LivePolicy::start(
        path,
        false,
        false,
        Arc::new(fetcher),
        oidcat::note::Notes::discard(),
    )
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let cli = cli_policy();
    let keys = Arc::new(oidcat::serve::keys::ServeKeys::new(
        oidcat::config::KeySource::Static(Arc::new(KeySet::default())),
        fetcher(),
        false,
    ));
    oidcat::serve::State::new(cli, keys).with_policy_file(Some(Arc::new(live)))
}

criterion_group!(benches, bench_verify, bench_serve);
criterion_main!(benches);
