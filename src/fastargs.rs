//! The one-shot `oidcat verify` command line, read without clap.
//!
//! Why: building clap's command (every argument of every option group, with
//! help texts) and matching against it was the largest single cost of a
//! cached `oidcat verify` after process start itself, about a tenth of the
//! process. This reader knows only the plain forms of the options `verify`
//! takes and answers `None` at the first thing it is not sure of (another
//! subcommand, `--help`, a short-option cluster, `--`, a repeated or
//! conflicting option, a value that is empty, starts with `-`, is not UTF-8
//! or is out of range). The caller then parses with clap, which owns every
//! message a user sees. Tests check that whatever this accepts, clap parses
//! to the same value, and that it knows every option clap defines.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::cli::{
    Cli, ColorChoice, Command, GlobalArgs, KeySourceArgs, OutputFormat, PolicyArgs, VerifyArgs,
};

/// Options taken anywhere on the line (clap's `global = true`).
const GLOBAL: &[&str] = &[
    "output",
    "color",
    "quiet",
    "verbose",
    "timeout",
    "ca-file",
    "allow-http",
    "cache-dir",
    "no-cache",
    "offline",
];

/// Options that take no value.
const FLAGS: &[&str] = &[
    "quiet",
    "verbose",
    "allow-http",
    "no-cache",
    "offline",
    "issuer-from-token",
    "any-audience",
    "no-require-exp",
    "github-summary",
];

/// Options that may be given more than once.
const REPEATED: &[&str] = &[
    "ca-file",
    "audience",
    "alg",
    "claim",
    "require",
    "assert",
    "github-output",
];

/// `verify`'s own options this reader handles (with [`GLOBAL`], all of them).
const VERIFY: &[&str] = &[
    "issuer",
    "jwks-uri",
    "jwks-file",
    "key",
    "secret-file",
    "secret-env",
    "issuer-from-token",
    "audience",
    "any-audience",
    "alg",
    "claim",
    "require",
    "assert",
    "leeway",
    "typ",
    "max-age",
    "no-require-exp",
    "now",
    "github-summary",
    "github-output",
];

/// Pairs clap refuses together (`conflicts_with` in cli.rs).
const CONFLICTS: &[(&str, &str)] = &[
    ("quiet", "verbose"),
    ("no-cache", "offline"),
    ("jwks-uri", "jwks-file"),
    ("jwks-uri", "key"),
    ("jwks-uri", "secret-file"),
    ("jwks-uri", "secret-env"),
    ("jwks-file", "key"),
    ("jwks-file", "secret-file"),
    ("jwks-file", "secret-env"),
    ("key", "secret-file"),
    ("key", "secret-env"),
    ("secret-file", "secret-env"),
    ("issuer-from-token", "issuer"),
    ("issuer-from-token", "jwks-uri"),
    ("issuer-from-token", "jwks-file"),
    ("issuer-from-token", "key"),
    ("issuer-from-token", "secret-file"),
    ("issuer-from-token", "secret-env"),
    ("any-audience", "audience"),
];

