//! The GitHub Action (`action.yml`) and its scripts, run here as a runner
//! would run them (docs/github-actions.md):
//! - `scripts/install-action.sh` against a loopback HTTP server laid out like
//!   a release (`scripts/pack-release.sh` packs the debug binary the way the
//!   release does): it installs and runs the binary, reuses the tool cache, and
//!   fails with a clear message on a checksum mismatch, a missing asset and an
//!   unknown OS or architecture, without running or installing anything before
//!   the checksum is checked;
//! - `scripts/verify-action.sh` with a stand-in of the runner's token endpoint:
//!   outputs, summary, the `valid` output, and the token kept out of the log;
//! - `action.yml` itself: its outputs match what the scripts write, and no
//!   input is spliced into a `run:` script.
//!
//! Servers listen on 127.0.0.1 only; every loop is bounded in count and time.

#[path = "support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{Value, json};

use support::fixtures::{now, repo_file as root};
use support::issuer::{Reply, Server};
use support::signing::token_kid;

const LINUX_X64_ASSET: &str = "oidcat-x86_64-unknown-linux-musl.tar.xz";
const WINDOWS_ASSET: &str = "oidcat-x86_64-pc-windows-msvc.zip";
const VERSION: &str = "0.0.1-test";

// ---------------------------------------------------------------------------
// A release on 127.0.0.1 (plus, for the verify step, the runner's token
// endpoint).

/// What the server answers at `/token` (the runner's OIDC token endpoint):
/// the JWT, given the runner's request token as Bearer.
#[derive(Clone)]
struct TokenEndpoint {
    request_token: String,
    jwt: String,
}

/// Serves the files under `dir` by their path (404 for anything else), and
/// `/token` when `token` is given.
fn release_server(dir: &Path, token: Option<TokenEndpoint>) -> Server {
    let dir = dir.to_path_buf();
    Server::with_handler(Duration::from_secs(5), move |req| {
        if req.path == "/token"
            && let Some(t) = &token
        {
            return if req.header("authorization") == Some(&format!("Bearer {}", t.request_token)) {
                Reply::value(&json!({ "value": t.jwt }))
            } else {
                Reply::status(401)
            };
        }
        if req.path.split('/').any(|seg| seg == "..") {
            return Reply::status(400);
        }
        match std::fs::read(dir.join(req.path.trim_start_matches('/'))) {
            Ok(bytes) => Reply::json(bytes).header("Content-Type", "application/octet-stream"),
            Err(_) => Reply::status(404),
        }
    })
}

// ---------------------------------------------------------------------------
// Release layouts.

/// The debug binary, stripped when `strip` is there (a smaller archive packs
/// faster), copied once per test run.
fn real_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("oidcat-action-bin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let copy = dir.join("oidcat");
        std::fs::copy(env!("CARGO_BIN_EXE_oidcat"), &copy).unwrap();
        // Best effort: an unstripped binary works too, only slower to pack.
        let _ = Command::new("strip").arg(&copy).output();
        copy
    })
}

