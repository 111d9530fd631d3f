//! Single keys from files (`--key`): PEM SubjectPublicKeyInfo, PEM PKCS#1 RSA
//! public key, PEM X.509 certificate, or a JWK. All become the same [`Key`]
//! model as key-set members, so they are vetted by the same rules.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use x509_parser::oid_registry::{
    OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_NIST_EC_P384, OID_NIST_EC_P521,
    OID_PKCS1_RSAENCRYPTION, OID_SIG_ED25519,
};
use x509_parser::prelude::*;
use x509_parser::public_key::PublicKey;

use super::{Curve, Key, Material, MlDsaLevel, Origin, from_material, parse_jwk, x509};

/// PEM text of a DER SubjectPublicKeyInfo, 64 columns, as openssl writes it.
pub fn to_pem(spki_der: &[u8]) -> String {
    let b64 = STANDARD.encode(spki_der);
    let mut out = String::from("-----BEGIN PUBLIC KEY-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END PUBLIC KEY-----\n");
    out
}

/// Key material from a DER SubjectPublicKeyInfo.
pub fn material_from_spki(der: &[u8]) -> Result<Material, String> {
    let (_, spki) =
        SubjectPublicKeyInfo::from_der(der).map_err(|e| format!("not a public key: {e}"))?;
    let oid = &spki.algorithm.algorithm;
    if *oid == OID_SIG_ED25519 {
        return Ok(Material::Ed25519 {
            x: spki.subject_public_key.data.to_vec(),
        });
    }
    if let Some(level) = MlDsaLevel::from_oid(&oid.to_id_string()) {
        if spki.algorithm.parameters.is_some() {
            return Err(format!("{} key with algorithm parameters", level.alg()));
        }
        return Ok(Material::MlDsa {
            level,
            public: spki.subject_public_key.data.to_vec(),
        });
    }
    match spki
        .parsed()
        .map_err(|e| format!("unreadable public key: {e}"))?
    {
        PublicKey::RSA(rsa) if *oid == OID_PKCS1_RSAENCRYPTION => Ok(Material::Rsa {
            n: trim(rsa.modulus),
            e: trim(rsa.exponent),
        }),
        PublicKey::EC(point) if *oid == OID_KEY_TYPE_EC_PUBLIC_KEY => {
            let curve_oid = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .ok_or("EC key without a named curve")?;
            let crv = if curve_oid == OID_EC_P256 {
                Curve::P256
            } else if curve_oid == OID_NIST_EC_P384 {
                Curve::P384
            } else if curve_oid == OID_NIST_EC_P521 {
                Curve::P521
            } else if curve_oid.to_id_string() == "1.3.132.0.10" {
                Curve::Secp256k1
            } else {
                return Err(format!(
                    "EC curve {curve_oid} is not supported (P-256, P-384, P-521 and secp256k1 are)"
                ));
            };
            let data = point.data();
            let len = crv.len();
            if data.len() != 1 + 2 * len || data[0] != 0x04 {
                return Err("EC point must be uncompressed".into());
            }
            Ok(Material::Ec {
                crv,
                x: data[1..1 + len].to_vec(),
                y: data[1 + len..].to_vec(),
            })
        }
        _ => Err(format!(
            "key algorithm {oid} is not supported (RSA, EC P-256/P-384/P-521/secp256k1, Ed25519, ML-DSA are)"
        )),
    }
}

fn trim(v: &[u8]) -> Vec<u8> {
    let zeros = v.iter().take_while(|&&b| b == 0).count();
    v[zeros.min(v.len().saturating_sub(1))..].to_vec()
}

/// A PKCS#1 RSAPublicKey (`-----BEGIN RSA PUBLIC KEY-----`), read by the
/// same x509-parser type that reads the key inside an SPKI.
fn material_from_pkcs1(der: &[u8]) -> Result<Material, String> {
    use x509_parser::public_key::RSAPublicKey;
    let (rest, rsa) =
        RSAPublicKey::from_der(der).map_err(|e| format!("unreadable RSA public key: {e}"))?;
    if !rest.is_empty() {
        return Err("unreadable RSA public key: trailing data".into());
    }
    Ok(Material::Rsa {
        n: trim(rsa.modulus),
        e: trim(rsa.exponent),
    })
}

