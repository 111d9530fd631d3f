//! The access log: one line per request on stderr. Each thread appends its
//! lines to a buffer of its own; a writer thread collects the buffers every
//! 20 ms and writes them in one go. A request pays neither a system call nor
//! an allocation, and touches no memory another worker writes (a shared
//! queue's head made two workers pass a cache line back and forth on every
//! line). Lines hold no token: method, original URI (path only, query
//! redacted), status, error kind, latency.
//!
//! Besides `report/`, the one place that writes to stderr.
#![allow(clippy::print_stderr)]

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

/// A thread's pending lines beyond this are dropped (and counted) rather
/// than slowing answers or growing without bound while stderr is blocked.
/// At 40,000 lines/s a thread fills about 80 KiB between two drains.
const BUFFER_CAP: usize = 1 << 20;

/// A buffer that grew past this (stderr was slow for a moment) is shrunk back
/// once written out, so a burst does not stay resident in every thread.
const BUFFER_KEEP: usize = 64 * 1024;

/// How often the writer collects the buffers; lines reach stderr within this.
const DRAIN_EVERY: Duration = Duration::from_millis(20);

type Buffer = Arc<Mutex<String>>;

struct Shared {
    /// Every thread's buffer, in the order threads first logged.
    buffers: Mutex<Vec<Buffer>>,
    dropped: AtomicU64,
}

impl Shared {
    /// Writes out what every buffer holds; returns whether anything was.
    fn drain(&self, spare: &mut String, out: &mut impl Write) -> bool {
        let buffers: Vec<Buffer> = {
            let mut all = self.buffers.lock().unwrap_or_else(|e| e.into_inner());
            let snapshot = all.clone();
            // A buffer held only here and by the snapshot belongs to a thread
            // that has exited (runtime threads come and go): written out this
            // once, then forgotten, so the list never grows without bound.
            all.retain(|b| Arc::strong_count(b) > 2);
            snapshot
        };
        let mut wrote = false;
        for b in &buffers {
            spare.clear();
            if let Ok(mut pending) = b.lock() {
                // swap, so the thread keeps a buffer with capacity and the
                // lock is held for no longer than a pointer swap
                std::mem::swap(&mut *pending, spare);
            }
            if !spare.is_empty() {
                let _ = out.write_all(spare.as_bytes());
                wrote = true;
            }
            if spare.capacity() > BUFFER_KEEP {
                spare.clear();
                spare.shrink_to(BUFFER_KEEP);
            }
        }
        let dropped = self.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            let _ = writeln!(
                out,
                "oidcat: {dropped} access-log lines dropped (stderr did not keep up)"
            );
            wrote = true;
        }
        wrote
    }
}

/// Drop flushes: lines logged before the server stops are not lost.
pub struct AccessLog {
    shared: Arc<Shared>,
    id: u64,
}

thread_local! {
    /// This thread's buffer per log (one log per process but for tests).
    static MINE: std::cell::RefCell<Vec<(u64, Buffer)>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl AccessLog {
    /// Starts the writer thread.
    pub fn start() -> AccessLog {
        let log = AccessLog::unstarted();
        let weak = Arc::downgrade(&log.shared);
        std::thread::Builder::new()
            .name("oidcat-log".into())
            .spawn(move || writer(weak))
            .ok();
        log
    }

    /// A log nobody drains yet (tests drain it themselves).
    fn unstarted() -> AccessLog {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        AccessLog {
            shared: Arc::new(Shared {
                buffers: Mutex::new(Vec::new()),
                dropped: AtomicU64::new(0),
            }),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Appends one line, written by `write` into this thread's buffer.
    pub fn line(&self, write: impl FnOnce(&mut String)) {
        let buffer = MINE.with(|m| {
            let mut m = m.borrow_mut();
            if let Some((_, b)) = m.iter().find(|(id, _)| *id == self.id) {
                return b.clone();
            }
            let b: Buffer = Arc::new(Mutex::new(String::with_capacity(16 * 1024)));
            if let Ok(mut all) = self.shared.buffers.lock() {
                all.push(b.clone());
            }
            m.retain(|(_, b)| Arc::strong_count(b) > 1);
            m.push((self.id, b.clone()));
            b
        });
        let Ok(mut pending) = buffer.lock() else {
            return;
        };
        if pending.len() >= BUFFER_CAP {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        write(&mut pending);
        pending.push('\n');
    }
}

impl Drop for AccessLog {
    fn drop(&mut self) {
        let mut err = std::io::stderr().lock();
        self.shared.drain(&mut String::new(), &mut err);
        let _ = err.flush();
    }
}

/// Collects and writes the buffers every [`DRAIN_EVERY`] until the log is gone.
fn writer(shared: Weak<Shared>) {
    let mut spare = String::new();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr());
    loop {
        std::thread::sleep(DRAIN_EVERY);
        let Some(shared) = shared.upgrade() else {
            return;
        };
        if shared.drain(&mut spare, &mut out) {
            let _ = out.flush();
        }
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

    /// Lines from many threads all come out, whole and once; past a
    /// thread's cap they are dropped and the drop is reported.
    #[test]
    fn lines_from_every_thread_come_out_once() {
        let log = Arc::new(AccessLog::unstarted());
        let threads: Vec<_> = (0..6)
            .map(|t| {
                let log = log.clone();
                std::thread::spawn(move || {
                    for i in 0..500 {
                        log.line(|l| {
                            use std::fmt::Write;
                            let _ = write!(l, "t{t} line {i}");
                        });
                    }
                })
            })
            .collect();
        // join (not a scope): it returns once each thread has fully exited,
        // its thread-locals dropped
        for t in threads {
            t.join().unwrap();
        }
        let mut out = Vec::new();
        assert!(log.shared.drain(&mut String::new(), &mut out));
        let text = String::from_utf8(out).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3000);
        lines.sort_unstable();
        lines.dedup();
        assert_eq!(lines.len(), 3000);
        for t in 0..6 {
            // each thread's lines stay in order
            let mine: Vec<&str> = text
                .lines()
                .filter(|l| l.starts_with(&format!("t{t} ")))
                .collect();
            let want: Vec<String> = (0..500).map(|i| format!("t{t} line {i}")).collect();
            assert_eq!(mine, want);
        }
        // the six threads have exited: their buffers are gone after that drain
        assert!(log.shared.buffers.lock().unwrap().is_empty());
        // drained: nothing twice
        let mut again = Vec::new();
        assert!(!log.shared.drain(&mut String::new(), &mut again));
        assert!(again.is_empty());
        // a thread that outruns the writer: lines beyond the cap are counted
        let long = "x".repeat(1000);
        for _ in 0..(BUFFER_CAP / 1000 + 10) {
            log.line(|l| l.push_str(&long));
        }
        let mut out = Vec::new();
        let mut spare = String::new();
        log.shared.drain(&mut spare, &mut out);
        // the burst's megabyte does not stay with the writer (nor, at the
        // next drain's swap, with the thread)
        assert!(spare.capacity() <= BUFFER_KEEP, "{}", spare.capacity());
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.ends_with("lines dropped (stderr did not keep up)\n"),
            "{}",
            &text[text.len() - 200..]
        );
        assert!(text.len() <= BUFFER_CAP + 1001 + 100);
    }

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
