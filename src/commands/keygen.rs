//! `oidcat keygen`: a new private JWK, or the public key set of one. For
//! tests only. Returns the JSON text; `report` prints it.

use crate::cli::KeygenArgs;
use crate::error::{Error, Result};
use crate::keys::Alg;
use crate::sign::keygen;

/// Longest private key file read (an ML-DSA-87 JWK is under 4 KiB).
pub const MAX_KEY_FILE: u64 = 64 * 1024;

pub fn run(args: &KeygenArgs) -> Result<String> {
    let doc = if let Some(path) = &args.public {
        let signer = super::sign::read_signer(path)?;
        keygen::public_set(&signer)?
    } else {
        let name = args.alg.as_deref().unwrap_or_default();
        let alg = parse_alg(name)?;
        if let Some(k) = &args.kid
            && k.len() > crate::keys::MAX_KID
        {
            return Err(Error::usage(format!(
                "--kid is {} bytes (at most {})",
                k.len(),
                crate::keys::MAX_KID
            )));
        }
        keygen::generate(alg, args.kid.as_deref())?
    };
    serde_json::to_string_pretty(&doc).map_err(|e| Error::io(format!("writing JSON: {e}")))
}

/// `--alg` for `keygen` and `sign`: exactly as JOSE spells it.
pub fn parse_alg(name: &str) -> Result<Alg> {
    Alg::parse(name).ok_or_else(|| {
        Error::usage(format!(
            "--alg {} is not an algorithm oidcat signs ({})",
            crate::sanitize::truncate(name, 32),
            Alg::list(&Alg::ALL)
        ))
    })
}
