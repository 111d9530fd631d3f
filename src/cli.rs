//! The command line, as clap types only: no I/O here. Key-source and policy
//! options are defined once and flattened into both `verify` and `serve`, so
//! the two can never disagree about a flag.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  oidcat decode @tests/fixtures/github/expired.jwt     # what is inside (not verified)
  oidcat decode --claims @token.jwt | jq .repository
  oidcat discover github                               # check an issuer's discovery document
  oidcat jwks github --pem                             # its keys, as PEM
  oidcat verify --issuer github --audience sts.amazonaws.com \\
      --claim repository=acme/app --claim 'ref~refs/heads/*' < token.jwt
  oidcat token --audience my-api | oidcat verify --issuer github --audience my-api
  oidcat serve --issuer github --audience my-api --listen 127.0.0.1:8080

Exit codes: 0 valid/success, 1 rejected, 2 usage error, 3 could not decide
(network, TLS, bad discovery or key set, --offline cache miss, I/O).";

/// Inspect and verify OpenID Connect tokens.
///
/// oidcat answers "what is in this token, and can I trust it?": `decode` shows
/// a JWT without checking it (and says so); `verify` checks its signature with
/// the issuer's keys, the issuer, audience, expiry and your claim assertions;
/// `serve` answers the same question over HTTP for gateways.
#[derive(Debug, Parser)]
#[command(name = "oidcat", version, about, long_about, after_long_help = EXAMPLES, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Output format: JSON is one document on stdout, also on failure.
    #[arg(short, long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing on success; only the reason on failure (stderr).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Seconds allowed for each HTTP request (connect, TLS, headers and body).
    #[arg(long, global = true, value_name = "SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,
    /// Extra trusted root certificates (PEM), on top of the bundled Mozilla roots.
    /// SSL_CERT_FILE and SSL_CERT_DIR are added too.
    #[arg(long, global = true, value_name = "PATH")]
    pub ca_file: Vec<PathBuf>,
    /// Permit http:// URLs to non-loopback hosts (loopback issuers never need it).
    #[arg(long, global = true)]
    pub allow_http: bool,
    /// Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat].
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Neither read nor write the disk cache.
    #[arg(long, global = true, conflicts_with = "offline")]
    pub no_cache: bool,
    /// Use only the disk cache, never the network (exit 3 on a miss). A stale
    /// entry is used with a warning.
    #[arg(long, global = true)]
    pub offline: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch and check an issuer's discovery document.
    Discover(DiscoverArgs),
    /// List an issuer's signing keys with thumbprints, certificate details and warnings.
    Jwks(JwksArgs),
    /// Show a token's header and claims. Does NOT verify anything.
    Decode(DecodeArgs),
    /// Verify a token: signature, issuer, audience, time, and your assertions.
    ///
    /// Every check is run and reported; `error.kind` is the first failure in
    /// the order input, algorithm, key, signature, issuer, audience, time,
    /// type, claims. Exit 0 valid, 1 rejected, 2 usage, 3 could not decide.
    ///
    /// Rules oidcat applies where standards leave a choice: keys never come
    /// from the token (jwk, jku, x5u, x5c are ignored); a JWK's alg, use,
    /// key_ops and crv are enforced; symmetric keys and keys with private
    /// members are dropped from key sets; RSA keys must be 2048-8192 bits;
    /// small-order Ed25519 keys are refused; no `crit` extension is
    /// implemented, so any `crit` or `b64` header is rejected; nested JWTs
    /// (cty: JWT) are rejected; duplicate JSON members are rejected; time
    /// claims must be numbers and are rounded down; expired means
    /// now >= exp + leeway; an unknown kid refetches the key set once.
    Verify(Box<VerifyArgs>),
    /// Print this GitHub Actions job's OIDC token (needs `permissions: id-token: write`).
    Token(TokenArgs),
    /// Answer "is this bearer token good?" over HTTP, for gateways.
    ///
    /// GET/POST/HEAD /verify (and /verify/...) reads `Authorization: Bearer`
    /// and answers 200 (valid; X-Auth-Request-User/-Email/-Preferred-Username/
    /// -Groups and X-Auth-Request-Claim-<Name> headers), 401 (no, invalid or
    /// malformed token, with an RFC 6750 WWW-Authenticate challenge), 403 (a
    /// valid token failing the audience or a claim assertion), or 503 (no key
    /// set could be had). The body is always the `verify -o json` document,
    /// never the token. GET /healthz, /readyz (200 once keys are loaded) and
    /// /metrics (Prometheus). Keys are loaded before listening, refreshed when
    /// their max-age runs out, refetched on an unknown kid at most every 30 s,
    /// and kept when a refresh fails. One access-log line per request on
    /// stderr, never the token, written in batches every 20 ms (-q: none).
    /// SIGTERM/SIGINT shut down gracefully.
    Serve(Box<ServeArgs>),
    /// Sign a JWT, for tests: prints a token made with your private key.
    ///
    /// For testing only (local services, CI fixtures): oidcat is a verifier,
    /// and this is a convenience, not an issuer. The key is a private PEM
    /// (PKCS#8, PKCS#1 RSA, SEC 1 EC) or a private JWK (`oidcat keygen`; an
    /// `oct` JWK for HS256/384/512). Claims come from CLAIMS.json or stdin
    /// (`-`), then the flags; `iat` is now and `exp` now + --exp-in unless
    /// given. --claim values are JSON when they parse as JSON, else strings.
    /// Prints the token alone; with `-o json`, `{"token": "..."}`.
    Sign(SignArgs),
    /// Make a private key for tests (`oidcat sign`), or print a key's public JWKS.
    ///
    /// For testing only. `--alg ALG` prints a new private JWK with `alg`,
    /// `kid` (default: its RFC 7638 thumbprint) and `use: sig`; `--public
    /// PRIVATE.jwk` prints the public key set of that private key, for
    /// `verify --jwks-file`.
    Keygen(KeygenArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// Private key: PEM (PKCS#8, RSA or EC) or JWK (`oidcat keygen`).
    #[arg(long, value_name = "PATH")]
    pub key: PathBuf,
    /// Algorithm [default: the JWK's `alg`, else RS256, ES256/384/512,
    /// ES256K, EdDSA, ML-DSA-* or HS256 by key type].
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// Header `kid` [default: the JWK's `kid`; none for a PEM key].
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,
    /// `iss` claim.
    #[arg(long, value_name = "ISS")]
    pub iss: Option<String>,
    /// `aud` claim (repeat for an array).
    #[arg(long, value_name = "AUD")]
    pub aud: Vec<String>,
    /// `sub` claim.
    #[arg(long, value_name = "SUB")]
    pub sub: Option<String>,
    /// Lifetime: `exp` = now + DURATION (`90`, `90s`, `15m`, `2h`, `7d`; at most 3650d).
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub exp_in: String,
    /// A claim, NAME=VALUE; VALUE is JSON when it parses as JSON, else a string. Repeatable.
    #[arg(long = "claim", value_name = "NAME=VALUE")]
    pub claims: Vec<String>,
    /// A JSON object of claims, or `-` for stdin.
    #[arg(value_name = "CLAIMS.json")]
    pub claims_file: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Algorithm of the new key (RS*, PS*, ES256/384/512, ES256K, EdDSA, ML-DSA-44/65/87, HS*).
    #[arg(
        long,
        value_name = "ALG",
        required_unless_present = "public",
        conflicts_with = "public"
    )]
    pub alg: Option<String>,
    /// `kid` of the new key [default: its RFC 7638 thumbprint].
    #[arg(long, value_name = "KID", conflicts_with = "public")]
    pub kid: Option<String>,
    /// Print the public key set (JWKS) of this private JWK instead.
    #[arg(long, value_name = "PRIVATE.jwk")]
    pub public: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Issuer URL, or a preset: github, gitlab, google.
    pub issuer: String,
    /// Print the document exactly as fetched.
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Args)]
pub struct JwksArgs {
    /// Issuer URL or preset (github, gitlab, google): discovery, then its jwks_uri.
    #[arg(required_unless_present_any = ["jwks_uri", "file"], conflicts_with_all = ["jwks_uri", "file"])]
    pub issuer: Option<String>,
    /// Fetch the key set from this URL.
    #[arg(long, value_name = "URL", conflicts_with = "file")]
    pub jwks_uri: Option<String>,
    /// Read the key set from a file.
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Print the public keys as SPKI PEM (only the key with this kid, if given).
    #[arg(long, value_name = "KID", num_args = 0..=1, default_missing_value = "")]
    pub pem: Option<String>,
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The token: a JWT, `-` for stdin, or @FILE. Read from stdin when omitted
    /// and stdin is not a terminal. Bearer prefixes, Authorization lines and
    /// JSON token responses are unwrapped.
    pub token: Option<String>,
    /// Print only the header, as JSON.
    #[arg(long, conflicts_with = "claims")]
    pub header: bool,
    /// Print only the claims, as JSON (for jq).
    #[arg(long)]
    pub claims: bool,
    /// The clock for relative times: Unix seconds or RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

/// Where verification keys come from. Exactly one source; `--issuer` may be
/// combined with another source, and then only pins `iss`.
#[derive(Debug, Clone, Args)]
pub struct KeySourceArgs {
    /// Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it.
    #[arg(long, value_name = "ISSUER")]
    pub issuer: Option<String>,
    /// Key set URL (skips discovery).
    #[arg(long, value_name = "URL", conflicts_with_all = ["jwks_file", "key", "secret_file", "secret_env"])]
    pub jwks_uri: Option<String>,
    /// Key set file (JWKS JSON).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["key", "secret_file", "secret_env"])]
    pub jwks_file: Option<PathBuf>,
    /// One public key: PEM (SPKI or RSA PUBLIC KEY), an X.509 certificate, or a JWK.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["secret_file", "secret_env"])]
    pub key: Option<PathBuf>,
    /// HMAC secret file (raw bytes). Only then are HS256/HS384/HS512 allowed.
    #[arg(long, value_name = "PATH", conflicts_with = "secret_env")]
    pub secret_file: Option<PathBuf>,
    /// HMAC secret from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
}

/// The checks applied to a token, shared by `verify` and `serve`.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// Accepted audience (repeatable): the token's `aud` must hold one of them.
    #[arg(long, value_name = "AUD")]
    pub audience: Vec<String>,
    /// Accept any audience (required when no --audience is given).
    #[arg(long, conflicts_with = "audience")]
    pub any_audience: bool,
    /// Allowed algorithm (repeatable) [default: RS256 RS384 RS512 PS256 PS384
    /// PS512 ES256 ES384 EdDSA; HS* only with a secret]. `none` is never accepted.
    #[arg(long, value_name = "ALG")]
    pub alg: Vec<String>,
    /// Claim assertion: NAME=VALUE, NAME!=VALUE, NAME~GLOB, NAME!~GLOB (repeatable).
    /// GLOB: `*` any run (also `/`), `?` one character; anchored. Dotted NAME
    /// reaches into objects. A missing claim fails all four.
    #[arg(long, value_name = "ASSERTION")]
    pub claim: Vec<String>,
    /// The claim must be present (repeatable).
    #[arg(long, value_name = "NAME")]
    pub require: Vec<String>,
    /// jq expression over the claims (`$header` is the header); holds when it
    /// yields only `true` (repeatable).
    #[arg(long, value_name = "EXPR")]
    pub assert: Vec<String>,
    /// Clock skew allowed on exp, nbf and iat, in seconds (at most 600).
    #[arg(long, value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(0..=600))]
    pub leeway: u64,
    /// Required header `typ` (case-insensitive; `application/` optional), e.g. at+jwt.
    #[arg(long, value_name = "TYP")]
    pub typ: Option<String>,
    /// Reject tokens whose `iat` is older than this many seconds (requires iat).
    #[arg(long, value_name = "SECS")]
    pub max_age: Option<u64>,
    /// Accept tokens without `exp` (they never expire: think twice).
    #[arg(long)]
    pub no_require_exp: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The token: a JWT, `-` for stdin, or @FILE (stdin when omitted and not a terminal).
    pub token: Option<String>,
    #[command(flatten)]
    pub keys: KeySourceArgs,
    /// Discover keys from the token's own `iss`. Proves the token is
    /// consistent with that issuer, NOT that you should trust the issuer.
    #[arg(long, conflicts_with_all = ["issuer", "jwks_uri", "jwks_file", "key", "secret_file", "secret_env"])]
    pub issuer_from_token: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Evaluate time claims at this instant (Unix seconds or RFC 3339).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// In GitHub Actions: append the checks and claims to $GITHUB_STEP_SUMMARY.
    #[arg(long)]
    pub github_summary: bool,
    /// In GitHub Actions: write this claim of a valid token to $GITHUB_OUTPUT (repeatable).
    #[arg(long, value_name = "NAME")]
    pub github_output: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The audience to request (`aud` of the token).
    #[arg(long, value_name = "AUD")]
    pub audience: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub keys: KeySourceArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Forward this claim as X-Auth-Request-Claim-<Name> on 200 (repeatable; dotted paths allowed).
    #[arg(long, value_name = "NAME")]
    pub forward_claim: Vec<String>,
    /// Worker threads of the server runtime.
    #[arg(long, value_name = "N", default_value_t = 2,
          value_parser = clap::value_parser!(u64).range(1..=64))]
    pub workers: u64,
    /// Most connections served at once; more wait in the accept queue.
    #[arg(long, value_name = "N", default_value_t = 4096,
          value_parser = clap::value_parser!(u64).range(1..=100000))]
    pub max_connections: u64,
    /// Seconds a client may take to send its request headers (slow clients are cut off).
    #[arg(long, value_name = "SECS", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub header_timeout: u64,
    /// Cache this many verified tokens (keyed by a SHA-256 of the whole token) until
    /// their exp or the next key-set change. 0 = off.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub cache_verified: usize,
}

