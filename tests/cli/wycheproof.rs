//! Project Wycheproof vectors against the signature-and-key-policy layer of the
//! library: `keys::parse_jwk` (vetting), `keys::fits` (the key-fit predicate),
//! `Key::verify_signature` (the path `verify` takes), cross-checked with
//! `jsonwebtoken::crypto::verify` for the algorithms jsonwebtoken knows, and
//! the same strict splitting rules as
//! `oidcat::jwt` (the JOSE payloads are not claim sets, so `jwt::parse` itself
//! cannot be used on them; its charset/segment rules are mirrored here).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use oidcat::keys::{Alg, Key, KeySet, Material, Origin, fits, parse_jwk};

use crate::support::cli::*;

/// Known vector quirks (tests/fixtures/wycheproof/README.md).
/// Each entry: (file, tcId, why). Anything else must match exactly.
const SKIP: &[(&str, u64, &str)] = &[
    (
        "json_web_signature_test",
        367,
        "invalidBase64Padding: byte-identical to valid tc 357",
    ),
    (
        "json_web_signature_test",
        370,
        "invalidBase64Padding: byte-identical to valid tc 357",
    ),
    (
        "json_web_signature_test",
        372,
        "contains `?` yet labelled valid; strict rejection is correct",
    ),
    (
        "json_web_signature_test",
        373,
        "contains `?` yet labelled valid; strict rejection is correct",
    ),
    (
        "json_web_signature_test",
        346,
        "RFC 7520 fig. 20: key alg PS256, token PS384, labelled valid; B4 rejects",
    ),
    (
        "json_web_signature_test",
        350,
        "RFC 7520 fig. 20 with key_ops: same as 346",
    ),
    (
        "json_web_signature_test",
        347,
        "ES512 with a key whose alg is `ES521` (a typo: RFC 7520 fig. 3 has no alg); the key's alg is enforced (B4); es512_jose_vectors checks both",
    ),
    ("json_web_signature_test", 351, "as 347, with key_ops"),
    (
        "json_web_key_test",
        4,
        "duplicate kid in a symmetric set, expected refused; oidcat's documented B10 choice is to try every fitting candidate, and the CLI takes one secret only",
    ),
    (
        "json_web_key_test",
        7,
        "ROCA key: not detectable by aws-lc or the policy",
    ),
    (
        "json_web_crypto_test",
        46,
        "ROCA key: not detectable by aws-lc or the policy",
    ),
    (
        "json_web_crypto_test",
        50,
        "JWE 'valid': oidcat never decrypts (encrypted_token)",
    ),
    (
        "json_web_crypto_test",
        67,
        "JWE 'valid': oidcat never decrypts (encrypted_token)",
    ),
];

fn load(name: &str) -> Value {
    read_json(&format!("wycheproof/{name}.json"))
}

fn hmac_key(jwk: &Value) -> Option<Key> {
    let k = URL_SAFE_NO_PAD
        .decode(jwk["k"].as_str()?.trim_end_matches('='))
        .ok()?;
    // the length rule of --secret-file (C9)
    oidcat::verify::secret_key(k.clone(), &[]).ok()?;
    let s = |n: &str| jwk[n].as_str().map(str::to_owned);
    let ops = jwk["key_ops"].as_array().map(|a| {
        a.iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    });
    oidcat::keys::from_material(
        Material::Hmac { k },
        s("kid"),
        s("alg"),
        s("use"),
        ops,
        vec![],
    )
    .ok()
}

