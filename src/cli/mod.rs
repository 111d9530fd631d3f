//! The command line, as clap types only: no I/O here. Key-source and policy
//! options are defined once and flattened into both `verify` and `serve`, so
//! the two can never disagree about a flag. clap is the reference parser;
//! [`fast`] reads plain `verify` lines without building clap's command, and
//! its tests hold it to this definition.

mod command;
pub mod fast;

pub use command::{NETWORK_IDS, OFFLINE_COMMANDS, SERVE_ENV};

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

/// The examples ending each subcommand's `--help` (and its man page). Each
/// runs as shown from a clone of the repository (the files are its test
/// fixtures); the comment before a command says its exit status, which
/// tests/examples.rs checks by running every one.
pub mod examples;

/// The subcommands with a page of their own (`oidcat man SUBCOMMAND`);
/// commands::generate's tests hold it to the subcommand list.
pub const MAN_PAGES: [&str; 11] = [
    "discover",
    "jwks",
    "decode",
    "verify",
    "token",
    "serve",
    "policy",
    "sign",
    "keygen",
    "completions",
    "man",
];

/// Option headings in `--help` and the man pages.
pub const KEY_SOURCE: &str = "Key source";
pub const CHECKS: &str = "Checks";
pub const CLAIMS: &str = "Claim assertions";
pub const OUTPUT: &str = "Output";
pub const NETWORK: &str = "Network and cache";
pub const GITHUB: &str = "GitHub Actions";
pub const SERVER: &str = "Server";

/// `oidcat --version`: the version, then the commit and target triple the
/// binary was built from (build.rs); `-V` prints the first line only.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\ncommit: ",
    env!("OIDCAT_COMMIT"),
    "\ntarget: ",
    env!("OIDCAT_TARGET"),
);

