//! The reference reading of a claims object: serde, a `RawValue` per
//! member, the full strict parse of every value that is not a plain
//! string or literal. Whatever it accepts is what [`super::Claims::parse`]
//! accepts; its error is the message users see. `scan` is the fast path.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{LINEAR_DUP_CHECK, MemberKey, Members, ParseError, offset};

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

/// The members of `raw`, or why it is not a strict JSON object.
pub fn members(raw: &str) -> Result<Members, ParseError> {
    let mut de = serde_json::Deserializer::from_str(raw);
    let top = de
        .deserialize_map(Top)
        .map_err(|e| ParseError::Invalid(e.to_string()))?;
    de.end().map_err(|e| ParseError::Invalid(e.to_string()))?;
    Ok(top
        .into_iter()
        .map(|(k, v)| {
            let key = match k {
                Cow::Borrowed(s) => MemberKey::At(offset(raw, s)),
                Cow::Owned(s) => MemberKey::Owned(s.into_boxed_str()),
            };
            (key, offset(raw, v))
        })
        .collect())
}
