//! `oidcat serve`: the verify core over HTTP for gateways. hyper 1 (HTTP/1.1,
//! keep-alive) on a small multi-thread tokio runtime confined to this module.
//! Signature checks are short CPU work and run inline; blocking key fetches
//! run on their own thread or through `block_in_place`, never stalling a worker.

mod deadline;
pub mod handler;
pub mod json;
pub mod keys;
pub mod log;
pub mod metrics;
pub mod policy;
pub mod vcache;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::error::{Error, Kind};
use crate::note::{Note, Notes};
use crate::verify::Policy;

/// Request headers larger than this are refused (431 from hyper).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// Request bodies are never needed; at most this much is drained.
const MAX_BODY_BYTES: usize = 16 * 1024;
/// ... and for at most this long: a declared body that never arrives (or
/// trickles) must not hold the answer or the connection slot.
const BODY_TIMEOUT: Duration = Duration::from_secs(1);

/// Everything a request handler reads. Shared, immutable but for atomics.
pub struct State {
    pub policy: Policy,
    pub keys: Arc<keys::ServeKeys>,
    /// `--forward-claim` names and their `X-Auth-Request-Claim-*` headers
    /// ([`handler::forward_claims`]).
    pub forward_claims: Vec<(String, http::HeaderName)>,
    pub metrics: metrics::Metrics,
    pub vcache: Option<vcache::VerifiedCache>,
    pub log: Option<log::AccessLog>,
    /// `--policy FILE`: issuers and routes from a file, instead of
    /// `policy` and `keys` (which then stay unused).
    pub live: Option<Arc<policy::LivePolicy>>,
}

impl State {
    /// A state checking `policy` against `keys`: no forwarded claims, fresh
    /// metrics, no verified-token cache and no access log (add them with the
    /// `with_*` methods).
    pub fn new(policy: Policy, keys: Arc<keys::ServeKeys>) -> State {
        State {
            policy,
            keys,
            forward_claims: Vec::new(),
            metrics: metrics::Metrics::default(),
            vcache: None,
            log: None,
            live: None,
        }
    }

    /// Forwards these claims as headers (from [`handler::forward_claims`]).
    pub fn with_forward_claims(mut self, forward_claims: Vec<(String, http::HeaderName)>) -> State {
        self.forward_claims = forward_claims;
        self
    }

    /// Keeps verified tokens in this cache (`None`: no cache).
    pub fn with_verified_cache(mut self, vcache: Option<vcache::VerifiedCache>) -> State {
        self.vcache = vcache;
        self
    }

    /// Serves a policy file instead of the single-issuer settings.
    pub fn with_policy_file(mut self, live: Option<Arc<policy::LivePolicy>>) -> State {
        self.live = live;
        self
    }

    /// Writes one access-log line per request here (`None`: no log).
    pub fn with_access_log(mut self, log: Option<log::AccessLog>) -> State {
        self.log = log;
        self
    }
}

#[derive(Debug, Clone)]
pub struct Limits {
    pub workers: usize,
    pub max_connections: usize,
    pub header_timeout: Duration,
}

/// Where gateways put the original request (docs/serve.md): logged; with a
/// policy file, also what its routes are matched against (docs/policy.md).
pub(crate) const X_FORWARDED_METHOD: http::HeaderName =
    http::HeaderName::from_static("x-forwarded-method");
pub(crate) const X_ORIGINAL_METHOD: http::HeaderName =
    http::HeaderName::from_static("x-original-method");
pub(crate) const X_FORWARDED_URI: http::HeaderName =
    http::HeaderName::from_static("x-forwarded-uri");
pub(crate) const X_ORIGINAL_URI: http::HeaderName = http::HeaderName::from_static("x-original-uri");

