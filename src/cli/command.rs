//! The command as built at run time: the derived definition plus each
//! subcommand's copy of the network options, completion hints and `serve`'s
//! environment variables; and the parse entry points over it.

use super::{Cli, OUTPUT, fast};

/// The network and cache options (global in the definition, so `oidcat
/// --offline verify ...` keeps working): shown by the subcommands that fetch
/// and hidden from the others and from `oidcat --help` ([`Cli::command`]).
pub const NETWORK_IDS: &[&str] = &[
    "timeout",
    "ca_file",
    "allow_http",
    "cache_dir",
    "no_cache",
    "offline",
];

/// Subcommands that never fetch: they list no network or cache options.
pub const OFFLINE_COMMANDS: &[&str] = &["decode", "policy", "sign", "keygen", "completions", "man"];

/// `serve`'s environment variables, `OIDCAT_<FLAG>` (for containers): every
/// `serve` option by its clap id, and whether its variable is a
/// comma-separated list. A flag given on the command line wins over its
/// variable (clap's `env`). Claim assertions and jq expressions may contain
/// commas, so their variables hold one value each.
pub const SERVE_ENV: &[(&str, &str, bool)] = &[
    ("issuer", "OIDCAT_ISSUER", false),
    ("jwks_uri", "OIDCAT_JWKS_URI", false),
    ("jwks_file", "OIDCAT_JWKS_FILE", false),
    ("key", "OIDCAT_KEY", false),
    ("secret_file", "OIDCAT_SECRET_FILE", false),
    ("secret_env", "OIDCAT_SECRET_ENV", false),
    ("audience", "OIDCAT_AUDIENCE", true),
    ("any_audience", "OIDCAT_ANY_AUDIENCE", false),
    ("alg", "OIDCAT_ALG", true),
    ("claim", "OIDCAT_CLAIM", false),
    ("require", "OIDCAT_REQUIRE", true),
    ("assert", "OIDCAT_ASSERT", false),
    ("leeway", "OIDCAT_LEEWAY", false),
    ("typ", "OIDCAT_TYP", false),
    ("max_age", "OIDCAT_MAX_AGE", false),
    ("no_require_exp", "OIDCAT_NO_REQUIRE_EXP", false),
    ("listen", "OIDCAT_LISTEN", false),
    ("forward_claim", "OIDCAT_FORWARD_CLAIM", true),
    ("workers", "OIDCAT_WORKERS", false),
    ("max_connections", "OIDCAT_MAX_CONNECTIONS", false),
    ("header_timeout", "OIDCAT_HEADER_TIMEOUT", false),
    ("cache_verified", "OIDCAT_CACHE_VERIFIED", false),
    ("repo", "OIDCAT_REPO", false),
    ("git_ref", "OIDCAT_REF", false),
    ("workflow", "OIDCAT_WORKFLOW", false),
    ("environment", "OIDCAT_ENVIRONMENT", false),
    ("event", "OIDCAT_EVENT", false),
    ("policy_file", "OIDCAT_POLICY", false),
    ("timeout", "OIDCAT_TIMEOUT", false),
    ("ca_file", "OIDCAT_CA_FILE", true),
    ("allow_http", "OIDCAT_ALLOW_HTTP", false),
    ("cache_dir", "OIDCAT_CACHE_DIR", false),
    ("no_cache", "OIDCAT_NO_CACHE", false),
    ("offline", "OIDCAT_OFFLINE", false),
];

/// A value parser that accepts any string but names the usual values, so
/// shell completions offer them (`--alg` the algorithms, `--issuer` the
/// presets) instead of file names. The real check happens later, with
/// messages of its own.
#[derive(Clone)]
struct Suggest(Vec<&'static str>);

impl clap::builder::TypedValueParser for Suggest {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            self.0.iter().map(|v| clap::builder::PossibleValue::new(*v)),
        ))
    }
}

