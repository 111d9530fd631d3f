//! The one HTTP client: timeouts, a 1 MiB body cap, a JSON content check,
//! `User-Agent: oidcat/<version>`, the https-or-loopback rule checked on every
//! hop (redirects are followed here, not by ureq, so each one is vetted), extra
//! root certificates (`tls`), and proxies chosen per URL as curl chooses them
//! (`proxy`).

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use ureq::tls::Certificate;
use url::{Host, Url};

use crate::error::{Error, Kind, Result};
use crate::note::{Note, Notes};

mod forward;
mod proxy;
mod tls;

pub use proxy::{Env, EnvVars, proxy_url_for};

/// Responses larger than this are refused (docs/reference.md#http-fetching).
pub const MAX_BODY: u64 = 1024 * 1024;
const MAX_REDIRECTS: usize = 5;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub timeout: Duration,
    pub ca_files: Vec<PathBuf>,
    pub allow_http: bool,
    pub verbose: bool,
}

/// Where the chain of URLs started: a loopback issuer may point to other
/// loopback URLs; a remote one never may (docs/hostile-inputs.md E4, E5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// The URL the user named is on loopback.
    Loopback,
    /// The URL the user named is remote.
    Remote,
}

impl Trust {
    /// The trust level a user-named URL starts with.
    pub fn of(url: &Url) -> Trust {
        if is_loopback(url) {
            Trust::Loopback
        } else {
            Trust::Remote
        }
    }
}

pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost")
        }
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Loopback, link-local, private, unspecified or similar internal addresses.
fn is_internal(url: &Url) -> bool {
    let ip: IpAddr = match url.host() {
        Some(Host::Ipv4(ip)) => ip.into(),
        Some(Host::Ipv6(ip)) => ip.into(),
        Some(Host::Domain(_)) => return is_loopback(url),
        None => return true,
    };
    // An IPv4-mapped IPv6 address is judged as the IPv4 address it maps.
    let v4_internal = |v4: std::net::Ipv4Addr| {
        v4.is_loopback()
            || v4.is_private()
            || v4.is_link_local()
            || v4.is_unspecified()
            || v4.is_broadcast()
            || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64
    };
    match ip {
        IpAddr::V4(v4) => v4_internal(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4_internal(v4),
            None => {
                v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_unique_local()
                    || v6.is_unicast_link_local()
            }
        },
    }
}

/// Checks a URL against the https-or-loopback rule. `derived` is true for
/// URLs that came from a document or a redirect rather than from the user.
pub fn check_url(url: &Url, trust: Trust, derived: bool, allow_http: bool) -> Result<()> {
    let fail = |why: String| {
        Err(Error::new(
            Kind::FetchFailed,
            format!("refusing {url}: {why}"),
        ))
    };
    if !url.username().is_empty() || url.password().is_some() {
        return fail("URLs with credentials are not fetched".into());
    }
    if derived && trust == Trust::Remote && is_internal(url) {
        return fail("a remote document or redirect may not lead to a loopback, link-local or private address".into());
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) && (trust == Trust::Loopback || !derived) => Ok(()),
        "http" if allow_http => Ok(()),
        "http" => fail(
            "plain http is only allowed to loopback issuers (use --allow-http to permit it)".into(),
        ),
        s => fail(format!("scheme {s:?} is not fetched (https only)")),
    }
}

/// One successful fetch.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The final URL after redirects.
    pub url: String,
    pub body: Vec<u8>,
    /// `Cache-Control: max-age`, unclamped (0 for no-store / no-cache).
    pub max_age: Option<u64>,
    /// `Cache-Control: no-store`: never written to the disk cache
    /// (RFC 9111 §5.2.2.5).
    pub no_store: bool,
    pub status: u16,
    /// What the user should know about the answer (a JSON document served
    /// under another content type).
    pub warnings: Vec<String>,
}

/// One response, before redirects and content checks.
struct Raw {
    status: u16,
    location: Option<String>,
    /// Lower-cased; empty when absent.
    content_type: String,
    cache_control: Option<String>,
    body: Vec<u8>,
}

