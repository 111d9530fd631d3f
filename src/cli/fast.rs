//! The hand reader: `oidcat verify` command lines read without clap.
//!
//! Building clap's command (every argument of every subcommand, with help
//! texts) and matching against it is the largest cost of a cached one-shot
//! `oidcat verify` after process start itself (docs/benchmarks.md). This
//! reader knows the options `verify` takes from one table, [`OPTIONS`], and
//! answers `None` at the first thing it is not sure of (another subcommand,
//! `--help`, a short-option cluster, `--`, a repeated or conflicting option,
//! a value that is empty, starts with `-`, is not UTF-8 or is out of range).
//! The caller then parses with clap ([`super::Cli`], the reference), which
//! owns every message a user sees.
//!
//! The tests below hold the two together: the table (names, short forms,
//! which options are global, take a value or repeat, the conflicts, defaults
//! and ranges) is compared with clap's `Command`, and whatever this reader
//! accepts, clap must parse to the same value.

use std::ffi::OsString;
use std::path::PathBuf;

use super::{
    CiArgs, Cli, ColorChoice, Command, GlobalArgs, KeySourceArgs, OutputFormat, PolicyArgs,
    VerifyArgs,
};

/// How an option is written and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `--name`: no value.
    Flag,
    /// `--name VALUE` or `--name=VALUE`, at most once.
    Value,
    /// `--name VALUE`, repeatable (values accumulate).
    Repeated,
}

/// One option of `oidcat verify` as this reader knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    pub long: &'static str,
    pub short: Option<char>,
    /// Taken anywhere on the line (clap's `global = true`).
    pub global: bool,
    pub form: Form,
}

const fn opt(long: &'static str, global: bool, form: Form) -> Opt {
    Opt {
        long,
        short: None,
        global,
        form,
    }
}

use Form::{Flag, Repeated, Value};

/// Every option of `oidcat verify`, global ones first.
pub const OPTIONS: &[Opt] = &[
    Opt {
        short: Some('o'),
        ..opt("output", true, Value)
    },
    opt("color", true, Value),
    Opt {
        short: Some('q'),
        ..opt("quiet", true, Flag)
    },
    Opt {
        short: Some('v'),
        ..opt("verbose", true, Flag)
    },
    opt("timeout", true, Value),
    opt("ca-file", true, Repeated),
    opt("allow-http", true, Flag),
    opt("cache-dir", true, Value),
    opt("no-cache", true, Flag),
    opt("offline", true, Flag),
    opt("issuer", false, Value),
    opt("jwks-uri", false, Value),
    opt("jwks-file", false, Value),
    opt("key", false, Value),
    opt("secret-file", false, Value),
    opt("secret-env", false, Value),
    opt("issuer-from-token", false, Flag),
    opt("audience", false, Repeated),
    opt("any-audience", false, Flag),
    opt("alg", false, Repeated),
    opt("claim", false, Repeated),
    opt("require", false, Repeated),
    opt("assert", false, Repeated),
    opt("leeway", false, Value),
    opt("typ", false, Value),
    opt("max-age", false, Value),
    opt("no-require-exp", false, Flag),
    opt("repo", false, Value),
    opt("ref", false, Value),
    opt("workflow", false, Value),
    opt("environment", false, Value),
    opt("event", false, Value),
    opt("now", false, Value),
    opt("github-summary", false, Flag),
    opt("github-output", false, Repeated),
    opt("policy", false, Value),
    opt("path", false, Value),
    opt("host", false, Value),
    opt("method", false, Value),
];

/// Pairs clap refuses together (`conflicts_with` in cli).
pub const CONFLICTS: &[(&str, &str)] = &[
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

/// A number option: its accepted range and the value when it is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number {
    pub long: &'static str,
    pub min: u64,
    pub max: u64,
    pub default: Option<u64>,
}

/// The number options and their ranges and defaults (`value_parser!(u64).range`).
pub const NUMBERS: &[Number] = &[
    Number {
        long: "timeout",
        min: 1,
        max: 300,
        default: Some(10),
    },
    Number {
        long: "leeway",
        min: 0,
        max: 600,
        default: Some(60),
    },
    Number {
        long: "max-age",
        min: 0,
        max: u64::MAX,
        default: None,
    },
];

