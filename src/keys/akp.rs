//! Keys of the newer algorithms: ML-DSA (FIPS 204) public keys, JWK `kty`
//! `AKP` per the IETF "ML-DSA for JOSE and COSE" draft, and the DER
//! SubjectPublicKeyInfo forms of P-521, secp256k1 and ML-DSA keys.

use aws_lc_rs::signature as sig;

use super::Alg;

/// The ML-DSA parameter set of a key; one key serves exactly one algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MlDsaLevel {
    L44,
    L65,
    L87,
}

impl MlDsaLevel {
    pub const ALL: [MlDsaLevel; 3] = [MlDsaLevel::L44, MlDsaLevel::L65, MlDsaLevel::L87];

    /// The JOSE algorithm, which is also the JWK's required `alg`.
    pub const fn alg(self) -> Alg {
        match self {
            MlDsaLevel::L44 => Alg::MlDsa44,
            MlDsaLevel::L65 => Alg::MlDsa65,
            MlDsaLevel::L87 => Alg::MlDsa87,
        }
    }

    pub fn from_alg(alg: Alg) -> Option<MlDsaLevel> {
        MlDsaLevel::ALL.into_iter().find(|l| l.alg() == alg)
    }

    /// FIPS 204 table 2: public key bytes.
    pub const fn public_len(self) -> usize {
        match self {
            MlDsaLevel::L44 => 1312,
            MlDsaLevel::L65 => 1952,
            MlDsaLevel::L87 => 2592,
        }
    }

    pub fn verification(self) -> &'static sig::PqdsaVerificationAlgorithm {
        match self {
            MlDsaLevel::L44 => &sig::ML_DSA_44,
            MlDsaLevel::L65 => &sig::ML_DSA_65,
            MlDsaLevel::L87 => &sig::ML_DSA_87,
        }
    }

    pub fn signing(self) -> &'static sig::PqdsaSigningAlgorithm {
        match self {
            MlDsaLevel::L44 => &sig::ML_DSA_44_SIGNING,
            MlDsaLevel::L65 => &sig::ML_DSA_65_SIGNING,
            MlDsaLevel::L87 => &sig::ML_DSA_87_SIGNING,
        }
    }

    /// The last arc of id-ml-dsa-44/65/87 (2.16.840.1.101.3.4.3.17..19).
    const fn oid_last(self) -> u8 {
        match self {
            MlDsaLevel::L44 => 0x11,
            MlDsaLevel::L65 => 0x12,
            MlDsaLevel::L87 => 0x13,
        }
    }

    /// The level of an SPKI algorithm OID in dotted form.
    pub fn from_oid(dotted: &str) -> Option<MlDsaLevel> {
        MlDsaLevel::ALL
            .into_iter()
            .find(|l| dotted == format!("2.16.840.1.101.3.4.3.{}", l.oid_last()))
    }
}

/// Vets an ML-DSA public key: the exact FIPS 204 length, and aws-lc parses it.
pub fn vet_ml_dsa(level: MlDsaLevel, public: &[u8]) -> Result<(), String> {
    if public.len() != level.public_len() {
        return Err(format!(
            "{} public key must be {} bytes, found {}",
            level.alg(),
            level.public_len(),
            public.len()
        ));
    }
    sig::ParsedPublicKey::new(level.verification(), public)
        .map(|_| ())
        .map_err(|_| format!("invalid {} public key", level.alg()))
}

/// DER length octets.
fn der_len(len: usize, out: &mut Vec<u8>) {
    match len {
        0..=0x7f => out.push(len as u8),
        0x80..=0xff => out.extend_from_slice(&[0x81, len as u8]),
        _ => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
    }
}

/// A DER TLV.
fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 4);
    out.push(tag);
    der_len(content.len(), &mut out);
    out.extend_from_slice(content);
    out
}

/// SubjectPublicKeyInfo from the DER AlgorithmIdentifier contents and the key bits.
fn spki(algorithm_id: &[u8], key: &[u8]) -> Vec<u8> {
    let mut bits = Vec::with_capacity(key.len() + 1);
    bits.push(0);
    bits.extend_from_slice(key);
    let mut body = der_tlv(0x30, algorithm_id);
    body.extend(der_tlv(0x03, &bits));
    der_tlv(0x30, &body)
}

/// id-ecPublicKey (1.2.840.10045.2.1), DER.
const EC_PUBLIC_KEY: [u8; 9] = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// secp521r1 (1.3.132.0.35) and secp256k1 (1.3.132.0.10), DER.
pub const OID_P521: [u8; 7] = [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23];
pub const OID_SECP256K1: [u8; 7] = [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a];

/// RFC 5480 SPKI of an uncompressed EC point on the curve named by `curve_oid`.
pub fn ec_spki(curve_oid: &[u8], point: &[u8]) -> Vec<u8> {
    let mut alg = EC_PUBLIC_KEY.to_vec();
    alg.extend_from_slice(curve_oid);
    spki(&alg, point)
}

