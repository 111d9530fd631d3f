//! Keys: the JWK model, vetting each key on its own, the one predicate that
//! decides whether a key fits a token's algorithm, RFC 7638 thumbprints, and
//! SPKI export. Keys come from key sets, PEM files, certificates or a secret;
//! never from the token (SECURITY.md B7).

pub mod cli_provider;
pub mod pem;
pub mod source;
pub mod x509;

use std::sync::Arc;

use aws_lc_rs::signature as sig;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

use crate::error::{Error, Kind, Result};
use crate::sanitize;

/// Most keys a set may hold; larger sets are refused (SECURITY.md B9).
pub const MAX_KEYS: usize = 100;
/// Longest `kid` kept verbatim; longer ones are refused as malformed.
pub const MAX_KID: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
}

impl Curve {
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
        }
    }
    fn len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
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
/// verification, so verifying never parses again (the former path,
/// `jsonwebtoken::crypto::verify`, boxed a verifier, re-decoded the
/// signature's base64 and re-parsed the key on every call).
#[derive(Default)]
pub struct ParsedKeys {
    slots: [std::sync::OnceLock<Option<sig::ParsedPublicKey>>; 6],
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
            Material::Hmac { .. } => "oct",
        }
    }

    /// `kid` for messages: escaped and capped.
    /// The key as jsonwebtoken takes it. Verification does not use it (see
    /// [`Key::verify_signature`]); tests cross-check the two with it.
    pub fn decoding_key(&self) -> std::result::Result<DecodingKey, String> {
        Ok(match &self.material {
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
            Material::Hmac { .. } => None,
        }
    }

    /// Verifies `signature` (raw bytes, not base64) over `msg` under `alg`
    /// with this key. The caller has checked [`fits`]; a key that cannot serve
    /// `alg` verifies nothing. Same primitives and parameters as jsonwebtoken's
    /// aws-lc-rs backend (RSA 2048-8192 bits, fixed-length ECDSA, HMAC compared
    /// in constant time).
    pub fn verify_signature(&self, alg: Algorithm, msg: &[u8], signature: &[u8]) -> bool {
        use Algorithm::*;
        let slot = |i: usize, parse: &dyn Fn() -> Option<sig::ParsedPublicKey>| {
            self.parsed.slots[i]
                .get_or_init(parse)
                .as_ref()
                .is_some_and(|p| p.verify_sig(msg, signature).is_ok())
        };
        match (&self.material, alg) {
            (Material::Rsa { n, e }, _) => {
                let (i, params): (usize, &'static sig::RsaParameters) = match alg {
                    RS256 => (0, &sig::RSA_PKCS1_2048_8192_SHA256),
                    RS384 => (1, &sig::RSA_PKCS1_2048_8192_SHA384),
                    RS512 => (2, &sig::RSA_PKCS1_2048_8192_SHA512),
                    PS256 => (3, &sig::RSA_PSS_2048_8192_SHA256),
                    PS384 => (4, &sig::RSA_PSS_2048_8192_SHA384),
                    PS512 => (5, &sig::RSA_PSS_2048_8192_SHA512),
                    _ => return false,
                };
                slot(i, &|| {
                    sig::RsaPublicKeyComponents { n, e }
                        .to_parsed_public_key(params)
                        .ok()
                })
            }
            (Material::Ec { crv, x, y }, ES256 | ES384) => {
                let params: &'static dyn sig::VerificationAlgorithm = match (crv, alg) {
                    (Curve::P256, ES256) => &sig::ECDSA_P256_SHA256_FIXED,
                    (Curve::P384, ES384) => &sig::ECDSA_P384_SHA384_FIXED,
                    _ => return false,
                };
                slot(0, &|| {
                    let mut point = Vec::with_capacity(1 + x.len() + y.len());
                    point.push(0x04);
                    point.extend_from_slice(x);
                    point.extend_from_slice(y);
                    sig::ParsedPublicKey::new(params, &point).ok()
                })
            }
            (Material::Ed25519 { x }, EdDSA) => {
                slot(0, &|| sig::ParsedPublicKey::new(&sig::ED25519, x).ok())
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

/// Where a key came from decides how strict vetting is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A key set (URL, discovery or file): symmetric keys and keys with
    /// private members are dropped (SECURITY.md B11).
    Set,
    /// A single key the user named with `--key`: private members are ignored
    /// with a warning.
    Single,
}

const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

fn member_str<'a>(
    m: &'a Map<String, Value>,
    name: &str,
) -> std::result::Result<Option<&'a str>, String> {
    match m.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!(
            "`{name}` is {}, not a string",
            crate::jwt::json_type(other)
        )),
    }
}

