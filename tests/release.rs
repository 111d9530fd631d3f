//! What a release ships, checked end to end (docs/install.md):
//! - `oidcat -V` / `--version`: the version, and in the long form the commit
//!   and target triple;
//! - the container image for `oidcat serve` (`Dockerfile`, `FROM scratch`):
//!   built from a static binary, started with a key set mounted in, `/readyz`
//!   answers and a token verifies. It needs a container engine and a static
//!   binary; without either it is skipped with a NOTICE saying which.
//!
//! Container test settings (environment):
//! - `OIDCAT_CONTAINER_ENGINE`: the engine command line, split on spaces
//!   [default: `podman`, else `docker`, whichever is on PATH]. On a host
//!   without a usable overlay filesystem or systemd, for instance:
//!   `podman --storage-driver=vfs --runtime runc --cgroup-manager=cgroupfs`
//!   (with `CONTAINERS_CONF` pointing to a file that sets
//!   `default_ulimits = []` under `[containers]` where ulimits cannot be set).
//! - `OIDCAT_STATIC_BIN`: the static binary to put in the image, e.g.
//!   `target/x86_64-unknown-linux-musl/dist/oidcat` after `dist build`
//!   [default: the binary under test, if it is statically linked].

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_oidcat");

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(p)
}

// ------------------------------------------------------------ --version

#[test]
fn version_short_is_one_line_long_adds_commit_and_target() {
    let short = Command::new(BIN).arg("-V").output().unwrap();
    assert!(short.status.success(), "{short:?}");
    let short = String::from_utf8(short.stdout).unwrap();
    assert_eq!(short, format!("oidcat {}\n", env!("CARGO_PKG_VERSION")));

    let long = Command::new(BIN).arg("--version").output().unwrap();
    assert!(long.status.success(), "{long:?}");
    let long = String::from_utf8(long.stdout).unwrap();
    let lines: Vec<&str> = long.lines().collect();
    assert_eq!(lines.len(), 3, "{long}");
    assert_eq!(format!("{}\n", lines[0]), short);

    let commit = lines[1]
        .strip_prefix("commit: ")
        .unwrap_or_else(|| panic!("{long}"));
    assert!(
        commit == "unknown"
            || ((7..=12).contains(&commit.len())
                && commit
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())),
        "commit: {commit:?}"
    );

    // the triple the binary was compiled for, which is this test's own
    let target = lines[2]
        .strip_prefix("target: ")
        .unwrap_or_else(|| panic!("{long}"));
    assert_eq!(target, env!("OIDCAT_TARGET"));
    assert!(
        target.starts_with(std::env::consts::ARCH),
        "{target} vs {}",
        std::env::consts::ARCH
    );
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        os => os,
    };
    assert!(target.contains(os), "{target} vs {os}");
}

// ------------------------------------------------------------ container

/// Output of a command run with a time limit (killed when it is exceeded).
struct Out {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command, limit: Duration) -> Result<Out, String> {
    let what = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{what}: {e}"))?;
    let mut so = child.stdout.take().ok_or("no stdout")?;
    let mut se = child.stderr.take().ok_or("no stderr")?;
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = so.read_to_string(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = se.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break st,
            Ok(None) if start.elapsed() < limit => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{what}: still running after {limit:?}, killed"));
            }
            Err(e) => return Err(format!("{what}: {e}")),
        }
    };
    Ok(Out {
        ok: status.success(),
        stdout: t_out.join().unwrap_or_default(),
        stderr: t_err.join().unwrap_or_default(),
    })
}

/// The container engine's command line, or why there is none.
fn engine() -> Result<Vec<String>, String> {
    let argv: Vec<String> = match std::env::var("OIDCAT_CONTAINER_ENGINE") {
        Ok(s) if !s.trim().is_empty() => s.split_whitespace().map(str::to_string).collect(),
        _ => {
            let found = ["podman", "docker"].into_iter().find(|name| {
                std::env::var_os("PATH").is_some_and(|path| {
                    std::env::split_paths(&path).any(|dir| dir.join(name).is_file())
                })
            });
            vec![
                found
                    .ok_or("neither podman nor docker is on PATH")?
                    .to_string(),
            ]
        }
    };
    let out = run(
        Command::new(&argv[0]).args(&argv[1..]).arg("info"),
        Duration::from_secs(60),
    )?;
    if !out.ok {
        return Err(format!(
            "`{} info` failed: {}",
            argv.join(" "),
            out.stderr.trim()
        ));
    }
    Ok(argv)
}