/// `Some` only for a line clap would parse to exactly this value.
pub fn verify(args: &[OsString]) -> Option<Cli> {
    let mut seen: Vec<(&'static str, String)> = Vec::with_capacity(args.len());
    let mut token: Option<String> = None;
    let mut in_verify = false;
    let mut before_verify: Vec<&'static str> = Vec::new();
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        let arg = arg.to_str()?;
        let (name, inline) = match arg {
            "verify" if !in_verify => {
                in_verify = true;
                continue;
            }
            "-q" => ("quiet", None),
            "-v" => ("verbose", None),
            "-o" => ("output", None),
            _ => match arg.strip_prefix("--") {
                Some(long) => match long.split_once('=') {
                    Some((n, v)) => (known(n)?, Some(v)),
                    None => (known(long)?, None),
                },
                None if arg.starts_with('-') && arg != "-" => return None,
                None => {
                    // The token: one, after `verify`.
                    if !in_verify || token.is_some() {
                        return None;
                    }
                    token = Some(arg.to_owned());
                    continue;
                }
            },
        };
        if !in_verify && !GLOBAL.contains(&name) {
            return None;
        }
        if seen.iter().any(|(n, _)| *n == name) && !REPEATED.contains(&name) {
            return None;
        }
        // A global option on both sides of `verify`: clap keeps only the later
        // side's values; not worth copying.
        if in_verify && GLOBAL.contains(&name) && before_verify.contains(&name) {
            return None;
        }
        if !in_verify {
            before_verify.push(name);
        }
        let value = if FLAGS.contains(&name) {
            if inline.is_some() {
                return None;
            }
            String::new()
        } else {
            let v = match inline {
                Some(v) => v,
                None => {
                    let v = rest.next()?.to_str()?;
                    if v.starts_with('-') {
                        return None;
                    }
                    v
                }
            };
            if v.is_empty() {
                return None;
            }
            v.to_owned()
        };
        seen.push((name, value));
    }
    if !in_verify {
        return None;
    }
    let has = |n: &str| seen.iter().any(|(k, _)| *k == n);
    if CONFLICTS.iter().any(|(a, b)| has(a) && has(b)) {
        return None;
    }
    let one = |n: &str| seen.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone());
    let all = |n: &str| -> Vec<String> {
        seen.iter()
            .filter(|(k, _)| *k == n)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let number = |n: &str, max: u64| -> Option<Option<u64>> {
        match one(n) {
            None => Some(None),
            Some(v) if v.len() <= 19 && v.bytes().all(|b| b.is_ascii_digit()) => {
                let x: u64 = v.parse().ok()?;
                (x <= max).then_some(Some(x))
            }
            Some(_) => None,
        }
    };
    let output = match one("output").as_deref() {
        None | Some("text") => OutputFormat::Text,
        Some("json") => OutputFormat::Json,
        Some(_) => return None,
    };
    let color = match one("color").as_deref() {
        None | Some("auto") => ColorChoice::Auto,
        Some("always") => ColorChoice::Always,
        Some("never") => ColorChoice::Never,
        Some(_) => return None,
    };
    let timeout = number("timeout", 300)?.unwrap_or(10);
    if timeout == 0 {
        return None;
    }
    let path = |n: &str| one(n).map(PathBuf::from);
    Some(Cli {
        global: GlobalArgs {
            output,
            color,
            quiet: has("quiet"),
            verbose: has("verbose"),
            timeout,
            ca_file: all("ca-file").into_iter().map(PathBuf::from).collect(),
            allow_http: has("allow-http"),
            cache_dir: path("cache-dir"),
            no_cache: has("no-cache"),
            offline: has("offline"),
        },
        command: Command::Verify(Box::new(VerifyArgs {
            token,
            keys: KeySourceArgs {
                issuer: one("issuer"),
                jwks_uri: one("jwks-uri"),
                jwks_file: path("jwks-file"),
                key: path("key"),
                secret_file: path("secret-file"),
                secret_env: one("secret-env"),
            },
            issuer_from_token: has("issuer-from-token"),
            policy: PolicyArgs {
                audience: all("audience"),
                any_audience: has("any-audience"),
                alg: all("alg"),
                claim: all("claim"),
                require: all("require"),
                assert: all("assert"),
                leeway: number("leeway", 600)?.unwrap_or(60),
                typ: one("typ"),
                max_age: number("max-age", u64::MAX)?,
                no_require_exp: has("no-require-exp"),
            },
            now: one("now"),
            github_summary: has("github-summary"),
            github_output: all("github-output"),
        })),
    })
}

/// The option's name as this reader knows it, global or `verify`'s own.
pub fn known(name: &str) -> Option<&'static str> {
    GLOBAL.iter().chain(VERIFY).find(|k| **k == name).copied()
}
