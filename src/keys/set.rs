//! Key sets: a JWKS document parsed one key at a time, so one bad key
//! never poisons the set.

use std::sync::Arc;

use serde_json::Value;

use super::{Key, MAX_KEYS, Origin, ParsedKeys, memo, parse_jwk, set_findings};
use crate::error::{Error, Kind, Result};
use crate::sanitize;

/// A vetted key set: the usable keys, and why the others were skipped.
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    pub keys: Vec<Key>,
    /// One line per skipped key, and set-level findings (duplicate kid, ...).
    pub warnings: Vec<String>,
    /// Where it came from (URL or path), for messages and JSON.
    pub source: String,
    /// Unix time of the fetch (or file read).
    pub fetched_at: i64,
    /// One key the user named (`--key`, a secret): it matches any `kid`.
    pub single: bool,
    /// Keys refused while the set was read, by `kid`, with the reason: a
    /// token naming one is told why it cannot be used.
    pub refused: Vec<(String, String)>,
    /// Read from a local file (no fetch age to report).
    pub local: bool,
    /// What a success with each key reports, built on first use.
    pub memo: memo::Memo,
}

impl KeySet {
    /// A copy for another thread with nothing shared: its own parsed keys
    /// and (as every clone) its own report memo. `serve` gives each worker
    /// one, so no verification writes to memory another worker reads (the
    /// reference counts of shared keys and texts, aws-lc's lock on a shared
    /// RSA key): those cache-line hand-offs cost more per request than all
    /// of serve's own checks.
    pub fn replica(&self) -> KeySet {
        let mut set = self.clone();
        for k in &mut set.keys {
            k.parsed = Arc::new(ParsedKeys::default());
        }
        set
    }

    /// The members of `keys`, each parsed strictly on its own: a duplicate
    /// member inside one key skips that key only (docs/hostile-inputs.md B12), while the
    /// document must have exactly one `keys` array.
    pub fn entries(bytes: &[u8], source: &str) -> Result<Vec<std::result::Result<Value, String>>> {
        #[derive(serde::Deserialize)]
        struct Doc<'a> {
            #[serde(borrow)]
            keys: Vec<&'a serde_json::value::RawValue>,
        }
        let doc: Doc = serde_json::from_slice(bytes).map_err(|e| {
            let text = e.to_string();
            let why = if text.contains("duplicate field") {
                "has more than one `keys` member".to_string()
            } else if e.is_data() {
                "is not a JWKS: expected an object with a `keys` array".to_string()
            } else {
                format!("is not valid JSON: {e}")
            };
            // A local file holding a PEM key or one JWK: the flag meant,
            // instead of a JSON parser's complaint.
            if let Some(h) = crate::mistakes::key_set_file_hint(bytes)
                && !source.starts_with("http")
            {
                return Error::new(
                    Kind::JwksInvalid,
                    format!("key set file {source}: {h} {source}"),
                );
            }
            Error::new(Kind::JwksInvalid, format!("key set from {source} {why}"))
        })?;
        Ok(doc
            .keys
            .iter()
            .map(|raw| crate::json::parse_strict(raw.get().as_bytes()))
            .collect())
    }

    /// Parses a JWKS document one key at a time: one bad key never poisons the
    /// set (docs/hostile-inputs.md B12).
    pub fn parse(bytes: &[u8], source: &str, fetched_at: i64) -> Result<KeySet> {
        let keys = Self::checked_entries(bytes, source)?;
        let mut set = KeySet {
            source: source.to_string(),
            fetched_at,
            ..Default::default()
        };
        for (i, k) in keys.iter().enumerate() {
            let k = match k {
                Ok(v) => v,
                Err(e) => {
                    set.warnings
                        .push(format!("key #{i} skipped: not strict JSON ({e})"));
                    continue;
                }
            };
            match parse_jwk(k, Origin::Set) {
                Ok(key) => set.keys.push(key),
                Err(reason) => {
                    let kid = k.get("kid").and_then(Value::as_str);
                    let label = kid
                        .map(|s| sanitize::truncate(s, 64))
                        .unwrap_or_else(|| format!("#{i}"));
                    set.warnings.push(format!("key {label} skipped: {reason}"));
                    if let Some(kid) = kid.filter(|k| k.len() <= super::MAX_KID) {
                        set.refused.push((kid.to_string(), reason));
                    }
                }
            }
        }
        let findings = set_findings(&set.keys);
        set.warnings.extend(findings);
        Ok(set)
    }

    /// [`KeySet::entries`] of a document that may be a key set at all: what
    /// [`KeySet::parse`] refuses outright (not one JSON object with a `keys`
    /// array, too many keys), it refuses too.
    pub fn checked_entries(
        bytes: &[u8],
        source: &str,
    ) -> Result<Vec<std::result::Result<Value, String>>> {
        let keys = Self::entries(bytes, source)?;
        if keys.len() > MAX_KEYS {
            return Err(Error::new(
                Kind::JwksInvalid,
                format!(
                    "key set from {source} holds {} keys (at most {MAX_KEYS})",
                    keys.len()
                ),
            ));
        }
        Ok(keys)
    }

    pub fn single(key: Key, source: &str) -> KeySet {
        KeySet {
            warnings: key.warnings.clone(),
            keys: vec![key],
            source: source.to_string(),
            fetched_at: crate::clock::system_now(),
            single: true,
            refused: vec![],
            local: true,
            memo: Default::default(),
        }
    }

    /// Why the key with `kid` was refused when the set was read, if it was.
    pub fn refused_reason(&self, kid: &str) -> Option<&str> {
        self.refused
            .iter()
            .find(|(k, _)| k == kid)
            .map(|(_, why)| why.as_str())
    }

    /// The kids held, escaped and capped, for "key not found" messages.
    pub fn kids(&self) -> String {
        let kids: Vec<String> = self.keys.iter().map(Key::label).take(10).collect();
        let more = self.keys.len().saturating_sub(10);
        let mut s = kids.join(", ");
        if more > 0 {
            s.push_str(&format!(" and {more} more"));
        }
        if s.is_empty() {
            "no usable keys".into()
        } else {
            s
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
    fn one_bad_key_does_not_poison_the_set() {
        let good = fixture("keys/rsa.jwk.json");
        let doc = json!({"keys": [{"kty":"RSA","kid":5}, {"kty":"RSA","key_ops":"verify"}, {"x5c":"x"}, good]});
        let set = KeySet::parse(doc.to_string().as_bytes(), "test", 0).unwrap();
        assert_eq!(set.keys.len(), 1);
        assert_eq!(set.warnings.len(), 3, "{:?}", set.warnings);
    }
}