/// True when `path` is an ELF executable without a program interpreter
/// (PT_INTERP), i.e. statically linked: it can run in an empty image.
fn is_static_elf(path: &Path) -> bool {
    let Ok(b) = std::fs::read(path) else {
        return false;
    };
    // 64-bit little-endian ELF only (x86_64 and aarch64 Linux)
    if b.len() < 64 || &b[..4] != b"\x7fELF" || b[4] != 2 || b[5] != 1 {
        return false;
    }
    let u16_at = |o: usize| u16::from_le_bytes([b[o], b[o + 1]]) as usize;
    let Ok(phoff) = usize::try_from(u64::from_le_bytes(b[32..40].try_into().unwrap_or([0; 8])))
    else {
        return false;
    };
    let (phentsize, phnum) = (u16_at(54), u16_at(56));
    if phentsize < 4 || phnum == 0 || phoff.saturating_add(phentsize * phnum) > b.len() {
        return false;
    }
    const PT_INTERP: u32 = 3;
    !(0..phnum).any(|i| {
        let o = phoff + i * phentsize;
        u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]) == PT_INTERP
    })
}

/// The static binary for the image, or why there is none.
fn static_binary() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("OIDCAT_STATIC_BIN") {
        let p = PathBuf::from(p);
        return if is_static_elf(&p) {
            Ok(p)
        } else {
            Err(format!(
                "OIDCAT_STATIC_BIN={} is not a statically linked ELF executable",
                p.display()
            ))
        };
    }
    let p = PathBuf::from(BIN);
    if is_static_elf(&p) {
        Ok(p)
    } else {
        Err(
            "the binary under test is dynamically linked and cannot run in a FROM scratch \
             image: set OIDCAT_STATIC_BIN to a static build (docs/install.md#container)"
                .to_string(),
        )
    }
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// One HTTP/1.1 request on a fresh connection: (status, body).
fn http_get(port: u16, path: &str, bearer: Option<&str>) -> std::io::Result<(u16, String)> {
    let mut c = TcpStream::connect(("127.0.0.1", port))?;
    c.set_read_timeout(Some(Duration::from_secs(5)))?;
    c.set_write_timeout(Some(Duration::from_secs(5)))?;
    let auth = bearer.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    c.take(1 << 20).read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {text:?}")))?;
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    Ok((status, body))
}

/// An RS256 token signed with `tests/fixtures/keys/<key_file>`, header kid rsa-1.
fn token(key_file: &str, claims: &Value) -> String {
    let pem = std::fs::read(fixture(&format!("keys/{key_file}"))).unwrap();
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": "rsa-1"});
    let msg = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let key = EncodingKey::from_rsa_pem(&pem).unwrap();
    let sig = jsonwebtoken::crypto::sign(msg.as_bytes(), &key, Algorithm::RS256).unwrap();
    format!("{msg}.{sig}")
}

/// Removes the container and the image, whatever happened.
struct Cleanup {
    engine: Vec<String>,
    container: String,
    image: String,
}

