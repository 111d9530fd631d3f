//! Vetting key material: sizes, exponents, curve points, small-order
//! Ed25519 keys (docs/hostile-inputs.md C3-C7), and what a set's keys say
//! together (duplicate and missing kids). Also the RFC 7638 thumbprint.

use std::sync::Arc;

use aws_lc_rs::signature as sig;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::DecodingKey;

use super::{Key, Material, rsa_bits};
use crate::sanitize;

/// The eight small-order Ed25519 points, compared on `y` with the sign bit
/// cleared so non-canonical encodings are caught too (docs/hostile-inputs.md C7). Any
/// signature `R = identity, S = 0` verifies under such a key.
fn ed25519_small_order(x: &[u8]) -> bool {
    const P_MINUS_1: [u8; 32] = {
        let mut a = [0xff; 32];
        a[0] = 0xec;
        a[31] = 0x7f;
        a
    };
    const ORDER8_A: [u8; 32] = [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x05,
    ];
    const ORDER8_B: [u8; 32] = [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0x7a,
    ];
    let Ok(mut y) = <[u8; 32]>::try_from(x) else {
        return false;
    };
    y[31] &= 0x7f;
    let small = |v: u8| -> [u8; 32] {
        let mut a = [0u8; 32];
        a[0] = v;
        a
    };
    let mut p = P_MINUS_1;
    let mut candidates = vec![small(0), small(1), P_MINUS_1, ORDER8_A, ORDER8_B];
    // y = p and y = p + 1 are non-canonical encodings of 0 and 1
    p[0] = 0xed;
    candidates.push(p);
    p[0] = 0xee;
    candidates.push(p);
    candidates.contains(&y)
}

/// Vets key material and builds the verification key. Rules: RSA 2048-8192
/// bits, exponent odd in 3..=2^33 (C4, C5); EC points on the curve with
/// full-length coordinates (C3); Ed25519 not of small order (C7).
pub fn from_material(
    material: Material,
    kid: Option<String>,
    alg: Option<String>,
    use_: Option<String>,
    key_ops: Option<Vec<String>>,
    warnings: Vec<String>,
) -> std::result::Result<Key, String> {
    match &material {
        Material::Rsa { n, e } => {
            let bits = rsa_bits(n);
            if bits < 2048 {
                return Err(format!("RSA key is {bits} bits (minimum 2048)"));
            }
            if bits > 8192 {
                return Err(format!("RSA key is {bits} bits (maximum 8192)"));
            }
            let e_val = e.iter().try_fold(0u64, |acc, &b| {
                if acc >> 56 != 0 {
                    None
                } else {
                    Some(acc << 8 | b as u64)
                }
            });
            match e_val {
                Some(v) if v >= 3 && v % 2 == 1 && v <= 1 << 33 => {}
                _ => return Err("RSA exponent must be odd, at least 3 and at most 2^33".into()),
            }
        }
        Material::Ec { crv, x, y } => {
            if x.len() != crv.len() || y.len() != crv.len() {
                return Err(format!(
                    "invalid EC point: {} coordinates must be {} bytes (x {}, y {})",
                    crv.name(),
                    crv.len(),
                    x.len(),
                    y.len()
                ));
            }
            let mut point = Vec::with_capacity(1 + 2 * crv.len());
            point.push(0x04);
            point.extend_from_slice(x);
            point.extend_from_slice(y);
            if sig::ParsedPublicKey::new(crv.verification(), &point).is_err() {
                return Err(format!("invalid EC point: not on curve {}", crv.name()));
            }
        }
        Material::Ed25519 { x } => {
            if x.len() != 32 {
                return Err(format!("Ed25519 key must be 32 bytes, found {}", x.len()));
            }
            if ed25519_small_order(x) {
                return Err(
                    "Ed25519 key is a small-order point: any signature would verify".into(),
                );
            }
            if sig::ParsedPublicKey::new(&sig::ED25519, x).is_err() {
                return Err("invalid Ed25519 public key".into());
            }
        }
        Material::MlDsa { level, public } => super::vet_ml_dsa(*level, public)?,
        Material::Hmac { k } => {
            DecodingKey::from_secret(k).map_err(|e| format!("HMAC secret unusable: {e}"))?;
        }
    }
    Ok(Key {
        thumbprint: thumbprint(&material),
        kid,
        alg,
        use_,
        key_ops,
        material,
        parsed: Arc::default(),
        x5c: None,
        warnings,
    })
}

/// RFC 7638 §3: SHA-256 over the required members in lexicographic order,
/// no whitespace, base64url values of the normalised key.
pub fn thumbprint(material: &Material) -> String {
    let b = |v: &[u8]| URL_SAFE_NO_PAD.encode(v);
    let canonical = match material {
        Material::Rsa { n, e } => format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, b(e), b(n)),
        Material::Ec { crv, x, y } => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            crv.name(),
            b(x),
            b(y)
        ),
        Material::Ed25519 { x } => format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#, b(x)),
        // the draft's required members for `AKP`: alg, kty, pub
        Material::MlDsa { level, public } => format!(
            r#"{{"alg":"{}","kty":"AKP","pub":"{}"}}"#,
            level.alg(),
            b(public)
        ),
        Material::Hmac { k } => format!(r#"{{"k":"{}","kty":"oct"}}"#, b(k)),
    };
    b(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes()).as_ref())
}

/// Findings about a set's usable keys as a whole: duplicate and missing kids.
pub fn set_findings(keys: &[Key]) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for k in keys {
        match &k.kid {
            Some(kid) if !seen.insert(kid.as_str()) => out.push(format!(
                "duplicate kid {}: every matching key is tried",
                sanitize::truncate(kid, 64)
            )),
            None => out.push(format!("a key has no kid ({})", k.thumbprint)),
            _ => {}
        }
    }
    out
}
