//! Machinery for the `serve` tests: tokens signed with the committed test
//! keys at the real clock, small HTTP servers on 127.0.0.1 (a JWKS endpoint
//! whose answer can change or go away, an upstream that echoes the identity
//! header it received), a raw HTTP/1.1 client with keep-alive, and a spawned
//! `oidcat serve` killed on drop. Everything is loopback-only and bounded.

#![allow(dead_code)]

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

/// The issuer the test tokens carry (and servers pin).
pub const ISS: &str = "https://idp.test";
pub const AUD: &str = "api";

// ---------------------------------------------------------------- files and time

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

pub fn jwk(file: &str) -> Value {
    serde_json::from_str(&read_fixture(&format!("keys/{file}"))).unwrap()
}

/// The trusted set: rsa-1, ec-1, ec-384, ed-1.
pub fn trusted_jwks() -> String {
    read_fixture("keys/jwks.json")
}

pub fn jwks_of(files: &[&str]) -> String {
    json!({ "keys": files.iter().map(|f| jwk(f)).collect::<Vec<_>>() }).to_string()
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

// ---------------------------------------------------------------- tokens

fn encoding_key(alg: Algorithm, pem: &[u8]) -> EncodingKey {
    use Algorithm::*;
    match alg {
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => EncodingKey::from_rsa_pem(pem).unwrap(),
        ES256 | ES384 => EncodingKey::from_ec_pem(pem).unwrap(),
        EdDSA => EncodingKey::from_ed_pem(pem).unwrap(),
        HS256 | HS384 | HS512 => EncodingKey::from_secret(pem).unwrap(),
        _ => panic!("unsupported {alg:?}"),
    }
}

/// Signs arbitrary header and payload bytes with `keys/<key_file>`.
pub fn sign_raw(alg: Algorithm, key_file: &str, header: &[u8], payload: &[u8]) -> String {
    let pem = std::fs::read(fixture(&format!("keys/{key_file}"))).unwrap();
    let msg = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let sig = jsonwebtoken::crypto::sign(msg.as_bytes(), &encoding_key(alg, &pem), alg).unwrap();
    format!("{msg}.{sig}")
}

/// Standard claims valid now: iss, aud `api`, sub `user-1`, repository `acme/app`.
pub fn claims() -> Value {
    let n = now();
    json!({"iss": ISS, "aud": AUD, "sub": "user-1", "iat": n - 10, "exp": n + 600, "repository": "acme/app",
           "email": "user-1@example.test", "groups": ["dev", "ops"]})
}

/// `claims()` with members replaced (`null` removes the member).
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

/// RS256 with `rsa.pem`, kid `rsa-1`.
pub fn token(claims: &Value) -> String {
    token_kid("rsa-1", "rsa.pem", claims)
}

/// RS256 with `key_file` and header kid `kid`.
pub fn token_kid(kid: &str, key_file: &str, claims: &Value) -> String {
    let h = json!({"alg": "RS256", "typ": "JWT", "kid": kid});
    sign_raw(
        Algorithm::RS256,
        key_file,
        h.to_string().as_bytes(),
        claims.to_string().as_bytes(),
    )
}

/// A token with an arbitrary header (signed RS256 by `rsa.pem`).
pub fn token_h(header: &Value, claims: &Value) -> String {
    sign_raw(
        Algorithm::RS256,
        "rsa.pem",
        header.to_string().as_bytes(),
        claims.to_string().as_bytes(),
    )
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

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
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

/// Reads a request head (and any Content-Length body) from `s`; `None` at EOF.
fn read_request(s: &mut TcpStream, buf: &mut Vec<u8>) -> Option<String> {
    let end = loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 128 * 1024 {
            return None;
        }
        let mut chunk = [0u8; 8192];
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    buf.drain(..end + 4);
    let len = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        })
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < len {
        let mut chunk = [0u8; 8192];
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    buf.drain(..len);
    Some(head)
}

fn header_of(head: &str, name: &str) -> Option<String> {
    head.split("\r\n")
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().to_string())
}