impl Cleanup {
    fn cmd(&self) -> Command {
        let mut c = Command::new(&self.engine[0]);
        c.args(&self.engine[1..]);
        c
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let limit = Duration::from_secs(60);
        let _ = run(self.cmd().args(["rm", "-f", &self.container]), limit);
        let _ = run(self.cmd().args(["rmi", "-f", &self.image]), limit);
    }
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "the image is a Linux one: needs a Linux container engine and a static Linux binary"
)]
fn container_image_serves_and_verifies_with_a_mounted_key_set() {
    let engine = match engine() {
        Ok(e) => e,
        Err(why) => {
            eprintln!(
                "NOTICE: skipping the container image test: no container engine runs here: {why}"
            );
            return;
        }
    };
    let bin = match static_binary() {
        Ok(b) => b,
        Err(why) => {
            eprintln!("NOTICE: skipping the container image test: {why}");
            return;
        }
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => {
            eprintln!("NOTICE: skipping the container image test: no image is built for {other}");
            return;
        }
    };

    // the build context, laid out as the Dockerfile expects
    let ctx = tempfile::tempdir().unwrap();
    std::fs::create_dir(ctx.path().join(format!("linux-{arch}"))).unwrap();
    std::fs::copy(&bin, ctx.path().join(format!("linux-{arch}/oidcat"))).unwrap();
    let system_bundle = Path::new("/etc/ssl/certs/ca-certificates.crt");
    let bundle = if system_bundle.is_file() {
        system_bundle.to_path_buf()
    } else {
        fixture("keys/rsa.cert.pem")
    };
    std::fs::copy(bundle, ctx.path().join("ca-certificates.crt")).unwrap();

    // the key set mounted into the container, readable by its non-root user
    let keys = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("keys/jwks.json"), keys.path().join("jwks.json")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path, m| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
        mode(keys.path(), 0o755).unwrap();
        mode(&keys.path().join("jwks.json"), 0o644).unwrap();
    }

    let id = format!("oidcat-test-{}", std::process::id());
    let guard = Cleanup {
        engine: engine.clone(),
        container: id.clone(),
        image: format!("localhost/{id}:latest"),
    };
    let dockerfile = Path::new(env!("CARGO_MANIFEST_DIR")).join("Dockerfile");
    let mut build = guard.cmd();
    build.arg("build");
    if engine[0].ends_with("podman") {
        // no intermediate images left behind once the image is removed
        build.arg("--layers=false");
    }
    // TARGETARCH is set by buildx and buildah themselves; explicit for older podman
    build.args(["--build-arg", &format!("TARGETARCH={arch}")]);
    build.args([
        "--build-arg",
        "VERSION=0.0.0-test",
        "-t",
        &guard.image,
        "-f",
    ]);
    let build = run(
        build.arg(&dockerfile).arg(ctx.path()),
        Duration::from_secs(300),
    )
    .unwrap();
    assert!(
        build.ok,
        "image build failed:\n{}\n{}",
        build.stdout, build.stderr
    );

    // what the image promises: entrypoint, command, user, listen address, labels
    let inspect = run(
        guard.cmd().args([
            "image",
            "inspect",
            "--format",
            "{{json .Config}}",
            &guard.image,
        ]),
        Duration::from_secs(60),
    )
    .unwrap();
    assert!(inspect.ok, "{}", inspect.stderr);
    let config: Value = serde_json::from_str(inspect.stdout.trim()).unwrap();
    assert_eq!(config["Entrypoint"], json!(["oidcat"]), "{config}");
    assert_eq!(config["Cmd"], json!(["serve"]), "{config}");
    assert_eq!(config["User"], "65532:65532", "{config}");
    let env: Vec<&str> = config["Env"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(env.contains(&"OIDCAT_LISTEN=0.0.0.0:8080"), "{env:?}");
    assert_eq!(
        config["Labels"]["org.opencontainers.image.version"], "0.0.0-test",
        "{config}"
    );
    assert_eq!(
        config["Labels"]["org.opencontainers.image.licenses"], "MIT",
        "{config}"
    );

    // does this serve read OIDCAT_* variables? Then configure it by those
    // alone (the image's own command); otherwise by flags.
    let help = run(
        guard.cmd().args([
            "run",
            "--rm",
            "--network=host",
            &guard.image,
            "serve",
            "--help",
        ]),
        Duration::from_secs(60),
    )
    .unwrap();
    assert!(help.ok, "serve --help in the image: {}", help.stderr);
    let by_env = help.stdout.contains("OIDCAT_LISTEN");

    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut start = guard.cmd();
    start.args(["run", "-d", "--name", &id, "--network=host"]);
    start
        .arg("-v")
        .arg(format!("{}:/keys:ro", keys.path().display()));
    if by_env {
        for (k, v) in [
            ("OIDCAT_LISTEN", listen.as_str()),
            ("OIDCAT_JWKS_FILE", "/keys/jwks.json"),
            ("OIDCAT_ISSUER", "https://issuer.test"),
            ("OIDCAT_AUDIENCE", "api"),
        ] {
            start.arg("-e").arg(format!("{k}={v}"));
        }
        start.arg(&guard.image);
    } else {
        eprintln!(
            "NOTICE: this `oidcat serve` reads no OIDCAT_* variables: configured by flags instead"
        );
        start.args([&guard.image, "serve", "--listen", &listen]);
        start.args([
            "--jwks-file",
            "/keys/jwks.json",
            "--issuer",
            "https://issuer.test",
        ]);
        start.args(["--audience", "api"]);
    }
    let started = run(&mut start, Duration::from_secs(120)).unwrap();
    assert!(started.ok, "container did not start: {}", started.stderr);

    let logs = || {
        run(guard.cmd().args(["logs", &id]), Duration::from_secs(30))
            .map(|o| format!("{}{}", o.stdout, o.stderr))
            .unwrap_or_else(|e| e)
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let ready = loop {
        match http_get(port, "/readyz", None) {
            Ok((200, body)) => break body,
            _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(200)),
            other => panic!("/readyz did not answer 200 in 30 s: {other:?}\n{}", logs()),
        }
    };
    assert_eq!(ready, "ready\n");

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = json!({"iss": "https://issuer.test", "aud": "api", "sub": "user-1",
                        "iat": now - 10, "exp": now + 600});
    let good = token("rsa.pem", &claims);
    let (status, body) = http_get(port, "/verify", Some(&good)).unwrap();
    assert_eq!(status, 200, "{body}");
    let verdict: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(verdict["valid"], true, "{verdict}");

    // signed by another key under the same kid: rejected
    let forged = token("rsa2.pem", &claims);
    let (status, body) = http_get(port, "/verify", Some(&forged)).unwrap();
    assert_eq!(status, 401, "{body}");
    assert!(!body.contains(&forged));

    let log = logs();
    assert!(log.contains("oidcat serve"), "{log}");
    assert!(
        !log.contains(&good) && !log.contains(&forged),
        "a token reached the log"
    );
    drop(guard);
}