const ACCEPT: &str = "application/json, application/jwk-set+json;q=0.9, */*;q=0.1";

/// The content-type rule of a 200 answer: JSON types (and none at all) are
/// taken; HTML is refused with a hint; any other type is taken with a
/// warning when the body parses as JSON (local test servers send
/// `text/plain` or `application/octet-stream`), refused when it does not.
fn check_content_type(url: &Url, content_type: &str, body: &[u8]) -> Result<Vec<String>> {
    let shown = crate::sanitize::truncate(content_type, 60);
    if content_type.is_empty() || content_type.contains("json") {
        return Ok(vec![]);
    }
    if content_type.contains("html") {
        return Err(Error::new(
            Kind::FetchFailed,
            format!(
                "{url}: expected JSON, got Content-Type {shown}: an HTML page (a login page, an error page or a wrong URL?)"
            ),
        ));
    }
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() {
        return Err(Error::new(
            Kind::FetchFailed,
            format!("{url}: expected JSON, got Content-Type {shown} and a body that is not JSON"),
        ));
    }
    Ok(vec![format!(
        "{url} is served as Content-Type {shown}, not JSON; accepted because the body parses as JSON"
    )])
}

/// Whether a Cache-Control value says `no-store`.
pub fn is_no_store(v: &str) -> bool {
    v.split(',')
        .any(|part| part.trim().eq_ignore_ascii_case("no-store"))
}

pub struct Fetcher {
    cfg: HttpConfig,
    roots: OnceLock<std::result::Result<Arc<Vec<Certificate<'static>>>, String>>,
    /// One agent per scheme, host and port: its TLS set-up is built once and
    /// its connections are kept, so an issuer's discovery document and key
    /// set (usually one host) share a connection. The proxy choice depends
    /// only on the host, so it is the same for every URL of one key.
    agents: std::sync::Mutex<std::collections::HashMap<(String, String, u16), ureq::Agent>>,
    /// Where each network fetch is told (`-v`).
    notes: Notes,
}

impl Fetcher {
    /// Fetches are told on stderr through [`crate::report::notes`] when
    /// `cfg.verbose`; [`Fetcher::with_notes`] sends them elsewhere.
    pub fn new(cfg: HttpConfig) -> Self {
        Fetcher {
            notes: crate::report::notes(cfg.verbose),
            cfg,
            roots: OnceLock::new(),
            agents: Default::default(),
        }
    }

    pub fn with_notes(self, notes: Notes) -> Self {
        Fetcher { notes, ..self }
    }

    pub fn allow_http(&self) -> bool {
        self.cfg.allow_http
    }