impl Cli {
    pub fn command() -> clap::Command {
        <Self as clap::CommandFactory>::command()
    }
}

/// Start-up fast path for `oidcat verify`, the one-shot hot path: clap derive
/// builds every subcommand's arguments on each run, and for a cached verify
/// that was about a third of the process's instructions. This parser holds
/// only the global options and `verify`, defined by the very same `GlobalArgs`
/// and `VerifyArgs`, so whatever it accepts the full [`Cli`] parses to the
/// same values. It is only trusted on success: on any error (another
/// subcommand, --help, --version, a usage error) the caller parses again with
/// the full [`Cli`], which owns every message the user sees.
#[derive(Debug, Parser)]
#[command(name = "oidcat")]
pub struct VerifyCli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: VerifyOnly,
}

#[derive(Debug, Subcommand)]
pub enum VerifyOnly {
    /// See `Command::Verify`.
    Verify(Box<VerifyArgs>),
}

impl Cli {
    /// Parses `args` like [`clap::Parser::try_parse_from`] does: a plain
    /// `verify` line through [`crate::fastargs`], then through the small
    /// [`VerifyCli`] when the line names `verify`, else the full parser.
    pub fn parse_args(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
        if let Some(cli) = crate::fastargs::verify(&args) {
            return Ok(cli);
        }
        if args.iter().skip(1).any(|a| a == "verify")
            && let Ok(VerifyCli {
                global,
                command: VerifyOnly::Verify(v),
            }) = VerifyCli::try_parse_from(&args)
        {
            return Ok(Cli {
                global,
                command: Command::Verify(v),
            });
        }
        Cli::try_parse_from(args)
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        super::Cli::command().debug_assert();
        super::VerifyCli::command().debug_assert();
    }

