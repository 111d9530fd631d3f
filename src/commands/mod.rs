//! One file per subcommand: orchestration only. Rules live in the core modules.

pub mod decode;
pub mod discover;
pub mod generate;
pub mod jwks;
pub mod keygen;
pub mod policy;
pub mod serve;
pub mod sign;
pub mod token;
pub mod verify;

use crate::cache::{Cache, Mode};
use crate::cli::GlobalArgs;
use crate::http::{Fetcher, HttpConfig};
use crate::issuer::Loader;
use crate::report::Out;

/// The one HTTP client configuration the global options describe; fetches
/// are told through `out` (`-v`).
pub fn fetcher(g: &GlobalArgs, out: &Out) -> Fetcher {
    Fetcher::new(HttpConfig {
        timeout: std::time::Duration::from_secs(g.timeout),
        ca_files: g.ca_file.clone(),
        allow_http: g.allow_http,
        verbose: g.verbose,
    })
    .with_notes(out.notes())
}

/// The fetcher and disk cache every network-using command shares.
pub fn loader(g: &GlobalArgs, out: &Out) -> Loader {
    let mode = if g.offline {
        Mode::Offline
    } else if g.no_cache {
        Mode::Off
    } else {
        Mode::Normal
    };
    Loader {
        fetcher: fetcher(g, out),
        cache: Cache::new(g.cache_dir.clone(), mode),
        notes: out.notes(),
    }
}
