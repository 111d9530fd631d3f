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

#[derive(Clone)]
pub struct Claims {
    /// The payload text (a `String`, not shrunk to a `Box<str>`: that was a
    /// reallocation per segment per token).
    raw: String,
    /// (key, value text range); a key that needed unescaping is owned.
    members: Vec<(MemberKey, Range<usize>)>,
    map: OnceLock<Map<String, Value>>,
}

#[derive(Debug, Clone, PartialEq)]
enum MemberKey {
    At(Range<usize>),
    Owned(Box<str>),
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

/// The reference path: serde, a `RawValue` per member, strict values.
fn members_serde(raw: &str) -> Result<Vec<(MemberKey, Range<usize>)>, ParseError> {
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
        if let Some(members) = scan::members(&raw) {
            return Ok(Claims {
                raw,
                members,
                map: OnceLock::new(),
            });
        }
        let members = members_serde(&raw)?;
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
/// rest, and anything unusual, goes through serde, which agrees on these.
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
    serde_json::from_str(text).ok()
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

/// The fast path of [`Claims::parse`] for the payloads tokens carry: one
/// object whose member names need no unescaping, fewer than [`scan::MAX`]
/// members. It only ever answers "these members" or "ask serde": any doubt
/// (an escaped name, a duplicate, a syntax error, something unusual) returns
/// `None` and the serde path, the reference for what is accepted and for the
/// error message, runs instead. Values that are not plain strings or small
/// integers get the same full strict parse as on the serde path.
///
/// Why: serde with a `RawValue` per member was the largest cost in a
/// verification after the signature itself (a third of the overhead around
/// RS256). A test compares both paths on generated and mutated payloads.
mod scan {
    use super::MemberKey;
    use std::ops::Range;

    /// More members than this go to the serde path (its duplicate check hashes).
    pub const MAX: usize = 64;

    type Members = Vec<(MemberKey, Range<usize>)>;

    fn ws(b: &[u8], mut i: usize) -> usize {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        i
    }

    /// From just after an opening quote: the index of the closing quote and
    /// whether the string holds a backslash. `None` on a raw control
    /// character or a missing end. Eight bytes at a time; a word with any
    /// candidate byte is re-read byte by byte, so the answer is exact.
    fn string(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        let mut escaped = false;
        loop {
            while let Some(chunk) = b.get(i..i + 8) {
                let mut word = [0u8; 8];
                word.copy_from_slice(chunk);
                let w = u64::from_le_bytes(word);
                let hit = zero_byte(w ^ (ONES * b'"' as u64))
                    | zero_byte(w ^ (ONES * b'\\' as u64))
                    | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
                if hit != 0 {
                    break;
                }
                i += 8;
            }
            // Byte by byte up to the next quote, backslash or control byte.
            loop {
                match *b.get(i)? {
                    b'"' => return Some((i, escaped)),
                    b'\\' => {
                        escaped = true;
                        // The escaped byte cannot end the string; the strict
                        // parse of the whole value checks the escape itself.
                        i += 2;
                        break;
                    }
                    0..=0x1f => return None,
                    _ => i += 1,
                }
            }
        }
    }

    /// `-?(0|[1-9][0-9]{0,17})`: an integer serde takes as is.
    fn plain_integer(t: &[u8]) -> bool {
        let digits = t.strip_prefix(b"-").unwrap_or(t);
        match digits {
            [b'0'] => true,
            [b'1'..=b'9', rest @ ..] => rest.len() <= 17 && rest.iter().all(u8::is_ascii_digit),
            _ => false,
        }
    }

    /// The end of a nested object or array starting at `i`, strings skipped.
    fn nested(b: &[u8], mut i: usize) -> Option<usize> {
        let mut depth = 0usize;
        loop {
            match *b.get(i)? {
                // Deeper than serde's own limit counts from here: let it decide.
                b'{' | b'[' if depth == 100 => return None,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                b'"' => i = string(b, i + 1)?.0,
                _ => {}
            }
            i += 1;
        }
    }

    /// Length and eight bytes from each end (every byte of a shorter name):
    /// distinct for almost every pair of claim names, in a few instructions,
    /// with no allocation; equal fingerprints are compared byte for byte.
    fn fingerprint(key: &[u8]) -> u64 {
        let len = (key.len() as u64).rotate_left(58);
        match (key.first_chunk::<8>(), key.last_chunk::<8>()) {
            (Some(head), Some(tail)) => {
                u64::from_le_bytes(*head) ^ u64::from_le_bytes(*tail).rotate_left(29) ^ len
            }
            _ => key.iter().fold(len, |h, &c| h << 8 | c as u64),
        }
    }

    pub fn members(raw: &str) -> Option<Members> {
        let b = raw.as_bytes();
        let mut i = ws(b, 0);
        if b.get(i) != Some(&b'{') {
            return None;
        }
        i = ws(b, i + 1);
        let mut out: Members = Vec::with_capacity((b.len() / 24).clamp(4, MAX));
        let mut prints = [0u64; MAX];
        // A one-word Bloom filter over the fingerprints: most names skip the scan.
        let mut seen = 0u64;
        if b.get(i) == Some(&b'}') {
            i += 1;
        } else {
            loop {
                if b.get(i) != Some(&b'"') || out.len() == MAX {
                    return None;
                }
                let (end, escaped) = string(b, i + 1)?;
                if escaped {
                    return None;
                }
                let key = i + 1..end;
                let print = fingerprint(&b[key.clone()]);
                let bit = 1u64 << (print % 64);
                if seen & bit != 0 {
                    for (j, p) in prints[..out.len()].iter().enumerate() {
                        if *p == print
                            && let (MemberKey::At(k), _) = &out[j]
                            && b[k.clone()] == b[key.clone()]
                        {
                            return None;
                        }
                    }
                }
                i = ws(b, end + 1);
                if b.get(i) != Some(&b':') {
                    return None;
                }
                i = ws(b, i + 1);
                let start = i;
                match *b.get(i)? {
                    b'"' => {
                        let (end, escaped) = string(b, i + 1)?;
                        i = end + 1;
                        if escaped {
                            crate::json::parse_strict(&b[start..i]).ok()?;
                        }
                    }
                    b'-' | b'0'..=b'9' => {
                        while i < b.len()
                            && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                        {
                            i += 1;
                        }
                        if !plain_integer(&b[start..i]) {
                            crate::json::parse_strict(&b[start..i]).ok()?;
                        }
                    }
                    b'{' | b'[' => {
                        i = nested(b, i)?;
                        crate::json::parse_strict(&b[start..i]).ok()?;
                    }
                    _ => {
                        let lit = [&b"true"[..], b"false", b"null"]
                            .into_iter()
                            .find(|l| b[i..].starts_with(l))?;
                        i += lit.len();
                    }
                }
                prints[out.len()] = print;
                out.push((MemberKey::At(key), start..i));
                seen |= bit;
                i = ws(b, i);
                match b.get(i) {
                    Some(b',') => i = ws(b, i + 1),
                    Some(b'}') => {
                        i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        (ws(b, i) == b.len()).then_some(out)
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

    /// The fast scanner never accepts what serde refuses, and finds the same
    /// members when it answers; it does answer for token-shaped payloads.
    fn agrees(text: &str) -> bool {
        let Some(fast) = scan::members(text) else {
            return false;
        };
        match members_serde(text) {
            Ok(slow) => assert_eq!(fast, slow, "{text:?}"),
            Err(e) => panic!("fast path accepted what serde refuses ({e:?}): {text:?}"),
        }
        true
    }

    #[test]
    fn fast_scanner_answers_for_tokens() {
        let github = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/github/expired.jwt"
        ))
        .unwrap();
        let payload = github.trim().split('.').nth(1).unwrap();
        use base64::Engine;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap();
        assert!(agrees(std::str::from_utf8(&payload).unwrap()));
        for ok in [
            "{}",
            " { } ",
            r#"{"a":1,"b":-0,"c":"x","d":true,"e":false,"f":null}"#,
            r#"{"a": 1.5e3 , "b" :"q\"uote\\","c":[1,{"d":"]}"}],"e":{"f":{}}}"#,
            "{\"a\":\"\u{e9}t\u{e9}\"}",
        ] {
            assert!(agrees(ok), "{ok}");
        }
        for doubt in [
            r#"{"a":1,"a":2}"#,
            r#"{"\u0061":1}"#,
            r#"{"a":01}"#,
            r#"{"a":1e400}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":{"b":1,"b":2}}"#,
            r#"{"a":1,}"#,
            r#"{"a":1} x"#,
            r#"{"a":tru}"#,
            r#"{"a":truex}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{"a":"unterminated}"#,
            r#"{"a":[1,2}"#,
        ] {
            assert!(!agrees(doubt), "{doubt}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, .. Default::default() })]
        /// Mutations of a valid payload: any byte replaced, removed or inserted.
        #[test]
        fn fast_scanner_agrees_with_serde(
            at in 0usize..200,
            op in 0u8..3,
            byte in proptest::sample::select(b"{}[]\":,\\ \t-+.0123456789eEtrufalsn\x01\x7f".to_vec()),
        ) {
            let base = r#"{"sub":"repo:a/b","aud":["x","y"],"n":12,"f":-1.5e2,"o":{"k":[true,null]},"e":"a\nb","t":false}"#;
            let mut b = base.as_bytes().to_vec();
            let at = at % (b.len() + 1);
            match op {
                0 if at < b.len() => b[at] = byte,
                1 if at < b.len() => { b.remove(at); }
                _ => b.insert(at, byte),
            }
            if let Ok(text) = std::str::from_utf8(&b) {
                agrees(text);
            }
        }

        /// Arbitrary JSON objects, serialised compactly and pretty.
        #[test]
        fn fast_scanner_agrees_on_generated_objects(
            entries in proptest::collection::vec(("[a-z_.]{0,6}", proptest::prelude::any::<i64>(), "\\PC{0,8}"), 0..12),
        ) {
            let mut m = Map::new();
            for (i, (k, n, s)) in entries.into_iter().enumerate() {
                let v = match i % 3 { 0 => Value::from(n), 1 => Value::from(s), _ => serde_json::json!([n, {"s": s}]) };
                m.insert(k, v);
            }
            for text in [serde_json::to_string(&m).unwrap(), serde_json::to_string_pretty(&m).unwrap()] {
                proptest::prop_assert!(agrees(&text), "{}", text);
            }
        }
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
