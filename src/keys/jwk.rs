//! JWK parsing: one JSON object to a vetted [`Key`], strictly, with the
//! leniencies real issuers need (standard base64, padding, leading zeros)
//! accepted with a warning.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::{Alg, Curve, Key, MAX_KID, Material, MlDsaLevel, from_material, x509};
use crate::sanitize;

/// Where a key came from decides how strict vetting is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A key set (URL, discovery or file): symmetric keys and keys with
    /// private members are dropped (docs/hostile-inputs.md B11).
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

/// An EC coordinate one octet off the curve's size is read as the same
/// number, with a warning: one octet short is a leading zero a generator
/// dropped (about one key in 256 from tools that convert big integers), one
/// octet long with a leading zero is what glewlwyd publishes. Anything else
/// is left for the point check to refuse.
pub(crate) fn ec_coordinate(
    name: &str,
    mut v: Vec<u8>,
    crv: Curve,
    warnings: &mut Vec<String>,
) -> Vec<u8> {
    let size = crv.len();
    if v.len() + 1 == size {
        warnings.push(format!(
            "`{name}` is {} octets where {} takes {size} (a dropped leading zero); padded",
            v.len(),
            crv.name()
        ));
        v.insert(0, 0);
    } else if v.len() == size + 1 && v[0] == 0 {
        warnings.push(format!(
            "`{name}` is {} octets with a leading zero where {} takes {size}; stripped",
            v.len(),
            crv.name()
        ));
        v.remove(0);
    }
    v
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
    // RFC 7517 §4.3: key_ops MUST NOT contain duplicates; such a key is
    // refused, not guessed at.
    if let Some(ops) = &key_ops
        && let Some(dup) = ops
            .iter()
            .enumerate()
            .find_map(|(i, o)| ops[..i].contains(o).then_some(o))
    {
        return Err(format!(
            "`key_ops` lists {:?} twice (RFC 7517 §4.3: no duplicate values)",
            sanitize::truncate(dup, 32)
        ));
    }
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
            let crv = member_str(m, "crv")?.ok_or("missing `crv`")?;
            let crv = Curve::parse(crv).ok_or_else(|| {
                format!(
                    "curve {} is not supported (P-256, P-384, P-521 and secp256k1 are)",
                    sanitize::truncate(crv, 32)
                )
            })?;
            let x = ec_coordinate("x", key_b64(m, "x", &mut warnings)?, crv, &mut warnings);
            let y = ec_coordinate("y", key_b64(m, "y", &mut warnings)?, crv, &mut warnings);
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
        "AKP" => {
            // The draft requires `alg`: it names the parameter set.
            let level = alg
                .as_deref()
                .and_then(Alg::parse)
                .and_then(MlDsaLevel::from_alg)
                .ok_or_else(|| match &alg {
                    None => "an `AKP` key must name its `alg` (ML-DSA-44, ML-DSA-65 or ML-DSA-87)"
                        .to_owned(),
                    Some(a) => format!(
                        "`AKP` key algorithm {} is not supported (ML-DSA-44, ML-DSA-65 and ML-DSA-87 are)",
                        sanitize::truncate(a, 32)
                    ),
                })?;
            if m.contains_key("priv") {
                let note = "holds the private member `priv`";
                match origin {
                    Origin::Set => {
                        return Err(format!(
                            "{note}: a published key set must not, and such keys are never used"
                        ));
                    }
                    Origin::Single => warnings.push(format!(
                        "{note}: only the public part is used; keep this file secret"
                    )),
                }
            }
            Material::MlDsa {
                level,
                public: key_b64(m, "pub", &mut warnings)?,
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
}