    /// Roots are loaded on the first https fetch only: commands that fetch
    /// nothing pay nothing for them.
    fn roots(&self) -> Result<Arc<Vec<Certificate<'static>>>> {
        self.roots
            .get_or_init(|| tls::load_roots(&self.cfg.ca_files).map(Arc::new))
            .clone()
            .map_err(Error::io)
    }

    fn agent(&self, url: &Url) -> Result<ureq::Agent> {
        let key = (
            url.scheme().to_owned(),
            url.host_str().unwrap_or_default().to_owned(),
            url.port_or_known_default().unwrap_or_default(),
        );
        if let Some(a) = self.agents.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(a);
        }
        let agent = self.new_agent(url)?;
        if let Ok(mut m) = self.agents.lock() {
            m.insert(key, agent.clone());
        }
        Ok(agent)
    }

    fn new_agent(&self, url: &Url) -> Result<ureq::Agent> {
        let mut b = ureq::Agent::config_builder()
            .timeout_global(Some(self.cfg.timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!("oidcat/", env!("CARGO_PKG_VERSION")))
            .accept(ACCEPT)
            .proxy(proxy::proxy_for(url, &EnvVars)?);
        if url.scheme() == "https" {
            b = b.tls_config(tls::config(self.roots()?));
        }
        Ok(b.build().new_agent())
    }

    /// GETs a JSON document, following up to 5 redirects that pass
    /// [`check_url`]. Every failure names the URL and the cause.
    pub fn get_json(&self, url: &str, trust: Trust, derived: bool) -> Result<Fetched> {
        let r = self.get(url, trust, derived, None)?;
        if r.status != 200 {
            let text = String::from_utf8_lossy(&r.body);
            // An HTML error page says nothing useful in one line: name it only.
            let snippet = if text.trim_start().starts_with('<') {
                "an HTML page".to_string()
            } else {
                crate::sanitize::truncate(text.trim(), 120)
            };
            return Err(Error::new(
                Kind::FetchFailed,
                format!(
                    "{}: HTTP {}{}",
                    r.url,
                    r.status,
                    if snippet.is_empty() {
                        String::new()
                    } else {
                        format!(" ({snippet})")
                    }
                ),
            ));
        }
        Ok(r)
    }

    /// GETs `url`; any final status is returned (bodies of non-200 answers are
    /// cut at 4 KiB). `bearer` is sent only to the origin of `url`, never
    /// after a redirect to another origin.
    pub fn get(
        &self,
        url: &str,
        trust: Trust,
        derived: bool,
        bearer: Option<&str>,
    ) -> Result<Fetched> {
        let mut current = parse_url(url)?;
        let origin = current.origin();
        check_url(&current, trust, derived, self.cfg.allow_http)?;
        for _ in 0..=MAX_REDIRECTS {
            let started = Instant::now();
            let send_bearer = bearer.filter(|_| current.origin() == origin);
            let raw = self.exchange(&current, send_bearer)?;
            let status = raw.status;
            if (300..400).contains(&status) && status != 304 {
                let location = raw.location.as_deref().ok_or_else(|| {
                    Error::new(
                        Kind::FetchFailed,
                        format!("{current}: HTTP {status} without a Location"),
                    )
                })?;
                let next = current.join(location).map_err(|e| {
                    Error::new(
                        Kind::FetchFailed,
                        format!("{current}: bad redirect Location: {e}"),
                    )
                })?;
                self.log(&current, &format!("{status} -> {next}"), started);
                if current.scheme() == "https" && next.scheme() == "http" && trust == Trust::Remote
                {
                    return Err(Error::new(
                        Kind::FetchFailed,
                        format!("{current}: redirect to {next} would downgrade https to http"),
                    ));
                }
                check_url(&next, trust, true, self.cfg.allow_http).map_err(|e| {
                    Error::new(
                        Kind::FetchFailed,
                        format!("{current}: redirect {}", e.message),
                    )
                })?;
                current = next;
                continue;
            }
            self.log(
                &current,
                &format!("{status}, {} bytes", raw.body.len()),
                started,
            );
            if status != 200 {
                return Ok(Fetched {
                    url: current.to_string(),
                    body: raw.body,
                    max_age: None,
                    no_store: false,
                    status,
                    warnings: vec![],
                });
            }
            let warnings = check_content_type(&current, &raw.content_type, &raw.body)?;
            let cache_control = raw.cache_control.as_deref();
            return Ok(Fetched {
                url: current.to_string(),
                body: raw.body,
                max_age: cache_control.and_then(parse_max_age),
                no_store: cache_control.is_some_and(is_no_store),
                status,
                warnings,
            });
        }
        Err(Error::new(
            Kind::FetchFailed,
            format!("{url}: more than {MAX_REDIRECTS} redirects"),
        ))
    }

    /// One request and its response, the body read within its limit (1 MiB
    /// for a 200, 4 KiB of anything else). An `http://` URL whose proxy is a
    /// plain HTTP proxy goes as one absolute-form request ([`forward`]);
    /// everything else through ureq (https through a proxy: CONNECT).
    fn exchange(&self, url: &Url, bearer: Option<&str>) -> Result<Raw> {
        let limit = |status: u16| if status == 200 { MAX_BODY } else { 4096 };
        if url.scheme() == "http"
            && let Some(proxy) = proxy_url_for(url, &EnvVars).and_then(|p| forward::http_proxy(&p))
        {
            let mut headers = vec![
                (
                    "User-Agent",
                    concat!("oidcat/", env!("CARGO_PKG_VERSION")).to_string(),
                ),
                ("Accept", ACCEPT.to_string()),
            ];
            if let Some(b) = bearer {
                headers.push(("Authorization", format!("Bearer {b}")));
            }
            let r =
                forward::get(&proxy, url, self.cfg.timeout, &headers, limit).map_err(
                    |f| match f {
                        forward::Failure::TooLarge => Error::new(
                            Kind::FetchFailed,
                            format!("{url}: response larger than 1 MiB"),
                        ),
                        forward::Failure::Other(cause) => Error::new(
                            Kind::FetchFailed,
                            format!(
                                "fetching {url} through the proxy {}: {cause}",
                                forward::label(&proxy)
                            ),
                        ),
                    },
                )?;
            return Ok(Raw {
                status: r.status,
                location: r.header("location").map(str::to_owned),
                content_type: r.header("content-type").unwrap_or("").to_ascii_lowercase(),
                cache_control: r.header("cache-control").map(str::to_owned),
                body: r.body,
            });
        }
        let agent = self.agent(url)?;
        let mut req = agent.get(url.as_str());
        if let Some(b) = bearer {
            req = req.header("Authorization", &format!("Bearer {b}"));
        }
        let mut resp = req.call().map_err(|e| fetch_error(url, &e))?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (location, content_type, cache_control) = (
            header("location"),
            header("content-type")
                .unwrap_or_default()
                .to_ascii_lowercase(),
            header("cache-control"),
        );
        let body = if (300..400).contains(&status) && status != 304 {
            vec![]
        } else if status != 200 {
            resp.body_mut()
                .with_config()
                .limit(limit(status))
                .read_to_vec()
                .unwrap_or_default()
        } else {
            resp.body_mut()
                .with_config()
                .limit(MAX_BODY)
                .read_to_vec()
                .map_err(|e| match e {
                    ureq::Error::BodyExceedsLimit(_) => Error::new(
                        Kind::FetchFailed,
                        format!("{url}: response larger than 1 MiB"),
                    ),
                    e => fetch_error(url, &e),
                })?
        };
        Ok(Raw {
            status,
            location,
            content_type,
            cache_control,
            body,
        })
    }

    fn log(&self, url: &Url, what: &str, started: Instant) {
        self.notes.send(Note::Trace(format!(
            "GET {url} -> {what}, {} ms (cache miss)",
            started.elapsed().as_millis()
        )));
    }
}

