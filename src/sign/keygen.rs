//! New private keys for tests (`oidcat keygen`), as JWKs with `alg`, `kid`
//! (by default the RFC 7638 thumbprint) and `use: sig`; and the public key
//! set of a private JWK.

use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature as sig;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::{Private, Signer, ec_signing, hmac_min_len, public_members};
use crate::error::{Error, Result};
use crate::keys::{self, Alg, Curve, MlDsaLevel};

/// The RFC 7638 thumbprint of a signer's public key.
fn thumbprint(key: &Private) -> String {
    keys::thumbprint(&key.public_material())
}

/// A new private key for `alg` (RSA 2048 bits for RS*/PS*; an HMAC secret as
/// long as the hash for HS*) as a private JWK.
pub fn generate(alg: Alg, kid: Option<&str>) -> Result<Value> {
    let failed = || Error::io(format!("generating a {alg} key failed"));
    use Alg::*;
    let mut seed = None;
    let key = match alg {
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => {
            Private::Rsa(sig::RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| failed())?)
        }
        ES256 | ES384 | ES512 | ES256K => {
            let crv = [Curve::P256, Curve::P384, Curve::P521, Curve::Secp256k1]
                .into_iter()
                .find(|c| c.alg() == alg)
                .ok_or_else(failed)?;
            Private::Ec(
                crv,
                sig::EcdsaKeyPair::generate(ec_signing(crv)).map_err(|_| failed())?,
            )
        }
        EdDSA => Private::Ed25519(sig::Ed25519KeyPair::generate().map_err(|_| failed())?),
        MlDsa44 | MlDsa65 | MlDsa87 => {
            let level = MlDsaLevel::from_alg(alg).ok_or_else(failed)?;
            let mut s = [0u8; 32];
            aws_lc_rs::rand::fill(&mut s).map_err(|_| failed())?;
            let kp = sig::PqdsaKeyPair::from_seed(level.signing(), &s).map_err(|_| failed())?;
            seed = Some(s);
            Private::MlDsa(level, kp)
        }
        HS256 | HS384 | HS512 => {
            let mut k = vec![0u8; hmac_min_len(alg)];
            aws_lc_rs::rand::fill(&mut k).map_err(|_| failed())?;
            Private::Hmac(k)
        }
    };
    let mut m = match (&key, seed) {
        // the draft's private member: the 32-byte seed
        (Private::MlDsa(..), Some(s)) => {
            let mut m = public_members(&key.public_material());
            m.insert("priv".into(), json!(URL_SAFE_NO_PAD.encode(s)));
            m
        }
        _ => key.private_members()?,
    };
    let kid = kid.map_or_else(|| thumbprint(&key), str::to_owned);
    finish(&mut m, alg, &kid);
    Ok(Value::Object(m))
}

/// Adds `alg`, `kid` and `use` after the key members.
fn finish(m: &mut Map<String, Value>, alg: Alg, kid: &str) {
    m.insert("alg".into(), json!(alg.name()));
    m.insert("kid".into(), json!(kid));
    m.insert("use".into(), json!("sig"));
}

/// The public key set (JWKS) of a private key: its public members, with
/// `alg`, `kid` (the private JWK's, else the thumbprint) and `use: sig`.
pub fn public_set(signer: &Signer) -> Result<Value> {
    if matches!(signer.key, Private::Hmac(_)) {
        return Err(Error::usage(
            "an `oct` key is a shared secret and has no public key set; give its secret to `verify --secret-file`",
        ));
    }
    let mut m = public_members(&signer.key.public_material());
    let alg = signer.alg.unwrap_or_else(|| signer.key.default_alg());
    let kid = signer
        .kid
        .clone()
        .unwrap_or_else(|| thumbprint(&signer.key));
    finish(&mut m, alg, &kid);
    Ok(json!({ "keys": [Value::Object(m)] }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeySet, Origin, parse_jwk};

    #[test]
    fn every_algorithm_generates_signs_and_verifies() {
        for alg in Alg::ALL {
            let private = generate(alg, None).unwrap();
            assert_eq!(private["alg"], alg.name());
            assert_eq!(private["use"], "sig");
            let signer = super::super::from_jwk(&private).unwrap();
            let sig = signer.key.sign(alg, b"payload").unwrap();
            let key = if alg.is_hmac() {
                assert!(public_set(&signer).is_err());
                keys::from_material(signer.key.public_material(), None, None, None, None, vec![])
                    .unwrap()
            } else {
                let set = public_set(&signer).unwrap();
                let text = set.to_string();
                assert!(
                    !text.contains("\"d\"") && !text.contains("\"priv\""),
                    "{alg}"
                );
                let set = KeySet::parse(text.as_bytes(), "test", 0).unwrap();
                assert_eq!(set.keys.len(), 1, "{alg}");
                let key = set.keys[0].clone();
                assert_eq!(
                    key.kid.as_deref(),
                    private["kid"].as_str(),
                    "{alg}: kid is the thumbprint"
                );
                assert_eq!(
                    Some(key.thumbprint.as_str()),
                    private["kid"].as_str(),
                    "{alg}"
                );
                // the private JWK, read as a single key, is the same key
                let single = parse_jwk(&private, Origin::Single).unwrap();
                assert_eq!(single.thumbprint, key.thumbprint);
                key
            };
            assert!(keys::fits(&key, alg).is_ok(), "{alg}");
            assert!(key.verify_signature(alg, b"payload", &sig), "{alg}");
            let mut bad = sig.clone();
            bad[0] ^= 1;
            assert!(!key.verify_signature(alg, b"payload", &bad), "{alg}");
        }
        assert_eq!(generate(Alg::ES512, Some("k1")).unwrap()["kid"], "k1");
    }
}
