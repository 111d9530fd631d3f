//! Prometheus text-format metrics with plain atomics: verifications by
//! result (`valid` and every error kind), a latency histogram, key-set refreshes by result, keys loaded.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::error::Kind;

/// Latency bucket upper bounds, seconds.
const BUCKETS: [f64; 12] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0,
];

#[derive(Default)]
pub struct Metrics {
    valid: AtomicU64,
    /// Indexed by [`Kind::index`]: every kind has its `result` label.
    by_kind: [AtomicU64; Kind::ALL.len()],
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
    pub cache_hits: AtomicU64,
}

impl Metrics {
    pub fn record(&self, kind: Option<Kind>, micros: u64) {
        match kind {
            None => self.valid.fetch_add(1, Relaxed),
            Some(k) => self.by_kind[k.index()].fetch_add(1, Relaxed),
        };
        let secs = micros as f64 / 1e6;
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            self.buckets[i].fetch_add(1, Relaxed);
        }
        self.count.fetch_add(1, Relaxed);
        self.sum_micros.fetch_add(micros, Relaxed);
    }

    pub fn render(&self, refresh_ok: u64, refresh_failed: u64, keys: usize, ready: bool) -> String {
        let mut s = String::with_capacity(4096);
        s.push_str("# HELP oidcat_verifications_total Token verifications by result.\n# TYPE oidcat_verifications_total counter\n");
        let _ = writeln!(
            s,
            "oidcat_verifications_total{{result=\"valid\"}} {}",
            self.valid.load(Relaxed)
        );
        for (i, k) in Kind::ALL.iter().enumerate() {
            let _ = writeln!(
                s,
                "oidcat_verifications_total{{result=\"{}\"}} {}",
                k.as_str(),
                self.by_kind[i].load(Relaxed)
            );
        }
        s.push_str("# HELP oidcat_verify_duration_seconds Time to answer /verify.\n# TYPE oidcat_verify_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (i, b) in BUCKETS.iter().enumerate() {
            cumulative += self.buckets[i].load(Relaxed);
            let _ = writeln!(
                s,
                "oidcat_verify_duration_seconds_bucket{{le=\"{b}\"}} {cumulative}"
            );
        }
        let count = self.count.load(Relaxed);
        let _ = writeln!(
            s,
            "oidcat_verify_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            s,
            "oidcat_verify_duration_seconds_sum {}",
            self.sum_micros.load(Relaxed) as f64 / 1e6
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
        let _ = writeln!(
            s,
            "oidcat_verified_cache_hits_total {}",
            self.cache_hits.load(Relaxed)
        );
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
        assert!(
            text.contains("oidcat_verify_duration_seconds_count 25\n"),
            "{text}"
        );
    }
}
