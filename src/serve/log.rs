//! The access log: one line per request on stderr, written by a dedicated
//! thread in batches, so a request never pays a write system call. Lines hold
//! no token: method, original URI (path only, query redacted), status, error
//! kind, latency.

use std::io::Write;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct AccessLog {
    tx: SyncSender<String>,
}

impl AccessLog {
    /// Starts the writer thread. Lines beyond the queue are dropped rather
    /// than slowing answers (and counted in a final line).
    pub fn start() -> AccessLog {
        let (tx, rx) = sync_channel::<String>(65_536);
        std::thread::Builder::new()
            .name("oidcat-log".into())
            .spawn(move || writer(rx))
            .ok();
        AccessLog { tx }
    }

    pub fn line(&self, line: String) {
        if let Err(TrySendError::Full(_)) = self.tx.try_send(line) {
            // dropped: the log must never apply back-pressure to answers
        }
    }
}

fn writer(rx: Receiver<String>) {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr());
    let mut last_flush = Instant::now();
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(line) => {
                let _ = out.write_all(line.as_bytes());
                let _ = out.write_all(b"\n");
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                let _ = out.flush();
                return;
            }
        }
        if last_flush.elapsed() >= Duration::from_millis(100) {
            let _ = out.flush();
            last_flush = Instant::now();
        }
    }
}

/// A path for the log: control characters escaped, capped, query redacted.
pub fn safe_uri(uri: &str) -> String {
    let (path, query) = match uri.split_once('?') {
        Some((p, _)) => (p, true),
        None => (uri, false),
    };
    let mut s = crate::sanitize::truncate(path, 200).replace(' ', "%20");
    if query {
        s.push_str("?<redacted>");
    }
    s
}
