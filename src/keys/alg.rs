//! Algorithms: which key may verify which algorithm.

use jsonwebtoken::Algorithm;

use super::{Curve, Key, Material};
use crate::sanitize;

/// The one predicate: may `key` verify a token signed with `alg`?
/// (docs/hostile-inputs.md B4, B5, B6; panva/jose `isUsableJWK`.)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Origin, parse_jwk};
    use serde_json::{Value, json};

    fn fixture(path: &str) -> Value {
        let p = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
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
}
