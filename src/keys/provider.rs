//! How the verify core gets keys: the [`KeyProvider`] trait, and the
//! provider over a fixed set.

use std::sync::Arc;

use super::KeySet;
use crate::error::Error;

/// Keys for the core. The CLI reads through the disk cache
/// (`keys::cli_provider`); `serve` keeps an in-memory set with its own
/// refresh rules (`serve::keys`).
pub trait KeyProvider {
    /// The current key set (loading it if needed).
    fn current(&self) -> Result<Arc<KeySet>, Error>;
    /// Called once when no key has the token's `kid`: a newer set, or `None`
    /// when there is none to be had (a file, a set fetched fresh this run, a
    /// refetch within the cool-down).
    fn refresh(&self) -> Result<Option<Arc<KeySet>>, Error>;
}

/// A provider over a fixed set (a file, `--key`, a secret).
pub struct StaticKeys(pub Arc<KeySet>);

impl KeyProvider for StaticKeys {
    fn current(&self) -> Result<Arc<KeySet>, Error> {
        Ok(self.0.clone())
    }
    fn refresh(&self) -> Result<Option<Arc<KeySet>>, Error> {
        Ok(None)
    }
}