    fn parse(line: &str) -> Result<super::Cli, clap::Error> {
        super::Cli::parse_args(line.split_whitespace().map(Into::into).collect())
    }

    /// Lines the hand reader leaves to clap still take the verify-only clap
    /// parser, which agrees with the full one.
    #[test]
    fn verify_clap_fast_path_matches_full_parser() {
        use clap::Parser;
        for line in [
            "oidcat verify --any-audience --issuer github -- t",
            "oidcat -ojson verify --issuer github --any-audience t",
            "oidcat verify --jwks-file k.json --any-audience --typ - t",
            "oidcat verify --key k.pem --audience a --quiet --require=sub -- -",
        ] {
            assert!(crate::fastargs::verify(&split(line)).is_none(), "{line}");
            let fast = parse(line).unwrap();
            let full = super::Cli::try_parse_from(line.split_whitespace()).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{line}");
        }
    }

    fn split(line: &str) -> Vec<std::ffi::OsString> {
        line.split_whitespace().map(Into::into).collect()
    }

    /// What the hand reader accepts, clap parses to the same value.
    fn same_as_clap(line: &[std::ffi::OsString]) -> bool {
        use clap::Parser;
        let Some(fast) = crate::fastargs::verify(line) else {
            return false;
        };
        match super::Cli::try_parse_from(line) {
            Ok(full) => assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{line:?}"),
            Err(e) => panic!("the hand reader accepted what clap refuses: {line:?}: {e}"),
        }
        true
    }

