//! `oidcat jwks`: list an issuer's keys, with thumbprints, certificate details
//! and warnings; `--pem` exports them. Every entry is listed, including keys
//! verification would refuse (with the reason as a warning).

use serde_json::Value;

use crate::cli::{GlobalArgs, JwksArgs};
use crate::error::{Error, Exit, Kind, Result};
use crate::keys::{self, Material, Origin};
use crate::report::Out;
use crate::report::jwks::{JwksDoc, KeyRow, pem_text, text};
use crate::sanitize;

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_owned)
}

/// A row for an entry that is not even strict JSON (e.g. a duplicate member).
fn unparsable_row(why: &str) -> KeyRow {
    KeyRow {
        kid: None,
        kty: None,
        alg: None,
        use_: None,
        bits: None,
        crv: None,
        thumbprint: None,
        x5c: None,
        warnings: vec![format!(
            "not used for verification: not strict JSON ({why})"
        )],
        usable: false,
        spki: None,
    }
}

/// A row for an entry, usable or not, and the key when it is usable.
fn row(v: &Value) -> (KeyRow, Option<keys::Key>) {
    let mut r = KeyRow {
        kid: s(v, "kid"),
        kty: s(v, "kty"),
        alg: s(v, "alg"),
        use_: s(v, "use"),
        bits: None,
        crv: s(v, "crv"),
        thumbprint: None,
        x5c: None,
        warnings: vec![],
        usable: false,
        spki: None,
    };
    let mut key = None;
    match keys::parse_jwk(v, Origin::Set) {
        Ok(mut k) => {
            keys::describe_x5c(&mut k, v);
            r.usable = true;
            r.thumbprint = Some(k.thumbprint.clone());
            r.spki = k.spki_der();
            if let Material::Rsa { n, .. } = &k.material {
                r.bits = Some(keys::rsa_bits(n));
            }
            r.x5c = k.x5c.clone();
            r.warnings = k.warnings.clone();
            key = Some(k);
        }
        Err(reason) => {
            // Describe what can be described: size and thumbprint of refused RSA keys.
            if r.kty.as_deref() == Some("RSA")
                && v.get("d").is_none()
                && let Some(m) = v.as_object()
            {
                let mut w = Vec::new();
                if let (Ok(n), Ok(e)) =
                    (keys::key_b64(m, "n", &mut w), keys::key_b64(m, "e", &mut w))
                {
                    let n = keys::strip_leading_zeros("n", n, &mut w);
                    let e = keys::strip_leading_zeros("e", e, &mut w);
                    r.bits = Some(keys::rsa_bits(&n));
                    r.thumbprint = Some(keys::thumbprint(&Material::Rsa { n, e }));
                }
            }
            r.warnings
                .push(format!("not used for verification: {reason}"));
        }
    }
    if r.kty.as_deref() == Some("RSA") {
        r.crv = None;
    }
    (r, key)
}

pub fn run(args: &JwksArgs, g: &GlobalArgs, out: &Out) -> Result<Exit> {
    let loader = super::loader(g, out);
    let (src, discovery_warnings) = keys::source::jwks_target(
        &loader,
        args.issuer.as_deref(),
        args.jwks_uri.as_deref(),
        args.jwks_file.as_deref(),
    )?;
    for w in &discovery_warnings {
        out.debug(&format!("discovery: {w}"));
    }
    let raw = keys::source::load_raw(&loader, &src)?;
    // Each entry is parsed once; per-key reasons are on the rows, findings
    // about the usable keys together (duplicate or missing kid) on the set.
    let (rows, usable): (Vec<KeyRow>, Vec<Option<keys::Key>>) =
        keys::KeySet::checked_entries(&raw, &src.label())?
            .iter()
            .map(|e| match e {
                Ok(v) => row(v),
                Err(why) => (unparsable_row(why), None),
            })
            .unzip();
    let usable: Vec<keys::Key> = usable.into_iter().flatten().collect();
    let set_warnings = keys::set_findings(&usable);

    if let Some(kid) = &args.pem {
        let chosen: Vec<&KeyRow> = rows
            .iter()
            .filter(|r| {
                r.spki.is_some() && (kid.is_empty() || r.kid.as_deref() == Some(kid.as_str()))
            })
            .collect();
        if chosen.is_empty() {
            return Err(Error::new(
                Kind::KeyNotFound,
                format!(
                    "no usable key with kid {:?} in {}",
                    sanitize::truncate(kid, 64),
                    src.label()
                ),
            ));
        }
        let text = pem_text(&chosen, kid.is_empty() && chosen_label_needed(&rows));
        Out::stdout(text.trim_end());
        return Ok(Exit::Ok);
    }

    if out.is_json() {
        out.json(&JwksDoc {
            source: src.label(),
            keys: rows,
            warnings: set_warnings,
        });
        return Ok(Exit::Ok);
    }
    let text = text(&src.label(), &rows);
    out.print(&text);
    for w in &set_warnings {
        out.warn(w);
    }
    Ok(Exit::Ok)
}

fn chosen_label_needed(rows: &[KeyRow]) -> bool {
    rows.iter().filter(|r| r.spki.is_some()).count() > 1
}
