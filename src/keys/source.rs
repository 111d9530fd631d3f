//! Where a key set comes from: a URL (given, or a discovery document's
//! `jwks_uri`) through the cache, or a file.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::KeySource;
use crate::error::{Error, Result};
use crate::http::{self, Trust};
use crate::issuer::{Loader, Provenance};

use super::KeySet;

#[derive(Debug, Clone)]
pub enum SetSource {
    /// `derived`: the URL came from a discovery document, not the user.
    Url {
        url: String,
        trust: Trust,
        derived: bool,
    },
    File(PathBuf),
}

/// What a [`KeySource`] names: a fixed set, or a set to load.
pub enum Resolved {
    Fixed(Arc<KeySet>),
    Load(SetSource),
}

impl SetSource {
    /// The one mapping from a [`KeySource`] to what to load. `discover`
    /// finds an issuer's key set (through the disk cache for the CLI,
    /// uncached for `serve`).
    pub fn resolve(
        source: &KeySource,
        discover: impl FnOnce(&str) -> Result<SetSource>,
    ) -> Result<Resolved> {
        Ok(match source {
            KeySource::Static(set) => Resolved::Fixed(set.clone()),
            KeySource::JwksFile(p) => Resolved::Load(SetSource::File(p.clone())),
            KeySource::JwksUri(u) => Resolved::Load(SetSource::user_url(u)?),
            KeySource::Issuer(iss) => Resolved::Load(discover(iss)?),
            // `verify` replaces it with the token's issuer before loading;
            // `serve` never has it.
            KeySource::IssuerFromToken => {
                return Err(Error::usage(
                    "keys are never taken from a token's issuer before it is pinned",
                ));
            }
        })
    }

    /// A URL the user named.
    pub fn user_url(url: &str) -> Result<SetSource> {
        let parsed = http::parse_url(url)?;
        Ok(SetSource::Url {
            url: url.to_string(),
            trust: Trust::of(&parsed),
            derived: false,
        })
    }

    pub fn label(&self) -> String {
        match self {
            SetSource::Url { url, .. } => url.clone(),
            SetSource::File(p) => p.display().to_string(),
        }
    }
}

/// Raw bytes of a key-set file, bounded like a fetch, without a leading
/// byte-order mark. A file that cannot be read is `io` (exit 3: nothing was
/// judged); one over 1 MiB is not a key set anyone publishes, so it is a
/// usage error naming the file (exit 2), as for `--key` and `--secret-file`.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    crate::input::read_document(path, http::MAX_BODY)
        .map_err(|e| Error::io(format!("{}: {e}", path.display())).with_source(e))?
        .ok_or_else(|| {
            Error::usage(format!(
                "{}: larger than 1 MiB, which no key set is",
                path.display()
            ))
        })
}

/// Loads and vets a key set. `bypass` skips the cache read (unknown-kid refetch).
pub fn load(loader: &Loader, src: &SetSource, bypass: bool) -> Result<(KeySet, Provenance)> {
    match src {
        SetSource::File(path) => {
            let bytes = read_file(path)?;
            let now = crate::clock::system_now();
            let mut set = KeySet::parse(&bytes, &path.display().to_string(), now)?;
            set.local = true;
            Ok((
                set,
                Provenance {
                    from_cache: false,
                    fetched_at: now,
                    warnings: vec![],
                },
            ))
        }
        SetSource::Url {
            url,
            trust,
            derived,
        } => {
            let (mut set, prov) =
                loader.document(url, *trust, *derived, bypass, |b| KeySet::parse(b, url, 0))?;
            set.fetched_at = prov.fetched_at;
            set.warnings.extend(prov.warnings.iter().cloned());
            Ok((set, prov))
        }
    }
}

/// Raw bytes of a key set, for listing every entry (including refused ones).
pub fn load_raw(loader: &Loader, src: &SetSource) -> Result<Vec<u8>> {
    match src {
        SetSource::File(path) => read_file(path),
        SetSource::Url {
            url,
            trust,
            derived,
        } => Ok(loader
            .document(url, *trust, *derived, false, |b| {
                KeySet::checked_entries(b, url).map(|_| b.to_vec())
            })?
            .0),
    }
}

/// Where `oidcat jwks` reads keys: `--jwks-file`, `--jwks-uri`, or its one
/// argument told apart as a user means it: an existing file is a file; a
/// preset or a URL with a discovery document is an issuer; a URL without one
/// that serves a key set is a key set URL. Also returns the discovery
/// document's warnings, for `-v`.
pub fn jwks_target(
    loader: &Loader,
    arg: Option<&str>,
    jwks_uri: Option<&str>,
    jwks_file: Option<&std::path::Path>,
) -> Result<(SetSource, Vec<String>)> {
    if let Some(path) = jwks_file {
        return Ok((SetSource::File(path.to_path_buf()), vec![]));
    }
    if let Some(url) = jwks_uri {
        return Ok((SetSource::user_url(url)?, vec![]));
    }
    let Some(arg) = arg else {
        return Err(Error::usage(
            "give an ISSUER, a key set URL or PATH, --jwks-uri URL or --jwks-file PATH",
        ));
    };
    let path = std::path::Path::new(arg);
    if path.is_file() {
        return Ok((SetSource::File(path.to_path_buf()), vec![]));
    }
    let issuer = crate::issuer::resolve(arg);
    if url::Url::parse(&issuer).is_err() {
        return Err(Error::io(format!(
            "{arg}: no such file, and not a URL or an issuer preset (github, gitlab, google)"
        )));
    }
    // A discovery document's own URL: its issuer is meant.
    let issuer = issuer
        .trim_end_matches('/')
        .strip_suffix("/.well-known/openid-configuration")
        .map_or(issuer.clone(), str::to_owned);
    match loader.discover(&issuer) {
        Ok((d, _)) => Ok((d.jwks_source(), d.warnings)),
        Err(e) => {
            // No discovery there: the URL itself may be the key set.
            let direct = SetSource::user_url(&issuer)?;
            if load_raw(loader, &direct).is_ok() {
                Ok((direct, vec![]))
            } else {
                Err(e)
            }
        }
    }
}
