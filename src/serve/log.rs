//! The access log: one line per request on stderr, written by a dedicated
//! thread in batches, so a request never pays a write system call. Lines hold
//! no token: method, original URI (path only, query redacted), status, error
//! kind, latency.

use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::time::Duration;

/// Lines queued for the writer. std's bounded channel touches every slot up
/// front (65,536 slots were 2 MiB of resident memory); the writer drains every
/// 20 ms, so 8,192 slots absorb bursts of 400,000 lines/s before dropping.
const LOG_QUEUE: usize = 8_192;

pub struct AccessLog {
    tx: SyncSender<String>,
}

impl AccessLog {
    /// Starts the writer thread. Lines beyond the queue are dropped rather
    /// than slowing answers.
    pub fn start() -> AccessLog {
        let (tx, rx) = sync_channel::<String>(LOG_QUEUE);
        std::thread::Builder::new()
            .name("oidcat-log".into())
            .spawn(move || writer(rx))
            .ok();
        AccessLog { tx }
    }

    pub fn line(&self, line: String) {
        // A full queue drops the line: the log never slows an answer.
        let _ = self.tx.try_send(line);
    }
}

/// How often the writer wakes to drain the queue and flush.
const DRAIN_EVERY: Duration = Duration::from_millis(20);

/// Drains the queue on a timer instead of blocking in `recv`: a parked
/// receiver makes every `try_send` a futex wake-up (a system call and a
/// context switch per request, about a fifth of `serve`'s CPU under load);
/// an unparked one costs the sender an atomic load. Lines reach stderr within
/// `DRAIN_EVERY`.
fn writer(rx: Receiver<String>) {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr());
    loop {
        let mut wrote = false;
        loop {
            match rx.try_recv() {
                Ok(line) => {
                    let _ = out.write_all(line.as_bytes());
                    let _ = out.write_all(b"\n");
                    wrote = true;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    let _ = out.flush();
                    return;
                }
            }
        }
        if wrote {
            let _ = out.flush();
        }
        std::thread::sleep(DRAIN_EVERY);
    }
}

/// [`safe_uri`] appended to `out`; a plain path (printable ASCII, no space,
/// no query, nothing JWT-shaped, at most 200 bytes) is copied as is, which is
/// what `safe_uri` would make of it, without its intermediate strings.
pub fn push_safe_uri(out: &mut String, uri: &str) {
    let plain = uri.len() <= 200
        && uri.bytes().all(|b| b.is_ascii_graphic() && b != b'?')
        && !uri.contains("eyJ");
    if plain {
        out.push_str(uri);
    } else {
        out.push_str(&safe_uri(uri));
    }
}

thread_local! {
    /// The last second formatted, per worker thread: a busy server formats
    /// one timestamp per second rather than one per request.
    static STAMP: std::cell::RefCell<(i64, String)> = const { std::cell::RefCell::new((i64::MIN, String::new())) };
}

/// The current time, RFC 3339 to the second, appended to `out`.
pub fn push_timestamp(out: &mut String) {
    let now = crate::clock::system_now();
    STAMP.with(|s| {
        let mut s = s.borrow_mut();
        if s.0 != now {
            *s = (now, crate::clock::rfc3339(now));
        }
        out.push_str(&s.1);
    });
}

/// A path for the log: control characters escaped, capped, query redacted,
/// and a token in the path itself (`/callback/eyJ...`) replaced by `<jwt>`.
pub fn safe_uri(uri: &str) -> String {
    let (path, query) = match uri.split_once('?') {
        Some((p, _)) => (p, true),
        None => (uri, false),
    };
    let mut s = crate::sanitize::truncate(&redact_jwts(path), 200).replace(' ', "%20");
    if query {
        s.push_str("?<redacted>");
    }
    s
}

/// Replaces every JWT-shaped run with `<jwt>`: base64url segments joined by
/// dots that start with `eyJ` (a JSON object) and either have a second
/// segment starting with `eyJ` (JWS) or five segments (JWE). A run cut short
/// (`eyJhbGciOi…`) is caught too as long as its second segment has begun.
pub fn redact_jwts(s: &str) -> String {
    let b = s.as_bytes();
    let b64 = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"eyJ") {
            // the run of segments starting here
            let mut j = i;
            let mut dots = 0;
            let mut second_is_json = false;
            loop {
                while j < b.len() && b64(b[j]) {
                    j += 1;
                }
                // A dot, or a dot percent-encoded in a path (`%2E`).
                let sep = if b.get(j) == Some(&b'.') {
                    1
                } else if b[j..].len() >= 3 && b[j..j + 3].eq_ignore_ascii_case(b"%2e") {
                    3
                } else {
                    0
                };
                if sep > 0 {
                    dots += 1;
                    j += sep;
                    if dots == 1 && b[j..].starts_with(b"eyJ") {
                        second_is_json = true;
                    }
                } else {
                    break;
                }
            }
            if (second_is_json && j > i + 3) || dots >= 4 {
                out.extend_from_slice(b"<jwt>");
                i = j;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    // only ASCII runs were replaced, so the rest is still UTF-8
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_paths_are_redacted() {
        assert_eq!(
            safe_uri("/cb/eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln/x?t=1"),
            "/cb/<jwt>/x?<redacted>"
        );
        assert_eq!(safe_uri("/a/eyJh.eyJ"), "/a/<jwt>");
        assert_eq!(redact_jwts("xeyJh.eyJb.c"), "x<jwt>");
        assert_eq!(redact_jwts("/eyJh.a.b.c.d"), "/<jwt>");
        assert_eq!(redact_jwts("/monkeyJump.min.js"), "/monkeyJump.min.js");
        assert_eq!(
            safe_uri("/cb/eyJhbGciOiJub25lIn0%2EeyJzdWIiOiJ4In0%2ec2ln/x"),
            "/cb/<jwt>/x"
        );
        assert_eq!(redact_jwts("/a%2Eb/eyJ%2"), "/a%2Eb/eyJ%2");
        assert_eq!(redact_jwts("/é/eyJ"), "/é/eyJ");
        assert_eq!(safe_uri("/plain/path"), "/plain/path");
        // the appending form says the same as safe_uri, plain or not
        for uri in [
            "/plain/path",
            "/a b",
            "/q?x=1",
            "/cb/eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln/x",
            "/monkeyJump.min.js",
            "/é/\u{1b}[2J",
            &"/long".repeat(60),
        ] {
            let mut out = String::from(">");
            push_safe_uri(&mut out, uri);
            assert_eq!(out, format!(">{}", safe_uri(uri)), "{uri:?}");
        }
    }
}