/// Loads `--key PATH`: JWK, PEM public key (SPKI or PKCS#1), or certificate.
pub fn load_key_file(bytes: &[u8], path: &str) -> Result<Key, String> {
    let text = String::from_utf8_lossy(bytes);
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let v =
            crate::json::parse_strict(bytes).map_err(|e| format!("{path}: not valid JSON: {e}"))?;
        if v.get("keys").is_some() {
            return Err(format!("{path} is a key set: use --jwks-file"));
        }
        return parse_jwk(&v, Origin::Single).map_err(|e| format!("{path}: key {e}"));
    }
    let (_, pem) = x509_parser::pem::parse_x509_pem(trimmed.as_bytes())
        .map_err(|_| format!("{path}: neither a JWK (JSON) nor a PEM file"))?;
    let (material, cert) = match pem.label.as_str() {
        "PUBLIC KEY" => (material_from_spki(&pem.contents)?, None),
        "RSA PUBLIC KEY" => (material_from_pkcs1(&pem.contents)?, None),
        "CERTIFICATE" => {
            let info = x509::cert_info(&pem.contents).map_err(|e| format!("{path}: {e}"))?;
            (material_from_spki(&info.spki_der)?, Some(info))
        }
        l if l.contains("PRIVATE KEY") => {
            return Err(format!(
                "{path} holds a private key ({l}): give the public key (openssl pkey -pubout) or certificate"
            ));
        }
        l => {
            return Err(format!(
                "{path}: PEM label {l:?} is not a public key or certificate"
            ));
        }
    };
    let mut warnings = Vec::new();
    if let Some(c) = &cert
        && c.expired
    {
        // The key still verifies: OIDC trust comes from the issuer, not the certificate dates.
        warnings.push(format!(
            "certificate expired {} (its key is still used)",
            c.not_after
        ));
    }
    let mut key = from_material(material, None, None, None, None, warnings)
        .map_err(|e| format!("{path}: key {e}"))?;
    key.x5c = cert;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn loads_every_public_form_to_the_same_key() {
        let jwk = load_key_file(&read("keys/rsa.jwk.json"), "jwk").unwrap();
        let pem = load_key_file(&read("keys/rsa.pub.pem"), "pem").unwrap();
        let cert = load_key_file(&read("keys/rsa.cert.pem"), "cert").unwrap();
        assert_eq!(jwk.thumbprint, pem.thumbprint);
        assert_eq!(jwk.thumbprint, cert.thumbprint);
        assert!(cert.x5c.unwrap().subject.contains("oidcat test"));
        for (j, p) in [
            ("keys/p256.jwk.json", "keys/p256.pub.pem"),
            ("keys/p384.jwk.json", "keys/p384.pub.pem"),
            ("keys/ed25519.jwk.json", "keys/ed25519.pub.pem"),
        ] {
            assert_eq!(
                load_key_file(&read(j), j).unwrap().thumbprint,
                load_key_file(&read(p), p).unwrap().thumbprint
            );
        }
    }

    #[test]
    fn github_certificate_key_matches_its_jwks_entry() {
        let cert = load_key_file(&read("github/github-signing-cert.pem"), "cert").unwrap();
        assert_eq!(
            cert.thumbprint,
            "wdqkUpyb_-PRucTUsdRzhtxrKPMOnLmuJReyD4Il9jA"
        );
        assert!(cert.warnings[0].contains("expired"));
    }

    #[test]
    fn private_keys_are_refused_with_a_hint() {
        let e = load_key_file(&read("keys/rsa.pem"), "rsa.pem").unwrap_err();
        assert!(e.contains("private key"), "{e}");
        assert!(load_key_file(b"hello", "x").is_err());
    }

    #[test]
    fn pkcs1_reads_as_the_spki_it_comes_from() {
        let pem = load_key_file(&read("keys/rsa.pub.pem"), "pem").unwrap();
        let spki = pem.spki_der().unwrap();
        let (_, parsed) = SubjectPublicKeyInfo::from_der(&spki).unwrap();
        let pkcs1 = parsed.subject_public_key.data.to_vec();
        let Material::Rsa { n, e } = material_from_pkcs1(&pkcs1).unwrap() else {
            panic!("not RSA")
        };
        let Material::Rsa { n: n2, e: e2 } = &pem.material else {
            panic!("not RSA")
        };
        assert_eq!((&n, &e), (n2, e2));
        assert_eq!(n.len(), 256);
        // and through `--key` with its PEM label
        let text = format!(
            "-----BEGIN RSA PUBLIC KEY-----\n{}\n-----END RSA PUBLIC KEY-----\n",
            STANDARD.encode(&pkcs1)
        );
        let key = load_key_file(text.as_bytes(), "pkcs1").unwrap();
        assert_eq!(key.thumbprint, pem.thumbprint);
        assert!(material_from_pkcs1(b"\x30\x03\x02\x01\x01").is_err());
    }
}
