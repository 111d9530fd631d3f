//! Notes: what the library has to tell the user besides its result (a fetch
//! under `-v`, a stale cache entry, `serve`'s key-set events). Code that
//! finds something worth saying sends a [`Note`] to the [`Notes`] it was
//! given; only `report/` turns notes into text on stderr.

use std::sync::Arc;

/// One thing to tell the user, and how loudly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A diagnostic for `-v`: what was fetched or read from the cache
    /// (printed as `* TEXT`).
    Trace(String),
    /// A diagnostic for `-v`, printed as is (`serve`'s key-set loads).
    Detail(String),
    /// A warning, printed as `warning: TEXT` whatever the verbosity: the
    /// result rests on it (a stale cache entry under `--offline`) or a
    /// server operator must see it.
    Warning(String),
    /// A line printed as is whatever the verbosity (`serve` listening,
    /// stopped, a failed key-set refresh).
    Status(String),
}

/// Where notes go: a sink shared by every thread that may report something.
#[derive(Clone)]
pub struct Notes(Arc<dyn Fn(Note) + Send + Sync>);

impl Notes {
    pub fn new(sink: impl Fn(Note) + Send + Sync + 'static) -> Notes {
        Notes(Arc::new(sink))
    }

    /// A sink that drops every note (tests, benchmarks).
    pub fn discard() -> Notes {
        Notes::new(|_| {})
    }

    pub fn send(&self, note: Note) {
        (self.0)(note)
    }
}

impl std::fmt::Debug for Notes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Notes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn a_sink_receives_what_is_sent_in_order() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let sink = got.clone();
        let notes = Notes::new(move |n| sink.lock().unwrap().push(n));
        notes.send(Note::Trace("a".into()));
        notes.clone().send(Note::Warning("b".into()));
        Notes::discard().send(Note::Status("c".into()));
        assert_eq!(
            *got.lock().unwrap(),
            vec![Note::Trace("a".into()), Note::Warning("b".into())]
        );
    }
}