/// SPKI of an ML-DSA key (RFC 9881: the OID alone, no parameters).
pub fn ml_dsa_spki(level: MlDsaLevel, public: &[u8]) -> Vec<u8> {
    let oid = [
        0x06,
        0x09,
        0x60,
        0x86,
        0x48,
        0x01,
        0x65,
        0x03,
        0x04,
        0x03,
        level.oid_last(),
    ];
    spki(&oid, public)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spki_matches_aws_lc() {
        use aws_lc_rs::encoding::AsDer;
        use aws_lc_rs::signature::KeyPair;
        for level in MlDsaLevel::ALL {
            let kp = sig::PqdsaKeyPair::generate(level.signing()).unwrap();
            let public = kp.public_key().as_ref().to_vec();
            assert_eq!(public.len(), level.public_len());
            assert!(vet_ml_dsa(level, &public).is_ok());
            assert!(vet_ml_dsa(level, &public[1..]).is_err());
            let want = kp.public_key().as_der().unwrap();
            assert_eq!(ml_dsa_spki(level, &public), want.as_ref(), "{level:?}");
        }
        for (alg, oid) in [
            (&sig::ECDSA_P521_SHA512_FIXED_SIGNING, OID_P521),
            (&sig::ECDSA_P256K1_SHA256_FIXED_SIGNING, OID_SECP256K1),
        ] {
            let kp = sig::EcdsaKeyPair::generate(alg).unwrap();
            let want = kp.public_key().as_der().unwrap();
            assert_eq!(ec_spki(&oid, kp.public_key().as_ref()), want.as_ref());
        }
        assert_eq!(
            MlDsaLevel::from_oid("2.16.840.1.101.3.4.3.18"),
            Some(MlDsaLevel::L65)
        );
        assert_eq!(MlDsaLevel::from_oid("2.16.840.1.101.3.4.3.20"), None);
    }

    #[test]
    fn new_key_types_are_vetted_like_the_others() {
        use crate::keys::{Origin, fits, parse_jwk};
        use aws_lc_rs::signature::KeyPair;
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
        use serde_json::json;
        let kp = sig::PqdsaKeyPair::generate(&sig::ML_DSA_65_SIGNING).unwrap();
        let public = B64.encode(kp.public_key().as_ref());
        let jwk = json!({"kty": "AKP", "alg": "ML-DSA-65", "pub": public});
        let key = parse_jwk(&jwk, Origin::Set).unwrap();
        assert_eq!(key.kty(), "AKP");
        assert!(fits(&key, Alg::MlDsa65).is_ok());
        assert!(fits(&key, Alg::MlDsa44).is_err());
        assert!(fits(&key, Alg::ES256).is_err());
        // the draft's thumbprint members, in order: alg, kty, pub
        let canonical = format!(r#"{{"alg":"ML-DSA-65","kty":"AKP","pub":"{public}"}}"#);
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes());
        assert_eq!(key.thumbprint, B64.encode(digest.as_ref()));
        // the key of one parameter set named as another: wrong length
        let e = parse_jwk(
            &json!({"kty": "AKP", "alg": "ML-DSA-44", "pub": public}),
            Origin::Set,
        )
        .unwrap_err();
        assert!(e.contains("1312 bytes, found 1952"), "{e}");
        let e = parse_jwk(&json!({"kty": "AKP", "pub": public}), Origin::Set).unwrap_err();
        assert!(e.contains("must name its `alg`"), "{e}");
        let e = parse_jwk(
            &json!({"kty": "AKP", "alg": "ES256", "pub": public}),
            Origin::Set,
        )
        .unwrap_err();
        assert!(e.contains("not supported"), "{e}");
        let private = json!({"kty": "AKP", "alg": "ML-DSA-65", "pub": public, "priv": "AAAA"});
        assert!(
            parse_jwk(&private, Origin::Set)
                .unwrap_err()
                .contains("private")
        );
        assert!(
            !parse_jwk(&private, Origin::Single)
                .unwrap()
                .warnings
                .is_empty()
        );
        // EC: the new curves, their points checked on the curve
        for (alg, crv) in [(Alg::ES512, "P-521"), (Alg::ES256K, "secp256k1")] {
            let signing = if alg == Alg::ES512 {
                &sig::ECDSA_P521_SHA512_FIXED_SIGNING
            } else {
                &sig::ECDSA_P256K1_SHA256_FIXED_SIGNING
            };
            let kp = sig::EcdsaKeyPair::generate(signing).unwrap();
            let point = kp.public_key().as_ref();
            let len = (point.len() - 1) / 2;
            let mut jwk = json!({"kty": "EC", "crv": crv,
                "x": B64.encode(&point[1..1 + len]), "y": B64.encode(&point[1 + len..])});
            let key = parse_jwk(&jwk, Origin::Set).unwrap();
            assert!(fits(&key, alg).is_ok(), "{crv}");
            for other in [Alg::ES256, Alg::ES384, Alg::ES512, Alg::ES256K] {
                assert_eq!(fits(&key, other).is_ok(), other == alg, "{crv} {other}");
            }
            let mut y = point[1 + len..].to_vec();
            y[len - 1] ^= 1;
            jwk["y"] = json!(B64.encode(&y));
            let e = parse_jwk(&jwk, Origin::Set).unwrap_err();
            assert!(e.contains("not on curve"), "{crv}: {e}");
        }
    }
}
