//! `oidcat sign`: a signed JWT for tests. Claims from a file or stdin, then
//! the flags; `iat` and `exp` by default. Returns the token; `report`
//! prints it. Private key material never appears in an error.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::cli::SignArgs;
use crate::error::{Error, Result};
use crate::sign::{self, Signer};
use crate::{clock, input, sanitize};

use super::keygen::{MAX_KEY_FILE, parse_alg};

/// Longest `--exp-in`: ten years.
const MAX_EXP_IN: u64 = 3650 * 86400;

/// Reads a private key file (bounded), PEM or JWK.
pub fn read_signer(path: &Path) -> Result<Signer> {
    let shown = sanitize::escape(&path.display().to_string());
    let bytes = input::read_bounded(path, MAX_KEY_FILE)
        .map_err(|e| Error::io(format!("reading {shown}: {e}")))?
        .ok_or_else(|| Error::usage(format!("{shown} is larger than 64 KiB: not a key file")))?;
    sign::load(&bytes).map_err(|e| Error::usage(format!("{shown}: {e}")))
}

/// `90`, `90s`, `15m`, `2h`, `7d` to seconds.
pub fn parse_duration(s: &str) -> Result<u64> {
    let bad = || {
        Error::usage(format!(
            "--exp-in {}: expected a duration such as 90, 90s, 15m, 2h or 7d (at most 3650d)",
            sanitize::truncate(s, 32)
        ))
    };
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    if num.is_empty() || num.len() > 12 {
        return Err(bad());
    }
    let n: u64 = num.parse().map_err(|_| bad())?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => return Err(bad()),
    };
    n.checked_mul(mult)
        .filter(|&v| v <= MAX_EXP_IN)
        .ok_or_else(bad)
}

/// The claims, in order: file or stdin, then `iat`/`exp` defaults, then the
/// flags (which override).
pub fn claims(args: &SignArgs, now: i64) -> Result<Map<String, Value>> {
    let mut m = match args.claims_file.as_deref() {
        None => Map::new(),
        Some(src) => {
            // `-` is stdin; anything else a file path (no `@` needed)
            let text = match src {
                "-" => input::read_source(Some("-"))?,
                path => input::read_source(Some(&format!("@{path}")))?,
            };
            match crate::json::parse_strict(text.as_bytes()) {
                Ok(Value::Object(m)) => m,
                Ok(_) => return Err(Error::usage("the claims must be a JSON object")),
                Err(e) => return Err(Error::usage(format!("the claims are not valid JSON: {e}"))),
            }
        }
    };
    let exp_in = parse_duration(&args.exp_in)?;
    m.entry("iat").or_insert(json!(now));
    m.entry("exp").or_insert(json!(now + exp_in as i64));
    if let Some(iss) = &args.iss {
        m.insert("iss".into(), json!(iss));
    }
    match args.aud.as_slice() {
        [] => {}
        [one] => {
            m.insert("aud".into(), json!(one));
        }
        many => {
            m.insert("aud".into(), json!(many));
        }
    }
    if let Some(sub) = &args.sub {
        m.insert("sub".into(), json!(sub));
    }
    for c in &args.claims {
        let Some((name, value)) = c.split_once('=') else {
            return Err(Error::usage(format!(
                "--claim {}: expected NAME=VALUE",
                sanitize::truncate(c, 64)
            )));
        };
        if name.is_empty() {
            return Err(Error::usage("--claim: the claim name is empty"));
        }
        let v = crate::json::parse_strict(value.as_bytes()).unwrap_or_else(|_| json!(value));
        m.insert(name.into(), v);
    }
    Ok(m)
}

pub fn run(args: &SignArgs) -> Result<String> {
    if let Some(k) = &args.kid
        && k.len() > crate::keys::MAX_KID
    {
        return Err(Error::usage(format!(
            "--kid is {} bytes (at most {})",
            k.len(),
            crate::keys::MAX_KID
        )));
    }
    let signer = read_signer(&args.key)?;
    let alg = match args.alg.as_deref() {
        Some(name) => parse_alg(name)?,
        None => signer.alg.unwrap_or_else(|| signer.key.default_alg()),
    };
    if let Some(a) = signer.alg
        && a != alg
    {
        return Err(Error::usage(format!(
            "the key is for {a} only (its JWK `alg`), not {alg}"
        )));
    }
    if let Some(why) = signer.key.refuses(alg) {
        return Err(Error::usage(why));
    }
    let claims = claims(args, clock::system_now())?;
    let mut header = Map::new();
    header.insert("alg".into(), json!(alg.name()));
    header.insert("typ".into(), json!("JWT"));
    if let Some(kid) = args.kid.as_ref().or(signer.kid.as_ref()) {
        header.insert("kid".into(), json!(kid));
    }
    let token = sign::compact(&signer, alg, &Value::Object(header), &Value::Object(claims))?;
    if token.len() > input::MAX_INPUT {
        return Err(Error::usage(format!(
            "the token would be {} bytes, over the {} oidcat reads",
            token.len(),
            input::MAX_INPUT
        )));
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90").unwrap(), 90);
        assert_eq!(parse_duration("15m").unwrap(), 900);
        assert_eq!(parse_duration("2h").unwrap(), 7200);
        assert_eq!(parse_duration("3650d").unwrap(), MAX_EXP_IN);
        for bad in ["", "h", "3651d", "1w", "-5", "1.5h", "99999999999999999999"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }
}