fn log_line(
    state: &State,
    method: &http::Method,
    headers: &http::HeaderMap,
    path: &str,
    status: u16,
    kind: Option<crate::error::Kind>,
    started: Instant,
) {
    let Some(log) = &state.log else { return };
    log.line(|line| {
        use std::fmt::Write;
        let h = |n: &http::HeaderName| headers.get(n).and_then(|v| v.to_str().ok());
        log::push_timestamp(line);
        line.push(' ');
        let m = h(&X_FORWARDED_METHOD)
            .or_else(|| h(&X_ORIGINAL_METHOD))
            .unwrap_or(method.as_str());
        match m {
            "GET" | "POST" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "PATCH" => line.push_str(m),
            _ => line.push_str(&crate::sanitize::truncate(&log::redact_jwts(m), 16)),
        }
        line.push(' ');
        log::push_safe_uri(line, path);
        let _ = write!(
            line,
            " status={status} kind={} us={}",
            kind.map_or("-", |k| k.as_str()),
            started.elapsed().as_micros(),
        );
        if let Some(u) = h(&X_FORWARDED_URI).or_else(|| h(&X_ORIGINAL_URI)) {
            line.push_str(" uri=");
            log::push_safe_uri(line, u);
        }
    });
}

/// The answer to a request, made synchronously on the connection's thread
/// (after any body has been drained), with its access-log line.
fn answer(state: &State, parts: &http::request::Parts, started: Instant) -> Response {
    let (path, query) = (parts.uri.path(), parts.uri.query());
    let (method, headers) = (&parts.method, &parts.headers);
    // A panic in a request never takes the process down and never answers 2xx.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        handler::respond(state, method, path, query, headers)
    }));
    let (resp, kind) = match result {
        Ok(a) => (a.response, a.kind),
        Err(_) => (
            handler::response(
                http::StatusCode::INTERNAL_SERVER_ERROR,
                "application/json",
                Bytes::from_static(NO_VERDICT),
            ),
            None,
        ),
    };
    log_line(
        state,
        method,
        headers,
        path,
        resp.status().as_u16(),
        kind,
        started,
    );
    let (p, b) = resp.into_parts();
    hyper::Response::from_parts(p, Full::new(b))
}

type Response = hyper::Response<Full<Bytes>>;

/// The body of a 500 (a handler panic, caught): the `verify -o json` document
/// of a token nothing was decided about. `error` is null rather than a kind:
/// every kind is a documented verdict on the token or its keys, and this is
/// neither.
pub const NO_VERDICT: &[u8] =
    b"{\"valid\":false,\"header\":null,\"claims\":null,\"key\":null,\"checks\":[],\"error\":null}";

/// One connection's service. A request without a body is answered within
/// `call` from the shared state by reference: nothing shared is written per
/// request (a per-request `Arc` clone made two workers pass its count's
/// cache line back and forth). Only a request with a body to drain (never
/// sent by gateways) takes a clone and a boxed future.
struct Service {
    state: Arc<State>,
    /// Shared with this connection's `--header-timeout` watch.
    progress: Arc<deadline::Progress>,
}

enum Reply {
    Ready(Option<Response>),
    Drain(std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>>),
}

impl std::future::Future for Reply {
    type Output = Result<Response, Infallible>;
    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        match self.get_mut() {
            Reply::Ready(r) => std::task::Poll::Ready(Ok(r.take().unwrap_or_else(|| {
                // polled again after its answer: hyper never does; answer 500, not panic
                hyper::Response::builder()
                    .status(http::StatusCode::INTERNAL_SERVER_ERROR)
                    .body(Full::new(Bytes::new()))
                    .unwrap_or_default()
            }))),
            Reply::Drain(f) => f.as_mut().poll(cx).map(Ok),
        }
    }
}

impl hyper::service::Service<hyper::Request<Incoming>> for Service {
    type Response = Response;
    type Error = Infallible;
    type Future = Reply;

    fn call(&self, req: hyper::Request<Incoming>) -> Reply {
        let started = Instant::now();
        let (parts, body) = req.into_parts();
        if hyper::body::Body::is_end_stream(&body) {
            self.progress.answered(started);
            return Reply::Ready(Some(answer(&self.state, &parts, started)));
        }
        // Drain (and bound) the body so keep-alive stays usable; its content
        // is ignored. Boxed: hyper keeps one in-flight future per connection,
        // sized for its largest state; inline, the timer and collector made it
        // 800 bytes on each of 1,000 keep-alive connections.
        let (state, progress) = (self.state.clone(), self.progress.clone());
        progress.busy();
        Reply::Drain(Box::pin(async move {
            let drain =
                tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, MAX_BODY_BYTES).collect());
            let _ = drain.await;
            let r = answer(&state, &parts, started);
            progress.answered(Instant::now());
            r
        }))
    }
}