/// A stand-in binary that records that it was run (in `$OIDCAT_RAN_MARKER`).
fn stub_binary(dir: &Path) -> PathBuf {
    let p = dir.join("stub-oidcat");
    std::fs::write(
        &p,
        "#!/bin/sh\n[ -n \"$OIDCAT_RAN_MARKER\" ] && echo ran >>\"$OIDCAT_RAN_MARKER\"\necho \"oidcat 0.0.1-stub\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    p
}

fn pack(binary: &Path, asset: &str, release_dir: &Path) {
    let out = Command::new("bash")
        .arg(root("scripts/pack-release.sh"))
        .arg(binary)
        .arg(asset)
        .arg(VERSION)
        .arg(release_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pack-release.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn asset_path(release_dir: &Path, asset: &str) -> PathBuf {
    release_dir.join(format!("v{VERSION}")).join(asset)
}

// ---------------------------------------------------------------------------
// Running the install script as the runner would.

struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        Runner {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }
    fn read(&self, p: &str) -> String {
        std::fs::read_to_string(self.path(p)).unwrap_or_default()
    }
    fn tool_dir(&self) -> PathBuf {
        self.path("toolcache/oidcat").join(VERSION).join("x64")
    }

    /// A command with only what a runner sets (plus PATH), nothing inherited.
    fn command(&self, script: &str, os: &str, arch: &str) -> Command {
        let mut c = Command::new("bash");
        c.arg(root(script))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("GITHUB_ACTIONS", "true")
            .env("RUNNER_OS", os)
            .env("RUNNER_ARCH", arch)
            .env("RUNNER_TOOL_CACHE", self.path("toolcache"))
            .env("RUNNER_TEMP", self.path("temp"))
            .env("GITHUB_PATH", self.path("github_path"))
            .env("GITHUB_OUTPUT", self.path("github_output"))
            .env("GITHUB_STEP_SUMMARY", self.path("step_summary"))
            .env("OIDCAT_RAN_MARKER", self.path("ran"))
            .env("OIDCAT_VERSION", VERSION);
        c
    }

    fn install(&self, base: &str, os: &str, arch: &str) -> Output {
        self.command("scripts/install-action.sh", os, arch)
            .env("OIDCAT_DOWNLOAD_BASE", base)
            .output()
            .unwrap()
    }

    /// Nothing installed and nothing run: no binary in the tool cache, no
    /// PATH entry, and the stub never ran.
    fn assert_nothing_installed(&self) {
        let cached = self.path("toolcache/oidcat");
        let files: Vec<_> = walk(&cached);
        assert!(files.is_empty(), "files left in the tool cache: {files:?}");
        assert_eq!(self.read("github_path"), "", "PATH was extended");
        assert!(!self.path("ran").exists(), "a downloaded binary was run");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn sha256_hex(bytes: &[u8]) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes);
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------
// Install: success, cache, failures.

#[test]
fn installs_checks_and_runs_the_released_binary_then_reuses_the_cache() {
    let release = tempfile::tempdir().unwrap();
    pack(real_binary(), LINUX_X64_ASSET, release.path());
    let server = release_server(release.path(), None);
    let runner = Runner::new();
    let archive_url = format!("/v{VERSION}/{LINUX_X64_ASSET}");

    let out = runner.install(&server.url(), "Linux", "X64");
    let err = text(&out.stderr);
    assert!(out.status.success(), "install failed: {err}");
    assert!(err.contains("SHA-256 checked"), "{err}");
    assert_eq!(server.hits(&archive_url), 1);
    assert_eq!(server.hits(&format!("{archive_url}.sha256")), 1);

    // The binary is in the tool cache, on PATH for later steps, and runs.
    let dir = runner.tool_dir();
    let bin = dir.join("oidcat");
    assert_eq!(runner.read("github_path"), format!("{}\n", dir.display()));
    let outputs = runner.read("github_output");
    assert!(
        outputs.contains(&format!("version={VERSION}\n")),
        "{outputs}"
    );
    assert!(
        outputs.contains(&format!("path={}\n", dir.display())),
        "{outputs}"
    );
    let version = Command::new(&bin).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert!(text(&version.stdout).starts_with("oidcat "));
    // And it is the real oidcat: it decodes GitHub's token.
    let decoded = Command::new(&bin)
        .args(["decode", "--claims"])
        .arg(format!(
            "@{}",
            root("tests/fixtures/github/expired.jwt").display()
        ))
        .output()
        .unwrap();
    assert!(decoded.status.success(), "{}", text(&decoded.stderr));
    let claims: Value = serde_json::from_slice(&decoded.stdout).unwrap();
    assert_eq!(claims["repository"], "nickolashkraus/flask-oidc");

    // A second run in the same tool cache downloads nothing.
    let again = runner.install(&server.url(), "Linux", "X64");
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(text(&again.stderr).contains("using the cached binary"));
    assert_eq!(server.hits(&archive_url), 1);

    // A cached binary that changed since it was installed is replaced.
    let mut f = std::fs::OpenOptions::new().append(true).open(&bin).unwrap();
    f.write_all(b"tampered").unwrap();
    drop(f);
    let third = runner.install(&server.url(), "Linux", "X64");
    assert!(third.status.success(), "{}", text(&third.stderr));
    assert!(text(&third.stderr).contains("does not match its recorded SHA-256"));
    assert_eq!(server.hits(&archive_url), 2);
    let installed = std::fs::read(&bin).unwrap();
    assert!(!installed.ends_with(b"tampered"));
}

#[test]
fn a_checksum_mismatch_installs_and_runs_nothing() {
    let release = tempfile::tempdir().unwrap();
    let runner = Runner::new();
    pack(
        &stub_binary(runner.dir.path()),
        LINUX_X64_ASSET,
        release.path(),
    );
    // The published checksum is of other bytes (a corrupted or replaced archive).
    let sha_file = asset_path(release.path(), &format!("{LINUX_X64_ASSET}.sha256"));
    std::fs::write(
        &sha_file,
        format!("{}  {LINUX_X64_ASSET}\n", sha256_hex(b"something else")),
    )
    .unwrap();
    let server = release_server(release.path(), None);

    let out = runner.install(&server.url(), "Linux", "X64");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("checksum mismatch"), "{err}");
    assert!(err.contains(&sha256_hex(b"something else")), "{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("::error title=oidcat install::")
                && l.contains("checksum mismatch")),
        "no ::error command: {err}"
    );
    runner.assert_nothing_installed();

    // The same stub with its true checksum installs, and is run once (the
    // --version check), which shows the marker would have caught an earlier run.
    let archive = std::fs::read(asset_path(release.path(), LINUX_X64_ASSET)).unwrap();
    std::fs::write(
        &sha_file,
        format!("{}  {LINUX_X64_ASSET}\n", sha256_hex(&archive)),
    )
    .unwrap();
    let ok = runner.install(&server.url(), "Linux", "X64");
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert_eq!(runner.read("ran"), "ran\n");
}

#[test]
fn a_missing_asset_or_checksum_file_fails_naming_the_url() {
    let release = tempfile::tempdir().unwrap();
    let runner = Runner::new();
    pack(
        &stub_binary(runner.dir.path()),
        LINUX_X64_ASSET,
        release.path(),
    );
    let server = release_server(release.path(), None);

    // No aarch64 asset in this release.
    let out = runner.install(&server.url(), "Linux", "ARM64");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{}/v{VERSION}/oidcat-aarch64-unknown-linux-musl.tar.xz: not found (HTTP 404)",
            server.url()
        )),
        "{err}"
    );
    runner.assert_nothing_installed();

    // A version that was never released.
    let out = runner
        .command("scripts/install-action.sh", "Linux", "X64")
        .env("OIDCAT_DOWNLOAD_BASE", server.url())
        .env("OIDCAT_VERSION", "v9.9.9")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("/v9.9.9/oidcat-x86_64-unknown-linux-musl.tar.xz: not found"),
        "{err}"
    );
    assert!(err.contains("is oidcat v9.9.9 released"), "{err}");
    runner.assert_nothing_installed();

    // The archive is there but its checksum file is not: nothing is trusted.
    std::fs::remove_file(asset_path(
        release.path(),
        &format!("{LINUX_X64_ASSET}.sha256"),
    ))
    .unwrap();
    let out = runner.install(&server.url(), "Linux", "X64");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{LINUX_X64_ASSET}.sha256: not found (HTTP 404)")),
        "{err}"
    );
    runner.assert_nothing_installed();
}