/// The keys a verifier configured from this group would hold. Public parts
/// come as a published set (strict vetting); a lone symmetric key is what
/// `--secret-file` would give.
fn group_keys(g: &Value) -> Vec<Key> {
    let one = |jwk: &Value, origin: Origin| -> Vec<Key> {
        if jwk["kty"] == "oct" {
            return hmac_key(jwk).into_iter().collect();
        }
        parse_jwk(jwk, origin).into_iter().collect()
    };
    if let Some(public) = g.get("public") {
        if public.get("keys").is_some() {
            return KeySet::parse(public.to_string().as_bytes(), "wycheproof", 0)
                .map(|s| s.keys)
                .unwrap_or_default();
        }
        return one(public, Origin::Set);
    }
    let private = &g["private"];
    match private.get("keys").and_then(Value::as_array) {
        // a private key set: symmetric entries act as configured secrets only
        // when the whole set is symmetric; a mixed set is a published set (B11)
        Some(keys) if keys.iter().all(|k| k["kty"] == "oct") => {
            keys.iter().flat_map(|k| one(k, Origin::Single)).collect()
        }
        Some(_) => KeySet::parse(private.to_string().as_bytes(), "wycheproof", 0)
            .map(|s| s.keys)
            .unwrap_or_default(),
        None => one(private, Origin::Single),
    }
}

/// Would oidcat's signature layer accept this compact JWS with these keys?
fn accepts(jws: &str, keys: &[Key]) -> bool {
    if jws.len() > oidcat::input::MAX_INPUT || jws.split('.').count() != 3 {
        return false; // 5 segments: encrypted_token; others: malformed
    }
    let parts: Vec<&str> = jws.split('.').collect();
    let Ok(header) = URL_SAFE_NO_PAD.decode(parts[0]) else {
        return false;
    };
    if URL_SAFE_NO_PAD.decode(parts[1]).is_err() || URL_SAFE_NO_PAD.decode(parts[2]).is_err() {
        return false;
    }
    let Ok(Value::Object(h)) = oidcat::json::parse_strict(&header) else {
        return false;
    };
    if h.contains_key("crit") || h.contains_key("b64") || h.contains_key("enc") {
        return false;
    }
    let Some(alg) = h.get("alg").and_then(Value::as_str).and_then(Alg::parse) else {
        return false;
    };
    let hs = alg.is_hmac();
    let kid = match h.get("kid") {
        None => None,
        Some(Value::String(k)) => Some(k.as_str()),
        Some(_) => return false,
    };
    let input = &jws[..parts[0].len() + 1 + parts[1].len()];
    keys.iter()
        .filter(|k| kid.is_none() || k.kid.as_deref() == kid)
        // HS* only with a configured secret, never with a public key (B3)
        .filter(|k| hs == matches!(k.material, Material::Hmac { .. }))
        .filter(|k| fits(k, alg).is_ok())
        // --secret-file allows only the HS algorithms the secret is long enough for (C9)
        .filter(|k| match &k.material {
            Material::Hmac { k } => {
                k.len()
                    >= match alg {
                        Alg::HS256 => 32,
                        Alg::HS384 => 48,
                        _ => 64,
                    }
            }
            _ => true,
        })
        .take(oidcat::verify::MAX_TRIES)
        .any(|k| {
            // The path `verify` takes (keys pre-parsed for aws-lc-rs), checked
            // against jsonwebtoken's own verifier on every vector it can read.
            let core = URL_SAFE_NO_PAD
                .decode(parts[2])
                .map(|sig| k.verify_signature(alg, input.as_bytes(), &sig))
                .unwrap_or(false);
            if let Some(jwt_alg) = alg.to_jwt() {
                let lib = jsonwebtoken::crypto::verify(
                    parts[2],
                    input.as_bytes(),
                    &k.decoding_key().unwrap(),
                    jwt_alg,
                )
                .unwrap_or(false);
                assert_eq!(core, lib, "core and jsonwebtoken disagree on {}", parts[2]);
            }
            core
        })
}

fn skipped(file: &str, tc: u64) -> bool {
    SKIP.iter().any(|(f, t, _)| *f == file && *t == tc)
}

