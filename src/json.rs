//! Strict JSON for token headers and claims: RFC 8259 as `serde_json` reads it,
//! plus one rule `serde_json::Value` does not enforce: no duplicate member
//! names at any depth. An assertion must read the claim the issuer signed, not
//! whichever of two copies a parser happened to keep (docs/hostile-inputs.md A6, A7).
//!
//! Every JSON document from outside (tokens, key sets, discovery, token
//! responses) is read here rather than as a `serde_json::Value`: with the
//! `raw_value` feature, `Value` takes an object whose first member is named
//! `$serde_json::private::RawValue` for serde_json's internal raw-value token
//! and fails on it; here it is an ordinary member.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Value};

/// Members reserved up front for each object.
const OBJECT_CAPACITY: usize = 16;

/// Parses `bytes` as one JSON value, rejecting duplicate member names.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = StrictSeed.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(value)
}

struct StrictSeed;

impl<'de> DeserializeSeed<'de> for StrictSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(StrictSeed)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        // One hash per member: the entry both detects a duplicate and takes
        // the value (claims objects run to a few dozen members).
        let mut out = Map::with_capacity(OBJECT_CAPACITY);
        while let Some(key) = map.next_key::<String>()? {
            match out.entry(key) {
                Entry::Occupied(e) => {
                    return Err(de::Error::custom(format_args!(
                        "duplicate member name {:?}",
                        crate::sanitize::truncate(e.key(), 64)
                    )));
                }
                Entry::Vacant(e) => {
                    e.insert(map.next_value_seed(StrictSeed)?);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_jsons_raw_value_token_is_an_ordinary_member_name() {
        let doc = br#"{"$serde_json::private::RawValue":{"a":[1]},"b":2}"#;
        assert!(
            serde_json::from_slice::<Value>(doc).is_err(),
            "the quirk avoided here"
        );
        let v = parse_strict(doc).unwrap();
        assert_eq!(v["$serde_json::private::RawValue"]["a"][0], 1);
        assert_eq!(v["b"], 2);
    }

    #[test]
    fn rejects_duplicates_at_any_depth() {
        assert!(
            parse_strict(br#"{"a":1,"a":2}"#)
                .unwrap_err()
                .contains("duplicate")
        );
        assert!(parse_strict(br#"{"x":{"b":1,"b":2}}"#).is_err());
        assert!(parse_strict(br#"[{"b":1,"b":2}]"#).is_err());
        assert!(parse_strict(br#"{"a":{"b":1},"b":2}"#).is_ok());
    }

    #[test]
    fn rejects_non_json() {
        for bad in [
            &b""[..],
            b"\xef\xbb\xbf{}",
            b"{} x",
            b"NaN",
            b"/*c*/{}",
            b"{\"a\":\"\xff\"}",
            br#"{"a":"\ud800"}"#,
        ] {
            assert!(parse_strict(bad).is_err(), "{bad:?}");
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse_strict(deep.as_bytes()).is_err());
        assert!(parse_strict(b"{} \n").is_ok());
    }

    #[test]
    fn keeps_member_order_and_numbers() {
        let v = parse_strict(br#"{"z":1,"a":1.5,"m":18446744073709551615}"#).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["z", "a", "m"]);
        assert_eq!(v["m"].as_u64(), Some(u64::MAX));
    }
}
