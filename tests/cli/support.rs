//! Shared test machinery: running the real binary in a clean environment,
//! signing arbitrary header/payload bytes with the committed test keys, and
//! small real servers on 127.0.0.1 (HTTP, HTTPS, a CONNECT proxy).

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

/// The instant most tests evaluate at (2023-11-14T22:13:20Z).
pub const NOW: i64 = 1_700_000_000;
pub const NOW_S: &str = "1700000000";
/// The GitHub fixture token is valid at this instant.
pub const GH_NOW: &str = "1674498700";
pub const GH_KID: &str = "78167F727DEC5D801DD1C8784C704A1C880EC0E1";
pub const GH_ISS: &str = "https://token.actions.githubusercontent.com";

pub fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(p)
}

pub fn fx(p: &str) -> String {
    fixture(p).display().to_string()
}

pub fn read_fixture(p: &str) -> String {
    std::fs::read_to_string(fixture(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
}

pub fn read_json(p: &str) -> Value {
    serde_json::from_str(&read_fixture(p)).unwrap()
}

pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(s: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(s).unwrap()
}

// ---------------------------------------------------------------- the binary

/// A clean home for one test: HOME and XDG_CACHE_HOME point inside a temp dir.
pub struct Ctx {
    pub dir: tempfile::TempDir,
    envs: Vec<(String, String)>,
}

impl Default for Ctx {
    fn default() -> Self {
        Self::new()
    }
}

impl Ctx {
    pub fn new() -> Ctx {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        Ctx { dir, envs: vec![] }
    }

    /// Adds an environment variable to every command of this context.
    pub fn env(mut self, k: &str, v: impl Into<String>) -> Ctx {
        self.envs.push((k.into(), v.into()));
        self
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let p = self.path(name);
        std::fs::write(&p, contents).unwrap();
        p.display().to_string()
    }

    /// The default cache directory ($XDG_CACHE_HOME/oidcat).
    pub fn cache_dir(&self) -> PathBuf {
        self.path("cache").join("oidcat")
    }

    /// The binary with a cleared environment and `--color never`.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("oidcat").unwrap();
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env_remove("NO_COLOR")
            .current_dir(self.dir.path())
            .timeout(Duration::from_secs(30))
            .arg("--color")
            .arg("never");
        for (k, v) in &self.envs {
            c.env(k, v);
        }
        c
    }

    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Outcome {
        let mut c = self.cmd();
        c.args(args);
        c.write_stdin("");
        Outcome::of(&mut c)
    }

    pub fn run_stdin<S: AsRef<std::ffi::OsStr>>(
        &self,
        args: &[S],
        stdin: impl Into<Vec<u8>>,
    ) -> Outcome {
        let mut c = self.cmd();
        c.args(args);
        c.write_stdin(stdin.into());
        Outcome::of(&mut c)
    }
}

/// Runs the binary in a fresh context.
pub fn oidcat<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Outcome {
    Ctx::new().run(args)
}

#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    pub fn of(c: &mut Command) -> Outcome {
        let o = c.output().unwrap();
        Outcome {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{self}"))
    }

    pub fn kind(&self) -> Option<String> {
        self.json()["error"]["kind"].as_str().map(str::to_owned)
    }

    /// Asserts the exit code (and, for JSON output, `error.kind`).
    #[track_caller]
    pub fn expect(&self, code: i32, kind: Option<&str>) -> &Self {
        assert_eq!(self.code, code, "exit code\n{self}");
        if let Some(k) = kind {
            assert_eq!(self.kind().as_deref(), Some(k), "error.kind\n{self}");
        }
        self
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        self.expect(0, None)
    }

    #[track_caller]
    pub fn valid(&self) -> &Self {
        self.expect(0, None);
        let j = self.json();
        assert_eq!(j["valid"], true, "{self}");
        assert!(j["error"].is_null(), "{self}");
        self
    }

    #[track_caller]
    pub fn rejected(&self, kind: &str) -> &Self {
        self.expect(1, Some(kind));
        assert_eq!(self.json()["valid"], false, "{self}");
        self
    }

    #[track_caller]
    pub fn undecided(&self, kind: &str) -> &Self {
        self.expect(3, Some(kind))
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{self}"
        );
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n{self}"
        );
        self
    }

    #[track_caller]
    pub fn message_has(&self, needle: &str) -> &Self {
        let m = self.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            m.contains(needle),
            "error.message lacks {needle:?}: {m}\n{self}"
        );
        self
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

