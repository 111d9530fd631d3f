//! The `serve` suite's prelude: tokens signed with the committed test keys
//! at the real clock, small HTTP servers on 127.0.0.1 (a JWKS endpoint whose
//! answer can change or go away, an upstream that echoes the identity header
//! it received), a raw HTTP/1.1 client with keep-alive, and a spawned
//! `oidcat serve` killed on drop. Everything is loopback-only and bounded.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use jsonwebtoken::Algorithm;
use serde_json::{Value, json};

pub use super::fixtures::*;
pub use super::issuer::{Reply, Request, Server};
pub use super::signing::*;

use super::issuer::find;

/// The issuer the test tokens carry (and servers pin).
pub const ISS: &str = "https://idp.test";
pub const AUD: &str = "api";

// ---------------------------------------------------------------- tokens

/// Standard claims valid now: iss, aud `api`, sub `user-1`, repository `acme/app`.
pub fn claims() -> Value {
    let n = now();
    json!({"iss": ISS, "aud": AUD, "sub": "user-1", "iat": n - 10, "exp": n + 600, "repository": "acme/app",
           "email": "user-1@example.test", "groups": ["dev", "ops"]})
}

/// `claims()` with members replaced (`null` removes the member).
pub fn claims_with(changes: Value) -> Value {
    merged(claims(), &changes)
}

/// RS256 with `rsa.pem`, kid `rsa-1`.
pub fn token(claims: &Value) -> String {
    token_kid("rsa-1", "rsa.pem", claims)
}

/// A token with an arbitrary header (signed RS256 by `rsa.pem`).
pub fn token_h(header: &Value, claims: &Value) -> String {
    sign_json(Algorithm::RS256, "rsa.pem", header, claims)
}

pub fn valid() -> String {
    token(&claims())
}
pub fn expired() -> String {
    let n = now();
    token(&claims_with(json!({"iat": n - 7200, "exp": n - 3600})))
}
/// Signed by the attacker key `rsa2.pem` but claiming kid `rsa-1`.
pub fn bad_signature() -> String {
    token_kid("rsa-1", "rsa2.pem", &claims())
}
/// A good signature, but `repository` fails `--claim repository=acme/app`.
pub fn policy_failing() -> String {
    token(&claims_with(json!({"repository": "evil/app"})))
}

