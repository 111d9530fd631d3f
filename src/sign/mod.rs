//! Signing, for tests only (`oidcat sign`, `oidcat keygen`): private keys
//! from PEM or JWK, a signature for every algorithm oidcat verifies, and the
//! public JWK of a private key. Everything goes through aws-lc-rs, the same
//! library that verifies.
//!
//! Private key material never reaches an error message: errors name the
//! file and what is wrong with its shape, never a member's value.

pub mod keygen;
mod load;

pub use load::{from_jwk, from_pem, load};

use aws_lc_rs::encoding::{AsBigEndian, AsDer};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::PublicKeyComponents;
use aws_lc_rs::signature::{self as sig, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::keys::{Alg, Curve, Material, MlDsaLevel};

/// A private key able to sign.
pub enum Private {
    Rsa(sig::RsaKeyPair),
    Ec(Curve, sig::EcdsaKeyPair),
    Ed25519(sig::Ed25519KeyPair),
    MlDsa(MlDsaLevel, sig::PqdsaKeyPair),
    /// An HMAC secret (JWK `kty` `oct`).
    Hmac(Vec<u8>),
}

impl std::fmt::Debug for Private {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Private::Rsa(_) => "Private(RSA)",
            Private::Ec(..) => "Private(EC)",
            Private::Ed25519(_) => "Private(Ed25519)",
            Private::MlDsa(..) => "Private(ML-DSA)",
            Private::Hmac(_) => "Private(oct)",
        })
    }
}

/// A private key with what its JWK said about it.
#[derive(Debug)]
pub struct Signer {
    pub key: Private,
    /// The JWK's `alg`, if any: the only algorithm it then signs.
    pub alg: Option<Alg>,
    /// The JWK's `kid`, if any.
    pub kid: Option<String>,
}

fn ec_signing(crv: Curve) -> &'static sig::EcdsaSigningAlgorithm {
    match crv {
        Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
        Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
        Curve::P521 => &sig::ECDSA_P521_SHA512_FIXED_SIGNING,
        Curve::Secp256k1 => &sig::ECDSA_P256K1_SHA256_FIXED_SIGNING,
    }
}

const CURVES: [Curve; 4] = [Curve::P256, Curve::P384, Curve::P521, Curve::Secp256k1];

/// Shortest HMAC secret for an HS algorithm: its hash length (RFC 7518 §3.2).
pub fn hmac_min_len(alg: Alg) -> usize {
    match alg {
        Alg::HS256 => 32,
        Alg::HS384 => 48,
        _ => 64,
    }
}

fn b64(v: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(v)
}

impl Private {
    /// The algorithm a key signs when none is named.
    pub fn default_alg(&self) -> Alg {
        match self {
            Private::Rsa(_) => Alg::RS256,
            Private::Ec(crv, _) => crv.alg(),
            Private::Ed25519(_) => Alg::EdDSA,
            Private::MlDsa(level, _) => level.alg(),
            Private::Hmac(_) => Alg::HS256,
        }
    }

    /// Why this key cannot sign `alg`, if it cannot.
    pub fn refuses(&self, alg: Alg) -> Option<String> {
        use Alg::*;
        let ok = match self {
            Private::Rsa(_) => matches!(alg, RS256 | RS384 | RS512 | PS256 | PS384 | PS512),
            Private::Ec(crv, _) => crv.alg() == alg,
            Private::Ed25519(_) => alg == EdDSA,
            Private::MlDsa(level, _) => level.alg() == alg,
            Private::Hmac(k) => {
                if alg.is_hmac() && k.len() < hmac_min_len(alg) {
                    return Some(format!(
                        "{alg} needs a secret of at least {} bytes (this one has {})",
                        hmac_min_len(alg),
                        k.len()
                    ));
                }
                alg.is_hmac()
            }
        };
        (!ok).then(|| format!("a {} key cannot sign {alg}", self.describe()))
    }

    fn describe(&self) -> String {
        match self {
            Private::Rsa(_) => "RSA".into(),
            Private::Ec(crv, _) => format!("EC {}", crv.name()),
            Private::Ed25519(_) => "Ed25519".into(),
            Private::MlDsa(level, _) => level.alg().name().into(),
            Private::Hmac(_) => "symmetric (oct)".into(),
        }
    }

