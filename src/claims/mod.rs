//! The claims of a token, kept as the payload's JSON text plus an index of its
//! top-level members. Validation is as strict as [`crate::json::parse_strict`]
//! (one JSON object, no duplicate member names at any depth, RFC 8259), but
//! no owned tree is built: a verification reads a handful of claims, so each
//! is parsed on demand, and output embeds the text as it was signed. The full
//! map is built lazily for the consumers that need all of it (jq, `decode`).
//!
//! The member index comes from [`index`]: the fast [`scan`] when it answers,
//! else the [`reference`] (serde).

pub mod reference;
pub mod scan;

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use serde::de::Deserializer;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Members above this count are checked for duplicates with a hash set.
const LINEAR_DUP_CHECK: usize = 32;

#[derive(Clone)]
pub struct Claims {
    /// The payload text (a `String`, not shrunk to a `Box<str>`: that was a
    /// reallocation per segment per token).
    raw: String,
    /// (key, value text range); a key that needed unescaping is owned.
    members: Vec<(MemberKey, Range<usize>)>,
    map: OnceLock<Map<String, Value>>,
}

/// A member name: a range of the payload text, or owned when it needed
/// unescaping.
#[derive(Debug, Clone, PartialEq)]
pub enum MemberKey {
    At(Range<usize>),
    Owned(Box<str>),
}

/// The members of an object: (name, value text range), in order.
pub type Members = Vec<(MemberKey, Range<usize>)>;

/// The seam: the members of `raw` (a payload starting with `{`) by the fast
/// scanner when it answers, else by the reference, which also words errors.
pub fn index(raw: &str) -> Result<Members, ParseError> {
    match scan::members(raw) {
        Some(m) => Ok(m),
        None => reference::members(raw),
    }
}

fn offset(outer: &str, inner: &str) -> Range<usize> {
    let start = inner.as_ptr() as usize - outer.as_ptr() as usize;
    start..start + inner.len()
}

impl fmt::Debug for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
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
        let members = index(&raw)?;
        Ok(Claims {
            raw,
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

    /// The JSON text of a top-level member. Names are compared as bytes,
    /// length first: verification and `serve` look up a dozen names per
    /// token, most of them in the tail of the payload or absent.
    pub fn get_text(&self, name: &str) -> Option<&str> {
        let (raw, name) = (self.raw.as_bytes(), name.as_bytes());
        self.members
            .iter()
            .find(|(k, _)| match k {
                MemberKey::At(r) => r.len() == name.len() && raw.get(r.clone()) == Some(name),
                MemberKey::Owned(s) => s.as_bytes() == name,
            })
            .and_then(|(_, v)| self.raw.get(v.clone()))
    }

    /// A top-level member that is a string, borrowed when it needs no
    /// unescaping; `None` when absent or not a string.
    pub fn get_str(&self, name: &str) -> Option<Cow<'_, str>> {
        let text = self.get_text(name)?;
        let inner = text.strip_prefix('"')?.strip_suffix('"')?;
        if !inner.contains('\\') {
            return Some(Cow::Borrowed(inner));
        }
        match serde_json::from_str(text).ok()? {
            Value::String(s) => Some(Cow::Owned(s)),
            _ => None,
        }
    }

    /// Whether a top-level member is present.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get_text(name).is_some()
    }

    /// A top-level member, parsed.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.get_text(name).and_then(parse_value)
    }

    /// A claim by name: a top-level key spelled exactly as `name` wins;
    /// otherwise a dotted path walks into nested objects. The one lookup of
    /// `--claim`, `--github-output` and `--forward-claim`.
    ///
    /// ```
    /// let c = oidcat::claims::Claims::parse(
    ///     br#"{"a.b": "top", "a": {"b": "nested"}, "o": {"x": 1}}"#.to_vec(),
    /// )
    /// .unwrap();
    /// assert_eq!(c.lookup("a.b").unwrap(), "top");
    /// assert_eq!(c.lookup("o.x").unwrap(), 1);
    /// assert!(c.lookup("o.y").is_none());
    /// ```
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

/// A member's JSON text (validated at parse time) as a value. The values
/// tokens carry most (NumericDates, plain strings) are built directly; the
/// rest, and anything unusual, goes through the strict parser. Not through
/// serde_json's own `Value`: with its `raw_value` feature it reads an object
/// whose first member is named `$serde_json::private::RawValue` as its
/// internal raw-value token and fails, which would make such a claim absent.
fn parse_value(text: &str) -> Option<Value> {
    let b = text.as_bytes();
    let integer = !b.is_empty() && b.len() <= 19 && b.iter().all(u8::is_ascii_digit);
    if integer
        && (b[0] != b'0' || b.len() == 1)
        && let Ok(n) = text.parse::<u64>()
    {
        return Some(Value::from(n));
    }
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"'))
        && !inner.bytes().any(|c| c == b'\\' || c == b'"' || c < 0x20)
    {
        return Some(Value::String(inner.to_owned()));
    }
    crate::json::parse_strict(text.as_bytes()).ok()
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

    /// The direct reading of a member's value agrees with serde's.
    #[test]
    fn member_values_agree_with_serde() {
        for text in [
            "0",
            "7",
            "1795993314",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "-1",
            "-0",
            "1.5",
            "1e3",
            "\"\"",
            "\"plain\"",
            "\"a\\nb\"",
            "\"\\u00e9\"",
            "\"\u{e9}\"",
            "\"q\\\"\"",
            "true",
            "null",
            "[1]",
            "{\"a\":1}",
        ] {
            assert_eq!(
                parse_value(text),
                serde_json::from_str::<Value>(text).ok(),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn member_values_agree_on_generated(n in proptest::prelude::any::<u64>(), i in proptest::prelude::any::<i64>(), s in "\\PC{0,12}") {
            for v in [Value::from(n), Value::from(i), Value::from(s)] {
                let text = v.to_string();
                proptest::prop_assert_eq!(parse_value(&text), Some(v), "{}", text);
            }
        }
    }

    #[test]
    fn a_member_named_like_serde_jsons_raw_value_token_is_an_ordinary_member() {
        // serde_json's Value (raw_value feature) fails on an object whose
        // first member has this name; the claims must not lose it.
        let c = parse(r#"{"o":{"$serde_json::private::RawValue":{"a":1},"x":"y"},"$serde_json::private::RawValue":2}"#)
            .unwrap();
        let o = c.get("o").expect("the object claim is present");
        assert_eq!(o["x"], "y");
        assert_eq!(o["$serde_json::private::RawValue"]["a"], 1);
        assert_eq!(c.lookup("o.x").unwrap(), "y");
        assert_eq!(c.get("$serde_json::private::RawValue").unwrap(), 2);
        assert_eq!(c.map().len(), 2);
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
