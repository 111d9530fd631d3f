//! Keys: the key model and its verification, and SPKI export (here); JWK
//! parsing (`jwk`), vetting and thumbprints (`vet`), which key fits which
//! algorithm (`alg`), key sets (`set`), the success memo (`memo`), and where
//! keys come from (`provider`, `cli_provider`, `source`, `pem`, `x509`,
//! `secret`). Keys come from key sets, PEM files, certificates or a secret;
//! never from the token (docs/hostile-inputs.md B7).

mod akp;
mod alg;
pub mod cli_provider;
mod jwk;
pub mod memo;
pub mod pem;
mod provider;
mod secret;
mod set;
pub mod source;
mod vet;
pub mod x509;

pub use akp::{MlDsaLevel, vet_ml_dsa};
pub use alg::{Alg, IntoAlg, alg_name, fits, parse_alg};
pub use jwk::{Origin, describe_x5c, parse_jwk};
pub(crate) use jwk::{key_b64, strip_leading_zeros};
pub use provider::{KeyProvider, StaticKeys};
pub use secret::{min_secret_len, secret_key};
pub use set::KeySet;
pub use vet::{from_material, set_findings, thumbprint};

use std::sync::Arc;

use aws_lc_rs::signature as sig;
use jsonwebtoken::DecodingKey;

use crate::sanitize;

/// Most keys a set may hold; larger sets are refused (docs/hostile-inputs.md B9).
pub const MAX_KEYS: usize = 100;
/// Longest `kid` kept verbatim; longer ones are refused as malformed.
pub const MAX_KID: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
    /// secp256k1 (RFC 8812), for ES256K.
    Secp256k1,
}

impl Curve {
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
            Curve::Secp256k1 => "secp256k1",
        }
    }

    /// The curve of a JWK `crv` name.
    pub fn parse(crv: &str) -> Option<Curve> {
        [Curve::P256, Curve::P384, Curve::P521, Curve::Secp256k1]
            .into_iter()
            .find(|c| c.name() == crv)
    }

    /// Coordinate (and private scalar) length in bytes.
    pub(crate) fn len(self) -> usize {
        match self {
            Curve::P256 | Curve::Secp256k1 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The one algorithm a key on this curve verifies.
    pub fn alg(self) -> Alg {
        match self {
            Curve::P256 => Alg::ES256,
            Curve::P384 => Alg::ES384,
            Curve::P521 => Alg::ES512,
            Curve::Secp256k1 => Alg::ES256K,
        }
    }

    /// aws-lc's fixed-length (JOSE `R || S`) ECDSA verification for the curve.
    pub fn verification(self) -> &'static sig::EcdsaVerificationAlgorithm {
        match self {
            Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED,
            Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED,
            Curve::P521 => &sig::ECDSA_P521_SHA512_FIXED,
            Curve::Secp256k1 => &sig::ECDSA_P256K1_SHA256_FIXED,
        }
    }
}

/// Public key material, normalised (minimal big-endian integers).
#[derive(Clone)]
pub enum Material {
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    Ec {
        crv: Curve,
        x: Vec<u8>,
        y: Vec<u8>,
    },
    Ed25519 {
        x: Vec<u8>,
    },
    /// ML-DSA (JWK `kty` `AKP`): the raw FIPS 204 public key.
    MlDsa {
        level: MlDsaLevel,
        public: Vec<u8>,
    },
    /// Only from `--secret-file` / `--secret-env`, never from a key set.
    Hmac {
        k: Vec<u8>,
    },
}

impl std::fmt::Debug for Material {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Material::Rsa { n, .. } => write!(f, "Rsa({} bits)", rsa_bits(n)),
            Material::Ec { crv, .. } => write!(f, "Ec({})", crv.name()),
            Material::Ed25519 { .. } => f.write_str("Ed25519"),
            Material::MlDsa { level, .. } => write!(f, "{}", level.alg()),
            Material::Hmac { .. } => f.write_str("Hmac(<redacted>)"),
        }
    }
}

