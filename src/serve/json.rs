//! The verdict as `serve` sends it: [`Verdict::to_json_compact`] (the
//! seam `serve` calls) writes the same JSON value as serde ([`reference`]),
//! embedding the header and claims as the text that was signed instead of
//! re-reading them member by member, and copying strings that need no
//! escaping ([`push_json_str`], reference [`push_json_str_reference`]).
//! `serve` writes one per request. The tests below compare both.

use crate::claims::Claims;
use crate::verify::Verdict;

/// The reference: the verdict as serde writes it.
pub fn reference(v: &Verdict) -> Vec<u8> {
    // Serialising these plain types to a Vec cannot fail.
    serde_json::to_vec(v).unwrap_or_default()
}

/// The reference for [`push_json_str`]: serde_json's string writer.
pub fn push_json_str_reference(out: &mut Vec<u8>, s: &str) {
    let _ = serde_json::to_writer(&mut *out, s);
}

/// Appends `s` as a JSON string, as serde_json writes it: text with nothing
/// JSON must escape (almost every check detail, kid and URL) is copied as
/// is; the rest goes through serde_json.
pub fn push_json_str(out: &mut Vec<u8>, s: &str) {
    // No early exit: the whole-string fold vectorises.
    let escape = s
        .bytes()
        .fold(false, |e, b| e | (b < 0x20) | (b == b'"') | (b == b'\\'));
    if escape {
        push_json_str_reference(out, s);
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

impl Verdict {
    /// The verdict as compact JSON: the same value as serialising it with
    /// serde, with the header and claims embedded as the text that was
    /// signed (it was validated as one strict JSON object when parsed) instead of being
    /// re-read member by member: `serve` writes one per request.
    pub fn to_json_compact(&self) -> Vec<u8> {
        fn object(out: &mut Vec<u8>, c: &Option<Claims>) {
            match c {
                Some(c) => out.extend_from_slice(c.raw().trim().as_bytes()),
                None => out.extend_from_slice(b"null"),
            }
        }
        let raw = |c: &Option<Claims>| c.as_ref().map_or(0, |c| c.raw().len());
        let mut out = Vec::with_capacity(1024 + raw(&self.header) + raw(&self.claims));
        out.extend_from_slice(if self.valid {
            b"{\"valid\":true,\"header\":"
        } else {
            b"{\"valid\":false,\"header\":"
        });
        object(&mut out, &self.header);
        out.extend_from_slice(b",\"claims\":");
        object(&mut out, &self.claims);
        out.extend_from_slice(b",\"key\":");
        match &self.key {
            Some(k) => {
                out.extend_from_slice(b"{\"kid\":");
                match &k.kid {
                    Some(kid) => push_json_str(&mut out, kid),
                    None => out.extend_from_slice(b"null"),
                }
                out.extend_from_slice(b",\"alg\":");
                push_json_str(&mut out, &k.alg);
                out.extend_from_slice(b",\"thumbprint\":");
                push_json_str(&mut out, &k.thumbprint);
                out.extend_from_slice(b",\"source\":");
                push_json_str(&mut out, &k.source);
                out.push(b'}');
            }
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"checks\":[");
        for (i, c) in self.checks.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"check\":");
            push_json_str(&mut out, c.check.as_str());
            out.extend_from_slice(if c.ok {
                b",\"ok\":true,\"detail\":"
            } else {
                b",\"ok\":false,\"detail\":"
            });
            push_json_str(&mut out, &c.detail);
            out.push(b'}');
        }
        out.push(b']');
        out.extend_from_slice(b",\"error\":");
        // Writing to a Vec fails only on a serialisation error these plain
        // types cannot have; the document would then still be the start of it.
        let _ = serde_json::to_writer(&mut out, &self.error);
        out.push(b'}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agrees(s: &str) {
        let mut out = b"x".to_vec();
        push_json_str(&mut out, s);
        let mut want = b"x".to_vec();
        push_json_str_reference(&mut want, s);
        assert_eq!(want[1..], serde_json::to_vec(s).unwrap());
        assert_eq!(out, want, "{s:?}");
    }

    /// Byte for byte what serde_json writes, escapes or not.
    #[test]
    fn json_strings_as_serde_writes_them() {
        for s in [
            "",
            "plain",
            "RS256 signature verified with key rsa-1 (6v0mHSLvGXkRo4ZkypiSZog2QJxFBHO-vrBv3G4mhVA)",
            "https://token.actions.githubusercontent.com/.well-known/jwks",
            "q\"uote",
            "back\\slash",
            "new\nline",
            "\u{0}\u{1f}\u{7f}",
            "\u{e9}t\u{e9} \u{2028} \u{1f600}",
            "</script>",
        ] {
            agrees(s);
        }
    }

    proptest::proptest! {
        #[test]
        fn json_strings_agree_on_generated(s in "\\PC{0,40}|[\\x00-\\x7f]{0,40}") {
            agrees(&s);
        }
    }

    /// Verdicts of every shape: valid, rejected with a key, refused before
    /// the key, unparsable, no token; texts that need escaping.
    fn verdicts() -> Vec<Verdict> {
        use std::sync::Arc;

        use jsonwebtoken::{EncodingKey, Header};
        use serde_json::json;

        use crate::keys::{KeySet, StaticKeys, secret_key};
        use crate::policy::Policy;
        use crate::verify::verify;

        let secret = vec![7u8; 64];
        let (key, algs) = secret_key(secret.clone(), &[]).unwrap();
        let provider = StaticKeys(Arc::new(KeySet::single(key, "secret \"file\"\n")));
        let policy = Policy {
            issuer: Some("https://idp.test".into()),
            audiences: Some(vec!["api".into()]),
            max_age: Some(3600),
            claims: vec!["sub=a\"b".parse().unwrap()],
            require: vec!["email".into()],
            ..Policy::new(algs)
        };
        let now = 1_700_000_000;
        let enc = EncodingKey::from_secret(&secret).unwrap();
        let mut out = vec![Verdict::missing_token("no \"token\"\n")];
        for (kid, claims) in [
            (
                None,
                json!({"iss": "https://idp.test", "aud": "api", "sub": "a\"b", "email": "x",
                       "exp": now + 60, "iat": now}),
            ),
            (
                Some("k\"1\u{2028}".to_string()),
                json!({"iss": "https://idp.test/", "aud": ["web", "API"], "sub": "\u{e9}\n",
                       "exp": now - 600, "nbf": now + 600, "iat": now - 7200, "n": [1, {"a": null}]}),
            ),
            (None, json!({"iss": 5, "aud": {"x": 1}})),
            // serde_json's raw-value token as a member name, first in its object
            (
                None,
                json!({"$serde_json::private::RawValue": {"a": 1}, "iss": "https://idp.test",
                       "aud": "api", "sub": "a\"b", "email": "x", "exp": now + 60, "iat": now}),
            ),
        ] {
            let mut h = Header::new(jsonwebtoken::Algorithm::HS256);
            h.kid = kid;
            let t = jsonwebtoken::encode(&h, &claims, &enc).unwrap();
            out.push(verify(&t, &provider, &policy, now));
            let (input, _) = t.rsplit_once('.').unwrap();
            out.push(verify(&format!("{input}.AAAA"), &provider, &policy, now));
        }
        for bad in ["not a token", "e30.e30.", "eyJhbGciOiJub25lIn0.e30."] {
            out.push(verify(bad, &provider, &policy, now));
        }
        out
    }

    /// The compact writer and serde write the same JSON value.
    #[test]
    fn verdicts_as_serde_writes_them() {
        let all = verdicts();
        assert!(all.iter().any(|v| v.valid), "one valid verdict");
        assert!(all.iter().any(|v| !v.valid && v.key.is_some()));
        for v in all {
            // read back strictly: serde_json's Value fails on the raw-value token
            let fast = crate::json::parse_strict(&v.to_json_compact()).unwrap();
            let slow = crate::json::parse_strict(&reference(&v)).unwrap();
            assert_eq!(fast, slow);
        }
    }
}