/// Decodes a key member. Real issuers publish standard base64 and `=` padding
/// (Battle.net, PayPal, Yahoo): accepted with a warning. Tokens stay strict.
pub(crate) fn key_b64(
    m: &Map<String, Value>,
    name: &str,
    warnings: &mut Vec<String>,
) -> std::result::Result<Vec<u8>, String> {
    let s = member_str(m, name)?.ok_or_else(|| format!("missing `{name}`"))?;
    if let Ok(v) = URL_SAFE_NO_PAD.decode(s) {
        return Ok(v);
    }
    let trimmed = s.trim_end_matches('=');
    // Any standard-alphabet or padded text decodes here once `+/` are mapped.
    const LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let converted = trimmed.replace('+', "-").replace('/', "_");
    let v = LENIENT
        .decode(&converted)
        .map_err(|e| format!("`{name}` is not base64url: {e}"))?;
    warnings.push(format!(
        "`{name}` is not canonical base64url (standard alphabet or padding); accepted"
    ));
    Ok(v)
}

pub(crate) fn strip_leading_zeros(
    name: &str,
    mut v: Vec<u8>,
    warnings: &mut Vec<String>,
) -> Vec<u8> {
    let zeros = v.iter().take_while(|&&b| b == 0).count();
    if zeros > 0 && zeros < v.len() {
        warnings.push(format!(
            "`{name}` has {zeros} leading zero octet(s); stripped"
        ));
        v.drain(..zeros);
    }
    v
}

/// The eight small-order Ed25519 points, compared on `y` with the sign bit
/// cleared so non-canonical encodings are caught too (SECURITY.md C7). Any
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

/// Parses and vets one JWK. `Err` carries the reason the key is unusable.
pub fn parse_jwk(v: &Value, origin: Origin) -> std::result::Result<Key, String> {
    let m = v.as_object().ok_or("a key must be a JSON object")?;
    let mut warnings = Vec::new();
    let kid = member_str(m, "kid")?.map(str::to_owned);
    if let Some(k) = &kid
        && k.len() > MAX_KID
    {
        return Err(format!("`kid` is {} bytes (at most {MAX_KID})", k.len()));
    }
    let alg = member_str(m, "alg")?.map(str::to_owned);
    let use_ = member_str(m, "use")?.map(str::to_owned);
    let key_ops = match m.get("key_ops") {
        None => None,
        Some(Value::Array(a)) => Some(
            a.iter()
                .map(|o| {
                    o.as_str()
                        .map(str::to_owned)
                        .ok_or("`key_ops` must hold strings")
                })
                .collect::<std::result::Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err("`key_ops` is not an array".into()),
    };
    let kty = member_str(m, "kty")?.ok_or("missing `kty`")?;
    let private: Vec<&str> = PRIVATE_MEMBERS
        .iter()
        .copied()
        .filter(|p| m.contains_key(*p))
        .collect();
    if !private.is_empty() {
        let list = private.join(", ");
        match origin {
            Origin::Set => {
                return Err(format!(
                    "holds private key members ({list}): a published key set must not, and such keys are never used"
                ));
            }
            Origin::Single => warnings.push(format!(
                "holds private key members ({list}): only the public part is used; keep this file secret"
            )),
        }
    }
    let material = match kty {
        "RSA" => {
            let n = strip_leading_zeros("n", key_b64(m, "n", &mut warnings)?, &mut warnings);
            let e = strip_leading_zeros("e", key_b64(m, "e", &mut warnings)?, &mut warnings);
            Material::Rsa { n, e }
        }
        "EC" => {
            let crv = match member_str(m, "crv")?.ok_or("missing `crv`")? {
                "P-256" => Curve::P256,
                "P-384" => Curve::P384,
                other => {
                    return Err(format!(
                        "curve {} is not supported (P-256 and P-384 are)",
                        sanitize::truncate(other, 32)
                    ));
                }
            };
            let x = key_b64(m, "x", &mut warnings)?;
            let y = key_b64(m, "y", &mut warnings)?;
            Material::Ec { crv, x, y }
        }
        "OKP" => {
            match member_str(m, "crv")?.ok_or("missing `crv`")? {
                "Ed25519" => {}
                other => {
                    return Err(format!(
                        "OKP curve {} is not supported (Ed25519 is)",
                        sanitize::truncate(other, 32)
                    ));
                }
            }
            Material::Ed25519 {
                x: key_b64(m, "x", &mut warnings)?,
            }
        }
        "oct" => {
            return Err(
                "is a symmetric (`oct`) key: HMAC secrets are never taken from a key set; use --secret-file"
                    .into(),
            );
        }
        other => {
            return Err(format!(
                "unknown key type `{}`",
                sanitize::truncate(other, 32)
            ));
        }
    };
    let mut key = from_material(material, kid, alg, use_, key_ops, warnings)?;
    // Certificate details are for people reading a key (`--key`, `jwks`);
    // verifying never uses them, so a set's keys skip the X.509 parse.
    if origin == Origin::Single {
        describe_x5c(&mut key, v);
    }
    Ok(key)
}

/// Reads a JWK's `x5c` certificate into the key: its details, and warnings
/// when it does not hold this key or has expired.
pub fn describe_x5c(key: &mut Key, jwk: &Value) {
    if let Some(x5c) = jwk.get("x5c") {
        match x509::from_x5c(x5c) {
            Ok(info) => {
                if key.spki_der().as_deref() != Some(info.spki_der.as_slice()) {
                    key.warnings
                        .push("`x5c` certificate does not hold this key".into());
                }
                if info.expired {
                    key.warnings
                        .push(format!("`x5c` certificate expired {}", info.not_after));
                }
                key.x5c = Some(info);
            }
            Err(e) => key.warnings.push(format!("`x5c` unreadable: {e}")),
        }
    }
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
            let alg: &'static dyn sig::VerificationAlgorithm = match crv {
                Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED,
                Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED,
            };
            if sig::ParsedPublicKey::new(alg, &point).is_err() {
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
        Material::Hmac { k } => format!(r#"{{"k":"{}","kty":"oct"}}"#, b(k)),
    };
    b(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes()).as_ref())
}

