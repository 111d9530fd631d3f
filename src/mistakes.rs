//! The mistakes a newcomer makes in the first minute, each answered with the
//! fix (docs/reference.md, "verify"): a token where a file or URL belongs
//! (refused without ever printing it: stderr is a CI log), an issuer given as
//! its discovery or key set URL, a PEM given as a key set, an assertion
//! written `NAME==VALUE`, with spaces, or with a glob after `=`.

use std::path::Path;

use crate::cli::{Cli, Command};
use crate::error::{Error, Kind, Result};

/// Whether `s` looks like a compact JWT (or a JWE): what a path or URL never
/// is. A JWT's header is base64url of `{"`, so it starts with `eyJ`.
pub fn looks_like_token(s: &str) -> bool {
    let s = s.trim();
    let s = s
        .strip_prefix("Bearer ")
        .or_else(|| s.strip_prefix("bearer "))
        .unwrap_or(s);
    let dots = s.bytes().filter(|&b| b == b'.').count();
    let b64url = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    (s.starts_with("eyJ") && dots >= 1) || (b64url && (dots == 2 || dots == 4) && s.len() >= 40)
}

/// The error for a token given where `what` belongs. The value is never
/// part of it.
pub fn token_not_file(what: &str) -> Error {
    Error::usage(format!(
        "{what}: this looks like a token, not a file (the value is not repeated here); pass the token as verify's TOKEN argument, `-` for standard input, or @FILE for a file holding it"
    ))
}

fn path_ok(what: &str, p: &Path) -> Result<()> {
    match p.to_str() {
        Some(s) if looks_like_token(s) => Err(token_not_file(what)),
        _ => Ok(()),
    }
}

fn text_ok(what: &str, s: &str) -> Result<()> {
    if looks_like_token(s) {
        return Err(Error::usage(format!(
            "{what}: this looks like a token, not a URL or file (the value is not repeated here)"
        )));
    }
    Ok(())
}