/// Completion hints for every subcommand: `--alg` and `--issuer` offer their
/// values, and an option that takes no file says so (`ValueHint::Other`),
/// so completions never offer file names there. Options whose value names a
/// file (`PATH`, `DIR`, `*.json`, `*.jwk`), and the token (which may be
/// `@FILE`), keep file completion.
fn completion_values(mut cmd: clap::Command) -> clap::Command {
    let algs: Vec<&'static str> = crate::keys::Alg::ALL.iter().map(|a| a.name()).collect();
    let presets: Vec<&'static str> = crate::issuer::PRESETS.iter().map(|(p, _)| *p).collect();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |s| {
            // `mut_args` keeps the order (`mut_arg` moves an argument to the
            // end, and with it its heading in --help).
            s.mut_args(|a| {
                if !a.get_action().takes_values() {
                    return a;
                }
                let id = a.get_id().as_str().to_string();
                let names_file = a.get_value_names().into_iter().flatten().any(|v| {
                    let v = v.as_str();
                    v.contains("PATH")
                        || v.contains("DIR")
                        || v.ends_with(".json")
                        || v.ends_with(".jwk")
                });
                let keeps_files = names_file
                    || id == "token"
                    || a.get_value_hint() != clap::ValueHint::Unknown
                    || !a.get_possible_values().is_empty();
                match (name.as_str(), id.as_str()) {
                    (_, "alg") => a
                        .value_parser(Suggest(algs.clone()))
                        .hide_possible_values(true),
                    ("discover" | "verify" | "serve", "issuer") | (_, "expected_issuer") => a
                        .value_parser(Suggest(presets.clone()))
                        .hide_possible_values(true),
                    _ if keeps_files => a,
                    _ => a.value_hint(clap::ValueHint::Other),
                }
            })
        });
    }
    cmd
}

impl Cli {
    /// The whole command: the derived definition plus `serve`'s environment
    /// variables ([`SERVE_ENV`]), which live only on `serve` (the key-source
    /// and policy groups are shared with `verify`, which reads no variables).
    pub fn command() -> clap::Command {
        let mut cmd = <Self as clap::CommandFactory>::command();
        // Each subcommand gets its own copy of the network options before
        // clap propagates the global ones (it skips an id a subcommand
        // already has): visible where something is fetched, hidden
        // elsewhere. Values still reach `GlobalArgs` by id, wherever given.
        // The output options first, so `Output` comes before `Network and
        // cache` in each subcommand's help.
        let output: Vec<clap::Arg> = cmd
            .get_arguments()
            .filter(|a| a.get_help_heading() == Some(OUTPUT))
            .cloned()
            .collect();
        let network: Vec<clap::Arg> = cmd
            .get_arguments()
            .filter(|a| NETWORK_IDS.contains(&a.get_id().as_str()))
            .cloned()
            .collect();
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        for name in &names {
            let hide = OFFLINE_COMMANDS.contains(&name.as_str());
            cmd = cmd.mut_subcommand(name, |mut s| {
                for a in &output {
                    s = s.arg(a.clone());
                }
                for a in &network {
                    s = s.arg(a.clone().hide(hide));
                }
                s
            });
        }
        for id in NETWORK_IDS {
            cmd = cmd.mut_arg(*id, |a| a.hide(true));
        }
        let cmd = completion_values(cmd);
        cmd.mut_subcommand("serve", |s| {
            s.mut_args(
                |a| match SERVE_ENV.iter().find(|(id, _, _)| a.get_id() == *id) {
                    Some((_, var, true)) => a.env(*var).value_delimiter(','),
                    Some((_, var, false)) => a.env(*var),
                    None => a,
                },
            )
        })
    }

    /// clap over [`Cli::command`] (`Parser::try_parse_from` would miss the
    /// environment variables added there).
    pub fn try_parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        use clap::FromArgMatches;
        let mut matches = Self::command().try_get_matches_from(args)?;
        Cli::from_arg_matches_mut(&mut matches)
    }
}

impl Cli {
    /// Parses `args` like [`clap::Parser::try_parse_from`] does: a plain
    /// `verify` line through the hand reader [`fast::verify`], anything it
    /// is not sure of through clap (the reference, which owns every message).
    pub fn parse_args(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
        if let Some(cli) = fast::verify(&args) {
            return Ok(cli);
        }
        Cli::try_parse_from(args)
    }

    /// The reference parser alone (clap over the whole definition), the
    /// other side of [`fast::verify`] in equivalence tests and fuzzing.
    pub fn parse_reference(args: &[std::ffi::OsString]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(args)
    }
}
