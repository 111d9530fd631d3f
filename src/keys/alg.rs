//! Algorithms: the one list of what oidcat verifies ([`Alg`]: name,
//! index, parsing, defaults), and which key may verify which.

use super::{Curve, Key, Material, MlDsaLevel};
use crate::sanitize;

/// Declares [`Alg`] and everything derived from its names, so the list is
/// written once. Each entry: the variant, its JOSE name, and jsonwebtoken's
/// variant where jsonwebtoken has one (ES512, ES256K and ML-DSA it has not:
/// those are verified with aws-lc-rs only, like every other algorithm).
macro_rules! algs {
    ($($v:ident = $name:literal $(=> $jwt:ident)?),+ $(,)?) => {
        /// A JWS algorithm oidcat verifies (`none` is not one).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Alg {
            $($v),+
        }

        impl Alg {
            /// Every algorithm, in index order.
            pub const ALL: [Alg; [$(Alg::$v),+].len()] = [$(Alg::$v),+];

            /// The name as JOSE spells it (`RS256`, `ML-DSA-44`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Alg::$v => $name),+
                }
            }

            /// "RS256 is allowed": the `algorithm` check's detail, without
            /// formatting per token.
            pub const fn allowed_text(self) -> &'static str {
                match self {
                    $(Alg::$v => concat!($name, " is allowed")),+
                }
            }

            /// Parses a name exactly as JOSE spells it (`none` never parses).
            pub fn parse(s: &str) -> Option<Alg> {
                match s {
                    $($name => Some(Alg::$v),)+
                    _ => None,
                }
            }

            /// jsonwebtoken's name for it (signing in tests, `decoding_key`);
            /// `None` for the algorithms jsonwebtoken does not know.
            pub const fn to_jwt(self) -> Option<jsonwebtoken::Algorithm> {
                match self {
                    $(Alg::$v => algs!(@jwt $($jwt)?)),+
                }
            }

            /// Ours for jsonwebtoken's; `None` for one oidcat does not verify.
            pub fn from_jwt(a: jsonwebtoken::Algorithm) -> Option<Alg> {
                match a {
                    $($(jsonwebtoken::Algorithm::$jwt => Some(Alg::$v),)?)+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }
    };
    (@jwt $jwt:ident) => { Some(jsonwebtoken::Algorithm::$jwt) };
    (@jwt) => { None };
}

algs!(
    HS256 = "HS256" => HS256,
    HS384 = "HS384" => HS384,
    HS512 = "HS512" => HS512,
    RS256 = "RS256" => RS256,
    RS384 = "RS384" => RS384,
    RS512 = "RS512" => RS512,
    PS256 = "PS256" => PS256,
    PS384 = "PS384" => PS384,
    PS512 = "PS512" => PS512,
    ES256 = "ES256" => ES256,
    ES384 = "ES384" => ES384,
    EdDSA = "EdDSA" => EdDSA,
    ES512 = "ES512",
    ES256K = "ES256K",
    MlDsa44 = "ML-DSA-44",
    MlDsa65 = "ML-DSA-65",
    MlDsa87 = "ML-DSA-87",
);

impl Alg {
    /// How many there are: the size of per-algorithm tables.
    pub const COUNT: usize = Alg::ALL.len();

    /// The default allow-list (docs/reference.md): every public-key
    /// algorithm; HS* only with a secret.
    /// ML-DSA only when named with `--alg`: its JOSE draft may still change.
    pub const DEFAULT: [Alg; 11] = [
        Alg::RS256,
        Alg::RS384,
        Alg::RS512,
        Alg::PS256,
        Alg::PS384,
        Alg::PS512,
        Alg::ES256,
        Alg::ES384,
        Alg::ES512,
        Alg::ES256K,
        Alg::EdDSA,
    ];

    /// The position in [`Alg::ALL`], for per-algorithm tables.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// HS256, HS384 or HS512.
    pub const fn is_hmac(self) -> bool {
        matches!(self, Alg::HS256 | Alg::HS384 | Alg::HS512)
    }

