//! `oidcat decode`: show a token's header and claims. Verifies nothing, and says so.

use serde_json::{Map, Value};

use crate::cli::DecodeArgs;
use crate::clock;
use crate::error::{Exit, Result};
use crate::input;
use crate::jwt::{self, Token};
use crate::report::Out;
use crate::report::decode::{DecodeDoc, jwe_text, jws_text};

/// Warnings about a token's content, at instant `now`.
pub fn warnings(header: &Map<String, Value>, claims: &Map<String, Value>, now: i64) -> Vec<String> {
    let mut w = Vec::new();
    match header.get("alg") {
        None => w.push("header has no `alg`".to_string()),
        Some(Value::String(a)) if a.eq_ignore_ascii_case("none") => {
            w.push("alg is `none`: the token is unsigned and no verifier should accept it".into())
        }
        Some(Value::String(_)) => {}
        Some(_) => w.push("header `alg` is not a string".into()),
    }
    for name in ["exp", "nbf", "iat", "auth_time"] {
        if let Err(e) = clock::numeric_date(claims.get(name)) {
            w.push(format!("`{name}` {e}"));
        }
    }
    match clock::numeric_date(claims.get("exp")) {
        Ok(Some(exp)) if exp <= now => w.push(format!(
            "expired {} ({})",
            clock::relative(exp, now),
            clock::rfc3339(exp)
        )),
        Ok(None) => w.push("no `exp`: this token never expires".into()),
        _ => {}
    }
    if let Ok(Some(nbf)) = clock::numeric_date(claims.get("nbf"))
        && nbf > now
    {
        w.push(format!(
            "not yet valid: nbf is {}",
            clock::relative(nbf, now)
        ));
    }
    if let Ok(Some(iat)) = clock::numeric_date(claims.get("iat"))
        && iat > now
    {
        w.push(format!(
            "issued in the future: iat is {}",
            clock::relative(iat, now)
        ));
    }
    w
}

pub fn run(args: &DecodeArgs, out: &Out) -> Result<Exit> {
    let now = match &args.now {
        Some(s) => clock::parse_now(s)?,
        None => clock::system_now(),
    };
    let token = input::read_token(args.token.as_deref())?;
    match jwt::parse(&token)? {
        Token::Jwe(jwe) => {
            let warning = format!(
                "encrypted token (JWE, alg {}, enc {}): the payload cannot be shown without {}",
                jwt::header_str(&jwe.header, "alg"),
                jwt::header_str(&jwe.header, "enc"),
                jwe.key_needed(),
            );
            if args.header || out.is_json() {
                if args.header {
                    out.json(&jwe.header);
                } else {
                    out.json(&DecodeDoc {
                        header: jwe.header,
                        claims: None,
                        signature_len: None,
                        warnings: vec![warning.clone()],
                    });
                }
                out.warn(&warning);
            } else {
                out.print(&jwe_text(&jwe.header, &warning));
            }
            Ok(Exit::Ok)
        }
        Token::Jws(jws) => {
            let mut warns = warnings(jws.header.map(), jws.claims.map(), now);
            if jws.noncanonical_signature.is_some() {
                warns.push("the signature's base64url has non-zero unused bits (altered or re-encoded): verify will reject it".into());
            }
            if args.header {
                out.json(jws.header.map());
            } else if args.claims {
                out.json(jws.claims.map());
            } else if out.is_json() {
                out.json(&DecodeDoc {
                    signature_len: Some(jws.signature.len()),
                    header: jws.header.map().clone(),
                    claims: Some(jws.claims.map().clone()),
                    warnings: warns,
                });
                return Ok(Exit::Ok);
            } else {
                let text = jws_text(
                    jws.header.map(),
                    jws.claims.map(),
                    jws.signature.len(),
                    &warns,
                    now,
                );
                out.print(&text);
                return Ok(Exit::Ok);
            }
            // --header / --claims: warnings go to stderr so stdout stays pure JSON.
            for w in &warns {
                out.warn(w);
            }
            Ok(Exit::Ok)
        }
    }
}
