//! `http://` URLs through an HTTP proxy, as curl sends them: one request in
//! absolute form (`GET http://host/path HTTP/1.1`) to the proxy itself.
//! Tunnelling plain http with `CONNECT host:80` (what ureq does for every
//! proxied URL) is refused by common proxies, which allow CONNECT to port 443
//! only; `https://` URLs still go through ureq's CONNECT tunnel.
//!
//! One request per connection (`Connection: close`), every read bounded in
//! size and by the request's deadline; no compression is asked for.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use url::Url;

/// Longest response head read (status line and headers).
const MAX_HEAD: usize = 64 * 1024;

/// A response as read from the proxy.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    /// Header names lower-cased, values trimmed.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request failed; `TooLarge` lets the caller name the limit.
#[derive(Debug)]
pub(crate) enum Failure {
    TooLarge,
    Other(String),
}

/// The proxy URL as curl reads it: `host:port` without a scheme is http.
/// `None` when the proxy is not a plain HTTP proxy (https, socks): those are
/// left to ureq.
pub(crate) fn http_proxy(proxy: &str) -> Option<Url> {
    let text = if proxy.contains("://") {
        proxy.to_string()
    } else {
        format!("http://{proxy}")
    };
    Url::parse(&text)
        .ok()
        .filter(|u| u.scheme() == "http" && u.host_str().is_some())
}

/// The proxy as shown in messages: host and port, never its credentials.
pub(crate) fn label(proxy: &Url) -> String {
    format!(
        "{}:{}",
        proxy.host_str().unwrap_or_default(),
        proxy.port_or_known_default().unwrap_or(80)
    )
}

/// GETs `target` (an `http://` URL) through `proxy`. `limit` gives the body
/// limit for a status (a 200 may be larger than an error page).
pub(crate) fn get(
    proxy: &Url,
    target: &Url,
    timeout: Duration,
    headers: &[(&str, String)],
    limit: impl Fn(u16) -> u64,
) -> Result<Response, Failure> {
    let deadline = Instant::now() + timeout;
    let io = |what: &str, e: std::io::Error| {
        if matches!(
            e.kind(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
        ) {
            Failure::Other(format!("timed out ({what})"))
        } else {
            Failure::Other(format!("{what}: {e}"))
        }
    };
    let host = proxy.host_str().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = proxy.port_or_known_default().unwrap_or(80);
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| Failure::Other(format!("proxy {}: {e}", label(proxy))))?
        .take(8)
        .collect();
    let mut stream = None;
    for a in addrs {
        let left =
            remaining(deadline).ok_or_else(|| Failure::Other("timed out (connect)".into()))?;
        if let Ok(s) = TcpStream::connect_timeout(&a, left) {
            stream = Some(s);
            break;
        }
    }
    let mut stream = stream
        .ok_or_else(|| Failure::Other(format!("connection to proxy {} failed", label(proxy))))?;

    let mut request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        target_form(target),
        host_header(target)
    );
    if !proxy.username().is_empty() {
        use base64::Engine;
        let user = percent_decode(proxy.username());
        let pass = percent_decode(proxy.password().unwrap_or_default());
        let creds = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
        request.push_str(&format!("Proxy-Authorization: Basic {creds}\r\n"));
    }
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    set_timeouts(&stream, deadline).map_err(|e| io("write", e))?;
    stream
        .write_all(request.as_bytes())
        .map_err(|e| io("write", e))?;

    let mut buf = Vec::with_capacity(8192);
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return Err(Failure::Other("response head larger than 64 KiB".into()));
        }
        if read_some(&mut stream, &mut buf, deadline).map_err(|e| io("read", e))? == 0 {
            return Err(Failure::Other(
                "the proxy closed the connection before a response".into(),
            ));
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut rest = buf.split_off(head_end + 4);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.")
        .and_then(|s| s.get(2..5))
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| {
            Failure::Other(format!(
                "not an HTTP response: {}",
                crate::sanitize::truncate(status_line, 60)
            ))
        })?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let limit = limit(status);
    let find_header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let chunked = find_header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let length = find_header("content-length").and_then(|v| v.parse::<u64>().ok());
    let body = if chunked {
        read_chunked(&mut stream, rest, limit, deadline)?
    } else if let Some(n) = length {
        if n > limit {
            return Err(Failure::TooLarge);
        }
        while (rest.len() as u64) < n {
            if read_some(&mut stream, &mut rest, deadline).map_err(|e| io("read", e))? == 0 {
                return Err(Failure::Other("the body ended early".into()));
            }
        }
        rest.truncate(n as usize);
        rest
    } else {
        loop {
            if rest.len() as u64 > limit {
                return Err(Failure::TooLarge);
            }
            if read_some(&mut stream, &mut rest, deadline).map_err(|e| io("read", e))? == 0 {
                break rest;
            }
        }
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn remaining(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
}

fn set_timeouts(s: &TcpStream, deadline: Instant) -> std::io::Result<()> {
    let left = remaining(deadline).ok_or(std::io::ErrorKind::TimedOut)?;
    s.set_read_timeout(Some(left))?;
    s.set_write_timeout(Some(left))
}

/// One read of at most 16 KiB, within the deadline; the count read.
fn read_some(s: &mut TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> std::io::Result<usize> {
    set_timeouts(s, deadline)?;
    let mut chunk = [0u8; 16 * 1024];
    let n = s.read(&mut chunk)?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n)
}

fn read_chunked(
    s: &mut TcpStream,
    mut raw: Vec<u8>,
    limit: u64,
    deadline: Instant,
) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    let more = |s: &mut TcpStream, raw: &mut Vec<u8>| -> Result<(), Failure> {
        if raw.len() as u64 > limit + MAX_HEAD as u64 {
            return Err(Failure::TooLarge);
        }
        match read_some(s, raw, deadline) {
            Ok(0) => Err(Failure::Other("the chunked body ended early".into())),
            Ok(_) => Ok(()),
            Err(e) => Err(Failure::Other(format!("read: {e}"))),
        }
    };
    loop {
        let line_end = loop {
            if let Some(i) = find(&raw, b"\r\n") {
                break i;
            }
            more(s, &mut raw)?;
        };
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = u64::from_str_radix(size_text, 16)
            .map_err(|_| Failure::Other("a bad chunk size".into()))?;
        raw.drain(..line_end + 2);
        if size == 0 {
            return Ok(body);
        }
        if body.len() as u64 + size > limit {
            return Err(Failure::TooLarge);
        }
        let size = size as usize;
        while raw.len() < size + 2 {
            more(s, &mut raw)?;
        }
        body.extend_from_slice(&raw[..size]);
        raw.drain(..size + 2);
    }
}