/// A vetted verification key.
#[derive(Clone)]
pub struct Key {
    pub kid: Option<String>,
    pub alg: Option<String>,
    pub use_: Option<String>,
    pub key_ops: Option<Vec<String>>,
    pub material: Material,
    /// RFC 7638 SHA-256 thumbprint over the normalised members.
    pub thumbprint: String,
    /// The key parsed once for aws-lc-rs per algorithm, shared by clones:
    /// see [`Key::verify_signature`].
    pub parsed: Arc<ParsedKeys>,
    pub x5c: Option<x509::CertInfo>,
    pub warnings: Vec<String>,
}

/// Public keys parsed for aws-lc-rs on first use, one slot per algorithm the
/// key may verify (an RSA key may serve RS256..PS512). Parsing a 2048-bit RSA
/// key (building the `EVP_PKEY`, Montgomery set-up) costs about as much as a
/// verification, so a key is parsed once, not per token as
/// `jsonwebtoken::crypto::verify` would.
#[derive(Default)]
pub struct ParsedKeys {
    slots: [std::sync::OnceLock<Option<sig::ParsedPublicKey>>; Alg::COUNT],
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("material", &self.material)
            .field("thumbprint", &self.thumbprint)
            .finish()
    }
}

impl Key {
    pub fn kty(&self) -> &'static str {
        match self.material {
            Material::Rsa { .. } => "RSA",
            Material::Ec { .. } => "EC",
            Material::Ed25519 { .. } => "OKP",
            Material::MlDsa { .. } => "AKP",
            Material::Hmac { .. } => "oct",
        }
    }

    /// `kid` for messages: escaped and capped.
    /// The key as jsonwebtoken takes it. Verification does not use it (see
    /// [`Key::verify_signature`]); tests cross-check the two with it.
    /// jsonwebtoken has no P-521, secp256k1 or ML-DSA: `Err` for those.
    pub fn decoding_key(&self) -> std::result::Result<DecodingKey, String> {
        Ok(match &self.material {
            Material::Ec {
                crv: Curve::P521 | Curve::Secp256k1,
                ..
            }
            | Material::MlDsa { .. } => {
                return Err(format!(
                    "jsonwebtoken cannot use a {} key",
                    self.size_label()
                ));
            }
            Material::Rsa { n, e } => DecodingKey::from_rsa_raw_components(n, e),
            Material::Ec { x, y, .. } => {
                DecodingKey::from_ec_der(&[&[0x04], &x[..], &y[..]].concat())
            }
            Material::Ed25519 { x } => DecodingKey::from_ed_der(x),
            Material::Hmac { k } => DecodingKey::from_secret(k).map_err(|e| e.to_string())?,
        })
    }

    pub fn label(&self) -> String {
        match &self.kid {
            Some(k) => sanitize::truncate(k, 64),
            None => format!(
                "without kid, thumbprint {}",
                &self.thumbprint[..self.thumbprint.len().min(12)]
            ),
        }
    }

    /// SubjectPublicKeyInfo DER, for PEM export and certificate comparison.
    pub fn spki_der(&self) -> Option<Vec<u8>> {
        match &self.material {
            Material::Rsa { n, e } => sig::RsaPublicKeyComponents { n, e }
                .to_parsed_public_key(&sig::RSA_PKCS1_2048_8192_SHA256)
                .ok()
                .map(|p| p.as_ref().to_vec()),
            Material::Ec { crv, x, y } => {
                let prefix: &[u8] = match crv {
                    Curve::P256 => &P256_SPKI_PREFIX,
                    Curve::P384 => &P384_SPKI_PREFIX,
                    Curve::P521 | Curve::Secp256k1 => {
                        let point = [&[0x04][..], x, y].concat();
                        let oid = match crv {
                            Curve::P521 => akp::OID_P521,
                            _ => akp::OID_SECP256K1,
                        };
                        return Some(akp::ec_spki(&oid, &point));
                    }
                };
                let mut der = prefix.to_vec();
                der.push(0x04);
                der.extend_from_slice(x);
                der.extend_from_slice(y);
                Some(der)
            }
            Material::Ed25519 { x } => {
                let mut der = ED25519_SPKI_PREFIX.to_vec();
                der.extend_from_slice(x);
                Some(der)
            }
            Material::MlDsa { level, public } => Some(akp::ml_dsa_spki(*level, public)),
            Material::Hmac { .. } => None,
        }
    }

    /// Verifies `signature` (raw bytes, not base64) over `msg` under `alg`
    /// with this key. The caller has checked [`fits`]; a key that cannot serve
    /// `alg` verifies nothing. Same primitives and parameters as jsonwebtoken's
    /// aws-lc-rs backend (RSA 2048-8192 bits, fixed-length ECDSA, HMAC compared
    /// in constant time).
    pub fn verify_signature(&self, alg: impl IntoAlg, msg: &[u8], signature: &[u8]) -> bool {
        let Some(alg) = alg.into_alg() else {
            return false;
        };
        use Alg::*;
        let slot = |parse: &dyn Fn() -> Option<sig::ParsedPublicKey>| {
            self.parsed.slots[alg.index()]
                .get_or_init(parse)
                .as_ref()
                .is_some_and(|p| p.verify_sig(msg, signature).is_ok())
        };
        match (&self.material, alg) {
            (Material::Rsa { n, e }, _) => {
                let params: &'static sig::RsaParameters = match alg {
                    RS256 => &sig::RSA_PKCS1_2048_8192_SHA256,
                    RS384 => &sig::RSA_PKCS1_2048_8192_SHA384,
                    RS512 => &sig::RSA_PKCS1_2048_8192_SHA512,
                    PS256 => &sig::RSA_PSS_2048_8192_SHA256,
                    PS384 => &sig::RSA_PSS_2048_8192_SHA384,
                    PS512 => &sig::RSA_PSS_2048_8192_SHA512,
                    _ => return false,
                };
                slot(&|| {
                    sig::RsaPublicKeyComponents { n, e }
                        .to_parsed_public_key(params)
                        .ok()
                })
            }
            (Material::Ec { crv, x, y }, ES256 | ES384 | ES512 | ES256K) => {
                if crv.alg() != alg {
                    return false;
                }
                let params = crv.verification();
                slot(&|| {
                    let mut point = Vec::with_capacity(1 + x.len() + y.len());
                    point.push(0x04);
                    point.extend_from_slice(x);
                    point.extend_from_slice(y);
                    sig::ParsedPublicKey::new(params, &point).ok()
                })
            }
            (Material::Ed25519 { x }, EdDSA) => {
                slot(&|| sig::ParsedPublicKey::new(&sig::ED25519, x).ok())
            }
            (Material::MlDsa { level, public }, MlDsa44 | MlDsa65 | MlDsa87) => {
                if level.alg() != alg {
                    return false;
                }
                slot(&|| sig::ParsedPublicKey::new(level.verification(), public).ok())
            }
            (Material::Hmac { k }, HS256 | HS384 | HS512) => {
                use aws_lc_rs::hmac;
                let a = match alg {
                    HS256 => hmac::HMAC_SHA256,
                    HS384 => hmac::HMAC_SHA384,
                    _ => hmac::HMAC_SHA512,
                };
                hmac::verify(&hmac::Key::new(a, k), msg, signature).is_ok()
            }
            _ => false,
        }
    }

    /// "2048 bits" / "P-256" / "Ed25519".
    pub fn size_label(&self) -> String {
        match &self.material {
            Material::Rsa { n, .. } => format!("{} bits", rsa_bits(n)),
            Material::Ec { crv, .. } => crv.name().into(),
            Material::Ed25519 { .. } => "Ed25519".into(),
            Material::MlDsa { level, .. } => level.alg().name().into(),
            Material::Hmac { k } => format!("{} bytes", k.len()),
        }
    }
}