/// Inspect and verify OpenID Connect tokens.
///
/// oidcat answers "what is in this token, and can I trust it?": `decode` shows
/// a JWT without checking it (and says so); `verify` checks its signature with
/// the issuer's keys, the issuer, audience, expiry and your claim assertions;
/// `serve` answers the same question over HTTP for gateways.
#[derive(Debug, Parser)]
#[command(name = "oidcat", version, long_version = LONG_VERSION, about, long_about, after_long_help = EXAMPLES, after_help = EXAMPLES)]
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
    #[arg(short, long, global = true, value_enum, default_value_t = OutputFormat::Text, help_heading = OUTPUT)]
    pub output: OutputFormat,
    /// Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, help_heading = OUTPUT)]
    pub color: ColorChoice,
    /// Print nothing on success; only the reason on failure (stderr).
    #[arg(short, long, global = true, conflicts_with = "verbose", help_heading = OUTPUT)]
    pub quiet: bool,
    /// Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr.
    #[arg(short, long, global = true, help_heading = OUTPUT)]
    pub verbose: bool,
    /// Seconds allowed for each HTTP request (connect, TLS, headers and body).
    #[arg(long, global = true, value_name = "SECS", default_value_t = 10, help_heading = NETWORK,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,
    /// Extra trusted root certificates (PEM), on top of the bundled Mozilla roots.
    /// SSL_CERT_FILE and SSL_CERT_DIR are added too.
    #[arg(long, global = true, value_name = "PATH", help_heading = NETWORK)]
    pub ca_file: Vec<PathBuf>,
    /// Permit http:// URLs to non-loopback hosts (loopback issuers never need it).
    #[arg(long, global = true, help_heading = NETWORK)]
    pub allow_http: bool,
    /// Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat].
    #[arg(long, global = true, value_name = "DIR", help_heading = NETWORK)]
    pub cache_dir: Option<PathBuf>,
    /// Neither read nor write the disk cache.
    #[arg(long, global = true, conflicts_with = "offline", help_heading = NETWORK)]
    pub no_cache: bool,
    /// Use only the disk cache, never the network (exit 3 on a miss). A stale
    /// entry is used with a warning.
    #[arg(long, global = true, help_heading = NETWORK)]
    pub offline: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch and check an issuer's discovery document.
    #[command(after_long_help = examples::DISCOVER)]
    Discover(DiscoverArgs),
    /// List an issuer's signing keys with thumbprints, certificate details and warnings.
    #[command(after_long_help = examples::JWKS)]
    Jwks(JwksArgs),
    /// Show a token's header and claims. Does NOT verify anything.
    #[command(after_long_help = examples::DECODE)]
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
    /// claims must be numbers in the years 1 to 9999 (null is not absence),
    /// exp rounds down and nbf/iat round up; iss, sub and jti must be
    /// strings; expired means now >= exp + leeway; an unknown kid refetches
    /// the key set once.
    #[command(after_long_help = examples::VERIFY)]
    Verify(Box<VerifyArgs>),
    /// Print this GitHub Actions job's OIDC token (needs `permissions: id-token: write`).
    #[command(after_long_help = examples::TOKEN)]
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
    #[command(after_long_help = examples::SERVE)]
    Serve(Box<ServeArgs>),
    /// Check a policy file (several issuers, per-route rules) without any network access.
    #[command(after_long_help = examples::POLICY)]
    Policy(PolicyCommand),
    /// Sign a JWT, for tests: prints a token made with your private key.
    ///
    /// For testing only (local services, CI fixtures): oidcat is a verifier,
    /// and this is a convenience, not an issuer. The key is a private PEM
    /// (PKCS#8, PKCS#1 RSA, SEC 1 EC) or a private JWK (`oidcat keygen`; an
    /// `oct` JWK for HS256/384/512). Claims come from CLAIMS.json or stdin
    /// (`-`), then the flags; `iat` is now and `exp` now + --exp-in unless
    /// given. --claim values are JSON when they parse as JSON, else strings.
    /// Prints the token alone; with `-o json`, `{"token": "..."}`.
    #[command(after_long_help = examples::SIGN)]
    Sign(SignArgs),
    /// Make a private key for tests (`oidcat sign`), or print a key's public JWKS.
    ///
    /// For testing only. `--alg ALG` prints a new private JWK with `alg`,
    /// `kid` (default: its RFC 7638 thumbprint) and `use: sig`; `--public
    /// PRIVATE.jwk` prints the public key set of that private key, for
    /// `verify --jwks-file`.
    #[command(after_long_help = examples::KEYGEN)]
    Keygen(KeygenArgs),
    /// Print a shell completion script.
    #[command(after_long_help = examples::COMPLETIONS)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff): oidcat(1), or oidcat-SUBCOMMAND(1).
    #[command(after_long_help = examples::MAN)]
    Man {
        /// The subcommand whose page to print (`verify` is oidcat-verify(1)).
        #[arg(value_name = "SUBCOMMAND", value_parser = MAN_PAGES)]
        subcommand: Option<String>,
    },
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
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    pub issuer: Option<String>,
    /// Check a saved discovery document offline (its own `issuer` is expected
    /// unless --issuer names one).
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// With --file: the issuer the document must name (URL or preset).
    #[arg(long = "issuer", value_name = "ISSUER", requires = "file")]
    pub expected_issuer: Option<String>,
    /// Print the document exactly as fetched.
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Args)]
pub struct JwksArgs {
    /// An issuer (URL or preset: github, gitlab, google: discovery, then its
    /// jwks_uri), a key set URL, or a key set file. An existing file is a
    /// file; a URL without a discovery document that serves a key set is a
    /// key set URL.
    #[arg(value_name = "ISSUER|URL|PATH", required_unless_present_any = ["jwks_uri", "jwks_file"], conflicts_with_all = ["jwks_uri", "jwks_file"])]
    pub issuer: Option<String>,
    /// Fetch the key set from this URL.
    #[arg(long, value_name = "URL", conflicts_with = "jwks_file")]
    pub jwks_uri: Option<String>,
    /// Read the key set from a file (`--file` is an alias).
    #[arg(long, value_name = "PATH", alias = "file")]
    pub jwks_file: Option<PathBuf>,
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
#[command(next_help_heading = KEY_SOURCE)]
pub struct KeySourceArgs {
    /// Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it.
    #[arg(long, visible_alias = "iss", value_name = "ISSUER")]
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
#[command(next_help_heading = CHECKS)]
pub struct PolicyArgs {
    /// Accepted audience (repeatable): the token's `aud` must hold one of them.
    #[arg(long, visible_alias = "aud", value_name = "AUD")]
    pub audience: Vec<String>,
    /// Accept any audience (required when no --audience is given).
    #[arg(long, conflicts_with = "audience")]
    pub any_audience: bool,
    /// Allowed algorithm (repeatable) [default: RS256 RS384 RS512 PS256 PS384
    /// PS512 ES256 ES384 ES512 ES256K EdDSA; HS* only with a secret; ML-DSA-44/65/87
    /// only when named]. `none` is never accepted.
    #[arg(long, value_name = "ALG")]
    pub alg: Vec<String>,
    /// Claim assertion: NAME=VALUE, NAME!=VALUE, NAME~GLOB, NAME!~GLOB (repeatable).
    /// GLOB: `*` any run (also `/`), `?` one character; anchored. Dotted NAME
    /// reaches into objects. A missing claim fails all four.
    #[arg(long, value_name = "ASSERTION", help_heading = CLAIMS)]
    pub claim: Vec<String>,
    /// The claim must be present (repeatable).
    #[arg(long, value_name = "NAME", help_heading = CLAIMS)]
    pub require: Vec<String>,
    /// jq expression over the claims (`$header` is the header); holds when it
    /// yields only `true` (repeatable).
    #[arg(long, value_name = "EXPR", help_heading = CLAIMS)]
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
    #[command(flatten)]
    pub ci: CiArgs,
}

/// Typed claim checks for tokens of a CI issuer (`--issuer github`, a GitHub
/// Enterprise issuer under https://token.actions.githubusercontent.com/, or
/// `--issuer gitlab`); any other issuer: use --claim. Each value is an
/// anchored glob, like `--claim NAME~GLOB`, and each is its own claim check.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = CLAIMS)]
pub struct CiArgs {
    /// The repository: GitHub `repository`, GitLab `project_path` (OWNER/NAME).
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// The ref: GitHub `ref`, a full ref (refs/heads/main); GitLab `ref`, a
    /// branch or tag name (main).
    #[arg(long = "ref", value_name = "REF")]
    pub git_ref: Option<String>,
    /// The workflow: GitHub `job_workflow_ref`
    /// (OWNER/REPO/.github/workflows/FILE@REF); GitLab `ci_config_ref_uri`.
    #[arg(long, value_name = "REF")]
    pub workflow: Option<String>,
    /// The deployment environment: `environment` (absent on a job without one).
    #[arg(long, value_name = "NAME")]
    pub environment: Option<String>,
    /// The event that started the run: GitHub `event_name`, GitLab `pipeline_source`.
    #[arg(long, value_name = "NAME")]
    pub event: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The token: a JWT, `-` for stdin, or @FILE (stdin when omitted and not a terminal).
    pub token: Option<String>,
    #[command(flatten)]
    pub keys: KeySourceArgs,
    /// Discover keys from the token's own `iss`. Proves the token is
    /// consistent with that issuer, NOT that you should trust the issuer.
    #[arg(long, conflicts_with_all = ["issuer", "jwks_uri", "jwks_file", "key", "secret_file", "secret_env"], help_heading = KEY_SOURCE)]
    pub issuer_from_token: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Evaluate time claims at this instant (Unix seconds or RFC 3339).
    #[arg(long, value_name = "TIME", help_heading = CHECKS)]
    pub now: Option<String>,
    /// In GitHub Actions: append the checks and claims to $GITHUB_STEP_SUMMARY.
    #[arg(long, help_heading = GITHUB)]
    pub github_summary: bool,
    /// In GitHub Actions: write this claim of a valid token to $GITHUB_OUTPUT (repeatable).
    #[arg(long, value_name = "NAME", help_heading = GITHUB)]
    pub github_output: Vec<String>,
    /// Decide with this policy file (issuers, keys and routes; docs/policy.md)
    /// instead of the key-source and check flags.
    #[arg(long = "policy", value_name = "FILE")]
    pub policy_file: Option<PathBuf>,
    /// With --policy: the request path to decide for (the first matching route applies).
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
    /// With --policy --path: the request's host.
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
    /// With --policy --path: the request's method.
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,
}

/// `oidcat policy ...`
#[derive(Debug, Args)]
pub struct PolicyCommand {
    #[command(subcommand)]
    pub command: PolicySub,
}

#[derive(Debug, Subcommand)]
pub enum PolicySub {
    /// Read a policy file strictly and summarise it: exit 0 with warnings
    /// for risky settings, or exit 2 with FILE:LINE:COL for each problem.
    Check {
        /// The policy file (TOML).
        file: PathBuf,
    },
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
    /// Address to listen on: HOST:PORT, an IP address or a host name
    /// (`0.0.0.0:8080` in a container, `[::1]:8080`, `localhost:8080`).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080", help_heading = SERVER)]
    pub listen: String,
    /// Forward this claim as X-Auth-Request-Claim-<Name> on 200 (repeatable; dotted paths allowed).
    #[arg(long, value_name = "NAME", help_heading = SERVER)]
    pub forward_claim: Vec<String>,
    /// Worker threads of the server runtime.
    #[arg(long, value_name = "N", default_value_t = 2, help_heading = SERVER,
          value_parser = clap::value_parser!(u64).range(1..=64))]
    pub workers: u64,
    /// Most connections served at once; more wait in the accept queue.
    #[arg(long, value_name = "N", default_value_t = 4096, help_heading = SERVER,
          value_parser = clap::value_parser!(u64).range(1..=100000))]
    pub max_connections: u64,
    /// Seconds a client may take to send a request's headers, counted from connecting
    /// or from its previous answer: slow and idle connections are closed after it.
    #[arg(long, value_name = "SECS", default_value_t = 5, help_heading = SERVER,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub header_timeout: u64,
    /// Serve every issuer and route of this policy file (docs/policy.md) instead of
    /// the key-source and check flags; reloaded on SIGHUP and when it changes.
    #[arg(long = "policy", value_name = "FILE")]
    pub policy_file: Option<PathBuf>,
    /// Cache this many verified tokens (keyed by a SHA-256 of the whole token) until
    /// their exp or the next key-set change. 0 = off.
    #[arg(long, value_name = "N", default_value_t = 0, help_heading = SERVER)]
    pub cache_verified: usize,
}

#[cfg(test)]
mod tests;