/// How long in-flight requests (and connections part-way through their
/// headers) get to finish after SIGTERM/SIGINT. With the runtime's own 1 s
/// shutdown the process is gone within 5 s, whatever the clients do.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// Serves on `listener` until `shutdown` resolves; in-flight requests get up
/// to [`SHUTDOWN_GRACE`] to finish.
pub async fn serve_on(
    listener: TcpListener,
    state: Arc<State>,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let churn = Arc::new(Churn::default());
    let trimmer = tokio::spawn(trim_after_churn(churn.clone()));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        // --header-timeout is kept by `deadline::within`, one timer per
        // connection rather than one per request
        .header_read_timeout(None)
        .keep_alive(true)
        // One contiguous write per answer: copying the ~2 KB document behind
        // the head costs less than the kernel's walk over two iovecs
        // (bench/serve.sh measured about 1% more answers per second).
        .writev(false)
        .max_buf_size(MAX_HEADER_BYTES.max(8192));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            _ = &mut shutdown => break,
        };
        let (stream, _) = tokio::select! {
            r = listener.accept() => match r {
                Ok(s) => s,
                Err(_) => { tokio::time::sleep(Duration::from_millis(10)).await; continue; }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let progress = Arc::new(deadline::Progress::new());
        let service = Service {
            state: state.clone(),
            progress: progress.clone(),
        };
        let conn = builder.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        let churn = churn.clone();
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            let _ = deadline::within(conn, &progress, header_timeout).await;
            drop(permit);
            churn.closed();
        });
    }
    drop(listener);
    trimmer.abort();
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(SHUTDOWN_GRACE) => {}
    }
}

/// Connections that close leave their buffers (about 15 KiB each) free but
/// resident in glibc's per-thread arenas, and the next crowd of connections
/// is partly served from other arenas: after eight crowds of 1,000
/// connections opened and closed, a server held 31 MiB instead of 20. Once
/// at least [`TRIM_AFTER_CLOSED`] connections have closed, the free memory
/// goes back to the system, off the workers, at most once per
/// [`TRIM_EVERY`]. Connections that stay open never trigger it.
#[derive(Default)]
struct Churn {
    /// Connections closed since the last trim.
    closed: std::sync::atomic::AtomicUsize,
}

const TRIM_AFTER_CLOSED: usize = 128;
const TRIM_EVERY: Duration = Duration::from_secs(1);