/// Index of the first match of the regex `eyJ[\w-]+\.eyJ` (ASCII `\w`).
pub fn find_jwt(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 3 <= s.len() {
        if &s[i..i + 3] == b"eyJ" {
            let mut j = i + 3;
            while j < s.len() && (s[j].is_ascii_alphanumeric() || s[j] == b'_' || s[j] == b'-') {
                j += 1;
            }
            if j > i + 3 && s[j..].starts_with(b".eyJ") {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// Why `text` leaks a token: a JWT-shaped string, one of `tokens`, or its signature.
pub fn jwt_leak(text: &[u8], tokens: &[&str]) -> Option<String> {
    if let Some(i) = find_jwt(text) {
        let end = (i + 80).min(text.len());
        return Some(format!(
            "a JWT at {i}: {}",
            String::from_utf8_lossy(&text[i..end])
        ));
    }
    let hay = String::from_utf8_lossy(text);
    for t in tokens {
        // the signature segment alone is enough to be a leak
        let sig = t.rsplit('.').next().unwrap_or(t);
        if !t.is_empty() && hay.contains(*t) {
            return Some("the token itself".into());
        }
        if sig.len() >= 16 && hay.contains(sig) {
            return Some("the token's signature".into());
        }
    }
    None
}

/// Panics when `text` holds a JWT-shaped string or any of `tokens`.
pub fn assert_no_jwt(what: &str, text: &[u8], tokens: &[&str]) {
    if let Some(why) = jwt_leak(text, tokens) {
        panic!("{what} holds {why}");
    }
}

// ---------------------------------------------------------------- HTTP messages

#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
    /// The raw head (status line and headers) as received.
    pub head: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn kind(&self) -> Option<String> {
        self.json()["error"]["kind"].as_str().map(str::to_owned)
    }
}

/// A client connection with a read buffer; requests may be pipelined over keep-alive.
pub struct Conn {
    pub stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    pub fn connect(addr: SocketAddr) -> io::Result<Conn> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        stream.set_write_timeout(Some(Duration::from_secs(10)))?;
        let _ = stream.set_nodelay(true);
        Ok(Conn {
            stream,
            buf: Vec::new(),
        })
    }

    pub fn timeout(&self, t: Duration) {
        let _ = self.stream.set_read_timeout(Some(t));
    }

    pub fn send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// GET `path` with `headers` (Host added), keep-alive.
    pub fn get(&mut self, path: &str, headers: &[(&str, &str)]) -> io::Result<Resp> {
        self.request("GET", path, headers)
    }

    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> io::Result<Resp> {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        self.stream.write_all(req.as_bytes())?;
        self.read_response(method == "HEAD")
    }

    fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk)?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    fn take(&mut self, n: usize) -> io::Result<Vec<u8>> {
        while self.buf.len() < n {
            if self.fill()? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "closed in the body",
                ));
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    fn line(&mut self) -> io::Result<Vec<u8>> {
        loop {
            if let Some(i) = find(&self.buf, b"\r\n") {
                let l: Vec<u8> = self.buf.drain(..i + 2).collect();
                return Ok(l[..i].to_vec());
            }
            if self.fill()? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "closed in a chunk line",
                ));
            }
        }
    }

    /// Reads one response: Content-Length, chunked, or until EOF.
    pub fn read_response(&mut self, head_only: bool) -> io::Result<Resp> {
        let end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i;
            }
            if self.buf.len() > 256 * 1024 {
                return Err(io::Error::other("response head too large"));
            }
            if self.fill()? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed before a response",
                ));
            }
        };
        let head: Vec<u8> = self.buf.drain(..end + 4).collect();
        let text = String::from_utf8_lossy(&head[..end]).into_owned();
        let mut lines = text.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other(format!("bad status line {status_line:?}")))?;
        // Header values as raw bytes (they may hold obs-text).
        let mut headers = Vec::new();
        let raw_lines: Vec<&[u8]> = head[..end].split(|b| *b == b'\n').skip(1).collect();
        for l in raw_lines {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            if let Some(c) = l.iter().position(|b| *b == b':') {
                let name = String::from_utf8_lossy(&l[..c]).trim().to_string();
                let mut v = &l[c + 1..];
                while let [b' ' | b'\t', rest @ ..] = v {
                    v = rest;
                }
                headers.push((name, v.to_vec()));
            }
        }
        let get = |n: &str| {
            headers
                .iter()
                .find(|(k, _): &&(String, Vec<u8>)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| String::from_utf8_lossy(v).to_ascii_lowercase())
        };
        let body = if head_only || status == 204 || status == 304 || (100..200).contains(&status) {
            Vec::new()
        } else if get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            let mut body = Vec::new();
            loop {
                let l = self.line()?;
                let size_text = String::from_utf8_lossy(&l);
                let size =
                    usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                        .map_err(|_| io::Error::other(format!("bad chunk size {size_text:?}")))?;
                if size == 0 {
                    // trailers until an empty line
                    while !self.line()?.is_empty() {}
                    break;
                }
                body.extend(self.take(size)?);
                self.take(2)?;
            }
            body
        } else if let Some(n) = get("content-length").and_then(|v| v.trim().parse::<usize>().ok()) {
            self.take(n)?
        } else {
            while self.fill()? > 0 {}
            std::mem::take(&mut self.buf)
        };
        Ok(Resp {
            status,
            headers,
            body,
            head,
        })
    }

    /// True when the peer closed (EOF or reset) within `within`.
    pub fn closed_within(&mut self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            let _ = self
                .stream
                .set_read_timeout(Some(left.max(Duration::from_millis(10))));
            match self.fill() {
                Ok(0) => return true,
                Ok(_) => continue, // a response (e.g. 408) before the close
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return false;
                }
                Err(_) => return true,
            }
        }
    }

    /// Whatever bytes arrived so far (for a response sent before a close).
    pub fn received(&self) -> &[u8] {
        &self.buf
    }
}