/// The absolute-form request target: the URL without its fragment.
fn target_form(u: &Url) -> String {
    let mut u = u.clone();
    u.set_fragment(None);
    u.to_string()
}

fn host_header(u: &Url) -> String {
    let host = u.host_str().unwrap_or_default();
    match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(h, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One request to a loopback "proxy" that answers in chunks: the request
    /// line is in absolute form and the chunked body is put back together.
    #[test]
    fn absolute_form_and_chunked_body() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut got = Vec::new();
            while find(&got, b"\r\n\r\n").is_none() && got.len() < 65536 {
                let mut b = [0u8; 1024];
                let n = s.read(&mut b).unwrap();
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&b[..n]);
            }
            s.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n3\r\n{\"a\r\n4;x=1\r\n\":1}\r\n0\r\n\r\n")
                .unwrap();
            String::from_utf8(got).unwrap()
        });
        let proxy = http_proxy(&format!("u%40x:p@127.0.0.1:{}", addr.port())).unwrap();
        let target = Url::parse("http://idp.test:8080/jwks?x=1").unwrap();
        let r = get(
            &proxy,
            &target,
            Duration::from_secs(10),
            &[("Accept", "application/json".into())],
            |_| 1024,
        )
        .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.body, b"{\"a\":1}");
        assert_eq!(r.header("content-type"), Some("application/json"));
        let head = server.join().unwrap();
        assert!(
            head.starts_with("GET http://idp.test:8080/jwks?x=1 HTTP/1.1\r\n"),
            "{head}"
        );
        assert!(head.contains("Host: idp.test:8080\r\n"), "{head}");
        // u@x:p, percent-decoded, in Basic
        assert!(
            head.contains("Proxy-Authorization: Basic dUB4OnA=\r\n"),
            "{head}"
        );
        assert_eq!(label(&proxy), format!("127.0.0.1:{}", addr.port()));
    }

    #[test]
    fn only_plain_http_proxies_are_taken() {
        assert!(http_proxy("http://p:3128").is_some());
        assert!(http_proxy("p:3128").is_some());
        assert!(http_proxy("https://p:3128").is_none());
        assert!(http_proxy("socks5://p:1080").is_none());
    }
}
