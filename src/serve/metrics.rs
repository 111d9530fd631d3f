//! Prometheus text-format metrics with plain atomics: verifications by
//! result (`valid` and every error kind), a latency histogram, key-set refreshes by result, keys loaded.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::error::Kind;

/// Latency bucket upper bounds, seconds.
const BUCKETS: [f64; 12] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0,
];

/// Counters written by one thread: one per cache line pair, so two workers
/// counting at once never hand a line back and forth (that hand-off, a few
/// times per request, cost more than the counting).
#[derive(Default)]
#[repr(align(128))]
struct Shard {
    valid: AtomicU64,
    /// Indexed by [`Kind::index`]: every kind has its `result` label.
    by_kind: [AtomicU64; Kind::ALL.len()],
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
    cache_hits: AtomicU64,
}

/// Shards per [`Metrics`]; threads beyond this share one (correct, slower).
pub(crate) const SHARDS: usize = 8;

/// The shard of the calling thread: threads are numbered as they first count.
pub(crate) fn shard_index() -> usize {
    use std::sync::atomic::AtomicUsize;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static INDEX: usize = NEXT.fetch_add(1, Relaxed) % SHARDS;
    }
    INDEX.with(|i| *i)
}

#[derive(Default)]
pub struct Metrics {
    shards: [Shard; SHARDS],
}

impl Metrics {
    fn mine(&self) -> &Shard {
        &self.shards[shard_index()]
    }

    /// The sum of one counter over every shard.
    fn total(&self, counter: impl Fn(&Shard) -> &AtomicU64) -> u64 {
        self.shards.iter().map(|s| counter(s).load(Relaxed)).sum()
    }

    pub fn record(&self, kind: Option<Kind>, micros: u64) {
        let s = self.mine();
        match kind {
            None => s.valid.fetch_add(1, Relaxed),
            Some(k) => s.by_kind[k.index()].fetch_add(1, Relaxed),
        };
        let secs = micros as f64 / 1e6;
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            s.buckets[i].fetch_add(1, Relaxed);
        }
        s.count.fetch_add(1, Relaxed);
        s.sum_micros.fetch_add(micros, Relaxed);
    }

    /// One answer came from the verified-token cache.
    pub fn cache_hit(&self) {
        self.mine().cache_hits.fetch_add(1, Relaxed);
    }

    pub fn cache_hits(&self) -> u64 {
        self.total(|s| &s.cache_hits)
    }

    pub fn render(&self, refresh_ok: u64, refresh_failed: u64, keys: usize, ready: bool) -> String {
        let mut s = String::with_capacity(4096);
        s.push_str("# HELP oidcat_verifications_total Token verifications by result.\n# TYPE oidcat_verifications_total counter\n");
        let _ = writeln!(
            s,
            "oidcat_verifications_total{{result=\"valid\"}} {}",
            self.total(|s| &s.valid)
        );
        for (i, k) in Kind::ALL.iter().enumerate() {
            let _ = writeln!(
                s,
                "oidcat_verifications_total{{result=\"{}\"}} {}",
                k.as_str(),
                self.total(|s| &s.by_kind[i])
            );
        }
        s.push_str("# HELP oidcat_verify_duration_seconds Time to answer /verify.\n# TYPE oidcat_verify_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (i, b) in BUCKETS.iter().enumerate() {
            cumulative += self.total(|s| &s.buckets[i]);
            let _ = writeln!(
                s,
                "oidcat_verify_duration_seconds_bucket{{le=\"{b}\"}} {cumulative}"
            );
        }
        let count = self.total(|s| &s.count);
        let _ = writeln!(
            s,
            "oidcat_verify_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            s,
            "oidcat_verify_duration_seconds_sum {}",
            self.total(|s| &s.sum_micros) as f64 / 1e6
        );
        let _ = writeln!(s, "oidcat_verify_duration_seconds_count {count}");
        s.push_str("# HELP oidcat_key_set_refreshes_total Key set fetches by result.\n# TYPE oidcat_key_set_refreshes_total counter\n");
        let _ = writeln!(
            s,
            "oidcat_key_set_refreshes_total{{result=\"success\"}} {refresh_ok}"
        );
        let _ = writeln!(
            s,
            "oidcat_key_set_refreshes_total{{result=\"failure\"}} {refresh_failed}"
        );
        s.push_str("# HELP oidcat_keys_loaded Usable keys in the current key set.\n# TYPE oidcat_keys_loaded gauge\n");
        let _ = writeln!(s, "oidcat_keys_loaded {keys}");
        s.push_str("# HELP oidcat_ready Whether a key set is loaded.\n# TYPE oidcat_ready gauge\n");
        let _ = writeln!(s, "oidcat_ready {}", u8::from(ready));
        s.push_str("# HELP oidcat_verified_cache_hits_total Answers served from the verified-token cache.\n# TYPE oidcat_verified_cache_hits_total counter\n");
        let _ = writeln!(s, "oidcat_verified_cache_hits_total {}", self.cache_hits());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every answer is counted under its result, the undecided kinds too.
    #[test]
    fn counts_every_kind() {
        let m = Metrics::default();
        m.record(None, 10);
        for k in Kind::ALL {
            m.record(Some(k), 10);
        }
        m.record(Some(Kind::Io), 10);
        let text = m.render(0, 0, 1, true);
        assert!(text.contains("oidcat_verifications_total{result=\"valid\"} 1\n"));
        assert!(
            text.contains("oidcat_verifications_total{result=\"io\"} 2\n"),
            "{text}"
        );
        for k in Kind::ALL {
            assert!(
                text.contains(&format!("result=\"{}\"}}", k.as_str())),
                "{k}"
            );
        }
        // one valid, one of each kind, and a second io
        let count = format!(
            "oidcat_verify_duration_seconds_count {}\n",
            Kind::ALL.len() + 2
        );
        assert!(text.contains(&count), "{text}");
    }

    /// Counts from many threads (more than there are shards) all add up.
    #[test]
    fn threads_add_up() {
        let m = Metrics::default();
        std::thread::scope(|sc| {
            for t in 0..(SHARDS + 3) {
                let m = &m;
                sc.spawn(move || {
                    for _ in 0..100 {
                        m.record(
                            if t % 2 == 0 {
                                None
                            } else {
                                Some(Kind::Expired)
                            },
                            300,
                        );
                        m.cache_hit();
                    }
                });
            }
        });
        let text = m.render(0, 0, 1, true);
        let n = SHARDS + 3;
        let valid = n.div_ceil(2) * 100;
        assert!(
            text.contains(&format!("result=\"valid\"}} {valid}\n")),
            "{text}"
        );
        assert!(
            text.contains(&format!("result=\"expired\"}} {}\n", n * 100 - valid)),
            "{text}"
        );
        assert!(text.contains(&format!("_count {}\n", n * 100)), "{text}");
        assert!(text.contains("le=\"0.00025\"} 0\n"), "{text}");
        assert!(
            text.contains(&format!("le=\"0.0005\"}} {}\n", n * 100)),
            "{text}"
        );
        assert_eq!(m.cache_hits(), (n * 100) as u64);
    }
}