// ---------------------------------------------------------------- signing

pub fn key_pem(name: &str) -> Vec<u8> {
    std::fs::read(fixture(&format!("keys/{name}"))).unwrap()
}

pub fn encoding_key(alg: Algorithm, key: &[u8]) -> EncodingKey {
    use Algorithm::*;
    match alg {
        HS256 | HS384 | HS512 => EncodingKey::from_secret(key).unwrap(),
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => EncodingKey::from_rsa_pem(key).unwrap(),
        ES256 | ES384 => EncodingKey::from_ec_pem(key).unwrap(),
        EdDSA => EncodingKey::from_ed_pem(key).unwrap(),
        _ => panic!("unsupported {alg:?}"),
    }
}

/// Signs ARBITRARY header and payload bytes: duplicate members, odd types,
/// non-JSON, all go through unchanged.
pub fn sign(alg: Algorithm, key_pem: &[u8], header: &[u8], payload: &[u8]) -> String {
    let msg = format!("{}.{}", b64(header), b64(payload));
    let sig = jsonwebtoken::crypto::sign(msg.as_bytes(), &encoding_key(alg, key_pem), alg).unwrap();
    format!("{msg}.{sig}")
}

/// The key file and kid for each algorithm family of the trusted set.
pub fn default_key(alg: Algorithm) -> (&'static str, &'static str) {
    use Algorithm::*;
    match alg {
        HS256 | HS384 | HS512 => ("hmac.secret", ""),
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => ("rsa.pem", "rsa-1"),
        ES256 => ("p256.pem", "ec-1"),
        ES384 => ("p384.pem", "ec-384"),
        EdDSA => ("ed25519.pem", "ed-1"),
        _ => panic!(),
    }
}

/// Standard claims valid at [`NOW`].
pub fn claims() -> Value {
    json!({"iss": "https://idp.test", "aud": "api", "sub": "user-1", "iat": NOW - 10, "exp": NOW + 600})
}

