//! Splitting and decoding a compact JWS, detecting a JWE. Parses each segment
//! exactly once, strictly: base64url without padding or stray characters
//! (RFC 7515 §2), header and claims as duplicate-free JSON objects.
//!
//! This module knows nothing of keys or policy; it never says a token is valid.

pub mod b64;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::claims::{Claims, ParseError};
use crate::error::{Error, Kind, Result};
use crate::sanitize;

/// A decoded compact JWS. `signing_input` is `header.payload` as ASCII bytes.
#[derive(Debug, Clone)]
pub struct Jws {
    /// Kept like the claims: text plus index, members parsed on demand.
    pub header: Claims,
    pub claims: Claims,
    pub signature: Vec<u8>,
    /// Set when the signature segment had non-zero unused trailing bits: the
    /// canonical re-encoding. Such a token is never accepted (docs/hostile-inputs.md A4).
    pub noncanonical_signature: Option<String>,
    /// Byte length of `header.payload` inside the token string.
    signing_input_len: usize,
    token: String,
}

impl Jws {
    /// The bytes the signature covers.
    pub fn signing_input(&self) -> &[u8] {
        &self.token.as_bytes()[..self.signing_input_len]
    }
    /// The base64url signature segment, canonically encoded.
    pub fn signature_b64(&self) -> &str {
        match &self.noncanonical_signature {
            Some(s) => s,
            None => &self.token[self.signing_input_len + 1..],
        }
    }
    pub fn alg(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.header.get_str("alg")
    }
}

/// The protected header of an encrypted token (JWE, RFC 7516). Never decrypted.
#[derive(Debug, Clone)]
pub struct Jwe {
    pub header: Map<String, Value>,
}

impl Jwe {
    /// Whether the content key is a shared secret (RFC 7518 §4.5-4.8:
    /// `dir`, AES key wrap, AES-GCM key wrap, PBES2), not a recipient's key pair.
    pub fn is_symmetric(&self) -> bool {
        let alg = self.header.get("alg").and_then(Value::as_str).unwrap_or("");
        alg == "dir" || alg.starts_with("PBES2-") || (alg.starts_with('A') && (alg.ends_with("KW")))
    }

    /// What decrypting it takes, for messages.
    pub fn key_needed(&self) -> &'static str {
        if self.is_symmetric() {
            "the shared symmetric key"
        } else {
            "the recipient's private key"
        }
    }
}

/// Returned once per parse and matched at once: boxing the larger variant
/// would cost an allocation per token for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Token {
    Jws(Jws),
    Jwe(Jwe),
}

fn b64(segment: &str, what: &str) -> Result<Vec<u8>> {
    b64::decode(segment)
        .map_err(|e| Error::malformed(format!("{what} is not valid base64url: {e}")).with_source(e))
}

/// A header segment: one strict JSON object, kept as text plus member index.
fn header_object(segment: &str, what: &str) -> Result<Claims> {
    match Claims::parse(b64(segment, what)?) {
        Ok(c) => Ok(c),
        Err(ParseError::NotObject(kind)) => Err(Error::malformed(format!(
            "{what} is JSON but not an object (found {kind})"
        ))),
        Err(ParseError::Invalid(e)) => Err(Error::malformed(json_error(segment, what, &e))),
    }
}

/// The message for a header or payload that is not strict JSON. A lone
/// surrogate escape gets the member that holds it named (serde_json only
/// gives a line and column); the segment is decoded again for that, on this
/// error path only.
fn json_error(segment: &str, what: &str, e: &str) -> String {
    if e.contains("hex escape")
        && let Ok(bytes) = b64::decode(segment)
        && let Some(lone) = crate::surrogate::find(&bytes)
    {
        return format!("{what}: {lone}");
    }
    format!("{what} is not a JSON object: {e}")
}

pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One pass over the token: how many dots it has, and whether every byte is
/// base64url or a dot. Branch-free, 32 bytes at a time, with arithmetic the
/// compiler vectorizes (the token is ~1 KiB and this runs on every request of
/// `serve`); [`charset_error`] names the first bad character only when there
/// is one. The dots decide JWE before the characters are judged.
fn scan(token: &str) -> (usize, bool) {
    #[inline(always)]
    fn allowed(b: u8) -> bool {
        (b | 0x20).wrapping_sub(b'a') < 26
            || b.wrapping_sub(b'0') < 10
            || b == b'-'
            || b == b'_'
            || b == b'.'
    }
    let bytes = token.as_bytes();
    let mut chunks = bytes.chunks_exact(32);
    let (mut bad, mut dots) = (false, 0usize);
    for chunk in chunks.by_ref() {
        let mut ok = true;
        let mut n = 0u8;
        for &b in chunk {
            ok &= allowed(b);
            n += (b == b'.') as u8;
        }
        bad |= !ok;
        dots += n as usize;
    }
    for &b in chunks.remainder() {
        bad |= !allowed(b);
        dots += (b == b'.') as usize;
    }
    (dots, !bad)
}

