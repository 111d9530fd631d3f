//! Project Wycheproof vectors against the signature-and-key-policy layer of the
//! library: `keys::parse_jwk` (vetting), `keys::fits` (the key-fit predicate),
//! `jsonwebtoken::crypto::verify`, and the same strict splitting rules as
//! `oidcat::jwt` (the JOSE payloads are not claim sets, so `jwt::parse` itself
//! cannot be used on them; its charset/segment rules are mirrored here).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Algorithm;
use serde_json::Value;

use oidcat::keys::{Key, KeySet, Material, Origin, fits, parse_jwk};

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
        "ES512: unsupported by jsonwebtoken",
    ),
    (
        "json_web_signature_test",
        351,
        "ES512: unsupported by jsonwebtoken",
    ),
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
    let Some(alg) = h
        .get("alg")
        .and_then(Value::as_str)
        .and_then(oidcat::keys::parse_alg)
    else {
        return false;
    };
    let hs = matches!(alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512);
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
                        Algorithm::HS256 => 32,
                        Algorithm::HS384 => 48,
                        _ => 64,
                    }
            }
            _ => true,
        })
        .take(oidcat::verify::MAX_TRIES)
        .any(|k| {
            // The path `verify` takes (keys pre-parsed for aws-lc-rs), checked
            // against jsonwebtoken's own verifier on every vector.
            let lib = jsonwebtoken::crypto::verify(
                parts[2],
                input.as_bytes(),
                &k.decoding_key().unwrap(),
                alg,
            )
            .unwrap_or(false);
            let core = {
                use base64::Engine;
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(parts[2])
                    .map(|sig| k.verify_signature(alg, input.as_bytes(), &sig))
                    .unwrap_or(false)
            };
            assert_eq!(core, lib, "core and jsonwebtoken disagree on {}", parts[2]);
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
        ("ecdsa_secp256r1_sha256_p1363_test", Algorithm::ES256),
        ("ecdsa_secp384r1_sha384_p1363_test", Algorithm::ES384),
        ("ed25519_test", Algorithm::EdDSA),
        ("rsa_signature_2048_sha256_test", Algorithm::RS256),
        ("rsa_pss_2048_sha256_mgf1_32_test", Algorithm::PS256),
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
                            alg,
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