    /// The signature of `msg` under `alg` (checked with [`Private::refuses`]).
    pub fn sign(&self, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
        if let Some(why) = self.refuses(alg) {
            return Err(Error::usage(why));
        }
        let failed = || Error::io(format!("signing with {alg} failed"));
        let rng = SystemRandom::new();
        Ok(match self {
            Private::Rsa(kp) => {
                let enc: &'static dyn sig::RsaEncoding = match alg {
                    Alg::RS256 => &sig::RSA_PKCS1_SHA256,
                    Alg::RS384 => &sig::RSA_PKCS1_SHA384,
                    Alg::RS512 => &sig::RSA_PKCS1_SHA512,
                    Alg::PS256 => &sig::RSA_PSS_SHA256,
                    Alg::PS384 => &sig::RSA_PSS_SHA384,
                    _ => &sig::RSA_PSS_SHA512,
                };
                let mut out = vec![0; kp.public_modulus_len()];
                kp.sign(enc, &rng, msg, &mut out).map_err(|_| failed())?;
                out
            }
            Private::Ec(_, kp) => kp.sign(&rng, msg).map_err(|_| failed())?.as_ref().to_vec(),
            Private::Ed25519(kp) => kp.sign(msg).as_ref().to_vec(),
            Private::MlDsa(level, kp) => {
                let mut out = vec![0; level.signing().signature_len()];
                let n = kp.sign(msg, &mut out).map_err(|_| failed())?;
                out.truncate(n);
                out
            }
            Private::Hmac(k) => {
                use aws_lc_rs::hmac;
                let a = match alg {
                    Alg::HS256 => hmac::HMAC_SHA256,
                    Alg::HS384 => hmac::HMAC_SHA384,
                    _ => hmac::HMAC_SHA512,
                };
                hmac::sign(&hmac::Key::new(a, k), msg).as_ref().to_vec()
            }
        })
    }

    /// The public key, as the verifier's key model holds it.
    pub fn public_material(&self) -> Material {
        match self {
            Private::Rsa(kp) => {
                let c = PublicKeyComponents::<Vec<u8>>::from(kp.public_key());
                Material::Rsa { n: c.n, e: c.e }
            }
            Private::Ec(crv, kp) => {
                let point = kp.public_key().as_ref();
                let len = crv.len();
                Material::Ec {
                    crv: *crv,
                    x: point[1..1 + len].to_vec(),
                    y: point[1 + len..].to_vec(),
                }
            }
            Private::Ed25519(kp) => Material::Ed25519 {
                x: kp.public_key().as_ref().to_vec(),
            },
            Private::MlDsa(level, kp) => Material::MlDsa {
                level: *level,
                public: kp.public_key().as_ref().to_vec(),
            },
            Private::Hmac(k) => Material::Hmac { k: k.clone() },
        }
    }

    /// The private JWK members (`kty` and the key's own members).
    pub fn private_members(&self) -> Result<Map<String, Value>> {
        let failed = || Error::io("exporting the key failed");
        let mut m = public_members(&self.public_material());
        match self {
            Private::Rsa(kp) => {
                let der = kp.as_der().map_err(|_| failed())?;
                let parts = rsa_private_from_pkcs8(der.as_ref()).ok_or_else(failed)?;
                for (name, v) in ["d", "p", "q", "dp", "dq", "qi"].into_iter().zip(parts) {
                    m.insert(name.into(), json!(b64(v)));
                }
            }
            Private::Ec(crv, kp) => {
                let d = kp.private_key().as_be_bytes().map_err(|_| failed())?;
                let mut d = d.as_ref().to_vec();
                // RFC 7518 §6.2.2.1: `d` is the full coordinate length
                while d.len() < crv.len() {
                    d.insert(0, 0);
                }
                m.insert("d".into(), json!(b64(&d)));
            }
            Private::Ed25519(kp) => {
                let seed = kp.seed().map_err(|_| failed())?;
                let seed = seed.as_be_bytes().map_err(|_| failed())?;
                m.insert("d".into(), json!(b64(seed.as_ref())));
            }
            Private::MlDsa(..) => return Err(failed()), // keygen writes the seed it made
            Private::Hmac(_) => {}
        }
        Ok(m)
    }
}

/// The public JWK members of key material (`kty` first); for `oct`, the secret.
pub fn public_members(m: &Material) -> Map<String, Value> {
    let mut o = Map::new();
    match m {
        Material::Rsa { n, e } => {
            o.insert("kty".into(), json!("RSA"));
            o.insert("n".into(), json!(b64(n)));
            o.insert("e".into(), json!(b64(e)));
        }
        Material::Ec { crv, x, y } => {
            o.insert("kty".into(), json!("EC"));
            o.insert("crv".into(), json!(crv.name()));
            o.insert("x".into(), json!(b64(x)));
            o.insert("y".into(), json!(b64(y)));
        }
        Material::Ed25519 { x } => {
            o.insert("kty".into(), json!("OKP"));
            o.insert("crv".into(), json!("Ed25519"));
            o.insert("x".into(), json!(b64(x)));
        }
        Material::MlDsa { level, public } => {
            o.insert("kty".into(), json!("AKP"));
            o.insert("alg".into(), json!(level.alg().name()));
            o.insert("pub".into(), json!(b64(public)));
        }
        Material::Hmac { k } => {
            o.insert("kty".into(), json!("oct"));
            o.insert("k".into(), json!(b64(k)));
        }
    }
    o
}

// --- a minimal DER reader, for PKCS#8 RSA keys --------------------------------