/// What is wrong with a token's characters, naming the first bad one, so
/// the message says the real problem (whitespace, padding, a JSON
/// serialization) rather than a base64 error (docs/hostile-inputs.md A2, A4,
/// A5). Called only when [`scan`] found one.
fn charset_error(token: &str) -> Error {
    for (i, c) in token.char_indices() {
        let what = match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' | '.' => continue,
            ' ' | '\t' | '\n' | '\r' => "whitespace inside the token",
            '=' => "base64 padding `=` (JWTs use base64url without padding)",
            '+' | '/' => "standard base64 (JWTs use base64url: `-` and `_`)",
            '{' | '"' => "JSON (only the compact serialization is accepted)",
            _ if !c.is_ascii() => "a non-ASCII character",
            _ => "a character outside base64url",
        };
        return Error::malformed(format!(
            "unexpected {:?} at byte {i}: {what}",
            sanitize::escape(&c.to_string())
        ));
    }
    Error::malformed("a character outside base64url")
}

/// Parses a compact token. A JWS must have three segments; five is a JWE.
pub fn parse(token: &str) -> Result<Token> {
    if token.is_empty() {
        return Err(Error::malformed("empty input: no token found"));
    }
    if token.len() > crate::input::MAX_INPUT {
        return Err(Error::malformed("input larger than 64 KiB"));
    }
    // Five segments is an encrypted token whatever its characters: what
    // cannot be read in it is said as such, never as a base64 error.
    let (dots, clean) = scan(token);
    if dots == 4 {
        let header_b64 = token.split('.').next().unwrap_or_default();
        return match header_object(header_b64, "JWE protected header") {
            Ok(header) => Ok(Token::Jwe(Jwe {
                header: header.map().clone(),
            })),
            Err(_) => Err(Error::new(
                Kind::EncryptedToken,
                "five dot-separated segments: an encrypted token (JWE), whose protected header cannot be read; oidcat verifies signed tokens (JWS) only",
            )),
        };
    }
    if !clean {
        return Err(charset_error(token));
    }
    if dots != 2 {
        return Err(Error::malformed(format!(
            "expected 3 dot-separated segments (header.payload.signature), found {}",
            dots + 1
        )));
    }
    let mut parts = token.splitn(3, '.');
    let (h, p, s) = match (parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s)) => (h, p, s),
        _ => return Err(Error::malformed("expected 3 dot-separated segments")),
    };
    if h.is_empty() {
        return Err(Error::malformed("the header segment is empty"));
    }
    let header = header_object(h, "header")?;
    if header.contains_key("enc") {
        return Ok(Token::Jwe(Jwe {
            header: header.map().clone(),
        }));
    }
    let payload = b64(p, "payload")?;
    let text_len = payload.len();
    // Only read on an error path; a claims object starts with `{`, so the
    // UTF-8 check is skipped for it.
    let is_text = !payload.starts_with(b"{") && std::str::from_utf8(&payload).is_ok();
    let claims = match Claims::parse(payload) {
        Ok(c) => c,
        Err(ParseError::NotObject(kind)) => {
            return Err(Error::malformed(format!(
                "payload is JSON {kind}, not a claims object: this is a JWS but not a JWT"
            )));
        }
        Err(ParseError::Invalid(e)) if p.is_empty() => {
            return Err(Error::malformed(format!(
                "the payload segment is empty ({e})"
            )));
        }
        Err(ParseError::Invalid(_)) if is_text => {
            return Err(Error::malformed(format!(
                "payload is not a JSON claims object (it is {text_len} bytes of text): this is a JWS over arbitrary content, not a JWT"
            )));
        }
        Err(ParseError::Invalid(e)) => {
            return Err(Error::malformed(json_error(p, "payload", &e)));
        }
    };
    // The signature alone is decoded even with non-zero unused trailing bits,
    // so the verifier can tell a tampered signature (bad_signature) from a
    // re-encoded valid one (malformed); neither is ever accepted.
    let (signature, noncanonical_signature) = match b64::decode(s) {
        Ok(sig) => (sig, None),
        Err(base64::DecodeError::InvalidLastSymbol { .. }) => {
            let lenient = base64::engine::GeneralPurpose::new(
                &base64::alphabet::URL_SAFE,
                base64::engine::general_purpose::NO_PAD.with_decode_allow_trailing_bits(true),
            );
            let sig = lenient.decode(s).map_err(|e| {
                Error::malformed(format!("signature is not valid base64url: {e}")).with_source(e)
            })?;
            let canonical = URL_SAFE_NO_PAD.encode(&sig);
            (sig, Some(canonical))
        }
        Err(e) => {
            return Err(Error::malformed(format!(
                "signature is not valid base64url: {e}"
            )));
        }
    };
    Ok(Token::Jws(Jws {
        header,
        claims,
        signature,
        noncanonical_signature,
        signing_input_len: h.len() + 1 + p.len(),
        token: token.to_string(),
    }))
}

