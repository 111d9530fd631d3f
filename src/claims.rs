//! The claims of a token, kept as the payload's JSON text plus an index of its
//! top-level members. Validation is as strict as [`crate::json::parse_strict`]
//! (one JSON object, no duplicate member names at any depth, RFC 8259), but
//! no owned tree is built: a verification reads a handful of claims, so each
//! is parsed on demand, and output embeds the text as it was signed. The full
//! map is built lazily for the consumers that need all of it (jq, `decode`).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Members above this count are checked for duplicates with a hash set.
const LINEAR_DUP_CHECK: usize = 32;

pub struct Claims {
    raw: Box<str>,
    /// (key, value text range); a key that needed unescaping is owned.
    members: Vec<(MemberKey, Range<usize>)>,
    map: OnceLock<Map<String, Value>>,
}

enum MemberKey {
    At(Range<usize>),
    Owned(Box<str>),
}

impl Clone for Claims {
    fn clone(&self) -> Self {
        Claims {
            raw: self.raw.clone(),
            members: self
                .members
                .iter()
                .map(|(k, v)| {
                    let k = match k {
                        MemberKey::At(r) => MemberKey::At(r.clone()),
                        MemberKey::Owned(s) => MemberKey::Owned(s.clone()),
                    };
                    (k, v.clone())
                })
                .collect(),
            map: OnceLock::new(),
        }
    }
}

impl fmt::Debug for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Cow<'de, str>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// The top-level object: member names and borrowed value texts.
struct Top;

type TopMembers<'de> = Vec<(Cow<'de, str>, &'de str)>;

impl<'de> Visitor<'de> for Top {
    type Value = TopMembers<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out: TopMembers<'de> = Vec::with_capacity(32);
        let mut seen: Option<std::collections::HashSet<Cow<'de, str>>> = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let dup = match &mut seen {
                Some(set) => !set.insert(key.clone()),
                None => out.iter().any(|(k, _)| *k == key),
            };
            if dup {
                return Err(de::Error::custom(format_args!(
                    "duplicate member name {:?}",
                    crate::sanitize::truncate(&key, 64)
                )));
            }
            let value: &'de RawValue = map.next_value()?;
            let text = value.get();
            // RawValue checks syntax only; anything beyond a plain string gets
            // the full strict parse (nested duplicates, surrogates, number range).
            let plain = text.starts_with('"') && !text.contains('\\');
            if !plain && !matches!(text, "true" | "false" | "null") {
                crate::json::parse_strict(text.as_bytes()).map_err(de::Error::custom)?;
            }
            out.push((key, text));
            if out.len() == LINEAR_DUP_CHECK && seen.is_none() {
                seen = Some(out.iter().map(|(k, _)| k.clone()).collect());
            }
        }
        Ok(out)
    }
}

fn offset(outer: &str, inner: &str) -> Range<usize> {
    let start = inner.as_ptr() as usize - outer.as_ptr() as usize;
    start..start + inner.len()
}