/// The answer of a [`Mock`]: status and body.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// An HTTP server on 127.0.0.1 that answers every request with the current
/// [`Answer`], counts requests, and can be taken down (then connections are
/// refused). `Connection: close` on every answer.
pub struct Mock {
    pub addr: SocketAddr,
    pub hits: Arc<AtomicUsize>,
    /// Wait this long before answering.
    pub delay: Arc<Mutex<Duration>>,
    answer: Arc<Mutex<Answer>>,
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Mock {
    pub fn start(status: u16, body: &str) -> Mock {
        Mock::start_on("127.0.0.1:0", status, body)
    }

    pub fn start_on(addr: &str, status: u16, body: &str) -> Mock {
        let listener = TcpListener::bind(addr).unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(AtomicUsize::new(0));
        let answer = Arc::new(Mutex::new(Answer {
            status,
            body: body.to_string(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let delay = Arc::new(Mutex::new(Duration::ZERO));
        let (h, a, st, dl) = (hits.clone(), answer.clone(), stop.clone(), delay.clone());
        let thread = thread::spawn(move || {
            while !st.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((mut s, _)) => {
                        let (h, a, dl) = (h.clone(), a.clone(), dl.clone());
                        thread::spawn(move || {
                            let _ = s.set_nonblocking(false);
                            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
                            let mut buf = Vec::new();
                            if read_request(&mut s, &mut buf).is_some() {
                                h.fetch_add(1, Ordering::SeqCst);
                                let pause = *dl.lock().unwrap();
                                thread::sleep(pause);
                                let ans = a.lock().unwrap().clone();
                                let reply = format!(
                                    "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                                    ans.status,
                                    ans.body.len(),
                                    ans.body
                                );
                                let _ = s.write_all(reply.as_bytes());
                            }
                            let _ = s.shutdown(Shutdown::Both);
                        });
                    }
                    Err(_) => thread::sleep(Duration::from_millis(2)),
                }
            }
            // the listener is dropped here: later connects are refused
        });
        Mock {
            addr,
            hits,
            delay,
            answer,
            stop,
            thread: Some(thread),
        }
    }

    pub fn jwks(body: &str) -> Mock {
        Mock::start(200, body)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    pub fn set(&self, status: u16, body: &str) {
        *self.answer.lock().unwrap() = Answer {
            status,
            body: body.to_string(),
        };
    }

    /// Stops accepting and closes the listening socket.
    pub fn down(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// An upstream behind a gateway: answers 200 with `user=<X-Auth-Request-User>`
/// (`user=<none>` when absent), keep-alive, counting requests.
pub struct Upstream {
    pub addr: SocketAddr,
    pub hits: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Upstream {
    pub fn start() -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (h, st) = (hits.clone(), stop.clone());
        thread::spawn(move || {
            while !st.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((mut s, _)) => {
                        let h = h.clone();
                        thread::spawn(move || {
                            let _ = s.set_nonblocking(false);
                            let _ = s.set_read_timeout(Some(Duration::from_secs(15)));
                            let mut buf = Vec::new();
                            while let Some(head) = read_request(&mut s, &mut buf) {
                                h.fetch_add(1, Ordering::SeqCst);
                                let user = header_of(&head, "x-auth-request-user")
                                    .unwrap_or_else(|| "<none>".into());
                                let body = format!("user={user}");
                                let close = head.to_ascii_lowercase().contains("connection: close")
                                    || head.starts_with("GET / HTTP/1.0")
                                    || head.lines().next().is_some_and(|l| l.ends_with("HTTP/1.0"));
                                let reply = format!(
                                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n{}\r\n{body}",
                                    body.len(),
                                    if close { "Connection: close\r\n" } else { "" }
                                );
                                if s.write_all(reply.as_bytes()).is_err() || close {
                                    break;
                                }
                            }
                            let _ = s.shutdown(Shutdown::Both);
                        });
                    }
                    Err(_) => thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        Upstream { addr, hits, stop }
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
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