/// Parses and insists on a JWS (for `verify`): a JWE is `encrypted_token`.
pub fn parse_jws(token: &str) -> Result<Jws> {
    match parse(token)? {
        Token::Jws(j) => Ok(j),
        Token::Jwe(jwe) => Err(Error::new(
            Kind::EncryptedToken,
            format!(
                "this is an encrypted token (JWE, alg {}, enc {}): {}; oidcat verifies signed tokens only",
                header_str(&jwe.header, "alg"),
                header_str(&jwe.header, "enc"),
                if jwe.is_symmetric() {
                    "it is encrypted under a shared symmetric key and must be decrypted before it can be checked"
                } else {
                    "it cannot be verified without the recipient's private key"
                }
            ),
        )),
    }
}

pub fn header_str(h: &Map<String, Value>, name: &str) -> String {
    match h.get(name) {
        Some(Value::String(s)) => sanitize::truncate(s, 64),
        Some(v) => sanitize::truncate(&v.to_string(), 64),
        None => "(none)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    fn tok(h: &str, p: &str) -> String {
        format!("{}.{}.c2ln", enc(h), enc(p))
    }

    #[test]
    fn parses_a_jws_once() {
        let t = tok(r#"{"alg":"RS256","kid":"k"}"#, r#"{"sub":"x","exp":1}"#);
        let Token::Jws(j) = parse(&t).unwrap() else {
            panic!()
        };
        assert_eq!(j.alg().as_deref(), Some("RS256"));
        assert_eq!(j.claims.get("sub").unwrap(), "x");
        assert_eq!(j.signature, b"sig");
        assert_eq!(j.signature_b64(), "c2ln");
        assert_eq!(j.signing_input(), t.rsplit_once('.').unwrap().0.as_bytes());
    }

    #[test]
    fn names_the_segment_count() {
        for (t, n) in [("a.b", 2), ("a.b.c.d", 4), ("abc", 1), ("a.b.c.d.e.f", 6)] {
            let e = parse(t).unwrap_err();
            assert_eq!(e.kind, Kind::Malformed);
            assert!(e.message.contains(&format!("found {n}")), "{}", e.message);
        }
    }

    #[test]
    fn five_segments_are_encrypted_whatever_their_characters() {
        for t in [
            "not+base64.AAAA.AAAA.AAAA.AAAA",
            "eyJhbGciOiJSU0EtT0FFUCJ9=.A.B.C.D",
            "....",
            "e30.a b.c.d.e",
        ] {
            let e = parse_jws(t).unwrap_err();
            assert_eq!(e.kind, Kind::EncryptedToken, "{t}: {}", e.message);
            assert!(!e.message.contains("base64"), "{}", e.message);
        }
    }

    #[test]
    fn jwe_under_a_shared_key_is_not_said_to_need_a_private_key() {
        for (alg, shared) in [
            ("dir", true),
            ("A128KW", true),
            ("A256GCMKW", true),
            ("PBES2-HS256+A128KW", true),
            ("RSA-OAEP", false),
            ("ECDH-ES+A128KW", false),
        ] {
            let h = enc(&format!(r#"{{"alg":"{alg}","enc":"A256GCM"}}"#));
            let e = parse_jws(&format!("{h}.AAAA.AAAA.AAAA.AAAA")).unwrap_err();
            assert_eq!(e.kind, Kind::EncryptedToken);
            assert_eq!(
                e.message.contains("recipient's private key"),
                !shared,
                "{alg}: {}",
                e.message
            );
        }
    }

    #[test]
    fn detects_jwe() {
        let t = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.AAAA.AAAA.AAAA.AAAA";
        assert!(matches!(parse(t).unwrap(), Token::Jwe(_)));
        assert_eq!(parse_jws(t).unwrap_err().kind, Kind::EncryptedToken);
    }

    #[test]
    fn rejects_bad_charset_and_padding() {
        let t = tok(r#"{"alg":"RS256"}"#, r#"{"a":1}"#);
        assert!(
            parse(&format!("{t}="))
                .unwrap_err()
                .message
                .contains("padding")
        );
        let spaced = t.replacen('.', ". ", 1);
        assert!(parse(&spaced).unwrap_err().message.contains("whitespace"));
        assert!(
            parse(&format!("{t}é"))
                .unwrap_err()
                .message
                .contains("non-ASCII")
        );
    }

    #[test]
    fn payload_must_be_claims() {
        for p in ["null", "1", "[1]", "\"x\""] {
            let e = parse(&tok(r#"{"alg":"RS256"}"#, p)).unwrap_err();
            assert!(e.message.contains("not a claims object"), "{}", e.message);
        }
        let e = parse(&tok(r#"{"alg":"EdDSA"}"#, "Example of Ed25519 signing")).unwrap_err();
        assert!(e.message.contains("not a JWT"), "{}", e.message);
        let e = parse(&tok(r#"{"alg":"RS256","alg":"none"}"#, "{}")).unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
    }
}