    /// ML-DSA-44, ML-DSA-65 or ML-DSA-87.
    pub const fn is_ml_dsa(self) -> bool {
        matches!(self, Alg::MlDsa44 | Alg::MlDsa65 | Alg::MlDsa87)
    }

    /// The names, comma-separated, for messages.
    pub fn list(algs: &[Alg]) -> String {
        algs.iter().map(|a| a.name()).collect::<Vec<_>>().join(", ")
    }
}

impl std::fmt::Display for Alg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// An algorithm named by our type or, at the jsonwebtoken boundary, by
/// theirs (tests sign with jsonwebtoken and check with these functions).
pub trait IntoAlg: Copy {
    fn into_alg(self) -> Option<Alg>;
}

impl IntoAlg for Alg {
    fn into_alg(self) -> Option<Alg> {
        Some(self)
    }
}

impl IntoAlg for jsonwebtoken::Algorithm {
    fn into_alg(self) -> Option<Alg> {
        Alg::from_jwt(self)
    }
}

/// The JOSE name of jsonwebtoken's algorithm; "unsupported" for one oidcat
/// does not verify.
pub fn alg_name(alg: jsonwebtoken::Algorithm) -> &'static str {
    Alg::from_jwt(alg).map_or("unsupported", Alg::name)
}

/// [`Alg::parse`], as jsonwebtoken's type (`None` also for the algorithms
/// jsonwebtoken does not know).
pub fn parse_alg(s: &str) -> Option<jsonwebtoken::Algorithm> {
    Alg::parse(s).and_then(Alg::to_jwt)
}

/// The one predicate: may `key` verify a token signed with `alg`?
/// (docs/hostile-inputs.md B4, B5, B6; panva/jose `isUsableJWK`.)
pub fn fits(key: &Key, alg: impl IntoAlg) -> std::result::Result<(), String> {
    let Some(alg) = alg.into_alg() else {
        return Err("cannot verify an algorithm oidcat does not support".into());
    };
    use Alg::*;
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
        ) | (
            Material::Ec {
                crv: Curve::P521,
                ..
            },
            ES512
        ) | (
            Material::Ec {
                crv: Curve::Secp256k1,
                ..
            },
            ES256K
        ) | (
            Material::MlDsa {
                level: MlDsaLevel::L44,
                ..
            },
            MlDsa44
        ) | (
            Material::MlDsa {
                level: MlDsaLevel::L65,
                ..
            },
            MlDsa65
        ) | (
            Material::MlDsa {
                level: MlDsaLevel::L87,
                ..
            },
            MlDsa87
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
        && a != alg.name()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Origin, parse_jwk};
    use jsonwebtoken::Algorithm;
    use serde_json::{Value, json};

    fn fixture(path: &str) -> Value {
        let p = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    }

    #[test]
    fn names_parse_back_and_index_in_order() {
        for (i, a) in Alg::ALL.into_iter().enumerate() {
            assert_eq!(a.index(), i);
            assert_eq!(Alg::parse(a.name()), Some(a));
            if let Some(j) = a.to_jwt() {
                assert_eq!(Alg::from_jwt(j), Some(a));
                assert_eq!(alg_name(j), a.name());
            }
            assert_eq!(a.allowed_text(), format!("{a} is allowed"));
        }
        for bad in ["none", "rs256", "RS256 ", "", "HS1"] {
            assert_eq!(Alg::parse(bad), None, "{bad:?}");
        }
        assert!(Alg::DEFAULT.iter().all(|a| !a.is_hmac() && !a.is_ml_dsa()));
        assert_eq!(Alg::parse("ML-DSA-65"), Some(Alg::MlDsa65));
        assert_eq!(Alg::MlDsa87.allowed_text(), "ML-DSA-87 is allowed");
        assert_eq!(Alg::ALL.iter().filter(|a| a.to_jwt().is_none()).count(), 5);
        assert_eq!(Alg::ALL.iter().filter(|a| a.is_hmac()).count(), 3);
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