/// The one predicate: may `key` verify a token signed with `alg`?
/// (SECURITY.md B4, B5, B6; panva/jose `isUsableJWK`.)
pub fn fits(key: &Key, alg: Algorithm) -> std::result::Result<(), String> {
    use Algorithm::*;
    let family_ok = matches!(
        (&key.material, alg),
        (
            Material::Rsa { .. },
            RS256 | RS384 | RS512 | PS256 | PS384 | PS512
        ) | (
            Material::Ec {
                crv: Curve::P256,
                ..
            },
            ES256
        ) | (
            Material::Ec {
                crv: Curve::P384,
                ..
            },
            ES384
        ) | (Material::Ed25519 { .. }, EdDSA)
            | (Material::Hmac { .. }, HS256 | HS384 | HS512)
    );
    if !family_ok {
        return Err(format!(
            "is {} {}, which cannot verify {alg:?}",
            key.kty(),
            key.size_label()
        ));
    }
    if let Some(a) = &key.alg
        && a != alg_name(alg)
    {
        return Err(format!("is for {} only", sanitize::truncate(a, 16)));
    }
    if let Some(u) = &key.use_
        && u != "sig"
    {
        return Err(format!(
            "has use `{}`, not `sig`",
            sanitize::truncate(u, 16)
        ));
    }
    if let Some(ops) = &key.key_ops
        && !ops.iter().any(|o| o == "verify")
    {
        return Err("has key_ops without `verify`".into());
    }
    Ok(())
}

pub fn alg_name(alg: Algorithm) -> &'static str {
    use Algorithm::*;
    match alg {
        HS256 => "HS256",
        HS384 => "HS384",
        HS512 => "HS512",
        RS256 => "RS256",
        RS384 => "RS384",
        RS512 => "RS512",
        PS256 => "PS256",
        PS384 => "PS384",
        PS512 => "PS512",
        ES256 => "ES256",
        ES384 => "ES384",
        EdDSA => "EdDSA",
        // jsonwebtoken's enum is non-exhaustive; a new variant is not in our allow-list
        _ => "unsupported",
    }
}

/// Parses an algorithm name exactly as JOSE spells it (`none` never parses).
pub fn parse_alg(s: &str) -> Option<Algorithm> {
    use Algorithm::*;
    Some(match s {
        "HS256" => HS256,
        "HS384" => HS384,
        "HS512" => HS512,
        "RS256" => RS256,
        "RS384" => RS384,
        "RS512" => RS512,
        "PS256" => PS256,
        "PS384" => PS384,
        "PS512" => PS512,
        "ES256" => ES256,
        "ES384" => ES384,
        "EdDSA" => EdDSA,
        _ => return None,
    })
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

/// A vetted key set: the usable keys, and why the others were skipped.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    pub keys: Vec<Key>,
    /// One line per skipped key, and set-level findings (duplicate kid, ...).
    pub warnings: Vec<String>,
    /// Where it came from (URL or path), for messages and JSON.
    pub source: String,
    /// Unix time of the fetch (or file read).
    pub fetched_at: i64,
    /// One key the user named (`--key`, a secret): it matches any `kid`.
    pub single: bool,
    /// What a success with each key reports, built on first use.
    pub memo: crate::verify::Memo,
}