/// `claims()` with members replaced (a `null` value removes the member).
pub fn claims_with(changes: Value) -> Value {
    let mut c = claims();
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

/// A token signed with the trusted key for `alg`, header `{"alg", "kid"}` plus `extra`.
pub fn jwt(alg: Algorithm, claims: &Value) -> String {
    jwt_h(alg, json!({}), claims)
}

pub fn jwt_h(alg: Algorithm, extra_header: Value, claims: &Value) -> String {
    let (file, kid) = default_key(alg);
    let mut h = json!({"alg": oidcat::keys::alg_name(alg)});
    if !kid.is_empty() {
        h["kid"] = json!(kid);
    }
    for (k, v) in extra_header.as_object().unwrap() {
        if v.is_null() {
            h.as_object_mut().unwrap().remove(k);
        } else {
            h[k] = v.clone();
        }
    }
    sign(
        alg,
        &key_pem(file),
        h.to_string().as_bytes(),
        claims.to_string().as_bytes(),
    )
}

/// Raw header/payload text signed by `rsa.pem` (RS256).
pub fn raw_rs256(header: &str, payload: &str) -> String {
    sign(
        Algorithm::RS256,
        &key_pem("rsa.pem"),
        header.as_bytes(),
        payload.as_bytes(),
    )
}

/// `verify -o json` against the trusted test key set at [`NOW`], audience `api`.
/// `oidcat -o json verify --issuer ISSUER --audience api --now NOW TOKEN`.
pub fn verify_issuer(issuer: &str, token: &str) -> Outcome {
    oidcat(&[
        "-o",
        "json",
        "verify",
        "--issuer",
        issuer,
        "--audience",
        "api",
        "--now",
        NOW_S,
        token,
    ])
}

pub fn verify_args(token: &str, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = [
        "-o",
        "json",
        "verify",
        "--jwks-file",
        &fx("keys/jwks.json"),
        "--audience",
        "api",
        "--now",
        NOW_S,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.extend(extra.iter().map(|s| s.to_string()));
    v.push(token.to_string());
    v
}

pub fn verify(token: &str, extra: &[&str]) -> Outcome {
    oidcat(&verify_args(token, extra))
}

// ---------------------------------------------------------------- HTTP server

#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Write the body one byte at a time with this pause.
    pub trickle: Option<Duration>,
}

impl Reply {
    pub fn json(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            trickle: None,
        }
    }
    pub fn value(v: &Value) -> Reply {
        Reply::json(serde_json::to_vec_pretty(v).unwrap())
    }
    pub fn status(code: u16) -> Reply {
        Reply {
            status: code,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: b"nope".to_vec(),
            trickle: None,
        }
    }
    pub fn redirect(location: &str) -> Reply {
        Reply {
            status: 302,
            headers: vec![("Location".into(), location.into())],
            body: vec![],
            trickle: None,
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(k));
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn slow(mut self, pause: Duration) -> Reply {
        self.trickle = Some(pause);
        self
    }
}

type Routes = Arc<Mutex<HashMap<String, Reply>>>;

pub struct Server {
    pub addr: SocketAddr,
    pub tls: bool,
    routes: Routes,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    total: Arc<AtomicUsize>,
}

fn read_head(stream: &mut impl Read) -> Option<String> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => return None,
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// The path of a request target, origin-form or absolute-form.
fn target_path(target: &str) -> String {
    if target.starts_with('/') {
        return target.split('?').next().unwrap_or("/").to_string();
    }
    url::Url::parse(target)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| target.to_string())
}

impl Server {
    pub fn start() -> Server {
        Self::start_inner(None)
    }

    /// An HTTPS server with a certificate for localhost / 127.0.0.1.
    pub fn start_tls(cert_der: Vec<u8>, key_der: Vec<u8>) -> Server {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let cfg = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![rustls_pki_types::CertificateDer::from(cert_der)],
                rustls_pki_types::PrivateKeyDer::Pkcs8(key_der.into()),
            )
            .unwrap();
        Self::start_inner(Some(Arc::new(cfg)))
    }

    fn start_inner(tls: Option<Arc<rustls::ServerConfig>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let routes: Routes = Arc::default();
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let total = Arc::new(AtomicUsize::new(0));
        let server = Server {
            addr,
            tls: tls.is_some(),
            routes: routes.clone(),
            hits: hits.clone(),
            total: total.clone(),
        };
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(tcp) = conn else { continue };
                let (routes, hits, total, tls) =
                    (routes.clone(), hits.clone(), total.clone(), tls.clone());
                thread::spawn(move || {
                    let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
                    match tls {
                        None => handle(tcp, &routes, &hits, &total),
                        Some(cfg) => {
                            let Ok(conn) = rustls::ServerConnection::new(cfg) else {
                                return;
                            };
                            handle(rustls::StreamOwned::new(conn, tcp), &routes, &hits, &total)
                        }
                    }
                });
            }
        });
        server
    }

    pub fn url(&self) -> String {
        if self.tls {
            format!("https://localhost:{}", self.addr.port())
        } else {
            format!("http://127.0.0.1:{}", self.addr.port())
        }
    }

    pub fn set(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }

    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    pub fn total(&self) -> usize {
        self.total.load(Ordering::SeqCst)
    }

    /// Serves a discovery document (issuer and jwks_uri rewritten) and a key set.
    /// `issuer` is the full issuer URL to publish; returns it.
    pub fn serve_issuer(&self, issuer: &str, mut doc: Value, jwks: Value) -> String {
        let disc = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        let disc_path = url::Url::parse(&disc).unwrap().path().to_string();
        let jwks_path = format!(
            "{}/jwks",
            disc_path.trim_end_matches("/.well-known/openid-configuration")
        );
        doc["issuer"] = json!(issuer);
        doc["jwks_uri"] = json!(format!("{}{}", self.url(), jwks_path));
        self.set(&disc_path, Reply::value(&doc));
        self.set(&jwks_path, Reply::value(&jwks));
        issuer.to_string()
    }

    /// The GitHub fixtures at the server's root; returns the issuer URL.
    pub fn serve_github(&self) -> String {
        self.serve_issuer(
            &self.url(),
            read_json("github/openid-configuration.json"),
            read_json("github/jwks.json"),
        )
    }

    /// The trusted test key set at the root with a minimal discovery document.
    pub fn serve_test_keys(&self) -> String {
        self.serve_issuer(
            &self.url(),
            json!({"id_token_signing_alg_values_supported": ["RS256"]}),
            read_json("keys/jwks.json"),
        )
    }
}

