//! One file per subcommand: orchestration only. Rules live in the core modules.

pub mod decode;
pub mod discover;
pub mod generate;
pub mod jwks;
pub mod keygen;
pub mod serve;
pub mod sign;
pub mod token;
pub mod verify;

use crate::clock;
use serde_json::Value;

/// Note for a time claim in text output: RFC 3339 and a relative phrase.
pub fn time_note(name: &str, value: &Value, now: i64) -> Option<String> {
    if !matches!(name, "exp" | "nbf" | "iat" | "auth_time") {
        return None;
    }
    let at = match clock::numeric_date(Some(value)) {
        Ok(Some(at)) => at,
        Ok(None) => return None,
        Err(e) => return Some(format!("{name} {e}")),
    };
    let when = clock::rfc3339(at);
    let rel = clock::relative(at, now);
    Some(match name {
        "exp" if at <= now => format!("{when} (expired {rel})"),
        "exp" => format!("{when} (expires {rel})"),
        "nbf" if at > now => format!("{when} (not valid until {rel})"),
        _ => format!("{when} ({rel})"),
    })
}

use crate::cache::{Cache, Mode};
use crate::cli::GlobalArgs;
use crate::http::{Fetcher, HttpConfig};
use crate::issuer::Loader;

/// The fetcher and cache every network-using command shares.
/// The one HTTP client configuration the global options describe.
pub fn fetcher(g: &GlobalArgs) -> Fetcher {
    Fetcher::new(HttpConfig {
        timeout: std::time::Duration::from_secs(g.timeout),
        ca_files: g.ca_file.clone(),
        allow_http: g.allow_http,
        verbose: g.verbose,
    })
}

pub fn loader(g: &GlobalArgs) -> Loader {
    let mode = if g.offline {
        Mode::Offline
    } else if g.no_cache {
        Mode::Off
    } else {
        Mode::Normal
    };
    Loader {
        fetcher: fetcher(g),
        cache: Cache::new(g.cache_dir.clone(), mode),
        verbose: g.verbose,
    }
}