impl KeySet {
    /// A copy for another thread with nothing shared: its own parsed keys
    /// and (as every clone) its own report memo. `serve` gives each worker
    /// one, so no verification writes to memory another worker reads (the
    /// reference counts of shared keys and texts, aws-lc's lock on a shared
    /// RSA key): those cache-line hand-offs cost more per request than all
    /// of serve's own checks.
    pub fn replica(&self) -> KeySet {
        let mut set = self.clone();
        for k in &mut set.keys {
            k.parsed = Arc::new(ParsedKeys::default());
        }
        set
    }

    /// The members of `keys`, each parsed strictly on its own: a duplicate
    /// member inside one key skips that key only (SECURITY.md B12), while the
    /// document must have exactly one `keys` array.
    pub fn entries(bytes: &[u8], source: &str) -> Result<Vec<std::result::Result<Value, String>>> {
        #[derive(serde::Deserialize)]
        struct Doc<'a> {
            #[serde(borrow)]
            keys: Vec<&'a serde_json::value::RawValue>,
        }
        let doc: Doc = serde_json::from_slice(bytes).map_err(|e| {
            let text = e.to_string();
            let why = if text.contains("duplicate field") {
                "has more than one `keys` member".to_string()
            } else if e.is_data() {
                "is not a JWKS: expected an object with a `keys` array".to_string()
            } else {
                format!("is not valid JSON: {e}")
            };
            Error::new(Kind::JwksInvalid, format!("key set from {source} {why}"))
        })?;
        Ok(doc
            .keys
            .iter()
            .map(|raw| crate::json::parse_strict(raw.get().as_bytes()))
            .collect())
    }

    /// Parses a JWKS document one key at a time: one bad key never poisons the
    /// set (SECURITY.md B12).
    pub fn parse(bytes: &[u8], source: &str, fetched_at: i64) -> Result<KeySet> {
        let keys = Self::checked_entries(bytes, source)?;
        let mut set = KeySet {
            source: source.to_string(),
            fetched_at,
            ..Default::default()
        };
        for (i, k) in keys.iter().enumerate() {
            let k = match k {
                Ok(v) => v,
                Err(e) => {
                    set.warnings
                        .push(format!("key #{i} skipped: not strict JSON ({e})"));
                    continue;
                }
            };
            match parse_jwk(k, Origin::Set) {
                Ok(key) => set.keys.push(key),
                Err(reason) => {
                    let label = k
                        .get("kid")
                        .and_then(Value::as_str)
                        .map(|s| sanitize::truncate(s, 64))
                        .unwrap_or_else(|| format!("#{i}"));
                    set.warnings.push(format!("key {label} skipped: {reason}"));
                }
            }
        }
        let findings = set_findings(&set.keys);
        set.warnings.extend(findings);
        Ok(set)
    }

    /// [`KeySet::entries`] of a document that may be a key set at all: what
    /// [`KeySet::parse`] refuses outright (not one JSON object with a `keys`
    /// array, too many keys), it refuses too.
    pub fn checked_entries(
        bytes: &[u8],
        source: &str,
    ) -> Result<Vec<std::result::Result<Value, String>>> {
        let keys = Self::entries(bytes, source)?;
        if keys.len() > MAX_KEYS {
            return Err(Error::new(
                Kind::JwksInvalid,
                format!(
                    "key set from {source} holds {} keys (at most {MAX_KEYS})",
                    keys.len()
                ),
            ));
        }
        Ok(keys)
    }

    pub fn single(key: Key, source: &str) -> KeySet {
        KeySet {
            warnings: key.warnings.clone(),
            keys: vec![key],
            source: source.to_string(),
            fetched_at: crate::clock::system_now(),
            single: true,
            memo: Default::default(),
        }
    }

    /// The kids held, escaped and capped, for "key not found" messages.
    pub fn kids(&self) -> String {
        let kids: Vec<String> = self.keys.iter().map(Key::label).take(10).collect();
        let more = self.keys.len().saturating_sub(10);
        let mut s = kids.join(", ");
        if more > 0 {
            s.push_str(&format!(" and {more} more"));
        }
        if s.is_empty() {
            "no usable keys".into()
        } else {
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixture(path: &str) -> Value {
        let p = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    }

    #[test]
    fn rfc7638_example_thumbprint() {
        let key = parse_jwk(&fixture("rfc/rfc7638.jwk.json"), Origin::Single).unwrap();
        assert_eq!(
            key.thumbprint,
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn fit_predicate() {
        let rsa = parse_jwk(&fixture("keys/rsa.jwk.json"), Origin::Set).unwrap();
        assert!(fits(&rsa, Algorithm::RS256).is_ok());
        // key alg RS256 must not verify PS256 (B4)
        assert!(
            fits(&rsa, Algorithm::PS256)
                .unwrap_err()
                .contains("RS256 only")
        );
        assert!(fits(&rsa, Algorithm::ES256).is_err());
        let mut enc = fixture("keys/rsa.jwk.json");
        enc["use"] = json!("enc");
        let k = parse_jwk(&enc, Origin::Set).unwrap();
        assert!(fits(&k, Algorithm::RS256).unwrap_err().contains("use"));
        let mut ops = fixture("keys/rsa.jwk.json");
        ops["use"] = json!(null);
        ops.as_object_mut().unwrap().remove("use");
        ops["key_ops"] = json!(["encrypt"]);
        let k = parse_jwk(&ops, Origin::Set).unwrap();
        assert!(fits(&k, Algorithm::RS256).is_err());
        let p256 = parse_jwk(&fixture("keys/p256.jwk.json"), Origin::Set).unwrap();
        assert!(fits(&p256, Algorithm::ES256).is_ok());
        assert!(fits(&p256, Algorithm::ES384).is_err());
        let mut lie = fixture("keys/p256.jwk.json");
        lie["crv"] = json!("P-384");
        assert!(
            parse_jwk(&lie, Origin::Set)
                .unwrap_err()
                .contains("invalid EC point")
        );
    }

    #[test]
    fn vetting_refuses_weak_and_odd_keys() {
        let weak = parse_jwk(&fixture("keys/rsa1024.jwk.json"), Origin::Set).unwrap_err();
        assert!(weak.contains("1024 bits (minimum 2048)"), "{weak}");
        let mut e1 = fixture("keys/rsa.jwk.json");
        e1["e"] = json!("AQ");
        assert!(
            parse_jwk(&e1, Origin::Set)
                .unwrap_err()
                .contains("exponent")
        );
        let oct = json!({"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"});
        assert!(
            parse_jwk(&oct, Origin::Set)
                .unwrap_err()
                .contains("symmetric")
        );
        let mut private = fixture("keys/rsa.jwk.json");
        private["d"] = json!("AQAB");
        assert!(
            parse_jwk(&private, Origin::Set)
                .unwrap_err()
                .contains("private")
        );
        assert!(parse_jwk(&private, Origin::Single).is_ok());
        let identity = json!({"kty":"OKP","crv":"Ed25519","x": URL_SAFE_NO_PAD.encode({let mut a=[0u8;32]; a[0]=1; a})});
        assert!(
            parse_jwk(&identity, Origin::Set)
                .unwrap_err()
                .contains("small-order")
        );
        let kid5 = json!({"kty":"RSA","kid":5,"n":"AQAB","e":"AQAB"});
        assert!(parse_jwk(&kid5, Origin::Set).is_err());
    }

    #[test]
    fn leading_zero_and_padded_members_are_normalised() {
        let good = parse_jwk(&fixture("keys/rsa.jwk.json"), Origin::Set).unwrap();
        let Material::Rsa { n, .. } = &good.material else {
            panic!()
        };
        let mut padded = n.clone();
        padded.insert(0, 0);
        let mut v = fixture("keys/rsa.jwk.json");
        v["n"] = json!(base64::engine::general_purpose::STANDARD.encode(&padded));
        let k = parse_jwk(&v, Origin::Set).unwrap();
        assert_eq!(k.thumbprint, good.thumbprint);
        assert_eq!(k.warnings.len(), 2, "{:?}", k.warnings);
    }

    #[test]
    fn one_bad_key_does_not_poison_the_set() {
        let good = fixture("keys/rsa.jwk.json");
        let doc = json!({"keys": [{"kty":"RSA","kid":5}, {"kty":"RSA","key_ops":"verify"}, {"x5c":"x"}, good]});
        let set = KeySet::parse(doc.to_string().as_bytes(), "test", 0).unwrap();
        assert_eq!(set.keys.len(), 1);
        assert_eq!(set.warnings.len(), 3, "{:?}", set.warnings);
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