#[test]
fn an_unknown_os_or_architecture_fails_before_any_download() {
    let release = tempfile::tempdir().unwrap();
    let server = release_server(release.path(), None);
    let runner = Runner::new();
    for (os, arch) in [
        ("FreeBSD", "X64"),
        ("Linux", "ARM"),
        ("Windows", "ARM64"),
        ("macOS", "X86"),
    ] {
        let out = runner.install(&server.url(), os, arch);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{os}/{arch}: {err}");
        assert!(
            err.contains(&format!(
                "no prebuilt oidcat for this runner (OS '{os}', architecture '{arch}')"
            )),
            "{err}"
        );
        assert!(
            err.contains("released for: Linux/X64 Linux/ARM64 macOS/X64 macOS/ARM64 Windows/X64"),
            "{err}"
        );
        assert!(err.lines().any(|l| l.starts_with("::error ")), "{err}");
    }
    assert_eq!(server.total(), 0);
    runner.assert_nothing_installed();
}

#[test]
fn the_download_base_and_version_are_checked_before_use() {
    let runner = Runner::new();
    for base in [
        "http://example.com/mirror",
        "ftp://127.0.0.1/x",
        "file:///tmp",
        "http://127.0.0.1.evil.example/x",
    ] {
        let out = runner.install(base, "Linux", "X64");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{base}: {err}");
        assert!(
            err.contains("OIDCAT_DOWNLOAD_BASE must be an https:// URL"),
            "{base}: {err}"
        );
    }
    for version in ["../../etc", "latest", "1.2", "1.2.3/../x"] {
        let out = runner
            .command("scripts/install-action.sh", "Linux", "X64")
            .env("OIDCAT_VERSION", version)
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{version}: {err}");
        assert!(
            err.contains("is not a release version like 1.2.3"),
            "{version}: {err}"
        );
    }
    runner.assert_nothing_installed();
}

