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

/// `--policy FILE` sets keys and checks per issuer and route in the file, so
/// the single-issuer flags beside it are a usage error naming each (`extra`:
/// the subcommand's own such flags and whether each was given).
pub(crate) fn refuse_flags_beside_policy(
    k: &crate::cli::KeySourceArgs,
    p: &crate::cli::PolicyArgs,
    extra: &[(&'static str, bool)],
) -> crate::error::Result<()> {
    let ci = &p.ci;
    let beside: Vec<&str> = [
        ("--issuer", k.issuer.is_some()),
        ("--jwks-uri", k.jwks_uri.is_some()),
        ("--jwks-file", k.jwks_file.is_some()),
        ("--key", k.key.is_some()),
        ("--secret-file", k.secret_file.is_some()),
        ("--secret-env", k.secret_env.is_some()),
        ("--audience", !p.audience.is_empty()),
        ("--any-audience", p.any_audience),
        ("--alg", !p.alg.is_empty()),
        ("--claim", !p.claim.is_empty()),
        ("--require", !p.require.is_empty()),
        ("--assert", !p.assert.is_empty()),
        ("--typ", p.typ.is_some()),
        ("--max-age", p.max_age.is_some()),
        ("--no-require-exp", p.no_require_exp),
        ("--repo", ci.repo.is_some()),
        ("--ref", ci.git_ref.is_some()),
        ("--workflow", ci.workflow.is_some()),
        ("--environment", ci.environment.is_some()),
        ("--event", ci.event.is_some()),
    ]
    .iter()
    .chain(extra)
    .filter_map(|&(f, given)| given.then_some(f))
    .collect();
    if beside.is_empty() {
        return Ok(());
    }
    Err(crate::error::Error::usage(format!(
        "--policy FILE replaces {}: set these per issuer or route in the file",
        beside.join(", ")
    )))
}
