//! Per key and algorithm, what a verification that succeeds with it
//! reports: the `key` and `signature` check details and the `key` object.
//! [`build`] is the reference; [`Memo::success`] builds each once per key
//! set and shares it, because `serve` reports the same few keys thousands of
//! times a second and the formatting cost more than the rest of its checks.

use std::sync::{Arc, OnceLock};

use super::Alg;

use super::KeySet;
use crate::verify::KeyInfo;

/// What a success with one key and algorithm reports.
#[derive(Debug, PartialEq)]
pub struct Success {
    pub key_detail: Arc<str>,
    pub signature_detail: Arc<str>,
    pub info: Arc<KeyInfo>,
}

/// The reference: the report of a success with `set.keys[i]`, built anew.
pub fn build(set: &KeySet, i: usize, alg: Alg) -> Success {
    let key = &set.keys[i];
    let label = key.label();
    let name = alg.name();
    Success {
        key_detail: format!("{label} from {}", set.source).into(),
        signature_detail: format!(
            "{name} signature verified with key {label} ({})",
            key.thumbprint
        )
        .into(),
        info: Arc::new(KeyInfo {
            kid: key.kid.clone(),
            alg: name.into(),
            thumbprint: key.thumbprint.clone(),
            source: set.source.clone(),
        }),
    }
}

/// The memo a [`KeySet`] carries: one slot per key and algorithm, filled on
/// first use.
#[derive(Debug, Default)]
pub struct Memo(OnceLock<Box<[AlgSlots]>>);

/// One slot per algorithm a key may verify.
type AlgSlots = [OnceLock<Arc<Success>>; Alg::COUNT];

/// A clone is a new set that may change: it starts with an empty memo.
impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

impl Memo {
    /// The seam: what [`build`] returns for `set.keys[i]`, built once.
    /// `set` must be the set that holds this memo.
    pub fn success(&self, set: &KeySet, i: usize, alg: Alg) -> Arc<Success> {
        let slots = self
            .0
            .get_or_init(|| (0..set.keys.len()).map(|_| Default::default()).collect());
        match slots.get(i) {
            Some(s) => s[alg.index()]
                .get_or_init(|| Arc::new(build(set, i, alg)))
                .clone(),
            None => Arc::new(build(set, i, alg)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> KeySet {
        let path = format!(
            "{}/tests/fixtures/keys/jwks.json",
            env!("CARGO_MANIFEST_DIR")
        );
        KeySet::parse(&std::fs::read(path).unwrap(), "test", 0).unwrap()
    }

    /// Memoised or not, a success reports the same, every time, per key
    /// and algorithm; a clone starts empty and still agrees.
    #[test]
    fn memo_agrees_with_the_reference() {
        let set = set();
        assert!(!set.keys.is_empty());
        for alg in Alg::ALL {
            for i in 0..set.keys.len() {
                let want = build(&set, i, alg);
                let first = set.memo.success(&set, i, alg);
                let again = set.memo.success(&set, i, alg);
                assert_eq!(*first, want);
                assert!(Arc::ptr_eq(&first, &again), "built once");
                let copy = set.clone();
                assert_eq!(*copy.memo.success(&copy, i, alg), want);
            }
        }
    }
}
