//! `discover` and `jwks` over every real provider fixture, the disk cache,
//! PEM export, thumbprints, and the unknown-kid refetch rule.

use jsonwebtoken::Algorithm;
use serde_json::{Value, json};

use crate::support::cli::*;

const PROVIDERS: [&str; 19] = [
    "apple",
    "battle-net",
    "discord",
    "docker",
    "dropbox",
    "entra-common",
    "entra-organizations",
    "facebook",
    "gitlab",
    "google",
    "klarna",
    "lego",
    "mojeid",
    "paypal",
    "slack",
    "spotify",
    "twitch",
    "verimi",
    "yahoo",
];

/// The provider's issuer moved onto `server` (path, braces and trailing slash kept).
fn local_issuer(server: &Server, real: &str) -> String {
    let rest = real
        .splitn(4, '/')
        .nth(3)
        .map(|r| format!("/{r}"))
        .unwrap_or_default();
    format!("{}{rest}", server.url())
}

fn serve_provider(server: &Server, name: &str) -> String {
    let doc = read_json(&format!("providers/{name}/openid-configuration.json"));
    let iss = local_issuer(server, doc["issuer"].as_str().unwrap());
    server.serve_issuer(&iss, doc, read_json(&format!("providers/{name}/jwks.json")))
}

#[test]
fn every_provider_discovers_and_lists_keys() {
    for name in PROVIDERS {
        let server = Server::start();
        let iss = serve_provider(&server, name);
        let ctx = Ctx::new();
        let d = ctx.run(&["-o", "json", "discover", &iss]);
        d.ok();
        assert_eq!(d.json()["issuer"], iss.as_str(), "{name}");
        assert!(d.json()["document"].is_object());
        let j = ctx.run(&["-o", "json", "jwks", &iss]);
        j.ok();
        let rows = j.json()["keys"].as_array().unwrap().clone();
        let real = read_json(&format!("providers/{name}/jwks.json"))["keys"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(rows.len(), real, "{name}: every entry is listed");
        for r in &rows {
            if r["usable"] == true {
                let tp = r["thumbprint"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name}: usable key without thumbprint: {r}"));
                assert_eq!(tp.len(), 43, "{name}: {tp}");
            } else {
                assert!(
                    !r["warnings"].as_array().unwrap().is_empty(),
                    "{name}: refused key without a reason: {r}"
                );
            }
        }
        assert!(
            rows.iter().any(|r| r["usable"] == true),
            "{name}: no usable key\n{j}"
        );
        // text output too
        ctx.run(&["discover", &iss]).ok().stdout_has("jwks_uri");
    }
}

#[test]
fn entra_templated_issuer() {
    let server = Server::start();
    let doc = read_json("providers/entra-common/openid-configuration.json");
    let tmpl = local_issuer(&server, doc["issuer"].as_str().unwrap());
    assert!(tmpl.contains("{tenantid}"));
    server.serve_issuer(&tmpl, doc, read_json("keys/jwks.json"));
    oidcat(&["-o", "json", "discover", &tmpl]).ok();
    let concrete = tmpl.replace("{tenantid}", "9188040d-6c67-4c5b-b112-36a304b66dad");
    let t = jwt(Algorithm::RS256, &claims_with(json!({ "iss": concrete })));
    let out = verify_issuer(&tmpl, &t);
    out.rejected("issuer_mismatch").message_has("template");
    // the signature itself verified with the served keys
    assert!(out.passed("signature"), "{out}");
}

#[test]
fn docker_trailing_slash_must_be_given_exactly() {
    let server = Server::start();
    let iss = serve_provider(&server, "docker");
    assert!(iss.ends_with('/'));
    oidcat(&["-o", "json", "discover", &iss]).ok();
    let out = oidcat(&["-o", "json", "discover", iss.trim_end_matches('/')]);
    out.expect(1, Some("issuer_mismatch"))
        .message_has("trailing slash");
    oidcat(&["discover", iss.trim_end_matches('/')])
        .expect(1, None)
        .stderr_has("trailing slash");
}

fn cache_file(ctx: &Ctx, url: &str) -> std::path::PathBuf {
    for e in std::fs::read_dir(ctx.cache_dir()).unwrap().flatten() {
        let v: Value =
            serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap_or(Value::Null);
        if v["url"] == url {
            return e.path();
        }
    }
    panic!("no cache entry for {url}");
}

#[test]
fn discovery_cache_freshness_no_cache_expiry_and_corruption() {
    let server = Server::start();
    let iss = server.serve_test_keys();
    let disc = "/.well-known/openid-configuration";
    let mut doc = server_doc(&server);
    doc["x"] = json!(1);
    server.set(
        disc,
        Reply::value(&doc).header("Cache-Control", "public, max-age=120"),
    );
    let ctx = Ctx::new();
    ctx.run(&["discover", &iss]).ok();
    assert_eq!(server.hits(disc), 1);
    ctx.run(&["discover", &iss]).ok();
    assert_eq!(
        server.hits(disc),
        1,
        "a fresh entry is served from the cache"
    );
    ctx.run(&["--no-cache", "discover", &iss]).ok();
    assert_eq!(server.hits(disc), 2, "--no-cache always fetches");
    // the entry is private and records max-age
    let file = cache_file(&ctx, &format!("{iss}{disc}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    #[cfg(not(unix))]
    eprintln!("NOTICE: the cache entry's 0600 mode is not checked: no Unix file modes here");
    let mut entry: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(entry["max_age"], 120);
    // age it past max-age: refetched
    entry["fetched_at"] = json!(entry["fetched_at"].as_i64().unwrap() - 121);
    std::fs::write(&file, entry.to_string()).unwrap();
    ctx.run(&["discover", &iss]).ok();
    assert_eq!(server.hits(disc), 3, "an expired entry is refetched");
    // --offline uses a stale entry with a warning, without a request
    let mut entry: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    entry["fetched_at"] = json!(entry["fetched_at"].as_i64().unwrap() - 100_000);
    std::fs::write(&file, entry.to_string()).unwrap();
    ctx.run(&["--offline", "discover", &iss])
        .ok()
        .stderr_has("stale");
    assert_eq!(server.hits(disc), 3);
    // corrupt entries are misses, never crashes (E9)
    for junk in [
        &b"{truncated"[..],
        b"",
        b"\xff\xfe",
        b"[]",
        br#"{"url":"other","fetched_at":0,"max_age":9,"body":""}"#,
    ] {
        std::fs::write(&file, junk).unwrap();
        let before = server.hits(disc);
        ctx.run(&["-o", "json", "discover", &iss]).ok();
        assert_eq!(server.hits(disc), before + 1);
    }
    // a cached document that no longer passes the checks is a miss too
    let mut entry: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    entry["body"] =
        json!(r#"{"issuer":"https://evil.example","jwks_uri":"https://evil.example/k"}"#);
    std::fs::write(&file, entry.to_string()).unwrap();
    let before = server.hits(disc);
    ctx.run(&["-o", "json", "discover", &iss]).ok();
    assert_eq!(server.hits(disc), before + 1);
}

fn server_doc(server: &Server) -> Value {
    json!({"issuer": server.url(), "jwks_uri": format!("{}/jwks", server.url())})
}

#[test]
fn github_pem_export_and_thumbprint() {
    let out = oidcat(&["jwks", "--file", &fx("github/jwks.json"), "--pem", GH_KID]);
    out.ok();
    assert_eq!(
        out.stdout.trim(),
        read_fixture("github/github-signing-key.pub.pem").trim()
    );
    let j = oidcat(&["-o", "json", "jwks", "--file", &fx("github/jwks.json")]);
    j.ok();
    let row = j.json()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == GH_KID)
        .cloned()
        .unwrap();
    assert_eq!(
        row["thumbprint"],
        "wdqkUpyb_-PRucTUsdRzhtxrKPMOnLmuJReyD4Il9jA"
    );
    assert_eq!(row["bits"], 2048);
    assert_eq!(row["kty"], "RSA");
    // the key's certificate is read for the listing
    assert_eq!(
        row["x5c"]["subject"],
        "CN=vsts-vstsghrt-gh-vso-oauth.visualstudio.com"
    );
    assert_eq!(
        row["warnings"],
        json!(["`x5c` certificate expired 2024-01-05T18:57:22Z"])
    );
    oidcat(&[
        "-o",
        "json",
        "jwks",
        "--file",
        &fx("github/jwks.json"),
        "--pem",
        "nope",
    ])
    .expect(1, Some("key_not_found"));
    // the test keys: thumbprints from keys/README.md, PEMs equal the committed SPKI files
    let j = oidcat(&["-o", "json", "jwks", "--file", &fx("keys/jwks.json")]);
    let tps: Vec<String> = j.json()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["thumbprint"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        tps,
        [
            "6v0mHSLvGXkRo4ZkypiSZog2QJxFBHO-vrBv3G4mhVA",
            "F0XllV0acxYlbrMWa07TKm9okvNNcV61Sj0LGuL_okQ",
            "NOsh0DRDszgspm_qYiLQWnauGefHKwO_ZDxPCIkTzak",
            "6M03LSNtwF7FEZD_TQ80AEnzkP7VKJNyW40guoGuXII"
        ]
    );
    for (kid, pem) in [
        ("rsa-1", "rsa.pub.pem"),
        ("ec-1", "p256.pub.pem"),
        ("ec-384", "p384.pub.pem"),
        ("ed-1", "ed25519.pub.pem"),
    ] {
        let out = oidcat(&["jwks", "--file", &fx("keys/jwks.json"), "--pem", kid]);
        assert_eq!(
            out.stdout.trim(),
            read_fixture(&format!("keys/{pem}")).trim(),
            "{kid}"
        );
    }
    // the x5c certificate of the GitHub key is described
    assert!(
        row["x5c"]["subject"].is_string()
            && row["x5c"]["not_after"].as_str().unwrap().ends_with('Z'),
        "{row}"
    );
}

#[test]
fn unknown_kid_refetches_once_with_a_warm_cache() {
    let server = Server::start();
    let iss = server.serve_test_keys();
    let only_ec = json!({"keys": [read_json("keys/p256.jwk.json")]});
    server.set("/jwks", Reply::value(&only_ec));
    let ctx = Ctx::new();
    let args = |t: &str| issuer_verify(&iss).arg(t).argv();
    let ec = jwt(Algorithm::ES256, &claims_with(json!({ "iss": iss })));
    ctx.run(&args(&ec)).valid();
    assert_eq!(server.hits("/jwks"), 1);
    // rotation: the issuer now also publishes rsa-1
    server.set("/jwks", Reply::value(&read_json("keys/jwks.json")));
    let rsa = jwt(Algorithm::RS256, &claims_with(json!({ "iss": iss })));
    ctx.run(&args(&rsa)).valid();
    assert_eq!(server.hits("/jwks"), 2, "one refetch for the unknown kid");
    ctx.run(&args(&rsa)).valid();
    assert_eq!(server.hits("/jwks"), 2, "the refetched set was cached");
    // an unknown kid with a warm cache: exactly one refetch, then key_not_found listing the kids
    let ghost = jwt_h(
        Algorithm::RS256,
        json!({"kid": "ghost"}),
        &claims_with(json!({ "iss": iss })),
    );
    let out = ctx.run(&args(&ghost));
    out.rejected("key_not_found")
        .message_has("rsa-1")
        .message_has("ec-1");
    assert_eq!(server.hits("/jwks"), 3);
    assert_eq!(server.hits("/.well-known/openid-configuration"), 1);
}

#[test]
fn unknown_kid_with_a_cold_cache_fetches_once() {
    let server = Server::start();
    let iss = server.serve_test_keys();
    let ghost = jwt_h(
        Algorithm::RS256,
        json!({"kid": "ghost"}),
        &claims_with(json!({ "iss": iss })),
    );
    let out = verify_issuer(&iss, &ghost);
    out.rejected("key_not_found");
    assert_eq!(server.hits("/jwks"), 1, "a cold fetch counts as fresh");
    // --jwks-file never refetches and says what it holds
    verify(&ghost, &[])
        .rejected("key_not_found")
        .message_has("ed-1");
}

/// Every file input is bounded by reading, not by trusting its size: a
/// device that never ends (`/dev/zero` reports size 0) is refused at once.
#[test]
#[cfg_attr(windows, ignore = "needs /dev/zero, a Unix device")]
fn endless_files_are_refused_not_read() {
    let t = jwt(Algorithm::RS256, &claims());
    // `-o json verify --any-audience FLAG /dev/zero TOKEN`
    let endless = |flag: &str| {
        verify_cmd()
            .json()
            .arg("--any-audience")
            .args(&[flag, "/dev/zero", &t])
            .run()
    };
    let jwks = endless("--jwks-file");
    // a file too large to be a key set is a usage error, as for --key
    jwks.expect(2, Some("usage"))
        .message_has("larger than 1 MiB");
    let key = endless("--key");
    key.expect(2, Some("usage"))
        .message_has("larger than 1 MiB");
    let secret = endless("--secret-file");
    secret
        .expect(2, Some("usage"))
        .message_has("larger than 64 KiB");
    let ca = oidcat(&[
        "-o",
        "json",
        "--ca-file",
        "/dev/zero",
        "discover",
        "https://idp.test",
    ]);
    ca.undecided("io").message_has("larger than 16 MiB");
}