fn handle<S: Read + Write>(
    mut s: S,
    routes: &Routes,
    hits: &Mutex<HashMap<String, usize>>,
    total: &AtomicUsize,
) {
    let Some(head) = read_head(&mut s) else {
        return;
    };
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let path = target_path(&target);
    total.fetch_add(1, Ordering::SeqCst);
    *hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    let reply = routes
        .lock()
        .unwrap()
        .get(&path)
        .cloned()
        .unwrap_or_else(|| Reply::status(404));
    let mut head = format!(
        "HTTP/1.1 {} X\r\nConnection: close\r\nContent-Length: {}\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    if s.write_all(head.as_bytes()).is_err() {
        return;
    }
    match reply.trickle {
        None => {
            let _ = s.write_all(&reply.body);
        }
        Some(pause) => {
            for b in &reply.body {
                if s.write_all(&[*b]).and_then(|_| s.flush()).is_err() {
                    return;
                }
                thread::sleep(pause);
            }
        }
    }
    let _ = s.flush();
}

/// A self-signed certificate for localhost / 127.0.0.1: (PEM, cert DER, key DER).
pub fn self_signed() -> (String, Vec<u8>, Vec<u8>) {
    let ck =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    (
        ck.cert.pem(),
        ck.cert.der().to_vec(),
        ck.signing_key.serialize_der(),
    )
}

// ---------------------------------------------------------------- proxy

/// A CONNECT / absolute-URI proxy that sends every request to `upstream`,
/// whatever host was asked, and counts requests and the hosts asked for.
pub struct Proxy {
    pub addr: SocketAddr,
    pub hits: Arc<AtomicUsize>,
    pub asked: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    pub fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(AtomicUsize::new(0));
        let asked: Arc<Mutex<Vec<String>>> = Arc::default();
        let (h, a) = (hits.clone(), asked.clone());
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut client) = conn else { continue };
                let (h, a) = (h.clone(), a.clone());
                thread::spawn(move || {
                    let _ = client.set_read_timeout(Some(Duration::from_secs(5)));
                    let Some(head) = read_head(&mut client) else {
                        return;
                    };
                    h.fetch_add(1, Ordering::SeqCst);
                    let mut words = head.split_whitespace();
                    let method = words.next().unwrap_or_default().to_string();
                    let target = words.next().unwrap_or_default().to_string();
                    a.lock().unwrap().push(format!("{method} {target}"));
                    let Ok(mut up) = TcpStream::connect(upstream) else {
                        return;
                    };
                    if method == "CONNECT" {
                        if client
                            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                            .is_err()
                        {
                            return;
                        }
                    } else if up.write_all(head.as_bytes()).is_err() {
                        return;
                    }
                    pipe(client, up);
                });
            }
        });
        Proxy { addr, hits, asked }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn pipe(a: TcpStream, b: TcpStream) {
    let (mut a2, mut b2) = (a.try_clone().unwrap(), b.try_clone().unwrap());
    let (mut a, mut b) = (a, b);
    let t = thread::spawn(move || {
        let _ = std::io::copy(&mut a2, &mut b2);
        let _ = b2.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut b, &mut a);
    let _ = a.shutdown(std::net::Shutdown::Write);
    let _ = t.join();
}