/// One request on a fresh connection.
pub fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> io::Result<Resp> {
    Conn::connect(addr)?.get(path, headers)
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// A 127.0.0.1 port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls until a TCP connect to `addr` succeeds, or `within` passes.
pub fn wait_port(addr: SocketAddr, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return true;
        }
        thread::sleep(Duration::from_millis(25));
    }
    false
}

// ---------------------------------------------------------------- small servers

/// An HTTP server on 127.0.0.1 that answers every request with one status
/// and JSON body (changed with [`Mock::set`]), counts requests, and can be
/// taken [`down`](Server::down) (then connections are refused).
/// `Connection: close` on every answer.
pub struct Mock(Server);

impl Mock {
    pub fn start(status: u16, body: &str) -> Mock {
        Mock::start_on("127.0.0.1:0", status, body)
    }

    pub fn start_on(addr: &str, status: u16, body: &str) -> Mock {
        let m = Mock(Server::start_on(addr));
        m.set(status, body);
        m
    }

    pub fn jwks(body: &str) -> Mock {
        Mock::start(200, body)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.0.addr)
    }

    pub fn hits(&self) -> usize {
        self.0.total()
    }

    pub fn set(&self, status: u16, body: &str) {
        self.0
            .set_fallback(Reply::json(body).with_status(status, "X"));
    }
}

impl Deref for Mock {
    type Target = Server;
    fn deref(&self) -> &Server {
        &self.0
    }
}

impl DerefMut for Mock {
    fn deref_mut(&mut self) -> &mut Server {
        &mut self.0
    }
}

/// An upstream behind a gateway: answers 200 with `user=<X-Auth-Request-User>`
/// (`user=<none>` when absent), keep-alive, counting requests.
pub struct Upstream(Server);

impl Upstream {
    pub fn start() -> Upstream {
        Upstream(Server::with_handler(Duration::from_secs(15), |req| {
            let user = req.header("x-auth-request-user").unwrap_or("<none>");
            Reply {
                status: 200,
                reason: "OK",
                headers: vec![("Content-Type".into(), "text/plain".into())],
                body: format!("user={user}").into_bytes(),
                trickle: None,
                keep_alive: true,
            }
        }))
    }

    pub fn hits(&self) -> usize {
        self.0.total()
    }
}

impl Deref for Upstream {
    type Target = Server;
    fn deref(&self) -> &Server {
        &self.0
    }
}

// ---------------------------------------------------------------- a spawned process

/// A child process killed (and reaped) on drop, its stderr collected by a thread.
pub struct Proc {
    pub child: Child,
    pub name: String,
    lines: Arc<Mutex<Vec<String>>>,
    pub dir: tempfile::TempDir,
    /// Sent first on drop (then up to 5 s to exit before SIGKILL): a master
    /// process such as nginx's must take its workers down with it.
    pub stop_signal: Option<&'static str>,
}

