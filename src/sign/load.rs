//! Loading a private key to sign with: a private JWK, or PEM (PKCS#8,
//! PKCS#1 RSA, SEC 1 EC). Errors name the file's shape and members, never
//! a member's value.

use aws_lc_rs::rsa::{KeyPairComponents, PublicKeyComponents};
use aws_lc_rs::signature::{self as sig, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::keys::{Alg, Curve, MlDsaLevel};

use super::*;

/// The key's string member `name`, with the signing key's wording of the
/// error (`is not a string`, without the type found).
fn member<'a>(
    m: &'a Map<String, Value>,
    name: &str,
) -> std::result::Result<Option<&'a str>, String> {
    crate::keys::member_str(m, name).map_err(|_| format!("`{name}` is not a string"))
}

fn member_b64(m: &Map<String, Value>, name: &str) -> std::result::Result<Vec<u8>, String> {
    let s = member(m, name)?.ok_or_else(|| format!("missing `{name}`"))?;
    // the value is never echoed: it may be a secret
    URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| format!("`{name}` is not base64url"))
}

/// A private JWK to a signer. Errors name members, never their values.
pub fn from_jwk(v: &Value) -> std::result::Result<Signer, String> {
    let m = v.as_object().ok_or("a key must be a JSON object")?;
    if m.contains_key("keys") {
        return Err("is a key set: give one private JWK".into());
    }
    let alg = match member(m, "alg")? {
        None => None,
        Some(a) => Some(Alg::parse(a).ok_or_else(|| {
            format!(
                "`alg` {} is not an algorithm oidcat signs",
                crate::sanitize::truncate(a, 32)
            )
        })?),
    };
    let kid = member(m, "kid")?.map(str::to_owned);
    let kty = member(m, "kty")?.ok_or("missing `kty`")?;
    let rejected = |what: &str| format!("is not a valid {what} private key");
    let key = match kty {
        "RSA" => {
            if m.contains_key("oth") {
                return Err("multi-prime RSA keys (`oth`) are not supported".into());
            }
            let get = |n| member_b64(m, n);
            let c = KeyPairComponents {
                public_key: PublicKeyComponents {
                    n: strip(get("n")?),
                    e: strip(get("e")?),
                },
                d: get("d")?,
                p: get("p")?,
                q: get("q")?,
                dP: get("dp")?,
                dQ: get("dq")?,
                qInv: get("qi")?,
            };
            Private::Rsa(sig::RsaKeyPair::from_components(&c).map_err(|_| rejected("RSA"))?)
        }
        "EC" => {
            let crv = member(m, "crv")?.ok_or("missing `crv`")?;
            let crv = Curve::parse(crv).ok_or_else(|| {
                format!(
                    "curve {} is not supported (P-256, P-384, P-521 and secp256k1 are)",
                    crate::sanitize::truncate(crv, 32)
                )
            })?;
            let (d, x, y) = (
                member_b64(m, "d")?,
                member_b64(m, "x")?,
                member_b64(m, "y")?,
            );
            let point = [&[0x04][..], &x, &y].concat();
            let kp =
                sig::EcdsaKeyPair::from_private_key_and_public_key(ec_signing(crv), &d, &point)
                    .map_err(|_| rejected(crv.name()))?;
            Private::Ec(crv, kp)
        }
        "OKP" => {
            if member(m, "crv")? != Some("Ed25519") {
                return Err("only Ed25519 `OKP` keys are supported".into());
            }
            let (d, x) = (member_b64(m, "d")?, member_b64(m, "x")?);
            Private::Ed25519(
                sig::Ed25519KeyPair::from_seed_and_public_key(&d, &x)
                    .map_err(|_| rejected("Ed25519"))?,
            )
        }
        "AKP" => {
            let level = alg
                .and_then(MlDsaLevel::from_alg)
                .ok_or("an `AKP` key must name its `alg` (ML-DSA-44, ML-DSA-65 or ML-DSA-87)")?;
            let seed = member_b64(m, "priv")?;
            let kp = sig::PqdsaKeyPair::from_seed(level.signing(), &seed)
                .map_err(|_| format!("`priv` is not a 32-byte {} seed", level.alg()))?;
            if let Some(public) = member(m, "pub")?
                && URL_SAFE_NO_PAD.decode(public).ok().as_deref() != Some(kp.public_key().as_ref())
            {
                return Err("`pub` does not belong to `priv`".into());
            }
            Private::MlDsa(level, kp)
        }
        "oct" => {
            let k = member_b64(m, "k")?;
            if k.is_empty() {
                return Err("the secret `k` is empty".into());
            }
            Private::Hmac(k)
        }
        other => {
            return Err(format!(
                "unknown key type `{}`",
                crate::sanitize::truncate(other, 32)
            ));
        }
    };
    if let Some(a) = alg
        && let Some(why) = key.refuses(a)
    {
        return Err(format!("says `alg` {a}, but {why}"));
    }
    Ok(Signer { key, alg, kid })
}

