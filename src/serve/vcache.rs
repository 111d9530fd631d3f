//! Optional verified-token cache (`--cache-verified N`). Keyed by the SHA-256
//! of the whole token; holds only *valid* verdicts, until the earlier of the
//! token's `exp` (+ leeway, and `iat` + max-age) and the next key-set change.
//! The policy of a server is fixed, so a cached verdict is the verdict the
//! full check would give. A re-encoded (malleated) token is a different key:
//! it is simply verified again. This is not replay protection.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::verify::Verdict;

pub struct VerifiedCache {
    cap: usize,
    shards: Vec<Mutex<HashMap<[u8; 32], Entry>>>,
}

struct Entry {
    verdict: std::sync::Arc<Verdict>,
    valid_until: i64,
    generation: u64,
}

impl VerifiedCache {
    pub fn new(cap: usize) -> Option<Self> {
        (cap > 0).then(|| VerifiedCache {
            cap: cap.div_ceil(16).max(1),
            shards: (0..16).map(|_| Mutex::new(HashMap::new())).collect(),
        })
    }

    /// The cache key of a token: hashed once per request, used by both
    /// [`VerifiedCache::get`] and [`VerifiedCache::put`].
    pub fn key(token: &str) -> [u8; 32] {
        let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes());
        let mut k = [0u8; 32];
        k.copy_from_slice(d.as_ref());
        k
    }

    pub fn get(&self, k: &[u8; 32], now: i64, generation: u64) -> Option<std::sync::Arc<Verdict>> {
        let shard = self.shards[k[0] as usize % self.shards.len()].lock().ok()?;
        let e = shard.get(k)?;
        (e.generation == generation && now < e.valid_until).then(|| e.verdict.clone())
    }

    pub fn put(
        &self,
        k: [u8; 32],
        verdict: std::sync::Arc<Verdict>,
        valid_until: i64,
        now: i64,
        generation: u64,
    ) {
        if !verdict.valid || valid_until <= now {
            return;
        }
        let Ok(mut shard) = self.shards[k[0] as usize % self.shards.len()].lock() else {
            return;
        };
        if shard.len() >= self.cap {
            shard.retain(|_, e| e.generation == generation && now < e.valid_until);
            if shard.len() >= self.cap {
                return;
            }
        }
        shard.insert(
            k,
            Entry {
                verdict,
                valid_until,
                generation,
            },
        );
    }
}