/// What a payload that is not a claims object is, for the error message.
#[derive(Debug)]
pub enum ParseError {
    /// Valid JSON, but not an object: its type.
    NotObject(&'static str),
    Invalid(String),
}

impl Claims {
    /// Validates `payload` as a strict JSON object and indexes its members.
    pub fn parse(payload: Vec<u8>) -> Result<Claims, ParseError> {
        let raw =
            String::from_utf8(payload).map_err(|_| ParseError::Invalid("invalid UTF-8".into()))?;
        let trimmed = raw.trim_start_matches([' ', '\t', '\n', '\r']);
        if !trimmed.starts_with('{') {
            return Err(match crate::json::parse_strict(raw.as_bytes()) {
                Ok(v) => ParseError::NotObject(crate::jwt::json_type(&v)),
                Err(e) => ParseError::Invalid(e),
            });
        }
        let members = {
            let mut de = serde_json::Deserializer::from_str(&raw);
            let top = de
                .deserialize_map(Top)
                .map_err(|e| ParseError::Invalid(e.to_string()))?;
            de.end().map_err(|e| ParseError::Invalid(e.to_string()))?;
            top.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Cow::Borrowed(s) => MemberKey::At(offset(&raw, s)),
                        Cow::Owned(s) => MemberKey::Owned(s.into_boxed_str()),
                    };
                    (key, offset(&raw, v))
                })
                .collect()
        };
        Ok(Claims {
            raw: raw.into_boxed_str(),
            members,
            map: OnceLock::new(),
        })
    }

    /// Builds claims from an object (tests, deserialisation).
    pub fn from_map(map: &Map<String, Value>) -> Claims {
        let text = serde_json::to_string(map).unwrap_or_else(|_| "{}".into());
        Claims::parse(text.into_bytes()).unwrap_or_else(|_| Claims {
            raw: "{}".into(),
            members: vec![],
            map: OnceLock::new(),
        })
    }

    fn key<'a>(&'a self, k: &'a MemberKey) -> &'a str {
        match k {
            MemberKey::At(r) => &self.raw[r.clone()],
            MemberKey::Owned(s) => s,
        }
    }

    /// The JSON text of a top-level member.
    pub fn get_text(&self, name: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|(k, _)| self.key(k) == name)
            .map(|(_, v)| &self.raw[v.clone()])
    }

    /// A top-level member, parsed.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.get_text(name)
            .and_then(|t| serde_json::from_str(t).ok())
    }

    /// A claim by name: a top-level key spelled exactly as `name` wins;
    /// otherwise a dotted path walks into nested objects.
    pub fn lookup(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.get(name) {
            return Some(v);
        }
        let mut parts = name.split('.');
        let mut cur = self.get(parts.next()?)?;
        for p in parts {
            cur = cur.as_object_mut()?.remove(p)?;
        }
        Some(cur)
    }

    /// Every claim, as a map (built once, on first use).
    pub fn map(&self) -> &Map<String, Value> {
        self.map
            .get_or_init(|| match crate::json::parse_strict(self.raw.as_bytes()) {
                Ok(Value::Object(m)) => m,
                _ => Map::new(),
            })
    }

    /// The payload text as signed.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl Serialize for Claims {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.members.len()))?;
        for (k, v) in &self.members {
            // Each value was validated at parse time; re-borrow it as raw JSON.
            let raw: &RawValue =
                serde_json::from_str(&self.raw[v.clone()]).map_err(serde::ser::Error::custom)?;
            m.serialize_entry(self.key(k), raw)?;
        }
        m.end()
    }
}

impl<'de> serde::Deserialize<'de> for Claims {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(d)?;
        Ok(Claims::from_map(&map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Claims, ParseError> {
        Claims::parse(s.as_bytes().to_vec())
    }

    #[test]
    fn as_strict_as_the_tree_parser() {
        for bad in [
            r#"{"a":1,"a":2}"#,
            r#"{"a":1,"\u0061":2}"#,
            r#"{"x":{"b":1,"b":2}}"#,
            r#"{"x":[{"b":1,"b":2}]}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":1e400}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{"a":1} x"#,
            r#"{"a":}"#,
            "",
            "null",
            "[1]",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
            assert!(
                crate::json::parse_strict(bad.as_bytes())
                    .map(|v| !v.is_object())
                    .unwrap_or(true),
                "{bad:?}"
            );
        }
        let many: Vec<String> = (0..100).map(|i| format!("\"k{i}\":{i}")).collect();
        let dup = format!("{{{},\"k7\":0}}", many.join(","));
        assert!(parse(&dup).is_err());
        assert!(parse(&format!("{{{}}}", many.join(","))).is_ok());
    }

    #[test]
    fn reads_members_on_demand() {
        let c = parse(r#"{"sub":"x","esc":"a\nb","n":5,"o":{"deep":{"x":"y"}},"a.b":"top","a":{"b":"nested"},"k\u00e9y":1}"#).unwrap();
        assert_eq!(c.get("sub").unwrap(), "x");
        assert_eq!(c.get("esc").unwrap(), "a\nb");
        assert_eq!(c.get("n").unwrap(), 5);
        assert_eq!(c.lookup("o.deep.x").unwrap(), "y");
        assert_eq!(c.lookup("a.b").unwrap(), "top");
        assert_eq!(c.get("kéy").unwrap(), 1);
        assert!(c.get("missing").is_none());
        assert_eq!(c.map().len(), 7);
        let json = serde_json::to_string(&c).unwrap();
        let back: Map<String, Value> = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, c.map());
        let order: Vec<&String> = back.keys().collect();
        assert_eq!(order[0], "sub");
    }
}