pub fn parse_url(s: &str) -> Result<Url> {
    Url::parse(s).map_err(|e| Error::usage(format!("{s:?} is not a URL: {e}")).with_source(e))
}

/// `max-age=N` from a Cache-Control value; `no-store`/`no-cache` count as 0.
pub fn parse_max_age(v: &str) -> Option<u64> {
    let mut out = None;
    for part in v.split(',') {
        let part = part.trim().to_ascii_lowercase();
        if part == "no-store" || part == "no-cache" {
            return Some(0);
        }
        if let Some(n) = part.strip_prefix("max-age=") {
            out = n.trim_matches('"').parse().ok();
        }
    }
    out
}

fn fetch_error(url: &Url, e: &ureq::Error) -> Error {
    let cause = match e {
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::ConnectionFailed => "connection failed".into(),
        ureq::Error::Rustls(r) => format!("TLS: {r}"),
        ureq::Error::Tls(t) => format!("TLS: {t}"),
        ureq::Error::Io(io) => {
            let s = io.to_string();
            if s.contains("certificate") || s.contains("Certificate") {
                format!("TLS: {s}")
            } else {
                format!("I/O: {s}")
            }
        }
        other => other.to_string(),
    };
    Error::new(Kind::FetchFailed, format!("fetching {url}: {cause}"))
}

#[cfg(test)]
mod tests;