#[test]
fn jose_vectors_against_the_key_policy() {
    let mut failures = vec![];
    for file in [
        "json_web_signature_test",
        "json_web_key_test",
        "json_web_crypto_test",
    ] {
        let (mut run, mut skip) = (0, 0);
        for g in load(file)["testGroups"].as_array().unwrap() {
            let keys = group_keys(g);
            for t in g["tests"].as_array().unwrap() {
                let tc = t["tcId"].as_u64().unwrap();
                if skipped(file, tc) {
                    skip += 1;
                    continue;
                }
                run += 1;
                let want = t["result"] == "valid";
                let got = match (t["jws"].as_str(), t["jwe"].as_str()) {
                    (Some(jws), _) => accepts(jws, &keys),
                    // an encrypted token is refused when parsed, never verified
                    // the JSON serializations are not read at all: malformed
                    (None, None) if t["jws"].is_object() || t["jwe"].is_object() => {
                        let doc = if t["jws"].is_object() {
                            &t["jws"]
                        } else {
                            &t["jwe"]
                        };
                        let e = oidcat::jwt::parse(&doc.to_string()).unwrap_err();
                        assert_eq!(e.kind, oidcat::error::Kind::Malformed, "tc {tc}");
                        false
                    }
                    (None, Some(jwe)) => {
                        // (a broken one, e.g. with no header, is malformed)
                        use oidcat::error::Kind;
                        let e = oidcat::jwt::parse_jws(jwe).unwrap_err();
                        assert!(
                            matches!(e.kind, Kind::EncryptedToken | Kind::Malformed),
                            "tc {tc}: {e:?}"
                        );
                        false
                    }
                    _ => panic!("{file} tc {tc}: neither jws nor jwe"),
                };
                if want != got {
                    failures.push(format!(
                        "{file} tc {tc} ({}): expected {}, got {got}",
                        t["comment"], t["result"]
                    ));
                }
            }
        }
        println!("wycheproof {file}: {run} vectors run, {skip} skipped");
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn primitive_vectors() {
    let mut failures = vec![];
    for (file, alg) in [
        ("ecdsa_secp256r1_sha256_p1363_test", Alg::ES256),
        ("ecdsa_secp384r1_sha384_p1363_test", Alg::ES384),
        ("ed25519_test", Alg::EdDSA),
        ("rsa_signature_2048_sha256_test", Alg::RS256),
        ("rsa_pss_2048_sha256_mgf1_32_test", Alg::PS256),
    ] {
        let (mut run, mut skip) = (0, 0);
        for g in load(file)["testGroups"].as_array().unwrap() {
            let Some(jwk) = g.get("publicKeyJwk").or_else(|| g.get("keyJwk")) else {
                // groups without a JWK (keys the JWK form cannot express) are not applicable
                skip += g["tests"].as_array().unwrap().len();
                continue;
            };
            let key = parse_jwk(jwk, Origin::Single);
            for t in g["tests"].as_array().unwrap() {
                run += 1;
                let want = t["result"] == "valid";
                let got = match &key {
                    Ok(k) => {
                        let (sig, msg) = (
                            hex(t["sig"].as_str().unwrap()),
                            hex(t["msg"].as_str().unwrap()),
                        );
                        let core = k.verify_signature(alg, &msg, &sig);
                        let lib = jsonwebtoken::crypto::verify(
                            &b64(sig.clone()),
                            &msg,
                            &k.decoding_key().unwrap(),
                            alg.to_jwt().unwrap(),
                        )
                        .unwrap_or(false);
                        assert_eq!(
                            core, lib,
                            "{file} tc {}: core and jsonwebtoken disagree",
                            t["tcId"]
                        );
                        fits(k, alg).is_ok() && core
                    }
                    Err(_) => false,
                };
                if t["result"] == "acceptable" {
                    continue;
                }
                if want != got {
                    failures.push(format!(
                        "{file} tc {} ({}): expected {}, got {got}",
                        t["tcId"], t["comment"], t["result"]
                    ));
                }
            }
        }
        println!("wycheproof {file}: {run} vectors run, {skip} skipped (no JWK)");
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What one signature vector came to, for the counts per file.
#[derive(Default)]
struct Tally {
    valid_verified: usize,
    invalid_refused: usize,
    acceptable: Vec<String>,
    not_applicable: usize,
    failures: Vec<String>,
}

impl Tally {
    fn record(&mut self, file: &str, t: &Value, got: bool) {
        let tc = &t["tcId"];
        match t["result"].as_str() {
            Some("valid") if got => self.valid_verified += 1,
            Some("invalid") if !got => self.invalid_refused += 1,
            Some("acceptable") => self.acceptable.push(format!(
                "tc {tc} ({}): {}",
                t["comment"],
                if got { "verified" } else { "refused" }
            )),
            r => self.failures.push(format!(
                "{file} tc {tc} ({}, {}): expected {r:?}, got {}",
                t["comment"],
                t["flags"],
                if got { "verified" } else { "refused" }
            )),
        }
    }

    fn print(&self, file: &str) {
        println!(
            "wycheproof {file}: {} valid verified, {} invalid refused, {} acceptable, {} not applicable",
            self.valid_verified,
            self.invalid_refused,
            self.acceptable.len(),
            self.not_applicable
        );
        for a in &self.acceptable {
            println!("  acceptable {a}");
        }
    }
}

/// ES512 and ES256K: the key from its JWK when the group has one, else from
/// its DER SubjectPublicKeyInfo (the `--key` PEM path); every vector through
/// `keys::fits` and `Key::verify_signature`, as `verify` does.
#[test]
fn es512_and_es256k_vectors() {
    let mut failures = vec![];
    for (file, alg, crv) in [
        ("ecdsa_secp521r1_sha512_p1363_test", Alg::ES512, "P-521"),
        (
            "ecdsa_secp256k1_sha256_p1363_test",
            Alg::ES256K,
            "secp256k1",
        ),
    ] {
        let mut tally = Tally::default();
        let (mut by_jwk, mut by_spki) = (0, 0);
        for g in load(file)["testGroups"].as_array().unwrap() {
            let key = match g.get("publicKeyJwk") {
                Some(jwk) => {
                    by_jwk += 1;
                    assert_eq!(jwk["crv"], crv);
                    parse_jwk(jwk, Origin::Set)
                }
                None => {
                    by_spki += 1;
                    oidcat::keys::pem::material_from_spki(&hex(g["publicKeyDer"].as_str().unwrap()))
                        .and_then(|m| {
                            oidcat::keys::from_material(m, None, None, None, None, vec![])
                        })
                }
            };
            let key = key.unwrap_or_else(|e| panic!("{file}: group key refused: {e}"));
            assert!(fits(&key, alg).is_ok(), "{file}");
            // a key of this curve never fits another ECDSA algorithm
            for other in [Alg::ES256, Alg::ES384, Alg::ES512, Alg::ES256K] {
                assert_eq!(fits(&key, other).is_ok(), other == alg, "{file} {other}");
            }
            for t in g["tests"].as_array().unwrap() {
                let (sig, msg) = (
                    hex(t["sig"].as_str().unwrap()),
                    hex(t["msg"].as_str().unwrap()),
                );
                tally.record(file, t, key.verify_signature(alg, &msg, &sig));
            }
        }
        println!("wycheproof {file}: {by_jwk} groups keyed by JWK, {by_spki} by SPKI DER");
        tally.print(file);
        failures.extend(tally.failures);
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// ML-DSA-44/65/87: the key from its DER SubjectPublicKeyInfo (the `--key`
/// PEM path) and, where that reads, the same key as an `AKP` JWK must agree.
/// Keys of the wrong length are refused when loaded, so their vectors are
/// refused. JOSE signs with the empty context: vectors with a non-empty
/// `ctx` are counted as not applicable, after checking that they are refused
/// (the context is part of what is signed).
#[test]
fn ml_dsa_vectors() {
    let mut failures = vec![];
    for (file, alg) in [
        ("mldsa_44_verify_test", Alg::MlDsa44),
        ("mldsa_65_verify_test", Alg::MlDsa65),
        ("mldsa_87_verify_test", Alg::MlDsa87),
    ] {
        let mut tally = Tally::default();
        let mut keys_refused = 0;
        for g in load(file)["testGroups"].as_array().unwrap() {
            let spki = hex(g["publicKeyDer"].as_str().unwrap());
            let raw = hex(g["publicKey"].as_str().unwrap());
            let from_der = oidcat::keys::pem::material_from_spki(&spki)
                .and_then(|m| oidcat::keys::from_material(m, None, None, None, None, vec![]));
            let jwk = json!({"kty": "AKP", "alg": alg.name(), "pub": b64(&raw)});
            let from_jwk = parse_jwk(&jwk, Origin::Set);
            assert_eq!(
                from_der.is_ok(),
                from_jwk.is_ok(),
                "{file}: DER and JWK paths disagree"
            );
            if let (Ok(a), Ok(b)) = (&from_der, &from_jwk) {
                assert_eq!(a.thumbprint, b.thumbprint);
                assert!(fits(a, alg).is_ok());
            } else {
                keys_refused += 1;
                let e = from_jwk.as_ref().unwrap_err();
                assert!(e.contains("must be") && e.contains("bytes"), "{file}: {e}");
            }
            for t in g["tests"].as_array().unwrap() {
                let (sig, msg) = (
                    hex(t["sig"].as_str().unwrap()),
                    hex(t["msg"].as_str().unwrap()),
                );
                let got = |k: &Result<Key, String>| {
                    k.as_ref()
                        .is_ok_and(|k| fits(k, alg).is_ok() && k.verify_signature(alg, &msg, &sig))
                };
                let (a, b) = (got(&from_der), got(&from_jwk));
                assert_eq!(a, b, "{file} tc {}: DER and JWK keys disagree", t["tcId"]);
                if t.get("ctx")
                    .and_then(Value::as_str)
                    .is_some_and(|c| !c.is_empty())
                {
                    assert!(
                        !a,
                        "{file} tc {}: a context signature verified without it",
                        t["tcId"]
                    );
                    tally.not_applicable += 1;
                    continue;
                }
                tally.record(file, t, a);
            }
        }
        println!("wycheproof {file}: {keys_refused} group keys refused when loaded (wrong length)");
        tally.print(file);
        failures.extend(tally.failures);
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// json_web_signature tcId 347 and 351 (RFC 7520 fig. 27, ES512): their key
/// says `alg: ES521`, which no algorithm is, so the key-alg rule refuses it
/// (as for 346/350); with the key as RFC 7520 fig. 3 publishes it (no
/// `alg`) both tokens verify, and a changed signature does not.
#[test]
fn es512_jose_vectors() {
    let mut seen = 0;
    for g in load("json_web_signature_test")["testGroups"]
        .as_array()
        .unwrap()
    {
        for t in g["tests"].as_array().unwrap() {
            let tc = t["tcId"].as_u64().unwrap();
            if tc != 347 && tc != 351 {
                continue;
            }
            seen += 1;
            let jws = t["jws"].as_str().unwrap();
            assert_eq!(g["public"]["alg"], "ES521", "tc {tc}");
            let as_given = parse_jwk(&g["public"], Origin::Set).unwrap();
            assert!(
                fits(&as_given, Alg::ES512)
                    .unwrap_err()
                    .contains("ES521 only")
            );
            assert!(!accepts(jws, &[as_given]), "tc {tc}");
            let mut rfc = g["public"].clone();
            rfc.as_object_mut().unwrap().remove("alg");
            let key = parse_jwk(&rfc, Origin::Set).unwrap();
            assert!(accepts(jws, std::slice::from_ref(&key)), "tc {tc}");
            let mut bad = jws.to_owned();
            let i = bad.len() - 5;
            bad.replace_range(i..i + 1, if &jws[i..i + 1] == "A" { "B" } else { "A" });
            assert!(!accepts(&bad, &[key]), "tc {tc} tampered");
        }
    }
    assert_eq!(seen, 2);
}
