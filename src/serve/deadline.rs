//! `--header-timeout`: a connection must deliver each request's headers
//! within the timeout of its previous answer (or of opening). hyper's own
//! header timeout arms a fresh timer for every request, a boxed sleep
//! registered in and removed from the runtime's timer wheel per answer,
//! with 1,000 keep-alive connections a measurable share of the work. Here a
//! connection keeps one timer that fires at most once per timeout: when it
//! fires, the connection's last progress says whether the client is late
//! (cut off) or when to look again.

use std::future::Future;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A connection's progress: when it last began waiting for a request's
/// headers, or [`Progress::BUSY`] while an answer is being made.
pub struct Progress(AtomicU64);

impl Progress {
    const BUSY: u64 = u64::MAX;

    /// Waiting for headers from now (a connection just opened).
    pub fn new() -> Progress {
        Progress(AtomicU64::new(ticks(Instant::now())))
    }

    /// A request's headers arrived at `at` and its answer was made at once:
    /// the wait for the next request counts from `at`.
    pub fn answered(&self, at: Instant) {
        self.0.store(ticks(at), Ordering::Relaxed);
    }

    /// An answer is being made (a body drained, a key refetch awaited): no
    /// header is owed until [`Progress::answered`].
    pub fn busy(&self) {
        self.0.store(Self::BUSY, Ordering::Relaxed);
    }

    /// When the wait for headers began; `None` while busy.
    fn waiting_since(&self) -> Option<Instant> {
        match self.0.load(Ordering::Relaxed) {
            Self::BUSY => None,
            t => epoch().checked_add(Duration::from_micros(t)),
        }
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new()
    }
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Microseconds since [`epoch`]; an instant before it counts as the epoch.
fn ticks(at: Instant) -> u64 {
    let micros = at.saturating_duration_since(epoch()).as_micros();
    u64::try_from(micros).unwrap_or(Progress::BUSY - 1)
}

/// Runs `conn` until it ends (`Some`) or its client owes headers for longer
/// than `timeout` (`None`: `conn` is dropped, which closes the connection).
pub async fn within<F: Future>(
    conn: F,
    progress: &Progress,
    timeout: Duration,
) -> Option<F::Output> {
    tokio::pin!(conn);
    let look_again = tokio::time::sleep(timeout);
    tokio::pin!(look_again);
    loop {
        tokio::select! {
            biased;
            out = &mut conn => return Some(out),
            () = &mut look_again => {
                let now = Instant::now();
                let next = match progress.waiting_since() {
                    Some(since) if now.saturating_duration_since(since) >= timeout => return None,
                    Some(since) => since.checked_add(timeout).unwrap_or(now),
                    None => now.checked_add(timeout).unwrap_or(now),
                };
                look_again.as_mut().reset(tokio::time::Instant::from_std(next));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_since_round_trips_to_the_microsecond() {
        let p = Progress::new();
        let at = Instant::now() + Duration::from_millis(1500);
        p.answered(at);
        let back = p.waiting_since().unwrap();
        assert!(at.saturating_duration_since(back) < Duration::from_micros(1));
        assert!(back.saturating_duration_since(at) < Duration::from_micros(1));
        p.busy();
        assert_eq!(p.waiting_since(), None);
    }

    fn run<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn a_late_client_is_cut_off_and_a_busy_or_punctual_one_is_not() {
        let timeout = Duration::from_millis(200);
        // never sends a request: cut off after the timeout
        let p = Progress::new();
        let started = Instant::now();
        assert!(run(within(std::future::pending::<()>(), &p, timeout)).is_none());
        let took = started.elapsed();
        assert!(took >= timeout && took < Duration::from_secs(2), "{took:?}");
        // answered 150 ms in: looked at again 200 ms after that answer, then cut off
        let p = Progress::new();
        let started = Instant::now();
        let conn = async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            p.answered(Instant::now());
            std::future::pending::<()>().await
        };
        assert!(run(within(conn, &p, timeout)).is_none());
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(350), "{took:?}");
        // busy for 500 ms (an answer being made), then done: never cut off
        let p = Progress::new();
        let conn = async {
            p.busy();
            tokio::time::sleep(Duration::from_millis(500)).await;
            7
        };
        assert_eq!(run(within(conn, &p, timeout)), Some(7));
    }
}