#[test]
fn without_a_version_the_action_installs_its_own_cargo_version() {
    let runner = Runner::new();
    let out = runner
        .command("scripts/install-action.sh", "Linux", "ARM64")
        .env_remove("OIDCAT_VERSION")
        .arg("--print-asset")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "oidcat-aarch64-unknown-linux-musl.tar.xz\n"
    );

    // With no server at all, the URL it tries shows the version and repository
    // it read from Cargo.toml (a port nothing listens on: refused at once).
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let out = runner
        .command("scripts/install-action.sh", "Linux", "X64")
        .env_remove("OIDCAT_VERSION")
        .env("OIDCAT_DOWNLOAD_BASE", &base)
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let cargo_version = env!("CARGO_PKG_VERSION");
    assert!(
        err.contains(&format!(
            "could not download {base}/v{cargo_version}/{LINUX_X64_ASSET}"
        )),
        "{err}"
    );
    runner.assert_nothing_installed();
}

#[test]
fn a_windows_release_is_a_zip_holding_oidcat_exe() {
    let release = tempfile::tempdir().unwrap();
    let runner = Runner::new();
    pack(
        &stub_binary(runner.dir.path()),
        WINDOWS_ASSET,
        release.path(),
    );
    let server = release_server(release.path(), None);
    let out = runner.install(&server.url(), "Windows", "X64");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(runner.tool_dir().join("oidcat.exe").is_file());
    assert_eq!(runner.read("ran"), "ran\n");
    assert_eq!(server.hits(&format!("/v{VERSION}/{WINDOWS_ASSET}")), 1);
}

// ---------------------------------------------------------------------------
// The verify step, with a stand-in of the runner's token endpoint.

const ISSUER: &str = "https://token.actions.githubusercontent.com";
const REQUEST_TOKEN: &str = "runner-request-token-0123456789";

/// A GitHub-like token for acme/app, signed with the test key `rsa-1`.
fn signed_token(aud: &str, environment: Option<&str>) -> String {
    let t = now();
    let mut claims = json!({
        "iss": ISSUER,
        "aud": aud,
        "sub": "repo:acme/app:ref:refs/heads/main",
        "repository": "acme/app",
        "repository_owner": "acme",
        "ref": "refs/heads/main",
        "event_name": "push",
        "job_workflow_ref": "acme/app/.github/workflows/deploy.yml@refs/heads/main",
        "iat": t - 5,
        "nbf": t - 5,
        "exp": t + 300,
    });
    if let Some(env) = environment {
        claims["environment"] = json!(env);
        claims["sub"] = json!(format!("repo:acme/app:environment:{env}"));
    }
    token_kid("rsa-1", "rsa.pem", &claims)
}