/// The values of the enumerated options, the default first.
pub const CHOICES: &[(&str, &[&str])] = &[
    ("output", &["text", "json"]),
    ("color", &["auto", "always", "never"]),
];

/// Other long names of options (clap's `visible_alias`): alias, option.
pub const ALIASES: &[(&str, &str)] = &[("iss", "issuer"), ("aud", "audience")];

/// The option named `name` (long form or alias), if `verify` has it.
pub fn known(name: &str) -> Option<&'static Opt> {
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, long)| long);
    OPTIONS.iter().find(|o| o.long == name)
}

fn short(c: &str) -> Option<&'static Opt> {
    let mut chars = c.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    OPTIONS.iter().find(|o| o.short == Some(c))
}

/// `Some` only for a line clap would parse to exactly this value.
pub fn verify(args: &[OsString]) -> Option<Cli> {
    let mut seen: Vec<(&'static str, String)> = Vec::with_capacity(args.len());
    let mut token: Option<String> = None;
    let mut in_verify = false;
    let mut before_verify: Vec<&'static str> = Vec::new();
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        let arg = arg.to_str()?;
        let (opt, inline) = match arg {
            "verify" if !in_verify => {
                in_verify = true;
                continue;
            }
            _ => match arg.strip_prefix("--") {
                Some(long) => match long.split_once('=') {
                    Some((n, v)) => (known(n)?, Some(v)),
                    None => (known(long)?, None),
                },
                None => match arg.strip_prefix('-') {
                    Some(s) if !s.is_empty() => (short(s)?, None),
                    _ => {
                        // The token: one, after `verify`.
                        if !in_verify || token.is_some() {
                            return None;
                        }
                        token = Some(arg.to_owned());
                        continue;
                    }
                },
            },
        };
        let name = opt.long;
        if !in_verify && !opt.global {
            return None;
        }
        if opt.form != Repeated && seen.iter().any(|(n, _)| *n == name) {
            return None;
        }
        // A global option on both sides of `verify`: clap keeps only the later
        // side's values; not worth copying.
        if in_verify && opt.global && before_verify.contains(&name) {
            return None;
        }
        if !in_verify {
            before_verify.push(name);
        }
        let value = if opt.form == Flag {
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
    // `None` when out of range or not plain digits; `Some(None)` when absent without a default.
    let number = |n: &str| -> Option<Option<u64>> {
        let spec = NUMBERS.iter().find(|s| s.long == n)?;
        match one(n) {
            None => Some(spec.default),
            Some(v) if v.len() <= 20 && v.bytes().all(|b| b.is_ascii_digit()) => {
                let x: u64 = v.parse().ok()?;
                (spec.min..=spec.max).contains(&x).then_some(Some(x))
            }
            Some(_) => None,
        }
    };
    // The position of the value among the option's [`CHOICES`] (absent: 0, the default).
    let choice = |n: &str| -> Option<usize> {
        let (_, values) = CHOICES.iter().find(|(k, _)| *k == n)?;
        match one(n) {
            None => Some(0),
            Some(v) => values.iter().position(|c| *c == v),
        }
    };
    let output = [OutputFormat::Text, OutputFormat::Json][choice("output")?];
    let color = [ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never][choice("color")?];
    let path = |n: &str| one(n).map(PathBuf::from);
    Some(Cli {
        global: GlobalArgs {
            output,
            color,
            quiet: has("quiet"),
            verbose: has("verbose"),
            timeout: number("timeout")??,
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
                leeway: number("leeway")??,
                typ: one("typ"),
                max_age: number("max-age")?,
                no_require_exp: has("no-require-exp"),
                ci: CiArgs {
                    repo: one("repo"),
                    git_ref: one("ref"),
                    workflow: one("workflow"),
                    environment: one("environment"),
                    event: one("event"),
                },
            },
            now: one("now"),
            github_summary: has("github-summary"),
            github_output: all("github-output"),
            policy_file: path("policy"),
            path: one("path"),
            host: one("host"),
            method: one("method"),
        })),
    })
}

#[cfg(test)]
mod tests;
