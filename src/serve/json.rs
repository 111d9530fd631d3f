//! The verdict as `serve` sends it: [`Verdict::to_json_compact`] writes the
//! same JSON value as serde (the reference, `serde_json::to_vec`), embedding
//! the header and claims as the text that was signed instead of re-reading
//! them member by member. `serve` writes one per request. The tests below
//! compare both.

use crate::claims::Claims;
use crate::verify::Verdict;

/// Appends `s` as a JSON string, as serde_json writes it: text with nothing
/// JSON must escape (almost every check detail, kid and URL) is copied as
/// is; the rest goes through serde_json.
pub fn push_json_str(out: &mut Vec<u8>, s: &str) {
    // No early exit: the whole-string fold vectorises.
    let escape = s
        .bytes()
        .fold(false, |e, b| e | (b < 0x20) | (b == b'"') | (b == b'\\'));
    if escape {
        let _ = serde_json::to_writer(&mut *out, s);
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
    use super::push_json_str;

    fn agrees(s: &str) {
        let mut out = b"x".to_vec();
        push_json_str(&mut out, s);
        let mut want = b"x".to_vec();
        want.extend(serde_json::to_vec(s).unwrap());
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
}