/// Seeds oidcat's cache (under `$XDG_CACHE_HOME/oidcat`) with GitHub's
/// discovery document and `keys` as its key set, so `--issuer github` needs
/// no network.
fn seed_github_cache(cache_home: &Path, keys: &Path) {
    let dir = cache_home.join("oidcat");
    std::fs::create_dir_all(&dir).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let discovery =
        std::fs::read_to_string(root("tests/fixtures/github/openid-configuration.json")).unwrap();
    let jwks_uri = serde_json::from_str::<Value>(&discovery).unwrap()["jwks_uri"]
        .as_str()
        .unwrap()
        .to_string();
    let entries = [
        (
            format!("{ISSUER}/.well-known/openid-configuration"),
            discovery,
        ),
        (jwks_uri, std::fs::read_to_string(keys).unwrap()),
    ];
    for (url, body) in entries {
        let entry = json!({"url": url, "fetched_at": now(), "max_age": 86_400, "body": body});
        std::fs::write(
            dir.join(format!("{}.json", sha256_hex(url.as_bytes()))),
            entry.to_string(),
        )
        .unwrap();
    }
}

/// A fake runner step: the verify script with the action's inputs as
/// environment variables, the installed binary's directory, the token
/// endpoint, and a proxy that goes nowhere (any network use fails).
fn verify_step(runner: &Runner, server: &Server, inputs: &[(&str, &str)]) -> Output {
    let bin_dir = runner.path("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let bin = bin_dir.join("oidcat");
    if !bin.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_oidcat"), &bin).unwrap();
    }
    seed_github_cache(
        &runner.path("cache"),
        &root("tests/fixtures/keys/jwks.json"),
    );
    let mut c = runner.command("scripts/verify-action.sh", "Linux", "X64");
    c.env("OIDCAT_BIN_DIR", &bin_dir)
        .env("XDG_CACHE_HOME", runner.path("cache"))
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env(
            "ACTIONS_ID_TOKEN_REQUEST_URL",
            format!("{}/token?api-version=2.0", server.url()),
        )
        .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN);
    for (k, v) in inputs {
        c.env(k, v);
    }
    c.output().unwrap()
}

/// `name<<delimiter` outputs (and plain `name=value` lines) as a map.
fn parse_outputs(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delim)) = line.split_once("<<") {
            let mut value = Vec::new();
            for l in lines.by_ref() {
                if l == delim {
                    break;
                }
                value.push(l);
            }
            out.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            out.insert(name.to_string(), value.to_string());
        }
    }
    out
}

fn token_server(jwt: &str) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let server = release_server(
        dir.path(),
        Some(TokenEndpoint {
            request_token: REQUEST_TOKEN.into(),
            jwt: jwt.into(),
        }),
    );
    (dir, server)
}