impl Proc {
    /// Spawns `program args`, with HOME and XDG_* inside a fresh temp dir and
    /// no proxy variables. `ready` picks a value out of a stderr line.
    pub fn spawn<R: Send + 'static>(
        program: &Path,
        args: &[String],
        env: &[(&str, String)],
        ready: impl Fn(&str) -> Option<R> + Send + 'static,
        within: Duration,
    ) -> (Proc, Option<R>) {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(program);
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .env("HOME", dir.path())
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("XDG_DATA_HOME", dir.path().join("data"));
        for v in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "NO_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
            "no_proxy",
            "GITHUB_ACTIONS",
        ] {
            cmd.env_remove(v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawning {}: {e}", program.display()));
        let stderr = child.stderr.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let l = lines.clone();
        thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if !sent && let Some(r) = ready(&line) {
                    let _ = tx.send(r);
                    sent = true;
                }
                l.lock().unwrap().push(line);
            }
        });
        let name = program.file_name().unwrap().to_string_lossy().into_owned();
        let got = rx.recv_timeout(within).ok();
        (
            Proc {
                child,
                name,
                lines,
                dir,
                stop_signal: None,
            },
            got,
        )
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stderr(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    pub fn stderr_lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// `kill -<sig> <pid>` through the kill(1) command.
    pub fn signal(&self, sig: &str) {
        let st = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(st.success(), "kill -{sig} {} failed", self.pid());
    }

    /// Waits for the process to exit, at most `within`.
    pub fn wait_exit(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(st)) = self.child.try_wait() {
                return Some(st);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Some(sig) = self.stop_signal
            && self.running()
        {
            let _ = Command::new("kill")
                .arg(format!("-{sig}"))
                .arg(self.pid().to_string())
                .status();
            let _ = self.wait_exit(Duration::from_secs(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn oidcat_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("oidcat")
}

/// `oidcat ARGS` (a `serve` command line) with `env`, until its start-up
/// line, which is returned with the process.
pub fn serve_start_line(args: &[String], env: &[(&str, String)]) -> (Proc, String) {
    let (proc, line) = Proc::spawn(
        &oidcat_bin(),
        args,
        env,
        |l| {
            l.starts_with("oidcat serve listening on http://")
                .then(|| l.to_string())
        },
        Duration::from_secs(20),
    );
    let line = line.unwrap_or_else(|| panic!("no start-up line; stderr:\n{}", proc.stderr()));
    (proc, line)
}

/// A running `oidcat serve --listen 127.0.0.1:0 <args>`.
pub struct Serve {
    pub proc: Proc,
    pub addr: SocketAddr,
}

impl Serve {
    pub fn start(args: &[&str]) -> Serve {
        let mut all: Vec<String> = vec![
            "--timeout".into(),
            "3".into(),
            "serve".into(),
            "--listen".into(),
            "127.0.0.1:0".into(),
        ];
        all.extend(args.iter().map(|s| s.to_string()));
        let (proc, addr) = Proc::spawn(
            &oidcat_bin(),
            &all,
            &[],
            |l| {
                l.strip_prefix("oidcat serve listening on http://")
                    .and_then(|a| a.split(';').next())
                    .and_then(|a| a.trim().parse::<SocketAddr>().ok())
            },
            Duration::from_secs(20),
        );
        let addr = addr
            .unwrap_or_else(|| panic!("oidcat serve did not start; stderr:\n{}", proc.stderr()));
        Serve { proc, addr }
    }

    /// Serving the trusted test set from `jwks_url`, audience `api`, `--claim repository=acme/app`.
    pub fn standard(jwks_url: &str, extra: &[&str]) -> Serve {
        let mut args = vec![
            "--jwks-uri",
            jwks_url,
            "--audience",
            AUD,
            "--issuer",
            ISS,
            "--claim",
            "repository=acme/app",
        ];
        args.extend_from_slice(extra);
        Serve::start(&args)
    }

    pub fn verify(&self, token: Option<&str>) -> Resp {
        let auth = token.map(bearer);
        let h: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
        get(self.addr, "/verify", &h)
            .unwrap_or_else(|e| panic!("GET /verify: {e}; stderr:\n{}", self.proc.stderr()))
    }

    /// Asserts no stderr line holds a JWT or any of `tokens`.
    pub fn assert_log_clean(&self, tokens: &[&str]) {
        // the log writer flushes every 100 ms
        thread::sleep(Duration::from_millis(300));
        for l in self.proc.stderr_lines() {
            assert_no_jwt(&format!("log line {l:?}"), l.as_bytes(), tokens);
        }
    }
}

/// Runs `f` on `n` threads and collects their results, every thread joined.
pub fn parallel<T: Send + 'static>(
    n: usize,
    f: impl Fn(usize) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let f = Arc::new(f);
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let f = f.clone();
            thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || f(i))
                .unwrap()
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("a client thread panicked"))
        .collect()
}

/// `which NAME`, or `None` (with a printed notice) when absent.
pub fn tool(name: &str) -> Option<PathBuf> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .ok()?;
    let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if out.status.success() && !p.is_empty() {
        Some(PathBuf::from(p))
    } else {
        eprintln!(
            "NOTICE: `{name}` not found on PATH: skipping this gateway test (install it, e.g. apt-get install nginx-light caddy)"
        );
        None
    }
}
