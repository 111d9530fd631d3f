//! Real servers on 127.0.0.1 for the binary to talk to: [`Server`], an
//! HTTP(S) server answering by path (discovery documents and key sets with
//! [`Server::serve_issuer`]), with a fallback reply for every other path, or
//! through a handler of its own; it counts requests, can answer slowly or
//! late, and can be taken down. [`Proxy`], a CONNECT / absolute-URI proxy.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{Value, json};

use super::fixtures::read_json;

/// A request head as received.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The request target as sent (origin-form or absolute-form).
    pub target: String,
    /// The path of the target, query removed.
    pub path: String,
    /// Header names as sent, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The whole head, request line and headers, without the final CRLF CRLF.
    pub head: String,
}

impl Request {
    /// The first header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Where `needle` first stands in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request head (and drops any Content-Length body) from `s`,
/// bytes beyond it staying in `buf`; `None` at EOF, on an error, or when the
/// head passes 128 KiB.
pub fn read_request(s: &mut impl Read, buf: &mut Vec<u8>) -> Option<Request> {
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
    let mut lines = head.split("\r\n");
    let mut words = lines.next().unwrap_or_default().split_whitespace();
    let method = words.next().unwrap_or_default().to_string();
    let target = words.next().unwrap_or("/").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < len {
        let mut chunk = [0u8; 8192];
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    buf.drain(..len);
    Some(Request {
        path: target_path(&target),
        method,
        target,
        headers,
        head,
    })
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

/// What a [`Server`] answers.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    /// The reason phrase of the status line.
    pub reason: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Write the body one byte at a time with this pause.
    pub trickle: Option<Duration>,
    /// Keep the connection open for the next request (else `Connection: close`).
    pub keep_alive: bool,
}

impl Reply {
    /// 200 with a body of `Content-Type: application/json`.
    pub fn json(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            reason: "X",
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            trickle: None,
            keep_alive: false,
        }
    }
    pub fn value(v: &Value) -> Reply {
        Reply::json(serde_json::to_vec_pretty(v).expect("JSON serializes"))
    }
    /// `code` with a `text/plain` body.
    pub fn status(code: u16) -> Reply {
        Reply {
            status: code,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: b"nope".to_vec(),
            ..Reply::json("")
        }
    }
    pub fn redirect(location: &str) -> Reply {
        Reply {
            status: 302,
            headers: vec![("Location".into(), location.into())],
            body: vec![],
            ..Reply::json("")
        }
    }
    /// Sets the status (and reason phrase) of any reply.
    pub fn with_status(mut self, status: u16, reason: &'static str) -> Reply {
        self.status = status;
        self.reason = reason;
        self
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
    pub fn keep_alive(mut self, keep: bool) -> Reply {
        self.keep_alive = keep;
        self
    }
}

type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

/// How a [`Server`] picks its reply.
#[derive(Clone)]
struct Answers {
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    /// For paths without a route.
    fallback: Arc<Mutex<Reply>>,
    /// Replaces the two above when set.
    handler: Option<Handler>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    total: Arc<AtomicUsize>,
    delay: Arc<Mutex<Duration>>,
    idle: Duration,
}

impl Answers {
    fn reply(&self, req: &Request) -> Reply {
        self.total.fetch_add(1, Ordering::SeqCst);
        *lock(&self.hits).entry(req.path.clone()).or_default() += 1;
        let pause = *lock(&self.delay);
        thread::sleep(pause);
        match &self.handler {
            Some(h) => h(req),
            None => lock(&self.routes)
                .get(&req.path)
                .cloned()
                .unwrap_or_else(|| lock(&self.fallback).clone()),
        }
    }

    /// Answers the requests of one connection until it closes, one asks to
    /// close or a reply does.
    fn serve<S: Read + Write>(&self, s: &mut S) {
        let mut buf = Vec::new();
        while let Some(req) = read_request(s, &mut buf) {
            let reply = self.reply(&req);
            let client_closes = req
                .header("connection")
                .is_some_and(|v| v.to_ascii_lowercase().contains("close"))
                || req
                    .head
                    .lines()
                    .next()
                    .is_some_and(|l| l.ends_with("HTTP/1.0"));
            let keep = reply.keep_alive && !client_closes;
            if write_reply(s, &reply, keep).is_err() || !keep {
                break;
            }
        }
        let _ = s.flush();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // a panicking test thread must not take every later request down with it
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn write_reply(s: &mut impl Write, reply: &Reply, keep: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n{}Content-Length: {}\r\n",
        reply.status,
        reply.reason,
        if keep { "" } else { "Connection: close\r\n" },
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    match reply.trickle {
        None => s.write_all(&reply.body)?,
        Some(pause) => {
            for b in &reply.body {
                s.write_all(&[*b])?;
                s.flush()?;
                thread::sleep(pause);
            }
        }
    }
    s.flush()
}

/// An HTTP (or HTTPS) server on 127.0.0.1, one thread per connection,
/// stopped (its port closed) when taken [`down`](Server::down) or dropped.
pub struct Server {
    pub addr: SocketAddr,
    pub tls: bool,
    /// Wait this long before answering each request.
    pub delay: Arc<Mutex<Duration>>,
    answers: Answers,
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Server {
    /// Answers the routes [`set`](Server::set); 404 elsewhere.
    pub fn start() -> Server {
        Self::launch("127.0.0.1:0", None, None, Duration::from_secs(5))
    }

    /// [`Server::start`] on a given address of 127.0.0.1.
    pub fn start_on(addr: &str) -> Server {
        Self::launch(addr, None, None, Duration::from_secs(5))
    }

    /// Answers every request with `handler`; an idle connection is closed
    /// after `idle`.
    pub fn with_handler(
        idle: Duration,
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Server {
        Self::launch("127.0.0.1:0", None, Some(Arc::new(handler)), idle)
    }

    /// An HTTPS server with a certificate for localhost / 127.0.0.1.
    pub fn start_tls(cert_der: Vec<u8>, key_der: Vec<u8>) -> Server {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let cfg = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![rustls_pki_types::CertificateDer::from(cert_der)],
                rustls_pki_types::PrivateKeyDer::Pkcs8(key_der.into()),
            )
            .expect("the test certificate and key fit");
        Self::launch(
            "127.0.0.1:0",
            Some(Arc::new(cfg)),
            None,
            Duration::from_secs(5),
        )
    }

    fn launch(
        addr: &str,
        tls: Option<Arc<rustls::ServerConfig>>,
        handler: Option<Handler>,
        idle: Duration,
    ) -> Server {
        let listener = TcpListener::bind(addr).unwrap_or_else(|e| panic!("bind {addr}: {e}"));
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("a bound address");
        let answers = Answers {
            routes: Arc::default(),
            fallback: Arc::new(Mutex::new(Reply::status(404))),
            handler,
            hits: Arc::default(),
            total: Arc::default(),
            delay: Arc::default(),
            idle,
        };
        let stop = Arc::new(AtomicBool::new(false));
        let (a, st, is_tls) = (answers.clone(), stop.clone(), tls.is_some());
        let thread = thread::spawn(move || {
            while !st.load(Ordering::SeqCst) {
                let Ok((mut tcp, _)) = listener.accept() else {
                    thread::sleep(Duration::from_millis(2));
                    continue;
                };
                let (a, tls) = (a.clone(), tls.clone());
                thread::spawn(move || {
                    let _ = tcp.set_nonblocking(false);
                    let _ = tcp.set_read_timeout(Some(a.idle));
                    let _ = tcp.set_write_timeout(Some(a.idle));
                    match tls {
                        None => {
                            a.serve(&mut tcp);
                            let _ = tcp.shutdown(Shutdown::Both);
                        }
                        Some(cfg) => {
                            let Ok(conn) = rustls::ServerConnection::new(cfg) else {
                                return;
                            };
                            a.serve(&mut rustls::StreamOwned::new(conn, tcp));
                        }
                    }
                });
            }
            // the listener is dropped here: later connects are refused
        });
        Server {
            addr,
            tls: is_tls,
            delay: answers.delay.clone(),
            answers,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` with TLS.
    pub fn url(&self) -> String {
        if self.tls {
            format!("https://localhost:{}", self.addr.port())
        } else {
            format!("http://127.0.0.1:{}", self.addr.port())
        }
    }

    /// Answers `path` with `reply` from now on.
    pub fn set(&self, path: &str, reply: Reply) {
        lock(&self.answers.routes).insert(path.to_string(), reply);
    }

    /// Answers every path without a route with `reply` from now on.
    pub fn set_fallback(&self, reply: Reply) {
        *lock(&self.answers.fallback) = reply;
    }

    /// Requests for `path` so far.
    pub fn hits(&self, path: &str) -> usize {
        lock(&self.answers.hits).get(path).copied().unwrap_or(0)
    }

    /// Requests so far, any path.
    pub fn total(&self) -> usize {
        self.answers.total.load(Ordering::SeqCst)
    }

    /// Stops accepting and closes the listening socket.
    pub fn down(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Serves a discovery document (issuer and jwks_uri rewritten) and a key set.
    /// `issuer` is the full issuer URL to publish; returns it.
    pub fn serve_issuer(&self, issuer: &str, mut doc: Value, jwks: Value) -> String {
        let disc = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        let disc_path = url::Url::parse(&disc)
            .unwrap_or_else(|e| panic!("{disc}: {e}"))
            .path()
            .to_string();
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

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// A self-signed certificate for localhost / 127.0.0.1: (PEM, cert DER, key DER).
pub fn self_signed() -> (String, Vec<u8>, Vec<u8>) {
    let ck =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .expect("a self-signed certificate");
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
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("a bound address");
        let hits = Arc::new(AtomicUsize::new(0));
        let asked: Arc<Mutex<Vec<String>>> = Arc::default();
        let (h, a) = (hits.clone(), asked.clone());
        // Detached: it dies with the test binary.
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut client) = conn else { continue };
                let (h, a) = (h.clone(), a.clone());
                thread::spawn(move || {
                    let _ = client.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut rest = Vec::new();
                    let Some(req) = read_request(&mut client, &mut rest) else {
                        return;
                    };
                    h.fetch_add(1, Ordering::SeqCst);
                    lock(&a).push(format!("{} {}", req.method, req.target));
                    let Ok(mut up) = TcpStream::connect(upstream) else {
                        return;
                    };
                    let first = if req.method == "CONNECT" {
                        client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    } else {
                        up.write_all(format!("{}\r\n\r\n", req.head).as_bytes())
                    };
                    if first.and_then(|()| up.write_all(&rest)).is_err() {
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
    let (Ok(mut a2), Ok(mut b2)) = (a.try_clone(), b.try_clone()) else {
        return;
    };
    let (mut a, mut b) = (a, b);
    let t = thread::spawn(move || {
        let _ = std::io::copy(&mut a2, &mut b2);
        let _ = b2.shutdown(Shutdown::Write);
    });
    let _ = std::io::copy(&mut b, &mut a);
    let _ = a.shutdown(Shutdown::Write);
    let _ = t.join();
}