/// One TLV: (tag, contents, rest). Definite lengths up to 4 octets only.
fn der_next(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, &b| a << 8 | b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// d, p, q, dp, dq, qi of the PKCS#1 RSAPrivateKey inside a PKCS#8 document,
/// minimal big-endian.
fn rsa_private_from_pkcs8(pkcs8: &[u8]) -> Option<Vec<&[u8]>> {
    let (0x30, body, _) = der_next(pkcs8)? else {
        return None;
    };
    let (0x02, _, rest) = der_next(body)? else {
        return None;
    };
    let (0x30, _, rest) = der_next(rest)? else {
        return None;
    };
    let (0x04, inner, _) = der_next(rest)? else {
        return None;
    };
    let (0x30, mut seq, _) = der_next(inner)? else {
        return None;
    };
    let mut ints = Vec::with_capacity(9);
    for _ in 0..9 {
        let (0x02, v, rest) = der_next(seq)? else {
            return None;
        };
        let zeros = v.iter().take_while(|&&b| b == 0).count();
        ints.push(&v[zeros.min(v.len().saturating_sub(1))..]);
        seq = rest;
    }
    // version, n, e, then the six private values
    Some(ints.split_off(3))
}

/// A compact JWS over `header` and `claims` (both JSON objects).
pub fn compact(signer: &Signer, alg: Alg, header: &Value, claims: &Value) -> Result<String> {
    let mut input = b64(header.to_string().as_bytes());
    input.push('.');
    input.push_str(&b64(claims.to_string().as_bytes()));
    let signature = signer.key.sign(alg, input.as_bytes())?;
    input.push('.');
    input.push_str(&b64(&signature));
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Origin, parse_jwk};

    fn read(p: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn pem_private_keys_sign_what_their_public_keys_verify() {
        for (pem, jwk, alg) in [
            ("keys/rsa.pem", "keys/rsa.jwk.json", Alg::RS256),
            ("keys/p256.pem", "keys/p256.jwk.json", Alg::ES256),
            ("keys/p384.pem", "keys/p384.jwk.json", Alg::ES384),
            ("keys/ed25519.pem", "keys/ed25519.jwk.json", Alg::EdDSA),
        ] {
            let s = load(&read(pem)).unwrap();
            assert_eq!(s.key.default_alg(), alg, "{pem}");
            let public: Value = serde_json::from_slice(&read(jwk)).unwrap();
            let key = parse_jwk(&public, Origin::Set).unwrap();
            let sig = s.key.sign(alg, b"msg").unwrap();
            assert!(key.verify_signature(alg, b"msg", &sig), "{pem}");
            assert!(!key.verify_signature(alg, b"other", &sig), "{pem}");
            let again =
                crate::keys::from_material(s.key.public_material(), None, None, None, None, vec![])
                    .unwrap();
            assert_eq!(again.thumbprint, key.thumbprint, "{pem}");
        }
    }

    #[test]
    fn pkcs8_pem_of_the_new_key_types_loads() {
        use base64::engine::general_purpose::STANDARD;
        let pem = |der: &[u8]| {
            format!(
                "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
                STANDARD.encode(der)
            )
        };
        for crv in [Curve::P521, Curve::Secp256k1] {
            let kp = sig::EcdsaKeyPair::generate(ec_signing(crv)).unwrap();
            let der = kp.to_pkcs8v1().unwrap();
            let s = load(pem(der.as_ref()).as_bytes()).unwrap();
            assert_eq!(s.key.default_alg(), crv.alg());
        }
        for level in MlDsaLevel::ALL {
            let kp = sig::PqdsaKeyPair::generate(level.signing()).unwrap();
            let der = kp.to_pkcs8v1().unwrap();
            let s = load(pem(der.as_ref()).as_bytes()).unwrap();
            assert_eq!(s.key.default_alg(), level.alg());
            let key =
                crate::keys::from_material(s.key.public_material(), None, None, None, None, vec![])
                    .unwrap();
            let sig = s.key.sign(level.alg(), b"m").unwrap();
            assert!(key.verify_signature(level.alg(), b"m", &sig));
        }
    }

    #[test]
    fn errors_never_show_private_values() {
        let secret = "c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw";
        for bad in [
            json!({"kty":"EC","crv":"P-256","d":secret,"x":secret,"y":secret}),
            json!({"kty":"RSA","n":secret,"e":"AQAB","d":secret,"p":secret,"q":secret,"dp":secret,"dq":secret,"qi":"!!"}),
            json!({"kty":"AKP","alg":"ML-DSA-44","priv":secret}),
            json!({"kty":"oct","k":secret,"alg":"HS512"}),
        ] {
            let e = from_jwk(&bad).unwrap_err();
            assert!(!e.contains(secret) && !e.contains("c2Vj"), "{e}");
        }
        assert!(
            from_jwk(&json!({"kty":"oct","k":secret,"alg":"HS512"}))
                .unwrap_err()
                .contains("64 bytes")
        );
    }
}