/// Every option of the command line that names a file, a directory, a URL
/// or an issuer, checked before anything is read: a token pasted into one of
/// them is refused without being printed.
pub fn check_arguments(cli: &Cli) -> Result<()> {
    for p in &cli.global.ca_file {
        path_ok("--ca-file", p)?;
    }
    if let Some(p) = &cli.global.cache_dir {
        path_ok("--cache-dir", p)?;
    }
    let token_arg = |t: &Option<String>| -> Result<()> {
        if let Some(rest) = t.as_deref().and_then(|t| t.strip_prefix('@'))
            && looks_like_token(rest)
        {
            return Err(Error::usage(
                "TOKEN: `@` takes a file path, but what follows looks like a token, not a file (the value is not repeated here); pass the token itself, without `@`",
            ));
        }
        Ok(())
    };
    let keys = |k: &crate::cli::KeySourceArgs| -> Result<()> {
        if let Some(i) = &k.issuer {
            text_ok("--issuer", i)?;
        }
        if let Some(u) = &k.jwks_uri {
            text_ok("--jwks-uri", u)?;
        }
        for (what, p) in [
            ("--jwks-file", &k.jwks_file),
            ("--key", &k.key),
            ("--secret-file", &k.secret_file),
        ] {
            if let Some(p) = p {
                path_ok(what, p)?;
            }
        }
        Ok(())
    };
    match &cli.command {
        Command::Verify(a) => {
            token_arg(&a.token)?;
            keys(&a.keys)?;
        }
        Command::Decode(a) => token_arg(&a.token)?,
        Command::Serve(a) => keys(&a.keys)?,
        Command::Jwks(a) => {
            if let Some(t) = &a.issuer {
                text_ok("jwks ISSUER|URL|PATH", t)?;
            }
            if let Some(u) = &a.jwks_uri {
                text_ok("--jwks-uri", u)?;
            }
            if let Some(p) = &a.jwks_file {
                path_ok("--jwks-file", p)?;
            }
        }
        Command::Discover(a) => {
            if let Some(i) = &a.issuer {
                text_ok("discover ISSUER", i)?;
            }
            if let Some(i) = &a.expected_issuer {
                text_ok("--issuer", i)?;
            }
            if let Some(p) = &a.file {
                path_ok("--file", p)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The suffix of a discovery document's URL.
const WELL_KNOWN: &str = "/.well-known/openid-configuration";

/// `--issuer` given the discovery document's own URL: the issuer meant.
pub fn issuer_is_discovery_url(flag: &str, issuer: &str) -> Result<()> {
    let trimmed = issuer.trim_end_matches('/');
    if let Some(base) = trimmed.strip_suffix(WELL_KNOWN) {
        return Err(Error::usage(format!(
            "{flag} {issuer} is a discovery document's URL; give the issuer itself: {flag} {base} (oidcat adds {WELL_KNOWN})"
        )));
    }
    Ok(())
}

/// Whether a URL's last path segment names a key set (`jwks`, `certs`,
/// `keys`, with or without `.json`).
pub fn looks_like_jwks_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let last = last.strip_suffix(".json").unwrap_or(&last);
    matches!(last, "jwks" | "certs" | "keys") || last.ends_with("jwks") || last.ends_with("-keys")
}

/// A discovery that failed for an issuer the user named: when the issuer is
/// really a key set URL (by its name, or because it serves a key set), the
/// error says which option was meant. `serves_key_set` fetches the issuer URL
/// itself; it is only called when the name does not already tell.
pub fn explain_discovery_failure(
    issuer: &str,
    err: Error,
    serves_key_set: impl FnOnce() -> bool,
) -> Error {
    if !matches!(
        err.kind,
        Kind::FetchFailed | Kind::DiscoveryInvalid | Kind::IssuerMismatch
    ) {
        return err;
    }
    // Only a server that answered (an HTTP status, a document that is not
    // discovery) is asked again: a host that cannot be reached is not.
    let answered = err.kind != Kind::FetchFailed || err.message.contains(": HTTP ");
    if looks_like_jwks_url(issuer) || (answered && serves_key_set()) {
        return Error::new(
            err.kind,
            format!(
                "{issuer} looks like a key set (JWKS) URL, not an issuer: give it as --jwks-uri {issuer} (with --issuer ISSUER to pin `iss`), or `oidcat jwks {issuer}`; discovery failed: {}",
                err.message
            ),
        );
    }
    err
}

/// Whether a document is a key set: an object with a `keys` array.
pub fn is_key_set(bytes: &[u8]) -> bool {
    crate::json::parse_strict(bytes)
        .ok()
        .is_some_and(|v| v.get("keys").is_some_and(serde_json::Value::is_array))
}

/// What a key-set file holds when it is not a key set: the flag meant.
pub fn key_set_file_hint(bytes: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("-----BEGIN") {
        return Some("it holds a PEM key or certificate, not a key set (JWKS): use --key");
    }
    if text.starts_with('{')
        && let Ok(v) = crate::json::parse_strict(bytes)
        && v.get("kty").is_some()
        && v.get("keys").is_none()
    {
        return Some("it holds one JWK, not a key set (JWKS): use --key");
    }
    None
}

/// The form a `--claim` assertion probably meant, when it is written in a way
/// that rarely means what it says: `NAME==VALUE`, spaces around the
/// operator, or glob characters after `=`.
pub fn claim_hint(raw: &str) -> Option<String> {
    let (i, op) = ["!~", "!=", "~", "="]
        .iter()
        .filter_map(|op| raw.find(op).map(|i| (i, *op)))
        .min_by_key(|(i, op)| (*i, std::cmp::Reverse(op.len())))?;
    let name = &raw[..i];
    let value = &raw[i + op.len()..];
    if let Some(v) = value.strip_prefix('=')
        && (op == "=" || op == "!=")
    {
        return Some(format!(
            "`{op}=` is not an operator: did you mean --claim '{name}{op}{v}'?"
        ));
    }
    if name.ends_with(char::is_whitespace) || value.starts_with(char::is_whitespace) {
        return Some(format!(
            "the assertion has spaces around `{op}`, which become part of the name and value: did you mean --claim '{}{op}{}'?",
            name.trim(),
            value.trim()
        ));
    }
    if (op == "=" || op == "!=") && value.contains(['*', '?']) {
        let glob = if op == "=" { "~" } else { "!~" };
        return Some(format!(
            "`{op}` compares exactly, so `*` and `?` are literal here: for a glob, write --claim '{name}{glob}{value}'"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_told_from_paths() {
        for t in [
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.",
            "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
        ] {
            assert!(looks_like_token(t), "{t}");
        }
        for p in [
            "keys.json",
            "tests/fixtures/keys/jwks.json",
            "/tmp/a.b.c",
            "https://idp.example/jwks",
            "github",
            "token.jwt",
        ] {
            assert!(!looks_like_token(p), "{p}");
        }
    }

    #[test]
    fn key_set_urls_by_name() {
        for u in [
            "https://idp.example/jwks",
            "https://idp.example/.well-known/jwks.json",
            "https://www.googleapis.com/oauth2/v3/certs",
            "https://idp.example/protocol/openid-connect/certs",
            "https://idp.example/oauth/keys",
            "https://idp.example/discovery/v2.0/keys/",
        ] {
            assert!(looks_like_jwks_url(u), "{u}");
        }
        for u in ["https://idp.example", "https://kc.example/realms/keystone"] {
            assert!(!looks_like_jwks_url(u), "{u}");
        }
        assert!(
            issuer_is_discovery_url(
                "--issuer",
                "https://a.example/.well-known/openid-configuration"
            )
            .unwrap_err()
            .message
            .contains("--issuer https://a.example ")
        );
        assert!(issuer_is_discovery_url("--issuer", "https://a.example").is_ok());
    }

    #[test]
    fn an_unreachable_issuer_is_not_fetched_again() {
        let down = Error::new(Kind::FetchFailed, "fetching https://a/x: connection failed");
        let e = explain_discovery_failure("https://a/x", down, || panic!("fetched again"));
        assert!(!e.message.contains("--jwks-uri"));
        let missing = Error::new(
            Kind::FetchFailed,
            "https://a/x/.well-known/openid-configuration: HTTP 404",
        );
        let e = explain_discovery_failure("https://a/x", missing, || true);
        assert!(
            e.message.contains("--jwks-uri https://a/x "),
            "{}",
            e.message
        );
        let usage = Error::usage("bad");
        assert_eq!(
            explain_discovery_failure("https://a/jwks", usage, || true).message,
            "bad"
        );
    }

    #[test]
    fn claim_forms_probably_meant() {
        assert!(
            claim_hint("repository==x")
                .unwrap()
                .contains("'repository=x'")
        );
        assert!(
            claim_hint("repository!==x")
                .unwrap()
                .contains("'repository!=x'")
        );
        assert!(
            claim_hint("repository = x")
                .unwrap()
                .contains("'repository=x'")
        );
        assert!(
            claim_hint("ref = refs/heads/*")
                .unwrap()
                .contains("'ref=refs/heads/*'")
        );
        assert!(
            claim_hint("ref=refs/heads/*")
                .unwrap()
                .contains("'ref~refs/heads/*'")
        );
        assert!(
            claim_hint("ref!=refs/heads/*")
                .unwrap()
                .contains("'ref!~refs/heads/*'")
        );
        assert!(claim_hint("ref~refs/heads/*").is_none());
        assert!(claim_hint("repository=acme/app").is_none());
        assert!(claim_hint("a.b!~x*").is_none());
    }

    #[test]
    fn key_set_file_hints() {
        assert!(
            key_set_file_hint(b"-----BEGIN PUBLIC KEY-----\nAA\n")
                .unwrap()
                .contains("--key")
        );
        assert!(
            key_set_file_hint(br#"{"kty":"RSA","n":"x","e":"AQAB"}"#)
                .unwrap()
                .contains("one JWK")
        );
        assert!(key_set_file_hint(br#"{"keys":[]}"#).is_none());
    }
}