#[test]
fn the_verify_step_writes_outputs_and_summary_and_never_logs_the_token() {
    let jwt = signed_token("my-deployer", Some("production"));
    let (_dir, server) = token_server(&jwt);
    let runner = Runner::new();
    let out = verify_step(
        &runner,
        &server,
        &[
            ("OIDCAT_AUDIENCE", "my-deployer"),
            ("OIDCAT_REPO", "acme/app"),
            ("OIDCAT_REF", "refs/heads/main"),
            (
                "OIDCAT_WORKFLOW",
                "acme/app/.github/workflows/deploy.yml@refs/heads/main",
            ),
            ("OIDCAT_ENVIRONMENT", "production"),
            ("OIDCAT_EVENT", "push"),
            (
                "OIDCAT_CLAIMS",
                "repository=acme/app\n\n# a comment\n  ref=refs/heads/main  \n",
            ),
            ("OIDCAT_ASSERT", ".event_name == \"push\""),
            ("OIDCAT_OUTPUTS", "sub, repository\nenvironment"),
            ("OIDCAT_SUMMARY", "true"),
        ],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert_eq!(server.hits("/token"), 1);
    let outputs = parse_outputs(&runner.read("github_output"));
    assert_eq!(outputs.get("valid").map(String::as_str), Some("true"));
    assert_eq!(
        outputs.get("sub").map(String::as_str),
        Some("repo:acme/app:environment:production")
    );
    assert_eq!(
        outputs.get("repository").map(String::as_str),
        Some("acme/app")
    );
    assert_eq!(
        outputs.get("environment").map(String::as_str),
        Some("production")
    );
    let summary = runner.read("step_summary");
    assert!(summary.contains("valid"), "{summary}");
    assert!(summary.contains("acme/app"), "{summary}");
    for flag in ["--repo", "--ref", "--workflow", "--environment", "--event"] {
        assert!(
            summary.contains(&format!("| claim | ✅ | {flag} ")),
            "{flag}: {summary}"
        );
    }
    // The token appears once, in the mask command, before anything else could show it.
    let logged = format!("{stdout}{stderr}{}", runner.read("step_summary"));
    assert_eq!(logged.matches(&jwt).count(), 1, "token in the log");
    assert!(stderr.contains(&format!("::add-mask::{jwt}")));
    assert!(!runner.read("github_output").contains(&jwt));
}

#[test]
fn a_rejected_token_fails_the_step_with_valid_false() {
    let jwt = signed_token("my-deployer", None);
    let (_dir, server) = token_server(&jwt);
    let runner = Runner::new();
    let out = verify_step(
        &runner,
        &server,
        &[
            ("OIDCAT_AUDIENCE", "my-deployer"),
            ("OIDCAT_CLAIMS", "repository=acme/other"),
            ("OIDCAT_OUTPUTS", "sub"),
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("claim_mismatch"), "{stderr}");
    assert!(
        stderr.lines().any(|l| l.starts_with("::error::")),
        "{stderr}"
    );
    let outputs = parse_outputs(&runner.read("github_output"));
    assert_eq!(outputs.get("valid").map(String::as_str), Some("false"));
    assert_eq!(
        outputs.get("sub"),
        None,
        "claims of a rejected token were output"
    );
    assert_eq!(stderr.matches(&jwt).count(), 1, "token in the log");
}

#[test]
fn the_verify_step_refuses_bad_inputs_before_asking_for_a_token() {
    let (_dir, server) = token_server("unused");
    let runner = Runner::new();
    let out = verify_step(
        &runner,
        &server,
        &[
            ("OIDCAT_AUDIENCE", "x"),
            ("OIDCAT_OUTPUTS", "sub custom_claim"),
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("'custom_claim' is not an output of this action"),
        "{stderr}"
    );
    let out = verify_step(
        &runner,
        &server,
        &[("OIDCAT_AUDIENCE", "x"), ("OIDCAT_SUMMARY", "yes")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("summary must be true or false"));
    let out = verify_step(&runner, &server, &[("OIDCAT_AUDIENCE", "  ")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("the audience input is empty"));
    assert_eq!(server.hits("/token"), 0);
    let outputs = parse_outputs(&runner.read("github_output"));
    assert_eq!(outputs.get("valid").map(String::as_str), Some("false"));
}

#[test]
fn outside_a_job_the_verify_step_says_what_is_missing() {
    let (_dir, server) = token_server("unused");
    let runner = Runner::new();
    let bin_dir = runner.path("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_oidcat"), bin_dir.join("oidcat")).unwrap();
    let out = runner
        .command("scripts/verify-action.sh", "Linux", "X64")
        .env("OIDCAT_BIN_DIR", &bin_dir)
        .env("OIDCAT_AUDIENCE", "x")
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("ACTIONS_ID_TOKEN_REQUEST_URL"), "{stderr}");
    assert!(stderr.contains("id-token: write"), "{stderr}");
    assert_eq!(server.hits("/token"), 0);
}

// ---------------------------------------------------------------------------
// action.yml itself.

#[test]
fn action_yml_declares_what_the_scripts_write_and_splices_no_input_into_run() {
    let yml = std::fs::read_to_string(root("action.yml")).unwrap();
    let script = std::fs::read_to_string(root("scripts/verify-action.sh")).unwrap();

    // The `outputs:` block: names at two spaces of indentation.
    let section = |name: &str| -> Vec<String> {
        let mut inside = false;
        let mut names = Vec::new();
        for line in yml.lines() {
            if !line.starts_with(' ') && !line.is_empty() {
                inside = line == format!("{name}:");
                continue;
            }
            if inside
                && let Some(rest) = line.strip_prefix("  ")
                && !rest.starts_with(' ')
                && let Some(n) = rest.strip_suffix(':')
            {
                names.push(n.to_string());
            }
        }
        names
    };
    let outputs = section("outputs");
    let inputs = section("inputs");

    let declared_start = script.find("DECLARED_OUTPUTS='").unwrap() + "DECLARED_OUTPUTS='".len();
    let declared_end = declared_start + script[declared_start..].find('\'').unwrap();
    let mut claims: Vec<String> = script[declared_start..declared_end]
        .split_whitespace()
        .map(String::from)
        .collect();
    claims.extend(["valid", "version", "path"].map(String::from));
    let mut sorted_outputs = outputs.clone();
    sorted_outputs.sort();
    claims.sort();
    assert_eq!(
        sorted_outputs, claims,
        "action.yml outputs vs DECLARED_OUTPUTS"
    );
    for name in &outputs {
        let step = if name == "version" || name == "path" {
            "install"
        } else {
            "verify"
        };
        assert!(
            yml.contains(&format!("value: ${{{{ steps.{step}.outputs.{name} }}}}")),
            "output {name} is not wired to steps.{step}"
        );
    }

    // Every input reaches a script as an environment variable.
    assert_eq!(
        inputs,
        [
            "version",
            "audience",
            "issuer",
            "repo",
            "ref",
            "workflow",
            "environment",
            "event",
            "claims",
            "assert",
            "outputs",
            "summary"
        ]
    );
    for input in &inputs {
        assert!(
            yml.contains(&format!(
                "OIDCAT_{}: ${{{{ inputs.{input} }}}}",
                input.to_uppercase()
            )),
            "input {input} is not passed through env"
        );
    }

    // `run:` lines hold no expression: inputs never become shell text.
    for line in yml.lines().filter(|l| l.trim_start().starts_with("run:")) {
        assert!(!line.contains("${{"), "expression in a run script: {line}");
    }
}

// ---------------------------------------------------------------------------
// The documentation's shell recipe, run by a fake runner.

/// The `run:` script of the step with `id: who` in the shell recipe of
/// docs/github-actions.md (the block that pipes `oidcat token` into
/// `oidcat verify`), dedented.
fn docs_shell_recipe() -> String {
    let doc = std::fs::read_to_string(root("docs/github-actions.md")).unwrap();
    let block = doc
        .split("```yaml\n")
        .skip(1)
        .filter_map(|b| b.split("\n```").next())
        .find(|b| {
            b.contains("oidcat token --audience") && b.contains("--github-output environment")
        })
        .expect("docs/github-actions.md has a shell recipe");
    let mut lines = block.lines().skip_while(|l| l.trim() != "id: who");
    let run = lines
        .by_ref()
        .find(|l| l.trim_start().starts_with("run: |"))
        .expect("the `who` step has a run: | script");
    let indent = run.len() - run.trim_start().len() + 2;
    let mut script = String::new();
    for l in lines {
        if !l.trim().is_empty() && l.len() - l.trim_start().len() < indent {
            break;
        }
        script.push_str(l.get(indent..).unwrap_or(""));
        script.push('\n');
    }
    assert!(script.contains("oidcat verify --issuer github"), "{script}");
    script
}

/// Runs `script` as a runner would run a `shell: bash` step: GITHUB_* files,
/// the token endpoint, env from the step, and `oidcat` on PATH. With
/// `fake_now`, `oidcat verify` runs at that instant (a shim on PATH adds
/// `--now`: the real token from GitHub expired in 2023).
fn fake_runner(
    runner: &Runner,
    server: &Server,
    keys: &Path,
    script: &str,
    env: &[(&str, &str)],
    fake_now: Option<&str>,
) -> Output {
    let bin_dir = runner.path("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let real = env!("CARGO_BIN_EXE_oidcat");
    let shim = bin_dir.join("oidcat");
    std::fs::write(
        &shim,
        format!(
            "#!/bin/sh\nif [ \"$1\" = verify ] && [ -n \"$FAKE_NOW\" ]; then shift; exec '{real}' verify --now \"$FAKE_NOW\" \"$@\"; fi\nexec '{real}' \"$@\"\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    seed_github_cache(&runner.path("cache"), keys);
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = Command::new("bash");
    c.arg("-e")
        .arg("-c")
        .arg(script)
        .env_clear()
        .env("PATH", path)
        .env("HOME", runner.dir.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_OUTPUT", runner.path("github_output"))
        .env("GITHUB_STEP_SUMMARY", runner.path("step_summary"))
        .env("XDG_CACHE_HOME", runner.path("cache"))
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env(
            "ACTIONS_ID_TOKEN_REQUEST_URL",
            format!("{}/token?api-version=2.0", server.url()),
        )
        .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN);
    if let Some(t) = fake_now {
        c.env("FAKE_NOW", t);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

#[test]
fn the_docs_shell_recipe_passes_on_a_fake_runner_with_an_environment() {
    let jwt = signed_token("my-deployer", Some("production"));
    let (_dir, server) = token_server(&jwt);
    let runner = Runner::new();
    let out = fake_runner(
        &runner,
        &server,
        &root("tests/fixtures/keys/jwks.json"),
        &docs_shell_recipe(),
        &[("REPO", "acme/app")],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{stderr}",
        text(&out.stdout)
    );
    let outputs = parse_outputs(&runner.read("github_output"));
    assert_eq!(
        outputs.get("sub").map(String::as_str),
        Some("repo:acme/app:environment:production")
    );
    assert_eq!(
        outputs.get("environment").map(String::as_str),
        Some("production")
    );
    let summary = runner.read("step_summary");
    assert!(
        summary.contains("valid") && summary.contains("acme/app"),
        "{summary}"
    );
    assert_eq!(
        text(&out.stdout).matches(&jwt).count() + stderr.matches(&jwt).count(),
        1
    );
}

#[test]
fn the_docs_shell_recipe_passes_on_a_fake_runner_without_an_environment() {
    let jwt = signed_token("my-deployer", None);
    let (_dir, server) = token_server(&jwt);
    let runner = Runner::new();
    let out = fake_runner(
        &runner,
        &server,
        &root("tests/fixtures/keys/jwks.json"),
        &docs_shell_recipe(),
        &[("REPO", "acme/app")],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{stderr}",
        text(&out.stdout)
    );
    let outputs = parse_outputs(&runner.read("github_output"));
    assert_eq!(
        outputs.get("sub").map(String::as_str),
        Some("repo:acme/app:ref:refs/heads/main")
    );
    assert_eq!(outputs.get("environment").map(String::as_str), Some(""));
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("::warning::") && l.contains("environment")),
        "{stderr}"
    );
}

#[test]
fn the_docs_shell_recipe_passes_with_githubs_real_token() {
    // GitHub's token (2023, no environment) with its own key set; the recipe's
    // literals become that job's (repository, branch, workflow file, audience).
    let jwt = std::fs::read_to_string(root("tests/fixtures/github/expired.jwt")).unwrap();
    let jwt = jwt.trim().to_string();
    let (_dir, server) = token_server(&jwt);
    let runner = Runner::new();
    let script = docs_shell_recipe()
        .replace("my-deployer", "https://github.com/nickolashkraus")
        .replace("refs/heads/main", "refs/heads/output-token")
        .replace("deploy.yml", "integration.yml");
    let out = fake_runner(
        &runner,
        &server,
        &root("tests/fixtures/github/jwks.json"),
        &script,
        &[("REPO", "nickolashkraus/flask-oidc")],
        Some("1674498700"),
    );
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{stderr}",
        text(&out.stdout)
    );
    let outputs = parse_outputs(&runner.read("github_output"));
    assert_eq!(
        outputs.get("sub").map(String::as_str),
        Some("repo:nickolashkraus/flask-oidc:ref:refs/heads/output-token")
    );
    assert_eq!(outputs.get("environment").map(String::as_str), Some(""));
    assert!(stderr.contains(&format!("::add-mask::{jwt}")));
    assert_eq!(
        text(&out.stdout).matches(&jwt).count() + stderr.matches(&jwt).count(),
        1
    );
}