fn strip(mut v: Vec<u8>) -> Vec<u8> {
    let zeros = v.iter().take_while(|&&b| b == 0).count();
    v.drain(..zeros.min(v.len().saturating_sub(1)));
    v
}

/// A PEM private key (PKCS#8 `PRIVATE KEY` of any supported type, PKCS#1
/// `RSA PRIVATE KEY`, SEC 1 `EC PRIVATE KEY`) to a signer.
pub fn from_pem(text: &[u8]) -> std::result::Result<Signer, String> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(text)
        .map_err(|_| "neither a JWK (JSON) nor a PEM file".to_string())?;
    let der = pem.contents.as_slice();
    let key = match pem.label.as_str() {
        "RSA PRIVATE KEY" => {
            Private::Rsa(sig::RsaKeyPair::from_der(der).map_err(|_| "unreadable RSA private key")?)
        }
        "EC PRIVATE KEY" => ec_from_der(der).ok_or("unreadable or unsupported EC private key")?,
        "PRIVATE KEY" => pkcs8(der).ok_or(
            "unreadable PKCS#8 private key (RSA, EC P-256/P-384/P-521/secp256k1, Ed25519 and ML-DSA are supported)",
        )?,
        "ENCRYPTED PRIVATE KEY" => {
            return Err("is an encrypted private key: decrypt it first (openssl pkey)".into());
        }
        l if l.contains("PUBLIC KEY") || l == "CERTIFICATE" => {
            return Err("holds a public key or certificate: signing needs the private key".into());
        }
        l => {
            return Err(format!(
                "PEM label {:?} is not a private key",
                crate::sanitize::truncate(l, 40)
            ));
        }
    };
    Ok(Signer {
        key,
        alg: None,
        kid: None,
    })
}

fn ec_from_der(der: &[u8]) -> Option<Private> {
    CURVES.into_iter().find_map(|crv| {
        sig::EcdsaKeyPair::from_private_key_der(ec_signing(crv), der)
            .ok()
            .map(|kp| Private::Ec(crv, kp))
    })
}

fn pkcs8(der: &[u8]) -> Option<Private> {
    if let Ok(kp) = sig::RsaKeyPair::from_pkcs8(der) {
        return Some(Private::Rsa(kp));
    }
    if let Some(k) = ec_from_der(der) {
        return Some(k);
    }
    if let Ok(kp) = sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der) {
        return Some(Private::Ed25519(kp));
    }
    MlDsaLevel::ALL.into_iter().find_map(|level| {
        sig::PqdsaKeyPair::from_pkcs8(level.signing(), der)
            .ok()
            .map(|kp| Private::MlDsa(level, kp))
    })
}

/// A private key file: JWK (JSON) or PEM.
pub fn load(bytes: &[u8]) -> std::result::Result<Signer, String> {
    let trimmed = bytes.trim_ascii_start();
    if trimmed.starts_with(b"{") {
        let v = crate::json::parse_strict(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
        return from_jwk(&v);
    }
    from_pem(trimmed)
}
