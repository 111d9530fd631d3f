//! The HMAC key of `--secret-file` / `--secret-env`.

use super::Alg;

use super::{Key, Material};
use crate::error::Error;

/// The shortest secret an HMAC algorithm accepts: its hash's output size
/// (RFC 7518 §3.2: HS256 32 bytes, HS384 48, HS512 64).
pub fn min_secret_len(alg: Alg) -> usize {
    match alg {
        Alg::HS384 => 48,
        Alg::HS512 => 64,
        _ => 32,
    }
}

/// Builds the HMAC key from a secret, checking its length against the
/// allowed HS algorithms (docs/hostile-inputs.md C9). Returns the key and the HS algorithms it may verify.
pub fn secret_key(secret: Vec<u8>, explicit: &[Alg]) -> Result<(Key, Vec<Alg>), Error> {
    use Alg::*;
    let need = min_secret_len;
    let hs: Vec<Alg> = if explicit.is_empty() {
        vec![HS256, HS384, HS512]
    } else {
        explicit.iter().copied().filter(|a| a.is_hmac()).collect()
    };
    if secret.is_empty() {
        return Err(Error::usage("the HMAC secret is empty"));
    }
    let usable: Vec<Alg> = hs
        .iter()
        .copied()
        .filter(|a| secret.len() >= need(*a))
        .collect();
    if !explicit.is_empty()
        && let Some(a) = hs.iter().find(|a| secret.len() < need(**a))
    {
        return Err(Error::usage(format!(
            "{} needs a secret of at least {} bytes (got {})",
            a.name(),
            need(*a),
            secret.len()
        )));
    }
    if usable.is_empty() {
        return Err(Error::usage(format!(
            "HS256 needs a secret of at least 32 bytes (got {})",
            secret.len()
        )));
    }
    let key = super::from_material(Material::Hmac { k: secret }, None, None, None, None, vec![])
        .map_err(Error::usage)?;
    Ok((key, usable))
}
