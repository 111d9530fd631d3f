//! Getting the token: argument, `-`, implicit stdin, `@PATH`; unwrapping what
//! people paste around a JWT (whitespace, `Bearer `, a whole `Authorization:`
//! line, GitHub's `{"value": ...}` body, an OAuth token response); the 64 KiB cap.
//!
//! Only what surrounds the token is stripped: whitespace *inside* it stays and
//! makes the token malformed later (docs/hostile-inputs.md A5).

use std::io::{IsTerminal, Read};

use crate::error::{Error, Kind, Result};

/// Inputs larger than this are refused before any decoding (docs/hostile-inputs.md A1).
pub const MAX_INPUT: usize = 64 * 1024;

/// Reads the raw token text from the argument, a file or standard input.
pub fn read_source(arg: Option<&str>) -> Result<String> {
    match arg {
        Some("-") => read_stdin(),
        Some(path) if path.starts_with('@') => read_file(&path[1..]),
        Some(text) => {
            if text.len() > MAX_INPUT {
                return Err(too_large());
            }
            // Tokens never contain `/`; a path given without `@` gets a hint.
            if text.contains('/') && std::path::Path::new(text).is_file() {
                return Err(Error::usage(format!(
                    "{text:?} is a file: pass it as @{text} (a bare argument is the token itself)"
                )));
            }
            Ok(text.to_string())
        }
        None => {
            if std::io::stdin().is_terminal() {
                Err(Error::usage(
                    "no token given: pass it as an argument, `-` or `@FILE`, or pipe it on standard input",
                ))
            } else {
                read_stdin()
            }
        }
    }
}

/// The UTF-8 byte-order mark. One at the very start of a file oidcat reads
/// (token, key, key set, discovery document, policy) is ignored: editors on
/// Windows write one, and RFC 8259 §8.1 lets a parser ignore it. Never
/// stripped from a secret (its bytes are the key) nor inside a token.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// `bytes` without one leading [`BOM`].
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// [`read_bounded`] for a text document (key, key set, discovery document,
/// policy): one leading [`BOM`] is dropped.
pub fn read_document(path: &std::path::Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    Ok(read_bounded(path, limit)?.map(|mut buf| {
        if buf.starts_with(BOM) {
            buf.drain(..BOM.len());
        }
        buf
    }))
}

/// Reads at most `limit` bytes of a file; `Ok(None)` when it holds more.
/// Reads through the open file rather than trusting its size, so a FIFO or a
/// device (`/dev/zero`) is bounded too: every file input goes through here.
pub fn read_bounded(path: &std::path::Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut buf)?;
    Ok((buf.len() as u64 <= limit).then_some(buf))
}

fn too_large() -> Error {
    Error::malformed(format!(
        "input larger than 64 KiB ({MAX_INPUT} bytes): not a token this tool will read"
    ))
}

fn read_limited(reader: impl Read, what: &str) -> Result<String> {
    let mut buf = Vec::with_capacity(4096);
    reader
        .take(MAX_INPUT as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::caused_by(Kind::Io, format!("reading {what}: {e}"), e))?;
    if buf.len() > MAX_INPUT {
        return Err(too_large());
    }
    if buf.starts_with(BOM) {
        buf.drain(..BOM.len());
    }
    String::from_utf8(buf).map_err(|_| Error::malformed(format!("{what} is not UTF-8 text")))
}

fn read_stdin() -> Result<String> {
    read_limited(std::io::stdin().lock(), "standard input")
}

fn read_file(path: &str) -> Result<String> {
    if path.is_empty() {
        return Err(Error::usage(
            "`@` must be followed by a file path, e.g. @token.jwt",
        ));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Error::caused_by(Kind::Io, format!("reading {path}: {e}"), e))?;
    read_limited(file, path)
}

/// Strips what may surround a JWT and returns the bare compact token.
///
/// Accepted wrappers: whitespace, `Bearer ` (any case), `Authorization: Bearer ...`
/// (header name any case), a JSON object with `value` (GitHub's token endpoint),
/// `id_token` or `access_token` (an OAuth token response).
pub fn unwrap_token(raw: &str) -> Result<String> {
    if raw.len() > MAX_INPUT {
        return Err(too_large());
    }
    let mut text = raw.trim();
    if text.starts_with('{') {
        return from_json_body(text);
    }
    if let Some(rest) = strip_prefix_ci(text, "authorization:") {
        text = rest.trim_start();
    }
    if let Some(rest) = strip_prefix_ci(text, "bearer") {
        // `Bearer` must be followed by whitespace to be a prefix, not a token start.
        if rest.is_empty() || rest.starts_with([' ', '\t']) {
            text = rest.trim_start();
        }
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::malformed("empty input: no token found"));
    }
    Ok(text.to_string())
}