    #[test]
    fn hand_reader_matches_clap() {
        for line in [
            "oidcat verify --issuer github --audience a t",
            "oidcat -o json verify --issuer github --any-audience --quiet t",
            "oidcat --cache-dir /tmp/c verify --jwks-file k.json --claim a=b --claim c~d* --leeway 5 t",
            "oidcat verify --offline --timeout 3 --color never --alg RS256 --now 1700000000 -",
            "oidcat --timeout 7 verify --key k.pem --require sub --typ at+jwt --max-age 60",
            "oidcat verify t --issuer=https://x.example --audience=a=b -v --output=json",
            "oidcat verify --issuer-from-token --any-audience --no-require-exp --github-summary --github-output sub t",
            "oidcat verify --secret-env S --assert .a --ca-file a.pem --ca-file b.pem --allow-http --no-cache verify",
        ] {
            assert!(same_as_clap(&split(line)), "{line}");
        }
        for doubt in [
            "oidcat verify --help",
            "oidcat --version verify",
            "oidcat verify --nope t",
            "oidcat verify --leeway 9999 t",
            "oidcat verify --leeway +5 t",
            "oidcat verify --timeout 0 t",
            "oidcat verify --timeout 301 t",
            "oidcat verify --quiet --verbose t",
            "oidcat verify --issuer a --issuer b t",
            "oidcat verify --jwks-file a --key b t",
            "oidcat verify -qv t",
            "oidcat verify -- t",
            "oidcat verify a b",
            "oidcat --issuer a verify t",
            "oidcat decode verify",
            "oidcat --cache-dir verify jwks github",
            "oidcat verify --claim -x t",
            "oidcat verify --quiet=true t",
            "oidcat verify --output yaml t",
        ] {
            assert!(!same_as_clap(&split(doubt)), "{doubt}");
        }
        // a value that is not UTF-8 is left to clap
        use std::os::unix::ffi::OsStringExt;
        let not_utf8 = std::ffi::OsString::from_vec(vec![b'x', 0xff]);
        let line = ["oidcat".into(), "verify".into(), "--any-audience".into()];
        assert!(same_as_clap(&line));
        let mut bad = line.to_vec();
        bad.push(not_utf8);
        assert!(crate::fastargs::verify(&bad).is_none());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, .. Default::default() })]
        /// Random lines over the options' names and tricky values: whatever
        /// the hand reader accepts, clap parses to the same value.
        #[test]
        fn hand_reader_agrees_on_random_lines(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "verify", "verify", "t", "-", "--", "-q", "-v", "-o", "json", "text", "x", "-x", "5", "0", "601", "",
                "--issuer", "--jwks-uri", "--jwks-file", "--key", "--secret-file", "--secret-env",
                "--issuer-from-token", "--audience", "--any-audience", "--alg", "--claim", "--require",
                "--assert", "--leeway", "--typ", "--max-age", "--no-require-exp", "--now",
                "--github-summary", "--github-output", "--output", "--color", "never", "--quiet",
                "--verbose", "--timeout", "--ca-file", "--allow-http", "--cache-dir", "--no-cache",
                "--offline", "--leeway=7", "--issuer=a", "--output=json", "--help", "decode",
                "--timeout=301", "--timeout=300", "--leeway=601", "--max-age=18446744073709551616",
            ]), 0..10),
        ) {
            let mut line: Vec<std::ffi::OsString> = vec!["oidcat".into()];
            line.extend(words.iter().map(|w| std::ffi::OsString::from(*w)));
            same_as_clap(&line);
        }
    }

    /// Lines built from whole options with plausible and edge values (so many
    /// are accepted): whatever the hand reader accepts, clap parses to the
    /// same value, and the reader does answer for a good share of them.
    #[test]
    fn hand_reader_agrees_on_plausible_lines() {
        const PIECES: &[&[&str]] = &[
            &["--issuer", "github"],
            &["--issuer=https://a.example"],
            &["--jwks-uri", "https://a/j"],
            &["--jwks-file", "k.json"],
            &["--key", "k.pem"],
            &["--secret-file", "s"],
            &["--secret-env", "S"],
            &["--issuer-from-token"],
            &["--audience", "api"],
            &["--audience=b"],
            &["--any-audience"],
            &["--alg", "RS256"],
            &["--claim", "a=b"],
            &["--claim=sub~x*"],
            &["--require", "sub"],
            &["--assert", ".a"],
            &["--leeway", "5"],
            &["--leeway", "600"],
            &["--leeway", "601"],
            &["--typ", "at+jwt"],
            &["--max-age", "60"],
            &["--no-require-exp"],
            &["--now", "1700000000"],
            &["--github-summary"],
            &["--github-output", "sub"],
            &["-o", "json"],
            &["--output=text"],
            &["--color", "never"],
            &["--color", "sometimes"],
            &["-q"],
            &["-v"],
            &["--timeout", "0"],
            &["--timeout", "300"],
            &["--ca-file", "a.pem"],
            &["--allow-http"],
            &["--cache-dir", "/c"],
            &["--no-cache"],
            &["--offline"],
            &["t"],
            &["-"],
            &["--"],
            &["-qv"],
            &["--help"],
            &["--nope"],
            &["decode"],
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let (mut accepted, runs) = (0, 2000);
        for _ in 0..runs {
            let mut line: Vec<std::ffi::OsString> = vec!["oidcat".into()];
            for _ in 0..next(3) {
                line.extend(PIECES[next(PIECES.len())].iter().map(Into::into));
            }
            if next(8) > 0 {
                line.push("verify".into());
            }
            for _ in 0..next(6) {
                line.extend(PIECES[next(PIECES.len())].iter().map(Into::into));
            }
            accepted += usize::from(same_as_clap(&line));
        }
        assert!(
            accepted * 10 >= runs,
            "only {accepted} of {runs} lines read by hand"
        );
    }

    /// Every option clap defines for `verify` is known to the hand reader, so
    /// a new option cannot be silently mis-read (it would be refused anyway,
    /// but then `verify` lines with it take the slow path).
    #[test]
    fn hand_reader_knows_every_verify_option() {
        let cmd = super::VerifyCli::command();
        let verify = cmd.find_subcommand("verify").unwrap();
        for arg in cmd.get_arguments().chain(verify.get_arguments()) {
            if let Some(long) = arg.get_long()
                && !["help", "version"].contains(&long)
            {
                assert!(crate::fastargs::known(long).is_some(), "--{long}");
            }
        }
    }

    /// Whatever the fast path does not accept falls back to the full parser,
    /// errors and all.
    #[test]
    fn verify_fast_path_falls_back() {
        use clap::error::ErrorKind;
        for (line, kind) in [
            ("oidcat verify --help", ErrorKind::DisplayHelp),
            ("oidcat --version verify", ErrorKind::DisplayVersion),
            ("oidcat verify --nope t", ErrorKind::UnknownArgument),
            ("oidcat verify --leeway 9999 t", ErrorKind::ValueValidation),
            (
                "oidcat verify --quiet --verbose t",
                ErrorKind::ArgumentConflict,
            ),
        ] {
            assert_eq!(parse(line).unwrap_err().kind(), kind, "{line}");
        }
        assert!(matches!(
            parse("oidcat decode verify").unwrap().command,
            super::Command::Decode(_)
        ));
        assert!(matches!(
            parse("oidcat --cache-dir verify jwks github")
                .unwrap()
                .command,
            super::Command::Jwks(_)
        ));
    }
}