impl Churn {
    fn closed(&self) {
        self.closed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether enough connections closed since the last trim to trim now;
    /// if so, the count starts again.
    fn due(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        if self.closed.load(Relaxed) < TRIM_AFTER_CLOSED {
            return false;
        }
        self.closed.store(0, Relaxed);
        true
    }
}

async fn trim_after_churn(churn: Arc<Churn>) {
    let mut every = tokio::time::interval(TRIM_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        every.tick().await;
        if churn.due() {
            let _ = tokio::task::spawn_blocking(release_free_memory).await;
        }
    }
}

/// Returns the free pages of every malloc arena to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_free_memory() {
    // SAFETY: malloc_trim takes no pointer and touches only glibc's own
    // arenas, each under its lock.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_free_memory() {}

/// Resolves on SIGTERM or SIGINT.
pub async fn signals() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        match (term, int) {
            (Ok(mut t), Ok(mut i)) => {
                tokio::select! { _ = t.recv() => {}, _ = i.recv() => {} }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `--listen HOST:PORT`: an IP address (`0.0.0.0:8080`, `[::1]:8080`) or a
/// host name (`localhost:8080`, resolved once at start-up; its first address
/// is used).
pub fn listen_addr(listen: &str) -> Result<SocketAddr, Error> {
    if let Ok(a) = listen.parse::<SocketAddr>() {
        return Ok(a);
    }
    let usage = |why: &str| {
        Error::usage(format!(
            "--listen {listen:?}: {why}; expected HOST:PORT like 127.0.0.1:8080, localhost:8080, [::1]:8080 or 0.0.0.0:8080"
        ))
    };
    let Some((host, port)) = listen.rsplit_once(':') else {
        return Err(usage("no port"));
    };
    if port.parse::<u16>().is_err() {
        return Err(usage("the port is not a number from 0 to 65535"));
    }
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !host_ok {
        return Err(usage("not an IP address or a host name"));
    }
    use std::net::ToSocketAddrs;
    let mut addrs = listen
        .to_socket_addrs()
        .map_err(|e| Error::caused_by(Kind::Usage, format!("--listen {listen:?}: {e}"), e))?;
    addrs
        .next()
        .ok_or_else(|| usage("the host name has no address"))
}

/// What `serve` was configured with, for the start-up summary line.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The issuer `iss` must equal (`--issuer`), if any.
    pub issuer: Option<String>,
    /// Where the keys come from, when not from the issuer's discovery
    /// document (`--jwks-uri URL`, `--jwks-file PATH`, `--key PATH`, a secret).
    pub keys_from: Option<String>,
    /// `None`: any audience.
    pub audiences: Option<Vec<String>>,
    /// `--claim`, `--require` and `--assert` rules.
    pub claim_rules: usize,
    pub routes: usize,
    /// With `--policy`: each issuer as "NAME (N keys from SOURCE)"; the
    /// single-issuer fields above are then unused.
    pub policy_issuers: Vec<String>,
}

impl Summary {
    /// Keys with no issuer to pin `iss`: any issuer signing with them passes.
    pub fn unpinned(&self) -> bool {
        self.issuer.is_none() && self.policy_issuers.is_empty()
    }

    /// The start-up line: where it listens, each issuer and its key count
    /// (`None`: none loaded yet), audiences, claim rules and routes.
    pub fn line(&self, local: SocketAddr, keys: Option<usize>) -> String {
        let keys = match keys {
            Some(1) => "1 key".to_string(),
            Some(n) => format!("{n} keys"),
            None => "no keys loaded yet".to_string(),
        };
        let from = self
            .keys_from
            .as_ref()
            .map(|f| format!(" from {f}"))
            .unwrap_or_default();
        let issuer = match &self.issuer {
            Some(i) => format!("issuer {i} ({keys}{from})"),
            None => format!("UNPINNED issuer, any `iss` accepted ({keys}{from})"),
        };
        let audiences = match &self.audiences {
            Some(a) => format!("audiences {}", a.join(", ")),
            None => "any audience".to_string(),
        };
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        if !self.policy_issuers.is_empty() {
            return format!(
                "oidcat serve listening on http://{local}; policy issuers {}; {}",
                self.policy_issuers.join(", "),
                plural(self.routes, "route"),
            );
        }
        format!(
            "oidcat serve listening on http://{local}; {issuer}; {audiences}; {}; {}",
            plural(self.claim_rules, "claim rule"),
            plural(self.routes, "route"),
        )
    }
}

/// Runs the server: loads keys first, then listens. Blocks until a signal.
/// Start-up and shut-down lines, and a first key-set load that failed, go to `notes`.
pub fn run(
    listen: &str,
    state: Arc<State>,
    limits: Limits,
    summary: &Summary,
    notes: &Notes,
) -> Result<(), Error> {
    let addr = listen_addr(listen)?;
    // Load keys before answering anything (gateways time out auth calls fast).
    // With a policy file every issuer's keys were loaded when it was read.
    let loaded = state.keys.reload();
    if let Err(e) = &loaded
        && state.live.is_none()
    {
        notes.send(Note::Warning(format!(
            "no key set yet ({}); /verify answers 503 and /readyz 503 until one loads",
            e.message
        )));
    }
    if summary.unpinned() {
        notes.send(Note::Warning(format!(
            "no --issuer: tokens from any issuer signed with the keys{} pass; give --issuer to pin `iss`",
            summary
                .keys_from
                .as_ref()
                .map(|f| format!(" from {f}"))
                .unwrap_or_default()
        )));
    }
    let stop = Arc::new(AtomicBool::new(false));
    state.keys.spawn_refresher(stop.clone());
    if let Some(live) = &state.live {
        live.spawn_watcher(stop.clone());
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(limits.workers)
        .thread_name("oidcat-serve")
        .enable_all()
        .build()
        .map_err(|e| Error::caused_by(Kind::Io, format!("starting the server runtime: {e}"), e))?;
    let keys = loaded.is_ok().then(|| state.keys.key_count());
    let result = rt.block_on(async {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| Error::caused_by(Kind::Io, format!("--listen {listen}: {e}"), e))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::caused_by(Kind::Io, e.to_string(), e))?;
        notes.send(Note::Status(summary.line(local, keys)));
        #[cfg(unix)]
        if let Some(live) = state.live.clone() {
            use tokio::signal::unix::{SignalKind, signal};
            if let Ok(mut hup) = signal(SignalKind::hangup()) {
                tokio::spawn(async move {
                    while hup.recv().await.is_some() {
                        let live = live.clone();
                        let _ = tokio::task::spawn_blocking(move || live.reload("SIGHUP")).await;
                    }
                });
            }
        }
        serve_on(listener, state.clone(), limits, signals()).await;
        Ok(())
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    if let Some(live) = &state.live {
        live.stop();
    }
    rt.shutdown_timeout(Duration::from_secs(1));
    notes.send(Note::Status("oidcat serve stopped".into()));
    result
}

#[cfg(test)]
mod tests {
    /// A trim is due once enough connections have closed since the last
    /// one, and not again until as many more have closed.
    #[test]
    fn trim_is_due_after_enough_closes() {
        let c = super::Churn::default();
        assert!(!c.due());
        for _ in 1..super::TRIM_AFTER_CLOSED {
            c.closed();
        }
        assert!(!c.due());
        c.closed();
        assert!(c.due());
        assert!(!c.due());
        for _ in 0..1000 {
            c.closed();
        }
        assert!(c.due());
        assert!(!c.due());
    }

    /// The 500 body is a whole `verify -o json` document, rejecting, with no
    /// kind (none of the documented kinds describes a caught panic).
    #[test]
    fn no_verdict_is_a_verify_document_without_a_kind() {
        let v: crate::verify::Verdict = serde_json::from_slice(super::NO_VERDICT).unwrap();
        assert!(!v.valid);
        assert_eq!(v.kind(), None);
        assert!(v.checks.is_empty() && v.claims.is_none() && v.key.is_none());
    }

    #[test]
    fn listen_takes_ip_addresses_and_host_names() {
        use std::net::SocketAddr;
        let a = |s: &str| super::listen_addr(s).unwrap();
        assert_eq!(
            a("0.0.0.0:8080"),
            "0.0.0.0:8080".parse::<SocketAddr>().unwrap()
        );
        assert_eq!(a("[::1]:8080"), "[::1]:8080".parse::<SocketAddr>().unwrap());
        let l = a("localhost:8081");
        assert!(l.ip().is_loopback() && l.port() == 8081, "{l}");
        for bad in [
            "localhost",
            "localhost:99999",
            ":8080",
            "ho st:80",
            "a/b:80",
            "::1:8080x",
        ] {
            let e = super::listen_addr(bad).unwrap_err();
            assert_eq!(e.kind, super::Kind::Usage, "{bad}");
            assert!(
                e.message.contains("expected HOST:PORT"),
                "{bad}: {}",
                e.message
            );
        }
    }

    #[test]
    fn summary_names_issuer_keys_audiences_rules_and_routes() {
        let local = "127.0.0.1:8080".parse().unwrap();
        let mut s = super::Summary {
            issuer: Some("https://token.actions.githubusercontent.com".into()),
            keys_from: None,
            audiences: Some(vec!["api".into(), "web".into()]),
            claim_rules: 1,
            routes: 0,
            policy_issuers: Vec::new(),
        };
        assert!(!s.unpinned());
        assert_eq!(
            s.line(local, Some(2)),
            "oidcat serve listening on http://127.0.0.1:8080; issuer https://token.actions.githubusercontent.com (2 keys); audiences api, web; 1 claim rule; 0 routes"
        );
        s.issuer = None;
        s.keys_from = Some("keys.json".into());
        s.audiences = None;
        assert!(s.unpinned());
        let line = s.line(local, None);
        assert!(
            line.contains(
                "UNPINNED issuer, any `iss` accepted (no keys loaded yet from keys.json)"
            ),
            "{line}"
        );
        assert!(line.contains("any audience"), "{line}");
        // a policy file: every issuer pinned by the file, with its keys and routes
        s.policy_issuers = vec![
            "github (2 keys from discovery)".into(),
            "gitlab (1 key from keys.json)".into(),
        ];
        s.routes = 3;
        assert!(!s.unpinned());
        assert_eq!(
            s.line(local, None),
            "oidcat serve listening on http://127.0.0.1:8080; policy issuers github (2 keys from discovery), gitlab (1 key from keys.json); 3 routes"
        );
    }
}