// DER prefixes of SubjectPublicKeyInfo (RFC 5480, RFC 8410) up to the key bits.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];
const P384_SPKI_PREFIX: [u8; 23] = [
    0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b,
    0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00,
];
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

pub fn rsa_bits(n: &[u8]) -> usize {
    match n.iter().position(|&b| b != 0) {
        Some(i) => (n.len() - i) * 8 - n[i].leading_zeros() as usize,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use jsonwebtoken::Algorithm;
    use serde_json::Value;

    fn fixture(path: &str) -> Value {
        let p = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    }

    #[test]
    fn preparsed_verification_agrees_with_jsonwebtoken() {
        use jsonwebtoken::EncodingKey;
        let pem = |f: &str| {
            std::fs::read(format!(
                "{}/tests/fixtures/keys/{f}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        };
        let msg = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0";
        let rsa = parse_jwk(&fixture("keys/rsa.jwk.json"), Origin::Single).unwrap();
        let mut rsa_any = fixture("keys/rsa.jwk.json");
        rsa_any.as_object_mut().unwrap().remove("alg");
        let rsa_any = parse_jwk(&rsa_any, Origin::Single).unwrap();
        let p256 = parse_jwk(&fixture("keys/p256.jwk.json"), Origin::Set).unwrap();
        let p384 = parse_jwk(&fixture("keys/p384.jwk.json"), Origin::Set).unwrap();
        let ed = parse_jwk(&fixture("keys/ed25519.jwk.json"), Origin::Set).unwrap();
        let secret = from_material(
            Material::Hmac { k: vec![7; 64] },
            None,
            None,
            None,
            None,
            vec![],
        )
        .unwrap();
        let rsa_enc = EncodingKey::from_rsa_pem(&pem("rsa.pem")).unwrap();
        let cases: Vec<(&Key, Algorithm, EncodingKey)> = vec![
            (&rsa, Algorithm::RS256, rsa_enc.clone()),
            (&rsa_any, Algorithm::RS384, rsa_enc.clone()),
            (&rsa_any, Algorithm::RS512, rsa_enc.clone()),
            (&rsa_any, Algorithm::PS256, rsa_enc.clone()),
            (&rsa_any, Algorithm::PS384, rsa_enc.clone()),
            (&rsa_any, Algorithm::PS512, rsa_enc),
            (
                &p256,
                Algorithm::ES256,
                EncodingKey::from_ec_pem(&pem("p256.pem")).unwrap(),
            ),
            (
                &p384,
                Algorithm::ES384,
                EncodingKey::from_ec_pem(&pem("p384.pem")).unwrap(),
            ),
            (
                &ed,
                Algorithm::EdDSA,
                EncodingKey::from_ed_pem(&pem("ed25519.pem")).unwrap(),
            ),
            (
                &secret,
                Algorithm::HS256,
                EncodingKey::from_secret(&[7; 64]).unwrap(),
            ),
            (
                &secret,
                Algorithm::HS384,
                EncodingKey::from_secret(&[7; 64]).unwrap(),
            ),
            (
                &secret,
                Algorithm::HS512,
                EncodingKey::from_secret(&[7; 64]).unwrap(),
            ),
        ];
        for (key, alg, enc) in cases {
            let sig_b64 = jsonwebtoken::crypto::sign(msg, &enc, alg).unwrap();
            let mut raw = URL_SAFE_NO_PAD.decode(&sig_b64).unwrap();
            assert!(
                jsonwebtoken::crypto::verify(&sig_b64, msg, &key.decoding_key().unwrap(), alg)
                    .unwrap(),
                "{alg:?}"
            );
            // twice: the second call uses the key parsed by the first
            assert!(key.verify_signature(alg, msg, &raw), "{alg:?}");
            assert!(key.verify_signature(alg, msg, &raw), "{alg:?} (parsed)");
            assert!(
                !key.verify_signature(alg, b"other message", &raw),
                "{alg:?} other message"
            );
            let last = raw.len() - 1;
            raw[last] ^= 1;
            assert!(!key.verify_signature(alg, msg, &raw), "{alg:?} tampered");
            assert!(!key.verify_signature(alg, msg, &[]), "{alg:?} empty");
        }
        // a key never verifies under another family's algorithm
        assert!(!p256.verify_signature(Algorithm::ES384, msg, &[0; 96]));
        assert!(!ed.verify_signature(Algorithm::RS256, msg, &[0; 256]));
        assert!(!rsa.verify_signature(Algorithm::HS256, msg, &[0; 32]));
    }

    #[test]
    fn spki_export_matches_openssl() {
        for (jwk, pem) in [
            ("keys/rsa.jwk.json", "keys/rsa.pub.pem"),
            ("keys/p256.jwk.json", "keys/p256.pub.pem"),
            ("keys/p384.jwk.json", "keys/p384.pub.pem"),
            ("keys/ed25519.jwk.json", "keys/ed25519.pub.pem"),
        ] {
            let key = parse_jwk(&fixture(jwk), Origin::Set).unwrap();
            let want = std::fs::read_to_string(format!(
                "{}/tests/fixtures/{pem}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            assert_eq!(pem::to_pem(&key.spki_der().unwrap()), want, "{jwk}");
        }
    }
}