fn from_json_body(text: &str) -> Result<String> {
    let value = crate::json::parse_strict(text.as_bytes()).map_err(|e| {
        Error::malformed(format!(
            "input looks like JSON but does not parse ({e}); expected a JWT or a token response"
        ))
    })?;
    for member in ["value", "id_token", "access_token"] {
        if let Some(v) = value.get(member) {
            return match v.as_str() {
                Some(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
                _ => Err(Error::malformed(format!(
                    "JSON input has `{member}` but it is not a non-empty string"
                ))),
            };
        }
    }
    let has = |m: &str| value.get(m).is_some();
    if has("ciphertext") && (has("protected") || has("iv") || has("recipients")) {
        return Err(Error::new(
            crate::error::Kind::EncryptedToken,
            "this is an encrypted token in the JWE JSON serialization (RFC 7516 §7.2): oidcat verifies signed tokens only",
        ));
    }
    if has("payload") && (has("signatures") || has("signature") || has("protected")) {
        return Err(Error::malformed(
            "this is a JWS in the JSON serialization (RFC 7515 §7.2): only the compact serialization (header.payload.signature) is accepted",
        ));
    }
    Err(Error::malformed(
        "JSON input holds no token: expected a `value`, `id_token` or `access_token` member",
    ))
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Reads and unwraps in one step.
pub fn read_token(arg: Option<&str>) -> Result<String> {
    unwrap_token(&read_source(arg)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

    #[test]
    fn strips_surrounding_forms() {
        for input in [
            T.to_string(),
            format!("  {T}\n"),
            format!("Bearer {T}"),
            format!("bEaReR   {T}\r\n"),
            format!("Authorization: Bearer {T}"),
            format!("authorization:bearer {T}"),
            format!("{{\"value\": \"{T}\", \"count\": 1}}"),
            format!("{{\"access_token\": \"x.y.z\", \"id_token\": \"{T}\"}}"),
            format!("{{\"access_token\": \"{T}\", \"token_type\": \"Bearer\"}}"),
        ] {
            assert_eq!(unwrap_token(&input).unwrap(), T, "input {input:?}");
        }
    }

    #[test]
    fn one_leading_byte_order_mark_is_dropped_from_documents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.json");
        std::fs::write(&path, b"\xef\xbb\xbf{}").unwrap();
        assert_eq!(read_document(&path, 10).unwrap().unwrap(), b"{}");
        assert_eq!(read_bounded(&path, 10).unwrap().unwrap(), b"\xef\xbb\xbf{}");
        std::fs::write(&path, b"\xef\xbb\xbf\xef\xbb\xbf{}").unwrap();
        assert_eq!(
            read_document(&path, 10).unwrap().unwrap(),
            b"\xef\xbb\xbf{}"
        );
        // the limit counts the file as it is
        std::fs::write(&path, b"\xef\xbb\xbf{}").unwrap();
        assert_eq!(read_document(&path, 4).unwrap(), None);
        assert_eq!(strip_bom(b"\xef\xbb\xbfx"), b"x");
        assert_eq!(strip_bom(b"x"), b"x");
        let file = std::fs::File::open(&path).unwrap();
        assert_eq!(read_limited(file, "doc").unwrap(), "{}");
    }

    #[test]
    fn keeps_inner_whitespace_for_the_parser_to_reject() {
        let inner = "eyJh bGci.eyJz.c2ln";
        assert_eq!(unwrap_token(inner).unwrap(), inner);
    }

    #[test]
    fn a_token_starting_with_bearer_letters_is_not_stripped() {
        assert_eq!(unwrap_token("Bearerx.y.z").unwrap(), "Bearerx.y.z");
    }

    #[test]
    fn refuses_empty_oversized_and_tokenless_json() {
        assert!(unwrap_token("  \n").is_err());
        assert!(unwrap_token("Bearer ").is_err());
        let big = "a".repeat(MAX_INPUT + 1);
        let err = unwrap_token(&big).unwrap_err();
        assert!(err.message.contains("64 KiB"));
        assert!(unwrap_token("{\"foo\": 1}").is_err());
        assert!(unwrap_token("{\"value\": 5}").is_err());
        assert!(unwrap_token("{not json").is_err());
    }

    #[test]
    fn json_serializations_are_named() {
        let general = r#"{"payload":"e30","signatures":[{"protected":"e30","signature":"AA"}]}"#;
        let flat = r#"{"payload":"e30","protected":"e30","signature":"AA"}"#;
        for doc in [general, flat] {
            let e = unwrap_token(doc).unwrap_err();
            assert!(e.message.contains("JSON serialization"), "{}", e.message);
            assert!(!e.message.contains("`value`"), "{}", e.message);
        }
        let jwe = r#"{"protected":"e30","iv":"AA","ciphertext":"AA","tag":"AA"}"#;
        let e = unwrap_token(jwe).unwrap_err();
        assert_eq!(e.kind, crate::error::Kind::EncryptedToken);
    }
}
